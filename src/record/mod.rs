//! The recorder: the typed records the engine emits as things happen, the [`Observer`] trait
//! everything downstream implements, and the facts ("transfer completed", "queue wait") that
//! every observer reads the same way.
//!
//! A record borrows the model entity it is about at the instant of the transition, so emitting
//! one costs nothing; an observer keeps what it needs (a counter, a row) and nothing else. The
//! engine emits, in time order:
//!
//! - [`Record::BackupTaken`] when a source backup is taken, [`Record::BackupReady`] when it is AVAILABLE,
//! - [`Record::CopyStarted`] when a copy's data starts moving (or a share is accepted),
//!   [`Record::CopyEnded`] when its transfer ends (AVAILABLE or FAULTY), and
//!   [`Record::BackupWritten`] for the backup a successful copy writes in its destination,
//!   [`Record::RestorePoint`] once that backup can be restored from (every copy it builds on is complete),
//! - [`Record::DeletionDecided`] when retention decides a deletion that has to wait (FSx),
//! - [`Record::PlanRan`] after a schedule or plan ran (retention applied, backups taken),
//! - [`Record::RegionOutage`] when a region goes out (disaster drills),
//! - [`Record::WarmBackup`] and [`Record::WarmCopy`] before anything else, with `warm_start`,
//! - [`Record::CopyClosed`] once a copy's row can no longer change: REJECTED, FAULTY, TERMINATED,
//!   or whatever it is at the horizon — each copy closes exactly once, in any id order,
//! - [`Record::BackupClosed`] likewise for a backup: once DELETED, or at the horizon,
//! - [`Record::Action`] when a timed action has been carried out or refused.

pub mod facts;

use crate::engine::ActionRecord;
use crate::kernel::SimTime;
use crate::model::{Backup, Copy, DeletedBy, VolumeId};

/// One thing that happened, as the engine saw it.
#[derive(Clone, Copy, Debug)]
pub enum Record<'a> {
    /// A source backup was taken (state CREATING).
    BackupTaken {
        /// The backup.
        backup: &'a Backup,
    },
    /// A source backup became AVAILABLE.
    BackupReady {
        /// The backup.
        backup: &'a Backup,
    },
    /// A copy's transfer started (a share: it was accepted).
    CopyStarted {
        /// The copy.
        copy: &'a Copy,
        /// The backup it copies, as it is now.
        source: &'a Backup,
    },
    /// A copy's transfer ended: AVAILABLE, or FAULTY with its error.
    CopyEnded {
        /// The copy.
        copy: &'a Copy,
    },
    /// A successful copy wrote its backup in the destination.
    BackupWritten {
        /// The new backup (origin: the copy).
        backup: &'a Backup,
        /// When the lineage's source backup was taken (what a restore from it recovers).
        source_created_at: SimTime,
    },
    /// A copy's backup became a restore point: its transfer and that of every copy it builds on
    /// in its destination completed (at once after [`Record::BackupWritten`], or later when an
    /// incremental copy finished before its base).
    RestorePoint {
        /// The copy's backup in its destination.
        backup: &'a Backup,
        /// When the lineage's source backup was taken (what a restore from it recovers).
        source_created_at: SimTime,
    },
    /// Retention decided to delete a backup but must wait (FSx: it is being copied).
    DeletionDecided {
        /// The backup.
        backup: &'a Backup,
    },
    /// Schedule or plan `schedule` ran: its retention applied and its backups taken.
    PlanRan {
        /// Its index in the scenario.
        schedule: u32,
    },
    /// `warm_start`: a source backup already there at the start.
    WarmBackup {
        /// The backup.
        backup: &'a Backup,
        /// How long before the start the run it stands for was.
        stands_for_ms_before_start: u64,
    },
    /// `warm_start`: a copy already there at the start, and the backup it holds.
    WarmCopy {
        /// The copy (trigger `Warm`, AVAILABLE).
        copy: &'a Copy,
        /// Its backup in the destination.
        backup: &'a Backup,
        /// How long before the start the run its backup stands for was: what a restore from
        /// it recovers is that old at the start.
        stands_for_ms_before_start: u64,
    },
    /// A region went out.
    RegionOutage {
        /// The region.
        region: crate::model::RegionId,
    },
    /// A copy reached its final row: it will not change again.
    CopyClosed {
        /// The copy as it ends.
        copy: &'a Copy,
        /// Its state in its provider's words ([`CopyRules::state_name`](crate::providers::CopyRules::state_name)).
        state: &'static str,
        /// The schedule or plan whose backup it copies, if any.
        schedule: Option<u32>,
        /// Who deleted the backup it wrote (a deleted share: `None`).
        deleted_by: Option<DeletedBy>,
    },
    /// A backup reached its final row: deleted, or still there at the horizon.
    BackupClosed {
        /// The backup as it ends.
        backup: &'a Backup,
    },
    /// A timed action was carried out or refused.
    Action {
        /// What happened.
        action: &'a ActionRecord,
    },
}

/// Something that consumes records as they happen.
pub trait Observer {
    /// Takes one record, emitted at simulated time `at`.
    fn record(&mut self, at: SimTime, r: &Record<'_>);

    /// Every [`TICK_EVENTS`] events: the simulated time and the events handled so far
    /// (progress display; never part of a result).
    fn tick(&mut self, _now: SimTime, _events: u64) {}

    /// Starts loading what the records about `volume` the engine will emit soon will read: at
    /// `stage` 2 the observer's per-volume entries, at 1 what those point to (in cache by
    /// then). A hint from the engine, a few events ahead, once the live state outgrew the
    /// caches ([`prefetch`](mod@crate::kernel::prefetch)); it reads nothing a result depends on.
    fn prefetch(&self, _volume: VolumeId, _stage: u8) {}

    /// The run's events are over at `horizon`: the records that follow are the horizon's
    /// closing of every copy and backup still open, and no copy starts after them.
    fn events_over(&mut self, _horizon: SimTime) {}
}

/// How many events pass between two [`Observer::tick`] calls.
pub const TICK_EVENTS: u64 = 1 << 16;

/// Ignores everything (a run nobody reports on).
pub struct Discard;

impl Observer for Discard {
    fn record(&mut self, _at: SimTime, _r: &Record<'_>) {}
}
