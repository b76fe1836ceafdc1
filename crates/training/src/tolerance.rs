//! The crate's one tolerance helper for tests (unit tests use it as `crate::tolerance`, the
//! integration tests include this file with `#[path]`).
#![allow(dead_code)]

/// For numbers computed in f64 throughout.
pub const F64_TOL: f64 = 1e-12;
/// For numbers that passed through f32 tensors (f32 has about 7 significant digits).
pub const F32_TOL: f64 = 1e-6;

/// Assert `actual` is within `tol * max(1, |expected|)` of `expected`; the message names `what`.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, tol: f64, what: &str) {
    let bound = tol * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= bound,
        "{what}: {actual} differs from expected {expected} by {} > {bound}",
        (actual - expected).abs()
    );
}
