//! `summary.json` and the terminal summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;

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
    /// Timed actions.
    pub actions: ActionCounts,
    /// Disks restored.
    pub disks_restored: u64,
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

/// Timed actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionCounts {
    /// Took effect.
    pub ok: u64,
    /// Refused.
    pub rejected: u64,
}

fn percentile(sorted: &[u64], p: u64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p * sorted.len() as u64).div_ceil(100).max(1) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn error_code(e: &str) -> String {
    e.split(':').next().unwrap_or(e).to_string()
}

/// Builds the summary.
pub fn build(scenario: &Scenario, out: &RunOutput, violations: Vec<String>) -> Summary {
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
        p50_s: super::seconds(percentile(&waits, 50)),
        p95_s: super::seconds(percentile(&waits, 95)),
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
            skipped_outage: out.stats.backups_skipped_outage,
        },
        copies,
        queue_wait,
        quotas,
        links,
        actions: ActionCounts { ok, rejected: out.actions.len() as u64 - ok },
        disks_restored: out.disks.len() as u64,
        invariant_violations: violations,
    }
}

fn human_bytes(b: u64) -> String {
    bytesize::ByteSize(b).display().si().to_string()
}

/// The few lines printed at the end of `run`.
pub fn terminal(s: &Summary, out_dir: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "copysim {} · scenario {} · seed {} · {} → {}",
        s.copysim_version, s.scenario, s.seed, s.start, s.end
    );
    let _ = writeln!(
        t,
        "  backups   {} taken ({} full, {} incremental), {} captured",
        s.backups.taken,
        s.backups.full,
        s.backups.incremental,
        human_bytes(s.backups.bytes)
    );
    let kinds: Vec<String> = s.copies.by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let _ = writeln!(
        t,
        "  copies    {} requested: {}; {} moved",
        s.copies.requested,
        kinds.join(", "),
        human_bytes(s.copies.bytes_transferred)
    );
    let states: Vec<String> = s.copies.by_state.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(t, "  states    {}", states.join(", "));
    let mut reasons: Vec<(&String, &u64)> = s.copies.by_reason.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = reasons.iter().take(4).map(|(r, n)| format!("{r} {n}")).collect();
    let _ = writeln!(t, "  reasons   {}", top.join(", "));
    if !s.copies.by_error.is_empty() {
        let errs: Vec<String> = s.copies.by_error.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(t, "  errors    {}", errs.join(", "));
    }
    let _ = writeln!(
        t,
        "  waits     {} of {} started copies waited; p50 {} s, p95 {} s, max {} s; {} throttled requests",
        s.queue_wait.waited,
        s.queue_wait.started,
        s.queue_wait.p50_s,
        s.queue_wait.p95_s,
        s.queue_wait.max_s,
        s.copies.throttled_requests
    );
    if s.actions.ok + s.actions.rejected > 0 {
        let _ = writeln!(t, "  actions   {} ok, {} rejected", s.actions.ok, s.actions.rejected);
    }
    if !s.invariant_violations.is_empty() {
        let _ = writeln!(t, "  INVARIANT VIOLATIONS: {}", s.invariant_violations.join("; "));
    }
    let _ = writeln!(t, "  wrote     {out_dir}/{{copies.csv, backups.csv, actions.csv, summary.json}}");
    t
}
