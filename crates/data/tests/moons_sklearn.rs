//! two_moons without noise against scikit-learn 1.9.1's make_moons(shuffle=False, noise=0)
//! (fixtures/moons_sklearn.json, written by fixtures/gen_moons.py).

#[path = "../src/tolerance.rs"]
mod tolerance;

use serde_json::Value;
use tolerance::assert_close;
use trainlab_data::synthetic::two_moons;

#[test]
fn noiseless_moons_match_make_moons() {
    let f: Value = serde_json::from_str(include_str!("fixtures/moons_sklearn.json"))
        .expect("fixtures/moons_sklearn.json is valid JSON");
    assert_eq!(f["sklearn_version"], "1.9.1");
    let cases = f["cases"].as_array().expect("cases");
    assert!(!cases.is_empty());
    for case in cases {
        let n = case["n"].as_u64().expect("n") as usize;
        let x: Vec<f32> = case["X"]
            .as_array()
            .expect("X")
            .iter()
            .flat_map(|row| {
                row.as_array()
                    .expect("row")
                    .iter()
                    .map(|v| v.as_f64().expect("x") as f32)
            })
            .collect();
        let y: Vec<u32> = case["y"]
            .as_array()
            .expect("y")
            .iter()
            .map(|v| v.as_u64().expect("y") as u32)
            .collect();
        let d = two_moons(n, 0.0, 0);
        assert_close(&d.features, &x, 1e-6, &format!("make_moons({n}) X"));
        assert_eq!(d.labels(), Some(y.as_slice()), "make_moons({n}) y");
    }
}
