//! The one error type of this crate: every message names the field, dimension or key at fault
//! and says what was expected.

use thiserror::Error;

/// Everything that can go wrong when splitting data, building folds or reading a search space.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ValidationError {
    /// A split fraction is negative, above 1 or not finite.
    #[error("split fraction `{field}` = {value}: expected a finite number in [0, 1]")]
    InvalidFraction {
        /// `train`, `val` or `test`.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// `train + val + test` is not 1 (within 1e-9).
    #[error("split fractions train + val + test = {sum}: expected them to sum to 1 (within 1e-9)")]
    FractionsDoNotSumToOne {
        /// The actual sum.
        sum: f64,
    },
    /// A part with a positive fraction would get no sample at all.
    #[error(
        "n = {n} samples is too small: split part `{part}` (fraction {fraction}) would be empty"
    )]
    TooFewSamples {
        /// Number of samples.
        n: usize,
        /// `train`, `val` or `test`.
        part: &'static str,
        /// Its fraction.
        fraction: f64,
    },
    /// `labels.len()` differs from `n`.
    #[error("labels has {got} entries: expected one per sample, n = {expected}")]
    LabelsLength {
        /// `n`.
        expected: usize,
        /// `labels.len()`.
        got: usize,
    },
    /// Fewer than two folds.
    #[error("k = {k} folds: expected at least 2")]
    TooFewFolds {
        /// The requested number of folds.
        k: usize,
    },
    /// More folds than samples.
    #[error("k = {k} folds for n = {n} samples: expected k <= n")]
    TooManyFolds {
        /// The requested number of folds.
        k: usize,
        /// Number of samples.
        n: usize,
    },
    /// Stratified k-fold: a class has fewer members than folds.
    #[error("stratified k-fold with k = {k}: class {class} has only {count} member(s), expected at least k")]
    ClassTooSmall {
        /// The class label.
        class: u32,
        /// How many samples carry it.
        count: usize,
        /// The requested number of folds.
        k: usize,
    },
    /// Leakage check: the feature matrix does not fit the split.
    #[error("leakage check: {message}")]
    FeatureShape {
        /// What does not fit.
        message: String,
    },
    /// The search-space TOML does not parse, or has an unexpected top-level shape.
    #[error("search space TOML: {message}")]
    SpaceToml {
        /// The parser's or the shape check's message.
        message: String,
    },
    /// One dimension of a search space is invalid.
    #[error("search space dimension `{key}`: {message}")]
    Dimension {
        /// The dotted key of the dimension, e.g. `optimizer.alpha`.
        key: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// `apply`: a dotted key runs through a value that is not a table.
    #[error("cannot set `{key}`: `{segment}` is a {found}, expected a table")]
    NotATable {
        /// The full dotted key.
        key: String,
        /// The prefix that is not a table.
        segment: String,
        /// The TOML type found there.
        found: &'static str,
    },
    /// `apply`: a dotted key with an empty segment (e.g. `a..b`).
    #[error("cannot set `{key}`: empty segment in dotted key")]
    EmptyKeySegment {
        /// The full dotted key.
        key: String,
    },
    /// An ASHA setting is out of range.
    #[error("invalid `{field}` = {value}: expected {expected}")]
    Asha {
        /// The field, e.g. `search.reduction_factor`.
        field: &'static str,
        /// The value given.
        value: usize,
        /// What would be valid.
        expected: String,
    },
}
