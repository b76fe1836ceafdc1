//! Losses and metrics: softmax cross-entropy on raw logits, mean squared error, accuracy.

use dfdx::prelude::*;

use crate::mlp::Matrix;

/// Mean softmax cross-entropy of raw `logits` (n, C) against integer labels, PyTorch's
/// `CrossEntropyLoss()` (reduction `mean`): `-(1/n) * sum_i log_softmax(logits_i)[y_i]`.
///
/// It takes logits, not probabilities: applying softmax first (the lecture's "softmax before a
/// loss that expects logits" mistake) would squash the gradients.
pub fn cross_entropy<T: Tape<f32, Cpu>>(
    logits: Matrix<T>,
    labels: &[u32],
) -> Tensor<(), f32, Cpu, T> {
    let (n, c) = *logits.shape();
    let mut one_hot = vec![0.0f32; n * c];
    for (i, &y) in labels.iter().enumerate() {
        one_hot[i * c + y as usize] = 1.0;
    }
    let target = logits.device().tensor_from_vec(one_hot, (n, c));
    cross_entropy_with_logits_loss(logits, target)
}

/// Mean squared error of a (n, 1) prediction against targets.
pub fn mean_squared_error<T: Tape<f32, Cpu>>(
    pred: Matrix<T>,
    targets: &[f32],
) -> Tensor<(), f32, Cpu, T> {
    let shape = *pred.shape();
    let target = pred.device().tensor_from_vec(targets.to_vec(), shape);
    mse_loss(pred, target)
}

/// Fraction of rows of `logits` (row-major, `n_classes` per row) whose arg-max is the label.
/// Ties go to the lowest class, as `torch.argmax` does.
pub fn accuracy(logits: &[f32], n_classes: usize, labels: &[u32]) -> f64 {
    if labels.is_empty() {
        return 0.0;
    }
    let correct = logits
        .chunks_exact(n_classes)
        .zip(labels)
        .filter(|(row, &y)| argmax(row) == y as usize)
        .count();
    correct as f64 / labels.len() as f64
}

/// The index of the largest value; ties go to the lowest index, as `torch.argmax` does.
pub fn argmax(row: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_logits_give_ln_c() {
        // With equal logits every class has probability 1/C: the loss is ln(C) whatever the label.
        let dev = Cpu::default();
        let logits: Matrix = dev.tensor_from_vec(vec![0.3; 4 * 10], (4, 10));
        let loss = cross_entropy(logits, &[0, 3, 9, 5]).array();
        assert!((loss - 10f32.ln()).abs() < 1e-6, "{loss}");
    }

    #[test]
    fn cross_entropy_by_hand() {
        // logits [ln 1, ln 3] -> softmax [0.25, 0.75]; label 1 -> -ln 0.75; label 0 -> -ln 0.25
        let dev = Cpu::default();
        let logits: Matrix = dev.tensor_from_vec(vec![0.0, 3f32.ln(), 0.0, 3f32.ln()], (2, 2));
        let loss = cross_entropy(logits, &[1, 0]).array();
        let expected = (-(0.75f32.ln()) - 0.25f32.ln()) / 2.0;
        assert!((loss - expected).abs() < 1e-6, "{loss} vs {expected}");
    }

    #[test]
    fn accuracy_counts_argmax_hits_and_ties_go_low() {
        let logits = [0.1, 0.9, 0.8, 0.2, 0.5, 0.5];
        assert_eq!(accuracy(&logits, 2, &[1, 0, 0]), 1.0);
        assert_eq!(accuracy(&logits, 2, &[0, 0, 1]), 1.0 / 3.0);
    }

    #[test]
    fn mse_by_hand() {
        let dev = Cpu::default();
        let pred: Matrix = dev.tensor_from_vec(vec![1.0, 2.0], (2, 1));
        let loss = mean_squared_error(pred, &[0.0, 4.0]).array();
        assert_eq!(loss, (1.0 + 4.0) / 2.0);
    }
}
