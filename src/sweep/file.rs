//! Sweep files: the raw TOML with spans, and its validation into a [`Sweep`] whose every axis
//! value has been applied to the base scenario and checked before any run starts.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::grid::{self, Point};
use crate::scenario::overrides::{self, OverrideError};
use crate::scenario::source::LineIndex;
use crate::scenario::{InputError, RENDERED_ERRORS_MAX};

/// The sweep file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    name: Option<Spanned<String>>,
    description: Option<String>,
    base: Spanned<String>,
    replications: Option<Spanned<u32>>,
    seed: Option<Spanned<u64>>,
    #[serde(default)]
    axes: Vec<AxisFile>,
}

/// `[[axes]]`: a path and either `values` or `from`/`to`/`step`; optionally a column `name`,
/// value `labels`, and `[[axes.with]]` paths that move in step with it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisFile {
    name: Option<Spanned<String>>,
    labels: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    path: Spanned<String>,
    values: Option<Vec<Spanned<toml::Value>>>,
    from: Option<Spanned<toml::Value>>,
    to: Option<Spanned<toml::Value>>,
    step: Option<Spanned<toml::Value>>,
    #[serde(default)]
    with: Vec<WithFile>,
}

/// `[[axes.with]]`: another path set together with its axis, value for value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WithFile {
    path: Spanned<String>,
    values: Option<Vec<Spanned<toml::Value>>>,
    from: Option<Spanned<toml::Value>>,
    to: Option<Spanned<toml::Value>>,
    step: Option<Spanned<toml::Value>>,
}

/// One path of an axis and the values it takes, as `--set` would get them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AxisPath {
    /// The path, as written (`fleets.web.count`).
    pub path: String,
    /// The values' text.
    pub values: Vec<String>,
    /// Where each value sits in the sweep file (for messages).
    pub spans: Vec<Range<usize>>,
    /// Where the path sits in the sweep file.
    pub path_span: Range<usize>,
}

/// One axis: its column name, a label per value, and the paths it sets (usually one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// Column name in the outputs (default: the first path).
    pub name: String,
    /// The label of each value (default: the first path's values).
    pub labels: Vec<String>,
    /// The paths set at each value, all with as many values as `labels`.
    pub paths: Vec<AxisPath>,
}

/// A validated sweep: the base scenario, the grid of points, and how to seed each run.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// Name (the output folder's name).
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// The base scenario's path.
    pub base_path: PathBuf,
    /// The base scenario's label in messages.
    pub base_label: String,
    /// The base scenario's text, to which a run applies its point's overrides.
    pub base_text: String,
    /// Replications per point.
    pub replications: u32,
    /// The sweep seed; run *i* gets [`super::run_seed`]`(seed, i)`.
    pub seed: u64,
    /// The axes, first varying slowest.
    pub axes: Vec<Axis>,
    /// Every point of the grid, in order, with its overrides.
    pub points: Vec<Point>,
    /// SHA-256 over the sweep text and the base scenario text.
    pub sha256: String,
}

impl Sweep {
    /// Total number of runs (points × replications).
    pub fn run_count(&self) -> usize {
        self.points.len() * self.replications as usize
    }
}

/// Why a sweep could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A file could not be read.
    #[error("{path}: cannot read it: {source}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Mistakes in the sweep file, each with its line and column, drawn under its source line.
    #[error("{}", crate::scenario::render_mistakes(errors, snippets))]
    Invalid {
        /// The mistakes, in the order they were found.
        errors: Vec<InputError>,
        /// The source line of each of the first [`RENDERED_ERRORS_MAX`], with a caret.
        snippets: Vec<String>,
    },
    /// The base scenario, or a point of the grid applied to it, is invalid (each mistake once).
    #[error("{0}")]
    Point(String),
}

/// A mistake in the sweep file and where it is (its source line is drawn only if printed).
#[derive(Debug)]
pub(super) struct Mistake {
    error: InputError,
    span: Range<usize>,
}

pub(super) struct Spans<'a> {
    pub file: &'a str,
    /// The sweep file's text, indexed once: a position is never a scan from its start.
    pub index: LineIndex<'a>,
}

impl<'a> Spans<'a> {
    pub(super) fn new(file: &'a str, text: &'a str) -> Self {
        Spans { file, index: LineIndex::new(text) }
    }

    pub(super) fn err(&self, span: Range<usize>, field: &str, message: impl Into<String>) -> Mistake {
        let (line, column) = self.index.position(span.start);
        let error =
            InputError { file: self.file.to_string(), line, column, field: field.to_string(), message: message.into() };
        Mistake { error, span }
    }

    /// `mistakes` as the error they make, the first [`RENDERED_ERRORS_MAX`] drawn under their
    /// source line (as a scenario's are: drawing one costs the length of its line).
    pub(super) fn invalid(&self, mistakes: Vec<Mistake>) -> SweepError {
        let snippets = mistakes.iter().take(RENDERED_ERRORS_MAX).map(|m| self.snippet(m.span.clone())).collect();
        SweepError::Invalid { errors: mistakes.into_iter().map(|m| m.error).collect(), snippets }
    }

    /// `file:line:column` of byte `offset`.
    pub(super) fn place(&self, offset: usize) -> String {
        let (line, column) = self.index.position(offset);
        format!("{}:{line}:{column}", self.file)
    }

    /// The source line holding `span` with a caret under it.
    pub(super) fn snippet(&self, span: Range<usize>) -> String {
        self.index.snippet(span)
    }
}

/// Reads and validates the sweep at `path`; every point is checked against the base scenario.
pub fn load(path: &Path) -> Result<Sweep, SweepError> {
    let text = crate::scenario::source::read(path).map_err(|e| match e {
        // The scenario reader's words, for the sweep file: it is not a scenario.
        crate::scenario::ScenarioError::Io { path, source } => {
            SweepError::Point(format!("{path}: cannot read the sweep file: {source}"))
        }
        other => {
            SweepError::Point(other.render().replace("the most a scenario may be", "the most a sweep file may be"))
        }
    })?;
    let label = path.display().to_string();
    let spans = Spans::new(&label, &text);
    let raw: SweepFile = toml::from_str(&text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let (field, message) = crate::scenario::toml_errors::describe(&text, span.clone(), e.message());
        spans.invalid(vec![spans.err(span, &field, message)])
    })?;
    let base_path = path.parent().unwrap_or(Path::new(".")).join(raw.base.get_ref());
    let base_text = crate::scenario::source::read(&base_path).map_err(|e| {
        let why = match &e {
            crate::scenario::ScenarioError::Io { source, .. } => source.to_string(),
            other => other.render(),
        };
        spans.invalid(vec![spans.err(raw.base.span(), "base", format!("cannot read {}: {why}", base_path.display()))])
    })?;
    let mut errors = Vec::new();
    let axes: Vec<Axis> = raw.axes.iter().filter_map(|a| grid::axis(&spans, a.into(), &mut errors)).collect();
    let replications = raw.replications.as_ref().map_or(1, |r| *r.get_ref());
    if replications == 0 {
        errors.push(spans.err(
            raw.replications.as_ref().map_or(0..0, Spanned::span),
            "replications",
            "expected at least 1",
        ));
    }
    // Paths are compared by the field they reach in the base: `fleets.app.count` and
    // `fleets.0.count` are one field, and the later axis silently won.
    let paths: Vec<&AxisPath> = axes.iter().flat_map(|a| &a.paths).collect();
    let segments: Vec<Vec<String>> = paths.iter().map(|p| overrides::split_path(&p.path).unwrap_or_default()).collect();
    let fields = if paths.len() > 1 { overrides::fields(&base_text, &segments) } else { Vec::new() };
    for (k, p) in paths.iter().enumerate() {
        if let Some(earlier) = (0..k).find(|&i| fields[i] == fields[k]) {
            let (line, _) = spans.index.position(paths[earlier].path_span.start);
            let message = if segments[earlier] == segments[k] {
                format!(
                    "`{}` is set by an earlier axis too (line {line}): each path may be swept by one axis only",
                    p.path
                )
            } else {
                format!(
                    "`{}` sets the same field as `{}` (line {line}): each field may be swept by one axis only",
                    p.path, paths[earlier].path
                )
            };
            errors.push(spans.err(p.path_span.clone(), "path", message));
        }
    }
    if errors.is_empty() {
        let at = raw.replications.as_ref().map_or(0..0, Spanned::span);
        grid::check_size(&spans, &axes, (replications, at), &mut errors);
    }
    let name = sweep_name(&spans, &raw, path, &mut errors);
    if !errors.is_empty() {
        return Err(spans.invalid(errors));
    }
    let base_label = base_path.display().to_string();
    let base = overrides::parse_with(&base_text, &base_label, None, &[])
        .map_err(|e: OverrideError| SweepError::Point(e.render()))?;
    let points = grid::points(&spans, &axes, &base_text, &base_label)?;
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    hasher.update([0]);
    hasher.update(base_text.as_bytes());
    Ok(Sweep {
        name,
        description: raw.description.clone(),
        base_path,
        base_label,
        base_text,
        replications,
        seed: raw.seed.as_ref().map_or(base.seed, |s| *s.get_ref()),
        axes,
        points,
        sha256: hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(),
    })
}

fn sweep_name(spans: &Spans<'_>, raw: &SweepFile, path: &Path, errors: &mut Vec<Mistake>) -> String {
    let from_file = || {
        let stem = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = stem.strip_suffix(".toml").unwrap_or(&stem).to_string();
        stem.strip_suffix(".sweep").unwrap_or(&stem).to_string()
    };
    let name = raw.name.as_ref().map_or_else(from_file, |n| n.get_ref().clone());
    if let Some(message) = crate::output::folder_name_problem(&name) {
        errors.push(spans.err(raw.name.as_ref().map_or(0..0, Spanned::span), "name", message));
    }
    name
}

/// A raw path and its values, as the grid module reads them.
pub(super) struct RawPath<'a> {
    pub path: &'a Spanned<String>,
    pub values: Option<&'a [Spanned<toml::Value>]>,
    pub range: [Option<&'a Spanned<toml::Value>>; 3],
}

/// A raw axis: its name, labels and paths.
pub(super) struct RawAxis<'a> {
    pub name: Option<&'a Spanned<String>>,
    pub labels: Option<&'a Spanned<Vec<Spanned<toml::Value>>>>,
    pub paths: Vec<RawPath<'a>>,
}

impl<'a> From<&'a AxisFile> for RawAxis<'a> {
    fn from(a: &'a AxisFile) -> Self {
        let mut paths = vec![RawPath {
            path: &a.path,
            values: a.values.as_deref(),
            range: [a.from.as_ref(), a.to.as_ref(), a.step.as_ref()],
        }];
        paths.extend(a.with.iter().map(|w| RawPath {
            path: &w.path,
            values: w.values.as_deref(),
            range: [w.from.as_ref(), w.to.as_ref(), w.step.as_ref()],
        }));
        RawAxis { name: a.name.as_ref(), labels: a.labels.as_ref(), paths }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(name: &str, body: &str) -> Result<Sweep, SweepError> {
        let dir = std::env::temp_dir().join(format!("copysim-sweepfile-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/quickstart.toml");
        let path = dir.join(format!("{name}.sweep.toml"));
        std::fs::write(&path, format!("base = {:?}\n{body}", base.display().to_string())).unwrap();
        load(&path)
    }

    #[test]
    fn ranges_step_through_durations_and_counts() {
        let s = sweep(
            "ranges",
            "[[axes]]\npath = \"schedules.db-hourly.every\"\nfrom = \"1h\"\nto = \"6h\"\nstep = \"90m\"\n\n\
             [[axes]]\npath = \"fleets.web.count\"\nfrom = 10\nto = 30\nstep = 10\n",
        )
        .unwrap();
        assert_eq!(s.name, "ranges");
        assert_eq!(s.axes[0].labels, ["1h", "150m", "4h", "330m"]);
        assert_eq!(s.axes[1].labels, ["10", "20", "30"]);
        assert_eq!((s.points.len(), s.replications, s.seed), (12, 1, 42));
        assert_eq!(s.points[5].labels, ["150m", "30"]);
    }

    #[test]
    fn two_axes_reaching_one_field_by_name_and_by_position_are_refused() {
        // `fleets.web.count` and `fleets.1.count` are one field: the later axis won silently,
        // and sweep.csv labelled the rows with the earlier axis's values.
        let e = sweep("same", "[[axes]]\npath = \"fleets.web.count\"\nvalues = [1, 2]\n\n[[axes]]\npath = \"fleets.1.count\"\nvalues = [3, 4]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(
                "same.sweep.toml:7:8: field `path`: `fleets.1.count` sets the same field as `fleets.web.count` (line 3)"
            ),
            "{e}"
        );
        assert!(e.contains("7 | path = \"fleets.1.count\""), "the caret is under the path: {e}");
        let e = sweep(
            "target",
            "[[axes]]\npath = \"schedules.web-6h.copy_to.us-west-2.retention_count\"\nvalues = [1]\n\
             [[axes.with]]\npath = '\"schedules\".web-6h.copy_to.0.retention_count'\nvalues = [2]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("sets the same field as `schedules.web-6h.copy_to.us-west-2.retention_count`"), "{e}");
        // Another fleet's count is another field.
        sweep(
            "other",
            "[[axes]]\npath = \"fleets.web.count\"\nvalues = [1]\n[[axes]]\npath = \"fleets.0.count\"\nvalues = [3]\n",
        )
        .unwrap();
    }

    #[test]
    fn a_point_invalid_only_in_combination_names_every_axis_value() {
        // Only the offset was blamed; the horizon that makes it wrong was not said.
        let dir = tempfile::tempdir().unwrap();
        let base = "name = \"b\"\nstart = \"2026-01-05T00:00:00Z\"\nhorizon = \"1d\"\n[[regions]]\nname = \"r\"\n\
                    provider = \"aws_ebs\"\n[[accounts]]\nname = \"a\"\n[[volumes]]\nname = \"v\"\naccount = \"a\"\n\
                    region = \"r\"\nsize = \"1GB\"\n[[schedules]]\nname = \"s\"\nvolumes = [\"v\"]\nevery = \"6h\"\n";
        std::fs::write(dir.path().join("base.toml"), base).unwrap();
        let path = dir.path().join("combo.sweep.toml");
        let axes = "base = \"base.toml\"\n[[axes]]\npath = \"horizon\"\nvalues = [\"1d\", \"1h\"]\n\
                    [[axes]]\npath = \"schedules.s.offset\"\nvalues = [\"0s\", \"2h\"]\n";
        std::fs::write(&path, axes).unwrap();
        let e = load(&path).unwrap_err().to_string();
        assert!(e.contains("combo.sweep.toml:7:17: axis `schedules.s.offset` = \"2h\""), "{e}");
        assert!(e.contains("  together with ") && e.contains("combo.sweep.toml:4:17: axis `horizon` = \"1h\""), "{e}");
    }

    #[test]
    fn one_mistake_of_an_axis_is_one_error() {
        // A path every value fails on gave one error per value ("axis `fleets.web` = \"1\": …"
        // and "= \"2\": …"): once, at the path.
        let e = sweep("path", "[[axes]]\npath = \"fleets.web\"\nvalues = [1, 2]\n").unwrap_err().to_string();
        assert_eq!(e.matches("names an item of `fleets`").count(), 1, "{e}");
        assert!(
            e.contains("path.sweep.toml:3:8: axis `fleets.web` (each of its values): `fleets.web` names an item"),
            "{e}"
        );
        // Values each wrong in their own way stay one error each.
        let e =
            sweep("vals", "[[axes]]\npath = \"fleets.web.count\"\nvalues = [\"a\", \"b\"]\n").unwrap_err().to_string();
        assert!(e.contains("= \"a\": field `count`") && e.contains("= \"b\": field `count`"), "{e}");
        // A label of the wrong type is a label's error, not also "0 labels for 2 values".
        let e = sweep("label", "[[axes]]\nlabels = [[1]]\npath = \"fleets.web.count\"\nvalues = [1, 2]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("label.sweep.toml:3:11: field `labels`: expected a string"), "{e}");
        assert!(!e.contains("labels for"), "{e}");
        // `values` one short of its labels and its `with`: the values are the odd one out.
        let e = sweep(
            "short",
            "[[axes]]\nlabels = [\"x\", \"y\"]\npath = \"fleets.web.count\"\nvalues = [1]\n[[axes.with]]\npath = \"fleets.db.count\"\nvalues = [1, 2]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("short.sweep.toml:5:11: field `values`: `fleets.web.count` has 1 value, but `fleets.db.count` has 2 and `labels` has 2"), "{e}");
        assert!(!e.contains("labels for") && !e.contains("but its axis has"), "{e}");
    }

    #[test]
    fn mistakes_in_the_sweep_file_have_positions() {
        let e = sweep("zero", "replications = 0\n").unwrap_err().to_string();
        assert!(e.contains("zero.sweep.toml:2:16: field `replications`: expected at least 1"), "{e}");
        assert!(e.contains("2 | replications = 0\n  |                ^"), "the source line is drawn with a caret: {e}");
        let e = sweep("both", "[[axes]]\npath = \"horizon\"\nvalues = [\"8d\"]\nfrom = 1\n").unwrap_err().to_string();
        assert!(e.contains("both.sweep.toml:3:8: field `axes`: give either"), "{e}");
        let e = sweep("seed", "[[axes]]\npath = \"seed\"\nvalues = [1]\n").unwrap_err().to_string();
        assert!(e.contains("use `replications` instead"), "{e}");
        let e = sweep("with", "[[axes]]\npath = \"fleets.web.count\"\nvalues = [1, 2]\n[[axes.with]]\npath = \"fleets.db.count\"\nvalues = [1]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`fleets.db.count` has 1 values, but its axis has 2"), "{e}");
        // A downward range is not "another kind" (it once said so).
        let e = sweep("down", "[[axes]]\npath = \"fleets.web.count\"\nfrom = 10\nto = 1\nstep = -1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("down.sweep.toml:6:8: field `step`: expected a count of 0 or more, found -1"), "{e}");
        assert!(e.contains("list the values: `values = [10, 9, 8]`"), "{e}");
    }
}
