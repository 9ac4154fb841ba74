//! One file per tag: each operation becomes a `Client` method and a request builder.

use super::{arguments, docs, ident, Cx};
use crate::ir::{
    BodyEncoding, BodyFormat, Operation, Param, ParamLocation, ParamStyle, PathPart, Replacement, Tag, TagKey,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Clippy's `too_many_arguments` threshold: a call the spec gives more required values gets
/// an `allow` for it.
pub(super) const MAX_ARGUMENTS: usize = 7;

/// The contents of `apis/<tag>.rs`.
pub fn tag_file(cx: &Cx<'_>, key: &TagKey, tag: &Tag, ops: &[&Operation]) -> TokenStream {
    // No count of calls here (`apis/mod.rs` lists it): a call added to the tag then adds lines
    // to this file without changing any.
    let title = format!("{}.", tag.display_name.as_deref().unwrap_or(&key.0));
    let module_doc = docs::inner(&[docs::spec(Some(&title)), docs::spec(tag.docs.as_deref())]);
    let methods = ops.iter().map(|op| method(cx, op));
    let (builders, params): (Vec<_>, Vec<_>) = ops.iter().map(|op| builder(cx, op)).unzip();
    quote! {
        #module_doc

        impl crate::Client {
            #(#methods)*
        }

        #(#builders)*

        /// The parameters of each call of this module, as its builder holds them.
        pub mod params {
            #(#params)*
        }
    }
}

fn method(cx: &Cx<'_>, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &required {
        let n = ident(&p.name);
        let taken = arguments::whole(cx, &p.ty, &p.wire, quote!(options));
        let arg = &taken.ty;
        args.push(quote!(#n: #arg));
        let value = taken.value(&n);
        inits.push(if taken.is_identity() { quote!(#n) } else { quote!(#n: #value) });
    }
    inits.extend(optional.iter().map(|p| {
        let n = ident(&p.name);
        quote!(#n: None)
    }));
    let body = super::body::parts(cx, op);
    if let Some(body) = &body {
        args.extend(body.args.iter().cloned());
        inits.push(body.init.clone());
    }

    let mut http = format!("Sends a `{}` request to {}.", op.method.as_str(), docs::code(&op.path.raw));
    if let Some(server) = op.servers.first() {
        http.push_str(&format!(
            " It goes to {}, the call's own server, unless the client's base URL is none of the API's servers.",
            docs::code(server)
        ));
    }
    if op.anonymous {
        http.push_str(" Sent without credentials: the document asks for none the client sends.");
    }
    let mut arguments = String::new();
    for p in &required {
        let about = p.docs.as_deref().map(first_line).unwrap_or_default();
        let wire = docs::code(&p.wire);
        arguments.push_str(&format!("- `{}`: {} parameter {wire}. {about}\n", p.name, p.location.as_str()));
    }
    for line in body.iter().flat_map(|b| &b.arg_docs) {
        arguments.push_str(line);
        arguments.push('\n');
    }
    let arguments = (!arguments.is_empty()).then(|| format!("Arguments:\n{}", arguments.trim_end()));
    let mut responses = String::new();
    for response in &op.responses {
        let body = response.body.as_ref().map(|b| cx.doc_link(b)).unwrap_or_else(|| "no body".to_owned());
        responses.push_str(&format!("- `{}`: {body}\n", response.status));
    }
    let responses = (!responses.is_empty()).then(|| format!("Responses:\n{}", responses.trim_end()));
    let mut builder_doc = if has_options(op) {
        format!("Returns a [`{builder}`]: set optional parameters on it, then [`send`]({builder}::send) it.")
    } else {
        format!("Returns a [`{builder}`] to [`send`]({builder}::send).")
    };
    if op.pagination.is_some() {
        builder_doc.push_str(&format!(
            " The list is paged: [`pages`]({builder}::pages) and [`items`]({builder}::items) stream all of it."
        ));
    }
    let operation_id = if op.id_synthesized {
        format!("Operation {} (the spec gives it no operationId).", docs::code(&op.id.0))
    } else {
        format!("Operation {}.", docs::code(&op.id.0))
    };
    let example = super::examples::method_example(cx, op);
    let replacement = op.replaced_by.as_ref().map(|r| match r {
        Replacement::Operation(id) => cx.method_link(id),
        Replacement::Elsewhere(call) => format!("{}, which this document does not describe", docs::code(call)),
    });
    let deprecation = op.deprecated.then(|| match &replacement {
        Some(replacement) => format!("**Deprecated** in the API: use {replacement} instead."),
        None => "**Deprecated** in the API: prefer another call where one exists.".to_owned(),
    });
    let doc = docs::outer(&[
        docs::spec(op.summary.as_deref()),
        deprecation.as_deref().and_then(docs::ours),
        docs::spec(op.description.as_deref()),
        docs::ours(&http),
        arguments.as_deref().and_then(docs::ours),
        docs::ours(&builder_doc),
        responses.as_deref().and_then(docs::ours),
        docs::ours(&operation_id),
        docs::ours("# Example"),
        docs::ours(&example),
    ]);
    let deprecated = op.deprecated.then(|| {
        let note = match &op.replaced_by {
            Some(Replacement::Operation(id)) => {
                format!("Deprecated in the API: use `Client::{}` instead.", cx.api.operations[id].name)
            }
            Some(Replacement::Elsewhere(call)) => format!("Deprecated in the API: use `{call}` instead."),
            None => "Deprecated in the API.".to_owned(),
        };
        quote!(#[deprecated = #note])
    });
    let many = (args.len() + 1 > MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let prepare = body.as_ref().map(|b| b.prepare.clone());
    let json_argument = required.iter().any(|p| arguments::is_json(&p.ty));
    let options = if json_argument || body.as_ref().is_some_and(|b| b.uses_options) {
        quote!(let mut options = crate::http::CallOptions::default();)
    } else {
        quote!(let options = crate::http::CallOptions::default();)
    };
    quote! {
        #doc
        #deprecated
        #many
        #[inline]
        pub fn #name(&self, #(#args),*) -> #builder {
            #options
            #prepare
            // The parameters first: making them can note a problem in `options`.
            crate::RequestBuilder { op: params::#builder { #(#inits),* }, client: self.clone(), options }
        }
    }
}

pub(super) fn first_line(text: &str) -> String {
    docs::sanitize(text.lines().next().unwrap_or_default()).replace('\n', " ")
}

/// A call's builder: a name for the runtime's `RequestBuilder` of the call's parameters, with
/// the call's own setters and `send` methods; and, for the `params` module, the parameters.
fn builder(cx: &Cx<'_>, op: &Operation) -> (TokenStream, TokenStream) {
    let name = ident(&op.builder);
    let link = cx.method_link(&op.id);
    let doc = if has_options(op) {
        format!(" A {link} request: set optional parameters, then [`send`]({name}::send) it.")
    } else {
        format!(" A {link} request, ready to [`send`]({name}::send).")
    };
    let params_doc = format!(" The parameters of a {link} request: what [`{name}`](super::{name}) holds.");
    // Held as given when the call requires it, else as an `Option`.
    let held = |name: proc_macro2::Ident, ty: &crate::ir::TypeRef, required: bool| {
        let ty = cx.rust_type(ty);
        if required {
            quote!(pub(super) #name: #ty,)
        } else {
            quote!(pub(super) #name: Option<#ty>,)
        }
    };
    let fields = op.params.iter().map(|p| held(ident(&p.name), &p.ty, p.required));
    let body_field = op.body.as_ref().map(|b| held(format_ident!("body"), &b.ty, b.required));
    let body = super::body::parts(cx, op);
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let n = ident(&p.name);
        let taken = arguments::whole(cx, &p.ty, &p.wire, quote!(self.options));
        let arg = &taken.ty;
        let converted = taken.value(&format_ident!("value"));
        let place = format!("Sets the {} parameter {}.", p.location.as_str(), docs::code(&p.wire));
        let deprecated = p.deprecated.then_some("Deprecated in the API.");
        let doc = docs::outer(&[docs::ours(&place), docs::spec(p.docs.as_deref()), deprecated.and_then(docs::ours)]);
        quote! {
            #doc
            #[inline]
            pub fn #n(mut self, value: #arg) -> Self {
                self.op.#n = Some(#converted);
                self
            }
        }
    });
    let body_setters = body.iter().flat_map(|b| b.setters.iter());
    let (send, prepare) = send_fn(cx, op);
    let paging = super::paging::methods(cx, op);
    let in_tag = quote! {
        #[doc = #doc]
        pub type #name = crate::RequestBuilder<params::#name>;

        impl crate::RequestBuilder<params::#name> {
            #(#setters)*
            #(#body_setters)*
            #send
            #paging
        }

        #prepare
    };
    let in_params = quote! {
        #[doc = #params_doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
            #body_field
        }
    };
    (in_tag, in_params)
}

/// Whether the builder has setters: an optional parameter or an optional body.
fn has_options(op: &Operation) -> bool {
    op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required || !b.setters.is_empty())
}

/// The builder's `send` methods, and how its parameters make the request.
fn send_fn(cx: &Cx<'_>, op: &Operation) -> (TokenStream, TokenStream) {
    let builder = ident(&op.builder);
    let method = format_ident!("{}", op.method.as_str());
    let path_parts = op.path.parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(#text),
        PathPart::Param(wire) => {
            let param = op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && &p.wire == wire)
                .expect("the normaliser checks every template parameter is declared");
            let n = ident(&param.name);
            let prefix = param.style.path_prefix(&param.wire).map(|prefix| quote!(#prefix,));
            quote!(#prefix &crate::http::path_segment(&op.#n))
        }
    });
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let n = ident(&p.name);
        let wire = &p.wire;
        let value = if p.style == ParamStyle::Json {
            quote!(&crate::wire::JsonText(&op.#n))
        } else {
            super::wire_value(&p.ty, quote!(op.#n))
        };
        let object_style = match p.style {
            ParamStyle::ObjectExploded => Some(quote!(Exploded)),
            ParamStyle::ObjectComma => Some(quote!(Comma)),
            ParamStyle::DeepObject => Some(quote!(Deep)),
            _ => None,
        };
        if let Some(style) = object_style {
            return quote!(request.query_object(#wire, &op.#n, crate::wire::ObjectStyle::#style););
        }
        match (p.location, p.style) {
            (ParamLocation::Query, ParamStyle::Json | ParamStyle::Exploded) => quote!(request.query(#wire, #value);),
            (ParamLocation::Query, _) => quote!(request.query_joined(#wire, #value);),
            (ParamLocation::Cookie, _) => quote!(request.cookie(#wire, #value);),
            _ => quote!(request.header(#wire, #value);),
        }
    });
    let body = op.body.as_ref().map(|body| {
        let media = &body.media_type;
        let encode = match body.encoding {
            BodyEncoding::Json => quote!(request.json(body);),
            BodyEncoding::Form => quote!(request.form(body);),
            BodyEncoding::Multipart => quote!(request.multipart(body);),
            BodyEncoding::Raw => quote!(request.raw(body, #media);),
        };
        if body.required {
            quote! { let body = &op.body; #encode }
        } else {
            quote! { if let Some(body) = &op.body { #encode } }
        }
    });
    let output = cx.rust_type(&op.output.ty);
    let (send, read) = match op.output.format {
        BodyFormat::Json | BodyFormat::Empty => (quote!(send), quote!(crate::http::json::<#output>)),
        BodyFormat::Text => (quote!(send_text), quote!(crate::http::text)),
        BodyFormat::Bytes => (quote!(send_bytes), quote!(crate::http::bytes)),
    };
    let returns = format!(" Sends the request. On success the API answers with {}.", cx.doc_link(&op.output.ty));
    let mutable =
        (op.params.iter().any(|p| p.location != ParamLocation::Path) || op.body.is_some()).then(|| quote!(mut));
    let parameters = (!op.params.is_empty() || op.body.is_some()).then(|| quote!(let op = &call.op;));
    let id = &op.id.0;
    let call = op.name.as_str();
    let template = &op.path.raw;
    let reader = super::errors::reader(cx, op);
    let read_errors = reader.is_some().then(|| quote!(.error_body(Self::error_body)));
    let reader = reader.map(|reader| quote!(impl params::#builder { #reader }));
    let anonymous = op.anonymous.then(|| quote!(.anonymous()));
    let servers = &op.servers;
    let own_servers = (!servers.is_empty()).then(|| quote!(.servers(&[#(#servers),*])));
    let methods = quote! {
        #[doc = #returns]
        #[inline]
        pub fn send(self) -> crate::Sending<#output> {
            // The runtime's one future for all calls: no state machine or opaque type of its
            // own per call.
            let request = self.request();
            crate::http::#send(self.client, request)
        }

        /// Sends the request, and returns the answer read as [`send`](Self::send) reads it
        /// together with its status, headers and body as they came, and where it differs from
        /// the API document.
        #[inline]
        pub fn send_with_response(self) -> crate::Sending<crate::Response<#output>> {
            let request = self.request();
            crate::http::send_with_response(self.client, request, #read)
        }
    };
    let prepare = quote! {
        #reader

        impl crate::http::Prepare for params::#builder {
            #[inline]
            fn request(call: &crate::RequestBuilder<Self>) -> Result<crate::http::Request, crate::Error> {
                #parameters
                let path = [#(#path_parts),*].concat();
                let #mutable request = crate::http::Request::new(::reqwest::Method::#method, path, #call, #id, #template) #read_errors #anonymous #own_servers;
                #(#params)*
                #body
                request.finish(&call.options)
            }
        }
    };
    (methods, prepare)
}
