//! What charts read: the report files of one run, from memory or from an output folder.

use std::collections::BTreeMap;
use std::path::Path;

use super::ChartError;

/// A CSV row by column name.
pub type Row = BTreeMap<String, String>;

/// The report files charts are drawn from. The per-copy and per-sample files, which grow with
/// the fleet and the horizon, are read row by row into what the charts need (a few dozen bytes a
/// copy, 16 a sample), not kept as text: a month of 1,000 volumes charts in tens of megabytes.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// `summary.json`.
    pub summary: serde_json::Value,
    /// `copies.csv`, as much of each row as the charts read.
    pub copies: Vec<CopyRow>,
    /// The distinct `(provider, account, source_region, dest_region)` of `copies`.
    pub copy_routes: Vec<[String; 4]>,
    /// The distinct `(kind, reason)` of `copies`.
    pub kind_reasons: Vec<(String, String)>,
    /// `rpo.csv`: `(at, rpo_s)` per sample, in file order.
    pub rpo: Vec<(i64, f64)>,
    /// `cost.csv`, when the run had costs.
    pub cost: Vec<Row>,
    /// `restore.csv`.
    pub restore: Vec<Row>,
    /// `actions.csv`, when the run wrote it (`--detail full`): the timed events, for the page.
    pub actions: Vec<Row>,
}

/// What the charts read of one `copies.csv` row; times in Unix milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CopyRow {
    /// `requested_at`.
    pub requested_ms: Option<i64>,
    /// `started_at`.
    pub started_ms: Option<i64>,
    /// `finished_at`.
    pub finished_ms: Option<i64>,
    /// Index into [`Inputs::copy_routes`].
    pub route: u32,
    /// Index into [`Inputs::kind_reasons`].
    pub kind_reason: u32,
    /// `kind` is `share`.
    pub share: bool,
    /// `trigger` is `warm` (a copy the run began with).
    pub warm: bool,
    /// `error` is not empty.
    pub failed: bool,
}

fn ms(ts: &str) -> Option<i64> {
    ts.parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond())
}

/// The index of the entry of `list` that `matches`, made by `make` and added if there is none
/// (the lists hold a handful of distinct values; a row's text is copied only for a new one).
pub(super) fn intern<T>(list: &mut Vec<T>, matches: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> u32 {
    let i = list.iter().position(matches).unwrap_or_else(|| {
        list.push(make());
        list.len() - 1
    });
    i as u32
}

fn column(headers: &csv::StringRecord, name: &str, file: &str) -> Result<usize, ChartError> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| ChartError::Input(format!("{file}: no `{name}` column: is this a copysim output folder?")))
}

impl Inputs {
    /// Reads `copies.csv` row by row into [`CopyRow`]s.
    fn read_copies(&mut self, source: impl std::io::Read) -> Result<(), ChartError> {
        const FILE: &str = "copies.csv";
        let err = |e: csv::Error| ChartError::Input(format!("{FILE}: {e}"));
        let mut r = csv::Reader::from_reader(source);
        let h = r.headers().map_err(err)?.clone();
        let col = |n: &str| column(&h, n, FILE);
        let (req, start, fin) = (col("requested_at")?, col("started_at")?, col("finished_at")?);
        let (provider, account, from, to) =
            (col("provider")?, col("account")?, col("source_region")?, col("dest_region")?);
        let (kind, reason, trigger, error) = (col("kind")?, col("reason")?, col("trigger")?, col("error")?);
        let mut rec = csv::StringRecord::new();
        while r.read_record(&mut rec).map_err(err)? {
            let f = |i: usize| rec.get(i).unwrap_or("");
            let fields = [f(provider), f(account), f(from), f(to)];
            let route = intern(
                &mut self.copy_routes,
                |x| x.iter().zip(fields).all(|(a, b)| a == b),
                || fields.map(str::to_string),
            );
            let kind_reason = intern(
                &mut self.kind_reasons,
                |(k, r)| k == f(kind) && r == f(reason),
                || (f(kind).to_string(), f(reason).to_string()),
            );
            self.copies.push(CopyRow {
                requested_ms: ms(f(req)),
                started_ms: ms(f(start)),
                finished_ms: ms(f(fin)),
                route,
                kind_reason,
                share: f(kind) == "share",
                warm: f(trigger) == "warm",
                failed: !f(error).is_empty(),
            });
        }
        Ok(())
    }

    /// Reads `rpo.csv` row by row into `(at, rpo_s)` samples.
    fn read_rpo(&mut self, source: impl std::io::Read) -> Result<(), ChartError> {
        const FILE: &str = "rpo.csv";
        let err = |e: csv::Error| ChartError::Input(format!("{FILE}: {e}"));
        let mut r = csv::Reader::from_reader(source);
        let h = r.headers().map_err(err)?.clone();
        let (at, rpo) = (column(&h, "at", FILE)?, column(&h, "rpo_s", FILE)?);
        let mut rec = csv::StringRecord::new();
        while r.read_record(&mut rec).map_err(err)? {
            if let (Some(t), Some(v)) = (rec.get(at).and_then(ms), rec.get(rpo).and_then(|v| v.parse::<f64>().ok())) {
                self.rpo.push((t, v));
            }
        }
        Ok(())
    }
}

/// The rows of `dir/name`, or none when the file is not there.
pub fn optional_rows(dir: &Path, name: &str) -> Result<Vec<Row>, ChartError> {
    match std::fs::read(dir.join(name)) {
        Ok(b) => rows(name, &b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(ChartError::Input(format!("{}: {e}", dir.join(name).display()))),
    }
}

fn rows(name: &str, bytes: &[u8]) -> Result<Vec<Row>, ChartError> {
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.headers().map_err(|e| ChartError::Input(format!("{name}: {e}")))?.clone();
    r.records()
        .map(|rec| {
            let rec = rec.map_err(|e| ChartError::Input(format!("{name}: {e}")))?;
            Ok(headers.iter().zip(rec.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        })
        .collect()
}

impl Inputs {
    /// From `(file name, bytes)` pairs as a run renders them.
    pub fn from_files(files: &[(String, Vec<u8>)]) -> Result<Self, ChartError> {
        let get = |n: &str| files.iter().find(|(f, _)| f == n).map(|(_, b)| b.as_slice());
        let need = |n: &str| {
            get(n).ok_or_else(|| ChartError::Input(format!("{n} is missing: is this a copysim output folder?")))
        };
        let summary = serde_json::from_slice(need("summary.json")?)
            .map_err(|e| ChartError::Input(format!("summary.json: {e}")))?;
        let mut inputs = Inputs { summary, ..Inputs::default() };
        inputs.read_copies(need("copies.csv")?)?;
        inputs.read_rpo(need("rpo.csv")?)?;
        inputs.cost = get("cost.csv").map_or(Ok(Vec::new()), |b| rows("cost.csv", b))?;
        inputs.restore = rows("restore.csv", need("restore.csv")?)?;
        inputs.actions = get("actions.csv").map_or(Ok(Vec::new()), |b| rows("actions.csv", b))?;
        Ok(inputs)
    }

    /// From an output folder, reading the large files as they stream; every error names the
    /// folder (or the file in it), once.
    pub fn from_dir(dir: &Path) -> Result<Self, ChartError> {
        // Folders copysim writes that hold no run rows: say which, and what to run instead.
        let here = |n: &str| dir.join(n).is_file();
        if here("points.csv") && !here("summary.json") {
            return Err(ChartError::Input(format!(
                "{}: a sweep's folder; `chart` draws one run's rows (the sweep's own chart-*.png and report.html chart its metrics)",
                dir.display()
            )));
        }
        if here("summary.json") && !here("copies.csv") && here("rpo_fleet.csv") {
            return Err(ChartError::Input(format!(
                "{}: a `--detail summary` run, without the per-copy rows charts are drawn from; run it with \
                 `--detail full` (the default)",
                dir.display()
            )));
        }
        let in_dir = |e: ChartError| ChartError::Input(format!("{}: {e}", dir.display()));
        let open = |name: &str| -> Result<Option<std::io::BufReader<std::fs::File>>, ChartError> {
            match std::fs::File::open(dir.join(name)) {
                Ok(f) => Ok(Some(std::io::BufReader::with_capacity(1 << 16, f))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(ChartError::Input(format!("{}: {e}", dir.join(name).display()))),
            }
        };
        let missing = |n: &str| in_dir(ChartError::Input(format!("{n} is missing: is this a copysim output folder?")));
        let summary = match std::fs::read(dir.join("summary.json")) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing("summary.json")),
            Err(e) => return Err(ChartError::Input(format!("{}: {e}", dir.join("summary.json").display()))),
        };
        let summary =
            serde_json::from_slice(&summary).map_err(|e| in_dir(ChartError::Input(format!("summary.json: {e}"))))?;
        let mut inputs = Inputs { summary, ..Inputs::default() };
        inputs.read_copies(open("copies.csv")?.ok_or_else(|| missing("copies.csv"))?).map_err(in_dir)?;
        inputs.read_rpo(open("rpo.csv")?.ok_or_else(|| missing("rpo.csv"))?).map_err(in_dir)?;
        inputs.cost = optional_rows(dir, "cost.csv").map_err(in_dir)?;
        if !here("restore.csv") {
            return Err(missing("restore.csv"));
        }
        inputs.restore = optional_rows(dir, "restore.csv").map_err(in_dir)?;
        inputs.actions = optional_rows(dir, "actions.csv").map_err(in_dir)?;
        Ok(inputs)
    }
}
