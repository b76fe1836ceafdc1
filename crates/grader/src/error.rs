//! The grader's errors: each names the file (and line) and what was expected.

use std::path::PathBuf;

/// Everything that can stop a grader task (a failing student test is a result, not an error).
#[derive(Debug, thiserror::Error)]
pub enum GraderError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A marker (`// BEGIN SOLUTION`, `// END SOLUTION`, `// BEGIN HIDDEN`, ...) is out of place.
    #[error("{path}:{line}: {message}")]
    Marker {
        /// The source file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What was expected there.
        message: String,
    },
    /// A manifest or hints file is not what the grader expects.
    #[error("{path}: {message}")]
    Manifest {
        /// The file.
        path: PathBuf,
        /// What was expected.
        message: String,
    },
    /// Cargo could not be started, or said something unreadable.
    #[error("cargo in {dir}: {message}")]
    Cargo {
        /// The workspace it ran in.
        dir: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A submission is unusable as a whole (not a directory or zip, too large, ...).
    #[error("submission {path}: {message}")]
    Submission {
        /// The submission.
        path: PathBuf,
        /// Why it cannot be read.
        message: String,
    },
    /// A zip archive could not be read or written.
    #[error("zip {path}: {message}")]
    Zip {
        /// The archive.
        path: PathBuf,
        /// What the zip library said.
        message: String,
    },
    /// The sandbox for student code is missing or does not work here.
    #[error("sandbox: {message}")]
    Sandbox {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// No exercise with that number or name.
    #[error("no exercise {0} (see `exercises/`: 01_momentum, 02_rmsprop, ...)")]
    NoSuchExercise(String),
}

/// Shorthand for the grader's results.
pub type Result<T, E = GraderError> = std::result::Result<T, E>;

/// Attach `path` to an I/O error.
pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> GraderError {
    let path = path.into();
    move |source| GraderError::Io { path, source }
}
