//! What can go wrong while recording a run.

use trainlab_tracking::TrackingError;
use trainlab_training::TrainError;

/// Everything that stops a recorded run: the trainer's errors and the run directory's.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Planning or training failed (config, data, checkpoint, device).
    #[error(transparent)]
    Train(#[from] TrainError),
    /// A file of the run directory could not be written or read.
    #[error("recording the run: {0}")]
    Tracking(#[from] TrackingError),
    /// The run's learning curves could not be read back (a resumed run's `metrics.csv`).
    #[error("reading the run's learning curves: {0}")]
    Curves(#[from] trainlab_diagnosis::DiagnosisError),
}
