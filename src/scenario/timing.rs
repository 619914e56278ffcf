//! When a schedule or plan runs: a fixed interval, or a standard 5-field cron expression evaluated in UTC (parsed by croner);
//! and the span of instants a scenario may cover.

use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

use super::build::Ctx;
use super::file::ScenarioFile;
use crate::kernel::{SimDuration, SimTime};

/// A schedule's timing.
#[derive(Clone, Debug)]
pub enum Timing {
    /// Every `every`, first at `offset` after the start.
    Every {
        /// Interval.
        every: SimDuration,
        /// First run.
        offset: SimDuration,
    },
    /// A 5-field cron expression in UTC.
    Cron {
        /// The parsed expression.
        cron: Box<Cron>,
        /// As written (after shorthand expansion).
        text: String,
    },
}

/// Every instant a run can write must be expressible: start + horizon must end before this
/// (a year of margin before jiff's last instant, 9999-12-30, for work finishing after the horizon).
pub const LATEST_END: &str = "9999-01-01T00:00:00Z";
/// The earliest start: RFC 3339 has no years before 0000.
pub const EARLIEST_START: &str = "0000-01-01T00:00:00Z";

/// True when start + horizon ends before [`LATEST_END`]; otherwise an error at `horizon` (or at
/// `start`, when the start itself is that late).
pub(super) fn check_end(
    ctx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    start: Option<jiff::Timestamp>,
    horizon: SimDuration,
) -> bool {
    let Some(start) = start else { return true };
    let latest: jiff::Timestamp = LATEST_END.parse().unwrap_or(jiff::Timestamp::MAX);
    let earliest: jiff::Timestamp = EARLIEST_START.parse().unwrap_or(jiff::Timestamp::MIN);
    if start >= latest || start < earliest {
        ctx.err(raw.start.span(), "start", format!("the start must be between {EARLIEST_START} and {LATEST_END}"));
        return false;
    }
    let end = i64::try_from(horizon.as_ms())
        .ok()
        .and_then(|ms| start.checked_add(jiff::SignedDuration::from_millis(ms)).ok())
        .filter(|end| *end <= latest);
    if end.is_none() {
        let most = latest.duration_since(start);
        let message = format!(
            "start + horizon would end after {LATEST_END}, past the last instant the reports can write; the horizon can be at most {} days from this start",
            most.as_secs() / 86_400
        );
        ctx.err(raw.horizon.span(), "horizon", message);
    }
    end.is_some()
}

/// How far ahead a cron expression must fire at least once (Feb 29 on a given weekday is rarer,
/// but a plain `29 2` fires within 8 years even across 2100).
pub const CRON_SEARCH_YEARS: i64 = 9;

/// Expands the console shorthands: `daily` (00:00 UTC), `weekly` (Sunday 00:00), `monthly` (the 1st, 00:00).
pub fn expand_shorthand(text: &str) -> &str {
    match text.trim() {
        "daily" | "@daily" => "0 0 * * *",
        "weekly" | "@weekly" => "0 0 * * 0",
        "monthly" | "@monthly" => "0 0 1 * *",
        "hourly" | "@hourly" => "0 * * * *",
        other => other,
    }
}

/// Parses a 5-field cron expression (minute hour day-of-month month day-of-week) or a shorthand.
pub fn parse_cron(text: &str) -> Result<Timing, String> {
    let expanded = expand_shorthand(text);
    if expanded.split_whitespace().count() != 5 {
        return Err(format!(
            "expected a 5-field cron expression (minute hour day-of-month month day-of-week) or daily, weekly, monthly, hourly; found {text:?}"
        ));
    }
    let parser = CronParser::builder().seconds(Seconds::Disallowed).year(Year::Disallowed).build();
    let cron = parser.parse(expanded).map_err(|e| format!("bad cron expression {text:?}: {e}"))?;
    Ok(Timing::Cron { cron: Box::new(cron), text: expanded.to_string() })
}

fn to_civil(start: jiff::Timestamp, t: SimTime) -> Option<jiff::civil::DateTime> {
    let ts = start.checked_add(jiff::SignedDuration::from_millis(i64::try_from(t.as_ms()).ok()?)).ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime())
}

fn from_civil(start: jiff::Timestamp, dt: jiff::civil::DateTime) -> Option<SimTime> {
    let ts = dt.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    let ms = ts.as_millisecond() - start.as_millisecond();
    u64::try_from(ms).ok().map(SimTime)
}

impl Timing {
    /// The first run at or after the start.
    pub fn first(&self, start: jiff::Timestamp) -> Option<SimTime> {
        match self {
            Timing::Every { offset, .. } => Some(SimTime::ZERO + *offset),
            Timing::Cron { cron, .. } => {
                let next = cron.find_next_occurrence(&to_civil(start, SimTime::ZERO)?, true).ok()?;
                from_civil(start, next)
            }
        }
    }

    /// How long before the start the run before the first one happened: `every - offset` for an
    /// interval; for a cron expression, the time since its last match strictly before the start
    /// (the gap its first run closes), or a day when none is found. What a warm start's backup
    /// stands for (`docs/model.md`, "Warm start").
    pub fn previous_before_start_ms(&self, start: jiff::Timestamp) -> u64 {
        match self {
            Timing::Every { every, offset } => every.as_ms().saturating_sub(offset.as_ms()),
            Timing::Cron { cron, .. } => {
                let prev = to_civil(start, SimTime::ZERO).and_then(|s| cron.find_previous_occurrence(&s, false).ok());
                let ms = prev
                    .and_then(|p| p.to_zoned(jiff::tz::TimeZone::UTC).ok())
                    .map(|p| start.as_millisecond() - p.timestamp().as_millisecond());
                ms.and_then(|ms| u64::try_from(ms).ok()).filter(|&ms| ms > 0).unwrap_or(86_400_000)
            }
        }
    }

    /// The run strictly before `at`, in milliseconds from the start (negative before it): the
    /// grid instant `offset + k × every` before `at` for an interval, a cron expression's last
    /// match strictly before `at` (`None` when none is found).
    pub fn previous_before_ms(&self, start: jiff::Timestamp, at: SimTime) -> Option<i64> {
        match self {
            Timing::Every { every, offset } => {
                let (every_ms, offset_ms) =
                    (i64::try_from(every.as_ms().max(1)).ok()?, i64::try_from(offset.as_ms()).ok()?);
                let k = (i64::try_from(at.as_ms()).ok()? - 1 - offset_ms).div_euclid(every_ms);
                offset_ms.checked_add(k.checked_mul(every_ms)?)
            }
            Timing::Cron { cron, .. } => {
                let prev = cron.find_previous_occurrence(&to_civil(start, at)?, false).ok()?;
                let prev = prev.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
                Some(prev.timestamp().as_millisecond() - start.as_millisecond())
            }
        }
    }

    /// The next run strictly after `now`: for an interval, the next instant of its grid
    /// `offset + k × every` (a plan enabled again between two runs resumes at its next
    /// occurrence, not `every` after it was enabled).
    pub fn next_after(&self, start: jiff::Timestamp, now: SimTime) -> Option<SimTime> {
        match self {
            Timing::Every { every, offset } => {
                let (every_ms, offset_ms) = (every.as_ms().max(1), offset.as_ms());
                let next = match now.as_ms().checked_sub(offset_ms) {
                    None => offset_ms,
                    Some(since) => offset_ms.checked_add((since / every_ms + 1).checked_mul(every_ms)?)?,
                };
                Some(SimTime(next))
            }
            Timing::Cron { cron, .. } => {
                let next = cron.find_next_occurrence(&to_civil(start, now)?, false).ok()?;
                from_civil(start, next)
            }
        }
    }

    /// A cron expression that can never fire (`0 0 30 2 *`: February has no 30th) is a mistake:
    /// `Err` says so unless the timing fires within [`CRON_SEARCH_YEARS`] of `start`.
    pub fn check_fires(&self, start: jiff::Timestamp) -> Result<(), String> {
        let Timing::Cron { cron, text } = self else { return Ok(()) };
        let limit =
            to_civil(start, SimTime::ZERO).and_then(|s| s.checked_add(jiff::Span::new().years(CRON_SEARCH_YEARS)).ok());
        let next = to_civil(start, SimTime::ZERO).and_then(|s| cron.find_next_occurrence(&s, true).ok());
        match (next, limit) {
            (Some(next), Some(limit)) if next <= limit => Ok(()),
            _ => Err(format!(
                "the cron expression {text:?} never fires: no minute in the {CRON_SEARCH_YEARS} years after the start matches it (check the day of month against the month)"
            )),
        }
    }

    /// A readable description for reports.
    pub fn describe(&self) -> String {
        match self {
            Timing::Every { every, .. } => format!("every {}", describe_every(every.as_ms())),
            Timing::Cron { text, .. } => format!("cron {text}"),
        }
    }
}

/// An interval as the scenario's units write it — days, hours, minutes, seconds, milliseconds
/// (`1day`, `1h 30m`, `100days`) — never humantime's months of 30.44 days and years of 365.25,
/// which turned `every = "100d"` into `3months 8days 16h 19m 12s`. Below a month this is
/// humantime's own wording.
fn describe_every(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let parts = [
        (ms / 86_400_000, "day", "days"),
        (ms / 3_600_000 % 24, "h", "h"),
        (ms / 60_000 % 60, "m", "m"),
        (ms / 1_000 % 60, "s", "s"),
        (ms % 1_000, "ms", "ms"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| format!("{n}{}", if n == 1 { one } else { many }))
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> jiff::Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn cron_runs_in_utc() {
        let t = parse_cron("30 2 * * *").unwrap();
        let first = t.first(start()).unwrap();
        assert_eq!(first, SimTime(SimDuration::from_mins(150).as_ms()));
        let second = t.next_after(start(), first).unwrap();
        assert_eq!(second.since(first), SimDuration::from_days(1));
    }

    #[test]
    fn an_interval_runs_on_its_grid_whenever_asked() {
        // every 12 h from 1 h: 1 h, 13 h, 1 d 1 h, 1 d 13 h, ...
        let t = Timing::Every { every: SimDuration::from_hours(12), offset: SimDuration::from_hours(1) };
        let h = |n: u64| SimTime(SimDuration::from_hours(n).as_ms());
        assert_eq!(t.next_after(start(), SimTime::ZERO), Some(h(1)));
        assert_eq!(t.next_after(start(), h(1)), Some(h(13)), "strictly after a run");
        assert_eq!(t.next_after(start(), h(24 + 11)), Some(h(24 + 13)), "enabled again at 1 d 11 h");
        assert_eq!(t.next_after(start(), SimTime(h(13).as_ms() - 1)), Some(h(13)));
    }

    #[test]
    fn the_run_before_the_first_is_one_period_back() {
        // 2026-01-01 is a Thursday, 00:00.
        let every = Timing::Every { every: SimDuration::from_hours(6), offset: SimDuration::from_hours(2) };
        assert_eq!(every.previous_before_start_ms(start()), SimDuration::from_hours(4).as_ms());
        let noon = parse_cron("0 12 * * *").unwrap();
        assert_eq!(noon.previous_before_start_ms(start()), SimDuration::from_hours(12).as_ms(), "yesterday noon");
        let midnight = parse_cron("0 0 * * *").unwrap();
        assert_eq!(midnight.previous_before_start_ms(start()), SimDuration::from_days(1).as_ms(), "strictly before");
        let weekly = parse_cron("weekly").unwrap();
        assert_eq!(weekly.previous_before_start_ms(start()), SimDuration::from_days(4).as_ms(), "Sunday the 28th");
    }

    #[test]
    fn shorthands() {
        let monthly = parse_cron("monthly").unwrap();
        let first = monthly.first(start()).unwrap();
        assert_eq!(first, SimTime::ZERO, "inclusive at the start: 2026-01-01 00:00 is the 1st");
        let feb = monthly.next_after(start(), first).unwrap();
        assert_eq!(feb, SimTime(SimDuration::from_days(31).as_ms()));
        // 2026-01-01 is a Thursday: the first Sunday is the 4th.
        let weekly = parse_cron("weekly").unwrap();
        assert_eq!(weekly.first(start()).unwrap(), SimTime(SimDuration::from_days(3).as_ms()));
    }

    #[test]
    fn a_cron_that_never_fires_is_refused() {
        let t0 = std::time::Instant::now();
        assert!(parse_cron("0 0 30 2 *").unwrap().check_fires(start()).is_err());
        assert!(parse_cron("0 0 31 4 *").unwrap().check_fires(start()).is_err());
        assert!(t0.elapsed() < std::time::Duration::from_secs(5), "{:?}", t0.elapsed());
        assert!(parse_cron("0 0 29 2 *").unwrap().check_fires(start()).is_ok());
        assert!(parse_cron("daily").unwrap().check_fires(start()).is_ok());
    }

    #[test]
    fn bad_expressions_are_errors() {
        assert!(parse_cron("every tuesday").is_err());
        assert!(parse_cron("61 * * * *").is_err());
        assert!(parse_cron("0 0 * * * *").is_err(), "six fields (seconds) are not standard cron");
    }

    #[test]
    fn an_interval_is_described_in_the_units_a_scenario_writes_never_in_months_or_years() {
        // Below a month: humantime's own words, as the golden summaries have them.
        for ms in [3_600_000, 86_400_000, 2 * 86_400_000, 5_400_000, 250, 90_061_001, 30 * 86_400_000] {
            let humantime = humantime::format_duration(std::time::Duration::from_millis(ms)).to_string();
            assert_eq!(describe_every(ms), humantime, "{ms} ms");
        }
        // A month or more: days, not humantime's 30.44-day months and 365.25-day years.
        assert_eq!(describe_every(100 * 86_400_000), "100days", "was 3months 8days 16h 19m 12s");
        assert_eq!(describe_every(31 * 86_400_000), "31days");
        assert_eq!(describe_every(365 * 86_400_000 + 3_600_000), "365days 1h");
    }
}
