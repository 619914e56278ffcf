//! Small hand-built worlds for rule tests: no kernel, no scenario file — just the facts a rule reads.

use crate::kernel::SimTime;
use crate::model::{
    AccountId, BackupId, BackupState, Copy, CopyId, Partition, Provider, RegionId, Trigger, VolumeId, VolumeKind, World,
};
use crate::providers::{KindDecision, Route, rules};

pub const GB: u64 = 1_000_000_000;

/// A world with regions `src`, `dst`, `dst2` of one provider, account `acct` and volume `vol` (100 GB, 1 %/day).
pub struct Kit {
    pub w: World,
    pub src: RegionId,
    pub dst: RegionId,
    pub dst2: RegionId,
    pub acct: AccountId,
    pub vol: VolumeId,
    pub now: u64,
}

impl Kit {
    pub fn new(provider: Provider) -> Self {
        let mut w = crate::providers::new_world();
        let src = w.add_region("src", provider, Partition::Commercial);
        let dst = w.add_region("dst", provider, Partition::Commercial);
        let dst2 = w.add_region("dst2", provider, Partition::Commercial);
        let acct = w.add_account("acct");
        let vol = w.add_volume("vol", acct, src, VolumeKind::Block, 100 * GB, 10_000);
        Kit { w, src, dst, dst2, acct, vol, now: 0 }
    }

    /// Moves the clock one hour on: the new now.
    pub fn tick(&mut self) -> SimTime {
        self.now += 3_600_000;
        SimTime(self.now)
    }

    /// Takes `n` backups an hour apart, each reaching STABLE.
    pub fn backups(&mut self, n: u32) -> Vec<BackupId> {
        (0..n).map(|_| self.backup()).collect()
    }

    /// Takes one backup and makes it STABLE.
    pub fn backup(&mut self) -> BackupId {
        let t = self.tick();
        let b = self.w.take_backup(self.vol, t);
        let bk = &mut self.w.backups[b.index()];
        bk.state = BackupState::Stable;
        bk.available_at = t.into();
        bk.stable_at = t.into();
        b
    }

    /// Resizes the volume.
    pub fn resize(&mut self, size: u64) {
        self.w.resize_volume(self.vol, size);
    }

    /// Requests a copy of `backup` into `dest`.
    pub fn request(&mut self, backup: BackupId, dest: RegionId, trigger: Trigger) -> CopyId {
        let b = self.w.backup(backup);
        let (volume, seq, region, account) = (b.volume, b.seq, b.region, b.account);
        let t = SimTime(self.now);
        self.w.push_copy(Copy::request(CopyId(0), backup, volume, seq, account, region, dest, trigger, t))
    }

    /// Decides and starts `copy` as the planner would once its gates are clear.
    pub fn start(&mut self, copy: CopyId) -> KindDecision {
        let rules = rules(self.w.provider_of(self.w.copy(copy)));
        let d = rules.decide_kind(&self.w, self.w.copy(copy));
        let t = self.tick();
        self.w.start_copy(copy, d.kind, d.reason, d.bytes, t);
        d
    }

    /// Finishes `copy` successfully.
    pub fn finish(&mut self, copy: CopyId) -> BackupId {
        let t = self.tick();
        let keeps_tags = rules(self.w.provider_of(self.w.copy(copy))).copies_tags();
        let key = super::result_key(&self.w, self.w.copy(copy));
        self.w.end_copy(copy, t, None, keeps_tags, key).expect("copy succeeded")
    }

    /// Request, start and finish a copy of source backup `seq` into `dest` manually.
    pub fn copy_manual(&mut self, seq: u32, dest: RegionId) -> (CopyId, KindDecision) {
        self.copy_with(seq, dest, Trigger::Manual)
    }

    /// Request, start and finish a copy of source backup `seq` into `dest`.
    pub fn copy_with(&mut self, seq: u32, dest: RegionId, trigger: Trigger) -> (CopyId, KindDecision) {
        let b = self.w.volume(self.vol).backup_seq(seq).expect("seq exists");
        let c = self.request(b, dest, trigger);
        let d = self.start(c);
        self.finish(c);
        (c, d)
    }

    /// Deletes the destination backup written by `copy`.
    pub fn delete_copy(&mut self, copy: CopyId) {
        let b = self.w.copy(copy).dest_backup.get().expect("copy finished");
        let t = self.tick();
        self.w.delete_backup(b, t, crate::model::DeletedBy::Manual);
    }

    /// The route of a copy of `vol` from `from` into `to`, within `acct`.
    pub fn route_from(&self, from: RegionId, to: RegionId) -> Route<'static> {
        Route {
            volume: self.vol,
            source_region: from,
            dest_region: to,
            source_account: self.acct,
            account: self.acct,
            source_key: None,
            dest_key: None,
            strip_encryption: false,
            group: None,
        }
    }

    /// The route of a copy of `vol` from its home region into `to`.
    pub fn route(&self, to: RegionId) -> Route<'static> {
        self.route_from(self.src, to)
    }
}
