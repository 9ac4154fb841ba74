//! The deliberate OpenAPI 3.1 → 3.0 step.
//!
//! `openapiv3` models OpenAPI 3.0 only. Rather than hand-editing a document, each 3.1
//! construct it uses is rewritten here into its 3.0 equivalent by one small rule, and each rule has
//! a unit test. A 3.1 construct that no rule knows is an error naming its JSON pointer, never a
//! silent loss: `openapiv3` would otherwise drop unknown keywords or degrade the schema to `Any`.
//!
//! The walk visits schema positions only (component schemas, parameter, body and response
//! schemas, and the subschemas of those). It never descends into `example`, `examples`,
//! `default` or `enum`, where a data field may happen to be called `type` or `items`.

use crate::error::{join, Issue};
use crate::report::{Degraded, DegradedKind};
use serde_yaml::{Mapping, Value};

/// What the walk noted: constructs ignored or read leniently.
type Notes = Vec<Degraded>;

/// Rewrites a 3.1 document in place so that `openapiv3` reads it without losing meaning, and
/// returns what it could only ignore or read leniently.
pub fn downlevel(doc: &mut Value) -> Result<Vec<Degraded>, Issue> {
    let mut notes = Notes::new();
    let root = doc.as_mapping_mut().ok_or_else(|| Issue::at("#", "the document is not a mapping"))?;
    rewrite_version(root)?;
    // Requests the API makes to its callers, and the dialect statement: nothing a client calls.
    // Kept as extensions, which openapiv3 keeps.
    if let Some(Value::Mapping(webhooks)) = root.get("webhooks") {
        for name in webhooks.keys() {
            notes.push(Degraded {
                kind: DegradedKind::Ignored,
                pointer: join("#/webhooks", &[key_str(name)]),
                reason: "a request the API makes to its callers, not a call: not generated (the overrides can name \
                         the type of a webhook's payload)"
                    .to_owned(),
            });
        }
    }
    for key in ["webhooks", "jsonSchemaDialect"] {
        to_extension(root, key);
    }
    if let Some(Value::Mapping(components)) = root.get_mut("components") {
        to_extension(components, "pathItems");
    }
    if let Some(Value::Mapping(components)) = root.get_mut("components") {
        for (section, in_schema) in
            [("schemas", true), ("parameters", false), ("responses", false), ("requestBodies", false)]
        {
            if let Some(Value::Mapping(entries)) = components.get_mut(section) {
                for (name, entry) in entries.iter_mut() {
                    let pointer = join("#/components", &[section, key_str(name)]);
                    if in_schema {
                        schema(entry, &pointer, &mut notes)?;
                    } else if section == "parameters" {
                        parameter(entry, &pointer, &mut notes)?;
                    } else {
                        container(entry, &pointer, &mut notes)?;
                    }
                }
            }
        }
    }
    if let Some(Value::Mapping(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let pointer = join("#/paths", &[key_str(path)]);
            let Value::Mapping(item) = item else { continue };
            for (key, value) in item.iter_mut() {
                let pointer = join(&pointer, &[key_str(key)]);
                match key_str(key) {
                    "parameters" => each(value, &pointer, parameter, &mut notes)?,
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                        operation(value, &pointer, &mut notes)?
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(notes)
}

fn key_str(key: &Value) -> &str {
    key.as_str().unwrap_or("")
}

/// `openapi: 3.1.x` becomes `3.0.3`, the last 3.0 release, which is what the rewritten document is.
fn rewrite_version(root: &mut Mapping) -> Result<(), Issue> {
    let version = root.get("openapi").and_then(Value::as_str).unwrap_or("");
    if version.starts_with("3.1.") {
        root.insert("openapi".into(), "3.0.3".into());
        Ok(())
    } else if version.starts_with("3.0.") {
        Ok(())
    } else {
        Err(Issue::at("#/openapi", format!("unsupported OpenAPI version `{version}`; expected 3.0.x or 3.1.x")))
    }
}

fn operation(op: &mut Value, pointer: &str, notes: &mut Notes) -> Result<(), Issue> {
    let Value::Mapping(op) = op else { return Ok(()) };
    // Callbacks are requests the API makes to its caller, not calls a client makes.
    if let Some(Value::Mapping(callbacks)) = op.get("callbacks") {
        for name in callbacks.keys() {
            notes.push(Degraded {
                kind: DegradedKind::Ignored,
                pointer: join(pointer, &["callbacks", key_str(name)]),
                reason: "a request the API makes to its caller, not a call: not generated".to_owned(),
            });
        }
    }
    to_extension(op, "callbacks");
    for (key, value) in op.iter_mut() {
        let pointer = join(pointer, &[key_str(key)]);
        match key_str(key) {
            "parameters" => each(value, &pointer, parameter, notes)?,
            "requestBody" => container(value, &pointer, notes)?,
            "responses" => {
                if let Value::Mapping(responses) = value {
                    for (status, response) in responses.iter_mut() {
                        let at = join(&pointer, &[key_str(status)]);
                        if let Some(Value::Mapping(links)) = response.get("links") {
                            for name in links.keys() {
                                notes.push(Degraded {
                                    kind: DegradedKind::Ignored,
                                    pointer: join(&at, &["links", key_str(name)]),
                                    reason: "a link from this answer to another call: not generated (the answer's \
                                             values are there to pass by hand)"
                                        .to_owned(),
                                });
                            }
                        }
                        container(response, &at, notes)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

type Step = fn(&mut Value, &str, &mut Notes) -> Result<(), Issue>;

fn each(list: &mut Value, pointer: &str, f: Step, notes: &mut Notes) -> Result<(), Issue> {
    if let Value::Sequence(items) = list {
        for (i, item) in items.iter_mut().enumerate() {
            f(item, &join(pointer, &[&i.to_string()]), notes)?;
        }
    }
    Ok(())
}

/// A parameter: its schemas, and the serialisations the crate does not write, noted (a header
/// and a cookie go plain, and every query value is percent-encoded).
fn parameter(value: &mut Value, pointer: &str, notes: &mut Notes) -> Result<(), Issue> {
    if let Value::Mapping(map) = value {
        let text = |key: &str| map.get(key).and_then(Value::as_str);
        let style = match (text("in"), text("style")) {
            (Some("header"), Some(style)) if style != "simple" => Some(style),
            (Some("cookie"), Some(style)) if style != "form" => Some(style),
            _ => None,
        };
        if let Some(style) = style {
            notes.push(Degraded {
                kind: DegradedKind::Ignored,
                pointer: join(pointer, &["style"]),
                reason: format!("the `{style}` style is not applied: the value is sent plain (`simple` style)"),
            });
        }
        if map.get("allowReserved").and_then(Value::as_bool) == Some(true) {
            notes.push(Degraded {
                kind: DegradedKind::Ignored,
                pointer: join(pointer, &["allowReserved"]),
                reason: "reserved characters are percent-encoded all the same (servers decode both)".to_owned(),
            });
        }
    }
    container(value, pointer, notes)
}

/// A parameter, request body, response or header: the schemas are under `schema` and under
/// `content/<media type>/schema`.
fn container(value: &mut Value, pointer: &str, notes: &mut Notes) -> Result<(), Issue> {
    let Value::Mapping(map) = value else { return Ok(()) };
    if let Some(s) = map.get_mut("schema") {
        schema(s, &join(pointer, &["schema"]), notes)?;
    }
    if let Some(Value::Mapping(content)) = map.get_mut("content") {
        for (media, body) in content.iter_mut() {
            if let Value::Mapping(body) = body {
                if let Some(s) = body.get_mut("schema") {
                    schema(s, &join(pointer, &["content", key_str(media), "schema"]), notes)?;
                }
            }
        }
    }
    if let Some(Value::Mapping(headers)) = map.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            container(header, &join(pointer, &["headers", key_str(name)]), notes)?;
        }
    }
    Ok(())
}

/// Applies every rule to one schema node, then walks its subschemas.
fn schema(node: &mut Value, pointer: &str, notes: &mut Notes) -> Result<(), Issue> {
    boolean_schema(node);
    let Value::Mapping(map) = node else { return Ok(()) };
    reject_unsupported(map, pointer)?;
    check_type(map, pointer, notes)?;
    note_ignored(map, pointer, notes);
    keywords_without_shape(map);
    content_keywords(map);
    pattern_properties(map);
    prefix_items(map);
    const_to_enum(map);
    exclusive_bounds(map);
    type_array(map, pointer)?;
    null_type(map);
    nullable_union(map, pointer)?;
    ref_siblings(map);
    type_beside_all_of(map);
    schema_examples(map);
    items_without_type(map);
    format_on_array(map);

    for (key, value) in map.iter_mut() {
        let key = key_str(key);
        match key {
            "properties" => {
                if let Value::Mapping(props) = value {
                    for (name, prop) in props.iter_mut() {
                        schema(prop, &join(pointer, &["properties", key_str(name)]), notes)?;
                    }
                }
            }
            "items" | "not" => schema(value, &join(pointer, &[key]), notes)?,
            "additionalProperties" if value.is_mapping() => schema(value, &join(pointer, &[key]), notes)?,
            "allOf" | "anyOf" | "oneOf" => each(value, &join(pointer, &[key]), schema, notes)?,
            _ => {}
        }
    }
    Ok(())
}

/// JSON Schema keywords that only annotate or validate: a client neither validates nor reads
/// them, and `openapiv3` would drop them. They are kept as `x-` extensions (`$comment` becomes
/// `x-$comment`), so nothing is lost. References into `definitions`/`$defs` have already been
/// made component references by [`crate::refs`].
const WITHOUT_SHAPE: &[&str] =
    &["$comment", "$schema", "$id", "$anchor", "$dynamicAnchor", "$defs", "definitions", "minContains", "maxContains"];

/// JSON Schema keywords that change a schema's meaning in ways no 3.0 schema can say.
const UNSUPPORTED: &[&str] = &["$dynamicRef", "$recursiveRef"];

fn reject_unsupported(map: &Mapping, pointer: &str) -> Result<(), Issue> {
    for key in UNSUPPORTED {
        if map.contains_key(*key) {
            return Err(Issue::at(
                join(pointer, &[key]),
                format!("JSON Schema keyword `{key}` has no OpenAPI 3.0 equivalent and no rule handles it"),
            ));
        }
    }
    Ok(())
}

/// The types of JSON Schema.
const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object", "null"];

/// `type` is one of the seven JSON Schema types, or a list of them; anything else is an error
/// naming the pointer. Swagger 2's `file`, which converted documents keep, is read as binary
/// text (`format: binary`) and noted.
fn check_type(map: &mut Mapping, pointer: &str, notes: &mut Notes) -> Result<(), Issue> {
    let Some(ty) = map.get("type") else { return Ok(()) };
    let names: Vec<&Value> = match ty {
        Value::Sequence(list) if !list.is_empty() => list.iter().collect(),
        Value::String(_) => vec![ty],
        other => {
            let found = serde_yaml::to_string(other).unwrap_or_default();
            return Err(Issue::at(
                join(pointer, &["type"]),
                format!("`type` must be a JSON Schema type or a non-empty list of them, not `{}`", found.trim()),
            ));
        }
    };
    for name in names {
        match name.as_str() {
            Some(known) if TYPES.contains(&known) => {}
            Some("file") if ty.is_string() => {
                map.insert("type".into(), "string".into());
                map.insert("format".into(), "binary".into());
                notes.push(Degraded {
                    kind: DegradedKind::Lenient,
                    pointer: join(pointer, &["type"]),
                    reason: "`type: file` is Swagger 2's; read as binary text (`format: binary`)".to_owned(),
                });
                return Ok(());
            }
            _ => {
                let found = serde_yaml::to_string(name).unwrap_or_default();
                return Err(Issue::at(
                    join(pointer, &["type"]),
                    format!("`{}` is not a JSON Schema type (one of {})", found.trim(), TYPES.join(", ")),
                ));
            }
        }
    }
    Ok(())
}

/// Every keyword of a schema object in OpenAPI 3.0 and 3.1 (JSON Schema 2020-12): anything
/// else (a typo such as `proprties`) is ignored by every reader, and noted.
const VOCABULARY: &[&str] = &[
    "$ref",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$recursiveRef",
    "$recursiveAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "type",
    "enum",
    "const",
    "format",
    "nullable",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "contains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "dependentSchemas",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "items",
    "prefixItems",
    "unevaluatedItems",
    "properties",
    "patternProperties",
    "additionalProperties",
    "unevaluatedProperties",
    "propertyNames",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "discriminator",
    "xml",
    "externalDocs",
];

/// Keywords that constrain a value's shape in ways a generated type does not express; the
/// types are generated as if they were absent (and the ones 3.0 lacks are kept as extensions,
/// as [`WITHOUT_SHAPE`] are).
const SHAPE_IGNORED: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "propertyNames",
    "contains",
    "unevaluatedProperties",
    "unevaluatedItems",
];

fn note_ignored(map: &Mapping, pointer: &str, notes: &mut Notes) {
    for key in map.keys().filter_map(Value::as_str) {
        let reason = if key.starts_with("x-") {
            continue;
        } else if !VOCABULARY.contains(&key) {
            format!("`{key}` is not a keyword of OpenAPI or JSON Schema: every reader ignores it")
        } else if SHAPE_IGNORED.contains(&key) {
            format!("`{key}` constrains values in a way no generated type expresses: generated as if absent")
        } else {
            continue;
        };
        notes.push(Degraded { kind: DegradedKind::Ignored, pointer: join(pointer, &[key]), reason });
    }
}

/// Moves `key` to `x-<key>`, unless there already is one.
fn to_extension(map: &mut Mapping, key: &str) {
    if let Some(value) = map.remove(key) {
        let extension = format!("x-{key}");
        if !map.contains_key(extension.as_str()) {
            map.insert(extension.into(), value);
        }
    }
}

/// Annotation and validation keywords become extensions (see [`WITHOUT_SHAPE`]).
fn keywords_without_shape(map: &mut Mapping) {
    // `not` is 3.0 too: openapiv3 reads it.
    for key in WITHOUT_SHAPE.iter().chain(SHAPE_IGNORED).filter(|k| **k != "not") {
        to_extension(map, key);
    }
}

/// 3.1 says how a string's content is encoded with `contentEncoding`/`contentMediaType`; 3.0
/// says it with `format`: base64 is `byte`, raw content of a media type is `binary`, except
/// JSON text, which is `json` (our name: the generator takes any value for it) and other
/// text, which stays a string.
fn content_keywords(map: &mut Mapping) {
    let encoding = map.get("contentEncoding").and_then(Value::as_str).map(str::to_owned);
    let media = map.get("contentMediaType").map(|m| m.as_str().unwrap_or_default().to_ascii_lowercase());
    if (encoding.is_some() || media.is_some()) && !map.contains_key("format") {
        let format = match (encoding.as_deref(), media.as_deref()) {
            (Some("base64" | "base64url"), _) => Some("byte"),
            (Some(_), _) => None,
            (None, Some(m)) if m == "application/json" || m.ends_with("+json") => Some("json"),
            (None, Some(m)) if m.starts_with("text/") => None,
            (None, _) => Some("binary"),
        };
        if let Some(format) = format {
            map.insert("format".into(), format.into());
        }
    }
    for key in ["contentEncoding", "contentMediaType", "contentSchema"] {
        to_extension(map, key);
    }
}

/// `patternProperties` names the schema of properties whose names match a pattern; 3.0 can
/// only say what the other properties are: `additionalProperties` takes the one pattern's
/// schema (any value for several), unless it is already given.
fn pattern_properties(map: &mut Mapping) {
    let Some(Value::Mapping(patterns)) = map.get("patternProperties") else { return };
    if !map.contains_key("additionalProperties") {
        let values: Vec<&Value> = patterns.values().collect();
        let value = match values.as_slice() {
            [one] => (*one).clone(),
            _ => Value::Mapping(Mapping::new()),
        };
        map.insert("additionalProperties".into(), value);
    }
    to_extension(map, "patternProperties");
}

/// A tuple (`prefixItems`) becomes a list whose items are one of the tuple's members.
fn prefix_items(map: &mut Mapping) {
    let Some(Value::Sequence(members)) = map.get("prefixItems") else { return };
    if !map.contains_key("items") {
        let items = match members.as_slice() {
            [one] => one.clone(),
            many => {
                let mut union = Mapping::new();
                union.insert("oneOf".into(), Value::Sequence(many.to_vec()));
                Value::Mapping(union)
            }
        };
        map.insert("items".into(), items);
    }
    to_extension(map, "prefixItems");
}

/// 3.1 allows `true` (any value) and `false` (no value) as a schema anywhere; 3.0 only as
/// `additionalProperties`, which the parent keeps as it is. Elsewhere `true` is `{}` and
/// `false` is `{not: {}}`.
fn boolean_schema(node: &mut Value) {
    if let Value::Bool(accepts) = node {
        let mut map = Mapping::new();
        if !*accepts {
            map.insert("not".into(), Value::Mapping(Mapping::new()));
        }
        *node = Value::Mapping(map);
    }
}

/// `const: x` is `enum: [x]`.
fn const_to_enum(map: &mut Mapping) {
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Sequence(vec![value]));
    }
}

/// 2020-12 `exclusiveMinimum: n` is 3.0 `minimum: n` + `exclusiveMinimum: true` (same for maximum).
fn exclusive_bounds(map: &mut Mapping) {
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), limit);
            map.insert(exclusive.into(), true.into());
        }
    }
}

/// `type: [T, "null"]` becomes `type: T` + `nullable: true`. Several real types
/// (`[string, integer]`) become a `oneOf` of one branch per type, each taking the keywords that
/// only apply to it (an array's `items`, an object's `properties`).
fn type_array(map: &mut Mapping, pointer: &str) -> Result<(), Issue> {
    let Some(Value::Sequence(types)) = map.get("type") else { return Ok(()) };
    let has_null = types.iter().any(|t| t.as_str() == Some("null"));
    let others: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
    if has_null {
        map.insert("nullable".into(), true.into());
    }
    match others.as_slice() {
        [] => {
            map.remove("type");
        }
        [single] => {
            let single = single.clone();
            map.insert("type".into(), single);
        }
        several => {
            if map.contains_key("oneOf") || map.contains_key("anyOf") {
                return Err(Issue::at(
                    join(pointer, &["type"]),
                    "a type array beside oneOf/anyOf has no OpenAPI 3.0 equivalent",
                ));
            }
            let several = several.to_vec();
            map.remove("type");
            let owned: &[(&str, &[&str])] = &[
                ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
                ("object", &["properties", "required", "additionalProperties", "minProperties", "maxProperties"]),
            ];
            let mut branches = Vec::new();
            for ty in several {
                let mut branch = Mapping::new();
                if let Some((_, keys)) = owned.iter().find(|(t, _)| ty.as_str() == Some(*t)) {
                    for key in *keys {
                        if let Some(value) = map.get(*key) {
                            branch.insert((*key).into(), value.clone());
                        }
                    }
                }
                branch.insert("type".into(), ty);
                branches.push(Value::Mapping(branch));
            }
            for (_, keys) in owned {
                for key in *keys {
                    map.remove(*key);
                }
            }
            map.insert("oneOf".into(), Value::Sequence(branches));
        }
    }
    Ok(())
}

/// A schema that is only `type: null` (a value that is always null) is an untyped nullable one.
fn null_type(map: &mut Mapping) {
    if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), true.into());
    }
}

/// `{type: null}`, possibly with annotations (the spec describes some null branches).
fn is_null_schema(value: &Value) -> bool {
    let annotation = |k: &Value| matches!(k.as_str(), Some("type" | "description" | "title"));
    matches!(value, Value::Mapping(m) if m.get("type").and_then(Value::as_str) == Some("null") && m.keys().all(annotation))
}

/// `anyOf`/`oneOf` with a `{type: null}` branch means "nullable". The null branch is removed and
/// `nullable: true` added. With one branch left, a `$ref` becomes the 3.0 idiom `allOf: [$ref]`
/// and an inline schema is merged into the node (the node's own keys, such as its description,
/// win).
fn nullable_union(map: &mut Mapping, pointer: &str) -> Result<(), Issue> {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Sequence(branches)) = map.get(key) else { continue };
        if !branches.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = branches.iter().filter(|b| !is_null_schema(b)).cloned().collect();
        map.insert("nullable".into(), true.into());
        match rest.len() {
            0 => return Err(Issue::at(join(pointer, &[key]), "a union of only `null` has no meaning")),
            1 => {
                map.remove(key);
                let branch = rest.into_iter().next().expect("one branch");
                match branch {
                    Value::Mapping(inner) if !inner.contains_key("$ref") => {
                        for (k, v) in inner {
                            if !map.contains_key(&k) {
                                map.insert(k, v);
                            }
                        }
                    }
                    other => {
                        map.insert("allOf".into(), Value::Sequence(vec![other]));
                    }
                }
            }
            _ => {
                map.insert(key.into(), Value::Sequence(rest));
            }
        }
    }
    Ok(())
}

/// In 3.1 a `$ref` may have sibling keywords; in 3.0 they are ignored (and `openapiv3` drops
/// them). The reference moves into `allOf: [{$ref}]` so the siblings stay meaningful. A sibling
/// `type` contradicts the referenced schema (the spec has `type: object` beside a `$ref`) and is
/// dropped.
fn ref_siblings(map: &mut Mapping) {
    if map.len() < 2 || !map.contains_key("$ref") {
        return;
    }
    let reference = map.remove("$ref").expect("checked");
    map.remove("type");
    let mut inner = Mapping::new();
    inner.insert("$ref".into(), reference);
    map.insert("allOf".into(), Value::Sequence(vec![Value::Mapping(inner)]));
}

/// `type` beside `allOf` makes `openapiv3` fall back to an untyped schema. The members carry the
/// type; in this spec the outer `type` is sometimes even wrong (`object` around a string enum).
fn type_beside_all_of(map: &mut Mapping) {
    if map.contains_key("allOf") {
        map.remove("type");
    }
}

/// 2020-12 `examples: [..]` becomes 3.0 `example: <first>`; the full list is kept as
/// `x-examples`, so nothing is lost.
fn schema_examples(map: &mut Mapping) {
    if let Some(Value::Sequence(examples)) = map.get("examples") {
        let examples = examples.clone();
        map.remove("examples");
        if let Some(first) = examples.first() {
            if !map.contains_key("example") {
                map.insert("example".into(), first.clone());
            }
        }
        map.insert("x-examples".into(), Value::Sequence(examples));
    }
}

/// JSON Schema allows `items` without `type: array`; 3.0 does not classify such a schema.
fn items_without_type(map: &mut Mapping) {
    let composed = ["allOf", "anyOf", "oneOf"].iter().any(|k| map.contains_key(*k));
    if map.contains_key("items") && !map.contains_key("type") && !composed {
        map.insert("type".into(), "array".into());
    }
}

/// `format` is meaningless on an array (the spec has `type: array, format: binary`, where the
/// items carry the binary format) and makes `openapiv3` reject the array type.
fn format_on_array(map: &mut Mapping) {
    if map.get("type").and_then(Value::as_str) == Some("array") {
        map.remove("format");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(schema_yaml: &str) -> Result<Value, Issue> {
        run_noting(schema_yaml).map(|(value, _)| value)
    }

    fn run_noting(schema_yaml: &str) -> Result<(Value, Notes), Issue> {
        let mut value: Value = serde_yaml::from_str(schema_yaml).unwrap();
        let mut notes = Notes::new();
        schema(&mut value, "#/s", &mut notes)?;
        Ok((value, notes))
    }

    #[test]
    fn a_type_outside_json_schema_is_an_error_naming_the_pointer() {
        for bad in
            ["type: frobnicate", "properties: {a: {type: [string, frobnicate]}}", "type: []", "type: {}", "type: 5"]
        {
            let issue = run(bad).unwrap_err();
            assert!(issue.pointer.ends_with("/type"), "{bad}: {}", issue.pointer);
            assert!(issue.message.contains("JSON Schema type"), "{bad}: {}", issue.message);
        }
        assert_eq!(run("items: {type: frobnicate}").unwrap_err().pointer, "#/s/items/type");
    }

    #[test]
    fn webhooks_callbacks_and_links_are_noted_as_not_generated() {
        let mut doc = yaml(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {born: {post: {responses: {'200': {description: ok}}}}}\npaths:\n  /a:\n    get:\n      callbacks: {done: {}}\n      responses: {'200': {description: ok, links: {next: {operationId: getB}}}}",
        );
        let notes = downlevel(&mut doc).unwrap();
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["#/webhooks/born", "#/paths/~1a/get/callbacks/done", "#/paths/~1a/get/responses/200/links/next"]
        );
        assert!(notes.iter().all(|n| n.kind == DegradedKind::Ignored));
    }

    #[test]
    fn swagger_2s_file_type_reads_as_binary_text_and_is_noted() {
        let (value, notes) = run_noting("type: file\ndescription: an upload").unwrap();
        assert_eq!(value, yaml("type: string\nformat: binary\ndescription: an upload"));
        assert_eq!(notes.len(), 1);
        assert_eq!((notes[0].kind, notes[0].pointer.as_str()), (DegradedKind::Lenient, "#/s/type"));
    }

    #[test]
    fn parameter_styles_the_crate_does_not_write_are_noted() {
        let mut doc = yaml(
            "openapi: 3.0.3\npaths:\n  /a/{id}:\n    parameters:\n      - {name: id, in: path, required: true, style: label, schema: {type: string}}\n      - {name: c, in: cookie, style: deepObject, schema: {type: string}}\n    get:\n      parameters:\n        - {name: q, in: query, allowReserved: true, schema: {type: string}}\n        - {name: X-A, in: header, style: simple, schema: {type: string}}\n      responses: {}",
        );
        let notes = downlevel(&mut doc).unwrap();
        let found: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(found, ["#/paths/~1a~1{id}/parameters/1/style", "#/paths/~1a~1{id}/get/parameters/0/allowReserved"]);
    }

    #[test]
    fn unknown_and_shape_changing_keywords_are_noted_as_ignored() {
        let (_, notes) = run_noting(
            "type: object\nproprties: {a: {type: string}}\nx-vendor: 1\nproperties: {b: {type: string, not: {enum: [x]}}}",
        )
        .unwrap();
        let found: Vec<(&str, DegradedKind)> = notes.iter().map(|n| (n.pointer.as_str(), n.kind)).collect();
        assert_eq!(found, [("#/s/proprties", DegradedKind::Ignored), ("#/s/properties/b/not", DegradedKind::Ignored)]);
        assert!(notes[0].reason.contains("not a keyword of OpenAPI or JSON Schema"));
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        assert_eq!(
            run("type: [integer, 'null']\nformat: int64").unwrap(),
            yaml("type: integer\nformat: int64\nnullable: true")
        );
        assert_eq!(run("type: [string]").unwrap(), yaml("type: string"));
    }

    #[test]
    fn type_array_with_several_real_types_becomes_one_of() {
        let got = run("type: [string, array, 'null']\nitems: {type: integer}\ndescription: d").unwrap();
        assert_eq!(
            got,
            yaml("description: d\nnullable: true\noneOf: [{type: string}, {items: {type: integer}, type: array}]")
        );
        let issue = run("properties: {a: {type: [string, integer], oneOf: [{}]}}").unwrap_err();
        assert_eq!(issue.pointer, "#/s/properties/a/type");
    }

    #[test]
    fn nullable_any_of_with_a_ref_becomes_all_of() {
        let got = run("description: d\nanyOf: [{$ref: '#/components/schemas/A'}, {type: 'null'}]").unwrap();
        assert_eq!(got, yaml("description: d\nnullable: true\nallOf: [{$ref: '#/components/schemas/A'}]"));
    }

    #[test]
    fn nullable_one_of_with_an_inline_schema_is_merged() {
        let got = run("description: d\noneOf: [{type: string, description: inner}, {type: 'null'}]").unwrap();
        assert_eq!(got, yaml("description: d\nnullable: true\ntype: string"));
    }

    #[test]
    fn described_null_branch_is_still_null() {
        let got = run("oneOf: [{type: string, description: a}, {type: 'null', description: none}]").unwrap();
        assert_eq!(got, yaml("nullable: true\ntype: string\ndescription: a"));
    }

    #[test]
    fn nullable_union_of_three_keeps_the_union() {
        let got = run("oneOf: [{type: string}, {type: integer}, {type: 'null'}]").unwrap();
        assert_eq!(got, yaml("oneOf: [{type: string}, {type: integer}]\nnullable: true"));
    }

    #[test]
    fn standalone_null_type_is_an_untyped_nullable_value() {
        assert_eq!(run("type: array\nitems: {type: 'null'}").unwrap(), yaml("type: array\nitems: {nullable: true}"));
        assert_eq!(run("type: ['null']").unwrap(), yaml("nullable: true"));
    }

    #[test]
    fn ref_with_siblings_moves_into_all_of_and_drops_type() {
        let got = run("$ref: '#/components/schemas/A'\ntype: object\ndescription: d").unwrap();
        assert_eq!(got, yaml("description: d\nallOf: [{$ref: '#/components/schemas/A'}]"));
        assert_eq!(run("$ref: '#/components/schemas/A'").unwrap(), yaml("$ref: '#/components/schemas/A'"));
    }

    #[test]
    fn type_beside_all_of_is_dropped() {
        let got = run("type: object\nallOf: [{$ref: '#/components/schemas/E'}]").unwrap();
        assert_eq!(got, yaml("allOf: [{$ref: '#/components/schemas/E'}]"));
    }

    #[test]
    fn schema_examples_become_example_and_are_kept_as_extension() {
        let got = run("type: object\nexamples: [{a: 1}, {a: 2}]").unwrap();
        assert_eq!(got, yaml("type: object\nexample: {a: 1}\nx-examples: [{a: 1}, {a: 2}]"));
    }

    #[test]
    fn items_without_type_become_an_array() {
        let got = run("items: {type: string}").unwrap();
        assert_eq!(got, yaml("items: {type: string}\ntype: array"));
    }

    #[test]
    fn format_on_array_is_dropped() {
        let got = run("type: array\nformat: binary\nitems: {type: string, format: binary}").unwrap();
        assert_eq!(got, yaml("type: array\nitems: {type: string, format: binary}"));
    }

    #[test]
    fn const_becomes_single_value_enum() {
        assert_eq!(run("type: string\nconst: yes").unwrap(), yaml("type: string\nenum: [yes]"));
    }

    #[test]
    fn numeric_exclusive_bounds_become_boolean_form() {
        let got = run("type: integer\nexclusiveMinimum: 0").unwrap();
        assert_eq!(got, yaml("type: integer\nexclusiveMinimum: true\nminimum: 0"));
    }

    #[test]
    fn a_keyword_no_rule_can_express_is_an_error_naming_the_pointer() {
        let issue = run("properties: {a: {$dynamicRef: '#node'}}").unwrap_err();
        assert_eq!(issue.pointer, "#/s/properties/a/$dynamicRef");
    }

    #[test]
    fn keywords_without_shape_are_kept_as_extensions() {
        let got =
            run("type: object\n$comment: c\nif: {required: [a]}\nthen: {required: [b]}\ndefinitions: {X: {}}").unwrap();
        assert_eq!(
            got,
            yaml("type: object\nx-$comment: c\nx-if: {required: [a]}\nx-then: {required: [b]}\nx-definitions: {X: {}}")
        );
    }

    #[test]
    fn content_encoding_and_media_type_become_formats() {
        let got = run("type: string\ncontentEncoding: base64").unwrap();
        assert_eq!(got, yaml("type: string\nformat: byte\nx-contentEncoding: base64"));
        let got = run("type: string\ncontentMediaType: image/png").unwrap();
        assert_eq!(got, yaml("type: string\nformat: binary\nx-contentMediaType: image/png"));
        let got = run("type: string\ncontentMediaType: application/json").unwrap();
        assert_eq!(got, yaml("type: string\nformat: json\nx-contentMediaType: application/json"));
        let got = run("type: string\ncontentMediaType: application/vnd.api+json").unwrap();
        assert_eq!(got, yaml("type: string\nformat: json\nx-contentMediaType: application/vnd.api+json"));
        let got = run("type: string\ncontentMediaType: text/csv").unwrap();
        assert_eq!(got, yaml("type: string\nx-contentMediaType: text/csv"));
    }

    #[test]
    fn pattern_properties_become_additional_properties() {
        let got = run("type: object\npatternProperties: {'^x': {type: integer}}").unwrap();
        assert_eq!(
            got,
            yaml("type: object\nadditionalProperties: {type: integer}\nx-patternProperties: {'^x': {type: integer}}")
        );
    }

    #[test]
    fn prefix_items_become_items_of_one_of_the_members() {
        let got = run("type: array\nprefixItems: [{type: string}, {type: integer}]").unwrap();
        assert_eq!(
            got,
            yaml("type: array\nitems: {oneOf: [{type: string}, {type: integer}]}\nx-prefixItems: [{type: string}, {type: integer}]")
        );
    }

    #[test]
    fn boolean_schemas_become_3_0_schemas() {
        let got = run("properties: {a: true, b: false}\nadditionalProperties: false").unwrap();
        assert_eq!(got, yaml("properties: {a: {}, b: {not: {}}}\nadditionalProperties: false"));
    }

    #[test]
    fn webhooks_and_callbacks_are_kept_as_extensions() {
        let mut doc = yaml(
            "openapi: 3.1.1\nwebhooks: {w: {}}\npaths:\n  /a:\n    post:\n      callbacks: {c: {$ref: '#/components/callbacks/c'}}\n      responses: {}",
        );
        downlevel(&mut doc).unwrap();
        assert_eq!(doc["x-webhooks"], yaml("w: {}"));
        assert_eq!(doc["paths"]["/a"]["post"]["x-callbacks"], yaml("c: {$ref: '#/components/callbacks/c'}"));
    }

    #[test]
    fn examples_and_enums_are_data_not_schemas() {
        let text =
            "type: object\nexample: {type: [a, 'null'], items: 1}\nproperties: {items: {type: [string, 'null']}}";
        let got = run(text).unwrap();
        assert_eq!(
            got,
            yaml("type: object\nexample: {type: [a, 'null'], items: 1}\nproperties: {items: {type: string, nullable: true}}")
        );
    }

    #[test]
    fn version_is_rewritten_and_unknown_versions_rejected() {
        let mut doc = yaml("openapi: 3.1.0\npaths: {}");
        downlevel(&mut doc).unwrap();
        assert_eq!(doc["openapi"], Value::from("3.0.3"));
        let mut doc = yaml("openapi: 2.0\npaths: {}");
        assert_eq!(downlevel(&mut doc).unwrap_err().pointer, "#/openapi");
    }

    #[test]
    fn schemas_in_operations_are_visited() {
        let mut doc = yaml(
            "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters: [{name: p, in: query, schema: {type: [string, 'null']}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: [integer, 'null']}}}}",
        );
        downlevel(&mut doc).unwrap();
        let op = &doc["paths"]["/a"]["get"];
        assert_eq!(op["parameters"][0]["schema"], yaml("type: string\nnullable: true"));
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"],
            yaml("type: integer\nnullable: true")
        );
    }
}
