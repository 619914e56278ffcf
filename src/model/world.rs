//! The world: every table of the model, indexed by id newtypes, with the primitive operations the engine and tests share.

use crate::kernel::Stamp;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::account::{Account, Key};
use super::backup::{Backup, BackupKind, BackupState, DeletedBy, Flags, Origin, Permissions};
use super::copy::{Copy, CopyKind, CopyState, Reason};
use super::ids::Maybe;
use super::ids::{AccountId, BackupId, CopyId, KeyId, LinkId, RegionId, VolumeId};
use super::link::{Link, LinkParams};
use super::params::ProviderParams;
use super::region::{Partition, Provider, Region};
use super::table::Table;
use super::volume::{Instance, Volume, VolumeKind};
use crate::kernel::SimTime;

const MS_PER_DAY: u128 = 86_400_000;

/// All the model's state.
#[derive(Clone, Debug)]
pub struct World {
    /// Regions by id.
    pub regions: Vec<Region>,
    /// Accounts by id.
    pub accounts: Vec<Account>,
    /// Keys by id.
    pub keys: Vec<Key>,
    /// Volumes by id.
    pub volumes: Vec<Volume>,
    /// Instances by index.
    pub instances: Vec<Instance>,
    /// Backups by id (source backups and copies' results) that are still held: a deleted backup
    /// leaves once nothing live refers to it.
    pub backups: Table<Backup>,
    /// Copies and shares by id, still held: a closed copy leaves once no rule can read it.
    pub copies: Table<Copy>,
    /// OCI IAM group overrides of copy requests (a manual `copy` with `group`), by copy: rare,
    /// so kept here rather than in every copy (a copy fits two cache lines without it).
    copy_groups: BTreeMap<CopyId, Box<str>>,
    /// EBS create-volume permissions (other accounts, or public), by backup: rare, so kept here
    /// rather than in every backup; forgotten when the backup leaves the world.
    permissions: BTreeMap<BackupId, Permissions>,
    /// Huawei: the projects that declined a share of a backup, by backup, in the order they
    /// declined. They stay on the sharer's share list (and hold one of its ten project slots)
    /// until the sharer cancels sharing with them; their share records leave the world once
    /// their rows are written. Rare, so kept here; forgotten when the backup leaves the world.
    declined: BTreeMap<BackupId, Vec<AccountId>>,
    /// Links by id.
    pub links: Vec<Link>,
    link_index: Vec<Option<LinkId>>,
    /// Per-provider parameters, indexed by [`Provider::index`] (from the provider registry).
    pub params: Vec<ProviderParams>,
    /// The name of the key a provider keeps per account and region for copies that name none
    /// (EBS: `aws/ebs`), indexed by [`Provider::index`] (from the provider registry); empty or
    /// `None`: the provider has none.
    pub default_key_names: Vec<Option<&'static str>>,
    /// Those keys, by account and provider index: made with the account, or with the
    /// provider's first region ([`default_key`](Self::default_key)). Not in `key_names`: a
    /// scenario cannot name them.
    default_keys: BTreeMap<(AccountId, usize), KeyId>,
    /// Regions currently out.
    pub region_down: Vec<bool>,
    /// Now, as last set by the engine (rules that depend on elapsed time read it).
    pub now: SimTime,
    /// Whether the walks load memory ahead ([`prefetch`](mod@crate::kernel::prefetch)): the live entities
    /// outgrew the caches. Set by the engine as the run goes; a hint only, never in a result.
    pub hints: bool,
    /// Names → ids, for scenario references.
    pub region_names: BTreeMap<String, RegionId>,
    /// Names → ids.
    pub account_names: BTreeMap<String, AccountId>,
    /// Names → ids.
    pub volume_names: BTreeMap<String, VolumeId>,
    /// Names → ids.
    pub key_names: BTreeMap<String, KeyId>,
    /// The empty tag set, shared by every volume without tags.
    no_tags: Arc<[String]>,
}

impl World {
    /// An empty world with `params` per provider, indexed by [`Provider::index`]
    /// (`providers::default_params()` gives every registered provider's defaults).
    pub fn new(params: Vec<ProviderParams>) -> Self {
        Self {
            regions: Vec::new(),
            accounts: Vec::new(),
            keys: Vec::new(),
            volumes: Vec::new(),
            instances: Vec::new(),
            backups: Table::default(),
            copies: Table::default(),
            copy_groups: BTreeMap::new(),
            permissions: BTreeMap::new(),
            declined: BTreeMap::new(),
            links: Vec::new(),
            link_index: Vec::new(),
            params,
            default_key_names: Vec::new(),
            default_keys: BTreeMap::new(),
            region_down: Vec::new(),
            now: SimTime::ZERO,
            hints: false,
            region_names: BTreeMap::new(),
            account_names: BTreeMap::new(),
            volume_names: BTreeMap::new(),
            key_names: BTreeMap::new(),
            no_tags: Arc::from(Vec::new()),
        }
    }

    /// Parameters of `provider`.
    pub fn params(&self, provider: Provider) -> &ProviderParams {
        &self.params[provider.index()]
    }

    /// Region by id.
    pub fn region(&self, id: RegionId) -> &Region {
        &self.regions[id.index()]
    }
    /// Account by id.
    pub fn account(&self, id: AccountId) -> &Account {
        &self.accounts[id.index()]
    }
    /// Key by id.
    pub fn key(&self, id: KeyId) -> &Key {
        &self.keys[id.index()]
    }
    /// Volume by id.
    pub fn volume(&self, id: VolumeId) -> &Volume {
        &self.volumes[id.index()]
    }
    /// Backup by id.
    pub fn backup(&self, id: BackupId) -> &Backup {
        &self.backups[id.index()]
    }
    /// Copy by id.
    pub fn copy(&self, id: CopyId) -> &Copy {
        &self.copies[id.index()]
    }
    /// Link by id.
    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.index()]
    }

    /// The provider whose rules govern `copy` (its source region's).
    pub fn provider_of(&self, copy: &Copy) -> Provider {
        self.region(copy.source_region).provider
    }

    /// Adds a region.
    pub fn add_region(&mut self, name: &str, provider: Provider, partition: Partition) -> RegionId {
        let id = RegionId::from_index(self.regions.len());
        self.regions.push(Region {
            id,
            name: name.to_string(),
            code: None,
            provider,
            partition,
            opt_in: false,
            cross_region_copy: true,
        });
        self.region_names.insert(name.to_string(), id);
        self.region_down.push(false);
        for a in 0..self.accounts.len() {
            self.add_default_key(AccountId::from_index(a), provider.index());
        }
        let n = self.regions.len();
        let mut index = vec![None; n * n];
        for l in &self.links {
            index[l.from.index() * n + l.to.index()] = Some(l.id);
        }
        self.link_index = index;
        id
    }

    /// Adds an account.
    pub fn add_account(&mut self, name: &str) -> AccountId {
        let id = AccountId::from_index(self.accounts.len());
        self.accounts.push(Account {
            id,
            name: name.to_string(),
            organization: None,
            copy_concurrency: None,
            iam: None,
            vaults: Vec::new(),
            encryption_by_default: false,
            default_key: None,
        });
        self.account_names.insert(name.to_string(), id);
        // Its default key of each provider that keeps one and has a region here, in registry order.
        for p in 0..self.default_key_names.len() {
            if self.regions.iter().any(|r| r.provider.index() == p) {
                self.add_default_key(id, p);
            }
        }
        id
    }

    /// Adds a key owned by `owner`.
    pub fn add_key(&mut self, name: &str, owner: AccountId) -> KeyId {
        let id = KeyId::from_index(self.keys.len());
        self.keys.push(Key {
            id,
            name: name.to_string(),
            owner,
            region: None,
            grants: Default::default(),
            customer_managed: true,
        });
        self.key_names.insert(name.to_string(), id);
        id
    }

    /// Adds a volume.
    pub fn add_volume(
        &mut self,
        name: &str,
        account: AccountId,
        region: RegionId,
        kind: VolumeKind,
        size_bytes: u64,
        change_ppm_per_day: u32,
    ) -> VolumeId {
        let id = VolumeId::from_index(self.volumes.len());
        self.volumes.push(Volume {
            id,
            name: name.to_string(),
            account,
            region,
            kind,
            size_bytes,
            change_ppm_per_day,
            key: None,
            tags: Arc::clone(&self.no_tags),
            instance: None,
            boot: false,
            generation: 1,
            regional: false,
            resized_since_backup: false,
            last_backup_at: None,
            carried_ms: 0,
            chain: Default::default(),
            last_full_bytes: 0,
            dests: Default::default(),
        });
        self.volume_names.insert(name.to_string(), id);
        id
    }

    /// Declares the link `from → to`.
    pub fn add_link(&mut self, from: RegionId, to: RegionId, params: LinkParams) -> LinkId {
        let n = self.regions.len();
        let id = LinkId::from_index(self.links.len());
        self.links.push(Link::new(id, from, to, params, true));
        self.link_index[from.index() * n + to.index()] = Some(id);
        id
    }

    /// The link `from → to`, creating the provider's default link on first use.
    pub fn link_between(&mut self, from: RegionId, to: RegionId) -> LinkId {
        let n = self.regions.len();
        let slot = from.index() * n + to.index();
        if let Some(id) = self.link_index[slot] {
            return id;
        }
        let p = *self.params(self.region(from).provider);
        let params = LinkParams {
            bandwidth_bytes_per_s: p.link_bandwidth_bytes_per_s,
            latency: p.link_latency,
            copy_cap_bytes_per_s: p.copy_cap_bytes_per_s,
        };
        let id = LinkId::from_index(self.links.len());
        self.links.push(Link::new(id, from, to, params, false));
        self.link_index[slot] = Some(id);
        id
    }

    /// Takes the next source backup of `volume` at `now` (state CREATING) and returns it.
    pub fn take_backup(&mut self, volume: VolumeId, now: SimTime) -> BackupId {
        self.take_backup_over(volume, now, true)
    }

    /// [`World::take_backup`], saying whether an earlier backup of `volume` still exists
    /// (`base_exists`). When none does (all deleted), the backup holds the whole volume, full,
    /// as the first one does; the chain still records the data changed since the previous
    /// backup, which is what an incremental copy over an earlier copy in a destination moves.
    pub fn take_backup_over(&mut self, volume: VolumeId, now: SimTime, base_exists: bool) -> BackupId {
        let id = BackupId::from_index(self.backups.next_index());
        let v = &mut self.volumes[volume.index()];
        let prev_full = v.last_full_bytes;
        let (kind, delta_bytes) = match v.last_backup_at {
            None => (BackupKind::Full, v.size_bytes),
            Some(prev) => {
                let elapsed = u128::from(now.since(prev).as_ms() + v.carried_ms);
                let changed =
                    u128::from(v.size_bytes) * u128::from(v.change_ppm_per_day) * elapsed / (1_000_000 * MS_PER_DAY);
                // Growth from a resize is new data too.
                let grown = u128::from(v.size_bytes.saturating_sub(prev_full));
                (BackupKind::Incremental, u64::try_from(changed + grown).unwrap_or(u64::MAX).min(v.size_bytes))
            }
        };
        let seq = v.chain.len() + 1;
        let after_resize = v.resized_since_backup && v.last_backup_at.is_some();
        v.resized_since_backup = false;
        v.carried_ms = 0;
        v.last_backup_at = Some(now);
        v.last_full_bytes = v.size_bytes;
        v.chain.push(id, delta_bytes, after_resize);
        let (kind, delta_bytes) = if base_exists { (kind, delta_bytes) } else { (BackupKind::Full, v.size_bytes) };
        let backup = Backup {
            id,
            volume,
            seq,
            region: v.region,
            account: v.account,
            kind,
            delta_bytes,
            full_bytes: v.size_bytes,
            key: v.key,
            state: BackupState::Creating,
            origin_copy: Maybe::NONE,
            flags: Flags::new(after_resize, true),
            created_at: now,
            lineage_created_at: now,
            available_at: Stamp::NONE,
            stable_at: Stamp::NONE,
            deleted_at: Stamp::NONE,
            first_copy: Maybe::NONE,
            last_copy: Maybe::NONE,
            copies_in_progress: 0,
            last_copy_completed_at: Stamp::NONE,
            schedule: Maybe::NONE,
            deleted_by: None,
            deletion_requested_at: Stamp::NONE,
            consistency_group: Maybe::NONE,
            settled: false,
        };
        self.backups.push(backup);
        id
    }

    /// Resizes `volume`; the next backup is flagged as the first after a resize, and the growth counts as changed data.
    pub fn resize_volume(&mut self, volume: VolumeId, size_bytes: u64) {
        let v = &mut self.volumes[volume.index()];
        v.size_bytes = size_bytes;
        v.resized_since_backup = true;
    }

    /// Copy `copy` is requested by IAM group `group` instead of its account's (OCI).
    pub fn set_copy_group(&mut self, copy: CopyId, group: &str) {
        self.copy_groups.insert(copy, group.into());
    }

    /// The IAM group copy `copy` was requested by, when not its account's.
    pub fn copy_group(&self, copy: CopyId) -> Option<&str> {
        self.copy_groups.get(&copy).map(|g| &**g)
    }

    /// Whether `account` may use backup `b`: its owner, an account it is shared with, or anyone
    /// if it is public (EBS snapshot permissions).
    pub fn shared_with(&self, b: &Backup, account: AccountId) -> bool {
        b.account == account
            || (!self.permissions.is_empty() && self.permissions.get(&b.id).is_some_and(|p| p.allow(account)))
    }

    /// Gives `account` access to backup `b` (or everyone, with `public`).
    pub fn share(&mut self, b: BackupId, account: Option<AccountId>, public: bool) {
        self.permissions.entry(b).or_default().grant(account, public);
    }

    /// Gives every account of `list` (sorted, without repeats: a schedule's `share_with`) access
    /// to backup `b`.
    pub fn share_list(&mut self, b: BackupId, list: &std::sync::Arc<[AccountId]>) {
        self.permissions.entry(b).or_default().grant_list(list);
    }

    /// Takes back `account`'s permission on backup `b` (or, with `public`, its being public);
    /// whether there was one.
    pub fn revoke(&mut self, b: BackupId, account: Option<AccountId>, public: bool) -> bool {
        self.permissions.get_mut(&b).is_some_and(|p| p.revoke(account, public))
    }

    /// Share `s` ends at `now` (its backup deleted, or its sharing cancelled): DELETED for its
    /// recipient, whose vault gets its space back.
    pub fn end_share(&mut self, s: CopyId, now: SimTime) {
        let c = &mut self.copies[s.index()];
        c.state = CopyState::Terminated;
        c.deleted_at = crate::kernel::Stamp::from(now);
        self.left_available(s);
        self.release_share(s);
    }

    /// Takes back every permission on backup `b`, and forgets who declined a share of it.
    pub fn unshare(&mut self, b: BackupId) {
        if !self.permissions.is_empty() {
            self.permissions.remove(&b);
        }
        if !self.declined.is_empty() {
            self.declined.remove(&b);
        }
    }

    /// The projects that declined a share of backup `b` and are still on its share list.
    pub fn declined_by(&self, b: BackupId) -> &[AccountId] {
        self.declined.get(&b).map_or(&[], Vec::as_slice)
    }

    /// `project` declined its share of backup `b`: it stays on the share list.
    pub fn list_declined(&mut self, b: BackupId, project: AccountId) {
        let list = self.declined.entry(b).or_default();
        if !list.contains(&project) {
            list.push(project);
        }
    }

    /// Takes `project`, which declined a share of backup `b`, off its share list (the sharer
    /// cancelled sharing with it, or shares with it again); whether it was there.
    pub fn unlist_declined(&mut self, b: BackupId, project: AccountId) -> bool {
        let Some(list) = self.declined.get_mut(&b) else { return false };
        let Some(i) = list.iter().position(|&p| p == project) else { return false };
        list.remove(i);
        if list.is_empty() {
            self.declined.remove(&b);
        }
        true
    }

    /// Forgets copy `copy`'s group (it leaves the world).
    pub(super) fn forget_copy_group(&mut self, copy: CopyId) {
        if !self.copy_groups.is_empty() {
            self.copy_groups.remove(&copy);
        }
    }

    /// Appends `copy`, assigning its id.
    pub fn push_copy(&mut self, mut copy: Copy) -> CopyId {
        let id = CopyId::from_index(self.copies.next_index());
        copy.id = id;
        copy.next_sibling = Maybe::NONE;
        let src = &mut self.backups[copy.source.index()];
        let last = src.last_copy.get();
        src.last_copy = id.into();
        match last {
            Some(last) => self.copies[last.index()].next_sibling = id.into(),
            None => src.first_copy = id.into(),
        }
        self.copies.push(copy);
        id
    }

    /// The copies made from `backup`, in request order.
    pub fn copies_from(&self, backup: BackupId) -> impl Iterator<Item = &Copy> + '_ {
        std::iter::successors(self.backup(backup).first_copy.get().map(|c| self.copy(c)), |c| {
            c.next_sibling.get().map(|n| self.copy(n))
        })
    }

    /// The changed data between the lineage's source backups `from_seq` (exclusive) and `to_seq` (inclusive), capped at `to_seq`'s full size.
    pub fn delta_between(&self, volume: VolumeId, from_seq: u32, to_seq: u32) -> u64 {
        let v = self.volume(volume);
        let (lo, hi) = if from_seq < to_seq { (from_seq, to_seq) } else { (to_seq, from_seq) };
        let full = v.backup_seq(to_seq).map(|b| self.backup(b).full_bytes).unwrap_or(0);
        (v.chain.cum_delta(hi) - v.chain.cum_delta(lo)).min(full)
    }

    /// Bytes the live backups and copies hold (what decides [`World::hints`]).
    pub fn live_bytes(&self) -> usize {
        self.backups.live() * size_of::<Option<Backup>>() + self.copies.live() * size_of::<Option<Copy>>()
    }

    /// Starts loading, in stages, what planning `copy` (full or incremental, over which base)
    /// reads: at stage 5 the copy; at 4 its source backup and its volume's chain and
    /// destinations; at 3 the newest copy started in its destination (its id in the list) and
    /// the chain's newest entries; at 2 that copy; at 1 the backup it wrote. Each stage reads
    /// only what the one before loaded (in cache by then, or a short wait), never more.
    pub fn prefetch_planning(&self, copy: CopyId, stage: u8) {
        use crate::kernel::prefetch;
        if stage >= 5 {
            self.copies.prefetch(copy.index());
            return;
        }
        let Some(c) = self.copies.get(copy.index()) else { return };
        let Some(v) = self.volumes.get(c.volume.index()) else { return };
        if stage == 4 {
            self.backups.prefetch(c.source.index());
            prefetch(&v.chain);
            prefetch(&v.dests);
            return;
        }
        let newest = v.dest(c.dest_region, c.account).and_then(|d| d.started.back()).map(|l| &l.copy);
        match stage {
            3 => {
                if let Some(id) = newest {
                    prefetch(id);
                }
                v.chain.prefetch_newest();
            }
            2 => {
                if let Some(&id) = newest {
                    self.copies.prefetch(id.index());
                }
            }
            _ => {
                if let Some(b) = newest.and_then(|&id| self.copies.get(id.index())).and_then(|n| n.dest_backup.get()) {
                    self.backups.prefetch(b.index());
                }
            }
        }
    }

    /// The lineage's source backup for a (possibly copied) backup.
    pub fn source_of(&self, backup: BackupId) -> BackupId {
        let b = self.backup(backup);
        self.volume(b.volume).backup_seq(b.seq).unwrap_or(backup)
    }

    /// The key `account` keeps in `region` for copies that name none, if the region's provider
    /// keeps one ([`default_key_names`](Self::default_key_names)). One key per account stands
    /// for that account's key of every region of the provider: keys are compared only between
    /// copies into the same region and account (and its owner is what a grant check reads), so
    /// it behaves as one key per account and region without a key for each pair a scenario
    /// could name (10,000 accounts × 256 regions).
    ///
    /// An account that chose a customer-managed key as its default ([`Account::default_key`])
    /// gets that key in the key's region (in every region for a key pinned to none).
    pub fn default_key(&self, account: AccountId, region: RegionId) -> Option<KeyId> {
        let managed = self.default_keys.get(&(account, self.region(region).provider.index())).copied()?;
        let chosen = self.account(account).default_key.filter(|&k| self.key(k).region.is_none_or(|r| r == region));
        Some(chosen.unwrap_or(managed))
    }

    /// Makes `account`'s default key of the provider at `provider` (named as the provider says,
    /// owned by the account, provider-managed), if the provider keeps one and it is not made yet.
    fn add_default_key(&mut self, account: AccountId, provider: usize) {
        let Some(name) = self.default_key_names.get(provider).copied().flatten() else { return };
        if self.default_keys.contains_key(&(account, provider)) {
            return;
        }
        let id = KeyId::from_index(self.keys.len());
        self.keys.push(Key {
            id,
            name: name.to_string(),
            owner: account,
            region: None,
            grants: Default::default(),
            customer_managed: false,
        });
        self.default_keys.insert((account, provider), id);
    }

    /// Whether `account` may use `key`.
    pub fn key_usable_by(&self, key: KeyId, account: AccountId) -> bool {
        self.key(key).usable_by(account)
    }
}

impl World {
    /// Marks `copy` started at `now` with the planned kind, and records it in its destination chain.
    pub fn start_copy(&mut self, copy: CopyId, kind: CopyKind, reason: Reason, bytes: u64, now: SimTime) {
        let c = &mut self.copies[copy.index()];
        c.state = CopyState::Copying;
        c.kind = Some(kind);
        c.reason = reason;
        c.bytes = bytes;
        c.started_at = Stamp::from(now);
        c.listed = true;
        let (volume, region, account, seq, source) = (c.volume, c.dest_region, c.account, c.seq, c.source);
        let chain = self.volumes[volume.index()].dest_mut(region, account);
        chain.started.push_back(super::Listed { copy, seq });
        chain.max_seq_started = chain.max_seq_started.max(seq);
        self.backups[source.index()].copies_in_progress += 1;
    }

    /// Ends `copy`'s transfer at `now`: on success it writes its backup in the destination
    /// (returned); on failure it becomes FAULTY with `error`.
    /// `keeps_tags`: whether the copy carries its source's user tags over (the provider says).
    pub fn end_copy(
        &mut self,
        copy: CopyId,
        now: SimTime,
        error: Option<super::ProviderError>,
        keeps_tags: bool,
        key: Option<KeyId>,
    ) -> Option<BackupId> {
        // One lookup each of the copy, its source backup and its destination (disjoint fields).
        let id = BackupId::from_index(self.backups.next_index()); // the backup it writes, if it succeeds
        let c = &mut self.copies[copy.index()];
        let src = &mut self.backups[c.source.index()];
        src.copies_in_progress = src.copies_in_progress.saturating_sub(1);
        c.finished_at = Stamp::from(now);
        let ok = error.is_none();
        if ok {
            src.last_copy_completed_at = Stamp::from(now);
        }
        if !c.listed || ok {
            let d = self.volumes[c.volume.index()].dest_mut(c.dest_region, c.account);
            if !c.listed {
                d.unlisted_in_flight = d.unlisted_in_flight.saturating_sub(1);
            }
            if ok {
                d.last_ok = Some(copy);
            }
        }
        if let Some(e) = error {
            c.state = CopyState::Faulty;
            c.error = Some(Box::new(e));
            return None;
        }
        c.state = CopyState::Available;
        let src = &*src;
        let kind = match c.kind {
            Some(CopyKind::Full) => BackupKind::Full,
            _ => BackupKind::Incremental,
        };
        let tagged = keeps_tags && src.tagged();
        let backup = Backup {
            id,
            volume: c.volume,
            seq: c.seq,
            region: c.dest_region,
            account: c.account,
            kind,
            delta_bytes: c.bytes,
            full_bytes: src.full_bytes,
            key,
            state: BackupState::Stable,
            origin_copy: Maybe::from(Some(copy)),
            flags: Flags::new(src.after_resize(), tagged),
            created_at: c.started_at.get().unwrap_or(now),
            lineage_created_at: src.lineage_created_at,
            available_at: Stamp::from(now),
            stable_at: Stamp::from(now),
            deleted_at: Stamp::NONE,
            first_copy: Maybe::NONE,
            last_copy: Maybe::NONE,
            copies_in_progress: 0,
            last_copy_completed_at: Stamp::NONE,
            schedule: Maybe::NONE,
            deleted_by: None,
            deletion_requested_at: Stamp::NONE,
            consistency_group: Maybe::NONE,
            settled: false,
        };
        c.dest_backup = Some(id).into();
        self.backups.push(backup);
        Some(id)
    }

    /// `copy`, whose transfer completed, fails at `now` with `error` after all: it builds on a
    /// copy that failed and can never be restored. It becomes FAULTY and the backup it wrote in
    /// its destination is deleted (returned, if it was still there).
    pub fn fail_completed_copy(&mut self, copy: CopyId, now: SimTime, error: super::ProviderError) -> Option<BackupId> {
        let c = &mut self.copies[copy.index()];
        c.state = CopyState::Faulty;
        c.error = Some(Box::new(error));
        c.finished_at = Stamp::from(now);
        let dest = c.dest_backup.get();
        self.left_available(copy);
        let b = dest.filter(|b| self.backups.get(b.index()).is_some_and(Backup::exists))?;
        self.mark_deleted(b, now, DeletedBy::BaseCopyFailed);
        Some(b)
    }

    /// Marks `backup` deleted at `now` by `by` (its deletion asked for now, unless it was asked
    /// for earlier and had to wait).
    fn mark_deleted(&mut self, backup: BackupId, now: SimTime, by: DeletedBy) {
        let b = &mut self.backups[backup.index()];
        b.state = BackupState::Deleted;
        b.deleted_at = Stamp::from(now);
        b.deleted_by = Some(by);
        if b.deletion_requested_at.is_none() {
            b.deletion_requested_at = now.into();
        }
    }

    /// Deletes `backup` at `now`. If it is a copy's result, that copy becomes TERMINATING
    /// (or TERMINATED at once when the provider has no terminate delay); returns that copy.
    pub fn delete_backup(&mut self, backup: BackupId, now: SimTime, by: DeletedBy) -> Option<CopyId> {
        self.mark_deleted(backup, now, by);
        let Origin::Copy(copy) = self.backups[backup.index()].origin() else { return None };
        let provider = self.region(self.copies[copy.index()].source_region).provider;
        let delay = self.params(provider).terminate_delay;
        let c = &mut self.copies[copy.index()];
        c.deleted_at = Stamp::from(now);
        c.state =
            if delay == crate::kernel::SimDuration::ZERO { CopyState::Terminated } else { CopyState::Terminating };
        self.left_available(copy);
        Some(copy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one provider of these tests (the model knows no provider by name).
    const TEST: Provider = Provider::new(0, "test");

    #[test]
    fn first_backup_is_full_then_incremental_by_change_rate() {
        let mut w = World::new(vec![ProviderParams::base()]);
        let r = w.add_region("r", TEST, Partition::Commercial);
        let a = w.add_account("a");
        // 1000 GB changing 2 % a day.
        let v = w.add_volume("v", a, r, VolumeKind::Block, 1_000_000_000_000, 20_000);
        let b1 = w.take_backup(v, SimTime(0));
        let b2 = w.take_backup(v, SimTime(86_400_000 / 2));
        assert_eq!(w.backup(b1).kind, BackupKind::Full);
        assert_eq!(w.backup(b1).delta_bytes, 1_000_000_000_000);
        assert_eq!(w.backup(b2).kind, BackupKind::Incremental);
        assert_eq!(w.backup(b2).delta_bytes, 10_000_000_000); // 1 % in half a day
        assert_eq!(w.backup(b2).seq, 2);
    }

    #[test]
    fn resize_flags_the_next_backup_only() {
        let mut w = World::new(vec![ProviderParams::base()]);
        let r = w.add_region("r", TEST, Partition::Commercial);
        let a = w.add_account("a");
        let v = w.add_volume("v", a, r, VolumeKind::Block, 100, 0);
        w.take_backup(v, SimTime(0));
        w.resize_volume(v, 200);
        let b2 = w.take_backup(v, SimTime(1));
        let b3 = w.take_backup(v, SimTime(2));
        assert!(w.backup(b2).after_resize());
        assert_eq!(w.backup(b2).full_bytes, 200);
        assert_eq!(w.backup(b2).delta_bytes, 100, "the growth is changed data");
        assert!(!w.backup(b3).after_resize());
    }

    #[test]
    fn default_links_are_created_once() {
        let mut w = World::new(vec![ProviderParams::base()]);
        let a = w.add_region("a", TEST, Partition::Commercial);
        let b = w.add_region("b", TEST, Partition::Commercial);
        let l1 = w.link_between(a, b);
        let l2 = w.link_between(a, b);
        let l3 = w.link_between(b, a);
        assert_eq!(l1, l2);
        assert_ne!(l1, l3);
        assert!(!w.link(l1).declared);
    }
}
