//! The graded cases of exercise 04 (the lecture's four decays), in one place: the exercise's
//! `tests/visible.rs` runs them under `cargo test`, and notebook 02's "your turn" check runs the
//! same ones on a schedule written in a cell, with the same points.
//!
//! A case builds the schedule from its [`Params`] and compares its first rates with the
//! expected ones through [`check_lr_sequence`] at [`LR_TOLERANCE`]. Where the expected values
//! come from: the lecture's table and the hand-derived step decay say so; "matches the
//! reference" evaluates the lecture's closed form in `f64` right here, never this crate's
//! schedules (the student release replaces those by stubs, and exercise 04 still runs these).
//!
//! ```
//! use trainlab_schedules::cases::{cases, run_case, Params};
//! use trainlab_schedules::{InverseTimeConfig, LrSchedule, StepUnit};
//! let make = |p: &Params| -> Box<dyn LrSchedule> {
//!     let c = InverseTimeConfig { decay_rate: p.decay_rate, unit: StepUnit::Epoch };
//!     Box::new(c.build(p.alpha0).unwrap())
//! };
//! for case in cases("inverse_time").unwrap() {
//!     assert_eq!(run_case(&make, &case), Ok(()));
//! }
//! ```

use crate::{check_lr_sequence, sequence, LrSchedule, StepUnit, LR_TOLERANCE};

/// The parameters a case builds its schedule with; each decay reads the ones it has.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// The starting rate `alpha0`.
    pub alpha0: f32,
    /// Inverse time's `decay_rate`.
    pub decay_rate: f64,
    /// Step decay's and exponential's factor `gamma`.
    pub gamma: f64,
    /// Step decay's epochs per drop.
    pub step_size: usize,
    /// Inverse square root's `k`.
    pub k: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            alpha0: 0.1,
            decay_rate: 1.0,
            gamma: 0.5,
            step_size: 2,
            k: 1.0,
        }
    }
}

/// One graded case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The test's name in `tests/visible.rs`, with its `pN_` points prefix.
    pub name: &'static str,
    /// Points (the `N` of `pN_`).
    pub points: u32,
    /// The parameters to build the schedule with.
    pub params: Params,
    /// The rates of epochs 0, 1, 2, ...
    pub expected: Vec<f64>,
}

/// A request for cases of a decay this module has none for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no cases for schedule {0:?}: expected \"inverse_time\", \"step_decay\", \"exponential\" or \"inverse_sqrt\"")]
pub struct UnknownSchedule(pub String);

/// Runs one case on the schedule `make` builds: `Ok(())` or the first mismatch, naming the epoch.
pub fn run_case(make: &dyn Fn(&Params) -> Box<dyn LrSchedule>, case: &Case) -> Result<(), String> {
    let s = make(&case.params);
    if s.unit() != StepUnit::Epoch {
        return Err(format!("unit() is {:?}, expected Epoch", s.unit()));
    }
    let got = sequence(s.as_ref(), case.expected.len());
    check_lr_sequence(&got, &case.expected, LR_TOLERANCE).map_err(|m| {
        format!(
            "the rate of epoch {} is {}, expected {}",
            m.step, m.actual, m.expected
        )
    })
}

/// `rate(t)` for the epochs `0..n`.
fn closed_form(n: usize, rate: impl Fn(f64) -> f64) -> Vec<f64> {
    (0..n).map(|t| rate(t as f64)).collect()
}

/// The graded cases of `kind`, in the order of exercise 04's `tests/visible.rs`.
pub fn cases(kind: &str) -> Result<Vec<Case>, UnknownSchedule> {
    let p = Params::default();
    Ok(match kind {
        "inverse_time" => vec![Case {
            name: "p2_inverse_time_lecture_table",
            points: 2,
            // the lecture's table: alpha0 = 0.1, decay_rate = 1 -> 0.1, 0.05, 0.0333.., 0.025
            params: Params {
                alpha0: 0.1,
                decay_rate: 1.0,
                ..p
            },
            expected: vec![0.1, 0.05, 0.1 / 3.0, 0.025],
        }],
        "step_decay" => vec![Case {
            name: "p2_step_decay_halves_every_two_epochs",
            points: 2,
            // alpha0 = 1, gamma = 0.5, step_size = 2 -> 1, 1, 0.5, 0.5, 0.25
            params: Params {
                alpha0: 1.0,
                gamma: 0.5,
                step_size: 2,
                ..p
            },
            expected: vec![1.0, 1.0, 0.5, 0.5, 0.25],
        }],
        "exponential" => {
            vec![Case {
                name: "p2_exponential_matches_the_reference",
                points: 2,
                params: Params {
                    alpha0: 0.2,
                    gamma: 0.95,
                    ..p
                },
                // alpha_t = alpha0 * gamma^t
                expected: closed_form(30, |t| f64::from(0.2_f32) * 0.95_f64.powf(t)),
            }]
        }
        "inverse_sqrt" => {
            vec![Case {
                name: "p2_inverse_sqrt_matches_the_reference",
                points: 2,
                params: Params {
                    alpha0: 0.1,
                    k: 0.5,
                    ..p
                },
                // alpha_t = alpha0 * k / sqrt(t), and alpha0 at t = 0
                expected: closed_form(30, |t| {
                    let alpha0 = f64::from(0.1_f32);
                    if t == 0.0 {
                        alpha0
                    } else {
                        alpha0 * 0.5 / t.sqrt()
                    }
                }),
            }]
        }
        other => return Err(UnknownSchedule(other.to_string())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ExponentialConfig, InverseSqrtConfig, InverseTimeConfig, StepDecayConfig};

    fn reference(kind: &str) -> impl Fn(&Params) -> Box<dyn LrSchedule> + '_ {
        move |p: &Params| -> Box<dyn LrSchedule> {
            match kind {
                "inverse_time" => Box::new(
                    InverseTimeConfig {
                        decay_rate: p.decay_rate,
                        unit: StepUnit::Epoch,
                    }
                    .build(p.alpha0)
                    .expect("valid"),
                ),
                "step_decay" => Box::new(
                    StepDecayConfig {
                        gamma: p.gamma,
                        step_size: p.step_size,
                        unit: StepUnit::Epoch,
                    }
                    .build(p.alpha0)
                    .expect("valid"),
                ),
                "exponential" => Box::new(
                    ExponentialConfig {
                        gamma: p.gamma,
                        unit: StepUnit::Epoch,
                    }
                    .build(p.alpha0)
                    .expect("valid"),
                ),
                _ => Box::new(
                    InverseSqrtConfig {
                        k: p.k,
                        unit: StepUnit::Epoch,
                    }
                    .build(p.alpha0)
                    .expect("valid"),
                ),
            }
        }
    }

    #[test]
    fn the_reference_schedules_pass_every_case() {
        for kind in ["inverse_time", "step_decay", "exponential", "inverse_sqrt"] {
            for case in cases(kind).unwrap() {
                assert_eq!(run_case(&reference(kind), &case), Ok(()), "{kind}");
            }
        }
    }

    #[test]
    fn a_constant_rate_fails_and_names_the_epoch() {
        let constant = |p: &Params| -> Box<dyn LrSchedule> {
            Box::new(
                crate::ConstantConfig::default()
                    .build(p.alpha0)
                    .expect("valid"),
            )
        };
        let err = run_case(&constant, &cases("inverse_time").unwrap()[0]).unwrap_err();
        assert!(err.contains("epoch 1"), "{err}");
        assert!(cases("cosine").unwrap_err().to_string().contains("cosine"));
    }
}
