//! `spec/overrides.yaml`: what the generator is told on top of the spec.
//!
//! - `patches`: corrections to the document, as JSON Patch (RFC 6902) `add`/`replace`/`remove`/
//!   `test` operations, each with a `reason` (and, where the spec itself is not the evidence, a
//!   `source`). They are applied to the loaded document before
//!   anything else, so the shipped spec stays byte-for-byte as published. In a `parameters`
//!   list, a parameter is addressed by location and name (`…/parameters/query:limit`), never by
//!   position: a reordered list must not silently patch the wrong parameter.
//! - `operations`: method names by operation identity (operationId, or `GET /path`).
//! - `schemas`: type names by component name (or, for an inline schema, by type identity `#/…`).
//! - `tags`: module names by tag.
//! - `families`: open families of prefixed form fields (`h:<header>`), by schema, each a typed
//!   collection on the Rust side instead of a catch-all map.
//! - `field_prefixes`: wire-name prefixes that read better as other words in field names.
//! - `skip`: operations left out, each with a reason.
//! - `crate`: the generated crate's name and how its docs name the API (else both come from
//!   the document's title).
//! - `client`: what the API's client does that the document does not describe: a header that
//!   makes any call on behalf of another account, and the answers that mean "another region".
//! - `webhooks`: the webhooks the API posts (OpenAPI 3.0 has no place for them): the type of
//!   their `event-data` and the scheme they are signed with. Only with it does the crate get a
//!   `webhooks` feature, a signature verifier and the payload types.
//!
//! Names here are only for names that read better: the generator never needs one to run.
//! Every problem is reported at a pointer into the overrides file.

use crate::error::{escape_token, Issue};
use serde::Deserialize;
use serde_yaml::Value;
use std::collections::BTreeMap;

/// The parsed overrides file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Corrections to the document.
    #[serde(default)]
    pub patches: Vec<Patch>,
    /// Per-operation settings, by operation identity.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationOverride>,
    /// Per-type settings, by component name or type identity.
    #[serde(default)]
    pub schemas: BTreeMap<String, NameOverride>,
    /// Per-tag settings, by tag name.
    #[serde(default)]
    pub tags: BTreeMap<String, TagOverride>,
    /// Open families of prefixed fields, by component name or type identity.
    #[serde(default)]
    pub families: BTreeMap<String, Vec<Family>>,
    /// Wire-name prefixes and the words they read as in a field name (`o:` → ``).
    #[serde(default)]
    pub field_prefixes: BTreeMap<String, FieldPrefix>,
    /// Operations left out: operation identity → reason.
    #[serde(default)]
    pub skip: BTreeMap<String, String>,
    /// The generated crate's identity.
    #[serde(default, rename = "crate")]
    pub krate: Option<CrateIdentity>,
    /// The client's conventions that the document does not describe.
    #[serde(default)]
    pub client: ClientConventions,
    /// The webhooks the API posts (the spec has no `webhooks`), and how they are signed.
    #[serde(default)]
    pub webhooks: Option<Webhooks>,
}

/// Who the generated crate is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateIdentity {
    /// The crate's name (`snake_case` or `kebab-case`), as users write it in `Cargo.toml`.
    pub name: Option<String>,
    /// How docs name the API, as in "a client for the Example API"; else the document's title.
    pub api: Option<String>,
    /// The call the crate's README shows (in the test double's example), by operation
    /// identity; else the first operation with a request body.
    pub showcase: Option<String>,
    /// Why.
    pub reason: String,
}

/// What the client does that the API document does not say.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConventions {
    /// A header that makes a call on behalf of another account: the crate gets `on_behalf_of`
    /// on its client, its client builder and every request builder.
    pub on_behalf_of: Option<HeaderConvention>,
    /// The answers that mean the call went to another region's server than the one that
    /// keeps the account's data: an error answer like one of these gets a hint naming the
    /// other regions.
    #[serde(default)]
    pub wrong_region: Vec<WrongRegion>,
    /// The user name of the document's HTTP Basic scheme, when the API fixes it and the key is
    /// the password: a client then takes the key alone.
    pub basic_auth: Option<BasicAuthConvention>,
    /// How the API reads the time values it is sent, when the document's dates do not say it.
    pub time_format: Option<TimeFormatConvention>,
}

/// The form time values are sent in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeFormatConvention {
    /// `rfc3339`, `date` or `rfc2822`.
    pub format: crate::ir::TimeFormat,
    /// Why.
    pub reason: String,
}

/// HTTP Basic with a fixed user name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuthConvention {
    /// The user name every client sends.
    pub username: String,
    /// Why.
    pub reason: String,
}

/// A header the client sends on request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderConvention {
    /// The header's name.
    pub header: String,
    /// Why.
    pub reason: String,
}

/// An error answer that means "another region".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongRegion {
    /// Its HTTP status.
    pub status: u16,
    /// Words its message holds (compared without regard to case), if the status alone does
    /// not say it.
    pub message: Option<String>,
    /// Why.
    pub reason: String,
}

/// The webhooks the API posts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhooks {
    /// How they are signed.
    pub signature: WebhookSignature,
    /// The schema of their `event-data`: a component name or type identity.
    pub event: String,
    /// Why that schema.
    pub reason: String,
}

/// The signature schemes the runtime can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WebhookSignature {
    /// `signature`: the hex HMAC-SHA256, under the account's webhook signing key, of
    /// `timestamp` followed by `token`, the three sent together in the body.
    TimestampTokenHmacSha256,
}

/// An open family of form fields that share a prefix (`h:Reply-To`, `h:X-Campaign`): on the
/// Rust side one collection, keyed by what follows the prefix.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// The wire prefix (`h:`).
    pub prefix: String,
    /// The field that holds the family (`headers`).
    pub field: String,
    /// The setter that adds one member (`header`).
    pub setter: String,
    /// What a member's value is.
    #[serde(default)]
    pub values: FamilyValues,
    /// Why the family exists.
    pub reason: String,
}

/// What the values of a family are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FamilyValues {
    /// Text.
    #[default]
    Text,
    /// Any serialisable value, sent as JSON text (a string as itself).
    Json,
}

/// What a wire-name prefix reads as in a field name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldPrefix {
    /// The words that replace the prefix (empty to drop it).
    pub reads_as: String,
    /// Why.
    pub reason: String,
}

impl Overrides {
    /// The text a wire name is read as for naming: a prefix in `field_prefixes` replaced by its
    /// words (`o:tracking` → ` tracking`, `t:version` → `template version`).
    pub fn wire_text(&self, wire: &str) -> String {
        match self.field_prefixes.iter().find(|(p, _)| wire.starts_with(p.as_str())) {
            Some((p, given)) => format!("{} {}", given.reads_as, &wire[p.len()..]),
            None => wire.to_owned(),
        }
    }
}

/// One JSON Patch operation with its justification.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// `add`, `replace`, `remove` or `test`.
    pub op: PatchOp,
    /// JSON pointer into the document (without `#`).
    pub path: String,
    /// The new value, for `add` and `replace`; the expected one, for `test`.
    #[serde(default)]
    pub value: Option<Value>,
    /// Why the spec is wrong here (or, for `test`, what the check guards).
    pub reason: String,
    /// Where the correction comes from, when it is not the spec itself: what the API's
    /// answers show (a recorded answer, an official SDK's model) or its documentation.
    #[serde(default)]
    pub source: Option<String>,
}

/// The JSON Patch operations supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum PatchOp {
    Add,
    Replace,
    Remove,
    Test,
}

/// Settings for one operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationOverride {
    /// The method name.
    #[serde(default)]
    pub name: Option<String>,
    /// For a deprecated operation: the operationId of the one that replaces it.
    #[serde(default)]
    pub replaced_by: Option<String>,
}

/// A type name for one schema.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameOverride {
    /// The type name.
    pub name: String,
}

/// Settings for one tag.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagOverride {
    /// The module name.
    pub module: String,
}

impl Overrides {
    /// Parses the overrides file's value; errors name the offending key.
    pub fn from_value(value: Value) -> Result<Overrides, Issue> {
        if value.is_null() {
            return Ok(Overrides::default());
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let pointer: Vec<String> = e.path().iter().map(|segment| escape_token(&segment.to_string())).collect();
            Issue::in_overrides(format!("#/{}", pointer.join("/")), e.inner().to_string())
        })
    }

    /// Applies the patches to the document, in order.
    pub fn apply_patches(&self, doc: &mut Value) -> Result<(), Issue> {
        for (i, patch) in self.patches.iter().enumerate() {
            apply(doc, patch).map_err(|message| {
                Issue::in_overrides(
                    format!("#/patches/{i}"),
                    format!("patch `{} {}` cannot apply: {message}", op_name(patch.op), patch.path),
                )
            })?;
        }
        Ok(())
    }

    /// The pointer of an entry of one of the name maps, for messages.
    pub fn pointer(section: &str, key: &str) -> String {
        format!("#/{section}/{}", escape_token(key))
    }
}

fn op_name(op: PatchOp) -> &'static str {
    match op {
        PatchOp::Add => "add",
        PatchOp::Replace => "replace",
        PatchOp::Remove => "remove",
        PatchOp::Test => "test",
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The position a token names in a list. `parent` is the key the list sits under: in a
/// `parameters` list only `in:name` is accepted.
fn list_index(items: &[Value], token: &str, parent: Option<&str>) -> Result<usize, String> {
    if parent == Some("parameters") {
        let (location, name) = token.split_once(':').ok_or_else(|| {
            format!("address a parameter by location and name (such as `query:limit`), not by position (`{token}`)")
        })?;
        return items
            .iter()
            .position(|p| p["in"].as_str() == Some(location) && p["name"].as_str() == Some(name))
            .ok_or_else(|| format!("there is no {location} parameter `{name}`"));
    }
    token.parse().map_err(|_| format!("`{token}` is not an index"))
}

fn apply(doc: &mut Value, patch: &Patch) -> Result<(), String> {
    let tokens: Vec<String> = patch.path.trim_start_matches('#').split('/').skip(1).map(unescape).collect();
    let (last, parents) = tokens.split_last().ok_or("the path names the whole document")?;
    let mut node = doc;
    let mut parent_key: Option<&str> = None;
    for token in parents {
        node = match node {
            Value::Mapping(map) => map.get_mut(token.as_str()),
            Value::Sequence(items) => {
                let index = list_index(items, token, parent_key)?;
                items.get_mut(index)
            }
            _ => None,
        }
        .ok_or_else(|| format!("`{token}` does not exist"))?;
        parent_key = Some(token);
    }
    let value = || patch.value.clone().ok_or_else(|| "it needs a `value`".to_owned());
    match node {
        Value::Mapping(map) => {
            let existing = map.get(last.as_str()).cloned();
            match (patch.op, existing) {
                (PatchOp::Add, _) | (PatchOp::Replace, Some(_)) => {
                    map.insert(last.as_str().into(), value()?);
                }
                (PatchOp::Remove, Some(_)) => {
                    map.remove(last.as_str());
                }
                (PatchOp::Test, Some(found)) => test(&found, &value()?)?,
                _ => return Err(format!("`{last}` does not exist")),
            }
        }
        Value::Sequence(items) => {
            let index = if last == "-" && patch.op == PatchOp::Add {
                items.len()
            } else {
                list_index(items, last, parent_key)?
            };
            match patch.op {
                PatchOp::Add if index <= items.len() => items.insert(index, value()?),
                PatchOp::Replace if index < items.len() => items[index] = value()?,
                PatchOp::Remove if index < items.len() => {
                    items.remove(index);
                }
                PatchOp::Test if index < items.len() => test(&items[index], &value()?)?,
                _ => return Err(format!("index {index} is out of range")),
            }
        }
        _ => return Err("the parent is not a mapping or a list".to_owned()),
    }
    Ok(())
}

fn test(found: &Value, expected: &Value) -> Result<(), String> {
    if found == expected {
        Ok(())
    } else {
        let shown = serde_yaml::to_string(found).unwrap_or_default();
        Err(format!("the test failed: the document has `{}` there", shown.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(text: &str) -> Overrides {
        Overrides::from_value(serde_yaml::from_str(text).unwrap()).unwrap()
    }

    #[test]
    fn patches_add_replace_and_remove() {
        let mut doc: Value = serde_yaml::from_str("a: {b~c: {x: 1}, list: [1, 2]}").unwrap();
        let o = overrides(
            "patches:\n- {op: add, path: /a/b~0c/y, value: 2, reason: r}\n- {op: replace, path: /a/list/0, value: 9, reason: r}\n- {op: remove, path: /a/b~0c/x, reason: r}",
        );
        o.apply_patches(&mut doc).unwrap();
        assert_eq!(doc, serde_yaml::from_str::<Value>("a: {b~c: {y: 2}, list: [9, 2]}").unwrap());
    }

    #[test]
    fn a_patch_that_does_not_apply_names_itself_in_the_overrides_file() {
        let mut doc: Value = serde_yaml::from_str("a: {}").unwrap();
        let o = overrides("patches:\n- {op: remove, path: /a/missing, reason: r}");
        let issue = o.apply_patches(&mut doc).unwrap_err();
        assert_eq!((issue.input, issue.pointer.as_str()), (crate::error::Input::Overrides, "#/patches/0"));
        assert!(issue.message.contains("/a/missing"), "{}", issue.message);
    }

    #[test]
    fn test_guards_what_a_patch_assumes() {
        let mut doc: Value = serde_yaml::from_str("a: {b: 1}").unwrap();
        overrides("patches:\n- {op: test, path: /a/b, value: 1, reason: r}").apply_patches(&mut doc).unwrap();
        let issue =
            overrides("patches:\n- {op: test, path: /a/b, value: 2, reason: r}").apply_patches(&mut doc).unwrap_err();
        assert!(issue.message.contains("the test failed"), "{}", issue.message);
    }

    #[test]
    fn parameters_are_addressed_by_location_and_name() {
        let text = "p: {get: {parameters: [{in: path, name: d}, {in: query, name: limit, required: true}]}}";
        let mut doc: Value = serde_yaml::from_str(text).unwrap();
        let o = overrides(
            "patches:\n- {op: replace, path: /p/get/parameters/query:limit/required, value: false, reason: r}",
        );
        o.apply_patches(&mut doc).unwrap();
        assert_eq!(doc["p"]["get"]["parameters"][1]["required"], Value::Bool(false));

        let by_index =
            overrides("patches:\n- {op: replace, path: /p/get/parameters/1/required, value: false, reason: r}");
        let issue = by_index.apply_patches(&mut doc).unwrap_err();
        assert!(issue.message.contains("not by position"), "{}", issue.message);
        let missing = overrides("patches:\n- {op: remove, path: /p/get/parameters/query:nope, reason: r}");
        assert!(missing.apply_patches(&mut doc).unwrap_err().message.contains("no query parameter `nope`"));
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_place() {
        let issue = Overrides::from_value(serde_yaml::from_str("operations: {x: {nmae: y}}").unwrap()).unwrap_err();
        assert_eq!(issue.input, crate::error::Input::Overrides);
        assert!(issue.message.contains("nmae"), "{}", issue.message);
    }
}
