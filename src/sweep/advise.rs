//! `advise interval`: for one volume of a given size and daily change under one provider, the
//! shortest backup interval at which its cross-region copies stay incremental in steady state,
//! found by bisection over real simulations (not a formula) to a stated resolution.
//!
//! "Steady state": the run lasts `2d + 12 × interval`; in its second half at least two copies
//! started and every one of them was incremental. The search assumes that a longer interval
//! never makes copies full (true of every rule set copysim models) and looks between one
//! resolution step and [`MAX_INTERVAL_MS`].

use rayon::prelude::*;

use super::grid::format_duration_ms;
use crate::kernel::SimTime;
use crate::model::CopyKind;
use crate::providers::registry;
use crate::scenario::overrides::{self, Override};

/// The longest interval searched: 7 days.
pub const MAX_INTERVAL_MS: u64 = 7 * 86_400_000;

/// What was asked.
#[derive(Clone, Debug)]
pub struct Question {
    /// Provider name, as in scenario files.
    pub provider: String,
    /// Daily change, as in scenario files (`1%`).
    pub change: String,
    /// Search resolution, milliseconds.
    pub resolution_ms: u64,
    /// Extra overrides of the generated scenario (`--set`).
    pub overrides: Vec<Override>,
}

/// The answer for one size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The size, as given.
    pub size: String,
    /// The shortest interval found; `None` when even [`MAX_INTERVAL_MS`] does not keep copies incremental.
    pub interval_ms: Option<u64>,
    /// True when the search floor (one resolution step) already works: any interval does.
    pub at_floor: bool,
    /// How long the first (full) copy took in the run at the answer, milliseconds.
    pub full_copy_ms: Option<u64>,
    /// Simulations run.
    pub simulations: u32,
    /// Why there is no answer, when the provider has no cross-region copy.
    pub note: Option<String>,
}

/// How long a simulation at `interval_ms` lasts: 2 days + 12 intervals.
fn horizon_ms(interval_ms: u64) -> u64 {
    2 * 86_400_000 + 12 * interval_ms
}

fn scenario_text(q: &Question, size: &str, interval_ms: u64) -> Result<String, String> {
    // The provider lays out its own two example regions and volume kind.
    let Some(rules) = registry::parse(&q.provider).map(crate::providers::rules) else {
        return Err(format!("--provider {}: unknown provider (known: {})", q.provider, registry::names().join(", ")));
    };
    let (regions, kind) = (rules.example_regions(), rules.default_volume_kind().name());
    let horizon = horizon_ms(interval_ms);
    let mut t = format!(
        "name = \"advise-interval\"\nseed = 1\nstart = \"2026-01-05T00:00:00Z\"\nhorizon = \"{}\"\n",
        format_duration_ms(horizon)
    );
    for (name, code) in regions {
        t.push_str(&format!("\n[[regions]]\nname = \"{name}\"\nprovider = \"{}\"\n", q.provider));
        if !code.is_empty() {
            t.push_str(&format!("code = \"{code}\"\n"));
        }
    }
    t.push_str(&format!(
        "\n[[accounts]]\nname = \"planner\"\n\n[[volumes]]\nname = \"vol\"\naccount = \"planner\"\nregion = \"{}\"\n\
         kind = \"{kind}\"\nsize = {size:?}\ndaily_change = {:?}\n\n[[schedules]]\nname = \"every\"\nvolumes = [\"vol\"]\n\
         every = \"{}\"\ncopy_to = [{{ region = \"{}\" }}]\n",
        regions[0].0,
        q.change,
        format_duration_ms(interval_ms),
        regions[1].0
    ));
    Ok(t)
}

/// One simulation: do copies stay incremental at `interval_ms`? Also the first copy's duration.
pub fn trial(q: &Question, size: &str, interval_ms: u64) -> Result<(bool, Option<u64>), String> {
    let text = scenario_text(q, size, interval_ms)?;
    let scenario =
        overrides::parse_with(&text, "<advise interval>", None, &q.overrides).map_err(|e| flag_errors(q, size, &e))?;
    let half = SimTime::ZERO + crate::kernel::SimDuration(scenario.horizon.as_ms() / 2);
    let mut kinds = Kinds { half, late: Vec::new(), first_ms: None };
    crate::engine::run_with(&scenario, &mut kinds).map_err(|e| e.to_string())?;
    let late = kinds.late;
    Ok((late.len() >= 2 && late.iter().all(|k| *k == CopyKind::Incremental), kinds.first_ms))
}

/// The generated scenario's mistakes, each named by the flag it came from where it came from
/// one (`--sizes 0: a volume needs a size above zero`), not by a line of a file nobody wrote.
fn flag_errors(q: &Question, size: &str, e: &overrides::OverrideError) -> String {
    use crate::scenario::{InputError, ScenarioError};
    let (set, others): (Vec<String>, &[InputError]) = match e {
        overrides::OverrideError::Invalid { set, others, .. } => {
            (set.iter().map(ToString::to_string).collect(), others)
        }
        overrides::OverrideError::Scenario(ScenarioError::Invalid { errors, .. }) => (Vec::new(), errors),
        overrides::OverrideError::Scenario(other) => return other.to_string(),
    };
    // A mistake at another field follows from the `--set` overrides (a `max_events` too small
    // for the generated schedule): they are named, not the generated file's line and column.
    let sets = || match q.overrides.iter().map(|o| o.origin.as_str()).collect::<Vec<_>>() {
        origins if origins.is_empty() => format!("--provider {} --sizes {size}", q.provider),
        origins => origins.join(" "),
    };
    let named = others.iter().map(|e| match e.field.as_str() {
        "size" => format!("--sizes {size}: {}", e.message),
        "daily_change" => format!("--change {}: {}", q.change, e.message),
        field => format!("{}: in the scenario advise interval generates, field `{field}`: {}", sets(), e.message),
    });
    // Each mistake after the first reads `error: …`, as the first does once the CLI prints it.
    set.into_iter().chain(named).collect::<Vec<_>>().join("\nerror: ")
}

/// Watches copies as they end (finished copies leave the world, so they are read from the
/// records): the kinds of those started in the second half, and how long the first one took.
struct Kinds {
    half: SimTime,
    late: Vec<CopyKind>,
    first_ms: Option<u64>,
}

impl crate::record::Observer for Kinds {
    fn record(&mut self, _at: SimTime, r: &crate::record::Record<'_>) {
        let crate::record::Record::CopyClosed { copy: c, .. } = r else { return };
        if c.id.index() == 0 {
            self.first_ms = c.finished_at.get().zip(c.started_at.get()).map(|(f, s)| f.since(s).as_ms());
        }
        if let (Some(s), Some(k)) = (c.started_at.get(), c.kind)
            && s >= self.half
        {
            self.late.push(k);
        }
    }
}

/// Bisection for one size.
pub fn answer(q: &Question, size: &str) -> Result<Answer, String> {
    // A provider whose copies never leave their region says why; there is nothing to advise.
    if let Some(why) = registry::parse(&q.provider).and_then(|p| crate::providers::rules(p).no_cross_region_copy()) {
        return Ok(Answer {
            size: size.to_string(),
            interval_ms: None,
            at_floor: false,
            full_copy_ms: None,
            simulations: 0,
            note: Some(format!("not applicable: {why}")),
        });
    }
    let step = q.resolution_ms.max(1);
    let (mut lo, mut hi) = (1, MAX_INTERVAL_MS / step);
    let simulations = std::cell::Cell::new(0);
    let run = |k: u64| {
        simulations.set(simulations.get() + 1);
        trial(q, size, k * step)
    };
    let done = |interval_ms, at_floor, full_copy_ms| Answer {
        size: size.to_string(),
        interval_ms,
        at_floor,
        full_copy_ms,
        simulations: simulations.get(),
        note: None,
    };
    let (ok_floor, floor_copy) = run(lo)?;
    if ok_floor {
        return Ok(done(Some(step), true, floor_copy));
    }
    let (ok_top, mut copy) = run(hi)?;
    if !ok_top {
        return Ok(done(None, false, copy));
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let (ok, c) = run(mid)?;
        if ok {
            hi = mid;
            copy = c;
        } else {
            lo = mid;
        }
    }
    Ok(done(Some(hi * step), false, copy))
}

/// Checks the question without simulating: the generated scenario of every size, with the
/// overrides, validated at the search floor (what [`trial`] would refuse, with the same message).
/// The CLI calls it before checking its output folder, and that folder before [`answers`].
pub fn check(q: &Question, sizes: &[String]) -> Result<(), String> {
    // A provider without cross-region copies is answered `n/a` with no simulation (see [`answer`]).
    if registry::parse(&q.provider).is_some_and(|p| crate::providers::rules(p).no_cross_region_copy().is_some()) {
        return Ok(());
    }
    for size in sizes {
        let text = scenario_text(q, size, q.resolution_ms.max(1))?;
        overrides::parse_with(&text, "<advise interval>", None, &q.overrides).map_err(|e| flag_errors(q, size, &e))?;
    }
    Ok(())
}

/// Answers for every size, in parallel, in the order given.
pub fn answers(q: &Question, sizes: &[String]) -> Result<Vec<Answer>, String> {
    sizes.par_iter().map(|s| answer(q, s)).collect::<Vec<_>>().into_iter().collect()
}

fn shown(a: &Answer, resolution_ms: u64) -> String {
    if a.note.is_some() {
        return "n/a".to_string();
    }
    match (a.interval_ms, a.at_floor) {
        (None, _) => format!("none up to {}", format_duration_ms(MAX_INTERVAL_MS)),
        // Even the search floor kept copies incremental: shorter intervals were not tried.
        (Some(_), true) => format!("≤ {} (the floor)", format_duration_ms(resolution_ms)),
        (Some(ms), false) => human(ms),
    }
}

/// `13h 55m`-style text.
pub fn human(ms: u64) -> String {
    let (d, h, m, s) = (ms / 86_400_000, ms / 3_600_000 % 24, ms / 60_000 % 60, ms / 1000 % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "m"), (s, "s")]
        .iter()
        .filter(|(v, _)| *v > 0)
        .map(|(v, u)| format!("{v}{u}"))
        .collect();
    if parts.is_empty() { "0s".to_string() } else { parts.join(" ") }
}

/// The table printed for a planner.
pub fn table(q: &Question, answers: &[Answer]) -> String {
    let mut out = format!(
        "Shortest backup interval at which cross-region copies stay incremental\n\
         provider {}, daily change {}, resolution {} (bisection over simulations; see docs/sweeps.md)\n\
         from a cold start: the first copy is full and the interval must let the next ones be incremental;\n\
         a volume already copied incrementally (warm_start) may hold a shorter one until a copy fails or turns full\n\n",
        q.provider,
        q.change,
        format_duration_ms(q.resolution_ms)
    );
    out.push_str(&format!(
        "{:<10} {:>22} {:>22} {:>12}\n",
        "size", "shortest interval", "first full copy took", "simulations"
    ));
    for a in answers {
        let copy = a.full_copy_ms.map_or("-".to_string(), human);
        out.push_str(&format!("{:<10} {:>22} {:>22} {:>12}\n", a.size, shown(a, q.resolution_ms), copy, a.simulations));
    }
    let tight: Vec<&str> = answers.iter().filter(|a| no_margin(a, q.resolution_ms)).map(|a| a.size.as_str()).collect();
    if !tight.is_empty() {
        out.push_str(&format!(
            "\nno margin at {}: the interval is within one step of the first full copy's time, so each copy\n\
             completes about as the next is requested; anything slower (less bandwidth, a larger change, another\n\
             copy on the link) turns the next one full — plan an interval above it\n",
            tight.join(", ")
        ));
    }
    let stuck: Vec<&str> = answers.iter().filter(|a| never_copied(a)).map(|a| a.size.as_str()).collect();
    if !stuck.is_empty() {
        out.push_str(&format!(
            "\nnone at {}: the first full copy did not finish even in the longest simulation ({} at a {} interval),\n\
             so no interval keeps copies incremental; check the copy rate (the link's `bandwidth`, the provider's\n\
             `copy_throughput_cap`: \"8bps\" is one byte per second, \"8MB/s\" eight million)\n",
            stuck.join(", "),
            format_duration_ms(horizon_ms(MAX_INTERVAL_MS)),
            format_duration_ms(MAX_INTERVAL_MS)
        ));
    }
    if let Some(note) = answers.iter().find_map(|a| a.note.as_ref()) {
        out.push_str(&format!("\n{note}\n"));
    }
    out
}

/// Whether no interval was found because the first copy never finished: the copy rate, not the
/// interval, is what to change (`copy_throughput_cap = "8bps"` printed "none up to 7d" and an
/// empty first copy time, with nothing to say why).
fn never_copied(a: &Answer) -> bool {
    a.note.is_none() && a.interval_ms.is_none() && a.full_copy_ms.is_none()
}

/// Whether the answer is within one resolution step of the first full copy's time (any interval
/// at or above it only just lets each copy complete before the next is requested).
fn no_margin(a: &Answer, resolution_ms: u64) -> bool {
    match (a.interval_ms, a.full_copy_ms) {
        // Within one step either side: an interval well under the first full copy's time (the
        // first copy shared the link with the others; the steady ones are faster) is not "within
        // one step" of it, and the note would contradict the table.
        (Some(i), Some(f)) if !a.at_floor => i.abs_diff(f) < resolution_ms,
        _ => false,
    }
}

/// The answers as CSV.
pub fn csv(q: &Question, answers: &[Answer]) -> Vec<u8> {
    let mut out = String::from(
        "provider,daily_change,size,size_bytes,interval_s,any_interval,full_copy_s,resolution_s,simulations,note\n",
    );
    for a in answers {
        let bytes = crate::scenario::units::parse_size(&a.size).map_or(String::new(), |b| b.to_string());
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            q.provider,
            q.change,
            a.size,
            bytes,
            a.interval_ms.map_or(String::new(), |ms| (ms / 1000).to_string()),
            a.at_floor,
            a.full_copy_ms.map_or(String::new(), crate::report::seconds),
            q.resolution_ms / 1000,
            a.simulations,
            a.note.as_deref().map_or(String::new(), |n| format!("\"{}\"", n.replace('"', "\"\""))),
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(provider: &str) -> Question {
        Question { provider: provider.into(), change: "1%".into(), resolution_ms: 300_000, overrides: Vec::new() }
    }

    #[test]
    fn ibm_needs_the_full_copy_time_between_snapshots() {
        // IBM copies are incremental only when the preceding snapshot's copy has completed. The
        // model is calibrated on the document ("a 3-TB storage volume ... can take over 12.5
        // hours"): a full copy of 3 TB takes 3e12 B / 66,666,667 B/s = 45,000 s = 12 h 30 min.
        // Every snapshot of the steady state reaches STABLE the same time after it is taken, so
        // an interval of exactly the copy time lets each copy land as the next is requested:
        // 12 h 30 min is the answer on a 5-minute grid, and 12 h 25 min stays full.
        let a = answer(&question("ibm_vpc"), "3TB").unwrap();
        assert_eq!(a.full_copy_ms, Some(45_000_000));
        assert_eq!(a.interval_ms, Some((12 * 60 + 30) * 60_000));
        assert!(!trial(&question("ibm_vpc"), "3TB", (12 * 60 + 25) * 60_000).unwrap().0);
        // An answer equal to the copy time has no margin, and the table says so.
        let shown = table(&question("ibm_vpc"), &[a]);
        assert!(shown.contains("no margin at 3TB"), "{shown}");
    }

    #[test]
    fn an_interval_a_step_above_the_copy_time_has_a_margin() {
        let a = |interval_ms, at_floor| Answer {
            size: "1TB".into(),
            interval_ms: Some(interval_ms),
            at_floor,
            full_copy_ms: Some(15_000_000),
            simulations: 13,
            note: None,
        };
        assert!(no_margin(&a(15_000_000, false), 300_000));
        assert!(!no_margin(&a(15_300_000, false), 300_000));
        assert!(!no_margin(&a(300_000, true), 300_000), "any interval works: nothing to warn about");
        assert!(no_margin(&a(14_800_000, false), 300_000), "a step under it");
        // 11 h 20 min against a first full copy of 12 h 14 min 41 s: 55 min under, not one step.
        let slow_first = Answer { full_copy_ms: Some(44_081_000), ..a(40_800_000, false) };
        assert!(!no_margin(&slow_first, 300_000));
    }

    #[test]
    fn a_first_copy_that_never_finishes_says_to_check_the_copy_rate() {
        // A copy cap of 8 bps (one byte per second) printed "none up to 7d" and "-" with no word why.
        let mut q = question("ibm_vpc");
        q.overrides = vec![overrides::parse_arg("providers.ibm_vpc.copy_throughput_cap=8bps").unwrap()];
        let a = answer(&q, "100GB").unwrap();
        assert_eq!((a.interval_ms, a.full_copy_ms), (None, None), "{a:?}");
        let shown = table(&q, &[a]);
        assert!(shown.contains("none at 100GB: the first full copy did not finish even in the longest simulation (86d at a 7d interval)"), "{shown}");
        assert!(shown.contains("\"8bps\" is one byte per second"), "{shown}");
        // An answer with a first copy says nothing of the kind.
        let shown = table(&question("ibm_vpc"), &[answer(&question("ibm_vpc"), "100GB").unwrap()]);
        assert!(!shown.contains("none at"), "{shown}");
    }

    #[test]
    fn ebs_copies_stay_incremental_at_any_interval() {
        // "the second copy starts only after the first copy finishes" and is incremental while
        // the most recent copy exists: no interval turns them full.
        let a = answer(&question("aws_ebs"), "1TB").unwrap();
        assert!(a.at_floor, "{a:?}");
    }

    #[test]
    fn huawei_has_no_cross_region_copy_to_advise_on() {
        let a = answer(&question("huawei_cbr"), "1TB").unwrap();
        assert_eq!((a.interval_ms, a.simulations), (None, 0));
        assert!(a.note.unwrap().contains("no cross-region copy"));
        assert!(answer(&question("gcp"), "1TB").unwrap_err().contains("unknown provider"));
    }
}
