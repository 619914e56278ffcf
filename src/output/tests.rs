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

/// What the last check before a swap records of the result at `dir`.
fn last_check(dir: &Path) -> Stamps {
    check_contents(dir, Mode::Replace).expect("a copysim result")
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
fn a_dead_runs_journal_names_only_its_own_staging_folder_not_the_earlier_result_swapped_there() {
    // Killed after its swap: the staging path holds the earlier result, where a user edited
    // a.csv after the last check. The dead run's journal names a.csv (its own a.csv, now in
    // `o`), and the next run removed the user's file by that name.
    let d = scratch("journal-after-swap");
    write_run(&d.join("earlier"), "old");
    let staging = d.join(".o.copysim-staging-999994");
    fs::create_dir(&staging).unwrap();
    let id = folder_id(&staging).expect("a folder id");
    fs::write(journal_path(&staging), format!("{JOURNAL_HEADER}{}\na.csv\n{MARKER_FILE}\n", id.journal_line()))
        .unwrap();
    fs::write(d.join(".o.copysim-lock"), "999994\n").unwrap();
    // The swap: the staging folder (emptied here) becomes the result, the earlier one takes its path.
    fs::rename(&staging, d.join("o")).unwrap();
    fs::rename(d.join("earlier"), &staging).unwrap();
    fs::write(staging.join("a.csv"), "my edits").unwrap();
    write_run(&d.join("o"), "1");
    assert_eq!(names(&d), vec![".o.copysim-staging-999994", "o"]);
    assert_eq!(names(&staging), vec!["a.csv"], "the earlier result's marker is copysim's");
    assert_eq!(fs::read_to_string(staging.join("a.csv")).unwrap(), "my edits");
}

#[test]
fn removing_the_earlier_result_after_the_swap_removes_only_what_its_marker_lists() {
    // A file that lands in the earlier result after the last check and before the swap is not
    // copysim's: the earlier result's own files go, it stays, in a folder named for it.
    let d = scratch("late");
    write_run(&d.join("o"), "1");
    let stamps = last_check(&d.join("o"));
    fs::rename(d.join("o"), d.join("old")).unwrap(); // where the exchange puts it
    fs::write(d.join("old/user-notes.txt"), "mine").unwrap();
    let Left { place, why, retried } = remove_earlier(&d.join("old"), &stamps, &d.join("o")).expect("something left");
    assert_eq!(why, "held files copysim did not write (user-notes.txt): added or changed after its last check");
    assert_eq!(place, d.join(format!("o.earlier-{}", std::process::id())));
    assert!(!retried, "a user's file is in it: no later run touches it");
    assert_eq!(fs::read_to_string(place.join("user-notes.txt")).unwrap(), "mine");
    assert_eq!(names(&place), vec!["user-notes.txt"], "the earlier result's files and marker are gone");
    // With nothing added, the earlier result goes entirely.
    write_run(&d.join("p"), "1");
    let stamps = last_check(&d.join("p"));
    assert!(remove_earlier(&d.join("p"), &stamps, &d.join("q")).is_none());
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
    let stamps = last_check(&d.join("archive"));
    fs::rename(d.join("o"), d.join("old")).unwrap(); // where the exchange puts it
    let Left { place, why, .. } = remove_earlier(&d.join("old"), &stamps, &d.join("o")).expect("left");
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

/// A file of the earlier result edited in place after the last check hashed it, to the same
/// size: it was removed with the result (the removal compared sizes only). What the check
/// hashed is identified by inode, size, and modification and change times; the edit changes the
/// change time even when the modification time is set back, so the file is kept.
#[test]
fn a_file_edited_to_the_same_size_after_the_last_check_is_kept() {
    use std::io::{Seek, Write as _};
    let d = scratch("late-edit");
    write_run(&d.join("o"), "1111");
    // The edit's change time must fall on a later clock tick than the write's.
    std::thread::sleep(std::time::Duration::from_millis(50));
    let stamps = last_check(&d.join("o"));
    fs::rename(d.join("o"), d.join("old")).unwrap(); // where the exchange puts it
    let mut f = fs::OpenOptions::new().write(true).open(d.join("old/a.csv")).unwrap();
    let modified = f.metadata().unwrap().modified().unwrap();
    f.rewind().unwrap();
    f.write_all(b"1112").unwrap();
    f.set_modified(modified).unwrap(); // as `touch -r` would
    drop(f);
    let Left { place, why, retried } = remove_earlier(&d.join("old"), &stamps, &d.join("o")).expect("the edit is left");
    assert_eq!(why, "held files copysim did not write (a.csv): added or changed after its last check");
    assert!(!retried);
    assert_eq!(fs::read_to_string(place.join("a.csv")).unwrap(), "1112", "the user's edit is kept");
    // A file replaced under its name by another of the same size is not the one checked either.
    write_run(&d.join("p"), "2222");
    let stamps = last_check(&d.join("p"));
    fs::rename(d.join("p"), d.join("old-p")).unwrap();
    fs::write(d.join("mine.csv"), "2223").unwrap();
    fs::rename(d.join("mine.csv"), d.join("old-p/a.csv")).unwrap();
    let left = remove_earlier(&d.join("old-p"), &stamps, &d.join("p")).expect("the replacement is left");
    assert_eq!(fs::read_to_string(left.place.join("a.csv")).unwrap(), "2223");
}

/// The earlier result resisted removal after the swap (an immutable file, EPERM): the run said
/// copysim's own file was a user's, "added after its last check", and left it for good in a
/// visible `<name>.earlier-<pid>` that `shard-*` globs catch. It now gives the OS's reason, leaves
/// it hidden, and the next run removes it.
#[test]
fn an_earlier_result_that_resists_removal_is_named_for_the_true_reason_and_removed_later() {
    let d = scratch("resist");
    write_run(&d.join("o"), "1");
    let stamps = last_check(&d.join("o"));
    fs::rename(d.join("o"), d.join("old")).unwrap(); // where the exchange puts it
    let immutable = |p: &Path| {
        if p.ends_with("a.csv") { Err(io::Error::from_raw_os_error(1)) } else { fs::remove_file(p) }
    };
    let left = remove_earlier_with(&d.join("old"), &stamps, &d.join("o"), &immutable).expect("left");
    assert_eq!(left.why, format!("could not be removed (a.csv: {})", io::Error::from_raw_os_error(1)));
    assert!(left.retried);
    assert_eq!(left.place, d.join(format!(".o.copysim-earlier-{}", std::process::id())));
    let message = left.message("o");
    assert!(!message.contains("did not write") && message.contains("the next run into o removes it"), "{message}");
    assert_eq!(names(&left.place), vec![MARKER_FILE, "a.csv"], "the marker stays with the file it vouches for");
    write_run(&d.join("o"), "2");
    assert_eq!(names(&d), vec!["o"], "the next run removed it");
    // A file NFS keeps for a program that still has it open is not a user's either; the folder
    // is removed once the file is gone, and never while something else is in it.
    write_run(&d.join("p"), "1");
    let stamps = last_check(&d.join("p"));
    fs::rename(d.join("p"), d.join("old")).unwrap();
    fs::write(d.join("old/.nfs0000000000ab0001"), "x").unwrap();
    let left = remove_earlier(&d.join("old"), &stamps, &d.join("p")).expect("left");
    assert_eq!(left.why, "could not be removed (.nfs0000000000ab0001: still open in another program)");
    write_run(&d.join("p"), "2");
    assert!(left.place.is_dir(), "not removed while it holds what copysim cannot vouch for");
    fs::remove_file(left.place.join(".nfs0000000000ab0001")).unwrap();
    write_run(&d.join("p"), "3");
    assert_eq!(names(&d), vec!["o", "p"]);
}

/// Disk full while the staging journal's header was written: the empty journal stayed, and no
/// later run removed it (the lock naming the run's pid is removed as the run ends).
#[test]
fn a_journal_whose_header_cannot_be_written_is_removed_at_once() {
    let d = scratch("journal-full");
    let path = d.join(".o.copysim-staging-1.files");
    let full = |_: &mut File| Err(io::Error::from_raw_os_error(28));
    match start_journal(&path, full) {
        Err(JournalError::Header(e)) => assert_eq!(e.raw_os_error(), Some(28)),
        other => panic!("expected a header error, got {other:?}"),
    }
    assert!(names(&d).is_empty(), "{:?}", names(&d));
    start_journal(&path, |f| f.write_all(JOURNAL_HEADER.as_bytes())).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), JOURNAL_HEADER);
}

/// `--out` inside an earlier result was accepted, and the result then held a folder copysim
/// did not write: neither a rerun nor `chart` would take it any more.
#[test]
fn an_output_folder_inside_a_copysim_result_is_refused() {
    let d = scratch("nested");
    write_run(&d.join("r"), "1");
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("r"), d.join("lnk")).unwrap();
    for out in [d.join("r/sub"), d.join("lnk/sub")] {
        let err = OutputDir::prepare(&out, false, Mode::Replace).unwrap_err();
        let m = err.to_string();
        assert!(err.is_input() && m.contains(&format!("inside {}, a copysim result", d.join("r").display())), "{m}");
    }
    assert_eq!(names(&d.join("r")), vec![MARKER_FILE, "a.csv"], "the result is untouched");
    write_run(&d.join("r"), "2");
}

/// `lnk/` (a symbolic link, trailing slash) passed the first check — the slash made the OS look
/// through the link — and was refused only at the swap, after the whole simulation.
#[cfg(unix)]
#[test]
fn a_symbolic_link_named_with_a_trailing_slash_is_refused_up_front() {
    let d = scratch("slash");
    write_run(&d.join("real"), "1");
    std::os::unix::fs::symlink(d.join("real"), d.join("lnk")).unwrap();
    for out in ["lnk/", "lnk//", "lnk/./"] {
        let path = PathBuf::from(format!("{}/{out}", d.display()));
        let err = OutputDir::prepare(&path, false, Mode::Replace).unwrap_err();
        assert!(err.is_input() && err.to_string().contains("symbolic link"), "{out}: {err}");
    }
    assert_eq!(names(&d), vec!["lnk", "real"], "no lock left");
    let out = OutputDir::prepare(&PathBuf::from(format!("{}/real/", d.display())), false, Mode::Replace).unwrap();
    out.write_file("a.csv", b"2").unwrap();
    out.commit(&who()).unwrap();
    assert_eq!(fs::read_to_string(d.join("real/a.csv")).unwrap(), "2");
}

/// A folder where a file system is mounted is refused up front even when it has its parent's
/// device number (a folder bound onto itself): `/proc` stands in for it, a plain folder is not.
#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_is_recognised_by_the_kernels_word_not_only_its_device() {
    let d = scratch("mount");
    assert!(!is_mount_root(&d));
    if Path::new("/proc/self").exists() {
        assert!(is_mount_root(Path::new("/proc")));
    }
}

#[cfg(unix)]
#[test]
fn a_replaced_folder_keeps_the_permissions_its_user_gave_it() {
    // A result closed to others with `chmod 700` came back 755 (the umask's) from a rerun.
    use std::os::unix::fs::PermissionsExt;
    let d = scratch("keep-mode");
    write_run(&d.join("o"), "1");
    for mode in [0o700, 0o750, 0o2770] {
        fs::set_permissions(d.join("o"), fs::Permissions::from_mode(mode)).unwrap();
        write_run(&d.join("o"), "2");
        assert_eq!(fs::metadata(d.join("o")).unwrap().permissions().mode() & 0o7777, mode, "{mode:o}");
    }
    assert_eq!(fs::read_to_string(d.join("o/a.csv")).unwrap(), "2");
}
