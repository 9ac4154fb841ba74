//! `openapiv3::OpenAPI` → [`ir::Api`]. The only module that reads `openapiv3` types.
//!
//! Every `$ref` is resolved here, parameters are merged, bodies classified, and every schema is
//! turned into a [`TypeRef`] or a named [`TypeDef`]. Inline objects, enums and unions get names
//! derived from where they sit (`EventResponse` + `flags` → `EventResponseFlags`).

use crate::error::{join, Issue};
use crate::ir::*;
use crate::naming::{self, RustName};
use crate::overrides::Overrides;
use heck::ToUpperCamelCase;
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
            if !component.contains("github.com")
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

/// A schema or a reference to one, whatever box it came in.
#[derive(Clone, Copy)]
enum SchemaView<'a> {
    Ref(&'a str),
    Item(&'a oa::Schema),
}

impl<'a> From<&'a oa::ReferenceOr<oa::Schema>> for SchemaView<'a> {
    fn from(value: &'a oa::ReferenceOr<oa::Schema>) -> Self {
        match value {
            oa::ReferenceOr::Reference { reference } => SchemaView::Ref(reference),
            oa::ReferenceOr::Item(schema) => SchemaView::Item(schema),
        }
    }
}

impl<'a> From<&'a oa::ReferenceOr<Box<oa::Schema>>> for SchemaView<'a> {
    fn from(value: &'a oa::ReferenceOr<Box<oa::Schema>>) -> Self {
        match value {
            oa::ReferenceOr::Reference { reference } => SchemaView::Ref(reference),
            oa::ReferenceOr::Item(schema) => SchemaView::Item(schema),
        }
    }
}

struct Normaliser<'a> {
    doc: &'a oa::OpenAPI,
    component_names: BTreeMap<String, RustName>,
    types: BTreeMap<TypeId, TypeDef>,
}

impl<'a> Normaliser<'a> {
    fn insert(&mut self, id: TypeId, name: RustName, component: Option<&String>, docs: Option<String>, kind: TypeKind) {
        self.types.insert(id, TypeDef { name, component: component.cloned(), docs, kind });
    }

    /// Resolves a schema `$ref` to the type it names.
    fn schema_ref(&self, reference: &str, pointer: &str) -> Result<TypeRef, Issue> {
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            return Err(Issue::at(pointer, format!("reference `{reference}` is not to a local component schema")));
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        if !self.component_names.contains_key(&name) {
            return Err(Issue::at(pointer, format!("reference `{reference}` points at no schema")));
        }
        Ok(TypeRef::Named(TypeId(reference.to_owned())))
    }

    /// Resolves a schema view to the schema itself (following one `$ref`).
    fn resolve(&self, view: SchemaView<'a>, pointer: &str) -> Result<(&'a oa::Schema, String), Issue> {
        match view {
            SchemaView::Item(schema) => Ok((schema, pointer.to_owned())),
            SchemaView::Ref(reference) => {
                self.schema_ref(reference, pointer)?;
                let name = reference[SCHEMA_PREFIX.len()..].replace("~1", "/").replace("~0", "~");
                let schemas = &self.doc.components.as_ref().expect("checked by schema_ref").schemas;
                match &schemas[&name] {
                    oa::ReferenceOr::Item(schema) => Ok((schema, reference.to_owned())),
                    oa::ReferenceOr::Reference { reference: next } => self.resolve(SchemaView::Ref(next), reference),
                }
            }
        }
    }

    /// The type of a schema in some position. Objects, enums and unions written inline get a
    /// named type called `hint`, identified by `pointer`.
    fn type_ref(&mut self, view: SchemaView<'a>, pointer: &str, hint: &RustName) -> Result<TypeRef, Issue> {
        let schema = match view {
            SchemaView::Ref(reference) => return self.schema_ref(reference, pointer),
            SchemaView::Item(schema) => schema,
        };
        let ty = if needs_definition(schema) {
            self.define(TypeId(pointer.to_owned()), hint.clone(), schema, pointer, None)?;
            TypeRef::Named(TypeId(pointer.to_owned()))
        } else {
            self.plain(schema, pointer, hint)?
        };
        Ok(if schema.schema_data.nullable { ty.optional() } else { ty })
    }

    /// A schema that needs no named type of its own.
    fn plain(&mut self, schema: &'a oa::Schema, pointer: &str, hint: &RustName) -> Result<TypeRef, Issue> {
        use oa::{SchemaKind as K, Type as T};
        Ok(match &schema.schema_kind {
            K::Type(T::String(s)) => match &s.format {
                oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary) => TypeRef::Prim(Prim::File),
                _ => TypeRef::Prim(Prim::String),
            },
            K::Type(T::Integer(i)) => match &i.format {
                oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int32) => TypeRef::Prim(Prim::I32),
                _ => TypeRef::Prim(Prim::I64),
            },
            K::Type(T::Number(_)) => TypeRef::Prim(Prim::F64),
            K::Type(T::Boolean(_)) => TypeRef::Prim(Prim::Bool),
            K::Type(T::Array(array)) => match &array.items {
                Some(items) => {
                    let item =
                        self.type_ref(items.into(), &join(pointer, &["items"]), &naming::child_type(hint, "item"))?;
                    TypeRef::Vec(Box::new(item))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Any)),
            },
            K::Type(T::Object(object)) => match &object.additional_properties {
                Some(oa::AdditionalProperties::Schema(value)) => {
                    let value = self.type_ref(
                        value.as_ref().into(),
                        &join(pointer, &["additionalProperties"]),
                        &naming::child_type(hint, "value"),
                    )?;
                    TypeRef::Map(Box::new(value))
                }
                Some(oa::AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Any)),
                // An object with no properties says nothing about its shape; in this spec such
                // objects carry timestamps as strings, so any JSON value is accepted.
                _ => TypeRef::Any,
            },
            K::AllOf { all_of } if all_of.len() == 1 => {
                let inner = self.type_ref((&all_of[0]).into(), &join(pointer, &["allOf", "0"]), hint)?;
                // The wrapper's nullability is applied by the caller.
                match inner {
                    TypeRef::Option(inner) if !schema.schema_data.nullable => *inner,
                    other => other,
                }
            }
            K::Any(any) => {
                let empty = any.typ.is_none()
                    && any.properties.is_empty()
                    && any.items.is_none()
                    && any.additional_properties.is_none()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty()
                    && any.not.is_none()
                    && any.enumeration.is_empty()
                    && any.format.is_none();
                if !empty {
                    return Err(Issue::at(
                        pointer,
                        "this schema mixes keywords in a way OpenAPI 3.0 cannot classify (openapiv3 reads it as an untyped schema)",
                    ));
                }
                TypeRef::Any
            }
            K::Not { .. } => return Err(Issue::at(join(pointer, &["not"]), "`not` schemas are not supported")),
            // Compositions with members are named types (see `needs_definition`); what is left
            // here is an empty `allOf`.
            K::AllOf { .. } | K::OneOf { .. } | K::AnyOf { .. } => {
                return Err(Issue::at(pointer, "an empty allOf/oneOf/anyOf has no meaning"))
            }
        })
    }

    /// Adds a named type for a schema.
    fn define(
        &mut self,
        id: TypeId,
        name: RustName,
        schema: &'a oa::Schema,
        pointer: &str,
        component: Option<&String>,
    ) -> Result<(), Issue> {
        use oa::{SchemaKind as K, Type as T};
        let docs = schema_docs(schema);
        let kind = match &schema.schema_kind {
            K::Type(T::String(s)) if !s.enumeration.is_empty() => TypeKind::Enum(enum_variants(schema, s)),
            K::Type(T::Object(object)) if !object.properties.is_empty() => {
                TypeKind::Struct(self.object(&[(object, pointer.to_owned())], pointer, &name)?)
            }
            K::AllOf { all_of } if all_of.len() > 1 => {
                let mut parts = Vec::new();
                for (i, member) in all_of.iter().enumerate() {
                    let (member_schema, member_pointer) =
                        self.resolve(member.into(), &join(pointer, &["allOf", &i.to_string()]))?;
                    match &member_schema.schema_kind {
                        K::Type(T::Object(object)) => parts.push((object, member_pointer)),
                        _ => {
                            return Err(Issue::at(member_pointer, "allOf members other than objects cannot be merged"));
                        }
                    }
                }
                TypeKind::Struct(self.object(&parts, pointer, &name)?)
            }
            K::OneOf { one_of: members } | K::AnyOf { any_of: members } => {
                let key = if matches!(schema.schema_kind, K::OneOf { .. }) { "oneOf" } else { "anyOf" };
                let mut variants = Vec::new();
                let mut taken = BTreeSet::new();
                for (i, member) in members.iter().enumerate() {
                    let hint = naming::child_type(&name, &format!("variant {}", i + 1));
                    let ty = self.type_ref(member.into(), &join(pointer, &[key, &i.to_string()]), &hint)?;
                    let mut variant = variant_name(&ty, &self.component_names, &self.types, i);
                    if !taken.insert(variant.clone()) {
                        variant = naming::suffixed(&variant, &(i + 1).to_string());
                        taken.insert(variant.clone());
                    }
                    variants.push(UnionVariant { name: variant, ty });
                }
                TypeKind::Union(variants)
            }
            _ => TypeKind::Alias(self.plain(schema, pointer, &name)?),
        };
        self.insert(id, name, component, docs, kind);
        Ok(())
    }

    /// A struct from one object schema, or several merged (`allOf`). Later members' properties
    /// replace earlier ones of the same name; `required` is the union.
    fn object(
        &mut self,
        parts: &[(&'a oa::ObjectType, String)],
        pointer: &str,
        name: &RustName,
    ) -> Result<Struct, Issue> {
        let mut properties: Vec<(&'a str, SchemaView<'a>, String)> = Vec::new();
        let mut required: BTreeSet<&str> = BTreeSet::new();
        let mut additional = None;
        for (object, object_pointer) in parts {
            for (prop, schema) in &object.properties {
                let prop_pointer = join(object_pointer, &["properties", prop]);
                properties.retain(|(p, _, _)| p != prop);
                properties.push((prop, schema.into(), prop_pointer));
            }
            required.extend(object.required.iter().map(String::as_str));
            match &object.additional_properties {
                Some(oa::AdditionalProperties::Schema(value)) => {
                    let hint = naming::child_type(name, "additional");
                    additional = Some(self.type_ref(
                        value.as_ref().into(),
                        &join(object_pointer, &["additionalProperties"]),
                        &hint,
                    )?);
                }
                Some(oa::AdditionalProperties::Any(true)) => additional = Some(TypeRef::Any),
                _ => {}
            }
        }
        for wire in &required {
            if !properties.iter().any(|(p, _, _)| p == wire) {
                return Err(Issue::at(pointer, format!("`{wire}` is listed in `required` but is not a property")));
            }
        }
        let wires: Vec<&str> = properties.iter().map(|(p, _, _)| *p).collect();
        let names = naming::scoped_snake(&wires, "field");
        let mut fields = Vec::with_capacity(properties.len());
        for ((wire, view, prop_pointer), field_name) in properties.into_iter().zip(names) {
            let hint = naming::child_type(name, wire);
            let ty = self.type_ref(view, &prop_pointer, &hint)?;
            let is_required = required.contains(wire);
            let ty = if is_required { ty } else { ty.optional() };
            let (docs, deprecated) = match view {
                SchemaView::Item(schema) => (schema_docs(schema), schema.schema_data.deprecated),
                SchemaView::Ref(_) => (None, false),
            };
            fields.push(Field {
                wire: wire.to_owned(),
                name: field_name,
                ty,
                required: is_required,
                boxed: false,
                docs,
                deprecated,
            });
        }
        Ok(Struct { fields, additional })
    }

    fn operation(
        &mut self,
        found: &Found<'a>,
        name: RustName,
        tags: &BTreeMap<String, Tag>,
    ) -> Result<Operation, Issue> {
        let op = found.op;
        let op_type = pascal_of(&name);
        let path = parse_template(found.path, &found.pointer)?;
        let params = self.params(found, &path, &op_type)?;
        let body = match &op.request_body {
            None => None,
            Some(body) => self.body(body, &join(&found.pointer, &["requestBody"]), &op_type)?,
        };
        let mut responses = Vec::new();
        let primary = primary_success(&op.responses);
        let mut statuses: Vec<(Status, &oa::ReferenceOr<oa::Response>)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    oa::StatusCode::Code(c) => Status::Code(*c),
                    oa::StatusCode::Range(r) => Status::Range(*r),
                };
                (status, r)
            })
            .collect();
        if let Some(default) = &op.responses.default {
            statuses.push((Status::Default, default));
        }
        statuses.sort_by_key(|(s, _)| *s);
        let mut output = TypeRef::Any;
        for (status, response) in statuses {
            let key = match status {
                Status::Code(c) => c.to_string(),
                Status::Range(r) => format!("{r}XX"),
                Status::Default => "default".to_owned(),
            };
            let pointer = join(&found.pointer, &["responses", &key]);
            let response = self.response_item(response, &pointer)?;
            let hint = if Some(status) == primary {
                naming::child_type(&op_type, "response")
            } else {
                naming::child_type(&op_type, &format!("response {key}"))
            };
            let body = match pick_json(&response.content) {
                Some((media, media_type)) => match &media_type.schema {
                    Some(schema) => {
                        Some(self.type_ref(schema.into(), &join(&pointer, &["content", media, "schema"]), &hint)?)
                    }
                    None => Some(TypeRef::Any),
                },
                None => None,
            };
            if Some(status) == primary {
                output = body.clone().unwrap_or(TypeRef::Unit);
            }
            responses.push(Response { status, body });
        }
        let mut op_tags = op.tags.iter();
        let home = op_tags.next().map(String::as_str).unwrap_or("default");
        Ok(Operation {
            id: found.id.to_owned(),
            name,
            tag: tags[home].module.to_string(),
            other_tags: op_tags.cloned().collect(),
            method: http_method(found.method),
            path,
            summary: op.summary.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
            description: op.description.clone().filter(|s| !s.trim().is_empty()),
            deprecated: op.deprecated,
            params,
            body,
            responses,
            output,
        })
    }

    fn response_item(
        &self,
        response: &'a oa::ReferenceOr<oa::Response>,
        pointer: &str,
    ) -> Result<&'a oa::Response, Issue> {
        local(response, self.doc.components.as_ref().map(|c| &c.responses), "responses", pointer)
    }

    fn params(&mut self, found: &Found<'a>, path: &PathTemplate, op_type: &RustName) -> Result<Vec<Param>, Issue> {
        // Operation-level parameters replace path-level ones with the same name and location.
        let mut merged: Vec<(&oa::ParameterData, ParamLocation, String)> = Vec::new();
        let path_pointer = found.pointer.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
        let sources = [(found.path_params, path_pointer), (&found.op.parameters[..], found.pointer.clone())];
        for (list, base) in sources {
            for (i, param) in list.iter().enumerate() {
                let pointer = join(&base, &["parameters", &i.to_string()]);
                let param = local(param, self.doc.components.as_ref().map(|c| &c.parameters), "parameters", &pointer)?;
                let (data, location) = match param {
                    oa::Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
                    oa::Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
                    oa::Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
                    oa::Parameter::Cookie { .. } => {
                        return Err(Issue::at(&pointer, "cookie parameters are not supported"))
                    }
                };
                // The body encoder owns Content-Type (a multipart boundary cannot be chosen by
                // the caller), so the spec's `Content-Type` header parameters are not exposed.
                if location == ParamLocation::Header && data.name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                merged.retain(|(d, l, _)| !(d.name == data.name && *l == location));
                merged.push((data, location, pointer));
            }
        }
        let template_params: Vec<&str> = path
            .parts
            .iter()
            .filter_map(|p| match p {
                PathPart::Param(name) => Some(name.as_str()),
                PathPart::Literal(_) => None,
            })
            .collect();
        for (data, location, pointer) in &merged {
            if *location == ParamLocation::Path && !template_params.contains(&data.name.as_str()) {
                return Err(Issue::at(pointer, format!("path parameter `{}` is not in the path template", data.name)));
            }
        }
        for wanted in &template_params {
            if !merged.iter().any(|(d, l, _)| *l == ParamLocation::Path && d.name == *wanted) {
                return Err(Issue::at(
                    &found.pointer,
                    format!("path template parameter `{{{wanted}}}` is not declared"),
                ));
            }
        }
        // Path parameters first, in template order; the rest in spec order.
        merged.sort_by_key(|(d, l, _)| match l {
            ParamLocation::Path => (0, template_params.iter().position(|p| *p == d.name).unwrap_or(0)),
            _ => (1, 0),
        });
        let wires: Vec<String> = merged
            .iter()
            .map(|(d, l, _)| {
                let clash = merged.iter().any(|(o, ol, _)| o.name == d.name && ol != l);
                // A query or header parameter sharing a path parameter's name is told apart by
                // its location (`ip` and `ip_query`).
                if clash && *l != ParamLocation::Path {
                    format!("{}_{}", d.name, if *l == ParamLocation::Query { "query" } else { "header" })
                } else {
                    d.name.clone()
                }
            })
            .collect();
        let wire_refs: Vec<&str> = wires.iter().map(String::as_str).collect();
        let names = naming::scoped_snake(&wire_refs, "param");
        let mut out = Vec::new();
        for ((data, location, pointer), name) in merged.into_iter().zip(names) {
            // `body` and `client` are the builder's own fields.
            let name = if matches!(name.as_str(), "body" | "client") { naming::suffixed(&name, "param") } else { name };
            let schema = match &data.format {
                oa::ParameterSchemaOrContent::Schema(schema) => schema,
                oa::ParameterSchemaOrContent::Content(_) => {
                    return Err(Issue::at(join(&pointer, &["content"]), "parameters with `content` are not supported"))
                }
            };
            let hint = naming::child_type(op_type, &data.name);
            let ty = self.type_ref(schema.into(), &join(&pointer, &["schema"]), &hint)?;
            let required = data.required || location == ParamLocation::Path;
            out.push(Param {
                wire: data.name.clone(),
                name,
                location,
                required,
                ty: ty.without_option().clone(),
                docs: data.description.clone(),
            });
        }
        Ok(out)
    }

    fn body(
        &mut self,
        body: &'a oa::ReferenceOr<oa::RequestBody>,
        pointer: &str,
        op_type: &RustName,
    ) -> Result<Option<Body>, Issue> {
        let body = local(body, self.doc.components.as_ref().map(|c| &c.request_bodies), "requestBodies", pointer)?;
        // JSON carries every shape (and batch inserts); multipart carries files.
        let mut candidates: Vec<(u8, &str, BodyEncoding)> = Vec::new();
        for media in body.content.keys() {
            let (rank, encoding) = match media.split(';').next().unwrap_or("").trim() {
                "application/json" => (0, BodyEncoding::Json),
                "multipart/form-data" => (1, BodyEncoding::Multipart),
                "application/x-www-form-urlencoded" => (2, BodyEncoding::Form),
                // Not a registered media type; Mailgun accepts multipart there.
                "application/form-data" => (3, BodyEncoding::Multipart),
                // The spec's `none` entries sit beside a real media type and describe nothing.
                "none" => continue,
                other => {
                    return Err(Issue::at(
                        join(pointer, &["content", media]),
                        format!("unsupported request media type `{other}`"),
                    ))
                }
            };
            candidates.push((rank, media, encoding));
        }
        candidates.sort();
        let Some((_, media, encoding)) = candidates.first().copied() else {
            return Ok(None);
        };
        let schema_pointer = join(pointer, &["content", media, "schema"]);
        let ty = match &body.content[media].schema {
            Some(schema) => self.type_ref(schema.into(), &schema_pointer, &naming::child_type(op_type, "body"))?,
            None => TypeRef::Any,
        };
        if encoding != BodyEncoding::Json && !matches!(ty.without_option(), TypeRef::Named(_)) {
            return Err(Issue::at(schema_pointer, "a form or multipart body must be an object schema"));
        }
        let alternatives = body.content.keys().filter(|m| m.as_str() != media).cloned().collect();
        Ok(Some(Body {
            encoding,
            media_type: media.to_owned(),
            alternatives,
            ty: ty.without_option().clone(),
            required: body.required,
        }))
    }
}

/// An item, or the entry of `components/<section>` its local `$ref` names.
fn local<'a, T>(
    item: &'a oa::ReferenceOr<T>,
    entries: Option<&'a indexmap::IndexMap<String, oa::ReferenceOr<T>>>,
    section: &str,
    pointer: &str,
) -> Result<&'a T, Issue> {
    match item {
        oa::ReferenceOr::Item(item) => Ok(item),
        oa::ReferenceOr::Reference { reference } => reference
            .strip_prefix(&format!("#/components/{section}/"))
            .and_then(|name| entries?.get(name))
            .and_then(|entry| entry.as_item())
            .ok_or_else(|| {
                Issue::at(pointer, format!("reference `{reference}` points at no entry of components/{section}"))
            }),
    }
}

fn needs_definition(schema: &oa::Schema) -> bool {
    use oa::{SchemaKind as K, Type as T};
    match &schema.schema_kind {
        K::Type(T::String(s)) => !s.enumeration.is_empty(),
        K::Type(T::Object(o)) => !o.properties.is_empty(),
        K::AllOf { all_of } => all_of.len() > 1,
        K::OneOf { .. } | K::AnyOf { .. } => true,
        _ => false,
    }
}

fn schema_docs(schema: &oa::Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(title), Some(description)) => Some(format!("{title}\n\n{description}")),
        (Some(text), None) | (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    }
    .filter(|d| !d.trim().is_empty())
}

fn enum_variants(schema: &oa::Schema, s: &oa::StringType) -> Vec<Variant> {
    let descriptions = schema.schema_data.extensions.get("x-enumDescriptions").and_then(|v| v.as_object());
    let mut values: Vec<&str> = Vec::new();
    for value in s.enumeration.iter().flatten() {
        // The spec lists some values twice; one variant each.
        if !values.contains(&value.as_str()) {
            values.push(value);
        }
    }
    let names = naming::variants(&values);
    values
        .iter()
        .zip(names)
        .map(|(wire, name)| Variant {
            wire: (*wire).to_owned(),
            name,
            docs: descriptions.and_then(|d| d.get(*wire)).and_then(|d| d.as_str()).map(str::to_owned),
        })
        .collect()
}

fn variant_name(
    ty: &TypeRef,
    components: &BTreeMap<String, RustName>,
    types: &BTreeMap<TypeId, TypeDef>,
    i: usize,
) -> RustName {
    let text = match ty.without_option() {
        TypeRef::Named(id) => types
            .get(id)
            .map(|t| t.name.to_string())
            .or_else(|| id.0.strip_prefix(SCHEMA_PREFIX).and_then(|c| components.get(c)).map(|n| n.to_string()))
            .unwrap_or_else(|| format!("variant {}", i + 1)),
        TypeRef::Prim(p) => format!("{p:?}"),
        TypeRef::Vec(inner) => match inner.without_option() {
            TypeRef::Vec(_) => "list of lists".to_owned(),
            _ => "list".to_owned(),
        },
        TypeRef::Map(_) => "map".to_owned(),
        TypeRef::Any | TypeRef::Unit | TypeRef::Option(_) => "value".to_owned(),
    };
    naming::pascal(&text.to_upper_camel_case()).expect("has letters")
}

fn primary_success(responses: &oa::Responses) -> Option<Status> {
    let mut best: Option<Status> = None;
    for code in responses.responses.keys() {
        let status = match code {
            oa::StatusCode::Code(c) => Status::Code(*c),
            oa::StatusCode::Range(r) => Status::Range(*r),
        };
        if status.is_success() && best.is_none_or(|b| status < b) {
            best = Some(status);
        }
    }
    best.or(responses.default.as_ref().map(|_| Status::Default))
}

fn pick_json(content: &indexmap::IndexMap<String, oa::MediaType>) -> Option<(&str, &oa::MediaType)> {
    content
        .iter()
        .find(|(m, _)| m.starts_with("application/json"))
        .or_else(|| content.iter().find(|(m, _)| m.contains("json")))
        .or_else(|| content.first())
        .map(|(m, t)| (m.as_str(), t))
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        _ => HttpMethod::Trace,
    }
}

fn parse_template(path: &str, pointer: &str) -> Result<PathTemplate, Issue> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let close =
            rest[open..].find('}').ok_or_else(|| Issue::at(pointer, "unclosed `{` in the path template"))? + open;
        parts.push(PathPart::Param(rest[open + 1..close].to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    Ok(PathTemplate { raw: path.to_owned(), parts })
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
