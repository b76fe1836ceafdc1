//! Checkpoints and exact resume, in process (the SIGKILL version is in the trainlab CLI tests).

use trainlab_diagnosis::EarlyStoppingConfig;
use trainlab_training::{
    load_data, train_on_with, Checkpoint, CheckpointPolicy, History, TrainConfig, TrainOptions,
};

fn config() -> TrainConfig {
    // Reduce-on-plateau and early stopping both carry state that resuming must rebuild.
    let mut c = TrainConfig::from_toml_str(
        "[model]\nhidden = [32]\n[optimizer]\nkind = \"adam\"\nalpha = 0.003\n\
         [schedule]\nkind = \"reduce_on_plateau\"\npatience = 1\nfactor = 0.5\n[train]\nepochs = 8\n",
        std::path::Path::new("resume.toml"),
    )
    .unwrap();
    c.train.early_stopping = Some(EarlyStoppingConfig {
        patience: 50,
        ..Default::default()
    });
    c
}

#[test]
fn resuming_from_any_epoch_ends_bit_for_bit_like_the_uninterrupted_run() {
    let c = config();
    let data = load_data(&c).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let policy = CheckpointPolicy {
        dir: dir.path().join("checkpoints"),
        keep_last: 100,
    };
    let mut full = History::default();
    let whole = train_on_with(
        &c,
        &data.train,
        &data.val,
        &mut [&mut full],
        TrainOptions {
            checkpoints: Some(policy.clone()),
            resume: None,
        },
    )
    .unwrap();

    for resume_at in [1, 4, 7] {
        let ck = Checkpoint::load(&policy.dir.join(format!("epoch-{resume_at:04}.json"))).unwrap();
        let mut rest = History::default();
        let resumed = train_on_with(
            &c,
            &data.train,
            &data.val,
            &mut [&mut rest],
            TrainOptions {
                checkpoints: None,
                resume: Some(ck),
            },
        )
        .unwrap();
        assert_eq!(
            resumed.model.parameters(),
            whole.model.parameters(),
            "resumed at {resume_at}"
        );
        let strip = |h: &History| -> Vec<(usize, u32, u32, f64)> {
            h.epochs
                .iter()
                .map(|e| (e.epoch, e.train_loss.to_bits(), e.val_loss.to_bits(), e.lr))
                .collect()
        };
        assert_eq!(
            strip(&rest),
            strip(&full)[resume_at..].to_vec(),
            "resumed at {resume_at}"
        );
        assert_eq!(resumed.report.best_epoch, whole.report.best_epoch);
        assert_eq!(resumed.report.steps, whole.report.steps);
    }
}

#[test]
fn a_checkpoint_that_does_not_fit_the_config_is_an_error_naming_the_difference() {
    let c = config();
    let data = load_data(&c).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let policy = CheckpointPolicy {
        dir: dir.path().to_path_buf(),
        keep_last: 1,
    };
    let mut short = c.clone();
    short.train.epochs = 1;
    train_on_with(
        &short,
        &data.train,
        &data.val,
        &mut [],
        TrainOptions {
            checkpoints: Some(policy),
            resume: None,
        },
    )
    .unwrap();
    let load = || Checkpoint::load(&dir.path().join("epoch-0001.json")).unwrap();

    let mut wider = c.clone();
    wider.model.hidden = Some(vec![64]);
    let err = train_on_with(
        &wider,
        &data.train,
        &data.val,
        &mut [],
        TrainOptions {
            checkpoints: None,
            resume: Some(load()),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("layers are [64, 32, 10]") && err.contains("[64, 64, 10]"),
        "{err}"
    );

    let mut sgd = c.clone();
    sgd.optimizer = toml::from_str("kind = \"sgd\"").unwrap();
    let err = train_on_with(
        &sgd,
        &data.train,
        &data.val,
        &mut [],
        TrainOptions {
            checkpoints: None,
            resume: Some(load()),
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("`adam`") && err.contains("`sgd`"), "{err}");
}
