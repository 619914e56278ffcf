//! The headline metrics of a run, read off its summary (the same code reads a `summary.json`
//! from disk for `compare`), and the one function that runs a scenario for a sweep.

use serde_json::Value;

use crate::report::summary::Summary;
use crate::scenario::Scenario;

/// Metric families, in column order. Per-region families are suffixed `[region]`.
pub const FAMILIES: [&str; 12] = [
    "full_copy_share",
    "bytes_copied",
    "quota_wait_p95_s",
    "cost_per_month_usd",
    "rejected_copies",
    "rpo_p50_s",
    "rpo_p95_s",
    "rpo_max_s",
    "rpo_above_target_share",
    "rto_ready_s",
    "rto_hydrated_s",
    "drill_data_loss_s_max",
];

/// A run's metrics: `(name, value)`, in column order; a metric the run has no value for is absent.
pub type Metrics = Vec<(String, f64)>;

/// Runs `scenario` and returns its summary. The one place a sweep runs a scenario: it skips the
/// per-run files (copies, backups, RPO samples) and keeps only what the summary needs.
pub fn run_one(scenario: &Scenario) -> Result<Summary, String> {
    let out = crate::engine::run(scenario).map_err(|e| e.to_string())?;
    let mut violations = crate::report::invariants::check(&out.world);
    violations.extend(crate::report::invariants::check_plans(scenario, &out.world));
    let analysis = crate::report::analyse(scenario, &out);
    Ok(crate::report::summary::build(scenario, &out, &analysis, violations))
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

/// The headline metrics of a summary (as JSON, so `summary.json` files read the same way).
pub fn from_json(s: &Value) -> Metrics {
    let mut m: Metrics = Vec::new();
    let copies = &s["copies"];
    let kind = |k: &str| copies["by_kind"][k].as_u64().unwrap_or(0) as f64;
    let started = kind("full") + kind("incremental");
    if started > 0.0 {
        m.push(("full_copy_share".into(), kind("full") / started));
    }
    m.extend(num(&copies["bytes_transferred"]).map(|v| ("bytes_copied".into(), v)));
    m.extend(num(&s["queue_wait"]["p95_s"]).map(|v| ("quota_wait_p95_s".into(), v)));
    m.extend(num(&s["cost"]["monthly_run_rate_usd"]).map(|v| ("cost_per_month_usd".into(), v)));
    m.push(("rejected_copies".into(), copies["by_state"]["REJECTED"].as_u64().unwrap_or(0) as f64));
    for r in s["rpo"].as_array().into_iter().flatten() {
        let region = r["region"].as_str().unwrap_or("");
        for (family, key) in [("rpo_p50_s", "p50_s"), ("rpo_p95_s", "p95_s"), ("rpo_max_s", "max_s")] {
            m.extend(num(&r[key]).map(|v| (format!("{family}[{region}]"), v)));
        }
        if num(&r["target_s"]).is_some() {
            let share = num(&r["above_target_ppm"]).map(|ppm| ppm / 1e6);
            m.extend(share.map(|v| (format!("rpo_above_target_share[{region}]"), v)));
        }
    }
    for d in s["drills"].as_array().into_iter().flatten() {
        let region = d["failed_region"].as_str().unwrap_or("");
        for (family, key) in [
            ("rto_ready_s", "rto_ready_s"),
            ("rto_hydrated_s", "rto_hydrated_s"),
            ("drill_data_loss_s_max", "data_loss_s_max"),
        ] {
            let name = format!("{family}[{region}]");
            if let Some(v) = num(&d[key]) {
                match m.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = slot.1.max(v),
                    None => m.push((name, v)),
                }
            }
        }
    }
    m.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)));
    m
}

/// The headline metrics of a run's summary (only the parts [`from_json`] reads are converted).
pub fn of(summary: &Summary) -> Metrics {
    let part = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    let mut doc = serde_json::Map::new();
    doc.insert("copies".into(), part(serde_json::to_value(&summary.copies)));
    doc.insert("queue_wait".into(), part(serde_json::to_value(&summary.queue_wait)));
    doc.insert("cost".into(), part(serde_json::to_value(&summary.cost)));
    doc.insert("rpo".into(), part(serde_json::to_value(&summary.rpo)));
    doc.insert("drills".into(), part(serde_json::to_value(&summary.drills)));
    from_json(&Value::Object(doc))
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
            "quota_wait_p95_s",
            "cost_per_month_usd",
            "rejected_copies",
            "rpo_p95_s[us-west-2]",
            "rpo_above_target_share[us-west-2]",
            "rto_ready_s[us-east-1]",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        let share = m.iter().find(|(n, _)| n == "full_copy_share").unwrap().1;
        assert!(share > 0.0 && share < 1.0, "{share}");
    }

    #[test]
    fn metrics_are_written_with_fixed_decimals() {
        assert_eq!(format("full_copy_share", 0.25), "0.250000");
        assert_eq!(format("rpo_p95_s[us-west-2]", 3600.0), "3600.000");
        assert_eq!(format("cost_per_month_usd", 12.5), "12.50");
        assert_eq!(format("bytes_copied", 1e12), "1000000000000");
    }
}
