//! Per-feature standardisation, fitted on the training rows only.
//!
//! ```text
//! mean[j] = sum_i x[i][j] / n
//! std[j]  = sqrt(sum_i (x[i][j] - mean[j])^2 / n)      (population std, ddof = 0)
//! std[j]  = 1  where std[j] == 0                       (constant column: only centred)
//! x'[i][j] = (x[i][j] - mean[j]) / std[j]
//! ```
//!
//! Matches scikit-learn's `StandardScaler` (ddof = 0, zero variance -> scale 1). Differs from
//! PyTorch's `transforms.Normalize(mean, std)`, which takes the numbers from you and does not fit
//! them. Fit on the training split, then transform train, validation and test with the same
//! numbers: fitting on all rows leaks the test set's statistics into training.

use serde::{Deserialize, Serialize};

use crate::Dataset;

/// Per-feature mean and standard deviation of a training set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    /// Per-feature mean of the fitted rows.
    pub mean: Vec<f32>,
    /// Per-feature population standard deviation of the fitted rows; 1 for a constant column.
    pub std: Vec<f32>,
}

impl Standardizer {
    /// Fit mean and std on every row of `train` (pass only the training rows).
    ///
    /// Sums run in `f64`. An empty dataset gives mean 0 and std 1 (the identity transform).
    ///
    /// ```
    /// use trainlab_data::{Dataset, Standardizer, Target};
    /// let train = Dataset::new("t", vec![1.0, 5.0, 3.0, 5.0], 2, Target::Values(vec![0.0, 0.0]))?;
    /// let s = Standardizer::fit(&train);
    /// assert_eq!(s.mean, vec![2.0, 5.0]);
    /// assert_eq!(s.std, vec![1.0, 1.0]); // column 0: std 1; column 1: constant, so 1
    /// let mut test = Dataset::new("t", vec![4.0, 7.0], 2, Target::Values(vec![0.0]))?;
    /// s.transform(&mut test);
    /// assert_eq!(test.features, vec![2.0, 2.0]);
    /// # Ok::<(), trainlab_data::DataError>(())
    /// ```
    pub fn fit(train: &Dataset) -> Standardizer {
        let d = train.n_features;
        let n = train.len();
        if n == 0 {
            return Standardizer {
                mean: vec![0.0; d],
                std: vec![1.0; d],
            };
        }
        let mut sum = vec![0.0f64; d];
        for i in 0..n {
            for (s, &x) in sum.iter_mut().zip(train.row(i)) {
                *s += f64::from(x);
            }
        }
        let mean: Vec<f64> = sum.iter().map(|s| s / n as f64).collect();
        let mut sq = vec![0.0f64; d];
        for i in 0..n {
            for ((s, &x), m) in sq.iter_mut().zip(train.row(i)).zip(&mean) {
                let dx = f64::from(x) - m;
                *s += dx * dx;
            }
        }
        let std = sq
            .iter()
            .map(|s| {
                let sd = (s / n as f64).sqrt();
                if sd == 0.0 {
                    1.0
                } else {
                    sd as f32
                }
            })
            .collect();
        Standardizer {
            mean: mean.iter().map(|&m| m as f32).collect(),
            std,
        }
    }

    /// Standardise every row of `d` in place with the fitted numbers.
    ///
    /// # Panics
    /// If `d.n_features` differs from the number of fitted features (a programming error:
    /// the standardizer was fitted on another table).
    pub fn transform(&self, d: &mut Dataset) {
        assert_eq!(
            d.n_features,
            self.mean.len(),
            "Standardizer fitted on {} features applied to dataset `{}` with {}",
            self.mean.len(),
            d.name,
            d.n_features
        );
        for row in d.features.chunks_exact_mut(d.n_features) {
            self.transform_row(row);
        }
    }

    /// Standardise one row in place (e.g. a single input at inference time).
    ///
    /// # Panics
    /// If `row.len()` differs from the number of fitted features.
    pub fn transform_row(&self, row: &mut [f32]) {
        assert_eq!(
            row.len(),
            self.mean.len(),
            "row length differs from the fitted feature count"
        );
        for ((x, m), s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
            *x = (*x - m) / s;
        }
    }

    /// Undo [`Standardizer::transform_row`]: `x = x' * std + mean`.
    ///
    /// # Panics
    /// If `row.len()` differs from the number of fitted features.
    pub fn inverse_transform_row(&self, row: &mut [f32]) {
        assert_eq!(
            row.len(),
            self.mean.len(),
            "row length differs from the fitted feature count"
        );
        for ((x, m), s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
            *x = *x * s + m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;
    use crate::{digits, Target};

    #[test]
    fn hand_derived() {
        // column 0: 1, 2, 3, 6 -> mean 3, squared deviations 4+1+0+9 = 14, var 14/4 = 3.5
        // column 1: 7, 7, 7, 7 -> mean 7, std 0 -> 1
        let d = Dataset::new(
            "h",
            vec![1.0, 7.0, 2.0, 7.0, 3.0, 7.0, 6.0, 7.0],
            2,
            Target::Values(vec![0.0; 4]),
        )
        .expect("valid");
        let s = Standardizer::fit(&d);
        assert_close(&s.mean, &[3.0, 7.0], 1e-6, "mean");
        assert_close(&s.std, &[3.5f32.sqrt(), 1.0], 1e-6, "std");
    }

    #[test]
    fn fit_on_train_transform_other_rows() {
        let all = digits();
        let train_idx: Vec<usize> = (0..1200).collect();
        let test_idx: Vec<usize> = (1200..all.len()).collect();
        let mut train = all.subset(&train_idx);
        let mut test = all.subset(&test_idx);
        let s = Standardizer::fit(&train);
        s.transform(&mut train);
        s.transform(&mut test);
        let refit = Standardizer::fit(&train);
        // On the fit rows: mean 0, std 1 (or std 1 by convention for constant columns, whose
        // standardised values are all 0).
        assert_close(&refit.mean, &vec![0.0; 64], 1e-5, "mean after transform");
        assert_close(&refit.std, &vec![1.0; 64], 1e-4, "std after transform");
        // The other rows are moved by the training numbers, not their own: not exactly centred.
        let other = Standardizer::fit(&test);
        assert!(other.mean.iter().any(|m| m.abs() > 1e-3));
    }

    #[test]
    fn inverse_round_trip() {
        let s = Standardizer {
            mean: vec![1.0, -2.0],
            std: vec![2.0, 0.5],
        };
        let mut row = [3.0, -1.0];
        s.transform_row(&mut row);
        assert_close(&row, &[1.0, 2.0], 1e-6, "transformed");
        s.inverse_transform_row(&mut row);
        assert_close(&row, &[3.0, -1.0], 1e-6, "restored");
    }

    #[test]
    fn empty_fit_is_identity() {
        let d = Dataset::new("e", vec![], 3, Target::Values(vec![])).expect("valid");
        let s = Standardizer::fit(&d);
        assert_eq!(
            s,
            Standardizer {
                mean: vec![0.0; 3],
                std: vec![1.0; 3]
            }
        );
    }

    #[test]
    #[should_panic(expected = "fitted on 2 features")]
    fn wrong_width_panics() {
        let s = Standardizer {
            mean: vec![0.0; 2],
            std: vec![1.0; 2],
        };
        let mut d = Dataset::new("w", vec![0.0; 3], 3, Target::Values(vec![0.0])).expect("valid");
        s.transform(&mut d);
    }
}
