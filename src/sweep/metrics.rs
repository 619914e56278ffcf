//! The headline metrics of a run, read off its summary (the same code reads a `summary.json`
//! from disk for `compare`), and the one function that runs a scenario for a sweep.

use serde_json::Value;

use crate::report::summary::{Summary, UNFINISHED_STATES};
use crate::scenario::Scenario;

/// Metric families, in column order. Per-region families are suffixed `[region]`.
pub const FAMILIES: [&str; 17] = [
    "full_copy_share",
    "bytes_copied",
    "queue_wait_p95_s",
    "queue_wait_max_s",
    "cost_per_month_usd",
    "rejected_copies",
    "failed_copies",
    "copies_unfinished",
    "rpo_p50_s",
    "rpo_p95_s",
    "rpo_max_s",
    "rpo_above_target_share",
    "rto_ready_s",
    "rto_hydrated_s",
    "drill_data_loss_s_max",
    "drill_unrestored_volumes",
    "warnings",
];

/// A run's metrics: `(name, value)`, in column order; a metric the run has no value for is absent.
pub type Metrics = Vec<(String, f64)>;

/// Runs `scenario` and returns its summary. The one place a sweep runs a scenario: it skips the
/// per-run files (copies, backups, RPO samples) and keeps only what the summary needs.
pub fn run_one(scenario: &Scenario) -> Result<Summary, String> {
    let mut sink = crate::report::Memory::default();
    let finished =
        crate::report::run(scenario, crate::report::Detail::Summary, &mut sink).map_err(|e| e.to_string())?;
    Ok(finished.summary)
}

/// Sort key of a metric name: its family's position, then its region.
pub fn rank(name: &str) -> (usize, &str) {
    let (family, region) = match name.split_once('[') {
        Some((f, r)) => (f, r.trim_end_matches(']')),
        None => (name, ""),
    };
    (FAMILIES.iter().position(|f| *f == family).unwrap_or(FAMILIES.len()), region)
}

/// Decimal places a metric is written with.
pub fn decimals(name: &str) -> usize {
    let family = name.split('[').next().unwrap_or(name);
    if family.ends_with("_share") {
        6
    } else if family.ends_with("_s") || family.ends_with("_s_max") {
        3
    } else if family.ends_with("_usd") {
        2
    } else {
        0
    }
}

/// The values a metric can take: every metric is a count, a duration, bytes or dollars (none is
/// negative) and a share is at most 1. A 95 % interval is cut to this range.
pub fn range(name: &str) -> (f64, f64) {
    let family = name.split('[').next().unwrap_or(name);
    (0.0, if family.ends_with("_share") { 1.0 } else { f64::INFINITY })
}

/// `value` written with the metric's fixed number of decimals.
pub fn format(name: &str, value: f64) -> String {
    format!("{value:.*}", decimals(name))
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if !s.is_empty() => s.parse().ok(),
        _ => None,
    }
}

/// Milliseconds as seconds.
fn ms(v: u64) -> Option<f64> {
    Some(v as f64 / 1000.0)
}

/// A JSON count of milliseconds as seconds.
fn secs(v: &Value) -> Option<f64> {
    num(v).map(|m| m / 1000.0)
}

/// A DR region's name, RPO p50, p95 and max, and its share of time above target.
type RegionRpo<'a> = (&'a str, [Option<f64>; 3], Option<f64>);

/// The summary figures the metrics are made of, read from a [`Summary`] or from its JSON.
struct Raw<'a> {
    full: f64,
    incremental: f64,
    bytes: Option<f64>,
    /// Queue wait before starting (quota, lineage, outage), p95 and worst, s.
    wait: [Option<f64>; 2],
    cost_month: Option<f64>,
    rejected: f64,
    /// Copies that started and failed (FAULTY).
    failed: f64,
    /// Copies still queued or moving at the end (a backlog: the figures above leave them out).
    unfinished: f64,
    /// Per DR region: p50, p95, max, and the share above target when a target is set.
    rpo: Vec<RegionRpo<'a>>,
    /// Per drill: failed region, RTO ready, RTO hydrated, worst data loss, volumes of the region
    /// not restored, with or without a DR copy configured (the RTO and data loss cover restored
    /// volumes only).
    drills: Vec<(&'a str, [Option<f64>; 4])>,
    /// Warnings the run gave.
    warnings: f64,
}

fn assemble(raw: Raw<'_>) -> Metrics {
    let mut m: Metrics = Vec::new();
    let started = raw.full + raw.incremental;
    if started > 0.0 {
        m.push(("full_copy_share".into(), raw.full / started));
    }
    m.extend(raw.bytes.map(|v| ("bytes_copied".into(), v)));
    for (family, v) in ["queue_wait_p95_s", "queue_wait_max_s"].iter().zip(raw.wait) {
        m.extend(v.map(|v| (family.to_string(), v)));
    }
    m.extend(raw.cost_month.map(|v| ("cost_per_month_usd".into(), v)));
    m.push(("rejected_copies".into(), raw.rejected));
    m.push(("failed_copies".into(), raw.failed));
    m.push(("copies_unfinished".into(), raw.unfinished));
    for (region, values, above) in raw.rpo {
        for (family, v) in ["rpo_p50_s", "rpo_p95_s", "rpo_max_s"].iter().zip(values) {
            m.extend(v.map(|v| (format!("{family}[{region}]"), v)));
        }
        m.extend(above.map(|v| (format!("rpo_above_target_share[{region}]"), v)));
    }
    for (region, values) in raw.drills {
        let families = ["rto_ready_s", "rto_hydrated_s", "drill_data_loss_s_max", "drill_unrestored_volumes"];
        for (family, v) in families.iter().zip(values) {
            let (name, Some(v)) = (format!("{family}[{region}]"), v) else { continue };
            match m.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = slot.1.max(v),
                None => m.push((name, v)),
            }
        }
    }
    m.push(("warnings".into(), raw.warnings));
    m.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)));
    m
}

/// The headline metrics of a summary as JSON (a `summary.json` read back, for `compare`).
pub fn from_json(s: &Value) -> Metrics {
    let copies = &s["copies"];
    let kind = |k: &str| copies["by_kind"][k].as_u64().unwrap_or(0) as f64;
    let rpo = s["rpo"].as_array().into_iter().flatten().map(|r| {
        let above = num(&r["target_ms"]).and(num(&r["above_target_ppm"])).map(|ppm| ppm / 1e6);
        (r["region"].as_str().unwrap_or(""), [secs(&r["p50_ms"]), secs(&r["p95_ms"]), secs(&r["max_ms"])], above)
    });
    let drills = s["drills"].as_array().into_iter().flatten().map(|d| {
        let unprotected = num(&d["unprotected"]).unwrap_or(0.0);
        let unrestored = num(&d["volumes"]).zip(num(&d["restored"])).map(|(v, r)| v + unprotected - r);
        let values = [secs(&d["rto_ready_ms"]), secs(&d["rto_hydrated_ms"]), secs(&d["data_loss_ms_max"]), unrestored];
        (d["failed_region"].as_str().unwrap_or(""), values)
    });
    assemble(Raw {
        full: kind("full"),
        incremental: kind("incremental"),
        bytes: num(&copies["bytes_transferred"]),
        wait: match s["queue_wait"]["started"].as_u64() {
            Some(0) => [None, None],
            _ => [secs(&s["queue_wait"]["p95_ms"]), secs(&s["queue_wait"]["max_ms"])],
        },
        cost_month: num(&s["cost"]["monthly_run_rate_nano_usd"]).map(|n| n / 1e9),
        rejected: copies["by_state"]["REJECTED"].as_u64().unwrap_or(0) as f64,
        failed: copies["by_state"]["FAULTY"].as_u64().unwrap_or(0) as f64,
        unfinished: UNFINISHED_STATES.iter().map(|k| copies["by_state"][k].as_u64().unwrap_or(0) as f64).sum(),
        rpo: rpo.collect(),
        drills: drills.collect(),
        warnings: s["warnings"].as_array().map_or(0, Vec::len) as f64,
    })
}

/// The headline metrics of a run's summary (the same figures [`from_json`] reads from its JSON).
pub fn of(s: &Summary) -> Metrics {
    let kind = |k: &str| s.copies.by_kind.get(k).copied().unwrap_or(0) as f64;
    let rpo = s.rpo.iter().map(|r| {
        let above = r.above_target_ppm.map(|ppm| ppm as f64 / 1e6);
        (r.region.as_str(), [ms(r.p50_ms), ms(r.p95_ms), ms(r.max_ms)], above)
    });
    let drills = s.drills.iter().map(|d| {
        (
            d.failed_region.as_str(),
            [
                d.rto_ready_ms.and_then(ms),
                d.rto_hydrated_ms.and_then(ms),
                d.data_loss_ms_max.and_then(ms),
                Some((d.volumes + d.unprotected).saturating_sub(d.restored) as f64),
            ],
        )
    });
    assemble(Raw {
        full: kind("full"),
        incremental: kind("incremental"),
        bytes: Some(s.copies.bytes_transferred as f64),
        // No copy started: no wait to speak of (a 0 would read "copies started at once").
        wait: match s.queue_wait.started {
            0 => [None, None],
            _ => [ms(s.queue_wait.p95_ms), ms(s.queue_wait.max_ms)],
        },
        cost_month: s.cost.as_ref().map(|c| c.monthly_run_rate_nano_usd as f64 / 1e9),
        rejected: s.copies.by_state.get("REJECTED").copied().unwrap_or(0) as f64,
        failed: s.copies.by_state.get("FAULTY").copied().unwrap_or(0) as f64,
        unfinished: UNFINISHED_STATES.iter().map(|k| s.copies.by_state.get(*k).copied().unwrap_or(0) as f64).sum(),
        rpo: rpo.collect(),
        drills: drills.collect(),
        warnings: s.warnings.len() as f64,
    })
}

/// The metric names present in any of `runs`, in column order.
pub fn columns<'a>(runs: impl IntoIterator<Item = &'a Metrics>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for m in runs {
        for (n, _) in m {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
    }
    names.sort_by(|a, b| rank(a).cmp(&rank(b)));
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quickstart_has_every_headline_metric() {
        let s = crate::scenario::quickstart(None);
        let m = of(&run_one(&s).expect("runs"));
        let names: Vec<&str> = m.iter().map(|(n, _)| n.as_str()).collect();
        for want in [
            "full_copy_share",
            "bytes_copied",
            "queue_wait_p95_s",
            "queue_wait_max_s",
            "cost_per_month_usd",
            "rejected_copies",
            "failed_copies",
            "rpo_p95_s[us-west-2]",
            "rpo_above_target_share[us-west-2]",
            "rto_ready_s[us-east-1]",
            "drill_unrestored_volumes[us-east-1]",
            "copies_unfinished",
            "warnings",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        let share = m.iter().find(|(n, _)| n == "full_copy_share").unwrap().1;
        assert!(share > 0.0 && share < 1.0, "{share}");
    }

    #[test]
    fn a_summary_and_its_json_give_the_same_metrics() {
        for file in ["quickstart.toml", "ibm-stable-before-copy.toml", "huawei-sharing.toml"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
            let summary = run_one(&crate::scenario::load(&path, None).unwrap()).unwrap();
            let json = serde_json::to_value(&summary).unwrap();
            assert_eq!(of(&summary), from_json(&json), "{file}");
        }
    }

    #[test]
    fn a_run_where_no_copy_started_has_no_queue_wait_metric() {
        // docs/sweeps.md: "empty when a run has no value". Huawei shares are not copies the
        // summary's queue waits count, so nothing started: 0.000 would read "started at once".
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huawei-sharing.toml");
        let summary = run_one(&crate::scenario::load(&path, None).unwrap()).unwrap();
        assert_eq!(summary.queue_wait.started, 0);
        let m = of(&summary);
        assert!(!m.iter().any(|(n, _)| n.starts_with("queue_wait")), "{m:?}");
    }

    #[test]
    fn metrics_are_written_with_fixed_decimals() {
        assert_eq!(format("full_copy_share", 0.25), "0.250000");
        assert_eq!(format("rpo_p95_s[us-west-2]", 3600.0), "3600.000");
        assert_eq!(format("cost_per_month_usd", 12.5), "12.50");
        assert_eq!(format("bytes_copied", 1e12), "1000000000000");
    }
}
