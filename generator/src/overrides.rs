//! `spec/overrides.yaml`: what the generator is told on top of the spec.
//!
//! - `patches`: corrections to the document, as JSON Patch (RFC 6902) `add`/`replace`/`remove`
//!   operations, each with a `reason`. They are applied to the loaded document before anything
//!   else, so the shipped spec stays byte-for-byte as published.
//! - `operations`: method names by operationId.
//! - `schemas`: type names by component name.
//! - `tags`: module names by tag.
//! - `skip`: operationIds left out, each with a reason.

use crate::error::Issue;
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
    /// Per-operation settings, by operationId.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationOverride>,
    /// Per-component settings, by component name.
    #[serde(default)]
    pub schemas: BTreeMap<String, NameOverride>,
    /// Per-tag settings, by tag name.
    #[serde(default)]
    pub tags: BTreeMap<String, TagOverride>,
    /// Operations left out: operationId → reason.
    #[serde(default)]
    pub skip: BTreeMap<String, String>,
}

/// One JSON Patch operation with its justification.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// `add`, `replace` or `remove`.
    pub op: PatchOp,
    /// JSON pointer into the document (without `#`).
    pub path: String,
    /// The new value, for `add` and `replace`.
    #[serde(default)]
    pub value: Option<Value>,
    /// Why the spec is wrong here.
    pub reason: String,
}

/// The JSON Patch operations supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum PatchOp {
    Add,
    Replace,
    Remove,
}

/// Settings for one operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationOverride {
    /// The method name.
    pub name: String,
}

/// A type name for one component.
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
            let pointer = format!("#/{}", e.path().to_string().replace('.', "/"));
            Issue::at(pointer, e.inner().to_string())
        })
    }

    /// Applies the patches to the document, in order.
    pub fn apply_patches(&self, doc: &mut Value) -> Result<(), Issue> {
        for (i, patch) in self.patches.iter().enumerate() {
            apply(doc, patch).map_err(|message| {
                Issue::at(
                    format!("#/patches/{i}"),
                    format!("patch `{} {}` cannot apply: {message}", op_name(patch.op), patch.path),
                )
            })?;
        }
        Ok(())
    }
}

fn op_name(op: PatchOp) -> &'static str {
    match op {
        PatchOp::Add => "add",
        PatchOp::Replace => "replace",
        PatchOp::Remove => "remove",
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn apply(doc: &mut Value, patch: &Patch) -> Result<(), String> {
    let tokens: Vec<String> = patch.path.trim_start_matches('#').split('/').skip(1).map(unescape).collect();
    let (last, parents) = tokens.split_last().ok_or("the path names the whole document")?;
    let mut node = doc;
    for token in parents {
        node = match node {
            Value::Mapping(map) => map.get_mut(token.as_str()),
            Value::Sequence(items) => token.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| format!("`{token}` does not exist"))?;
    }
    let value = || patch.value.clone().ok_or_else(|| "it needs a `value`".to_owned());
    match node {
        Value::Mapping(map) => {
            let exists = map.contains_key(last.as_str());
            match patch.op {
                PatchOp::Add => {
                    map.insert(last.as_str().into(), value()?);
                }
                PatchOp::Replace if exists => {
                    map.insert(last.as_str().into(), value()?);
                }
                PatchOp::Remove if exists => {
                    map.remove(last.as_str());
                }
                _ => return Err(format!("`{last}` does not exist")),
            }
        }
        Value::Sequence(items) => {
            let index = if last == "-" {
                items.len()
            } else {
                last.parse().map_err(|_| format!("`{last}` is not an index"))?
            };
            match patch.op {
                PatchOp::Add if index <= items.len() => items.insert(index, value()?),
                PatchOp::Replace if index < items.len() => items[index] = value()?,
                PatchOp::Remove if index < items.len() => {
                    items.remove(index);
                }
                _ => return Err(format!("index {index} is out of range")),
            }
        }
        _ => return Err("the parent is not a mapping or a list".to_owned()),
    }
    Ok(())
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
    fn a_patch_that_does_not_apply_names_itself() {
        let mut doc: Value = serde_yaml::from_str("a: {}").unwrap();
        let o = overrides("patches:\n- {op: remove, path: /a/missing, reason: r}");
        let issue = o.apply_patches(&mut doc).unwrap_err();
        assert_eq!(issue.pointer, "#/patches/0");
        assert!(issue.message.contains("/a/missing"), "{}", issue.message);
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_place() {
        let issue = Overrides::from_value(serde_yaml::from_str("operations: {x: {nmae: y}}").unwrap()).unwrap_err();
        assert!(issue.message.contains("nmae"), "{}", issue.message);
    }
}
