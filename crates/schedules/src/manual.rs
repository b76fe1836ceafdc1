//! The lecture's manual decay: a hand-written table of `epoch -> rate`.
//!
//! ```text
//! alpha(epoch) = rate of the last entry whose epoch <= epoch
//! ```
//!
//! The table must start at epoch 0 and its epochs must strictly increase; each rate holds until
//! the next entry. The rates are absolute: the optimizer's `base_lr` is not used. PyTorch has no
//! built-in equivalent (`LambdaLR` with a lookup, or `MultiStepLR` when the ratios are equal).

use crate::{validate, LrSchedule, ScheduleError, StepUnit};

/// A piecewise-constant table of rates.
#[derive(Clone, Debug, PartialEq)]
pub struct Manual {
    table: Vec<(usize, f64)>,
    unit: StepUnit,
}

impl Manual {
    /// `table` of `(epoch, rate)`: starts at epoch 0, epochs strictly increasing, rates `>= 0`.
    pub fn new(table: Vec<(usize, f64)>) -> Result<Self, ScheduleError> {
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
        Ok(Self {
            table,
            unit: StepUnit::Epoch,
        })
    }

    /// The same schedule stepping per `unit`.
    pub fn with_unit(self, unit: StepUnit) -> Self {
        Self { unit, ..self }
    }
}

impl LrSchedule for Manual {
    fn unit(&self) -> StepUnit {
        self.unit
    }
    fn lr(&self, t: usize) -> f64 {
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

    #[test]
    fn rate_holds_until_next_entry() {
        // 0.1 for epochs 0..2, 0.03 for epochs 3..4, 0.001 from epoch 5 on.
        let s = Manual::new(vec![(0, 0.1), (3, 0.03), (5, 0.001)]).unwrap();
        assert_lr_sequence(
            &sequence(&s, 8),
            &[0.1, 0.1, 0.1, 0.03, 0.03, 0.001, 0.001, 0.001],
        );
    }

    #[test]
    fn rejects_tables_breaking_the_rules() {
        let e = Manual::new(vec![]).unwrap_err();
        assert!(e.to_string().contains("`table`"), "{e}");
        let e = Manual::new(vec![(1, 0.1)]).unwrap_err();
        assert!(e.to_string().contains("epoch 0"), "{e}");
        let e = Manual::new(vec![(0, 0.1), (4, 0.01), (4, 0.001)]).unwrap_err();
        assert_eq!(
            e,
            ScheduleError::ManualTable {
                index: 2,
                epoch: 4,
                expected: "epochs in strictly increasing order"
            }
        );
        let e = Manual::new(vec![(0, 0.1), (2, -0.01)]).unwrap_err();
        assert!(e.to_string().contains("entry 1"), "{e}");
    }
}
