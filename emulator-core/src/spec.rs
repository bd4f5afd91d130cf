//! The spec as the emulator reads it: the installed model's document and the body checks that
//! walk its schemas.

pub mod check;
pub mod document;
