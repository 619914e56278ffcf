//! The `.copysim-run` marker: proof that copysim wrote a folder, and the list of files it wrote.

use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The marker's file name, inside every output folder copysim writes.
pub const MARKER_FILE: &str = ".copysim-run";

/// What the marker says. It holds no time or host, so a run's folder stays byte-identical.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// Always `"copysim"`.
    pub written_by: String,
    /// The copysim version that wrote the folder.
    pub version: String,
    /// What produced it: `run`, `sweep`, `merge`, ...
    pub kind: String,
    /// The scenario (or sweep) name.
    pub scenario: String,
    /// SHA-256 of the scenario text.
    pub scenario_sha256: String,
    /// The seed.
    pub seed: u64,
    /// Every file copysim wrote into the folder, sorted by name (the marker itself excluded),
    /// with its size and SHA-256: a folder is copysim's only if every entry is one of these,
    /// byte for byte, so a copied or hand-written marker cannot claim a user's file.
    pub files: Vec<MarkedFile>,
}

/// One file a run wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkedFile {
    /// File name (no folder part).
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the contents, lowercase hex.
    pub sha256: String,
}

/// SHA-256 of the file at `path`, streamed, lowercase hex.
pub fn digest(path: &Path) -> io::Result<String> {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    let mut file = fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = io::Read::read(&mut file, &mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn safe_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Who a marker is for: everything but the file list, which is read off the staging folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunIdentity {
    /// What produced the folder (`run`, `sweep`, ...).
    pub kind: String,
    /// The scenario (or sweep) name.
    pub scenario: String,
    /// SHA-256 of the scenario text.
    pub scenario_sha256: String,
    /// The seed.
    pub seed: u64,
}

impl Marker {
    /// A marker for `who` listing the regular files of `dir` (but the marker) with their digests.
    pub fn of_folder(who: &RunIdentity, dir: &Path) -> io::Result<Marker> {
        let mut files = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == MARKER_FILE || !entry.file_type()?.is_file() {
                continue;
            }
            let path = entry.path();
            files.push(MarkedFile { bytes: fs::metadata(&path)?.len(), sha256: digest(&path)?, name });
        }
        Ok(Marker::new(who, files))
    }

    /// A marker for `who` listing `files`.
    pub fn new(who: &RunIdentity, mut files: Vec<MarkedFile>) -> Marker {
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Marker {
            written_by: "copysim".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            kind: who.kind.clone(),
            scenario: who.scenario.clone(),
            scenario_sha256: who.scenario_sha256.clone(),
            seed: who.seed,
            files,
        }
    }

    /// The marker as written: pretty JSON with a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Reads the marker of `dir`; `None` when there is none or it is not a copysim marker.
    pub fn read(dir: &Path) -> Option<Marker> {
        let path = dir.join(MARKER_FILE);
        let meta = fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > 16 * 1024 * 1024 {
            return None;
        }
        let bytes = fs::read(&path).ok()?;
        let marker: Marker = serde_json::from_slice(&bytes).ok()?;
        (marker.written_by == "copysim" && marker.files.iter().all(|f| safe_name(&f.name))).then_some(marker)
    }

    /// The names of the files it lists.
    pub fn names(&self) -> Vec<&str> {
        self.files.iter().map(|f| f.name.as_str()).collect()
    }

    /// Whether `entry` (in `dir`) is a regular file this marker lists, with the same size and digest.
    pub(crate) fn vouches_for(&self, dir: &Path, entry: &str) -> bool {
        self.stamp_if_vouched(dir, entry).is_some()
    }

    /// The [`Stamp`] of `entry` (in `dir`), taken before its digest is compared, when it is a
    /// regular file this marker lists with the same size and digest.
    fn stamp_if_vouched(&self, dir: &Path, entry: &str) -> Option<Stamp> {
        let f = self.files.iter().find(|f| f.name == entry)?;
        let path = dir.join(entry);
        let meta = fs::symlink_metadata(&path).ok()?;
        (meta.is_file() && meta.len() == f.bytes && digest(&path).is_ok_and(|d| d == f.sha256))
            .then(|| Stamp::of(&meta))
    }
}

/// What identifies one file on disk as the one a check saw: its inode, size, and modification
/// and change times. A file written to in place (even to the same size), or replaced by another
/// under its name, no longer has the stamp it had; the change time cannot be set back by a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    bytes: u64,
    modified_ns: i128,
    changed_ns: i128,
}

impl Stamp {
    /// The stamp of the file `meta` describes (from `symlink_metadata`).
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            bytes: meta.len(),
            modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
            changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// The stamp of the file `meta` describes (from `symlink_metadata`).
    #[cfg(not(unix))]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let ns = |t: io::Result<std::time::SystemTime>| {
            t.ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as i128)
        };
        Stamp { dev: 0, ino: 0, bytes: meta.len(), modified_ns: ns(meta.modified()), changed_ns: ns(meta.created()) }
    }

    /// The stamp of the regular file at `path`, if there is one (links are not followed).
    pub fn at(path: &Path) -> Option<Stamp> {
        fs::symlink_metadata(path).ok().filter(fs::Metadata::is_file).map(|m| Stamp::of(&m))
    }
}

/// A folder's files as a check found them: each name the marker vouched for (and the marker
/// itself), with the [`Stamp`] taken before its digest was compared. A file whose stamp no
/// longer matches was changed or replaced after that check.
pub type Stamps = std::collections::BTreeMap<String, Stamp>;

/// What a folder holds, as far as replacing it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contents {
    /// Nothing at all.
    Empty,
    /// Only a copysim marker and files it lists.
    CopysimRun(Marker),
    /// Something copysim did not write: the first few such entries (folders end in `/`, links
    /// and special files say so).
    Foreign(Vec<String>),
}

/// Classifies `dir`'s entries; never follows symbolic links.
pub fn classify(dir: &Path) -> io::Result<Contents> {
    classify_stamped(dir).map(|(contents, _)| contents)
}

/// Classifies `dir`'s entries like [`classify`], and stamps the files the marker vouches for
/// (and the marker) as they are checked.
pub fn classify_stamped(dir: &Path) -> io::Result<(Contents, Stamps)> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let mut name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            name.push('/');
        } else if kind.is_symlink() {
            name.push_str(" (a symbolic link)");
        } else if !kind.is_file() {
            name.push_str(" (not a regular file)");
        }
        names.push(name);
    }
    names.sort();
    let mut stamps = Stamps::new();
    if names.is_empty() {
        return Ok((Contents::Empty, stamps));
    }
    // Stamped before it is read: a marker rewritten after this is not the one checked.
    let marker_stamp = Stamp::at(&dir.join(MARKER_FILE));
    let marker = Marker::read(dir);
    if let (Some(stamp), Some(_)) = (marker_stamp, &marker) {
        stamps.insert(MARKER_FILE.to_string(), stamp);
    }
    let mut foreign = Vec::new();
    for n in names {
        if n == MARKER_FILE {
            continue;
        }
        match marker.as_ref().and_then(|m| m.stamp_if_vouched(dir, &n)) {
            Some(stamp) => {
                stamps.insert(n, stamp);
            }
            None => foreign.push(n),
        }
    }
    let contents = match marker {
        Some(m) if foreign.is_empty() => Contents::CopysimRun(m),
        _ if foreign.is_empty() => Contents::Foreign(vec![MARKER_FILE.to_string()]),
        _ => Contents::Foreign(foreign.into_iter().take(5).collect()),
    };
    Ok((contents, stamps))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("copysim-marker-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn who() -> RunIdentity {
        RunIdentity { kind: "run".into(), scenario: "q".into(), scenario_sha256: "ab".into(), seed: 7 }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_or_special_file_is_named_in_words() {
        // `chart` refused with "no marker listing summary.json@", a stray `@` to the reader.
        let d = scratch("kinds");
        std::os::unix::fs::symlink("/nowhere", d.join("summary.json")).unwrap();
        let _socket = std::os::unix::net::UnixListener::bind(d.join("s")).unwrap();
        let Contents::Foreign(names) = classify(&d).unwrap() else { panic!("foreign") };
        assert_eq!(names, ["s (not a regular file)", "summary.json (a symbolic link)"]);
    }

    #[test]
    fn an_empty_folder_is_empty() {
        let d = scratch("empty");
        assert_eq!(classify(&d).unwrap(), Contents::Empty);
    }

    #[test]
    fn a_folder_holding_only_listed_files_is_a_copysim_run() {
        let d = scratch("run");
        fs::write(d.join("a.csv"), "x").unwrap();
        let m = Marker::of_folder(&who(), &d).unwrap();
        fs::write(d.join(MARKER_FILE), m.to_bytes()).unwrap();
        assert_eq!(classify(&d).unwrap(), Contents::CopysimRun(m));
    }

    #[test]
    fn a_listed_file_whose_contents_changed_is_the_users() {
        let d = scratch("changed");
        fs::write(d.join("a.csv"), "x").unwrap();
        fs::write(d.join(MARKER_FILE), Marker::of_folder(&who(), &d).unwrap().to_bytes()).unwrap();
        fs::write(d.join("a.csv"), "my edits").unwrap();
        assert_eq!(classify(&d).unwrap(), Contents::Foreign(vec!["a.csv".into()]));
    }

    #[test]
    fn a_forged_marker_cannot_claim_a_folder_or_a_users_file() {
        // A marker listing a sub-folder, or a file with a made-up digest, vouches for nothing.
        let d = scratch("forged-list");
        fs::create_dir(d.join("2025")).unwrap();
        fs::write(d.join("notes.txt"), "mine").unwrap();
        let forged = r#"{"written_by":"copysim","version":"0.1.0","kind":"run","scenario":"q","scenario_sha256":"x","seed":1,
            "files":[{"name":"notes.txt","bytes":4,"sha256":"00"}]}"#;
        fs::write(d.join(MARKER_FILE), forged).unwrap();
        assert_eq!(classify(&d).unwrap(), Contents::Foreign(vec!["2025/".into(), "notes.txt".into()]));
        let listing_a_folder = forged.replace("notes.txt\",\"bytes\":4", "2025/\",\"bytes\":0");
        fs::write(d.join(MARKER_FILE), listing_a_folder).unwrap();
        assert!(matches!(classify(&d).unwrap(), Contents::Foreign(_)));
    }

    #[test]
    fn a_file_the_marker_does_not_list_makes_the_folder_foreign() {
        let d = scratch("extra");
        let m = Marker::new(&who(), Vec::new());
        fs::write(d.join(MARKER_FILE), m.to_bytes()).unwrap();
        fs::write(d.join("notes.txt"), "mine").unwrap();
        fs::create_dir(d.join("2025")).unwrap();
        assert_eq!(classify(&d).unwrap(), Contents::Foreign(vec!["2025/".into(), "notes.txt".into()]));
    }

    #[test]
    fn a_marker_that_is_not_copysims_is_foreign() {
        let d = scratch("forged");
        fs::write(d.join(MARKER_FILE), "{\"files\": []}").unwrap();
        assert_eq!(classify(&d).unwrap(), Contents::Foreign(vec![MARKER_FILE.into()]));
    }

    #[test]
    fn the_marker_lists_files_sorted_and_holds_no_time() {
        let f = |n: &str| MarkedFile { name: n.into(), bytes: 1, sha256: "ab".into() };
        let m = Marker::new(&who(), vec![f("z.csv"), f("a.csv")]);
        assert_eq!(m.names(), vec!["a.csv", "z.csv"]);
        let text = String::from_utf8(m.to_bytes()).unwrap();
        assert!(text.contains("\"written_by\": \"copysim\"") && text.ends_with("}\n"), "{text}");
    }
}
