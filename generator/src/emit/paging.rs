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
    let list = fields(cx, &op.output.ty, &paging.items);
    if list.len() != paging.items.len() {
        return None;
    }
    let TypeRef::Vec(item) = &list.last()?.ty else { return None };
    let item = cx.rust_type(item);
    let count = match access(&list, Borrow::Shared) {
        Access::Place(place) => quote!(#place.len()),
        Access::Chain(chain) => quote!(#chain.map_or(0, ::std::vec::Vec::len)),
    };
    let take = match access(&list, Borrow::Owned) {
        Access::Place(place) => place,
        Access::Chain(chain) => quote!(#chain.unwrap_or_default()),
    };
    let items_path = code_path(&paging.items);
    let (stream, how) = match &paging.next {
        NextPage::Link(link) => link_pages(cx, op, link, &count)?,
        NextPage::Offset(wire) => offset_pages(op, wire, &count)?,
    };
    let pages_doc = format!(
        " Every page of the list, from this request's on, as a stream: {how}. The stream ends at \
         the last page; each page is one call with this request's settings."
    );
    let items_doc = format!(" Every item of the list (each page's {items_path}), across pages, as a stream.");
    Some(quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> crate::Paginated<#page> {
            #stream
        }

        #[doc = #items_doc]
        pub fn items(self) -> crate::Paginated<#item> {
            crate::paging::items(self.pages(), |page| #take)
        }
    })
}

fn link_pages(cx: &Cx<'_>, op: &Operation, link: &[String], count: &TokenStream) -> Option<(TokenStream, String)> {
    let link_fields = fields(cx, &op.output.ty, link);
    if link_fields.len() != link.len() {
        return None;
    }
    let read = match access(&link_fields, Borrow::Shared) {
        Access::Place(place) => quote!(::std::option::Option::Some(#place.as_str())),
        Access::Chain(chain) => quote!(#chain.map(::std::string::String::as_str)),
    };
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
        TypeRef::Prim(Prim::I64) => (quote!(self.#name.unwrap_or(0)), quote!(offset)),
        TypeRef::Prim(Prim::I32) => {
            (quote!(self.#name.map_or(0, i64::from)), quote!(i32::try_from(offset).unwrap_or(i32::MAX)))
        }
        TypeRef::Prim(Prim::String) => (
            quote!(self.#name.as_deref().and_then(|skip| skip.trim().parse().ok()).unwrap_or(0)),
            quote!(offset.to_string()),
        ),
        _ => return None,
    };
    let stream = quote! {
        let start: i64 = #start;
        crate::paging::by_offset(
            self,
            start,
            |mut request: Self, offset| {
                if let ::std::option::Option::Some(offset) = offset {
                    request.#name = ::std::option::Option::Some(#set);
                }
                request.send()
            },
            |page| #count,
        )
    };
    let how = format!("`{wire}` is advanced by the number of items each page holds");
    Some((stream, how))
}

/// The fields along a path of wire names, from a type down.
fn fields<'a>(cx: &Cx<'a>, from: &TypeRef, path: &[String]) -> Vec<&'a Field> {
    let mut at = from.clone();
    let mut found = Vec::new();
    for wire in path {
        let Some(s) = crate::normalise::struct_of(&cx.api.types, &at) else { break };
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

fn access(path: &[&Field], borrow: Borrow) -> Access {
    let mut place = quote!(page);
    let mut steps = path.iter();
    let mut chain = None;
    for field in steps.by_ref() {
        let name = ident(&field.name);
        if field.is_option() {
            chain = Some(match borrow {
                Borrow::Shared => quote!(#place.#name.as_ref()),
                Borrow::Owned => quote!(#place.#name),
            });
            break;
        }
        place = quote!(#place.#name);
    }
    let Some(mut chain) = chain else { return Access::Place(place) };
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
