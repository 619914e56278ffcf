//! `summary.json` and the terminal summary.

use std::collections::BTreeMap;

use serde::Serialize;

use super::timestamp;
use crate::engine::{Outcome, RunOutput};
use crate::model::{BackupKind, CopyKind, CopyState, Origin};
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
    /// RPO per DR region.
    pub rpo: Vec<crate::report::rpo::RegionRpo>,
    /// Disaster drills.
    pub drills: Vec<crate::report::drill::DrillSummary>,
    /// Broken invariants (always empty unless copysim has a bug).
    pub invariant_violations: Vec<String>,
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
}

/// Copies and shares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CopyCounts {
    /// Copy and share requests.
    pub requested: u64,
    /// By final state.
    pub by_state: BTreeMap<String, u64>,
    /// By kind (started ones).
    pub by_kind: BTreeMap<String, u64>,
    /// By reason (started ones).
    pub by_reason: BTreeMap<String, u64>,
    /// By provider-style error (rejected or failed ones).
    pub by_error: BTreeMap<String, u64>,
    /// Bytes moved by completed copies.
    pub bytes_transferred: u64,
    /// EBS ResourceLimitExceeded answers.
    pub throttled_requests: u64,
}

/// Wait between request and start, over started copies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueWait {
    /// Started copies.
    pub started: u64,
    /// Of which waited at all.
    pub waited: u64,
    /// Median, seconds.
    pub p50_s: String,
    /// 95th percentile, seconds.
    pub p95_s: String,
    /// Maximum, seconds.
    pub max_s: String,
    /// Mean, seconds.
    pub mean_s: String,
}

/// One quota gate.
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

/// One link.
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

/// What one schedule or plan did, and what of it is left at the horizon.
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
    /// Of those, still there at the horizon.
    pub backups_kept: u64,
    /// Deleted by the age rule.
    pub backups_deleted_age: u64,
    /// Deleted by the count rule.
    pub backups_deleted_count: u64,
    /// Not taken: the volume was at its backup ceiling.
    pub backups_skipped_ceiling: u64,
    /// Not taken: the region was out.
    pub backups_skipped_outage: u64,
    /// Copies requested for its backups.
    pub copies_requested: u64,
    /// Of those, available at the horizon.
    pub copies_kept: u64,
    /// Remote copies deleted by age.
    pub copies_deleted_age: u64,
    /// Remote copies deleted by count.
    pub copies_deleted_count: u64,
    /// Deletions that waited (FSx: backup being copied).
    pub deletions_waited: u64,
    /// Longest wait, seconds.
    pub deletion_wait_s_max: String,
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
    /// Everything, USD.
    pub total_usd: String,
    /// Storage, USD.
    pub storage_usd: String,
    /// Transfer, USD.
    pub transfer_usd: String,
    /// Fast restore, USD.
    pub fast_restore_usd: String,
    /// The last seven days' cost scaled to a 730-hour month, USD.
    pub monthly_run_rate_usd: String,
    /// Stored at the horizon, per region, GB (2^30 bytes).
    pub storage_gb_at_end: BTreeMap<String, String>,
}

/// Timed actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionCounts {
    /// Took effect.
    pub ok: u64,
    /// Refused.
    pub rejected: u64,
}

fn error_code(e: &str) -> String {
    e.split(':').next().unwrap_or(e).to_string()
}

/// Builds the summary.
pub fn build(
    scenario: &Scenario,
    out: &RunOutput,
    analysis: &crate::report::Analysis,
    violations: Vec<String>,
) -> Summary {
    let w = &out.world;
    let sources = w.backups.iter().filter(|b| b.origin == Origin::Source);
    let (mut taken, mut full, mut bytes) = (0, 0, 0);
    for b in sources {
        taken += 1;
        full += u64::from(b.kind == BackupKind::Full);
        bytes += b.delta_bytes;
    }
    let mut copies = CopyCounts {
        requested: w.copies.len() as u64,
        by_state: BTreeMap::new(),
        by_kind: BTreeMap::new(),
        by_reason: BTreeMap::new(),
        by_error: BTreeMap::new(),
        bytes_transferred: 0,
        throttled_requests: 0,
    };
    let mut waits = Vec::new();
    for c in &w.copies {
        *copies.by_state.entry(c.state.name().to_string()).or_default() += 1;
        if let Some(e) = &c.error {
            *copies.by_error.entry(error_code(e)).or_default() += 1;
        }
        copies.throttled_requests += u64::from(c.throttled_count);
        if let (Some(k), Some(s)) = (c.kind, c.started_at) {
            *copies.by_kind.entry(k.name().to_string()).or_default() += 1;
            *copies.by_reason.entry(c.reason.name().to_string()).or_default() += 1;
            if k != CopyKind::Share {
                waits.push(s.since(c.requested_at).as_ms());
            }
        }
        if matches!(c.state, CopyState::Available | CopyState::Terminating | CopyState::Terminated) {
            copies.bytes_transferred += c.bytes;
        }
    }
    waits.sort_unstable();
    let total: u128 = waits.iter().map(|&x| u128::from(x)).sum();
    let mean = if waits.is_empty() { 0 } else { (total / waits.len() as u128) as u64 };
    let queue_wait = QueueWait {
        started: waits.len() as u64,
        waited: waits.iter().filter(|&&x| x > 0).count() as u64,
        p50_s: super::seconds(super::percentile(&waits, 50)),
        p95_s: super::seconds(super::percentile(&waits, 95)),
        max_s: super::seconds(waits.last().copied().unwrap_or(0)),
        mean_s: super::seconds(mean),
    };
    let quotas = out
        .planner
        .gates()
        .quotas()
        .iter()
        .map(|g| QuotaStats {
            scope: g.label(w),
            limit: g.limit,
            in_flight_peak: g.in_flight_peak,
            waits: g.wait_count,
            queue_peak: g.queue_peak as u64,
        })
        .collect();
    let links = w
        .links
        .iter()
        .filter(|l| l.declared || l.transfers_finished > 0 || l.active() > 0)
        .map(|l| LinkStats {
            from: w.region(l.from).name.clone(),
            to: w.region(l.to).name.clone(),
            declared: l.declared,
            bandwidth_bytes_per_s: l.params.bandwidth_bytes_per_s,
            copy_cap_bytes_per_s: l.params.copy_cap_bytes_per_s,
            bytes_carried: l.bytes_carried,
            transfers: l.transfers_finished,
            active_peak: l.active_peak,
            rate_sum_peak_bytes_per_s: l.rate_sum_peak_bytes_per_s,
        })
        .collect();
    let ok = out.actions.iter().filter(|a| a.outcome == Outcome::Ok).count() as u64;
    Summary {
        copysim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario.name.clone(),
        scenario_source: scenario.source_label.clone(),
        scenario_sha256: scenario.source_sha256.clone(),
        seed: scenario.seed,
        start: timestamp(scenario.start, crate::kernel::SimTime::ZERO),
        end: timestamp(scenario.start, crate::kernel::SimTime::ZERO + scenario.horizon),
        events_processed: out.run.events_processed,
        events_left: out.run.events_left as u64,
        backups: BackupCounts {
            taken,
            full,
            incremental: taken - full,
            bytes,
            skipped_outage: out.plans.iter().map(|p| p.skipped_outage).sum(),
        },
        copies,
        queue_wait,
        quotas,
        links,
        plans: plan_summaries(scenario, out),
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
        actions: ActionCounts { ok, rejected: out.actions.len() as u64 - ok },
        disks_restored: out.disks.len() as u64,
        cost: analysis.ledger.as_ref().map(|l| cost_summary(w, l, scenario.horizon)),
        rpo: crate::report::rpo::summarise(w, &analysis.rpo, scenario.report.rpo_target),
        drills: crate::report::drill::summarise(scenario, w, &analysis.restores),
        invariant_violations: violations,
    }
}

fn cost_summary(
    w: &crate::model::World,
    l: &crate::cost::ledger::Ledger,
    horizon: crate::kernel::SimDuration,
) -> CostSummary {
    use crate::cost::prices::Item;
    use crate::cost::usd;
    let t = l.totals();
    let get = |i: Item| t.get(&i).copied().unwrap_or(0);
    CostSummary {
        total_usd: usd(t.values().sum()),
        storage_usd: usd(get(Item::Storage)),
        transfer_usd: usd(get(Item::Transfer)),
        fast_restore_usd: usd(get(Item::FastRestore)),
        monthly_run_rate_usd: usd(l.monthly_run_rate(crate::kernel::SimTime::ZERO + horizon)),
        storage_gb_at_end: l
            .storage
            .at_end
            .iter()
            .map(|(r, b)| {
                (w.region(*r).name.clone(), format!("{}.{:03}", b >> 30, ((b & ((1 << 30) - 1)) * 1000) >> 30))
            })
            .collect(),
    }
}

fn plan_summaries(scenario: &Scenario, out: &RunOutput) -> Vec<PlanSummary> {
    let w = &out.world;
    let n = scenario.schedules.len();
    let (mut kept, mut requested, mut copies_kept) = (vec![0u64; n], vec![0u64; n], vec![0u64; n]);
    for b in w.backups.iter().filter(|b| b.origin == Origin::Source) {
        if let (Some(s), true) = (b.schedule, b.exists()) {
            kept[s as usize] += 1;
        }
    }
    for c in w.copies.iter().filter(|c| c.trigger == crate::model::Trigger::Schedule) {
        if let Some(s) = w.backup(c.source).schedule {
            requested[s as usize] += 1;
            copies_kept[s as usize] += u64::from(c.is_available());
        }
    }
    scenario
        .schedules
        .iter()
        .zip(&out.plans)
        .enumerate()
        .map(|(i, (s, p))| PlanSummary {
            name: s.name.clone(),
            timing: s.timing.describe(),
            volumes: s.volumes.len() as u64,
            runs: p.runs,
            backups_taken: p.backups_taken,
            backups_kept: kept[i],
            backups_deleted_age: p.deleted_age,
            backups_deleted_count: p.deleted_count,
            backups_skipped_ceiling: p.skipped_ceiling,
            backups_skipped_outage: p.skipped_outage,
            copies_requested: requested[i],
            copies_kept: copies_kept[i],
            copies_deleted_age: p.copies_deleted_age,
            copies_deleted_count: p.copies_deleted_count,
            deletions_waited: p.deletions_waited,
            deletion_wait_s_max: super::seconds(p.deletion_wait_ms_max),
        })
        .collect()
}
