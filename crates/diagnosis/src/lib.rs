//! Learning-curve diagnosis for the lecture "Training Neural Networks": the "Learning Curves",
//! "Over- and Underfitting", "To Summarize" and "Basic Recipe for Machine Learning" slides.
//!
//! - [`Curves`] hold per-epoch losses (and errors), from a trainer or a CSV
//!   ([`Curves::from_file`] reads trainlab's `metrics.csv`, PyTorch scripts', Keras',
//!   Lightning's and Hugging Face's logs);
//! - [`diagnose`] turns them into [`Verdict`]s (diverging, not learning: at chance, not
//!   learning, losses rising, underfitting, overfitting, validation not improving, still
//!   improving, unstable, validation better than training, good fit, and what could not be
//!   judged for want of a column), each with its evidence, the lecture's explanation and advice,
//!   judged against documented [`Thresholds`]. One definition of under- and overfitting, the
//!   lecture's: high bias is a training error far above the target (Bayes) error, high
//!   variance a validation error above the training error by more than the noise of its
//!   estimate (the binomial standard error from [`Curves::n_val`]);
//! - [`bias_variance`] splits error levels into avoidable bias and variance (the lecture's
//!   1% / 5% / 8% example) with the basic recipe's advice;
//! - [`EarlyStopping`] tells a trainer when to stop and which epoch to restore (Keras /
//!   PyTorch-Lightning semantics).
//!
//! ```
//! use trainlab_diagnosis::{diagnose, Curves, Thresholds, VerdictKind};
//!
//! let csv = "epoch,train_loss,val_loss\n0,2.0,2.0\n1,1.5,1.6\n2,1.2,1.3\n3,1.0,1.1\n4,0.9,1.0\n5,0.8,0.9\n";
//! let curves = Curves::from_csv_reader(csv.as_bytes(), "log.csv")?;
//! let verdicts = diagnose(&curves, &Thresholds::default());
//! // The validation loss still falls by 6.7% of its starting value (1.5) per epoch: train longer.
//! assert_eq!(verdicts[0].kind, VerdictKind::StillImproving);
//! assert!(verdicts[0].to_string().starts_with("still improving: "));
//! # Ok::<(), trainlab_diagnosis::DiagnosisError>(())
//! ```
#![warn(missing_docs)]

mod bias_variance;
mod csv_input;
mod curves;
mod detectors;
mod diagnose;
mod early_stopping;
mod error;
mod log_rows;
mod measures;
mod thresholds;
mod tolerance;
mod trainer_state;
mod verdict;

pub(crate) use bias_variance::standard_error;
pub use bias_variance::{bias_variance, BiasVariance, Focus};
pub use curves::Curves;
pub use diagnose::diagnose;
pub use early_stopping::{EarlyStop, EarlyStopping, EarlyStoppingConfig};
pub use error::DiagnosisError;
pub use thresholds::Thresholds;
pub use verdict::{report, to_json, DivergedAt, Evidence, Verdict, VerdictKind};
