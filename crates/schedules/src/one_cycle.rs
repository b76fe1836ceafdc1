//! One-cycle policy: warm up from `max_lr / div_factor` to `max_lr`, then anneal far below.
//!
//! ```text
//! initial = max_lr / div_factor;   min = initial / final_div_factor
//! phases (two-phase):   [0, pct_start*total_steps - 1]        initial -> max_lr
//!                       (.., total_steps - 1]                 max_lr  -> min
//! phases (three-phase): [0, pct_start*total_steps - 1]        initial -> max_lr
//!                       (.., 2*pct_start*total_steps - 2]     max_lr  -> initial
//!                       (.., total_steps - 1]                 initial -> min
//! within a phase from step a to b: pct = (t - a) / (b - a)
//!   cos:    alpha = end + (start - end) / 2 * (1 + cos(pi * pct))
//!   linear: alpha = start + (end - start) * pct
//! ```
//!
//! Matches PyTorch's `OneCycleLR` learning rates (defaults `pct_start 0.3`, `anneal_strategy
//! "cos"`, `div_factor 25`, `final_div_factor 1e4`, `three_phase false`). Differences: it does not
//! cycle momentum (that is the optimizer's business); `max_lr` is optional: when set it replaces
//! the optimizer's rate as in PyTorch, unset the cycle peaks at the base rate; for
//! `t >= total_steps` the rate holds at its final value `min` (PyTorch raises past
//! `total_steps`); a phase of zero length (e.g. `pct_start * total_steps == 1`) yields its end
//! rate instead of PyTorch's division by zero. Steps per batch by default.

use crate::{validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// How a one-cycle phase moves between its two rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Anneal {
    /// Half a cosine (PyTorch `"cos"`). Default.
    #[default]
    Cos,
    /// A straight line (PyTorch `"linear"`).
    Linear,
}

impl Anneal {
    fn between(self, start: f64, end: f64, pct: f64) -> f64 {
        match self {
            Anneal::Cos => end + (start - end) / 2.0 * ((PI * pct).cos() + 1.0),
            Anneal::Linear => (end - start) * pct + start,
        }
    }
}

/// Parameters of [`OneCycle`] (`kind = "one_cycle"`), PyTorch's names and defaults.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneCycleConfig {
    /// The peak rate, finite and `>= 0`. Default: none, i.e. the base rate passed to
    /// [`OneCycleConfig::build`] (the optimizer's `alpha`); when set, the base rate is not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lr: Option<f32>,
    /// Length of the cycle in units, `>= 1`. Required.
    pub total_steps: usize,
    /// Fraction of the cycle spent increasing the rate, in `[0, 1]` (`[0, 0.5]` for three
    /// phases). Default: 0.3.
    #[serde(default = "pct_start")]
    pub pct_start: f64,
    /// Annealing shape, `"cos"` or `"linear"`. Default: cos.
    #[serde(default)]
    pub anneal_strategy: Anneal,
    /// `initial = max_lr / div_factor`, `> 0`. Default: 25.
    #[serde(default = "div_factor")]
    pub div_factor: f64,
    /// `min = initial / final_div_factor`, `> 0`. Default: 1e4.
    #[serde(default = "final_div_factor")]
    pub final_div_factor: f64,
    /// Go back down to `initial` before annealing to `min`. Default: false.
    #[serde(default)]
    pub three_phase: bool,
    /// Default: batch.
    #[serde(default = "batch")]
    pub unit: StepUnit,
}

fn pct_start() -> f64 {
    0.3
}
fn div_factor() -> f64 {
    25.0
}
fn final_div_factor() -> f64 {
    1e4
}
fn batch() -> StepUnit {
    StepUnit::Batch
}

impl OneCycleConfig {
    /// PyTorch's defaults for a cycle of `total_steps` batches, peaking at the base rate.
    pub fn new(total_steps: usize) -> Self {
        Self {
            max_lr: None,
            total_steps,
            pct_start: pct_start(),
            anneal_strategy: Anneal::Cos,
            div_factor: div_factor(),
            final_div_factor: final_div_factor(),
            three_phase: false,
            unit: batch(),
        }
    }

    /// Validate; the cycle peaks at `max_lr` if set, else at `base_lr`.
    pub fn build(&self, base_lr: f32) -> Result<OneCycle, ScheduleError> {
        const NAME: &str = "one_cycle";
        let max_lr = match self.max_lr {
            Some(max_lr) => validate::rate(NAME, "max_lr", max_lr)?,
            None => validate::rate(NAME, "base_lr", base_lr)?,
        };
        let max_lr = f64::from(max_lr);
        let total_steps = validate::count(NAME, "total_steps", self.total_steps)?;
        let pct_start = validate::unit_interval(NAME, "pct_start", self.pct_start)?;
        if self.three_phase && pct_start > 0.5 {
            return Err(validate::fail(
                NAME,
                "pct_start",
                pct_start,
                "a number in [0, 0.5] when three_phase is true",
            ));
        }
        let div_factor = validate::positive(NAME, "div_factor", self.div_factor)?;
        let final_div_factor = validate::positive(NAME, "final_div_factor", self.final_div_factor)?;
        let initial = max_lr / div_factor;
        let min = initial / final_div_factor;
        let total = total_steps as f64;
        let warm_end = pct_start * total - 1.0;
        let phases = if self.three_phase {
            vec![
                Phase {
                    end_step: warm_end,
                    start_lr: initial,
                    end_lr: max_lr,
                },
                Phase {
                    end_step: 2.0 * pct_start * total - 2.0,
                    start_lr: max_lr,
                    end_lr: initial,
                },
                Phase {
                    end_step: total - 1.0,
                    start_lr: initial,
                    end_lr: min,
                },
            ]
        } else {
            vec![
                Phase {
                    end_step: warm_end,
                    start_lr: initial,
                    end_lr: max_lr,
                },
                Phase {
                    end_step: total - 1.0,
                    start_lr: max_lr,
                    end_lr: min,
                },
            ]
        };
        Ok(OneCycle {
            total_steps,
            anneal: self.anneal_strategy,
            phases,
            unit: self.unit,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Phase {
    end_step: f64,
    start_lr: f64,
    end_lr: f64,
}

/// PyTorch's `OneCycleLR` learning-rate curve.
#[derive(Clone, Debug, PartialEq)]
pub struct OneCycle {
    total_steps: usize,
    anneal: Anneal,
    phases: Vec<Phase>,
    unit: StepUnit,
}

impl LrSchedule for OneCycle {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        let step = t.min(self.total_steps - 1) as f64;
        let last = self.phases.len() - 1;
        let mut start_step = 0.0;
        for (i, phase) in self.phases.iter().enumerate() {
            if step <= phase.end_step || i == last {
                let width = phase.end_step - start_step;
                let pct = if width > 0.0 {
                    (step - start_step) / width
                } else {
                    1.0
                };
                return self.anneal.between(phase.start_lr, phase.end_lr, pct) as f32;
            }
            start_step = phase.end_step;
        }
        unreachable!("the last phase always returns")
    }
    fn name(&self) -> &'static str {
        "one_cycle"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    #[test]
    fn hand_derived_linear_cycle() {
        // max_lr 1, total 10, pct_start 0.5, linear, div 10, final_div 10:
        // initial 0.1, min 0.01. Phase 1 ends at step 4: 0.1 + 0.9 * t/4.
        // Phase 2 from step 4 to 9: 1 + (0.01 - 1) * (t - 4)/5.
        let config = OneCycleConfig {
            pct_start: 0.5,
            anneal_strategy: Anneal::Linear,
            div_factor: 10.0,
            final_div_factor: 10.0,
            ..OneCycleConfig::new(10)
        };
        let s = config.build(1.0).unwrap();
        let expected = [
            0.1, 0.325, 0.55, 0.775, 1.0, 0.802, 0.604, 0.406, 0.208, 0.01, 0.01,
        ];
        assert_lr_sequence(&sequence(&s, 11), &expected);
    }

    #[test]
    fn starts_at_max_over_div_and_ends_at_min() {
        let s = OneCycleConfig::new(100).build(0.5).unwrap();
        assert_eq!(s.lr(0), 0.02);
        assert_eq!(s.lr(99), 2e-6);
        assert_eq!(s.unit(), StepUnit::Batch);
    }

    #[test]
    fn rejects_bad_options() {
        let bad = OneCycleConfig {
            pct_start: 1.2,
            ..OneCycleConfig::new(100)
        };
        let e = bad.build(0.1).unwrap_err();
        assert!(e.to_string().contains("`pct_start`"), "{e}");
        let bad = OneCycleConfig {
            pct_start: 0.6,
            three_phase: true,
            ..OneCycleConfig::new(100)
        };
        let e = bad.build(0.1).unwrap_err();
        assert!(e.to_string().contains("three_phase"), "{e}");
        let bad = OneCycleConfig {
            div_factor: 0.0,
            ..OneCycleConfig::new(100)
        };
        let e = bad.build(0.1).unwrap_err();
        assert!(e.to_string().contains("`div_factor`"), "{e}");
        let e = OneCycleConfig::new(0).build(0.1).unwrap_err();
        assert!(e.to_string().contains("`total_steps`"), "{e}");
        let bad = OneCycleConfig {
            max_lr: Some(-1.0),
            ..OneCycleConfig::new(10)
        };
        let e = bad.build(0.1).unwrap_err();
        assert!(e.to_string().contains("`max_lr`"), "{e}");
    }

    #[test]
    fn max_lr_replaces_the_base_rate() {
        let with_max = OneCycleConfig {
            max_lr: Some(0.5),
            ..OneCycleConfig::new(100)
        };
        assert_eq!(
            with_max.build(0.01).unwrap(),
            OneCycleConfig::new(100).build(0.5).unwrap()
        );
    }
}
