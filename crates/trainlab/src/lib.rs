//! trainlab: a Rust course on training neural networks.
//!
//! Notebooks need one line, `use trainlab::prelude::*;`, to reach every lesson crate.
//! The `trainlab` command (see `trainlab --help`) trains, and writes each run to
//! `runs/<experiment>/<run>/`.
#![warn(missing_docs)]

pub mod lessons;
pub mod run;
pub mod signals;

/// Everything a notebook or an exercise needs, in one import.
pub mod prelude {
    pub use trainlab_data::{self as data, Dataset, Standardizer, Target};
    pub use trainlab_optimizers::{
        self as optimizers, Optimizer, OptimizerConfig, UpdateRule, WeightDecay,
    };
    pub use trainlab_schedules::{self as schedules, LrSchedule, ScheduleConfig, StepUnit};
    pub use trainlab_training::{
        self as training, History, Mlp, Outcome, Sink, TrainConfig, TrainReport,
    };
    pub use trainlab_validation::{self as validation, SplitConfig};

    pub use crate::train_digits;

    // the notebooks' entry points and charts (crates/trainlab/src/lessons.rs)
    pub use crate::lessons::{self, Run};
    pub use trainlab_diagnosis::{self as diagnosis, Thresholds, Verdict};
    pub use trainlab_plots::{self as plots, Chart, Series, Surface, Svg};
}

/// Trains `config` (digits unless it says otherwise) and returns its history: the concrete entry
/// point notebooks call, so that no generic dfdx code is compiled in a cell.
pub fn train_digits(
    config: &trainlab_training::TrainConfig,
) -> anyhow::Result<trainlab_training::History> {
    let mut history = trainlab_training::History::default();
    trainlab_training::train(config, &mut [&mut history])?;
    Ok(history)
}
