//! Reports: the run pipeline (observers stream rows into a [`Sink`] as the engine records them,
//! the rest is written at the horizon), `summary.json`, the terminal summary, the invariant checks.

pub mod csv_more;
pub mod drill;
pub mod fill;
pub mod html;
pub mod human;
pub mod invariants;
pub mod rpo;
pub mod sink;
pub mod summary;
pub mod terminal;

use std::io::{self, Write};
use std::rc::Rc;

use crate::analysis::cost::CostMeter;
use crate::analysis::invariants::TransferChecks;
use crate::analysis::plan_checks::PlanChecks;
use crate::analysis::recovery::Recovery;
use crate::analysis::{Observers, catalog::Catalog, rows::Rows, tally::Tally};
use crate::engine::RunOutput;
use crate::kernel::{RunError, SimTime};
use crate::scenario::Scenario;
pub use sink::{Memory, Sink};

/// A rendered report: file names and their bytes, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// `(file name, contents)`.
    pub files: Vec<(String, Vec<u8>)>,
    /// The summary, for the terminal.
    pub summary: summary::Summary,
}

/// How much a run writes (see `docs/outputs.md`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Detail {
    /// Every row: `copies.csv`, `backups.csv`, `actions.csv`, per-volume `rpo.csv`, and the rest.
    #[default]
    Full,
    /// Fleet-level files only: `summary.json`, `cost.csv`, `rpo_fleet.csv`, `restore.csv` when a region goes out.
    Summary,
}

/// Why a run produced no report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The simulation itself stopped (the event guard).
    #[error(transparent)]
    Run(#[from] RunError),
    /// A file could not be written.
    #[error("cannot write {0}: {1}")]
    Write(String, io::Error),
}

/// What a finished run hands back besides its files.
pub struct Finished {
    /// The final state.
    pub out: RunOutput,
    /// The summary (also written as `summary.json`).
    pub summary: summary::Summary,
}

/// What the run's history adds up to: costs, RPO, drills.
pub struct Analysis {
    /// The cost ledger, when the scenario asks for costs.
    pub ledger: Option<crate::cost::ledger::Ledger>,
    /// RPO per DR region.
    pub rpo: Vec<rpo::RegionRpo>,
    /// Drill restores.
    pub restores: Vec<drill::Restore>,
    /// Every drill (region outage): when, and the region that went out.
    pub outages: Vec<(SimTime, crate::model::RegionId)>,
}

fn create(sink: &mut dyn Sink, name: &str) -> Result<Box<dyn Write>, Error> {
    sink.create(name).map_err(|e| Error::Write(name.to_string(), e))
}

fn put(sink: &mut dyn Sink, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let mut w = create(sink, name)?;
    w.write_all(bytes).and_then(|()| w.flush()).map_err(|e| Error::Write(name.to_string(), e))
}

/// Runs `scenario`, streaming its rows into `sink` as they are recorded (with `Detail::Full`),
/// then writes the files computed at the end and `summary.json`.
pub fn run(scenario: &Scenario, detail: Detail, sink: &mut dyn Sink) -> Result<Finished, Error> {
    run_with_progress(scenario, detail, sink, None)
}

/// [`run`], telling `progress` the simulated time and events handled every so often.
pub fn run_with_progress(
    scenario: &Scenario,
    detail: Detail,
    sink: &mut dyn Sink,
    progress: Option<Box<dyn FnMut(SimTime, u64)>>,
) -> Result<Finished, Error> {
    let horizon = SimTime::ZERO + scenario.horizon;
    let cat = Rc::new(Catalog::new(scenario));
    let full = detail == Detail::Full;
    let rows = match full {
        true => Some(Rows::new(
            Rc::clone(&cat),
            create(sink, "copies.csv")?,
            create(sink, "backups.csv")?,
            create(sink, "actions.csv")?,
        )),
        false => None,
    };
    let (volume_rpo, fleet) =
        if full { (Some(create(sink, "rpo.csv")?), None) } else { (None, Some(create(sink, "rpo_fleet.csv")?)) };
    let mut obs = Observers {
        tally: Tally::new(
            scenario.schedules.len(),
            // Seeding is followed only where its warnings can be given: a cold start (summary.rs).
            if scenario.warm_start { 0 } else { scenario.world.regions.len() },
            scenario.report.window,
        ),
        rows,
        cost: scenario
            .cost
            .clone()
            .map(|book| CostMeter::new(book, scenario.fast_restore.clone(), cat.world().clone(), horizon)),
        recovery: Recovery::new(scenario, Rc::clone(&cat), volume_rpo, fleet),
        transfers: TransferChecks::new(Rc::clone(&cat)),
        plans: PlanChecks::new(scenario),
        progress,
    };
    let out = crate::engine::run_with(scenario, &mut obs)?;
    let rows_err = |e| Error::Write("copies.csv, backups.csv or actions.csv".into(), e);
    obs.rows.take().map_or(Ok(()), Rows::finish).map_err(rows_err)?;
    obs.recovery.finish().map_err(|e| Error::Write("rpo.csv or rpo_fleet.csv".into(), e))?;
    let Observers { tally, cost, recovery, transfers, plans, .. } = obs;
    let mut violations = transfers.finish(&out.world);
    violations.extend(plans.finish());
    let cx = drill::Context {
        world: &out.world,
        fast: &scenario.fast_restore,
        groups: &recovery.groups,
        first: &recovery.first,
    };
    let analysis = Analysis {
        ledger: cost.map(CostMeter::finish),
        rpo: recovery.summary(scenario.report.rpo_target),
        restores: drill::run(&cx, &recovery.drills),
        outages: recovery.drills.iter().map(|d| (d.at, d.failed)).collect(),
    };
    let summary = summary::build(scenario, &out, &tally, &analysis, violations);
    write_rest(scenario, &out, &analysis, full, sink)?;
    let mut json = serde_json::to_vec_pretty(&summary).expect("the summary serializes");
    json.push(b'\n');
    put(sink, "summary.json", &json)?;
    Ok(Finished { out, summary })
}

/// `cost.csv` and `restore.csv`, written at the horizon.
fn write_rest(
    scenario: &Scenario,
    out: &RunOutput,
    analysis: &Analysis,
    full: bool,
    sink: &mut dyn Sink,
) -> Result<(), Error> {
    let w = &out.world;
    if let Some(ledger) = &analysis.ledger {
        put(sink, "cost.csv", &csv_more::cost(scenario, w, ledger))?;
    }
    if full || !analysis.restores.is_empty() {
        put(sink, "restore.csv", &csv_more::restore(scenario, w, &analysis.restores))?;
    }
    Ok(())
}

/// Runs `scenario` and keeps every file in memory (tests, library use).
pub fn in_memory(scenario: &Scenario, detail: Detail) -> Result<(RunOutput, Report), Error> {
    let mut mem = Memory::default();
    let f = run(scenario, detail, &mut mem)?;
    Ok((f.out, Report { files: mem.into_files(), summary: f.summary }))
}

/// An RFC 3339 UTC timestamp for simulated time `t`, always with three fractional digits
/// (`2026-01-05T00:00:00.000Z`), so a fixed-format parser reads every one. An instant past the
/// last one RFC 3339 can write (9999-12-30 for jiff) is empty, "not yet" by then: validation
/// keeps every single step within a year of margin, so only a drill's restore queued behind
/// years of others gets there.
pub fn timestamp(start: jiff::Timestamp, t: SimTime) -> String {
    timestamp_ms(start, i64::try_from(t.as_ms()).unwrap_or(i64::MAX))
}

/// [`timestamp`] for `ms` milliseconds from the start, negative before it (the run a warm
/// copy stands for).
pub fn timestamp_ms(start: jiff::Timestamp, ms: i64) -> String {
    match start.checked_add(jiff::SignedDuration::from_millis(ms)) {
        Ok(ts) => format!("{ts:.3}"), // always three fractional digits: a fixed format
        Err(_) => String::new(),
    }
}

/// The nearest-rank `p`-th percentile of `sorted` (0 when empty).
pub fn percentile(sorted: &[u64], p: u64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p * sorted.len() as u64).div_ceil(100).max(1) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

/// Milliseconds as seconds with three decimals, without floating point.
pub fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1_000, ms % 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_always_carry_three_fractional_digits() {
        let start: jiff::Timestamp = "2026-01-05T00:00:00Z".parse().expect("valid");
        assert_eq!(timestamp(start, SimTime(0)), "2026-01-05T00:00:00.000Z");
        assert_eq!(timestamp(start, SimTime(30_400)), "2026-01-05T00:00:30.400Z");
        assert_eq!(timestamp(start, SimTime(30_631)), "2026-01-05T00:00:30.631Z");
        // Past jiff's (and RFC 3339's four-digit) last year: empty, never another format.
        assert_eq!(timestamp(start, SimTime(8_000 * 366 * 86_400_000)), "");
    }
}
