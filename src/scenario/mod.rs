//! Scenario files: the raw TOML ([`file`](mod@file)), human units ([`units`]), and the validated
//! [`Scenario`] ([`build`]) — parse, then validate, then assert.
//!
//! Every mistake is an [`InputError`] with file, line, column and a field: [`source`] reads the
//! file (at most 64 MiB, UTF-8) and draws the caret, [`toml_errors`] names the field of a TOML
//! syntax or type error, [`strings`] maps offsets inside decoded strings back to the file, and
//! [`budget`] refuses runaway work (events, RPO samples, byte totals, table sizes) before it starts.
//! `--set` overrides ([`overrides`]) edit the text; `linemap` places a mistake of the edited text
//! at its line in the user's file.

pub mod actions;
pub mod budget;
pub mod build;
pub mod costs;
pub mod events;
pub mod file;
mod iam;
mod linemap;
mod names;
pub mod overrides;
pub mod policies;
pub mod source;
pub mod strings;
pub mod timing;
pub mod toml_errors;
pub mod units;
pub mod warm_fill;

use std::fmt;
use std::path::Path;

use crate::kernel::{SimDuration, SimTime};
use crate::model::retention::Retention;
use crate::model::{AccountId, KeyId, RegionId, VolumeId, World};
pub use timing::Timing;

pub use build::{parse, parse_with_seed};

/// The quickstart scenario embedded in the binary (`copysim run` with no file).
pub const QUICKSTART: &str = include_str!("../../scenarios/quickstart.toml");

/// A validated scenario, ready to run.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Name; the output folder's name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Master seed.
    pub seed: u64,
    /// Start instant.
    pub start: jiff::Timestamp,
    /// Simulated span.
    pub horizon: SimDuration,
    /// Event budget guard.
    pub max_events: u64,
    /// The initial world.
    pub world: World,
    /// Backup schedules and policy plans.
    pub schedules: Vec<Schedule>,
    /// Backup policies.
    pub policies: Vec<Policy>,
    /// Timed actions, in file order.
    pub actions: Vec<Action>,
    /// The price book, when the scenario asks for costs (`[cost]`).
    pub cost: Option<crate::cost::prices::PriceBook>,
    /// Fast restore settings.
    pub fast_restore: Vec<crate::cost::ledger::FastRestore>,
    /// Report settings.
    pub report: ReportSettings,
    /// Probability that a started copy fails, in parts per million.
    pub copy_failure_ppm: u32,
    /// Start every scheduled volume in its steady state (see `docs/model.md`).
    pub warm_start: bool,
    /// Keep every backup and copy in memory to the horizon instead of settling them
    /// (`engine::settle`). Not a scenario-file key: for tests that prove settling changes no
    /// output, and for comparisons.
    pub keep_settled: bool,
    /// Load memory ahead always (`Some(true)`) or never (`Some(false)`) instead of once the
    /// live state outgrows the caches (`None`, see [`prefetch`](mod@crate::kernel::prefetch)). Not a
    /// scenario-file key: for tests that prove the hints change no output.
    pub hints: Option<bool>,
    /// SHA-256 of the scenario text.
    pub source_sha256: String,
    /// Where it came from (a path, or `<embedded quickstart>`).
    pub source_label: String,
}

/// `[report]` settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportSettings {
    /// RPO sampling interval.
    pub rpo_resolution: SimDuration,
    /// RPO target.
    pub rpo_target: Option<SimDuration>,
    /// The measurement window `[from, to]` the summary's statistics cover (`None`: the whole run).
    pub window: Option<(SimTime, SimTime)>,
}

impl ReportSettings {
    /// Whether `t` lies in the measurement window (always, without one).
    pub fn measures(&self, t: SimTime) -> bool {
        self.window.is_none_or(|(from, to)| from <= t && t <= to)
    }
}

/// A periodic backup job — a plain schedule or a policy's plan — with its copy targets and retention.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// Name (`<schedule>` or `<policy>/<plan>`).
    pub name: String,
    /// Volumes it backs up.
    pub volumes: Vec<VolumeId>,
    /// When it runs.
    pub timing: Timing,
    /// Copy targets for every backup.
    pub targets: Vec<Target>,
    /// Retention of the backups it takes (plans default to 30 days).
    pub retention: Option<Retention>,
    /// The policy it belongs to, for plans.
    pub policy: Option<u32>,
    /// Consistency groups: per volume of `volumes`, the instance whose group it is backed up with.
    pub groups: Vec<Option<u32>>,
    /// Whether it runs from the start (a plan may start disabled).
    pub enabled: bool,
    /// EBS: accounts each backup it takes is shared with.
    pub share_with: Vec<AccountId>,
}

/// A backup policy: it selects volumes by tags (or instances, as consistency groups) and owns plans.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Name.
    pub name: String,
    /// Account.
    pub account: AccountId,
    /// Region.
    pub region: RegionId,
    /// Its plans' indices in [`Scenario::schedules`].
    pub plans: Vec<u32>,
    /// Consistency-group policy: volumes of generation 2 it had to leave out.
    pub skipped_gen2: Vec<VolumeId>,
}

/// A copy target.
#[derive(Clone, Debug)]
pub struct Target {
    /// Destination region.
    pub region: RegionId,
    /// Destination account (None: the volume's own).
    pub account: Option<AccountId>,
    /// Destination key choice.
    pub key: KeyChoice,
    /// Retention of the remote copies it makes.
    pub retention: Option<Retention>,
}

/// What key a copy asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyChoice {
    /// Keep the source's encryption.
    Keep,
    /// Encrypt under this key.
    Key(KeyId),
    /// Ask for an unencrypted copy.
    Unencrypted,
}

/// A timed action.
#[derive(Clone, Debug)]
pub struct Action {
    /// When.
    pub at: SimTime,
    /// Its name, from its definition ([`actions::ACTIONS`]).
    pub name: &'static str,
    /// What it does, and to what (its definition's [`actions::Act`]).
    pub kind: std::sync::Arc<dyn actions::Act>,
}

/// One mistake in a scenario file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// The field at fault.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        } else {
            write!(f, "{}:{}:{}: field `{}`: {}", self.file, self.line, self.column, self.field, self.message)
        }
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{path}: cannot read the scenario: {source}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file has mistakes; each names its line, column and field.
    #[error("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The mistakes, in the order they were found.
        errors: Vec<InputError>,
        /// Per mistake, its source line with a caret under it ([`source::snippet`]); only the
        /// first [`RENDERED_ERRORS_MAX`] mistakes, the ones [`render`](Self::render) prints, have one.
        snippets: Vec<String>,
    },
}

/// At most this many mistakes are drawn with their source line by [`ScenarioError::render`].
pub const RENDERED_ERRORS_MAX: usize = 50;

impl Scenario {
    /// How far before the start the warm state reaches: with `warm_start`, the warm backups and
    /// copies stand for (and retention ages them from) runs before each schedule's first
    /// ([`warm_fill::warm_fill`]), the furthest of which is this far back; 0 without `warm_start`.
    pub fn warm_head_ms(&self) -> u64 {
        let enabled = self.schedules.iter().filter(|s| s.enabled && self.warm_start);
        enabled.map(|s| warm_fill::warm_fill(s, self.start).reach_ms()).max().unwrap_or(0)
    }
}

impl ScenarioError {
    /// The individual mistakes (empty for I/O errors).
    pub fn errors(&self) -> &[InputError] {
        match self {
            ScenarioError::Invalid { errors, .. } => errors,
            ScenarioError::Io { .. } => &[],
        }
    }

    /// Every mistake on its own line followed by its source line and a caret, as the CLI prints it
    /// (the first [`RENDERED_ERRORS_MAX`], then a count of the rest).
    pub fn render(&self) -> String {
        let ScenarioError::Invalid { errors, snippets } = self else { return self.to_string() };
        render_mistakes(errors, snippets)
    }
}

/// Mistakes as the CLI prints them, a scenario's or a sweep file's: each on its own line
/// followed by its source line with a caret (`snippets[i]`, for the first
/// [`RENDERED_ERRORS_MAX`]), then a count of the rest.
pub fn render_mistakes(errors: &[InputError], snippets: &[String]) -> String {
    let mut out = Vec::new();
    for (i, e) in errors.iter().enumerate().take(RENDERED_ERRORS_MAX) {
        let snippet = snippets.get(i).map_or("", |s| s.trim_end());
        out.push(if i == 0 { format!("{e}\n{snippet}") } else { format!("error: {e}\n{snippet}") });
    }
    if errors.len() > RENDERED_ERRORS_MAX {
        out.push(format!("… and {} more mistakes", errors.len() - RENDERED_ERRORS_MAX));
    }
    out.join("\n")
}

/// Loads and validates the scenario at `path`, with an optional seed override. The file is read
/// with a bounded reader: more than [`source::MAX_SCENARIO_BYTES`] is refused before parsing.
pub fn load(path: &Path, seed: Option<u64>) -> Result<Scenario, ScenarioError> {
    let text = source::read(path)?;
    parse_with_seed(&text, &path.display().to_string(), seed)
}

/// The embedded quickstart, validated, with an optional seed override.
pub fn quickstart(seed: Option<u64>) -> Scenario {
    parse_with_seed(QUICKSTART, "<embedded quickstart>", seed).expect("the embedded quickstart is valid")
}
