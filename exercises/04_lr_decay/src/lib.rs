//! # Exercise 04: The lecture's four learning-rate decays
//!
//! Implement each as a trainlab [`LrSchedule`] stepping per epoch (`t` = 0-based epoch):
//!
//! ```text
//! InverseTime:  alpha(t) = alpha0 / (1 + decay_rate * t)
//! StepDecay:    alpha(t) = alpha0 * gamma^(t / step_size)        (integer division)
//! Exponential:  alpha(t) = gamma^t * alpha0
//! InverseSqrt:  alpha(t) = k / sqrt(t) * alpha0,  and alpha(0) = alpha0
//! ```
//!
//! PyTorch: `StepLR` and `ExponentialLR` have the same closed forms; inverse time and inverse
//! square root are `LambdaLR` lambdas there.
//!
//! Edit only this file. `cargo make grade 4` runs its visible tests; `cargo make hint 4` gives a hint.

use trainlab_exercise_api::schedules::{LrSchedule, StepUnit};

/// `alpha0 / (1 + decay_rate * t)`.
#[derive(Clone, Debug, PartialEq)]
pub struct InverseTime {
    /// The first epoch's rate.
    pub alpha0: f64,
    /// How fast it decays.
    pub decay_rate: f64,
}

/// `alpha0 * gamma^(t / step_size)`.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDecay {
    /// The first epoch's rate.
    pub alpha0: f64,
    /// The factor applied every `step_size` epochs.
    pub gamma: f64,
    /// Epochs between drops (>= 1).
    pub step_size: usize,
}

/// `gamma^t * alpha0`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exponential {
    /// The first epoch's rate.
    pub alpha0: f64,
    /// The factor per epoch.
    pub gamma: f64,
}

/// `k / sqrt(t) * alpha0` (and `alpha0` at `t = 0`).
#[derive(Clone, Debug, PartialEq)]
pub struct InverseSqrt {
    /// The first epoch's rate.
    pub alpha0: f64,
    /// The lecture's constant `k`.
    pub k: f64,
}

impl LrSchedule for InverseTime {
    fn unit(&self) -> StepUnit {
        StepUnit::Epoch
    }
    fn lr(&self, t: usize) -> f64 {
        // TODO
        // BEGIN SOLUTION
        self.alpha0 / (1.0 + self.decay_rate * t as f64)
        // STUB: let _ = t;
        // STUB: todo!("inverse-time decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "inverse_time"
    }
}

impl LrSchedule for StepDecay {
    fn unit(&self) -> StepUnit {
        StepUnit::Epoch
    }
    fn lr(&self, t: usize) -> f64 {
        // TODO
        // BEGIN SOLUTION
        let drops = i32::try_from(t / self.step_size.max(1)).unwrap_or(i32::MAX);
        self.alpha0 * self.gamma.powi(drops)
        // STUB: let _ = t;
        // STUB: todo!("step decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "step_decay"
    }
}

impl LrSchedule for Exponential {
    fn unit(&self) -> StepUnit {
        StepUnit::Epoch
    }
    fn lr(&self, t: usize) -> f64 {
        // TODO
        // BEGIN SOLUTION
        self.gamma.powf(t as f64) * self.alpha0
        // STUB: let _ = t;
        // STUB: todo!("exponential decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "exponential"
    }
}

impl LrSchedule for InverseSqrt {
    fn unit(&self) -> StepUnit {
        StepUnit::Epoch
    }
    fn lr(&self, t: usize) -> f64 {
        // TODO (mind t = 0)
        // BEGIN SOLUTION
        if t == 0 {
            return self.alpha0;
        }
        self.k / (t as f64).sqrt() * self.alpha0
        // STUB: let _ = t;
        // STUB: todo!("inverse square-root decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "inverse_sqrt"
    }
}
