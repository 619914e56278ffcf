//! Retention: which backups a plan deletes when it runs — by age, by count, or both — as a pure function.
//!
//! IBM Backup for VPC: "If you specify both the age and the number of backups, age takes priority
//! in determining when to delete a snapshot. The count applies only if the oldest snapshot is
//! within the age range." copysim reads this as: first delete every backup that has reached the
//! age limit ("the first one meets the 80-day mark, and gets deleted"); the survivors are all
//! within the age range, so the count then keeps the newest `count` of them.

use crate::kernel::{SimDuration, SimTime};

/// A retention rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Delete backups this old or older.
    pub max_age: Option<SimDuration>,
    /// Keep at most this many.
    pub max_count: Option<u32>,
}

/// Which rule deleted a backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RetentionRule {
    /// It reached the age limit.
    Age,
    /// The count was exceeded and it was among the oldest.
    Count,
}

impl RetentionRule {
    /// Report name.
    pub fn name(self) -> &'static str {
        match self {
            RetentionRule::Age => "age",
            RetentionRule::Count => "count",
        }
    }
}

impl Retention {
    /// IBM's default: 30 days, no count.
    pub const IBM_DEFAULT: Retention = Retention { max_age: Some(SimDuration::from_days(30)), max_count: None };

    /// Which of `backups` (`(id, created_at)`, oldest first) to delete at `now`, keeping room
    /// for `incoming` backups about to be taken (so the count holds after they are).
    pub fn select<T: Copy>(&self, now: SimTime, backups: &[(T, SimTime)], incoming: u32) -> Vec<(T, RetentionRule)> {
        self.select_by(now, backups, incoming, |_| ())
    }

    /// As [`select`](Self::select) for entries whose age counts from an instant that is not
    /// their point in time (remote copies age from their completion, and copies may complete
    /// out of order): the count deletes the oldest by `point` (ties in list order), so a
    /// region keeps its newest restore points however their copies arrived.
    pub fn select_by<T: Copy, K: Ord>(
        &self,
        now: SimTime,
        entries: &[(T, SimTime)],
        incoming: u32,
        point: impl Fn(T) -> K,
    ) -> Vec<(T, RetentionRule)> {
        let mut out = Vec::new();
        let mut survivors: Vec<T> = Vec::with_capacity(entries.len());
        for &(id, created) in entries {
            match self.max_age {
                Some(age) if now.since(created) >= age => out.push((id, RetentionRule::Age)),
                _ => survivors.push(id),
            }
        }
        if let Some(count) = self.max_count {
            let keep = (count.saturating_sub(incoming)) as usize;
            let excess = survivors.len().saturating_sub(keep);
            if excess > 0 {
                // Stable: entries of equal point stay in list order (sorted input is one pass).
                survivors.sort_by_key(|&id| point(id));
                out.extend(survivors.iter().take(excess).map(|&id| (id, RetentionRule::Count)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a plan every `every` for `runs` runs, applying retention before each new backup;
    /// returns the backups kept (their creation times) after the last run.
    fn simulate(r: Retention, runs: &[SimTime]) -> Vec<SimTime> {
        let mut kept: Vec<(usize, SimTime)> = Vec::new();
        for (i, &t) in runs.iter().enumerate() {
            let gone = r.select(t, &kept, 1);
            kept.retain(|(id, _)| !gone.iter().any(|(g, _)| g == id));
            kept.push((i, t));
        }
        kept.into_iter().map(|(_, t)| t).collect()
    }

    fn days(n: u64) -> SimTime {
        SimTime(SimDuration::from_days(n).as_ms())
    }

    #[test]
    fn example_1_daily_plan_kept_14_days_keeps_14_backups() {
        // "You create a daily plan with a retention period of 14 days, and no maximum number of
        // snapshots to keep. You're going to keep 14 backups and the oldest is going to be 2 weeks old."
        let r = Retention { max_age: Some(SimDuration::from_days(14)), max_count: None };
        let runs: Vec<SimTime> = (0..60).map(days).collect();
        let kept = simulate(r, &runs);
        assert_eq!(kept.len(), 14);
        // Just before the next run deletes it, the oldest is two weeks old.
        assert_eq!(days(60).since(kept[0]), SimDuration::from_days(14));
    }

    #[test]
    fn example_2_weekly_plan_365_days_count_8_keeps_8() {
        // "You create a weekly plan that has a retention period of 365 days, and a maximum count
        // of 8. In practice, you're going to get a maximum of 8 snapshots in the chain, with the
        // oldest being 8 weeks old."
        let r = Retention { max_age: Some(SimDuration::from_days(365)), max_count: Some(8) };
        let runs: Vec<SimTime> = (0..30).map(|w| days(7 * w)).collect();
        let kept = simulate(r, &runs);
        assert_eq!(kept.len(), 8);
        assert_eq!(days(7 * 30).since(kept[0]), SimDuration::from_days(56));
    }

    #[test]
    fn example_3_monthly_plan_80_days_count_10_keeps_3() {
        // "You create a monthly plan and set the retention period for 80 days with a maximum count
        // of 10. In practice, you keep a maximum of 3 snapshots always. By the time when your 4th
        // backup is taken, the first one meets the 80-day mark, and gets deleted."
        let r = Retention { max_age: Some(SimDuration::from_days(80)), max_count: Some(10) };
        // First of each month of 2026: Jan 1 = day 0, Feb 1 = 31, Mar 1 = 59, Apr 1 = 90, ...
        let firsts = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
        let mut max_kept = 0;
        for n in 1..=firsts.len() {
            let runs: Vec<SimTime> = firsts[..n].iter().map(|&d| days(d)).collect();
            let kept = simulate(r, &runs);
            max_kept = max_kept.max(kept.len());
            if n == 4 {
                assert!(!kept.contains(&days(0)), "the first is deleted when the 4th is taken");
            }
        }
        assert_eq!(max_kept, 3);
    }

    #[test]
    fn age_never_deletes_a_younger_backup_and_count_keeps_the_newest() {
        let r = Retention { max_age: Some(SimDuration::from_days(10)), max_count: Some(2) };
        let backups = [(1, days(0)), (2, days(5)), (3, days(8)), (4, days(9))];
        let gone = r.select(days(10), &backups, 1);
        assert_eq!(gone, vec![(1, RetentionRule::Age), (2, RetentionRule::Count), (3, RetentionRule::Count)]);
    }
}
