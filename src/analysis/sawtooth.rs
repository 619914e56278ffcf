//! RPO over time, exactly: between two restore points a volume's RPO grows one second per
//! second (a sawtooth), so the time it spends at each value is known without sampling. This
//! accumulates such rising segments and answers the share of time above a target, the worst
//! value and time-weighted percentiles — statistics no sampling grid can bias (samples taken
//! in step with an hourly schedule see only the low point of each tooth).
//!
//! A segment rising from RPO `a` to `b` spends one millisecond at each value in `a..b`, so the
//! time spent below `x`, summed over segments, is
//! `F(x) = Σ max(0, x − aᵢ) − Σ max(0, x − bᵢ)`: two histograms of the starts and the ends
//! (count and sum per bucket) give `F` exactly at every bucket edge. Buckets are exact below
//! 1,024 ms and 1/1,024 of their value wide above, so a percentile is found within 0.1 % (the
//! starts and ends inside its bucket counted at their mean); the worst value and the time
//! above the target are exact.

/// Values below `1 << SUB_BITS` have a bucket each; above, each power of two is split in
/// `1 << SUB_BITS` buckets.
const SUB_BITS: u32 = 10;

/// A bucket's index and the value its range starts at.
fn bucket(v: u64) -> usize {
    if v < 1 << SUB_BITS {
        return v as usize;
    }
    let e = 63 - v.leading_zeros();
    let shift = e - SUB_BITS;
    (((shift + 1) << SUB_BITS) as usize) | ((v >> shift) as usize & ((1 << SUB_BITS) - 1))
}

/// The smallest value of bucket `i`.
fn floor(i: usize) -> u64 {
    let sub = 1usize << SUB_BITS;
    if i < sub {
        return i as u64;
    }
    let shift = (i >> SUB_BITS) as u32 - 1;
    let v = ((sub | (i & (sub - 1))) as u128) << shift;
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// Per bucket, how many values fell in it and their sum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Histogram {
    count: Vec<u64>,
    sum: Vec<u128>,
}

impl Histogram {
    fn add(&mut self, v: u64) {
        let i = bucket(v);
        if self.count.len() <= i {
            self.count.resize(i + 1, 0);
            self.sum.resize(i + 1, 0);
        }
        self.count[i] += 1;
        self.sum[i] += u128::from(v);
    }

    fn get(&self, i: usize) -> (u64, u128) {
        (self.count.get(i).copied().unwrap_or(0), self.sum.get(i).copied().unwrap_or(0))
    }
}

/// The RPO of many volumes over time, as rising segments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sawtooth {
    starts: Histogram,
    ends: Histogram,
    /// Time measured, summed over volumes, ms.
    total_ms: u128,
    /// Of it, time above the target, ms.
    above_ms: u128,
    max_ms: u64,
}

impl Sawtooth {
    /// One volume's RPO rose from `from_ms` to `to_ms` (as long in time); `target_ms` counts the
    /// time above it.
    pub fn rise(&mut self, from_ms: u64, to_ms: u64, target_ms: Option<u64>) {
        if to_ms <= from_ms {
            return;
        }
        self.starts.add(from_ms);
        self.ends.add(to_ms);
        self.total_ms += u128::from(to_ms - from_ms);
        if let Some(t) = target_ms {
            self.above_ms += u128::from(to_ms.saturating_sub(from_ms.max(t)));
        }
        self.max_ms = self.max_ms.max(to_ms);
    }

    /// Time measured, summed over volumes, ms.
    pub fn total_ms(&self) -> u128 {
        self.total_ms
    }

    /// The worst RPO (the value just before a restore point arrived, or at the end), ms.
    pub fn max_ms(&self) -> u64 {
        self.max_ms
    }

    /// The share of the time above the target, in parts per million, rounded to the nearest.
    pub fn above_ppm(&self) -> u64 {
        if self.total_ms == 0 {
            return 0;
        }
        let ppm = (self.above_ms * 1_000_000 + self.total_ms / 2) / self.total_ms;
        u64::try_from(ppm).unwrap_or(u64::MAX)
    }

    /// The smallest RPO `x` such that at least `p` % of the time was spent at or below it
    /// (within 0.1 %), ms; 0 when nothing was measured.
    pub fn percentile(&self, p: u64) -> u64 {
        if self.total_ms == 0 {
            return 0;
        }
        let want = u128::from(p.min(100)) * self.total_ms;
        // Starts and ends below the current edge: counts and sums.
        let (mut na, mut sa, mut nb, mut sb) = (0u128, 0u128, 0u128, 0u128);
        // Time spent below `x`, given the starts and ends below `x` (exact when none lies in
        // between), times 100. Saturating: within a bucket, with its starts and ends at their
        // means, the estimate may dip below the edge's.
        let below = |x: u64, na: u128, sa: u128, nb: u128, sb: u128| -> u128 {
            let x = u128::from(x);
            (na * x).saturating_sub(sa).saturating_sub((nb * x).saturating_sub(sb)) * 100
        };
        let buckets = self.starts.count.len().max(self.ends.count.len());
        for i in 0..buckets {
            let (ca, ua) = self.starts.get(i);
            let (cb, ub) = self.ends.get(i);
            let (ca, cb) = (u128::from(ca), u128::from(cb));
            let hi = floor(i + 1);
            if below(hi, na + ca, sa + ua, nb + cb, sb + ub) < want {
                (na, sa, nb, sb) = (na + ca, sa + ua, nb + cb, sb + ub);
                continue;
            }
            // The answer lies in this bucket: its starts and ends count from their means.
            let at = |x: u64| {
                // This bucket's starts (ends) count once `x` is past their mean.
                let (a, b) = (ca > 0 && ca * u128::from(x) > ua, cb > 0 && cb * u128::from(x) > ub);
                let (n1, s1) = if a { (na + ca, sa + ua) } else { (na, sa) };
                let (n2, s2) = if b { (nb + cb, sb + ub) } else { (nb, sb) };
                below(x, n1, s1, n2, s2)
            };
            let (mut lo, mut hi) = (floor(i), hi);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if at(mid) >= want { hi = mid } else { lo = mid + 1 }
            }
            return lo.min(self.max_ms);
        }
        self.max_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_every_value_in_order() {
        let mut last = 0;
        let values = (0..5_000u64).chain([1 << 20, (1 << 20) + 1023, (1 << 20) + 1024, 3_600_000, u64::MAX / 2]);
        for v in values {
            let i = bucket(v);
            assert!(floor(i) <= v && v < floor(i + 1), "{v}");
            assert!(i >= last, "{v}");
            last = i;
        }
        assert_eq!(bucket(1023), 1023);
        assert_eq!(floor(bucket(u64::MAX)), u64::MAX >> 53 << 53);
        assert_eq!(floor(bucket(u64::MAX) + 1), u64::MAX, "the last edge saturates");
    }

    /// An hourly backup whose copy lands 30 minutes after it is taken: the RPO rises from 30
    /// to 90 minutes every hour. Sampled on the hour, as the schedule runs, it reads 60 minutes
    /// every time; over time, half of it is above one hour, the median is one hour, the p95
    /// 87 minutes (30 + 0.95 × 60) and the worst 90 minutes.
    #[test]
    fn an_hourly_tooth_is_measured_over_time_not_at_the_schedules_instants() {
        let (m, mut s) = (60_000u64, Sawtooth::default());
        for _ in 0..24 {
            s.rise(30 * m, 90 * m, Some(60 * m));
        }
        assert_eq!(s.total_ms(), 24 * 60 * u128::from(m));
        assert_eq!(s.max_ms(), 90 * m);
        assert_eq!(s.above_ppm(), 500_000);
        assert_eq!(s.percentile(50), 60 * m);
        let p95 = s.percentile(95);
        assert!(p95.abs_diff(87 * m) <= 87 * m / 1000, "{p95}");
        assert_eq!(s.percentile(100), 90 * m);
    }

    /// Percentiles against a brute force over every millisecond, on uneven segments.
    #[test]
    fn percentiles_agree_with_every_millisecond_counted() {
        let mut x = 11u64;
        let mut s = Sawtooth::default();
        let mut all = Vec::new();
        for _ in 0..300 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let a = (x >> 40) % 20_000;
            let len = 1 + (x >> 20) % 3_000;
            s.rise(a, a + len, Some(9_000));
            all.extend(a..a + len);
        }
        all.sort_unstable();
        let n = all.len() as u64;
        let above = all.iter().filter(|&&v| v >= 9_000).count() as u64;
        assert_eq!(s.above_ppm(), (above * 1_000_000 + n / 2) / n);
        for p in [1, 25, 50, 90, 95, 99, 100] {
            let want = all[((p * n).div_ceil(100).max(1) - 1) as usize] + 1;
            let got = s.percentile(p);
            assert!(got.abs_diff(want) <= want / 500 + 1, "p{p}: {got} vs {want}");
        }
        assert_eq!(s.max_ms(), *all.last().unwrap() + 1);
    }

    #[test]
    fn nothing_measured_reads_zero() {
        let s = Sawtooth::default();
        assert_eq!((s.percentile(95), s.max_ms(), s.above_ppm()), (0, 0, 0));
    }
}
