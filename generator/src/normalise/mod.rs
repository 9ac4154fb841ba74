//! `openapiv3::OpenAPI` → `ir::Api<Unnamed>`: the API without a Rust name, which the
//! [`naming`](crate::naming) step names. The only module that reads `openapiv3` types.
//!
//! - [`schema`]: schemas → type references and named types (one function per construct);
//! - [`operation`]: operations → parameters, bodies and responses;
//! - [`graph`]: what the finished types say about each other: uses, reach, recursion;
//! - [`dedup`]: structurally identical types become one;
//! - [`paging`]: which calls answer with a paged list, and how it continues;
//! - this module: the order of work, and operations, tags, servers and components.

mod auth;
mod dedup;
mod deprecation;
mod graph;
mod operation;
mod paging;
mod schema;

use crate::error::{escape_token, join, Issue};
use crate::ir::*;
use crate::overrides::Overrides;
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Builds the IR from a (patched, downlevelled) document, without a name: those are decided by
/// [`naming::assign`](crate::naming::assign).
pub fn normalise(doc: &oa::OpenAPI, overrides: &Overrides) -> Result<Api<Unnamed>, Issue> {
    let operations = collect_operations(doc, overrides)?;
    let mut cx = Normaliser::new(doc)?;
    cx.components()?;
    let authentication = auth::authentication(doc, &operations, overrides)?;
    cx.left_out.extend(authentication.left_out);
    let mut ops = BTreeMap::new();
    for found in &operations {
        let mut op = cx.operation(found).map_err(|issue| issue.in_operation(&found.id.0))?;
        op.anonymous = authentication.anonymous.contains(&op.id);
        op.servers = operation_servers(found, &mut cx.left_out);
        ops.insert(op.id.clone(), op);
    }
    let identity = identity(&doc.info.title, &ops, overrides)?;
    let time_format = time_format(&cx.time_formats, overrides, &mut cx.left_out);
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        servers: servers(doc, &mut cx.left_out),
        tags: tags(doc, &ops),
        operations: ops,
        types: cx.types,
        left_out: cx.left_out,
        webhook_event: None,
        identity,
        conventions: conventions(overrides),
        auth: authentication.auth,
        time_format,
        release: Default::default(),
        error_text_variant: (),
    };
    // The passes below fill the one `Api` in place, each reading what the ones before it left;
    // the order is the dependency order, and each line says what it needs.
    api.left_out
        .extend(overrides.skip.iter().map(|(what, reason)| LeftOut { what: what.clone(), reason: reason.clone() }));
    // Form-field families reshape bodies: before anything reads a body's fields.
    families(&mut api, overrides)?;
    // Both change types' kinds, which dedup compares and `facts` walks.
    graph::timestamps_from_examples(&mut api);
    graph::newtypes_for_recursive_aliases(&mut api);
    // Dedup keeps error-only types apart and picks a merged type's id by their uses and reach
    // before merging (worked out for it alone: merging moves uses).
    let before_merging = graph::facts(&api);
    dedup::merge_identical(&mut api, &before_merging);
    // The webhook event is named by a type id, which dedup may have merged into another.
    webhook_event(&mut api, overrides)?;
    // The types are final: their uses and reach are stored, once, for every pass and step after.
    graph::facts(&api).record(&mut api);
    // Both read the final reach and uses: boxing breaks cycles, reprs depend on being read.
    graph::box_recursion(&mut api);
    graph::field_reprs(&mut api);
    // Setters and paging read the final body and answer types.
    body_setters(&mut api);
    paging::detect(&mut api);
    known_operations(&api, overrides)?;
    deprecation::replacements(&mut api, overrides)?;
    api.left_out.sort();
    Ok(api)
}

/// Every operation the overrides file has settings for is one the spec has (the later steps
/// that read those settings rely on it).
fn known_operations(api: &Api<Unnamed>, overrides: &Overrides) -> Result<(), Issue> {
    match overrides.operations.keys().find(|key| !api.operations.contains_key(&OperationId((*key).clone()))) {
        Some(key) => Err(Issue::in_overrides(
            Overrides::pointer("operations", key),
            format!("the overrides file names operation `{key}`, which the spec does not have"),
        )),
        None => Ok(()),
    }
}

/// Gives the structs the overrides file names their open families of prefixed properties; a
/// struct's catch-all map gives way to them (the families are what it was for).
fn families(api: &mut Api<Unnamed>, overrides: &Overrides) -> Result<(), Issue> {
    for (key, families) in &overrides.families {
        let pointer = Overrides::pointer("families", key);
        let id = if key.starts_with("#/") { TypeId(key.clone()) } else { TypeId(component_pointer(key)) };
        let Some(TypeKind::Struct(s)) = api.types.get_mut(&id).map(|d| &mut d.kind) else {
            return Err(Issue::in_overrides(pointer, format!("`{key}` is not an object schema the spec has")));
        };
        s.additional = None;
        s.families = families
            .iter()
            .map(|f| Family {
                prefix: f.prefix.clone(),
                name: (),
                setter: (),
                json: f.values == crate::overrides::FamilyValues::Json,
            })
            .collect();
    }
    Ok(())
}

/// How docs name the API, and the call the README shows: the overrides', else the document's
/// title and the first call with a request body (the crate's name is naming's).
fn identity(
    title: &str,
    operations: &BTreeMap<OperationId, Operation<Unnamed>>,
    overrides: &Overrides,
) -> Result<Identity<Unnamed>, Issue> {
    let given = overrides.krate.as_ref();
    let api_name = given.and_then(|c| c.api.clone()).unwrap_or_else(|| title.to_owned());
    let showcase = match given.and_then(|c| c.showcase.as_deref()) {
        Some(wanted) => {
            let found = operations.keys().find(|id| id.0 == wanted).ok_or_else(|| {
                Issue::in_overrides("#/crate/showcase", format!("`{wanted}` is not an operation the spec has"))
            })?;
            Some(found.clone())
        }
        None => operations
            .iter()
            .find(|(_, op)| op.body.is_some())
            .or_else(|| operations.iter().next())
            .map(|(id, _)| id.clone()),
    };
    Ok(Identity { crate_name: (), crate_name_source: (), api_name, showcase })
}

/// The one form the crate writes time values in: the overrides', else the one most of the
/// document's dates ask for (RFC 3339 on a tie, and without dates). Dates that ask for another
/// are reported: a time value given for them is written in the crate's form (text is sent as
/// it is given).
fn time_format(
    asked: &BTreeMap<TimeFormat, (usize, String)>,
    overrides: &Overrides,
    left_out: &mut Vec<LeftOut>,
) -> TimeFormat {
    let most = asked.values().map(|(count, _)| *count).max().unwrap_or(0);
    let chosen = match &overrides.client.time_format {
        Some(given) => given.format,
        None => asked.iter().find(|(_, (count, _))| *count == most).map_or(TimeFormat::Rfc3339, |(f, _)| *f),
    };
    for (format, (count, first)) in asked.iter().filter(|(format, _)| **format != chosen) {
        let dates = if *count == 1 { "date asks" } else { "dates ask" };
        let first_said = if *count == 1 { "" } else { " (this one first)" };
        left_out.push(LeftOut {
            what: first.clone(),
            reason: format!(
                "{count} {dates} for {}{first_said}, but a client writes every time value it is given in {} \
                 (answers keep the text they came with); give them as text to send them as asked",
                format.describe(),
                chosen.describe()
            ),
        });
    }
    chosen
}

fn conventions(overrides: &Overrides) -> crate::ir::Conventions {
    crate::ir::Conventions {
        on_behalf_of: overrides.client.on_behalf_of.as_ref().map(|h| h.header.clone()),
        // Lowercase: the client compares them with the message lowercased.
        wrong_region: overrides
            .client
            .wrong_region
            .iter()
            .map(|w| (w.status, w.message.as_ref().map(|m| m.to_lowercase())))
            .collect(),
    }
}

/// The type the overrides name for webhooks' `event-data`, found after merging (it may have
/// merged into an identical type).
fn webhook_event(api: &mut Api<Unnamed>, overrides: &Overrides) -> Result<(), Issue> {
    let Some(webhooks) = &overrides.webhooks else { return Ok(()) };
    let wanted =
        if webhooks.event.starts_with("#/") { webhooks.event.clone() } else { component_pointer(&webhooks.event) };
    let found = api.types.iter().find(|(id, def)| id.0 == wanted || def.merged.iter().any(|m| m.0 == wanted));
    let Some((id, _)) = found else {
        let pointer = "#/webhooks/event".to_owned();
        return Err(Issue::in_overrides(pointer, format!("`{}` is not a schema the spec has", webhooks.event)));
    };
    api.webhook_event = Some(id.clone());
    Ok(())
}

/// The setters of object bodies: one per field and family, the required fields being the
/// call's arguments. A body whose object has required fields is always sent, even where the
/// spec leaves `requestBody.required` at its default `false`: the call would be the same
/// without the body's required fields, and an empty body would be invalid anyway.
fn body_setters(api: &mut Api<Unnamed>) {
    for op in api.operations.values_mut() {
        let Some(body) = &mut op.body else { continue };
        let Some(s) = crate::ir::struct_of(&api.types, &body.ty) else { continue };
        if s.fields.iter().any(Field::must_be_given) {
            body.required = true;
        }
        // A required list is an argument, and has a setter that adds one more item.
        let fields = s.fields.iter().flat_map(|f| {
            let setter = |argument| BodySetter { target: SetterTarget::Field(f.wire.clone()), name: (), argument };
            let required = f.must_be_given();
            let list = matches!(f.ty, TypeRef::Vec(_));
            [required.then(|| setter(true)), (!required || list).then(|| setter(false))].into_iter().flatten()
        });
        let families = s.families.iter().map(|f| BodySetter {
            target: SetterTarget::Family(f.prefix.clone()),
            name: (),
            argument: false,
        });
        body.setters = fields.chain(families).collect();
    }
}

/// An operation as found in the document.
struct Found<'a> {
    id: OperationId,
    id_synthesized: bool,
    path: &'a str,
    method: HttpMethod,
    pointer: String,
    op: &'a oa::Operation,
    path_params: &'a [oa::ReferenceOr<oa::Parameter>],
    /// The path item's `servers` (an operation's own replace them).
    path_servers: &'a [oa::Server],
}

fn collect_operations<'a>(doc: &'a oa::OpenAPI, overrides: &Overrides) -> Result<Vec<Found<'a>>, Issue> {
    let mut found = Vec::new();
    let mut seen: BTreeMap<OperationId, String> = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let path_pointer = join("#/paths", &[path]);
        let item = match item {
            oa::ReferenceOr::Item(item) => item,
            oa::ReferenceOr::Reference { reference } => {
                return Err(Issue::at(
                    path_pointer,
                    format!(
                        "the path item is a reference (`{reference}`); only path items written in place are supported"
                    ),
                ))
            }
        };
        for (key, op) in item.iter() {
            let pointer = join(&path_pointer, &[key]);
            let method = HttpMethod::from_key(key)
                .ok_or_else(|| Issue::at(&pointer, format!("`{key}` is not an HTTP method this generator knows")))?;
            // OpenAPI allows an operation without an operationId; its method and path identify it.
            let (id, id_synthesized) = match &op.operation_id {
                Some(id) => (OperationId(id.clone()), false),
                None => (OperationId(format!("{} {path}", method.as_str())), true),
            };
            if let Some(first) = seen.insert(id.clone(), pointer.clone()) {
                return Err(
                    Issue::at(&pointer, format!("duplicate operationId (first used at {first})")).in_operation(&id.0)
                );
            }
            if overrides.skip.contains_key(&id.0) {
                continue;
            }
            found.push(Found {
                id,
                id_synthesized,
                path,
                method,
                pointer,
                op,
                path_params: &item.parameters,
                path_servers: &item.servers,
            });
        }
    }
    for id in overrides.skip.keys() {
        if !seen.contains_key(&OperationId(id.clone())) {
            return Err(Issue::in_overrides(
                Overrides::pointer("skip", id),
                format!("the overrides file skips operation `{id}`, which the spec does not have"),
            ));
        }
    }
    Ok(found)
}

/// Tags, from the ones operations use (the top-level list may miss some and declare unused
/// ones). An operation without a tag belongs to `default`.
fn tags(doc: &oa::OpenAPI, ops: &BTreeMap<OperationId, Operation<Unnamed>>) -> BTreeMap<TagKey, Tag<Unnamed>> {
    let used: BTreeSet<&TagKey> = ops.values().map(|op| &op.tag).collect();
    used.into_iter()
        .map(|key| {
            let declared = doc.tags.iter().find(|t| t.name == key.0);
            let display_name =
                declared.and_then(|t| t.extensions.get("x-displayName")).and_then(|v| v.as_str()).map(str::to_owned);
            let docs = declared.and_then(|t| t.description.clone()).filter(|d| !d.trim().is_empty());
            let tag = Tag { module: (), module_source: (), feature: (), display_name, docs };
            (key.clone(), tag)
        })
        .collect()
}

/// The absolute base URLs of `servers`, with server variables at their defaults. Relative ones
/// cannot be a client's default and are left out with a reason.
fn servers(doc: &oa::OpenAPI, left_out: &mut Vec<LeftOut>) -> Vec<Server<Unnamed>> {
    absolute_servers(&doc.servers, "#/servers", left_out)
}

/// The servers an operation is sent to instead of the API's: its own, else its path item's.
fn operation_servers(found: &Found<'_>, left_out: &mut Vec<LeftOut>) -> Vec<String> {
    let (list, pointer) = if found.op.servers.is_empty() {
        (found.path_servers, join(found.pointer.rsplit_once('/').map_or("", |(path, _)| path), &["servers"]))
    } else {
        (&found.op.servers[..], join(&found.pointer, &["servers"]))
    };
    absolute_servers(list, &pointer, left_out).into_iter().map(|server| server.url).collect()
}

/// The servers of a list whose URLs are absolute (variables at their defaults); the others are
/// reported.
fn absolute_servers(list: &[oa::Server], pointer: &str, left_out: &mut Vec<LeftOut>) -> Vec<Server<Unnamed>> {
    let mut out = Vec::new();
    for (i, server) in list.iter().enumerate() {
        let mut url = server.url.clone();
        for (name, variable) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        let url = url.trim_end_matches('/').to_owned();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains('{') {
            left_out.push(LeftOut {
                what: format!("{pointer}/{i}"),
                reason: format!(
                    "`{}` is not an absolute http(s) URL; pass a base URL to the client builder",
                    server.url
                ),
            });
            continue;
        }
        out.push(Server { name: (), url, description: server.description.clone() });
    }
    out
}

/// How a component is generated.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Component {
    /// A named type of its own.
    Defined,
    /// A plain string, number or boolean: references use the primitive itself.
    Primitive(Prim),
}

/// The state of one run: the document, how each component is generated, and the types made so
/// far.
struct Normaliser<'a> {
    doc: &'a oa::OpenAPI,
    components: BTreeMap<String, Component>,
    types: BTreeMap<TypeId, TypeDef<Unnamed>>,
    /// The types being defined: a type written in place that reaches itself (through an
    /// `allOf` of the component that holds it) is referred to, not defined again.
    defining: BTreeSet<TypeId>,
    /// The forms the document's dates ask for: how many values ask for each, and the first.
    time_formats: BTreeMap<TimeFormat, (usize, String)>,
    left_out: Vec<LeftOut>,
}

impl<'a> Normaliser<'a> {
    fn new(doc: &'a oa::OpenAPI) -> Result<Self, Issue> {
        let mut cx = Normaliser {
            doc,
            components: BTreeMap::new(),
            types: BTreeMap::new(),
            defining: BTreeSet::new(),
            time_formats: BTreeMap::new(),
            left_out: Vec::new(),
        };
        cx.classify_components()?;
        Ok(cx)
    }

    fn schemas(&self) -> Option<&'a indexmap::IndexMap<String, oa::ReferenceOr<oa::Schema>>> {
        self.doc.components.as_ref().map(|c| &c.schemas)
    }

    /// Decides which components are plain primitives, and rejects components that only refer
    /// to each other (`A` is `B`, `B` is `A`): they describe no value, and would be type aliases
    /// of each other, which Rust cannot compile.
    fn classify_components(&mut self) -> Result<(), Issue> {
        let Some(schemas) = self.schemas() else { return Ok(()) };
        for name in schemas.keys() {
            let mut chain: Vec<&str> = vec![name];
            let mut at = name.as_str();
            let kind = loop {
                match schema::alias_target(&schemas[at]) {
                    schema::AliasTarget::Component(next) => {
                        let Some((next_name, _)) = schemas.get_key_value(next.as_str()) else {
                            break Component::Defined;
                        };
                        if chain.contains(&next_name.as_str()) {
                            let pointers: Vec<String> = chain.iter().map(|c| component_pointer(c)).collect();
                            return Err(Issue::at(
                                component_pointer(name),
                                format!(
                                    "these schemas only refer to each other and describe no value: {}",
                                    pointers.join(" → ")
                                ),
                            ));
                        }
                        chain.push(next_name);
                        at = next_name;
                    }
                    schema::AliasTarget::Primitive(prim) if at == name => break Component::Primitive(prim),
                    _ => break Component::Defined,
                }
            };
            if let (Component::Primitive(Prim::Timestamp), oa::ReferenceOr::Item(schema)) = (&kind, &schemas[name]) {
                if let schema::Shape::String { timestamp: Some(format), .. } = schema::shape(schema) {
                    self.time_formats.entry(format).or_insert_with(|| (0, component_pointer(name))).0 += 1;
                }
            }
            if let Component::Primitive(prim) = &kind {
                self.left_out.push(LeftOut {
                    what: component_pointer(name),
                    reason: format!("a plain `{}`; references to it use that type directly", prim.as_str()),
                });
            }
            self.components.insert(name.clone(), kind);
        }
        Ok(())
    }

    /// Defines every component that is a type of its own.
    fn components(&mut self) -> Result<(), Issue> {
        let Some(schemas) = self.schemas() else { return Ok(()) };
        for (name, schema) in schemas {
            if self.components[name] != Component::Defined {
                continue;
            }
            let at = schema::At::component(name);
            match schema {
                oa::ReferenceOr::Item(schema) => self.define_component(schema, &at)?,
                oa::ReferenceOr::Reference { reference } => {
                    let target = self.component_ref(reference, &at.pointer)?;
                    self.insert(&at, None, None, TypeKind::Alias(target.element()));
                }
            }
        }
        Ok(())
    }

    /// Adds a type (naming names it).
    fn insert(&mut self, at: &schema::At, title: Option<String>, description: Option<String>, kind: TypeKind<Unnamed>) {
        self.types.insert(
            TypeId(at.id.clone()),
            TypeDef {
                name: (),
                module: (),
                name_source: (),
                origin: at.origin(),
                pointer: at.pointer.clone(),
                title,
                description,
                kind,
                merged: Vec::new(),
                merged_pointers: Vec::new(),
                uses: BTreeSet::new(),
                reach: Reach::default(),
            },
        );
    }
}

fn component_pointer(name: &str) -> String {
    format!("{SCHEMA_PREFIX}{}", escape_token(name))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The form most dates ask for is the crate's; the others are reported; the overrides win.
    #[test]
    fn time_values_are_written_in_the_form_most_dates_ask_for() {
        let doc: oa::OpenAPI = serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /events:
    get:
      operationId: listEvents
      parameters:
        - {name: on, in: query, schema: {type: string, format: date}}
        - {name: before, in: query, schema: {type: string, format: date}}
        - {name: after, in: query, schema: {type: string, format: date-time}}
        - {name: begin, in: query, description: The start in RFC 2822 format, schema: {type: string}}
      responses: {"204": {description: none}}
"#,
        )
        .unwrap();
        let api = normalise(&doc, &Overrides::default()).unwrap();
        assert_eq!(api.time_format, TimeFormat::Date);
        let reported: Vec<&str> = api.left_out.iter().map(|l| l.reason.as_str()).collect();
        assert_eq!(reported.len(), 2, "{reported:#?}");
        assert!(reported.iter().any(|r| r.starts_with("1 date asks for RFC 3339")), "{reported:#?}");
        assert!(reported.iter().any(|r| r.starts_with("1 date asks for RFC 2822")), "{reported:#?}");
        let overrides = serde_yaml::from_str("client: {time_format: {format: rfc2822, reason: r}}").unwrap();
        let api = normalise(&doc, &Overrides::from_value(overrides).unwrap()).unwrap();
        assert_eq!(api.time_format, TimeFormat::Rfc2822);
        assert!(api.left_out.iter().any(|l| l.reason.starts_with("2 dates ask for an RFC 3339 full date")));
    }

    /// An API with the given operations (identity, method, path) and nothing else, for the
    /// naming step's tests.
    pub(crate) fn api_with_operations(ops: &[(&str, HttpMethod, &str)]) -> Api<Unnamed> {
        let operations = ops
            .iter()
            .map(|(id, method, path)| {
                let op = Operation {
                    id: OperationId((*id).to_owned()),
                    id_synthesized: false,
                    name: (),
                    builder: (),
                    name_source: (),
                    tag: TagKey("default".to_owned()),
                    other_tags: Vec::new(),
                    method: *method,
                    path: operation::parse_template(path, "#").unwrap(),
                    pointer: "#".to_owned(),
                    summary: None,
                    description: None,
                    deprecated: false,
                    replaced_by: None,
                    params: Vec::new(),
                    body: None,
                    responses: Vec::new(),
                    output: Output { status: None, ty: TypeRef::Unit, format: BodyFormat::Empty },
                    pagination: None,
                    anonymous: false,
                    servers: Vec::new(),
                };
                (op.id.clone(), op)
            })
            .collect();
        Api {
            title: "t".to_owned(),
            version: "1".to_owned(),
            servers: Vec::new(),
            tags: BTreeMap::new(),
            operations,
            types: BTreeMap::new(),
            left_out: Vec::new(),
            webhook_event: None,
            identity: Identity { crate_name: (), crate_name_source: (), api_name: "t".to_owned(), showcase: None },
            conventions: Default::default(),
            auth: Default::default(),
            time_format: Default::default(),
            release: Default::default(),
            error_text_variant: (),
        }
    }
}
