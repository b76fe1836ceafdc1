//! Issue 17 as a user meets it on the command line: damaged runs listed, charts only in their
//! own formats, short errors, one writer per run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn trainlab(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_trainlab"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the trainlab binary runs")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const SUMMARY: &str = r#"{"report": {"outcome": {"kind": "completed", "epochs": 2},
 "epochs_completed": 2, "final_val_loss": 0.5, "final_val_accuracy": 0.9,
 "best_val_accuracy": 0.91, "best_val_loss": 0.45, "timings": {"total_seconds": 3.0}}}"#;

fn fake_run(root: &Path, name: &str, config: &str, summary: Option<&str>) {
    let dir = root.join("runs/e").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), config).unwrap();
    if let Some(s) = summary {
        std::fs::write(dir.join("summary.json"), s).unwrap();
    }
}

#[test]
fn runs_and_compare_list_every_run_and_mark_the_damaged_ones() {
    let dir = tempfile::tempdir().unwrap();
    let config = "seed = 1\n[train]\nepochs = 2\n";
    fake_run(dir.path(), "a-good", config, Some(SUMMARY));
    fake_run(dir.path(), "b-empty", config, Some(""));
    fake_run(dir.path(), "c-torn", config, Some(&SUMMARY[..40]));
    fake_run(dir.path(), "d-running", config, None);
    fake_run(dir.path(), "e-badtoml", "seed = [", Some(SUMMARY));

    let out = trainlab(&["runs"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("e/a-good") && lines[1].contains("completed"));
    assert!(lines[2].starts_with("e/b-empty") && lines[2].contains("damaged"));
    assert!(lines[3].starts_with("e/c-torn") && lines[3].contains("damaged"));
    assert!(lines[4].starts_with("e/d-running") && lines[4].contains("running / killed"));
    assert!(lines[5].starts_with("e/e-badtoml") && lines[5].contains("damaged"));
    assert_eq!(lines[6], "damaged: e/b-empty: summary.json is empty");
    assert_eq!(
        lines[7],
        "damaged: e/c-torn: summary.json is not valid JSON (40 bytes, truncated?): \
         EOF while parsing a string at line 1 column 40"
    );
    assert!(
        lines[8].starts_with("damaged: e/e-badtoml: config.toml is not valid TOML: "),
        "{}",
        lines[8]
    );

    let out = trainlab(&["runs", "--json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 5);
    assert_eq!(rows[1]["damaged"], "summary.json is empty");
    assert_eq!(rows[0]["damaged"], serde_json::Value::Null);

    let out = trainlab(&["compare", "runs/e"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains("damaged: e/b-empty: summary.json is empty"),
        "{text}"
    );
}

#[test]
fn a_chart_name_that_is_not_png_or_svg_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = trainlab(&["cv", "--k", "2", "--plot", "x.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: chart file x.txt: expected a name ending in .png or .svg\n"
    );
    assert!(!dir.path().join("x.txt").exists());
    let out = trainlab(&["lr-find", "--plot", "lr.jpeg"], dir.path());
    assert_eq!(
        stderr(&out),
        "error: chart file lr.jpeg: expected a name ending in .png or .svg\n"
    );
}

#[test]
fn resuming_a_missing_directory_says_it_cannot_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = trainlab(&["train", "--resume", "runs/nope"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: cannot read run directory runs/nope: No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_ten_megabyte_line_is_quoted_short_and_a_range_error_once() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    std::fs::write(
        &big,
        format!("[train]\nunknown = \"{}\"\n", "y".repeat(10 << 20)),
    )
    .unwrap();
    let out = trainlab(&["train", "--config", "big.toml"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.len() < 2_000, "{} bytes of stderr", err.len());
    assert!(
        err.contains("unknown field `unknown`") && err.contains("(10485616 more characters)"),
        "{err}"
    );

    std::fs::write(dir.path().join("split.toml"), "[split]\ntrain = 0.0\n").unwrap();
    let out = trainlab(&["train", "--config", "split.toml"], dir.path());
    assert_eq!(
        stderr(&out),
        "error: invalid config: split: split fractions train + val + test = 0.2: \
         expected them to sum to 1 (within 1e-9)\n"
    );
}

#[test]
fn a_second_writer_of_a_run_is_refused_with_the_first_ones_pid() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Command::new(env!("CARGO_BIN_EXE_trainlab"))
        .args([
            "train",
            "--epochs",
            "100000",
            "--name",
            "busy",
            "--progress",
            "quiet",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let run = dir.path().join("runs/default/busy");
    let start = Instant::now();
    // the lock is taken before config.toml is written
    while !run.join("metrics.csv").exists() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the first run never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = trainlab(&["train", "--resume", "runs/default/busy"], dir.path());
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: run directory runs/default/busy is being written by another process \
             (PID {}): wait for it to end or stop it, then try again\n",
            first.id()
        )
    );
}

#[test]
fn diagnose_warns_of_a_torn_last_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("epoch,train_loss,val_loss\n");
    for e in 0..6 {
        text.push_str(&format!(
            "{e},{},{}\n",
            1.0 / (1.0 + e as f64),
            1.1 / (1.0 + e as f64)
        ));
    }
    text.push_str("6,0.1");
    std::fs::write(dir.path().join("m.csv"), &text).unwrap();
    let out = trainlab(&["diagnose", "m.csv"], dir.path());
    assert!(
        stderr(&out).starts_with(
            "warning: `m.csv` line 8: torn last row (2 of 3 fields, no line end): left out; was \
             the run killed or the disk full while it was written?\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_closed_stderr_and_stdout_never_kill_training() {
    let dir = tempfile::tempdir().unwrap();
    // `trainlab train 2>&1 | head -c 0`: both pipes closed before the first line
    let mut child = Command::new(env!("CARGO_BIN_EXE_trainlab"))
        .args([
            "train",
            "--epochs",
            "3",
            "--name",
            "closed",
            "--progress",
            "lines",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let summary =
        std::fs::read_to_string(dir.path().join("runs/default/closed/summary.json")).unwrap();
    assert!(summary.contains("\"completed\""), "{summary}");
}

#[test]
fn a_kill_between_the_checkpoint_and_the_best_is_repaired_on_resume() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.toml"),
        "seed = 3\n[model]\nhidden = [48]\n[optimizer]\nkind = \"adam\"\nalpha = 0.005\n\
         [train]\nepochs = 10\n",
    )
    .unwrap();
    let args = |name: &str| {
        vec![
            "train".to_string(),
            "--config".into(),
            "c.toml".into(),
            "--name".into(),
            name.to_string(),
            "--progress".into(),
            "quiet".into(),
            "--keep-checkpoints".into(),
            "100".into(),
        ]
    };
    let run_all = |name: &str| {
        let a = args(name);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = trainlab(&a, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
    };
    run_all("whole");
    run_all("killed");
    let whole = dir.path().join("runs/default/whole");
    let killed = dir.path().join("runs/default/killed");
    let ck = killed.join("checkpoints");
    let best_name = std::fs::read_dir(&ck)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("best-") && n.ends_with(".json"))
        .unwrap();
    let b: usize = best_name[5..9].parse().unwrap();
    assert!(
        (2..10).contains(&b),
        "this config's best epoch is {b}: pick one in the middle"
    );
    // the state a SIGKILL leaves just after epoch b's periodic checkpoint: epochs after b
    // never happened, and the best is still epoch b - 1's
    for e in b + 1..=10 {
        for ext in ["json", "safetensors"] {
            std::fs::remove_file(ck.join(format!("epoch-{e:04}.{ext}"))).unwrap();
        }
    }
    for ext in ["json", "safetensors"] {
        std::fs::remove_file(ck.join(format!("best-{b:04}.{ext}"))).unwrap();
        std::fs::copy(
            ck.join(format!("epoch-{:04}.{ext}", b - 1)),
            ck.join(format!("best-{:04}.{ext}", b - 1)),
        )
        .unwrap();
    }
    std::fs::remove_file(killed.join("summary.json")).unwrap();
    // what the best must be rebuilt from (the resumed run prunes it later)
    let periodic: Vec<Vec<u8>> = ["json", "safetensors"]
        .iter()
        .map(|ext| std::fs::read(ck.join(format!("epoch-{b:04}.{ext}"))).unwrap())
        .collect();
    let out = trainlab(
        &[
            "train",
            "--resume",
            "runs/default/killed",
            "--progress",
            "quiet",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "best checkpoint rebuilt: runs/default/killed/checkpoints/best-{b:04}.json from \
             runs/default/killed/checkpoints/epoch-{b:04}.json"
        )),
        "{}",
        stderr(&out)
    );
    // the rebuilt best is the periodic checkpoint of epoch b, byte for byte
    for (ext, bytes) in ["json", "safetensors"].iter().zip(&periodic) {
        assert!(
            &std::fs::read(ck.join(format!("best-{b:04}.{ext}"))).unwrap() == bytes,
            "best-{b:04}.{ext} is not a copy of epoch-{b:04}.{ext}"
        );
    }
    // and the uninterrupted run's best: the same tensors bit for bit, the same metadata but for
    // the wall-clock timings a checkpoint carries
    let name = format!("checkpoints/best-{b:04}.safetensors");
    assert!(
        std::fs::read(killed.join(&name)).unwrap() == std::fs::read(whole.join(&name)).unwrap(),
        "{name} differs from the uninterrupted run's"
    );
    let meta = |run: &Path| {
        let text = std::fs::read_to_string(run.join(format!("checkpoints/best-{b:04}.json")));
        let mut v: serde_json::Value = serde_json::from_str(&text.unwrap()).unwrap();
        v["report"]["timings"] = serde_json::Value::Null;
        v
    };
    assert_eq!(meta(&killed), meta(&whole));
    assert!(!ck.join(format!("best-{:04}.json", b - 1)).exists());
}

/// Starts a long run, waits for `rows` epochs in its metrics.csv, sends `signal`, returns the
/// process's output.
fn signal_after(dir: &Path, name: &str, rows: usize, signal: &str) -> std::process::Output {
    std::fs::write(
        dir.join("long.toml"),
        "[model]\nhidden = [128, 128]\n[train]\nepochs = 400\n",
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_trainlab"))
        .args([
            "train",
            "--config",
            "long.toml",
            "--name",
            name,
            "--progress",
            "lines",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let metrics = dir.join("runs/default").join(name).join("metrics.csv");
    let start = Instant::now();
    while std::fs::read_to_string(&metrics).map_or(0, |t| t.lines().count()) < rows + 1 {
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    let ok = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    child.wait_with_output().unwrap()
}

#[test]
fn sigint_stops_after_the_step_with_a_summary_the_resume_command_and_exit_130() {
    let dir = tempfile::tempdir().unwrap();
    let out = signal_after(dir.path(), "int", 2, "-INT");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(130), "{err}");
    let last = err.lines().rev().take(2).collect::<Vec<_>>();
    assert_eq!(
        last[0], "  trainlab train --resume runs/default/int",
        "{err}"
    );
    assert!(
        last[1].starts_with("interrupted by SIGINT after step ")
            && last[1].ends_with("checkpointed at that step); resume with:"),
        "{err}"
    );
    let run = dir.path().join("runs/default/int");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "interrupted");
    assert_eq!(summary["reason"], "SIGINT");
    assert_eq!(
        summary["resume"],
        "trainlab train --resume runs/default/int"
    );
    let out = trainlab(&["runs"], dir.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("interrupted"));
    // the step it stopped after is checkpointed: mid-epoch as checkpoints/interrupted.*
    let step = summary["step"].as_u64().unwrap();
    let completed = summary["epochs_completed"].as_u64().unwrap();
    let ck = run.join("checkpoints");
    let periodic = ck.join(format!("epoch-{completed:04}.json"));
    let meta: serde_json::Value = match ck.join("interrupted.json").exists() {
        true => {
            serde_json::from_str(&std::fs::read_to_string(ck.join("interrupted.json")).unwrap())
                .unwrap()
        }
        false => serde_json::from_str(&std::fs::read_to_string(&periodic).unwrap()).unwrap(),
    };
    assert_eq!(meta["step"].as_u64(), Some(step), "{meta}");
    // the resume command works (with fewer epochs, to end soon)
    let epochs = completed + 1;
    let out = trainlab(
        &[
            "train",
            "--resume",
            "runs/default/int",
            "--epochs",
            &epochs.to_string(),
            "--progress",
            "quiet",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let metrics = std::fs::read_to_string(run.join("metrics.csv")).unwrap();
    assert_eq!(metrics.lines().count() as u64, epochs + 1, "{metrics}");
    assert!(
        !ck.join("interrupted.json").exists(),
        "a newer epoch's checkpoint replaces it"
    );
    // ... and ends with the weights and optimizer state of a run never interrupted, to the bit
    std::fs::write(
        dir.path().join("whole.toml"),
        format!("[model]\nhidden = [128, 128]\n[train]\nepochs = {epochs}\n"),
    )
    .unwrap();
    let args = [
        "train",
        "--config",
        "whole.toml",
        "--name",
        "whole",
        "--progress",
        "quiet",
    ];
    let out = trainlab(&args, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let tensors = |run: &Path| {
        std::fs::read(run.join(format!("checkpoints/epoch-{epochs:04}.safetensors"))).unwrap()
    };
    assert!(
        tensors(&run) == tensors(&dir.path().join("runs/default/whole")),
        "the resumed run's final tensors differ from the uninterrupted run's"
    );
    // total_seconds covers both sessions: at least the sum of every epoch's seconds
    let epoch_seconds: f64 = metrics
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    let total = summary["report"]["timings"]["total_seconds"]
        .as_f64()
        .unwrap();
    let last: f64 = metrics
        .lines()
        .last()
        .unwrap()
        .rsplit(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        total >= epoch_seconds && epoch_seconds > last,
        "total_seconds {total} < the epochs' {epoch_seconds}"
    );
}

#[test]
fn sigterm_and_sighup_exit_143_and_129() {
    let dir = tempfile::tempdir().unwrap();
    let out = signal_after(dir.path(), "term", 1, "-TERM");
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupted by SIGTERM"));
    let out = signal_after(dir.path(), "hup", 1, "-HUP");
    assert_eq!(out.status.code(), Some(129), "{}", stderr(&out));
}

#[test]
fn an_invalid_trial_is_a_failed_row_and_the_search_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("space.toml"),
        "[space.\"optimizer.alpha\"]\nkind = \"choice\"\nvalues = [0.01, -1.0]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("base.toml"), "[train]\nepochs = 1\n").unwrap();
    let args = [
        "search",
        "--space",
        "space.toml",
        "--config",
        "base.toml",
        "--experiment",
        "s",
    ];
    let out = trainlab(&args, dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "optimizer.alpha=-1.0: Failed: invalid config: optimizer: invalid hyperparameter \
             `alpha` = -1: expected a finite value > 0"
        ),
        "{err}"
    );
    let png = std::fs::read(dir.path().join("runs/s/search.png")).unwrap();
    assert_eq!(&png[..4], b"\x89PNG");
    // and every rerun as well
    let out = trainlab(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
