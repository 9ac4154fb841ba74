//! Golden tests: the IR and the emitted code of tricky constructs, and the IR of a few real
//! Mailgun operations. After an intended change, re-bless with
//! `EXPECTORATE=overwrite cargo test -p generator --test golden` and read the diff.

use generator::ir::{Api, OperationId, TypeRef};
use generator::Inputs;
use std::path::{Path, PathBuf};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `expectorate::assert_contents`, creating the golden's folder so a new case can be blessed.
fn assert_golden(path: String, text: &str) {
    if let Some(dir) = Path::new(&path).parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    expectorate::assert_contents(&path, text);
}

fn load(spec: &Path, overrides: Option<&Path>) -> Api {
    let inputs = Inputs { spec, overrides, spec_label: "fixture", crate_version: None, examples: None };
    generator::load_api(inputs).unwrap_or_else(|e| panic!("{e}"))
}

/// Checks `tests/golden/<case>/ir.yaml` and every emitted type and API file of a fixture. A
/// golden file the case no longer produces is an error (and is deleted when re-blessing).
fn golden_case(case: &str) {
    let spec = manifest_dir().join(format!("tests/fixtures/{case}.yaml"));
    let api = load(&spec, None);
    let golden = format!("tests/golden/{case}");
    assert_golden(format!("{golden}/ir.yaml"), &serde_yaml::to_string(&api).unwrap());
    let files = generator::emit::emit(&api).unwrap();
    let output = generator::render::render(&api, files, "fixture").unwrap();
    let mut produced = std::collections::BTreeSet::new();
    for (path, text) in &output {
        let Some(rel) = path.strip_prefix("src/") else { continue };
        if (rel.starts_with("types/") || rel.starts_with("apis/")) && !rel.ends_with("mod.rs") {
            assert_golden(format!("{golden}/{rel}"), text);
            produced.insert(rel.to_owned());
        }
    }
    let overwrite = std::env::var("EXPECTORATE").is_ok_and(|v| v == "overwrite");
    for dir in ["types", "apis"] {
        let Ok(entries) = std::fs::read_dir(manifest_dir().join(&golden).join(dir)) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let rel = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
            if !produced.contains(&rel) {
                if overwrite {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    panic!("{golden}/{rel} is no longer generated; re-bless with EXPECTORATE=overwrite");
                }
            }
        }
    }
}

#[test]
fn nullable_in_four_spellings() {
    golden_case("nullable");
}

#[test]
fn all_of_one_of_and_ref_siblings() {
    golden_case("composition");
}

#[test]
fn enums_with_operators_and_duplicates() {
    golden_case("enums");
}

#[test]
fn inline_and_recursive_schemas() {
    golden_case("inline_and_recursive");
}

#[test]
fn hostile_names() {
    golden_case("names");
}

/// The IR of one real operation, with the types its body and success response name.
fn golden_operation(operation_id: &str) {
    let root = manifest_dir().join("..");
    let api = load(&root.join("spec/mailgun-openapi.yaml"), Some(&root.join("spec/overrides.yaml")));
    let op = &api.operations[&OperationId(operation_id.to_owned())];
    let mut types = std::collections::BTreeMap::new();
    for ty in op.body.iter().map(|b| &b.ty).chain([&op.output.ty]) {
        if let TypeRef::Named(id) = ty.without_option() {
            types.insert(id.clone(), api.types[id].clone());
        }
    }
    #[derive(serde::Serialize)]
    struct Snapshot<'a> {
        operation: &'a generator::ir::Operation,
        types: std::collections::BTreeMap<generator::ir::TypeId, generator::ir::TypeDef>,
    }
    let text = serde_yaml::to_string(&Snapshot { operation: op, types }).unwrap();
    assert_golden(format!("tests/golden/ir/{}.yaml", op.name), &text);
}

#[test]
fn send_message_ir() {
    golden_operation("POST-v3--domain-name--messages");
}

#[test]
fn multipart_upload_ir() {
    golden_operation("POST-v3--domainID--bounces-import");
}

#[test]
fn paginated_list_ir() {
    golden_operation("GET-v3--domainID--bounces");
}

/// Every name of the Mailgun crate that the naming step had to qualify, with the reason, so a
/// reviewer sees at a glance which names are not the plain ones and why.
#[test]
fn qualified_names_with_their_reasons() {
    let root = manifest_dir().join("..");
    let api = load(&root.join("spec/mailgun-openapi.yaml"), Some(&root.join("spec/overrides.yaml")));
    let reason = |source: &generator::ir::NameSource| generator::naming::explain(&api, source);
    let short = |identity: &str| identity.trim_start_matches("#/components/schemas/").to_owned();
    let mut lines = vec![
        "# Every name of the Mailgun crate the naming step had to qualify, and why. Re-bless with".to_owned(),
        "# EXPECTORATE=overwrite cargo test -p generator --test golden, and read the diff.".to_owned(),
    ];
    for (key, tag) in &api.tags {
        if let Some(why) = reason(&tag.module_source) {
            lines.push(format!("module {} (tag `{key}`) = {why}", tag.module));
        }
    }
    for op in api.operations.values() {
        if let Some(why) = reason(&op.name_source) {
            lines.push(format!("method {} ({}) = {why}", op.name, op.id));
        }
    }
    for (id, def) in &api.types {
        if let Some(why) = reason(&def.name_source) {
            lines.push(format!("type {} ({}) = {why}", def.name, short(&id.0)));
        }
    }
    assert_golden("tests/golden/qualified_names.txt".to_owned(), &(lines.join("\n") + "\n"));
}

/// Every list call the generator follows across pages, and how, in the Mailgun spec and in the
/// corpus document of paged shapes: a reviewer sees which calls got `pages()` and `items()`,
/// and a spec change that adds or loses one shows here.
#[test]
fn paged_operations() {
    use generator::ir::NextPage;
    let root = manifest_dir().join("..");
    let mut lines = vec![
        "# Every paged list call: operation, method, items, and how the next page is asked for.".to_owned(),
        "# Re-bless with EXPECTORATE=overwrite cargo test -p generator --test golden.".to_owned(),
    ];
    let documents = [
        ("spec/mailgun-openapi.yaml", Some(root.join("spec/overrides.yaml"))),
        ("generator/tests/corpus/paging.yaml", None),
    ];
    for (document, overrides) in documents {
        let api = load(&root.join(document), overrides.as_deref());
        lines.push(format!("\n## {document}"));
        for op in api.operations.values() {
            let Some(paging) = &op.pagination else { continue };
            let next = match &paging.next {
                NextPage::Link(path) => format!("link at {}", path.join(".")),
                NextPage::Offset(param) => format!("offset by `{param}`"),
                NextPage::BodyToken { answer, request } => {
                    format!("answer's {} sent as body {}", answer.join("."), request.join("."))
                }
                NextPage::BodyOffset(path) => format!("offset by body {}", path.join(".")),
            };
            lines.push(format!("{}  {}  items: {}  next: {next}", op.id.0, op.name, paging.items.join(".")));
        }
    }
    lines.push(String::new());
    assert_golden("tests/golden/paged-operations.txt".to_owned(), &lines.join("\n"));
}
