//! Output folders that never put a user's files at risk: checked before any work, written into a
//! staging folder beside the target, then swapped in atomically under an advisory lock.
//!
//! The rules, in the order [`OutputDir::prepare`] applies them:
//!
//! 1. The target must be a plain path to a folder: not a file, not a symbolic link, not the root,
//!    not the current folder or one holding it, not inside a copysim result. Its parent must
//!    exist and be a folder (the default `outputs/` is created when missing).
//! 2. One run per folder at a time: `.<name>.copysim-lock` beside it is locked; a second run
//!    gets `another copysim run is writing DIR (pid N)`.
//! 3. The target may be replaced only when it is missing, empty, or holds a `.copysim-run`
//!    marker listing every file in it. Anything else — a user's notes, a sub-folder, a file
//!    added to an old run — is refused before the simulation starts, and nothing is touched.
//! 4. What the run that died holding the lock left is cleaned: from its staging folder, only
//!    the files its journal names, in the folder it records (or an earlier result's marker
//!    there lists, when the run died after its swap); a journal cut
//!    while its header was written names nothing and is removed. Leftovers under this
//!    process's own id (a dead run's pid reused) are cleaned the same way.
//!    An earlier result left in `.<name>.copysim-earlier-<pid>` because its own files resisted
//!    removal is removed while it holds nothing but them and their marker.
//! 5. Files are written into `.<name>.copysim-staging-<pid>`, each named first in the journal
//!    `.<name>.copysim-staging-<pid>.files`; [`OutputDir::commit`] writes the
//!    marker, syncs, checks the target again, and swaps the staging folder in ([`swap`]): the
//!    old result stays visible until the new one is complete. Of the old result, only the files
//!    that last check hashed are removed, and only if still the same files ([`marker::Stamp`]).
//!    An abandoned `OutputDir` removes its staging folder.

pub mod cleanup;
pub mod lock;
pub mod marker;
pub mod swap;

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

pub use marker::{MARKER_FILE, MarkedFile, Marker, RunIdentity};

use lock::{FolderLock, LockError};
use marker::{Contents, Stamp, Stamps};

/// Why an output folder cannot be used or written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The target is not a folder copysim may replace, or its location cannot be used (exit 2).
    #[error("{shown}: {reason}")]
    Refused {
        /// The folder as the user named it.
        shown: String,
        /// Why, and what to do instead.
        reason: String,
    },
    /// Another copysim process is writing the same folder (exit 2).
    #[error("another copysim run is writing {shown} ({})", pid.map_or("pid unknown".to_string(), |p| format!("pid {p}")))]
    Busy {
        /// The folder as the user named it.
        shown: String,
        /// The other run's process id, when its lock file could be read.
        pid: Option<u32>,
    },
    /// Writing failed once the run was under way (exit 1): disk full, I/O error.
    #[error("cannot write {shown}: {source}")]
    Write {
        /// The folder as the user named it.
        shown: String,
        /// The OS error.
        source: io::Error,
    },
}

impl OutputError {
    /// True when the error is about the user's choice of folder (exit 2), not a failure to write.
    pub fn is_input(&self) -> bool {
        !matches!(self, OutputError::Write { .. })
    }
}

/// What the caller will do with the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write a new result, replacing an earlier copysim result or an empty folder.
    Replace,
    /// Add to or rewrite files of an existing copysim result (`copysim chart`): the staging
    /// folder starts with the result's files, and the target must be a copysim result.
    Update,
}

/// An output folder being written: a staging folder, the lock, and where it will land.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    shown: String,
    staging: PathBuf,
    /// Beside the staging folder, the names of the files this run put in it ([`journal_path`]).
    journal: PathBuf,
    lock: Option<FolderLock>,
    committed: bool,
}

/// The first line of a staging journal: a file at the journal's path without it is not one.
pub const JOURNAL_HEADER: &str = "copysim staging journal: files this run put in its staging folder\n";

/// The staging folder of run `pid` for target `name`, beside it.
fn staging_path(parent: &Path, name: &str, pid: u32) -> PathBuf {
    parent.join(format!(".{name}.copysim-staging-{pid}"))
}

/// The journal of staging folder `staging`: the names of the files the run put in it, one per
/// line, each written before its file is created. After a run dies outright, the next run
/// removes from that staging folder only the files named here (or listed by a marker in it),
/// so nothing a user put there is deleted, whatever the folder is called.
fn journal_path(staging: &Path) -> PathBuf {
    let mut journal = staging.as_os_str().to_owned();
    journal.push(".files");
    PathBuf::from(journal)
}

impl OutputDir {
    /// Checks `target`, takes its lock, cleans stale staging folders and makes a fresh one.
    /// `create_parent` allows creating missing parent folders (for the default `outputs/`).
    pub fn prepare(target: &Path, create_parent: bool, mode: Mode) -> Result<OutputDir, OutputError> {
        let shown = target.display().to_string();
        let refuse = |reason: String| OutputError::Refused { shown: shown.clone(), reason };
        let abs = plain_path(target).map_err(refuse)?;
        let (parent, name) = split(&abs).map_err(refuse)?;
        check_parent(&parent, create_parent && mode == Mode::Replace).map_err(refuse)?;
        check_not_inside_a_result(&parent, &abs, mode).map_err(refuse)?;
        check_target_kind(&abs, mode).map_err(refuse)?;
        // Made and registered for signal cleanup in one step (see `cleanup::create_registered`);
        // one that names dead runs whose leftovers are still to clean only once they are (a
        // signal before then leaves it naming them, for the next run).
        let lock_path = parent.join(format!(".{name}.copysim-lock"));
        let acquired =
            cleanup::create_registered_when(&lock_path, || FolderLock::acquire(&lock_path), |lock| !lock.pending());
        let mut lock = match acquired {
            Ok(lock) => lock,
            Err(LockError::Busy(pid)) => return Err(OutputError::Busy { shown, pid }),
            // The lock is opened without following links: one planted there is refused, not used.
            Err(LockError::Io(_)) if fs::symlink_metadata(&lock_path).is_ok_and(|m| m.file_type().is_symlink()) => {
                return Err(refuse(format!(
                    "{} is a symbolic link where copysim keeps its lock; it follows no link there (remove it)",
                    lock_path.display()
                )));
            }
            Err(LockError::Io(_)) if fs::symlink_metadata(&lock_path).is_ok_and(|m| !m.is_file()) => {
                return Err(refuse(format!(
                    "{} is not a file, but copysim keeps its lock there; it touches nothing that is not its own (move it away)",
                    lock_path.display()
                )));
            }
            Err(LockError::Io(e)) => return Err(refuse(format!("cannot create files in {}: {e}", parent.display()))),
            Err(LockError::Foreign(why)) => return Err(refuse(why)),
        };
        check_contents(&abs, mode).map_err(refuse)?;
        check_replaceable(&abs, &parent, mode).map_err(refuse)?;
        // Dead runs' pids stay in the lock file until their leftovers are gone: a run killed
        // while cleaning passes them on.
        for &pid in lock.previous() {
            clean_stale(&parent, &name, pid);
        }
        clean_earlier(&parent, &name);
        // Cleaned: from now on the lock file names this run alone, and a signal removes it
        // (registered in the same step, when it was not yet).
        let mut live = cleanup::hold();
        lock.cleaned().map_err(|e| refuse(format!("cannot write the lock file {}: {e}", lock.path().display())))?;
        if !live.iter().any(|p| p == lock.path()) {
            live.push(lock.path().to_path_buf());
        }
        drop(live);
        let staging = staging_path(&parent, &name, std::process::id());
        let journal = journal_path(&staging);
        // Under the lock no live run uses this pid's names: what is there was left by a dead
        // run whose pid this process now has (its lock file lost, or killed before recording it).
        clean_stale(&parent, &name, std::process::id());
        let left = |path: &Path, e: io::Error| {
            let why = if e.kind() == io::ErrorKind::AlreadyExists {
                "it was left by an earlier copysim run with this process id and holds what that run did not write; move it away".to_string()
            } else {
                e.to_string()
            };
            refuse(format!("cannot create {}: {why}", path.display()))
        };
        cleanup::unmark_committed();
        cleanup::create_registered(&journal, || start_journal(&journal, |f| f.write_all(JOURNAL_HEADER.as_bytes())))
            .map_err(|e| match e {
                JournalError::Create(e) => left(&journal, e),
                JournalError::Header(e) => refuse(format!("cannot write {}: {e}", journal.display())),
            })?;
        let made = cleanup::create_registered(&staging, || fs::create_dir(&staging)).map_err(|e| left(&staging, e));
        if let Err(e) = made {
            let _ = fs::remove_file(&journal);
            cleanup::unregister(&journal);
            return Err(e);
        }
        let out = OutputDir { target: abs, shown, staging, journal, lock: Some(lock), committed: false };
        if let Some(id) = folder_id(&out.staging) {
            out.note(&id.journal_line()).map_err(|source| OutputError::Write { shown: out.shown.clone(), source })?;
        }
        keep_access(&out.target, &out.staging);
        if mode == Mode::Update {
            out.seed_from_target().map_err(|source| OutputError::Write { shown: out.shown.clone(), source })?;
        }
        Ok(out)
    }

    /// The staging folder, where every file of the result is written.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The folder as the user named it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Notes in the journal that this run puts file `name` in its staging folder.
    fn note(&self, name: &str) -> io::Result<()> {
        let mut journal = fs::OpenOptions::new().append(true).open(&self.journal)?;
        journal.write_all(format!("{name}\n").as_bytes())
    }

    /// Creates (or replaces) file `name` in the staging folder, behind a 256 KiB buffer.
    pub fn create(&self, name: &str) -> io::Result<BufWriter<File>> {
        self.note(name)?;
        let path = self.staging.join(name);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        Ok(BufWriter::with_capacity(1 << 18, File::create_new(path)?))
    }

    /// Writes file `name` with `bytes` in the staging folder.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let io = || -> io::Result<()> {
            let mut f = self.create(name)?;
            f.write_all(bytes)?;
            f.flush()
        };
        io().map_err(|source| OutputError::Write { shown: format!("{}/{name}", self.shown), source })
    }

    /// Writes the marker, syncs every file, and swaps the staging folder in place of the target.
    pub fn commit(mut self, who: &RunIdentity) -> Result<(), OutputError> {
        let shown = self.shown.clone();
        self.finish(who).map_err(|e| match e {
            CommitError::Io(source) => OutputError::Write { shown, source },
            CommitError::Refused(reason) => OutputError::Refused { shown, reason },
        })
    }

    fn finish(&mut self, who: &RunIdentity) -> Result<(), CommitError> {
        let marker = Marker::of_folder(who, &self.staging)?;
        self.note(MARKER_FILE)?;
        fs::write(self.staging.join(MARKER_FILE), marker.to_bytes())?;
        for f in regular_files(&self.staging)? {
            File::open(self.staging.join(f))?.sync_all()?;
        }
        sync_dir(&self.staging);
        let mut held = cleanup::hold();
        let earlier = match fs::symlink_metadata(&self.target) {
            Ok(_) => {
                // It may have become a link or a file since `prepare` looked.
                check_target_kind(&self.target, Mode::Replace).map_err(CommitError::Refused)?;
                check_contents(&self.target, Mode::Replace).map_err(CommitError::Refused)?
            }
            Err(_) => Stamps::new(),
        };
        let swapped = swap::swap_in(&self.staging, &self.target)?;
        self.committed = true;
        cleanup::mark_committed();
        if swapped == swap::Swapped::Exchanged
            && let Some(left) = remove_earlier(&self.staging, &earlier, &self.target)
        {
            warn(&format!("the new result is in {}; {}", self.shown, left.message(&self.shown)));
        }
        // Forgotten before the signal cleanup may run again: after the swap the staging path
        // holds the earlier result, or nothing — or, when it could not be moved aside, what a
        // user put into it, which a signal must not remove.
        held.retain(|p| p != &self.staging);
        drop(held);
        if let Some(parent) = self.target.parent() {
            sync_dir(parent);
        }
        Ok(())
    }

    /// Update mode: the staging folder starts with the target's files (hard links where possible;
    /// [`OutputDir::create`] unlinks before writing, so a linked original is never modified).
    fn seed_from_target(&self) -> io::Result<()> {
        for f in regular_files(&self.target)? {
            if f == MARKER_FILE {
                continue;
            }
            self.note(&f)?;
            let (from, to) = (self.target.join(&f), self.staging.join(&f));
            if fs::hard_link(&from, &to).is_err() {
                fs::copy(&from, &to)?;
            }
        }
        Ok(())
    }
}

/// A run streams its report files straight into the staging folder, each noted in the journal
/// before it is created and behind a 256 KiB buffer.
impl crate::report::Sink for OutputDir {
    fn create(&mut self, name: &str) -> io::Result<Box<dyn Write>> {
        Ok(Box::new(OutputDir::create(self, name)?))
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
        let _ = fs::remove_file(&self.journal);
        cleanup::unregister(&self.staging);
        cleanup::unregister(&self.journal);
        drop(self.lock.take()); // forgets its path for signal cleanup as it removes it
    }
}

/// Why a staging journal could not be started.
#[derive(Debug)]
enum JournalError {
    /// The file could not be created (or one is there already).
    Create(io::Error),
    /// It was created but its header could not be written (a full disk); it was removed again.
    Header(io::Error),
}

/// Creates the journal at `path` and writes its header with `header`. A journal whose header
/// cannot be written is removed at once: no later run would know to (the lock file, which
/// names this run's pid, is removed when the run ends with the error).
fn start_journal(path: &Path, header: impl FnOnce(&mut File) -> io::Result<()>) -> Result<(), JournalError> {
    let mut file = File::create_new(path).map_err(JournalError::Create)?;
    header(&mut file).map_err(|e| {
        drop(file);
        let _ = fs::remove_file(path);
        JournalError::Header(e)
    })
}

enum CommitError {
    Io(io::Error),
    Refused(String),
}

impl From<io::Error> for CommitError {
    fn from(e: io::Error) -> Self {
        CommitError::Io(e)
    }
}

/// An absolute path whose last component names the folder itself (`.` and `..` resolved).
fn plain_path(target: &Path) -> Result<PathBuf, String> {
    if target.as_os_str().is_empty() {
        return Err("an empty path is not a folder name".to_string());
    }
    let abs = std::path::absolute(target).map_err(|e| format!("cannot resolve the path: {e}"))?;
    // Rebuilt from its components: a trailing `/` (or `/.`) makes the OS follow a symbolic link
    // the path's last name is, so `lnk/` would pass as the folder it points to, and be refused
    // only at the swap, after the whole simulation.
    let abs: PathBuf = abs.components().collect();
    let abs = match abs.components().next_back() {
        Some(Component::Normal(_)) => abs,
        _ => fs::canonicalize(&abs).map_err(|e| format!("cannot resolve the path: {e}"))?,
    };
    if let (Ok(cwd), Ok(real)) = (std::env::current_dir(), fs::canonicalize(&abs))
        && cwd.starts_with(&real)
    {
        return Err(format!(
            "it is the current folder or holds it; copysim writes its results into a folder of \
             their own (a run's or sweep's: --out {})",
            Path::new("outputs").join("my-run").display()
        ));
    }
    Ok(abs)
}

/// The longest folder name copysim can stage beside: `.NAME.copysim-staging-PID` and its
/// `.aside` and `.files` siblings must fit in 255 bytes, for any pid up to 10 digits.
pub const NAME_BYTES_MAX: usize = 255 - ".".len() - ".copysim-staging-".len() - 10 - ".files".len();

/// What is wrong with `name` as the name of a run's or sweep's output folder, if anything: the
/// one check scenario and sweep validation share.
pub fn folder_name_problem(name: &str) -> Option<String> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !plain {
        return Some("expected a name of letters, digits, '-', '_' or '.' (it names the output folder)".to_string());
    }
    (name.len() > NAME_BYTES_MAX).then(|| {
        format!(
            "the name is {} characters long; it names the output folder, where at most {NAME_BYTES_MAX} fit",
            name.len()
        )
    })
}

fn split(abs: &Path) -> Result<(PathBuf, String), String> {
    match (abs.parent(), abs.file_name()) {
        (Some(_), Some(name)) if name.len() > NAME_BYTES_MAX => Err(format!(
            "the folder's name is {} bytes long; copysim stages a result beside it under a longer name, so at most \
             {NAME_BYTES_MAX} bytes fit: choose a shorter name",
            name.len()
        )),
        (Some(parent), Some(name)) => Ok((parent.to_path_buf(), name.to_string_lossy().into_owned())),
        _ => Err("the root folder cannot be an output folder".to_string()),
    }
}

/// An existing target must be one copysim can swap out and empty: not a mount point, writable,
/// and movable out of a sticky parent — found now, not after the simulation.
#[cfg(unix)]
fn check_replaceable(abs: &Path, parent: &Path, mode: Mode) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let Ok(target) = fs::symlink_metadata(abs) else { return Ok(()) };
    let up = fs::metadata(parent).map_err(|e| format!("cannot look at {}: {e}", parent.display()))?;
    if target.dev() != up.dev() || is_mount_root(abs) {
        return Err("it is a mount point; copysim replaces its output folder as a whole and cannot move a mount. \
                    Give a folder inside it with --out"
            .to_string());
    }
    let access = rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK;
    if let Err(e) = rustix::fs::access(abs, access) {
        return Err(not_replaceable(abs, mode, &e.to_string()));
    }
    let me = rustix::process::geteuid().as_raw();
    if up.mode() & 0o1000 != 0 && me != 0 && target.uid() != me && up.uid() != me {
        return Err(format!(
            "it belongs to another user and {} is sticky (like /tmp), so copysim may not replace it; \
             choose another folder with --out",
            parent.display()
        ));
    }
    Ok(())
}

/// Whether `path` is where a file system is mounted — also a folder bound onto itself (`mount
/// --bind d d`, common for container volumes), which has its parent's device number. The
/// kernel says so through `statx` (Linux 5.8 and later); older ones, not at all.
#[cfg(target_os = "linux")]
fn is_mount_root(path: &Path) -> bool {
    use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
    statx(CWD, path, AtFlags::NO_AUTOMOUNT | AtFlags::SYMLINK_NOFOLLOW, StatxFlags::empty()).is_ok_and(|x| {
        x.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
            && x.stx_attributes.contains(StatxAttributes::MOUNT_ROOT)
    })
}

#[cfg(all(unix, not(target_os = "linux")))]
fn is_mount_root(_path: &Path) -> bool {
    false
}

/// Why a folder copysim may not write in (read-only, immutable) cannot be replaced, in the
/// words of what it holds and of the command: `chart` has no `--out`, and an empty folder has
/// no earlier result.
#[cfg(unix)]
fn not_replaceable(abs: &Path, mode: Mode, why: &str) -> String {
    let empty = fs::read_dir(abs).is_ok_and(|mut entries| entries.next().is_none());
    match mode {
        Mode::Update => format!(
            "copysim cannot write in this result's folder ({why}), and `chart` replaces the folder as a whole; \
             make it writable, or run the scenario again into another folder"
        ),
        Mode::Replace if empty => format!(
            "copysim cannot write in this folder ({why}), and it replaces its output folder as a whole; \
             make it writable, or choose another folder with --out"
        ),
        Mode::Replace => {
            format!("copysim could not remove the earlier result's files ({why}); choose another folder with --out")
        }
    }
}

#[cfg(not(unix))]
fn check_replaceable(_abs: &Path, _parent: &Path, _mode: Mode) -> Result<(), String> {
    Ok(())
}

fn check_target_kind(abs: &Path, mode: Mode) -> Result<(), String> {
    match fs::symlink_metadata(abs) {
        Ok(m) if m.file_type().is_symlink() => {
            Err("it is a symbolic link; copysim replaces its output folder as a whole and would replace the link, \
             not the folder it points to. Give the real folder's path"
                .to_string())
        }
        Ok(m) if !m.is_dir() => Err("it exists and is not a folder; nothing was written".to_string()),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound && mode == Mode::Update => {
            Err("no such folder; give the output folder of an earlier `copysim run`".to_string())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot look at it: {e}")),
    }
}

/// Prints a warning to stderr, ignoring any write error (a closed pipe, a full disk behind
/// `2> log`): the result is in place by then, and `eprintln!` would panic with exit 101.
fn warn(message: &str) {
    use std::io::Write;
    let _ = writeln!(io::stderr(), "warning: {message}");
}

/// A folder a single file is written into (`import --out FILE`'s): it exists, is a folder, and
/// is not a copysim result nor inside one — a file added to a result makes it one copysim
/// neither replaces nor redraws, as a folder added to it does.
pub fn check_file_folder(dir: &Path) -> Result<(), String> {
    check_parent(dir, false)?;
    check_not_inside_a_result(dir, dir, Mode::Replace)
}

/// The output folder may not be inside a copysim result (a folder holding a marker, however far
/// up): a folder added to a result makes it one copysim neither replaces nor redraws.
fn check_not_inside_a_result(parent: &Path, target: &Path, mode: Mode) -> Result<(), String> {
    let real = fs::canonicalize(parent).map_err(|e| format!("cannot resolve {}: {e}", parent.display()))?;
    let Some(result) = real.ancestors().find(|dir| Marker::read(dir).is_some()) else { return Ok(()) };
    // `copysim chart` takes the result folder itself, and has no --out: name that folder.
    if mode == Mode::Update {
        let what = if fs::symlink_metadata(target).is_ok_and(|m| !m.is_dir()) { "a file" } else { "a folder" };
        return Err(format!(
            "{what} inside {}, a copysim result; give the result folder itself: copysim chart {}",
            result.display(),
            result.display()
        ));
    }
    Err(format!(
        "it is inside {}, a copysim result (it holds a `{MARKER_FILE}` marker); a folder added to a result \
         makes it one copysim will neither replace nor redraw. Choose a folder outside it with --out",
        result.display()
    ))
}

fn check_parent(parent: &Path, create: bool) -> Result<(), String> {
    match fs::metadata(parent) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!("{} is not a folder", parent.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound && create => {
            fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(format!("the folder {} does not exist; create it first, or choose another --out", parent.display()))
        }
        Err(e) => Err(format!("cannot look at {}: {e}", parent.display())),
    }
}

/// Whether every one of `names` is listed in `dir`'s marker: files copysim wrote and someone
/// changed since (their digests no longer match), not files copysim never wrote.
fn edited(dir: &Path, names: &[String]) -> bool {
    Marker::read(dir).is_some_and(|m| {
        let listed = m.names();
        names.iter().all(|n| n != MARKER_FILE && listed.contains(&n.as_str()))
    })
}

/// Checks what the folder at `abs` holds; when it may be replaced, returns the [`Stamps`] of the
/// earlier result's files (empty when there is none), to tell them after the swap from files
/// added or changed since.
fn check_contents(abs: &Path, mode: Mode) -> Result<Stamps, String> {
    let (contents, stamps) = match marker::classify_stamped(abs) {
        Ok(c) => c,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Stamps::new()),
        Err(e) => return Err(format!("cannot list the folder: {e}")),
    };
    match (contents, mode) {
        (Contents::CopysimRun(_), _) | (Contents::Empty, Mode::Replace) => Ok(stamps),
        (Contents::Empty, Mode::Update) => Err("the folder is empty; it holds no copysim result".to_string()),
        (Contents::Foreign(names), Mode::Update) if edited(abs, &names) => Err(format!(
            "{} changed since copysim wrote it (its `{MARKER_FILE}` marker records each file's digest), so \
             copysim will not take it as its own; run the scenario again to write a fresh result",
            names.join(", ")
        )),
        (Contents::Foreign(names), Mode::Update) => Err(format!(
            "not a copysim result folder (no `{MARKER_FILE}` marker listing {}); run the scenario again to write one",
            names.join(", ")
        )),
        (Contents::Foreign(names), Mode::Replace) => Err(format!(
            "the folder holds files copysim did not write ({}); copysim only replaces an empty folder or one an \
             earlier copysim run wrote (with its `{MARKER_FILE}` marker), so nothing was touched. Choose a new or \
             empty folder with --out",
            names.join(", ")
        )),
    }
}

/// Where an earlier result that could not be removed entirely was left, and why.
#[derive(Debug)]
struct Left {
    place: PathBuf,
    why: String,
    /// Only copysim's own files are in it: a later run into the target removes it.
    retried: bool,
}

impl Left {
    /// The warning's words after "the new result is in `shown`; ".
    fn message(&self, shown: &str) -> String {
        let later =
            if self.retried { format!("; the next run into {shown} removes it once it can") } else { String::new() };
        format!("the earlier one {}, so it was left in {}{later}", self.why, self.place.display())
    }
}

/// The hidden folder an earlier result of `name` is left in when only copysim's own files in it
/// resisted removal ([`clean_earlier`] removes it on a later run).
fn earlier_path(parent: &Path, name: &str, pid: u32) -> PathBuf {
    parent.join(format!(".{name}.copysim-earlier-{pid}"))
}

/// Removes from `dir` the files of `stamps` that still carry the stamp a check gave them — the
/// very files copysim wrote and the check hashed, neither edited nor replaced since — and then,
/// once all of them are gone, the marker. Returns those that could not be removed, and why.
fn remove_stamped(dir: &Path, stamps: &Stamps, unlink: &dyn Fn(&Path) -> io::Result<()>) -> Vec<(String, io::Error)> {
    let mut stuck = Vec::new();
    let unchanged = |f: &str, stamp: &Stamp| Stamp::at(&dir.join(f)).as_ref() == Some(stamp);
    for (f, stamp) in stamps.iter().filter(|(f, _)| *f != MARKER_FILE) {
        if unchanged(f, stamp)
            && let Err(e) = unlink(&dir.join(f))
        {
            stuck.push((f.clone(), e));
        }
    }
    if stuck.is_empty()
        && let Some(stamp) = stamps.get(MARKER_FILE)
        && unchanged(MARKER_FILE, stamp)
        && let Err(e) = unlink(&dir.join(MARKER_FILE))
    {
        stuck.push((MARKER_FILE.to_string(), e));
    }
    stuck
}

/// Removes the earlier result of `target`, at `old` after the exchange: only the files the last
/// check vouched for (`stamps`), if still the same files, and the marker. Anything else landed
/// in it or was changed after the last check: copysim did not write it, so it is left, in
/// `<target>.earlier-<pid>` beside the target (or at `old` if that cannot be made). When only
/// copysim's own files resist removal (a read-only or immutable file, an I/O error), the folder
/// goes to the hidden `.<name>.copysim-earlier-<pid>`, which a later run removes.
fn remove_earlier(old: &Path, stamps: &Stamps, target: &Path) -> Option<Left> {
    remove_earlier_with(old, stamps, target, &|p| fs::remove_file(p))
}

fn remove_earlier_with(
    old: &Path,
    stamps: &Stamps,
    target: &Path,
    unlink: &dyn Fn(&Path) -> io::Result<()>,
) -> Option<Left> {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = target.parent().unwrap_or(Path::new("."));
    let pid = std::process::id();
    let visible = target.with_file_name(format!("{name}.earlier-{pid}"));
    let leave = |to: PathBuf, why: String, retried: bool| match swap::move_aside(old, &to) {
        Ok(()) => Left { place: to, why, retried },
        Err(_) => Left { place: old.to_path_buf(), why, retried: false },
    };
    if !fs::symlink_metadata(old).is_ok_and(|m| m.is_dir()) {
        // The target's name was made a symbolic link (or a file) after the last check: removing
        // "its" files would remove those of whatever it points to. Nothing is removed through it.
        let why = "was no longer a folder at the swap (a symbolic link or a file put there during the run); \
                   nothing was removed through it";
        return Some(leave(visible, why.to_string(), false));
    }
    let stuck = remove_stamped(old, stamps, unlink);
    let rmdir = match fs::remove_dir(old) {
        Ok(()) => return None,
        Err(e) => e,
    };
    let listed: io::Result<Vec<String>> =
        fs::read_dir(old).and_then(|d| d.map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned())).collect());
    let mut left = match listed {
        Ok(left) => left,
        Err(e) => {
            let why = format!("could not be removed ({rmdir}) nor listed ({e})");
            return Some(leave(visible, why, false));
        }
    };
    left.sort();
    let kept_marker = !stuck.is_empty();
    // NFS keeps a removed file that another program still has open as `.nfsXXXX` until it is
    // closed: one of copysim's own, not a user's.
    let still_open = |n: &str| n.starts_with(".nfs");
    let others: Vec<&String> = left
        .iter()
        .filter(|n| {
            !(stuck.iter().any(|(s, _)| s == *n) || (kept_marker && n.as_str() == MARKER_FILE) || still_open(n))
        })
        .collect();
    let mut reasons: Vec<String> = stuck.iter().take(5).map(|(f, e)| format!("{f}: {e}")).collect();
    reasons
        .extend(left.iter().filter(|n| still_open(n)).take(5).map(|n| format!("{n}: still open in another program")));
    if others.is_empty() {
        if reasons.is_empty() {
            reasons.push(rmdir.to_string());
        }
        let why = format!("could not be removed ({})", reasons.join("; "));
        return Some(leave(earlier_path(parent, &name, pid), why, true));
    }
    let shown: Vec<&str> = others.iter().take(5).map(|n| n.as_str()).collect();
    let mut why =
        format!("held files copysim did not write ({}): added or changed after its last check", shown.join(", "));
    if !reasons.is_empty() {
        why += &format!(", and its own could not be removed ({})", reasons.join("; "));
    }
    Some(leave(visible, why, false))
}

/// Removes the earlier results of `name` a run left in `.<name>.copysim-earlier-<pid>` because
/// their files resisted removal then: each only while it holds nothing but a copysim marker and
/// the files it vouches for (or nothing), exactly what may replace an output folder. One
/// holding anything else is left alone; one that still resists is named.
fn clean_earlier(parent: &Path, name: &str) {
    let pid = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    for dir in leftovers(parent, &format!(".{name}.copysim-earlier-"), pid) {
        if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let stamps = match marker::classify_stamped(&dir) {
            Ok((Contents::CopysimRun(_) | Contents::Empty, stamps)) => stamps,
            _ => continue,
        };
        let stuck = remove_stamped(&dir, &stamps, &|p| fs::remove_file(p));
        let why = match (stuck.first(), fs::remove_dir(&dir)) {
            (_, Ok(())) => continue,
            (Some((f, e)), _) => format!("{f}: {e}"),
            (None, Err(e)) => e.to_string(),
        };
        warn(&format!(
            "{} holds an earlier result of {name} that copysim could not remove ({why}); it tries again on the next run",
            dir.display()
        ));
    }
}

/// What killed runs may have left beside a target in `parent`: the entries named `prefix`
/// followed by a suffix `suffix` accepts (a pid), sorted. The caller holds the target's lock, so
/// no live copysim run is using them; it removes only those its content checks show are its own.
pub fn leftovers(parent: &Path, prefix: &str, suffix: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().strip_prefix(prefix).is_some_and(&suffix))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Cleans what the run `pid` left for `name` when it died holding the lock this run took
/// over: from its staging folder (and its `.aside`, see [`swap`]) the files its journal names —
/// only while that folder is the one the journal records (device and inode): a run killed after
/// its swap left the earlier result at that path, where a file a user changed after the last
/// check may carry one of those names — and, where a copysim marker is in that folder (an
/// earlier result caught mid-swap), the files the marker vouches for (size and SHA-256); then
/// the folder if that emptied it, and the journal. Anything else stays, and the run says where. Folders named like copysim's but of
/// another pid are left alone: nothing says copysim made them.
fn clean_stale(parent: &Path, name: &str, pid: u32) {
    let staging = staging_path(parent, name, pid);
    let journal = journal_path(&staging);
    // A run killed while writing its journal's header leaves a part of it (or nothing): that
    // journal names no file, and is removed.
    let journaled: Option<Vec<String>> = fs::symlink_metadata(&journal)
        .is_ok_and(|m| m.is_file() && m.len() <= MAX_JOURNAL_BYTES)
        .then(|| fs::read_to_string(&journal).ok())
        .flatten()
        .and_then(|text| match text.strip_prefix(JOURNAL_HEADER) {
            Some(rest) => Some(rest.lines().map(str::to_string).collect()),
            None => JOURNAL_HEADER.starts_with(text.as_str()).then(Vec::new),
        });
    // The journal names the staging folder itself: a run killed after its swap left the earlier
    // result at that path (or at `.aside`), another folder, which its names do not apply to.
    let folder = journaled.as_ref().and_then(|lines| lines.iter().find_map(|l| FolderId::parse(l)));
    for suffix in ["", ".aside"] {
        let mut path = staging.clone().into_os_string();
        path.push(suffix);
        let path = PathBuf::from(path);
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let own = folder.is_none_or(|id| folder_id(&path) == Some(id));
        let mut ours: Vec<String> = if own { journaled.clone().unwrap_or_default() } else { Vec::new() };
        if let Some(marker) = Marker::read(&path) {
            ours.extend(marker.files.iter().filter(|f| marker.vouches_for(&path, &f.name)).map(|f| f.name.clone()));
            ours.push(MARKER_FILE.to_string());
        }
        for f in &ours {
            if is_plain_name(f) && fs::symlink_metadata(path.join(f)).is_ok_and(|m| m.is_file()) {
                let _ = fs::remove_file(path.join(f));
            }
        }
        if fs::remove_dir(&path).is_err() && fs::symlink_metadata(&path).is_ok() {
            warn(&format!(
                "{} was left by a copysim run that died (pid {pid}), but holds files that run did not write; it was left in place",
                path.display()
            ));
        }
    }
    if journaled.is_some() {
        let _ = fs::remove_file(&journal);
    }
}

/// Which folder is which on disk, whatever its name: its device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FolderId {
    dev: u64,
    ino: u64,
}

/// The journal line that names the staging folder itself: no file name holds a `/`.
const JOURNAL_FOLDER: &str = "/folder ";

impl FolderId {
    fn journal_line(self) -> String {
        format!("{JOURNAL_FOLDER}{} {}", self.dev, self.ino)
    }

    fn parse(line: &str) -> Option<FolderId> {
        let (dev, ino) = line.strip_prefix(JOURNAL_FOLDER)?.split_once(' ')?;
        Some(FolderId { dev: dev.parse().ok()?, ino: ino.parse().ok()? })
    }
}

/// The [`FolderId`] of the folder at `path` (links not followed); none where the OS gives none.
#[cfg(unix)]
fn folder_id(path: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path).ok().filter(fs::Metadata::is_dir).map(|m| FolderId { dev: m.dev(), ino: m.ino() })
}

#[cfg(not(unix))]
fn folder_id(_path: &Path) -> Option<FolderId> {
    None
}

/// Gives the staging folder the permissions and group of the folder it will replace, if any: a
/// result folder a user closed to others (`chmod 700`) or shared with a group stays so when a
/// rerun replaces it, rather than taking the umask's defaults. Best effort: what the OS refuses
/// (a group this user is not in) stays as made.
#[cfg(unix)]
fn keep_access(target: &Path, staging: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(was) = fs::symlink_metadata(target) else { return };
    if !was.is_dir() {
        return;
    }
    if fs::symlink_metadata(staging).is_ok_and(|m| m.gid() != was.gid()) {
        let _ = std::os::unix::fs::chown(staging, None, Some(was.gid()));
    }
    let _ = fs::set_permissions(staging, was.permissions());
}

#[cfg(not(unix))]
fn keep_access(_target: &Path, _staging: &Path) {}

/// A journal is a header and a few short names: anything larger at its path is not one.
const MAX_JOURNAL_BYTES: u64 = 1 << 20;

/// A file name inside the staging folder: no separator, not `.` or `..`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

fn regular_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            files.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    files.sort();
    Ok(files)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests;
