//! # Exercise 07: Read a learning curve
//!
//! Given per-epoch training and validation losses (`curves.train_loss`, `curves.val_loss`, the
//! same length `n >= 3`, row `i` is epoch `i`), say what they show, checking in this order and
//! answering with the first rule that holds:
//!
//! ```text
//! 1. Diverging { epoch_or_step: DivergedAt::Epoch(i as f64) }
//!      i = the first row where train[i] or val[i] is NaN / inf, or train[i] > 3 * train[0]
//! 2. Overfitting { best_epoch: b }
//!      b    = the first row of the smallest val loss
//!      end  = mean of the last 3 val losses
//!      rise = (end - val[b]) / |val[b]|
//!      if b < n - 1  and  rise > 0.10  and  train[n-1] < train[b]   (training kept improving)
//! 3. Underfitting
//!      tail  = the last max(3, ceil(0.2 * n)) rows
//!      slope = least-squares slope of a loss over the tail, per epoch, divided by |train[0]|:
//!              sum((j - j_mean) * (x_j - x_mean)) / sum((j - j_mean)^2),  j = 0..tail_len
//!      if slope(train) < -0.005  and  slope(val) < -0.005     (both still falling: train longer)
//! 4. GoodFit   otherwise
//! ```
//!
//! These are `trainlab_diagnosis::diagnose`'s rules with its default thresholds, cut down to four
//! verdicts; the answer is its [`VerdictKind`], so it prints and serialises like trainlab's
//! (`trainlab diagnose` also knows large gaps, unstable curves and more).
//!
//! Edit only this file. `cargo make grade 7` runs its visible tests; `cargo make hint 7` gives a hint.

use trainlab_exercise_api::diagnosis::{Curves, DivergedAt, VerdictKind};

/// The verdict on `curves` (see the module docs).
pub fn classify(curves: &Curves) -> VerdictKind {
    // TODO
    // BEGIN SOLUTION
    let (train, val) = (&curves.train_loss, &curves.val_loss);
    let n = train.len().min(val.len());
    let limit = 3.0 * train[0];
    let bad = (0..n).find(|&i| {
        !train[i].is_finite() || !val[i].is_finite() || (limit > 0.0 && train[i] > limit)
    });
    if let Some(i) = bad {
        return VerdictKind::Diverging {
            epoch_or_step: DivergedAt::Epoch(i as f64),
        };
    }
    let (train, val) = (&train[..n], &val[..n]);
    let best = (0..n).fold(0, |b, i| if val[i] < val[b] { i } else { b });
    let end = mean(&val[n - 3..]);
    let rise = (end - val[best]) / val[best].abs();
    if best < n - 1 && rise > 0.10 && train[n - 1] < train[best] {
        return VerdictKind::Overfitting { best_epoch: best };
    }
    let tail = 3.max((0.2 * n as f64).ceil() as usize).min(n);
    let scale = train[0].abs();
    let falling = |x: &[f64]| slope(&x[n - tail..]) / scale < -0.005;
    if falling(train) && falling(val) {
        return VerdictKind::Underfitting;
    }
    VerdictKind::GoodFit
    // STUB: let _ = (curves, DivergedAt::Epoch(0.0));
    // STUB: todo!("underfitting, overfitting, good fit or diverging")
    // END SOLUTION
}

// BEGIN SOLUTION
/// Mean of a non-empty slice.
fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Least-squares slope of `x` against its index.
fn slope(x: &[f64]) -> f64 {
    let j_mean = (x.len() - 1) as f64 / 2.0;
    let x_mean = mean(x);
    let (mut num, mut den) = (0.0, 0.0);
    for (j, &v) in x.iter().enumerate() {
        let dj = j as f64 - j_mean;
        num += dj * (v - x_mean);
        den += dj * dj;
    }
    num / den
}
// END SOLUTION
