//! One `trainlab train` run: the run directory, its files, and the progress a person sees.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use trainlab_diagnosis::{diagnose, Curves, Thresholds, Verdict};
use trainlab_plots::{
    Chart, ConfusionMatrix, GrayImage, ImageGrid, LearningCurves, LrSchedules, Series,
};
use trainlab_tracking::tensorboard::{HParamValue, HParams, Pixels, SessionStatus};
use trainlab_tracking::{CsvLog, EventWriter, RunDir, TrackingError};
use trainlab_training::{
    CheckpointPolicy, EpochMetrics, EvalMetrics, History, LoadedData, Outcome, RunInfo, Sink,
    StepMetrics, TrainConfig, TrainOptions, TrainReport, Warning,
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

const EPOCH_HEADER: [&str; 8] = [
    "epoch",
    "step",
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "lr",
    "seconds",
];
const STEP_HEADER: [&str; 7] = [
    "step",
    "epoch",
    "loss",
    "lr",
    "data_ms",
    "forward_backward_ms",
    "update_ms",
];

impl MetricsFiles {
    fn create(dir: &RunDir) -> Result<Self, TrackingError> {
        Ok(Self {
            epochs: CsvLog::create(&dir.file("metrics.csv"), &EPOCH_HEADER)?,
            steps: CsvLog::create(&dir.file("steps.csv"), &STEP_HEADER)?,
            error: None,
            info: None,
        })
    }

    /// Reopens a run's files after a checkpoint: rows past it (written before a kill) are dropped.
    fn resume(dir: &RunDir, epochs_completed: usize, step: u64) -> Result<Self, TrackingError> {
        let below = |field: &str, limit: u64| field.parse::<u64>().is_ok_and(|v| v < limit);
        Ok(Self {
            epochs: CsvLog::append(&dir.file("metrics.csv"), &EPOCH_HEADER, |r| {
                below(&r[0], epochs_completed as u64)
            })?,
            steps: CsvLog::append(&dir.file("steps.csv"), &STEP_HEADER, |r| {
                below(&r[0], step + 1)
            })?,
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

/// Writes TensorBoard event files: scalars per step and evaluation, the config as text, and the
/// run's hyperparameters for the HPARAMS tab. A write error is kept and reported at the end.
struct TensorBoard {
    writer: EventWriter,
    error: Option<TrackingError>,
}

impl TensorBoard {
    fn create(dir: &RunDir, config: &TrainConfig) -> Result<Self, TrackingError> {
        let mut writer = EventWriter::create(dir.path())?;
        let text = format!("```toml\n{}\n```", config.to_toml_string());
        writer.add_text("config", 0, &text)?;
        let mut hparams = HParams::new().metric("val/loss").metric("val/accuracy");
        let table: toml::Table =
            toml::from_str(&config.to_toml_string()).expect("the config is TOML");
        for (key, value) in flatten("", &table) {
            hparams = hparams.with(key, value);
        }
        writer.start_hparams(&hparams)?;
        Ok(Self {
            writer,
            error: None,
        })
    }

    fn keep(&mut self, r: Result<(), TrackingError>) {
        if let (Err(e), None) = (r, &self.error) {
            self.error = Some(e);
        }
    }
}

/// Every scalar of a TOML table as a dotted key: numbers, strings and booleans as themselves,
/// arrays (hidden widths, milestones) as text.
fn flatten(prefix: &str, table: &toml::Table) -> Vec<(String, HParamValue)> {
    let mut out = Vec::new();
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => out.extend(flatten(&key, t)),
            toml::Value::Integer(i) => out.push((key, HParamValue::from(*i))),
            toml::Value::Float(f) => out.push((key, HParamValue::from(*f))),
            toml::Value::Boolean(b) => out.push((key, HParamValue::from(*b))),
            toml::Value::String(s) => out.push((key, HParamValue::from(s.as_str()))),
            other => out.push((key, HParamValue::from(other.to_string()))),
        }
    }
    out
}

impl Sink for TensorBoard {
    fn on_step(&mut self, m: &StepMetrics) {
        let ms = m.timings.total().as_secs_f64() as f32 * 1e3;
        let r = self.writer.add_scalars(
            m.step,
            &[
                ("train/loss", m.loss),
                ("lr", m.lr as f32),
                ("time/iteration_ms", ms),
            ],
        );
        self.keep(r);
    }
    fn on_eval(&mut self, m: &EvalMetrics) {
        let mut values = vec![("val/loss", m.val_loss)];
        if let Some(a) = m.val_accuracy {
            values.push(("val/accuracy", a as f32));
        }
        let r = self.writer.add_scalars(m.step, &values);
        self.keep(r);
    }
    fn on_epoch(&mut self, m: &EpochMetrics) {
        let mut values = vec![
            ("epoch/train_loss", m.train_loss),
            ("epoch/val_loss", m.val_loss),
        ];
        if let Some(a) = m.train_accuracy {
            values.push(("epoch/train_accuracy", a as f32));
        }
        if let Some(a) = m.val_accuracy {
            values.push(("epoch/val_accuracy", a as f32));
        }
        let r = self.writer.add_scalars(m.step, &values);
        self.keep(r);
    }
    fn on_end(&mut self, outcome: &Outcome) {
        let status = match outcome {
            Outcome::Diverged { .. } => SessionStatus::Failure,
            _ => SessionStatus::Success,
        };
        let r = self
            .writer
            .end_hparams(status)
            .and_then(|()| self.writer.flush());
        self.keep(r);
    }
}

/// Up to 16 misclassified validation samples of each class, as image grids: TensorBoard's
/// "Misclassifications/<class>" images, for image data sets (8x8 digits, 32x32 CIFAR-10).
fn misclassified_images(
    tb: &mut TensorBoard,
    model: &trainlab_training::Mlp,
    data: &LoadedData,
    step: u64,
) -> Result<(), TrackingError> {
    let (side, channels) = match data.val.n_features {
        64 => (8usize, 1usize),
        3072 => (32, 3),
        _ => return Ok(()),
    };
    let (Some(labels), Some(n_classes)) = (data.val.labels(), data.val.n_classes()) else {
        return Ok(());
    };
    let logits = model.predict(&data.val.features);
    let scale = 4usize;
    for class in 0..n_classes {
        let wrong: Vec<usize> = (0..data.val.len())
            .filter(|&i| {
                labels[i] as usize == class
                    && argmax(&logits[i * n_classes..(i + 1) * n_classes]) != class
            })
            .take(16)
            .collect();
        if wrong.is_empty() {
            continue;
        }
        let tile = side * scale;
        let cols = wrong.len().min(4);
        let rows = wrong.len().div_ceil(cols);
        let (w, h) = (cols * (tile + 2), rows * (tile + 2));
        let mut pixels = vec![0u8; w * h * channels];
        for (k, &i) in wrong.iter().enumerate() {
            let mut row = data.val.row(i).to_vec();
            if let Some(s) = &data.standardizer {
                s.inverse_transform_row(&mut row);
            }
            let max = if side == 8 { 16.0 } else { 255.0 };
            let (ox, oy) = ((k % cols) * (tile + 2) + 1, (k / cols) * (tile + 2) + 1);
            for y in 0..tile {
                for x in 0..tile {
                    for c in 0..channels {
                        // digits: one channel; CIFAR: channel-first planes
                        let src = c * side * side + (y / scale) * side + x / scale;
                        let v = (row[src] / max * 255.0).clamp(0.0, 255.0) as u8;
                        pixels[((oy + y) * w + ox + x) * channels + c] = v;
                    }
                }
            }
        }
        let image = Pixels {
            width: w as u32,
            height: h as u32,
            channels: channels as u8,
            data: &pixels,
        };
        tb.writer
            .add_image_pixels(&format!("Misclassifications/{class}"), step, &image)?;
    }
    Ok(())
}

fn argmax(row: &[f32]) -> usize {
    (0..row.len()).fold(0, |best, i| if row[i] > row[best] { i } else { best })
}

/// Where a run starts: a fresh config, or the newest checkpoint of an existing run.
pub enum Start {
    /// A new run directory for this config.
    Fresh(TrainConfig),
    /// Continue `RUN_DIR` from its newest checkpoint; optionally with more epochs.
    Resume {
        /// The run directory.
        run_dir: PathBuf,
        /// A new `train.epochs` (to train longer than first planned).
        epochs: Option<usize>,
    },
}

/// Trains `config` into a new run directory: [`train_from`] with [`Start::Fresh`].
pub fn train_run(config: &TrainConfig, opts: &RunOptions) -> anyhow::Result<Finished> {
    train_from(Start::Fresh(config.clone()), opts)
}

/// Trains, writing the run directory: `config.toml` (the config used, defaults filled in),
/// `metrics.csv`, `steps.csv`, `checkpoints/`, TensorBoard events, `curves.png`, and
/// `summary.json` (with the diagnosis, and with `--final` the one evaluation on the sealed test
/// set). A resumed run continues the same files from its newest checkpoint.
pub fn train_from(start: Start, opts: &RunOptions) -> anyhow::Result<Finished> {
    let (config, dir, checkpoint) = match start {
        Start::Fresh(config) => {
            config.validate()?;
            let dir = RunDir::create(&opts.runs_dir, &opts.experiment, opts.name.as_deref())?;
            (config, dir, None)
        }
        Start::Resume { run_dir, epochs } => {
            let dir = RunDir::open(&run_dir)?;
            let mut config = TrainConfig::from_file(&dir.file("config.toml"))?;
            if let Some(e) = epochs {
                config.train.epochs = e;
            }
            config.validate()?;
            let checkpoint = trainlab_training::latest_checkpoint(&dir.file("checkpoints"))
                .with_context(|| format!("resuming {}", run_dir.display()))?;
            (config, dir, Some(checkpoint))
        }
    };
    let data = trainlab_training::load_data(&config)?;
    dir.write_atomic("config.toml", config.to_toml_string().as_bytes())?;
    let mut files = match &checkpoint {
        None => MetricsFiles::create(&dir)?,
        Some(c) => MetricsFiles::resume(&dir, c.meta.epochs_completed, c.meta.step)?,
    };
    let mut console = Console {
        mode: opts.progress,
        bar: None,
        epochs: 0,
    };
    let mut history = History::default();
    let mut tensorboard = match opts.tensorboard {
        true => Some(TensorBoard::create(&dir, &config)?),
        false => None,
    };
    let checkpoints = (opts.keep_checkpoints > 0).then(|| CheckpointPolicy {
        dir: dir.file("checkpoints"),
        keep_last: opts.keep_checkpoints,
    });
    let resumed = checkpoint.is_some();
    let trained = {
        let mut sinks: Vec<&mut dyn Sink> = vec![&mut files, &mut console, &mut history];
        if let Some(tb) = tensorboard.as_mut() {
            sinks.push(tb);
        }
        trainlab_training::train_on_with(
            &config,
            &data.train,
            &data.val,
            &mut sinks,
            TrainOptions {
                checkpoints,
                resume: checkpoint,
            },
        )
        .with_context(|| format!("training run {}", dir.path().display()))?
    };
    if let Some(e) = files.error.take() {
        return Err(e).context("writing the metrics files");
    }
    if let Some(mut tb) = tensorboard {
        let r = misclassified_images(&mut tb, &trained.model, &data, trained.report.steps)
            .and_then(|()| tb.writer.flush());
        if let Some(e) = tb.error.take().or(r.err()) {
            return Err(e).context("writing the TensorBoard events");
        }
    }
    // A resumed run's history holds only the epochs after the checkpoint: read the whole curve.
    let mut curves = if resumed {
        Curves::from_csv(&dir.file("metrics.csv"))?
    } else {
        history.curves()
    };
    if let Outcome::Diverged { step, .. } = &trained.report.outcome {
        curves.diverged_at_step = Some(*step);
    }
    let diagnosis = diagnose(&curves, &Thresholds::default());
    save_curves_png(&dir, &curves)?;
    save_run_charts(&dir, &history, &trained.model, &data)?;
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

/// `lr.png` (the learning rate at every step), and for classification `confusion.png` (the
/// validation confusion matrix) and, for the 8x8 digits, `predictions.png` (input, prediction
/// and ground truth of the first validation samples, mistakes framed).
fn save_run_charts(
    dir: &RunDir,
    history: &History,
    model: &trainlab_training::Mlp,
    data: &LoadedData,
) -> anyhow::Result<()> {
    if !history.steps.is_empty() {
        let lr = Series::new(
            "learning rate",
            history.steps.iter().map(|s| s.step as f64).collect(),
            history.steps.iter().map(|s| s.lr).collect(),
        );
        let chart = LrSchedules::new("Learning rate per step", vec![lr]);
        trainlab_plots::save_png(&chart, &dir.file("lr.png"), chart.default_size())
            .context("drawing lr.png")?;
    }
    let (Some(labels), Some(n_classes)) = (data.val.labels(), data.val.n_classes()) else {
        return Ok(());
    };
    if data.val.is_empty() {
        return Ok(());
    }
    let logits = model.predict(&data.val.features);
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
    if data.val.n_features == 64 {
        let n = data.val.len().min(24);
        let images = (0..n)
            .map(|i| {
                let mut row = data.val.row(i).to_vec();
                if let Some(s) = &data.standardizer {
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
