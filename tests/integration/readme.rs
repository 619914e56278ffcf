//! README's figures are real output: its worked example is what `copysim run` prints for the
//! embedded quickstart, byte for byte. Refresh it on purpose with
//! `COPYSIM_UPDATE_README=1 cargo test --test integration readme`.

use std::process::Command;

const OPEN: &str = "<!-- readme:quickstart-output";
const CLOSE: &str = "<!-- /readme:quickstart-output -->";

#[test]
fn readme_worked_example_is_the_quickstart_output() {
    let d = std::env::temp_dir().join(format!("copysim-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_copysim")).args(["run"]).current_dir(&d).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8(o.stdout).unwrap();
    let path = crate::support::root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let open = readme.find(OPEN).expect("README has the quickstart output block");
    let body_start = readme[open..].find("```\n").map(|i| open + i + 4).expect("a code fence");
    let close = readme.find(CLOSE).expect("the block closes");
    let body_end = readme[..close].rfind("```\n").expect("the fence closes");
    let expected = &readme[body_start..body_end];
    if std::env::var("COPYSIM_UPDATE_README").is_ok_and(|v| v == "1") {
        let updated = format!("{}{printed}{}", &readme[..body_start], &readme[body_end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        expected, printed,
        "README's worked example is stale (refresh: COPYSIM_UPDATE_README=1 cargo test --test integration readme)"
    );
}
