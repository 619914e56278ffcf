//! The world model: regions, links and transfers, accounts, keys, volumes, backup chains and copies — plain data the planner reads and the engine mutates.

pub mod account;
pub mod backup;
pub mod chain;
pub mod copy;
pub mod error;
pub mod iam;
pub mod ids;
pub mod lifecycle;
pub mod link;
pub mod params;
pub mod region;
pub mod retention;
pub mod table;
pub mod volume;
pub mod world;

pub use account::{Account, IamPolicy, Key, Vault};
pub use backup::{Backup, BackupKind, BackupState, DeletedBy, Flags, Origin, Permissions};
pub use copy::{Behind, Copy, CopyKind, CopyState, Reason, Trigger};
pub use error::ProviderError;
pub use ids::{AccountId, BackupId, CopyId, KeyId, LinkId, Maybe, RegionId, VolumeId};
pub use link::{Link, LinkParams};
pub use params::ProviderParams;
pub use region::{Partition, Provider, Region};
pub use volume::{DestChain, Instance, Listed, Volume, VolumeKind};
pub use world::World;
