//! `pages()` and `items()` on the builders of paged list calls: the runtime's streams
//! (`paging.rs`), given plain functions that read a page's items and its next-page link.

use super::{ident, Cx};
use crate::ir::{Field, NextPage, Operation, Prim, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The two stream methods of a paged call's builder (nothing for other calls).
pub(super) fn methods(cx: &Cx<'_>, op: &Operation) -> Option<TokenStream> {
    let paging = op.pagination.as_ref()?;
    let page = cx.rust_type(&op.output.ty);
    let item = cx.rust_type(&item_type(cx, op)?);
    let list = fields(cx, &op.output.ty, &paging.items);
    let count = match access(quote!(page), &list, Borrow::Shared) {
        Access::Place(place) => quote!(#place.len()),
        Access::Chain(chain) => quote!(#chain.map_or(0, Vec::len)),
    };
    let take = match access(quote!(page), &list, Borrow::Owned) {
        Access::Place(place) => place,
        Access::Chain(chain) => quote!(#chain.unwrap_or_default()),
    };
    let items_path = code_path(&paging.items);
    let (stream, how) = match &paging.next {
        NextPage::Link(link) => link_pages(cx, op, link, &count)?,
        NextPage::Offset(wire) => offset_pages(op, wire, &count)?,
        NextPage::BodyToken { answer, request } => body_token_pages(cx, op, answer, request, &count)?,
        NextPage::BodyOffset(path) => body_offset_pages(cx, op, path, &count)?,
    };
    let pages_doc = format!(
        " Every page of the list, from this request's on, as a stream: {how}. The stream ends at \
         the last page; each page is one call with this request's settings."
    );
    let items_doc = format!(" Every item of the list (each page's {items_path}), across pages, as a stream.");
    Some(quote! {
        #[doc = #pages_doc]
        #[inline]
        pub fn pages(self) -> crate::Paginated<#page> {
            #stream
        }

        #[doc = #items_doc]
        #[inline]
        pub fn items(self) -> crate::Paginated<#item> {
            crate::paging::items(self.pages(), |page| #take)
        }
    })
}

/// The type of a paged list's items, when the answer has the list where the IR says.
pub(super) fn item_type(cx: &Cx<'_>, op: &Operation) -> Option<TypeRef> {
    let paging = op.pagination.as_ref()?;
    let list = fields(cx, &op.output.ty, &paging.items);
    match &list.last()?.ty {
        TypeRef::Vec(item) if list.len() == paging.items.len() => Some((**item).clone()),
        _ => None,
    }
}

fn link_pages(cx: &Cx<'_>, op: &Operation, link: &[String], count: &TokenStream) -> Option<(TokenStream, String)> {
    let link_fields = fields(cx, &op.output.ty, link);
    if link_fields.len() != link.len() {
        return None;
    }
    let read = read_text(&link_fields);
    let stream = quote! {
        let request = self.request();
        crate::paging::by_next_link(self.client, request, |page| #read, |page| #count)
    };
    Some((stream, format!("each page links the next ({})", code_path(link))))
}

fn offset_pages(op: &Operation, wire: &str, count: &TokenStream) -> Option<(TokenStream, String)> {
    let param = op.params.iter().find(|p| p.wire == wire && !p.required)?;
    let name = ident(&param.name);
    let (start, set) = match param.ty {
        TypeRef::Prim(Prim::I64) => (quote!(self.op.#name.unwrap_or(0)), quote!(offset)),
        TypeRef::Prim(Prim::I32) => {
            (quote!(self.op.#name.map_or(0, i64::from)), quote!(i32::try_from(offset).unwrap_or(i32::MAX)))
        }
        TypeRef::Prim(Prim::String) => (
            quote!(self.op.#name.as_deref().and_then(|skip| skip.trim().parse().ok()).unwrap_or(0)),
            quote!(offset.to_string()),
        ),
        _ => return None,
    };
    let resend = resend(quote!(offset), quote!(request.op.#name = Some(#set);));
    let stream = quote! {
        let start: i64 = #start;
        crate::paging::by_offset(self, start, #resend, |page| #count)
    };
    let how = format!("`{wire}` is advanced by the number of items each page holds");
    Some((stream, how))
}

fn body_token_pages(
    cx: &Cx<'_>,
    op: &Operation,
    answer: &[String],
    request: &[String],
    count: &TokenStream,
) -> Option<(TokenStream, String)> {
    let given = fields(cx, &op.output.ty, answer);
    if given.len() != answer.len() {
        return None;
    }
    let read = read_text(&given);
    let resend = resend(quote!(token), body_assignment(cx, op, request, quote!(token))?);
    let stream = quote! {
        crate::paging::by_token(
            self,
            #resend,
            |page| #read,
            |page| #count,
        )
    };
    let how = format!("each answer's {} is sent back as the body's {}", code_path(answer), code_path(request));
    Some((stream, how))
}

fn body_offset_pages(
    cx: &Cx<'_>,
    op: &Operation,
    path: &[String],
    count: &TokenStream,
) -> Option<(TokenStream, String)> {
    let body = op.body.as_ref()?;
    let sent = fields(cx, &body.ty, path);
    let skip = sent.last().filter(|_| sent.len() == path.len())?;
    let (value, from) = match skip.ty {
        TypeRef::Prim(Prim::I64) => (quote!(offset), quote!(::std::convert::identity)),
        TypeRef::Prim(Prim::I32) => (quote!(i32::try_from(offset).unwrap_or(i32::MAX)), quote!(i64::from)),
        _ => return None,
    };
    let root =
        if body.required { Access::Place(quote!(self.op.body)) } else { Access::Chain(quote!(self.op.body.as_ref())) };
    let start = match access_from(root, &sent, Borrow::Shared) {
        Access::Place(place) => quote!(#from(#place)),
        Access::Chain(chain) => quote!(#chain.copied().map_or(0, #from)),
    };
    let resend = resend(quote!(offset), body_assignment(cx, op, path, value)?);
    let stream = quote! {
        let start: i64 = #start;
        crate::paging::by_offset(
            self,
            start,
            #resend,
            |page| #count,
        )
    };
    let how = format!("the body's {} is advanced by the number of items each page holds", code_path(path));
    Some((stream, how))
}

/// A page's text field (a link or token) as an `Option<&str>`.
fn read_text(path: &[&Field]) -> TokenStream {
    match access(quote!(page), path, Borrow::Shared) {
        Access::Place(place) => quote!(Some(#place.as_str())),
        Access::Chain(chain) => quote!(#chain.map(String::as_str)),
    }
}

/// The function that sends the request again with a cursor (`None`: as it was made).
fn resend(cursor: TokenStream, set: TokenStream) -> TokenStream {
    quote! {
        |mut request: Self, #cursor| {
            if let Some(#cursor) = #cursor {
                #set
            }
            request.send()
        }
    }
}

/// `request.body…field = value;` for a field of the builder's body, making each object on the
/// way (the normaliser only picks paths whose objects have `Default`).
fn body_assignment(cx: &Cx<'_>, op: &Operation, path: &[String], value: TokenStream) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let sent = fields(cx, &body.ty, path);
    let (last, on_the_way) = sent.split_last().filter(|_| sent.len() == path.len())?;
    let make = quote!(get_or_insert_with(Default::default));
    let mut place = if body.required { quote!(request.op.body) } else { quote!(request.op.body.#make) };
    for field in on_the_way {
        let name = ident(&field.name);
        place = if field.is_option() { quote!(#place.#name.#make) } else { quote!(#place.#name) };
    }
    let name = ident(&last.name);
    let value = if last.is_option() { quote!(Some(#value)) } else { value };
    Some(quote!(#place.#name = #value;))
}

/// The fields along a path of wire names, from a type down.
fn fields<'a>(cx: &Cx<'a>, from: &TypeRef, path: &[String]) -> Vec<&'a Field> {
    let mut at = from.clone();
    let mut found = Vec::new();
    for wire in path {
        let Some(s) = crate::ir::struct_of(&cx.api.types, &at) else { break };
        let Some(field) = s.fields.iter().find(|f| &f.wire == wire) else { break };
        at = field.ty.clone();
        found.push(field);
    }
    found
}

#[derive(Clone, Copy, PartialEq)]
enum Borrow {
    Shared,
    Owned,
}

/// How a page's field is reached: a place (`page.paging.next`) when no field on the way is an
/// `Option`, else an `Option` of it (of a reference, when shared).
enum Access {
    Place(TokenStream),
    Chain(TokenStream),
}

fn access(root: TokenStream, path: &[&Field], borrow: Borrow) -> Access {
    access_from(Access::Place(root), path, borrow)
}

fn access_from(root: Access, path: &[&Field], borrow: Borrow) -> Access {
    let mut steps = path.iter();
    let mut chain = match root {
        Access::Chain(chain) => chain,
        Access::Place(mut place) => loop {
            let Some(field) = steps.next() else { return Access::Place(place) };
            let name = ident(&field.name);
            if field.is_option() {
                break match borrow {
                    Borrow::Shared => quote!(#place.#name.as_ref()),
                    Borrow::Owned => quote!(#place.#name),
                };
            }
            place = quote!(#place.#name);
        },
    };
    for field in steps {
        let name = ident(&field.name);
        chain = match (field.is_option(), borrow) {
            (true, Borrow::Shared) => quote!(#chain.and_then(|v| v.#name.as_ref())),
            (true, Borrow::Owned) => quote!(#chain.and_then(|v| v.#name)),
            (false, Borrow::Shared) => quote!(#chain.map(|v| &v.#name)),
            (false, Borrow::Owned) => quote!(#chain.map(|v| v.#name)),
        };
    }
    Access::Chain(chain)
}

fn code_path(path: &[String]) -> String {
    format!("`{}`", path.join("."))
}
