//! The raw scenario file, as close to the TOML as possible: every user-typed value keeps its span so errors can point at it.

use serde::Deserialize;
use toml::Spanned;

/// A spanned string.
pub type S = Spanned<String>;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Scenario name; also the output folder's name.
    pub name: S,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Master seed (default 1).
    #[serde(default)]
    pub seed: Option<Spanned<u64>>,
    /// Start instant, RFC 3339 UTC.
    pub start: S,
    /// How long to simulate.
    pub horizon: S,
    /// Event budget guard.
    #[serde(default)]
    pub max_events: Option<Spanned<u64>>,
    /// Start from a fleet that is already protected.
    #[serde(default)]
    pub warm_start: bool,
    /// Per-provider parameter overrides.
    #[serde(default)]
    pub providers: ProvidersFile,
    /// Fault injection.
    #[serde(default)]
    pub faults: FaultsFile,
    /// Regions.
    #[serde(default)]
    pub regions: Vec<RegionFile>,
    /// Links.
    #[serde(default)]
    pub links: Vec<LinkFile>,
    /// Accounts.
    #[serde(default)]
    pub accounts: Vec<AccountFile>,
    /// Keys.
    #[serde(default)]
    pub keys: Vec<KeyFile>,
    /// Volumes one by one.
    #[serde(default)]
    pub volumes: Vec<VolumeFile>,
    /// Generated fleets.
    #[serde(default)]
    pub fleets: Vec<FleetFile>,
    /// Virtual server instances (their attached volumes form consistency groups).
    #[serde(default)]
    pub instances: Vec<InstanceFile>,
    /// Periodic backup schedules with copy targets.
    #[serde(default)]
    pub schedules: Vec<ScheduleFile>,
    /// Backup policies with plans.
    #[serde(default)]
    pub policies: Vec<PolicyFile>,
    /// Timed actions.
    #[serde(default)]
    pub events: Vec<EventFile>,
    /// Cost reporting and price overrides; its presence turns cost reporting on.
    pub cost: Option<Spanned<CostFile>>,
    /// Fast restore kept enabled for some volumes in a region.
    #[serde(default)]
    pub fast_restore: Vec<FastRestoreFile>,
    /// Report settings.
    #[serde(default)]
    pub report: ReportFile,
}

/// `[cost]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostFile {
    /// Price overrides per provider or region.
    #[serde(default)]
    pub prices: Vec<PriceFile>,
    /// Transfer prices per region pair.
    #[serde(default)]
    pub transfer: Vec<PairPriceFile>,
}

/// `[[cost.prices]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceFile {
    /// Provider.
    pub provider: S,
    /// Only this region.
    pub region: Option<S>,
    /// USD per GB-month.
    pub storage_per_gb_month: Option<Spanned<f64>>,
    /// USD per GB.
    pub transfer_per_gb: Option<Spanned<f64>>,
    /// USD per zone-hour.
    pub fast_restore_per_zone_hour: Option<Spanned<f64>>,
}

/// `[[cost.transfer]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairPriceFile {
    /// From.
    pub from: S,
    /// To.
    pub to: S,
    /// USD per GB.
    pub per_gb: Spanned<f64>,
}

/// `[[fast_restore]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FastRestoreFile {
    /// Volumes or fleets.
    pub volumes: Vec<S>,
    /// Region where it is enabled.
    pub region: S,
    /// Zones (default 1).
    pub zones: Option<Spanned<u32>>,
}

/// `[report]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFile {
    /// RPO sampling interval (default 1h).
    pub rpo_resolution: Option<S>,
    /// RPO target.
    pub rpo_target: Option<S>,
    /// Start of the measurement window (a duration from the start).
    pub measure_from: Option<S>,
    /// End of the measurement window (default: the horizon).
    pub measure_to: Option<S>,
}

/// `[providers.<name>]` tables, by provider name (checked against the provider registry when
/// the scenario is built, so a new provider needs no field here).
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct ProvidersFile(pub std::collections::BTreeMap<Spanned<String>, ProviderOverrides>);

/// Overrides of [`ProviderParams`](crate::model::ProviderParams).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderOverrides {
    /// Concurrent copies per quota scope (0: unlimited).
    pub copy_concurrency: Option<Spanned<u32>>,
    /// Per-copy throughput cap.
    pub copy_throughput_cap: Option<S>,
    /// Default link bandwidth.
    pub link_bandwidth: Option<S>,
    /// Default link latency.
    pub link_latency: Option<S>,
    /// Backup upload rate.
    pub backup_upload_rate: Option<S>,
    /// Fixed backup time.
    pub backup_base_duration: Option<S>,
    /// AVAILABLE → STABLE.
    pub stable_delay: Option<S>,
    /// TERMINATING → TERMINATED.
    pub terminate_delay: Option<S>,
    /// FSx source deletion delay after a copy.
    pub source_delete_delay: Option<S>,
    /// Time to create a volume from a backup.
    pub restore_base_duration: Option<S>,
    /// Lazy hydration rate of a restored volume.
    pub hydration_rate: Option<S>,
    /// Provisioned initialization rate (EBS: 100–300 MiB/s).
    pub initialization_rate: Option<S>,
    /// Restores at once per DR region (0: unlimited).
    pub restore_concurrency: Option<Spanned<u32>>,
    /// Retention waits for a source backup's copies before deleting it.
    pub retention_waits_for_copies: Option<bool>,
}

/// `[faults]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsFile {
    /// Probability that a started copy fails ("0.5%").
    pub copy_failure_probability: Option<S>,
}

/// `[[regions]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionFile {
    /// Name.
    pub name: S,
    /// Provider.
    pub provider: S,
    /// Partition.
    pub partition: Option<S>,
    /// Opt-in region.
    pub opt_in: Option<bool>,
    /// Cross-region copies supported here.
    pub cross_region_copy: Option<bool>,
    /// Short code (OCI policies).
    pub code: Option<S>,
}

/// `[[links]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkFile {
    /// From region.
    pub from: S,
    /// To region.
    pub to: S,
    /// Bandwidth.
    pub bandwidth: S,
    /// Latency.
    pub latency: Option<S>,
    /// Per-copy cap on this link.
    pub copy_throughput_cap: Option<S>,
    /// Also declare the reverse link.
    pub bidirectional: Option<bool>,
}

/// `[[accounts]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFile {
    /// Name.
    pub name: S,
    /// AWS Organization.
    pub organization: Option<S>,
    /// Quota override.
    pub copy_concurrency: Option<Spanned<u32>>,
    /// OCI IAM.
    pub iam: Option<IamFile>,
    /// Huawei vaults.
    #[serde(default)]
    pub vaults: Vec<VaultFile>,
    /// EBS encryption by default.
    pub encryption_by_default: Option<Spanned<bool>>,
    /// The customer-managed key chosen as the account's default key (EBS).
    pub default_key: Option<S>,
}

/// `[accounts.iam]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamFile {
    /// Group copies run as.
    pub group: S,
    /// Policy statements.
    pub statements: Vec<S>,
}

/// `[[accounts.vaults]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultFile {
    /// Name.
    pub name: S,
    /// Region.
    pub region: S,
    /// Capacity.
    pub capacity: S,
}

/// `[[keys]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    /// Name.
    pub name: S,
    /// Owner.
    pub account: S,
    /// Region.
    pub region: Option<S>,
    /// Accounts granted use.
    #[serde(default)]
    pub grants: Vec<S>,
    /// Customer-managed (default true).
    pub customer_managed: Option<bool>,
}

/// `[[volumes]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeFile {
    /// Name.
    pub name: S,
    /// Account.
    pub account: S,
    /// Region.
    pub region: S,
    /// block | file.
    pub kind: Option<S>,
    /// Size.
    pub size: S,
    /// Daily change rate.
    pub daily_change: Option<S>,
    /// Key.
    pub key: Option<S>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<S>,
    /// Instance it is attached to.
    pub instance: Option<S>,
    /// The instance's boot volume.
    pub boot: Option<Spanned<bool>>,
    /// IBM generation (1 or 2).
    pub generation: Option<Spanned<u8>>,
    /// A regional (not zonal) file share.
    pub regional: Option<Spanned<bool>>,
}

/// `[[instances]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceFile {
    /// Name.
    pub name: S,
    /// Account.
    pub account: S,
    /// Region.
    pub region: S,
    /// User tags (consistency-group policies match these).
    #[serde(default)]
    pub tags: Vec<S>,
}

/// `[[policies]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// Name.
    pub name: S,
    /// Account.
    pub account: S,
    /// Region.
    pub region: S,
    /// User tags that select its targets.
    pub tags: Vec<S>,
    /// `volumes` (default) or `instances` (consistency groups).
    pub target: Option<S>,
    /// Consistency groups: include the boot volume (default true).
    pub include_boot: Option<bool>,
    /// Up to four plans.
    #[serde(default)]
    pub plans: Vec<PlanFile>,
}

/// `[[policies.plans]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Name.
    pub name: S,
    /// 5-field cron expression in UTC, or daily / weekly / monthly / hourly.
    pub cron: S,
    /// Delete backups this many days old (1–1000, default 30).
    pub retention_days: Option<Spanned<u32>>,
    /// Keep at most this many backups.
    pub retention_count: Option<Spanned<u32>>,
    /// Copy targets.
    #[serde(default)]
    pub copy_to: Vec<TargetFile>,
    /// Whether it runs from the start (default true).
    pub enabled: Option<bool>,
    /// EBS: accounts every backup it takes is shared with (create-volume permission).
    #[serde(default)]
    pub share_with: Vec<S>,
}

/// `[[fleets]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetFile {
    /// Name prefix.
    pub name: S,
    /// How many volumes.
    pub count: Spanned<u32>,
    /// Account.
    pub account: S,
    /// Region.
    pub region: S,
    /// block | file.
    pub kind: Option<S>,
    /// Size, or the lower bound when `size_max` is set.
    pub size: S,
    /// Upper bound of a uniform size.
    pub size_max: Option<S>,
    /// Daily change, or the lower bound.
    pub daily_change: Option<S>,
    /// Upper bound of a uniform daily change.
    pub daily_change_max: Option<S>,
    /// IBM generation (1 or 2).
    pub generation: Option<Spanned<u8>>,
    /// Regional (not zonal) file shares.
    pub regional: Option<Spanned<bool>>,
    /// Key.
    pub key: Option<S>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<S>,
}

/// `[[schedules]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleFile {
    /// Name.
    pub name: S,
    /// Volume or fleet names.
    pub volumes: Vec<S>,
    /// Interval.
    pub every: S,
    /// First backup after start.
    pub offset: Option<S>,
    /// Copy targets.
    #[serde(default)]
    pub copy_to: Vec<TargetFile>,
    /// Delete backups this many days old.
    pub retention_days: Option<Spanned<u32>>,
    /// Keep at most this many backups.
    pub retention_count: Option<Spanned<u32>>,
    /// EBS: accounts every backup it takes is shared with (create-volume permission).
    #[serde(default)]
    pub share_with: Vec<S>,
}

/// A schedule's copy target.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFile {
    /// Destination region.
    pub region: S,
    /// Destination account (default: the volume's).
    pub account: Option<S>,
    /// Destination key, or "none" for unencrypted.
    pub key: Option<S>,
    /// Delete remote copies this many days old.
    pub retention_days: Option<Spanned<u32>>,
    /// Keep at most this many remote copies.
    pub retention_count: Option<Spanned<u32>>,
}

/// `[[events]]`: one timed action; which fields apply depends on `action`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    /// When: an offset from start ("2h") or an RFC 3339 instant.
    pub at: S,
    /// What.
    pub action: S,
    /// Volume.
    pub volume: Option<S>,
    /// Backup seq.
    pub seq: Option<Spanned<u32>>,
    /// Region (of the backup, the vault, the outage...).
    pub region: Option<S>,
    /// Source region of a copy.
    pub from: Option<S>,
    /// Destination region.
    pub to: Option<S>,
    /// Account.
    pub account: Option<S>,
    /// Key.
    pub key: Option<S>,
    /// New size.
    pub size: Option<S>,
    /// Vault.
    pub vault: Option<S>,
    /// Duration.
    pub duration: Option<S>,
    /// OCI IAM group.
    pub group: Option<S>,
    /// EBS: share publicly.
    pub public: Option<bool>,
    /// Policy.
    pub policy: Option<S>,
    /// Plan of the policy.
    pub plan: Option<S>,
}
