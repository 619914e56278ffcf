//! `compare`: two output folders (two runs, or two sweeps) metric by metric, with the
//! difference (B − A) and the ratio (B / A).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::metrics::{self, format};

/// One compared figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// For sweeps: the point, as `axis=value, ...`; empty for runs.
    pub point: String,
    /// Metric name.
    pub metric: String,
    /// Value in A (the mean over replications for sweeps).
    pub a: Option<f64>,
    /// Value in B.
    pub b: Option<f64>,
    /// B − A.
    pub difference: Option<f64>,
    /// B / A (none when A is 0).
    pub ratio: Option<f64>,
}

/// What a folder holds, as far as comparing goes.
#[derive(Clone, Debug, PartialEq)]
enum Figures {
    Run(Vec<(String, f64)>),
    Sweep(Vec<((String, String), f64)>),
}

/// The largest `summary.json` or `points.csv` read: copysim writes them in kilobytes to a few
/// megabytes (a sweep of thousands of points); anything far larger is not one of its files, and
/// reading it whole would exhaust memory.
const MAX_FILE_BYTES: u64 = 256 << 20;

/// `path`'s bytes, or `Err` when it is not a regular file (never opened then, see
/// [`open_regular`](crate::scenario::source::open_regular)) or is larger than [`MAX_FILE_BYTES`]
/// (read at most that far).
pub(super) fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    // Not opened unless a regular file: a FIFO with no writer blocked `open` forever.
    let file = crate::scenario::source::open_regular(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => format!("{}: not a copysim file: {e}", path.display()),
        _ => format!("{}: {e}", path.display()),
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "{}: more than the {} MiB copysim ever writes there: not a copysim file",
            path.display(),
            MAX_FILE_BYTES >> 20
        ));
    }
    Ok(bytes)
}

fn read(dir: &Path) -> Result<Figures, String> {
    // A file given for a folder is named as such: `/dev/null` read "neither a run nor a sweep
    // folder", as if it were a folder of other files.
    let takes = "compare takes two run folders (with summary.json) or two sweep folders (with points.csv)";
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("{}: no such folder; {takes}", dir.display()));
        }
        Err(e) => return Err(format!("{}: {e}", dir.display())),
        Ok(meta) if !meta.is_dir() => {
            let kind = meta.file_type();
            let what = if kind.is_file() { "a file" } else { crate::scenario::source::file_kind(&kind) };
            return Err(format!("{}: not a folder, it is {what}; {takes}", dir.display()));
        }
        Ok(_) => {}
    }
    let summary = dir.join("summary.json");
    if summary.is_file() {
        let bytes = read_bounded(&summary)?;
        let json: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a copysim summary: {e}", summary.display()))?;
        // A summary names the copysim that wrote it and its scenario; anything else would read as zeros.
        if !(json.get("copysim_version").is_some_and(serde_json::Value::is_string) && json.get("scenario").is_some()) {
            return Err(format!("{}: not a copysim summary (no `copysim_version` and `scenario`)", summary.display()));
        }
        return Ok(Figures::Run(metrics::from_json(&json)));
    }
    let points = dir.join("points.csv");
    if !points.is_file() {
        return Err(format!("{}: neither a run (summary.json) nor a sweep (points.csv) folder", dir.display()));
    }
    let bytes = read_bounded(&points)?;
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header = r.headers().map_err(|e| format!("{}: {e}", points.display()))?.clone();
    let metric_col =
        header.iter().position(|h| h == "metric").ok_or(format!("{}: no `metric` column", points.display()))?;
    let mean_col = header.iter().position(|h| h == "mean").ok_or(format!("{}: no `mean` column", points.display()))?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", points.display()))?;
        let point: Vec<String> = (1..metric_col).map(|i| format!("{}={}", &header[i], &rec[i])).collect();
        let mean: f64 =
            rec[mean_col].parse().map_err(|_| format!("{}: bad mean {:?}", points.display(), &rec[mean_col]))?;
        out.push(((point.join(", "), rec[metric_col].to_string()), mean));
    }
    Ok(Figures::Sweep(out))
}

/// The time a run's figures cover, as its summary says: its window (`[report] measure_from` /
/// `measure_to`) or the whole run; `None` for a sweep or an unreadable summary.
fn measured(dir: &Path) -> Option<String> {
    let json: serde_json::Value = serde_json::from_slice(&read_bounded(&dir.join("summary.json")).ok()?).ok()?;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("?").to_string();
    Some(match json.get("window").filter(|w| w.is_object()) {
        Some(w) => format!("{} → {} (window)", text(&w["from"]), text(&w["to"])),
        None => format!("{} → {} (whole run)", text(&json["start"]), text(&json["end"])),
    })
}

/// A line saying that two runs measure different times, when they do: totals (bytes, copies)
/// and maxima over a 28-day run and over its last 14 days are not one figure in two plans.
pub fn measured_note(a: &Path, b: &Path) -> Option<String> {
    let (x, y) = (measured(a)?, measured(b)?);
    (x != y).then(|| {
        format!("A measures {x}, B {y}: counts, totals and maxima cover different times and do not compare one to one")
    })
}

fn row(point: String, metric: String, a: Option<f64>, b: Option<f64>) -> Row {
    let difference = a.zip(b).map(|(a, b)| b - a);
    let ratio = a.zip(b).and_then(|(a, b)| (a != 0.0).then(|| b / a));
    Row { point, metric, a, b, difference, ratio }
}

/// Compares folder `a` with folder `b`.
pub fn compare(a: &Path, b: &Path) -> Result<Vec<Row>, String> {
    match (read(a)?, read(b)?) {
        (Figures::Run(x), Figures::Run(y)) => {
            let names = metrics::columns([&x, &y]);
            let get = |m: &[(String, f64)], n: &str| m.iter().find(|(k, _)| k == n).map(|p| p.1);
            Ok(names.into_iter().map(|n| row(String::new(), n.clone(), get(&x, &n), get(&y, &n))).collect())
        }
        (Figures::Sweep(x), Figures::Sweep(y)) => {
            let mut keys: Vec<(String, String)> = x.iter().map(|p| p.0.clone()).collect();
            keys.extend(y.iter().map(|p| p.0.clone()).filter(|k| !x.iter().any(|p| &p.0 == k)));
            let (x, y): (BTreeMap<_, _>, BTreeMap<_, _>) = (x.into_iter().collect(), y.into_iter().collect());
            Ok(keys
                .into_iter()
                .map(|k| row(k.0.clone(), k.1.clone(), x.get(&k).copied(), y.get(&k).copied()))
                .collect())
        }
        _ => Err(format!("{} and {} are not of one kind: compare two runs or two sweeps", a.display(), b.display())),
    }
}

/// How many sweep points are in both folders, only in A, only in B (runs: all zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Points with figures in both.
    pub both: usize,
    /// Points only A has.
    pub only_a: usize,
    /// Points only B has.
    pub only_b: usize,
}

/// The sweep points `rows` cover, by which folder has them.
pub fn coverage(rows: &[Row]) -> Coverage {
    let mut sides: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for r in rows.iter().filter(|r| !r.point.is_empty()) {
        let e = sides.entry(&r.point).or_default();
        e.0 |= r.a.is_some();
        e.1 |= r.b.is_some();
    }
    let mut c = Coverage::default();
    for (a, b) in sides.into_values() {
        match (a, b) {
            (true, true) => c.both += 1,
            (true, false) => c.only_a += 1,
            (false, true) => c.only_b += 1,
            (false, false) => {}
        }
    }
    c
}

/// One line on which points the sweeps share, if they do not share all (none for runs).
fn coverage_note(c: Coverage) -> Option<String> {
    if c.only_a == 0 && c.only_b == 0 {
        return None;
    }
    if c.both == 0 {
        return Some(format!(
            "A and B share no point ({} only in A, {} only in B): their axes or values differ, so no figure is compared side by side",
            c.only_a, c.only_b
        ));
    }
    Some(format!(
        "points: {} in both, {} only in A, {} only in B (\"-\": not in that sweep)",
        c.both, c.only_a, c.only_b
    ))
}

/// The rows as an aligned text table.
pub fn text(rows: &[Row], a: &str, b: &str) -> String {
    let cell = |m: &str, v: Option<f64>| v.map_or("-".to_string(), |v| format(m, v));
    let mut table: Vec<[String; 6]> = vec![["point", "metric", "A", "B", "B - A", "B / A"].map(str::to_string)];
    for r in rows {
        table.push([
            r.point.clone(),
            r.metric.clone(),
            cell(&r.metric, r.a),
            cell(&r.metric, r.b),
            cell(&r.metric, r.difference),
            r.ratio.map_or("-".to_string(), |v| format!("{v:.4}")),
        ]);
    }
    let skip_point = rows.iter().all(|r| r.point.is_empty());
    let widths: Vec<usize> = (0..6).map(|c| table.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = format!("A: {a}\nB: {b}\n");
    for r in &table {
        let cells: Vec<String> = (0..6)
            .filter(|&c| !(skip_point && c == 0))
            .map(
                |c| if c < 2 { format!("{:<w$}", r[c], w = widths[c]) } else { format!("{:>w$}", r[c], w = widths[c]) },
            )
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    if let Some(note) = coverage_note(coverage(rows)) {
        let _ = writeln!(out, "{note}");
    }
    out
}

/// The rows as JSON.
pub fn json(rows: &[Row], a: &str, b: &str) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        a: &'a str,
        b: &'a str,
        /// Sweeps: the points in both, only in A, only in B.
        #[serde(skip_serializing_if = "Option::is_none")]
        points: Option<Coverage>,
        rows: &'a [Row],
    }
    let points = rows.iter().any(|r| !r.point.is_empty()).then(|| coverage(rows));
    let mut s = serde_json::to_string_pretty(&Doc { a, b, points, rows }).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(dir: &Path, rows: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("points.csv"), format!("point,slots,metric,mean\n{rows}")).unwrap();
    }

    #[test]
    fn runs_measuring_different_times_say_so() {
        let d = tempfile::tempdir().unwrap();
        let run = |name: &str, window: &str| {
            let dir = d.path().join(name);
            std::fs::create_dir_all(&dir).unwrap();
            let summary = format!(
                r#"{{"copysim_version": "0", "scenario": "s", "start": "2026-01-01T00:00:00.000Z", "end": "2026-01-29T00:00:00.000Z"{window}}}"#
            );
            std::fs::write(dir.join("summary.json"), summary).unwrap();
            dir
        };
        let whole = run("whole", "");
        let late = run("late", r#", "window": {"from": "2026-01-15T00:00:00.000Z", "to": "2026-01-29T00:00:00.000Z"}"#);
        let note = measured_note(&whole, &late).expect("a note");
        assert!(
            note.starts_with(
                "A measures 2026-01-01T00:00:00.000Z → 2026-01-29T00:00:00.000Z (whole run), B 2026-01-15T00:00:00.000Z"
            ),
            "{note}"
        );
        assert_eq!(measured_note(&whole, &whole), None);
    }

    #[test]
    fn sweeps_that_share_no_point_say_so() {
        let d = tempfile::tempdir().unwrap();
        sweep(&d.path().join("a"), "0,10,bytes_copied,5\n1,20,bytes_copied,6\n");
        sweep(&d.path().join("b"), "0,30,bytes_copied,7\n");
        let rows = compare(&d.path().join("a"), &d.path().join("b")).unwrap();
        assert_eq!(coverage(&rows), Coverage { both: 0, only_a: 2, only_b: 1 });
        let t = text(&rows, "a", "b");
        assert!(t.contains("A and B share no point (2 only in A, 1 only in B)"), "{t}");
        let j: serde_json::Value = serde_json::from_str(&json(&rows, "a", "b")).unwrap();
        assert_eq!(j["points"]["both"], 0);
    }

    #[test]
    fn sweeps_that_share_some_points_count_them() {
        let d = tempfile::tempdir().unwrap();
        sweep(&d.path().join("a"), "0,10,bytes_copied,5\n1,20,bytes_copied,6\n");
        sweep(&d.path().join("b"), "0,20,bytes_copied,7\n1,30,bytes_copied,8\n");
        let rows = compare(&d.path().join("a"), &d.path().join("b")).unwrap();
        assert_eq!(coverage(&rows), Coverage { both: 1, only_a: 1, only_b: 1 });
        assert!(text(&rows, "a", "b").contains("points: 1 in both, 1 only in A, 1 only in B"));
        // The same sweep twice: every point in both, no note.
        let same = compare(&d.path().join("a"), &d.path().join("a")).unwrap();
        assert!(!text(&same, "a", "a").contains("points:"));
    }
}
