//! The public Rust API of a generated crate, read back from the emitted tokens, and how two of
//! them differ.
//!
//! The verdict of a spec diff is about the Rust API, so it is computed from what the emitters
//! actually produced rather than from rules that restate them: every public item, field,
//! variant and method of the emitted files, keyed by the path a caller writes. The comparison
//! applies the rules of cargo-semver-checks that the generated code can meet (an item, field,
//! variant or method gone; an argument added or removed; a derive dropped; a field or variant
//! added where a caller can still build or match exhaustively), and also compares types, which
//! cargo-semver-checks does not: those findings say so.

use super::Level;
use crate::emit::RustFiles;
use crate::Error;
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};

/// Every public member of the generated crate, by the path a caller writes
/// (`types::Bounce`, `types::Bounce.code`, `types::Bounce::new`, `Client::get_bounces`).
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Surface {
    entries: BTreeMap<String, Entry>,
    /// The cargo features that compile a member, any one of them enough; a member not listed
    /// is compiled whatever the features.
    features: BTreeMap<String, Features>,
}

/// A `#[cfg(feature = …)]` or `#[cfg(any(feature = …, …))]`, as its set of features.
type Features = BTreeSet<String>;

/// One public member.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Entry {
    Type(TypeShape),
    Field { ty: String },
    Variant { payload: Vec<String> },
    Fn { params: Vec<String>, output: String, deprecated: bool },
    Const { ty: String },
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct TypeShape {
    kind: String,
    non_exhaustive: bool,
    derives: BTreeSet<String>,
    deprecated: bool,
    /// The aliased type, for `pub type X = T;`.
    target: Option<String>,
    /// Whether every field is public, so a caller can write the struct literal.
    all_fields_public: bool,
}

/// One difference between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The member's path.
    pub key: String,
    /// What it means for a caller.
    pub level: Level,
    /// One sentence.
    pub text: String,
    /// cargo-semver-checks does not report this (it does not compare types, and checks one
    /// set of features).
    pub unseen_by_semver_checks: bool,
    /// When the member is lost only to builds with some features alone, those features;
    /// empty when every build that had it is affected.
    pub only_with: Vec<String>,
}

impl Surface {
    /// Reads the public API out of emitted files. Files that only declare modules and
    /// re-exports (`mod.rs`) add nothing: their items are keyed where they are defined.
    pub fn of(files: &RustFiles) -> Result<Surface, Error> {
        let parsed = files
            .iter()
            .map(|(path, tokens)| {
                let file = syn::parse2::<syn::File>(tokens.clone())
                    .map_err(|e| Error::Emit { file: path.clone(), message: e.to_string() })?;
                Ok((path.as_str(), file))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        // A module's features are on its `mod` line: `#[cfg(feature = "bounces")] pub mod bounces;`.
        let mut file_features: BTreeMap<String, Features> = BTreeMap::new();
        for (path, file) in &parsed {
            let Some(dir) = path.strip_suffix("mod.rs") else { continue };
            for item in &file.items {
                if let syn::Item::Mod(m) = item {
                    if let Some(features) = cfg_features(&m.attrs) {
                        file_features.insert(format!("{dir}{}.rs", m.ident), features);
                    }
                }
            }
        }
        let mut surface = Surface::default();
        for (path, file) in &parsed {
            let Some(module) = module_of(path) else { continue };
            // One file's members, which take its module's features unless they have their own.
            let mut part = Surface::default();
            for item in &file.items {
                part.add_item(&module, item);
            }
            for item in &file.items {
                part.add_implemented(&module, item);
            }
            if let Some(features) = file_features.get(*path) {
                for key in part.entries.keys() {
                    part.features.entry(key.clone()).or_insert_with(|| features.clone());
                }
            }
            surface.entries.extend(part.entries);
            surface.features.extend(part.features);
        }
        Ok(surface)
    }

    /// The surface as JSON, one member per line, for a release to keep (`spec/release/`)
    /// and a later one to compare with, whatever the generator has become since.
    pub fn to_json(&self) -> String {
        /// A map's members one per line: a change of one member is a change of one line.
        fn lines<V: serde::Serialize>(map: &BTreeMap<String, V>) -> String {
            let members: Vec<String> = map
                .iter()
                .map(|(key, value)| format!("    {}: {}", json(key), serde_json::to_string(value).expect("plain data")))
                .collect();
            members.join(",\n")
        }
        format!(
            "{{\n  \"entries\": {{\n{}\n  }},\n  \"features\": {{\n{}\n  }}\n}}\n",
            lines(&self.entries),
            lines(&self.features)
        )
    }

    /// Reads what [`to_json`](Self::to_json) wrote.
    pub fn from_json(text: &str) -> Result<Surface, String> {
        let mut surface: Surface = serde_json::from_str(text).map_err(|e| e.to_string())?;
        // A record written by an earlier generator spells types as its emitters did (with
        // paths that today's leave out, or the other way round): read as today's would write it.
        for entry in surface.entries.values_mut() {
            let texts: Vec<&mut String> = match entry {
                Entry::Type(shape) => shape.target.iter_mut().collect(),
                Entry::Field { ty } | Entry::Const { ty } => vec![ty],
                Entry::Variant { payload } => payload.iter_mut().collect(),
                Entry::Fn { params, output, .. } => params.iter_mut().chain([output]).collect(),
            };
            for text in texts {
                if let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() {
                    *text = tokens_text(&tokens);
                }
            }
        }
        Ok(surface)
    }

    /// The number of public members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn add_item(&mut self, module: &str, item: &syn::Item) {
        let path = |name: &syn::Ident| format!("{module}{name}");
        let own = match item {
            syn::Item::Struct(s) => cfg_features(&s.attrs).map(|f| (path(&s.ident), f)),
            syn::Item::Enum(e) => cfg_features(&e.attrs).map(|f| (path(&e.ident), f)),
            syn::Item::Type(t) => cfg_features(&t.attrs).map(|f| (path(&t.ident), f)),
            _ => None,
        };
        if let Some((key, features)) = own {
            self.features.insert(key, features);
        }
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let key = path(&s.ident);
                let mut all_public = true;
                for (i, field) in s.fields.iter().enumerate() {
                    if !is_pub(&field.vis) {
                        all_public = false;
                        continue;
                    }
                    let name = field.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
                    self.entries.insert(format!("{key}.{name}"), Entry::Field { ty: type_text(&field.ty) });
                }
                let kind = if matches!(s.fields, syn::Fields::Unnamed(_)) { "tuple struct" } else { "struct" };
                self.entries.insert(key, Entry::Type(shape(kind, &s.attrs, None, all_public)));
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let key = path(&e.ident);
                for variant in &e.variants {
                    let payload = variant.fields.iter().map(|f| type_text(&f.ty)).collect();
                    self.entries.insert(format!("{key}::{}", variant.ident), Entry::Variant { payload });
                }
                self.entries.insert(key, Entry::Type(shape("enum", &e.attrs, None, true)));
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                let target = Some(type_text(&t.ty));
                self.entries.insert(path(&t.ident), Entry::Type(shape("type alias", &t.attrs, target, true)));
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let syn::Type::Path(self_ty) = &*imp.self_ty else { return };
                let Some(last) = self_ty.path.segments.last() else { return };
                let owner = match (last.ident.to_string().as_str(), call_parameters(last)) {
                    // `impl crate::Client` in a tag's file adds to the crate's one client.
                    ("Client", _) => "Client".to_owned(),
                    // `impl crate::RequestBuilder<params::GetBounce>` is `GetBounce`'s (the
                    // builder of a call is named as its parameters are); with a generic
                    // parameter, every builder's.
                    ("RequestBuilder", Some(call)) if imp.generics.params.is_empty() => path(call),
                    ("RequestBuilder", _) => "RequestBuilder".to_owned(),
                    _ => path(&last.ident),
                };
                for member in &imp.items {
                    match member {
                        syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                            let params = f
                                .sig
                                .inputs
                                .iter()
                                .filter_map(|input| match input {
                                    syn::FnArg::Typed(arg) => Some(type_text(&arg.ty)),
                                    syn::FnArg::Receiver(_) => None,
                                })
                                .collect();
                            let output = match &f.sig.output {
                                syn::ReturnType::Default => "()".to_owned(),
                                syn::ReturnType::Type(_, ty) => type_text(ty),
                            };
                            let deprecated = has_attr(&f.attrs, "deprecated");
                            let key = format!("{owner}::{}", f.sig.ident);
                            // A method of its own feature (`ClientBuilder::middleware`).
                            if let Some(features) = cfg_features(&f.attrs) {
                                self.features.insert(key.clone(), features);
                            }
                            self.entries.insert(key, Entry::Fn { params, output, deprecated });
                        }
                        syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                            self.entries.insert(format!("{owner}::{}", c.ident), Entry::Const { ty: type_text(&c.ty) });
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// A trait a type implements by hand is implemented as much as a derived one: written as
    /// `impl ::serde::Serialize for T` beside `T`, whatever the features, it is recorded with
    /// `T`'s derives. (Traits of the crate's own, at `crate::…`, are not a user's to use.)
    fn add_implemented(&mut self, module: &str, item: &syn::Item) {
        let syn::Item::Impl(imp) = item else { return };
        let Some((trait_path, _)) = &imp.trait_ else { return };
        if imp.modifiers.polarity.is_some() || trait_path.leading_colon.is_none() || has_attr(&imp.attrs, "cfg") {
            return;
        }
        let syn::Type::Path(self_ty) = &*imp.self_ty else { return };
        let (Some(own), Some(name)) = (self_ty.path.get_ident(), trait_path.segments.last()) else { return };
        if let Some(Entry::Type(shape)) = self.entries.get_mut(&format!("{module}{own}")) {
            shape.derives.insert(name.ident.to_string());
        }
    }

    /// What changed from `old` to `self`, in path order.
    pub fn compare(old: &Surface, new: &Surface) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut add = |key: &str, level: Level, text: String, unseen: bool| {
            findings.push(Finding {
                key: key.to_owned(),
                level,
                text,
                unseen_by_semver_checks: unseen,
                only_with: Vec::new(),
            })
        };
        for (key, before) in &old.entries {
            match new.entries.get(key) {
                None if owner_gone(key, old, new) => {}
                None => add(key, Level::Major, format!("{} `{key}` is removed", before.noun()), false),
                Some(after) => compare_entry(key, before, after, &mut add),
            }
        }
        for (key, after) in &new.entries {
            if old.entries.contains_key(key) || owner_gone(key, new, old) {
                continue;
            }
            let constructible = |owner: &str| match new.entries.get(owner) {
                Some(Entry::Type(shape)) => !shape.non_exhaustive && shape.all_fields_public,
                _ => false,
            };
            match (after, owner_of(key)) {
                // A caller's struct literal or exhaustive `match` would miss the new member.
                (Entry::Field { .. } | Entry::Variant { .. }, Some(owner)) if constructible(owner) => add(
                    key,
                    Level::Major,
                    format!("{} `{key}` is added to a type callers can build or match exhaustively", after.noun()),
                    false,
                ),
                _ => {
                    let with = match new.features.get(key) {
                        Some(features) => {
                            let names: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
                            format!(" (with the feature {})", names.join(" or "))
                        }
                        None => String::new(),
                    };
                    add(key, Level::Minor, format!("{} `{key}` is added{with}", after.noun()), false)
                }
            }
        }
        // After the other findings: `add` borrows them until here.
        for key in old.entries.keys().filter(|key| new.entries.contains_key(*key)) {
            if let Some(finding) = feature_change(key, old, new) {
                findings.push(finding);
            }
        }
        findings.sort();
        findings
    }
}

fn compare_entry(key: &str, before: &Entry, after: &Entry, add: &mut impl FnMut(&str, Level, String, bool)) {
    match (before, after) {
        (Entry::Type(a), Entry::Type(b)) => {
            if a.kind != b.kind {
                add(key, Level::Major, format!("`{key}` changes from a {} to a {}", a.kind, b.kind), false);
                return;
            }
            if !a.non_exhaustive && b.non_exhaustive {
                add(key, Level::Major, format!("`{key}` becomes `#[non_exhaustive]`"), false);
            }
            for derive in a.derives.difference(&b.derives) {
                add(key, Level::Major, format!("`{key}` no longer implements `{derive}`"), false);
            }
            for derive in b.derives.difference(&a.derives) {
                add(key, Level::Minor, format!("`{key}` now implements `{derive}`"), false);
            }
            if !a.deprecated && b.deprecated {
                add(key, Level::Minor, format!("`{key}` is deprecated"), false);
            }
            if a.target != b.target {
                let (from, to) = (a.target.as_deref().unwrap_or("?"), b.target.as_deref().unwrap_or("?"));
                add(key, Level::Major, format!("`{key}` now means `{to}` instead of `{from}`"), true);
            }
        }
        (Entry::Field { ty: a }, Entry::Field { ty: b }) if a != b => {
            add(key, Level::Major, format!("field `{key}` changes type from `{a}` to `{b}`"), true);
        }
        (Entry::Variant { payload: a }, Entry::Variant { payload: b }) if a != b => {
            let seen = a.len() != b.len();
            add(
                key,
                Level::Major,
                format!("variant `{key}` now holds `{}` instead of `{}`", b.join(", "), a.join(", ")),
                !seen,
            );
        }
        (
            Entry::Fn { params: pa, output: oa, deprecated: da },
            Entry::Fn { params: pb, output: ob, deprecated: db },
        ) => {
            if pa.len() != pb.len() {
                add(key, Level::Major, format!("`{key}` takes {} arguments instead of {}", pb.len(), pa.len()), false);
            } else if pa != pb {
                let changed: Vec<String> =
                    pa.iter().zip(pb).filter(|(a, b)| a != b).map(|(a, b)| format!("`{a}` becomes `{b}`")).collect();
                add(key, Level::Major, format!("`{key}` takes other argument types: {}", changed.join(", ")), true);
            }
            if oa != ob {
                add(key, Level::Major, format!("`{key}` returns `{ob}` instead of `{oa}`"), true);
            }
            if !da && *db {
                add(key, Level::Minor, format!("`{key}` is deprecated"), false);
            }
        }
        (Entry::Const { ty: a }, Entry::Const { ty: b }) if a != b => {
            add(key, Level::Major, format!("constant `{key}` changes type from `{a}` to `{b}`"), true);
        }
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            add(key, Level::Major, format!("`{key}` changes from a {} to a {}", a.noun(), b.noun()), false);
        }
        _ => {}
    }
}

impl Entry {
    fn noun(&self) -> &str {
        match self {
            Entry::Type(shape) => shape.kind.as_str(),
            Entry::Field { .. } => "field",
            Entry::Variant { .. } => "variant",
            Entry::Fn { .. } => "method",
            Entry::Const { .. } => "constant",
        }
    }
}

fn json(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// How the features that compile a member changed, told on the member whose `cfg` changed (a
/// type, a call), not on each of its fields and methods. A feature that no longer compiles it
/// breaks the builds that enable that feature alone: cargo-semver-checks, which checks one set
/// of features, cannot see that.
fn feature_change(key: &str, old: &Surface, new: &Surface) -> Option<Finding> {
    let (before, after) = (old.features.get(key), new.features.get(key));
    if before == after {
        return None;
    }
    let inherited = |surface: &Surface, features: Option<&Features>| {
        owner_of(key)
            .is_some_and(|owner| surface.entries.contains_key(owner) && surface.features.get(owner) == features)
    };
    if inherited(old, before) && inherited(new, after) {
        return None;
    }
    let list = |features: &Features| features.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    let lost: Features = match (before, after) {
        (_, None) => Features::new(),
        (None, Some(_)) => {
            // Lost to the builds without those features (`--no-default-features` among them):
            // cargo-semver-checks, building with every feature, does not see it.
            let text = format!("`{key}` is now compiled only with one of the features {}", list(after?));
            return Some(Finding {
                key: key.to_owned(),
                level: Level::Major,
                text,
                unseen_by_semver_checks: true,
                only_with: Vec::new(),
            });
        }
        (Some(a), Some(b)) => a.difference(b).cloned().collect(),
    };
    if lost.is_empty() {
        let text = match after {
            None => format!("`{key}` is now compiled whatever the features"),
            Some(b) => format!("`{key}` is now compiled with one of the features {}", list(b)),
        };
        return Some(Finding {
            key: key.to_owned(),
            level: Level::Minor,
            text,
            unseen_by_semver_checks: false,
            only_with: Vec::new(),
        });
    }
    let text = format!("`{key}` is no longer compiled with {} alone", list(&lost));
    Some(Finding {
        key: key.to_owned(),
        level: Level::Major,
        text,
        unseen_by_semver_checks: true,
        only_with: lost.into_iter().collect(),
    })
}

/// The call of a `RequestBuilder<params::GetBounce>`: the last name of its type argument.
fn call_parameters(segment: &syn::PathSegment) -> Option<&syn::Ident> {
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else { return None };
    match arguments.args.first()? {
        syn::GenericArgument::Type(syn::Type::Path(argument)) => Some(&argument.path.segments.last()?.ident),
        _ => None,
    }
}

/// The features of a `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg_features(attrs: &[syn::Attribute]) -> Option<Features> {
    let attr = attrs.iter().find(|a| a.path().is_ident("cfg"))?;
    let mut features = Features::new();
    let mut read = |meta: syn::meta::ParseNestedMeta<'_>| -> syn::Result<()> {
        if meta.path.is_ident("feature") {
            let value: syn::LitStr = meta.value()?.parse()?;
            features.insert(value.value());
        }
        Ok(())
    };
    let _ =
        attr.parse_nested_meta(
            |meta| {
                if meta.path.is_ident("any") {
                    meta.parse_nested_meta(&mut read)
                } else {
                    read(meta)
                }
            },
        );
    (!features.is_empty()).then_some(features)
}

/// The path prefix of a file's items: `types/bounce.rs` → `types::`, `apis/domains.rs` →
/// `apis::domains::`, and the files re-exported at the root (`region.rs`) → nothing. Module
/// lists (`mod.rs`) hold no items of their own.
fn module_of(path: &str) -> Option<String> {
    let stem = path.strip_suffix(".rs")?;
    match stem.split('/').collect::<Vec<_>>().as_slice() {
        [.., "mod"] => None,
        ["types", _] => Some("types::".to_owned()),
        ["apis", tag] => Some(format!("apis::{tag}::")),
        [_] => Some(String::new()),
        _ => None,
    }
}

/// The member's owning type: `types::Bounce` for `types::Bounce.code` or `types::Bounce::new`.
fn owner_of(key: &str) -> Option<&str> {
    if let Some((owner, _)) = key.rsplit_once('.') {
        return Some(owner);
    }
    key.rsplit_once("::").map(|(owner, _)| owner)
}

/// A member whose owning type is gone (or new) is told once, with its owner.
fn owner_gone(key: &str, had: &Surface, has: &Surface) -> bool {
    owner_of(key).is_some_and(|owner| had.entries.contains_key(owner) && !has.entries.contains_key(owner))
}

fn shape(kind: &'static str, attrs: &[syn::Attribute], target: Option<String>, all_fields_public: bool) -> TypeShape {
    let mut derives = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                derives.insert(last.ident.to_string());
            }
            Ok(())
        });
    }
    TypeShape {
        kind: kind.to_owned(),
        non_exhaustive: has_attr(attrs, "non_exhaustive"),
        derives,
        deprecated: has_attr(attrs, "deprecated"),
        target,
        all_fields_public,
    }
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn type_text(ty: &syn::Type) -> String {
    tokens_text(&ty.to_token_stream())
}

/// Rust tokens as a reader writes them: `impl Into<String>`, `BTreeMap<String, Value>`, without
/// the absolute `::std::…`, `::serde_json::` and `crate::` paths the emitters spell out.
pub(super) fn tokens_text(tokens: &proc_macro2::TokenStream) -> String {
    // `TokenStream`'s text puts a space between every two tokens.
    let mut spaced = tokens.to_string();
    for prefix in [
        ":: std :: string :: ",
        ":: std :: vec :: ",
        ":: std :: option :: ",
        ":: std :: result :: ",
        ":: std :: future :: ",
        ":: std :: marker :: ",
        ":: std :: default :: ",
        ":: std :: collections :: ",
        ":: std :: convert :: ",
        ":: std :: iter :: ",
        ":: std :: path :: ",
        ":: std :: boxed :: ",
        ":: serde_json :: ",
        "crate :: types :: ",
        "crate :: ",
    ] {
        spaced = spaced.replace(prefix, "");
    }
    // A space stays between two words (`impl Into`) and after a comma; the others go.
    let chars: Vec<char> = spaced.chars().collect();
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '\'');
    let mut text = String::with_capacity(chars.len());
    for (i, c) in chars.iter().enumerate() {
        let keep = *c != ' ' || (word(chars.get(i.wrapping_sub(1))) && word(chars.get(i + 1))) || text.ends_with(',');
        if keep {
            text.push(*c);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn surface(tokens: proc_macro2::TokenStream) -> Surface {
        let mut files = RustFiles::new();
        files.insert("types/x.rs".to_owned(), tokens);
        Surface::of(&files).unwrap()
    }

    fn levels(old: proc_macro2::TokenStream, new: proc_macro2::TokenStream) -> Vec<(String, Level, bool)> {
        Surface::compare(&surface(old), &surface(new))
            .into_iter()
            .map(|f| (f.key, f.level, f.unseen_by_semver_checks))
            .collect()
    }

    #[test]
    fn fields_added_to_a_non_exhaustive_struct_are_additive_and_removed_ones_breaking() {
        let old = quote! { #[non_exhaustive] pub struct A { pub a: String, pub b: i64 } };
        let new = quote! { #[non_exhaustive] pub struct A { pub a: String, pub c: bool } };
        assert_eq!(
            levels(old, new),
            vec![("types::A.b".to_owned(), Level::Major, false), ("types::A.c".to_owned(), Level::Minor, false)]
        );
    }

    #[test]
    fn a_field_added_to_a_struct_callers_can_build_is_breaking() {
        let old = quote! { pub struct A { pub a: String } };
        let new = quote! { pub struct A { pub a: String, pub b: bool } };
        assert_eq!(levels(old, new), vec![("types::A.b".to_owned(), Level::Major, false)]);
    }

    #[test]
    fn a_calls_own_methods_are_its_builders_and_the_shared_ones_the_generic_builders() {
        let new = surface(quote! {
            pub type GetA = crate::RequestBuilder<params::GetA>;
            impl crate::RequestBuilder<params::GetA> { pub fn limit(self, value: i64) -> Self { self } }
            impl<Op> crate::RequestBuilder<Op> { pub fn on_behalf_of(self, account: String) -> Self { self } }
        });
        let keys: Vec<&str> = new.entries.keys().map(String::as_str).collect();
        assert_eq!(keys, ["RequestBuilder::on_behalf_of", "types::GetA", "types::GetA::limit"]);
    }

    #[test]
    fn argument_counts_are_seen_and_argument_types_are_not() {
        let old = quote! { impl A { pub fn new(a: String) -> Self { todo!() } pub fn f(&self, a: i64) {} } };
        let new =
            quote! { impl A { pub fn new(a: String, b: bool) -> Self { todo!() } pub fn f(&self, a: String) {} } };
        assert_eq!(
            levels(old, new),
            vec![("types::A::f".to_owned(), Level::Major, true), ("types::A::new".to_owned(), Level::Major, false)]
        );
    }

    #[test]
    fn members_of_a_removed_type_are_told_with_it() {
        let old = quote! { #[derive(Debug, Default)] pub struct A { pub a: String } impl A { pub fn new() {} } };
        let new = quote! { #[derive(Debug)] pub struct B { pub a: String } };
        assert_eq!(
            levels(old, new),
            vec![("types::A".to_owned(), Level::Major, false), ("types::B".to_owned(), Level::Minor, false)]
        );
    }

    #[test]
    fn a_record_spelling_types_with_other_paths_reads_as_todays() {
        let old = r#"{"entries": {"types::A::send": {"fn": {"params": [],
            "output": "impl::std::future::Future<Output=::std::result::Result<Option<String>, Error>>",
            "deprecated": false}}}, "features": {}}"#;
        let today = surface(quote! {
            pub struct A;
            impl A {
                pub fn send(self) -> impl Future<Output = Result<Option<String>, crate::Error>> { todo!() }
            }
        });
        let old = Surface::from_json(old).unwrap();
        assert_eq!(old.entries["types::A::send"], today.entries["types::A::send"]);
    }

    #[test]
    fn a_trait_implemented_by_hand_counts_as_derived() {
        let derived = quote! { #[derive(Debug, ::serde::Serialize)] pub struct A; };
        let by_hand = quote! {
            #[derive(Debug)] pub struct A;
            impl ::serde::Serialize for A { fn serialize() {} }
            impl crate::wire::WireValue for A {}
            #[cfg(feature = "mock")] impl ::serde::Deserialize for A {}
        };
        assert_eq!(levels(derived.clone(), by_hand.clone()), vec![]);
        let dropped = quote! { #[derive(Debug)] pub struct A; };
        assert_eq!(levels(by_hand, dropped), vec![("types::A".to_owned(), Level::Major, false)]);
    }

    #[test]
    fn dropped_derives_and_exhaustive_variants_are_breaking() {
        let old =
            quote! { #[derive(Debug, Default)] pub struct A; pub enum E { X } #[non_exhaustive] pub enum F { X } };
        let new = quote! { #[derive(Debug)] pub struct A; pub enum E { X, Y } #[non_exhaustive] pub enum F { X, Y } };
        assert_eq!(
            levels(old, new),
            vec![
                ("types::A".to_owned(), Level::Major, false),
                ("types::E::Y".to_owned(), Level::Major, false),
                ("types::F::Y".to_owned(), Level::Minor, false),
            ]
        );
    }

    #[test]
    fn types_read_as_a_user_writes_them() {
        let text = |tokens: proc_macro2::TokenStream| tokens_text(&tokens);
        assert_eq!(text(quote!(impl ::std::convert::Into<::std::string::String>)), "impl Into<String>");
        assert_eq!(
            text(quote!(::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>)),
            "BTreeMap<String, Value>"
        );
        assert_eq!(
            text(quote!(impl ::std::iter::IntoIterator<Item = crate::types::Thing>)),
            "impl IntoIterator<Item=Thing>"
        );
        assert_eq!(text(quote!(crate::apis::dynamic_ip_pools::ListPools)), "apis::dynamic_ip_pools::ListPools");
        assert_eq!(text(quote!(&'static str)), "&'static str");
    }

    fn gated(cfg: proc_macro2::TokenStream) -> Surface {
        let mut files = RustFiles::new();
        files.insert("types/mod.rs".to_owned(), quote! { #cfg mod x; #cfg pub use x::X; });
        files.insert("types/x.rs".to_owned(), quote! { pub struct X { pub a: String } impl X { pub fn new() {} } });
        Surface::of(&files).unwrap()
    }

    #[test]
    fn a_feature_that_no_longer_compiles_a_type_breaks_the_builds_with_it_alone() {
        let both = gated(quote!(#[cfg(any(feature = "a", feature = "b"))]));
        let b_only = gated(quote!(#[cfg(feature = "b")]));
        let findings = Surface::compare(&both, &b_only);
        // Told once, on the type, not on its field and method.
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!((findings[0].key.as_str(), findings[0].level), ("types::X", Level::Major));
        assert_eq!(findings[0].only_with, ["a"]);
        assert!(findings[0].unseen_by_semver_checks);
        let widened = Surface::compare(&b_only, &both);
        assert_eq!(widened.len(), 1);
        assert_eq!(widened[0].level, Level::Minor);
        let always = gated(quote!());
        assert!(Surface::compare(&always, &b_only)[0].text.contains("now compiled only with one of the features `b`"));
        assert_eq!(Surface::compare(&b_only, &always)[0].level, Level::Minor);
    }

    #[test]
    fn a_surface_reads_back_from_its_json() {
        let surface = gated(quote!(#[cfg(feature = "b")]));
        let text = surface.to_json();
        assert_eq!(Surface::from_json(&text).unwrap(), surface);
        // Braces and keys on 6 lines, then 3 members and their 3 features.
        assert_eq!(text.lines().count(), 6 + 3 + 3, "one member per line:\n{text}");
    }

    #[test]
    fn private_items_are_not_part_of_the_surface() {
        let s = surface(quote! { struct P; pub struct A { a: String } impl A { fn f() {} pub(crate) fn g() {} } });
        assert_eq!(s.len(), 1);
    }
}
