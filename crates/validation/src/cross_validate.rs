//! Cross-validation: fit and score once per fold, then summarise.
//!
//! ```text
//! score_i = fit_and_score(i, fold_i)
//! mean    = sum(score_i) / k
//! std     = sqrt(sum((score_i - mean)^2) / k)      population std, like numpy's np.std (ddof = 0)
//! ```
//!
//! scikit-learn's `cross_val_score` returns the scores and leaves the summary to numpy; its docs
//! and examples report `scores.mean()` and `scores.std()`, i.e. the same population std as here
//! (not the sample std with `k - 1`). The first error stops the loop and is returned; to keep
//! going past a diverged fold, return `Ok(f64::NAN)` for it (the mean and std are then `NaN`
//! too, and `scores` shows which fold it was).

/// The per-fold scores and their summary.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CvScores {
    /// One score per fold, in fold order.
    pub scores: Vec<f64>,
    /// Their mean (`NaN` when there are no folds).
    pub mean: f64,
    /// Their population standard deviation, divided by k like `np.std` (`NaN` when no folds).
    pub std: f64,
}

impl CvScores {
    /// Summarise a list of scores (mean and population std).
    ///
    /// ```
    /// use trainlab_validation::CvScores;
    /// // mean 5, squared deviations 9 + 1 + 1 + 9 = 20, / 4 = 5, std = sqrt(5)
    /// let s = CvScores::from_scores(vec![2.0, 4.0, 6.0, 8.0]);
    /// assert_eq!(s.mean, 5.0);
    /// assert!((s.std - 5f64.sqrt()).abs() < 1e-12);
    /// ```
    pub fn from_scores(scores: Vec<f64>) -> Self {
        let k = scores.len() as f64;
        let mean = scores.iter().sum::<f64>() / k;
        let std = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / k).sqrt();
        Self { scores, mean, std }
    }
}

/// Call `fit_and_score(i, &folds[i])` for every fold and summarise the scores.
///
/// ```
/// use trainlab_validation::{cross_validate, kfold};
/// let folds = kfold(9, 3, None).unwrap();
/// // "score" = share of the data held out: 3 / 9 in every fold
/// let cv = cross_validate(&folds, |_, fold| Ok::<_, String>(fold.val.len() as f64 / 9.0)).unwrap();
/// assert_eq!(cv.scores.len(), 3);
/// assert!((cv.mean - 1.0 / 3.0).abs() < 1e-12 && cv.std < 1e-12);
/// ```
pub fn cross_validate<E>(
    folds: &[crate::Fold],
    mut fit_and_score: impl FnMut(usize, &crate::Fold) -> Result<f64, E>,
) -> Result<CvScores, E> {
    let scores = folds
        .iter()
        .enumerate()
        .map(|(i, fold)| fit_and_score(i, fold))
        .collect::<Result<Vec<f64>, E>>()?;
    Ok(CvScores::from_scores(scores))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kfold;
    use crate::testutil::assert_close;

    #[test]
    fn population_std_hand_derived() {
        // scores 0.9, 0.8, 0.7: mean 0.8, deviations 0.01 + 0 + 0.01 = 0.02, / 3, sqrt
        let folds = kfold(6, 3, None).unwrap();
        let cv = cross_validate(&folds, |i, _| Ok::<_, ()>([0.9, 0.8, 0.7][i])).unwrap();
        assert_close(cv.mean, 0.8, "mean");
        assert_close(cv.std, (0.02f64 / 3.0).sqrt(), "population std");
    }

    #[test]
    fn passes_fold_index_and_stops_at_first_error() {
        let folds = kfold(8, 4, None).unwrap();
        let mut calls = Vec::new();
        let r = cross_validate(&folds, |i, fold| {
            calls.push(i);
            assert_eq!(fold, &folds[i]);
            if i == 2 {
                Err(format!("fold {i} diverged"))
            } else {
                Ok(1.0)
            }
        });
        assert_eq!(r, Err("fold 2 diverged".to_string()));
        assert_eq!(calls, vec![0, 1, 2]);
    }

    #[test]
    fn no_folds_gives_nan() {
        let cv = cross_validate(&[], |_, _| Ok::<_, ()>(1.0)).unwrap();
        assert!(cv.scores.is_empty() && cv.mean.is_nan() && cv.std.is_nan());
    }
}
