//! The "your turn" cells: a rule or schedule written in a notebook cell, checked in place against
//! the exercise's visible cases (the same [`trainlab_optimizers::cases`] and
//! [`trainlab_schedules::cases`] the exercises' `tests/visible.rs` run, with the same points), and
//! run beside the course's reference on a surface and on the digits.
//!
//! ```
//! use trainlab::lessons::your_turn::check_rule;
//! use trainlab_optimizers::cases::Hyper;
//! use trainlab_optimizers::{Momentum, MomentumConfig, UpdateRule};
//! let table = check_rule("momentum", &|h: &Hyper| -> Box<dyn UpdateRule> {
//!     Box::new(Momentum::new(&MomentumConfig { beta: h.beta, ..Default::default() }).unwrap())
//! }).unwrap();
//! assert_eq!(table.points(), (8, 8));
//! ```

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use anyhow::{Context, Result};
use trainlab_optimizers::cases::{self as rule_cases, Hyper};
use trainlab_optimizers::{
    Adam, AdamConfig, Momentum, MomentumConfig, RmsProp, RmsPropConfig, Step, UpdateRule,
};
use trainlab_plots::{Chart, Path, Surface, Trajectories};
use trainlab_schedules::cases::{self as schedule_cases, Params};
use trainlab_schedules::LrSchedule;
use trainlab_training::{History, TrainConfig};

pub use dfdx;

use super::{Png, Run};

/// One case's row: its name, the points it is worth, and what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckRow {
    /// The test's name in the exercise's `tests/visible.rs`.
    pub name: String,
    /// Points the case is worth.
    pub points: u32,
    /// `Ok(())`, or the first difference (or the panic message).
    pub result: Result<(), String>,
}

/// The rows of a check; `Display` prints them as a table with the total.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckTable {
    /// What was checked, e.g. `"momentum"`.
    pub what: String,
    /// One row per case.
    pub rows: Vec<CheckRow>,
}

impl CheckTable {
    /// (points earned, points possible).
    pub fn points(&self) -> (u32, u32) {
        let earned = self
            .rows
            .iter()
            .filter(|r| r.result.is_ok())
            .map(|r| r.points)
            .sum();
        (earned, self.rows.iter().map(|r| r.points).sum())
    }
}

impl fmt::Display for CheckTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self.rows.iter().map(|r| r.name.len()).max().unwrap_or(4);
        writeln!(
            f,
            "{:width$}  points  result",
            format!("{} case", self.what)
        )?;
        for r in &self.rows {
            let (got, text) = match &r.result {
                Ok(()) => (r.points, "ok".to_string()),
                Err(e) => (0, format!("FAILED: {e}")),
            };
            writeln!(f, "{:width$}  {got:>2}/{:<2}   {text}", r.name, r.points)?;
        }
        let (earned, possible) = self.points();
        writeln!(f, "{:width$}  {earned:>2}/{possible:<2}", "total")
    }
}

/// The message of a caught panic.
fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    format!("panicked: {text}")
}

/// Runs the visible cases of exercise `kind` (`"momentum"`, `"rmsprop"`, `"adam"`) on the rule
/// `make` builds from each case's hyperparameters. A panic in the rule fails its case only.
pub fn check_rule(kind: &str, make: &dyn Fn(&Hyper) -> Box<dyn UpdateRule>) -> Result<CheckTable> {
    let cases = rule_cases::cases(kind)?;
    let rows = cases
        .iter()
        .map(|case| CheckRow {
            name: case.name.to_string(),
            points: case.points,
            result: catch_unwind(AssertUnwindSafe(|| rule_cases::run_case(make, case)))
                .unwrap_or_else(|p| Err(panic_text(p))),
        })
        .collect();
    Ok(CheckTable {
        what: kind.to_string(),
        rows,
    })
}

/// Runs the visible cases of exercise 04 for the decay `kind` (`"inverse_time"`, `"step_decay"`,
/// `"exponential"`, `"inverse_sqrt"`) on the schedule `make` builds from each case's parameters.
pub fn check_schedule(
    kind: &str,
    make: &dyn Fn(&Params) -> Box<dyn LrSchedule>,
) -> Result<CheckTable> {
    let cases = schedule_cases::cases(kind)?;
    let rows = cases
        .iter()
        .map(|case| CheckRow {
            name: case.name.to_string(),
            points: case.points,
            result: catch_unwind(AssertUnwindSafe(|| schedule_cases::run_case(make, case)))
                .unwrap_or_else(|p| Err(panic_text(p))),
        })
        .collect();
    Ok(CheckTable {
        what: kind.to_string(),
        rows,
    })
}

/// The course's rule `kind` with the lecture's hyperparameters ([`Hyper::default`]).
pub fn reference(kind: &str) -> Result<Box<dyn UpdateRule>> {
    let h = Hyper::default();
    Ok(match kind {
        "momentum" => Box::new(Momentum::new(&MomentumConfig {
            beta: h.beta,
            ..Default::default()
        })?),
        "rmsprop" => Box::new(RmsProp::new(&RmsPropConfig {
            beta: h.beta,
            eps: h.eps,
            ..Default::default()
        })?),
        "adam" => Box::new(Adam::new(&AdamConfig {
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            ..Default::default()
        })?),
        other => anyhow::bail!("no reference rule {other:?}: expected momentum, rmsprop or adam"),
    })
}

/// `rule` for `steps` steps at rate `alpha` on `surface` from `start`, with its exact gradient;
/// stops where a point leaves the finite numbers or goes beyond 1e6.
pub fn rule_path(
    surface: Surface,
    rule: &dyn UpdateRule,
    alpha: f32,
    start: (f64, f64),
    steps: usize,
    name: &str,
) -> Path {
    let mut theta = [start.0 as f32, start.1 as f32];
    let mut state = vec![vec![0.0f32; 2]; rule.state_buffers()];
    let mut points = vec![start];
    for k in 1..=steps {
        let (gx, gy) = surface.gradient(f64::from(theta[0]), f64::from(theta[1]));
        rule.update(
            Step { k: k as u64, alpha },
            &mut theta,
            &[gx as f32, gy as f32],
            &mut state,
        );
        let p = (f64::from(theta[0]), f64::from(theta[1]));
        if !(p.0.is_finite() && p.1.is_finite()) || p.0.abs() > 1e6 || p.1.abs() > 1e6 {
            break;
        }
        points.push(p);
    }
    Path::new(name, points)
}

/// The reference rule `kind` and `mine`, both at rate `alpha`, on `surface`: one chart.
pub fn plot_beside_reference(
    surface: Surface,
    kind: &str,
    mine: Box<dyn UpdateRule>,
    alpha: f32,
    start: (f64, f64),
    steps: usize,
) -> Result<Png> {
    let reference = reference(kind)?;
    let paths = vec![
        rule_path(
            surface,
            reference.as_ref(),
            alpha,
            start,
            steps,
            &format!("reference {kind}"),
        ),
        rule_path(
            surface,
            mine.as_ref(),
            alpha,
            start,
            steps,
            &format!("yours ({})", mine.name()),
        ),
    ];
    let title = format!(
        "{steps} steps of {kind}, alpha = {alpha}, on {}",
        surface.formula()
    );
    Ok(Png(Trajectories::new(title, surface, paths).png()?))
}

/// Trains `config` on the digits twice, from the same weights on the same minibatches: with the
/// reference rule `kind` and with `mine`, both at rate `alpha` (the config's schedule applies).
/// Returns the two runs, reference first.
pub fn digits_beside_reference(
    config: &TrainConfig,
    kind: &str,
    alpha: f32,
    mine: Box<dyn UpdateRule>,
) -> Result<Vec<Run>> {
    let name = mine.name();
    let mut runs = Vec::with_capacity(2);
    for (label, rule) in [
        (format!("reference {kind} {alpha}"), reference(kind)?),
        (format!("yours ({name}) {alpha}"), mine),
    ] {
        let mut c = config.clone();
        c.optimizer = super::optimizer(&format!("kind = \"sgd\"\nalpha = {alpha}"))?;
        let plan = c.plan().context("the training plan")?.with_rule(rule);
        let mut history = History::default();
        trainlab_training::Trainer::new(plan).run(&mut [&mut history])?;
        runs.push(Run {
            name: label,
            history,
        });
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule that is plain SGD: the starting point of the notebook's cells.
    struct Sgd;
    impl UpdateRule for Sgd {
        fn name(&self) -> &'static str {
            "sgd"
        }
        fn state_buffers(&self) -> usize {
            1
        }
        fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], _: &mut [Vec<f32>]) {
            for (t, g) in theta.iter_mut().zip(grad) {
                *t -= step.alpha * g;
            }
        }
    }

    /// A rule that panics, as a student's index error would.
    struct Broken;
    impl UpdateRule for Broken {
        fn name(&self) -> &'static str {
            "broken"
        }
        fn state_buffers(&self) -> usize {
            0
        }
        fn update(&self, _: Step, _: &mut [f32], _: &[f32], state: &mut [Vec<f32>]) {
            state[0][0] = 1.0;
        }
    }

    #[test]
    fn the_sgd_starting_point_does_not_pass() {
        let t = check_rule("momentum", &|_: &Hyper| -> Box<dyn UpdateRule> {
            Box::new(Sgd)
        })
        .unwrap();
        let (earned, possible) = t.points();
        assert_eq!(possible, 8);
        assert!(earned < possible, "{t}");
        // step 1 of momentum is SGD's step (v = g); step 2 differs
        assert!(
            t.to_string().contains("FAILED: theta[0] after step 2"),
            "{t}"
        );
    }

    #[test]
    fn a_panicking_rule_fails_its_cases_not_the_notebook() {
        let t = check_rule("adam", &|_: &Hyper| -> Box<dyn UpdateRule> {
            Box::new(Broken)
        })
        .unwrap();
        assert_eq!(t.points().0, 0, "{t}");
        assert!(t.to_string().contains("panicked"), "{t}");
    }

    #[test]
    fn unknown_kind_is_an_error_naming_it() {
        let err = check_rule("nadam", &|_: &Hyper| -> Box<dyn UpdateRule> {
            Box::new(Sgd)
        })
        .unwrap_err();
        assert!(err.to_string().contains("nadam"), "{err}");
    }

    #[test]
    fn reference_path_matches_the_config_built_optimizer() {
        let r = reference("momentum").unwrap();
        let a = rule_path(Surface::Valley, r.as_ref(), 0.1, (-8.0, 1.0), 30, "a");
        let cfg =
            crate::lessons::optimizer("kind = \"momentum\"\nalpha = 0.1\nbeta = 0.9").unwrap();
        let b = crate::lessons::surface_path(Surface::Valley, &cfg, (-8.0, 1.0), 30, "b").unwrap();
        assert_eq!(a.points, b.points);
    }
}
