//! Atomic output: every file is written into a temporary sibling folder, which replaces the
//! target folder only once complete, so an interrupted run never leaves a half-written file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Report;

fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    dir.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Writes `report` into `dir`, replacing what was there only once every file is complete.
pub fn write_atomically(dir: &Path, report: &Report) -> io::Result<()> {
    into_folder_atomically(
        dir,
        |e| e,
        |tmp| {
            for (name, bytes) in &report.files {
                let mut f = fs::File::create(tmp.join(name))?;
                f.write_all(bytes)?;
                f.sync_all()?;
            }
            Ok(())
        },
    )
}

/// Lets `fill` write files into a fresh temporary sibling folder of `dir`, which then replaces
/// `dir` whole; on any error the temporary folder is removed and `dir` left as it was.
/// (A thin adapter until the staging-folder API takes over: `fill` is the streaming run.)
pub fn into_folder_atomically<T, E>(
    dir: &Path,
    io_error: impl Fn(io::Error) -> E,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, E> {
    if dir.exists() && !dir.is_dir() {
        let e = io::Error::new(io::ErrorKind::AlreadyExists, "it exists and is not a folder; nothing was written");
        return Err(io_error(e));
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(&io_error)?;
    }
    let tmp = sibling(dir, "partial");
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir(&tmp).map_err(&io_error)?;
    let result = fill(&tmp).and_then(|v| {
        let swap = || {
            sync_files(&tmp)?;
            let old = sibling(dir, "old");
            let had_old = dir.exists();
            if had_old {
                fs::rename(dir, &old)?;
            }
            fs::rename(&tmp, dir)?;
            if had_old {
                fs::remove_dir_all(&old)?;
            }
            Ok(v)
        };
        swap().map_err(&io_error)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Flushes every file of `dir` to disk before the folder is swapped in.
fn sync_files(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() {
            fs::File::open(&path)?.sync_all()?;
        }
    }
    Ok(())
}
