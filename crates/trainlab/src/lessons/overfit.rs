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
use trainlab_training::{train_on, History, TrainConfig};

/// Trains `config` (regression: use an MLP config; the output size follows the data) on
/// `n_train` noisy samples of the cubic `T_3` (noise 0.3) and validates on 200 fresh ones.
pub fn noisy_cubic(config: &TrainConfig, n_train: usize, seed: u64) -> Result<History> {
    let train = polynomial(n_train, 3, 0.3, seed);
    let val = polynomial(200, 3, 0.3, seed + 1_000);
    let mut history = History::default();
    train_on(config, &train, &val, &mut [&mut history])?;
    Ok(history)
}

/// The noise floor of [`noisy_cubic`]'s validation loss: the mean squared noise, 0.3² = 0.09.
/// No model can do better on fresh samples on average.
pub const NOISE_FLOOR: f64 = 0.09;

#[cfg(test)]
mod tests {
    use super::*;

    /// Prints the validation curve of a few settings (run by hand to pick the notebook's).
    #[test]
    #[ignore = "an experiment: prints curves"]
    fn print_curves() {
        for (hidden, lr, epochs, n) in [("[128, 128]", 0.01, 400, 20), ("[256, 256]", 0.01, 600, 12), ("[256, 256, 256]", 0.003, 600, 15)] {
            let c = crate::lessons::config(&format!(
                "seed = 0\n[model]\nhidden = {hidden}\n[optimizer]\nkind = \"adam\"\nalpha = {lr}\n[train]\nepochs = {epochs}\nbatch_size = 32"
            ))
            .unwrap();
            let h = noisy_cubic(&c, n, 0).unwrap();
            let v: Vec<String> = h
                .epochs
                .iter()
                .step_by(20)
                .map(|e| format!("{:.3}/{:.3}", e.train_loss, e.val_loss))
                .collect();
            println!("{hidden} {lr} {n}: {}", v.join(" "));
        }
    }
}

#[cfg(test)]
mod decay_experiment {
    /// Prints constant-rate against step-decay runs (run by hand to pick notebook 02's).
    #[test]
    #[ignore = "an experiment: prints curves"]
    fn print_decay_runs() {
        for (alpha, batch) in [(1.0, 16), (0.5, 16), (2.0, 64)] {
            for sched in ["", "[schedule]\nkind = \"step_decay\"\ngamma = 0.3\nstep_size = 5\n"] {
                let c = crate::lessons::config(&format!(
                    "seed = 0\n[optimizer]\nkind = \"sgd\"\nalpha = {alpha}\n{sched}[train]\nepochs = 20\nbatch_size = {batch}"
                ))
                .unwrap();
                let h = crate::lessons::train_history(&c).unwrap();
                let v: Vec<String> = h.epochs.iter().map(|e| format!("{:.3}", e.val_loss)).collect();
                println!("{alpha} {batch} {}: {}", !sched.is_empty(), v.join(" "));
            }
        }
    }
}
