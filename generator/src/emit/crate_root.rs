//! The module indexes and `region.rs`. (The crate root, `lib.rs`, is a runtime file: it does
//! not vary with the spec.)

use super::{count, docs, ident};
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// `types/mod.rs`: private file modules, public re-exports, sorted by file name.
///
/// Each type is compiled only with the features of the calls that use it (see
/// [`Cx::type_cfg`]), so a crate built for one API area compiles only that area's types.
pub fn types_mod(api: &Api) -> TokenStream {
    let cx = super::Cx { api };
    let mut defs: Vec<_> = api.types.values().collect();
    defs.sort_by(|a, b| (&a.module, &a.name).cmp(&(&b.module, &b.name)));
    let items = defs.iter().map(|def| {
        let module = ident(&def.module);
        let name = ident(&def.name);
        let cfg = cx.type_cfg(def);
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use #module::#name;
        }
    });
    quote! {
        //! Every type the API uses: one per schema of the spec (schemas with the same structure
        //! share one), plus the objects, enums and unions the spec writes in place (named after
        //! where they appear).
        #(#items)*
    }
}

/// `apis/mod.rs`, sorted by module name.
pub fn apis_mod(api: &Api) -> TokenStream {
    let mut tags: Vec<_> = api.tags.iter().collect();
    tags.sort_by(|a, b| a.1.module.cmp(&b.1.module));
    let modules = tags.into_iter().map(|(key, tag)| {
        let module = ident(&tag.module);
        let calls = api.operations.values().filter(|op| &op.tag == key).count();
        let name = docs::sanitize(tag.display_name.as_deref().unwrap_or(&key.0));
        let text = format!("{name} ({}), with the cargo feature `{}`.", count(calls, "call", "calls"), tag.feature);
        let doc = docs::outer(&[docs::ours(&text)]);
        let feature = &tag.feature;
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    quote! {
        //! The API calls, one module per tag. Every call is a method on
        //! [`Client`](crate::Client); each module holds its calls' request builders.
        #(#modules)*
    }
}

/// `webhook_event.rs`: what a webhook's `event-data` decodes into by default, the type the
/// overrides name (any JSON without one).
pub(super) fn webhook_event(cx: &super::Cx<'_>) -> TokenStream {
    let (ty, doc) = match &cx.api.webhook_event {
        Some(id) => {
            let ty = cx.rust_type(&crate::ir::TypeRef::Named(id.clone()));
            let link = cx.type_link(id);
            (ty, format!(" What the webhooks post as `event-data`: {link}."))
        }
        None => (
            quote!(::serde_json::Value),
            " What the webhooks post as `event-data`: any JSON (the API document does not say).".to_owned(),
        ),
    };
    quote! {
        #[doc = #doc]
        pub type WebhookEvent = #ty;
    }
}

/// `spec.rs`: what the crate was generated from, readable at run time (a user can log it, or
/// check it against the document they test with).
pub fn spec(api: &Api) -> TokenStream {
    let title = &api.title;
    let version = &api.version;
    let sha256 = &api.release.spec_sha256;
    quote! {
        //! The API document this crate was generated from.

        /// The document's `info.title`.
        pub const TITLE: &str = #title;
        /// The document's `info.version`.
        pub const API_VERSION: &str = #version;
        /// SHA-256 (hex) of the document and of the corrections it was generated with: the
        /// fingerprint the generator's release record keeps for this version of the crate.
        pub const SHA256: &str = #sha256;
        /// This crate's version.
        pub const CRATE_VERSION: &str = env!("CARGO_PKG_VERSION");
    }
}

/// `region.rs`: the spec's servers, and the base URL a client uses by default.
pub fn region(api: &Api) -> TokenStream {
    let variants = api.servers.iter().enumerate().map(|(i, server)| {
        let name = ident(&server.name);
        let description = docs::sanitize(server.description.as_deref().unwrap_or("Server"));
        let text = format!("{description} ({}).", docs::code(&server.url));
        let doc = docs::outer(&[docs::ours(&text)]);
        let default = (i == 0).then(|| quote!(#[default]));
        quote! { #doc #default #name, }
    });
    let arms = api.servers.iter().map(|server| {
        let name = ident(&server.name);
        let url = &server.url;
        quote!(Self::#name => #url,)
    });
    let names: Vec<_> = api.servers.iter().map(|server| ident(&server.name)).collect();
    let derive_default = (!api.servers.is_empty()).then(|| quote!(Default,));
    let default_url = api.servers.first().map(|s| s.url.as_str()).unwrap_or("");
    quote! {
        /// The servers the API document names. Each is a base URL for
        /// [`ClientBuilder::region`](crate::ClientBuilder::region); use the one your account's
        /// data lives in.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, #derive_default)]
        #[non_exhaustive]
        pub enum Region {
            #(#variants)*
        }

        impl Region {
            /// Every region, in the document's order.
            pub(crate) const ALL: &'static [Region] = &[#(Self::#names),*];

            /// The region's base URL.
            pub fn base_url(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        /// The base URL of the first server, or empty when the document names none (a client
        /// then needs [`ClientBuilder::base_url`](crate::ClientBuilder::base_url)).
        pub(crate) const DEFAULT_BASE_URL: &str = #default_url;
    }
}
