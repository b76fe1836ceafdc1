//! Load a numeric CSV table with one label (or target) column into a [`Dataset`].
//!
//! ```text
//! for each record (line):  features = every column but the label column, parsed as f32
//!                          label    = the label column, an integer in 0..n_classes
//!                                     (or any finite number with CsvTarget::Values)
//! ```
//!
//! Differs from PyTorch / pandas: there is no type inference and no missing-value handling.
//! Every feature cell must be a finite number; the first bad cell stops the load with an error
//! naming the file, the 1-based line, the 1-based column (and its header name) and what was expected.
//! Blank lines are skipped and cells are trimmed of surrounding spaces.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{DataError, Dataset, Target};

/// Which column holds the label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabelColumn {
    /// The last column (default).
    #[default]
    Last,
    /// The first column.
    First,
    /// The column at this 0-based index.
    Index(usize),
    /// The column with this header name (needs `has_header`).
    Name(String),
}

/// What kind of target the label column holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CsvTarget {
    /// Integer class labels, `0..n_classes` (default).
    #[default]
    Classes,
    /// Real values (regression): any finite number.
    Values,
}

/// How to read a CSV file. Build with struct-update syntax: `CsvOptions { has_header: false, ..Default::default() }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvOptions {
    /// Which column holds the label. Default: [`LabelColumn::Last`].
    pub label_column: LabelColumn,
    /// Whether the first line is a header of column names. Default: `true`.
    pub has_header: bool,
    /// The field delimiter. Default: `b','`.
    pub delimiter: u8,
    /// Number of classes; labels must be below it. Default: `None`, meaning max label + 1.
    /// Ignored for [`CsvTarget::Values`].
    pub n_classes: Option<usize>,
    /// Class labels or regression values. Default: [`CsvTarget::Classes`].
    pub target: CsvTarget,
    /// The largest file [`load_csv`] reads, in bytes. Default: [`crate::default_max_input_bytes`]
    /// (1 GiB, or `TRAINLAB_MAX_INPUT_BYTES`).
    pub max_bytes: u64,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            label_column: LabelColumn::Last,
            has_header: true,
            delimiter: b',',
            n_classes: None,
            target: CsvTarget::Classes,
            max_bytes: crate::default_max_input_bytes(),
        }
    }
}

/// Load the CSV file at `path`; the dataset is named after the file stem.
///
/// ```no_run
/// use trainlab_data::{load_csv, CsvOptions, LabelColumn};
/// let opts = CsvOptions { label_column: LabelColumn::Name("species".into()), ..Default::default() };
/// let iris = load_csv("iris.csv".as_ref(), &opts)?;
/// assert_eq!(iris.n_features, 4);
/// # Ok::<(), trainlab_data::DataError>(())
/// ```
///
/// The path must be a regular file of at most `opts.max_bytes` bytes ([`crate::read_bounded`]):
/// a FIFO or `/dev/zero` is an error, not a hang.
pub fn load_csv(path: &Path, opts: &CsvOptions) -> Result<Dataset, DataError> {
    let bytes = crate::read_bounded(path, opts.max_bytes)?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "csv".to_string());
    read_csv(bytes.as_slice(), &path.display().to_string(), &name, opts)
}

/// Read CSV text from any reader; `source` names it in error messages, `name` becomes the dataset's name.
///
/// ```
/// use trainlab_data::{read_csv, CsvOptions};
/// let text = "a,b,label\n1,2,0\n3,4,1\n";
/// let d = read_csv(text.as_bytes(), "inline", "inline", &CsvOptions::default())?;
/// assert_eq!(d.features, vec![1.0, 2.0, 3.0, 4.0]);
/// assert_eq!(d.labels(), Some(&[0, 1][..]));
/// assert_eq!(d.n_classes(), Some(2));
/// # Ok::<(), trainlab_data::DataError>(())
/// ```
pub fn read_csv<R: Read>(
    reader: R,
    source: &str,
    name: &str,
    opts: &CsvOptions,
) -> Result<Dataset, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(opts.has_header)
        .delimiter(opts.delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let malformed = |error: csv::Error| DataError::Csv {
        file: source.to_string(),
        line: error.position().map_or(0, |p| p.line()),
        source: error,
    };

    let header: Option<Vec<String>> = if opts.has_header {
        let h = reader.headers().map_err(malformed)?;
        if h.is_empty() || (h.len() == 1 && h[0].is_empty()) {
            return Err(empty(source, opts));
        }
        Some(h.iter().map(str::to_string).collect())
    } else {
        None
    };

    let mut records = reader.records();
    let mut features = Vec::new();
    let mut raw_labels: Vec<u32> = Vec::new();
    // the line of each label's first sample, to name a gap in the labels
    let mut first_line: BTreeMap<u32, u64> = BTreeMap::new();
    let mut values: Vec<f32> = Vec::new();
    // (expected column count, where that count comes from, label column index)
    let mut layout: Option<(usize, String, usize)> = None;

    for record in &mut records {
        let record = record.map_err(malformed)?;
        let line = record.position().map_or(0, |p| p.line());
        let (n_columns, reference, label_at) = match &layout {
            Some(l) => l.clone(),
            None => {
                let (n, reference) = match &header {
                    Some(h) => (h.len(), "the header".to_string()),
                    None => (record.len(), format!("line {line}")),
                };
                let label_at = label_index(&opts.label_column, n, header.as_deref(), source)?;
                if n < 2 {
                    return Err(DataError::ColumnCount {
                        file: source.to_string(),
                        line,
                        found: n,
                        expected: 2,
                        reference: "at least one feature and one label column".to_string(),
                    });
                }
                layout = Some((n, reference.clone(), label_at));
                (n, reference, label_at)
            }
        };
        if record.len() != n_columns {
            return Err(DataError::ColumnCount {
                file: source.to_string(),
                line,
                found: record.len(),
                expected: n_columns,
                reference,
            });
        }
        let column_name = |c: usize| match &header {
            Some(h) => h[c].clone(),
            None => format!("column {}", c + 1),
        };
        for (c, cell) in record.iter().enumerate() {
            if c == label_at {
                continue;
            }
            match cell.parse::<f32>() {
                Ok(x) if x.is_finite() => features.push(x),
                _ => {
                    return Err(DataError::NotANumber {
                        file: source.to_string(),
                        line,
                        column: c + 1,
                        column_name: column_name(c),
                        value: cell.to_string(),
                    })
                }
            }
        }
        let cell = &record[label_at];
        let bad_label = |expected: String| DataError::BadLabel {
            file: source.to_string(),
            line,
            column: label_at + 1,
            column_name: column_name(label_at),
            value: cell.to_string(),
            expected,
        };
        match opts.target {
            CsvTarget::Values => match cell.parse::<f32>() {
                Ok(y) if y.is_finite() => values.push(y),
                _ => return Err(bad_label("a finite number (regression target)".to_string())),
            },
            CsvTarget::Classes => {
                let range = match opts.n_classes {
                    Some(k) => format!("an integer class label in 0..{k}"),
                    None => "a non-negative integer class label".to_string(),
                };
                let label = parse_label(cell).ok_or_else(|| bad_label(range.clone()))?;
                if opts.n_classes.is_some_and(|k| label as usize >= k) {
                    return Err(bad_label(range));
                }
                first_line.entry(label).or_insert(line);
                raw_labels.push(label);
            }
        }
    }

    if layout.is_none() {
        return Err(empty(source, opts));
    }
    let n_features = layout.map_or(0, |(n, _, _)| n - 1);
    let target = match opts.target {
        CsvTarget::Values => Target::Values(values),
        CsvTarget::Classes => {
            if opts.n_classes.is_none() {
                check_label_gaps(&first_line, source)?;
            }
            if let [(&label, _)] = first_line.iter().collect::<Vec<_>>()[..] {
                return Err(DataError::SingleClass {
                    name: name.to_string(),
                    label,
                });
            }
            let n_classes = opts
                .n_classes
                .unwrap_or_else(|| raw_labels.iter().max().map_or(0, |&m| m as usize + 1));
            Target::Classes {
                labels: raw_labels,
                n_classes,
            }
        }
    };
    Dataset::new(name, features, n_features, target)
}

/// Labels taken from the data set the number of classes to the largest label + 1. When more
/// than half of those classes have no sample at all, a label is almost surely a typo (a stray
/// 100000 among 0..=9 would make 100001 classes, and a confusion matrix of 10^10 cells): that is
/// an error naming the widest gap and the line of the label after it. A class or two without
/// samples in a small file is accepted.
fn check_label_gaps(first_line: &BTreeMap<u32, u64>, source: &str) -> Result<(), DataError> {
    let Some((&max, _)) = first_line.last_key_value() else {
        return Ok(());
    };
    let n_classes = u64::from(max) + 1;
    if n_classes <= 2 * first_line.len() as u64 {
        return Ok(());
    }
    let mut widest = (0u32, 0u32, 0u64); // (first missing, label after, its line)
    let mut next = 0u32; // the class after the previous label
    for (&label, &line) in first_line {
        if label - next > widest.1 - widest.0 {
            widest = (next, label, line);
        }
        next = label.saturating_add(1);
    }
    Err(DataError::LabelGap {
        file: source.to_string(),
        line: widest.2,
        label: widest.1,
        first_missing: widest.0,
    })
}

/// A class label: a non-negative integer, written as `3` or `3.0`, and at most `u32::MAX`.
fn parse_label(cell: &str) -> Option<u32> {
    if let Ok(label) = cell.parse::<u32>() {
        return Some(label);
    }
    let x = cell.parse::<f64>().ok()?;
    (x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)).then_some(x as u32)
}

fn empty(source: &str, opts: &CsvOptions) -> DataError {
    DataError::Empty {
        file: source.to_string(),
        expected: if opts.has_header {
            "a header line and at least one data line".to_string()
        } else {
            "at least one data line".to_string()
        },
    }
}

/// The 0-based index of the label column in a table of `n` columns.
fn label_index(
    column: &LabelColumn,
    n: usize,
    header: Option<&[String]>,
    source: &str,
) -> Result<usize, DataError> {
    let no_such = |expected: String| DataError::NoSuchColumn {
        file: source.to_string(),
        column: match column {
            LabelColumn::Index(i) => format!("at 0-based index {i}"),
            LabelColumn::Name(name) => format!("named `{name}`"),
            other => format!("{other:?}"),
        },
        expected,
    };
    match column {
        LabelColumn::Last => Ok(n.saturating_sub(1)),
        LabelColumn::First => Ok(0),
        LabelColumn::Index(i) if *i < n => Ok(*i),
        LabelColumn::Index(_) => Err(no_such(format!(
            "a 0-based index below {n} (the number of columns)"
        ))),
        LabelColumn::Name(wanted) => match header {
            None => Err(no_such(
                "has_header = true to select a column by name".to_string(),
            )),
            Some(h) => h
                .iter()
                .position(|c| c == wanted)
                .ok_or_else(|| no_such(format!("one of the header's names: {}", h.join(", ")))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, opts: &CsvOptions) -> Result<Dataset, DataError> {
        read_csv(text.as_bytes(), "t.csv", "t", opts)
    }

    #[test]
    fn label_columns() {
        let text = "y,a,b\n1,2,3\n0,5,6\n";
        let first = CsvOptions {
            label_column: LabelColumn::First,
            ..Default::default()
        };
        let d = read(text, &first).expect("valid");
        assert_eq!(d.features, vec![2.0, 3.0, 5.0, 6.0]);
        assert_eq!(d.labels(), Some(&[1, 0][..]));
        let by_name = CsvOptions {
            label_column: LabelColumn::Name("y".into()),
            ..Default::default()
        };
        assert_eq!(read(text, &by_name).expect("valid"), d);
        let by_index = CsvOptions {
            label_column: LabelColumn::Index(0),
            ..Default::default()
        };
        assert_eq!(read(text, &by_index).expect("valid"), d);
    }

    #[test]
    fn middle_label_column_without_header() {
        let opts = CsvOptions {
            label_column: LabelColumn::Index(1),
            has_header: false,
            delimiter: b';',
            n_classes: Some(4),
            ..Default::default()
        };
        let d = read("1.5; 3 ;2\n-1;0;4e1\n", &opts).expect("valid");
        assert_eq!(d.features, vec![1.5, 2.0, -1.0, 40.0]);
        assert_eq!(d.labels(), Some(&[3, 0][..]));
        assert_eq!(d.n_classes(), Some(4));
    }

    #[test]
    fn regression_target() {
        let opts = CsvOptions {
            target: CsvTarget::Values,
            ..Default::default()
        };
        let d = read("x,y\n1,0.5\n2,-1.25\n", &opts).expect("valid");
        assert_eq!(d.values(), Some(&[0.5, -1.25][..]));
        let e = read("x,y\n1,nan\n", &opts).unwrap_err();
        assert!(
            matches!(
                e,
                DataError::BadLabel {
                    line: 2,
                    column: 2,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn labels_written_as_floats() {
        assert_eq!(parse_label("3"), Some(3));
        assert_eq!(parse_label("3.0"), Some(3));
        assert_eq!(parse_label("3.5"), None);
        assert_eq!(parse_label("-1"), None);
        assert_eq!(parse_label("-0"), Some(0));
        assert_eq!(parse_label("cat"), None);
        assert_eq!(parse_label("inf"), None);
    }

    #[test]
    fn a_label_far_past_the_others_is_a_named_gap() {
        let mut text = String::from("x,y\n");
        for i in 0..20 {
            text.push_str(&format!("{i},{}\n", i % 10));
        }
        text.push_str("1,100000\n");
        let err = read(&text, &CsvOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv:22: label 100000 leaves classes 10..100000 without a single sample: expected \
             class labels 0, 1, 2, ... without gaps; give n_classes if classes without samples \
             are intended"
        );
        // labels 5 and 6 alone: classes 0..5 empty, 5 of 7 classes
        let err = read("x,y\n1,6\n2,5\n", &CsvOptions::default()).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::LabelGap {
                    line: 3,
                    label: 5,
                    first_missing: 0,
                    ..
                }
            ),
            "{err}"
        );
        // one class without samples among three is accepted
        assert_eq!(
            read("x,y\n1,0\n2,2\n", &CsvOptions::default())
                .unwrap()
                .n_classes(),
            Some(3)
        );
        // with n_classes given, the gap is the user's choice, and labels at or past it still fail
        let given = CsvOptions {
            n_classes: Some(3),
            ..Default::default()
        };
        assert_eq!(
            read("x,y\n1,0\n2,2\n", &given).unwrap().n_classes(),
            Some(3)
        );
    }

    #[test]
    fn single_class_data_is_an_error() {
        let err = read(
            "x,y\n1,4\n2,4\n3,4\n",
            &CsvOptions {
                n_classes: Some(5),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "dataset `t`: every sample has label 4: expected at least two classes to train a classifier"
        );
        let err = read("x,y\n1,0\n2,0\n", &CsvOptions::default()).unwrap_err();
        assert!(
            matches!(err, DataError::SingleClass { label: 0, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_fifo_or_dev_zero_as_the_csv_is_refused() {
        let err = load_csv(Path::new("/dev/zero"), &CsvOptions::default()).unwrap_err();
        assert!(matches!(err, DataError::NotAFile { .. }), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        std::fs::write(&p, "x,y\n1,0\n2,1\n").unwrap();
        let small = CsvOptions {
            max_bytes: 8,
            ..Default::default()
        };
        assert!(matches!(
            load_csv(&p, &small).unwrap_err(),
            DataError::TooLarge {
                size: 12,
                limit: 8,
                ..
            }
        ));
        assert_eq!(load_csv(&p, &CsvOptions::default()).unwrap().len(), 2);
    }
}
