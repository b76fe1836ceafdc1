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

    fn out_of_range(&self, column: &Column, value: f64, expected: String) -> DiagnosisError {
        DiagnosisError::OutOfRange {
            file: self.file.to_string(),
            line: self.line,
            column: column.index + 1,
            name: column.name.clone(),
            value,
            expected,
        }
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
                // NaN is how a diverged run records a metric; anything else must be a fraction
                if !x.is_nan() && !(0.0..=1.0).contains(&x) {
                    return Err(row.out_of_range(
                        col,
                        x,
                        format!(
                            "{} in [0, 1] (a fraction, not a percentage)",
                            if *is_accuracy {
                                "an accuracy"
                            } else {
                                "an error rate"
                            }
                        ),
                    ));
                }
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
                Some(c) => {
                    let e = row.required(c, A_NUMBER)?;
                    if let Some(&previous) = curves.epochs.last() {
                        if e.partial_cmp(&previous) != Some(std::cmp::Ordering::Greater) {
                            return Err(row.out_of_range(
                                c,
                                e,
                                format!("an epoch above the previous line's {previous} (epochs in increasing order)"),
                            ));
                        }
                    }
                    e
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    fn read(csv: &str) -> Result<Curves, DiagnosisError> {
        Curves::from_csv_reader(csv.as_bytes(), "t.csv")
    }

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    #[test]
    fn reads_trainlabs_metrics_csv() {
        let c = Curves::from_csv(&fixture("metrics.csv")).expect("fixture parses");
        assert_eq!(c.epochs, vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            c.train_loss,
            vec![1.6383283, 0.6527104, 0.41022167, 0.30561]
        );
        assert_eq!(
            c.val_loss,
            vec![0.9412618, 0.5471053, 0.4096714, 0.35120043]
        );
        // error = 1 - accuracy: 1 - 0.5625 = 0.4375, 1 - 0.9296875 = 0.0703125 (both exact).
        let train_error = c.train_error.expect("train_accuracy present");
        assert_close(train_error[0], 0.4375);
        assert_close(train_error[3], 0.0703125);
        let val_error = c.val_error.expect("val_accuracy present");
        assert_close(val_error[1], 1.0 - 0.8611111);
        assert_eq!(c.diverged_at_step, None);
    }

    #[test]
    fn regression_runs_leave_accuracy_cells_empty() {
        let csv = "epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n\
                   0,10,4.5,,4.8,,0.01,0.1000\n\
                   1,20,2.5,,2.9,,0.01,0.1000\n";
        let c = read(csv).expect("parses");
        assert_eq!(c.train_loss, vec![4.5, 2.5]);
        assert_eq!((c.train_error, c.val_error), (None, None));
    }

    #[test]
    fn a_nan_loss_records_the_step_of_its_line() {
        // trainlab writes f32 NaN as `NaN`; the first non-finite line is step 94.
        let csv = "epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n\
                   0,47,2.3,0.1,2.3,0.1,10,0.2\n\
                   1,94,NaN,0.1,NaN,0.1,10,0.2\n\
                   2,141,NaN,0.1,NaN,0.1,10,0.2\n";
        let c = read(csv).expect("NaN is data");
        assert!(c.train_loss[1].is_nan() && c.val_loss[2].is_nan());
        assert_eq!(c.diverged_at_step, Some(94));
    }

    #[test]
    fn nan_and_inf_spellings_are_data() {
        let c = read("epoch,loss\n0,nan\n1,NaN\n2,inf\n3,-inf\n4, 1.5 \n").expect("parses");
        assert!(c.train_loss[0].is_nan() && c.train_loss[1].is_nan());
        assert_eq!(c.train_loss[2], f64::INFINITY);
        assert_eq!(c.train_loss[3], f64::NEG_INFINITY);
        assert_eq!(c.train_loss[4], 1.5);
        assert!(c.val_loss.is_empty());
        // No step column: the divergence has no step (diagnose reports its epoch).
        assert_eq!(c.diverged_at_step, None);
    }

    #[test]
    fn reads_a_keras_csv_logger_file() {
        // Keras' CSVLogger: epoch,accuracy,loss,val_accuracy,val_loss.
        let csv = "epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.9,0.5,1.1\n1,0.875,0.4,0.625,0.8\n";
        let c = read(csv).expect("parses");
        assert_eq!(c.train_loss, vec![0.9, 0.4]);
        assert_eq!(c.val_loss, vec![1.1, 0.8]);
        assert_eq!(c.train_error, Some(vec![0.25, 0.125]));
        assert_eq!(c.val_error, Some(vec![0.5, 0.375]));
    }

    #[test]
    fn other_names_case_and_no_epoch_column() {
        // `Train` and `Validation_Loss` in another case, an error column, no epoch: rows count
        // from 0. `train_loss` would win over `train` if both were there.
        let csv = "Train,Validation_Loss,val_error,notes\n3.0,3.5,0.5,a\n2.0,2.5,0.25,b\n";
        let c = read(csv).expect("parses");
        assert_eq!(c.epochs, vec![0.0, 1.0]);
        assert_eq!(c.train_loss, vec![3.0, 2.0]);
        assert_eq!(c.val_loss, vec![3.5, 2.5]);
        assert_eq!(c.train_error, None);
        assert_eq!(c.val_error, Some(vec![0.5, 0.25]));
        let c = read("train,train_loss,valid_loss\n9,1,2\n").expect("parses");
        assert_eq!((c.train_loss[0], c.val_loss[0]), (1.0, 2.0));
    }

    #[test]
    fn an_empty_loss_cell_names_line_and_column() {
        let err = read("epoch,train_loss,val_loss\n0,1.0,1.1\n1,0.9,\n").unwrap_err();
        assert!(matches!(
            err,
            DiagnosisError::MissingValue {
                line: 3,
                column: 3,
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "`t.csv` line 3, column 3 (`val_loss`): missing value, expected a number \
             (nan and inf are accepted, an empty cell is not)"
        );
    }

    #[test]
    fn a_short_row_is_a_missing_value() {
        let err = read("epoch,train_loss,val_loss\n0,1.0\n").unwrap_err();
        assert!(
            matches!(
                err,
                DiagnosisError::MissingValue {
                    line: 2,
                    column: 3,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_non_numeric_cell_names_line_column_and_text() {
        let err = read("epoch,train_loss,val_loss\n0,1.0,1.1\n1,0.9,1.0\n2,abc,0.9\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`t.csv` line 4, column 2 (`train_loss`): `abc` is not a number, expected a decimal \
             number (nan, inf and -inf are accepted)"
        );
        let err = read("epoch,loss\nfirst,1.0\n").unwrap_err();
        assert!(
            matches!(
                err,
                DiagnosisError::NotANumber {
                    line: 2,
                    column: 1,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_half_empty_accuracy_column_is_an_error_at_the_first_gap() {
        // Values on lines 2 and 3, empty on line 4.
        let err = read("epoch,loss,accuracy\n0,1,0.5\n1,0.9,0.6\n2,0.8,\n").unwrap_err();
        assert!(
            matches!(
                err,
                DiagnosisError::MissingValue {
                    line: 4,
                    column: 3,
                    ..
                }
            ),
            "{err}"
        );
        // Empty on line 2, a value on line 3: reported at line 2.
        let err = read("epoch,loss,accuracy\n0,1,\n1,0.9,0.6\n").unwrap_err();
        assert!(
            matches!(
                err,
                DiagnosisError::MissingValue {
                    line: 2,
                    column: 3,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn no_loss_column_lists_the_header() {
        let err = read("epoch,accuracy\n0,0.5\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("`t.csv` line 1: no loss column"), "{text}");
        assert!(text.ends_with("found: epoch,accuracy"), "{text}");
        assert!(matches!(read(""), Err(DiagnosisError::NoLossColumn { .. })));
    }

    #[test]
    fn a_header_only_file_gives_empty_curves() {
        let c = read("epoch,train_loss,val_loss\n").expect("parses");
        assert!(c.is_empty());
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let err = Curves::from_csv(&fixture("no-such.csv")).unwrap_err();
        assert!(matches!(err, DiagnosisError::Io { .. }));
        assert!(err.to_string().contains("no-such.csv"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_a_csv_error_with_its_line() {
        let bytes: &[u8] = b"epoch,loss\n0,1.0\n1,\xff\xfe\n";
        let err = Curves::from_csv_reader(bytes, "bad.csv").unwrap_err();
        assert!(
            matches!(err, DiagnosisError::Csv { line: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn accuracies_outside_0_1_and_epochs_out_of_order_are_named_errors() {
        let err = read("epoch,train_loss,val_loss,val_accuracy\n0,1.0,1.1,0.5\n1,0.9,1.0,5\n")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`t.csv` line 3, column 4 (`val_accuracy`): 5 is out of range, expected an accuracy \
             in [0, 1] (a fraction, not a percentage)"
        );
        let err = read("epoch,train_loss,val_loss,val_error\n0,1.0,1.1,-3\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("-3 is out of range, expected an error rate"),
            "{err}"
        );
        let err = read("epoch,train_loss,val_loss\n2,1.0,1.1\n1,0.9,1.0\n0,0.8,0.9\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`t.csv` line 3, column 1 (`epoch`): 1 is out of range, expected an epoch above the \
             previous line's 2 (epochs in increasing order)"
        );
        // NaN is how a diverged run records its accuracy
        assert!(read("epoch,train_loss,val_loss,val_accuracy\n0,NaN,NaN,NaN\n").is_ok());
    }
}
