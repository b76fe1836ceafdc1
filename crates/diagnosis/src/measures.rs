//! The measures the verdicts compare with [`crate::Thresholds`], on one loss series.
//!
//! ```text
//! median(x)      = the middle value (mean of the two middle ones), NaN ignored
//! tail_len(n)     = clamp(max(min_tail, ceil(tail_fraction * n)), 1, n)
//! slope(tail)     = sum((i - i_mean) * (x_i - x_mean)) / sum((i - i_mean)^2)   least squares, per epoch
//! rise_share(x)   = sum(max(d, 0)) / sum(|d|)           with d_i = x_{i+1} - x_i
//! sign_flips(x)   = #{i : d_i * d_{i+1} < 0} / (len(d) - 1)
//! ```

/// Mean of a non-empty slice (NaN for an empty one).
pub(crate) fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Median of a non-empty slice, NaN ignored unless all are NaN (then NaN); the mean of the two
/// middle values for an even count.
pub(crate) fn median(x: &[f64]) -> f64 {
    let mut v: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

/// Index of the first minimum, ignoring NaN; `None` if there is no number.
pub(crate) fn argmin(x: &[f64]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &v) in x.iter().enumerate() {
        if v.is_nan() {
            continue;
        }
        match best {
            Some(b) if x[b] <= v => {}
            _ => best = Some(i),
        }
    }
    best
}

/// How many final epochs form "the end" of a series of `n`.
pub(crate) fn tail_len(n: usize, tail_fraction: f64, min_tail: usize) -> usize {
    let by_share = (tail_fraction * n as f64).ceil();
    let by_share = if by_share.is_finite() && by_share > 0.0 {
        by_share as usize
    } else {
        0
    };
    by_share.max(min_tail).clamp(1.min(n), n)
}

/// Least-squares slope of `x` against its index (0 for fewer than 2 points).
pub(crate) fn slope(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return 0.0;
    }
    let i_mean = (x.len() - 1) as f64 / 2.0;
    let x_mean = mean(x);
    let (mut num, mut den) = (0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        let di = i as f64 - i_mean;
        num += di * (v - x_mean);
        den += di * di;
    }
    num / den
}

/// Epoch-to-epoch changes `d_i = x_{i+1} - x_i`.
fn changes(x: &[f64]) -> Vec<f64> {
    x.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Share of the total movement that went up (0 for a series that only falls or stays).
pub(crate) fn rise_share(x: &[f64]) -> f64 {
    let d = changes(x);
    let total: f64 = d.iter().map(|v| v.abs()).sum();
    if total == 0.0 {
        return 0.0;
    }
    d.iter().map(|v| v.max(0.0)).sum::<f64>() / total
}

/// Share of consecutive changes that flip sign (0 for fewer than 3 points).
pub(crate) fn sign_flips(x: &[f64]) -> f64 {
    let d = changes(x);
    if d.len() < 2 {
        return 0.0;
    }
    let flips = d.windows(2).filter(|w| w[0] * w[1] < 0.0).count();
    flips as f64 / (d.len() - 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    #[test]
    fn slope_of_a_line_is_its_step() {
        // x_i = 5 - 0.5 i: slope -0.5 exactly.
        assert_close(slope(&[5.0, 4.5, 4.0, 3.5]), -0.5);
        // (0,1), (1,3), (2,2): i_mean 1, x_mean 2, num = (-1)(-1) + 0 + (1)(0) = 1, den = 2.
        assert_close(slope(&[1.0, 3.0, 2.0]), 0.5);
        assert_close(slope(&[7.0]), 0.0);
    }

    #[test]
    fn tail_is_a_share_with_a_floor() {
        assert_eq!(tail_len(30, 0.2, 3), 6);
        assert_eq!(tail_len(10, 0.2, 3), 3);
        assert_eq!(tail_len(2, 0.2, 3), 2);
        assert_eq!(tail_len(11, 0.2, 3), 3); // ceil(2.2) = 3
        assert_eq!(tail_len(0, 0.2, 3), 0);
    }

    #[test]
    fn rise_share_and_flips_by_hand() {
        // d = [-1, +1, -1]: rises 1 of total 3; flips 2 of 2.
        assert_close(rise_share(&[3.0, 2.0, 3.0, 2.0]), 1.0 / 3.0);
        assert_close(sign_flips(&[3.0, 2.0, 3.0, 2.0]), 1.0);
        // Monotone: nothing rises, nothing flips.
        assert_close(rise_share(&[3.0, 2.0, 1.0]), 0.0);
        assert_close(sign_flips(&[3.0, 2.0, 1.0]), 0.0);
        assert_close(rise_share(&[1.0, 1.0]), 0.0);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_close(median(&[26.3, 6.3, 2.6]), 6.3);
        assert_close(median(&[1.0, 3.0]), 2.0);
        assert_close(median(&[f64::NAN, 2.0, 5.0, 4.0]), 4.0);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn argmin_takes_the_first_and_skips_nan() {
        assert_eq!(argmin(&[3.0, f64::NAN, 1.0, 1.0]), Some(2));
        assert_eq!(argmin(&[f64::NAN]), None);
        assert_eq!(argmin(&[]), None);
    }
}
