//! `copysim import --out F` writes a temporary file beside `F` and links it into place: that
//! file is made new under a name no one can guess, so nothing planted beside `F` is written
//! through ("an existing file is never overwritten").

#[cfg(unix)]
#[test]
fn import_out_never_writes_through_what_sits_at_a_guessable_temporary_name() {
    use std::os::unix::fs::PermissionsExt;
    let d = crate::support::scratch("import-temp", "planted");
    std::fs::write(d.join("victim.txt"), "VICTIM DATA\n").unwrap();
    let volumes = crate::support::root().join("tests/fixtures/import/aws-describe-volumes.json");
    // The old temporary name was `.F.copysim-import-PID`, and with `exec` the pid is the shell's.
    let script = format!(
        "umask 022; ln -s victim.txt .s3.toml.copysim-import-$$ && exec '{}' import aws-ebs '{}' --copy-to us-west-2 --out s3.toml",
        env!("CARGO_BIN_EXE_copysim"),
        volumes.display()
    );
    let o = std::process::Command::new("sh").arg("-c").arg(&script).current_dir(&d).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(d.join("victim.txt")).unwrap(), "VICTIM DATA\n", "written through the link");
    let out = std::fs::symlink_metadata(d.join("s3.toml")).unwrap();
    assert!(out.is_file(), "s3.toml is a file of its own, not a link");
    assert_eq!(out.permissions().mode() & 0o777, 0o644, "an ordinary file, as the umask allows");
    assert!(std::fs::read_to_string(d.join("s3.toml")).unwrap().contains("[[regions]]"));
    let mut left: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".s3.toml.copysim-import-"))
        .collect();
    assert_eq!(left.len(), 1, "only the planted link, untouched: {left:?}");
    let planted = d.join(left.pop().unwrap());
    assert_eq!(std::fs::read_link(planted).unwrap(), std::path::Path::new("victim.txt"));
}

/// `import --out s.toml` of the fixture in `d`.
fn import_into(d: &std::path::Path) -> std::process::Output {
    let volumes = crate::support::root().join("tests/fixtures/import/aws-describe-volumes.json");
    crate::support::copysim(
        &["import", "aws-ebs", &volumes.display().to_string(), "--copy-to", "us-west-2", "--out", "s.toml"],
        d,
    )
}

#[cfg(unix)]
#[test]
fn a_temporary_file_a_killed_import_left_is_removed_by_the_next_import_of_that_file() {
    // A SIGKILLed import left `.F.copysim-import-…`, and no later import removed it.
    let d = crate::support::scratch("import-temp", "killed");
    let left = [
        (
            ".s.toml.copysim-import-4194304-AbC123",
            "# Imported by `copysim import` from v.json: 1 volumes (aws_ebs).\n[[regions]]\n",
        ),
        (".s.toml.copysim-import-4194305-zzzzzz", ""), // killed before writing a byte
        (".s.toml.copysim-import-q2Wx9a", "# Imported by `copysim import` from v.json"), // an earlier version's name
    ];
    for (name, text) in left {
        std::fs::write(d.join(name), text).unwrap();
    }
    // The killed import's lock file, holding its pid.
    std::fs::write(d.join(".s.toml.copysim-import-lock"), "4194304\n").unwrap();
    // What copysim did not write stays: a file of the user's and a link, even named alike.
    std::fs::write(d.join(".s.toml.copysim-import-notes"), "my notes\n").unwrap();
    std::os::unix::fs::symlink("notes.txt", d.join(".s.toml.copysim-import-1")).unwrap();
    let o = import_into(&d);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> =
        std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, [".s.toml.copysim-import-1", ".s.toml.copysim-import-notes", "s.toml"]);
    assert_eq!(std::fs::read_to_string(d.join(".s.toml.copysim-import-notes")).unwrap(), "my notes\n");
}

#[cfg(unix)]
#[test]
fn a_live_imports_temporary_file_is_left_alone() {
    // While another import of the same file holds its lock, its temporary file is not stale:
    // the second import is refused, and touches nothing.
    let d = crate::support::scratch("import-temp", "live");
    let live = d.join(".s.toml.copysim-import-77-live01");
    std::fs::write(&live, "# Imported by `copysim import` from v.json").unwrap();
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(d.join(".s.toml.copysim-import-lock"))
        .unwrap();
    std::io::Write::write_all(&mut &lock, b"77\n").unwrap();
    lock.lock().unwrap();
    let o = import_into(&d);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim(), "error: --out s.toml: another copysim import is writing it (pid 77)");
    assert!(live.exists() && !d.join("s.toml").exists());
    drop(lock);
}
