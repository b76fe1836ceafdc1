//! Cross-validation of a config on the development data.

use trainlab_training::{cross_validate_config, CvConfig, TrainConfig};

fn small() -> TrainConfig {
    toml::from_str("[model]\nwidth = 16\n[optimizer]\nkind = \"adam\"\nalpha = 0.01\n[train]\nepochs = 2\nbatch_size = 64").unwrap()
}

#[test]
fn five_folds_over_train_and_val_only() {
    let mut heard = 0;
    let r = cross_validate_config(&small(), &CvConfig::default(), &mut |_| heard += 1).unwrap();
    assert_eq!((r.folds.len(), heard), (5, 5));
    // digits: 1797 rows, 80/10/10 split leaves 180 sealed test rows out
    assert_eq!(r.n_dev + r.n_test_excluded, 1797);
    assert_eq!(r.n_test_excluded, 180);
    // folds cover the dev rows once: sizes differ by at most one, sklearn's rule
    let vals: Vec<usize> = r.folds.iter().map(|f| f.n_val).collect();
    assert_eq!(vals.iter().sum::<usize>(), r.n_dev);
    assert!(
        vals.iter()
            .all(|&v| v == r.n_dev / 5 || v == r.n_dev / 5 + 1),
        "{vals:?}"
    );
    assert!(r.folds.iter().all(|f| f.n_train + f.n_val == r.n_dev));
    // the summary is the mean and population std of the fold scores
    let scores: Vec<f64> = r.folds.iter().map(|f| f.score).collect();
    assert_eq!(r.summary.scores, scores);
    let mean = scores.iter().sum::<f64>() / 5.0;
    let std = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / 5.0).sqrt();
    assert!((r.summary.mean - mean).abs() < 1e-12 && (r.summary.std - std).abs() < 1e-12);
    assert!(r.summary.mean > 0.8, "{:?}", r.summary);
    assert_eq!(r.metric, "val_accuracy");
}

#[test]
fn stratified_folds_keep_class_shares() {
    let cv = CvConfig {
        k: 3,
        stratified: true,
    };
    let r = cross_validate_config(&small(), &cv, &mut |_| {}).unwrap();
    assert_eq!(r.folds.len(), 3);
    let vals: Vec<usize> = r.folds.iter().map(|f| f.n_val).collect();
    assert!(
        vals.iter().max().unwrap() - vals.iter().min().unwrap() <= 10,
        "{vals:?}"
    );
}

#[test]
fn k_below_two_is_an_error() {
    let cv = CvConfig {
        k: 1,
        stratified: false,
    };
    let err = cross_validate_config(&small(), &cv, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains('k') && err.contains('1'), "{err}");
}
