//! The CSV files: one row per copy or share, per backup, per timed action.

use super::{seconds, timestamp};
use crate::engine::{ActionRecord, Outcome};
use crate::kernel::SimTime;
use crate::model::{Copy, CopyState, DeletedBy, Origin, World, copy::waited};
use crate::scenario::Scenario;

/// The columns of `copies.csv`, in order.
pub const COPY_COLUMNS: [&str; 23] = [
    "copy_id",
    "backup_id",
    "volume_id",
    "backup_seq",
    "account",
    "provider",
    "source_region",
    "dest_region",
    "requested_at",
    "started_at",
    "finished_at",
    "kind",
    "reason",
    "bytes_transferred",
    "queue_wait_s",
    "state",
    "error",
    "trigger",
    "waited_behind",
    "throttled_count",
    "dest_key",
    "deleted_at",
    "deleted_by",
];

/// The columns of `backups.csv`, in order.
pub const BACKUP_COLUMNS: [&str; 22] = [
    "backup_id",
    "volume_id",
    "backup_seq",
    "account",
    "provider",
    "region",
    "origin",
    "copy_id",
    "kind",
    "delta_bytes",
    "full_bytes",
    "key",
    "tags",
    "created_at",
    "available_at",
    "stable_at",
    "state",
    "deleted_at",
    "schedule",
    "deleted_by",
    "deletion_wait_s",
    "consistency_group",
];

/// A CSV writer into memory with `\n` line ends.
pub(super) fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new())
}

/// The bytes written.
pub(super) fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

/// An optional timestamp; empty when `None`.
pub(super) fn opt_ts(start: jiff::Timestamp, t: Option<SimTime>) -> String {
    t.map(|t| timestamp(start, t)).unwrap_or_default()
}

fn waited_behind(c: &Copy) -> String {
    let mut parts = Vec::new();
    for (bit, name) in [(waited::LINEAGE, "lineage"), (waited::QUOTA, "quota"), (waited::OUTAGE, "outage")] {
        if c.waited & bit != 0 {
            parts.push(name);
        }
    }
    parts.join(";")
}

/// Who deleted a backup: `manual`, `retention:<plan>:<age|count>`, `remote_retention:<plan>:<age|count>`.
pub fn deleted_by(scenario: &Scenario, d: DeletedBy) -> String {
    match d {
        DeletedBy::Manual => "manual".to_string(),
        DeletedBy::Retention { schedule, rule } => {
            format!("retention:{}:{}", scenario.schedules[schedule as usize].name, rule.name())
        }
        DeletedBy::RemoteRetention { schedule, rule } => {
            format!("remote_retention:{}:{}", scenario.schedules[schedule as usize].name, rule.name())
        }
    }
}

fn copy_deleted_by(scenario: &Scenario, w: &World, c: &Copy) -> String {
    match (c.dest_backup.and_then(|b| w.backup(b).deleted_by), c.deleted_at) {
        (Some(d), _) => deleted_by(scenario, d),
        (None, Some(_)) => "sharer".to_string(),
        (None, None) => String::new(),
    }
}

/// `copies.csv`.
pub fn copies(scenario: &Scenario, w: &World) -> Vec<u8> {
    let mut out = writer();
    out.write_record(COPY_COLUMNS).expect("in memory");
    let start = scenario.start;
    for c in &w.copies {
        let moved = matches!(c.state, CopyState::Available | CopyState::Terminating | CopyState::Terminated);
        let wait = c.started_at.map(|s| seconds(s.since(c.requested_at).as_ms())).unwrap_or_default();
        let key = if c.strip_encryption {
            "none".to_string()
        } else {
            c.dest_key.map(|k| w.key(k).name.clone()).unwrap_or_default()
        };
        out.write_record([
            (c.id.0 + 1).to_string(),
            (c.source.0 + 1).to_string(),
            w.volume(c.volume).name.clone(),
            c.seq.to_string(),
            w.account(c.account).name.clone(),
            w.provider_of(c).name().to_string(),
            w.region(c.source_region).name.clone(),
            w.region(c.dest_region).name.clone(),
            timestamp(start, c.requested_at),
            opt_ts(start, c.started_at),
            opt_ts(start, c.finished_at),
            c.kind.map(|k| k.name()).unwrap_or_default().to_string(),
            c.reason.name().to_string(),
            if moved { c.bytes.to_string() } else { "0".to_string() },
            wait,
            c.state.name().to_string(),
            c.error.clone().unwrap_or_default(),
            match c.trigger {
                crate::model::Trigger::Schedule => "schedule",
                crate::model::Trigger::Manual => "manual",
            }
            .to_string(),
            waited_behind(c),
            c.throttled_count.to_string(),
            key,
            opt_ts(start, c.deleted_at),
            copy_deleted_by(scenario, w, c),
        ])
        .expect("in memory");
    }
    finish(out)
}

/// `backups.csv`: every backup in every region, source backups and copies' results.
pub fn backups(scenario: &Scenario, w: &World) -> Vec<u8> {
    let mut out = writer();
    out.write_record(BACKUP_COLUMNS).expect("in memory");
    let start = scenario.start;
    for b in &w.backups {
        let (origin, copy_id) = match b.origin {
            Origin::Source => ("source", String::new()),
            Origin::Copy(c) => ("copy", (c.0 + 1).to_string()),
        };
        out.write_record([
            (b.id.0 + 1).to_string(),
            w.volume(b.volume).name.clone(),
            b.seq.to_string(),
            w.account(b.account).name.clone(),
            w.region(b.region).provider.name().to_string(),
            w.region(b.region).name.clone(),
            origin.to_string(),
            copy_id,
            b.kind.name().to_string(),
            b.delta_bytes.to_string(),
            b.full_bytes.to_string(),
            b.key.map(|k| w.key(k).name.clone()).unwrap_or_default(),
            b.tags.join(";"),
            timestamp(start, b.created_at),
            opt_ts(start, b.available_at),
            opt_ts(start, b.stable_at),
            b.state.name().to_string(),
            opt_ts(start, b.deleted_at),
            b.schedule.map(|s| scenario.schedules[s as usize].name.clone()).unwrap_or_default(),
            b.deleted_by.map(|d| deleted_by(scenario, d)).unwrap_or_default(),
            match (b.deletion_requested_at, b.deleted_at) {
                (Some(r), Some(d)) => seconds(d.since(r).as_ms()),
                _ => String::new(),
            },
            b.consistency_group
                .map(|i| format!("{}@{}", w.instances[i as usize].name, timestamp(start, b.created_at)))
                .unwrap_or_default(),
        ])
        .expect("in memory");
    }
    finish(out)
}

/// `actions.csv`: every timed action and its outcome.
pub fn actions(scenario: &Scenario, log: &[ActionRecord]) -> Vec<u8> {
    let mut out = writer();
    out.write_record(["at", "action", "target", "outcome", "detail"]).expect("in memory");
    for a in log {
        let outcome = match a.outcome {
            Outcome::Ok => "ok",
            Outcome::Rejected => "rejected",
        };
        out.write_record([
            timestamp(scenario.start, a.at),
            a.action.to_string(),
            a.target.clone(),
            outcome.to_string(),
            a.detail.clone(),
        ])
        .expect("in memory");
    }
    finish(out)
}
