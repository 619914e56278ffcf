//! Reports: what a run leaves on disk (`copies.csv`, `backups.csv`, `actions.csv`, `summary.json`),
//! rendered in memory (written by [`crate::output`]), plus the terminal summary and the invariant checks.

pub mod csv_more;
pub mod csv_out;
pub mod drill;
pub mod html;
pub mod human;
pub mod invariants;
pub mod rpo;
pub mod summary;
pub mod terminal;

use crate::engine::RunOutput;
use crate::kernel::SimTime;
use crate::scenario::Scenario;

/// A rendered report: file names and their bytes, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// `(file name, contents)`.
    pub files: Vec<(String, Vec<u8>)>,
    /// The summary, for the terminal.
    pub summary: summary::Summary,
}

/// What the run's history adds up to: costs, RPO samples, drills.
pub struct Analysis {
    /// The cost ledger, when the scenario asks for costs.
    pub ledger: Option<crate::cost::ledger::Ledger>,
    /// RPO samples.
    pub rpo: Vec<rpo::Sample>,
    /// Drill restores.
    pub restores: Vec<drill::Restore>,
}

/// Computes costs, RPO and drills from a finished run.
pub fn analyse(scenario: &Scenario, out: &RunOutput) -> Analysis {
    let horizon = SimTime::ZERO + scenario.horizon;
    let w = &out.world;
    Analysis {
        ledger: scenario
            .cost
            .as_ref()
            .map(|book| crate::cost::ledger::compute(w, book, &scenario.fast_restore, horizon)),
        rpo: rpo::timeline(scenario, w, scenario.report.rpo_resolution),
        restores: drill::run(scenario, w, &scenario.fast_restore),
    }
}

/// Renders every output file of a finished run.
pub fn render(scenario: &Scenario, out: &RunOutput) -> Report {
    let mut violations = invariants::check(&out.world);
    violations.extend(invariants::check_plans(scenario, &out.world));
    let analysis = analyse(scenario, out);
    let summary = summary::build(scenario, out, &analysis, violations);
    let mut json = serde_json::to_vec_pretty(&summary).expect("the summary serializes");
    json.push(b'\n');
    let w = &out.world;
    let mut files = vec![
        ("copies.csv".to_string(), csv_out::copies(scenario, w)),
        ("backups.csv".to_string(), csv_out::backups(scenario, w)),
        ("actions.csv".to_string(), csv_out::actions(scenario, &out.actions)),
    ];
    if let Some(ledger) = &analysis.ledger {
        files.push(("cost.csv".to_string(), csv_more::cost(scenario, w, ledger)));
    }
    files.push(("rpo.csv".to_string(), csv_more::rpo(scenario, w, &analysis.rpo)));
    files.push(("restore.csv".to_string(), csv_more::restore(scenario, w, &analysis.restores)));
    files.push(("summary.json".to_string(), json));
    Report { files, summary }
}

/// An RFC 3339 UTC timestamp for simulated time `t`.
pub fn timestamp(start: jiff::Timestamp, t: SimTime) -> String {
    let ms = i64::try_from(t.as_ms()).unwrap_or(i64::MAX);
    match start.checked_add(jiff::SignedDuration::from_millis(ms)) {
        Ok(ts) => ts.to_string(),
        Err(_) => format!("{start}+{ms}ms"),
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
