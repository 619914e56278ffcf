//! `advise bandwidth`: the least bandwidth of one declared link at which a scenario's RPO p95 in
//! a DR region meets a target, found by bisection over real simulations of the scenario (the
//! rate on a log scale, to a stated relative resolution), not by a formula: queues, quotas, the
//! per-copy cap and the schedules all play as in `copysim run`.
//!
//! The search assumes that more bandwidth never makes the RPO p95 worse. It looks between
//! [`FLOOR_BYTES_PER_S`] and [`CEILING_BYTES_PER_S`]; when even the ceiling misses the target,
//! the link is not what holds RPO back (the interval, a quota, the per-copy cap or the first
//! full copies are), and the answer says so with the p95 there.

use crate::kernel::SimDuration;
use crate::model::RegionId;
use crate::scenario::Scenario;

/// The least bandwidth searched: 1 Mbit/s.
pub const FLOOR_BYTES_PER_S: u64 = 125_000;
/// The most bandwidth searched: 10 Tbit/s.
pub const CEILING_BYTES_PER_S: u64 = 1_250_000_000_000;

/// What was asked.
#[derive(Clone, Debug)]
pub struct Question {
    /// The link's index in the scenario's world.
    pub link: usize,
    /// The DR region whose RPO p95 is read.
    pub region: RegionId,
    /// The target the p95 must not exceed.
    pub target: SimDuration,
    /// Relative resolution: the search stops when the bounds are within `1 + resolution_ppm / 1e6`.
    pub resolution_ppm: u64,
}

/// One simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trial {
    /// The link's bandwidth.
    pub bandwidth_bytes_per_s: u64,
    /// The region's RPO p95 (`None`: nothing measured there).
    pub rpo_p95_ms: Option<u64>,
    /// The p95 is at or under the target.
    pub meets: bool,
}

/// The answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The least bandwidth found to meet the target (`None`: not even the ceiling does).
    pub bandwidth_bytes_per_s: Option<u64>,
    /// The floor already meets it: any bandwidth searched does.
    pub at_floor: bool,
    /// The scenario as written.
    pub declared: Trial,
    /// Every simulation, by bandwidth.
    pub trials: Vec<Trial>,
}

/// Runs `scenario` with the link at `bandwidth_bytes_per_s`.
pub fn trial(scenario: &Scenario, q: &Question, bandwidth_bytes_per_s: u64) -> Result<Trial, String> {
    let mut s = scenario.clone();
    s.world.links[q.link].params.bandwidth_bytes_per_s = bandwidth_bytes_per_s;
    let summary = super::metrics::run_one(&s)?;
    let name = &scenario.world.region(q.region).name;
    let rpo_p95_ms = summary.rpo.iter().find(|r| &r.region == name).map(|r| r.p95_ms);
    let meets = rpo_p95_ms.is_some_and(|p| p <= q.target.as_ms());
    Ok(Trial { bandwidth_bytes_per_s, rpo_p95_ms, meets })
}

/// The bisection.
pub fn answer(scenario: &Scenario, q: &Question) -> Result<Answer, String> {
    // Each rate simulated once (the declared one may be the floor or the ceiling).
    let mut trials: Vec<Trial> = Vec::new();
    let mut run = |bw: u64| -> Result<Trial, String> {
        if let Some(t) = trials.iter().find(|t| t.bandwidth_bytes_per_s == bw) {
            return Ok(*t);
        }
        let t = trial(scenario, q, bw)?;
        trials.push(t);
        Ok(t)
    };
    let declared = run(scenario.world.links[q.link].params.bandwidth_bytes_per_s)?;
    let done = |bandwidth_bytes_per_s, at_floor, mut trials: Vec<Trial>| {
        trials.sort_by_key(|t| t.bandwidth_bytes_per_s);
        Ok(Answer { bandwidth_bytes_per_s, at_floor, declared, trials })
    };
    if !run(CEILING_BYTES_PER_S)?.meets {
        return done(None, false, trials);
    }
    if run(FLOOR_BYTES_PER_S)?.meets {
        return done(Some(FLOOR_BYTES_PER_S), true, trials);
    }
    let (mut lo, mut hi) = (FLOOR_BYTES_PER_S, CEILING_BYTES_PER_S);
    // The declared bandwidth narrows the bounds before the first bisection step.
    if declared.meets {
        hi = hi.min(declared.bandwidth_bytes_per_s);
    } else {
        lo = lo.max(declared.bandwidth_bytes_per_s);
    }
    // hi / lo > 1 + resolution, in integers.
    let wide =
        |lo: u64, hi: u64| u128::from(hi) * 1_000_000 > u128::from(lo) * (1_000_000 + u128::from(q.resolution_ppm));
    while wide(lo, hi) && hi - lo > 1 {
        let mid = ((lo as f64) * (hi as f64)).sqrt().round() as u64;
        let mid = mid.clamp(lo + 1, hi - 1);
        if run(mid)?.meets {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    done(Some(hi), false, trials)
}

/// `1.25 Gbps`-style text of a rate, in bits per second as links are sold.
pub fn human_rate(bytes_per_s: u64) -> String {
    let bits = bytes_per_s as f64 * 8.0;
    let (v, unit) = match bits {
        b if b >= 1e12 => (b / 1e12, "Tbps"),
        b if b >= 1e9 => (b / 1e9, "Gbps"),
        b if b >= 1e6 => (b / 1e6, "Mbps"),
        b if b >= 1e3 => (b / 1e3, "kbps"),
        b => (b, "bps"),
    };
    let text = format!("{v:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {unit}")
}

fn hours(ms: u64) -> String {
    crate::report::human::duration_s(ms as f64 / 1000.0)
}

/// The target as given when [`hours`] would round it (`--rpo-p95 1ms` read "at most 0 s", 90 s
/// "at most 2 min"): whole seconds under a minute and whole minutes above are said as people do.
fn target_text(ms: u64) -> String {
    if ms.is_multiple_of(60_000) || (ms < 60_000 && ms.is_multiple_of(1_000)) {
        hours(ms)
    } else {
        crate::sweep::grid::format_duration_ms(ms)
    }
}

/// The table printed for a planner.
pub fn table(scenario: &Scenario, q: &Question, a: &Answer) -> String {
    let link = &scenario.world.links[q.link];
    let (from, to) = (&scenario.world.region(link.from).name, &scenario.world.region(link.to).name);
    let region = &scenario.world.region(q.region).name;
    let mut out = format!(
        "Least bandwidth of {from} -> {to} at which RPO p95 in {region} is at most {}\n\
         scenario {}, seed {}, resolution {} % (bisection over simulations of the scenario; see docs/sweeps.md)\n\n",
        target_text(q.target.as_ms()),
        scenario.name,
        scenario.seed,
        q.resolution_ppm as f64 / 10_000.0
    );
    let p95 = |t: &Trial| t.rpo_p95_ms.map_or("not measured".to_string(), hours);
    out.push_str(&format!(
        "as declared: {} gives RPO p95 {} ({})\n",
        human_rate(a.declared.bandwidth_bytes_per_s),
        p95(&a.declared),
        if a.declared.meets { "meets the target" } else { "misses the target" }
    ));
    match (a.bandwidth_bytes_per_s, a.at_floor) {
        (Some(bw), true) => out.push_str(&format!(
            "answer: {} or less — even the floor of the search meets the target: the link does not hold RPO back\n",
            human_rate(bw)
        )),
        (Some(bw), false) => {
            let at = a.trials.iter().find(|t| t.bandwidth_bytes_per_s == bw).map_or(String::new(), p95);
            out.push_str(&format!("answer: {} (RPO p95 there {at})\n", human_rate(bw)));
        }
        (None, _) => {
            let top = a.trials.iter().find(|t| t.bandwidth_bytes_per_s == CEILING_BYTES_PER_S);
            // A cold run measured from its start counts its first full copies too.
            let cold = if scenario.warm_start || scenario.report.window.is_some() {
                ""
            } else {
                "; the first full copies of this cold start count in the p95 too: try `--set warm_start=true` \
                 with `--set report.measure_from=…`"
            };
            out.push_str(&format!(
                "answer: none up to {} (RPO p95 there {}): the link is not what holds RPO back — the schedules' \
                 intervals (RPO climbs through each), a copy quota or the per-copy cap (`copy_throughput_cap`) \
                 are{cold}\n",
                human_rate(CEILING_BYTES_PER_S),
                top.map_or("not measured".to_string(), p95)
            ));
        }
    }
    out.push_str(&format!("{} simulations\n", a.trials.len()));
    out
}

/// Every simulation as CSV, by bandwidth.
pub fn csv(scenario: &Scenario, q: &Question, a: &Answer) -> Vec<u8> {
    let link = &scenario.world.links[q.link];
    let (from, to) = (&scenario.world.region(link.from).name, &scenario.world.region(link.to).name);
    let region = &scenario.world.region(q.region).name;
    let mut out = String::from("link,dr_region,bandwidth_bytes_per_s,bandwidth,rpo_p95_s,target_s,meets,answer\n");
    for t in &a.trials {
        out.push_str(&format!(
            "{from}->{to},{region},{},{},{},{},{},{}\n",
            t.bandwidth_bytes_per_s,
            human_rate(t.bandwidth_bytes_per_s),
            t.rpo_p95_ms.map_or(String::new(), crate::report::seconds),
            crate::report::seconds(q.target.as_ms()),
            t.meets,
            a.bandwidth_bytes_per_s == Some(t.bandwidth_bytes_per_s),
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_echoed_as_given_when_people_units_would_round_it() {
        // `--rpo-p95 1ms` read "at most 0 s"; 90 s read "at most 2 min".
        assert_eq!(target_text(1), "1ms");
        assert_eq!(target_text(90_000), "90s");
        assert_eq!(target_text(1_500), "1500ms");
        assert_eq!(target_text(45_000), "45 s");
        assert_eq!(target_text(5 * 3_600_000), "5 h");
        assert_eq!(target_text(90 * 60_000), "1 h 30 min");
    }

    /// One 100 GiB EBS volume changing 2,400 MiB a day (100 MiB an hour), warm, hourly, copied to
    /// us-west-2 over the link; the day after the first measured.
    const HOURLY: &str = r#"name = "bw"
start = "2026-01-01T00:00:00Z"
horizon = "3d"
warm_start = true
[report]
measure_from = "1d"
[providers.aws_ebs]
link_latency = "0s"
[[regions]]
name = "us-east-1"
provider = "aws_ebs"
[[regions]]
name = "us-west-2"
provider = "aws_ebs"
[[links]]
from = "us-east-1"
to = "us-west-2"
bandwidth = "1Mbps"
[[accounts]]
name = "a"
[[volumes]]
name = "v"
account = "a"
region = "us-east-1"
size = "100GiB"
daily_change = "2.34375%"
[[schedules]]
name = "hourly"
volumes = ["v"]
every = "1h"
copy_to = [{ region = "us-west-2" }]
"#;

    #[test]
    fn the_least_bandwidth_meeting_an_rpo_target_is_found_within_the_resolution() {
        // Each hour's backup (100 MiB of change) becomes AVAILABLE a fixed time u after its run
        // and its copy then takes 104,857,600 B / min(B, cap), cap the per-copy cap. RPO rises
        // from u + that to 1 h + u + that before each copy lands: uniform over the hour, so its
        // p95 is 0.95 h + u + 104,857,600 / min(B, cap). At the ceiling the cap sets it; for a
        // target 10 min above that p95, the answer solves 104,857,600 / B = 600 s +
        // 104,857,600 / cap (about 174,763 B/s), found within the 1 % resolution and the p95's
        // own 0.1 % (a few seconds of an hour).
        let s = crate::scenario::parse(HOURLY, "bw.toml").expect("valid");
        let link = s.world.links.iter().position(|l| l.declared).expect("the declared link");
        let region = s.world.links[link].to;
        let q = |target_ms| Question { link, region, target: SimDuration(target_ms), resolution_ppm: 10_000 };
        let top = trial(&s, &q(0), CEILING_BYTES_PER_S).unwrap().rpo_p95_ms.expect("measured");
        let a = answer(&s, &q(top + 600_000)).unwrap();
        let bw = a.bandwidth_bytes_per_s.expect("an answer");
        let cap = s.world.links[link].params.copy_cap_bytes_per_s as f64;
        let exact = 104_857_600.0 / (600.0 + 104_857_600.0 / cap);
        assert!((bw as f64) >= exact * 0.97 && (bw as f64) <= exact * 1.03, "{bw} against {exact}");
        assert!(!a.at_floor && !a.declared.meets);
        // Under the p95 at the ceiling, no bandwidth meets it, and the answer says so.
        let none = answer(&s, &q(top - 1)).unwrap();
        assert_eq!(none.bandwidth_bytes_per_s, None);
        assert!(table(&s, &q(top - 1), &none).contains("the link is not what holds RPO back"));
    }

    #[test]
    fn rates_read_in_bits_per_second() {
        assert_eq!(human_rate(125_000_000), "1 Gbps");
        assert_eq!(human_rate(174_763), "1.398 Mbps");
        assert_eq!(human_rate(1_250_000_000_000), "10 Tbps");
    }
}
