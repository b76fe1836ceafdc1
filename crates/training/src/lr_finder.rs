//! The learning-rate range test (Leslie Smith, 2015; fastai's `lr_find`): grow the rate
//! exponentially over about 100 iterations and watch where the loss falls fastest.
//!
//! ```text
//! lr_i       = start_lr * (end_lr / start_lr)^(i / (n - 1))        i = 0 .. n-1
//! avg_i      = beta * avg_{i-1} + (1 - beta) * loss_i              avg_{-1} = 0, beta = 0.98
//! smoothed_i = avg_i / (1 - beta^(i+1))                            bias correction (as in Adam)
//! stop after iteration i when smoothed_i > 4 * min(smoothed_0..i), or loss_i is not finite
//! slope_i    = (smoothed_{i+1} - smoothed_i) / (ln lr_{i+1} - ln lr_i)   over the kept points
//! suggestion = lr_i with the most negative slope_i                 "steepest descent"
//!              over the points left after skipping the first 10 and the last 5
//! ```
//!
//! The skips are fastai v1's (`recorder.plot(skip_start=10, skip_end=5, suggestion=True)`):
//! the first smoothed points are single noisy minibatches whose jumps would otherwise look like
//! the steepest descent (on the digits the raw first slope is steeper than the real one), and
//! the last points are already climbing.
//!
//! Each iteration is one minibatch of the config's batch size (seeded order, epochs wrap
//! around), one optimizer step at `lr_i` with the config's optimizer: one [`Trainer`] step, with
//! the sweep as its schedule. The stopping point itself is recorded but not used for the
//! suggestion. The model and the optimizer's state are thrown away.
//!
//! PyTorch has no range test of its own; this is fastai's `LRFinder` (defaults 1e-7 .. 10,
//! 100 iterations, `beta = 0.98`, stop at 4x the best) with fastai's `steep` suggestion
//! (forward differences against `ln lr`), and torch-lr-finder's `step_mode="exp"`.

use serde::{Deserialize, Serialize};
use trainlab_data::Dataset;
use trainlab_schedules::{LrSchedule, StepUnit};

use crate::{Outcome, Progress, Sink, StepMetrics, TrainConfig, TrainError, Trainer};

/// Settings of the range test. `Default` is fastai's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LrFinderConfig {
    /// The first rate. Default: 1e-7.
    pub start_lr: f64,
    /// The last rate. Default: 10.
    pub end_lr: f64,
    /// Iterations from `start_lr` to `end_lr`. Default: 100.
    pub iterations: usize,
    /// Smoothing factor of the loss average. Default: 0.98.
    pub beta: f64,
    /// Stop when the smoothed loss exceeds this many times its best. Default: 4.
    pub diverge_factor: f64,
    /// Points left out at the start when picking the suggestion. Default: 10.
    pub skip_start: usize,
    /// Points left out at the end when picking the suggestion. Default: 5.
    pub skip_end: usize,
}

impl Default for LrFinderConfig {
    fn default() -> Self {
        Self {
            start_lr: 1e-7,
            end_lr: 10.0,
            iterations: 100,
            beta: 0.98,
            diverge_factor: 4.0,
            skip_start: 10,
            skip_end: 5,
        }
    }
}

impl LrFinderConfig {
    /// Checks the ranges; errors name the field.
    pub fn validate(&self) -> Result<(), TrainError> {
        let bad = |key: &str, value: f64, expected: &str| {
            Err(TrainError::InvalidConfig {
                key: key.into(),
                value: value.to_string(),
                expected: expected.into(),
            })
        };
        if !(self.start_lr > 0.0 && self.start_lr.is_finite()) {
            return bad("lr_finder.start_lr", self.start_lr, "a finite rate > 0");
        }
        if !(self.end_lr > self.start_lr && self.end_lr.is_finite()) {
            return bad("lr_finder.end_lr", self.end_lr, "a finite rate > start_lr");
        }
        if self.iterations < 3 {
            return bad(
                "lr_finder.iterations",
                self.iterations as f64,
                "at least 3 iterations",
            );
        }
        if !(0.0..1.0).contains(&self.beta) {
            return bad("lr_finder.beta", self.beta, "0 <= beta < 1");
        }
        if self.diverge_factor.is_nan() || self.diverge_factor <= 1.0 {
            return bad("lr_finder.diverge_factor", self.diverge_factor, "> 1");
        }
        Ok(())
    }

    /// The rate of iteration `i` (0-based).
    pub fn lr(&self, i: usize) -> f64 {
        let t = i as f64 / (self.iterations - 1) as f64;
        self.start_lr * (self.end_lr / self.start_lr).powf(t)
    }
}

/// One iteration of the range test.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrPoint {
    /// The rate used.
    pub lr: f64,
    /// The minibatch loss (may be `inf` or `NaN` on the last point).
    pub loss: f64,
    /// The bias-corrected running average.
    pub smoothed: f64,
}

/// The outcome of a range test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrFinderResult {
    /// Every iteration run, in order.
    pub points: Vec<LrPoint>,
    /// The rate at the steepest descent of the smoothed loss; `None` when fewer than 2 points
    /// are left after the skips.
    pub suggestion: Option<f64>,
    /// The lowest smoothed loss and its rate.
    pub best: Option<(f64, f64)>,
    /// True when the loss passed `diverge_factor` times its best (or stopped being finite)
    /// before `end_lr`.
    pub stopped_early: bool,
}

/// Forward-difference slope of `smoothed` against `ln lr`; the rate where it is most negative.
pub(crate) fn steepest(points: &[LrPoint]) -> Option<f64> {
    points
        .windows(2)
        .map(|w| {
            let slope = (w[1].smoothed - w[0].smoothed) / (w[1].lr.ln() - w[0].lr.ln());
            (slope, w[0].lr)
        })
        .filter(|(s, _)| s.is_finite())
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, lr)| lr)
}

/// The range test's rates as a schedule: `lr(i)` per iteration, what the trainer hands the
/// update rule.
struct RangeSchedule(LrFinderConfig);

impl LrSchedule for RangeSchedule {
    fn unit(&self) -> StepUnit {
        StepUnit::Batch
    }
    fn lr(&self, t: usize) -> f32 {
        self.0.lr(t) as f32
    }
    fn name(&self) -> &'static str {
        "lr_range_test"
    }
}

/// Runs the range test on a fresh model of `config` over `train` (validating on `val`), with
/// the config's optimizer and batch size: one [`Trainer`] whose schedule is the exponential
/// sweep. Nothing is kept of the model or the optimizer afterwards.
///
/// ```
/// use trainlab_training::{lr_range_test, LrFinderConfig, TrainConfig};
/// use trainlab_data::synthetic::two_moons;
/// let data = two_moons(200, 0.1, 0);
/// let r = lr_range_test(&TrainConfig::default(), data.clone(), data, &LrFinderConfig::default()).unwrap();
/// assert!(r.points.len() <= 100 && r.suggestion.is_some());
/// let lr = r.suggestion.unwrap();
/// assert!(r.points.iter().any(|p| p.lr == lr));
/// ```
pub fn lr_range_test(
    config: &TrainConfig,
    train: Dataset,
    val: Dataset,
    finder: &LrFinderConfig,
) -> Result<LrFinderResult, TrainError> {
    finder.validate()?;
    let mut config = config.clone();
    // every iteration is one step of the sweep, however many epochs that takes
    config.train.epochs = finder.iterations;
    config.train.early_stopping = None;
    let plan = config
        .plan_on(train, val)?
        .with_schedule(Box::new(RangeSchedule(finder.clone())));
    run_range_test(Trainer::new(plan), finder)
}

fn run_range_test(
    mut trainer: Trainer,
    finder: &LrFinderConfig,
) -> Result<LrFinderResult, TrainError> {
    let beta = finder.beta;
    let (mut avg, mut best) = (0.0f64, f64::INFINITY);
    let mut best_at = None;
    let mut points = Vec::with_capacity(finder.iterations);
    let mut stopped_early = false;
    let mut last = StepSink::default();
    for i in 0..finder.iterations {
        if let Progress::Finished(Outcome::Diverged { loss, .. }) =
            trainer.step(&mut [&mut last])?
        {
            // the loss of the last iteration was not finite: its point ends the curve
            let lr = f64::from(finder.lr(i) as f32); // the rate the schedule handed this step
            let loss: f64 = loss.parse().unwrap_or(f64::NAN);
            points.push(LrPoint {
                lr,
                loss,
                smoothed: f64::NAN,
            });
            stopped_early = true;
            break;
        }
        let (Some(lr), Some(loss)) = (last.lr, last.loss) else {
            break; // the trainer ran out of epochs: cannot happen with epochs = iterations
        };
        let (lr, loss) = (f64::from(lr), f64::from(loss));
        avg = beta * avg + (1.0 - beta) * loss;
        let smoothed = avg / (1.0 - beta.powi(i as i32 + 1));
        points.push(LrPoint { lr, loss, smoothed });
        if !smoothed.is_finite() || smoothed > finder.diverge_factor * best {
            stopped_early = true;
            break;
        }
        if smoothed < best {
            best = smoothed;
            best_at = Some((lr, smoothed));
        }
    }
    let usable = points.len() - usize::from(stopped_early);
    let end = usable.saturating_sub(finder.skip_end);
    let kept = &points[finder.skip_start.min(end)..end];
    Ok(LrFinderResult {
        suggestion: steepest(kept),
        best: best_at,
        stopped_early,
        points,
    })
}

/// Keeps the rate and loss of the last iteration.
#[derive(Default)]
struct StepSink {
    lr: Option<f32>,
    loss: Option<f32>,
}

impl Sink for StepSink {
    fn on_step(&mut self, m: &StepMetrics) {
        self.lr = Some(m.lr);
        self.loss = Some(m.loss);
    }
}

/// Plans `config` (its data, its training split) and runs the range test on it.
pub fn find_lr(
    config: &TrainConfig,
    finder: &LrFinderConfig,
) -> Result<LrFinderResult, TrainError> {
    let data = config.plan()?.data;
    lr_range_test(config, data.train, data.val, finder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::{assert_close, F64_TOL};

    #[test]
    fn rates_grow_exponentially_from_start_to_end() {
        let f = LrFinderConfig {
            start_lr: 1e-4,
            end_lr: 1.0,
            iterations: 5,
            ..LrFinderConfig::default()
        };
        // 4 decades over 4 steps: one decade per step
        for (i, want) in [1e-4, 1e-3, 1e-2, 1e-1, 1.0].into_iter().enumerate() {
            assert_close(f.lr(i), want, F64_TOL, &format!("lr({i})"));
        }
    }

    #[test]
    fn steepest_picks_the_most_negative_slope() {
        // ln lr spaced by ln 10; smoothed drops 0.1, then 0.5, then 0.2: steepest is after 1e-3
        let p = |lr: f64, s: f64| LrPoint {
            lr,
            loss: s,
            smoothed: s,
        };
        let pts = [p(1e-4, 2.0), p(1e-3, 1.9), p(1e-2, 1.4), p(1e-1, 1.2)];
        assert_eq!(steepest(&pts), Some(1e-3));
        assert_eq!(steepest(&pts[..1]), None);
    }

    #[test]
    fn bias_correction_by_hand() {
        // constant loss L: avg_0 = 0.02 L, smoothed_0 = 0.02 L / (1 - 0.98) = L; so the smoothed
        // curve of a constant loss is that constant from the first point on.
        let beta: f64 = 0.98;
        let mut avg = 0.0;
        for i in 0..10 {
            avg = beta * avg + (1.0 - beta) * 3.0;
            assert_close(
                avg / (1.0 - beta.powi(i + 1)),
                3.0,
                F64_TOL,
                "smoothed constant",
            );
        }
    }

    #[test]
    fn invalid_settings_name_the_field() {
        let cases = [
            (
                LrFinderConfig {
                    start_lr: 0.0,
                    ..Default::default()
                },
                "start_lr",
            ),
            (
                LrFinderConfig {
                    end_lr: 1e-8,
                    ..Default::default()
                },
                "end_lr",
            ),
            (
                LrFinderConfig {
                    iterations: 1,
                    ..Default::default()
                },
                "iterations",
            ),
            (
                LrFinderConfig {
                    beta: 1.0,
                    ..Default::default()
                },
                "beta",
            ),
        ];
        for (cfg, key) in cases {
            let err = cfg.validate().unwrap_err().to_string();
            assert!(err.contains(key), "{err}");
        }
    }
}
