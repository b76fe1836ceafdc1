//! One `trainlab train` run: the run directory, its files, and the progress a person sees.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use trainlab_data::{Dataset, Standardizer};
use trainlab_diagnosis::{Curves, Verdict};
use trainlab_plots::{
    Chart, ConfusionMatrix, GrayImage, ImageGrid, LearningCurves, LrSchedules, Series,
};
use trainlab_runs::{record_run, FinalTest, RecordOptions};
use trainlab_tracking::RunDir;
use trainlab_training::{
    argmax, EpochMetrics, History, Outcome, RunInfo, Sink, StepMetrics, TrainConfig, TrainReport,
    Warning,
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
    /// Checkpoints to keep (the newest; `best` is kept besides). 0: write none.
    pub keep_checkpoints: usize,
    /// Write TensorBoard event files into the run directory.
    pub tensorboard: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            runs_dir: PathBuf::from("runs"),
            experiment: "default".to_string(),
            name: None,
            progress: Progress::Lines,
            final_evaluation: false,
            keep_checkpoints: 3,
            tensorboard: true,
        }
    }
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

/// Where a run starts: a fresh config, or the newest checkpoint of an existing run.
pub enum Start {
    /// A new run directory for this config.
    Fresh(Box<TrainConfig>),
    /// Continue `RUN_DIR` from its newest checkpoint; optionally with more epochs.
    Resume {
        /// The run directory.
        run_dir: PathBuf,
        /// A new `train.epochs` (to train longer than first planned).
        epochs: Option<usize>,
    },
}

/// Trains, writing the run directory: `config.toml` (the config used, defaults filled in),
/// `metrics.csv`, `steps.csv`, `checkpoints/`, TensorBoard events, `summary.json` (with the
/// diagnosis, and with `--final` the one evaluation on the sealed test set), and the charts
/// `curves.png`, `lr.png`, `confusion.png`, `predictions.png`. A resumed run continues the same
/// files from its newest checkpoint. The config is validated once, by its plan, before the run
/// directory exists.
pub fn train(start: Start, opts: &RunOptions) -> anyhow::Result<Finished> {
    let (plan, dir, checkpoint) = match start {
        Start::Fresh(config) => {
            let plan = config.plan()?;
            let dir = RunDir::create(&opts.runs_dir, &opts.experiment, opts.name.as_deref())?;
            (plan, dir, None)
        }
        Start::Resume { run_dir, epochs } => {
            let dir = RunDir::open(&run_dir)?;
            let mut config = TrainConfig::from_file(&dir.file("config.toml"))?;
            if let Some(e) = epochs {
                config.train.epochs = e;
            }
            let plan = config.plan()?;
            let checkpoint = trainlab_training::latest_checkpoint(&dir.file("checkpoints"))
                .with_context(|| format!("resuming {}", run_dir.display()))?;
            (plan, dir, Some(checkpoint))
        }
    };
    let notes = plan.notes().to_vec();
    let mut console = Console {
        mode: opts.progress,
        bar: None,
        epochs: 0,
    };
    let record = RecordOptions {
        keep_checkpoints: opts.keep_checkpoints,
        tensorboard: opts.tensorboard,
        final_evaluation: opts.final_evaluation,
    };
    for note in &notes {
        console.say(&format!("note: {note}"));
    }
    let r = record_run(plan, &dir, checkpoint, &record, &mut [&mut console])
        .with_context(|| format!("training run {}", dir.path().display()))?;
    save_curves_png(&dir, &r.curves)?;
    save_run_charts(
        &dir,
        &r.history,
        &r.trained.model,
        &r.val,
        r.standardizer.as_ref(),
    )?;
    Ok(Finished {
        dir,
        report: r.trained.report,
        diagnosis: r.diagnosis,
        final_test: r.final_test,
    })
}

/// `lr.png` (the learning rate at every step), and for classification `confusion.png` (the
/// validation confusion matrix) and, for the 8x8 digits, `predictions.png` (input, prediction
/// and ground truth of the first validation samples, mistakes framed).
fn save_run_charts(
    dir: &RunDir,
    history: &History,
    model: &trainlab_training::Mlp,
    val: &Dataset,
    standardizer: Option<&Standardizer>,
) -> anyhow::Result<()> {
    if !history.steps.is_empty() {
        let lr = Series::new(
            "learning rate",
            history.steps.iter().map(|s| s.step as f64).collect(),
            history.steps.iter().map(|s| f64::from(s.lr)).collect(),
        );
        let chart = LrSchedules::new("Learning rate per step", vec![lr]);
        trainlab_plots::save_png(&chart, &dir.file("lr.png"), chart.default_size())
            .context("drawing lr.png")?;
    }
    let (Some(labels), Some(n_classes)) = (val.labels(), val.n_classes()) else {
        return Ok(());
    };
    if val.is_empty() {
        return Ok(());
    }
    let logits = model.predict(&val.features);
    let predicted: Vec<usize> = logits.chunks(n_classes).map(argmax).collect();
    let truth: Vec<usize> = labels.iter().map(|&l| l as usize).collect();
    let names: Vec<String> = (0..n_classes).map(|c| c.to_string()).collect();
    let chart = ConfusionMatrix::from_predictions(
        "Validation confusion matrix",
        names.clone(),
        &truth,
        &predicted,
    )
    .context("the confusion matrix")?;
    trainlab_plots::save_png(&chart, &dir.file("confusion.png"), chart.default_size())
        .context("drawing confusion.png")?;
    if val.n_features == 64 {
        let n = val.len().min(24);
        let images = (0..n)
            .map(|i| {
                let mut row = val.row(i).to_vec();
                if let Some(s) = standardizer {
                    s.inverse_transform_row(&mut row);
                }
                GrayImage::new(8, 8, row.iter().map(|v| v / 16.0).collect())
            })
            .collect();
        let chart = ImageGrid::classification(
            "Validation samples: input, prediction and ground truth",
            8,
            images,
            predicted[..n].iter().map(|p| names[*p].clone()).collect(),
            truth[..n].iter().map(|t| names[*t].clone()).collect(),
        )
        .context("the prediction grid")?;
        trainlab_plots::save_png(&chart, &dir.file("predictions.png"), chart.default_size())
            .context("drawing predictions.png")?;
    }
    Ok(())
}

/// `curves.png`: train and validation loss (and accuracy), the validation minimum marked.
fn save_curves_png(dir: &RunDir, c: &Curves) -> anyhow::Result<()> {
    if c.is_empty() {
        return Ok(());
    }
    let acc = |e: &Option<Vec<f64>>| {
        e.as_ref()
            .map(|v| v.iter().map(|x| 1.0 - x).collect())
            .unwrap_or_default()
    };
    let chart = LearningCurves::train_val(
        "Learning curves",
        c.epochs.iter().map(|e| e + 1.0).collect(),
        c.train_loss.clone(),
        c.val_loss.clone(),
        acc(&c.train_error),
        acc(&c.val_error),
    );
    trainlab_plots::save_png(&chart, &dir.file("curves.png"), chart.default_size())
        .context("drawing curves.png")
}
