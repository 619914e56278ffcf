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
