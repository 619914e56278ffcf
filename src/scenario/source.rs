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

/// Reads the scenario at `path` with a bounded reader (never more than the limit plus one byte,
/// so `/dev/zero` or a FIFO cannot eat memory), then checks that it is UTF-8.
pub fn read(path: &Path) -> Result<String, ScenarioError> {
    let label = path.display().to_string();
    let io = |source| ScenarioError::Io { path: label.clone(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_SCENARIO_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        let message = format!(
            "the file is larger than {} MiB, the most a scenario may be; it was not parsed",
            MAX_SCENARIO_BYTES >> 20
        );
        return Err(single(&label, "", 0..0, WHOLE_FILE, message));
    }
    decode(bytes, &label)
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

/// The 1-based line and column (in characters) of byte `offset` in `src`.
pub fn position(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(src, offset);
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, src[line_start..offset].chars().count() + 1)
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
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let start = floor_char_boundary(src, span.start);
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let line = src[line_start..line_end].trim_end_matches('\r');
    let (line_no, _) = position(src, start);
    // A span inside the trailing carriage returns trimmed off `line` points just past its end.
    let from = (start - line_start).min(line.len());
    let to = floor_char_boundary(line, span.end.max(span.start).saturating_sub(line_start)).max(from);
    let to = if to == from { next_char_end(line, from) } else { to };
    let report = [Group::with_level(Level::ERROR).element(
        Snippet::source(line).line_start(line_no).fold(false).annotation(AnnotationKind::Primary.span(from..to)),
    )];
    Renderer::plain().render(&report).to_string()
}

fn next_char_end(line: &str, from: usize) -> usize {
    line[from.min(line.len())..].chars().next().map_or(from, |c| from + c.len_utf8())
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn non_utf8_names_line_and_column_of_the_first_bad_byte() {
        let e = decode(b"name = \"t\"\nstart = \"\xe9t\xe9\"\n".to_vec(), "x.toml").unwrap_err();
        let e = &e.errors()[0];
        assert_eq!((e.line, e.column, e.field.as_str()), (2, 10, "start"), "{e}");
    }
}
