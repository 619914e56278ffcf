//! Settling: which backups and copies can leave memory while they still exist.
//!
//! In a run where nothing can delete them any more, a copy superseded in its destination by a
//! newer completed one, the backup it wrote there, and a source backup whose copies have all
//! left, can no longer change and no rule will read them again. The engine *settles* them:
//! their rows are written now, exactly as they would read at the horizon, and they leave the
//! world. A fleet that keeps its backups for the whole run then needs memory for its newest
//! copies only.
//!
//! A volume's backups and copies settle when
//! - its provider's rules read only the newest copies of a destination and the backup being
//!   copied ([`CopyRules::reads_only_newest`](crate::providers::CopyRules::reads_only_newest)),
//! - no retention rule (of a schedule or plan covering it, at the source or a copy target) and
//!   no backup ceiling can delete them,
//! - no timed action still to come may reach them ([`Reach`]): an action naming backup `#seq`
//!   keeps that seq's backups and copies until it has run, a deletion keeps every backup and
//!   copy of its volume (a rule may then read an older copy), one that may reach anything
//!   keeps everything;
//! - and, for a copy, it is AVAILABLE and a restore point (nothing it builds on is pending),
//!   and, for a source backup, it is STABLE and every copy made of it has left.

use rustc_hash::FxHashMap;

use crate::kernel::SimTime;
use crate::model::lifecycle::Leave;
use crate::model::{Backup, BackupState, Copy, CopyState, Origin, VolumeId};
use crate::providers::{backup_ceiling, rules};
use crate::scenario::Scenario;
use crate::scenario::actions::Reach;

/// What may settle, and from when.
#[derive(Debug, Default)]
pub struct Settling {
    /// Per volume: its backups and copies may settle strictly after this instant (`None`: never).
    after: Vec<Option<SimTime>>,
    /// Backups named by timed actions: (volume, seq) → the last such action's instant.
    named: FxHashMap<(VolumeId, u32), SimTime>,
    /// Some volume may settle.
    any: bool,
}

impl Settling {
    /// Works out, from the scenario alone, what may settle in its run.
    pub fn new(scenario: &Scenario) -> Self {
        if scenario.keep_settled {
            return Self::default();
        }
        let world = &scenario.world;
        let mut all_until = SimTime::ZERO;
        let mut named: FxHashMap<(VolumeId, u32), SimTime> = FxHashMap::default();
        let mut volume_until: Vec<(VolumeId, SimTime)> = Vec::new();
        for a in &scenario.actions {
            match a.kind.reaches() {
                Reach::Nothing => {}
                Reach::Backup(v, seq) => {
                    let t = named.entry((v, seq)).or_insert(a.at);
                    *t = (*t).max(a.at);
                }
                Reach::Volume(v) => volume_until.push((v, a.at)),
                Reach::All => all_until = all_until.max(a.at),
            }
        }
        let mut after: Vec<Option<SimTime>> = world
            .volumes
            .iter()
            .map(|v| {
                let settles =
                    rules(world.region(v.region).provider).reads_only_newest() && backup_ceiling(world, v.id).is_none();
                settles.then_some(all_until)
            })
            .collect();
        for (v, t) in volume_until {
            if let Some(after) = &mut after[v.index()] {
                *after = (*after).max(t);
            }
        }
        for s in &scenario.schedules {
            if s.retention.is_some() || s.targets.iter().any(|t| t.retention.is_some()) {
                for &v in &s.volumes {
                    after[v.index()] = None;
                }
            }
        }
        let any = after.iter().any(Option::is_some);
        Self { after, named, any }
    }

    /// From when the backups and copies of `volume`'s backup `#seq` may settle: strictly after
    /// the instant returned (`None`: never).
    fn after(&self, volume: VolumeId, seq: u32) -> Option<SimTime> {
        let volume_after = self.volume_after(volume)?;
        Some(self.named.get(&(volume, seq)).map_or(volume_after, |&t| t.max(volume_after)))
    }

    /// Whether copy `c`, superseded in its destination, may leave it at `now`: settle if it is
    /// AVAILABLE (`available`), or, closed or moving, leave the list.
    pub fn copy(&self, c: &Copy, available: bool, now: SimTime) -> Leave {
        if available && !(c.state == CopyState::Available && c.restorable_at.is_some()) {
            return Leave::No;
        }
        match self.after(c.volume, c.seq) {
            None => Leave::No,
            Some(t) if now > t => Leave::Yes,
            // Named by an action to come: it stays; the copies after it need not.
            Some(_)
                if self.named.contains_key(&(c.volume, c.seq))
                    && self.volume_after(c.volume).is_some_and(|t| now > t) =>
            {
                Leave::Pinned
            }
            Some(_) => Leave::No,
        }
    }

    /// Whether nothing of `volume` ever settles (every [`Settling::copy`] answer is `No`).
    pub fn never(&self, volume: VolumeId) -> bool {
        self.volume_after(volume).is_none()
    }

    /// From when `volume`'s backups and copies may settle, whatever its actions name.
    fn volume_after(&self, volume: VolumeId) -> Option<SimTime> {
        self.after.get(volume.index()).copied().flatten()
    }

    /// Whether source backup `b` may settle at `now` (the caller knows no deletion waits on it):
    /// `Ok(true)` it may, `Ok(false)` it may not (yet or ever), `Err(t)` it may once the
    /// actions that name it have run, strictly after `t`.
    pub fn source(&self, b: &Backup, now: SimTime) -> Result<bool, SimTime> {
        let ready = b.origin() == Origin::Source
            && b.state == BackupState::Stable
            && !b.settled
            && b.first_copy.is_none()
            && b.deletion_requested_at.is_none();
        match self.after(b.volume, b.seq) {
            Some(t) if ready && now <= t => Err(t),
            Some(_) => Ok(ready),
            None => Ok(false),
        }
    }

    /// Whether anything may ever settle in this run.
    pub fn any(&self) -> bool {
        self.any
    }
}
