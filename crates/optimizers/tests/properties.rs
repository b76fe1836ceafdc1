//! Properties every correct implementation has, whatever the numbers.

use anyhow::Result;
use dfdx::prelude::*;
use trainlab_optimizers::tolerance::assert_close;
use trainlab_optimizers::{
    AdamConfig, Epsilon, MomentumConfig, OptimError, Optimizer, OptimizerConfig, RmsPropConfig,
    SgdConfig, Step, UpdateRule,
};

/// Replay `grads` on a one-parameter-vector optimizer from `theta0`; the trajectory.
fn replay<R: UpdateRule>(
    mut opt: Optimizer<R>,
    theta0: &[f32],
    grads: &[[f32; 3]],
) -> Vec<Vec<f32>> {
    let mut theta = theta0.to_vec();
    grads
        .iter()
        .map(|g| {
            opt.begin_step();
            opt.update_slice(0, &mut theta, g);
            theta.clone()
        })
        .collect()
}

const THETA0: [f32; 3] = [1.0, -0.5, 2.0];
const GRADS: [[f32; 3]; 4] = [
    [0.3, -1.0, 2.0],
    [0.1, 0.5, -1.0],
    [-0.2, 0.2, 0.7],
    [0.4, -0.3, 0.1],
];

#[test]
fn momentum_with_beta_zero_is_sgd() -> Result<()> {
    let sgd = replay(
        SgdConfig {
            alpha: 0.1,
            ..Default::default()
        }
        .build()?,
        &THETA0,
        &GRADS,
    );
    for nesterov in [false, true] {
        let cfg = MomentumConfig {
            alpha: 0.1,
            beta: 0.0,
            nesterov,
            ..Default::default()
        };
        let momentum = replay(cfg.build()?, &THETA0, &GRADS);
        for (k, (a, b)) in momentum.iter().zip(&sgd).enumerate() {
            assert_close(a, b, &format!("nesterov={nesterov} step {}", k + 1));
        }
    }
    Ok(())
}

#[test]
fn nesterov_differs_from_classic() -> Result<()> {
    let classic = replay(
        MomentumConfig {
            alpha: 0.1,
            ..Default::default()
        }
        .build()?,
        &THETA0,
        &GRADS,
    );
    let nesterov = replay(
        MomentumConfig {
            alpha: 0.1,
            nesterov: true,
            ..Default::default()
        }
        .build()?,
        &THETA0,
        &GRADS,
    );
    assert!(
        (classic[3][0] - nesterov[3][0]).abs() > 1e-3,
        "{classic:?} vs {nesterov:?}"
    );
    Ok(())
}

#[test]
fn adam_first_step_has_size_alpha_at_any_gradient_scale() -> Result<()> {
    for epsilon in [Epsilon::InsideSqrt, Epsilon::OutsideSqrt] {
        for scale in [1e-3_f32, 1.0, 1e3] {
            let mut opt = AdamConfig {
                alpha: 0.01,
                epsilon,
                ..Default::default()
            }
            .build()?;
            let mut theta = [0.0_f32, 0.0];
            opt.begin_step();
            opt.update_slice(0, &mut theta, &[scale, -scale]);
            // |step| = alpha * |g| / sqrt(g^2 + eps) (or / (|g| + eps)): within 1% of alpha for |g| >= 1e-3
            for t in theta {
                let ratio = t.abs() / 0.01;
                assert!(
                    (ratio - 1.0).abs() < 1e-2,
                    "{epsilon:?} scale {scale}: step {t}"
                );
            }
            assert!(
                theta[0] < 0.0 && theta[1] > 0.0,
                "steps go against the gradient"
            );
        }
    }
    Ok(())
}

#[test]
fn decoupled_and_l2_decay_differ_for_adam() -> Result<()> {
    let l2 = replay(
        AdamConfig {
            alpha: 0.1,
            weight_decay: 0.5,
            ..Default::default()
        }
        .build()?,
        &THETA0,
        &GRADS,
    );
    let decoupled = replay(
        AdamConfig {
            alpha: 0.1,
            weight_decay: 0.5,
            decoupled_weight_decay: true,
            ..Default::default()
        }
        .build()?,
        &THETA0,
        &GRADS,
    );
    let none = replay(
        AdamConfig {
            alpha: 0.1,
            ..Default::default()
        }
        .build()?,
        &THETA0,
        &GRADS,
    );
    assert!(
        (l2[3][2] - decoupled[3][2]).abs() > 1e-3,
        "{l2:?} vs {decoupled:?}"
    );
    assert!((none[3][2] - decoupled[3][2]).abs() > 1e-3);
    Ok(())
}

#[test]
fn invalid_hyperparameters_name_the_field() {
    let cases: [(OptimizerConfig, &str); 8] = [
        (
            OptimizerConfig::Sgd(SgdConfig {
                alpha: 0.0,
                ..Default::default()
            }),
            "alpha",
        ),
        (
            OptimizerConfig::Momentum(MomentumConfig {
                beta: 1.0,
                ..Default::default()
            }),
            "beta",
        ),
        (
            OptimizerConfig::Momentum(MomentumConfig {
                dampening: -0.1,
                ..Default::default()
            }),
            "dampening",
        ),
        (
            OptimizerConfig::RmsProp(RmsPropConfig {
                eps: 0.0,
                ..Default::default()
            }),
            "eps",
        ),
        (
            OptimizerConfig::RmsProp(RmsPropConfig {
                weight_decay: -1.0,
                ..Default::default()
            }),
            "weight_decay",
        ),
        (
            OptimizerConfig::Adam(AdamConfig {
                beta1: 1.5,
                ..Default::default()
            }),
            "beta1",
        ),
        (
            OptimizerConfig::Adam(AdamConfig {
                beta2: 1.0,
                ..Default::default()
            }),
            "beta2",
        ),
        (
            OptimizerConfig::AdamW(trainlab_optimizers::AdamWConfig {
                alpha: f32::INFINITY,
                ..Default::default()
            }),
            "alpha",
        ),
    ];
    for (cfg, field) in cases {
        match cfg.build() {
            Err(OptimError::InvalidHyperparameter { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{cfg:?}: expected an error naming {field}, got {other:?}"),
        }
    }
}

#[test]
fn every_rule_minimises_a_2d_bowl_on_a_bare_tensor() -> Result<()> {
    // (x - 3)^2 + 10 (y + 1)^2, minimum at (3, -1)
    let configs = [
        OptimizerConfig::Sgd(SgdConfig {
            alpha: 0.04,
            ..Default::default()
        }),
        OptimizerConfig::Momentum(MomentumConfig {
            alpha: 0.01,
            ..Default::default()
        }),
        OptimizerConfig::Momentum(MomentumConfig {
            alpha: 0.01,
            nesterov: true,
            ..Default::default()
        }),
        OptimizerConfig::RmsProp(RmsPropConfig {
            alpha: 0.01,
            ..Default::default()
        }),
        OptimizerConfig::Adam(AdamConfig {
            alpha: 0.05,
            ..Default::default()
        }),
        OptimizerConfig::AdamW(trainlab_optimizers::AdamWConfig {
            alpha: 0.05,
            ..Default::default()
        }),
    ];
    let dev: Cpu = Default::default();
    let weights: Tensor<Rank1<2>, f32, Cpu> = dev.tensor([1.0, 10.0]);
    let target: Tensor<Rank1<2>, f32, Cpu> = dev.tensor([3.0, -1.0]);
    for cfg in configs {
        let mut opt = cfg.build()?;
        let mut xy: Tensor<Rank1<2>, f32, Cpu> = dev.tensor([0.0, 0.0]);
        for _ in 0..2000 {
            let loss = ((xy.leaky_trace() - target.clone()).square() * weights.clone()).sum();
            opt.step(&mut xy, &loss.backward())?;
        }
        let [x, y] = xy.array();
        assert!(
            (x - 3.0).abs() < 2e-2 && (y + 1.0).abs() < 2e-2,
            "{}: ended at ({x}, {y})",
            cfg.kind()
        );
    }
    Ok(())
}

#[test]
fn missing_gradient_is_an_error_and_only_used_parameters_move() -> Result<()> {
    // dfdx's own optimizers update what has a gradient and report the rest as `UnusedParams`:
    // the same here, with the first missing tensor named.
    let dev: Cpu = Default::default();
    type Model = (Linear<2, 2>, Linear<2, 2>);
    let mut model = dev.build_module::<Model, f32>();
    let before = model.1.weight.as_vec();
    let used_before = model.0.weight.as_vec();
    // only the first layer takes part in the loss
    let x: Tensor<Rank1<2>, f32, Cpu> = dev.tensor([1.0, 2.0]);
    let grads = model.0.forward(x.leaky_trace()).sum().backward();
    let mut opt = SgdConfig::default().build()?;
    match opt.step(&mut model, &grads) {
        Err(OptimError::MissingGradient { slot, name }) => {
            assert_eq!(slot, 2, "slots: 0.weight 0.bias 1.weight ...");
            assert!(name.contains("weight"), "{name}");
        }
        other => panic!("expected MissingGradient, got {other:?}"),
    }
    assert_eq!(model.1.weight.as_vec(), before, "no gradient, no change");
    assert_ne!(
        model.0.weight.as_vec(),
        used_before,
        "the used layer took its step"
    );
    assert_eq!(opt.step_count(), 1);

    // runtime-shaped tensor, the update_tensor path
    let mut p: Tensor<(usize,), f32, Cpu> = dev.zeros_like(&(3,));
    opt.begin_step();
    let err = opt.update_tensor(5, &mut p, &grads).unwrap_err();
    assert!(
        matches!(err, OptimError::MissingGradient { slot: 5, .. }),
        "{err}"
    );
    Ok(())
}

#[test]
fn update_tensor_on_runtime_shapes_matches_slices() -> Result<()> {
    let dev: Cpu = Default::default();
    let mut p: Tensor<(usize,), f32, Cpu> = dev.zeros_like(&(3,));
    p.copy_from(&THETA0);
    let mut opt = AdamConfig {
        alpha: 0.1,
        ..Default::default()
    }
    .build()?;
    let expected = replay(
        AdamConfig {
            alpha: 0.1,
            ..Default::default()
        }
        .build()?,
        &THETA0,
        &GRADS,
    );
    for (k, g) in GRADS.iter().enumerate() {
        let mut gt: Tensor<(usize,), f32, Cpu> = dev.zeros_like(&(3,));
        gt.copy_from(g);
        let grads = (p.leaky_trace() * gt).sum().backward();
        opt.begin_step();
        opt.update_tensor(0, &mut p, &grads)?;
        assert_close(&p.as_vec(), &expected[k], &format!("step {}", k + 1));
    }
    Ok(())
}

#[test]
fn state_round_trip_resumes_exactly() -> Result<()> {
    let cfg = AdamConfig {
        alpha: 0.1,
        ..Default::default()
    };
    let straight = replay(cfg.build()?, &THETA0, &GRADS);

    let mut first = cfg.build()?;
    let mut theta = THETA0.to_vec();
    for g in &GRADS[..2] {
        first.begin_step();
        first.update_slice(0, &mut theta, g);
    }
    let saved = serde_json::to_string(&first.state())?;
    let mut resumed = cfg.build()?;
    resumed.load_state(serde_json::from_str(&saved)?)?;
    assert_eq!(resumed.step_count(), 2);
    for g in &GRADS[2..] {
        resumed.begin_step();
        resumed.update_slice(0, &mut theta, g);
    }
    assert_eq!(
        theta, straight[3],
        "resumed must equal uninterrupted bit for bit"
    );

    // mismatches are errors naming what differs
    let mut state = first.state();
    state.slots[0].pop();
    let err = cfg.build()?.load_state(state).unwrap_err().to_string();
    assert!(err.contains("slot 0") && err.contains("buffers"), "{err}");
    let mut other = cfg.build()?;
    other.begin_step();
    other.update_slice(0, &mut [0.0; 5], &[0.0; 5]);
    let err = other.load_state(first.state()).unwrap_err().to_string();
    assert!(err.contains("length"), "{err}");
    let err = cfg
        .build()?
        .try_update_slice(0, &mut [0.0; 2], &[0.0; 3])
        .unwrap_err();
    assert!(matches!(
        err,
        OptimError::LengthMismatch {
            theta_len: 2,
            grad_len: 3,
            ..
        }
    ));
    Ok(())
}

#[test]
fn set_alpha_changes_the_next_step() -> Result<()> {
    let mut opt = SgdConfig {
        alpha: 0.1,
        ..Default::default()
    }
    .build()?;
    opt.set_alpha(0.5);
    assert_eq!(opt.alpha(), 0.5);
    let mut theta = [1.0_f32];
    opt.begin_step();
    opt.update_slice(0, &mut theta, &[1.0]);
    assert_close(&theta, &[0.5], "alpha 0.5");
    Ok(())
}

/// A rule written outside the crate (as a student would) plugs into the same wrapper; it keeps
/// no learning rate: each step hands it one.
struct SignSgd;

impl UpdateRule for SignSgd {
    fn name(&self) -> &'static str {
        "sign_sgd"
    }
    fn state_buffers(&self) -> usize {
        0
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], _state: &mut [Vec<f32>]) {
        for (t, g) in theta.iter_mut().zip(grad) {
            *t -= step.alpha * g.signum();
        }
    }
}

#[test]
fn a_custom_rule_gets_weight_decay_and_the_steps_alpha_from_the_wrapper() -> Result<()> {
    let mut opt = Optimizer::new(SignSgd, 0.1)?
        .with_weight_decay(trainlab_optimizers::WeightDecay::Decoupled(0.5))?;
    let mut theta = [2.0_f32];
    opt.begin_step();
    opt.update_slice(0, &mut theta, &[-3.0]);
    // theta = 2 * (1 - 0.1*0.5) = 1.9, then + 0.1 = 2.0
    assert_close(&theta, &[2.0], "sign sgd + decoupled");
    assert!(Optimizer::new(SignSgd, 0.1)?
        .with_weight_decay(trainlab_optimizers::WeightDecay::L2(-1.0))
        .is_err());
    // the schedule's next rate: theta = 2 * (1 - 0.2*0.5) = 1.8, then + 0.2 = 2.0
    opt.set_alpha(0.2);
    opt.begin_step();
    opt.update_slice(0, &mut theta, &[-3.0]);
    assert_close(&theta, &[2.0], "alpha 0.2 from set_alpha");
    assert!(Optimizer::new(SignSgd, 0.0).is_err(), "alpha 0 is no rate");
    Ok(())
}

#[test]
fn the_in_place_path_matches_step_bit_for_bit() -> Result<()> {
    // The two gradient paths (copied vs borrowed, as the trainer's MLP uses) compute the same.
    let dev: Cpu = Cpu::seed_from_u64(1);
    type Model = (Linear<3, 4>, ReLU, Linear<4, 2>);
    let mut a = dev.build_module::<Model, f32>();
    let mut b = a.clone();
    let mut opt_a = AdamConfig::default().build()?;
    let mut opt_b = AdamConfig::default().build()?;
    for _ in 0..5 {
        let x: Tensor<Rank2<5, 3>, f32, Cpu> = dev.sample_normal();
        let grads_a = a.forward(x.leaky_trace()).square().mean().backward();
        let mut grads_b = b.forward(x.leaky_trace()).square().mean().backward();
        opt_a.step(&mut a, &grads_a)?;
        opt_b.begin_step();
        opt_b.update_tensor_in_place(0, &mut b.0.weight, &mut grads_b)?;
        opt_b.update_tensor_in_place(1, &mut b.0.bias, &mut grads_b)?;
        opt_b.update_tensor_in_place(2, &mut b.2.weight, &mut grads_b)?;
        opt_b.update_tensor_in_place(3, &mut b.2.bias, &mut grads_b)?;
    }
    assert_eq!(a.0.weight.as_vec(), b.0.weight.as_vec());
    assert_eq!(a.2.bias.as_vec(), b.2.bias.as_vec());
    assert_eq!(opt_a.state(), opt_b.state());
    Ok(())
}
