//! `warm_start`: every scheduled volume starts as if its schedules had been running for long
//! enough. Each volume gets its newest backup (full, STABLE, standing for one taken a schedule
//! period before the start) and every copy target of its schedule a copy of it (AVAILABLE,
//! trigger `warm`), so the first scheduled copies are incremental. What is assumed is in
//! `docs/model.md`.

use super::{Engine, set_key};
use crate::kernel::SimTime;
use crate::kernel::Stamp;
use crate::model::{BackupState, Copy, CopyId, CopyKind, Reason, Trigger, VolumeId};
use crate::record::Record;
use crate::scenario::{Scenario, Timing};

impl Engine<'_> {
    /// Lays down the warm state at time 0, before any event.
    pub(super) fn warm(&mut self, scenario: &Scenario) {
        let mut done = vec![false; self.world.volumes.len()];
        for (s, schedule) in scenario.schedules.iter().enumerate().filter(|(_, s)| s.enabled) {
            // The warm backup stands one period before the first run (a cron plan: a day).
            let period = match schedule.timing {
                Timing::Every { every, offset } => every.as_ms().saturating_sub(offset.as_ms()),
                _ => 86_400_000,
            };
            for (pos, &v) in schedule.volumes.iter().enumerate() {
                if std::mem::replace(&mut done[v.index()], true) {
                    continue;
                }
                self.warm_volume(s as u32, pos, v, period);
            }
        }
    }

    fn warm_volume(&mut self, s: u32, pos: usize, v: VolumeId, period_ms: u64) {
        let now = SimTime::ZERO;
        let b = self.world.take_backup(v, now);
        self.world.volumes[v.index()].carried_ms = period_ms;
        self.live_source[v.index()] += 1;
        let backup = &mut self.world.backups[b.index()];
        backup.state = BackupState::Stable;
        (backup.available_at, backup.stable_at) = (now.into(), now.into());
        backup.schedule = (Some(s)).into();
        backup.consistency_group = (self.schedules[s as usize].groups.get(pos).copied().flatten()).into();
        self.rec.record(now, &Record::WarmBackup { backup: &self.world.backups[b.index()] });
        if self.schedules[s as usize].retention.is_some() {
            self.kept.taken((s, v), b, now);
        }
        for t in 0..self.schedules[s as usize].targets.len() {
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
            let Some(dest) = self.world.end_copy(c, now, None, keeps_tags) else { continue };
            // Already there when the run starts: a restore point from the first instant.
            self.world.copies[c.index()].restorable_at = Stamp::from(now);
            self.world.backups[dest.index()].set_restore_point();
            let (copy, backup) = (&self.world.copies[c.index()], &self.world.backups[dest.index()]);
            self.rec.record(now, &Record::WarmCopy { copy, backup });
            if target.retention.is_some() {
                self.kept.copied((s, t as u16, v), c, now);
            }
        }
    }
}
