//! The embedded objects of a domain event, in either of their forms.
//!
//! Wix sends the entity or action body inside the domain event (`createdEvent.entity`,
//! `actionEvent.body`, ...) as an embedded JSON object, while the SDK package's typings call it
//! a string. [`unwrap_json_strings`] accepts both: a member listed in the generated
//! [`EMBEDDED_OBJECT_MEMBERS`] that holds a JSON string is replaced by the value that string
//! holds, so that the typed decoding that follows sees the object form either way.

use serde_json::{Map, Value};

use super::WebhookError;
use crate::generated::webhook_events::EMBEDDED_OBJECT_MEMBERS;

/// Replaces, in the domain event `domain_event`, every embedded-object member that holds a
/// JSON string by the JSON value of that string. `path` names the domain event in errors
/// (`data.data`); a string that is not JSON is [`WebhookError::MalformedJson`] at the member.
pub(crate) fn unwrap_json_strings(
    domain_event: &mut Map<String, Value>,
    path: &str,
) -> Result<(), WebhookError> {
    for (event_member, body_member) in EMBEDDED_OBJECT_MEMBERS {
        let Some(member) = domain_event
            .get_mut(*event_member)
            .and_then(Value::as_object_mut)
            .and_then(|body| body.get_mut(*body_member))
        else {
            continue;
        };
        if let Value::String(text) = member {
            *member = serde_json::from_str(text).map_err(|source| WebhookError::MalformedJson {
                path: format!("{path}.{event_member}.{body_member}"),
                source,
            })?;
        }
    }
    Ok(())
}

/// Removes every embedded-object member from the domain event `domain_event`: what is left is
/// the event's metadata, which decodes whatever the bodies hold.
pub(crate) fn remove_embedded_objects(domain_event: &mut Map<String, Value>) {
    for (event_member, body_member) in EMBEDDED_OBJECT_MEMBERS {
        if let Some(body) = domain_event
            .get_mut(*event_member)
            .and_then(Value::as_object_mut)
        {
            body.remove(*body_member);
        }
    }
}
