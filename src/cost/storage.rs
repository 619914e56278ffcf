//! Storage accounting over time, online: what each region stores, as backups appear and are deleted.
//!
//! A *chain* is one volume's backups in one region and account — its source backups, or the
//! results of its copies there. Members are ordered (by seq for source backups, by copy order for
//! copies); a full member starts a *segment*. Each member carries the data it added (`delta`:
//! changed data for a source backup, bytes moved for a copy). The chain stores, for its alive
//! members in order: the full image of the first alive member, plus for each next alive member
//! either the data changed since the previous alive one (`min(full, Σ deltas between)`, same
//! segment) or its full image (a new segment). Deleting a member therefore frees only the data no
//! later member needs: a middle member's changes move to its successor; the oldest member frees
//! what its successor overwrote. Shares and same-region copies that moved no data store nothing.
//!
//! The [`StorageMeter`] is fed as things happen and integrates stored bytes per day and region;
//! it keeps a chain's members only from its oldest alive one on (leading deleted members no
//! longer change anything), so its memory follows what is stored, not the history. A member
//! that appears after a younger member of its chain (a copy finishing out of order) counts from
//! when it appears; an incremental member that landed first builds on it once it does (a segment
//! starts at a full member only, whatever the order of arrival), so the region holds one image.

use std::collections::{BTreeMap, VecDeque};

use super::MS_PER_DAY;
use crate::kernel::SimTime;
use crate::model::{Backup, BackupKind, Origin, RegionId};

#[derive(Clone, Copy, Debug)]
struct Member {
    delta: u64,
    full: u64,
    starts_segment: bool,
    alive: bool,
    /// Its backup stays to the horizon (its row closed while it existed).
    kept: bool,
}

struct Chain {
    region: RegionId,
    /// Members by rank, ascending (they mostly arrive in order and leave oldest first).
    members: VecDeque<(u32, Member)>,
}

impl Chain {
    fn pos(&self, rank: u32) -> usize {
        self.members.partition_point(|&(r, _)| r < rank)
    }

    /// Stored for member at position `i` after the alive member at position `prev`.
    fn term(&self, prev: Option<usize>, i: usize) -> u128 {
        let full = u128::from(self.members[i].1.full);
        let Some(p) = prev else { return full };
        let mut sum: u128 = 0;
        for (_, m) in self.members.range(p + 1..=i) {
            if m.starts_segment {
                return full;
            }
            sum += u128::from(m.delta);
        }
        sum.min(full)
    }

    /// Stored bytes of the chain computed afresh from its members (tests check the changes
    /// `add` and `remove` return against it).
    #[cfg(test)]
    fn recompute(&self) -> u128 {
        let mut prev = None;
        let mut tot: u128 = 0;
        for i in 0..self.members.len() {
            if self.members[i].1.alive {
                tot += self.term(prev, i);
                prev = Some(i);
            }
        }
        tot
    }

    fn alive_below(&self, i: usize) -> Option<usize> {
        (0..i).rev().find(|&k| self.members[k].1.alive)
    }

    fn alive_above(&self, i: usize) -> Option<usize> {
        (i + 1..self.members.len()).find(|&k| self.members[k].1.alive)
    }

    /// Stored bytes of `i` and its alive successor, around alive predecessor `prev`.
    fn around(&self, prev: Option<usize>, i: usize, next: Option<usize>) -> (i128, i128) {
        let with = self.term(prev, i) + next.map_or(0, |n| self.term(Some(i), n));
        let without = next.map_or(0, |n| self.term(prev, n));
        (with as i128, without as i128)
    }

    /// Change of stored bytes when member `rank` appears.
    ///
    /// What is stored without it is read before it is in the chain (a member already there,
    /// dead, stays as it was): a full member landing after incremental ones built on it (OCI,
    /// FSx copies finishing out of order) must not already cut its successor's range, or the
    /// successor would read as a full image both with and without it, and the landing full
    /// image would count as the successor's few changed bytes.
    fn add(&mut self, rank: u32, m: Member) -> i128 {
        let at = self.pos(rank);
        if self.members.get(at).is_none_or(|&(r, _)| r != rank) {
            // A placeholder that cuts no range and adds no change: the chain as it was.
            let absent = Member { delta: 0, starts_segment: false, alive: false, ..m };
            self.members.insert(at, (rank, absent));
        }
        let (prev, next) = (self.alive_below(at), self.alive_above(at));
        let without = next.map_or(0, |n| self.term(prev, n));
        self.members[at].1 = Member { alive: true, ..m };
        let with = self.term(prev, at) + next.map_or(0, |n| self.term(Some(at), n));
        with as i128 - without as i128
    }

    /// Member `rank` stays to the horizon. A leading member followed by another that stays is
    /// read by nothing any more (every later member's stored bytes are counted from an alive
    /// member after it) and is forgotten.
    fn keep(&mut self, rank: u32) {
        let i = self.pos(rank);
        if let Some((r, m)) = self.members.get_mut(i)
            && *r == rank
            && m.alive
        {
            m.kept = true;
        }
        while self.members.len() >= 2 && self.members[0].1.kept && self.members[1].1.kept && self.members[1].1.alive {
            self.members.pop_front();
        }
    }

    /// Change of stored bytes when member `rank` goes; leading dead members are forgotten.
    fn remove(&mut self, rank: u32) -> i128 {
        let i = self.pos(rank);
        if !self.members.get(i).is_some_and(|&(r, m)| r == rank && m.alive) {
            return 0;
        }
        let (prev, next) = (self.alive_below(i), self.alive_above(i));
        let (with, without) = self.around(prev, i, next);
        self.members[i].1.alive = false;
        while self.members.front().is_some_and(|(_, m)| !m.alive) {
            self.members.pop_front();
        }
        without - with
    }
}

/// Stored bytes integrated per day and region, and stored bytes per region at the horizon.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StorageUse {
    /// `(day, region) → byte-milliseconds`.
    pub byte_ms: BTreeMap<(u64, RegionId), u128>,
    /// Bytes stored per region at the horizon.
    pub at_end: BTreeMap<RegionId, u128>,
}

/// `(volume, region, account, is a copy)`: one chain.
type ChainKey = (u32, u16, u16, bool);

/// Integrates what each region stores as backups appear and go.
pub struct StorageMeter {
    horizon: SimTime,
    chains: BTreeMap<ChainKey, Chain>,
    stored: BTreeMap<RegionId, i128>,
    last: SimTime,
    out: StorageUse,
}

fn key_rank(b: &Backup) -> (ChainKey, u32) {
    let (copy, rank) = match b.origin() {
        Origin::Source => (false, b.seq),
        Origin::Copy(c) => (true, c.0),
    };
    ((b.volume.0, b.region.0, b.account.0, copy), rank)
}

/// Whether a backup stores data: source backups do; a copy's result only if it moved data or is full.
pub fn stores_data(b: &Backup) -> bool {
    matches!(b.origin(), Origin::Source) || b.delta_bytes > 0 || b.kind == BackupKind::Full
}

impl StorageMeter {
    /// Integrates up to `horizon`.
    pub fn new(horizon: SimTime) -> Self {
        Self {
            horizon,
            chains: BTreeMap::new(),
            stored: BTreeMap::new(),
            last: SimTime::ZERO,
            out: StorageUse::default(),
        }
    }

    /// Adds `stored × (last → t)` to the day buckets it spans.
    fn advance(&mut self, t: SimTime) {
        let to = t.min(self.horizon).as_ms();
        let mut at = self.last.as_ms();
        while at < to {
            let day = at / MS_PER_DAY;
            let end = ((day + 1) * MS_PER_DAY).min(to);
            for (&r, &bytes) in &self.stored {
                if bytes > 0 {
                    *self.out.byte_ms.entry((day, r)).or_default() += bytes as u128 * u128::from(end - at);
                }
            }
            at = end;
        }
        self.last = self.last.max(SimTime(to));
    }

    /// Backup `b` appears at `t` (a source backup when taken, a copy's result when written).
    pub fn appear(&mut self, t: SimTime, b: &Backup) {
        if !stores_data(b) {
            return;
        }
        self.advance(t);
        let (key, rank) = key_rank(b);
        let chain = self.chains.entry(key).or_insert_with(|| Chain { region: b.region, members: VecDeque::new() });
        let m = Member {
            delta: b.delta_bytes,
            full: b.full_bytes,
            starts_segment: b.kind == BackupKind::Full,
            alive: false,
            kept: false,
        };
        // At the horizon itself it integrates nothing more but counts in what is stored at the end.
        let d = chain.add(rank, m);
        *self.stored.entry(chain.region).or_default() += d;
    }

    /// Backup `b` is deleted at `t`.
    pub fn disappear(&mut self, t: SimTime, b: &Backup) {
        if !stores_data(b) {
            return;
        }
        self.advance(t);
        let (key, rank) = key_rank(b);
        let Some(chain) = self.chains.get_mut(&key) else { return };
        let d = chain.remove(rank);
        *self.stored.entry(chain.region).or_default() += d;
        if chain.members.is_empty() {
            self.chains.remove(&key);
        }
    }

    /// Backup `b`'s row closed while it existed: it stays to the horizon (settled, or the
    /// horizon came), so older members of its chain may be forgotten.
    pub fn kept(&mut self, b: &Backup) {
        if !stores_data(b) {
            return;
        }
        let (key, rank) = key_rank(b);
        if let Some(chain) = self.chains.get_mut(&key) {
            chain.keep(rank);
        }
    }

    /// Members kept, over every chain (live state, for tests).
    pub fn members(&self) -> usize {
        self.chains.values().map(|c| c.members.len()).sum()
    }

    /// Integrates to the horizon and returns the use.
    pub fn finish(mut self) -> StorageUse {
        self.advance(self.horizon);
        self.out.at_end = self.stored.into_iter().filter(|(_, b)| *b > 0).map(|(r, b)| (r, b as u128)).collect();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BackupId, DeletedBy, Partition, VolumeKind, World};

    const GB: u64 = 1 << 30;
    const DAY: u64 = MS_PER_DAY;

    /// Feeds the meter the source backups `bs` of `w`, as the engine would.
    fn replay(w: &World, bs: &[BackupId], horizon: SimTime) -> StorageUse {
        let mut edges: Vec<(SimTime, bool, BackupId)> = Vec::new();
        for &b in bs {
            edges.push((w.backup(b).created_at, true, b));
            if let Some(d) = w.backup(b).deleted_at.get() {
                edges.push((d, false, b));
            }
        }
        edges.sort_by_key(|&(t, appears, b)| (t, !appears, b));
        let mut m = StorageMeter::new(horizon);
        for (t, appears, b) in edges {
            if appears { m.appear(t, w.backup(b)) } else { m.disappear(t, w.backup(b)) }
        }
        m.finish()
    }

    #[test]
    fn a_chain_worked_out_by_hand() {
        // A 100 GB volume changing 10 % a day, backed up daily: #1 full (100 GB) at day 0,
        // #2 (+10 GB) at day 1, #3 (+10 GB) at day 2; #1 deleted at day 3, #2 deleted at day 4;
        // horizon day 5.
        //   day 0: #1                 → 100 GB
        //   day 1: #1 #2              → 110 GB
        //   day 2: #1 #2 #3           → 120 GB
        //   day 3: #2 #3 (#1 gone: frees only what #2 overwrote, 10 GB)  → 110 GB
        //   day 4: #3 alone holds the volume's full image                  → 100 GB
        // Deleting the *middle* of three would have freed nothing.
        let mut w = crate::providers::new_world();
        let r = w.add_region("r", crate::providers::AWS_EBS, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100 * GB, 100_000);
        let b: Vec<_> = (0..3).map(|d| w.take_backup(v, SimTime(d * DAY))).collect();
        assert_eq!(w.backup(b[1]).delta_bytes, 10 * GB);
        w.delete_backup(b[0], SimTime(3 * DAY), DeletedBy::Manual);
        w.delete_backup(b[1], SimTime(4 * DAY), DeletedBy::Manual);
        let use_ = replay(&w, &b, SimTime(5 * DAY));
        let per_day: Vec<u128> = (0..5).map(|d| use_.byte_ms[&(d, r)] / u128::from(DAY) / u128::from(GB)).collect();
        assert_eq!(per_day, vec![100, 110, 120, 110, 100]);
        assert_eq!(use_.at_end[&r], u128::from(100 * GB));
    }

    #[test]
    fn an_incremental_copy_landing_before_its_full_base_is_stored_once_the_base_lands() {
        // OCI and FSx start the next copies while the first (full) one still moves, so copy 2
        // (+10 GB) can land in the DR region at day 0 before copy 1 (100 GB) at day 1. Until the
        // base lands copy 2 is the chain's only member and holds the image; once it lands the
        // region stores 100 + 10 GB, not two full images.
        let mut w = crate::providers::new_world();
        let r = w.add_region("r", crate::providers::AWS_EBS, Partition::Commercial);
        let dr = w.add_region("dr", crate::providers::AWS_EBS, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100 * GB, 100_000);
        let b: Vec<_> = (0..2).map(|d| w.take_backup(v, SimTime(d * DAY))).collect();
        let landed = |i: usize| {
            let mut x = w.backup(b[i]).clone();
            x.region = dr;
            x.origin_copy = crate::model::CopyId(i as u32).into();
            x
        };
        let mut m = StorageMeter::new(SimTime(3 * DAY));
        m.appear(SimTime(0), &landed(1));
        m.appear(SimTime(DAY), &landed(0));
        let use_ = m.finish();
        assert_eq!(use_.byte_ms[&(0, dr)], u128::from(100 * GB) * u128::from(DAY));
        assert_eq!(use_.byte_ms[&(1, dr)], u128::from(110 * GB) * u128::from(DAY));
        assert_eq!(use_.at_end[&dr], u128::from(110 * GB));
    }

    #[test]
    fn a_full_copy_landing_after_incremental_copies_built_on_it_adds_its_full_image() {
        // OCI: copy 1 (100 GB) is in the DR region; copy 2 failed, so copy 3 is full (100 GB,
        // `previous_copy_terminated_or_faulty`) and moves for days, while copies 4 and 5
        // (+10 GB each, incremental over 3) land on days 3 and 4: 100 + 10 + 10 GB. When 3
        // lands at 4 d 12 h the region holds 100 + 100 + 10 + 10 GB. It once counted only
        // 10 GB for it: the landing full image already cut its successor's range as if it were
        // there before, and a fleet with 5 % failed copies read 21 TB stored against 34.6 TB.
        let mut w = crate::providers::new_world();
        let r = w.add_region("r", crate::providers::AWS_EBS, Partition::Commercial);
        let dr = w.add_region("dr", crate::providers::AWS_EBS, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100 * GB, 100_000);
        let b: Vec<_> = (0..5).map(|d| w.take_backup(v, SimTime(d * DAY))).collect();
        let landed = |i: usize, full: bool| {
            let mut x = w.backup(b[i]).clone();
            x.region = dr;
            x.origin_copy = crate::model::CopyId(i as u32).into();
            if full {
                x.kind = BackupKind::Full;
                x.delta_bytes = x.full_bytes;
            }
            x
        };
        let mut m = StorageMeter::new(SimTime(5 * DAY));
        m.appear(SimTime(0), &landed(0, true));
        m.appear(SimTime(3 * DAY), &landed(3, false));
        m.appear(SimTime(4 * DAY), &landed(4, false));
        m.appear(SimTime(4 * DAY + DAY / 2), &landed(2, true));
        let use_ = m.finish();
        assert_eq!(use_.at_end[&dr], u128::from(220 * GB));
        let last_half_day = u128::from(DAY / 2);
        assert_eq!(use_.byte_ms[&(4, dr)], u128::from(120 * GB) * last_half_day + u128::from(220 * GB) * last_half_day);
    }

    #[test]
    fn every_change_a_chain_reports_is_what_its_members_store_afresh() {
        // Members landing in any order, full or not, and leaving in any order: the change each
        // operation returns keeps the running total equal to the chain computed from scratch.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        for _ in 0..300 {
            let mut c = Chain { region: RegionId(0), members: VecDeque::new() };
            let mut total: i128 = 0;
            let mut here: Vec<u32> = Vec::new();
            let mut gone: Vec<u32> = Vec::new();
            for _ in 0..40 {
                if next(3) > 0 || here.is_empty() {
                    let rank = next(30) as u32;
                    if here.contains(&rank) || gone.contains(&rank) {
                        continue;
                    }
                    let full = next(4) == 0;
                    let m = Member {
                        delta: if full { 1_000 } else { next(50) },
                        full: 1_000,
                        starts_segment: full,
                        alive: false,
                        kept: false,
                    };
                    total += c.add(rank, m);
                    here.push(rank);
                } else {
                    let rank = here.swap_remove(next(here.len() as u64) as usize);
                    total += c.remove(rank);
                    gone.push(rank);
                }
                assert_eq!(total, c.recompute() as i128, "{:?}", c.members);
            }
        }
    }

    #[test]
    fn deleting_a_middle_backup_frees_nothing() {
        let mut w = crate::providers::new_world();
        let r = w.add_region("r", crate::providers::AWS_EBS, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100 * GB, 100_000);
        let b: Vec<_> = (0..3).map(|d| w.take_backup(v, SimTime(d * DAY))).collect();
        w.delete_backup(b[1], SimTime(3 * DAY), DeletedBy::Manual);
        let use_ = replay(&w, &b, SimTime(4 * DAY));
        assert_eq!(use_.byte_ms[&(3, r)], u128::from(120 * GB) * u128::from(DAY));
    }

    #[test]
    fn what_happens_at_the_horizon_counts_in_what_is_stored_at_the_end() {
        // Events at exactly the horizon still run. #1..#3 taken at days 0..2 (100, +10, +10 GB),
        // the horizon at day 3; nothing after it is integrated.
        let setup = || {
            let mut w = crate::providers::new_world();
            let r = w.add_region("r", crate::providers::AWS_EBS, Partition::Commercial);
            let a = w.add_account("a");
            let v = w.add_volume("v", a, r, VolumeKind::Block, 100 * GB, 100_000);
            let b: Vec<_> = (0..3).map(|d| w.take_backup(v, SimTime(d * DAY))).collect();
            (w, r, v, b)
        };
        // #1 deleted at the horizon: the end holds #2's full image and #3's change, 110 GB.
        let (mut w, r, _, b) = setup();
        w.delete_backup(b[0], SimTime(3 * DAY), DeletedBy::Manual);
        let use_ = replay(&w, &b, SimTime(3 * DAY));
        assert_eq!(use_.at_end[&r], u128::from(110 * GB));
        assert!(!use_.byte_ms.contains_key(&(3, r)), "no time after the horizon is billed");
        assert_eq!(use_.byte_ms[&(2, r)], u128::from(120 * GB) * u128::from(DAY));
        // #4 taken at the horizon: the end holds its change too, 130 GB.
        let (mut w, r, v, mut b) = setup();
        b.push(w.take_backup(v, SimTime(3 * DAY)));
        let use_ = replay(&w, &b, SimTime(3 * DAY));
        assert_eq!(use_.at_end[&r], u128::from(130 * GB));
        assert_eq!(use_.byte_ms[&(2, r)], u128::from(120 * GB) * u128::from(DAY));
    }
}
