//! Accounts (tenancies, projects), their quota overrides, OCI IAM policies, Huawei vaults, and encryption keys.

use std::collections::BTreeSet;

use super::iam::Statement;
use super::ids::{AccountId, KeyId, RegionId};

/// An account, tenancy or project.
#[derive(Clone, Debug)]
pub struct Account {
    /// This account's id.
    pub id: AccountId,
    /// Its name.
    pub name: String,
    /// AWS Organizations membership (FSx cross-account copies need a shared organization).
    pub organization: Option<String>,
    /// Override of the provider's concurrent-copy quota for this account.
    pub copy_concurrency: Option<u32>,
    /// OCI IAM: the group that requests copies and the policy statements (none: allow all).
    pub iam: Option<IamPolicy>,
    /// Huawei CBR vaults that accept shared backups.
    pub vaults: Vec<Vault>,
    /// EBS "encryption by default": a copy of an unencrypted snapshot made by this account is
    /// encrypted with its default key of the destination region.
    pub encryption_by_default: bool,
    /// The customer-managed key this account chose as its default key for the provider that
    /// keeps one (EBS: "By default this is a unique AWS managed CMK for EBS, or you can specify
    /// a customer managed CMK"), in the key's region (every region for a key pinned to none).
    pub default_key: Option<super::KeyId>,
}

/// The OCI group that requests copies and the statements that grant it permissions.
#[derive(Clone, Debug)]
pub struct IamPolicy {
    /// The group name copies run as.
    pub group: String,
    /// Parsed policy statements.
    pub statements: Vec<Statement>,
}

/// A Huawei CBR backup vault.
#[derive(Clone, Debug)]
pub struct Vault {
    /// Its name.
    pub name: String,
    /// The region it lives in.
    pub region: RegionId,
    /// Total capacity.
    pub capacity_bytes: u64,
    /// Space used by accepted backups.
    pub used_bytes: u64,
    /// The accepted shares it holds now, with the space each takes.
    pub held: Vec<(super::CopyId, u64)>,
}

impl Vault {
    /// An empty vault.
    pub fn new(name: String, region: RegionId, capacity_bytes: u64) -> Self {
        Self { name, region, capacity_bytes, used_bytes: 0, held: Vec::new() }
    }

    /// Holds accepted share `share`, taking `bytes`.
    pub fn hold(&mut self, share: super::CopyId, bytes: u64) {
        self.held.push((share, bytes));
        self.used_bytes += bytes;
    }

    /// Gives back the space of `share`, if it holds it; whether it did.
    pub fn release(&mut self, share: super::CopyId) -> bool {
        let Some(i) = self.held.iter().position(|&(s, _)| s == share) else { return false };
        let (_, bytes) = self.held.swap_remove(i);
        self.used_bytes = self.used_bytes.saturating_sub(bytes);
        true
    }

    /// Remaining space.
    pub fn free_bytes(&self) -> u64 {
        self.capacity_bytes.saturating_sub(self.used_bytes)
    }
}

/// An encryption key (CMK, vault key, customer-managed key).
#[derive(Clone, Debug)]
pub struct Key {
    /// This key's id.
    pub id: KeyId,
    /// Its name.
    pub name: String,
    /// The account that owns it.
    pub owner: AccountId,
    /// The region it lives in, if the scenario pins one.
    pub region: Option<RegionId>,
    /// Accounts granted use of it besides the owner.
    pub grants: BTreeSet<AccountId>,
    /// Whether the key is customer-managed (IBM: copies need a destination key).
    pub customer_managed: bool,
}

impl Key {
    /// Whether `account` may use this key.
    pub fn usable_by(&self, account: AccountId) -> bool {
        self.owner == account || self.grants.contains(&account)
    }
}
