//! A sweep's folder, rendered in memory from its meta and its runs alone (so a merge of shards
//! renders the very same bytes): `sweep.csv`, `points.csv`, `sweep.json`, charts, `report.html`.

use serde::Serialize;

use super::metrics::{self, format};
use super::stats::{Interval, interval};
use super::{RunRecord, SweepMeta};

/// Per point and metric: the interval over replications.
#[derive(Clone, Debug, PartialEq)]
pub struct PointStat {
    /// Point index.
    pub point: usize,
    /// Metric name.
    pub metric: String,
    /// Mean and interval.
    pub interval: Interval,
}

fn csv_bytes(header: Vec<String>, rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let _ = w.write_record(&header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// `sweep.csv`: one row per run.
pub fn sweep_csv(meta: &SweepMeta, runs: &[RunRecord], columns: &[String]) -> Vec<u8> {
    let mut header = vec!["run".to_string(), "point".to_string()];
    header.extend(meta.axes.iter().map(|a| a.name.clone()));
    header.extend(["replication".to_string(), "seed".to_string()]);
    header.extend(columns.iter().cloned());
    let rows = runs
        .iter()
        .map(|r| {
            let mut row = vec![r.index.to_string(), r.point.to_string()];
            row.extend(meta.labels(r.point));
            row.extend([r.replication.to_string(), r.seed.to_string()]);
            for c in columns {
                row.push(r.metrics.iter().find(|(n, _)| n == c).map_or(String::new(), |(n, v)| format(n, *v)));
            }
            row
        })
        .collect();
    csv_bytes(header, rows)
}

/// Intervals per point and metric, in point then column order.
pub fn point_stats(meta: &SweepMeta, runs: &[RunRecord], columns: &[String]) -> Vec<PointStat> {
    let mut out = Vec::new();
    for point in 0..meta.points {
        let of_point: Vec<&RunRecord> = runs.iter().filter(|r| r.point == point).collect();
        for c in columns {
            let values: Vec<f64> =
                of_point.iter().filter_map(|r| r.metrics.iter().find(|(n, _)| n == c).map(|m| m.1)).collect();
            if let Some(mut interval) = interval(&values) {
                // Student t knows nothing of bounds: three runs with shares 0.1, 0.5 and 0.9
                // give −0.4 to 1.5. The interval is cut to what the metric can be.
                let (floor, ceiling) = metrics::range(c);
                interval.ci95 = interval.ci95.map(|(lo, hi)| (lo.clamp(floor, ceiling), hi.clamp(floor, ceiling)));
                out.push(PointStat { point, metric: c.clone(), interval });
            }
        }
    }
    out
}

/// `points.csv`: per point and metric, n, mean, sd and the 95 % interval.
pub fn points_csv(meta: &SweepMeta, stats: &[PointStat]) -> Vec<u8> {
    let mut header = vec!["point".to_string()];
    header.extend(meta.axes.iter().map(|a| a.name.clone()));
    header.extend(["metric", "n", "mean", "sd", "ci95_low", "ci95_high"].map(str::to_string));
    let rows = stats
        .iter()
        .map(|s| {
            let m = &s.metric;
            let i = &s.interval;
            let mut row = vec![s.point.to_string()];
            row.extend(meta.labels(s.point));
            row.extend([m.clone(), i.n.to_string(), format(m, i.mean)]);
            row.push(i.sd.map_or(String::new(), |v| format(m, v)));
            row.push(i.ci95.map_or(String::new(), |v| format(m, v.0)));
            row.push(i.ci95.map_or(String::new(), |v| format(m, v.1)));
            row
        })
        .collect();
    csv_bytes(header, rows)
}

#[derive(Serialize)]
struct SweepJson<'a> {
    copysim_version: &'a str,
    #[serde(flatten)]
    meta: &'a SweepMeta,
    runs: usize,
    metrics: &'a [String],
}

/// Every file of a sweep's folder, in a fixed order.
pub fn render(meta: &SweepMeta, runs: &[RunRecord]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let columns = metrics::columns(runs.iter().map(|r| &r.metrics));
    let stats = point_stats(meta, runs, &columns);
    let info = SweepJson { copysim_version: env!("CARGO_PKG_VERSION"), meta, runs: runs.len(), metrics: &columns };
    let mut json = serde_json::to_vec_pretty(&info).map_err(|e| e.to_string())?;
    json.push(b'\n');
    let mut files = vec![
        ("sweep.json".to_string(), json),
        ("sweep.csv".to_string(), sweep_csv(meta, runs, &columns)),
        ("points.csv".to_string(), points_csv(meta, &stats)),
    ];
    let charts = super::page::charts(meta, &stats, &columns)?;
    let html = super::page::html(meta, runs.len(), &stats, &columns, &charts);
    files.extend(charts);
    files.push(("report.html".to_string(), html.into_bytes()));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_interval_stays_within_0_and_1_and_no_metric_goes_below_0() {
        // Shares 0.1, 0.5, 0.9: mean 0.5, sd 0.4, half-width 4.3027 × 0.4 / √3 = 0.9937, so
        // Student t alone says −0.49 to 1.49; a share is cut to 0–1. Counts 0, 0, 6: mean 2,
        // sd √12, half-width 8.61, cut at 0 below and left open above.
        let meta = SweepMeta {
            name: "s".into(),
            description: None,
            sha256: String::new(),
            seed: 1,
            replications: 3,
            axes: Vec::new(),
            points: 1,
        };
        let runs: Vec<RunRecord> = [(0.1, 0.0), (0.5, 0.0), (0.9, 6.0)]
            .iter()
            .enumerate()
            .map(|(i, &(share, count))| RunRecord {
                index: i,
                point: 0,
                replication: i as u32,
                seed: i as u64,
                metrics: vec![("full_copy_share".into(), share), ("rejected_copies".into(), count)],
            })
            .collect();
        let columns = ["full_copy_share".to_string(), "rejected_copies".to_string()];
        let stats = point_stats(&meta, &runs, &columns);
        assert_eq!(stats[0].interval.ci95, Some((0.0, 1.0)));
        let (lo, hi) = stats[1].interval.ci95.unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - (2.0 + 4.3027 * 12f64.sqrt() / 3f64.sqrt())).abs() < 1e-9, "{hi}");
    }
}
