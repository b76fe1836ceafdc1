//! One `trainlab train` run: the run directory, its files, and the progress a person sees.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use trainlab_diagnosis::{Thresholds, Verdict};
use trainlab_tracking::{CsvLog, RunDir, TrackingError};
use trainlab_training::{
    EpochMetrics, History, Outcome, RunInfo, Sink, StepMetrics, TrainConfig, TrainReport, Warning,
};

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar (on a terminal).
    Bar,
    /// One plain line per epoch (when output is not a terminal: logs, CI).
    Lines,
    /// Nothing.
    Quiet,
}

impl Progress {
    /// A bar when standard error is a terminal, plain lines otherwise.
    pub fn auto() -> Self {
        if std::io::stderr().is_terminal() {
            Progress::Bar
        } else {
            Progress::Lines
        }
    }
}

/// Where a run goes and how it is shown.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The runs root. Default: `runs`.
    pub runs_dir: PathBuf,
    /// The experiment (a folder under the root). Default: `default`.
    pub experiment: String,
    /// The run's name; default: the UTC time.
    pub name: Option<String>,
    /// How progress is shown.
    pub progress: Progress,
    /// Evaluate once on the sealed test set after training (`--final`), and record it.
    pub final_evaluation: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            runs_dir: PathBuf::from("runs"),
            experiment: "default".to_string(),
            name: None,
            progress: Progress::Lines,
            final_evaluation: false,
        }
    }
}

/// The one evaluation on the sealed test set, as recorded in `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct FinalTest {
    /// Mean loss on the test set.
    pub loss: f32,
    /// Accuracy on the test set (classification only).
    pub accuracy: Option<f64>,
    /// Test samples.
    pub n_test: usize,
    /// When it ran (UTC, RFC 3339).
    pub at: String,
}

/// What `summary.json` holds.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// The run's shape.
    pub info: Option<RunInfo>,
    /// Final and best metrics, timings and the outcome.
    pub report: TrainReport,
    /// The learning-curve diagnosis: verdicts with evidence and advice.
    pub diagnosis: Vec<Verdict>,
    /// The sealed test set's one evaluation, if `--final` asked for it.
    pub final_test: Option<FinalTest>,
}

/// A finished run.
#[derive(Debug)]
pub struct Finished {
    /// Where its files are.
    pub dir: RunDir,
    /// Its numbers.
    pub report: TrainReport,
    /// The diagnosis of its learning curves.
    pub diagnosis: Vec<Verdict>,
    /// The test-set evaluation, with `--final`.
    pub final_test: Option<FinalTest>,
}

/// Writes `metrics.csv` (one row per epoch) and `steps.csv` (one row per iteration), flushed row
/// by row. A write error is kept and reported when the run ends.
struct MetricsFiles {
    epochs: CsvLog,
    steps: CsvLog,
    error: Option<TrackingError>,
    info: Option<RunInfo>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl MetricsFiles {
    fn create(dir: &RunDir) -> Result<Self, TrackingError> {
        Ok(Self {
            epochs: CsvLog::create(
                &dir.file("metrics.csv"),
                &[
                    "epoch",
                    "step",
                    "train_loss",
                    "train_accuracy",
                    "val_loss",
                    "val_accuracy",
                    "lr",
                    "seconds",
                ],
            )?,
            steps: CsvLog::create(
                &dir.file("steps.csv"),
                &[
                    "step",
                    "epoch",
                    "loss",
                    "lr",
                    "data_ms",
                    "forward_backward_ms",
                    "update_ms",
                ],
            )?,
            error: None,
            info: None,
        })
    }

    fn keep(&mut self, r: Result<(), TrackingError>) {
        if let (Err(e), None) = (r, &self.error) {
            self.error = Some(e);
        }
    }
}

impl Sink for MetricsFiles {
    fn on_start(&mut self, info: &RunInfo) {
        self.info = Some(info.clone());
    }
    fn on_step(&mut self, m: &StepMetrics) {
        let ms = |d: std::time::Duration| format!("{:.4}", d.as_secs_f64() * 1e3);
        let r = self.steps.row([
            m.step.to_string(),
            m.epoch.to_string(),
            m.loss.to_string(),
            m.lr.to_string(),
            ms(m.timings.data),
            ms(m.timings.forward_backward),
            ms(m.timings.update),
        ]);
        self.keep(r);
    }
    fn on_epoch(&mut self, m: &EpochMetrics) {
        let r = self.epochs.row([
            m.epoch.to_string(),
            m.step.to_string(),
            m.train_loss.to_string(),
            opt(m.train_accuracy),
            m.val_loss.to_string(),
            opt(m.val_accuracy),
            m.lr.to_string(),
            format!("{:.4}", m.seconds),
        ]);
        self.keep(r);
    }
}

/// Shows progress to a person: a bar on a terminal, or one line per epoch.
struct Console {
    mode: Progress,
    bar: Option<ProgressBar>,
    epochs: usize,
}

impl Console {
    fn say(&self, line: &str) {
        match (&self.bar, self.mode) {
            (_, Progress::Quiet) => {}
            (Some(bar), _) => bar.println(line),
            (None, _) => eprintln!("{line}"),
        }
    }
}

fn percent(v: Option<f64>) -> String {
    v.map(|a| format!("{:.1}%", a * 100.0))
        .unwrap_or_else(|| "-".into())
}

impl Sink for Console {
    fn on_start(&mut self, info: &RunInfo) {
        self.epochs = info.epochs;
        self.say(&format!(
            "training {:?} ({} parameters) on {} samples, validating on {}: {} epochs of {} steps",
            info.layer_sizes,
            info.n_params,
            info.n_train,
            info.n_val,
            info.epochs,
            info.steps_per_epoch
        ));
        if self.mode == Progress::Bar {
            let bar = ProgressBar::new((info.epochs * info.steps_per_epoch) as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} steps  {msg}  eta {eta}")
                    .expect("the template is valid"),
            );
            self.bar = Some(bar);
        }
    }
    fn on_step(&mut self, m: &StepMetrics) {
        if let Some(bar) = &self.bar {
            bar.set_position(m.step);
            bar.set_message(format!(
                "epoch {} loss {:.4} lr {:.2e}",
                m.epoch + 1,
                m.loss,
                m.lr
            ));
        }
    }
    fn on_epoch(&mut self, m: &EpochMetrics) {
        self.say(&format!(
            "epoch {:>3}/{}  train loss {:.4}  acc {:>6}  val loss {:.4}  acc {:>6}  lr {:.2e}  {:.2} s",
            m.epoch + 1,
            self.epochs,
            m.train_loss,
            percent(m.train_accuracy),
            m.val_loss,
            percent(m.val_accuracy),
            m.lr,
            m.seconds
        ));
    }
    fn on_warning(&mut self, w: &Warning) {
        self.say(&format!("warning: {w}"));
    }
    fn on_end(&mut self, outcome: &Outcome) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if let Outcome::Diverged { step, loss, .. } = outcome {
            self.say(&format!(
                "diverged: the loss became {loss} at step {step}; stopped"
            ));
        }
    }
}

/// Trains `config`, writing the run directory: `config.toml` (the config used, defaults filled
/// in), `metrics.csv`, `steps.csv` and `summary.json` (with the diagnosis, and with `--final` the
/// one evaluation on the sealed test set).
pub fn train_run(config: &TrainConfig, opts: &RunOptions) -> anyhow::Result<Finished> {
    config.validate()?;
    let data = trainlab_training::load_data(config)?;
    let dir = RunDir::create(&opts.runs_dir, &opts.experiment, opts.name.as_deref())?;
    dir.write_atomic("config.toml", config.to_toml_string().as_bytes())?;
    let mut files = MetricsFiles::create(&dir)?;
    let mut console = Console {
        mode: opts.progress,
        bar: None,
        epochs: 0,
    };
    let mut history = History::default();
    let trained = trainlab_training::train_on(
        config,
        &data.train,
        &data.val,
        &mut [&mut files, &mut console, &mut history],
    )
    .with_context(|| format!("training run {}", dir.path().display()))?;
    if let Some(e) = files.error.take() {
        return Err(e).context("writing the metrics files");
    }
    let diagnosis = history.diagnose(&Thresholds::default());
    let final_test = opts.final_evaluation.then(|| {
        let evaluation = data.test.evaluate_final(|indices| {
            trainlab_training::evaluate(&trained.model, &data.all.subset(indices), 0)
        });
        FinalTest {
            loss: evaluation.result.0,
            accuracy: evaluation.result.1,
            n_test: evaluation.n_test,
            at: humantime::format_rfc3339_seconds(evaluation.at).to_string(),
        }
    });
    dir.write_json(
        "summary.json",
        &Summary {
            info: files.info.take(),
            report: trained.report.clone(),
            diagnosis: diagnosis.clone(),
            final_test: final_test.clone(),
        },
    )?;
    Ok(Finished {
        dir,
        report: trained.report,
        diagnosis,
        final_test,
    })
}
