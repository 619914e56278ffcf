//! Offsets inside a decoded TOML string mapped back to the raw source, so an error found in a
//! string's value (an OCI IAM statement) points at the right column even when the string uses
//! escapes (`\"`, `\u00e9`) or is multi-line (`"""…"""`, `'''…'''`).

/// The byte offset in `raw` (a TOML string token, quotes included) of byte `decoded` of its value.
pub fn raw_offset(raw: &str, decoded: usize) -> usize {
    let (open, basic) = if raw.starts_with("\"\"\"") {
        (3, true)
    } else if raw.starts_with("'''") {
        (3, false)
    } else if raw.starts_with('"') {
        (1, true)
    } else if raw.starts_with('\'') {
        (1, false)
    } else {
        return decoded.min(raw.len());
    };
    let mut pos = open;
    if open == 3 {
        // "A newline immediately following the opening delimiter will be trimmed."
        if raw[pos..].starts_with("\r\n") {
            pos += 2;
        } else if raw[pos..].starts_with('\n') {
            pos += 1;
        }
    }
    if !basic {
        return (pos + decoded).min(raw.len());
    }
    basic_offset(raw, pos, decoded)
}

/// Walks a basic string from `pos`, counting decoded bytes, until `decoded` of them are behind.
fn basic_offset(raw: &str, mut pos: usize, decoded: usize) -> usize {
    let mut done = 0;
    while done < decoded && pos < raw.len() {
        let Some(rest) = raw.get(pos..) else { break };
        let Some(c) = rest.chars().next() else { break };
        if c != '\\' {
            pos += c.len_utf8();
            done += c.len_utf8();
            continue;
        }
        let (raw_len, value_len) = escape(rest);
        pos += raw_len;
        done += value_len;
    }
    // Land on the next character of the value, not on a line-ending backslash that decodes to nothing.
    while let Some(rest) = raw.get(pos..).filter(|r| r.starts_with('\\')) {
        let (raw_len, value_len) = escape(rest);
        if value_len != 0 {
            break;
        }
        pos += raw_len;
    }
    pos.min(raw.len())
}

/// The raw length and decoded length of the escape at the start of `rest` (which begins with `\`).
fn escape(rest: &str) -> (usize, usize) {
    let after = rest.get(1..).unwrap_or("");
    let hex = |n: usize| {
        let digits = after.get(1..1 + n).unwrap_or("");
        let c = u32::from_str_radix(digits, 16).ok().and_then(char::from_u32);
        (1 + 1 + n, c.map_or(1, char::len_utf8))
    };
    match after.chars().next() {
        Some('u') => hex(4),
        Some('U') => hex(8),
        Some('x') => hex(2),
        Some(c) if c.is_whitespace() => {
            // A line-ending backslash: it and all whitespace and newlines after it vanish.
            let skipped = after.len() - after.trim_start().len();
            (1 + skipped, 0)
        }
        Some(c) => (1 + c.len_utf8(), 1),
        None => (1, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_literal_strings_are_shifted_by_their_quotes() {
        assert_eq!(raw_offset("\"abc\"", 2), 3);
        assert_eq!(raw_offset("'abc'", 2), 3);
    }

    #[test]
    fn escapes_count_as_what_they_decode_to() {
        // "a\"b" decodes to a"b: byte 2 (b) is at raw 4.
        assert_eq!(raw_offset("\"a\\\"b\"", 2), 4);
        // "\u00e9x" decodes to éx (é is 2 bytes): byte 2 (x) is at raw 7.
        assert_eq!(raw_offset("\"\\u00e9x\"", 2), 7);
    }

    #[test]
    fn any_offset_into_any_token_stays_in_bounds() {
        let tokens = [r#""é\u00e9\"""#, "'''\nab'''", "\"\"\"\\\n  x\"\"\"", "\"\\", r#""\u12""#, "x", ""];
        for raw in tokens {
            for decoded in 0..12 {
                let at = raw_offset(raw, decoded);
                assert!(at <= raw.len() && raw.is_char_boundary(at), "{raw:?} {decoded} -> {at}");
            }
        }
    }

    #[test]
    fn multi_line_strings_trim_the_first_newline_and_line_ending_backslashes() {
        let raw = "\"\"\"\nab\\\n    cd\"\"\"";
        // Decoded: "abcd": byte 2 (c) sits after the backslash, newline and indentation.
        assert_eq!(&raw[raw_offset(raw, 2)..raw_offset(raw, 2) + 1], "c");
        let raw = "'''\nab\ncd'''";
        assert_eq!(&raw[raw_offset(raw, 3)..raw_offset(raw, 3) + 1], "c");
    }
}
