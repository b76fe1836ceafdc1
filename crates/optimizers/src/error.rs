//! The crate's error type, and the checks every config shares.

use thiserror::Error;

/// Everything that can go wrong when building or stepping an optimizer.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OptimError {
    /// A hyperparameter is outside its valid range.
    #[error("invalid hyperparameter `{field}` = {value}: expected {expected}")]
    InvalidHyperparameter {
        /// The config field, e.g. `"beta1"`.
        field: &'static str,
        /// The rejected value.
        value: f32,
        /// The valid range in words, e.g. `"a value in [0, 1)"`.
        expected: &'static str,
    },
    /// A parameter that should be updated has no gradient (it took no part in the loss,
    /// or the model was not traced with the gradients passed in).
    #[error("missing gradient for parameter `{name}` (slot {slot}): was it used in the loss and traced?")]
    MissingGradient {
        /// Position of the parameter in the walk order (its state slot).
        slot: usize,
        /// The parameter's path in the model (e.g. `"0.weight"`), or `"slot N"` when unknown.
        name: String,
    },
    /// `theta` and its gradient do not have the same number of elements.
    #[error("slot {slot}: parameter has {theta_len} elements but its gradient has {grad_len}")]
    LengthMismatch {
        /// The state slot.
        slot: usize,
        /// Number of parameter elements.
        theta_len: usize,
        /// Number of gradient elements.
        grad_len: usize,
    },
    /// Saved optimizer state does not fit this optimizer or this model.
    #[error("optimizer state mismatch: {0}")]
    StateMismatch(String),
    /// The dfdx device reported an error.
    #[error("device error: {0}")]
    Device(String),
}

/// `alpha > 0` and finite.
pub(crate) fn check_alpha(field: &'static str, value: f32) -> Result<(), OptimError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidHyperparameter {
            field,
            value,
            expected: "a finite value > 0",
        })
    }
}

/// A decay rate `beta` in `[0, 1)`.
pub(crate) fn check_beta(field: &'static str, value: f32) -> Result<(), OptimError> {
    if (0.0..1.0).contains(&value) {
        Ok(())
    } else {
        Err(OptimError::InvalidHyperparameter {
            field,
            value,
            expected: "a value in [0, 1)",
        })
    }
}

/// A fraction in `[0, 1]` (dampening).
pub(crate) fn check_unit(field: &'static str, value: f32) -> Result<(), OptimError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(OptimError::InvalidHyperparameter {
            field,
            value,
            expected: "a value in [0, 1]",
        })
    }
}

/// A small positive constant (epsilon).
pub(crate) fn check_positive(field: &'static str, value: f32) -> Result<(), OptimError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidHyperparameter {
            field,
            value,
            expected: "a finite value > 0",
        })
    }
}

/// A weight decay coefficient `lambda >= 0`.
pub(crate) fn check_non_negative(field: &'static str, value: f32) -> Result<(), OptimError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidHyperparameter {
            field,
            value,
            expected: "a finite value >= 0",
        })
    }
}
