//! The names reports print: regions, accounts, volumes, keys, instances, plans — fixed before
//! the run starts, so observers never need to look into the engine's world.

use crate::kernel::SimTime;
use crate::model::{AccountId, DeletedBy, KeyId, RegionId, VolumeId, World};
use crate::scenario::Scenario;

/// The scenario's names and start instant.
#[derive(Clone, Debug)]
pub struct Catalog {
    world: World,
    schedules: Vec<String>,
    /// Simulated time zero.
    pub start: jiff::Timestamp,
}

impl Catalog {
    /// The names of `s` (its initial world holds no backups, so this is small).
    pub fn new(s: &Scenario) -> Self {
        let mut world = s.world.clone();
        world.backups = Default::default();
        world.copies = Default::default();
        Self { world, schedules: s.schedules.iter().map(|x| x.name.clone()).collect(), start: s.start }
    }

    /// The initial world (names, providers, sizes).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// A volume's name.
    pub fn volume(&self, v: VolumeId) -> &str {
        &self.world.volume(v).name
    }

    /// An account's name.
    pub fn account(&self, a: AccountId) -> &str {
        &self.world.account(a).name
    }

    /// A region's name.
    pub fn region(&self, r: RegionId) -> &str {
        &self.world.region(r).name
    }

    /// The provider name of a region.
    pub fn provider(&self, r: RegionId) -> &'static str {
        self.world.region(r).provider.name()
    }

    /// A key's name.
    pub fn key(&self, k: KeyId) -> &str {
        &self.world.key(k).name
    }

    /// An instance's name.
    pub fn instance(&self, i: u32) -> &str {
        &self.world.instances[i as usize].name
    }

    /// A schedule's or plan's name.
    pub fn schedule(&self, i: u32) -> &str {
        &self.schedules[i as usize]
    }

    /// An RFC 3339 timestamp.
    pub fn ts(&self, t: SimTime) -> String {
        crate::report::timestamp(self.start, t)
    }

    /// An optional timestamp, empty when `None`.
    pub fn opt_ts(&self, t: Option<SimTime>) -> String {
        t.map(|t| self.ts(t)).unwrap_or_default()
    }

    /// Who deleted a backup: `manual`, `retention:<plan>:<age|count>`,
    /// `remote_retention:<plan>:<age|count>`, `base_copy_failed`.
    pub fn deleted_by(&self, d: DeletedBy) -> String {
        match d {
            DeletedBy::Manual => "manual".to_string(),
            DeletedBy::BaseCopyFailed => "base_copy_failed".to_string(),
            DeletedBy::Retention { schedule, rule } => format!("retention:{}:{}", self.schedule(schedule), rule.name()),
            DeletedBy::RemoteRetention { schedule, rule } => {
                format!("remote_retention:{}:{}", self.schedule(schedule), rule.name())
            }
        }
    }
}
