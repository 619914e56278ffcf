//! Timed scenario actions: each becomes model facts, is checked against the provider rules when it happens, and is logged with its outcome.

use crate::kernel::Stamp;
use super::{ActionRecord, Disk, Engine, Event, Outcome, set_key};
use crate::kernel::{Scheduler, SimTime};
use crate::model::ProviderError;
use crate::model::{
    AccountId, BackupId, Copy, CopyId, CopyKind, CopyState, Origin, Reason, RegionId, Trigger, VolumeId,
};
use crate::providers::{Sharing, rules};
use crate::scenario::ActionKind;

type Result = std::result::Result<String, String>;

impl Engine<'_> {
    pub(super) fn on_action(&mut self, i: usize, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let kind = self.actions[i].kind.clone();
        let target = self.describe(&kind);
        let (outcome, detail) = match self.act(kind, now, sched) {
            Ok(d) => (Outcome::Ok, d),
            Err(e) => (Outcome::Rejected, e),
        };
        let action = self.actions[i].name;
        let record = ActionRecord { at: now, action, target, outcome, detail };
        self.rec.record(now, &crate::record::Record::Action { action: &record });
    }

    /// Carries out one action: what happened, or the refusal.
    fn act(&mut self, kind: ActionKind, now: SimTime, sched: &mut Scheduler<Event>) -> Result {
        match kind {
            ActionKind::Backup { volume } => self.act_backup(volume, now, sched),
            ActionKind::Resize { volume, size_bytes } => {
                self.world.resize_volume(volume, size_bytes);
                Ok(format!("resized to {size_bytes} bytes"))
            }
            ActionKind::Copy { volume, seq, from, to, account, key, group } => {
                self.act_copy(volume, seq, from, to, account, key, group, now)
            }
            ActionKind::DeleteBackup { volume, seq, region } => {
                let region = region.unwrap_or(self.world.volume(volume).region);
                match self.find_backup(volume, seq, region) {
                    Some(b) => self.delete(b, now, sched),
                    None => Err(format!("backup #{seq} does not exist in {}", self.world.region(region).name)),
                }
            }
            ActionKind::DeleteCopy { volume, seq, region, account } => {
                self.act_delete_copy(volume, seq, region, account, now, sched)
            }
            ActionKind::ChangeKey { volume, key, to } => Ok(self.act_change_key(volume, key, to)),
            ActionKind::Share { volume, seq, account, region, public } => {
                self.act_share(volume, seq, account, region, public, now)
            }
            ActionKind::Accept { volume, seq, account, vault } => self.act_accept(volume, seq, account, vault, now),
            ActionKind::Reject { volume, seq, account } => self.act_reject(volume, seq, account),
            ActionKind::GrantKey { key, account } => {
                self.world.keys[key.index()].grants.insert(account);
                Ok("granted".into())
            }
            ActionKind::Restore { volume, seq, account, region } => self.act_restore(volume, seq, account, region, now),
            ActionKind::FailCopy { volume, to } => {
                let error = ProviderError::new("InternalError", "the copy failed (injected at a time)");
                let n = self.fail_in_flight(now, &error, sched, |c| {
                    volume.is_none_or(|v| v == c.volume) && to.is_none_or(|r| r == c.dest_region)
                });
                Ok(format!("{n} copies failed"))
            }
            ActionKind::DisablePlan { schedules } => self.act_plans(false, false, &schedules, now, sched),
            ActionKind::DeletePlan { schedules } => self.act_plans(false, true, &schedules, now, sched),
            ActionKind::EnablePlan { schedules } => self.act_plans(true, false, &schedules, now, sched),
            ActionKind::RegionOutage { region, duration } => Ok(self.act_outage(region, duration, now, sched)),
        }
    }

    fn act_change_key(&mut self, volume: VolumeId, key: crate::scenario::KeyChoice, to: Option<RegionId>) -> String {
        match to {
            Some(r) => {
                self.key_overrides.insert((volume, r), key);
            }
            None => {
                self.world.volumes[volume.index()].key = match key {
                    crate::scenario::KeyChoice::Key(k) => Some(k),
                    _ => None,
                }
            }
        }
        "key changed".into()
    }

    fn act_reject(&mut self, volume: VolumeId, seq: u32, account: AccountId) -> Result {
        let Some(s) = self.pending_share(volume, seq, account) else {
            return Err("no pending share of this backup for this project".into());
        };
        let c = &mut self.world.copies[s.index()];
        c.kind = None;
        c.state = CopyState::Rejected;
        c.error = Some(Box::new(ProviderError::new("BackupService.ShareRejected", "the recipient rejected the share")));
        self.close_copy(s);
        Ok(format!("share {} rejected by the recipient", s.0 + 1))
    }

    fn act_outage(
        &mut self,
        region: RegionId,
        duration: crate::kernel::SimDuration,
        now: SimTime,
        sched: &mut Scheduler<Event>,
    ) -> String {
        let until = now + duration;
        self.outages.go_down(&mut self.world, region, until);
        let error = ProviderError::new("ServiceUnavailable", "region outage");
        let n = self.fail_in_flight(now, &error, sched, |c| c.source_region == region || c.dest_region == region);
        sched.at(until, Event::RegionUp(region));
        self.rec.record(now, &crate::record::Record::RegionOutage { region });
        format!(
            "down for {}; {n} copies in flight failed",
            humantime::format_duration(std::time::Duration::from_millis(duration.as_ms()))
        )
    }

    /// Disables (or, with `delete`, deletes) plans, or enables them again from their next occurrence.
    fn act_plans(
        &mut self,
        enable: bool,
        delete: bool,
        schedules: &[u32],
        now: SimTime,
        sched: &mut Scheduler<Event>,
    ) -> Result {
        if !enable {
            for &i in schedules {
                self.active[i as usize] = false;
                self.deleted[i as usize] |= delete;
            }
            let what = if delete { "deleted; existing backups stay" } else { "stopped" };
            return Ok(format!("{} {what}", self.plan_names(schedules)));
        }
        let enabled: Vec<u32> = schedules.iter().copied().filter(|&i| !self.deleted[i as usize]).collect();
        for &i in &enabled {
            self.active[i as usize] = true;
            if !self.tick_pending[i as usize] {
                self.schedule_next(i, now, sched);
            }
        }
        if enabled.is_empty() {
            Err(format!("{} was deleted and cannot be enabled", self.plan_names(schedules)))
        } else {
            Ok(format!("{} enabled", self.plan_names(&enabled)))
        }
    }

    fn plan_names(&self, schedules: &[u32]) -> String {
        schedules.iter().map(|&i| self.schedules[i as usize].name.as_str()).collect::<Vec<_>>().join(", ")
    }

    fn describe(&self, kind: &ActionKind) -> String {
        let w = &self.world;
        let vol = |v: &VolumeId| w.volume(*v).name.clone();
        match kind {
            ActionKind::Backup { volume }
            | ActionKind::Resize { volume, .. }
            | ActionKind::ChangeKey { volume, .. } => vol(volume),
            ActionKind::Copy { volume, seq, to, .. } => format!("{}#{seq}→{}", vol(volume), w.region(*to).name),
            ActionKind::DeleteBackup { volume, seq, .. }
            | ActionKind::DeleteCopy { volume, seq, .. }
            | ActionKind::Share { volume, seq, .. }
            | ActionKind::Accept { volume, seq, .. }
            | ActionKind::Reject { volume, seq, .. }
            | ActionKind::Restore { volume, seq, .. } => format!("{}#{seq}", vol(volume)),
            ActionKind::GrantKey { key, account } => format!("{}→{}", w.key(*key).name, w.account(*account).name),
            ActionKind::FailCopy { volume, .. } => volume.map(|v| vol(&v)).unwrap_or_else(|| "*".into()),
            ActionKind::RegionOutage { region, .. } => w.region(*region).name.clone(),
            ActionKind::DisablePlan { schedules }
            | ActionKind::EnablePlan { schedules }
            | ActionKind::DeletePlan { schedules } => self.plan_names(schedules),
        }
    }

    fn act_backup(&mut self, volume: VolumeId, now: SimTime, sched: &mut Scheduler<Event>) -> Result {
        let region = self.world.volume(volume).region;
        if self.world.region_down[region.index()] {
            return Err(format!("ServiceUnavailable: {} is out", self.world.region(region).name));
        }
        let b = self.take_backup(volume, now, sched);
        self.record_taken(b);
        Ok(format!("backup #{} taken", self.world.backup(b).seq))
    }

    /// The backup of `volume`'s seq in `region`: the source backup there, or a copy's result there.
    pub(super) fn find_backup(&self, volume: VolumeId, seq: u32, region: RegionId) -> Option<BackupId> {
        let src = self.world.volume(volume).backup_seq(seq)?;
        if self.world.backup(src).region == region {
            return Some(src);
        }
        self.world
            .copies_from(src)
            .filter_map(|c| c.dest_backup)
            .filter(|&b| {
                let bk = self.world.backup(b);
                bk.region == region && bk.exists()
            })
            .last()
    }

    /// Like [`find_backup`](Self::find_backup), among backups one can restore from: a source
    /// backup, or a copy's backup once it is a restore point (see [`super::restore`]).
    fn find_restorable(&self, volume: VolumeId, seq: u32, region: RegionId) -> Option<BackupId> {
        let src = self.world.volume(volume).backup_seq(seq)?;
        if self.world.backup(src).region == region {
            return Some(src);
        }
        self.world
            .copies_from(src)
            .filter(|c| c.restorable_at.is_some())
            .filter_map(|c| c.dest_backup)
            .filter(|&b| {
                let bk = self.world.backup(b);
                bk.region == region && bk.exists()
            })
            .last()
    }

    #[allow(clippy::too_many_arguments)]
    fn act_copy(
        &mut self,
        volume: VolumeId,
        seq: u32,
        from: Option<RegionId>,
        to: RegionId,
        account: Option<AccountId>,
        key: crate::scenario::KeyChoice,
        group: Option<String>,
        now: SimTime,
    ) -> Result {
        let from = from.unwrap_or(self.world.volume(volume).region);
        let Some(b) = self.find_backup(volume, seq, from) else {
            return Err(format!(
                "backup #{seq} of {} does not exist in {}",
                self.world.volume(volume).name,
                self.world.region(from).name
            ));
        };
        let src = self.world.backup(b);
        let mut copy = Copy::request(
            CopyId(0),
            b,
            volume,
            seq,
            account.unwrap_or(src.account),
            src.region,
            to,
            Trigger::Manual,
            now,
        );
        set_key(&mut copy, key);
        copy.group = group.map(String::into_boxed_str);
        let id = self.world.push_copy(copy);
        self.planner.submit(id);
        Ok(format!("copy {} requested", id.0 + 1))
    }

    fn delete(&mut self, b: BackupId, now: SimTime, sched: &mut Scheduler<Event>) -> Result {
        let backup = self.world.backup(b);
        if !backup.exists() {
            return Err(format!("backup #{} is already deleted", backup.seq));
        }
        let provider = self.world.region(backup.region).provider;
        rules(provider).check_delete(&self.world, backup, now).map_err(|e| e.to_string())?;
        let shares = self.delete_now(b, crate::model::DeletedBy::Manual, now, sched);
        let cascade =
            if shares == 0 { String::new() } else { format!("; {shares} shares deleted for their recipients") };
        Ok(format!("deleted{cascade}"))
    }

    fn act_delete_copy(
        &mut self,
        volume: VolumeId,
        seq: u32,
        region: RegionId,
        account: Option<AccountId>,
        now: SimTime,
        sched: &mut Scheduler<Event>,
    ) -> Result {
        let account = account.unwrap_or(self.world.volume(volume).account);
        let Some(src) = self.world.volume(volume).backup_seq(seq) else {
            return Err(format!("backup #{seq} does not exist"));
        };
        let copies: Vec<&Copy> = self
            .world
            .copies_from(src)
            .filter(|c| c.dest_region == region && c.account == account && c.kind != Some(CopyKind::Share))
            .collect();
        if let Some(c) = copies.iter().rev().find(|c| c.is_available()) {
            let b = c.dest_backup.expect("available copies have a backup");
            return self.delete(b, now, sched);
        }
        match copies.last() {
            Some(c) if matches!(c.state, CopyState::Pending | CopyState::Queued | CopyState::Copying) => {
                Err(format!("copy {} is {}; it cannot be deleted until it completes", c.id.0 + 1, c.state.name()))
            }
            _ => Err(format!("no copy of backup #{seq} exists in {}", self.world.region(region).name)),
        }
    }

    fn act_share(
        &mut self,
        volume: VolumeId,
        seq: u32,
        account: Option<AccountId>,
        region: Option<RegionId>,
        public: bool,
        now: SimTime,
    ) -> Result {
        let Some(b) = self.world.volume(volume).backup_seq(seq) else {
            return Err(format!("backup #{seq} does not exist yet"));
        };
        let backup = self.world.backup(b);
        let provider = self.world.region(backup.region).provider;
        match rules(provider).sharing() {
            Sharing::Accepted => {
                let Some(project) = account else {
                    return Err("a CBR share names the recipient project (`account`)".into());
                };
                let region = region.unwrap_or(backup.region);
                let mut share =
                    Copy::request(CopyId(0), b, volume, seq, project, backup.region, region, Trigger::Manual, now);
                let check = rules(provider).check_share(&self.world, b, project, region);
                match &check {
                    Ok(()) => share.kind = Some(CopyKind::Share), // its reason comes with acceptance
                    Err(e) => {
                        share.state = CopyState::Rejected;
                        share.error = Some(Box::new(e.clone()));
                    }
                }
                let id = self.world.push_copy(share);
                if check.is_err() {
                    self.close_copy(id);
                }
                check.map(|()| format!("share {} pending acceptance", id.0 + 1)).map_err(|e| e.to_string())
            }
            Sharing::Permission => {
                let bk = &mut self.world.backups[b.index()];
                if public {
                    bk.share(None, true);
                    Ok("snapshot made public".into())
                } else if let Some(a) = account {
                    bk.share(Some(a), false);
                    Ok("create-volume permission added".into())
                } else {
                    Err("an EBS share names an account or sets public = true".into())
                }
            }
            Sharing::Unsupported => {
                Err(format!("UnsupportedOperation: sharing is not part of {}'s copy model", provider.name()))
            }
        }
    }

    fn pending_share(&self, volume: VolumeId, seq: u32, account: AccountId) -> Option<CopyId> {
        let b = self.world.volume(volume).backup_seq(seq)?;
        self.world
            .copies_from(b)
            .find(|c| c.kind == Some(CopyKind::Share) && c.account == account && c.state == CopyState::Pending)
            .map(|c| c.id)
    }

    fn act_accept(
        &mut self,
        volume: VolumeId,
        seq: u32,
        account: AccountId,
        vault: Option<usize>,
        now: SimTime,
    ) -> Result {
        let Some(s) = self.pending_share(volume, seq, account) else {
            return Err("no pending share of this backup for this project".into());
        };
        let provider = self.world.provider_of(self.world.copy(s));
        let check = rules(provider).check_accept(&self.world, self.world.copy(s), vault);
        let full = self.world.backup(self.world.copy(s).source).full_bytes;
        let c = &mut self.world.copies[s.index()];
        match check {
            Ok(()) => {
                c.started_at = Stamp::from(now);
                c.finished_at = Stamp::from(now);
                c.reason = Reason::Shared;
                c.state = CopyState::Available;
                c.restorable_at = Stamp::from(now); // a share moves nothing: the recipient restores from the source
                let (copy, source) =
                    (&self.world.copies[s.index()], self.world.backup(self.world.copies[s.index()].source));
                self.rec.record(now, &crate::record::Record::CopyStarted { copy, source });
                let v = vault.expect("checked");
                self.world.accounts[account.index()].vaults[v].used_bytes += full;
                Ok(format!("share {} accepted", s.0 + 1))
            }
            Err(e) => {
                // Refused like any other copy request: no start, no finish, no kind or reason.
                c.kind = None;
                c.state = CopyState::Rejected;
                let text = e.to_string();
                c.error = Some(Box::new(e));
                self.close_copy(s);
                Err(text)
            }
        }
    }

    fn act_restore(
        &mut self,
        volume: VolumeId,
        seq: u32,
        account: Option<AccountId>,
        region: Option<RegionId>,
        now: SimTime,
    ) -> Result {
        let vol = self.world.volume(volume);
        let account = account.unwrap_or(vol.account);
        let region = region.unwrap_or(vol.region);
        if self.world.region_down[region.index()] {
            return Err(format!("ServiceUnavailable: {} is out", self.world.region(region).name));
        }
        let Some(src) = vol.backup_seq(seq) else { return Err(format!("backup #{seq} does not exist")) };
        let usable = if account == vol.account {
            self.find_restorable(volume, seq, region)
                .is_some_and(|b| self.world.backup(b).has_reached(crate::model::BackupState::Available))
        } else {
            let b = self.world.backup(src);
            let shared = self
                .world
                .copies_from(src)
                .any(|c| c.kind == Some(CopyKind::Share) && c.account == account && c.is_available())
                || (b.shared_with(account) && b.exists());
            let own_copy = self.find_restorable(volume, seq, region).is_some_and(|x| {
                self.world.backup(x).account == account && matches!(self.world.backup(x).origin, Origin::Copy(_))
            });
            b.region == region && shared || own_copy
        };
        if !usable {
            return Err(format!(
                "no usable backup #{seq} in {} for {}",
                self.world.region(region).name,
                self.world.account(account).name
            ));
        }
        if let Some(k) = self.world.backup(src).key
            && !self.world.key_usable_by(k, account)
        {
            return Err(format!(
                "the backup is encrypted with {}, which {} cannot use",
                self.world.key(k).name,
                self.world.account(account).name
            ));
        }
        self.disks.push(Disk { volume, seq, account, region, at: now });
        Ok(format!("disk {} restored", self.disks.len()))
    }
}
