//! What replaces each deprecated operation: the overrides file's `replaced_by`, else the call
//! the operation's own description points to ("Deprecated: use POST /v1/analytics/logs").

use crate::error::Issue;
use crate::ir::{Api, HttpMethod, OperationId, Replacement, Unnamed};
use crate::overrides::Overrides;

pub fn replacements(api: &mut Api<Unnamed>, overrides: &Overrides) -> Result<(), Issue> {
    let mut found = Vec::new();
    for (key, given) in &overrides.operations {
        let Some(target) = &given.replaced_by else { continue };
        let pointer = Overrides::pointer("operations", key);
        let (id, target) = (OperationId(key.clone()), OperationId(target.clone()));
        if !api.operations.contains_key(&target) || target == id {
            return Err(Issue::in_overrides(
                pointer,
                format!("`replaced_by: {target}` names no other operation of the spec"),
            ));
        }
        found.push((id, Replacement::Operation(target)));
    }
    for op in api.operations.values().filter(|op| op.deprecated) {
        if found.iter().any(|(id, _)| *id == op.id) {
            continue;
        }
        let Some((method, path)) = op.description.as_deref().and_then(named_call) else { continue };
        let target = api.operations.values().find(|other| other.method == method && same_path(&other.path.raw, &path));
        let replacement = match target {
            Some(other) if other.id != op.id => Replacement::Operation(other.id.clone()),
            Some(_) => continue,
            None => Replacement::Elsewhere(format!("{} {path}", method.as_str())),
        };
        found.push((op.id.clone(), replacement));
    }
    for (id, replacement) in found {
        api.operations.get_mut(&id).expect("checked above").replaced_by = Some(replacement);
    }
    Ok(())
}

/// The call a description tells the reader to use instead: `use GET /v2/things/{id}`.
fn named_call(text: &str) -> Option<(HttpMethod, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(3).find_map(|w| {
        if !w[0].eq_ignore_ascii_case("use") {
            return None;
        }
        let method = HttpMethod::from_key(&w[1].to_ascii_lowercase())?;
        let path = w[2].trim_end_matches(['.', ',', ';', ')']);
        path.starts_with('/').then(|| (method, path.to_owned()))
    })
}

/// Whether two path templates are the same, whatever their parameters are called.
fn same_path(a: &str, b: &str) -> bool {
    let shape = |path: &str| -> Vec<String> {
        path.trim_end_matches('/')
            .split('/')
            .map(|segment| if segment.starts_with('{') { "{}".to_owned() } else { segment.to_owned() })
            .collect()
    };
    shape(a) == shape(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_a_description_names_is_read() {
        assert_eq!(
            named_call("Deprecated: use POST /v1/analytics/logs - https://example.com"),
            Some((HttpMethod::Post, "/v1/analytics/logs".to_owned()))
        );
        assert_eq!(
            named_call("Deprecated: use GET /v2/groups/{group-id}."),
            Some((HttpMethod::Get, "/v2/groups/{group-id}".to_owned()))
        );
        assert_eq!(named_call("Use this call to list things."), None);
        assert!(same_path("/v3/{domain}/tags", "/v3/{name}/tags/"));
        assert!(!same_path("/v3/{domain}/tags", "/v3/{domain}/tag"));
    }
}
