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
         (train_loss, train or loss) and/or a validation loss column (val_loss, val, valid_loss \
         or validation_loss), found: {found}"
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
    /// A cell holds a number outside what its column can hold (an accuracy of 5, epochs that do
    /// not increase).
    #[error("`{file}` line {line}, column {column} (`{name}`): {value} is out of range, expected {expected}")]
    OutOfRange {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: usize,
        /// The column's header name.
        name: String,
        /// The number found.
        value: f64,
        /// What the cell must hold.
        expected: String,
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
