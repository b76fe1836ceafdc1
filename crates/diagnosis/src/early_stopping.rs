//! Early stopping: stop when the validation metric has not improved for `patience` epochs.
//!
//! ```text
//! best = +inf, wait = 0
//! each epoch, with metric m (lower is better):
//!   if m is NaN / inf:           stop                          (Lightning's check_finite)
//!   wait += 1
//!   if m < best - min_delta:     best = m, best_epoch = epoch, wait = 0
//!   else if wait >= patience and this is not the first epoch: stop
//! ```
//!
//! Keras' `EarlyStopping` (mode min, `baseline=None`, `start_from_epoch=0`) and
//! PyTorch-Lightning's `EarlyStopping` (mode min) step exactly this way; `patience = 0` stops at
//! the first epoch without improvement. Differences: a non-finite metric stops at once (as
//! Lightning's `check_finite=True`; Keras counts it as a bad epoch), `min_delta` must be `>= 0`
//! (Keras takes its absolute value), and the defaults are Lightning's `patience = 3` with
//! `restore_best = true` (Keras: 0 and false). PyTorch itself has no early stopping.

use serde::{Deserialize, Serialize};

use crate::DiagnosisError;

/// Early-stopping knobs. Read from TOML / JSON with every field optional.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EarlyStoppingConfig {
    /// Epochs without improvement tolerated; the stop comes on the `patience`-th. Default: 3.
    pub patience: usize,
    /// An improvement must lower the best metric by more than this, `>= 0`. Default: 0.0.
    pub min_delta: f64,
    /// Whether the trainer should restore the weights of the best epoch when it stops.
    /// Default: true.
    pub restore_best: bool,
}

impl Default for EarlyStoppingConfig {
    fn default() -> Self {
        Self {
            patience: 3,
            min_delta: 0.0,
            restore_best: true,
        }
    }
}

/// What to do after an epoch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum EarlyStop {
    /// Keep training.
    Continue {
        /// Whether this epoch set a new best (the trainer may checkpoint it).
        improved: bool,
    },
    /// Stop training now.
    Stop {
        /// The epoch of the best metric (restore its weights), `None` if no finite metric came.
        best_epoch: Option<usize>,
        /// The best metric, `None` if no finite metric came.
        best: Option<f64>,
        /// Why, for a person.
        reason: String,
    },
}

/// Keras / PyTorch-Lightning early stopping on a metric where lower is better.
///
/// ```
/// use trainlab_diagnosis::{EarlyStop, EarlyStopping, EarlyStoppingConfig};
///
/// let mut es = EarlyStopping::new(EarlyStoppingConfig { patience: 2, ..Default::default() })?;
/// assert_eq!(es.observe(0, 1.0), EarlyStop::Continue { improved: true });
/// assert_eq!(es.observe(1, 1.2), EarlyStop::Continue { improved: false });
/// match es.observe(2, 1.1) {
///     EarlyStop::Stop { best_epoch, best, .. } => {
///         assert_eq!((best_epoch, best), (Some(0), Some(1.0)));
///     }
///     other => panic!("expected a stop, got {other:?}"),
/// }
/// # Ok::<(), trainlab_diagnosis::DiagnosisError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct EarlyStopping {
    cfg: EarlyStoppingConfig,
    best: f64,
    best_epoch: Option<usize>,
    wait: usize,
    observed: usize,
    stopped: Option<EarlyStop>,
}

impl EarlyStopping {
    /// Checks `min_delta` (finite, `>= 0`).
    pub fn new(cfg: EarlyStoppingConfig) -> Result<Self, DiagnosisError> {
        if !(cfg.min_delta >= 0.0 && cfg.min_delta.is_finite()) {
            return Err(DiagnosisError::InvalidField {
                config: "early_stopping",
                field: "min_delta",
                value: cfg.min_delta.to_string(),
                expected: "a finite number >= 0",
            });
        }
        Ok(Self {
            cfg,
            best: f64::INFINITY,
            best_epoch: None,
            wait: 0,
            observed: 0,
            stopped: None,
        })
    }

    /// Feeds the metric of `epoch` (lower is better). After a stop, every call returns the
    /// same stop.
    pub fn observe(&mut self, epoch: usize, metric: f64) -> EarlyStop {
        if let Some(stop) = &self.stopped {
            return stop.clone();
        }
        self.observed += 1;
        if !metric.is_finite() {
            return self.stop(format!(
                "the monitored metric is {metric} at epoch {epoch}: training diverged"
            ));
        }
        self.wait += 1;
        if metric < self.best - self.cfg.min_delta {
            self.best = metric;
            self.best_epoch = Some(epoch);
            self.wait = 0;
            return EarlyStop::Continue { improved: true };
        }
        if self.wait >= self.cfg.patience && self.observed > 1 {
            let best = self.best_epoch.map_or(String::new(), |e| {
                format!(" since epoch {e} ({})", self.best)
            });
            return self.stop(format!(
                "no improvement by more than min_delta = {} for {} epoch(s){best}",
                self.cfg.min_delta, self.wait
            ));
        }
        EarlyStop::Continue { improved: false }
    }

    fn stop(&mut self, reason: String) -> EarlyStop {
        let stop = EarlyStop::Stop {
            best_epoch: self.best_epoch,
            best: self.best_epoch.map(|_| self.best),
            reason,
        };
        self.stopped = Some(stop.clone());
        stop
    }

    /// The best metric so far (`+inf` before the first finite one).
    pub fn best(&self) -> f64 {
        self.best
    }

    /// The epoch of the best metric so far.
    pub fn best_epoch(&self) -> Option<usize> {
        self.best_epoch
    }

    /// Epochs since the last improvement.
    pub fn wait(&self) -> usize {
        self.wait
    }

    /// Whether it has said stop.
    pub fn stopped(&self) -> bool {
        self.stopped.is_some()
    }

    /// The configuration (e.g. to read `restore_best`).
    pub fn config(&self) -> &EarlyStoppingConfig {
        &self.cfg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A step of a hand-derived sequence: the metric fed and the decision expected, with
    /// `Some((best_epoch, best))` for a stop.
    type Step = (f64, Option<(Option<usize>, Option<f64>)>, bool);

    /// Feeds `steps` from epoch 0 and checks every decision, naming the failing epoch.
    #[track_caller]
    fn check(cfg: EarlyStoppingConfig, steps: &[Step]) {
        let mut es = EarlyStopping::new(cfg).expect("valid config");
        for (epoch, &(metric, stop, improved)) in steps.iter().enumerate() {
            let got = es.observe(epoch, metric);
            match (stop, &got) {
                (None, EarlyStop::Continue { improved: i }) if *i == improved => {}
                (Some((be, b)), EarlyStop::Stop { best_epoch, best, .. })
                    if *best_epoch == be && *best == b => {}
                _ => panic!(
                    "epoch {epoch}, metric {metric}: expected stop={stop:?} improved={improved}, got {got:?}"
                ),
            }
        }
    }

    fn cfg(patience: usize, min_delta: f64) -> EarlyStoppingConfig {
        EarlyStoppingConfig {
            patience,
            min_delta,
            restore_best: true,
        }
    }

    #[test]
    fn patience_counts_epochs_without_improvement() {
        // patience 2, min_delta 0:
        // e0 1.00 < inf  -> best 1.00 @0, wait 0
        // e1 0.90 < 1.00 -> best 0.90 @1, wait 0
        // e2 0.95        -> wait 1 < 2, continue
        // e3 0.89 < 0.90 -> best 0.89 @3, wait 0 (the counter resets)
        // e4 0.89 (equal is not better) -> wait 1
        // e5 0.95        -> wait 2 >= 2: stop, best 0.89 @3
        check(
            cfg(2, 0.0),
            &[
                (1.00, None, true),
                (0.90, None, true),
                (0.95, None, false),
                (0.89, None, true),
                (0.89, None, false),
                (0.95, Some((Some(3), Some(0.89))), false),
            ],
        );
    }

    #[test]
    fn min_delta_requires_a_real_improvement() {
        // patience 2, min_delta 0.05 (improvement means m < best - 0.05):
        // e0 1.00 -> best 1.00 @0
        // e1 0.96: not < 0.95 -> wait 1
        // e2 0.94: < 0.95 -> best 0.94 @2, wait 0
        // e3 0.90: not < 0.89 -> wait 1
        // e4 0.895: not < 0.89 -> wait 2: stop, best 0.94 @2 (0.90 and 0.895 were lower but
        //    not by more than min_delta, so they never became best)
        check(
            cfg(2, 0.05),
            &[
                (1.00, None, true),
                (0.96, None, false),
                (0.94, None, true),
                (0.90, None, false),
                (0.895, Some((Some(2), Some(0.94))), false),
            ],
        );
    }

    #[test]
    fn patience_zero_stops_at_the_first_bad_epoch_but_never_on_the_first() {
        // e0 1.0 improves (from inf); e1 1.0 not better: wait 1 >= 0 -> stop, best @0.
        check(
            cfg(0, 0.0),
            &[(1.0, None, true), (1.0, Some((Some(0), Some(1.0))), false)],
        );
    }

    #[test]
    fn nan_stops_at_once_and_the_stop_sticks() {
        let mut es = EarlyStopping::new(cfg(5, 0.0)).expect("valid config");
        assert_eq!(es.observe(0, 0.5), EarlyStop::Continue { improved: true });
        let stop = es.observe(1, f64::NAN);
        match &stop {
            EarlyStop::Stop {
                best_epoch, reason, ..
            } => {
                assert_eq!(*best_epoch, Some(0));
                assert!(reason.contains("NaN at epoch 1"), "{reason}");
            }
            other => panic!("expected a stop, got {other:?}"),
        }
        assert_eq!(es.observe(2, 0.1), stop);
        assert!(es.stopped());
    }

    #[test]
    fn nan_first_has_no_best() {
        check(cfg(3, 0.0), &[(f64::INFINITY, Some((None, None)), false)]);
    }

    #[test]
    fn negative_or_nan_min_delta_is_rejected() {
        for bad in [-0.1, f64::NAN, f64::INFINITY] {
            let err = EarlyStopping::new(cfg(1, bad)).unwrap_err();
            assert!(err.to_string().contains("field `min_delta`"), "{err}");
        }
    }

    #[test]
    fn config_reads_from_json_with_defaults_and_rejects_typos() {
        let c: EarlyStoppingConfig = serde_json::from_str(r#"{"patience": 7}"#).expect("valid");
        assert_eq!(
            c,
            EarlyStoppingConfig {
                patience: 7,
                ..Default::default()
            }
        );
        assert!(serde_json::from_str::<EarlyStoppingConfig>(r#"{"patiense": 7}"#).is_err());
    }
}
