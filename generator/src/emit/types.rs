//! One file per named type.

use super::{docs, ident, Cx};
use crate::ir::{Field, FieldRepr, Origin, Prim, Struct, TypeDef, TypeKind, TypeRef, UnionVariant, Use, Variant};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The contents of `types/<type>.rs`.
pub fn type_file(cx: &Cx<'_>, def: &TypeDef) -> TokenStream {
    let doc = type_docs(cx, def);
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_def(cx, def, s),
        TypeKind::Enum(variants) => enum_def(def, variants),
        TypeKind::Union(variants) => union_def(cx, def, variants),
        TypeKind::Alias(ty) => {
            let ty = cx.rust_type(ty);
            quote!(pub type #name = #ty;)
        }
        TypeKind::Newtype(ty) => newtype_def(cx, def, ty),
    };
    let read = def.reach.is_read().then(|| read_impls(def)).flatten();
    quote! {
        #doc
        #body
        #read
    }
}

/// How a type read from answers reads: its `Tolerant` reading (see the runtime's `tolerant`),
/// small code over the runtime's generic parts rather than serde's derived visitors, and a
/// `Deserialize` that goes through it.
fn read_impls(def: &TypeDef) -> Option<TokenStream> {
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct(_) => quote!(crate::tolerant::object(deserializer, log)),
        TypeKind::Union(variants) => {
            let tries = variants.iter().map(|v| {
                let variant = ident(&v.name);
                quote!(choice.variant(Self::#variant);)
            });
            quote! {
                crate::tolerant::union(deserializer, log, |choice| {
                    #(#tries)*
                })
            }
        }
        TypeKind::Enum(_) => quote!(crate::tolerant::text_enum(deserializer, log, Self::VALUES)),
        TypeKind::Newtype(_) => {
            quote!(Ok(crate::tolerant::Tolerant::read(deserializer, log)?.map(Self)))
        }
        // An alias is the type it names, which has its own.
        TypeKind::Alias(_) => return None,
    };
    let members = match &def.kind {
        TypeKind::Struct(s) => Some(read_members(&name, s)),
        _ => None,
    };
    // Enums and newtypes have their own `Deserialize`.
    let deserialize = matches!(def.kind, TypeKind::Struct(_) | TypeKind::Union(_)).then(|| {
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::tolerant::deserialize(deserializer)
                }
            }
        }
    });
    Some(quote! {
        impl crate::tolerant::Tolerant for #name {
            fn read<'de, D: ::serde::Deserializer<'de>>(deserializer: D, log: &mut crate::tolerant::Log) -> crate::tolerant::Read<Self, D::Error> {
                #body
            }
        }
        #members
        #deserialize
    })
}

/// Where a struct's members go: each straight into its field of a value that starts as the
/// type's default (see [`FieldRepr`]); a member no field takes is one of the additional
/// properties, or kept as a member the spec does not list. The runtime's loop over the members
/// calls it, then notes the required members that did not come (`REQUIRED`, flagged by the
/// arms in `present`) and keeps the rest in the undocumented field (`keep`).
///
/// One match arm a field, with no `?` and no loop of its own: this is most of the text of a
/// large document's types, which is what codegen formats, and of the crate's check.
fn read_members(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let kept = s.undocumented.as_ref().map(ident);
    let kept = kept.expect("naming gives every struct read from answers its undocumented field");
    // The required members' wire names, in field order: a name's index is its flag in `present`.
    let mut required: Vec<&str> = Vec::new();
    let arms: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|field| {
            let (name, wire) = (ident(&field.name), &field.wire);
            let read = match (field.repr, field.nullable) {
                (FieldRepr::Option, false) => quote!(option),
                (FieldRepr::Option, true) => quote!(nullable),
                (FieldRepr::Defaulted, false) => quote!(or_default),
                (FieldRepr::Defaulted, true) => quote!(nullable_or_default),
                // Types read from answers hold no plain values (see `normalise::graph::field_reprs`).
                (FieldRepr::Plain, _) => unreachable!("a type read from answers has no plain field"),
            };
            let read = quote!(crate::tolerant::#read(map, &mut self.#name, log));
            match field.required {
                true => {
                    let flag = proc_macro2::Literal::usize_unsuffixed(required.len());
                    required.push(wire);
                    quote!(#wire => { present[#flag] = true; #read })
                }
                false => quote!(#wire => #read,),
            }
        })
        .collect();
    let other = match &s.additional {
        Some(a) => {
            let rest = ident(&a.name);
            quote!(crate::tolerant::extra(&mut self.#rest, member, map, log))
        }
        None => quote!(crate::tolerant::unlisted(map, log)),
    };
    let read = match_member(quote!(member), arms, other);
    // Without required members, the flags are not looked at.
    let present = match required.is_empty() {
        true => quote!(_),
        false => quote!(present),
    };
    quote! {
        impl crate::tolerant::Members for #name {
            const REQUIRED: &'static [&'static str] = &[#(#required),*];

            #[inline]
            fn member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, member: &str, map: &mut A, #present: &mut [bool], log: &mut crate::tolerant::Log) -> Result<(), A::Error> {
                #read
            }

            fn keep(&mut self, undocumented: crate::Undocumented) {
                self.#kept = undocumented;
            }
        }
    }
}

/// The expression that reads the member named `name`: by the match arm of the field that takes
/// it, else by `other` (alone, for a struct without fields).
fn match_member(name: TokenStream, arms: Vec<TokenStream>, other: TokenStream) -> TokenStream {
    match arms.is_empty() {
        true => other,
        false => quote! {
            match #name {
                #(#arms)*
                _ => #other,
            }
        },
    }
}

/// The slot the test double's `from_json` reads a field (or the additional properties) into
/// before the value is built.
fn slot_of(field: &crate::rust_name::RustName) -> proc_macro2::Ident {
    format_ident!("slot_{}", field.as_str())
}

/// `Serialize` for a struct: each field by its wire name, then its additional properties.
///
/// A struct read from answers (`kept`: its undocumented field) writes, in a field's place, the
/// value the object kept as it came, and then the members the spec does not list; so an answer
/// written out is the answer that came. An optional field that is `None` is left out: it did
/// not come (a field the spec requires even as `null` is written as `null`). A type only ever
/// sent leaves out the optional fields that are `None`, and writes a required one as `null`.
fn write_members(name: &proc_macro2::Ident, s: &Struct, kept: Option<&crate::rust_name::RustName>) -> TokenStream {
    let writer = match kept {
        Some(kept) => {
            let kept = ident(kept);
            quote!(crate::drift::ObjectWriter::new(serializer, &self.#kept))
        }
        None => quote!(crate::drift::ObjectWriter::sent(serializer)),
    };
    let fields = s.fields.iter().map(|field| {
        let (member, wire) = (ident(&field.name), &field.wire);
        let always = match kept {
            Some(_) => !field.is_option() || (field.required && field.nullable),
            None => !field.is_option() || field.required,
        };
        match always {
            true => quote!(object.field(#wire, &self.#member);),
            false => quote!(object.optional(#wire, &self.#member);),
        }
    });
    let additional = s.additional.as_ref().map(|a| {
        let member = ident(&a.name);
        quote!(object.additional(&self.#member);)
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut object = #writer;
                #(#fields)*
                #additional
                object.end()
            }
        }
    }
}

/// A type's rustdoc: the schema's own text (or, without any, what kind of value it is and which
/// way it goes), where it comes from, and where it is used.
///
/// Every sentence is about the type alone, and its uses are a list, one line each: a call that
/// starts using the type adds a line to its file rather than rewording one, so an additive spec
/// change stays an additive code diff.
fn type_docs(cx: &Cx<'_>, def: &TypeDef) -> TokenStream {
    let lead = (def.title.is_none() && def.description.is_none()).then(|| lead_sentence(cx, def));
    let mut origin = match &def.origin {
        Origin::Component(component) => format!("Generated from the schema {}.", docs::code(component)),
        Origin::Inline { .. } => format!("Generated from the schema written in place at {}.", docs::code(&def.pointer)),
    };
    if !def.merged.is_empty() {
        origin.push_str("\nIt also stands for these schemas, which have the same structure:");
        for other in &def.merged_pointers {
            origin.push_str(&format!("\n- {}", docs::code(other)));
        }
    }
    // Error answers are many (one shared error body may answer a hundred calls) and are all
    // read the same way, so they are one line.
    let is_error = |place: &Use| match place {
        Use::Response { operation, status } => {
            cx.api.operations.get(operation).is_some_and(|op| op.is_error_answer(*status))
        }
        _ => false,
    };
    let mut places: Vec<String> =
        def.uses.iter().filter(|place| !is_error(place)).map(|place| use_place(cx, place)).collect();
    if def.uses.iter().any(is_error) {
        places.push("error answers of calls, read as [`ErrorBody`](crate::ErrorBody)".to_owned());
    }
    let uses = (!places.is_empty()).then(|| format!("Used in:\n- {}", places.join("\n- ")));
    docs::outer(&[
        lead.as_deref().and_then(docs::ours),
        docs::spec(def.title.as_deref()),
        docs::spec(def.description.as_deref()),
        docs::ours(&origin),
        uses.as_deref().and_then(docs::ours),
    ])
}

/// The first sentence of the docs of a type the document says nothing of: what kind of value
/// it is, and whether it is sent, answered or both. Read from the type alone (not from its
/// uses, which a spec change adds to), so it changes only when the type does.
fn lead_sentence(cx: &Cx<'_>, def: &TypeDef) -> String {
    let kind = match &def.kind {
        TypeKind::Struct(_) => "An object",
        TypeKind::Enum(_) => "A text value from a fixed list",
        TypeKind::Union(_) => "A value of one of several shapes",
        TypeKind::Newtype(_) => "A value of its own type",
        TypeKind::Alias(ty) => return format!("Another name for {}.", value_phrase(cx, ty, None)),
    };
    let way = match (def.reach.request, def.reach.response || def.reach.webhook) {
        (true, true) => " sent to the API and read from its answers",
        (true, false) => " sent to the API",
        (false, true) if def.reach.webhook && !def.reach.response => " of the webhooks the API posts",
        (false, true) => " read from the API's answers",
        (false, false) => "",
    };
    // "An object sent to the API", but "A text value from a fixed list, sent to the API".
    let comma = if way.is_empty() || matches!(def.kind, TypeKind::Struct(_)) { "" } else { "," };
    format!("{kind}{comma}{way}.")
}

/// One place a type is used, for its docs.
fn use_place(cx: &Cx<'_>, place: &Use) -> String {
    match place {
        Use::Response { operation, .. } => format!("the answer of {}", cx.method_link(operation)),
        Use::Body(operation) => format!("the request body of {}", cx.method_link(operation)),
        Use::Param { operation, name } => {
            format!("the {} parameter of {}", docs::code(name), cx.method_link(operation))
        }
        Use::Field { owner, name } => format!("the {} field of {}", docs::code(name), cx.type_link(owner)),
        Use::Element(owner) => format!("a value inside {}", cx.type_link(owner)),
    }
}

fn field_type(cx: &Cx<'_>, field: &Field) -> TokenStream {
    let inner = cx.rust_type(&field.ty);
    let inner = if field.boxed { quote!(Box<#inner>) } else { inner };
    if field.is_option() {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// A field's rustdoc: the spec's description, or what the generator knows of it.
fn field_docs(cx: &Cx<'_>, field: &Field) -> TokenStream {
    let d = &field.docs;
    let summary = match &d.description {
        Some(_) => None,
        None => {
            let unit = unit_of(&field.wire).map(|u| format!(", {u}")).unwrap_or_default();
            Some(format!("{}: {}{unit}.", docs::code(&field.wire), value_phrase(cx, &field.ty, d.format.as_deref())))
        }
    };
    let mut notes = Vec::new();
    if let Some(default) = &d.default {
        notes.push(format!("Defaults to {}.", docs::code(default)));
    }
    if d.read_only {
        notes.push("Set by the server; not sent in requests.".to_owned());
    }
    if d.deprecated {
        notes.push("Deprecated in the API.".to_owned());
    }
    let notes = notes.join(" ");
    docs::outer(&[
        summary.as_deref().and_then(docs::ours),
        docs::spec(d.description.as_deref()),
        (!notes.is_empty()).then_some(docs::Text::Ours(&notes)),
    ])
}

/// What a value is, in words: ``a `date-time` string``, ``a list of [`Tag`] values``.
fn value_phrase(cx: &Cx<'_>, ty: &TypeRef, format: Option<&str>) -> String {
    match ty {
        TypeRef::Prim(Prim::String) => match format {
            Some(format) => format!("a {} string", docs::code(format)),
            None => "a string".to_owned(),
        },
        TypeRef::Prim(Prim::I32 | Prim::I64) => match format {
            Some(format) => format!("an integer ({})", docs::code(format)),
            None => "an integer".to_owned(),
        },
        TypeRef::Prim(Prim::F64) => "a number".to_owned(),
        TypeRef::Prim(Prim::Bool) => "`true` or `false`".to_owned(),
        TypeRef::Prim(Prim::File) => "a file, sent as a multipart file part".to_owned(),
        TypeRef::Prim(Prim::Bytes) => "raw bytes".to_owned(),
        TypeRef::Prim(Prim::Json) => "any JSON value, sent as JSON text".to_owned(),
        TypeRef::Prim(Prim::Timestamp) => "a [`Timestamp`](crate::Timestamp)".to_owned(),
        TypeRef::Named(id) if cx.is_enum(ty) => match enum_values(cx, id) {
            Some(values) if values.len() <= 6 => {
                let listed: Vec<String> = values.iter().map(|v| docs::code(v)).collect();
                format!("one of {} (a {})", listed.join(", "), cx.type_link(id))
            }
            _ => format!("one of the {} values", cx.type_link(id)),
        },
        TypeRef::Named(id) => {
            let vowel = cx.def(id).name.as_str().starts_with(['A', 'E', 'I', 'O', 'U']);
            format!("{} {}", if vowel { "an" } else { "a" }, cx.type_link(id))
        }
        TypeRef::Option(inner) => format!("{}, or `null`", value_phrase(cx, inner, format)),
        TypeRef::Vec(inner) => format!("a list, each item {}", value_phrase(cx, inner, format)),
        TypeRef::Map(inner) => format!("a map from names to values, each {}", value_phrase(cx, inner, format)),
        TypeRef::Any | TypeRef::Unit => "any JSON value".to_owned(),
    }
}

/// The values of a string enum, through aliases.
fn enum_values<'a>(cx: &Cx<'a>, id: &crate::ir::TypeId) -> Option<Vec<&'a str>> {
    match &cx.def(id).kind {
        TypeKind::Enum(variants) => Some(variants.iter().map(|v| v.wire.as_str()).collect()),
        TypeKind::Alias(TypeRef::Named(target)) => enum_values(cx, target),
        _ => None,
    }
}

/// The unit a field's name says its value is in (`timeout_ms`, `created_at`), if any.
fn unit_of(wire: &str) -> Option<&'static str> {
    let words = crate::words::split(wire);
    Some(match words.last()?.as_str() {
        "ms" | "millis" | "milliseconds" => "in milliseconds",
        "s" | "sec" | "secs" | "seconds" => "in seconds",
        "minutes" | "mins" => "in minutes",
        "hours" => "in hours",
        "days" => "in days",
        "bytes" => "in bytes",
        "at" | "date" | "time" | "timestamp" | "since" | "until" => "a point in time",
        _ => return None,
    })
}

fn struct_def(cx: &Cx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let sent = def.reach.is_sent();
    // A type sent, and a type read from answers that keeps what its fields cannot, writes
    // itself out (`write_members`); a type only ever sent is read back by the test double
    // (`from_json`): small functions over the runtime's parts, where serde's derives were a
    // seventh of the crate's check. Any other type derives `Serialize`, with attributes.
    let derived = s.undocumented.is_none() && !sent;
    let fields = s.fields.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = field_type(cx, field);
        let doc = field_docs(cx, field);
        let mut serde_args = Vec::new();
        if field.name.as_str() != field.wire {
            let wire = &field.wire;
            serde_args.push(quote!(rename = #wire));
        }
        if field.is_option() && !field.required {
            serde_args.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
        }
        let attr = (derived && !serde_args.is_empty()).then(|| serde_attr(sent, quote!(#(#serde_args),*)));
        quote! {
            #doc
            #attr
            pub #field_name: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|a| {
        let n = ident(&a.name);
        let value = cx.rust_type(&a.ty);
        let flatten = derived.then(|| serde_attr(sent, quote!(flatten)));
        quote! {
            /// Properties the spec does not list, by name.
            #flatten
            pub #n: ::std::collections::BTreeMap<String, #value>,
        }
    });
    let families: Vec<TokenStream> = s
        .families
        .iter()
        .map(|family| {
            let n = ident(&family.name);
            let value = if family.json { quote!(::serde_json::Value) } else { quote!(String) };
            let doc = format!(
                " The {} fields, as (name, value) pairs in the order they are sent: {} for each pair{}. \
                 Not part of this type's JSON form.",
                docs::code(&format!("{}<name>", family.prefix)),
                docs::code(&format!("{}name", family.prefix)),
                if family.json { ", the value as JSON text" } else { "" },
            );
            let skip = derived.then(|| serde_attr(sent, quote!(skip)));
            quote! {
                #[doc = #doc]
                #skip
                pub #n: Vec<(String, #value)>,
            }
        })
        .collect();
    let kept = s.undocumented.as_ref().map(|kept| {
        let kept = ident(kept);
        quote! {
            /// What the answer held that the other fields cannot: see [`undocumented`](Self::undocumented).
            #kept: crate::Undocumented,
        }
    });
    let accessor = s.undocumented.as_ref().map(|kept| {
        let kept = ident(kept);
        quote! {
            /// What the answer held that this type's fields cannot, as it came: the members
            /// the API document does not list, and values of another type than it says
            /// (see [`crate::drift`]). Empty when the answer was as documented.
            #[inline]
            pub fn undocumented(&self) -> &crate::Undocumented {
                &self.#kept
            }
        }
    });
    let mut derives = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if s.has_default() {
        derives.push(quote!(Default));
    }
    let (serialize_later, write) = match (s.undocumented.as_ref(), sent) {
        (kept, true) => (None, Some(write_members(&name, s, kept))),
        (None, false) => (serialize_derive(false).1, None),
        (Some(kept), false) => {
            let feature = crate::ir::SERIALIZE_ANSWERS;
            let write = write_members(&name, s, Some(kept));
            (None, Some(quote!(#[cfg(feature = #feature)] #write)))
        }
    };
    let read_back = super::mock::needs_deserialize(def).then(|| from_json(&name, s));
    // Types sent in requests get a constructor from the fields that must be given; types only
    // ever received are built by decoding (or from `Default`).
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.must_be_given()).collect();
    let constructor = (def.reach.request && !required.is_empty()).then(|| {
        let args = required.iter().map(|f| {
            let n = ident(&f.name);
            let ty = super::arguments::constructor_field(cx, &f.ty, f.boxed).ty;
            quote!(#n: #ty)
        });
        let inits = s.fields.iter().map(|f| {
            let n = ident(&f.name);
            let taken = super::arguments::constructor_field(cx, &f.ty, f.boxed);
            let converted = !taken.is_identity();
            let value = taken.value(&n);
            match (f.must_be_given(), f.is_option()) {
                (true, false) if !converted => quote!(#n),
                (true, false) => quote!(#n: #value),
                (true, true) => quote!(#n: Some(#value)),
                (false, true) => quote!(#n: None),
                (false, false) => quote!(#n: Default::default()),
            }
        });
        let additional_init = s.additional.as_ref().map(|a| {
            let n = ident(&a.name);
            quote!(#n: ::std::collections::BTreeMap::new(),)
        });
        let family_inits = s.families.iter().map(|f| {
            let n = ident(&f.name);
            quote!(#n: Vec::new(),)
        });
        let kept_init = s.undocumented.as_ref().map(|kept| {
            let kept = ident(kept);
            quote!(#kept: Default::default(),)
        });
        let many =
            (required.len() > super::operations::MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            /// Creates a value from the fields that must be given; the others start empty.
            #many
            #[inline]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #additional_init #(#family_inits)* #kept_init }
            }
        }
    });
    let methods = (constructor.is_some() || accessor.is_some()).then(|| {
        quote! {
            impl #name {
                #constructor
                #accessor
            }
        }
    });
    let form_body = def.reach.form_body.then(|| {
        let adds = s.fields.iter().map(|f| {
            let wire = &f.wire;
            let n = ident(&f.name);
            let value = super::wire_value(&f.ty, quote!(self.#n));
            quote!(fields.add(#wire, #value);)
        });
        let additional = s.additional.as_ref().map(|a| {
            let n = ident(&a.name);
            quote! {
                for (name, value) in &self.#n {
                    fields.add(name.clone(), value);
                }
            }
        });
        let family_adds = s.families.iter().map(|f| {
            let n = ident(&f.name);
            let prefix = &f.prefix;
            let value = if f.json { quote!(&crate::wire::JsonText(value)) } else { quote!(value) };
            quote! {
                for (name, value) in &self.#n {
                    fields.add(::std::format!("{}{}", #prefix, name), #value);
                }
            }
        });
        quote! {
            impl crate::wire::FormBody for #name {
                #[inline]
                fn fields(&self, fields: &mut crate::wire::Fields) {
                    #(#adds)*
                    #additional
                    #(#family_adds)*
                }
            }
        }
    });
    let from_form = def.reach.form_body.then(|| from_form(&name, s));
    let wire_value = def.reach.wire_value.then(|| json_wire_value(&name));
    quote! {
        #[derive(#(#derives),*)]
        #serialize_later
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
            #(#families)*
            #kept
        }
        #methods
        #write
        #read_back
        #form_body
        #from_form
        #wire_value
    }
}

/// How the test double reads a form body back: each field as `FormBody::fields` sends it.
fn from_form(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let feature = crate::ir::MOCK;
    let reads = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let wire = &f.wire;
        let read = match &f.ty {
            TypeRef::Vec(item) => {
                let read = super::mock::value_read(item);
                match f.is_option() {
                    true => super::mock::passed(quote!(form.optional_list(#wire, #read))),
                    false => super::mock::passed(quote!(form.list(#wire, #read))),
                }
            }
            ty => {
                let read = super::mock::value_read(ty);
                let boxed = f.boxed.then(|| quote!(.map(Box::new)));
                match (f.is_option(), f.repr) {
                    (true, _) => {
                        let read = super::mock::passed(quote!(form.optional(#wire, #read)));
                        quote!(#read #boxed)
                    }
                    (false, crate::ir::FieldRepr::Defaulted) => {
                        let read = super::mock::passed(quote!(form.optional(#wire, #read)));
                        quote!(#read.unwrap_or_default())
                    }
                    (false, _) => match f.boxed {
                        true => {
                            let read = super::mock::passed(quote!(form.one(#wire, #read)));
                            quote!(Box::new(#read))
                        }
                        false => super::mock::passed(quote!(form.one(#wire, #read))),
                    },
                }
            }
        };
        quote!(#n: #read,)
    });
    let families = s.families.iter().map(|f| {
        let n = ident(&f.name);
        let prefix = &f.prefix;
        let read = if f.json { quote!(crate::mock::json) } else { quote!(crate::mock::text) };
        let read = super::mock::passed(quote!(form.family(#prefix, #read)));
        quote!(#n: #read,)
    });
    let additional = s.additional.as_ref().map(|a| {
        let n = ident(&a.name);
        let read = super::mock::value_read(&a.ty);
        let read = super::mock::passed(quote!(form.rest(#read)));
        quote!(#n: #read,)
    });
    let kept = s.undocumented.as_ref().map(|kept| {
        let kept = ident(kept);
        quote!(#kept: Default::default(),)
    });
    quote! {
        #[cfg(feature = #feature)]
        impl crate::mock::FromForm for #name {
            #[allow(clippy::question_mark)]
            fn from_form(form: &mut crate::mock::Values) -> Result<Self, crate::mock::Mismatch> {
                Ok(Self { #(#reads)* #(#families)* #additional #kept })
            }
        }
    }
}

/// How the test double reads a JSON body of a struct only ever sent: each member into its
/// field's slot by its wire name (one no field names is an additional property, or passed
/// over), then each field from its slot: a required one must have come.
///
/// Errors are passed on by `match` and `let … else`, not `?`: a `?` over the deserializer's
/// error type is a trait obligation for the compiler to prove, in every such body.
fn from_json(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let feature = crate::ir::MOCK;
    let slots = s.fields.iter().map(|field| {
        let slot = slot_of(&field.name);
        quote!(let mut #slot = None;)
    });
    let arms: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|field| {
            let (slot, wire) = (slot_of(&field.name), &field.wire);
            quote!(#wire => crate::mock::member(&mut map, &mut #slot, #wire),)
        })
        .collect();
    let rest = s.additional.as_ref().map(|a| slot_of(&a.name));
    let other = match &rest {
        Some(slot) => quote!(crate::mock::additional(&mut map, &mut #slot, &member)),
        None => quote!(crate::mock::ignore(&mut map)),
    };
    let read = match_member(quote!(&*member), arms, other);
    let rest = rest.map(|slot| quote!(let mut #slot = ::std::collections::BTreeMap::new();));
    let required = s.fields.iter().filter(|field| !field.is_option()).map(|field| {
        let (slot, wire) = (slot_of(&field.name), &field.wire);
        quote!(let Some(#slot) = #slot else { return Err(crate::mock::missing(&map, #wire)) };)
    });
    let fields = s.fields.iter().map(|field| {
        let (name, slot) = (ident(&field.name), slot_of(&field.name));
        match field.is_option() {
            // Absent or `null`, as serde reads an `Option`.
            true => quote!(#name: #slot.flatten(),),
            false => quote!(#name: #slot,),
        }
    });
    let additional = s.additional.as_ref().map(|a| {
        let (name, slot) = (ident(&a.name), slot_of(&a.name));
        quote!(#name: #slot,)
    });
    // Families are sent as form fields only, never in JSON.
    let families = s.families.iter().map(|f| {
        let name = ident(&f.name);
        quote!(#name: Vec::new(),)
    });
    quote! {
        #[cfg(feature = #feature)]
        impl crate::mock::FromJson for #name {
            #[allow(clippy::question_mark)]
            fn members<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #(#slots)* #rest
                loop {
                    let member = match crate::tolerant::name(&mut map) {
                        Ok(Some(member)) => member,
                        Ok(None) => break,
                        Err(error) => return Err(error),
                    };
                    if let Err(error) = #read {
                        return Err(error);
                    }
                }
                #(#required)*
                Ok(Self { #(#fields)* #additional #(#families)* })
            }
        }

        #[cfg(feature = #feature)]
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::mock::from_json(deserializer)
            }
        }
    }
}

/// `Deserialize` for a type only ever sent, which only the test double reads back.
fn mock_deserialize() -> TokenStream {
    let feature = crate::ir::MOCK;
    quote!(#[cfg_attr(feature = #feature, derive(::serde::Deserialize))])
}

/// Objects and unions are sent as JSON text when used as a parameter or form field.
fn json_wire_value(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl crate::wire::WireValue for #name {
            #[inline]
            fn append(&self, name: crate::wire::Name, fields: &mut crate::wire::Fields) {
                fields.json(name, self);
            }
        }
    }
}

fn enum_def(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let name = ident(&def.name);
    let decls = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let summary = docs::code(&v.wire);
        let doc = docs::outer(&[docs::ours(&summary), docs::spec(v.docs.as_deref())]);
        quote! { #doc #variant, }
    });
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let names: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let unknown = format_ident!("{}", crate::ir::UNKNOWN_VARIANT);
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A value this version of the crate does not know. Match on
            /// [`as_str`](Self::as_str) rather than on this variant: a later version may give
            /// the value its own variant.
            #unknown(crate::UnknownValue),
        }

        impl #name {
            /// Every value the spec lists.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            /// Reads a wire value; a value the spec lists always becomes its own variant.
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#names,)*
                    other => Self::#unknown(crate::UnknownValue::new(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            #[inline]
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::tolerant::text_enum_value(deserializer)
            }
        }

        impl crate::wire::WireValue for #name {
            #[inline]
            fn append(&self, name: crate::wire::Name, fields: &mut crate::wire::Fields) {
                fields.text(name, self.as_str());
            }
        }
    }
}

fn union_def(cx: &Cx<'_>, def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
    let name = ident(&def.name);
    let decls = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = cx.rust_type(&v.ty);
        let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
        let doc = format!(" {}.", cx.doc_link(&v.ty));
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let wire_value = def.reach.wire_value.then(|| json_wire_value(&name));
    // A union sent in requests is made from the value of any variant whose type no other
    // variant shares (aliases seen through), so a call can take `impl Into<Union>`.
    let resolved: Vec<TypeRef> = variants.iter().map(|v| cx.resolved(&v.ty)).collect();
    let froms = variants.iter().zip(&resolved).filter(|(_, r)| {
        def.reach.request && resolved.iter().filter(|other| other == r).count() == 1 && !cx.is_type(r, &def.name)
    });
    let froms = froms.map(|(v, _)| {
        let variant = ident(&v.name);
        let ty = cx.rust_type(&v.ty);
        let value = if v.boxed { quote!(Box::new(value)) } else { quote!(value) };
        quote! {
            impl ::std::convert::From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#variant(#value)
                }
            }
        }
    });
    let sent = def.reach.is_sent();
    let (serialize, serialize_later) = serialize_derive(sent);
    let untagged = serde_attr(sent, quote!(untagged));
    let serialize = serialize.into_iter();
    let deserialize_later = super::mock::needs_deserialize(def).then(mock_deserialize);
    quote! {
        #[derive(Debug, Clone, PartialEq #(, #serialize)*)]
        #serialize_later
        #deserialize_later
        #untagged
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#decls)*
        }
        #(#froms)*
        #wire_value
    }
}

fn newtype_def(cx: &Cx<'_>, def: &TypeDef, ty: &TypeRef) -> TokenStream {
    let name = ident(&def.name);
    let inner = cx.rust_type(ty);
    let wire_value = def.reach.wire_value.then(|| {
        quote! {
            impl crate::wire::WireValue for #name {
                #[inline]
                fn append(&self, name: crate::wire::Name, fields: &mut crate::wire::Fields) {
                    crate::wire::WireValue::append(&self.0, name, fields);
                }
            }
        }
    });
    let sent = def.reach.is_sent();
    let (serialize, serialize_later) = serialize_derive(sent);
    let read = def.reach.is_read();
    let deserialize = read.then(|| quote!(::serde::Deserialize));
    // Plain when a derive is always there to carry it; otherwise with `Serialize`'s feature.
    let transparent = serde_attr(sent || read, quote!(transparent));
    let (serialize, deserialize) = (serialize.into_iter(), deserialize.into_iter());
    let deserialize_later = super::mock::needs_deserialize(def).then(mock_deserialize);
    quote! {
        #[derive(Debug, Clone, PartialEq #(, #serialize)* #(, #deserialize)*)]
        #serialize_later
        #deserialize_later
        #transparent
        pub struct #name(pub #inner);
        #wire_value
    }
}

/// `Serialize` for a type: derived when the type is sent; for a type only ever read, derived
/// under the `serialize-answers` feature. Returns the derive to list with the others, or the
/// attribute that adds it under the feature.
fn serialize_derive(sent: bool) -> (Option<TokenStream>, Option<TokenStream>) {
    let feature = crate::ir::SERIALIZE_ANSWERS;
    match sent {
        true => (Some(quote!(::serde::Serialize)), None),
        false => (None, Some(quote!(#[cfg_attr(feature = #feature, derive(::serde::Serialize))]))),
    }
}

/// A `#[serde(…)]` attribute for what `Serialize` reads: as it is on a type that is sent, under
/// the `serialize-answers` feature on one only ever read.
fn serde_attr(sent: bool, args: TokenStream) -> TokenStream {
    let feature = crate::ir::SERIALIZE_ANSWERS;
    match sent {
        true => quote!(#[serde(#args)]),
        false => quote!(#[cfg_attr(feature = #feature, serde(#args))]),
    }
}
