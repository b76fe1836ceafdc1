//! Reading [`Curves`] from a CSV: trainlab's `metrics.csv` or any tool's epoch log.
//!
//! ```text
//! header (case-insensitive, trimmed), first matching name wins:
//!   epoch       <- epoch | epochs                     (optional: rows count from 0 without it)
//!   step        <- step                               (optional: locates a divergence)
//!   train loss  <- train_loss | train | loss
//!   val loss    <- val_loss | val | valid_loss | validation_loss
//!   train error <- train_error | 1 - (train_accuracy | train_acc | accuracy | acc)
//!   val error   <- val_error   | 1 - (val_accuracy | val_acc | valid_accuracy | validation_accuracy)
//! other columns (lr, seconds, ...) are ignored.
//! cells: Rust's f64 syntax; nan, NaN, inf, -inf are data. Loss cells must not be empty;
//!        an error / accuracy column is either empty throughout (None) or full.
//! ```
//!
//! PyTorch has no reader for this. A Keras `CSVLogger` file
//! (`epoch,accuracy,loss,val_accuracy,val_loss`) reads as is; a PyTorch-Lightning `CSVLogger`
//! file, which puts training and validation metrics on separate lines, does not (its empty
//! loss cells are errors).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::{Curves, DiagnosisError};

const EPOCH: &[&str] = &["epoch", "epochs"];
const STEP: &[&str] = &["step"];
const TRAIN_LOSS: &[&str] = &["train_loss", "train", "loss"];
const VAL_LOSS: &[&str] = &["val_loss", "val", "valid_loss", "validation_loss"];
const TRAIN_ERROR: &[&str] = &["train_error"];
const VAL_ERROR: &[&str] = &["val_error", "valid_error", "validation_error"];
const TRAIN_ACC: &[&str] = &["train_accuracy", "train_acc", "accuracy", "acc"];
const VAL_ACC: &[&str] = &[
    "val_accuracy",
    "val_acc",
    "valid_accuracy",
    "validation_accuracy",
];

/// A column found in the header: its 0-based index and its name as written.
#[derive(Clone, Debug)]
struct Column {
    index: usize,
    name: String,
}

/// Where to find each series, and whether an accuracy column must be turned into an error.
struct Layout {
    epoch: Option<Column>,
    step: Option<Column>,
    train_loss: Option<Column>,
    val_loss: Option<Column>,
    train_error: Option<(Column, bool)>,
    val_error: Option<(Column, bool)>,
}

fn find(header: &[String], names: &[&str]) -> Option<Column> {
    names.iter().find_map(|want| {
        header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(want))
            .map(|index| Column {
                index,
                name: header[index].clone(),
            })
    })
}

/// An error column if there is one, else an accuracy column flagged `true` (take `1 - x`).
fn find_error(header: &[String], errors: &[&str], accuracies: &[&str]) -> Option<(Column, bool)> {
    find(header, errors)
        .map(|c| (c, false))
        .or_else(|| find(header, accuracies).map(|c| (c, true)))
}

impl Layout {
    fn from_header(header: &[String], file: &str) -> Result<Layout, DiagnosisError> {
        let layout = Layout {
            epoch: find(header, EPOCH),
            step: find(header, STEP),
            train_loss: find(header, TRAIN_LOSS),
            val_loss: find(header, VAL_LOSS),
            train_error: find_error(header, TRAIN_ERROR, TRAIN_ACC),
            val_error: find_error(header, VAL_ERROR, VAL_ACC),
        };
        if layout.train_loss.is_none() && layout.val_loss.is_none() {
            return Err(DiagnosisError::NoLossColumn {
                file: file.to_string(),
                found: header.join(","),
            });
        }
        Ok(layout)
    }
}

/// One CSV record with what is needed to name a cell in an error.
struct Row<'a> {
    record: &'a csv::StringRecord,
    line: u64,
    file: &'a str,
}

impl Row<'_> {
    /// The number in `column`, `None` if the cell is empty or absent.
    fn optional(&self, column: &Column) -> Result<Option<f64>, DiagnosisError> {
        let text = self.record.get(column.index).unwrap_or("").trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>()
            .map(Some)
            .map_err(|_| DiagnosisError::NotANumber {
                file: self.file.to_string(),
                line: self.line,
                column: column.index + 1,
                name: column.name.clone(),
                value: text.to_string(),
            })
    }

    /// The number in `column`; an empty or absent cell is an error.
    fn required(&self, column: &Column, expected: &'static str) -> Result<f64, DiagnosisError> {
        self.optional(column)?
            .ok_or_else(|| self.missing(column, expected))
    }

    fn missing(&self, column: &Column, expected: &'static str) -> DiagnosisError {
        DiagnosisError::MissingValue {
            file: self.file.to_string(),
            line: self.line,
            column: column.index + 1,
            name: column.name.clone(),
            expected,
        }
    }
}

/// An error / accuracy column being read: the first line that had a value and the first that
/// had none, so a half-empty column can be reported at the right line.
#[derive(Default)]
struct Partial {
    values: Vec<f64>,
    first_empty: Option<(u64, Column)>,
    any_value: bool,
}

impl Partial {
    fn push(&mut self, row: &Row<'_>, column: &(Column, bool)) -> Result<(), DiagnosisError> {
        let (col, is_accuracy) = column;
        match row.optional(col)? {
            Some(x) => {
                if let Some((line, c)) = &self.first_empty {
                    return Err(DiagnosisError::MissingValue {
                        file: row.file.to_string(),
                        line: *line,
                        column: c.index + 1,
                        name: c.name.clone(),
                        expected: EITHER_ALL_OR_NONE,
                    });
                }
                self.any_value = true;
                self.values.push(if *is_accuracy { 1.0 - x } else { x });
            }
            None => {
                if self.any_value {
                    return Err(row.missing(col, EITHER_ALL_OR_NONE));
                }
                if self.first_empty.is_none() {
                    self.first_empty = Some((row.line, col.clone()));
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Option<Vec<f64>> {
        self.any_value.then_some(self.values)
    }
}

const EITHER_ALL_OR_NONE: &str =
    "a number (an accuracy or error column must be filled on every line or on none)";
const A_NUMBER: &str = "a number (nan and inf are accepted, an empty cell is not)";

impl Curves {
    /// Reads a CSV file with a header; see [`Curves::from_csv_reader`].
    ///
    /// Errors name the file and the 1-based line and column.
    pub fn from_csv(path: &Path) -> Result<Curves, DiagnosisError> {
        let file = File::open(path).map_err(|cause| DiagnosisError::Io {
            path: path.to_path_buf(),
            cause,
        })?;
        Curves::from_csv_reader(file, &path.display().to_string())
    }

    /// Reads a plain CSV with a header: an epoch column (`epoch`), and train/val loss columns
    /// (accepted names: `train_loss|train|loss`, `val_loss|val|valid_loss|validation_loss`),
    /// optional `train_accuracy`/`val_accuracy` (or `train_error`/`val_error`). Also reads
    /// trainlab's own `runs/<..>/metrics.csv` (header
    /// `epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds`, accuracy cells
    /// empty for regression). `source_name` names the input in errors.
    ///
    /// Missing or non-numeric values are a [`DiagnosisError`] naming the line and column;
    /// `nan`, `NaN`, `inf`, `-inf` parse as data. The first non-finite loss on a line with a
    /// `step` sets [`Curves::diverged_at_step`].
    ///
    /// ```
    /// use trainlab_diagnosis::Curves;
    ///
    /// let csv = "epoch,loss,val_loss,accuracy\n0,2.0,2.1,0.25\n1,NaN,inf,0.5\n";
    /// let c = Curves::from_csv_reader(csv.as_bytes(), "log.csv")?;
    /// assert_eq!(c.train_loss[0], 2.0);
    /// assert!(c.train_loss[1].is_nan() && c.val_loss[1] == f64::INFINITY);
    /// assert_eq!(c.train_error, Some(vec![0.75, 0.5]));
    /// assert_eq!(c.val_error, None);
    ///
    /// let err = Curves::from_csv_reader("epoch,loss\n0,\n".as_bytes(), "log.csv").unwrap_err();
    /// assert!(err.to_string().contains("`log.csv` line 2, column 2 (`loss`)"));
    /// # Ok::<(), trainlab_diagnosis::DiagnosisError>(())
    /// ```
    pub fn from_csv_reader<R: Read>(r: R, source_name: &str) -> Result<Curves, DiagnosisError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(r);
        let csv_error = |e: csv::Error| DiagnosisError::Csv {
            file: source_name.to_string(),
            line: e.position().map_or(1, |p| p.line()),
            message: e.to_string(),
        };
        let header: Vec<String> = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let layout = Layout::from_header(&header, source_name)?;

        let mut curves = Curves::default();
        let (mut train_error, mut val_error) = (Partial::default(), Partial::default());
        let mut record = csv::StringRecord::new();
        let mut row_index = 0usize;
        while reader.read_record(&mut record).map_err(csv_error)? {
            let row = Row {
                record: &record,
                line: record.position().map_or(row_index as u64 + 2, |p| p.line()),
                file: source_name,
            };
            let epoch = match &layout.epoch {
                Some(c) => row.required(c, A_NUMBER)?,
                None => row_index as f64,
            };
            curves.epochs.push(epoch);
            let mut finite = true;
            if let Some(c) = &layout.train_loss {
                let x = row.required(c, A_NUMBER)?;
                finite &= x.is_finite();
                curves.train_loss.push(x);
            }
            if let Some(c) = &layout.val_loss {
                let x = row.required(c, A_NUMBER)?;
                finite &= x.is_finite();
                curves.val_loss.push(x);
            }
            if let Some(c) = &layout.train_error {
                train_error.push(&row, c)?;
            }
            if let Some(c) = &layout.val_error {
                val_error.push(&row, c)?;
            }
            if let (false, None, Some(c)) = (finite, curves.diverged_at_step, &layout.step) {
                let step = row.required(c, A_NUMBER)?;
                if step.is_finite() && step >= 0.0 {
                    curves.diverged_at_step = Some(step as u64);
                }
            }
            row_index += 1;
        }
        curves.train_error = train_error.finish();
        curves.val_error = val_error.finish();
        Ok(curves)
    }
}
