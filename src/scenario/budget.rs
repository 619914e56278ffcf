//! Runaway work refused before it starts: the events a scenario needs are estimated at
//! validation and checked against `max_events`, and the bytes it can ever count are checked to
//! fit the reports' `u64` totals, and no single step (a delay, or one backup, restore or
//! hydration of the largest volume) may take more than a year, so every instant a run writes
//! stays within the year of margin past the horizon that timestamps have. All are errors at
//! the field that makes them too large.
//!
//! The events, the RPO samples (and with `--detail full` the rows of `rpo.csv`), the drills'
//! restores and the cost ledger's lines each have a budget of their own, and share one
//! allowance as well (`check_shared`); several past their own are one error (`report_over`).
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

/// Above this many declared volumes, the event budget is first checked from the declarations
/// alone, before the fleets are drawn (`check_events_early`).
pub const EARLY_CHECK_VOLUMES: u64 = 100_000;

/// A lower bound of the events a large scenario needs, from its declarations alone: each
/// schedule's runs × the volumes and fleet members it names × the events of their backups
/// (copies, plans and warm runs left out: what a copy target, a plan or a warm start adds is
/// only known once the world is built). Past `max_events`, the scenario is refused at once, at
/// the `every` of the schedule that needs the most (or `horizon`), before a million volumes are
/// drawn and checked (15 s and more); otherwise the full estimate ([`check_events`]) decides.
/// Only for more than [`EARLY_CHECK_VOLUMES`] volumes: a smaller scenario is built in no time,
/// and its full estimate and its other mistakes are reported. True when it may go on.
pub(super) fn check_events_early(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    horizon: Option<SimDuration>,
    max_events: u64,
) -> bool {
    let declared =
        raw.fleets.iter().fold(raw.volumes.len() as u64, |n, f| n.saturating_add(u64::from(*f.count.get_ref())));
    let Some(horizon) = horizon.filter(|_| declared > EARLY_CHECK_VOLUMES) else { return true };
    // The fleets that will be drawn (a fleet refused for a mistake of its own is that mistake's
    // one error, and adds nothing); volumes declared one by one are left out.
    let mut sizes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut names_taken: std::collections::BTreeSet<&str> =
        raw.volumes.iter().map(|v| v.name.get_ref().as_str()).collect();
    for f in raw.fleets.iter().filter(|f| names_taken.insert(f.name.get_ref().as_str())) {
        if fleet_is_drawn(world, f) {
            sizes.insert(f.name.get_ref(), u64::from(*f.count.get_ref()));
        }
    }
    // Per schedule (the first of a name: a second is refused), its runs, volumes and events.
    let mut seen = std::collections::BTreeSet::new();
    let mut parts: Vec<(&super::file::ScheduleFile, u64, u64, u64)> = Vec::new();
    for s in raw.schedules.iter().filter(|s| seen.insert(s.name.get_ref().as_str())) {
        let every = super::units::parse_duration_ms(s.every.get_ref()).ok().filter(|&ms| ms > 0);
        let offset = s.offset.as_ref().map_or(Ok(0), |o| super::units::parse_duration_ms(o.get_ref())).ok();
        let (Some(every), Some(offset)) = (every, offset) else { continue };
        let timing = Timing::Every { every: SimDuration(every), offset: SimDuration(offset) };
        let mut names = std::collections::BTreeSet::new();
        let volumes = s
            .volumes
            .iter()
            .filter(|v| names.insert(v.get_ref().as_str()))
            .filter_map(|v| sizes.get(v.get_ref().as_str()))
            .fold(0u64, |n, c| n.saturating_add(*c));
        let runs = runs(&timing, jiff::Timestamp::UNIX_EPOCH, horizon);
        let events = runs.saturating_mul(volumes.saturating_mul(EVENTS_PER_BACKUP)).saturating_add(runs);
        parts.push((s, runs, volumes, events));
    }
    let total = parts.iter().fold(0u64, |sum, p| sum.saturating_add(p.3));
    let Some(&(big, runs, volumes, events)) = parts.iter().max_by_key(|p| p.3).filter(|_| total > max_events) else {
        return true;
    };
    let (span, field) =
        if events.saturating_mul(2) >= total { (big.every.span(), "every") } else { (raw.horizon.span(), "horizon") };
    let message = format!(
        "the scenario needs at least {total} events ({} alone at least {events}: {runs} runs of {volumes} volumes, their backups alone), more than max_events = {max_events}; lengthen `every`, shorten `horizon`, back up fewer volumes, or raise `max_events` at the top of the file if the machine has the memory (about 700 bytes per event)",
        big.name.get_ref()
    );
    ctx.err(span, field, message);
    false
}

/// Whether `build_fleets` will draw fleet `f`: its count, account, region, sizes and change
/// rates are each valid (what it refuses a fleet for).
fn fleet_is_drawn(world: &World, f: &super::file::FleetFile) -> bool {
    use super::units::{parse_percent_ppm, parse_size};
    let count = *f.count.get_ref();
    let size = parse_size(f.size.get_ref()).ok().filter(|&s| s > 0);
    let size_max = f.size_max.as_ref().map_or(size, |m| parse_size(m.get_ref()).ok());
    let change = f.daily_change.as_ref().map_or(Ok(10_000), |c| parse_percent_ppm(c.get_ref())).ok();
    let change_max = f.daily_change_max.as_ref().map_or(change, |c| parse_percent_ppm(c.get_ref()).ok());
    (1..=1_000_000).contains(&count)
        && world.account_names.contains_key(f.account.get_ref())
        && world.region_names.contains_key(f.region.get_ref())
        && size.zip(size_max).is_some_and(|(lo, hi)| lo <= hi)
        && change.zip(change_max).is_some_and(|(lo, hi)| lo <= hi)
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

/// One budget's use of the shared allowance of `max_events`, in events (a restore, an RPO
/// sample or a cost line counts as the fraction of an event its memory is), and where to point
/// when the sum is too large.
pub(super) struct Share {
    what: &'static str,
    events: u64,
    span: Range<usize>,
    field: &'static str,
}

/// A budget past its own limit: reported alone with its own `message`, or, when other budgets
/// are past theirs too, as one `clause` of a single error (one mistake, one error: a tiny
/// `max_events` or a long `horizon` put several past at once and each said so).
pub(super) struct Over {
    span: Range<usize>,
    field: &'static str,
    /// The error, when this budget alone is past its limit.
    message: String,
    /// What it needs and its limit, e.g. "the run's events: about 49645 (…), more than max_events = 1".
    clause: String,
    /// How to make it smaller, e.g. "lengthen `every`, back up fewer volumes".
    remedy: &'static str,
    /// The least `max_events` at which it fits.
    fits_at: u64,
    /// Its share of the allowance, in events.
    events: u64,
    /// It grows with the horizon (events, RPO samples, cost lines; not the drills).
    with_horizon: bool,
}

/// `max_events`, the shares of it the budgets that fit on their own take, and the budgets past
/// their own limit.
pub(super) struct Allowance {
    max_events: u64,
    shares: Vec<Share>,
    over: Vec<Over>,
    /// `rpo.csv` is written (`run --detail full`): the RPO timeline is held to its rows' budget.
    rpo_csv: bool,
}

impl Allowance {
    pub(super) fn new(max_events: u64, rpo_csv: bool) -> Self {
        Self { max_events, shares: Vec::new(), over: Vec::new(), rpo_csv }
    }
}

/// Reports the budgets past their limit: one alone with its own message; several as one error
/// that names each. That error is at `max_events` when the file sets it below what the default
/// would allow (the value set is the mistake), at `horizon` when each of them grows with it,
/// else at the field of the one furthest past. True when none is past.
pub(super) fn report_over(ctx: &mut Ctx<'_>, raw: &ScenarioFile, allowance: &Allowance) -> bool {
    let over = &allowance.over;
    let (one, max_events) = match over.as_slice() {
        [] => return true,
        [one] => {
            ctx.err(one.span.clone(), one.field, one.message.clone());
            return false;
        }
        [first, ..] => (first, allowance.max_events),
    };
    let all = allowance.shares.iter().map(|s| s.events).chain(over.iter().map(|o| o.events));
    let least = over.iter().map(|o| o.fits_at).max().unwrap_or(0).max(all.fold(0u64, u64::saturating_add));
    let clauses = over.iter().map(|o| o.clause.as_str()).collect::<Vec<_>>().join("; ");
    let mut remedies: Vec<&str> = over.iter().map(|o| o.remedy).collect();
    remedies.dedup();
    let n = over.len();
    if let Some(set) = raw.max_events.as_ref().filter(|_| least <= DEFAULT_MAX_EVENTS) {
        let message = format!(
            "max_events = {max_events} is less than this scenario needs: {n} budgets are past it ({clauses}); raise it to {least} or more, or leave it out (the default, {DEFAULT_MAX_EVENTS}, fits)"
        );
        ctx.err(set.span(), "max_events", message);
        return false;
    }
    let raise = format!(
        "or raise `max_events` to {least} or more at the top of the file if the machine has the memory (about 700 bytes per event)"
    );
    if over.iter().all(|o| o.with_horizon) {
        let message = format!(
            "over this horizon {n} budgets are past max_events = {max_events} ({clauses}); shorten `horizon`, {}, {raise}",
            remedies.join(", ")
        );
        ctx.err(raw.horizon.span(), "horizon", message);
        return false;
    }
    let far = over.iter().max_by_key(|o| o.fits_at).unwrap_or(one);
    let message =
        format!("{n} budgets are past max_events = {max_events} ({clauses}); {}, {raise}", remedies.join(", "));
    ctx.err(far.span.clone(), far.field, message);
    false
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

/// Refuses a scenario whose estimated events exceed `max_events`, at the `every` or `cron` of
/// the schedule that needs the most (or at `horizon` when no one schedule dominates); true when
/// the scenario fits (a budget past its limit is reported by [`report_over`]).
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
    let max_events = allowance.max_events;
    let Some(big) = parts.iter().max_by_key(|p| p.events) else {
        // Timed actions alone: at most 2 a line of the 64 MiB file, never past the default.
        allowance.over.push(Over {
            span: raw.horizon.span(),
            field: "horizon",
            message: format!("the scenario needs about {total} events, more than max_events = {max_events}; {raise}"),
            clause: format!("the run's events: about {total}, more than max_events = {max_events}"),
            remedy: "declare fewer timed events",
            fits_at: total,
            events: total,
            with_horizon: false,
        });
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
    let need = format!(
        "about {total} events ({} alone about {}: {} runs over the horizon{warm})",
        big.name, big.events, big.runs
    );
    allowance.over.push(Over {
        span,
        field,
        message: format!(
            "the scenario needs {need}, more than max_events = {max_events}; lengthen `every`, shorten `horizon`, back up fewer volumes, or {raise}"
        ),
        clause: format!("the run's events: {need}, more than max_events = {max_events}"),
        remedy: "lengthen `every` or back up fewer volumes",
        fits_at: total,
        events: total,
        with_horizon: true,
    });
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

/// Bytes of an `rpo.csv` row besides its volume's and region's names: the instant (24), an RPO
/// in seconds with milliseconds, a seq, four commas and the newline (measured 57 bytes a row
/// with 16 bytes of names).
const RPO_ROW_BYTES: u64 = 42;

/// The RPO timeline holds one sample per volume, DR region and `rpo_resolution` step of the
/// horizon, whatever the schedules do: refuse more than [`RPO_SAMPLES_PER_EVENT`] × `max_events`,
/// and with `run --detail full` more than `max_events` rows of `rpo.csv`, at `rpo_resolution` (or
/// `horizon` when the resolution is the default). A row counts like an event (20,000,000 by
/// default, about 1.1 GB, the order of the rows the event budget allows `backups.csv` and
/// `copies.csv`): the memory bound does not bound the disk, rows being streamed
/// (`rpo_resolution = "1m"` for ten volumes over 1,000 days wrote 817 MB), and no fewer, since an
/// hourly timeline of 2,000 volumes for a year (17.5 M rows, a fleet whose events are far within
/// the budget) is a plausible full run.
pub(super) fn check_rpo(
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
    let max_events = allowance.max_events;
    let limit = max_events.saturating_mul(RPO_SAMPLES_PER_EVENT);
    let (span, field) =
        raw.report.rpo_resolution.as_ref().map_or((raw.horizon.span(), "horizon"), |r| (r.span(), "rpo_resolution"));
    let events = samples.div_ceil(RPO_SAMPLES_PER_EVENT);
    let rows_limit = max_events;
    if samples <= limit && !(allowance.rpo_csv && samples > rows_limit) {
        allowance.shares.push(Share { what: "the RPO samples", events, span, field });
        return;
    }
    let product = format!("{pairs} volume and DR region pairs × {steps} steps of rpo_resolution");
    if samples > limit {
        let message = format!(
            "the RPO timeline would hold about {samples} samples ({product}), more than {RPO_SAMPLES_PER_EVENT} × max_events = {limit}; set a coarser [report] rpo_resolution, shorten `horizon`, or raise `max_events`"
        );
        allowance.over.push(Over {
            span,
            field,
            message,
            clause: format!("the RPO timeline: about {samples} samples ({product}), more than {RPO_SAMPLES_PER_EVENT} × max_events = {limit}"),
            remedy: "set a coarser [report] rpo_resolution",
            // With `rpo.csv`, its rows' budget is the tighter one.
            fits_at: if allowance.rpo_csv { samples } else { samples.div_ceil(RPO_SAMPLES_PER_EVENT) },
            events,
            with_horizon: true,
        });
        return;
    }
    // Only `--detail full` writes a row per sample; the disk, not the memory, is what it fills.
    let mut names = 0u64;
    let mut dr_regions = [0u64; MAX_REGIONS / 64];
    for (v, set) in regions.iter().enumerate() {
        let volume = world.volumes[v].name.len() as u64;
        for (w, bits) in set.iter().enumerate() {
            dr_regions[w] |= bits;
            let mut bits = *bits;
            while bits != 0 {
                let r = w * 64 + bits.trailing_zeros() as usize;
                names = names.saturating_add(volume + world.regions[r].name.len() as u64);
                bits &= bits - 1;
            }
        }
    }
    let bytes = samples.saturating_mul(RPO_ROW_BYTES).saturating_add(names.saturating_mul(steps));
    let fleet_rows = steps.saturating_mul(dr_regions.iter().map(|w| u64::from(w.count_ones())).sum());
    let coarser =
        coarsest_needed(horizon, rows_limit / pairs.max(1)).map_or(String::new(), |r| format!(" (\"{r}\" fits)"));
    let rows = format!("about {samples} rows, about {} ({product})", crate::report::human::bytes(bytes));
    allowance.over.push(Over {
        span,
        field,
        message: format!(
            "with --detail full, rpo.csv would hold {rows}, more than max_events = {rows_limit} (a row counts like an event); set a coarser [report] rpo_resolution{coarser}, run with --detail summary (its rpo_fleet.csv has a row per DR region and step: {fleet_rows}), or raise `max_events` if the disk has the room"
        ),
        clause: format!("rpo.csv with --detail full: {rows}, more than max_events = {rows_limit}"),
        remedy: "set a coarser [report] rpo_resolution (or run with --detail summary)",
        fits_at: samples,
        events,
        with_horizon: true,
    });
}

/// The finest `rpo_resolution`, in whole minutes (hours past an hour, days past a day), at which
/// a pair takes at most `steps_max` samples over `horizon`; `None` when not even one step does.
fn coarsest_needed(horizon: SimDuration, steps_max: u64) -> Option<String> {
    if steps_max < 2 {
        return None;
    }
    let at_least = horizon.as_ms().div_ceil(steps_max - 1);
    let unit = match at_least {
        0..=3_600_000 => 60_000,
        3_600_001..=86_400_000 => 3_600_000,
        _ => 86_400_000,
    };
    let ms = at_least.div_ceil(unit).max(1) * unit;
    (ms <= horizon.as_ms()).then(|| crate::sweep::grid::format_duration_ms(ms))
}

/// Restores the drills may plan per event of the budget: a restore costs about 500 bytes of
/// peak memory with its `restore.csv` row (100,000 volumes × 95 outages measured 4.5 GB), less
/// than an event's 700.
pub const RESTORES_PER_EVENT: u64 = 1;

/// Each outage's drill plans a restore for every volume of the failed region: refuse more than
/// [`RESTORES_PER_EVENT`] × `max_events` of them over every outage, at the last outage.
pub(super) fn check_drills(raw: &ScenarioFile, world: &World, actions: &[Action], allowance: &mut Allowance) {
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
    let events = restores.div_ceil(RESTORES_PER_EVENT);
    if restores <= limit {
        allowance.shares.push(Share { what: "the drills' restores", events, span, field });
        return;
    }
    let need = format!("about {restores} volumes (every volume of the failed region, at each outage)");
    let message = format!(
        "the drills of the {outages} region outages would restore {need}, more than {RESTORES_PER_EVENT} × max_events = {limit}; declare fewer outages, or raise `max_events` at the top of the file if the machine has the memory (about 500 bytes per restore)"
    );
    allowance.over.push(Over {
        span,
        field,
        message,
        clause: format!(
            "the drills of the {outages} region outages: {need}, more than {RESTORES_PER_EVENT} × max_events = {limit}"
        ),
        remedy: "declare fewer outages",
        fits_at: events,
        events,
        with_horizon: false,
    });
}

/// Cost ledger lines per event of the budget: a day's line for one region costs about 300
/// bytes of peak memory with its `cost.csv` rows (20 regions × 2,000 years measured 4.3 GB),
/// less than an event's 700.
pub const COST_DAYS_PER_EVENT: u64 = 1;

/// With `[cost]`, the ledger keeps each day's lines per region to the horizon, whatever the
/// schedules do: refuse more than [`COST_DAYS_PER_EVENT`] × `max_events` days × regions, at
/// `horizon`.
pub(super) fn check_cost_days(raw: &ScenarioFile, world: &World, horizon: SimDuration, allowance: &mut Allowance) {
    if raw.cost.is_none() {
        return;
    }
    let days = horizon.as_ms().div_ceil(86_400_000).max(1);
    let regions = world.regions.len() as u64;
    let lines = days.saturating_mul(regions);
    let limit = allowance.max_events.saturating_mul(COST_DAYS_PER_EVENT);
    let events = lines.div_ceil(COST_DAYS_PER_EVENT);
    if lines <= limit {
        allowance.shares.push(Share {
            what: "the cost ledger's lines",
            events,
            span: raw.horizon.span(),
            field: "horizon",
        });
        return;
    }
    let need = format!("about {lines} ({days} days × {regions} regions)");
    let message = format!(
        "with [cost], the cost ledger keeps a line per day and region: {need}, more than {COST_DAYS_PER_EVENT} × max_events = {limit}; shorten `horizon`, remove [cost], or raise `max_events` at the top of the file if the machine has the memory (about 300 bytes per line)"
    );
    allowance.over.push(Over {
        span: raw.horizon.span(),
        field: "horizon",
        message,
        clause: format!("the cost ledger's lines: {need}, more than {COST_DAYS_PER_EVENT} × max_events = {limit}"),
        remedy: "remove [cost]",
        fits_at: events,
        events,
        with_horizon: true,
    });
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
