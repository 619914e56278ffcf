//! Deleting by hand: a backup (source or copy) in a region, or the copy of a backup in a region.

use super::{Act, ActionDef, Effect, Effects, Reach, backup_name, find_backup};
use crate::model::{AccountId, BackupId, Copy, CopyKind, CopyState, RegionId, VolumeId};
use crate::providers::rules;

/// `delete_backup`.
pub(super) const DELETE_BACKUP: ActionDef = ActionDef {
    name: "delete_backup",
    required: &["volume", "seq"],
    optional: &["region"],
    description: "deletes backup `#seq` in `region` (default the volume's); FSx refuses while it is being copied",
    build: |b| Some(Box::new(DeleteBackup { volume: b.r.volume?, seq: b.r.seq?, region: b.r.region })),
};

/// `delete_copy`.
pub(super) const DELETE_COPY: ActionDef = ActionDef {
    name: "delete_copy",
    required: &["volume", "seq", "region"],
    optional: &["account"],
    description: "deletes the copy of `#seq` in `region`",
    build: |b| {
        Some(Box::new(DeleteCopy { volume: b.r.volume?, seq: b.r.seq?, region: b.r.region?, account: b.r.account }))
    },
};

/// Delete backup #seq in `region` (default: the volume's).
#[derive(Debug)]
struct DeleteBackup {
    volume: VolumeId,
    seq: u32,
    region: Option<RegionId>,
}

impl Act for DeleteBackup {
    fn reaches(&self) -> Reach {
        Reach::Volume(self.volume)
    }

    /// `v#2`, or `v#2 in eu-west-1` for a backup outside the volume's region (a copy's result).
    fn target(&self, cx: &dyn Effects) -> String {
        let w = cx.world();
        let name = backup_name(w, self.volume, self.seq);
        match self.region {
            Some(r) if r != w.volume(self.volume).region => format!("{name} in {}", w.region(r).name),
            _ => name,
        }
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let w = cx.world();
        let region = self.region.unwrap_or(w.volume(self.volume).region);
        match find_backup(w, self.volume, self.seq, region) {
            Some(b) => delete(cx, b),
            None => Err(super::missing_in(w, self.volume, self.seq, region)),
        }
    }
}

/// Delete the copy of backup #seq in `region`.
#[derive(Debug)]
struct DeleteCopy {
    volume: VolumeId,
    seq: u32,
    region: RegionId,
    account: Option<AccountId>,
}

impl Act for DeleteCopy {
    fn reaches(&self) -> Reach {
        Reach::Volume(self.volume)
    }

    /// `v#2 in us-west-2`, and `, account vault` for a copy in another account than the volume's:
    /// two deletions of different copies of one backup read apart.
    fn target(&self, cx: &dyn Effects) -> String {
        let w = cx.world();
        let name = format!("{} in {}", backup_name(w, self.volume, self.seq), w.region(self.region).name);
        match self.account {
            Some(a) if a != w.volume(self.volume).account => format!("{name}, account {}", w.account(a).name),
            _ => name,
        }
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let w = cx.world();
        let account = self.account.unwrap_or(w.volume(self.volume).account);
        let src = super::taken(w, self.volume, self.seq)?;
        // The copies into the region, hop by hop (a copy of a copy counts: nearest hop first).
        let hops: Vec<Vec<&Copy>> = super::hops(w, src)
            .into_iter()
            .map(|hop| {
                let ours = |c: &&Copy| c.dest_region == self.region && c.account == account;
                hop.into_iter().filter(ours).filter(|c| c.kind != Some(CopyKind::Share)).collect()
            })
            .collect();
        if let Some(c) = hops.iter().find_map(|hop| hop.iter().rev().find(|c| c.is_available())) {
            let b = c.dest_backup.get().expect("available copies have a backup");
            return delete(cx, b);
        }
        match hops.iter().find_map(|hop| hop.last()) {
            Some(c) if matches!(c.state, CopyState::Pending | CopyState::Queued | CopyState::Copying) => Err(format!(
                "{}: copy {} is {}; it cannot be deleted until it completes",
                rules(w.provider_of(c)).source_codes().moving,
                c.id.0 + 1,
                c.state.name()
            )),
            _ => Err(format!(
                "{}: no copy of backup #{} exists in {}",
                super::codes(w, self.region).gone,
                self.seq,
                w.region(self.region).name
            )),
        }
    }
}

/// Deletes `b` now, if it still exists and its provider allows it.
fn delete(cx: &mut dyn Effects, b: BackupId) -> Effect {
    let w = cx.world();
    let backup = w.backup(b);
    if !backup.exists() {
        return Err(format!("{}: backup #{} is already deleted", super::codes(w, backup.region).gone, backup.seq));
    }
    let provider = w.region(backup.region).provider;
    rules(provider).check_delete(w, backup, cx.now()).map_err(|e| e.to_string())?;
    let shares = cx.delete_backup(b);
    let cascade = match shares {
        0 => String::new(),
        1 => "; 1 share deleted for its recipient".to_string(),
        n => format!("; {n} shares deleted for their recipients"),
    };
    Ok(format!("deleted{cascade}"))
}
