use std::path::PathBuf;

/// Everything that can go wrong before or while training.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A config value is outside its valid range.
    #[error("invalid config: `{key}` = {value}: expected {expected}")]
    InvalidConfig {
        /// The dotted key, e.g. `train.batch_size`.
        key: String,
        /// The value found.
        value: String,
        /// What would have been valid.
        expected: String,
    },
    /// A data file or folder could not be read.
    #[error("cannot read data {path}: {source}")]
    ReadData {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Parameters handed to a model do not fit its layers.
    #[error("parameters do not fit the model: {0}")]
    ParameterShape(String),
    /// A config file could not be read.
    #[error("cannot read config {path}: {source}")]
    ReadConfig {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A config file is not valid TOML for a [`crate::TrainConfig`] (unknown key, wrong type, ...).
    #[error("invalid config {path}: {message}")]
    ParseConfig {
        /// The file (or `<string>`).
        path: PathBuf,
        /// The parser's message, which names the key and the line.
        message: String,
    },
    /// The optimizer config was rejected.
    #[error("invalid config: optimizer: {0}")]
    Optimizer(#[from] trainlab_optimizers::OptimError),
    /// The schedule config was rejected.
    #[error("invalid config: schedule: {0}")]
    Schedule(#[from] trainlab_schedules::ScheduleError),
    /// The split config was rejected.
    #[error("invalid config: split: {0}")]
    Split(#[from] trainlab_validation::ValidationError),
    /// The data set could not be loaded.
    #[error("data: {0}")]
    Data(#[from] trainlab_data::DataError),
    /// A checkpoint could not be written, read, or does not fit this run.
    #[error("checkpoint {path}: {message}")]
    Checkpoint {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong: what does not match, or why it could not be read.
        message: String,
    },
    /// dfdx reported a device error (out of memory, ...).
    #[error("tensor device error: {0}")]
    Device(String),
}
