//! A table of entities by dense, ever-increasing ids that forgets the ones freed: a window from
//! the oldest entity still held to the newest, so memory follows what is live, not the history,
//! while ids stay the deterministic request order.
//!
//! The window is a run of fixed-size chunks: it grows one chunk at a time (never by doubling
//! and copying) and gives a chunk's memory back once every entity in it is freed. Chunks are
//! indexed directly by `id / CHUNK` (a given-back chunk leaves a null pointer in its slot, 8
//! bytes per 4,096 ids of history), and a chunk is an array of exactly `CHUNK` slots, so a
//! lookup is a shift, one bounds check, a null check and a mask: it is on every path of the
//! engine.

use std::ops::{Index, IndexMut};

/// Entities per chunk.
const CHUNK: usize = 4096;

/// How many slots past the one pushed a push starts loading.
const PUSH_AHEAD: usize = 8;

/// Entities by 0-based id; freed ids are gone for good.
#[derive(Debug)]
pub struct Table<T> {
    /// Chunk `k` holds ids `k * CHUNK ..` (slots not yet pushed are `None`); given back: `None`.
    chunks: Vec<Option<Chunk<T>>>,
    /// Held entities per chunk.
    held: Vec<u32>,
    /// The first chunk not given back.
    first: usize,
    next: usize,
    live: usize,
    /// The last chunk given back, emptied, kept for the next one needed: a table whose window
    /// slides (retention) reuses its memory instead of asking the allocator, and the kernel,
    /// for fresh pages every 4,096 entities.
    spare: Option<Chunk<T>>,
}

/// `CHUNK` slots, on the heap.
type Chunk<T> = Box<[Option<T>; CHUNK]>;

/// A chunk of empty slots (built on the heap: it is too large for a stack).
fn empty_chunk<T>() -> Chunk<T> {
    let slots: Box<[Option<T>]> = (0..CHUNK).map(|_| None).collect();
    match slots.try_into() {
        Ok(chunk) => chunk,
        Err(_) => unreachable!("CHUNK slots were collected"),
    }
}

impl<T: Clone> Clone for Table<T> {
    fn clone(&self) -> Self {
        let copy = |c: &Chunk<T>| {
            let mut d = empty_chunk();
            d.clone_from_slice(&c[..]);
            d
        };
        Self {
            chunks: self.chunks.iter().map(|c| c.as_ref().map(copy)).collect(),
            held: self.held.clone(),
            first: self.first,
            next: self.next,
            live: self.live,
            spare: None,
        }
    }
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self { chunks: Vec::new(), held: Vec::new(), first: 0, next: 0, live: 0, spare: None }
    }
}

impl<T> Table<T> {
    /// The id the next pushed entity gets (entities ever pushed).
    pub fn next_index(&self) -> usize {
        self.next
    }

    /// Entities held now.
    pub fn live(&self) -> usize {
        self.live
    }

    /// Slots spanned by the window (held and freed-but-not-yet-given-back).
    pub fn window(&self) -> usize {
        self.next - (self.first * CHUNK).min(self.next)
    }

    /// Appends `x`; returns its index.
    pub fn push(&mut self, x: T) -> usize {
        let k = self.next / CHUNK;
        if k == self.chunks.len() {
            self.chunks.push(Some(self.spare.take().unwrap_or_else(empty_chunk)));
            self.held.push(0);
        }
        let Some(chunk) = &mut self.chunks[k] else { unreachable!("the chunk being filled is never given back") };
        let j = self.next % CHUNK;
        // The slot is empty (never pushed to): writing over it without reading it first (no
        // drop of the `None` there) lets the store retire while a long-evicted line loads.
        std::mem::forget(chunk[j].replace(x));
        // The slots the next pushes write: start loading them (a reused chunk is long evicted).
        if crate::kernel::pays(self.live * size_of::<Option<T>>())
            && let Some(ahead) = chunk.get(j + PUSH_AHEAD)
        {
            crate::kernel::prefetch(ahead);
        }
        self.held[k] += 1;
        self.live += 1;
        self.next += 1;
        self.next - 1
    }

    /// The entity `i`, if held.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.as_ref()?[i % CHUNK].as_ref()
    }

    /// Starts loading entity `i`'s memory (see [`prefetch`](fn@crate::kernel::prefetch)); reads nothing of it.
    #[inline]
    pub fn prefetch(&self, i: usize) {
        if let Some(Some(chunk)) = self.chunks.get(i / CHUNK) {
            crate::kernel::prefetch(&chunk[i % CHUNK]);
        }
    }

    /// The entity `i`, mutably, if held.
    #[inline]
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.chunks.get_mut(i / CHUNK)?.as_mut()?[i % CHUNK].as_mut()
    }

    /// Forgets entity `i` (dropped where it lies, not moved out). A full chunk with nothing held
    /// gives its memory back at once, even behind an older entity still held (a backup a late
    /// action names); leading ones leave the window. Whether `i` was held.
    pub fn free(&mut self, i: usize) -> bool {
        let c = i / CHUNK;
        let Some(Some(chunk)) = self.chunks.get_mut(c) else { return false };
        let slot = &mut chunk[i % CHUNK];
        if slot.is_none() {
            return false;
        }
        *slot = None;
        self.live -= 1;
        self.held[c] -= 1;
        if self.held[c] == 0 && (c + 1) * CHUNK <= self.next {
            // Every slot is `None` now: the chunk is ready to be filled again.
            self.spare = self.chunks[c].take();
        }
        // A chunk whose ids were all given out (the one being filled never is) and none held.
        while self.first < self.chunks.len() && self.held[self.first] == 0 && (self.first + 1) * CHUNK <= self.next {
            self.first += 1;
        }
        true
    }

    /// Held entities in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.chunks[self.first..].iter().flatten().flat_map(|c| c.iter()).filter_map(Option::as_ref)
    }

    /// Held entities in id order, mutably.
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut T> + '_ {
        self.chunks[self.first..].iter_mut().flatten().flat_map(|c| c.iter_mut()).filter_map(Option::as_mut)
    }
}

impl<T> Index<usize> for Table<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(x) => x,
            None => panic!("entity {i} was freed while still referred to (a copysim bug)"),
        }
    }
}

impl<T> IndexMut<usize> for Table<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        match self.get_mut(i) {
            Some(x) => x,
            None => panic!("entity {i} was freed while still referred to (a copysim bug)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_chunks_are_given_back_and_ids_keep_counting() {
        let mut t = Table::default();
        for x in 0..2 * CHUNK + 3 {
            t.push(x);
        }
        t.free(1);
        assert_eq!((t.window(), t.live()), (2 * CHUNK + 3, 2 * CHUNK + 2), "a hole stays");
        for i in 0..CHUNK {
            t.free(i);
        }
        assert_eq!((t.window(), t.live()), (CHUNK + 3, CHUNK + 3), "the first chunk is given back");
        assert_eq!((t.get(1), t.get(CHUNK), t[2 * CHUNK + 2]), (None, Some(&CHUNK), 2 * CHUNK + 2));
        assert_eq!(t.push(7), 2 * CHUNK + 3);
        assert_eq!(t.iter().count(), CHUNK + 4);
    }

    #[test]
    fn a_chunk_emptied_behind_a_held_entity_gives_its_memory_back() {
        let mut t = Table::default();
        for x in 0..3 * CHUNK {
            t.push(x);
        }
        // Entity 0 stays; the rest of its chunk and the next two chunks empty.
        for i in 1..3 * CHUNK {
            t.free(i);
        }
        let allocated: Vec<bool> = t.chunks.iter().map(Option::is_some).collect();
        assert_eq!(allocated, vec![true, false, false], "only the chunk holding entity 0 keeps its slots");
        assert_eq!((t.live(), t.get(CHUNK + 5), t.get(0)), (1, None, Some(&0)));
        // The next entity starts a fresh chunk, with the right id.
        assert_eq!(t.push(99), 3 * CHUNK);
        assert_eq!(t[3 * CHUNK], 99);
        t.free(0);
        assert_eq!(t.window(), 1, "the emptied chunks leave with the first one");
        assert_eq!(t.iter().copied().collect::<Vec<_>>(), vec![99]);
    }
}
