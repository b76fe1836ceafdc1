//! Hyperparameter search results: the validation metric of every trial against its learning
//! rate (log x) and against its weight decay, the best trial starred.
//!
//! ```text
//! left:  (lr_i, metric_i)            log x
//! right: (weight_decay_i, metric_i)  log x when every weight decay > 0, else linear
//! best:  argmax metric (argmin when lower is better), over finite metrics
//! ```
//! Like Optuna's `plot_slice`; PyTorch has no search. A diverged trial (NaN metric) is a row of
//! the results, not an error: it is left out of the chart and counted in the caption.
//!
//! An ASHA search adds its pruned trials (their metric at the rung that stopped them, a series
//! of their own in both panels) and a third panel, the rungs: each trial's score at every rung
//! it reached against epochs (log x), the trials that went on to the last budget in one colour,
//! the pruned ones in another, a dashed line at each rung's budget (Optuna's
//! `plot_intermediate_values` with the rungs marked).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::check;
use crate::error::{drawing, Result};
use crate::output::impl_chart;
use crate::panel::{draw_panel, Look, Panel};
use crate::series::{Mark, Series};
use crate::style::{self, FONT, TITLE_SIZE};

/// One trial of a search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trial {
    /// Learning rate, > 0.
    pub lr: f64,
    /// Weight decay, >= 0.
    pub weight_decay: f64,
    /// Validation metric; NaN for a diverged trial.
    pub metric: f64,
}

/// Every trial of a search, metric against learning rate and weight decay.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// Chart title.
    pub title: String,
    /// Name of the metric, e.g. `"val accuracy"`.
    pub metric_name: String,
    /// The trials.
    pub trials: Vec<Trial>,
    /// Whether a larger metric is better (accuracy) or a smaller one (loss). Default: true.
    pub higher_is_better: bool,
    /// Trials ASHA stopped early, metric at their last rung. Default: none.
    pub pruned: Vec<Trial>,
    /// ASHA's rungs, drawn as a third panel when given. Default: `None`.
    pub rungs: Option<Rungs>,
}

/// ASHA's rungs and every trial's path through them.
#[derive(Debug, Clone, PartialEq)]
pub struct Rungs {
    /// The epoch budgets, e.g. 1, 3, 9, 27 (the last one: trials that were never pruned).
    pub budgets: Vec<f64>,
    /// One path per trial.
    pub paths: Vec<RungPath>,
}

/// One trial's scores at the rungs it reached.
#[derive(Debug, Clone, PartialEq)]
pub struct RungPath {
    /// Epochs at each point (> 0).
    pub epochs: Vec<f64>,
    /// The score there (NaN: not drawn).
    pub scores: Vec<f64>,
    /// Whether ASHA stopped it.
    pub pruned: bool,
}

impl SearchResults {
    /// Results with `higher_is_better = true`.
    pub fn new(
        title: impl Into<String>,
        metric_name: impl Into<String>,
        trials: Vec<Trial>,
    ) -> Self {
        Self {
            title: title.into(),
            metric_name: metric_name.into(),
            trials,
            higher_is_better: true,
            pruned: Vec::new(),
            rungs: None,
        }
    }

    /// The best trial with a finite metric.
    ///
    /// ```
    /// use trainlab_plots::{SearchResults, Trial};
    /// let t = |lr, metric| Trial { lr, weight_decay: 0.0, metric };
    /// let r = SearchResults::new("s", "acc", vec![t(0.1, 0.8), t(1.0, f64::NAN), t(0.01, 0.9)]);
    /// assert_eq!(r.best().unwrap().lr, 0.01);
    /// ```
    pub fn best(&self) -> Option<Trial> {
        let finite = self.trials.iter().filter(|t| t.metric.is_finite());
        if self.higher_is_better {
            finite.max_by(|a, b| a.metric.total_cmp(&b.metric)).copied()
        } else {
            finite.min_by(|a, b| a.metric.total_cmp(&b.metric)).copied()
        }
    }

    fn check(&self) -> Result<()> {
        check::at_least("trials", self.trials.len(), 1)?;
        let lrs: Vec<f64> = self.trials.iter().map(|t| t.lr).collect();
        check::positive("trials.lr", &lrs)?;
        let wds: Vec<f64> = self.trials.iter().map(|t| t.weight_decay).collect();
        check::finite("trials.weight_decay", &wds)?;
        if let Some(index) = wds.iter().position(|w| *w < 0.0) {
            return Err(crate::error::invalid(
                format!("trials.weight_decay[{index}]"),
                format!("is {}; expected >= 0", wds[index]),
            ));
        }
        let finite = self.trials.iter().filter(|t| t.metric.is_finite()).count();
        check::at_least("trials.metric (finite values)", finite, 1)?;
        let lrs: Vec<f64> = self.pruned.iter().map(|t| t.lr).collect();
        check::positive("pruned.lr", &lrs)?;
        if let Some(r) = &self.rungs {
            check::at_least("rungs.budgets", r.budgets.len(), 1)?;
            check::positive("rungs.budgets", &r.budgets)?;
            for (i, p) in r.paths.iter().enumerate() {
                if p.epochs.len() != p.scores.len() {
                    return Err(crate::error::invalid(
                        format!("rungs.paths[{i}]"),
                        format!(
                            "has {} epochs and {} scores; expected as many",
                            p.epochs.len(),
                            p.scores.len()
                        ),
                    ));
                }
                check::positive(&format!("rungs.paths[{i}].epochs"), &p.epochs)?;
            }
        }
        Ok(())
    }

    /// The rung panel's two series (the trials that reached the last budget, the pruned ones),
    /// each trial's path separated from the next by a gap.
    fn rung_series(r: &Rungs) -> [Series; 2] {
        let series = |pruned: bool, name: &str| {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            let paths: Vec<&RungPath> = r.paths.iter().filter(|p| p.pruned == pruned).collect();
            for p in &paths {
                if !x.is_empty() {
                    x.push(p.epochs[0]);
                    y.push(f64::NAN);
                }
                x.extend(&p.epochs);
                y.extend(&p.scores);
            }
            Series::new(format!("{name} ({})", paths.len()), x, y)
        };
        [series(false, "continued"), series(true, "pruned")]
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        let area = area
            .titled(&self.title, (FONT, TITLE_SIZE))
            .map_err(drawing)?;
        let diverged =
            self.trials.len() - self.trials.iter().filter(|t| t.metric.is_finite()).count();
        let trials = if self.pruned.is_empty() {
            "trials"
        } else {
            "trained to the end"
        };
        let name = if diverged > 0 {
            format!("{trials} ({diverged} diverged, not drawn)")
        } else {
            trials.to_string()
        };
        let metric: Vec<f64> = self.trials.iter().map(|t| t.metric).collect();
        let by_lr = [Series::new(
            name.clone(),
            self.trials.iter().map(|t| t.lr).collect(),
            metric.clone(),
        )];
        let by_wd = [Series::new(
            name,
            self.trials.iter().map(|t| t.weight_decay).collect(),
            metric,
        )];
        let best = self.best().expect("check() found a finite metric");
        let label = format!(
            "best: {} at lr {}, wd {}",
            style::short_number(best.metric),
            style::short_number(best.lr),
            style::short_number(best.weight_decay)
        );
        let star_lr = [((best.lr, best.metric), label.clone())];
        let star_wd = [((best.weight_decay, best.metric), label)];
        let (by_lr, by_wd) = if self.pruned.is_empty() {
            (by_lr.to_vec(), by_wd.to_vec())
        } else {
            let name = format!("pruned by ASHA ({}), at its last rung", self.pruned.len());
            let metric: Vec<f64> = self.pruned.iter().map(|t| t.metric).collect();
            let mut lr = by_lr.to_vec();
            lr.push(Series::new(
                name.clone(),
                self.pruned.iter().map(|t| t.lr).collect(),
                metric.clone(),
            ));
            let mut wd = by_wd.to_vec();
            wd.push(Series::new(
                name,
                self.pruned.iter().map(|t| t.weight_decay).collect(),
                metric,
            ));
            (lr, wd)
        };
        let width = area.dim_in_pixel().0;
        let (left, right) = match &self.rungs {
            None => area.split_horizontally(width / 2),
            Some(rungs) => {
                let (two, third) = area.split_horizontally(width * 2 / 3);
                let series = Self::rung_series(rungs);
                let marks: Vec<Mark> = rungs
                    .budgets
                    .iter()
                    .enumerate()
                    .map(|(k, &b)| {
                        let last = k + 1 == rungs.budgets.len();
                        let what = if last {
                            "end".to_string()
                        } else {
                            format!("rung {k}")
                        };
                        Mark::at(b, format!("{what}: {} epochs", style::short_number(b)))
                    })
                    .collect();
                let mut panel = Panel::new(&series, "epochs", &self.metric_name);
                panel.caption = "ASHA: score at each rung";
                panel.log_x = true;
                panel.look = Look::LinesAndPoints;
                panel.marks = &marks;
                draw_panel(&third, &panel)?;
                two.split_horizontally(width / 3)
            }
        };
        let mut panel = Panel::new(&by_lr, "learning rate", &self.metric_name);
        panel.caption = "against learning rate";
        panel.log_x = true;
        panel.look = Look::Points;
        panel.stars = &star_lr;
        draw_panel(&left, &panel)?;
        let mut panel = Panel::new(&by_wd, "weight decay", &self.metric_name);
        panel.caption = "against weight decay";
        panel.log_x = self.trials.iter().all(|t| t.weight_decay > 0.0);
        panel.look = Look::Points;
        panel.stars = &star_wd;
        draw_panel(&right, &panel)
    }
}

impl_chart!(SearchResults, |s| match s.rungs {
    None => (1100, 480),
    Some(_) => (1600, 480),
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{render_png, render_svg};
    use crate::test_util::png_size;
    use crate::PlotError;

    fn results() -> SearchResults {
        let t = |lr, weight_decay, metric| Trial {
            lr,
            weight_decay,
            metric,
        };
        SearchResults::new(
            "Random search",
            "val accuracy",
            vec![
                t(1e-3, 1e-4, 0.91),
                t(1e-2, 1e-3, 0.95),
                t(1e-1, 1e-5, 0.88),
                t(3.0, 1e-4, f64::NAN),
            ],
        )
    }

    #[test]
    fn svg_has_title_axes_legend() {
        let svg = render_svg(&results(), (1100, 480)).unwrap().0;
        for text in [
            "Random search",
            "learning rate",
            "weight decay",
            "val accuracy",
            "trials (1 diverged, not drawn)",
            "best: 0.95 at lr 0.01, wd 0.001",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert_eq!(
            png_size(&render_png(&results(), (1000, 420)).unwrap()),
            (1000, 420)
        );
    }

    #[test]
    fn asha_adds_pruned_trials_and_the_rung_panel() {
        let mut r = results();
        r.pruned = vec![Trial {
            lr: 0.5,
            weight_decay: 1e-4,
            metric: 0.4,
        }];
        r.rungs = Some(Rungs {
            budgets: vec![1.0, 3.0, 9.0],
            paths: vec![
                RungPath {
                    epochs: vec![1.0, 3.0, 9.0],
                    scores: vec![0.8, 0.9, 0.95],
                    pruned: false,
                },
                RungPath {
                    epochs: vec![1.0],
                    scores: vec![0.4],
                    pruned: true,
                },
            ],
        });
        let svg = render_svg(&r, (1600, 480)).unwrap().0;
        for text in [
            "ASHA: score at each rung",
            "pruned by ASHA (1), at its last rung",
            "continued (1)",
            "pruned (1)",
            "rung 0: 1 epochs",
            "end: 9 epochs",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        r.rungs.as_mut().unwrap().paths[1].scores.clear();
        let err = render_svg(&r, (1600, 480)).unwrap_err().to_string();
        assert!(err.starts_with("rungs.paths[1]"), "{err}");
    }

    #[test]
    fn lower_is_better_picks_the_minimum() {
        let mut r = results();
        r.higher_is_better = false;
        assert_eq!(r.best().unwrap().metric, 0.88);
    }

    #[test]
    fn bad_lr_and_weight_decay_are_errors() {
        let mut r = results();
        r.trials[1].lr = -0.1;
        let err = render_svg(&r, (1100, 480)).unwrap_err();
        assert!(
            matches!(err, PlotError::NotPositive { index: 1, .. }),
            "{err}"
        );
        let mut r = results();
        r.trials[2].weight_decay = -1.0;
        let err = render_svg(&r, (1100, 480)).unwrap_err().to_string();
        assert!(err.starts_with("trials.weight_decay[2]"), "{err}");
        let all_diverged = SearchResults::new(
            "s",
            "m",
            vec![Trial {
                lr: 1.0,
                weight_decay: 0.0,
                metric: f64::NAN,
            }],
        );
        assert!(matches!(
            render_svg(&all_diverged, (800, 500)),
            Err(PlotError::Empty { .. })
        ));
    }
}
