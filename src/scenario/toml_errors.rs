//! TOML syntax and type errors made readable: the field is found by mapping the error's span back
//! to the key at that position in the (leniently re-parsed) document, and serde's wording
//! ("invalid type: string \"x\", expected u64") becomes "expected a whole number (u64), found …".

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One key of the document, where it is written and where its value is.
struct Entry {
    key: String,
    key_start: usize,
    value: Range<usize>,
    datetime: bool,
}

fn walk_table(table: &DeTable<'_>, out: &mut Vec<Entry>) {
    for (k, v) in table.iter() {
        if k.get_ref().trim().is_empty() {
            walk_value(v, out); // `"" = …` names nothing a message could show
            continue;
        }
        out.push(Entry {
            key: k.get_ref().to_string(),
            key_start: k.span().start,
            value: v.span(),
            datetime: v.get_ref().is_datetime(),
        });
        walk_value(v, out);
    }
}

fn walk_value(v: &Spanned<DeValue<'_>>, out: &mut Vec<Entry>) {
    match v.get_ref() {
        DeValue::Table(t) => walk_table(t, out),
        DeValue::Array(a) => a.iter().for_each(|item| walk_value(item, out)),
        _ => {}
    }
}

fn entries(text: &str) -> Vec<Entry> {
    let (doc, _errors) = DeTable::parse_recoverable(text);
    let mut out = Vec::new();
    walk_table(doc.get_ref(), &mut out);
    out
}

/// Blanks out of `text` the entry whose key starts at `key_start` — a `key = value` (with the
/// comma after it, in an inline table), or a `[table]` or `[[table]]` header with every line
/// up to the next header — byte for byte with spaces and keeping line breaks, so every other
/// position stays where it was. False, and `text` untouched, when no such entry is found.
pub fn blank_entry(text: &mut String, key_start: usize) -> bool {
    blank_entries(text, &[key_start]) == 1
}

/// [`blank_entry`] for every key starting at one of `key_starts` (keys beside one another, see
/// [`keys_beside`]), reading `text` once; the number blanked.
pub fn blank_entries(text: &mut String, key_starts: &[usize]) -> usize {
    let entries = entries(text);
    // A header's value is the header itself, around its key; a pair's value follows its key.
    let is_header = |e: &Entry| e.value.start < e.key_start && e.key_start < e.value.end;
    let mut headers: Vec<usize> = entries.iter().filter(|e| is_header(e)).map(|e| e.value.start).collect();
    headers.sort_unstable();
    let by_start: std::collections::BTreeMap<usize, &Entry> = entries.iter().map(|e| (e.key_start, e)).collect();
    let mut ranges = Vec::new();
    for &key_start in key_starts {
        let Some(entry) = by_start.get(&key_start) else { continue };
        let range = if is_header(entry) {
            let next = headers[headers.partition_point(|&h| h < entry.value.end)..].first();
            entry.value.start..next.copied().unwrap_or(text.len())
        } else {
            let Some(between) = text.get(key_start..entry.value.start) else { continue };
            if !between.contains('=') {
                continue;
            }
            let mut end = entry.value.end;
            let rest = &text.as_bytes()[end..];
            if let Some(n) = rest.iter().position(|&b| !matches!(b, b' ' | b'\t'))
                && rest[n] == b','
            {
                end += n + 1;
            }
            key_start..end
        };
        if text.get(range.clone()).is_some() {
            ranges.push(range);
        }
    }
    drop(entries);
    ranges.sort_by_key(|r| r.start);
    ranges.dedup_by(|later, earlier| later.start < earlier.end); // never blank twice
    for range in &ranges {
        let blank: String = text[range.clone()]
            .chars()
            .flat_map(|c| {
                let keep = matches!(c, '\n' | '\r');
                std::iter::repeat_n(if keep { c } else { ' ' }, if keep { 1 } else { c.len_utf8() })
            })
            .collect();
        text.replace_range(range.clone(), &blank);
    }
    ranges.len()
}

/// The keys beside the key that starts at `key_start`, itself included: those of its table, or
/// of every item of the same list of tables (the items of `[[volumes]]` are alike), each as its
/// name and span, in file order. Empty when no key starts there.
pub fn keys_beside(text: &str, key_start: usize) -> Vec<(String, Range<usize>)> {
    fn table(t: &DeTable<'_>, path: &str, out: &mut Vec<(String, String, Range<usize>)>) {
        for (k, v) in t.iter() {
            out.push((path.to_string(), k.get_ref().to_string(), k.span()));
            value(v, &format!("{path}.{:?}", k.get_ref()), out);
        }
    }
    fn value(v: &Spanned<DeValue<'_>>, path: &str, out: &mut Vec<(String, String, Range<usize>)>) {
        match v.get_ref() {
            DeValue::Table(t) => table(t, path, out),
            DeValue::Array(a) => {
                let items = format!("{path}[]");
                a.iter().for_each(|item| value(item, &items, out));
            }
            _ => {}
        }
    }
    let (doc, _errors) = DeTable::parse_recoverable(text);
    let mut all = Vec::new();
    table(doc.get_ref(), "", &mut all);
    let Some(path) = all.iter().find(|(_, _, span)| span.start == key_start).map(|(p, _, _)| p.clone()) else {
        return Vec::new();
    };
    let mut beside: Vec<(String, Range<usize>)> =
        all.into_iter().filter(|(p, _, _)| *p == path).map(|(_, k, span)| (k, span)).collect();
    beside.sort_by_key(|(_, span)| span.start);
    beside
}

/// The fields serde's "unknown field `x`, expected one of `a`, `b`" says are known; none for
/// "there are no fields".
pub fn expected_fields(message: &str) -> Vec<String> {
    let Some((_, expected)) = message.split_once(", expected ") else { return Vec::new() };
    expected.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// `message`, toml's readable "unknown field `x`, expected …", for the unknown field `name`.
pub fn unknown_field_message(message: &str, name: &str) -> String {
    let rest = message.split_once("`, ").map_or("", |(_, r)| r);
    let rest = rest.split_once(" (did you mean").map_or(rest, |(r, _)| r);
    with_suggestion(shorten_names(&format!("unknown field `{name}`, {rest}")), name)
}

/// An unknown field's `message` followed by the known field `name` is probably a typo of.
fn with_suggestion(message: String, name: &str) -> String {
    match closest(name, &expected_fields(&message)) {
        Some(known) => format!("{message} (did you mean `{known}`?)"),
        None => message,
    }
}

/// The key whose value holds `offset` (the innermost one), if any.
fn containing(entries: &[Entry], offset: usize) -> Option<&Entry> {
    entries
        .iter()
        .filter(|e| e.key_start <= offset && e.value.start <= offset)
        .filter(|e| offset < e.value.end || offset == e.value.start)
        .min_by_key(|e| (e.value.end - e.value.start, usize::MAX - e.key_start))
}

/// The last key written at or before `offset` (the last one that parsed).
fn last_before(entries: &[Entry], offset: usize) -> Option<&Entry> {
    entries.iter().filter(|e| e.key_start <= offset).max_by_key(|e| e.key_start)
}

/// The last key written before byte `offset` of `text`, if any.
pub fn last_key_before(text: &str, offset: usize) -> Option<String> {
    let entries = entries(text);
    last_before(&entries, offset).map(|e| e.key.clone()).or_else(|| key_on_line(text, offset))
}

/// A key-like word at the start of the line holding `offset` (`key = …` or `[table]`), for
/// documents so broken that nothing parsed.
pub fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    let word: String = line
        .trim_start()
        .trim_start_matches('[')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .collect();
    let word = word.trim_matches('.').to_string();
    (!word.is_empty()).then_some(word)
}

/// A table header or key with no name on the line holding `offset`, as written: `[]`, `[[ ]]`,
/// or `""` for a line starting `=`. The field of "unquoted keys cannot be empty" there, which is
/// not the last key that parsed before it.
fn nameless_on_line(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    let code = line.split('#').next().unwrap_or("").trim();
    if code.starts_with('=') {
        return Some("\"\"".to_string());
    }
    let header = code.starts_with('[') && code.chars().all(|c| matches!(c, '[' | ']' | ' ' | '\t'));
    header.then(|| code.split_whitespace().collect())
}

/// Field, position and readable message for a TOML error at `span` with toml's `message`.
pub fn describe(text: &str, span: Range<usize>, message: &str) -> (String, String) {
    let message = shorten_names(&message.trim().replace('\n', "; "));
    let entries = entries(text);
    let at = containing(&entries, span.start);
    if let Some(field) = named_in(&message) {
        if field.trim().is_empty() {
            // `"" = 1` or `[""]`: a key with no name, shown quoted (toml's `` ` ` `` shows nothing).
            let quoted = format!("{field:?}");
            let what = if field.is_empty() { "an empty key" } else { "a blank key" };
            let message = message.replacen(&format!("`{field}`"), &format!("{quoted} ({what} names no field)"), 1);
            return (quoted, message);
        }
        let message = if message.starts_with("unknown field `") { with_suggestion(message, &field) } else { message };
        return (field, message);
    }
    // The key whose value holds the error; else the key written on the error's line (the one
    // being read), or the nameless header or key written there (`[]`, `= 1`); else the last key
    // that parsed before it.
    let field = at
        .map(|e| e.key.clone())
        .or_else(|| key_on_line(text, span.start))
        .or_else(|| nameless_on_line(text, span.start))
        .or_else(|| last_before(&entries, span.start).map(|e| e.key.clone()))
        .unwrap_or_else(|| super::source::WHOLE_FILE.to_string());
    let datetime = at.is_some_and(|e| e.datetime);
    (field, friendly(&message, datetime, number_written(text, span)))
}

/// The number literal at `span` of `text` as the user wrote it (`1e308`, `5e1`, `0x10`), when
/// the span holds one: serde echoes a number as it reads it (`1e308` as 309 digits).
fn number_written(text: &str, span: Range<usize>) -> Option<&str> {
    let written = text.get(span)?.trim();
    let number = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_');
    (!written.is_empty() && written.chars().count() <= FOUND_SHOWN_MAX && written.chars().all(number))
        .then_some(written)
}

/// The longest name quoted whole in a message; a longer one (a megabyte-long key) is cut, as
/// its source line is under the message.
const NAME_SHOWN_MAX: usize = 80;

/// `message` with every `` `name` `` longer than [`NAME_SHOWN_MAX`] characters cut to that many,
/// followed by `…`.
fn shorten_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4096));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        match part.char_indices().nth(NAME_SHOWN_MAX) {
            Some((cut, _)) if i % 2 == 1 => {
                out.push_str(&part[..cut]);
                out.push('…');
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// The longest wrong value quoted whole after "found" (in characters): its source line, or
/// the `--set` argument, is shown beside the message.
const FOUND_SHOWN_MAX: usize = 120;

/// The known field closest to the unknown `name`, if a typo away (at most two edits, and fewer
/// than half its length): "did you mean" for `horizn`.
fn closest<'k>(name: &str, known: &'k [String]) -> Option<&'k str> {
    let a: Vec<char> = name.chars().collect();
    if a.len() > 64 {
        return None;
    }
    let distance = |b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut diagonal = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let next = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
                diagonal = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    };
    let (best, d) = known.iter().map(|k| (k.as_str(), distance(k))).min_by_key(|&(_, d)| d)?;
    (d <= 2 && 2 * d < a.len().max(2)).then_some(best)
}

/// toml's message for a dotted key of too many parts, which it gives without a position.
const KEY_TOO_DEEP: &str = "recursion limit";

/// toml refuses a dotted key of too many parts (`a.b.c.…`, in a key or a table header) without
/// saying where: the start of the dotted key with the most parts (the first, on a tie), its
/// first part, and a message saying how many parts it has. `None` for any other message.
pub fn deep_key(text: &str, message: &str) -> Option<(Range<usize>, String, String)> {
    if message.trim() != KEY_TOO_DEEP {
        return None;
    }
    let (start, first, parts) = deepest_dotted_key(text)?;
    let end = start + first.len();
    let message =
        format!("a dotted key of {parts} parts nests tables deeper than the TOML reader allows (fewer than 80 parts)");
    Some((start..end, first, message))
}

/// The dotted key with the most parts: where it starts, its first part, how many parts.
fn deepest_dotted_key(text: &str) -> Option<(usize, String, usize)> {
    let bytes = text.as_bytes();
    let bare = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut best: Option<(usize, String, usize)> = None;
    // The run being read: its start, first part, parts so far, and whether a dot ends it.
    let mut run: Option<(usize, String, usize)> = None;
    let mut after_dot = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let part_end = if bare(b) {
            Some(bytes[i..].iter().position(|&c| !bare(c)).map_or(bytes.len(), |n| i + n))
        } else if b == b'"' || b == b'\'' {
            let close = bytes[i + 1..].iter().position(|&c| c == b || c == b'\n').map_or(bytes.len(), |n| i + 1 + n);
            Some((close + 1).min(bytes.len()))
        } else {
            None
        };
        match (part_end, b) {
            (Some(end), _) => {
                match (&mut run, after_dot) {
                    (Some((_, _, parts)), true) => *parts += 1,
                    _ => run = Some((i, text.get(i..end).unwrap_or("").to_string(), 1)),
                }
                after_dot = false;
                i = end;
                continue;
            }
            (None, b'.') => after_dot = run.is_some(),
            (None, b' ' | b'\t') => {}
            (None, _) => {
                after_dot = false;
                if let Some(r) = run.take()
                    && best.as_ref().is_none_or(|b| r.2 > b.2)
                {
                    best = Some(r);
                }
                if b == b'#' {
                    i = bytes[i..].iter().position(|&c| c == b'\n').map_or(bytes.len(), |n| i + n);
                    continue;
                }
            }
        }
        i += 1;
    }
    match (run, best) {
        (Some(r), Some(b)) if r.2 > b.2 => Some(r),
        (r, None) => r,
        (_, b) => b,
    }
}

/// The field toml names in its own message (`unknown field `x``, …).
fn named_in(message: &str) -> Option<String> {
    for marker in ["unknown field `", "missing field `", "duplicate key `"] {
        if let Some(i) = message.find(marker) {
            let rest = &message[i + marker.len()..];
            if let Some(end) = rest.find('`') {
                return Some(rest[..end].to_string());
            }
        }
    }
    None
}

/// serde's "invalid type: X, expected Y" as "expected Y', found X" in plain words.
/// A number is quoted as `written`, the literal in the file, when known.
fn friendly(message: &str, datetime: bool, written: Option<&str>) -> String {
    let parts = ["invalid type: ", "invalid value: "]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.rsplit_once(", expected "));
    let Some((found, expected)) = parts else { return message.to_string() };
    let wanted = expected_words(expected);
    if datetime {
        return format!(
            "expected {wanted}, found an unquoted TOML date-time; write the instant as a quoted string like \"2026-01-01T00:00:00Z\""
        );
    }
    // A number past 64 bits reaches the reader as a 128-bit one: the width is noise to the user.
    let found = found.strip_suffix(" as i128").or_else(|| found.strip_suffix(" as u128")).unwrap_or(found);
    let number = ["floating point `", "integer `"].into_iter().find(|p| found.starts_with(p));
    let found = match (number, written) {
        (Some(kind), Some(written)) => format!("{kind}{written}`"),
        _ => found.to_string(),
    };
    let found = match found.as_str() {
        "map" => "a table".to_string(),
        "sequence" => "an array".to_string(),
        other => match other.char_indices().nth(FOUND_SHOWN_MAX) {
            Some((cut, _)) => format!("{}…", &other[..cut]),
            None => other.to_string(),
        },
    };
    let hint = if expected == "a string" { " (write it in double quotes)" } else { "" };
    format!("expected {wanted}, found {found}{hint}")
}

fn expected_words(expected: &str) -> String {
    match expected {
        "u8" => "a whole number (u8, 0 to 255)".to_string(),
        "u16" => "a whole number (u16, 0 to 65535)".to_string(),
        "u32" => "a whole number (u32, 0 to 4294967295)".to_string(),
        "u64" => "a whole number (u64)".to_string(),
        "f64" | "f32" => "a number".to_string(),
        "a string" => "a quoted string".to_string(),
        "a boolean" => "true or false".to_string(),
        "a sequence" => "an array [ … ]".to_string(),
        other if other.starts_with("struct ") || other == "a map" => "a table".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_a_typo_away_from_a_known_one_is_suggested() {
        let m = "unknown field `horizn`, expected one of `name`, `horizon`, `start`";
        let (field, message) = describe("horizn = 1\n", 0..6, m);
        assert_eq!(field, "horizn");
        assert!(message.ends_with("`start` (did you mean `horizon`?)"), "{message}");
        assert!(unknown_field_message(&message, "strat").ends_with("(did you mean `start`?)"));
        assert!(!unknown_field_message(&message, "colour").contains("did you mean"));
        assert!(!describe("xy = 1\n", 0..2, "unknown field `xy`, expected `ab`").1.contains("did you mean"));
    }

    #[test]
    fn type_errors_name_the_key_and_speak_plainly() {
        let text = "name = \"t\"\nseed = \"forty-two\"\n";
        let (field, message) = describe(text, 18..29, "invalid type: string \"forty-two\", expected u64");
        assert_eq!(field, "seed");
        assert_eq!(message, "expected a whole number (u64), found string \"forty-two\"");
    }

    #[test]
    fn a_number_past_64_bits_is_said_without_its_width() {
        let text = "seed = 18446744073709551616\n";
        let (_, message) = describe(text, 7..27, "invalid value: integer `18446744073709551616` as i128, expected u64");
        assert_eq!(message, "expected a whole number (u64), found integer `18446744073709551616`");
    }

    #[test]
    fn a_wrong_number_is_quoted_as_written() {
        // `seed = 1e308` was echoed as 309 digits cut to 80, `count = 5e1` as `50.0`.
        let text = "seed = 1e308\ncount = 5e1\n";
        let (_, message) = describe(text, 7..12, "invalid type: floating point `1e308`, expected u64");
        assert_eq!(message, "expected a whole number (u64), found floating point `1e308`");
        let (_, message) = describe(text, 21..24, "invalid type: floating point `50.0`, expected u32");
        assert_eq!(message, "expected a whole number (u32, 0 to 4294967295), found floating point `5e1`");
        let text = "seed = 0x_ff\n";
        let (_, message) = describe(text, 7..12, "invalid value: integer `-1`, expected u64");
        assert!(message.ends_with("found integer `0x_ff`"), "{message}");
        // A span that is not a number literal keeps serde's echo.
        let (_, message) = describe("seed = [1.5]\n", 7..12, "invalid type: floating point `1.5`, expected u64");
        assert!(message.ends_with("found floating point `1.5`"), "{message}");
    }

    #[test]
    fn an_empty_or_blank_key_or_header_is_named_as_written() {
        // `"" = 1` was field `(file)`, `[]` the last key that parsed (`retention_days`).
        let m = "unknown field ``, expected one of `name`, `seed`";
        let (field, message) = describe("\"\" = 1\n", 0..2, m);
        assert_eq!(field, "\"\"");
        assert!(message.starts_with("unknown field \"\" (an empty key names no field), expected"), "{message}");
        let (field, message) = describe("\" \" = 1\n", 0..3, "unknown field ` `, expected `name`");
        assert_eq!(
            (field.as_str(), message.as_str()),
            ("\" \"", "unknown field \" \" (a blank key names no field), expected `name`")
        );
        let text = "name = \"t\"\nretention_days = 3\n[]\nx = 1\n";
        let (field, _) = describe(text, 31..31, "unquoted keys cannot be empty, expected letters");
        assert_eq!(field, "[]");
        let text = "name = \"t\"\nretention_days = 3\n [[ ]] # c\n";
        assert_eq!(describe(text, 33..33, "unquoted keys cannot be empty").0, "[[]]");
        let text = "name = \"t\"\nretention_days = 3\n= 1\n";
        assert_eq!(describe(text, 30..30, "unquoted keys cannot be empty").0, "\"\"");
    }

    #[test]
    fn an_unquoted_datetime_says_to_quote_it() {
        let text = "name = \"t\"\nstart = 2026-01-01T00:00:00Z\n";
        let (field, message) = describe(text, 19..39, "invalid type: map, expected a string");
        assert_eq!(field, "start");
        assert!(message.contains("quoted string like \"2026-01-01T00:00:00Z\""), "{message}");
    }

    #[test]
    fn a_dotted_key_too_deep_is_placed_at_its_line_and_column() {
        let deep: Vec<String> = (0..3000).map(|i| format!("a{i}")).collect();
        let text = format!("name = \"t\"\n# x.y.z\n[t]\n  {} = 1\nb.c = 2\n", deep.join("."));
        let (span, field, message) = deep_key(&text, "recursion limit").expect("placed");
        assert_eq!((span, field.as_str()), (25..27, "a0"), "line 4, column 3");
        assert!(message.contains("3000 parts"), "{message}");
        assert_eq!(deep_key(&text, "invalid basic string"), None);
    }

    #[test]
    fn syntax_errors_name_the_last_key_that_parsed() {
        let text = "name = \"t\"\n[[regions]]\nname = \"x\"\nprovider = \"ibm\n";
        let offset = text.len() - 1;
        let (field, _) = describe(text, offset..offset, "invalid basic string");
        assert_eq!(field, "provider");
        assert_eq!(key_on_line("!!!", 0), None);
    }
}
