//! [`Trainer`]: the one training loop. It runs a [`Plan`] one minibatch at a time
//! ([`Trainer::step`]), one epoch at a time ([`Trainer::epoch`]) or to the end
//! ([`Trainer::run`]), and resumes from a [`Checkpoint`] ([`Trainer::resume`]).
//!
//! Per iteration:
//! ```text
//! alpha = schedule.lr(t)                  (t: the epoch, or the iteration for per-batch schedules)
//! x, y  = the next seeded minibatch
//! loss  = cross_entropy(mlp(x, train mode), y)        (mean squared error for regression)
//! loss NaN or inf -> Outcome::Diverged { step }        (not a panic)
//! grads = loss.backward();  optimizer.step(alpha)     (the rule gets Step { k, alpha })
//! ```
//! After the last minibatch of an epoch: evaluate on the validation split (eval mode), feed the
//! validation loss to the schedule (reduce-on-plateau) and to early stopping.
//!
//! The trainer never prints and never writes files: every step, evaluation and epoch goes out
//! through [`Sink`]s, and recording a run (metrics files, TensorBoard, checkpoints on disk, the
//! summary) wraps the trainer from above.

use std::time::{Duration, Instant};

use dfdx::prelude::*;
use serde::{Deserialize, Serialize};
use trainlab_data::{Dataset, Target};
use trainlab_diagnosis::EarlyStop;
use trainlab_schedules::StepUnit;

use crate::checkpoint::{Checkpoint, CheckpointMeta, EpochSums, CHECKPOINT_FORMAT};
use crate::loss::{accuracy, cross_entropy, mean_squared_error};
use crate::mlp::Mode;
use crate::{
    EpochMetrics, EvalMetrics, Mlp, Plan, RunInfo, Sink, StepMetrics, StepTimings, TrainError,
    Warning,
};

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Every planned epoch ran.
    Completed {
        /// Epochs run.
        epochs: usize,
    },
    /// Early stopping ended the run: the validation loss stopped improving.
    EarlyStopped {
        /// The last epoch run (0-based).
        epoch: usize,
        /// The epoch of the lowest validation loss.
        best_epoch: Option<usize>,
        /// Whether the weights of `best_epoch` were restored.
        restored: bool,
        /// Why, for a person.
        reason: String,
    },
    /// The training loss became NaN or infinite: the run stopped there.
    Diverged {
        /// The iteration (1-based) whose loss was not finite.
        step: u64,
        /// Its 0-based epoch.
        epoch: usize,
        /// The loss as text (`NaN`, `inf`), since JSON has no NaN.
        loss: String,
    },
}

/// Where the time of a run went, averaged over its iterations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimingSummary {
    /// Wall time of the whole run, evaluation included (every session of a resumed run).
    pub total_seconds: f64,
    /// Wall time per completed epoch.
    pub seconds_per_epoch: f64,
    /// Mean iteration time.
    pub mean_step_ms: f64,
    /// Mean time gathering a minibatch.
    pub mean_data_ms: f64,
    /// Mean forward + loss + backward time.
    pub mean_forward_backward_ms: f64,
    /// Mean optimizer-step time.
    pub mean_update_ms: f64,
    /// Iterations slower than the warning threshold.
    pub slow_steps: usize,
}

/// The numbers a run ends with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    /// How it ended.
    pub outcome: Outcome,
    /// Iterations run.
    pub steps: u64,
    /// Epochs completed.
    pub epochs_completed: usize,
    /// Mean training loss of the last completed epoch.
    pub final_train_loss: Option<f32>,
    /// Validation loss after the last completed epoch.
    pub final_val_loss: Option<f32>,
    /// Validation accuracy after the last completed epoch.
    pub final_val_accuracy: Option<f64>,
    /// The lowest validation loss after any epoch.
    pub best_val_loss: Option<f32>,
    /// The epoch (0-based) of the lowest validation loss.
    pub best_epoch: Option<usize>,
    /// The highest validation accuracy after any epoch.
    pub best_val_accuracy: Option<f64>,
    /// Where the time went.
    pub timings: TimingSummary,
}

impl TrainReport {
    fn new() -> Self {
        Self {
            outcome: Outcome::Completed { epochs: 0 },
            steps: 0,
            epochs_completed: 0,
            final_train_loss: None,
            final_val_loss: None,
            final_val_accuracy: None,
            best_val_loss: None,
            best_epoch: None,
            best_val_accuracy: None,
            timings: TimingSummary::default(),
        }
    }
}

/// A trained model and how its training went.
#[derive(Clone, Debug)]
pub struct Trained {
    /// The model as the run left it (the best epoch's weights if early stopping restored them).
    pub model: Mlp,
    /// The summary numbers.
    pub report: TrainReport,
}

/// What one call of [`Trainer::step`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// One minibatch was trained.
    Step(StepMetrics),
    /// The minibatch was the epoch's last: the epoch ended and was evaluated.
    EpochEnd(EpochMetrics),
    /// The run is over (all epochs, early stopping, or divergence); nothing more will happen.
    Finished(Outcome),
}

/// The one training loop: see the module docs.
///
/// ```
/// use trainlab_training::{History, TrainConfig, Trainer};
/// let mut config = TrainConfig::default();
/// config.train.epochs = 2;
/// let mut history = History::default();
/// let trained = Trainer::new(config.plan().unwrap()).run(&mut [&mut history]).unwrap();
/// assert_eq!(history.epochs.len(), 2);
/// assert!(trained.report.final_val_accuracy.unwrap() > 0.8);
/// ```
pub struct Trainer {
    plan: Plan,
    /// The epoch being trained (0-based) = epochs completed.
    epoch: usize,
    /// Minibatches of the current epoch, and how many of them ran.
    order: Vec<Vec<usize>>,
    position: usize,
    /// Iterations completed.
    step: u64,
    lr: f32,
    report: TrainReport,
    val_losses: Vec<f32>,
    best_weights: Option<Vec<Vec<f32>>>,
    finished: Option<Outcome>,
    started: bool,
    // this epoch's running sums
    loss_sum: f64,
    acc_sum: f64,
    n_batches: usize,
    epoch_start: Instant,
    // this session's timings
    session_start: Instant,
    session_steps: u64,
    steps_at_start: u64,
    epochs_at_start: usize,
    seconds_before: f64,
    sum: StepTimings,
    slow_steps: usize,
}

impl Trainer {
    /// A trainer at the start of `plan`.
    pub fn new(plan: Plan) -> Self {
        let lr = plan.optimizer.alpha();
        Self {
            plan,
            epoch: 0,
            order: Vec::new(),
            position: 0,
            step: 0,
            lr,
            report: TrainReport::new(),
            val_losses: Vec::new(),
            best_weights: None,
            finished: None,
            started: false,
            loss_sum: 0.0,
            acc_sum: 0.0,
            n_batches: 0,
            epoch_start: Instant::now(),
            session_start: Instant::now(),
            session_steps: 0,
            steps_at_start: 0,
            epochs_at_start: 0,
            seconds_before: 0.0,
            sum: StepTimings::default(),
            slow_steps: 0,
        }
    }

    /// A trainer that continues `plan` from `checkpoint`, made by [`Trainer::checkpoint`] of a run
    /// of the same config. A run resumed from the checkpoint of epoch `e` ends with the same
    /// weights and metrics, bit for bit, as one that was never interrupted: the parameters and
    /// optimizer state are restored exactly, the batch order and dropout masks depend only on the
    /// seed, the epoch and the iteration, and the schedule and early stopping are replayed from
    /// the recorded validation losses. A checkpoint that does not fit (other layers, another
    /// rule) is an error that says what does not match.
    pub fn resume(plan: Plan, checkpoint: Checkpoint) -> Result<Self, TrainError> {
        let mut t = Self::new(plan);
        let ck = checkpoint;
        let mismatch = |what: String| TrainError::Checkpoint {
            path: "(resume)".into(),
            message: what,
        };
        if ck.meta.layer_sizes != t.plan.model.sizes() {
            return Err(mismatch(format!(
                "the checkpoint's layers are {:?}, the config gives {:?}",
                ck.meta.layer_sizes,
                t.plan.model.sizes()
            )));
        }
        let rule = t.plan.optimizer.rule().name();
        if ck.meta.rule != rule {
            return Err(mismatch(format!(
                "the checkpoint was trained with `{}`, the config gives `{rule}`",
                ck.meta.rule
            )));
        }
        t.plan.model.set_parameters(&ck.params)?;
        t.plan
            .optimizer
            .load_state(ck.optimizer)
            .map_err(|e| mismatch(format!("optimizer state: {e}")))?;
        // Replay what depends on the validation losses so far: the schedule (reduce-on-plateau)
        // and early stopping. Their state is a function of that sequence.
        for (e, &l) in ck.meta.val_losses.iter().enumerate() {
            t.plan.schedule.observe(f64::from(l));
            if let Some(es) = t.plan.early_stopping.as_mut() {
                es.observe(e, f64::from(l));
            }
        }
        if ck.meta.batches_done > 0 {
            // a checkpoint written mid-epoch: the same minibatches, the rest of them
            t.begin_epoch_at(ck.meta.epochs_completed);
            if ck.meta.batches_done > t.order.len() {
                return Err(mismatch(format!(
                    "the checkpoint is {} minibatches into epoch {}, which has {}",
                    ck.meta.batches_done,
                    ck.meta.epochs_completed + 1,
                    t.order.len()
                )));
            }
            t.position = ck.meta.batches_done;
            t.n_batches = ck.meta.batches_done;
            t.loss_sum = ck.meta.epoch_sums.loss;
            t.acc_sum = ck.meta.epoch_sums.accuracy;
        }
        t.best_weights = ck.best_weights;
        t.val_losses = ck.meta.val_losses;
        t.epoch = ck.meta.epochs_completed;
        t.step = ck.meta.step;
        t.steps_at_start = ck.meta.step;
        t.epochs_at_start = ck.meta.epochs_completed;
        t.seconds_before = ck.meta.report.timings.total_seconds;
        t.report = ck.meta.report;
        Ok(t)
    }

    /// The plan this trainer runs.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The model as it is now.
    pub fn model(&self) -> &Mlp {
        &self.plan.model
    }

    /// Iterations completed.
    pub fn steps_done(&self) -> u64 {
        self.step
    }

    /// Epochs completed.
    pub fn epochs_done(&self) -> usize {
        self.epoch
    }

    /// The report so far (final once the run is over).
    pub fn report(&self) -> &TrainReport {
        &self.report
    }

    /// How the run ended, once it did.
    pub fn finished(&self) -> Option<&Outcome> {
        self.finished.as_ref()
    }

    /// The shape of the run, as the sinks hear it at the start.
    pub fn info(&self) -> RunInfo {
        let model = &self.plan.model;
        RunInfo {
            n_train: self.plan.data.train.len(),
            n_val: self.plan.data.val.len(),
            layer_sizes: model.sizes().to_vec(),
            n_params: model.n_params(),
            epochs: self.plan.config.train.epochs,
            steps_per_epoch: self.plan.batches.batches_per_epoch(),
        }
    }

    /// Trains one minibatch (and, after an epoch's last one, evaluates the epoch).
    pub fn step(&mut self, sinks: &mut [&mut dyn Sink]) -> Result<Progress, TrainError> {
        if let Some(outcome) = &self.finished {
            return Ok(Progress::Finished(outcome.clone()));
        }
        if !self.started {
            self.started = true;
            let info = self.info();
            sinks.iter_mut().for_each(|s| s.on_start(&info));
        }
        // a stop asked for during an epoch's last minibatch is seen here, after that epoch ended
        self.check_stop(sinks)?;
        if self.epoch >= self.plan.config.train.epochs {
            return Ok(Progress::Finished(self.finish(None, sinks)));
        }
        if self.position == 0 {
            self.begin_epoch();
        }
        let t0 = Instant::now();
        let lc = &self.plan.config.train;
        let (epochs, slow_step_ms) = (lc.epochs, lc.slow_step_ms);
        let (eval_every, eval_subset) = (lc.eval_every, lc.eval_subset);
        if self.plan.schedule.unit() == StepUnit::Batch {
            self.lr = self.plan.schedule.lr(self.step as usize);
        }
        self.plan.optimizer.set_alpha(self.lr);
        let batch = &self.order[self.position];
        let train = &self.plan.data.train;
        let mut rows = Vec::with_capacity(batch.len() * train.n_features);
        for &i in batch {
            rows.extend_from_slice(train.row(i));
        }
        let model = &mut self.plan.model;
        let x = model.input(rows);
        let t1 = Instant::now();

        let step = self.step + 1;
        let logits = model.forward(x.traced(Gradients::leaky()), Mode::Train { step });
        let (loss, batch_acc) = match &train.target {
            Target::Classes { labels, n_classes } => {
                let y: Vec<u32> = batch.iter().map(|&i| labels[i]).collect();
                let acc = accuracy(&logits.as_vec(), *n_classes, &y);
                (cross_entropy(logits, &y), Some(acc))
            }
            Target::Values(v) => {
                let y: Vec<f32> = batch.iter().map(|&i| v[i]).collect();
                (mean_squared_error(logits, &y), None)
            }
        };
        let loss_value = loss.array();
        self.step = step;
        if !loss_value.is_finite() {
            let outcome = Outcome::Diverged {
                step,
                epoch: self.epoch,
                loss: loss_value.to_string(),
            };
            return Ok(Progress::Finished(self.finish(Some(outcome), sinks)));
        }
        let mut grads = loss.backward();
        let t2 = Instant::now();
        model.update(&mut self.plan.optimizer, &mut grads)?;
        let t3 = Instant::now();

        let timings = StepTimings {
            data: t1 - t0,
            forward_backward: t2 - t1,
            update: t3 - t2,
        };
        self.sum.data += timings.data;
        self.sum.forward_backward += timings.forward_backward;
        self.sum.update += timings.update;
        self.session_steps += 1;
        let total_steps = (epochs * self.plan.batches.batches_per_epoch()) as u64;
        let eta = self
            .session_start
            .elapsed()
            .mul_f64(total_steps.saturating_sub(step) as f64 / (step - self.steps_at_start) as f64);
        let m = StepMetrics {
            step,
            epoch: self.epoch,
            loss: loss_value,
            lr: self.lr,
            timings,
            eta,
        };
        sinks.iter_mut().for_each(|s| s.on_step(&m));
        let threshold = Duration::from_millis(slow_step_ms);
        if timings.total() > threshold {
            self.slow_steps += 1;
            let w = Warning::SlowStep {
                step,
                timings,
                threshold,
            };
            sinks.iter_mut().for_each(|s| s.on_warning(&w));
        }
        self.loss_sum += f64::from(loss_value);
        self.acc_sum += batch_acc.unwrap_or(0.0);
        self.n_batches += 1;
        self.position += 1;

        if eval_every > 0 && step % eval_every as u64 == 0 {
            self.evaluate_to_sinks(eval_subset, sinks);
        }
        if self.position == self.order.len() {
            return self.end_epoch(sinks);
        }
        self.check_stop(sinks)?;
        Ok(Progress::Step(m))
    }

    /// [`TrainError::Stopped`] when a sink asks the run to stop (a signal, a failed write).
    fn check_stop(&self, sinks: &[&mut dyn Sink]) -> Result<(), TrainError> {
        match sinks.iter().find_map(|s| s.stop_requested()) {
            Some(reason) => Err(TrainError::Stopped {
                reason,
                epochs_completed: self.epoch,
                step: self.step,
            }),
            None => Ok(()),
        }
    }

    /// Trains to the end of the current epoch. Returns its metrics, or the outcome when the run
    /// ended (this epoch or before).
    pub fn epoch(&mut self, sinks: &mut [&mut dyn Sink]) -> Result<Progress, TrainError> {
        loop {
            match self.step(sinks)? {
                Progress::Step(_) => continue,
                end => return Ok(end),
            }
        }
    }

    /// Trains to the end of the run.
    pub fn run(mut self, sinks: &mut [&mut dyn Sink]) -> Result<Trained, TrainError> {
        self.run_to_end(sinks)?;
        Ok(self.into_trained())
    }

    /// Trains to the end of the run and keeps the trainer (for [`Trainer::into_parts`]); returns
    /// how it ended.
    pub fn run_to_end(&mut self, sinks: &mut [&mut dyn Sink]) -> Result<Outcome, TrainError> {
        loop {
            if let Progress::Finished(outcome) = self.epoch(sinks)? {
                return Ok(outcome);
            }
        }
    }

    /// The model and the report, at any point.
    pub fn into_trained(self) -> Trained {
        self.into_parts().0
    }

    /// The model and the report, and the plan's data (for charts and the final test).
    pub fn into_parts(self) -> (Trained, crate::LoadedData) {
        let trained = Trained {
            model: self.plan.model,
            report: self.report,
        };
        (trained, self.plan.data)
    }

    /// Everything needed to resume from here exactly, between any two minibatches: at an epoch's
    /// end (after [`Trainer::epoch`] returned [`Progress::EpochEnd`]) or mid-epoch (after a
    /// [`TrainError::Stopped`]), when it also holds the epoch's position and running sums.
    pub fn checkpoint(&self) -> Checkpoint {
        let optimizer = self.plan.optimizer.state();
        let mut report = self.report.clone();
        report.timings = self.timings();
        Checkpoint {
            meta: CheckpointMeta {
                format: CHECKPOINT_FORMAT,
                epochs_completed: self.epoch,
                step: self.step,
                batches_done: self.position,
                epoch_sums: EpochSums {
                    loss: self.loss_sum,
                    accuracy: self.acc_sum,
                },
                layer_sizes: self.plan.model.sizes().to_vec(),
                rule: self.plan.optimizer.rule().name().to_string(),
                optimizer_k: self.plan.optimizer.step_count(),
                optimizer_buffers: optimizer.slots.iter().map(Vec::len).collect(),
                val_losses: self.val_losses.clone(),
                best_weights_epoch: self.best_weights.as_ref().and(self.report.best_epoch),
                report,
                tensors_len: 0,
                tensors_crc32: 0,
            },
            params: self.weights(),
            optimizer,
            best_weights: self.best_weights.clone(),
        }
    }

    fn weights(&self) -> Vec<Vec<f32>> {
        self.plan
            .model
            .parameters()
            .into_iter()
            .map(|(_, v)| v)
            .collect()
    }

    fn begin_epoch(&mut self) {
        self.begin_epoch_at(self.epoch);
    }

    fn begin_epoch_at(&mut self, epoch: usize) {
        self.epoch_start = Instant::now();
        if self.plan.schedule.unit() == StepUnit::Epoch {
            self.lr = self.plan.schedule.lr(epoch);
        }
        self.order = self.plan.batches.epoch(epoch).collect();
        self.loss_sum = 0.0;
        self.acc_sum = 0.0;
        self.n_batches = 0;
    }

    fn end_epoch(&mut self, sinks: &mut [&mut dyn Sink]) -> Result<Progress, TrainError> {
        let epoch = self.epoch;
        let limit = self.plan.config.train.eval_subset;
        let (val_loss, val_accuracy) = self.evaluate_to_sinks(limit, sinks);
        let n = self.n_batches.max(1) as f64;
        let is_classes = self.plan.data.train.n_classes().is_some();
        let m = EpochMetrics {
            epoch,
            step: self.step,
            train_loss: (self.loss_sum / n) as f32,
            train_accuracy: is_classes.then(|| self.acc_sum / n),
            val_loss,
            val_accuracy,
            lr: self.lr,
            seconds: self.epoch_start.elapsed().as_secs_f64(),
        };
        sinks.iter_mut().for_each(|s| s.on_epoch(&m));
        self.plan.schedule.observe(f64::from(val_loss));
        self.position = 0;
        self.epoch += 1;

        let r = &mut self.report;
        r.epochs_completed = epoch + 1;
        r.steps = self.step;
        r.final_train_loss = Some(m.train_loss);
        r.final_val_loss = Some(val_loss);
        r.final_val_accuracy = val_accuracy;
        if r.best_val_loss.is_none_or(|b| val_loss < b) {
            r.best_val_loss = Some(val_loss);
            r.best_epoch = Some(epoch);
        }
        if let Some(a) = val_accuracy {
            if r.best_val_accuracy.is_none_or(|b| a > b) {
                r.best_val_accuracy = Some(a);
            }
        }
        self.val_losses.push(val_loss);
        if let Some(outcome) = self.observe_early_stopping(epoch, val_loss) {
            return Ok(Progress::Finished(self.finish(Some(outcome), sinks)));
        }
        if self.epoch >= self.plan.config.train.epochs {
            self.finish(None, sinks);
        }
        Ok(Progress::EpochEnd(m))
    }

    /// Early stopping's verdict on this epoch; restores the best weights when it stops.
    fn observe_early_stopping(&mut self, epoch: usize, val_loss: f32) -> Option<Outcome> {
        let es = self.plan.early_stopping.as_mut()?;
        let restore = es.config().restore_best;
        match es.observe(epoch, f64::from(val_loss)) {
            EarlyStop::Continue { improved } => {
                if improved && restore {
                    self.best_weights = Some(self.weights());
                }
                None
            }
            EarlyStop::Stop {
                best_epoch, reason, ..
            } => {
                let restored = match (restore, &self.best_weights) {
                    (true, Some(w)) => {
                        self.plan
                            .model
                            .set_parameters(w)
                            .expect("the snapshot was taken from this model");
                        // the final metrics describe the model the run returns
                        let limit = self.plan.config.train.eval_subset;
                        let (l, a) = evaluate(&self.plan.model, &self.plan.data.val, limit);
                        self.report.final_val_loss = Some(l);
                        self.report.final_val_accuracy = a;
                        true
                    }
                    _ => false,
                };
                Some(Outcome::EarlyStopped {
                    epoch,
                    best_epoch,
                    restored,
                    reason,
                })
            }
        }
    }

    /// Ends the run: the outcome, the timings, and every sink told.
    fn finish(&mut self, early: Option<Outcome>, sinks: &mut [&mut dyn Sink]) -> Outcome {
        let outcome = early.unwrap_or(Outcome::Completed {
            epochs: self.report.epochs_completed,
        });
        self.report.steps = self.step;
        self.report.outcome = outcome.clone();
        self.report.timings = self.timings();
        self.finished = Some(outcome.clone());
        sinks.iter_mut().for_each(|s| s.on_end(&outcome));
        outcome
    }

    /// Timings of every session so far.
    fn timings(&self) -> TimingSummary {
        let session = self.session_start.elapsed().as_secs_f64();
        let total = self.seconds_before + session;
        let n = self.session_steps.max(1) as f64;
        let per_step = |d: Duration| d.as_secs_f64() * 1e3 / n;
        let epochs_this_session = self
            .report
            .epochs_completed
            .saturating_sub(self.epochs_at_start);
        TimingSummary {
            total_seconds: total,
            seconds_per_epoch: session / epochs_this_session.max(1) as f64,
            mean_step_ms: per_step(self.sum.total()),
            mean_data_ms: per_step(self.sum.data),
            mean_forward_backward_ms: per_step(self.sum.forward_backward),
            mean_update_ms: per_step(self.sum.update),
            slow_steps: self.slow_steps,
        }
    }

    /// Evaluates on the validation split (or its first `limit` samples) and tells every sink.
    fn evaluate_to_sinks(&self, limit: usize, sinks: &mut [&mut dyn Sink]) -> (f32, Option<f64>) {
        let val = &self.plan.data.val;
        let (val_loss, val_accuracy) = evaluate(&self.plan.model, val, limit);
        let e = EvalMetrics {
            step: self.step,
            epoch: self.epoch,
            val_loss,
            val_accuracy,
            n_samples: if limit == 0 {
                val.len()
            } else {
                limit.min(val.len())
            },
        };
        sinks.iter_mut().for_each(|s| s.on_eval(&e));
        (val_loss, val_accuracy)
    }
}

/// Mean loss and (for classes) accuracy of `model` on the first `limit` samples of `data`
/// (0: all of them), in eval mode (no dropout), in chunks, without recording gradients.
pub fn evaluate(model: &Mlp, data: &Dataset, limit: usize) -> (f32, Option<f64>) {
    evaluate_in(model, data, limit, Mode::Eval)
}

/// [`evaluate`] in a given mode: [`Mode::Train`] shows the classic mistake of evaluating with
/// dropout still on.
pub fn evaluate_in(model: &Mlp, data: &Dataset, limit: usize, mode: Mode) -> (f32, Option<f64>) {
    let n = if limit == 0 {
        data.len()
    } else {
        limit.min(data.len())
    };
    if n == 0 {
        return (f32::NAN, None);
    }
    const CHUNK: usize = 512;
    let d = data.n_features;
    let (mut loss_sum, mut correct) = (0.0f64, 0.0f64);
    for start in (0..n).step_by(CHUNK) {
        let end = (start + CHUNK).min(n);
        let x = model.input(data.features[start * d..end * d].to_vec());
        let out = model.forward(x, mode);
        let m = (end - start) as f64;
        match &data.target {
            Target::Classes { labels, n_classes } => {
                let logits = out.as_vec();
                correct += accuracy(&logits, *n_classes, &labels[start..end]) * m;
                loss_sum += f64::from(cross_entropy(out, &labels[start..end]).array()) * m;
            }
            Target::Values(v) => {
                loss_sum += f64::from(mean_squared_error(out, &v[start..end]).array()) * m;
            }
        }
    }
    let acc = data.n_classes().map(|_| correct / n as f64);
    ((loss_sum / n as f64) as f32, acc)
}
