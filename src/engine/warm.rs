//! `warm_start`: every scheduled volume starts as if its schedules had been running for long
//! enough. Each volume gets its newest backup (full, STABLE, standing for the schedule's
//! run before its first one) and every copy target of its schedule a copy of it (AVAILABLE,
//! trigger `warm`), so the first scheduled copies are incremental. What is assumed is in
//! `docs/model.md`.

use super::{Engine, set_key};
use crate::kernel::SimTime;
use crate::kernel::Stamp;
use crate::model::{AccountId, BackupId, BackupState, Copy, CopyId, CopyKind, Reason, RegionId, Trigger, VolumeId};
use crate::record::Record;
use crate::scenario::Scenario;
use std::collections::BTreeSet;

/// How long after the run its backup stands for a warm copy is taken to have completed, for
/// remote age retention (which ages a copy from its completion): any steady-state copy completes
/// after its backup's run (at least the backup's upload later), so at a run exactly a retention
/// period after that run it is still younger than the limit and stays until the next run. One
/// millisecond, the clock's unit, gives that order for every retention and schedule without
/// guessing how long the copy took; a copy aged from the run itself went one run early (a daily
/// target kept 1 day lost its warm copy at the first run, whose copy was then full on EBS).
const WARM_COPY_LANDED_MS: u64 = 1;

impl Engine<'_> {
    /// Lays down the warm state at time 0, before any event.
    pub(super) fn warm(&mut self, scenario: &Scenario) {
        let mut backups: Vec<Option<BackupId>> = vec![None; self.world.volumes.len()];
        let mut targets: BTreeSet<(VolumeId, RegionId, AccountId)> = BTreeSet::new();
        for (s, schedule) in scenario.schedules.iter().enumerate().filter(|(_, s)| s.enabled) {
            // The warm backup stands for the run before the first one.
            let carried_ms = schedule.timing.previous_before_start_ms(scenario.start);
            for (pos, &v) in schedule.volumes.iter().enumerate() {
                let b = match backups[v.index()] {
                    Some(b) => b,
                    None => *backups[v.index()].insert(self.warm_backup(s as u32, pos, v, carried_ms)),
                };
                // Every schedule's targets hold a copy of it (once per destination and account).
                for t in 0..self.schedules[s].targets.len() {
                    let target = &self.schedules[s].targets[t];
                    let account = target.account.unwrap_or(self.world.backup(b).account);
                    if targets.insert((v, target.region, account)) {
                        self.warm_copy(s as u32, t, v, b, self.world.volumes[v.index()].carried_ms);
                    }
                }
            }
        }
    }

    /// The warm backup of volume `v`, at position `pos` of schedule `s`, standing for one taken
    /// `carried_ms` before the start.
    fn warm_backup(&mut self, s: u32, pos: usize, v: VolumeId, carried_ms: u64) -> BackupId {
        let now = SimTime::ZERO;
        let b = self.world.take_backup(v, now);
        self.world.volumes[v.index()].carried_ms = carried_ms;
        self.live_source[v.index()] += 1;
        let backup = &mut self.world.backups[b.index()];
        backup.state = BackupState::Stable;
        (backup.available_at, backup.stable_at) = (now.into(), now.into());
        backup.schedule = (Some(s)).into();
        backup.consistency_group = (self.schedules[s as usize].groups.get(pos).copied().flatten()).into();
        self.rec.record(now, &Record::WarmBackup { backup: &self.world.backups[b.index()] });
        if self.schedules[s as usize].retention.is_some() {
            self.kept.taken_before_start((s, v), b, carried_ms);
        }
        b
    }

    /// The warm copy of backup `b` (of volume `v`) in target `t` of schedule `s`: AVAILABLE
    /// from the start, under that target's retention, reported as that schedule's. Its backup
    /// stands for a run `before_ms` before the start; remote age retention ages a copy from its
    /// completion, which in the steady state comes after that run, so the copy ages from 1 ms
    /// after it ([`WARM_COPY_LANDED_MS`]).
    fn warm_copy(&mut self, s: u32, t: usize, v: VolumeId, b: BackupId, before_ms: u64) {
        let now = SimTime::ZERO;
        let target = self.schedules[s as usize].targets[t].clone();
        let src = self.world.backup(b);
        let key = self.key_overrides.get(&(v, target.region)).copied().unwrap_or(target.key);
        let account = target.account.unwrap_or(src.account);
        let (region, seq, full) = (src.region, src.seq, src.full_bytes);
        let mut copy = Copy::request(CopyId(0), b, v, seq, account, region, target.region, Trigger::Warm, now);
        set_key(&mut copy, key);
        let c = self.world.push_copy(copy);
        self.world.start_copy(c, CopyKind::Full, Reason::FirstCopy, full, now);
        let keeps_tags = crate::providers::rules(self.world.provider_of(self.world.copy(c))).copies_tags();
        let key = crate::providers::result_key(&self.world, self.world.copy(c));
        let Some(dest) = self.world.end_copy(c, now, None, keeps_tags, key) else { return };
        // Already there when the run starts: a restore point from the first instant.
        self.world.copies[c.index()].restorable_at = Stamp::from(now);
        self.world.backups[dest.index()].set_restore_point();
        let (copy, backup) = (&self.world.copies[c.index()], &self.world.backups[dest.index()]);
        self.rec.record(now, &Record::WarmCopy { copy, backup, stands_for_ms_before_start: before_ms });
        if target.retention.is_some() {
            self.kept.copied_before_start((s, t as u16, v), c, before_ms.saturating_sub(WARM_COPY_LANDED_MS));
        }
        if self.world.backup(b).schedule.get() != Some(s) {
            self.warm_owner.insert(c, s);
        }
    }
}
