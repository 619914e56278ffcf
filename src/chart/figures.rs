//! The five charts, as [`Figure`]s computed from report rows.

use std::collections::BTreeMap;

use super::inputs::{Inputs, Row};
use super::{Figure, Series};

fn ms(ts: &str) -> Option<i64> {
    ts.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond())
}

fn hours(ts: &str, origin: i64) -> Option<f64> {
    ms(ts).map(|t| (t - origin) as f64 / 3_600_000.0)
}

fn secs(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

/// A step function from `(x, +1/−1)` edges.
fn steps(mut edges: Vec<(f64, i64)>, end: f64) -> Vec<(f64, f64)> {
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut pts = vec![(0.0, 0.0)];
    let mut cur = 0i64;
    for (x, d) in edges {
        pts.push((x, cur as f64));
        cur += d;
        pts.push((x, cur as f64));
    }
    pts.push((end, cur as f64));
    pts
}

/// The peak of a step function over `buckets` equal slices of `[0, end]`, as a step line:
/// readable where thousands of short copies would otherwise draw as noise.
fn peaks(points: &[(f64, f64)], end: f64, buckets: usize) -> Vec<(f64, f64)> {
    let width = end.max(1e-9) / buckets as f64;
    let mut peak = vec![0.0f64; buckets];
    let mut level = 0.0;
    for w in points.windows(2) {
        let (x0, y0) = w[0];
        let (x1, _) = w[1];
        level = y0;
        let first = ((x0 / width).floor() as usize).min(buckets - 1);
        let last = ((x1 / width).floor() as usize).min(buckets - 1);
        for b in peak.iter_mut().take(last + 1).skip(first) {
            *b = b.max(y0);
        }
    }
    if let Some(&(x, y)) = points.last() {
        let b = ((x / width).floor() as usize).min(buckets - 1);
        peak[b] = peak[b].max(y.max(level));
    }
    let mut out = Vec::with_capacity(buckets * 2);
    for (i, p) in peak.iter().enumerate() {
        out.push((i as f64 * width, *p));
        out.push(((i + 1) as f64 * width, *p));
    }
    out
}

/// Every chart, named.
pub fn all(i: &Inputs) -> Vec<(&'static str, Figure)> {
    vec![
        ("copies-in-flight", copies_in_flight(i)),
        ("rpo", rpo(i)),
        ("cost", cost(i)),
        ("copy-reasons", copy_reasons(i)),
        ("restore", restore(i)),
    ]
}

fn span(i: &Inputs) -> (i64, f64) {
    let start = i.summary["start"].as_str().and_then(ms).unwrap_or(0);
    let end = i.summary["end"].as_str().and_then(ms).unwrap_or(start);
    (start, (end - start) as f64 / 3_600_000.0)
}

/// Does copy row `c` count against quota `scope` (`provider:account/source=region` or `/dest=region`)?
fn in_scope(c: &Row, scope: &str) -> bool {
    let Some((provider, rest)) = scope.split_once(':') else { return false };
    let Some((account, side)) = rest.rsplit_once('/') else { return false };
    let Some((side, region)) = side.split_once('=') else { return false };
    let column = if side == "source" { "source_region" } else { "dest_region" };
    c["provider"] == provider && c["account"] == account && c[column] == region
}

fn copies_in_flight(i: &Inputs) -> Figure {
    let (start, end) = span(i);
    let mut quotas: Vec<(String, f64, u64)> = i.summary["quotas"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|q| {
                    (
                        q["scope"].as_str().unwrap_or("").to_string(),
                        q["limit"].as_f64().unwrap_or(0.0),
                        q["in_flight_peak"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    quotas.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    quotas.truncate(3);
    let started: Vec<&Row> = i.copies.iter().filter(|c| !c["started_at"].is_empty() && c["kind"] != "share").collect();
    let edges = |filter: &dyn Fn(&Row) -> bool| -> Vec<(f64, i64)> {
        let mut e = Vec::new();
        for c in started.iter().filter(|c| filter(c)) {
            if let Some(s) = hours(&c["started_at"], start) {
                e.push((s, 1));
                e.push((hours(&c["finished_at"], start).unwrap_or(end), -1));
            }
        }
        e
    };
    let mut series = Vec::new();
    const BUCKETS: usize = 400;
    if quotas.is_empty() {
        series.push(Series {
            name: "all copies (peak)".into(),
            points: peaks(&steps(edges(&|_| true), end), end, BUCKETS),
            dashed: false,
            colour: 0,
        });
    }
    for (k, (scope, limit, _)) in quotas.iter().enumerate() {
        let points = peaks(&steps(edges(&|c| in_scope(c, scope)), end), end, BUCKETS);
        series.push(Series { name: format!("{scope} (peak)"), points, dashed: false, colour: k });
        series.push(Series {
            name: format!("limit {limit}"),
            points: vec![(0.0, *limit), (end, *limit)],
            dashed: true,
            colour: 3 + k,
        });
    }
    Figure::Lines {
        title: "Copies in flight against the quota".into(),
        x_label: "hours since start".into(),
        y_label: "copies".into(),
        series,
    }
}

fn rpo(i: &Inputs) -> Figure {
    let (start, end) = span(i);
    let mut by: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for r in &i.rpo {
        if let (Some(t), Some(v)) = (ms(&r["at"]), secs(&r["rpo_s"])) {
            by.entry(t).or_default().push(v / 3600.0);
        }
    }
    let (mut median, mut worst) = (Vec::new(), Vec::new());
    for (t, mut v) in by {
        v.sort_by(f64::total_cmp);
        let x = (t - start) as f64 / 3_600_000.0;
        median.push((x, v[(v.len() - 1) / 2]));
        worst.push((x, *v.last().expect("non-empty")));
    }
    let mut series = vec![
        Series { name: "median across the fleet".into(), points: median, dashed: false, colour: 0 },
        Series { name: "worst volume".into(), points: worst, dashed: false, colour: 3 },
    ];
    if let Some(target) = i.summary["rpo"].get(0).and_then(|r| r["target_s"].as_str()).and_then(secs) {
        series.push(Series {
            name: "target".into(),
            points: vec![(0.0, target / 3600.0), (end, target / 3600.0)],
            dashed: true,
            colour: 2,
        });
    }
    Figure::Lines {
        title: "RPO over time".into(),
        x_label: "hours since start".into(),
        y_label: "RPO (hours)".into(),
        series,
    }
}

fn cost(i: &Inputs) -> Figure {
    let mut per: BTreeMap<String, BTreeMap<u64, f64>> = BTreeMap::new();
    for r in &i.cost {
        if let (Ok(day), Some(usd)) = (r["day"].parse::<u64>(), secs(&r["cost_usd"])) {
            *per.entry(r["category"].clone()).or_default().entry(day).or_default() += usd;
        }
    }
    let series = per
        .into_iter()
        .enumerate()
        .map(|(k, (cat, days))| {
            let mut total = 0.0;
            let mut pts = vec![(0.0, 0.0)];
            for (d, v) in days {
                total += v;
                pts.push(((d + 1) as f64, total));
            }
            Series { name: cat, points: pts, dashed: false, colour: k }
        })
        .collect();
    Figure::Lines {
        title: "Cumulative cost by category".into(),
        x_label: "days since start".into(),
        y_label: "USD".into(),
        series,
    }
}

fn copy_reasons(i: &Inputs) -> Figure {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for c in i.copies.iter().filter(|c| !c["started_at"].is_empty()) {
        *counts.entry((c["kind"].clone(), c["reason"].clone())).or_default() += 1;
    }
    let mut bars: Vec<(String, f64, usize)> = counts
        .into_iter()
        .map(|((kind, reason), n)| {
            let colour = match kind.as_str() {
                "full" => 3,
                "incremental" => 0,
                _ => 2,
            };
            (format!("{reason} ({kind})"), n as f64, colour)
        })
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Figure::Bars {
        title: "Full versus incremental copies, by reason".into(),
        x_label: "copies".into(),
        bars,
        legend: vec![(3, "full".into()), (0, "incremental".into()), (2, "share".into())],
    }
}

fn restore(i: &Inputs) -> Figure {
    let first = i.restore.first().map(|r| r["drill"].clone());
    let rows: Vec<&Row> = i.restore.iter().filter(|r| Some(&r["drill"]) == first.as_ref()).collect();
    let origin = rows.first().and_then(|r| ms(&r["outage_at"])).unwrap_or(0);
    let end = rows.iter().filter_map(|r| hours(&r["hydrated_at"], origin)).fold(1.0f64, f64::max);
    let curve = |col: &str| {
        let xs: Vec<f64> = rows.iter().filter_map(|r| hours(&r[col], origin)).collect();
        steps(xs.into_iter().map(|x| (x, 1)).collect(), end)
    };
    let title = match rows.first() {
        Some(r) => format!("Restore after {} went out", r["failed_region"]),
        None => "Restore progress (no outage in this run)".to_string(),
    };
    Figure::Lines {
        title,
        x_label: "hours since the outage".into(),
        y_label: "volumes".into(),
        series: vec![
            Series { name: "ready".into(), points: curve("ready_at"), dashed: false, colour: 0 },
            Series { name: "fully hydrated".into(), points: curve("hydrated_at"), dashed: false, colour: 1 },
        ],
    }
}
