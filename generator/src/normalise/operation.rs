//! Operations → parameters, bodies and responses.

use super::schema::{At, SchemaView};
use super::{Found, Normaliser};
use crate::error::{join, Issue};
use crate::ir::*;
use openapiv3 as oa;

impl<'a> Normaliser<'a> {
    pub(super) fn operation(&mut self, found: &Found<'a>) -> Result<Operation<Unnamed>, Issue> {
        let op = found.op;
        let path = parse_template(found.path, &found.pointer)?;
        let params = self.params(found, &path)?;
        let body = match &op.request_body {
            None => None,
            Some(body) => self.body(found, body)?,
        };
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
        let primary = primary_success(statuses.iter().map(|(s, _)| *s));
        let mut responses = Vec::new();
        let mut output = Output { status: primary, ty: TypeRef::Unit, format: BodyFormat::Empty };
        for (status, response) in statuses {
            let pointer = join(&found.pointer, &["responses", &status.to_string()]);
            let response = self.local_item(response, "responses", &pointer)?;
            let mut examples = Vec::new();
            let (format, body) = match pick_response(&response.content) {
                Some((media, format, media_type)) => {
                    examples = named_examples(media_type);
                    let at = At::operation(
                        join(&pointer, &["content", media, "schema"]),
                        join(&pointer, &["content", media, "schema"]),
                        &found.id,
                        Place::Response(status),
                    );
                    let body = match (format, &media_type.schema) {
                        (BodyFormat::Json, Some(schema)) => self.schema_type(schema.into(), &at)?.element(),
                        (BodyFormat::Json, None) => TypeRef::Any,
                        (BodyFormat::Text, _) => TypeRef::Prim(Prim::String),
                        (_, _) => TypeRef::Prim(Prim::Bytes),
                    };
                    (format, Some(body))
                }
                None => (BodyFormat::Empty, None),
            };
            if Some(status) == primary {
                output.ty = body.clone().unwrap_or(TypeRef::Unit);
                output.format = format;
            }
            responses.push(Response { status, format, body, examples });
        }
        let tag = op.tags.first().map(|t| TagKey(t.clone())).unwrap_or_else(|| TagKey("default".to_owned()));
        Ok(Operation {
            id: found.id.clone(),
            id_synthesized: found.id_synthesized,
            name: (),
            builder: (),
            name_source: (),
            tag,
            other_tags: op.tags.iter().skip(1).map(|t| TagKey(t.clone())).collect(),
            method: found.method,
            path,
            pointer: found.pointer.clone(),
            summary: op.summary.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
            description: op.description.clone().filter(|s| !s.trim().is_empty()),
            deprecated: op.deprecated,
            replaced_by: None,
            params,
            body,
            responses,
            output,
            pagination: None,
            anonymous: false,
            servers: Vec::new(),
        })
    }

    /// An item, or the entry of `components/<section>` its local `$ref` names.
    fn local_item<T>(&self, item: &'a oa::ReferenceOr<T>, section: &str, pointer: &str) -> Result<&'a T, Issue>
    where
        oa::Components: Section<T>,
    {
        match item {
            oa::ReferenceOr::Item(item) => Ok(item),
            oa::ReferenceOr::Reference { reference } => reference
                .strip_prefix(&format!("#/components/{section}/"))
                .and_then(|name| self.doc.components.as_ref()?.entries().get(name))
                .and_then(|entry| entry.as_item())
                .ok_or_else(|| {
                    Issue::at(pointer, format!("reference `{reference}` points at no entry of components/{section}"))
                }),
        }
    }

    fn params(&mut self, found: &Found<'a>, path: &PathTemplate) -> Result<Vec<Param<Unnamed>>, Issue> {
        // Operation-level parameters replace path-level ones with the same name and location.
        let mut merged: Vec<(&oa::ParameterData, ParamLocation, ParamStyle, String)> = Vec::new();
        let path_pointer = found.pointer.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
        let sources = [(found.path_params, path_pointer), (&found.op.parameters[..], found.pointer.clone())];
        for (list, base) in sources {
            for (i, param) in list.iter().enumerate() {
                let pointer = join(&base, &["parameters", &i.to_string()]);
                let param = self.local_item(param, "parameters", &pointer)?;
                let (data, location, style) = match param {
                    oa::Parameter::Query { parameter_data, style, .. } => {
                        (parameter_data, ParamLocation::Query, query_style(parameter_data, style))
                    }
                    oa::Parameter::Header { parameter_data, .. } => {
                        (parameter_data, ParamLocation::Header, content_style(parameter_data, ParamStyle::Comma))
                    }
                    oa::Parameter::Path { parameter_data, style } => {
                        let style = match style {
                            oa::PathStyle::Label => ParamStyle::Label,
                            oa::PathStyle::Matrix => ParamStyle::Matrix,
                            oa::PathStyle::Simple => ParamStyle::Comma,
                        };
                        (parameter_data, ParamLocation::Path, content_style(parameter_data, style))
                    }
                    oa::Parameter::Cookie { parameter_data, .. } => {
                        (parameter_data, ParamLocation::Cookie, content_style(parameter_data, ParamStyle::Comma))
                    }
                };
                // The body encoder owns Content-Type (a multipart boundary cannot be chosen by
                // the caller), so the spec's `Content-Type` header parameters are not exposed.
                if location == ParamLocation::Header && data.name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                merged.retain(|(d, l, _, _)| !(d.name == data.name && *l == location));
                merged.push((data, location, style, pointer));
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
        for (data, location, _, pointer) in &merged {
            if *location == ParamLocation::Path && !template_params.contains(&data.name.as_str()) {
                return Err(Issue::at(pointer, format!("path parameter `{}` is not in the path template", data.name)));
            }
        }
        for wanted in &template_params {
            if !merged.iter().any(|(d, l, _, _)| *l == ParamLocation::Path && d.name == *wanted) {
                return Err(Issue::at(
                    &found.pointer,
                    format!("path template parameter `{{{wanted}}}` is not declared"),
                ));
            }
        }
        // Path parameters first, in template order; the rest in spec order.
        merged.sort_by_key(|(d, l, _, _)| match l {
            ParamLocation::Path => (0, template_params.iter().position(|p| *p == d.name).unwrap_or(0)),
            _ => (1, 0),
        });
        let mut out = Vec::new();
        for (data, location, style, pointer) in merged {
            let (schema, schema_key): (&oa::ReferenceOr<oa::Schema>, Vec<String>) = match &data.format {
                oa::ParameterSchemaOrContent::Schema(schema) => (schema, vec!["schema".to_owned()]),
                // A parameter described by media type: its schema is the value, sent as JSON text.
                oa::ParameterSchemaOrContent::Content(content) => match content.iter().find_map(|(media, m)| {
                    m.schema.as_ref().map(|s| (s, vec!["content".to_owned(), media.clone(), "schema".to_owned()]))
                }) {
                    Some(found) => found,
                    None => {
                        return Err(Issue::at(join(&pointer, &["content"]), "the parameter's content has no schema"))
                    }
                },
            };
            let keys: Vec<&str> = schema_key.iter().map(String::as_str).collect();
            // Identified by location and name, so reordering the list changes no identity.
            let id = join(&join(&found.pointer, &["parameters"]), &[&format!("{}:{}", location.as_str(), data.name)]);
            let at = At::operation(
                join(&id, &keys),
                join(&pointer, &keys),
                &found.id,
                Place::Param { location, name: data.name.clone() },
            );
            let mut typed = self.schema_type(schema.into(), &at)?;
            // "The start date in RFC 2822 format" sits on the parameter, not its schema.
            if typed.ty == TypeRef::Prim(Prim::String) && super::schema::says_timestamp(data.description.as_deref()) {
                typed.ty = TypeRef::Prim(Prim::Timestamp);
                self.time_formats.entry(TimeFormat::Rfc2822).or_insert_with(|| (0, at.pointer.clone())).0 += 1;
            }
            // An object in the query goes member by member, as its style says.
            let object = self.has_members(&typed.ty);
            let style = match (location, style) {
                (ParamLocation::Query, ParamStyle::Exploded) if object => ParamStyle::ObjectExploded,
                (ParamLocation::Query, ParamStyle::Comma) if object => ParamStyle::ObjectComma,
                // `deepObject` describes objects only; anything else goes as `form` would.
                (ParamLocation::Query, ParamStyle::DeepObject) if !object => ParamStyle::Exploded,
                (_, style) => style,
            };
            out.push(Param {
                wire: data.name.clone(),
                name: (),
                location,
                required: data.required || location == ParamLocation::Path,
                nullable: typed.nullable,
                ty: typed.ty,
                style,
                docs: data.description.clone().filter(|d| !d.trim().is_empty()),
                deprecated: data.deprecated.unwrap_or(false),
                example: example(&data.example, &data.examples)
                    .or_else(|| schema.as_item().and_then(|s| s.schema_data.example.clone())),
            });
        }
        Ok(out)
    }

    fn body(
        &mut self,
        found: &Found<'a>,
        body: &'a oa::ReferenceOr<oa::RequestBody>,
    ) -> Result<Option<Body<Unnamed>>, Issue> {
        let pointer = join(&found.pointer, &["requestBody"]);
        let body = self.local_item(body, "requestBodies", &pointer)?;
        let mut candidates: Vec<(u8, &str, BodyEncoding)> = Vec::new();
        for media in body.content.keys() {
            let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            // JSON carries every shape (and batch inserts); multipart carries files.
            let (rank, encoding) = match essence.as_str() {
                m if is_json(m) => (0, BodyEncoding::Json),
                "multipart/form-data" => (1, BodyEncoding::Multipart),
                "application/x-www-form-urlencoded" => (2, BodyEncoding::Form),
                // Not a registered media type; APIs that write it accept multipart there.
                "application/form-data" => (3, BodyEncoding::Multipart),
                // `none` entries sit beside a real media type and describe nothing.
                "none" => continue,
                _ => (4, BodyEncoding::Raw),
            };
            candidates.push((rank, media, encoding));
        }
        candidates.sort();
        let Some((_, media, mut encoding)) = candidates.first().copied() else {
            return Ok(None);
        };
        let schema_pointer = join(&pointer, &["content", media, "schema"]);
        let at = At::operation(schema_pointer.clone(), schema_pointer, &found.id, Place::Body);
        let mut ty = match (&body.content[media].schema, encoding) {
            (_, BodyEncoding::Raw) => TypeRef::Prim(Prim::Bytes),
            (Some(schema), _) => self.schema_type(SchemaView::from(schema), &at)?.ty,
            (None, _) => TypeRef::Any,
        };
        // Form fields need names: a form body that is not an object (or map) is sent as the
        // bytes the caller gives, with the declared media type.
        if matches!(encoding, BodyEncoding::Form | BodyEncoding::Multipart) && !self.has_fields(&ty) {
            encoding = BodyEncoding::Raw;
            ty = TypeRef::Prim(Prim::Bytes);
        }
        let mut alternatives = Vec::new();
        for (other, content) in body.content.iter().filter(|(m, _)| m.as_str() != media) {
            let ty = match &content.schema {
                Some(oa::ReferenceOr::Reference { reference }) => {
                    let pointer = join(&pointer, &["content", other, "schema"]);
                    Some(self.component_ref(reference, &pointer)?.ty)
                }
                _ => None,
            };
            alternatives.push(Alternative { media_type: other.clone(), ty });
        }
        let content = &body.content[media];
        Ok(Some(Body {
            encoding,
            media_type: media.to_owned(),
            alternatives,
            ty,
            required: body.required,
            setters: Vec::new(),
            example: example(&content.example, &content.examples).or_else(|| {
                content.schema.as_ref().and_then(|s| s.as_item()).and_then(|s| s.schema_data.example.clone())
            }),
        }))
    }

    /// Whether a type is an object with members: a struct or a map, directly, optional or
    /// through aliases (untyped JSON may be anything, and goes by its own rules).
    fn has_members(&self, ty: &TypeRef) -> bool {
        match ty.without_option() {
            TypeRef::Map(_) => true,
            TypeRef::Named(id) => match self.types.get(id).map(|t| &t.kind) {
                Some(TypeKind::Struct(_)) => true,
                Some(TypeKind::Alias(target)) => self.has_members(target),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether a type can be sent as form fields: a struct, a map, or any JSON (an object at run
    /// time), directly or through aliases.
    fn has_fields(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Map(_) | TypeRef::Any => true,
            TypeRef::Named(id) => match self.types.get(id).map(|t| &t.kind) {
                Some(TypeKind::Struct(_)) => true,
                Some(TypeKind::Alias(target)) => self.has_fields(target),
                _ => false,
            },
            _ => false,
        }
    }
}

/// How a query parameter's value is written: a list repeats the name (`form`, exploded, the
/// default), or is one value joined by a separator; a parameter described by a media type is
/// JSON text.
fn query_style(data: &oa::ParameterData, style: &oa::QueryStyle) -> ParamStyle {
    let explode = data.explode.unwrap_or(matches!(style, oa::QueryStyle::Form));
    let fallback = match style {
        oa::QueryStyle::Form if explode => ParamStyle::Exploded,
        oa::QueryStyle::Form => ParamStyle::Comma,
        oa::QueryStyle::SpaceDelimited => ParamStyle::Space,
        oa::QueryStyle::PipeDelimited => ParamStyle::Pipe,
        oa::QueryStyle::DeepObject => ParamStyle::DeepObject,
    };
    content_style(data, fallback)
}

/// `Json` for a parameter described by a media type (`content`), else the given style.
fn content_style(data: &oa::ParameterData, style: ParamStyle) -> ParamStyle {
    match data.format {
        oa::ParameterSchemaOrContent::Content(_) => ParamStyle::Json,
        oa::ParameterSchemaOrContent::Schema(_) => style,
    }
}

/// `components` sections that operations refer into.
pub(super) trait Section<T> {
    fn entries(&self) -> &indexmap::IndexMap<String, oa::ReferenceOr<T>>;
}

impl Section<oa::Response> for oa::Components {
    fn entries(&self) -> &indexmap::IndexMap<String, oa::ReferenceOr<oa::Response>> {
        &self.responses
    }
}

impl Section<oa::Parameter> for oa::Components {
    fn entries(&self) -> &indexmap::IndexMap<String, oa::ReferenceOr<oa::Parameter>> {
        &self.parameters
    }
}

impl Section<oa::RequestBody> for oa::Components {
    fn entries(&self) -> &indexmap::IndexMap<String, oa::ReferenceOr<oa::RequestBody>> {
        &self.request_bodies
    }
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

/// The success status `send()` returns the body of: the lowest 2xx, else `default`.
fn primary_success(statuses: impl Iterator<Item = Status>) -> Option<Status> {
    let mut best: Option<Status> = None;
    let mut has_default = false;
    for status in statuses {
        has_default |= status == Status::Default;
        if status.is_success() && best.is_none_or(|b| status < b) {
            best = Some(status);
        }
    }
    best.or(has_default.then_some(Status::Default))
}

/// The content a response is read as: JSON if any is offered, else text, else bytes.
fn pick_response(content: &indexmap::IndexMap<String, oa::MediaType>) -> Option<(&str, BodyFormat, &oa::MediaType)> {
    let essence = |m: &str| m.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let find = |f: &dyn Fn(&str) -> bool| content.iter().find(|(m, _)| f(&essence(m)));
    find(&is_json)
        .map(|(m, t)| (m.as_str(), BodyFormat::Json, t))
        .or_else(|| find(&|m| m.starts_with("text/")).map(|(m, t)| (m.as_str(), BodyFormat::Text, t)))
        .or_else(|| content.first().map(|(m, t)| (m.as_str(), BodyFormat::Bytes, t)))
}

pub(super) fn parse_template(path: &str, pointer: &str) -> Result<PathTemplate, Issue> {
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

/// An `example`, or else the value of the first of `examples` written in place.
fn example(
    example: &Option<serde_json::Value>,
    examples: &indexmap::IndexMap<String, oa::ReferenceOr<oa::Example>>,
) -> Option<serde_json::Value> {
    example.clone().or_else(|| examples.values().find_map(|e| e.as_item().and_then(|e| e.value.clone())))
}

/// Every example of a media type written in place, by name.
fn named_examples(media: &oa::MediaType) -> Vec<NamedExample> {
    let lone = media.example.clone().map(|value| NamedExample { name: "example".to_owned(), value });
    let named = media.examples.iter().filter_map(|(name, e)| {
        let value = e.as_item()?.value.clone()?;
        Some(NamedExample { name: name.clone(), value })
    });
    lone.into_iter().chain(named).collect()
}
