//! The whole pipeline on the shipped Mailgun spec: coverage, lossless normalisation,
//! determinism, and the review of a real spec change.

use generator::ir::Api;
use generator::{Inputs, Output};
use serde_yaml::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec() -> PathBuf {
    root().join("spec/mailgun-openapi.yaml")
}

fn overrides() -> PathBuf {
    root().join("spec/overrides.yaml")
}

fn inputs<'a>(spec: &'a std::path::Path, overrides: &'a std::path::Path) -> Inputs<'a> {
    Inputs { spec, overrides: Some(overrides), spec_label: "spec/mailgun-openapi.yaml" }
}

fn raw_spec() -> Value {
    generator::load::read_value(&spec()).unwrap()
}

/// Every operationId and every component schema of the spec reaches the IR and the emitted
/// crate, unless the overrides file skips it with a reason.
#[test]
fn every_operation_and_schema_is_generated() {
    let (spec, overrides) = (spec(), overrides());
    let api: Api = generator::load_api(inputs(&spec, &overrides)).unwrap();
    let output: Output = generator::generate(inputs(&spec, &overrides)).unwrap();
    let raw = raw_spec();

    let mut operation_ids = BTreeSet::new();
    for (_, item) in raw["paths"].as_mapping().unwrap() {
        for (_, op) in item.as_mapping().unwrap() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                operation_ids.insert(id.to_owned());
            }
        }
    }
    assert_eq!(operation_ids.len(), 213, "the shipped spec has 213 operations");
    let skipped: BTreeSet<&str> = api.skipped.iter().map(|s| s.what.as_str()).collect();
    for skip in &api.skipped {
        assert!(!skip.reason.trim().is_empty(), "{} is skipped without a reason", skip.what);
    }
    let mut missing = Vec::new();
    for id in &operation_ids {
        if skipped.contains(id.as_str()) {
            continue;
        }
        let Some(op) = api.operations.iter().find(|op| &op.id == id) else {
            missing.push(format!("operation {id}: not in the IR"));
            continue;
        };
        let file = &output[&format!("src/apis/{}.rs", op.tag)];
        if !file.contains(&format!("pub fn {}(", op.name)) || !file.contains(&format!("Operation `{id}`.")) {
            missing.push(format!("operation {id}: no method `{}` in apis/{}.rs", op.name, op.tag));
        }
    }

    let components: Vec<String> =
        raw["components"]["schemas"].as_mapping().unwrap().keys().map(|k| k.as_str().unwrap().to_owned()).collect();
    assert_eq!(components.len(), 293, "the shipped spec has 293 schemas");
    for component in &components {
        let Some(def) = api.types.values().find(|d| d.component.as_deref() == Some(component.as_str())) else {
            missing.push(format!("schema {component}: not in the IR"));
            continue;
        };
        let module = generator::naming::snake_or(def.name.as_str(), "ty");
        let declared = output.get(&format!("src/types/{module}.rs")).is_some_and(|text| {
            ["struct", "enum", "type"].iter().any(|kind| text.contains(&format!("pub {kind} {} ", def.name)))
        });
        if !declared || !output["src/types/mod.rs"].contains(&format!("pub use {module}::{};", def.name)) {
            missing.push(format!("schema {component}: type `{}` is not emitted and exported", def.name));
        }
    }
    assert!(missing.is_empty(), "not generated:\n{}", missing.join("\n"));
}

/// Keys of `before` that `after` lost, as JSON pointers. Values are compared structurally
/// only as far as presence goes: `openapiv3` may normalise how a value is written, but it
/// must not drop it.
fn lost_keys(before: &serde_json::Value, after: &serde_json::Value, pointer: &str, out: &mut Vec<String>) {
    match (before, after) {
        (serde_json::Value::Object(b), serde_json::Value::Object(a)) => {
            for (key, value) in b {
                let here = format!("{pointer}/{}", generator::error::escape_token(key));
                match a.get(key) {
                    Some(kept) => lost_keys(value, kept, &here, out),
                    // A default (`false`, `[]`, `{}`) is the same as no key.
                    None if is_default(value) => {}
                    None => out.push(here),
                }
            }
        }
        (serde_json::Value::Array(b), serde_json::Value::Array(a)) => {
            if b.len() != a.len() {
                out.push(format!("{pointer} (list of {} became {})", b.len(), a.len()));
            }
            for (i, (value, kept)) in b.iter().zip(a).enumerate() {
                lost_keys(value, kept, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn is_default(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Bool(b) => !b,
        serde_json::Value::Array(a) => a.is_empty(),
        serde_json::Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// After the 3.1 → 3.0 rules, `openapiv3` reads the whole Mailgun document without dropping
/// a single keyword: what it serialises back holds every key that went in.
#[test]
fn downlevelled_spec_loses_nothing_in_openapiv3() {
    let mut value = raw_spec();
    generator::downlevel::downlevel(&mut value).unwrap();
    let before: serde_json::Value = serde_json::to_value(&value).unwrap();
    let doc = generator::to_openapi(value).unwrap();
    let after = serde_json::to_value(&doc).unwrap();
    let mut lost = Vec::new();
    lost_keys(&before, &after, "#", &mut lost);
    assert!(lost.is_empty(), "openapiv3 dropped {} keys:\n{}", lost.len(), lost.join("\n"));
}

/// Without the downlevel step `openapiv3` cannot read the document at all; this is what the
/// step is for.
#[test]
fn openapiv3_rejects_the_raw_spec() {
    let error = generator::to_openapi(raw_spec()).unwrap_err();
    assert!(error.pointer.starts_with("#/components/schemas/"), "{}", error.pointer);
}

#[test]
fn regenerating_is_byte_identical() {
    let (spec, overrides) = (spec(), overrides());
    let first = generator::generate(inputs(&spec, &overrides)).unwrap();
    let second = generator::generate(inputs(&spec, &overrides)).unwrap();
    assert!(first == second, "two runs differ");
}

/// The 2026-04-22 → 2026-05-28 change only adds operations and schemas, so the generated Rust
/// must only gain lines: no file disappears, no existing line changes or moves. This is what
/// keeps names stable (a new `Response` schema must not rename the old one).
#[test]
fn an_additive_spec_change_gives_an_additive_code_diff() {
    let old_spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/mailgun-openapi-2026-04-22.yaml");
    let (spec, overrides) = (spec(), overrides());
    let old = generator::generate(inputs(&old_spec, &overrides)).unwrap();
    let new = generator::generate(inputs(&spec, &overrides)).unwrap();
    let mut problems = Vec::new();
    // The README's summary counts change with the spec; the Rust API must not.
    for (path, old_text) in old.iter().filter(|(path, _)| path.ends_with(".rs")) {
        let Some(new_text) = new.get(path) else {
            problems.push(format!("{path} disappeared"));
            continue;
        };
        // Every old line must appear in the new file, in order.
        let mut new_lines = new_text.lines();
        for line in old_text.lines() {
            if !new_lines.any(|candidate| candidate == line) {
                problems.push(format!("{path}: line changed or moved: {line}"));
                break;
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let added: Vec<&String> = new.keys().filter(|path| !old.contains_key(*path)).collect();
    // 8 new schemas (one file each), the inline types of the 3 new operations, 3 new tags.
    assert!(added.iter().filter(|p| p.starts_with("src/apis/")).count() == 3, "{added:?}");
    assert!(added.iter().filter(|p| p.starts_with("src/types/")).count() >= 8, "{added:?}");
}

/// Pointers of schema nodes that `openapiv3` could not classify: `SchemaKind::Any` with any
/// keyword set. (An empty schema, `{}`, is a legitimate "any value".)
fn degraded(schema: &openapiv3::ReferenceOr<openapiv3::Schema>, pointer: &str, out: &mut Vec<String>) {
    use openapiv3::{ReferenceOr, SchemaKind, Type};
    let ReferenceOr::Item(schema) = schema else { return };
    let boxed = |b: &ReferenceOr<Box<openapiv3::Schema>>| match b {
        ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
    };
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            if serde_json::to_value(any).unwrap().as_object().is_some_and(|o| !o.is_empty()) {
                out.push(pointer.to_owned());
            }
        }
        SchemaKind::Type(Type::Object(object)) => {
            for (name, prop) in &object.properties {
                degraded(&boxed(prop), &format!("{pointer}/properties/{name}"), out);
            }
            if let Some(openapiv3::AdditionalProperties::Schema(value)) = &object.additional_properties {
                degraded(value, &format!("{pointer}/additionalProperties"), out);
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(items) = &array.items {
                degraded(&boxed(items), &format!("{pointer}/items"), out);
            }
        }
        SchemaKind::AllOf { all_of: members }
        | SchemaKind::OneOf { one_of: members }
        | SchemaKind::AnyOf { any_of: members } => {
            for (i, member) in members.iter().enumerate() {
                degraded(member, &format!("{pointer}/{i}"), out);
            }
        }
        SchemaKind::Not { not } => degraded(not, &format!("{pointer}/not"), out),
        SchemaKind::Type(_) => {}
    }
}

/// After the downlevel rules, not one schema node of the Mailgun spec is left untyped.
#[test]
fn no_schema_degrades_to_any() {
    let mut value = raw_spec();
    generator::downlevel::downlevel(&mut value).unwrap();
    let doc = generator::to_openapi(value).unwrap();
    let mut found = Vec::new();
    let mut schemas = 0;
    for (name, schema) in &doc.components.as_ref().unwrap().schemas {
        degraded(schema, &format!("#/components/schemas/{name}"), &mut found);
        schemas += 1;
    }
    for (path, item) in doc.paths.iter() {
        let openapiv3::ReferenceOr::Item(item) = item else { continue };
        for (method, op) in item.iter() {
            let at = format!("#/paths/{path}/{method}");
            for param in op.parameters.iter().chain(&item.parameters) {
                if let openapiv3::ReferenceOr::Item(param) = param {
                    if let openapiv3::ParameterSchemaOrContent::Schema(s) = &param.parameter_data_ref().format {
                        degraded(s, &format!("{at}/parameters/{}", param.parameter_data_ref().name), &mut found);
                    }
                }
            }
            if let Some(openapiv3::ReferenceOr::Item(body)) = &op.request_body {
                for (media, m) in &body.content {
                    if let Some(s) = &m.schema {
                        degraded(s, &format!("{at}/requestBody/{media}"), &mut found);
                    }
                }
            }
            for (status, response) in &op.responses.responses {
                if let openapiv3::ReferenceOr::Item(response) = response {
                    for (media, m) in &response.content {
                        if let Some(s) = &m.schema {
                            degraded(s, &format!("{at}/responses/{status}/{media}"), &mut found);
                        }
                    }
                }
            }
        }
    }
    assert_eq!(schemas, 293);
    assert!(found.is_empty(), "{} schema nodes degraded to Any:\n{}", found.len(), found.join("\n"));

    // The census does find degraded nodes: `type` beside `allOf` (which the downlevel step
    // removes) makes openapiv3 fall back to Any.
    let bad: Value = serde_yaml::from_str(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n    B: {type: object, allOf: [{$ref: '#/components/schemas/A'}]}",
    )
    .unwrap();
    let bad = generator::to_openapi(bad).unwrap();
    let mut found = Vec::new();
    for (name, schema) in &bad.components.unwrap().schemas {
        degraded(schema, &format!("#/components/schemas/{name}"), &mut found);
    }
    assert_eq!(found, ["#/components/schemas/B"]);
}
