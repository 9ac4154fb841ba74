//! Example calls: each operation called with every value it requires, taken from the spec's
//! examples where it gives one and made from the type where it does not. The contract test
//! sends them to a mock server, so they must be valid requests, not only code that compiles.
//!
//! Values are typed: an enum is one of its variants, a struct is built with its constructor,
//! a file is a small file from memory. Text says what it stands for where the name tells
//! (`example.com` for a domain, an address for `to`), and is `"example"` otherwise.

use super::{ident, Cx};
use crate::ir::{Api, BodyEncoding, Operation, Prim, SetterTarget, Status, TypeKind, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// Structs deeper than this are not built field by field (a required field that leads back to
/// its own type would never end).
const MAX_DEPTH: usize = 8;

/// A file of the contract test: `calls(&client)` returns every operation's example call,
/// ready to send as a raw request with the given timeout, by operation identity; `decoded`
/// the same calls sent and their answers decoded.
pub fn contract_calls(api: &Api, krate: &str) -> TokenStream {
    let cx = Cx { api };
    let krate = format_ident!("{krate}");
    let calls: Vec<(&String, TokenStream)> =
        api.operations.values().map(|op| (&op.id.0, call(&cx, op, &quote!(#krate)))).collect();
    let raw = calls.iter().map(|(id, call)| {
        quote! {
            (#id, ::std::boxed::Box::pin(#call.timeout(timeout).send_raw()) as Call)
        }
    });
    let decoded = calls.iter().map(|(id, call)| {
        quote! {
            (#id, {
                let request = #call.timeout(timeout);
                ::std::boxed::Box::pin(async move { request.send().await.map(|_| ()) }) as Decoded
            })
        }
    });
    quote! {
        /// A call on its way: the raw answer, or why there is none.
        pub type Call = ::std::pin::Pin<
            ::std::boxed::Box<
                dyn ::std::future::Future<
                        Output = ::std::result::Result<#krate::RawResponse, #krate::Error>,
                    > + ::std::marker::Send,
            >,
        >;

        /// Every operation's example call, by operation identity.
        #[allow(deprecated)]
        pub fn calls(client: &#krate::Client, timeout: ::std::time::Duration) -> ::std::vec::Vec<(&'static str, Call)> {
            ::std::vec![#(#raw),*]
        }

        /// A call on its way whose answer is decoded as its documented type.
        pub type Decoded = ::std::pin::Pin<
            ::std::boxed::Box<
                dyn ::std::future::Future<Output = ::std::result::Result<(), #krate::Error>> + ::std::marker::Send,
            >,
        >;

        /// Every operation's example call, sent and its answer decoded.
        #[allow(deprecated)]
        pub fn decoded(client: &#krate::Client, timeout: ::std::time::Duration) -> ::std::vec::Vec<(&'static str, Decoded)> {
            ::std::vec![#(#decoded),*]
        }
    }
}

/// A file of the secrets test: `builders(&client)` gives every operation's request builder,
/// with example values, as its `Debug` text.
pub fn builder_debug_texts(api: &Api, krate: &str) -> TokenStream {
    let cx = Cx { api };
    let krate = format_ident!("{krate}");
    let entries = api.operations.values().map(|op| {
        let id = &op.id.0;
        let call = call(&cx, op, &quote!(#krate));
        quote!((#id, ::std::format!("{:?}", #call)))
    });
    quote! {
        /// Every operation's request builder, by operation identity, as its `Debug` text.
        #[allow(deprecated)]
        pub fn builders(client: &#krate::Client) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
            ::std::vec![#(#entries),*]
        }
    }
}

/// A file of the decoding test: every response example of the spec, with the call whose
/// answer it is. The call is tagged with an `x-example` header holding the example's index, so
/// a local server can answer it with that example.
pub fn decode_calls(api: &Api, krate: &str) -> TokenStream {
    let cx = Cx { api };
    let krate = format_ident!("{krate}");
    let mut entries = Vec::new();
    for op in api.operations.values() {
        for response in &op.responses {
            let status = match response.status {
                Status::Code(code) => code,
                Status::Range(class) => class * 100,
                Status::Default if Some(response.status) == op.output.status => 200,
                Status::Default => 500,
            };
            // Whether an error answer reads as a type the crate has (`ApiError::detail`).
            let typed = !response.status.is_success()
                && matches!(
                    response.body.as_ref().map(TypeRef::without_option),
                    Some(TypeRef::Named(_) | TypeRef::Prim(Prim::String))
                );
            for example in &response.examples {
                let index = entries.len().to_string();
                let call = call(&cx, op, &quote!(#krate));
                let (id, name) = (&op.id.0, &example.name);
                let body = serde_json::to_string(&example.value).expect("JSON");
                entries.push(quote! {
                    Example {
                        operation: #id,
                        status: #status,
                        name: #name,
                        body: #body,
                        typed: #typed,
                        call: {
                            let request = #call.extra_header("x-example", #index);
                            ::std::boxed::Box::pin(async move {
                                request.send().await.map(|value| ::serde_json::to_value(value).unwrap_or_default())
                            })
                        },
                    }
                });
            }
        }
    }
    quote! {
        /// One response example, and the call it answers.
        pub struct Example {
            pub operation: &'static str,
            /// The status it is served with.
            pub status: u16,
            pub name: &'static str,
            pub body: &'static str,
            /// An error answer the spec documents a type for.
            pub typed: bool,
            /// The call, tagged with this example's index; what decoding made of the answer, as
            /// JSON again.
            pub call: ::std::pin::Pin<
                ::std::boxed::Box<
                    dyn ::std::future::Future<
                            Output = ::std::result::Result<::serde_json::Value, #krate::Error>,
                        > + ::std::marker::Send,
                >,
            >,
        }

        /// Every response example of the spec, in order: an example's index is its position.
        #[allow(deprecated)]
        pub fn examples(client: &#krate::Client) -> ::std::vec::Vec<Example> {
            ::std::vec![#(#entries),*]
        }
    }
}

/// `client.method(arguments…)`, with a value for every argument.
pub(super) fn call(cx: &Cx<'_>, op: &Operation, krate: &TokenStream) -> TokenStream {
    let values = Values { cx, krate };
    let name = ident(&op.name);
    let mut setters = Vec::new();
    let mut args: Vec<TokenStream> =
        op.params.iter().filter(|p| p.required).map(|p| values.loose(&p.ty, p.example.as_ref(), &p.wire)).collect();
    if let Some(body) = &op.body {
        if body.setters.is_empty() {
            if body.required {
                args.push(values.concrete(&body.ty, body.example.as_ref(), "body", 0));
            }
        } else if let Some(s) = crate::normalise::struct_of(&cx.api.types, &body.ty) {
            let fields = body.setters.iter().filter_map(|setter| match &setter.target {
                SetterTarget::Field(wire) => s.fields.iter().find(|f| &f.wire == wire).map(|f| (setter, f)),
                SetterTarget::Family(_) => None,
            });
            let (arguments, optional): (Vec<_>, Vec<_>) = fields.partition(|(setter, _)| setter.argument);
            for (_, field) in &arguments {
                let example = member(body.example.as_ref(), &field.wire).or(field.docs.example.as_ref());
                args.push(values.loose(&field.ty, example, &field.wire));
            }
            // A required form body with no required field would go out empty, which is no
            // body at all: the example sets its first field. (An empty JSON object is a body.)
            let form = matches!(body.encoding, BodyEncoding::Form | BodyEncoding::Multipart);
            if arguments.is_empty() && body.required && form {
                if let Some((setter, field)) = optional.first() {
                    let example = member(body.example.as_ref(), &field.wire).or(field.docs.example.as_ref());
                    let value = match &field.ty {
                        TypeRef::Vec(item) => {
                            let first = example.and_then(Value::as_array).and_then(|items| items.first());
                            values.loose(item, first, &field.wire)
                        }
                        ty => values.loose(ty, example, &field.wire),
                    };
                    let setter = ident(&setter.name);
                    setters.push(quote!(.#setter(#value)));
                }
            }
        }
    }
    quote!(client.#name(#(#args),*) #(#setters)*)
}

/// The example value of one member of an example object.
fn member<'v>(example: Option<&'v Value>, name: &str) -> Option<&'v Value> {
    example?.as_object()?.get(name)
}

/// Makes values; types are written from outside the crate (`krate::types::…`).
struct Values<'a> {
    cx: &'a Cx<'a>,
    krate: &'a TokenStream,
}

impl Values<'_> {
    /// A value for an argument that takes `impl Into<…>` or `impl IntoIterator<…>`: text as a
    /// string literal, a list as an array.
    fn loose(&self, ty: &TypeRef, example: Option<&Value>, hint: &str) -> TokenStream {
        match ty {
            TypeRef::Prim(Prim::String | Prim::Timestamp) => {
                let text = Literal::string(&self.text(ty, example, hint));
                quote!(#text)
            }
            TypeRef::Vec(item) => {
                let first = example.and_then(Value::as_array).and_then(|items| items.first());
                let item = self.loose(item, first, hint);
                quote!([#item])
            }
            _ => self.concrete(ty, example, hint, 0),
        }
    }

    /// A value of exactly type `ty`.
    fn concrete(&self, ty: &TypeRef, example: Option<&Value>, hint: &str, depth: usize) -> TokenStream {
        let krate = self.krate;
        match ty {
            TypeRef::Prim(Prim::String) => {
                let text = Literal::string(&self.text(ty, example, hint));
                quote!(::std::string::String::from(#text))
            }
            TypeRef::Prim(Prim::Timestamp) => {
                let text = Literal::string(&self.text(ty, example, hint));
                quote!(#krate::Timestamp::from(#text))
            }
            TypeRef::Prim(Prim::Bool) => {
                let value = example.and_then(Value::as_bool).unwrap_or(true);
                quote!(#value)
            }
            TypeRef::Prim(Prim::I32) => {
                let value = example.and_then(Value::as_i64).filter(|v| i32::try_from(*v).is_ok()).unwrap_or(1);
                integer(value)
            }
            TypeRef::Prim(Prim::I64) => integer(example.and_then(Value::as_i64).unwrap_or(1)),
            TypeRef::Prim(Prim::F64) => float(example.and_then(Value::as_f64).unwrap_or(1.0)),
            TypeRef::Prim(Prim::File) => {
                let name = Literal::string(&format!("{}.txt", if hint.is_empty() { "file" } else { hint }));
                quote!(#krate::File::from_bytes(#name, "example"))
            }
            TypeRef::Prim(Prim::Bytes) => quote!(::std::vec::Vec::from(&b"example"[..])),
            TypeRef::Prim(Prim::Json) | TypeRef::Any => {
                let json = json_tokens(example.unwrap_or(&Value::Object(Default::default())));
                quote!(::serde_json::json!(#json))
            }
            TypeRef::Unit => quote!(()),
            TypeRef::Option(inner) => {
                let inner = self.concrete(inner, example, hint, depth);
                quote!(::std::option::Option::Some(#inner))
            }
            TypeRef::Vec(item) => {
                let first = example.and_then(Value::as_array).and_then(|items| items.first());
                let item = self.concrete(item, first, hint, depth);
                quote!(::std::vec![#item])
            }
            TypeRef::Map(_) => quote!(::std::collections::BTreeMap::new()),
            TypeRef::Named(id) => {
                let def = self.cx.def(id);
                let name = ident(&def.name);
                let path = quote!(#krate::types::#name);
                match &def.kind {
                    TypeKind::Enum(variants) => {
                        let wanted = example.and_then(Value::as_str);
                        let variant = variants.iter().find(|v| Some(v.wire.as_str()) == wanted).or(variants.first());
                        match variant {
                            Some(v) => {
                                let v = ident(&v.name);
                                quote!(#path::#v)
                            }
                            None => quote!(#path::from("example")),
                        }
                    }
                    TypeKind::Alias(target) => self.concrete(target, example, hint, depth),
                    TypeKind::Newtype(inner) => {
                        let inner = self.concrete(inner, example, hint, depth + 1);
                        quote!(#path(#inner))
                    }
                    TypeKind::Union(variants) => {
                        let Some(variant) = variants.first() else { return quote!(::std::default::Default::default()) };
                        let v = ident(&variant.name);
                        let inner = self.concrete(&variant.ty, example, hint, depth + 1);
                        let inner = if variant.boxed { quote!(::std::boxed::Box::new(#inner)) } else { inner };
                        quote!(#path::#v(#inner))
                    }
                    TypeKind::Struct(s) => {
                        let required: Vec<_> = s.fields.iter().filter(|f| !f.is_option()).collect();
                        if required.is_empty() || depth >= MAX_DEPTH {
                            return quote!(<#path as ::std::default::Default>::default());
                        }
                        let args = required.iter().map(|f| {
                            let example = member(example, &f.wire).or(f.docs.example.as_ref());
                            let value = self.concrete(&f.ty, example, &f.wire, depth + 1);
                            if f.boxed {
                                quote!(::std::boxed::Box::new(#value))
                            } else {
                                value
                            }
                        });
                        quote!(#path::new(#(#args),*))
                    }
                }
            }
        }
    }

    /// Text for a string: the example, or what the name suggests.
    fn text(&self, ty: &TypeRef, example: Option<&Value>, hint: &str) -> String {
        match example {
            Some(Value::String(text)) => return text.clone(),
            Some(Value::Number(n)) => return n.to_string(),
            Some(Value::Bool(b)) => return b.to_string(),
            _ => {}
        }
        if *ty == TypeRef::Prim(Prim::Timestamp) {
            return "Thu, 13 Oct 2011 18:02:00 +0000".to_owned();
        }
        let words = crate::naming::words::split(hint);
        let has = |word: &str| words.iter().any(|w| w == word);
        let text = if has("domain") {
            "example.com"
        } else if has("url") || has("uri") {
            "https://example.com/hook"
        } else if has("ip") || has("addr") {
            "192.0.2.1"
        } else if has("address") || has("email") || has("to") || has("from") || has("login") || has("mailbox") {
            "alice@example.com"
        } else {
            "example"
        };
        text.to_owned()
    }
}

/// A JSON value as the tokens of a `serde_json::json!` invocation.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => integer(i),
            (_, Some(u), _) => {
                let lit = Literal::u64_unsuffixed(u);
                quote!(#lit)
            }
            (_, _, Some(f)) => float(f),
            _ => quote!(null),
        },
        Value::String(s) => {
            let lit = Literal::string(s);
            quote!(#lit)
        }
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(members) => {
            let members = members.iter().map(|(k, v)| {
                let key = Literal::string(k);
                let value = json_tokens(v);
                quote!(#key: #value)
            });
            quote!({ #(#members),* })
        }
    }
}

/// An integer literal; a negative one as a negation (a literal has no sign).
fn integer(value: i64) -> TokenStream {
    let lit = Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

/// A float literal; a negative one as a negation.
fn float(value: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(value.abs());
    if value < 0.0 {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}
