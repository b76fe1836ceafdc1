//! Run tracking: where a run's files go and how they are written.
//!
//! A run lives in `runs/<experiment>/<run>/`. This crate knows directories, numbers and
//! series, not the trainer: the `trainlab` command connects the trainer's sink to it.
#![warn(missing_docs)]

mod csv_log;
mod lock;
mod run_dir;
pub mod tensorboard;

pub use csv_log::{torn_tail, CsvLog};
pub use lock::{lock_holder, RunLock, LOCK_FILE};
pub use run_dir::RunDir;
pub use tensorboard::EventWriter;
pub use trainlab_data::atomic::write_atomic;

use std::path::PathBuf;

/// Everything that can go wrong writing a run.
#[derive(Debug, thiserror::Error)]
pub enum TrackingError {
    /// A file or directory could not be created or written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A run directory that cannot be read: missing, not a directory, or not readable.
    #[error("cannot read run directory {path}: {reason}")]
    NotARun {
        /// The path given.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Another process holds the run directory's lock: it is writing the run.
    #[error(
        "run directory {dir} is being written by another process ({}): wait for it to end or stop it, then try again",
        match pid { Some(p) => format!("PID {p}"), None => "PID unknown".to_string() }
    )]
    Locked {
        /// The run directory.
        dir: PathBuf,
        /// The holder's process id, as written in the lock file.
        pid: Option<u32>,
    },
    /// A CSV row could not be written.
    #[error("cannot write CSV {path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// Why.
        source: csv::Error,
    },
    /// A TensorBoard event file is not a valid sequence of TFRecords.
    #[error("corrupt TFRecord in {path} at byte offset {offset}: expected {what}")]
    CorruptRecord {
        /// The event file.
        path: PathBuf,
        /// Where the bad record starts.
        offset: usize,
        /// What was expected there.
        what: String,
    },
    /// Pixels that cannot be a TensorBoard image.
    #[error("invalid image {tag:?}: expected {what}")]
    InvalidImage {
        /// The image's tag.
        tag: String,
        /// What was expected.
        what: String,
    },
    /// A name would leave the runs directory or is empty.
    #[error("invalid {what} name {name:?}: expected a non-empty name of letters, digits, '-', '_' or '.'")]
    InvalidName {
        /// `experiment` or `run`.
        what: &'static str,
        /// The name given.
        name: String,
    },
}
