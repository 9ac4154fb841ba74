//! Every Rust name in the output is decided here, and stored in the IR with the reason it is
//! what it is ([`NameSource`]). Emitters only read names.
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
use crate::ir::{Api, NameSource, TypeKind, Unnamed};
use crate::overrides::Overrides;
use crate::rust_name::{sanitize, KEYWORDS};
use crate::words;

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
fn crate_name(api: &mut Api, overrides: &Overrides) -> Result<(), Issue> {
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
    api.identity.crate_name = name;
    api.identity.crate_name_source = source;
    Ok(())
}

/// Names everything in the API (the crate, tags, methods, types, then members) and hands back
/// the API the later steps read: the only way from the normaliser's output to one.
pub fn assign(unnamed: Unnamed, overrides: &Overrides) -> Result<Api, Issue> {
    let Unnamed(mut api) = unnamed;
    crate_name(&mut api, overrides)?;
    tags::assign(&mut api, overrides)?;
    methods::assign(&mut api, overrides)?;
    types::assign(&mut api, overrides)?;
    members::assign(&mut api, overrides)?;
    error_text_variant(&mut api);
    check_all_named(&api)?;
    Ok(api)
}

/// `ErrorBody`'s variant for a text body: `Text`, or `Text2`, … when a type (whose name a
/// variant of the same enum takes when it is a documented error body) has it.
fn error_text_variant(api: &mut Api) {
    let taken: std::collections::BTreeSet<&str> = api.types.values().map(|def| def.name.as_str()).collect();
    let base = sanitize("Text", "").expect("an identifier");
    let mut free = std::iter::once(base.clone()).chain((2..).map(|n| base.numbered("", n)));
    api.error_text_variant = free.find(|name| !taken.contains(name.as_str())).expect("a free name");
}

/// After naming, no placeholder is left; a leftover is a generator bug, reported rather than
/// emitted as broken Rust.
fn check_all_named(api: &Api) -> Result<(), Issue> {
    let mut pending: Vec<String> = Vec::new();
    if api.identity.crate_name.is_empty() {
        pending.push("the crate".to_owned());
    }
    if api.error_text_variant.is_pending() {
        pending.push("the error body's text variant".to_owned());
    }
    for (key, tag) in &api.tags {
        if tag.module.is_pending() || tag.module_source == NameSource::Pending {
            pending.push(format!("tag `{key}`"));
        }
    }
    for op in api.operations.values() {
        let params = op.params.iter().filter(|p| p.name.is_pending()).map(|p| format!("parameter `{}`", p.wire));
        pending.extend(params.map(|p| format!("{p} of operation `{}`", op.id)));
        let setters = op.body.iter().flat_map(|b| &b.setters).filter(|s| s.name.is_pending());
        pending.extend(setters.map(|s| format!("a body setter of operation `{}`: {:?}", op.id, s.target)));
        if op.name.is_pending() || op.builder.is_pending() || op.name_source == NameSource::Pending {
            pending.push(format!("operation `{}`", op.id));
        }
    }
    for (id, def) in &api.types {
        if def.name.is_pending() || def.module.is_pending() || def.name_source == NameSource::Pending {
            pending.push(format!("type {id}"));
        }
        let members: Vec<bool> = match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| f.name.is_pending())
                .chain(s.additional.iter().map(|a| a.name.is_pending()))
                .collect(),
            TypeKind::Enum(variants) => variants.iter().map(|v| v.name.is_pending()).collect(),
            TypeKind::Union(variants) => variants.iter().map(|v| v.name.is_pending()).collect(),
            TypeKind::Alias(_) | TypeKind::Newtype(_) => Vec::new(),
        };
        if members.into_iter().any(|p| p) {
            pending.push(format!("a member of type {id}"));
        }
    }
    pending.extend(api.servers.iter().filter(|s| s.name.is_pending()).map(|s| format!("server {}", s.url)));
    if pending.is_empty() {
        Ok(())
    } else {
        Err(Issue::at("#", format!("internal error: the naming step left names undecided: {}", pending.join(", "))))
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
