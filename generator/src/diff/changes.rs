//! What changed between two IRs, keyed on identities: operations by operationId, parameters by
//! location and wire name, types by where their schema sits, fields and enum values by wire
//! name. Each change names the Rust members it touches ([`Target`]), so that its effect can be
//! read off the Rust surface afterwards.

use super::{Change, Group, Section, Target};
use crate::ir::{
    Api, Body, BodySetter, Operation, Param, ParamLocation, Response, SetterTarget, Status, TypeDef, TypeId, TypeKind,
    TypeRef,
};
use std::collections::{BTreeMap, BTreeSet};

/// Every change from `old` to `new`.
pub(super) fn changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    operations(old, new, &mut out);
    types(old, new, &mut out);
    servers(old, new, &mut out);
    credentials(old, new, &mut out);
    if old.time_format != new.time_format {
        let text = format!(
            "time values are written in {} instead of {}",
            new.time_format.describe(),
            old.time_format.describe()
        );
        out.push(Change::new(Section::Client, Group::Changed, "Timestamp".to_owned(), text, Vec::new()));
    }
    out
}

/// The Rust paths of an operation: its method and its builder.
struct OpPaths {
    method: String,
    builder: String,
}

fn op_paths(api: &Api, op: &Operation) -> OpPaths {
    OpPaths { method: api.method_path(op), builder: api.builder_path(op) }
}

fn operations(old: &Api, new: &Api, out: &mut Vec<Change>) {
    for (id, before) in &old.operations {
        if new.operations.contains_key(id) {
            continue;
        }
        let paths = op_paths(old, before);
        out.push(
            Change::new(
                Section::Operations,
                Group::Removed,
                id.to_string(),
                format!(
                    "`{} {}`: `{}` and its builder `{}` are removed",
                    before.method.as_str(),
                    before.path.raw,
                    paths.method,
                    paths.builder
                ),
                vec![Target::Exact(paths.method.clone()), Target::Under(paths.builder)],
            )
            .migration(format!("remove the calls to `{}`: the API no longer has it", paths.method)),
        );
    }
    for (id, after) in &new.operations {
        let paths = op_paths(new, after);
        let Some(before) = old.operations.get(id) else {
            out.push(Change::new(
                Section::Operations,
                Group::Added,
                id.to_string(),
                format!(
                    "`{} {}`: `{}`, built by `{}`",
                    after.method.as_str(),
                    after.path.raw,
                    paths.method,
                    paths.builder
                ),
                vec![Target::Exact(paths.method), Target::Under(paths.builder)],
            ));
            continue;
        };
        let mut cx = OpChanges { subject: id.to_string(), old_paths: op_paths(old, before), paths, out: Vec::new() };
        operation(&mut cx, old, new, before, after);
        out.extend(cx.out);
    }
}

struct OpChanges {
    subject: String,
    old_paths: OpPaths,
    paths: OpPaths,
    out: Vec<Change>,
}

impl OpChanges {
    fn push(&mut self, text: String, targets: Vec<Target>) {
        self.out.push(Change::new(Section::Operations, Group::Changed, self.subject.clone(), text, targets));
    }

    /// A change with what a caller does about it, should it break their code.
    fn push_migrating(&mut self, text: String, targets: Vec<Target>, migration: String) {
        let change = Change::new(Section::Operations, Group::Changed, self.subject.clone(), text, targets);
        self.out.push(change.migration(migration));
    }

    fn method(&self) -> Vec<Target> {
        vec![Target::Exact(self.old_paths.method.clone()), Target::Exact(self.paths.method.clone())]
    }

    fn setter(&self, name: &str) -> Target {
        Target::Exact(format!("{}::{name}", self.paths.builder))
    }

    fn old_setter(&self, name: &str) -> Target {
        Target::Exact(format!("{}::{name}", self.old_paths.builder))
    }

    fn builder_member(&self, name: &str) -> Vec<Target> {
        vec![self.old_setter(name), self.setter(name)]
    }
}

fn operation(cx: &mut OpChanges, old: &Api, new: &Api, before: &Operation, after: &Operation) {
    if before.name != after.name || before.builder != after.builder {
        let why = crate::naming::explain(new, &after.name_source).map(|w| format!(" ({w})")).unwrap_or_default();
        let text = format!(
            "method `{}` is renamed `{}`, its builder `{}` `{}`{why}",
            before.name, after.name, before.builder, after.builder
        );
        let targets = vec![
            Target::Exact(cx.old_paths.method.clone()),
            Target::Exact(cx.paths.method.clone()),
            Target::Under(cx.old_paths.builder.clone()),
            Target::Under(cx.paths.builder.clone()),
        ];
        let hint = format!("call `{}` where you called `{}`", cx.paths.method, cx.old_paths.method);
        cx.push_migrating(text, targets, hint);
    } else if cx.old_paths.builder != cx.paths.builder {
        let text =
            format!("moves from tag `{}` to `{}`: its builder is now `{}`", before.tag, after.tag, cx.paths.builder);
        let feature = new.tags.get(&after.tag).map(|t| t.feature.as_str()).unwrap_or_default();
        let hint = format!(
            "name the builder `{}`, and with `default-features = false` enable the feature `{feature}`",
            cx.paths.builder
        );
        // The method moves with it: a build with the old tag's feature alone loses it.
        let mut targets = vec![Target::Under(cx.old_paths.builder.clone()), Target::Under(cx.paths.builder.clone())];
        targets.extend(cx.method());
        cx.push_migrating(text, targets, hint);
    }
    if before.method != after.method || before.path.raw != after.path.raw {
        let text = format!(
            "is sent as `{} {}` instead of `{} {}`",
            after.method.as_str(),
            after.path.raw,
            before.method.as_str(),
            before.path.raw
        );
        cx.push(text, Vec::new());
    }
    match (before.deprecated, after.deprecated) {
        (false, true) => cx.push("is deprecated".to_owned(), cx.method()),
        (true, false) => cx.push("is no longer deprecated".to_owned(), cx.method()),
        _ => {}
    }
    params(cx, old, new, before, after);
    body(cx, old, new, before.body.as_ref(), after.body.as_ref());
    responses(cx, old, new, before, after);
    match (&before.pagination, &after.pagination) {
        (None, Some(_)) => cx.push("is now a paged list: `pages()` and `items()` stream it".to_owned(), paging(cx)),
        (Some(_), None) => cx.push_migrating(
            "is no longer a paged list: `pages()` and `items()` are removed".to_owned(),
            paging(cx),
            "read the whole answer of `send()` where you streamed `pages()` or `items()`".to_owned(),
        ),
        (Some(a), Some(b)) if a != b => cx.push("pages in another way".to_owned(), Vec::new()),
        _ => {}
    }
    if before.summary != after.summary || before.description != after.description {
        cx.push("documentation changes".to_owned(), Vec::new());
    }
}

fn paging(cx: &OpChanges) -> Vec<Target> {
    ["pages", "items"].iter().flat_map(|m| cx.builder_member(m)).collect()
}

fn params(cx: &mut OpChanges, old: &Api, new: &Api, before: &Operation, after: &Operation) {
    let key = |p: &Param| (p.location, p.wire.clone());
    let old_params: BTreeMap<_, &Param> = before.params.iter().map(|p| (key(p), p)).collect();
    let new_params: BTreeMap<_, &Param> = after.params.iter().map(|p| (key(p), p)).collect();
    let place = |p: &Param| format!("{} parameter `{}`", p.location.as_str(), p.wire);
    let mut moved = BTreeSet::new();
    for (k, a) in &old_params {
        if new_params.contains_key(k) {
            continue;
        }
        // The same wire name elsewhere: the parameter moved rather than went.
        if let Some(b) = after.params.iter().find(|b| b.wire == a.wire && !old_params.contains_key(&key(b))) {
            moved.insert(key(b));
            let text = format!("{} is sent in the {} now", place(a), location_noun(b.location));
            let hint = format!("set `{}` as the new signature of `{}` says", b.name, cx.paths.method);
            cx.push_migrating(text, param_targets(cx, a, b), hint);
            param(cx, old, new, a, b);
            continue;
        }
        let text = if a.required {
            format!("required {} is removed: `{}` takes one argument less", place(a), cx.paths.method)
        } else {
            format!("optional {} is removed, with its setter `{}`", place(a), a.name)
        };
        let targets = if a.required { cx.method() } else { vec![cx.old_setter(a.name.as_str())] };
        let hint = if a.required {
            format!("drop the argument `{}` of `{}`", a.name, cx.paths.method)
        } else {
            format!("stop calling `.{}(…)` on `{}`: the API no longer reads it", a.name, cx.paths.builder)
        };
        cx.push_migrating(text, targets, hint);
    }
    for (k, b) in &new_params {
        match old_params.get(k) {
            Some(a) => param(cx, old, new, a, b),
            None if moved.contains(k) => {}
            None if b.required => {
                let text = format!("new required {}: a new argument `{}` of `{}`", place(b), b.name, cx.paths.method);
                let hint = format!("`{}` now takes `{}`: pass it", cx.paths.method, b.name);
                cx.push_migrating(text, cx.method(), hint);
            }
            None => {
                let text = format!("new optional {}, set with `{}`", place(b), b.name);
                let target = vec![cx.setter(b.name.as_str())];
                cx.push(text, target);
            }
        }
    }
}

fn location_noun(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "headers",
        ParamLocation::Cookie => "cookies",
    }
}

fn param_targets(cx: &OpChanges, a: &Param, b: &Param) -> Vec<Target> {
    let mut targets = cx.method();
    targets.push(cx.old_setter(a.name.as_str()));
    targets.push(cx.setter(b.name.as_str()));
    targets
}

fn param(cx: &mut OpChanges, old: &Api, new: &Api, a: &Param, b: &Param) {
    let place = format!("{} parameter `{}`", b.location.as_str(), b.wire);
    let targets = param_targets(cx, a, b);
    if a.required != b.required {
        let (text, hint) = if b.required {
            (
                format!("{place} becomes required: an argument of `{}` instead of a setter", cx.paths.method),
                format!("pass `{}` to `{}` instead of calling `.{}(…)`", b.name, cx.paths.method, a.name),
            )
        } else {
            (
                format!(
                    "{place} becomes optional: a setter `{}` instead of an argument of `{}`",
                    b.name, cx.paths.method
                ),
                format!("set `{}` with `.{}(…)` instead of passing it to `{}`", b.name, b.name, cx.paths.method),
            )
        };
        cx.push_migrating(text, targets.clone(), hint);
    }
    if a.name != b.name {
        let hint = format!("call `.{}(…)` where you called `.{}(…)`", b.name, a.name);
        cx.push_migrating(format!("{place} is renamed `{}` (was `{}`)", b.name, a.name), targets.clone(), hint);
    }
    if a.ty != b.ty || a.nullable != b.nullable {
        let (ta, tb) = (rust_type(old, &a.ty), rust_type(new, &b.ty));
        let text = format!("{place} takes `{tb}` instead of `{ta}`");
        let hint = format!("give `{}` as `{tb}` where you gave `{ta}`", b.name);
        cx.push_migrating(text, targets.clone(), hint);
    }
    if a.style != b.style {
        cx.push(format!("{place} is written as {:?} instead of {:?}", b.style, a.style).to_lowercase(), Vec::new());
    }
    if a.deprecated != b.deprecated {
        let text =
            if b.deprecated { format!("{place} is deprecated") } else { format!("{place} is no longer deprecated") };
        cx.push(text, Vec::new());
    }
}

fn body(cx: &mut OpChanges, old: &Api, new: &Api, before: Option<&Body>, after: Option<&Body>) {
    let (a, b) = match (before, after) {
        (None, None) => return,
        (None, Some(b)) => {
            let text =
                format!("takes a {} request body ({})", if b.required { "required" } else { "optional" }, b.media_type);
            let mut targets = cx.method();
            targets.push(cx.setter("body"));
            targets.extend(b.setters.iter().map(|s| cx.setter(s.name.as_str())));
            let hint = format!("give `{}` its body, as its new signature says", cx.paths.method);
            cx.push_migrating(text, targets, hint);
            return;
        }
        (Some(a), None) => {
            let mut targets = cx.method();
            targets.push(cx.old_setter("body"));
            targets.extend(a.setters.iter().map(|s| cx.old_setter(s.name.as_str())));
            let hint = format!("stop giving `{}` a body: the API no longer reads one", cx.paths.method);
            cx.push_migrating("takes no request body any more".to_owned(), targets, hint);
            return;
        }
        (Some(a), Some(b)) => (a, b),
    };
    if a.media_type != b.media_type || a.encoding != b.encoding {
        cx.push(format!("sends its body as {} instead of {}", b.media_type, a.media_type), Vec::new());
    }
    if a.required != b.required || a.ty != b.ty {
        let text = format!(
            "its body is {} `{}` (was {} `{}`)",
            if b.required { "a required" } else { "an optional" },
            rust_type(new, &b.ty),
            if a.required { "a required" } else { "an optional" },
            rust_type(old, &a.ty)
        );
        let mut targets = cx.method();
        targets.extend(cx.builder_member("body"));
        let hint = format!("build the body of `{}` as `{}`", cx.paths.method, rust_type(new, &b.ty));
        cx.push_migrating(text, targets, hint);
    }
    let setter_key = |s: &BodySetter| s.target.clone();
    let old_setters: BTreeMap<SetterTarget, &BodySetter> = a.setters.iter().map(|s| (setter_key(s), s)).collect();
    let new_setters: BTreeMap<SetterTarget, &BodySetter> = b.setters.iter().map(|s| (setter_key(s), s)).collect();
    let what = |t: &SetterTarget| match t {
        SetterTarget::Field(wire) => format!("body field `{wire}`"),
        SetterTarget::Family(prefix) => format!("body fields `{prefix}…`"),
    };
    let role = |s: &BodySetter, method: &str| {
        if s.argument {
            format!("the argument `{}` of `{method}`", s.name)
        } else {
            format!("the setter `{}`", s.name)
        }
    };
    let targets_of = |cx: &OpChanges, s: &BodySetter, old_side: bool| {
        let mut targets = cx.method();
        targets.push(if old_side { cx.old_setter(s.name.as_str()) } else { cx.setter(s.name.as_str()) });
        targets
    };
    for (t, s) in &old_setters {
        if !new_setters.contains_key(t) {
            let text = format!("{} is removed, and with it {}", what(t), role(s, &cx.old_paths.method));
            let targets = targets_of(cx, s, true);
            let hint = format!("stop giving `{}`: the API no longer reads it", s.name);
            cx.push_migrating(text, targets, hint);
        }
    }
    for (t, s) in &new_setters {
        match old_setters.get(t) {
            None => {
                let text = format!("new {}: {}", what(t), role(s, &cx.paths.method));
                let targets = targets_of(cx, s, false);
                let hint = format!("`{}` now takes `{}`: pass it", cx.paths.method, s.name);
                cx.push_migrating(text, targets, hint);
            }
            Some(before) => {
                let field_ty = |api: &Api, body: &Body| match t {
                    SetterTarget::Field(wire) => crate::ir::struct_of(&api.types, &body.ty)
                        .and_then(|st| st.fields.iter().find(|f| &f.wire == wire))
                        .map(|f| (f.ty.clone(), f.nullable)),
                    SetterTarget::Family(_) => None,
                };
                let (ta, tb) = (field_ty(old, a), field_ty(new, b));
                if before.argument != s.argument || before.name != s.name || ta != tb {
                    let mut text = format!("{} is now {}", what(t), role(s, &cx.paths.method));
                    if let (Some((ta, _)), Some((tb, _))) = (&ta, &tb) {
                        if ta != tb {
                            text.push_str(&format!(
                                ", of type `{}` (was `{}`)",
                                rust_type(new, tb),
                                rust_type(old, ta)
                            ));
                        }
                    }
                    text.push_str(&format!(" (was {})", role(before, &cx.old_paths.method)));
                    let mut targets = targets_of(cx, s, false);
                    targets.extend(targets_of(cx, before, true));
                    let hint = match (&ta, &tb) {
                        (Some((ta, _)), Some((tb, _))) if ta != tb => {
                            format!(
                                "give `{}` as `{}` where you gave `{}`",
                                s.name,
                                rust_type(new, tb),
                                rust_type(old, ta)
                            )
                        }
                        _ => format!("give `{}` as {}", s.name, role(s, &cx.paths.method)),
                    };
                    cx.push_migrating(text, targets, hint);
                }
            }
        }
    }
}

fn answers_by_status(op: &Operation) -> BTreeMap<Status, &Response> {
    op.responses.iter().map(|r| (r.status, r)).collect()
}

fn responses(cx: &mut OpChanges, old: &Api, new: &Api, before: &Operation, after: &Operation) {
    let (a, b) = (answers_by_status(before), answers_by_status(after));
    let body = |api: &Api, r: &Response| {
        r.body.as_ref().map(|t| format!("`{}`", rust_type(api, t))).unwrap_or_else(|| "no body".to_owned())
    };
    // Error answers are read into `ErrorBody`, success answers into what `send` returns.
    let error_targets = || vec![Target::Under("ErrorBody".to_owned())];
    for (status, r) in &a {
        if !b.contains_key(status) {
            cx.push(format!("no longer documents a `{status}` answer ({})", body(old, r)), error_targets());
        }
    }
    for (status, r) in &b {
        match a.get(status) {
            None => cx.push(format!("documents a new `{status}` answer ({})", body(new, r)), error_targets()),
            Some(before) if before.body != r.body || before.format != r.format => cx.push(
                format!("its `{status}` answer is {} instead of {}", body(new, r), body(old, before)),
                error_targets(),
            ),
            _ => {}
        }
    }
    if before.output != after.output {
        let text = format!(
            "`send` returns `{}` instead of `{}`",
            rust_type(new, &after.output.ty),
            rust_type(old, &before.output.ty)
        );
        let mut targets = cx.builder_member("send");
        targets.extend(cx.builder_member("send_with_response"));
        let hint = format!("read the answer of `{}` as `{}`", cx.paths.method, rust_type(new, &after.output.ty));
        cx.push_migrating(text, targets, hint);
    }
}

fn types(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let removed: Vec<&TypeId> = old.types.keys().filter(|id| !new.types.contains_key(*id)).collect();
    let added: Vec<&TypeId> = new.types.keys().filter(|id| !old.types.contains_key(*id)).collect();
    // A schema that moved (a new identity) but kept its Rust name is compared as one type.
    let mut moved: BTreeMap<&TypeId, &TypeId> = BTreeMap::new();
    for id in &added {
        let name = &new.types[*id].name;
        if let Some(from) = removed.iter().find(|r| &old.types[**r].name == name && !moved.values().any(|m| m == *r)) {
            moved.insert(id, from);
        }
    }
    for id in &removed {
        if moved.values().any(|m| m == id) {
            continue;
        }
        let def = &old.types[*id];
        let text = format!("from {}", origin(def));
        let hint = format!("stop naming `{}`: no call sends or answers it any more", def.name);
        out.push(
            Change::new(Section::Types, Group::Removed, def.name.to_string(), text, type_targets(def)).migration(hint),
        );
    }
    for id in &added {
        let def = &new.types[*id];
        if let Some(from) = moved.get(id) {
            let before = &old.types[*from];
            let text =
                format!("its schema moves from {} to {}; the Rust type keeps its name", origin(before), origin(def));
            out.push(Change::new(Section::Types, Group::Changed, def.name.to_string(), text, Vec::new()));
            type_def(old, new, before, def, out);
            continue;
        }
        let text = format!("from {}", origin(def));
        out.push(Change::new(Section::Types, Group::Added, def.name.to_string(), text, type_targets(def)));
    }
    for (id, before) in &old.types {
        if let Some(after) = new.types.get(id) {
            type_def(old, new, before, after, out);
        }
    }
}

/// A type, and its variant of `ErrorBody` when error answers use it.
fn type_targets(def: &TypeDef) -> Vec<Target> {
    vec![Target::Under(def.path()), Target::Exact(def.error_body_path())]
}

fn origin(def: &TypeDef) -> String {
    format!("`{}`", def.pointer)
}

fn type_def(old: &Api, new: &Api, a: &TypeDef, b: &TypeDef, out: &mut Vec<Change>) {
    let subject = b.name.to_string();
    let pb = b.path();
    let mut push = |text: String, targets: Vec<Target>, migration: Option<String>| {
        let change = Change::new(Section::Types, Group::Changed, subject.clone(), text, targets);
        out.push(match migration {
            Some(hint) => change.migration(hint),
            None => change,
        });
    };
    if a.name != b.name {
        let why = crate::naming::explain(new, &b.name_source).map(|w| format!(": {w}")).unwrap_or_default();
        let mut targets = type_targets(a);
        targets.extend(type_targets(b));
        targets.push(Target::Mentions(a.name.to_string()));
        let hint = format!("rename `{}` to `{}` in your code", a.name, b.name);
        push(format!("is renamed: `{}` became `{}`{why}", a.name, b.name), targets, Some(hint));
        // Its members are told once, as part of the rename.
        return;
    }
    if a.description != b.description || a.title != b.title {
        push("documentation changes".to_owned(), Vec::new(), None);
    }
    usage(a, b, &mut push);
    features(old, new, a, b, &mut push);
    // Schemas of the same structure are generated as one type: which ones it stands for.
    for pointer in b.merged_pointers.iter().filter(|p| !a.merged_pointers.contains(p)) {
        push(format!("schema `{pointer}` has the same structure, and is generated as this type too"), Vec::new(), None);
    }
    for pointer in a.merged_pointers.iter().filter(|p| !b.merged_pointers.contains(p)) {
        push(format!("no longer stands for `{pointer}`"), Vec::new(), None);
    }
    let whole = || vec![Target::Under(pb.clone())];
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(sa), TypeKind::Struct(sb)) => {
            let fa: BTreeMap<&str, &crate::ir::Field> = sa.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
            let fb: BTreeMap<&str, &crate::ir::Field> = sb.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
            // A field's change may change the constructor and which traits the struct derives.
            let field_targets = |names: &[&str]| {
                let mut targets: Vec<Target> = names.iter().map(|n| Target::Exact(format!("{pb}.{n}"))).collect();
                targets.push(Target::Exact(format!("{pb}::new")));
                targets.push(Target::Exact(pb.clone()));
                targets
            };
            for (wire, f) in &fa {
                if !fb.contains_key(wire) {
                    let hint = format!("stop using `{}.{}`: the API no longer has it", b.name, f.name);
                    push(
                        format!("field `{wire}` (`{}`) is removed", f.name),
                        field_targets(&[f.name.as_str()]),
                        Some(hint),
                    );
                }
            }
            for (wire, f) in &fb {
                match fa.get(wire) {
                    None => push(
                        format!(
                            "new {} field `{wire}`: `{}: {}`",
                            if f.required { "required" } else { "optional" },
                            f.name,
                            rust_type(new, &f.ty)
                        ),
                        field_targets(&[f.name.as_str()]),
                        Some(if f.required {
                            format!("give `{}` to `{}::new`", f.name, b.name)
                        } else {
                            format!("where you build a `{}` literal, add `{}`", b.name, f.name)
                        }),
                    ),
                    Some(e) => {
                        let mut what = Vec::new();
                        if e.ty != f.ty {
                            what.push(format!("type `{}` (was `{}`)", rust_type(new, &f.ty), rust_type(old, &e.ty)));
                        }
                        if e.required != f.required {
                            what.push(if f.required { "required".to_owned() } else { "optional".to_owned() });
                        }
                        if e.nullable != f.nullable {
                            what.push(if f.nullable { "nullable".to_owned() } else { "not nullable".to_owned() });
                        }
                        if e.name != f.name {
                            what.push(format!("named `{}` (was `{}`)", f.name, e.name));
                        }
                        if e.repr != f.repr && what.is_empty() {
                            what.push(format!("held as {:?} (was {:?})", f.repr, e.repr).to_lowercase());
                        }
                        if !what.is_empty() {
                            let hint = format!("build and read `{}.{}` as `{}`", b.name, f.name, rust_type(new, &f.ty));
                            push(
                                format!("field `{wire}` is now {}", what.join(", ")),
                                field_targets(&[e.name.as_str(), f.name.as_str()]),
                                Some(hint),
                            );
                        }
                    }
                }
            }
            let prefixes = |s: &crate::ir::Struct| {
                s.families.iter().map(|f| (f.prefix.clone(), f.name.to_string())).collect::<BTreeSet<_>>()
            };
            for (prefix, name) in prefixes(sa).difference(&prefixes(sb)) {
                push(format!("fields `{prefix}…` are no longer collected"), field_targets(&[name]), None);
            }
            for (prefix, name) in prefixes(sb).difference(&prefixes(sa)) {
                push(format!("fields `{prefix}…` are collected in `{name}`"), field_targets(&[name]), None);
            }
            match (&sa.additional, &sb.additional) {
                (None, Some(x)) => {
                    push(format!("keeps unlisted properties in `{}`", x.name), field_targets(&[x.name.as_str()]), None)
                }
                (Some(x), None) => {
                    push("no longer keeps unlisted properties".to_owned(), field_targets(&[x.name.as_str()]), None)
                }
                (Some(x), Some(y)) if x.ty != y.ty => push(
                    format!(
                        "keeps unlisted properties as `{}` (was `{}`)",
                        rust_type(new, &y.ty),
                        rust_type(old, &x.ty)
                    ),
                    field_targets(&[y.name.as_str()]),
                    None,
                ),
                _ => {}
            }
        }
        (TypeKind::Enum(va), TypeKind::Enum(vb)) => {
            let wa: BTreeMap<&str, &str> = va.iter().map(|v| (v.wire.as_str(), v.name.as_str())).collect();
            let wb: BTreeMap<&str, &str> = vb.iter().map(|v| (v.wire.as_str(), v.name.as_str())).collect();
            for (wire, name) in &wa {
                if !wb.contains_key(wire) {
                    push(
                        format!("value `{wire}` is removed, with the variant `{name}`"),
                        vec![Target::Exact(format!("{pb}::{name}"))],
                        Some(format!("stop naming `{}::{name}`: the value now reads as `Unknown`", b.name)),
                    );
                }
            }
            for (wire, name) in &wb {
                if !wa.contains_key(wire) {
                    push(
                        format!("new value `{wire}`, the variant `{name}`"),
                        vec![Target::Exact(format!("{pb}::{name}"))],
                        Some(format!("add an arm for `{}::{name}` where you match a `{}`", b.name, b.name)),
                    );
                }
            }
        }
        (TypeKind::Union(va), TypeKind::Union(vb)) => {
            let shown = |api: &Api, v: &[crate::ir::UnionVariant]| {
                v.iter().map(|v| format!("{}({})", v.name, rust_type(api, &v.ty))).collect::<Vec<_>>().join(" | ")
            };
            if va.iter().map(|v| (&v.name, &v.ty)).ne(vb.iter().map(|v| (&v.name, &v.ty))) {
                let hint = format!("match `{}` on its variants as they are now", b.name);
                push(format!("is one of `{}` (was `{}`)", shown(new, vb), shown(old, va)), whole(), Some(hint));
            }
        }
        (TypeKind::Alias(x), TypeKind::Alias(y)) | (TypeKind::Newtype(x), TypeKind::Newtype(y)) => {
            if x != y {
                let hint = format!("use `{}` as the `{}` it stands for now", b.name, rust_type(new, y));
                push(format!("stands for `{}` (was `{}`)", rust_type(new, y), rust_type(old, x)), whole(), Some(hint));
            }
        }
        (ka, kb) => push(
            format!("is now {} (was {})", kind_noun(kb), kind_noun(ka)),
            whole(),
            Some(format!("use `{}` as {} (see its docs)", b.name, kind_noun(kb))),
        ),
    }
}

/// How a type is used decides parts of its Rust API: a type sent in requests has a constructor;
/// one only sent holds what the spec says; one read from answers holds what an answer held (every
/// field an `Option`), and keeps the rest (`undocumented`).
fn usage(a: &TypeDef, b: &TypeDef, push: &mut impl FnMut(String, Vec<Target>, Option<String>)) {
    let (ra, rb) = (&a.reach, &b.reach);
    if ra.request == rb.request && ra.response == rb.response {
        return;
    }
    let role = |reach: &crate::ir::Reach| match (reach.request, reach.response) {
        (true, true) => "sent in requests and read from answers",
        (true, false) => "only sent in requests",
        (false, true) => "only read from answers",
        (false, false) => "used by no call",
    };
    let path = b.path();
    let mut targets = vec![
        Target::Exact(path.clone()),
        Target::Exact(format!("{path}::new")),
        Target::Exact(format!("{path}::undocumented")),
    ];
    if let TypeKind::Struct(s) = &b.kind {
        targets.extend(s.fields.iter().map(|f| Target::Exact(format!("{path}.{}", f.name))));
    }
    let hint = format!("build `{}` with `new` and read its fields as its docs now say", b.name);
    push(format!("is now {} (was {})", role(rb), role(ra)), targets, Some(hint));
}

/// The cargo features that compile a type follow the calls that use it: a type no call of a
/// tag uses any more is not compiled with that tag's feature alone.
fn features(
    old: &Api,
    new: &Api,
    a: &TypeDef,
    b: &TypeDef,
    push: &mut impl FnMut(String, Vec<Target>, Option<String>),
) {
    let (fa, fb) = (old.features_of(a), new.features_of(b));
    if fa == fb {
        return;
    }
    let list = |features: &[&str]| features.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    let text = match (&fa, &fb) {
        (_, None) => "is now compiled whatever the features".to_owned(),
        (None, Some(fb)) => format!("is now compiled only with one of the features {}", list(fb)),
        (Some(fa), Some(fb)) => {
            let lost: Vec<&str> = fa.iter().filter(|f| !fb.contains(f)).copied().collect();
            let gained: Vec<&str> = fb.iter().filter(|f| !fa.contains(f)).copied().collect();
            let mut parts = Vec::new();
            if !lost.is_empty() {
                parts.push(format!("is no longer compiled with {} alone", list(&lost)));
            }
            if !gained.is_empty() {
                parts.push(format!("is compiled with {} too", list(&gained)));
            }
            parts.join(", and ")
        }
    };
    let needed = fb.as_deref().map(list).unwrap_or_default();
    let hint = format!("with `default-features = false`, enable one of {needed} to keep `{}`", b.name);
    push(text, vec![Target::Exact(b.path())], Some(hint));
}

fn kind_noun(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum of text values",
        TypeKind::Union(_) => "a union",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::Newtype(_) => "a wrapper struct",
    }
}

fn servers(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let urls = |api: &Api| api.servers.iter().map(|s| (s.url.clone(), s.name.to_string())).collect::<BTreeMap<_, _>>();
    let (a, b) = (urls(old), urls(new));
    let gone = a.iter().filter(|(url, _)| !b.contains_key(*url)).map(|entry| (Group::Removed, entry));
    let new_ones = b.iter().filter(|(url, _)| !a.contains_key(*url)).map(|entry| (Group::Added, entry));
    for (group, (url, name)) in gone.chain(new_ones) {
        let text = match group {
            Group::Removed => format!("server `{url}` is removed, with `Region::{name}`"),
            _ => format!("server `{url}`, as `Region::{name}`"),
        };
        let target = vec![Target::Exact(format!("Region::{name}"))];
        out.push(Change::new(Section::Servers, group, name.clone(), text, target));
    }
}

/// The scheme a client sends, and the calls that go without it.
fn credentials(old: &Api, new: &Api, out: &mut Vec<Change>) {
    if old.auth != new.auth {
        let text = format!("the client sends {} instead of {}", new.auth.describe(), old.auth.describe());
        let constructors = vec![Target::Exact("Client::new".to_owned()), Target::Exact("Client::builder".to_owned())];
        let change = Change::new(Section::Client, Group::Changed, "Client".to_owned(), text, constructors)
            .migration(format!("give `Client::new` the credentials for {}", new.auth.describe()));
        out.push(change);
    }
    for (id, after) in &new.operations {
        let Some(before) = old.operations.get(id) else { continue };
        if before.anonymous == after.anonymous {
            continue;
        }
        let method = new.method_path(after);
        let text = if after.anonymous {
            format!("`{method}` is sent without credentials")
        } else {
            format!("`{method}` is sent with the client's credentials")
        };
        out.push(Change::new(Section::Client, Group::Changed, id.to_string(), text, Vec::new()));
    }
}

/// A type as the Rust API spells it, through the emitter that spells it.
fn rust_type(api: &Api, ty: &TypeRef) -> String {
    super::surface::tokens_text(&crate::emit::Cx { api }.rust_type(ty))
}
