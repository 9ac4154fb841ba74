//! `lib.rs`, the module indexes and `region.rs`.

use super::{docs, ident, Cx};
use crate::ir::Api;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// `lib.rs`: the crate docs come from the generated README, so the example there is compiled
/// as a doctest.
pub fn lib_rs() -> TokenStream {
    quote! {
        #![doc = include_str!("../README.md")]
        #![warn(missing_docs)]
        // Required path and query parameters are positional arguments of each call, and some
        // calls have many.
        #![allow(clippy::too_many_arguments)]
        // Mailgun's schemas and parameters often have a one-variant enum or a large struct next
        // to small ones; the types follow the spec rather than the lint.
        #![allow(clippy::large_enum_variant)]

        #[rustfmt::skip]
        pub mod apis;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        mod region;
        mod client;
        mod error;
        mod http;
        pub mod wire;

        pub use client::{Client, ClientBuilder};
        pub use error::{ApiError, Error};
        pub use region::Region;
        pub use wire::File;
    }
}

/// `types/mod.rs`: private file modules, public re-exports, sorted by module name.
pub fn types_mod(cx: &Cx<'_>) -> TokenStream {
    let mut entries: Vec<(String, &crate::naming::RustName)> =
        cx.api.types.values().map(|def| (cx.type_module(def), &def.name)).collect();
    entries.sort();
    let items = entries.iter().map(|(module, name)| {
        let module = Ident::new(module, Span::call_site());
        let name = ident(name);
        quote! {
            mod #module;
            pub use #module::#name;
        }
    });
    quote! {
        //! Every type the API uses: one per schema of the spec, plus the objects, enums and
        //! unions the spec writes inline (named after where they appear).
        #(#items)*
    }
}

/// `apis/mod.rs`.
pub fn apis_mod(api: &Api) -> TokenStream {
    let modules = api.tags.iter().map(|(module, tag)| {
        let module = Ident::new(module, Span::call_site());
        let doc = format!(" {}.", tag.name);
        quote! {
            #[doc = #doc]
            pub mod #module;
        }
    });
    quote! {
        //! The API calls, one module per tag. Every call is a method on
        //! [`Client`](crate::Client); each module holds its calls' request builders.
        #(#modules)*
    }
}

/// `region.rs`: the spec's servers.
pub fn region(api: &Api) -> TokenStream {
    let variants = api.servers.iter().enumerate().map(|(i, server)| {
        let name = ident(&server.name);
        let text = format!("{} (`{}`).", server.description.as_deref().unwrap_or("Server"), server.url);
        let doc = docs::outer(&[docs::spec(Some(&text))]);
        let default = (i == 0).then(|| quote!(#[default]));
        quote! { #doc #default #name, }
    });
    let arms = api.servers.iter().map(|server| {
        let name = ident(&server.name);
        let url = &server.url;
        quote!(Self::#name => #url,)
    });
    quote! {
        /// Where Mailgun keeps an account's data. Use the region the domain was created in:
        /// the wrong one answers 401 or 404 "Domain not found".
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum Region {
            #(#variants)*
        }

        impl Region {
            /// The region's base URL.
            pub fn base_url(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
