//! `restore`: a disk restored from a backup its account may use.

use super::{Act, ActionDef, Effect, Effects, Reach, backup_name, find_restorable, region_out};
use crate::model::{AccountId, BackupId, BackupState, CopyKind, CopyState, Origin, RegionId, VolumeId, World};

/// `restore`.
pub(super) const RESTORE: ActionDef = ActionDef {
    name: "restore",
    required: &["volume", "seq"],
    optional: &["account", "region"],
    description: "restores a disk from backup `#seq` (own backup or copy, or an accepted share); disks outlive the backup",
    build: |b| Some(Box::new(Restore { volume: b.r.volume?, seq: b.r.seq?, account: b.r.account, region: b.r.region })),
};

/// Restore a disk from backup #seq (own or accepted share).
#[derive(Debug)]
struct Restore {
    volume: VolumeId,
    seq: u32,
    account: Option<AccountId>,
    region: Option<RegionId>,
}

impl Act for Restore {
    fn reaches(&self) -> Reach {
        Reach::Backup(self.volume, self.seq)
    }

    fn target(&self, cx: &dyn Effects) -> String {
        backup_name(cx.world(), self.volume, self.seq)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let (volume, seq) = (self.volume, self.seq);
        let w = cx.world();
        let vol = w.volume(volume);
        let account = self.account.unwrap_or(vol.account);
        let region = self.region.unwrap_or(vol.region);
        if let Some(refusal) = region_out(w, region) {
            return Err(refusal);
        }
        let Some(src) = vol.backup_seq(seq) else { return Err(super::missing_backup(w, volume, seq)) };
        let usable = if account == vol.account {
            find_restorable(w, volume, seq, region).is_some_and(|b| w.backup(b).has_reached(BackupState::Available))
        } else {
            let b = w.backup(src);
            let shared =
                w.copies_from(src).any(|c| c.kind == Some(CopyKind::Share) && c.account == account && c.is_available())
                    || (w.shared_with(b, account) && b.exists());
            let own_copy = find_restorable(w, volume, seq, region)
                .is_some_and(|x| w.backup(x).account == account && matches!(w.backup(x).origin(), Origin::Copy(_)));
            b.region == region && shared || own_copy
        };
        let codes = super::codes(w, region);
        if !usable {
            return Err(unusable(w, src, seq, account, region));
        }
        if let Some(k) = w.backup(src).key
            && !w.key_usable_by(k, account)
        {
            return Err(format!(
                "{}: the backup is encrypted with {}, which {} cannot use",
                codes.key_denied,
                w.key(k).name,
                w.account(account).name
            ));
        }
        Ok(format!("disk {} restored", cx.restore_disk(volume, seq, account, region)))
    }
}

/// Why `account` has no backup `#seq` (source backup `src`) to restore from in `region`, in the
/// words of `region`'s provider: the backup deleted there, a share of it not accepted yet (it
/// is not ready for the recipient), or none there that the account may use (not found, for it).
fn unusable(w: &World, src: BackupId, seq: u32, account: AccountId, region: RegionId) -> String {
    let codes = super::codes(w, region);
    let (b, who, where_) = (w.backup(src), &w.account(account).name, &w.region(region).name);
    let pending = w
        .copies_from(src)
        .any(|c| c.kind == Some(CopyKind::Share) && c.account == account && c.state == CopyState::Pending);
    if !b.exists() && b.region == region {
        format!("{}: backup #{seq} was deleted", codes.gone)
    } else if pending && b.region == region {
        format!(
            "{}: the share of backup #{seq} with {who} is PENDING; it must be accepted before a restore",
            codes.not_ready
        )
    } else if let Some(why) = on_its_way(w, src, account, region) {
        format!("{}: backup #{seq} {why} {where_}: it is not a restore point yet", codes.not_ready)
    } else {
        format!("{}: no usable backup #{seq} in {where_} for {who}", codes.gone)
    }
}

/// Whether a copy of `src` for `account` is on its way into `region` — still moving, or landed
/// before the copy it builds on — in words: the backup is there soon, not missing.
fn on_its_way(w: &World, src: BackupId, account: AccountId, region: RegionId) -> Option<String> {
    let copies: Vec<_> = super::hops(w, src).into_iter().flatten().filter(|c| c.account == account).collect();
    if copies
        .iter()
        .any(|c| c.dest_region == region && c.kind != Some(CopyKind::Share) && !c.state.is_final_transfer_state())
    {
        return Some("is still being copied into".to_string());
    }
    copies
        .iter()
        .find_map(|c| super::copies::waiting_base(w, c, region))
        .map(|base| format!("landed before the copy it builds on (#{base}, still being copied) in"))
}
