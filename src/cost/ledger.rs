//! The cost ledger: storage, transfer and fast restore, per day × region × category (`cost.csv`), with totals and the monthly run-rate.

use std::collections::BTreeMap;

use super::prices::{Item, PriceBook};
use super::storage::StorageUse;
use super::{BYTES_PER_GB, MS_PER_DAY, MS_PER_MONTH};
use crate::kernel::SimTime;
use crate::model::{Copy, Provider, RegionId, VolumeId, World};

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

impl Ledger {
    /// Adds stored byte-milliseconds, priced per region.
    pub fn add_storage(&mut self, w: &World, book: &PriceBook, storage: StorageUse) {
        for (&(day, region), &byte_ms) in &storage.byte_ms {
            let price = u128::from(book.price(w, region, Item::Storage).unwrap_or(0));
            let line = self.lines.entry((day, region, Item::Storage)).or_default();
            line.quantity_micro += byte_ms * 1_000_000 / (BYTES_PER_GB * u128::from(MS_PER_DAY));
            line.nano_usd += round_div(byte_ms * price, BYTES_PER_GB * MS_PER_MONTH);
        }
        self.storage = storage;
    }

    /// Adds one copy's transfer, billed to its source region on the day it finished.
    pub fn add_transfer(&mut self, w: &World, book: &PriceBook, c: &Copy) {
        let Some(at) = c.finished_at.get() else { return };
        // Transfer is billed to the source region (Huawei: "replication traffic is billed to the source region").
        let price = u128::from(book.transfer(w, c.source_region, c.dest_region).unwrap_or(0));
        let line = self.lines.entry((at.as_ms() / MS_PER_DAY, c.source_region, Item::Transfer)).or_default();
        let bytes = u128::from(crate::record::facts::bytes_moved(c));
        line.quantity_micro += bytes * 1_000_000 / BYTES_PER_GB;
        line.nano_usd += round_div(bytes * price, BYTES_PER_GB);
    }

    /// Adds fast restore for one volume in `f.region`, enabled from `from` to `horizon`.
    pub fn add_fast_restore(&mut self, w: &World, book: &PriceBook, f: &FastRestore, from: SimTime, horizon: SimTime) {
        let price = u128::from(book.price(w, f.region, Item::FastRestore).unwrap_or(0));
        let mut t = from.as_ms();
        while t < horizon.as_ms() {
            let day = t / MS_PER_DAY;
            let end = ((day + 1) * MS_PER_DAY).min(horizon.as_ms());
            let zone_ms = u128::from(end - t) * u128::from(f.zones);
            let line = self.lines.entry((day, f.region, Item::FastRestore)).or_default();
            line.quantity_micro += zone_ms * 1_000_000 / 3_600_000;
            line.nano_usd += round_div(zone_ms * price, 3_600_000);
            t = end;
        }
    }
}

impl Ledger {
    /// Total nano-dollars per item.
    pub fn totals(&self) -> BTreeMap<Item, u128> {
        self.totals_between(SimTime::ZERO, SimTime::MAX)
    }

    /// Total nano-dollars per item of the days that start in `[from, to)`.
    pub fn totals_between(&self, from: SimTime, to: SimTime) -> BTreeMap<Item, u128> {
        let mut t = BTreeMap::new();
        let days = |d: u64| d * MS_PER_DAY >= from.as_ms() && d * MS_PER_DAY < to.as_ms();
        for (&(_, _, item), line) in self.lines.iter().filter(|((d, _, _), _)| days(*d)) {
            *t.entry(item).or_default() += line.nano_usd;
        }
        t
    }

    /// The monthly run-rate: the cost of the last seven days (or the whole run if shorter),
    /// scaled to a 730-hour month.
    pub fn monthly_run_rate(&self, horizon: SimTime) -> u128 {
        self.monthly_run_rate_between(SimTime::ZERO, horizon)
    }

    /// The run-rate of the last seven days before `to`, none of them before `from`'s day.
    pub fn monthly_run_rate_between(&self, from: SimTime, to: SimTime) -> u128 {
        let days = to.as_ms().div_ceil(MS_PER_DAY).max(1);
        let first = (days - days.min(7)).max(from.as_ms().div_ceil(MS_PER_DAY)).min(days - 1);
        let window_ms = (to.as_ms() - first * MS_PER_DAY).max(1);
        let sum: u128 =
            self.lines.iter().filter(|((d, _, _), _)| *d >= first && *d < days).map(|(_, l)| l.nano_usd).sum();
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
