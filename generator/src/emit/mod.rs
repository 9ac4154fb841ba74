//! IR → Rust token streams, one per output file. Emitters read only the IR.
//!
//! Layout of the generated crate (every path below is relative to `src/`):
//! - `lib.rs`, `region.rs`: the crate root and the spec's servers;
//! - `types/<type>.rs`: one named type per file, re-exported from `types/mod.rs`;
//! - `apis/<tag>.rs`: one module per tag with its calls and their request builders.
//!
//! The runtime files (`client.rs`, `error.rs`, `http.rs`, `wire.rs`) are not emitted: they are
//! copied from `generator/runtime/` by [`crate::render`].

mod crate_root;
pub mod docs;
mod operations;
mod types;

use crate::error::Error;
use crate::ir::{Api, BodyEncoding, Prim, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::RustName;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Rust files to render: path under `src/` → tokens.
pub type RustFiles = BTreeMap<String, TokenStream>;

/// Emits every Rust file.
pub fn emit(api: &Api) -> Result<RustFiles, Error> {
    let cx = Cx::new(api);
    let mut files = RustFiles::new();
    let mut add = |path: String, tokens: TokenStream| match files.insert(path.clone(), tokens) {
        None => Ok(()),
        Some(_) => Err(Error::Emit { file: path, message: "two items map to the same file".to_owned() }),
    };
    for (id, def) in &api.types {
        add(format!("types/{}.rs", cx.type_module(def)), types::type_file(&cx, id, def))?;
    }
    for (module, tag) in &api.tags {
        let ops: Vec<_> = api.operations.iter().filter(|op| &op.tag == module).collect();
        add(format!("apis/{module}.rs"), operations::tag_file(&cx, tag, &ops))?;
    }
    add("types/mod.rs".to_owned(), crate_root::types_mod(&cx))?;
    add("apis/mod.rs".to_owned(), crate_root::apis_mod(api))?;
    add("region.rs".to_owned(), crate_root::region(api))?;
    add("lib.rs".to_owned(), crate_root::lib_rs())?;
    Ok(files)
}

/// What the emitters share: the IR and facts derived from it once.
pub(crate) struct Cx<'a> {
    pub api: &'a Api,
    /// Types that contain a file upload, directly or not. They cannot derive serde.
    pub with_files: BTreeSet<&'a TypeId>,
    /// Types sent as a form or multipart body.
    pub form_bodies: BTreeSet<&'a TypeId>,
    /// Types that appear as a parameter or as a form field, and so need `WireValue`.
    pub wire_values: BTreeSet<&'a TypeId>,
}

impl<'a> Cx<'a> {
    fn new(api: &'a Api) -> Cx<'a> {
        let mut with_files: BTreeSet<&TypeId> = BTreeSet::new();
        loop {
            let before = with_files.len();
            for (id, def) in &api.types {
                if references(def).iter().any(|r| has_file(r, &with_files)) {
                    with_files.insert(id);
                }
            }
            if with_files.len() == before {
                break;
            }
        }
        let mut form_bodies = BTreeSet::new();
        let mut wire_values = BTreeSet::new();
        for op in &api.operations {
            for param in &op.params {
                named_in(&param.ty, &mut wire_values);
            }
            if let Some(body) = &op.body {
                if body.encoding != BodyEncoding::Json {
                    if let TypeRef::Named(id) = &body.ty {
                        form_bodies.insert(id);
                        for r in references(&api.types[id]) {
                            named_in(r, &mut wire_values);
                        }
                    }
                }
            }
        }
        Cx { api, with_files, form_bodies, wire_values }
    }

    pub fn def(&self, id: &TypeId) -> &'a TypeDef {
        &self.api.types[id]
    }

    /// The file (and private module) name of a type.
    pub fn type_module(&self, def: &TypeDef) -> String {
        crate::naming::snake_or(def.name.as_str(), "ty").to_string()
    }

    /// The Rust type for a type reference, with absolute paths so no generated name can shadow
    /// a std one.
    pub fn rust_type(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Named(id) => {
                let name = ident(&self.def(id).name);
                quote!(crate::types::#name)
            }
            TypeRef::Prim(Prim::String) => quote!(::std::string::String),
            TypeRef::Prim(Prim::Bool) => quote!(bool),
            TypeRef::Prim(Prim::I32) => quote!(i32),
            TypeRef::Prim(Prim::I64) => quote!(i64),
            TypeRef::Prim(Prim::F64) => quote!(f64),
            TypeRef::Prim(Prim::File) => quote!(crate::File),
            TypeRef::Option(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::option::Option<#inner>)
            }
            TypeRef::Vec(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            TypeRef::Any => quote!(::serde_json::Value),
            TypeRef::Unit => quote!(()),
        }
    }

    /// A link to a type for docs, such as ``[`Domain`](crate::types::Domain)``.
    pub fn doc_link(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => {
                let name = &self.def(id).name;
                format!("[`{name}`](crate::types::{name})")
            }
            TypeRef::Option(inner) => format!("optional {}", self.doc_link(inner)),
            TypeRef::Vec(inner) => format!("list of {}", self.doc_link(inner)),
            TypeRef::Map(inner) => format!("map of {}", self.doc_link(inner)),
            TypeRef::Prim(_) => format!("`{ty}`"),
            TypeRef::Any => "any JSON".to_owned(),
            TypeRef::Unit => "no body".to_owned(),
        }
    }
}

/// The type references a definition holds.
fn references(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref()).collect(),
        TypeKind::Union(variants) => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn has_file(ty: &TypeRef, with_files: &BTreeSet<&TypeId>) -> bool {
    match ty {
        TypeRef::Prim(Prim::File) => true,
        TypeRef::Named(id) => with_files.contains(id),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => has_file(inner, with_files),
        _ => false,
    }
}

fn named_in<'a>(ty: &'a TypeRef, out: &mut BTreeSet<&'a TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            out.insert(id);
        }
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

/// An identifier from a sanitised name.
pub(crate) fn ident(name: &RustName) -> Ident {
    Ident::new(name.as_str(), Span::call_site())
}
