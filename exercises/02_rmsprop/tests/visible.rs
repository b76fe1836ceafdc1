//! Visible tests of exercise 02. Points: the `pN_` prefix of a test's name.

use ex02_rmsprop::RmsProp;
use trainlab_exercise_harness::graded;
use trainlab_optimizers::tolerance::assert_close;
use trainlab_optimizers::{Optimizer, RmsPropConfig, UpdateRule};

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

fn rule(beta: f32, eps: f32) -> RmsProp {
    RmsProp { beta, eps }
}

#[test]
fn p1_keeps_one_buffer() {
    graded(|| assert_eq!(rule(0.9, 1e-8).state_buffers(), 1));
}

#[test]
fn p3_two_steps_hand_derived() {
    graded(|| {
        // theta0 = 1, alpha = 0.01, beta = 0.9, eps = 0.01 (large, so its place matters), g = 1, 1:
        // s1 = 0.1,  theta1 = 1 - 0.01/sqrt(0.11)                 = 0.969848866
        // s2 = 0.19, theta2 = 0.969848866 - 0.01/sqrt(0.20)       = 0.947488186
        let thetas = run(rule(0.9, 0.01), 0.01, &[1.0], &vec![vec![1.0]; 2]);
        assert_close(&thetas[0], &[0.969_848_9], "theta after step 1");
        assert_close(&thetas[1], &[0.947_488_2], "theta after step 2");
    });
}

#[test]
fn p2_matches_the_reference_on_a_vector() {
    graded(|| {
        let grads: Vec<Vec<f32>> = (0..10)
            .map(|k| vec![(k as f32 * 0.9).cos(), -2.0, 0.1 * k as f32])
            .collect();
        let cfg = RmsPropConfig {
            alpha: 0.02,
            beta: 0.8,
            eps: 1e-6,
            ..Default::default()
        };
        let expected = run(
            trainlab_optimizers::RmsProp::new(&cfg).expect("valid config"),
            cfg.alpha,
            &[0.5, -1.0, 2.0],
            &grads,
        );
        let actual = run(rule(0.8, 1e-6), 0.02, &[0.5, -1.0, 2.0], &grads);
        for (k, (a, e)) in actual.iter().zip(&expected).enumerate() {
            assert_close(a, e, &format!("theta after step {}", k + 1));
        }
    });
}
