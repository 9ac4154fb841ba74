//! The downlevelled document → `openapiv3`'s model, naming the failing place.

use crate::error::{escape_token, Issue};
use serde_yaml::Value;

/// Reads a downlevelled document into `openapiv3`'s model.
///
/// Untracked, and the components on a thread of their own beside the paths: tracking the path
/// of every value read costs a third of the read, and only a failing run needs it; that run
/// reads the document again and [`failure`] names the place.
pub fn openapi(value: Value) -> Result<openapiv3::OpenAPI, serde_yaml::Error> {
    let Value::Mapping(mut document) = value else { return serde_yaml::from_value(value) };
    let components = document.shift_remove("components");
    let (top, components) = std::thread::scope(|scope| {
        let components = components.map(|c| scope.spawn(|| serde_yaml::from_value::<openapiv3::Components>(c)));
        let top = serde_yaml::from_value::<openapiv3::OpenAPI>(Value::Mapping(document));
        (top, components.map(|reading| reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))))
    });
    let mut top = top?;
    top.components = components.transpose()?;
    Ok(top)
}

/// Why a document [`openapi`] could not read fails, and where. The pointer ends where
/// `openapiv3` reads a schema as one of several shapes, which hides the member none of them
/// takes: [`narrow`] finds it, given the document again.
pub fn failure(value: Value, untracked: serde_yaml::Error) -> Issue {
    let problem = |pointer: String, reason: &dyn std::fmt::Display| {
        Issue::at(pointer, format!("not a valid OpenAPI 3.0 document after normalisation: {reason}"))
    };
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(value) {
        Err(e) => {
            let pointer: Vec<String> = e.path().iter().map(|segment| escape_token(&segment.to_string())).collect();
            problem(format!("#/{}", pointer.join("/")), e.inner())
        }
        // Read the same way, it cannot succeed; if it did, the untracked error still stands.
        Ok(_) => problem("#".to_owned(), &untracked),
    }
}

/// The issue [`failure`] reported, pointing at the innermost subschema of its place that fails
/// on its own and at the member without which it would read (`…/properties/timecode/pattern`).
pub fn narrow(document: &Value, issue: Issue) -> Issue {
    let Some(path) = issue.pointer.strip_prefix('#') else { return issue };
    let path: Vec<String> = path.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect();
    let pointer: Vec<String> = deepest_failure(document, path).iter().map(|s| escape_token(s)).collect();
    Issue { pointer: format!("#/{}", pointer.join("/")), ..issue }
}

/// Where below `path` a schema stops reading: the innermost subschema that fails on its own,
/// then the member of it without which it would read (`…/properties/timecode/pattern`).
fn deepest_failure(document: &Value, mut path: Vec<String>) -> Vec<String> {
    let Some(mut at) = lookup(document, &path) else { return path };
    if !fails(at) {
        return path;
    }
    'down: loop {
        for (child, node) in subschemas(at) {
            if fails(node) {
                path.extend(child);
                at = node;
                continue 'down;
            }
        }
        break;
    }
    if let Value::Mapping(map) = at {
        for key in map.keys() {
            let mut without = map.clone();
            without.remove(key);
            if !fails(&Value::Mapping(without)) {
                path.extend(key.as_str().map(str::to_owned));
                break;
            }
        }
    }
    path
}

/// Whether a value fails to read as a schema (or a reference to one).
fn fails(value: &Value) -> bool {
    serde_yaml::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(value.clone()).is_err()
}

/// The value at a path of member names and list positions.
fn lookup<'a>(document: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(document, |at, segment| match at {
        Value::Mapping(map) => map.get(segment.as_str()),
        Value::Sequence(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    })
}

/// A schema's subschemas, each with the path from the schema to it.
fn subschemas(schema: &Value) -> Vec<(Vec<String>, &Value)> {
    let Value::Mapping(map) = schema else { return Vec::new() };
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        match (key, value) {
            ("properties", Value::Mapping(properties)) => {
                for (name, property) in properties {
                    if let Some(name) = name.as_str() {
                        out.push((vec![key.to_owned(), name.to_owned()], property));
                    }
                }
            }
            ("allOf" | "oneOf" | "anyOf", Value::Sequence(items)) => {
                out.extend(items.iter().enumerate().map(|(i, item)| (vec![key.to_owned(), i.to_string()], item)));
            }
            ("items" | "additionalProperties" | "not", Value::Mapping(_)) => out.push((vec![key.to_owned()], value)),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_at(document: &str) -> String {
        let value: Value = serde_yaml::from_str(document).unwrap();
        let untracked = openapi(value.clone()).unwrap_err();
        narrow(&value, failure(value.clone(), untracked)).pointer
    }

    #[test]
    fn a_bad_member_deep_in_a_schema_is_named() {
        let document = "
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pick:
      type: object
      properties:
        timecode: {type: string, pattern: '^[0-9:.]+$'}
        list: {type: array, items: {type: object, properties: {x: {type: integer, minimum: many}}}}
";
        assert_eq!(error_at(document), "#/components/schemas/Pick/properties/list/items/properties/x/minimum");
        let first = document.replace("minimum: many", "minimum: 1").replace("'^[0-9:.]+$'", "0");
        assert_eq!(error_at(&first), "#/components/schemas/Pick/properties/timecode/pattern");
    }

    #[test]
    fn an_error_outside_schemas_keeps_its_path() {
        let document = "
openapi: 3.0.3
info: {title: t, version: 1}
paths: {}
";
        assert_eq!(error_at(document), "#/info/version");
    }
}
