//! Every timed action defined once, as ripgrep defines each flag once: one file per family holds
//! each action's name, the fields it requires and allows, what it does (the text
//! `docs/scenario.md` shows, checked by a test), how its checked fields become the action
//! (its `build`), and its effect ([`Act::apply`]), written against the narrow
//! [`Effects`] the engine provides. The event validator ([`super::events`]) reads [`ACTIONS`]
//! for everything it says about an action; the engine only dispatches to [`Act::apply`].
//!
//! Adding an action: a file here (or an entry in a family's file) and one line in [`ACTIONS`]
//! (see `docs/extending.md`).

mod copies;
mod deletion;
mod faults;
mod keys;
mod plans;
mod restore;
mod sharing;
mod volume;

use std::fmt;

use toml::Spanned;

use super::build::Ctx;
use super::events::Resolved;
use super::file::EventFile;
use super::{KeyChoice, Policy, Schedule};
use crate::kernel::SimTime;
use crate::model::{AccountId, BackupId, Copy, CopyId, ProviderError, RegionId, VolumeId, World};
use crate::providers::SourceCodes;

/// What an action's builder sees: the event, its resolved references, and the scenario so far.
pub(super) struct BuildCx<'a, 'c> {
    /// Errors go here.
    pub ctx: &'a mut Ctx<'c>,
    /// The raw event.
    pub e: &'a EventFile,
    /// Its references, resolved (every required one is present).
    pub r: &'a Resolved,
    /// The world.
    pub world: &'a World,
    /// Schedules and plans.
    pub schedules: &'a [Schedule],
    /// Policies.
    pub policies: &'a [Policy],
}

/// One timed action's definition.
pub struct ActionDef {
    /// Its `action = "…"` name.
    pub name: &'static str,
    /// Fields it needs.
    pub required: &'static [&'static str],
    /// Fields it may have.
    pub optional: &'static [&'static str],
    /// What happens, as `docs/scenario.md` says it.
    pub description: &'static str,
    /// Its fields (checked against `required` and `optional`, references resolved) into an
    /// action; `None` once an error is reported.
    pub(super) build: fn(&mut BuildCx<'_, '_>) -> Option<Box<dyn Act>>,
}

/// The existing backups and copies an action may read or change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// None: it acts on copies in flight, regions, keys, plans, or backups it takes itself.
    Nothing,
    /// Backup `#seq` of a volume wherever it is, and the copies made of it.
    Backup(VolumeId, u32),
    /// Any backup or copy of a volume: a deletion may make rules read an older copy (FSx
    /// builds on the newest copy still there).
    Volume(VolumeId),
    /// Any of them.
    All,
}

/// What an action did ("backup #3 taken"), or why it was refused.
pub type Effect = Result<String, String>;

/// A built timed action: its checked fields, and what it does when its time comes.
pub trait Act: fmt::Debug + Send + Sync {
    /// What it acts on, as `actions.csv` shows it (`vol-1#3`, a region, plan names).
    fn target(&self, cx: &dyn Effects) -> String;

    /// Carries it out now: what happened, or the refusal (a provider's, or the world's).
    fn apply(&self, cx: &mut dyn Effects) -> Effect;

    /// The size it gives a volume, if it resizes one (budgets plan for the largest size).
    fn resized(&self) -> Option<(VolumeId, u64)> {
        None
    }

    /// The region it takes down, if it is an outage (its drill plans a restore per volume of
    /// that region: budgets count them).
    fn region_out(&self) -> Option<RegionId> {
        None
    }

    /// Which existing backups and copies it may read or change when its time comes: until
    /// then, they stay in memory (`engine::settle`). The default, [`Reach::All`], is always
    /// correct.
    fn reaches(&self) -> Reach {
        Reach::All
    }

    /// The route (from, to) of the copy it requests, if any (the price book must cover it).
    fn copy_route(&self, _world: &World) -> Option<(RegionId, RegionId)> {
        None
    }

    /// The schedules (indices into the scenario's) it enables, if any: a plan disabled at the
    /// start runs from its next occurrence after the action (the summary's warm-fill warning
    /// counts its retention from there).
    fn enables(&self) -> &[u32] {
        &[]
    }
}

/// What an action's effect may do: the engine's side of a timed action. Actions read and change
/// the world directly; everything that involves the engine's owners (the planner, uploads,
/// transfers, deletions, outages, plans, the recorder) goes through these few operations.
pub trait Effects {
    /// The instant the action happens.
    fn now(&self) -> SimTime;
    /// The world.
    fn world(&self) -> &World;
    /// The world, to change it.
    fn world_mut(&mut self) -> &mut World;
    /// Takes an on-demand backup of `volume` now: its upload is scheduled and it is recorded.
    fn take_backup(&mut self, volume: VolumeId) -> BackupId;
    /// Hands a requested copy, encrypted as `key` asks, to the planner.
    fn request_copy(&mut self, copy: Copy, key: KeyChoice) -> CopyId;
    /// Deletes `b` now, by hand (the provider has allowed it): the shares deleted with it.
    fn delete_backup(&mut self, b: BackupId) -> usize;
    /// The key `volume`'s scheduled copies to `region` ask for from now on.
    fn set_copy_key(&mut self, volume: VolumeId, region: RegionId, key: KeyChoice);
    /// Records that copy `c` started (a share starts and ends when it is accepted).
    fn record_started(&mut self, c: CopyId);
    /// Copy `c`'s row is final (refused, rejected): it is recorded and may leave the world.
    fn close_copy(&mut self, c: CopyId);
    /// Every copy in flight that `pick` selects fails now with `error`: how many.
    fn fail_in_flight(&mut self, error: &ProviderError, pick: &dyn Fn(&Copy) -> bool) -> usize;
    /// `region` is out until `until`: the copies in flight `pick` selects fail with `error` (how
    /// many), the region comes back at `until`, and the outage is recorded (drills run).
    fn region_outage(
        &mut self,
        region: RegionId,
        until: SimTime,
        error: &ProviderError,
        pick: &dyn Fn(&Copy) -> bool,
    ) -> usize;
    /// A disk is restored from backup `#seq` of `volume` for `account` in `region`: how many
    /// disks have been restored so far.
    fn restore_disk(&mut self, volume: VolumeId, seq: u32, account: AccountId, region: RegionId) -> usize;
    /// The name of schedule or plan `i`.
    fn plan_name(&self, i: u32) -> &str;
    /// Whether plan `i` was deleted (it can never run again).
    fn plan_deleted(&self, i: u32) -> bool;
    /// Plan `i` stops (and, with `delete`, is deleted).
    fn stop_plan(&mut self, i: u32, delete: bool);
    /// Plan `i` runs again from its next occurrence.
    fn start_plan(&mut self, i: u32);
}

/// The action named `name`.
pub fn find(name: &str) -> Option<&'static ActionDef> {
    ACTIONS.iter().find(|a| a.name == name)
}

/// Every action name, for messages: `backup, resize, … or delete_plan`.
pub fn names() -> String {
    let n: Vec<&str> = ACTIONS.iter().map(|a| a.name).collect();
    match n.split_last() {
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Every timed action, in the order `docs/scenario.md` lists them.
pub static ACTIONS: &[ActionDef] = &[
    volume::BACKUP,
    volume::RESIZE,
    copies::COPY,
    deletion::DELETE_BACKUP,
    deletion::DELETE_COPY,
    keys::CHANGE_KEY,
    sharing::SHARE,
    sharing::ACCEPT,
    sharing::REJECT,
    sharing::UNSHARE,
    keys::GRANT_KEY,
    restore::RESTORE,
    faults::FAIL_COPY,
    faults::REGION_OUTAGE,
    plans::DISABLE_PLAN,
    plans::ENABLE_PLAN,
    plans::DELETE_PLAN,
];

fn span(f: Option<&Spanned<String>>) -> std::ops::Range<usize> {
    f.map_or(0..0, Spanned::span)
}

/// `vol-1`: a volume's name.
fn volume_name(w: &World, v: VolumeId) -> String {
    w.volume(v).name.clone()
}

/// `vol-1#3`: a volume's backup.
fn backup_name(w: &World, v: VolumeId, seq: u32) -> String {
    format!("{}#{seq}", w.volume(v).name)
}

/// The refusal when `region` is out.
fn region_out(w: &World, region: RegionId) -> Option<String> {
    w.region_down[region.index()].then(|| format!("ServiceUnavailable: {} is out", w.region(region).name))
}

/// The backup of `volume`'s seq in `region`: the source backup there, or a copy's result there.
fn find_backup(w: &World, volume: VolumeId, seq: u32, region: RegionId) -> Option<BackupId> {
    find_among(w, volume, seq, region, |_| true)
}

/// Like [`find_backup`], among backups one can restore from: a source backup, or a copy's
/// backup once it is a restore point (see `engine::restore`).
fn find_restorable(w: &World, volume: VolumeId, seq: u32, region: RegionId) -> Option<BackupId> {
    find_among(w, volume, seq, region, |c| c.restorable_at.is_some())
}

/// Backup #`seq` of `volume` (its source backup), or why it is not in the world.
fn taken(w: &World, volume: VolumeId, seq: u32) -> Result<BackupId, String> {
    w.volume(volume).backup_seq(seq).ok_or_else(|| missing_backup(w, volume, seq))
}

/// Why there is no backup #`seq` of `volume` in `region` (none [`find_backup`] finds), with the
/// not-found code of `region`'s provider: not taken yet, deleted, or never there.
fn missing_in(w: &World, volume: VolumeId, seq: u32, region: RegionId) -> String {
    match w.volume(volume).backup_seq(seq) {
        None => missing_backup(w, volume, seq),
        Some(src) if w.backup(src).region == region => format!("{}: backup #{seq} was deleted", codes(w, region).gone),
        Some(_) => format!("{}: backup #{seq} does not exist in {}", codes(w, region).gone, w.region(region).name),
    }
}

/// The error codes of `region`'s provider for the refusals every provider shares.
fn codes(w: &World, region: RegionId) -> SourceCodes {
    crate::providers::rules(w.region(region).provider).source_codes()
}

/// Why backup #`seq` of `volume` is not in the world, with its provider's not-found code: not
/// taken yet, or deleted (and gone) — `InvalidSnapshot.NotFound: backup #9 does not exist yet`.
fn missing_backup(w: &World, volume: VolumeId, seq: u32) -> String {
    let gone = codes(w, w.volume(volume).region).gone;
    if seq > w.volume(volume).chain.len() {
        format!("{gone}: backup #{seq} does not exist yet")
    } else {
        format!("{gone}: backup #{seq} was deleted")
    }
}

/// The copies of backup `src`, hop by hop: those made from it, then those made from their
/// backups (a copy of a copy: London → Frankfurt → Phoenix), and so on, each hop in request
/// order. Copies form a tree from the source backup (each writes a backup of its own), so
/// this ends.
fn hops(w: &World, src: BackupId) -> Vec<Vec<&Copy>> {
    let mut out: Vec<Vec<&Copy>> = Vec::new();
    let mut from = vec![src];
    while !from.is_empty() {
        let hop: Vec<&Copy> = from.iter().flat_map(|&b| w.copies_from(b)).collect();
        from = hop.iter().filter_map(|c| c.dest_backup.get()).filter(|b| w.backups.get(b.index()).is_some()).collect();
        out.push(hop);
    }
    out.pop_if(|h| h.is_empty());
    out
}

/// The backup of `volume`'s seq in `region` whose copy `usable` accepts: the source backup if
/// it is there and not deleted, else the newest such copy's backup of the nearest hop that has
/// one. A deleted source backup is never the answer, whether or not the world still holds it
/// (it does while a copy of it refers to it): the same request reads the same either way.
fn find_among(
    w: &World,
    volume: VolumeId,
    seq: u32,
    region: RegionId,
    usable: impl Fn(&Copy) -> bool,
) -> Option<BackupId> {
    let src = w.volume(volume).backup_seq(seq)?;
    let b = w.backup(src);
    if b.region == region && b.exists() {
        return Some(src);
    }
    hops(w, src).into_iter().find_map(|hop| {
        hop.into_iter()
            .filter(|c| usable(c))
            .filter_map(|c| c.dest_backup.get())
            .filter(|&b| {
                let bk = w.backup(b);
                bk.region == region && bk.exists()
            })
            .last()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(fields: &[&str]) -> String {
        fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
    }

    #[test]
    fn docs_scenario_md_lists_every_action_as_defined() {
        let doc = include_str!("../../../docs/scenario.md");
        for a in ACTIONS {
            let row = format!("| `{}` | {} | {} | {} |", a.name, cells(a.required), cells(a.optional), a.description)
                .replace("|  |", "| |");
            assert!(doc.contains(&row), "docs/scenario.md should have the row\n{row}");
        }
    }

    #[test]
    fn names_are_unique() {
        let mut n: Vec<&str> = ACTIONS.iter().map(|a| a.name).collect();
        n.sort_unstable();
        n.dedup();
        assert_eq!(n.len(), ACTIONS.len());
    }
}
