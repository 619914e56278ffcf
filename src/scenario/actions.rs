//! Every timed action defined once, as ripgrep defines each flag once: its name, the fields it
//! requires and allows, what it does (the text `docs/scenario.md` shows, checked by a test),
//! and how its checked fields become an [`ActionKind`]. The event validator
//! ([`super::events`]) reads this table for everything it says about an action; the engine
//! carries the action out (`engine/actions.rs`, one arm per [`ActionKind`]).

use toml::Spanned;

use super::build::Ctx;
use super::events::{Resolved, check_copy_route, plan_action};
use super::file::EventFile;
use super::{ActionKind, KeyChoice, Policy, Schedule};
use crate::kernel::SimDuration;
use crate::model::World;

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

/// One timed action.
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
    pub(super) build: fn(&mut BuildCx<'_, '_>) -> Option<ActionKind>,
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

fn span(f: Option<&Spanned<String>>) -> std::ops::Range<usize> {
    f.map_or(0..0, Spanned::span)
}

/// Every timed action, in the order `docs/scenario.md` lists them.
pub static ACTIONS: &[ActionDef] = &[
    ActionDef {
        name: "backup",
        required: &["volume"],
        optional: &[],
        description: "an on-demand backup (no copies)",
        build: |b| Some(ActionKind::Backup { volume: b.r.volume? }),
    },
    ActionDef {
        name: "resize",
        required: &["volume", "size"],
        optional: &[],
        description: "new size; the next backup is the first after a resize",
        build: |b| {
            let size_bytes = b.r.size?;
            if size_bytes == 0 {
                b.ctx.err(span(b.e.size.as_ref()), "size", "a volume needs a size above zero");
                return None;
            }
            Some(ActionKind::Resize { volume: b.r.volume?, size_bytes })
        },
    },
    ActionDef {
        name: "copy",
        required: &["volume", "seq", "to"],
        optional: &["from", "account", "key", "group"],
        description: "a manual copy of backup `#seq` (taken from region `from`, default the volume's; `account` is the requesting owner of the copy; `group` the OCI IAM group)",
        build: |b| {
            if !check_copy_route(b.ctx, b.e, b.world, b.r) {
                return None;
            }
            Some(ActionKind::Copy {
                volume: b.r.volume?,
                seq: b.r.seq?,
                from: b.r.from,
                to: b.r.to?,
                account: b.r.account,
                key: b.r.key.unwrap_or(KeyChoice::Keep),
                group: b.e.group.as_ref().map(|g| g.get_ref().clone()),
            })
        },
    },
    ActionDef {
        name: "delete_backup",
        required: &["volume", "seq"],
        optional: &["region"],
        description: "deletes backup `#seq` in `region` (default the volume's); FSx refuses while it is being copied",
        build: |b| Some(ActionKind::DeleteBackup { volume: b.r.volume?, seq: b.r.seq?, region: b.r.region }),
    },
    ActionDef {
        name: "delete_copy",
        required: &["volume", "seq", "region"],
        optional: &["account"],
        description: "deletes the copy of `#seq` in `region`",
        build: |b| {
            Some(ActionKind::DeleteCopy {
                volume: b.r.volume?,
                seq: b.r.seq?,
                region: b.r.region?,
                account: b.r.account,
            })
        },
    },
    ActionDef {
        name: "change_key",
        required: &["volume", "key"],
        optional: &["to"],
        description: "without `to`: the volume's key (future backups); with `to`: the key of its scheduled copies to that region",
        build: |b| Some(ActionKind::ChangeKey { volume: b.r.volume?, key: b.r.key?, to: b.r.to }),
    },
    ActionDef {
        name: "share",
        required: &["volume", "seq"],
        optional: &["account", "region", "public"],
        description: "Huawei: share with project `account` (in `region`, default the backup's); EBS: add create-volume permission for `account`, or `public = true`",
        build: |b| {
            Some(ActionKind::Share {
                volume: b.r.volume?,
                seq: b.r.seq?,
                account: b.r.account,
                region: b.r.region,
                public: b.e.public.unwrap_or(false),
            })
        },
    },
    ActionDef {
        name: "accept",
        required: &["volume", "seq", "account", "vault"],
        optional: &[],
        description: "Huawei: the recipient accepts the share into its vault",
        build: |b| {
            let acct = b.r.account?;
            let vault_name = b.e.vault.as_ref()?;
            let vault = b.world.account(acct).vaults.iter().position(|x| &x.name == vault_name.get_ref());
            if vault.is_none() {
                let msg = format!("account {} has no vault `{}`", b.world.account(acct).name, vault_name.get_ref());
                b.ctx.err(vault_name.span(), "vault", msg);
                return None;
            }
            Some(ActionKind::Accept { volume: b.r.volume?, seq: b.r.seq?, account: acct, vault })
        },
    },
    ActionDef {
        name: "reject",
        required: &["volume", "seq", "account"],
        optional: &[],
        description: "Huawei: the recipient rejects the share",
        build: |b| Some(ActionKind::Reject { volume: b.r.volume?, seq: b.r.seq?, account: b.r.account? }),
    },
    ActionDef {
        name: "grant_key",
        required: &["key", "account"],
        optional: &[],
        description: "the account may use the key from now on",
        build: |b| match b.r.key? {
            KeyChoice::Key(k) => Some(ActionKind::GrantKey { key: k, account: b.r.account? }),
            _ => {
                b.ctx.err(span(b.e.key.as_ref()), "key", "grant_key needs a declared key, not `none`");
                None
            }
        },
    },
    ActionDef {
        name: "restore",
        required: &["volume", "seq"],
        optional: &["account", "region"],
        description: "restores a disk from backup `#seq` (own backup or copy, or an accepted share); disks outlive the backup",
        build: |b| {
            Some(ActionKind::Restore { volume: b.r.volume?, seq: b.r.seq?, account: b.r.account, region: b.r.region })
        },
    },
    ActionDef {
        name: "fail_copy",
        required: &[],
        optional: &["volume", "to"],
        description: "copies in flight (optionally of one volume, into one region) fail now",
        build: |b| Some(ActionKind::FailCopy { volume: b.r.volume, to: b.r.to }),
    },
    ActionDef {
        name: "region_outage",
        required: &["region", "duration"],
        optional: &[],
        description: "copies in flight touching the region fail; new copies wait; scheduled backups there are skipped; and a disaster drill restores every volume of the region in its DR region (`restore.csv`)",
        build: |b| Some(ActionKind::RegionOutage { region: b.r.region?, duration: SimDuration(b.r.duration?) }),
    },
    ActionDef {
        name: "disable_plan",
        required: &["policy"],
        optional: &["plan"],
        description: "the plan (all the policy's plans without `plan`; or a schedule named by `policy`) stops: no backups, no deletions; its backups stay",
        build: |b| plan_action(b.ctx, b.e, b.schedules, b.policies).map(|s| ActionKind::DisablePlan { schedules: s }),
    },
    ActionDef {
        name: "enable_plan",
        required: &["policy"],
        optional: &["plan"],
        description: "a disabled plan runs again from its next occurrence",
        build: |b| plan_action(b.ctx, b.e, b.schedules, b.policies).map(|s| ActionKind::EnablePlan { schedules: s }),
    },
    ActionDef {
        name: "delete_plan",
        required: &["policy"],
        optional: &["plan"],
        description: "deletes the plan — or, without `plan`, the policy and all its plans; existing backups stay",
        build: |b| plan_action(b.ctx, b.e, b.schedules, b.policies).map(|s| ActionKind::DeletePlan { schedules: s }),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(fields: &[&str]) -> String {
        fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
    }

    #[test]
    fn docs_scenario_md_lists_every_action_as_defined() {
        let doc = include_str!("../../docs/scenario.md");
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
