//! Cross-validating a training config on the development data (train + val, never the sealed
//! test set).
//!
//! ```text
//! dev     = split.train ++ split.val            (the sealed test indices are left out)
//! folds   = kfold(|dev|, k, shuffle seed) | stratified_kfold(labels of dev, k, seed)
//! fold i: standardiser fitted on the fold's training rows only (if data.standardize)
//!         Trainer::new(config.plan_on(dev[fold.train], dev[fold.val])).run()
//!         score_i = final validation accuracy   (regression: final validation loss)
//!                   NaN when the fold diverged
//! summary = cross_validate: mean and population std of the scores (np.std, ddof = 0)
//! ```
//!
//! scikit-learn's `cross_val_score(model, X_dev, y_dev, cv=KFold(k, shuffle=True))` with a
//! `Pipeline(StandardScaler, model)` does the same: the scaler is refitted per fold, so no
//! statistic of a validation fold leaks into its training. PyTorch has no cross-validation.

use serde::{Deserialize, Serialize};
use trainlab_data::Standardizer;
use trainlab_validation::{cross_validate, kfold, stratified_kfold, CvScores};

use crate::{Outcome, TrainConfig, TrainError, Trainer};

/// The settings of a cross-validation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CvConfig {
    /// Number of folds. Default: 5.
    pub k: usize,
    /// Keep each class's share in every fold (classification only). Default: false.
    pub stratified: bool,
}

impl Default for CvConfig {
    fn default() -> Self {
        Self {
            k: 5,
            stratified: false,
        }
    }
}

/// One fold's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoldResult {
    /// 0-based fold index.
    pub fold: usize,
    /// Training rows of the fold.
    pub n_train: usize,
    /// Validation rows of the fold.
    pub n_val: usize,
    /// The score (`NaN` if the fold diverged).
    pub score: f64,
    /// How its training ended.
    pub outcome: Outcome,
}

/// A whole cross-validation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CvReport {
    /// `val_accuracy` (higher is better) or `val_loss` (regression, lower is better).
    pub metric: String,
    /// The development rows folded (train + val of the split).
    pub n_dev: usize,
    /// The sealed test rows left out.
    pub n_test_excluded: usize,
    /// One entry per fold.
    pub folds: Vec<FoldResult>,
    /// The scores with mean and std.
    pub summary: CvScores,
}

/// Cross-validates `config` over its development data; `on_fold` hears each fold as it ends.
pub fn cross_validate_config(
    config: &TrainConfig,
    cv: &CvConfig,
    on_fold: &mut dyn FnMut(&FoldResult),
) -> Result<CvReport, TrainError> {
    // Load unstandardised: each fold fits its own standardiser on its own training rows.
    let mut raw_config = config.clone();
    raw_config.data.standardize = false;
    let data = raw_config.plan()?.data;
    let n_test_excluded = data.test.as_ref().map_or(0, |(test, _)| test.len());
    let mut dev = data.train;
    dev.features.extend_from_slice(&data.val.features);
    dev.target = concat_targets(&dev.target, &data.val.target);

    let folds = match (cv.stratified, dev.labels()) {
        (true, Some(labels)) => stratified_kfold(labels, cv.k, Some(config.seed))?,
        (true, None) => {
            return Err(TrainError::InvalidConfig {
                key: "cv.stratified".into(),
                value: "true".into(),
                expected: "a classification data set (a regression target has no classes)".into(),
            })
        }
        (false, _) => kfold(dev.len(), cv.k, Some(config.seed))?,
    };
    let metric = if dev.labels().is_some() {
        "val_accuracy"
    } else {
        "val_loss"
    };
    let mut results = Vec::with_capacity(folds.len());
    let summary = cross_validate(&folds, |i, fold| {
        let mut train = dev.subset(&fold.train);
        let mut val = dev.subset(&fold.val);
        if config.data.standardize {
            let s = Standardizer::fit(&train);
            s.transform(&mut train);
            s.transform(&mut val);
        }
        let (n_train, n_val) = (train.len(), val.len());
        let trained = Trainer::new(config.plan_on(train, val)?).run(&mut [])?;
        let r = &trained.report;
        let score = match r.outcome {
            Outcome::Diverged { .. } => f64::NAN,
            Outcome::Completed { .. } | Outcome::EarlyStopped { .. } => match metric {
                "val_accuracy" => r.final_val_accuracy.unwrap_or(f64::NAN),
                _ => r.final_val_loss.map_or(f64::NAN, f64::from),
            },
        };
        let result = FoldResult {
            fold: i,
            n_train,
            n_val,
            score,
            outcome: r.outcome.clone(),
        };
        on_fold(&result);
        results.push(result);
        Ok::<_, TrainError>(score)
    })?;
    Ok(CvReport {
        metric: metric.into(),
        n_dev: dev.len(),
        n_test_excluded,
        folds: results,
        summary,
    })
}

fn concat_targets(a: &trainlab_data::Target, b: &trainlab_data::Target) -> trainlab_data::Target {
    use trainlab_data::Target;
    match (a, b) {
        (
            Target::Classes { labels, n_classes },
            Target::Classes {
                labels: more,
                n_classes: m,
            },
        ) => Target::Classes {
            labels: labels.iter().chain(more).copied().collect(),
            n_classes: (*n_classes).max(*m),
        },
        (Target::Values(v), Target::Values(more)) => {
            Target::Values(v.iter().chain(more).copied().collect())
        }
        _ => unreachable!("both parts of one data set have the same kind of target"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trainlab_data::Target;

    #[test]
    fn targets_concatenate_in_order() {
        let a = Target::Classes {
            labels: vec![0, 1],
            n_classes: 3,
        };
        let b = Target::Classes {
            labels: vec![2],
            n_classes: 3,
        };
        assert_eq!(
            concat_targets(&a, &b),
            Target::Classes {
                labels: vec![0, 1, 2],
                n_classes: 3
            }
        );
    }

    #[test]
    fn k_too_large_is_an_error_naming_k() {
        let config: TrainConfig =
            toml::from_str("[data]\ndataset = \"two_moons\"\nn_samples = 20").unwrap();
        let cv = CvConfig {
            k: 1000,
            stratified: false,
        };
        let err = cross_validate_config(&config, &cv, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(err.contains("1000"), "{err}");
    }
}
