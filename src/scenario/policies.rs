//! Validation of instances, backup policies and their plans (IBM Backup for VPC's model, usable with every provider).
//!
//! Limits enforced as validation errors, for IBM regions: "You can create up to 10 backup
//! policies per account in a region", "You can create up to four plans per policy". Retention:
//! "you can set the retention period value anywhere between 1 and 1000 days", default 30; a
//! count up to 750 per first-generation volume and 512 per second-generation one.

use std::collections::BTreeMap;

use toml::Spanned;

use super::build::{Ctx, key_choice};
use super::file::{ScenarioFile, TargetFile};
use super::timing::parse_cron;
use super::{KeyChoice, Policy, Schedule, Target};
use crate::kernel::SimDuration;
use crate::model::retention::Retention;
use crate::model::{AccountId, Instance, VolumeId, World};

pub use crate::providers::backup_ceiling;

/// The largest retention count a schedule or plan may keep when its volumes' provider sets no
/// backup ceiling of its own (the highest ceiling any provider documents: IBM's 750).
pub const RETENTION_COUNT_MAX: u32 = 750;

pub(super) fn build_instances(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &mut World) -> BTreeMap<String, u32> {
    let mut names = BTreeMap::new();
    for i in &raw.instances {
        let account = ctx.lookup(&world.account_names, &i.account, "account", "account");
        let region = ctx.lookup(&world.region_names, &i.region, "region", "region");
        if names.contains_key(i.name.get_ref()) {
            let first = super::names::first_named(raw.instances.iter().map(|i| &i.name), i.name.get_ref());
            super::names::twice(ctx, "instance", &i.name, first);
            continue;
        }
        let (Some(account), Some(region)) = (account, region) else {
            ctx.broken("instance", i.name.get_ref());
            continue;
        };
        names.insert(i.name.get_ref().clone(), world.instances.len() as u32);
        world.instances.push(Instance {
            name: i.name.get_ref().clone(),
            account,
            region,
            tags: i.tags.iter().map(|t| t.get_ref().clone()).collect(),
        });
    }
    names
}

/// A retention rule from optional days and count; `default_days` applies when neither is given.
/// A value refused is left out of the rule, so what is built on it (a warm start's steady state,
/// the event budget) is not checked against it: one mistake, one error.
pub(super) fn retention(
    ctx: &mut Ctx<'_>,
    days: &Option<Spanned<u32>>,
    count: &Option<Spanned<u32>>,
    default_days: Option<u32>,
    count_max: u32,
) -> Option<Retention> {
    let mut max_age = None;
    if let Some(d) = days {
        let n = *d.get_ref();
        if (1..=1000).contains(&n) {
            max_age = Some(SimDuration::from_days(u64::from(n)));
        } else {
            ctx.err(d.span(), "retention_days", "the retention period must be between 1 and 1000 days");
        }
    }
    let mut max_count = None;
    if let Some(c) = count {
        let n = *c.get_ref();
        if n == 0 || n > count_max {
            ctx.err(c.span(), "retention_count", format!("expected a count between 1 and {count_max}"));
        } else {
            max_count = Some(n);
        }
    }
    if days.is_none() && count.is_none() {
        max_age = default_days.map(|d| SimDuration::from_days(u64::from(d)));
    }
    (max_age.is_some() || max_count.is_some()).then_some(Retention { max_age, max_count })
}

/// EBS `share_with` accounts: the create-volume permission a provider whose cross-account
/// copies need a share grants (`cross_account_needs_share`). For `volumes` of another provider
/// it is refused: Huawei's recipients must accept a share (the `share` action), and the others
/// share no backup this way — the permission let a Huawei recipient restore a backup it never
/// accepted.
pub(super) fn share_with(
    ctx: &mut Ctx<'_>,
    world: &World,
    names: &[Spanned<String>],
    volumes: &[VolumeId],
) -> Vec<AccountId> {
    let accounts: Vec<AccountId> =
        names.iter().filter_map(|a| ctx.lookup(&world.account_names, a, "share_with", "account")).collect();
    if let Some(first) = names.first() {
        let other = volumes
            .iter()
            .map(|&v| world.volume(v))
            .find(|v| !crate::providers::rules(world.region(v.region).provider).cross_account_needs_share());
        if let Some(v) = other {
            let provider = world.region(v.region).provider.name();
            ctx.err(
                first.span(),
                "share_with",
                format!(
                    "share_with grants EBS's create-volume permission; volume {} is {provider}'s, whose backups are not \
                     shared this way (Huawei: a `share` event the recipient accepts)",
                    v.name
                ),
            );
        }
    }
    accounts
}

pub(super) fn build_targets(
    ctx: &mut Ctx<'_>,
    world: &World,
    targets: &[TargetFile],
    count_max: u32,
) -> Vec<(Target, std::ops::Range<usize>)> {
    let mut out: Vec<(Target, std::ops::Range<usize>)> = Vec::new();
    for t in targets {
        let region = ctx.lookup(&world.region_names, &t.region, "region", "region");
        let account = t.account.as_ref().map(|a| ctx.lookup(&world.account_names, a, "account", "account"));
        let key = t.key.as_ref().map(|k| key_choice(ctx, world, k, "key"));
        let retention = retention(ctx, &t.retention_days, &t.retention_count, None, count_max);
        let (Some(region), Some(account), Some(key)) =
            (region, account.unwrap_or(Some(AccountId(u16::MAX))), key.unwrap_or(Some(KeyChoice::Keep)))
        else {
            continue;
        };
        let account = (account != AccountId(u16::MAX)).then_some(account);
        if let Some((_, first)) = out.iter().find(|(x, _)| x.region == region && x.account == account) {
            let line = ctx.line_of(first.start);
            let message = format!(
                "{} is already a copy target of this list (line {line}): every backup would be copied there twice",
                t.region.get_ref()
            );
            ctx.err(t.region.span(), "copy_to.region", message);
            continue;
        }
        out.push((Target { region, account, key, retention }, t.region.span()));
    }
    out
}

fn matches(tags: &[String], wanted: &[Spanned<String>]) -> bool {
    wanted.iter().any(|w| tags.iter().any(|t| t == w.get_ref()))
}

pub(super) fn build_policies(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    schedules: &mut Vec<Schedule>,
    horizon: Option<SimDuration>,
) -> Vec<Policy> {
    let mut policies = Vec::new();
    let mut per_scope: BTreeMap<(AccountId, crate::model::RegionId), usize> = BTreeMap::new();
    for p in &raw.policies {
        let account = ctx.lookup(&world.account_names, &p.account, "account", "account");
        let region = ctx.lookup(&world.region_names, &p.region, "region", "region");
        let (Some(account), Some(region)) = (account, region) else {
            ctx.broken("policy", p.name.get_ref());
            continue;
        };
        if policies.iter().any(|x: &Policy| &x.name == p.name.get_ref()) {
            continue; // reported by names::check
        }
        let limits = crate::providers::rules(world.region(region).provider).policy_limits();
        let n = per_scope.entry((account, region)).or_default();
        *n += 1;
        if let Some(l) = limits.filter(|l| *n > l.per_account_region) {
            ctx.err(p.name.span(), "name", format!(
                "account {} already has {} backup policies in {}: \"You can create up to 10 backup policies per account in a region\"",
                world.account(account).name, l.per_account_region, world.region(region).name
            ));
            ctx.broken("policy", p.name.get_ref());
            continue;
        }
        if let Some(l) = limits.filter(|l| p.plans.len() > l.plans_per_policy) {
            let extra = &p.plans[l.plans_per_policy];
            ctx.err(
                extra.name.span(),
                "plans",
                format!(
                    "a policy has at most {} plans: \"You can create up to four plans per policy\"",
                    l.plans_per_policy
                ),
            );
            ctx.broken("policy", p.name.get_ref());
            continue;
        }
        let instances_mode = match p.target.as_ref().map(|t| t.get_ref().as_str()) {
            None | Some("volumes") => false,
            Some("instances") => true,
            Some(other) => {
                let span = p.target.as_ref().map_or(p.name.span(), Spanned::span);
                ctx.err(span, "target", format!("unknown target `{other}` (expected volumes or instances)"));
                ctx.broken("policy", p.name.get_ref());
                continue;
            }
        };
        if p.tags.is_empty() {
            ctx.err(p.name.span(), "tags", "a policy selects its targets by at least one user tag");
            ctx.broken("policy", p.name.get_ref());
            continue;
        }
        let (volumes, groups, skipped_gen2) = select_targets(world, account, region, p, instances_mode);
        let count_max = volumes.iter().filter_map(|&v| backup_ceiling(world, v)).min().unwrap_or(RETENTION_COUNT_MAX);
        let policy_index = policies.len() as u32;
        let mut plan_ids = Vec::new();
        for plan in &p.plans {
            if let Some(s) = build_plan(ctx, world, plan, &p.name, policy_index, &volumes, &groups, count_max, horizon)
            {
                plan_ids.push(schedules.len() as u32);
                schedules.push(s);
            } else {
                ctx.broken("plan", &format!("{}/{}", p.name.get_ref(), plan.name.get_ref()));
            }
        }
        policies.push(Policy { name: p.name.get_ref().clone(), account, region, plans: plan_ids, skipped_gen2 });
    }
    policies
}

type Selection = (Vec<VolumeId>, Vec<Option<u32>>, Vec<VolumeId>);

/// The volumes a policy backs up: by volume tags, or every volume attached to a tagged instance
/// (boot included unless excluded; second-generation volumes are left out of consistency groups:
/// "only the first-generation volumes are included in the backup snapshots").
fn select_targets(
    world: &World,
    account: AccountId,
    region: crate::model::RegionId,
    p: &super::file::PolicyFile,
    instances: bool,
) -> Selection {
    let (mut volumes, mut groups, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    if !instances {
        for v in &world.volumes {
            if v.account == account && v.region == region && matches(&v.tags, &p.tags) {
                volumes.push(v.id);
                groups.push(None);
            }
        }
        return (volumes, groups, skipped);
    }
    let include_boot = p.include_boot.unwrap_or(true);
    for (i, inst) in world.instances.iter().enumerate() {
        if inst.account != account || inst.region != region || !matches(&inst.tags, &p.tags) {
            continue;
        }
        for v in world.volumes.iter().filter(|v| v.instance == Some(i as u32)) {
            if v.boot && !include_boot {
                continue;
            }
            if v.generation >= 2 {
                skipped.push(v.id);
                continue;
            }
            volumes.push(v.id);
            groups.push(Some(i as u32));
        }
    }
    (volumes, groups, skipped)
}

/// Why a plan whose cron expression first fires after the horizon would never run (as a
/// schedule whose `offset` is after it is refused): `"0 0 29 2 *"` over 90 days from January.
fn after_the_horizon(
    ctx: &Ctx<'_>,
    plan: &super::file::PlanFile,
    t: &crate::scenario::Timing,
    horizon: Option<SimDuration>,
) -> Option<(String, u64)> {
    let (start, horizon) = (ctx.start?, horizon?);
    let first = t.first(start)?;
    if first.as_ms() <= horizon.as_ms() {
        return None;
    }
    let at =
        i64::try_from(first.as_ms()).ok().and_then(|ms| start.checked_add(jiff::SignedDuration::from_millis(ms)).ok());
    let when = at.map_or_else(String::new, |at| format!(" ({at})"));
    let message = format!(
        "the cron expression {:?} first fires after the horizon{when}, so the plan would never run",
        plan.cron.get_ref()
    );
    Some((message, first.as_ms()))
}

#[allow(clippy::too_many_arguments)]
fn build_plan(
    ctx: &mut Ctx<'_>,
    world: &World,
    plan: &super::file::PlanFile,
    policy_name: &Spanned<String>,
    policy: u32,
    volumes: &[VolumeId],
    groups: &[Option<u32>],
    count_max: u32,
    horizon: Option<SimDuration>,
) -> Option<Schedule> {
    let timing = match parse_cron(plan.cron.get_ref()) {
        Ok(t) => match ctx.cron_fires(plan.cron.get_ref(), &t) {
            Some(Err(m)) => {
                ctx.err(plan.cron.span(), "cron", m);
                None
            }
            _ => after_the_horizon(ctx, plan, &t, horizon).map_or(Some(t), |(message, at_ms)| {
                let what = format!(
                    "plan {}/{}'s first run (cron = {:?})",
                    policy_name.get_ref(),
                    plan.name.get_ref(),
                    plan.cron.get_ref()
                );
                let span = plan.cron.span();
                ctx.past_horizon(super::build::PastHorizon { span, field: "cron", message, what, at_ms });
                None
            }),
        },
        Err(m) => {
            ctx.err(plan.cron.span(), "cron", m);
            None
        }
    };
    let retention = retention(ctx, &plan.retention_days, &plan.retention_count, Some(30), count_max);
    let share_with = share_with(ctx, world, &plan.share_with, volumes);
    let mut targets = Vec::new();
    let distinct = super::build::distinct_routes(world, volumes);
    for (target, span) in build_targets(ctx, world, &plan.copy_to, count_max) {
        if let Some(message) =
            super::build::static_target_problem(world, &distinct, &target, &share_with, &ctx.iam_refused)
        {
            ctx.err(span, "copy_to.region", message);
            continue;
        }
        targets.push(target);
    }
    Some(Schedule {
        name: format!("{}/{}", policy_name.get_ref(), plan.name.get_ref()),
        volumes: volumes.to_vec(),
        timing: timing?,
        targets,
        retention,
        policy: Some(policy),
        groups: groups.to_vec(),
        enabled: plan.enabled.unwrap_or(true),
        share_with,
    })
}
