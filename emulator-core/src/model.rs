//! The API an emulator serves: its OpenAPI document and the tables codegen generated from it.
//!
//! The core knows no API by name. The emulator of an API builds one [`ApiModel`] from its
//! generated crate (`generated::rules`) and its spec, and [`install`]s it before serving; the
//! spec checks ([`crate::spec`]) and the query engine ([`crate::wql`]) read it through
//! [`model`]. One process serves one API: installing a second, different model is refused.
//!
//! ```
//! use wix_emulator_core::model::{install, ApiModel, OperationAt, PagingBounds};
//!
//! static THINGS: ApiModel = ApiModel {
//!     spec_yaml: r#"
//! paths:
//!   /v1/things:
//!     post:
//!       operationId: createThing
//!       requestBody:
//!         content:
//!           application/json:
//!             schema:
//!               type: object
//!               required: [name]
//!               properties: {name: {type: string, maxLength: 5}}
//! "#,
//!     query_fields: &[],
//!     decimal_ranges: &[],
//!     paging: PagingBounds { max_limit: 100, max_cursor_chars: 16_000, max_sort_keys: 5 },
//! };
//! let create = OperationAt { operation_id: "createThing", method: "POST", path: "/v1/things" };
//! install(&THINGS, [create])?;
//!
//! let body = serde_json::json!({"name": "too long"});
//! let violations = wix_emulator_core::spec::check::validate_request("createThing", &body);
//! assert_eq!(violations[0].field, "name");
//! assert_eq!(violations[0].rule, "MAX_LENGTH");
//!
//! # Ok::<(), wix_emulator_core::model::ModelError>(())
//! ```

use std::fmt;
use std::sync::OnceLock;

use wix_runtime::rules::{DecimalRange, QueryFieldRule};

/// What the core needs to know of one API.
#[derive(Debug)]
pub struct ApiModel {
    /// The OpenAPI document, as YAML (or JSON) text.
    pub spec_yaml: &'static str,
    /// The queryable fields (`rules::QUERY_FIELDS`).
    pub query_fields: &'static [QueryFieldRule],
    /// The ranges of the spec's decimal schemas (`rules::DECIMAL_RANGES`).
    pub decimal_ranges: &'static [DecimalRange],
    /// Query paging bounds, from the spec's `CursorPaging` and `CursorQuery` schemas.
    pub paging: PagingBounds,
}

/// One operation of the API's generated rule table, as [`install`] checks it against the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationAt {
    /// Its `operationId`.
    pub operation_id: &'static str,
    /// Its HTTP method, upper case.
    pub method: &'static str,
    /// Its path template.
    pub path: &'static str,
}

/// The bounds of a query's paging and sorting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagingBounds {
    /// The largest `cursorPaging.limit`.
    pub max_limit: usize,
    /// The longest `cursorPaging.cursor`, in characters.
    pub max_cursor_chars: usize,
    /// The most sort keys.
    pub max_sort_keys: usize,
}

/// Why a model cannot be installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// The spec text does not parse.
    Spec(String),
    /// An operation of the model is not in the spec, or not at the model's method and path.
    Operation {
        /// Its `operationId`.
        operation_id: &'static str,
        /// What the spec has instead.
        problem: String,
    },
    /// Another model is installed already.
    AnotherInstalled,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::Spec(e) => write!(f, "the API's spec does not parse: {e}"),
            ModelError::Operation {
                operation_id,
                problem,
            } => write!(f, "operation `{operation_id}`: {problem}"),
            ModelError::AnotherInstalled => {
                f.write_str("another API model is installed in this process")
            }
        }
    }
}

impl std::error::Error for ModelError {}

/// The installed model, with its spec parsed.
struct Installed {
    model: &'static ApiModel,
    spec: serde_json::Value,
}

static INSTALLED: OnceLock<Installed> = OnceLock::new();

/// Installs `api` as the model this process serves, after checking that its spec parses and
/// holds each of `operations` (the generated rule table's) at its method and path, so an
/// emulator whose spec and tables disagree does not start. Installing the same model again
/// is a no-op.
pub fn install(
    api: &'static ApiModel,
    operations: impl IntoIterator<Item = OperationAt>,
) -> Result<(), ModelError> {
    if INSTALLED
        .get()
        .is_some_and(|installed| std::ptr::eq(installed.model, api))
    {
        return Ok(());
    }
    let spec = parse(api)?;
    check_operations(&spec, operations)?;
    let installed = INSTALLED.get_or_init(|| Installed { model: api, spec });
    if std::ptr::eq(installed.model, api) {
        Ok(())
    } else {
        Err(ModelError::AnotherInstalled)
    }
}

/// The model's spec as JSON.
fn parse(api: &ApiModel) -> Result<serde_json::Value, ModelError> {
    serde_yaml::from_str(api.spec_yaml).map_err(|e| ModelError::Spec(e.to_string()))
}

/// Whether the spec has each of `operations` at its method and path.
fn check_operations(
    spec: &serde_json::Value,
    operations: impl IntoIterator<Item = OperationAt>,
) -> Result<(), ModelError> {
    let in_spec = crate::spec::document::index_operations(spec);
    for op in operations {
        let problem = |problem: String| ModelError::Operation {
            operation_id: op.operation_id,
            problem,
        };
        match in_spec.get(op.operation_id) {
            None => return Err(problem("not in the spec".into())),
            Some(&(verb, at, _)) if verb.to_uppercase() != op.method || at != op.path => {
                return Err(problem(format!(
                    "the spec has it at {} {at}, the model at {} {}",
                    verb.to_uppercase(),
                    op.method,
                    op.path
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The installed model.
///
/// # Panics
/// When no model is installed: an emulator installs its model before it serves, so this is a
/// bug in the emulator, not a condition a request can cause.
pub fn model() -> &'static ApiModel {
    installed().model
}

/// The installed model's spec, parsed once by [`install`].
pub(crate) fn spec_document() -> &'static serde_json::Value {
    &installed().spec
}

/// The installed model and its spec (see [`model`] for the panic).
fn installed() -> &'static Installed {
    #[cfg(test)]
    {
        INSTALLED.get_or_init(|| {
            let model = &crate::test_model::MODEL;
            let spec = parse(model).expect("the workspace's spec parses");
            Installed { model, spec }
        })
    }
    #[cfg(not(test))]
    {
        INSTALLED
            .get()
            .expect("the emulator installs its API model (`wix_emulator_core::model::install`) before it serves")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with(operation: &str) -> serde_json::Value {
        serde_json::json!({"paths": {"/v1/things/{id}": {"get": {"operationId": operation}}}})
    }

    #[test]
    fn an_operation_is_checked_against_the_spec() {
        let spec = spec_with("getThing");
        let check_operation = |operation_id, method, path| {
            check_operations(
                &spec,
                [OperationAt {
                    operation_id,
                    method,
                    path,
                }],
            )
        };
        assert!(check_operation("getThing", "GET", "/v1/things/{id}").is_ok());
        let moved = check_operation("getThing", "POST", "/v1/things/{id}").unwrap_err();
        assert!(
            moved.to_string().contains("the spec has it at GET"),
            "{moved}"
        );
        let missing = check_operation("deleteThing", "GET", "/v1/things/{id}").unwrap_err();
        assert_eq!(
            missing.to_string(),
            "operation `deleteThing`: not in the spec"
        );
    }

    /// A model of `spec_yaml` with no tables.
    const fn bare(spec_yaml: &'static str) -> ApiModel {
        ApiModel {
            spec_yaml,
            query_fields: &[],
            decimal_ranges: &[],
            paging: PagingBounds {
                max_limit: 1,
                max_cursor_chars: 1,
                max_sort_keys: 1,
            },
        }
    }

    #[test]
    fn a_second_model_is_refused_and_the_same_one_accepted() {
        let installed = model();
        assert!(install(installed, []).is_ok());
        static OTHER: ApiModel = bare("paths: {}");
        assert_eq!(install(&OTHER, []), Err(ModelError::AnotherInstalled));
    }

    #[test]
    fn a_spec_that_does_not_parse_is_refused() {
        static BROKEN: ApiModel = bare("paths: [unclosed");
        assert!(matches!(install(&BROKEN, []), Err(ModelError::Spec(_))));
    }
}
