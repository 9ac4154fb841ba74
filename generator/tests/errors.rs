//! Bad input gets an error that names the file, the JSON pointer and the operation, and never
//! a panic.

use generator::Inputs;
use std::path::PathBuf;

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Generates from a document with one path item and returns the error message.
fn error_for(name: &str, paths: &str, schemas: &str) -> String {
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://x.test'}}]\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}"
    );
    let spec = write(&format!("{name}.yaml"), &text);
    let inputs = Inputs { spec: &spec, overrides: None, spec_label: "t", crate_version: None, examples: None };
    let message = generator::generate(inputs).expect_err("bad input must fail").to_string();
    assert!(message.contains(&format!("{name}.yaml#")), "the message names the file: {message}");
    message
}

/// The inputs of a test: a document, and maybe an overrides file.
fn inputs<'a>(spec: &'a std::path::Path, overrides: Option<&'a std::path::Path>) -> Inputs<'a> {
    Inputs { spec, overrides, spec_label: "t", crate_version: None, examples: None }
}

const OK_RESPONSE: &str = "responses: {'200': {description: ok}}";

#[test]
fn a_type_json_schema_does_not_have() {
    let message = error_for(
        "frobnicate",
        &format!("  /a:\n    get:\n      operationId: getA\n      {OK_RESPONSE}"),
        "    A: {type: object, properties: {b: {type: frobnicate}}}",
    );
    assert!(message.contains("#/components/schemas/A/properties/b/type"), "{message}");
    assert!(message.contains("`frobnicate` is not a JSON Schema type"), "{message}");
}

#[test]
fn dangling_reference() {
    let message = error_for(
        "dangling",
        &format!("  /a:\n    get:\n      operationId: getA\n      {OK_RESPONSE}"),
        "    A: {type: object, properties: {b: {$ref: '#/components/schemas/Missing'}}}",
    );
    assert!(message.contains("#/components/schemas/A/properties/b"), "{message}");
    assert!(message.contains("points at no schema"), "{message}");
}

#[test]
fn external_reference() {
    let message = error_for(
        "external",
        &format!("  /a:\n    get:\n      operationId: getA\n      {OK_RESPONSE}"),
        "    A: {type: object, properties: {b: {$ref: 'other.yaml#/B'}}}",
    );
    assert!(message.contains("not to a local component schema"), "{message}");
}

#[test]
fn duplicate_operation_id() {
    let message = error_for(
        "duplicate",
        &format!("  /a:\n    get:\n      operationId: same\n      {OK_RESPONSE}\n  /b:\n    get:\n      operationId: same\n      {OK_RESPONSE}"),
        "    A: {type: string}",
    );
    assert!(message.contains("#/paths/~1b/get") && message.contains("operationId `same`"), "{message}");
    assert!(message.contains("duplicate operationId"), "{message}");
}

#[test]
fn path_parameter_missing_from_the_template() {
    let message = error_for(
        "param",
        &format!(
            "  /a:\n    get:\n      operationId: getA\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      {OK_RESPONSE}"
        ),
        "    A: {type: string}",
    );
    assert!(
        message.contains("operationId `getA`") && message.contains("`id` is not in the path template"),
        "{message}"
    );
}

#[test]
fn template_parameter_not_declared() {
    let message = error_for(
        "undeclared",
        &format!("  /a/{{id}}:\n    get:\n      operationId: getA\n      {OK_RESPONSE}"),
        "    A: {type: string}",
    );
    assert!(message.contains("`{id}` is not declared"), "{message}");
}

#[test]
fn unknown_json_schema_keyword() {
    let message = error_for(
        "keyword",
        &format!("  /a:\n    get:\n      operationId: getA\n      {OK_RESPONSE}"),
        "    A: {type: array, items: {$dynamicRef: '#node'}}",
    );
    assert!(message.contains("#/components/schemas/A/items/$dynamicRef"), "{message}");
}

#[test]
fn invalid_yaml_names_line_and_column() {
    let spec = write("broken.yaml", "openapi: 3.1.0\ninfo: [\n");
    let message = generator::generate(inputs(&spec, None)).unwrap_err().to_string();
    assert!(message.contains("broken.yaml") && message.contains("line"), "{message}");
}

#[test]
fn overrides_naming_an_unknown_operation() {
    let spec = write(
        "small.yaml",
        &format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://x.test'}}]\npaths:\n  /a:\n    get:\n      operationId: getA\n      {OK_RESPONSE}\n"),
    );
    let overrides = write("overrides.yaml", "operations:\n  nope: {name: x}\n");
    let message = generator::generate(inputs(&spec, Some(&overrides))).unwrap_err().to_string();
    assert!(message.contains("`nope`"), "{message}");
}

#[test]
fn overrides_replacing_with_an_unknown_operation() {
    let spec = write(
        "replaced.yaml",
        &format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://x.test'}}]\npaths:\n  /a:\n    get:\n      operationId: getA\n      deprecated: true\n      {OK_RESPONSE}\n"),
    );
    let overrides = write("replaced-overrides.yaml", "operations:\n  getA: {replaced_by: getB}\n");
    let message = generator::generate(inputs(&spec, Some(&overrides))).unwrap_err().to_string();
    assert!(message.contains("/operations/getA") && message.contains("`replaced_by: getB`"), "{message}");
}

#[test]
fn missing_file() {
    let spec = PathBuf::from("/nonexistent/spec.yaml");
    let message = generator::generate(inputs(&spec, None)).unwrap_err().to_string();
    assert!(message.contains("/nonexistent/spec.yaml: cannot read"), "{message}");
}

/// Two schemas that are each only the other describe no value; as Rust they would be
/// `type A = B; type B = A;`, which does not compile. The error names both.
#[test]
fn schemas_that_only_alias_each_other() {
    let message = error_for(
        "cycle",
        &format!("  /a:\n    get:\n      operationId: getA\n      {OK_RESPONSE}"),
        "    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n    B: {allOf: [{$ref: '#/components/schemas/A'}]}",
    );
    assert!(message.contains("#/components/schemas/A") && message.contains("#/components/schemas/B"), "{message}");
    assert!(message.contains("only refer to each other"), "{message}");
}

/// A mistake in the overrides file is reported in the overrides file, at its entry.
#[test]
fn overrides_errors_name_the_overrides_file() {
    let spec = write(
        "small2.yaml",
        &format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      {OK_RESPONSE}\n"),
    );
    for (name, text, expected) in [
        ("o1.yaml", "operations:\n  getA: {name: 'not valid'}\n", "o1.yaml#/operations/getA"),
        ("o2.yaml", "schemas:\n  Missing: {name: X}\n", "o2.yaml#/schemas/Missing"),
        ("o3.yaml", "skip:\n  nope: because\n", "o3.yaml#/skip/nope"),
        ("o4.yaml", "patches:\n- {op: test, path: /info/title, value: other, reason: r}\n", "o4.yaml#/patches/0"),
        (
            "o5.yaml",
            "webhooks: {signature: timestamp-token-hmac-sha256, event: Missing, reason: r}\n",
            "o5.yaml#/webhooks/event",
        ),
        ("o6.yaml", "crate: {name: serde, reason: r}\n", "o6.yaml#/crate/name"),
        ("o7.yaml", "crate: {showcase: GET-nothing, reason: r}\n", "o7.yaml#/crate/showcase"),
        ("o8.yaml", "webhooks: {signature: md5, event: X, reason: r}\n", "o8.yaml#/webhooks/signature"),
    ] {
        let overrides = write(name, text);
        let message = generator::generate(inputs(&spec, Some(&overrides))).unwrap_err().to_string();
        assert!(message.contains(expected), "{message}");
    }
}
