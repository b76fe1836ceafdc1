//! Hidden tests of exercise 03 (never released).

use ex03_adam::Adam;
use trainlab_exercise_harness::graded;
use trainlab_optimizers::tolerance::assert_close;
use trainlab_optimizers::{Step, UpdateRule};

#[test]
fn p2_bias_correction_uses_k() {
    graded(|| {
        // beta1 = 0.5, beta2 = 0.5, alpha = 1, eps = 0, g = 1 then 1:
        // k=1: m = 0.5, v = 0.5, m_hat = 1, v_hat = 1 -> theta = -1
        // k=2: m = 0.75, v = 0.75, m_hat = 0.75/0.75 = 1, v_hat = 1 -> theta = -2
        let rule = Adam {
            beta1: 0.5,
            beta2: 0.5,
            eps: 0.0,
        };
        let (mut theta, mut state) = (vec![0.0_f32], vec![vec![0.0_f32], vec![0.0_f32]]);
        rule.update(Step { k: 1, alpha: 1.0 }, &mut theta, &[1.0], &mut state);
        rule.update(Step { k: 2, alpha: 1.0 }, &mut theta, &[1.0], &mut state);
        assert_close(&theta, &[-2.0], "theta after two steps");
        assert_close(&state[0], &[0.75], "m after two steps");
        assert_close(&state[1], &[0.75], "v after two steps");
    });
}

#[test]
fn p2_eps_is_inside_the_root() {
    graded(|| {
        // k = 1, g = 1, eps = 3: theta = -alpha * 1 / sqrt(1 + 3) = -0.5 (outside: -1/(1+3) = -0.25)
        let rule = Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 3.0,
        };
        let (mut theta, mut state) = (vec![0.0_f32], vec![vec![0.0_f32], vec![0.0_f32]]);
        rule.update(Step { k: 1, alpha: 1.0 }, &mut theta, &[1.0], &mut state);
        assert_close(&theta, &[-0.5], "theta after one step");
    });
}
