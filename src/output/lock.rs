//! The advisory lock that keeps two copysim runs from writing one output folder at once.
//!
//! The lock is a file beside the folder (`.<name>.copysim-lock`), locked with the OS's advisory
//! file lock and holding the owner's pid. The owner removes it before releasing the lock; a
//! waiter that locked a file someone removed meanwhile notices (the path no longer names the
//! file it locked) and tries again. A killed run's lock is released by the OS; its file stays
//! until the next run for that folder takes it over (learning the dead run's pid, whose staging
//! folder it may then remove) and removes it. Until those leftovers are cleaned, the new owner
//! keeps the dead runs' pids on the lines after its own, so a run killed while cleaning passes
//! them on to the next. A run that ends before that cleaning — an error such as a folder refused
//! for a user's file, or Ctrl-C — leaves the file naming those runs, not removed: removing it
//! would leave their staging folders with nothing to say whose they are. A file at that path
//! holding anything but pids, one per line, is not copysim's: it is refused, never truncated.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// A held lock; released (and its file removed) on drop.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    file: Option<File>,
    /// The pids a stale lock file held when this one took it over: runs that died holding it
    /// (or died cleaning after such runs) before their leftovers were cleaned.
    previous: Vec<u32>,
}

/// The most dead runs' pids a lock file passes on (each line at most 11 bytes).
const MAX_PENDING: usize = 16;

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another live process holds it; its pid when it could be read.
    Busy(Option<u32>),
    /// The lock file could not be created or locked.
    Io(io::Error),
    /// A file at the lock's path is not a copysim lock: why.
    Foreign(String),
}

impl FolderLock {
    /// Takes the lock at `path` without waiting.
    pub fn acquire(path: &Path) -> Result<FolderLock, LockError> {
        for _ in 0..16 {
            let mut file = open_no_follow(path).map_err(LockError::Io)?;
            if !file.metadata().map_err(LockError::Io)?.is_file() {
                return Err(LockError::Io(io::Error::other(format!(
                    "{} is not a regular file; remove it (copysim never writes through it)",
                    path.display()
                ))));
            }
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(LockError::Busy(read_pid(&mut file))),
                Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
            if !same_file(&file, path) {
                continue;
            }
            let previous = match stale_pid(&mut file) {
                Ok(previous) => previous,
                Err(()) => {
                    return Err(LockError::Foreign(format!(
                        "{} holds something other than a copysim lock (a process id); copysim keeps its \
                         lock at that path, so it touched nothing: move or rename that file",
                        path.display()
                    )));
                }
            };
            return FolderLock { path: path.to_path_buf(), file: Some(file), previous }.with_pids();
        }
        Err(LockError::Io(io::Error::other("the lock file kept being replaced")))
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The pids of the runs that died holding this lock's file, whose leftovers are not
    /// cleaned yet (the one that held it last first).
    pub fn previous(&self) -> &[u32] {
        &self.previous
    }

    /// The dead runs' leftovers are cleaned: the file names this run alone.
    pub fn cleaned(&mut self) -> io::Result<()> {
        self.previous.clear();
        self.write_pids()
    }

    /// Whether the file still names dead runs whose leftovers are not cleaned: it must outlive
    /// this run then (see [`FolderLock`]'s `Drop`), so signal cleanup may not remove it yet.
    pub fn pending(&self) -> bool {
        !self.previous.is_empty()
    }

    /// The lock, its pids written; or, when they cannot be (a full disk), the lock given up and
    /// its file removed — kept when it names dead runs still to clean after. Not through
    /// `Drop`: it waits for the signal cleanup's mutex, which `cleanup::create_registered`
    /// holds around [`FolderLock::acquire`] — a deadlock no signal could end (the signal thread
    /// waits on that mutex too).
    fn with_pids(mut self) -> Result<FolderLock, LockError> {
        let Err(e) = self.write_pids() else { return Ok(self) };
        if let Some(f) = self.file.take() {
            if same_file(&f, &self.path) && self.previous.is_empty() {
                let _ = fs::remove_file(&self.path);
            }
            drop(f);
        }
        Err(LockError::Io(e))
    }

    /// Writes this run's pid, then the dead runs' still to clean after.
    fn write_pids(&mut self) -> io::Result<()> {
        let Some(file) = &mut self.file else { return Ok(()) };
        let mut pids = vec![std::process::id()];
        pids.extend(&self.previous);
        write_lines(file, &pids)
    }
}

/// Writes `pids`, one per line, over what `file` held: written first and cut to length after,
/// so that a full disk, which refuses to grow the file, leaves what it held readable (the dead
/// runs' pids a stale lock file names stay on its lines).
fn write_lines(file: &mut File, pids: &[u32]) -> io::Result<()> {
    let text: String = pids.iter().map(|pid| format!("{pid}\n")).collect();
    file.rewind()?;
    file.write_all(text.as_bytes())?;
    file.set_len(text.len() as u64)
}

/// What a lock file found at the path holds: nothing (made just now, or by a run that died
/// before writing) or pids, one per line (a run that died holding it, then the dead runs whose
/// leftovers it had not cleaned): `Ok`, at most [`MAX_PENDING`] of them, each once; anything
/// else is not a copysim lock: `Err`.
fn stale_pid(file: &mut File) -> Result<Vec<u32>, ()> {
    let len = file.metadata().map_err(|_| ())?.len();
    if len > 11 * (MAX_PENDING as u64 + 1) {
        return Err(());
    }
    let mut text = String::new();
    file.rewind().map_err(|_| ())?;
    file.read_to_string(&mut text).map_err(|_| ())?;
    let mut pids = Vec::new();
    if text.is_empty() {
        return Ok(pids);
    }
    for line in text.strip_suffix('\n').unwrap_or(&text).split('\n') {
        match line.parse::<u32>() {
            Ok(pid) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
                if !pids.contains(&pid) {
                    pids.push(pid);
                }
            }
            _ => return Err(()),
        }
    }
    pids.truncate(MAX_PENDING);
    Ok(pids)
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock (only if the path still names it), then
        // release it by closing. Signal cleanup forgets the path in the same step: a signal
        // landing after the removal must not remove the path, which may name another run's lock
        // by then.
        let Some(mut f) = self.file.take() else { return }; // given up already, never registered
        let mut signal_cleanup = super::cleanup::hold();
        if same_file(&f, &self.path) {
            if self.previous.is_empty() {
                let _ = fs::remove_file(&self.path);
            } else {
                // Dead runs' leftovers this run did not get to clean (it stopped on an error
                // first): the file stays, naming them alone, and the next run cleans them.
                let _ = write_lines(&mut f, &self.previous);
            }
        }
        signal_cleanup.retain(|p| p != &self.path);
        drop(f);
    }
}

/// Opens (creating) the lock file without following a symbolic link at its path: a link there
/// would make copysim write into whatever file it points to.
fn open_no_follow(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("copysim-lock-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_lock_whose_pid_cannot_be_written_is_given_up_without_a_deadlock() {
        // A full disk refused the pid: the error path ran the lock's `Drop`, which waited for the
        // signal cleanup's mutex that `create_registered` held around it — forever, deaf to
        // Ctrl-C. A read-only handle stands in for the full disk.
        let d = scratch("full");
        let path = d.join(".o.copysim-lock");
        fs::write(&path, "").unwrap();
        let read_only = File::open(&path).unwrap();
        let lock = FolderLock { path: path.clone(), file: Some(read_only), previous: Vec::new() };
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        std::thread::spawn(move || {
            let r = super::super::cleanup::create_registered(&p, || lock.with_pids());
            let _ = tx.send(r.is_err());
        });
        let refused = rx.recv_timeout(std::time::Duration::from_secs(20)).expect("no deadlock");
        assert!(refused, "the pid could not be written");
        assert!(!path.exists(), "the lock file is removed, no litter");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_second_lock_on_one_folder_is_refused_with_the_owner_pid() {
        let d = scratch("busy");
        let path = d.join(".o.copysim-lock");
        let held = FolderLock::acquire(&path).unwrap();
        match FolderLock::acquire(&path) {
            Err(LockError::Busy(pid)) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("expected busy, got {other:?}"),
        }
        drop(held);
        assert!(!path.exists(), "the lock file is removed on release");
        let again = FolderLock::acquire(&path).unwrap();
        assert_eq!(again.path(), path);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_at_the_lock_path_is_never_written_through() {
        let d = scratch("symlink");
        fs::write(d.join("important.txt"), "IMPORTANT").unwrap();
        std::os::unix::fs::symlink(d.join("important.txt"), d.join(".o.copysim-lock")).unwrap();
        assert!(matches!(FolderLock::acquire(&d.join(".o.copysim-lock")), Err(LockError::Io(_))));
        assert_eq!(fs::read_to_string(d.join("important.txt")).unwrap(), "IMPORTANT");
    }

    #[test]
    fn a_stale_lock_file_of_a_dead_run_is_taken_over() {
        let d = scratch("stale");
        let path = d.join(".o.copysim-lock");
        fs::write(&path, "999999\n").unwrap();
        let mut lock = FolderLock::acquire(&path).unwrap();
        assert_eq!(lock.previous(), [999999]);
        let me = std::process::id();
        assert_eq!(fs::read_to_string(&path).unwrap(), format!("{me}\n999999\n"), "until its leftovers are gone");
        lock.cleaned().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), format!("{me}\n"));
        drop(lock);
        assert!(!path.exists());
    }

    #[test]
    fn a_file_at_the_lock_path_holding_anything_but_a_pid_is_refused_untouched() {
        let d = scratch("foreign");
        let path = d.join(".o.copysim-lock");
        for text in ["my lock notes", "12345\nmore\n", "-1\n", "99999999999\n", "12\n\n34\n"] {
            fs::write(&path, text).unwrap();
            match FolderLock::acquire(&path) {
                Err(LockError::Foreign(e)) => assert!(e.contains("other than a copysim lock"), "{e}"),
                other => panic!("{text:?}: expected a refusal, got {other:?}"),
            }
            assert_eq!(fs::read_to_string(&path).unwrap(), text, "left as it was");
        }
    }
}
