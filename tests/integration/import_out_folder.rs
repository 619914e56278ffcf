//! `copysim import --out F` writes F only into a plain folder of the user's: never into a copysim
//! result (nor a folder inside one), whose marker lists every file it holds — a scenario added
//! there made the next `run --out` of that folder refuse it ("holds files copysim did not
//! write") and `chart` refuse to redraw it, as a folder added to a result does for `run`. A
//! folder that does not exist is named as such, not through the import's lock file.

use crate::support::{copysim, root, scratch};

fn import(d: &std::path::Path, out: &str) -> std::process::Output {
    let volumes = root().join("tests/fixtures/import/aws-describe-volumes.json");
    copysim(&["import", "aws-ebs", &volumes.display().to_string(), "--copy-to", "us-west-2", "--out", out], d)
}

fn listing(d: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn import_never_writes_into_a_copysim_result_nor_a_folder_inside_one() {
    let d = scratch("import-out-folder", "result");
    let run = copysim(&["run", "-q", "--detail", "summary", "--out", "prev"], &d);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    std::fs::create_dir(d.join("prev-sub")).unwrap();
    let before = listing(&d.join("prev"));
    for out in ["prev/s.toml", "prev/./s.toml"] {
        let o = import(&d, out);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{out}: {err}");
        assert!(err.contains("a copysim result") && err.contains("--out"), "{out}: {err}");
        assert_eq!(listing(&d.join("prev")), before, "{out}: the result was changed");
    }
    // The result is still one copysim replaces.
    let again = copysim(&["run", "-q", "--detail", "summary", "--seed", "2", "--out", "prev"], &d);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    // A plain folder beside it is fine.
    let o = import(&d, "prev-sub/s.toml");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn import_into_a_folder_that_does_not_exist_says_so() {
    let d = scratch("import-out-folder", "missing");
    let o = import(&d, "a/b/s.toml");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("does not exist") && !err.contains("copysim-import-lock"), "{err}");
    assert_eq!(listing(&d), Vec::<String>::new());
}
