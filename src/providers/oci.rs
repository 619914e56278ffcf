//! OCI Block Volume cross-region backup copy rules (`oci-block-volume-backup-copy.md`).
//!
//! - Quota: "you can copy up to ten concurrent backups per tenancy at a time from a specific source region" (planner gate, scope account × source region).
//! - Kind: a copy matches its source's type, except that an incremental source is copied as
//!   full after a resize, when copied back to its source region, when the previous copy in
//!   the destination is TERMINATING/TERMINATED/FAULTY, or when copied out of order manually.
//! - Permissions: VOLUME_BACKUP_READ and VOLUME_BACKUP_COPY in the source region,
//!   VOLUME_BACKUP_CREATE in the destination ([`oci_iam`](mod@super::oci_iam)).

use super::oci_iam::{self, Request, VOLUME_BACKUP_COPY, VOLUME_BACKUP_CREATE, VOLUME_BACKUP_READ};
use super::{
    BaseRule, CopyRules, KindDecision, Rejection, Route, SourceCodes, dest_key_elsewhere, full, incremental,
    started_in_dest,
};
use super::{DefaultPrices, PriceDefault};
use crate::kernel::SimDuration;
use crate::model::params::QuotaScope;
use crate::model::{
    BackupKind, Copy, CopyState, KeyId, Origin, Provider, ProviderParams, Reason, Region, Trigger, World,
};

/// The OCI Block Volume rules.
pub struct Oci;

/// Its handle: position 0 in the [registry](super::registry).
pub const OCI: Provider = Provider::new(0, "oci");

fn names(r: &Region) -> Vec<&str> {
    let mut v = vec![r.name.as_str()];
    if let Some(c) = r.code.as_deref() {
        v.push(c);
    }
    v
}

/// Checks the account's IAM statements for the three permissions a copy needs.
pub fn check_permissions(world: &World, route: &Route<'_>) -> Result<(), Rejection> {
    let account = world.account(route.account);
    let Some(iam) = &account.iam else { return Ok(()) };
    let group = route.group.unwrap_or(&iam.group);
    let src = world.region(route.source_region);
    let dst = world.region(route.dest_region);
    let (src_names, dst_names) = (names(src), names(dst));
    let needs = [
        (VOLUME_BACKUP_READ, src, &src_names),
        (VOLUME_BACKUP_COPY, src, &src_names),
        (VOLUME_BACKUP_CREATE, dst, &dst_names),
    ];
    for (permission, region, region_names) in needs {
        let req = Request { permission, request_region: region_names, target_region: &dst_names };
        if !oci_iam::allowed(&iam.statements, group, &req) {
            return Err(Rejection::new(
                "NotAuthorizedOrNotFound",
                format!("group {group} lacks {permission} in region {}", region.name),
            ));
        }
    }
    Ok(())
}

impl CopyRules for Oci {
    /// Its rules read the last started copy, the highest seq started and the backup being copied are read, never an older copy.
    fn reads_only_newest(&self) -> bool {
        true
    }

    /// `[accounts.iam]` statements are OCI policy statements ([`oci_iam`](mod@super::oci_iam)).
    fn policy_parser(&self) -> Option<super::PolicyParser> {
        Some(oci_iam::parse)
    }

    fn provider(&self) -> Provider {
        OCI
    }

    fn default_params(&self) -> ProviderParams {
        ProviderParams {
            // "you can copy up to ten concurrent backups per tenancy at a time from a specific source region"
            copy_concurrency: 10,
            quota_scope: QuotaScope::AccountSourceRegion,
            terminate_delay: SimDuration::from_mins(10),
            ..ProviderParams::base()
        }
    }

    fn example_regions(&self) -> [(&'static str, &'static str); 2] {
        [("us-ashburn-1", "iad"), ("us-phoenix-1", "phx")]
    }

    fn starter_scenario(&self) -> &'static str {
        include_str!("../../assets/init/oci.toml")
    }

    fn default_prices(&self) -> DefaultPrices {
        DefaultPrices {
            storage: PriceDefault {
                nano_usd: None,
                source: "no public per-GB OCI backup figure was found: supply it",
                as_of: "",
            },
            transfer: PriceDefault {
                nano_usd: None,
                source: "no public per-GB OCI inter-region figure was found: supply it",
                as_of: "",
            },
            fast_restore: PriceDefault { nano_usd: None, source: "not modelled for OCI", as_of: "" },
            pairs: &[],
            rough_pairs: None,
        }
    }

    fn base_rule(&self) -> BaseRule {
        BaseRule::EarlierStarted
    }

    /// OCI's API codes (404 and 409; a key the tenancy may not use is a 404 too).
    fn source_codes(&self) -> SourceCodes {
        SourceCodes {
            gone: "NotAuthorizedOrNotFound",
            not_ready: "IncorrectState",
            moving: "IncorrectState",
            key_denied: "NotAuthorizedOrNotFound",
        }
    }

    fn check_route(&self, world: &World, route: &Route<'_>) -> Result<(), Rejection> {
        if !route.cross_region() {
            return Err(Rejection::new(
                "InvalidParameter",
                "CopyVolumeBackup copies a backup to another region; the destination is the source region",
            ));
        }
        // "When copying block volume backups across regions in your tenancy": the document
        // describes copies within the tenancy that owns the backup (its IAM statements and its
        // quota of ten are that tenancy's), and no way for another tenancy to copy it.
        if route.account != route.source_account {
            return Err(Rejection::new(
                "NotAuthorizedOrNotFound",
                format!(
                    "{} cannot copy a backup of tenancy {}: backups are copied across regions within their own tenancy",
                    world.account(route.account).name,
                    world.account(route.source_account).name
                ),
            ));
        }
        if let Some(key) = dest_key_elsewhere(world, route) {
            return Err(Rejection::new(
                "InvalidParameter",
                format!(
                    "vault key {} is not in the destination region {}",
                    key.name,
                    world.region(route.dest_region).name
                ),
            ));
        }
        if let Some(k) = route.dest_key {
            let key = world.key(k);
            // "you need to use a policy that allows the Block Volume service to perform
            // cryptographic operations with keys in the destination region": a key of another
            // tenancy that grants this one nothing cannot be used.
            if !key.usable_by(route.account) {
                return Err(Rejection::new(
                    "NotAuthorizedOrNotFound",
                    format!(
                        "{} may not use vault key {} of {} (no grant): a policy must let the Block Volume service use keys in {}",
                        world.account(route.account).name,
                        key.name,
                        world.account(key.owner).name,
                        world.region(route.dest_region).name
                    ),
                ));
            }
        }
        check_permissions(world, route)
    }

    /// A vault key lives in its region: a copy to another region is encrypted with "the
    /// Oracle-provided encryption key or your own Vault encryption key ... from the destination
    /// region", so one that names no key gets Oracle's, not the source's vault key.
    fn unnamed_copy_key(&self, world: &World, copy: &Copy, source_key: KeyId) -> Option<KeyId> {
        world.key(source_key).region.is_none_or(|r| r == copy.dest_region).then_some(source_key)
    }

    /// OCI's own words: "the previous incremental backup copy is in the TERMINATING, TERMINATED,
    /// or FAULTY state".
    fn state_name(&self, state: CopyState) -> &'static str {
        state.name()
    }

    fn decide_kind(&self, world: &World, copy: &Copy) -> KindDecision {
        let src = world.backup(copy.source);
        let vol = world.volume(copy.volume);
        let max_seq = vol.dest(copy.dest_region, copy.account).map_or(0, |d| d.max_seq_started);
        let prev = started_in_dest(world, copy).next_back();
        let incremental_source = src.kind == BackupKind::Incremental;
        // The lineage's source region is its volume's (a volume never moves).
        if incremental_source && matches!(src.origin(), Origin::Copy(_)) && copy.dest_region == vol.region {
            return full(world, copy, Reason::CopyBackToSourceRegion);
        }
        if let Some(p) = prev {
            if copy.trigger == Trigger::Manual && copy.seq <= max_seq {
                return full(world, copy, Reason::OutOfOrder);
            }
            // The previous copy was out of order: behind the highest copied there, or a manual
            // copy again of the highest itself (out of order by the rule above).
            if p.seq < max_seq || p.reason == Reason::OutOfOrder {
                return full(world, copy, Reason::AfterOutOfOrderCopy);
            }
        }
        if !incremental_source {
            return full(world, copy, Reason::SourceIsFull);
        }
        let Some(prev) = prev else {
            // Copies started there before, none listed: they all failed (a completed one stays
            // listed), and the previous one is FAULTY — not a first copy.
            let reason = if max_seq > 0 { Reason::PreviousCopyTerminatedOrFaulty } else { Reason::FirstCopy };
            return full(world, copy, reason);
        };
        let resized = vol.chain.resized_in(prev.seq + 1, copy.seq);
        if resized || src.after_resize() {
            return full(world, copy, Reason::AfterResize);
        }
        // A previous copy built on a copy that failed is as unusable as a FAULTY one: it can
        // never be restored, so nothing can build on it (otherwise the lineage would stay
        // unrestorable for good).
        if prev.broken || matches!(prev.state, CopyState::Terminating | CopyState::Terminated | CopyState::Faulty) {
            return full(world, copy, Reason::PreviousCopyTerminatedOrFaulty);
        }
        incremental(world, copy, prev, Reason::MatchesSource)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CopyKind, IamPolicy, Trigger};
    use crate::providers::rules;
    use crate::providers::testkit::Kit;

    fn kinds(k: &mut Kit, seqs: &[u32]) -> Vec<(CopyKind, Reason)> {
        let dst = k.dst;
        seqs.iter()
            .map(|&s| {
                let (_, d) = k.copy_manual(s, dst);
                (d.kind, d.reason)
            })
            .collect()
    }

    #[test]
    fn out_of_order_example_copy_3_then_1_both_full() {
        // "in the scenario where you have incremental volume backups #1 through #5, and you copy
        // volume backup #3 and then volume backup #1, the volume backups may be copied as full
        // backups to the destination region."
        let mut k = Kit::new(OCI);
        k.backups(5);
        let got = kinds(&mut k, &[3, 1]);
        assert_eq!(got, vec![(CopyKind::Full, Reason::FirstCopy), (CopyKind::Full, Reason::OutOfOrder)]);
    }

    #[test]
    fn resize_example_4_full_5_6_incremental_then_2_full_then_7_full() {
        // "incremental volume backups #1 through #7, with the volume being resized after backup #3
        // was taken. ... backup #4, is copied as a full backup. Backups #5 and #6 are copied as
        // incremental backups. If you then copy a backup out of order, for example backup #2, it
        // is copied as full backup. The next backup in the order, #7, is also copied as a full backup."
        let mut k = Kit::new(OCI);
        k.backups(3);
        k.resize(200 * crate::providers::testkit::GB);
        k.backups(4);
        let got = kinds(&mut k, &[1, 2, 3, 4, 5, 6, 2, 7]);
        assert_eq!(got[3], (CopyKind::Full, Reason::AfterResize), "#4");
        assert_eq!(got[4], (CopyKind::Incremental, Reason::MatchesSource), "#5");
        assert_eq!(got[5], (CopyKind::Incremental, Reason::MatchesSource), "#6");
        assert_eq!(got[6], (CopyKind::Full, Reason::OutOfOrder), "#2");
        assert_eq!(got[7], (CopyKind::Full, Reason::AfterOutOfOrderCopy), "#7");
    }

    #[test]
    fn the_copy_after_recopying_the_highest_copied_backup_is_full_too() {
        // "If you then copy a backup out of order, for example backup #2, it is copied as full
        // backup. The next backup in the order, #7, is also copied as a full backup." Copying
        // #3 again after #3 is out of order (at or before the highest copied); #4, the next in
        // the order, is then full as the document's #7, and #5 incremental again.
        let mut k = Kit::new(OCI);
        k.backups(5);
        let got = kinds(&mut k, &[1, 3, 3, 4, 5]);
        assert_eq!(got[1], (CopyKind::Incremental, Reason::MatchesSource), "#3 skipping #2 is still in order");
        assert_eq!(got[2], (CopyKind::Full, Reason::OutOfOrder), "#3 again");
        assert_eq!(got[3], (CopyKind::Full, Reason::AfterOutOfOrderCopy), "#4");
        assert_eq!(got[4], (CopyKind::Incremental, Reason::MatchesSource), "#5");
    }

    #[test]
    fn scheduled_copies_are_never_out_of_order() {
        // "This does not apply to volume backups created and copied using backup policies, as
        // scheduled volume backups are always copied in sequential order."
        let mut k = Kit::new(OCI);
        k.backups(3);
        let dst = k.dst;
        k.copy_with(1, dst, Trigger::Schedule);
        k.copy_with(2, dst, Trigger::Schedule);
        let (_, d) = k.copy_with(3, dst, Trigger::Schedule);
        assert_eq!((d.kind, d.reason), (CopyKind::Incremental, Reason::MatchesSource));
    }

    #[test]
    fn first_backup_after_resize_is_copied_full() {
        // "When the volume backup being copied is the first volume backup taken after a volume
        // has been resized. This applies to volume backups copied on a schedule and volume
        // backups copied manually."
        let mut k = Kit::new(OCI);
        k.backups(1);
        k.resize(150 * crate::providers::testkit::GB);
        k.backups(1);
        let dst = k.dst;
        k.copy_with(1, dst, Trigger::Schedule);
        let (_, d) = k.copy_with(2, dst, Trigger::Schedule);
        assert_eq!((d.kind, d.reason), (CopyKind::Full, Reason::AfterResize));
        assert_eq!(d.bytes, 150 * crate::providers::testkit::GB);
    }

    #[test]
    fn copy_back_to_source_region_is_full() {
        // "Volume backups that were the result of a cross region copy, if they are then copied
        // back to their source region."
        let mut k = Kit::new(OCI);
        k.backups(2);
        let (dst, src) = (k.dst, k.src);
        k.copy_manual(1, dst);
        let (c2, d2) = k.copy_manual(2, dst);
        assert_eq!(d2.kind, CopyKind::Incremental);
        let copied = k.w.copy(c2).dest_backup.get().unwrap();
        let back = k.request(copied, src, Trigger::Manual);
        let d = k.start(back);
        assert_eq!((d.kind, d.reason), (CopyKind::Full, Reason::CopyBackToSourceRegion));
    }

    #[test]
    fn previous_copy_terminated_or_faulty_makes_a_full_copy() {
        // "When the volume backup is being copied to a destination region where the previous
        // incremental backup copy is in the TERMINATING, TERMINATED, or FAULTY state."
        let mut k = Kit::new(OCI);
        k.backups(4);
        let dst = k.dst;
        k.copy_with(1, dst, Trigger::Schedule);
        let (c2, _) = k.copy_with(2, dst, Trigger::Schedule);
        k.delete_copy(c2);
        assert_eq!(k.w.copy(c2).state, CopyState::Terminating);
        let (_, d3) = k.copy_with(3, dst, Trigger::Schedule);
        assert_eq!((d3.kind, d3.reason), (CopyKind::Full, Reason::PreviousCopyTerminatedOrFaulty));
        // FAULTY
        let b4 = k.w.volume(k.vol).backup_seq(4).unwrap();
        let c4 = k.request(b4, dst, Trigger::Schedule);
        k.start(c4);
        k.w.end_copy(
            c4,
            crate::kernel::SimTime(k.now + 1),
            Some(crate::model::ProviderError::code("InternalError")),
            true,
            None,
        );
        k.backups(1);
        let (_, d5) = k.copy_with(5, dst, Trigger::Schedule);
        assert_eq!(d5.reason, Reason::PreviousCopyTerminatedOrFaulty);
    }

    #[test]
    fn a_previous_copy_built_on_a_faulty_copy_counts_as_faulty() {
        // "... where the previous incremental backup copy is in the TERMINATING, TERMINATED, or
        // FAULTY state": #2 started over #1 while #1 was moving; #1 then failed, so #2 can never
        // be restored — the next copy must not build on it, or the lineage never recovers.
        let mut k = Kit::new(OCI);
        k.backups(3);
        let dst = k.dst;
        k.copy_with(1, dst, Trigger::Schedule);
        let (c2, d2) = k.copy_with(2, dst, Trigger::Schedule);
        assert_eq!((d2.kind, d2.reason), (CopyKind::Incremental, Reason::MatchesSource));
        k.w.copies[c2.index()].broken = true; // the engine's restore tracker marks it when #1 fails
        let (_, d3) = k.copy_with(3, dst, Trigger::Schedule);
        assert_eq!((d3.kind, d3.reason), (CopyKind::Full, Reason::PreviousCopyTerminatedOrFaulty));
    }

    #[test]
    fn a_vault_key_of_another_tenancy_without_a_grant_is_refused() {
        // "you need to use a policy that allows the Block Volume service to perform
        // cryptographic operations with keys in the destination region"
        let mut k = Kit::new(OCI);
        let other = k.w.add_account("other");
        let key = k.w.add_key("theirs", other);
        k.w.keys[key.index()].region = Some(k.dst);
        let route = Route { dest_key: Some(key), ..k.route(k.dst) };
        assert_eq!(Oci.check_route(&k.w, &route).unwrap_err().code, "NotAuthorizedOrNotFound");
        k.w.keys[key.index()].grants.insert(k.acct);
        assert!(Oci.check_route(&k.w, &route).is_ok(), "granted: usable");
    }

    #[test]
    fn another_tenancy_cannot_copy_a_tenancys_backup() {
        // "When copying block volume backups across regions in your tenancy, you can copy up to
        // ten concurrent backups per tenancy at a time from a specific source region." Another
        // tenancy's copy once ran outside both the owner's IAM statements and its quota.
        let mut k = Kit::new(OCI);
        let other = k.w.add_account("other");
        assert!(Oci.check_route(&k.w, &k.route(k.dst)).is_ok());
        let route = Route { account: other, ..k.route(k.dst) };
        let e = Oci.check_route(&k.w, &route).unwrap_err();
        assert_eq!(e.code, "NotAuthorizedOrNotFound");
        assert!(e.message.contains("other cannot copy a backup of tenancy acct"), "{}", e.message);
    }

    fn with_policy(k: &mut Kit, statements: &[&str]) {
        let statements = statements.iter().map(|s| oci_iam::parse(s).unwrap()).collect();
        k.w.accounts[k.acct.index()].iam = Some(IamPolicy { group: "MyTestGroup".into(), statements });
        for (r, code) in [(k.src, "lhr"), (k.dst, "fra"), (k.dst2, "phx")] {
            k.w.regions[r.index()].code = Some(code.into());
        }
    }

    fn route_check(k: &Kit, from: crate::model::RegionId, to: crate::model::RegionId) -> Result<(), Rejection> {
        let route = k.route_from(from, to);
        rules(OCI).check_route(&k.w, &route)
    }

    #[test]
    fn sample_policy_1_restricts_copies_to_london_to_frankfurt() {
        // "In this example, the group is restricted to copying volume backups from the UK South
        // (London) region to the Germany Central (Frankfurt) region." The document prints the
        // second statement cut off; it is quoted here with its closing brace restored.
        let mut k = Kit::new(OCI);
        with_policy(
            &mut k,
            &[
                "Allow group MyTestGroup to read volume-backups in tenancy where all {request.region='lhr'}",
                "Allow group MyTestGroup to use volume-backups in tenancy where all {request.permission='VOLUME_BACKUP_COPY', request.region = 'lhr'}",
                "Allow group MyTestGroup to manage volume-backups in tenancy where all {request.permission='VOLUME_BACKUP_CREATE', request.region = 'fra'}",
            ],
        );
        assert_eq!(route_check(&k, k.src, k.dst), Ok(()));
        let e = route_check(&k, k.src, k.dst2).unwrap_err();
        assert!(e.message.contains("VOLUME_BACKUP_CREATE in region dst2"), "{}", e);
        let e = route_check(&k, k.dst, k.src).unwrap_err();
        assert!(e.message.contains("VOLUME_BACKUP_READ in region dst"), "{}", e);
    }

    #[test]
    fn sample_policy_2_pairs_lhr_fra_and_frees_phx_iad() {
        // "Copy volume backups from the US West (Phoenix) and US East (Ashburn) regions to any
        // destination regions. Copy volume backups from the Germany Central (Frankfurt) and UK
        // South (London) regions only to the Germany Central (Frankfurt) or UK South (London) regions."
        let mut k = Kit::new(OCI);
        with_policy(
            &mut k,
            &[
                "Allow group MyTestGroup to read volume-backups in tenancy where all {request.region='lhr'}",
                "Allow group MyTestGroup to manage volume-backups in tenancy where any {request.permission!='VOLUME_BACKUP_COPY'}",
                "Allow group MyTestGroup to use volume-backups in tenancy where all {request.permission='VOLUME_BACKUP_COPY', any {request.region='lhr', request.region='fra'}, any{target.region='fra', target.region='lhr'}}",
                "Allow group MyTestGroup to use volume-backups in tenancy where all {request.permission='VOLUME_BACKUP_COPY', any {request.region='phx', request.region='iad'}}",
            ],
        );
        assert_eq!(route_check(&k, k.src, k.dst), Ok(()), "lhr → fra");
        assert_eq!(route_check(&k, k.dst, k.src), Ok(()), "fra → lhr");
        assert_eq!(route_check(&k, k.dst2, k.src), Ok(()), "phx → lhr");
        assert_eq!(route_check(&k, k.dst2, k.dst), Ok(()), "phx → fra");
        let e = route_check(&k, k.src, k.dst2).unwrap_err();
        assert!(e.message.contains("VOLUME_BACKUP_COPY"), "lhr → phx is denied: {}", e);
    }

    #[test]
    fn no_policy_means_unrestricted_and_same_region_is_refused() {
        let k = Kit::new(OCI);
        assert_eq!(route_check(&k, k.src, k.dst), Ok(()));
        assert!(route_check(&k, k.src, k.src).is_err());
    }
}
