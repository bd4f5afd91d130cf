//! Constructors for the request types, whose required fields come from the spec's `required`.
//!
//! [`types::NewOrderPaymentRequest`] (Create), [`types::NewBulkOrderPaymentRequest`] (each Bulk
//! Create item) and [`types::OrderPaymentRequestPatch`] (Update) are generated; the fields the
//! API requires are plain fields, so a request without them does not compile:
//!
//! ```compile_fail
//! use wix_order_payment_requests::types;
//!
//! // Without `orderId`: does not compile.
//! let request = types::NewOrderPaymentRequest {
//!     amount: types::NewPrice { amount: "15.50".parse().unwrap() },
//!     title: "Balance due".parse().unwrap(),
//!     blocked_payment_methods: Vec::new(),
//!     description: None,
//!     expiration_date: None,
//!     extended_fields: None,
//!     image: None,
//!     source: None,
//! };
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::types;
//!
//! // Without `amount`: does not compile.
//! let request = types::NewOrderPaymentRequest {
//!     order_id: uuid::Uuid::nil(),
//!     title: "Balance due".parse().unwrap(),
//!     blocked_payment_methods: Vec::new(),
//!     description: None,
//!     expiration_date: None,
//!     extended_fields: None,
//!     image: None,
//!     source: None,
//! };
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::types;
//!
//! // Without `title`: does not compile.
//! let request = types::NewOrderPaymentRequest {
//!     order_id: uuid::Uuid::nil(),
//!     amount: types::NewPrice { amount: "15.50".parse().unwrap() },
//!     blocked_payment_methods: Vec::new(),
//!     description: None,
//!     expiration_date: None,
//!     extended_fields: None,
//!     image: None,
//!     source: None,
//! };
//! ```
//!
//! ```compile_fail
//! use wix_order_payment_requests::types;
//!
//! // No constructor takes less than the required fields either.
//! let request = types::NewOrderPaymentRequest::new(uuid::Uuid::nil(), "15.50".parse().unwrap());
//! ```
//!
//! The constructors here take exactly the required fields and leave the rest empty; set the
//! others with struct update syntax:
//!
//! ```
//! use wix_order_payment_requests::types;
//!
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let request = types::NewOrderPaymentRequest {
//!     description: Some("Remaining balance".parse()?),
//!     ..types::NewOrderPaymentRequest::new(
//!         "a931e280-254a-49a7-9641-22ef64c444ae".parse()?,
//!         "15.50".parse()?,
//!         "Balance Due for Order #10052".parse()?,
//!     )
//! };
//! assert_eq!(request.amount.amount.to_string(), "15.50");
//! # Ok(()) }
//! ```

use crate::generated::client::types;
use crate::money::Amount;

impl types::NewOrderPaymentRequest {
    /// A payment request to create with its required fields: the order, the amount to collect
    /// and the title shown to the customer. Every optional field is empty.
    pub fn new(order_id: uuid::Uuid, amount: Amount, title: types::PaymentRequestTitle) -> Self {
        Self {
            order_id,
            amount: types::NewPrice { amount },
            title,
            blocked_payment_methods: Vec::new(),
            description: None,
            expiration_date: None,
            extended_fields: None,
            image: None,
            source: None,
        }
    }

    /// The same request with `source.externalId` set, the key a create whose outcome is unknown
    /// is looked up by.
    pub fn with_external_id(mut self, external_id: types::SourceExternalId) -> Self {
        let source = self.source.get_or_insert_with(Default::default);
        source.external_id = Some(external_id);
        self
    }
}

impl types::NewBulkOrderPaymentRequest {
    /// A Bulk Create item with its required fields: the order, the amount, the title and
    /// `source.externalId`. Every optional field is empty.
    pub fn new(
        order_id: uuid::Uuid,
        amount: Amount,
        title: types::PaymentRequestTitle,
        external_id: types::SourceExternalId,
    ) -> Self {
        Self {
            order_id,
            amount: types::NewPrice { amount },
            title,
            source: types::BulkSource {
                app_id: None,
                external_id,
            },
            blocked_payment_methods: Vec::new(),
            description: None,
            expiration_date: None,
            extended_fields: None,
            image: None,
        }
    }
}

impl types::OrderPaymentRequestPatch {
    /// An update of the payment request `id` that changes nothing yet; set the fields to change
    /// with struct update syntax.
    pub fn new(id: uuid::Uuid) -> Self {
        Self {
            id,
            amount: None,
            blocked_payment_methods: Vec::new(),
            description: None,
            expiration_date: None,
            extended_fields: None,
            image: None,
            order_id: None,
            source: None,
            title: None,
        }
    }
}

impl From<Amount> for types::NewPrice {
    fn from(amount: Amount) -> Self {
        Self { amount }
    }
}
