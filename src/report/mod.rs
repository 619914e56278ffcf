//! Reports: what a run leaves on disk (`copies.csv`, `backups.csv`, `actions.csv`, `summary.json`),
//! rendered in memory and written atomically, plus the terminal summary and the invariant checks.

pub mod csv_out;
pub mod invariants;
pub mod summary;
pub mod write;

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

/// Renders every output file of a finished run.
pub fn render(scenario: &Scenario, out: &RunOutput) -> Report {
    let mut violations = invariants::check(&out.world);
    violations.extend(invariants::check_plans(scenario, &out.world));
    let summary = summary::build(scenario, out, violations);
    let mut json = serde_json::to_vec_pretty(&summary).expect("the summary serializes");
    json.push(b'\n');
    let files = vec![
        ("copies.csv".to_string(), csv_out::copies(scenario, &out.world)),
        ("backups.csv".to_string(), csv_out::backups(scenario, &out.world)),
        ("actions.csv".to_string(), csv_out::actions(scenario, &out.actions)),
        ("summary.json".to_string(), json),
    ];
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

/// Milliseconds as seconds with three decimals, without floating point.
pub fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1_000, ms % 1_000)
}
