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
    if dir.exists() && !dir.is_dir() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, "it exists and is not a folder; nothing was written"));
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let tmp = sibling(dir, "partial");
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir(&tmp)?;
    let result = (|| {
        for (name, bytes) in &report.files {
            let mut f = fs::File::create(tmp.join(name))?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        let old = sibling(dir, "old");
        let had_old = dir.exists();
        if had_old {
            fs::rename(dir, &old)?;
        }
        fs::rename(&tmp, dir)?;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}
