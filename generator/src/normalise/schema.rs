//! Schemas → type references and named types.
//!
//! [`shape`] reads any `openapiv3` schema, including the ones it could not classify
//! (`SchemaKind::Any`), into a small [`Shape`]; the rest of the module works on shapes, one
//! function per construct. A schema that says nothing usable becomes `serde_json::Value` rather
//! than an error: a client that compiles and hands over the raw JSON beats one that cannot be
//! generated.

use super::{Component, Normaliser, SCHEMA_PREFIX};
use crate::error::{escape_token, join, Issue};
use crate::ir::*;
use indexmap::IndexMap;
use openapiv3 as oa;
use std::collections::BTreeSet;

/// A schema or a reference to one, whatever box it came in.
#[derive(Clone, Copy)]
pub(super) enum SchemaView<'a> {
    Ref(&'a str),
    Item(&'a oa::Schema),
}

impl<'a> From<&'a oa::ReferenceOr<oa::Schema>> for SchemaView<'a> {
    fn from(value: &'a oa::ReferenceOr<oa::Schema>) -> Self {
        match value {
            oa::ReferenceOr::Reference { reference } => SchemaView::Ref(reference),
            oa::ReferenceOr::Item(schema) => SchemaView::Item(schema),
        }
    }
}

impl<'a> From<&'a oa::ReferenceOr<Box<oa::Schema>>> for SchemaView<'a> {
    fn from(value: &'a oa::ReferenceOr<Box<oa::Schema>>) -> Self {
        match value {
            oa::ReferenceOr::Reference { reference } => SchemaView::Ref(reference),
            oa::ReferenceOr::Item(schema) => SchemaView::Item(schema),
        }
    }
}

/// The properties of an object, wherever openapiv3 put them.
#[derive(Clone, Copy)]
pub(super) struct ObjectView<'a> {
    properties: &'a IndexMap<String, oa::ReferenceOr<Box<oa::Schema>>>,
    required: &'a [String],
    additional: Option<&'a oa::AdditionalProperties>,
}

impl<'a> ObjectView<'a> {
    fn of_object(o: &'a oa::ObjectType) -> Self {
        ObjectView { properties: &o.properties, required: &o.required, additional: o.additional_properties.as_ref() }
    }

    fn of_any(a: &'a oa::AnySchema) -> Self {
        ObjectView { properties: &a.properties, required: &a.required, additional: a.additional_properties.as_ref() }
    }

    /// A map rather than a struct: no properties, but a schema (or `true`) for the others.
    fn is_map(&self) -> bool {
        self.properties.is_empty()
            && matches!(
                self.additional,
                Some(oa::AdditionalProperties::Schema(_) | oa::AdditionalProperties::Any(true))
            )
    }
}

/// What a schema is, as far as the Rust type is concerned.
pub(super) enum Shape<'a> {
    String {
        binary: bool,
        /// The string holds JSON text (`format: json`, which the downlevel step makes of a
        /// JSON `contentMediaType`).
        json: bool,
        /// A date, and the form the document asks for: `format: date-time` or `date`, or a
        /// description that says RFC 2822 (or 1123).
        timestamp: Option<TimeFormat>,
        values: Vec<&'a str>,
    },
    Integer {
        int32: bool,
    },
    Number,
    Boolean,
    Array(Option<SchemaView<'a>>),
    Object(ObjectView<'a>),
    /// `allOf` members, plus the schema's own properties when it has some beside the `allOf`.
    AllOf(Vec<SchemaView<'a>>, Option<ObjectView<'a>>),
    /// `oneOf`/`anyOf` branches (key `oneOf` or `anyOf` for pointers).
    Union(&'static str, Vec<SchemaView<'a>>),
    Any,
}

/// Whether a description says its string is a date in a text format: "in RFC 2822 format",
/// "[RFC-2822 format](…)", "serialized as RFC 1123". A mention of the RFC for anything else
/// ("a valid atom per RFC2822") does not count.
pub(super) fn says_timestamp(description: Option<&str>) -> bool {
    let Some(text) = description else { return false };
    let text: String = text.to_ascii_lowercase().chars().filter(|c| !matches!(c, '[' | ']' | '-' | ' ')).collect();
    ["822", "2822", "1123", "5322"]
        .iter()
        .any(|rfc| text.contains(&format!("rfc{rfc}format")) || text.contains(&format!("asrfc{rfc}")))
}

/// Whether text is a date in one of the forms APIs write: RFC 2822 (`Thu, 13 Oct 2011
/// 18:02:00 GMT`), RFC 3339 or ISO 8601 (`2025-01-01T00:00:00Z`, with or without a zone), or
/// Go's `time.String()` (`2023-01-02 02:14:27 +0000 UTC`).
pub(super) fn looks_like_date(text: &str) -> bool {
    const DAYS: [&str; 7] = ["Mon, ", "Tue, ", "Wed, ", "Thu, ", "Fri, ", "Sat, ", "Sun, "];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let text = text.trim();
    if let Some(rest) = DAYS.iter().find_map(|d| text.strip_prefix(d)) {
        // `13 Oct 2011 18:02:00 …`
        let parts: Vec<&str> = rest.split(' ').collect();
        return parts.len() >= 4
            && parts[0].len() <= 2
            && parts[0].chars().all(|c| c.is_ascii_digit())
            && MONTHS.contains(&parts[1])
            && parts[2].len() == 4
            && parts[2].chars().all(|c| c.is_ascii_digit())
            && is_clock(parts[3]);
    }
    // `2025-01-01T00:00:00…` or `2025-01-01 00:00:00…`
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    bytes.len() >= 19
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && matches!(bytes[10], b'T' | b' ')
        && text.get(11..19).is_some_and(is_clock)
}

/// `18:02:00` or `18:02`.
fn is_clock(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    (2..=3).contains(&parts.len()) && parts.iter().all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_digit()))
}

/// Reads a schema into its [`Shape`].
pub(super) fn shape(schema: &oa::Schema) -> Shape<'_> {
    use oa::{SchemaKind as K, Type as T};
    match &schema.schema_kind {
        K::Type(T::String(s)) => Shape::String {
            binary: matches!(s.format, oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary)),
            json: matches!(&s.format, oa::VariantOrUnknownOrEmpty::Unknown(f) if f == "json"),
            timestamp: match s.format {
                oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::DateTime) => Some(TimeFormat::Rfc3339),
                oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Date) => Some(TimeFormat::Date),
                _ => says_timestamp(schema.schema_data.description.as_deref()).then_some(TimeFormat::Rfc2822),
            },
            values: s.enumeration.iter().flatten().map(String::as_str).collect(),
        },
        K::Type(T::Integer(i)) => {
            Shape::Integer { int32: matches!(i.format, oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int32)) }
        }
        K::Type(T::Number(_)) => Shape::Number,
        K::Type(T::Boolean(_)) => Shape::Boolean,
        K::Type(T::Array(a)) => Shape::Array(a.items.as_ref().map(SchemaView::from)),
        K::Type(T::Object(o)) => Shape::Object(ObjectView::of_object(o)),
        K::AllOf { all_of } => Shape::AllOf(all_of.iter().map(SchemaView::from).collect(), None),
        K::OneOf { one_of } => Shape::Union("oneOf", one_of.iter().map(SchemaView::from).collect()),
        K::AnyOf { any_of } => Shape::Union("anyOf", any_of.iter().map(SchemaView::from).collect()),
        // A negation constrains values but says nothing of their shape.
        K::Not { .. } => Shape::Any,
        K::Any(any) => shape_of_any(any, schema.schema_data.description.as_deref()),
    }
}

/// openapiv3 puts every schema it cannot classify in `AnySchema`: no `type`, a `type` with
/// keywords of another type, or properties beside a composition. The shape is read from what
/// is there.
fn shape_of_any<'a>(any: &'a oa::AnySchema, description: Option<&str>) -> Shape<'a> {
    let has_properties = !any.properties.is_empty();
    if !any.all_of.is_empty() {
        let own = has_properties.then(|| ObjectView::of_any(any));
        return Shape::AllOf(any.all_of.iter().map(SchemaView::from).collect(), own);
    }
    // `oneOf: [{required: [a]}, {required: [b]}]` beside properties only constrains them.
    for (key, branches) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
        let branches: Vec<SchemaView<'_>> = branches.iter().map(SchemaView::from).collect();
        if !has_properties && branches.iter().any(|b| !is_annotation(*b)) {
            return Shape::Union(key, branches);
        }
    }
    match any.typ.as_deref() {
        _ if has_properties => Shape::Object(ObjectView::of_any(any)),
        Some("object") => Shape::Object(ObjectView::of_any(any)),
        Some("array") => Shape::Array(any.items.as_ref().map(SchemaView::from)),
        Some("string") => Shape::String {
            binary: any.format.as_deref() == Some("binary"),
            json: any.format.as_deref() == Some("json"),
            timestamp: match any.format.as_deref() {
                Some("date-time") => Some(TimeFormat::Rfc3339),
                Some("date") => Some(TimeFormat::Date),
                _ => says_timestamp(description).then_some(TimeFormat::Rfc2822),
            },
            values: any.enumeration.iter().filter_map(|v| v.as_str()).collect(),
        },
        Some("integer") => Shape::Integer { int32: any.format.as_deref() == Some("int32") },
        Some("number") => Shape::Number,
        Some("boolean") => Shape::Boolean,
        _ if any.additional_properties.is_some() => Shape::Object(ObjectView::of_any(any)),
        _ if any.items.is_some() => Shape::Array(any.items.as_ref().map(SchemaView::from)),
        _ if !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string()) => Shape::String {
            binary: false,
            json: false,
            timestamp: None,
            values: any.enumeration.iter().filter_map(|v| v.as_str()).collect(),
        },
        _ => Shape::Any,
    }
}

/// A schema that only annotates or constrains (`{description: …}`, `{required: [a]}`): as an
/// `allOf` member or union branch it adds no shape.
fn is_annotation(view: SchemaView<'_>) -> bool {
    match view {
        SchemaView::Ref(_) => false,
        SchemaView::Item(schema) => match &schema.schema_kind {
            oa::SchemaKind::Any(any) => {
                any.typ.is_none()
                    && any.properties.is_empty()
                    && any.additional_properties.is_none()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
            }
            _ => false,
        },
    }
}

/// What a component schema stands for, if it is only another name for something.
pub(super) enum AliasTarget {
    /// Another component (`$ref`, or a one-member `allOf` around one).
    Component(String),
    /// A plain string, number or boolean.
    Primitive(Prim),
    /// Something of its own.
    Other,
}

pub(super) fn alias_target(schema: &oa::ReferenceOr<oa::Schema>) -> AliasTarget {
    let view = SchemaView::from(schema);
    let view = match view {
        SchemaView::Item(s) => match shape(s) {
            Shape::AllOf(members, None) => {
                let real: Vec<SchemaView<'_>> = members.into_iter().filter(|m| !is_annotation(*m)).collect();
                match real.as_slice() {
                    [only] => *only,
                    _ => return AliasTarget::Other,
                }
            }
            _ => view,
        },
        SchemaView::Ref(_) => view,
    };
    match view {
        SchemaView::Ref(reference) => match component_name(reference) {
            Some(name) => AliasTarget::Component(name),
            None => AliasTarget::Other,
        },
        SchemaView::Item(s) => match shape(s) {
            Shape::String { binary: true, .. } => AliasTarget::Primitive(Prim::File),
            Shape::String { json: true, .. } => AliasTarget::Primitive(Prim::Json),
            Shape::String { timestamp: Some(_), ref values, .. } if values.is_empty() => {
                AliasTarget::Primitive(Prim::Timestamp)
            }
            Shape::String { values, .. } if values.is_empty() => AliasTarget::Primitive(Prim::String),
            Shape::Integer { int32 } => AliasTarget::Primitive(if int32 { Prim::I32 } else { Prim::I64 }),
            Shape::Number => AliasTarget::Primitive(Prim::F64),
            Shape::Boolean => AliasTarget::Primitive(Prim::Bool),
            _ => AliasTarget::Other,
        },
    }
}

/// The component a local reference names (`#/components/schemas/A~1B` → `A/B`), with URI
/// percent-escapes and JSON-pointer escapes undone.
pub(super) fn component_name(reference: &str) -> Option<String> {
    match crate::refs::local_tokens(reference)?.as_slice() {
        [components, schemas, name] if components == "components" && schemas == "schemas" => Some(name.clone()),
        _ => None,
    }
}

/// Where a schema is being converted: its identity, its real pointer, and its place.
#[derive(Debug, Clone)]
pub(super) struct At {
    /// The type identity a named type defined here gets.
    pub id: String,
    /// The JSON pointer in the document.
    pub pointer: String,
    /// The component or operation it belongs to.
    pub owner: Owner,
    /// The steps from the owner down to here.
    pub steps: Vec<Step>,
}

impl At {
    /// The root of a component schema.
    pub fn component(name: &str) -> At {
        let pointer = format!("{SCHEMA_PREFIX}{}", escape_token(name));
        At { id: pointer.clone(), pointer, owner: Owner::Component(name.to_owned()), steps: Vec::new() }
    }

    /// A place in an operation: `id` and `pointer` differ only for parameters, which are
    /// identified by location and name rather than by position.
    pub fn operation(id: String, pointer: String, operation: &OperationId, place: Place) -> At {
        At { id, pointer, owner: Owner::Operation { operation: operation.clone(), place }, steps: Vec::new() }
    }

    /// One level down, through the JSON keys `keys`, taking the naming step `step` if any.
    pub fn down(&self, keys: &[&str], step: Option<Step>) -> At {
        let mut steps = self.steps.clone();
        steps.extend(step);
        At { id: join(&self.id, keys), pointer: join(&self.pointer, keys), owner: self.owner.clone(), steps }
    }

    /// Where the schema sits, for naming.
    pub fn origin(&self) -> Origin {
        match (&self.owner, self.steps.is_empty()) {
            (Owner::Component(name), true) => Origin::Component(name.clone()),
            _ => Origin::Inline { owner: self.owner.clone(), steps: self.steps.clone() },
        }
    }
}

/// A converted schema: its type, and whether the schema itself allows `null`. Fields and
/// parameters keep nullability as a flag; lists and maps wrap the element in `Option`.
#[derive(Debug, Clone)]
pub(super) struct Typed {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Typed {
    fn plain(ty: TypeRef) -> Typed {
        Typed { ty, nullable: false }
    }

    /// The type in an element position (list item, map value, union variant, alias target).
    pub fn element(self) -> TypeRef {
        if self.nullable {
            self.ty.optional()
        } else {
            self.ty
        }
    }
}

impl<'a> Normaliser<'a> {
    /// Resolves a schema `$ref` to the type it names.
    pub(super) fn component_ref(&self, reference: &str, pointer: &str) -> Result<Typed, Issue> {
        let name = component_name(reference)
            .ok_or_else(|| Issue::at(pointer, format!("reference `{reference}` is not to a local component schema")))?;
        let kind = self
            .components
            .get(&name)
            .ok_or_else(|| Issue::at(pointer, format!("reference `{reference}` points at no schema")))?;
        let nullable = match self.schemas().and_then(|s| s.get(&name)) {
            Some(oa::ReferenceOr::Item(schema)) => schema.schema_data.nullable,
            _ => false,
        };
        let ty = match kind {
            Component::Primitive(prim) => TypeRef::Prim(*prim),
            Component::Defined => TypeRef::Named(TypeId(super::component_pointer(&name))),
        };
        Ok(Typed { ty, nullable })
    }

    /// The type of a schema in some position. Objects, enums and unions written in place get
    /// a named type identified by `at`.
    pub(super) fn schema_type(&mut self, view: SchemaView<'a>, at: &At) -> Result<Typed, Issue> {
        let schema = match view {
            SchemaView::Ref(reference) => return self.component_ref(reference, &at.pointer),
            SchemaView::Item(schema) => schema,
        };
        let nullable = schema.schema_data.nullable;
        let shape = shape(schema);
        if let Some(typed) = self.single_member(&shape, at)? {
            return Ok(Typed { ty: typed.ty, nullable: nullable || typed.nullable });
        }
        let ty = if self.needs_definition(&shape) {
            self.define(schema, shape, at)?;
            TypeRef::Named(TypeId(at.id.clone()))
        } else {
            self.plain(shape, at)?
        };
        Ok(Typed { ty, nullable })
    }

    /// An `allOf` or union with one real member (the rest only annotate) is that member.
    fn single_member(&mut self, shape: &Shape<'a>, at: &At) -> Result<Option<Typed>, Issue> {
        let (key, members, own) = match shape {
            Shape::AllOf(members, own) => ("allOf", members, own.is_some()),
            Shape::Union(key, members) => (*key, members, false),
            _ => return Ok(None),
        };
        let real: Vec<(usize, SchemaView<'a>)> =
            members.iter().copied().enumerate().filter(|(_, m)| !is_annotation(*m)).collect();
        match (real.as_slice(), own) {
            ([], false) => Ok(Some(Typed::plain(TypeRef::Any))),
            ([(i, member)], false) => {
                let step = (key != "allOf").then_some(Step::Variant(*i));
                Ok(Some(self.schema_type(*member, &at.down(&[key, &i.to_string()], step))?))
            }
            _ => Ok(None),
        }
    }

    /// A schema that needs no named type of its own.
    fn plain(&mut self, shape: Shape<'a>, at: &At) -> Result<TypeRef, Issue> {
        Ok(match shape {
            Shape::String { binary: true, .. } => TypeRef::Prim(Prim::File),
            Shape::String { json: true, .. } => TypeRef::Prim(Prim::Json),
            Shape::String { timestamp: Some(format), .. } => {
                self.time_formats.entry(format).or_insert_with(|| (0, at.pointer.clone())).0 += 1;
                TypeRef::Prim(Prim::Timestamp)
            }
            Shape::String { .. } => TypeRef::Prim(Prim::String),
            Shape::Integer { int32: true } => TypeRef::Prim(Prim::I32),
            Shape::Integer { int32: false } => TypeRef::Prim(Prim::I64),
            Shape::Number => TypeRef::Prim(Prim::F64),
            Shape::Boolean => TypeRef::Prim(Prim::Bool),
            Shape::Array(Some(items)) => {
                let item = self.schema_type(items, &at.down(&["items"], Some(Step::Items)))?;
                TypeRef::Vec(Box::new(item.element()))
            }
            Shape::Array(None) => TypeRef::Vec(Box::new(TypeRef::Any)),
            Shape::Object(object) => match object.additional {
                Some(oa::AdditionalProperties::Schema(value)) => {
                    let value = self
                        .schema_type(value.as_ref().into(), &at.down(&["additionalProperties"], Some(Step::Values)))?;
                    TypeRef::Map(Box::new(value.element()))
                }
                Some(oa::AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Any)),
                // An object with no properties says nothing about its shape.
                _ => TypeRef::Any,
            },
            Shape::AllOf(members, _) => self.all_of_scalar(&members, at)?,
            Shape::Union(..) | Shape::Any => TypeRef::Any,
        })
    }

    /// An `allOf` of non-objects is the one type all its members agree on (`allOf: [string,
    /// {format: email}]`); members that contradict each other are an error.
    fn all_of_scalar(&mut self, members: &[SchemaView<'a>], at: &At) -> Result<TypeRef, Issue> {
        let mut found: Option<TypeRef> = None;
        for (i, member) in members.iter().enumerate().filter(|(_, m)| !is_annotation(**m)) {
            let ty = self.schema_type(*member, &at.down(&["allOf", &i.to_string()], None))?.ty;
            found = match found {
                None => Some(ty),
                // A string beside a string enum narrows it to the enum.
                Some(TypeRef::Prim(Prim::String)) if matches!(ty, TypeRef::Named(_)) => Some(ty),
                Some(prev) if prev == ty || ty == TypeRef::Prim(Prim::String) && matches!(prev, TypeRef::Named(_)) => {
                    Some(prev)
                }
                Some(prev) => {
                    return Err(Issue::at(
                        &at.pointer,
                        format!("allOf members of different kinds cannot be merged (`{prev}` and `{ty}`)"),
                    ))
                }
            };
        }
        Ok(found.unwrap_or(TypeRef::Any))
    }

    /// Defines a component schema: a named type of its kind, or an alias.
    pub(super) fn define_component(&mut self, schema: &'a oa::Schema, at: &At) -> Result<(), Issue> {
        let shape = shape(schema);
        if self.needs_definition(&shape) {
            return self.define(schema, shape, at);
        }
        let target = match self.single_member(&shape, at)? {
            Some(typed) => typed.element(),
            None => self.plain(shape, at)?,
        };
        let (title, description) = texts(schema);
        self.insert(at, title, description, TypeKind::Alias(target));
        Ok(())
    }

    /// Adds a named type for a schema (once: a schema reached twice is defined once).
    fn define(&mut self, schema: &'a oa::Schema, shape: Shape<'a>, at: &At) -> Result<(), Issue> {
        let id = TypeId(at.id.clone());
        if self.types.contains_key(&id) || !self.defining.insert(id.clone()) {
            return Ok(());
        }
        let kind = self.kind(schema, shape, at);
        self.defining.remove(&id);
        let (title, description) = texts(schema);
        self.insert(at, title, description, kind?);
        Ok(())
    }

    /// What a named type is, its members' types defined on the way.
    fn kind(&mut self, schema: &'a oa::Schema, shape: Shape<'a>, at: &At) -> Result<TypeKind<Unnamed>, Issue> {
        Ok(match shape {
            Shape::String { values, .. } => TypeKind::Enum(enum_variants(schema, &values)),
            Shape::Object(object) => TypeKind::Struct(self.object(&[(object, at.clone())])?),
            Shape::AllOf(members, own) => {
                let mut parts = Vec::new();
                for (i, member) in members.iter().enumerate().filter(|(_, m)| !is_annotation(**m)) {
                    self.object_parts(*member, &at.down(&["allOf", &i.to_string()], None), &mut parts)?;
                }
                parts.extend(own.map(|o| (o, at.clone())));
                TypeKind::Struct(self.object(&parts)?)
            }
            Shape::Union(key, members) => {
                let mut variants = Vec::new();
                for (i, member) in members.iter().enumerate().filter(|(_, m)| !is_annotation(**m)) {
                    let ty = self.schema_type(*member, &at.down(&[key, &i.to_string()], Some(Step::Variant(i))))?;
                    variants.push(UnionVariant { name: (), ty: ty.element(), boxed: false });
                }
                TypeKind::Union(variants)
            }
            other => TypeKind::Alias(self.plain(other, at)?),
        })
    }

    /// The objects an `allOf` member contributes: itself, or the members of a nested `allOf`,
    /// following references.
    fn object_parts(
        &mut self,
        view: SchemaView<'a>,
        at: &At,
        parts: &mut Vec<(ObjectView<'a>, At)>,
    ) -> Result<(), Issue> {
        let (schema, at) = match view {
            SchemaView::Item(schema) => (schema, at.clone()),
            SchemaView::Ref(reference) => {
                let name = component_name(reference).ok_or_else(|| {
                    Issue::at(&at.pointer, format!("reference `{reference}` is not to a local component schema"))
                })?;
                match self.schemas().and_then(|s| s.get(&name)) {
                    Some(oa::ReferenceOr::Item(schema)) => (schema, At::component(&name)),
                    Some(oa::ReferenceOr::Reference { reference }) => {
                        return self.object_parts(SchemaView::Ref(reference), &At::component(&name), parts)
                    }
                    None => return Err(Issue::at(&at.pointer, format!("reference `{reference}` points at no schema"))),
                }
            }
        };
        match shape(schema) {
            Shape::Object(object) => parts.push((object, at)),
            Shape::AllOf(members, own) => {
                for (i, member) in members.iter().enumerate().filter(|(_, m)| !is_annotation(**m)) {
                    self.object_parts(*member, &at.down(&["allOf", &i.to_string()], None), parts)?;
                }
                parts.extend(own.map(|o| (o, at)));
            }
            Shape::Union(..) | Shape::Any => {}
            _ => {
                return Err(Issue::at(
                    &at.pointer,
                    "allOf mixes objects with other kinds of values, which cannot be merged into one type",
                ))
            }
        }
        Ok(())
    }

    /// A struct from one object schema, or several merged (`allOf`). Later parts' properties
    /// replace earlier ones of the same name; `required` is the union.
    fn object(&mut self, parts: &[(ObjectView<'a>, At)]) -> Result<Struct<Unnamed>, Issue> {
        let mut properties: Vec<(&'a str, SchemaView<'a>, At)> = Vec::new();
        let mut required: BTreeSet<&str> = BTreeSet::new();
        let mut additional = None;
        for (object, part_at) in parts {
            for (prop, schema) in object.properties {
                // A property of a referenced component keeps that component's identity, so its
                // inline types are defined once, under the component that owns them.
                let prop_at = part_at.down(&["properties", prop], Some(Step::Property(prop.clone())));
                properties.retain(|(p, _, _)| p != prop);
                properties.push((prop, schema.into(), prop_at));
            }
            required.extend(object.required.iter().map(String::as_str));
            match object.additional {
                Some(oa::AdditionalProperties::Schema(value)) => {
                    let value_at = part_at.down(&["additionalProperties"], Some(Step::Values));
                    let ty = self.schema_type(value.as_ref().into(), &value_at)?.element();
                    additional = Some(Additional { name: (), ty });
                }
                Some(oa::AdditionalProperties::Any(true)) => {
                    additional = Some(Additional { name: (), ty: TypeRef::Any })
                }
                _ => {}
            }
        }
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, view, prop_at) in properties {
            let typed = self.schema_type(view, &prop_at)?;
            let docs = match view {
                SchemaView::Item(schema) => field_docs(schema),
                SchemaView::Ref(_) => FieldDocs::default(),
            };
            fields.push(Field {
                wire: wire.to_owned(),
                name: (),
                ty: typed.ty,
                required: required.contains(wire),
                nullable: typed.nullable,
                boxed: false,
                repr: FieldRepr::Plain,
                docs,
            });
        }
        Ok(Struct { fields, additional, families: Vec::new(), undocumented: () })
    }
}

impl<'a> Normaliser<'a> {
    /// Whether a schema becomes a named type of its own where it is written: a string enum, an
    /// object with properties, a union, or an `allOf` that merges objects.
    fn needs_definition(&self, shape: &Shape<'_>) -> bool {
        match shape {
            Shape::String { values, .. } => !values.is_empty(),
            Shape::Object(object) => !object.properties.is_empty() && !object.is_map(),
            Shape::AllOf(members, own) => {
                own.is_some() || members.iter().any(|m| !is_annotation(*m) && self.is_object(*m, 0))
            }
            Shape::Union(_, members) => members.iter().filter(|m| !is_annotation(**m)).count() > 1,
            _ => false,
        }
    }

    /// Whether a schema (following references) describes an object.
    fn is_object(&self, view: SchemaView<'_>, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        let schema = match view {
            SchemaView::Item(schema) => schema,
            SchemaView::Ref(reference) => match component_name(reference).and_then(|n| self.schemas()?.get(&n)) {
                Some(component) => return self.is_object(component.into(), depth + 1),
                None => return false,
            },
        };
        match shape(schema) {
            Shape::Object(_) => true,
            Shape::AllOf(members, own) => own.is_some() || members.iter().any(|m| self.is_object(*m, depth + 1)),
            _ => false,
        }
    }
}

/// A schema's title and description, empty ones dropped. A title that is only the schema's
/// name written as one word (`EventResponse`) says nothing a reader can use, and is dropped too.
pub(super) fn texts(schema: &oa::Schema) -> (Option<String>, Option<String>) {
    let clean = |t: &Option<String>| t.as_ref().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let title = clean(&schema.schema_data.title).filter(|t| t.contains(char::is_whitespace));
    (title, clean(&schema.schema_data.description))
}

fn field_docs(schema: &oa::Schema) -> FieldDocs {
    let (title, description) = texts(schema);
    let format = match &schema.schema_kind {
        oa::SchemaKind::Type(oa::Type::String(s)) => serde_json::to_value(&s.format).ok(),
        oa::SchemaKind::Type(oa::Type::Integer(i)) => serde_json::to_value(&i.format).ok(),
        oa::SchemaKind::Type(oa::Type::Number(n)) => serde_json::to_value(&n.format).ok(),
        oa::SchemaKind::Any(a) => a.format.clone().map(serde_json::Value::String),
        _ => None,
    }
    .and_then(|v| v.as_str().map(str::to_owned))
    .filter(|f| !f.is_empty());
    FieldDocs {
        description: description.or(title),
        format,
        default: schema.schema_data.default.as_ref().map(|d| d.to_string()),
        deprecated: schema.schema_data.deprecated,
        read_only: schema.schema_data.read_only,
        example: schema.schema_data.example.clone(),
    }
}

fn enum_variants(schema: &oa::Schema, values: &[&str]) -> Vec<Variant<Unnamed>> {
    let descriptions = schema.schema_data.extensions.get("x-enumDescriptions").and_then(|v| v.as_object());
    let mut unique: Vec<&str> = Vec::new();
    for value in values {
        // Some specs list a value twice; one variant each.
        if !unique.contains(value) {
            unique.push(value);
        }
    }
    unique
        .into_iter()
        .map(|wire| Variant {
            wire: wire.to_owned(),
            name: (),
            docs: descriptions.and_then(|d| d.get(wire)).and_then(|d| d.as_str()).map(str::to_owned),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An inline `allOf` of the component that holds it merges that component's properties,
    /// among them the `allOf` itself: it is defined once and refers to itself (the fuzzer found
    /// this one overflowing the stack).
    #[test]
    fn an_inline_type_that_reaches_itself_is_defined_once() {
        let doc: oa::OpenAPI = serde_yaml::from_str(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /tree:
    post:
      operationId: tree
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}}
      responses: {"204": {description: none}}
components:
  schemas:
    Node:
      type: object
      properties:
        list:
          type: array
          items:
            oneOf:
              - allOf: [{$ref: "#/components/schemas/Node"}, {$ref: "#/components/schemas/Node"}]
              - type: integer
"##,
        )
        .unwrap();
        let api = super::super::normalise(&doc, &crate::overrides::Overrides::default()).unwrap();
        // The merged variant is Node itself, field for field, so it is merged into Node.
        let items = TypeId("#/components/schemas/Node/properties/list/items".to_owned());
        let Some(TypeKind::Union(variants)) = api.types.get(&items).map(|def| &def.kind) else {
            panic!("no union at {items:?}: {:#?}", api.types.keys().collect::<Vec<_>>())
        };
        assert_eq!(variants[0].ty, TypeRef::Named(TypeId("#/components/schemas/Node".to_owned())));
        assert_eq!(api.types.len(), 2, "{:#?}", api.types.keys());
    }

    #[test]
    fn dates_are_told_from_other_text() {
        for date in [
            "Thu, 13 Oct 2011 18:02:00 GMT",
            "Mon, 2 Jan 2006 15:04:05 -0700",
            "2025-01-01T00:00:00Z",
            "2025-01-01T00:00:00",
            "2023-01-02 02:14:27 +0000 UTC",
            "2024-03-05T10:11:12.123456",
        ] {
            assert!(looks_like_date(date), "{date}");
        }
        for text in ["Thursday", "2025-01-01", "13 Oct 2011", "Thu, 13 Oct 2011", "1318528920", "2025-01-01T00:00:0é"]
        {
            assert!(!looks_like_date(text), "{text}");
        }
    }

    #[test]
    fn descriptions_say_a_date_only_for_its_format() {
        assert!(says_timestamp(Some("The start date in RFC 2822 format or unix epoch")));
        assert!(says_timestamp(Some("Specifies the delivery time in [RFC-2822 format](https://x)")));
        assert!(says_timestamp(Some("The date serialized as RFC 1123")));
        assert!(!says_timestamp(Some("The selector must be a valid atom per RFC2822")));
        assert!(!says_timestamp(None));
    }

    #[test]
    fn references_decode_pointer_and_percent_escapes() {
        assert_eq!(component_name("#/components/schemas/A~1B").as_deref(), Some("A/B"));
        assert_eq!(component_name("#/components/schemas/My%20Schema").as_deref(), Some("My Schema"));
        assert_eq!(component_name("#/components/schemas/A/properties/b"), None);
        assert_eq!(component_name("other.yaml#/A"), None);
    }
}
