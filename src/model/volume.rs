//! Volumes (block volumes, file systems, file shares) and, per destination, the history of their copies.

use std::sync::Arc;

use super::ids::{AccountId, BackupId, CopyId, KeyId, RegionId, VolumeId};
use crate::kernel::SimTime;

/// What kind of storage a volume is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeKind {
    /// A block volume (OCI, IBM, EBS, Huawei disks).
    Block,
    /// A file system or file share (FSx, IBM file shares).
    File,
}

impl VolumeKind {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            VolumeKind::Block => "block",
            VolumeKind::File => "file",
        }
    }
}

/// A virtual server instance: its attached volumes form a consistency group.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Name.
    pub name: String,
    /// Owner.
    pub account: AccountId,
    /// Region.
    pub region: RegionId,
    /// User tags.
    pub tags: Vec<String>,
}

/// A volume and its backup chain.
#[derive(Clone, Debug)]
pub struct Volume {
    /// This volume's id.
    pub id: VolumeId,
    /// Its name (fleet members: `<fleet>-0001`, ...).
    pub name: String,
    /// The owning account.
    pub account: AccountId,
    /// The region it lives in.
    pub region: RegionId,
    /// Block or file.
    pub kind: VolumeKind,
    /// Current provisioned size.
    pub size_bytes: u64,
    /// Share of the volume that changes per day, in parts per million.
    pub change_ppm_per_day: u32,
    /// Encryption key; `None` is provider-managed / unencrypted.
    pub key: Option<KeyId>,
    /// User tags.
    pub tags: Arc<[String]>,
    /// The instance it is attached to (consistency groups), if any.
    pub instance: Option<u32>,
    /// Whether it is its instance's boot volume.
    pub boot: bool,
    /// IBM volume generation: 1 (750 backups) or 2 (`sdp`, 512 backups).
    pub generation: u8,
    /// A regional file share (replicated across the region's zones), not a zonal one (IBM:
    /// 30 backups instead of 750).
    pub regional: bool,
    /// True between a resize and the next backup.
    pub resized_since_backup: bool,
    /// When the last source backup was taken.
    pub last_backup_at: Option<SimTime>,
    /// Extra time the next backup's changes span (`warm_start`: the warm backup stands for one
    /// taken a schedule period before the start).
    pub carried_ms: u64,
    /// Source backups by seq.
    pub chain: super::chain::SourceChain,
    /// The volume's size at its last backup.
    pub last_full_bytes: u64,
    /// Per (destination region, account), the copies of this lineage.
    pub dests: smallvec::SmallVec<[DestChain; 1]>,
}

/// A copy in a destination's started list, with its backup's seq: freeing a source backup asks
/// for the seq of the oldest copy listed (what the chain must still keep), and that copy —
/// the destination's oldest, long out of the caches — need not be read for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The copy.
    pub copy: CopyId,
    /// Its source backup's seq.
    pub seq: u32,
}

/// The copies of one volume's lineage into one destination region and account.
#[derive(Clone, Debug)]
pub struct DestChain {
    /// Destination region.
    pub region: RegionId,
    /// Destination account.
    pub account: AccountId,
    /// Copies in the order they started, from the oldest one a rule may still read: the last
    /// that completed, every AVAILABLE one, and all after (older ones are dropped).
    pub started: std::collections::VecDeque<Listed>,
    /// The last copy that completed its transfer.
    pub last_ok: Option<CopyId>,
    /// The highest backup seq among started copies (0: none).
    pub max_seq_started: u32,
    /// Copies still moving that left `started` (older than the last completed one): while any
    /// is, no copy here settles, so none of this lineage's results can arrive behind a settled one.
    pub unlisted_in_flight: u32,
    /// Pruning has passed an AVAILABLE copy here (settled or pinned): see `World::prune_started`.
    pub passed_available: bool,
    /// The first copy of `started` is AVAILABLE and pruning stopped there: where AVAILABLE copies
    /// never leave the list, pruning has nothing to do until it is no longer AVAILABLE
    /// ([`World::left_available`](super::World::left_available) clears it) or leaves the list.
    pub front_available: bool,
}

impl Volume {
    /// The destination chain for `(region, account)`, if any copy was ever started there.
    pub fn dest(&self, region: RegionId, account: AccountId) -> Option<&DestChain> {
        self.dests.iter().find(|d| d.region == region && d.account == account)
    }

    /// The destination chain for `(region, account)`, mutably, if any copy was ever started there.
    pub fn dest_if_any_mut(&mut self, region: RegionId, account: AccountId) -> Option<&mut DestChain> {
        self.dests.iter_mut().find(|d| d.region == region && d.account == account)
    }

    /// The destination chain for `(region, account)`, created on first use.
    pub fn dest_mut(&mut self, region: RegionId, account: AccountId) -> &mut DestChain {
        match self.dests.iter().position(|d| d.region == region && d.account == account) {
            Some(i) => &mut self.dests[i],
            None => {
                self.dests.push(DestChain {
                    region,
                    account,
                    started: Default::default(),
                    last_ok: None,
                    max_seq_started: 0,
                    unlisted_in_flight: 0,
                    passed_available: false,
                    front_available: false,
                });
                self.dests.last_mut().expect("just pushed")
            }
        }
    }

    /// The source backup with sequence number `seq` (1-based).
    pub fn backup_seq(&self, seq: u32) -> Option<BackupId> {
        self.chain.get(seq)
    }
}
