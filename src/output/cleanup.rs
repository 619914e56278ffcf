//! Cleaning temporary output folders on every exit path a process can see: normal return, error
//! (the staging folder's `Drop`), and Ctrl-C / SIGTERM / SIGHUP (a signal thread, installed by
//! the CLI). A SIGKILL cannot be seen; the next run for the same folder removes what it left.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A result was put in place and no other output has been started since: a signal landing now
/// interrupted nothing the user asked for, and the process exits 0.
static COMMITTED: AtomicBool = AtomicBool::new(false);

/// The output's new result is in place (called with [`hold`] held, right after the swap).
pub fn mark_committed() {
    COMMITTED.store(true, Ordering::SeqCst);
}

/// A new output is being prepared: a signal from now on interrupts it.
pub fn unmark_committed() {
    COMMITTED.store(false, Ordering::SeqCst);
}

/// Paths a signal must remove: staging folders and lock files of this process.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `make`, which creates `path`, and remembers `path` for removal in one step a signal
/// cannot split: the signal thread waits for it, so a signal landing just after the creation
/// still finds the path registered (and one landing before it finds nothing made). On error
/// nothing is remembered.
pub fn create_registered<T, E>(path: &std::path::Path, make: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    create_registered_when(path, make, |_| true)
}

/// [`create_registered`], remembering `path` only when `register` says so of what `make` made
/// (a lock file that names dead runs still to clean after must outlive a signal).
pub fn create_registered_when<T, E>(
    path: &std::path::Path,
    make: impl FnOnce() -> Result<T, E>,
    register: impl FnOnce(&T) -> bool,
) -> Result<T, E> {
    let mut live = live();
    let made = make()?;
    if register(&made) {
        live.push(path.to_path_buf());
    }
    Ok(made)
}

/// Forgets `path` (it was committed or removed).
pub fn unregister(path: &std::path::Path) {
    live().retain(|p| p != path);
}

/// Holds off signal cleanup while a folder swap is under way, so a signal never lands between
/// the swap and the bookkeeping that follows it.
pub fn hold() -> MutexGuard<'static, Vec<PathBuf>> {
    live()
}

/// Removes every registered path (folders recursively, files singly). A folder the main thread
/// is still writing into may gain a file between the listing and the final `rmdir`: removal is
/// retried until the folder is gone.
fn remove_all(paths: &mut Vec<PathBuf>) {
    for p in paths.drain(..) {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {
                for _ in 0..100 {
                    match std::fs::remove_dir_all(&p) {
                        Err(e) if e.kind() != std::io::ErrorKind::NotFound => std::thread::yield_now(),
                        _ => break,
                    }
                }
            }
            Ok(_) => {
                let _ = std::fs::remove_file(&p);
            }
            Err(_) => {}
        }
    }
}

/// Installs the signal thread: on SIGINT, SIGTERM or SIGHUP it removes this process's staging
/// folders and lock files and exits with 128 + the signal number — or 0 when the result was
/// already in place (the run's work is done; only its last words were cut). Call once, from
/// the CLI.
#[cfg(unix)]
pub fn install_signal_cleanup() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    // A file-size limit (`ulimit -f`) reached: caught, the write fails with EFBIG and the run
    // ends on that error, cleaning up, where the default action killed it outright, as SIGKILL
    // does, leaving its staging folder and lock for the next run.
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let spawned = std::thread::Builder::new().name("copysim-signals".into()).spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let mut live = hold();
            remove_all(&mut live);
            std::process::exit(if COMMITTED.load(Ordering::SeqCst) { 0 } else { 128 + sig });
        }
    });
    drop(spawned);
}

/// Signals are not handled on this platform; staging folders of an interrupted run are removed
/// by the next run for the same folder.
#[cfg(not(unix))]
pub fn install_signal_cleanup() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_paths_are_removed_and_forgotten() {
        let d = std::env::temp_dir().join(format!("copysim-cleanup-{}", std::process::id()));
        std::fs::create_dir_all(d.join("inner")).unwrap();
        let f = std::env::temp_dir().join(format!("copysim-cleanup-{}.lock", std::process::id()));
        std::fs::write(&f, "1").unwrap();
        let mut paths = vec![d.clone(), f.clone()];
        remove_all(&mut paths);
        assert!(!d.exists() && !f.exists() && paths.is_empty());
    }

    #[test]
    fn a_path_is_remembered_only_once_made() {
        let p = std::env::temp_dir().join(format!("copysim-cleanup-made-{}", std::process::id()));
        let failed: Result<(), &str> = create_registered(&p, || Err("no"));
        assert!(failed.is_err() && !live().contains(&p));
        create_registered(&p, || std::fs::create_dir(&p)).unwrap();
        assert!(live().contains(&p));
        unregister(&p);
        std::fs::remove_dir(&p).unwrap();
    }
}
