//! Most of the integration tests, as modules of one test binary: each binary links the whole of
//! librenkei and its dependencies (about 70 s of a `cargo test` went to linking ~55 of them),
//! and one process runs all their tests side by side. Each file keeps its own name and place
//! (`tests/cli.rs` is the module `cli`: `cargo test --test it cli::`); an insta snapshot's name
//! begins with `it__`.
//!
//! Cargo.toml lists the test binaries (`autotests = false`): the ones kept apart set something
//! for their whole process — a counting global allocator (bounded, held, held_import), where
//! SQLite puts its temporary files (temp_files), the width of ambiguous characters (config), the
//! language of messages (dates, record12) — or are tests14b's slow ones, each run on its own.
//! `every_test_file_is_built` fails for a file under tests/ that is neither.

mod common;

mod attack_report4;
mod attack_report5;
mod attack_report6;
mod attack_report7;
mod attack_report8;
mod backup;
mod cases;
mod city;
mod city_wards;
mod cli;
mod field_redaction;
mod fixes12;
mod fixtures;
mod free_fields;
mod headers;
mod help;
mod ics;
mod import;
mod import_rows;
mod messages;
mod minutes;
mod modules;
mod office;
mod outputs;
mod privacy_attack3;
mod readers;
mod record11;
mod recorded_tables;
mod redact12;
mod redact_agency_relation;
mod redact_attack8;
mod redact_forms32;
mod redact_mixed;
mod redact_recorded;
mod redact_rules;
mod report;
mod report_history;
mod resume;
mod search;
mod shared;
mod store;
mod terminal;
mod themes;
mod tui;
mod vocabulary;

/// With `autotests = false`, a file under tests/ that Cargo.toml does not name as a test binary
/// and this binary does not take as a module would never be compiled nor run; one that is both
/// would run twice. Likewise a file under tests/tui/ that tests/tui.rs does not take.
#[test]
fn every_test_file_is_built() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let (manifest, this, tui) = (
        read("Cargo.toml"),
        read("tests/it.rs"),
        read("tests/tui.rs"),
    );
    let files = |dir: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs"))
            .collect();
        names.sort();
        names
    };
    let mut wrong = Vec::new();
    for name in files("tests") {
        let binary = manifest.contains(&format!("path = \"tests/{name}\""));
        let module = this
            .lines()
            .any(|l| l == format!("mod {};", &name[..name.len() - 3]));
        if binary == module {
            wrong.push(format!(
                "tests/{name}: a test binary {binary}, a module of it {module}"
            ));
        }
    }
    for name in files("tests/tui") {
        if !tui.contains(&format!("#[path = \"tui/{name}\"]")) {
            wrong.push(format!("tests/tui/{name}: no module of tests/tui.rs"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Cargo.toml turns rustdoc's pass off (`doctest = false`: it took 2 s of each `cargo test` to
/// find no example). An example written in a doc comment of src/ would then never run: a fence
/// other than ```text fails here, saying to take that line out.
#[test]
fn no_doc_example_is_left_unrun() {
    fn each_file(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                each_file(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    if !manifest.contains("doctest = false") {
        return;
    }
    let mut files = Vec::new();
    each_file(&root.join("src"), &mut files);
    let mut examples = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut inside = false;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_start();
            let Some(doc) = line
                .strip_prefix("///")
                .or_else(|| line.strip_prefix("//!"))
            else {
                inside = false;
                continue;
            };
            let Some(info) = doc.trim().strip_prefix("```") else {
                continue;
            };
            if !inside && info.trim() != "text" {
                examples.push(format!("{}:{}", path.display(), n + 1));
            }
            inside = !inside;
        }
    }
    assert!(
        examples.is_empty(),
        "doc examples that `doctest = false` in Cargo.toml keeps from running (take it out): {}",
        examples.join(", ")
    );
}
