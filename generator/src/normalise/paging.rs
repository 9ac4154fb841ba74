//! Which calls answer with a paged list, and how the list continues, read from the shape of
//! the answer and the parameters (OpenAPI has no pagination keyword):
//! - an answer with a `paging` object holding a `next` link (any case: `Paging.Next` too;
//!   other APIs' `links.next` and `pagination.next_url` alike) continues at that link;
//! - a `GET` with an optional `skip` (or `offset`) query parameter continues at an offset;
//! - a call whose JSON body holds a `pagination` object continues by sending it again: with
//!   the answer's `pagination.next` as its `token` (a logs API), or with its `skip`
//!   advanced (metrics, tags).
//!
//! The list is the answer's `items`, or its one list of objects. Shapes that look alike but
//! are not pages are left alone: a `paging` object in the answer of a `POST` is no link to
//! `GET`, and a body cursor is only followed where every object on the way to it can be made
//! empty (`Default`), so the generated code can set it.

use crate::ir::*;
use std::collections::BTreeMap;

pub(super) fn detect(api: &mut Api<Unnamed>) {
    let found: Vec<(OperationId, Pagination)> =
        api.operations.values().filter_map(|op| Some((op.id.clone(), of(op, &api.types)?))).collect();
    for (id, pagination) in found {
        api.operations.get_mut(&id).expect("found above").pagination = Some(pagination);
    }
}

fn of(op: &Operation<Unnamed>, types: &BTreeMap<TypeId, TypeDef<Unnamed>>) -> Option<Pagination> {
    let answer = super::struct_of(types, &op.output.ty)?;
    let items = items(answer, types).or_else(|| items_one_level_down(answer, types))?;
    if op.method != HttpMethod::Get {
        return in_body(op, answer, types).map(|next| Pagination { items, next });
    }
    if let Some(link) = link(answer, types) {
        return Some(Pagination { items, next: NextPage::Link(link) });
    }
    // Documents type `skip` as an integer, or as a string on older calls.
    let skip = op.params.iter().find(|p| {
        p.location == ParamLocation::Query
            && !p.required
            && OFFSET_PARAMS.iter().any(|name| p.wire.eq_ignore_ascii_case(name))
            && matches!(p.ty, TypeRef::Prim(Prim::I32 | Prim::I64 | Prim::String))
    })?;
    Some(Pagination { items, next: NextPage::Offset(skip.wire.clone()) })
}

/// A cursor in the JSON body: `pagination.token` fed from the answer's `pagination.next`, or
/// `pagination.skip`.
fn in_body(
    op: &Operation<Unnamed>,
    answer: &Struct<Unnamed>,
    types: &BTreeMap<TypeId, TypeDef<Unnamed>>,
) -> Option<NextPage> {
    let body = op.body.as_ref().filter(|b| b.encoding == BodyEncoding::Json)?;
    let sent = super::struct_of(types, &body.ty)?;
    if !body.required && !sent.has_default() {
        return None;
    }
    let holder = sent.fields.iter().find(|f| f.wire.eq_ignore_ascii_case("pagination"))?;
    let cursor = super::struct_of(types, &holder.ty)?;
    if holder.is_option() && !cursor.has_default() {
        return None;
    }
    let field = |name: &str, ok: fn(&TypeRef) -> bool| {
        cursor.fields.iter().find(|f| f.wire.eq_ignore_ascii_case(name) && ok(&f.ty)).map(|f| f.wire.clone())
    };
    let text = |ty: &TypeRef| matches!(ty, TypeRef::Prim(Prim::String));
    let integer = |ty: &TypeRef| matches!(ty, TypeRef::Prim(Prim::I32 | Prim::I64));
    if let Some(token) = field("token", text) {
        let given = answer.fields.iter().find(|f| f.wire.eq_ignore_ascii_case("pagination"))?;
        let next = super::struct_of(types, &given.ty)?
            .fields
            .iter()
            .find(|f| f.wire.eq_ignore_ascii_case("next") && text(&f.ty))?;
        return Some(NextPage::BodyToken {
            answer: vec![given.wire.clone(), next.wire.clone()],
            request: vec![holder.wire.clone(), token],
        });
    }
    field("skip", integer).map(|skip| NextPage::BodyOffset(vec![holder.wire.clone(), skip]))
}

/// A list inside the answer's one object field (`template.versions` beside `paging`).
fn items_one_level_down(answer: &Struct<Unnamed>, types: &BTreeMap<TypeId, TypeDef<Unnamed>>) -> Option<Vec<String>> {
    let mut found = answer.fields.iter().filter_map(|f| {
        let inner = super::struct_of(types, &f.ty)?;
        let items = items(inner, types)?;
        Some([vec![f.wire.clone()], items].concat())
    });
    let only = found.next()?;
    found.next().is_none().then_some(only)
}

/// The answer's list: `items`, or else its only list of objects.
fn items(answer: &Struct<Unnamed>, types: &BTreeMap<TypeId, TypeDef<Unnamed>>) -> Option<Vec<String>> {
    let list = |f: &&Field<Unnamed>| matches!(&f.ty, TypeRef::Vec(_));
    if let Some(items) = answer.fields.iter().filter(list).find(|f| f.wire == "items") {
        return Some(vec![items.wire.clone()]);
    }
    let of_objects: Vec<&Field<Unnamed>> = answer
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
fn link(answer: &Struct<Unnamed>, types: &BTreeMap<TypeId, TypeDef<Unnamed>>) -> Option<Vec<String>> {
    let one_of = |names: &[&str], wire: &str| names.iter().any(|n| wire.eq_ignore_ascii_case(n));
    answer.fields.iter().filter(|f| one_of(LINK_HOLDERS, &f.wire)).find_map(|holder| {
        let next = super::struct_of(types, &holder.ty)?
            .fields
            .iter()
            .find(|f| one_of(LINK_NAMES, &f.wire) && matches!(f.ty, TypeRef::Prim(Prim::String)))?;
        Some(vec![holder.wire.clone(), next.wire.clone()])
    })
}
