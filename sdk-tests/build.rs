//! Builds what the contract and answer tests need from `spec/`: every operation's example call,
//! raw and read with everything its answer held, and every response example (made by the
//! generator from the same IR as the crate), and the copy of the spec Prism is served.

use generator::overrides::Overrides;
use generator::Inputs;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("sdk-tests sits in the workspace").to_owned();
    let spec = root.join("spec/mailgun-openapi.yaml");
    let overrides = root.join("spec/overrides.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    println!("cargo:rerun-if-changed={}", overrides.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let inputs = Inputs {
        spec: &spec,
        overrides: Some(&overrides),
        spec_label: "spec/mailgun-openapi.yaml",
        crate_version: None,
        examples: None,
    };

    let api = generator::load_api(inputs).unwrap_or_else(|e| panic!("{e}"));
    let calls = generator::emit::harness::contract_calls(&api);
    let calls = generator::render::format_rust("contract_calls.rs", calls).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join("contract_calls.rs"), calls).expect("write the calls");
    let answers = generator::emit::harness::answer_calls(&api);
    let answers = generator::render::format_rust("answer_calls.rs", answers).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join("answer_calls.rs"), answers).expect("write the answer calls");
    let builders = generator::emit::harness::builder_debug_texts(&api);
    let builders = generator::render::format_rust("builders.rs", builders).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join("builders.rs"), builders).expect("write the builders");

    let rules = generator::read_overrides(inputs).unwrap_or_else(|e| panic!("{e}"));
    let document = prism_document(&spec, &rules);
    let text = serde_json::to_string_pretty(&document).expect("JSON");
    std::fs::write(out.join("prism-spec.json"), text).expect("write the spec copy");
}

/// The spec as the client is generated from it (the overrides' corrections applied, and the
/// generator's own 3.1 → 3.0 rewrite, so that Prism validates against the very reading the client
/// was generated from: `type: object` beside an `allOf` of a string enum, say), with two
/// changes Prism needs to read form bodies as Mailgun does:
/// - every array property of a form body gets an `encoding` entry (`style: form`,
///   `explode: true`): without one Prism reads each field as one string, so a repeated field
///   could never validate (and `allowReserved`, or Prism refuses an `@` in an address);
/// - `application/form-data` (not a registered media type; Mailgun reads it as multipart) is
///   presented as `multipart/form-data`, which Prism parses;
/// - a form property whose value is JSON text (the `members` of the JSON upload) is presented as
///   the text it is: Prism reads a form field as text, whatever its `encoding` says.
fn prism_document(spec: &Path, overrides: &Overrides) -> Value {
    let mut document = generator::load::read_value(spec).unwrap_or_else(|e| panic!("{e}"));
    overrides.apply_patches(&mut document).unwrap_or_else(|e| panic!("{e:?}"));
    generator::downlevel::downlevel(&mut document).unwrap_or_else(|e| panic!("{e:?}"));
    let mut document = serde_json::to_value(&document).expect("a YAML document is JSON");
    let schemas = document.pointer("/components/schemas").cloned().unwrap_or(Value::Null);
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return document };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for operation in item.values_mut().filter_map(Value::as_object_mut) {
            let Some(content) = operation.get_mut("requestBody").and_then(|b| b.get_mut("content")) else { continue };
            let Some(content) = content.as_object_mut() else { continue };
            if let Some(form_data) = content.remove("application/form-data") {
                content.entry("multipart/form-data").or_insert(form_data);
            }
            for (media, entry) in content.iter_mut() {
                if media != "multipart/form-data" && media != "application/x-www-form-urlencoded" {
                    continue;
                }
                let json_text: Vec<String> = entry
                    .get("encoding")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter(|(_, e)| e.get("contentType") == Some(&json!("application/json")))
                    .map(|(name, _)| name.clone())
                    .collect();
                for name in json_text {
                    let token = name.replace('~', "~0").replace('/', "~1");
                    if let Some(property) = entry.pointer_mut(&format!("/schema/properties/{token}")) {
                        *property = json!({ "type": "string" });
                    }
                }
                let properties = entry.get("schema").map(|s| resolve(s, &schemas)).and_then(|s| s.get("properties"));
                let arrays: Vec<String> = properties
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter(|(_, p)| resolve(p, &schemas).get("type") == Some(&json!("array")))
                    .map(|(name, _)| name.clone())
                    .collect();
                for name in arrays {
                    let encoding = entry.as_object_mut().expect("a media type is an object").entry("encoding");
                    let encoding = encoding.or_insert_with(|| json!({}));
                    encoding[&name] = json!({ "style": "form", "explode": true, "allowReserved": true });
                }
            }
        }
    }
    document
}

/// A schema, through a `$ref` to a component.
fn resolve<'a>(schema: &'a Value, schemas: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => schemas.get(name).unwrap_or(schema),
        None => schema,
    }
}
