//! Update and Update Extended Fields.
//!
//! Update changes only the fields the body carries (`title`, `description`, `image`,
//! `blockedPaymentMethods`); read-only fields are ignored. An immutable field (`amount`,
//! `orderId`, `source`, `expirationDate`) sent with a value other than the stored one is refused:
//! `amount` with `CANNOT_UPDATE_ORDER_PAYMENT_REQUEST_AMOUNT`, the others with a 400
//! `IMMUTABLE_FIELD` violation. Sending a stored value back unchanged (a read-modify-write of the
//! whole object) is accepted. `null` for a field Create requires (`title`, ...) is a 400
//! `REQUIRED_FIELD`; `null` for an optional one clears it. A body `id` that is not a string is
//! refused, never replaced by the path's.
//!
//! Update Extended Fields replaces one namespace's data, within the emulator's size caps
//! ([`crate::domain::extended_fields`]).

use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;
use wix_order_payment_requests::error_codes::UpdateOrderPaymentRequestErrorCode;
use wix_order_payment_requests::generated::operations;
use wix_order_payment_requests::generated::rules as spec_rules;
use wix_order_payment_requests::types;
use wix_order_payment_requests::webhooks::WebhookEventType;
use wix_order_payment_requests::wix_runtime::operation::ApiOperation;
use wix_order_payment_requests::PaymentMethod;

use super::checked::{self, Checked};
use super::{announce, not_found, path_id, reply};
use crate::domain::extended_fields;
use crate::domain::lifecycle;
use crate::domain::record::{stored_title, to_ms, Record};
use crate::http::extract::{Caller, WixJson};
use crate::state::{AppState, Shared};
use wix_emulator_core::api_error::{ApiError, Violation};
use wix_emulator_core::spec::check as spec_check;

/// `PATCH /ecom/v1/order-payment-requests/{orderPaymentRequest.id}`.
pub async fn update(
    State(state): State<Shared>,
    caller: Caller,
    Path(raw_id): Path<String>,
    WixJson(mut body): WixJson,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    let id = path_id::<operations::UpdateOrderPaymentRequest>("orderPaymentRequestId", &raw_id)?;
    let mut violations = Vec::new();
    if let Some(entity) = body
        .get_mut("orderPaymentRequest")
        .and_then(Value::as_object_mut)
    {
        fill_id(entity, id);
        if let Some(body_id) = entity.get("id").and_then(Value::as_str) {
            if body_id.parse() != Ok(id) {
                return Err(ApiError::invalid(
                    "orderPaymentRequest.id",
                    "MATCHES_PATH",
                    "must equal the id in the path",
                ));
            }
        }
        violations = nulls_for_required_fields(entity);
    }
    if !violations.is_empty() {
        // Reported with the rest of the schema's violations; a `null` already reported is not
        // reported again by the schema walk.
        for violation in spec_check::validate_request(
            <operations::UpdateOrderPaymentRequest as ApiOperation>::RULE.operation_id,
            &body,
        ) {
            if !violations.iter().any(|v| v.field == violation.field) {
                violations.push(violation);
            }
        }
        return Err(ApiError::Validation(violations));
    }
    let Checked { request, raw: body } = Checked::<checked::Update>::from_body(body)?;
    let sent = body["orderPaymentRequest"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let patch = request.order_payment_request;

    let tenant = state.store.lookup(&caller.tenant);
    let mut map = tenant.write();
    let record = map.get_mut(&id).ok_or_else(not_found)?;
    check_immutables(record, &patch, &sent)?;
    lifecycle::check_update(record.status)?;
    if let Some(title) = patch
        .title
        .as_ref()
        .map(|t| t.as_str())
        .filter(|_| sent.contains_key("title"))
    {
        record.title = stored_title(title)?;
    }
    if sent.contains_key("description") {
        record.description = patch.description.as_ref().map(|d| d.as_str().into());
    }
    if sent.contains_key("blockedPaymentMethods") {
        record.blocked_manual = patch
            .blocked_payment_methods
            .contains(&PaymentMethod::Manual);
    }
    if sent.contains_key("image") {
        record.edit_extras(|e| e.image = patch.image.clone());
    }
    mark_updated(&state, &caller.tenant, record);
    Ok(reply(&types::UpdateOrderPaymentRequestResponse {
        order_payment_request: record.to_wire(),
    }))
}

/// Gives a body without an `id` (or with `null`) the path's id. An `id` of another type is left
/// for the schema check to refuse: it is never replaced.
fn fill_id(object: &mut serde_json::Map<String, Value>, id: uuid::Uuid) {
    if object.get("id").is_none_or(Value::is_null) {
        object.insert("id".into(), Value::String(id.to_string()));
    }
}

/// `null` sent for a field Create requires would blank it: a `REQUIRED_FIELD` violation for
/// each (once per path; a `null` parent hides its children).
fn nulls_for_required_fields(entity: &serde_json::Map<String, Value>) -> Vec<Violation> {
    let mut violations: Vec<Violation> = Vec::new();
    const ENTITY: &str = "orderPaymentRequest";
    for field in spec_check::required_in_request::<operations::CreateOrderPaymentRequest>(ENTITY) {
        let mut object = entity;
        let mut path = String::from(ENTITY);
        for part in field.split('.') {
            path.push('.');
            path.push_str(part);
            match object.get(part) {
                Some(Value::Object(inner)) => object = inner,
                Some(Value::Null) => {
                    if !violations.iter().any(|v| v.field == path) {
                        violations.push(Violation::new(
                            path.clone(),
                            "REQUIRED_FIELD",
                            "is required and can't be cleared with null",
                        ));
                    }
                    break;
                }
                _ => break,
            }
        }
    }
    violations
}

/// Stamps `updatedDate` and announces `updated` (the tenant is locked by the caller).
fn mark_updated(state: &AppState, site: &str, record: &mut Record) {
    record.touch(to_ms(state.clock.now()));
    announce(
        state,
        site,
        WebhookEventType::WixEcomV1OrderPaymentRequestUpdated,
        record,
    );
}

/// Refuses immutable fields sent with a value other than the stored one.
fn check_immutables(
    record: &Record,
    patch: &types::OrderPaymentRequestPatch,
    sent: &serde_json::Map<String, Value>,
) -> Result<(), ApiError> {
    let amount_changed = sent.contains_key("amount")
        && patch
            .amount
            .as_ref()
            .is_some_and(|p| p.amount != record.amount);
    if amount_changed {
        return Err(ApiError::from_code(
            UpdateOrderPaymentRequestErrorCode::CannotUpdateOrderPaymentRequestAmount,
        ));
    }
    let mut violations = Vec::new();
    for &field in spec_rules::IMMUTABLE_FIELDS {
        if field == "amount" || !sent.contains_key(field) {
            continue;
        }
        let changed = match field {
            "orderId" => patch.order_id != Some(record.order_id),
            "expirationDate" => patch.expiration_date.map(to_ms) != record.expiration_ms.get(),
            "source" => patch.source.as_ref() != record.source(),
            _ => true,
        };
        if changed {
            violations.push(Violation::new(
                format!("orderPaymentRequest.{field}"),
                "IMMUTABLE_FIELD",
                "can't be changed after the order payment request is created",
            ));
        }
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(violations))
    }
}

/// `POST /ecom/v1/order-payment-requests/{id}/update-extended-fields`.
pub async fn update_extended_fields(
    State(state): State<Shared>,
    caller: Caller,
    Path(raw_id): Path<String>,
    WixJson(mut body): WixJson,
) -> Result<Json<Value>, ApiError> {
    state.sweep();
    let id = path_id::<operations::UpdateExtendedFields>("id", &raw_id)?;
    if let Some(object) = body.as_object_mut() {
        fill_id(object, id);
    }
    let Checked { request, .. } = Checked::<checked::UpdateExtendedFields>::from_body(body)?;
    if request.id.as_str().parse() != Ok(id) {
        return Err(ApiError::invalid(
            "id",
            "MATCHES_PATH",
            "must equal the id in the path",
        ));
    }
    let tenant = state.store.lookup(&caller.tenant);
    let mut map = tenant.write();
    let record = map.get_mut(&id).ok_or_else(not_found)?;
    let current = record
        .extras
        .as_deref()
        .and_then(|e| e.extended_fields.as_ref())
        .map(|f| &f.namespaces);
    if let Some(violation) = extended_fields::check_update(
        current,
        request.namespace.as_str(),
        &request.namespace_data,
        &state.limits,
    ) {
        return Err(ApiError::Validation(vec![violation]));
    }
    record.edit_extras(|e| {
        e.extended_fields
            .get_or_insert_with(Default::default)
            .namespaces
            .insert(
                request.namespace.to_string(),
                request.namespace_data.clone(),
            );
    });
    mark_updated(&state, &caller.tenant, record);
    Ok(reply(&types::UpdateExtendedFieldsResponse {
        order_payment_request: record.to_wire(),
    }))
}
