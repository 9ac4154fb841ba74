//! Every Rust name in the output comes from here.
//!
//! `RustName` can only be built by this module, so an unsanitised spec string cannot reach
//! `format_ident!`. Names depend only on the spec (and the overrides file), never on the order
//! in which the generator happens to visit things.

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A valid, non-keyword Rust identifier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RustName(String);

impl RustName {
    /// The identifier text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RustName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Rust keywords, strict and reserved, across editions (typify's `accept_as_ident` list).
/// `self`, `Self`, `super` and `crate` cannot be raw identifiers, so every keyword gets a `_`
/// suffix instead of `r#`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names a generated type must not take: they would shadow std, the prelude or the crate's
/// own runtime types for anyone who glob-imports `types::*`.
const RESERVED_TYPES: &[&str] = &[
    "String",
    "Option",
    "Result",
    "Vec",
    "Box",
    "Error",
    "Client",
    "ClientBuilder",
    "Value",
    "Self",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "File",
    "Region",
    "ApiError",
    "Map",
];

/// Builds an identifier from already-cased text: non-identifier characters become `_`, a leading
/// digit gets a prefix, keywords get a `_` suffix. Returns `None` when nothing is left.
fn sanitize(cased: &str, digit_prefix: &str) -> Option<RustName> {
    let mut out: String = cased.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if out.trim_matches('_').is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, digit_prefix);
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    Some(RustName(out))
}

/// `snake_case` identifier for a field, parameter, method or module.
pub fn snake(text: &str) -> Option<RustName> {
    sanitize(&text.to_snake_case(), "n")
}

/// `UpperCamelCase` identifier for a type or variant.
pub fn pascal(text: &str) -> Option<RustName> {
    sanitize(&text.to_upper_camel_case(), "V")
}

/// `snake`, with a fallback for text that has no letters or digits at all.
pub fn snake_or(text: &str, fallback: &str) -> RustName {
    snake(text).unwrap_or_else(|| RustName(fallback.to_owned()))
}

/// Validates a name given in the overrides file.
pub fn from_override(name: &str) -> Option<RustName> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name);
    valid.then(|| RustName(name.to_owned()))
}

/// Joins a parent type name and a child's wire name: `EventResponse` + `delivery-status`
/// gives `EventResponseDeliveryStatus`.
pub fn child_type(parent: &RustName, child: &str) -> RustName {
    let suffix = pascal(child).map(|n| n.0).unwrap_or_default();
    RustName(format!("{}{}", parent.0, suffix))
}

/// A name with a disambiguating suffix: `ListDomains` + `V3` gives `ListDomainsV3`,
/// `list_domains` + `v3` gives `list_domains_v3`.
pub fn suffixed(name: &RustName, suffix: &str) -> RustName {
    if name.0.starts_with(|c: char| c.is_ascii_uppercase()) {
        RustName(format!("{}{}", name.0, suffix.to_upper_camel_case()))
    } else {
        let base = name.0.trim_end_matches('_');
        RustName(format!("{base}_{}", suffix.to_snake_case()))
    }
}

/// Names for a list of wire names in one scope (fields of a struct, parameters of an
/// operation). When two wire names map to the same identifier, the one whose wire name *is*
/// that identifier keeps it and the others get a numeric suffix in sorted wire-name order,
/// so the result does not depend on property order.
pub fn scoped_snake(wires: &[&str], fallback: &str) -> Vec<RustName> {
    let base: Vec<RustName> = wires.iter().map(|w| snake_or(w, fallback)).collect();
    let mut groups: BTreeMap<&RustName, Vec<usize>> = BTreeMap::new();
    for (i, name) in base.iter().enumerate() {
        groups.entry(name).or_default().push(i);
    }
    let mut out = base.clone();
    for (name, members) in groups {
        if members.len() < 2 {
            continue;
        }
        let mut others: Vec<usize> = members.iter().copied().filter(|&i| wires[i] != name.as_str()).collect();
        others.sort_by_key(|&i| wires[i]);
        let keeper_exists = others.len() < members.len();
        for (n, i) in others.into_iter().enumerate() {
            let number = if keeper_exists { n + 2 } else { n + 1 };
            out[i] = RustName(format!("{}_{number}", name.0.trim_end_matches('_')));
        }
    }
    out
}

/// Variant names for a string enum's values, in value order. Operators get names (`!=` is
/// `Ne`), values with no letters get `Value<n>`, and collisions get a numeric suffix by position.
/// `Unknown` is kept for the catch-all variant.
pub fn variants(values: &[&str]) -> Vec<RustName> {
    let mut taken = BTreeSet::from(["Unknown".to_owned()]);
    let mut out = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        let base = match *value {
            "=" | "==" => "Eq".to_owned(),
            "!=" => "Ne".to_owned(),
            "<" => "Lt".to_owned(),
            "<=" => "Le".to_owned(),
            ">" => "Gt".to_owned(),
            ">=" => "Ge".to_owned(),
            other => pascal(other).map(|n| n.0).unwrap_or_else(|| format!("Value{}", i + 1)),
        };
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        out.push(RustName(name));
    }
    out
}

/// The parts of a component name that carry meaning. Mailgun's components are Go package
/// paths (`github.com-mailgun-domains-client-golang-Domain`); some have a prefix before the
/// path (`Inbox_Placement_Testing_github.com-…`), which namespaces a copy of another schema.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ComponentName {
    prefix: Option<String>,
    /// Package segments after `github.com-mailgun`, then the Go type name last.
    segments: Vec<String>,
}

/// Whether a component name is a Go package path (`github.com-mailgun-…-Type`), possibly
/// behind a prefix.
pub fn is_package_path(component: &str) -> bool {
    component.contains(GO_PATH)
}

const GO_PATH: &str = "github.com-";

fn split_component(name: &str) -> ComponentName {
    match name.find(GO_PATH) {
        Some(at) => {
            let prefix = name[..at].trim_end_matches(['_', '-']);
            let rest = &name[at + GO_PATH.len()..];
            let mut segments: Vec<String> = rest.split('-').map(str::to_owned).collect();
            if segments.len() > 1 && segments[0] == "mailgun" {
                segments.remove(0);
            }
            ComponentName { prefix: (!prefix.is_empty()).then(|| prefix.to_owned()), segments }
        }
        None => ComponentName { prefix: None, segments: vec![name.to_owned()] },
    }
}

fn qualified(segments: &[String], level: usize) -> String {
    let start = segments.len().saturating_sub(level);
    segments[start..].join("-").to_upper_camel_case()
}

/// Names every component schema.
///
/// - `fixed` holds names decided elsewhere (the overrides file, or request bodies named after
///   their operation); they are taken first.
/// - Otherwise a component is named after its Go type (`ValidationResponse`). When several
///   components share that name, each is qualified by as many trailing package segments as it
///   needs to differ from the others in its group (`ThresholdsApiDimension`,
///   `AnalyticsClientGolangDimension`); only the members of that group are affected.
/// - Names that would shadow std or the crate's own types are qualified the same way (the
///   spec's `string` schema, which has no package, becomes `StringSchema`).
/// - A prefixed copy (`Inbox_Placement_Testing_github.com-…-Response`) is its prefix plus the
///   name its unprefixed twin gets, so adding such a copy never renames the original.
pub fn component_types(
    components: &[&str],
    fixed: &BTreeMap<String, RustName>,
) -> Result<BTreeMap<String, RustName>, String> {
    let parsed: BTreeMap<&str, ComponentName> = components.iter().map(|c| (*c, split_component(c))).collect();
    // The unprefixed forms are named together, as one set of package paths.
    let mut paths: BTreeSet<Vec<String>> = BTreeSet::new();
    for (name, parts) in &parsed {
        if !fixed.contains_key(*name) {
            paths.insert(parts.segments.clone());
        }
    }
    let mut by_short: BTreeMap<String, Vec<&Vec<String>>> = BTreeMap::new();
    for path in &paths {
        by_short.entry(qualified(path, 1)).or_default().push(path);
    }
    let taken_fixed: BTreeSet<&str> = fixed.values().map(RustName::as_str).collect();
    let mut path_names: BTreeMap<&Vec<String>, String> = BTreeMap::new();
    for group in by_short.values() {
        for path in group {
            let mut level = 1;
            loop {
                let candidate = qualified(path, level);
                let clashes_in_group = group.iter().any(|o| o != path && qualified(o, level) == candidate);
                let reserved = RESERVED_TYPES.contains(&candidate.as_str()) || taken_fixed.contains(candidate.as_str());
                if (!clashes_in_group && !reserved) || level >= path.len() {
                    let candidate = if reserved { format!("{candidate}Schema") } else { candidate };
                    path_names.insert(path, candidate);
                    break;
                }
                level += 1;
            }
        }
    }
    let mut out = BTreeMap::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (name, parts) in &parsed {
        let rust = match fixed.get(*name) {
            Some(given) => given.clone(),
            None => {
                let base = &path_names[&parts.segments];
                let text = match &parts.prefix {
                    Some(prefix) => format!("{}{base}", prefix.to_upper_camel_case()),
                    None => base.clone(),
                };
                pascal(&text).ok_or_else(|| format!("component `{name}` yields no identifier"))?
            }
        };
        if let Some(other) = seen.insert(rust.0.clone(), name) {
            return Err(format!(
                "components `{other}` and `{name}` both get the type name `{rust}`; name one of them in the overrides file"
            ));
        }
        out.insert((*name).to_owned(), rust);
    }
    Ok(out)
}

/// Derives a method name from the HTTP method and path, the way a hand-written SDK names
/// calls: `GET /v3/routes` → `list_routes`, `GET /v3/routes/{id}` → `get_route`,
/// `PUT /v3/domains/{name}/tracking/click` → `update_domain_tracking_click`.
///
/// Summaries read better but change wording between releases; paths only change when the API
/// does. The overrides file names the calls this rule gets wrong (`send_message`).
pub fn method_from_path(method: &str, path: &str) -> Option<RustName> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.starts_with('{');
    let is_version = |s: &str| s.len() >= 2 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit());
    let mut words: Vec<String> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        if is_param(segment) || (i == 0 && is_version(segment)) {
            continue;
        }
        let (stem, extension) = match segment.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
            _ => (*segment, None),
        };
        let followed_by_param = segments.get(i + 1).is_some_and(|next| is_param(next));
        let word = if followed_by_param && extension.is_none() { singular(stem) } else { stem.to_owned() };
        words.push(word.to_snake_case());
        if let Some(ext) = extension {
            words.push(ext.to_snake_case());
        }
    }
    let ends_with_param = segments.last().is_some_and(|s| is_param(s));
    let last_word = words.last().map(String::as_str).unwrap_or("");
    let verb = match method {
        "get" if !ends_with_param && looks_plural(last_word) => "list",
        "get" | "head" => "get",
        "post" => "create",
        "put" | "patch" => "update",
        "delete" => "delete",
        other => other,
    };
    let mut name = verb.to_owned();
    for word in &words {
        name.push('_');
        name.push_str(word);
    }
    snake(&name)
}

fn looks_plural(word: &str) -> bool {
    word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("stats")
        && !word.ends_with("analytics")
}

/// A naive singular, good enough for REST collection names (`routes`, `ip_pools`,
/// `addresses`, `policies`).
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = word.strip_suffix("sses") {
        format!("{stem}ss")
    } else if word.ends_with("ss") || word.ends_with("us") || !word.ends_with('s') {
        word.to_owned()
    } else {
        word[..word.len() - 1].to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        let map = component_types(list, &BTreeMap::new()).unwrap();
        list.iter().map(|c| map[*c].to_string()).collect()
    }

    #[test]
    fn go_package_path_is_stripped() {
        assert_eq!(
            names(&["github.com-mailgun-validations-validation-steps-base-ValidationResponse"]),
            ["ValidationResponse"]
        );
    }

    #[test]
    fn collisions_are_qualified_by_package_only_within_the_group() {
        let got = names(&[
            "github.com-mailgun-thresholds-api-Dimension",
            "github.com-mailgun-analytics-client-golang-Dimension",
            "github.com-mailgun-bounce-classification-internal-api-Dimension",
            "github.com-mailgun-domains-httpapi-Other",
        ]);
        assert_eq!(got, ["ThresholdsApiDimension", "GolangDimension", "InternalApiDimension", "Other"]);
    }

    #[test]
    fn a_prefixed_copy_never_renames_its_original() {
        let original = "github.com-mailgun-scaffold-httpapi-GenericResponse";
        let copy = "Inbox_Placement_Testing_github.com-mailgun-scaffold-httpapi-GenericResponse";
        let before = names(&[original, "github.com-mailgun-users-api-GenericResponse"]);
        let after = names(&[original, "github.com-mailgun-users-api-GenericResponse", copy]);
        assert_eq!(before, after[..2]);
        assert_eq!(after[2], format!("InboxPlacementTesting{}", after[0]));
    }

    #[test]
    fn reserved_names_are_qualified() {
        assert_eq!(
            names(&["string", "github.com-mailgun-emailpreview-clients-preview-Error"]),
            ["StringSchema", "PreviewError"]
        );
    }

    #[test]
    fn a_name_taken_by_an_override_is_not_reused() {
        let fixed = BTreeMap::from([("a".to_owned(), pascal("Thing").unwrap())]);
        let map = component_types(&["a", "thing"], &fixed).unwrap();
        assert_eq!((map["a"].as_str(), map["thing"].as_str()), ("Thing", "ThingSchema"));
    }

    #[test]
    fn unresolvable_collision_is_an_error_naming_both() {
        let fixed =
            BTreeMap::from([("a".to_owned(), pascal("Thing").unwrap()), ("b".to_owned(), pascal("Thing").unwrap())]);
        let err = component_types(&["a", "b"], &fixed).unwrap_err();
        assert!(err.contains("`a`") && err.contains("`b`"), "{err}");
    }

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
    }

    #[test]
    fn colliding_fields_resolve_without_depending_on_order() {
        let a = scoped_snake(&["fooBar", "foo_bar"], "field");
        let b = scoped_snake(&["foo_bar", "fooBar"], "field");
        assert_eq!(a.iter().map(RustName::as_str).collect::<Vec<_>>(), ["foo_bar_2", "foo_bar"]);
        assert_eq!(b.iter().map(RustName::as_str).collect::<Vec<_>>(), ["foo_bar", "foo_bar_2"]);
        let c = scoped_snake(&["a-b", "a.b"], "field");
        assert_eq!(c.iter().map(RustName::as_str).collect::<Vec<_>>(), ["a_b_1", "a_b_2"]);
    }

    #[test]
    fn operator_values_get_names_and_duplicates_get_suffixes() {
        let got =
            variants(&["=", "!=", "contains", "not contains", "<", "<=", ">", ">=", "unknown", "a.b", "a-b", "?"]);
        let got: Vec<&str> = got.iter().map(RustName::as_str).collect();
        assert_eq!(
            got,
            ["Eq", "Ne", "Contains", "NotContains", "Lt", "Le", "Gt", "Ge", "Unknown2", "AB", "AB2", "Value12"]
        );
    }

    #[test]
    fn methods_are_named_from_verb_and_path() {
        let m = |method, path| method_from_path(method, path).unwrap().to_string();
        assert_eq!(m("get", "/v3/routes"), "list_routes");
        assert_eq!(m("get", "/v3/routes/{id}"), "get_route");
        assert_eq!(m("post", "/v3/routes"), "create_routes");
        assert_eq!(m("delete", "/v3/{domain}/bounces/{address}"), "delete_bounce");
        assert_eq!(m("put", "/v3/domains/{name}/tracking/click"), "update_domain_tracking_click");
        assert_eq!(m("get", "/v3/domains/{name}/tracking"), "get_domain_tracking");
        assert_eq!(m("post", "/v3/{domain_name}/messages.mime"), "create_messages_mime");
        assert_eq!(m("get", "/v3/lists/{address}/members/{member}"), "get_list_member");
        assert_eq!(m("get", "/v1/analytics/tags/limits"), "list_analytics_tags_limits");
        assert_eq!(m("delete", "/v3/addresses/{a}"), "delete_address");
        assert_eq!(m("get", "/v3/stats"), "get_stats");
    }
}
