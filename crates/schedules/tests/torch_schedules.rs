//! Replays PyTorch's lr_scheduler sequences (tests/fixtures/torch_schedules.json, written by
//! tests/fixtures/gen_torch_schedules.py with torch 2.15.0) through `ScheduleConfig::build`.

use anyhow::{ensure, Context, Result};
use serde::Deserialize;
use trainlab_schedules::{
    check_lr_sequence, CosineConfig, LrSchedule, ScheduleConfig, StepUnit, LR_TOLERANCE,
};

#[derive(Deserialize)]
struct Fixture {
    torch_version: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    config: ScheduleConfig,
    /// PyTorch's base rate, given to our schedules as `f32` like the optimizer's `alpha`.
    base_lr: f32,
    lrs: Vec<f64>,
    /// Fed to `observe` unchanged: metrics stay `f64`, as in PyTorch (`plateau_max_abs` has the
    /// tie `0.66 == 0.65 + 0.01`, "not an improvement", which `f32` metrics cannot express).
    #[serde(default)]
    metrics: Option<Vec<f64>>,
}

fn fixture() -> Result<Fixture> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/torch_schedules.json"
    );
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let fixture: Fixture =
        serde_json::from_str(&text).with_context(|| format!("parsing {path}"))?;
    ensure!(
        fixture.torch_version.starts_with("2.15.0"),
        "fixture from torch {}",
        fixture.torch_version
    );
    Ok(fixture)
}

/// The rates our schedule produces for the same loop as the fixture.
fn replay(case: &Case) -> Result<Vec<f32>> {
    let mut s = case
        .config
        .build(case.base_lr)
        .with_context(|| format!("case {}", case.name))?;
    Ok(match &case.metrics {
        None => (0..case.lrs.len()).map(|t| s.lr(t)).collect(),
        Some(metrics) => {
            let mut lrs = vec![s.lr(0)];
            for (t, &m) in metrics.iter().enumerate() {
                s.observe(m);
                lrs.push(s.lr(t + 1));
            }
            lrs
        }
    })
}

fn check_case(name: &str) -> Result<()> {
    let fixture = fixture()?;
    let case = fixture
        .cases
        .iter()
        .find(|c| c.name == name)
        .with_context(|| format!("no case {name} in the fixture"))?;
    let actual = replay(case)?;
    check_lr_sequence(&actual, &case.lrs, LR_TOLERANCE)
        .map_err(|m| anyhow::anyhow!("case {name}: {m}"))?;
    Ok(())
}

#[test]
fn every_fixture_case_has_a_test() -> Result<()> {
    let names: Vec<String> = fixture()?.cases.into_iter().map(|c| c.name).collect();
    let tested = [
        "step_lr",
        "multi_step_lr",
        "exponential_lr",
        "linear_lr_warmup",
        "linear_lr_defaults",
        "linear_lr_decay",
        "cosine_annealing_eta_min",
        "cosine_annealing",
        "one_cycle_defaults",
        "one_cycle_three_phase_linear",
        "sequential_warmup_cosine",
        "sequential_three",
        "chained_warmup_exponential",
        "chained_step_multistep",
        "lambda_inverse_time",
        "lambda_inverse_time_0_3",
        "lambda_inverse_sqrt",
        "lambda_manual",
        "plateau_min_rel_cooldown",
        "plateau_defaults",
        "plateau_max_abs",
    ];
    assert_eq!(names, tested);
    Ok(())
}

#[test]
fn step_lr() -> Result<()> {
    check_case("step_lr")
}
#[test]
fn multi_step_lr() -> Result<()> {
    check_case("multi_step_lr")
}
#[test]
fn exponential_lr() -> Result<()> {
    check_case("exponential_lr")
}
#[test]
fn linear_lr_warmup() -> Result<()> {
    check_case("linear_lr_warmup")
}
#[test]
fn linear_lr_defaults() -> Result<()> {
    check_case("linear_lr_defaults")
}
#[test]
fn linear_lr_decay() -> Result<()> {
    check_case("linear_lr_decay")
}
#[test]
fn cosine_annealing_with_eta_min_past_t_max() -> Result<()> {
    check_case("cosine_annealing_eta_min")
}
#[test]
fn cosine_annealing() -> Result<()> {
    check_case("cosine_annealing")
}
#[test]
fn one_cycle_defaults() -> Result<()> {
    check_case("one_cycle_defaults")
}
#[test]
fn one_cycle_three_phase_linear() -> Result<()> {
    check_case("one_cycle_three_phase_linear")
}
#[test]
fn sequential_warmup_cosine() -> Result<()> {
    check_case("sequential_warmup_cosine")
}
#[test]
fn sequential_three() -> Result<()> {
    check_case("sequential_three")
}
#[test]
fn chained_warmup_exponential() -> Result<()> {
    check_case("chained_warmup_exponential")
}
#[test]
fn chained_step_multistep() -> Result<()> {
    check_case("chained_step_multistep")
}
#[test]
fn lecture_inverse_time_via_lambda_lr() -> Result<()> {
    check_case("lambda_inverse_time")?;
    check_case("lambda_inverse_time_0_3")
}
#[test]
fn lecture_inverse_sqrt_via_lambda_lr() -> Result<()> {
    check_case("lambda_inverse_sqrt")
}
#[test]
fn lecture_manual_via_lambda_lr() -> Result<()> {
    check_case("lambda_manual")
}
#[test]
fn plateau_patience_cooldown_threshold_min_lr() -> Result<()> {
    check_case("plateau_min_rel_cooldown")
}
#[test]
fn plateau_defaults() -> Result<()> {
    check_case("plateau_defaults")
}
#[test]
fn plateau_max_mode_absolute_threshold() -> Result<()> {
    check_case("plateau_max_abs")
}

#[test]
fn one_cycle_defaults_to_batch_and_plateau_to_epoch() -> Result<()> {
    let fixture = fixture()?;
    for case in &fixture.cases {
        let s = case.config.build(case.base_lr)?;
        let expected = if case.name.starts_with("one_cycle") {
            StepUnit::Batch
        } else {
            StepUnit::Epoch
        };
        assert_eq!(s.unit(), expected, "case {}", case.name);
        assert_eq!(s.name(), case.config.kind(), "case {}", case.name);
    }
    Ok(())
}

/// The check must be able to fail: a slightly different parameter is caught at its first step.
#[test]
fn a_wrong_parameter_is_caught_with_its_step() -> Result<()> {
    let fixture = fixture()?;
    let case = fixture
        .cases
        .iter()
        .find(|c| c.name == "cosine_annealing_eta_min")
        .context("case")?;
    let wrong = ScheduleConfig::Cosine(CosineConfig {
        t_max: 21,
        eta_min: 0.001,
        unit: StepUnit::Epoch,
    });
    let s = wrong.build(case.base_lr)?;
    let actual: Vec<f32> = (0..case.lrs.len()).map(|t| s.lr(t)).collect();
    let mismatch = check_lr_sequence(&actual, &case.lrs, LR_TOLERANCE)
        .err()
        .context("should differ")?;
    assert_eq!(mismatch.step, 1);
    Ok(())
}
