//! Timed scenario actions: the engine dispatches each to its definition's effect
//! ([`crate::scenario::actions`]), through the few operations [`Effects`] lets an action ask of
//! the engine, and records what came of it.

use super::{ActionRecord, Disk, Engine, Event, Outcome, set_key};
use crate::kernel::{Scheduler, SimTime};
use crate::model::{AccountId, BackupId, Copy, CopyId, DeletedBy, ProviderError, RegionId, VolumeId, World};
use crate::record::Record;
use crate::scenario::KeyChoice;
use crate::scenario::actions::Effects;

impl Engine<'_> {
    pub(super) fn on_action(&mut self, i: usize, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let action = self.actions[i].clone();
        let mut cx = Cx { engine: self, sched };
        let target = action.kind.target(&cx);
        let (outcome, detail) = match action.kind.apply(&mut cx) {
            Ok(d) => (Outcome::Ok, d),
            Err(e) => (Outcome::Rejected, e),
        };
        let record = ActionRecord { at: now, action: action.name, target, outcome, detail };
        self.rec.record(now, &Record::Action { action: &record });
    }
}

/// The engine as an action sees it.
struct Cx<'a, 'o> {
    engine: &'a mut Engine<'o>,
    sched: &'a mut Scheduler<Event>,
}

impl Effects for Cx<'_, '_> {
    fn now(&self) -> SimTime {
        self.sched.now()
    }

    fn world(&self) -> &World {
        &self.engine.world
    }

    fn world_mut(&mut self) -> &mut World {
        &mut self.engine.world
    }

    fn take_backup(&mut self, volume: VolumeId) -> BackupId {
        let b = self.engine.take_backup(volume, self.sched.now(), self.sched);
        self.engine.record_taken(b);
        b
    }

    fn request_copy(&mut self, mut copy: Copy, key: KeyChoice) -> CopyId {
        set_key(&mut copy, key);
        let id = self.engine.world.push_copy(copy);
        self.engine.planner.submit(id);
        id
    }

    fn delete_backup(&mut self, b: BackupId) -> usize {
        self.engine.delete_now(b, DeletedBy::Manual, self.sched.now(), self.sched)
    }

    fn set_copy_key(&mut self, volume: VolumeId, region: RegionId, key: KeyChoice) {
        self.engine.key_overrides.insert((volume, region), key);
    }

    fn record_started(&mut self, c: CopyId) {
        self.engine.record_started(c);
    }

    fn close_copy(&mut self, c: CopyId) {
        self.engine.close_copy(c);
    }

    fn fail_in_flight(&mut self, error: &ProviderError, pick: &dyn Fn(&Copy) -> bool) -> usize {
        self.engine.fail_in_flight(self.sched.now(), error, self.sched, pick)
    }

    fn region_outage(
        &mut self,
        region: RegionId,
        until: SimTime,
        error: &ProviderError,
        pick: &dyn Fn(&Copy) -> bool,
    ) -> usize {
        let (e, now) = (&mut *self.engine, self.sched.now());
        e.outages.go_down(&mut e.world, region, until);
        let n = e.fail_in_flight(now, error, self.sched, pick);
        self.sched.at(until, Event::RegionUp(region));
        e.rec.record(now, &Record::RegionOutage { region });
        n
    }

    fn restore_disk(&mut self, volume: VolumeId, seq: u32, account: AccountId, region: RegionId) -> usize {
        self.engine.disks.push(Disk { volume, seq, account, region, at: self.sched.now() });
        self.engine.disks.len()
    }

    fn plan_name(&self, i: u32) -> &str {
        &self.engine.schedules[i as usize].name
    }

    fn plan_deleted(&self, i: u32) -> bool {
        self.engine.deleted[i as usize]
    }

    fn stop_plan(&mut self, i: u32, delete: bool) {
        self.engine.active[i as usize] = false;
        self.engine.deleted[i as usize] |= delete;
    }

    fn start_plan(&mut self, i: u32) {
        self.engine.active[i as usize] = true;
        if !self.engine.tick_pending[i as usize] {
            self.engine.schedule_next(i, self.sched.now(), self.sched);
        }
    }
}
