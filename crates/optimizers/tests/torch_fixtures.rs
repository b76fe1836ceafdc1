//! Every PyTorch-form config against PyTorch's own trajectories.
//!
//! Golden values: `fixtures/torch_optim.json`, written by `fixtures/gen_torch_optim.py` with
//! torch 2.15.0 (the version is recorded in the JSON and checked below). Each case replays the
//! same fixed gradient list from the same starting vector, step by step, through
//! `Optimizer::update_slice` and through `Optimizer::step` on a dfdx tensor.

use anyhow::{bail, Context, Result};
use dfdx::prelude::*;
use serde::Deserialize;
use serde_json::{Map, Value};
use trainlab_optimizers::tolerance::assert_close_scaled;
use trainlab_optimizers::{AdamConfig, MomentumConfig, OptimizerConfig, RmsPropConfig, SgdConfig};

#[derive(Deserialize)]
struct Fixture {
    torch_version: String,
    theta0: Vec<f32>,
    grads: Vec<Vec<f32>>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    optimizer: String,
    kwargs: Map<String, Value>,
    trajectory: Vec<Vec<f32>>,
}

fn fixture() -> Result<Fixture> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/torch_optim.json"
    );
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    Ok(serde_json::from_str(&text)?)
}

fn f(kwargs: &Map<String, Value>, key: &str, default: f32) -> f32 {
    kwargs
        .get(key)
        .and_then(Value::as_f64)
        .map_or(default, |x| x as f32)
}

fn b(kwargs: &Map<String, Value>, key: &str) -> bool {
    kwargs.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// PyTorch constructor arguments -> our config in PyTorch form.
fn config_for(case: &Case) -> Result<OptimizerConfig> {
    let kw = &case.kwargs;
    let betas = |default: [f32; 2]| -> [f32; 2] {
        kw.get("betas")
            .and_then(Value::as_array)
            .map_or(default, |a| {
                [
                    a[0].as_f64().unwrap_or(0.0) as f32,
                    a[1].as_f64().unwrap_or(0.0) as f32,
                ]
            })
    };
    Ok(match case.optimizer.as_str() {
        "SGD" if f(kw, "momentum", 0.0) == 0.0 => OptimizerConfig::Sgd(SgdConfig {
            alpha: f(kw, "lr", 1e-3),
            weight_decay: f(kw, "weight_decay", 0.0),
            ..SgdConfig::pytorch()
        }),
        "SGD" => OptimizerConfig::Momentum(MomentumConfig {
            alpha: f(kw, "lr", 1e-3),
            beta: f(kw, "momentum", 0.0),
            dampening: f(kw, "dampening", 0.0),
            nesterov: b(kw, "nesterov"),
            weight_decay: f(kw, "weight_decay", 0.0),
            ..MomentumConfig::pytorch()
        }),
        "RMSprop" => OptimizerConfig::RmsProp(RmsPropConfig {
            alpha: f(kw, "lr", 1e-2),
            beta: f(kw, "alpha", 0.99),
            eps: f(kw, "eps", 1e-8),
            weight_decay: f(kw, "weight_decay", 0.0),
            ..RmsPropConfig::pytorch()
        }),
        "Adam" | "AdamW" => {
            let base = if case.optimizer == "AdamW" {
                AdamConfig::pytorch_adamw()
            } else {
                AdamConfig::pytorch()
            };
            let [beta1, beta2] = betas([0.9, 0.999]);
            let cfg = AdamConfig {
                alpha: f(kw, "lr", 1e-3),
                beta1,
                beta2,
                eps: f(kw, "eps", 1e-8),
                weight_decay: f(kw, "weight_decay", base.weight_decay),
                decoupled_weight_decay: b(kw, "decoupled_weight_decay")
                    || base.decoupled_weight_decay,
                ..base
            };
            if case.optimizer == "AdamW" {
                // PyTorch's AdamW: decoupled decay, eps outside the root
                OptimizerConfig::AdamW(trainlab_optimizers::AdamWConfig {
                    alpha: cfg.alpha,
                    beta1: cfg.beta1,
                    beta2: cfg.beta2,
                    eps: cfg.eps,
                    epsilon: cfg.epsilon,
                    weight_decay: cfg.weight_decay,
                })
            } else {
                OptimizerConfig::Adam(cfg)
            }
        }
        other => bail!("case {}: unknown optimizer {other}", case.name),
    })
}

/// Per element, the largest magnitude it takes in the case (its rounding scale).
fn scales(theta0: &[f32], trajectory: &[Vec<f32>]) -> Vec<f32> {
    (0..theta0.len())
        .map(|i| {
            trajectory
                .iter()
                .map(|t| t[i].abs())
                .fold(theta0[i].abs(), f32::max)
        })
        .collect()
}

#[test]
fn fixture_is_from_the_documented_torch() -> Result<()> {
    let fx = fixture()?;
    assert!(
        fx.torch_version.starts_with("2.15.0"),
        "{}",
        fx.torch_version
    );
    assert!(fx.cases.len() >= 10 && fx.grads.len() >= 5);
    Ok(())
}

#[test]
fn slices_follow_pytorch_step_by_step() -> Result<()> {
    let fx = fixture()?;
    for case in &fx.cases {
        let mut opt = config_for(case)?.build()?;
        let mut theta = fx.theta0.clone();
        let scale = scales(&fx.theta0, &case.trajectory);
        for (k, (grad, expected)) in fx.grads.iter().zip(&case.trajectory).enumerate() {
            opt.begin_step();
            opt.try_update_slice(0, &mut theta, grad)?;
            assert_close_scaled(
                &theta,
                expected,
                &scale,
                &format!("case {} step {}", case.name, k + 1),
            );
        }
    }
    Ok(())
}

#[test]
fn tensors_follow_pytorch_step_by_step() -> Result<()> {
    let fx = fixture()?;
    let dev: Cpu = Default::default();
    for case in &fx.cases {
        let mut opt = config_for(case)?.build()?;
        let mut theta: Tensor<Rank1<6>, f32, Cpu> = dev.zeros();
        theta.copy_from(&fx.theta0);
        let scale = scales(&fx.theta0, &case.trajectory);
        for (k, (grad, expected)) in fx.grads.iter().zip(&case.trajectory).enumerate() {
            let mut g: Tensor<Rank1<6>, f32, Cpu> = dev.zeros();
            g.copy_from(grad);
            // d/dtheta sum(theta * g) = g exactly
            let grads = (theta.leaky_trace() * g).sum().backward();
            opt.step(&mut theta, &grads)?;
            assert_close_scaled(
                &theta.as_vec(),
                expected,
                &scale,
                &format!("tensor case {} step {}", case.name, k + 1),
            );
        }
    }
    Ok(())
}
