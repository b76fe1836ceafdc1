//! From the rows of a training log to [`Curves`]: the part every log format shares.
//!
//! ```text
//! wide log  (one row per epoch: PyTorch scripts, Keras, trainlab)      every row is an epoch
//! split log (train and val metrics on separate rows: Lightning, the   each validation row is an
//!            Hugging Face Trainer's log_history)                      epoch; its training values
//!                                                                     are those of the last
//!                                                                     training row of an epoch
//!                                                                     <= its own
//! epochs:     strictly increasing in a wide log, never decreasing in a split log
//! accuracies: in [0, 1]; a column whose values are all in [0, 100] and mostly above 1 is read as
//!             percent (and said so); anything else is an error naming the cell. NaN is data.
//! errors:     1 - accuracy
//! ```

use crate::{Curves, DiagnosisError};

/// A number read from a log with where it came from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cell {
    /// The number.
    pub value: f64,
    /// 1-based line (CSV) or entry (JSON).
    pub line: u64,
}

/// Where a series came from: its column index (1-based) and name, as written.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    pub column: usize,
    pub name: String,
}

/// One row of a log: every series it holds a number for.
#[derive(Clone, Debug, Default)]
pub(crate) struct LogRow {
    pub line: u64,
    pub epoch: Option<Cell>,
    pub step: Option<Cell>,
    pub train_loss: Option<Cell>,
    pub val_loss: Option<Cell>,
    pub train_metric: Option<Cell>,
    pub val_metric: Option<Cell>,
}

/// The columns a log's series were read from; `is_accuracy` says whether a metric is an
/// accuracy (to be turned into an error) or already an error.
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    pub epoch: Option<Source>,
    pub train_metric: Option<(Source, bool)>,
    pub val_metric: Option<(Source, bool)>,
}

/// Builds the curves of a wide (`split == false`) or split log.
pub(crate) fn to_curves(
    rows: Vec<LogRow>,
    split: bool,
    columns: &Columns,
    file: &str,
    warnings: Vec<String>,
) -> Result<Curves, DiagnosisError> {
    check_epochs(&rows, split, columns, file)?;
    let rows = if split { pair(rows) } else { rows };
    let mut curves = Curves {
        warnings,
        ..Curves::default()
    };
    for (i, r) in rows.iter().enumerate() {
        curves.epochs.push(r.epoch.map_or(i as f64, |c| c.value));
        if let Some(c) = r.train_loss {
            curves.train_loss.push(c.value);
        }
        if let Some(c) = r.val_loss {
            curves.val_loss.push(c.value);
        }
        let finite = r.train_loss.is_none_or(|c| c.value.is_finite())
            && r.val_loss.is_none_or(|c| c.value.is_finite());
        if let (false, None, Some(step)) = (finite, curves.diverged_at_step, r.step) {
            if step.value.is_finite() && step.value >= 0.0 {
                curves.diverged_at_step = Some(step.value as u64);
            }
        }
    }
    curves.train_error = metric(
        &rows,
        |r| r.train_metric,
        &columns.train_metric,
        file,
        &mut curves.warnings,
    )?;
    curves.val_error = metric(
        &rows,
        |r| r.val_metric,
        &columns.val_metric,
        file,
        &mut curves.warnings,
    )?;
    Ok(curves)
}

/// Epochs must go forward: strictly in a wide log, never back in a split one.
fn check_epochs(
    rows: &[LogRow],
    split: bool,
    columns: &Columns,
    file: &str,
) -> Result<(), DiagnosisError> {
    let Some(source) = &columns.epoch else {
        return Ok(());
    };
    let mut previous: Option<Cell> = None;
    for r in rows {
        let Some(e) = r.epoch else { continue };
        if let Some(p) = previous {
            let back = if split {
                e.value < p.value
            } else {
                e.value <= p.value
            };
            if back {
                return Err(DiagnosisError::EpochOrder {
                    file: file.to_string(),
                    line: e.line,
                    column: source.column,
                    name: source.name.clone(),
                    value: e.value,
                    previous: p.value,
                    previous_line: p.line,
                    expected: if split {
                        "an epoch no lower than the row before"
                    } else {
                        "an epoch above the row before (one row per epoch)"
                    },
                });
            }
        }
        previous = Some(e);
    }
    Ok(())
}

/// A split log's epochs: each validation row with the training values of the last training row
/// whose epoch is at most its own. Without validation rows, the training rows (and the other way
/// round).
fn pair(rows: Vec<LogRow>) -> Vec<LogRow> {
    let (train, val): (Vec<LogRow>, Vec<LogRow>) =
        rows.into_iter().partition(|r| r.train_loss.is_some());
    if val.is_empty() {
        return train;
    }
    if train.is_empty() {
        return val;
    }
    let epoch = |r: &LogRow| r.epoch.map_or(f64::NAN, |c| c.value);
    val.into_iter()
        .filter_map(|mut v| {
            let t = train.iter().rfind(|t| epoch(t) <= epoch(&v))?;
            v.train_loss = t.train_loss;
            v.train_metric = t.train_metric;
            Some(v)
        })
        .collect()
}

/// An error series from an accuracy or error column: `None` if the column is absent or empty on
/// every row; a column empty on some rows only is left out with a warning.
fn metric(
    rows: &[LogRow],
    pick: fn(&LogRow) -> Option<Cell>,
    column: &Option<(Source, bool)>,
    file: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<Vec<f64>>, DiagnosisError> {
    let Some((source, is_accuracy)) = column else {
        return Ok(None);
    };
    let cells: Vec<Option<Cell>> = rows.iter().map(pick).collect();
    let present = cells.iter().flatten().count();
    if present == 0 {
        return Ok(None);
    }
    if present < cells.len() {
        let missing = rows
            .iter()
            .zip(&cells)
            .find(|(_, c)| c.is_none())
            .map_or(0, |(r, _)| r.line);
        return Err(DiagnosisError::MissingValue {
            file: file.to_string(),
            line: missing,
            column: source.column,
            name: source.name.clone(),
            expected: EITHER_ALL_OR_NONE,
        });
    }
    let cells: Vec<Cell> = cells.into_iter().flatten().collect();
    let scale = share_scale(&cells, source, file, *is_accuracy)?;
    if scale == 100.0 {
        let max = cells.iter().map(|c| c.value).fold(f64::NAN, f64::max);
        warnings.push(format!(
            "`{file}` column {} (`{}`) holds percentages (values up to {max}): read as percent",
            source.column, source.name
        ));
    }
    Ok(Some(
        cells
            .iter()
            .map(|c| {
                let x = c.value / scale;
                if *is_accuracy {
                    1.0 - x
                } else {
                    x
                }
            })
            .collect(),
    ))
}

/// What must fill an accuracy or error column.
pub(crate) const EITHER_ALL_OR_NONE: &str =
    "a number (an accuracy or error column must be filled on every line or on none)";

/// 1 for shares in [0, 1], 100 for a column of percentages; an error at the first cell that is
/// neither.
fn share_scale(
    cells: &[Cell],
    source: &Source,
    file: &str,
    is_accuracy: bool,
) -> Result<f64, DiagnosisError> {
    let numbers: Vec<&Cell> = cells.iter().filter(|c| !c.value.is_nan()).collect();
    let in_share = |x: f64| (0.0..=1.0).contains(&x);
    if numbers.iter().all(|c| in_share(c.value)) {
        return Ok(1.0);
    }
    let in_percent = |x: f64| (0.0..=100.0).contains(&x);
    let above_one = numbers.iter().filter(|c| c.value > 1.0).count();
    if numbers.iter().all(|c| in_percent(c.value)) && 2 * above_one > numbers.len() {
        return Ok(100.0);
    }
    let bad = numbers
        .iter()
        .find(|c| !in_share(c.value))
        .expect("some value is outside [0, 1]");
    Err(DiagnosisError::OutOfRange {
        file: file.to_string(),
        line: bad.line,
        column: source.column,
        name: source.name.clone(),
        value: bad.value,
        expected: if is_accuracy {
            "an accuracy in [0, 1] (or a percentage in [0, 100] throughout the column)"
        } else {
            "an error in [0, 1] (or a percentage in [0, 100] throughout the column)"
        },
    })
}
