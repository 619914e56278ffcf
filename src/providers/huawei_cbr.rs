//! Huawei Cloud Backup and Recovery backup sharing rules (`huawei-cbr-backup-sharing.md`).
//!
//! Sharing, not copying: a backup is shared with up to 10 projects in its own region; the
//! recipient accepts it into a vault with enough free space, or rejects it; when the sharer
//! deletes it, it disappears for the recipients, while disks already restored from it remain;
//! an encrypted backup is usable only with a key grant to the recipient.

pub use super::active_shares;
use super::{CopyRules, KindDecision, Rejection, Route, Sharing, SourceCodes};
use super::{DefaultPrices, PriceDefault};
use crate::model::{
    AccountId, BackupId, Copy, CopyKind, CopyState, KeyId, Provider, ProviderParams, Reason, RegionId, World,
};

/// "A backup can be shared to a maximum of 10 projects."
pub const MAX_SHARE_PROJECTS: usize = 10;

/// The Huawei CBR rules.
pub struct HuaweiCbr;

/// Its handle: position 3 in the [registry](super::registry).
pub const HUAWEI_CBR: Provider = Provider::new(3, "huawei_cbr");

/// Whether `backup` may be shared with `project` in `region`.
pub fn check_share(world: &World, backup: BackupId, project: AccountId, region: RegionId) -> Result<(), Rejection> {
    let b = world.backup(backup);
    if !b.exists() {
        return Err(Rejection::new("BackupService.NotFound", format!("backup #{} does not exist", b.seq)));
    }
    if !b.has_reached(crate::model::BackupState::Available) {
        return Err(Rejection::new(
            "BackupService.InvalidState",
            format!("backup #{} is {}, not available", b.seq, b.state.name()),
        ));
    }
    if region != b.region {
        return Err(Rejection::new(
            "BackupService.CrossRegionShare",
            format!(
                "backups cannot be shared across regions: the backup is in {}, the project in {}",
                world.region(b.region).name,
                world.region(region).name
            ),
        ));
    }
    if project == b.account {
        return Err(Rejection::new("BackupService.InvalidProject", "a backup cannot be shared with its own project"));
    }
    if active_shares(world, backup).any(|c| c.account == project) {
        return Err(Rejection::new(
            "BackupService.AlreadyShared",
            format!("backup #{} is already shared with {}", b.seq, world.account(project).name),
        ));
    }
    let listed = projects_listed(world, backup, project);
    if listed >= MAX_SHARE_PROJECTS {
        return Err(Rejection::new(
            "BackupService.ShareLimit",
            format!(
                "a backup can be shared to a maximum of {MAX_SHARE_PROJECTS} projects: {listed} are on its share list \
                 (a project that declined stays there until sharing with it is cancelled)"
            ),
        ));
    }
    Ok(())
}

/// The projects on `backup`'s share list other than `project`, each holding one of the ten
/// slots: those whose share is pending or accepted, and those that declined theirs. "A backup
/// can be shared to a maximum of 10 projects" counts the sharer's share list: the recipient's
/// answer does not take a project off it, only the sharer's "Cancel Sharing" (or deleting the
/// backup) does. Sharing again with a project that declined asks it again in its own slot.
pub fn projects_listed(world: &World, backup: BackupId, project: AccountId) -> usize {
    active_shares(world, backup).count() + world.declined_by(backup).iter().filter(|&&p| p != project).count()
}

/// Whether the recipient of `share` may accept it into its vault number `vault`.
pub fn check_accept(world: &World, share: &Copy, vault: Option<usize>) -> Result<(), Rejection> {
    let b = world.backup(share.source);
    if share.state != CopyState::Pending {
        return Err(Rejection::new(
            "BackupService.InvalidState",
            format!("the share is {}, not pending", share.state.name()),
        ));
    }
    if !b.exists() {
        return Err(Rejection::new("BackupService.NotFound", "the shared backup was deleted by its sharer"));
    }
    let recipient = world.account(share.account);
    let region = &world.region(share.dest_region).name;
    let v = match vault.and_then(|i| recipient.vaults.get(i)) {
        Some(v) if v.region == share.dest_region => v,
        // A vault of the recipient's, but elsewhere: the share lives in the backup's region.
        Some(v) => {
            return Err(Rejection::new(
                "BackupService.NoVault",
                format!(
                    "vault {} of {} is in {}; a backup shared in {region} is accepted into a vault in {region}",
                    v.name,
                    recipient.name,
                    world.region(v.region).name
                ),
            ));
        }
        None => {
            return Err(Rejection::new(
                "BackupService.NoVault",
                format!("{} has no backup vault in {region} to store the shared backup", recipient.name),
            ));
        }
    };
    if v.free_bytes() <= b.full_bytes {
        return Err(Rejection::new(
            "BackupService.VaultCapacityInsufficient",
            format!(
                "vault {} has {} left; it must be greater than the backup's {} bytes",
                v.name,
                match v.free_bytes() {
                    1 => "1 byte".to_string(),
                    n => format!("{n} bytes"),
                },
                b.full_bytes
            ),
        ));
    }
    if let Some(k) = b.key
        && !world.key_usable_by(k, share.account)
    {
        return Err(Rejection::new(
            "BackupService.KeyNotGranted",
            format!(
                "the backup is encrypted with {}; the key must be shared (a grant) with {}",
                world.key(k).name,
                recipient.name
            ),
        ));
    }
    Ok(())
}

impl CopyRules for HuaweiCbr {
    fn provider(&self) -> Provider {
        HUAWEI_CBR
    }

    fn default_params(&self) -> ProviderParams {
        ProviderParams::base()
    }

    fn example_regions(&self) -> [(&'static str, &'static str); 2] {
        [("cn-north-4", ""), ("cn-east-3", "")]
    }

    fn starter_scenario(&self) -> &'static str {
        include_str!("../../assets/init/huawei_cbr.toml")
    }

    fn default_prices(&self) -> DefaultPrices {
        DefaultPrices {
            storage: PriceDefault {
                nano_usd: None,
                source: "no public per-GB Huawei CBR vault figure was found: supply it (vault capacity is billed to the destination)",
                as_of: "",
            },
            transfer: PriceDefault {
                nano_usd: None,
                source: "Huawei bills replication traffic to the source region; no public figure was found: supply it",
                as_of: "",
            },
            fast_restore: PriceDefault { nano_usd: None, source: "not modelled for Huawei", as_of: "" },
            pairs: &[],
            rough_pairs: None,
        }
    }

    fn sharing(&self) -> Sharing {
        Sharing::Accepted
    }

    /// "Backups can only be shared among domains in the same region."
    fn no_cross_region_copy(&self) -> Option<&'static str> {
        Some("Huawei CBR shares backups with projects in the same region; it has no cross-region copy")
    }

    fn check_share(
        &self,
        world: &World,
        backup: BackupId,
        project: AccountId,
        region: RegionId,
    ) -> Result<(), Rejection> {
        check_share(world, backup, project, region)
    }

    fn check_accept(&self, world: &World, share: &Copy, vault: Option<usize>) -> Result<(), Rejection> {
        check_accept(world, share, vault)
    }

    /// In CBR's `BackupService.` style, like its share refusals (a key not granted: as an accept
    /// is refused).
    fn source_codes(&self) -> SourceCodes {
        SourceCodes {
            gone: "BackupService.NotFound",
            not_ready: "BackupService.InvalidState",
            moving: "BackupService.InvalidState",
            key_denied: "BackupService.KeyNotGranted",
        }
    }

    /// "If the disk to be backed up is encrypted, the disk backup generated will be an encrypted
    /// backup. The encryption attribute of backups cannot be changed." A disk's later backups
    /// build on its earlier ones (incremental), so encrypting or decrypting the disk would change
    /// the attribute of the chain they belong to: refused. Another key keeps the attribute (the
    /// document says nothing of it) and is accepted.
    fn check_volume_key_change(&self, from: Option<KeyId>, to: Option<KeyId>) -> Result<(), Rejection> {
        if from.is_some() != to.is_some() {
            let was = if from.is_some() { "encrypted" } else { "unencrypted" };
            return Err(Rejection::new(
                "BackupService.EncryptionUnchangeable",
                format!(
                    "the encryption attribute of backups cannot be changed: the disk's backups are {was} \
                     and its later ones must be too"
                ),
            ));
        }
        Ok(())
    }

    fn check_route(&self, world: &World, route: &Route<'_>) -> Result<(), Rejection> {
        Err(Rejection::new(
            "BackupService.CopyNotSupported",
            format!(
                "CBR backups are shared, not copied: {} → {} would need a share with a project in {}",
                world.region(route.source_region).name,
                world.region(route.dest_region).name,
                world.region(route.source_region).name
            ),
        ))
    }

    fn decide_kind(&self, _world: &World, _copy: &Copy) -> KindDecision {
        KindDecision { kind: CopyKind::Share, reason: Reason::Shared, bytes: 0, base: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::SimTime;
    use crate::model::{Copy as CopyRec, CopyId, Trigger, Vault};
    use crate::providers::testkit::{GB, Kit};

    fn share(k: &mut Kit, b: BackupId, to: AccountId) -> Result<CopyId, Rejection> {
        check_share(&k.w, b, to, k.src)?;
        let mut c = CopyRec::request(CopyId(0), b, k.vol, 1, to, k.src, k.src, Trigger::Manual, SimTime(0));
        c.kind = Some(CopyKind::Share);
        Ok(k.w.push_copy(c))
    }

    #[test]
    fn shares_stay_in_the_region() {
        // "Backups can only be shared among domains in the same region. They cannot be shared across regions."
        let mut k = Kit::new(HUAWEI_CBR);
        let b = k.backup();
        let p = k.w.add_account("p");
        let e = check_share(&k.w, b, p, k.dst).unwrap_err();
        assert_eq!(e.code, "BackupService.CrossRegionShare", "{}", e);
        assert!(check_share(&k.w, b, p, k.src).is_ok());
    }

    #[test]
    fn at_most_ten_projects() {
        // "A backup can be shared to a maximum of 10 projects."
        let mut k = Kit::new(HUAWEI_CBR);
        let b = k.backup();
        for i in 0..10 {
            let p = k.w.add_account(&format!("p{i}"));
            share(&mut k, b, p).unwrap();
        }
        let eleventh = k.w.add_account("p10");
        assert!(share(&mut k, b, eleventh).unwrap_err().code == "BackupService.ShareLimit");
    }

    #[test]
    fn ten_projects_on_the_share_list_a_declined_one_among_them_until_cancelled() {
        // "A backup can be shared to a maximum of 10 projects." — the sharer's share list: a
        // project that declined stays on it (its record is gone, its place is not) until the
        // sharer cancels sharing with it; a cancelled share leaves it.
        let mut k = Kit::new(HUAWEI_CBR);
        let b = k.backup();
        let projects: Vec<AccountId> = (0..12).map(|i| k.w.add_account(&format!("p{i}"))).collect();
        let shares: Vec<CopyId> = projects[..10].iter().map(|&p| share(&mut k, b, p).unwrap()).collect();
        // p0 declines (its record leaves the world once its row is written), p1 is cancelled.
        k.w.copies[shares[0].index()].state = CopyState::Declined;
        k.w.list_declined(b, projects[0]);
        k.w.end_share(shares[1], SimTime(0));
        assert_eq!(projects_listed(&k.w, b, projects[10]), 9, "p0 declined and still listed; p1 cancelled");
        share(&mut k, b, projects[10]).unwrap();
        let e = share(&mut k, b, projects[11]).unwrap_err();
        assert_eq!(e.code, "BackupService.ShareLimit", "{e}");
        // Asked again, p0 takes its own place back, not a new one.
        assert!(check_share(&k.w, b, projects[0], k.src).is_ok());
        // The sharer cancels sharing with p0: its place is free.
        assert!(k.w.unlist_declined(b, projects[0]));
        share(&mut k, b, projects[11]).unwrap();
    }

    #[test]
    fn accept_needs_a_vault_with_more_free_space_than_the_backup() {
        // "the vault's remaining space must be greater than the size of the backup to be accepted."
        let mut k = Kit::new(HUAWEI_CBR);
        let b = k.backup();
        let p = k.w.add_account("p");
        let s = share(&mut k, b, p).unwrap();
        assert!(check_accept(&k.w, k.w.copy(s), Some(0)).unwrap_err().code == "BackupService.NoVault");
        let src = k.src;
        k.w.accounts[p.index()].vaults.push(Vault::new("v".into(), src, 100 * GB));
        let e = check_accept(&k.w, k.w.copy(s), Some(0)).unwrap_err();
        assert_eq!(e.code, "BackupService.VaultCapacityInsufficient", "exactly equal is not enough: {}", e);
        k.w.accounts[p.index()].vaults[0].capacity_bytes = 100 * GB + 1;
        assert!(check_accept(&k.w, k.w.copy(s), Some(0)).is_ok());
    }

    #[test]
    fn a_vault_in_another_region_is_named_with_its_region() {
        // "Backups can only be shared among domains in the same region": the recipient accepts
        // into a vault there; a vault it has elsewhere is not "no vault", and is named.
        let mut k = Kit::new(HUAWEI_CBR);
        let b = k.backup();
        let p = k.w.add_account("p");
        let s = share(&mut k, b, p).unwrap();
        let (src, dst) = (k.src, k.dst);
        k.w.accounts[p.index()].vaults.push(Vault::new("near".into(), src, 500 * GB));
        k.w.accounts[p.index()].vaults.push(Vault::new("far".into(), dst, 500 * GB));
        let e = check_accept(&k.w, k.w.copy(s), Some(1)).unwrap_err();
        assert_eq!(e.code, "BackupService.NoVault");
        let (src_name, dst_name) = (k.w.region(src).name.clone(), k.w.region(dst).name.clone());
        assert!(e.message.contains(&format!("vault far of p is in {dst_name}")), "{e}");
        assert!(e.message.contains(&format!("accepted into a vault in {src_name}")), "{e}");
        assert!(check_accept(&k.w, k.w.copy(s), Some(0)).is_ok());
    }

    #[test]
    fn an_encrypted_backup_needs_a_key_grant() {
        // "When an encrypted backup is shared, the encryption key must be shared with the recipient
        // so that the recipient can use the shared backup."
        let mut k = Kit::new(HUAWEI_CBR);
        let key = k.w.add_key("kms", k.acct);
        k.w.volumes[k.vol.index()].key = Some(key);
        let b = k.backup();
        let p = k.w.add_account("p");
        let src = k.src;
        k.w.accounts[p.index()].vaults.push(Vault::new("v".into(), src, 1_000 * GB));
        let s = share(&mut k, b, p).unwrap();
        assert!(check_accept(&k.w, k.w.copy(s), Some(0)).unwrap_err().code == "BackupService.KeyNotGranted");
        k.w.keys[key.index()].grants.insert(p);
        assert!(check_accept(&k.w, k.w.copy(s), Some(0)).is_ok());
    }

    #[test]
    fn the_encryption_attribute_of_a_disks_backups_cannot_be_changed() {
        // "If the disk to be backed up is encrypted, the disk backup generated will be an
        // encrypted backup. The encryption attribute of backups cannot be changed."
        let mut k = Kit::new(HUAWEI_CBR);
        let (a, b) = (k.w.add_key("a", k.acct), k.w.add_key("b", k.acct));
        let decrypt = HuaweiCbr.check_volume_key_change(Some(a), None).unwrap_err();
        assert_eq!(decrypt.code, "BackupService.EncryptionUnchangeable", "{decrypt}");
        let encrypt = HuaweiCbr.check_volume_key_change(None, Some(a)).unwrap_err();
        assert_eq!(encrypt.code, "BackupService.EncryptionUnchangeable", "{encrypt}");
        assert!(HuaweiCbr.check_volume_key_change(Some(a), Some(b)).is_ok(), "still encrypted");
        assert!(HuaweiCbr.check_volume_key_change(None, None).is_ok());
    }

    #[test]
    fn copies_are_refused() {
        let k = Kit::new(HUAWEI_CBR);
        let r = k.route(k.dst);
        assert!(HuaweiCbr.check_route(&k.w, &r).is_err());
    }
}
