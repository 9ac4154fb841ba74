//! The whole pipeline on the shipped Mailgun spec: coverage, lossless normalisation,
//! determinism, and the review of a real spec change.

use generator::ir::{Api, OperationId, TypeId};
use generator::{Files, Inputs};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};
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
    Inputs {
        spec,
        overrides: Some(overrides),
        spec_label: "spec/mailgun-openapi.yaml",
        crate_version: None,
        examples: None,
    }
}

fn raw_spec() -> Value {
    generator::load::read_value(&spec()).unwrap()
}

/// Every operation and every component schema of the spec reaches the emitted crate: an
/// operation as a method (unless the overrides file skips it, with a reason); a component as a
/// type of its own, as the type it is structurally identical to, or left out with a reason
/// (a plain `string` schema is used as `String`).
#[test]
fn every_operation_and_schema_is_generated() {
    let (spec, overrides) = (spec(), overrides());
    let api: Api = generator::load_api(inputs(&spec, &overrides)).unwrap();
    let output: Files = generator::generate(inputs(&spec, &overrides)).unwrap();
    let raw = raw_spec();
    let left_out: BTreeMap<&str, &str> = api.left_out.iter().map(|l| (l.what.as_str(), l.reason.as_str())).collect();
    for (what, reason) in &left_out {
        assert!(!reason.trim().is_empty(), "{what} is left out without a reason");
    }

    let mut operation_ids = BTreeSet::new();
    for (_, item) in raw["paths"].as_mapping().unwrap() {
        for (_, op) in item.as_mapping().unwrap() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                operation_ids.insert(id.to_owned());
            }
        }
    }
    assert_eq!(operation_ids.len(), 213, "the shipped spec has 213 operations");
    let mut missing = Vec::new();
    for id in &operation_ids {
        if left_out.contains_key(id.as_str()) {
            continue;
        }
        let Some(op) = api.operations.get(&OperationId(id.clone())) else {
            missing.push(format!("operation {id}: not in the IR"));
            continue;
        };
        let file = &output[&format!("src/apis/{}.rs", api.tags[&op.tag].module)];
        if !file.contains(&format!("pub fn {}(", op.name)) || !file.contains(&format!("Operation `{id}`.")) {
            missing.push(format!("operation {id}: no method `{}` in its tag's file", op.name));
        }
    }

    let components: Vec<String> =
        raw["components"]["schemas"].as_mapping().unwrap().keys().map(|k| k.as_str().unwrap().to_owned()).collect();
    assert_eq!(components.len(), 293, "the shipped spec has 293 schemas");
    let (mut own, mut merged, mut left) = (0, 0, 0);
    for component in &components {
        let id = TypeId(format!("#/components/schemas/{}", generator::error::escape_token(component)));
        let def = match api.types.get(&id) {
            Some(def) => {
                own += 1;
                def
            }
            None => match api.types.values().find(|d| d.merged.contains(&id)) {
                Some(def) => {
                    merged += 1;
                    def
                }
                None if left_out.contains_key(id.0.as_str()) => {
                    left += 1;
                    continue;
                }
                None => {
                    missing.push(format!("schema {component}: neither a type nor left out with a reason"));
                    continue;
                }
            },
        };
        let declared = output.get(&format!("src/types/{}.rs", def.module)).is_some_and(|text| {
            ["struct", "enum", "type"].iter().any(|kind| text.contains(&format!("pub {kind} {} ", def.name)))
        });
        let exported = output["src/types/mod.rs"].contains(&format!("pub use {}::{};", def.module, def.name));
        if !declared || !exported {
            missing.push(format!("schema {component}: type `{}` is not emitted and exported", def.name));
        }
    }
    assert!(missing.is_empty(), "not generated:\n{}", missing.join("\n"));
    println!("schemas: {own} as their own type, {merged} as an identical type, {left} left out with a reason");
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
    let doc = generator::parse::openapi(value).unwrap();
    let after = serde_json::to_value(&doc).unwrap();
    let mut lost = Vec::new();
    lost_keys(&before, &after, "#", &mut lost);
    assert!(lost.is_empty(), "openapiv3 dropped {} keys:\n{}", lost.len(), lost.join("\n"));
}

/// Without the downlevel step `openapiv3` cannot read the document at all; this is what the
/// step is for.
#[test]
fn openapiv3_rejects_the_raw_spec() {
    let untracked = generator::parse::openapi(raw_spec()).unwrap_err();
    let error = generator::parse::failure(raw_spec(), untracked);
    assert!(error.pointer.starts_with("#/components/schemas/"), "{}", error.pointer);
}

/// The IR is plain data: it serialises (YAML, JSON) and reads back equal, so a baseline can be
/// stored and compared with a later one.
#[test]
fn the_ir_serialises_and_reads_back() {
    let (spec, overrides) = (spec(), overrides());
    let api: Api = generator::load_api(inputs(&spec, &overrides)).unwrap();
    let yaml: Api = serde_yaml::from_str(&serde_yaml::to_string(&api).unwrap()).unwrap();
    assert!(yaml == api, "the YAML form reads back different");
    let json: Api = serde_json::from_str(&serde_json::to_string(&api).unwrap()).unwrap();
    assert!(json == api, "the JSON form reads back different");
}

#[test]
fn regenerating_is_byte_identical() {
    let (spec, overrides) = (spec(), overrides());
    let first = generator::generate(inputs(&spec, &overrides)).unwrap();
    let second = generator::generate(inputs(&spec, &overrides)).unwrap();
    assert!(first == second, "two runs differ");
    // Files are emitted and formatted on several threads; one thread gives the same files.
    let api = generator::load_api(inputs(&spec, &overrides)).unwrap();
    let sequential =
        generator::render::render(&api, generator::emit::emit(&api).unwrap(), "spec/mailgun-openapi.yaml").unwrap();
    assert!(first == sequential, "the parallel render differs from the sequential one");
}

/// A run given the format cache of the last one writes the same files, formatting none; a file
/// whose tokens changed is formatted again, not taken from the cache.
#[test]
fn the_format_cache_changes_no_file() {
    use generator::render::FormatCache;
    let (spec, overrides) = (spec(), overrides());
    let run = |inputs, cache: FormatCache| {
        let mut kept = None;
        let (files, _) = generator::generate_cached(inputs, || cache, |next| kept = Some(next.clone())).unwrap();
        (files, kept.expect("a cached run keeps its cache"))
    };
    let (first, cache) = run(inputs(&spec, &overrides), FormatCache::default());
    assert!(!cache.unchanged(), "a run given no cache makes one");
    // Every Rust file but the runtime's copies, which are not formatted.
    let emitted = first.keys().filter(|p| p.starts_with("src/") && p.ends_with(".rs")).count();
    assert_eq!(cache.len(), emitted - generator::render::RUNTIME.len());
    let (second, again) = run(inputs(&spec, &overrides), cache.clone());
    assert!(first == second, "a cached run differs");
    assert!(cache == again, "the cache of a run with nothing new is the same cache");
    assert!(again.unchanged(), "and it says so, so that it is not written again");

    // Another document: what changed is formatted anew, what did not is the same text.
    let older = root().join("generator/tests/mailgun-openapi-2026-04-22.yaml");
    let older = Inputs {
        spec: &older,
        overrides: None,
        spec_label: "spec/mailgun-openapi.yaml",
        crate_version: None,
        examples: None,
    };
    let fresh = generator::generate(older).unwrap();
    let (cached, changed) = run(older, cache);
    assert!(fresh == cached, "a cache from another document changed what was generated");
    assert!(!changed.unchanged());
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
    let doc = generator::parse::openapi(value).unwrap();
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
    let bad = generator::parse::openapi(bad).unwrap();
    let mut found = Vec::new();
    for (name, schema) in &bad.components.unwrap().schemas {
        degraded(schema, &format!("#/components/schemas/{name}"), &mut found);
    }
    assert_eq!(found, ["#/components/schemas/B"]);
}

/// Every place the crate says less than the Mailgun document, as `cargo xtask codegen
/// --report-degraded` lists it: a reviewer reads this file's diff.
#[test]
fn the_degradation_report_of_the_mailgun_spec() {
    let (spec, overrides) = (spec(), overrides());
    let (_, degraded) = generator::generate_reporting(inputs(&spec, &overrides)).unwrap();
    let text: String = degraded.iter().map(|d| format!("{d}\n")).collect();
    expectorate::assert_contents("tests/golden/degraded-mailgun.txt", &text);
    // Typos and ignored keywords are corrected in the overrides, so none is left.
    assert!(degraded.iter().all(|d| d.kind != generator::report::DegradedKind::Ignored), "{text}");
}

/// Every method's docs end with an example that calls it (a `no_run` doctest, which
/// `cargo test` compiles for the shipped crate, all of them in one merged binary).
#[test]
fn every_method_has_an_example_of_its_call() {
    let (spec, overrides) = (spec(), overrides());
    let api: Api = generator::load_api(inputs(&spec, &overrides)).unwrap();
    let output: Files = generator::generate(inputs(&spec, &overrides)).unwrap();
    let mut without = Vec::new();
    for op in api.operations.values() {
        let file = &output[&format!("src/apis/{}.rs", api.tags[&op.tag].module)];
        let method = format!("    pub fn {}(", op.name);
        let at = file.find(&method).unwrap_or_else(|| panic!("no method {}", op.name));
        // The method's doc comment: the `///` lines right above it.
        let docs: Vec<&str> = file[..at]
            .lines()
            .rev()
            .skip_while(|l| l.trim_start().starts_with("#["))
            .take_while(|l| l.trim_start().starts_with("///"))
            .collect();
        let docs: String = docs.into_iter().rev().collect::<Vec<_>>().join("\n");
        let example = docs.split_once("/// ```no_run").map(|(_, code)| code);
        if !example.is_some_and(|code| code.contains(&format!(".{}(", op.name))) {
            without.push(op.id.0.clone());
        }
    }
    assert_eq!(api.operations.len(), 213);
    assert!(without.is_empty(), "methods without an example of their call: {without:?}");
}

/// Every operation the spec deprecates says what replaces it: the call its description names,
/// or the overrides file's `replaced_by`.
#[test]
fn every_deprecated_operation_names_its_replacement() {
    let (spec, overrides) = (spec(), overrides());
    let api: Api = generator::load_api(inputs(&spec, &overrides)).unwrap();
    let deprecated: Vec<_> = api.operations.values().filter(|op| op.deprecated).collect();
    // 24 the spec marks, and the Events API, which only its tag's description deprecates.
    assert_eq!(deprecated.len(), 25);
    let without: Vec<&str> =
        deprecated.iter().filter(|op| op.replaced_by.is_none()).map(|op| op.id.0.as_str()).collect();
    assert!(without.is_empty(), "deprecated operations with no replacement: {without:?}");
    let events = &api.operations[&OperationId("GET-v1-bounce-classification-domains--domain--events".to_owned())];
    assert_eq!(
        events.replaced_by,
        Some(generator::ir::Replacement::Operation(OperationId("POST-v1-analytics-logs".to_owned()))),
        "read from its description"
    );
}
