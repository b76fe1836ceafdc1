//! The ASHA benchmark (issue 14): epochs spent by ASHA against a full random search on the
//! digits, same space, same seed, so both draw the same 27 configurations.
//!
//! ```text
//! random   27 trials x 27 epochs = 729 epochs; best validation accuracy A_random
//! ASHA     the same 27 trials, grace 1, reduction factor 3, max 27 (budgets 1, 3, 9, 27);
//!          epochs = the sum of every trial's epochs; best A_asha
//! reach    the epochs random search had spent (trials in draw order) when it first reached
//!          A_asha, and when it reached A_random
//! ```
//! ASHA runs on one worker, so its promotions are reproducible; a trial it never prunes trains
//! exactly as in the random search (same config, same seed, no restart), which the benchmark
//! checks: the same trial has the same final accuracy in both.
//!
//! Run: `cargo bench -p trainlab-runs --bench asha` (`TRAINLAB_ASHA_TRIALS=81` for 81 trials).

use std::time::Instant;

use trainlab_runs::{run_search, SearchOptions, SearchReport, SearchStrategy, TrialStatus};
use trainlab_validation::search::SearchSpace;

const SPACE: &str = r#"
[space."optimizer.alpha"]
kind = "log_uniform"
low = 1e-4
high = 1.0
[space."model.width"]
kind = "choice"
values = [16, 64, 256]
"#;

/// Trials of both searches: `TRAINLAB_ASHA_TRIALS`, default 27.
fn trials() -> usize {
    std::env::var("TRAINLAB_ASHA_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(27)
}
const MAX_EPOCHS: usize = 27;
const SEED: u64 = 0;

fn search(strategy: SearchStrategy, jobs: usize) -> (SearchReport, f64) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let space = SearchSpace::from_toml_str(SPACE).expect("the space is valid");
    let base: toml::Table = toml::from_str(&format!(
        "[train]\nepochs = {MAX_EPOCHS}\nbatch_size = 32\n"
    ))
    .expect("the base is valid");
    let opts = SearchOptions {
        runs_dir: dir.path().to_path_buf(),
        experiment: "bench".into(),
        jobs,
        strategy,
    };
    let start = Instant::now();
    let report = run_search(&base, &space, &opts, &|_| {}).expect("the search runs");
    (report, start.elapsed().as_secs_f64())
}

fn best(report: &SearchReport) -> f64 {
    report
        .rows
        .iter()
        .filter(|r| r.status == TrialStatus::Completed)
        .filter_map(|r| r.val_accuracy)
        .fold(f64::NEG_INFINITY, f64::max)
}

fn main() {
    println!(
        "{} trials on the digits (alpha log-uniform 1e-4..1, width 16/64/256), seed {SEED}",
        trials()
    );
    let (random, t_random) = search(
        SearchStrategy::Random {
            trials: trials(),
            seed: SEED,
        },
        2,
    );
    let (asha, t_asha) = search(
        SearchStrategy::Asha {
            trials: trials(),
            seed: SEED,
            grace_period: 1,
            reduction_factor: 3,
            max_epochs: MAX_EPOCHS,
        },
        1,
    );
    let epochs = |r: &SearchReport| r.rows.iter().map(|r| r.epochs).sum::<usize>();
    let (best_random, best_asha) = (best(&random), best(&asha));
    // random search's rows in draw order (keys are unique: continuous alpha)
    let keys: Vec<String> = trainlab_validation::search::random(
        &SearchSpace::from_toml_str(SPACE).expect("valid"),
        trials(),
        SEED,
    )
    .iter()
    .map(trainlab_validation::search::describe)
    .collect();
    let in_order: Vec<f64> = keys
        .iter()
        .map(|k| {
            random
                .rows
                .iter()
                .find(|r| &r.key == k)
                .and_then(|r| r.val_accuracy)
                .unwrap_or(f64::NAN)
        })
        .collect();
    let reach = |target: f64| {
        in_order
            .iter()
            .position(|&a| a >= target)
            .map_or("never".to_string(), |i| format!("{}", (i + 1) * MAX_EPOCHS))
    };
    // the same trial trains identically in both searches
    for row in asha
        .rows
        .iter()
        .filter(|r| r.status == TrialStatus::Completed)
    {
        let same = random
            .rows
            .iter()
            .find(|r| r.key == row.key)
            .expect("same trials");
        assert_eq!(
            same.val_accuracy, row.val_accuracy,
            "trial {} trained differently under ASHA",
            row.key
        );
    }
    let pruned = asha
        .rows
        .iter()
        .filter(|r| r.status == TrialStatus::Pruned)
        .count();
    println!("search   epochs  best val acc  seconds  trials to the end");
    println!(
        "random   {:>6}  {:>11.2}%  {:>7.1}  {}",
        epochs(&random),
        best_random * 100.0,
        t_random,
        trials()
    );
    println!(
        "ASHA     {:>6}  {:>11.2}%  {:>7.1}  {} ({pruned} pruned)",
        epochs(&asha),
        best_asha * 100.0,
        t_asha,
        trials() - pruned
    );
    println!(
        "random search reached ASHA's best ({:.2}%) after {} epochs, its own best ({:.2}%) after {} epochs",
        best_asha * 100.0,
        reach(best_asha),
        best_random * 100.0,
        reach(best_random)
    );
    let budget = epochs(&asha) / MAX_EPOCHS;
    let equal = in_order[..budget.min(in_order.len())]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    println!(
        "random search on ASHA's budget ({} epochs: its first {budget} trials): best {:.2}%",
        budget * MAX_EPOCHS,
        equal * 100.0
    );
    println!(
        "ASHA epochs / random epochs = {:.3}",
        epochs(&asha) as f64 / epochs(&random) as f64
    );
}
