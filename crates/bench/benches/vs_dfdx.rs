//! The lecture's Adam, momentum and RMSProp against dfdx 0.13's own `Adam`, `Sgd` (classic
//! momentum) and `RMSprop` on the same dfdx model (the default digits MLP's shape,
//! `(Linear<64, 128>, ReLU, Linear<128, 10>)`, 9610 parameters) and the same gradients.
//! trainlab updates each tensor in place (`Optimizer::update_tensor_in_place`), what the trainer uses.
//!
//! Like against like: Adam in dfdx's epsilon form (outside the root, as PyTorch); momentum
//! `v = 0.9 v + g` in both; RMSProp with `beta = 0.9` and epsilon inside the root in both. dfdx's
//! RMSprop starts its square average at 1, trainlab's (the lecture's) at 0: the same arithmetic
//! per step, different numbers in the first steps.
//!
//! Run: `cargo bench -p trainlab-bench --bench vs_dfdx` (31 interleaved rounds of 200 steps).

use std::time::Duration;

use dfdx::optim::{
    Adam as DfdxAdam, AdamConfig as DfdxAdamConfig, Momentum as DfdxMomentum,
    Optimizer as DfdxOptimizer, RMSprop as DfdxRmsProp, RMSpropConfig as DfdxRmsPropConfig,
    Sgd as DfdxSgd, SgdConfig as DfdxSgdConfig,
};
use dfdx::prelude::*;
use trainlab_bench::digits_mlp::{step_in_place, BuiltDigitsMlp as Built, DigitsMlp as Model};
use trainlab_bench::{interleave, time_per_call};
use trainlab_optimizers::{AdamConfig, Epsilon, MomentumConfig, RmsPropConfig, UpdateRule};

const ROUNDS: usize = 31;
const STEPS: u32 = 200;

fn compare<R: UpdateRule>(
    name: &str,
    mut ours: trainlab_optimizers::Optimizer<R>,
    mut theirs: impl DfdxOptimizer<Built, Cpu, f32>,
    model: &Built,
    grads: &Gradients<f32, Cpu>,
) -> f64 {
    let (mut ours_model, mut theirs_model) = (model.clone(), model.clone());
    let mut ours_grads = grads.clone();
    let mut a = || {
        time_per_call(STEPS, || {
            step_in_place(&mut ours, &mut ours_model, &mut ours_grads)
                .expect("every parameter has a gradient");
        })
    };
    let mut b = || {
        time_per_call(STEPS, || {
            theirs
                .update(&mut theirs_model, grads)
                .expect("every parameter has a gradient");
        })
    };
    let m = interleave(ROUNDS, &mut [&mut a, &mut b]);
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let ratio = us(m[0]) / us(m[1]);
    println!(
        "| {name} | {:.2} us | {:.2} us | **{ratio:.2}x** |",
        us(m[1]),
        us(m[0])
    );
    ratio
}

fn main() {
    let dev: Cpu = Cpu::seed_from_u64(0);
    let model = dev.build_module::<Model, f32>();
    let x: Tensor<Rank2<32, 64>, f32, _> = dev.sample_normal();
    let grads = model.forward(x.leaky_trace()).square().mean().backward();
    const VALID: &str = "the benchmark's fixed hyperparameters are valid";

    println!("Optimizer step on a 64-128-10 MLP (9610 parameters), median of {ROUNDS} interleaved rounds of {STEPS} steps");
    println!("| rule | dfdx 0.13 | trainlab step_in_place | trainlab / dfdx (goal <= 1.2x) |");
    println!("|---|---|---|---|");
    compare(
        "Adam (eps outside the root)",
        AdamConfig {
            epsilon: Epsilon::OutsideSqrt,
            ..AdamConfig::default()
        }
        .build()
        .expect(VALID),
        DfdxAdam::new(&model, DfdxAdamConfig::default()),
        &model,
        &grads,
    );
    compare(
        "momentum 0.9 (classic)",
        MomentumConfig::default().build().expect(VALID),
        DfdxSgd::new(
            &model,
            DfdxSgdConfig {
                lr: 1e-2,
                momentum: Some(DfdxMomentum::Classic(0.9)),
                weight_decay: None,
            },
        ),
        &model,
        &grads,
    );
    compare(
        "RMSProp beta 0.9 (eps inside the root; dfdx starts s at 1)",
        RmsPropConfig::default().build().expect(VALID),
        DfdxRmsProp::new(&model, DfdxRmsPropConfig::default()),
        &model,
        &grads,
    );
}
