//! `trainlab diagnose` on every common log format (issue 12): the real PyTorch logs of the
//! diagnosis crate's fixtures (crates/diagnosis/tests/fixtures/logs, written by
//! gen_real_logs.py with torch 2.15.0), in PyTorch, Keras, Lightning and Hugging Face formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn trainlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trainlab"))
        .args(args)
        .output()
        .expect("the trainlab binary runs")
}

fn logs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../diagnosis/tests/fixtures/logs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The verdict names of `trainlab diagnose FILE --json ARGS...`.
fn verdicts(file: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["diagnose", file.to_str().unwrap(), "--json"];
    all.extend(args);
    let out = trainlab(&all);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON verdicts");
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"]["verdict"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_format_of_an_overfitting_run_is_overfitting() {
    for format in [
        "pytorch.csv",
        "pytorch_eval.csv",
        "keras.csv",
        "lightning.csv",
        "trainer_state.json",
        "log_history.csv",
    ] {
        let v = verdicts(
            &logs().join("overfitting").join(format),
            &["--n-val", "360"],
        );
        assert_eq!(v[0], "overfitting", "{format}: {v:?}");
    }
    // The text names the noise the gap was judged against.
    let out = trainlab(&[
        "diagnose",
        logs().join("overfitting/keras.csv").to_str().unwrap(),
        "--n-val",
        "360",
    ]);
    let (stdout, _) = text(&out);
    assert!(
        stdout.starts_with("overfitting (high variance, best epoch "),
        "{stdout}"
    );
    assert!(
        stdout.contains("standard error of the validation error (binomial, n_val = 360)"),
        "{stdout}"
    );
}

#[test]
fn a_good_run_is_a_good_fit_with_its_n_val_and_the_missing_n_val_is_said() {
    let keras = logs().join("good_fit/keras.csv");
    assert_eq!(verdicts(&keras, &["--n-val", "360"])[0], "good_fit");
    // Without --n-val: judged against max_variance alone (2.2% - 0% > 2%), and said so.
    let v = verdicts(&keras, &[]);
    assert!(v.contains(&"not_judged".to_string()), "{v:?}");
    let out = trainlab(&["diagnose", keras.to_str().unwrap()]);
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("not judged (no number of validation samples)"),
        "{stdout}"
    );
}

#[test]
fn a_lightning_or_hugging_face_directory_is_read() {
    // A directory with a trainer_state.json (a Hugging Face output or checkpoint directory).
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        logs().join("at_chance/trainer_state.json"),
        dir.path().join("trainer_state.json"),
    )
    .unwrap();
    assert_eq!(verdicts(dir.path(), &[])[0], "at_chance");
    // A Lightning version directory: metrics.csv.
    std::fs::copy(
        logs().join("diverging/lightning.csv"),
        dir.path().join("metrics.csv"),
    )
    .unwrap();
    assert_eq!(verdicts(dir.path(), &[])[0], "diverging");
}

#[test]
fn losses_only_at_chance_needs_the_classes() {
    let file = logs().join("blowup_then_flat/pytorch_eval.csv");
    assert_eq!(verdicts(&file, &["--classes", "10"])[0], "at_chance");
    let out = trainlab(&["diagnose", file.to_str().unwrap()]);
    let (stdout, _) = text(&out);
    assert!(
        !stdout.lines().any(|l| l.starts_with("good fit")),
        "{stdout}"
    );
    assert!(stdout.contains("--classes C"), "{stdout}");
    let out = trainlab(&["diagnose", file.to_str().unwrap(), "--classes", "1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_torn_last_row_is_a_warning_and_bad_cells_are_errors_naming_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let keras = std::fs::read_to_string(logs().join("good_fit/keras.csv")).unwrap();
    let torn = dir.path().join("torn.csv");
    let cut = keras.trim_end().rfind('\n').unwrap() + 6;
    std::fs::write(&torn, &keras[..cut]).unwrap();
    let out = trainlab(&["diagnose", torn.to_str().unwrap(), "--n-val", "360"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: `") && stderr.contains("line 41: torn last row"),
        "{stderr}"
    );
    assert!(stdout.starts_with("good fit"), "{stdout}");

    // An accuracy of 5 on line 7 (CRLF line ends, as Python's csv writes them).
    let bad = dir.path().join("bad.csv");
    let mut lines: Vec<String> = keras.split("\r\n").map(String::from).collect();
    lines[6] = lines[6].replacen(",0.", ",5.", 1);
    std::fs::write(&bad, lines.join("\r\n")).unwrap();
    let out = trainlab(&["diagnose", bad.to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("line 7, column 2 (`accuracy`)") && stderr.contains("out of range"),
        "{stderr}"
    );
}
