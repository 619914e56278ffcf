//! `summary.json` and the terminal summary.

use std::collections::BTreeMap;

use serde::Serialize;

use super::fill;
use super::timestamp;
use crate::analysis::tally::Tally;
use crate::engine::RunOutput;
use crate::kernel::SimTime;
use crate::model::Reason;
use crate::model::retention::Retention;
use crate::scenario::Scenario;

/// The run summary (field order is the JSON order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// copysim's version.
    pub copysim_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Where the scenario came from.
    pub scenario_source: String,
    /// SHA-256 of the scenario text.
    pub scenario_sha256: String,
    /// The seed used.
    pub seed: u64,
    /// Simulated start.
    pub start: String,
    /// Simulated end (start + horizon).
    pub end: String,
    /// Events handled.
    pub events_processed: u64,
    /// Events left after the horizon.
    pub events_left: u64,
    /// Backup counts.
    pub backups: BackupCounts,
    /// Copy counts.
    pub copies: CopyCounts,
    /// Time copies spent between request and start.
    pub queue_wait: QueueWait,
    /// The same per destination region, in region order (regions where a copy started).
    pub queue_wait_by_region: Vec<RegionQueueWait>,
    /// Quota gates.
    pub quotas: Vec<QuotaStats>,
    /// Per-link traffic.
    pub links: Vec<LinkStats>,
    /// Per schedule and policy plan.
    pub plans: Vec<PlanSummary>,
    /// Backup policies.
    pub policies: Vec<PolicySummary>,
    /// Timed actions.
    pub actions: ActionCounts,
    /// Disks restored.
    pub disks_restored: u64,
    /// Costs (null when the scenario has no `[cost]`).
    pub cost: Option<CostSummary>,
    /// The measurement window the statistics cover (absent: the whole run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// RPO per DR region.
    pub rpo: Vec<crate::report::rpo::RegionRpo>,
    /// Disaster drills.
    pub drills: Vec<crate::report::drill::DrillSummary>,
    /// Broken invariants (always empty unless copysim has a bug).
    pub invariant_violations: Vec<String>,
    /// What a planner should look at (present when there is something to say).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A measurement window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    /// From (inclusive).
    pub from: String,
    /// To (inclusive).
    pub to: String,
    /// With `[cost]`: the start of the first day the cost totals bill (the days that start in
    /// the window, each billed whole). Absent without `[cost]` or when no day starts in the
    /// window (the totals are then 0 and a warning says why).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_from: Option<String>,
    /// With `[cost]`: the end of the last day the cost totals bill (the horizon when the run
    /// ends in it), which may be after `to`; the run-rate is the last seven of those days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_to: Option<String>,
}

impl Window {
    /// The window `[from, to]` of a run of `horizon`; with `billed` (the scenario has `[cost]`),
    /// the span of the days its cost totals bill, when any day starts in it.
    fn new(start: jiff::Timestamp, (from, to): (SimTime, SimTime), horizon: SimTime, billed: bool) -> Window {
        let (first_day, end_day) = billed_days(from, to);
        let (cost_from, cost_to) = if billed && first_day < end_day {
            let end = SimTime(end_day * crate::cost::MS_PER_DAY).min(horizon);
            (Some(timestamp(start, SimTime(first_day * crate::cost::MS_PER_DAY))), Some(timestamp(start, end)))
        } else {
            (None, None)
        };
        Window { from: timestamp(start, from), to: timestamp(start, to), cost_from, cost_to }
    }
}

/// The days `[first, end)` whose cost a window `[from, to]` bills: those that start in
/// `[from, to)` (docs/scenario.md "The measurement window").
fn billed_days(from: SimTime, to: SimTime) -> (u64, u64) {
    let day = crate::cost::MS_PER_DAY;
    (from.as_ms().div_ceil(day), to.as_ms().div_ceil(day))
}

/// Backups taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BackupCounts {
    /// Source backups taken.
    pub taken: u64,
    /// Of which full.
    pub full: u64,
    /// Of which incremental.
    pub incremental: u64,
    /// Changed data captured.
    pub bytes: u64,
    /// Scheduled backups skipped during outages.
    pub skipped_outage: u64,
    /// `warm_start`: the backups the warm start laid down (not among `taken`), those a copy
    /// target keeping longer needed included, which the source's retention deletes at the start.
    #[serde(skip_serializing_if = "is_zero")]
    pub warm: u64,
}

/// Copies and shares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CopyCounts {
    /// Copy and share requests.
    pub requested: u64,
    /// By final state.
    pub by_state: BTreeMap<String, u64>,
    /// By kind, completed copies only (failed, rejected, queued ones are counted by state).
    pub by_kind: BTreeMap<String, u64>,
    /// By reason, completed copies only.
    pub by_reason: BTreeMap<String, u64>,
    /// Completed full copies by the reason they were full (what a planner reads first).
    pub full_by_reason: BTreeMap<String, u64>,
    /// By provider-style error (rejected or failed ones).
    pub by_error: BTreeMap<String, u64>,
    /// Bytes moved over links: by completed copies, by failed ones before they failed, and by
    /// copies still moving at the horizon up to it.
    pub bytes_transferred: u64,
    /// EBS ResourceLimitExceeded answers.
    pub throttled_requests: u64,
    /// `warm_start`: the copies the run began with (`copies.csv` rows of trigger `warm`; not
    /// among `requested` nor counted by state, kind or reason).
    #[serde(skip_serializing_if = "is_zero")]
    pub warm: u64,
    /// Copies still moving at the end that are full copies (among `by_state`'s moving ones;
    /// `by_kind` counts completed copies only). Absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub full_still_moving: u64,
}

/// Wait between request and start, over started copies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueWait {
    /// Started copies.
    pub started: u64,
    /// Of which waited at all.
    pub waited: u64,
    /// Median, ms.
    pub p50_ms: u64,
    /// 95th percentile, ms.
    pub p95_ms: u64,
    /// Maximum, ms.
    pub max_ms: u64,
    /// Mean, ms (integer).
    pub mean_ms: u64,
}

impl QueueWait {
    /// The figures of `waits` (ms, one per started copy).
    fn of(waits: &crate::analysis::tally::Counted) -> Self {
        Self {
            started: waits.len(),
            waited: waits.positive(),
            p50_ms: waits.percentile(50),
            p95_ms: waits.percentile(95),
            max_ms: waits.max(),
            mean_ms: waits.mean(),
        }
    }
}

/// [`QueueWait`] of the copies into one destination region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegionQueueWait {
    /// The destination region.
    pub region: String,
    /// Its figures.
    #[serde(flatten)]
    pub wait: QueueWait,
}

/// One quota gate, over the measurement window (its peaks count what stood when it opened).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuotaStats {
    /// Scope label.
    pub scope: String,
    /// Limit.
    pub limit: u32,
    /// Most held at once.
    pub in_flight_peak: u32,
    /// Copies that waited.
    pub waits: u64,
    /// Longest queue.
    pub queue_peak: u64,
}

/// One link, over the measurement window (transfers that ended in it; peaks count what stood
/// when it opened).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkStats {
    /// From region.
    pub from: String,
    /// To region.
    pub to: String,
    /// Declared in the scenario (else a default link).
    pub declared: bool,
    /// Bandwidth.
    pub bandwidth_bytes_per_s: u64,
    /// Per-copy cap.
    pub copy_cap_bytes_per_s: u64,
    /// Bytes carried.
    pub bytes_carried: u64,
    /// Transfers ended.
    pub transfers: u64,
    /// Most at once.
    pub active_peak: u32,
    /// Highest aggregate rate.
    pub rate_sum_peak_bytes_per_s: u64,
}

/// What one schedule or plan did in the measurement window (the whole run without one), and
/// what of it is left at the window's end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    /// `<schedule>` or `<policy>/<plan>`.
    pub name: String,
    /// When it runs.
    pub timing: String,
    /// Volumes it backs up.
    pub volumes: u64,
    /// Runs.
    pub runs: u64,
    /// Backups taken.
    pub backups_taken: u64,
    /// Its backups still there at the end of the window (the horizon), whenever taken.
    pub backups_kept: u64,
    /// Deleted by the age rule (a deletion that must wait counts once carried out: one still
    /// waiting at the horizon is among `backups_kept`).
    pub backups_deleted_age: u64,
    /// Deleted by the count rule (counted as `backups_deleted_age`).
    pub backups_deleted_count: u64,
    /// Not taken: the volume was at its backup ceiling.
    pub backups_skipped_ceiling: u64,
    /// Not taken: the region was out.
    pub backups_skipped_outage: u64,
    /// Copies requested for its backups.
    pub copies_requested: u64,
    /// Its copies AVAILABLE at the end of the window (the horizon), whenever requested, warm
    /// ones included (as `backups_kept`).
    pub copies_kept: u64,
    /// Remote copies deleted by age.
    pub copies_deleted_age: u64,
    /// Remote copies deleted by count.
    pub copies_deleted_count: u64,
    /// Deletions that waited (FSx: backup being copied).
    pub deletions_waited: u64,
    /// Longest wait, ms.
    pub deletion_wait_ms_max: u64,
    /// Backups its retention deleted while a copy of them was still queued (those copies then
    /// fail `NotFound`; one already moving completes); present when not zero.
    #[serde(skip_serializing_if = "is_zero")]
    pub backups_deleted_before_copied: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A backup policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicySummary {
    /// Name.
    pub name: String,
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Its plans.
    pub plans: Vec<String>,
    /// Consistency groups: second-generation volumes left out.
    pub skipped_gen2_volumes: Vec<String>,
}

/// What the run cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CostSummary {
    /// Everything, nano-dollars (10⁻⁹ USD; exact integers).
    pub total_nano_usd: u64,
    /// Storage, nano-dollars.
    pub storage_nano_usd: u64,
    /// Transfer, nano-dollars.
    pub transfer_nano_usd: u64,
    /// Fast restore, nano-dollars.
    pub fast_restore_nano_usd: u64,
    /// The last seven days' cost scaled to a 730-hour month, nano-dollars.
    pub monthly_run_rate_nano_usd: u64,
    /// Stored at the horizon, per region, bytes.
    pub storage_bytes_at_end: BTreeMap<String, u64>,
    /// The same figures per region (transfer is billed to the region a copy leaves).
    pub by_region: BTreeMap<String, RegionCost>,
}

/// What one region cost (see [`CostSummary`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegionCost {
    /// Everything billed in the region, nano-dollars.
    pub total_nano_usd: u64,
    /// Storage, nano-dollars.
    pub storage_nano_usd: u64,
    /// Transfer out of it, nano-dollars.
    pub transfer_nano_usd: u64,
    /// Fast restore, nano-dollars.
    pub fast_restore_nano_usd: u64,
    /// Its monthly run-rate, nano-dollars.
    pub monthly_run_rate_nano_usd: u64,
}

/// Timed actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionCounts {
    /// Took effect.
    pub ok: u64,
    /// Refused.
    pub rejected: u64,
}

/// Builds the summary.
pub fn build(
    scenario: &Scenario,
    out: &RunOutput,
    tally: &Tally,
    analysis: &crate::report::Analysis,
    violations: Vec<String>,
) -> Summary {
    let w = &out.world;
    let seeded_at = tally.seeded_at(SimTime::ZERO + scenario.horizon);
    let name_counts = |m: &BTreeMap<&'static str, u64>| m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let copies = CopyCounts {
        requested: tally.copies,
        by_state: name_counts(&tally.by_state),
        by_kind: name_counts(&tally.by_kind),
        by_reason: name_counts(&tally.by_reason),
        full_by_reason: name_counts(&tally.full_by_reason),
        by_error: name_counts(&tally.by_error),
        bytes_transferred: tally.bytes_transferred,
        throttled_requests: tally.throttled,
        warm: tally.warm_copies,
        full_still_moving: tally.full_still_moving,
    };
    let queue_wait = QueueWait::of(&tally.waits);
    let queue_wait_by_region = tally
        .by_dest
        .iter()
        .filter(|(_, d)| !d.waits.is_empty())
        .map(|(&r, d)| RegionQueueWait { region: w.region(r).name.clone(), wait: QueueWait::of(&d.waits) })
        .collect();
    let quotas = out
        .planner
        .gates()
        .quotas()
        .iter()
        // A gate first used after the window closed counted nothing in it.
        .zip(out.measured.quotas.iter().copied().chain(std::iter::repeat(Default::default())))
        .map(|(g, m)| QuotaStats {
            scope: g.label(w),
            limit: g.limit,
            in_flight_peak: m.in_flight_peak,
            waits: m.waits,
            queue_peak: m.queue_peak,
        })
        .collect();
    let links = w
        .links
        .iter()
        .zip(out.measured.links.iter().copied().chain(std::iter::repeat(Default::default())))
        .filter(|(l, _)| l.declared || l.transfers_finished > 0 || l.active() > 0)
        .map(|(l, m)| LinkStats {
            from: w.region(l.from).name.clone(),
            to: w.region(l.to).name.clone(),
            declared: l.declared,
            bandwidth_bytes_per_s: l.params.bandwidth_bytes_per_s,
            copy_cap_bytes_per_s: l.params.copy_cap_bytes_per_s,
            bytes_carried: m.bytes_carried,
            transfers: m.transfers,
            active_peak: m.active_peak,
            rate_sum_peak_bytes_per_s: m.rate_sum_peak_bytes_per_s,
        })
        .collect();
    Summary {
        copysim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario.name.clone(),
        // The file's name, not the path typed: outputs depend on what the file says and its
        // name, not on where it was read from (the same run from two folders is the same bytes).
        scenario_source: std::path::Path::new(&scenario.source_label)
            .file_name()
            .map_or_else(|| scenario.source_label.clone(), |n| n.to_string_lossy().into_owned()),
        scenario_sha256: scenario.source_sha256.clone(),
        seed: scenario.seed,
        start: timestamp(scenario.start, crate::kernel::SimTime::ZERO),
        end: timestamp(scenario.start, crate::kernel::SimTime::ZERO + scenario.horizon),
        events_processed: out.run.events_processed,
        events_left: out.run.events_left as u64,
        backups: BackupCounts {
            taken: tally.backups_taken,
            full: tally.backups_full,
            incremental: tally.backups_taken - tally.backups_full,
            bytes: tally.backup_bytes,
            skipped_outage: out.measured.plans.iter().map(|p| p.skipped_outage).sum(),
            warm: tally.warm_backups,
        },
        copies,
        queue_wait,
        queue_wait_by_region,
        quotas,
        links,
        plans: plan_summaries(scenario, out, tally),
        policies: scenario
            .policies
            .iter()
            .map(|p| PolicySummary {
                name: p.name.clone(),
                account: w.account(p.account).name.clone(),
                region: w.region(p.region).name.clone(),
                plans: p.plans.iter().map(|&i| scenario.schedules[i as usize].name.clone()).collect(),
                skipped_gen2_volumes: p.skipped_gen2.iter().map(|&v| w.volume(v).name.clone()).collect(),
            })
            .collect(),
        actions: ActionCounts { ok: tally.actions_ok, rejected: tally.actions_rejected },
        disks_restored: out.disks.len() as u64,
        cost: analysis.ledger.as_ref().map(|l| cost_summary(w, l, scenario)),
        window: scenario
            .report
            .window
            .map(|w| Window::new(scenario.start, w, SimTime::ZERO + scenario.horizon, analysis.ledger.is_some())),
        rpo: analysis.rpo.clone(),
        drills: crate::report::drill::summarise(scenario, w, &analysis.outages, &analysis.restores),
        invariant_violations: violations,
        warnings: Vec::new(),
    }
    .with_warnings()
    .with_unbilled_window_warning(scenario)
    .with_seeding_warning(scenario, seeded_at)
    .with_seeding_rpo_warning(scenario, seeded_at)
    .with_warm_fill_warning(scenario)
    .with_ceiling_warning(scenario)
    .with_unbounded_storage_warning(scenario)
    .with_backlog_warning(scenario)
    .with_full_copies_warning(w, &tally.by_dest)
    .with_region_override_warning(scenario)
    .with_rough_transfer_warning(scenario)
}

/// The warning for a schedule left empty by a warm start that a volume's backup ceiling stops
/// before its retention fills (see [`fill::ceiling_stops`]).
fn ceiling_stop_warning(c: &fill::CeilingStop<'_>) -> String {
    let (plan, room, others) = (c.plan, c.room(), c.others);
    let stop = crate::report::human::duration_s(c.stop_ms as f64 / 1000.0);
    let head = format!(
        "with warm_start the retention of {plan} starts empty, and it never fills: volume {} takes at most {} backups \
         (its backup ceiling: no further backups are taken once it is reached), and its other schedules keep {others}",
        c.volume, c.ceiling
    );
    if room == 0 {
        return format!(
            "{head}, the whole ceiling: {plan} takes no backup of it from its first run ({stop}) on \
             (backups_skipped_ceiling); lower the retention of the volume's other schedules to make room for it"
        );
    }
    let after = if c.resumes {
        "then none until its oldest reach their age, and so on, in a cycle of backups taken and skipped \
         (backups_skipped_ceiling) in which storage has no steady month"
            .to_string()
    } else {
        format!(
            "and its retention deletes none of them: the volume stays at its ceiling and {plan} at {room} backups, \
             while storage grows with the volume's changes since {plan}'s last backup until they reach the \
             volume's size (docs/model.md \"Storage over time\")"
        )
    };
    format!(
        "{head}, which leaves {plan} room for {room}, not the {} its retention keeps; it stops after {room} \
         backups, the last at {stop}, {after}; no measure_from gives the monthly run-rate of the retention it \
         sets: keep {plan} within the room ({room} backups: a lower retention_count or retention_days) to plan a \
         steady month",
        c.keeps
    )
}

impl Summary {
    fn with_warnings(mut self) -> Self {
        for p in &self.plans {
            if p.backups_deleted_before_copied > 0 {
                let n = p.backups_deleted_before_copied;
                self.warnings.push(format!(
                    "retention of {} deleted {n} {} before {} copied; set retention_waits_for_copies \
                     for the provider, keep backups longer, or add copy bandwidth",
                    p.name,
                    if n == 1 { "backup" } else { "backups" },
                    if n == 1 { "it was" } else { "they were" },
                ));
            }
        }
        self
    }

    /// A window in which no day starts bills no day (the cost totals the days that start in
    /// it, each whole): its cost and run-rate read 0, which is no free month. A window of 06:00
    /// to 18:00 on one day read "$0.00; run-rate $0.00/month" with nothing said.
    fn with_unbilled_window_warning(mut self, s: &Scenario) -> Self {
        let Some((from, to)) = s.report.window else { return self };
        let (first_day, end_day) = billed_days(from, to);
        if self.cost.is_none() || first_day < end_day {
            return self;
        }
        // Starting the window at the day it opens in bills that day (it then holds its start).
        let day = from.as_ms() / crate::cost::MS_PER_DAY;
        let value = match day {
            0 => "0s".to_string(),
            d => crate::sweep::grid::format_duration_ms(d * crate::cost::MS_PER_DAY),
        };
        self.warnings.push(format!(
            "the measurement window holds no day's start, and cost bills the days that start in it, each whole: \
             its cost and monthly run-rate are 0 for want of a billed day, not because the window costs nothing; \
             to price it, let the window hold a day's start, e.g. [report] measure_from = \"{value}\" (day \
             {day}, billed whole)"
        ));
        self
    }

    /// A cold start's run-rate over days that include the run's first, or days in which the
    /// first copies were still landing (`seeded_at`: when the last volume's first copy into a
    /// DR region landed, the horizon if one never did): every volume's first backup and first
    /// copy are full, and the rate scales them to a month as if they recurred.
    fn with_seeding_warning(mut self, s: &Scenario, seeded_at: Option<SimTime>) -> Self {
        if self.cost.is_none() || s.warm_start || self.backups.full == 0 {
            return self;
        }
        let (from, to) = s.report.window.unwrap_or((SimTime::ZERO, SimTime::ZERO + s.horizon));
        let first_day = crate::cost::ledger::run_rate_days(from, to).0;
        let advice = "it overstates a steady month; set warm_start = true, or run longer with [report] \
                      measure_from past the first copies";
        if first_day == 0 {
            self.warnings.push(format!(
                "the monthly run-rate is taken over days that include the run's start, where every volume's \
                 first backup and first copy are full: {advice}"
            ));
        } else if let Some(seeded) = seeded_at.filter(|t| t.as_ms() > first_day * crate::cost::MS_PER_DAY) {
            let when = if seeded >= SimTime::ZERO + s.horizon {
                "some had not landed by the end".to_string()
            } else {
                format!("the last landed on day {}", seeded.as_ms() / crate::cost::MS_PER_DAY)
            };
            self.warnings.push(format!(
                "the monthly run-rate is taken over days (from day {first_day}) in which volumes' first copies \
                 into their DR regions were still landing ({when}): each moved a whole volume once, and the \
                 rate bills it as if it recurred every month; {advice}"
            ));
        }
        self
    }

    /// A cold start's RPO and queue waits measured while the fleet was still being seeded
    /// (`seeded_at`: when the last volume's first copy into a DR region landed, the horizon if
    /// one never did) for longer than the longest interval of a copying schedule, copies having
    /// queued longer than that interval: the first copies move whole volumes and queue behind
    /// each other once, and the percentiles read that one-time backlog as if it were the plan's
    /// steady state (a quickstart at 5 copy slots read RPO p95 29 h 32 min cold against 8 h
    /// 26 min warm, and blamed the quotas).
    fn with_seeding_rpo_warning(mut self, s: &Scenario, seeded_at: Option<SimTime>) -> Self {
        let Some(seeded) = seeded_at else { return self };
        if s.warm_start || (self.rpo.is_empty() && self.queue_wait.started == 0) {
            return self;
        }
        let from = s.report.window.map_or(SimTime::ZERO, |(from, _)| from);
        let longest_ms = s
            .schedules
            .iter()
            .filter(|x| !x.targets.is_empty())
            .filter_map(|x| {
                let first = x.timing.first(s.start)?;
                Some(x.timing.next_after(s.start, first)?.since(first).as_ms())
            })
            .max()
            .unwrap_or(0);
        // Seeding that outlasts an interval because copies queued behind it (a wait longer than
        // the interval): a plan whose every copy takes longer than its interval (IBM 3 TB every
        // 12 h, every copy full) is in its steady state from the first copy on.
        let seeding_ms = seeded.as_ms().saturating_sub(from.as_ms());
        if longest_ms == 0 || seeding_ms <= longest_ms || self.queue_wait.max_ms <= longest_ms {
            return self;
        }
        let horizon = SimTime::ZERO + s.horizon;
        let advice = if seeded >= horizon {
            "some had not landed by the end: run longer, or set warm_start = true".to_string()
        } else {
            let hour = 3_600_000;
            let value = crate::sweep::grid::format_duration_ms(seeded.as_ms().div_ceil(hour) * hour);
            format!(
                "the last landed {} into the measured time; set warm_start = true, or measure after it with \
                 [report] measure_from = \"{value}\"",
                crate::report::human::duration_s(seeding_ms as f64 / 1000.0)
            )
        };
        self.warnings.push(format!(
            "the RPO and queue-wait figures include the fleet's seeding: its first copies into their DR regions, \
             each a whole volume, queued behind each other for longer than the longest schedule interval \
             ({}), so the percentiles overstate the plan's steady state; {advice}",
            crate::report::human::duration_s(longest_ms as f64 / 1000.0)
        ));
        self
    }

    /// A warm start lays down the steady state of each volume's first schedule only: the
    /// retention of a schedule it left empty (a volume's second schedule, one enabled later)
    /// fills as the run goes, so a run-rate taken before then is not a steady month's: most often
    /// lower, but higher where its count deletes a warm copy the steady state would keep. One
    /// that a volume's backup ceiling stops first never fills: said so whatever the window (see
    /// [`fill::ceiling_stops`]), with no `measure_from` to suggest.
    fn with_warm_fill_warning(mut self, s: &Scenario) -> Self {
        if self.cost.is_none() || !s.warm_start {
            return self;
        }
        // The run-rate bills the window's last seven days: they must start after the fill.
        let (from, to) = s.report.window.unwrap_or((SimTime::ZERO, SimTime::ZERO + s.horizon));
        let from_ms = crate::cost::ledger::run_rate_days(from, to).0 * crate::cost::MS_PER_DAY;
        let ran: Vec<bool> = self.plans.iter().map(|p| p.runs > 0).collect();
        let stopped = fill::ceiling_stops(s, &ran);
        if let Some((fill_ms, plan)) = fill::warm_fill_ms(s, &ran, &stopped)
            && from_ms < fill_ms
        {
            let fill = crate::report::human::duration_s(fill_ms as f64 / 1000.0);
            let value = crate::sweep::grid::format_duration_ms(fill_ms);
            self.warnings.push(format!(
                "with warm_start a volume's backups and copies are its first schedule's steady state, and the \
                 retention of {plan} starts empty and fills until it has run once ({fill}), so storage and the \
                 monthly run-rate over days before then are not a steady month's: lower or higher by region; run longer \
                 with [report] measure_from = \"{value}\" or later"
            ));
        }
        for c in &stopped {
            self.warnings.push(ceiling_stop_warning(c));
        }
        self
    }

    /// A plan that skipped backups at a volume's backup ceiling protects nothing new of that
    /// volume while it does (IBM: "If you exceed the limit, no further backups are taken"): a
    /// count in the plan's figures a planner may not look for. Said once per plan, unless the
    /// warm-fill warning already explains that plan's stop.
    fn with_ceiling_warning(mut self, s: &Scenario) -> Self {
        let explained: Vec<String> = if s.warm_start && self.cost.is_some() {
            let ran: Vec<bool> = self.plans.iter().map(|p| p.runs > 0).collect();
            fill::ceiling_stops(s, &ran).iter().map(|c| c.plan.to_string()).collect()
        } else {
            Vec::new()
        };
        for p in &self.plans {
            let n = p.backups_skipped_ceiling;
            if n == 0 || explained.contains(&p.name) {
                continue;
            }
            self.warnings.push(format!(
                "{} skipped {n} {} because the volume held its backup ceiling (no further backups are taken once \
                 it is reached): while it skips, the plan protects nothing new of that volume; keep the retention \
                 of each volume's schedules within its ceiling (backups_skipped_ceiling; docs/model.md \"The \
                 ceiling\")",
                p.name,
                if n == 1 { "backup" } else { "backups" },
            ));
        }
        self
    }

    /// A schedule without retention keeps every backup (or a copy target every copy): what it
    /// stores grows for as long as it runs, so there is no steady month, and the run-rate (the
    /// last seven days' cost) is only that of the run's end — a longer run bills more per month.
    /// A planner asking "what does this cost per month" would read it as the plan's price.
    fn with_unbounded_storage_warning(mut self, s: &Scenario) -> Self {
        if self.cost.is_none() {
            return self;
        }
        let keeps_all = |r: &Option<Retention>| r.as_ref().is_none_or(|r| r.max_age.is_none() && r.max_count.is_none());
        // A schedule that made nothing in the window (never enabled, disabled or deleted before
        // it) adds nothing there: what it kept before stays as it is.
        let ran = |i: usize| self.plans.get(i).is_some_and(|p| p.runs > 0);
        let mut kept = Vec::new();
        let schedules = s.schedules.iter().enumerate().filter(|&(i, x)| !x.volumes.is_empty() && ran(i));
        for sch in schedules.map(|(_, x)| x) {
            let mut what = Vec::new();
            if keeps_all(&sch.retention) {
                what.push("backups".to_string());
            }
            let mut regions: Vec<&str> = Vec::new();
            for t in sch.targets.iter().filter(|t| keeps_all(&t.retention)) {
                let name = s.world.region(t.region).name.as_str();
                if !regions.contains(&name) {
                    regions.push(name);
                }
            }
            if !regions.is_empty() {
                what.push(format!("copies in {}", regions.join(", ")));
            }
            if !what.is_empty() {
                kept.push(format!("{} (its {})", sch.name, what.join(" and ")));
            }
        }
        if kept.is_empty() {
            return self;
        }
        self.warnings.push(format!(
            "no retention on {}: all of them are kept, so storage grows for as long as the schedules \
             run and there is no steady month; the monthly run-rate is the cost of the run's last seven days, \
             and a longer run gives a higher one; set retention_days or retention_count on the schedule and on \
             its copy targets to plan a steady month",
            kept.join(", ")
        ));
        self
    }

    /// More copies still queued or moving at the end than volumes × DR regions: copies take
    /// longer than the schedules' intervals and pile up (a saturated link, a quota too small),
    /// which the wait figures do not show when the copies wait on bandwidth, not on a gate.
    fn with_backlog_warning(mut self, s: &Scenario) -> Self {
        let pairs: usize = crate::report::rpo::dr_regions(s).values().map(Vec::len).sum();
        let state = |k: &str| self.copies.by_state.get(k).copied().unwrap_or(0);
        let [moving, queued] = UNFINISHED_STATES.map(state);
        if pairs > 0 && moving + queued > pairs as u64 {
            let full = match self.copies.full_still_moving {
                0 => String::new(),
                n if n == moving => ", all full".to_string(),
                n => format!(", {n} of them full"),
            };
            self.warnings.push(format!(
                "{} copies were still queued or moving at the end ({moving} moving{full}, {queued} queued), more than one \
                 per volume and DR region ({pairs}): copies take longer than the schedules' intervals and pile up; \
                 the links (peak transfers, bandwidth) or the copy quotas cannot keep up, and RPO grows with the run",
                moving + queued
            ));
        }
        self
    }
}

impl Summary {
    /// Bytes moved over a region pair billed at its provider's default transfer price where
    /// copysim's sources give that pair's price only roughly (AWS: "some Asia and Middle East
    /// pairs about $0.08", against the default $0.02): the cost may be understated fourfold.
    fn with_rough_transfer_warning(mut self, s: &Scenario) -> Self {
        let (Some(book), Some(_)) = (&s.cost, &self.cost) else { return self };
        for l in self.links.iter().filter(|l| l.bytes_carried > 0) {
            let (Some(&from), Some(&to)) = (s.world.region_names.get(&l.from), s.world.region_names.get(&l.to)) else {
                continue;
            };
            let provider = s.world.region(from).provider;
            let Some(rough) = crate::providers::rules(provider).default_prices().rough_pairs else { continue };
            if rough.may_be(&l.from, &l.to) && book.transfer_is_default(&s.world, from, to) {
                let price = book.transfer(&s.world, from, to).unwrap_or(0);
                self.warnings.push(format!(
                    "transfer from {} to {} is billed at {}'s default ${} per GB, but {}: if this pair is one, \
                     the transfer cost is understated; set its price in [cost] (transfer = [{{ from = \"{}\", to = \"{}\", \
                     per_gb = … }}])",
                    l.from,
                    l.to,
                    provider.name(),
                    price as f64 / 1e9,
                    rough.known,
                    l.from,
                    l.to,
                ));
            }
        }
        self
    }

    /// A region whose provider's document says it takes no cross-region copy (IBM: ca-mon,
    /// in-che), declared with `cross_region_copy = true`: its copies ran only because the
    /// scenario overrode the document. Likewise a region declared in another partition than its
    /// name's, or not opt-in though its name is an opt-in Region's (FSx).
    fn with_region_override_warning(mut self, s: &Scenario) -> Self {
        for r in &s.world.regions {
            if r.cross_region_copy && !crate::providers::rules(r.provider).region_copies_across(&r.name) {
                self.warnings.push(format!(
                    "region {} is declared with cross_region_copy = true, but {}'s document says cross-region \
                     copies are not supported there: its copies ran only because the scenario overrides the \
                     document",
                    r.name,
                    r.provider.name()
                ));
            }
            let rules = crate::providers::rules(r.provider);
            let named = rules.region_partition(&r.name);
            if r.partition != named {
                self.warnings.push(format!(
                    "region {} is declared with partition = \"{}\", but it is a {} Region, and {}'s document \
                     supports no cross-region copy across partitions: its copies were allowed or refused by the \
                     declared partition, overriding the document",
                    r.name,
                    r.partition.name(),
                    named.name(),
                    r.provider.name()
                ));
            }
            if !r.opt_in && rules.region_opt_in(&r.name) {
                self.warnings.push(format!(
                    "region {} is declared with opt_in = false, but it is an opt-in Region, where {}'s document \
                     says cross-region copies are not supported: its copies ran only because the scenario \
                     overrides the document",
                    r.name,
                    r.provider.name()
                ));
            }
        }
        self
    }
}

/// The states of a copy still queued or moving at the end: a backlog the completed figures leave out.
pub const UNFINISHED_STATES: [&str; 2] = ["COPYING", "QUEUED"];

/// Avoidable full copies below which no warning is given (a failure, a key change: a few are
/// the plan working as designed).
const FULL_COPIES_WARNING_MIN: u64 = 10;

impl Summary {
    /// Most completed copies were full for reasons a plan can change (see [`Reason::remedy`]:
    /// not a first copy, a resize, a full source): each moved the whole volume, so transfer
    /// time and cost follow the volumes' sizes, not their change. Names those reasons, most
    /// frequent first, and what would make the copies incremental. Over the whole run first;
    /// when the run's incremental copies outnumber them, per DR region, where one region's full
    /// copies hide behind another's incremental ones (an IBM region every copy of which is full
    /// beside an OCI one of thousands of incremental copies read "3.0 % full").
    fn with_full_copies_warning(
        mut self,
        w: &crate::model::World,
        by_dest: &BTreeMap<crate::model::RegionId, crate::analysis::tally::DestTally>,
    ) -> Self {
        let kind = |k: &str| self.copies.by_kind.get(k).copied().unwrap_or(0);
        let (full, incremental) = (kind("full"), kind("incremental"));
        if let Some((total, listed, remedy)) =
            avoidable_full(self.copies.full_by_reason.iter().map(|(r, &n)| (r.as_str(), n)), incremental)
        {
            self.warnings.push(format!(
                "{total} of the {} completed copies were full for reasons a plan can change ({listed}), more than were \
                 incremental: each moved the whole volume, so transfer time and cost follow the volumes' sizes, not \
                 their change; {remedy}",
                full + incremental,
            ));
            return self;
        }
        for (&region, d) in by_dest {
            let Some((total, listed, remedy)) =
                avoidable_full(d.full_by_reason.iter().map(|(r, &n)| (*r, n)), d.incremental)
            else {
                continue;
            };
            let all: u64 = d.full_by_reason.values().sum::<u64>() + d.incremental;
            self.warnings.push(format!(
                "{total} of the {all} completed copies into {} were full for reasons a plan can change ({listed}), more \
                 than were incremental, which the run's share of full copies ({full} of {}) hides behind other regions' \
                 incremental ones: each moved the whole volume, so transfer time and cost there follow the volumes' \
                 sizes, not their change; {remedy}",
                w.region(region).name,
                full + incremental,
            ));
        }
        self
    }
}

/// The full copies a plan can change among `full_by_reason` (see [`Reason::remedy`]), when they
/// are at least [`FULL_COPIES_WARNING_MIN`] and more than the `incremental` copies: their count,
/// the reasons with their counts (most frequent first) and the first one's remedy.
fn avoidable_full<'a>(
    full_by_reason: impl Iterator<Item = (&'a str, u64)>,
    incremental: u64,
) -> Option<(u64, String, &'static str)> {
    let mut avoidable: Vec<(u64, &str, &str)> =
        full_by_reason.filter_map(|(r, n)| Some((n, r, Reason::from_name(r)?.remedy()?))).collect();
    let total: u64 = avoidable.iter().map(|a| a.0).sum();
    if total < FULL_COPIES_WARNING_MIN || total <= incremental {
        return None;
    }
    avoidable.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let listed: Vec<String> = avoidable.iter().map(|(n, r, _)| format!("{r}: {n}")).collect();
    Some((total, listed.join(", "), avoidable[0].2))
}

/// A u128 amount (nano-dollars, bytes) as a JSON integer, saturating (beyond any run).
fn nano(n: u128) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn cost_summary(w: &crate::model::World, l: &crate::cost::ledger::Ledger, s: &Scenario) -> CostSummary {
    use crate::cost::prices::Item;
    let (from, to) = s.report.window.unwrap_or((SimTime::ZERO, SimTime::ZERO + s.horizon));
    let t = if s.report.window.is_some() { l.totals_between(from, to) } else { l.totals() };
    let get = |i: Item| t.get(&i).copied().unwrap_or(0);
    let horizon = SimTime::ZERO + s.horizon;
    let (from_all, to_all) = if s.report.window.is_some() { (from, to) } else { (SimTime::ZERO, SimTime::MAX) };
    let mut regions: Vec<crate::model::RegionId> = l.lines.keys().map(|(_, r, _)| *r).collect();
    regions.sort();
    regions.dedup();
    let by_region = regions
        .into_iter()
        .map(|r| {
            let t = l.totals_between_in(from_all, to_all, Some(r));
            let get = |i: Item| nano(t.get(&i).copied().unwrap_or(0));
            let cost = RegionCost {
                total_nano_usd: nano(t.values().sum()),
                storage_nano_usd: get(Item::Storage),
                transfer_nano_usd: get(Item::Transfer),
                fast_restore_nano_usd: get(Item::FastRestore),
                monthly_run_rate_nano_usd: nano(l.monthly_run_rate_between_in(from, to, horizon, Some(r))),
            };
            (w.region(r).name.clone(), cost)
        })
        .collect();
    CostSummary {
        total_nano_usd: nano(t.values().sum()),
        storage_nano_usd: nano(get(Item::Storage)),
        transfer_nano_usd: nano(get(Item::Transfer)),
        fast_restore_nano_usd: nano(get(Item::FastRestore)),
        monthly_run_rate_nano_usd: nano(l.monthly_run_rate_between(from, to, SimTime::ZERO + s.horizon)),
        storage_bytes_at_end: l.storage.at_end.iter().map(|(r, &b)| (w.region(*r).name.clone(), nano(b))).collect(),
        by_region,
    }
}

fn plan_summaries(scenario: &Scenario, out: &RunOutput, tally: &Tally) -> Vec<PlanSummary> {
    scenario
        .schedules
        .iter()
        .zip(&out.measured.plans)
        .enumerate()
        .map(|(i, (s, p))| PlanSummary {
            name: s.name.clone(),
            timing: s.timing.describe(),
            volumes: s.volumes.len() as u64,
            runs: p.runs,
            backups_taken: p.backups_taken,
            backups_kept: tally.plans[i].backups_kept,
            backups_deleted_age: p.deleted_age,
            backups_deleted_count: p.deleted_count,
            backups_skipped_ceiling: p.skipped_ceiling,
            backups_skipped_outage: p.skipped_outage,
            copies_requested: tally.plans[i].copies_requested,
            copies_kept: tally.plans[i].copies_kept,
            copies_deleted_age: p.copies_deleted_age,
            copies_deleted_count: p.copies_deleted_count,
            deletions_waited: p.deletions_waited,
            deletion_wait_ms_max: p.deletion_wait_ms_max,
            backups_deleted_before_copied: p.deleted_before_copied,
        })
        .collect()
}
