//! Notebook 01's "one real training step" cell, compiled and run here too: three SGD steps of a
//! linear model on four digits must lower the loss (and start near ln 10, all classes alike).

use trainlab::lessons::your_turn::dfdx::optim::{Optimizer, Sgd, SgdConfig};
use trainlab::lessons::your_turn::dfdx::prelude::*;

#[test]
fn three_sgd_steps_lower_the_loss() {
    let dev: Cpu = Default::default();
    let mut model = dev.build_module::<Linear<64, 10>, f32>();
    let digits = trainlab_data::digits();
    let x: Tensor<Rank2<4, 64>, f32, Cpu> = dev.tensor(
        digits.features[..4 * 64]
            .iter()
            .map(|v| v / 16.0)
            .collect::<Vec<f32>>(),
    );
    let mut onehot = vec![0f32; 4 * 10];
    for (i, &l) in digits.labels().expect("labels")[..4].iter().enumerate() {
        onehot[i * 10 + l as usize] = 1.0;
    }
    let y: Tensor<Rank2<4, 10>, f32, Cpu> = dev.tensor(onehot);
    let mut sgd = Sgd::new(
        &model,
        SgdConfig {
            lr: 0.5,
            momentum: None,
            weight_decay: None,
        },
    );
    let mut grads = model.alloc_grads();
    let mut losses = Vec::new();
    for _ in 1..=3 {
        let logits = model.forward(x.trace(grads));
        let loss = cross_entropy_with_logits_loss(logits, y.clone());
        losses.push(loss.array());
        grads = loss.backward();
        sgd.update(&mut model, &grads)
            .expect("every weight has a gradient");
        model.zero_grads(&mut grads);
    }
    assert!((losses[0] - 10f32.ln()).abs() < 1.0, "{losses:?}");
    assert!(losses[2] < losses[0], "{losses:?}");
}
