//! Visible tests of exercise 01 (released to students). Points: the `pN_` prefix of a test's name.

use ex01_momentum::Momentum;
use trainlab_exercise_harness::graded;
use trainlab_optimizers::tolerance::assert_close;
use trainlab_optimizers::{MomentumConfig, Optimizer, UpdateRule};

/// Run `rule` through trainlab's `Optimizer` at rate `alpha` on one parameter; theta after each step.
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
fn p1_keeps_one_buffer() {
    graded(|| assert_eq!(Momentum { beta: 0.9 }.state_buffers(), 1));
}

#[test]
fn p2_first_step_is_alpha_times_gradient() {
    graded(|| {
        // v1 = 0.9 * 0 + 2 = 2;  theta1 = 1 - 0.1 * 2 = 0.8
        let thetas = run(Momentum { beta: 0.9 }, 0.1, &[1.0], &[vec![2.0]]);
        assert_close(&thetas[0], &[0.8], "theta after step 1");
    });
}

#[test]
fn p3_three_steps_hand_derived() {
    graded(|| {
        // theta0 = 1, alpha = 0.1, beta = 0.9, g = 1, 1, 1:
        // v1 = 1,    theta1 = 1 - 0.1       = 0.9
        // v2 = 1.9,  theta2 = 0.9 - 0.19    = 0.71
        // v3 = 2.71, theta3 = 0.71 - 0.271  = 0.439
        let thetas = run(Momentum { beta: 0.9 }, 0.1, &[1.0], &vec![vec![1.0]; 3]);
        for (k, (theta, expected)) in thetas.iter().zip([0.9, 0.71, 0.439]).enumerate() {
            assert_close(theta, &[expected], &format!("theta after step {}", k + 1));
        }
    });
}

#[test]
fn p2_matches_the_reference_on_a_vector() {
    graded(|| {
        let grads: Vec<Vec<f32>> = (0..10)
            .map(|k| vec![(k as f32 * 0.7).sin(), -0.5, 0.25 * k as f32])
            .collect();
        let reference = MomentumConfig {
            alpha: 0.05,
            beta: 0.8,
            ..Default::default()
        };
        let expected = run(
            trainlab_optimizers::Momentum::new(&reference).expect("valid config"),
            reference.alpha,
            &[0.5, -1.0, 2.0],
            &grads,
        );
        let actual = run(Momentum { beta: 0.8 }, 0.05, &[0.5, -1.0, 2.0], &grads);
        for (k, (a, e)) in actual.iter().zip(&expected).enumerate() {
            assert_close(a, e, &format!("theta after step {}", k + 1));
        }
    });
}
