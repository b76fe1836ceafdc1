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
