//! Local references that point anywhere but at a component are made to point at one.
//!
//! JSON Reference allows a `$ref` to any place of the document: a property of another schema
//! (`#/components/schemas/Disk/properties/filesystem`), another operation's response
//! (`#/paths/~1a/get/responses/404`), a whole path item (`#/paths/~1b`). The normaliser follows
//! references to components only, so this step moves each other target into `components`,
//! under a name made from where it was, leaves a reference in its old place, and points every
//! reference at the new component: places that shared one schema share one type. A path item
//! that is a reference becomes a copy of the path item it names.
//!
//! The walk does not look inside examples, defaults, enums or extensions, where `$ref` is data.

use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Rewrites the document so that every local `$ref` names a component (`#/components/<section>/<name>`).
pub fn hoist(doc: &mut Value) {
    if !doc.is_mapping() {
        return;
    }
    inline_path_items(doc);
    let mut targets: BTreeSet<Vec<String>> = BTreeSet::new();
    visit_refs(doc, &mut |reference| {
        if let Some(tokens) = local_tokens(reference) {
            if !is_component(&tokens) {
                targets.insert(tokens);
            }
        }
    });
    // Deepest first: a target inside another is moved out before the outer one is copied, so
    // the copy already refers to it.
    let mut ordered: Vec<Vec<String>> = targets.into_iter().collect();
    ordered.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    let mut moved: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for tokens in ordered {
        let Some(value) = get(doc, &tokens).cloned() else { continue };
        let section = section_of(&tokens);
        let name = unique_name(doc, section, &name_for(doc, &tokens));
        let reference = format!("#/components/{section}/{}", escape(&name));
        ensure_section(doc, section).insert(name.into(), value);
        if let Some(place) = get_mut(doc, &tokens) {
            *place = reference_to(&reference);
        }
        moved.insert(tokens, reference);
    }
    if !moved.is_empty() {
        rewrite_refs(doc, "", &moved);
    }
}

/// `$ref` strings of the document, in schema-like positions.
fn visit_refs(value: &Value, f: &mut dyn FnMut(&str)) {
    visit_refs_in(value, "", f);
}

fn visit_refs_in(value: &Value, parent: &str, f: &mut dyn FnMut(&str)) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let key = key.as_str().unwrap_or("");
                if key == "$ref" {
                    if let Some(reference) = child.as_str() {
                        f(reference);
                    }
                } else if !skipped(parent, key) {
                    visit_refs_in(child, key, f);
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| visit_refs_in(item, parent, f)),
        _ => {}
    }
}

fn rewrite_refs(value: &mut Value, parent: &str, moved: &BTreeMap<Vec<String>, String>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                let key = key.as_str().unwrap_or("");
                if key == "$ref" {
                    let new = child.as_str().and_then(local_tokens).and_then(|tokens| moved.get(&tokens));
                    if let Some(new) = new {
                        *child = Value::String(new.clone());
                    }
                } else if !skipped(parent, key) {
                    rewrite_refs(child, key, moved);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|item| rewrite_refs(item, parent, moved)),
        _ => {}
    }
}

/// Keys whose values are data, not schemas or references: examples, enums, extensions, and a
/// schema's `default`. Under `properties` every key is a property name (a property may be
/// called `default`), and under `responses` `default` is a response.
fn skipped(parent: &str, key: &str) -> bool {
    if parent == "properties" {
        return false;
    }
    match key {
        "default" => parent != "responses",
        "example" | "examples" | "enum" | "const" => true,
        _ => key.starts_with("x-"),
    }
}

/// The tokens of a local JSON pointer, with URI percent-escapes and pointer escapes undone.
pub(crate) fn local_tokens(reference: &str) -> Option<Vec<String>> {
    let pointer = reference.strip_prefix("#/")?;
    Some(pointer.split('/').map(|t| percent_decode(t).replace("~1", "/").replace("~0", "~")).collect())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn is_component(tokens: &[String]) -> bool {
    tokens.len() == 3 && tokens[0] == "components"
}

/// The `components` section a target belongs in, from where it sits.
fn section_of(tokens: &[String]) -> &'static str {
    let n = tokens.len();
    let before = |k: usize| n.checked_sub(k).map(|i| tokens[i].as_str());
    let in_schema_properties = before(3) == Some("properties");
    match (before(2), before(1)) {
        (Some("responses"), _) if !in_schema_properties => "responses",
        (Some("parameters"), _) if !in_schema_properties => "parameters",
        (Some("headers"), _) if !in_schema_properties => "headers",
        (_, Some("requestBody")) => "requestBodies",
        _ => "schemas",
    }
}

/// A readable component name for a target: its owner (the component, or the operation's
/// identity) and the meaningful steps down to it.
fn name_for(doc: &Value, tokens: &[String]) -> String {
    let (owner, rest): (String, &[String]) = match tokens {
        [first, _, name, rest @ ..] if first == "components" => (name.clone(), rest),
        [first, path, method, rest @ ..] if first == "paths" => {
            let op = &doc["paths"][path.as_str()][method.as_str()];
            let owner = match op.get("operationId").and_then(Value::as_str) {
                Some(id) => id.to_owned(),
                None => format!("{method}{path}"),
            };
            (owner, rest)
        }
        _ => (tokens.join("_"), &[]),
    };
    let structural = ["properties", "content", "schema", "allOf", "oneOf", "anyOf"];
    let steps: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .filter(|t| !structural.contains(t) && !t.contains('/'))
        .map(|t| if t == "responses" { "response" } else { t })
        .collect();
    let mut name = owner;
    for step in steps {
        name.push('_');
        name.push_str(step);
    }
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).collect()
}

fn unique_name(doc: &Value, section: &str, base: &str) -> String {
    let taken = |name: &str| doc["components"][section].get(name).is_some();
    let mut name = base.to_owned();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("{base}_{n}");
    }
    name
}

fn ensure_section<'a>(doc: &'a mut Value, section: &str) -> &'a mut Mapping {
    let root = doc.as_mapping_mut().expect("the document is a mapping");
    let components = root.entry("components".into()).or_insert_with(|| Value::Mapping(Mapping::new()));
    if !components.is_mapping() {
        *components = Value::Mapping(Mapping::new());
    }
    let entries = components
        .as_mapping_mut()
        .expect("a mapping")
        .entry(section.into())
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if !entries.is_mapping() {
        *entries = Value::Mapping(Mapping::new());
    }
    entries.as_mapping_mut().expect("a mapping")
}

fn reference_to(reference: &str) -> Value {
    let mut map = Mapping::new();
    map.insert("$ref".into(), reference.into());
    Value::Mapping(map)
}

fn get<'a>(value: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(value, |node, token| match node {
        Value::Mapping(map) => map.get(token.as_str()),
        Value::Sequence(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn get_mut<'a>(value: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(value, |node, token| match node {
        Value::Mapping(map) => map.get_mut(token.as_str()),
        Value::Sequence(items) => token.parse::<usize>().ok().and_then(move |i| items.get_mut(i)),
        _ => None,
    })
}

/// A path item that is a `$ref` (to another path item, or to a 3.1 `components/pathItems`
/// entry) becomes a copy of it; keys written beside the `$ref` win. The copied operations are
/// other operations (at another path), so they drop the operationIds of the originals and get
/// identities made from their method and path.
fn inline_path_items(doc: &mut Value) {
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else { return };
    let keys: Vec<Value> = paths.keys().cloned().collect();
    for key in keys {
        let mut seen = BTreeSet::new();
        // Follow a chain of references, but never round a loop.
        while let Some(reference) = doc["paths"][&key].get("$ref").and_then(Value::as_str).map(str::to_owned) {
            if !seen.insert(reference.clone()) {
                break;
            }
            let Some(target) = local_tokens(&reference).and_then(|t| get(doc, &t).cloned()) else { break };
            let Some(item) = doc["paths"].get_mut(&key).and_then(Value::as_mapping_mut) else { break };
            item.remove("$ref");
            if let Value::Mapping(target) = target {
                for (k, mut v) in target {
                    if !item.contains_key(&k) {
                        if let Value::Mapping(operation) = &mut v {
                            operation.remove("operationId");
                        }
                        item.insert(k, v);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn a_reference_to_a_property_becomes_a_shared_component() {
        let mut doc = yaml(
            "components:\n  schemas:\n    Disk: {properties: {fs: {type: string, enum: [ext4]}}}\n    Backup: {properties: {fs: {$ref: '#/components/schemas/Disk/properties/fs'}}}",
        );
        hoist(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Disk_fs"], yaml("{type: string, enum: [ext4]}"));
        assert_eq!(schemas["Disk"]["properties"]["fs"], yaml("$ref: '#/components/schemas/Disk_fs'"));
        assert_eq!(schemas["Backup"]["properties"]["fs"], yaml("$ref: '#/components/schemas/Disk_fs'"));
    }

    #[test]
    fn responses_of_other_operations_become_components_and_nested_targets_move_first() {
        let mut doc = yaml(
            "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '404': {description: x, content: {application/json: {schema: {properties: {e: {type: string}}}}}}\n  /b:\n    get:\n      responses:\n        '404': {$ref: '#/paths/~1a/get/responses/404'}\n        '200': {description: y, content: {application/json: {schema: {$ref: '#/paths/~1a/get/responses/404/content/application~1json/schema/properties/e'}}}}",
        );
        hoist(&mut doc);
        let responses = &doc["components"]["responses"];
        assert!(responses.get("getA_response_404").is_some(), "{responses:?}");
        // The response was copied after its inner property moved out, so the copy refers to it.
        let copied = &responses["getA_response_404"]["content"]["application/json"]["schema"]["properties"]["e"];
        assert_eq!(copied, &yaml("$ref: '#/components/schemas/getA_response_404_e'"));
        assert_eq!(
            doc["paths"]["/b"]["get"]["responses"]["404"],
            yaml("$ref: '#/components/responses/getA_response_404'")
        );
    }

    #[test]
    fn percent_escaped_pointers_are_followed() {
        let mut doc = yaml(
            "paths:\n  /a/{id}:\n    get:\n      operationId: getA\n      responses: {'200': {description: x, content: {application/json: {schema: {type: object, properties: {n: {type: string}}}}}}}\n  /b:\n    get:\n      responses: {'200': {description: x, content: {application/json: {schema: {$ref: '#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema'}}}}}",
        );
        hoist(&mut doc);
        assert!(doc["components"]["schemas"].get("getA_response_200").is_some());
    }

    #[test]
    fn a_path_item_reference_becomes_a_copy() {
        let mut doc = yaml("paths:\n  /a: {get: {operationId: x, summary: s}}\n  /b: {$ref: '#/paths/~1a'}");
        hoist(&mut doc);
        assert_eq!(doc["paths"]["/b"], yaml("get: {summary: s}"));
    }

    #[test]
    fn a_default_response_is_not_data() {
        let mut doc = yaml(
            "paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {default: {description: x}}\n  /b:\n    get:\n      responses: {default: {$ref: '#/paths/~1a/get/responses/default'}}",
        );
        hoist(&mut doc);
        assert_eq!(
            doc["paths"]["/b"]["get"]["responses"]["default"],
            yaml("$ref: '#/components/responses/getA_response_default'")
        );
    }

    #[test]
    fn a_property_named_like_a_keyword_is_a_schema() {
        let mut doc = yaml(
            "components:\n  schemas:\n    A: {properties: {default: {properties: {c: {type: string}}}}}\n    B: {properties: {x: {$ref: '#/components/schemas/A/properties/default/properties/c'}}}",
        );
        hoist(&mut doc);
        assert!(doc["components"]["schemas"].get("A_default_c").is_some());
    }

    #[test]
    fn data_is_not_rewritten() {
        let mut doc = yaml("components:\n  schemas:\n    A: {example: {$ref: '#/components/schemas/A/properties/b'}}");
        let before = doc.clone();
        hoist(&mut doc);
        assert_eq!(doc, before);
    }
}
