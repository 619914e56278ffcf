//! Putting a finished staging folder in place of the target with no moment where neither exists.
//!
//! On Linux, `renameat2(RENAME_EXCHANGE)` swaps the two folders in one step when the target
//! exists, and `renameat2(RENAME_NOREPLACE)` moves the staging folder in when it does not. Where
//! those are missing (another OS, or a file system that refuses the flags) the fallback is two
//! renames — the target aside, the staging folder in — with a gap of two system calls in which
//! the target's name is missing; `docs/outputs.md` says so.

use std::fs;
use std::io;
use std::path::Path;

/// What was at the target's name before the swap.
#[derive(Debug, PartialEq, Eq)]
pub enum Swapped {
    /// Nothing: the staging folder was moved in.
    Moved,
    /// The old folder now sits at the staging path, to be removed by the caller.
    Exchanged,
}

/// Puts `staging` at `target`; an existing `target` ends up at `staging`'s path.
pub fn swap_in(staging: &Path, target: &Path) -> io::Result<Swapped> {
    if fs::symlink_metadata(target).is_ok() {
        exchange(staging, target).map(|()| Swapped::Exchanged)
    } else {
        move_in(staging, target).map(|()| Swapped::Moved)
    }
}

#[cfg(target_os = "linux")]
fn exchange(staging: &Path, target: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(e) if unsupported(e) => exchange_fallback(staging, target),
        Err(e) => Err(e.into()),
    }
}

#[cfg(target_os = "linux")]
fn move_in(staging: &Path, target: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, staging, CWD, target, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(e) if unsupported(e) => fs::rename(staging, target),
        Err(e) => Err(e.into()),
    }
}

#[cfg(target_os = "linux")]
fn unsupported(e: rustix::io::Errno) -> bool {
    e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS || e == rustix::io::Errno::OPNOTSUPP
}

#[cfg(not(target_os = "linux"))]
fn exchange(staging: &Path, target: &Path) -> io::Result<()> {
    exchange_fallback(staging, target)
}

#[cfg(not(target_os = "linux"))]
fn move_in(staging: &Path, target: &Path) -> io::Result<()> {
    fs::rename(staging, target)
}

/// Renames `from` to `to`, never replacing anything at `to`.
pub fn move_aside(from: &Path, to: &Path) -> io::Result<()> {
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    move_in(from, to)
}

/// Two renames through a third name beside the staging folder; the gap is documented.
fn exchange_fallback(staging: &Path, target: &Path) -> io::Result<()> {
    let mut aside = staging.as_os_str().to_owned();
    aside.push(".aside");
    let aside = std::path::PathBuf::from(aside);
    fs::rename(target, &aside)?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&aside, target);
        return Err(e);
    }
    fs::rename(&aside, staging)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("copysim-swap-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn an_existing_target_is_exchanged_and_the_old_one_lands_at_the_staging_path() {
        let d = scratch("exchange");
        let (staging, target) = (d.join(".t.staging"), d.join("t"));
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("new"), "n").unwrap();
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old"), "o").unwrap();
        assert_eq!(swap_in(&staging, &target).unwrap(), Swapped::Exchanged);
        assert!(target.join("new").is_file() && staging.join("old").is_file());
    }

    #[test]
    fn a_missing_target_is_created_by_moving_the_staging_folder() {
        let d = scratch("move");
        let (staging, target) = (d.join(".t.staging"), d.join("t"));
        fs::create_dir(&staging).unwrap();
        assert_eq!(swap_in(&staging, &target).unwrap(), Swapped::Moved);
        assert!(target.is_dir() && !staging.exists());
    }

    #[test]
    fn the_fallback_exchanges_too() {
        let d = scratch("fallback");
        let (staging, target) = (d.join(".t.staging"), d.join("t"));
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("new"), "n").unwrap();
        fs::create_dir(&target).unwrap();
        exchange_fallback(&staging, &target).unwrap();
        assert!(target.join("new").is_file() && staging.is_dir());
        assert_eq!(fs::read_dir(&d).unwrap().count(), 2, "no third folder left");
    }
}
