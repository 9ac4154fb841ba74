//! The crate root, the module indexes, and the files of what the inputs say about the API as a
//! whole: its servers, its conventions, its webhooks.

use super::{count, docs, ident};
use crate::ir::{Api, Auth, ParamLocation, TimeFormat};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `lib.rs`: the crate's modules and what it exports. The webhook modules are there only when
/// the inputs describe the API's webhooks.
///
/// With every API area compiled there are no crate-wide lint allows: the generator puts
/// `#[allow]` on exactly the items that need one (a call or constructor whose spec requires more
/// than seven values; an untagged union, whose variants hold whatever decoded and would be
/// clumsier to match if boxed). With only some areas, parts of the runtime serve none of them
/// (paging for a crate without a paged list, multipart without a file upload): unused by
/// choice, not by mistake, so that is not warned about.
pub fn lib_rs(api: &Api) -> TokenStream {
    let exports = |table: &[(&str, &[&str])], cfg: Option<TokenStream>| -> Vec<TokenStream> {
        let uses = table.iter().map(|(module, names)| {
            let module = format_ident!("{module}");
            let names = names.iter().map(|name| format_ident!("{name}"));
            quote!(#cfg pub use #module::{#(#names),*};)
        });
        uses.collect()
    };
    let root_exports = exports(crate::ir::ROOT_EXPORTS, None);
    let webhooks = api.has_webhooks().then(|| {
        let feature = crate::ir::WEBHOOKS_FEATURE;
        let webhook_exports = exports(crate::ir::WEBHOOK_EXPORTS, Some(quote!(#[cfg(feature = #feature)])));
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            mod webhook_event;
            #[cfg(feature = #feature)]
            mod webhook;
            #(#webhook_exports)*
        }
    });
    let mock = crate::ir::MOCK;
    let full = crate::ir::FULL_FEATURE;
    quote! {
        #![doc = include_str!("../README.md")]
        #![warn(missing_docs)]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![cfg_attr(not(feature = #full), allow(dead_code, unused_imports, unused_macros))]

        #[rustfmt::skip]
        pub mod apis;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        mod conventions;
        #[rustfmt::skip]
        mod region;
        #[rustfmt::skip]
        pub mod spec;
        #[rustfmt::skip]
        mod error_body;
        #[cfg(feature = #mock)]
        #[rustfmt::skip]
        pub mod mock;

        mod client;
        pub mod drift;
        mod error;
        mod http;
        #[cfg(feature = #mock)]
        mod mock_server;
        mod paging;
        mod retry;
        mod timestamp;
        mod tolerant;
        mod unknown;
        mod wire;

        #(#root_exports)*
        #webhooks
    }
}

/// `conventions.rs`: what the client does that the document does not describe, as the inputs
/// say: the `on_behalf_of` setters of an API with such a header, and which error answers mean
/// "another region".
pub fn conventions(api: &Api) -> TokenStream {
    let on_behalf_of = api.conventions.on_behalf_of.as_ref().map(|header| {
        let doc = format!(" Makes every call on behalf of another account: the `{header}` header.");
        quote! {
            /// The header that makes a call on behalf of another account.
            pub(crate) const ON_BEHALF_OF: &str = #header;

            impl crate::ClientBuilder {
                #[doc = #doc]
                pub fn on_behalf_of(self, account: impl Into<String>) -> Self {
                    self.default_header(ON_BEHALF_OF, account)
                }
            }

            impl crate::Client {
                #[doc = #doc]
                /// The new client shares this one's connection pool.
                pub fn on_behalf_of(&self, account: impl Into<String>) -> crate::Client {
                    self.with_header(ON_BEHALF_OF, account)
                }
            }
        }
    });
    let wrong_region = api.conventions.wrong_region.iter().map(|(status, words)| {
        let status = proc_macro2::Literal::u16_unsuffixed(*status);
        let words = match words {
            Some(words) => quote!(Some(#words)),
            None => quote!(None),
        };
        quote!((#status, #words))
    });
    let time_format = match api.time_format {
        TimeFormat::Rfc3339 => quote!(Rfc3339),
        TimeFormat::Date => quote!(Date),
        TimeFormat::Rfc2822 => quote!(Rfc2822),
    };
    let time_doc = format!(" The form the API reads time values in: {}.", api.time_format.describe());
    let now_doc = format!(" The current time, written in {}.", api.time_format.describe());
    quote! {
        //! What the client does across calls: what the API document does not describe, and the
        //! one form time values are written in.

        #on_behalf_of

        #[doc = #time_doc]
        const TIME_FORMAT: crate::timestamp::TimeFormat = crate::timestamp::TimeFormat::#time_format;

        impl From<::time::OffsetDateTime> for crate::Timestamp {
            fn from(time: ::time::OffsetDateTime) -> crate::Timestamp {
                crate::Timestamp::from_time(time, TIME_FORMAT)
            }
        }

        impl From<::std::time::SystemTime> for crate::Timestamp {
            fn from(time: ::std::time::SystemTime) -> crate::Timestamp {
                crate::Timestamp::from_time(time.into(), TIME_FORMAT)
            }
        }

        impl crate::Timestamp {
            #[doc = #now_doc]
            pub fn now() -> crate::Timestamp {
                crate::Timestamp::from(::time::OffsetDateTime::now_utc())
            }
        }

        /// The error answers that mean the call went to another region than the one that keeps
        /// the account's data: the status, and words the message holds (lowercase).
        pub(crate) const WRONG_REGION: &[(u16, Option<&str>)] = &[#(#wrong_region),*];
    }
}

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
        let calls = api.tag_operations(key).len();
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
    // A setting of every call, for an API whose conventions name the header.
    let on_behalf_of = api.conventions.on_behalf_of.as_ref().map(|header| {
        let doc = format!(" Makes this call on behalf of another account (the `{header}` header), whatever the");
        quote! {
            impl<Op> crate::RequestBuilder<Op> {
                #[doc = #doc]
                /// client is scoped to.
                #[inline]
                pub fn on_behalf_of(self, account: impl Into<String>) -> Self {
                    self.extra_header(#header, account)
                }
            }
        }
    });
    quote! {
        //! The API calls, one module per tag. Every call is a method on
        //! [`Client`](crate::Client); each module holds its calls' request builders.
        #(#modules)*

        #on_behalf_of
    }
}

/// `webhook_event.rs`: the type a webhook's `event-data` decodes into by default, the one the
/// overrides name (emitted only when they describe the API's webhooks).
pub(super) fn webhook_event(cx: &super::Cx<'_>) -> TokenStream {
    let Some(id) = &cx.api.webhook_event else { return TokenStream::new() };
    let ty = cx.rust_type(&crate::ir::TypeRef::Named(id.clone()));
    let doc = format!(" What the webhooks post as `event-data`: {}.", cx.type_link(id));
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

/// `region.rs`: the spec's servers as a `Region` to choose from, what the runtime's client is
/// told of them (with the wrong-region answers of `conventions.rs`), and the constructors that
/// tell it.
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
    let named = api.servers.iter().map(|server| {
        let (name, url) = (server.name.as_str(), &server.url);
        quote!((#name, #url))
    });
    let derive_default = (!api.servers.is_empty()).then(|| quote!(Default,));
    let auth = auth(&api.auth);
    let versioned_paths = api.paths_carry_version();
    let credentials = api.auth.arguments();
    let names: Vec<proc_macro2::Ident> = credentials.iter().map(|a| format_ident!("{}", a.name)).collect();
    let (given, new_doc) = match (credentials, names.as_slice()) {
        ([], []) => (
            quote!(crate::client::Credentials::default()),
            " A client for the default region (the API document names no credentials).".to_owned(),
        ),
        ([key], [name]) => (
            quote!(crate::client::Credentials { username: None, key: #name.into() }),
            format!(" A client for the default region with the given {}.", key.what),
        ),
        ([username, password], [username_name, password_name]) => (
            quote!(crate::client::Credentials { username: Some(#username_name.into()), key: #password_name.into() }),
            format!(" A client for the default region with the given {} and {}.", username.what, password.what),
        ),
        _ => unreachable!("constructors take no credentials, a key, or a user name and a password"),
    };
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
            /// The region's base URL.
            pub fn base_url(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        /// The servers as the client knows them: each region's name and base URL, the first
        /// the default (none when the document names none: a client then needs
        /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url)).
        pub(crate) static SERVERS: crate::client::Servers = crate::client::Servers {
            named: &[#(#named),*],
            wrong_region: crate::conventions::WRONG_REGION,
            auth: #auth,
            versioned_paths: #versioned_paths,
        };

        impl crate::Client {
            #[doc = #new_doc]
            ///
            /// # Panics
            ///
            /// When the TLS backend cannot be initialised, as `reqwest::Client::new` does, or
            /// when the API document names no server to default to; use
            /// [`Client::builder`](crate::Client::builder) to get those as errors instead.
            pub fn new(#(#names: impl Into<String>),*) -> crate::Client {
                Self::builder(#(#names),*).build().expect("the default configuration is valid")
            }

            /// Starts configuring a client.
            pub fn builder(#(#names: impl Into<String>),*) -> crate::ClientBuilder {
                crate::ClientBuilder::new(#given, &SERVERS)
            }
        }

        impl crate::ClientBuilder {
            /// Sends requests to one of the API's servers.
            pub fn region(self, region: Region) -> Self {
                self.base_url(region.base_url())
            }
        }
    }
}

/// The runtime's `client::Auth` for the crate's scheme.
fn auth(auth: &Auth) -> TokenStream {
    match auth {
        Auth::None => quote!(crate::client::Auth::None),
        Auth::Basic { username: Some(username) } => quote!(crate::client::Auth::Basic { username: Some(#username) }),
        Auth::Basic { username: None } => quote!(crate::client::Auth::Basic { username: None }),
        Auth::Bearer => quote!(crate::client::Auth::Bearer),
        Auth::ApiKey { location: ParamLocation::Query, name } => quote!(crate::client::Auth::Query(#name)),
        Auth::ApiKey { location: ParamLocation::Cookie, name } => quote!(crate::client::Auth::Cookie(#name)),
        Auth::ApiKey { location: ParamLocation::Header | ParamLocation::Path, name } => {
            quote!(crate::client::Auth::Header(#name))
        }
    }
}
