//! Figures in human units — hours and minutes, TB and GB, dollars with two decimals, counts with
//! thousands separators — for pages and terminals; the exact figure stays in the files.

/// A whole number with thousands separators: `11,440`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A duration in seconds as people say it, to the minute: `45 s`, `12 min`, `9 h 5 min`,
/// `2 d 3 h`, `1 d 4 h 30 min` (never truncated to a larger unit).
pub fn duration_s(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "—".to_string();
    }
    // Rounded to the unit shown last (seconds under a minute, minutes above): 8 h 13 min 51 s
    // reads "8 h 14 min", never the truncated "8 h 13 min" that understates an RPO or RTO.
    // `as u64` saturates: a figure past 2^64 seconds (a merged shard may carry up to 2e19) is
    // shown as the most there is, never an overflow.
    let s = match secs.round() as u64 {
        s @ 0..60 => s,
        s => s.saturating_add(30) / 60 * 60,
    };
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    match s {
        0..60 => format!("{s} s"),
        60..3_600 => format!("{m} min"),
        3_600..86_400 if m == 0 => format!("{h} h"),
        3_600..86_400 => format!("{h} h {m} min"),
        _ if h == 0 && m == 0 => format!("{d} d"),
        _ if m == 0 => format!("{d} d {h} h"),
        _ => format!("{d} d {h} h {m} min"),
    }
}

/// Bytes in decimal units with three significant figures: `85.4 TB`, `512 GB`, `0 B`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 999.5 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{n} B"),
        _ if v >= 99.95 => format!("{v:.0} {}", UNITS[unit]),
        _ if v >= 9.995 => format!("{v:.1} {}", UNITS[unit]),
        _ => format!("{v:.2} {}", UNITS[unit]),
    }
}

/// US dollars with cents and separators: `$15,398.65`.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    let cents = (v.abs() * 100.0).round() as u64;
    let sign = if v < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}${}.{:02}", count(cents / 100), cents % 100)
}

/// A share as a percentage with one decimal: `59.9 %` (`< 0.1 %` for a small share that is not zero).
pub fn percent(share: f64) -> String {
    // A share that is not zero never reads as zero (nor one short of all as all).
    if share > 0.0 && share < 0.0005 {
        return "< 0.1 %".into();
    }
    if share < 1.0 && share > 0.9995 {
        return "> 99.9 %".into();
    }
    format!("{:.1} %", share * 100.0)
}

/// A number from `summary.json`, written as a JSON number or a decimal string.
pub fn num(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A summary value as text (strings without quotes; null as empty).
pub fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The elements of a summary array (none when it is not one).
pub fn list(v: &serde_json::Value) -> &[serde_json::Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// `(key, count)` of a summary map of counts, largest first, ties by key.
pub fn ranked(v: &serde_json::Value) -> Vec<(String, u64)> {
    let mut items: Vec<(String, u64)> =
        v.as_object().map_or(Vec::new(), |m| m.iter().map(|(k, n)| (k.clone(), n.as_u64().unwrap_or(0))).collect());
    items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    items
}

/// A summary `…_ms` integer as exact seconds with three decimals (a decimal string the other
/// helpers read; null when absent).
pub fn ms(v: &serde_json::Value) -> serde_json::Value {
    v.as_u64().map_or(serde_json::Value::Null, |ms| serde_json::Value::String(crate::report::seconds(ms)))
}

/// A summary `…_nano_usd` integer as exact dollars with six decimals (null when absent).
pub fn nano_usd(v: &serde_json::Value) -> serde_json::Value {
    v.as_u64().map_or(serde_json::Value::Null, |n| serde_json::Value::String(crate::cost::usd(u128::from(n))))
}

/// A duration given in seconds by a summary value, in human units (`—` when absent).
pub fn secs_of(v: &serde_json::Value) -> String {
    num(v).map_or_else(|| "—".to_string(), duration_s)
}

/// Dollars given by a summary value (`—` when absent).
pub fn usd_of(v: &serde_json::Value) -> String {
    num(v).map_or_else(|| "—".to_string(), usd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_past_two_to_the_64_seconds_is_shown_without_overflow() {
        // merge accepts a metric up to 2e19 (bytes may come near 2^64): an RPO that large, in
        // a shard edited or corrupted, panicked the merge with "attempt to add with overflow".
        for secs in [1.8446744073709552e19, 2e19, u64::MAX as f64, 1e300] {
            assert!(duration_s(secs).starts_with("213503982334601 d "), "{secs}: {}", duration_s(secs));
        }
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_s(0.4), "0 s");
        assert_eq!(duration_s(45.0), "45 s");
        assert_eq!(duration_s(720.0), "12 min");
        assert_eq!(duration_s(3612.949), "1 h");
        assert_eq!(duration_s(86_400.0), "1 d");
        assert_eq!(duration_s(29630.879), "8 h 14 min");
        assert_eq!(duration_s(93_600.0), "1 d 2 h");
        assert_eq!(duration_s(102_600.0), "1 d 4 h 30 min", "never truncated to the hour");
    }

    #[test]
    fn durations_are_rounded_to_the_unit_shown_never_truncated() {
        // An RPO p95 of 31,292.413 s is 8 h 41 min 32 s: "8 h 41 min" understated it by 32 s,
        // and near a target ("p95 under 4 h?") a truncated figure can read on the wrong side.
        assert_eq!(duration_s(31_292.413), "8 h 42 min");
        assert_eq!(duration_s(4_062.527), "1 h 8 min");
        assert_eq!(duration_s(3_592.355), "1 h");
        assert_eq!(duration_s(59.6), "1 min");
        assert_eq!(duration_s(89.0), "1 min");
        assert_eq!(duration_s(90.0), "2 min");
        assert_eq!(duration_s(14_369.0), "3 h 59 min");
        assert_eq!(duration_s(14_371.0), "4 h");
        assert_eq!(duration_s(86_370.0), "1 d");
    }

    #[test]
    fn bytes_use_decimal_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(85_358_163_483_873), "85.4 TB");
        assert_eq!(bytes(512_000_000_000), "512 GB");
        assert_eq!(bytes(1_500_000), "1.50 MB");
    }

    #[test]
    fn dollars_have_two_decimals_and_separators() {
        assert_eq!(usd(3543.799141), "$3,543.80");
        assert_eq!(usd(0.004), "$0.00");
        assert_eq!(usd(15398.651029), "$15,398.65");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(percent(0.599235), "59.9 %");
    }
}
