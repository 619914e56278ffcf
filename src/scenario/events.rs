//! Validation of timed events (`[[events]]`): when they happen, which fields each action needs
//! and allows, and the names they refer to. A refusal that depends on the moment is not a file
//! error: it is the provider's answer, recorded when the action runs.

use std::ops::Range;

use toml::Spanned;

use super::build::{Ctx, key_choice};
use super::file::{EventFile, S, ScenarioFile};
use super::units::{parse_duration_ms, parse_size};
use super::{Action, KeyChoice, Policy, Schedule};
use crate::kernel::{SimDuration, SimTime};
use crate::model::{AccountId, RegionId, VolumeId, World};

pub(super) fn build_actions(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    start: jiff::Timestamp,
    horizon: SimDuration,
    schedules: &[Schedule],
    policies: &[Policy],
) -> Vec<Action> {
    let mut out = Vec::new();
    for e in &raw.events {
        let at = parse_at(ctx, &e.at, start, horizon);
        let kind = action_of(ctx, e, world, schedules, policies);
        if let (Some(at), Some((name, kind))) = (at, kind) {
            out.push(Action { at, name, kind });
        }
    }
    out
}

/// One event's action (with its name): its fields checked against the action's definition
/// ([`super::actions`]), its references resolved, then built.
fn action_of(
    ctx: &mut Ctx<'_>,
    e: &EventFile,
    world: &World,
    schedules: &[Schedule],
    policies: &[Policy],
) -> Option<(&'static str, std::sync::Arc<dyn super::actions::Act>)> {
    let action = e.action.get_ref().as_str();
    let Some(def) = super::actions::find(action) else {
        ctx.err(e.action.span(), "action", format!("unknown action `{action}` (expected {})", super::actions::names()));
        return None;
    };
    if !check_fields(ctx, e, action, def.required, def.optional) {
        return None;
    }
    let r = resolve(ctx, e, world)?;
    let mut b = super::actions::BuildCx { ctx, e, r: &r, world, schedules, policies };
    (def.build)(&mut b).map(|kind| (def.name, kind.into()))
}

/// `disable_plan`, `enable_plan`, `delete_plan`: `policy` names a policy (or a plain schedule);
/// `plan` one of its plans (all of them when omitted: deleting a policy deletes its plans).
pub(super) fn plan_action(
    ctx: &mut Ctx<'_>,
    e: &EventFile,
    schedules: &[Schedule],
    policies: &[Policy],
) -> Option<Vec<u32>> {
    let policy = e.policy.as_ref()?; // required by the action's definition
    let chosen: Vec<u32> = if let Some(p) = policies.iter().find(|p| &p.name == policy.get_ref()) {
        match &e.plan {
            None => p.plans.clone(),
            Some(plan) => {
                let full = format!("{}/{}", p.name, plan.get_ref());
                match p.plans.iter().copied().find(|&i| schedules[i as usize].name == full) {
                    Some(i) => vec![i],
                    None => {
                        if !ctx.is_broken("plan", &full) {
                            ctx.err(plan.span(), "plan", format!("policy {} has no plan `{}`", p.name, plan.get_ref()));
                        }
                        return None;
                    }
                }
            }
        }
    } else if let Some(i) = schedules.iter().position(|s| s.policy.is_none() && &s.name == policy.get_ref()) {
        if let Some(plan) = &e.plan {
            let message = format!("`{}` is a schedule, not a policy: it has no plans (drop `plan`)", policy.get_ref());
            ctx.err(plan.span(), "plan", message);
            return None;
        }
        vec![i as u32]
    } else {
        if !ctx.is_broken("policy", policy.get_ref()) {
            ctx.err(policy.span(), "policy", format!("unknown policy or schedule `{}`", policy.get_ref()));
        }
        return None;
    };
    Some(chosen)
}

fn parse_at(ctx: &mut Ctx<'_>, at: &S, start: jiff::Timestamp, horizon: SimDuration) -> Option<SimTime> {
    let text = at.get_ref();
    let ms = if let Ok(t) = text.parse::<jiff::Timestamp>() {
        let d = t.as_millisecond() - start.as_millisecond();
        if d < 0 {
            ctx.err(at.span(), "at", "the instant is before the scenario's start");
            return None;
        }
        d as u64
    } else {
        match parse_duration_ms(text) {
            Ok(ms) => ms,
            Err(_) => {
                ctx.err(
                    at.span(),
                    "at",
                    format!("expected an offset from the start like \"2h\" or an RFC 3339 instant, found {text:?}"),
                );
                return None;
            }
        }
    };
    if ms > horizon.as_ms() {
        ctx.past_horizon(super::build::PastHorizon {
            span: at.span(),
            field: "at",
            message: "the event is after the horizon, so it would never happen".into(),
            what: format!("the event at {text:?}"),
            at_ms: ms,
        });
        return None;
    }
    Some(SimTime(ms))
}

/// Reports every field that is missing or does not apply; true when all is well.
fn check_fields(ctx: &mut Ctx<'_>, e: &EventFile, action: &str, required: &[&str], optional: &[&str]) -> bool {
    let present: [(&str, Option<Range<usize>>); 14] = [
        ("volume", e.volume.as_ref().map(Spanned::span)),
        ("seq", e.seq.as_ref().map(Spanned::span)),
        ("region", e.region.as_ref().map(Spanned::span)),
        ("from", e.from.as_ref().map(Spanned::span)),
        ("to", e.to.as_ref().map(Spanned::span)),
        ("account", e.account.as_ref().map(Spanned::span)),
        ("key", e.key.as_ref().map(Spanned::span)),
        ("size", e.size.as_ref().map(Spanned::span)),
        ("vault", e.vault.as_ref().map(Spanned::span)),
        ("duration", e.duration.as_ref().map(Spanned::span)),
        ("group", e.group.as_ref().map(Spanned::span)),
        ("public", e.public.map(|_| e.action.span())),
        ("policy", e.policy.as_ref().map(Spanned::span)),
        ("plan", e.plan.as_ref().map(Spanned::span)),
    ];
    let mut ok = true;
    for (name, span) in &present {
        match span {
            Some(span) if !required.contains(name) && !optional.contains(name) => {
                ctx.err(span.clone(), name, format!("does not apply to action `{action}`"));
                ok = false;
            }
            None if required.contains(name) => {
                ctx.err(e.action.span(), name, format!("action `{action}` needs `{name}`"));
                ok = false;
            }
            _ => {}
        }
    }
    ok
}

/// An event's references, resolved against the world.
pub(super) struct Resolved {
    pub(super) volume: Option<VolumeId>,
    pub(super) region: Option<RegionId>,
    pub(super) from: Option<RegionId>,
    pub(super) to: Option<RegionId>,
    pub(super) account: Option<AccountId>,
    pub(super) key: Option<KeyChoice>,
    pub(super) seq: Option<u32>,
    pub(super) size: Option<u64>,
    pub(super) duration: Option<u64>,
}

/// Resolves every name and unit the event gives; `None` once any failed (each failure reported).
fn resolve(ctx: &mut Ctx<'_>, e: &EventFile, world: &World) -> Option<Resolved> {
    let region =
        |ctx: &mut Ctx<'_>, v: &Option<S>, f: &str| v.as_ref().map(|r| ctx.lookup(&world.region_names, r, f, "region"));
    let volume = e.volume.as_ref().map(|v| ctx.lookup(&world.volume_names, v, "volume", "volume"));
    let region_v = region(ctx, &e.region, "region");
    let from = region(ctx, &e.from, "from");
    let to = region(ctx, &e.to, "to");
    let account = e.account.as_ref().map(|a| ctx.lookup(&world.account_names, a, "account", "account"));
    let key = e.key.as_ref().map(|k| key_choice(ctx, world, k, "key"));
    let size = e.size.as_ref().map(|s| ctx.unit(s, "size", parse_size));
    let duration = e.duration.as_ref().map(|d| ctx.unit(d, "duration", parse_duration_ms));
    if duration == Some(Some(0)) {
        ctx.err(e.duration.as_ref().map_or(0..0, Spanned::span), "duration", "expected a duration above zero");
        return None;
    }
    let seq = e.seq.as_ref().map(|s| *s.get_ref());
    if seq == Some(0) {
        ctx.err(e.seq.as_ref().map_or(0..0, Spanned::span), "seq", "backups are numbered from 1");
        return None;
    }
    fn ok<T>(x: Option<Option<T>>) -> Result<Option<T>, ()> {
        match x {
            Some(None) => Err(()),
            Some(Some(v)) => Ok(Some(v)),
            None => Ok(None),
        }
    }
    Some(Resolved {
        volume: ok(volume).ok()?,
        region: ok(region_v).ok()?,
        from: ok(from).ok()?,
        to: ok(to).ok()?,
        account: ok(account).ok()?,
        key: ok(key).ok()?,
        seq,
        size: ok(size).ok()?,
        duration: ok(duration).ok()?,
    })
}

/// A copy event never crosses providers.
pub(super) fn check_copy_route(ctx: &mut Ctx<'_>, e: &EventFile, world: &World, r: &Resolved) -> bool {
    let Some(v) = r.volume else { return true };
    let provider = world.region(world.volume(v).region).provider;
    for (region, field, span) in [(r.from, "from", e.from.as_ref()), (r.to, "to", e.to.as_ref())] {
        if let (Some(region), Some(span)) = (region, span)
            && world.region(region).provider != provider
        {
            let msg = format!(
                "volume {} is in a {} region; {} is {}: copies never cross providers",
                world.volume(v).name,
                provider.name(),
                world.region(region).name,
                world.region(region).provider.name()
            );
            ctx.err(span.span(), field, msg);
            return false;
        }
    }
    true
}
