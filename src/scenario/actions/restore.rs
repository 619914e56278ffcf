//! `restore`: a disk restored from a backup its account may use.

use super::{Act, ActionDef, Effect, Effects, Reach, backup_name, find_restorable, region_out};
use crate::model::{AccountId, BackupState, CopyKind, Origin, RegionId, VolumeId};

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
        if !usable {
            return Err(format!(
                "no usable backup #{seq} in {} for {}",
                w.region(region).name,
                w.account(account).name
            ));
        }
        if let Some(k) = w.backup(src).key
            && !w.key_usable_by(k, account)
        {
            return Err(format!(
                "the backup is encrypted with {}, which {} cannot use",
                w.key(k).name,
                w.account(account).name
            ));
        }
        Ok(format!("disk {} restored", cx.restore_disk(volume, seq, account, region)))
    }
}
