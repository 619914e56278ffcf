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
    /// Quantity, exact, in the item's raw unit ([`Item::raw_per_unit`]): byte-milliseconds
    /// stored, bytes transferred, zone-milliseconds of fast restore.
    pub quantity_raw: u128,
    /// Cost in nano-dollars (the sum of each addition's cost, each rounded to nearest).
    pub nano_usd: u128,
}

impl Line {
    /// Quantity in millionths of the unit (GiB-day, GiB, zone-hour), rounded to nearest.
    pub fn quantity_micro(&self, item: Item) -> u128 {
        round_div(self.quantity_raw * 1_000_000, item.raw_per_unit())
    }
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

/// The days (`first..end`, from the start) a run-rate over `[from, to)` bills: the last seven
/// of those the span touches.
pub fn run_rate_days(from: SimTime, to: SimTime) -> (u64, u64) {
    let (from_day, end_day) = (from.as_ms().div_ceil(MS_PER_DAY), to.as_ms().div_ceil(MS_PER_DAY));
    (end_day.saturating_sub(7).max(from_day), end_day)
}

impl Ledger {
    /// Adds stored byte-milliseconds, priced per region.
    pub fn add_storage(&mut self, w: &World, book: &PriceBook, storage: StorageUse) {
        for (&(day, region), &byte_ms) in &storage.byte_ms {
            let price = u128::from(book.price(w, region, Item::Storage).unwrap_or(0));
            let line = self.lines.entry((day, region, Item::Storage)).or_default();
            line.quantity_raw += byte_ms;
            line.nano_usd += round_div(byte_ms * price, BYTES_PER_GB * MS_PER_MONTH);
        }
        self.storage = storage;
    }

    /// Adds one copy's transfer, billed to its source region on the day it finished (or, still
    /// moving, on the last day before `closed_at`, the horizon).
    pub fn add_transfer(&mut self, w: &World, book: &PriceBook, c: &Copy, closed_at: SimTime) {
        // A copy still moving at the horizon is billed what it moved, on the horizon's last day.
        let at = c.finished_at.get().unwrap_or(SimTime(closed_at.as_ms().saturating_sub(1)));
        // Transfer is billed to the source region (Huawei: "replication traffic is billed to the source region").
        let price = u128::from(book.transfer(w, c.source_region, c.dest_region).unwrap_or(0));
        let line = self.lines.entry((at.as_ms() / MS_PER_DAY, c.source_region, Item::Transfer)).or_default();
        let bytes = u128::from(crate::record::facts::bytes_moved(c));
        line.quantity_raw += bytes;
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
            line.quantity_raw += zone_ms;
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
        self.totals_between_in(from, to, None)
    }

    /// [`totals_between`](Self::totals_between), of region `region` only when given.
    pub fn totals_between_in(&self, from: SimTime, to: SimTime, region: Option<RegionId>) -> BTreeMap<Item, u128> {
        let mut t = BTreeMap::new();
        let days = |d: u64| d * MS_PER_DAY >= from.as_ms() && d * MS_PER_DAY < to.as_ms();
        let ours = |r: RegionId| region.is_none_or(|x| x == r);
        for (&(_, _, item), line) in self.lines.iter().filter(|((d, r, _), _)| days(*d) && ours(*r)) {
            *t.entry(item).or_default() += line.nano_usd;
        }
        t
    }

    /// The monthly run-rate: the cost of the last seven days (or the whole run if shorter),
    /// scaled to a 730-hour month.
    pub fn monthly_run_rate(&self, horizon: SimTime) -> u128 {
        self.monthly_run_rate_between(SimTime::ZERO, horizon, horizon)
    }

    /// The run-rate of the last seven of the days [`totals_between`](Self::totals_between)
    /// bills for `[from, to)`: their cost over the time they cover, a day each but the one the
    /// run ends in (`horizon`), scaled to a 730-hour month. No billed day: 0.
    pub fn monthly_run_rate_between(&self, from: SimTime, to: SimTime, horizon: SimTime) -> u128 {
        self.monthly_run_rate_between_in(from, to, horizon, None)
    }

    /// [`monthly_run_rate_between`](Self::monthly_run_rate_between), of region `region` only
    /// when given.
    pub fn monthly_run_rate_between_in(
        &self,
        from: SimTime,
        to: SimTime,
        horizon: SimTime,
        region: Option<RegionId>,
    ) -> u128 {
        let (first, end_day) = run_rate_days(from, to);
        if first >= end_day {
            return 0;
        }
        let covered_ms = |d: u64| horizon.as_ms().min((d + 1) * MS_PER_DAY).saturating_sub(d * MS_PER_DAY);
        let window_ms: u64 = (first..end_day).map(covered_ms).sum();
        let ours = |r: RegionId| region.is_none_or(|x| x == r);
        let billed = self.lines.iter().filter(|((d, r, _), _)| (first..end_day).contains(d) && ours(*r));
        let sum: u128 = billed.map(|(_, l)| l.nano_usd).sum();
        sum * MS_PER_MONTH / u128::from(window_ms.max(1))
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

    /// A ledger billing `nano_usd` on each of `days` days.
    fn flat(days: u64, nano_usd: u128) -> Ledger {
        let mut l = Ledger::default();
        for d in 0..days {
            l.lines.insert((d, RegionId(0), Item::Storage), Line { quantity_raw: 0, nano_usd });
        }
        l
    }

    const DAY: u64 = MS_PER_DAY;

    #[test]
    fn run_rate_scales_the_billed_days_by_the_time_they_cover() {
        // $1 a day: $30.416… a 730-hour month, whatever window bills whole days.
        let l = flat(10, 1_000_000_000);
        let month = 1_000_000_000 * MS_PER_MONTH / u128::from(DAY);
        let horizon = SimTime(10 * DAY);
        assert_eq!(l.monthly_run_rate(horizon), month);
        // A window ending an hour into day 2 bills day 2 whole (the days that start in it), so
        // its run-rate divides by that day, not by the hour.
        assert_eq!(l.monthly_run_rate_between(SimTime(2 * DAY), SimTime(2 * DAY + 3_600_000), horizon), month);
        assert_eq!(l.monthly_run_rate_between(SimTime(2 * DAY), SimTime(2 * DAY + DAY / 2), horizon), month);
        // A window in which no day starts bills nothing: its total and its run-rate are 0.
        assert_eq!(l.monthly_run_rate_between(SimTime(2 * DAY + 1), SimTime(3 * DAY - 1), horizon), 0);
    }

    #[test]
    fn the_day_the_run_ends_in_counts_for_the_time_it_covers() {
        // A 36-hour run: day 1 holds 12 hours' cost, so 1.5 days' cost over 36 hours.
        let mut l = flat(1, 1_000_000_000);
        l.lines.insert((1, RegionId(0), Item::Storage), Line { quantity_raw: 0, nano_usd: 500_000_000 });
        let horizon = SimTime(DAY + DAY / 2);
        assert_eq!(l.monthly_run_rate(horizon), 1_000_000_000 * MS_PER_MONTH / u128::from(DAY));
    }
}
