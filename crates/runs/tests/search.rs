//! The search runner: grid, divergence as a row, resume, best.toml, parallel workers.

use std::path::Path;

use trainlab_runs::{
    load_results, run_search, SearchEvent, SearchOptions, SearchStrategy, TrialStatus,
};
use trainlab_training::TrainConfig;
use trainlab_validation::search::SearchSpace;

/// A small, fast base: 2 epochs of a 16-unit MLP on the digits.
fn base(extra: &str) -> toml::Table {
    toml::from_str(&format!(
        "[model]\nwidth = 16\n[train]\nepochs = 2\nbatch_size = 64\n{extra}"
    ))
    .unwrap()
}

fn space(text: &str) -> SearchSpace {
    SearchSpace::from_toml_str(text).unwrap()
}

fn opts(root: &Path, jobs: usize) -> SearchOptions {
    SearchOptions {
        runs_dir: root.to_path_buf(),
        experiment: "exp".into(),
        jobs,
        strategy: SearchStrategy::Grid { points: 2 },
    }
}

const FOUR: &str = r#"
[space."optimizer.alpha"]
kind = "choice"
values = [0.01, 0.0001]
[space."model.width"]
kind = "choice"
values = [8, 32]
"#;

#[test]
fn grid_of_four_runs_all_sorted_and_writes_a_ready_best_config() {
    let dir = tempfile::tempdir().unwrap();
    let events = std::sync::Mutex::new(0);
    let r = run_search(&base(""), &space(FOUR), &opts(dir.path(), 2), &|e| {
        if let SearchEvent::Trial(_) = e {
            *events.lock().unwrap() += 1;
        }
    })
    .unwrap();
    assert_eq!((r.ran, r.resumed, r.rows.len()), (4, 0, 4));
    assert_eq!(*events.lock().unwrap(), 4);
    assert!(
        r.rows.iter().all(|t| t.status == TrialStatus::Completed),
        "{:?}",
        r.rows
    );
    let accs: Vec<f64> = r.rows.iter().map(|t| t.val_accuracy.unwrap()).collect();
    assert!(accs.windows(2).all(|w| w[0] >= w[1]), "{accs:?}");
    // each trial is a run directory with its config
    for row in &r.rows {
        let run = row.run_dir.as_ref().unwrap();
        assert!(run.join("config.toml").is_file() && run.join("summary.json").is_file());
    }
    // alpha 1e-4 for 2 epochs is far behind 1e-2: the best trial uses 0.01
    assert!(
        r.rows[0].key.contains("optimizer.alpha=0.01"),
        "{}",
        r.rows[0].key
    );
    let best = TrainConfig::from_file(r.best_config.as_ref().unwrap()).unwrap();
    assert_eq!(best.optimizer.alpha(), 0.01);
    assert_eq!(best.train.epochs, 2, "the base config is kept");
    assert_eq!(load_results(&r.results_file).unwrap().len(), 4);
}

#[test]
fn a_diverging_trial_is_a_row_and_the_search_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let space = space(
        r#"
[space."optimizer.alpha"]
kind = "choice"
values = [0.05, 1e6]
"#,
    );
    let r = run_search(
        &base("[optimizer]\nkind = \"sgd\"\nalpha = 0.1"),
        &space,
        &opts(dir.path(), 1),
        &|_| {},
    )
    .unwrap();
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.rows[0].status, TrialStatus::Completed);
    let bad = &r.rows[1];
    assert_eq!(bad.status, TrialStatus::Diverged, "{bad:?}");
    assert!(bad.key.contains("1000000"), "{}", bad.key);
    assert!(bad.reason.as_ref().unwrap().contains("step"), "{bad:?}");
}

#[test]
fn an_invalid_trial_value_is_a_failed_row_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let space = space(
        r#"
[space."train.batch_size"]
kind = "choice"
values = [0, 64]
"#,
    );
    let r = run_search(&base(""), &space, &opts(dir.path(), 2), &|_| {}).unwrap();
    let failed = r
        .rows
        .iter()
        .find(|t| t.status == TrialStatus::Failed)
        .unwrap();
    assert!(
        failed.reason.as_ref().unwrap().contains("train.batch_size"),
        "{failed:?}"
    );
    assert_eq!(r.rows[0].status, TrialStatus::Completed);
}

#[test]
fn an_interrupted_search_resumes_without_redoing_finished_trials() {
    let dir = tempfile::tempdir().unwrap();
    let first = run_search(&base(""), &space(FOUR), &opts(dir.path(), 2), &|_| {}).unwrap();
    assert_eq!(first.ran, 4);
    // forget one trial's completion, and leave a half-written line as a crash would
    let file = &first.results_file;
    let text = std::fs::read_to_string(file).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let forgotten = lines.remove(1).to_string();
    let cut = &forgotten[..forgotten.len() / 2];
    std::fs::write(file, format!("{}\n{cut}", lines.join("\n"))).unwrap();

    let ran = std::sync::Mutex::new(Vec::new());
    let second = run_search(&base(""), &space(FOUR), &opts(dir.path(), 2), &|e| {
        if let SearchEvent::Trial(row) = e {
            ran.lock().unwrap().push(row.key.clone());
        }
    })
    .unwrap();
    assert_eq!((second.ran, second.resumed), (1, 3));
    let forgotten_key: serde_json::Value = serde_json::from_str(&forgotten).unwrap();
    assert_eq!(
        ran.into_inner().unwrap(),
        vec![forgotten_key["key"].as_str().unwrap()]
    );
    // a third run has nothing left to do
    let third = run_search(&base(""), &space(FOUR), &opts(dir.path(), 2), &|_| {}).unwrap();
    assert_eq!((third.ran, third.resumed), (0, 4));
    assert_eq!(third.rows.len(), 4);
}

#[test]
fn coarse_to_fine_runs_a_second_round_inside_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let space = space(
        r#"
[space."optimizer.alpha"]
kind = "log_uniform"
low = 1e-5
high = 1e-1
"#,
    );
    let mut o = opts(dir.path(), 2);
    o.strategy = SearchStrategy::CoarseToFine {
        trials: 3,
        top_k: 1,
        factor: 0.25,
        seed: 7,
    };
    let one_epoch: toml::Table =
        toml::from_str("[model]\nwidth = 16\n[train]\nepochs = 1\nbatch_size = 64").unwrap();
    let r = run_search(&one_epoch, &space, &o, &|_| {}).unwrap();
    let round1: Vec<_> = r.rows.iter().filter(|t| t.round == 1).collect();
    let round2: Vec<_> = r.rows.iter().filter(|t| t.round == 2).collect();
    assert_eq!((round1.len(), round2.len()), (3, 3));
    // round 2 lies within a quarter of the log-width (1 decade) around round 1's best
    let alpha = |t: &&trainlab_runs::TrialRow| t.params[0].1.as_float().unwrap();
    let mut r1 = round1.clone();
    r1.sort_by(|a, b| b.val_accuracy.partial_cmp(&a.val_accuracy).unwrap());
    let best = alpha(&r1[0]).ln();
    for t in &round2 {
        assert!(
            (alpha(t).ln() - best).abs() <= 10f64.ln() + 1e-9,
            "{} vs best {}",
            alpha(t),
            best.exp()
        );
    }
}

#[test]
fn zero_jobs_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = run_search(&base(""), &space(FOUR), &opts(dir.path(), 0), &|_| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains("jobs"), "{err}");
}
