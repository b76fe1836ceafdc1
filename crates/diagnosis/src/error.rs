//! The crate's error type.

use std::path::PathBuf;

use thiserror::Error;

/// Why a curve file or a configuration was rejected.
///
/// Line and column numbers are 1-based, as an editor shows them; the header is line 1.
#[derive(Debug, Error)]
pub enum DiagnosisError {
    /// The file could not be opened or read.
    #[error("cannot read `{path}`: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        cause: std::io::Error,
    },
    /// The CSV itself is malformed (e.g. invalid UTF-8, an unterminated quote).
    #[error("`{file}` line {line}: malformed CSV: {message}")]
    Csv {
        /// The file (or the name the caller gave the reader).
        file: String,
        /// 1-based line where the CSV reader stopped.
        line: u64,
        /// The CSV reader's message.
        message: String,
    },
    /// The header names no loss column this crate knows.
    #[error(
        "`{file}` line 1: no loss column, expected a header with a training loss column \
         (train_loss, training_loss, train/loss, loss, ...) and/or a validation loss column \
         (val_loss, eval_loss, val/loss, validation_loss, ...), found: {found}"
    )]
    NoLossColumn {
        /// The file.
        file: String,
        /// The header that was found, comma separated.
        found: String,
    },
    /// A cell that must hold a number is empty or absent.
    #[error(
        "`{file}` line {line}, column {column} (`{name}`): missing value, expected {expected}"
    )]
    MissingValue {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: usize,
        /// The column's header name.
        name: String,
        /// What the cell must hold.
        expected: &'static str,
    },
    /// A cell holds text that is not a number.
    #[error(
        "`{file}` line {line}, column {column} (`{name}`): `{value}` is not a number, \
         expected a decimal number (nan, inf and -inf are accepted)"
    )]
    NotANumber {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: usize,
        /// The column's header name.
        name: String,
        /// The offending text.
        value: String,
    },
    /// An accuracy or error cell outside `[0, 1]` (and the column is not one of percentages).
    #[error(
        "`{file}` line {line}, column {column} (`{name}`): {value} is out of range, expected {expected}"
    )]
    OutOfRange {
        /// The file.
        file: String,
        /// 1-based line (or entry of a JSON log).
        line: u64,
        /// 1-based column.
        column: usize,
        /// The column's header name.
        name: String,
        /// The offending number.
        value: f64,
        /// What the cell must hold.
        expected: &'static str,
    },
    /// An epoch that goes back (or, one row per epoch, repeats).
    #[error(
        "`{file}` line {line}, column {column} (`{name}`): epoch {value} after epoch {previous} \
         on line {previous_line}, expected {expected}"
    )]
    EpochOrder {
        /// The file.
        file: String,
        /// 1-based line (or entry of a JSON log).
        line: u64,
        /// 1-based column.
        column: usize,
        /// The column's header name.
        name: String,
        /// The offending epoch.
        value: f64,
        /// The epoch before it.
        previous: f64,
        /// Its line.
        previous_line: u64,
        /// What the epoch must be.
        expected: &'static str,
    },
    /// Training and validation metrics on separate rows, but no epoch column to pair them.
    #[error(
        "`{file}` line 1: training and validation losses are on separate rows, expected an \
         epoch column (epoch or epochs) to pair them, found: {found}"
    )]
    NoEpochColumn {
        /// The file.
        file: String,
        /// The header, comma separated.
        found: String,
    },
    /// A JSON log (a Hugging Face `trainer_state.json`) that is not what it should be.
    #[error("`{file}`: {message}")]
    Json {
        /// The file.
        file: String,
        /// What is wrong, and where.
        message: String,
    },
    /// A configuration field is outside its valid range.
    #[error("{config}: field `{field}` = {value} is invalid, expected {expected}")]
    InvalidField {
        /// The configuration, e.g. `"early_stopping"` or `"thresholds"`.
        config: &'static str,
        /// The offending field, e.g. `"min_delta"`.
        field: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// The valid range in words.
        expected: &'static str,
    },
}
