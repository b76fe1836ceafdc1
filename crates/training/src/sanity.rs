//! The sanity ladder ("How to Start"): check the untrained loss, then make sure the model can
//! overfit 1, 4, 10, 100 and 1000 samples before training it on everything.
//!
//! ```text
//! initial check:  L = mean cross-entropy of the untrained model on the training split
//!                 expected = ln(C)                  (uniform predictions over C classes)
//!                 ok  if |L - ln C| <= tolerance * ln C      tolerance = 0.10 (10%)
//!                 too_high / too_low otherwise (too high: init too large, wrong loss scale;
//!                 too low: a label leak or a softmax applied twice)
//! ladder, for n in [1, 4, 10, 100, 1000] (clamped to the training split's size):
//!   subset = the first n training samples (the split is already shuffled)
//!   fresh model (config.seed), config's optimizer, full-batch steps on the subset
//!   before each step: train accuracy on the subset; stop at 100% or after max_iterations
//!   report: train accuracy reached, iterations taken, validation accuracy on the full val split
//! ```
//!
//! With few samples the model memorises (100% train, poor validation); as n grows the
//! validation accuracy climbs: the point where generalisation starts. PyTorch has no such
//! routine (it is Karpathy's "overfit one batch" advice, the lecture's progression).

use serde::{Deserialize, Serialize};
use trainlab_data::Dataset;

use crate::trainer::evaluate;
use crate::{Progress, TrainConfig, TrainError, Trainer};

/// Settings of the ladder. `Default` is the lecture's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SanityConfig {
    /// Subset sizes to overfit. Default: `[1, 4, 10, 100, 1000]`.
    pub sizes: Vec<usize>,
    /// Full-batch steps allowed per size. Default: 2000.
    pub max_iterations: usize,
    /// Relative tolerance of the initial-loss check. Default: 0.10.
    pub tolerance: f64,
}

impl Default for SanityConfig {
    fn default() -> Self {
        Self {
            sizes: vec![1, 4, 10, 100, 1000],
            max_iterations: 2000,
            tolerance: 0.10,
        }
    }
}

/// The initial-loss verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossVerdict {
    /// Within tolerance of `ln C`.
    Ok,
    /// Above: initial weights too large, or the loss is not what it should be.
    TooHigh,
    /// Below: suspicious (a label leak, softmax applied twice, ...).
    TooLow,
}

/// The untrained loss against its expectation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitialLossCheck {
    /// Number of classes `C`.
    pub n_classes: usize,
    /// The untrained model's mean loss on the training split.
    pub loss: f64,
    /// `ln C`.
    pub expected: f64,
    /// The relative tolerance used.
    pub tolerance: f64,
    /// The verdict.
    pub verdict: LossVerdict,
}

/// One rung of the ladder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverfitRung {
    /// The size asked for.
    pub requested: usize,
    /// The size used (at most the training split's size).
    pub n: usize,
    /// Training accuracy on the subset when it stopped.
    pub train_accuracy: f64,
    /// True when it reached 100%.
    pub reached_100: bool,
    /// Full-batch steps taken (0 if it was already at 100%).
    pub iterations: usize,
    /// Accuracy on the whole validation split afterwards.
    pub val_accuracy: Option<f64>,
    /// Loss on the whole validation split afterwards.
    pub val_loss: f64,
}

/// The whole ladder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SanityReport {
    /// The initial-loss check.
    pub initial: InitialLossCheck,
    /// One rung per size, in order.
    pub ladder: Vec<OverfitRung>,
}

/// The initial-loss check of a fresh `config` model on `train` (classification only).
pub fn initial_loss_check(
    config: &TrainConfig,
    train: &Dataset,
    tolerance: f64,
) -> Result<InitialLossCheck, TrainError> {
    let n_classes = classes(train)?;
    let plan = config.plan_on(train.clone(), train.subset(&[]))?;
    let loss = f64::from(evaluate(plan.model(), train, 0).0);
    let expected = (n_classes as f64).ln();
    let verdict = if (loss - expected).abs() <= tolerance * expected {
        LossVerdict::Ok
    } else if loss > expected {
        LossVerdict::TooHigh
    } else {
        LossVerdict::TooLow
    };
    Ok(InitialLossCheck {
        n_classes,
        loss,
        expected,
        tolerance,
        verdict,
    })
}

fn classes(train: &Dataset) -> Result<usize, TrainError> {
    train.n_classes().ok_or_else(|| TrainError::InvalidConfig {
        key: "data.dataset".into(),
        value: "a regression target".into(),
        expected: "a classification data set (the sanity ladder checks ln C and accuracy)".into(),
    })
}

/// Overfits the first `n` samples of `train`; see the module docs.
pub fn overfit(
    config: &TrainConfig,
    train: &Dataset,
    val: &Dataset,
    n: usize,
    max_iterations: usize,
) -> Result<OverfitRung, TrainError> {
    classes(train)?;
    let used = n.min(train.len());
    let indices: Vec<usize> = (0..used).collect();
    let subset = train.subset(&indices);
    // full-batch steps: one epoch is one iteration
    let mut full_batch = config.clone();
    full_batch.train.batch_size = used.max(1);
    full_batch.train.epochs = max_iterations.max(1);
    full_batch.train.early_stopping = None;
    let mut trainer = Trainer::new(full_batch.plan_on(subset.clone(), val.clone())?);
    let mut iterations = 0;
    let mut train_accuracy = evaluate(trainer.model(), &subset, 0).1.unwrap_or(0.0);
    while train_accuracy < 1.0 && iterations < max_iterations {
        let progress = trainer.step(&mut [])?;
        iterations += 1;
        if matches!(progress, Progress::Finished(_)) {
            break;
        }
        train_accuracy = evaluate(trainer.model(), &subset, 0).1.unwrap_or(0.0);
    }
    let (val_loss, val_accuracy) = evaluate(trainer.model(), val, 0);
    Ok(OverfitRung {
        requested: n,
        n: used,
        train_accuracy,
        reached_100: train_accuracy >= 1.0,
        iterations,
        val_accuracy,
        val_loss: f64::from(val_loss),
    })
}

/// The initial-loss check, then one [`overfit`] per size; `on_rung` hears each rung as it ends.
pub fn sanity_ladder(
    config: &TrainConfig,
    train: &Dataset,
    val: &Dataset,
    sanity: &SanityConfig,
    on_rung: &mut dyn FnMut(&OverfitRung),
) -> Result<SanityReport, TrainError> {
    let initial = initial_loss_check(config, train, sanity.tolerance)?;
    let mut ladder = Vec::with_capacity(sanity.sizes.len());
    for &n in &sanity.sizes {
        if n == 0 {
            return Err(TrainError::InvalidConfig {
                key: "sanity.sizes".into(),
                value: "0".into(),
                expected: "sizes of at least 1 sample".into(),
            });
        }
        let rung = overfit(config, train, val, n, sanity.max_iterations)?;
        on_rung(&rung);
        ladder.push(rung);
    }
    Ok(SanityReport { initial, ladder })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mlp;
    use trainlab_data::synthetic::two_moons;

    #[test]
    fn zero_weights_give_exactly_ln_c_and_an_ok_verdict() {
        // all-zero weights: every logit is 0, softmax is uniform, the loss is ln 2 exactly
        let data = two_moons(40, 0.1, 0);
        let mut m = Mlp::new(2, &[4], 2, crate::Activation::Relu, 0);
        let zeros: Vec<Vec<f32>> = m
            .parameters()
            .iter()
            .map(|(_, v)| vec![0.0; v.len()])
            .collect();
        m.set_parameters(&zeros).unwrap();
        let loss = f64::from(evaluate(&m, &data, 0).0);
        use crate::tolerance::{assert_close, F32_TOL};
        assert_close(loss, 2f64.ln(), F32_TOL, "loss of zero weights");
    }

    #[test]
    fn one_sample_is_overfit_at_once() {
        let data = two_moons(40, 0.1, 0);
        let rung = overfit(&TrainConfig::default(), &data, &data, 1, 500).unwrap();
        assert!(rung.reached_100, "{rung:?}");
        assert_eq!(rung.n, 1);
    }

    #[test]
    fn sizes_are_clamped_to_the_training_split() {
        let data = two_moons(40, 0.1, 0);
        let rung = overfit(&TrainConfig::default(), &data, &data, 1000, 5).unwrap();
        assert_eq!((rung.requested, rung.n), (1000, 40));
        assert!(rung.iterations <= 5);
    }

    #[test]
    fn regression_targets_are_refused() {
        let d = Dataset::new(
            "line",
            vec![0.0, 1.0],
            1,
            trainlab_data::Target::Values(vec![0.0, 1.0]),
        )
        .unwrap();
        let err = initial_loss_check(&TrainConfig::default(), &d, 0.1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("classification"), "{err}");
    }
}
