//! The crate's one tolerance helper for tests (unit tests use it as `crate::tolerance`, the
//! integration tests include this file with `#[path]`).

/// Assert `actual` and `expected` have the same length and agree element-wise within
/// `tol * max(1, |expected|)`; the message names `what` and the first failing index.
#[track_caller]
pub fn assert_close(actual: &[f32], expected: &[f32], tol: f32, what: &str) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "{what}: length {} != expected {}",
        actual.len(),
        expected.len()
    );
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let bound = tol * e.abs().max(1.0);
        assert!(
            (a - e).abs() <= bound,
            "{what}[{i}]: {a} differs from expected {e} by {} > {bound}",
            (a - e).abs()
        );
    }
}
