//! A table of entities by dense, ever-increasing ids that forgets the ones freed: a window from
//! the oldest entity still held to the newest, so memory follows what is live, not the history,
//! while ids stay the deterministic request order.

use std::collections::VecDeque;
use std::ops::{Index, IndexMut};

/// Entities by 0-based id; freed ids are gone for good.
#[derive(Clone, Debug)]
pub struct Table<T> {
    base: usize,
    slots: VecDeque<Option<T>>,
    live: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self { base: 0, slots: VecDeque::new(), live: 0 }
    }
}

impl<T> Table<T> {
    /// The id the next pushed entity gets (entities ever pushed).
    pub fn next_index(&self) -> usize {
        self.base + self.slots.len()
    }

    /// Entities held now.
    pub fn live(&self) -> usize {
        self.live
    }

    /// Slots spanned by the window (held and freed-but-not-yet-dropped).
    pub fn window(&self) -> usize {
        self.slots.len()
    }

    /// Appends `x`; returns its index.
    pub fn push(&mut self, x: T) -> usize {
        self.slots.push_back(Some(x));
        self.live += 1;
        self.next_index() - 1
    }

    /// The entity `i`, if held.
    pub fn get(&self, i: usize) -> Option<&T> {
        i.checked_sub(self.base).and_then(|k| self.slots.get(k)).and_then(Option::as_ref)
    }

    /// The entity `i`, mutably, if held.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        i.checked_sub(self.base).and_then(|k| self.slots.get_mut(k)).and_then(Option::as_mut)
    }

    /// Forgets entity `i`; the window's start moves past freed slots.
    pub fn free(&mut self, i: usize) -> Option<T> {
        let x = i.checked_sub(self.base).and_then(|k| self.slots.get_mut(k)).and_then(Option::take);
        if x.is_some() {
            self.live -= 1;
        }
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.base += 1;
        }
        x
    }

    /// Held entities in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.slots.iter().filter_map(Option::as_ref)
    }

    /// Held entities in id order, mutably.
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut T> + '_ {
        self.slots.iter_mut().filter_map(Option::as_mut)
    }

    /// Room for `n` more.
    pub fn reserve(&mut self, n: usize) {
        self.slots.reserve(n);
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
    fn freeing_from_the_front_shrinks_the_window_and_ids_keep_counting() {
        let mut t = Table::default();
        for x in 0..5 {
            t.push(x * 10);
        }
        t.free(1);
        assert_eq!((t.window(), t.live()), (5, 4), "a hole in the middle stays");
        t.free(0);
        assert_eq!((t.window(), t.live()), (3, 3), "the front moves past both");
        assert_eq!((t.get(1), t.get(2), t[4]), (None, Some(&20), 40));
        assert_eq!(t.push(50), 5);
        assert_eq!(t.iter().copied().collect::<Vec<_>>(), vec![20, 30, 40, 50]);
    }
}
