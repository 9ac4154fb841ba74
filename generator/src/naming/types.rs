//! Type names and the files they live in.
//!
//! **Components** are named after what they are:
//! - a package-path name (`github.com-example-domains-client-golang-Domain`,
//!   `com.example.model.Pet`) gives its last segment (`Domain`, `Pet`);
//! - a component made from an operation's name that serves as the body of just that operation
//!   (`POST-v3-domain_name-messages-multipart-form-data-RequestBody`) is named after the call
//!   (`SendMessageBody`);
//! - any other name is used as it is, in `UpperCamelCase`.
//!
//! When components want the same name, one may keep it: the one whose home tag is named after it
//! (`Domain` in tag `Domains`), else the one that several tags share (the general one). The
//! others are qualified by meaning, as far as needed: their home tag (`LogsDomain`), their only
//! call, then their package segments, and last a short hash. Names that would shadow std or the
//! crate's own items (`Error`, `String`) are qualified the same way.
//!
//! **Inline schemas** are named from their nearest owner (a component or an operation) and
//! their own place: `EventResponse` + `flags` → `EventResponseFlags`, the items of `attachments`
//! → `MessageObjectAttachment`, the `paging` of `list_events`'s answer → `ListEventsPaging`.
//! Only when two want the same name does a name take in more of its path, from the inside out.
//!
//! Names stay short: a name longer than [`MAX_NAME`] characters (or a file name longer than
//! [`MAX_FILE`] bytes) is shortened and made unique with a hash of the type's identity.

use super::{from_override, pascal_words, short_hash, snake_words, Names, RustName, TypeName};
use crate::error::Issue;
use crate::ir::{Api, NameSource, Origin, Owner, Place, QualifyReason, Step, TypeDef, TypeId, Unnamed, Use};
use crate::overrides::Overrides;
use crate::words::{self, package_path, singular};
use std::collections::{BTreeMap, BTreeSet};

/// The longest type name, in characters.
pub const MAX_NAME: usize = 64;
/// The longest file name of a type, in bytes (without `.rs`).
pub const MAX_FILE: usize = 80;

/// Type names a generated type must not take beside the prelude's the emitted code writes
/// (`ir::PRELUDE_NAMES`): they would shadow names anyone who glob-imports `types::*` writes.
/// The crate root's own names are reserved too ([`is_reserved`]).
const STD_NAMES: &[&str] = &["Map", "Self_", "Value"];

/// Root names a generated type may still take: `Response`, which API documents often give a
/// schema of their own (a rename would break existing crates' callers for a clash that only a
/// glob import of both the root and `types` meets).
const ROOT_NAMES_ALLOWED: &[&str] = &["Response"];

/// Whether a generated type must not take a name: std's and the prelude's, and what the crate
/// root exports (`ir::ROOT_EXPORTS`, and the webhook names).
pub(crate) fn is_reserved(name: &str) -> bool {
    let root = crate::ir::ROOT_EXPORTS.iter().chain(crate::ir::WEBHOOK_EXPORTS).flat_map(|(_, names)| names.iter());
    STD_NAMES.contains(&name)
        || crate::ir::PRELUDE_NAMES.contains(&name)
        || (root.into_iter().any(|n| *n == name) && !ROOT_NAMES_ALLOWED.contains(&name))
}

/// Package segments that name a layer of code rather than a domain, skipped when a package
/// qualifies a type name.
const GENERIC_PACKAGES: &[&str] = &[
    "api", "apis", "client", "clients", "common", "core", "entities", "go", "golang", "http", "httpapi", "internal",
    "lib", "model", "models", "pkg", "server", "service", "services", "types", "util", "utils",
];

/// One candidate name: its words, and what was added to the base name (none for the base).
type Choice = (Vec<String>, Option<String>);

/// A type being named: its candidate names, shortest first, and which one it has now.
struct Candidates {
    id: TypeId,
    /// The name the rules derive before any qualification.
    base: Vec<String>,
    /// `(words, what was added to the base name)`, in order of preference; an option too long
    /// to use is already left out.
    options: Vec<Choice>,
    level: usize,
    /// The base name was reserved, not taken by another type.
    reserved: bool,
    /// How many steps the type sits below its owner: of several types that want the same name,
    /// the one most directly below keeps it.
    depth: usize,
}

impl Candidates {
    fn current(&self) -> String {
        words::pascal(&self.options[self.level].0)
    }

    fn can_advance(&self) -> bool {
        self.level + 1 < self.options.len()
    }
}

/// Each type's name and file, and why; reads the tags' and methods' names.
pub(super) fn assign(
    api: &Api<Unnamed>,
    names: &Names,
    overrides: &Overrides,
) -> Result<BTreeMap<TypeId, TypeName>, Issue> {
    let given = given_names(api, overrides)?;
    let mut final_words: BTreeMap<TypeId, Vec<String>> = BTreeMap::new();
    let mut sources: BTreeMap<TypeId, NameSource> = BTreeMap::new();
    let mut taken: BTreeMap<String, TypeId> = BTreeMap::new();
    for (id, name) in &given {
        final_words.insert(id.clone(), words::split(name.as_str()));
        sources.insert(id.clone(), NameSource::Override);
        taken.insert(name.to_string(), id.clone());
    }

    // Components first: inline names are built on theirs.
    let mut components: Vec<Candidates> = Vec::new();
    for (id, def) in &api.types {
        if let (Origin::Component(component), false) = (&def.origin, given.contains_key(id)) {
            let (base, from) = component_base(component, def, api, names);
            sources.insert(id.clone(), NameSource::Derived { from });
            components.push(component_candidates(id, def, base, api, names));
        }
    }
    for (id, why) in keep_one_per_group(&mut components, api, names) {
        if let Some(NameSource::Derived { from }) = sources.get_mut(&id) {
            from.push_str(&format!("; it keeps the name because {why}"));
        }
    }
    resolve(&mut components, &taken);
    finish(components, &mut final_words, &mut sources, &mut taken);

    let mut inline: Vec<Candidates> = Vec::new();
    for (id, def) in &api.types {
        if let (Origin::Inline { owner, steps }, false) = (&def.origin, given.contains_key(id)) {
            let (base, options) = inline_candidates(id, owner, steps, api, names, &final_words, overrides);
            let from = format!("its place: {}", describe_inline(owner, steps));
            sources.insert(id.clone(), NameSource::Derived { from });
            let depth = steps.len();
            inline.push(Candidates { id: id.clone(), base, options, level: 0, reserved: false, depth });
        }
    }
    resolve(&mut inline, &taken);
    finish(inline, &mut final_words, &mut sources, &mut taken);

    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut types = BTreeMap::new();
    for id in api.types.keys() {
        let words = &final_words[id];
        let name = pascal_words(words).expect("a type name has letters");
        let source = sources.remove(id).expect("every type has a source");
        let module = module_name(id, words, &mut files);
        types.insert(id.clone(), TypeName { name, module, source });
    }
    Ok(types)
}

/// Names from the overrides file, by the identity of the type they name.
fn given_names(api: &Api<Unnamed>, overrides: &Overrides) -> Result<BTreeMap<TypeId, RustName>, Issue> {
    let mut given: BTreeMap<TypeId, RustName> = BTreeMap::new();
    for (key, o) in &overrides.schemas {
        let pointer = Overrides::pointer("schemas", key);
        let wanted = if key.starts_with("#/") {
            TypeId(key.clone())
        } else {
            TypeId(crate::error::join("#/components/schemas", &[key]))
        };
        // A schema merged into another (same structure) is named through the type it became.
        let id = api
            .types
            .iter()
            .find(|(id, def)| **id == wanted || def.merged.contains(&wanted))
            .map(|(id, _)| id.clone())
            .ok_or_else(|| {
                Issue::in_overrides(&pointer, format!("the overrides file names schema `{key}`, which is not a type"))
            })?;
        let name = from_override(&o.name)
            .filter(|n| !is_reserved(n.as_str()))
            .ok_or_else(|| Issue::in_overrides(&pointer, format!("`{}` cannot be a type name", o.name)))?;
        if let Some(other) = given.iter().find(|(other, n)| **n == name || **other == id).map(|(other, _)| other) {
            return Err(Issue::in_overrides(
                pointer,
                format!("the overrides file gives `{name}` twice, or names {other} twice"),
            ));
        }
        given.insert(id, name);
    }
    Ok(given)
}

/// The name a component derives, as words, and what it was derived from.
fn component_base(component: &str, def: &TypeDef<Unnamed>, api: &Api<Unnamed>, names: &Names) -> (Vec<String>, String) {
    if let Some(method) = only_body_of(component, def, api, names) {
        let mut words = words::split(method.as_str());
        words.push("body".to_owned());
        return (words, format!("the request body of `{method}` (component `{component}`)"));
    }
    let words = match package_path(component) {
        Some((_, type_name)) => words::split(type_name),
        None => words::split(component),
    };
    let words = if words.is_empty() { vec!["schema".to_owned()] } else { words };
    (words, format!("component `{component}`"))
}

/// For a component whose name was made from an operation (it starts with an HTTP method) and
/// that serves as a request body: the method name of that operation. When it is the body of
/// several (identical bodies are one type), the operation its own name points at: the one with
/// the same HTTP method whose path's words appear, in order, in the component's name.
fn only_body_of<'a>(
    component: &str,
    def: &TypeDef<Unnamed>,
    api: &Api<Unnamed>,
    names: &'a Names,
) -> Option<&'a RustName> {
    let component_words = words::split(component);
    let method = component_words.first()?;
    if !["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method.as_str()) {
        return None;
    }
    let mut bodies: Vec<&crate::ir::Operation<Unnamed>> = Vec::new();
    for u in &def.uses {
        match u {
            Use::Body(op) => bodies.extend(api.operations.get(op)),
            _ => return None,
        }
    }
    let score = |op: &crate::ir::Operation<Unnamed>| -> Option<usize> {
        if op.method.as_str().to_ascii_lowercase() != *method {
            return None;
        }
        let path_words: Vec<String> = op
            .path
            .parts
            .iter()
            .filter_map(|p| match p {
                crate::ir::PathPart::Literal(text) => Some(words::split(text)),
                crate::ir::PathPart::Param(_) => None,
            })
            .flatten()
            .collect();
        let mut rest = component_words[1..].iter();
        path_words.iter().all(|w| rest.any(|c| c == w)).then_some(path_words.len())
    };
    let best = bodies
        .iter()
        .filter_map(|op| score(op).map(|s| (s, *op)))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.id.cmp(&a.1.id)));
    match (best, bodies.as_slice()) {
        (Some((_, op)), _) => Some(names.method(&op.id)),
        (None, [only]) => Some(names.method(&only.id)),
        _ => None,
    }
}

/// The candidates of a component: its base name, then qualified by its home tag, its only
/// call, its package segments (nearest first), and last a hash.
fn component_candidates(
    id: &TypeId,
    def: &TypeDef<Unnamed>,
    base: Vec<String>,
    api: &Api<Unnamed>,
    names: &Names,
) -> Candidates {
    let reserved = is_reserved(&words::pascal(&base));
    let mut options: Vec<Choice> = vec![(base.clone(), None)];
    let mut qualify = |prefix: Vec<String>, what: String| {
        let mut words = prefix;
        words.extend(base.iter().cloned());
        if !options.iter().any(|(w, _)| *w == words) {
            options.push((words, Some(what)));
        }
    };
    if let Some(tag) = home_tag(def, api) {
        qualify(words::split(names.module(tag).as_str()), format!("tag `{tag}`"));
    }
    if let [op] = def.reach.operations.iter().collect::<Vec<_>>().as_slice() {
        let method = names.method(op);
        qualify(words::split(method.as_str()), format!("call `{method}`"));
    }
    if let Origin::Component(component) = &def.origin {
        if let Some((packages, _)) = package_path(component) {
            // The nearest package segments that say something: `api`, `model` and the like
            // name layers of code, not what a value is.
            let telling: Vec<&str> = packages
                .iter()
                .rev()
                .copied()
                .filter(|p| !GENERIC_PACKAGES.contains(&p.to_ascii_lowercase().as_str()))
                .collect();
            for n in 1..=telling.len() {
                let segments: Vec<&str> = telling[..n].iter().rev().copied().collect();
                let prefix: Vec<String> = segments.iter().flat_map(|s| words::split(s)).collect();
                qualify(prefix, format!("package `{}`", segments.join("-")));
            }
        }
    }
    if reserved {
        // Nothing tells it apart: say it is the spec's schema of that name (`FileSchema`).
        let mut words = base.clone();
        words.push("schema".to_owned());
        options.push((words, Some("the word `Schema`".to_owned())));
    }
    with_hash_fallback(id, &base, &mut options);
    Candidates { id: id.clone(), base, options, level: 0, reserved, depth: 0 }
}

/// The tag that reaches a type through the most operations (ties: by tag name).
fn home_tag<'a>(def: &TypeDef<Unnamed>, api: &'a Api<Unnamed>) -> Option<&'a crate::ir::TagKey> {
    let mut counts: BTreeMap<&crate::ir::TagKey, usize> = BTreeMap::new();
    for op in &def.reach.operations {
        if let Some(op) = api.operations.get(op) {
            *counts.entry(&op.tag).or_default() += 1;
        }
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(tag, _)| tag)
}

/// In each group of components that want the same name, lets at most one keep it, and starts
/// the others at their first qualified name. Returns the keepers with the reason.
fn keep_one_per_group(members: &mut [Candidates], api: &Api<Unnamed>, names: &Names) -> Vec<(TypeId, String)> {
    let mut keepers = Vec::new();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        groups.entry(m.current()).or_default().push(i);
    }
    for (_, group) in groups {
        let reserved = members[group[0]].reserved;
        if group.len() == 1 && !reserved {
            continue;
        }
        let keeper = if reserved { None } else { keeper(&group, members, api, names) };
        if let Some((i, why)) = &keeper {
            keepers.push((members[*i].id.clone(), why.clone()));
        }
        for i in group {
            if keeper.as_ref().map(|k| k.0) != Some(i) && members[i].can_advance() {
                members[i].level = 1;
            }
        }
    }
    keepers
}

/// The member of a group that keeps the plain name, with the reason: the one whose home tag is
/// named after it (`Domain` in `Domains`), else the only one reached from several tags.
fn keeper(group: &[usize], members: &[Candidates], api: &Api<Unnamed>, names: &Names) -> Option<(usize, String)> {
    let only = |found: Vec<usize>| if let [one] = found.as_slice() { Some(*one) } else { None };
    let named_after_tag = group
        .iter()
        .copied()
        .filter(|&i| {
            let def = &api.types[&members[i].id];
            home_tag(def, api).is_some_and(|tag| {
                let mut tag_words = words::split(names.module(tag).as_str());
                if let Some(last) = tag_words.last_mut() {
                    *last = singular(last);
                }
                tag_words == members[i].base
            })
        })
        .collect();
    if let Some(i) = only(named_after_tag) {
        let tag = home_tag(&api.types[&members[i].id], api).expect("checked");
        return Some((i, format!("its home tag `{tag}` is named after it")));
    }
    let shared = only(group.iter().copied().filter(|&i| api.types[&members[i].id].reach.tags.len() > 1).collect());
    shared.map(|i| (i, "it is the one several tags use".to_owned()))
}

/// The candidates of an inline schema: its owner's name with its own place, then with more of
/// the path from the inside out, then a hash.
fn inline_candidates(
    id: &TypeId,
    owner: &Owner,
    steps: &[Step],
    api: &Api<Unnamed>,
    names: &Names,
    named: &BTreeMap<TypeId, Vec<String>>,
    overrides: &Overrides,
) -> (Vec<String>, Vec<Choice>) {
    let (owner_words, mut groups) = match owner {
        Owner::Component(component) => {
            let component_id = TypeId(crate::error::join("#/components/schemas", &[component]));
            let kept = api.types.iter().find(|(id, def)| **id == component_id || def.merged.contains(&component_id));
            let words = kept.and_then(|(id, _)| named.get(id).cloned()).unwrap_or_else(|| words::split(component));
            (words, Vec::new())
        }
        Owner::Operation { operation, place } => {
            let op = &api.operations[operation];
            let place = match place {
                Place::Body => vec!["body".to_owned()],
                Place::Response(status) if Some(*status) == op.output.status => vec!["response".to_owned()],
                Place::Response(status) => vec!["response".to_owned(), status.to_string().to_ascii_lowercase()],
                Place::Param { name, .. } => non_empty(words::split(&overrides.wire_text(name)), "param"),
            };
            (words::split(names.method(operation).as_str()), vec![place])
        }
    };
    for step in steps {
        let group = match step {
            Step::Property(name) => non_empty(words::split(&overrides.wire_text(name)), "property"),
            // The items of `event_types` are each an `event type`; of `event`, each an `event`.
            Step::Items => match groups.last().and_then(|g: &Vec<String>| g.split_last()) {
                Some((last, rest)) if !is_step_word(last) => {
                    let mut words = rest.to_vec();
                    words.push(singular(last));
                    words
                }
                _ => vec!["item".to_owned()],
            },
            Step::Values => vec!["value".to_owned()],
            Step::Variant(i) => vec!["variant".to_owned(), (i + 1).to_string()],
            Step::Member(i) => vec!["part".to_owned(), (i + 1).to_string()],
        };
        groups.push(group);
    }
    let mut options: Vec<Choice> = Vec::new();
    // Two schemas deep in one owner often differ only near the owner (`deployment/…/events`
    // and `deployment_status/…/events`): the owner, its first step and the leaf tell them apart.
    let top = (groups.len() > 2).then(|| {
        let mut words = owner_words.clone();
        words.extend(groups[0].iter().cloned());
        words.extend(groups[groups.len() - 1].iter().cloned());
        words
    });
    for k in 1..=groups.len() {
        if k == 3 {
            if let Some(words) = top.clone() {
                if !options.iter().any(|(w, _)| *w == words) {
                    options.push((words, Some("the first step of its place in the spec".to_owned())));
                }
            }
        }
        let tail: Vec<String> = groups[groups.len() - k..].iter().flatten().cloned().collect();
        // `DeleteListMember` + `member` would say the word twice: take in more of the place.
        if k < groups.len() && owner_words.ends_with(&groups[groups.len() - k]) {
            continue;
        }
        let mut words = owner_words.clone();
        words.extend(tail);
        if !options.iter().any(|(w, _)| *w == words) {
            let what = (!options.is_empty()).then(|| "more of its place in the spec".to_owned());
            options.push((words, what));
        }
    }
    if options.is_empty() {
        options.push((owner_words.clone(), None));
    }
    let base = options[0].0.clone();
    // Deeper than a readable chain of names: the leaf and how deep it sits (`SameChild12`).
    if groups.len() > 1 {
        let mut words = owner_words;
        words.extend(groups.last().into_iter().flatten().cloned());
        words.push(groups.len().to_string());
        options.push((words, Some(format!("its depth, {}", groups.len()))));
    }
    with_hash_fallback(id, &base, &mut options);
    (base, options)
}

/// Words the steps themselves make: the items of an `item` list are not `item` again.
fn is_step_word(word: &str) -> bool {
    matches!(word, "item" | "value" | "variant" | "part" | "body" | "response" | "param" | "property")
}

fn non_empty(words: Vec<String>, fallback: &str) -> Vec<String> {
    if words.is_empty() {
        vec![fallback.to_owned()]
    } else {
        words
    }
}

/// Drops the options longer than [`MAX_NAME`] and ends the list with the base name made unique
/// by a hash of the identity (shortened, if need be, from the middle: the owner and the leaf
/// stay).
fn with_hash_fallback(id: &TypeId, base: &[String], options: &mut Vec<Choice>) {
    options.retain(|(w, _)| words::pascal(w).len() <= MAX_NAME);
    let hash = short_hash(&id.0);
    let mut words = base.to_vec();
    while !words.is_empty() && words::pascal(&words).len() + hash.len() > MAX_NAME {
        let middle = words.len() / 2;
        words.remove(middle);
    }
    words.push(hash.clone());
    options.push((words, Some(format!("the hash `{hash}` of its identity"))));
}

/// Resolves collisions. In each set of types that want the same name: the ones at a later
/// option than the others move on; among those at the same option, the one most directly
/// below its owner keeps the name when there is exactly one, and otherwise all move on. Names
/// in `taken` (and reserved ones) are never given.
fn resolve(members: &mut [Candidates], taken: &BTreeMap<String, TypeId>) {
    loop {
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, m) in members.iter().enumerate() {
            by_name.entry(m.current()).or_default().push(i);
        }
        let mut moved = false;
        for (name, group) in by_name {
            let blocked = taken.contains_key(&name) || is_reserved(name.as_str());
            if group.len() < 2 && !blocked {
                continue;
            }
            let lowest = group.iter().map(|&i| members[i].level).min().unwrap_or(0);
            let at_lowest: Vec<usize> = group.iter().copied().filter(|&i| members[i].level == lowest).collect();
            let shallowest = at_lowest.iter().map(|&i| members[i].depth).min().unwrap_or(0);
            let keeper = match at_lowest.iter().filter(|&&i| members[i].depth == shallowest).collect::<Vec<_>>()[..] {
                [only] if !blocked => Some(*only),
                _ => None,
            };
            for &i in &group {
                if Some(i) != keeper && members[i].can_advance() {
                    members[i].level += 1;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    // The last options carry a hash of the identity; should two still meet, number them.
    let mut seen: BTreeSet<String> = taken.keys().cloned().collect();
    for m in members.iter_mut() {
        let name = m.current();
        if !seen.insert(name.clone()) {
            let mut n = 2;
            let (words, qualifier) = m.options[m.level].clone();
            loop {
                let mut numbered = words.clone();
                numbered.push(n.to_string());
                if seen.insert(words::pascal(&numbered)) {
                    m.options.push((numbered, qualifier));
                    m.level = m.options.len() - 1;
                    break;
                }
                n += 1;
            }
        }
    }
}

fn finish(
    members: Vec<Candidates>,
    final_words: &mut BTreeMap<TypeId, Vec<String>>,
    sources: &mut BTreeMap<TypeId, NameSource>,
    taken: &mut BTreeMap<String, TypeId>,
) {
    let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &members {
        wanted.entry(words::pascal(&m.base)).or_default().push(m.id.0.clone());
    }
    for m in members {
        let (words, qualifier) = m.options[m.level].clone();
        if let Some(qualifier) = qualifier {
            let derived = words::pascal(&m.base);
            // Who else wanted the name: types named in this round, or one named before.
            let mut conflicts: Vec<String> = wanted[&derived].iter().filter(|id| **id != m.id.0).cloned().collect();
            if let Some(holder) = taken.get(&derived).filter(|h| !conflicts.contains(&h.0) && **h != m.id) {
                conflicts.push(holder.0.clone());
            }
            let reason = if m.reserved {
                QualifyReason::Reserved
            } else if conflicts.is_empty() {
                QualifyReason::TooLong
            } else {
                QualifyReason::Collision
            };
            sources.insert(m.id.clone(), NameSource::Qualified { derived, qualifier, reason, conflicts });
        }
        taken.insert(words::pascal(&words), m.id.clone());
        final_words.insert(m.id, words);
    }
}

/// The file name of a type: its name in `snake_case`, bounded, unique.
fn module_name(id: &TypeId, words: &[String], files: &mut BTreeSet<String>) -> RustName {
    let mut name = snake_words(words).expect("a type name has letters").to_string();
    if name.len() > MAX_FILE {
        let hash = short_hash(&id.0);
        name.truncate(MAX_FILE - hash.len() - 1);
        name = format!("{}_{hash}", name.trim_end_matches('_'));
    }
    let mut unique = name.clone();
    let mut n = 1;
    while !files.insert(unique.clone()) {
        n += 1;
        unique = format!("{name}_{n}");
    }
    snake_words(&words::split(&unique)).expect("a file name has letters")
}

fn describe_inline(owner: &Owner, steps: &[Step]) -> String {
    let owner = match owner {
        Owner::Component(component) => format!("component `{component}`"),
        Owner::Operation { operation, place } => {
            let place = match place {
                Place::Body => "request body".to_owned(),
                Place::Response(status) => format!("`{status}` response"),
                Place::Param { location, name } => format!("{} parameter `{name}`", location.as_str()),
            };
            format!("the {place} of `{operation}`")
        }
    };
    let steps: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Step::Property(p) => format!("property `{p}`"),
            Step::Items => "items".to_owned(),
            Step::Values => "map values".to_owned(),
            Step::Variant(i) => format!("variant {}", i + 1),
            Step::Member(i) => format!("allOf member {}", i + 1),
        })
        .collect();
    if steps.is_empty() {
        owner
    } else {
        format!("{owner}, {}", steps.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_paths_give_their_type_name() {
        assert_eq!(
            package_path("github.com-example-domains-Domain"),
            Some((vec!["github.com", "example", "domains"], "Domain"))
        );
        assert_eq!(package_path("com.example.model.Pet"), Some((vec!["com", "example", "model"], "Pet")));
        assert_eq!(
            package_path("Inbox_Placement_Testing_github.com-example-x-Response").map(|p| p.1),
            Some("Response")
        );
        assert_eq!(package_path("EventResponse"), None);
        assert_eq!(package_path("POST-v3-domain_name-messages-RequestBody"), None);
        assert_eq!(package_path("a.b c"), None);
    }

    #[test]
    fn too_long_names_end_with_a_hash_and_fit() {
        let id = TypeId("#/x".to_owned());
        let long: Vec<String> = (0..40).map(|i| format!("word{i}")).collect();
        let mut options = vec![(long.clone(), None)];
        with_hash_fallback(&id, &long, &mut options);
        assert_eq!(options.len(), 1, "the too-long option is dropped");
        let name = words::pascal(&options[0].0);
        let hashed = name.to_ascii_lowercase().ends_with(&short_hash("#/x"));
        assert!(name.len() <= MAX_NAME && name.starts_with("Word0") && hashed, "{name}");
    }
}
