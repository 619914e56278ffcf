//! Amazon EBS snapshot copy rules (`aws-ebs-snapshot-copy.md`).
//!
//! - The source must be `completed`; another account needs the snapshot shared with it (or public).
//! - "Each account can have up to twenty concurrent snapshot copy requests to a single destination Region" — beyond it, ResourceLimitExceeded; the planner queues and retries.
//! - Incremental only if the lineage was copied there before, the most recent copy still exists, and the keys agree.
//! - A same-region, same-account copy moves no data unless the encryption changes.
//! - "If a copy is still pending when you start a another copy, the second copy starts only after the first copy finishes."
//! - Encryption cannot be stripped; an inaccessible key fails the copy: "Given key ID is not accessible".
//! - Keys are regional: a copy to another Region or account that names no key is encrypted with
//!   "the default CMK used for EBS encryption for the AWS account and Region" (`aws/ebs`), and a
//!   named key of another Region than the destination is refused.

use super::{
    CopyRules, KindDecision, Rejection, Route, Sharing, SourceCodes, completed_ok, copy_key, default_check_request,
    dest_key_elsewhere, full, incremental, result_key, started_in_dest,
};
use super::{DefaultPrices, PriceDefault};
use crate::model::params::{MIB, QuotaScope};
use crate::model::{Copy, CopyKind, KeyId, Provider, ProviderParams, Reason, World};

/// The EBS rules.
pub struct AwsEbs;

/// Its handle: position 4 in the [registry](super::registry).
pub const AWS_EBS: Provider = Provider::new(4, "aws_ebs");

/// AWS data transfer between regions (EBS and FSx bill alike).
pub const AWS_TRANSFER: &str = "AWS data transfer between regions: mostly $0.02 per GB (us-east-1 ↔ us-east-2 $0.01; some Asia and Middle East pairs about $0.08)";
/// AWS region pairs with a documented non-default transfer price.
pub const AWS_PAIRS: &[(&str, &str, u64)] =
    &[("us-east-1", "us-east-2", 10_000_000), ("us-east-2", "us-east-1", 10_000_000)];

/// AWS region pairs priced above the default, named only roughly by copysim's sources: "some
/// Asia and Middle East pairs about $0.08" — a pair with an Asia Pacific (`ap-`) or Middle East
/// (`me-`, `il-`) Region at either end may be one.
pub const AWS_ROUGH_PAIRS: super::RoughPairs = super::RoughPairs {
    region_prefixes: &["ap-", "me-", "il-"],
    known: "some Asia and Middle East pairs cost about $0.08 per GB (late 2025)",
};

/// The state message of a copy whose key the requester cannot use.
pub const KEY_NOT_ACCESSIBLE: &str = "Given key ID is not accessible";

/// The name of "the default CMK used for EBS encryption for the AWS account and Region" (its
/// alias, `alias/aws/ebs`, without the prefix): one per account and region.
pub const DEFAULT_KEY: &str = "aws/ebs";

/// The code of a copy that names a key of another Region than its destination (no document
/// names one: EC2's code for a parameter with an unusable value).
pub const KEY_IN_ANOTHER_REGION: &str = "InvalidParameterValue";

fn key_change_reason(before: Option<crate::model::KeyId>, after: Option<crate::model::KeyId>) -> Reason {
    if before.is_some() != after.is_some() { Reason::EncryptionChanged } else { Reason::KeyChanged }
}

impl CopyRules for AwsEbs {
    /// "The copy is an incremental copy if ... The snapshot was copied to the destination Region or account previously": only the newest completed copy and the snapshot being copied are read.
    fn reads_only_newest(&self) -> bool {
        true
    }

    fn provider(&self) -> Provider {
        AWS_EBS
    }

    /// "you can specify a provisioned rate of volume initialization between 100 and 300 MiB/s"
    /// (public figure, see the seeds' README).
    fn check_initialization_rate(&self, bytes_per_s: u64) -> Result<(), &'static str> {
        if (100 * MIB..=300 * MIB).contains(&bytes_per_s) {
            Ok(())
        } else {
            Err("an EBS provisioned initialization rate is between 100 and 300 MiB/s")
        }
    }

    /// "You can copy ... shared snapshots": another account copies a snapshot once it is shared.
    fn cross_account_needs_share(&self) -> bool {
        true
    }

    fn default_params(&self) -> ProviderParams {
        ProviderParams {
            // "up to twenty concurrent snapshot copy requests to a single destination Region"
            copy_concurrency: 20,
            quota_scope: QuotaScope::AccountDestRegion,
            copy_cap_bytes_per_s: 500 * MIB,
            link_bandwidth_bytes_per_s: 2_000 * MIB,
            ..ProviderParams::base()
        }
    }

    fn example_regions(&self) -> [(&'static str, &'static str); 2] {
        [("us-east-1", ""), ("us-west-2", "")]
    }

    fn starter_scenario(&self) -> &'static str {
        include_str!("../../assets/init/aws_ebs.toml")
    }

    fn default_prices(&self) -> DefaultPrices {
        DefaultPrices {
            storage: PriceDefault {
                nano_usd: Some(50_000_000),
                source: "Amazon EBS pricing: snapshot storage, standard tier, $0.05 per GB-month (archive tier $0.0125, 90-day minimum, not modelled)",
                as_of: "2025-11",
            },
            transfer: PriceDefault { nano_usd: Some(20_000_000), source: AWS_TRANSFER, as_of: "2025-11" },
            fast_restore: PriceDefault {
                nano_usd: Some(750_000_000),
                source: "Amazon EBS Fast Snapshot Restore: $0.75 per DSU-hour per availability zone",
                as_of: "2025-11",
            },
            pairs: AWS_PAIRS,
            rough_pairs: Some(AWS_ROUGH_PAIRS),
        }
    }

    /// "User-defined tags are not copied from the source snapshot to the new snapshot."
    fn copies_tags(&self) -> bool {
        false
    }

    fn sharing(&self) -> Sharing {
        Sharing::Permission
    }

    fn offers_fast_restore(&self) -> bool {
        true
    }

    /// EC2's codes (the first is also what a snapshot not shared with the copier gets); a key
    /// the account cannot use answers in the document's words, "Given key ID is not accessible".
    fn source_codes(&self) -> SourceCodes {
        SourceCodes {
            gone: "InvalidSnapshot.NotFound",
            not_ready: "IncorrectState",
            moving: "IncorrectState",
            key_denied: KEY_NOT_ACCESSIBLE,
        }
    }

    /// "You cannot strip encryption from an encrypted snapshot": nor, then, from the volume whose
    /// later snapshots build on its encrypted ones (an unencrypted incremental on an encrypted
    /// base would be the stripped snapshot by another way).
    fn check_volume_key_change(&self, from: Option<KeyId>, to: Option<KeyId>) -> Result<(), Rejection> {
        if from.is_some() && to.is_none() {
            return Err(Rejection::new(
                "InvalidParameterCombination",
                "you cannot strip encryption from an encrypted snapshot, nor from the volume its later snapshots build on",
            ));
        }
        Ok(())
    }

    fn check_route(&self, world: &World, route: &Route<'_>) -> Result<(), Rejection> {
        if route.strip_encryption && route.source_key.is_some() {
            return Err(Rejection::new(
                "InvalidParameterCombination",
                "you cannot strip encryption from an encrypted snapshot",
            ));
        }
        // The copy is made in the destination Region, under a key there ("the default CMK ...
        // for the AWS account and Region", or "a customer managed CMK specified for the copy
        // action ... instead of" it): a KMS key lives in one Region.
        if let Some(key) = dest_key_elsewhere(world, route) {
            return Err(Rejection::new(
                KEY_IN_ANOTHER_REGION,
                format!(
                    "KmsKeyId {} is a key of {}: a copy to {} is encrypted with a KMS key of its destination Region",
                    key.name,
                    key.region.map_or("another Region", |r| world.region(r).name.as_str()),
                    world.region(route.dest_region).name
                ),
            ));
        }
        Ok(())
    }

    fn default_key_name(&self) -> Option<&'static str> {
        Some(DEFAULT_KEY)
    }

    /// "If `KmsKeyId` is not specified, the key that is used for encryption depends on the
    /// encryption state of the source snapshot and its ownership": within the source's own
    /// account and Region the copy keeps the source's CMK; into another Region (where that key
    /// does not exist) or another account (which owns the copy) it is encrypted with "the default
    /// CMK used for EBS encryption for the AWS account and Region" — the copying account's
    /// `aws/ebs` there, the same key for every copy of a lineage, which incrementals build on.
    fn unnamed_copy_key(&self, world: &World, copy: &Copy, source_key: KeyId) -> Option<KeyId> {
        let src = world.backup(copy.source);
        if copy.dest_region == src.region && copy.account == src.account {
            return Some(source_key);
        }
        // Made with the account (`World::add_account`); an EBS world always has it.
        world.default_key(copy.account, copy.dest_region).or(Some(source_key))
    }

    /// "You apply encryption to EBS snapshot copies by setting the `Encrypted` parameter to
    /// `true`. (The `Encrypted` parameter is optional if encryption by default is enabled)";
    /// "If you have enabled encryption by default, the **Encryption** option is set and cannot
    /// be unset": an account with encryption by default encrypts every copy it makes of an
    /// unencrypted snapshot, asked or not, with "the default CMK used for EBS encryption for
    /// the AWS account and Region" (its `aws/ebs` there, or the customer-managed key it chose).
    fn encryption_by_default_key(&self, world: &World, copy: &Copy) -> Option<KeyId> {
        if !world.account(copy.account).encryption_by_default {
            return None;
        }
        world.default_key(copy.account, copy.dest_region)
    }

    fn check_request(&self, world: &World, copy: &Copy) -> Result<(), Rejection> {
        default_check_request(self, world, copy)?;
        let src = world.backup(copy.source);
        if !world.shared_with(src, copy.account) {
            return Err(Rejection::new(
                "InvalidSnapshot.NotFound",
                format!(
                    "snapshot #{} of {} is not shared with {} (modify its permissions or make it public)",
                    src.seq,
                    world.volume(copy.volume).name,
                    world.account(copy.account).name
                ),
            ));
        }
        Ok(())
    }

    fn serializes_lineage(&self) -> bool {
        true
    }

    fn throttles_at_quota(&self) -> bool {
        true
    }

    fn decide_kind(&self, world: &World, copy: &Copy) -> KindDecision {
        let src = world.backup(copy.source);
        let key = result_key(world, copy);
        if copy.dest_region == src.region && copy.account == src.account {
            if key == src.key {
                return KindDecision { kind: CopyKind::NoData, reason: Reason::SameRegionNoData, bytes: 0, base: None };
            }
            return full(world, copy, key_change_reason(src.key, key));
        }
        let Some(last) = started_in_dest(world, copy).rev().find(|c| completed_ok(c)) else {
            return full(world, copy, Reason::FirstCopy);
        };
        if !last.is_available() {
            return full(world, copy, Reason::MostRecentCopyDeleted);
        }
        let base_key = copy_key(world, last);
        if base_key != key {
            return full(world, copy, key_change_reason(base_key, key));
        }
        incremental(world, copy, last, Reason::PreviousCopyExists)
    }

    fn start_failure(&self, world: &World, copy: &Copy) -> Option<Rejection> {
        let src_key = world.backup(copy.source).key;
        // The key the copy ends up under, too, when the account chose a default key: it may be
        // one it was granted and no longer is (any other result is the source's or named key,
        // checked here, or the account's own aws/ebs).
        let chosen = world.account(copy.account).default_key.and_then(|_| result_key(world, copy));
        let inaccessible =
            [src_key, copy.dest_key, chosen].into_iter().flatten().any(|k| !world.key_usable_by(k, copy.account));
        inaccessible.then(|| Rejection::code(KEY_NOT_ACCESSIBLE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Trigger;
    use crate::providers::rules;
    use crate::providers::testkit::Kit;

    #[test]
    fn first_copy_to_a_region_is_full_then_incremental() {
        // "If you copy a snapshot to a new Region, a complete (non-incremental) copy is always created"
        // "the copy is an incremental copy if ... The snapshot was copied to the destination Region or account previously."
        let mut k = Kit::new(AWS_EBS);
        k.backups(2);
        let dst = k.dst;
        let (_, d1) = k.copy_manual(1, dst);
        let (_, d2) = k.copy_manual(2, dst);
        assert_eq!((d1.kind, d1.reason), (CopyKind::Full, Reason::FirstCopy));
        assert_eq!((d2.kind, d2.reason), (CopyKind::Incremental, Reason::PreviousCopyExists));
        assert!(d2.bytes < d1.bytes);
    }

    #[test]
    fn deleting_the_most_recent_copy_makes_the_next_full() {
        // "If the most recent snapshot copy was deleted, the next copy is a full copy, not an incremental copy."
        let mut k = Kit::new(AWS_EBS);
        k.backups(3);
        let dst = k.dst;
        k.copy_manual(1, dst);
        let (c2, _) = k.copy_manual(2, dst);
        k.delete_copy(c2);
        let (_, d3) = k.copy_manual(3, dst);
        assert_eq!((d3.kind, d3.reason), (CopyKind::Full, Reason::MostRecentCopyDeleted));
    }

    #[test]
    fn changing_the_key_makes_a_full_copy() {
        // "If you copy a snapshot and encrypt it to a new CMK, a complete (non-incremental) copy is always created"
        // "All copies of the snapshot in the destination Region or account are either unencrypted or were encrypted using the same CMK."
        let mut k = Kit::new(AWS_EBS);
        let k1 = k.w.add_key("k1", k.acct);
        k.backups(3);
        let dst = k.dst;
        k.copy_manual(1, dst);
        let b2 = k.w.volume(k.vol).backup_seq(2).unwrap();
        let c2 = k.request(b2, dst, Trigger::Manual);
        k.w.copies[c2.index()].dest_key = Some(k1);
        let d2 = k.start(c2);
        k.finish(c2);
        assert_eq!((d2.kind, d2.reason), (CopyKind::Full, Reason::EncryptionChanged));
        let b3 = k.w.volume(k.vol).backup_seq(3).unwrap();
        let c3 = k.request(b3, dst, Trigger::Manual);
        k.w.copies[c3.index()].dest_key = Some(k1);
        let d3 = k.start(c3);
        assert_eq!((d3.kind, d3.reason), (CopyKind::Incremental, Reason::PreviousCopyExists), "same CMK again");
        let k2 = k.w.add_key("k2", k.acct);
        k.finish(c3);
        k.backups(1);
        let b4 = k.w.volume(k.vol).backup_seq(4).unwrap();
        let c4 = k.request(b4, dst, Trigger::Manual);
        k.w.copies[c4.index()].dest_key = Some(k2);
        assert_eq!(k.start(c4).reason, Reason::KeyChanged);
    }

    #[test]
    fn same_region_same_account_copies_move_no_data_unless_encryption_changes() {
        // "Snapshot copy operations within a single account and Region do not copy any actual data
        // and therefore are cost-free as long as the encryption status of the snapshot copy does not change."
        let mut k = Kit::new(AWS_EBS);
        k.backups(1);
        let src = k.src;
        let (_, d) = k.copy_manual(1, src);
        assert_eq!((d.bytes, d.reason), (0, Reason::SameRegionNoData));
        let key = k.w.add_key("k", k.acct);
        let b1 = k.w.volume(k.vol).backup_seq(1).unwrap();
        let c = k.request(b1, src, Trigger::Manual);
        k.w.copies[c.index()].dest_key = Some(key);
        let d = k.start(c);
        assert_eq!((d.kind, d.reason), (CopyKind::Full, Reason::EncryptionChanged));
        assert!(d.bytes > 0);
    }

    #[test]
    fn a_snapshot_copies_only_once_its_status_is_completed() {
        // "After you create a snapshot and it has finished copying to Amazon S3 (when the
        // snapshot status is `completed`), you can copy it"; "You can copy any accessible
        // snapshots that have a `completed` status". copysim's AVAILABLE is EBS's `completed`.
        let mut k = Kit::new(AWS_EBS);
        let b = k.w.take_backup(k.vol, crate::kernel::SimTime(1));
        let c = k.request(b, k.dst, Trigger::Manual);
        let e = AwsEbs.check_request(&k.w, k.w.copy(c)).unwrap_err();
        assert_eq!(e.code, "IncorrectState", "{e}");
        assert!(e.message.contains("the source backup is CREATING"), "{e}");
        k.w.backups[b.index()].state = crate::model::BackupState::Available;
        assert_eq!(AwsEbs.check_request(&k.w, k.w.copy(c)), Ok(()));
    }

    #[test]
    fn encryption_cannot_be_stripped() {
        // "You cannot strip encryption from an encrypted snapshot."
        let mut k = Kit::new(AWS_EBS);
        let key = k.w.add_key("k", k.acct);
        let mut r = k.route(k.dst);
        r.source_key = Some(key);
        r.strip_encryption = true;
        assert!(AwsEbs.check_route(&k.w, &r).unwrap_err().code == "InvalidParameterCombination");
        k.backups(0);
    }

    #[test]
    fn encryption_cannot_be_stripped_from_the_volume_either() {
        // "You cannot strip encryption from an encrypted snapshot." A `change_key` of an
        // encrypted volume to `none` made its next snapshot an unencrypted incremental on the
        // encrypted base, which a copy then moved unencrypted: the same strip by another way.
        let mut k = Kit::new(AWS_EBS);
        let (a, b) = (k.w.add_key("a", k.acct), k.w.add_key("b", k.acct));
        let refused = AwsEbs.check_volume_key_change(Some(a), None).unwrap_err();
        assert_eq!(refused.code, "InvalidParameterCombination");
        assert!(AwsEbs.check_volume_key_change(Some(a), Some(b)).is_ok(), "another key");
        assert!(AwsEbs.check_volume_key_change(None, Some(b)).is_ok(), "encrypting");
    }

    /// The account's EBS default key (`aws/ebs`) in `region`.
    fn default_key(k: &Kit, account: crate::model::AccountId, region: crate::model::RegionId) -> KeyId {
        let key = k.w.default_key(account, region).expect("an EBS world keeps a default key per account");
        assert_eq!(k.w.key(key).name, DEFAULT_KEY);
        key
    }

    #[test]
    fn encryption_by_default_encrypts_copies_of_an_unencrypted_snapshot_with_the_default_key() {
        // "You apply encryption to EBS snapshot copies by setting the `Encrypted` parameter to
        // `true`. (The `Encrypted` parameter is optional if encryption by default is enabled)";
        // "* This is the default CMK used for EBS encryption for the AWS account and Region."
        // The first copy into a Region is full ("changing the encryption status of a snapshot
        // during a copy operation results in a full (not incremental) copy"), the next build on
        // it: every copy there is under the same key.
        let mut k = Kit::new(AWS_EBS);
        k.w.accounts[k.acct.index()].encryption_by_default = true;
        k.backups(3);
        let (src, dst) = (k.src, k.dst);
        let aws_ebs = default_key(&k, k.acct, dst);
        let (c1, d1) = k.copy_manual(1, dst);
        let (c2, d2) = k.copy_manual(2, dst);
        let (c3, d3) = k.copy_manual(3, dst);
        assert_eq!((d1.kind, d1.reason), (CopyKind::Full, Reason::FirstCopy));
        assert_eq!((d2.kind, d2.reason), (CopyKind::Incremental, Reason::PreviousCopyExists));
        assert_eq!((d3.kind, d3.reason), (CopyKind::Incremental, Reason::PreviousCopyExists));
        for c in [c1, c2, c3] {
            assert_eq!(copy_key(&k.w, k.w.copy(c)), Some(aws_ebs));
        }
        // Within the Region the copy is no longer the no-data one: its encryption changes.
        let (c, d) = k.copy_manual(3, src);
        assert_eq!((d.kind, d.reason), (CopyKind::Full, Reason::EncryptionChanged));
        assert_eq!(copy_key(&k.w, k.w.copy(c)), Some(default_key(&k, k.acct, src)));
        // Without it, the same snapshot copies unencrypted, with no data within the Region.
        k.w.accounts[k.acct.index()].encryption_by_default = false;
        let (c, d) = k.copy_manual(3, src);
        assert_eq!((copy_key(&k.w, k.w.copy(c)), d.kind), (None, CopyKind::NoData));
    }

    #[test]
    fn encryption_by_default_cannot_be_unset_on_a_copy() {
        // "If you have enabled encryption by default, the **Encryption** option is set and
        // cannot be unset": a copy asking for no encryption is encrypted all the same.
        let mut k = Kit::new(AWS_EBS);
        k.w.accounts[k.acct.index()].encryption_by_default = true;
        k.backups(1);
        let dst = k.dst;
        let c = k.request(k.w.volume(k.vol).backup_seq(1).unwrap(), dst, Trigger::Manual);
        k.w.copies[c.index()].strip_encryption = true;
        assert_eq!(result_key(&k.w, k.w.copy(c)), Some(default_key(&k, k.acct, dst)));
    }

    #[test]
    fn an_account_may_choose_a_customer_managed_default_key_in_its_region() {
        // "By default this is a unique AWS managed CMK for EBS, or you can specify a customer
        // managed CMK": chosen for the destination Region, it replaces `aws/ebs` there, for a
        // copy naming no key of an encrypted snapshot as under encryption by default; in a
        // Region it is not a key of, `aws/ebs` stays.
        let (mut k, _) = encrypted_kit();
        let dr = k.w.add_key("dr-cmk", k.acct);
        k.w.keys[dr.index()].region = Some(k.dst);
        k.w.accounts[k.acct.index()].default_key = Some(dr);
        k.backups(2);
        let (src, dst) = (k.src, k.dst);
        let (c1, d1) = k.copy_manual(1, dst);
        let (c2, d2) = k.copy_manual(2, dst);
        assert_eq!((copy_key(&k.w, k.w.copy(c1)), copy_key(&k.w, k.w.copy(c2))), (Some(dr), Some(dr)));
        assert_eq!((d1.kind, d2.kind), (CopyKind::Full, CopyKind::Incremental));
        assert_eq!(k.w.key(k.w.default_key(k.acct, src).unwrap()).name, DEFAULT_KEY, "not a key of the source Region");
        // A key granted by another account, then no longer: the copy fails to start.
        let other = k.w.add_account("keys");
        let lent = k.w.add_key("lent-cmk", other);
        k.w.keys[lent.index()].grants.insert(k.acct);
        k.w.accounts[k.acct.index()].default_key = Some(lent);
        let c3 = k.request(k.w.volume(k.vol).backup_seq(2).unwrap(), dst, Trigger::Manual);
        assert_eq!(AwsEbs.start_failure(&k.w, k.w.copy(c3)), None);
        k.w.keys[lent.index()].grants.clear();
        assert_eq!(AwsEbs.start_failure(&k.w, k.w.copy(c3)).map(|e| e.code), Some(KEY_NOT_ACCESSIBLE));
    }

    /// A kit whose volume is encrypted with `src-cmk`, pinned to the source region.
    fn encrypted_kit() -> (Kit, KeyId) {
        let mut k = Kit::new(AWS_EBS);
        let cmk = k.w.add_key("src-cmk", k.acct);
        k.w.keys[cmk.index()].region = Some(k.src);
        k.w.volumes[k.vol.index()].key = Some(cmk);
        (k, cmk)
    }

    #[test]
    fn a_same_region_copy_naming_no_key_keeps_its_sources_cmk() {
        // "If `KmsKeyId` is not specified, the key that is used for encryption depends on the
        // encryption state of the source snapshot and its ownership": the account's own
        // snapshot, copied within its Region, keeps its CMK, and "Snapshot copy operations within
        // a single account and Region do not copy any actual data ... as long as the encryption
        // status of the snapshot copy does not change."
        let (mut k, cmk) = encrypted_kit();
        k.backups(1);
        let src = k.src;
        let (c, d) = k.copy_manual(1, src);
        assert_eq!(copy_key(&k.w, k.w.copy(c)), Some(cmk));
        assert_eq!((d.kind, d.reason, d.bytes), (CopyKind::NoData, Reason::SameRegionNoData, 0));
    }

    #[test]
    fn a_cross_region_copy_naming_no_key_is_encrypted_with_the_destination_default_key() {
        // "* This is the default CMK used for EBS encryption for the AWS account and Region."
        // The source's CMK is a key of its own Region; the copy in another Region is encrypted
        // with the account's `aws/ebs` there, the same key for every copy of the lineage, so
        // "All copies of the snapshot in the destination Region or account are either
        // unencrypted or were encrypted using the same CMK" holds and the copies chain.
        let (mut k, cmk) = encrypted_kit();
        k.backups(3);
        let dst = k.dst;
        let aws_ebs = default_key(&k, k.acct, dst);
        assert_ne!(aws_ebs, cmk);
        let (c1, d1) = k.copy_manual(1, dst);
        let (c2, d2) = k.copy_manual(2, dst);
        let (c3, d3) = k.copy_manual(3, dst);
        assert_eq!((d1.kind, d1.reason), (CopyKind::Full, Reason::FirstCopy));
        assert_eq!((d2.kind, d2.reason), (CopyKind::Incremental, Reason::PreviousCopyExists));
        assert_eq!((d3.kind, d3.reason), (CopyKind::Incremental, Reason::PreviousCopyExists));
        for c in [c1, c2, c3] {
            assert_eq!(copy_key(&k.w, k.w.copy(c)), Some(aws_ebs));
        }
        // An unencrypted source stays unencrypted (the account has no encryption by default).
        k.w.volumes[k.vol.index()].key = None;
        k.backups(1);
        let b4 = k.w.volume(k.vol).backup_seq(4).unwrap();
        let c4 = k.request(b4, dst, Trigger::Manual);
        assert_eq!(result_key(&k.w, k.w.copy(c4)), None);
    }

    #[test]
    fn a_cross_account_copy_naming_no_key_is_encrypted_with_the_copying_accounts_default_key() {
        // "If `KmsKeyId` is not specified, the key that is used for encryption depends on the
        // encryption state of the source snapshot and its ownership"; "* This is the default CMK
        // used for EBS encryption for the AWS account and Region": the copying account's, which
        // owns the copy — in the source's Region as in another.
        let (mut k, cmk) = encrypted_kit();
        let audit = k.w.add_account("audit");
        k.w.keys[cmk.index()].grants.insert(audit);
        let b = k.backup();
        k.w.share(b, Some(audit), false);
        for region in [k.src, k.dst] {
            let c = k.request(b, region, Trigger::Manual);
            k.w.copies[c.index()].account = audit;
            let theirs = default_key(&k, audit, region);
            assert_eq!(result_key(&k.w, k.w.copy(c)), Some(theirs));
            assert_ne!(Some(theirs), k.w.default_key(k.acct, region), "not the owner's default key");
            assert_eq!(AwsEbs.start_failure(&k.w, k.w.copy(c)), None, "the source's CMK is granted");
        }
    }

    #[test]
    fn a_named_key_of_the_destination_region_is_used_instead_of_the_default_key() {
        // "** This is a customer managed CMK specified for the copy action. This CMK is used
        // instead of the default CMK for the AWS account and Region."
        // "If you copy a snapshot and encrypt it to a new CMK, a complete (non-incremental) copy is always created"
        let (mut k, _) = encrypted_kit();
        let dr = k.w.add_key("dr-cmk", k.acct);
        k.w.keys[dr.index()].region = Some(k.dst);
        k.backups(3);
        let dst = k.dst;
        k.copy_manual(1, dst);
        let mut decisions = Vec::new();
        for seq in [2, 3] {
            let b = k.w.volume(k.vol).backup_seq(seq).unwrap();
            let c = k.request(b, dst, Trigger::Manual);
            k.w.copies[c.index()].dest_key = Some(dr);
            assert!(AwsEbs.check_route(&k.w, &Route::of_copy(&k.w, k.w.copy(c))).is_ok());
            assert_eq!(result_key(&k.w, k.w.copy(c)), Some(dr));
            decisions.push(k.start(c));
            k.finish(c);
        }
        assert_eq!((decisions[0].kind, decisions[0].reason), (CopyKind::Full, Reason::KeyChanged), "aws/ebs → dr-cmk");
        assert_eq!((decisions[1].kind, decisions[1].reason), (CopyKind::Incremental, Reason::PreviousCopyExists));
    }

    #[test]
    fn a_named_key_of_another_region_than_the_destination_is_refused() {
        // "* This is the default CMK used for EBS encryption for the AWS account and Region";
        // "** ... a customer managed CMK specified for the copy action ... used instead of" it:
        // the copy's key is one of its destination Region. A KMS key lives in one Region, so
        // one of another Region is refused (no document names the code: EC2's
        // InvalidParameterValue, docs/model.md, EBS).
        let (mut k, cmk) = encrypted_kit();
        let mut r = k.route(k.dst);
        r.source_key = Some(cmk);
        r.dest_key = Some(cmk);
        let refused = AwsEbs.check_route(&k.w, &r).unwrap_err();
        assert_eq!(refused.code, KEY_IN_ANOTHER_REGION);
        assert!(refused.message.contains("src-cmk is a key of src"), "{}", refused.message);
        assert!(refused.message.contains("a copy to dst"), "{}", refused.message);
        // The same key within its own Region, and a key the scenario pins to no Region, are used.
        let src = k.src;
        assert!(AwsEbs.check_route(&k.w, &k.route(src)).is_ok());
        let mut same = k.route(src);
        same.dest_key = Some(cmk);
        assert!(AwsEbs.check_route(&k.w, &same).is_ok());
        let anywhere = k.w.add_key("anywhere", k.acct);
        r.dest_key = Some(anywhere);
        assert!(AwsEbs.check_route(&k.w, &r).is_ok());
    }

    #[test]
    fn an_inaccessible_key_fails_the_copy_with_the_documented_state_message() {
        // "If the copy failed because of insufficient key permissions, you see the following
        // message: "StateMessage": "Given key ID is not accessible"."
        let mut k = Kit::new(AWS_EBS);
        let other = k.w.add_account("other");
        let foreign = k.w.add_key("foreign", other);
        k.backups(1);
        let b = k.w.volume(k.vol).backup_seq(1).unwrap();
        let c = k.request(b, k.dst, Trigger::Manual);
        k.w.copies[c.index()].dest_key = Some(foreign);
        assert_eq!(AwsEbs.start_failure(&k.w, k.w.copy(c)).map(|e| e.code), Some(KEY_NOT_ACCESSIBLE));
        k.w.keys[foreign.index()].grants.insert(k.acct);
        assert_eq!(AwsEbs.start_failure(&k.w, k.w.copy(c)), None);
    }

    #[test]
    fn another_account_copies_only_a_shared_or_public_snapshot() {
        // "If you would like another account to be able to copy your snapshot, you must either
        // modify the snapshot permissions to allow access to that account or make the snapshot
        // public so that all AWS accounts can copy it."
        let mut k = Kit::new(AWS_EBS);
        let other = k.w.add_account("other");
        let b = k.backup();
        let c = k.request(b, k.dst, Trigger::Manual);
        k.w.copies[c.index()].account = other;
        assert!(AwsEbs.check_request(&k.w, k.w.copy(c)).unwrap_err().code == "InvalidSnapshot.NotFound");
        k.w.share(b, Some(other), false);
        assert!(AwsEbs.check_request(&k.w, k.w.copy(c)).is_ok());
        k.w.unshare(b);
        assert!(AwsEbs.check_request(&k.w, k.w.copy(c)).is_err());
        k.w.share(b, None, true);
        assert!(AwsEbs.check_request(&k.w, k.w.copy(c)).is_ok());
    }

    #[test]
    fn user_tags_are_not_copied() {
        // "User-defined tags are not copied from the source snapshot to the new snapshot."
        let mut k = Kit::new(AWS_EBS);
        k.w.volumes[k.vol.index()].tags = vec!["team:db".to_string()].into();
        k.backups(1);
        let dst = k.dst;
        let (c, _) = k.copy_manual(1, dst);
        let src = k.w.volume(k.vol).backup_seq(1).unwrap();
        assert_eq!(k.w.backup(src).tags(&k.w), &["team:db".to_string()]);
        assert!(k.w.backup(k.w.copy(c).dest_backup.get().unwrap()).tags(&k.w).is_empty());
        assert!(rules(AWS_EBS).serializes_lineage());
    }
}
