//! One file per named type.

use super::{docs, ident, Cx};
use crate::ir::{Field, Prim, Struct, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant, Variant};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The contents of `types/<type>.rs`.
pub fn type_file(cx: &Cx<'_>, id: &TypeId, def: &TypeDef) -> TokenStream {
    let origin = match &def.component {
        Some(component) => format!("Schema `{component}`."),
        None => format!("Defined inline at `{}`.", id.0),
    };
    let doc = docs::outer(&[docs::spec(def.docs.as_deref()), docs::ours(&origin)]);
    let name = ident(&def.name);
    let serde = !cx.with_files.contains(id);
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_def(cx, id, def, s, serde),
        TypeKind::Enum(variants) => enum_def(def, variants),
        TypeKind::Union(variants) => union_def(cx, id, def, variants),
        TypeKind::Alias(ty) => {
            let ty = cx.rust_type(ty);
            quote!(pub type #name = #ty;)
        }
    };
    quote! {
        #doc
        #body
    }
}

fn field_type(cx: &Cx<'_>, field: &Field) -> TokenStream {
    if !field.boxed {
        return cx.rust_type(&field.ty);
    }
    match &field.ty {
        TypeRef::Option(inner) => {
            let inner = cx.rust_type(inner);
            quote!(::std::option::Option<::std::boxed::Box<#inner>>)
        }
        other => {
            let inner = cx.rust_type(other);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

fn struct_def(cx: &Cx<'_>, id: &TypeId, def: &TypeDef, s: &Struct, serde: bool) -> TokenStream {
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = field_type(cx, field);
        let deprecated = field.deprecated.then_some("Deprecated in the API.");
        // Every public item has docs; the wire name is the least a field can say.
        let fallback = format!("`{}`.", field.wire);
        let doc =
            docs::outer(&[docs::spec(field.docs.as_deref().or(Some(&fallback))), deprecated.and_then(docs::ours)]);
        let mut serde_args = Vec::new();
        if field.name.as_str() != field.wire {
            let wire = &field.wire;
            serde_args.push(quote!(rename = #wire));
        }
        if !field.required {
            serde_args.push(quote!(default, skip_serializing_if = "::std::option::Option::is_none"));
        }
        let attr = (serde && !serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
        quote! {
            #doc
            #attr
            pub #field_name: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|value| {
        let value = cx.rust_type(value);
        let attr = serde.then(|| quote!(#[serde(flatten)]));
        quote! {
            /// Properties the spec does not list, by name.
            #attr
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let mut derives = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if required.is_empty() {
        derives.push(quote!(Default));
    }
    if serde {
        derives.push(quote!(::serde::Serialize));
        derives.push(quote!(::serde::Deserialize));
    }
    let constructor = (!required.is_empty()).then(|| {
        let args = required.iter().map(|f| {
            let n = ident(&f.name);
            match (&f.ty, f.boxed) {
                (TypeRef::Prim(Prim::String), false) => quote!(#n: impl ::std::convert::Into<::std::string::String>),
                _ => {
                    let ty = field_type(cx, f);
                    quote!(#n: #ty)
                }
            }
        });
        let inits = s.fields.iter().map(|f| {
            let n = ident(&f.name);
            match (f.required, &f.ty, f.boxed) {
                (true, TypeRef::Prim(Prim::String), false) => quote!(#n: #n.into()),
                (true, _, _) => quote!(#n),
                (false, _, _) => quote!(#n: ::std::option::Option::None),
            }
        });
        let additional_init =
            s.additional.as_ref().map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
        quote! {
            impl #name {
                /// Creates a value from its required fields; the optional ones start empty.
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* #additional_init }
                }
            }
        }
    });
    let form_body = cx.form_bodies.contains(id).then(|| {
        let adds = s.fields.iter().map(|f| {
            let wire = &f.wire;
            let n = ident(&f.name);
            quote!(fields.add(#wire, &self.#n);)
        });
        let additional = s.additional.as_ref().map(|_| {
            quote! {
                for (name, value) in &self.additional_properties {
                    fields.add(name, value);
                }
            }
        });
        quote! {
            impl crate::wire::FormBody for #name {
                fn fields(&self, fields: &mut crate::wire::Fields) {
                    #(#adds)*
                    #additional
                }
            }
        }
    });
    let wire_value = (serde && cx.wire_values.contains(id)).then(|| json_wire_value(&name));
    quote! {
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #constructor
        #form_body
        #wire_value
    }
}

/// Objects and unions are sent as JSON text when used as a parameter or form field.
fn json_wire_value(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl crate::wire::WireValue for #name {
            fn append(&self, name: &str, fields: &mut crate::wire::Fields) {
                fields.json(name, self);
            }
        }
    }
}

fn enum_def(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let name = ident(&def.name);
    let decls = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let summary = format!("`{}`", v.wire);
        let doc = docs::outer(&[docs::ours(&summary), docs::spec(v.docs.as_deref())]);
        quote! { #doc #variant, }
    });
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let names: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let unknown = format_ident!("Unknown");
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A value this version of the crate does not know. Match on
            /// [`as_str`](Self::as_str) rather than on this variant: a later version may give
            /// the value its own variant.
            #unknown(::std::string::String),
        }

        impl #name {
            /// Every value the spec lists.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#names,)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }

        impl crate::wire::WireValue for #name {
            fn append(&self, name: &str, fields: &mut crate::wire::Fields) {
                fields.text(name, self.as_str());
            }
        }
    }
}

fn union_def(cx: &Cx<'_>, id: &TypeId, def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
    let name = ident(&def.name);
    let decls = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = cx.rust_type(&v.ty);
        let doc = format!(" {}.", cx.doc_link(&v.ty));
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let wire_value = cx.wire_values.contains(id).then(|| json_wire_value(&name));
    quote! {
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#decls)*
        }
        #wire_value
    }
}
