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
//! Rates are `f32` (the optimizers' type): `alpha0` is `f32` and `lr` returns `f32`. The other
//! parameters are `f64`; compute in `f64` (`f64::from(self.alpha0)`, `t as f64`) and round to
//! `f32` once at the end (`as f32`), so long sequences stay accurate.
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
    pub alpha0: f32,
    /// How fast it decays.
    pub decay_rate: f64,
}

/// `alpha0 * gamma^(t / step_size)`.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDecay {
    /// The first epoch's rate.
    pub alpha0: f32,
    /// The factor applied every `step_size` epochs.
    pub gamma: f64,
    /// Epochs between drops (>= 1).
    pub step_size: usize,
}

/// `gamma^t * alpha0`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exponential {
    /// The first epoch's rate.
    pub alpha0: f32,
    /// The factor per epoch.
    pub gamma: f64,
}

/// `k / sqrt(t) * alpha0` (and `alpha0` at `t = 0`).
#[derive(Clone, Debug, PartialEq)]
pub struct InverseSqrt {
    /// The first epoch's rate.
    pub alpha0: f32,
    /// The lecture's constant `k`.
    pub k: f64,
}

impl LrSchedule for InverseTime {
    fn unit(&self) -> StepUnit {
        StepUnit::Epoch
    }
    fn lr(&self, t: usize) -> f32 {
        // TODO
        // BEGIN SOLUTION
        (f64::from(self.alpha0) / (1.0 + self.decay_rate * t as f64)) as f32
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
    fn lr(&self, t: usize) -> f32 {
        // TODO
        // BEGIN SOLUTION
        let drops = i32::try_from(t / self.step_size.max(1)).unwrap_or(i32::MAX);
        (f64::from(self.alpha0) * self.gamma.powi(drops)) as f32
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
    fn lr(&self, t: usize) -> f32 {
        // TODO
        // BEGIN SOLUTION
        (self.gamma.powf(t as f64) * f64::from(self.alpha0)) as f32
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
    fn lr(&self, t: usize) -> f32 {
        // TODO (mind t = 0)
        // BEGIN SOLUTION
        if t == 0 {
            return self.alpha0;
        }
        (self.k / (t as f64).sqrt() * f64::from(self.alpha0)) as f32
        // STUB: let _ = t;
        // STUB: todo!("inverse square-root decay")
        // END SOLUTION
    }
    fn name(&self) -> &'static str {
        "inverse_sqrt"
    }
}
