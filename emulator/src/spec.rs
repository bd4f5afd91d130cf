//! The spec as the emulator reads it: the compiled-in document and the body checks that walk
//! its schemas.

pub(crate) mod check;
pub(crate) mod document;
