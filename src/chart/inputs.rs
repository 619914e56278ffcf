//! What charts read: the report files of one run, from memory or from an output folder.

use std::collections::BTreeMap;
use std::path::Path;

use super::ChartError;

/// A CSV row by column name.
pub type Row = BTreeMap<String, String>;

/// The report files charts are drawn from.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// `summary.json`.
    pub summary: serde_json::Value,
    /// `copies.csv`.
    pub copies: Vec<Row>,
    /// `rpo.csv`.
    pub rpo: Vec<Row>,
    /// `cost.csv`, when the run had costs.
    pub cost: Vec<Row>,
    /// `restore.csv`.
    pub restore: Vec<Row>,
    /// `actions.csv`, when the run wrote it (`--detail full`): the timed events, for the page.
    pub actions: Vec<Row>,
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
        Ok(Inputs {
            summary,
            copies: rows("copies.csv", need("copies.csv")?)?,
            rpo: rows("rpo.csv", need("rpo.csv")?)?,
            cost: match get("cost.csv") {
                Some(b) => rows("cost.csv", b)?,
                None => Vec::new(),
            },
            restore: rows("restore.csv", need("restore.csv")?)?,
            actions: match get("actions.csv") {
                Some(b) => rows("actions.csv", b)?,
                None => Vec::new(),
            },
        })
    }

    /// From an output folder; every error names the folder (or the file in it), once.
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
        let mut files = Vec::new();
        for name in ["summary.json", "copies.csv", "rpo.csv", "cost.csv", "restore.csv", "actions.csv"] {
            match std::fs::read(dir.join(name)) {
                Ok(b) => files.push((name.to_string(), b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(ChartError::Input(format!("{}: {e}", dir.join(name).display()))),
            }
        }
        Self::from_files(&files).map_err(|e| ChartError::Input(format!("{}: {e}", dir.display())))
    }
}
