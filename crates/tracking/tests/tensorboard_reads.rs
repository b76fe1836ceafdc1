//! The test that matters: the real `tensorboard` Python package reads our event files.
//!
//! Writes two runs of a small search (scalars at several steps, the config as text, images,
//! hparams) into a temporary log directory, runs `tests/read_events.py` (TensorBoard's
//! EventAccumulator, text plugin, Pillow and the hparams plugin's ListSessionGroups handler) on
//! it, and checks tags, steps and values against what was written. Scalars must come back
//! exactly: an f32 read by Python as a double and cast back is the same f32.
//!
//! Python: `$TRAINLAB_PYTHON` if set, else `<repo>/.venv/bin/python` (`cargo make setup`). Without
//! a Python that imports tensorboard the test is skipped with a message, so `cargo test` passes
//! with only the Rust toolchain; `cargo make test` (and so CI, after `cargo make setup`) sets
//! `TRAINLAB_REQUIRE_TENSORBOARD=1`, which turns the skip into a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use trainlab_tracking::tensorboard::{EventWriter, HParams, Pixels, SessionStatus};

fn python() -> Option<PathBuf> {
    trainlab_tracking::tensorboard::tensorboard_python(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
    )
}

fn read_with_tensorboard(python: &Path, logdir: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read_events.py");
    let out = Command::new(python)
        .arg(&script)
        .arg(logdir)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "read_events.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("read_events.py prints JSON")
}

/// One run as written: (step, train loss, val loss, val accuracy).
struct Run {
    name: &'static str,
    lr: f64,
    optimizer: &'static str,
    nesterov: bool,
    curve: Vec<(u64, f32, f32, f32)>,
    status: SessionStatus,
}

const CONFIG_MD: &str = "# Config\n\n**lr** = 0.1, optimizer = `adam`";

fn gray() -> Vec<u8> {
    vec![0, 50, 100, 150, 200, 255] // 3 x 2
}

fn rgb() -> Vec<u8> {
    (0..2 * 2 * 3).map(|i| (i * 20) as u8).collect() // 2 x 2 x 3
}

fn write_run(logdir: &Path, run: &Run) {
    let dir = logdir.join(run.name);
    std::fs::create_dir_all(&dir).unwrap();
    let mut tb = EventWriter::create(&dir).unwrap();
    let hparams = HParams::new()
        .with("lr", run.lr)
        .with("optimizer", run.optimizer)
        .with("nesterov", run.nesterov)
        .with("width", 64usize)
        .metric("val/loss")
        .metric("val/accuracy");
    tb.start_hparams(&hparams).unwrap();
    tb.add_text("config", 0, CONFIG_MD).unwrap();
    for &(step, train, val, acc) in &run.curve {
        tb.add_scalar("train/loss", step, train).unwrap();
        tb.add_scalars(step, &[("val/loss", val), ("val/accuracy", acc)])
            .unwrap();
    }
    let gray = gray();
    let px = Pixels {
        width: 3,
        height: 2,
        channels: 1,
        data: &gray,
    };
    tb.add_image_pixels("misclassified/cat", 20, &px).unwrap();
    let rgb = rgb();
    let px = Pixels {
        width: 2,
        height: 2,
        channels: 3,
        data: &rgb,
    };
    tb.add_image_pixels("misclassified/cat", 30, &px).unwrap();
    tb.end_hparams(run.status).unwrap();
    tb.flush().unwrap();
}

fn runs() -> Vec<Run> {
    vec![
        Run {
            name: "lr-0.1",
            lr: 0.1,
            optimizer: "adam",
            nesterov: false,
            curve: vec![
                (0, 2.3, 2.31, 0.1),
                (10, 0.7, 0.8, 0.75),
                (20, 0.31, 0.45, 0.875),
            ],
            status: SessionStatus::Success,
        },
        Run {
            name: "lr-1",
            lr: 1.0,
            optimizer: "sgd",
            nesterov: true,
            curve: vec![(0, 2.3, 2.4, 0.1), (10, f32::NAN, f32::NAN, 0.0)],
            status: SessionStatus::Failure,
        },
    ]
}

fn f32_of(v: &Value) -> f32 {
    // json.dumps writes NaN as the bare token NaN, which serde_json cannot parse: the script
    // never emits NaN itself; see `scalar_rows`.
    v.as_f64().expect("a number") as f32
}

/// `[[step, value], ...]` as read; NaN arrives as JSON null (replaced before printing).
fn scalar_rows(v: &Value) -> Vec<(u64, Option<f32>)> {
    v.as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let step = row[0].as_u64().expect("step");
            let value = (!row[1].is_null()).then(|| f32_of(&row[1]));
            (step, value)
        })
        .collect()
}

#[test]
fn tensorboard_reads_scalars_text_images_and_hparams() {
    let Some(python) = python() else { return };
    let logdir = tempfile::tempdir().unwrap();
    let runs = runs();
    for run in &runs {
        write_run(logdir.path(), run);
    }
    let got = read_with_tensorboard(&python, logdir.path());

    assert_eq!(got["tensorboard"], "2.21.0", "the pinned version reads it");

    for run in &runs {
        let r = &got["runs"][run.name];
        // EventAccumulator parses "brain.Event:2" into the number after the colon.
        assert_eq!(r["file_version"], 2.0, "{}", run.name);

        // Scalars: every step, exactly.
        let expect = |pick: fn(&(u64, f32, f32, f32)) -> f32| -> Vec<(u64, Option<f32>)> {
            run.curve
                .iter()
                .map(|c| (c.0, Some(pick(c)).filter(|v| !v.is_nan())))
                .collect()
        };
        assert_eq!(
            scalar_rows(&r["scalars"]["train/loss"]),
            expect(|c| c.1),
            "{} train/loss",
            run.name
        );
        assert_eq!(
            scalar_rows(&r["scalars"]["val/loss"]),
            expect(|c| c.2),
            "{} val/loss",
            run.name
        );
        assert_eq!(
            scalar_rows(&r["scalars"]["val/accuracy"]),
            expect(|c| c.3),
            "{} val/accuracy",
            run.name
        );
        let mut tags: Vec<&str> = r["scalars"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        tags.sort_unstable();
        assert_eq!(tags, ["train/loss", "val/accuracy", "val/loss"]);

        // Text: the markdown itself, and the text plugin renders it as markdown.
        let text = &r["text"]["config"][0];
        assert_eq!(text[0], 0);
        assert_eq!(text[1], CONFIG_MD);
        let html = text[2].as_str().unwrap();
        assert!(
            html.contains("<h1>Config</h1>") && html.contains("<strong>lr</strong>"),
            "{html}"
        );

        // Images: both steps, sizes, and the pixels Pillow decodes from our PNGs.
        let images = r["images"]["misclassified/cat"].as_array().unwrap();
        assert_eq!(images.len(), 2);
        let pixels = |v: &Value| -> Vec<u8> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u8)
                .collect()
        };
        assert_eq!(
            (&images[0][0], &images[0][1], &images[0][2], &images[0][3]),
            (&20.into(), &3.into(), &2.into(), &"L".into())
        );
        assert_eq!(pixels(&images[0][4]), gray());
        assert_eq!(
            (&images[1][0], &images[1][1], &images[1][2], &images[1][3]),
            (&30.into(), &2.into(), &2.into(), &"RGB".into())
        );
        assert_eq!(pixels(&images[1][4]), rgb());

        // Hparams: experiment columns, this run's values, its status.
        let h = &r["hparams"];
        let infos: Vec<(&str, &str)> = h["experiment"]["hparam_infos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["name"].as_str().unwrap(), i["type"].as_str().unwrap()))
            .collect();
        assert_eq!(
            infos,
            [
                ("lr", "DATA_TYPE_FLOAT64"),
                ("nesterov", "DATA_TYPE_BOOL"),
                ("optimizer", "DATA_TYPE_STRING"),
                ("width", "DATA_TYPE_FLOAT64")
            ]
        );
        let metrics: Vec<&str> = h["experiment"]["metric_infos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"]["tag"].as_str().unwrap())
            .collect();
        assert_eq!(metrics, ["val/loss", "val/accuracy"]);
        let start = &h["session_start"]["hparams"];
        assert_eq!(start["lr"], run.lr);
        assert_eq!(start["optimizer"], run.optimizer);
        assert_eq!(start["nesterov"], run.nesterov);
        assert_eq!(start["width"], 64.0);
        let status = match run.status {
            SessionStatus::Success => "STATUS_SUCCESS",
            _ => "STATUS_FAILURE",
        };
        assert_eq!(h["session_end"]["status"], status);
    }

    // The HPARAMS tab: one session group per run, with its values, status and last metrics.
    let groups = got["session_groups"].as_array().expect("session groups");
    assert_eq!(groups.len(), runs.len(), "{groups:#?}");
    for run in &runs {
        let group = groups
            .iter()
            .find(|g| g["name"] == run.name)
            .unwrap_or_else(|| panic!("no session group {}: {groups:#?}", run.name));
        assert_eq!(group["hparams"]["lr"], run.lr);
        assert_eq!(group["hparams"]["optimizer"], run.optimizer);
        let session = &group["sessions"][0];
        assert_eq!(
            session["status"],
            if run.status == SessionStatus::Success {
                "STATUS_SUCCESS"
            } else {
                "STATUS_FAILURE"
            }
        );
        let last = run.curve.last().unwrap();
        let metric = |tag: &str| {
            session["metric_values"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["name"]["tag"] == tag)
                .map(|m| (m["training_step"].as_u64(), m["value"].clone()))
        };
        if last.2.is_nan() {
            // JSON has no NaN: the hparams plugin's proto_to_json writes it as the string "NaN".
            assert_eq!(metric("val/loss"), Some((Some(last.0), Value::from("NaN"))));
        } else {
            assert_eq!(
                metric("val/loss").map(|m| (m.0, f32_of(&m.1))),
                Some((Some(last.0), last.2))
            );
        }
        assert_eq!(
            metric("val/accuracy").map(|m| (m.0, f32_of(&m.1))),
            Some((Some(last.0), last.3))
        );
    }
}

/// Set in the child process of `a_killed_run_keeps_its_events`: the run directory to write to.
const CHILD_DIR: &str = "TRAINLAB_TB_KILL_CHILD_DIR";
/// Steps the child writes before it says it is ready to be killed.
const CHILD_STEPS: u64 = 50;

/// Not a test of its own: in the child process it writes events and waits to be killed.
#[test]
fn child_writes_until_killed() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return; // the normal test run: nothing to do
    };
    let dir = PathBuf::from(dir);
    let mut tb = EventWriter::create(&dir).unwrap();
    for step in 0..CHILD_STEPS {
        tb.add_scalar("train/loss", step, 1.0 / (step + 1) as f32)
            .unwrap();
    }
    std::fs::write(dir.join("ready"), "").unwrap();
    // No flush, no drop: the parent kills this process with SIGKILL while it sleeps.
    std::thread::sleep(std::time::Duration::from_secs(60));
}

#[test]
fn a_killed_run_keeps_its_events() {
    let Some(python) = python() else { return };
    let logdir = tempfile::tempdir().unwrap();
    let dir = logdir.path().join("killed");
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_writes_until_killed", "--nocapture"])
        .env(CHILD_DIR, &dir)
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !dir.join("ready").exists() {
        assert!(start.elapsed().as_secs() < 60, "the child never got ready");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush runs
    child.wait().unwrap();

    let got = read_with_tensorboard(&python, logdir.path());
    let rows = scalar_rows(&got["runs"]["killed"]["scalars"]["train/loss"]);
    let expect: Vec<(u64, Option<f32>)> = (0..CHILD_STEPS)
        .map(|step| (step, Some(1.0 / (step + 1) as f32)))
        .collect();
    assert_eq!(rows, expect);
}
