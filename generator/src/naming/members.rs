//! Names inside one scope: the fields of a struct, the parameters of an operation, the variants
//! of an enum or union, the servers of the API. Each is unique within its scope and does not
//! depend on the order the spec lists the members in.

use super::{
    from_override, pascal, pascal_words, snake, snake_words, CallMembers, Members, Names, RustName, TypeMembers,
};
use crate::error::Issue;
use crate::ir::{Api, Operation, Prim, SetterTarget, TypeDef, TypeId, TypeKind, TypeRef, Unnamed};
use crate::overrides::Overrides;
use crate::words::{self, singular};
use std::collections::{BTreeMap, BTreeSet};

/// Names a request builder keeps for itself: its fields (`client`, `body`, `options`), its
/// methods (`send`, `send_raw`, `request`) and the setters every builder has (`body` and the
/// per-call options of the runtime's generic `RequestBuilder`, which a call's own method of
/// the same name would duplicate).
const BUILDER_MEMBERS: &[&str] = &[
    "body",
    "client",
    "error_body",
    "extra_header",
    "extra_query",
    "on_behalf_of",
    "options",
    "request",
    "retry_policy",
    "send",
    "send_raw",
    "send_with_response",
    "timeout",
];

/// The stream methods of a paged list call's builder.
const PAGED_MEMBERS: &[&str] = &["items", "pages"];

/// The names a builder's own methods and fields take, which its setters must leave alone.
fn builder_members(op: &Operation<Unnamed>) -> Vec<&'static str> {
    let paged = if op.pagination.is_some() { PAGED_MEMBERS } else { &[] };
    BUILDER_MEMBERS.iter().chain(paged).copied().collect()
}

/// The name of a struct's catch-all map, unless a property already has it.
const ADDITIONAL: &str = "additional_properties";

/// The name of the field where a type read from answers keeps what its other fields cannot
/// hold, unless a property already has it. (Its accessor method has this name whatever the
/// field's: methods and fields do not share names.)
const UNDOCUMENTED: &str = "undocumented";

/// `base`, or the first of `base_2`, `base_3`… not in `taken`, which it joins.
fn unique(base: &str, taken: &mut BTreeSet<String>) -> RustName {
    let mut name = base.to_owned();
    let mut n = 1;
    while taken.contains(&name) {
        n += 1;
        name = format!("{base}_{n}");
    }
    taken.insert(name.clone());
    snake(&name).expect("has letters")
}

/// The names inside every scope: each type's members, each call's parameters and body setters,
/// the servers. Reads the types' names (a union's variants are named after their types).
pub(super) fn assign(api: &Api<Unnamed>, names: &Names, overrides: &Overrides) -> Result<Members, Issue> {
    let mut types = BTreeMap::new();
    for (id, def) in &api.types {
        let mut members = type_members(def, names, overrides);
        members.families = name_families(id, def, &members, overrides)?;
        types.insert(id.clone(), members);
    }
    let mut calls = BTreeMap::new();
    for op in api.operations.values() {
        // A query or header parameter sharing a path parameter's name is told apart by its
        // location (`ip` and `ip_query`).
        let wires: Vec<String> = op
            .params
            .iter()
            .map(|p| {
                let shared = op.params.iter().any(|o| o.wire == p.wire && o.location != p.location);
                let first = op.params.iter().find(|o| o.wire == p.wire).map(|o| o.location);
                if shared && first != Some(p.location) {
                    format!("{} {}", p.wire, p.location.as_str())
                } else {
                    p.wire.clone()
                }
            })
            .collect();
        let wire_refs: Vec<&str> = wires.iter().map(String::as_str).collect();
        let params = scoped_snake(&wire_refs, "param", &builder_members(op));
        let setters = body_setters(op, &params, &api.types, &types);
        calls.insert(op.id.clone(), CallMembers { params, setters });
    }
    let descriptions: Vec<String> = api
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let word = s.description.as_deref().and_then(|d| d.split_whitespace().next()).unwrap_or("");
            if pascal(word).is_some() {
                word.to_owned()
            } else {
                format!("server {}", i + 1)
            }
        })
        .collect();
    let refs: Vec<&str> = descriptions.iter().map(String::as_str).collect();
    Ok(Members { types, calls, servers: variants(&refs) })
}

/// The setters of a builder's body: the field's name (singular for a list, whose setter adds
/// one item), or the family's setter; an argument's name is unique among the call's
/// arguments, a setter's among the builder's methods.
fn body_setters(
    op: &Operation<Unnamed>,
    params: &[RustName],
    types: &BTreeMap<TypeId, TypeDef<Unnamed>>,
    members: &BTreeMap<TypeId, TypeMembers>,
) -> Vec<RustName> {
    let reserved = builder_members(op);
    let Some(body) = &op.body else { return Vec::new() };
    let Some(owner) = struct_id(types, &body.ty) else { return Vec::new() };
    let TypeKind::Struct(s) = &types[owner].kind else { return Vec::new() };
    let own = &members[owner];
    // Arguments share the method's signature with the parameters; setters share the builder
    // with the parameters' setters and its own members.
    let mut arguments: BTreeSet<String> = params.iter().map(|p| p.to_string()).collect();
    let mut methods = arguments.clone();
    methods.extend(reserved.iter().map(|m| (*m).to_owned()));
    let mut names = Vec::with_capacity(body.setters.len());
    for setter in &body.setters {
        let taken = if setter.argument { &mut arguments } else { &mut methods };
        let base = match &setter.target {
            SetterTarget::Field(wire) => {
                let at = s.fields.iter().position(|f| &f.wire == wire).expect("a setter sets a field of its body");
                let (field, field_name) = (&s.fields[at], &own.members[at]);
                let list = matches!(field.ty, TypeRef::Vec(_)) && !setter.argument;
                if list {
                    let mut w = words::split(field_name.as_str());
                    if let Some(last) = w.last_mut() {
                        *last = singular(last);
                    }
                    snake_words(&w).unwrap_or_else(|| field_name.clone())
                } else {
                    field_name.clone()
                }
            }
            SetterTarget::Family(prefix) => {
                let at =
                    s.families.iter().position(|f| &f.prefix == prefix).expect("a setter adds to a family of its body");
                own.families[at].1.clone()
            }
        };
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(name.as_str()) {
            n += 1;
            let suffix = if n == 2 { "field".to_owned() } else { format!("field_{n}") };
            name = snake_words(&[base.to_string(), suffix]).expect("has letters");
        }
        taken.insert(name.to_string());
        names.push(name);
    }
    names
}

/// The named type a reference stands for, through aliases.
fn struct_id<'a>(types: &'a BTreeMap<TypeId, TypeDef<Unnamed>>, ty: &'a TypeRef) -> Option<&'a TypeId> {
    let mut at = ty;
    for _ in 0..=types.len() {
        let TypeRef::Named(id) = at else { return None };
        match &types.get(id)?.kind {
            TypeKind::Alias(target) => at = target,
            _ => return Some(id),
        }
    }
    None
}

/// The names of a struct's families (field, setter), from the overrides file, unique among its
/// fields.
fn name_families(
    id: &TypeId,
    def: &TypeDef<Unnamed>,
    members: &TypeMembers,
    overrides: &Overrides,
) -> Result<Vec<(RustName, RustName)>, Issue> {
    let TypeKind::Struct(s) = &def.kind else { return Ok(Vec::new()) };
    if s.families.is_empty() {
        return Ok(Vec::new());
    }
    let key = match &def.origin {
        crate::ir::Origin::Component(name) if overrides.families.contains_key(name) => name.clone(),
        _ => id.0.clone(),
    };
    let pointer = Overrides::pointer("families", &key);
    let given = overrides.families.get(&key).into_iter().flatten();
    let fields: BTreeSet<&str> = members.members.iter().map(RustName::as_str).collect();
    let mut names = Vec::with_capacity(s.families.len());
    for (_, given) in s.families.iter().zip(given) {
        let valid = |text: &str| {
            from_override(text).filter(|n| !fields.contains(n.as_str())).ok_or_else(|| {
                Issue::in_overrides(
                    &pointer,
                    format!("`{text}` cannot name family `{}`: not an identifier, or a field has it", given.prefix),
                )
            })
        };
        names.push((valid(&given.field)?, valid(&given.setter)?));
    }
    Ok(names)
}

/// The names of a type's fields or variants, its catch-all map's and its undocumented field's
/// (its families' come after, from the overrides file).
fn type_members(def: &TypeDef<Unnamed>, names: &Names, overrides: &Overrides) -> TypeMembers {
    let mut out = TypeMembers::default();
    match &def.kind {
        TypeKind::Struct(s) => {
            // A wire prefix the overrides file says reads as other words (`o:tag` → `tag`).
            let texts: Vec<String> = s.fields.iter().map(|f| overrides.wire_text(&f.wire)).collect();
            let wires: Vec<&str> = texts.iter().map(String::as_str).collect();
            out.members = scoped_snake(&wires, "field", &[]);
            let mut taken: BTreeSet<String> = out.members.iter().map(|n| n.to_string()).collect();
            if s.additional.is_some() {
                out.additional = Some(unique(ADDITIONAL, &mut taken));
            }
            if def.reach.is_read() {
                out.undocumented = Some(unique(UNDOCUMENTED, &mut taken));
            }
        }
        TypeKind::Enum(values) => {
            let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
            out.members = variants(&wires);
        }
        TypeKind::Union(members) => {
            let texts: Vec<String> = members.iter().map(|m| variant_text(&m.ty, names)).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            out.members = variants(&refs);
        }
        TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
    }
    out
}

/// What a union variant is called after: the type it holds.
fn variant_text(ty: &TypeRef, names: &Names) -> String {
    match ty {
        TypeRef::Named(id) => names.types.get(id).map(|t| t.name.to_string()).unwrap_or_else(|| "Value".to_owned()),
        TypeRef::Prim(Prim::String) => "String".to_owned(),
        TypeRef::Prim(Prim::Bool) => "Bool".to_owned(),
        TypeRef::Prim(Prim::I32 | Prim::I64) => "Integer".to_owned(),
        TypeRef::Prim(Prim::F64) => "Number".to_owned(),
        TypeRef::Prim(Prim::File) => "File".to_owned(),
        TypeRef::Prim(Prim::Bytes) => "Bytes".to_owned(),
        TypeRef::Prim(Prim::Json) => "Json".to_owned(),
        TypeRef::Prim(Prim::Timestamp) => "Timestamp".to_owned(),
        TypeRef::Option(inner) => variant_text(inner, names),
        TypeRef::Vec(inner) => match inner.without_option() {
            TypeRef::Vec(_) => "ListOfLists".to_owned(),
            other => format!("{}List", variant_text(other, names)),
        },
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Any | TypeRef::Unit => "Value".to_owned(),
    }
}

/// `snake_case` names for the wire names of one scope. When two wire names map to the same
/// identifier, the one whose wire name *is* that identifier keeps it; the others take it (or,
/// when it is taken, a numbered form of it) in sorted wire-name order, so the result does not
/// depend on the order of the spec. Names in `reserved` get a suffix from `fallback`
/// (`body` → `body_param`).
pub fn scoped_snake(wires: &[&str], fallback: &str, reserved: &[&str]) -> Vec<RustName> {
    let base: Vec<RustName> = wires
        .iter()
        .map(|w| {
            let name = snake(w).or_else(|| from_override(fallback)).expect("the fallback is an identifier");
            if reserved.contains(&name.as_str()) {
                snake_words(&[name.to_string(), fallback.to_owned()]).expect("has letters")
            } else {
                name
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..wires.len()).collect();
    order.sort_by_key(|&i| (wires[i] != base[i].as_str(), wires[i], i));
    let mut taken: BTreeSet<RustName> = BTreeSet::new();
    let mut out = base.clone();
    for i in order {
        let mut name = base[i].clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = base[i].numbered("_", n);
        }
        taken.insert(name.clone());
        out[i] = name;
    }
    out
}

/// Variant names for values, in value order. Operators get names (`!=` is `Ne`), values with
/// no letters get `Value<n>`, and collisions get a numeric suffix by position. The catch-all
/// variant's name (`ir::UNKNOWN_VARIANT`) is kept for it.
pub fn variants(values: &[&str]) -> Vec<RustName> {
    let mut taken = BTreeSet::from([crate::ir::UNKNOWN_VARIANT.to_owned()]);
    let mut out = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        let base = match *value {
            "=" | "==" => "Eq".to_owned(),
            "!=" => "Ne".to_owned(),
            "<" => "Lt".to_owned(),
            "<=" => "Le".to_owned(),
            ">" => "Gt".to_owned(),
            ">=" => "Ge".to_owned(),
            other => pascal_words(&words::split(other))
                .map(RustName::into_string)
                .unwrap_or_else(|| format!("Value{}", i + 1)),
        };
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{}{n}", base.trim_end_matches('_'));
            n += 1;
        }
        out.push(from_override(&name).expect("a variant name is an identifier"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(names: Vec<RustName>) -> Vec<String> {
        names.into_iter().map(|n| n.to_string()).collect()
    }

    /// Every method the runtime's generic `RequestBuilder` gives each builder is a name the
    /// builder keeps: the list here is a copy, and this keeps it in step with the runtime.
    #[test]
    fn the_runtimes_per_call_setters_are_builder_members() {
        let http = include_str!("../../runtime/http.rs");
        let mut found = 0;
        for block in ["impl<Op> RequestBuilder<Op> {", "impl<Op: Prepare> RequestBuilder<Op> {"] {
            let start = http.find(block).unwrap_or_else(|| panic!("the runtime has `{block}`"));
            let body = &http[start..];
            let body = &body[..body.find("\n}\n").expect("the impl ends")];
            for line in body.lines() {
                let trimmed = line.trim_start();
                let Some(rest) = trimmed.strip_prefix("pub fn ").or(trimmed.strip_prefix("pub(crate) fn ")) else {
                    continue;
                };
                let name = rest.split(['(', '<']).next().unwrap();
                assert!(BUILDER_MEMBERS.contains(&name), "`{name}` of RequestBuilder is not in BUILDER_MEMBERS");
                found += 1;
            }
        }
        assert!(found >= 6, "the builder's methods were not found ({found})");
    }

    #[test]
    fn colliding_fields_resolve_without_depending_on_order() {
        assert_eq!(texts(scoped_snake(&["fooBar", "foo_bar"], "field", &[])), ["foo_bar_2", "foo_bar"]);
        assert_eq!(texts(scoped_snake(&["foo_bar", "fooBar"], "field", &[])), ["foo_bar", "foo_bar_2"]);
        assert_eq!(texts(scoped_snake(&["a.b", "a-b"], "field", &[])), ["a_b_2", "a_b"]);
        let three = texts(scoped_snake(&["a", "a-2", "A"], "field", &[]));
        assert_eq!(three, ["a", "a_2_2", "a_2"]);
        assert_eq!(texts(scoped_snake(&["A", "a-2", "a"], "field", &[])), ["a_2", "a_2_2", "a"]);
    }

    #[test]
    fn reserved_members_get_a_suffix() {
        assert_eq!(
            texts(scoped_snake(&["body", "send", "x"], "param", BUILDER_MEMBERS)),
            ["body_param", "send_param", "x"]
        );
    }

    #[test]
    fn operator_values_get_names_and_duplicates_get_suffixes() {
        let got =
            variants(&["=", "!=", "contains", "not contains", "<", "<=", ">", ">=", "unknown", "a.b", "a-b", "?"]);
        assert_eq!(
            texts(got),
            ["Eq", "Ne", "Contains", "NotContains", "Lt", "Le", "Gt", "Ge", "Unknown2", "AB", "AB2", "Value12"]
        );
    }
}
