//! trainlab: a Rust course on training neural networks.
//!
//! Notebooks need one line, `use trainlab::prelude::*;`, to reach every lesson crate.
//! The `trainlab` command (see `trainlab --help`) trains, and writes each run to
//! `runs/<experiment>/<run>/`.
#![warn(missing_docs)]

pub mod lessons;
pub mod run;

/// Everything a notebook or an exercise needs, in one import.
pub mod prelude {
    pub use trainlab_data::{self as data, Dataset, Standardizer, Target};
    pub use trainlab_optimizers::{
        self as optimizers, Optimizer, OptimizerConfig, Step, UpdateRule, WeightDecay,
    };
    pub use trainlab_schedules::{self as schedules, LrSchedule, ScheduleConfig, StepUnit};
    pub use trainlab_training::{
        self as training, History, Mlp, Outcome, Plan, Progress, Sink, TrainConfig, TrainReport,
        Trainer,
    };
    pub use trainlab_validation::{self as validation, SplitConfig};

    // the notebooks' entry points and charts (crates/trainlab/src/lessons.rs)
    pub use crate::lessons::{self, Run};
    pub use trainlab_diagnosis::{self as diagnosis, Thresholds, Verdict};
    pub use trainlab_plots::{self as plots, Chart, Series, Surface, Svg};
}
