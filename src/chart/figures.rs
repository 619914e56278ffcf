//! The five charts, as [`Figure`]s computed from report rows.

use std::collections::BTreeMap;

use super::inputs::{CopyRow, Inputs, Row};
use super::{Figure, Series, Stroke};

fn ms(ts: &str) -> Option<i64> {
    ts.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond())
}

fn hours(ts: &str, origin: i64) -> Option<f64> {
    ms(ts).map(|t| (t - origin) as f64 / 3_600_000.0)
}

const MS_PER_DAY: i64 = 86_400_000;

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

/// A bucket width for `end` hours: the smallest "nice" width giving at most 200 buckets, so a
/// year of hourly bursts reads as a trend instead of a barcode.
fn bucket_hours(end: f64) -> f64 {
    const NICE: [f64; 13] = [1.0 / 60.0, 5.0 / 60.0, 0.25, 0.5, 1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 48.0, 168.0, 720.0];
    NICE.into_iter().find(|w| end / w <= 200.0).unwrap_or(720.0)
}

/// A step line's points.
type Steps = Vec<(f64, f64)>;

/// A bucket of `width` hours in words: `30 min`, `6 h`, `1 d`, `7 d`, `30 d`.
fn bucket_words(width: f64) -> String {
    if width >= 24.0 {
        format!("{:.0} d", width / 24.0)
    } else if width >= 1.0 {
        format!("{width:.0} h")
    } else {
        format!("{:.0} min", width * 60.0)
    }
}

/// The peak and the time-weighted mean of a step function over buckets of `width` in `[0, end]`,
/// each as a step line.
fn envelope(points: &[(f64, f64)], end: f64, width: f64) -> (Steps, Steps) {
    let buckets = ((end / width).ceil() as usize).max(1);
    let (mut peak, mut area) = (vec![0.0f64; buckets], vec![0.0f64; buckets]);
    for w in points.windows(2) {
        let ((x0, y), (x1, _)) = (w[0], w[1]);
        let first = ((x0 / width).floor() as usize).min(buckets - 1);
        let last = ((x1 / width).floor() as usize).min(buckets - 1);
        for b in first..=last {
            let (lo, hi) = (b as f64 * width, (b + 1) as f64 * width);
            let overlap = x1.min(hi) - x0.max(lo);
            if overlap > 0.0 || (x0 == x1 && b == first) {
                peak[b] = peak[b].max(y);
                area[b] += y * overlap.max(0.0);
            }
        }
    }
    let mean =
        area.iter().enumerate().map(|(i, a)| a / (((i + 1) as f64 * width).min(end) - i as f64 * width).max(1e-9));
    (bucket_steps(peak.into_iter().map(Some), end, width), bucket_steps(mean.map(Some), end, width))
}

/// One value per bucket of `width` in `[0, end]` as a step line; a bucket without one is skipped.
fn bucket_steps(values: impl Iterator<Item = Option<f64>>, end: f64, width: f64) -> Steps {
    let mut out = Vec::new();
    for (i, v) in values.enumerate() {
        if let Some(v) = v {
            out.push((i as f64 * width, v));
            out.push((((i + 1) as f64 * width).min(end), v));
        }
    }
    out
}

/// The x axis unit and label: hours for up to two weeks, days beyond, counted from the start of
/// what is drawn (the run, or the measurement window).
fn time_axis(end_hours: f64, frame: &Frame) -> (f64, &'static str) {
    match (end_hours > 24.0 * 14.0, frame.windowed) {
        (true, false) => (24.0, "days since start"),
        (false, false) => (1.0, "hours since start"),
        (true, true) => (24.0, "days since the window opened"),
        (false, true) => (1.0, "hours since the window opened"),
    }
}

fn rescale(points: Vec<(f64, f64)>, div: f64) -> Vec<(f64, f64)> {
    points.into_iter().map(|(x, y)| (x / div, y)).collect()
}

/// Samples `(hours, value)` per bucket of `width` hours in `[0, end]`: the peak of `peaks` and the
/// mean of `means` in each bucket that holds a sample, as step lines.
fn sample_buckets(peaks: &[(f64, f64)], means: &[(f64, f64)], end: f64, width: f64) -> (Steps, Steps) {
    let buckets = ((end / width).ceil() as usize).max(1);
    let at = |x: f64| ((x / width).floor().max(0.0) as usize).min(buckets - 1);
    let mut peak: Vec<Option<f64>> = vec![None; buckets];
    for &(x, v) in peaks {
        let p = &mut peak[at(x)];
        *p = Some(p.map_or(v, |q: f64| q.max(v)));
    }
    let mut sum = vec![(0.0f64, 0u32); buckets];
    for &(x, v) in means {
        let s = &mut sum[at(x)];
        (s.0, s.1) = (s.0 + v, s.1 + 1);
    }
    let mean = sum.into_iter().map(|(s, n)| (n > 0).then(|| s / f64::from(n)));
    (bucket_steps(peak.into_iter(), end, width), bucket_steps(mean, end, width))
}

/// `aws_ebs:prod/dest=us-west-2` → `prod into us-west-2`.
fn scope_label(scope: &str) -> String {
    let Some((_, rest)) = scope.split_once(':') else { return scope.to_string() };
    let Some((account, side)) = rest.rsplit_once('/') else { return scope.to_string() };
    match side.split_once('=') {
        Some(("dest", region)) => format!("{account} into {region}"),
        Some(("source", region)) => format!("{account} from {region}"),
        _ => scope.to_string(),
    }
}

/// Every chart, named.
pub fn all(i: &Inputs) -> Vec<(&'static str, Figure)> {
    let mut figures = vec![("copies-in-flight", copies_in_flight(i)), ("rpo", rpo(i))];
    if !i.cost.is_empty() {
        figures.push(("cost", cost(i)));
    }
    figures.push(("copy-reasons", copy_reasons(i)));
    if !i.restore.is_empty() {
        figures.push(("restore", restore(i)));
    }
    figures
}

/// Where a chart came from, for the line under it (a PNG or SVG may travel alone): the
/// scenario, seed and copysim version, and — with a measurement window — the window the charts
/// and the summary cover (drills, and so the restore chart, are not windowed).
pub fn provenance(i: &Inputs) -> String {
    let s = &i.summary;
    let text = crate::report::human::text;
    let mut line =
        format!("{} · seed {} · copysim {}", text(&s["scenario"]), text(&s["seed"]), text(&s["copysim_version"]));
    if let Some(w) = s["window"].as_object() {
        // To the minute: `2026-07-03T04:00:00.000Z` reads `2026-07-03 04:00`.
        let minute = |v: &serde_json::Value| text(v).get(..16).map_or_else(|| text(v), |t| t.replace('T', " "));
        line.push_str(&format!(
            " · window {} to {} UTC, as the summary (drills: the whole run)",
            minute(&w["from"]),
            minute(&w["to"])
        ));
    }
    line
}

/// The time a chart draws: the measurement window when the summary names one (the charts show
/// what the summary measures), else the whole run.
struct Frame {
    /// The instant drawn at x = 0 (the window's opening, or the start), in ms since the epoch.
    origin_ms: i64,
    /// The last instant drawn (the window's end, or the run's), in ms since the epoch.
    end_ms: i64,
    /// The run's start, in ms since the epoch (cost.csv counts its days from it).
    start_ms: i64,
    /// A window is drawn, not the whole run.
    windowed: bool,
}

impl Frame {
    fn of(i: &Inputs) -> Frame {
        let start_ms = i.summary["start"].as_str().and_then(ms).unwrap_or(0);
        let end = i.summary["end"].as_str().and_then(ms).unwrap_or(start_ms);
        let window = &i.summary["window"];
        let (from, to) = (window["from"].as_str().and_then(ms), window["to"].as_str().and_then(ms));
        Frame {
            origin_ms: from.unwrap_or(start_ms),
            end_ms: to.unwrap_or(end).max(from.unwrap_or(start_ms)),
            start_ms,
            windowed: from.is_some() || to.is_some(),
        }
    }

    /// Hours from the origin to `t`.
    fn hours(&self, t: i64) -> f64 {
        (t - self.origin_ms) as f64 / 3_600_000.0
    }

    /// Hours drawn.
    fn end_hours(&self) -> f64 {
        self.hours(self.end_ms)
    }
}

/// Does a copy on `route` (`[provider, account, source_region, dest_region]`) count against
/// quota `scope` (`provider:account/source=region` or `/dest=region`)?
fn in_scope(route: &[String; 4], scope: &str) -> bool {
    let Some((provider, rest)) = scope.split_once(':') else { return false };
    let Some((account, side)) = rest.rsplit_once('/') else { return false };
    let Some((side, region)) = side.split_once('=') else { return false };
    let column = if side == "source" { 2 } else { 3 };
    route[0] == provider && route[1] == account && route[column] == region
}

fn copies_in_flight(i: &Inputs) -> Figure {
    let frame = Frame::of(i);
    let end = frame.end_hours();
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
    // A copy in flight at any instant drawn, cut to what is drawn (one already moving when
    // the window opens counts from its opening, one still moving at its end until then).
    let edges = |filter: &dyn Fn(&CopyRow) -> bool| -> Vec<(f64, i64)> {
        let mut e = Vec::new();
        for c in i.copies.iter().filter(|c| !c.share).filter(|c| filter(c)) {
            if let Some(s) = c.started_ms {
                if !frame.windowed {
                    e.push((frame.hours(s), 1));
                    e.push((c.finished_ms.map_or(end, |f| frame.hours(f)), -1));
                    continue;
                }
                let finished = c.finished_ms.unwrap_or(i64::MAX);
                if s > frame.end_ms || finished < frame.origin_ms {
                    continue;
                }
                e.push((frame.hours(s.max(frame.origin_ms)), 1));
                e.push((frame.hours(finished.min(frame.end_ms)), -1));
            }
        }
        e
    };
    let width = bucket_hours(end);
    let (div, x_label) = time_axis(end, &frame);
    let mut series = Vec::new();
    let mut add = |name: String, points: Vec<(f64, f64)>, k: usize| {
        let (peak, mean) = envelope(&points, end, width);
        let per = bucket_words(width);
        series.push(Series {
            name: format!("{name}: peak per {per}"),
            points: rescale(peak, div),
            stroke: Stroke::Area,
            colour: k,
        });
        series.push(Series {
            name: format!("{name}: average"),
            points: rescale(mean, div),
            stroke: Stroke::Line,
            colour: k,
        });
    };
    if quotas.is_empty() {
        add("all copies".to_string(), steps(edges(&|_| true), end), 0);
    }
    for (k, (scope, _, _)) in quotas.iter().enumerate() {
        let routes: Vec<bool> = i.copy_routes.iter().map(|r| in_scope(r, scope)).collect();
        add(scope_label(scope), steps(edges(&|c| routes[c.route as usize]), end), k);
    }
    for (k, (_, limit, _)) in quotas.iter().enumerate() {
        let points = vec![(0.0, *limit), (end / div, *limit)];
        series.push(Series { name: format!("quota {limit}"), points, stroke: Stroke::Dashed, colour: 3 + k });
    }
    Figure::Lines {
        title: "Copies in flight against the quota".into(),
        x_label: x_label.into(),
        y_label: "copies in flight".into(),
        y_integer: true,
        series,
    }
}

fn rpo(i: &Inputs) -> Figure {
    let frame = Frame::of(i);
    let end = frame.end_hours();
    let mut by: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for &(t, v) in i.rpo.iter().filter(|(t, _)| !frame.windowed || (frame.origin_ms..=frame.end_ms).contains(t)) {
        by.entry(t).or_default().push(v / 3600.0);
    }
    let (div, x_label) = time_axis(end, &frame);
    // The worst volume at each sample, not between samples: say how often it was sampled.
    let step_ms = by.keys().zip(by.keys().skip(1)).map(|(a, b)| b - a).min();
    let (mut median, mut worst) = (Vec::new(), Vec::new());
    for (t, mut v) in by {
        v.sort_by(f64::total_cmp);
        let x = frame.hours(t);
        median.push((x, v[(v.len() - 1) / 2]));
        worst.push((x, *v.last().expect("non-empty")));
    }
    let sampled = match step_ms {
        Some(ms) => format!("sampled every {}", crate::sweep::grid::format_duration_ms(ms.unsigned_abs())),
        None => String::new(),
    };
    // More samples than the chart has room for (76 days sampled hourly drew a barcode between
    // the teeth's low and high points): per bucket as the copies chart draws its flows, the
    // worst volume's peak as an area and the median's average as a line.
    let width = bucket_hours(end);
    let mut series = if step_ms.is_some_and(|ms| (ms as f64) < width * 3_600_000.0) {
        let (peak, mean) = sample_buckets(&worst, &median, end, width);
        let per = bucket_words(width);
        vec![
            Series {
                name: format!("worst volume: peak per {per}, {sampled}"),
                points: rescale(peak, div),
                stroke: Stroke::Area,
                colour: 3,
            },
            Series {
                name: format!("median across the fleet: average per {per}"),
                points: rescale(mean, div),
                stroke: Stroke::Line,
                colour: 0,
            },
        ]
    } else {
        vec![
            Series {
                name: "median across the fleet".into(),
                points: rescale(median, div),
                stroke: Stroke::Line,
                colour: 0,
            },
            Series {
                name: if sampled.is_empty() { "worst volume".into() } else { format!("worst volume, {sampled}") },
                points: rescale(worst, div),
                stroke: Stroke::Line,
                colour: 3,
            },
        ]
    };
    if let Some(target) = i.summary["rpo"].get(0).and_then(|r| r["target_ms"].as_u64()).map(|ms| ms as f64 / 1000.0) {
        series.push(Series {
            name: "target".into(),
            points: vec![(0.0, target / 3600.0), (end / div, target / 3600.0)],
            stroke: Stroke::Dashed,
            colour: 2,
        });
    }
    Figure::Lines {
        title: "RPO over time".into(),
        x_label: x_label.into(),
        y_label: "RPO (hours)".into(),
        y_integer: false,
        series,
    }
}

fn cost(i: &Inputs) -> Figure {
    // The days the summary's cost totals: those that start in the window before its end (every
    // day without one); each drawn at its end, in days since what is drawn starts.
    let frame = Frame::of(i);
    let day_start_ms = |day: u64| frame.start_ms + (day as i64).saturating_mul(MS_PER_DAY);
    let billed = |day: u64| !frame.windowed || (frame.origin_ms..frame.end_ms).contains(&day_start_ms(day));
    let mut per: BTreeMap<String, BTreeMap<u64, f64>> = BTreeMap::new();
    for r in &i.cost {
        if let (Ok(day), Some(usd)) = (r["day"].parse::<u64>(), secs(&r["cost_usd"]))
            && billed(day)
        {
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
                pts.push(((day_start_ms(d + 1) - frame.origin_ms) as f64 / MS_PER_DAY as f64, total));
            }
            Series { name: cat, points: pts, stroke: Stroke::Line, colour: k }
        })
        .collect();
    Figure::Lines {
        title: "Cumulative cost by category".into(),
        x_label: if frame.windowed { "days since the window opened" } else { "days since start" }.into(),
        y_label: "US dollars".into(),
        y_integer: false,
        series,
    }
}

fn copy_reasons(i: &Inputs) -> Figure {
    // As the summary counts them: copies requested during the run (not the warm ones it began
    // with), in the measurement window when there is one.
    let window = &i.summary["window"];
    let (from, to) = (window["from"].as_str(), window["to"].as_str());
    let (from_ms, to_ms) = (from.and_then(ms), to.and_then(ms));
    let counted = |c: &&CopyRow| {
        !c.warm
            && from_ms.is_none_or(|f| c.requested_ms.is_some_and(|at| f <= at))
            && to_ms.is_none_or(|t| c.requested_ms.is_some_and(|at| at <= t))
    };
    // Completed copies and accepted shares, as the summary's `by_kind` (a failed copy started
    // but is not counted there: its row has an error).
    let completed = |c: &&CopyRow| c.finished_ms.is_some() && !c.failed;
    let mut per_kind_reason = vec![0u64; i.kind_reasons.len()];
    for c in i.copies.iter().filter(completed).filter(counted) {
        per_kind_reason[c.kind_reason as usize] += 1;
    }
    let counts: BTreeMap<(String, String), u64> =
        i.kind_reasons.iter().cloned().zip(per_kind_reason).filter(|(_, n)| *n > 0).collect();
    let kinds = [("full", 3), ("incremental", 0), ("share", 2)];
    let colour_of = |kind: &str| kinds.iter().find(|(k, _)| *k == kind).map_or(4, |(_, c)| *c);
    let mut bars: Vec<(String, f64, usize)> = counts
        .iter()
        .map(|((kind, reason), n)| (format!("{} ({kind})", reason.replace('_', " ")), *n as f64, colour_of(kind)))
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let legend = kinds
        .iter()
        .filter(|(k, _)| counts.keys().any(|(kind, _)| kind == k))
        .map(|(k, c)| (*c, k.to_string()))
        .collect();
    let (lo, hi) = bars.iter().fold((f64::MAX, 0.0f64), |(lo, hi), b| (lo.min(b.1), hi.max(b.1)));
    let log_scale = hi >= 50.0 * lo.max(1.0);
    Figure::Bars {
        title: "Copies by kind and reason".into(),
        x_label: format!(
            "copies completed{}{}",
            if from.is_some() || to.is_some() { " (requested in the window)" } else { "" },
            if log_scale { " (log scale)" } else { "" }
        ),
        bars,
        legend,
        log_scale,
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
        y_label: "volumes restored".into(),
        y_integer: true,
        series: vec![
            Series { name: "ready".into(), points: curve("ready_at"), stroke: Stroke::Line, colour: 0 },
            Series { name: "fully hydrated".into(), points: curve("hydrated_at"), stroke: Stroke::Line, colour: 1 },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_named_in_days_from_a_day() {
        assert_eq!(
            [5.0 / 60.0, 0.5, 6.0, 24.0, 168.0, 720.0].map(bucket_words),
            ["5 min", "30 min", "6 h", "1 d", "7 d", "30 d"].map(String::from)
        );
    }

    #[test]
    fn buckets_keep_a_year_to_at_most_200_steps() {
        assert_eq!(bucket_hours(168.0), 1.0);
        assert_eq!(bucket_hours(8760.0), 48.0);
        assert_eq!(bucket_hours(2.0), 1.0 / 60.0);
    }

    #[test]
    fn the_envelope_keeps_the_peak_and_the_time_weighted_mean_of_each_bucket() {
        // 4 copies for the first quarter hour, then 1 until 1.5 h, then none, over 2 h in 1 h buckets.
        let pts = steps(vec![(0.0, 4), (0.25, -3), (1.5, -1)], 2.0);
        let (peak, mean) = envelope(&pts, 2.0, 1.0);
        assert_eq!(peak, vec![(0.0, 4.0), (1.0, 4.0), (1.0, 1.0), (2.0, 1.0)]);
        assert_eq!(mean, vec![(0.0, 1.75), (1.0, 1.75), (1.0, 0.5), (2.0, 0.5)]);
    }

    /// A completed copy of `kind` for `reason`, requested, started and finished at `at`.
    fn copy(i: &mut Inputs, kind: &str, reason: &str, at: &str, trigger: &str) -> CopyRow {
        let kind_reason = super::super::inputs::intern(
            &mut i.kind_reasons,
            |(k, r)| k == kind && r == reason,
            || (kind.to_string(), reason.to_string()),
        );
        let t = ms(at);
        CopyRow {
            requested_ms: t,
            started_ms: t,
            finished_ms: t,
            kind_reason,
            share: kind == "share",
            warm: trigger == "warm",
            ..CopyRow::default()
        }
    }

    fn failed(c: CopyRow) -> CopyRow {
        CopyRow { failed: true, ..c }
    }

    const AT: &str = "2026-01-01T00:00:00Z";

    #[test]
    fn the_reasons_chart_lists_only_kinds_present_and_goes_logarithmic_across_magnitudes() {
        let mut i = Inputs::default();
        let first = copy(&mut i, "full", "first_copy", AT, "schedule");
        let next = copy(&mut i, "incremental", "previous_copy_exists", AT, "schedule");
        i.copies = vec![first];
        i.copies.extend((0..100).map(|_| next));
        let Figure::Bars { bars, legend, log_scale, .. } = copy_reasons(&i) else { panic!("bars") };
        assert_eq!(legend, vec![(3, "full".to_string()), (0, "incremental".to_string())]);
        assert!(log_scale);
        assert_eq!(bars[0].0, "previous copy exists (incremental)");
        i.copies.truncate(3);
        let Figure::Bars { log_scale, .. } = copy_reasons(&i) else { panic!("bars") };
        assert!(!log_scale);
    }

    /// The chart counts what the summary counts: not the warm copies a run begins with, and
    /// within the measurement window only.
    #[test]
    fn the_reasons_chart_leaves_out_warm_copies_and_copies_requested_outside_the_window() {
        let summary =
            serde_json::json!({"window": {"from": "2026-01-03T00:00:00.000Z", "to": "2026-01-05T00:00:00.000Z"}});
        let mut i = Inputs { summary, ..Inputs::default() };
        i.copies = vec![
            copy(&mut i, "full", "first_copy", "2026-01-01T00:00:00.000Z", "warm"),
            copy(&mut i, "full", "after_resize", "2026-01-02T00:00:00.000Z", "schedule"),
            copy(&mut i, "incremental", "previous_copy_exists", "2026-01-03T00:00:00.000Z", "schedule"),
            copy(&mut i, "incremental", "previous_copy_exists", "2026-01-05T00:00:00.001Z", "schedule"),
            // Failed: started, not counted (the summary's by_kind counts completed copies).
            failed(copy(&mut i, "incremental", "previous_copy_exists", "2026-01-04T00:00:00.000Z", "schedule")),
        ];
        let Figure::Bars { bars, x_label, .. } = copy_reasons(&i) else { panic!("bars") };
        assert_eq!(
            bars.iter().map(|b| (b.0.as_str(), b.1)).collect::<Vec<_>>(),
            vec![("previous copy exists (incremental)", 1.0)]
        );
        assert_eq!(x_label, "copies completed (requested in the window)");
    }

    /// A PNG or SVG may travel alone: the line under it names the run, and the window it
    /// shows when the summary measured one.
    #[test]
    fn the_line_under_a_chart_names_the_run_and_its_window() {
        let summary = serde_json::json!({"scenario": "q", "seed": 42, "copysim_version": "0.1.0"});
        let mut i = Inputs { summary, ..Inputs::default() };
        assert_eq!(provenance(&i), "q · seed 42 · copysim 0.1.0");
        i.summary["window"] = serde_json::json!({"from": "2026-01-03T04:00:00.000Z", "to": "2026-01-05T00:00:00.000Z"});
        assert_eq!(
            provenance(&i),
            "q · seed 42 · copysim 0.1.0 · window 2026-01-03 04:00 to 2026-01-05 00:00 UTC, as the summary (drills: the whole run)"
        );
    }

    /// A cost row of `cost.csv`: `usd` on `day` in `category`.
    fn cost_row(day: u64, category: &str, usd: f64) -> Row {
        [("day", day.to_string()), ("category", category.to_string()), ("cost_usd", format!("{usd:.6}"))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }

    /// The issue: `measure_from` "limits every statistic in the summary, cost run-rate and
    /// charts to the window". A run of 4 days from 2026-01-01 measured over [1 d, 3 d]: the
    /// charts draw those two days, from the window's opening.
    #[test]
    fn the_charts_show_the_window_the_summary_measures() {
        let summary = serde_json::json!({
            "start": "2026-01-01T00:00:00.000Z", "end": "2026-01-05T00:00:00.000Z",
            "window": {"from": "2026-01-02T00:00:00.000Z", "to": "2026-01-04T00:00:00.000Z"},
            "rpo": [{"target_ms": 7_200_000}],
        });
        let mut i = Inputs { summary, ..Inputs::default() };
        let h = 3_600_000i64;
        let t0 = ms("2026-01-01T00:00:00.000Z").expect("an instant");
        // RPO sampled every 12 h from 0 to 96 h: the samples at 24, 36, 48, 60 and 72 h are in
        // the window, drawn at 0, 12, 24, 36 and 48 h since it opened.
        i.rpo = (0..=8).map(|k| (t0 + k * 12 * h, (k * 100) as f64)).collect();
        let Figure::Lines { series, x_label, .. } = rpo(&i) else { panic!("lines") };
        assert_eq!(x_label, "hours since the window opened");
        let xs: Vec<f64> = series[0].points.iter().map(|p| p.0).collect();
        assert_eq!(xs, vec![0.0, 12.0, 24.0, 36.0, 48.0]);
        assert_eq!(series[0].points[0].1, 200.0 / 3600.0, "the sample at 24 h comes first");
        assert_eq!(series[2].points, vec![(0.0, 2.0), (48.0, 2.0)], "the target across the window");
        // Cost: $1 of storage a day on days 0..3; the summary bills days 1 and 2 (they start in
        // [1 d, 3 d)): the curve ends at $2 at the window's end, 2 days after it opened.
        i.cost = (0..4).map(|d| cost_row(d, "storage", 1.0)).collect();
        let Figure::Lines { series, x_label, .. } = cost(&i) else { panic!("lines") };
        assert_eq!(x_label, "days since the window opened");
        assert_eq!(series[0].points, vec![(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]);
        // Copies in flight: one from 20 h to 30 h (in flight as the window opens), one from 40 h
        // to 50 h, one from 80 h to 90 h (after it): two drawn, 0 to 6 h and 16 to 26 h after
        // the window opened; the x axis ends at the window's end (48 h in).
        let flight = |from: i64, to: i64| CopyRow {
            requested_ms: Some(t0 + from * h),
            started_ms: Some(t0 + from * h),
            finished_ms: Some(t0 + to * h),
            ..CopyRow::default()
        };
        i.copies = vec![flight(20, 30), flight(40, 50), flight(80, 90)];
        let Figure::Lines { series, x_label, .. } = copies_in_flight(&i) else { panic!("lines") };
        assert_eq!(x_label, "hours since the window opened");
        let peak = &series[0].points;
        assert_eq!(peak.last().map(|p| p.0), Some(48.0));
        let at = |x: f64| peak.iter().rfind(|p| p.0 <= x).map_or(0.0, |p| p.1);
        assert_eq!(
            (at(0.0), at(5.0), at(6.5), at(16.5), at(25.5), at(26.5), at(47.9)),
            (1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0)
        );
        // Without a window, the whole run from its start.
        i.summary.as_object_mut().expect("an object").remove("window");
        let Figure::Lines { series, x_label, .. } = cost(&i) else { panic!("lines") };
        assert_eq!(x_label, "days since start");
        assert_eq!(series[0].points.last(), Some(&(4.0, 4.0)));
    }

    #[test]
    fn a_long_run_sampled_often_draws_rpo_per_bucket() {
        // 30 days sampled hourly, the worst volume 2 h then 6 h in turn and the median 1 h then
        // 3 h (with a third volume at 0): 720 samples on a chart of 200 buckets read as a
        // barcode. Buckets of 6 h (the nicest width giving at most 200 over 720 h): the worst's
        // peak 6 h and the median's average 2 h in each.
        let h = 3_600_000i64;
        let t0 = ms("2026-01-01T00:00:00.000Z").expect("an instant");
        let samples = (0..720i64)
            .flat_map(|k| {
                let (t, odd) = (t0 + k * h, k % 2 == 1);
                [(t, if odd { 3.0 } else { 1.0 } * 3600.0), (t, if odd { 6.0 } else { 2.0 } * 3600.0), (t, 0.0)]
            })
            .collect();
        let summary = serde_json::json!({"start": "2026-01-01T00:00:00.000Z", "end": "2026-01-31T00:00:00.000Z"});
        let i = Inputs { rpo: samples, summary, ..Inputs::default() };
        let Figure::Lines { series, .. } = rpo(&i) else { panic!("lines") };
        assert_eq!(series[0].name, "worst volume: peak per 6 h, sampled every 1h");
        assert_eq!(series[1].name, "median across the fleet: average per 6 h");
        assert!(series[0].points.iter().all(|p| p.1 == 6.0), "{:?}", &series[0].points[..4]);
        assert!(series[1].points.iter().all(|p| p.1 == 2.0), "{:?}", &series[1].points[..4]);
        assert_eq!(series[0].points.len(), 2 * 120);
    }

    #[test]
    fn the_worst_rpo_line_says_how_often_it_was_sampled() {
        let i = Inputs { rpo: vec![(0, 1.0), (0, 5.0), (1_800_000, 2.0), (3_600_000, 3.0)], ..Inputs::default() };
        let Figure::Lines { series, .. } = rpo(&i) else { panic!("lines") };
        assert_eq!(series[1].name, "worst volume, sampled every 30m");
        assert_eq!(series[1].points[0].1, 5.0 / 3600.0);
    }

    #[test]
    fn no_restore_chart_without_an_outage_and_no_cost_chart_without_costs() {
        let names: Vec<&str> = all(&Inputs::default()).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, vec!["copies-in-flight", "rpo", "copy-reasons"]);
    }
}
