//! K-fold and stratified k-fold against scikit-learn 1.9.1's `KFold(n_splits=k)` and
//! `StratifiedKFold(n_splits=k)` (no shuffle).
//!
//! Golden folds: `tests/fixtures/sklearn_folds.json`, written by
//! `tests/fixtures/gen_sklearn_folds.py` (run with scikit-learn 1.9.1; the version is in the JSON).
//! Fold indices are integers, so the comparison is exact.

use serde_json::Value;
use trainlab_validation::{kfold, stratified_kfold, Fold};

fn fixture() -> Value {
    let text = include_str!("fixtures/sklearn_folds.json");
    let v: Value = serde_json::from_str(text).expect("fixture is valid JSON");
    assert_eq!(
        v["sklearn_version"], "1.9.1",
        "fixture from another scikit-learn"
    );
    v
}

fn indices(v: &Value) -> Vec<usize> {
    v.as_array()
        .expect("index list")
        .iter()
        .map(|i| i.as_u64().expect("index") as usize)
        .collect()
}

fn expected_folds(case: &Value) -> Vec<Fold> {
    case["folds"]
        .as_array()
        .expect("folds")
        .iter()
        .map(|f| Fold {
            train: indices(&f["train"]),
            val: indices(&f["val"]),
        })
        .collect()
}

fn assert_same_folds(got: &[Fold], expected: &[Fold], case: &str) {
    assert_eq!(got.len(), expected.len(), "{case}: number of folds");
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        assert_eq!(g.val, e.val, "{case}: fold {i} val");
        assert_eq!(g.train, e.train, "{case}: fold {i} train");
    }
}

#[test]
fn kfold_matches_sklearn() {
    let fx = fixture();
    let cases = fx["kfold"].as_array().expect("kfold cases");
    assert!(cases.len() >= 5);
    for case in cases {
        let n = case["n"].as_u64().expect("n") as usize;
        let k = case["k"].as_u64().expect("k") as usize;
        let got = kfold(n, k, None).expect("valid n, k");
        assert_same_folds(&got, &expected_folds(case), &format!("KFold n={n} k={k}"));
    }
}

#[test]
fn stratified_kfold_matches_sklearn() {
    let fx = fixture();
    let cases = fx["stratified_kfold"].as_array().expect("stratified cases");
    assert!(cases.len() >= 5);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let k = case["k"].as_u64().expect("k") as usize;
        let labels: Vec<u32> = indices(&case["labels"])
            .into_iter()
            .map(|y| y as u32)
            .collect();
        let got = stratified_kfold(&labels, k, None).expect("valid labels, k");
        assert_same_folds(
            &got,
            &expected_folds(case),
            &format!("StratifiedKFold {name}"),
        );
    }
}
