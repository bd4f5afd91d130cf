//! How the query engine reads the queryable fields of a stored record.

use std::borrow::Cow;

use uuid::Uuid;

use crate::domain::record::Record;
use wix_emulator_core::wql::{QueryRecord, Scalar};

impl QueryRecord for Record {
    fn field(&self, name: &str) -> Option<Scalar<'_>> {
        // The boxed rare parts (`self.source()`) are read only for the fields that live there:
        // touching the box for every field costs a cache miss per record.
        Some(match name {
            "id" => Scalar::Uuid(self.id),
            "orderId" => Scalar::Uuid(self.order_id),
            "paymentGatewayOrderId" => Scalar::Uuid(self.payment_gateway_order_id),
            "source.appId" => Scalar::Uuid(self.source()?.app_id?),
            "source.externalId" => {
                Scalar::Str(Cow::Borrowed(self.source()?.external_id.as_ref()?.as_str()))
            }
            "createdDate" => Scalar::Millis(self.created_ms),
            "updatedDate" => Scalar::Millis(self.updated_ms),
            "expirationDate" => Scalar::Millis(self.expiration_ms.get()?),
            "description" => Scalar::Str(Cow::Borrowed(self.description.as_deref()?)),
            "title" => Scalar::Str(Cow::Borrowed(self.title.as_str())),
            "orderNumber" => Scalar::Str(Cow::Borrowed(&self.order_number)),
            "status" => Scalar::Str(Cow::Borrowed(self.status.as_str())),
            "amount.amount" => Scalar::Decimal(self.amount.value()),
            _ => return None,
        })
    }

    fn id(&self) -> Uuid {
        self.id
    }
}
