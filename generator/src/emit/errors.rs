//! Error answers read as the spec documents them: `error_body.rs` holds `ErrorBody`, one
//! variant per type the spec gives an error answer, and each call's builder has a reader that
//! picks the type by status.

use super::{ident, Cx};
use crate::ir::{Api, Operation, Prim, Status, TypeId, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// What an error answer's body can be read as.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Documented {
    /// A named type of the crate.
    Named(TypeId),
    /// Text (a JSON string or a plain-text body).
    Text,
}

/// The documented error answers of an operation: status and body type, error statuses only,
/// codes before ranges before `default`.
fn error_answers(op: &Operation) -> Vec<(Status, Documented)> {
    let mut answers: Vec<(Status, Documented)> = op
        .responses
        .iter()
        .filter(|r| op.is_error_answer(r.status))
        .filter_map(|r| {
            let documented = match r.body.as_ref()?.without_option() {
                TypeRef::Named(id) => Documented::Named(id.clone()),
                TypeRef::Prim(Prim::String) => Documented::Text,
                _ => return None,
            };
            Some((r.status, documented))
        })
        .collect();
    answers.sort_by_key(|(status, _)| match status {
        Status::Code(_) => (0, *status),
        Status::Range(_) => (1, *status),
        Status::Default => (2, *status),
    });
    answers
}

fn variant(cx: &Cx<'_>, documented: &Documented) -> proc_macro2::Ident {
    match documented {
        Documented::Named(id) => ident(&cx.def(id).name),
        Documented::Text => ident(&cx.api.error_text_variant),
    }
}

/// `error_body.rs`: the `ErrorBody` enum.
pub fn error_body_file(api: &Api) -> TokenStream {
    let cx = Cx { api };
    let documented: BTreeSet<Documented> =
        api.operations.values().flat_map(error_answers).map(|(_, documented)| documented).collect();
    let variants = documented.iter().map(|d| {
        let name = variant(&cx, d);
        match d {
            Documented::Named(id) => {
                let ty = cx.rust_type(&TypeRef::Named(id.clone()));
                let doc = format!(" The body read as {}.", cx.type_link(id));
                let cfg = cx.type_cfg(cx.def(id));
                quote! { #[doc = #doc] #cfg #name(#ty), }
            }
            Documented::Text => quote! { #[doc = " The body read as text."] #name(String), },
        }
    });
    quote! {
        //! Error answers, read as the spec documents them for the call and status.

        /// The body of an error answer, as the type the spec documents for the call and its
        /// status (each call's docs list them). [`ApiError::detail`](crate::ApiError::detail)
        /// holds it when the body reads as that type; the raw body is always in
        /// [`ApiError::body`](crate::ApiError::body).
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum ErrorBody {
            #(#variants)*
        }

        impl crate::ApiError {
            /// The body, decoded as the type the spec documents for this call and status, if it
            /// documents one and the body is one.
            pub fn detail(&self) -> Option<&ErrorBody> {
                self.detail_as()
            }
        }
    }
}

/// The builder's `error_body` reader, or nothing when the call documents no error body.
pub(super) fn reader(cx: &Cx<'_>, op: &Operation) -> Option<TokenStream> {
    let answers = error_answers(op);
    if answers.is_empty() {
        return None;
    }
    // Codes that read as the same type share an arm (codes never overlap, so their order does
    // not matter); ranges and `default` follow in order, since a code may fall in a range.
    let mut by_code: Vec<(&Documented, Vec<TokenStream>)> = Vec::new();
    let mut others: Vec<(&Documented, TokenStream)> = Vec::new();
    for (status, documented) in &answers {
        match status {
            Status::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(*code);
                match by_code.iter_mut().find(|(d, _)| *d == documented) {
                    Some((_, codes)) => codes.push(quote!(#code)),
                    None => by_code.push((documented, vec![quote!(#code)])),
                }
            }
            Status::Range(class) => {
                let (low, high) = (class * 100, class * 100 + 99);
                others.push((documented, quote!(#low..=#high)));
            }
            Status::Default => others.push((documented, quote!(_))),
        }
    }
    let patterns = by_code.into_iter().map(|(d, codes)| (d, quote!(#(#codes)|*)));
    let arms = patterns.chain(others).map(|(documented, pattern)| {
        let name = variant(cx, documented);
        let read = read(documented, &name);
        quote!(#pattern => #read,)
    });
    let fallback = (!answers.iter().any(|(s, _)| *s == Status::Default)).then(|| quote!(_ => None,));
    let doc = quote!(#[doc = " Reads an error answer as the type the spec documents for its status."]);
    // One `default` answer for every status needs no match.
    if let [(Status::Default, documented)] = answers.as_slice() {
        let name = variant(cx, documented);
        let read = read(documented, &name);
        return Some(quote! {
            #doc
            #[inline]
            fn error_body(_status: u16, body: &[u8]) -> Option<crate::error::Detail> {
                crate::error::Detail::of(#read)
            }
        });
    }
    Some(quote! {
        #doc
        #[inline]
        fn error_body(status: u16, body: &[u8]) -> Option<crate::error::Detail> {
            crate::error::Detail::of(match status {
                #(#arms)*
                #fallback
            })
        }
    })
}

/// Reads the body as the variant `name` holds.
fn read(documented: &Documented, name: &proc_macro2::Ident) -> TokenStream {
    match documented {
        Documented::Named(_) => quote!(crate::http::read_error_body(body).map(crate::ErrorBody::#name)),
        Documented::Text => {
            quote!(Some(crate::ErrorBody::#name(crate::http::error_text(body))))
        }
    }
}
