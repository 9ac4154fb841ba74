//! What the generator could not represent as the document says it: every place a schema
//! became untyped JSON, a construct was ignored or read leniently, a name had to be invented, or
//! a part was left out. `cargo xtask codegen` counts them on one line and lists them with
//! `--report-degraded`; nothing is degraded silently.

use crate::ir::{Api, TypeDef, TypeKind, TypeRef};
use std::fmt;

/// One place the generated crate says less than the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Degraded {
    /// What happened there.
    pub kind: DegradedKind,
    /// The JSON pointer into the document (or the operation).
    pub pointer: String,
    /// Why, in one sentence.
    pub reason: String,
}

/// The kinds of degradation, in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DegradedKind {
    /// A value the crate holds as untyped JSON (`serde_json::Value`).
    Untyped,
    /// A construct of the document the generated code does not act on.
    Ignored,
    /// A value outside the vocabulary, read the way real documents mean it.
    Lenient,
    /// A name the document does not give, made up from where the item sits.
    InventedName,
    /// A part of the document that generates nothing.
    LeftOut,
}

impl DegradedKind {
    /// The word the report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            DegradedKind::Untyped => "untyped",
            DegradedKind::Ignored => "ignored",
            DegradedKind::Lenient => "lenient",
            DegradedKind::InventedName => "invented name",
            DegradedKind::LeftOut => "left out",
        }
    }
}

impl DegradedKind {
    /// `3 untyped`, `1 invented name`, `78 invented names`.
    pub fn counted(self, n: usize) -> String {
        match self {
            DegradedKind::InventedName if n != 1 => format!("{n} invented names"),
            kind => format!("{n} {}", kind.as_str()),
        }
    }
}

impl fmt::Display for Degraded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<13} {}: {}", self.kind.as_str(), self.pointer, self.reason)
    }
}

/// Every degradation: the `noted` ones found while reading the document, and those the IR
/// shows (untyped values, invented names, parts left out), sorted.
pub fn degraded(api: &Api, noted: Vec<Degraded>) -> Vec<Degraded> {
    let mut out = noted;
    let mut untyped = |pointer: String, ty: &TypeRef| {
        if let Some(reason) = untyped_reason(ty) {
            out.push(Degraded { kind: DegradedKind::Untyped, pointer, reason });
        }
    };
    for def in api.types.values() {
        type_def(def, &mut untyped);
    }
    for op in api.operations.values() {
        for param in &op.params {
            untyped(format!("{}/parameters/{}:{}", op.pointer, param.location.as_str(), param.wire), &param.ty);
        }
        if let Some(body) = &op.body {
            untyped(format!("{}/requestBody", op.pointer), &body.ty);
        }
        for response in &op.responses {
            if let Some(ty) = &response.body {
                untyped(format!("{}/responses/{}", op.pointer, response.status), ty);
            }
        }
    }
    for op in api.operations.values().filter(|op| op.id_synthesized) {
        out.push(Degraded {
            kind: DegradedKind::InventedName,
            pointer: op.pointer.clone(),
            reason: format!("no operationId: the method `{}` is named after the method and path", op.name),
        });
    }
    for def in api.types.values() {
        if let crate::ir::Origin::Inline { .. } = def.origin {
            out.push(Degraded {
                kind: DegradedKind::InventedName,
                pointer: def.pointer.clone(),
                reason: format!("an inline schema: the type `{}` is named after where it sits", def.name),
            });
        }
    }
    for left in &api.left_out {
        out.push(Degraded { kind: DegradedKind::LeftOut, pointer: left.what.clone(), reason: left.reason.clone() });
    }
    out.sort();
    out.dedup();
    out
}

/// The untyped places of a type: fields, map values, union variants, alias targets.
fn type_def(def: &TypeDef, untyped: &mut impl FnMut(String, &TypeRef)) {
    match &def.kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                untyped(format!("{}/properties/{}", def.pointer, field.wire), &field.ty);
            }
            if let Some(additional) = &s.additional {
                untyped(format!("{}/additionalProperties", def.pointer), &additional.ty);
            }
        }
        TypeKind::Union(variants) => {
            for (i, variant) in variants.iter().enumerate() {
                untyped(format!("{}/oneOf/{i}", def.pointer), &variant.ty);
            }
        }
        TypeKind::Alias(target) | TypeKind::Newtype(target) => untyped(def.pointer.clone(), target),
        TypeKind::Enum(_) => {}
    }
}

/// Why a type holds untyped JSON, or `None` when it does not.
fn untyped_reason(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Any => Some("the schema gives no type: any JSON value (`serde_json::Value`)".to_owned()),
        TypeRef::Prim(crate::ir::Prim::Json) => {
            Some("text holding JSON the schema does not describe (`serde_json::Value`)".to_owned())
        }
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => untyped_reason(inner),
        _ => None,
    }
}
