//! # trainlab-validation: how to tell whether a model generalises
//!
//! The lecture's slides "Learning", "Cross Validation", "Hyperparameter Tuning",
//! "Coarse Grid Search" and "Refine Grid", as a small library:
//!
//! | file | what |
//! |---|---|
//! | `split.rs` | [`split`]: train / val / test, optionally stratified, exact sizes |
//! | `sealed.rs` | [`SealedTest`]: the test set, readable once via [`SealedTest::evaluate_final`] |
//! | `leakage.rs` | [`find_leaks`]: identical rows across parts ("training set contains test data") |
//! | `kfold.rs` | [`kfold`]: scikit-learn's `KFold` rule |
//! | `stratified_kfold.rs` | [`stratified_kfold`]: scikit-learn's `StratifiedKFold` rule |
//! | `cross_validate.rs` | [`cross_validate`]: run a closure per fold, mean and std of the scores |
//! | `search/` | [`search`]: search spaces in TOML, grid / random / refine, `apply` a trial |
//!
//! All seeded randomness is `rand_chacha::ChaCha8Rng::seed_from_u64(seed)`.
#![warn(missing_docs)]

mod apportion;
mod error;
mod sealed;
mod split;

pub use error::ValidationError;
pub use sealed::{FinalEvaluation, SealedTest};
pub use split::{split, Split, SplitConfig};
