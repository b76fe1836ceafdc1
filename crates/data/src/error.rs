//! The crate's error type: every variant names the file (or dataset), the place in it, and what was expected.

use std::path::PathBuf;

/// Everything that can go wrong while building, loading or batching a dataset.
///
/// Messages name the file (or the dataset), the 1-based line or the 0-based record/row, the column,
/// and what was expected instead, so a student can fix the input without reading this crate.
#[derive(thiserror::Error, Debug)]
#[non_exhaustive]
pub enum DataError {
    /// `features.len()` is not `rows * n_features` for a whole number of rows.
    #[error("dataset `{name}`: features has {len} values, expected a multiple of n_features = {n_features}")]
    FeatureLength {
        /// Dataset name.
        name: String,
        /// Length of the feature vector given.
        len: usize,
        /// Declared number of features per row.
        n_features: usize,
    },
    /// `n_features` is zero.
    #[error("dataset `{name}`: n_features is 0, expected at least 1 feature per row")]
    ZeroFeatures {
        /// Dataset name.
        name: String,
    },
    /// The target has a different number of entries than there are rows.
    #[error(
        "dataset `{name}`: the target has {targets} entries, expected one per row ({rows} rows)"
    )]
    TargetLength {
        /// Dataset name.
        name: String,
        /// Number of feature rows.
        rows: usize,
        /// Number of target entries.
        targets: usize,
    },
    /// A class label is not below `n_classes`.
    #[error("dataset `{name}`: row {row} has label {label}, expected a label in 0..{n_classes}")]
    LabelOutOfRange {
        /// Dataset name.
        name: String,
        /// 0-based row index.
        row: usize,
        /// The offending label.
        label: u32,
        /// Number of classes declared.
        n_classes: usize,
    },
    /// A file could not be opened or read.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A file holds no data at all.
    #[error("`{file}` is empty: expected {expected}")]
    Empty {
        /// The file (or source name).
        file: String,
        /// What the file should have held.
        expected: String,
    },
    /// A CSV record has a different number of fields than the header (or the first record).
    #[error("{file}:{line}: found {found} columns, expected {expected} (as in {reference})")]
    ColumnCount {
        /// The file (or source name).
        file: String,
        /// 1-based line number.
        line: u64,
        /// Number of fields found on this line.
        found: usize,
        /// Number of fields expected.
        expected: usize,
        /// Where the expected count comes from ("the header" or "line N").
        reference: String,
    },
    /// A feature cell is not a finite number.
    #[error("{file}:{line}: column {column} (`{column_name}`): expected a finite number, found `{value}`")]
    NotANumber {
        /// The file (or source name).
        file: String,
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        column: usize,
        /// Header name of the column, or `column N` without a header.
        column_name: String,
        /// The cell's text.
        value: String,
    },
    /// A label (or regression target) cell is not acceptable.
    #[error(
        "{file}:{line}: column {column} (`{column_name}`): expected {expected}, found `{value}`"
    )]
    BadLabel {
        /// The file (or source name).
        file: String,
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        column: usize,
        /// Header name of the column, or `column N` without a header.
        column_name: String,
        /// The cell's text.
        value: String,
        /// What the cell should have held, e.g. "an integer class label in 0..10".
        expected: String,
    },
    /// The configured label column does not exist.
    #[error("`{file}`: no label column {column}: expected {expected}")]
    NoSuchColumn {
        /// The file (or source name).
        file: String,
        /// The column asked for, as configured.
        column: String,
        /// What exists instead.
        expected: String,
    },
    /// The CSV reader itself failed (e.g. invalid UTF-8).
    #[error("{file}:{line}: malformed CSV: {source}")]
    Csv {
        /// The file (or source name).
        file: String,
        /// 1-based line number, 0 when unknown.
        line: u64,
        /// The underlying csv error.
        source: csv::Error,
    },
    /// A CIFAR-10 binary file's size is not a whole number of 3073-byte records.
    #[error("`{file}`: {size} bytes is not a multiple of 3073 (1 label byte + 3072 pixel bytes): record {record} is cut short after {trailing} bytes")]
    CifarTruncated {
        /// The file.
        file: String,
        /// File size in bytes.
        size: usize,
        /// 0-based index (within the file) of the incomplete record.
        record: usize,
        /// Bytes present of the incomplete record.
        trailing: usize,
    },
    /// A CIFAR-10 record's label byte is not in 0..=9.
    #[error("`{file}`: record {record} has label byte {label}, expected a class in 0..=9")]
    CifarLabel {
        /// The file.
        file: String,
        /// 0-based record index within the file.
        record: usize,
        /// The label byte found.
        label: u8,
    },
    /// No input files were given.
    #[error("{what}: no files given, expected at least one path")]
    NoFiles {
        /// Which loader was called.
        what: String,
    },
    /// Invalid minibatch settings.
    #[error("batches: {field} = {value}, expected {expected}")]
    Batching {
        /// The offending setting (`n`, `batch_size`, `drop_last`).
        field: String,
        /// Its value.
        value: String,
        /// The valid range.
        expected: String,
    },
    /// A data path that is not a regular file (a FIFO, a device, a directory).
    #[error("`{}` is {kind}: expected a regular data file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead, e.g. "a FIFO (named pipe)".
        kind: &'static str,
    },
    /// A data file larger than the limit.
    #[error("`{}` is {size} bytes, above the limit of {limit} bytes: expected a smaller file (set TRAINLAB_MAX_INPUT_BYTES to raise the limit)", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size (or the bytes read before stopping).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Class labels inferred from the data skip most classes: e.g. 0..=9 then 100000.
    #[error("{file}:{line}: label {label} leaves classes {first_missing}..{label} without a single sample: expected class labels 0, 1, 2, ... without gaps; give n_classes if classes without samples are intended")]
    LabelGap {
        /// The file (or source name).
        file: String,
        /// 1-based line of the first sample with `label`.
        line: u64,
        /// The label after the gap.
        label: u32,
        /// The first class without a sample.
        first_missing: u32,
    },
    /// Classification data with a single class: a model learns nothing from it.
    #[error("dataset `{name}`: every sample has label {label}: expected at least two classes to train a classifier")]
    SingleClass {
        /// Dataset name.
        name: String,
        /// The one label.
        label: u32,
    },
    /// The memory a model and its data would need is above the limit.
    #[error("{what} needs about {} (estimated), above the limit of {}: expected smaller sizes (set TRAINLAB_MEMORY_LIMIT, in bytes, to raise the limit)", crate::memory::human_bytes(*bytes), crate::memory::human_bytes(*limit as u128))]
    TooMuchMemory {
        /// What was estimated, with its sizes, e.g. "the model [64, 1000000000, 10]".
        what: String,
        /// The estimate in bytes.
        bytes: u128,
        /// The limit in bytes.
        limit: u64,
    },
}
