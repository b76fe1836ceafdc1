//! Concrete entry points for the notebooks.
//!
//! evcxr compiles every notebook cell as a crate: a cell that instantiates dfdx's generic code
//! takes about 9 s, a cell that only calls compiled functions about 1 s. So everything a notebook
//! runs lives here, with no generic parameter left for a cell to fill in: configs are written as
//! TOML text ([`config`]), training returns a [`History`], and every chart comes back as an
//! [`Svg`] whose `evcxr_display()` draws it inline.
//!
//! ```
//! use trainlab::lessons;
//! let cfg = lessons::config("[train]\nepochs = 2").unwrap();
//! assert_eq!(cfg.train.epochs, 2);
//! let err = lessons::config("[train]\nepochs = 0").unwrap_err();
//! assert!(err.to_string().contains("train.epochs"));
//! ```

pub mod data_first;
pub mod dropout;
pub mod honest;
pub mod mistakes;
pub mod overfit;
pub mod settle;
pub mod your_turn;

use std::path::{Path as FsPath, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use trainlab_diagnosis::{report, Thresholds};
use trainlab_optimizers::OptimizerConfig;
use trainlab_plots::{
    Chart, KFoldScores, LearningCurves, LrFinderCurve, LrSchedules, Path, SearchResults, Series,
    Surface, Svg, Trajectories, Trial,
};
use trainlab_schedules::{sequence, ScheduleConfig};
use trainlab_tracking::tensorboard::{read_records, HParams, SessionStatus};
use trainlab_tracking::{EventWriter, RunDir};
use trainlab_training::{
    cross_validate_config, find_lr, sanity_ladder, CvConfig, CvReport, History, LrFinderConfig,
    LrFinderResult, Plan, SanityConfig, SanityReport, TimingSummary, TrainConfig, Trainer,
};

/// A [`TrainConfig`] from TOML text (every key optional, the defaults train the MLP on the
/// digits), validated: a bad key is an error naming it.
pub fn config(toml: &str) -> Result<TrainConfig> {
    let config = TrainConfig::from_toml_str(toml, FsPath::new("<notebook cell>"))?;
    config.validate()?;
    Ok(config)
}

/// An optimizer from TOML text such as `kind = "momentum"\nalpha = 0.1\nbeta = 0.9`.
pub fn optimizer(toml: &str) -> Result<OptimizerConfig> {
    let parsed: OptimizerConfig =
        toml::from_str(toml).map_err(|e| anyhow!("optimizer config {toml:?}: {e}"))?;
    parsed.build()?;
    Ok(parsed)
}

/// A learning-rate schedule from TOML text such as `kind = "step_decay"\nstep_size = 5`.
pub fn schedule(toml: &str) -> Result<ScheduleConfig> {
    let parsed: ScheduleConfig =
        toml::from_str(toml).map_err(|e| anyhow!("schedule config {toml:?}: {e}"))?;
    Ok(parsed)
}

// ---------------------------------------------------------------------------------------------
// 01: optimizers on loss surfaces and on the digits

/// Runs `optimizer` for `steps` steps on a 2-D `surface` from `start`, with the surface's exact
/// gradient, and returns the visited points (start included). Stops early if a point leaves
/// the finite numbers (a diverging rate).
///
/// ```
/// use trainlab::lessons::{optimizer, surface_path};
/// use trainlab_plots::Surface;
/// let sgd = optimizer("kind = \"sgd\"\nalpha = 0.1").unwrap();
/// let path = surface_path(Surface::Valley, &sgd, (-8.0, 1.0), 50, "sgd").unwrap();
/// assert_eq!(path.points.len(), 51);
/// // y has curvature 2: one step of 0.1 multiplies it by 1 - 0.1 * 2 = 0.8
/// assert!((path.points[1].1 - 0.8).abs() < 1e-6);
/// ```
pub fn surface_path(
    surface: Surface,
    optimizer: &OptimizerConfig,
    start: (f64, f64),
    steps: usize,
    name: &str,
) -> Result<Path> {
    let mut opt = optimizer.build()?;
    let mut theta = [start.0 as f32, start.1 as f32];
    let mut points = vec![start];
    for _ in 0..steps {
        let (gx, gy) = surface.gradient(f64::from(theta[0]), f64::from(theta[1]));
        opt.begin_step();
        opt.try_update_slice(0, &mut theta, &[gx as f32, gy as f32])?;
        let p = (f64::from(theta[0]), f64::from(theta[1]));
        if !(p.0.is_finite() && p.1.is_finite()) || p.0.abs() > 1e6 || p.1.abs() > 1e6 {
            break;
        }
        points.push(p);
    }
    Ok(Path::new(name, points))
}

/// A PNG image; ending a notebook cell with `png.evcxr_display()` shows it inline.
///
/// Charts with thousands of contour segments are a few hundred kB as SVG and a tenth of that as
/// PNG, which keeps the committed notebooks small.
///
/// ```
/// let png = trainlab::lessons::Png(vec![0x89, b'P', b'N', b'G']);
/// assert_eq!(
///     png.evcxr_content(),
///     "EVCXR_BEGIN_CONTENT image/png\niVBORw==\nEVCXR_END_CONTENT"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Png(pub Vec<u8>);

impl Png {
    /// Prints the image in evcxr's rich-output protocol, so the Jupyter kernel draws it.
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_content());
    }

    /// The text [`Png::evcxr_display`] prints: the bytes in base64 between evcxr's markers.
    pub fn evcxr_content(&self) -> String {
        format!(
            "EVCXR_BEGIN_CONTENT image/png\n{}\nEVCXR_END_CONTENT",
            base64(&self.0)
        )
    }
}

/// Standard base64 with padding (RFC 4648, section 4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The paths of several named optimizers from one start, drawn over the surface's contours
/// (as PNG: the contours make a large SVG).
pub fn plot_surface_paths(
    surface: Surface,
    optimizers: &[(&str, OptimizerConfig)],
    start: (f64, f64),
    steps: usize,
) -> Result<Png> {
    let paths = optimizers
        .iter()
        .map(|(name, opt)| surface_path(surface, opt, start, steps, name))
        .collect::<Result<Vec<_>>>()?;
    let title = format!("{steps} steps on {}", surface.formula());
    Ok(Png(Trajectories::new(title, surface, paths).png()?))
}

/// One named training run and its history.
#[derive(Clone, Debug)]
pub struct Run {
    /// The name shown in legends.
    pub name: String,
    /// Every epoch of the run.
    pub history: History,
}

impl Run {
    /// The last epoch's validation accuracy, if the run is a classification.
    pub fn final_val_accuracy(&self) -> Option<f64> {
        self.history.epochs.last().and_then(|e| e.val_accuracy)
    }
}

/// One line per run: its name and final validation accuracy (or loss for a regression).
pub fn summary(runs: &[Run]) -> String {
    let width = runs.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in runs {
        let line = match (r.final_val_accuracy(), r.history.epochs.last()) {
            (Some(acc), _) => format!("{:>width$}: val accuracy {acc:.3}\n", r.name),
            (None, Some(e)) => format!("{:>width$}: val loss {:.4}\n", r.name, e.val_loss),
            (None, None) => format!("{:>width$}: no epoch finished\n", r.name),
        };
        out.push_str(&line);
    }
    out
}

/// Trains `config` once per optimizer (same data, same seed, same initial weights) and returns
/// the runs in order.
pub fn compare_optimizers(
    config: &TrainConfig,
    optimizers: &[(&str, OptimizerConfig)],
) -> Result<Vec<Run>> {
    optimizers
        .iter()
        .map(|(name, opt)| {
            let mut c = config.clone();
            c.optimizer = *opt;
            Ok(Run {
                name: name.to_string(),
                history: train_history(&c)?,
            })
        })
        .collect()
}

/// Trains `config` on its data (digits by default) and returns its history: its plan, run by
/// the one trainer.
pub fn train_history(config: &TrainConfig) -> Result<History> {
    run_plan(config.plan()?)
}

/// Trains `config` on its first `n_train` training rows only (validation unchanged): fewer rows,
/// more overfitting.
pub fn train_history_on(config: &TrainConfig, n_train: usize) -> Result<History> {
    let (train, val) = config.plan()?.data().clone_splits();
    if n_train == 0 || n_train > train.len() {
        bail!(
            "n_train = {n_train}: expected 1..={} (the training split's rows)",
            train.len()
        );
    }
    let rows: Vec<usize> = (0..n_train).collect();
    run_plan(config.plan_on(train.subset(&rows), val)?)
}

fn run_plan(plan: Plan) -> Result<History> {
    let mut history = History::default();
    Trainer::new(plan).run(&mut [&mut history])?;
    Ok(history)
}

fn epochs_axis(h: &History) -> Vec<f64> {
    h.epochs.iter().map(|e| (e.epoch + 1) as f64).collect()
}

fn f64s(v: Vec<f32>) -> Vec<f64> {
    v.into_iter().map(f64::from).collect()
}

/// Validation loss (left) and accuracy (right) of several runs, one line per run.
pub fn plot_runs(title: &str, runs: &[Run]) -> Result<Svg> {
    let loss = runs
        .iter()
        .map(|r| {
            Series::new(
                r.name.clone(),
                epochs_axis(&r.history),
                f64s(r.history.val_losses()),
            )
        })
        .collect();
    let accuracy = runs
        .iter()
        .filter(|r| !r.history.val_accuracies().is_empty())
        .map(|r| {
            Series::new(
                r.name.clone(),
                epochs_axis(&r.history),
                r.history.val_accuracies(),
            )
        })
        .collect();
    let mut chart = LearningCurves::new(title, loss, accuracy);
    chart.x_label = "epoch".to_string();
    let (cap, cut) = honest::loss_cap(runs);
    chart.loss_cap = cap;
    let notes: Vec<String> = cut.into_iter().chain(honest::noise_note(runs)).collect();
    chart.note = (!notes.is_empty()).then(|| notes.join("; "));
    Ok(chart.svg()?)
}

// ---------------------------------------------------------------------------------------------
// 02: learning rates and their decay

/// The first `n` rates of each named schedule, starting from `alpha`, on one chart.
pub fn plot_schedules(alpha: f32, n: usize, schedules: &[(&str, ScheduleConfig)]) -> Result<Svg> {
    let mut series = Vec::with_capacity(schedules.len());
    for (name, cfg) in schedules {
        let s = cfg
            .build(alpha)
            .map_err(|e| anyhow!("schedule {name:?}: {e}"))?;
        let rates = sequence(s.as_ref(), n).into_iter().map(f64::from).collect();
        let epochs = (0..n).map(|t| t as f64).collect();
        series.push(Series::new(*name, epochs, rates));
    }
    let mut chart = LrSchedules::new(format!("learning rate from alpha = {alpha}"), series)
        .with_staircase(true);
    chart.x_label = "epoch (the rate holds for the whole epoch)".to_string();
    Ok(chart.svg()?)
}

/// The LR range test on a fresh model of `config` over its training split.
pub fn lr_range(config: &TrainConfig) -> Result<LrFinderResult> {
    Ok(find_lr(config, &LrFinderConfig::default())?)
}

/// The range test's loss against the rate (log axis), smoothed, with the suggested rate marked.
pub fn plot_lr_range(result: &LrFinderResult) -> Result<Svg> {
    let lrs = result.points.iter().map(|p| p.lr).collect();
    let losses = result.points.iter().map(|p| p.loss).collect();
    let smoothed = result.points.iter().map(|p| p.smoothed).collect();
    let mut chart = LrFinderCurve::new("LR range test", lrs, losses).with_smoothed(smoothed);
    if let Some(lr) = result.suggestion {
        chart = chart.with_suggestion(lr);
    }
    Ok(chart.svg()?)
}

// ---------------------------------------------------------------------------------------------
// 03: splits and cross-validation

/// k-fold cross-validation of `config` over its development rows (the sealed test set stays out).
pub fn cross_validate(config: &TrainConfig, k: usize, stratified: bool) -> Result<CvReport> {
    let cv = CvConfig { k, stratified };
    Ok(cross_validate_config(config, &cv, &mut |_| {})?)
}

/// One bar per fold, with the mean and standard deviation.
pub fn plot_folds(report: &CvReport) -> Result<Svg> {
    let title = format!("{}-fold cross-validation", report.folds.len());
    let chart = KFoldScores::new(title, report.metric.clone(), report.summary.scores.clone());
    Ok(chart.svg()?)
}

// ---------------------------------------------------------------------------------------------
// 04: learning curves and their diagnosis

/// Train and validation loss and accuracy of one run, with the validation minimum marked.
pub fn plot_history(title: &str, history: &History) -> Result<Svg> {
    let acc = |pick: fn(&trainlab_training::EpochMetrics) -> Option<f64>| -> Vec<f64> {
        history.epochs.iter().filter_map(pick).collect()
    };
    let chart = LearningCurves::train_val(
        title,
        epochs_axis(history),
        f64s(history.train_losses()),
        f64s(history.val_losses()),
        acc(|e| e.train_accuracy),
        acc(|e| e.val_accuracy),
    );
    Ok(chart.svg()?)
}

/// The diagnosis of a run's learning curves as text: each verdict with its evidence.
pub fn diagnose(history: &History) -> String {
    report(&history.diagnose(&Thresholds::default()))
}

/// The final training and validation error (`1 - accuracy`) of `config` trained on each number
/// of rows in `sizes`: the learning curve over the training-set size.
pub fn size_curve(config: &TrainConfig, sizes: &[usize]) -> Result<Vec<(usize, f64, f64)>> {
    let mut points = Vec::with_capacity(sizes.len());
    for &n in sizes {
        let h = train_history_on(config, n)?;
        let last = h
            .epochs
            .last()
            .context("a run with at least one epoch has a last epoch")?;
        let (Some(train_acc), Some(val_acc)) = (last.train_accuracy, last.val_accuracy) else {
            bail!("size_curve needs a classification data set (accuracies)");
        };
        points.push((n, 1.0 - train_acc, 1.0 - val_acc));
    }
    Ok(points)
}

/// Training and validation error against the number of training rows.
pub fn plot_size_curve(points: &[(usize, f64, f64)]) -> Result<Svg> {
    let x: Vec<f64> = points.iter().map(|p| p.0 as f64).collect();
    let train = Series::new(
        "train error",
        x.clone(),
        points.iter().map(|p| p.1).collect(),
    );
    let val = Series::new("val error", x, points.iter().map(|p| p.2).collect());
    let mut chart =
        LearningCurves::new("error against training-set size", vec![train, val], vec![]);
    chart.x_label = "training rows".to_string();
    chart.loss_label = "error (1 - accuracy)".to_string();
    Ok(chart.svg()?)
}

// ---------------------------------------------------------------------------------------------
// 05: hyperparameter search

/// Trains `config` once per `(alpha, weight_decay)` pair (Adam with decoupled decay) and
/// returns the final validation accuracy of each, `NaN` for a run that diverged.
pub fn search_alpha_decay(config: &TrainConfig, trials: &[(f64, f64)]) -> Result<Vec<Trial>> {
    let mut out = Vec::with_capacity(trials.len());
    for &(alpha, weight_decay) in trials {
        let opt = optimizer(&format!(
            "kind = \"adamw\"\nalpha = {alpha}\nweight_decay = {weight_decay}"
        ))?;
        let mut c = config.clone();
        c.optimizer = opt;
        let h = train_history(&c)?;
        let metric = h
            .epochs
            .last()
            .and_then(|e| e.val_accuracy)
            .unwrap_or(f64::NAN);
        out.push(Trial {
            lr: alpha,
            weight_decay,
            metric,
        });
    }
    Ok(out)
}

/// The trials on the (learning rate, weight decay) plane, coloured by accuracy, best marked.
pub fn plot_search(title: &str, trials: &[Trial]) -> Result<Svg> {
    let chart = SearchResults::new(title, "val accuracy", trials.to_vec());
    Ok(chart.svg()?)
}

/// `n` points spaced evenly on a log scale from `low` to `high` (both included): a grid for
/// a learning rate.
///
/// ```
/// let g = trainlab::lessons::log_grid(1e-4, 1e-1, 4);
/// for (a, b) in g.iter().zip([1e-4, 1e-3, 1e-2, 1e-1]) {
///     assert!((a / b - 1.0).abs() < 1e-12);
/// }
/// ```
pub fn log_grid(low: f64, high: f64, n: usize) -> Vec<f64> {
    if n < 2 {
        return vec![low; n];
    }
    let (a, b) = (low.log10(), high.log10());
    (0..n)
        .map(|i| 10f64.powf(a + (b - a) * i as f64 / (n - 1) as f64))
        .collect()
}

/// `n` points drawn uniformly on a log scale from `low` to `high`, seeded: random search.
///
/// ```
/// let r = trainlab::lessons::log_uniform(1e-4, 1e-1, 20, 0);
/// assert!(r.iter().all(|&x| (1e-4..=1e-1).contains(&x)));
/// assert_eq!(r, trainlab::lessons::log_uniform(1e-4, 1e-1, 20, 0));
/// ```
pub fn log_uniform(low: f64, high: f64, n: usize, seed: u64) -> Vec<f64> {
    // SplitMix64: a tiny seeded generator, enough to place points
    let mut state = seed;
    let (a, b) = (low.log10(), high.log10());
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let u = (z >> 11) as f64 / (1u64 << 53) as f64;
            10f64.powf(a + (b - a) * u)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 06: the training recipe and debugging

/// The sanity ladder on `config`'s data: the initial loss against `ln C`, then overfitting 1, 4,
/// 10, 100 and 1000 training rows (each should reach 100 % training accuracy).
pub fn sanity(config: &TrainConfig) -> Result<SanityReport> {
    let plan = config.plan()?;
    let data = plan.data();
    let sanity = SanityConfig::default();
    Ok(sanity_ladder(
        config,
        &data.train,
        &data.val,
        &sanity,
        &mut |_| {},
    )?)
}

/// The sanity report as text, one line per check.
pub fn sanity_text(report: &SanityReport) -> String {
    let i = &report.initial;
    let mut out = format!(
        "initial loss {:.4}, expected ln({}) = {:.4} +- {:.2}: {:?}\n",
        i.loss, i.n_classes, i.expected, i.tolerance, i.verdict
    );
    for rung in &report.ladder {
        let val = rung
            .val_accuracy
            .map_or("     -".to_string(), |a| format!("{a:.3}"));
        out.push_str(&format!(
            "overfit {:>4} rows: train accuracy {:.3}, val accuracy {val} after {} iterations{}\n",
            rung.n,
            rung.train_accuracy,
            rung.iterations,
            if rung.reached_100 {
                " (100 %)"
            } else {
                "  <- did not reach 100 %"
            }
        ));
    }
    out
}

/// Trains `config` and returns where the time went: data, forward + backward, update.
pub fn timings(config: &TrainConfig) -> Result<TimingSummary> {
    let trained = Trainer::new(config.plan()?).run(&mut [])?;
    Ok(trained.report.timings)
}

// ---------------------------------------------------------------------------------------------
// 07: tracking runs and TensorBoard

/// Writes each run as `root/experiment/<run name>/` with a TensorBoard event file: per epoch
/// `loss/train`, `loss/val`, `accuracy/val` and `lr`, and the run's name, optimizer kind and
/// final validation accuracy through the hparams plugin. Returns the run directories.
pub fn track_runs(root: &FsPath, experiment: &str, runs: &[Run]) -> Result<Vec<PathBuf>> {
    let mut dirs = Vec::with_capacity(runs.len());
    for run in runs {
        let name: String = run
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let dir = RunDir::create(root, experiment, Some(&name))?;
        let mut events = EventWriter::create(dir.path())?;
        for e in &run.history.epochs {
            let step = e.epoch as u64 + 1;
            events.add_scalars(
                step,
                &[
                    ("loss/train", e.train_loss),
                    ("loss/val", e.val_loss),
                    ("lr", e.lr),
                ],
            )?;
            if let Some(acc) = e.val_accuracy {
                events.add_scalar("accuracy/val", step, acc as f32)?;
            }
        }
        let hparams = HParams::new()
            .with("run", run.name.as_str())
            .metric("accuracy/val");
        let status = match run.history.outcome {
            Some(trainlab_training::Outcome::Diverged { .. }) => SessionStatus::Failure,
            _ => SessionStatus::Success,
        };
        events.add_hparams(&hparams, status)?;
        events.flush()?;
        dirs.push(dir.path().to_path_buf());
    }
    Ok(dirs)
}

/// The number of records in every TensorBoard event file under `dir` (read back with the
/// framing and CRC checks TensorBoard applies), by file.
pub fn event_records(dir: &FsPath) -> Result<Vec<(PathBuf, usize)>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| anyhow!("reading {}: {e}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("events.out.tfevents"))
            {
                let n = read_records(&path)?.len();
                found.push((path, n));
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        // RFC 4648 section 10
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, want) in cases {
            assert_eq!(base64(input.as_bytes()), want, "base64({input:?})");
        }
    }

    #[test]
    fn bad_optimizer_key_names_it() {
        let err = optimizer("kind = \"sgd\"\nalpha = -1.0").unwrap_err();
        assert!(format!("{err:#}").contains("alpha"), "{err:#}");
    }

    #[test]
    fn momentum_beats_sgd_along_the_valley_floor() {
        // Valley f = x^2/20 + y^2: along x the gradient is x/10, so SGD with alpha = 0.1 shrinks
        // x by 0.99 per step (0.99^50 = 0.605); momentum beta = 0.9 gets much closer to 0.
        let sgd = optimizer("kind = \"sgd\"\nalpha = 0.1").unwrap();
        let mom = optimizer("kind = \"momentum\"\nalpha = 0.1\nbeta = 0.9").unwrap();
        let a = surface_path(Surface::Valley, &sgd, (-8.0, 1.0), 50, "sgd").unwrap();
        let b = surface_path(Surface::Valley, &mom, (-8.0, 1.0), 50, "momentum").unwrap();
        let x_sgd = a.points.last().unwrap().0;
        assert!((x_sgd - -8.0 * 0.99f64.powi(50)).abs() < 1e-3, "{x_sgd}");
        assert!(b.points.last().unwrap().0.abs() < x_sgd.abs());
    }

    #[test]
    fn diverging_path_stops() {
        // y is multiplied by 1 - 2 alpha = -9 per step: it leaves 1e6 after 7 steps
        let sgd = optimizer("kind = \"sgd\"\nalpha = 5.0").unwrap();
        let p = surface_path(Surface::Valley, &sgd, (0.0, 1.0), 100, "sgd").unwrap();
        assert_eq!(p.points.len(), 7);
    }

    #[test]
    fn tracked_runs_read_back_one_record_per_scalar() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let runs = compare_optimizers(
            &config("[train]\nepochs = 2").unwrap(),
            &[("sgd 0.1", optimizer("kind = \"sgd\"\nalpha = 0.1").unwrap())],
        )
        .unwrap();
        let dirs = track_runs(dir.path(), "exp", &runs).unwrap();
        assert!(dirs[0].ends_with("exp/sgd-0.1"), "{dirs:?}");
        let records = event_records(dir.path()).unwrap();
        assert_eq!(records.len(), 1);
        // file version + 2 epochs x (3 scalars + accuracy) + hparams (experiment, start, end);
        // add_scalars writes its values in one event per call
        assert!(records[0].1 >= 1 + 2 * 2 + 3, "{records:?}");
    }

    #[test]
    fn train_history_on_rejects_too_many_rows() {
        let c = config("[train]\nepochs = 1").unwrap();
        let err = train_history_on(&c, 1_000_000).unwrap_err();
        assert!(err.to_string().contains("n_train"), "{err}");
    }
}
