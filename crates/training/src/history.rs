//! `History`: the sink that keeps every metric of a run in memory.

use serde::{Deserialize, Serialize};

use trainlab_diagnosis::{diagnose, Curves, Thresholds, Verdict};

use crate::{EpochMetrics, EvalMetrics, Outcome, RunInfo, Sink, StepMetrics, Warning};

/// Every step, evaluation and epoch of a run, in order: what plots and diagnoses read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The run's shape, once it started.
    pub info: Option<RunInfo>,
    /// Every iteration.
    pub steps: Vec<StepMetrics>,
    /// Every evaluation.
    pub evals: Vec<EvalMetrics>,
    /// Every epoch.
    pub epochs: Vec<EpochMetrics>,
    /// Warnings, in order.
    pub warnings: Vec<Warning>,
    /// How it ended, once it did.
    pub outcome: Option<Outcome>,
}

impl History {
    /// Mean training loss per epoch.
    pub fn train_losses(&self) -> Vec<f32> {
        self.epochs.iter().map(|e| e.train_loss).collect()
    }

    /// Validation loss per epoch.
    pub fn val_losses(&self) -> Vec<f32> {
        self.epochs.iter().map(|e| e.val_loss).collect()
    }

    /// Validation accuracy per epoch (classification only).
    pub fn val_accuracies(&self) -> Vec<f64> {
        self.epochs.iter().filter_map(|e| e.val_accuracy).collect()
    }

    /// The learning curves as the diagnosis reads them: losses, errors (`1 - accuracy`) and the
    /// number of classes for classification, the number of validation samples, and the step
    /// of a divergence.
    pub fn curves(&self) -> Curves {
        let f = |v: Vec<f32>| v.into_iter().map(f64::from).collect();
        let mut c = Curves::from_losses(f(self.train_losses()), f(self.val_losses()));
        let errors = |pick: fn(&EpochMetrics) -> Option<f64>| -> Option<Vec<f64>> {
            self.epochs
                .iter()
                .map(|e| pick(e).map(|a| 1.0 - a))
                .collect()
        };
        if let (Some(train), Some(val)) = (errors(|e| e.train_accuracy), errors(|e| e.val_accuracy))
        {
            if !train.is_empty() {
                c = c.with_errors(train, val);
                // a classifier: its output layer's width is the number of classes
                c.n_classes = self
                    .info
                    .as_ref()
                    .and_then(|i| i.layer_sizes.last().copied());
            }
        }
        // the validation error's sampling noise depends on how many samples it was measured on
        c.n_val = self.info.as_ref().map(|i| i.n_val);
        if let Some(Outcome::Diverged { step, .. }) = &self.outcome {
            c.diverged_at_step = Some(*step);
        }
        c
    }

    /// The lecture's diagnosis of these curves: verdicts with their evidence and advice.
    pub fn diagnose(&self, thresholds: &Thresholds) -> Vec<Verdict> {
        diagnose(&self.curves(), thresholds)
    }
}

impl Sink for History {
    fn on_start(&mut self, info: &RunInfo) {
        self.info = Some(info.clone());
    }
    fn on_step(&mut self, m: &StepMetrics) {
        self.steps.push(m.clone());
    }
    fn on_eval(&mut self, m: &EvalMetrics) {
        self.evals.push(m.clone());
    }
    fn on_epoch(&mut self, m: &EpochMetrics) {
        self.epochs.push(m.clone());
    }
    fn on_warning(&mut self, w: &Warning) {
        self.warnings.push(w.clone());
    }
    fn on_end(&mut self, outcome: &Outcome) {
        self.outcome = Some(outcome.clone());
    }
}
