//! Validation of `[cost]` (the price book and its overrides), `[[fast_restore]]` and `[report]`.
//! A scenario that asks for costs must have a price for everything it will be billed for: where
//! no public figure exists (OCI, IBM, Huawei, FSx storage) that is a validation error naming the
//! missing price, never a silent zero.

use std::collections::BTreeMap;

use toml::Spanned;

use super::build::Ctx;
use super::file::{S, ScenarioFile};
use super::units::parse_duration_ms;
use super::{Action, ReportSettings, Schedule};
use crate::cost::ledger::FastRestore;
use crate::cost::prices::{Item, MAX_PRICE_USD, PriceBook, nano_from_dollars};
use crate::kernel::{SimDuration, SimTime};
use crate::model::{Provider, RegionId, VolumeId, World};

/// Most zones a `[[fast_restore]]` entry may name (AWS regions have up to six availability
/// zones, IBM regions three): a typo of a huge count would bill absurd sums.
const MAX_ZONES: u32 = 64;

fn dollars(ctx: &mut Ctx<'_>, v: &Spanned<f64>, field: &str) -> Option<u64> {
    let n = nano_from_dollars(*v.get_ref());
    if n.is_none() {
        let message = format!(
            "expected a price in US dollars from 0 to {MAX_PRICE_USD}, found {}: the dearest public price is under $1 per unit, so a larger one is a typo",
            v.get_ref()
        );
        ctx.err(v.span(), field, message);
    }
    n
}

pub(super) fn build_fast_restore(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    groups: &BTreeMap<String, Vec<VolumeId>>,
    schedules: &[super::Schedule],
) -> Vec<FastRestore> {
    let sizes: BTreeMap<String, usize> = groups.iter().map(|(k, v)| (k.clone(), v.len())).collect();
    let mut out = Vec::new();
    let mut seen: BTreeMap<(VolumeId, crate::model::RegionId), usize> = BTreeMap::new();
    // Per volume: whether any schedule backs it up, and whether one does outside a consistency
    // group (worked out once: a fleet named in `[[fast_restore]]` is checked volume by volume).
    let mut scheduled = vec![(false, false); world.volumes.len()];
    for (&v, g) in schedules.iter().flat_map(|s| s.volumes.iter().zip(&s.groups)) {
        let e = &mut scheduled[v.index()];
        *e = (true, e.1 || g.is_none());
    }
    for f in &raw.fast_restore {
        let region = ctx.lookup(&world.region_names, &f.region, "region", "region");
        let volumes = super::build::expand_volumes(ctx, world, &f.volumes, groups, &sizes);
        if let Some(region) = region
            && let Some((v, first)) = volumes.iter().find_map(|&v| seen.get(&(v, region)).map(|&line| (v, line)))
        {
            let message = format!(
                "{} already has fast restore in {} (line {first}): it would be billed twice",
                world.volume(v).name,
                world.region(region).name
            );
            ctx.err(f.volumes.first().map_or(f.region.span(), Spanned::span), "volumes", message);
            continue;
        }
        let line = ctx.line_of(f.region.span().start);
        for &v in &volumes {
            if let Some(region) = region {
                seen.entry((v, region)).or_insert(line);
            }
        }
        let zones = f.zones.as_ref().map_or(1, |z| *z.get_ref());
        if zones == 0 {
            ctx.err(f.zones.as_ref().map_or(0..0, Spanned::span), "zones", "expected at least one zone");
        } else if zones > MAX_ZONES {
            let message = format!("expected at most {MAX_ZONES} zones (a region has a handful), found {zones}");
            ctx.err(f.zones.as_ref().map_or(0..0, Spanned::span), "zones", message);
        }
        // A refused zone count prices nothing (the cost bound would read 4294967295 zones).
        let Some(region) = region.filter(|_| (1..=MAX_ZONES).contains(&zones)) else { continue };
        if let Some(&v) =
            volumes.iter().find(|&&v| world.region(world.volume(v).region).provider != world.region(region).provider)
        {
            ctx.err(
                f.region.span(),
                "region",
                format!("{} is not a region of {}'s provider", world.region(region).name, world.volume(v).name),
            );
            continue;
        }
        if !crate::providers::rules(world.region(region).provider).offers_fast_restore() {
            let offering: Vec<&str> = crate::providers::registry::all()
                .iter()
                .filter(|r| r.offers_fast_restore())
                .map(|r| r.provider().name())
                .collect();
            let message = format!("fast restore is modelled for {} only", offering.join(" and "));
            ctx.err(f.region.span(), "region", message);
            continue;
        }
        let rules = crate::providers::rules(world.region(region).provider);
        if let Some((v, why)) =
            volumes.iter().find_map(|&v| rules.fast_restore_refusal(world.volume(v).kind).map(|why| (v, why)))
        {
            let message = format!(
                "{} is kind = \"{}\", and \"{why}\": it would be billed and never used",
                world.volume(v).name,
                world.volume(v).kind.name()
            );
            ctx.err(f.volumes.first().map_or(f.region.span(), Spanned::span), "volumes", message);
            continue;
        }
        // IBM: "The fast restore feature is supported only for individual volume backups, not
        // for consistency group backups": a volume backed up only with its instance's group
        // would be billed for a fast restore no restore can use.
        let grouped_only = |v: VolumeId| scheduled[v.index()] == (true, false);
        if let Some(&v) = volumes.iter().find(|&&v| !rules.fast_restore_for_groups() && grouped_only(v)) {
            let message = format!(
                "{} is backed up only in its instance's consistency group, and fast restore is \"supported only for individual volume backups, not for consistency group backups\": it would be billed and never used",
                world.volume(v).name
            );
            ctx.err(f.volumes.first().map_or(f.region.span(), Spanned::span), "volumes", message);
            continue;
        }
        out.push(FastRestore { volumes, region, zones });
    }
    out
}

pub(super) fn build_report(ctx: &mut Ctx<'_>, raw: &ScenarioFile, horizon: SimDuration) -> ReportSettings {
    let dur = |ctx: &mut Ctx<'_>, v: &Option<S>, f: &str| v.as_ref().and_then(|v| ctx.unit(v, f, parse_duration_ms));
    let resolution = dur(ctx, &raw.report.rpo_resolution, "rpo_resolution").unwrap_or(3_600_000);
    if resolution < 60_000 {
        let span = raw.report.rpo_resolution.as_ref().map_or(0..0, Spanned::span);
        ctx.err(span, "rpo_resolution", "the RPO resolution must be at least one minute");
    }
    let window = build_window(ctx, raw, horizon);
    let rpo_target = dur(ctx, &raw.report.rpo_target, "rpo_target");
    if rpo_target == Some(0) {
        let span = raw.report.rpo_target.as_ref().map_or(0..0, Spanned::span);
        ctx.err(span, "rpo_target", "expected a target above zero: every sample would be above it");
    }
    ReportSettings {
        rpo_resolution: SimDuration(resolution.max(60_000)),
        rpo_target: rpo_target.map(SimDuration),
        window,
    }
}

/// `measure_from` and `measure_to`: a window that ends after it starts, by the horizon. A
/// `measure_to` past the horizon is an error, not clamped: the run would not cover the window
/// the user asked to measure.
fn build_window(ctx: &mut Ctx<'_>, raw: &ScenarioFile, horizon: SimDuration) -> Option<(SimTime, SimTime)> {
    let (raw_from, raw_to) = (raw.report.measure_from.as_ref(), raw.report.measure_to.as_ref());
    let from = raw_from.and_then(|v| ctx.unit(v, "measure_from", parse_duration_ms));
    let to = raw_to.and_then(|v| ctx.unit(v, "measure_to", parse_duration_ms));
    if raw_from.is_none() && raw_to.is_none() {
        return None;
    }
    let end = horizon.as_ms();
    let (from_ms, to_ms) = (from.unwrap_or(0), to.unwrap_or(end));
    match (raw_to, to) {
        (Some(t), Some(to_ms)) if to_ms > end => {
            let message = format!(
                "the measurement window must end by the horizon ({}), so that the run covers it; end it earlier or lengthen `horizon`",
                raw.horizon.get_ref()
            );
            ctx.err(t.span(), "measure_to", message);
        }
        (Some(t), Some(_)) if from_ms >= to_ms => {
            let start = raw_from.map_or("the start".to_string(), |f| format!("measure_from = {:?}", f.get_ref()));
            let message = format!(
                "the measurement window must end after it starts: measure_to = {:?} is not after {start}",
                t.get_ref()
            );
            ctx.err(t.span(), "measure_to", message);
        }
        _ if from_ms >= to_ms => {
            let f = raw_from.map_or(0..0, Spanned::span);
            ctx.err(f, "measure_from", "the measurement window must end after it starts, within the horizon");
        }
        _ => {}
    }
    Some((SimTime(from_ms), SimTime(to_ms.min(end))))
}

pub(super) fn build_cost(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    schedules: &[Schedule],
    actions: &[Action],
    fast: &[FastRestore],
) -> Option<PriceBook> {
    let cost = raw.cost.as_ref()?;
    let mut book = PriceBook::defaults(world);
    for p in &cost.get_ref().prices {
        let Some(provider) = crate::providers::registry::parse(p.provider.get_ref()) else {
            ctx.err(p.provider.span(), "provider", format!("unknown provider `{}`", p.provider.get_ref()));
            continue;
        };
        let region = p.region.as_ref().map(|r| ctx.lookup(&world.region_names, r, "region", "region"));
        if region == Some(None) {
            continue;
        }
        for (item, v) in [
            (Item::Storage, &p.storage_per_gb_month),
            (Item::Transfer, &p.transfer_per_gb),
            (Item::FastRestore, &p.fast_restore_per_zone_hour),
        ] {
            let Some(n) = v.as_ref().and_then(|v| dollars(ctx, v, item.field())) else { continue };
            match region.flatten() {
                Some(r) => book.set_region(r, item, n),
                None => book.set_provider(provider, item, n),
            }
        }
    }
    for t in &cost.get_ref().transfer {
        let from = ctx.lookup(&world.region_names, &t.from, "from", "region");
        let to = ctx.lookup(&world.region_names, &t.to, "to", "region");
        if let (Some(from), Some(to), Some(n)) = (from, to, dollars(ctx, &t.per_gb, "per_gb")) {
            book.set_pair(from, to, n);
        }
    }
    require_prices(ctx, cost.span(), world, &book, schedules, actions, fast);
    Some(book)
}

/// Every price the run will need must be known.
fn require_prices(
    ctx: &mut Ctx<'_>,
    at: std::ops::Range<usize>,
    world: &World,
    book: &PriceBook,
    schedules: &[Schedule],
    actions: &[Action],
    fast: &[FastRestore],
) {
    let mut storage: Vec<RegionId> = world.volumes.iter().map(|v| v.region).collect();
    let mut transfer: Vec<(RegionId, RegionId)> = Vec::new();
    for s in schedules {
        for &v in &s.volumes {
            for t in &s.targets {
                storage.push(t.region);
                transfer.push((world.volume(v).region, t.region));
            }
        }
    }
    for a in actions {
        if let Some((from, to)) = a.kind.copy_route(world) {
            storage.push(to);
            transfer.push((from, to));
        }
    }
    storage.sort_unstable();
    storage.dedup();
    transfer.sort_unstable();
    transfer.dedup();
    let missing = |provider: Provider, item: Item| crate::cost::prices::default_price(provider, item).source;
    for r in storage {
        if book.price(world, r, Item::Storage).is_none() {
            let p = world.region(r).provider;
            ctx.err(at.clone(), "cost.prices", format!(
                "no backup storage price for {} ({}): {}; add [[cost.prices]] provider = \"{}\" storage_per_gb_month = <USD>",
                world.region(r).name, p.name(), missing(p, Item::Storage), p.name()
            ));
        }
    }
    for (a, b) in transfer.into_iter().filter(|(a, b)| a != b) {
        if crate::providers::rules(world.region(a).provider).no_cross_region_copy().is_none()
            && book.transfer(world, a, b).is_none()
        {
            let p = world.region(a).provider;
            ctx.err(at.clone(), "cost.prices", format!(
                "no transfer price for {} → {} ({}): {}; add [[cost.prices]] provider = \"{}\" transfer_per_gb = <USD>, or a [[cost.transfer]] pair",
                world.region(a).name, world.region(b).name, p.name(), missing(p, Item::Transfer), p.name()
            ));
        }
    }
    for f in fast {
        if book.price(world, f.region, Item::FastRestore).is_none() {
            let p = world.region(f.region).provider;
            ctx.err(at.clone(), "cost.prices", format!(
                "no fast restore price for {} ({}): {}; add [[cost.prices]] provider = \"{}\" fast_restore_per_zone_hour = <USD>",
                world.region(f.region).name, p.name(), missing(p, Item::FastRestore), p.name()
            ));
        }
    }
}
