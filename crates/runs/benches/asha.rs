//! The ASHA benchmark (issue 14): epochs spent by ASHA against a full random search on the
//! digits, same space, same seed, so both draw the same 27 configurations; per seed.
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
//! Run: `cargo bench -p trainlab-runs --bench asha` (seeds 0, 1, 2, 27 trials;
//! `TRAINLAB_ASHA_SEEDS=0,1,2,3,4`, `TRAINLAB_ASHA_TRIALS=81`, `TRAINLAB_ASHA_GRACE=3` for others).

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

/// ASHA's grace period: `TRAINLAB_ASHA_GRACE`, default 1.
fn grace() -> usize {
    std::env::var("TRAINLAB_ASHA_GRACE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

/// The seeds: `TRAINLAB_ASHA_SEEDS` (comma-separated), default 0, 1, 2.
fn seeds() -> Vec<u64> {
    std::env::var("TRAINLAB_ASHA_SEEDS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<u64>| !v.is_empty())
        .unwrap_or_else(|| vec![0, 1, 2])
}

/// One seed: both searches, checked, and the numbers of its table row.
struct Row {
    random_epochs: usize,
    random_best: f64,
    random_reach_own: usize,
    asha_epochs: usize,
    asha_best: f64,
    random_reach_asha: usize,
    random_on_asha_budget: f64,
    pruned: usize,
}

fn one_seed(seed: u64) -> Row {
    let (random, _) = search(
        SearchStrategy::Random {
            trials: trials(),
            seed,
        },
        2,
    );
    let (asha, _) = search(
        SearchStrategy::Asha {
            trials: trials(),
            seed,
            grace_period: grace(),
            reduction_factor: 3,
            max_epochs: MAX_EPOCHS,
        },
        1,
    );
    let epochs = |r: &SearchReport| r.rows.iter().map(|r| r.epochs).sum::<usize>();
    // random search's accuracies in draw order
    let keys: Vec<String> = trainlab_validation::search::random(
        &SearchSpace::from_toml_str(SPACE).expect("valid"),
        trials(),
        seed,
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
            .map_or(usize::MAX, |i| (i + 1) * MAX_EPOCHS)
    };
    // a trial ASHA never pruned trained exactly as in the random search
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
            "seed {seed}: trial {} trained differently under ASHA",
            row.key
        );
    }
    let (random_best, asha_best) = (best(&random), best(&asha));
    let asha_epochs = epochs(&asha);
    let budget = (asha_epochs / MAX_EPOCHS).min(in_order.len());
    Row {
        random_epochs: epochs(&random),
        random_best,
        random_reach_own: reach(random_best),
        asha_epochs,
        asha_best,
        random_reach_asha: reach(asha_best),
        random_on_asha_budget: in_order[..budget]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max),
        pruned: asha
            .rows
            .iter()
            .filter(|r| r.status == TrialStatus::Pruned)
            .count(),
    }
}

fn main() {
    let n = trials();
    println!(
        "{n} trials per search on the digits (alpha log-uniform 1e-4..1, width 16/64/256, \
         {MAX_EPOCHS} epochs), ASHA grace {}, eta 3, 1 worker; validation split of 180 digits \
         (one digit = 0.56%)",
        grace()
    );
    println!(
        "seed | random: epochs  best    epochs to its best | ASHA: epochs  best    pruned | \
         random: epochs to ASHA's best, best on ASHA's budget"
    );
    let pct = |a: f64| format!("{:.2}%", a * 100.0);
    let (mut sum_random, mut sum_asha, mut same) = (0, 0, 0);
    let seeds = seeds();
    for &seed in &seeds {
        let start = Instant::now();
        let r = one_seed(seed);
        sum_random += r.random_epochs;
        sum_asha += r.asha_epochs;
        same += usize::from(r.asha_best >= r.random_best);
        println!(
            "{seed:>4} | {:>14}  {}  {:>18} | {:>12}  {}  {:>6} | {:>24}, {} ({:.0} s)",
            r.random_epochs,
            pct(r.random_best),
            r.random_reach_own,
            r.asha_epochs,
            pct(r.asha_best),
            r.pruned,
            r.random_reach_asha,
            pct(r.random_on_asha_budget),
            start.elapsed().as_secs_f64()
        );
    }
    println!(
        "ASHA reached the full random search's best in {same} of {} seeds, with {sum_asha} epochs \
         against {sum_random} (ratio {:.3})",
        seeds.len(),
        sum_asha as f64 / sum_random as f64
    );
}
