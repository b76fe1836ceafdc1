//! What an exercise library may use: the lesson crates' traits and plain data types.
//!
//! An exercise crate depends on this crate only, never on a lesson crate itself: Rust lets a
//! crate name only its direct dependencies, so a student's library cannot call the reference
//! implementation (`trainlab_optimizers::Momentum`, `trainlab_validation::kfold`, ...) and hand
//! its answer back. The tests use the lesson crates as dev-dependencies, which the library never
//! sees, for their cases, tolerances and types only: the student release replaces the reference
//! implementations by stubs, so no test calls one.
#![warn(missing_docs)]

/// Update rules (exercises 01-03): the trait an optimizer implements.
pub mod optimizers {
    pub use trainlab_optimizers::{Step, UpdateRule};
}

/// Learning-rate schedules (exercise 04): the trait and its step unit.
pub mod schedules {
    pub use trainlab_schedules::{LrSchedule, StepUnit};
}

/// Cross-validation folds (exercise 05) and search-space dimensions (exercise 06).
pub mod validation {
    pub use trainlab_validation::search::Dimension;
    pub use trainlab_validation::Fold;
}

/// Learning curves and the verdicts on them (exercise 07).
pub mod diagnosis {
    pub use trainlab_diagnosis::{Curves, DivergedAt, VerdictKind};
}

/// TOML values (a random-search sample is one).
pub use toml;
