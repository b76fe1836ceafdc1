//! The trainer: a multilayer perceptron whose depth, widths, activation and dropout are chosen
//! at run time, and the one training loop that runs it on dfdx.
//!
//! ```text
//! TrainConfig --plan()--> Plan --Trainer::new--> step() / epoch() / run(&mut sinks)
//! ```
//!
//! ```no_run
//! use trainlab_training::{History, TrainConfig, Trainer};
//!
//! let plan = TrainConfig::default().plan().expect("the default config is valid"); // digits MLP
//! let mut history = History::default();
//! let trained = Trainer::new(plan).run(&mut [&mut history]).expect("trains");
//! assert!(trained.report.final_val_accuracy.unwrap() > 0.9);
//! ```
//!
//! The loop never prints and never writes a file: every step, evaluation and epoch goes out
//! through [`Sink`]s ([`History`] keeps all of it in memory; `trainlab-runs` records a run
//! directory, the `trainlab` command adds a progress bar). Cross-validation, the LR finder, the
//! LR recipe and the sanity ladder are plans run by the same [`Trainer`].
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
#[cfg(test)]
mod mutate;
mod plan;
mod sanity;
mod sink;
pub mod threads;
#[cfg(test)]
mod tolerance;
mod trainer;

pub use checkpoint::{
    best_checkpoint, checkpoint_number, latest_checkpoint, list_checkpoints, prune_checkpoints,
    repair_best, BestCheck, Checkpoint, CheckpointMeta, EpochSums, CHECKPOINT_FORMAT, INTERRUPTED,
};
pub use config::{Activation, DataConfig, DatasetName, LoopConfig, ModelConfig, TrainConfig};
pub use cv::{cross_validate_config, CvConfig, CvReport, FoldResult};
pub use error::TrainError;
pub use history::History;
pub use loss::{accuracy, argmax, cross_entropy, mean_squared_error};
pub use lr_finder::{find_lr, lr_range_test, LrFinderConfig, LrFinderResult, LrPoint};
pub use lr_recipe::{lr_recipe, LrRecipeConfig, LrRecipeResult, RateTrial, RateVerdict};
pub use mlp::{Mlp, Mode};
pub use plan::{LoadedData, Plan};
pub use sanity::{
    initial_loss_check, overfit, sanity_ladder, InitialLossCheck, LossVerdict, OverfitRung,
    SanityConfig, SanityReport,
};
pub use sink::{EpochMetrics, EvalMetrics, RunInfo, Sink, StepMetrics, StepTimings, Warning};
pub use trainer::{
    evaluate, evaluate_in, Outcome, Progress, TimingSummary, TrainReport, Trained, Trainer,
};

// Re-exported so that a config can be built without naming the leaf crates.
pub use trainlab_optimizers::{OptimizerConfig, Step, UpdateRule};
pub use trainlab_schedules::ScheduleConfig;
pub use trainlab_validation::SplitConfig;
