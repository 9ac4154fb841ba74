//! IR → Rust token streams, one per output file. Emitters read only the IR: every name and
//! every fact they need (which types are form bodies, which are sent as values) is in it.
//!
//! Layout of the generated crate (every path below is relative to `src/`):
//! - `region.rs`: the spec's servers;
//! - `error_body.rs`: the types the spec documents for error answers, as one enum;
//! - `types/<type>.rs`: one named type per file, re-exported from `types/mod.rs`;
//! - `apis/<tag>.rs`: one module per tag with its calls and their request builders;
//! - `mock/requests/<tag>.rs`: the test double's typed requests of the tag's calls, and how it
//!   reads them (behind the `mock` feature).
//!
//! - `lib.rs`: the crate root; `conventions.rs`: what the inputs say the client does beyond
//!   the document.
//!
//! The runtime files (`client.rs`, `error.rs`, `http.rs`, `unknown.rs`, `wire.rs`, …)
//! are not emitted: they are copied from `generator/runtime/` by [`crate::render`].
//!
//! What makes the crate quick to build (measured by `cargo xtask bench`, by taking things out):
//! - every function of a call (its `Client` method, setters, `send`, how it builds its
//!   request, `pages`) and the small ones of types are `#[inline]`: compiled in the program
//!   that calls them, rather than all of them in this crate: a program calls a few calls and
//!   setters of the many there are, and only those are compiled;
//! - reading answers is small generated code over generic parts of the runtime
//!   (`tolerant`), not serde's derived visitors; `Serialize` only where something is sent;
//! - `send` returns the runtime's one future rather than being an `async fn` per builder.

mod arguments;
mod body;
mod crate_root;
pub mod docs;
mod errors;
mod examples;
#[cfg(feature = "test-harness")]
pub mod harness;
mod mock;
mod operations;
mod paging;
mod types;

use crate::error::Error;
use crate::ir::{Api, Prim, TypeDef, TypeId, TypeKind, TypeRef};
use crate::rust_name::RustName;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// Rust files to render: path under `src/` → tokens.
pub type RustFiles = BTreeMap<String, TokenStream>;

/// One Rust file to emit, by what it is made from.
pub enum Job<'a> {
    /// `types/<type>.rs`.
    Type(&'a TypeDef),
    /// `apis/<tag>.rs`: the tag's calls and their builders.
    Tag(&'a crate::ir::TagKey, &'a crate::ir::Tag),
    /// `types/mod.rs`.
    TypesMod,
    /// `apis/mod.rs`.
    ApisMod,
    /// `region.rs`: the spec's servers.
    Region,
    /// `webhook_event.rs`.
    WebhookEvent,
    /// `lib.rs`.
    Lib,
    /// `conventions.rs`.
    Conventions,
    /// `error_body.rs`.
    ErrorBody,
    /// `spec.rs`.
    Spec,
    /// `mock/requests/<tag>.rs`: what the tag's calls sent, as the test double reads it.
    MockTag(&'a crate::ir::TagKey, &'a crate::ir::Tag),
    /// `mock/requests.rs`.
    MockIndex,
    /// `mock.rs`.
    MockRoot,
}

/// Every Rust file to emit, by path under `src/`, in path order. Each is emitted on its own
/// ([`emit_file`]), so files can be emitted and formatted in parallel.
pub fn jobs(api: &Api) -> Result<BTreeMap<String, Job<'_>>, Error> {
    let mut jobs: BTreeMap<String, Job<'_>> = BTreeMap::new();
    let mut add = |path: String, job| match jobs.insert(path.clone(), job) {
        None => Ok(()),
        Some(_) => Err(Error::Emit { file: path, message: "two items map to the same file".to_owned() }),
    };
    for def in api.types.values() {
        add(format!("types/{}.rs", def.module), Job::Type(def))?;
    }
    for (key, tag) in &api.tags {
        add(format!("apis/{}.rs", tag.module), Job::Tag(key, tag))?;
        add(format!("mock/requests/{}.rs", tag.module), Job::MockTag(key, tag))?;
    }
    add("mock/requests.rs".to_owned(), Job::MockIndex)?;
    add("mock.rs".to_owned(), Job::MockRoot)?;
    add("types/mod.rs".to_owned(), Job::TypesMod)?;
    add("apis/mod.rs".to_owned(), Job::ApisMod)?;
    add("region.rs".to_owned(), Job::Region)?;
    if api.has_webhooks() {
        add("webhook_event.rs".to_owned(), Job::WebhookEvent)?;
    }
    add("lib.rs".to_owned(), Job::Lib)?;
    add("conventions.rs".to_owned(), Job::Conventions)?;
    add("error_body.rs".to_owned(), Job::ErrorBody)?;
    add("spec.rs".to_owned(), Job::Spec)?;
    Ok(jobs)
}

/// The tokens of one file.
pub fn emit_file(api: &Api, job: &Job<'_>) -> TokenStream {
    let cx = Cx { api };
    match job {
        Job::Type(def) => types::type_file(&cx, def),
        Job::Tag(key, tag) => operations::tag_file(&cx, key, tag, &api.tag_operations(key)),
        Job::MockTag(key, tag) => mock::tag_file(&cx, key, tag, &api.tag_operations(key)),
        Job::MockIndex => mock::index(api),
        Job::MockRoot => mock::root(),
        Job::TypesMod => crate_root::types_mod(api),
        Job::ApisMod => crate_root::apis_mod(api),
        Job::Region => crate_root::region(api),
        Job::WebhookEvent => crate_root::webhook_event(&cx),
        Job::ErrorBody => errors::error_body_file(api),
        Job::Spec => crate_root::spec(api),
        Job::Lib => crate_root::lib_rs(api),
        Job::Conventions => crate_root::conventions(api),
    }
}

/// Emits every Rust file.
pub fn emit(api: &Api) -> Result<RustFiles, Error> {
    Ok(jobs(api)?.iter().map(|(path, job)| (path.clone(), emit_file(api, job))).collect())
}

/// What the emitters share: the IR, with lookups.
pub(crate) struct Cx<'a> {
    pub api: &'a Api,
}

impl<'a> Cx<'a> {
    /// The generated crate's name, as code outside it (doc examples, the test harness) writes
    /// it in paths.
    pub fn crate_ident(&self) -> Ident {
        ident(&self.api.identity.crate_name)
    }

    pub fn def(&self, id: &TypeId) -> &'a TypeDef {
        &self.api.types[id]
    }

    /// The Rust type for a type reference, with absolute paths so no generated name can shadow
    /// a std one.
    pub fn rust_type(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Named(id) => {
                let name = ident(&self.def(id).name);
                quote!(crate::types::#name)
            }
            TypeRef::Prim(Prim::String) => quote!(String),
            TypeRef::Prim(Prim::Bool) => quote!(bool),
            TypeRef::Prim(Prim::I32) => quote!(i32),
            TypeRef::Prim(Prim::I64) => quote!(i64),
            TypeRef::Prim(Prim::F64) => quote!(f64),
            TypeRef::Prim(Prim::File) => quote!(crate::File),
            TypeRef::Prim(Prim::Bytes) => quote!(Vec<u8>),
            TypeRef::Prim(Prim::Json) => quote!(::serde_json::Value),
            TypeRef::Prim(Prim::Timestamp) => quote!(crate::Timestamp),
            TypeRef::Option(inner) => {
                let inner = self.rust_type(inner);
                quote!(Option<#inner>)
            }
            TypeRef::Vec(inner) => {
                let inner = self.rust_type(inner);
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::collections::BTreeMap<String, #inner>)
            }
            TypeRef::Any => quote!(::serde_json::Value),
            TypeRef::Unit => quote!(()),
        }
    }

    /// The `#[cfg]` that compiles a type only with the features of the calls (and webhooks)
    /// that use it, or nothing for a type compiled whatever the features.
    pub fn type_cfg(&self, def: &TypeDef) -> Option<TokenStream> {
        match self.api.features_of(def)?.as_slice() {
            [one] => Some(quote!(#[cfg(feature = #one)])),
            many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
        }
    }

    /// A link to a type for docs, such as ``[`Domain`](crate::types::Domain)``.
    pub fn doc_link(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.type_link(id),
            TypeRef::Option(inner) => format!("optional {}", self.doc_link(inner)),
            TypeRef::Vec(inner) => format!("list of {}", self.doc_link(inner)),
            TypeRef::Map(inner) => format!("map of {}", self.doc_link(inner)),
            TypeRef::Prim(_) => format!("`{ty}`"),
            TypeRef::Any => "any JSON".to_owned(),
            TypeRef::Unit => "no body".to_owned(),
        }
    }

    /// ``[`Domain`](crate::types::Domain)``.
    pub fn type_link(&self, id: &TypeId) -> String {
        let def = self.def(id);
        format!("[`{}`](crate::{})", def.name, def.path())
    }

    /// ``[`Client::list_routes`](crate::Client::list_routes)``.
    pub fn method_link(&self, op: &crate::ir::OperationId) -> String {
        match self.api.operations.get(op) {
            Some(op) => {
                let path = self.api.method_path(op);
                format!("[`{path}`](crate::{path})")
            }
            None => format!("`{op}`"),
        }
    }

    /// The type with every alias replaced by what it stands for.
    pub fn resolved(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(id) => match &self.def(id).kind {
                TypeKind::Alias(target) => self.resolved(target),
                _ => ty.clone(),
            },
            TypeRef::Option(inner) => TypeRef::Option(Box::new(self.resolved(inner))),
            TypeRef::Vec(inner) => TypeRef::Vec(Box::new(self.resolved(inner))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.resolved(inner))),
            other => other.clone(),
        }
    }

    /// Whether a type is the named type called `name`.
    pub fn is_type(&self, ty: &TypeRef, name: &RustName) -> bool {
        matches!(ty, TypeRef::Named(id) if &self.def(id).name == name)
    }

    /// Whether a type (through aliases) is an untagged union.
    pub fn is_union(&self, ty: &TypeRef) -> bool {
        matches!(self.resolved(ty), TypeRef::Named(id) if matches!(self.def(&id).kind, TypeKind::Union(_)))
    }

    /// Whether a type (through aliases) is a string enum.
    pub fn is_enum(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => match &self.def(id).kind {
                TypeKind::Enum(_) => true,
                TypeKind::Alias(target) => self.is_enum(target),
                _ => false,
            },
            _ => false,
        }
    }
}

/// A reference to a value for the wire traits: JSON text goes whole, whatever its shape.
fn wire_value(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty.without_option() {
        TypeRef::Prim(Prim::Json) => quote!(&crate::wire::JsonText(&#value)),
        _ => quote!(&#value),
    }
}

/// An identifier from a decided name.
pub(crate) fn ident(name: &RustName) -> Ident {
    Ident::new(name.as_str(), Span::call_site())
}

/// `1 call`, `2 calls`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
