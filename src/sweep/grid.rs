//! The grid: axis values (listed, or generated from `from`/`to`/`step` for counts, durations,
//! sizes and rates) and their cross product, each point applied to the base scenario and checked.

use std::ops::Range;

use toml::Spanned;

use super::file::{Axis, AxisPath, Mistake, RawAxis, RawPath, Spans, SweepError};
use crate::scenario::overrides::{self, Override, OverrideError};
use crate::scenario::units::{parse_duration_ms, parse_rate_bytes_per_s, parse_size};

/// Most values one `from`/`to`/`step` axis may generate.
pub const MAX_AXIS_VALUES: u64 = 10_000;

/// Most points a grid may have (each is checked before any run starts).
pub const MAX_POINTS: u64 = 10_000;

/// Most runs a sweep may ask for (points × replications).
pub const MAX_RUNS: u64 = 1_000_000;

/// How many failing grid values an error lists before it counts the rest.
const MAX_LISTED: usize = 20;

/// One point of the grid: its index, its value on each axis, and the overrides it applies to
/// the base scenario. The edited text is made again when a run of the point starts: kept for
/// every point at once, it took gigabytes before the first run (1,000 points of a 4 MiB base,
/// 6.1 GB).
#[derive(Clone, Debug)]
pub struct Point {
    /// Position in the grid (first axis varying slowest).
    pub index: usize,
    /// The value taken on each axis.
    pub labels: Vec<String>,
    /// The overrides it applies.
    pub overrides: Vec<Override>,
}

/// Checks one raw axis; mistakes go to `errors` with their position.
pub(super) fn axis(spans: &Spans<'_>, raw: RawAxis<'_>, errors: &mut Vec<Mistake>) -> Option<Axis> {
    let before = errors.len();
    let paths: Vec<AxisPath> = raw.paths.into_iter().filter_map(|p| axis_path(spans, p, errors)).collect();
    let first = paths.first()?;
    let n = first.values.len();
    let name = raw.name.map_or_else(|| first.path.clone(), |n| n.get_ref().clone());
    let before_labels = errors.len();
    let labels = raw.labels.as_ref().map(|l| (listed(spans, l.get_ref(), "labels", errors), l.span()));
    // A refused label is that label's one error, not also a count short.
    let labels_read = errors.len() == before_labels;
    let counts: Vec<(usize, String)> = paths[1..]
        .iter()
        .filter(|p| p.values.len() != n)
        .map(|p| (p.values.len(), format!("`{}` has {}", p.path, p.values.len())))
        .chain(
            labels
                .iter()
                .filter(|(l, _)| labels_read && l.len() != n)
                .map(|(l, _)| (l.len(), format!("`labels` has {}", l.len()))),
        )
        .collect();
    // The lists of one axis that differ in length from its first `values`: when they all agree
    // with one another, the first list is the odd one out, and is the one error (`values = [""]`
    // under two labels and a `with` of two read twice).
    let others_agree = counts.len() > 1 && counts.iter().all(|(len, _)| *len == counts[0].0);
    if others_agree {
        let told: Vec<&str> = counts.iter().map(|(_, t)| t.as_str()).collect();
        let at = first.spans.first().cloned().unwrap_or(first.path_span.clone());
        let values = if n == 1 { "1 value" } else { &format!("{n} values") };
        let message = format!(
            "`{}` has {values}, but {}: the lists of an axis go value by value",
            first.path,
            told.join(" and ")
        );
        errors.push(spans.err(at, "values", message));
    } else {
        for p in paths[1..].iter().filter(|p| p.values.len() != n) {
            let at = p.spans.first().cloned().unwrap_or(0..0);
            errors.push(spans.err(
                at,
                "values",
                format!("`{}` has {} values, but its axis has {n}", p.path, p.values.len()),
            ));
        }
    }
    let labels = match labels {
        Some((labels, span)) => {
            if labels_read && labels.len() != n && !others_agree {
                errors.push(spans.err(span, "labels", format!("{} labels for {n} values", labels.len())));
            }
            distinct(spans, &labels, &name, "labels", errors);
            labels.into_iter().map(|x| x.0).collect()
        }
        None => {
            let values: Labelled = first.values.iter().cloned().zip(first.spans.iter().cloned()).collect();
            distinct(spans, &values, &name, "values", errors);
            first.values.clone()
        }
    };
    (errors.len() == before).then_some(Axis { name, labels, paths })
}

fn axis_path(spans: &Spans<'_>, raw: RawPath<'_>, errors: &mut Vec<Mistake>) -> Option<AxisPath> {
    let path = raw.path.get_ref();
    let before = errors.len();
    match overrides::split_path(path) {
        Ok(segments) if segments == ["seed"] => errors.push(spans.err(
            raw.path.span(),
            "path",
            "a sweep seeds every run itself (from its `seed` and the run's replication); use `replications` instead",
        )),
        Ok(_) => {}
        Err(m) => errors.push(spans.err(raw.path.span(), "path", m)),
    }
    let values = match (raw.values, raw.range) {
        (Some(values), [None, None, None]) => listed(spans, values, "values", errors),
        (None, [Some(from), Some(to), Some(step)]) => range(spans, from, to, step, errors),
        _ => {
            errors.push(spans.err(
                raw.path.span(),
                "axes",
                "give either `values = [...]` or all of `from`, `to` and `step`",
            ));
            Vec::new()
        }
    };
    if values.is_empty() && errors.len() == before {
        errors.push(spans.err(raw.path.span(), "values", "the axis has no values"));
    }
    (errors.len() == before).then(|| {
        let (values, spans) = values.into_iter().unzip();
        AxisPath { path: path.clone(), values, spans, path_span: raw.path.span() }
    })
}

type Labelled = Vec<(String, std::ops::Range<usize>)>;

/// An error at every label of axis `name` that repeats an earlier one: the points, and
/// `points.csv`'s rows that `compare` matches, are told apart by their labels. `field` is
/// `labels`, or `values` when the labels are the values.
fn distinct(spans: &Spans<'_>, labels: &Labelled, name: &str, field: &str, errors: &mut Vec<Mistake>) {
    let (what, hint) = match field {
        "labels" => ("label", "give each value its own label"),
        _ => ("value", "list each value once, or give `labels`"),
    };
    let mut first: std::collections::BTreeMap<&str, &std::ops::Range<usize>> = Default::default();
    for (label, at) in labels {
        let Some(earlier) = first.get(label.as_str()) else {
            first.insert(label, at);
            continue;
        };
        let (line, column) = spans.index.position(earlier.start);
        let message = format!(
            "{what} `{label}` is given twice in axis `{name}` (first at line {line}, column {column}): points are \
             told apart by their labels (in points.csv and by `compare`); {hint}"
        );
        errors.push(spans.err(at.clone(), field, message));
    }
}

/// The items of `values` (or, `field`, of `labels`) as text; an item of another type is an
/// error at it, under `field`.
fn listed(spans: &Spans<'_>, values: &[Spanned<toml::Value>], field: &str, errors: &mut Vec<Mistake>) -> Labelled {
    let mut out = Vec::new();
    for v in values {
        let label = match v.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => {
                errors.push(spans.err(v.span(), field, "expected a string, a number or a boolean"));
                continue;
            }
        };
        out.push((label, v.span()));
    }
    out
}

/// A kind of quantity a range can step through: how to read it and how to write it back.
struct Kind {
    parse: fn(&str) -> Result<u64, String>,
    format: fn(u64) -> String,
}

const KINDS: [Kind; 3] = [
    Kind { parse: parse_duration_ms, format: format_duration_ms },
    Kind { parse: parse_size, format: format_size },
    Kind { parse: parse_rate_bytes_per_s, format: format_rate },
];

fn range(
    spans: &Spans<'_>,
    from: &Spanned<toml::Value>,
    to: &Spanned<toml::Value>,
    step: &Spanned<toml::Value>,
    errors: &mut Vec<Mistake>,
) -> Labelled {
    let all = [from, to, step];
    // A negative count is not another kind: say what a range is.
    if let Some(v) = all.iter().find(|v| v.get_ref().as_integer().is_some_and(|i| i < 0)) {
        let field = if std::ptr::eq(*v, step) {
            "step"
        } else if std::ptr::eq(*v, to) {
            "to"
        } else {
            "from"
        };
        let m = format!(
            "expected a count of 0 or more, found {}: a range goes up from `from` to `to` by a positive `step` \
             (to sweep downwards, list the values: `values = [10, 9, 8]`)",
            v.get_ref()
        );
        errors.push(spans.err(v.span(), field, m));
        return Vec::new();
    }
    let (numbers, format): ([u64; 3], fn(u64) -> String) = if let [Some(a), Some(b), Some(c)] =
        all.map(|v| v.get_ref().as_integer().and_then(|i| u64::try_from(i).ok()))
    {
        ([a, b, c], |n| n.to_string())
    } else {
        let texts = all.map(|v| v.get_ref().as_str());
        let found = KINDS.iter().find_map(|k| match texts.map(|t| t.map(k.parse)) {
            [Some(Ok(a)), Some(Ok(b)), Some(Ok(c))] => Some(([a, b, c], k.format)),
            _ => None,
        });
        match found {
            Some(f) => f,
            None => {
                errors.push(spans.err(
                    from.span(),
                    "from",
                    "`from`, `to` and `step` must be of one kind: counts (integers), or durations, sizes or rates \
                     as strings (\"1h\", \"500GB\", \"100MiB/s\")",
                ));
                return Vec::new();
            }
        }
    };
    let [a, b, c] = numbers;
    if c == 0 || a > b || (b - a) / c >= MAX_AXIS_VALUES {
        let m = format!(
            "expected 0 < step, from ≤ to, and at most {MAX_AXIS_VALUES} values (to sweep downwards, list the values)"
        );
        errors.push(spans.err(step.span(), "step", m));
        return Vec::new();
    }
    (0..=(b - a) / c).map(|k| (format(a + k * c), from.span())).collect()
}

/// Milliseconds in the largest unit that divides them exactly (`90m`, `2d`, `1500ms`).
pub fn format_duration_ms(ms: u64) -> String {
    for (unit, size) in [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)] {
        if ms > 0 && ms.is_multiple_of(size) {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

/// Bytes in the largest unit that divides them exactly (`500GB`, `3TiB`, `1234`).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 6] = [
        ("TB", 1_000_000_000_000),
        ("TiB", 1 << 40),
        ("GB", 1_000_000_000),
        ("GiB", 1 << 30),
        ("MB", 1_000_000),
        ("MiB", 1 << 20),
    ];
    for (unit, size) in UNITS {
        if bytes > 0 && bytes.is_multiple_of(size) {
            return format!("{}{unit}", bytes / size);
        }
    }
    bytes.to_string()
}

/// Bytes per second as a rate (`100MiB/s`).
pub fn format_rate(bytes_per_s: u64) -> String {
    format!("{}/s", format_size(bytes_per_s))
}

/// Every point of the cross product of `axes`, each checked against the base scenario. Mistakes
/// are reported once each, at the sweep file's position of the axis value that caused them.
pub(super) fn points(
    spans: &Spans<'_>,
    axes: &[Axis],
    base_text: &str,
    base_label: &str,
) -> Result<Vec<Point>, SweepError> {
    let mut problems = Problems::default();
    for a in axes {
        let mut failed = Vec::new();
        for k in 0..a.labels.len() {
            let (o, at): (Vec<Override>, Vec<Range<usize>>) =
                a.paths.iter().map(|p| (axis_override(spans, p, k), p.spans[k].clone())).unzip();
            if let Err(e) = overrides::parse_with(base_text, base_label, None, &o) {
                failed.push((o, at, e));
            }
        }
        // Every value failing alike is the path's mistake (`path = "fleets.web"`, an unknown
        // field): once, at the path, not once per value.
        let alike = |(o, _, e): &(Vec<Override>, Vec<Range<usize>>, OverrideError)| {
            o.iter().fold(e.to_string(), |text, o| text.replace(&o.origin, ""))
        };
        let first = failed.first().map(alike);
        if failed.len() > 1 && failed.len() == a.labels.len() && failed.iter().all(|f| Some(alike(f)) == first) {
            let (o, at): (Vec<Override>, Vec<Range<usize>>) = a
                .paths
                .iter()
                .map(|p| {
                    let origin = format!("{}: axis `{}` (each of its values)", spans.place(p.path_span.start), p.path);
                    (Override { origin, ..axis_override(spans, p, 0) }, p.path_span.clone())
                })
                .unzip();
            if let Err(e) = overrides::parse_with(base_text, base_label, None, &o) {
                problems.note(spans, &o, &at, &e, false);
                continue;
            }
        }
        for (o, at, e) in &failed {
            problems.note(spans, o, at, e, false);
        }
    }
    if !problems.is_empty() {
        return Err(SweepError::Point(problems.text()));
    }
    let count: usize = axes.iter().map(|a| a.labels.len()).product();
    let mut points = Vec::with_capacity(count);
    for index in 0..count {
        let picks = picks(axes, index);
        let (overrides, at): (Vec<Override>, Vec<Range<usize>>) = axes
            .iter()
            .zip(&picks)
            .flat_map(|(a, &k)| a.paths.iter().map(move |p| (axis_override(spans, p, k), p.spans[k].clone())))
            .unzip();
        // Checked, then let go: a run makes the point's text again (see `Point`).
        let checked = overrides::parse_with(base_text, base_label, None, &overrides);
        match checked {
            Ok(_) => points.push(Point {
                index,
                labels: axes.iter().zip(&picks).map(|(a, &k)| a.labels[k].clone()).collect(),
                overrides,
            }),
            Err(e) => problems.note(spans, &overrides, &at, &e, true),
        }
    }
    if problems.is_empty() { Ok(points) } else { Err(SweepError::Point(problems.text())) }
}

/// What made grid values invalid, each mistake once, under the values that caused it.
#[derive(Default)]
struct Problems {
    lines: Vec<String>,
    /// Per line, whether it states a mistake (not a source line, nor a line under one): each
    /// after the first reads `error: …`, as the first does once the CLI prints it.
    heads: Vec<bool>,
    /// Failing values (or points) seen, listed or not.
    failing: usize,
}

impl Problems {
    fn is_empty(&self) -> bool {
        self.failing == 0
    }

    /// The base scenario with `overrides` applied is invalid, as `e` says. A mistake at an
    /// overridden value names that value's place in the sweep file already, and is followed by
    /// that value's source line with a caret (`at`: each override's span in the sweep file);
    /// one elsewhere in the base scenario (a count too low for a name it uses) is listed under
    /// the values, with its source line in the base scenario.
    ///
    /// At a point (`point`), every value was valid on its own: a mistake naming one axis's value
    /// is followed by the other axes' values at that point, which make it wrong together.
    fn note(&mut self, spans: &Spans<'_>, overrides: &[Override], at: &[Range<usize>], e: &OverrideError, point: bool) {
        self.failing += 1;
        if self.failing > MAX_LISTED {
            return;
        }
        let text = e.to_string();
        let named = overrides.iter().any(|o| text.contains(&o.origin));
        let text = if named { text } else { e.render() };
        if !named {
            let values: Vec<&str> = overrides.iter().map(|o| o.origin.as_str()).collect();
            self.push(format!("{}: the base scenario with this value is invalid:", values.join("; ")), true);
        }
        for line in text.lines() {
            // The base scenario's mistakes are listed under the values, indented, without `error:`.
            let line =
                if named { line.to_string() } else { format!("  {}", line.strip_prefix("error: ").unwrap_or(line)) };
            if named && self.lines.contains(&line) {
                continue;
            }
            let named_here = overrides.iter().position(|o| line.contains(&o.origin));
            let value = named_here.and_then(|i| at.get(i));
            self.push(line, named);
            if let Some(span) = value {
                for l in spans.snippet(span.clone()).trim_end().lines() {
                    self.push(l.to_string(), false);
                }
            }
            if let (true, Some(i)) = (point, named_here) {
                let others: Vec<&str> =
                    overrides.iter().enumerate().filter(|&(k, _)| k != i).map(|(_, o)| o.origin.as_str()).collect();
                if !others.is_empty() {
                    self.push(format!("  together with {}", others.join("; ")), false);
                }
            }
        }
    }

    fn push(&mut self, line: String, head: bool) {
        self.lines.push(line);
        self.heads.push(head);
    }

    fn text(&self) -> String {
        let lines: Vec<String> = self
            .lines
            .iter()
            .zip(&self.heads)
            .enumerate()
            .map(|(i, (l, &head))| if head && i > 0 { format!("error: {l}") } else { l.clone() })
            .collect();
        let mut out = lines.join("\n");
        if self.failing > MAX_LISTED {
            out.push_str(&format!("\n... and {} more values or points that fail", self.failing - MAX_LISTED));
        }
        out
    }
}

/// Refuses a grid of more than [`MAX_POINTS`] points or a sweep of more than [`MAX_RUNS`] runs,
/// at the axis that crosses the limit or at `replications`.
pub(super) fn check_size(
    spans: &Spans<'_>,
    axes: &[Axis],
    replications: (u32, std::ops::Range<usize>),
    errors: &mut Vec<Mistake>,
) {
    let mut points: u64 = 1;
    for a in axes {
        points = points.saturating_mul(a.labels.len() as u64);
        if points > MAX_POINTS {
            let at = a.paths.first().and_then(|p| p.spans.first().cloned()).unwrap_or(0..0);
            let sizes: Vec<String> = axes.iter().map(|a| a.labels.len().to_string()).collect();
            errors.push(spans.err(
                at,
                "axes",
                format!(
                    "the grid has {} points: at most {MAX_POINTS}; split the sweep or give the axes fewer values",
                    sizes.join(" × ")
                ),
            ));
            return;
        }
    }
    let runs = points.saturating_mul(u64::from(replications.0));
    if runs > MAX_RUNS {
        errors.push(spans.err(
            replications.1,
            "replications",
            format!(
                "{points} points × {} replications is {runs} runs: at most {MAX_RUNS}; ask for fewer replications",
                replications.0
            ),
        ));
    }
}

/// The value index on each axis of point `index` (the last axis varies fastest).
pub fn picks(axes: &[Axis], mut index: usize) -> Vec<usize> {
    let mut out = vec![0; axes.len()];
    for (slot, axis) in out.iter_mut().zip(axes).rev() {
        *slot = index % axis.labels.len();
        index /= axis.labels.len();
    }
    out
}

fn axis_override(spans: &Spans<'_>, axis: &AxisPath, k: usize) -> Override {
    Override {
        origin: format!("{}: axis `{}` = {:?}", spans.place(axis.spans[k].start), axis.path, axis.values[k]),
        path: overrides::split_path(&axis.path).unwrap_or_default(),
        value: axis.values[k].clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_read_back_as_the_same_quantity() {
        assert_eq!(format_duration_ms(5_400_000), "90m");
        assert_eq!(format_duration_ms(2 * 86_400_000), "2d");
        assert_eq!(format_duration_ms(1_500), "1500ms");
        assert_eq!(format_size(500_000_000_000), "500GB");
        assert_eq!(format_size(3 << 40), "3TiB");
        assert_eq!(format_rate(100 << 20), "100MiB/s");
        for ms in [1_500, 5_400_000, 7 * 86_400_000] {
            assert_eq!(parse_duration_ms(&format_duration_ms(ms)), Ok(ms));
        }
        for b in [1_234, 500_000_000_000, 3 << 40] {
            assert_eq!(parse_size(&format_size(b)), Ok(b));
        }
        assert_eq!(parse_rate_bytes_per_s(&format_rate(100 << 20)), Ok(100 << 20));
    }

    #[test]
    fn the_last_axis_varies_fastest() {
        let axis = |n: usize| Axis { name: "x".into(), labels: vec![String::new(); n], paths: Vec::new() };
        let axes = [axis(2), axis(3)];
        let all: Vec<Vec<usize>> = (0..6).map(|i| picks(&axes, i)).collect();
        assert_eq!(all, [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
    }
}
