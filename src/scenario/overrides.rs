//! `--set PATH=VALUE` overrides: edit the scenario's TOML text (keeping the user's layout) before
//! the normal parse and validation, then point any mistake in an overridden value back at the
//! `--set` argument that made it.
//!
//! A path walks the file's tables; a list of named items (`fleets`, `schedules`, `regions`,
//! `policies.<p>.plans`, ...) is entered by the item's name: `fleets.web.count`,
//! `policies.daily.plans.nightly.cron`. Links are named `FROM->TO` (`links.us-east-1->us-west-2.bandwidth`),
//! copy targets by their region, prices by their provider, and any list item by its 0-based
//! position (`events.0.at`). A segment may be double-quoted when a name holds a dot
//! (`volumes."db.1".size`). The value is written with the type the field has in the file
//! (a string for units like `4h` or `2TB`), so every value gets the same checks and units as the file.

use std::ops::Range;
use std::path::Path;

use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

use super::{InputError, Scenario, ScenarioError};

/// Fields whose TOML type is not a string, for paths the file does not spell out yet.
const NON_STRING_FIELDS: [&str; 26] = [
    "seed",
    "max_events",
    "copy_concurrency",
    "restore_concurrency",
    "count",
    "retention_days",
    "retention_count",
    "generation",
    "zones",
    "seq",
    "storage_per_gb_month",
    "transfer_per_gb",
    "fast_restore_per_zone_hour",
    "per_gb",
    "opt_in",
    "cross_region_copy",
    "bidirectional",
    "customer_managed",
    "boot",
    "enabled",
    "warm_start",
    "retention_waits_for_copies",
    "public",
    "include_boot",
    "regional",
    "encryption_by_default",
];

/// Lists (of tables, names or tags), for paths the file does not spell out yet: a value given
/// for one is never made a string (`--set fleets=5` found an integer, not the string "5").
const LIST_FIELDS: [&str; 20] = [
    "regions",
    "links",
    "accounts",
    "keys",
    "volumes",
    "fleets",
    "instances",
    "schedules",
    "policies",
    "events",
    "fast_restore",
    "plans",
    "copy_to",
    "vaults",
    "statements",
    "grants",
    "tags",
    "share_with",
    "prices",
    "transfer",
];

/// One override: where it came from (for messages), the path's segments and the value's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// How the user wrote it, for messages: `--set fleets.web.count=400`, or a sweep file position.
    pub origin: String,
    /// The path, split into segments (quotes removed).
    pub path: Vec<String>,
    /// The value's text, as typed.
    pub value: String,
}

/// A mistake in one override's value or path, found by validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetError {
    /// The override as the user wrote it.
    pub origin: String,
    /// The field at fault.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl std::fmt::Display for SetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.origin, self.message)
        } else {
            write!(f, "{}: field `{}`: {}", self.origin, self.field, self.message)
        }
    }
}

/// Why a scenario with overrides could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum OverrideError {
    /// The scenario file itself could not be read or parsed.
    #[error("{0}")]
    Scenario(ScenarioError),
    /// An override's path or value is wrong (listed first), possibly with other mistakes in the file.
    #[error("{}", render(.set, .others))]
    Invalid {
        /// Mistakes traced to an override.
        set: Vec<SetError>,
        /// Mistakes elsewhere in the file, checked with the overrides applied.
        others: Vec<InputError>,
        /// The source line of each of `others` (with a caret), as it reads with the overrides
        /// applied; only for those among the file's first [`RENDERED_ERRORS_MAX`](super::RENDERED_ERRORS_MAX) mistakes.
        snippets: Vec<String>,
    },
}

fn render(set: &[SetError], others: &[InputError]) -> String {
    let mut lines: Vec<String> = set.iter().map(ToString::to_string).collect();
    lines.extend(others.iter().map(ToString::to_string));
    lines.join("\n")
}

impl OverrideError {
    /// The error as the CLI prints it: a file's mistakes with their source lines and carets.
    pub fn render(&self) -> String {
        match self {
            OverrideError::Scenario(e) => e.render(),
            OverrideError::Invalid { set, others, snippets } => {
                // Like a file's mistakes, at most RENDERED_ERRORS_MAX are printed (the overrides'
                // first); the snippets cover the others among them. Each mistake after the first
                // reads `error: …`, as the first does once the CLI prints it.
                let max = super::RENDERED_ERRORS_MAX;
                let head = |n: usize, e: String| if n == 0 { e } else { format!("error: {e}") };
                let mut lines: Vec<String> =
                    set.iter().take(max).enumerate().map(|(n, e)| head(n, e.to_string())).collect();
                for (i, e) in others.iter().enumerate().take(max.saturating_sub(set.len())) {
                    lines.push(head(set.len() + i, e.to_string()));
                    if let Some(s) = snippets.get(i).map(|s| s.trim_end()).filter(|s| !s.is_empty()) {
                        lines.push(s.to_string());
                    }
                }
                let total = set.len() + others.len();
                if total > max {
                    lines.push(format!("… and {} more mistakes", total - max));
                }
                lines.join("\n")
            }
        }
    }

    fn set(origin: &str, message: impl Into<String>) -> OverrideError {
        OverrideError::Invalid {
            set: vec![SetError { origin: origin.to_string(), field: String::new(), message: message.into() }],
            others: Vec::new(),
            snippets: Vec::new(),
        }
    }
}

/// Parses a `--set` argument `PATH=VALUE`.
pub fn parse_arg(arg: &str) -> Result<Override, OverrideError> {
    let origin = format!("--set {}", shown_arg(arg));
    let Some((path, value)) = split_outside_quotes(arg, '=').map(|(p, v)| (p.trim(), v)) else {
        let hint = if arg.ends_with('-') {
            " (a link path was cut at `->`: the shell read `>` as a redirection; quote it, e.g. --set 'links.a->b.bandwidth=1Gbps')"
        } else {
            ""
        };
        return Err(OverrideError::set(&origin, format!("expected PATH=VALUE, e.g. --set fleets.web.count=400{hint}")));
    };
    let path = split_path(path).map_err(|m| OverrideError::set(&origin, m))?;
    Ok(Override { origin, path, value: value.trim().to_string() })
}

/// The longest `--set` argument shown whole in a message (in characters).
const ARG_SHOWN_MAX: usize = 120;

/// A `--set` argument as messages show it: on one line (line breaks written `\n`), and cut to
/// [`ARG_SHOWN_MAX`] characters followed by `…` (a 10 KB argument made a 20 KB message).
fn shown_arg(arg: &str) -> String {
    let mut out = String::new();
    for (i, c) in arg.chars().enumerate() {
        if i == ARG_SHOWN_MAX {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn split_outside_quotes(s: &str, sep: char) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c == sep && !quoted => return Some((&s[..i], &s[i + c.len_utf8()..])),
            _ => {}
        }
    }
    None
}

/// Splits `a.b."c.d".e` into segments.
pub fn split_path(path: &str) -> Result<Vec<String>, String> {
    let mut segments = Vec::new();
    let mut rest = path;
    loop {
        let (segment, tail) = if let Some(q) = rest.strip_prefix('"') {
            let end = q.find('"').ok_or_else(|| format!("unclosed quote in the path `{path}`"))?;
            let tail = &q[end + 1..];
            if !(tail.is_empty() || tail.starts_with('.')) {
                return Err(format!("expected `.` after the quoted name in the path `{path}`"));
            }
            (&q[..end], tail)
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        if segment.is_empty() {
            return Err(format!("empty segment in the path `{path}` (expected names separated by dots)"));
        }
        segments.push(segment.to_string());
        match tail.strip_prefix('.') {
            Some(t) => rest = t,
            None => return Ok(segments),
        }
    }
}

/// One step from a table: a key, or a position in the list just entered.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The scenario text with the overrides applied, and the path each override took.
#[derive(Clone, Debug)]
pub struct Edited {
    /// The edited TOML text.
    pub text: String,
    /// Per override (same order), the keys and positions its path resolved to.
    steps: Vec<Vec<Step>>,
}

impl Edited {
    /// Per override (same order), the byte range of its key and value in `text`. It reads the
    /// text again, so it is asked only when the edited text has mistakes to place.
    pub fn spans(&self) -> Vec<Option<Range<usize>>> {
        match toml_edit::Document::parse(self.text.as_str()) {
            Ok(parsed) => self.steps.iter().map(|s| span_of(parsed.as_table(), s)).collect(),
            Err(_) => vec![None; self.steps.len()],
        }
    }
}

/// Applies `overrides` in order to scenario `text`.
pub fn apply(text: &str, overrides: &[Override]) -> Result<Edited, OverrideError> {
    let mut doc: DocumentMut = match text.parse() {
        Ok(d) => d,
        Err(_) => return Err(OverrideError::Scenario(syntax_error(text))),
    };
    let mut all_steps = Vec::new();
    for o in overrides {
        let steps = resolve(doc.as_table(), &o.path).map_err(|m| OverrideError::set(&o.origin, m))?;
        let item = follow(doc.as_table(), &steps);
        let existing = item.and_then(Item::as_value).cloned();
        // A table or list of tables (`fleets`, `regions`) is never a string: `--set fleets=5`
        // is told it found an integer, not the string "5".
        let structured = item.is_some_and(|i| !i.is_value());
        let field = o.path.last().map_or("", String::as_str);
        if let Some(m) = too_large(existing.as_ref(), field, &o.value) {
            return Err(OverrideError::set(&o.origin, m));
        }
        let value = typed(existing.as_ref(), structured, field, &o.value);
        set(doc.as_table_mut(), &steps, value).map_err(|m| OverrideError::set(&o.origin, m))?;
        all_steps.push(steps);
    }
    Ok(Edited { text: doc.to_string(), steps: all_steps })
}

fn syntax_error(text: &str) -> ScenarioError {
    match super::parse(text, "<scenario>") {
        Err(e) => e,
        Ok(_) => ScenarioError::Invalid { errors: Vec::new(), snippets: Vec::new() },
    }
}

fn is_list(item: &Item) -> bool {
    item.is_array_of_tables() || item.as_array().is_some_and(|a| a.iter().any(Value::is_inline_table))
}

fn element(item: &Item, n: usize) -> Option<&dyn TableLike> {
    if let Some(a) = item.as_array_of_tables() {
        return a.get(n).map(|t| t as &dyn TableLike);
    }
    item.as_array()?.get(n)?.as_inline_table().map(|t| t as &dyn TableLike)
}

fn element_mut(item: &mut Item, n: usize) -> Option<&mut dyn TableLike> {
    if item.is_array_of_tables() {
        return item.as_array_of_tables_mut()?.get_mut(n).map(|t| t as &mut dyn TableLike);
    }
    item.as_array_mut()?.get_mut(n)?.as_inline_table_mut().map(|t| t as &mut dyn TableLike)
}

fn str_of<'a>(t: &'a dyn TableLike, key: &str) -> Option<&'a str> {
    t.get(key).and_then(Item::as_str)
}

/// What an item of a list is called: its name, `FROM->TO` for links, its region or provider.
fn item_name(t: &dyn TableLike) -> Option<String> {
    if let Some(n) = str_of(t, "name") {
        return Some(n.to_string());
    }
    if let (Some(from), Some(to)) = (str_of(t, "from"), str_of(t, "to")) {
        return Some(format!("{from}->{to}"));
    }
    str_of(t, "region").or_else(|| str_of(t, "provider")).map(str::to_string)
}

/// Lists whose items have no name (an event's `region` or `from`/`to` say what it acts on, not
/// which event it is): their items are entered by position only.
const UNNAMED: [&str; 1] = ["events"];

/// The position of the item `selector` names in `list` (the list `key`, at path `what`).
fn select(list: &Item, selector: &str, key: &str, what: &str) -> Result<usize, String> {
    let named = !UNNAMED.contains(&key);
    let mut names = Vec::new();
    let mut n = 0;
    while let Some(t) = element(list, n) {
        let name = if named { item_name(t) } else { None };
        if name.as_deref() == Some(selector) {
            return Ok(n);
        }
        // Items named by a region or provider need not be unique (events, prices): each name once.
        names.extend(name.filter(|x| !names.contains(x)));
        n += 1;
    }
    if let Ok(i) = selector.parse::<usize>()
        && i < n
    {
        return Ok(i);
    }
    if !named {
        return Err(match n {
            0 => format!("no item `{selector}` in `{what}`: it is empty"),
            _ => format!(
                "no item `{selector}` in `{what}`: its items have no names; give an item's 0-based position \
                 in the file, 0 to {} (e.g. `{what}.0.at`)",
                n - 1
            ),
        });
    }
    // An index always works, whatever the names.
    let index = if n == 0 { "it is empty".to_string() } else { format!("or an index 0 to {}", n - 1) };
    let known = if names.is_empty() {
        format!("{n} unnamed items: {index}")
    } else {
        format!("known: {}; {index}", names.join(", "))
    };
    Err(format!("no item named `{selector}` in `{what}` ({known})"))
}

/// Turns the path's names into keys and positions, checking every list item it names exists.
fn resolve(root: &dyn TableLike, segments: &[String]) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut table = Some(root);
    let mut i = 0;
    let shown = segments.join(".");
    while i < segments.len() {
        let seg = &segments[i];
        steps.push(Step::Key(seg.clone()));
        if i + 1 == segments.len() {
            break;
        }
        match table.and_then(|t| t.get(seg)) {
            Some(item) if is_list(item) => {
                let Some(selector) = segments.get(i + 1).filter(|_| i + 2 < segments.len()) else {
                    return Err(format!(
                        "`{shown}` names an item of `{seg}`; add the field to set, e.g. `{shown}.name`"
                    ));
                };
                let n = select(item, selector, seg, &segments[..=i].join("."))?;
                steps.push(Step::Index(n));
                table = element(item, n);
                i += 2;
            }
            Some(item) => {
                table = Some(item.as_table_like().ok_or_else(|| {
                    format!("`{}` is a value, not a table; nothing is inside it", segments[..=i].join("."))
                })?);
                i += 1;
            }
            None if is_table_path(&segments[..=i]) => {
                table = None;
                i += 1;
            }
            None => {
                return Err(format!("the scenario has no `{}` to set `{shown}` in", segments[..=i].join(".")));
            }
        }
    }
    Ok(steps)
}

/// Per path (split into segments), the field it reaches in scenario `text`, written one way
/// whatever the path's spelling (a list item by its position: `fleets.app.count` and
/// `fleets.0.count` give the same); a path that reaches nothing gives itself. An unparsable
/// text gives every path itself.
pub fn fields(text: &str, paths: &[Vec<String>]) -> Vec<String> {
    let doc: Option<DocumentMut> = text.parse().ok();
    paths
        .iter()
        .map(|segments| {
            let steps = doc.as_ref().and_then(|d| resolve(d.as_table(), segments).ok());
            let Some(steps) = steps else { return format!("{segments:?}") };
            let shown: Vec<String> = steps
                .iter()
                .map(|s| match s {
                    Step::Key(k) => format!("{k:?}"),
                    Step::Index(n) => n.to_string(),
                })
                .collect();
            shown.join(".")
        })
        .collect()
}

/// Tables a path may create when the file leaves them out.
fn is_table_path(prefix: &[String]) -> bool {
    let p: Vec<&str> = prefix.iter().map(String::as_str).collect();
    match p.as_slice() {
        ["providers"] | ["report"] | ["faults"] | ["cost"] => true,
        ["providers", name] => crate::providers::registry::parse(name).is_some(),
        _ => false,
    }
}

/// The table reached by `steps` (each key enters a table, each position an item of a list).
fn table_at<'a>(root: &'a dyn TableLike, steps: &[Step]) -> Option<&'a dyn TableLike> {
    let mut table = root;
    let mut i = 0;
    while i < steps.len() {
        let Step::Key(k) = &steps[i] else { return None };
        let item = table.get(k)?;
        table = match steps.get(i + 1) {
            Some(Step::Index(n)) => {
                i += 1;
                element(item, *n)?
            }
            _ => item.as_table_like()?,
        };
        i += 1;
    }
    Some(table)
}

fn follow<'a>(root: &'a dyn TableLike, steps: &[Step]) -> Option<&'a Item> {
    let (Step::Key(k), rest) = steps.split_last()? else { return None };
    table_at(root, rest)?.get(k)
}

fn span_of(root: &dyn TableLike, steps: &[Step]) -> Option<Range<usize>> {
    let (Step::Key(key), rest) = steps.split_last()? else { return None };
    let (k, item) = table_at(root, rest)?.get_key_value(key)?;
    let end = item.span().or_else(|| item.as_value().and_then(Value::span))?.end;
    Some(k.span().map_or(0, |s| s.start)..end)
}

fn set(root: &mut dyn TableLike, steps: &[Step], value: Value) -> Result<(), String> {
    let mut table = root;
    let mut i = 0;
    loop {
        let Some(Step::Key(k)) = steps.get(i) else { return Err("the path names no field".to_string()) };
        i += 1;
        match steps.get(i) {
            None => {
                table.insert(k, Item::Value(value));
                return Ok(());
            }
            Some(Step::Index(n)) => {
                let item = table.get_mut(k).ok_or("the list went missing")?;
                table = element_mut(item, *n).ok_or("the list item went missing")?;
                i += 1;
            }
            Some(Step::Key(_)) => {
                if !table.contains_key(k) {
                    let mut t = Table::new();
                    t.set_implicit(true);
                    table.insert(k, Item::Table(t));
                }
                let item = table.get_mut(k).ok_or("the table went missing")?;
                table = item.as_table_like_mut().ok_or_else(|| format!("`{k}` is a value, not a table"))?;
            }
        }
    }
}

/// The override's value with the field's type: a string for strings (and for units), else TOML.
/// A whole number past what a scenario file can hold (TOML integers are 64-bit signed), given
/// for a field that is not a string: said as such, where it would otherwise be read as a
/// string and refused as "found string".
fn too_large(existing: Option<&Value>, field: &str, raw: &str) -> Option<String> {
    let wants_string = existing.map_or(!NON_STRING_FIELDS.contains(&field), Value::is_str);
    let digits = raw.strip_prefix(['+', '-']).unwrap_or(raw).replace('_', "");
    if wants_string || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || raw.parse::<Value>().is_ok()
    {
        return None;
    }
    let hint = if field == "seed" { " (a larger seed can be given with --seed)" } else { "" };
    Some(format!("{raw} is out of range: a scenario file's whole numbers go from {} to {}{hint}", i64::MIN, i64::MAX))
}

fn typed(existing: Option<&Value>, structured: bool, field: &str, raw: &str) -> Value {
    let wants_string = match existing {
        Some(v) => v.is_str(),
        None => !structured && !NON_STRING_FIELDS.contains(&field) && !LIST_FIELDS.contains(&field),
    };
    let parsed = raw.parse::<Value>().ok();
    let mut v = match parsed {
        Some(Value::String(s)) => Value::from(s.value().as_str()),
        Some(p) if !wants_string || p.is_array() => p,
        _ => Value::from(raw),
    };
    match existing {
        Some(old) => *v.decor_mut() = old.decor().clone(),
        None => *v.decor_mut() = toml_edit::Decor::new(" ", ""),
    }
    v
}

/// Sorts the mistakes of `edited` (the scenario `original` with `overrides` applied, parsed as
/// `file`; each mistake with its byte span in `edited.text`): one inside an override's span is
/// that override's; any other is placed at its line in `original`, the user's file, and drawn
/// from it (an override that adds or removes lines moves the rest of the edited text). A mistake
/// on a line the overrides changed but outside their spans is placed in the edited text, and
/// says so.
fn attribute(
    original: &str,
    edited: &Edited,
    file: &str,
    overrides: &[Override],
    errors: Vec<InputError>,
    spans: Vec<Range<usize>>,
) -> OverrideError {
    // Spans count from after a byte-order mark (see `parse_with_seed`).
    let original = original.strip_prefix('\u{feff}').unwrap_or(original);
    let text = edited.text.strip_prefix('\u{feff}').unwrap_or(&edited.text);
    let bom = edited.text.len() - text.len();
    let spans_edited = edited.spans();
    let (mut set, mut others, mut snippets) = (Vec::new(), Vec::new(), Vec::new());
    let (mut lines, mut old_index, mut new_index) = (None, None, None);
    for (mut e, span) in errors.into_iter().zip(spans) {
        // A mistake with no place of its own (`regions = []`: "declare at least one [[regions]]"
        // at the file's start) is that of an override of its field.
        let placeless = span == (0..0);
        let hit = spans_edited.iter().zip(overrides).rposition(|(r, o)| {
            r.as_ref().is_some_and(|r| r.start <= span.start + bom && span.start + bom <= r.end)
                || (placeless && o.path.last() == Some(&e.field))
        });
        if let Some(i) = hit {
            let o = &overrides[i];
            let field = if e.field.is_empty() { o.path.last().cloned().unwrap_or_default() } else { e.field };
            set.push(SetError { origin: o.origin.clone(), field, message: e.message });
            continue;
        }
        let lines = lines.get_or_insert_with(|| super::linemap::LineMap::new(original, text));
        let drawn = others.len() < super::RENDERED_ERRORS_MAX;
        let snippet = match lines.old_offset(span.start) {
            Some(at) => {
                let index = old_index.get_or_insert_with(|| super::source::LineIndex::new(original));
                (e.line, e.column) = index.position(at);
                drawn.then(|| index.snippet(at..at + span.len()))
            }
            None => {
                let index = new_index.get_or_insert_with(|| super::source::LineIndex::new(text));
                e.file = format!("{file} (as edited by the overrides)");
                drawn.then(|| index.snippet(span))
            }
        };
        snippets.extend(snippet);
        others.push(e);
    }
    OverrideError::Invalid { set, others, snippets }
}

/// Parses and validates `text` with `overrides` applied and an optional seed override.
pub fn parse_with(
    text: &str,
    file: &str,
    seed: Option<u64>,
    overrides: &[Override],
) -> Result<Scenario, OverrideError> {
    parse_writing(text, file, seed, overrides, false)
}

/// Like [`parse_with`], for a run that writes `rpo.csv` when `rpo_csv` (`--detail full`): its
/// rows are held to a budget too (docs/scenario.md, "Limits and checks").
pub fn parse_writing(
    text: &str,
    file: &str,
    seed: Option<u64>,
    overrides: &[Override],
    rpo_csv: bool,
) -> Result<Scenario, OverrideError> {
    if overrides.is_empty() {
        return super::build::parse_writing(text, file, seed, rpo_csv).map_err(OverrideError::Scenario);
    }
    match apply(text, overrides) {
        Ok(edited) => parse_edited(text, &edited, file, seed, overrides, rpo_csv),
        // A syntax error: the file's own messages, with its name.
        Err(e @ OverrideError::Scenario(_)) => match super::parse_with_seed(text, file, seed) {
            Err(own) => Err(OverrideError::Scenario(own)),
            Ok(_) => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Parses and validates `edited`, the scenario `original` with `overrides` applied by [`apply`]
/// (`rpo_csv`: as in [`parse_writing`]).
pub fn parse_edited(
    original: &str,
    edited: &Edited,
    file: &str,
    seed: Option<u64>,
    overrides: &[Override],
    rpo_csv: bool,
) -> Result<Scenario, OverrideError> {
    super::build::parse_spanned(&edited.text, original, file, seed, rpo_csv)
        .map_err(|(errors, spans)| attribute(original, edited, file, overrides, errors, spans))
}

/// Loads the scenario at `path` (the embedded quickstart when `None`) with overrides, for a run
/// that writes `rpo.csv` when `rpo_csv` (as in [`parse_writing`]).
pub fn load(
    path: Option<&Path>,
    seed: Option<u64>,
    overrides: &[Override],
    rpo_csv: bool,
) -> Result<Scenario, OverrideError> {
    match path {
        Some(p) => {
            let text = super::source::read(p).map_err(OverrideError::Scenario)?;
            parse_writing(&text, &p.display().to_string(), seed, overrides, rpo_csv)
        }
        None => parse_writing(super::QUICKSTART, "<embedded quickstart>", seed, overrides, rpo_csv),
    }
}

#[cfg(test)]
#[path = "overrides_tests.rs"]
mod tests;
