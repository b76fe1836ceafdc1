//! Hidden tests of exercise 02 (never released).

use ex02_rmsprop::RmsProp;
use trainlab_exercise_harness::graded;
use trainlab_optimizers::tolerance::assert_close;
use trainlab_optimizers::{Step, UpdateRule};

#[test]
fn p2_eps_is_inside_the_root() {
    graded(|| {
        // g = 0 after s = 0: nothing moves; then one step with s = 0.5*0 + 0.5*4 = 2, eps = 2:
        // theta = -1 * 2 / sqrt(2 + 2) = -1 (eps outside would give -2/(sqrt(2)+2) = -0.5858)
        let r = RmsProp {
            beta: 0.5,
            eps: 2.0,
        };
        let (mut theta, mut state) = (vec![0.0_f32], vec![vec![0.0_f32]]);
        r.update(Step { k: 1, alpha: 1.0 }, &mut theta, &[2.0], &mut state);
        assert_close(&theta, &[-1.0], "theta after one step");
        assert_close(&state[0], &[2.0], "s after one step");
    });
}

#[test]
fn p2_first_step_is_scale_free() {
    graded(|| {
        // With tiny eps, the first step is alpha / sqrt(1 - beta) whatever |g|: sign(g) * 0.01/sqrt(0.1)
        for g in [1e-3_f32, 1.0, 1e3] {
            let r = RmsProp {
                beta: 0.9,
                eps: 1e-12,
            };
            let (mut theta, mut state) = (vec![0.0_f32], vec![vec![0.0_f32]]);
            r.update(Step { k: 1, alpha: 0.01 }, &mut theta, &[g], &mut state);
            let expected = -0.01 / 0.1_f32.sqrt();
            assert!(
                (theta[0] - expected).abs() < 1e-5,
                "g = {g}: theta = {}",
                theta[0]
            );
        }
    });
}
