//! Rows that close out of order, written in id order: a row waits only while an older one is
//! still open, so the buffer holds closed rows behind a live one, never the live rows themselves.
//! Past [`PENDING_MAX_BYTES`] of waiting rows (an old backup a late action names keeps its row
//! open for most of a run), waiting rows move to an unnamed temporary file, which the system
//! deletes when the run ends, and only 8 bytes per row stay in memory.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::rc::Rc;

/// Waiting rows kept in memory before they move to the temporary file.
pub const PENDING_MAX_BYTES: usize = 16 << 20;

/// A slot of [`Spill`] with no row.
const EMPTY: u64 = u64::MAX;

/// Waiting rows in an unnamed temporary file, by id: per id from `first`, its row's offset
/// (40 bits) and length (24 bits), or [`EMPTY`].
struct Spill {
    file: std::fs::File,
    end: u64,
    first: u64,
    slots: VecDeque<u64>,
    held: usize,
}

impl Spill {
    fn new(first: u64) -> io::Result<Self> {
        Ok(Self { file: tempfile::tempfile()?, end: 0, first, slots: VecDeque::new(), held: 0 })
    }

    /// Writes `rows` (ids at or after `first`, ascending) at the end of the file.
    fn put(&mut self, rows: BTreeMap<u64, Vec<u8>>) -> io::Result<()> {
        let mut batch = Vec::new();
        for (id, bytes) in rows {
            let len = bytes.len() as u64;
            if len >= 1 << 24 || self.end + len >= 1 << 40 {
                return Err(io::Error::other("a row too large to set aside"));
            }
            let k = (id - self.first) as usize;
            if self.slots.len() <= k {
                self.slots.resize(k + 1, EMPTY);
            }
            self.slots[k] = (self.end + batch.len() as u64) << 24 | len;
            batch.extend_from_slice(&bytes);
            self.held += 1;
        }
        self.file.seek(SeekFrom::Start(self.end))?;
        self.file.write_all(&batch)?;
        self.end += batch.len() as u64;
        Ok(())
    }

    /// Row `id`, if it is here (it leaves).
    fn take(&mut self, id: u64) -> io::Result<Option<Vec<u8>>> {
        let Some(slot) = id.checked_sub(self.first).and_then(|k| self.slots.get_mut(k as usize)) else {
            return Ok(None);
        };
        if *slot == EMPTY {
            return Ok(None);
        }
        let (offset, len) = (*slot >> 24, *slot & ((1 << 24) - 1));
        *slot = EMPTY;
        self.held -= 1;
        let mut row = vec![0; len as usize];
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.read_exact(&mut row)?;
        Ok(Some(row))
    }

    /// Every id before `next` is written: their slots go.
    fn advance(&mut self, next: u64) {
        while self.first < next && self.slots.pop_front().is_some() {
            self.first += 1;
        }
        self.first = self.first.max(next);
    }
}

use serde::Serialize;

/// Where the CSV encoder writes one row at a time, so the bytes can be routed.
#[derive(Clone, Default)]
struct Tap(Rc<RefCell<Vec<u8>>>);

impl Write for Tap {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A CSV file of serde rows `T`, its header taken from `T`'s fields, rows written by id.
pub struct OrderedCsv {
    encoder: csv::Writer<Tap>,
    tap: Tap,
    out: Box<dyn Write>,
    next: u64,
    pending: BTreeMap<u64, Vec<u8>>,
    pending_bytes: usize,
    /// [`PENDING_MAX_BYTES`] (smaller in tests).
    pending_max_bytes: usize,
    spill: Option<Spill>,
    error: Option<io::Error>,
}

impl OrderedCsv {
    /// Starts the file on `out` with the header of `T` (from `T::default()`'s field names).
    pub fn new<T: Serialize + Default>(out: Box<dyn Write>) -> Self {
        let tap = Tap::default();
        let encoder = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(tap.clone());
        let mut me = Self {
            encoder,
            tap,
            out,
            next: 0,
            pending: BTreeMap::new(),
            pending_bytes: 0,
            pending_max_bytes: PENDING_MAX_BYTES,
            spill: None,
            error: None,
        };
        me.encode(&T::default());
        let bytes = std::mem::take(&mut *me.tap.0.borrow_mut());
        let header_end = bytes.iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| i + 1);
        me.emit(&bytes[..header_end]);
        me
    }

    fn encode<T: Serialize>(&mut self, row: &T) {
        let r = self.encoder.serialize(row).map_err(io::Error::other).and_then(|()| self.encoder.flush());
        if let Err(e) = r {
            self.error.get_or_insert(e);
        }
    }

    fn emit(&mut self, bytes: &[u8]) {
        if let Err(e) = self.out.write_all(bytes) {
            self.error.get_or_insert(e);
        }
    }

    /// Row `id` (0-based, each id exactly once) is final.
    pub fn row<T: Serialize>(&mut self, id: u64, row: &T) {
        self.encode(row);
        let bytes = std::mem::take(&mut *self.tap.0.borrow_mut());
        if id != self.next {
            self.pending_bytes += bytes.len();
            self.pending.insert(id, bytes);
            if self.pending_bytes > self.pending_max_bytes {
                self.set_aside();
            }
            return;
        }
        self.emit(&bytes);
        self.next += 1;
        loop {
            if let Some(b) = self.pending.remove(&self.next) {
                self.pending_bytes -= b.len();
                self.emit(&b);
            } else {
                match self.spill.as_mut().map(|s| s.take(self.next)) {
                    Some(Ok(Some(b))) => self.emit(&b),
                    Some(Err(e)) => {
                        self.error.get_or_insert(e);
                        break;
                    }
                    _ => break,
                }
            }
            self.next += 1;
        }
        if let Some(s) = &mut self.spill {
            s.advance(self.next);
        }
    }

    /// Moves the waiting rows to the temporary file (kept in memory if there is none).
    fn set_aside(&mut self) {
        if self.spill.is_none() {
            match Spill::new(self.next) {
                Ok(s) => self.spill = Some(s),
                Err(_) => return, // no temporary folder: they wait in memory
            }
        }
        let rows = std::mem::take(&mut self.pending);
        self.pending_bytes = 0;
        if let Some(Err(e)) = self.spill.as_mut().map(|s| s.put(rows)) {
            self.error.get_or_insert(e);
        }
    }

    /// Rows closed but waiting behind an open one (in memory or set aside).
    pub fn waiting(&self) -> usize {
        self.pending.len() + self.spill.as_ref().map_or(0, |s| s.held)
    }

    /// Flushes the file; the first write error, if any.
    pub fn finish(mut self) -> io::Result<()> {
        debug_assert!(self.waiting() == 0, "every row closes by the horizon");
        let pending = std::mem::take(&mut self.pending);
        for (_, b) in pending {
            self.emit(&b);
        }
        if let Err(e) = self.out.flush() {
            self.error.get_or_insert(e);
        }
        self.error.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Default)]
    struct R {
        id: u64,
        name: String,
    }

    #[derive(Clone, Default)]
    struct Out(Rc<RefCell<Vec<u8>>>);
    impl Write for Out {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn rows_closing_out_of_order_come_out_in_id_order_under_the_struct_header() {
        let out = Out::default();
        let mut f = OrderedCsv::new::<R>(Box::new(out.clone()));
        f.row(1, &R { id: 2, name: "b,c".into() });
        assert_eq!(f.waiting(), 1);
        f.row(0, &R { id: 1, name: "a".into() });
        assert_eq!(f.waiting(), 0);
        f.finish().unwrap();
        assert_eq!(String::from_utf8(out.0.borrow().clone()).unwrap(), "id,name\n1,a\n2,\"b,c\"\n");
    }

    #[test]
    fn rows_waiting_past_the_limit_are_set_aside_and_still_come_out_in_id_order() {
        let out = Out::default();
        let mut f = OrderedCsv::new::<R>(Box::new(out.clone()));
        f.pending_max_bytes = 40;
        // Row 0 stays open while 1..200 close in a scrambled order, then 200..300 in order.
        let mut ids: Vec<u64> = (1..200).collect();
        ids.sort_by_key(|&i| (i * 7919) % 211);
        for &i in &ids {
            f.row(i, &R { id: i + 1, name: format!("n{i}") });
        }
        assert!(f.spill.as_ref().is_some_and(|s| s.held > 150), "most rows set aside");
        assert_eq!(f.waiting(), 199);
        f.row(0, &R { id: 1, name: "n0".into() });
        assert_eq!(f.waiting(), 0);
        for i in 200..300 {
            f.row(i, &R { id: i + 1, name: format!("n{i}") });
        }
        f.finish().unwrap();
        let expected: String =
            std::iter::once("id,name\n".to_string()).chain((0..300).map(|i| format!("{},n{i}\n", i + 1))).collect();
        assert_eq!(String::from_utf8(out.0.borrow().clone()).unwrap(), expected);
    }
}
