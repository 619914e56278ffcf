//! Copies of backups between regions and accounts (and Huawei shares): their states, kinds, reasons and waits.

use super::ids::{AccountId, BackupId, CopyId, KeyId, Maybe, RegionId, VolumeId};
use crate::kernel::{SimTime, Stamp};

/// A copy's lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyState {
    /// Asked for, not yet planned (Huawei: shared, awaiting the recipient).
    Pending,
    /// Waiting behind a quota, a pending copy of its lineage, or an outage.
    Queued,
    /// Data is moving.
    Copying,
    /// Finished; the copy exists in the destination (Huawei: accepted).
    Available,
    /// Failed.
    Faulty,
    /// Being deleted.
    Terminating,
    /// Deleted.
    Terminated,
    /// Refused by the provider.
    Rejected,
    /// Huawei: a share its recipient rejected (a choice, not an error: no error code).
    Declined,
}

impl CopyState {
    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            CopyState::Pending => "PENDING",
            CopyState::Queued => "QUEUED",
            CopyState::Copying => "COPYING",
            CopyState::Available => "AVAILABLE",
            CopyState::Faulty => "FAULTY",
            CopyState::Terminating => "TERMINATING",
            CopyState::Terminated => "TERMINATED",
            CopyState::Rejected => "REJECTED",
            CopyState::Declined => "DECLINED",
        }
    }

    /// Whether the copy has ended its transfer one way or another.
    pub fn is_final_transfer_state(self) -> bool {
        !matches!(self, CopyState::Pending | CopyState::Queued | CopyState::Copying)
    }
}

/// Full, incremental, no data (EBS same region) or (Huawei) a share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyKind {
    /// All the backup's data moves.
    Full,
    /// Only the changes since the destination's base copy move.
    Incremental,
    /// No data moves: the backup is shared with another project.
    Share,
    /// A copy that moves no data (EBS: same region, account and encryption).
    NoData,
}

impl CopyKind {
    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            CopyKind::Full => "full",
            CopyKind::Incremental => "incremental",
            CopyKind::Share => "share",
            CopyKind::NoData => "no_data",
        }
    }

    /// Whether a copy of this kind carries data over its link (full and incremental copies do,
    /// even when they have no byte to move; a share and an EBS no-data copy never do).
    pub fn crosses_link(self) -> bool {
        matches!(self, CopyKind::Full | CopyKind::Incremental)
    }
}

/// Why a copy got its kind. Each names the document rule behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// Not decided yet (rejected before planning).
    None,
    /// Nothing of this lineage was copied to the destination before.
    FirstCopy,
    /// OCI: the copy matches its source, which is a full backup.
    SourceIsFull,
    /// OCI: the copy matches its incremental source.
    MatchesSource,
    /// OCI: first backup after a volume resize.
    AfterResize,
    /// OCI: a copy being copied back to its source region.
    CopyBackToSourceRegion,
    /// OCI: the previous copy in the destination is TERMINATING, TERMINATED or FAULTY.
    PreviousCopyTerminatedOrFaulty,
    /// OCI: a manual copy out of order.
    OutOfOrder,
    /// OCI: the previous copy in the destination was itself out of order.
    AfterOutOfOrderCopy,
    /// EBS / FSx: an earlier copy exists there under the same key.
    PreviousCopyExists,
    /// EBS: the most recent copy in the destination was deleted.
    MostRecentCopyDeleted,
    /// FSx: every backup previously copied there was deleted.
    AllPreviousCopiesDeleted,
    /// EBS / FSx: the key differs from earlier copies.
    KeyChanged,
    /// EBS: the encryption status changes during the copy.
    EncryptionChanged,
    /// IBM: the immediately preceding snapshot exists in the destination and is stable.
    PredecessorStable,
    /// IBM: the immediately preceding snapshot has no copy in the destination.
    PredecessorMissing,
    /// IBM: the preceding snapshot's copy is not stable yet.
    PredecessorNotStable,
    /// EBS: a same-region, same-account copy moves no data.
    SameRegionNoData,
    /// Huawei: a share moves no data.
    Shared,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: [Reason; 19] = [
        Reason::None,
        Reason::FirstCopy,
        Reason::SourceIsFull,
        Reason::MatchesSource,
        Reason::AfterResize,
        Reason::CopyBackToSourceRegion,
        Reason::PreviousCopyTerminatedOrFaulty,
        Reason::OutOfOrder,
        Reason::AfterOutOfOrderCopy,
        Reason::PreviousCopyExists,
        Reason::MostRecentCopyDeleted,
        Reason::AllPreviousCopiesDeleted,
        Reason::KeyChanged,
        Reason::EncryptionChanged,
        Reason::PredecessorStable,
        Reason::PredecessorMissing,
        Reason::PredecessorNotStable,
        Reason::SameRegionNoData,
        Reason::Shared,
    ];

    /// The reason named `name` (its report name), if any.
    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.name() == name)
    }

    /// For a reason that makes a copy full, what a planner can change so the next ones are
    /// incremental (none for the reasons a plan cannot avoid or chose: a first copy, a resize,
    /// a full source backup, a copy back to the source region).
    pub fn remedy(self) -> Option<&'static str> {
        Some(match self {
            Reason::PreviousCopyTerminatedOrFaulty
            | Reason::MostRecentCopyDeleted
            | Reason::AllPreviousCopiesDeleted => {
                "the previous copy in the destination was deleted or failed before the next one: keep remote copies \
                 longer, or look at the failures"
            }
            Reason::KeyChanged | Reason::EncryptionChanged => {
                "the encryption differs from the earlier copies there: keep one key per destination"
            }
            Reason::PredecessorMissing => {
                "the preceding snapshot or its copy was gone when the copy was asked for: keep more source \
                 snapshots (a retention count of 1 deletes the preceding one before the next copy) and remote copies"
            }
            Reason::PredecessorNotStable => {
                "the preceding copy had not completed when the next was asked for: copies take longer than the \
                 schedule's interval; lengthen the interval or add bandwidth"
            }
            Reason::OutOfOrder | Reason::AfterOutOfOrderCopy => "manual copies out of order: copy backups in order",
            _ => return None,
        })
    }

    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            Reason::None => "",
            Reason::FirstCopy => "first_copy",
            Reason::SourceIsFull => "source_is_full",
            Reason::MatchesSource => "matches_source",
            Reason::AfterResize => "after_resize",
            Reason::CopyBackToSourceRegion => "copy_back_to_source_region",
            Reason::PreviousCopyTerminatedOrFaulty => "previous_copy_terminated_or_faulty",
            Reason::OutOfOrder => "out_of_order",
            Reason::AfterOutOfOrderCopy => "after_out_of_order_copy",
            Reason::PreviousCopyExists => "previous_copy_exists",
            Reason::MostRecentCopyDeleted => "most_recent_copy_deleted",
            Reason::AllPreviousCopiesDeleted => "all_previous_copies_deleted",
            Reason::KeyChanged => "key_changed",
            Reason::EncryptionChanged => "encryption_changed",
            Reason::PredecessorStable => "predecessor_stable",
            Reason::PredecessorMissing => "predecessor_missing",
            Reason::PredecessorNotStable => "predecessor_not_stable",
            Reason::SameRegionNoData => "same_region_no_data",
            Reason::Shared => "shared",
        }
    }
}

/// Who asked for the copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// A backup schedule's copy target.
    Schedule,
    /// A timed manual action.
    Manual,
    /// Already there at the start (`warm_start`): the steady state's newest copy.
    Warm,
}

/// What a queued copy waited behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behind {
    /// A concurrent-copy quota (gate index in the planner).
    Quota(u32),
    /// A pending copy of the same lineage (EBS).
    Lineage(CopyId),
    /// A region outage.
    Outage(RegionId),
}

/// Bit flags of the kinds of waits a copy went through.
pub mod waited {
    /// Behind a quota.
    pub const QUOTA: u8 = 1;
    /// Behind a pending copy of the lineage.
    pub const LINEAGE: u8 = 2;
    /// Behind a region outage.
    pub const OUTAGE: u8 = 4;
}

/// One copy (or share) of a backup. Millions are live at once: 128 bytes (rare fields, like an
/// IAM group override, live in `World`). Aligning it to cache lines was measured: no faster,
/// and a few percent more memory (the allocator's aligned chunks).
#[derive(Clone, Debug)]
pub struct Copy {
    /// This copy's id.
    pub id: CopyId,
    /// The backup being copied.
    pub source: BackupId,
    /// The lineage.
    pub volume: VolumeId,
    /// The backup's seq.
    pub seq: u32,
    /// Destination (requesting) account.
    pub account: AccountId,
    /// Source region.
    pub source_region: RegionId,
    /// Destination region.
    pub dest_region: RegionId,
    /// Schedule or manual.
    pub trigger: Trigger,
    /// Requested destination key; `None` keeps the source's encryption.
    pub dest_key: Option<KeyId>,
    /// The request asks for an unencrypted copy (EBS: cannot strip encryption).
    pub strip_encryption: bool,
    /// State.
    pub state: CopyState,
    /// Kind once decided.
    pub kind: Option<CopyKind>,
    /// Why that kind.
    pub reason: Reason,
    /// Bytes to move.
    pub bytes: u64,
    /// Bytes that crossed the link: all of them for a completed copy, what moved before the
    /// failure for a failed one.
    pub moved_bytes: u64,
    /// Provider-style error for REJECTED or FAULTY.
    pub error: Option<Box<super::ProviderError>>,
    /// Kinds of waits (see [`waited`]).
    pub waited: u8,
    /// The last thing it waited behind.
    pub behind: Option<Behind>,
    /// EBS: ResourceLimitExceeded answers received before it could start.
    pub throttled_count: u32,
    /// Requested at.
    pub requested_at: SimTime,
    /// Transfer started at.
    pub started_at: Stamp,
    /// Finished (or failed) at.
    pub finished_at: Stamp,
    /// Deleted (terminated) at.
    pub deleted_at: Stamp,
    /// The backup it wrote in the destination.
    pub dest_backup: Maybe<BackupId>,
    /// An incremental copy: the copy in the destination it builds on.
    pub base: Maybe<CopyId>,
    /// When it became a restore point: its transfer and every copy it builds on there completed.
    pub restorable_at: Stamp,
    /// Injected failure: fail when the transfer ends.
    pub doomed: bool,
    /// It builds (transitively) on a copy that failed: it will never be a restore point, and
    /// the engine fails it (`BaseCopyFailed`) in the event that found it; a rule that asks
    /// about the previous copy reads it as a failed one.
    pub broken: bool,
    /// In its destination's started list (see [`super::DestChain::started`]).
    pub listed: bool,
    /// Settled: AVAILABLE for good and read by no rule; its row is written and it may leave
    /// the world (`engine::settle`).
    pub settled: bool,
    /// The next copy of the same source backup, in request order.
    pub next_sibling: Maybe<CopyId>,
}

impl Copy {
    /// A fresh PENDING request.
    #[allow(clippy::too_many_arguments)]
    pub fn request(
        id: CopyId,
        source: BackupId,
        volume: VolumeId,
        seq: u32,
        account: AccountId,
        source_region: RegionId,
        dest_region: RegionId,
        trigger: Trigger,
        requested_at: SimTime,
    ) -> Self {
        Self {
            id,
            source,
            volume,
            seq,
            account,
            source_region,
            dest_region,
            trigger,
            dest_key: None,
            strip_encryption: false,
            state: CopyState::Pending,
            kind: None,
            reason: Reason::None,
            bytes: 0,
            moved_bytes: 0,
            error: None,
            waited: 0,
            behind: None,
            throttled_count: 0,
            requested_at,
            started_at: Stamp::NONE,
            finished_at: Stamp::NONE,
            deleted_at: Stamp::NONE,
            dest_backup: Maybe::NONE,
            base: Maybe::NONE,
            restorable_at: Stamp::NONE,
            doomed: false,
            broken: false,
            listed: false,
            settled: false,
            next_sibling: Maybe::NONE,
        }
    }

    /// Whether the copy exists in its destination and is usable.
    pub fn is_available(&self) -> bool {
        self.state == CopyState::Available
    }

    /// Whether its transfer completed: its data arrived (it may have been deleted since). The
    /// one definition the rules, the reports and the cost ledger share.
    pub fn transfer_completed(&self) -> bool {
        matches!(self.state, CopyState::Available | CopyState::Terminating | CopyState::Terminated)
    }
}

#[cfg(test)]
mod tests {
    use super::Reason;

    /// An exhaustive match: a new reason fails to compile here until it is in [`Reason::ALL`].
    fn declared(r: Reason) -> usize {
        match r {
            Reason::None => 0,
            Reason::FirstCopy => 1,
            Reason::SourceIsFull => 2,
            Reason::MatchesSource => 3,
            Reason::AfterResize => 4,
            Reason::CopyBackToSourceRegion => 5,
            Reason::PreviousCopyTerminatedOrFaulty => 6,
            Reason::OutOfOrder => 7,
            Reason::AfterOutOfOrderCopy => 8,
            Reason::PreviousCopyExists => 9,
            Reason::MostRecentCopyDeleted => 10,
            Reason::AllPreviousCopiesDeleted => 11,
            Reason::KeyChanged => 12,
            Reason::EncryptionChanged => 13,
            Reason::PredecessorStable => 14,
            Reason::PredecessorMissing => 15,
            Reason::PredecessorNotStable => 16,
            Reason::SameRegionNoData => 17,
            Reason::Shared => 18,
        }
    }

    #[test]
    fn every_reason_is_listed_once_and_found_by_its_name() {
        for (i, r) in Reason::ALL.into_iter().enumerate() {
            assert_eq!(declared(r), i);
            assert_eq!(Reason::from_name(r.name()), Some(r));
        }
        assert_eq!(Reason::from_name("no_such_reason"), None);
    }

    #[test]
    fn reasons_a_plan_cannot_avoid_have_no_remedy() {
        for r in [Reason::FirstCopy, Reason::AfterResize, Reason::SourceIsFull, Reason::CopyBackToSourceRegion] {
            assert_eq!(r.remedy(), None, "{}", r.name());
        }
        assert!(Reason::PredecessorMissing.remedy().is_some_and(|m| m.contains("retention count of 1")));
    }
}
