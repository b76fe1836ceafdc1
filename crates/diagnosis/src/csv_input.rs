//! Reading [`Curves`] from a CSV: trainlab's `metrics.csv` or any tool's epoch log.
//!
//! ```text
//! header (case-insensitive, trimmed); of the names a series may have, the column with the most
//! numbers wins (ties: the first name listed):
//!   epoch       <- epoch | epochs                      (optional in a wide log: rows count from 0)
//!   step        <- step | global_step                  (optional: locates a divergence)
//!   train loss  <- train_loss | training_loss | train/loss | train/loss_epoch | train_loss_epoch
//!                  | loss | train
//!   val loss    <- val_loss | eval_loss | val/loss | val/loss_epoch | val_loss_epoch | valid_loss
//!                  | validation_loss | val
//!   train error <- train_error | 1 - (train_accuracy | train_acc | train/acc | train/accuracy
//!                  | train_acc_epoch | training_accuracy | accuracy | acc)
//!   val error   <- val_error | eval_error | valid_error | validation_error
//!                  | 1 - (val_accuracy | val_acc | val/acc | val/accuracy | val_acc_epoch
//!                  | eval_accuracy | valid_accuracy | validation_accuracy)
//! other columns (lr, seconds, ...) are ignored.
//! layout: wide (one row per epoch) unless no row holds both a training and a validation loss:
//!         then split (Lightning's CSVLogger, a Hugging Face log_history export), see log_rows.
//! cells:  Rust's f64 syntax; nan, NaN, inf, -inf are data. In a wide log loss cells must not
//!         be empty; an error / accuracy column is either empty throughout (None) or full.
//! lines:  1-based as an editor shows them, LF or CRLF alike.
//! a last row with no line end is torn (a killed writer, a full disk): left out with a warning
//!         if it is incomplete or malformed, kept with a warning otherwise.
//! ```
//!
//! PyTorch has no reader for this. Keras' `CSVLogger` (`epoch,accuracy,loss,val_accuracy,val_loss`),
//! Lightning's `CSVLogger` (`epoch,step,train/loss,val/loss,...` on separate rows) and a Hugging
//! Face `log_history` saved as CSV read as they are.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::log_rows::{to_curves, Cell, Columns, LogRow, Source};
use crate::{Curves, DiagnosisError};

const EPOCH: &[&str] = &["epoch", "epochs"];
const STEP: &[&str] = &["step", "global_step"];
const TRAIN_LOSS: &[&str] = &[
    "train_loss",
    "training_loss",
    "train/loss",
    "train/loss_epoch",
    "train_loss_epoch",
    "loss",
    "train",
];
const VAL_LOSS: &[&str] = &[
    "val_loss",
    "eval_loss",
    "val/loss",
    "val/loss_epoch",
    "val_loss_epoch",
    "valid_loss",
    "validation_loss",
    "val",
];
const TRAIN_ERROR: &[&str] = &["train_error", "training_error"];
const VAL_ERROR: &[&str] = &["val_error", "eval_error", "valid_error", "validation_error"];
const TRAIN_ACC: &[&str] = &[
    "train_accuracy",
    "train_acc",
    "train/acc",
    "train/accuracy",
    "train_acc_epoch",
    "training_accuracy",
    "accuracy",
    "acc",
];
const VAL_ACC: &[&str] = &[
    "val_accuracy",
    "val_acc",
    "val/acc",
    "val/accuracy",
    "val_acc_epoch",
    "eval_accuracy",
    "valid_accuracy",
    "validation_accuracy",
];

/// A column found in the header: its 0-based index and its name as written.
#[derive(Clone, Debug)]
struct Column {
    index: usize,
    name: String,
}

impl Column {
    fn source(&self) -> Source {
        Source {
            column: self.index + 1,
            name: self.name.clone(),
        }
    }
}

/// Where to find each series, and whether an accuracy column must be turned into an error.
struct Layout {
    epoch: Option<Column>,
    step: Option<Column>,
    train_loss: Option<Column>,
    val_loss: Option<Column>,
    train_metric: Option<(Column, bool)>,
    val_metric: Option<(Column, bool)>,
}

/// One CSV record and the 1-based line it starts on.
struct Record {
    fields: csv::StringRecord,
    line: u64,
}

impl Record {
    fn text(&self, column: &Column) -> &str {
        self.fields.get(column.index).unwrap_or("").trim()
    }

    fn filled(&self, column: &Option<Column>) -> bool {
        column.as_ref().is_some_and(|c| !self.text(c).is_empty())
    }
}

/// The candidate named `names` with the most non-empty cells (ties: the earlier name).
fn find(header: &[String], names: &[&str], records: &[Record]) -> Option<Column> {
    let mut best: Option<(Column, usize)> = None;
    for want in names {
        let Some(index) = header.iter().position(|h| h.eq_ignore_ascii_case(want)) else {
            continue;
        };
        let column = Column {
            index,
            name: header[index].clone(),
        };
        let count = records
            .iter()
            .filter(|r| !r.text(&column).is_empty())
            .count();
        if best.as_ref().is_none_or(|(_, c)| count > *c) {
            best = Some((column, count));
        }
    }
    best.map(|(c, _)| c)
}

/// An error column if there is one with numbers, else an accuracy column flagged `true`.
fn find_metric(
    header: &[String],
    errors: &[&str],
    accuracies: &[&str],
    records: &[Record],
) -> Option<(Column, bool)> {
    let error = find(header, errors, records);
    let filled = |c: &Column| records.iter().any(|r| !r.text(c).is_empty());
    match error {
        Some(c) if filled(&c) => Some((c, false)),
        _ => find(header, accuracies, records)
            .map(|c| (c, true))
            .or(error.map(|c| (c, false))),
    }
}

impl Layout {
    fn new(header: &[String], records: &[Record], file: &str) -> Result<Layout, DiagnosisError> {
        let layout = Layout {
            epoch: find(header, EPOCH, records),
            step: find(header, STEP, records),
            train_loss: find(header, TRAIN_LOSS, records),
            val_loss: find(header, VAL_LOSS, records),
            train_metric: find_metric(header, TRAIN_ERROR, TRAIN_ACC, records),
            val_metric: find_metric(header, VAL_ERROR, VAL_ACC, records),
        };
        if layout.train_loss.is_none() && layout.val_loss.is_none() {
            return Err(DiagnosisError::NoLossColumn {
                file: file.to_string(),
                found: header.join(","),
            });
        }
        Ok(layout)
    }

    /// Training and validation losses on separate rows: both columns hold numbers, never on the
    /// same row.
    fn is_split(&self, records: &[Record]) -> bool {
        self.train_loss.is_some()
            && self.val_loss.is_some()
            && records.iter().any(|r| r.filled(&self.train_loss))
            && records.iter().any(|r| r.filled(&self.val_loss))
            && !records
                .iter()
                .any(|r| r.filled(&self.train_loss) && r.filled(&self.val_loss))
    }

    fn columns(&self) -> Columns {
        Columns {
            epoch: self.epoch.as_ref().map(Column::source),
            train_metric: self.train_metric.as_ref().map(|(c, a)| (c.source(), *a)),
            val_metric: self.val_metric.as_ref().map(|(c, a)| (c.source(), *a)),
        }
    }
}

/// Reads cells of one record, naming the file, line and column in errors.
struct Reader<'a> {
    record: &'a Record,
    file: &'a str,
}

impl Reader<'_> {
    /// The number in `column`, `None` if the cell is empty or absent.
    fn optional(&self, column: &Option<Column>) -> Result<Option<Cell>, DiagnosisError> {
        let Some(column) = column else {
            return Ok(None);
        };
        let text = self.record.text(column);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>()
            .map(|value| {
                Some(Cell {
                    value,
                    line: self.record.line,
                })
            })
            .map_err(|_| DiagnosisError::NotANumber {
                file: self.file.to_string(),
                line: self.record.line,
                column: column.index + 1,
                name: column.name.clone(),
                value: text.to_string(),
            })
    }

    /// The number in `column` if there is such a column; an empty cell is an error.
    fn required(&self, column: &Option<Column>) -> Result<Option<Cell>, DiagnosisError> {
        match (self.optional(column)?, column) {
            (None, Some(c)) => Err(DiagnosisError::MissingValue {
                file: self.file.to_string(),
                line: self.record.line,
                column: c.index + 1,
                name: c.name.clone(),
                expected: A_NUMBER,
            }),
            (cell, _) => Ok(cell),
        }
    }

    fn metric(&self, column: &Option<(Column, bool)>) -> Result<Option<Cell>, DiagnosisError> {
        self.optional(&column.as_ref().map(|(c, _)| c.clone()))
    }
}

const A_NUMBER: &str = "a number (nan and inf are accepted, an empty cell is not)";

/// Line of each byte offset: 1 + the number of `\n` before it (CRLF and LF alike).
struct Lines<'a> {
    bytes: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            newlines: bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The line of the record starting at `byte`. The CSV reader puts a record's start after
    /// the `\r` of a CRLF, on the `\n` (one line too early): line ends are skipped first.
    fn line(&self, byte: u64) -> u64 {
        let mut at = byte as usize;
        while at < self.bytes.len() && matches!(self.bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        self.newlines.partition_point(|&i| i < at) as u64 + 1
    }
}

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

    /// Reads a CSV training log with a header: trainlab's `metrics.csv` (header
    /// `epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds`, accuracy cells
    /// empty for regression), a PyTorch script's log (`epoch,train_loss,val_loss`, or
    /// `training_loss` / `eval_loss`), Keras' `CSVLogger`, Lightning's `CSVLogger` and a Hugging
    /// Face `log_history` as CSV (the module docs list every name). `source_name` names the
    /// input in errors and warnings.
    ///
    /// Missing or non-numeric values, accuracies outside `[0, 1]` (a column of percentages is
    /// read as such, with a warning) and epochs that go back are a [`DiagnosisError`] naming the
    /// line and column; `nan`, `NaN`, `inf`, `-inf` parse as data. The first non-finite loss on
    /// a line with a `step` sets [`Curves::diverged_at_step`]. A torn last row gives a warning in
    /// [`Curves::warnings`].
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
    /// let err = Curves::from_csv_reader("epoch,loss\r\n0,1\r\n1,\r\n".as_bytes(), "log.csv").unwrap_err();
    /// assert!(err.to_string().contains("`log.csv` line 3, column 2 (`loss`)"), "{err}");
    /// # Ok::<(), trainlab_diagnosis::DiagnosisError>(())
    /// ```
    pub fn from_csv_reader<R: Read>(mut r: R, source_name: &str) -> Result<Curves, DiagnosisError> {
        let file = source_name;
        let mut bytes = Vec::new();
        r.read_to_end(&mut bytes)
            .map_err(|cause| DiagnosisError::Io {
                path: file.into(),
                cause,
            })?;
        let lines = Lines::new(&bytes);
        let csv_error = |e: csv::Error| DiagnosisError::Csv {
            file: file.to_string(),
            line: e.position().map_or(1, |p| lines.line(p.byte())),
            message: e.to_string(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let header: Vec<String> = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut records = Vec::new();
        let mut fields = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut fields) {
                Ok(true) => records.push(Record {
                    line: fields.position().map_or(0, |p| lines.line(p.byte())),
                    fields: fields.clone(),
                }),
                Ok(false) => break,
                // A torn last row can end inside a quote or a UTF-8 sequence.
                Err(e) if is_last(&e, &bytes) => {
                    let line = e.position().map_or(1, |p| lines.line(p.byte()));
                    return finish(header, records, file, vec![torn(file, line, "malformed")]);
                }
                Err(e) => return Err(csv_error(e)),
            }
        }
        let mut warnings = Vec::new();
        let unterminated = !bytes.is_empty() && !bytes.ends_with(b"\n");
        if let (true, Some(last)) = (unterminated, records.last()) {
            let layout = Layout::new(&header, &records, file)?;
            let incomplete = last.fields.len() < header.len();
            let reader = Reader { record: last, file };
            let malformed = [&layout.epoch, &layout.train_loss, &layout.val_loss]
                .iter()
                .any(|c| reader.optional(c).is_err())
                || reader.metric(&layout.train_metric).is_err()
                || reader.metric(&layout.val_metric).is_err();
            if incomplete || malformed {
                let why = format!(
                    "{} of {} fields{}",
                    last.fields.len(),
                    header.len(),
                    if malformed {
                        ", a cell that is not a number"
                    } else {
                        ""
                    }
                );
                warnings.push(torn(file, last.line, &why));
                records.pop();
            } else {
                warnings.push(format!(
                    "`{file}` line {}: the last row has no line end; if its writer was killed, \
                     its last value may be cut short",
                    last.line
                ));
            }
        }
        finish(header, records, file, warnings)
    }
}

/// Whether a CSV error happened in the file's last line.
fn is_last(e: &csv::Error, bytes: &[u8]) -> bool {
    let Some(p) = e.position() else { return false };
    let start = (p.byte() as usize).min(bytes.len());
    let rest = &bytes[start..];
    !bytes.ends_with(b"\n") && !rest.contains(&b'\n')
}

fn torn(file: &str, line: u64, why: &str) -> String {
    format!(
        "`{file}` line {line}: torn last row ({why}, no line end): left out; was the run killed \
         or the disk full while it was written?"
    )
}

/// Reads every record's series and builds the curves.
fn finish(
    header: Vec<String>,
    records: Vec<Record>,
    file: &str,
    warnings: Vec<String>,
) -> Result<Curves, DiagnosisError> {
    let layout = Layout::new(&header, &records, file)?;
    let split = layout.is_split(&records);
    if split && layout.epoch.is_none() {
        return Err(DiagnosisError::NoEpochColumn {
            file: file.to_string(),
            found: header.join(","),
        });
    }
    let mut rows = Vec::with_capacity(records.len());
    for record in &records {
        let r = Reader { record, file };
        let row = if split {
            let (train_loss, val_loss) = (
                r.optional(&layout.train_loss)?,
                r.optional(&layout.val_loss)?,
            );
            if train_loss.is_none() && val_loss.is_none() {
                continue;
            }
            LogRow {
                line: record.line,
                epoch: r.required(&layout.epoch)?,
                step: r.optional(&layout.step)?,
                train_loss,
                val_loss,
                train_metric: r.metric(&layout.train_metric)?,
                val_metric: r.metric(&layout.val_metric)?,
            }
        } else {
            LogRow {
                line: record.line,
                epoch: r.required(&layout.epoch)?,
                step: r.optional(&layout.step)?,
                train_loss: r.required(&layout.train_loss)?,
                val_loss: r.required(&layout.val_loss)?,
                train_metric: r.metric(&layout.train_metric)?,
                val_metric: r.metric(&layout.val_metric)?,
            }
        };
        rows.push(row);
    }
    to_curves(rows, split, &layout.columns(), file, warnings)
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
    fn split_rows_pair_by_epoch_and_need_an_epoch_column() {
        // Lightning's layout: a validation row, then a training row, per epoch.
        let csv = "epoch,step,train/loss,val/loss\n0,9,,2.0\n0,9,2.2,\n1,19,,1.5\n1,19,1.6,\n";
        let c = read(csv).expect("parses");
        assert_eq!(c.epochs, vec![0.0, 1.0]);
        assert_eq!(c.train_loss, vec![2.2, 1.6]);
        assert_eq!(c.val_loss, vec![2.0, 1.5]);
        let err = read("train_loss,eval_loss\n2.2,\n,2.0\n").unwrap_err();
        assert!(matches!(err, DiagnosisError::NoEpochColumn { .. }), "{err}");
    }

    #[test]
    fn the_candidate_column_with_the_most_numbers_wins() {
        // A Hugging Face export: `train_loss` holds only the closing mean, `loss` every epoch.
        let csv = "epoch,loss,eval_loss,train_loss\n1,2.0,,\n1,,1.9,\n2,1.0,,\n2,,1.2,\n2,,,1.5\n";
        let c = read(csv).expect("parses");
        assert_eq!(c.train_loss, vec![2.0, 1.0]);
        assert_eq!(c.val_loss, vec![1.9, 1.2]);
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
}
