//! Prints the IR of a document as YAML: `cargo run -p generator --example dump_ir -- SPEC [OVERRIDES]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let spec = std::path::PathBuf::from(&args[1]);
    let overrides = args.get(2).map(std::path::PathBuf::from);
    let inputs = generator::Inputs {
        spec: &spec,
        overrides: overrides.as_deref(),
        spec_label: "spec",
        crate_version: None,
        examples: None,
    };
    match generator::load_api(inputs) {
        Ok(api) if std::env::var_os("JSON").is_some() => {
            print!("{}", serde_json::to_string_pretty(&api).expect("serialisable"))
        }
        Ok(api) => print!("{}", serde_yaml::to_string(&api).expect("serialisable")),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
