//! When the retentions a warm start left empty reach their steady state, and which of them a
//! volume's backup ceiling stops first (the summary's warm-fill warnings; docs/model.md "Warm
//! start").

use crate::kernel::SimTime;
use crate::scenario::warm_fill::warm_fill;
use crate::scenario::{Scenario, Schedule};

/// A schedule the warm start left empty whose volume's backup ceiling stops its backups before
/// its source retention holds its steady state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CeilingStop<'s> {
    /// The schedule.
    pub plan: &'s str,
    /// The volume whose ceiling stops it first.
    pub volume: &'s str,
    /// That volume's ceiling.
    pub ceiling: u32,
    /// How many of the volume's backups its other schedules hold in their steady state.
    pub others: u32,
    /// How many backups the schedule's retention holds in its steady state (more than the
    /// ceiling leaves it: `ceiling - others`).
    pub keeps: usize,
    /// When its backups stop: the run that takes the last one the ceiling leaves room for, or
    /// its first run when there is none.
    pub stop_ms: u64,
    /// Its retention has an age: its oldest age out and its backups resume, in a cycle.
    pub resumes: bool,
}

impl CeilingStop<'_> {
    /// How many of its backups the ceiling leaves room for.
    pub fn room(&self) -> u32 {
        self.ceiling.saturating_sub(self.others)
    }
}

/// The schedules whose backups the warm start did not lay down, with their first run in the
/// run: one disabled at the start and run during the run (`ran[i]`: enabled by an action;
/// counted from its first run after the earliest action enabling it), or one whose volumes an
/// earlier schedule made warm (a volume's warm backups are its first schedule's).
fn left_empty(s: &Scenario, ran: &[bool]) -> Vec<(usize, SimTime)> {
    let warm_by_earlier = |i: usize| {
        let sch = &s.schedules[i];
        s.schedules[..i].iter().any(|e| e.enabled && e.volumes.iter().any(|v| sch.volumes.contains(v)))
    };
    let empty = |i: usize| {
        let x = &s.schedules[i];
        (!x.enabled && ran.get(i) == Some(&true)) || (x.enabled && warm_by_earlier(i))
    };
    let mut out = Vec::new();
    for (i, sch) in s.schedules.iter().enumerate().filter(|&(i, _)| empty(i)) {
        let timing = &sch.timing;
        let first = if sch.enabled {
            timing.first(s.start)
        } else {
            let enabled_at = s.actions.iter().filter(|a| a.kind.enables().contains(&(i as u32))).map(|a| a.at).min();
            enabled_at.and_then(|at| timing.next_after(s.start, at))
        };
        if let Some(first) = first {
            out.push((i, first));
        }
    }
    out
}

/// The `n`-th run (1-based) of `sch` from `first`, in ms from the start.
fn nth_run(s: &Scenario, sch: &Schedule, first: SimTime, n: u32) -> Option<u64> {
    let mut t = first;
    for _ in 1..n {
        t = sch.timing.next_after(s.start, t)?;
    }
    Some(t.as_ms())
}

/// The steady-state count of source backups schedule `j` holds (its warm fill's), at most
/// `ceiling` (a warm start lays down at most that many).
fn held(s: &Scenario, j: usize, ceiling: u32) -> u32 {
    let n = warm_fill(&s.schedules[j], s.start).source;
    u32::try_from(n).unwrap_or(u32::MAX).min(ceiling)
}

/// The schedules left empty by the warm start (see `left_empty`) that a volume's backup
/// ceiling stops before their source retention fills: on each of its volumes with a ceiling,
/// the volume's other schedules (enabled, or run) hold their steady state's backups, and the
/// ceiling leaves the rest ("If you exceed the limit, no further backups are taken"); when the
/// schedule's retention holds more than that, it stops at that many, at the volume that leaves
/// the least. A retention by count alone then deletes none of them: the volume stays at its
/// ceiling and the schedule at that count. One with an age deletes its oldest as they reach it,
/// and takes backups again, in a cycle.
pub fn ceiling_stops<'s>(s: &'s Scenario, ran: &[bool]) -> Vec<CeilingStop<'s>> {
    let mut out = Vec::new();
    for (i, first) in left_empty(s, ran) {
        let sch = &s.schedules[i];
        let Some(r) = sch.retention.filter(|r| r.max_age.is_some() || r.max_count.is_some()) else { continue };
        let keeps = warm_fill(sch, s.start).source;
        let mut tightest: Option<(u32, u32, usize)> = None;
        for (pos, &v) in sch.volumes.iter().enumerate() {
            let Some(ceiling) = crate::providers::backup_ceiling(&s.world, v) else { continue };
            let others = s
                .schedules
                .iter()
                .enumerate()
                .filter(|&(j, x)| j != i && (x.enabled || ran.get(j) == Some(&true)) && x.volumes.contains(&v))
                .fold(0u32, |sum, (j, _)| sum.saturating_add(held(s, j, ceiling)))
                .min(ceiling);
            let room = ceiling - others;
            if (room as usize) < keeps && tightest.is_none_or(|(c, o, _)| room < c - o) {
                tightest = Some((ceiling, others, pos));
            }
        }
        let Some((ceiling, others, pos)) = tightest else { continue };
        let Some(stop_ms) = nth_run(s, sch, first, (ceiling - others).max(1)) else { continue };
        out.push(CeilingStop {
            plan: sch.name.as_str(),
            volume: s.world.volume(sch.volumes[pos]).name.as_str(),
            ceiling,
            others,
            keeps,
            stop_ms,
            resumes: r.max_age.is_some(),
        });
    }
    out
}

/// When, after a warm start, the longest retention left empty by it reaches its steady state
/// (over the schedules of `left_empty`, but those a ceiling stops: [`ceiling_stops`]), with
/// the schedule that needs it. Counted from the schedule's first run `r1` in the run, with `r0`
/// its run before that (docs/model.md "Warm start"): a count `c` holds its steady state from the
/// `c`-th run on; an age `a` at the source from the first run at or after `r0 + a` (from then
/// on it holds every run its steady state holds: none before `r1` is among them); an age at a
/// copy target from the first run strictly after `r0 + a` (a copy ages from its completion,
/// just after its run, so the target's steady state holds one copy more). A copy target's
/// state is reached when that run's copies land: its instant is taken to the next whole hour
/// after the run. With both a count and an age, the sooner. A count is walked run by run (a
/// count is at most `RETENTION_COUNT_MAX`, 750 runs).
pub fn warm_fill_ms<'s>(s: &'s Scenario, ran: &[bool], stopped: &[CeilingStop<'_>]) -> Option<(u64, &'s str)> {
    const HOUR_MS: u64 = 3_600_000;
    let mut longest: Option<(u64, &str)> = None;
    for (i, first) in left_empty(s, ran) {
        let sch = &s.schedules[i];
        if stopped.iter().any(|c| c.plan == sch.name) {
            continue;
        }
        let timing = &sch.timing;
        let Some(before) = timing.previous_before_ms(s.start, first) else { continue };
        // The first run at or after (`strict`: after) `ms`, no sooner than `first`.
        let run_from = |ms: i64, strict: bool| -> Option<u64> {
            let first_ms = i64::try_from(first.as_ms()).ok()?;
            if ms < first_ms || (!strict && ms == first_ms) {
                return Some(first.as_ms());
            }
            let after = u64::try_from(if strict { ms } else { ms - 1 }).ok()?;
            timing.next_after(s.start, SimTime(after)).map(SimTime::as_ms)
        };
        let source = sch.retention.iter().map(|r| (r, false));
        let targets = sch.targets.iter().filter_map(|t| t.retention.as_ref()).map(|r| (r, true));
        for (r, target) in source.chain(targets) {
            let by_age =
                r.max_age.and_then(|a| run_from(before.saturating_add(i64::try_from(a.as_ms()).ok()?), target));
            let by_count = r.max_count.and_then(|n| nth_run(s, sch, first, n));
            let Some(run) = by_age.into_iter().chain(by_count).min() else { continue };
            let fill = if target { (run / HOUR_MS + 1) * HOUR_MS } else { run };
            if longest.is_none_or(|(l, _)| fill > l) {
                longest = Some((fill, sch.name.as_str()));
            }
        }
    }
    longest
}
