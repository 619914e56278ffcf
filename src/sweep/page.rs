//! A sweep's charts (a line or bar chart per metric for one axis, a heatmap per metric for two)
//! and its self-contained `report.html`.

use super::SweepMeta;
use super::metrics::format;
use super::outputs::PointStat;
use crate::chart::heatmap::{self, Heatmap};
use crate::chart::{Figure, Series, Stroke, render};
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

/// How a metric's values are drawn on a chart axis: divided by a scale chosen from the largest
/// value so that the tick labels read in the metric's unit (TB rather than 87234234234 bytes,
/// hours rather than 31292 seconds); the unit goes in the axis label.
fn chart_unit(metric: &str, largest: f64) -> (f64, &'static str) {
    let family = metric.split('[').next().unwrap_or(metric);
    // `(from, divisor, unit)`: the first whose `from` the largest value reaches.
    let pick = |scales: &[(f64, f64, &'static str)]| {
        let (_, d, u) = scales.iter().copied().find(|&(from, ..)| largest >= from).unwrap_or(scales[scales.len() - 1]);
        (d, u)
    };
    if family.ends_with("_share") {
        (0.01, "%")
    } else if family.ends_with("_s") || family.ends_with("_s_max") {
        pick(&[
            (2.0 * 86_400.0, 86_400.0, "days"),
            (2.0 * 3_600.0, 3_600.0, "hours"),
            (120.0, 60.0, "minutes"),
            (0.0, 1.0, "seconds"),
        ])
    } else if family.ends_with("_usd") {
        (1.0, "USD")
    } else if family.starts_with("bytes") {
        pick(&[(1e12, 1e12, "TB"), (1e9, 1e9, "GB"), (1e6, 1e6, "MB"), (0.0, 1.0, "bytes")])
    } else {
        (1.0, "")
    }
}

fn one_axis(meta: &SweepMeta, stats: &[&PointStat], metric: &str) -> Figure {
    let axis = &meta.axes[0];
    let words = title(metric);
    let title = format!("{words} by {}", axis.name);
    let largest = stats
        .iter()
        .flat_map(|s| [Some(s.interval.mean), s.interval.ci95.map(|c| c.1)])
        .flatten()
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let (scale, unit) = chart_unit(metric, largest);
    let y_label = if unit.is_empty() { words.clone() } else { format!("{words} ({unit})") };
    let scaled = |v: f64| v / scale;
    match numeric(&axis.values) {
        Some((xs, x_unit)) => {
            let line = |name: &str, f: &dyn Fn(&PointStat) -> Option<f64>, dashed| Series {
                name: name.to_string(),
                points: stats.iter().filter_map(|s| Some((xs[s.point], f(s)?))).collect(),
                stroke: if dashed { Stroke::Dashed } else { Stroke::Line },
                colour: 0,
            };
            let mut series = vec![line("mean", &|s| Some(scaled(s.interval.mean)), false)];
            series[0].stroke = Stroke::LinePoints;
            if stats.iter().any(|s| s.interval.ci95.is_some()) {
                series.push(line("95% CI (low)", &|s| s.interval.ci95.map(|c| scaled(c.0)), true));
                series.push(line("95% CI (high)", &|s| s.interval.ci95.map(|c| scaled(c.1)), true));
            }
            Figure::Lines { title, x_label: format!("{}{x_unit}", axis.name), y_label, y_integer: false, series }
        }
        None => Figure::Bars {
            title,
            x_label: if unit.is_empty() { format!("{words} (mean)") } else { format!("{words} (mean, {unit})") },
            bars: stats.iter().map(|s| (meta.labels(s.point).join(", "), scaled(s.interval.mean), 0)).collect(),
            legend: Vec::new(),
            log_scale: false,
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
        title: format!("{} (mean)", title(metric)),
        x_label: cols.name.clone(),
        y_label: rows.name.clone(),
        x_values: cols.values.clone(),
        y_values: rows.values.clone(),
        labels: cells
            .iter()
            .map(|row| row.iter().map(|c| c.map(|v| human(metric, v)).unwrap_or_default()).collect())
            .collect(),
        cells,
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

/// A metric in human units, by its name's unit suffix.
fn human(metric: &str, v: f64) -> String {
    let family = metric.split('[').next().unwrap_or(metric);
    if family.ends_with("_share") {
        crate::report::human::percent(v)
    } else if family.ends_with("_s") || family.ends_with("_s_max") {
        crate::report::human::duration_s(v)
    } else if family.ends_with("_usd") {
        crate::report::human::usd(v)
    } else if family.starts_with("bytes") {
        crate::report::human::bytes(v.max(0.0).round() as u64)
    } else {
        crate::report::human::count(v.max(0.0).round() as u64)
    }
}

/// `rpo_p95_s[us-west-2]` → `RPO p95 in us-west-2`.
fn title(metric: &str) -> String {
    let (family, region) = match metric.split_once('[') {
        Some((f, r)) => (f, Some(r.trim_end_matches(']'))),
        None => (metric, None),
    };
    let words = match family {
        "full_copy_share" => "Full-copy share",
        "bytes_copied" => "Bytes copied",
        "queue_wait_p95_s" => "Queue wait p95",
        "queue_wait_max_s" => "Worst queue wait",
        "cost_per_month_usd" => "Cost per month",
        "rejected_copies" => "Refused copies",
        "failed_copies" => "Failed copies",
        "rpo_p50_s" => "RPO median",
        "rpo_p95_s" => "RPO p95",
        "rpo_max_s" => "RPO worst",
        "rpo_above_target_share" => "Time above the RPO target",
        "rto_ready_s" => "RTO (ready)",
        "rto_hydrated_s" => "RTO (hydrated)",
        "drill_data_loss_s_max" => "Data loss in the drill (worst)",
        "drill_unrestored_volumes" => "Volumes the drill could not restore",
        "copies_unfinished" => "Copies still queued or moving at the end",
        "warnings" => "Warnings",
        other => other,
    };
    match region {
        Some(r) => format!("{words} in {r}"),
        None => words.to_string(),
    }
}

#[derive(serde::Serialize)]
struct Row {
    labels: Vec<String>,
    n: usize,
    mean: String,
    exact: String,
    ci: String,
    /// What the point's figures leave out (its runs' warnings, copies still waiting at the
    /// end): empty when nothing.
    flag: String,
}

#[derive(serde::Serialize)]
struct MetricTable {
    title: String,
    rows: Vec<Row>,
}

#[derive(serde::Serialize)]
struct Chart {
    name: String,
    caption: String,
    svg: minijinja::Value,
}

#[derive(serde::Serialize)]
struct AxisView {
    path: String,
    values: String,
}

#[derive(serde::Serialize)]
struct Page {
    name: String,
    description: Option<String>,
    version: &'static str,
    points: usize,
    replications: u32,
    runs: usize,
    seed: u64,
    sha256: String,
    axes: Vec<AxisView>,
    axis_names: Vec<String>,
    headline: Vec<MetricTable>,
    /// Some point of the headline has a `flag`.
    flagged: bool,
    charts: Vec<Chart>,
    tables: Vec<MetricTable>,
}

fn metric_table(meta: &SweepMeta, stats: &[PointStat], metric: &str) -> MetricTable {
    let rows = of_metric(stats, metric)
        .into_iter()
        .map(|s| Row {
            labels: meta.labels(s.point),
            n: s.interval.n,
            mean: human(metric, s.interval.mean),
            exact: format(metric, s.interval.mean),
            ci: s
                .interval
                .ci95
                .map_or("—".to_string(), |(lo, hi)| format!("{} – {}", human(metric, lo), human(metric, hi))),
            flag: read_first(stats, s.point),
        })
        .collect();
    MetricTable { title: title(metric), rows }
}

/// What point `point`'s figures leave out, per run on average: the warnings its runs gave and
/// the copies still queued or moving at their end. A point whose copies pile up behind a slow
/// link reads a cheaper month (copies not made cost nothing) and a backlog its RPO figures only
/// begin to show: the answers say so beside its figures, not only in the tables further down.
fn read_first(stats: &[PointStat], point: usize) -> String {
    let mean =
        |metric: &str| stats.iter().find(|s| s.point == point && s.metric == metric).map_or(0.0, |s| s.interval.mean);
    // A mean of a count, never read as 0 when a run had one: 0.3 warnings a run, not 0.
    let amount = |v: f64| {
        if (v - v.round()).abs() < 1e-9 {
            crate::report::human::count(v.round() as u64)
        } else {
            format!("{:.1}", (v * 10.0).ceil() / 10.0)
        }
    };
    let mut parts = Vec::new();
    let warnings = mean("warnings");
    if warnings > 0.0 {
        parts.push(format!("{} {} a run", amount(warnings), if warnings == 1.0 { "warning" } else { "warnings" }));
    }
    let unfinished = mean("copies_unfinished");
    if warnings > 0.0 && unfinished > 0.0 {
        parts.push(format!("{} copies still waiting or moving at the end", amount(unfinished)));
    }
    parts.join(", ")
}

/// The headline metrics, in this order, where the sweep has them.
const HEADLINE: [&str; 5] =
    ["rpo_p95_s", "cost_per_month_usd", "full_copy_share", "queue_wait_p95_s", "rto_hydrated_s"];

/// The sweep's page: the answers (headline metrics per point, in human units with intervals),
/// the charts inline, then every metric's table. Rendered by minijinja, which escapes every value.
pub fn html(
    meta: &SweepMeta,
    runs: usize,
    stats: &[PointStat],
    columns: &[String],
    charts: &[(String, Vec<u8>)],
) -> String {
    let family = |c: &String| c.split('[').next().unwrap_or(c).to_string();
    let headline = HEADLINE
        .iter()
        .flat_map(|h| columns.iter().filter(move |c| family(c) == *h))
        .map(|c| metric_table(meta, stats, c))
        .collect();
    let svgs = charts
        .iter()
        .filter_map(|(file, bytes)| {
            let name = file.strip_suffix(".svg")?;
            let svg = String::from_utf8_lossy(bytes);
            let svg = svg[svg.find("<svg")?..].to_string();
            let metric = columns.iter().find(|c| stem(c) == name)?;
            let svg = if svg[..svg.find('>')?].contains("viewBox") {
                svg
            } else {
                let (w, h) = render::SIZE;
                svg.replacen("<svg", &format!("<svg viewBox=\"0 0 {w} {h}\" role=\"img\""), 1)
            };
            Some(Chart { name: name.to_string(), caption: title(metric), svg: minijinja::Value::from_safe_string(svg) })
        })
        .collect();
    let flagged = stats.iter().any(|st| !read_first(stats, st.point).is_empty());
    let page = Page {
        name: meta.name.clone(),
        description: meta.description.clone(),
        version: env!("CARGO_PKG_VERSION"),
        points: meta.points,
        replications: meta.replications,
        runs,
        seed: meta.seed,
        sha256: meta.sha256.clone(),
        axes: meta.axes.iter().map(|a| AxisView { path: a.paths.join(", "), values: a.values.join(", ") }).collect(),
        axis_names: meta.axes.iter().map(|a| a.name.clone()).collect(),
        headline,
        flagged,
        charts: svgs,
        tables: columns.iter().map(|c| metric_table(meta, stats, c)).collect(),
    };
    let mut env = minijinja::Environment::new();
    let rendered = env
        .add_template("sweep.html", include_str!("sweep.html.j2"))
        .and_then(|()| env.get_template("sweep.html"))
        .and_then(|tpl| tpl.render(minijinja::value::Serde(&page)));
    match rendered {
        Ok(html) => html + "\n",
        Err(e) => format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>copysim</title></head><body><p>the sweep page could not be rendered: {}</p></body></html>\n",
            e.to_string().replace('<', "&lt;")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_axes_read_in_the_metric_unit() {
        assert_eq!(chart_unit("bytes_copied", 8.7e13), (1e12, "TB"));
        assert_eq!(chart_unit("bytes_copied", 5e9), (1e9, "GB"));
        assert_eq!(chart_unit("rpo_p95_s[us-west-2]", 31_292.0), (3_600.0, "hours"));
        assert_eq!(chart_unit("queue_wait_max_s", 90.0), (1.0, "seconds"));
        assert_eq!(chart_unit("full_copy_share", 0.02), (0.01, "%"));
        assert_eq!(chart_unit("rejected_copies", 12.0), (1.0, ""));
    }

    #[test]
    fn heatmap_cells_are_written_in_human_units() {
        assert_eq!(human("bytes_copied", 87_200_000_000_000.0), crate::report::human::bytes(87_200_000_000_000));
        assert!(!human("bytes_copied", 87_200_000_000_000.0).contains("87200000000000"));
    }
}
