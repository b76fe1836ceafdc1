//! Sequential: switch from one schedule to the next at milestones, restarting its clock.
//!
//! ```text
//! i = number of milestones <= t
//! alpha(t) = schedules[i].lr(t - milestones[i - 1])      (t itself when i = 0)
//! ```
//!
//! Matches PyTorch's `SequentialLR(schedulers, milestones)`: at a milestone the next scheduler
//! starts from its own step 0 (PyTorch calls `_update_lr(0)` on it). PyTorch rejects
//! `ReduceLROnPlateau` inside; here [`LrSchedule::observe`] is forwarded to every child.

use crate::{validate, LrSchedule, ScheduleConfig, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};

/// Parameters of [`Sequential`] (`kind = "sequential"`); the unit is the children's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequentialConfig {
    /// The schedules in order, one more than `milestones`, all stepping in the same unit, each
    /// built from the same base rate. Required.
    pub schedules: Vec<ScheduleConfig>,
    /// Strictly increasing steps at which the next schedule starts. Required.
    pub milestones: Vec<usize>,
}

impl SequentialConfig {
    /// Build every child from `base_lr`, then validate the whole.
    pub fn build(&self, base_lr: f32) -> Result<Sequential, ScheduleError> {
        let built = build_all(&self.schedules, base_lr)?;
        Sequential::new(built, self.milestones.clone())
    }
}

/// Every config built from the same `base_lr`.
pub(crate) fn build_all(
    configs: &[ScheduleConfig],
    base_lr: f32,
) -> Result<Vec<Box<dyn LrSchedule>>, ScheduleError> {
    configs.iter().map(|c| c.build(base_lr)).collect()
}

/// Several schedules one after the other.
pub struct Sequential {
    schedules: Vec<Box<dyn LrSchedule>>,
    milestones: Vec<usize>,
}

impl std::fmt::Debug for Sequential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.schedules.iter().map(|s| s.name()).collect();
        f.debug_struct("Sequential")
            .field("schedules", &names)
            .field("milestones", &self.milestones)
            .finish()
    }
}

impl Sequential {
    /// `schedules.len() == milestones.len() + 1 >= 1`, milestones strictly increasing, every
    /// schedule stepping in the same unit.
    pub fn new(
        schedules: Vec<Box<dyn LrSchedule>>,
        milestones: Vec<usize>,
    ) -> Result<Self, ScheduleError> {
        const NAME: &str = "sequential";
        if schedules.is_empty() {
            return Err(validate::fail(
                NAME,
                "schedules",
                0,
                "at least one schedule",
            ));
        }
        if milestones.len() + 1 != schedules.len() {
            return Err(validate::fail(
                NAME,
                "milestones",
                format!("{milestones:?}"),
                "exactly one milestone fewer than schedules",
            ));
        }
        if milestones.windows(2).any(|w| w[0] >= w[1]) {
            return Err(validate::fail(
                NAME,
                "milestones",
                format!("{milestones:?}"),
                "strictly increasing steps",
            ));
        }
        check_units(NAME, &schedules)?;
        Ok(Self {
            schedules,
            milestones,
        })
    }
}

/// Every child must step in the unit of the first.
pub(crate) fn check_units(
    schedule: &'static str,
    schedules: &[Box<dyn LrSchedule>],
) -> Result<(), ScheduleError> {
    let expected = schedules[0].unit();
    for (index, s) in schedules.iter().enumerate() {
        if s.unit() != expected {
            return Err(ScheduleError::MixedUnits {
                schedule,
                index,
                expected,
                found: s.unit(),
            });
        }
    }
    Ok(())
}

impl LrSchedule for Sequential {
    fn unit(&self) -> StepUnit {
        self.schedules[0].unit()
    }
    fn lr(&self, t: usize) -> f32 {
        let i = self.milestones.partition_point(|&m| m <= t);
        let started = if i == 0 { 0 } else { self.milestones[i - 1] };
        self.schedules[i].lr(t - started)
    }
    fn observe(&mut self, metric: f64) {
        for s in &mut self.schedules {
            s.observe(metric);
        }
    }
    fn name(&self) -> &'static str {
        "sequential"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::{sequence, ConstantConfig, ExponentialConfig, LinearWarmupConfig};

    fn constant(alpha0: f32, unit: StepUnit) -> Box<dyn LrSchedule> {
        Box::new(ConstantConfig { unit }.build(alpha0).unwrap())
    }

    #[test]
    fn warmup_then_decay_by_hand() {
        // warmup 0.25 -> 1 over 3 steps (alpha0 1): 0.25, 0.5, 0.75; at milestone 3 the
        // exponential (gamma 0.5) starts from its step 0: 1, 0.5, 0.25.
        let s = Sequential::new(
            vec![
                Box::new(
                    LinearWarmupConfig {
                        start_factor: 0.25,
                        end_factor: 1.0,
                        total_iters: 3,
                        unit: StepUnit::Epoch,
                    }
                    .build(1.0)
                    .unwrap(),
                ),
                Box::new(
                    ExponentialConfig {
                        gamma: 0.5,
                        unit: StepUnit::Epoch,
                    }
                    .build(1.0)
                    .unwrap(),
                ),
            ],
            vec![3],
        )
        .unwrap();
        assert_lr_sequence(&sequence(&s, 6), &[0.25, 0.5, 0.75, 1.0, 0.5, 0.25]);
    }

    #[test]
    fn rejects_wrong_milestone_count_and_mixed_units() {
        let two = || -> Vec<Box<dyn LrSchedule>> {
            vec![
                constant(1.0, StepUnit::Epoch),
                constant(2.0, StepUnit::Epoch),
            ]
        };
        let e = Sequential::new(two(), vec![]).unwrap_err();
        assert!(e.to_string().contains("`milestones`"), "{e}");
        let mixed = vec![
            constant(1.0, StepUnit::Epoch),
            constant(2.0, StepUnit::Batch),
        ];
        let e = Sequential::new(mixed, vec![2]).unwrap_err();
        assert!(
            matches!(e, ScheduleError::MixedUnits { index: 1, .. }),
            "{e}"
        );
    }
}
