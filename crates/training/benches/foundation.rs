//! The foundation benchmark: prints, from one run,
//! 1. the lecture Adam's step time against dfdx 0.13's built-in Adam on the same model
//!    (the default digits MLP shape, 64-128-10, as a dfdx `(Linear, ReLU, Linear)`), measured
//!    interleaved (A B A B ...) so machine noise hits both alike, as a ratio of medians;
//! 2. the seconds per epoch of the default digits training.
//!
//! Run: `cargo make bench` (or `cargo bench -p trainlab-training --bench foundation`).

use std::time::{Duration, Instant};

use dfdx::optim::{Adam as DfdxAdam, AdamConfig as DfdxAdamConfig, Optimizer as _};
use dfdx::prelude::*;
use trainlab_optimizers::{AdamConfig, Epsilon};
use trainlab_training::{TrainConfig, Trainer};

type Model = (Linear<64, 128>, ReLU, Linear<128, 10>);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dev: Cpu = Cpu::seed_from_u64(0);
    let mut ours_model = dev.build_module::<Model, f32>();
    let mut theirs_model = ours_model.clone();
    let x: Tensor<Rank2<32, 64>, f32, _> = dev.sample_normal();
    let mut grads = {
        let y = ours_model.forward(x.leaky_trace());
        y.square().mean().backward()
    };

    // dfdx's Adam puts eps outside the square root, as PyTorch does: compare like with like.
    let mut ours = AdamConfig {
        epsilon: Epsilon::OutsideSqrt,
        ..AdamConfig::default()
    }
    .build()
    .expect("the default Adam config is valid");
    let mut theirs = DfdxAdam::new(&theirs_model, DfdxAdamConfig::default());
    let mut ours_in_place = ours.clone();
    let mut in_place_model = ours_model.clone();

    let (rounds, steps) = (31, 200);
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..steps {
            ours.step(&mut ours_model, &grads)
                .expect("every parameter has a gradient");
        }
        a.push(t.elapsed() / steps);
        let t = Instant::now();
        for _ in 0..steps {
            // the trainer's path: each tensor updated with its gradient buffer borrowed
            ours_in_place.begin_step();
            let (l0, _, l2) = &mut in_place_model;
            ours_in_place
                .update_tensor_in_place(0, &mut l0.weight, &mut grads)
                .expect("every parameter has a gradient");
            ours_in_place
                .update_tensor_in_place(1, &mut l0.bias, &mut grads)
                .expect("every parameter has a gradient");
            ours_in_place
                .update_tensor_in_place(2, &mut l2.weight, &mut grads)
                .expect("every parameter has a gradient");
            ours_in_place
                .update_tensor_in_place(3, &mut l2.bias, &mut grads)
                .expect("every parameter has a gradient");
        }
        c.push(t.elapsed() / steps);
        let t = Instant::now();
        for _ in 0..steps {
            theirs
                .update(&mut theirs_model, &grads)
                .expect("every parameter has a gradient");
        }
        b.push(t.elapsed() / steps);
    }
    let (ma, mb, mc) = (median(a), median(b), median(c));
    println!(
        "Adam step on a 64-128-10 MLP ({} parameters), median of {rounds} rounds of {steps} steps:",
        64 * 128 + 128 + 128 * 10 + 10
    );
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "  dfdx 0.13 Adam                              {:>8.2} us",
        us(mb)
    );
    println!(
        "  trainlab Adam, step(&Gradients)             {:>8.2} us  {:.2}x dfdx",
        us(ma),
        us(ma) / us(mb)
    );
    println!(
        "  trainlab Adam, in place (the trainer)       {:>8.2} us  {:.2}x dfdx  (goal: at most 1.2x)",
        us(mc),
        us(mc) / us(mb)
    );

    let config = TrainConfig::default();
    let mut per_epoch = Vec::new();
    for _ in 0..3 {
        let plan = config.plan().expect("the default config is valid");
        let trained = Trainer::new(plan)
            .run(&mut [])
            .expect("the default config trains");
        per_epoch.push(trained.report.timings.seconds_per_epoch);
    }
    per_epoch.sort_by(f64::total_cmp);
    println!(
        "default digits training ({} epochs): {:.4} s per epoch (median of 3 runs)",
        config.train.epochs, per_epoch[1]
    );
}
