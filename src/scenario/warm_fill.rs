//! What `warm_start` lays down for one schedule, worked out from the scenario alone: the runs
//! before the start whose backups its volumes hold in the steady state, and how many of them its
//! source and each copy target keep (`docs/model.md`, "Warm start").
//!
//! The steady state is read just after the last run before the start, `r1`: that run's
//! retention has deleted what had reached its age limit (a copy ages from its completion, taken
//! to be [`WARM_COPY_LANDED_MS`] after its run) and kept the newest `count − 1`, then its backup
//! was taken and its copies landed. Nothing changes between `r1` and the start. A source or
//! target without retention keeps everything ever made: it has no steady state, and holds the
//! newest backup or copy alone.

use super::{Retention, Schedule, Timing};

/// How long after its run a warm copy is taken to have completed, for remote age retention
/// (which ages a copy from its completion): any steady-state copy completes after its backup's
/// run, so at a run exactly a retention period after that run it is still younger than the
/// limit and stays until the next run. One millisecond, the clock's unit, gives that order for
/// every retention and schedule without guessing how long the copy took.
pub const WARM_COPY_LANDED_MS: u64 = 1;

/// Most runs before the start a schedule's warm state reaches back: a retention of a year at
/// every minute would be half a million. A schedule whose steady state holds more is refused at
/// validation ([`WarmFill::truncated`]); what is laid down also counts against `max_events`.
pub const MAX_WARM_RUNS: usize = 100_000;

/// One schedule's warm state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarmFill {
    /// The runs before the start, newest first, as how long before the start each was:
    /// `runs_ms[0]` is the run before the first.
    pub runs_ms: Vec<u64>,
    /// How many of them, newest first, the source holds.
    pub source: usize,
    /// Per copy target, how many copies of them, newest first, it holds.
    pub targets: Vec<usize>,
    /// The steady state holds more than [`MAX_WARM_RUNS`] runs: what is listed stops there,
    /// short of it (the scenario is refused rather than started below its steady state).
    pub truncated: bool,
}

impl WarmFill {
    /// Backups each volume gets: as many runs as the source or any target holds (a target that
    /// keeps copies longer than the source keeps backups holds copies of backups the first run's
    /// retention deletes).
    pub fn backups(&self) -> usize {
        self.targets.iter().copied().fold(self.source, usize::max)
    }

    /// How far before the start the oldest backup laid down stands for.
    pub fn reach_ms(&self) -> u64 {
        self.runs_ms.get(self.backups().saturating_sub(1)).copied().unwrap_or(0)
    }
}

/// Whether retention `r` still holds the `k`-th newest run (1-based), `since_newest_ms` older
/// than the newest, of what lands `landed_ms` after its run.
fn holds(r: Option<Retention>, k: usize, since_newest_ms: u64, landed_ms: u64) -> bool {
    let Some(r) = r else { return k == 1 };
    let by_count = r.max_count.is_none_or(|c| k <= c as usize);
    let by_age = k == 1 || r.max_age.is_none_or(|a| since_newest_ms.saturating_sub(landed_ms) < a.as_ms());
    by_count && by_age
}

/// The run before `before_ms` (ms before the start), if any.
fn earlier(timing: &Timing, start: jiff::Timestamp, before_ms: u64) -> Option<u64> {
    match timing {
        Timing::Every { every, .. } => before_ms.checked_add(every.as_ms().max(1)),
        Timing::Cron { cron, .. } => {
            let at = start.checked_sub(jiff::SignedDuration::from_millis(i64::try_from(before_ms).ok()?)).ok()?;
            let civil = at.to_zoned(jiff::tz::TimeZone::UTC).datetime();
            let prev = cron.find_previous_occurrence(&civil, false).ok()?;
            let prev = prev.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
            u64::try_from(start.as_millisecond() - prev.as_millisecond()).ok().filter(|&ms| ms > before_ms)
        }
    }
}

/// Schedule `s`'s warm state for a run starting at `start`.
pub fn warm_fill(s: &Schedule, start: jiff::Timestamp) -> WarmFill {
    let newest = s.timing.previous_before_start_ms(start);
    let mut runs_ms = vec![newest];
    let rules: Vec<(Option<Retention>, u64)> =
        std::iter::once((s.retention, 0)).chain(s.targets.iter().map(|t| (t.retention, WARM_COPY_LANDED_MS))).collect();
    let mut truncated = false;
    while let Some(next) = runs_ms.last().and_then(|&last| earlier(&s.timing, start, last)) {
        let k = runs_ms.len() + 1;
        if !rules.iter().any(|&(r, landed)| holds(r, k, next - newest, landed)) {
            break;
        }
        if runs_ms.len() == MAX_WARM_RUNS {
            truncated = true;
            break;
        }
        runs_ms.push(next);
    }
    let held = |(r, landed): (Option<Retention>, u64)| {
        runs_ms.iter().enumerate().take_while(|&(i, &ms)| holds(r, i + 1, ms - newest, landed)).count()
    };
    WarmFill { source: held(rules[0]), targets: rules[1..].iter().map(|&r| held(r)).collect(), runs_ms, truncated }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::SimDuration;
    use crate::model::RegionId;
    use crate::scenario::{KeyChoice, Target};

    const HOUR: u64 = 3_600_000;

    fn hourly(retention: Option<Retention>, targets: &[Option<Retention>]) -> Schedule {
        Schedule {
            name: "s".into(),
            volumes: Vec::new(),
            timing: Timing::Every { every: SimDuration::from_hours(1), offset: SimDuration::ZERO },
            targets: targets
                .iter()
                .map(|&retention| Target { region: RegionId(1), account: None, key: KeyChoice::Keep, retention })
                .collect(),
            retention,
            policy: None,
            groups: Vec::new(),
            enabled: true,
            share_with: Vec::new(),
        }
    }

    fn days(d: u64) -> Option<Retention> {
        Some(Retention { max_age: Some(SimDuration::from_days(d)), max_count: None })
    }

    fn count(c: u32) -> Option<Retention> {
        Some(Retention { max_age: None, max_count: Some(c) })
    }

    #[test]
    fn an_hourly_schedule_kept_a_day_holds_its_last_24_runs() {
        // Hourly from midnight: the run before the first is 1 h before the start. At that run,
        // backups of 24 h or more are deleted: the 23 before it stay, and it is taken: 24, the
        // oldest 24 h before the start. The copies land 1 ms after their runs, so the one of
        // the run 25 h back is 23 h 59 m 59.999 s old at that run: kept too, 25 of them.
        let start = "2026-01-01T00:00:00Z".parse().unwrap();
        let f = warm_fill(&hourly(days(1), &[days(1), count(3), None]), start);
        assert_eq!((f.source, f.targets.clone()), (24, vec![25, 3, 1]));
        assert_eq!((f.backups(), f.runs_ms[0], f.reach_ms()), (25, HOUR, 25 * HOUR));
    }

    #[test]
    fn without_retention_a_schedule_holds_its_newest_backup_alone() {
        let start = "2026-01-01T00:00:00Z".parse().unwrap();
        let f = warm_fill(&hourly(None, &[None]), start);
        assert_eq!((f.source, f.targets.clone(), f.runs_ms.len()), (1, vec![1], 1));
    }

    #[test]
    fn a_steady_state_beyond_the_most_runs_laid_down_is_marked_truncated() {
        // Every minute kept a year: 365 × 1,440 = 525,600 runs, more than the 100,000 laid down
        // at most; kept 60 days: 86,400 runs, laid down in full.
        let start = "2026-01-01T00:00:00Z".parse().unwrap();
        let mut s = hourly(days(365), &[]);
        s.timing = Timing::Every { every: SimDuration::from_mins(1), offset: SimDuration::ZERO };
        let f = warm_fill(&s, start);
        assert!(f.truncated);
        assert_eq!(f.runs_ms.len(), MAX_WARM_RUNS);
        s.retention = days(60);
        let f = warm_fill(&s, start);
        assert!(!f.truncated);
        assert_eq!((f.source, f.runs_ms.len()), (86_400, 86_400));
    }

    #[test]
    fn an_offset_past_the_interval_puts_the_newest_run_at_the_start() {
        // Every 6 h from 15 h, kept by count 3: one interval before the first run is 9 h after
        // the start, not before it; the newest warm run is at the start itself (docs/model.md,
        // "at the start itself when offset ≥ every"), the others 6 h apart before it.
        let start = "2026-01-01T00:00:00Z".parse().unwrap();
        let mut s = hourly(count(3), &[]);
        s.timing = Timing::Every { every: SimDuration::from_hours(6), offset: SimDuration::from_hours(15) };
        let f = warm_fill(&s, start);
        assert_eq!((f.source, f.runs_ms.clone()), (3, vec![0, 6 * HOUR, 12 * HOUR]));
    }

    #[test]
    fn a_cron_schedule_holds_its_previous_matches() {
        // Daily at noon, starting at midnight, kept by count 3: the runs before the start are
        // noon on each of the three days before: 12 h, 36 h and 60 h back.
        let start = "2026-01-04T00:00:00Z".parse().unwrap();
        let mut s = hourly(count(3), &[]);
        s.timing = crate::scenario::timing::parse_cron("0 12 * * *").unwrap();
        let f = warm_fill(&s, start);
        assert_eq!((f.source, f.runs_ms.clone()), (3, vec![12 * HOUR, 36 * HOUR, 60 * HOUR]));
    }
}
