//! Input checks shared by the charts: lengths, finiteness, positivity on log axes.

use crate::error::{PlotError, Result};

/// Fails unless `values` has at least `min` entries.
pub(crate) fn at_least(argument: &str, len: usize, min: usize) -> Result<()> {
    if len < min {
        return Err(PlotError::Empty {
            argument: argument.to_string(),
            got: len,
            min,
        });
    }
    Ok(())
}

/// Fails unless two paired lists have the same length.
pub(crate) fn same_len(argument: &str, got: usize, other: &str, expected: usize) -> Result<()> {
    if got != expected {
        return Err(PlotError::LengthMismatch {
            argument: argument.to_string(),
            got,
            other: other.to_string(),
            expected,
        });
    }
    Ok(())
}

/// Fails on the first NaN or infinity.
pub(crate) fn finite(argument: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(PlotError::NonFinite {
            argument: argument.to_string(),
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// Fails on the first value that is not finite and > 0 (a logarithmic axis needs both).
pub(crate) fn positive(argument: &str, values: &[f64]) -> Result<()> {
    finite(argument, values)?;
    match values.iter().position(|v| *v <= 0.0) {
        Some(index) => Err(PlotError::NotPositive {
            argument: argument.to_string(),
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// Fails unless a chart size is at least 200 x 150 pixels and at most 8000 x 8000.
pub(crate) fn size(size: (u32, u32)) -> Result<()> {
    let (w, h) = size;
    if !(200..=8000).contains(&w) || !(150..=8000).contains(&h) {
        return Err(crate::error::invalid(
            "size",
            format!("is {w} x {h}; expected width 200..=8000 and height 150..=8000 pixels"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_names_the_index_and_value() {
        let err = finite("y", &[1.0, f64::NAN]).unwrap_err().to_string();
        assert!(err.starts_with("y[1] = NaN"), "{err}");
    }

    #[test]
    fn positive_rejects_zero_and_negative() {
        assert!(matches!(
            positive("lr", &[1e-3, 0.0]),
            Err(PlotError::NotPositive { index: 1, .. })
        ));
        assert!(positive("lr", &[1e-3, 1.0]).is_ok());
    }

    #[test]
    fn lengths_and_sizes() {
        assert!(same_len("y", 2, "x", 3).is_err());
        assert!(at_least("x", 0, 1).is_err());
        assert!(size((199, 300)).is_err());
        assert!(size((800, 500)).is_ok());
    }
}
