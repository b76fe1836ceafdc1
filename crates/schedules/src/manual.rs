//! The lecture's manual decay: a hand-written table of `epoch -> rate`.
//!
//! ```text
//! alpha(epoch) = rate of the last entry whose epoch <= epoch
//! ```
//!
//! The table must start at epoch 0 and its epochs must strictly increase; each rate holds until
//! the next entry. The rates are absolute: there is no base rate, so the optimizer's `alpha` is
//! not used ([`crate::ScheduleConfig::ignores_base_rate`] says so). PyTorch has no built-in
//! equivalent (`LambdaLR` with a lookup, or `MultiStepLR` when the ratios are equal).

use crate::{config::epoch, validate, LrSchedule, ScheduleError, StepUnit};
use serde::{Deserialize, Serialize};

/// Parameters of [`Manual`] (`kind = "manual"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualConfig {
    /// `[[epoch, rate], ...]`: starts at epoch 0, epochs strictly increasing, rates finite and
    /// `>= 0`. Required.
    pub table: Vec<(usize, f32)>,
    /// Default: epoch.
    #[serde(default = "epoch")]
    pub unit: StepUnit,
}

impl ManualConfig {
    /// Validate the table. No base rate: every rate comes from the table.
    pub fn build(&self) -> Result<Manual, ScheduleError> {
        let table = &self.table;
        let Some(&(first, _)) = table.first() else {
            return Err(validate::fail(
                "manual",
                "table",
                "[]",
                "at least one entry, starting at epoch 0",
            ));
        };
        if first != 0 {
            return Err(ScheduleError::ManualTable {
                index: 0,
                epoch: first,
                expected: "the first entry to be at epoch 0",
            });
        }
        for (index, &(epoch, rate)) in table.iter().enumerate() {
            if index > 0 && epoch <= table[index - 1].0 {
                return Err(ScheduleError::ManualTable {
                    index,
                    epoch,
                    expected: "epochs in strictly increasing order",
                });
            }
            if !(rate.is_finite() && rate >= 0.0) {
                return Err(ScheduleError::ManualTable {
                    index,
                    epoch,
                    expected: "a finite rate >= 0",
                });
            }
        }
        Ok(Manual {
            table: table.clone(),
            unit: self.unit,
        })
    }
}

/// A piecewise-constant table of rates.
#[derive(Clone, Debug, PartialEq)]
pub struct Manual {
    table: Vec<(usize, f32)>,
    unit: StepUnit,
}

impl LrSchedule for Manual {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f32 {
        // Entries with epoch <= t come first; the table starts at 0 so there is at least one.
        let holding = self.table.partition_point(|&(epoch, _)| epoch <= t);
        self.table[holding - 1].1
    }
    fn name(&self) -> &'static str {
        "manual"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::assert_lr_sequence;
    use crate::sequence;

    fn manual(table: Vec<(usize, f32)>) -> Result<Manual, ScheduleError> {
        let unit = StepUnit::Epoch;
        ManualConfig { table, unit }.build()
    }

    #[test]
    fn rate_holds_until_next_entry() {
        // 0.1 for epochs 0..2, 0.03 for epochs 3..4, 0.001 from epoch 5 on.
        let s = manual(vec![(0, 0.1), (3, 0.03), (5, 0.001)]).unwrap();
        assert_lr_sequence(
            &sequence(&s, 8),
            &[0.1, 0.1, 0.1, 0.03, 0.03, 0.001, 0.001, 0.001],
        );
    }

    #[test]
    fn rejects_tables_breaking_the_rules() {
        let e = manual(vec![]).unwrap_err();
        assert!(e.to_string().contains("`table`"), "{e}");
        let e = manual(vec![(1, 0.1)]).unwrap_err();
        assert!(e.to_string().contains("epoch 0"), "{e}");
        let e = manual(vec![(0, 0.1), (4, 0.01), (4, 0.001)]).unwrap_err();
        assert_eq!(
            e,
            ScheduleError::ManualTable {
                index: 2,
                epoch: 4,
                expected: "epochs in strictly increasing order"
            }
        );
        let e = manual(vec![(0, 0.1), (2, -0.01)]).unwrap_err();
        assert!(e.to_string().contains("entry 1"), "{e}");
    }
}
