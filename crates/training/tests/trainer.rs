//! The trainer on real data: accuracy, determinism, divergence, schedules and sinks.

use trainlab_data::synthetic;
use trainlab_training::{
    History, Outcome, ScheduleConfig, Sink, TrainConfig, Trained, Trainer, Warning,
};

/// The one way to train: plan the config, run a trainer.
fn train(c: &TrainConfig, sinks: &mut [&mut dyn Sink]) -> Trained {
    Trainer::new(c.plan().unwrap()).run(sinks).unwrap()
}

fn quick(epochs: usize) -> TrainConfig {
    let mut c = TrainConfig::default();
    c.train.epochs = epochs;
    c
}

#[test]
fn default_config_reaches_95_percent_on_digits() {
    let config = TrainConfig::default();
    let mut h = History::default();
    let trained = train(&config, &mut [&mut h]);
    let acc = trained.report.final_val_accuracy.unwrap();
    assert!(acc >= 0.95, "validation accuracy {acc}");
    assert_eq!(
        trained.report.outcome,
        Outcome::Completed {
            epochs: config.train.epochs
        }
    );
    // train loss is the mean minibatch loss of the epoch
    let e0: Vec<f32> = h
        .steps
        .iter()
        .filter(|s| s.epoch == 0)
        .map(|s| s.loss)
        .collect();
    let mean = e0.iter().map(|&l| f64::from(l)).sum::<f64>() / e0.len() as f64;
    assert!((f64::from(h.epochs[0].train_loss) - mean).abs() < 1e-6);
}

#[test]
fn same_seed_same_numbers_bit_for_bit() {
    let run = |seed| {
        let mut c = quick(2);
        c.seed = seed;
        let mut h = History::default();
        let t = train(&c, &mut [&mut h]);
        let losses: Vec<u32> = h.steps.iter().map(|s| s.loss.to_bits()).collect();
        (losses, t.model.parameters())
    };
    let (a, pa) = run(3);
    let (b, pb) = run(3);
    let (c, _) = run(4);
    assert_eq!(a, b);
    assert_eq!(pa, pb);
    assert_ne!(a, c);
}

#[test]
fn a_huge_learning_rate_diverges_with_its_step_instead_of_panicking() {
    let mut c = quick(5);
    c.optimizer = toml::from_str("kind = \"sgd\"\nalpha = 1e6").unwrap();
    let mut h = History::default();
    let t = train(&c, &mut [&mut h]);
    match &t.report.outcome {
        Outcome::Diverged { step, loss, .. } => {
            assert!(*step >= 1);
            assert_eq!(
                *step,
                h.steps.len() as u64 + 1,
                "the diverging step is the one after the last finite one"
            );
            assert!(loss == "NaN" || loss.contains("inf"), "{loss}");
        }
        other => panic!("expected divergence, got {other:?}"),
    }
    assert_eq!(h.outcome, Some(t.report.outcome.clone()));
}

#[test]
fn sinks_hear_every_step_eval_and_epoch() {
    let mut c = quick(2);
    c.train.eval_every = 10;
    c.train.slow_step_ms = 0; // every step is "slow": each gets a warning
    let mut h = History::default();
    let t = train(&c, &mut [&mut h]);
    let info = h.info.clone().unwrap();
    let steps = (info.epochs * info.steps_per_epoch) as u64;
    assert_eq!(h.steps.len() as u64, steps);
    assert_eq!(t.report.steps, steps);
    assert_eq!(h.epochs.len(), 2);
    assert_eq!(h.evals.len() as u64, steps / 10 + 2);
    assert_eq!(h.warnings.len() as u64, steps);
    assert!(matches!(h.warnings[0], Warning::SlowStep { step: 1, .. }));
    assert!(h.steps.windows(2).all(|w| w[1].step == w[0].step + 1));
    assert_eq!(h.steps.last().unwrap().eta, std::time::Duration::ZERO);
}

#[test]
fn epoch_schedule_sets_the_lecture_rates() {
    // alpha = alpha0 / (1 + decay_rate * epoch), alpha0 = 0.1 (the optimizer's alpha), decay 1
    let mut c = quick(4);
    c.optimizer = toml::from_str("kind = \"sgd\"\nalpha = 0.1").unwrap();
    c.schedule =
        toml::from_str::<ScheduleConfig>("kind = \"inverse_time\"\ndecay_rate = 1.0").unwrap();
    let mut h = History::default();
    train(&c, &mut [&mut h]);
    let lrs: Vec<f32> = h.epochs.iter().map(|e| e.lr).collect();
    // Learning rates are f32: the lecture's numbers to f32 precision (relative 1.2e-7).
    let expected = [0.1, 0.05, 0.1 / 3.0, 0.025];
    for (i, (a, b)) in lrs.iter().zip(expected).enumerate() {
        let (a, b) = (f64::from(*a), b);
        assert!((a - b).abs() / b < 2e-7, "epoch {i}: {a} vs {b}");
    }
}

#[test]
fn regression_targets_train_with_mean_squared_error() {
    let data = synthetic::polynomial(200, 3, 0.05, 1);
    let (train_set, val_set) = (
        data.subset(&(0..150).collect::<Vec<_>>()),
        data.subset(&(150..200).collect::<Vec<_>>()),
    );
    let mut c = quick(30);
    c.model.activation = trainlab_training::Activation::Tanh;
    c.optimizer = toml::from_str("kind = \"adam\"\nalpha = 0.01").unwrap();
    let mut h = History::default();
    let t = Trainer::new(c.plan_on(train_set, val_set).unwrap())
        .run(&mut [&mut h])
        .unwrap();
    let first = h.epochs[0].val_loss;
    let last = t.report.final_val_loss.unwrap();
    assert!(last < first / 2.0, "val MSE {first} -> {last}");
    assert!(t.report.final_val_accuracy.is_none());
}
