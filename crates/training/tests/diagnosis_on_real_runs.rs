//! The diagnosis on real runs of this trainer, one regime each (issue 4): the verdict each regime
//! must get. These train for real on the digits; nothing here is a drawn curve.

use trainlab_diagnosis::{EarlyStoppingConfig, Thresholds};
use trainlab_training::{History, Outcome, TrainConfig, Trained, Trainer};

/// Trains `config` on the first `n_train` samples of its training split (all with `None`).
fn train_first(config: &TrainConfig, n_train: Option<usize>, h: &mut History) -> Trained {
    let data = config.plan().unwrap().data().clone_splits();
    let train = match n_train {
        Some(n) => data.0.subset(&(0..n).collect::<Vec<_>>()),
        None => data.0,
    };
    Trainer::new(config.plan_on(train, data.1).unwrap())
        .run(&mut [h])
        .unwrap()
}

fn verdicts(config: &TrainConfig, n_train: Option<usize>) -> (Vec<&'static str>, History) {
    let mut h = History::default();
    train_first(config, n_train, &mut h);
    let names = h
        .diagnose(&Thresholds::default())
        .iter()
        .map(|v| v.kind.name())
        .collect();
    (names, h)
}

fn config(toml_text: &str) -> TrainConfig {
    TrainConfig::from_toml_str(toml_text, std::path::Path::new("test.toml")).unwrap()
}

#[test]
fn too_small_and_too_short_is_underfitting() {
    // 2 hidden units, plain SGD with a small rate, 8 epochs: both losses still falling at the end.
    let c = config(
        "[model]\nhidden = [2]\n[optimizer]\nkind = \"sgd\"\nalpha = 0.01\n[train]\nepochs = 8\n",
    );
    let (v, _) = verdicts(&c, None);
    assert!(v.contains(&"underfitting"), "{v:?}");
}

#[test]
fn a_large_model_on_100_samples_overfits_and_names_the_validation_minimum() {
    let c = config("[model]\nhidden = [512, 512]\n[train]\nepochs = 60\nbatch_size = 20\n");
    let (v, h) = verdicts(&c, Some(100));
    assert!(v.contains(&"overfitting"), "{v:?}");
    let val = h.val_losses();
    let argmin = (0..val.len())
        .min_by(|&a, &b| val[a].total_cmp(&val[b]))
        .unwrap();
    let diag = h.diagnose(&Thresholds::default());
    let best = diag
        .iter()
        .find_map(|d| match d.kind {
            trainlab_diagnosis::VerdictKind::Overfitting { best_epoch } => Some(best_epoch),
            _ => None,
        })
        .unwrap();
    assert_eq!(best, argmin, "the epoch of the validation minimum");
}

#[test]
fn a_learning_rate_of_10_diverges() {
    let c = config("[optimizer]\nkind = \"sgd\"\nalpha = 10.0\n[train]\nepochs = 5\n");
    let (v, h) = verdicts(&c, None);
    assert!(
        matches!(h.outcome, Some(Outcome::Diverged { .. })),
        "{:?}",
        h.outcome
    );
    assert_eq!(v, vec!["diverging"]);
}

#[test]
fn a_learning_rate_of_1e_7_is_not_learning() {
    // The weights stay at their initialisation: accuracy about 1/10, loss about ln 10, i.e.
    // not learning, at chance (issue 12: chance level is its own finding).
    let c = config("[optimizer]\nkind = \"sgd\"\nalpha = 1e-7\n[train]\nepochs = 10\n");
    let (v, _) = verdicts(&c, None);
    assert_eq!(v, vec!["at_chance"]);
}

#[test]
fn early_stopping_stops_at_patience_and_restores_the_best_weights() {
    let mut c = config("[model]\nhidden = [512, 512]\n[train]\nepochs = 60\nbatch_size = 20\n");
    c.train.early_stopping = Some(EarlyStoppingConfig {
        patience: 3,
        ..Default::default()
    });
    let mut h = History::default();
    let t = train_first(&c, Some(100), &mut h);
    let Outcome::EarlyStopped {
        epoch,
        best_epoch: Some(best),
        restored: true,
        ..
    } = t.report.outcome
    else {
        panic!("expected an early stop, got {:?}", t.report.outcome);
    };
    assert_eq!(
        epoch,
        best + 3,
        "stops on the 3rd epoch without improvement"
    );
    assert!(epoch < 59);
    // the returned model is the best epoch's: its validation loss is that epoch's
    let val = c.plan().unwrap().data().clone_splits().1;
    let (loss, _) = trainlab_training::evaluate(&t.model, &val, 0);
    assert_eq!(loss, h.epochs[best].val_loss);
    assert_eq!(t.report.final_val_loss, Some(loss));
}
