//! The scenario's source text: reading it within a size limit, turning byte offsets into
//! line and column, and drawing the offending source line with a caret under the mistake.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use super::{InputError, ScenarioError};

/// The largest scenario file copysim reads (64 MiB); a larger input is refused before parsing.
pub const MAX_SCENARIO_BYTES: u64 = 64 << 20;

/// The field named by errors about the file as a whole (too large, not UTF-8 before any key).
pub const WHOLE_FILE: &str = "(file)";

/// Opens `path` (a link is followed) for reading if it is a regular file; anything else — a
/// FIFO, a device, a socket, a folder — is an [`std::io::ErrorKind::InvalidInput`] error saying
/// what it is. The type is checked before the file is opened (opening a FIFO with no writer
/// blocks forever; `/dev/zero` never ends), the open cannot block (`O_NONBLOCK`, which changes
/// nothing for a regular file), and the opened file is checked again (the path may have been
/// replaced in between).
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let refuse = |meta: &std::fs::Metadata| {
        let what = file_kind(&meta.file_type());
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "it is {what}, not a regular file: copysim reads its inputs from regular files only \
                 (a pipe or a device may block or never end; save the text to a file first)"
            ),
        )
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    Ok(file)
}

/// What a file that is not a regular one is, in words.
pub fn file_kind(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Reads the scenario at `path`, a regular file ([`open_regular`]: a FIFO, a device or a
/// folder is refused without being read), with a bounded reader (never more than the limit plus
/// one byte), then checks that it is UTF-8.
pub fn read(path: &Path) -> Result<String, ScenarioError> {
    let label = path.display().to_string();
    let io = |source| ScenarioError::Io { path: label.clone(), source };
    let file = open_regular(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_SCENARIO_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        let message = format!(
            "the file is larger than {} MiB, the most a scenario may be; it was not parsed",
            MAX_SCENARIO_BYTES >> 20
        );
        return Err(single(&label, "", 0..0, WHOLE_FILE, message));
    }
    let text = decode(bytes, &label)?;
    if let Some(at) = past_values_max(&text) {
        // The key on the line only: finding the last key that parsed would parse the text.
        let key = super::toml_errors::key_on_line(&text, at).filter(|k| !k.starts_with(|c: char| c.is_ascii_digit()));
        let field = key.unwrap_or_else(|| WHOLE_FILE.to_string());
        let message = format!(
            "the file holds more than {MAX_SCENARIO_VALUES} values (keys, array items and tables; this is the one past it), the most a scenario may hold: reading it would take gigabytes of memory; it was not parsed (describe many alike volumes with [[fleets]] and `count`)"
        );
        return Err(single(&label, &text, at..at + 1, &field, message));
    }
    Ok(text)
}

/// The most values (keys, array items, tables) a scenario file may hold. Reading TOML takes
/// about 250 bytes of memory per value (an array of ten million integers, 20 MB of text, took
/// 2.5 GB), so the limit bounds the reading's memory (about 1 GB), not the file size: a 100,000-volume
/// inventory, as `import` writes at most, holds about 700,000.
pub const MAX_SCENARIO_VALUES: u64 = 4_000_000;

/// What one part of a dotted key (a table) counts as: 25,000 keys of 79 parts (a 4 MB file)
/// took 2.8 GB to read, about 1.4 KB a part where a value takes 250 bytes.
const DOTTED_KEY_VALUES: u64 = 6;

/// The offset of the first value past [`MAX_SCENARIO_VALUES`], if the text holds more: it
/// counts the `=`, `,`, `[`, `{` and `.` outside strings and comments (an upper bound of keys,
/// array items and tables — a dotted key's parts each make a table —, the things a TOML reader
/// allocates for; a decimal point counts too, harmlessly), in one pass.
pub fn past_values_max(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut n = 0u64;
    let mut in_key = true;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                in_key = true; // the newline ending the comment is stepped over below
            }
            q @ (b'"' | b'\'') => {
                let delim: &[u8] = if q == b'"' { b"\"\"\"" } else { b"'''" };
                let triple = b[i..].starts_with(delim);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if q == b'"' && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == q && (!triple || b[i..].starts_with(delim)) {
                        i += if triple { 3 } else { 1 };
                        // A closing triple quote may be followed by one or two more quotes of the content.
                        while triple && i < b.len() && b[i] == q {
                            i += 1;
                        }
                        break;
                    }
                    if !triple && b[i] == b'\n' {
                        break; // an unterminated string: the reader reports it
                    }
                    i += 1;
                }
                continue;
            }
            b'=' | b',' | b'[' | b'{' | b'.' => {
                // A dotted key's every part is a table (`a.b.c = 1` makes two), and a table
                // costs several values' memory: a dot before the line's `=` counts as
                // DOTTED_KEY_VALUES (a decimal point after it, as one).
                n += if b[i] == b'.' && in_key { DOTTED_KEY_VALUES } else { 1 };
                in_key &= b[i] != b'=';
                if n > MAX_SCENARIO_VALUES {
                    return Some(i);
                }
            }
            b'\n' => in_key = true,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Checks that `bytes` is UTF-8; if not, the error names the line and column of the first bad
/// byte and the last key that precedes it.
pub fn decode(bytes: Vec<u8>, label: &str) -> Result<String, ScenarioError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = std::str::from_utf8(&bytes[..bad]).unwrap_or_default();
            let field = super::toml_errors::last_key_before(valid, bad).unwrap_or_else(|| WHOLE_FILE.to_string());
            let message = format!(
                "the file is not UTF-8 text: byte 0x{:02x} at offset {bad} is not valid UTF-8 (save the file as UTF-8)",
                bytes[bad]
            );
            Err(single(label, valid, bad..bad, &field, message))
        }
    }
}

fn single(label: &str, src: &str, span: Range<usize>, field: &str, message: String) -> ScenarioError {
    let (line, column) = position(src, span.start);
    let field = if field.is_empty() { WHOLE_FILE } else { field };
    let error = InputError { file: label.to_string(), line, column, field: field.to_string(), message };
    ScenarioError::Invalid { errors: vec![error], snippets: vec![snippet(src, span)] }
}

/// The 1-based line and column (in characters) of byte `offset` in `src`. It indexes the whole
/// text; for many positions in one text, build a [`LineIndex`] once.
pub fn position(src: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(src).position(offset)
}

/// Bytes between two checkpoints of [`LineIndex`]'s character count.
const CHARS_EVERY: usize = 4096;

/// Where every line of a text starts, and how many characters precede every
/// [`CHARS_EVERY`]-th byte: built once in one pass, it turns a byte offset into line and column
/// in logarithmic time plus at most [`CHARS_EVERY`] bytes, however long the file or the line.
/// (Resolving each of 20,000 mistakes by scanning from the start of a 1 MB file took minutes.)
pub struct LineIndex<'a> {
    src: &'a str,
    /// The byte offset of each line's first byte; `starts[0] == 0`.
    starts: Vec<usize>,
    /// `chars[i]`: the number of characters in `src[..i * CHARS_EVERY]`.
    chars: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `src`.
    pub fn new(src: &'a str) -> Self {
        let bytes = src.as_bytes();
        let mut starts = vec![0];
        starts.extend(bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i + 1));
        let mut chars = Vec::with_capacity(bytes.len() / CHARS_EVERY + 1);
        let mut seen = 0;
        chars.push(0);
        for chunk in bytes.chunks(CHARS_EVERY) {
            seen += char_starts(chunk);
            chars.push(seen);
        }
        LineIndex { src, starts, chars }
    }

    /// The 0-based index of the line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The number of characters in `src[..offset]`.
    fn chars_before(&self, offset: usize) -> usize {
        let at = offset / CHARS_EVERY;
        self.chars[at] + char_starts(&self.src.as_bytes()[at * CHARS_EVERY..offset])
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.src, offset);
        let line = self.line_index(offset);
        let start = self.starts[line];
        let column = if offset - start <= CHARS_EVERY {
            char_starts(&self.src.as_bytes()[start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        (line + 1, column + 1)
    }

    /// The line holding `span.start` drawn with a caret under the span; see [`snippet`].
    pub fn snippet(&self, span: Range<usize>) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let src = self.src;
        let start = floor_char_boundary(src, span.start);
        let index = self.line_index(start);
        let line_start = self.starts[index];
        let line_end = self.starts.get(index + 1).map_or(src.len(), |next| next - 1);
        let line = src[line_start..line_end].trim_end_matches('\r');
        // A span inside the trailing carriage returns trimmed off `line` points just past its end.
        let from = (start - line_start).min(line.len());
        let to = floor_char_boundary(line, span.end.max(span.start).saturating_sub(line_start)).max(from);
        let to = if to == from { next_char_end(line, from) } else { to };
        let (line, from, to) = around(line, from, to);
        let report = [Group::with_level(Level::ERROR).element(
            Snippet::source(line).line_start(index + 1).fold(false).annotation(AnnotationKind::Primary.span(from..to)),
        )];
        Renderer::plain().render(&report).to_string()
    }
}

/// Bytes of a long line kept on either side of the caret: many more than a terminal shows.
const SHOWN_AROUND: usize = 2048;

/// `line` cut to [`SHOWN_AROUND`] bytes either side of the span `from..to` (and `from..to` in
/// the cut): the renderer shows a long line only near the caret anyway, but reads all of it, so
/// drawing mistakes on one 64 MiB line would take seconds each. A span longer than
/// [`SHOWN_AROUND`] is underlined over its first [`SHOWN_AROUND`] bytes.
///
/// The renderer centres the caret from the line's leading whitespace, so a cut that drops text
/// is marked by a `…` (never shown: it lies beyond the ellipsis the renderer draws itself), and
/// the cut line is drawn exactly as the whole line is.
fn around(line: &str, from: usize, to: usize) -> (std::borrow::Cow<'_, str>, usize, usize) {
    if line.len() <= 4 * SHOWN_AROUND {
        return (line.into(), from, to);
    }
    let lo = floor_char_boundary(line, from.saturating_sub(SHOWN_AROUND));
    let mut hi = (to.min(from + SHOWN_AROUND) + SHOWN_AROUND).min(line.len());
    while !line.is_char_boundary(hi) {
        hi += 1;
    }
    let (from, to) = (from - lo, to.min(hi) - lo);
    let text_before = !line[..lo].trim_start().is_empty();
    let text_after = !line[hi..].trim_end().is_empty();
    if !text_before && !text_after {
        return (line[lo..hi].into(), from, to);
    }
    let mark = if text_before { "…" } else { "" };
    let cut = format!("{mark}{}{}", &line[lo..hi], if text_after { "…" } else { "" });
    (cut.into(), from + mark.len(), to + mark.len())
}

/// The number of characters that start in `bytes` (UTF-8: every byte but continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

fn floor_char_boundary(src: &str, offset: usize) -> usize {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The source line holding `span.start`, drawn with a caret under the span (clipped to that
/// line; at least one caret), in the style of compiler diagnostics:
///
/// ```text
///   |
/// 4 | seed = "forty-two"
///   |        ^^^^^^^^^^^
/// ```
pub fn snippet(src: &str, span: Range<usize>) -> String {
    LineIndex::new(src).snippet(span)
}

fn next_char_end(line: &str, from: usize) -> usize {
    line[from.min(line.len())..].chars().next().map_or(from, |c| from + c.len_utf8())
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_counted_outside_strings_and_comments_only() {
        let few = "a = [1, 2]\nb = \"x,=[{\" # , , ,\nc = \'\'\'\n,,,\'\'\'\nd = \"\"\"q\\\",\"\"\"\n";
        assert_eq!(past_values_max(few), None);
        let many = format!("junk = [{}]\n", "1,".repeat(MAX_SCENARIO_VALUES as usize));
        let at = past_values_max(&many).expect("over the limit");
        assert_eq!(&many[at..=at], ",", "the value past the limit");
    }

    #[test]
    fn a_dotted_keys_parts_count_as_tables_and_decimal_points_as_values() {
        // 25,000 keys of 79 parts (4 MB) took 2.8 GB to read: each part is a table.
        let part = ".a".repeat(78);
        let per_line = 1 + 78 * DOTTED_KEY_VALUES;
        let lines = (MAX_SCENARIO_VALUES / per_line + 1) as usize;
        let dotted: String = (0..lines).map(|i| format!("k{i}{part} = 1\n")).collect();
        assert!(dotted.len() < 4 << 20, "a small file");
        assert!(past_values_max(&dotted).is_some(), "refused");
        // A decimal point after `=` (and after a comment on the line before) counts once.
        let floats: String = (0..(MAX_SCENARIO_VALUES / 2 - 1)).map(|_| "# c\nx = 1.5\n").collect();
        assert_eq!(past_values_max(&floats), None);
    }

    #[test]
    fn a_file_with_too_many_values_is_refused_before_it_is_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.toml");
        std::fs::write(&path, format!("name = \"t\"\njunk = [{}]\n", "1,".repeat(MAX_SCENARIO_VALUES as usize)))
            .unwrap();
        let e = read(&path).unwrap_err().render();
        assert!(e.contains("more than 4000000 values") && e.contains(":2:") && e.contains("junk"), "{e}");
    }

    use super::*;

    #[test]
    fn the_caret_sits_under_the_value() {
        let src = "name = \"t\"\nseed = \"forty-two\"\n";
        let s = snippet(src, 18..29);
        assert!(s.contains("2 | seed = \"forty-two\""), "{s}");
        assert!(s.contains("  |        ^^^^^^^^^^^"), "{s}");
    }

    #[test]
    fn an_empty_span_or_the_end_of_the_file_still_gets_a_caret() {
        let s = snippet("a = 1", 5..5);
        assert!(s.contains("1 | a = 1"), "{s}");
        let s = snippet("", 0..0);
        assert!(s.contains('|'), "{s}");
    }

    #[test]
    fn a_span_in_trailing_carriage_returns_still_gets_a_caret() {
        // Found by `arbitrary_text_never_panics`: the caret was placed past the trimmed line
        // and the snippet renderer panicked.
        for src in ["'\r\r", "a = 1\r\r\r\nb", "\r", "x\ry\r"] {
            for at in 0..=src.len() {
                let s = snippet(src, at..at);
                assert!(s.contains('^'), "{src:?} at {at}: {s}");
                let s = snippet(src, at..src.len() + 3);
                assert!(s.contains('^'), "{src:?} at {at}..: {s}");
            }
        }
    }

    /// The line and column by scanning from the start of the file, as they were once computed.
    fn scanned(src: &str, offset: usize) -> (usize, usize) {
        let before = &src[..floor_char_boundary(src, offset)];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
    }

    #[test]
    fn positions_are_resolved_through_a_line_index_built_once() {
        // Lines longer than the character checkpoints, multi-byte characters across them, CRLF,
        // an empty text and a text without a final newline: the index agrees with a scan at
        // every offset, inside characters and past the end included.
        let long = format!("a = \"{}é\"\r\nb = 1\n\n{}\nc", "é€x".repeat(1400), "y".repeat(CHARS_EVERY + 3));
        for src in ["", "\n", "a", "é\nü\r\n\n€", long.as_str()] {
            let index = LineIndex::new(src);
            for offset in 0..=src.len() + 2 {
                assert_eq!(index.position(offset), scanned(src, offset), "{src:.20?} at {offset}");
                if src.len() < 100 || offset % 61 == 0 {
                    let (index, scan) = (index.snippet(offset..offset + 2), snippet_by_scan(src, offset..offset + 2));
                    assert_eq!(index, scan, "at {offset}");
                }
            }
        }
    }

    /// [`snippet`] finding its line by scanning, as it once did.
    fn snippet_by_scan(src: &str, span: Range<usize>) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let start = floor_char_boundary(src, span.start);
        let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let line = src[line_start..line_end].trim_end_matches('\r');
        let from = (start - line_start).min(line.len());
        let to = floor_char_boundary(line, span.end.max(span.start).saturating_sub(line_start)).max(from);
        let to = if to == from { next_char_end(line, from) } else { to };
        let line_no = scanned(src, start).0;
        let report = [Group::with_level(Level::ERROR).element(
            Snippet::source(line).line_start(line_no).fold(false).annotation(AnnotationKind::Primary.span(from..to)),
        )];
        Renderer::plain().render(&report).to_string()
    }

    #[test]
    fn a_long_line_is_drawn_as_if_whole_though_cut_around_the_caret() {
        let wide = format!("k = [{}]", "\"é€漢x\t\", ".repeat(1500));
        let plain = format!("{}= 1", " ".repeat(200) + &"y".repeat(3 * SHOWN_AROUND) + &" ".repeat(6000));
        let spaced = format!("{}x = 1{}y\t", " ".repeat(3 * SHOWN_AROUND), "\t ".repeat(3 * SHOWN_AROUND));
        for line in [wide, plain, spaced] {
            assert!(line.len() > 4 * SHOWN_AROUND);
            let spans = (0..line.len()).step_by(211).flat_map(|a| [a..a, a..a + 5, a..a + 300]);
            for span in spans {
                assert_eq!(snippet(&line, span.clone()), snippet_by_scan(&line, span.clone()), "at {span:?}");
            }
            // A span wider than a screen is drawn in full when the line is short; on a long line
            // its first SHOWN_AROUND bytes are underlined, with as many before and after.
            for a in (0..line.len()).step_by(997) {
                let s = snippet(&line, a..line.len());
                assert!(s.len() < 8 * SHOWN_AROUND && s.contains('^'), "at {a}: {s}");
            }
        }
    }

    #[test]
    fn non_utf8_names_line_and_column_of_the_first_bad_byte() {
        let e = decode(b"name = \"t\"\nstart = \"\xe9t\xe9\"\n".to_vec(), "x.toml").unwrap_err();
        let e = &e.errors()[0];
        assert_eq!((e.line, e.column, e.field.as_str()), (2, 10, "start"), "{e}");
    }
}
