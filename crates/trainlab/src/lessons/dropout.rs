//! Dropout and the mistake of evaluating in training mode, on the real MLP (notebook 06).
//!
//! ```text
//! training:   h = h * mask / (1 - p)     mask ~ Bernoulli(1 - p) per unit, fresh every pass
//! evaluation: h = h                      (inverted dropout: nothing to rescale)
//! ```
//! The trainer switches the MLP to `Mode::Train` for each step and to `Mode::Eval` to validate,
//! like PyTorch's `model.train()` / `model.eval()`. Dropout itself is the lecture's; the
//! inverted form (scaling in training, not at test time) is how PyTorch implements it.

use anyhow::Result;
use trainlab_training::{evaluate_in, History, Mode, TrainConfig, Trainer};

/// One run with dropout, then its validation accuracy evaluated the right way and the wrong way.
#[derive(Clone, Debug)]
pub struct DropoutEvaluation {
    /// The run's history (validated in eval mode by the trainer).
    pub history: History,
    /// Validation loss and accuracy in eval mode: deterministic.
    pub eval: (f32, f64),
    /// Validation loss and accuracy in training mode, for several dropout masks: they differ
    /// from each other and are worse.
    pub train_mode: Vec<(f32, f64)>,
}

/// Trains `config` (give it `[model] dropout = ...`) and evaluates the validation split once in
/// eval mode and `masks` times in training mode (masks of iterations 1, 2, ...).
pub fn evaluate_both_ways(config: &TrainConfig, masks: u64) -> Result<DropoutEvaluation> {
    let plan = config.plan()?;
    let val = plan.data().val.clone();
    let mut history = History::default();
    let trained = Trainer::new(plan).run(&mut [&mut history])?;
    let (loss, acc) = evaluate_in(&trained.model, &val, 0, Mode::Eval);
    let train_mode = (1..=masks)
        .map(|step| {
            let (l, a) = evaluate_in(&trained.model, &val, 0, Mode::Train { step });
            (l, a.unwrap_or(f64::NAN))
        })
        .collect();
    Ok(DropoutEvaluation {
        history,
        eval: (loss, acc.unwrap_or(f64::NAN)),
        train_mode,
    })
}
