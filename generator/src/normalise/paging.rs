//! Which calls answer with a paged list, and how the list continues, read from the shape of
//! the answer and the parameters (Mailgun's spec has no pagination keyword):
//! - an answer with a `paging` object holding a `next` link (any case: `Paging.Next` too;
//!   other APIs' `links.next` and `pagination.next_url` alike) continues at that link;
//! - a `GET` with an optional `skip` (or `offset`) query parameter continues at an offset.
//!
//! The list is the answer's `items`, or its one list of objects. Shapes that look alike but
//! are not pages (a `pagination` object of tokens, in a `POST` body) are left alone.

use crate::ir::*;
use std::collections::BTreeMap;

pub(super) fn detect(api: &mut Api) {
    let found: Vec<(OperationId, Pagination)> =
        api.operations.values().filter_map(|op| Some((op.id.clone(), of(op, &api.types)?))).collect();
    for (id, pagination) in found {
        api.operations.get_mut(&id).expect("found above").pagination = Some(pagination);
    }
}

fn of(op: &Operation, types: &BTreeMap<TypeId, TypeDef>) -> Option<Pagination> {
    if op.method != HttpMethod::Get {
        return None;
    }
    let answer = super::struct_of(types, &op.output.ty)?;
    let items = items(answer, types).or_else(|| items_one_level_down(answer, types))?;
    if let Some(link) = link(answer, types) {
        return Some(Pagination { items, next: NextPage::Link(link) });
    }
    // Mailgun types `skip` as an integer, or as a string on older calls.
    let skip = op.params.iter().find(|p| {
        p.location == ParamLocation::Query
            && !p.required
            && OFFSET_PARAMS.iter().any(|name| p.wire.eq_ignore_ascii_case(name))
            && matches!(p.ty, TypeRef::Prim(Prim::I32 | Prim::I64 | Prim::String))
    })?;
    Some(Pagination { items, next: NextPage::Offset(skip.wire.clone()) })
}

/// A list inside the answer's one object field (`template.versions` beside `paging`).
fn items_one_level_down(answer: &Struct, types: &BTreeMap<TypeId, TypeDef>) -> Option<Vec<String>> {
    let mut found = answer.fields.iter().filter_map(|f| {
        let inner = super::struct_of(types, &f.ty)?;
        let items = items(inner, types)?;
        Some([vec![f.wire.clone()], items].concat())
    });
    let only = found.next()?;
    found.next().is_none().then_some(only)
}

/// The answer's list: `items`, or else its only list of objects.
fn items(answer: &Struct, types: &BTreeMap<TypeId, TypeDef>) -> Option<Vec<String>> {
    let list = |f: &&Field| matches!(&f.ty, TypeRef::Vec(_));
    if let Some(items) = answer.fields.iter().filter(list).find(|f| f.wire == "items") {
        return Some(vec![items.wire.clone()]);
    }
    let of_objects: Vec<&Field> = answer
        .fields
        .iter()
        .filter(|f| matches!(&f.ty, TypeRef::Vec(item) if super::struct_of(types, item).is_some()))
        .collect();
    match of_objects.as_slice() {
        [only] => Some(vec![only.wire.clone()]),
        _ => None,
    }
}

/// The query parameters that skip the items already read.
const OFFSET_PARAMS: &[&str] = &["skip", "offset"];
/// The objects that hold a next-page link, and the link's names, in any case.
const LINK_HOLDERS: &[&str] = &["paging", "links", "pagination"];
const LINK_NAMES: &[&str] = &["next", "next_url", "next_page_url"];

/// The path to the next-page link (`paging.next`): a string in one of the link holders.
fn link(answer: &Struct, types: &BTreeMap<TypeId, TypeDef>) -> Option<Vec<String>> {
    let one_of = |names: &[&str], wire: &str| names.iter().any(|n| wire.eq_ignore_ascii_case(n));
    answer.fields.iter().filter(|f| one_of(LINK_HOLDERS, &f.wire)).find_map(|holder| {
        let next = super::struct_of(types, &holder.ty)?
            .fields
            .iter()
            .find(|f| one_of(LINK_NAMES, &f.wire) && matches!(f.ty, TypeRef::Prim(Prim::String)))?;
        Some(vec![holder.wire.clone(), next.wire.clone()])
    })
}
