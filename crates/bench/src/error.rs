//! Errors of the benchmark binaries.

use std::path::PathBuf;

/// What can go wrong in a benchmark binary.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A command-line argument is missing or not what was expected.
    #[error("argument `{name}`: got `{value}`, expected {expected}")]
    Argument {
        /// The argument's name.
        name: String,
        /// What was given.
        value: String,
        /// What is accepted.
        expected: String,
    },
    /// Writing an exported file failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Training failed.
    #[error("training failed: {0}")]
    Train(#[from] trainlab_training::TrainError),
}
