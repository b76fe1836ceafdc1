//! The lecture's common training mistakes, each shown on small plain numbers and caught by a
//! check that a training loop can run.
//!
//! ```text
//! gradients not zeroed:   g_used(t) = g(1) + ... + g(t)       (PyTorch: no optimizer.zero_grad())
//! softmax before CE:      loss = CE(softmax(z)) instead of CE(z); the loss cannot fall below
//!                         ln(1 + (C - 1) / e) for a one-hot margin of 1 (1.46 for C = 10)
//! wrong reduction dim:    softmax over the batch (dim 0) instead of the classes (dim 1):
//!                         rows do not sum to 1
//! train/eval mode:        dropout left on at evaluation: the same input gives different outputs
//! ```
//!
//! PyTorch makes the same mistakes possible (`zero_grad`, `CrossEntropyLoss` on probabilities,
//! `softmax(dim=0)`, forgetting `model.eval()`); dfdx zeroes gradients by building a fresh tape
//! each step, which is why the first one is shown here on a plain loop.

use trainlab_plots::Surface;

/// Gradient descent on the valley `f = x^2/20 + y^2` from `(-9, 2)` with rate `alpha`, the loss
/// after each step: with `zero_grad` each step uses its own gradient; without, the gradients of
/// all steps so far add up (the bug).
///
/// ```
/// use trainlab::lessons::mistakes::valley_losses;
/// let ok = valley_losses(0.1, 30, true);
/// let bug = valley_losses(0.1, 30, false);
/// assert!(ok[29] < ok[0]);
/// assert!(bug[29] > ok[29]);
/// ```
pub fn valley_losses(alpha: f64, steps: usize, zero_grad: bool) -> Vec<f64> {
    let (mut x, mut y) = (-9.0, 2.0);
    let (mut gx_acc, mut gy_acc) = (0.0, 0.0);
    let mut losses = Vec::with_capacity(steps);
    for _ in 0..steps {
        let (gx, gy) = Surface::Valley.gradient(x, y);
        if zero_grad {
            (gx_acc, gy_acc) = (gx, gy);
        } else {
            gx_acc += gx;
            gy_acc += gy;
        }
        x -= alpha * gx_acc;
        y -= alpha * gy_acc;
        losses.push(Surface::Valley.value(x, y));
    }
    losses
}

/// The check that catches a loop that forgets to zero its gradients: the loss of a small,
/// stable rate should fall over the first steps; `Err` names the step where it rose by more
/// than half of the first loss.
///
/// ```
/// use trainlab::lessons::mistakes::{check_loss_falls, valley_losses};
/// assert!(check_loss_falls(&valley_losses(0.1, 50, true)).is_ok());
/// assert!(check_loss_falls(&valley_losses(0.1, 50, false)).is_err());
/// ```
pub fn check_loss_falls(losses: &[f64]) -> Result<(), String> {
    let Some(&first) = losses.first() else {
        return Ok(());
    };
    let mut best = first;
    for (t, &l) in losses.iter().enumerate() {
        if !l.is_finite() || l > best + 0.5 * first {
            return Err(format!(
                "step {t}: loss {l:.4} rose above the best so far {best:.4}: are the gradients \
                 zeroed before each backward pass?"
            ));
        }
        best = best.min(l);
    }
    Ok(())
}

/// Softmax of one row of logits (shifted by the maximum, so it never overflows).
pub fn softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let sum: f64 = e.iter().sum();
    e.into_iter().map(|v| v / sum).collect()
}

/// Cross-entropy of one row of logits `z` against class `y`: `-ln softmax(z)[y]`.
pub fn cross_entropy(z: &[f64], y: usize) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let log_sum = z.iter().map(|v| (v - m).exp()).sum::<f64>().ln() + m;
    log_sum - z[y]
}

/// For a model growing more confident (logits `scale * onehot(0)` over `classes` classes), the
/// cross-entropy of the logits (right) and of softmax(logits) (the bug): `(scale, right, bug)`.
///
/// ```
/// use trainlab::lessons::mistakes::softmax_before_loss;
/// let rows = softmax_before_loss(10, &[0.0, 20.0]);
/// // equal logits: both losses are ln(10) for the logits, and ln(10) for equal probabilities too
/// assert!((rows[0].1 - 10f64.ln()).abs() < 1e-12);
/// // confident: the right loss goes to 0, the bug stays near ln(1 + 9/e) = 1.46
/// assert!(rows[1].1 < 1e-6);
/// assert!((rows[1].2 - (1.0 + 9.0 / std::f64::consts::E).ln()).abs() < 1e-6);
/// ```
pub fn softmax_before_loss(classes: usize, scales: &[f64]) -> Vec<(f64, f64, f64)> {
    scales
        .iter()
        .map(|&s| {
            let mut z = vec![0.0; classes];
            z[0] = s;
            (s, cross_entropy(&z, 0), cross_entropy(&softmax(&z), 0))
        })
        .collect()
}

/// The check that catches probabilities passed where logits are expected: every row already
/// lies in `[0, 1]` and sums to 1.
///
/// ```
/// use trainlab::lessons::mistakes::{looks_like_probabilities, softmax};
/// let z = [2.0, -1.0, 0.5];
/// assert!(!looks_like_probabilities(&[z.to_vec()]));
/// assert!(looks_like_probabilities(&[softmax(&z)]));
/// ```
pub fn looks_like_probabilities(rows: &[Vec<f64>]) -> bool {
    !rows.is_empty()
        && rows.iter().all(|r| {
            r.iter().all(|p| (0.0..=1.0).contains(p)) && (r.iter().sum::<f64>() - 1.0).abs() < 1e-6
        })
}

/// Softmax of a batch (rows = samples, columns = classes) over `dim`: 1 is right (each sample's
/// classes), 0 is the bug (each class across the batch).
///
/// ```
/// use trainlab::lessons::mistakes::{row_sums, softmax_dim};
/// let logits = vec![vec![1.0, 2.0, 3.0], vec![1.0, 1.0, 1.0]];
/// assert!(row_sums(&softmax_dim(&logits, 1)).iter().all(|s| (s - 1.0).abs() < 1e-12));
/// assert!(row_sums(&softmax_dim(&logits, 0)).iter().any(|s| (s - 1.0).abs() > 0.1));
/// ```
pub fn softmax_dim(logits: &[Vec<f64>], dim: usize) -> Vec<Vec<f64>> {
    if dim == 1 {
        return logits.iter().map(|r| softmax(r)).collect();
    }
    let cols = logits.first().map_or(0, Vec::len);
    let mut out = logits.to_vec();
    for c in 0..cols {
        let column: Vec<f64> = logits.iter().map(|r| r[c]).collect();
        for (row, p) in out.iter_mut().zip(softmax(&column)) {
            row[c] = p;
        }
    }
    out
}

/// The sum of each row: the check that catches a softmax over the wrong dimension (every sum
/// must be 1).
pub fn row_sums(rows: &[Vec<f64>]) -> Vec<f64> {
    rows.iter().map(|r| r.iter().sum()).collect()
}

/// Inverted dropout (the lecture's and PyTorch's form): in training each unit is kept with
/// probability `1 - p` and scaled by `1 / (1 - p)`; in evaluation the input passes unchanged.
/// `seed` picks the mask (a SplitMix64 stream).
///
/// ```
/// use trainlab::lessons::mistakes::dropout;
/// let x = vec![1.0; 8];
/// assert_eq!(dropout(&x, 0.5, false, 1), x);
/// let y = dropout(&x, 0.5, true, 1);
/// assert!(y.iter().all(|&v| v == 0.0 || v == 2.0));
/// ```
pub fn dropout(x: &[f64], p: f64, training: bool, seed: u64) -> Vec<f64> {
    if !training || p == 0.0 {
        return x.to_vec();
    }
    let mut state = seed;
    x.iter()
        .map(|&v| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let u = (z >> 11) as f64 / (1u64 << 53) as f64;
            if u < p {
                0.0
            } else {
                v / (1.0 - p)
            }
        })
        .collect()
}

/// The check that catches evaluation in training mode: evaluating the same input twice must
/// give the same output. `evaluate(seed)` runs one evaluation (the seed stands for the random
/// state that changes between calls).
pub fn check_deterministic_eval(evaluate: &dyn Fn(u64) -> Vec<f64>) -> Result<(), String> {
    let (a, b) = (evaluate(1), evaluate(2));
    if a == b {
        Ok(())
    } else {
        Err(
            "two evaluations of the same input differ: is the model still in training mode \
             (dropout on)?"
                .to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_zeroing_is_momentum_with_beta_one() {
        // Accumulated gradients g(1) + ... + g(t) are momentum v = beta v + g with beta = 1: the
        // first step is plain SGD, the second adds the first gradient again. By hand, y only:
        // y0 = 2, g = 2y = 4, y1 = 2 - 0.1 * 4 = 1.6; g = 3.2, acc = 7.2, y2 = 1.6 - 0.72 = 0.88.
        let (mut y, mut acc) = (2.0f64, 0.0);
        for _ in 0..2 {
            acc += 2.0 * y;
            y -= 0.1 * acc;
        }
        assert!((y - 0.88).abs() < 1e-12);
        let bug = valley_losses(0.1, 2, false);
        let x2 = {
            // x: g = x/10; x0 = -9: x1 = -9 + 0.09 = -8.91; acc = -0.9 - 0.891; x2 = -8.91 + 0.1791
            -8.91 + 0.1 * (0.9 + 0.891)
        };
        let want = x2 * x2 / 20.0 + 0.88 * 0.88;
        assert!((bug[1] - want).abs() < 1e-12, "{} vs {want}", bug[1]);
    }

    #[test]
    fn cross_entropy_of_equal_logits_is_ln_c() {
        assert!((cross_entropy(&[0.3; 10], 4) - 10f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn softmax_dim_zero_sums_columns_to_one() {
        let logits = vec![vec![1.0, 5.0], vec![3.0, -2.0], vec![0.0, 0.0]];
        let p = softmax_dim(&logits, 0);
        for c in 0..2 {
            let s: f64 = p.iter().map(|r| r[c]).sum();
            assert!((s - 1.0).abs() < 1e-12, "column {c}: {s}");
        }
    }

    #[test]
    fn dropout_in_training_differs_between_seeds_and_eval_does_not() {
        let x = vec![1.0; 64];
        let train = |seed| dropout(&x, 0.5, true, seed);
        let eval = |seed| dropout(&x, 0.5, false, seed);
        assert!(check_deterministic_eval(&train).is_err());
        assert!(check_deterministic_eval(&eval).is_ok());
    }
}
