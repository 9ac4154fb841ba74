//! Schemas → type references and named types.

use super::{Normaliser, SCHEMA_PREFIX};
use crate::error::{join, Issue};
use crate::ir::*;
use crate::naming::{self, RustName};
use heck::ToUpperCamelCase;
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

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

impl<'a> Normaliser<'a> {
    /// Resolves a schema `$ref` to the type it names.
    pub(super) fn schema_ref(&self, reference: &str, pointer: &str) -> Result<TypeRef, Issue> {
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            return Err(Issue::at(pointer, format!("reference `{reference}` is not to a local component schema")));
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        if !self.component_names.contains_key(&name) {
            return Err(Issue::at(pointer, format!("reference `{reference}` points at no schema")));
        }
        Ok(TypeRef::Named(TypeId(reference.to_owned())))
    }

    /// Resolves a schema view to the schema itself (following one `$ref`).
    fn resolve(&self, view: SchemaView<'a>, pointer: &str) -> Result<(&'a oa::Schema, String), Issue> {
        match view {
            SchemaView::Item(schema) => Ok((schema, pointer.to_owned())),
            SchemaView::Ref(reference) => {
                self.schema_ref(reference, pointer)?;
                let name = reference[SCHEMA_PREFIX.len()..].replace("~1", "/").replace("~0", "~");
                let schemas = &self.doc.components.as_ref().expect("checked by schema_ref").schemas;
                match &schemas[&name] {
                    oa::ReferenceOr::Item(schema) => Ok((schema, reference.to_owned())),
                    oa::ReferenceOr::Reference { reference: next } => self.resolve(SchemaView::Ref(next), reference),
                }
            }
        }
    }

    /// The type of a schema in some position. Objects, enums and unions written inline get a
    /// named type called `hint`, identified by `pointer`.
    pub(super) fn type_ref(&mut self, view: SchemaView<'a>, pointer: &str, hint: &RustName) -> Result<TypeRef, Issue> {
        let schema = match view {
            SchemaView::Ref(reference) => return self.schema_ref(reference, pointer),
            SchemaView::Item(schema) => schema,
        };
        let ty = if needs_definition(schema) {
            self.define(TypeId(pointer.to_owned()), hint.clone(), schema, pointer, None)?;
            TypeRef::Named(TypeId(pointer.to_owned()))
        } else {
            self.plain(schema, pointer, hint)?
        };
        Ok(if schema.schema_data.nullable { ty.optional() } else { ty })
    }

    /// A schema that needs no named type of its own.
    fn plain(&mut self, schema: &'a oa::Schema, pointer: &str, hint: &RustName) -> Result<TypeRef, Issue> {
        use oa::{SchemaKind as K, Type as T};
        Ok(match &schema.schema_kind {
            K::Type(T::String(s)) => match &s.format {
                oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary) => TypeRef::Prim(Prim::File),
                _ => TypeRef::Prim(Prim::String),
            },
            K::Type(T::Integer(i)) => match &i.format {
                oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int32) => TypeRef::Prim(Prim::I32),
                _ => TypeRef::Prim(Prim::I64),
            },
            K::Type(T::Number(_)) => TypeRef::Prim(Prim::F64),
            K::Type(T::Boolean(_)) => TypeRef::Prim(Prim::Bool),
            K::Type(T::Array(array)) => match &array.items {
                Some(items) => {
                    let item =
                        self.type_ref(items.into(), &join(pointer, &["items"]), &naming::child_type(hint, "item"))?;
                    TypeRef::Vec(Box::new(item))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Any)),
            },
            K::Type(T::Object(object)) => match &object.additional_properties {
                Some(oa::AdditionalProperties::Schema(value)) => {
                    let value = self.type_ref(
                        value.as_ref().into(),
                        &join(pointer, &["additionalProperties"]),
                        &naming::child_type(hint, "value"),
                    )?;
                    TypeRef::Map(Box::new(value))
                }
                Some(oa::AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Any)),
                // An object with no properties says nothing about its shape; in this spec such
                // objects carry timestamps as strings, so any JSON value is accepted.
                _ => TypeRef::Any,
            },
            K::AllOf { all_of } if all_of.len() == 1 => {
                let inner = self.type_ref((&all_of[0]).into(), &join(pointer, &["allOf", "0"]), hint)?;
                // The wrapper's nullability is applied by the caller.
                match inner {
                    TypeRef::Option(inner) if !schema.schema_data.nullable => *inner,
                    other => other,
                }
            }
            K::Any(any) => {
                let empty = any.typ.is_none()
                    && any.properties.is_empty()
                    && any.items.is_none()
                    && any.additional_properties.is_none()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty()
                    && any.not.is_none()
                    && any.enumeration.is_empty()
                    && any.format.is_none();
                if !empty {
                    return Err(Issue::at(
                        pointer,
                        "this schema mixes keywords in a way OpenAPI 3.0 cannot classify (openapiv3 reads it as an untyped schema)",
                    ));
                }
                TypeRef::Any
            }
            K::Not { .. } => return Err(Issue::at(join(pointer, &["not"]), "`not` schemas are not supported")),
            // Compositions with members are named types (see `needs_definition`); what is left
            // here is an empty `allOf`.
            K::AllOf { .. } | K::OneOf { .. } | K::AnyOf { .. } => {
                return Err(Issue::at(pointer, "an empty allOf/oneOf/anyOf has no meaning"))
            }
        })
    }

    /// Adds a named type for a schema.
    pub(super) fn define(
        &mut self,
        id: TypeId,
        name: RustName,
        schema: &'a oa::Schema,
        pointer: &str,
        component: Option<&String>,
    ) -> Result<(), Issue> {
        use oa::{SchemaKind as K, Type as T};
        let docs = schema_docs(schema);
        let kind = match &schema.schema_kind {
            K::Type(T::String(s)) if !s.enumeration.is_empty() => TypeKind::Enum(enum_variants(schema, s)),
            K::Type(T::Object(object)) if !object.properties.is_empty() => {
                TypeKind::Struct(self.object(&[(object, pointer.to_owned())], pointer, &name)?)
            }
            K::AllOf { all_of } if all_of.len() > 1 => {
                let mut parts = Vec::new();
                for (i, member) in all_of.iter().enumerate() {
                    let (member_schema, member_pointer) =
                        self.resolve(member.into(), &join(pointer, &["allOf", &i.to_string()]))?;
                    match &member_schema.schema_kind {
                        K::Type(T::Object(object)) => parts.push((object, member_pointer)),
                        _ => {
                            return Err(Issue::at(member_pointer, "allOf members other than objects cannot be merged"));
                        }
                    }
                }
                TypeKind::Struct(self.object(&parts, pointer, &name)?)
            }
            K::OneOf { one_of: members } | K::AnyOf { any_of: members } => {
                let key = if matches!(schema.schema_kind, K::OneOf { .. }) { "oneOf" } else { "anyOf" };
                let mut variants = Vec::new();
                let mut taken = BTreeSet::new();
                for (i, member) in members.iter().enumerate() {
                    let hint = naming::child_type(&name, &format!("variant {}", i + 1));
                    let ty = self.type_ref(member.into(), &join(pointer, &[key, &i.to_string()]), &hint)?;
                    let mut variant = variant_name(&ty, &self.component_names, &self.types, i);
                    if !taken.insert(variant.clone()) {
                        variant = naming::suffixed(&variant, &(i + 1).to_string());
                        taken.insert(variant.clone());
                    }
                    variants.push(UnionVariant { name: variant, ty });
                }
                TypeKind::Union(variants)
            }
            _ => TypeKind::Alias(self.plain(schema, pointer, &name)?),
        };
        self.insert(id, name, component, docs, kind);
        Ok(())
    }

    /// A struct from one object schema, or several merged (`allOf`). Later members' properties
    /// replace earlier ones of the same name; `required` is the union.
    fn object(
        &mut self,
        parts: &[(&'a oa::ObjectType, String)],
        pointer: &str,
        name: &RustName,
    ) -> Result<Struct, Issue> {
        let mut properties: Vec<(&'a str, SchemaView<'a>, String)> = Vec::new();
        let mut required: BTreeSet<&str> = BTreeSet::new();
        let mut additional = None;
        for (object, object_pointer) in parts {
            for (prop, schema) in &object.properties {
                let prop_pointer = join(object_pointer, &["properties", prop]);
                properties.retain(|(p, _, _)| p != prop);
                properties.push((prop, schema.into(), prop_pointer));
            }
            required.extend(object.required.iter().map(String::as_str));
            match &object.additional_properties {
                Some(oa::AdditionalProperties::Schema(value)) => {
                    let hint = naming::child_type(name, "additional");
                    additional = Some(self.type_ref(
                        value.as_ref().into(),
                        &join(object_pointer, &["additionalProperties"]),
                        &hint,
                    )?);
                }
                Some(oa::AdditionalProperties::Any(true)) => additional = Some(TypeRef::Any),
                _ => {}
            }
        }
        for wire in &required {
            if !properties.iter().any(|(p, _, _)| p == wire) {
                return Err(Issue::at(pointer, format!("`{wire}` is listed in `required` but is not a property")));
            }
        }
        let wires: Vec<&str> = properties.iter().map(|(p, _, _)| *p).collect();
        let names = naming::scoped_snake(&wires, "field");
        let mut fields = Vec::with_capacity(properties.len());
        for ((wire, view, prop_pointer), field_name) in properties.into_iter().zip(names) {
            let hint = naming::child_type(name, wire);
            let ty = self.type_ref(view, &prop_pointer, &hint)?;
            let is_required = required.contains(wire);
            let ty = if is_required { ty } else { ty.optional() };
            let (docs, deprecated) = match view {
                SchemaView::Item(schema) => (schema_docs(schema), schema.schema_data.deprecated),
                SchemaView::Ref(_) => (None, false),
            };
            fields.push(Field {
                wire: wire.to_owned(),
                name: field_name,
                ty,
                required: is_required,
                boxed: false,
                docs,
                deprecated,
            });
        }
        Ok(Struct { fields, additional })
    }
}

fn needs_definition(schema: &oa::Schema) -> bool {
    use oa::{SchemaKind as K, Type as T};
    match &schema.schema_kind {
        K::Type(T::String(s)) => !s.enumeration.is_empty(),
        K::Type(T::Object(o)) => !o.properties.is_empty(),
        K::AllOf { all_of } => all_of.len() > 1,
        K::OneOf { .. } | K::AnyOf { .. } => true,
        _ => false,
    }
}

fn schema_docs(schema: &oa::Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(title), Some(description)) => Some(format!("{title}\n\n{description}")),
        (Some(text), None) | (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    }
    .filter(|d| !d.trim().is_empty())
}

fn enum_variants(schema: &oa::Schema, s: &oa::StringType) -> Vec<Variant> {
    let descriptions = schema.schema_data.extensions.get("x-enumDescriptions").and_then(|v| v.as_object());
    let mut values: Vec<&str> = Vec::new();
    for value in s.enumeration.iter().flatten() {
        // The spec lists some values twice; one variant each.
        if !values.contains(&value.as_str()) {
            values.push(value);
        }
    }
    let names = naming::variants(&values);
    values
        .iter()
        .zip(names)
        .map(|(wire, name)| Variant {
            wire: (*wire).to_owned(),
            name,
            docs: descriptions.and_then(|d| d.get(*wire)).and_then(|d| d.as_str()).map(str::to_owned),
        })
        .collect()
}

fn variant_name(
    ty: &TypeRef,
    components: &BTreeMap<String, RustName>,
    types: &BTreeMap<TypeId, TypeDef>,
    i: usize,
) -> RustName {
    let text = match ty.without_option() {
        TypeRef::Named(id) => types
            .get(id)
            .map(|t| t.name.to_string())
            .or_else(|| id.0.strip_prefix(SCHEMA_PREFIX).and_then(|c| components.get(c)).map(|n| n.to_string()))
            .unwrap_or_else(|| format!("variant {}", i + 1)),
        TypeRef::Prim(p) => format!("{p:?}"),
        TypeRef::Vec(inner) => match inner.without_option() {
            TypeRef::Vec(_) => "list of lists".to_owned(),
            _ => "list".to_owned(),
        },
        TypeRef::Map(_) => "map".to_owned(),
        TypeRef::Any | TypeRef::Unit | TypeRef::Option(_) => "value".to_owned(),
    };
    naming::pascal(&text.to_upper_camel_case()).expect("has letters")
}
