//! How the query engine reads the queryable fields of a stored record.

use std::borrow::Cow;

use uuid::Uuid;

use crate::record::{from_ms, Record};
use crate::wql::{QueryRecord, Scalar};

fn uuid_text(id: Uuid) -> Scalar<'static> {
    Scalar::Str(Cow::Owned(id.to_string()))
}

impl QueryRecord for Record {
    fn field(&self, name: &str) -> Option<Scalar<'_>> {
        let extras = self.extras.as_deref();
        let source = extras.and_then(|e| e.source.as_ref());
        Some(match name {
            "id" => uuid_text(self.id),
            "orderId" => uuid_text(self.order_id),
            "paymentGatewayOrderId" => uuid_text(self.payment_gateway_order_id),
            "source.appId" => uuid_text(source?.app_id?),
            "source.externalId" => {
                Scalar::Str(Cow::Borrowed(source?.external_id.as_deref()?.as_str()))
            }
            "createdDate" => Scalar::Time(from_ms(self.created_ms)),
            "updatedDate" => Scalar::Time(from_ms(self.updated_ms)),
            "expirationDate" => Scalar::Time(from_ms(self.expiration_ms?)),
            "description" => Scalar::Str(Cow::Borrowed(self.description.as_deref()?)),
            "title" => Scalar::Str(Cow::Borrowed(&self.title)),
            "orderNumber" => Scalar::Str(Cow::Borrowed(&self.order_number)),
            "status" => Scalar::Str(Cow::Borrowed(self.status.as_str())),
            "amount.amount" => Scalar::Decimal(self.amount),
            _ => return None,
        })
    }

    fn id(&self) -> Uuid {
        self.id
    }
}
