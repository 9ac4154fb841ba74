//! The intermediate representation: the API as plain, sorted data.
//!
//! [`normalise`](crate::normalise) builds it from the OpenAPI document without a single Rust name
//! (`Api<Unnamed>`); [`naming`](crate::naming) decides every name, with the reason it is what it
//! is, and gives the `Api` (`Api<Named>`) the emitters only read. See [`Stage`]. It knows nothing of `openapiv3` or `quote`, and it serialises and
//! reads back (`serde`), so a baseline can be stored and two versions compared.
//!
//! Identities are logical, not positional: types are keyed by where their schema sits, with
//! parameters addressed by location and name (`…/parameters/query:limit/schema`), operations by
//! operationId (or `GET /path` when the spec gives none), tags by their name in the spec.

use crate::rust_name::RustName;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The whole API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Api<S: Stage = Named> {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Absolute base URLs from `servers`, in spec order.
    pub servers: Vec<Server<S>>,
    /// Tags, by their name in the spec.
    pub tags: BTreeMap<TagKey, Tag<S>>,
    /// Operations, by identity.
    pub operations: BTreeMap<OperationId, Operation<S>>,
    /// Every named type, by identity.
    pub types: BTreeMap<TypeId, TypeDef<S>>,
    /// What the spec has that does not become an item of its own, each with the reason.
    pub left_out: Vec<LeftOut>,
    /// The type of the `event-data` in the webhooks the API posts, when the overrides describe
    /// them: only then does the crate verify webhooks and read their payloads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_event: Option<TypeId>,
    /// Who the generated crate is.
    pub identity: Identity<S>,
    /// What the client does that the document does not describe.
    #[serde(default)]
    pub conventions: Conventions,
    /// How a client proves who it is: the one security scheme the crate sends.
    #[serde(default, skip_serializing_if = "Auth::is_none")]
    pub auth: Auth,
    /// How a time value a user gives (`SystemTime`, `OffsetDateTime`) is written when sent.
    #[serde(default, skip_serializing_if = "TimeFormat::is_default")]
    pub time_format: TimeFormat,
    /// Which release of the generated crate this is, and what it was made from.
    #[serde(default)]
    pub release: Release,
    /// The name of `ErrorBody`'s variant for an error body read as text, beside the variants
    /// named after the documented error types: `Text`, unless a type takes that name.
    pub error_text_variant: S::Name,
}

/// How far the API has come through the pipeline, which decides what its name fields hold.
///
/// The normaliser makes an `Api<Unnamed>`, whose names are `()`: there is no name to read
/// before the naming step has decided it. [`naming::assign`](crate::naming::assign) is the only
/// way from it to an `Api<Named>` (plain `Api`), the one every later step takes, whose names are
/// [`RustName`]s with the reason each is what it is ([`NameSource`]).
///
/// The normaliser's output has the API's structure, and not one name:
///
/// ```
/// # let doc: openapiv3::OpenAPI = serde_json::from_str(r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
/// #     "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"204": {"description": "none"}}}}}}"#).unwrap();
/// # let overrides = generator::overrides::Overrides::default();
/// let unnamed = generator::normalise::normalise(&doc, &overrides).unwrap();
/// let op = unnamed.operations.values().next().unwrap();
/// assert_eq!(op.path.raw, "/pets");
/// let named = generator::naming::assign(unnamed, &overrides).unwrap();
/// assert_eq!(named.operations.values().next().unwrap().name.as_str(), "list_pets");
/// ```
///
/// ```compile_fail
/// # let doc: openapiv3::OpenAPI = serde_json::from_str(r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
/// #     "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"204": {"description": "none"}}}}}}"#).unwrap();
/// # let overrides = generator::overrides::Overrides::default();
/// let unnamed = generator::normalise::normalise(&doc, &overrides).unwrap();
/// let op = unnamed.operations.values().next().unwrap();
/// let method: &str = op.name.as_str(); // there is no name before naming
/// ```
pub trait Stage: Clone + fmt::Debug + PartialEq + Eq {
    /// A Rust name.
    type Name: Clone + fmt::Debug + PartialEq + Eq + Serialize + for<'de> Deserialize<'de>;
    /// Why a name is what it is.
    type Source: Clone + fmt::Debug + PartialEq + Eq + Serialize + for<'de> Deserialize<'de>;
    /// A name that some items have and others do not (a struct's field for what its answers
    /// held beside the others).
    type OptionalName: Clone + fmt::Debug + Default + PartialEq + Eq + Serialize + for<'de> Deserialize<'de>;
    /// A tag's cargo feature, which is made from its module's name.
    type Feature: Clone + fmt::Debug + PartialEq + Eq + Serialize + for<'de> Deserialize<'de>;
}

/// Whether a value is its type's default, which the serialised IR leaves out.
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// The normaliser's output: the API's structure and facts, and not one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unnamed {}

impl Stage for Unnamed {
    type Name = ();
    type Source = ();
    type OptionalName = ();
    type Feature = ();
}

/// The naming step's output: every name decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {}

impl Stage for Named {
    type Name = RustName;
    type Source = NameSource;
    type OptionalName = Option<RustName>;
    type Feature = String;
}

/// What a generated crate records of itself: its version, and the fingerprint of the inputs
/// it was generated from. Both are facts of the run, not of the document: `load_api` fills them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// The crate's version (`Cargo.toml`), from the release record; `0.1.0` without one.
    pub crate_version: String,
    /// SHA-256 (lowercase hex) of the document and the overrides file (see
    /// [`fingerprint`](crate::fingerprint)).
    pub spec_sha256: String,
}

impl Default for Release {
    fn default() -> Release {
        Release { crate_version: "0.1.0".to_owned(), spec_sha256: String::new() }
    }
}

/// Who the generated crate is: from the overrides, else from the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Identity<S: Stage = Named> {
    /// The crate's name, as users write it in paths (`snake_case`).
    pub crate_name: S::Name,
    /// Why the crate has that name.
    pub crate_name_source: S::Source,
    /// How docs name the API: the overrides' `crate.api`, else the document's title.
    pub api_name: String,
    /// The call the crate's README shows.
    pub showcase: Option<OperationId>,
}

/// What the client does that the document does not describe (see `overrides::ClientConventions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conventions {
    /// The header that makes a call on behalf of another account.
    pub on_behalf_of: Option<String>,
    /// The error answers that mean "another region": status, and words the message holds
    /// (lowercase).
    pub wrong_region: Vec<(u16, Option<String>)>,
}

/// How a client proves who it is, from the document's security schemes (`Api::auth`): what
/// the crate's constructors take and the client sends on every call that is not anonymous.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    /// The document names no scheme: no credentials (a client can still send a header on every
    /// call).
    #[default]
    None,
    /// HTTP Basic. With a user name the inputs fix, a user gives only the password (the key).
    Basic {
        /// The user name every client sends, when the inputs fix it.
        username: Option<String>,
    },
    /// `Authorization: Bearer <token>`: HTTP bearer, and the access tokens of OAuth 2 and
    /// OpenID Connect.
    Bearer,
    /// A key in the header, query parameter or cookie of this name.
    ApiKey {
        /// Where the key goes: a header, the query or a cookie.
        location: ParamLocation,
        /// The header's, parameter's or cookie's name.
        name: String,
    },
}

impl Auth {
    /// Whether requests carry no credentials.
    pub fn is_none(&self) -> bool {
        *self == Auth::None
    }

    /// The scheme in words (`HTTP Basic as user \`api\``, `an API key in the header \`X-Key\``).
    pub fn describe(&self) -> String {
        match self {
            Auth::None => "no credentials".to_owned(),
            Auth::Basic { username: Some(username) } => format!("HTTP Basic as user `{username}`"),
            Auth::Basic { username: None } => "HTTP Basic".to_owned(),
            Auth::Bearer => "a bearer token".to_owned(),
            Auth::ApiKey { location, name } => format!("an API key in the {} `{name}`", location.as_str()),
        }
    }

    /// What the crate's constructors (`Client::new`, `Client::builder`) take, in order: each
    /// argument's name, what it is in words, and the environment variable the README's example
    /// reads it from.
    pub fn arguments(&self) -> &'static [CredentialArgument] {
        const KEY: &[CredentialArgument] =
            &[CredentialArgument { name: "api_key", what: "API key", variable: "API_KEY" }];
        match self {
            Auth::None => &[],
            Auth::Basic { username: None } => &[
                CredentialArgument { name: "username", what: "user name", variable: "API_USERNAME" },
                CredentialArgument { name: "password", what: "password", variable: "API_PASSWORD" },
            ],
            Auth::Basic { username: Some(_) } | Auth::ApiKey { .. } => KEY,
            Auth::Bearer => &[CredentialArgument { name: "token", what: "bearer token", variable: "API_TOKEN" }],
        }
    }
}

/// How the crate writes a time value it is given (`Api::time_format`): one form for the whole
/// crate, the one the document's dates ask for most (or the overrides' `client.time_format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeFormat {
    /// RFC 3339 (`2011-10-13T18:02:00Z`): what `format: date-time` means.
    #[default]
    Rfc3339,
    /// A full date of RFC 3339 (`2011-10-13`): what `format: date` means.
    Date,
    /// RFC 2822 (`Thu, 13 Oct 2011 18:02:00 +0000`): what a description that names it asks for.
    Rfc2822,
}

impl TimeFormat {
    /// Whether it is RFC 3339, the default.
    pub fn is_default(&self) -> bool {
        *self == TimeFormat::Rfc3339
    }

    /// The form in words, with an example.
    pub fn describe(self) -> &'static str {
        match self {
            TimeFormat::Rfc3339 => "RFC 3339 (`2011-10-13T18:02:00Z`)",
            TimeFormat::Date => "an RFC 3339 full date (`2011-10-13`)",
            TimeFormat::Rfc2822 => "RFC 2822 (`Thu, 13 Oct 2011 18:02:00 +0000`)",
        }
    }
}

/// One argument of the crate's constructors (see [`Auth::arguments`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialArgument {
    /// The argument's name (`api_key`).
    pub name: &'static str,
    /// What it is, in words (`API key`).
    pub what: &'static str,
    /// The environment variable the README's example reads it from (`API_KEY`).
    pub variable: &'static str,
}

/// The cargo feature that compiles webhook verification and the types of webhook payloads.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// What the crate root re-exports, by the module it comes from: the names every generated crate
/// has (the webhook ones only with webhooks). `lib.rs` is emitted from it, and the naming step
/// keeps generated types off these names.
pub const ROOT_EXPORTS: &[(&str, &[&str])] = &[
    ("client", &["Client", "ClientBuilder"]),
    ("drift", &["Drift", "DriftKind", "Undocumented"]),
    ("error", &["ApiError", "DecodeError", "Error"]),
    ("error_body", &["ErrorBody"]),
    ("http", &["RawResponse", "RequestBuilder", "Response", "Sending"]),
    ("paging", &["Paginated"]),
    ("region", &["Region"]),
    ("retry", &["RetryPolicy"]),
    ("timestamp", &["Timestamp"]),
    ("unknown", &["UnknownValue"]),
    ("wire", &["File"]),
];

/// What the crate root re-exports with webhooks, by module.
pub const WEBHOOK_EXPORTS: &[(&str, &[&str])] = &[
    ("webhook", &["WebhookError", "WebhookPayload", "WebhookSignature", "WebhookVerifier"]),
    ("webhook_event", &["WebhookEvent"]),
];

/// The names of the standard prelude (edition 2024) the emitted code writes without a path
/// (`Option<String>`, not `::std::option::Option<::std::string::String>`): no generated item
/// in a module of emitted code may take one, or it would shadow the prelude's. Naming keeps
/// types and request builders off them.
pub const PRELUDE_NAMES: &[&str] = &[
    "Box",
    "Default",
    "Err",
    "From",
    "Future",
    "Into",
    "IntoIterator",
    "None",
    "Ok",
    "Option",
    "Result",
    "Send",
    "Some",
    "String",
    "Vec",
];

/// The catch-all variant of every string enum, holding a value the document does not list:
/// naming keeps the enums' own variants off it.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The cargo feature that compiles every API area (a default one).
pub const FULL_FEATURE: &str = "full";

/// The cargo feature that adds `Serialize` to the types that are only ever read (answers,
/// webhook payloads): off by default, since nothing in the crate needs it.
pub const SERIALIZE_ANSWERS: &str = "serialize-answers";

/// The cargo feature that lets a client take middleware (`ClientBuilder::middleware`).
pub const MIDDLEWARE: &str = "middleware";

/// The cargo feature of the test double (`mock::MockServer`, and each call's typed request).
pub const MOCK: &str = "mock";

/// Features the crate has whatever the document: a tag's feature may not take their names. A
/// tag whose module is `webhooks` shares the feature that verifies webhooks, which is what a
/// user asking for webhooks wants.
pub const CRATE_FEATURES: [&str; 5] = ["default", FULL_FEATURE, SERIALIZE_ANSWERS, MIDDLEWARE, MOCK];

impl<S: Stage> Api<S> {
    /// Whether every call's path begins with an API version (`/v3/…`), so that a base URL
    /// ending with one would send it twice.
    pub fn paths_carry_version(&self) -> bool {
        let versioned = |op: &Operation<S>| {
            let first = op.path.raw.trim_start_matches('/').split('/').next().unwrap_or("");
            first.len() > 1 && first.starts_with('v') && first[1..].chars().all(|c| c.is_ascii_digit())
        };
        !self.operations.is_empty() && self.operations.values().all(versioned)
    }

    /// Whether the crate verifies the API's webhooks and reads their payloads: the inputs
    /// described them (and named their event type).
    pub fn has_webhooks(&self) -> bool {
        self.webhook_event.is_some()
    }
}

impl Api {
    /// A tag's operations, by method name (the order of its module and its docs).
    pub fn tag_operations(&self, key: &TagKey) -> Vec<&Operation> {
        let mut ops: Vec<&Operation> = self.operations.values().filter(|op| &op.tag == key).collect();
        ops.sort_by(|a, b| a.name.cmp(&b.name));
        ops
    }

    /// The cargo features that compile a type, any one of them enough (sorted), or `None` for a
    /// type compiled whatever the features.
    pub fn features_of(&self, def: &TypeDef) -> Option<Vec<&str>> {
        if def.reach.unconditional {
            return None;
        }
        let mut features: Vec<&str> = def.reach.tags.iter().map(|tag| self.tags[tag].feature.as_str()).collect();
        if def.reach.webhook {
            features.push(WEBHOOKS_FEATURE);
        }
        features.sort();
        features.dedup();
        (!features.is_empty()).then_some(features)
    }
}

/// The struct a type is, through aliases.
pub fn struct_of<'a, S: Stage>(types: &'a BTreeMap<TypeId, TypeDef<S>>, ty: &TypeRef) -> Option<&'a Struct<S>> {
    let mut at = ty;
    for _ in 0..=types.len() {
        let TypeRef::Named(id) = at else { return None };
        match &types.get(id)?.kind {
            TypeKind::Struct(s) => return Some(s),
            TypeKind::Alias(target) => at = target,
            _ => return None,
        }
    }
    None
}

/// Something of the spec that is deliberately not generated as an item of its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LeftOut {
    /// The operationId, or the component's JSON pointer.
    pub what: String,
    /// Why, in one sentence.
    pub reason: String,
}

/// One entry of `servers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Server<S: Stage = Named> {
    /// The name of its `Region` variant.
    pub name: S::Name,
    /// The base URL, without a trailing `/`.
    pub url: String,
    /// The spec's description.
    pub description: Option<String>,
}

/// A tag's name as the spec spells it. Operations without a tag belong to `default`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TagKey(pub String);

impl fmt::Display for TagKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tag, which becomes a module under `apis`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Tag<S: Stage = Named> {
    /// The module name.
    pub module: S::Name,
    /// Why the module has that name.
    pub module_source: S::Source,
    /// The cargo feature that compiles the module: its name in kebab case.
    pub feature: S::Feature,
    /// `x-displayName`, when the spec gives one.
    pub display_name: Option<String>,
    /// The tag's description.
    pub docs: Option<String>,
}

/// The identity of an operation: its operationId, or `METHOD /path` when the spec gives none.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OperationId(pub String);

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The identity of a type: the logical location of the schema it came from. Stable when the
/// document is reordered, and usable as a diff key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TypeId(pub String);

impl fmt::Display for TypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a name is what it is, so that a rename can be explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum NameSource {
    /// Derived by the naming rules from what the spec says (`from` tells what).
    Derived {
        /// What the name was derived from, for a reader: ``component `…-Domain` ``.
        from: String,
    },
    /// Given in the overrides file.
    Override,
    /// The derived name was taken, so it was qualified.
    Qualified {
        /// The name the rules derived first.
        derived: String,
        /// What was added to it: ``tag `Logs` ``, ``path parameter `domain` ``.
        qualifier: String,
        /// Why it had to be qualified.
        reason: QualifyReason,
        /// The identities of the items that wanted the same name.
        conflicts: Vec<String>,
    },
}

/// Why a derived name had to be qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualifyReason {
    /// Another item derived the same name.
    Collision,
    /// The name would shadow std, the prelude or one of the crate's own items.
    Reserved,
    /// The name was too long and was shortened with a hash of the full name.
    TooLong,
}

/// One operation, which becomes one method and one request builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Operation<S: Stage = Named> {
    /// Its identity.
    pub id: OperationId,
    /// Whether the identity was made up from the method and path (the spec gives no operationId).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub id_synthesized: bool,
    /// The method name on `Client`.
    pub name: S::Name,
    /// The request builder's type name.
    pub builder: S::Name,
    /// Why the method has its name.
    pub name_source: S::Source,
    /// The tag whose module the operation lives in (its first tag).
    pub tag: TagKey,
    /// Further tags the spec lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_tags: Vec<TagKey>,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template.
    pub path: PathTemplate,
    /// The JSON pointer of the operation in the document.
    pub pointer: String,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Marked deprecated in the spec.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// For a deprecated operation, what replaces it (the overrides file, or the spec's own
    /// "use METHOD /path" in its description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<Replacement>,
    /// Parameters in the order they become arguments: path parameters in template order, then
    /// the rest in spec order.
    pub params: Vec<Param<S>>,
    /// The request body.
    pub body: Option<Body<S>>,
    /// The documented responses, sorted by status.
    pub responses: Vec<Response>,
    /// What `send()` returns on success.
    pub output: Output,
    /// How the list it answers with continues on further pages, if it is a paged list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Sent without the client's credentials: the document says the call needs none (its
    /// `security` is empty or optional), or only schemes the crate does not send.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
    /// The servers the document sends this call to instead of the API's (its `servers`, or
    /// its path's), base URLs in the document's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<String>,
}

/// What replaces a deprecated operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Replacement {
    /// An operation of this document.
    Operation(OperationId),
    /// An operation the document does not describe, as the spec names it (`GET /v2/…`).
    Elsewhere(String),
}

/// How a list continues on further pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    /// Where each page's items are: field wire names from the answer down to the list.
    pub items: Vec<String>,
    /// How the next page is asked for.
    pub next: NextPage,
}

/// How the next page of a list is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextPage {
    /// The answer links it: the link is at these field wire names (`paging`, `next`).
    Link(Vec<String>),
    /// By offset: this query parameter (its wire name) skips the items already read.
    Offset(String),
    /// The answer gives a cursor that the call sends again in its JSON body.
    BodyToken {
        /// Where the answer gives it: field wire names (`pagination`, `next`).
        answer: Vec<String>,
        /// Where the body takes it: field wire names (`pagination`, `token`).
        request: Vec<String>,
    },
    /// By offset in the JSON body: at these field wire names (`pagination.skip`).
    BodyOffset(Vec<String>),
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// The success status whose body this is: the lowest 2xx, else `default`.
    pub status: Option<Status>,
    /// The type the body decodes into (`()` when there is none).
    pub ty: TypeRef,
    /// How the body is read.
    pub format: BodyFormat,
}

/// How a response body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyFormat {
    /// Decoded from JSON.
    Json,
    /// Kept as text (`text/*`).
    Text,
    /// Kept as bytes (any other media type).
    Bytes,
    /// No body is documented.
    Empty,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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

    /// The method from its lower-case key in a path item.
    pub fn from_key(key: &str) -> Option<HttpMethod> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }
}

/// A path such as `/v3/{domain_name}/messages`, split into literal text and parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathTemplate {
    /// The template as written.
    pub raw: String,
    /// Its parts, in order.
    pub parts: Vec<PathPart>,
}

/// One part of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathPart {
    /// Text sent as is.
    Literal(String),
    /// A parameter's wire name; its value is percent-encoded as one path segment.
    Param(String),
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Param<S: Stage = Named> {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name (argument, builder field and setter).
    pub name: S::Name,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the spec requires it. Required parameters become method arguments.
    pub required: bool,
    /// Whether the spec allows `null`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// Its type, without the `Option` that an optional parameter gets.
    pub ty: TypeRef,
    /// How its value is written.
    #[serde(default, skip_serializing_if = "ParamStyle::is_default")]
    pub style: ParamStyle,
    /// Its description.
    pub docs: Option<String>,
    /// Marked deprecated in the spec.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// The spec's example value (of the parameter, or else of its schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

/// How a parameter's value is written (OpenAPI's `style`/`explode`, or `content`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamStyle {
    /// A list is one `name=value` per item (`form`, `explode: true`).
    #[default]
    Exploded,
    /// A list is one value, its items separated by commas (`explode: false`).
    Comma,
    /// Items separated by spaces (`spaceDelimited`).
    Space,
    /// Items separated by `|` (`pipeDelimited`).
    Pipe,
    /// The value is JSON text (`content: application/json`).
    Json,
    /// An object whose members are query parameters of their own (`form`, exploded):
    /// `size=1&number=2`.
    ObjectExploded,
    /// An object as one query value of names and values (`form`, not exploded):
    /// `page=size,1,number,2`.
    ObjectComma,
    /// An object whose members go under its name (`deepObject`): `filter[name]=x&filter[age]=3`.
    DeepObject,
    /// A path value after a dot (`label`): `/users/.5`.
    Label,
    /// A path value as `;name=value` (`matrix`): `/users/;id=5`.
    Matrix,
}

impl ParamStyle {
    /// What goes before a path parameter's value: `.` (`label`), `;name=` (`matrix`), or
    /// nothing (`simple`).
    pub fn path_prefix(self, wire: &str) -> Option<String> {
        match self {
            ParamStyle::Label => Some(".".to_owned()),
            ParamStyle::Matrix => Some(format!(";{wire}=")),
            _ => None,
        }
    }

    /// Whether this is the default style.
    pub fn is_default(&self) -> bool {
        *self == ParamStyle::Exploded
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    /// The `in` value of the spec.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Body<S: Stage = Named> {
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The media type chosen from the spec's `content`.
    pub media_type: String,
    /// Other media types the spec offers for the same body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    /// The body's type.
    pub ty: TypeRef,
    /// Whether the spec requires it.
    pub required: bool,
    /// For an object body: a setter on the request builder for each of its fields and
    /// families, its required fields being the call's arguments instead. Empty when the body
    /// is given whole (a list, or an optional object that has required fields).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setters: Vec<BodySetter<S>>,
    /// The spec's example of the whole body (of the media type, or else of its schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

/// A setter on a request builder for one field (or family) of its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct BodySetter<S: Stage = Named> {
    /// What it sets.
    pub target: SetterTarget,
    /// The setter's name (and the argument's, for a required field).
    pub name: S::Name,
    /// Whether the field is required: then it is an argument of the call, not a setter.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub argument: bool,
}

/// What a body setter sets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SetterTarget {
    /// A field, by wire name.
    Field(String),
    /// A family, by prefix: the setter adds one member.
    Family(String),
}

/// Another media type the spec offers for a request body, which the client does not send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    /// The media type.
    pub media_type: String,
    /// The component its schema names, if it names one (so that component is known as a
    /// request body).
    pub ty: Option<TypeRef>,
}

/// Body encodings the client can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// `application/json` (and `…+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data` (and the spec's non-standard `application/form-data`).
    Multipart,
    /// Anything else: the bytes are sent as given, with the media type as `Content-Type`.
    Raw,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// Its status.
    pub status: Status,
    /// How its body is read.
    pub format: BodyFormat,
    /// Its body's type, if it has one.
    pub body: Option<TypeRef>,
    /// The spec's examples of its body, by name (`example` for a lone `example`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<NamedExample>,
}

/// An example value the spec gives, with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedExample {
    /// Its key in `examples`, or `example`.
    pub name: String,
    /// The value.
    pub value: serde_json::Value,
}

/// A response status as the spec keys it. Serialises as `200`, `4XX` or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One code, such as 200.
    Code(u16),
    /// A class such as `4XX`, stored as its first digit.
    Range(u16),
    /// `default`.
    Default,
}

/// Where a caller finds things in the generated crate: paths from its root, as docs link them
/// (`crate::` before them) and the API report names them.
impl Api {
    /// `Client::send_message`: an operation's method.
    pub fn method_path(&self, op: &Operation) -> String {
        format!("Client::{}", op.name)
    }

    /// `apis::messages::SendMessage`: an operation's request builder.
    pub fn builder_path(&self, op: &Operation) -> String {
        let module = self.tags.get(&op.tag).map(|t| t.module.to_string()).unwrap_or_default();
        format!("apis::{module}::{}", op.builder)
    }
}

impl TypeDef {
    /// `types::Domain`: where a caller finds the type.
    pub fn path(&self) -> String {
        format!("types::{}", self.name)
    }

    /// `ErrorBody::Domain`: the type's variant of the error body, when error answers use it.
    pub fn error_body_path(&self) -> String {
        format!("ErrorBody::{}", self.name)
    }
}

impl<S: Stage> Operation<S> {
    /// Whether an answer of `status` is an error answer: a status the document lists that is
    /// neither the call's success nor another success. The crate reads these into
    /// `ErrorBody`; the docs, the test double and the test harness ask this too.
    pub fn is_error_answer(&self, status: Status) -> bool {
        Some(status) != self.output.status && !status.is_success()
    }
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

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;

    fn from_str(text: &str) -> Result<Status, String> {
        if text == "default" {
            return Ok(Status::Default);
        }
        if let Some(class) = text.strip_suffix("XX") {
            return class.parse().map(Status::Range).map_err(|_| format!("`{text}` is not a status"));
        }
        text.parse().map(Status::Code).map_err(|_| format!("`{text}` is not a status"))
    }
}

/// Serialises through `Display`/`FromStr`, so golden files show `200` rather than a tagged enum.
macro_rules! string_serde {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

string_serde!(Status);
string_serde!(TypeRef);

/// A reference to a Rust type. Serialises as a short type expression
/// (`Option<Vec<#/components/schemas/X>>`) so golden files read easily.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A generated type.
    Named(TypeId),
    /// A built-in type.
    Prim(Prim),
    /// `Option<T>`: a nullable value inside a list or map. (Optional and nullable fields and
    /// parameters keep that as flags instead.)
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

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Named(id) => f.write_str(&id.0),
            TypeRef::Prim(p) => f.write_str(p.as_str()),
            TypeRef::Option(inner) => write!(f, "Option<{inner}>"),
            TypeRef::Vec(inner) => write!(f, "Vec<{inner}>"),
            TypeRef::Map(inner) => write!(f, "Map<{inner}>"),
            TypeRef::Any => f.write_str("any"),
            TypeRef::Unit => f.write_str("()"),
        }
    }
}

impl std::str::FromStr for TypeRef {
    type Err = String;

    /// Reads what `Display` writes. A named type's identity starts with `#`, so it can never be
    /// mistaken for a wrapper such as `Vec<`.
    fn from_str(text: &str) -> Result<TypeRef, String> {
        let wrapped = |prefix: &str| text.strip_prefix(prefix).and_then(|rest| rest.strip_suffix('>'));
        if let Some(inner) = wrapped("Option<") {
            return Ok(TypeRef::Option(Box::new(inner.parse()?)));
        }
        if let Some(inner) = wrapped("Vec<") {
            return Ok(TypeRef::Vec(Box::new(inner.parse()?)));
        }
        if let Some(inner) = wrapped("Map<") {
            return Ok(TypeRef::Map(Box::new(inner.parse()?)));
        }
        match text {
            "any" => return Ok(TypeRef::Any),
            "()" => return Ok(TypeRef::Unit),
            _ => {}
        }
        if let Some(prim) = Prim::ALL.iter().find(|p| p.as_str() == text) {
            return Ok(TypeRef::Prim(*prim));
        }
        if text.starts_with('#') {
            return Ok(TypeRef::Named(TypeId(text.to_owned())));
        }
        Err(format!("`{text}` is not a type expression"))
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

    /// Every named type this reference mentions, at any depth.
    pub fn named(&self) -> Vec<&TypeId> {
        match self {
            TypeRef::Named(id) => vec![id],
            TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named(),
            TypeRef::Prim(_) | TypeRef::Any | TypeRef::Unit => Vec::new(),
        }
    }

    /// Replaces named types, at any depth.
    pub fn rename_types(&mut self, map: &impl Fn(&TypeId) -> Option<TypeId>) {
        match self {
            TypeRef::Named(id) => {
                if let Some(new) = map(id) {
                    *id = new;
                }
            }
            TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.rename_types(map),
            TypeRef::Prim(_) | TypeRef::Any | TypeRef::Unit => {}
        }
    }
}

/// Built-in types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum Prim {
    String,
    Bool,
    I32,
    I64,
    F64,
    /// File contents (`format: binary`), sent as a multipart file part.
    File,
    /// Raw bytes: a request or response body of a non-JSON, non-text media type.
    Bytes,
    /// A string holding JSON text: any value, sent as its JSON text.
    Json,
    /// A date as text (RFC 2822), made from a time value or given as text.
    Timestamp,
}

impl Prim {
    /// Every primitive.
    pub const ALL: [Prim; 9] = [
        Prim::String,
        Prim::Bool,
        Prim::I32,
        Prim::I64,
        Prim::F64,
        Prim::File,
        Prim::Bytes,
        Prim::Json,
        Prim::Timestamp,
    ];

    /// Its name in type expressions.
    pub fn as_str(self) -> &'static str {
        match self {
            Prim::String => "string",
            Prim::Bool => "bool",
            Prim::I32 => "i32",
            Prim::I64 => "i64",
            Prim::F64 => "f64",
            Prim::File => "file",
            Prim::Bytes => "bytes",
            Prim::Json => "json",
            Prim::Timestamp => "timestamp",
        }
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct TypeDef<S: Stage = Named> {
    /// The Rust type name.
    pub name: S::Name,
    /// The file (and private module) it lives in: `types/<module>.rs`.
    pub module: S::Name,
    /// Why it has its name.
    pub name_source: S::Source,
    /// Where its schema sits.
    pub origin: Origin,
    /// The JSON pointer of its schema in the document, for messages and docs.
    pub pointer: String,
    /// The schema's title.
    pub title: Option<String>,
    /// The schema's description.
    pub description: Option<String>,
    /// What it is.
    pub kind: TypeKind<S>,
    /// Identities of schemas with exactly the same structure, emitted as this one type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<TypeId>,
    /// The JSON pointers of the merged schemas, for docs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_pointers: Vec<String>,
    /// Where the type is used directly.
    pub uses: BTreeSet<Use>,
    /// What reaches the type, directly or nested in other types.
    pub reach: Reach,
}

/// Where a type's schema sits in the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A component schema, by its name.
    Component(String),
    /// A schema written in place, below an owner.
    Inline {
        /// The nearest component or operation.
        owner: Owner,
        /// The steps from the owner down to the schema.
        steps: Vec<Step>,
    },
}

/// What an inline schema belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// A component schema.
    Component(String),
    /// A place in an operation.
    Operation {
        /// The operation.
        operation: OperationId,
        /// Where in it.
        place: Place,
    },
}

/// A place in an operation where a schema is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The request body.
    Body,
    /// The response body for a status.
    Response(Status),
    /// A parameter, by location and wire name.
    Param {
        /// Where the parameter goes.
        location: ParamLocation,
        /// Its wire name.
        name: String,
    },
}

/// One step from an owner down into a schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A property, by wire name.
    Property(String),
    /// The items of an array.
    Items,
    /// The values of a map (`additionalProperties`).
    Values,
    /// A branch of a `oneOf`/`anyOf`, by position.
    Variant(usize),
    /// A member of an `allOf`, by position.
    Member(usize),
}

/// A direct use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    /// The request body of an operation.
    Body(OperationId),
    /// A response body of an operation.
    Response {
        /// The operation.
        operation: OperationId,
        /// The status it answers with.
        status: Status,
    },
    /// A parameter of an operation.
    Param {
        /// The operation.
        operation: OperationId,
        /// The parameter's wire name.
        name: String,
    },
    /// A field of a struct.
    Field {
        /// The struct.
        owner: TypeId,
        /// The field's wire name.
        name: String,
    },
    /// An item, map value, union variant or aliased type of another type.
    Element(TypeId),
}

/// What reaches a type, directly or nested in other types.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reach {
    /// The operations that send or receive it.
    pub operations: BTreeSet<OperationId>,
    /// The tags of those operations (their home tags).
    pub tags: BTreeSet<TagKey>,
    /// Part of a request (body or parameter).
    pub request: bool,
    /// Part of a response.
    pub response: bool,
    /// Sent as a form or multipart body (it lists its own fields on the wire).
    pub form_body: bool,
    /// Sent as one value of a parameter or form field (as text or JSON text).
    pub wire_value: bool,
    /// Part of the `event-data` of the webhooks the API posts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub webhook: bool,
    /// Reached from a type that no call and no webhook uses, which is always compiled; so is
    /// this one, whatever the features.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unconditional: bool,
}

impl Reach {
    /// Whether the type is sent (serialised): part of a request, or compiled unconditionally,
    /// where nothing says which way it goes.
    pub fn is_sent(&self) -> bool {
        self.request || self.unconditional
    }

    /// Whether the type is read (deserialised): part of an answer or a webhook, or compiled
    /// unconditionally.
    pub fn is_read(&self) -> bool {
        self.response || self.webhook || self.unconditional
    }
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[serde(bound = "")]
pub enum TypeKind<S: Stage = Named> {
    /// An object with known properties.
    Struct(Struct<S>),
    /// A string enum; it also accepts values the spec does not list.
    Enum(Vec<Variant<S>>),
    /// A real `oneOf`/`anyOf`, decoded by trying each variant in order.
    Union(Vec<UnionVariant<S>>),
    /// Another name for a type (`pub type X = T;`).
    Alias(TypeRef),
    /// A wrapper struct around another type (`pub struct X(pub T);`), for a schema that refers
    /// to itself through a list or map, which a type alias cannot.
    Newtype(TypeRef),
}

impl<S: Stage> TypeKind<S> {
    /// The type references the kind holds, in order.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref().map(|a| &a.ty)).collect(),
            TypeKind::Union(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// The type references the kind holds, mutably.
    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().map(|f| &mut f.ty).chain(s.additional.as_mut().map(|a| &mut a.ty)).collect()
            }
            TypeKind::Union(variants) => variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

/// The fields of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Struct<S: Stage = Named> {
    /// Known properties, in spec order.
    pub fields: Vec<Field<S>>,
    /// Properties the spec does not list (`additionalProperties`).
    pub additional: Option<Additional<S>>,
    /// Open families of prefixed properties (`h:<header>`), each one collection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<Family<S>>,
    /// For a type read from answers, the Rust name of the field that keeps what the answer
    /// held beside the other fields (members the spec does not list, values of another type).
    #[serde(default, skip_serializing_if = "is_default")]
    pub undocumented: S::OptionalName,
}

impl<S: Stage> Struct<S> {
    /// Whether every field has a value when none is given (an `Option`, or a list or map read
    /// from answers), so the type is `Default`.
    pub fn has_default(&self) -> bool {
        self.fields.iter().all(|f| f.repr != FieldRepr::Plain)
    }
}

/// An open family of properties that share a prefix, held as one collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Family<S: Stage = Named> {
    /// The wire prefix (`h:`).
    pub prefix: String,
    /// The collection's field name.
    pub name: S::Name,
    /// The name of the setter that adds one member.
    pub setter: S::Name,
    /// Members are any JSON (sent as JSON text), rather than text.
    pub json: bool,
}

/// The catch-all map of a struct with `additionalProperties`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Additional<S: Stage = Named> {
    /// The Rust name of the map field.
    pub name: S::Name,
    /// The type of each value.
    pub ty: TypeRef,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Field<S: Stage = Named> {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: S::Name,
    /// Its type, without the `Option` that an optional or nullable field gets.
    pub ty: TypeRef,
    /// Whether the spec requires it.
    pub required: bool,
    /// Whether the spec allows `null` (a required nullable field is still sent, as `null`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// Boxed, to break a recursive type.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub boxed: bool,
    /// How the Rust field holds it (decided once the type's uses are known).
    #[serde(default, skip_serializing_if = "FieldRepr::is_default")]
    pub repr: FieldRepr,
    /// What the spec says of it beyond its type.
    #[serde(default, skip_serializing_if = "FieldDocs::is_empty")]
    pub docs: FieldDocs,
}

impl<S: Stage> Field<S> {
    /// Whether the Rust field is an `Option`.
    pub fn is_option(&self) -> bool {
        self.repr == FieldRepr::Option
    }

    /// What the spec says: an optional or nullable field may be missing.
    pub fn may_be_absent(&self) -> bool {
        !self.required || self.nullable
    }

    /// Whether a value must be given when the type is sent: the spec requires it, and not as
    /// `null`. Such fields are the arguments of the type's constructor and, for a body, of its
    /// call.
    pub fn must_be_given(&self) -> bool {
        !self.may_be_absent()
    }
}

/// How a struct field holds its value.
///
/// Types only ever sent hold what the spec says: a required field is a plain value, an
/// optional or nullable one an `Option`. Types read from answers (those sent too) hold only
/// what an answer held, since answers drift from the spec: every field is an `Option`, `None`
/// when the member is absent, `null` or of a type it cannot hold (never a made-up empty value),
/// except a list or map, where an answer's absent, `null` and empty mean the same: none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldRepr {
    /// The value itself; decoding fails without it.
    #[default]
    Plain,
    /// `Option<T>`.
    Option,
    /// A list or map, empty when missing or `null`.
    Defaulted,
}

impl FieldRepr {
    /// Whether this is the default (for skipping it in serialised IR).
    pub fn is_default(&self) -> bool {
        *self == FieldRepr::Plain
    }
}

/// What the spec says of a field beyond its type.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldDocs {
    /// Its description (or title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its `format`, such as `date-time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Its `default`, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Marked deprecated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Marked read-only (sent by the server only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// The spec's example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

impl FieldDocs {
    /// Whether there is nothing to say.
    pub fn is_empty(&self) -> bool {
        *self == FieldDocs::default()
    }
}

/// A string-enum variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Variant<S: Stage = Named> {
    /// The value on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: S::Name,
    /// From `x-enumDescriptions`.
    pub docs: Option<String>,
}

/// A union variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct UnionVariant<S: Stage = Named> {
    /// The Rust name.
    pub name: S::Name,
    /// Its type.
    pub ty: TypeRef,
    /// Boxed, to break a recursive type.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub boxed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_expressions_read_back() {
        for text in ["Option<Vec<#/components/schemas/A<B>>>", "Map<any>", "()", "file", "Vec<string>"] {
            let ty: TypeRef = text.parse().unwrap();
            assert_eq!(ty.to_string(), text);
        }
        assert!("Vec<nothing>".parse::<TypeRef>().is_err());
    }

    #[test]
    fn statuses_read_back() {
        for text in ["200", "4XX", "default"] {
            assert_eq!(text.parse::<Status>().unwrap().to_string(), text);
        }
    }
}
