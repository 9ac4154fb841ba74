//! What the workspace's own tests compile against the generated crate (the `test-harness`
//! feature, which `sdk-tests`' build script turns on): every operation's example call, sent raw
//! (the contract test) or read with everything its answer held (the answer tests), every
//! response example, and every request builder's `Debug` text (the secrets test). Not part of
//! the generator's API: a crate's users never need it.

use super::examples::{Call, Values};
use super::Cx;
use crate::ir::{Api, Prim, Status, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A file of the contract test: `calls(&client)` returns every operation's example call,
/// ready to send as a raw request with the given timeout, by operation identity.
pub fn contract_calls(api: &Api) -> TokenStream {
    let (krate, calls) = example_calls(api);
    let raw = calls.into_iter().map(|(id, call)| {
        quote! {
            (#id, Box::pin(#call.timeout(timeout).send_raw()) as Call)
        }
    });
    quote! {
        /// A call on its way: the raw answer, or why there is none.
        pub type Call = ::std::pin::Pin<
            Box<
                dyn ::std::future::Future<
                        Output = Result<#krate::RawResponse, #krate::Error>,
                    > + Send,
            >,
        >;

        /// Every operation's example call, by operation identity.
        #[allow(deprecated)]
        pub fn calls(client: &#krate::Client, timeout: ::std::time::Duration) -> Vec<(&'static str, Call)> {
            ::std::vec![#(#raw),*]
        }
    }
}

/// A file of the answer tests: `answer(&client, operation, tag, timeout)` makes an operation's
/// example call (tagged with an `x-example` header, so a local server knows which answer to
/// give) and reads its answer with `send_with_response`, then writes the value read back out
/// as JSON, so that it can be compared with the body that came; `EXAMPLES` is every response
/// example of the spec.
pub fn answer_calls(api: &Api) -> TokenStream {
    let (krate, calls) = example_calls(api);
    let arms = calls.into_iter().map(|(id, call)| {
        quote! {
            #id => {
                let request = #call.timeout(timeout).extra_header("x-example", tag);
                Box::pin(async move { request.send_with_response().await.map(Answered::from) })
            }
        }
    });
    let operations = api.operations.values().map(|op| &op.id.0);
    let mut examples = Vec::new();
    for op in api.operations.values() {
        for response in &op.responses {
            let status = match response.status {
                Status::Code(code) => code,
                Status::Range(class) => class * 100,
                Status::Default if Some(response.status) == op.output.status => 200,
                Status::Default => 500,
            };
            // Whether an error answer reads as a type the crate has (`ApiError::detail`).
            let typed = op.is_error_answer(response.status)
                && matches!(
                    response.body.as_ref().map(TypeRef::without_option),
                    Some(TypeRef::Named(_) | TypeRef::Prim(Prim::String))
                );
            for example in &response.examples {
                let (id, name) = (&op.id.0, &example.name);
                let body = serde_json::to_string(&example.value).expect("JSON");
                examples.push(quote! {
                    Example { operation: #id, status: #status, name: #name, body: #body, typed: #typed }
                });
            }
        }
    }
    quote! {
        /// A success answer: its body as it came, the value read from it written out as JSON
        /// again, and where it differs from the spec.
        pub struct Answered {
            pub body: Vec<u8>,
            pub value: ::serde_json::Value,
            pub drift: Vec<#krate::Drift>,
        }

        impl<T: ::serde::Serialize> From<#krate::Response<T>> for Answered {
            fn from(response: #krate::Response<T>) -> Self {
                let value = response.to_json().expect("a value read from JSON writes as JSON");
                Answered { body: response.body, value, drift: response.drift }
            }
        }

        /// A call on its way: what it answered, or why there is no answer.
        pub type Answering = ::std::pin::Pin<
            Box<
                dyn ::std::future::Future<Output = Result<Answered, #krate::Error>> + Send,
            >,
        >;

        /// The example call of an operation (by its identity), tagged with `tag`.
        #[allow(deprecated)]
        pub fn answer(
            client: &#krate::Client,
            operation: &str,
            tag: &str,
            timeout: ::std::time::Duration,
        ) -> Option<Answering> {
            Some(match operation {
                #(#arms)*
                _ => return None,
            })
        }

        /// Every operation, by identity.
        pub const OPERATIONS: &[&str] = &[#(#operations),*];

        /// One response example of the spec.
        pub struct Example {
            pub operation: &'static str,
            /// The status it is served with.
            pub status: u16,
            pub name: &'static str,
            pub body: &'static str,
            /// An error answer the spec documents a type for.
            pub typed: bool,
        }

        /// Every response example of the spec.
        pub const EXAMPLES: &[Example] = &[#(#examples),*];
    }
}

/// A file of the secrets test: `builders(&client)` gives every operation's request builder,
/// with example values, as its `Debug` text.
pub fn builder_debug_texts(api: &Api) -> TokenStream {
    let (krate, calls) = example_calls(api);
    let entries = calls.into_iter().map(|(id, call)| quote!((#id, ::std::format!("{:?}", #call))));
    quote! {
        /// Every operation's request builder, by operation identity, as its `Debug` text.
        #[allow(deprecated)]
        pub fn builders(client: &#krate::Client) -> Vec<(&'static str, String)> {
            ::std::vec![#(#entries),*]
        }
    }
}

/// The crate's name, and every operation's example call by operation identity:
/// `client.method(arguments…)`, with a value for every argument, in paths from the crate's root.
fn example_calls(api: &Api) -> (Ident, Vec<(&str, TokenStream)>) {
    let cx = Cx { api };
    let krate = cx.crate_ident();
    let root = quote!(#krate);
    let values = Values::qualified(&cx, &root);
    let calls = api.operations.values().map(|op| {
        let Call { method, args, setters, .. } = Call::of(&values, op);
        (op.id.0.as_str(), quote!(client.#method(#(#args),*) #(#setters)*))
    });
    (krate, calls.collect())
}
