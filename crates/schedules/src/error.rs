//! The crate's error type.

use thiserror::Error;

/// Why a schedule or its configuration was rejected.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ScheduleError {
    /// A numeric field is outside its valid range.
    #[error("schedule `{schedule}`: field `{field}` = {value} is invalid, expected {expected}")]
    InvalidField {
        /// The schedule's `kind`, e.g. `"step_decay"`.
        schedule: &'static str,
        /// The offending field, e.g. `"gamma"`.
        field: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// The valid range in words, e.g. `"a factor in (0, 1]"`.
        expected: &'static str,
    },
    /// A manual table entry breaks the table's rules.
    #[error("schedule `manual`: field `table` entry {index} (epoch {epoch}) is invalid, expected {expected}")]
    ManualTable {
        /// 0-based index of the entry in `table`.
        index: usize,
        /// The entry's epoch.
        epoch: usize,
        /// What the entry must satisfy.
        expected: &'static str,
    },
    /// The child schedules of a composite schedule advance in different units.
    #[error("schedule `{schedule}`: field `schedules` entry {index} steps per {found:?}, expected every entry to step per {expected:?} like entry 0")]
    MixedUnits {
        /// `"sequential"` or `"chained"`.
        schedule: &'static str,
        /// 0-based index of the first mismatching child.
        index: usize,
        /// The unit of entry 0.
        expected: crate::StepUnit,
        /// The unit of the mismatching entry.
        found: crate::StepUnit,
    },
}
