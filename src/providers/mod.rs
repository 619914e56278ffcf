//! Provider rules: one file per cloud behind the [`CopyRules`] trait. Pure functions of the
//! world: they read model facts and return decisions; they never
//! see the kernel, so each rule is testable in a few lines with no simulation running.

pub mod aws_ebs;
pub mod aws_fsx;
pub mod huawei_cbr;
pub mod ibm_vpc;
pub mod oci;
pub mod oci_iam;
pub mod registry;

#[cfg(test)]
pub(crate) mod testkit;

use crate::model::{
    AccountId, BackupId, BackupState, Copy, CopyId, CopyKind, CopyState, KeyId, Provider, Reason, RegionId, VolumeId,
    World,
};

/// A provider's refusal, worded as the service would answer: a typed `{ code, message }`.
pub type Rejection = crate::model::ProviderError;

/// Parses one IAM policy statement (see [`CopyRules::policy_parser`]).
pub type PolicyParser = fn(&str) -> Result<crate::model::iam::Statement, crate::model::iam::PolicyParseError>;

/// The planned shape of a copy: its kind, why, and how many bytes move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindDecision {
    /// Full, incremental or share.
    pub kind: CopyKind,
    /// The rule that chose it.
    pub reason: Reason,
    /// Bytes to move.
    pub bytes: u64,
    /// The copy in the destination an incremental copy builds on (its restore point waits for it).
    pub base: Option<CopyId>,
}

/// What a copy asks for, independent of when: used at request time and, for schedule copy targets, at validation.
#[derive(Clone, Debug)]
pub struct Route<'a> {
    /// The lineage.
    pub volume: VolumeId,
    /// Region the backup is in.
    pub source_region: RegionId,
    /// Region it goes to.
    pub dest_region: RegionId,
    /// Account that owns the source backup.
    pub source_account: AccountId,
    /// Account that requests and owns the copy.
    pub account: AccountId,
    /// The source backup's key.
    pub source_key: Option<KeyId>,
    /// Requested destination key.
    pub dest_key: Option<KeyId>,
    /// Asks for an unencrypted copy.
    pub strip_encryption: bool,
    /// OCI IAM group override.
    pub group: Option<&'a str>,
}

impl<'a> Route<'a> {
    /// The route the copies of volume `v`'s own backups to `dest_region` take, for `account`
    /// (`None`: the volume's owner), under `dest_key` or unencrypted (`strip_encryption`): a
    /// schedule's copy target checked at validation, a `change_key` checked when it runs.
    pub fn of_volume(
        world: &World,
        v: VolumeId,
        dest_region: RegionId,
        account: Option<AccountId>,
        dest_key: Option<KeyId>,
        strip_encryption: bool,
    ) -> Route<'a> {
        let vol = world.volume(v);
        Route {
            volume: v,
            source_region: vol.region,
            dest_region,
            source_account: vol.account,
            account: account.unwrap_or(vol.account),
            source_key: vol.key,
            dest_key,
            strip_encryption,
            group: None,
        }
    }

    /// The route of an existing copy request.
    pub fn of_copy(world: &'a World, copy: &'a Copy) -> Route<'a> {
        let src = world.backup(copy.source);
        Route {
            volume: copy.volume,
            source_region: copy.source_region,
            dest_region: copy.dest_region,
            source_account: src.account,
            account: copy.account,
            source_key: src.key,
            dest_key: copy.dest_key,
            strip_encryption: copy.strip_encryption,
            group: world.copy_group(copy.id),
        }
    }

    /// Whether the copy crosses regions.
    pub fn cross_region(&self) -> bool {
        self.source_region != self.dest_region
    }
}

/// How a provider lets another account use a backup without copying it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sharing {
    /// Not part of its copy model.
    Unsupported,
    /// A share the recipient accepts into a vault or rejects (Huawei CBR): a share record
    /// ([`CopyKind::Share`]) checked by [`CopyRules::check_share`] and [`CopyRules::check_accept`].
    Accepted,
    /// A permission on the backup (EBS create-volume permission, or public).
    Permission,
}

/// Which earlier copy an incremental copy needs in its destination when it starts — what the
/// invariant checker expects of each provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseRule {
    /// An earlier-seq copy already started there, complete or not (OCI).
    EarlierStarted,
    /// An earlier-seq copy already completed there (IBM: the preceding snapshot's copy).
    EarlierCompleted,
    /// Any completed copy there, whatever its seq (EBS).
    AnyCompleted,
    /// Any copy started there and neither failed nor deleted, complete or still moving,
    /// whatever its seq (FSx).
    AnyStarted,
}

/// Limits on backup policies and their plans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyLimits {
    /// Policies per account per region.
    pub per_account_region: usize,
    /// Plans per policy.
    pub plans_per_policy: usize,
}

/// A default price and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceDefault {
    /// Nano-dollars per unit; `None`: no public figure was found (a scenario must supply it).
    pub nano_usd: Option<u64>,
    /// Its public source, or why there is none.
    pub source: &'static str,
    /// As of (empty without a figure).
    pub as_of: &'static str,
}

/// A provider's default prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DefaultPrices {
    /// Backup storage, per GB-month.
    pub storage: PriceDefault,
    /// Inter-region transfer, per GB.
    pub transfer: PriceDefault,
    /// Fast restore, per zone-hour.
    pub fast_restore: PriceDefault,
    /// Region pairs (by name) whose transfer is priced apart, nano-dollars per GB.
    pub pairs: &'static [(&'static str, &'static str, u64)],
    /// Region pairs whose transfer the default price may understate, known only roughly.
    pub rough_pairs: Option<RoughPairs>,
}

/// Region pairs whose transfer price copysim's sources give only roughly (AWS: "some Asia and
/// Middle East pairs about $0.08"): a run that moved bytes over one at the default price says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoughPairs {
    /// A pair with a region whose name starts with one of these at either end may be one.
    pub region_prefixes: &'static [&'static str],
    /// What is known of their price, with its date.
    pub known: &'static str,
}

impl RoughPairs {
    /// Whether the pair `from → to` (region names) may be one of them.
    pub fn may_be(&self, from: &str, to: &str) -> bool {
        let listed = |r: &str| self.region_prefixes.iter().any(|p| r.starts_with(p));
        listed(from) || listed(to)
    }
}

/// The copy rules of one provider: everything copysim knows about it sits behind this trait.
pub trait CopyRules: Sync {
    /// Its handle (a constant in its file, naming its position in the [registry]).
    fn provider(&self) -> Provider;

    /// Its default parameters (quotas, throughput, delays), each figure sourced in `docs/model.md`.
    fn default_params(&self) -> crate::model::ProviderParams {
        crate::model::ProviderParams::base()
    }

    /// Its default prices, with their sources.
    fn default_prices(&self) -> DefaultPrices;

    /// The kind of volume a scenario's volume is when it does not say (FSx: a file system).
    fn default_volume_kind(&self) -> crate::model::VolumeKind {
        crate::model::VolumeKind::Block
    }

    /// Whether the region named `name` can copy across regions at all, unless the scenario says
    /// (IBM names two regions that cannot).
    fn region_copies_across(&self, _name: &str) -> bool {
        true
    }

    /// The partition of the region named `name`, unless the scenario says (FSx: the China and
    /// GovCloud Regions its document names are partitions of their own).
    fn region_partition(&self, _name: &str) -> crate::model::Partition {
        crate::model::Partition::Commercial
    }

    /// Whether the region named `name` is an opt-in region, unless the scenario says (FSx: AWS's
    /// opt-in Regions, where its document supports no cross-region copy).
    fn region_opt_in(&self, _name: &str) -> bool {
        false
    }

    /// Checks a provisioned restore initialization rate (EBS: 100–300 MiB/s).
    fn check_initialization_rate(&self, _bytes_per_s: u64) -> Result<(), &'static str> {
        Ok(())
    }

    /// Whether another account can copy a backup only once it is shared with it (EBS).
    fn cross_account_needs_share(&self) -> bool {
        false
    }

    /// Checks a `change_key` of a volume's own key (its future backups) from `from` to `to`
    /// (`None`: unencrypted). Most documents say nothing of it.
    fn check_volume_key_change(&self, _from: Option<KeyId>, _to: Option<KeyId>) -> Result<(), Rejection> {
        Ok(())
    }

    /// Two of its regions `(name, code)` for generated scenarios (`advise interval`): a source
    /// and a copy destination.
    fn example_regions(&self) -> [(&'static str, &'static str); 2];

    /// A commented starter scenario that validates as it is (`copysim init --provider <name>`).
    fn starter_scenario(&self) -> &'static str;

    /// Checks that hold or fail whatever the moment: route, partitions, permissions, keys.
    /// Run for every request, and at validation for schedule copy targets.
    fn check_route(&self, world: &World, route: &Route<'_>) -> Result<(), Rejection>;

    /// Checks against the current state when the request arrives (after [`check_route`](Self::check_route)).
    fn check_request(&self, world: &World, copy: &Copy) -> Result<(), Rejection> {
        default_check_request(self, world, copy)
    }

    /// The provider's error codes for the refusals every provider shares: a backup that no
    /// longer exists (or not yet), one not yet in [`source_ready_state`](Self::source_ready_state)
    /// ([`default_check_request`]), a copy still moving that cannot be deleted, and a backup
    /// under a key the account cannot use. No document names them; each provider's own API
    /// style is used.
    fn source_codes(&self) -> SourceCodes {
        SourceCodes {
            gone: "NotFound",
            not_ready: "IncorrectState",
            moving: "IncorrectState",
            key_denied: "AccessDenied",
        }
    }

    /// The state the source backup must reach before a copy may start.
    fn source_ready_state(&self) -> BackupState {
        BackupState::Available
    }

    /// Whether copies of one lineage into one destination run one after another.
    fn serializes_lineage(&self) -> bool {
        false
    }

    /// Whether a request beyond the quota is answered with a throttling error that the orchestrator retries (recorded per copy).
    fn throttles_at_quota(&self) -> bool {
        false
    }

    /// Full or incremental, why, and how many bytes, decided as the copy starts.
    fn decide_kind(&self, world: &World, copy: &Copy) -> KindDecision;

    /// Whether the bytes a failed copy moved before failing are billed as transfer. The clouds
    /// bill inter-region traffic by the byte as it leaves the source region, whatever becomes
    /// of the copy (Huawei: "replication traffic is billed to the source region"), so every
    /// provider here does; a provider that bills only completed copies says `false`.
    fn bills_failed_transfer(&self) -> bool {
        true
    }

    /// Which base an incremental copy needs (checked after every run).
    fn base_rule(&self) -> BaseRule {
        BaseRule::AnyCompleted
    }

    /// Whether a copy keeps its source's user tags (EBS: "User-defined tags are not copied").
    fn copies_tags(&self) -> bool {
        true
    }

    /// Whether its rules read only the newest copies of a destination and the backup being
    /// copied: a destination's copies from the last completed one on (and the last started),
    /// and no source backup but the copy's own. Then, in a run where nothing can delete them,
    /// older copies and their sources are settled: their rows are written and they leave
    /// memory (`engine::settle`). `false` (the default) keeps every backup and copy to the
    /// horizon, which is always correct (IBM reads the predecessor snapshot and its copies).
    fn reads_only_newest(&self) -> bool {
        false
    }

    /// Whether a backup may be deleted now (FSx: not while it is being copied, nor shortly after).
    fn check_delete(
        &self,
        _world: &World,
        _backup: &crate::model::Backup,
        _now: crate::kernel::SimTime,
    ) -> Result<(), Rejection> {
        Ok(())
    }

    /// How backups are shared with other accounts.
    fn sharing(&self) -> Sharing {
        Sharing::Unsupported
    }

    /// [`Sharing::Accepted`]: whether `backup` may be shared with `project` in `region`.
    fn check_share(
        &self,
        _world: &World,
        _backup: BackupId,
        _project: AccountId,
        _region: RegionId,
    ) -> Result<(), Rejection> {
        Ok(())
    }

    /// [`Sharing::Accepted`]: whether the recipient may accept `share` into its vault number `vault`.
    fn check_accept(&self, _world: &World, _share: &Copy, _vault: Option<usize>) -> Result<(), Rejection> {
        Ok(())
    }

    /// The key a copy that names no key of its own ends up under, its source being encrypted
    /// with `source_key` (default: the source's key travels with it). `None`: the provider's
    /// own encryption (OCI: Oracle's key, for a vault key of another region). A provider that
    /// keeps a key per account and region ([`default_key_name`](Self::default_key_name)) finds
    /// it with [`World::default_key`].
    fn unnamed_copy_key(&self, _world: &World, _copy: &Copy, source_key: KeyId) -> Option<KeyId> {
        Some(source_key)
    }

    /// The key a copy is encrypted with when its source is not encrypted and it names no key
    /// (or asks for none), if the provider encrypts it anyway: EBS "encryption by default", an
    /// account setting (the copying account's default key of the destination region). Default:
    /// none, the copy stays unencrypted.
    fn encryption_by_default_key(&self, _world: &World, _copy: &Copy) -> Option<KeyId> {
        None
    }

    /// The name of the key the provider keeps for each account in each region, which copies
    /// that name no key may be encrypted with (EBS: "the default CMK used for EBS encryption
    /// for the AWS account and Region", `aws/ebs`). The world makes it as accounts and regions
    /// are added, one per account standing for every region of the provider ([`World::default_key`]).
    fn default_key_name(&self) -> Option<&'static str> {
        None
    }

    /// Whether a copy that names a destination key is encrypted with it, given its source's
    /// key (`None`: unencrypted or the provider's own). Default: always; IBM only for a source
    /// under a customer-managed key ("If the source snapshot is not encrypted with a customer
    /// key, the encryption of the copy remains provider-managed").
    fn dest_key_applies(&self, _source_key: Option<&crate::model::Key>) -> bool {
        true
    }

    /// The largest volume whose backups the provider supports, if it sets a limit, and the
    /// document's sentence for it (IBM: 10 TB on first-generation profiles).
    fn backup_size_limit(&self, _volume: &crate::model::Volume) -> Option<(u64, &'static str)> {
        None
    }

    /// The most backups a volume may hold, if the provider sets a ceiling (IBM 750/512).
    fn backup_ceiling(&self, _volume: &crate::model::Volume) -> Option<u32> {
        None
    }

    /// Limits on backup policies, if the provider has policies with limits (IBM).
    fn policy_limits(&self) -> Option<PolicyLimits> {
        None
    }

    /// Why it has no cross-region copy, if it has none (Huawei shares stay in their region: no
    /// transfer price is needed, and there is no copy interval to advise on). `None`: its copies
    /// may cross regions.
    fn no_cross_region_copy(&self) -> Option<&'static str> {
        None
    }

    /// The parser of its IAM policy language, when its copies are authorised by policy
    /// statements (`[accounts.iam]`; OCI). `None`: it has no IAM policies in copysim.
    fn policy_parser(&self) -> Option<PolicyParser> {
        None
    }

    /// Whether fast restore can be enabled for its backups (EBS Fast Snapshot Restore, IBM fast restore).
    fn offers_fast_restore(&self) -> bool {
        false
    }

    /// Whether a consistency group's members restore fast (IBM: fast restore is not for consistency groups).
    fn fast_restore_for_groups(&self) -> bool {
        true
    }

    /// Why fast restore cannot serve backups of a volume of `kind`, in the document's words
    /// (IBM: not for file share backups); `None` when it can.
    fn fast_restore_refusal(&self, _kind: crate::model::VolumeKind) -> Option<&'static str> {
        None
    }

    /// A copy's state in this provider's words. The model's states are OCI's; a deleted copy is
    /// `DELETING`/`DELETED` elsewhere (EBS, FSx, IBM and Huawei do not say TERMINATED).
    fn state_name(&self, state: CopyState) -> &'static str {
        match state {
            CopyState::Terminating => "DELETING",
            CopyState::Terminated => "DELETED",
            s => s.name(),
        }
    }

    /// A condition that lets the copy start but makes it fail (EBS: an inaccessible key).
    fn start_failure(&self, _world: &World, _copy: &Copy) -> Option<Rejection> {
        None
    }
}

pub use aws_ebs::AWS_EBS;
pub use aws_fsx::AWS_FSX;
pub use huawei_cbr::HUAWEI_CBR;
pub use ibm_vpc::IBM_VPC;
pub use oci::OCI;
pub use registry::{default_params, new_world, rules};

/// Why volume `v` at `size_bytes` cannot be backed up by its provider, if it cannot.
pub fn backup_size_problem(world: &World, v: VolumeId, size_bytes: u64) -> Option<String> {
    let vol = world.volume(v);
    let (limit, rule) = rules(world.region(vol.region).provider).backup_size_limit(vol)?;
    (size_bytes > limit).then(|| {
        format!("{} would be {size_bytes} bytes, over the {limit} bytes its backups may have: \"{rule}\"", vol.name)
    })
}

/// The most backups volume `v` may hold, if its provider sets a ceiling (IBM 750/512).
pub fn backup_ceiling(world: &World, v: VolumeId) -> Option<u32> {
    let vol = world.volume(v);
    rules(world.region(vol.region).provider).backup_ceiling(vol)
}

/// Shares of `backup` still in force (pending or accepted): a deletion cascades to them.
pub fn active_shares<'w>(world: &'w World, backup: BackupId) -> impl Iterator<Item = &'w Copy> + 'w {
    world
        .copies_from(backup)
        .filter(|c| c.kind == Some(CopyKind::Share) && matches!(c.state, CopyState::Pending | CopyState::Available))
}

/// The error codes of the refusals every provider shares ([`CopyRules::source_codes`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceCodes {
    /// The backup no longer exists, or does not exist yet (not taken, or not where it is named).
    pub gone: &'static str,
    /// The source backup has not reached the state copies start from (or, for a restore, a
    /// share of it is not accepted yet).
    pub not_ready: &'static str,
    /// A copy still moving (its backup still being written) cannot be deleted until it completes.
    pub moving: &'static str,
    /// The backup is encrypted with a key the account may not use.
    pub key_denied: &'static str,
}

/// The common request checks: the source still exists and, for a manual copy, is ready.
/// Scheduled copies are only requested once their source is ready.
pub fn default_check_request<R: CopyRules + ?Sized>(rules: &R, world: &World, copy: &Copy) -> Result<(), Rejection> {
    let (codes, ready) = (rules.source_codes(), rules.source_ready_state());
    let src = world.backup(copy.source);
    if !src.exists() {
        return Err(Rejection::new(codes.gone, format!("backup #{} no longer exists", src.seq)));
    }
    if !src.has_reached(ready) {
        return Err(Rejection::new(
            codes.not_ready,
            format!("the source backup is {}, it must be {} before it can be copied", src.state.name(), ready.name()),
        ));
    }
    Ok(())
}

/// The copies of `copy`'s lineage already started in its destination, oldest first.
pub fn started_in_dest<'w>(world: &'w World, copy: &Copy) -> impl DoubleEndedIterator<Item = &'w Copy> + 'w {
    let dest = world.volume(copy.volume).dest(copy.dest_region, copy.account);
    dest.into_iter().flat_map(|d| d.started.iter()).map(move |l| world.copy(l.copy))
}

/// The scenario's own region rule, for every provider (after the provider's
/// [`check_route`](CopyRules::check_route)): a region with `cross_region_copy = false` takes no
/// cross-region copy, from or to it (IBM's `ca-mon` and `in-che` default to it, and IBM's rule
/// answers first in its own words).
pub fn check_regions(world: &World, route: &Route<'_>) -> Result<(), Rejection> {
    if route.source_region == route.dest_region {
        return Ok(());
    }
    for r in [route.source_region, route.dest_region] {
        let region = world.region(r);
        if !region.cross_region_copy {
            return Err(Rejection::new(
                "cross_region_copy_disabled",
                format!("{} takes no cross-region copy (cross_region_copy = false)", region.name),
            ));
        }
    }
    Ok(())
}

/// Whether a started copy completed its transfer successfully (it may have been deleted since).
pub fn completed_ok(c: &Copy) -> bool {
    c.transfer_completed()
}

/// The key a copy ends up encrypted with: the requested destination key, else, for an
/// encrypted source, the provider's answer ([`CopyRules::unnamed_copy_key`]: the source's key,
/// the provider's own, or its default key of the account and destination region).
///
/// An unencrypted source copied with no key (or asking for none) stays unencrypted, unless its
/// provider encrypts it anyway ([`CopyRules::encryption_by_default_key`]).
pub fn result_key(world: &World, copy: &Copy) -> Option<KeyId> {
    let rules = rules(world.region(copy.source_region).provider);
    if copy.strip_encryption {
        return rules.encryption_by_default_key(world, copy);
    }
    let source_key = world.backup(copy.source).key;
    let dest_key = copy.dest_key.filter(|_| rules.dest_key_applies(source_key.map(|k| world.key(k))));
    dest_key.or_else(|| match source_key {
        Some(k) => rules.unnamed_copy_key(world, copy, k),
        None => rules.encryption_by_default_key(world, copy),
    })
}

/// The key a route names for its copy, when the scenario pins that key to another region than
/// the copy's destination (a key of no region is taken to live wherever it is used). OCI, IBM
/// and EBS refuse it, each in its own words.
pub fn dest_key_elsewhere<'w>(world: &'w World, route: &Route<'_>) -> Option<&'w crate::model::Key> {
    let key = world.key(route.dest_key?);
    key.region.is_some_and(|r| r != route.dest_region).then_some(key)
}

/// The key a finished copy holds its data under.
pub fn copy_key(world: &World, c: &Copy) -> Option<KeyId> {
    match c.dest_backup.get() {
        Some(b) => world.backup(b).key,
        None => result_key(world, c),
    }
}

/// A full copy of the source.
pub fn full(world: &World, copy: &Copy, reason: Reason) -> KindDecision {
    KindDecision { kind: CopyKind::Full, reason, bytes: world.backup(copy.source).full_bytes, base: None }
}

/// An incremental copy over `base`, a copy of the same lineage already started in the destination.
pub fn incremental(world: &World, copy: &Copy, base: &Copy, reason: Reason) -> KindDecision {
    let bytes = world.delta_between(copy.volume, base.seq, copy.seq);
    KindDecision { kind: CopyKind::Incremental, reason, bytes, base: Some(base.id) }
}
