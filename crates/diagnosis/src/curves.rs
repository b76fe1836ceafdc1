//! `Curves`: the per-epoch series a diagnosis reads.

use serde::{Deserialize, Serialize};

/// Learning curves: per-epoch series, any of which may be missing (empty or `None`).
///
/// Row `i` of every series belongs to epoch `epochs[i]`. NaN and infinite values are data (a
/// divergence), not errors. Errors are `1 - accuracy`, in `[0, 1]`.
///
/// ```
/// use trainlab_diagnosis::Curves;
///
/// let c = Curves::from_losses(vec![2.0, 1.0, 0.5], vec![2.1, 1.2, 0.7]);
/// assert_eq!(c.epochs, vec![0.0, 1.0, 2.0]);
/// assert_eq!(c.len(), 3);
/// assert_eq!(c.epoch_label(2), 2.0);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Curves {
    /// The epoch of each row (trainlab counts from 0). May be empty: rows then count from 0.
    pub epochs: Vec<f64>,
    /// Mean training loss per epoch.
    pub train_loss: Vec<f64>,
    /// Validation loss per epoch.
    pub val_loss: Vec<f64>,
    /// Training error (`1 - accuracy`) per epoch, classification only.
    pub train_error: Option<Vec<f64>>,
    /// Validation error (`1 - accuracy`) per epoch, classification only.
    pub val_error: Option<Vec<f64>>,
    /// The optimizer step at which a trainer saw a NaN / inf loss, if it did.
    pub diverged_at_step: Option<u64>,
    /// How many validation samples each validation error was measured on: the binomial standard
    /// error `sqrt(e (1 - e) / n_val)` of a validation error `e` is the noise a gap is judged
    /// against. `None`: unknown (the diagnosis says so and judges the gap without it).
    #[serde(default)]
    pub n_val: Option<usize>,
    /// The number of classes C of a classifier: chance level is an accuracy of 1/C, a
    /// cross-entropy of ln C. `None`: unknown (inferred from the accuracy when it is at 1/C and
    /// the loss at ln C together).
    #[serde(default)]
    pub n_classes: Option<usize>,
    /// What a reader noticed but did not reject (a torn last row, a percent column), for a
    /// person to see.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl Curves {
    /// Training and validation losses of epochs `0, 1, ...`.
    pub fn from_losses(train_loss: Vec<f64>, val_loss: Vec<f64>) -> Curves {
        let n = train_loss.len().max(val_loss.len());
        Curves {
            epochs: (0..n).map(|e| e as f64).collect(),
            train_loss,
            val_loss,
            ..Curves::default()
        }
    }

    /// The same curves with training and validation errors (`1 - accuracy`) added.
    pub fn with_errors(mut self, train_error: Vec<f64>, val_error: Vec<f64>) -> Curves {
        self.train_error = Some(train_error);
        self.val_error = Some(val_error);
        self
    }

    /// The same curves measured on `n_val` validation samples.
    pub fn with_n_val(mut self, n_val: usize) -> Curves {
        self.n_val = Some(n_val);
        self
    }

    /// The same curves of a classifier of `n_classes` classes.
    pub fn with_classes(mut self, n_classes: usize) -> Curves {
        self.n_classes = Some(n_classes);
        self
    }

    /// Reads a training log: a Hugging Face `trainer_state.json` if the name ends in `.json`
    /// ([`Curves::from_trainer_state`]), a CSV otherwise ([`Curves::from_csv`]).
    pub fn from_file(path: &std::path::Path) -> Result<Curves, crate::DiagnosisError> {
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            Curves::from_trainer_state(path)
        } else {
            Curves::from_csv(path)
        }
    }

    /// Number of rows: the longest of the loss series.
    pub fn len(&self) -> usize {
        self.train_loss.len().max(self.val_loss.len())
    }

    /// Whether there is no loss at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The epoch of row `i`: `epochs[i]` when present, else `i`.
    pub fn epoch_label(&self, i: usize) -> f64 {
        self.epochs.get(i).copied().unwrap_or(i as f64)
    }

    /// The epoch of row `i` as a whole number, for [`crate::VerdictKind::Overfitting`]: the
    /// label rounded when it is finite and non-negative, else `i`.
    pub fn epoch_index(&self, i: usize) -> usize {
        let label = self.epoch_label(i);
        if label.is_finite() && label >= 0.0 {
            label.round() as usize
        } else {
            i
        }
    }
}
