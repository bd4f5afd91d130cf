//! The domain: payment request records, their lifecycle transitions and rules, the store and
//! its indexes, the orders, and the events that state changes announce.

pub(crate) mod events;
pub(crate) mod extended_fields;
pub(crate) mod lifecycle;
pub(crate) mod orders;
pub(crate) mod payment;
pub(crate) mod record;
pub(crate) mod record_query;
pub(crate) mod store;
