//! The trainer: a multilayer perceptron whose depth, widths and activation are chosen at run
//! time, the training loop that runs it on dfdx, and the sinks that hear about its progress.
//!
//! ```no_run
//! use trainlab_training::{train, History, TrainConfig};
//!
//! let config = TrainConfig::default(); // the default MLP on the digits
//! let mut history = History::default();
//! let trained = train(&config, &mut [&mut history]).expect("the default config is valid");
//! assert!(trained.report.final_val_accuracy.unwrap() > 0.9);
//! ```
//!
//! The loop never prints: every step, evaluation and epoch goes out through [`Sink`]s
//! ([`History`] keeps all of it in memory; the `trainlab` command adds a progress bar, a
//! `metrics.csv` and a summary).
#![warn(missing_docs)]

mod checkpoint;
mod config;
mod cv;
mod error;
mod history;
mod loss;
mod lr_finder;
mod lr_recipe;
mod mlp;
pub mod record;
mod sanity;
mod search;
mod sink;
#[cfg(test)]
mod tolerance;
mod trainer;

pub use checkpoint::{
    best_checkpoint, checkpoint_number, latest_checkpoint, list_checkpoints, prune, repair_best,
    BestCheck, Checkpoint, CheckpointMeta, CheckpointPolicy, CHECKPOINT_FORMAT,
};
pub use config::{Activation, DataConfig, DatasetName, LoopConfig, ModelConfig, TrainConfig};
pub use cv::{cross_validate_config, CvConfig, CvReport, FoldResult};
pub use error::TrainError;
pub use history::History;
pub use loss::{accuracy, cross_entropy, mean_squared_error};
pub use lr_finder::{find_lr, lr_range_test, LrFinderConfig, LrFinderResult, LrPoint};
pub use lr_recipe::{lr_recipe, LrRecipeConfig, LrRecipeResult, RateTrial, RateVerdict};
pub use mlp::Mlp;
pub use sanity::{
    initial_loss_check, overfit, sanity_ladder, InitialLossCheck, LossVerdict, OverfitRung,
    SanityConfig, SanityReport,
};
pub use search::{
    load_results, run_search, sort_rows, trial_config, SearchError, SearchEvent, SearchOptions,
    SearchReport, SearchStrategy, TrialRow, TrialStatus,
};
pub use sink::{EpochMetrics, EvalMetrics, RunInfo, Sink, StepMetrics, StepTimings, Warning};
pub use trainer::{
    evaluate, load_data, train, train_on, train_on_with, LoadedData, Outcome, TimingSummary,
    TrainOptions, TrainReport, Trained,
};

// Re-exported so that a config can be built without naming the leaf crates.
pub use trainlab_optimizers::OptimizerConfig;
pub use trainlab_schedules::ScheduleConfig;
pub use trainlab_validation::SplitConfig;
