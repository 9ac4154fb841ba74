//! Structurally identical types become one (typify's `type_to_id`, done over the whole graph).
//!
//! Two types are identical when they have the same kind, the same members on the wire (names,
//! required, nullable) and identical types for those members; documentation does not count.
//! That is decided by partition refinement: start from each type's own shape with every
//! referenced type seen as equal, then tell types apart by the classes of what they reference,
//! until nothing changes. Types that go only in requests and types that come only in responses
//! are never merged with each other, so each side can evolve on its own.
//!
//! Identical is not enough to share a name, so within a class of identical types:
//! - an inline schema becomes the component it is identical to (the component's name wins);
//! - inline schemas merge with each other when they sit at the same property or parameter name,
//!   or are the items of lists that do (the `o:tracking` of both message bodies, the `event` of
//!   every stats query), never across different places, whose names would then mislead;
//! - components merge with components of the same type name (a copy of a schema under a second
//!   prefix), and a component only ever used as an error body (4xx, 5xx) becomes the general
//!   component it is identical to; other differently named components are different concepts
//!   and keep their names.
//!
//! Of each merged group one type is kept (a component before an inline schema, then the
//! shortest type name, then the most used, then the shortest component name, then by identity,
//! so the choice does not depend on the document's order); references to the others are
//! redirected to it, and it lists the identities it stands for in `merged`.

use super::graph::Facts;
use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Merges each group of identical types into one; `facts` are the types' uses and reach before
/// the merge, which tell error bodies apart and choose the type that is kept.
pub(super) fn merge_identical(api: &mut Api<Unnamed>, facts: &Facts) {
    let classes = classes(api, facts);
    let mut members: BTreeMap<usize, Vec<&TypeId>> = BTreeMap::new();
    for (id, class) in &classes {
        members.entry(*class).or_default().push(id);
    }
    let mut redirect: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    for class in members.values().filter(|g| g.len() > 1) {
        for group in merge_groups(class, &api.types, facts) {
            let kept = group.iter().min_by_key(|id| preference(id, &api.types[**id], facts)).expect("non-empty");
            for id in group.iter().filter(|id| *id != kept) {
                redirect.insert((*id).clone(), (*kept).clone());
            }
        }
    }
    if redirect.is_empty() {
        return;
    }
    let map = |id: &TypeId| redirect.get(id).cloned();
    for def in api.types.values_mut() {
        for ty in def.kind.refs_mut() {
            ty.rename_types(&map);
        }
    }
    for op in api.operations.values_mut() {
        for p in &mut op.params {
            p.ty.rename_types(&map);
        }
        if let Some(body) = &mut op.body {
            body.ty.rename_types(&map);
            for alternative in body.alternatives.iter_mut().filter_map(|a| a.ty.as_mut()) {
                alternative.rename_types(&map);
            }
        }
        for r in &mut op.responses {
            if let Some(body) = &mut r.body {
                body.rename_types(&map);
            }
        }
        op.output.ty.rename_types(&map);
    }
    for (gone, kept) in &redirect {
        let def = api.types.remove(gone).expect("a merged type exists");
        if matches!(def.origin, Origin::Component(_)) {
            api.left_out.push(LeftOut {
                what: gone.0.clone(),
                reason: format!("the same structure as {kept}, so it is generated once, as that type"),
            });
        }
        let keeper = api.types.get_mut(kept).expect("the kept type exists");
        keeper.merged.push(gone.clone());
        keeper.merged.extend(def.merged);
        keeper.merged.sort();
        keeper.merged_pointers.push(def.pointer);
        keeper.merged_pointers.extend(def.merged_pointers);
        keeper.merged_pointers.sort();
        if keeper.description.is_none() && keeper.title.is_none() {
            keeper.title = def.title;
            keeper.description = def.description;
        }
    }
}

/// The groups of one class of identical types that may share a name (see the module docs).
fn merge_groups<'a>(
    class: &[&'a TypeId],
    types: &BTreeMap<TypeId, TypeDef<Unnamed>>,
    facts: &Facts,
) -> Vec<Vec<&'a TypeId>> {
    let mut components: BTreeMap<&str, Vec<&TypeId>> = BTreeMap::new();
    let mut inline: BTreeMap<Option<String>, Vec<&TypeId>> = BTreeMap::new();
    for id in class {
        match &types[*id].origin {
            Origin::Component(name) => components.entry(crate::words::component_type_name(name)).or_default().push(id),
            Origin::Inline { owner, steps } => inline.entry(leaf(owner, steps)).or_default().push(id),
        }
    }
    let best = |group: &Vec<&TypeId>| group.iter().map(|id| preference(id, &types[*id], facts)).min();
    let (errors, mut groups): (Vec<Vec<&TypeId>>, Vec<Vec<&TypeId>>) =
        components.into_values().partition(|g| g.iter().all(|id| only_error_body(facts.uses(id))));
    match groups.iter_mut().min_by_key(|g| best(g)) {
        Some(general) => general.extend(errors.into_iter().flatten()),
        None => groups = errors,
    }
    let inline_members: Vec<&TypeId> = inline.values().flatten().copied().collect();
    if let Some(target) = groups.iter_mut().min_by_key(|g| best(g)) {
        // Identical to a component: the component it is.
        target.extend(inline_members);
    } else {
        for (leaf, members) in inline {
            match leaf {
                Some(_) => groups.push(members),
                None => groups.extend(members.into_iter().map(|m| vec![m])),
            }
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// Whether a type is used, and only used, as the body of 4xx or 5xx answers.
fn only_error_body(uses: &BTreeSet<Use>) -> bool {
    let error = |status: &Status| match status {
        Status::Code(code) => *code >= 400,
        Status::Range(class) => *class >= 4,
        Status::Default => false,
    };
    !uses.is_empty() && uses.iter().all(|u| matches!(u, Use::Response { status, .. } if error(status)))
}

/// The name an inline schema's own place gives it: the property or parameter it is the value
/// of, or the items of (`event` for each item of a list parameter `event`). A whole body or
/// response has none: its name comes from its operation.
fn leaf(owner: &Owner, steps: &[Step]) -> Option<String> {
    let place = steps.iter().rposition(|s| !matches!(s, Step::Items)).map(|at| &steps[at]);
    let items = steps.iter().rev().take_while(|s| matches!(s, Step::Items)).count();
    let name = match (place, owner) {
        (Some(Step::Property(name)), _) => name.clone(),
        (None, Owner::Operation { place: Place::Param { name, .. }, .. }) => name.clone(),
        _ => return None,
    };
    Some(format!("{name}{}", "[]".repeat(items)))
}

/// The class of each type: equal classes mean identical structure.
fn classes(api: &Api<Unnamed>, facts: &Facts) -> BTreeMap<TypeId, usize> {
    // Each type's shape is written once; a round only looks up the classes of the types it
    // refers to (by position in `api.types`; `None` for one that is not there).
    let position: BTreeMap<&TypeId, usize> = api.types.keys().enumerate().map(|(i, id)| (id, i)).collect();
    let shapes: Vec<(String, Vec<Option<usize>>)> = api
        .types
        .iter()
        .map(|(id, def)| {
            let (text, refs) = shape(def, facts.sides(id));
            (text, refs.into_iter().map(|r| position.get(r).copied()).collect())
        })
        .collect();
    let mut classes = vec![0; shapes.len()];
    let mut count = 1;
    loop {
        let keys: Vec<(&str, Vec<usize>)> = shapes
            .iter()
            .map(|(text, refs)| (text.as_str(), refs.iter().map(|r| r.map_or(usize::MAX, |i| classes[i])).collect()))
            .collect();
        let distinct: BTreeSet<&(&str, Vec<usize>)> = keys.iter().collect();
        let numbered: BTreeMap<&(&str, Vec<usize>), usize> =
            distinct.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let next: Vec<usize> = keys.iter().map(|key| numbered[key]).collect();
        let stable = distinct.len() == count;
        count = distinct.len();
        classes = next;
        if stable {
            return api.types.keys().cloned().zip(classes).collect();
        }
    }
}

/// A type's structure as text, each type it refers to written as `#`, and those types in the
/// order they are written.
fn shape<'a>(def: &'a TypeDef<Unnamed>, (request, response): (bool, bool)) -> (String, Vec<&'a TypeId>) {
    let mut refs = Vec::new();
    let mut ty = |t: &'a TypeRef| {
        refs.extend(referenced(t));
        let mut t = t.clone();
        t.rename_types(&|_| Some(TypeId("#".to_owned())));
        t.to_string()
    };
    let mut out = format!("request={request} response={response} ");
    match &def.kind {
        TypeKind::Struct(s) => {
            out.push_str("struct");
            for f in &s.fields {
                let _ = write!(out, " {:?}:{}:{}:{}", f.wire, f.required, f.nullable, ty(&f.ty));
            }
            if let Some(a) = &s.additional {
                let _ = write!(out, " +{}", ty(&a.ty));
            }
            for f in &s.families {
                let _ = write!(out, " family {:?}:{}", f.prefix, f.json);
            }
        }
        TypeKind::Enum(variants) => {
            out.push_str("enum");
            for v in variants {
                let _ = write!(out, " {:?}", v.wire);
            }
        }
        TypeKind::Union(variants) => {
            out.push_str("union");
            for v in variants {
                let _ = write!(out, " {}", ty(&v.ty));
            }
        }
        TypeKind::Alias(t) => {
            let _ = write!(out, "alias {}", ty(t));
        }
        TypeKind::Newtype(t) => {
            let _ = write!(out, "newtype {}", ty(t));
        }
    }
    (out, refs)
}

/// The generated type a reference names, inside any lists, maps and options.
fn referenced(t: &TypeRef) -> Option<&TypeId> {
    match t {
        TypeRef::Named(id) => Some(id),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => referenced(inner),
        TypeRef::Prim(_) | TypeRef::Any | TypeRef::Unit => None,
    }
}

/// Which member of a class of identical types is kept: the smallest key.
fn preference(
    id: &TypeId,
    def: &TypeDef<Unnamed>,
    facts: &Facts,
) -> (bool, usize, std::cmp::Reverse<usize>, usize, TypeId) {
    let (inline, name_len, full_len) = match &def.origin {
        Origin::Component(name) => (false, crate::words::component_type_name(name).len(), name.len()),
        Origin::Inline { steps, .. } => (true, steps.len(), id.0.len()),
    };
    (inline, name_len, std::cmp::Reverse(facts.uses(id).len()), full_len, id.clone())
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeId, TypeKind, TypeRef, Unnamed};
    use crate::overrides::Overrides;

    /// The type of the field `wire` of the struct `of`.
    fn field_type(api: &Api<Unnamed>, of: &TypeRef, wire: &str) -> TypeId {
        let TypeRef::Named(id) = of else { panic!("{of} is not a generated type") };
        let TypeKind::Struct(s) = &api.types[id].kind else { panic!("{id} is not a struct") };
        match &s.fields.iter().find(|f| f.wire == wire).expect("the field").ty {
            TypeRef::Named(field) => field.clone(),
            other => panic!("{other} is not a generated type"),
        }
    }

    /// Types at the same place are one type only when what they refer to is identical too, as
    /// far down as it goes: `options` of `/a` and `/c` are one, `/b`'s differs two levels down.
    #[test]
    fn identical_means_identical_all_the_way_down() {
        let operation = |path: &str, leaf: &str| {
            format!(
                "  {path}:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                options:
                  type: object
                  properties:
                    inner: {{type: object, properties: {{x: {{type: {leaf}}}}}}}
      responses: {{'204': {{description: none}}}}
"
            )
        };
        let doc = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{}{}{}",
            operation("/a", "string"),
            operation("/b", "integer"),
            operation("/c", "string"),
        );
        let doc: openapiv3::OpenAPI = serde_yaml::from_str(&doc).unwrap();
        let api = super::super::normalise(&doc, &Overrides::default()).unwrap();
        let options: Vec<TypeId> = api
            .operations
            .values()
            .map(|op| field_type(&api, &op.body.as_ref().expect("a body").ty, "options"))
            .collect();
        assert_eq!(options.len(), 3);
        let (a, b, c) = (&options[0], &options[1], &options[2]);
        assert_eq!(a, c, "identical all the way down: one type");
        assert_ne!(a, b, "different two levels down: two types");
    }
}
