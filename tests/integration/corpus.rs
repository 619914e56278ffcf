//! The malformed corpus (`tests/corpus/malformed/`): one file per kind of mistake, each headed by
//! `# expect: LINE:COLUMN FIELD WORDS`. Every file is loaded through `scenario::load`; its first
//! error must be at that position, name that field and say those words; every error has a
//! position and a field. A sample also goes through the CLI (`validate`: exit 2, no panic).

use std::path::{Path, PathBuf};

use copysim::scenario;

struct Expect {
    line: usize,
    column: usize,
    field: String,
    words: String,
}

fn corpus() -> Vec<PathBuf> {
    let dir = crate::support::root().join("tests/corpus/malformed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn expectation(path: &Path) -> Expect {
    let bytes = std::fs::read(path).expect("readable");
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let header = String::from_utf8_lossy(first);
    let rest = header.strip_prefix("# expect: ").unwrap_or_else(|| panic!("{}: no expectation", path.display()));
    let mut parts = rest.splitn(3, ' ');
    let (at, field, words) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap_or(""));
    let (line, column) = at.split_once(':').expect("LINE:COLUMN");
    Expect { line: line.parse().unwrap(), column: column.parse().unwrap(), field: field.into(), words: words.into() }
}

#[test]
fn the_malformed_corpus_has_at_least_100_kinds_of_mistake() {
    assert!(corpus().len() >= 100, "{} files", corpus().len());
}

#[test]
fn every_malformed_file_fails_where_its_expectation_says() {
    let mut wrong = Vec::new();
    for path in corpus() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let want = expectation(&path);
        let err = match scenario::load(&path, None) {
            Ok(_) => {
                wrong.push(format!("{name}: accepted"));
                continue;
            }
            Err(e) => e,
        };
        for e in err.errors() {
            if e.line < 1 || e.column < 1 || e.field.is_empty() {
                wrong.push(format!("{name}: unpositioned or unnamed: {e}"));
            }
        }
        let Some(first) = err.errors().first() else {
            wrong.push(format!("{name}: no positioned error: {err}"));
            continue;
        };
        let placed = (first.line, first.column, first.field.as_str()) == (want.line, want.column, want.field.as_str());
        if !placed || !first.message.contains(&want.words) {
            wrong.push(format!(
                "{name}: expected {}:{} `{}` {:?}, got {first}",
                want.line, want.column, want.field, want.words
            ));
        }
    }
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), corpus().len(), wrong.join("\n"));
}
