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
    #[error("invalid config {path}: {}", excerpt(message))]
    ParseConfig {
        /// The file (or `<string>`).
        path: PathBuf,
        /// The parser's message, which names the key and the line (and quotes the line: the
        /// message shows at most [`EXCERPT_CHARS`] characters of each of its lines).
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
    /// A sink asked the run to stop after a step (a signal, a failed write): see
    /// [`crate::Sink::stop_requested`].
    #[error("stopped after step {step} ({reason}); the newest checkpoint holds {epochs_completed} completed epochs")]
    Stopped {
        /// Why.
        reason: String,
        /// Epochs completed when it stopped (the partial epoch is trained again on resume).
        epochs_completed: usize,
        /// The last step run.
        step: u64,
    },
    /// dfdx reported a device error (out of memory, ...).
    #[error("tensor device error: {0}")]
    Device(String),
}

/// The most characters of one line of a parser's message that an error shows.
pub const EXCERPT_CHARS: usize = 160;

/// `message` with each line cut to [`EXCERPT_CHARS`] characters (a parser quotes the offending
/// line of the input, which may be megabytes long), saying how much was left out.
pub fn excerpt(message: &str) -> String {
    message
        .lines()
        .map(|line| match line.char_indices().nth(EXCERPT_CHARS) {
            Some((i, _)) => format!(
                "{}... ({} more characters)",
                &line[..i],
                line[i..].chars().count()
            ),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ten_megabyte_line_under_an_unknown_key_is_quoted_as_a_short_excerpt() {
        let text = format!("[model]\nunknown = \"{}\"\n", "x".repeat(10_000_000));
        let err = crate::TrainConfig::from_toml_str(&text, std::path::Path::new("big.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.len() < 2_000, "{} bytes of error", err.len());
        assert!(err.starts_with("invalid config big.toml: "), "{err}");
        assert!(err.contains("unknown field `unknown`"), "{err}");
        // the quoted line `2 | unknown = "xxx...x"` (15 + 10^7 + 1 characters): its first 160,
        // then how many were left out
        let quoted = format!(
            "2 | unknown = \"{}... ({} more characters)",
            "x".repeat(160 - 15),
            15 + 10_000_000 + 1 - 160
        );
        assert!(err.contains(&quoted), "{err}");
    }

    #[test]
    fn short_lines_are_kept_whole() {
        assert_eq!(excerpt("a\nb c"), "a\nb c");
    }
}
