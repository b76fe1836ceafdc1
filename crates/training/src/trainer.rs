//! The training loop: epochs of seeded minibatches, the schedule applied, evaluation, timings,
//! and divergence reported as an outcome instead of a panic.

use std::time::{Duration, Instant};

use dfdx::prelude::*;
use serde::{Deserialize, Serialize};
use trainlab_data::{Batches, Dataset, Standardizer, Target};
use trainlab_diagnosis::EarlyStop;

use crate::checkpoint::{Checkpoint, CheckpointMeta, CheckpointPolicy, CHECKPOINT_FORMAT};
use trainlab_schedules::StepUnit;
use trainlab_validation::SealedTest;

use crate::loss::{accuracy, cross_entropy, mean_squared_error};
use crate::{
    DatasetName, EpochMetrics, EvalMetrics, Mlp, RunInfo, Sink, StepMetrics, StepTimings,
    TrainConfig, TrainError, Warning,
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
    /// Wall time of the whole run, evaluation included.
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

/// A trained model and how its training went.
#[derive(Clone, Debug)]
pub struct Trained {
    /// The model as the last step left it.
    pub model: Mlp,
    /// The summary numbers.
    pub report: TrainReport,
}

/// The data of a run: training and validation splits, standardised with the training split's
/// statistics, and the sealed test set.
#[derive(Debug)]
pub struct LoadedData {
    /// Training samples.
    pub train: Dataset,
    /// Validation samples.
    pub val: Dataset,
    /// The test indices, usable once, through a final evaluation.
    pub test: SealedTest,
    /// The whole data set, standardised like `train` (the sealed test indices point into it).
    pub all: Dataset,
    /// The fitted standardisation, if `data.standardize` is on.
    pub standardizer: Option<Standardizer>,
}

/// Loads the configured data set, splits it and standardises it (fitted on training rows only).
pub fn load_data(config: &TrainConfig) -> Result<LoadedData, TrainError> {
    config.validate()?;
    let d = &config.data;
    let mut all = match d.dataset {
        DatasetName::Digits => trainlab_data::digits(),
        DatasetName::Spirals => {
            trainlab_data::synthetic::spirals(d.n_samples.div_ceil(3), 3, d.noise, config.seed)
        }
        DatasetName::TwoMoons => {
            trainlab_data::synthetic::two_moons(d.n_samples, d.noise, config.seed)
        }
        DatasetName::Csv => {
            let path = d
                .path
                .as_deref()
                .expect("validate() requires data.path for csv");
            trainlab_data::load_csv(path, &trainlab_data::CsvOptions::default())?
        }
        DatasetName::Cifar10 => {
            let path = d
                .path
                .as_deref()
                .expect("validate() requires data.path for cifar10");
            let files = if path.is_dir() {
                let mut files: Vec<_> = std::fs::read_dir(path)
                    .map_err(|source| TrainError::ReadConfig {
                        path: path.to_path_buf(),
                        source,
                    })?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "bin"))
                    .collect();
                files.sort();
                files
            } else {
                vec![path.to_path_buf()]
            };
            trainlab_data::load_cifar10(&files)?
        }
    };
    let split = trainlab_validation::split(all.len(), all.labels(), &config.split)?;
    let mut train = all.subset(&split.train);
    let standardizer = if d.standardize {
        let s = Standardizer::fit(&train);
        s.transform(&mut train);
        s.transform(&mut all);
        Some(s)
    } else {
        None
    };
    let val = all.subset(&split.val);
    Ok(LoadedData {
        train,
        val,
        test: split.test,
        all,
        standardizer,
    })
}

/// Loads the data of `config` and trains on it: [`load_data`] then [`train_on`].
pub fn train(config: &TrainConfig, sinks: &mut [&mut dyn Sink]) -> Result<Trained, TrainError> {
    let data = load_data(config)?;
    train_on(config, &data.train, &data.val, sinks)
}

/// What a batch is trained against.
enum Labels<'a> {
    Classes(&'a [u32], usize),
    Values(&'a [f32]),
}

fn labels_of(d: &Dataset) -> Labels<'_> {
    match &d.target {
        Target::Classes { labels, n_classes } => Labels::Classes(labels, *n_classes),
        Target::Values(v) => Labels::Values(v),
    }
}

/// Mean loss and (for classes) accuracy of `model` on the first `limit` samples of `data`
/// (0: all of them), in chunks, without recording gradients.
pub fn evaluate(model: &Mlp, data: &Dataset, limit: usize) -> (f32, Option<f64>) {
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
        let out = model.forward(x);
        let m = (end - start) as f64;
        match labels_of(data) {
            Labels::Classes(labels, c) => {
                let logits = out.as_vec();
                correct += accuracy(&logits, c, &labels[start..end]) * m;
                loss_sum += f64::from(cross_entropy(out, &labels[start..end]).array()) * m;
            }
            Labels::Values(v) => {
                loss_sum += f64::from(mean_squared_error(out, &v[start..end]).array()) * m;
            }
        }
    }
    let acc = matches!(labels_of(data), Labels::Classes(..)).then(|| correct / n as f64);
    ((loss_sum / n as f64) as f32, acc)
}

/// Trains a fresh model on `train`, evaluating on `val`, reporting to every sink.
///
/// Same config and data, same numbers, bit for bit: the weights, the batch order and every
/// other random choice come from `config.seed`.
pub fn train_on(
    config: &TrainConfig,
    train: &Dataset,
    val: &Dataset,
    sinks: &mut [&mut dyn Sink],
) -> Result<Trained, TrainError> {
    train_on_with(config, train, val, sinks, TrainOptions::default())
}

/// Checkpointing and resuming for [`train_on_with`].
#[derive(Debug, Default)]
pub struct TrainOptions {
    /// Write a checkpoint at the end of every epoch.
    pub checkpoints: Option<CheckpointPolicy>,
    /// Continue from this checkpoint instead of starting fresh. It must fit the config: the same
    /// layer sizes and update rule; anything else is an error that says what does not match.
    pub resume: Option<Checkpoint>,
}

/// [`train_on`] with checkpoints and resuming. A run resumed from the checkpoint of epoch `e`
/// ends with the same weights and metrics, bit for bit, as one that was never interrupted: the
/// parameters and optimizer state are restored exactly, the batch order of an epoch depends only
/// on the seed and the epoch, and the schedule and early stopping are replayed from the recorded
/// validation losses.
pub fn train_on_with(
    config: &TrainConfig,
    train: &Dataset,
    val: &Dataset,
    sinks: &mut [&mut dyn Sink],
    options: TrainOptions,
) -> Result<Trained, TrainError> {
    config.validate()?;
    let lc = &config.train;
    let n_out = match labels_of(train) {
        Labels::Classes(_, c) => c,
        Labels::Values(_) => 1,
    };
    let mut model = Mlp::new(
        train.n_features,
        &config.model.hidden_layers(),
        n_out,
        config.model.activation,
        config.seed,
    );
    let mut opt = config.optimizer.build()?;
    let base_lr = f64::from(opt.alpha());
    let mut schedule = config.schedule.build(base_lr)?;
    let batches = Batches::new(train.len(), lc.batch_size, config.seed)?;
    let steps_per_epoch = batches.batches_per_epoch();
    let total_steps = (lc.epochs * steps_per_epoch) as u64;
    let info = RunInfo {
        n_train: train.len(),
        n_val: val.len(),
        layer_sizes: model.sizes().to_vec(),
        n_params: model.n_params(),
        epochs: lc.epochs,
        steps_per_epoch,
    };
    sinks.iter_mut().for_each(|s| s.on_start(&info));

    let threshold = Duration::from_millis(lc.slow_step_ms);
    let d = train.n_features;
    let run_start = Instant::now();
    let mut step: u64 = 0;
    let mut sum = StepTimings::default();
    let mut slow_steps = 0;
    let mut report = TrainReport {
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
    };
    let mut lr = base_lr;
    let mut ended_early = None;
    let mut early = lc.early_stopping()?;
    let mut best_weights: Option<Vec<Vec<f32>>> = None;
    let mut val_losses: Vec<f32> = Vec::new();
    let mut start_epoch = 0;
    if let Some(ck) = options.resume {
        let mismatch = |what: String| TrainError::Checkpoint {
            path: "(resume)".into(),
            message: what,
        };
        if ck.meta.layer_sizes != model.sizes() {
            return Err(mismatch(format!(
                "the checkpoint's layers are {:?}, the config gives {:?}",
                ck.meta.layer_sizes,
                model.sizes()
            )));
        }
        if ck.meta.rule != opt.rule().name() {
            return Err(mismatch(format!(
                "the checkpoint was trained with `{}`, the config gives `{}`",
                ck.meta.rule,
                opt.rule().name()
            )));
        }
        model.set_parameters(&ck.params).map_err(mismatch)?;
        opt.load_state(ck.optimizer)
            .map_err(|e| mismatch(format!("optimizer state: {e}")))?;
        // Replay what depends on the validation losses so far: the schedule (reduce-on-plateau)
        // and early stopping. Their state is a function of that sequence.
        for (e, &l) in ck.meta.val_losses.iter().enumerate() {
            schedule.observe(f64::from(l));
            if let Some(es) = early.as_mut() {
                es.observe(e, f64::from(l));
            }
        }
        best_weights = ck.best_weights;
        val_losses = ck.meta.val_losses;
        start_epoch = ck.meta.epochs_completed;
        step = ck.meta.step;
        report = ck.meta.report;
        if schedule.unit() == StepUnit::Batch {
            lr = schedule.lr(step as usize);
        }
    }
    let (start_step, mut sum_steps) = (step, 0u64);

    'epochs: for epoch in start_epoch..lc.epochs {
        let epoch_start = Instant::now();
        if schedule.unit() == StepUnit::Epoch {
            lr = schedule.lr(epoch);
            opt.set_alpha(lr as f32);
        }
        let (mut loss_sum, mut acc_sum, mut n_batches) = (0.0f64, 0.0f64, 0usize);
        for batch in batches.epoch(epoch) {
            let t0 = Instant::now();
            if schedule.unit() == StepUnit::Batch {
                lr = schedule.lr(step as usize);
                opt.set_alpha(lr as f32);
            }
            let mut rows = Vec::with_capacity(batch.len() * d);
            for &i in batch.iter() {
                rows.extend_from_slice(train.row(i));
            }
            let x = model.input(rows);
            let t1 = Instant::now();

            let logits = model.forward(x.traced(Gradients::leaky()));
            let (loss, batch_acc) = match labels_of(train) {
                Labels::Classes(labels, c) => {
                    let y: Vec<u32> = batch.iter().map(|&i| labels[i]).collect();
                    let acc = accuracy(&logits.as_vec(), c, &y);
                    (cross_entropy(logits, &y), Some(acc))
                }
                Labels::Values(v) => {
                    let y: Vec<f32> = batch.iter().map(|&i| v[i]).collect();
                    (mean_squared_error(logits, &y), None)
                }
            };
            let loss_value = loss.array();
            step += 1;
            if !loss_value.is_finite() {
                ended_early = Some(Outcome::Diverged {
                    step,
                    epoch,
                    loss: loss_value.to_string(),
                });
                break 'epochs;
            }
            let mut grads = loss.backward();
            let t2 = Instant::now();
            model.update(&mut opt, &mut grads)?;
            let t3 = Instant::now();

            let timings = StepTimings {
                data: t1 - t0,
                forward_backward: t2 - t1,
                update: t3 - t2,
            };
            sum.data += timings.data;
            sum.forward_backward += timings.forward_backward;
            sum.update += timings.update;
            let elapsed = run_start.elapsed();
            sum_steps += 1;
            let eta = elapsed.mul_f64((total_steps - step) as f64 / (step - start_step) as f64);
            let m = StepMetrics {
                step,
                epoch,
                loss: loss_value,
                lr,
                timings,
                eta,
            };
            sinks.iter_mut().for_each(|s| s.on_step(&m));
            if let Some(reason) = sinks.iter().find_map(|s| s.stop_requested()) {
                return Err(TrainError::Stopped {
                    reason,
                    epochs_completed: epoch,
                    step,
                });
            }
            if timings.total() > threshold {
                slow_steps += 1;
                let w = Warning::SlowStep {
                    step,
                    timings,
                    threshold,
                };
                sinks.iter_mut().for_each(|s| s.on_warning(&w));
            }
            loss_sum += f64::from(loss_value);
            acc_sum += batch_acc.unwrap_or(0.0);
            n_batches += 1;

            if lc.eval_every > 0 && step % lc.eval_every as u64 == 0 {
                evaluate_to_sinks(&model, val, lc.eval_subset, step, epoch, sinks);
            }
        }

        let (val_loss, val_accuracy) =
            evaluate_to_sinks(&model, val, lc.eval_subset, step, epoch, sinks);
        let is_classes = matches!(labels_of(train), Labels::Classes(..));
        let m = EpochMetrics {
            epoch,
            step,
            train_loss: (loss_sum / n_batches.max(1) as f64) as f32,
            train_accuracy: is_classes.then(|| acc_sum / n_batches.max(1) as f64),
            val_loss,
            val_accuracy,
            lr,
            seconds: epoch_start.elapsed().as_secs_f64(),
        };
        sinks.iter_mut().for_each(|s| s.on_epoch(&m));
        schedule.observe(f64::from(val_loss));

        report.epochs_completed = epoch + 1;
        report.final_train_loss = Some(m.train_loss);
        report.final_val_loss = Some(val_loss);
        report.final_val_accuracy = val_accuracy;
        if report.best_val_loss.is_none_or(|b| val_loss < b) {
            report.best_val_loss = Some(val_loss);
            report.best_epoch = Some(epoch);
        }
        if let Some(a) = val_accuracy {
            if report.best_val_accuracy.is_none_or(|b| a > b) {
                report.best_val_accuracy = Some(a);
            }
        }
        if let Some(es) = early.as_mut() {
            let restore = es.config().restore_best;
            match es.observe(epoch, f64::from(val_loss)) {
                EarlyStop::Continue { improved } => {
                    if improved && restore {
                        best_weights =
                            Some(model.parameters().into_iter().map(|(_, v)| v).collect());
                    }
                }
                EarlyStop::Stop {
                    best_epoch, reason, ..
                } => {
                    let restored = match (restore, &best_weights) {
                        (true, Some(w)) => {
                            model
                                .set_parameters(w)
                                .expect("the snapshot was taken from this model");
                            // the final metrics describe the model the run returns
                            let (l, a) = evaluate(&model, val, lc.eval_subset);
                            report.final_val_loss = Some(l);
                            report.final_val_accuracy = a;
                            true
                        }
                        _ => false,
                    };
                    ended_early = Some(Outcome::EarlyStopped {
                        epoch,
                        best_epoch,
                        restored,
                        reason,
                    });
                    break 'epochs;
                }
            }
        }
        val_losses.push(val_loss);
        if let Some(policy) = &options.checkpoints {
            let checkpoint = Checkpoint {
                meta: CheckpointMeta {
                    format: CHECKPOINT_FORMAT,
                    epochs_completed: epoch + 1,
                    step,
                    layer_sizes: model.sizes().to_vec(),
                    rule: opt.rule().name().to_string(),
                    optimizer_k: opt.step_count(),
                    optimizer_buffers: Vec::new(),
                    val_losses: val_losses.clone(),
                    best_weights_epoch: best_weights.as_ref().and(report.best_epoch),
                    report: report.clone(),
                    tensors_len: 0,
                    tensors_crc32: 0,
                },
                params: model.parameters().into_iter().map(|(_, v)| v).collect(),
                optimizer: opt.state(),
                best_weights: best_weights.clone(),
            };
            let checkpoint = Checkpoint {
                meta: CheckpointMeta {
                    optimizer_buffers: checkpoint.optimizer.slots.iter().map(Vec::len).collect(),
                    ..checkpoint.meta
                },
                ..checkpoint
            };
            checkpoint.save(&policy.dir, &format!("epoch-{:04}", epoch + 1))?;
            if report.best_epoch == Some(epoch) {
                checkpoint.save(&policy.dir, "best")?;
            }
            crate::checkpoint::prune(&policy.dir, policy.keep_last)?;
        }
    }

    let total = run_start.elapsed().as_secs_f64();
    let per_step = |d: Duration| d.as_secs_f64() * 1e3 / sum_steps.max(1) as f64;
    report.steps = step;
    report.outcome = ended_early.unwrap_or(Outcome::Completed {
        epochs: report.epochs_completed,
    });
    report.timings = TimingSummary {
        total_seconds: total,
        seconds_per_epoch: total / (report.epochs_completed - start_epoch).max(1) as f64,
        mean_step_ms: per_step(sum.total()),
        mean_data_ms: per_step(sum.data),
        mean_forward_backward_ms: per_step(sum.forward_backward),
        mean_update_ms: per_step(sum.update),
        slow_steps,
    };
    sinks.iter_mut().for_each(|s| s.on_end(&report.outcome));
    Ok(Trained { model, report })
}

/// Evaluates on the validation split (or its first `limit` samples) and tells every sink.
fn evaluate_to_sinks(
    model: &Mlp,
    val: &Dataset,
    limit: usize,
    step: u64,
    epoch: usize,
    sinks: &mut [&mut dyn Sink],
) -> (f32, Option<f64>) {
    let (val_loss, val_accuracy) = evaluate(model, val, limit);
    let e = EvalMetrics {
        step,
        epoch,
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
