//! `copysim import aws-ebs|oci FILE.json`: a scenario from a real inventory, with comments saying
//! what was inferred. Printed to stdout, or written to a new file with `--out`.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{CliError, out};
use crate::import::{self, Choices, Inventory, json};
use crate::output::cleanup;
use crate::output::lock::{FolderLock, LockError};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which inventory format.
    #[command(subcommand)]
    pub source: Source,
}

/// The inventory formats.
#[derive(Debug, clap::Subcommand)]
pub enum Source {
    /// The JSON of `aws ec2 describe-volumes` (and optionally `aws ec2 describe-snapshots`).
    #[command(name = "aws-ebs")]
    AwsEbs {
        /// describe-volumes output.
        volumes: PathBuf,
        /// describe-snapshots output: the schedule interval and change rates are inferred from it.
        #[arg(long)]
        snapshots: Option<PathBuf>,
        /// The planner's choices.
        #[command(flatten)]
        choices: ChoiceArgs,
    },
    /// The JSON of `oci bv volume list`.
    Oci {
        /// volume list output.
        volumes: PathBuf,
        /// The planner's choices.
        #[command(flatten)]
        choices: ChoiceArgs,
    },
}

/// What the inventory cannot say: the schedule, the copy targets, the span.
#[derive(Debug, clap::Args)]
pub struct ChoiceArgs {
    /// Scenario name (default `imported-aws-ebs` / `imported-oci`).
    #[arg(long)]
    pub name: Option<String>,
    /// Simulated start, RFC 3339.
    #[arg(long, default_value = "2026-01-05T00:00:00Z")]
    pub start: String,
    /// How long to simulate.
    #[arg(long, default_value = "30d")]
    pub horizon: String,
    /// Backup interval (default: inferred from `aws-ebs --snapshots` when given, else 1d).
    #[arg(long)]
    pub every: Option<String>,
    /// Copy every backup to this region (repeatable, or comma-separated).
    #[arg(long = "copy-to", value_delimiter = ',')]
    pub copy_to: Vec<String>,
    /// Keep backups and copies this many days.
    #[arg(long)]
    pub retention_days: Option<u32>,
    /// Bandwidth of each source → copy-target link, e.g. "1Gbps" (default: the provider's).
    #[arg(long)]
    pub bandwidth: Option<String>,
    /// Account name (default: read from the inventory where it says).
    #[arg(long)]
    pub account: Option<String>,
    /// Write the scenario to this new file (an existing file is never overwritten).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn read_json(path: &Path) -> Result<(String, serde_json::Value), CliError> {
    let label = path.display().to_string();
    let file = crate::scenario::source::open_regular(path)
        .map_err(|e| CliError::Input(format!("{label}: cannot read it: {e}")))?;
    let mut bytes = Vec::new();
    file.take(json::MAX_INVENTORY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Input(format!("{label}: cannot read it: {e}")))?;
    if bytes.len() as u64 > json::MAX_INVENTORY_BYTES {
        return Err(CliError::Input(format!(
            "{label}: larger than {} MiB; split the inventory",
            json::MAX_INVENTORY_BYTES >> 20
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| CliError::Input(format!("{label}: not UTF-8 text: {e}")))?;
    let value = json::parse(&label, &text).map_err(|e| CliError::Input(e.to_string()))?;
    Ok((label, value))
}

/// Runs the subcommand.
pub fn exec(args: Args) -> Result<(), CliError> {
    let input = |e: json::JsonError| CliError::Input(e.to_string());
    let (inventory, choices, source, default_name) = match args.source {
        Source::AwsEbs { volumes, snapshots, choices } => {
            let (vlabel, vdoc) = read_json(&volumes)?;
            let snaps = snapshots.as_deref().map(read_json).transpose()?;
            let inv = import::aws_ebs::read(
                (&vlabel, &vdoc),
                snaps.as_ref().map(|(l, d)| (l.as_str(), d)),
                choices.account.as_deref(),
            )
            .map_err(input)?;
            (inv, choices, vlabel, "imported-aws-ebs")
        }
        Source::Oci { volumes, choices } => {
            let (label, doc) = read_json(&volumes)?;
            let inv = import::oci::read(&label, &doc, choices.account.as_deref()).map_err(input)?;
            (inv, choices, label, "imported-oci")
        }
    };
    if inventory.volumes.len() > json::MAX_IMPORT_VOLUMES {
        return Err(CliError::Input(format!(
            "{source}: {} volumes, more than the {} one import may bring; split the inventory by region or account",
            inventory.volumes.len(),
            json::MAX_IMPORT_VOLUMES
        )));
    }
    let text = render(&inventory, &choices, &source, default_name)?;
    match &choices.out {
        Some(path) => write_new(path, &text),
        None => {
            out(&text);
            Ok(())
        }
    }
}

fn render(inv: &Inventory, args: &ChoiceArgs, source: &str, default_name: &str) -> Result<String, CliError> {
    if let Some((_, twice)) = args.copy_to.iter().enumerate().find(|(i, r)| args.copy_to[..*i].contains(r)) {
        return Err(CliError::Input(format!(
            "--copy-to {twice}: the region is given twice; give each copy target once"
        )));
    }
    let choices = Choices {
        name: args.name.clone().unwrap_or_else(|| default_name.to_string()),
        start: args.start.clone(),
        horizon: args.horizon.clone(),
        every: args.every.clone(),
        copy_to: args.copy_to.clone(),
        retention_days: args.retention_days,
        bandwidth: args.bandwidth.clone(),
    };
    if let Some(message) = import::regions_past_limit(inv, &choices, source) {
        return Err(CliError::Input(message));
    }
    let imported = import::scenario(inv, &choices, source);
    // A mistake is named where it can be fixed: the flag, or the inventory's JSON path and
    // volume id (the scenario text is not written anywhere yet).
    if let Err(e) = crate::scenario::parse(&imported.text, "<imported scenario>") {
        let errors = e.errors();
        if errors.is_empty() {
            return Err(CliError::Input(e.to_string()));
        }
        let max = crate::scenario::RENDERED_ERRORS_MAX;
        let lines: Vec<String> = errors.iter().take(max).map(|e| imported.explain(inv, source, e)).collect();
        let mut text = lines.join("\nerror: ");
        if errors.len() > max {
            text.push_str(&format!("\n… and {} more mistakes", errors.len() - max));
        }
        return Err(CliError::Input(text));
    }
    Ok(imported.text)
}

/// Writes `text` to `path`, which must not exist: a temporary file beside it is linked into
/// place, so a concurrent writer or an existing file is never overwritten. The temporary file
/// is created new (`O_EXCL`: nothing already at its name is written through, not even a link)
/// under a name no one can guess ahead (`.<name>.copysim-import-<pid>-<random>`), and removed on
/// every exit path but SIGKILL. For what a SIGKILL leaves, the writer holds the lock
/// `.<name>.copysim-import-lock` (as a run holds its output folder's) and, under it, removes the
/// temporary files of `path` no live import is writing ([`stale_temporary_files`]).
fn write_new(path: &Path, text: &str) -> Result<(), CliError> {
    let shown = path.display();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "scenario".into());
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    crate::output::check_file_folder(dir).map_err(|why| CliError::Input(format!("--out {shown}: {why}")))?;
    let lock_path = dir.join(format!(".{name}.{TEMP_INFIX}lock"));
    let mut lock = cleanup::create_registered(&lock_path, || FolderLock::acquire(&lock_path)).map_err(|e| match e {
        LockError::Busy(pid) => CliError::Input(format!(
            "--out {shown}: another copysim import is writing it ({})",
            pid.map_or("pid unknown".to_string(), |p| format!("pid {p}"))
        )),
        LockError::Io(e) => {
            CliError::Input(format!("--out {shown}: cannot write beside it ({}): {e}", lock_path.display()))
        }
        LockError::Foreign(why) => CliError::Input(format!("--out {shown}: {why}")),
    })?;
    for stale in stale_temporary_files(dir, &name) {
        let _ = std::fs::remove_file(stale);
    }
    // What killed imports left is gone: the lock file is removed when this import ends (a lock
    // naming dead runs would outlive it, for the next to clean after them).
    let _ = lock.cleaned();
    let result = write_locked(path, dir, &name, text);
    drop(lock);
    result?;
    super::note(&format!("wrote {shown}"));
    Ok(())
}

/// The part of a temporary file's name after `.<name>.`.
const TEMP_INFIX: &str = "copysim-import-";

/// The first line of every scenario `import` writes.
const IMPORT_HEADER: &[u8] = b"# Imported by `copysim import`";

/// The temporary files beside `dir/name` that killed imports left: named
/// `.<name>.copysim-import-<suffix>` (`<pid>-<random>`, or an earlier version's `<random>`),
/// regular files (a link is never followed nor removed), empty or starting with the import's
/// header. Called under the lock, when no live import of `name` is writing one.
pub fn stale_temporary_files(dir: &Path, name: &str) -> Vec<std::path::PathBuf> {
    let suffix = |s: &str| s != "lock" && !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let ours = |p: &Path| {
        let Ok(m) = std::fs::symlink_metadata(p) else { return false };
        let mut start = Vec::with_capacity(IMPORT_HEADER.len());
        m.is_file()
            && (m.len() == 0
                || crate::scenario::source::open_regular(p)
                    .and_then(|f| f.take(IMPORT_HEADER.len() as u64).read_to_end(&mut start))
                    .is_ok_and(|_| start == IMPORT_HEADER))
    };
    crate::output::leftovers(dir, &format!(".{name}.{TEMP_INFIX}"), suffix).into_iter().filter(|p| ours(p)).collect()
}

/// [`write_new`]'s writing, under the lock.
fn write_locked(path: &Path, dir: &Path, name: &str, text: &str) -> Result<(), CliError> {
    let shown = path.display();
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(CliError::Input(format!(
            "--out {shown}: it exists; copysim never overwrites a file, choose a new name"
        )));
    }
    let prefix = format!(".{name}.{TEMP_INFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        // A scenario is an ordinary file: readable as the umask allows, not the 0600 of a
        // temporary file.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let result = (|| {
        // Made and registered for signal cleanup in one step, like a staging folder.
        let mut live = cleanup::hold();
        let tmp = builder.tempfile_in(dir)?;
        live.push(tmp.path().to_path_buf());
        drop(live);
        let written =
            std::io::Write::write_all(&mut tmp.as_file(), text.as_bytes()).and_then(|()| tmp.as_file().sync_all());
        // Linked into place, then removed and forgotten, in one step a signal cannot split: a
        // signal landing once the scenario is in place exits 0, as a run's does once its result
        // is (it used to exit 130 with the file written, so a script took the import for failed).
        let mut live = cleanup::hold();
        let written = written.and_then(|()| std::fs::hard_link(tmp.path(), path));
        if written.is_ok() {
            cleanup::mark_committed();
        }
        let made = tmp.path().to_path_buf();
        let _ = tmp.close();
        live.retain(|p| p != &made);
        written
    })();
    result.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => CliError::Input(format!("--out {shown}: it exists; choose a new name")),
        _ => CliError::Input(format!("--out {shown}: cannot write it: {e}")),
    })
}
