//! The cost ledger: storage, transfer and fast restore, per day × region × category (`cost.csv`), with totals and the monthly run-rate.

use std::collections::BTreeMap;

use super::prices::{Item, PriceBook};
use super::storage::{self, StorageUse};
use super::{BYTES_PER_GB, MS_PER_DAY, MS_PER_MONTH};
use crate::kernel::SimTime;
use crate::model::{CopyKind, CopyState, Provider, RegionId, VolumeId, World};

/// Fast restore enabled for some volumes' copies in one region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FastRestore {
    /// The volumes.
    pub volumes: Vec<VolumeId>,
    /// Where their newest copy (or backup) is kept warm.
    pub region: RegionId,
    /// Zones it is enabled in.
    pub zones: u32,
}

/// One row of `cost.csv`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    /// Quantity in millionths of the unit.
    pub quantity_micro: u128,
    /// Cost in nano-dollars.
    pub nano_usd: u128,
}

/// Every cost of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// `(day, region, item) → line`.
    pub lines: BTreeMap<(u64, RegionId, Item), Line>,
    /// Storage used.
    pub storage: StorageUse,
}

/// `a / b` rounded to nearest.
fn round_div(a: u128, b: u128) -> u128 {
    (a + b / 2) / b
}

/// When fast restore for `volume` in `region` starts costing: its first backup or copy there.
pub fn fast_restore_from(w: &World, volume: VolumeId, region: RegionId) -> Option<SimTime> {
    let v = w.volume(volume);
    let sources = v.chain.iter().map(|&b| w.backup(b)).filter(|b| b.region == region);
    let copies = v
        .dests
        .iter()
        .filter(|d| d.region == region)
        .flat_map(|d| d.started.iter())
        .filter_map(|&c| w.copy(c).dest_backup)
        .map(|b| w.backup(b));
    sources.chain(copies).filter_map(|b| b.available_at).min()
}

/// Computes the ledger of `w` up to `horizon`.
pub fn compute(w: &World, book: &PriceBook, fast: &[FastRestore], horizon: SimTime) -> Ledger {
    let mut ledger = Ledger { storage: storage::account(w, horizon), ..Ledger::default() };
    for (&(day, region), &byte_ms) in &ledger.storage.byte_ms {
        let price = u128::from(book.price(w, region, Item::Storage).unwrap_or(0));
        let line = ledger.lines.entry((day, region, Item::Storage)).or_default();
        line.quantity_micro += byte_ms * 1_000_000 / (BYTES_PER_GB * u128::from(MS_PER_DAY));
        line.nano_usd += round_div(byte_ms * price, BYTES_PER_GB * MS_PER_MONTH);
    }
    for c in &w.copies {
        let moved = matches!(c.state, CopyState::Available | CopyState::Terminating | CopyState::Terminated);
        if !moved || c.kind == Some(CopyKind::Share) || c.source_region == c.dest_region || c.bytes == 0 {
            continue;
        }
        let Some(at) = c.finished_at else { continue };
        // Transfer is billed to the source region (Huawei: "replication traffic is billed to the source region").
        let price = u128::from(book.transfer(w, c.source_region, c.dest_region).unwrap_or(0));
        let line = ledger.lines.entry((at.as_ms() / MS_PER_DAY, c.source_region, Item::Transfer)).or_default();
        line.quantity_micro += u128::from(c.bytes) * 1_000_000 / BYTES_PER_GB;
        line.nano_usd += round_div(u128::from(c.bytes) * price, BYTES_PER_GB);
    }
    for f in fast {
        let price = u128::from(book.price(w, f.region, Item::FastRestore).unwrap_or(0));
        for &v in &f.volumes {
            let Some(from) = fast_restore_from(w, v, f.region) else { continue };
            let mut t = from.as_ms();
            while t < horizon.as_ms() {
                let day = t / MS_PER_DAY;
                let end = ((day + 1) * MS_PER_DAY).min(horizon.as_ms());
                let zone_ms = u128::from(end - t) * u128::from(f.zones);
                let line = ledger.lines.entry((day, f.region, Item::FastRestore)).or_default();
                line.quantity_micro += zone_ms * 1_000_000 / 3_600_000;
                line.nano_usd += round_div(zone_ms * price, 3_600_000);
                t = end;
            }
        }
    }
    ledger
}

impl Ledger {
    /// Total nano-dollars per item.
    pub fn totals(&self) -> BTreeMap<Item, u128> {
        let mut t = BTreeMap::new();
        for (&(_, _, item), line) in &self.lines {
            *t.entry(item).or_default() += line.nano_usd;
        }
        t
    }

    /// The monthly run-rate: the cost of the last seven days (or the whole run if shorter),
    /// scaled to a 730-hour month.
    pub fn monthly_run_rate(&self, horizon: SimTime) -> u128 {
        let days = horizon.as_ms().div_ceil(MS_PER_DAY).max(1);
        let window_days = days.min(7);
        let first = days - window_days;
        let window_ms = (horizon.as_ms() - first * MS_PER_DAY).max(1);
        let sum: u128 = self.lines.iter().filter(|((d, _, _), _)| *d >= first).map(|(_, l)| l.nano_usd).sum();
        sum * MS_PER_MONTH / u128::from(window_ms)
    }

    /// Providers whose regions have costs, for reports.
    pub fn providers(&self, w: &World) -> Vec<Provider> {
        let mut v: Vec<Provider> = self.lines.keys().map(|(_, r, _)| w.region(*r).provider).collect();
        v.sort();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Partition, VolumeKind};

    #[test]
    fn storage_and_transfer_worked_out_by_hand() {
        // One 100 GiB EBS volume, one full backup at t=0, kept 30 days (horizon): 100 GiB ×
        // 30 days = 100 × 720 h / 730 h GB-months × $0.05 = $4.931506 (rounded down).
        let mut w = World::new();
        let r = w.add_region("us-east-1", Provider::AwsEbs, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100 << 30, 0);
        w.take_backup(v, SimTime(0));
        let book = PriceBook::defaults(&w);
        let horizon = SimTime(30 * MS_PER_DAY);
        let l = compute(&w, &book, &[], horizon);
        let storage = l.totals()[&Item::Storage];
        assert_eq!(super::super::usd(storage), "4.931506", "{storage}");
        // Transfer: a 100 GiB full copy to another region at $0.02 per GB = $2.
        let r2 = w.add_region("us-west-2", Provider::AwsEbs, Partition::Commercial);
        let b = w.volume(v).chain[0];
        let c = w.push_copy(crate::model::Copy::request(
            crate::model::CopyId(0),
            b,
            v,
            1,
            a,
            r,
            r2,
            crate::model::Trigger::Manual,
            SimTime(0),
        ));
        w.start_copy(c, CopyKind::Full, crate::model::Reason::FirstCopy, 100 << 30, SimTime(0));
        w.end_copy(c, SimTime(MS_PER_DAY), None);
        let l2 = compute(&w, &PriceBook::defaults(&w), &[], horizon);
        assert_eq!(super::super::usd(l2.totals()[&Item::Transfer]), "2.000000");
        // ...and its copy is stored in us-west-2 from day 1: 100 GiB × 29 days.
        assert_eq!(l2.storage.byte_ms.keys().filter(|(_, reg)| *reg == r2).count(), 29);
        assert_eq!(l.lines[&(0, r, Item::Storage)].quantity_micro, 100_000_000, "100 GB-days a day");
        // Run-rate over the last 7 days, scaled to 730 h: 100 GiB × $0.05 = $5 (to a few nano-dollars).
        assert!(l.monthly_run_rate(horizon).abs_diff(5_000_000_000) < 100, "{}", l.monthly_run_rate(horizon));
    }
}
