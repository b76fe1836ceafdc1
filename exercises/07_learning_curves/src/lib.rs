//! # Exercise 07: Read a learning curve
//!
//! Given per-epoch training and validation losses (`curves.train_loss`, `curves.val_loss`, the
//! same length `n >= 3`, row `i` is epoch `i`), the training and validation errors
//! (`curves.train_error`, `curves.val_error`: `1 - accuracy` per epoch, both present) and the
//! number of validation samples `curves.n_val` (present), say what they show, checking in this
//! order and answering with the first rule that holds:
//!
//! ```text
//! 1. Diverging { epoch_or_step: DivergedAt::Epoch(i as f64) }
//!      i = the first row where train[i] or val[i] is NaN / inf, or train[i] > 3 * train[0]
//! 2. Underfitting                                   high bias: the lecture's definition
//!      e_train = the last training error
//!      if e_train - 0.0 > 0.02      (the training error far above the target error, here 0)
//! 3. Overfitting { best_epoch: b }                  high variance: the lecture's definition
//!      e_val = the last validation error
//!      se    = sqrt(e_val * (1 - e_val) / n_val)    (the binomial standard error of e_val)
//!      if e_val - e_train > 0.02 + 2 * se            (a gap beyond the tolerance and the noise)
//!      b     = the first row of the smallest validation loss (where early stopping stops)
//! 4. GoodFit   otherwise
//! ```
//!
//! Bias comes before variance as in the lecture's basic recipe: first fit the training set,
//! then generalise. These are `trainlab_diagnosis::diagnose`'s definitions with its default
//! thresholds (target error 0, `max_avoidable_bias` 0.02, `max_variance` 0.02, `noise_z` 2),
//! cut down to four verdicts; the answer is its [`VerdictKind`], so it prints and serialises
//! like trainlab's (`trainlab diagnose` also knows chance level, rising losses, runs still
//! improving and more).
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
    let last = |e: &Option<Vec<f64>>| e.as_ref().and_then(|e| e.last().copied());
    let (Some(e_train), Some(e_val)) = (last(&curves.train_error), last(&curves.val_error)) else {
        return VerdictKind::GoodFit;
    };
    if e_train - 0.0 > 0.02 {
        return VerdictKind::Underfitting;
    }
    let n_val = curves.n_val.unwrap_or(1).max(1) as f64;
    let se = (e_val * (1.0 - e_val) / n_val).sqrt();
    if e_val - e_train > 0.02 + 2.0 * se {
        let best = (0..n).fold(0, |b, i| if val[i] < val[b] { i } else { b });
        return VerdictKind::Overfitting { best_epoch: best };
    }
    VerdictKind::GoodFit
    // STUB: let _ = (curves, DivergedAt::Epoch(0.0));
    // STUB: todo!("diverging, underfitting, overfitting or good fit")
    // END SOLUTION
}
