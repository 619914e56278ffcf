//! A sweep's charts (a line or bar chart per metric for one axis, a heatmap per metric for two)
//! and its self-contained `report.html`.

use std::fmt::Write as _;

use base64::Engine as _;

use super::SweepMeta;
use super::metrics::{decimals, format};
use super::outputs::PointStat;
use crate::chart::heatmap::{self, Heatmap};
use crate::chart::{Figure, Series, render};
use crate::scenario::units::{parse_duration_ms, parse_rate_bytes_per_s, parse_size};

/// A chart's file stem for `metric`: `chart-rpo_p95_s-us-west-2`.
pub fn stem(metric: &str) -> String {
    let clean: String = metric
        .chars()
        .filter(|c| *c != ']')
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '-' })
        .collect();
    format!("chart-{clean}")
}

/// The axis values as numbers with their unit, when they all read as one kind of quantity.
fn numeric(values: &[String]) -> Option<(Vec<f64>, &'static str)> {
    type Reader = fn(&str) -> Option<f64>;
    let kinds: [(Reader, &str); 4] = [
        (|s| s.parse::<f64>().ok().filter(|v| v.is_finite()), ""),
        (|s| parse_duration_ms(s).ok().map(|ms| ms as f64 / 3_600_000.0), " (hours)"),
        (|s| parse_size(s).ok().map(|b| b as f64 / 1e9), " (GB)"),
        (|s| parse_rate_bytes_per_s(s).ok().map(|b| b as f64 / 1e6), " (MB/s)"),
    ];
    kinds
        .iter()
        .find_map(|(read, unit)| values.iter().map(|v| read(v)).collect::<Option<Vec<f64>>>().map(|x| (x, *unit)))
}

fn of_metric<'a>(stats: &'a [PointStat], metric: &str) -> Vec<&'a PointStat> {
    stats.iter().filter(|s| s.metric == metric).collect()
}

fn one_axis(meta: &SweepMeta, stats: &[&PointStat], metric: &str) -> Figure {
    let axis = &meta.axes[0];
    let title = format!("{metric} by {}", axis.path);
    match numeric(&axis.values) {
        Some((xs, unit)) => {
            let line = |name: &str, f: &dyn Fn(&PointStat) -> Option<f64>, dashed| Series {
                name: name.to_string(),
                points: stats.iter().filter_map(|s| Some((xs[s.point], f(s)?))).collect(),
                dashed,
                colour: 0,
            };
            let mut series = vec![line("mean", &|s| Some(s.interval.mean), false)];
            if stats.iter().any(|s| s.interval.ci95.is_some()) {
                series.push(line("95% CI (low)", &|s| s.interval.ci95.map(|c| c.0), true));
                series.push(line("95% CI (high)", &|s| s.interval.ci95.map(|c| c.1), true));
            }
            Figure::Lines { title, x_label: format!("{}{unit}", axis.path), y_label: metric.to_string(), series }
        }
        None => Figure::Bars {
            title,
            x_label: format!("{metric} (mean)"),
            bars: stats.iter().map(|s| (meta.labels(s.point).join(", "), s.interval.mean, 0)).collect(),
            legend: Vec::new(),
        },
    }
}

fn two_axes(meta: &SweepMeta, stats: &[&PointStat], metric: &str) -> Heatmap {
    let (rows, cols) = (&meta.axes[0], &meta.axes[1]);
    let mut cells = vec![vec![None; cols.values.len()]; rows.values.len()];
    for s in stats {
        let (r, c) = (s.point / cols.values.len(), s.point % cols.values.len());
        if let Some(cell) = cells.get_mut(r).and_then(|row| row.get_mut(c)) {
            *cell = Some(s.interval.mean);
        }
    }
    Heatmap {
        title: format!("{metric} (mean)"),
        x_label: cols.path.clone(),
        y_label: rows.path.clone(),
        x_values: cols.values.clone(),
        y_values: rows.values.clone(),
        cells,
        decimals: decimals(metric).min(3),
    }
}

/// PNG and SVG of every metric's chart (drawn in parallel, kept in column order); none for
/// sweeps of zero or more than two axes.
pub fn charts(meta: &SweepMeta, stats: &[PointStat], columns: &[String]) -> Result<Vec<(String, Vec<u8>)>, String> {
    use rayon::prelude::*;
    type Files = Vec<(String, Vec<u8>)>;
    let drawn: Vec<Result<Files, String>> = columns
        .par_iter()
        .map(|metric| {
            let of = of_metric(stats, metric);
            let (png, svg) = match meta.axes.len() {
                1 => {
                    let f = one_axis(meta, &of, metric);
                    (render::png(&f)?, render::svg(&f)?)
                }
                2 => {
                    let h = two_axes(meta, &of, metric);
                    (heatmap::png(&h)?, heatmap::svg(&h)?)
                }
                _ => return Ok(Vec::new()),
            };
            let stem = stem(metric);
            Ok(vec![(format!("{stem}.png"), png), (format!("{stem}.svg"), svg.into_bytes())])
        })
        .collect();
    let mut out = Vec::new();
    for files in drawn {
        out.extend(files?);
    }
    Ok(out)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The sweep's page: what was swept, and per metric a table of means with intervals and its chart.
pub fn html(
    meta: &SweepMeta,
    runs: usize,
    stats: &[PointStat],
    columns: &[String],
    charts: &[(String, Vec<u8>)],
) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>copysim sweep {}</title>\n<style>\
         body{{font-family:sans-serif;margin:2em;max-width:1000px}}table{{border-collapse:collapse;margin:.5em 0 1em}}\
         td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}}th{{background:#f4f4f4}}img{{max-width:100%}}\
         </style></head><body>\n<h1>Sweep {}</h1>\n",
        esc(&meta.name),
        esc(&meta.name)
    );
    if let Some(d) = &meta.description {
        let _ = writeln!(o, "<p>{}</p>", esc(d));
    }
    let _ = writeln!(
        o,
        "<p>{} points × {} replications = {runs} runs; sweep seed {}; 95 % intervals use Student's t.</p>",
        meta.points, meta.replications, meta.seed
    );
    o.push_str("<table><tr><th>axis</th><th>values</th></tr>\n");
    for a in &meta.axes {
        let _ = writeln!(o, "<tr><td>{}</td><td>{}</td></tr>", esc(&a.path), esc(&a.values.join(", ")));
    }
    o.push_str("</table>\n");
    for metric in columns {
        let _ = writeln!(o, "<h2>{}</h2>\n<table><tr>", esc(metric));
        for a in &meta.axes {
            let _ = write!(o, "<th>{}</th>", esc(&a.path));
        }
        o.push_str("<th>n</th><th>mean</th><th>95% CI low</th><th>95% CI high</th></tr>\n");
        for s in of_metric(stats, metric) {
            o.push_str("<tr>");
            for l in meta.labels(s.point) {
                let _ = write!(o, "<td>{}</td>", esc(&l));
            }
            let ci = |f: fn((f64, f64)) -> f64| s.interval.ci95.map_or(String::new(), |c| format(metric, f(c)));
            let _ = writeln!(
                o,
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                s.interval.n,
                format(metric, s.interval.mean),
                ci(|c| c.0),
                ci(|c| c.1)
            );
        }
        o.push_str("</table>\n");
        let png = format!("{}.png", stem(metric));
        if let Some((_, bytes)) = charts.iter().find(|(n, _)| *n == png) {
            let data = base64::engine::general_purpose::STANDARD.encode(bytes);
            let _ = writeln!(o, "<img alt=\"{}\" src=\"data:image/png;base64,{data}\">", esc(metric));
        }
    }
    o.push_str("</body></html>\n");
    o
}
