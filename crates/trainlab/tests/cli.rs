//! `trainlab train` as a user runs it: the run directory, its files, and errors that name the key.

use std::path::Path;
use std::process::Command;

fn trainlab(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_trainlab"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the trainlab binary runs")
}

#[test]
fn train_writes_a_complete_run_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = trainlab(&["train", "--epochs", "2", "--name", "first"], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    // not a terminal: plain lines, one per epoch, no bar
    assert!(
        stderr.contains("epoch   1/2") && stderr.contains("epoch   2/2"),
        "{stderr}"
    );
    assert!(stdout.contains("outcome: completed 2 epochs"), "{stdout}");

    let run = dir.path().join("runs/default/first");
    let config = std::fs::read_to_string(run.join("config.toml")).unwrap();
    assert!(config.contains("epochs = 2"), "{config}");
    let metrics = std::fs::read_to_string(run.join("metrics.csv")).unwrap();
    let lines: Vec<&str> = metrics.lines().collect();
    assert_eq!(
        lines[0],
        "epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds"
    );
    assert_eq!(lines.len(), 3, "{metrics}");
    let steps = std::fs::read_to_string(run.join("steps.csv")).unwrap();
    assert!(steps.lines().count() > 2);
    for chart in ["curves.png", "lr.png", "confusion.png", "predictions.png"] {
        let bytes = std::fs::read(run.join(chart)).unwrap_or_else(|e| panic!("{chart}: {e}"));
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{chart} is a PNG");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["report"]["outcome"]["kind"], "completed");
    assert!(
        summary["report"]["timings"]["mean_update_ms"]
            .as_f64()
            .unwrap()
            > 0.0
    );

    // the written config reproduces the run
    let again = trainlab(
        &[
            "train",
            "--config",
            run.join("config.toml").to_str().unwrap(),
            "--name",
            "again",
        ],
        dir.path(),
    );
    assert!(again.status.success());
    let metrics2 =
        std::fs::read_to_string(dir.path().join("runs/default/again/metrics.csv")).unwrap();
    let strip = |m: &str| {
        m.lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(&metrics),
        strip(&metrics2),
        "same config, same numbers (seconds aside)"
    );
}

#[test]
fn bad_configs_are_errors_that_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (text, key) in [
        ("[train]\nbatch_sise = 3\n", "batch_sise"),
        ("[optimizer]\nkind = \"adam\"\nalpha = -1.0\n", "alpha"),
        ("[optimizer]\nkind = \"adam\"\nbeta1 = 1.5\n", "beta1"),
        ("[model]\nactivation = \"gelu\"\n", "activation"),
    ] {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, text).unwrap();
        let out = trainlab(&["train", "--config", path.to_str().unwrap()], dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains(key), "{text}: {stderr}");
        assert!(
            !dir.path().join("runs").exists(),
            "no run directory for a bad config"
        );
    }
    let out = trainlab(&["train", "--config", "missing.toml"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing.toml"), "{stderr}");
}

#[test]
fn divergence_is_reported_with_exit_code_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hot.toml");
    std::fs::write(
        &path,
        "[optimizer]\nkind = \"sgd\"\nalpha = 1e6\n[train]\nepochs = 3\n",
    )
    .unwrap();
    let out = trainlab(
        &["train", "--config", path.to_str().unwrap(), "--name", "hot"],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("diverged at step"), "{stdout}");
    let summary =
        std::fs::read_to_string(dir.path().join("runs/default/hot/summary.json")).unwrap();
    assert!(summary.contains("\"diverged\""), "{summary}");
}

#[test]
fn train_records_the_diagnosis_and_final_test_and_diagnose_reads_runs_and_foreign_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = trainlab(
        &["train", "--epochs", "3", "--name", "d", "--final"],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("diagnosis:"), "{stdout}");
    assert!(
        stdout.contains("sealed test set (evaluated once, 180 samples)"),
        "{stdout}"
    );
    let run = dir.path().join("runs/default/d");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    assert!(
        summary["diagnosis"]
            .as_array()
            .is_some_and(|d| !d.is_empty()),
        "{summary}"
    );
    assert_eq!(summary["final_test"]["n_test"], 180);

    let out = trainlab(&["diagnose", run.to_str().unwrap(), "--json"], dir.path());
    assert!(out.status.success());
    let verdicts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The same verdicts (metrics.csv stores f32 losses as text, so the evidence differs in the
    // last digits of f64).
    let kinds = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"]["verdict"].to_string())
            .collect()
    };
    assert_eq!(
        kinds(&verdicts),
        kinds(&summary["diagnosis"]),
        "diagnose RUN_DIR agrees with the summary"
    );

    // a PyTorch user's log: other column names, a rising validation loss
    let csv = dir.path().join("torch_log.csv");
    let mut text = String::from("epoch,train,valid_loss\n");
    for e in 0..20 {
        let train = 1.0 / (1.0 + e as f64);
        let val = if e < 8 {
            1.0 / (1.0 + e as f64) + 0.05
        } else {
            0.16 + 0.03 * (e - 8) as f64
        };
        text.push_str(&format!("{e},{train},{val}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let out = trainlab(&["diagnose", csv.to_str().unwrap()], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("overfitting"), "{stdout}");

    std::fs::write(&csv, "epoch,train,valid_loss\n0,1.0,\n").unwrap();
    let out = trainlab(&["diagnose", csv.to_str().unwrap()], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("torch_log.csv") && stderr.contains("line 2"),
        "{stderr}"
    );
}

#[test]
fn a_run_killed_with_sigkill_and_resumed_ends_bit_for_bit_like_one_never_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        "[model]\nhidden = [256, 256]\n[train]\nepochs = 12\n",
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let whole = trainlab(
        &[
            "train",
            "--config",
            c,
            "--name",
            "whole",
            "--progress",
            "quiet",
        ],
        dir.path(),
    );
    assert!(whole.status.success());

    let mut child = Command::new(env!("CARGO_BIN_EXE_trainlab"))
        .args([
            "train",
            "--config",
            c,
            "--name",
            "killed",
            "--progress",
            "quiet",
        ])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let run = dir.path().join("runs/default/killed");
    let started = std::time::Instant::now();
    while !run.join("checkpoints/epoch-0004.json").exists() {
        assert!(
            started.elapsed().as_secs() < 120,
            "no checkpoint after 120 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    assert!(
        !run.join("summary.json").exists(),
        "the run finished before it was killed: make it longer"
    );

    let resumed = trainlab(
        &[
            "train",
            "--resume",
            run.to_str().unwrap(),
            "--progress",
            "quiet",
        ],
        dir.path(),
    );
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );

    let read = |name: &str, p: &str| {
        std::fs::read(dir.path().join("runs/default").join(name).join(p)).unwrap()
    };
    assert_eq!(
        read("killed", "checkpoints/epoch-0012.safetensors"),
        read("whole", "checkpoints/epoch-0012.safetensors"),
        "final weights and optimizer state, bit for bit"
    );
    // every metric but the wall-clock columns
    let without_times = |bytes: Vec<u8>, keep: usize| -> Vec<String> {
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| l.split(',').take(keep).collect::<Vec<_>>().join(","))
            .collect()
    };
    assert_eq!(
        without_times(read("killed", "metrics.csv"), 7),
        without_times(read("whole", "metrics.csv"), 7)
    );
    assert_eq!(
        without_times(read("killed", "steps.csv"), 4),
        without_times(read("whole", "steps.csv"), 4)
    );
}

#[test]
fn resuming_a_run_without_checkpoints_or_with_a_corrupt_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = trainlab(
        &[
            "train",
            "--epochs",
            "2",
            "--name",
            "r",
            "--keep-checkpoints",
            "1",
            "--progress",
            "quiet",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let run = dir.path().join("runs/default/r");
    let tensors = run.join("checkpoints/epoch-0002.safetensors");
    let mut bytes = std::fs::read(&tensors).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&tensors, bytes).unwrap();
    let out = trainlab(
        &["train", "--resume", run.to_str().unwrap(), "--epochs", "3"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("epoch-0002.safetensors") && stderr.contains("truncated"),
        "{stderr}"
    );

    std::fs::remove_dir_all(run.join("checkpoints")).unwrap();
    let out = trainlab(&["train", "--resume", run.to_str().unwrap()], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no checkpoint to resume from"), "{stderr}");
}

/// The Python with tensorboard (`cargo make setup`), or `None`: the test is skipped.
fn python() -> Option<std::path::PathBuf> {
    trainlab_tracking::tensorboard::tensorboard_python(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
    )
}

#[test]
fn tensorboard_reads_a_trainlab_run_scalars_config_misclassifications_and_hparams() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = trainlab(
        &[
            "train",
            "--epochs",
            "2",
            "--name",
            "tb",
            "--progress",
            "quiet",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tracking/tests/read_events.py");
    let read = Command::new(python)
        .arg(&script)
        .arg(dir.path().join("runs/default"))
        .output()
        .expect("the python that imported tensorboard runs");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    let run = &seen["runs"]["tb"];
    let steps_per_epoch = 45; // 1437 training digits in batches of 32
    let loss = run["scalars"]["train/loss"].as_array().unwrap();
    assert_eq!(loss.len(), 2 * steps_per_epoch);
    assert_eq!(loss[0][0], 1);
    let metrics = std::fs::read_to_string(dir.path().join("runs/default/tb/metrics.csv")).unwrap();
    let last_val: f64 = metrics
        .lines()
        .nth(2)
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .parse()
        .unwrap();
    let tb_val = run["scalars"]["val/loss"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()[1]
        .as_f64()
        .unwrap();
    assert!(
        (tb_val - last_val).abs() < 1e-6 * last_val,
        "{tb_val} vs {last_val}"
    );
    assert!(run["scalars"]["val/accuracy"].is_array());
    assert!(run["text"]["config"][0][1]
        .as_str()
        .unwrap()
        .contains("[optimizer]"));
    let images = run["images"].as_object().unwrap();
    assert!(
        images.keys().any(|k| k.starts_with("Misclassifications/")),
        "{:?}",
        images.keys()
    );
    assert!(
        !run["hparams"]["session_start"].is_null(),
        "{}",
        run["hparams"]
    );
}

#[test]
fn runs_lists_and_compare_marks_the_hyperparameters_that_differ() {
    let dir = tempfile::tempdir().unwrap();
    for (name, seed) in [("s0", "0"), ("s1", "1")] {
        let out = trainlab(
            &[
                "train",
                "--epochs",
                "1",
                "--name",
                name,
                "--seed",
                seed,
                "--progress",
                "quiet",
            ],
            dir.path(),
        );
        assert!(out.status.success());
    }
    let out = trainlab(&["runs"], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("default/s0")
            && stdout.contains("default/s1")
            && stdout.contains("completed"),
        "{stdout}"
    );

    let out = trainlab(
        &["compare", "runs/default/s0", "runs/default/s1"],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("*seed"), "{stdout}");
    assert!(
        !stdout.contains("*train.epochs"),
        "only what differs is marked: {stdout}"
    );
    assert!(
        stdout.contains("one hyperparameter differs (seed)"),
        "{stdout}"
    );

    let out = trainlab(&["compare", "runs/default", "--json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["differing"], serde_json::json!(["seed"]));
    assert_eq!(v["runs"].as_array().unwrap().len(), 2);
}
