//! Mean and 95 % confidence interval over replications (Student t, from a table, so the figures
//! are the same on every machine).

/// t quantiles q(0.975) for 1–30 degrees of freedom (4 decimals; checked against a numerical
/// integration of the t density).
const T_975: [f64; 30] = [
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010, 2.1788, 2.1604, 2.1448,
    2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484,
    2.0452, 2.0423,
];
/// Beyond 30 degrees of freedom: the table's 30, 40, 60, 120 and ∞ rows, interpolated in 1/df.
const T_975_TAIL: [(f64, f64); 5] =
    [(30.0, 2.0423), (40.0, 2.0211), (60.0, 2.0003), (120.0, 1.9799), (f64::INFINITY, 1.9600)];

/// The 0.975 quantile of Student's t with `df` degrees of freedom (`df` ≥ 1).
pub fn t_975(df: usize) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    if df <= 30 {
        return T_975[df - 1];
    }
    let x = 1.0 / df as f64;
    for w in T_975_TAIL.windows(2) {
        let ((d0, t0), (d1, t1)) = (w[0], w[1]);
        if (df as f64) <= d1 {
            let (x0, x1) = (1.0 / d0, 1.0 / d1);
            return t0 + (t1 - t0) * (x - x0) / (x1 - x0);
        }
    }
    1.9600
}

/// Mean, standard deviation and 95 % confidence interval of a sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Sample size.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1); `None` for a single value.
    pub sd: Option<f64>,
    /// `(low, high)`: mean ∓ t(0.975, n − 1)·sd/√n; `None` for a single value.
    pub ci95: Option<(f64, f64)>,
}

/// The interval of `values` (in the order given; the sums run in that order).
pub fn interval(values: &[f64]) -> Option<Interval> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Some(Interval { n, mean, sd: None, ci95: None });
    }
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t_975(n - 1) * sd / (n as f64).sqrt();
    Some(Interval { n, mean, sd: Some(sd), ci95: Some((mean - half, mean + half)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_printed_table() {
        assert_eq!(t_975(1), 12.7062);
        assert_eq!(t_975(2), 4.3027);
        assert_eq!(t_975(10), 2.2281);
        assert_eq!(t_975(30), 2.0423);
        assert!((t_975(40) - 2.0211).abs() < 1e-12);
        assert!((t_975(120) - 1.9799).abs() < 1e-12);
        assert!((t_975(100) - 1.9840).abs() < 5e-4, "{}", t_975(100));
        assert!((t_975(1_000_000) - 1.96).abs() < 1e-3);
    }

    #[test]
    fn a_three_value_interval_by_hand() {
        // 1, 2, 6: mean 3, variance ((−2)² + (−1)² + 3²)/2 = 7, sd √7,
        // half-width 4.3027·√7/√3 = 4.3027 × 1.527525 = 6.572483.
        let i = interval(&[1.0, 2.0, 6.0]).unwrap();
        assert_eq!(i.mean, 3.0);
        assert!((i.sd.unwrap() - 7f64.sqrt()).abs() < 1e-12);
        let (lo, hi) = i.ci95.unwrap();
        assert!((hi - 3.0 - 6.572483).abs() < 1e-5, "{hi}");
        assert!((3.0 - lo - 6.572483).abs() < 1e-5, "{lo}");
    }

    #[test]
    fn one_value_has_no_interval() {
        assert_eq!(interval(&[5.0]), Some(Interval { n: 1, mean: 5.0, sd: None, ci95: None }));
        assert_eq!(interval(&[]), None);
    }
}
