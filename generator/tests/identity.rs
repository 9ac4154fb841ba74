//! The generated crate's identity comes from the inputs: a document without overrides gives a
//! crate named after its title, with no webhook verifier and no client conventions; the
//! overrides name the crate, ask for the verifier and give the conventions.

use generator::Inputs;

fn generate(spec: &str, overrides: Option<&str>) -> generator::Files {
    // A folder per call: the tests run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("identity-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("api.yaml");
    std::fs::write(&spec_path, spec).unwrap();
    let overrides_path = overrides.map(|text| {
        let path = dir.join("overrides.yaml");
        std::fs::write(&path, text).unwrap();
        path
    });
    let inputs = Inputs {
        spec: &spec_path,
        overrides: overrides_path.as_deref(),
        spec_label: "api.yaml",
        crate_version: None,
        examples: None,
    };
    generator::generate(inputs).unwrap_or_else(|e| panic!("{e}"))
}

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: "Acme Widgets API", version: "2"}
servers: [{url: "https://api.acme.example"}, {url: "https://eu.api.acme.example"}]
paths:
  /widgets:
    post:
      operationId: createWidget
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Widget"}
components:
  schemas:
    Widget: {type: object, properties: {id: {type: string}}}
"##;

#[test]
fn without_overrides_the_crate_is_the_documents() {
    let files = generate(SPEC, None);
    let cargo = &files["Cargo.toml"];
    assert!(cargo.contains("name = \"acme_widgets_api\""), "{cargo}");
    assert!(cargo.contains("A client for the Acme Widgets API (version 2)"), "{cargo}");
    assert!(cargo.contains("default = [\"full\"]"), "{cargo}");
    for webhook_part in ["webhooks =", "hmac", "sha2", "hex ="] {
        assert!(!cargo.contains(webhook_part), "no webhooks were asked for: {webhook_part}\n{cargo}");
    }
    assert!(!files.contains_key("src/webhook.rs") && !files.contains_key("src/webhook_event.rs"));
    assert!(!files["src/lib.rs"].contains("webhook"), "{}", files["src/lib.rs"]);
    let readme = &files["README.md"];
    assert!(readme.starts_with("<!--") && readme.contains("# acme_widgets_api\n"), "{readme}");
    assert!(readme.contains("acme_widgets_api::Client::builder"), "{readme}");
    assert!(readme.contains("server.on::<CreateWidgets>()"), "the showcase is the call with a body: {readme}");
    assert!(!readme.contains("on_behalf_of") && !readme.contains("Webhooks"), "{readme}");
    let conventions = &files["src/conventions.rs"];
    assert!(
        !conventions.contains("on_behalf_of") && conventions.contains("WRONG_REGION: &[(u16, Option<&str>)] = &[]"),
        "{conventions}"
    );
    assert!(
        files["src/apis/default.rs"].contains("pub type CreateWidgets = crate::RequestBuilder<params::CreateWidgets>;")
    );
    assert!(!files["src/apis/mod.rs"].contains("on_behalf_of"), "{}", files["src/apis/mod.rs"]);
    // No date says otherwise: time values go as RFC 3339, what `format: date-time` means.
    assert!(files["src/conventions.rs"].contains("TimeFormat::Rfc3339"), "{}", files["src/conventions.rs"]);
    // `/widgets` carries no API version: a base URL may end with one (`…/v1`).
    assert!(files["src/region.rs"].contains("versioned_paths: false"), "{}", files["src/region.rs"]);
    for (path, text) in &files {
        assert!(!text.to_lowercase().contains("mailgun"), "{path} names Mailgun");
    }
}

#[test]
fn the_overrides_name_the_crate_and_ask_for_webhooks_and_conventions() {
    let overrides = r#"
crate: {name: acme-widgets, api: Acme API, reason: r}
client:
  on_behalf_of: {header: X-Acme-Account, reason: r}
  wrong_region: [{status: 404, message: Tenant Not Here, reason: r}]
  time_format: {format: date, reason: r}
webhooks: {signature: timestamp-token-hmac-sha256, event: Widget, reason: r}
"#;
    let files = generate(SPEC, Some(overrides));
    let cargo = &files["Cargo.toml"];
    assert!(cargo.contains("name = \"acme_widgets\""), "{cargo}");
    assert!(cargo.contains("A client for the Acme API (version 2)"), "{cargo}");
    assert!(cargo.contains("default = [\"full\", \"webhooks\"]") && cargo.contains("dep:hmac"), "{cargo}");
    assert!(files.contains_key("src/webhook.rs"));
    assert!(files["src/webhook_event.rs"].contains("pub type WebhookEvent = crate::types::Widget;"));
    let conventions = &files["src/conventions.rs"];
    assert!(
        conventions.contains("\"X-Acme-Account\"") && conventions.contains("(404, Some(\"tenant not here\"))"),
        "{conventions}"
    );
    let apis = &files["src/apis/mod.rs"];
    assert!(
        apis.contains("pub fn on_behalf_of") && apis.contains("self.extra_header(\"X-Acme-Account\", account)"),
        "{apis}"
    );
    assert!(files["src/conventions.rs"].contains("TimeFormat::Date"), "{}", files["src/conventions.rs"]);
    assert!(files["README.md"].contains("acme_widgets::WebhookVerifier"));
    // The emitted crate root declares every runtime file it is given (its list is its own).
    for (path, _) in generator::render::RUNTIME {
        let module = path.trim_end_matches(".rs");
        assert!(files.contains_key(&format!("src/{path}")), "{path} is copied");
        assert!(files["src/lib.rs"].contains(&format!("mod {module};")), "lib.rs declares `{module}`");
    }
}

#[test]
fn a_title_that_is_no_free_crate_name_is_made_one() {
    for (title, name) in [("Serde", "serde_api"), ("2048 Game", "api_2048_game"), ("***", "api"), ("Core", "core_api")]
    {
        let spec = SPEC.replace("Acme Widgets API", title);
        let cargo = &generate(&spec, None)["Cargo.toml"];
        assert!(cargo.contains(&format!("name = \"{name}\"")), "{title}: {cargo}");
    }
}

/// A crate cannot take the name of a crate it depends on: every dependency of the generated
/// `Cargo.toml` is in `naming::TAKEN_CRATE_NAMES`.
#[test]
fn the_taken_crate_names_hold_every_dependency() {
    let overrides = "webhooks: {signature: timestamp-token-hmac-sha256, event: Widget, reason: r}\n";
    let cargo = &generate(SPEC, Some(overrides))["Cargo.toml"];
    let mut section = "";
    for line in cargo.lines() {
        if line.starts_with('[') {
            section = line;
        } else if section.contains("dependencies") && !line.starts_with('#') && line.contains(" = ") {
            let name = line.split(" = ").next().unwrap().replace('-', "_");
            assert!(generator::naming::TAKEN_CRATE_NAMES.contains(&name.as_str()), "`{name}` is not taken");
        }
    }
}

/// `generate` makes the whole crate: the examples folder's programs (with the features they
/// need, and their tests run where they have some) and its guide in place of the quick start.
#[test]
fn the_examples_and_the_guide_are_part_of_the_crate() {
    let dir = std::env::temp_dir().join(format!("identity-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("guide.md"), "## Guide\n\nCall `create_widgets`.\n").unwrap();
    std::fs::write(dir.join("b_plain.rs"), "fn main() {}\n").unwrap();
    std::fs::write(
        dir.join("a_tested.rs"),
        "// required-features: default, mock\nfn main() {}\n#[cfg(test)]\nmod tests {}\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not an example").unwrap();
    let spec = dir.join("api.yaml");
    std::fs::write(&spec, SPEC).unwrap();
    let inputs = Inputs {
        spec: &spec,
        overrides: None,
        spec_label: "api.yaml",
        crate_version: None,
        examples: Some((&dir, "my/examples")),
    };
    let files = generator::generate(inputs).unwrap_or_else(|e| panic!("{e}"));
    let examples: Vec<&str> = files.keys().filter(|k| k.starts_with("examples/")).map(String::as_str).collect();
    assert_eq!(examples, ["examples/a_tested.rs", "examples/b_plain.rs"]);
    assert!(files["examples/b_plain.rs"]
        .starts_with("// @generated by `cargo xtask codegen`: a copy of my/examples/b_plain.rs."));
    let cargo = &files["Cargo.toml"];
    assert!(
        cargo.ends_with(
            "\n[[example]]\nname = \"a_tested\"\nrequired-features = [\"default\", \"mock\"]\ntest = true\n"
        ),
        "only an example that needs features is listed: {cargo}"
    );
    let readme = &files["README.md"];
    assert!(
        readme.contains("<!-- quick start -->\n## Guide\n\nCall `create_widgets`.\n<!-- /quick start -->"),
        "{readme}"
    );
    assert!(!readme.contains("## Quick start"));
}

/// The document's security scheme decides what `Client::new` takes and how the client sends
/// it; a call whose `security` is empty goes without.
#[test]
fn the_documents_security_scheme_decides_what_the_client_takes() {
    let secured = |schemes: &str| {
        SPEC.replace(
            "components:\n",
            &format!("security: [{{main: []}}]\ncomponents:\n  securitySchemes:\n    main: {schemes}\n"),
        )
        .replace("      operationId: createWidget\n", "      operationId: createWidget\n      security: []\n")
    };
    let cases = [
        (
            "{type: http, scheme: basic}",
            None,
            "Basic { username: None }",
            "username: impl Into<String>, password: impl Into<String>",
            "std::env::var(\"API_USERNAME\")?, std::env::var(\"API_PASSWORD\")?",
        ),
        (
            "{type: http, scheme: basic}",
            Some("client: {basic_auth: {username: api, reason: r}}"),
            "Basic { username: Some(\"api\") }",
            "api_key: impl Into<String>",
            "std::env::var(\"API_KEY\")?",
        ),
        (
            "{type: http, scheme: bearer}",
            None,
            "Auth::Bearer",
            "token: impl Into<String>",
            "std::env::var(\"API_TOKEN\")?",
        ),
        (
            "{type: oauth2, flows: {}}",
            None,
            "Auth::Bearer",
            "token: impl Into<String>",
            "std::env::var(\"API_TOKEN\")?",
        ),
        (
            "{type: apiKey, in: query, name: key}",
            None,
            "Auth::Query(\"key\")",
            "api_key: impl Into<String>",
            "std::env::var(\"API_KEY\")?",
        ),
        (
            "{type: apiKey, in: header, name: X-Key}",
            None,
            "Auth::Header(\"X-Key\")",
            "api_key: impl Into<String>",
            "std::env::var(\"API_KEY\")?",
        ),
        (
            "{type: apiKey, in: cookie, name: sid}",
            None,
            "Auth::Cookie(\"sid\")",
            "api_key: impl Into<String>",
            "std::env::var(\"API_KEY\")?",
        ),
    ];
    // Compared without the formatter's line breaks and trailing commas.
    let squeeze = |text: &str| text.split_whitespace().collect::<String>().replace(",)", ")").replace(",}", "}");
    for (scheme, overrides, auth, parameters, readme_arguments) in cases {
        let files = generate(&secured(scheme), overrides);
        let region = squeeze(&files["src/region.rs"]);
        assert!(region.contains(&squeeze(auth)), "{scheme}: {region}");
        assert!(region.contains(&squeeze(&format!("pub fn new({parameters}) -> crate::Client"))), "{scheme}: {region}");
        let builder = format!("pub fn builder({parameters}) -> crate::ClientBuilder");
        assert!(region.contains(&squeeze(&builder)), "{scheme}: {region}");
        assert!(files["README.md"].contains(&format!("Client::builder({readme_arguments})")), "{scheme}");
        let call = squeeze(&files["src/apis/default.rs"]);
        assert!(call.contains(".anonymous();"), "the call needs no credentials: {call}");
    }
    // Without a scheme: no credentials to take, no call to exempt.
    let files = generate(SPEC, None);
    assert!(files["src/region.rs"].contains("pub fn new() -> crate::Client"));
    assert!(files["src/region.rs"].contains("crate::client::Auth::None"));
    assert!(files["README.md"].contains("Client::builder()"));
    assert!(!files["src/apis/default.rs"].contains(".anonymous()"));
}

/// What the crate cannot send is reported at the scheme and at each call that needs it alone.
#[test]
fn schemes_the_crate_does_not_send_are_reported() {
    let spec = SPEC.replace(
        "components:\n",
        "security: [{key: []}]\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n    \
         digest: {type: http, scheme: digest}\n",
    )
    .replace("      operationId: createWidget\n", "      operationId: createWidget\n      security: [{digest: []}]\n");
    let dir = std::env::temp_dir().join(format!("identity-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("api.yaml");
    std::fs::write(&spec_path, spec).unwrap();
    let inputs =
        Inputs { spec: &spec_path, overrides: None, spec_label: "api.yaml", crate_version: None, examples: None };
    let (_, degraded) = generator::generate_reporting(inputs).unwrap();
    let said: Vec<String> = degraded.iter().map(ToString::to_string).collect();
    assert!(said.iter().any(|d| d.contains("#/components/securitySchemes/digest: the crate cannot send")), "{said:#?}");
    assert!(
        said.iter().any(|d| d.contains("#/paths/~1widgets/post/security: the call needs only schemes")),
        "{said:#?}"
    );
}

/// A call with servers of its own is sent there; a relative one is reported.
#[test]
fn a_call_with_its_own_servers_is_sent_there() {
    let spec = SPEC.replace(
        "      operationId: createWidget\n",
        "      operationId: createWidget\n      servers: [{url: \"https://uploads.acme.example/\"}, {url: /rel}]\n",
    );
    let files = generate(&spec, None);
    let call = files["src/apis/default.rs"].split_whitespace().collect::<String>();
    assert!(call.contains(".servers(&[\"https://uploads.acme.example\"]);"), "{call}");
}
