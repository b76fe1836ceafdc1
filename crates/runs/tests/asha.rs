//! An ASHA search end to end on the digits: its journal's decisions are those of Optuna's rule
//! replayed independently, pruned trials stop at a rung, the rest train to `max_epochs`, and a
//! second run of the same search resumes (nothing trains again), also for a trial pruned just
//! before its worker died.

use trainlab_runs::study::Entry;
use trainlab_runs::{run_search, SearchOptions, SearchStrategy, Study, TrialStatus};
use trainlab_validation::search::{promoted, SearchSpace};

const SPACE: &str = "[space.\"optimizer.alpha\"]\nkind = \"log_uniform\"\nlow = 1e-4\nhigh = 1.0\n";

fn opts(root: &std::path::Path) -> SearchOptions {
    SearchOptions {
        runs_dir: root.to_path_buf(),
        experiment: "asha".into(),
        jobs: 1,
        strategy: SearchStrategy::Asha {
            trials: 9,
            seed: 4,
            grace_period: 1,
            reduction_factor: 3,
            max_epochs: 9,
        },
    }
}

#[test]
fn asha_prunes_by_the_rule_and_resumes() {
    let root = tempfile::tempdir().unwrap();
    let space = SearchSpace::from_toml_str(SPACE).unwrap();
    let base = toml::Table::new();
    let report = run_search(&base, &space, &opts(root.path()), &|_| {}).unwrap();
    assert_eq!(report.rows.len(), 9);
    let study = Study::open(&root.path().join("asha")).unwrap();
    // replay: each rung entry's decision is `promoted(score, the rung's earlier scores, 3)`
    let mut at_rung: Vec<Vec<f64>> = vec![Vec::new(); 2];
    for e in study.entries().unwrap() {
        if let Entry::Rung {
            rung,
            score,
            promoted: p,
            epochs,
            ..
        } = e
        {
            assert_eq!(epochs, [1, 3][rung], "rung {rung}'s budget");
            let s = score.unwrap_or(f64::NAN);
            assert_eq!(p, promoted(s, &at_rung[rung], 3), "rung {rung}, score {s}");
            at_rung[rung].push(s);
        }
    }
    assert_eq!(at_rung[0].len(), 9, "every trial reaches rung 0");
    for row in &report.rows {
        let last = row.rungs.last().expect("every trial has a rung");
        match row.status {
            TrialStatus::Pruned => {
                assert!(!last.promoted);
                assert_eq!(row.epochs, last.epochs);
                let lines =
                    std::fs::read_to_string(row.run_dir.as_ref().unwrap().join("metrics.csv"))
                        .unwrap()
                        .lines()
                        .count();
                assert_eq!(lines, 1 + row.epochs, "{}: trained past its rung", row.key);
            }
            TrialStatus::Completed => {
                assert!(row.rungs.iter().all(|r| r.promoted));
                assert_eq!(row.rungs.len(), 2);
                assert_eq!(row.epochs, 9);
            }
            other => panic!("{}: {other:?}", row.key),
        }
    }
    assert!(report.rows.iter().any(|r| r.status == TrialStatus::Pruned));

    // the same search again: everything is in the journal
    let again = run_search(&base, &space, &opts(root.path()), &|_| {}).unwrap();
    assert_eq!(again.ran, 0);
    assert_eq!(again.rows, report.rows);

    // a pruned trial whose worker died after the decision and the checkpoint, before its row:
    // the retry keeps the decision and trains nothing more
    let pruned = report
        .rows
        .iter()
        .find(|r| r.status == TrialStatus::Pruned)
        .unwrap()
        .clone();
    let t = pruned.trial.unwrap();
    let journal = study.journal_path();
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut kept: String = text
        .lines()
        .filter(|l| !(l.contains("\"op\":\"done\"") && l.contains(&format!("\"trial\":{t},"))))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(kept.lines().count() + 1, text.lines().count());
    // its newest claim is a dead process's on this host (else the claim stays live for the
    // 60 s lease: the worker that really ran it is a thread of this living test process)
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    kept.push_str(&format!(
        "{{\"op\":\"claim\",\"trial\":{t},\"worker\":\"{}:4294967294:1\",\"attempt\":1,\"at\":{}}}\n",
        host.trim(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    ));
    std::fs::write(&journal, kept).unwrap();
    let resumed = run_search(&base, &space, &opts(root.path()), &|_| {}).unwrap();
    assert_eq!(resumed.ran, 1);
    let row = resumed.rows.iter().find(|r| r.trial == Some(t)).unwrap();
    assert_eq!(row.status, TrialStatus::Pruned);
    assert_eq!(row.epochs, pruned.epochs);
    assert_eq!(row.val_accuracy, pruned.val_accuracy);
    assert_eq!(row.rungs, pruned.rungs);
    let lines = std::fs::read_to_string(row.run_dir.as_ref().unwrap().join("metrics.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(lines, 1 + pruned.epochs, "the retry trained again");
}

#[test]
fn the_search_table_names_bad_fields() {
    for (table, field) in [
        (
            "kind = \"asha\"\nreduction_factor = 1",
            "search.reduction_factor",
        ),
        ("kind = \"asha\"\ngrace_period = 0", "search.grace_period"),
        (
            "kind = \"asha\"\ngrace_period = 4\nmax_epochs = 3",
            "search.max_epochs",
        ),
        ("kind = \"asha\"\ntrials = 0", "search.trials"),
        ("kind = \"asha\"\nseed = -1", "search.seed"),
        ("kind = \"asha\"\nmax_epoch = 3", "search.max_epoch"),
        ("kind = \"asha\"\ntrials = \"many\"", "search.trials"),
        ("kind = \"hyperband\"", "search.kind"),
        ("trials = 3", "search.kind"),
        ("kind = \"coarse_to_fine\"\nfactor = 2.0", "search.factor"),
        ("kind = \"grid\"\npoints = 0", "search.points"),
    ] {
        let t: toml::Table = toml::from_str(table).unwrap();
        let msg = SearchStrategy::from_table(&t).unwrap_err().to_string();
        assert!(msg.contains(field), "{table:?}: {msg}");
    }
}
