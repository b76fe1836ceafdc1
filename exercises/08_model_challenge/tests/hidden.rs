//! Hidden tests of exercise 08 (never released): the config is trained with a fixed weight seed
//! on a split the student never sees (70 / 10 / 20, stratified, other seeds), and measured once
//! on that split's sealed test part (359 digits), which training never touches.

use ex08_model_challenge::{config, TARGET_ACCURACY};
use trainlab_exercise_harness::graded;
use trainlab_training::{evaluate, DataConfig, SplitConfig, Trainer};

/// Held-out accuracy of the submitted config with weight seed `seed` and split seed `split_seed`.
fn held_out_accuracy(seed: u64, split_seed: u64) -> f64 {
    let mut config =
        config().unwrap_or_else(|e| panic!("config.toml is not a valid trainlab config: {e}"));
    config.seed = seed;
    config.data = DataConfig::default();
    config.split = SplitConfig {
        train: 0.7,
        val: 0.1,
        test: 0.2,
        stratify: true,
        seed: split_seed,
    };
    let mut trainer = Trainer::new(config.plan().expect("the digits load"));
    trainer.run_to_end(&mut []).expect("training runs");
    let (trained, data) = trainer.into_parts();
    let (test, all) = data
        .test
        .expect("a plan of a config keeps its sealed test set");
    let final_eval = test.evaluate_final(|idx| evaluate(&trained.model, &all.subset(idx), 0));
    // About 20% of 1797 digits (stratified rounding per class: 359).
    assert!(
        final_eval.n_test > 350,
        "{} held-out digits",
        final_eval.n_test
    );
    let accuracy = final_eval.result.1.expect("digits are classes");
    println!(
        "held-out accuracy: {accuracy:.4} on {} digits",
        final_eval.n_test
    );
    accuracy
}

#[test]
fn p4_reaches_the_target_on_held_out_digits() {
    graded(|| {
        let accuracy = held_out_accuracy(20_240, 7_001);
        assert!(
            accuracy >= TARGET_ACCURACY,
            "held-out accuracy {accuracy:.4} < {TARGET_ACCURACY}"
        );
    });
}

#[test]
fn p3_reaches_the_target_on_other_held_out_digits() {
    graded(|| {
        let accuracy = held_out_accuracy(31_337, 90_210);
        assert!(
            accuracy >= TARGET_ACCURACY,
            "held-out accuracy {accuracy:.4} < {TARGET_ACCURACY}"
        );
    });
}
