//! The files computed at the horizon: `cost.csv` and `restore.csv`.

use super::drill::Restore;
use super::{seconds, timestamp, timestamp_ms};
use crate::cost::ledger::Ledger;
use crate::cost::{MS_PER_DAY, usd};
use crate::kernel::SimTime;
use crate::model::World;
use crate::scenario::Scenario;

/// A CSV writer into memory with `\n` line ends.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new())
}

/// The bytes written.
fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

/// An optional timestamp; empty when `None`.
fn opt_ts(start: jiff::Timestamp, t: Option<SimTime>) -> String {
    t.map(|t| timestamp(start, t)).unwrap_or_default()
}

/// Millionths as a decimal with six places.
fn micro(q: u128) -> String {
    format!("{}.{:06}", q / 1_000_000, q % 1_000_000)
}

/// `cost.csv`: one row per day × region × category with a cost or a quantity.
pub fn cost(s: &Scenario, w: &World, ledger: &Ledger) -> Vec<u8> {
    let mut out = writer();
    out.write_record(["day", "date", "region", "provider", "category", "quantity", "unit", "cost_usd"])
        .expect("in memory");
    for (&(day, region, item), line) in &ledger.lines {
        let date = timestamp(s.start, SimTime(day * MS_PER_DAY));
        out.write_record([
            day.to_string(),
            date.get(..10).unwrap_or(&date).to_string(),
            w.region(region).name.clone(),
            w.region(region).provider.name().to_string(),
            item.name().to_string(),
            micro(line.quantity_micro(item)),
            item.unit().to_string(),
            usd(line.nano_usd),
        ])
        .expect("in memory");
    }
    finish(out)
}

/// `restore.csv`: every volume of every drill.
pub fn restore(s: &Scenario, w: &World, restores: &[Restore]) -> Vec<u8> {
    let mut out = writer();
    out.write_record([
        "drill",
        "outage_at",
        "failed_region",
        "volume_id",
        "dr_region",
        "restored_seq",
        "backup_created_at",
        "data_loss_s",
        "fast_restore",
        "consistency_group",
        "started_at",
        "ready_at",
        "hydrated_at",
        "status",
    ])
    .expect("in memory");
    let ts = |t: Option<SimTime>| opt_ts(s.start, t);
    for r in restores {
        out.write_record([
            (r.drill + 1).to_string(),
            timestamp(s.start, r.outage_at),
            w.region(r.failed_region).name.clone(),
            w.volume(r.volume).name.clone(),
            r.dr_region.map(|d| w.region(d).name.clone()).unwrap_or_default(),
            r.seq.map(|q| q.to_string()).unwrap_or_default(),
            r.backup_created_ms.map(|ms| timestamp_ms(s.start, ms)).unwrap_or_default(),
            r.data_loss.map(|d| seconds(d.as_ms())).unwrap_or_default(),
            r.fast_restore.to_string(),
            r.group.map(|g| w.instances[g as usize].name.clone()).unwrap_or_default(),
            ts(r.started_at),
            ts(r.ready_at),
            ts(r.hydrated_at),
            if r.ready_at.is_some() { "restored" } else { "no_copy" }.to_string(),
        ])
        .expect("in memory");
    }
    finish(out)
}
