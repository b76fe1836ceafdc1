//! Visible tests of exercise 08. Points: the `pN_` prefix of a test's name.
//!
//! The config is trained on the digits with weight seed 0 and the default split (80 / 10 / 10,
//! stratified, seed 0): the split `trainlab train` uses in the course. Accuracy is measured
//! on its validation part (180 digits).

use ex08_model_challenge::{config, TARGET_ACCURACY};
use trainlab_exercise_harness::graded;
use trainlab_training::{evaluate, DataConfig, SplitConfig, Trainer};

/// Validation accuracy of the submitted config on the public split.
fn public_accuracy() -> f64 {
    let mut config =
        config().unwrap_or_else(|e| panic!("config.toml is not a valid trainlab config: {e}"));
    config.seed = 0;
    config.data = DataConfig::default();
    config.split = SplitConfig::default();
    let plan = config.plan().expect("the digits load");
    let val = plan.data().clone_splits().1;
    let trained = Trainer::new(plan).run(&mut []).expect("training runs");
    let (_, accuracy) = evaluate(&trained.model, &val, 0);
    let accuracy = accuracy.expect("digits are classes");
    println!("validation accuracy on the public split: {accuracy:.4}");
    accuracy
}

#[test]
fn p1_beats_90_percent_on_the_public_split() {
    graded(|| {
        let accuracy = public_accuracy();
        assert!(accuracy >= 0.90, "validation accuracy {accuracy:.4} < 0.90");
    });
}

#[test]
fn p2_reaches_the_target_on_the_public_split() {
    graded(|| {
        let accuracy = public_accuracy();
        assert!(
            accuracy >= TARGET_ACCURACY,
            "validation accuracy {accuracy:.4} < {TARGET_ACCURACY}"
        );
    });
}
