//! Rows that close out of order, written in id order: a row waits only while an older one is
//! still open, so the buffer holds closed rows behind a live one, never the live rows themselves.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::rc::Rc;

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
    error: Option<io::Error>,
}

impl OrderedCsv {
    /// Starts the file on `out` with the header of `T` (from `T::default()`'s field names).
    pub fn new<T: Serialize + Default>(out: Box<dyn Write>) -> Self {
        let tap = Tap::default();
        let encoder = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(tap.clone());
        let mut me = Self { encoder, tap, out, next: 0, pending: BTreeMap::new(), error: None };
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
            self.pending.insert(id, bytes);
            return;
        }
        self.emit(&bytes);
        self.next += 1;
        while let Some(b) = self.pending.remove(&self.next) {
            self.emit(&b);
            self.next += 1;
        }
    }

    /// Rows closed but waiting behind an open one.
    pub fn waiting(&self) -> usize {
        self.pending.len()
    }

    /// Flushes the file; the first write error, if any.
    pub fn finish(mut self) -> io::Result<()> {
        debug_assert!(self.pending.is_empty(), "every row closes by the horizon");
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
}
