//! trainlab lesson crate: data.
//!
//! Datasets in memory ([`Dataset`]: row-major `f32` features plus class labels or values), and
//! where they come from: the embedded 8x8 [`digits()`], [`synthetic`] sets (spirals, two moons,
//! a noisy polynomial), [`load_csv`] and [`load_cifar10`]. Then what training does with them:
//! [`Standardizer`] (fitted on training rows only) and seeded shuffling minibatches ([`Batches`]).
//!
//! Pure Rust, no tensors: the trainer turns rows into tensors. Everything random is seeded through
//! `ChaCha8Rng`, so the same seed gives the same numbers on every platform.
//!
//! ```
//! use trainlab_data::{digits, Batches, Standardizer};
//! let all = digits();
//! let train = all.subset(&(0..1500).collect::<Vec<_>>());
//! let scaler = Standardizer::fit(&train);
//! let mut train = train;
//! scaler.transform(&mut train);
//! let batches = Batches::new(train.len(), 64, 7)?;
//! for batch in batches.epoch(0) {
//!     let minibatch = train.subset(&batch);
//!     assert!(minibatch.len() <= 64);
//! }
//! # Ok::<(), trainlab_data::DataError>(())
//! ```
#![warn(missing_docs)]

pub mod atomic;
mod augment;
mod batches;
mod cifar10;
mod csv_file;
mod dataset;
mod digits;
mod error;
mod input;
pub mod memory;
mod standardizer;
pub mod synthetic;
#[cfg(test)]
mod tolerance;

pub use augment::{augment, rotate_image, shift_image, AugmentConfig, AugmentError};
pub use batches::{Batches, EpochBatches};
pub use cifar10::{load_cifar10, CIFAR10_CLASSES, CIFAR10_FEATURES, CIFAR10_RECORD_BYTES};
pub use csv_file::{load_csv, read_csv, CsvOptions, CsvTarget, LabelColumn};
pub use dataset::{Dataset, Target};
pub use digits::{digits, DIGITS_FEATURES, DIGITS_ROWS};
pub use error::DataError;
pub use input::{
    default_max_input_bytes, read_bounded, DEFAULT_MAX_INPUT_BYTES, MAX_INPUT_BYTES_ENV,
};
pub use memory::{
    check_memory, default_memory_limit, estimate_memory, MemoryEstimate, MemoryPlan,
    DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV,
};
pub use standardizer::Standardizer;
