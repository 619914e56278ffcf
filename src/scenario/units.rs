//! Human units in scenario files: sizes ("500GB", "3TiB"), durations ("90m", "12h"), rates ("10Gbps", "500MiB/s") and percentages ("2%").

/// The units a size may have (none: bytes), exactly as written: case matters, since `Gb` is
/// read as gigabits as often as gigabytes.
const SIZE_UNITS: [&str; 15] =
    ["", "B", "kB", "KB", "MB", "GB", "TB", "PB", "EB", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/// Parses a size like `500GB` (decimal) or `3TiB` (binary) into bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() || t.starts_with('-') {
        return Err(format!("expected a size like \"500GB\" or \"3TiB\", found {s:?}"));
    }
    let unit = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.').trim_start();
    if !SIZE_UNITS.contains(&unit) {
        // "Gb" is gigabits to many readers: never read it as bytes.
        let hint = if unit.ends_with('b') && !unit.is_empty() {
            format!(" (\"{unit}\" could mean bits: write bytes with a capital B, like \"GB\" or \"GiB\")")
        } else {
            format!(" (units: {})", SIZE_UNITS[1..].join(", "))
        };
        return Err(format!("expected a size like \"500GB\" or \"3TiB\", found {s:?}{hint}"));
    }
    let b: bytesize::ByteSize =
        t.parse().map_err(|_| format!("expected a size like \"500GB\" or \"3TiB\", found {s:?}"))?;
    if b.0 == u64::MAX {
        return Err(format!("size {s:?} is too large"));
    }
    Ok(b.0)
}

/// Parses a duration like `90m`, `12h`, `1d 6h` or `250ms` into milliseconds.
pub fn parse_duration_ms(s: &str) -> Result<u64, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| format!("expected a duration like \"90m\", \"12h\" or \"30d\", found {s:?} ({e})"))?;
    u64::try_from(d.as_millis()).map_err(|_| format!("duration {s:?} is too long"))
}

/// Parses a rate: bits per second (`10Gbps`, `500Mbps`, decimal) or bytes per second
/// (`500MiB/s`, `60MB/s`), into bytes per second.
pub fn parse_rate_bytes_per_s(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let err = || format!("expected a rate like \"10Gbps\" or \"500MiB/s\", found {s:?}");
    let bytes = if let Some(num) = t.strip_suffix("bps") {
        let (digits, scale) = match num.trim_end().char_indices().last() {
            Some((i, 'k' | 'K')) => (&num[..i], 1e3),
            Some((i, 'M')) => (&num[..i], 1e6),
            Some((i, 'G')) => (&num[..i], 1e9),
            Some((i, 'T')) => (&num[..i], 1e12),
            _ => (num, 1.0),
        };
        let v: f64 = digits.trim().parse().map_err(|_| err())?;
        if !v.is_finite() || v < 0.0 {
            return Err(err());
        }
        let exact = v * scale / 8.0;
        if exact > 0.0 && exact < 0.5 {
            return Err(format!("rate {s:?} is less than one byte per second, the smallest rate copysim counts"));
        }
        exact.round()
    } else if let Some(size) = t.strip_suffix("/s") {
        parse_size(size).map_err(|e| {
            if e.contains("bits") { format!("{}; for bits per second write \"…bps\"", err()) } else { err() }
        })? as f64
    } else {
        return Err(err());
    };
    if bytes == 0.0 {
        return Err(format!("rate {s:?} must be more than zero"));
    }
    if bytes < 1.0 || bytes >= u64::MAX as f64 {
        return Err(format!("rate {s:?} is out of range"));
    }
    Ok(bytes as u64)
}

/// Parses a percentage like `2%` or `0.5%` into parts per million.
pub fn parse_percent_ppm(s: &str) -> Result<u32, String> {
    let err = || format!("expected a percentage like \"2%\", found {s:?}");
    let num = s.trim().strip_suffix('%').ok_or_else(err)?;
    let v: f64 = num.trim().parse().map_err(|_| err())?;
    if !(0.0..=100.0).contains(&v) {
        return Err(format!("percentage {s:?} must be between 0% and 100%"));
    }
    Ok((v * 10_000.0).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("500GB"), Ok(500_000_000_000));
        assert_eq!(parse_size("3TiB"), Ok(3 * 1_099_511_627_776));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert!(parse_size("12 furlongs").is_err());
        assert!(parse_size("-5GB").is_err());
        assert!(parse_size("").is_err());
        assert_eq!(parse_size("1.2 TB"), Ok(1_200_000_000_000));
        assert_eq!(parse_size("10kB"), Ok(10_000));
        for gigabits in ["100Gb", "100gb", "100 Mb", "5kb", "7b"] {
            let e = parse_size(gigabits).unwrap_err();
            assert!(e.contains("could mean bits"), "{gigabits}: {e}");
        }
        assert!(parse_size("100gB").unwrap_err().contains("units: B, kB"));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("90m"), Ok(5_400_000));
        assert_eq!(parse_duration_ms("12h"), Ok(43_200_000));
        assert_eq!(parse_duration_ms("1d 6h"), Ok(108_000_000));
        assert!(parse_duration_ms("soon").is_err());
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate_bytes_per_s("10Gbps"), Ok(1_250_000_000));
        assert_eq!(parse_rate_bytes_per_s("500MiB/s"), Ok(524_288_000));
        assert_eq!(parse_rate_bytes_per_s("60MB/s"), Ok(60_000_000));
        assert_eq!(parse_rate_bytes_per_s("800 Mbps"), Ok(100_000_000));
        assert!(parse_rate_bytes_per_s("fast").is_err());
        assert_eq!(parse_rate_bytes_per_s("0Gbps"), Err("rate \"0Gbps\" must be more than zero".to_string()));
        assert!(parse_rate_bytes_per_s("0MB/s").unwrap_err().contains("more than zero"));
        assert!(parse_rate_bytes_per_s("1bps").unwrap_err().contains("less than one byte per second"));
        assert_eq!(parse_rate_bytes_per_s("8bps"), Ok(1));
        for gigabits in ["10Gb/s", "10gb/s"] {
            let e = parse_rate_bytes_per_s(gigabits).unwrap_err();
            assert!(e.contains("could mean bits") || e.contains("bits per second"), "{gigabits}: {e}");
        }
        assert!(parse_rate_bytes_per_s("10GB").is_err());
    }

    #[test]
    fn percents() {
        assert_eq!(parse_percent_ppm("2%"), Ok(20_000));
        assert_eq!(parse_percent_ppm("0.5%"), Ok(5_000));
        assert!(parse_percent_ppm("2").is_err());
        assert!(parse_percent_ppm("120%").is_err());
    }
}
