//! Method names, derived from the HTTP method and the path the way a hand-written SDK names its
//! calls, and request-builder names derived from them.
//!
//! - `GET /v3/routes` → `list_routes` (a collection: the spec also has `/v3/routes/{id}`, or the
//!   last word is plural); `GET /v3/routes/{id}` → `get_route`.
//! - `POST /v3/routes` → `create_route` (one item of the collection); `POST /v3/{d}/bounces`
//!   with a list body stays `create_bounces`.
//! - `PUT /v4/domains/{name}/verify` → `verify_domain`: a final segment that is an action verb
//!   names the call.
//! - `PUT`/`PATCH` → `update_…`, `DELETE` → `delete_…`.
//!
//! Paths only change when the API does, so the names are stable when a summary is reworded.
//!
//! When several operations derive the same name, the whole group is qualified by the first rule
//! that tells all of them apart (and takes no name already in use), in this order: path
//! parameters (`get_stats_total` / `get_domain_stats_total`), API version (the newest keeps the
//! plain name, older ones get `_v3`), HTTP method (`put_…` / `patch_…`), and the three together
//! in pairs and all at once; failing all that, the operation identity. Groups are resolved in
//! name order, so the result does not depend on the order of the document.

use super::{from_override, pascal_words, snake_words, Method, RustName};
use crate::error::Issue;
use crate::ir::{Api, HttpMethod, NameSource, OperationId, QualifyReason, TypeRef, Unnamed};
use crate::overrides::Overrides;
use crate::words::{self, looks_plural, singular};
use std::collections::{BTreeMap, BTreeSet};

/// Final path segments (or their first word) that name what the call does.
const ACTION_VERBS: &[&str] = &[
    "activate",
    "approve",
    "archive",
    "cancel",
    "check",
    "copy",
    "deactivate",
    "disable",
    "enable",
    "enroll",
    "export",
    "import",
    "lock",
    "match",
    "merge",
    "publish",
    "refresh",
    "reject",
    "rerun",
    "resend",
    "reset",
    "restore",
    "resume",
    "retry",
    "revoke",
    "rotate",
    "search",
    "start",
    "stop",
    "suspend",
    "sync",
    "transfer",
    "unarchive",
    "unlock",
    "unpublish",
    "unsuspend",
    "validate",
    "verify",
];

/// The action verbs that name a `GET` (one that only reads: `GET …/import` reads the import,
/// but `GET …/search` searches).
const GET_VERBS: &[&str] = &["check", "match", "search", "validate"];

/// Names a method on `Client` must not take: the client's own methods, and the trait methods
/// that method-call syntax would otherwise resolve to an API call (`client.clone()`).
/// `runtime_client_methods_are_reserved` keeps this list in step with `runtime/client.rs`.
pub(crate) const RESERVED: &[&str] = &[
    "as_ref",
    "base_url",
    "borrow",
    "build",
    "builder",
    "clone",
    "clone_from",
    "credentials",
    "credentials_header",
    "dispatch",
    "drift_seen",
    "eq",
    "execute",
    "execute_bytes",
    "execute_raw",
    "execute_success",
    "execute_text",
    "fmt",
    "from",
    "hash",
    "headers",
    "http",
    "http_sets_defaults",
    "into",
    "is_strict",
    "max_answer_bytes",
    "middleware",
    "ne",
    "new",
    "on_behalf_of",
    "read_answer",
    "read_body",
    "region_hint",
    "retry_policy",
    "send_once",
    "servers",
    "timeout",
    "to_owned",
    "to_string",
    "transport",
    "try_from",
    "try_into",
    "type_id",
    "with_header",
];

/// One segment of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Literal text, as lower-case words.
    Literal(Vec<String>),
    /// A parameter, by name.
    Param(String),
}

/// What the naming rules need to know of one operation.
struct Op {
    id: OperationId,
    method: HttpMethod,
    /// The API version the path starts with (`v3` → 3), if any.
    version: Option<u32>,
    segments: Vec<Segment>,
    /// The path with parameters blanked and the version dropped, to find collections.
    shape: String,
    body_is_list: bool,
}

fn parse(id: &OperationId, method: HttpMethod, path: &str, body_is_list: bool) -> Op {
    let raw: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let version = raw.first().and_then(|first| {
        let digits = first.strip_prefix('v').or_else(|| first.strip_prefix('V'))?;
        (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
    });
    let mut segments = Vec::new();
    for segment in &raw[usize::from(version.is_some())..] {
        let mut rest = *segment;
        while !rest.is_empty() {
            match (rest.find('{'), rest.find('}')) {
                (Some(open), Some(close)) if open < close => {
                    if open > 0 {
                        segments.push(Segment::Literal(words::split(&rest[..open])));
                    }
                    segments.push(Segment::Param(rest[open + 1..close].to_owned()));
                    rest = &rest[close + 1..];
                }
                _ => {
                    segments.push(Segment::Literal(words::split(rest)));
                    rest = "";
                }
            }
        }
    }
    segments.retain(|s| !matches!(s, Segment::Literal(w) if w.is_empty()));
    let shape: String = segments
        .iter()
        .map(|s| match s {
            Segment::Literal(w) => format!("/{}", w.join("_")),
            Segment::Param(_) => "/{}".to_owned(),
        })
        .collect();
    Op { id: id.clone(), method, version, segments, shape, body_is_list }
}

/// The ways a group of operations with the same derived name can be told apart.
#[derive(Debug, Clone, Copy, Default)]
struct Qualify {
    params: bool,
    version: bool,
    method: bool,
}

/// What the members of a group of operations with the same derived name have in common.
#[derive(Debug, Default)]
struct Group {
    /// The newest API version among them.
    newest: Option<u32>,
    /// The path parameters every one of them has: they tell nothing apart.
    shared_params: BTreeSet<String>,
}

impl Group {
    fn of(members: &[&Op]) -> Group {
        let params = |op: &Op| -> BTreeSet<String> {
            op.segments
                .iter()
                .filter_map(|s| match s {
                    Segment::Param(name) => Some(name.clone()),
                    Segment::Literal(_) => None,
                })
                .collect()
        };
        let mut shared = members.first().map(|op| params(op)).unwrap_or_default();
        for op in members.iter().skip(1) {
            shared = shared.intersection(&params(op)).cloned().collect();
        }
        Group { newest: members.iter().map(|op| op.version).max().flatten(), shared_params: shared }
    }
}

const COMBINATIONS: [Qualify; 7] = [
    Qualify { params: true, version: false, method: false },
    Qualify { params: false, version: true, method: false },
    Qualify { params: false, version: false, method: true },
    Qualify { params: true, version: true, method: false },
    Qualify { params: true, version: false, method: true },
    Qualify { params: false, version: true, method: true },
    Qualify { params: true, version: true, method: true },
];

/// A derived name: its words, and what (beyond the verb and path) went into it.
struct Candidate {
    words: Vec<String>,
    qualifiers: Vec<String>,
}

/// Derives an operation's method name. `collections` holds the path shapes that have an item
/// path below them; `group` says what the operations being told apart share.
fn derive(op: &Op, collections: &BTreeSet<String>, q: Qualify, group: &Group) -> Candidate {
    let mut qualifiers = Vec::new();
    let segments = &op.segments;
    let ends_with_param = matches!(segments.last(), Some(Segment::Param(_)));
    // The last literal segment names the call when it is an action verb: the last segment
    // (`…/verify`, `…/resend_activation_email`), or one word before an item (`…/copy/{new}`;
    // `…/check-runs/{id}` is a collection, not an action).
    let last_literal = segments.iter().rposition(|s| matches!(s, Segment::Literal(_)));
    let action = last_literal.filter(|&i| {
        let Segment::Literal(w) = &segments[i] else { return false };
        let verbs = match op.method {
            HttpMethod::Delete => &[][..],
            HttpMethod::Get | HttpMethod::Head => GET_VERBS,
            _ => ACTION_VERBS,
        };
        verbs.contains(&w[0].as_str()) && (i + 1 == segments.len() || w.len() == 1)
    });
    // Told apart by HTTP method, the method is the verb and the action stays a word of the path.
    let action = action.filter(|_| !q.method);
    let mut object: Vec<String> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Literal(w) => {
                let w = if Some(i) == action { &w[1..] } else { &w[..] };
                let followed_by_param = matches!(segments.get(i + 1), Some(Segment::Param(_)));
                match w.split_last() {
                    Some((last, rest)) if followed_by_param => {
                        object.extend(rest.iter().cloned());
                        object.push(singular(last));
                    }
                    _ => object.extend(w.iter().cloned()),
                }
            }
            Segment::Param(name) if q.params && !group.shared_params.contains(name) => {
                object.extend(words::split(name));
                qualifiers.push(format!("path parameter `{name}`"));
            }
            Segment::Param(_) => {}
        }
    }
    let is_collection = !ends_with_param
        && (collections.contains(&op.shape) || object.last().is_some_and(|w| looks_plural(w)) && action.is_none());
    let verb = match (action, op.method) {
        (Some(i), _) => match &segments[i] {
            Segment::Literal(w) => w[0].clone(),
            Segment::Param(_) => unreachable!("an action is a literal"),
        },
        (None, HttpMethod::Get) if is_collection => "list".to_owned(),
        (None, HttpMethod::Get) => "get".to_owned(),
        (None, HttpMethod::Post) => {
            // Posting to a collection creates one item, unless the body is a list of them.
            if collections.contains(&op.shape) && !op.body_is_list {
                if let Some(last) = object.last_mut() {
                    *last = singular(last);
                }
            }
            "create".to_owned()
        }
        (None, HttpMethod::Put | HttpMethod::Patch) => "update".to_owned(),
        (None, HttpMethod::Delete) => "delete".to_owned(),
        (None, HttpMethod::Head) => "head".to_owned(),
        (None, HttpMethod::Options) => "options".to_owned(),
        (None, HttpMethod::Trace) => "trace".to_owned(),
    };
    let verb = if q.method {
        qualifiers.push(format!("HTTP method `{}`", op.method.as_str()));
        op.method.as_str().to_ascii_lowercase()
    } else {
        verb
    };
    if object.is_empty() {
        // `GET /` or `GET /{id}`: the parameters are all there is to say.
        object = segments
            .iter()
            .filter_map(|s| match s {
                Segment::Param(name) => Some(words::split(name)),
                Segment::Literal(_) => None,
            })
            .flatten()
            .collect();
        if object.is_empty() {
            object.push("root".to_owned());
        }
    }
    let mut all = vec![verb];
    all.extend(object);
    if q.version && op.version != group.newest {
        let version = op.version.map(|v| format!("v{v}")).unwrap_or_else(|| "unversioned".to_owned());
        qualifiers.push(format!("API version `{version}`"));
        all.push(version);
    }
    Candidate { words: all, qualifiers }
}

/// Each operation's method and builder names, and why.
pub(super) fn assign(api: &Api<Unnamed>, overrides: &Overrides) -> Result<BTreeMap<OperationId, Method>, Issue> {
    let ops: Vec<Op> = api
        .operations
        .values()
        .map(|op| {
            let body_is_list = op.body.as_ref().is_some_and(|b| is_list(api, &b.ty));
            parse(&op.id, op.method, &op.path.raw, body_is_list)
        })
        .collect();
    let collections = collections(&ops);

    let mut names: BTreeMap<OperationId, (RustName, NameSource)> = BTreeMap::new();
    for (key, given) in &overrides.operations {
        let pointer = Overrides::pointer("operations", key);
        // The normaliser has checked that the spec has every operation the overrides name.
        let id = OperationId(key.clone());
        let Some(given) = &given.name else { continue };
        let name = from_override(given)
            .filter(|n| !RESERVED.contains(&n.as_str()))
            .ok_or_else(|| Issue::in_overrides(&pointer, format!("`{given}` cannot be a method name")))?;
        if let Some((other, _)) = names.iter().find(|(_, (n, _))| *n == name) {
            return Err(Issue::in_overrides(
                pointer,
                format!("operations `{other}` and `{key}` are both given method name `{name}`"),
            ));
        }
        names.insert(id, (name, NameSource::Override));
    }

    let base = |op: &Op| derive(op, &collections, Qualify::default(), &Group::default());
    let mut groups: BTreeMap<String, Vec<&Op>> = BTreeMap::new();
    for op in ops.iter().filter(|op| !names.contains_key(&op.id)) {
        groups.entry(words::snake(&base(op).words)).or_default().push(op);
    }
    let mut taken: BTreeSet<String> = names.values().map(|(n, _)| n.to_string()).collect();
    taken.extend(RESERVED.iter().map(|s| (*s).to_owned()));
    let all_bases: BTreeSet<String> = groups.keys().cloned().collect();
    for (name, group) in &groups {
        let conflicted = group.len() > 1 || taken.contains(name);
        if !conflicted {
            let from = NameSource::Derived { from: describe(group[0], api) };
            names.insert(group[0].id.clone(), (identifier(name), from));
            taken.insert(name.clone());
        }
    }
    for (name, group) in &groups {
        if names.contains_key(&group[0].id) {
            continue;
        }
        // Names this group may not take: every other base name, and whatever is decided.
        let blocked = |text: &str| (text != name && all_bases.contains(text)) || taken.contains(text);
        let shared = Group::of(group);
        let resolved = COMBINATIONS.iter().find_map(|q| {
            let candidates: Vec<Candidate> = group.iter().map(|op| derive(op, &collections, *q, &shared)).collect();
            let texts: Vec<String> = candidates.iter().map(|c| words::snake(&c.words)).collect();
            let distinct = texts.iter().collect::<BTreeSet<_>>().len() == texts.len();
            let free = texts.iter().all(|t| !blocked(t));
            (distinct && free).then_some(candidates)
        });
        let resolved = resolved.unwrap_or_else(|| by_identity(group, &blocked));
        for (op, candidate) in group.iter().zip(resolved) {
            let text = words::snake(&candidate.words);
            let source = if text == *name {
                NameSource::Derived { from: describe(op, api) }
            } else {
                NameSource::Qualified {
                    derived: name.clone(),
                    qualifier: candidate.qualifiers.join(", "),
                    reason: QualifyReason::Collision,
                    conflicts: group.iter().filter(|o| o.id != op.id).map(|o| o.id.to_string()).collect(),
                }
            };
            taken.insert(text.clone());
            names.insert(op.id.clone(), (identifier(&text), source));
        }
    }

    let mut builders: BTreeSet<RustName> = BTreeSet::new();
    let mut methods = BTreeMap::new();
    for (id, (name, source)) in names {
        let mut builder = pascal_words(&words::split(name.as_str())).expect("a method name has letters");
        // The builder's module writes the prelude's names without a path (`ir::PRELUDE_NAMES`).
        if crate::ir::PRELUDE_NAMES.contains(&builder.as_str()) {
            builder = pascal_words(&[builder.to_string(), "request".to_owned()]).expect("has letters");
        }
        let mut n = 1;
        while builders.contains(&builder) {
            n += 1;
            builder = builder.numbered("", n);
        }
        builders.insert(builder.clone());
        methods.insert(id, Method { name, builder, source });
    }
    Ok(methods)
}

/// The path shapes that are collections: another path is the same plus one parameter segment.
fn collections(ops: &[Op]) -> BTreeSet<String> {
    ops.iter()
        .filter(|op| matches!(op.segments.last(), Some(Segment::Param(_))))
        .filter_map(|op| op.shape.strip_suffix("/{}").map(str::to_owned))
        .collect()
}

/// Whether a body is a list, directly or through aliases.
fn is_list(api: &Api<Unnamed>, ty: &TypeRef) -> bool {
    let mut at = ty;
    for _ in 0..=api.types.len() {
        match at {
            TypeRef::Vec(_) => return true,
            TypeRef::Named(id) => match api.types.get(id).map(|d| &d.kind) {
                Some(crate::ir::TypeKind::Alias(target)) => at = target,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// The last resort: names from the operation identities, numbered where even those agree.
fn by_identity(group: &[&Op], blocked: &dyn Fn(&str) -> bool) -> Vec<Candidate> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    group
        .iter()
        .map(|op| {
            let mut base = words::split(&op.id.0);
            if base.is_empty() {
                base.push("operation".to_owned());
            }
            let mut words = base.clone();
            let mut n = 1;
            while blocked(&words::snake(&words)) || used.contains(&words::snake(&words)) {
                n += 1;
                words = base.clone();
                words.push(n.to_string());
            }
            used.insert(words::snake(&words));
            Candidate { words, qualifiers: vec![format!("operation `{}`", op.id)] }
        })
        .collect()
}

fn describe(op: &Op, api: &Api<Unnamed>) -> String {
    let path = &api.operations[&op.id].path.raw;
    format!("{} {path}", op.method.as_str())
}

fn identifier(snake: &str) -> RustName {
    snake_words(&words::split(snake)).expect("derived names have letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ops: &[(&str, HttpMethod, &str)]) -> Vec<String> {
        let parsed: Vec<Op> =
            ops.iter().map(|(id, method, path)| parse(&OperationId((*id).to_owned()), *method, path, false)).collect();
        let collections = collections(&parsed);
        parsed
            .iter()
            .map(|op| words::snake(&derive(op, &collections, Qualify::default(), &Group::default()).words))
            .collect()
    }

    use HttpMethod::*;

    #[test]
    fn methods_are_named_from_verb_and_path() {
        let got = names(&[
            ("a", Get, "/v3/routes"),
            ("b", Get, "/v3/routes/{id}"),
            ("c", Post, "/v3/routes"),
            ("d", Delete, "/v3/{domain}/bounces/{address}"),
            ("e", Put, "/v3/domains/{name}/tracking/click"),
            ("f", Post, "/v3/{domain_name}/messages.mime"),
            ("g", Get, "/v3/lists/{address}/members/{member}"),
            ("h", Get, "/v1/analytics/tags/limits"),
            ("i", Get, "/v3/stats"),
            ("j", Post, "/v1/analytics/metrics"),
        ]);
        assert_eq!(
            got,
            [
                "list_routes",
                "get_route",
                "create_route",
                "delete_bounce",
                "update_domain_tracking_click",
                "create_messages_mime",
                "get_list_member",
                "list_analytics_tags_limits",
                "get_stats",
                "create_analytics_metrics",
            ]
        );
    }

    #[test]
    fn a_collection_is_known_by_its_item_path_even_when_singular() {
        let got = names(&[("a", Get, "/v1/alerts/send"), ("b", Get, "/v1/alerts/send/{name}")]);
        assert_eq!(got, ["list_alerts_send", "get_alerts_send"]);
    }

    #[test]
    fn final_action_verbs_name_the_call() {
        let got = names(&[
            ("a", Put, "/v4/domains/{name}/verify"),
            ("b", Put, "/v3/t/{t}/versions/{v}/copy/{new}"),
            ("c", Get, "/v3/routes/match"),
            ("d", Post, "/v3/{d}/bounces/import"),
            ("e", Delete, "/v1/x/{id}/lock"),
            ("f", Get, "/repos/{o}/check-runs/{id}"),
            ("g", Get, "/repos/{o}/import"),
            ("h", Get, "/search/code"),
        ]);
        assert_eq!(
            got,
            [
                "verify_domain",
                "copy_t_version",
                "match_routes",
                "import_bounces",
                "delete_x_lock",
                "get_repo_check_run",
                "get_repo_import",
                "get_search_code"
            ]
        );
    }

    fn resolve(ops: &[(&str, HttpMethod, &str)]) -> BTreeMap<String, String> {
        let api = crate::normalise::tests::api_with_operations(ops);
        let methods = assign(&api, &Overrides::default()).unwrap();
        methods.into_iter().map(|(id, method)| (id.to_string(), method.name.to_string())).collect()
    }

    #[test]
    fn collisions_are_resolved_by_path_parameter_then_version_then_method() {
        let got = resolve(&[
            ("total", Get, "/v3/stats/total"),
            ("domain-total", Get, "/v3/{domain}/stats/total"),
            ("v3", Get, "/v3/domains"),
            ("v4", Get, "/v4/domains"),
            ("put", Put, "/v1/pools/{id}"),
            ("patch", Patch, "/v1/pools/{id}"),
        ]);
        assert_eq!(got["total"], "get_stats_total");
        assert_eq!(got["domain-total"], "get_domain_stats_total");
        assert_eq!((got["v3"].as_str(), got["v4"].as_str()), ("list_domains_v3", "list_domains"));
        assert_eq!((got["put"].as_str(), got["patch"].as_str()), ("put_pool", "patch_pool"));
    }

    #[test]
    fn only_the_parameters_that_tell_operations_apart_are_added() {
        let got = resolve(&[
            ("zip", Get, "/repos/{owner}/{repo}/artifacts/{id}/{format}"),
            ("one", Get, "/repos/{owner}/{repo}/artifacts/{id}"),
        ]);
        assert_eq!((got["one"].as_str(), got["zip"].as_str()), ("get_repo_artifact", "get_repo_artifact_format"));
    }

    #[test]
    fn told_apart_by_method_an_action_stays_a_word_of_the_path() {
        let got = resolve(&[("put", Put, "/repos/{r}/import"), ("patch", Patch, "/repos/{r}/import")]);
        assert_eq!((got["put"].as_str(), got["patch"].as_str()), ("put_repo_import", "patch_repo_import"));
    }

    #[test]
    fn names_do_not_depend_on_the_order_of_operations() {
        let ops = [
            ("a", Get, "/v3/stats/total"),
            ("b", Get, "/v3/{domain}/stats/total"),
            ("c", Get, "/v3/{domain}/stats/total/x"),
            ("d", Get, "/v2/{domain}/stats/total"),
        ];
        let mut reversed = ops;
        reversed.reverse();
        assert_eq!(resolve(&ops), resolve(&reversed));
    }

    #[test]
    fn identical_paths_fall_back_to_the_operation_identity() {
        let got = resolve(&[("first-op", Get, "/a"), ("second-op", Get, "/a")]);
        assert_eq!((got["first-op"].as_str(), got["second-op"].as_str()), ("first_op", "second_op"));
    }

    #[test]
    fn a_builder_keeps_off_the_preludes_names() {
        let api = crate::normalise::tests::api_with_operations(&[("send", Post, "/send"), ("other", Get, "/other")]);
        let overrides = serde_yaml::from_str("operations: {send: {name: send}}").unwrap();
        let methods = assign(&api, &Overrides::from_value(overrides).unwrap()).unwrap();
        let send = &methods[&OperationId("send".to_owned())];
        assert_eq!((send.name.as_str(), send.builder.as_str()), ("send", "SendRequest"));
        assert_eq!(methods[&OperationId("other".to_owned())].builder.as_str(), "GetOther");
    }

    #[test]
    fn runtime_client_methods_are_reserved() {
        let runtime = [include_str!("../../runtime/client.rs"), include_str!("../../runtime/http.rs")];
        let mut found = 0;
        for file in runtime {
            // The methods of `impl Client` blocks (not those of the builder).
            for block in file.split("\nimpl Client {").skip(1) {
                let block = block.split("\n}\n").next().unwrap();
                for line in block.lines() {
                    let line = line.trim_start();
                    // Private ones too: a generated method of the same name would not compile.
                    let rest =
                        ["pub fn ", "pub(crate) fn ", "pub(crate) async fn ", "pub async fn ", "fn ", "async fn "]
                            .iter()
                            .find_map(|p| line.strip_prefix(p));
                    let Some(rest) = rest else { continue };
                    let name = rest.split(['(', '<']).next().unwrap();
                    assert!(RESERVED.contains(&name), "`Client::{name}` of the runtime is not in methods::RESERVED");
                    found += 1;
                }
            }
        }
        assert!(found >= 8, "the runtime's Client methods were not found ({found})");
    }
}
