//! The dependencies the generated code needs are written in codegen's manifest of a generated
//! crate (`codegen::generate_crate`), and again in this workspace's client manifest, which
//! compiles the same code. This test keeps the two from drifting: every dependency of the
//! generated crate (but the runtime, named by path or version per crate) must appear in the
//! client's manifest with the same version, default features, features and optionality.

use std::collections::{BTreeMap, BTreeSet};

use toml_edit::{DocumentMut, Item, TableLike};

/// One dependency, as it resolves: what must agree between the two manifests.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Dependency {
    version: String,
    default_features: bool,
    features: BTreeSet<String>,
    optional: bool,
}

fn read(path: &std::path::Path) -> DocumentMut {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strings(table: &dyn TableLike, key: &str) -> BTreeSet<String> {
    table
        .get(key)
        .and_then(Item::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn flag(table: &dyn TableLike, key: &str, default: bool) -> bool {
    table.get(key).and_then(Item::as_bool).unwrap_or(default)
}

/// The `[dependencies]` of `manifest`, with `workspace = true` entries resolved against the
/// workspace root's `[workspace.dependencies]` (features add up, as Cargo adds them).
fn dependencies(
    manifest: &DocumentMut,
    root: Option<&DocumentMut>,
) -> BTreeMap<String, Dependency> {
    let shared = root.and_then(|r| r["workspace"]["dependencies"].as_table_like());
    let table = manifest["dependencies"]
        .as_table_like()
        .expect("a [dependencies] table");
    table
        .iter()
        .map(|(name, item)| {
            let dependency = match item.as_str() {
                Some(version) => Dependency {
                    version: version.to_string(),
                    default_features: true,
                    features: BTreeSet::new(),
                    optional: false,
                },
                None => {
                    let entry = item.as_table_like().expect("a dependency table");
                    let inherited = flag(entry, "workspace", false).then(|| {
                        let shared = shared.expect("a workspace root for `workspace = true`");
                        let base = &shared
                            .get(name)
                            .unwrap_or_else(|| panic!("`{name}` is not a workspace dependency"));
                        match base.as_str() {
                            Some(version) => (version.to_string(), true, BTreeSet::new()),
                            None => {
                                let base = base.as_table_like().expect("a dependency table");
                                (
                                    base.get("version")
                                        .and_then(Item::as_str)
                                        .unwrap_or_default()
                                        .to_string(),
                                    flag(base, "default-features", true),
                                    strings(base, "features"),
                                )
                            }
                        }
                    });
                    let (version, default_features, mut features) =
                        inherited.unwrap_or_else(|| {
                            (
                                entry
                                    .get("version")
                                    .and_then(Item::as_str)
                                    .unwrap_or_default()
                                    .to_string(),
                                flag(entry, "default-features", true),
                                BTreeSet::new(),
                            )
                        });
                    features.extend(strings(entry, "features"));
                    Dependency {
                        version,
                        default_features,
                        features,
                        optional: flag(entry, "optional", false),
                    }
                }
            };
            (name.to_string(), dependency)
        })
        .collect()
}

#[test]
fn the_generated_crate_and_the_client_ask_for_the_same_dependencies() {
    let root = xtask::workspace_root();
    let spec = std::fs::read_to_string(root.join(codegen::SPEC_PATH)).unwrap();
    let files = codegen::generate_crate(&spec, codegen::SPEC_PATH, r#"{ path = "../runtime" }"#)
        .expect("the spec generates a crate");
    let generated: DocumentMut = files
        .iter()
        .find(|f| f.path.as_os_str() == "Cargo.toml")
        .expect("a Cargo.toml")
        .contents
        .parse()
        .expect("the generated manifest parses");
    let workspace = read(&root.join("Cargo.toml"));
    let client = read(&root.join("generated-client/Cargo.toml"));

    let generated = dependencies(&generated, None);
    let client = dependencies(&client, Some(&workspace));
    assert!(generated.len() > 5, "{generated:#?}");
    let drifted: Vec<String> = generated
        .iter()
        .filter(|(name, _)| name.as_str() != "wix-runtime")
        .filter_map(|(name, wanted)| match client.get(name) {
            Some(found) if found == wanted => None,
            found => Some(format!(
                "{name}: generated crate {wanted:?}, client {found:?}"
            )),
        })
        .collect();
    assert!(drifted.is_empty(), "{drifted:#?}");
}
