//! Recording runs, above the trainer: every run is a directory (`config.toml`, `metrics.csv`,
//! `steps.csv`, `checkpoints/`, TensorBoard events, `summary.json`), written by sinks around a
//! [`trainlab_training::Trainer`], for `trainlab train` and for every trial of a search alike.
//!
//! ```text
//! trainlab_training   TrainConfig -> Plan -> Trainer (never touches a file)
//! trainlab_runs       record_run(plan, dir): the trainer's sinks write the run directory,
//!                     checkpoints after each epoch, the summary and diagnosis at the end
//!                     run_search(space): trials in parallel, each recorded as a run
//!                     study: a search as a directory with a file-locked journal, worked
//!                     through by any number of worker processes (ASHA runs as one)
//! ```
#![warn(missing_docs)]

mod error;
pub mod launch;
pub mod record;
mod search;
pub mod study;

pub use error::RecordError;
pub use record::{record_run, FinalTest, RecordOptions, Recorded, Summary};
pub use search::{
    load_results, run_search, sort_rows, trial_config, RungResult, SearchError, SearchEvent,
    SearchOptions, SearchReport, SearchStrategy, TrialError, TrialRow, TrialStatus,
};
pub use study::{run_worker, run_workers, Study, StudySpec, WorkerEvent};
