//! The spec diff: the report for the two published Mailgun versions (golden), the code diff of
//! that additive change, and one small document per kind of change, breaking ones among them,
//! each with the effect it must have on the Rust API.
//!
//! Every case is kept under `target/spec-diff-cases/` and run through cargo-semver-checks by
//! `cargo xtask test` when it is installed (`cargo xtask semver-checks` alone). With 0.51.0, on
//! the 34 cases: it asks for a major release in exactly the cases asserted `Level::Major` here,
//! except four it cannot see, which the report marks † (`semver_checks_verdict` is then lower):
//! the type of a parameter, a field and an answer changed, and a type no longer compiled with
//! one feature alone (it builds with every feature). It asks for a minor release for a
//! deprecation, and for nothing where we say minor for an addition. Its lints here:
//! `inherent_method_missing` and `struct_missing` (call removed, renamed, moved to another tag or
//! path), `method_parameter_count_changed` (required parameter or field added, parameter or
//! field becoming required or optional or nullable, body removed), `struct_pub_field_missing`,
//! `enum_variant_missing`.

use generator::diff::{self, Level, Report};
use generator::{ir::Api, Inputs};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(spec: &Path, overrides: Option<&Path>) -> Api {
    generator::load_api(Inputs { spec, overrides, spec_label: "spec.yaml", crate_version: None, examples: None })
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The two published versions, and the overrides of each: the shipped ones for the newer, and
/// for the older the same less the corrections of what it does not have yet (a schema added in
/// the newer version), as they would have been shipped with it.
fn published() -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let root = manifest_dir().join("..");
    let old = manifest_dir().join("tests/mailgun-openapi-2026-04-22.yaml");
    let overrides = root.join("spec/overrides.yaml");
    let old_overrides = overrides_for(&old, &overrides);
    (old, root.join("spec/mailgun-openapi.yaml"), old_overrides, overrides)
}

/// The overrides file without the patches that do not apply to `spec`, written beside the tests'
/// other documents.
fn overrides_for(spec: &Path, overrides: &Path) -> PathBuf {
    let mut doc = generator::load::read_value(spec).unwrap();
    let text = std::fs::read_to_string(overrides).unwrap();
    let mut all: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let patches = all["patches"].as_sequence().cloned().unwrap_or_default();
    let applies = |doc: &mut serde_yaml::Value, patch: &serde_yaml::Value| {
        let one = serde_yaml::to_value(std::collections::BTreeMap::from([("patches", vec![patch.clone()])])).unwrap();
        let one = generator::overrides::Overrides::from_value(one).unwrap();
        let mut tried = doc.clone();
        let ok = one.apply_patches(&mut tried).is_ok();
        if ok {
            *doc = tried;
        }
        ok
    };
    let kept: Vec<serde_yaml::Value> = patches.into_iter().filter(|p| applies(&mut doc, p)).collect();
    all["patches"] = serde_yaml::Value::Sequence(kept);
    let dir = std::env::temp_dir().join(format!("spec-diff-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("old-overrides.yaml");
    std::fs::write(&path, serde_yaml::to_string(&all).unwrap()).unwrap();
    path
}

#[test]
fn report_for_the_published_versions() {
    let (old, new, old_overrides, overrides) = published();
    let report = diff::compare(&load(&old, Some(&old_overrides)), &load(&new, Some(&overrides))).unwrap();
    expectorate::assert_contents("tests/golden/spec-diff-2026-04-22-to-2026-05-28.md", &report.markdown().unwrap());
    assert_eq!(report.verdict(), Level::Minor);
    assert_eq!(report.semver_checks_verdict(), Level::Minor);
    let count = |section: diff::Section, group: diff::Group| {
        report.changes.iter().filter(|c| c.section == section && c.group == group).count()
    };
    assert_eq!(count(diff::Section::Operations, diff::Group::Added), 3);
    assert_eq!(count(diff::Section::Operations, diff::Group::Removed), 0);
    assert_eq!(count(diff::Section::Types, diff::Group::Removed), 0);
    assert!(report.changes.iter().all(|c| c.level != Level::Major), "{}", report.summary(50));
    assert!(report.unexplained.is_empty(), "{}", report.summary(50));
}

/// Regenerating for an additive spec change adds lines and files; it changes no existing line
/// except in the files that list modules and re-exports (`mod.rs`, the README's table, and
/// the crate's features in `Cargo.toml`: a type a new call uses is compiled with its feature
/// too). No file disappears, and no existing name changes (a new `Response` schema must not
/// rename the old one).
#[test]
fn an_additive_spec_change_gives_an_additive_code_diff() {
    let (old, new, old_overrides, overrides) = published();
    let generate = |spec: &Path, overrides: &Path| {
        generator::generate(Inputs {
            spec,
            overrides: Some(overrides),
            spec_label: "spec/mailgun-openapi.yaml",
            crate_version: None,
            examples: None,
        })
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let (before, after) = (generate(&old, &old_overrides), generate(&new, &overrides));
    assert_additive(&before, &after);
    let added: Vec<&str> = after.keys().filter(|path| !before.contains_key(*path)).map(String::as_str).collect();
    // 3 new tags (each a module of calls and one of the test double's requests); of the 8 new
    // schemas, the 2 `Inbox_Placement_Testing_` copies are the types
    // they copy, and the others are one file each, with the objects two of them write in place
    // (one of those, the validation's `parts`, from a correction in the overrides).
    assert_eq!(
        added,
        [
            "src/apis/email_preview.rs",
            "src/apis/inbox_placement.rs",
            "src/apis/validations.rs",
            "src/mock/requests/email_preview.rs",
            "src/mock/requests/inbox_placement.rs",
            "src/mock/requests/validations.rs",
            "src/types/email_preview_error.rs",
            "src/types/engagement_data.rs",
            "src/types/error_response.rs",
            "src/types/get_test_results_response.rs",
            "src/types/test_result.rs",
            "src/types/test_result_status_details.rs",
            "src/types/validation_response.rs",
            "src/types/validation_response_parts.rs",
        ]
    );
}

/// The same for a small change inside existing files: a call added to a tag that has calls,
/// and an optional field added to a type.
#[test]
fn a_call_and_a_field_added_to_existing_files_only_add_lines() {
    let mut new = base();
    new["paths"]["/things/{id}/parts"] = json!({"get": {
        "operationId": "listParts", "tags": ["Things"],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingList"}}}}}
    }});
    new["components"]["schemas"]["Thing"]["properties"]["weight"] = json!({"type": "number"});
    let generate = |doc: &Value, name: &str| {
        let path = write_doc(doc, name);
        generator::generate(Inputs {
            spec: &path,
            overrides: None,
            spec_label: "spec.json",
            crate_version: None,
            examples: None,
        })
        .unwrap()
    };
    let (before, after) = (generate(&base(), "additive-old"), generate(&new, "additive-new"));
    assert_additive(&before, &after);
}

fn assert_additive(before: &generator::Files, after: &generator::Files) {
    // `spec.rs` and the README also carry the fingerprint of the spec, which any change moves.
    let lists =
        |path: &str| path.ends_with("mod.rs") || path == "README.md" || path == "Cargo.toml" || path == "src/spec.rs";
    for (path, old_text) in before {
        let new_text = after.get(path).unwrap_or_else(|| panic!("{path} is no longer generated"));
        if lists(path) {
            continue;
        }
        // Every old line is still there, in order: the new file only inserts lines.
        let mut new_lines = new_text.lines();
        for line in old_text.lines() {
            assert!(new_lines.any(|l| l == line), "{path}: the line `{line}` changed or moved");
        }
    }
}

/// A small API: a tag of four calls over one resource.
fn base() -> Value {
    let string = json!({"type": "string"});
    let thing = json!({"$ref": "#/components/schemas/Thing"});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "tags": [{"name": "Things"}, {"name": "Admin"}],
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings", "tags": ["Things"],
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingList"}}}}}
                },
                "post": {
                    "operationId": "createThing", "tags": ["Things"],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}}
                }
            },
            "/things/{id}": {
                "get": {
                    "operationId": "getThing", "tags": ["Things"],
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": string}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": thing}}}}
                },
                "delete": {
                    "operationId": "deleteThing", "tags": ["Things"],
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": string}],
                    "responses": {"204": {"description": "gone"}}
                }
            }
        },
        "components": {"schemas": {
            "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": string, "name": string, "colour": {"$ref": "#/components/schemas/Colour"}, "size": {"type": "integer"}
            }},
            "ThingList": {"type": "object", "properties": {"items": {"type": "array", "items": thing}}},
            "NewThing": {"type": "object", "required": ["name"], "properties": {
                "name": string, "colour": {"$ref": "#/components/schemas/Colour"}
            }},
            "Colour": {"type": "string", "enum": ["red", "green"]}
        }}
    })
}

fn write_doc(doc: &Value, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("spec-diff-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    path
}

fn diff_of(name: &str, change: impl FnOnce(&mut Value)) -> Report {
    diff_with(name, change, None)
}

/// The base document against a changed copy, the copy generated with `overrides` if given.
fn diff_with(name: &str, change: impl FnOnce(&mut Value), overrides: Option<&str>) -> Report {
    let mut new = base();
    change(&mut new);
    diff_docs(name, &base(), &new, overrides)
}

/// Two documents compared. Each case is also kept under `target/spec-diff-cases/NAME/`, with
/// the verdict, for `cargo xtask test` to run cargo-semver-checks on when it is installed.
fn diff_docs(name: &str, old: &Value, new: &Value, overrides: Option<&str>) -> Report {
    let case = manifest_dir().join("../target/spec-diff-cases").join(name);
    let _ = std::fs::remove_dir_all(&case);
    std::fs::create_dir_all(&case).unwrap();
    let write = |file: &str, doc: &Value| {
        let path = case.join(file);
        std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
        path
    };
    let (old, new) = (write("old.json", old), write("new.json", new));
    let overrides = overrides.map(|text| {
        let path = case.join("new-overrides.yaml");
        std::fs::write(&path, text).unwrap();
        path
    });
    let report = diff::compare(&load(&old, None), &load(&new, overrides.as_deref())).unwrap();
    let verdict = json!({
        "verdict": report.verdict().as_str(),
        "semver_checks_verdict": report.semver_checks_verdict().as_str(),
        "version": diff::next_version(&semver::Version::new(0, 4, 2), report.verdict()).to_string(),
    });
    write("verdict.json", &verdict);
    report
}

/// Asserts the report has a change containing `text`, with `level`, that the verdict is
/// `level` too, and that a crate at 0.4.2 is released as `version` for it.
#[track_caller]
fn expect(report: &Report, text: &str, level: Level, version: &str) {
    let found = report.changes.iter().find(|c| format!("{} {}", c.subject, c.text).contains(text));
    let Some(change) = found else { panic!("no change like `{text}` in:\n{}", report.summary(50)) };
    assert_eq!(change.level, level, "`{text}` in:\n{}", report.summary(50));
    assert_eq!(report.verdict(), level, "verdict of:\n{}", report.summary(50));
    assert!(report.unexplained.is_empty(), "unexplained:\n{}", report.summary(50));
    let released = diff::next_version(&semver::Version::new(0, 4, 2), report.verdict());
    assert_eq!(released.to_string(), version, "the release after 0.4.2 for:\n{}", report.summary(50));
}

fn op<'a>(doc: &'a mut Value, path: &str, method: &str) -> &'a mut Value {
    &mut doc["paths"][path][method]
}

/// Adds a parameter to `listThings`.
fn list_param(doc: &mut Value, param: Value) {
    op(doc, "/things", "get")["parameters"].as_array_mut().unwrap().push(param);
}

fn schema<'a>(doc: &'a mut Value, name: &str) -> &'a mut Value {
    &mut doc["components"]["schemas"][name]
}

#[test]
fn nothing_changed() {
    let report = diff_of("same", |_| {});
    assert!(report.changes.is_empty() && report.unexplained.is_empty());
    assert_eq!(report.verdict(), Level::Patch);
    assert!(report.markdown().unwrap().contains("Nothing changed in the API."));
}

#[test]
fn operation_added_is_additive() {
    let report = diff_of("op-added", |d| {
        d["paths"]["/things/{id}/archive"] = json!({"post": {"operationId": "archiveThing", "tags": ["Things"],
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "done"}}}});
    });
    expect(&report, "archiveThing `POST /things/{id}/archive`", Level::Minor, "0.4.3");
}

#[test]
fn operation_removed_is_breaking() {
    let report = diff_of("op-removed", |d| {
        d["paths"]["/things/{id}"].as_object_mut().unwrap().remove("delete");
    });
    expect(&report, "deleteThing `DELETE /things/{id}`: `Client::delete_thing`", Level::Major, "0.5.0");
}

#[test]
fn operation_deprecated_is_additive() {
    let report = diff_of("op-deprecated", |d| op(d, "/things/{id}", "delete")["deprecated"] = json!(true));
    expect(&report, "deleteThing is deprecated", Level::Minor, "0.4.3");
}

#[test]
fn operation_moved_to_another_tag_is_breaking() {
    let report = diff_of("op-tag", |d| op(d, "/things/{id}", "delete")["tags"] = json!(["Admin"]));
    expect(&report, "moves from tag `Things` to `Admin`", Level::Major, "0.5.0");
}

#[test]
fn operation_renamed_is_breaking() {
    let report = diff_with("op-renamed", |_| {}, Some("operations:\n  deleteThing: {name: remove_thing}\n"));
    expect(&report, "method `delete_thing` is renamed `remove_thing`", Level::Major, "0.5.0");
}

#[test]
fn operation_at_a_new_address_is_sent_there_and_renamed_after_it() {
    let report = diff_of("op-path", |d| {
        let delete = d["paths"]["/things/{id}"].as_object_mut().unwrap().remove("delete").unwrap();
        d["paths"]["/items/{id}"] = json!({"delete": delete});
    });
    // The address alone changes nothing a caller writes; the method's name comes from the path.
    let moved = report.changes.iter().find(|c| c.text.contains("is sent as `DELETE /items/{id}`")).unwrap();
    assert_eq!(moved.level, Level::Patch);
    expect(
        &report,
        "method `delete_thing` is renamed `delete_item`, its builder `DeleteThing` `DeleteItem`",
        Level::Major,
        "0.5.0",
    );
}

#[test]
fn required_parameter_added_is_breaking() {
    let report = diff_of("param-required", |d| {
        list_param(d, json!({"name": "owner", "in": "query", "required": true, "schema": {"type": "string"}}));
    });
    expect(&report, "new required query parameter `owner`", Level::Major, "0.5.0");
}

#[test]
fn optional_parameter_added_is_additive() {
    let report = diff_of("param-optional", |d| {
        list_param(d, json!({"name": "owner", "in": "query", "schema": {"type": "string"}}));
    });
    expect(&report, "new optional query parameter `owner`, set with `owner`", Level::Minor, "0.4.3");
}

#[test]
fn parameter_removed_is_breaking() {
    let report = diff_of("param-removed", |d| op(d, "/things", "get")["parameters"] = json!([]));
    expect(&report, "optional query parameter `limit` is removed", Level::Major, "0.5.0");
}

#[test]
fn parameter_type_changed_is_breaking_where_cargo_semver_checks_cannot_see_it() {
    let report =
        diff_of("param-type", |d| op(d, "/things", "get")["parameters"][0]["schema"] = json!({"type": "string"}));
    expect(&report, "query parameter `limit` takes `String` instead of `i64`", Level::Major, "0.5.0");
    assert_eq!(report.semver_checks_verdict(), Level::Patch);
    assert!(report
        .markdown()
        .unwrap()
        .contains("will not report the breaking changes marked †; without them this would be `patch`"));
}

#[test]
fn parameter_becoming_required_is_breaking() {
    let report = diff_of("param-required-now", |d| op(d, "/things", "get")["parameters"][0]["required"] = json!(true));
    expect(&report, "query parameter `limit` becomes required", Level::Major, "0.5.0");
}

#[test]
fn parameter_moved_to_a_header_changes_only_the_wire() {
    let report = diff_of("param-location", |d| op(d, "/things", "get")["parameters"][0]["in"] = json!("header"));
    expect(&report, "query parameter `limit` is sent in the headers now", Level::Patch, "0.4.3");
}

#[test]
fn body_encoding_changed_changes_only_the_wire() {
    let report = diff_of("body-encoding", |d| {
        let content = &mut op(d, "/things", "post")["requestBody"]["content"];
        let json = content.as_object_mut().unwrap().remove("application/json").unwrap();
        content["application/x-www-form-urlencoded"] = json;
    });
    expect(
        &report,
        "sends its body as application/x-www-form-urlencoded instead of application/json",
        Level::Patch,
        "0.4.3",
    );
}

#[test]
fn body_removed_is_breaking() {
    let report = diff_of("body-removed", |d| {
        op(d, "/things", "post").as_object_mut().unwrap().remove("requestBody");
    });
    expect(&report, "takes no request body any more", Level::Major, "0.5.0");
}

#[test]
fn success_answer_changed_is_breaking() {
    let report = diff_of("answer-type", |d| {
        op(d, "/things/{id}", "get")["responses"]["200"]["content"]["application/json"]["schema"] =
            json!({"type": "string"});
    });
    expect(&report, "`send` returns `String` instead of `Thing`", Level::Major, "0.5.0");
}

#[test]
fn error_answer_added_is_additive() {
    let report = diff_of("answer-added", |d| {
        op(d, "/things/{id}", "get")["responses"]["404"] = json!({"description": "missing",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}}});
        schema(d, "Missing")["type"] = json!("object");
        schema(d, "Missing")["properties"] = json!({"message": {"type": "string"}});
    });
    expect(&report, "documents a new `404` answer (`Missing`)", Level::Minor, "0.4.3");
}

#[test]
fn type_removed_is_breaking() {
    let report = diff_of("type-removed", |d| {
        op(d, "/things", "get")["responses"]["200"]["content"]["application/json"]["schema"] =
            json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}});
        d["components"]["schemas"].as_object_mut().unwrap().remove("ThingList");
    });
    expect(&report, "ThingList from `#/components/schemas/ThingList`", Level::Major, "0.5.0");
}

#[test]
fn a_second_type_of_the_same_name_is_qualified_and_the_first_keeps_its_name() {
    let report = diff_of("type-renamed", |d| {
        schema(d, "github.com-acme-admin-Thing")["type"] = json!("object");
        schema(d, "github.com-acme-admin-Thing")["properties"] = json!({"admin": {"type": "boolean"}});
        d["paths"]["/admin/things"] = json!({"get": {"operationId": "listAdminThings", "tags": ["Admin"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/github.com-acme-admin-Thing"}}}}}}});
    });
    expect(&report, "AdminThing from `#/components/schemas/github.com-acme-admin-Thing`", Level::Minor, "0.4.3");
    assert!(!report.changes.iter().any(|c| c.text.contains("is renamed")), "{}", report.summary(20));
}

#[test]
fn type_renamed_by_an_override_is_breaking() {
    let report = diff_with("type-override", |_| {}, Some("schemas:\n  Thing: {name: Item}\n"));
    expect(&report, "is renamed: `Thing` became `Item`", Level::Major, "0.5.0");
}

#[test]
fn optional_field_added_to_an_answer_type_is_additive() {
    let report = diff_of("field-added", |d| schema(d, "Thing")["properties"]["weight"] = json!({"type": "number"}));
    expect(&report, "new optional field `weight`: `weight: f64`", Level::Minor, "0.4.3");
}

#[test]
fn required_field_added_to_a_request_type_is_breaking() {
    let report = diff_of("field-required", |d| {
        schema(d, "NewThing")["properties"]["size"] = json!({"type": "integer"});
        schema(d, "NewThing")["required"] = json!(["name", "size"]);
    });
    expect(&report, "NewThing new required field `size`", Level::Major, "0.5.0");
}

#[test]
fn field_removed_is_breaking() {
    let report = diff_of("field-removed", |d| {
        schema(d, "Thing")["properties"].as_object_mut().unwrap().remove("size");
    });
    expect(&report, "field `size` (`size`) is removed", Level::Major, "0.5.0");
}

#[test]
fn field_type_changed_is_breaking() {
    let report = diff_of("field-type", |d| schema(d, "Thing")["properties"]["size"] = json!({"type": "string"}));
    expect(&report, "field `size` is now type `String` (was `i64`)", Level::Major, "0.5.0");
}

#[test]
fn field_becoming_optional_in_a_request_type_is_breaking() {
    let report = diff_of("field-optional", |d| schema(d, "NewThing")["required"] = json!([]));
    expect(&report, "NewThing field `name` is now optional", Level::Major, "0.5.0");
}

#[test]
fn field_becoming_nullable_in_a_request_type_is_breaking() {
    let report = diff_of("field-nullable", |d| schema(d, "NewThing")["properties"]["name"]["nullable"] = json!(true));
    expect(&report, "NewThing field `name` is now nullable", Level::Major, "0.5.0");
}

#[test]
fn enum_value_added_is_additive() {
    let report = diff_of("enum-added", |d| schema(d, "Colour")["enum"] = json!(["red", "green", "blue"]));
    expect(&report, "new value `blue`, the variant `Blue`", Level::Minor, "0.4.3");
}

#[test]
fn enum_value_removed_is_breaking() {
    let report = diff_of("enum-removed", |d| schema(d, "Colour")["enum"] = json!(["red"]));
    expect(&report, "value `green` is removed, with the variant `Green`", Level::Major, "0.5.0");
}

#[test]
fn list_becoming_paged_is_additive() {
    let report = diff_of("paged", |d| {
        list_param(d, json!({"name": "skip", "in": "query", "schema": {"type": "integer"}}));
    });
    expect(&report, "is now a paged list", Level::Minor, "0.4.3");
}

#[test]
fn server_added_is_additive() {
    let report = diff_of("server", |d| {
        d["servers"].as_array_mut().unwrap().push(json!({"url": "https://api.eu.example.com"}));
    });
    expect(&report, "server `https://api.eu.example.com`", Level::Minor, "0.4.3");
}

#[test]
fn documentation_changed_is_a_patch() {
    let report = diff_of("docs", |d| op(d, "/things", "get")["summary"] = json!("Lists the things."));
    expect(&report, "listThings documentation changes", Level::Patch, "0.4.3");
}

#[test]
fn the_report_is_stable_and_names_every_change_once() {
    let change = |d: &mut Value| {
        schema(d, "Colour")["enum"] = json!(["red", "blue"]);
        schema(d, "Thing")["properties"]["weight"] = json!({"type": "number"});
        op(d, "/things", "get")["parameters"][0]["required"] = json!(true);
    };
    let (a, b) = (diff_of("stable-a", change), diff_of("stable-b", change));
    assert_eq!(a.markdown().unwrap(), b.markdown().unwrap());
    let text = a.markdown().unwrap();
    assert!(
        text.starts_with("# API changes: Things 1 → Things 1\n\n**semver: major (2 breaking, 2 additive"),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("- **")).collect();
    let unique: std::collections::BTreeSet<&str> = lines.iter().copied().collect();
    assert_eq!(lines.len(), unique.len(), "{text}");
}

/// A type that a tag's calls no longer use is no longer compiled with that tag's feature: a
/// build with `features = ["admin"]` alone loses it, while the default build keeps it.
#[test]
fn a_type_out_of_a_tags_reach_breaks_the_builds_with_that_feature_alone() {
    let with_admin_call = |answer: Value| {
        let mut doc = base();
        doc["paths"]["/admin/things/{id}"] = json!({"get": {"operationId": "getAdminThing", "tags": ["Admin"],
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": answer}}}}}});
        doc
    };
    let old = with_admin_call(json!({"$ref": "#/components/schemas/Thing"}));
    let new = with_admin_call(json!({"type": "string"}));
    let report = diff_docs("feature-reach", &old, &new, None);
    let thing = report
        .changes
        .iter()
        .find(|c| c.subject == "Thing" && c.text.contains("no longer compiled with `admin` alone"))
        .unwrap_or_else(|| panic!("{}", report.summary(20)));
    assert_eq!(thing.level, Level::Major, "{}", report.summary(20));
    assert_eq!(thing.only_with, ["admin"]);
    assert!(thing.unseen_by_semver_checks, "cargo-semver-checks builds one set of features");
    assert!(thing.migration_hint().contains("enable one of `things`"), "{}", thing.migration_hint());
    let markdown = report.markdown().unwrap();
    assert!(markdown.contains("is no longer compiled with `admin` alone"), "{markdown}");
    let entry = report.changelog_entry("0.5.0", "2026-12-03", "00").unwrap();
    assert!(entry.contains("(breaks only builds with `admin` alone)"), "{entry}");
}

/// The published pair as a release of a crate at 0.4.2: the changelog entry it writes.
#[test]
fn the_published_versions_as_a_release() {
    let (old, new, old_overrides, overrides) = published();
    let report = diff::compare(&load(&old, Some(&old_overrides)), &load(&new, Some(&overrides))).unwrap();
    let version = diff::next_version(&semver::Version::new(0, 4, 2), report.verdict());
    assert_eq!(version.to_string(), "0.4.3");
    let fingerprint = generator::fingerprint(Inputs {
        spec: &new,
        overrides: Some(&overrides),
        spec_label: "",
        crate_version: None,
        examples: None,
    })
    .unwrap();
    let entry = report.changelog_entry(&version.to_string(), "2026-05-28", &fingerprint).unwrap();
    // The fingerprint moves with every correction shipped: the golden file pins the rest.
    let entry = entry.replace(&fingerprint[..16], "<fingerprint>");
    expectorate::assert_contents("tests/golden/changelog-2026-04-22-to-2026-05-28.md", &entry);
}

#[test]
fn a_new_security_scheme_changes_what_the_client_takes() {
    let report = diff_of("credentials-scheme", |d| {
        d["components"]["securitySchemes"] = json!({"token": {"type": "http", "scheme": "bearer"}});
        d["security"] = json!([{"token": []}]);
    });
    expect(&report, "Client the client sends a bearer token instead of no credentials", Level::Major, "0.5.0");
}

#[test]
fn a_call_that_stops_needing_credentials_is_reported() {
    let secured = |d: &mut Value| {
        d["components"]["securitySchemes"] = json!({"token": {"type": "http", "scheme": "bearer"}});
        d["security"] = json!([{"token": []}]);
    };
    let mut old = base();
    secured(&mut old);
    let mut new = old.clone();
    op(&mut new, "/things/{id}", "get")["security"] = json!([]);
    let report = diff_docs("credentials-anonymous", &old, &new, None);
    expect(&report, "getThing `Client::get_thing` is sent without credentials", Level::Patch, "0.4.3");
}

#[test]
fn the_form_time_values_are_written_in_is_reported() {
    let dated = |format: &'static str| {
        move |d: &mut Value| {
            schema(d, "NewThing")["properties"]["due"] = json!({"type": "string", "format": format});
        }
    };
    let mut old = base();
    dated("date-time")(&mut old);
    let mut new = base();
    dated("date")(&mut new);
    let report = diff_docs("time-format", &old, &new, None);
    let said = report.summary(50);
    assert!(
        said.contains("time values are written in an RFC 3339 full date (`2011-10-13`) instead of RFC 3339"),
        "{said}"
    );
}
