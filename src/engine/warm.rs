//! `warm_start`: every scheduled volume starts as if its schedules had been running for long
//! enough. Each volume gets the backups of the runs before the start that its schedule's
//! retention holds in the steady state (the oldest full, the others its changes, STABLE), and
//! every copy target of its schedule the copies its retention holds (AVAILABLE, trigger
//! `warm`), so the first scheduled copies are incremental and storage and RPO start at the
//! steady state's. What is laid down is worked out by [`warm_fill`]; what is assumed is in
//! `docs/model.md`.

use super::{Engine, Event, set_key};
use crate::kernel::Stamp;
use crate::kernel::{Scheduler, SimTime};
use crate::model::retention::RetentionRule;
use crate::model::{
    AccountId, BackupId, BackupState, Copy, CopyId, CopyKind, DeletedBy, Reason, RegionId, Trigger, VolumeId,
};
use crate::record::Record;
use crate::scenario::Scenario;
use crate::scenario::warm_fill::{WARM_COPY_LANDED_MS, warm_fill};
use std::collections::BTreeSet;

impl Engine<'_> {
    /// Lays down the warm state at time 0, before any event: per volume, the backups of the
    /// runs before the start its first schedule's retention holds in the steady state, and per
    /// copy target the copies its retention holds ([`warm_fill`]), oldest first across the
    /// fleet, as they were made. A volume with a backup ceiling (IBM) gets at most that many.
    /// The backups laid down only for a target that keeps its copies longer than the source
    /// keeps backups were deleted by the source's retention before the start in the steady
    /// state: they are deleted at the start, before any event, whatever the first run's time.
    pub(super) fn warm(&mut self, scenario: &Scenario, sched: &mut Scheduler<Event>) {
        // Source backups the steady state no longer holds, with the schedule and rule that deleted them.
        let mut gone: Vec<(BackupId, u32, RetentionRule)> = Vec::new();
        // Per volume, its newest warm backup and how long before the start its run was.
        let mut newest: Vec<Option<(BackupId, u64)>> = vec![None; self.world.volumes.len()];
        let mut claimed: BTreeSet<(VolumeId, RegionId, AccountId)> = BTreeSet::new();
        for (s, schedule) in scenario.schedules.iter().enumerate().filter(|(_, s)| s.enabled) {
            let fill = warm_fill(schedule, scenario.start);
            let n = fill.backups();
            // The volumes this schedule's runs make warm (not already by an earlier schedule):
            // their chains, oldest first.
            let fresh: Vec<(usize, VolumeId)> =
                schedule.volumes.iter().copied().enumerate().filter(|&(_, v)| newest[v.index()].is_none()).collect();
            // A volume never holds more backups than its ceiling ("If you exceed the limit, no
            // further backups are taken"): its newest runs up to it, when its own retention
            // holds more. The runs laid down only for its targets are deleted at the start (by
            // `gone` below): under a retention within the ceiling it is never reached, and every
            // run is taken and copied, so the targets get all their runs.
            let laid: Vec<usize> = fresh
                .iter()
                .map(|&(_, v)| {
                    crate::providers::backup_ceiling(&self.world, v)
                        .map_or(n, |c| if fill.source <= c as usize { n } else { c as usize })
                })
                .collect();
            let mut chains: Vec<Vec<BackupId>> = laid.iter().map(|&m| Vec::with_capacity(m)).collect();
            for k in (0..n).rev() {
                let since_previous_ms = fill.runs_ms.get(k + 1).map(|&older| older - fill.runs_ms[k]);
                for (j, &(pos, v)) in fresh.iter().enumerate() {
                    if k < laid[j] {
                        chains[j].push(self.warm_backup(s as u32, pos, v, fill.runs_ms[k], since_previous_ms));
                    }
                }
            }
            for (j, &(_, v)) in fresh.iter().enumerate() {
                // The first scheduled backup captures the changes since the newest run.
                self.world.volumes[v.index()].carried_ms = fill.runs_ms[0];
                newest[v.index()] = chains[j].last().map(|&b| (b, fill.runs_ms[0]));
                // Older than the source keeps: there for its targets' copies only.
                if let Some(r) = schedule.retention {
                    let extra = chains[j].len().saturating_sub(fill.source);
                    for (i, &b) in chains[j][..extra].iter().enumerate() {
                        let since_newest_ms = fill.runs_ms[chains[j].len() - 1 - i] - fill.runs_ms[0];
                        let aged = r.max_age.is_some_and(|a| since_newest_ms >= a.as_ms());
                        gone.push((b, s as u32, if aged { RetentionRule::Age } else { RetentionRule::Count }));
                    }
                }
            }
            // Per position in the schedule, its chain in `chains` if this schedule made it warm.
            let mut made: Vec<Option<usize>> = vec![None; schedule.volumes.len()];
            for (j, &(pos, _)) in fresh.iter().enumerate() {
                made[pos] = Some(j);
            }
            for t in 0..schedule.targets.len() {
                let target = &schedule.targets[t];
                // Each volume's copies in one destination and account come from the first
                // schedule whose copies there are laid down: two schedules copying to the same
                // place share them (one whose copies its provider refuses leaves it to the next).
                let places: Vec<(VolumeId, RegionId, AccountId)> = schedule
                    .volumes
                    .iter()
                    .map(|&v| {
                        let owner = newest[v.index()].map(|(b, _)| self.world.backup(b).account);
                        (v, target.region, target.account.or(owner).unwrap_or(self.world.volume(v).account))
                    })
                    .collect();
                let claims: Vec<bool> = places.iter().map(|p| !claimed.contains(p)).collect();
                let mut laid_here = vec![false; places.len()];
                for k in (0..fill.targets[t]).rev() {
                    for (pos, &v) in schedule.volumes.iter().enumerate() {
                        if !claims[pos] {
                            continue;
                        }
                        let made_here = made[pos];
                        let (b, before_ms) = match made_here {
                            Some(j) if k < chains[j].len() => (chains[j][chains[j].len() - 1 - k], fill.runs_ms[k]),
                            Some(_) => continue,
                            // Warm by an earlier schedule: a copy of its newest backup alone,
                            // which stands for this schedule's run too (shared as its backups are).
                            None if k == 0 => match newest[v.index()] {
                                Some(newest) => {
                                    if let Some(list) = &self.share_lists[s] {
                                        self.world.share_list(newest.0, list);
                                    }
                                    newest
                                }
                                None => continue,
                            },
                            None => continue,
                        };
                        let first = match made_here {
                            Some(j) => k + 1 == fill.targets[t].min(chains[j].len()),
                            None => true,
                        };
                        laid_here[pos] |= self.warm_copy(s as u32, t, v, b, before_ms, first);
                    }
                }
                claimed.extend(places.into_iter().zip(laid_here).filter_map(|(p, laid)| laid.then_some(p)));
            }
        }
        for (b, schedule, rule) in gone {
            self.delete_now(b, DeletedBy::Retention { schedule, rule }, SimTime::ZERO, sched);
        }
    }

    /// A warm backup of volume `v`, at position `pos` of schedule `s`, standing for one taken
    /// `stands_for_ms` before the start, `since_previous_ms` after the warm backup before it
    /// (`None`: the first, full).
    fn warm_backup(
        &mut self,
        s: u32,
        pos: usize,
        v: VolumeId,
        stands_for_ms: u64,
        since_previous_ms: Option<u64>,
    ) -> BackupId {
        let now = SimTime::ZERO;
        if let Some(ms) = since_previous_ms {
            self.world.volumes[v.index()].carried_ms = ms;
        }
        let b = self.world.take_backup(v, now);
        self.live_source[v.index()] += 1;
        let backup = &mut self.world.backups[b.index()];
        backup.state = BackupState::Stable;
        (backup.available_at, backup.stable_at) = (now.into(), now.into());
        backup.schedule = (Some(s)).into();
        backup.consistency_group = (self.schedules[s as usize].groups.get(pos).copied().flatten()).into();
        // Shared as each of the schedule's backups is (EBS create-volume permission).
        if let Some(list) = &self.share_lists[s as usize] {
            self.world.share_list(b, list);
        }
        let backup = &self.world.backups[b.index()];
        self.rec.record(now, &Record::WarmBackup { backup, stands_for_ms_before_start: stands_for_ms });
        if self.schedules[s as usize].retention.is_some() {
            self.kept.taken_before_start((s, v), pos, b, stands_for_ms);
        }
        b
    }

    /// The warm copy of backup `b` (of volume `v`) in target `t` of schedule `s`: AVAILABLE
    /// from the start, under that target's retention, reported as that schedule's. Its backup
    /// stands for a run `before_ms` before the start; remote age retention ages a copy from its
    /// completion, which in the steady state comes after that run, so the copy ages from
    /// [`WARM_COPY_LANDED_MS`] after it. The `first` copy in its destination is full; each
    /// later one is what the provider's rules make of it over the one before.
    /// Whether it was laid down.
    fn warm_copy(&mut self, s: u32, t: usize, v: VolumeId, b: BackupId, before_ms: u64, first: bool) -> bool {
        let now = SimTime::ZERO;
        let target = self.schedules[s as usize].targets[t].clone();
        let src = self.world.backup(b);
        let key = self.key_overrides.get(&(v, target.region)).copied().unwrap_or(target.key);
        let account = target.account.unwrap_or(src.account);
        let (region, seq, full) = (src.region, src.seq, src.full_bytes);
        let mut copy = Copy::request(CopyId(0), b, v, seq, account, region, target.region, Trigger::Warm, now);
        set_key(&mut copy, key);
        // A copy its provider refuses or fails (EBS: a key the copying account may not use) was
        // never made: the steady state holds none there.
        let rules = crate::providers::rules(self.world.provider_of(&copy));
        if crate::planner::admission(&self.world, &copy).is_err() || rules.start_failure(&self.world, &copy).is_some() {
            return false;
        }
        let c = self.world.push_copy(copy);
        if first {
            self.world.start_copy(c, CopyKind::Full, Reason::FirstCopy, full, now);
        } else {
            let d = rules.decide_kind(&self.world, self.world.copy(c));
            self.world.start_copy(c, d.kind, d.reason, d.bytes, now);
            self.world.copies[c.index()].base = d.base.into();
        }
        let keeps_tags = rules.copies_tags();
        let key = crate::providers::result_key(&self.world, self.world.copy(c));
        let Some(dest) = self.world.end_copy(c, now, None, keeps_tags, key) else { return true };
        // It completed before the start (in the steady state, just after its run): no "short
        // delay" after it holds the source's deletion at the start (FSx).
        self.world.backups[b.index()].last_copy_completed_at = Stamp::NONE;
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
        true
    }
}
