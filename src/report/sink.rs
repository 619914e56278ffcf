//! Where a run's files go: buffered files in a folder that already exists (the staging
//! folder of an atomic output), or memory (tests, library use).

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Opens the output files of one run, by name.
pub trait Sink {
    /// A writer for the file `name`, created empty.
    fn create(&mut self, name: &str) -> io::Result<Box<dyn Write>>;
}

/// Files in an existing folder, each behind a 256 KiB buffer.
pub struct Folder {
    dir: PathBuf,
}

impl Folder {
    /// Writes into `dir`, which must exist.
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf() }
    }
}

impl Sink for Folder {
    fn create(&mut self, name: &str) -> io::Result<Box<dyn Write>> {
        Ok(Box::new(BufWriter::with_capacity(1 << 18, File::create(self.dir.join(name))?)))
    }
}

/// A growing in-memory file.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Files kept in memory, in creation order.
#[derive(Default)]
pub struct Memory {
    files: Vec<(String, Shared)>,
}

impl Memory {
    /// `(name, bytes)` of every file created, in creation order.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        self.files.into_iter().map(|(n, s)| (n, std::mem::take(&mut *s.0.borrow_mut()))).collect()
    }
}

impl Sink for Memory {
    fn create(&mut self, name: &str) -> io::Result<Box<dyn Write>> {
        let s = Shared::default();
        self.files.push((name.to_string(), s.clone()));
        Ok(Box::new(s))
    }
}
