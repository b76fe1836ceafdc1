//! The diagnosis on real training logs (issue 12): PyTorch runs on the digits in eight regimes,
//! each written in every common log format by tests/fixtures/gen_real_logs.py (torch 2.15.0,
//! scikit-learn 1.9.1; see tests/fixtures/logs/README.md). Every format of a run must give the
//! same verdict, the one its regime calls for.

use std::path::PathBuf;

use trainlab_diagnosis::{diagnose, Curves, DiagnosisError, Thresholds, Verdict, VerdictKind};

/// The log formats of every regime, and whether the format carries accuracies.
const FORMATS: &[(&str, bool)] = &[
    ("pytorch.csv", true),
    ("pytorch_eval.csv", false),
    ("keras.csv", true),
    ("lightning.csv", true),
    ("trainer_state.json", false),
    ("log_history.csv", false),
];

/// The validation samples of every run.
const N_VAL: usize = 360;

fn log(regime: &str, format: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/logs")
        .join(regime)
        .join(format)
}

fn read(regime: &str, format: &str) -> Curves {
    let c = Curves::from_file(&log(regime, format))
        .unwrap_or_else(|e| panic!("{regime}/{format}: {e}"))
        .with_n_val(N_VAL);
    assert!(c.warnings.is_empty(), "{regime}/{format}: {:?}", c.warnings);
    c
}

/// The verdicts on one log, read as `trainlab diagnose --n-val 360 [--classes C]` reads it.
fn verdicts(regime: &str, format: &str, classes: Option<usize>) -> Vec<Verdict> {
    let mut c = read(regime, format);
    c.n_classes = classes;
    diagnose(&c, &Thresholds::default())
}

/// The findings (the verdict names but notes and the bias/variance summary).
fn findings(regime: &str, format: &str, classes: Option<usize>) -> Vec<&'static str> {
    verdicts(regime, format, classes)
        .iter()
        .map(|v| v.kind.name())
        .filter(|n| *n != "not_judged" && *n != "bias_variance")
        .collect()
}

/// Checks every format of `regime`: `with_accuracy` for logs with a training accuracy,
/// `losses_only` for the others (Hugging Face logs have a validation accuracy only).
fn check(regime: &str, with_accuracy: &[&str], losses_only: &[&str]) {
    for (format, has_train_accuracy) in FORMATS {
        let expected = if *has_train_accuracy {
            with_accuracy
        } else {
            losses_only
        };
        assert_eq!(
            findings(regime, format, None),
            expected,
            "{regime}/{format}:\n{}",
            trainlab_diagnosis::report(&verdicts(regime, format, None))
        );
    }
}

#[test]
fn every_format_reads_the_same_numbers() {
    // Each format holds the same run: the same losses (epochs from 1 in Hugging Face's log).
    for regime in ["good_fit", "diverging", "blowup_then_flat"] {
        let reference = read(regime, "pytorch.csv");
        for (format, _) in FORMATS {
            let c = read(regime, format);
            let same = |a: &[f64], b: &[f64]| {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
            };
            assert!(
                same(&c.train_loss, &reference.train_loss),
                "{regime}/{format}"
            );
            assert!(same(&c.val_loss, &reference.val_loss), "{regime}/{format}");
            let shift = if format.contains("trainer") || format.contains("history") {
                1.0
            } else {
                0.0
            };
            let epochs: Vec<f64> = reference.epochs.iter().map(|e| e + shift).collect();
            assert_eq!(c.epochs, epochs, "{regime}/{format}");
            if let (Some(a), Some(b)) = (&c.val_error, &reference.val_error) {
                assert!(same(a, b), "{regime}/{format}");
            }
        }
    }
}

#[test]
fn a_good_run_is_a_good_fit_and_its_gap_is_within_the_noise() {
    // 0.0% training vs 2.2% validation error on 360 samples: limit 2% + 2 x 0.77% = 3.5%.
    check("good_fit", &["good_fit"], &[]);
    let v = verdicts("good_fit", "keras.csv", None);
    let text = trainlab_diagnosis::report(&v);
    assert!(
        text.contains("standard error of the validation error (binomial, n_val = 360) = 0.007"),
        "{text}"
    );
    // Without a training accuracy, no good fit is claimed: the note says what is missing.
    let v = verdicts("good_fit", "trainer_state.json", None);
    assert_eq!(
        v[0].kind,
        VerdictKind::NotJudged {
            missing: "training accuracy".into()
        }
    );
}

#[test]
fn a_big_net_on_100_samples_overfits_beyond_the_noise() {
    check("overfitting", &["overfitting"], &["overfitting"]);
    let v = verdicts("overfitting", "keras.csv", None);
    assert!(
        v[0].to_string()
            .contains("standard error of the validation error (binomial, n_val = 360)"),
        "{}",
        v[0]
    );
}

#[test]
fn a_two_unit_model_underfits() {
    // 30% training error, settled; losses only cannot tell it from a good fit: not judged.
    check("underfit_tiny_model", &["underfitting"], &[]);
}

#[test]
fn a_tiny_learning_rate_underfits_and_is_still_improving() {
    check(
        "underfit_tiny_lr",
        &["underfitting", "still_improving"],
        &["still_improving"],
    );
}

#[test]
fn a_huge_learning_rate_diverges() {
    check("diverging", &["diverging"], &["diverging"]);
}

#[test]
fn rising_losses_are_not_a_good_fit() {
    // Weight decay growing 1.4x per epoch: both losses rise steadily over the last epochs.
    check(
        "rising",
        &["losses_rising", "underfitting"],
        &["losses_rising"],
    );
}

#[test]
fn a_dead_network_is_at_chance() {
    // The loss falls from 2.7 to ln 10 (a 14% drop) and stays; accuracy 10%. With accuracy
    // (Hugging Face's eval_accuracy too) the 10 classes are inferred.
    let at_chance = ["at_chance"];
    for (format, _) in FORMATS.iter().filter(|(f, _)| *f != "pytorch_eval.csv") {
        assert_eq!(findings("at_chance", format, None), at_chance, "{format}");
    }
    // Losses only: at chance with the classes given; flat (0.1% drop from its start) without.
    assert_eq!(
        findings("at_chance", "pytorch_eval.csv", Some(10)),
        at_chance
    );
    assert_eq!(
        findings("at_chance", "pytorch_eval.csv", None),
        ["not_learning"]
    );
    let v = verdicts("at_chance", "keras.csv", None);
    assert!(
        v[0].to_string()
            .starts_with("not learning: at chance (10 classes): "),
        "{}",
        v[0]
    );
}

#[test]
fn a_blown_up_first_epoch_then_flat_is_not_learning() {
    // 26.3, 6.3, then flat at 2.33 (ln 10 = 2.303), accuracy 10%.
    for (format, _) in FORMATS.iter().filter(|(f, _)| *f != "pytorch_eval.csv") {
        assert_eq!(
            findings("blowup_then_flat", format, None),
            ["at_chance"],
            "{format}"
        );
    }
    assert_eq!(
        findings("blowup_then_flat", "pytorch_eval.csv", Some(10)),
        ["at_chance"]
    );
    // Losses only and no number of classes: no good fit, the notes say what is missing.
    let v = verdicts("blowup_then_flat", "pytorch_eval.csv", None);
    assert!(v.iter().all(|v| v.kind != VerdictKind::GoodFit), "{v:?}");
    assert!(v.iter().any(|v| v.kind
        == VerdictKind::NotJudged {
            missing: "number of classes".into()
        }));
}

/// A real log with one edit, read from memory.
fn edited(
    regime: &str,
    format: &str,
    edit: impl Fn(String) -> String,
) -> Result<Curves, DiagnosisError> {
    let text = std::fs::read_to_string(log(regime, format)).expect("fixture");
    assert!(text.contains("\r\n"), "Python's csv writes CRLF");
    Curves::from_csv_reader(edit(text).as_bytes(), format)
}

/// Replaces field `column` (0-based) of line `line` (1-based).
fn set_cell(text: String, line: usize, column: usize, value: &str) -> String {
    let mut lines: Vec<String> = text.split("\r\n").map(String::from).collect();
    let mut cells: Vec<String> = lines[line - 1].split(',').map(String::from).collect();
    cells[column] = value.to_string();
    lines[line - 1] = cells.join(",");
    lines.join("\r\n")
}

#[test]
fn errors_in_a_crlf_log_name_the_right_line() {
    let err = edited("good_fit", "keras.csv", |t| set_cell(t, 10, 2, "abc")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("`keras.csv` line 10, column 3 (`loss`)"),
        "{err}"
    );
}

#[test]
fn accuracies_outside_zero_one_are_errors_and_percent_is_said() {
    for bad in ["5", "-3"] {
        let err = edited("good_fit", "keras.csv", |t| set_cell(t, 7, 1, bad)).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "`keras.csv` line 7, column 2 (`accuracy`): {bad} is out of range"
            )),
            "{err}"
        );
    }
    // The whole column in percent: read as such, with a warning, and the same verdict.
    let percent = edited("good_fit", "keras.csv", |t| {
        let mut lines: Vec<String> = t.split("\r\n").map(String::from).collect();
        for line in lines.iter_mut().skip(1).filter(|l| !l.is_empty()) {
            let mut cells: Vec<String> = line.split(',').map(String::from).collect();
            let x: f64 = cells[3].parse().expect("val_accuracy");
            cells[3] = format!("{}", x * 100.0);
            *line = cells.join(",");
        }
        lines.join("\r\n")
    })
    .expect("percent reads");
    assert_eq!(percent.warnings.len(), 1, "{:?}", percent.warnings);
    assert!(percent.warnings[0].contains("column 4 (`val_accuracy`) holds percentages"));
    let reference = read("good_fit", "keras.csv");
    let (a, b) = (percent.val_error.unwrap(), reference.val_error.unwrap());
    assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-12));
}

#[test]
fn an_epoch_column_in_reverse_is_an_error() {
    let err = edited("good_fit", "keras.csv", |t| {
        let mut lines: Vec<&str> = t.split("\r\n").filter(|l| !l.is_empty()).collect();
        lines[1..].reverse();
        lines.join("\r\n") + "\r\n"
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`keras.csv` line 3, column 1 (`epoch`): epoch 38 after epoch 39 on line 2, expected an \
         epoch above the row before (one row per epoch)"
    );
}

#[test]
fn a_torn_last_row_is_left_out_with_a_warning() {
    // A kill cut the file in the middle of the last row's second field.
    let c = edited("good_fit", "keras.csv", |t| {
        let t = t.trim_end().to_string();
        let cut = t.rfind('\n').unwrap() + 6;
        t[..cut].to_string()
    })
    .expect("a torn row is no error");
    assert_eq!(c.len(), 39);
    assert_eq!(c.warnings.len(), 1);
    assert!(
        c.warnings[0].starts_with("`keras.csv` line 41: torn last row (2 of 5 fields"),
        "{}",
        c.warnings[0]
    );
}
