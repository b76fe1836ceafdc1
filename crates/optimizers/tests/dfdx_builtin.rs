//! Where dfdx's built-in optimizers use the same convention, ten steps on a small MLP must agree
//! with them to 1e-6 (max abs difference over every parameter).
//!
//! - plain SGD, SGD with classic momentum (dfdx: `v = g + beta*v`, i.e. PyTorch with dampening 0,
//!   whose first step `v = g` also falls out of `v = 0`), Nesterov, L2 and decoupled weight decay;
//! - Adam: dfdx's kernel is `lr * m_hat / (v_hat.sqrt() + eps)`, eps *outside* the root, so it is
//!   compared with `Epsilon::OutsideSqrt` (the lecture's inside-root form is checked elsewhere).
//!
//! dfdx's RMSprop is not compared: it starts the squared average at 1, not 0.

use dfdx::optim::{
    Adam, Momentum as DfdxMomentum, Optimizer as _, Sgd, WeightDecay as DfdxWeightDecay,
};
use dfdx::prelude::*;
use trainlab_optimizers::{AdamConfig, Epsilon, MomentumConfig, OptimizerConfig, SgdConfig};

type Mlp = (Linear<4, 8>, ReLU, Linear<8, 3>);
type Built = <Mlp as BuildOnDevice<Cpu, f32>>::Built;

/// One shared tolerance for this comparison (the brief's: max abs diff <= 1e-6).
const MAX_ABS_DIFF: f32 = 1e-6;

fn params(m: &Built) -> Vec<f32> {
    [
        m.0.weight.as_vec(),
        m.0.bias.as_vec(),
        m.2.weight.as_vec(),
        m.2.bias.as_vec(),
    ]
    .concat()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

fn grads_of(dev: &Cpu, m: &mut Built, step: usize) -> Gradients<f32, Cpu> {
    // a fixed batch that changes with the step, so momentum and Adam see varying gradients
    let x: Tensor<Rank2<5, 4>, f32, Cpu> = dev.tensor(std::array::from_fn(|i| {
        std::array::from_fn(|j| ((i * 4 + j + step) as f32 * 0.37).sin())
    }));
    let y: Tensor<Rank2<5, 3>, f32, Cpu> = dev.tensor(std::array::from_fn(|i| {
        std::array::from_fn(|j| ((i * 3 + j) as f32 * 0.91).cos())
    }));
    let grads = m.alloc_grads();
    let pred = m.forward_mut(x.traced(grads));
    dfdx::losses::mse_loss(pred, y).backward()
}

/// Run dfdx's optimizer and ours side by side for ten steps; compare after every step.
fn compare<O: dfdx::optim::Optimizer<Built, Cpu, f32>>(
    what: &str,
    mut theirs: impl FnMut(&Built) -> O,
    ours: OptimizerConfig,
) {
    let dev: Cpu = Cpu::seed_from_u64(7);
    let mut a = dev.build_module::<Mlp, f32>();
    let mut b = a.clone();
    let initial = params(&a);
    let mut opt_a = theirs(&a);
    let mut opt_b = ours.build().expect("valid config");
    for step in 0..10 {
        let ga = grads_of(&dev, &mut a, step);
        let gb = grads_of(&dev, &mut b, step);
        opt_a.update(&mut a, &ga).expect("dfdx update");
        opt_b.step(&mut b, &gb).expect("our update");
        let diff = max_abs_diff(&params(&a), &params(&b));
        assert!(
            diff <= MAX_ABS_DIFF,
            "{what}: step {}: max abs diff {diff:e}",
            step + 1
        );
    }
    // the comparison is not vacuous: the parameters moved
    let moved = max_abs_diff(&initial, &params(&b));
    assert!(moved > 1e-4, "{what}: parameters barely moved ({moved:e})");
}

fn dfdx_sgd(
    lr: f64,
    momentum: Option<DfdxMomentum>,
    wd: Option<DfdxWeightDecay>,
) -> impl FnMut(&Built) -> Sgd<Built, f32, Cpu> {
    move |m| {
        Sgd::new(
            m,
            dfdx::optim::SgdConfig {
                lr,
                momentum,
                weight_decay: wd,
            },
        )
    }
}

#[test]
fn plain_sgd_matches_dfdx() {
    compare(
        "sgd",
        dfdx_sgd(0.05, None, None),
        OptimizerConfig::Sgd(SgdConfig {
            alpha: 0.05,
            ..Default::default()
        }),
    );
}

#[test]
fn momentum_matches_dfdx_classic() {
    compare(
        "momentum",
        dfdx_sgd(0.05, Some(DfdxMomentum::Classic(0.9)), None),
        OptimizerConfig::Momentum(MomentumConfig {
            alpha: 0.05,
            beta: 0.9,
            ..Default::default()
        }),
    );
}

#[test]
fn nesterov_matches_dfdx_nesterov() {
    compare(
        "nesterov",
        dfdx_sgd(0.05, Some(DfdxMomentum::Nesterov(0.9)), None),
        OptimizerConfig::Momentum(MomentumConfig {
            alpha: 0.05,
            beta: 0.9,
            nesterov: true,
            ..Default::default()
        }),
    );
}

#[test]
fn momentum_weight_decay_matches_dfdx() {
    compare(
        "momentum + L2",
        dfdx_sgd(
            0.05,
            Some(DfdxMomentum::Classic(0.8)),
            Some(DfdxWeightDecay::L2(0.1)),
        ),
        OptimizerConfig::Momentum(MomentumConfig {
            alpha: 0.05,
            beta: 0.8,
            weight_decay: 0.1,
            ..Default::default()
        }),
    );
    compare(
        "momentum + decoupled",
        dfdx_sgd(
            0.05,
            Some(DfdxMomentum::Classic(0.8)),
            Some(DfdxWeightDecay::Decoupled(0.1)),
        ),
        OptimizerConfig::Momentum(MomentumConfig {
            alpha: 0.05,
            beta: 0.8,
            weight_decay: 0.1,
            decoupled_weight_decay: true,
            ..Default::default()
        }),
    );
}

fn dfdx_adam(wd: Option<DfdxWeightDecay>) -> impl FnMut(&Built) -> Adam<Built, f32, Cpu> {
    move |m| {
        Adam::new(
            m,
            dfdx::optim::AdamConfig {
                lr: 1e-2,
                betas: [0.9, 0.999],
                eps: 1e-8,
                weight_decay: wd,
            },
        )
    }
}

fn our_adam(weight_decay: f32, decoupled_weight_decay: bool) -> AdamConfig {
    AdamConfig {
        alpha: 1e-2,
        epsilon: Epsilon::OutsideSqrt,
        weight_decay,
        decoupled_weight_decay,
        ..Default::default()
    }
}

#[test]
fn adam_matches_dfdx_with_eps_outside() {
    compare(
        "adam",
        dfdx_adam(None),
        OptimizerConfig::Adam(our_adam(0.0, false)),
    );
    compare(
        "adam + L2",
        dfdx_adam(Some(DfdxWeightDecay::L2(0.1))),
        OptimizerConfig::Adam(our_adam(0.1, false)),
    );
    compare(
        "adamw",
        dfdx_adam(Some(DfdxWeightDecay::Decoupled(0.1))),
        OptimizerConfig::AdamW(trainlab_optimizers::AdamWConfig {
            alpha: 1e-2,
            weight_decay: 0.1,
            ..Default::default()
        }),
    );
}

#[test]
fn lecture_adam_differs_from_dfdx_adam() {
    // eps = 1e-3 makes the place of eps visible; this is what makes the comparison above meaningful
    let dev: Cpu = Cpu::seed_from_u64(7);
    let mut a = dev.build_module::<Mlp, f32>();
    let mut b = a.clone();
    let mut theirs = Adam::new(
        &a,
        dfdx::optim::AdamConfig {
            lr: 1e-2,
            eps: 1e-3,
            ..Default::default()
        },
    );
    let mut ours = AdamConfig {
        alpha: 1e-2,
        eps: 1e-3,
        ..Default::default()
    }
    .build()
    .expect("valid");
    let ga = grads_of(&dev, &mut a, 0);
    let gb = grads_of(&dev, &mut b, 0);
    theirs.update(&mut a, &ga).expect("dfdx");
    ours.step(&mut b, &gb).expect("ours");
    let diff = max_abs_diff(&params(&a), &params(&b));
    assert!(
        diff > 1e-5,
        "inside- and outside-root eps should differ, max diff {diff:e}"
    );
}

#[test]
fn usable_through_the_dfdx_optimizer_trait() {
    let dev: Cpu = Cpu::seed_from_u64(3);
    let mut a = dev.build_module::<Mlp, f32>();
    let mut b = a.clone();
    let mut theirs = Sgd::new(
        &a,
        dfdx::optim::SgdConfig {
            lr: 0.1,
            momentum: None,
            weight_decay: None,
        },
    );
    let mut ours = SgdConfig {
        alpha: 0.1,
        ..Default::default()
    }
    .build()
    .expect("valid");
    let ga = grads_of(&dev, &mut a, 0);
    let gb = grads_of(&dev, &mut b, 0);
    theirs.update(&mut a, &ga).expect("dfdx");
    dfdx::optim::Optimizer::update(&mut ours, &mut b, &gb).expect("ours via the dfdx trait");
    assert_eq!(ours.step_count(), 1);
    let diff = max_abs_diff(&params(&a), &params(&b));
    assert!(diff <= MAX_ABS_DIFF, "max abs diff {diff:e}");
}
