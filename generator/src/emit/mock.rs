//! The test double's side of each call (`mock/requests/<tag>.rs`, behind the `mock` feature):
//! the typed request it decodes, and the `Call` impl on the call's builder that says how to
//! read a request and write an answer. The double itself is the runtime's `mock.rs`.

use super::{docs, ident, Cx};
use crate::ir::{
    Api, BodyEncoding, BodyFormat, NextPage, Operation, Param, ParamLocation, ParamStyle, Prim, Status, Tag, TagKey,
    TypeDef, TypeKind, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// `mock/requests/<tag>.rs`: one request type and one `Call` impl per call.
pub fn tag_file(cx: &Cx<'_>, key: &TagKey, tag: &Tag, ops: &[&Operation]) -> TokenStream {
    let title = format!(
        "What the calls of {} sent, as the test double reads it.",
        tag.display_name.as_deref().unwrap_or(&key.0)
    );
    let doc = docs::inner(&[docs::ours(&title)]);
    let items = ops.iter().map(|op| call(cx, tag, op));
    quote! {
        #doc
        #(#items)*
    }
}

/// `mock.rs`: the test double's module: the runtime's server re-exported, the typed requests,
/// and `MockServer::start`, which gives the server every call compiled and the API's servers.
pub fn root() -> TokenStream {
    quote! {
        //! A test double of the API, for testing code that uses this crate without sending anything.
        //!
        //! [`MockServer`] is an HTTP server in the test's own process (on [`wiremock`]); a
        //! [`Client`](crate::Client) from [`MockServer::client`] talks to it over real HTTP, so
        //! every encoder and decoder of the crate runs as it does against the API. It is typed
        //! both ways:
        //! - scripting: [`MockServer::on`] a call (its request builder type, from
        //!   [`apis`](crate::apis)), answer with a value of the call's success type, a documented
        //!   error, a rate limit, a raw body or pages of a list, after a delay if asked, and only
        //!   for the requests a predicate over the typed request accepts;
        //! - asserting: [`MockServer::received`] gives the requests of a call decoded back into
        //!   typed values (the call's type in [`requests`]: its path and query parameters and its
        //!   body), in order.
        //!
        //! A call nobody scripted answers with the API document's example of its success
        //! answer, or, when the document has none, with `501 Not Implemented` naming the call and
        //! how to script it. A request that is not what the API document describes (a body field
        //! it does not list, a value of another type) is answered with `400 Bad Request` saying
        //! where, and [`MockServer::received`] panics on it: a test double that accepted it would
        //! hide the bug.
        //!
        //! The crate's docs show a test with it.

        pub use crate::mock_server::*;

        #[rustfmt::skip]
        pub mod requests;

        impl MockServer {
            /// Starts a double on a free local port.
            pub async fn start() -> MockServer {
                MockServer::serving(requests::OPERATIONS, &crate::region::SERVERS).await
            }
        }
    }
}

/// `mock/requests.rs`: the modules, and the table of every call compiled.
pub fn index(api: &Api) -> TokenStream {
    let mut tags: Vec<_> = api.tags.iter().collect();
    tags.sort_by(|a, b| a.1.module.cmp(&b.1.module));
    let modules = tags.iter().map(|(_, tag)| {
        let module = ident(&tag.module);
        let feature = &tag.feature;
        quote! {
            #[cfg(feature = #feature)]
            mod #module;
            #[cfg(feature = #feature)]
            pub use #module::*;
        }
    });
    let mut ops: Vec<&Operation> = api.operations.values().collect();
    ops.sort_by(|a, b| a.name.cmp(&b.name));
    let entries = ops.iter().map(|op| {
        let tag = &api.tags[&op.tag];
        let feature = &tag.feature;
        let module = ident(&tag.module);
        let builder = ident(&op.builder);
        quote! {
            #[cfg(feature = #feature)]
            <crate::apis::#module::#builder as crate::mock::Call>::OPERATION,
        }
    });
    quote! {
        //! What each call sent, as the test double reads it: one type per call, named as its
        //! request builder, with the call's parameters and body.
        #(#modules)*

        /// Every call compiled, for the double to tell which one a request is.
        pub(crate) static OPERATIONS: &[&crate::mock::Operation] = &[
            #(#entries)*
        ];
    }
}

fn call(cx: &Cx<'_>, tag: &Tag, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let module = ident(&tag.module);
    let doc = format!(" What a {} request sent.", cx.method_link(&op.id));
    let fields = op.params.iter().map(|p| {
        let n = ident(&p.name);
        let ty = cx.rust_type(&p.ty);
        let ty = if p.required { ty } else { quote!(Option<#ty>) };
        let doc = format!(" The {} parameter {}.", p.location.as_str(), docs::code(&p.wire));
        quote! { #[doc = #doc] pub #n: #ty, }
    });
    let body_field = op.body.as_ref().map(|body| {
        let ty = cx.rust_type(&body.ty);
        let ty = if body.required { ty } else { quote!(Option<#ty>) };
        quote! {
            /// The body.
            pub body: #ty,
        }
    });
    // A map sent member by member takes every query value the others leave: it is read last.
    let takes_the_rest = |p: &&Param| {
        p.style == ParamStyle::ObjectExploded && crate::ir::struct_of(&cx.api.types, p.ty.without_option()).is_none()
    };
    let in_order = op.params.iter().filter(|p| !takes_the_rest(p)).chain(op.params.iter().filter(takes_the_rest));
    let reads = in_order.map(|p| {
        let n = ident(&p.name);
        let read = param_read(cx.api, p);
        quote!(#n: #read,)
    });
    let body_read = op.body.as_ref().map(|body| {
        let read = match (body.encoding, body.required) {
            (BodyEncoding::Json, true) => passed(quote!(request.json())),
            (BodyEncoding::Json, false) => passed(quote!(request.optional_json())),
            (BodyEncoding::Form | BodyEncoding::Multipart, true) => passed(quote!(request.form())),
            (BodyEncoding::Form | BodyEncoding::Multipart, false) => passed(quote!(request.optional_form())),
            (BodyEncoding::Raw, true) => {
                let read = passed(quote!(request.bytes()));
                quote!(#read.into())
            }
            (BodyEncoding::Raw, false) => {
                let read = passed(quote!(request.bytes()));
                quote!(Some(#read.into()))
            }
        };
        quote!(body: #read,)
    });
    let answer = match op.output.format {
        BodyFormat::Empty => quote!(()),
        _ => cx.rust_type(&op.output.ty),
    };
    let encode = match op.output.format {
        BodyFormat::Json => quote!(crate::mock::Body::json(answer)),
        BodyFormat::Text => quote!(crate::mock::Body::text(answer)),
        BodyFormat::Bytes => quote!(crate::mock::Body::bytes(answer)),
        BodyFormat::Empty => quote!(crate::mock::Body::empty(answer)),
    };
    let operation = operation(op);
    let request = match op.params.is_empty() && op.body.is_none() {
        true => quote::format_ident!("_request"),
        false => quote::format_ident!("request"),
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #builder {
            #(#fields)*
            #body_field
        }

        impl crate::mock::Call for crate::apis::#module::#builder {
            type Request = #builder;
            type Answer = #answer;
            const OPERATION: &'static crate::mock::Operation = &#operation;

            #[allow(clippy::question_mark)]
            fn decode(#request: &mut crate::mock::Decoder) -> Result<#builder, crate::mock::Mismatch> {
                Ok(#builder { #(#reads)* #body_read })
            }

            fn encode(answer: &Self::Answer) -> crate::mock::Body {
                #encode
            }
        }
    }
}

/// The value of a read that can fail, or the mismatch returned: a `?` written out. Each `?` is
/// a `Try` and a `From` obligation the compiler proves in every body that has one (hundreds, in
/// the decoders of the test double); a `match` on a `Result` is not.
pub(super) fn passed(read: TokenStream) -> TokenStream {
    quote!(match #read {
        Ok(value) => value,
        Err(mismatch) => return Err(mismatch),
    })
}

/// How one parameter is read back: from where it goes, by its shape.
fn param_read(api: &Api, p: &Param) -> TokenStream {
    let wire = match p.location {
        // Header names come lower-cased.
        ParamLocation::Header => p.wire.to_ascii_lowercase(),
        _ => p.wire.clone(),
    };
    let values = match p.location {
        ParamLocation::Path => quote!(request.path()),
        ParamLocation::Query => quote!(request.query()),
        ParamLocation::Header => quote!(request.headers()),
        ParamLocation::Cookie => quote!(request.cookies()),
    };
    let object = match p.style {
        // A map's members have no names to look for: it takes what the others leave (it is
        // read after them).
        ParamStyle::ObjectExploded => {
            let members = crate::ir::struct_of(&api.types, p.ty.without_option())
                .into_iter()
                .flat_map(|s| &s.fields)
                .map(|f| &f.wire);
            Some(passed(quote!(#values.object_members(#wire, &[#(#members),*]))))
        }
        ParamStyle::ObjectComma => Some(passed(quote!(#values.object_joined(#wire)))),
        ParamStyle::DeepObject => Some(passed(quote!(#values.object_deep(#wire)))),
        _ => None,
    };
    if let Some(read) = object {
        let given = passed(quote!(#values.given(#wire, read)));
        return match p.required {
            true => quote!({
                let read = #read;
                #given
            }),
            false => read,
        };
    }
    // A `label` or `matrix` path value comes with what goes before it.
    let unprefixed = p.style.path_prefix(&p.wire).map(|prefix| quote!(#values.strip_prefix(#wire, #prefix);));
    let (list, item) = match &p.ty {
        TypeRef::Vec(item) => (true, &**item),
        other => (false, other),
    };
    let read = if p.style == ParamStyle::Json { quote!(crate::mock::json) } else { value_read(item) };
    let separator = match (p.location, p.style) {
        (ParamLocation::Path, _) => Some(','),
        (_, ParamStyle::Comma) => Some(','),
        (_, ParamStyle::Space) => Some(' '),
        (_, ParamStyle::Pipe) => Some('|'),
        _ => None,
    };
    let read = match (list && p.style != ParamStyle::Json, separator, p.required) {
        (true, Some(separator), true) => passed(quote!(#values.joined_one(#wire, #separator, #read))),
        (true, Some(separator), false) => passed(quote!(#values.joined(#wire, #separator, #read))),
        (true, None, true) => passed(quote!(#values.list(#wire, #read))),
        (true, None, false) => passed(quote!(#values.optional_list(#wire, #read))),
        (false, _, true) => passed(quote!(#values.one(#wire, #read))),
        (false, _, false) => passed(quote!(#values.optional(#wire, #read))),
    };
    match unprefixed {
        Some(strip) => quote!({
            #strip
            #read
        }),
        None => read,
    }
}

/// How one value sent as text is read: a file as a file, untyped JSON as JSON text first,
/// anything else as a string first.
pub(super) fn value_read(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Prim(Prim::File) => quote!(crate::mock::file),
        TypeRef::Prim(Prim::Json) | TypeRef::Any => quote!(crate::mock::json),
        _ => quote!(crate::mock::text),
    }
}

/// The `Operation` the double knows a call by.
fn operation(op: &Operation) -> TokenStream {
    let name = op.name.as_str();
    let builder = op.builder.as_str();
    let id = &op.id.0;
    let method = op.method.as_str();
    let path = &op.path.raw;
    let status = match op.output.status {
        Some(Status::Code(code)) => code,
        Some(Status::Range(class)) => class * 100,
        _ => 200,
    };
    // The statuses each documented error answer stands for, first to last.
    let errors = op.responses.iter().filter(|r| op.is_error_answer(r.status)).map(|r| {
        let (first, last) = match r.status {
            Status::Code(code) => (code, code),
            Status::Range(class) => (class * 100, class * 100 + 99),
            Status::Default => (100, 599),
        };
        quote!((#first, #last))
    });
    let example = success_example(op);
    let example = match example {
        Some((content_type, body)) => quote!(Some(crate::mock::Example {
            content_type: #content_type,
            body: #body,
        })),
        None => quote!(None),
    };
    let paging = match &op.pagination {
        None => quote!(None),
        Some(pagination) => {
            let items = &pagination.items;
            let kind = match &pagination.next {
                NextPage::Link(link) => quote!(Link { items: &[#(#items),*], link: &[#(#link),*] }),
                NextPage::Offset(_) => quote!(Offset { items: &[#(#items),*] }),
                NextPage::BodyToken { answer, .. } => quote!(Token { items: &[#(#items),*], token: &[#(#answer),*] }),
                NextPage::BodyOffset(_) => quote!(BodyOffset { items: &[#(#items),*] }),
            };
            quote!(Some(crate::mock::Paging::#kind))
        }
    };
    quote! {
        crate::mock::Operation {
            name: #name,
            builder: #builder,
            id: #id,
            method: #method,
            path: #path,
            status: #status,
            errors: &[#(#errors),*],
            example: #example,
            paging: #paging,
            check: crate::mock::check::<Self>,
        }
    }
}

/// The document's example of the success answer, as its content type and body text.
fn success_example(op: &Operation) -> Option<(&'static str, String)> {
    match op.output.format {
        BodyFormat::Empty => return Some(("", String::new())),
        BodyFormat::Bytes => return None,
        BodyFormat::Json | BodyFormat::Text => {}
    }
    let response = op.responses.iter().find(|r| Some(r.status) == op.output.status)?;
    let example = &response.examples.first()?.value;
    match (op.output.format, example) {
        (BodyFormat::Text, serde_json::Value::String(text)) => Some(("text/plain; charset=utf-8", text.clone())),
        (BodyFormat::Text, other) => Some(("text/plain; charset=utf-8", other.to_string())),
        _ => Some(("application/json", example.to_string())),
    }
}

/// Whether a type needs `Deserialize` for the double alone: it is sent but never read, so only
/// the double reads it back.
pub(super) fn needs_deserialize(def: &TypeDef) -> bool {
    def.reach.request && !def.reach.is_read() && !matches!(def.kind, TypeKind::Enum(_) | TypeKind::Alias(_))
}
