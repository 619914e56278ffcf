//! `copy`: a manual copy of one backup.

use super::{Act, ActionDef, Effect, Effects, Reach, find_restorable, hops};
use crate::model::{AccountId, Copy, CopyId, RegionId, Trigger, VolumeId, World};
use crate::scenario::KeyChoice;
use crate::scenario::events::check_copy_route;

/// `copy`.
pub(super) const COPY: ActionDef = ActionDef {
    name: "copy",
    required: &["volume", "seq", "to"],
    optional: &["from", "account", "key", "group"],
    description: "a manual copy of backup `#seq` (taken from region `from`, default the volume's; `account` is the requesting owner of the copy; `group` the OCI IAM group)",
    build: |b| {
        if !check_copy_route(b.ctx, b.e, b.world, b.r) {
            return None;
        }
        Some(Box::new(ManualCopy {
            volume: b.r.volume?,
            seq: b.r.seq?,
            from: b.r.from,
            to: b.r.to?,
            account: b.r.account,
            key: b.r.key.unwrap_or(KeyChoice::Keep),
            group: b.e.group.as_ref().map(|g| g.get_ref().clone()),
        }))
    },
};

/// Copy backup #seq by hand.
#[derive(Debug)]
struct ManualCopy {
    volume: VolumeId,
    seq: u32,
    from: Option<RegionId>,
    to: RegionId,
    account: Option<AccountId>,
    key: KeyChoice,
    group: Option<String>,
}

impl Act for ManualCopy {
    fn reaches(&self) -> Reach {
        Reach::Backup(self.volume, self.seq)
    }

    fn target(&self, cx: &dyn Effects) -> String {
        let w = cx.world();
        format!("{}#{}→{}", w.volume(self.volume).name, self.seq, w.region(self.to).name)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let w = cx.world();
        let from = self.from.unwrap_or(w.volume(self.volume).region);
        // A copy's result is copied on only once it is a restore point: an incremental copy
        // that landed before the copy it builds on holds only its changes, so it has nothing
        // whole to copy yet (it could not be restored either).
        let Some(b) = find_restorable(w, self.volume, self.seq, from) else {
            return Err(not_there(w, self.volume, self.seq, from));
        };
        let src = w.backup(b);
        let account = self.account.unwrap_or(src.account);
        let copy =
            Copy::request(CopyId(0), b, self.volume, self.seq, account, src.region, self.to, Trigger::Manual, cx.now());
        let id = cx.request_copy(copy, self.key);
        if let Some(g) = &self.group {
            cx.world_mut().set_copy_group(id, g); // read when the copy is planned, after this action
        }
        // The provider answers a request at once: a refused copy is this action's failure (its
        // REJECTED row in copies.csv is written when the planner admits it, right after).
        let w = cx.world();
        match crate::planner::admission(w, w.copy(id)) {
            Ok(()) => Ok(format!("copy {} requested", id.0 + 1)),
            Err(e) => Err(format!("copy {} refused: {e}", id.0 + 1)),
        }
    }

    fn copy_route(&self, world: &World) -> Option<(RegionId, RegionId)> {
        Some((self.from.unwrap_or(world.volume(self.volume).region), self.to))
    }
}

/// Why there is no backup #`seq` of `volume` in `from` to copy, in the words of `from`'s
/// provider: not taken yet, deleted (whether or not copies of it remain elsewhere), still being
/// copied there or landed there before the copy it builds on (not ready), or never there.
fn not_there(w: &World, volume: VolumeId, seq: u32, from: RegionId) -> String {
    let codes = crate::providers::rules(w.region(from).provider).source_codes();
    let (name, region) = (&w.volume(volume).name, &w.region(from).name);
    let Some(src) = w.volume(volume).backup_seq(seq) else {
        return if seq > w.volume(volume).chain.len() {
            format!("{}: backup #{seq} of {name} does not exist yet", codes.gone)
        } else {
            format!("{}: backup #{seq} of {name} was deleted", codes.gone)
        };
    };
    let moving = |c: &&Copy| c.dest_region == from && !c.state.is_final_transfer_state();
    if w.backup(src).region == from {
        // Deleted, though still known while a copy of it refers to it (and none of its copies
        // is in `from`): gone, as when nothing refers to it.
        format!("{}: backup #{seq} of {name} was deleted", codes.gone)
    } else if hops(w, src).iter().flatten().any(moving) {
        format!("{}: backup #{seq} of {name} is still being copied into {region}", codes.not_ready)
    } else if let Some(base) = hops(w, src).iter().flatten().find_map(|c| waiting_base(w, c, from)) {
        format!(
            "{}: backup #{seq} of {name} landed in {region} before the copy it builds on (#{base}, still being copied): it is not a restore point yet",
            codes.not_ready
        )
    } else {
        format!("{}: backup #{seq} of {name} does not exist in {region}", codes.gone)
    }
}

/// The seq of the copy still moving that `c`, a copy into `region` that landed, builds on (an
/// incremental that completed before its base: not a restore point yet), if it is one.
pub(super) fn waiting_base(w: &World, c: &Copy, region: RegionId) -> Option<u32> {
    if c.dest_region != region || c.state != crate::model::CopyState::Available || c.restorable_at.is_some() {
        return None;
    }
    let mut base = c.base.get();
    while let Some(b) = base.and_then(|id| w.copies.get(id.index())) {
        if !b.state.is_final_transfer_state() {
            return Some(b.seq);
        }
        base = b.base.get();
    }
    None
}
