//! Visible tests of exercise 03. Points: the `pN_` prefix of a test's name.

use ex03_adam::Adam;
use trainlab_exercise_harness::graded;
use trainlab_optimizers::tolerance::{assert_close, assert_close_scaled};
use trainlab_optimizers::{AdamConfig, Optimizer, UpdateRule};

fn run(rule: impl UpdateRule, alpha: f32, theta0: &[f32], grads: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let mut opt = Optimizer::new(rule, alpha).expect("a valid alpha");
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

#[test]
fn p1_keeps_two_buffers() {
    graded(|| assert_eq!(Adam::default().state_buffers(), 2));
}

#[test]
fn p3_first_step_has_size_alpha() {
    graded(|| {
        // k = 1: m_hat = g, v_hat = g^2, so the step is alpha * g / sqrt(g^2 + eps) ~ alpha * sign(g)
        // whatever the gradient's scale (eps = 1e-8 is negligible against g^2 >= 0.25 here).
        for g in [-7.0_f32, 0.5, 300.0] {
            let thetas = run(Adam::default(), 0.1, &[0.0], &[vec![g]]);
            assert_close(
                &thetas[0],
                &[-0.1 * g.signum()],
                &format!("first step, g = {g}"),
            );
        }
    });
}

#[test]
fn p3_matches_the_reference_for_twenty_steps() {
    graded(|| {
        let grads: Vec<Vec<f32>> = (0..20)
            .map(|k| vec![(k as f32 * 0.37).sin(), 1.5 - 0.1 * k as f32, 0.01])
            .collect();
        let cfg = AdamConfig {
            alpha: 0.05,
            ..Default::default()
        };
        let expected = run(
            trainlab_optimizers::Adam::new(&cfg).expect("valid config"),
            cfg.alpha,
            &[0.5, -1.0, 2.0],
            &grads,
        );
        let actual = run(Adam::default(), 0.05, &[0.5, -1.0, 2.0], &grads);
        // The reference computes 1 - beta^k in f64, an f32 `powi` is a few ulps off per step: the
        // values pass through magnitudes up to ~2, so compare at that scale (tolerance ~2e-6, far
        // below what a misplaced eps or a missing bias correction changes).
        let scale = [2.0_f32; 3];
        for (k, (a, e)) in actual.iter().zip(&expected).enumerate() {
            assert_close_scaled(a, e, &scale, &format!("theta after step {}", k + 1));
        }
    });
}
