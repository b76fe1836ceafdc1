//! The crate's error type: every message names the argument and what was expected.

use std::path::PathBuf;

/// Why a chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A series or list has too few values.
    #[error("{argument}: has {got} usable value(s); expected at least {min}")]
    Empty {
        /// The argument, e.g. `loss series "val".y`.
        argument: String,
        /// How many values were usable.
        got: usize,
        /// How many are needed.
        min: usize,
    },
    /// Two lists that pair up have different lengths.
    #[error("{argument}: has {got} values but {other} has {expected}; expected equal lengths")]
    LengthMismatch {
        /// The list with the wrong length.
        argument: String,
        /// Its length.
        got: usize,
        /// The list it must match.
        other: String,
        /// That list's length.
        expected: usize,
    },
    /// A value is NaN or infinite where only finite numbers make sense.
    #[error("{argument}[{index}] = {value}: expected a finite number")]
    NonFinite {
        /// The list holding the value.
        argument: String,
        /// Its position.
        index: usize,
        /// The value itself.
        value: f64,
    },
    /// A value is zero or negative on a logarithmic axis.
    #[error("{argument}[{index}] = {value}: expected > 0 (it is drawn on a logarithmic axis)")]
    NotPositive {
        /// The list holding the value.
        argument: String,
        /// Its position.
        index: usize,
        /// The value itself.
        value: f64,
    },
    /// Any other out-of-range argument.
    #[error("{argument}: {expected}")]
    Invalid {
        /// The argument, e.g. `size` or `counts[2]`.
        argument: String,
        /// What was expected, with the value found.
        expected: String,
    },
    /// plotters failed while drawing (a bug here or in plotters, not bad input).
    #[error("drawing the chart failed: {0}")]
    Drawing(String),
    /// Encoding the PNG failed.
    #[error("encoding the PNG failed: {0}")]
    Png(String),
    /// Writing a chart file failed.
    #[error("writing {path}: {source}")]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Shorthand for the crate's results.
pub type Result<T, E = PlotError> = std::result::Result<T, E>;

/// Turns a plotters error into [`PlotError::Drawing`].
pub(crate) fn drawing<E: std::fmt::Display>(error: E) -> PlotError {
    PlotError::Drawing(error.to_string())
}

/// Builds [`PlotError::Invalid`].
pub(crate) fn invalid(argument: impl Into<String>, expected: impl Into<String>) -> PlotError {
    PlotError::Invalid {
        argument: argument.into(),
        expected: expected.into(),
    }
}
