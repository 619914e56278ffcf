//! `copies.csv`, `backups.csv` and `actions.csv`, streamed: a row is written once its entity
//! closes (see [`crate::record`]), in id order. Each row is a serde struct: the header is its
//! field names, so a column cannot drift from its value.

use std::io::{self, Write};

use serde::Serialize;

use super::catalog::Catalog;
use super::ordered::OrderedCsv;
use crate::engine::{ActionRecord, Outcome};
use crate::kernel::SimTime;
use crate::model::{Backup, Copy, DeletedBy, Origin, Trigger, copy::waited};
use crate::record::{Observer, Record, facts};
use crate::report::seconds;

/// One row of `copies.csv`.
#[derive(Serialize, Default)]
pub struct CopyRow<'a> {
    copy_id: u32,
    backup_id: u32,
    volume_id: &'a str,
    backup_seq: u32,
    account: &'a str,
    provider: &'a str,
    source_region: &'a str,
    dest_region: &'a str,
    requested_at: String,
    started_at: String,
    finished_at: String,
    restorable_at: String,
    kind: &'a str,
    reason: &'a str,
    bytes_transferred: u64,
    queue_wait_s: String,
    state: &'a str,
    error: String,
    trigger: &'a str,
    waited_behind: String,
    throttled_count: u32,
    dest_key: &'a str,
    deleted_at: String,
    deleted_by: String,
}

/// One row of `backups.csv`.
#[derive(Serialize, Default)]
pub struct BackupRow<'a> {
    backup_id: u32,
    volume_id: &'a str,
    backup_seq: u32,
    account: &'a str,
    provider: &'a str,
    region: &'a str,
    origin: &'a str,
    copy_id: String,
    kind: &'a str,
    delta_bytes: u64,
    full_bytes: u64,
    key: &'a str,
    tags: String,
    created_at: String,
    available_at: String,
    stable_at: String,
    state: &'a str,
    deleted_at: String,
    schedule: &'a str,
    deleted_by: String,
    deletion_wait_s: String,
    consistency_group: String,
}

/// One row of `actions.csv`.
#[derive(Serialize, Default)]
pub struct ActionRow<'a> {
    at: String,
    action: &'a str,
    target: &'a str,
    outcome: &'a str,
    detail: &'a str,
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

/// The row of a closed copy, whose state reads `state` in its provider's words.
pub fn copy_row<'a>(cat: &'a Catalog, c: &'a Copy, state: &'a str, deleted_by: Option<DeletedBy>) -> CopyRow<'a> {
    let dest_key = if c.strip_encryption { "none" } else { c.dest_key.map(|k| cat.key(k)).unwrap_or_default() };
    let deleted_by = match (deleted_by, c.deleted_at.get()) {
        (Some(d), _) => cat.deleted_by(d),
        (None, Some(_)) => "sharer".to_string(),
        (None, None) => String::new(),
    };
    CopyRow {
        copy_id: c.id.0 + 1,
        backup_id: c.source.0 + 1,
        volume_id: cat.volume(c.volume),
        backup_seq: c.seq,
        account: cat.account(c.account),
        provider: cat.provider(c.source_region),
        source_region: cat.region(c.source_region),
        dest_region: cat.region(c.dest_region),
        requested_at: cat.ts(c.requested_at),
        started_at: cat.opt_ts(c.started_at.get()),
        finished_at: cat.opt_ts(c.finished_at.get()),
        restorable_at: cat.opt_ts(c.restorable_at.get()),
        kind: c.kind.map(|k| k.name()).unwrap_or_default(),
        reason: c.reason.name(),
        bytes_transferred: facts::bytes_moved(c),
        queue_wait_s: facts::queue_wait_ms(c).map(seconds).unwrap_or_default(),
        state,
        error: c.error.as_ref().map(|e| e.to_string()).unwrap_or_default(),
        trigger: match c.trigger {
            Trigger::Schedule => "schedule",
            Trigger::Manual => "manual",
            Trigger::Warm => "warm",
        },
        waited_behind: waited_behind(c),
        throttled_count: c.throttled_count,
        dest_key,
        deleted_at: cat.opt_ts(c.deleted_at.get()),
        deleted_by,
    }
}

/// The row of a closed backup.
pub fn backup_row<'a>(cat: &'a Catalog, b: &'a Backup) -> BackupRow<'a> {
    let (origin, copy_id) = match b.origin() {
        Origin::Source => ("source", String::new()),
        Origin::Copy(c) => ("copy", (c.0 + 1).to_string()),
    };
    BackupRow {
        backup_id: b.id.0 + 1,
        volume_id: cat.volume(b.volume),
        backup_seq: b.seq,
        account: cat.account(b.account),
        provider: cat.provider(b.region),
        region: cat.region(b.region),
        origin,
        copy_id,
        kind: b.kind.name(),
        delta_bytes: b.delta_bytes,
        full_bytes: b.full_bytes,
        key: b.key.map(|k| cat.key(k)).unwrap_or_default(),
        tags: b.tags(cat.world()).join(";"),
        created_at: cat.ts(b.created_at),
        available_at: cat.opt_ts(b.available_at.get()),
        stable_at: cat.opt_ts(b.stable_at.get()),
        state: b.state.name(),
        deleted_at: cat.opt_ts(b.deleted_at.get()),
        schedule: b.schedule.get().map(|s| cat.schedule(s)).unwrap_or_default(),
        deleted_by: b.deleted_by.map(|d| cat.deleted_by(d)).unwrap_or_default(),
        deletion_wait_s: match (b.deletion_requested_at.get(), b.deleted_at.get()) {
            (Some(r), Some(d)) => seconds(d.since(r).as_ms()),
            _ => String::new(),
        },
        consistency_group: b
            .consistency_group
            .get()
            .map(|i| format!("{}@{}", cat.instance(i), cat.ts(b.created_at)))
            .unwrap_or_default(),
    }
}

/// The row of an action.
pub fn action_row<'a>(cat: &Catalog, a: &'a ActionRecord) -> ActionRow<'a> {
    ActionRow {
        at: cat.ts(a.at),
        action: a.action,
        target: &a.target,
        outcome: match a.outcome {
            Outcome::Ok => "ok",
            Outcome::Rejected => "rejected",
        },
        detail: &a.detail,
    }
}

/// Streams the three row files.
pub struct Rows {
    cat: std::rc::Rc<Catalog>,
    copies: OrderedCsv,
    backups: OrderedCsv,
    actions: OrderedCsv,
    action_count: u64,
}

impl Rows {
    /// Writes `copies.csv`, `backups.csv`, `actions.csv` to the three writers.
    pub fn new(
        cat: std::rc::Rc<Catalog>,
        copies: Box<dyn Write>,
        backups: Box<dyn Write>,
        actions: Box<dyn Write>,
    ) -> Self {
        Self {
            cat,
            copies: OrderedCsv::new::<CopyRow>(copies),
            backups: OrderedCsv::new::<BackupRow>(backups),
            actions: OrderedCsv::new::<ActionRow>(actions),
            action_count: 0,
        }
    }

    /// Flushes the files; the first write error, if any.
    pub fn finish(self) -> io::Result<()> {
        self.copies.finish()?;
        self.backups.finish()?;
        self.actions.finish()
    }
}

impl Observer for Rows {
    fn record(&mut self, _at: SimTime, r: &Record<'_>) {
        match *r {
            Record::CopyClosed { copy, state, deleted_by, .. } => {
                self.copies.row(u64::from(copy.id.0), &copy_row(&self.cat, copy, state, deleted_by))
            }
            Record::BackupClosed { backup } => self.backups.row(u64::from(backup.id.0), &backup_row(&self.cat, backup)),
            Record::Action { action } => {
                self.actions.row(self.action_count, &action_row(&self.cat, action));
                self.action_count += 1;
            }
            _ => {}
        }
    }
}
