//! Shared range checks: each returns an error naming the schedule, the field and the range.

use crate::ScheduleError;

fn invalid(
    schedule: &'static str,
    field: &'static str,
    value: impl std::fmt::Display,
    expected: &'static str,
) -> ScheduleError {
    ScheduleError::InvalidField {
        schedule,
        field,
        value: value.to_string(),
        expected,
    }
}

/// `x` if `ok(x)`, else the error naming the schedule, the field and `expected`.
fn check<T: Copy + std::fmt::Display>(
    schedule: &'static str,
    field: &'static str,
    x: T,
    ok: bool,
    expected: &'static str,
) -> Result<T, ScheduleError> {
    if ok {
        Ok(x)
    } else {
        Err(invalid(schedule, field, x, expected))
    }
}

/// A rate: finite and `>= 0`. Rates are `f32`, the optimizer's type.
pub(crate) fn rate(
    schedule: &'static str,
    field: &'static str,
    x: f32,
) -> Result<f32, ScheduleError> {
    check(
        schedule,
        field,
        x,
        x.is_finite() && x >= 0.0,
        "a finite rate >= 0",
    )
}

/// A finite value `>= 0` (decay rates, coefficients).
pub(crate) fn non_negative(
    schedule: &'static str,
    field: &'static str,
    x: f64,
) -> Result<f64, ScheduleError> {
    check(
        schedule,
        field,
        x,
        x.is_finite() && x >= 0.0,
        "a finite number >= 0",
    )
}

/// A finite value `> 0`.
pub(crate) fn positive(
    schedule: &'static str,
    field: &'static str,
    x: f64,
) -> Result<f64, ScheduleError> {
    check(
        schedule,
        field,
        x,
        x.is_finite() && x > 0.0,
        "a finite number > 0",
    )
}

/// A multiplicative decay factor in `(0, 1]`.
pub(crate) fn factor(
    schedule: &'static str,
    field: &'static str,
    x: f64,
) -> Result<f64, ScheduleError> {
    check(
        schedule,
        field,
        x,
        x > 0.0 && x <= 1.0,
        "a factor in (0, 1]",
    )
}

/// A fraction in `[0, 1]`.
pub(crate) fn unit_interval(
    schedule: &'static str,
    field: &'static str,
    x: f64,
) -> Result<f64, ScheduleError> {
    check(
        schedule,
        field,
        x,
        (0.0..=1.0).contains(&x),
        "a number in [0, 1]",
    )
}

/// A count `>= 1`.
pub(crate) fn count(
    schedule: &'static str,
    field: &'static str,
    n: usize,
) -> Result<usize, ScheduleError> {
    check(schedule, field, n, n >= 1, "an integer >= 1")
}

/// Any other rule, with its own wording.
pub(crate) fn fail(
    schedule: &'static str,
    field: &'static str,
    value: impl std::fmt::Display,
    expected: &'static str,
) -> ScheduleError {
    invalid(schedule, field, value, expected)
}
