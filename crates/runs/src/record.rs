//! Recording a run into its directory: `config.toml`, `metrics.csv`, `steps.csv`,
//! `checkpoints/`, TensorBoard events and `summary.json`, for `trainlab train` and for every
//! trial of a search alike, so every run directory reads the same.

use serde::Serialize;

use trainlab_data::{Dataset, Standardizer};
use trainlab_diagnosis::{diagnose, Curves, Thresholds, Verdict};
use trainlab_tracking::tensorboard::{HParamValue, HParams, Pixels, SessionStatus};
use trainlab_tracking::{CsvLog, EventWriter, RunDir, TrackingError};
use trainlab_training::{
    argmax, Checkpoint, EpochMetrics, EvalMetrics, History, Mlp, Outcome, Plan, Progress, RunInfo,
    Sink, StepMetrics, TrainConfig, TrainError, TrainReport, Trained, Trainer,
};

use crate::RecordError;

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

/// Writes `metrics.csv` (one row per epoch) and `steps.csv` (one row per iteration), flushed row
/// by row. A write error is kept and reported when the run ends.
pub struct MetricsFiles {
    epochs: CsvLog,
    steps: CsvLog,
    error: Option<TrackingError>,
    info: Option<RunInfo>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The columns of `metrics.csv`.
pub const EPOCH_HEADER: [&str; 8] = [
    "epoch",
    "step",
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "lr",
    "seconds",
];
/// The columns of `steps.csv`.
pub const STEP_HEADER: [&str; 7] = [
    "step",
    "epoch",
    "loss",
    "lr",
    "data_ms",
    "forward_backward_ms",
    "update_ms",
];

impl MetricsFiles {
    /// Creates both files in a new run directory.
    pub fn create(dir: &RunDir) -> Result<Self, TrackingError> {
        Ok(Self {
            epochs: CsvLog::create(&dir.file("metrics.csv"), &EPOCH_HEADER)?,
            steps: CsvLog::create(&dir.file("steps.csv"), &STEP_HEADER)?,
            error: None,
            info: None,
        })
    }

    /// Reopens a run's files after a checkpoint: rows past it (written before a kill) are dropped.
    pub fn resume(dir: &RunDir, epochs_completed: usize, step: u64) -> Result<Self, TrackingError> {
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
    /// The first failed write stops the run (a full disk): training on without its log would
    /// only lose more.
    fn stop_requested(&self) -> Option<String> {
        self.error.as_ref().map(|e| e.to_string())
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

/// Writes TensorBoard event files: scalars per step and evaluation, the config as text, and the
/// run's hyperparameters for the HPARAMS tab. A write error is kept and reported at the end.
pub struct TensorBoard {
    writer: EventWriter,
    error: Option<TrackingError>,
}

impl TensorBoard {
    /// Creates the event file, writes the config as text and starts the hparams session.
    pub fn create(dir: &RunDir, config: &TrainConfig) -> Result<Self, TrackingError> {
        let mut writer = EventWriter::create(dir.path())?;
        let text = format!("```toml\n{}\n```", config.to_toml_string());
        writer.add_text("config", 0, &text)?;
        let mut hparams = HParams::new().metric("val/loss").metric("val/accuracy");
        let table: toml::Table =
            toml::from_str(&config.to_toml_string()).expect("the config is TOML");
        for (key, value) in flatten_toml(&table) {
            hparams = hparams.with(key, hparam(value));
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

/// Every leaf of a TOML table under its dotted key (`optimizer.alpha`), tables flattened, in
/// the table's order: what TensorBoard's hparams and `trainlab compare` show of a config.
pub fn flatten_toml(table: &toml::Table) -> Vec<(String, toml::Value)> {
    fn walk(prefix: &str, table: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
        for (k, v) in table {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(t) => walk(&key, t, out),
                other => out.push((key, other.clone())),
            }
        }
    }
    let mut out = Vec::new();
    walk("", table, &mut out);
    out
}

/// A config value as a hyperparameter: numbers, strings and booleans as themselves, arrays
/// (hidden widths, milestones) as text.
fn hparam(v: toml::Value) -> HParamValue {
    match v {
        toml::Value::Integer(i) => HParamValue::from(i),
        toml::Value::Float(f) => HParamValue::from(f),
        toml::Value::Boolean(b) => HParamValue::from(b),
        toml::Value::String(s) => HParamValue::from(s),
        other => HParamValue::from(other.to_string()),
    }
}

impl Sink for TensorBoard {
    fn stop_requested(&self) -> Option<String> {
        self.error.as_ref().map(|e| e.to_string())
    }
    fn on_step(&mut self, m: &StepMetrics) {
        let ms = m.timings.total().as_secs_f64() as f32 * 1e3;
        let r = self.writer.add_scalars(
            m.step,
            &[
                ("train/loss", m.loss),
                ("lr", m.lr),
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
    model: &Mlp,
    val: &Dataset,
    standardizer: Option<&Standardizer>,
    step: u64,
) -> Result<(), TrackingError> {
    let (side, channels) = match val.n_features {
        64 => (8usize, 1usize),
        3072 => (32, 3),
        _ => return Ok(()),
    };
    let (Some(labels), Some(n_classes)) = (val.labels(), val.n_classes()) else {
        return Ok(());
    };
    let logits = model.predict(&val.features);
    let scale = 4usize;
    for class in 0..n_classes {
        let wrong: Vec<usize> = (0..val.len())
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
            let mut row = val.row(i).to_vec();
            if let Some(s) = &standardizer {
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

/// How a run is recorded.
#[derive(Clone, Debug)]
pub struct RecordOptions {
    /// Checkpoints to keep (the newest; `best` besides). 0: none.
    pub keep_checkpoints: usize,
    /// Write TensorBoard event files.
    pub tensorboard: bool,
    /// Evaluate once on the sealed test set after training, and record it.
    pub final_evaluation: bool,
}

impl Default for RecordOptions {
    fn default() -> Self {
        Self {
            keep_checkpoints: 3,
            tensorboard: true,
            final_evaluation: false,
        }
    }
}

/// A recorded run.
#[derive(Debug)]
pub struct Recorded {
    /// The model and its report.
    pub trained: Trained,
    /// This session's history (after the checkpoint, for a resumed run).
    pub history: History,
    /// The whole run's learning curves (read back from `metrics.csv` for a resumed run).
    pub curves: Curves,
    /// The diagnosis of `curves`.
    pub diagnosis: Vec<Verdict>,
    /// The sealed test set's evaluation, if asked for.
    pub final_test: Option<FinalTest>,
    /// The validation split (for charts).
    pub val: Dataset,
    /// The standardisation fitted on the training split.
    pub standardizer: Option<Standardizer>,
}

/// Forwards every event to each of the caller's sinks.
struct Fanout<'a, 'b>(&'a mut [&'b mut dyn Sink]);

impl Sink for Fanout<'_, '_> {
    fn on_start(&mut self, info: &RunInfo) {
        self.0.iter_mut().for_each(|s| s.on_start(info));
    }
    fn on_step(&mut self, m: &StepMetrics) {
        self.0.iter_mut().for_each(|s| s.on_step(m));
    }
    fn on_eval(&mut self, m: &EvalMetrics) {
        self.0.iter_mut().for_each(|s| s.on_eval(m));
    }
    fn on_epoch(&mut self, m: &EpochMetrics) {
        self.0.iter_mut().for_each(|s| s.on_epoch(m));
    }
    fn on_warning(&mut self, w: &trainlab_training::Warning) {
        self.0.iter_mut().for_each(|s| s.on_warning(w));
    }
    fn on_end(&mut self, outcome: &Outcome) {
        self.0.iter_mut().for_each(|s| s.on_end(outcome));
    }
    fn stop_requested(&self) -> Option<String> {
        self.0.iter().find_map(|s| s.stop_requested())
    }
}

/// `summary.json` of a run stopped by a signal: status `interrupted`, why, where, and the
/// command that resumes it.
fn write_interrupted(
    dir: &RunDir,
    reason: &str,
    epochs_completed: usize,
    step: u64,
) -> Result<(), TrackingError> {
    dir.write_json(
        "summary.json",
        &serde_json::json!({
            "status": "interrupted",
            "reason": reason,
            "epochs_completed": epochs_completed,
            "step": step,
            "resume": format!("trainlab train --resume {}", dir.path().display()),
        }),
    )
    .map(|_| ())
}

/// Trains `plan` into `dir`, fresh or from `resume` (the run's newest checkpoint; rows a killed
/// run wrote after it are dropped from the CSV files), reporting to `extra` sinks as well (a
/// progress display). After every epoch a checkpoint (and `best` when the epoch is the best so
/// far) is written, the newest `keep_checkpoints` kept.
pub fn record_run(
    plan: Plan,
    dir: &RunDir,
    resume: Option<Checkpoint>,
    options: &RecordOptions,
    extra: &mut [&mut dyn Sink],
) -> Result<Recorded, RecordError> {
    let config = plan.config().clone();
    dir.write_atomic("config.toml", config.to_toml_string().as_bytes())?;
    let mut files = match &resume {
        None => MetricsFiles::create(dir),
        Some(c) => MetricsFiles::resume(dir, c.meta.epochs_completed, c.meta.step),
    }?;
    let mut history = History::default();
    let mut tensorboard = match options.tensorboard {
        true => Some(TensorBoard::create(dir, &config)?),
        false => None,
    };
    let checkpoints = dir.file("checkpoints");
    let resumed = resume.is_some();
    let mut trainer = match resume {
        None => Trainer::new(plan),
        Some(checkpoint) => Trainer::resume(plan, checkpoint)?,
    };
    let stopped = {
        let mut sinks: Vec<&mut dyn Sink> = vec![&mut files, &mut history];
        if let Some(tb) = tensorboard.as_mut() {
            sinks.push(tb);
        }
        let mut extra = Fanout(extra);
        sinks.push(&mut extra);
        loop {
            match trainer.epoch(&mut sinks) {
                Ok(Progress::EpochEnd(m)) => {
                    if options.keep_checkpoints > 0 {
                        let checkpoint = trainer.checkpoint();
                        let periodic =
                            checkpoint.save(&checkpoints, &format!("epoch-{:04}", m.epoch + 1))?;
                        if trainer.report().best_epoch == Some(m.epoch) {
                            Checkpoint::best_from_periodic(&periodic)?;
                        }
                        trainlab_training::prune_checkpoints(
                            &checkpoints,
                            options.keep_checkpoints,
                        )?;
                    }
                    // A stop asked for at an epoch's end (a search pruning the trial) takes
                    // effect here, after the epoch's checkpoint, not one minibatch later.
                    if let Some(reason) = sinks.iter().find_map(|s| s.stop_requested()) {
                        break Some((reason, m.epoch + 1, m.step));
                    }
                }
                Ok(Progress::Finished(_)) => break None,
                Ok(_) => {}
                Err(TrainError::Stopped {
                    reason,
                    epochs_completed,
                    step,
                }) => break Some((reason, epochs_completed, step)),
                Err(e) => return Err(e.into()),
            }
        }
    };
    // a failed write: that error, named, is the run's end
    if let Some(e) = files.error.take() {
        return Err(e.into());
    }
    if let Some(e) = tensorboard.as_mut().and_then(|tb| tb.error.take()) {
        return Err(e.into());
    }
    if let Some((reason, epochs_completed, step)) = stopped {
        // stopped mid-epoch: keep the minibatches trained since the last epoch's checkpoint
        let checkpoint = trainer.checkpoint();
        if options.keep_checkpoints > 0 && checkpoint.meta.batches_done > 0 {
            checkpoint.save(&checkpoints, trainlab_training::INTERRUPTED)?;
        }
        write_interrupted(dir, &reason, epochs_completed, step)?;
        return Err(TrainError::Stopped {
            reason,
            epochs_completed,
            step,
        }
        .into());
    }
    let trainer_info = Some(trainer.info());
    let (trained, data) = trainer.into_parts();
    if let Some(mut tb) = tensorboard {
        misclassified_images(
            &mut tb,
            &trained.model,
            &data.val,
            data.standardizer.as_ref(),
            trained.report.steps,
        )
        .and_then(|()| tb.writer.flush())?;
        if let Some(e) = tb.error.take() {
            return Err(e.into());
        }
    }
    // A resumed run's history holds only the epochs after the checkpoint: read the whole curve.
    let mut curves = if resumed {
        let mut c = Curves::from_csv(&dir.file("metrics.csv"))?;
        // what `History::curves` knows from the run's shape
        let info = trainer_info.as_ref();
        if c.train_error.is_some() || c.val_error.is_some() {
            c.n_classes = info.and_then(|i| i.layer_sizes.last().copied());
        }
        c.n_val = info.map(|i| i.n_val);
        c
    } else {
        history.curves()
    };
    if let Outcome::Diverged { step, .. } = &trained.report.outcome {
        curves.diverged_at_step = Some(*step);
    }
    let diagnosis = diagnose(&curves, &Thresholds::default());
    let final_test = match (options.final_evaluation, data.test) {
        (true, Some((test, all))) => {
            let evaluation = test.evaluate_final(|indices| {
                trainlab_training::evaluate(&trained.model, &all.subset(indices), 0)
            });
            Some(FinalTest {
                loss: evaluation.result.0,
                accuracy: evaluation.result.1,
                n_test: evaluation.n_test,
                at: humantime::format_rfc3339_seconds(evaluation.at).to_string(),
            })
        }
        _ => None,
    };
    dir.write_json(
        "summary.json",
        &Summary {
            info: files.info.take(),
            report: trained.report.clone(),
            diagnosis: diagnosis.clone(),
            final_test: final_test.clone(),
        },
    )?;
    Ok(Recorded {
        trained,
        history,
        curves,
        diagnosis,
        final_test,
        val: data.val,
        standardizer: data.standardizer,
    })
}
