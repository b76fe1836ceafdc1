//! Hidden tests of exercise 01 (never released; the grader runs them).

use ex01_momentum::Momentum;
use trainlab_exercise_harness::graded;
use trainlab_optimizers::tolerance::assert_close;
use trainlab_optimizers::{Step, UpdateRule};

fn at(k: u64, alpha: f32) -> Step {
    Step { k, alpha }
}

#[test]
fn p2_beta_zero_is_plain_sgd() {
    graded(|| {
        // beta = 0: v = g, theta -= alpha * g. theta0 = [1, 2], g = [0.5, -1] twice, alpha = 0.2:
        // step 1: [0.9, 2.2]; step 2: [0.8, 2.4]
        let rule = Momentum { beta: 0.0 };
        let (mut theta, mut state) = (vec![1.0_f32, 2.0], vec![vec![0.0_f32; 2]]);
        rule.update(at(1, 0.2), &mut theta, &[0.5, -1.0], &mut state);
        rule.update(at(2, 0.2), &mut theta, &[0.5, -1.0], &mut state);
        assert_close(&theta, &[0.8, 2.4], "theta after two SGD steps");
    });
}

#[test]
fn p2_velocity_is_kept_in_the_state() {
    graded(|| {
        // alpha = 1, beta = 0.5, g = 1 then 0: v1 = 1, v2 = 0.5 (the step goes on without gradient)
        let rule = Momentum { beta: 0.5 };
        let (mut theta, mut state) = (vec![0.0_f32], vec![vec![0.0_f32]]);
        rule.update(at(1, 1.0), &mut theta, &[1.0], &mut state);
        rule.update(at(2, 1.0), &mut theta, &[0.0], &mut state);
        assert_close(&state[0], &[0.5], "v after two steps");
        assert_close(&theta, &[-1.5], "theta after two steps");
    });
}

#[test]
fn p1_the_steps_alpha_scales_the_step() {
    graded(|| {
        // the schedule's rate changes between steps: alpha 0.5 then 0.1, beta 0.9, g = 2, 2:
        // v1 = 2, theta1 = -1; v2 = 0.9*2 + 2 = 3.8, theta2 = -1 - 0.38 = -1.38
        let rule = Momentum { beta: 0.9 };
        let (mut theta, mut state) = (vec![0.0_f32], vec![vec![0.0_f32]]);
        rule.update(at(1, 0.5), &mut theta, &[2.0], &mut state);
        assert_close(&theta, &[-1.0], "theta after one step at alpha = 0.5");
        rule.update(at(2, 0.1), &mut theta, &[2.0], &mut state);
        assert_close(&theta, &[-1.38], "theta after a second step at alpha = 0.1");
    });
}
