//! The small trait through which the trainer reports progress. It never prints on its own.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::Outcome;

/// What a run is, told once at the start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Training samples.
    pub n_train: usize,
    /// Validation samples.
    pub n_val: usize,
    /// Layer sizes, input first.
    pub layer_sizes: Vec<usize>,
    /// Trainable numbers.
    pub n_params: usize,
    /// Epochs planned.
    pub epochs: usize,
    /// Minibatches per epoch.
    pub steps_per_epoch: usize,
}

/// Where the time of one iteration went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepTimings {
    /// Gathering the minibatch into tensors.
    pub data: Duration,
    /// Forward pass, loss and backward pass.
    pub forward_backward: Duration,
    /// The optimizer step.
    pub update: Duration,
}

impl StepTimings {
    /// The whole iteration.
    pub fn total(&self) -> Duration {
        self.data + self.forward_backward + self.update
    }
}

/// One iteration (minibatch).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepMetrics {
    /// Iterations so far, 1-based, across epochs.
    pub step: u64,
    /// 0-based epoch.
    pub epoch: usize,
    /// This minibatch's mean loss.
    pub loss: f32,
    /// The learning rate used for this step.
    pub lr: f32,
    /// Where the time went.
    pub timings: StepTimings,
    /// Estimated time to the end of the run, from the mean iteration time so far.
    pub eta: Duration,
}

/// One evaluation on the validation split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalMetrics {
    /// The iteration after which it ran.
    pub step: u64,
    /// 0-based epoch.
    pub epoch: usize,
    /// Mean validation loss.
    pub val_loss: f32,
    /// Validation accuracy in [0, 1] (classification only).
    pub val_accuracy: Option<f64>,
    /// How many validation samples it used.
    pub n_samples: usize,
}

/// The end of an epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochMetrics {
    /// 0-based epoch.
    pub epoch: usize,
    /// Iterations so far.
    pub step: u64,
    /// Mean of this epoch's minibatch losses.
    pub train_loss: f32,
    /// Mean of this epoch's minibatch accuracies (classification only).
    pub train_accuracy: Option<f64>,
    /// Validation loss after the epoch.
    pub val_loss: f32,
    /// Validation accuracy after the epoch.
    pub val_accuracy: Option<f64>,
    /// The learning rate of the epoch's last step.
    pub lr: f32,
    /// Wall time of the epoch, evaluation included.
    pub seconds: f64,
}

/// Something worth a person's attention that is not an error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Warning {
    /// An iteration took longer than `train.slow_step_ms`.
    SlowStep {
        /// The iteration.
        step: u64,
        /// Its timings.
        timings: StepTimings,
        /// The threshold it passed.
        threshold: Duration,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::SlowStep {
                step,
                timings,
                threshold,
            } => write!(
                f,
                "iteration {step} took {:.0} ms (over {} ms): data {:.0} ms, forward+backward {:.0} ms, update {:.0} ms",
                timings.total().as_secs_f64() * 1e3,
                threshold.as_millis(),
                timings.data.as_secs_f64() * 1e3,
                timings.forward_backward.as_secs_f64() * 1e3,
                timings.update.as_secs_f64() * 1e3,
            ),
        }
    }
}

/// Hears about a run. Every method has an empty default, so a sink implements what it needs.
pub trait Sink {
    /// Once, before the first step.
    fn on_start(&mut self, _info: &RunInfo) {}
    /// After every iteration.
    fn on_step(&mut self, _m: &StepMetrics) {}
    /// After every evaluation.
    fn on_eval(&mut self, _m: &EvalMetrics) {}
    /// After every epoch.
    fn on_epoch(&mut self, _m: &EpochMetrics) {}
    /// When something is worth a warning.
    fn on_warning(&mut self, _w: &Warning) {}
    /// Once, at the end, however the run ended.
    fn on_end(&mut self, _outcome: &Outcome) {}
}
