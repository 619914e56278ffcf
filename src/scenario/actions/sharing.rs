//! Sharing a backup with another account, as its provider shares: Huawei's shares a recipient
//! accepts into a vault or rejects, EBS's create-volume permissions.

use super::{Act, ActionDef, BuildCx, Effect, Effects, Reach, backup_name};
use crate::model::{AccountId, Copy, CopyId, CopyKind, CopyState, Reason, RegionId, Trigger, VolumeId, World};
use crate::providers::{Sharing, rules};

/// `share`.
pub(super) const SHARE: ActionDef = ActionDef {
    name: "share",
    required: &["volume", "seq"],
    optional: &["account", "region", "public"],
    description: "Huawei: share with project `account` (in `region`, default the backup's); EBS: add create-volume permission for `account`, or `public = true`",
    build: |b| {
        sharing_fields(b, "a share")?;
        Some(Box::new(Share {
            volume: b.r.volume?,
            seq: b.r.seq?,
            account: b.r.account,
            region: b.r.region,
            public: b.e.public.unwrap_or(false),
        }))
    },
};

/// Whether a `share` or `unshare` names whom its volume's provider shares with: a Huawei
/// project (`account`, never `public`), an EBS account or `public = true`; and whether that
/// provider shares at all. A mistake here could never work at run time: it is the file's.
fn sharing_fields(b: &mut BuildCx<'_, '_>, what: &str) -> Option<()> {
    let v = b.r.volume?;
    let provider = b.world.region(b.world.volume(v).region).provider;
    let public = b.e.public.unwrap_or(false);
    let span = b.e.action.span();
    let problem = match rules(provider).sharing() {
        Sharing::Accepted if public => {
            Some(("public", format!("{what} in {} names one project (`account`); it is never public", provider.name())))
        }
        Sharing::Accepted if b.r.account.is_none() => {
            Some(("account", format!("{what} in {} names the recipient project (`account`)", provider.name())))
        }
        Sharing::Permission if b.r.account.is_none() && !public => {
            Some(("account", format!("{what} in {} names an account or sets public = true", provider.name())))
        }
        Sharing::Unsupported => Some(("action", format!("sharing is not part of {}'s copy model", provider.name()))),
        _ => None,
    };
    match problem {
        Some((field, message)) => {
            b.ctx.err(span, field, message);
            None
        }
        None => Some(()),
    }
}

/// `accept`.
pub(super) const ACCEPT: ActionDef = ActionDef {
    name: "accept",
    required: &["volume", "seq", "account", "vault"],
    optional: &[],
    description: "Huawei: the recipient accepts the share into its vault",
    build: |b| {
        let acct = b.r.account?;
        let vault_name = b.e.vault.as_ref()?;
        let vault = b.world.account(acct).vaults.iter().position(|x| &x.name == vault_name.get_ref());
        if vault.is_none() {
            let account = b.world.account(acct);
            // A vault refused where it is declared (its capacity, its region) has its error.
            if b.ctx.is_broken("vault", &format!("{}/{}", account.name, vault_name.get_ref())) {
                return None;
            }
            let have: Vec<String> = account.vaults.iter().map(|v| format!("`{}`", v.name)).collect();
            let have = if have.is_empty() {
                "it declares none (a recipient needs a vault to accept a share)".to_string()
            } else {
                format!("its vaults: {}", have.join(", "))
            };
            let msg = format!("account {} has no vault `{}`; {have}", account.name, vault_name.get_ref());
            b.ctx.err(vault_name.span(), "vault", msg);
            return None;
        }
        Some(Box::new(Accept { volume: b.r.volume?, seq: b.r.seq?, account: acct, vault }))
    },
};

/// `reject`.
pub(super) const REJECT: ActionDef = ActionDef {
    name: "reject",
    required: &["volume", "seq", "account"],
    optional: &[],
    description: "Huawei: the recipient rejects the share",
    build: |b| Some(Box::new(RejectShare { volume: b.r.volume?, seq: b.r.seq?, account: b.r.account? })),
};

/// `unshare`.
pub(super) const UNSHARE: ActionDef = ActionDef {
    name: "unshare",
    required: &["volume", "seq"],
    optional: &["account", "public"],
    description: "Huawei: cancel sharing with project `account` (pending or accepted: the recipient loses it; its disks stay; declined: the project leaves the share list, freeing its place among the ten); EBS: remove `account`'s create-volume permission, or `public = true` to make the snapshot private",
    build: |b| {
        sharing_fields(b, "cancelling a share")?;
        Some(Box::new(Unshare {
            volume: b.r.volume?,
            seq: b.r.seq?,
            account: b.r.account,
            public: b.e.public.unwrap_or(false),
        }))
    },
};

/// Cancel sharing backup #seq (Huawei: "Cancel Sharing" for a project; EBS: remove a
/// create-volume permission, or make the snapshot private).
#[derive(Debug)]
struct Unshare {
    volume: VolumeId,
    seq: u32,
    account: Option<AccountId>,
    public: bool,
}

impl Act for Unshare {
    fn reaches(&self) -> Reach {
        Reach::Backup(self.volume, self.seq)
    }

    fn target(&self, cx: &dyn Effects) -> String {
        backup_name(cx.world(), self.volume, self.seq)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let w = cx.world();
        // Not taken yet or gone: its provider's not-found code, the words a copy of it would get.
        let b = super::taken(w, self.volume, self.seq)?;
        let provider = w.region(w.backup(b).region).provider;
        let name = backup_name(w, self.volume, self.seq);
        match rules(provider).sharing() {
            Sharing::Accepted => {
                // "Canceling sharing - ... select the projects you want to cancel sharing".
                let Some(project) = self.account else {
                    return Err(format!("cancelling a share in {} names the project (`account`)", provider.name()));
                };
                let share = crate::providers::active_shares(w, b).find(|c| c.account == project).map(|c| c.id);
                let Some(s) = share else {
                    let project_name = w.account(project).name.clone();
                    // A project that declined stays on the share list (holding a slot) until
                    // the sharer cancels sharing with it.
                    if cx.world_mut().unlist_declined(b, project) {
                        return Ok(format!("sharing cancelled: {project_name}, which declined, is off the share list"));
                    }
                    return Err(format!("BackupService.InvalidState: {name} is not shared with {project_name}"));
                };
                let now = cx.now();
                cx.world_mut().end_share(s, now);
                cx.close_copy(s);
                Ok(format!("sharing cancelled: share {} deleted for its recipient", s.0 + 1))
            }
            Sharing::Permission => {
                if self.account.is_none() && !self.public {
                    return Err(format!(
                        "removing a permission in {} names an account or sets public = true",
                        provider.name()
                    ));
                }
                if cx.world_mut().revoke(b, self.account, self.public) {
                    Ok(if self.public {
                        "snapshot made private".into()
                    } else {
                        "create-volume permission removed".into()
                    })
                } else {
                    Err(format!("InvalidParameterValue: {name} has no such permission to remove"))
                }
            }
            Sharing::Unsupported => {
                Err(format!("UnsupportedOperation: sharing is not part of {}'s copy model", provider.name()))
            }
        }
    }
}

/// Share backup #seq (Huawei: with a project; EBS: create-volume permission or public).
#[derive(Debug)]
struct Share {
    volume: VolumeId,
    seq: u32,
    account: Option<AccountId>,
    region: Option<RegionId>,
    public: bool,
}

impl Act for Share {
    fn reaches(&self) -> Reach {
        Reach::Backup(self.volume, self.seq)
    }

    fn target(&self, cx: &dyn Effects) -> String {
        backup_name(cx.world(), self.volume, self.seq)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let w = cx.world();
        // Not taken yet or gone: its provider's not-found code, the words a copy of it would get.
        let b = super::taken(w, self.volume, self.seq)?;
        let backup = w.backup(b);
        let provider = w.region(backup.region).provider;
        match rules(provider).sharing() {
            Sharing::Accepted => {
                let Some(project) = self.account else {
                    return Err(format!("a share in {} names the recipient project (`account`)", provider.name()));
                };
                let region = self.region.unwrap_or(backup.region);
                let mut share = Copy::request(
                    CopyId(0),
                    b,
                    self.volume,
                    self.seq,
                    project,
                    backup.region,
                    region,
                    Trigger::Manual,
                    cx.now(),
                );
                let check = rules(provider).check_share(w, b, project, region);
                match &check {
                    Ok(()) => share.kind = Some(CopyKind::Share), // its reason comes with acceptance
                    Err(e) => {
                        share.state = CopyState::Rejected;
                        share.error = Some(Box::new(e.clone()));
                    }
                }
                let id = cx.world_mut().push_copy(share);
                match check {
                    // Asked again, a project that declined is pending in its own slot.
                    Ok(()) => _ = cx.world_mut().unlist_declined(b, project),
                    Err(_) => cx.close_copy(id),
                }
                check.map(|()| format!("share {} pending acceptance", id.0 + 1)).map_err(|e| e.to_string())
            }
            Sharing::Permission => {
                if self.public {
                    cx.world_mut().share(b, None, true);
                    Ok("snapshot made public".into())
                } else if let Some(a) = self.account {
                    cx.world_mut().share(b, Some(a), false);
                    Ok("create-volume permission added".into())
                } else {
                    Err(format!("a share in {} names an account or sets public = true", provider.name()))
                }
            }
            Sharing::Unsupported => {
                Err(format!("UnsupportedOperation: sharing is not part of {}'s copy model", provider.name()))
            }
        }
    }
}

/// The recipient accepts a share into a vault.
#[derive(Debug)]
struct Accept {
    volume: VolumeId,
    seq: u32,
    account: AccountId,
    vault: Option<usize>,
}

impl Act for Accept {
    fn reaches(&self) -> Reach {
        Reach::Backup(self.volume, self.seq)
    }

    fn target(&self, cx: &dyn Effects) -> String {
        backup_name(cx.world(), self.volume, self.seq)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let Some(s) = pending_share(cx.world(), self.volume, self.seq, self.account) else {
            return Err(no_pending_share(cx.world(), self.volume, self.seq, self.account));
        };
        let w = cx.world();
        let check = rules(w.provider_of(w.copy(s))).check_accept(w, w.copy(s), self.vault);
        let full = w.backup(w.copy(s).source).full_bytes;
        let now = cx.now();
        match check {
            Ok(()) => {
                let c = &mut cx.world_mut().copies[s.index()];
                c.started_at = now.into();
                c.finished_at = now.into();
                c.reason = Reason::Shared;
                c.state = CopyState::Available;
                c.restorable_at = now.into(); // a share moves nothing: the recipient restores from the source
                cx.record_started(s);
                let v = self.vault.expect("checked");
                cx.world_mut().accounts[self.account.index()].vaults[v].hold(s, full);
                Ok(format!("share {} accepted", s.0 + 1))
            }
            // "A recipient can choose to accept or reject a backup": an accept that cannot
            // succeed (no vault there, too little room, no key grant yet) is a refused call,
            // not a rejection — the share stays pending, to be accepted once the recipient has
            // what it needs, or rejected.
            Err(e) => Err(format!("{e} (the share stays pending)")),
        }
    }
}

/// The recipient rejects a share.
#[derive(Debug)]
struct RejectShare {
    volume: VolumeId,
    seq: u32,
    account: AccountId,
}

impl Act for RejectShare {
    fn reaches(&self) -> Reach {
        Reach::Backup(self.volume, self.seq)
    }

    fn target(&self, cx: &dyn Effects) -> String {
        backup_name(cx.world(), self.volume, self.seq)
    }

    fn apply(&self, cx: &mut dyn Effects) -> Effect {
        let Some(s) = pending_share(cx.world(), self.volume, self.seq, self.account) else {
            return Err(no_pending_share(cx.world(), self.volume, self.seq, self.account));
        };
        let c = &mut cx.world_mut().copies[s.index()];
        // The recipient's choice, not a refusal: no error code, not counted among the refused
        // copies (its own state, DECLINED), and still a share (`kind`), never accepted (no reason),
        // like one its sharer ended while it was pending.
        c.state = CopyState::Declined;
        let source = c.source;
        // Its record leaves once its row is written; the project stays on the share list.
        cx.world_mut().list_declined(source, self.account);
        cx.close_copy(s);
        Ok(format!("share {} rejected by the recipient", s.0 + 1))
    }
}

/// Why `account` has no share of `volume`'s backup `#seq` to accept or reject: the backup is
/// gone or not taken yet, its share was accepted already (an accepted share stays in memory),
/// or none is pending (a rejected or refused share leaves memory once its row is written, so
/// "never shared" and "rejected already" are one case here).
fn no_pending_share(w: &World, volume: VolumeId, seq: u32, account: AccountId) -> String {
    let project = &w.account(account).name;
    let name = backup_name(w, volume, seq);
    let b = match super::taken(w, volume, seq) {
        Ok(b) => b,
        Err(missing) => return missing,
    };
    if !w.backup(b).exists() {
        return format!("BackupService.NotFound: {name} was deleted by its sharer");
    }
    let last = w.copies_from(b).filter(|c| c.account == account && c.kind == Some(CopyKind::Share)).last();
    match last.map(|c| c.state) {
        None => format!(
            "BackupService.InvalidState: {name} has no share pending for {project} (never shared with it, or answered already)"
        ),
        Some(CopyState::Available) => {
            format!("BackupService.InvalidState: {project} accepted the share of {name} already")
        }
        Some(state) => {
            format!("BackupService.InvalidState: the share of {name} with {project} is {}, not pending", state.name())
        }
    }
}

/// The share of `volume`'s backup `#seq` waiting for `account` to accept or reject it.
fn pending_share(w: &World, volume: VolumeId, seq: u32, account: AccountId) -> Option<CopyId> {
    let b = w.volume(volume).backup_seq(seq)?;
    w.copies_from(b)
        .find(|c| c.kind == Some(CopyKind::Share) && c.account == account && c.state == CopyState::Pending)
        .map(|c| c.id)
}
