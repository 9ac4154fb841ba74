//! Operations → parameters, bodies and responses.

use super::{pascal_of, Found, Normaliser};
use crate::error::{join, Issue};
use crate::ir::*;
use crate::naming::{self, RustName};
use openapiv3 as oa;
use std::collections::BTreeMap;

impl<'a> Normaliser<'a> {
    pub(super) fn operation(
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
