//! Per-provider model parameters — figures the documents give, or assumptions documented in `docs/model.md` — all overridable per scenario.

use crate::kernel::SimDuration;

/// The scope a provider's concurrent-copy quota counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaScope {
    /// Per account (tenancy) and *source* region (OCI).
    AccountSourceRegion,
    /// Per account and *destination* region (FSx, EBS).
    AccountDestRegion,
    /// No documented quota.
    None,
}

/// Model parameters of one provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProviderParams {
    /// Concurrent copies allowed per quota scope (0: unlimited).
    pub copy_concurrency: u32,
    /// What the quota counts per.
    pub quota_scope: QuotaScope,
    /// Throughput cap of one copy.
    pub copy_cap_bytes_per_s: u64,
    /// Bandwidth of a link the scenario does not declare.
    pub link_bandwidth_bytes_per_s: u64,
    /// Latency of a link the scenario does not declare.
    pub link_latency: SimDuration,
    /// Rate at which a new backup's changed data is uploaded (CREATING → AVAILABLE).
    pub backup_upload_bytes_per_s: u64,
    /// Fixed time to take a backup, before the upload.
    pub backup_base_duration: SimDuration,
    /// Time from AVAILABLE to STABLE.
    pub stable_delay: SimDuration,
    /// Time a deleted copy spends TERMINATING before TERMINATED.
    pub terminate_delay: SimDuration,
    /// FSx: how long after a copy completes its source still cannot be deleted.
    pub source_delete_delay: SimDuration,
    /// Time to create a volume from a backup (without fast restore).
    pub restore_base_duration: SimDuration,
    /// Lazy hydration: how fast a restored volume's data arrives when nothing provisions it.
    pub hydration_bytes_per_s: u64,
    /// A provisioned initialization rate (EBS: 100–300 MiB/s), used instead of lazy hydration.
    pub initialization_bytes_per_s: Option<u64>,
    /// Restores at once per DR region (0: unlimited).
    pub restore_concurrency: u32,
    /// Retention does not delete a source backup while a copy of it is queued or in flight:
    /// it waits, and deletes it once the copies end (FSx: the document forbids deleting a
    /// backup being copied; the others default to deleting at once).
    pub retention_waits_for_copies: bool,
}

/// 10⁶ bytes.
pub const MB: u64 = 1_000_000;
/// 2²⁰ bytes.
pub const MIB: u64 = 1_048_576;

impl ProviderParams {
    /// The defaults every provider starts from; a provider's own defaults
    /// (`CopyRules::default_params`) change what its documents or public figures fix.
    pub const fn base() -> Self {
        ProviderParams {
            copy_concurrency: 0,
            quota_scope: QuotaScope::None,
            copy_cap_bytes_per_s: 100 * MB,
            link_bandwidth_bytes_per_s: 1_250 * MB, // 10 Gbps
            link_latency: SimDuration::ZERO,
            backup_upload_bytes_per_s: 200 * MB,
            backup_base_duration: SimDuration::from_mins(1),
            stable_delay: SimDuration::ZERO,
            terminate_delay: SimDuration::ZERO,
            source_delete_delay: SimDuration::ZERO,
            restore_base_duration: SimDuration::from_mins(2),
            hydration_bytes_per_s: 64 * MIB,
            initialization_bytes_per_s: None,
            restore_concurrency: 0,
            retention_waits_for_copies: false,
        }
    }
}
