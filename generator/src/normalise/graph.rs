//! What the finished types say about each other and about the operations: where each type is
//! used, what reaches it, and how recursion is made representable in Rust.

use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};

/// A type alias cannot refer to itself (`type A = Vec<A>;` does not compile), but a schema can
/// (`A: {type: array, items: {$ref: A}}`). Aliases on such a cycle become newtype structs.
pub(super) fn newtypes_for_recursive_aliases(api: &mut Api<Unnamed>) {
    let alias_edges: BTreeMap<&TypeId, Vec<&TypeId>> = api
        .types
        .iter()
        .filter_map(|(id, def)| match &def.kind {
            TypeKind::Alias(ty) => Some((
                id,
                ty.named()
                    .into_iter()
                    .filter(|t| matches!(api.types.get(*t).map(|d| &d.kind), Some(TypeKind::Alias(_))))
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let on_cycle: Vec<TypeId> = alias_edges
        .keys()
        .filter(|start| {
            let mut stack: Vec<&TypeId> = alias_edges[*start].clone();
            let mut seen = BTreeSet::new();
            while let Some(at) = stack.pop() {
                if at == **start {
                    return true;
                }
                if seen.insert(at) {
                    stack.extend(alias_edges.get(at).into_iter().flatten());
                }
            }
            false
        })
        .map(|id| (*id).clone())
        .collect();
    for id in on_cycle {
        let def = api.types.get_mut(&id).expect("known");
        if let TypeKind::Alias(ty) = &def.kind {
            def.kind = TypeKind::Newtype(ty.clone());
        }
    }
}

/// Where each type is used directly, and what reaches it, as the types stand.
pub(super) struct Facts {
    uses: BTreeMap<TypeId, BTreeSet<Use>>,
    /// Every flag of each type's reach; its operations and tags are in `operations`.
    reach: BTreeMap<TypeId, Reach>,
    /// The operations that reach each type, as positions in `operation_ids`, in order.
    operations: BTreeMap<TypeId, Vec<usize>>,
    operation_ids: Vec<(OperationId, TagKey)>,
}

impl Facts {
    /// A type's direct uses (none for a type nothing uses).
    pub(super) fn uses(&self, id: &TypeId) -> &BTreeSet<Use> {
        static NONE: BTreeSet<Use> = BTreeSet::new();
        self.uses.get(id).unwrap_or(&NONE)
    }

    /// Whether a type is part of a request, and whether of a response.
    pub(super) fn sides(&self, id: &TypeId) -> (bool, bool) {
        self.reach.get(id).map_or((false, false), |r| (r.request, r.response))
    }

    /// Stores the facts in the types, which later passes and steps read: once the types are
    /// final (merged, and the webhook event known).
    pub(super) fn record(mut self, api: &mut Api<Unnamed>) {
        for (id, def) in api.types.iter_mut() {
            def.uses = self.uses.remove(id).unwrap_or_default();
            let mut reach = self.reach.remove(id).unwrap_or_default();
            for &op in self.operations.get(id).into_iter().flatten() {
                let (op, tag) = &self.operation_ids[op];
                reach.operations.insert(op.clone());
                reach.tags.insert(tag.clone());
            }
            def.reach = reach;
        }
    }
}

/// The types as numbers, each with the numbers of the types it refers to: the closures below
/// walk these, as many times as there are operations, rather than the types' identities.
struct Graph<'a> {
    ids: Vec<&'a TypeId>,
    number: BTreeMap<&'a TypeId, usize>,
    refers_to: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn new(api: &'a Api<Unnamed>) -> Graph<'a> {
        let ids: Vec<&TypeId> = api.types.keys().collect();
        let number: BTreeMap<&TypeId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let refers_to = api
            .types
            .values()
            .map(|def| {
                def.kind.refs().into_iter().flat_map(TypeRef::named).filter_map(|id| number.get(id).copied()).collect()
            })
            .collect();
        Graph { ids, number, refers_to }
    }

    /// The numbers of the named types in some references (types the API does not define are
    /// left out).
    fn roots<'r>(&self, tys: impl IntoIterator<Item = &'r TypeRef>) -> Vec<usize> {
        tys.into_iter().flat_map(TypeRef::named).filter_map(|id| self.number.get(id).copied()).collect()
    }

    /// Calls `visit` once for every type reachable from `roots` (themselves included); `seen`
    /// holds, per type, the last walk that visited it, and `walk` numbers this one.
    fn walk(&self, roots: Vec<usize>, seen: &mut [usize], walk: usize, mut visit: impl FnMut(usize)) {
        let mut stack = roots;
        while let Some(at) = stack.pop() {
            if seen[at] != walk {
                seen[at] = walk;
                visit(at);
                stack.extend(&self.refers_to[at]);
            }
        }
    }
}

/// Works out every type's uses and reach from the operations, the types and the webhook event.
pub(super) fn facts(api: &Api<Unnamed>) -> Facts {
    let mut uses: BTreeMap<TypeId, BTreeSet<Use>> = BTreeMap::new();
    let mut add_use = |ty: &TypeRef, what: Use| {
        for id in ty.named() {
            uses.entry(id.clone()).or_default().insert(what.clone());
        }
    };
    for op in api.operations.values() {
        for p in &op.params {
            add_use(&p.ty, Use::Param { operation: op.id.clone(), name: p.wire.clone() });
        }
        if let Some(body) = &op.body {
            add_use(&body.ty, Use::Body(op.id.clone()));
            for alternative in body.alternatives.iter().filter_map(|a| a.ty.as_ref()) {
                add_use(alternative, Use::Body(op.id.clone()));
            }
        }
        for r in &op.responses {
            if let Some(body) = &r.body {
                add_use(body, Use::Response { operation: op.id.clone(), status: r.status });
            }
        }
    }
    for (owner, def) in &api.types {
        match &def.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    add_use(&f.ty, Use::Field { owner: owner.clone(), name: f.wire.clone() });
                }
                if let Some(a) = &s.additional {
                    add_use(&a.ty, Use::Element(owner.clone()));
                }
            }
            kind => {
                for ty in kind.refs() {
                    add_use(ty, Use::Element(owner.clone()));
                }
            }
        }
    }

    let graph = Graph::new(api);
    let count = graph.ids.len();
    let (mut request, mut response) = (vec![false; count], vec![false; count]);
    let mut reached_by: Vec<Vec<usize>> = vec![Vec::new(); count];
    // Walks are numbered from 1 (0 is "never"); a type reached by both sides of one operation
    // lists it once.
    let mut seen = vec![0; count];
    let mut walks = 0;
    let mut reach: BTreeMap<TypeId, Reach> = BTreeMap::new();
    let mut operation_ids = Vec::with_capacity(api.operations.len());
    for (position, op) in api.operations.values().enumerate() {
        operation_ids.push((op.id.clone(), op.tag.clone()));
        let bodies = op
            .body
            .iter()
            .flat_map(|b| std::iter::once(&b.ty).chain(b.alternatives.iter().filter_map(|a| a.ty.as_ref())));
        let request_roots = graph.roots(op.params.iter().map(|p| &p.ty).chain(bodies));
        let response_roots = graph.roots(op.responses.iter().filter_map(|r| r.body.as_ref()));
        for (roots, side) in [(request_roots, &mut request), (response_roots, &mut response)] {
            walks += 1;
            graph.walk(roots, &mut seen, walks, |at| {
                side[at] = true;
                if reached_by[at].last() != Some(&position) {
                    reached_by[at].push(position);
                }
            });
        }
        if let Some(body) =
            op.body.as_ref().filter(|b| matches!(b.encoding, BodyEncoding::Form | BodyEncoding::Multipart))
        {
            if let Some(id) = resolve_struct(api, &body.ty) {
                reach.entry(id.clone()).or_default().form_body = true;
                if let TypeKind::Struct(s) = &api.types[id].kind {
                    // Each field of a form body goes on the wire as one value (or one per item).
                    for ty in s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref().map(|a| &a.ty)) {
                        mark_wire_values(api, ty, &mut reach);
                    }
                }
            }
        }
        for p in &op.params {
            mark_wire_values(api, &p.ty, &mut reach);
        }
    }
    let mut webhook = vec![false; count];
    if let Some(event) = &api.webhook_event {
        walks += 1;
        graph.walk(graph.roots([&TypeRef::Named(event.clone())]), &mut seen, walks, |at| webhook[at] = true);
    }
    // A type nothing uses is compiled whatever the features (nothing says which it belongs
    // to), and so must be every type it holds.
    let unused: Vec<usize> = (0..count).filter(|&at| reached_by[at].is_empty() && !webhook[at]).collect();
    let mut unconditional = vec![false; count];
    walks += 1;
    graph.walk(unused, &mut seen, walks, |at| unconditional[at] = true);

    let mut operations = BTreeMap::new();
    for (at, id) in graph.ids.iter().enumerate() {
        let flags = [request[at], response[at], webhook[at], unconditional[at]];
        if flags.iter().any(|f| *f) {
            let r = reach.entry((*id).clone()).or_default();
            [r.request, r.response, r.webhook, r.unconditional] = flags;
        }
        if !reached_by[at].is_empty() {
            operations.insert((*id).clone(), std::mem::take(&mut reached_by[at]));
        }
    }
    Facts { uses, reach, operations, operation_ids }
}

/// The struct a body type is, through aliases.
fn resolve_struct<'a>(api: &'a Api<Unnamed>, ty: &'a TypeRef) -> Option<&'a TypeId> {
    let mut at = ty;
    for _ in 0..api.types.len() + 1 {
        let TypeRef::Named(id) = at else { return None };
        match &api.types.get(id)?.kind {
            TypeKind::Struct(_) => return Some(id),
            TypeKind::Alias(target) => at = target,
            _ => return None,
        }
    }
    None
}

/// Marks the named types of a value sent as a parameter or form field; through aliases and
/// newtypes, the types they stand for too.
fn mark_wire_values(api: &Api<Unnamed>, ty: &TypeRef, reach: &mut BTreeMap<TypeId, Reach>) {
    let mut stack: Vec<&TypeId> = ty.named();
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        reach.entry(id.clone()).or_default().wire_value = true;
        if let Some(TypeKind::Alias(target) | TypeKind::Newtype(target)) = api.types.get(id).map(|d| &d.kind) {
            stack.extend(target.named());
        }
    }
}

/// Marks the struct fields and union variants that make a type contain itself by value, so
/// they can be boxed.
pub(super) fn box_recursion(api: &mut Api<Unnamed>) {
    fn direct(ty: &TypeRef) -> Option<&TypeId> {
        match ty {
            TypeRef::Named(id) => Some(id),
            TypeRef::Option(inner) => direct(inner),
            _ => None,
        }
    }
    let edges: BTreeMap<TypeId, Vec<TypeId>> = api
        .types
        .iter()
        .map(|(id, def)| (id.clone(), def.kind.refs().into_iter().filter_map(direct).cloned().collect()))
        .collect();
    let reaches = |from: &TypeId, to: &TypeId| {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                stack.extend(edges.get(at).into_iter().flatten());
            }
        }
        false
    };
    let mut to_box: Vec<(TypeId, usize)> = Vec::new();
    for (id, def) in &api.types {
        let members: Vec<&TypeRef> = match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(variants) => variants.iter().map(|v| &v.ty).collect(),
            _ => Vec::new(),
        };
        for (i, ty) in members.into_iter().enumerate() {
            if direct(ty).is_some_and(|target| reaches(target, id)) {
                to_box.push((id.clone(), i));
            }
        }
    }
    for (id, i) in to_box {
        match &mut api.types.get_mut(&id).expect("known").kind {
            TypeKind::Struct(s) => s.fields[i].boxed = true,
            TypeKind::Union(variants) => variants[i].boxed = true,
            _ => {}
        }
    }
}

/// Decides how each struct field holds its value (see [`FieldRepr`]): what the spec says for
/// types only ever sent; for types read from answers, what an answer can really hold.
pub(super) fn field_reprs(api: &mut Api<Unnamed>) {
    let collection = |ty: &TypeRef| matches!(ty, TypeRef::Vec(_) | TypeRef::Map(_));
    for def in api.types.values_mut() {
        let read = def.reach.is_read();
        let TypeKind::Struct(s) = &mut def.kind else { continue };
        for field in &mut s.fields {
            field.repr = match read {
                // An answer may leave out anything: a field holds only what came.
                true if collection(&field.ty) => FieldRepr::Defaulted,
                true => FieldRepr::Option,
                false if field.may_be_absent() => FieldRepr::Option,
                false => FieldRepr::Plain,
            };
        }
    }
}

/// Fields whose examples show a time become [`Prim::Timestamp`]: a text field whose example is
/// a date (RFC 2822, RFC 3339, ISO 8601, Go's `time.String()`), or a number field named for a
/// time (`timestamp`, `created_at`) whose example is a Unix time. The examples are the spec's
/// response examples, walked along the types they answer with, and the fields' own examples.
pub(super) fn timestamps_from_examples(api: &mut Api<Unnamed>) {
    let mut found: BTreeSet<(TypeId, usize)> = BTreeSet::new();
    for op in api.operations.values() {
        for response in &op.responses {
            let Some(ty) = &response.body else { continue };
            for example in &response.examples {
                walk_example(&api.types, &example.value, ty, &mut found, 0);
            }
        }
    }
    for (id, def) in &api.types {
        let TypeKind::Struct(s) = &def.kind else { continue };
        for (i, field) in s.fields.iter().enumerate() {
            if let Some(example) = &field.docs.example {
                if shows_time(field, example) {
                    found.insert((id.clone(), i));
                }
            }
        }
    }
    for (id, i) in found {
        if let Some(TypeKind::Struct(s)) = api.types.get_mut(&id).map(|d| &mut d.kind) {
            let field = &mut s.fields[i];
            field.ty = retype(&field.ty);
        }
    }
}

/// A walk deeper than this is a recursive type fed a deep example; it stops there.
const MAX_EXAMPLE_DEPTH: usize = 64;

fn walk_example(
    types: &BTreeMap<TypeId, TypeDef<Unnamed>>,
    value: &serde_json::Value,
    ty: &TypeRef,
    found: &mut BTreeSet<(TypeId, usize)>,
    depth: usize,
) {
    use serde_json::Value;
    if depth > MAX_EXAMPLE_DEPTH {
        return;
    }
    match (ty, value) {
        (TypeRef::Option(inner), _) => walk_example(types, value, inner, found, depth + 1),
        (TypeRef::Vec(item), Value::Array(items)) => {
            items.iter().for_each(|v| walk_example(types, v, item, found, depth + 1));
        }
        (TypeRef::Map(inner), Value::Object(members)) => {
            members.values().for_each(|v| walk_example(types, v, inner, found, depth + 1));
        }
        (TypeRef::Named(id), _) => match types.get(id).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => {
                let Value::Object(members) = value else { return };
                for (i, field) in s.fields.iter().enumerate() {
                    let Some(v) = members.get(&field.wire) else { continue };
                    if shows_time(field, v) {
                        found.insert((id.clone(), i));
                    } else {
                        walk_example(types, v, &field.ty, found, depth + 1);
                    }
                }
            }
            Some(TypeKind::Alias(target) | TypeKind::Newtype(target)) => {
                walk_example(types, value, target, found, depth + 1)
            }
            Some(TypeKind::Union(variants)) => {
                variants.iter().for_each(|v| walk_example(types, value, &v.ty, found, depth + 1));
            }
            _ => {}
        },
        _ => {}
    }
}

/// Whether a field's example value shows it holds a time.
fn shows_time(field: &Field<Unnamed>, example: &serde_json::Value) -> bool {
    let scalar = match &field.ty {
        TypeRef::Vec(item) => item.as_ref(),
        ty => ty,
    };
    let example = match example {
        serde_json::Value::Array(items) if matches!(field.ty, TypeRef::Vec(_)) => match items.first() {
            Some(first) => first,
            None => return false,
        },
        other => other,
    };
    match (scalar, example) {
        (TypeRef::Prim(Prim::String), serde_json::Value::String(text)) => super::schema::looks_like_date(text),
        (TypeRef::Prim(Prim::I32 | Prim::I64 | Prim::F64), serde_json::Value::Number(n)) => {
            let words = crate::words::split(&field.wire);
            let named = words.last().is_some_and(|w| matches!(w.as_str(), "timestamp" | "time" | "at" | "date"));
            // Seconds since 1970 between 2001 and 2286, or the same in milliseconds.
            let plausible = n.as_f64().is_some_and(|v| (1e9..1e10).contains(&v) || (1e12..1e13).contains(&v));
            named && plausible
        }
        _ => false,
    }
}

/// The same type with its scalar (or list item) as a timestamp.
fn retype(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Vec(item) => TypeRef::Vec(Box::new(retype(item))),
        _ => TypeRef::Prim(Prim::Timestamp),
    }
}
