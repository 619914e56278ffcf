//! A volume's source chain by seq, as a window: each seq keeps its backup's id while the backup
//! is held, the running sum of changed data (so the changes between two seqs are one
//! subtraction) and whether it was the first backup after a resize. Leading seqs no rule can
//! reach any more are forgotten.

use std::collections::VecDeque;

use super::ids::BackupId;

/// One seq of the chain, in 16 bytes (an `Option<BackupId>` would take 8 and pad the entry to
/// 24: a fleet's chains are read at both ends every hour, and a third fewer bytes is a third
/// fewer cache lines there).
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Changed data of seqs 1..=this one.
    cum_delta: u64,
    /// The backup's id while the world holds it, [`GONE`] after.
    id: u32,
    after_resize: bool,
}

/// [`Entry::id`] of a backup the world no longer holds (ids are dense from 0: a table never
/// reaches this one).
const GONE: u32 = u32::MAX;

impl Entry {
    fn id(&self) -> Option<BackupId> {
        (self.id != GONE).then_some(BackupId(self.id))
    }
}

/// The source backups of one volume, by seq (1-based).
#[derive(Clone, Debug, Default)]
pub struct SourceChain {
    /// Seq of the first entry kept.
    first: u32,
    entries: VecDeque<Entry>,
    /// `cum_delta` of the last forgotten entry.
    floor_cum: u64,
}

impl SourceChain {
    /// Backups ever taken (the last seq).
    pub fn len(&self) -> u32 {
        self.first.max(1) - 1 + self.entries.len() as u32
    }

    /// Whether none was ever taken.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first seq still known.
    pub fn first_seq(&self) -> u32 {
        self.first.max(1)
    }

    fn entry(&self, seq: u32) -> Option<&Entry> {
        seq.checked_sub(self.first_seq()).and_then(|k| self.entries.get(k as usize))
    }

    /// Starts loading the newest two entries (where the next incremental copy's changes are
    /// read from).
    pub fn prefetch_newest(&self) {
        let n = self.entries.len();
        for k in [n.wrapping_sub(1), n.wrapping_sub(2)] {
            if let Some(e) = self.entries.get(k) {
                crate::kernel::prefetch(e);
            }
        }
    }

    /// Starts loading the oldest entries (where a freed backup's seq is forgotten and trimmed).
    pub fn prefetch_oldest(&self) {
        if let Some(e) = self.entries.front() {
            crate::kernel::prefetch(e);
        }
    }

    /// Appends the next seq's backup.
    pub fn push(&mut self, id: BackupId, delta_bytes: u64, after_resize: bool) {
        let cum = self.entries.back().map_or(self.floor_cum, |e| e.cum_delta).saturating_add(delta_bytes);
        self.first = self.first.max(1);
        debug_assert!(id.0 != GONE, "backup ids stay below u32::MAX");
        self.entries.push_back(Entry { cum_delta: cum, id: id.0, after_resize });
    }

    /// The backup with sequence number `seq`, while the world holds it.
    pub fn get(&self, seq: u32) -> Option<BackupId> {
        self.entry(seq).and_then(Entry::id)
    }

    /// Changed data of seqs `1..=seq` (0 for seq 0; the forgotten floor below the window).
    pub fn cum_delta(&self, seq: u32) -> u64 {
        if seq == 0 {
            return 0;
        }
        self.entry(seq).map_or(self.floor_cum, |e| e.cum_delta)
    }

    /// Whether a seq in `lo..=hi` was the first backup after a resize.
    pub fn resized_in(&self, lo: u32, hi: u32) -> bool {
        (lo.max(self.first_seq())..=hi).any(|s| self.entry(s).is_some_and(|e| e.after_resize))
    }

    /// The world no longer holds `seq`'s backup.
    pub fn forget(&mut self, seq: u32) {
        if let Some(k) = seq.checked_sub(self.first_seq())
            && let Some(e) = self.entries.get_mut(k as usize)
        {
            e.id = GONE;
        }
    }

    /// Drops leading seqs whose backup is gone and that are below `keep_from`.
    pub fn trim(&mut self, keep_from: u32) {
        while let Some(e) = self.entries.front() {
            if e.id != GONE || self.first_seq() >= keep_from {
                break;
            }
            self.floor_cum = e.cum_delta;
            self.entries.pop_front();
            self.first = self.first_seq() + 1;
        }
    }

    /// Seqs kept (live state, for tests).
    pub fn window(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_takes_16_bytes() {
        assert_eq!(size_of::<Entry>(), 16);
    }

    #[test]
    fn cumulative_deltas_survive_trimming() {
        let mut c = SourceChain::default();
        for (i, d) in [100, 10, 20, 30].into_iter().enumerate() {
            c.push(BackupId(i as u32), d, i == 2);
        }
        assert_eq!((c.len(), c.cum_delta(4) - c.cum_delta(1)), (4, 60));
        c.forget(1);
        c.forget(2);
        c.trim(3);
        assert_eq!((c.first_seq(), c.window(), c.get(1), c.get(3)), (3, 2, None, Some(BackupId(2))));
        assert_eq!(c.cum_delta(4) - c.cum_delta(2), 50, "seq 2's running sum is the floor");
        assert!(c.resized_in(1, 4) && !c.resized_in(4, 4));
        c.push(BackupId(9), 5, false);
        assert_eq!((c.len(), c.cum_delta(5)), (5, 165));
    }
}
