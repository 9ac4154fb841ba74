//! How a client proves who it is: the one security scheme of the document the crate sends, and
//! the calls that go without it.
//!
//! A client holds one set of credentials, so the crate sends one scheme: the first the
//! document's top-level `security` names that the crate can send, else the one most calls name,
//! else the first the document defines (a document that defines a scheme and never requires it
//! still means its API takes it). Every other scheme, and every call that needs only others, is
//! reported as left out, never dropped silently.

use super::Found;
use crate::error::{join, Issue};
use crate::ir::{Auth, LeftOut, OperationId, ParamLocation};
use crate::overrides::Overrides;
use openapiv3 as oa;
use std::collections::{BTreeMap, BTreeSet};

const SCHEMES: &str = "#/components/securitySchemes";

/// The crate's scheme, the calls sent without credentials, and what is left out.
pub(super) struct Authentication {
    pub(super) auth: Auth,
    pub(super) anonymous: BTreeSet<OperationId>,
    pub(super) left_out: Vec<LeftOut>,
}

pub(super) fn authentication<'a>(
    doc: &'a oa::OpenAPI,
    operations: &[Found<'a>],
    overrides: &Overrides,
) -> Result<Authentication, Issue> {
    let mut left_out = Vec::new();
    let defined: Vec<(&str, Option<Auth>)> = doc
        .components
        .iter()
        .flat_map(|c| &c.security_schemes)
        .map(|(name, scheme)| (name.as_str(), sendable(scheme)))
        .collect();
    let sendable_name = |name: &str| defined.iter().any(|(n, auth)| *n == name && auth.is_some());
    let required = |found: &Found<'a>| found.op.security.as_ref().or(doc.security.as_ref());
    let chosen: Option<&str> = first_named(doc.security.iter().flatten(), &sendable_name)
        .or_else(|| most_named(operations.iter().filter_map(required).flatten(), &sendable_name))
        .or_else(|| defined.iter().find(|(_, auth)| auth.is_some()).map(|(name, _)| *name));
    for (name, auth) in &defined {
        let pointer = join(SCHEMES, &[name]);
        match (auth, chosen) {
            (None, _) => left_out.push(LeftOut {
                what: pointer,
                reason: "the crate cannot send this scheme (HTTP Basic, bearer tokens, OAuth 2 and OpenID Connect \
                         access tokens and API keys it can): calls that need it alone are sent without credentials"
                    .to_owned(),
            }),
            (Some(_), Some(chosen)) if chosen != *name => left_out.push(LeftOut {
                what: pointer,
                reason: format!(
                    "a client holds one set of credentials, and the crate sends `{chosen}`'s: calls that need this \
                     scheme alone are sent without credentials"
                ),
            }),
            _ => {}
        }
    }
    let mut auth = chosen
        .and_then(|chosen| defined.iter().find(|(name, _)| *name == chosen))
        .and_then(|(_, auth)| auth.clone())
        .unwrap_or_default();
    if let Some(basic) = &overrides.client.basic_auth {
        match &mut auth {
            Auth::Basic { username } => *username = Some(basic.username.clone()),
            other => {
                return Err(Issue::in_overrides(
                    "#/client/basic_auth",
                    format!("the crate sends {}, not HTTP Basic: a user name does not apply", other.describe()),
                ))
            }
        }
    }
    let mut anonymous = BTreeSet::new();
    if let Some(chosen) = chosen {
        for found in operations {
            // No `security` anywhere: the scheme the document defines is the API's.
            let Some(requirements) = required(found) else { continue };
            if !requirements.iter().any(|requirement| requirement.contains_key(chosen)) {
                anonymous.insert(found.id.clone());
                let needs_some = requirements.iter().any(|requirement| !requirement.is_empty());
                if needs_some {
                    left_out.push(LeftOut {
                        what: join(&found.pointer, &["security"]),
                        reason: format!(
                            "the call needs only schemes the crate does not send (it sends `{chosen}`): it is sent \
                             without credentials"
                        ),
                    });
                }
            }
        }
    }
    Ok(Authentication { auth, anonymous, left_out })
}

/// What the crate sends for a scheme, or `None` when it cannot send it.
fn sendable(scheme: &oa::ReferenceOr<oa::SecurityScheme>) -> Option<Auth> {
    let oa::ReferenceOr::Item(scheme) = scheme else { return None };
    match scheme {
        oa::SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
            Some(Auth::Basic { username: None })
        }
        oa::SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => Some(Auth::Bearer),
        oa::SecurityScheme::HTTP { .. } => None,
        oa::SecurityScheme::OAuth2 { .. } | oa::SecurityScheme::OpenIDConnect { .. } => Some(Auth::Bearer),
        oa::SecurityScheme::APIKey { location, name, .. } => {
            let location = match location {
                oa::APIKeyLocation::Query => ParamLocation::Query,
                oa::APIKeyLocation::Header => ParamLocation::Header,
                oa::APIKeyLocation::Cookie => ParamLocation::Cookie,
            };
            Some(Auth::ApiKey { location, name: name.clone() })
        }
    }
}

/// The first scheme the requirements name that the crate can send.
fn first_named<'a>(
    requirements: impl Iterator<Item = &'a oa::SecurityRequirement>,
    sendable: &impl Fn(&str) -> bool,
) -> Option<&'a str> {
    requirements.flat_map(|requirement| requirement.keys()).map(String::as_str).find(|name| sendable(name))
}

/// The sendable scheme the requirements name most often (the first in name order on a tie).
fn most_named<'a>(
    requirements: impl Iterator<Item = &'a oa::SecurityRequirement>,
    sendable: &impl Fn(&str) -> bool,
) -> Option<&'a str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in requirements.flat_map(|requirement| requirement.keys()).map(String::as_str) {
        if sendable(name) {
            *counts.entry(name).or_default() += 1;
        }
    }
    let most = counts.values().copied().max()?;
    counts.into_iter().find(|(_, count)| *count == most).map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authenticate(yaml: &str, overrides: &Overrides) -> Result<Authentication, Issue> {
        let doc: oa::OpenAPI = serde_yaml::from_str(yaml).unwrap();
        let operations = super::super::collect_operations(&doc, overrides).unwrap();
        authentication(&doc, &operations, overrides)
    }

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{key: []}, {token: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    token: {type: http, scheme: bearer}
    digest: {type: http, scheme: digest}
paths:
  /a: {get: {operationId: a, responses: {"204": {description: none}}}}
  /b: {get: {operationId: b, security: [], responses: {"204": {description: none}}}}
  /c: {get: {operationId: c, security: [{token: []}], responses: {"204": {description: none}}}}
  /d: {get: {operationId: d, security: [{}, {key: []}], responses: {"204": {description: none}}}}
  /e: {get: {operationId: e, security: [{}], responses: {"204": {description: none}}}}
"#;

    #[test]
    fn the_first_top_level_scheme_is_sent_and_the_rest_is_reported() {
        let found = authenticate(DOC, &Overrides::default()).unwrap();
        assert_eq!(found.auth, Auth::ApiKey { location: ParamLocation::Header, name: "X-Key".to_owned() });
        let anonymous: Vec<&str> = found.anonymous.iter().map(|id| id.0.as_str()).collect();
        assert_eq!(anonymous, ["b", "c", "e"]);
        let left: Vec<&str> = found.left_out.iter().map(|l| l.what.as_str()).collect();
        assert_eq!(
            left,
            ["#/components/securitySchemes/token", "#/components/securitySchemes/digest", "#/paths/~1c/get/security"]
        );
    }

    #[test]
    fn without_top_level_security_the_scheme_most_calls_name_is_sent() {
        let doc = DOC.replace("security: [{key: []}, {token: []}]\n", "");
        let found = authenticate(&doc, &Overrides::default()).unwrap();
        // `c` names `token`, `d` names `key`: a tie, broken by name.
        assert_eq!(found.auth, Auth::ApiKey { location: ParamLocation::Header, name: "X-Key".to_owned() });
        // `a` has no requirement at all: it takes the API's scheme.
        assert!(!found.anonymous.contains(&OperationId("a".to_owned())));
    }

    #[test]
    fn a_defined_scheme_no_call_requires_is_still_sent() {
        let doc = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
components: {securitySchemes: {basic: {type: http, scheme: Basic}}}
paths: {/a: {get: {operationId: a, responses: {"204": {description: none}}}}}
"#;
        let found = authenticate(doc, &Overrides::default()).unwrap();
        assert_eq!(found.auth, Auth::Basic { username: None });
        assert!(found.anonymous.is_empty() && found.left_out.is_empty());
    }

    #[test]
    fn a_fixed_user_name_applies_to_basic_only() {
        let overrides: Overrides =
            serde_yaml::from_str("client: {basic_auth: {username: api, reason: the API says so}}").unwrap();
        let basic = DOC.replace("{type: apiKey, in: header, name: X-Key}", "{type: http, scheme: basic}");
        let found = authenticate(&basic, &overrides).unwrap();
        assert_eq!(found.auth, Auth::Basic { username: Some("api".to_owned()) });
        let refused = authenticate(DOC, &overrides).err().unwrap();
        assert_eq!(refused.pointer, "#/client/basic_auth");
        assert!(refused.message.contains("an API key in the header `X-Key`"), "{}", refused.message);
    }

    #[test]
    fn no_scheme_means_no_credentials() {
        let doc = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {/a: {get: {operationId: a, responses: {"204": {description: none}}}}}
"#;
        let found = authenticate(doc, &Overrides::default()).unwrap();
        assert_eq!(found.auth, Auth::None);
        assert!(found.anonymous.is_empty() && found.left_out.is_empty());
    }
}
