//! Amazon FSx for Lustre backup copy rules (`aws-fsx-lustre-backup-copy.md`).
//!
//! - Cross-region copies only within one partition, never to or from an opt-in region; in-region copies anywhere.
//! - "The source backup must have a status of AVAILABLE before you can copy it."
//! - "You cannot delete a source backup if it is being copied", and for a short delay after ([`check_delete`]).
//! - "up to five backup copy requests in progress to a single destination AWS Region per account" (planner gate).
//! - First copy full; later ones incremental unless every previously-copied backup there was deleted or the KMS key changed.

use super::aws_ebs::{AWS_PAIRS, AWS_ROUGH_PAIRS, AWS_TRANSFER};
use super::{
    BaseRule, CopyRules, KindDecision, Rejection, Route, SourceCodes, completed_ok, copy_key, full, incremental,
    result_key, started_in_dest,
};
use super::{DefaultPrices, PriceDefault};
use crate::kernel::SimDuration;
use crate::kernel::SimTime;
use crate::model::params::QuotaScope;
use crate::model::{Backup, Copy, CopyState, Partition, Provider, ProviderParams, Reason, VolumeKind, World};

/// The FSx rules.
pub struct AwsFsx;

/// AWS's opt-in Regions (disabled by default: those launched after March 20, 2019), late 2025.
/// The document ("Cross-Region backup copies are not supported in opt-in Regions") names none.
pub const OPT_IN_REGIONS: [&str; 17] = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
];

/// Its handle: position 1 in the [registry](super::registry).
pub const AWS_FSX: Provider = Provider::new(1, "aws_fsx");

/// Whether the source `backup` may be deleted at `now`: not while a copy from it is requested
/// and not ended (queued or moving), nor within the provider's `source_delete_delay` after a
/// copy's destination backup became available ("There might be a short delay between when the
/// destination backup becomes available and when you are allowed to delete the source
/// backup": a failed copy makes no destination backup available, and starts no delay).
pub fn check_delete(world: &World, backup: &Backup, now: SimTime) -> Result<(), Rejection> {
    if backup.copies_in_progress > 0 || world.copies_from(backup.id).any(|c| !c.state.is_final_transfer_state()) {
        return Err(Rejection::new(
            "BackupBeingCopied",
            format!("backup #{} is being copied and cannot be deleted", backup.seq),
        ));
    }
    let delay = world.params(AWS_FSX).source_delete_delay;
    if let Some(ended) = backup.last_copy_completed_at.get()
        && now < ended + delay
    {
        return Err(Rejection::new(
            "BackupBeingCopied",
            format!(
                "a copy of backup #{} became available moments ago; retry deletion after the short delay",
                backup.seq
            ),
        ));
    }
    Ok(())
}

impl CopyRules for AwsFsx {
    /// An incremental copy builds on the newest available copy in the destination; only it and the backup being copied are read.
    fn reads_only_newest(&self) -> bool {
        true
    }

    fn provider(&self) -> Provider {
        AWS_FSX
    }

    fn default_volume_kind(&self) -> VolumeKind {
        VolumeKind::File
    }

    /// "Cross-Region backup copies are supported only between any two commercial AWS Regions,
    /// between the China (Beijing) and China (Ningxia) Regions, and between the AWS GovCloud
    /// (US-East) and AWS GovCloud (US-West) Regions": AWS names the China Regions `cn-…`
    /// (`cn-north-1`, `cn-northwest-1`) and the GovCloud ones `us-gov-…`.
    fn region_partition(&self, name: &str) -> Partition {
        if name.starts_with("cn-") {
            Partition::China
        } else if name.starts_with("us-gov-") {
            Partition::Govcloud
        } else {
            Partition::Commercial
        }
    }

    /// "Cross-Region backup copies are not supported in opt-in Regions": AWS's opt-in Regions
    /// ([`OPT_IN_REGIONS`]).
    fn region_opt_in(&self, name: &str) -> bool {
        OPT_IN_REGIONS.contains(&name)
    }

    fn default_params(&self) -> ProviderParams {
        ProviderParams {
            // "5 in-progress copies per destination region per account"
            copy_concurrency: 5,
            quota_scope: QuotaScope::AccountDestRegion,
            source_delete_delay: SimDuration::from_mins(5),
            retention_waits_for_copies: true,
            ..ProviderParams::base()
        }
    }

    fn example_regions(&self) -> [(&'static str, &'static str); 2] {
        [("us-east-1", ""), ("us-west-2", "")]
    }

    fn starter_scenario(&self) -> &'static str {
        include_str!("../../assets/init/aws_fsx.toml")
    }

    fn default_prices(&self) -> DefaultPrices {
        DefaultPrices {
            storage: PriceDefault {
                nano_usd: None,
                source: "no public per-GB FSx for Lustre backup figure in copysim's sources: supply it",
                as_of: "",
            },
            transfer: PriceDefault { nano_usd: Some(20_000_000), source: AWS_TRANSFER, as_of: "2025-11" },
            fast_restore: PriceDefault { nano_usd: None, source: "FSx has no fast restore", as_of: "" },
            pairs: AWS_PAIRS,
            rough_pairs: Some(AWS_ROUGH_PAIRS),
        }
    }

    /// "You cannot delete a source backup if it is being copied. There might be a short delay
    /// between when the destination backup becomes available and when you are allowed to delete
    /// the source backup."
    fn check_delete(&self, world: &World, backup: &Backup, now: SimTime) -> Result<(), Rejection> {
        check_delete(world, backup, now)
    }

    /// AWS Backup's codes, which its own request check (worded for FSx) uses too; FSx's
    /// `DeleteBackup` answers `BackupInProgress` for a backup still being written, and KMS
    /// `AccessDenied` for a key the account may not use.
    fn source_codes(&self) -> SourceCodes {
        SourceCodes {
            gone: "BackupNotFound",
            not_ready: "SourceBackupUnavailable",
            moving: "BackupInProgress",
            key_denied: "AccessDenied",
        }
    }

    fn check_route(&self, world: &World, route: &Route<'_>) -> Result<(), Rejection> {
        let (src, dst) = (world.region(route.source_region), world.region(route.dest_region));
        if route.cross_region() {
            if src.partition != dst.partition {
                return Err(Rejection::new(
                    "InvalidRegion",
                    format!(
                        "cross-Region backup copies are not supported across partitions ({} {} → {} {})",
                        src.name,
                        src.partition.name(),
                        dst.name,
                        dst.partition.name()
                    ),
                ));
            }
            if let Some(r) = [src, dst].into_iter().find(|r| r.opt_in) {
                return Err(Rejection::new(
                    "InvalidRegion",
                    format!("cross-Region backup copies are not supported in opt-in Regions ({})", r.name),
                ));
            }
        }
        if route.account != route.source_account {
            let (a, b) = (world.account(route.source_account), world.account(route.account));
            if a.organization.is_none() || a.organization != b.organization {
                return Err(Rejection::new(
                    "AccessDenied",
                    format!(
                        "cross-account copies from {} to {} need AWS Backup with both accounts in one AWS Organization",
                        a.name, b.name
                    ),
                ));
            }
        }
        // The document names no key rule beyond "the same AWS KMS key"; a KMS key is usable by
        // its account and those it grants (as EBS's and OCI's), so another account's key that
        // grants the copier nothing cannot encrypt the copy (docs/model.md).
        if let Some(k) = route.dest_key
            && !world.key_usable_by(k, route.account)
        {
            let key = world.key(k);
            return Err(Rejection::new(
                "AccessDenied",
                format!(
                    "{} may not use KMS key {} of {} (no grant)",
                    world.account(route.account).name,
                    key.name,
                    world.account(key.owner).name
                ),
            ));
        }
        Ok(())
    }

    fn check_request(&self, world: &World, copy: &Copy) -> Result<(), Rejection> {
        let (src, codes) = (world.backup(copy.source), self.source_codes());
        if !src.exists() {
            return Err(Rejection::new(codes.gone, format!("backup #{} does not exist", src.seq)));
        }
        if !src.has_reached(self.source_ready_state()) {
            return Err(Rejection::new(
                codes.not_ready,
                format!("the source backup's lifecycle is {}, not AVAILABLE", src.state.name()),
            ));
        }
        Ok(())
    }

    fn decide_kind(&self, world: &World, copy: &Copy) -> KindDecision {
        // "After the first backup copy, all subsequent backup copies ... are incremental,
        // provided that you haven't deleted all previously-copied backups in that Region and
        // have been using the same AWS KMS key": a copy still moving is not deleted, so a copy
        // that starts behind it builds on it (restorable once it completes, like OCI's).
        // A copy built on one that failed holds no usable chain (it never becomes a restore point).
        let holds = |c: &&Copy| (c.is_available() || c.state == CopyState::Copying) && !c.broken;
        let Some(base) = started_in_dest(world, copy).rev().find(holds) else {
            let mut completed = started_in_dest(world, copy).filter(|c| completed_ok(c));
            let reason = match completed.next() {
                None => Reason::FirstCopy,
                Some(c) if !c.is_available() && completed.all(|c| !c.is_available()) => {
                    Reason::AllPreviousCopiesDeleted
                }
                Some(_) => Reason::PreviousCopyTerminatedOrFaulty, // the ones left build on a failed copy
            };
            return full(world, copy, reason);
        };
        if copy_key(world, base) != result_key(world, copy) {
            return full(world, copy, Reason::KeyChanged);
        }
        incremental(world, copy, base, Reason::PreviousCopyExists)
    }

    /// An incremental copy builds on an earlier copy there, complete or still moving.
    fn base_rule(&self) -> BaseRule {
        BaseRule::AnyStarted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::SimTime;
    use crate::model::{CopyKind, Trigger};
    use crate::providers::rules;
    use crate::providers::testkit::Kit;

    #[test]
    fn cross_region_copies_stay_within_a_partition() {
        // "Cross-Region backup copies are supported only between any two commercial AWS Regions,
        // between the China (Beijing) and China (Ningxia) Regions, and between the AWS GovCloud
        // (US-East) and AWS GovCloud (US-West) Regions, but not across those sets of Regions."
        let mut k = Kit::new(AWS_FSX);
        assert!(AwsFsx.check_route(&k.w, &k.route(k.dst)).is_ok());
        k.w.regions[k.dst.index()].partition = Partition::China;
        let e = AwsFsx.check_route(&k.w, &k.route(k.dst)).unwrap_err();
        assert_eq!(e.code, "InvalidRegion", "{}", e);
    }

    #[test]
    fn no_cross_region_copies_in_opt_in_regions_but_in_region_copies_anywhere() {
        // "Cross-Region backup copies are not supported in opt-in Regions."
        // "You can make in-Region backup copies within any AWS Region."
        let mut k = Kit::new(AWS_FSX);
        k.w.regions[k.src.index()].opt_in = true;
        assert!(AwsFsx.check_route(&k.w, &k.route(k.dst)).is_err());
        assert!(AwsFsx.check_route(&k.w, &k.route(k.src)).is_ok());
    }

    #[test]
    fn source_must_be_available() {
        // "The source backup must have a status of AVAILABLE before you can copy it."
        let mut k = Kit::new(AWS_FSX);
        let b = k.w.take_backup(k.vol, SimTime(1));
        let c = k.request(b, k.dst, Trigger::Manual);
        let e = AwsFsx.check_request(&k.w, k.w.copy(c)).unwrap_err();
        assert_eq!(e.code, "SourceBackupUnavailable", "{}", e);
    }

    #[test]
    fn a_source_being_copied_cannot_be_deleted_until_a_short_delay_after() {
        // "You cannot delete a source backup if it is being copied. There might be a short delay
        // between when the destination backup becomes available and when you are allowed to delete
        // the source backup."
        let mut k = Kit::new(AWS_FSX);
        let b = k.backup();
        let c = k.request(b, k.dst, Trigger::Manual);
        k.start(c);
        assert!(check_delete(&k.w, k.w.backup(b), SimTime(k.now)).unwrap_err().code == "BackupBeingCopied");
        k.finish(c);
        let ended = k.w.backup(b).last_copy_completed_at.get().unwrap();
        assert!(check_delete(&k.w, k.w.backup(b), ended).is_err());
        let later = ended + k.w.params(AWS_FSX).source_delete_delay;
        assert!(check_delete(&k.w, k.w.backup(b), later).is_ok());
    }

    #[test]
    fn a_failed_copy_makes_no_destination_backup_available_and_starts_no_delay() {
        // "You cannot delete a source backup if it is being copied. There might be a short delay
        // between when the destination backup becomes available and when you are allowed to
        // delete the source backup." A copy that failed made no destination backup available:
        // the source may go at once. A copy requested and still queued (copysim queues past
        // the five in progress) is being copied: its destination backup is listed, pending.
        let mut k = Kit::new(AWS_FSX);
        let b = k.backup();
        let queued = k.request(b, k.dst, Trigger::Manual);
        let e = check_delete(&k.w, k.w.backup(b), SimTime(k.now)).unwrap_err();
        assert_eq!(e.code, "BackupBeingCopied", "queued: {e}");
        k.start(queued);
        let failed_at = k.tick();
        k.w.end_copy(queued, failed_at, Some(Rejection::new("InternalError", "failed")), true, None);
        assert_eq!(k.w.backup(b).last_copy_completed_at.get(), None);
        assert!(check_delete(&k.w, k.w.backup(b), failed_at).is_ok(), "no delay after a failure");
        // A copy that completes does start the delay, in the document's words.
        let c = k.request(b, k.dst, Trigger::Manual);
        k.start(c);
        k.finish(c);
        let done = k.w.backup(b).last_copy_completed_at.get().unwrap();
        let e = check_delete(&k.w, k.w.backup(b), done).unwrap_err();
        assert!(e.message.contains("became available moments ago"), "{e}");
    }

    #[test]
    fn a_copy_starting_while_the_first_still_moves_is_incremental_over_it() {
        // "After the first backup copy, all subsequent backup copies to the same destination
        // Region within the same AWS account are incremental, provided that you haven't deleted
        // all previously-copied backups in that Region": #2 starts while #1 is moving — #1 is
        // not deleted, so #2 is incremental over it.
        let mut k = Kit::new(AWS_FSX);
        let b = k.backups(2);
        let dst = k.dst;
        let c1 = k.request(b[0], dst, Trigger::Schedule);
        assert_eq!(k.start(c1).reason, Reason::FirstCopy);
        let c2 = k.request(b[1], dst, Trigger::Schedule);
        let d2 = k.start(c2);
        assert_eq!((d2.kind, d2.reason, d2.base), (CopyKind::Incremental, Reason::PreviousCopyExists, Some(c1)));
    }

    #[test]
    fn a_copy_never_builds_on_a_chain_whose_base_failed() {
        // #2 started over #1 while #1 moved; #1 then failed, so #2 completes but can never be
        // restored (the engine's restore tracker marks it broken): #3 must not build on it.
        let mut k = Kit::new(AWS_FSX);
        let b = k.backups(3);
        let dst = k.dst;
        let c1 = k.request(b[0], dst, Trigger::Schedule);
        k.start(c1);
        let c2 = k.request(b[1], dst, Trigger::Schedule);
        assert_eq!(k.start(c2).base, Some(c1));
        k.finish(c2);
        k.w.copies[c1.index()].state = CopyState::Faulty;
        k.w.copies[c2.index()].broken = true;
        let c3 = k.request(b[2], dst, Trigger::Schedule);
        let d3 = k.start(c3);
        assert_eq!((d3.kind, d3.reason), (CopyKind::Full, Reason::PreviousCopyTerminatedOrFaulty));
    }

    #[test]
    fn a_kms_key_of_another_account_without_a_grant_is_refused() {
        // No sentence: a KMS key is usable by its account and those it grants (docs/model.md).
        let mut k = Kit::new(AWS_FSX);
        let other = k.w.add_account("other");
        let key = k.w.add_key("theirs", other);
        let route = Route { dest_key: Some(key), ..k.route(k.dst) };
        assert_eq!(AwsFsx.check_route(&k.w, &route).unwrap_err().code, "AccessDenied");
        k.w.keys[key.index()].grants.insert(k.acct);
        assert!(AwsFsx.check_route(&k.w, &route).is_ok(), "granted: usable");
    }

    #[test]
    fn first_copy_full_then_incremental_until_all_copies_deleted() {
        // "the first copy is a full backup copy. After the first backup copy, all subsequent backup
        // copies to the same destination Region within the same AWS account are incremental,
        // provided that you haven't deleted all previously-copied backups in that Region"
        let mut k = Kit::new(AWS_FSX);
        k.backups(5);
        let dst = k.dst;
        let (c1, d1) = k.copy_manual(1, dst);
        let (c2, d2) = k.copy_manual(2, dst);
        assert_eq!((d1.kind, d1.reason), (CopyKind::Full, Reason::FirstCopy));
        assert_eq!((d2.kind, d2.reason), (CopyKind::Incremental, Reason::PreviousCopyExists));
        k.delete_copy(c2);
        let (c3, d3) = k.copy_manual(3, dst);
        assert_eq!(d3.kind, CopyKind::Incremental, "one earlier copy (#1) is still there");
        k.delete_copy(c1);
        k.delete_copy(c3);
        let (_, d4) = k.copy_manual(4, dst);
        assert_eq!((d4.kind, d4.reason), (CopyKind::Full, Reason::AllPreviousCopiesDeleted));
    }

    #[test]
    fn a_different_kms_key_makes_a_full_copy() {
        // "...and have been using the same AWS KMS key. If both conditions aren't met, the copy
        // operation results in a full (not incremental) backup copy."
        let mut k = Kit::new(AWS_FSX);
        let key = k.w.add_key("k2", k.acct);
        k.backups(2);
        let dst = k.dst;
        k.copy_manual(1, dst);
        let b2 = k.w.volume(k.vol).backup_seq(2).unwrap();
        let c = k.request(b2, dst, Trigger::Manual);
        k.w.copies[c.index()].dest_key = Some(key);
        let d = rules(AWS_FSX).decide_kind(&k.w, k.w.copy(c));
        assert_eq!((d.kind, d.reason), (CopyKind::Full, Reason::KeyChanged));
    }

    #[test]
    fn cross_account_copies_need_one_organization_fan_in_and_fan_out() {
        // "Cross-account backups support fan-in (copy backups from multiple primary accounts to one
        // isolated backup copy account) and fan-out (copy backups from one primary account to
        // multiple isolated backup copy accounts)." — through AWS Backup with AWS Organizations.
        let mut k = Kit::new(AWS_FSX);
        let vault = k.w.add_account("vault");
        let mut r = k.route(k.dst);
        r.account = vault;
        assert!(AwsFsx.check_route(&k.w, &r).unwrap_err().code == "AccessDenied");
        k.w.accounts[k.acct.index()].organization = Some("org".into());
        k.w.accounts[vault.index()].organization = Some("org".into());
        assert!(AwsFsx.check_route(&k.w, &r).is_ok());
    }
}
