//! Every Rust name in the output is decided here, with the reason it is what it is
//! ([`NameSource`]). Emitters only read names.
//!
//! The step takes the normaliser's `Api<Unnamed>`, which has no names at all. Each step below
//! adds its names to a table keyed by identity (`Names`: a tag's key, an operationId, a type's
//! id, a member's position in its scope) and reads the earlier steps' from it; `resolve` then
//! builds the `Api<Named>` every later step reads from the unnamed API and the table.
//!
//! [`RustName`] can only be built by this module, so an unsanitised spec string cannot reach
//! `format_ident!`. Names depend only on the spec and the overrides file, never on the order in
//! which the document lists things or the generator visits them.
//!
//! The step runs in dependency order:
//! 1. [`tags`]: module names;
//! 2. [`methods`]: method and builder names (they qualify inline types);
//! 3. [`types`]: type and file names (they name union variants);
//! 4. [`members`]: fields, parameters, variants and servers, each unique within its scope.

mod members;
mod methods;
mod tags;
mod types;

pub use crate::rust_name::{from_override, RustName};

use crate::error::Issue;
use crate::ir::{
    Additional, Api, Body, BodySetter, Family, Field, Identity, NameSource, Operation, OperationId, Param, Server,
    Struct, Tag, TagKey, TypeDef, TypeId, TypeKind, UnionVariant, Unnamed, Variant,
};
use crate::overrides::Overrides;
use crate::rust_name::{sanitize, KEYWORDS};
use crate::words;
use std::collections::{BTreeMap, BTreeSet};

/// `snake_case` identifier for text from the spec.
pub fn snake(text: &str) -> Option<RustName> {
    snake_words(&words::split(text))
}

/// `UpperCamelCase` identifier for text from the spec.
pub fn pascal(text: &str) -> Option<RustName> {
    pascal_words(&words::split(text))
}

/// `snake_case` identifier from words.
fn snake_words(words: &[String]) -> Option<RustName> {
    sanitize(&words::snake(words), "n")
}

/// `UpperCamelCase` identifier from words.
fn pascal_words(words: &[String]) -> Option<RustName> {
    sanitize(&words::pascal(words), "V")
}

/// A short, stable hash of a text, to keep a shortened name unique: 6 hex digits of FNV-1a.
fn short_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:06x}", hash & 0xff_ffff)
}

/// Crate names a generated crate cannot take: the standard library's, and those of the crates it
/// depends on (a package cannot depend on a namesake). A test checks the list against the
/// generated `Cargo.toml`.
pub const TAKEN_CRATE_NAMES: &[&str] = &[
    "alloc",
    "axum",
    "backon",
    "base64",
    "bytes",
    "core",
    "form_urlencoded",
    "futures_core",
    "futures_util",
    "hex",
    "hmac",
    "mime_guess",
    "multer",
    "percent_encoding",
    "proc_macro",
    "reqwest",
    "reqwest_middleware",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "sha2",
    "std",
    "test",
    "time",
    "tokio",
    "tokio_util",
    "tracing",
    "wiremock",
];

/// The generated crate's name: the overrides' (which must be a valid, free name), else the
/// document's title in `snake_case` (`_api` added to a taken name, `api` for a title with no
/// word in it).
fn crate_name(api: &Api<Unnamed>, overrides: &Overrides) -> Result<(RustName, NameSource), Issue> {
    let given = overrides.krate.as_ref().and_then(|c| c.name.as_deref());
    let (name, source) = match given {
        Some(name) => {
            let snake = name.replace('-', "_");
            if from_override(&snake).is_none() || TAKEN_CRATE_NAMES.contains(&snake.as_str()) {
                let why = format!("`{name}` cannot name a crate: it must be letters, digits, `_` and `-`, begin with a letter, and not be a keyword or one of {}", TAKEN_CRATE_NAMES.join(", "));
                return Err(Issue::in_overrides("#/crate/name", why));
            }
            (snake, NameSource::Override)
        }
        None => {
            let cased = words::snake(&words::split(&api.title));
            let kept: String = cased.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
            let mut name = kept.trim_matches('_').to_owned();
            if name.is_empty() {
                name = "api".to_owned();
            } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                name.insert_str(0, "api_");
            }
            if TAKEN_CRATE_NAMES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
                name.push_str("_api");
            }
            (name, NameSource::Derived { from: format!("the document's title `{}`", api.title) })
        }
    };
    let name = from_override(&name).expect("checked above: letters, digits and `_`, not a keyword");
    Ok((name, source))
}

/// A method's names, and why it has them.
pub(crate) struct Method {
    /// The method on `Client`.
    name: RustName,
    /// The request builder's type.
    builder: RustName,
    source: NameSource,
}

/// A type's name, its file's, and why.
pub(crate) struct TypeName {
    name: RustName,
    module: RustName,
    source: NameSource,
}

/// The names inside a type.
#[derive(Default)]
pub(crate) struct TypeMembers {
    /// A struct's fields, an enum's or a union's variants, in order.
    members: Vec<RustName>,
    /// The catch-all map's field.
    additional: Option<RustName>,
    /// The field that keeps what an answer held beside the others (types read from answers).
    undocumented: Option<RustName>,
    /// Each family's field and setter, in order.
    families: Vec<(RustName, RustName)>,
}

/// The names inside a call: its parameters' and its body setters', in order.
pub(crate) struct CallMembers {
    params: Vec<RustName>,
    setters: Vec<RustName>,
}

/// What [`members`] decides.
pub(crate) struct Members {
    types: BTreeMap<TypeId, TypeMembers>,
    calls: BTreeMap<OperationId, CallMembers>,
    servers: Vec<RustName>,
}

/// Every name decided so far, keyed by the identity of what it names. Each step adds its own
/// and reads the earlier steps' (a type is named after its call, a union's variants after their
/// types); [`resolve`] then builds the named API from the unnamed one and these.
#[derive(Default)]
pub(crate) struct Names {
    tags: BTreeMap<TagKey, (RustName, NameSource)>,
    methods: BTreeMap<OperationId, Method>,
    types: BTreeMap<TypeId, TypeName>,
}

impl Names {
    /// A tag's module (the tags are named first).
    fn module(&self, tag: &TagKey) -> &RustName {
        &self.tags[tag].0
    }

    /// An operation's method (the methods are named before the types).
    fn method(&self, op: &OperationId) -> &RustName {
        &self.methods[op].name
    }
}

/// Names everything in the API (the crate, tags, methods, types, then members) and hands back
/// the API the later steps read: the only way from the normaliser's output to one.
pub fn assign(api: Api<Unnamed>, overrides: &Overrides) -> Result<Api, Issue> {
    let krate = crate_name(&api, overrides)?;
    let mut names = Names { tags: tags::assign(&api, overrides)?, ..Names::default() };
    names.methods = methods::assign(&api, overrides)?;
    names.types = types::assign(&api, &names, overrides)?;
    let members = members::assign(&api, &names, overrides)?;
    let error_text_variant = error_text_variant(&names);
    Ok(resolve(api, krate, names, members, error_text_variant))
}

/// `ErrorBody`'s variant for a text body: `Text`, or `Text2`, … when a type (whose name a
/// variant of the same enum takes when it is a documented error body) has it.
fn error_text_variant(names: &Names) -> RustName {
    let taken: BTreeSet<&str> = names.types.values().map(|t| t.name.as_str()).collect();
    let base = sanitize("Text", "").expect("an identifier");
    let mut free = std::iter::once(base.clone()).chain((2..).map(|n| base.numbered("", n)));
    free.find(|name| !taken.contains(name.as_str())).expect("a free name")
}

/// The named API: the unnamed one's structure and facts, each item given the names decided for
/// its identity. Every step above names every item of its kind, so a missing name is a bug of
/// this module (the `expect`s say which step's).
fn resolve(
    api: Api<Unnamed>,
    (crate_name, crate_name_source): (RustName, NameSource),
    mut names: Names,
    mut members: Members,
    error_text_variant: RustName,
) -> Api {
    let tags = api
        .tags
        .into_iter()
        .map(|(key, tag)| {
            let (module, module_source) = names.tags.remove(&key).expect("the tags step names every tag");
            let feature = tags::feature_name(&module);
            let Tag { module: (), module_source: (), feature: (), display_name, docs } = tag;
            (key, Tag { module, module_source, feature, display_name, docs })
        })
        .collect();
    let operations = api
        .operations
        .into_iter()
        .map(|(id, op)| {
            let method = names.methods.remove(&id).expect("the methods step names every operation");
            let call = members.calls.remove(&id).expect("the members step names every call's members");
            (id, operation(op, method, call))
        })
        .collect();
    let types = api
        .types
        .into_iter()
        .map(|(id, def)| {
            let name = names.types.remove(&id).expect("the types step names every type");
            let inside = members.types.remove(&id).expect("the members step names every type's members");
            (id, type_def(def, name, inside))
        })
        .collect();
    let servers = paired(api.servers, members.servers, "the servers")
        .map(|(Server { name: (), url, description }, name)| Server { name, url, description })
        .collect();
    let Identity { crate_name: (), crate_name_source: (), api_name, showcase } = api.identity;
    Api {
        title: api.title,
        version: api.version,
        servers,
        tags,
        operations,
        types,
        left_out: api.left_out,
        webhook_event: api.webhook_event,
        identity: Identity { crate_name, crate_name_source, api_name, showcase },
        conventions: api.conventions,
        auth: api.auth,
        time_format: api.time_format,
        release: api.release,
        error_text_variant,
    }
}

/// Each member of a scope with its name: the step that named the scope named each member, in
/// order, so a count that differs is a bug of this module, never a member left out quietly.
fn paired<T, N>(members: Vec<T>, names: Vec<N>, scope: &str) -> impl Iterator<Item = (T, N)> {
    assert_eq!(members.len(), names.len(), "the naming step names every member of {scope}");
    members.into_iter().zip(names)
}

fn operation(op: Operation<Unnamed>, method: Method, call: CallMembers) -> Operation {
    let Operation {
        id,
        id_synthesized,
        name: (),
        builder: (),
        name_source: (),
        tag,
        other_tags,
        method: http_method,
        path,
        pointer,
        summary,
        description,
        deprecated,
        replaced_by,
        params,
        body,
        responses,
        output,
        pagination,
        anonymous,
        servers,
    } = op;
    let params = paired(params, call.params, "a call's parameters")
        .map(|(param, name)| {
            let Param { wire, name: (), location, required, nullable, ty, style, docs, deprecated, example } = param;
            Param { wire, name, location, required, nullable, ty, style, docs, deprecated, example }
        })
        .collect();
    let body = body.map(|body| {
        let Body { encoding, media_type, alternatives, ty, required, setters, example } = body;
        let setters = paired(setters, call.setters, "a body's setters")
            .map(|(BodySetter { target, name: (), argument }, name)| BodySetter { target, name, argument })
            .collect();
        Body { encoding, media_type, alternatives, ty, required, setters, example }
    });
    Operation {
        id,
        id_synthesized,
        name: method.name,
        builder: method.builder,
        name_source: method.source,
        tag,
        other_tags,
        method: http_method,
        path,
        pointer,
        summary,
        description,
        deprecated,
        replaced_by,
        params,
        body,
        responses,
        output,
        pagination,
        anonymous,
        servers,
    }
}

fn type_def(def: TypeDef<Unnamed>, name: TypeName, inside: TypeMembers) -> TypeDef {
    let TypeDef {
        name: (),
        module: (),
        name_source: (),
        origin,
        pointer,
        title,
        description,
        kind,
        merged,
        merged_pointers,
        uses,
        reach,
    } = def;
    let TypeMembers { members, additional: additional_name, undocumented, families: family_names } = inside;
    let kind = match kind {
        TypeKind::Struct(Struct { fields, additional, families, undocumented: () }) => {
            let fields = paired(fields, members, "a struct's fields")
                .map(|(field, name)| {
                    let Field { wire, name: (), ty, required, nullable, boxed, repr, docs } = field;
                    Field { wire, name, ty, required, nullable, boxed, repr, docs }
                })
                .collect();
            let additional = match (additional, additional_name) {
                (Some(Additional { name: (), ty }), Some(name)) => Some(Additional { name, ty }),
                (None, None) => None,
                _ => unreachable!("the naming step names a struct's catch-all map when it has one"),
            };
            let families = paired(families, family_names, "a struct's families")
                .map(|(Family { prefix, name: (), setter: (), json }, (name, setter))| Family {
                    prefix,
                    name,
                    setter,
                    json,
                })
                .collect();
            TypeKind::Struct(Struct { fields, additional, families, undocumented })
        }
        TypeKind::Enum(variants) => TypeKind::Enum(
            paired(variants, members, "an enum's variants")
                .map(|(Variant { wire, name: (), docs }, name)| Variant { wire, name, docs })
                .collect(),
        ),
        TypeKind::Union(variants) => TypeKind::Union(
            paired(variants, members, "a union's variants")
                .map(|(UnionVariant { name: (), ty, boxed }, name)| UnionVariant { name, ty, boxed })
                .collect(),
        ),
        TypeKind::Alias(ty) => TypeKind::Alias(ty),
        TypeKind::Newtype(ty) => TypeKind::Newtype(ty),
    };
    TypeDef {
        name: name.name,
        module: name.module,
        name_source: name.source,
        origin,
        pointer,
        title,
        description,
        kind,
        merged,
        merged_pointers,
        uses,
        reach,
    }
}

/// Why a qualified name is what it is, in words: ``` `Domain` + tag `Logs` (`Domain` is wanted by
/// 2 items; `Domain` keeps it) ```. `None` for a name the rules derived plainly or an override
/// gave.
pub fn explain(api: &Api, source: &NameSource) -> Option<String> {
    use crate::ir::{OperationId, QualifyReason, TypeId};
    let NameSource::Qualified { derived, qualifier, reason, conflicts } = source else { return None };
    let name_of = |identity: &str| -> String {
        let type_name = api.types.get(&TypeId(identity.to_owned())).map(|def| def.name.to_string());
        let method_name = || api.operations.get(&OperationId(identity.to_owned())).map(|op| op.name.to_string());
        let module_name = || api.tags.get(&crate::ir::TagKey(identity.to_owned())).map(|tag| tag.module.to_string());
        type_name.or_else(method_name).or_else(module_name).unwrap_or_else(|| identity.to_owned())
    };
    let why = match reason {
        QualifyReason::Collision => {
            let others: Vec<String> = conflicts.iter().map(|c| name_of(c)).collect();
            let kept = others.iter().any(|o| o == derived);
            let renamed: Vec<String> = others.iter().filter(|o| *o != derived).map(|o| format!("`{o}`")).collect();
            let mut why = format!("`{derived}` is wanted by {} items", conflicts.len() + 1);
            if kept {
                why.push_str(&format!("; `{derived}` keeps it"));
            }
            if !renamed.is_empty() {
                why.push_str(&format!("; the others are {}", renamed.join(", ")));
            }
            why
        }
        QualifyReason::Reserved => format!("`{derived}` would shadow a std or crate name"),
        QualifyReason::TooLong => format!("`{derived}` is longer than a name may be"),
    };
    Some(format!("`{derived}` + {qualifier} ({why})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_get_a_suffix_not_a_raw_prefix() {
        assert_eq!(snake("self").unwrap().as_str(), "self_");
        assert_eq!(snake("type").unwrap().as_str(), "type_");
        assert_eq!(snake("match").unwrap().as_str(), "match_");
        assert_eq!(pascal("Self").unwrap().as_str(), "Self_");
    }

    #[test]
    fn wire_names_become_identifiers() {
        assert_eq!(snake("o:tag").unwrap().as_str(), "o_tag");
        assert_eq!(snake("h:X-My-Header").unwrap().as_str(), "h_x_my_header");
        assert_eq!(snake("@timestamp").unwrap().as_str(), "timestamp");
        assert_eq!(snake("envelope.sending-ip").unwrap().as_str(), "envelope_sending_ip");
        assert_eq!(snake("2fa").unwrap().as_str(), "n2fa");
        assert_eq!(snake("!="), None);
        assert_eq!(snake("é"), None);
        assert_eq!(pascal("webhook URLs").unwrap().as_str(), "WebhookUrls");
    }

    #[test]
    fn only_identifiers_are_read_back() {
        let ok: RustName = serde_json::from_str("\"list_routes\"").unwrap();
        assert_eq!(ok.as_str(), "list_routes");
        for bad in ["\"\"", "\"self\"", "\"1a\"", "\"a-b\"", "\"_\""] {
            assert!(serde_json::from_str::<RustName>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hashes_are_short_and_stable() {
        assert_eq!(short_hash("a"), short_hash("a"));
        assert_ne!(short_hash("a"), short_hash("b"));
        assert_eq!(short_hash("anything").len(), 6);
    }
}
