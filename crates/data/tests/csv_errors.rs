//! load_csv on files written into a tempdir: the happy path and every error the brief names,
//! each checked for the file, the 1-based line, the column and what was expected.

use std::path::PathBuf;

use tempfile::TempDir;
use trainlab_data::{load_csv, CsvOptions, CsvTarget, DataError, LabelColumn, Target};

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write to the tempdir");
    path
}

fn load_err(text: &str, opts: &CsvOptions) -> (DataError, String) {
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "bad.csv", text);
    let e = load_csv(&path, opts).expect_err("this file must be rejected");
    let msg = e.to_string();
    assert!(
        msg.contains(&path.display().to_string()),
        "message names the file: {msg}"
    );
    (e, msg)
}

#[test]
fn loads_a_file() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "flowers.csv", "a,b,label\n1,2,0\n\n3.5,-4,2\n");
    let d = load_csv(&path, &CsvOptions::default()).expect("valid file");
    assert_eq!(d.name, "flowers");
    assert_eq!(d.features, vec![1.0, 2.0, 3.5, -4.0]);
    assert_eq!(
        d.target,
        Target::Classes {
            labels: vec![0, 2],
            n_classes: 3
        }
    );
    let fixed = CsvOptions {
        n_classes: Some(5),
        ..Default::default()
    };
    assert_eq!(
        load_csv(&path, &fixed).expect("valid file").n_classes(),
        Some(5)
    );
}

#[test]
fn missing_file() {
    let e = load_csv("/nonexistent/x.csv".as_ref(), &CsvOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::Io { .. }));
    assert!(e.to_string().contains("/nonexistent/x.csv"));
}

#[test]
fn non_numeric_cell() {
    let (e, msg) = load_err("a,b,label\n1,2,0\n1,x,1\n", &CsvOptions::default());
    assert!(
        matches!(&e, DataError::NotANumber { line: 3, column: 2, column_name, value, .. }
            if column_name == "b" && value == "x"),
        "{msg}"
    );
    assert!(
        msg.contains(":3: column 2 (`b`): expected a finite number, found `x`"),
        "{msg}"
    );
}

#[test]
fn non_finite_cell() {
    let (e, msg) = load_err("a,label\ninf,0\n", &CsvOptions::default());
    assert!(
        matches!(
            e,
            DataError::NotANumber {
                line: 2,
                column: 1,
                ..
            }
        ),
        "{msg}"
    );
}

#[test]
fn wrong_column_count() {
    let (e, msg) = load_err("a,b,label\n1,2,0\n1,2\n", &CsvOptions::default());
    assert!(
        matches!(
            e,
            DataError::ColumnCount {
                line: 3,
                found: 2,
                expected: 3,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("found 2 columns, expected 3 (as in the header)"),
        "{msg}"
    );
    let no_header = CsvOptions {
        has_header: false,
        ..Default::default()
    };
    let (e, msg) = load_err("1,2,0\n1,2,0,4\n", &no_header);
    assert!(
        matches!(
            e,
            DataError::ColumnCount {
                line: 2,
                found: 4,
                expected: 3,
                ..
            }
        ),
        "{msg}"
    );
    assert!(msg.contains("(as in line 1)"), "{msg}");
}

#[test]
fn empty_files() {
    let (e, msg) = load_err("", &CsvOptions::default());
    assert!(matches!(e, DataError::Empty { .. }), "{msg}");
    let (e, msg) = load_err("a,b,label\n", &CsvOptions::default());
    assert!(matches!(e, DataError::Empty { .. }), "{msg}");
    assert!(
        msg.contains("expected a header line and at least one data line"),
        "{msg}"
    );
    let (e, _) = load_err(
        "",
        &CsvOptions {
            has_header: false,
            ..Default::default()
        },
    );
    assert!(matches!(e, DataError::Empty { .. }));
}

#[test]
fn label_out_of_range() {
    let opts = CsvOptions {
        n_classes: Some(3),
        ..Default::default()
    };
    let (e, msg) = load_err("a,label\n1,0\n2,3\n", &opts);
    assert!(
        matches!(
            e,
            DataError::BadLabel {
                line: 3,
                column: 2,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("expected an integer class label in 0..3, found `3`"),
        "{msg}"
    );
}

#[test]
fn negative_label() {
    let (e, msg) = load_err("a,label\n1,-1\n", &CsvOptions::default());
    assert!(
        matches!(
            e,
            DataError::BadLabel {
                line: 2,
                column: 2,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("expected a non-negative integer class label, found `-1`"),
        "{msg}"
    );
}

#[test]
fn non_integer_label() {
    let (e, msg) = load_err("a,label\n1,0\n1,1\n1,1.5\n", &CsvOptions::default());
    assert!(matches!(e, DataError::BadLabel { line: 4, .. }), "{msg}");
    let (e, msg) = load_err(
        "label,a\ncat,1\n",
        &CsvOptions {
            label_column: LabelColumn::First,
            ..Default::default()
        },
    );
    assert!(
        matches!(
            e,
            DataError::BadLabel {
                line: 2,
                column: 1,
                ..
            }
        ),
        "{msg}"
    );
    assert!(msg.contains("column 1 (`label`)"), "{msg}");
}

#[test]
fn unknown_label_column() {
    let by_name = CsvOptions {
        label_column: LabelColumn::Name("y".into()),
        ..Default::default()
    };
    let (e, msg) = load_err("a,b\n1,2\n", &by_name);
    assert!(matches!(e, DataError::NoSuchColumn { .. }), "{msg}");
    assert!(
        msg.contains("no label column named `y`: expected one of the header's names: a, b"),
        "{msg}"
    );
    let by_index = CsvOptions {
        label_column: LabelColumn::Index(5),
        ..Default::default()
    };
    let (e, _) = load_err("a,b\n1,2\n", &by_index);
    assert!(matches!(e, DataError::NoSuchColumn { .. }));
}

#[test]
fn single_column_has_no_features() {
    let (e, msg) = load_err("label\n1\n", &CsvOptions::default());
    assert!(
        matches!(
            e,
            DataError::ColumnCount {
                found: 1,
                expected: 2,
                ..
            }
        ),
        "{msg}"
    );
}

#[test]
fn regression_file() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "r.csv", "x,y\n0.5,1.5\n");
    let opts = CsvOptions {
        target: CsvTarget::Values,
        ..Default::default()
    };
    let d = load_csv(&path, &opts).expect("valid");
    assert_eq!(d.target, Target::Values(vec![1.5]));
}

#[test]
fn invalid_utf8_names_the_line() {
    let dir = TempDir::new().expect("tempdir");
    let path = dir.path().join("latin1.csv");
    std::fs::write(&path, b"a,label\n1,0\n\xff,1\n").expect("write to the tempdir");
    let e = load_csv(&path, &CsvOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::Csv { line: 3, .. }), "{e}");
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
}
