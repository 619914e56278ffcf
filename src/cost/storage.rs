//! Storage accounting over time: what each region stores, as backups appear and are deleted.
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

use std::collections::{BTreeMap, BTreeSet};

use super::MS_PER_DAY;
use crate::kernel::SimTime;
use crate::model::{Backup, CopyKind, Origin, RegionId, World};

struct Member {
    full: u64,
}

struct Chain {
    region: RegionId,
    members: Vec<Member>,
    /// `prefix[i]`: sum of deltas of members `0..i`.
    prefix: Vec<u128>,
    /// `segment[i]`: index of the segment start at or before `i`.
    segment: Vec<usize>,
    alive: BTreeSet<usize>,
}

impl Chain {
    fn term(&self, prev: Option<usize>, i: usize) -> u128 {
        let m = &self.members[i];
        match prev {
            Some(p) if self.segment[p] == self.segment[i] => {
                (self.prefix[i + 1] - self.prefix[p + 1]).min(u128::from(m.full))
            }
            _ => u128::from(m.full),
        }
    }

    /// Change of stored bytes when member `i` appears.
    fn add(&mut self, i: usize) -> i128 {
        let prev = self.alive.range(..i).next_back().copied();
        let next = self.alive.range(i + 1..).next().copied();
        let before = next.map_or(0, |n| self.term(prev, n));
        let after = self.term(prev, i) + next.map_or(0, |n| self.term(Some(i), n));
        self.alive.insert(i);
        after as i128 - before as i128
    }

    /// Change of stored bytes when member `i` goes.
    fn remove(&mut self, i: usize) -> i128 {
        self.alive.remove(&i);
        let prev = self.alive.range(..i).next_back().copied();
        let next = self.alive.range(i + 1..).next().copied();
        let before = self.term(prev, i) + next.map_or(0, |n| self.term(Some(i), n));
        let after = next.map_or(0, |n| self.term(prev, n));
        after as i128 - before as i128
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

fn stores_data(w: &World, b: &Backup) -> bool {
    match b.origin {
        Origin::Source => true,
        Origin::Copy(c) => {
            let c = w.copy(c);
            c.kind != Some(CopyKind::Share) && (c.bytes > 0 || c.kind == Some(CopyKind::Full))
        }
    }
}

/// Builds every chain and the `(time, chain, member, appears)` events of its members.
/// `(time, chain, member, appears)`.
type Edge = (SimTime, usize, usize, bool);

fn chains(w: &World, horizon: SimTime) -> (Vec<Chain>, Vec<Edge>) {
    let mut index: BTreeMap<(u32, u16, u16, bool), usize> = BTreeMap::new();
    let mut chains: Vec<Chain> = Vec::new();
    let mut order: Vec<(usize, SimTime, u32, &Backup)> = Vec::new();
    for b in w.backups.iter().filter(|b| stores_data(w, b)) {
        let copy = matches!(b.origin, Origin::Copy(_));
        let key = (b.volume.0, b.region.0, b.account.0, copy);
        let next = chains.len();
        let ci = *index.entry(key).or_insert(next);
        if ci == next {
            chains.push(Chain {
                region: b.region,
                members: Vec::new(),
                prefix: vec![0],
                segment: Vec::new(),
                alive: BTreeSet::new(),
            });
        }
        let (from, rank) = match b.origin {
            Origin::Source => (b.created_at, b.seq),
            Origin::Copy(c) => (b.available_at.unwrap_or(b.created_at), c.0),
        };
        order.push((ci, from, rank, b));
    }
    order.sort_by_key(|&(ci, _, rank, _)| (ci, rank));
    let mut events = Vec::new();
    for (ci, from, _, b) in order {
        let chain = &mut chains[ci];
        let i = chain.members.len();
        let starts_segment = i == 0 || b.kind == crate::model::BackupKind::Full;
        chain.segment.push(if starts_segment { i } else { chain.segment[i - 1] });
        chain.prefix.push(chain.prefix[i] + u128::from(b.delta_bytes));
        chain.members.push(Member { full: b.full_bytes });
        let to = b.deleted_at.unwrap_or(horizon).min(horizon);
        if from < to {
            events.push((from, ci, i, true));
            if to < horizon {
                events.push((to, ci, i, false));
            }
        }
    }
    events.sort_by_key(|&(t, ci, i, appears)| (t, !appears, ci, i));
    (chains, events)
}

/// Integrates stored bytes per day and region from the start to `horizon`.
pub fn account(w: &World, horizon: SimTime) -> StorageUse {
    let (mut chains, events) = chains(w, horizon);
    let mut stored: BTreeMap<RegionId, i128> = BTreeMap::new();
    let mut out = StorageUse::default();
    let mut last = SimTime::ZERO;
    for (t, ci, i, appears) in events {
        integrate(&mut out, &stored, last, t);
        last = t;
        let chain = &mut chains[ci];
        let d = if appears { chain.add(i) } else { chain.remove(i) };
        *stored.entry(chain.region).or_default() += d;
    }
    integrate(&mut out, &stored, last, horizon);
    out.at_end = stored.into_iter().filter(|(_, b)| *b > 0).map(|(r, b)| (r, b as u128)).collect();
    out
}

/// Adds `stored × (to − from)` to the day buckets it spans.
fn integrate(out: &mut StorageUse, stored: &BTreeMap<RegionId, i128>, from: SimTime, to: SimTime) {
    let mut t = from.as_ms();
    while t < to.as_ms() {
        let day = t / MS_PER_DAY;
        let end = ((day + 1) * MS_PER_DAY).min(to.as_ms());
        for (&r, &bytes) in stored {
            if bytes > 0 {
                *out.byte_ms.entry((day, r)).or_default() += bytes as u128 * u128::from(end - t);
            }
        }
        t = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeletedBy, Partition, Provider, VolumeKind};

    const GB: u64 = 1 << 30;
    const DAY: u64 = MS_PER_DAY;

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
        let mut w = World::new();
        let r = w.add_region("r", Provider::AwsEbs, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100 * GB, 100_000);
        let b: Vec<_> = (0..3).map(|d| w.take_backup(v, SimTime(d * DAY))).collect();
        assert_eq!(w.backup(b[1]).delta_bytes, 10 * GB);
        w.delete_backup(b[0], SimTime(3 * DAY), DeletedBy::Manual);
        w.delete_backup(b[1], SimTime(4 * DAY), DeletedBy::Manual);
        let use_ = account(&w, SimTime(5 * DAY));
        let per_day: Vec<u128> = (0..5).map(|d| use_.byte_ms[&(d, r)] / u128::from(DAY) / u128::from(GB)).collect();
        assert_eq!(per_day, vec![100, 110, 120, 110, 100]);
        assert_eq!(use_.at_end[&r], u128::from(100 * GB));
    }

    #[test]
    fn deleting_a_middle_backup_frees_nothing() {
        let mut w = World::new();
        let r = w.add_region("r", Provider::AwsEbs, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100 * GB, 100_000);
        let b: Vec<_> = (0..3).map(|d| w.take_backup(v, SimTime(d * DAY))).collect();
        w.delete_backup(b[1], SimTime(3 * DAY), DeletedBy::Manual);
        let use_ = account(&w, SimTime(4 * DAY));
        assert_eq!(use_.byte_ms[&(3, r)], u128::from(120 * GB) * u128::from(DAY));
    }
}
