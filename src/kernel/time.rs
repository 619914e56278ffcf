//! Simulated time as integer milliseconds: [`SimTime`] is an instant since the scenario start, [`SimDuration`] a span.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// An instant of simulated time, in milliseconds since the scenario's start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A span of simulated time, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// The scenario's start.
    pub const ZERO: SimTime = SimTime(0);
    /// The end of time; used as "never".
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// Milliseconds since the scenario's start.
    pub fn as_ms(self) -> u64 {
        self.0
    }

    /// The span from `earlier` to `self`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A duration of `ms` milliseconds.
    pub const fn from_ms(ms: u64) -> Self {
        SimDuration(ms)
    }
    /// A duration of `s` seconds.
    pub const fn from_secs(s: u64) -> Self {
        SimDuration(s * 1_000)
    }
    /// A duration of `m` minutes.
    pub const fn from_mins(m: u64) -> Self {
        SimDuration(m * 60_000)
    }
    /// A duration of `h` hours.
    pub const fn from_hours(h: u64) -> Self {
        SimDuration(h * 3_600_000)
    }
    /// A duration of `d` days.
    pub const fn from_days(d: u64) -> Self {
        SimDuration(d * 86_400_000)
    }
    /// Whole milliseconds.
    pub fn as_ms(self) -> u64 {
        self.0
    }
    /// Seconds as a float, for reports only (never for simulation decisions).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1_000.0
    }
}

/// An instant that may not have happened (yet), in 8 bytes where `Option<SimTime>` takes 16:
/// what the live entities (backups, copies) store for their lifecycle times, since millions of
/// them are held at once. [`SimTime::MAX`] ("never") is the empty value, so it cannot be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stamp(u64);

impl Stamp {
    /// Not happened.
    pub const NONE: Stamp = Stamp(u64::MAX);

    /// The instant, if it happened.
    #[inline]
    pub fn get(self) -> Option<SimTime> {
        (self.0 != u64::MAX).then_some(SimTime(self.0))
    }

    /// Whether it happened.
    #[inline]
    pub fn is_some(self) -> bool {
        self.0 != u64::MAX
    }

    /// Whether it has not happened.
    #[inline]
    pub fn is_none(self) -> bool {
        self.0 == u64::MAX
    }
}

impl Default for Stamp {
    fn default() -> Self {
        Stamp::NONE
    }
}

impl From<Option<SimTime>> for Stamp {
    #[inline]
    fn from(t: Option<SimTime>) -> Self {
        match t {
            Some(t) => {
                debug_assert!(t != SimTime::MAX, "SimTime::MAX is Stamp's empty value");
                Stamp(t.0)
            }
            None => Stamp::NONE,
        }
    }
}

impl From<SimTime> for Stamp {
    #[inline]
    fn from(t: SimTime) -> Self {
        Stamp::from(Some(t))
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        self.since(rhs)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T+{}ms", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_instead_of_wrapping() {
        assert_eq!(SimTime::MAX + SimDuration::from_days(1), SimTime::MAX);
        assert_eq!(SimTime(5).since(SimTime(9)), SimDuration::ZERO);
        assert_eq!(SimTime(9) - SimTime(5), SimDuration(4));
    }

    #[test]
    fn a_stamp_holds_an_optional_instant_in_eight_bytes() {
        assert_eq!(std::mem::size_of::<Stamp>(), 8);
        assert_eq!(Stamp::from(Some(SimTime(7))).get(), Some(SimTime(7)));
        assert_eq!(Stamp::from(SimTime::ZERO).get(), Some(SimTime::ZERO));
        assert_eq!(Stamp::from(None).get(), None);
        assert!(Stamp::default().is_none());
    }

    #[test]
    fn unit_constructors_agree() {
        assert_eq!(SimDuration::from_days(1), SimDuration::from_hours(24));
        assert_eq!(SimDuration::from_hours(1), SimDuration::from_mins(60));
        assert_eq!(SimDuration::from_mins(1), SimDuration::from_secs(60));
    }
}
