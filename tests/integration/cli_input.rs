//! Bad input at the command line: exit 2, file:line:column, the field, the source line with a
//! caret, no panic, and nothing written or removed — for the corpus, for mutants of the bundled
//! scenarios, for `/dev/zero`, and for a run into a folder that holds a user's files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::support::copysim;

fn tmp(name: &str) -> std::path::PathBuf {
    crate::support::scratch("cli-input", name)
}

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), Vec::new());
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A folder holding a user's files (and a subfolder).
fn user_folder(d: &Path) -> PathBuf {
    let out = d.join("mine");
    std::fs::create_dir_all(out.join("2025")).unwrap();
    std::fs::write(out.join("notes.txt"), "my notes\n").unwrap();
    std::fs::write(out.join("2025/q4.xlsx"), [0u8, 1, 2, 255]).unwrap();
    out
}

/// The first `file:line:column: field `name`` of stderr, checked for shape.
fn assert_positioned(stderr: &str, file: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
    let first = stderr.lines().next().unwrap_or("");
    let rest = first.strip_prefix(&format!("error: {file}:")).unwrap_or_else(|| panic!("{stderr}"));
    let mut parts = rest.splitn(3, ':');
    let line: usize = parts.next().unwrap().parse().unwrap_or_else(|_| panic!("{stderr}"));
    let column: usize = parts.next().unwrap().parse().unwrap_or_else(|_| panic!("{stderr}"));
    assert!(line >= 1 && column >= 1, "{stderr}");
    assert!(parts.next().unwrap().starts_with(" field `"), "{stderr}");
    assert!(!parts.clone().any(|p| p.starts_with(" field ``")), "{stderr}");
    assert!(stderr.contains(&format!("{line} |")) && stderr.contains('^'), "a source line and a caret: {stderr}");
}

#[test]
fn validate_shows_the_source_line_and_a_caret() {
    let d = tmp("caret");
    std::fs::write(
        d.join("bad.toml"),
        "name = \"t\"\nstart = \"2026-01-01T00:00:00Z\"\nhorizon = \"2d\"\nseed = \"forty-two\"\n",
    )
    .unwrap();
    let o = copysim(&["validate", "bad.toml"], &d);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stderr.lines().take(4).collect::<Vec<_>>(),
        [
            "error: bad.toml:4:8: field `seed`: expected a whole number (u64), found string \"forty-two\"",
            "  |",
            "4 | seed = \"forty-two\"",
            "  |        ^^^^^^^^^^^",
        ],
        "{stderr}"
    );
}

#[test]
fn corpus_files_through_the_cli_exit_2_with_position_and_field() {
    let d = tmp("corpus");
    let dir = crate::support::root().join("tests/corpus/malformed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files.iter().step_by(7) {
        let shown = path.display().to_string();
        let o = copysim(&["validate", &shown], &d);
        assert_eq!(o.status.code(), Some(2), "{shown}");
        assert_positioned(&String::from_utf8_lossy(&o.stderr), &shown);
    }
}

#[test]
fn run_bad_scenario_into_a_folder_of_user_files_leaves_it_byte_for_byte() {
    let d = tmp("userdir");
    let out = user_folder(&d);
    let before = snapshot(&out);
    let bad = crate::support::root().join("tests/corpus/malformed/horizon-500-million-years.toml");
    let o = copysim(&["run", &bad.display().to_string(), "--out", "mine"], &d);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(snapshot(&out), before, "the folder is untouched");
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1, "nothing written beside it");
}

#[cfg(unix)]
#[test]
fn dev_zero_as_a_scenario_exits_2_promptly() {
    // A device is not read at all (a FIFO with no writer blocked forever); a regular file past
    // the size limit is refused at 1:1 (input_checks::input_over_64_mib_is_refused_before_parsing).
    let d = tmp("zero");
    let t0 = std::time::Instant::now();
    let o = copysim(&["validate", "/dev/zero"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(t0.elapsed() < std::time::Duration::from_secs(20), "{:?}", t0.elapsed());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.starts_with("error: /dev/zero: cannot read the scenario: it is a character device, not a regular file"),
        "{e}"
    );
}

/// `--set links.us-east-1->us-west-2.bandwidth=1Gbps` unquoted reaches copysim as
/// `links.us-east-1-` (the shell redirected the rest): the error says to quote it.
#[test]
fn a_link_path_cut_by_the_shell_says_to_quote_it() {
    let d = tmp("cut-link");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/oci-permissions.toml");
    let o = copysim(&["validate", file, "--set", "links.us-east-1-"], &d);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("quote it, e.g. --set 'links.a->b.bandwidth=1Gbps'"), "{err}");
}

#[test]
fn every_65ms_run_exits_2_before_simulating() {
    let d = tmp("tick");
    let text = std::fs::read_to_string(crate::support::root().join("tests/corpus/base.toml")).unwrap();
    std::fs::write(
        d.join("tick.toml"),
        text.replace("every = \"1h\"", "every = \"65ms\"").replace("\"3d\"", "\"365d\""),
    )
    .unwrap();
    let t0 = std::time::Instant::now();
    let o = copysim(&["run", "tick.toml", "--out", "out"], &d);
    assert_eq!(o.status.code(), Some(2));
    assert!(t0.elapsed() < std::time::Duration::from_secs(20), "{:?}", t0.elapsed());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("field `every`") && stderr.contains("max_events"), "{stderr}");
    assert!(!d.join("out").exists());
}

/// One mutation of a scenario's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    WrongType(usize, u8),
    Truncate(usize),
    Garbage(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), 0u8..6).prop_map(|(i, k)| Mutation::WrongType(i, k)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(i, g)| Mutation::Garbage(i, g)),
    ]
}

/// Applies `m` to `text`: lines are picked modulo their count, values swapped for another type.
fn mutate(text: &str, m: &Mutation) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return text.as_bytes().to_vec();
    }
    let n = lines.len();
    match m {
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Mutation::WrongType(i, k) => {
            let l = &mut lines[i % n];
            if let Some(eq) = l.find(" = ") {
                let value = ["42", "\"text\"", "true", "[1, 2]", "{ a = 1 }", "2026-01-01T00:00:00Z"][*k as usize];
                *l = format!("{}{value}", &l[..eq + 3]);
            }
        }
        Mutation::Truncate(i) => {
            let cut = i % text.len().max(1);
            return text.as_bytes()[..cut].to_vec();
        }
        Mutation::Garbage(i, g) => {
            let mut bytes = text.as_bytes().to_vec();
            let at = i % bytes.len().max(1);
            bytes.splice(at..at, g.iter().copied());
            return bytes;
        }
    }
    (lines.join("\n") + "\n").into_bytes()
}

proptest! {
    #![proptest_config(crate::support::proptest_config(48))]

    /// A mutant the library refuses is refused by `run` with exit 2, a position and a field,
    /// and the user's folder it was pointed at is left byte for byte; every library error has a
    /// position and a field; nothing panics.
    #[test]
    fn mutated_scenarios_exit_2_with_a_position_and_leave_the_folder_alone(which in 0usize..4, ms in proptest::collection::vec(mutation(), 1..4)) {
        let files = ["quickstart.toml", "oci-permissions.toml", "huawei-sharing.toml", "mixed-fleet-90d.toml"];
        let text = std::fs::read_to_string(crate::support::root().join("scenarios").join(files[which])).unwrap();
        let mut bytes = text.into_bytes();
        for m in &ms {
            bytes = mutate(&String::from_utf8_lossy(&bytes), m);
        }
        let d = tmp("mutant");
        std::fs::write(d.join("m.toml"), &bytes).unwrap();
        let Err(err) = copysim::scenario::load(&d.join("m.toml"), None) else { return Ok(()) };
        for e in err.errors() {
            prop_assert!(e.line >= 1 && e.column >= 1 && !e.field.is_empty(), "{e}");
        }
        if err.errors().is_empty() {
            return Ok(());
        }
        let out = user_folder(&d);
        let before = snapshot(&out);
        let o = copysim(&["run", "m.toml", "--out", "mine"], &d);
        prop_assert_eq!(o.status.code(), Some(2));
        assert_positioned(&String::from_utf8_lossy(&o.stderr), "m.toml");
        prop_assert_eq!(snapshot(&out), before);
    }
}

/// Names may hold any non-blank character; an error echoing one holding ESC sequences cleared
/// the terminal (`known: ESC[2JESC[31mred, …`). Messages print such characters as escapes.
#[test]
fn a_name_holding_terminal_escapes_is_echoed_escaped() {
    let d = tmp("escapes");
    let base = std::fs::read_to_string(crate::support::root().join("tests/corpus/base.toml")).unwrap();
    let text = format!(
        "{base}\n[[volumes]]\nname = \"\\u001b[2J\\u001b[31mred\"\naccount = \"a\"\nregion = \"r\"\nsize = \"1GB\"\n"
    );
    std::fs::write(d.join("s.toml"), text).unwrap();
    let o = copysim(&["validate", "s.toml", "--set", "volumes.x.size=1"], &d);
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(!e.contains('\u{1b}'), "no raw ESC: {e:?}");
    assert!(e.contains("\\u{1b}[2J\\u{1b}[31mred"), "{e}");
}
