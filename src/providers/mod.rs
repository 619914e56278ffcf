//! Provider rules: one file per cloud behind the [`CopyRules`] trait. Pure functions of the
//! world: they read model facts and return decisions; they never
//! see the kernel, so each rule is testable in a few lines with no simulation running.

pub mod aws_ebs;
pub mod aws_fsx;
pub mod huawei_cbr;
pub mod ibm_vpc;
pub mod oci;
pub mod oci_iam;

#[cfg(test)]
pub(crate) mod testkit;

use crate::model::{AccountId, BackupState, Copy, CopyKind, KeyId, Provider, Reason, RegionId, VolumeId, World};

/// A provider's refusal, worded as the service would answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection(pub String);

impl Rejection {
    /// A rejection with `code: message`.
    pub fn new(code: &str, message: impl std::fmt::Display) -> Self {
        Rejection(format!("{code}: {message}"))
    }
}

/// The planned shape of a copy: its kind, why, and how many bytes move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindDecision {
    /// Full, incremental or share.
    pub kind: CopyKind,
    /// The rule that chose it.
    pub reason: Reason,
    /// Bytes to move.
    pub bytes: u64,
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
    /// The route of an existing copy request.
    pub fn of_copy(world: &World, copy: &'a Copy) -> Route<'a> {
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
            group: copy.group.as_deref(),
        }
    }

    /// Whether the copy crosses regions.
    pub fn cross_region(&self) -> bool {
        self.source_region != self.dest_region
    }
}

/// The copy rules of one provider.
pub trait CopyRules: Sync {
    /// Which provider.
    fn provider(&self) -> Provider;

    /// Checks that hold or fail whatever the moment: route, partitions, permissions, keys.
    /// Run for every request, and at validation for schedule copy targets.
    fn check_route(&self, world: &World, route: &Route<'_>) -> Result<(), Rejection>;

    /// Checks against the current state when the request arrives (after [`check_route`](Self::check_route)).
    fn check_request(&self, world: &World, copy: &Copy) -> Result<(), Rejection> {
        default_check_request(self.source_ready_state(), world, copy)
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

    /// A condition that lets the copy start but makes it fail (EBS: an inaccessible key).
    fn start_failure(&self, _world: &World, _copy: &Copy) -> Option<String> {
        None
    }
}

/// The rules for `provider`.
pub fn rules(provider: Provider) -> &'static dyn CopyRules {
    match provider {
        Provider::Oci => &oci::Oci,
        Provider::AwsFsx => &aws_fsx::AwsFsx,
        Provider::IbmVpc => &ibm_vpc::IbmVpc,
        Provider::HuaweiCbr => &huawei_cbr::HuaweiCbr,
        Provider::AwsEbs => &aws_ebs::AwsEbs,
    }
}

/// The common request checks: the source still exists and, for a manual copy, is ready.
/// Scheduled copies are only requested once their source is ready.
pub fn default_check_request(ready: BackupState, world: &World, copy: &Copy) -> Result<(), Rejection> {
    let src = world.backup(copy.source);
    if !src.exists() {
        return Err(Rejection::new("NotFound", format!("backup #{} no longer exists", src.seq)));
    }
    if !src.has_reached(ready) {
        return Err(Rejection::new(
            "IncorrectState",
            format!("the source backup is {}, it must be {} before it can be copied", src.state.name(), ready.name()),
        ));
    }
    Ok(())
}

/// The copies of `copy`'s lineage already started in its destination, oldest first.
pub fn started_in_dest<'w>(world: &'w World, copy: &Copy) -> impl DoubleEndedIterator<Item = &'w Copy> + 'w {
    let dest = world.volume(copy.volume).dest(copy.dest_region, copy.account);
    dest.into_iter().flat_map(|d| d.started.iter()).map(move |&c| world.copy(c))
}

/// Whether a started copy completed its transfer successfully (it may have been deleted since).
pub fn completed_ok(c: &Copy) -> bool {
    c.transfer_completed()
}

/// The key a copy ends up encrypted with: the requested destination key, else the source's.
pub fn result_key(world: &World, copy: &Copy) -> Option<KeyId> {
    if copy.strip_encryption {
        return None;
    }
    copy.dest_key.or(world.backup(copy.source).key)
}

/// The key a finished copy holds its data under.
pub fn copy_key(world: &World, c: &Copy) -> Option<KeyId> {
    match c.dest_backup {
        Some(b) => world.backup(b).key,
        None => result_key(world, c),
    }
}

/// A full copy of the source.
pub fn full(world: &World, copy: &Copy, reason: Reason) -> KindDecision {
    KindDecision { kind: CopyKind::Full, reason, bytes: world.backup(copy.source).full_bytes }
}

/// An incremental copy over the base copy with seq `base_seq`.
pub fn incremental(world: &World, copy: &Copy, base_seq: u32, reason: Reason) -> KindDecision {
    KindDecision { kind: CopyKind::Incremental, reason, bytes: world.delta_between(copy.volume, base_seq, copy.seq) }
}
