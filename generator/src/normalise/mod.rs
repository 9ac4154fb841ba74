//! `openapiv3::OpenAPI` → [`ir::Api`]. The only module that reads `openapiv3` types.
//!
//! Every `$ref` is resolved here, parameters are merged, bodies classified, and every schema is
//! turned into a [`TypeRef`] or a named [`TypeDef`]. Inline objects, enums and unions get names
//! derived from where they sit (`EventResponse` + `flags` → `EventResponseFlags`).
//!
//! - [`schema`]: schemas → [`TypeRef`]s and named [`TypeDef`]s;
//! - [`operation`]: operations → parameters, bodies and responses;
//! - this module: the order of work, names for operations, components and tags, and the
//!   checks over the finished type set.

mod operation;
mod schema;

use crate::error::{join, Issue};
use crate::ir::*;
use crate::naming::{self, RustName};
use crate::overrides::Overrides;
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Builds the IR from a (downlevelled, patched) document.
pub fn normalise(doc: &oa::OpenAPI, overrides: &Overrides) -> Result<Api, Issue> {
    if doc.servers.is_empty() {
        return Err(Issue::at("#/servers", "the document lists no servers; the client needs at least one base URL"));
    }
    let operations = collect_operations(doc, overrides)?;
    let method_names = method_names(&operations, overrides)?;
    let component_names = component_names(doc, overrides, &operations, &method_names)?;
    let mut cx = Normaliser { doc, component_names, types: BTreeMap::new() };

    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            let pointer = format!("{SCHEMA_PREFIX}{}", crate::error::escape_token(name));
            let rust = cx.component_names[name].clone();
            match schema {
                oa::ReferenceOr::Item(schema) => {
                    cx.define(TypeId(pointer.clone()), rust, schema, &pointer, Some(name))?
                }
                oa::ReferenceOr::Reference { reference } => {
                    let target = cx.schema_ref(reference, &pointer)?;
                    cx.insert(TypeId(pointer), rust, Some(name), None, TypeKind::Alias(target));
                }
            }
        }
    }

    let tags = tags(doc, overrides, &operations)?;
    let mut ops = Vec::with_capacity(operations.len());
    for found in &operations {
        let name = method_names[found.id].clone();
        let op = cx.operation(found, name, &tags).map_err(|issue| issue.in_operation(found.id))?;
        ops.push(op);
    }
    ops.sort_by(|a, b| (&a.tag, &a.name).cmp(&(&b.tag, &b.name)));

    box_recursive_fields(&mut cx.types);
    check_unique_type_names(&cx.types)?;

    let servers = doc
        .servers
        .iter()
        .enumerate()
        .map(|(i, server)| {
            let word = server.description.as_deref().and_then(|d| d.split_whitespace().next()).unwrap_or("");
            let name =
                naming::pascal(word).unwrap_or_else(|| naming::pascal(&format!("server {}", i + 1)).expect("valid"));
            Server { name, url: server.url.trim_end_matches('/').to_owned(), description: server.description.clone() }
        })
        .collect();
    let skipped =
        overrides.skip.iter().map(|(what, reason)| Skipped { what: what.clone(), reason: reason.clone() }).collect();
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        servers,
        tags: tags.into_values().map(|t| (t.module.to_string(), t)).collect(),
        operations: ops,
        types: cx.types,
        skipped,
    })
}

/// An operation as found in the document.
struct Found<'a> {
    id: &'a str,
    path: &'a str,
    method: &'a str,
    pointer: String,
    op: &'a oa::Operation,
    path_params: &'a [oa::ReferenceOr<oa::Parameter>],
}

fn collect_operations<'a>(doc: &'a oa::OpenAPI, overrides: &Overrides) -> Result<Vec<Found<'a>>, Issue> {
    let mut found = Vec::new();
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let path_pointer = join("#/paths", &[path]);
        let item = match item {
            oa::ReferenceOr::Item(item) => item,
            oa::ReferenceOr::Reference { .. } => {
                return Err(Issue::at(path_pointer, "path item references are not supported"))
            }
        };
        for (method, op) in item.iter() {
            let pointer = join(&path_pointer, &[method]);
            let id =
                op.operation_id.as_deref().ok_or_else(|| Issue::at(&pointer, "the operation has no operationId"))?;
            if let Some(first) = seen.insert(id, pointer.clone()) {
                return Err(
                    Issue::at(&pointer, format!("duplicate operationId (first used at {first})")).in_operation(id)
                );
            }
            if overrides.skip.contains_key(id) {
                continue;
            }
            found.push(Found { id, path, method, pointer, op, path_params: &item.parameters });
        }
    }
    for id in overrides.skip.keys().chain(overrides.operations.keys()) {
        if !seen.contains_key(id.as_str()) {
            return Err(Issue::at(
                "#/paths",
                format!("the overrides file names operationId `{id}`, which the spec does not have"),
            ));
        }
    }
    Ok(found)
}

/// Method names: the overrides file first, then [`naming::method_from_path`]. Operations that
/// derive the same name and live under different API versions (`/v3/domains`, `/v4/domains`)
/// are told apart by version: the newest keeps the plain name, older ones get `_v3`. Anything
/// still colliding is an error that asks for an override.
fn method_names(ops: &[Found<'_>], overrides: &Overrides) -> Result<BTreeMap<String, RustName>, Issue> {
    let mut names: BTreeMap<String, RustName> = BTreeMap::new();
    let mut derived: BTreeMap<RustName, Vec<&Found<'_>>> = BTreeMap::new();
    for op in ops {
        if let Some(given) = overrides.operations.get(op.id) {
            let name = naming::from_override(&given.name).ok_or_else(|| {
                Issue::at(&op.pointer, format!("override name `{}` is not a valid identifier", given.name))
                    .in_operation(op.id)
            })?;
            names.insert(op.id.to_owned(), name);
        } else {
            let name = naming::method_from_path(op.method, op.path).ok_or_else(|| {
                Issue::at(&op.pointer, "no method name can be derived from the path").in_operation(op.id)
            })?;
            derived.entry(name).or_default().push(op);
        }
    }
    // The path's first segment, `v3` → (3, "v3"); compared by number so `v10` is newer than `v9`.
    let version = |op: &Found<'_>| {
        let segment = op.path.split('/').nth(1).unwrap_or("").to_owned();
        let number = segment.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()).unwrap_or(0);
        (number, segment)
    };
    for (name, group) in derived {
        if group.len() == 1 {
            names.insert(group[0].id.to_owned(), name);
            continue;
        }
        let newest = group.iter().map(|op| version(op)).max().unwrap_or_default();
        for op in group {
            let v = version(op);
            let unique = if v == newest { name.clone() } else { naming::suffixed(&name, &v.1) };
            names.insert(op.id.to_owned(), unique);
        }
    }
    let mut by_name: BTreeMap<&RustName, Vec<&str>> = BTreeMap::new();
    for (id, name) in &names {
        by_name.entry(name).or_default().push(id);
    }
    let clashes: Vec<String> = by_name
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(name, ids)| format!("`{name}` ({})", ids.join(", ")))
        .collect();
    if let Some(first) = by_name.values().find(|ids| ids.len() > 1) {
        let op = ops.iter().find(|o| o.id == first[1]).expect("known");
        return Err(Issue::at(
            &op.pointer,
            format!(
                "several operations get the same method name; name them in the overrides file: {}",
                clashes.join("; ")
            ),
        ));
    }
    Ok(names)
}

/// Component type names. Components that are not Go types and serve as the request body of
/// exactly one operation (`POST-v3-domain_name-messages-multipart-form-data-RequestBody`) are
/// named after that operation (`SendMessageBody`).
fn component_names(
    doc: &oa::OpenAPI,
    overrides: &Overrides,
    ops: &[Found<'_>],
    method_names: &BTreeMap<String, RustName>,
) -> Result<BTreeMap<String, RustName>, Issue> {
    let Some(components) = &doc.components else { return Ok(BTreeMap::new()) };
    let mut fixed = BTreeMap::new();
    for (name, given) in &overrides.schemas {
        if !components.schemas.contains_key(name) {
            return Err(Issue::at(
                SCHEMA_PREFIX,
                format!("the overrides file names schema `{name}`, which the spec does not have"),
            ));
        }
        let rust = naming::from_override(&given.name).ok_or_else(|| {
            Issue::at(SCHEMA_PREFIX, format!("override name `{}` is not a valid identifier", given.name))
        })?;
        fixed.insert(name.clone(), rust);
    }
    let mut body_users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for op in ops {
        if let Some(oa::ReferenceOr::Item(body)) = &op.op.request_body {
            let refs: BTreeSet<&str> = body
                .content
                .values()
                .filter_map(|m| match &m.schema {
                    Some(oa::ReferenceOr::Reference { reference }) => reference.strip_prefix(SCHEMA_PREFIX),
                    _ => None,
                })
                .collect();
            for component in refs {
                body_users.entry(component).or_default().push(op.id);
            }
        }
    }
    for (component, users) in body_users {
        if let [only] = users.as_slice() {
            if !naming::is_package_path(component)
                && !fixed.contains_key(component)
                && components.schemas.contains_key(component)
            {
                fixed.insert(component.to_owned(), naming::child_type(&pascal_of(&method_names[*only]), "body"));
            }
        }
    }
    let all: Vec<&str> = components.schemas.keys().map(String::as_str).collect();
    naming::component_types(&all, &fixed).map_err(|message| Issue::at(SCHEMA_PREFIX, message))
}

fn pascal_of(name: &RustName) -> RustName {
    naming::pascal(name.as_str()).expect("a method name has letters")
}

/// Tag modules, from the tags operations use (the top-level list misses some and declares
/// unused ones).
fn tags(doc: &oa::OpenAPI, overrides: &Overrides, ops: &[Found<'_>]) -> Result<BTreeMap<String, Tag>, Issue> {
    let mut out: BTreeMap<String, Tag> = BTreeMap::new();
    let mut modules: BTreeMap<RustName, String> = BTreeMap::new();
    for op in ops {
        let name = op.op.tags.first().map(String::as_str).unwrap_or("default");
        if out.contains_key(name) {
            continue;
        }
        let module = match overrides.tags.get(name) {
            Some(given) => naming::from_override(&given.module).ok_or_else(|| {
                Issue::at("#/tags", format!("override module `{}` is not a valid identifier", given.module))
            })?,
            None => naming::snake_or(name, "default"),
        };
        if let Some(other) = modules.insert(module.clone(), name.to_owned()) {
            return Err(Issue::at(
                "#/tags",
                format!("tags `{other}` and `{name}` both become module `{module}`; name one in the overrides file"),
            ));
        }
        let docs = doc.tags.iter().find(|t| t.name == name).and_then(|t| t.description.clone());
        out.insert(name.to_owned(), Tag { name: name.to_owned(), module, docs });
    }
    for tag in overrides.tags.keys() {
        if !out.contains_key(tag) {
            return Err(Issue::at("#/tags", format!("the overrides file names tag `{tag}`, which no operation uses")));
        }
    }
    Ok(out)
}

/// The state of one run: the document, the component names, and the types made so far.
struct Normaliser<'a> {
    doc: &'a oa::OpenAPI,
    component_names: BTreeMap<String, RustName>,
    types: BTreeMap<TypeId, TypeDef>,
}

impl<'a> Normaliser<'a> {
    fn insert(&mut self, id: TypeId, name: RustName, component: Option<&String>, docs: Option<String>, kind: TypeKind) {
        self.types.insert(id, TypeDef { name, component: component.cloned(), docs, kind });
    }
}

/// Marks the struct fields that make a type contain itself by value, so they can be boxed.
fn box_recursive_fields(types: &mut BTreeMap<TypeId, TypeDef>) {
    fn direct(ty: &TypeRef) -> Option<&TypeId> {
        match ty {
            TypeRef::Named(id) => Some(id),
            TypeRef::Option(inner) => direct(inner),
            _ => None,
        }
    }
    let edges: BTreeMap<TypeId, Vec<TypeId>> = types
        .iter()
        .map(|(id, def)| {
            let targets = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).cloned().collect(),
                TypeKind::Union(vs) => vs.iter().filter_map(|v| direct(&v.ty)).cloned().collect(),
                TypeKind::Alias(t) => direct(t).into_iter().cloned().collect(),
                TypeKind::Enum(_) => Vec::new(),
            };
            (id.clone(), targets)
        })
        .collect();
    let reaches = |from: &TypeId, to: &TypeId| {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                stack.extend(edges.get(at).into_iter().flatten());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (id, def) in types.iter() {
        if let TypeKind::Struct(s) = &def.kind {
            for (i, field) in s.fields.iter().enumerate() {
                if let Some(target) = direct(&field.ty) {
                    if reaches(target, id) {
                        to_box.push((id.clone(), i));
                    }
                }
            }
        }
    }
    for (id, i) in to_box {
        if let Some(TypeDef { kind: TypeKind::Struct(s), .. }) = types.get_mut(&id) {
            s.fields[i].boxed = true;
        }
    }
}

fn check_unique_type_names(types: &BTreeMap<TypeId, TypeDef>) -> Result<(), Issue> {
    let mut seen: BTreeMap<&RustName, &TypeId> = BTreeMap::new();
    for (id, def) in types {
        if let Some(other) = seen.insert(&def.name, id) {
            return Err(Issue::at(
                &id.0,
                format!(
                    "the schemas at {} and {} both get the type name `{}`; name one in the overrides file",
                    other.0, id.0, def.name
                ),
            ));
        }
    }
    Ok(())
}
