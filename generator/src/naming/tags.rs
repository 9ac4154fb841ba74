//! Tag module names: `IP Pools` → `ip_pools`, with the overrides file first. Two tags that
//! give the same module are told apart by a number, in tag-name order.

use super::{from_override, snake, RustName};
use crate::error::Issue;
use crate::ir::{Api, NameSource, QualifyReason, TagKey, Unnamed, CRATE_FEATURES};
use crate::overrides::Overrides;
use std::collections::BTreeMap;

/// Each tag's module name, and why.
pub(super) fn assign(
    api: &Api<Unnamed>,
    overrides: &Overrides,
) -> Result<BTreeMap<TagKey, (RustName, NameSource)>, Issue> {
    for key in overrides.tags.keys() {
        if !api.tags.contains_key(&TagKey(key.clone())) {
            return Err(Issue::in_overrides(
                Overrides::pointer("tags", key),
                format!("the overrides file names tag `{key}`, which no operation uses"),
            ));
        }
    }
    let mut given: BTreeMap<RustName, &TagKey> = BTreeMap::new();
    let mut derived: BTreeMap<RustName, Vec<&TagKey>> = BTreeMap::new();
    let mut names: BTreeMap<TagKey, (RustName, NameSource)> = BTreeMap::new();
    for key in api.tags.keys() {
        match overrides.tags.get(&key.0) {
            Some(o) => {
                let pointer = Overrides::pointer("tags", &key.0);
                let module = from_override(&o.module).ok_or_else(|| {
                    Issue::in_overrides(&pointer, format!("`{}` is not a valid module name", o.module))
                })?;
                if let Some(other) = given.insert(module.clone(), key) {
                    return Err(Issue::in_overrides(
                        pointer,
                        format!("tags `{other}` and `{key}` are both given module `{module}`"),
                    ));
                }
                names.insert(key.clone(), (module, NameSource::Override));
            }
            None => {
                let module = snake(&key.0).or_else(|| from_override("default")).expect("an identifier");
                derived.entry(module).or_default().push(key);
            }
        }
    }
    for (module, keys) in derived {
        let from = |key: &TagKey| NameSource::Derived { from: format!("tag `{key}`") };
        let mut number = 1;
        for (i, key) in keys.iter().enumerate() {
            // The first tag (in name order) keeps the module, unless an override took it.
            if i == 0 && !given.contains_key(&module) && !names.values().any(|(n, _)| *n == module) {
                names.insert((*key).clone(), (module.clone(), from(key)));
                continue;
            }
            let qualified = loop {
                number += 1;
                let candidate = module.numbered("_", number);
                if !given.contains_key(&candidate) && !names.values().any(|(n, _)| *n == candidate) {
                    break candidate;
                }
            };
            let source = NameSource::Qualified {
                derived: module.to_string(),
                qualifier: format!("the number {number}"),
                reason: QualifyReason::Collision,
                conflicts: keys.iter().filter(|k| *k != key).map(|k| format!("tag `{k}`")).collect(),
            };
            names.insert((*key).clone(), (qualified, source));
        }
    }
    Ok(names)
}

/// A tag's cargo feature: its module name in kebab case, the convention of crates.io.
pub(super) fn feature_name(module: &RustName) -> String {
    let name = module.as_str().trim_matches('_').replace('_', "-");
    if CRATE_FEATURES.contains(&name.as_str()) {
        format!("{name}-api")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_named_like_a_feature_of_the_crate_gets_another_feature() {
        for taken in CRATE_FEATURES {
            let module = from_override(&taken.replace('-', "_")).unwrap();
            assert_eq!(feature_name(&module), format!("{taken}-api"));
        }
        assert_eq!(feature_name(&from_override("mailing_lists").unwrap()), "mailing-lists");
    }
}
