//! The engine: the kernel's event handler. It turns scenario schedules and actions into model
//! facts, feeds them to the planner, applies the planner's decisions to the world, and moves
//! copy data over links — the only place where model, planner and kernel meet.

mod actions;
mod closing;
pub mod deletions;
pub mod keep;
pub mod outages;
mod plans;
pub mod restore;
pub mod settle;
pub mod transfers;
mod warm;
pub mod window;

pub use plans::PlanStats;

use crate::kernel::Stamp;
use std::collections::BTreeMap;

use crate::kernel::rng::Stream;
use crate::kernel::{Handler, RngStreams, RunError, RunStats, Scheduler, SimDuration, SimTime, Simulation};
use crate::model::copy::waited;
use crate::model::{
    AccountId, BackupId, BackupState, Behind, Copy, CopyId, CopyState, LinkId, ProviderError, RegionId, Trigger,
    VolumeId, World,
};
use crate::planner::{Decision, Planner};
use crate::providers::rules;
use crate::record::{Observer, Record};
use crate::scenario::{Action, KeyChoice, Scenario, Schedule};

/// A simulation event: small and `Copy`; payloads are ids into the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Schedule `n` takes its backups.
    ScheduleTick(u32),
    /// A backup finished uploading.
    BackupAvailable(BackupId),
    /// A backup became stable.
    BackupStable(BackupId),
    /// A link's next transfer completion (stale if `wake` is old).
    LinkWake {
        /// The link.
        link: LinkId,
        /// The wake generation it was scheduled under.
        wake: u64,
    },
    /// A copy's last byte arrived after the link latency.
    CopyArrived(CopyId),
    /// A deleted copy finished TERMINATING.
    CopyTerminated(CopyId),
    /// Scenario action `n`.
    Action(u32),
    /// Retry a deletion that had to wait (FSx: the backup was being copied).
    RetryDelete(BackupId),
    /// A region's outage may be over.
    RegionUp(RegionId),
}

/// Whether a timed action took effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It happened.
    Ok,
    /// The provider (or the state of the world) refused it.
    Rejected,
}

/// One timed action and what came of it.
#[derive(Clone, Debug)]
pub struct ActionRecord {
    /// When.
    pub at: SimTime,
    /// The action's name.
    pub action: &'static str,
    /// What it acted on.
    pub target: String,
    /// Ok or rejected.
    pub outcome: Outcome,
    /// Details or the provider-style error.
    pub detail: String,
}

/// A disk restored from a backup (it outlives the backup).
#[derive(Clone, Debug)]
pub struct Disk {
    /// Lineage.
    pub volume: VolumeId,
    /// Backup seq restored.
    pub seq: u32,
    /// Owner.
    pub account: crate::model::AccountId,
    /// Region.
    pub region: RegionId,
    /// When.
    pub at: SimTime,
}

/// Everything a finished run leaves behind (its history went to the observer as records).
pub struct RunOutput {
    /// The final world.
    pub world: World,
    /// The planner (its gates hold quota statistics).
    pub planner: Planner,
    /// Restored disks.
    pub disks: Vec<Disk>,
    /// Plan (in scenario order), quota and link counters over the measurement window (the
    /// whole run without one).
    pub measured: window::Measured,
    /// Kernel counters.
    pub run: RunStats,
}

/// The model side of the simulation; it reports every transition to its observer.
pub struct Engine<'o> {
    rec: &'o mut dyn Observer,
    world: World,
    planner: Planner,
    schedules: Vec<Schedule>,
    /// Per schedule, its `share_with` accounts sorted (none when it shares nothing): one list
    /// every backup it takes is shared with.
    share_lists: Vec<Option<std::sync::Arc<[AccountId]>>>,
    actions: Vec<Action>,
    key_overrides: BTreeMap<(VolumeId, RegionId), KeyChoice>,
    /// Warm copies laid down for a schedule other than their backup's (a volume on several
    /// schedules): the schedule they are reported under.
    warm_owner: BTreeMap<CopyId, u32>,
    faults: Stream,
    copy_failure_ppm: u32,
    /// Copies whose data is on a link (a failed one is skipped when the link pops it).
    transfers: transfers::Transfers,
    /// The copies a link wake-up delivered (a buffer kept between wake-ups).
    arrived: Vec<CopyId>,
    /// Copies and backups that may leave the world at the end of this event.
    to_free: Vec<CopyId>,
    /// A buffer for the copies a destination's list drops (kept: filled once per completed copy).
    pruned: Vec<CopyId>,
    backups_to_free: Vec<BackupId>,
    events: u64,
    chain_ready: Vec<SimTime>,
    outages: outages::Outages,
    disks: Vec<Disk>,
    start: jiff::Timestamp,
    active: Vec<bool>,
    deleted: Vec<bool>,
    tick_pending: Vec<bool>,
    plan_stats: Vec<PlanStats>,
    live_source: Vec<u32>,
    /// What retention keeps track of: the schedules' source backups and remote copies.
    kept: keep::Kept,
    /// Retention's buffers.
    scratch: plans::Scratch,
    /// Deletions that wait (FSx: a backup being copied).
    deletions: deletions::Deletions,
    /// Per schedule: some copy target keeps its remote copies by a retention rule.
    remote_retention: Vec<bool>,
    /// Whether any schedule keeps its remote copies by a retention rule.
    any_remote_retention: bool,
    /// Per schedule: some volume has a backup ceiling (IBM).
    ceilinged: Vec<bool>,
    /// Copies waiting for the copies they build on before they are restore points.
    restore: restore::RestorePoints,
    /// What may leave memory while it still exists.
    settling: settle::Settling,
    /// Source backups to settle once the actions naming them have run, soonest first.
    settle_later: std::collections::BinaryHeap<std::cmp::Reverse<(SimTime, BackupId)>>,
    /// The measurement window, if the scenario has one.
    window: Option<window::Window>,
    /// From when the next event opens or closes the window (`SimTime::MAX`: never).
    window_mark: SimTime,
    /// Hints forced on or off ([`Scenario::hints`]); else each schedule run decides.
    hints: Option<bool>,
}

/// Runs `scenario` to its horizon, reporting to nobody.
pub fn run(scenario: &Scenario) -> Result<RunOutput, RunError> {
    run_with(scenario, &mut crate::record::Discard)
}

/// A schedule's `share_with` as one sorted list without repeats (none when empty).
fn share_list(accounts: &[AccountId]) -> Option<std::sync::Arc<[AccountId]>> {
    let mut sorted = accounts.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    (!sorted.is_empty()).then(|| sorted.into())
}

/// Runs `scenario` to its horizon; `rec` sees every record as it happens, and at the horizon
/// every copy and backup still open is closed, in id order.
pub fn run_with(scenario: &Scenario, rec: &mut dyn Observer) -> Result<RunOutput, RunError> {
    let streams = RngStreams::new(scenario.seed);
    let mut engine = Engine {
        rec,
        world: scenario.world.clone(),
        planner: Planner::new(),
        schedules: scenario.schedules.clone(),
        share_lists: scenario.schedules.iter().map(|s| share_list(&s.share_with)).collect(),
        actions: scenario.actions.clone(),
        key_overrides: BTreeMap::new(),
        warm_owner: BTreeMap::new(),
        faults: streams.stream("faults"),
        copy_failure_ppm: scenario.copy_failure_ppm,
        transfers: transfers::Transfers::default(),
        arrived: Vec::new(),
        to_free: Vec::new(),
        pruned: Vec::new(),
        backups_to_free: Vec::new(),
        events: 0,
        chain_ready: vec![SimTime::ZERO; scenario.world.volumes.len()],
        outages: outages::Outages::new(scenario.world.regions.len()),
        disks: Vec::new(),
        start: scenario.start,
        active: scenario.schedules.iter().map(|s| s.enabled).collect(),
        deleted: vec![false; scenario.schedules.len()],
        tick_pending: vec![false; scenario.schedules.len()],
        plan_stats: vec![PlanStats::default(); scenario.schedules.len()],
        live_source: vec![0; scenario.world.volumes.len()],
        kept: keep::Kept::with_head(scenario.warm_head_ms()),
        scratch: plans::Scratch::default(),
        deletions: deletions::Deletions::default(),
        remote_retention: scenario.schedules.iter().map(|s| s.targets.iter().any(|t| t.retention.is_some())).collect(),
        any_remote_retention: scenario.schedules.iter().any(|s| s.targets.iter().any(|t| t.retention.is_some())),
        ceilinged: scenario
            .schedules
            .iter()
            .map(|s| s.volumes.iter().any(|&v| crate::providers::backup_ceiling(&scenario.world, v).is_some()))
            .collect(),
        restore: restore::RestorePoints::default(),
        settling: settle::Settling::new(scenario),
        settle_later: Default::default(),
        window: scenario.report.window.map(|(from, to)| window::Window::new(from, to)),
        window_mark: SimTime::MAX,
        hints: scenario.hints,
    };
    engine.world.hints = scenario.hints.unwrap_or(false);
    engine.window_mark = engine.window.as_ref().map_or(SimTime::MAX, window::Window::next_mark);
    for (s, schedule) in engine.schedules.iter().enumerate() {
        if schedule.retention.is_some_and(|r| r.max_age.is_some() && r.max_count.is_none()) {
            engine.kept.source_by_age_alone(s as u32);
        }
        for (t, target) in schedule.targets.iter().enumerate() {
            if target.retention.is_some_and(|r| r.max_age.is_some() && r.max_count.is_none()) {
                engine.kept.by_age_alone(s as u32, t as u16);
            }
        }
    }
    let mut sim = Simulation::new(SimTime::ZERO + scenario.horizon, scenario.max_events);
    if scenario.warm_start {
        engine.warm(scenario, sim.scheduler());
        engine.kept.sort_by_age();
    }
    for (i, s) in scenario.schedules.iter().enumerate() {
        if let (true, Some(first)) = (s.enabled, s.timing.first(scenario.start)) {
            sim.scheduler().at(first, Event::ScheduleTick(i as u32));
            engine.tick_pending[i] = true;
        }
    }
    for (i, a) in scenario.actions.iter().enumerate() {
        sim.scheduler().at(a.at, Event::Action(i as u32));
    }
    let run = sim.run(&mut engine)?;
    engine.count_in_flight(SimTime::ZERO + scenario.horizon);
    engine.mark_window(None);
    engine.close_all(SimTime::ZERO + scenario.horizon);
    let measured = match engine.window.take() {
        Some(w) => w.measured(),
        None => window::Measured::now(&engine.plan_stats, &engine.planner, &engine.world),
    };
    Ok(RunOutput { world: engine.world, planner: engine.planner, disks: engine.disks, measured, run })
}

impl Handler<Event> for Engine<'_> {
    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        self.world.now = sched.now();
        if self.world.now >= self.window_mark {
            self.mark_window(Some(self.world.now));
        }
        match event {
            Event::ScheduleTick(i) => self.on_tick(i, sched),
            Event::BackupAvailable(b) => self.on_available(b, sched),
            Event::BackupStable(b) => self.on_stable(b, sched),
            Event::LinkWake { link, wake } => self.on_link_wake(link, wake, sched),
            Event::CopyArrived(c) => self.complete(c, sched.now(), sched),
            Event::CopyTerminated(c) => self.on_terminated(c),
            Event::Action(i) => self.on_action(i as usize, sched),
            Event::RetryDelete(b) => self.on_retry_delete(b, sched.now(), sched),
            Event::RegionUp(r) => {
                if self.outages.maybe_up(&mut self.world, r, sched.now()) {
                    self.planner.region_up(r);
                }
            }
        }
        if self.restore.any_broken() {
            self.fail_broken(sched.now(), sched);
        }
        self.drain(sched);
        schedule_wakes(&mut self.transfers, &mut self.world, sched);
        self.collect();
        self.events += 1;
        if self.events.is_multiple_of(crate::record::TICK_EVENTS) {
            self.rec.tick(self.world.now, self.events);
        }
    }

    /// Once the live state outgrew the caches ([`World::hints`](crate::model::World::hints)).
    fn prefetching(&self) -> bool {
        self.world.hints
    }

    /// A backup becoming available `ahead` events from now: at 3 its record starts loading, at 2
    /// (the record in cache) its volume's lineage-gate index, at 1 the lineage gate itself — what
    /// its copy requests will read first. A link's wake-up: at 3 the copy it will end, if it
    /// still does. For both, at 2 and 1 the observers' entries for the volume (what the copy's
    /// start or end records update). Other events read what is in cache already, or what their
    /// own handlers load ahead.
    fn prefetch(&self, event: &Event, ahead: usize) {
        let volume = match *event {
            Event::BackupAvailable(b) => {
                if ahead >= 3 {
                    self.world.backups.prefetch(b.index());
                    return;
                }
                let Some(backup) = self.world.backups.get(b.index()) else { return };
                self.planner.prefetch_lineage(backup.volume, ahead);
                backup.volume
            }
            Event::LinkWake { link, wake } => {
                let Some(l) = self.world.links.get(link.index()).filter(|l| l.wake_gen == wake) else { return };
                let Some(c) = l.next_to_finish() else { return };
                if ahead >= 3 {
                    self.world.copies.prefetch(c.index());
                    return;
                }
                let Some(copy) = self.world.copies.get(c.index()) else { return };
                copy.volume
            }
            _ => return,
        };
        self.rec.prefetch(volume, ahead as u8);
    }
}

impl Engine<'_> {
    /// Opens or closes the measurement window before an event at `now`, or at the horizon (`None`).
    fn mark_window(&mut self, now: Option<SimTime>) {
        if let Some(w) = &mut self.window {
            w.mark(now, &mut self.plan_stats, &mut self.planner, &mut self.world);
            self.window_mark = w.next_mark();
        }
    }

    /// A deleted copy finished TERMINATING.
    fn on_terminated(&mut self, c: CopyId) {
        let copy = &mut self.world.copies[c.index()];
        if copy.state == CopyState::Terminating {
            copy.state = CopyState::Terminated;
            self.close_copy(c);
        }
    }

    /// Takes a backup of `v` and schedules its upload's end.
    /// (The caller records [`Record::BackupTaken`] once the backup's schedule and group are set.)
    fn take_backup(&mut self, v: VolumeId, now: SimTime, sched: &mut Scheduler<Event>) -> BackupId {
        // With every earlier backup of the volume deleted (a retention count of 1 deletes the
        // previous one before this one is taken) there is nothing to capture changes since:
        // this one holds the whole volume, as the first does (IBM: "When the first backup
        // snapshot is taken, the entire contents of the volume are copied").
        let base_exists = self.live_source[v.index()] > 0;
        let b = self.world.take_backup_over(v, now, base_exists);
        self.live_source[v.index()] += 1;
        let provider = self.world.region(self.world.volume(v).region).provider;
        let p = self.world.params(provider);
        let rate = p.backup_upload_bytes_per_s.max(1);
        // In 64 bits whenever it fits (below 18 PB): a 128-bit division is a library call.
        let upload_ms = match self.world.backup(b).delta_bytes.checked_mul(1_000) {
            Some(milli) => milli / rate,
            None => u64::try_from(u128::from(self.world.backup(b).delta_bytes) * 1_000 / u128::from(rate))
                .unwrap_or(u64::MAX),
        };
        let uploaded = now + p.backup_base_duration + SimDuration(upload_ms);
        // A chain uploads in order: a backup completes no earlier than its predecessor.
        let done = uploaded.max(self.chain_ready[v.index()]);
        self.chain_ready[v.index()] = done;
        sched.at(done, Event::BackupAvailable(b));
        b
    }

    fn on_available(&mut self, b: BackupId, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let Some(backup) = self.world.backups.get_mut(b.index()) else { return }; // deleted and gone
        if backup.state != BackupState::Creating {
            return;
        }
        // World's fields, not its getters: the backup is borrowed from it mutably.
        let provider = self.world.regions[backup.region.index()].provider;
        let stable_delay = self.world.params[provider.index()].stable_delay;
        backup.state = BackupState::Available;
        backup.available_at = Stamp::from(now);
        if stable_delay == SimDuration::ZERO {
            backup.state = BackupState::Stable;
            backup.stable_at = Stamp::from(now);
        }
        self.rec.record(now, &Record::BackupReady { backup });
        if stable_delay == SimDuration::ZERO {
            self.request_scheduled_copies(b, now);
            if self.settling.any() {
                self.backups_to_free.push(b); // settles if no copy is made of it
            }
        } else {
            sched.after(stable_delay, Event::BackupStable(b));
            if rules(provider).source_ready_state() == BackupState::Available {
                self.request_scheduled_copies(b, now);
            }
        }
    }

    fn on_stable(&mut self, b: BackupId, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let Some(backup) = self.world.backups.get(b.index()) else { return }; // deleted and gone
        let provider = self.world.region(backup.region).provider;
        let backup = &mut self.world.backups[b.index()];
        if backup.state != BackupState::Available {
            return;
        }
        backup.state = BackupState::Stable;
        backup.stable_at = Stamp::from(now);
        if rules(provider).source_ready_state() == BackupState::Stable {
            self.request_scheduled_copies(b, now);
        }
        if self.settling.any() {
            self.backups_to_free.push(b); // settles if every copy of it has left
        }
    }

    fn request_scheduled_copies(&mut self, b: BackupId, now: SimTime) {
        let src = self.world.backup(b);
        let Some(s) = src.schedule.get() else { return };
        if !self.active[s as usize] {
            return; // a disabled or deleted plan creates no snapshot any more, copies included
        }
        let (volume, seq, account, region) = (src.volume, src.seq, src.account, src.region);
        for t in 0..self.schedules[s as usize].targets.len() {
            let target = &self.schedules[s as usize].targets[t];
            let key = if self.key_overrides.is_empty() {
                target.key
            } else {
                self.key_overrides.get(&(volume, target.region)).copied().unwrap_or(target.key)
            };
            let mut copy = Copy::request(
                CopyId(0),
                b,
                volume,
                seq,
                target.account.unwrap_or(account),
                region,
                target.region,
                Trigger::Schedule,
                now,
            );
            set_key(&mut copy, key);
            let id = self.world.push_copy(copy);
            self.planner.submit(id);
        }
    }

    /// Applies every decision the planner has.
    fn drain(&mut self, sched: &mut Scheduler<Event>) {
        while !self.planner.idle()
            && let Some(d) = self.planner.poll(&self.world)
        {
            self.apply(d, sched);
        }
    }

    fn apply(&mut self, d: Decision, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        match d {
            Decision::Start { copy, kind, reason, bytes, base } => {
                self.world.start_copy(copy, kind, reason, bytes, now);
                self.world.copies[copy.index()].base = (base).into();
                let base_ready = base.is_some_and(|b| self.world.copy(b).restorable_at.is_some());
                self.restore.started(copy, base, base_ready);
                self.record_started(copy);
                if self.copy_failure_ppm > 0 && self.faults.chance_ppm(self.copy_failure_ppm) {
                    self.world.copies[copy.index()].doomed = true;
                }
                if bytes > 0 {
                    self.transfers.start(&mut self.world, copy, bytes, now);
                } else if !kind.crosses_link() {
                    self.complete(copy, now, sched); // a share, an EBS no-data copy: nothing travels
                } else {
                    // Nothing changed since its base: still a transfer on its link, whose
                    // latency it takes like any other.
                    match self.transfers.pass_empty(&mut self.world, copy) {
                        SimDuration::ZERO => self.complete(copy, now, sched),
                        latency => sched.after(latency, Event::CopyArrived(copy)),
                    }
                }
            }
            Decision::Wait { copy, behind, throttled } => {
                let c = &mut self.world.copies[copy.index()];
                c.state = CopyState::Queued;
                c.behind = Some(behind);
                c.waited |= match behind {
                    Behind::Quota(_) => waited::QUOTA,
                    Behind::Lineage(_) => waited::LINEAGE,
                    Behind::Outage(_) => waited::OUTAGE,
                };
                if throttled {
                    c.throttled_count += 1;
                }
            }
            Decision::Reject { copy, error } => {
                let c = &mut self.world.copies[copy.index()];
                c.state = CopyState::Rejected;
                c.error = Some(Box::new(error));
                let source = c.source;
                self.close_copy(copy);
                if self.deletions.any() {
                    self.maybe_retry_delete(source, now, sched);
                }
            }
            Decision::Fail { copy, kind, reason, error } => {
                self.world.start_copy(copy, kind, reason, 0, now);
                self.record_started(copy);
                self.end_copy(copy, now, Some(error), 0);
            }
        }
    }

    fn on_link_wake(&mut self, link: LinkId, wake: u64, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        let mut arrived = std::mem::take(&mut self.arrived);
        self.transfers.arrived(&mut self.world, link, wake, now, &mut arrived);
        let latency = self.world.links[link.index()].params.latency;
        for &c in &arrived {
            if latency == SimDuration::ZERO {
                self.complete(c, now, sched);
            } else {
                sched.after(latency, Event::CopyArrived(c));
            }
        }
        arrived.clear();
        self.arrived = arrived; // keeps its room for the next wake-up
    }

    /// The copy's data is all there: it becomes AVAILABLE (or FAULTY if doomed) and releases its gates.
    fn complete(&mut self, copy: CopyId, now: SimTime, sched: &mut Scheduler<Event>) {
        let Some(c) = self.world.copies.get(copy.index()) else { return }; // failed and gone
        if c.state != CopyState::Copying {
            return;
        }
        let error = c.doomed.then(|| ProviderError::new("InternalError", "the copy failed (injected failure)"));
        let moved = c.bytes;
        let ok = self.end_copy(copy, now, error, moved);
        self.planner.release(copy);
        self.after_copy_end(copy, ok, now, sched);
    }

    /// Bookkeeping when a copy's transfer ends: remote retention and deletions waiting on it.
    fn after_copy_end(&mut self, copy: CopyId, ok: bool, now: SimTime, sched: &mut Scheduler<Event>) {
        if !self.any_remote_retention && !self.deletions.any() {
            return;
        }
        self.trim_late_points(now, sched);
        let c = self.world.copy(copy);
        let retained = ok
            && c.trigger == Trigger::Schedule
            && self.world.backup(c.source).schedule.get().is_some_and(|s| self.remote_retention[s as usize]);
        let source = c.source;
        if retained {
            self.on_remote_copy_done(copy, now, sched);
        }
        if self.deletions.any() {
            self.maybe_retry_delete(source, now, sched);
        }
    }

    /// Fails every copy in flight that `pick` selects.
    fn fail_in_flight(
        &mut self,
        now: SimTime,
        error: &ProviderError,
        sched: &mut Scheduler<Event>,
        pick: impl Fn(&Copy) -> bool,
    ) -> usize {
        let victims: Vec<CopyId> =
            self.world.copies.iter().filter(|c| c.state == CopyState::Copying && pick(c)).map(|c| c.id).collect();
        for &c in &victims {
            let moved = self.transfers.cancel(&mut self.world, c, now);
            self.end_copy(c, now, Some(error.clone()), moved);
            self.planner.release(c);
            self.after_copy_end(c, false, now, sched);
        }
        victims.len()
    }
}

/// Schedules the wake-ups of the links whose flows changed during the event (once per event:
/// see [`transfers`]).
fn schedule_wakes(transfers: &mut transfers::Transfers, world: &mut World, sched: &mut Scheduler<Event>) {
    transfers.wakes(world, |w| sched.at(w.at, Event::LinkWake { link: w.link, wake: w.wake }));
}

fn set_key(copy: &mut Copy, key: KeyChoice) {
    match key {
        KeyChoice::Keep => {}
        KeyChoice::Key(k) => copy.dest_key = Some(k),
        KeyChoice::Unencrypted => copy.strip_encryption = true,
    }
}
