//! Where a run's files go: the staging folder of an atomic output (`output::OutputDir`
//! implements [`Sink`]), or memory (tests, library use).

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

/// Opens the output files of one run, by name.
pub trait Sink {
    /// A writer for the file `name`, created empty.
    fn create(&mut self, name: &str) -> io::Result<Box<dyn Write>>;
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
