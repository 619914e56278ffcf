//! Golden outputs: every scenario's reports, byte for byte. Refresh them only on purpose:
//! `COPYSIM_UPDATE_GOLDEN=1 cargo test --test integration golden` — and explain the change in the commit.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::support::{root, run_file, scenario_files};

/// Files larger than this are pinned by their SHA-256 instead of their bytes.
const INLINE_LIMIT_BYTES: usize = 200_000;

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_scenario_matches_its_golden_outputs() {
    let update = std::env::var("COPYSIM_UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let mut mismatches = Vec::new();
    for f in scenario_files() {
        let ran = run_file(&f);
        let dir: PathBuf = root().join("tests/golden").join(f.trim_end_matches(".toml"));
        for (name, bytes) in &ran.report.files {
            let (path, expected) = if bytes.len() > INLINE_LIMIT_BYTES {
                (dir.join(format!("{name}.sha256")), format!("{}\n", hex(bytes)).into_bytes())
            } else {
                (dir.join(name), bytes.clone())
            };
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &expected).unwrap();
                continue;
            }
            match std::fs::read(&path) {
                Ok(g) if g == expected => {}
                Ok(_) => mismatches.push(format!("{} differs", path.display())),
                Err(_) => mismatches.push(format!("{} is missing", path.display())),
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "golden mismatch (if intended: COPYSIM_UPDATE_GOLDEN=1 cargo test --test integration golden):\n{}",
        mismatches.join("\n")
    );
}
