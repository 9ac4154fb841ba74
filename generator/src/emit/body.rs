//! The body part of a request builder: how the call takes its body.
//!
//! A body given whole (a list, raw bytes, or an optional object with required fields) is a
//! method argument or a `body` setter. An object body is filled in field by field: its required
//! fields are arguments of the call (so a call cannot lack one), every other field has a setter
//! on the builder (a list's setter adds one item), a family has a setter that adds one member,
//! and `body` still replaces the whole body.

use super::arguments::{self, is_json};
use super::{docs, ident, Cx};
use crate::ir::{BodySetter, Operation, SetterTarget, Struct, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// How a call takes its body.
pub(super) struct BodyParts {
    /// Arguments of the `Client` method.
    pub args: Vec<TokenStream>,
    /// Statements of the method, before the builder is made.
    pub prepare: TokenStream,
    /// Whether `prepare` records problems in the local `options` (a JSON argument).
    pub uses_options: bool,
    /// The builder's `body` field initialiser.
    pub init: TokenStream,
    /// Lines of the method's "Arguments" docs.
    pub arg_docs: Vec<String>,
    /// The setters.
    pub setters: Vec<TokenStream>,
}

pub(super) fn parts(cx: &Cx<'_>, op: &Operation) -> Option<BodyParts> {
    let body = op.body.as_ref()?;
    let ty = cx.rust_type(&body.ty);
    let media = docs::code(&body.media_type);
    if body.setters.is_empty() {
        let by_setter = arguments::one(cx, &body.ty, "body", quote!(self.options));
        let arg = &by_setter.ty;
        let converted = by_setter.value(&format_ident!("value"));
        let replace = quote! {
            /// Sets the request body.
            #[inline]
            pub fn body(mut self, value: #arg) -> Self {
                self.op.body = Some(#converted);
                self
            }
        };
        return Some(if body.required {
            let in_method = arguments::one(cx, &body.ty, "body", quote!(options));
            let prepare = (!in_method.is_identity()).then(|| {
                let converted = in_method.value(&format_ident!("body"));
                quote!(let body = #converted;)
            });
            BodyParts {
                args: vec![quote!(body: #arg)],
                prepare: quote!(#prepare),
                uses_options: is_json(&body.ty),
                init: quote!(body),
                arg_docs: vec![format!("- `body`: {}, sent as {media}.", cx.doc_link(&body.ty))],
                setters: Vec::new(),
            }
        } else {
            BodyParts {
                args: Vec::new(),
                prepare: quote!(),
                uses_options: false,
                init: quote!(body: None),
                arg_docs: Vec::new(),
                setters: vec![replace],
            }
        });
    }
    let s = crate::ir::struct_of(&cx.api.types, &body.ty).expect("setters are made for object bodies");
    let field_of = |setter: &BodySetter| match &setter.target {
        SetterTarget::Field(wire) => s.fields.iter().find(|f| &f.wire == wire),
        SetterTarget::Family(_) => None,
    };
    // Required fields: arguments, in the order of the struct (which is the order of `new`).
    let mut args = Vec::new();
    let mut values = Vec::new();
    let mut arg_docs = Vec::new();
    let mut uses_options = false;
    for setter in body.setters.iter().filter(|s| s.argument) {
        let field = field_of(setter).expect("an argument is a field");
        uses_options |= is_json(&field.ty);
        let n = ident(&setter.name);
        let taken = arguments::whole(cx, &field.ty, &field.wire, quote!(options));
        let arg = &taken.ty;
        args.push(quote!(#n: #arg));
        let value = taken.value(&n);
        values.push(if field.boxed { quote!(Box::new(#value)) } else { value });
        let about = field.docs.description.as_deref().map(super::operations::first_line).unwrap_or_default();
        arg_docs.push(format!("- `{}`: body field {}. {about}", setter.name, docs::code(&field.wire)));
    }
    let required_body = body.required;
    let new = if values.is_empty() { quote!(<#ty as Default>::default()) } else { quote!(#ty::new(#(#values),*)) };
    let (prepare, init) =
        if required_body { (quote!(let body = #new;), quote!(body)) } else { (quote!(), quote!(body: None)) };
    let target =
        if required_body { quote!(self.op.body) } else { quote!(self.op.body.get_or_insert_with(Default::default)) };
    let mut setters: Vec<TokenStream> =
        body.setters.iter().filter(|s| !s.argument).map(|setter| setter_fn(cx, s, setter, &target)).collect();
    let stored = if required_body { quote!(value) } else { quote!(Some(value)) };
    setters.push(quote! {
        /// Replaces the whole request body, for a body built beforehand.
        #[inline]
        pub fn body(mut self, value: #ty) -> Self {
            self.op.body = #stored;
            self
        }
    });
    Some(BodyParts { args, prepare, uses_options, init, arg_docs, setters })
}

/// One setter: a field's value (a list's next item), or a family's next member.
fn setter_fn(cx: &Cx<'_>, s: &Struct, setter: &BodySetter, target: &TokenStream) -> TokenStream {
    let name = ident(&setter.name);
    let value = format_ident!("value");
    match &setter.target {
        SetterTarget::Field(wire) => {
            let field = s.fields.iter().find(|f| &f.wire == wire).expect("a setter sets a field");
            let member = ident(&field.name);
            let about = docs::spec(field.docs.description.as_deref());
            match &field.ty {
                TypeRef::Vec(item) => {
                    let by_setter = arguments::one(cx, item, wire, quote!(self.options));
                    let arg = &by_setter.ty;
                    let converted = by_setter.value(&value);
                    let head = format!("Adds one item to the body field {}; call it again for more.", docs::code(wire));
                    let doc = docs::outer(&[docs::ours(&head), about]);
                    let list = if field.is_option() {
                        quote!(#target.#member.get_or_insert_with(Vec::new))
                    } else {
                        quote!(#target.#member)
                    };
                    quote! {
                        #doc
                        #[inline]
                        pub fn #name(mut self, value: #arg) -> Self {
                            #list.push(#converted);
                            self
                        }
                    }
                }
                ty => {
                    let by_setter = arguments::one(cx, ty, wire, quote!(self.options));
                    let arg = &by_setter.ty;
                    let converted = by_setter.value(&value);
                    let converted = if field.boxed { quote!(Box::new(#converted)) } else { converted };
                    let head = format!("Sets the body field {}.", docs::code(wire));
                    let doc = docs::outer(&[docs::ours(&head), about]);
                    let stored = if field.is_option() { quote!(Some(#converted)) } else { converted };
                    quote! {
                        #doc
                        #[inline]
                        pub fn #name(mut self, value: #arg) -> Self {
                            #target.#member = #stored;
                            self
                        }
                    }
                }
            }
        }
        SetterTarget::Family(prefix) => {
            let family = s.families.iter().find(|f| &f.prefix == prefix).expect("a setter adds to a family");
            let member = ident(&family.name);
            let doc = format!(
                " Adds one member of the {} family: it is sent as {}, `name` being what follows the prefix.",
                docs::code(&format!("{prefix}<name>")),
                docs::code(&format!("{prefix}name"))
            );
            let (arg, converted) = if family.json {
                let what = format!("{prefix}<name>");
                (quote!(impl ::serde::Serialize), quote!(self.options.json_value(#what, value)))
            } else {
                (quote!(impl Into<String>), quote!(value.into()))
            };
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #name(
                    mut self,
                    name: impl Into<String>,
                    value: #arg,
                ) -> Self {
                    #target.#member.push((name.into(), #converted));
                    self
                }
            }
        }
    }
}
