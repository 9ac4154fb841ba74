//! How calls, setters and constructors take values: the argument's type, and how it becomes
//! the value stored. Strings, bytes, dates, enums and unions are taken as `impl Into<…>` (an
//! enum from its wire text too, a union from the value of a variant), JSON values as any
//! `Serialize` value, lists (when taken whole) as any iterable of what their items are taken
//! as, the rest as the type itself. A constructor (`Type::new`) takes the fields that must be
//! given the same way, except JSON values and lists, which it takes as they are (it has no
//! call to report a value that does not serialise to). The doc examples ask [`is_into`] how
//! to write a value, so they pass `"text"` where `impl Into<String>` is taken.

use super::Cx;
use crate::ir::{Prim, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Makes the stored value from the argument.
type Conversion<'a> = Box<dyn Fn(&Ident) -> TokenStream + 'a>;

/// How one value is taken.
pub(super) struct Taken<'a> {
    /// The argument's type.
    pub ty: TokenStream,
    /// From the argument to the stored value; `None` when the argument is the value.
    convert: Option<Conversion<'a>>,
}

impl Taken<'_> {
    /// The stored value of the argument `arg`.
    pub fn value(&self, arg: &Ident) -> TokenStream {
        match &self.convert {
            Some(convert) => convert(arg),
            None => quote!(#arg),
        }
    }

    /// Whether the argument is stored as it is.
    pub fn is_identity(&self) -> bool {
        self.convert.is_none()
    }
}

/// Whether a value of type `ty` is taken as `impl Into<…>`.
pub(super) fn is_into(cx: &Cx<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Prim(Prim::String | Prim::Bytes | Prim::Timestamp) => true,
        TypeRef::Named(_) => cx.is_enum(ty) || cx.is_union(ty),
        _ => false,
    }
}

/// `impl Into<T>`, converted with `.into()`.
fn into<'a>(rust: TokenStream) -> Taken<'a> {
    Taken { ty: quote!(impl Into<#rust>), convert: Some(Box::new(|v: &Ident| quote!(#v.into()))) }
}

/// A field a constructor requires: boxed as `Box<T>`, else as [`one`] takes it but JSON
/// values, which it takes as they are.
pub(super) fn constructor_field<'a>(cx: &Cx<'a>, ty: &TypeRef, boxed: bool) -> Taken<'a> {
    let rust = cx.rust_type(ty);
    match ty {
        _ if boxed => Taken { ty: quote!(Box<#rust>), convert: None },
        _ if is_into(cx, ty) => into(rust),
        _ => Taken { ty: rust, convert: None },
    }
}

/// A value of type `ty`, as a setter takes it (a list's setter takes one item). `wire` names
/// it in errors; `options` is where a value that does not serialise is recorded.
pub(super) fn one<'a>(cx: &Cx<'a>, ty: &TypeRef, wire: &str, options: TokenStream) -> Taken<'a> {
    let rust = cx.rust_type(ty);
    match ty {
        _ if is_into(cx, ty) => into(rust),
        TypeRef::Any | TypeRef::Prim(Prim::Json) => {
            let wire = wire.to_owned();
            Taken {
                ty: quote!(impl ::serde::Serialize),
                convert: Some(Box::new(move |v: &Ident| quote!(#options.json_value(#wire, #v)))),
            }
        }
        _ => Taken { ty: rust, convert: None },
    }
}

/// A whole value of type `ty` (a required argument, a parameter's setter): a list as any
/// iterable of what its items are taken as, the rest as [`one`].
pub(super) fn whole<'a>(cx: &Cx<'a>, ty: &TypeRef, wire: &str, options: TokenStream) -> Taken<'a> {
    let TypeRef::Vec(item) = ty else { return one(cx, ty, wire, options) };
    let item = one(cx, item, wire, options);
    let item_type = &item.ty;
    let list = if item.is_identity() {
        Box::new(|v: &Ident| quote!(#v.into_iter().collect())) as Conversion<'a>
    } else {
        let converted = item.value(&format_ident!("item"));
        Box::new(move |v: &Ident| quote!(#v.into_iter().map(|item| #converted).collect()))
    };
    Taken { ty: quote!(impl IntoIterator<Item = #item_type>), convert: Some(list) }
}

/// Whether a value of this type is taken as any `Serialize` value (and may record a problem
/// in the call's options).
pub(super) fn is_json(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Any | TypeRef::Prim(Prim::Json) => true,
        TypeRef::Vec(item) => is_json(item),
        _ => false,
    }
}
