//! Builds the message catalogues in: every `locales/<language>.ftl` becomes one entry of
//! `CATALOGUES`, so adding a language is adding its file.

use std::{env, fs, path::Path};

fn main() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales");
    println!("cargo:rerun-if-changed={}", locales.display());
    let mut catalogues: Vec<(String, String)> = fs::read_dir(&locales)
        .expect("the locales/ folder beside src/")
        .map(|entry| entry.expect("a readable locales/ folder").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "ftl"))
        .map(|path| {
            println!("cargo:rerun-if-changed={}", path.display());
            let tag = path.file_stem().unwrap().to_string_lossy().into_owned();
            (tag, path.canonicalize().unwrap().display().to_string())
        })
        .collect();
    catalogues.sort();
    let entries: String = catalogues
        .iter()
        .map(|(tag, path)| format!("    ({tag:?}, include_str!({path:?})),\n"))
        .collect();
    let code = format!(
        "/// Every catalogue built in: (language tag, Fluent source), by tag.\n\
         pub(crate) const CATALOGUES: &[(&str, &str)] = &[\n{entries}];\n"
    );
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("catalogues.rs"),
        code,
    )
    .unwrap();
}
