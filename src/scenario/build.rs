//! Validation: turns a raw [`ScenarioFile`] into a [`Scenario`], resolving every name and unit,
//! and checking every schedule copy target against the provider rules. Every mistake is
//! collected with its file, line, column and field; nothing panics on user input.

use std::collections::BTreeMap;
use std::ops::Range;

use sha2::{Digest, Sha256};
use toml::Spanned;

use super::file::{S, ScenarioFile};
use super::names::{first_named, twice};
use super::units::{parse_duration_ms, parse_percent_ppm, parse_rate_bytes_per_s, parse_size};
use super::{InputError, KeyChoice, Scenario, ScenarioError, Schedule, Target, Timing};
use crate::kernel::{RngStreams, SimDuration};
use crate::model::{AccountId, LinkParams, Partition, Provider, ProviderParams, Vault, VolumeId, VolumeKind, World};
use crate::providers::{Route, rules};

pub use super::budget::DEFAULT_MAX_EVENTS;
pub use super::timing::{EARLIEST_START, LATEST_END};

/// Why a duration of zero is refused: a shorter one than copysim's time step rounds to it.
const AT_LEAST_ONE_MS: &str = "must be at least 1 ms, copysim's time step (a shorter one rounds to zero)";

pub(super) struct Ctx<'a> {
    file: &'a str,
    src: &'a str,
    /// Line starts of `src`: every mistake's position is looked up in it, never by a scan.
    index: super::source::LineIndex<'a>,
    errors: Vec<InputError>,
    spans: Vec<Range<usize>>,
    /// The scenario's start, once it parsed (cron expressions are checked against it).
    pub(super) start: Option<jiff::Timestamp>,
    /// Per name, the kinds declared under it but refused (their error is reported): a name of
    /// one of them elsewhere is not "unknown" too. Keyed by name, so one lookup per reference.
    broken: BTreeMap<String, Vec<&'static str>>,
    /// Per fleet refused, how many members it declared (`u32::MAX` when its `count` was the
    /// mistake): its members' names (`db-0001`, …) elsewhere are not "unknown" either.
    broken_fleets: BTreeMap<String, u32>,
    /// Accounts whose `[accounts.iam]` had a statement refused (reported where it is): a copy
    /// target the refused statement would have allowed is not "can never work" too.
    pub(super) iam_refused: std::collections::BTreeSet<AccountId>,
    /// When `src` is a copy of the user's file edited by overrides: that file, and (made at the
    /// first need) the map of the copy's lines to its lines with its line index, so that a
    /// message naming another line ("already declared (line 74)") names the user's line.
    original: Option<&'a str>,
    original_lines: std::cell::OnceCell<(super::linemap::LineMap, super::source::LineIndex<'a>)>,
    /// Per cron expression text, whether it fires after `start`: finding that one never does
    /// searches years of minutes (milliseconds each), and generated files repeat one expression
    /// over thousands of plans.
    cron_fires: BTreeMap<String, Result<(), String>>,
    /// The run writes `rpo.csv` (`copysim run --detail full`, and `validate` of such a run): the
    /// RPO timeline is held to the budget of its rows too (at most `max_events`: `budget::check_rpo`).
    pub(super) rpo_csv: bool,
    /// What comes after the horizon and would never happen (an event, a schedule's first backup,
    /// a plan's first run), reported together by [`report_past_horizon`]: a horizon too short
    /// put each of them past it, one error apiece.
    past_horizon: Vec<PastHorizon>,
}

/// One thing after the horizon: where, its own error, what it is, and when it would be.
pub(super) struct PastHorizon {
    pub(super) span: Range<usize>,
    pub(super) field: &'static str,
    pub(super) message: String,
    pub(super) what: String,
    pub(super) at_ms: u64,
}

impl<'a> Ctx<'a> {
    /// The span of `key = []` among the lines after `from` in the same table (up to the next
    /// table header): an empty list has no element to point at, so its mistake is drawn under
    /// the brackets (or, when it cannot be found, under what the caller has).
    pub(super) fn empty_list_after(&self, from: usize, key: &str) -> Option<Range<usize>> {
        let rest = self.src.get(from..)?;
        let mut offset = from + rest.find('\n')? + 1;
        for line in self.src.get(offset..)?.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                return None;
            }
            if let Some(after) = trimmed.strip_prefix(key)
                && let Some(value) = after.trim_start().strip_prefix('=')
                && value.trim_start().starts_with('[')
            {
                let start = offset + (line.len() - value.trim_start().len());
                let end = line.find(']').map_or(start + 1, |i| offset + i + 1);
                return Some(start..end.max(start + 1));
            }
            offset += line.len();
        }
        None
    }

    fn new(file: &'a str, src: &'a str) -> Self {
        let index = super::source::LineIndex::new(src);
        Ctx {
            file,
            src,
            index,
            errors: Vec::new(),
            spans: Vec::new(),
            start: None,
            broken: Default::default(),
            broken_fleets: Default::default(),
            iam_refused: Default::default(),
            original: None,
            original_lines: std::cell::OnceCell::new(),
            cron_fires: Default::default(),
            rpo_csv: false,
            past_horizon: Vec::new(),
        }
    }

    /// Whether cron timing `t`, written `text`, fires after the start (`None` before the start
    /// parsed); each distinct text is searched once.
    pub(super) fn cron_fires(&mut self, text: &str, t: &super::timing::Timing) -> Option<Result<(), String>> {
        let start = self.start?;
        if let Some(known) = self.cron_fires.get(text) {
            return Some(known.clone());
        }
        let answer = t.check_fires(start);
        self.cron_fires.insert(text.to_string(), answer.clone());
        Some(answer)
    }

    /// The scenario text.
    pub(super) fn src(&self) -> &'a str {
        self.src
    }

    /// The line a message names for byte `offset`: its line in the user's file, also when the
    /// text read is a copy edited by overrides (a line only an override wrote keeps its line in
    /// the copy: it has none in the file).
    pub(super) fn line_of(&self, offset: usize) -> usize {
        if let Some(original) = self.original {
            let (map, index) = self.original_lines.get_or_init(|| {
                (super::linemap::LineMap::new(original, self.src), super::source::LineIndex::new(original))
            });
            if let Some(at) = map.old_offset(offset) {
                return index.position(at).0;
            }
        }
        self.index.position(offset).0
    }

    /// `p` comes after the horizon: its error, unless other things do too ([`report_past_horizon`]).
    pub(super) fn past_horizon(&mut self, p: PastHorizon) {
        self.past_horizon.push(p);
    }

    pub(super) fn err(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        let (line, column) = self.index.position(span.start);
        let field = if field.is_empty() { super::source::WHOLE_FILE } else { field };
        self.errors.push(InputError {
            file: self.file.to_string(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
        });
        self.spans.push(span);
    }

    /// Puts the mistakes found so far in file order.
    fn sort_by_position(&mut self) {
        let mut both: Vec<(Range<usize>, InputError)> =
            std::mem::take(&mut self.spans).into_iter().zip(std::mem::take(&mut self.errors)).collect();
        both.sort_by_key(|(span, _)| span.start);
        (self.spans, self.errors) = both.into_iter().unzip();
    }

    /// The mistakes found; only those the CLI prints ([`super::RENDERED_ERRORS_MAX`]) are drawn
    /// with their source line (drawing one costs the length of its line, which may be the file).
    fn into_error(self) -> ScenarioError {
        let drawn = self.spans.iter().take(super::RENDERED_ERRORS_MAX);
        let snippets = drawn.map(|s| self.index.snippet(s.clone())).collect();
        ScenarioError::Invalid { errors: self.errors, snippets }
    }

    pub(super) fn unit<T>(&mut self, v: &S, field: &str, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
        match parse(v.get_ref()) {
            Ok(x) => Some(x),
            Err(m) => {
                self.err(v.span(), field, m);
                None
            }
        }
    }

    /// The `kind` (region, account, key, volume, fleet) `name` is declared, but its declaration
    /// was refused with an error of its own.
    pub(super) fn broken(&mut self, kind: &'static str, name: &str) {
        let kinds = self.broken.entry(name.to_string()).or_default();
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }

    /// Whether the `kind` `name` is declared but was refused with an error of its own.
    pub(super) fn is_broken(&self, kind: &str, name: &str) -> bool {
        self.broken.get(name).is_some_and(|kinds| kinds.contains(&kind))
    }

    /// The fleet `name` declaring `count` members is declared, but refused with an error of its
    /// own: neither its name nor its members' names are "unknown" elsewhere.
    pub(super) fn broken_fleet(&mut self, name: &str, count: u32) {
        self.broken("fleet", name);
        self.broken_fleets.insert(name.to_string(), count);
    }

    /// Whether `name` is a member's name (`<fleet>-0001`, …) of a fleet refused already.
    fn member_of_broken_fleet(&self, name: &str) -> bool {
        let Some((fleet, number)) = name.rsplit_once('-') else { return false };
        let Some(&count) = self.broken_fleets.get(fleet) else { return false };
        if number.len() < 4 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        number.parse::<u32>().is_ok_and(|i| (1..=count).contains(&i) && format!("{i:04}") == number)
    }

    /// `v` looked up in `map` of `what` ("region", "volume or fleet", …); an unknown name is an
    /// error, unless it names a declaration refused already (one mistake, one error).
    pub(super) fn lookup<T: Copy>(&mut self, map: &BTreeMap<String, T>, v: &S, field: &str, what: &str) -> Option<T> {
        if let Some(x) = map.get(v.get_ref()) {
            return Some(*x);
        }
        let broken = self.broken.get(v.get_ref());
        if broken.is_some_and(|kinds| what.split(" or ").any(|w| kinds.contains(&w))) {
            return None;
        }
        if what.split(" or ").any(|w| w == "volume") && self.member_of_broken_fleet(v.get_ref()) {
            return None;
        }
        // A blank name is refused where it is declared (names::check_blank): not listed as known.
        let known: Vec<&str> = map.keys().map(String::as_str).filter(|k| !k.trim().is_empty()).take(12).collect();
        let known =
            if known.is_empty() { format!("no {what}s are declared") } else { format!("known: {}", known.join(", ")) };
        self.err(v.span(), field, format!("unknown {what} `{}` ({known})", v.get_ref()));
        None
    }
}

/// Parses and validates scenario `text`; `file` labels error messages.
pub fn parse(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
    parse_with_seed(text, file, None)
}

/// How much text the reader may go through again to find every unknown field (a 64 MiB
/// scenario is read at most four times; unknown keys are found a table, or a list of tables,
/// at a time, so a file reaches it only with unknown keys in very many tables).
const MAX_REREAD_BYTES: usize = 256 << 20;

/// Like [`parse`], with the seed overridden (fleets are drawn from it, too).
pub fn parse_with_seed(text: &str, file: &str, seed: Option<u64>) -> Result<Scenario, ScenarioError> {
    parse_writing(text, file, seed, false)
}

/// Like [`parse_with_seed`], for a run that writes `rpo.csv` when `rpo_csv` (`--detail full`):
/// its rows are held to a budget too.
pub(super) fn parse_writing(
    text: &str,
    file: &str,
    seed: Option<u64>,
    rpo_csv: bool,
) -> Result<Scenario, ScenarioError> {
    parse_ctx(text, None, file, seed, rpo_csv).map_err(|ctx| ctx.into_error())
}

/// Like [`parse_with_seed`], each mistake with its byte span in `text` (after a byte-order
/// mark) rather than its source line: `--set` places the mistakes of an edited text itself.
/// Like [`parse_with_seed`], for `text`, a copy of the user's file `original` edited by
/// overrides: the mistakes come back with their spans in `text`, for the caller to place.
pub(super) fn parse_spanned(
    text: &str,
    original: &str,
    file: &str,
    seed: Option<u64>,
    rpo_csv: bool,
) -> Result<Scenario, (Vec<InputError>, Vec<Range<usize>>)> {
    let original = original.strip_prefix('\u{feff}').unwrap_or(original);
    parse_ctx(text, Some(original), file, seed, rpo_csv).map_err(|ctx| {
        let ctx = *ctx;
        (ctx.errors, ctx.spans)
    })
}

fn parse_ctx<'a>(
    text: &'a str,
    original: Option<&'a str>,
    file: &'a str,
    seed: Option<u64>,
    rpo_csv: bool,
) -> Result<Scenario, Box<Ctx<'a>>> {
    // A UTF-8 byte-order mark is not part of the first line: positions count from after it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ctx = Ctx::new(file, text);
    ctx.original = original;
    ctx.rpo_csv = rpo_csv;
    // The reader stops at the first unknown field; each one found is blanked out of a working
    // copy (same byte positions) and the reading goes on, so every misspelt key is reported at
    // once, in file order, before the mistakes validation finds in the rest.
    let mut blanked: Option<String> = None;
    let mut read_bytes = 0usize;
    let mut last = None;
    let raw = loop {
        let current = blanked.as_deref().unwrap_or(text);
        read_bytes += current.len();
        let e = match toml::from_str::<ScenarioFile>(current) {
            Ok(raw) => break Some(raw),
            Err(e) => e,
        };
        let span = match (e.span(), super::toml_errors::deep_key(current, e.message())) {
            (None, Some((span, field, message))) => {
                ctx.err(span, &field, message);
                break None;
            }
            (span, _) => span.unwrap_or(0..0),
        };
        let (field, message) = super::toml_errors::describe(current, span.clone(), e.message());
        if !e.message().starts_with("unknown field `") {
            // After the unknown fields (a missing `horizon` follows from a misspelt `horizn`).
            last = Some((span, field, message));
            break None;
        }
        // Past the ones printed, the rest are still found so that the count of "… and N more
        // mistakes" is right. Every unknown key beside this one (in its table, or in any item of
        // its list of tables) is found and blanked at once, by the fields toml says are known:
        // read again per key, 400,000 misspelt keys took 35 s.
        let known = super::toml_errors::expected_fields(e.message());
        let beside = super::toml_errors::keys_beside(current, span.start);
        read_bytes += 2 * current.len(); // `describe` and `keys_beside` read it too
        let unknown: Vec<(String, Range<usize>)> =
            beside.into_iter().filter(|(k, at)| at.start == span.start || !known.contains(k)).collect();
        let starts: Vec<usize> = unknown.iter().map(|(_, at)| at.start).collect();
        for (k, at) in unknown {
            if at.start == span.start {
                ctx.err(span.clone(), &field, message.clone());
            } else {
                ctx.err(at, &k, super::toml_errors::unknown_field_message(&message, &k));
            }
        }
        if starts.is_empty() {
            ctx.err(span.clone(), &field, message);
        }
        let work = blanked.get_or_insert_with(|| text.to_string());
        let blanked_now = if starts.is_empty() {
            usize::from(super::toml_errors::blank_entry(work, span.start))
        } else {
            super::toml_errors::blank_entries(work, &starts)
        };
        if blanked_now == 0 {
            break None;
        }
        if read_bytes > MAX_REREAD_BYTES {
            // Only a file with unknown keys in very many different tables gets here.
            ctx.err(
                span,
                super::source::WHOLE_FILE,
                "more unknown fields may follow: copysim stopped looking for them after reading the file this \
                 many times; correct these and validate again",
            );
            break None;
        }
    };
    ctx.sort_by_position();
    if let Some((span, field, message)) = last {
        ctx.err(span, &field, message);
    }
    let Some(raw) = raw else { return Err(Box::new(ctx)) };
    let scenario = build(&mut ctx, raw, blanked.as_deref().unwrap_or(text), seed);
    match scenario {
        Some(s) if ctx.errors.is_empty() => Ok(s),
        _ => Err(Box::new(ctx)),
    }
}

/// The top-level fields: name, start, horizon (ending before [`LATEST_END`]) and the event budget.
struct Top {
    name: String,
    start: Option<jiff::Timestamp>,
    horizon: Option<SimDuration>,
    max_events: u64,
}

fn top_level(ctx: &mut Ctx<'_>, raw: &ScenarioFile) -> Top {
    let name = raw.name.get_ref().clone();
    if let Some(message) = crate::output::folder_name_problem(&name) {
        ctx.err(raw.name.span(), "name", message);
    }
    let start = match raw.start.get_ref().parse::<jiff::Timestamp>() {
        Ok(t) => Some(t),
        Err(e) => {
            ctx.err(
                raw.start.span(),
                "start",
                format!("expected an RFC 3339 instant like \"2026-01-01T00:00:00Z\" ({e})"),
            );
            None
        }
    };
    ctx.start = start;
    let horizon = ctx.unit(&raw.horizon, "horizon", parse_duration_ms).map(SimDuration);
    if horizon == Some(SimDuration::ZERO) {
        ctx.err(raw.horizon.span(), "horizon", format!("the horizon {AT_LEAST_ONE_MS}"));
    }
    // A refused horizon is none: nothing is then checked against it (one mistake, one error).
    let horizon = horizon.filter(|h| *h != SimDuration::ZERO && super::timing::check_end(ctx, raw, start, *h));
    let mut max_events = raw.max_events.as_ref().map_or(DEFAULT_MAX_EVENTS, |m| *m.get_ref());
    if max_events == 0 {
        ctx.err(raw.max_events.as_ref().map_or(0..0, Spanned::span), "max_events", "expected at least 1");
        // Refused: no budget is checked against it (the file runs nothing; its other mistakes
        // are still found).
        max_events = u64::MAX;
    }
    Top { name, start, horizon, max_events }
}

fn build(ctx: &mut Ctx<'_>, raw: ScenarioFile, text: &str, seed_override: Option<u64>) -> Option<Scenario> {
    let Top { name, start, horizon, max_events } = top_level(ctx, &raw);
    let mut world = crate::providers::new_world();
    apply_provider_overrides(ctx, &raw, &mut world);
    let copy_failure_ppm = raw
        .faults
        .copy_failure_probability
        .as_ref()
        .and_then(|p| ctx.unit(p, "copy_failure_probability", parse_percent_ppm))
        .unwrap_or(0);
    super::names::check(ctx, &raw);
    if !super::budget::check_counts(ctx, &raw) {
        return None;
    }
    build_regions(ctx, &raw, &mut world);
    build_accounts(ctx, &raw, &mut world);
    build_keys(ctx, &raw, &mut world);
    build_account_keys(ctx, &raw, &mut world);
    build_links(ctx, &raw, &mut world);
    let seed = seed_override.unwrap_or_else(|| raw.seed.as_ref().map_or(1, |s| *s.get_ref()));
    let instances = super::policies::build_instances(ctx, &raw, &mut world);
    // A scenario whose fleets' backups alone are past `max_events` is refused there, and its
    // fleets are checked but not drawn (the rest of the file is still checked).
    let draw = super::budget::check_events_early(ctx, &raw, &world, horizon, max_events);
    let groups = build_volumes(ctx, &raw, &mut world, seed, &instances, draw);
    let mut schedules = build_schedules(ctx, &raw, &world, &groups, horizon);
    let policies = super::policies::build_policies(ctx, &raw, &world, &mut schedules, horizon);
    let horizon = horizon?;
    let actions = super::events::build_actions(ctx, &raw, &world, start?, horizon, &schedules, &policies);
    report_past_horizon(ctx, &raw);
    let mut allowance = super::budget::Allowance::new(max_events, ctx.rpo_csv);
    let events_fit = super::budget::check_events(ctx, &raw, &schedules, &actions, horizon, &mut allowance);
    // A size its provider refuses is that size's one error: the byte totals it would overflow
    // are not checked against it (nor, without them, the cost totals).
    let sizes_fit = super::budget::check_backup_sizes(ctx, &raw, &world);
    let bytes = if events_fit && sizes_fit {
        super::budget::check_bytes(ctx, &raw, &world, &schedules, &actions, horizon)
    } else {
        None
    };
    super::budget::check_rates(ctx, &raw, &world, &actions);
    let fast_restore = super::costs::build_fast_restore(ctx, &raw, &world, &groups, &schedules);
    let cost = super::costs::build_cost(ctx, &raw, &world, &schedules, &actions, &fast_restore);
    if let (Some(book), Some(bytes)) = (&cost, bytes) {
        super::budget::check_cost_totals(ctx, &raw, &world, book, &fast_restore, bytes, horizon);
    }
    let report = super::costs::build_report(ctx, &raw, horizon);
    super::budget::check_rpo(&raw, &world, &schedules, horizon, report.rpo_resolution, &mut allowance);
    super::budget::check_drills(&raw, &world, &actions, &mut allowance);
    super::budget::check_cost_days(&raw, &world, horizon, &mut allowance);
    // The budgets past their limit, as one error when they are several.
    if super::budget::report_over(ctx, &raw, &allowance) && ctx.errors.is_empty() {
        // Once each budget fits on its own (an error above would say the same again).
        super::budget::check_shared(ctx, &allowance);
    }
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    let source_sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Some(Scenario {
        name,
        description: raw.description.clone(),
        seed,
        start: start?,
        horizon,
        max_events,
        world,
        schedules,
        policies,
        actions,
        cost,
        fast_restore,
        report,
        copy_failure_ppm,
        warm_start: raw.warm_start,
        keep_settled: false,
        hints: None,
        source_sha256,
        source_label: ctx.file.to_string(),
    })
}

/// Reports what comes after the horizon: one thing, at its own field (it may be the mistake);
/// several, as one error at `horizon`, naming each (a horizon of "1ms" on the quickstart gave
/// five errors, a schedule's offset and four events).
fn report_past_horizon(ctx: &mut Ctx<'_>, raw: &ScenarioFile) {
    let past = std::mem::take(&mut ctx.past_horizon);
    if let [one] = past.as_slice() {
        ctx.err(one.span.clone(), one.field, one.message.clone());
    }
    if past.len() < 2 {
        return;
    }
    const LISTED: usize = 5;
    let mut items: Vec<String> =
        past.iter().take(LISTED).map(|p| format!("line {}: {}", ctx.line_of(p.span.start), p.what)).collect();
    if past.len() > LISTED {
        items.push(format!("and {} more", past.len() - LISTED));
    }
    let latest = past.iter().map(|p| p.at_ms).max().unwrap_or(0);
    let message = format!(
        "{} things come after the horizon of {} and would never happen ({}); lengthen `horizon` to at least {}, or move them within it",
        past.len(),
        raw.horizon.get_ref(),
        items.join("; "),
        duration_text(latest)
    );
    ctx.err(raw.horizon.span(), "horizon", message);
}

/// A duration as the file writes one, exact and parts largest first: `6d 12h`, `4d 6h 31m 10s`.
fn duration_text(ms: u64) -> String {
    let units = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)];
    let mut rest = ms;
    let mut parts = Vec::new();
    for (unit, size) in units {
        if rest >= size {
            parts.push(format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    if parts.is_empty() { "0s".to_string() } else { parts.join(" ") }
}

fn apply_provider_overrides(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &mut World) {
    for (name, o) in &raw.providers.0 {
        let Some(provider) = crate::providers::registry::parse(name.get_ref()) else {
            let names = crate::providers::registry::names().join(", ");
            ctx.err(name.span(), "providers", format!("unknown provider `{}` (expected {names})", name.get_ref()));
            continue;
        };
        let mut params: ProviderParams = world.params[provider.index()];
        if let Some(c) = &o.copy_concurrency {
            if params.quota_scope == crate::model::params::QuotaScope::None && *c.get_ref() > 0 {
                let message = format!("`{}` makes no copies a quota could hold", name.get_ref());
                ctx.err(c.span(), "copy_concurrency", message);
            }
            params.copy_concurrency = *c.get_ref();
        }
        let rate =
            |ctx: &mut Ctx<'_>, v: &Option<S>, f: &str| v.as_ref().and_then(|v| ctx.unit(v, f, parse_rate_bytes_per_s));
        let dur = |ctx: &mut Ctx<'_>, v: &Option<S>, f: &str| {
            let v = v.as_ref()?;
            let ms = ctx.unit(v, f, parse_duration_ms)?;
            super::budget::step_delay(ctx, v.span(), f, ms)
        };
        if let Some(r) = rate(ctx, &o.copy_throughput_cap, "copy_throughput_cap") {
            params.copy_cap_bytes_per_s = r;
        }
        if let Some(r) = rate(ctx, &o.link_bandwidth, "link_bandwidth") {
            params.link_bandwidth_bytes_per_s = r;
        }
        if let Some(r) = rate(ctx, &o.backup_upload_rate, "backup_upload_rate") {
            params.backup_upload_bytes_per_s = r;
        }
        if let Some(d) = dur(ctx, &o.link_latency, "link_latency") {
            params.link_latency = d;
        }
        if let Some(d) = dur(ctx, &o.backup_base_duration, "backup_base_duration") {
            params.backup_base_duration = d;
        }
        if let Some(d) = dur(ctx, &o.stable_delay, "stable_delay") {
            params.stable_delay = d;
        }
        if let Some(d) = dur(ctx, &o.terminate_delay, "terminate_delay") {
            params.terminate_delay = d;
        }
        if let Some(d) = dur(ctx, &o.source_delete_delay, "source_delete_delay") {
            params.source_delete_delay = d;
        }
        if let Some(d) = dur(ctx, &o.restore_base_duration, "restore_base_duration") {
            params.restore_base_duration = d;
        }
        if let Some(r) = rate(ctx, &o.hydration_rate, "hydration_rate") {
            params.hydration_bytes_per_s = r;
        }
        if let Some(r) = rate(ctx, &o.initialization_rate, "initialization_rate") {
            if let Err(e) = rules(provider).check_initialization_rate(r) {
                let span = o.initialization_rate.as_ref().map_or(0..0, Spanned::span);
                ctx.err(span, "initialization_rate", e);
            }
            params.initialization_bytes_per_s = Some(r);
        }
        if let Some(c) = &o.restore_concurrency {
            params.restore_concurrency = *c.get_ref();
        }
        if let Some(w) = o.retention_waits_for_copies {
            params.retention_waits_for_copies = w;
        }
        world.params[provider.index()] = params;
    }
}

fn build_regions(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &mut World) {
    for r in &raw.regions {
        let name = r.name.get_ref();
        if world.region_names.contains_key(name) {
            twice(ctx, "region", &r.name, first_named(raw.regions.iter().map(|r| &r.name), name));
            continue;
        }
        let Some(provider) = crate::providers::registry::parse(r.provider.get_ref()) else {
            ctx.err(
                r.provider.span(),
                "provider",
                format!(
                    "unknown provider `{}` (expected {})",
                    r.provider.get_ref(),
                    crate::providers::registry::names().join(", ")
                ),
            );
            ctx.broken("region", name);
            if let Some(code) = &r.code {
                ctx.broken("region", code.get_ref()); // an IAM condition may name it by code
            }
            continue;
        };
        let partition = match &r.partition {
            None => rules(provider).region_partition(name),
            Some(p) => match Partition::parse(p.get_ref()) {
                Some(p) => p,
                None => {
                    ctx.err(
                        p.span(),
                        "partition",
                        format!("unknown partition `{}` (expected commercial, china or govcloud)", p.get_ref()),
                    );
                    Partition::Commercial
                }
            },
        };
        let id = world.add_region(name, provider, partition);
        let region = &mut world.regions[id.index()];
        region.opt_in = r.opt_in.unwrap_or(rules(provider).region_opt_in(name));
        region.code = r.code.as_ref().map(|c| c.get_ref().clone());
        region.cross_region_copy = r.cross_region_copy.unwrap_or(rules(provider).region_copies_across(name));
    }
    if raw.regions.is_empty() {
        ctx.err(0..0, "regions", "declare at least one [[regions]] table");
    }
}

fn build_accounts(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &mut World) {
    for a in &raw.accounts {
        let name = a.name.get_ref();
        if world.account_names.contains_key(name) {
            twice(ctx, "account", &a.name, first_named(raw.accounts.iter().map(|a| &a.name), name));
            continue;
        }
        let id = world.add_account(name);
        let mut vaults = Vec::new();
        for v in &a.vaults {
            let region = ctx.lookup(&world.region_names, &v.region, "region", "region");
            let capacity = ctx.unit(&v.capacity, "capacity", parse_size);
            if capacity == Some(0) {
                ctx.err(
                    v.capacity.span(),
                    "capacity",
                    "expected a capacity above zero: the vault could accept nothing",
                );
                ctx.broken("vault", &format!("{name}/{}", v.name.get_ref()));
                continue;
            }
            // Vaults hold accepted shares: a region whose provider shares otherwise has none.
            if let Some(r) = region
                && crate::providers::rules(world.region(r).provider).sharing() != crate::providers::Sharing::Accepted
            {
                let message = format!(
                    "{} is a region of {}, whose backups are not shared into vaults",
                    world.region(r).name,
                    world.region(r).provider.name()
                );
                ctx.err(v.region.span(), "region", message);
                ctx.broken("vault", &format!("{name}/{}", v.name.get_ref()));
                continue;
            }
            if let (Some(region), Some(capacity_bytes)) = (region, capacity) {
                vaults.push(Vault::new(v.name.get_ref().clone(), region, capacity_bytes));
            } else {
                ctx.broken("vault", &format!("{name}/{}", v.name.get_ref()));
            }
        }
        let iam = a.iam.as_ref().map(|iam| {
            let built = super::iam::build_iam(ctx, world, iam);
            // A blank group is none a statement could allow (`group  lacks VOLUME_BACKUP_READ` at
            // each copy target): refused where it is, its copy targets left to that error.
            let group = iam.group.get_ref();
            if group.trim().is_empty() {
                let found = if group.is_empty() { "an empty string" } else { "only blanks" };
                ctx.err(iam.group.span(), "group", format!("expected the name of a group, found {found}"));
            }
            if built.statements.len() < iam.statements.len() || group.trim().is_empty() {
                ctx.iam_refused.insert(id);
            }
            built
        });
        let account = &mut world.accounts[id.index()];
        account.organization = a.organization.as_ref().map(|o| o.get_ref().clone());
        account.copy_concurrency = a.copy_concurrency.as_ref().map(|c| *c.get_ref());
        account.iam = iam;
        account.vaults = vaults;
    }
}

fn build_keys(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &mut World) {
    for k in &raw.keys {
        let name = k.name.get_ref();
        if name.trim().is_empty() {
            ctx.err(k.name.span(), "name", "expected a key name, found an empty string");
            continue;
        }
        if name == "none" {
            ctx.err(k.name.span(), "name", "the key name `none` is reserved (it asks for an unencrypted copy)");
            continue;
        }
        if world.default_key_names.iter().flatten().any(|d| d == name) {
            let message = format!(
                "the key name `{name}` is reserved: it is each account's default key, which copies that name no key may be encrypted with (docs/model.md)"
            );
            ctx.err(k.name.span(), "name", message);
            continue;
        }
        if world.key_names.contains_key(name) {
            twice(ctx, "key", &k.name, first_named(raw.keys.iter().map(|k| &k.name), name));
            continue;
        }
        let Some(owner) = ctx.lookup(&world.account_names, &k.account, "account", "account") else {
            ctx.broken("key", name);
            continue;
        };
        let region = k.region.as_ref().and_then(|r| ctx.lookup(&world.region_names, r, "region", "region"));
        let grants: Vec<AccountId> =
            k.grants.iter().filter_map(|g| ctx.lookup(&world.account_names, g, "grants", "account")).collect();
        let id = world.add_key(name, owner);
        let key = &mut world.keys[id.index()];
        key.region = region;
        key.grants.extend(grants);
        key.customer_managed = k.customer_managed.unwrap_or(true);
    }
}

/// The accounts' encryption settings, which name keys: `encryption_by_default` and
/// `default_key`, read by the providers that keep a default key per account and region (EBS).
fn build_account_keys(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &mut World) {
    let keeping: Vec<&str> = crate::providers::registry::all()
        .iter()
        .filter(|r| r.default_key_name().is_some())
        .map(|r| r.provider().name())
        .collect();
    let kept_here = world.regions.iter().any(|r| crate::providers::rules(r.provider).default_key_name().is_some());
    let not_here = |field: &str| {
        let names = keeping.join(", ");
        format!(
            "`{field}` is an account setting of {names} (its default key per account and region), and no region here is of {names}"
        )
    };
    for a in &raw.accounts {
        let Some(&id) = world.account_names.get(a.name.get_ref()) else { continue };
        if let Some(on) = &a.encryption_by_default {
            if *on.get_ref() && !kept_here {
                ctx.err(on.span(), "encryption_by_default", not_here("encryption_by_default"));
            } else {
                world.accounts[id.index()].encryption_by_default = *on.get_ref();
            }
        }
        let Some(name) = &a.default_key else { continue };
        if !kept_here {
            ctx.err(name.span(), "default_key", not_here("default_key"));
            continue;
        }
        let Some(key) = ctx.lookup(&world.key_names, name, "default_key", "key") else { continue };
        let k = world.key(key);
        if !k.usable_by(id) {
            let message = format!(
                "key `{}` belongs to account `{}` and is not granted to `{}`: an account's default key must be one it may use (add `{}` to the key's `grants`)",
                k.name,
                world.account(k.owner).name,
                a.name.get_ref(),
                a.name.get_ref()
            );
            ctx.err(name.span(), "default_key", message);
            continue;
        }
        if !k.customer_managed {
            let message = format!(
                "key `{}` is not customer-managed: an account's default key is its provider's own managed key or a customer-managed key it chose",
                k.name
            );
            ctx.err(name.span(), "default_key", message);
            continue;
        }
        // A default key applies in its own region: one in a region whose provider keeps no
        // default key would never be used, silently.
        if let Some(r) = k.region
            && crate::providers::rules(world.region(r).provider).default_key_name().is_none()
        {
            let region = world.region(r);
            let message = format!(
                "key `{}` is in region {} ({}), which keeps no default key ({} does, per account and region): a default key applies in its key's region, so it would never be used; choose a key in a region of {}, or one without a `region` (every region)",
                k.name,
                region.name,
                region.provider.name(),
                keeping.join(", "),
                keeping.join(", ")
            );
            ctx.err(name.span(), "default_key", message);
            continue;
        }
        world.accounts[id.index()].default_key = Some(key);
    }
}

fn build_links(ctx: &mut Ctx<'_>, raw: &ScenarioFile, world: &mut World) {
    let mut seen = BTreeMap::new();
    for l in &raw.links {
        let from = ctx.lookup(&world.region_names, &l.from, "from", "region");
        let to = ctx.lookup(&world.region_names, &l.to, "to", "region");
        let bandwidth = ctx.unit(&l.bandwidth, "bandwidth", parse_rate_bytes_per_s);
        // A link's latency is one step of the model like any provider delay: at most a year.
        let latency = l.latency.as_ref().map(|v| {
            let ms = ctx.unit(v, "latency", parse_duration_ms)?;
            super::budget::step_delay(ctx, v.span(), "latency", ms).map(|d| d.as_ms())
        });
        let cap = l.copy_throughput_cap.as_ref().map(|v| ctx.unit(v, "copy_throughput_cap", parse_rate_bytes_per_s));
        let (Some(from), Some(to), Some(bandwidth)) = (from, to, bandwidth) else { continue };
        if from == to {
            ctx.err(l.to.span(), "to", "a link joins two different regions; copies within a region move over the region's own default link (set its rate with the provider's `link_bandwidth` and `copy_throughput_cap`)");
            continue;
        }
        if bandwidth == 0 {
            ctx.err(l.bandwidth.span(), "bandwidth", "expected a bandwidth above zero: no copy could ever finish");
            continue;
        }
        let provider = world.region(from).provider;
        if world.region(to).provider != provider {
            ctx.err(
                l.to.span(),
                "to",
                format!(
                    "a link joins regions of one provider; {} is {}, {} is {}",
                    world.region(from).name,
                    provider.name(),
                    world.region(to).name,
                    world.region(to).provider.name()
                ),
            );
            continue;
        }
        let params = LinkParams {
            bandwidth_bytes_per_s: bandwidth,
            latency: SimDuration(latency.flatten().unwrap_or(world.params(provider).link_latency.as_ms())),
            copy_cap_bytes_per_s: cap.flatten().unwrap_or(world.params(provider).copy_cap_bytes_per_s),
        };
        let pairs = if l.bidirectional.unwrap_or(false) { vec![(from, to), (to, from)] } else { vec![(from, to)] };
        for (a, b) in pairs {
            if seen.insert((a, b), ()).is_some() {
                ctx.err(
                    l.from.span(),
                    "from",
                    format!("the link {} → {} is declared twice", world.region(a).name, world.region(b).name),
                );
                continue;
            }
            world.add_link(a, b, params);
        }
    }
}

fn generation(ctx: &mut Ctx<'_>, g: &Option<Spanned<u8>>) -> u8 {
    match g {
        None => 1,
        Some(g) if matches!(*g.get_ref(), 1 | 2) => *g.get_ref(),
        Some(g) => {
            ctx.err(g.span(), "generation", "expected 1 (first generation) or 2 (second generation, sdp)");
            1
        }
    }
}

/// `regional`: only a file share can be regional.
fn regional(ctx: &mut Ctx<'_>, r: &Option<Spanned<bool>>, kind: VolumeKind) -> bool {
    match r {
        Some(r) if *r.get_ref() && kind != VolumeKind::File => {
            ctx.err(r.span(), "regional", "only a file share (kind = \"file\") can be regional");
            false
        }
        Some(r) => *r.get_ref(),
        None => false,
    }
}

fn kind_of(ctx: &mut Ctx<'_>, v: &Option<S>, provider: Option<Provider>) -> VolumeKind {
    match v {
        None => provider.map_or(VolumeKind::Block, |p| rules(p).default_volume_kind()),
        Some(k) => match k.get_ref().as_str() {
            "block" => VolumeKind::Block,
            "file" => VolumeKind::File,
            other => {
                ctx.err(k.span(), "kind", format!("unknown volume kind `{other}` (expected block or file)"));
                VolumeKind::Block
            }
        },
    }
}

pub(super) fn key_choice(ctx: &mut Ctx<'_>, world: &World, v: &S, field: &str) -> Option<KeyChoice> {
    if v.get_ref() == "none" {
        return Some(KeyChoice::Unencrypted);
    }
    ctx.lookup(&world.key_names, v, field, "key").map(KeyChoice::Key)
}

fn build_volumes(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &mut World,
    seed: u64,
    instances: &BTreeMap<String, u32>,
    draw: bool,
) -> BTreeMap<String, Vec<VolumeId>> {
    let mut groups: BTreeMap<String, Vec<VolumeId>> = BTreeMap::new();
    // Per instance, the line of the volume that is its boot volume.
    let mut boots: BTreeMap<u32, usize> = BTreeMap::new();
    for v in &raw.volumes {
        let name = v.name.get_ref();
        if world.volume_names.contains_key(name) {
            twice(ctx, "volume", &v.name, first_named(raw.volumes.iter().map(|v| &v.name), name));
            continue;
        }
        let account = ctx.lookup(&world.account_names, &v.account, "account", "account");
        let region = ctx.lookup(&world.region_names, &v.region, "region", "region");
        let kind = kind_of(ctx, &v.kind, region.map(|r| world.region(r).provider));
        let size = ctx.unit(&v.size, "size", parse_size).filter(|s| {
            *s > 0 || {
                ctx.err(v.size.span(), "size", "a volume needs a size above zero");
                false
            }
        });
        let change = v.daily_change.as_ref().map_or(Some(10_000), |c| ctx.unit(c, "daily_change", parse_percent_ppm));
        let key = v.key.as_ref().map(|k| key_choice(ctx, world, k, "key"));
        let (Some(account), Some(region), Some(size), Some(change)) = (account, region, size, change) else {
            ctx.broken("volume", name);
            continue;
        };
        let id = world.add_volume(name, account, region, kind, size, change);
        let vol = &mut world.volumes[id.index()];
        vol.key = match key.flatten() {
            Some(KeyChoice::Key(k)) => Some(k),
            _ => None,
        };
        vol.tags = v.tags.iter().map(|t| t.get_ref().clone()).collect();
        vol.boot = v.boot.as_ref().is_some_and(|b| *b.get_ref());
        vol.generation = generation(ctx, &v.generation);
        vol.regional = regional(ctx, &v.regional, kind);
        if let Some(i) = &v.instance {
            vol.instance = ctx.lookup(instances, i, "instance", "instance");
        }
        let (boot, instance) = (vol.boot, vol.instance);
        if let Some(inst) = instance {
            let at = &world.instances[inst as usize];
            if at.region != region {
                let message = format!(
                    "instance {} is in {}, and a volume attaches to an instance in its own region ({})",
                    at.name,
                    world.region(at.region).name,
                    world.region(region).name
                );
                ctx.err(v.instance.as_ref().map_or(0..0, Spanned::span), "instance", message);
            }
            if boot {
                let line = ctx.line_of(v.name.span().start);
                if let Some(&first) = boots.get(&inst) {
                    let message = format!("instance {} already has a boot volume (line {first})", at.name);
                    ctx.err(v.boot.as_ref().map_or(0..0, Spanned::span), "boot", message);
                } else {
                    boots.insert(inst, line);
                }
            }
        }
        groups.insert(name.clone(), vec![id]);
    }
    build_fleets(ctx, raw, world, seed, &mut groups, draw);
    groups
}

/// Generates fleet members `<name>-0001`, … with sizes and change rates drawn from the seed's
/// named streams `fleet:<name>:size` and `fleet:<name>:change`. Without `draw` (the scenario is
/// refused already, [`super::budget::check_events_early`]) each fleet is checked, not drawn,
/// and counts as refused: where it or its members are named is not "unknown".
fn build_fleets(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &mut World,
    seed: u64,
    groups: &mut BTreeMap<String, Vec<VolumeId>>,
    draw: bool,
) {
    let streams = RngStreams::new(seed);
    for f in &raw.fleets {
        let name = f.name.get_ref();
        let count = *f.count.get_ref();
        if count == 0 || count > 1_000_000 {
            ctx.err(f.count.span(), "count", "expected a fleet size between 1 and 1000000");
            ctx.broken_fleet(name, u32::MAX);
            continue;
        }
        if groups.contains_key(name) {
            super::names::fleet_twice(ctx, raw, &f.name);
            continue;
        }
        let account = ctx.lookup(&world.account_names, &f.account, "account", "account");
        let region = ctx.lookup(&world.region_names, &f.region, "region", "region");
        let kind = kind_of(ctx, &f.kind, region.map(|r| world.region(r).provider));
        let size = ctx.unit(&f.size, "size", parse_size);
        let size_max = f.size_max.as_ref().map(|s| ctx.unit(s, "size_max", parse_size));
        let change = f.daily_change.as_ref().map_or(Some(10_000), |c| ctx.unit(c, "daily_change", parse_percent_ppm));
        let change_max = f.daily_change_max.as_ref().map(|c| ctx.unit(c, "daily_change_max", parse_percent_ppm));
        let key = f.key.as_ref().map(|k| key_choice(ctx, world, k, "key"));
        let (Some(account), Some(region), Some(size), Some(change)) = (account, region, size, change) else {
            ctx.broken_fleet(name, count);
            continue;
        };
        let size_hi = size_max.flatten().unwrap_or(size);
        let change_hi = change_max.flatten().unwrap_or(change);
        if size == 0 || size_hi < size {
            let message = if size == 0 {
                format!("a fleet's volumes need a size of at least 1 byte; {:?} is 0 bytes", f.size.get_ref())
            } else {
                format!(
                    "expected size <= size_max: size is {size} bytes, size_max {:?} is {size_hi} bytes",
                    f.size_max.as_ref().map_or("", |m| m.get_ref().as_str())
                )
            };
            ctx.err(f.size.span(), "size", message);
            ctx.broken_fleet(name, count);
            continue;
        }
        if change_hi < change {
            ctx.err(
                f.daily_change.as_ref().map_or(f.name.span(), |c| c.span()),
                "daily_change",
                "expected daily_change <= daily_change_max",
            );
            ctx.broken_fleet(name, count);
            continue;
        }
        let generation = generation(ctx, &f.generation);
        let is_regional = regional(ctx, &f.regional, kind);
        if !draw {
            ctx.broken_fleet(name, count);
            continue;
        }
        let mut size_rng = streams.stream(&format!("fleet:{name}:size"));
        let mut change_rng = streams.stream(&format!("fleet:{name}:change"));
        let tags: std::sync::Arc<[String]> = f.tags.iter().map(|t| t.get_ref().clone()).collect();
        let mut members = Vec::with_capacity(count as usize);
        let mut member_names = Vec::with_capacity(count as usize);
        for i in 1..=count {
            let member = format!("{name}-{i:04}");
            if world.volume_names.contains_key(&member) {
                ctx.err(f.name.span(), "name", format!("fleet member `{member}` collides with a declared volume"));
                break;
            }
            let s = size_rng.range_inclusive(size, size_hi);
            let c = change_rng.range_inclusive(u64::from(change), u64::from(change_hi)) as u32;
            let id = world.add_volume(&member, account, region, kind, s, c);
            let vol = &mut world.volumes[id.index()];
            vol.key = match key.flatten() {
                Some(KeyChoice::Key(k)) => Some(k),
                _ => None,
            };
            vol.tags = tags.clone(); // one list for every member: a million members share it
            vol.generation = generation;
            vol.regional = is_regional;
            members.push(id);
            member_names.push((member, id));
        }
        groups.insert(name.clone(), members);
        // Fleet members can be named one by one, too.
        groups.extend(member_names.into_iter().map(|(n, id)| (n, vec![id])));
    }
}

fn build_schedules(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    world: &World,
    groups: &BTreeMap<String, Vec<VolumeId>>,
    horizon: Option<SimDuration>,
) -> Vec<Schedule> {
    let mut out = Vec::new();
    let sizes: BTreeMap<String, usize> = groups.iter().map(|(k, v)| (k.clone(), v.len())).collect();
    for s in &raw.schedules {
        let every = ctx.unit(&s.every, "every", parse_duration_ms);
        if every == Some(0) {
            ctx.err(s.every.span(), "every", format!("the interval {AT_LEAST_ONE_MS}"));
        }
        let offset = s.offset.as_ref().map_or(Some(0), |o| ctx.unit(o, "offset", parse_duration_ms));
        if let (Some(o), Some(at), Some(horizon)) = (&s.offset, offset, horizon)
            && at > horizon.as_ms()
        {
            let message = "the first backup would come after the horizon, so the schedule would never run";
            let what = format!("schedule {}'s first backup (offset = {:?})", s.name.get_ref(), o.get_ref());
            ctx.past_horizon(PastHorizon { span: o.span(), field: "offset", message: message.into(), what, at_ms: at });
        }
        let volumes = expand_volumes(ctx, world, &s.volumes, groups, &sizes);
        if s.volumes.is_empty() {
            let at = ctx.empty_list_after(s.name.span().end, "volumes").unwrap_or(s.name.span());
            ctx.err(at, "volumes", "the schedule lists no volume: it would back up nothing");
        }
        let count_max = super::policies::RETENTION_COUNT_MAX;
        let retention = super::policies::retention(ctx, &s.retention_days, &s.retention_count, None, count_max);
        let share_with = super::policies::share_with(ctx, world, &s.share_with, &volumes);
        let mut targets = Vec::new();
        let distinct = distinct_routes(world, &volumes);
        for (target, span) in super::policies::build_targets(ctx, world, &s.copy_to, count_max) {
            if let Some(message) = static_target_problem(world, &distinct, &target, &share_with, &ctx.iam_refused) {
                ctx.err(span, "copy_to.region", message);
                continue;
            }
            targets.push(target);
        }
        let (Some(every), Some(offset)) = (every, offset) else { continue };
        if every == 0 {
            continue;
        }
        let groups = vec![None; volumes.len()];
        out.push(Schedule {
            name: s.name.get_ref().clone(),
            volumes,
            timing: Timing::Every { every: SimDuration(every), offset: SimDuration(offset) },
            targets,
            retention,
            policy: None,
            groups,
            enabled: true,
            share_with,
        });
    }
    out
}

/// The volumes a list of volume and fleet names stands for, each once: naming a volume twice
/// (directly, or as a member of a listed fleet) is an error at the second name — a schedule
/// backs each volume up once per run.
pub(super) fn expand_volumes(
    ctx: &mut Ctx<'_>,
    world: &World,
    names: &[S],
    groups: &BTreeMap<String, Vec<VolumeId>>,
    sizes: &BTreeMap<String, usize>,
) -> Vec<VolumeId> {
    let mut volumes = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for v in names {
        if ctx.lookup(sizes, v, "volumes", "volume or fleet").is_none() {
            continue;
        }
        let ids = &groups[v.get_ref()];
        if let Some(&dup) = ids.iter().find(|id| seen.contains(*id)) {
            let message = format!("volume `{}` is listed twice (each volume is listed once)", world.volume(dup).name);
            ctx.err(v.span(), "volumes", message);
            continue;
        }
        seen.extend(ids.iter().copied());
        volumes.extend_from_slice(ids);
    }
    volumes
}

/// Of `volumes`, the first with each combination of what a route check reads of a volume
/// (region, account, key, kind), in order: a target that fails for a volume fails for the
/// first of its kind, so checking these alone names the same volume as checking all (a
/// million-volume fleet copied to 255 regions is 255 checks per kind, not 255 million).
pub(super) fn distinct_routes(world: &World, volumes: &[VolumeId]) -> Vec<VolumeId> {
    let mut seen = std::collections::BTreeSet::new();
    let kind = |v: &crate::model::Volume| v.kind == crate::model::VolumeKind::File;
    volumes
        .iter()
        .copied()
        .filter(|&v| {
            let vol = world.volume(v);
            seen.insert((vol.region, vol.account, vol.key, kind(vol)))
        })
        .collect()
}

/// Why a schedule's copy target can never work for one of its volumes, if it cannot
/// (`volumes`: [`distinct_routes`] of them).
pub(super) fn static_target_problem(
    world: &World,
    volumes: &[VolumeId],
    target: &Target,
    share_with: &[AccountId],
    iam_refused: &std::collections::BTreeSet<AccountId>,
) -> Option<String> {
    for &v in volumes {
        let vol = world.volume(v);
        let provider = world.region(vol.region).provider;
        if let Some(a) = target.account.filter(|&a| a != vol.account && rules(provider).cross_account_needs_share())
            && !share_with.contains(&a)
        {
            return Some(format!(
                "this copy target can never work for volume {}: {} can copy its snapshots only once they are shared with it; add share_with = [\"{}\"] to the schedule or plan",
                vol.name,
                world.account(a).name,
                world.account(a).name
            ));
        }
        if world.region(target.region).provider != provider {
            return Some(format!(
                "volume {} is in a {} region; {} is {}: copies never cross providers",
                vol.name,
                provider.name(),
                world.region(target.region).name,
                world.region(target.region).provider.name()
            ));
        }
        let dest_key = match target.key {
            KeyChoice::Key(k) => Some(k),
            _ => None,
        };
        let strip = target.key == KeyChoice::Unencrypted;
        let route = Route::of_volume(world, v, target.region, target.account, dest_key, strip);
        let checked =
            rules(provider).check_route(world, &route).and_then(|()| crate::providers::check_regions(world, &route));
        let refused = iam_refused.contains(&vol.account) || target.account.is_some_and(|a| iam_refused.contains(&a));
        if let Err(e) = checked
            && !refused
        {
            return Some(format!("this copy target can never work for volume {}: {}", vol.name, e));
        }
    }
    None
}
