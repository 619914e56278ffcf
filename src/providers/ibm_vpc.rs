//! IBM Cloud Backup for VPC cross-regional copy rules (`ibm-vpc-backup-service.md`).
//!
//! - "The service start to create the copies after the source snapshot reached the _stable_ state."
//! - Incremental only when the immediately preceding snapshot of the chain exists in the destination (copied there from
//!   any region) and was stable when the copy was asked for.
//! - "Only one copy of the backup snapshot can exist in each region. You can't create a copy of the backup snapshot in the source (local) region."
//! - Regions without cross-region copy (ca-mon, in-che) are refused as source or target.
//! - A customer-managed source key needs a customer-managed destination key; a copy of any other source stays
//!   provider-managed; file share backups cannot leave their region.

use super::{
    BaseRule, CopyRules, KindDecision, PolicyLimits, Rejection, Route, SourceCodes, default_check_request,
    dest_key_elsewhere, full, incremental, started_in_dest,
};
use super::{DefaultPrices, PriceDefault};
use crate::kernel::SimDuration;
use crate::model::{
    BackupId, BackupState, Copy, CopyState, Provider, ProviderParams, Reason, Volume, VolumeKind, World,
};

/// The IBM Backup for VPC rules.
pub struct IbmVpc;

/// Its handle: position 2 in the [registry](super::registry).
pub const IBM_VPC: Provider = Provider::new(2, "ibm_vpc");

/// IBM's default per-copy throughput: the document's "a 3-TB storage volume … can take over 12.5
/// hours", read as a 3 TB copy taking 12.5 hours (docs/model.md).
pub const IBM_COPY_BYTES_PER_S: u64 = 66_666_667;

/// "You can also set the total number of backups to retain up to 750 per first-generation volume."
pub const MAX_BACKUPS_GEN1: u32 = 750;
/// "Backup snapshots over 10 TB are not supported for Generation 1 (`custom` and `tiered`) block
/// volume profiles."
pub const GEN1_MAX_BACKUP_BYTES: u64 = 10_000_000_000_000;

/// "The maximum number of backup snapshots for second-generation volumes is 512."
pub const MAX_BACKUPS_GEN2: u32 = 512;
/// "You can take a total of 750 backups per zonal file share, and 30 backups for regional file shares."
pub const MAX_BACKUPS_ZONAL_SHARE: u32 = 750;
/// See [`MAX_BACKUPS_ZONAL_SHARE`].
pub const MAX_BACKUPS_REGIONAL_SHARE: u32 = 30;
/// IBM regions the document names as lacking cross-regional copy.
pub const NO_CROSS_REGION: [&str; 2] = ["ca-mon", "in-che"];
/// "You can create up to 10 backup policies per account in a region."
pub const MAX_POLICIES_PER_ACCOUNT_REGION: usize = 10;
/// "You can create up to four plans per policy."
pub const MAX_PLANS_PER_POLICY: usize = 4;

impl CopyRules for IbmVpc {
    fn provider(&self) -> Provider {
        IBM_VPC
    }

    /// "Cross-regional copies are not supported in Montreal (`ca-mon`) and Chennai (`in-che`) MZRs."
    fn region_copies_across(&self, name: &str) -> bool {
        !NO_CROSS_REGION.contains(&name)
    }

    fn default_params(&self) -> ProviderParams {
        ProviderParams {
            // Calibrated on the document's one figure: a 3 TB copy takes 12.5 hours
            // (3 × 10¹² B ÷ 45,000 s = 66,666,667 B/s, rounded up).
            copy_cap_bytes_per_s: IBM_COPY_BYTES_PER_S,
            stable_delay: SimDuration::from_mins(10),
            // No documented quota (unlimited), but a scenario's `copy_concurrency` counts per
            // account and destination region, as the other "to a region" quotas do.
            quota_scope: crate::model::params::QuotaScope::AccountDestRegion,
            ..ProviderParams::base()
        }
    }

    fn example_regions(&self) -> [(&'static str, &'static str); 2] {
        [("us-south", ""), ("us-east", "")]
    }

    fn starter_scenario(&self) -> &'static str {
        include_str!("../../assets/init/ibm_vpc.toml")
    }

    fn default_prices(&self) -> DefaultPrices {
        DefaultPrices {
            storage: PriceDefault {
                nano_usd: None,
                source: "no public per-GB IBM snapshot figure was found: supply it",
                as_of: "",
            },
            transfer: PriceDefault {
                nano_usd: None,
                source: "no public per-GB IBM cross-region figure was found: supply it",
                as_of: "",
            },
            fast_restore: PriceDefault {
                nano_usd: None,
                source: "IBM fast restore is billed per zone per hour regardless of snapshot size; no public figure was found: supply it",
                as_of: "",
            },
            pairs: &[],
            rough_pairs: None,
        }
    }

    fn base_rule(&self) -> BaseRule {
        BaseRule::EarlierCompleted
    }

    fn backup_size_limit(&self, volume: &Volume) -> Option<(u64, &'static str)> {
        // "Backup snapshots over 10 TB are not supported for Generation 1 (`custom` and
        // `tiered`) block volume profiles." (Decimal terabytes, as IBM sizes volumes.)
        (volume.kind == VolumeKind::Block && volume.generation < 2).then_some((
            GEN1_MAX_BACKUP_BYTES,
            "Backup snapshots over 10 TB are not supported for Generation 1 (custom and tiered) block volume profiles.",
        ))
    }

    fn backup_ceiling(&self, volume: &Volume) -> Option<u32> {
        Some(match volume.kind {
            VolumeKind::File if volume.regional => MAX_BACKUPS_REGIONAL_SHARE,
            VolumeKind::File => MAX_BACKUPS_ZONAL_SHARE,
            VolumeKind::Block if volume.generation >= 2 => MAX_BACKUPS_GEN2,
            VolumeKind::Block => MAX_BACKUPS_GEN1,
        })
    }

    fn policy_limits(&self) -> Option<PolicyLimits> {
        Some(PolicyLimits {
            per_account_region: MAX_POLICIES_PER_ACCOUNT_REGION,
            plans_per_policy: MAX_PLANS_PER_POLICY,
        })
    }

    fn offers_fast_restore(&self) -> bool {
        true
    }

    /// Fast restore is "not for consistency groups": a group's members restore lazily.
    fn fast_restore_for_groups(&self) -> bool {
        false
    }

    /// "The fast restore feature is not supported for file share backups."
    fn fast_restore_refusal(&self, kind: VolumeKind) -> Option<&'static str> {
        (kind == VolumeKind::File).then_some("The fast restore feature is not supported for file share backups.")
    }

    /// In the VPC API's snake_case, like the other IBM refusals (a copy still moving is a
    /// snapshot not yet `stable`; a key the account may not use, `not_authorized`).
    fn source_codes(&self) -> SourceCodes {
        SourceCodes {
            gone: "snapshot_not_found",
            not_ready: "snapshot_not_stable",
            moving: "snapshot_not_stable",
            key_denied: "not_authorized",
        }
    }

    fn check_route(&self, world: &World, route: &Route<'_>) -> Result<(), Rejection> {
        if !route.cross_region() {
            return Err(Rejection::new(
                "snapshot_copy_source_region",
                "you can't create a copy of the backup snapshot in the source (local) region",
            ));
        }
        // "You can copy a Block storage backup snapshot from one region to another region":
        // the document describes copies within the account that owns the snapshot (child
        // accounts "see only the backups that are created in their account"), and no way to
        // copy one into another account.
        if route.account != route.source_account {
            return Err(Rejection::new(
                "snapshot_copy_account_not_supported",
                format!(
                    "{} cannot copy a backup snapshot of account {}: copies are made within the snapshot's own account",
                    world.account(route.account).name,
                    world.account(route.source_account).name
                ),
            ));
        }
        if world.volume(route.volume).kind == VolumeKind::File {
            return Err(Rejection::new(
                "share_snapshot_copy_not_supported",
                "you can't create a copy of a file storage backup in another region",
            ));
        }
        for r in [route.source_region, route.dest_region] {
            let region = world.region(r);
            if !region.cross_region_copy {
                return Err(Rejection::new(
                    "snapshot_copy_region_not_supported",
                    format!("cross-regional copies are not supported in {}", region.name),
                ));
            }
        }
        if route.source_key.is_some_and(|k| world.key(k).customer_managed) {
            // "you must specify the customer-managed key that you want to use to encrypt the new
            // copy": no key, or a provider-managed one, does not.
            match route.dest_key.map(|k| world.key(k)) {
                None => {
                    return Err(Rejection::new(
                        "snapshot_copy_encryption_key_required",
                        "the source snapshot is protected by a customer-managed key; specify the key to encrypt the copy",
                    ));
                }
                Some(key) if !key.customer_managed => {
                    return Err(Rejection::new(
                        "snapshot_copy_encryption_key_required",
                        format!(
                            "the source snapshot is protected by a customer-managed key; key {} is provider-managed: \
                             specify the customer-managed key to encrypt the copy",
                            key.name
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        // The document names no rule for the key beyond "specify the customer-managed key":
        // read as keys work for the other providers here — the copy is created in the
        // destination region, so its key must be there, and usable by the copying account.
        if let Some(key) = dest_key_elsewhere(world, route) {
            return Err(Rejection::new(
                "snapshot_copy_encryption_key_invalid",
                format!("key {} is not in the destination region {}", key.name, world.region(route.dest_region).name),
            ));
        }
        if let Some(k) = route.dest_key {
            let key = world.key(k);
            if !key.usable_by(route.account) {
                return Err(Rejection::new(
                    "snapshot_copy_encryption_key_invalid",
                    format!(
                        "{} may not use key {} of account {} (no grant)",
                        world.account(route.account).name,
                        key.name,
                        world.account(key.owner).name
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_request(&self, world: &World, copy: &Copy) -> Result<(), Rejection> {
        default_check_request(self, world, copy)?;
        if snapshot_already_in(world, copy) {
            return Err(Rejection::new(
                "snapshot_copy_exists",
                format!("only one copy of the backup snapshot can exist in {}", world.region(copy.dest_region).name),
            ));
        }
        Ok(())
    }

    fn source_ready_state(&self) -> BackupState {
        BackupState::Stable
    }

    /// "If the source snapshot is not encrypted with a customer key, the encryption of the copy
    /// remains provider-managed": a key named for it is not used.
    fn dest_key_applies(&self, source_key: Option<&crate::model::Key>) -> bool {
        source_key.is_some_and(|k| k.customer_managed)
    }

    fn decide_kind(&self, world: &World, copy: &Copy) -> KindDecision {
        let vol = world.volume(copy.volume);
        let predecessor = (vol.chain.first_seq()..copy.seq)
            .rev()
            .filter_map(|s| vol.backup_seq(s))
            .find(|&b| world.backup(b).exists());
        let first = started_in_dest(world, copy).next().is_none();
        let Some(pred) = predecessor else {
            return full(world, copy, if first { Reason::FirstCopy } else { Reason::PredecessorMissing });
        };
        // Stable when the copy was called for, not when a quota let it start: "If your backup
        // plan calls for the creation of a remote copy before the previous backup copy becomes
        // stable, the Backup service initiates a full copy".
        let stable_when_asked =
            |c: &Copy| c.state == CopyState::Available && c.finished_at.get().is_some_and(|f| f <= copy.requested_at);
        match copy_in_dest(world, pred, copy) {
            None if first => full(world, copy, Reason::FirstCopy),
            None => full(world, copy, Reason::PredecessorMissing),
            Some(c) if !stable_when_asked(c) => full(world, copy, Reason::PredecessorNotStable),
            Some(c) => incremental(world, copy, c, Reason::PredecessorStable),
        }
    }
}

/// The copy of snapshot `pred` in `copy`'s destination (region and account), moving or there,
/// whichever region it was copied from: "If the immediately preceding snapshot exists in the
/// destination region" — a copy of it, or a copy of one of its copies (us-south → us-east,
/// then us-east → eu-de). A completed one before one still moving.
fn copy_in_dest<'w>(world: &'w World, pred: BackupId, copy: &Copy) -> Option<&'w Copy> {
    let mut moving = None;
    let mut stack = vec![pred];
    while let Some(b) = stack.pop() {
        if world.backups.get(b.index()).is_none() {
            continue; // gone from memory: nothing of it is read any more
        }
        for c in world.copies_from(b) {
            if c.id == copy.id {
                continue;
            }
            let here = c.dest_region == copy.dest_region && c.account == copy.account;
            match c.state {
                CopyState::Available if here => return Some(c),
                CopyState::Copying if here => moving = moving.or(Some(c)),
                _ => {}
            }
            stack.extend(c.dest_backup.get());
        }
    }
    moving
}

/// Whether the backup snapshot `copy` copies is already in its destination region, or on its
/// way there: the snapshot itself, or a copy of it made from it or from any of its copies
/// (London → Frankfurt, then that copy back to London or on to Frankfurt again). "Only one copy
/// of the backup snapshot can exist in each region": the lineage is the snapshot, whichever
/// region a copy was made from.
fn snapshot_already_in(world: &World, copy: &Copy) -> bool {
    // Up to the snapshot the lineage starts from, through the copies that made each backup.
    let mut root = copy.source;
    while let Some(b) = world.backups.get(root.index())
        && let Some(made_by) = b.origin_copy.get()
        && let Some(c) = world.copies.get(made_by.index())
    {
        root = c.source;
    }
    // Down through every copy of it and of its copies.
    let mut stack = vec![root];
    while let Some(b) = stack.pop() {
        let Some(backup) = world.backups.get(b.index()) else { continue };
        if backup.exists() && backup.region == copy.dest_region {
            return true;
        }
        for c in world.copies_from(b) {
            let live = !matches!(
                c.state,
                CopyState::Rejected | CopyState::Declined | CopyState::Faulty | CopyState::Terminated
            );
            if c.id != copy.id && live && c.dest_region == copy.dest_region {
                return true;
            }
            stack.extend(c.dest_backup.get());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CopyKind, Trigger};
    use crate::providers::rules;
    use crate::providers::testkit::Kit;

    #[test]
    fn copy_waits_for_a_stable_source() {
        // "The service start to create the copies after the source snapshot reached the _stable_ state."
        let mut k = Kit::new(IBM_VPC);
        assert_eq!(IbmVpc.source_ready_state(), BackupState::Stable);
        let b = k.w.take_backup(k.vol, crate::kernel::SimTime(1));
        k.w.backups[b.index()].state = BackupState::Available;
        let c = k.request(b, k.dst, Trigger::Manual);
        let e = IbmVpc.check_request(&k.w, k.w.copy(c)).unwrap_err();
        assert_eq!(e.code, "snapshot_not_stable", "IBM's own code, not another provider's: {e}");
    }

    #[test]
    fn incremental_only_when_the_preceding_snapshot_is_stable_in_the_destination() {
        // "If the immediately preceding snapshot exists in the destination region, the copy can be
        // incremental. If the immediately preceding snapshot does not exist or is not stable, the
        // new copy must be a full snapshot of the parent volume."
        let mut k = Kit::new(IBM_VPC);
        k.backups(4);
        let dst = k.dst;
        let (_, d1) = k.copy_with(1, dst, Trigger::Schedule);
        assert_eq!((d1.kind, d1.reason), (CopyKind::Full, Reason::FirstCopy));
        let (_, d2) = k.copy_with(2, dst, Trigger::Schedule);
        assert_eq!((d2.kind, d2.reason), (CopyKind::Incremental, Reason::PredecessorStable));
        // #3 never copied: #4's predecessor does not exist in the destination.
        let (_, d4) = k.copy_with(4, dst, Trigger::Schedule);
        assert_eq!((d4.kind, d4.reason), (CopyKind::Full, Reason::PredecessorMissing));
    }

    #[test]
    fn a_plan_firing_before_the_previous_copy_is_stable_gets_a_full_copy() {
        // "If your backup plan calls for the creation of a remote copy before the previous backup
        // copy becomes stable, the Backup service initiates a full copy, not an incremental one."
        let mut k = Kit::new(IBM_VPC);
        k.backups(2);
        let dst = k.dst;
        k.copy_with(1, dst, Trigger::Schedule);
        let b2 = k.w.volume(k.vol).backup_seq(2).unwrap();
        let c2 = k.request(b2, dst, Trigger::Schedule);
        k.start(c2); // still copying
        let b3 = k.backup();
        let c3 = k.request(b3, dst, Trigger::Schedule);
        let d3 = rules(IBM_VPC).decide_kind(&k.w, k.w.copy(c3));
        assert_eq!((d3.kind, d3.reason), (CopyKind::Full, Reason::PredecessorNotStable));
    }

    #[test]
    fn a_copy_asked_for_before_the_previous_one_was_stable_is_full_even_if_a_quota_delayed_it() {
        // "If your backup plan calls for the creation of a remote copy before the previous backup
        // copy becomes stable, the Backup service initiates a full copy": what counts is when it
        // was called for, not when a concurrency quota let it start.
        let mut k = Kit::new(IBM_VPC);
        let [b1, b2] = k.backups(2)[..] else { unreachable!() };
        let dst = k.dst;
        let c1 = k.request(b1, dst, Trigger::Schedule);
        k.start(c1);
        let c2 = k.request(b2, dst, Trigger::Schedule); // asked for while #1's copy moves
        k.finish(c1);
        let d2 = k.start(c2); // #1's copy is stable by the time #2's starts
        assert_eq!((d2.kind, d2.reason), (CopyKind::Full, Reason::PredecessorNotStable));
        // Asked for after #1's copy completed: incremental.
        let b3 = k.backup();
        let c3 = k.request(b3, dst, Trigger::Schedule);
        k.finish(c2);
        let d3 = k.start(c3);
        assert_eq!(
            (d3.kind, d3.reason),
            (CopyKind::Full, Reason::PredecessorNotStable),
            "#2 still moved at #3's request"
        );
        let (_, d4) = k.copy_with(3, dst, Trigger::Manual);
        assert_eq!(d4.reason, Reason::PredecessorStable, "{d4:?}");
    }

    #[test]
    fn a_preceding_snapshot_copied_there_from_another_region_counts() {
        // "If the immediately preceding snapshot exists in the destination region, the copy can
        // be incremental": #1 reached dst2 as a copy of its copy in dst.
        let mut k = Kit::new(IBM_VPC);
        k.backups(2);
        let (dst, dst2) = (k.dst, k.dst2);
        let (c1, _) = k.copy_with(1, dst, Trigger::Manual);
        let in_dst = k.w.copy(c1).dest_backup.get().unwrap();
        let again = k.request(in_dst, dst2, Trigger::Manual);
        k.start(again);
        k.finish(again);
        let (_, d2) = k.copy_with(2, dst2, Trigger::Manual);
        assert_eq!((d2.kind, d2.reason), (CopyKind::Incremental, Reason::PredecessorStable));
        assert_eq!(d2.base, Some(again));
    }

    #[test]
    fn a_key_named_for_a_provider_managed_source_is_not_used() {
        // "If the source snapshot is not encrypted with a customer key, the encryption of the
        // copy remains provider-managed."
        let mut k = Kit::new(IBM_VPC);
        let crk = k.w.add_key("crk-dst", k.acct);
        let b1 = k.backups(1)[0];
        let c = k.request(b1, k.dst, Trigger::Manual);
        k.w.copies[c.index()].dest_key = Some(crk);
        assert_eq!(crate::providers::result_key(&k.w, k.w.copy(c)), None);
        // A source under a customer key is copied under the key named for the copy.
        let own = k.w.add_key("crk-src", k.acct);
        k.w.backups[b1.index()].key = Some(own);
        assert_eq!(crate::providers::result_key(&k.w, k.w.copy(c)), Some(crk));
    }

    #[test]
    fn one_copy_per_region_and_never_into_the_source_region() {
        // "Only one copy of the backup snapshot can exist in each region. You can't create a copy
        // of the backup snapshot in the source (local) region."
        let mut k = Kit::new(IBM_VPC);
        k.backups(1);
        let dst = k.dst;
        k.copy_manual(1, dst);
        let b1 = k.w.volume(k.vol).backup_seq(1).unwrap();
        let again = k.request(b1, dst, Trigger::Manual);
        assert!(IbmVpc.check_request(&k.w, k.w.copy(again)).unwrap_err().code == "snapshot_copy_exists");
        assert!(IbmVpc.check_route(&k.w, &k.route(k.src)).is_err());
    }

    #[test]
    fn montreal_and_chennai_are_refused_as_source_or_target() {
        // "Cross-regional copies are not supported in Montreal (`ca-mon`) and Chennai (`in-che`) MZRs."
        let mut k = Kit::new(IBM_VPC);
        k.w.regions[k.dst.index()].cross_region_copy = false;
        assert!(IbmVpc.check_route(&k.w, &k.route(k.dst)).unwrap_err().message.contains("not supported in dst"));
        k.w.regions[k.dst.index()].cross_region_copy = true;
        k.w.regions[k.src.index()].cross_region_copy = false;
        assert!(IbmVpc.check_route(&k.w, &k.route(k.dst)).is_err());
    }

    #[test]
    fn a_customer_managed_source_needs_a_destination_key() {
        // "If the source snapshot is protected by a customer-managed key, you must specify the
        // customer-managed key that you want to use to encrypt the new copy."
        let mut k = Kit::new(IBM_VPC);
        let key = k.w.add_key("crk", k.acct);
        let mut r = k.route(k.dst);
        r.source_key = Some(key);
        assert!(IbmVpc.check_route(&k.w, &r).is_err());
        r.dest_key = Some(key);
        assert!(IbmVpc.check_route(&k.w, &r).is_ok());
    }

    #[test]
    fn a_customer_managed_source_needs_a_customer_managed_destination_key() {
        // "If the source snapshot is protected by a customer-managed key, you must specify the
        // customer-managed key that you want to use to encrypt the new copy." A provider-managed
        // key named instead was accepted, and the copy made under it.
        let mut k = Kit::new(IBM_VPC);
        let crk = k.w.add_key("crk-src", k.acct);
        let provider_managed = k.w.add_key("pm-dst", k.acct);
        k.w.keys[provider_managed.index()].customer_managed = false;
        let crk_dst = k.w.add_key("crk-dst", k.acct);
        let mut r = k.route(k.dst);
        r.source_key = Some(crk);
        r.dest_key = Some(provider_managed);
        let e = IbmVpc.check_route(&k.w, &r).unwrap_err();
        assert_eq!(e.code, "snapshot_copy_encryption_key_required");
        assert!(e.message.contains("key pm-dst is provider-managed"), "{}", e.message);
        r.dest_key = Some(crk_dst);
        assert!(IbmVpc.check_route(&k.w, &r).is_ok(), "a customer-managed key");
        // A source under a provider-managed key takes any key named, and does not use it.
        k.w.keys[crk.index()].customer_managed = false;
        r.dest_key = Some(provider_managed);
        assert!(IbmVpc.check_route(&k.w, &r).is_ok());
    }

    #[test]
    fn a_destination_key_must_be_in_the_destination_region_and_usable_by_the_copying_account() {
        // "If the source snapshot is protected by a customer-managed key, you must specify the
        // customer-managed key that you want to use to encrypt the new copy." The document names
        // no more; the copy is created in the destination, under a key the account may use.
        let mut k = Kit::new(IBM_VPC);
        let src_key = k.w.add_key("crk-src", k.acct);
        k.w.keys[src_key.index()].region = Some(k.src);
        let mut r = k.route(k.dst);
        r.source_key = Some(src_key);
        r.dest_key = Some(src_key);
        let e = IbmVpc.check_route(&k.w, &r).unwrap_err();
        assert_eq!(e.code, "snapshot_copy_encryption_key_invalid");
        assert!(e.message.contains("not in the destination region dst"), "{}", e.message);
        let other = k.w.add_account("other");
        let theirs = k.w.add_key("their-key", other);
        k.w.keys[theirs.index()].region = Some(k.dst);
        r.dest_key = Some(theirs);
        let e = IbmVpc.check_route(&k.w, &r).unwrap_err();
        assert!(e.message.contains("no grant"), "{}", e.message);
        k.w.keys[theirs.index()].grants.insert(k.acct);
        assert!(IbmVpc.check_route(&k.w, &r).is_ok(), "granted");
    }

    #[test]
    fn a_copy_into_another_account_is_refused() {
        // "You can copy a Block storage backup snapshot from one region to another region": the
        // document describes no copy into another account.
        let mut k = Kit::new(IBM_VPC);
        let vault = k.w.add_account("vault");
        let mut r = k.route(k.dst);
        r.account = vault;
        assert_eq!(IbmVpc.check_route(&k.w, &r).unwrap_err().code, "snapshot_copy_account_not_supported");
    }

    #[test]
    fn file_share_backups_cannot_be_copied_to_another_region() {
        // "You can't create a copy of a file storage backup in another region."
        let mut k = Kit::new(IBM_VPC);
        k.w.volumes[k.vol.index()].kind = VolumeKind::File;
        assert!(IbmVpc.check_route(&k.w, &k.route(k.dst)).unwrap_err().code == "share_snapshot_copy_not_supported");
    }
}
