//! Same scenario + same seed → byte-identical outputs, whichever thread runs it; another seed changes a fleet.

use crate::support::{load, run_scenario, scenario_files};

#[test]
fn every_scenario_twice_gives_identical_bytes() {
    for f in scenario_files() {
        let a = run_scenario(load(&f)).report.files;
        let b = run_scenario(load(&f)).report.files;
        assert!(a == b, "{f} is not deterministic");
    }
}

#[test]
fn runs_on_other_threads_agree_with_this_one() {
    let here = run_scenario(load("quickstart.toml")).report.files;
    let handles: Vec<_> =
        (0..2).map(|_| std::thread::spawn(|| run_scenario(load("quickstart.toml")).report.files)).collect();
    for h in handles {
        assert!(h.join().unwrap() == here);
    }
}

#[test]
fn the_seed_drives_fleet_generation_and_is_reported() {
    let base = copysim::scenario::quickstart(None);
    let other = copysim::scenario::quickstart(Some(43));
    assert_eq!(base.seed, 42);
    assert_ne!(other.world.volumes[0].size_bytes, base.world.volumes[0].size_bytes);
    let same = copysim::scenario::quickstart(Some(42));
    assert_eq!(same.world.volumes[7].size_bytes, base.world.volumes[7].size_bytes);
    let r = run_scenario(other);
    assert_eq!(r.report.summary.seed, 43);
    assert_ne!(r.report.files, run_scenario(base).report.files);
}

/// The same file run from two folders gives the same bytes: outputs name the file, not the path
/// typed (summary.json held the path as given).
#[test]
fn the_same_file_from_two_folders_gives_the_same_outputs() {
    let base = std::env::temp_dir().join(format!("copysim-paths-{}", std::process::id()));
    let text = std::fs::read_to_string(crate::support::root().join("scenarios/ebs-lineage-and-keys.toml")).unwrap();
    let mut summaries = Vec::new();
    for sub in ["a", "b/c"] {
        let d = base.join(sub);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("s.toml"), &text).unwrap();
        let file = d.join("s.toml").display().to_string();
        let o = crate::support::copysim(&["run", &file, "--out", "o", "-q"], &d);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        summaries.push(std::fs::read(d.join("o/summary.json")).unwrap());
    }
    let _ = std::fs::remove_dir_all(&base);
    assert!(summaries[0] == summaries[1], "summary.json differs between the two folders");
}
