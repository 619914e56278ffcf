//! Unit tests of the output-folder rules.

use super::*;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("copysim-output-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn who() -> RunIdentity {
    RunIdentity { kind: "run".into(), scenario: "s".into(), scenario_sha256: "00".into(), seed: 1 }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    v.sort();
    v
}

fn write_run(target: &Path, body: &str) {
    let out = OutputDir::prepare(target, false, Mode::Replace).unwrap();
    out.write_file("a.csv", body.as_bytes()).unwrap();
    out.commit(&who()).unwrap();
}

#[test]
fn a_new_folder_gets_the_files_and_a_marker_listing_them() {
    let d = scratch("new");
    write_run(&d.join("o"), "1");
    assert_eq!(names(&d.join("o")), vec![MARKER_FILE, "a.csv"]);
    assert_eq!(Marker::read(&d.join("o")).unwrap().names(), vec!["a.csv"]);
    assert_eq!(names(&d), vec!["o"], "no lock or staging folder left");
}

#[test]
fn an_earlier_copysim_result_is_replaced() {
    let d = scratch("replace");
    write_run(&d.join("o"), "1");
    write_run(&d.join("o"), "2");
    assert_eq!(fs::read_to_string(d.join("o/a.csv")).unwrap(), "2");
    assert_eq!(names(&d), vec!["o"]);
}

#[test]
fn a_folder_with_user_files_is_refused_before_anything_is_touched() {
    let d = scratch("foreign");
    fs::create_dir_all(d.join("o/2025")).unwrap();
    fs::write(d.join("o/notes.txt"), "mine").unwrap();
    fs::write(d.join("o/2025/q4.xlsx"), "sheet").unwrap();
    let err = OutputDir::prepare(&d.join("o"), false, Mode::Replace).unwrap_err();
    assert!(err.is_input());
    let msg = err.to_string();
    assert!(msg.contains("2025/, notes.txt") && msg.contains("did not write"), "{msg}");
    assert_eq!(names(&d.join("o")), vec!["2025", "notes.txt"]);
    assert_eq!(names(&d), vec!["o"], "no lock file left");
}

#[test]
fn a_user_file_added_to_an_earlier_result_makes_it_foreign() {
    let d = scratch("added");
    write_run(&d.join("o"), "1");
    fs::write(d.join("o/my-analysis.txt"), "mine").unwrap();
    let err = OutputDir::prepare(&d.join("o"), false, Mode::Replace).unwrap_err();
    assert!(err.to_string().contains("my-analysis.txt"), "{err}");
}

#[test]
fn an_abandoned_output_dir_removes_its_staging_folder() {
    let d = scratch("abandon");
    let out = OutputDir::prepare(&d.join("o"), false, Mode::Replace).unwrap();
    out.write_file("a.csv", b"x").unwrap();
    assert!(out.staging().is_dir());
    drop(out);
    assert!(names(&d).is_empty(), "{:?}", names(&d));
}

/// Two crashes in a row: a run (pid 999995) dies before its swap; the next (pid 999996) takes
/// its lock over and dies while cleaning. The lock file then names both, the one that held it
/// last first, and the run after cleans what each left (the first run's half result, 212 MB in
/// the case that found this, stayed for good when only the last pid was kept).
#[test]
fn a_run_killed_while_cleaning_passes_the_dead_runs_leftovers_on() {
    let d = scratch("twice");
    fs::write(d.join(".o.copysim-lock"), "999996\n999995\n").unwrap();
    for pid in [999995, 999996] {
        fs::create_dir_all(d.join(format!(".o.copysim-staging-{pid}"))).unwrap();
        fs::write(d.join(format!(".o.copysim-staging-{pid}.files")), format!("{JOURNAL_HEADER}copies.csv\n")).unwrap();
        fs::write(d.join(format!(".o.copysim-staging-{pid}/copies.csv")), "half").unwrap();
    }
    write_run(&d.join("o"), "1");
    assert_eq!(names(&d), vec!["o"]);
}

#[test]
fn the_staging_folder_of_a_run_that_died_holding_the_lock_is_removed_by_the_next_run() {
    let d = scratch("stale");
    // A run (pid 999999) killed outright: its lock file, with its pid, and its staging folder stay.
    fs::write(d.join(".o.copysim-lock"), "999999\n").unwrap();
    fs::create_dir_all(d.join(".o.copysim-staging-999999")).unwrap();
    fs::write(d.join(".o.copysim-staging-999999.files"), format!("{JOURNAL_HEADER}copies.csv\n")).unwrap();
    fs::write(d.join(".o.copysim-staging-999999/copies.csv"), "half").unwrap();
    // Folders named like copysim's that no dead run's lock names are someone else's, whatever
    // they hold: a user's, or another pid's (perhaps alive).
    fs::create_dir_all(d.join(".o.copysim-staging-4242")).unwrap();
    fs::write(d.join(".o.copysim-staging-4242/thesis.txt"), "mine").unwrap();
    fs::create_dir_all(d.join(".o.old-77")).unwrap();
    fs::write(d.join(".o.old-77/copies.csv"), "a user's csv").unwrap();
    fs::create_dir_all(d.join(".o.partial-78")).unwrap();
    write_run(&d.join("o"), "1");
    assert_eq!(names(&d), vec![".o.copysim-staging-4242", ".o.old-77", ".o.partial-78", "o"]);
    assert_eq!(fs::read_to_string(d.join(".o.copysim-staging-4242/thesis.txt")).unwrap(), "mine");
}

#[test]
fn a_dead_runs_staging_folder_loses_only_the_files_its_journal_names() {
    let d = scratch("journal");
    // The dead run (pid 999998) had begun summary.json; a user then put notes.txt in its
    // folder, and a second folder of that pid has no journal at all (not provably copysim's).
    fs::write(d.join(".o.copysim-lock"), "999998\n").unwrap();
    fs::create_dir_all(d.join(".o.copysim-staging-999998")).unwrap();
    fs::write(d.join(".o.copysim-staging-999998.files"), format!("{JOURNAL_HEADER}summary.json\n")).unwrap();
    fs::write(d.join(".o.copysim-staging-999998/summary.json"), "{").unwrap();
    fs::write(d.join(".o.copysim-staging-999998/notes.txt"), "mine").unwrap();
    fs::create_dir_all(d.join(".o.copysim-staging-999998.aside")).unwrap();
    fs::write(d.join(".o.copysim-staging-999998.aside/thesis.txt"), "mine too").unwrap();
    write_run(&d.join("o"), "1");
    assert_eq!(names(&d), vec![".o.copysim-staging-999998", ".o.copysim-staging-999998.aside", "o"]);
    assert_eq!(names(&d.join(".o.copysim-staging-999998")), vec!["notes.txt"]);
    assert_eq!(fs::read_to_string(d.join(".o.copysim-staging-999998.aside/thesis.txt")).unwrap(), "mine too");
}

#[test]
fn a_journal_cut_while_its_header_was_written_is_removed() {
    // Killed between creating its journal and writing the header: 0 bytes, or part of it.
    for (pid, text) in [(999_997, ""), (999_996, &JOURNAL_HEADER[..10])] {
        let d = scratch(&format!("cut-journal-{pid}"));
        fs::write(d.join(".o.copysim-lock"), format!("{pid}\n")).unwrap();
        fs::write(d.join(format!(".o.copysim-staging-{pid}.files")), text).unwrap();
        write_run(&d.join("o"), "1");
        assert_eq!(names(&d), vec!["o"], "{text:?}");
    }
    // Anything else at that path is not a journal copysim wrote: it stays.
    let d = scratch("cut-journal-foreign");
    fs::write(d.join(".o.copysim-lock"), "999995\n").unwrap();
    fs::write(d.join(".o.copysim-staging-999995.files"), "my list\n").unwrap();
    write_run(&d.join("o"), "1");
    assert_eq!(names(&d), vec![".o.copysim-staging-999995.files", "o"]);
}

#[test]
fn leftovers_of_a_dead_run_with_this_process_id_are_cleaned_or_named() {
    // The pid was reused and no lock file recorded the dead run: its cut journal (and empty
    // staging folder) carry this process's id.
    let pid = std::process::id();
    let d = scratch("own-pid");
    fs::write(d.join(format!(".o.copysim-staging-{pid}.files")), "").unwrap();
    fs::create_dir(d.join(format!(".o.copysim-staging-{pid}"))).unwrap();
    write_run(&d.join("o"), "1");
    assert_eq!(names(&d), vec!["o"]);
    // A user's file there is kept, and the refusal names it.
    fs::write(d.join(format!(".p.copysim-staging-{pid}.files")), "my list\n").unwrap();
    let Err(e) = OutputDir::prepare(&d.join("p"), false, Mode::Replace) else { panic!("prepared") };
    let m = e.to_string();
    assert!(m.contains(&format!(".p.copysim-staging-{pid}.files: it was left by an earlier copysim run")), "{m}");
    assert_eq!(fs::read_to_string(d.join(format!(".p.copysim-staging-{pid}.files"))).unwrap(), "my list\n");
    assert!(!d.join("p").exists() && !d.join(".p.copysim-lock").exists());
}

#[test]
fn a_dead_runs_earlier_result_caught_mid_swap_is_removed_by_its_marker() {
    let d = scratch("midswap");
    // Killed after the swap: the staging path holds the earlier result, with its marker.
    write_run(&d.join("earlier"), "old");
    fs::write(d.join(".o.copysim-lock"), "999997\n").unwrap();
    fs::rename(d.join("earlier"), d.join(".o.copysim-staging-999997")).unwrap();
    write_run(&d.join("o"), "1");
    assert_eq!(names(&d), vec!["o"]);
}

#[test]
fn removing_the_earlier_result_after_the_swap_removes_only_what_its_marker_lists() {
    // A file that lands in the earlier result after the last check and before the swap is not
    // copysim's: the earlier result's own files go, it stays, in a folder named for it.
    let d = scratch("late");
    write_run(&d.join("o"), "1");
    let marker = Marker::read(&d.join("o")).expect("a marker");
    fs::rename(d.join("o"), d.join("old")).unwrap(); // where the exchange puts it
    fs::write(d.join("old/user-notes.txt"), "mine").unwrap();
    let (place, why) = remove_earlier(&d.join("old"), Some(&marker), &d.join("o")).expect("something left");
    assert_eq!(why, "held files copysim did not write (user-notes.txt), added after its last check");
    assert_eq!(place, d.join(format!("o.earlier-{}", std::process::id())));
    assert_eq!(fs::read_to_string(place.join("user-notes.txt")).unwrap(), "mine");
    assert_eq!(names(&place), vec!["user-notes.txt"], "the earlier result's files and marker are gone");
    // With nothing added, the earlier result goes entirely.
    write_run(&d.join("p"), "1");
    let marker = Marker::read(&d.join("p")).expect("a marker");
    assert!(remove_earlier(&d.join("p"), Some(&marker), &d.join("q")).is_none());
    assert!(!d.join("p").exists());
}

#[test]
fn a_second_writer_of_one_folder_is_told_who_holds_it() {
    let d = scratch("busy");
    let first = OutputDir::prepare(&d.join("o"), false, Mode::Replace).unwrap();
    let err = OutputDir::prepare(&d.join("o"), false, Mode::Replace).unwrap_err();
    assert!(err.is_input());
    assert_eq!(
        err.to_string(),
        format!("another copysim run is writing {} (pid {})", d.join("o").display(), std::process::id())
    );
    drop(first);
}

#[test]
fn a_missing_parent_is_refused_unless_creating_it_is_allowed() {
    let d = scratch("parent");
    let err = OutputDir::prepare(&d.join("nope/o"), false, Mode::Replace).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert!(!d.join("nope").exists());
    let out = OutputDir::prepare(&d.join("outputs/o"), true, Mode::Replace).unwrap();
    out.commit(&who()).unwrap();
    assert!(d.join("outputs/o").is_dir());
}

#[test]
fn a_parent_that_is_a_file_is_refused() {
    let d = scratch("parentfile");
    fs::write(d.join("f"), "x").unwrap();
    let err = OutputDir::prepare(&d.join("f/o"), true, Mode::Replace).unwrap_err();
    assert!(err.is_input() && err.to_string().contains("is not a folder"), "{err}");
    assert_eq!(fs::read_to_string(d.join("f")).unwrap(), "x");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_refused() {
    let d = scratch("symlink");
    fs::create_dir(d.join("real")).unwrap();
    std::os::unix::fs::symlink(d.join("real"), d.join("link")).unwrap();
    let err = OutputDir::prepare(&d.join("link"), false, Mode::Replace).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
}

/// `--out` made a symbolic link to another copysim result while the run went on: the last check
/// refuses it, and were it to land between that check and the swap, nothing is removed through
/// it (the other result was emptied).
#[cfg(unix)]
#[test]
fn an_output_made_a_symbolic_link_during_the_run_is_refused_and_its_target_kept() {
    let d = scratch("late-link");
    write_run(&d.join("archive"), "kept");
    write_run(&d.join("o"), "1");
    let out = OutputDir::prepare(&d.join("o"), false, Mode::Replace).unwrap();
    out.write_file("a.csv", b"2").unwrap();
    fs::remove_dir_all(d.join("o")).unwrap();
    std::os::unix::fs::symlink(d.join("archive"), d.join("o")).unwrap();
    let err = out.commit(&who()).unwrap_err();
    assert!(err.is_input() && err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(fs::read_to_string(d.join("archive/a.csv")).unwrap(), "kept");
    assert_eq!(names(&d), vec!["archive", "o"], "no staging folder or lock left");
    // The link put in place after the check: the exchange moves the link, and nothing is
    // removed through it.
    let marker = Marker::read(&d.join("archive")).expect("a marker");
    fs::rename(d.join("o"), d.join("old")).unwrap(); // where the exchange puts it
    let (place, why) = remove_earlier(&d.join("old"), Some(&marker), &d.join("o")).expect("left");
    assert!(why.contains("no longer a folder") && why.contains("nothing was removed"), "{why}");
    assert!(fs::symlink_metadata(&place).unwrap().file_type().is_symlink());
    assert_eq!(names(&d.join("archive")), vec![MARKER_FILE, "a.csv"]);
}

#[test]
fn update_mode_starts_from_the_result_and_keeps_the_originals_intact() {
    let d = scratch("update");
    write_run(&d.join("o"), "1");
    let before = fs::read(d.join("o/a.csv")).unwrap();
    let out = OutputDir::prepare(&d.join("o"), false, Mode::Update).unwrap();
    out.write_file("a.csv", b"rewritten").unwrap();
    out.write_file("chart.svg", b"<svg/>").unwrap();
    drop(out);
    assert_eq!(fs::read(d.join("o/a.csv")).unwrap(), before, "an abandoned update changes nothing");
    let out = OutputDir::prepare(&d.join("o"), false, Mode::Update).unwrap();
    out.write_file("chart.svg", b"<svg/>").unwrap();
    out.commit(&who()).unwrap();
    assert_eq!(names(&d.join("o")), vec![MARKER_FILE, "a.csv", "chart.svg"]);
    assert_eq!(Marker::read(&d.join("o")).unwrap().names(), vec!["a.csv", "chart.svg"]);
}

#[test]
fn update_mode_refuses_a_folder_copysim_did_not_write() {
    let d = scratch("update-foreign");
    fs::create_dir(d.join("o")).unwrap();
    fs::write(d.join("o/copies.csv"), "x").unwrap();
    let err = OutputDir::prepare(&d.join("o"), false, Mode::Update).unwrap_err();
    assert!(err.to_string().contains("not a copysim result"), "{err}");
}

#[test]
fn a_name_too_long_to_stage_beside_is_refused_up_front() {
    let d = scratch("long");
    let name = "n".repeat(NAME_BYTES_MAX + 1);
    let err = OutputDir::prepare(&d.join(&name), false, Mode::Replace).unwrap_err();
    assert!(err.is_input() && err.to_string().contains("choose a shorter name"), "{err}");
    write_run(&d.join("n".repeat(NAME_BYTES_MAX)), "1");
}
