//! # trainlab-validation: how to tell whether a model generalises
//!
//! The lecture's slides "Learning", "Cross Validation", "Hyperparameter Tuning",
//! "Coarse Grid Search" and "Refine Grid", as a small library:
//!
//! | file | what |
//! |---|---|
//! | `split.rs` | [`split`]: train / val / test, optionally stratified, exact sizes |
//! | `apportion.rs` | the rounding rules that make the sizes add up |
//! | `sealed.rs` | [`SealedTest`]: the test set, readable once via [`SealedTest::evaluate_final`] |
//! | `leakage.rs` | [`find_leaks`]: identical rows across parts ("training set contains test data") |
//! | `kfold.rs` | [`kfold`]: scikit-learn's `KFold` rule |
//! | `stratified_kfold.rs` | [`stratified_kfold`]: scikit-learn's `StratifiedKFold` rule |
//! | `cross_validate.rs` | [`cross_validate`]: run a closure per fold, mean and std of the scores |
//! | `search/` | [`search`]: search spaces in TOML, grid / random / refine, `apply` a trial |
//!
//! All seeded randomness is `rand_chacha::ChaCha8Rng::seed_from_u64(seed)`.
//!
//! ```
//! use trainlab_validation::{cross_validate, split, stratified_kfold, SplitConfig};
//! let labels: Vec<u32> = (0..200).map(|i| (i % 3) as u32).collect();
//! let s = split(labels.len(), Some(&labels), &SplitConfig::default()).unwrap();
//! // model selection: cross-validate on train + val only
//! let dev: Vec<usize> = s.train.iter().chain(&s.val).copied().collect();
//! let dev_labels: Vec<u32> = dev.iter().map(|&i| labels[i]).collect();
//! let folds = stratified_kfold(&dev_labels, 5, None).unwrap();
//! let cv = cross_validate(&folds, |_, fold| Ok::<_, ()>(fold.val.len() as f64)).unwrap();
//! assert_eq!(cv.scores, vec![36.0; 5]);
//! // and then, once, the test set
//! let final_eval = s.test.evaluate_final(|idx| idx.len());
//! assert_eq!(final_eval.result, 20);
//! ```
#![warn(missing_docs)]

mod apportion;
mod cross_validate;
mod error;
mod kfold;
mod leakage;
mod sealed;
pub mod search;
mod split;
mod stratified_kfold;
#[cfg(test)]
mod testutil;

pub use cross_validate::{cross_validate, CvScores};
pub use error::ValidationError;
pub use kfold::{kfold, Fold};
pub use leakage::{find_leaks, try_find_leaks, Leak, Part};
pub use sealed::{FinalEvaluation, SealedTest};
pub use split::{split, Split, SplitConfig};
pub use stratified_kfold::stratified_kfold;
