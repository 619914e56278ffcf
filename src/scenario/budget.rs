//! Runaway work refused before it starts: the events a scenario needs are estimated at
//! validation and checked against `max_events`, and the bytes it can ever count are checked to
//! fit the reports' `u64` totals, and no single step (a delay, or one backup, restore or
//! hydration of the largest volume) may take more than a year, so every instant a run writes
//! stays within the year of margin past the horizon that timestamps have. All are errors at
//! the field that makes them too large.
//!
//! The events, the RPO samples, the drills' restores and the cost ledger's lines each have a
//! budget of their own, and share one allowance as well ([`check_shared`]).
//!
//! The estimate, per schedule or plan: `runs × volumes × (EVENTS_PER_BACKUP + targets ×
//! EVENTS_PER_COPY)` plus one tick per run, plus two events per timed action. Measured on the
//! bundled scenarios, a run needs 0.9–1.9 events per backup or copy, so the estimate is an upper
//! bound in practice; the kernel's run-time guard stays as the backstop.

use std::collections::BTreeMap;
use std::ops::Range;

use super::build::Ctx;
use super::file::ScenarioFile;
use super::{Action, Schedule, Timing};
use crate::cost::ledger::FastRestore;
use crate::cost::prices::{Item, PriceBook};
use crate::cost::{BYTES_PER_GB, MS_PER_MONTH};
use crate::kernel::SimDuration;
use crate::model::{VolumeId, World};

/// Default `max_events`. A full `copysim run` (engine, then every report in memory) measured at
/// up to ~700 bytes of peak memory per event (fleet copied to a second region, 1.8 M events,
/// 1.2 GB), so 20 M events stay below ~14 GB: the guard trips before a 24 GiB machine runs out.
/// One named constant, to be raised when the recorder streams its rows.
pub const DEFAULT_MAX_EVENTS: u64 = 20_000_000;
/// Events one backup needs in the estimate (taken → available → stable).
pub const EVENTS_PER_BACKUP: u64 = 2;
/// Events one copy needs in the estimate (link wake-up, arrival).
pub const EVENTS_PER_COPY: u64 = 2;
/// Most `[[regions]]` a scenario may declare (the world keeps a region × region link table).
pub const MAX_REGIONS: usize = 256;
/// Most `[[accounts]]` (and most `[[keys]]`): their ids are 16-bit.
pub const MAX_ACCOUNTS: usize = 10_000;
/// Most volumes, declared one by one and drawn in fleets together.
pub const MAX_VOLUMES: u64 = 1_000_000;
/// Cron runs are counted by stepping through at most this many occurrences, then extrapolated.
const CRON_STEPS_MAX: u64 = 2_000;

/// Where an estimate points when it is too large, and what it is made of.
struct Part {
    name: String,
    span: Range<usize>,
    field: &'static str,
    events: u64,
    runs: u64,
    /// Runs before the start laid down by `warm_start`.
    warm_runs: u64,
    /// `warm_start` would need more than [`super::warm_fill::MAX_WARM_RUNS`] runs of it.
    warm_truncated: bool,
}

/// Refuses more regions, accounts, keys or volumes than the model's tables hold, at the first
/// declaration past the limit, before anything is built; true when all fit.
pub(super) fn check_counts(ctx: &mut Ctx<'_>, raw: &ScenarioFile) -> bool {
    let mut ok = true;
    let mut over = |ctx: &mut Ctx<'_>, span: Option<Range<usize>>, field: &str, what: &str, max: u64| {
        if let Some(span) = span {
            ctx.err(span, field, format!("too many {what}: a scenario may declare at most {max}"));
            ok = false;
        }
    };
    over(ctx, raw.regions.get(MAX_REGIONS).map(|r| r.name.span()), "name", "regions", MAX_REGIONS as u64);
    over(ctx, raw.accounts.get(MAX_ACCOUNTS).map(|a| a.name.span()), "name", "accounts", MAX_ACCOUNTS as u64);
    over(ctx, raw.keys.get(MAX_ACCOUNTS).map(|k| k.name.span()), "name", "keys", MAX_ACCOUNTS as u64);
    let mut volumes = raw.volumes.len() as u64;
    let mut past = (volumes > MAX_VOLUMES).then(|| raw.volumes[MAX_VOLUMES as usize].name.span());
    for f in &raw.fleets {
        volumes = volumes.saturating_add(u64::from(*f.count.get_ref()));
        if past.is_none() && volumes > MAX_VOLUMES {
            past = Some(f.count.span());
        }
    }
    let field = if raw.volumes.len() as u64 > MAX_VOLUMES { "name" } else { "count" };
    over(ctx, past, field, "volumes (one by one and in fleets together)", MAX_VOLUMES);
    ok
}

/// How many times `timing` fires in `[0, horizon]` (cron: counted, then extrapolated).
pub fn runs(timing: &Timing, start: jiff::Timestamp, horizon: SimDuration) -> u64 {
    match timing {
        Timing::Every { every, offset } => {
            if offset.as_ms() > horizon.as_ms() {
                0
            } else {
                (horizon.as_ms() - offset.as_ms()) / every.as_ms().max(1) + 1
            }
        }
        Timing::Cron { .. } => {
            let (mut n, mut t) = (0u64, timing.first(start));
            while let Some(at) = t.filter(|at| at.as_ms() <= horizon.as_ms()) {
                n += 1;
                if n >= CRON_STEPS_MAX {
                    let per_ms = n as f64 / at.as_ms().max(1) as f64;
                    return (per_ms * horizon.as_ms() as f64).ceil() as u64;
                }
                t = timing.next_after(start, at);
            }
            n
        }
    }
}

/// The raw span and field of each schedule's or plan's timing, by its full name.
fn timing_spans(raw: &ScenarioFile) -> BTreeMap<String, (Range<usize>, &'static str)> {
    let mut out = BTreeMap::new();
    for s in &raw.schedules {
        out.entry(s.name.get_ref().clone()).or_insert((s.every.span(), "every"));
    }
    for p in &raw.policies {
        for plan in &p.plans {
            let name = format!("{}/{}", p.name.get_ref(), plan.name.get_ref());
            out.entry(name).or_insert((plan.cron.span(), "cron"));
        }
    }
    out
}

fn parts(ctx: &Ctx<'_>, raw: &ScenarioFile, schedules: &[Schedule], horizon: SimDuration) -> Vec<Part> {
    let spans = timing_spans(raw);
    let Some(start) = ctx.start else { return Vec::new() };
    let mut out = Vec::new();
    for s in schedules {
        let runs = runs(&s.timing, start, horizon);
        let per_run = EVENTS_PER_BACKUP.saturating_add((s.targets.len() as u64).saturating_mul(EVENTS_PER_COPY));
        let mut events = runs.saturating_mul((s.volumes.len() as u64).saturating_mul(per_run)).saturating_add(runs);
        // A warm start lays down backups and copies of runs before the start, each one live
        // state as an event's is.
        let (mut warm_runs, mut warm_truncated) = (0, false);
        if raw.warm_start && s.enabled {
            let fill = super::warm_fill::warm_fill(s, start);
            warm_truncated = fill.truncated;
            warm_runs = fill.backups() as u64;
            let per_volume = fill.targets.iter().fold(warm_runs.saturating_mul(EVENTS_PER_BACKUP), |sum, &c| {
                sum.saturating_add((c as u64).saturating_mul(EVENTS_PER_COPY))
            });
            events = events.saturating_add(per_volume.saturating_mul(s.volumes.len() as u64));
        }
        let (span, field) = spans.get(&s.name).cloned().unwrap_or((raw.horizon.span(), "horizon"));
        out.push(Part { name: s.name.clone(), span, field, events, runs, warm_runs, warm_truncated });
    }
    out
}

/// Refuses a scenario whose estimated events exceed `max_events`, at the `every` or `cron` of
/// the schedule that needs the most (or at `horizon` when no one schedule dominates); true when
/// the scenario fits.
/// One budget's use of the shared allowance of `max_events`, in events (a restore, an RPO
/// sample or a cost line counts as the fraction of an event its memory is), and where to point
/// when the sum is too large.
pub(super) struct Share {
    what: &'static str,
    events: u64,
    span: Range<usize>,
    field: &'static str,
}

/// `max_events`, and the shares of it the budgets that fit on their own take.
pub(super) struct Allowance {
    max_events: u64,
    shares: Vec<Share>,
}

impl Allowance {
    pub(super) fn new(max_events: u64) -> Self {
        Self { max_events, shares: Vec::new() }
    }
}

/// The budgets share one allowance: each alone within `max_events` is not enough when together
/// they are past it (a million-volume fleet with 19 outages passed every budget on its own and
/// took 9.7 GB). Refuses the sum at the largest share's field, naming every share.
pub(super) fn check_shared(ctx: &mut Ctx<'_>, allowance: &Allowance) {
    let (shares, max_events) = (&allowance.shares, allowance.max_events);
    let total = shares.iter().fold(0u64, |sum, s| sum.saturating_add(s.events));
    if total <= max_events {
        return;
    }
    let Some(big) = shares.iter().max_by_key(|s| s.events) else { return };
    let parts: Vec<String> =
        shares.iter().filter(|s| s.events > 0).map(|s| format!("{} {}", s.what, s.events)).collect();
    let message = format!(
        "together the scenario needs about {total} events' worth of memory ({}), more than max_events = {max_events}: each part fits on its own, not all of them at once; make the largest smaller, or raise `max_events` at the top of the file if the machine has the memory (about 700 bytes per event)",
        parts.join(", ")
    );
    ctx.err(big.span.clone(), big.field, message);
}

pub(super) fn check_events(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    schedules: &[Schedule],
    actions: &[Action],
    horizon: SimDuration,
    allowance: &mut Allowance,
) -> bool {
    let parts = parts(ctx, raw, schedules, horizon);
    // Its steady state cannot be laid down: starting below it would understate storage and cost
    // all along the run, without a word.
    if let Some(p) = parts.iter().find(|p| p.warm_truncated) {
        let most = super::warm_fill::MAX_WARM_RUNS;
        let message = format!(
            "with warm_start, {} keeps (at its source or a copy target) more than {most} runs before the start in its steady state, more than a warm start lays down ({most} a schedule); run it less often (`{}`), keep fewer runs, or leave warm_start off",
            p.name, p.field
        );
        ctx.err(p.span.clone(), p.field, message);
        return false;
    }
    let from_actions = (actions.len() as u64).saturating_mul(2);
    let total = parts.iter().fold(from_actions, |sum, p| sum.saturating_add(p.events));
    if total <= allowance.max_events {
        let (span, field) = parts
            .iter()
            .max_by_key(|p| p.events)
            .map_or((raw.horizon.span(), "horizon"), |p| (p.span.clone(), p.field));
        allowance.shares.push(Share { what: "the run's events", events: total, span, field });
        return true;
    }
    let raise = "raise `max_events` at the top of the file if the machine has the memory (about 700 bytes per event)";
    let Some(big) = parts.iter().max_by_key(|p| p.events) else {
        let message = format!(
            "the scenario needs about {total} events, more than max_events = {}; {raise}",
            allowance.max_events
        );
        ctx.err(raw.horizon.span(), "horizon", message);
        return false;
    };
    let (span, field) = if big.events.saturating_mul(2) >= total {
        (big.span.clone(), big.field)
    } else {
        (raw.horizon.span(), "horizon")
    };
    let warm = match big.warm_runs {
        0 => String::new(),
        n => format!(", and {n} before the start that warm_start lays down"),
    };
    let message = format!(
        "the scenario needs about {total} events ({} alone about {}: {} runs over the horizon{warm}), more than max_events = {}; lengthen `every`, shorten `horizon`, back up fewer volumes, or {raise}",
        big.name, big.events, big.runs, allowance.max_events
    );
    ctx.err(span, field, message);
    false
}

/// The largest size each volume can have (resizes included).
fn max_sizes(world: &World, actions: &[Action]) -> Vec<u64> {
    let mut sizes: Vec<u64> = world.volumes.iter().map(|v| v.size_bytes).collect();
    for a in actions {
        if let Some((volume, size_bytes)) = a.kind.resized() {
            sizes[volume.index()] = sizes[volume.index()].max(size_bytes);
        }
    }
    sizes
}

/// The raw `size` field (of a volume or a fleet) that sized `v`.
fn size_span(raw: &ScenarioFile, world: &World, v: VolumeId) -> (Range<usize>, &'static str) {
    let name = &world.volume(v).name;
    if let Some(vol) = raw.volumes.iter().find(|x| x.name.get_ref() == name) {
        return (vol.size.span(), "size");
    }
    for f in &raw.fleets {
        let member = name.strip_prefix(f.name.get_ref().as_str()).and_then(|r| r.strip_prefix('-'));
        if member.is_some_and(|m| m.chars().all(|c| c.is_ascii_digit())) {
            return f.size_max.as_ref().map_or((f.size.span(), "size"), |s| (s.span(), "size_max"));
        }
    }
    (raw.horizon.span(), "horizon")
}

/// Refuses a volume its provider cannot back up at its declared size (IBM: over 10 TB on a
/// first-generation profile), at its `size` (a fleet: `size_max` when set). False when one is
/// refused.
pub(super) fn check_backup_sizes(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &World) -> bool {
    let mut seen_spans = Vec::new();
    for v in &world.volumes {
        let Some(m) = crate::providers::backup_size_problem(world, v.id, v.size_bytes) else { continue };
        let (span, field) = size_span(raw, world, v.id);
        if !seen_spans.contains(&span) {
            ctx.err(span.clone(), field, m);
            seen_spans.push(span);
        }
    }
    seen_spans.is_empty()
}

/// Every byte total the reports keep (captured, transferred, stored) is a `u64`: counting every
/// backup and copy at its volume's full size, the sum must fit, or the size is refused.
pub(super) fn check_bytes(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    schedules: &[Schedule],
    actions: &[Action],
    horizon: SimDuration,
) -> Option<u64> {
    let start = ctx.start?;
    let sizes = max_sizes(world, actions);
    let biggest = sizes.iter().copied().max().unwrap_or(0);
    let mut total: Option<u64> = sizes.iter().try_fold(0u64, |a, &s| a.checked_add(s));
    let mut culprit = world.volumes.iter().map(|v| v.id).max_by_key(|v| sizes[v.index()]);
    for s in schedules {
        let per_volume = runs(&s.timing, start, horizon).checked_mul(1 + s.targets.len() as u64);
        for &v in &s.volumes {
            let bytes = per_volume.and_then(|n| n.checked_mul(sizes[v.index()]));
            total = total.and_then(|t| t.checked_add(bytes?));
        }
        if total.is_none() {
            culprit = s.volumes.iter().copied().max_by_key(|v| sizes[v.index()]);
            break;
        }
    }
    total = total.and_then(|t| t.checked_add(biggest.checked_mul(actions.len() as u64)?));
    let (Some(v), None) = (culprit, total) else { return total };
    let (span, field) = size_span(raw, world, v);
    let message = format!(
        "sizes too large for this many backups and copies: counted at full size, the bytes the run could capture and move exceed 2^64 bytes (18.4 EB), the most the reports can total (volume {} is {} bytes); use smaller sizes, fewer volumes or a shorter horizon",
        world.volume(v).name,
        sizes[v.index()]
    );
    ctx.err(span, field, message);
    None
}

/// With `[cost]`, the most the run could bill must fit the `u64` nano-dollars of `summary.json`
/// ($18.4 billion), so no cost total there can saturate: `bytes` (the byte totals' bound: every
/// backup and copy at full size) stored for the whole horizon at the dearest storage price and
/// moved once at the dearest transfer price, plus every fast restore for the whole horizon.
/// Refused at `[cost]`.
pub(super) fn check_cost_totals(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    book: &PriceBook,
    fast: &[FastRestore],
    bytes: u64,
    horizon: SimDuration,
) {
    let Some(cost) = raw.cost.as_ref() else { return };
    let regions = || world.regions.iter().map(|r| r.id);
    let dearest = |item: Item| regions().filter_map(|r| book.price(world, r, item)).max().unwrap_or(0);
    let transfer = regions().flat_map(|a| regions().filter_map(move |b| book.transfer(world, a, b))).max().unwrap_or(0);
    let (bytes, ms) = (u128::from(bytes), u128::from(horizon.as_ms()));
    let storage = bytes * u128::from(dearest(Item::Storage)) / BYTES_PER_GB * ms / MS_PER_MONTH;
    let moved = bytes * u128::from(transfer) / BYTES_PER_GB;
    let zone_hours = |f: &FastRestore| f.volumes.len() as u128 * u128::from(f.zones) * ms.div_ceil(3_600_000);
    let warm: u128 = fast
        .iter()
        .map(|f| zone_hours(f) * u128::from(book.price(world, f.region, Item::FastRestore).unwrap_or(0)))
        .sum();
    let bound = storage + moved + warm;
    if bound <= u128::from(u64::MAX) {
        return;
    }
    let message = format!(
        "with these prices the run could bill up to about ${} (its bytes kept for the whole horizon at the dearest storage price, moved once at the dearest transfer price, plus fast restore), more than the $18.4 billion a report totals exactly; use smaller sizes, fewer volumes, a shorter horizon or lower prices",
        crate::cost::usd(bound).split('.').next().unwrap_or("?")
    );
    ctx.err(cost.span(), "cost", message);
}

/// RPO samples kept per event of the budget: a sample costs about a sixth of an event's memory
/// (~110 bytes with its `rpo.csv` row), so twice `max_events` samples stay within the same margin.
pub const RPO_SAMPLES_PER_EVENT: u64 = 2;

/// The RPO timeline holds one sample per volume, DR region and `rpo_resolution` step of the
/// horizon, whatever the schedules do: refuse more than [`RPO_SAMPLES_PER_EVENT`] × `max_events`,
/// at `rpo_resolution` (or `horizon` when the resolution is the default).
pub(super) fn check_rpo(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    schedules: &[Schedule],
    horizon: SimDuration,
    resolution: SimDuration,
    allowance: &mut Allowance,
) {
    // Per volume, its DR regions as a bit set (at most 256 regions): a few bytes per volume,
    // where a set of pairs took 24 bytes per pair (6 GB for a million volumes × 255 regions).
    let mut regions = vec![[0u64; MAX_REGIONS / 64]; world.volumes.len()];
    for s in schedules {
        for &v in &s.volumes {
            for t in s.targets.iter().filter(|t| t.region != world.volume(v).region) {
                let r = t.region.index();
                regions[v.index()][r / 64] |= 1 << (r % 64);
            }
        }
    }
    let pairs: u64 = regions.iter().flatten().map(|w| u64::from(w.count_ones())).sum();
    let steps = horizon.as_ms() / resolution.as_ms().max(1) + 1;
    let samples = steps.saturating_mul(pairs);
    let limit = allowance.max_events.saturating_mul(RPO_SAMPLES_PER_EVENT);
    let (span, field) =
        raw.report.rpo_resolution.as_ref().map_or((raw.horizon.span(), "horizon"), |r| (r.span(), "rpo_resolution"));
    if samples <= limit {
        let events = samples.div_ceil(RPO_SAMPLES_PER_EVENT);
        allowance.shares.push(Share { what: "the RPO samples", events, span, field });
        return;
    }
    let message = format!(
        "the RPO timeline would hold about {samples} samples ({pairs} volume and DR region pairs × {steps} steps of rpo_resolution), more than {RPO_SAMPLES_PER_EVENT} × max_events = {limit}; set a coarser [report] rpo_resolution, shorten `horizon`, or raise `max_events`"
    );
    ctx.err(span, field, message);
}

/// Restores the drills may plan per event of the budget: a restore costs about 500 bytes of
/// peak memory with its `restore.csv` row (100,000 volumes × 95 outages measured 4.5 GB), less
/// than an event's 700.
pub const RESTORES_PER_EVENT: u64 = 1;

/// Each outage's drill plans a restore for every volume of the failed region: refuse more than
/// [`RESTORES_PER_EVENT`] × `max_events` of them over every outage, at the last outage.
pub(super) fn check_drills(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    actions: &[Action],
    allowance: &mut Allowance,
) {
    let mut per_region = vec![0u64; world.regions.len()];
    for v in &world.volumes {
        per_region[v.region.index()] += 1;
    }
    let (mut outages, mut restores) = (0u64, 0u64);
    for r in actions.iter().filter_map(|a| a.kind.region_out()) {
        outages += 1;
        restores = restores.saturating_add(per_region[r.index()]);
    }
    let limit = allowance.max_events.saturating_mul(RESTORES_PER_EVENT);
    let outage = actions.iter().find(|a| a.kind.region_out().is_some()).map(|a| a.name);
    let last = raw.events.iter().rev().find(|e| Some(e.action.get_ref().as_str()) == outage);
    let (span, field) = last.map_or((raw.horizon.span(), "horizon"), |e| (e.action.span(), "action"));
    if restores <= limit {
        let events = restores.div_ceil(RESTORES_PER_EVENT);
        allowance.shares.push(Share { what: "the drills' restores", events, span, field });
        return;
    }
    let message = format!(
        "the drills of the {outages} region outages would restore about {restores} volumes (every volume of the failed region, at each outage), more than {RESTORES_PER_EVENT} × max_events = {limit}; declare fewer outages, or raise `max_events` at the top of the file if the machine has the memory (about 500 bytes per restore)"
    );
    ctx.err(span, field, message);
}

/// Cost ledger lines per event of the budget: a day's line for one region costs about 300
/// bytes of peak memory with its `cost.csv` rows (20 regions × 2,000 years measured 4.3 GB),
/// less than an event's 700.
pub const COST_DAYS_PER_EVENT: u64 = 1;

/// With `[cost]`, the ledger keeps each day's lines per region to the horizon, whatever the
/// schedules do: refuse more than [`COST_DAYS_PER_EVENT`] × `max_events` days × regions, at
/// `horizon`.
pub(super) fn check_cost_days(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    horizon: SimDuration,
    allowance: &mut Allowance,
) {
    if raw.cost.is_none() {
        return;
    }
    let days = horizon.as_ms().div_ceil(86_400_000).max(1);
    let regions = world.regions.len() as u64;
    let lines = days.saturating_mul(regions);
    let limit = allowance.max_events.saturating_mul(COST_DAYS_PER_EVENT);
    if lines <= limit {
        let events = lines.div_ceil(COST_DAYS_PER_EVENT);
        allowance.shares.push(Share {
            what: "the cost ledger's lines",
            events,
            span: raw.horizon.span(),
            field: "horizon",
        });
        return;
    }
    let message = format!(
        "with [cost], the cost ledger keeps a line per day and region: about {lines} ({days} days × {regions} regions), more than {COST_DAYS_PER_EVENT} × max_events = {limit}; shorten `horizon`, remove [cost], or raise `max_events` at the top of the file if the machine has the memory (about 300 bytes per line)"
    );
    ctx.err(raw.horizon.span(), "horizon", message);
}

/// The longest one step of the model may take: any provider delay, or one backup upload,
/// restore hydration or initialization of the largest volume. Work can finish after the
/// horizon (a drill's restore does), and [`super::timing::LATEST_END`] leaves a year for it.
pub const LONGEST_STEP_MS: u64 = 365 * 86_400_000;

/// Refuses a provider delay longer than [`LONGEST_STEP_MS`] at its field; `None` then.
pub(super) fn step_delay(ctx: &mut Ctx<'_>, span: Range<usize>, field: &str, ms: u64) -> Option<SimDuration> {
    if ms <= LONGEST_STEP_MS {
        return Some(SimDuration(ms));
    }
    let message = format!(
        "expected at most 365 days, found {} days: no single step of a backup, copy or restore is modelled as taking longer (is the unit right?)",
        ms / 86_400_000
    );
    ctx.err(span, field, message);
    None
}

/// Refuses a provider rate at which one backup upload, hydration or initialization of the
/// largest volume in that provider's regions would take more than [`LONGEST_STEP_MS`].
pub(super) fn check_rates(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &World, actions: &[Action]) {
    let sizes = max_sizes(world, actions);
    for (name, o) in &raw.providers.0 {
        let Some(provider) = crate::providers::registry::parse(name.get_ref()) else { continue };
        let params = &world.params[provider.index()];
        let largest = world
            .volumes
            .iter()
            .filter(|v| world.region(v.region).provider == provider)
            .max_by_key(|v| sizes[v.id.index()]);
        let Some(volume) = largest else { continue };
        let size = sizes[volume.id.index()];
        let rates = [
            ("backup_upload_rate", &o.backup_upload_rate, Some(params.backup_upload_bytes_per_s), "upload"),
            ("hydration_rate", &o.hydration_rate, Some(params.hydration_bytes_per_s), "hydrate"),
            ("initialization_rate", &o.initialization_rate, params.initialization_bytes_per_s, "initialize"),
        ];
        for (field, raw_rate, rate, what) in rates {
            let (Some(raw_rate), Some(rate)) = (raw_rate, rate) else { continue };
            let ms = u128::from(size) * 1_000 / u128::from(rate.max(1));
            if ms > u128::from(LONGEST_STEP_MS) {
                let message = format!(
                    "at {} the largest {} volume ({}, {size} bytes) takes {} days to {what}: at most 365 days (is the unit right? \"8bps\" is one byte per second, \"8MB/s\" eight million)",
                    raw_rate.get_ref(),
                    name.get_ref(),
                    volume.name,
                    ms / 86_400_000
                );
                ctx.err(raw_rate.span(), field, message);
            }
        }
    }
}
