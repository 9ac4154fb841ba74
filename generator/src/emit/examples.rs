//! Example calls: each operation called with every value it requires, taken from the spec's
//! examples where it gives one and made from the type where it does not. The contract test
//! sends them to a mock server, so they must be valid requests, not only code that compiles.
//!
//! Values are typed: an enum is one of its variants, a struct is built with its constructor,
//! a file is a small file from memory. Text says what it stands for where the name tells
//! (`example.com` for a domain, an address for `to`), and is `"example"` otherwise.

use super::{ident, Cx};
use crate::ir::{BodyEncoding, BodyFormat, Operation, PathPart, Prim, SetterTarget, TypeKind, TypeRef};
use crate::rust_name::RustName;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

/// Structs deeper than this are not built field by field (a required field that leads back to
/// its own type would never end).
const MAX_DEPTH: usize = 8;

/// How many optional setters a method's example shows at most.
const EXAMPLE_SETTERS: usize = 2;

/// The body of a method's `# Example` section: a doctest (`no_run`) that makes the call with a
/// value for every argument and up to two optional setters, sends it, and uses the answer (a
/// field of it, or each item of a paged list). Lines that only make it compile are hidden.
pub(super) fn method_example(cx: &Cx<'_>, op: &Operation) -> String {
    let krate = cx.crate_ident();
    let krate = quote!(#krate);
    let values = Values::short(cx, &krate);
    let Call { method, args, mut setters, set } = Call::of(&values, op);
    setters.extend(optional_setters(&values, op, &set, EXAMPLE_SETTERS.saturating_sub(setters.len())));
    let request = quote!(client.#method(#(#args),*) #(#setters)*);
    let statements = answer(cx, op, request);
    let imports = values.uses_types.get().then(|| quote!(use #krate::types;));
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let function = quote! {
        #allow
        async fn example(client: &#krate::Client) -> Result<(), #krate::Error> {
            #imports
            #statements
            Ok(())
        }
    };
    let file: syn::File = syn::parse2(function).expect("example tokens are a function");
    doctest_lines(&prettyplease::unparse(&file), imports.is_some())
}

/// Words of parameter names that steer paging, which a paged list's stream does itself.
const PAGING_WORDS: &[&str] = &["page", "skip", "offset", "cursor", "pivot", "token", "limit"];

/// Setters for optional values the example may show: parameters and body fields with an
/// example in the spec first, then the rest in spec order; never a deprecated one, or one that
/// steers the paging of a list the example streams, or a body field `set` already.
fn optional_setters(values: &Values<'_>, op: &Operation, set: &[String], at_most: usize) -> Vec<TokenStream> {
    let steers_paging = |name: &RustName| {
        op.pagination.is_some() && crate::words::split(name.as_str()).iter().any(|w| PAGING_WORDS.contains(&w.as_str()))
    };
    // (has an example, setter name, type it takes, example, hint): made into values only once
    // chosen, so that a value not shown cannot make the example import what it does not use.
    // A parameter's setter takes the whole value; a body field's setter one item of a list.
    type Candidate<'v> = (bool, &'v RustName, &'v TypeRef, Option<&'v Value>, &'v str);
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for p in op.params.iter().filter(|p| !p.required && !p.deprecated && !steers_paging(&p.name)) {
        candidates.push((p.example.is_some(), &p.name, &p.ty, p.example.as_ref(), &p.wire));
    }
    if let Some(body) = &op.body {
        let s = crate::ir::struct_of(&values.cx.api.types, &body.ty);
        for setter in body.setters.iter().filter(|s| !s.argument) {
            let (SetterTarget::Field(wire), Some(s)) = (&setter.target, s) else { continue };
            let Some(field) = s.fields.iter().find(|f| &f.wire == wire) else { continue };
            if set.contains(wire) || field.docs.deprecated {
                continue;
            }
            let example = member(body.example.as_ref(), wire).or(field.docs.example.as_ref());
            let (taken, example) = set_by_setter(&field.ty, example);
            candidates.push((example.is_some(), &setter.name, taken, example, wire));
        }
    }
    candidates.sort_by_key(|(has_example, ..)| !has_example);
    candidates
        .into_iter()
        .take(at_most)
        .map(|(_, name, ty, example, hint)| {
            let (setter, value) = (ident(name), values.loose(ty, example, hint));
            quote!(.#setter(#value))
        })
        .collect()
}

/// The statements that send `request` and use what it answers.
fn answer(cx: &Cx<'_>, op: &Operation, request: TokenStream) -> TokenStream {
    if super::paging::methods(cx, op).is_some() {
        let item = super::paging::item_type(cx, op);
        let read = item.as_ref().and_then(|item| shown_field(cx, item));
        let print = match read {
            Some(field) => quote!(println!("{:?}", item.#field);),
            None => quote!(println!("{item:?}");),
        };
        return quote! {
            let mut items = #request.items();
            while let Some(item) = items.next().await {
                let item = item?;
                #print
            }
        };
    }
    match (op.output.format, &op.output.ty) {
        (BodyFormat::Empty, _) | (_, TypeRef::Unit) => quote!(#request.send().await?;),
        (BodyFormat::Text, _) => quote! {
            let text = #request.send().await?;
            println!("{text}");
        },
        (BodyFormat::Bytes, _) => quote! {
            let bytes = #request.send().await?;
            println!("{} bytes", bytes.len());
        },
        (BodyFormat::Json, ty) => {
            let print = match shown_field(cx, ty) {
                Some(field) => quote!(println!("{:?}", answer.#field);),
                None => quote!(println!("{answer:?}");),
            };
            quote! {
                let answer = #request.send().await?;
                #print
            }
        }
    }
}

/// Fields that say which thing an answer is about, in the order an example prefers them.
const TELLING_FIELDS: &[&str] = &["id", "name", "address", "message"];

/// The field an example prints of a struct: one that says what the answer is about, else the
/// first that holds a single value (text, a number, an enum), else the first.
fn shown_field(cx: &Cx<'_>, ty: &TypeRef) -> Option<proc_macro2::Ident> {
    let s = crate::ir::struct_of(&cx.api.types, ty)?;
    let single = |f: &&crate::ir::Field| match cx.resolved(f.ty.without_option()) {
        TypeRef::Prim(_) => true,
        ty @ TypeRef::Named(_) => cx.is_enum(&ty),
        _ => false,
    };
    let telling = TELLING_FIELDS.iter().find_map(|wire| s.fields.iter().filter(single).find(|f| f.wire == *wire));
    let field = telling.or_else(|| s.fields.iter().find(single)).or(s.fields.first())?;
    Some(ident(&field.name))
}

/// Rustdoc lines for a formatted `async fn example(…) { … }`: its body as the visible code,
/// the function around it hidden (`# `), as is the closing `Ok(())`.
fn doctest_lines(function: &str, imports: bool) -> String {
    let lines: Vec<&str> = function.lines().collect();
    let open = lines.iter().position(|l| l.ends_with('{')).expect("a function has a body");
    let close = lines.len() - 1;
    let mut out = vec!["```no_run".to_owned()];
    out.extend(lines[..=open].iter().map(|l| format!("# {l}")));
    for (n, line) in lines[open + 1..close].iter().enumerate() {
        let line = line.strip_prefix("    ").unwrap_or(line);
        if line == "Ok(())" {
            out.push(format!("# {line}"));
            continue;
        }
        out.push(line.to_owned());
        if n == 0 && imports {
            out.push(String::new());
        }
    }
    out.push(format!("# {}", lines[close]));
    out.push("```".to_owned());
    out.join("\n")
}

/// The parts of an example call.
pub(super) struct Call {
    pub(super) method: proc_macro2::Ident,
    /// A value for every argument.
    pub(super) args: Vec<TokenStream>,
    /// `.setter(value)` calls: what a valid request needs beyond its arguments.
    pub(super) setters: Vec<TokenStream>,
    /// The body fields the arguments and setters give (wire names).
    set: Vec<String>,
}

impl Call {
    pub(super) fn of(values: &Values<'_>, op: &Operation) -> Call {
        let cx = values.cx;
        let (mut setters, mut set) = (Vec::new(), Vec::new());
        let mut args: Vec<TokenStream> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| values.loose(&p.ty, p.example.as_ref(), &hint(op, p)))
            .collect();
        if let Some(body) = &op.body {
            if body.setters.is_empty() {
                if body.required {
                    args.push(values.concrete(&body.ty, body.example.as_ref(), "body", 0));
                }
            } else if let Some(s) = crate::ir::struct_of(&cx.api.types, &body.ty) {
                let fields = body.setters.iter().filter_map(|setter| match &setter.target {
                    SetterTarget::Field(wire) => s.fields.iter().find(|f| &f.wire == wire).map(|f| (setter, f)),
                    SetterTarget::Family(_) => None,
                });
                let (arguments, optional): (Vec<_>, Vec<_>) = fields.partition(|(setter, _)| setter.argument);
                for (_, field) in &arguments {
                    set.push(field.wire.clone());
                    let example = member(body.example.as_ref(), &field.wire).or(field.docs.example.as_ref());
                    args.push(values.loose(&field.ty, example, &field_hint(op, &field.wire)));
                }
                // A required form body with no required field would go out empty, which is no
                // body at all: the example sets its first field. (An empty JSON object is a body.)
                let form = matches!(body.encoding, BodyEncoding::Form | BodyEncoding::Multipart);
                if arguments.is_empty() && body.required && form {
                    if let Some((setter, field)) = optional.first() {
                        let example = member(body.example.as_ref(), &field.wire).or(field.docs.example.as_ref());
                        let (taken, example) = set_by_setter(&field.ty, example);
                        let (setter, value) = (ident(&setter.name), values.loose(taken, example, &field.wire));
                        setters.push(quote!(.#setter(#value)));
                        set.push(field.wire.clone());
                    }
                }
            }
        }
        Call { method: ident(&op.name), args, setters, set }
    }
}
/// What a parameter's value stands for: its name, and for a path parameter the segment before
/// it too (`/v3/domains/{name}` names a domain).
fn hint(op: &Operation, param: &crate::ir::Param) -> String {
    if param.location != crate::ir::ParamLocation::Path {
        return param.wire.clone();
    }
    let at = op.path.parts.iter().position(|part| matches!(part, PathPart::Param(wire) if *wire == param.wire));
    let before = at.and_then(|at| at.checked_sub(1)).and_then(|before| last_segment(&op.path.parts[before]));
    match before {
        Some(segment) => format!("{segment} {}", param.wire),
        None => param.wire.clone(),
    }
}

/// What a body field's value stands for: a `name` is the name of what the path creates or
/// changes (`POST /v4/domains` with a `name` names a domain).
fn field_hint(op: &Operation, wire: &str) -> String {
    match op.path.parts.iter().rev().find_map(last_segment) {
        Some(segment) if wire == "name" => format!("{segment} {wire}"),
        _ => wire.to_owned(),
    }
}

/// The last segment of a literal part of a path template (`domains` of `/v3/domains/`).
fn last_segment(part: &PathPart) -> Option<&str> {
    match part {
        PathPart::Literal(text) => text.split('/').rev().find(|segment| !segment.is_empty()),
        PathPart::Param(_) => None,
    }
}

/// What a body field's setter takes, and its example: one item of a list (the setter adds it).
fn set_by_setter<'v>(ty: &'v TypeRef, example: Option<&'v Value>) -> (&'v TypeRef, Option<&'v Value>) {
    match ty {
        TypeRef::Vec(item) => (item, example.and_then(Value::as_array).and_then(|items| items.first())),
        ty => (ty, example),
    }
}

/// The example value of one member of an example object.
fn member<'v>(example: Option<&'v Value>, name: &str) -> Option<&'v Value> {
    example?.as_object()?.get(name)
}

/// Makes values; types are written from outside the crate (`krate::types::…`).
pub(super) struct Values<'a> {
    cx: &'a Cx<'a>,
    krate: &'a TokenStream,
    /// Whether values are written for a reader (`Some(…)`, `types::Name`) rather than with
    /// paths no name in a test file can shadow (`Some(…)`).
    short: bool,
    /// Whether a short value named a type (the example then imports `types`).
    uses_types: std::cell::Cell<bool>,
}

impl<'a> Values<'a> {
    #[cfg(feature = "test-harness")]
    pub(super) fn qualified(cx: &'a Cx<'a>, krate: &'a TokenStream) -> Self {
        Values { cx, krate, short: false, uses_types: Default::default() }
    }

    fn short(cx: &'a Cx<'a>, krate: &'a TokenStream) -> Self {
        Values { cx, krate, short: true, uses_types: Default::default() }
    }

    /// A value for an argument that takes `impl Into<…>` or `impl IntoIterator<…>`: text as a
    /// string literal, a list as an array.
    fn loose(&self, ty: &TypeRef, example: Option<&Value>, hint: &str) -> TokenStream {
        match ty {
            TypeRef::Prim(Prim::String | Prim::Timestamp) => {
                let text = Literal::string(&self.text(ty, example, hint));
                quote!(#text)
            }
            TypeRef::Vec(item) => {
                let first = example.and_then(Value::as_array).and_then(|items| items.first());
                let item = self.loose(item, first, hint);
                quote!([#item])
            }
            _ => self.concrete(ty, example, hint, 0),
        }
    }

    /// A value of exactly type `ty`.
    fn concrete(&self, ty: &TypeRef, example: Option<&Value>, hint: &str, depth: usize) -> TokenStream {
        let krate = self.krate;
        match ty {
            TypeRef::Prim(Prim::String) => {
                let text = Literal::string(&self.text(ty, example, hint));
                if self.short {
                    quote!(#text.to_owned())
                } else {
                    quote!(String::from(#text))
                }
            }
            TypeRef::Prim(Prim::Timestamp) => {
                let text = Literal::string(&self.text(ty, example, hint));
                quote!(#krate::Timestamp::from(#text))
            }
            TypeRef::Prim(Prim::Bool) => {
                let value = example.and_then(Value::as_bool).unwrap_or(true);
                quote!(#value)
            }
            TypeRef::Prim(Prim::I32) => {
                let value = example.and_then(Value::as_i64).filter(|v| i32::try_from(*v).is_ok()).unwrap_or(1);
                integer(value)
            }
            TypeRef::Prim(Prim::I64) => integer(example.and_then(Value::as_i64).unwrap_or(1)),
            TypeRef::Prim(Prim::F64) => float(example.and_then(Value::as_f64).unwrap_or(1.0)),
            TypeRef::Prim(Prim::File) => {
                let name = Literal::string(&format!("{}.txt", if hint.is_empty() { "file" } else { hint }));
                quote!(#krate::File::from_bytes(#name, "example"))
            }
            TypeRef::Prim(Prim::Bytes) if self.short => quote!(b"example".to_vec()),
            TypeRef::Prim(Prim::Bytes) => quote!(Vec::from(&b"example"[..])),
            TypeRef::Prim(Prim::Json) | TypeRef::Any => {
                let json = json_tokens(example.unwrap_or(&Value::Object(Default::default())));
                if self.short {
                    quote!(serde_json::json!(#json))
                } else {
                    quote!(::serde_json::json!(#json))
                }
            }
            TypeRef::Unit => quote!(()),
            TypeRef::Option(inner) => {
                let inner = self.concrete(inner, example, hint, depth);
                quote!(Some(#inner))
            }
            TypeRef::Vec(item) => {
                let first = example.and_then(Value::as_array).and_then(|items| items.first());
                let item = self.concrete(item, first, hint, depth);
                // Not `vec![…]`: prettyplease prints a macro's tokens as they come.
                if self.short {
                    quote!(Vec::from([#item]))
                } else {
                    quote!(::std::vec![#item])
                }
            }
            TypeRef::Map(_) if self.short => quote!(Default::default()),
            TypeRef::Map(_) => quote!(::std::collections::BTreeMap::new()),
            TypeRef::Named(id) => {
                let def = self.cx.def(id);
                let name = ident(&def.name);
                let path = if self.short {
                    self.uses_types.set(true);
                    quote!(types::#name)
                } else {
                    quote!(#krate::types::#name)
                };
                match &def.kind {
                    TypeKind::Enum(variants) => {
                        let wanted = example.and_then(Value::as_str);
                        let variant = variants.iter().find(|v| Some(v.wire.as_str()) == wanted).or(variants.first());
                        match variant {
                            Some(v) => {
                                let v = ident(&v.name);
                                quote!(#path::#v)
                            }
                            None => quote!(#path::from("example")),
                        }
                    }
                    TypeKind::Alias(target) => self.concrete(target, example, hint, depth),
                    TypeKind::Newtype(inner) => {
                        let inner = self.concrete(inner, example, hint, depth + 1);
                        quote!(#path(#inner))
                    }
                    TypeKind::Union(variants) => {
                        let Some(variant) = variants.first() else { return self.default() };
                        let v = ident(&variant.name);
                        let inner = self.concrete(&variant.ty, example, hint, depth + 1);
                        let inner = if variant.boxed { self.boxed(inner) } else { inner };
                        quote!(#path::#v(#inner))
                    }
                    TypeKind::Struct(s) => {
                        let required: Vec<_> = s.fields.iter().filter(|f| f.must_be_given()).collect();
                        if required.is_empty() || depth >= MAX_DEPTH {
                            return if self.short {
                                quote!(#path::default())
                            } else {
                                quote!(<#path as Default>::default())
                            };
                        }
                        let args = required.iter().map(|f| {
                            let example = member(example, &f.wire).or(f.docs.example.as_ref());
                            if f.boxed {
                                self.boxed(self.concrete(&f.ty, example, &f.wire, depth + 1))
                            } else if super::arguments::is_into(self.cx, &f.ty) {
                                self.loose(&f.ty, example, &f.wire)
                            } else {
                                self.concrete(&f.ty, example, &f.wire, depth + 1)
                            }
                        });
                        quote!(#path::new(#(#args),*))
                    }
                }
            }
        }
    }

    fn default(&self) -> TokenStream {
        quote!(Default::default())
    }

    fn boxed(&self, value: TokenStream) -> TokenStream {
        quote!(Box::new(#value))
    }

    /// Text for a string: the example, or what the name suggests.
    fn text(&self, ty: &TypeRef, example: Option<&Value>, hint: &str) -> String {
        match example {
            Some(Value::String(text)) => return text.clone(),
            Some(Value::Number(n)) => return n.to_string(),
            Some(Value::Bool(b)) => return b.to_string(),
            _ => {}
        }
        if *ty == TypeRef::Prim(Prim::Timestamp) {
            return "Thu, 13 Oct 2011 18:02:00 +0000".to_owned();
        }
        let words = crate::words::split(hint);
        // `domains` names a domain as well as `domain` does.
        let has = |word: &str| words.iter().any(|w| w == word || w.strip_suffix('s') == Some(word));
        let text = if has("domain") {
            "example.com"
        } else if has("url") || has("uri") {
            "https://example.com/hook"
        } else if has("ip") || has("addr") {
            "192.0.2.1"
        } else if ["address", "email", "to", "cc", "bcc", "from", "recipient", "sender", "login", "mailbox"]
            .into_iter()
            .any(has)
        {
            "alice@example.com"
        } else {
            "example"
        };
        text.to_owned()
    }
}

/// A JSON value as the tokens of a `serde_json::json!` invocation.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => integer(i),
            (_, Some(u), _) => {
                let lit = Literal::u64_unsuffixed(u);
                quote!(#lit)
            }
            (_, _, Some(f)) => float(f),
            _ => quote!(null),
        },
        Value::String(s) => {
            let lit = Literal::string(s);
            quote!(#lit)
        }
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(members) => {
            let members = members.iter().map(|(k, v)| {
                let key = Literal::string(k);
                let value = json_tokens(v);
                quote!(#key: #value)
            });
            quote!({ #(#members),* })
        }
    }
}

/// An integer literal; a negative one as a negation (a literal has no sign).
fn integer(value: i64) -> TokenStream {
    let lit = Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

/// A float literal; a negative one as a negation.
fn float(value: f64) -> TokenStream {
    let lit = Literal::f64_unsuffixed(value.abs());
    if value < 0.0 {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}
