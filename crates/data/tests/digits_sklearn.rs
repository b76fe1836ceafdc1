//! The embedded digits and the Standardizer against scikit-learn 1.9.1's numbers
//! (fixtures/digits_sklearn.json, written by fixtures/gen_digits.py).

#[path = "../src/tolerance.rs"]
mod tolerance;

use serde_json::Value;
use tolerance::assert_close;
use trainlab_data::{digits, Standardizer};

fn fixture() -> Value {
    let text = include_str!("fixtures/digits_sklearn.json");
    serde_json::from_str(text).expect("fixtures/digits_sklearn.json is valid JSON")
}

fn floats(v: &Value, key: &str) -> Vec<f32> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("fixture key {key} is an array"))
        .iter()
        .map(|x| x.as_f64().expect("a number") as f32)
        .collect()
}

#[test]
fn fixture_comes_from_the_stated_version() {
    assert_eq!(fixture()["sklearn_version"], "1.9.1");
}

#[test]
fn shape_matches_sklearn() {
    let f = fixture();
    let d = digits();
    assert_eq!(d.len() as u64, f["n_samples"].as_u64().expect("n_samples"));
    assert_eq!(
        d.n_features as u64,
        f["n_features"].as_u64().expect("n_features")
    );
}

#[test]
fn class_counts_match_np_bincount() {
    let f = fixture();
    let want: Vec<usize> = f["class_counts"]
        .as_array()
        .expect("class_counts")
        .iter()
        .map(|c| c.as_u64().expect("a count") as usize)
        .collect();
    assert_eq!(digits().class_counts(), Some(want));
}

#[test]
fn first_and_last_rows_match_sklearn() {
    let f = fixture();
    let d = digits();
    // pixel counts are small integers: exact equality
    assert_eq!(d.row(0), floats(&f, "first_row").as_slice());
    assert_eq!(d.row(d.len() - 1), floats(&f, "last_row").as_slice());
    let labels = d.labels().expect("classification");
    assert_eq!(
        u64::from(labels[0]),
        f["first_label"].as_u64().expect("first_label")
    );
    assert_eq!(
        u64::from(labels[d.len() - 1]),
        f["last_label"].as_u64().expect("last_label")
    );
}

#[test]
fn value_range_and_column_sums_match_sklearn() {
    let f = fixture();
    let d = digits();
    let min = d.features.iter().copied().fold(f32::INFINITY, f32::min);
    let max = d.features.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    assert_eq!((min, max), (0.0, 16.0));
    assert_eq!(f["min"].as_f64(), Some(0.0));
    assert_eq!(f["max"].as_f64(), Some(16.0));
    let mut sums = vec![0.0f32; 64];
    for i in 0..d.len() {
        for (s, x) in sums.iter_mut().zip(d.row(i)) {
            *s += x;
        }
    }
    // integer sums below 2^24: exact in f32
    assert_eq!(sums, floats(&f, "feature_sums"));
}

#[test]
fn standardizer_matches_sklearn_standard_scaler() {
    let f = fixture();
    let n = f["scaler_fit_rows"].as_u64().expect("scaler_fit_rows") as usize;
    let train = digits().subset(&(0..n).collect::<Vec<_>>());
    let s = Standardizer::fit(&train);
    assert_close(
        &s.mean,
        &floats(&f, "scaler_mean"),
        1e-6,
        "StandardScaler.mean_",
    );
    // scale_ is 1 for the constant columns, as ours
    assert_close(
        &s.std,
        &floats(&f, "scaler_scale"),
        1e-6,
        "StandardScaler.scale_",
    );
}
