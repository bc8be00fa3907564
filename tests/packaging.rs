//! What the installers are made of, checked before any is built: the Cargo layout the Tauri
//! bundler relies on, the facts that must agree on every system (data folder, version), and the
//! files the bundle configuration names. The packages themselves are built, installed and
//! driven by scripts/test-installed.sh.

use producer_upload::words::{catalogues, Words, ENGLISH};
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn config() -> Value {
    serde_json::from_str(&read("tauri.conf.json")).expect("tauri.conf.json is JSON")
}

/// The `.rs` files directly in `dir` (relative to the repository root), as `dir/name.rs`.
fn rust_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|error| panic!("{dir}: {error}"))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs"))
        .map(|name| format!("{dir}/{name}"))
        .collect();
    files.sort();
    files
}

/// Width and height of a PNG file, from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

#[test]
fn every_test_and_benchmark_file_is_a_cargo_target() {
    // Neither package discovers targets on its own (see Cargo.toml), so a test file that no
    // manifest names would silently never run.
    let core = read("src/Cargo.toml");
    let sim = read("sim/Cargo.toml");
    let app = read("Cargo.toml");
    for file in rust_files("tests").into_iter().chain(rust_files("benches")) {
        let target = format!("path = \"../{file}\"");
        assert!(
            core.contains(&target)
                || sim.contains(&target)
                || app.contains(&format!("path = \"{file}\"")),
            "{file} is not a target: add a [[test]] (or [[bench]]) for it to src/Cargo.toml"
        );
    }
    assert!(app.contains("path = \"tests/e2e/app.rs\""));
}

#[test]
fn the_command_and_the_app_keep_the_history_in_the_same_folder_on_every_system() {
    // Tauri's data folder is the system's data folder joined with the bundle identifier; the
    // core joins the same system folder (`directories`) with its own constant.
    assert_eq!(
        config()["identifier"],
        producer_upload::history::APP_IDENTIFIER,
        "tauri.conf.json's identifier and the core's APP_IDENTIFIER must agree"
    );
}

#[test]
fn the_version_has_one_owner() {
    // Without a version of its own, tauri.conf.json takes the package's (the workspace's), the
    // same one `producer-upload --version`, the Settings page and the packages show.
    assert!(
        config().get("version").is_none(),
        "tauri.conf.json must not set a version: it comes from [workspace.package] in Cargo.toml"
    );
    assert!(read("Cargo.toml").contains("version.workspace = true"));
    assert!(read("src/Cargo.toml").contains("version.workspace = true"));
}

#[test]
fn the_bundle_holds_icons_at_the_usual_sizes_and_for_every_system() {
    let config = config();
    let icons: Vec<&str> = config["bundle"]["icon"]
        .as_array()
        .expect("bundle.icon is a list")
        .iter()
        .map(|icon| icon.as_str().unwrap())
        .collect();
    let mut sizes = Vec::new();
    for icon in &icons {
        let path = root().join(icon);
        assert!(
            path.is_file(),
            "{icon} is missing (scripts/make-icons.sh makes it)"
        );
        if icon.ends_with(".png") {
            let (width, height) = png_size(&path);
            assert_eq!(width, height, "{icon} is not square");
            sizes.push(width);
        }
    }
    sizes.sort_unstable();
    assert_eq!(sizes, [32, 48, 64, 128, 256, 512]);
    assert!(
        icons.contains(&"src-tauri/icons/icon.ico"),
        "Windows needs icon.ico"
    );
    assert!(
        icons.contains(&"src-tauri/icons/icon.icns"),
        "macOS needs icon.icns"
    );
}

#[test]
fn the_packages_ship_the_app_and_the_command_and_nothing_else() {
    // The Tauri bundler packs every program in src/bin/ beside the app, whatever the manifest
    // says: only `producer-upload` belongs there.
    assert_eq!(rust_files("src/bin"), ["src/bin/producer-upload.rs"]);
}

#[test]
fn the_product_carries_none_of_the_simulator() {
    // The simulator (sim/) is for tests and the demo: the core and the app have it as a
    // dev-dependency only, so neither the library nor the installed programs are built with it.
    for manifest in ["src/Cargo.toml", "Cargo.toml"] {
        let text = read(manifest);
        let (built, dev) = text
            .split_once("[dev-dependencies]")
            .unwrap_or_else(|| panic!("{manifest} has dev-dependencies"));
        assert!(
            !built.contains("producer-sim ="),
            "{manifest} builds the simulator into the product"
        );
        assert!(
            dev.contains("producer-sim = { path"),
            "{manifest}'s tests use the simulator"
        );
    }
    assert!(!read("src/lib.rs").contains("mod sim"));
}

#[test]
fn the_linux_packages_have_a_complete_desktop_entry() {
    let config = config();
    for format in ["deb", "rpm"] {
        let template = config["bundle"]["linux"][format]["desktopTemplate"]
            .as_str()
            .expect("a desktop entry template");
        let entry = read(template);
        for line in [
            "Name={{name}}",
            "GenericName=",
            "Comment={{comment}}",
            "Categories=AudioVideo;Audio;",
            "Exec={{exec}}",
            "Icon={{icon}}",
            // GTK names the window's class after the program (`producer-uploader`).
            "StartupWMClass={{exec}}",
        ] {
            assert!(
                entry.lines().any(|l| l.starts_with(line)),
                "{template} lacks {line}"
            );
        }
    }
}

/// The desktop entry's words in `tag`'s language, as the entry spells them: `Key[zh_CN]=...`
/// (English, the default, without a locale).
fn desktop_lines(tag: &str) -> Vec<String> {
    let words = Words::of(&tag.parse().unwrap());
    let locale = match tag {
        ENGLISH => String::new(),
        other => format!("[{}]", other.replace('-', "_")),
    };
    let mut lines = vec![
        format!(
            "GenericName{locale}={}",
            words.message("desktop-generic-name", None)
        ),
        format!(
            "Keywords{locale}={}",
            words.message("desktop-keywords", None)
        ),
    ];
    if tag != ENGLISH {
        // English's name and comment are the bundle's own (`{{name}}`, `{{comment}}`).
        lines.push(format!("Name{locale}={}", words.message("app-name", None)));
        lines.push(format!(
            "Comment{locale}={}",
            words.message("desktop-comment", None)
        ));
    }
    lines
}

#[test]
fn the_desktop_entry_speaks_every_language_of_the_catalogues() {
    let config = config();
    assert_eq!(
        config["bundle"]["shortDescription"].as_str(),
        Some(
            Words::of(&ENGLISH.parse().unwrap())
                .message("desktop-comment", None)
                .as_str()
        ),
        "the English comment is the bundle's short description"
    );
    let template = read("src-tauri/packaging/producer-uploader.desktop");
    for (tag, _) in catalogues() {
        for line in desktop_lines(tag) {
            assert!(
                template.lines().any(|l| l == line),
                "src-tauri/packaging/producer-uploader.desktop lacks `{line}` (from locales/{tag}.ftl)"
            );
        }
    }
}

#[test]
fn the_linux_packages_recommend_a_font_for_chinese() {
    let config = config();
    for (format, font) in [
        ("deb", "fonts-noto-cjk"),
        ("rpm", "google-noto-sans-cjk-fonts"),
    ] {
        let recommends = config["bundle"]["linux"][format]["recommends"]
            .as_array()
            .unwrap();
        assert!(
            recommends.iter().any(|r| r.as_str() == Some(font)),
            "{format} should recommend {font}"
        );
    }
}
