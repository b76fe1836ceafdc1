//! Checkpoints and exact resume, in process (the SIGKILL version is in the trainlab CLI tests).

use trainlab_diagnosis::EarlyStoppingConfig;
use trainlab_training::{Checkpoint, History, Progress, TrainConfig, Trained, Trainer};

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

/// Runs `c` to the end, keeping the checkpoint of every epoch.
fn run_with_checkpoints(c: &TrainConfig, history: &mut History) -> (Trained, Vec<Checkpoint>) {
    let mut trainer = Trainer::new(c.plan().unwrap());
    let mut checkpoints = Vec::new();
    loop {
        match trainer.epoch(&mut [history]).unwrap() {
            Progress::EpochEnd(_) => checkpoints.push(trainer.checkpoint()),
            Progress::Finished(_) => break,
            Progress::Step(_) => unreachable!("epoch() runs to the end of an epoch"),
        }
    }
    (trainer.into_trained(), checkpoints)
}

/// Saves `checkpoint` as `dir/stem.*`, loads it back (through the files, as a killed run would)
/// and runs `c` from it to the end.
fn resume_through_files(
    c: &TrainConfig,
    checkpoint: &Checkpoint,
    dir: &std::path::Path,
    stem: &str,
    history: &mut History,
) -> Trained {
    let saved = checkpoint.save(dir, stem).unwrap();
    Trainer::resume(c.plan().unwrap(), Checkpoint::load(&saved).unwrap())
        .unwrap()
        .run(&mut [history])
        .unwrap()
}

#[test]
fn resuming_from_any_epoch_ends_bit_for_bit_like_the_uninterrupted_run() {
    let c = config();
    let dir = tempfile::tempdir().unwrap();
    let mut full = History::default();
    let (whole, checkpoints) = run_with_checkpoints(&c, &mut full);
    assert_eq!(checkpoints.len(), 8);

    for resume_at in [1, 4, 7] {
        let mut rest = History::default();
        let stem = format!("epoch-{resume_at:04}");
        let resumed = resume_through_files(
            &c,
            &checkpoints[resume_at - 1],
            dir.path(),
            &stem,
            &mut rest,
        );
        assert_eq!(
            resumed.model.parameters(),
            whole.model.parameters(),
            "resumed at {resume_at}"
        );
        let strip = |h: &History| -> Vec<(usize, u32, u32, f32)> {
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

/// A sink that asks the run to stop after `after` minibatches, as a signal does.
struct StopAfter {
    after: u64,
    seen: u64,
}

impl trainlab_training::Sink for StopAfter {
    fn on_step(&mut self, _: &trainlab_training::StepMetrics) {
        self.seen += 1;
    }
    fn stop_requested(&self) -> Option<String> {
        (self.seen >= self.after).then(|| "SIGINT".to_string())
    }
}

#[test]
fn a_run_stopped_mid_epoch_resumes_from_that_minibatch_bit_for_bit() {
    let mut c = config();
    c.model.dropout = 0.2;
    c.train.epochs = 3;
    let mut full = History::default();
    let (whole, _) = run_with_checkpoints(&c, &mut full);
    let steps_per_epoch = whole.report.steps / 3;
    let dir = tempfile::tempdir().unwrap();
    // stops in epoch 2 (index 1), 5 minibatches in; and at the last minibatch of epoch 1
    for after in [steps_per_epoch + 5, steps_per_epoch] {
        let mut trainer = Trainer::new(c.plan().unwrap());
        let mut first = History::default();
        let mut stop = StopAfter { after, seen: 0 };
        let err = trainer
            .run_to_end(&mut [&mut first, &mut stop])
            .unwrap_err();
        let trainlab_training::TrainError::Stopped { step, .. } = err else {
            panic!("expected Stopped, got {err}");
        };
        assert_eq!(
            step, after,
            "the stop comes after the step that was running"
        );
        let ck = trainer.checkpoint();
        assert_eq!(ck.meta.step, after);
        assert_eq!(
            ck.meta.batches_done as u64,
            after % steps_per_epoch,
            "the position within the epoch"
        );
        let mut rest = History::default();
        let stem = trainlab_training::INTERRUPTED;
        let resumed = resume_through_files(&c, &ck, dir.path(), stem, &mut rest);
        assert_eq!(
            resumed.model.parameters(),
            whole.model.parameters(),
            "{after}"
        );
        // the interrupted epoch's mean training loss is the uninterrupted one's, to the bit
        let losses =
            |h: &History| -> Vec<u32> { h.epochs.iter().map(|e| e.train_loss.to_bits()).collect() };
        let mut joined = losses(&first);
        joined.extend(losses(&rest));
        assert_eq!(joined, losses(&full), "stopped after {after}");
    }
}

#[test]
fn dropout_runs_resume_bit_for_bit_too() {
    // the masks come from (seed, iteration): a resumed run draws the same ones
    let mut c = config();
    c.model.dropout = 0.3;
    c.train.epochs = 3;
    let (whole, checkpoints) = run_with_checkpoints(&c, &mut History::default());
    let resumed = Trainer::resume(c.plan().unwrap(), checkpoints[0].clone())
        .unwrap()
        .run(&mut [])
        .unwrap();
    assert_eq!(resumed.model.parameters(), whole.model.parameters());
}

#[test]
fn a_checkpoint_that_does_not_fit_the_config_is_an_error_naming_the_difference() {
    let mut short = config();
    short.train.epochs = 1;
    let (_, checkpoints) = run_with_checkpoints(&short, &mut History::default());
    let load = || checkpoints[0].clone();

    let mut wider = config();
    wider.model.hidden = Some(vec![64]);
    let err = Trainer::resume(wider.plan().unwrap(), load())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("layers are [64, 32, 10]") && err.contains("[64, 64, 10]"),
        "{err}"
    );

    let mut sgd = config();
    sgd.optimizer = toml::from_str("kind = \"sgd\"").unwrap();
    let err = Trainer::resume(sgd.plan().unwrap(), load())
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("`adam`") && err.contains("`sgd`"), "{err}");
}
