//! A multiset of backup seqs kept as a sorted run: seqs mostly arrive in order and leave
//! oldest first, so both ends are O(1) and the memory is one contiguous buffer.

use std::collections::VecDeque;

/// Seqs with their multiplicity, sorted.
#[derive(Clone, Debug, Default)]
pub struct Seqs<T = ()> {
    items: VecDeque<(u32, T)>,
}

impl<T: Copy> Seqs<T> {
    /// Adds `seq` (with `value`; a repeated seq keeps its first value).
    pub fn add(&mut self, seq: u32, value: T) {
        match self.items.back() {
            Some(&(last, _)) if last > seq => {
                let at = self.items.partition_point(|&(s, _)| s <= seq);
                self.items.insert(at, (seq, value));
            }
            _ => self.items.push_back((seq, value)),
        }
    }

    /// Removes one `seq`, if there.
    pub fn take(&mut self, seq: u32) {
        if self.items.front().is_some_and(|&(s, _)| s == seq) {
            self.items.pop_front();
            return;
        }
        let at = self.items.partition_point(|&(s, _)| s < seq);
        if self.items.get(at).is_some_and(|&(s, _)| s == seq) {
            self.items.remove(at);
        }
    }

    /// The smallest seq.
    pub fn first(&self) -> Option<u32> {
        self.items.front().map(|&(s, _)| s)
    }

    /// The largest seq and its value.
    pub fn last(&self) -> Option<(u32, T)> {
        self.items.back().copied()
    }

    /// How many (with multiplicity).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Distinct seqs with their first value, ascending.
    pub fn distinct(&self) -> Vec<(u32, T)> {
        let mut out: Vec<(u32, T)> = Vec::new();
        for &(s, v) in &self.items {
            if out.last().is_none_or(|&(l, _)| l != s) {
                out.push((s, v));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sorted_multiset() {
        let mut s: Seqs<u8> = Seqs::default();
        for (q, v) in [(1, 1), (2, 2), (2, 3), (5, 5), (3, 4)] {
            s.add(q, v);
        }
        assert_eq!(s.distinct(), vec![(1, 1), (2, 2), (3, 4), (5, 5)]);
        s.take(2);
        s.take(1);
        s.take(9);
        assert_eq!((s.first(), s.last(), s.len()), (Some(2), Some((5, 5)), 3));
    }
}
