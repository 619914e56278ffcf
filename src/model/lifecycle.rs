//! How entities leave the world: a destination's started list drops what no rule reads, a
//! closed copy leaves once unlisted, a deleted backup once no held copy refers to it, and a
//! volume's chain forgets seqs no destination needs.

use super::backup::Origin;
use super::copy::CopyState;
use super::ids::{AccountId, BackupId, CopyId, RegionId, VolumeId};
use super::world::World;

/// Whether a started copy may leave its destination's list (see [`World::prune_started`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leave {
    /// It may.
    Yes,
    /// Not while a timed action still to come names it; the copies after it may.
    Pinned,
    /// Not yet, nor any copy after it.
    No,
}

impl World {
    /// Drops from `(volume, region, account)`'s started copies, oldest first, those no rule
    /// reads any more: older than the last completed one and than the newest AVAILABLE one, and
    /// either not AVAILABLE or AVAILABLE and settling (`leave(copy, true)`; the engine settles
    /// those). Appends them to `out`, in order (a buffer the caller keeps: this runs once per
    /// completed copy).
    ///
    /// A copy `leave` says is [`Leave::Pinned`] (a timed action still to come names it) stays
    /// and the walk goes on past it. Once the walk has passed an AVAILABLE copy in a
    /// destination, a copy that is not AVAILABLE leaves only if `leave(copy, false)` says so
    /// too: had the AVAILABLE one stayed, it would have stayed behind it, where an action naming
    /// it may still find it.
    ///
    /// `available_stays`: `leave(copy, true)` is [`Leave::No`] for every copy of this volume
    /// (nothing of it settles), so the walk stops at the first AVAILABLE copy; once it has
    /// stopped at the first of the list, the list is left alone until that copy is no longer
    /// AVAILABLE ([`World::left_available`]): it would stop there again, changing nothing, and
    /// that copy — the destination's oldest — need not be read from memory on every completion.
    pub fn prune_started(
        &mut self,
        volume: VolumeId,
        region: RegionId,
        account: AccountId,
        available_stays: bool,
        leave: &dyn Fn(&super::Copy, bool) -> Leave,
        out: &mut Vec<CopyId>,
    ) {
        let v = &mut self.volumes[volume.index()];
        let Some(d) = v.dest_if_any_mut(region, account) else {
            return;
        };
        if available_stays && d.front_available {
            return;
        }
        d.front_available = false;
        let copies = &mut self.copies;
        let available = |copies: &super::table::Table<super::Copy>, c: CopyId| {
            copies.get(c.index()).is_some_and(|c| c.state == CopyState::Available)
        };
        // Settling stops at the newest AVAILABLE copy in the list (the one rules read, even
        // when an older copy completed after it).
        let mut newest_available: Option<Option<CopyId>> = None;
        let mut i = 0;
        while let Some(&super::Listed { copy: id, .. }) = d.started.get(i) {
            if Some(id) == d.last_ok {
                break;
            }
            let verdict = if available(copies, id) {
                if d.unlisted_in_flight > 0 {
                    break;
                }
                // Asked first (it is pure): where nothing settles, the walk stops here without
                // looking for the newest AVAILABLE copy.
                let verdict = copies.get(id.index()).map_or(Leave::No, |c| leave(c, true));
                if verdict == Leave::No {
                    break;
                }
                let newest = *newest_available
                    .get_or_insert_with(|| d.started.iter().rev().map(|l| l.copy).find(|&c| available(copies, c)));
                if newest == Some(id) {
                    break;
                }
                d.passed_available = true;
                verdict
            } else if d.last_ok.is_none() && copies.get(id.index()).is_some_and(|c| c.state == CopyState::Copying) {
                // Still moving with no completed copy after it: it may be the next one to
                // complete, which the rules read (EBS's most recent completed copy, OCI's
                // previous copy); dropping it would make the next copy a "first copy".
                Leave::No
            } else if d.passed_available {
                copies.get(id.index()).map_or(Leave::Yes, |c| leave(c, false))
            } else {
                Leave::Yes
            };
            match verdict {
                Leave::No => break,
                Leave::Pinned => {
                    i += 1;
                    continue;
                }
                Leave::Yes => {}
            }
            d.started.remove(i);
            if let Some(c) = copies.get_mut(id.index()) {
                c.listed = false;
                d.unlisted_in_flight += u32::from(c.state == CopyState::Copying);
            }
            out.push(id);
        }
        d.front_available = i == 0 && d.started.front().is_some_and(|l| available(copies, l.copy));
    }

    /// Starts loading, in stages, what letting closed copy `copy` leave reads (pruning its
    /// destination's list, unlinking it from its source, freeing the backups it kept): at
    /// stage 4 the copy; at 3 its source and result backups and its volume's destinations and
    /// chain; at 2 the first two copy ids of its destination's list and the chain's oldest
    /// entry; at 1 those two copies. Each stage reads only what the one before loaded.
    pub fn prefetch_leaving(&self, copy: CopyId, stage: u8) {
        use crate::kernel::prefetch;
        if stage >= 4 {
            self.copies.prefetch(copy.index());
            return;
        }
        let Some(c) = self.copies.get(copy.index()) else { return };
        let Some(v) = self.volumes.get(c.volume.index()) else { return };
        if stage == 3 {
            self.backups.prefetch(c.source.index());
            if let Some(b) = c.dest_backup.get() {
                self.backups.prefetch(b.index());
            }
            prefetch(&v.dests);
            prefetch(&v.chain);
            return;
        }
        let Some(d) = v.dest(c.dest_region, c.account) else { return };
        for l in d.started.iter().take(2) {
            if stage == 2 {
                prefetch(l);
            } else {
                self.copies.prefetch(l.copy.index());
            }
        }
        if stage == 2 {
            v.chain.prefetch_oldest();
        }
    }

    /// Share `copy` ended: the recipient's vault that held it gives its space back (Huawei:
    /// "When a sharer deletes a shared backup, the backup will also be deleted from the
    /// recipient's account").
    pub fn release_share(&mut self, copy: CopyId) {
        let account = self.copies[copy.index()].account;
        for vault in &mut self.accounts[account.index()].vaults {
            if vault.release(copy) {
                return;
            }
        }
    }

    /// Copy `copy` is no longer AVAILABLE (deleted, or a share ended): pruning its destination's
    /// list may have work again (see [`World::prune_started`]).
    pub fn left_available(&mut self, copy: CopyId) {
        let c = &self.copies[copy.index()];
        let (volume, region, account) = (c.volume, c.dest_region, c.account);
        if let Some(d) = self.volumes[volume.index()].dest_if_any_mut(region, account) {
            d.front_available = false;
        }
    }

    /// Forgets a closed (or settled) copy no rule reads any more: unlinks it from its source's
    /// copies. Returns whether it was freed.
    pub fn free_copy(&mut self, id: CopyId) -> bool {
        let Some(c) = self.copies.get(id.index()) else { return false };
        let closed = c.settled
            || matches!(c.state, CopyState::Rejected | CopyState::Declined | CopyState::Faulty | CopyState::Terminated);
        if !closed || c.listed {
            return false;
        }
        let (source, next) = (c.source, c.next_sibling);
        if let Some(src) = self.backups.get(source.index()) {
            let mut prev: Option<CopyId> = None;
            let mut cur = src.first_copy.get();
            while let Some(x) = cur.filter(|&x| x != id) {
                prev = Some(x);
                cur = self.copies.get(x.index()).and_then(|c| c.next_sibling.get());
            }
            match prev {
                Some(p) => self.copies[p.index()].next_sibling = next,
                None => self.backups[source.index()].first_copy = next,
            }
            if self.backups[source.index()].last_copy.get() == Some(id) {
                self.backups[source.index()].last_copy = (prev).into();
            }
        }
        self.copies.free(id.index());
        self.forget_copy_group(id);
        true
    }

    /// Forgets a deleted (or settled) backup nothing refers to any more (no copy of it or by it
    /// is held). Returns whether it was freed.
    pub fn free_backup(&mut self, id: BackupId) -> bool {
        let Some(b) = self.backups.get(id.index()) else { return false };
        let by_held_copy = match b.origin() {
            Origin::Copy(c) => self.copies.get(c.index()).is_some(),
            Origin::Source => false,
        };
        if (b.exists() && !b.settled) || b.first_copy.is_some() || by_held_copy {
            return false;
        }
        let (volume, seq, source) = (b.volume, b.seq, b.origin() == Origin::Source);
        self.backups.free(id.index());
        self.unshare(id);
        if source {
            let v = &mut self.volumes[volume.index()];
            v.chain.forget(seq);
            // A later incremental copy may need the changes since the oldest copy a destination still reads.
            let keep_from = v.dests.iter().filter_map(|d| d.started.front()).map(|l| l.seq).min().unwrap_or(u32::MAX);
            v.chain.trim(keep_from);
        }
        true
    }
}
