//! The intermediate representation: the API as plain, sorted data.
//!
//! The normaliser builds it from the OpenAPI document; the emitters read it. It knows nothing of
//! `openapiv3` or `quote`. It serialises to YAML for golden tests.

use crate::naming::RustName;
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Base URLs from `servers`, in spec order.
    pub servers: Vec<Server>,
    /// Tag modules by module name.
    pub tags: BTreeMap<String, Tag>,
    /// Operations sorted by (tag module, method name).
    pub operations: Vec<Operation>,
    /// Every named type, keyed by the JSON pointer of the schema it came from.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// What the overrides file left out, with its reasons.
    pub skipped: Vec<Skipped>,
}

/// Something deliberately not generated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The operationId or component name.
    pub what: String,
    /// Why, from the overrides file.
    pub reason: String,
}

/// One entry of `servers`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Server {
    /// The name of its `Region` variant.
    pub name: RustName,
    /// The base URL.
    pub url: String,
    /// The spec's description.
    pub description: Option<String>,
}

/// A tag, which becomes a module under `apis`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    /// The tag as the spec spells it.
    pub name: String,
    /// The module name.
    pub module: RustName,
    /// The tag's description.
    pub docs: Option<String>,
}

/// The identity of a type: the JSON pointer of the schema it came from. Stable when the document
/// is reordered, and usable as an error location and as a diff key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TypeId(pub String);

/// One operation, which becomes one method and one request builder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// The operationId, verbatim.
    pub id: String,
    /// The method name.
    pub name: RustName,
    /// The module (tag) the operation lives in.
    pub tag: String,
    /// Further tags the spec lists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_tags: Vec<String>,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template.
    pub path: PathTemplate,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Marked deprecated in the spec.
    pub deprecated: bool,
    /// Parameters in the order they become arguments: path params in template order, then the
    /// rest in spec order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// The documented responses, sorted by status.
    pub responses: Vec<Response>,
    /// What `send()` returns on success.
    pub output: TypeRef,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// A path such as `/v3/{domain_name}/messages`, split into literal text and parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathTemplate {
    /// The template as written.
    pub raw: String,
    /// Its parts, in order.
    pub parts: Vec<PathPart>,
}

/// One part of a path template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathPart {
    /// Text sent as is.
    Literal(String),
    /// A parameter's wire name; its value is percent-encoded as one path segment.
    Param(String),
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: RustName,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the spec requires it. Required parameters become method arguments.
    pub required: bool,
    /// Its type, without the `Option` that an optional parameter gets.
    pub ty: TypeRef,
    /// Its description.
    pub docs: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The media type chosen from the spec's `content`.
    pub media_type: String,
    /// Other media types the spec offers for the same body.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// The body's type.
    pub ty: TypeRef,
    /// Whether the spec requires it. A required body is a method argument.
    pub required: bool,
}

/// Body encodings the client can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data` (and the spec's non-standard `application/form-data`).
    Multipart,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// Its status.
    pub status: Status,
    /// Its JSON body, if any.
    pub body: Option<TypeRef>,
}

/// A response status as the spec keys it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One code, such as 200.
    Code(u16),
    /// A class such as `4XX`, stored as its first digit.
    Range(u16),
    /// `default`.
    Default,
}

impl Status {
    /// Whether this is a success status.
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(class) => class == 2,
            Status::Default => false,
        }
    }
}

/// A reference to a Rust type. Serialises as a short type expression
/// (`Option<Vec<#/components/schemas/X>>`) so golden files read easily.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A generated type.
    Named(TypeId),
    /// A built-in type.
    Prim(Prim),
    /// `Option<T>`.
    Option(Box<TypeRef>),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// A map with string keys.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
    /// No body at all.
    Unit,
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Named(id) => f.write_str(&id.0),
            TypeRef::Prim(p) => write!(f, "{}", format!("{p:?}").to_lowercase()),
            TypeRef::Option(inner) => write!(f, "Option<{inner}>"),
            TypeRef::Vec(inner) => write!(f, "Vec<{inner}>"),
            TypeRef::Map(inner) => write!(f, "Map<{inner}>"),
            TypeRef::Any => f.write_str("any"),
            TypeRef::Unit => f.write_str("()"),
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl TypeRef {
    /// Wraps in `Option` unless already optional.
    pub fn optional(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }

    /// The type inside an `Option`, or the type itself.
    pub fn without_option(&self) -> &TypeRef {
        match self {
            TypeRef::Option(inner) => inner,
            other => other,
        }
    }
}

/// Built-in types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Prim {
    String,
    Bool,
    I32,
    I64,
    F64,
    /// File contents (`format: binary`), sent as a multipart file part.
    File,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    /// The Rust name.
    pub name: RustName,
    /// The schema's component name, for component schemas.
    pub component: Option<String>,
    /// Its description.
    pub docs: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum; it also accepts values the spec does not list.
    Enum(Vec<Variant>),
    /// A real `oneOf`/`anyOf`, decoded by trying each variant in order.
    Union(Vec<UnionVariant>),
    /// Another name for a type (`pub type X = T;`).
    Alias(TypeRef),
}

/// The fields of a struct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Struct {
    /// Known properties, in spec order.
    pub fields: Vec<Field>,
    /// The value type of properties not listed (`additionalProperties`).
    pub additional: Option<TypeRef>,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: RustName,
    /// Its type, including `Option` when optional or nullable.
    pub ty: TypeRef,
    /// Whether the spec requires it (a required nullable field is still sent as `null`).
    pub required: bool,
    /// Boxed, to break a recursive type.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub boxed: bool,
    /// Its description.
    pub docs: Option<String>,
    /// Marked deprecated in the spec.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
}

/// A string-enum variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// The value on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: RustName,
    /// From `x-enumDescriptions`.
    pub docs: Option<String>,
}

/// A union variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    /// The Rust name.
    pub name: RustName,
    /// Its type.
    pub ty: TypeRef,
}
