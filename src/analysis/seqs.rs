//! A multiset of backup seqs kept as a sorted run: seqs mostly arrive in order and leave
//! oldest first, so both ends are O(1) and the memory is one contiguous buffer. [`SeqRun`],
//! for multisets without values, is two numbers while the seqs are one unbroken run;
//! [`RunValues`], with values, keeps only the values while they are (the oldest leaves without
//! its memory being read).

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

/// A multiset of seqs without values that is, nearly always, one unbroken run `lo..hi` (each
/// seq once): seqs arrive one after the other and leave oldest first. While it is, it lives in
/// two numbers inside its owner, with no buffer to visit; anything else (a gap, a repeat, a
/// seq out of order) moves it into a [`Seqs`], until it empties.
#[derive(Clone, Debug, Default)]
pub struct SeqRun {
    lo: u32,
    hi: u32,
    spilled: Option<Box<Seqs>>,
}

impl SeqRun {
    fn spill(&mut self) -> &mut Seqs {
        let (lo, hi) = (self.lo, self.hi);
        self.spilled.get_or_insert_with(|| {
            let mut s = Seqs::default();
            for q in lo..hi {
                s.add(q, ());
            }
            Box::new(s)
        })
    }

    /// Adds one `seq`.
    pub fn add(&mut self, seq: u32) {
        if self.spilled.is_none() {
            if self.lo == self.hi && seq < u32::MAX {
                (self.lo, self.hi) = (seq, seq + 1);
                return;
            }
            if seq == self.hi && seq < u32::MAX {
                self.hi += 1;
                return;
            }
        }
        self.spill().add(seq, ());
    }

    /// Removes one `seq`, if there.
    pub fn take(&mut self, seq: u32) {
        match &mut self.spilled {
            None if !(self.lo..self.hi).contains(&seq) => {}
            None if seq == self.lo => self.lo += 1,
            None if seq + 1 == self.hi => self.hi -= 1,
            None => self.spill().take(seq),
            Some(s) => {
                s.take(seq);
                if s.is_empty() {
                    self.spilled = None;
                    (self.lo, self.hi) = (0, 0);
                }
            }
        }
    }

    /// The smallest seq.
    pub fn first(&self) -> Option<u32> {
        match &self.spilled {
            None => (self.lo < self.hi).then_some(self.lo),
            Some(s) => s.first(),
        }
    }

    /// How many (with multiplicity).
    pub fn len(&self) -> usize {
        match &self.spilled {
            None => (self.hi - self.lo) as usize,
            Some(s) => s.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A multiset of seqs with values that is, nearly always, one unbroken run (each seq once):
/// seqs arrive one after the other and leave oldest first. While it is, it keeps the first
/// seq and the values alone, so the oldest leaves without its memory being read (a count
/// moves) and an entry is a value, not a seq and a value; anything else (a gap, a repeat, a
/// seq out of order) moves it into a [`Seqs`], until it empties. It answers as that [`Seqs`].
#[derive(Clone, Debug)]
pub struct RunValues<T> {
    /// The seq of `values[0]`.
    lo: u32,
    /// The values of seqs `lo..`, one each.
    values: VecDeque<T>,
    spilled: Option<Box<Seqs<T>>>,
}

impl<T> Default for RunValues<T> {
    fn default() -> Self {
        Self { lo: 0, values: VecDeque::new(), spilled: None }
    }
}

impl<T: Copy> RunValues<T> {
    /// One past the newest seq of the run.
    fn hi(&self) -> u64 {
        u64::from(self.lo) + self.values.len() as u64
    }

    fn spill(&mut self) -> &mut Seqs<T> {
        let (lo, values) = (self.lo, std::mem::take(&mut self.values));
        self.spilled.get_or_insert_with(|| {
            let mut s = Seqs { items: VecDeque::with_capacity(values.len()) };
            for (q, v) in (lo..).zip(values) {
                s.add(q, v);
            }
            Box::new(s)
        })
    }

    /// Adds `seq` with `value` (as [`Seqs::add`]).
    pub fn add(&mut self, seq: u32, value: T) {
        if self.spilled.is_none() {
            if self.values.is_empty() {
                self.lo = seq;
                self.values.push_back(value);
                return;
            }
            if u64::from(seq) == self.hi() {
                self.values.push_back(value);
                return;
            }
        }
        self.spill().add(seq, value);
    }

    /// Removes one `seq`, if there.
    pub fn take(&mut self, seq: u32) {
        let hi = self.hi();
        match &mut self.spilled {
            None if !(u64::from(self.lo)..hi).contains(&u64::from(seq)) => {}
            None if seq == self.lo => {
                self.values.pop_front();
                self.lo = self.lo.wrapping_add(1);
            }
            None if u64::from(seq) + 1 == hi => {
                self.values.pop_back();
            }
            None => self.spill().take(seq),
            Some(s) => {
                s.take(seq);
                if s.is_empty() {
                    self.spilled = None;
                }
            }
        }
    }

    /// Starts loading the oldest and newest values (what taking the oldest seq and adding the
    /// next one touch); reads nothing of them.
    pub fn prefetch_ends(&self) {
        if self.spilled.is_none() {
            for v in [self.values.front(), self.values.back()].into_iter().flatten() {
                crate::kernel::prefetch(v);
            }
        }
    }

    /// The largest seq and its value.
    pub fn last(&self) -> Option<(u32, T)> {
        match &self.spilled {
            None => self.values.back().map(|&v| ((self.hi() - 1) as u32, v)),
            Some(s) => s.last(),
        }
    }

    /// How many (with multiplicity).
    pub fn len(&self) -> usize {
        match &self.spilled {
            None => self.values.len(),
            Some(s) => s.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Distinct seqs with their first value, ascending.
    pub fn distinct(&self) -> Vec<(u32, T)> {
        match &self.spilled {
            None => (self.lo..).zip(self.values.iter().copied()).collect(),
            Some(s) => s.distinct(),
        }
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

    /// What a random walk over a multiset of seqs does next.
    enum Op {
        Add(u32),
        Take(u32),
    }

    /// Seqs as the checkers and analyses see them: mostly the next one arrives or the oldest
    /// leaves; now and then a repeat, one from the past, the newest leaving, one in the middle
    /// or one absent.
    struct Walk {
        seed: u32,
        next: u32,
    }

    impl Walk {
        fn new(seed: u32) -> Self {
            Self { seed, next: 1 }
        }

        fn step<T: Copy>(&mut self, reference: &Seqs<T>) -> Op {
            self.seed = self.seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let pick = (self.seed >> 8) % 100;
            if pick < 50 {
                let q = match pick {
                    0 => self.next.saturating_sub(3),
                    1 => self.next.saturating_sub(1),
                    _ => self.next,
                };
                self.next = self.next.max(q + 1);
                Op::Add(q)
            } else {
                Op::Take(match pick {
                    50 => reference.last().map_or(0, |(q, _)| q),
                    51 => self.next / 2,
                    52 => self.next + 5,
                    _ => reference.first().unwrap_or(0),
                })
            }
        }
    }

    #[test]
    fn a_seq_run_behaves_as_the_multiset_whatever_the_order() {
        let mut run = SeqRun::default();
        let mut reference: Seqs = Seqs::default();
        let mut walk = Walk::new(7);
        for _ in 0..20_000 {
            match walk.step(&reference) {
                Op::Add(q) => {
                    run.add(q);
                    reference.add(q, ());
                }
                Op::Take(q) => {
                    run.take(q);
                    reference.take(q);
                }
            }
            assert_eq!(
                (run.first(), run.len(), run.is_empty()),
                (reference.first(), reference.len(), reference.is_empty())
            );
        }
    }

    #[test]
    fn run_values_behave_as_the_multiset_whatever_the_order() {
        let mut run: RunValues<u32> = RunValues::default();
        let mut reference: Seqs<u32> = Seqs::default();
        let mut walk = Walk::new(3);
        for i in 0..40_000u32 {
            match walk.step(&reference) {
                Op::Add(q) => {
                    run.add(q, i);
                    reference.add(q, i);
                }
                Op::Take(q) => {
                    run.take(q);
                    reference.take(q);
                }
            }
            assert_eq!(
                (run.last(), run.len(), run.is_empty()),
                (reference.last(), reference.len(), reference.is_empty())
            );
            if i % 97 == 0 {
                assert_eq!(run.distinct(), reference.distinct());
            }
        }
    }

    #[test]
    fn run_values_keep_an_unbroken_run_unspilled() {
        let mut run: RunValues<u64> = RunValues::default();
        for q in 1..=200 {
            run.add(q, u64::from(q) * 10);
            if q > 168 {
                run.take(q - 168); // retention: the oldest leaves
            }
        }
        assert!(run.spilled.is_none());
        assert_eq!((run.len(), run.last(), run.distinct()[0]), (168, Some((200, 2_000)), (33, 330)));
        run.take(100); // a gap: now the general multiset
        assert!(run.spilled.is_some());
        assert_eq!((run.len(), run.last()), (167, Some((200, 2_000))));
    }
}
