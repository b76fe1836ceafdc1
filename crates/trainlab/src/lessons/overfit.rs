//! Overfitting you can see: a large MLP fitted to a few noisy samples of a smooth curve. Its
//! validation loss falls while the net learns the curve, then rises while it learns the noise:
//! the U that early stopping cuts at its bottom (notebook 04).
//!
//! ```text
//! train: n points x ~ U[-1, 1], y = T_3(x) + 0.3 N(0, 1)      (T_3 = 4x^3 - 3x, Chebyshev)
//! val:   200 fresh points from the same distribution
//! loss:  mean squared error
//! ```
//! The data set is `trainlab_data::synthetic::polynomial`; the picture is the lecture's
//! under/overfitting curve, the data set is the usual textbook example (Bishop, PRML 1.1).

use anyhow::Result;
use trainlab_data::synthetic::polynomial;
use trainlab_training::{History, TrainConfig, Trainer};

/// Trains `config` (regression: use an MLP config; the output size follows the data) on
/// `n_train` noisy samples of the cubic `T_3` (noise 0.3) and validates on 200 fresh ones.
pub fn noisy_cubic(config: &TrainConfig, n_train: usize, seed: u64) -> Result<History> {
    let train = polynomial(n_train, 3, 0.3, seed);
    let val = polynomial(200, 3, 0.3, seed + 1_000);
    let mut history = History::default();
    Trainer::new(config.plan_on(train, val)?).run(&mut [&mut history])?;
    Ok(history)
}

/// The noise floor of [`noisy_cubic`]'s validation loss: the mean squared noise, 0.3² = 0.09.
/// No model can do better on fresh samples on average.
pub const NOISE_FLOOR: f64 = 0.09;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_net_on_few_points_overfits_after_its_validation_minimum() {
        // the notebook's setting, shortened: the validation loss must rise after its minimum
        // while the training loss goes below the noise floor
        let c = crate::lessons::config(
            "seed = 0\n[model]\nhidden = [128, 128]\n[optimizer]\nkind = \"adam\"\nalpha = 0.01\n[train]\nepochs = 200\nbatch_size = 32",
        )
        .unwrap();
        let h = noisy_cubic(&c, 20, 0).unwrap();
        let min = h
            .epochs
            .iter()
            .map(|e| e.val_loss)
            .fold(f32::INFINITY, f32::min);
        let last = h.epochs.last().unwrap();
        assert!(last.val_loss > 1.3 * min, "{} vs min {min}", last.val_loss);
        assert!(
            f64::from(last.train_loss) < NOISE_FLOOR,
            "{}",
            last.train_loss
        );
    }
}
