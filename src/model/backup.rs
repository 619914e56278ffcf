//! Backups: snapshots in one region, either taken from a volume (a source backup) or produced by a copy.

use super::ids::{AccountId, BackupId, CopyId, KeyId, Maybe, RegionId, VolumeId};
use crate::kernel::{SimTime, Stamp};

/// Full or incremental, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupKind {
    /// Holds all the volume's data.
    Full,
    /// Holds the changes since the previous backup.
    Incremental,
}

impl BackupKind {
    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            BackupKind::Full => "full",
            BackupKind::Incremental => "incremental",
        }
    }
}

/// A backup's lifecycle: CREATING → AVAILABLE (EBS: completed) → STABLE, then DELETED.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BackupState {
    /// Being taken, or (for a copy's result) being copied in.
    Creating,
    /// Usable; EBS calls this `completed`, FSx `AVAILABLE`.
    Available,
    /// Fully uploaded to the regional repository (IBM's `stable`).
    Stable,
    /// Deleted.
    Deleted,
}

impl BackupState {
    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            BackupState::Creating => "CREATING",
            BackupState::Available => "AVAILABLE",
            BackupState::Stable => "STABLE",
            BackupState::Deleted => "DELETED",
        }
    }
}

/// Where a backup came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Taken from the volume in its own region.
    Source,
    /// Written by this copy.
    Copy(CopyId),
}

/// A backup in one region.
#[derive(Clone, Debug)]
pub struct Backup {
    /// This backup's id.
    pub id: BackupId,
    /// The volume lineage it belongs to.
    pub volume: VolumeId,
    /// Position in the source chain (1-based); a copy keeps its source's seq.
    pub seq: u32,
    /// Region holding it.
    pub region: RegionId,
    /// Account owning it.
    pub account: AccountId,
    /// Full or incremental as stored.
    pub kind: BackupKind,
    /// Data changed since the previous source backup (the whole volume for the first).
    pub delta_bytes: u64,
    /// The volume's size when the backup was taken.
    pub full_bytes: u64,
    /// Encryption key.
    pub key: Option<KeyId>,
    /// Lifecycle state.
    pub state: BackupState,
    /// The copy that wrote it; none for a source backup ([`Backup::origin`]: an [`Origin`] would
    /// take 8 bytes, this takes 4).
    pub origin_copy: Maybe<CopyId>,
    /// Three flags in one byte ([`Backup::after_resize`], [`Backup::tagged`],
    /// [`Backup::restore_point`]): millions of backups are live at once, and a backup fits
    /// 128 bytes with them packed.
    pub flags: Flags,
    /// When it was created.
    pub created_at: SimTime,
    /// When the lineage's source backup was taken (a copy's result keeps its source's): what
    /// a restore from it recovers.
    pub lineage_created_at: SimTime,
    /// When it became AVAILABLE.
    pub available_at: Stamp,
    /// When it became STABLE.
    pub stable_at: Stamp,
    /// When it was deleted.
    pub deleted_at: Stamp,
    /// The first copy made from this backup (the rest follow `Copy::next_sibling`).
    pub first_copy: Maybe<CopyId>,
    /// The last copy made from this backup.
    pub last_copy: Maybe<CopyId>,
    /// Copies from this backup not yet ended (FSx: blocks deletion).
    pub copies_in_progress: u32,
    /// When the last copy from this backup completed (its destination backup became
    /// available; a failed copy does not count).
    pub last_copy_completed_at: Stamp,
    /// The schedule or policy plan that took it (its copy targets apply), if any.
    pub schedule: Maybe<u32>,
    /// Who deleted it.
    pub deleted_by: Option<DeletedBy>,
    /// When its deletion was decided (retention may have to wait to carry it out).
    pub deletion_requested_at: Stamp,
    /// The instance whose consistency group it was taken with.
    pub consistency_group: Maybe<u32>,
    /// Settled: nothing can change or delete it any more and no rule reads it; its row is
    /// written and it may leave the world while it still exists (`engine::settle`).
    pub settled: bool,
}

/// A backup's packed flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags(u8);

impl Flags {
    const AFTER_RESIZE: u8 = 1;
    const TAGGED: u8 = 2;
    const RESTORE_POINT: u8 = 4;

    /// A new backup's flags: whether it is the first after a resize, whether it carries its
    /// volume's tags (not yet a restore point).
    pub fn new(after_resize: bool, tagged: bool) -> Self {
        Self((u8::from(after_resize) * Self::AFTER_RESIZE) | (u8::from(tagged) * Self::TAGGED))
    }
}

/// Who deleted a backup (or the copy it is the result of).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeletedBy {
    /// A timed `delete_backup` or `delete_copy` action.
    Manual,
    /// The retention of the schedule or plan that took the source backup.
    Retention {
        /// Schedule or plan index.
        schedule: u32,
        /// Age or count.
        rule: crate::model::retention::RetentionRule,
    },
    /// The remote-copy retention of a schedule's or plan's copy target.
    RemoteRetention {
        /// Schedule or plan index.
        schedule: u32,
        /// Age or count.
        rule: crate::model::retention::RetentionRule,
    },
    /// A copy's result whose copy failed after its transfer completed: it built on a copy that
    /// failed, so it can never be restored.
    BaseCopyFailed,
}

/// Who besides the owner may copy or restore a backup (EBS snapshot permissions).
///
/// A schedule's `share_with` list is held once and shared by every backup it grants (`lists`),
/// not copied into each: a backup shared with thousands of accounts costs one pointer, and
/// granting it is not a search of what is already granted per account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permissions {
    /// Accounts it is shared with one by one (sorted).
    pub accounts: Vec<AccountId>,
    /// Lists of accounts it is shared with (each sorted, without repeats).
    pub lists: Vec<std::sync::Arc<[AccountId]>>,
    /// Shared with every account.
    pub public: bool,
}

impl Permissions {
    /// Whether they let `account` use the backup (the owner always may).
    pub fn allow(&self, account: AccountId) -> bool {
        self.public
            || self.accounts.binary_search(&account).is_ok()
            || self.lists.iter().any(|l| l.binary_search(&account).is_ok())
    }

    /// Gives `account` access (or everyone, with `public`).
    pub fn grant(&mut self, account: Option<AccountId>, public: bool) {
        self.public |= public;
        if let Some(a) = account
            && let Err(at) = self.accounts.binary_search(&a)
        {
            self.accounts.insert(at, a);
        }
    }

    /// Gives every account of `list` (sorted, without repeats) access.
    pub fn grant_list(&mut self, list: &std::sync::Arc<[AccountId]>) {
        if !self.lists.iter().any(|l| std::sync::Arc::ptr_eq(l, list)) {
            self.lists.push(list.clone());
        }
    }

    /// Takes `account`'s access back (or, with `public`, everyone's that came from being
    /// public); whether there was any to take.
    pub fn revoke(&mut self, account: Option<AccountId>, public: bool) -> bool {
        let was_public = public && std::mem::take(&mut self.public);
        let Some(a) = account else { return was_public };
        if self.lists.iter().any(|l| l.binary_search(&a).is_ok()) {
            // The backup leaves the lists it shares: their accounts but `a` are granted one by one.
            for l in std::mem::take(&mut self.lists) {
                self.accounts.extend_from_slice(&l);
            }
            self.accounts.sort_unstable();
            self.accounts.dedup();
        }
        match self.accounts.binary_search(&a) {
            Ok(at) => {
                self.accounts.remove(at);
                true
            }
            Err(_) => was_public,
        }
    }
}

impl Backup {
    /// The first backup taken after a resize (a copy keeps its source's flag).
    pub fn after_resize(&self) -> bool {
        self.flags.0 & Flags::AFTER_RESIZE != 0
    }

    /// Whether it carries its volume's user tags ([`Backup::tags`]; an EBS copy drops them).
    /// A flag, not the list: volumes' tags do not change during a run.
    pub fn tagged(&self) -> bool {
        self.flags.0 & Flags::TAGGED != 0
    }

    /// The copy that wrote it became a restore point ([`crate::record::Record::RestorePoint`]
    /// or [`crate::record::Record::WarmCopy`] was recorded for it); a source backup: false.
    pub fn restore_point(&self) -> bool {
        self.flags.0 & Flags::RESTORE_POINT != 0
    }

    /// Marks it a restore point (see [`Backup::restore_point`]).
    pub fn set_restore_point(&mut self) {
        self.flags.0 |= Flags::RESTORE_POINT;
    }

    /// Origin: source or copy.
    #[inline]
    pub fn origin(&self) -> Origin {
        match self.origin_copy.get() {
            None => Origin::Source,
            Some(c) => Origin::Copy(c),
        }
    }

    /// Whether it has reached at least `state` and is not deleted.
    pub fn has_reached(&self, state: BackupState) -> bool {
        self.state != BackupState::Deleted && self.state >= state
    }

    /// The user tags it carries: its volume's, or none.
    pub fn tags<'w>(&self, world: &'w super::World) -> &'w [String] {
        if self.tagged() { &world.volume(self.volume).tags } else { &[] }
    }

    /// Whether it still exists.
    pub fn exists(&self) -> bool {
        self.state != BackupState::Deleted
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_permission_revoked_is_gone_and_only_it() {
        // EBS: "modify the snapshot permissions to allow access to that account or make the
        // snapshot public" — and back: an account removed, a snapshot made private again.
        let (a, b) = (super::AccountId(1), super::AccountId(2));
        let mut p = super::Permissions::default();
        p.grant(Some(a), false);
        p.grant(Some(b), false);
        p.grant(None, true);
        assert!(p.revoke(None, true) && p.allow(a) && p.allow(b), "private again: each keeps its own");
        assert!(p.revoke(Some(a), false) && !p.allow(a) && p.allow(b));
        assert!(!p.revoke(Some(a), false), "nothing left to revoke");
    }

    #[test]
    fn a_share_with_list_is_held_once_by_every_backup_it_grants() {
        // A schedule shared with 9,999 accounts copied each account into each backup's list,
        // each grant a search of the list: one volume backed up hourly for a month ran for
        // minutes (quadratic) and a fleet's lists took gigabytes. The list is now one, shared.
        let list: std::sync::Arc<[super::AccountId]> = (1..10_000).map(super::AccountId).collect();
        let mut backups = vec![super::Permissions::default(); 1_000];
        for p in &mut backups {
            p.grant_list(&list);
            p.grant_list(&list);
        }
        assert_eq!(std::sync::Arc::strong_count(&list), 1_001, "one list, each backup holding it once");
        assert!(backups.iter().all(|p| p.allow(super::AccountId(1)) && p.allow(super::AccountId(9_999))));
        assert!(!backups[0].allow(super::AccountId(0)) && !backups[0].allow(super::AccountId(10_000)));
        // Revoking one account of the list from one backup leaves the others' lists whole.
        assert!(backups[0].revoke(Some(super::AccountId(5)), false));
        assert!(!backups[0].allow(super::AccountId(5)) && backups[0].allow(super::AccountId(6)));
        assert!(backups[1].allow(super::AccountId(5)));
        assert_eq!(std::sync::Arc::strong_count(&list), 1_000);
        assert!(!backups[0].revoke(Some(super::AccountId(5)), false), "nothing left to revoke");
    }

    #[test]
    fn live_entities_stay_compact() {
        // docs/model.md ("Memory: live state only") quotes these sizes: millions are live at once.
        assert_eq!(std::mem::size_of::<Option<super::Backup>>(), 128);
        assert_eq!(std::mem::size_of::<Option<crate::model::Copy>>(), 128);
    }
}
