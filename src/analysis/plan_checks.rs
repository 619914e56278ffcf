//! Invariants of schedules and plans, checked online: retention never deletes by age a backup
//! (or remote copy) younger than the age limit; after a run a volume never holds more of a
//! plan's backups than its count; a plan never backs up a volume twice in one run.

use std::collections::{BTreeMap, BTreeSet};

use crate::kernel::{SimDuration, SimTime};
use crate::model::retention::RetentionRule;
use crate::model::{Backup, BackupId, BackupState, DeletedBy, Origin, VolumeId};
use crate::record::{Observer, Record};
use crate::scenario::Schedule;

/// Per volume: `(schedule, last run it was backed up in, backups held)`. The first inline: most
/// volumes are on one schedule, and every backup taken or deleted updates it (no buffer to fetch).
type Held = smallvec::SmallVec<[(u32, SimTime, i64); 1]>;

/// The online plan checker.
pub struct PlanChecks {
    schedules: Vec<Schedule>,
    volume_names: Vec<String>,
    held: Vec<Held>,
    waiting: BTreeSet<BackupId>,
    /// Warm backups (source and destination) still there, and how long before the start
    /// retention ages them from.
    warm: BTreeMap<BackupId, u64>,
    violations: Vec<String>,
}

impl PlanChecks {
    /// Checks the plans of `s`.
    pub fn new(s: &crate::scenario::Scenario) -> Self {
        Self {
            schedules: s.schedules.clone(),
            volume_names: s.world.volumes.iter().map(|v| v.name.clone()).collect(),
            held: vec![Held::new(); s.world.volumes.len()],
            waiting: BTreeSet::new(),
            warm: BTreeMap::new(),
            violations: Vec::new(),
        }
    }

    /// Starts loading `volume`'s plans held: at stage 2 the list, at 1 its entries.
    pub fn prefetch(&self, volume: VolumeId, stage: u8) {
        let Some(list) = self.held.get(volume.index()) else { return };
        if stage >= 2 {
            crate::kernel::prefetch(list);
        } else if list.spilled()
            && let Some(first) = list.first()
        {
            crate::kernel::prefetch(first);
        }
    }

    fn entry(&mut self, s: u32, v: usize) -> &mut (u32, SimTime, i64) {
        let list = &mut self.held[v];
        let i = match list.iter().position(|e| e.0 == s) {
            Some(i) => i,
            None => {
                list.push((s, SimTime::MAX, 0));
                list.len() - 1
            }
        };
        &mut list[i]
    }

    fn taken(&mut self, b: &Backup) {
        let (Origin::Source, Some(s)) = (b.origin(), b.schedule.get()) else { return };
        let e = self.entry(s, b.volume.index());
        let twice = e.1 == b.created_at;
        e.1 = b.created_at;
        e.2 += 1;
        if twice {
            let name = &self.schedules[s as usize].name;
            self.violations.push(format!("{name} backed up {} twice in one run", self.volume_names[b.volume.index()]));
        }
    }

    /// A deletion was requested: the backup no longer counts as held.
    fn released(&mut self, b: &Backup) {
        if let (Origin::Source, Some(s)) = (b.origin(), b.schedule.get()) {
            self.entry(s, b.volume.index()).2 -= 1;
        }
    }

    fn deleted(&mut self, b: &Backup) {
        if !self.waiting.remove(&b.id) {
            self.released(b);
        }
        let credit_ms = self.warm.remove(&b.id).unwrap_or(0);
        let Some(at) = b.deletion_requested_at.get() else { return };
        // A warm backup or copy ages from the run it stands for, `credit_ms` before the start.
        let at = at + SimDuration(credit_ms);
        match b.deleted_by {
            Some(DeletedBy::Retention { schedule, rule: RetentionRule::Age }) => {
                let age = self.schedules[schedule as usize].retention.and_then(|r| r.max_age);
                if age.is_none_or(|a| at.since(b.created_at) < a) {
                    self.violations
                        .push(format!("backup {} was deleted by age before reaching the age limit", b.id.0 + 1));
                }
            }
            Some(DeletedBy::RemoteRetention { schedule, rule: RetentionRule::Age }) => {
                let Origin::Copy(c) = b.origin() else { return };
                let age = self.schedules[schedule as usize]
                    .targets
                    .iter()
                    .find(|t| t.region == b.region && t.account.is_none_or(|a| a == b.account))
                    .and_then(|t| t.retention)
                    .and_then(|r| r.max_age);
                let born = b.available_at.get().unwrap_or(at);
                if age.is_none_or(|a| at.since(born) < a) {
                    self.violations.push(format!("copy {} was deleted by age before reaching the age limit", c.0 + 1));
                }
            }
            _ => {}
        }
    }

    fn ran(&mut self, s: u32) {
        let Some(count) = self.schedules[s as usize].retention.and_then(|r| r.max_count) else { return };
        for i in 0..self.schedules[s as usize].volumes.len() {
            let v = self.schedules[s as usize].volumes[i].index();
            let held = self.held[v].iter().find(|e| e.0 == s).map_or(0, |e| e.2);
            if held > i64::from(count) {
                let name = &self.schedules[s as usize].name;
                self.violations.push(format!(
                    "after a run of {name}, {} held {held} backups over its count of {count}",
                    self.volume_names[v]
                ));
            }
        }
    }

    /// Every broken invariant.
    pub fn finish(self) -> Vec<String> {
        self.violations
    }
}

impl Observer for PlanChecks {
    fn record(&mut self, _at: SimTime, r: &Record<'_>) {
        match *r {
            Record::BackupTaken { backup } => self.taken(backup),
            Record::WarmBackup { backup, stands_for_ms_before_start } => {
                if let (Origin::Source, Some(s)) = (backup.origin(), backup.schedule.get()) {
                    self.entry(s, backup.volume.index()).2 += 1;
                    self.warm.insert(backup.id, stands_for_ms_before_start);
                }
            }
            Record::WarmCopy { copy, backup, .. } => {
                let credit_ms = self.warm.get(&copy.source).copied().unwrap_or(0);
                self.warm.insert(backup.id, credit_ms);
            }
            Record::DeletionDecided { backup } => {
                self.waiting.insert(backup.id);
                self.released(backup);
            }
            Record::BackupClosed { backup } if backup.state == BackupState::Deleted => self.deleted(backup),
            Record::PlanRan { schedule } => self.ran(schedule),
            _ => {}
        }
    }
}
