//! `trainlab split | cv | search | lr-find | sanity` as a user runs them, human and JSON output.

use std::path::Path;
use std::process::{Command, Output};

fn trainlab(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trainlab"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the trainlab binary runs")
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("--json prints one JSON document")
}

const SMALL: &str = "[model]\nwidth = 16\n[optimizer]\nkind = \"adam\"\nalpha = 0.01\n[train]\nepochs = 1\nbatch_size = 64\n";

#[test]
fn split_prints_sizes_per_class_and_no_leaks_on_digits() {
    let dir = tempfile::tempdir().unwrap();
    let text = ok(&trainlab(&["split"], dir.path()));
    assert!(text.contains("digits: 1797 samples"), "{text}");
    assert!(text.contains("leakage: none"), "{text}");
    let v = json(&trainlab(&["split", "--json"], dir.path()));
    let sizes: Vec<u64> = (0..3)
        .map(|i| v["parts"][i]["n"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes.iter().sum::<u64>(), 1797);
    assert_eq!(sizes[2], 180);
    let test_classes: u64 = v["parts"][2]["per_class"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(test_classes, 180);
}

#[test]
fn split_reports_planted_duplicates_with_indices() {
    // a CSV whose rows 0 and 1 are identical: with 50/50 and seed 0 they may share a part, so
    // plant many copies: 10 identical rows across 20 must straddle parts
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("x,y,label\n");
    for i in 0..20 {
        if i < 10 {
            csv.push_str(&format!("1.5,2.5,{}\n", i % 2));
        } else {
            csv.push_str(&format!("{i},{},{}\n", i * 2, i % 2));
        }
    }
    std::fs::write(dir.path().join("d.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("c.toml"),
        "[data]\ndataset = \"csv\"\npath = \"d.csv\"\n[split]\ntrain = 0.5\nval = 0.25\ntest = 0.25\n",
    )
    .unwrap();
    let v = json(&trainlab(
        &["split", "--config", "c.toml", "--json"],
        dir.path(),
    ));
    let leaks = v["leaks"].as_array().unwrap();
    assert!(!leaks.is_empty(), "{v}");
    for l in leaks {
        let (a, b) = (l["a"][1].as_u64().unwrap(), l["b"][1].as_u64().unwrap());
        assert!(a < 10 && b < 10, "only the planted rows are identical: {l}");
        assert_ne!(l["a"][0], l["b"][0]);
    }
    let text = ok(&trainlab(&["split", "--config", "c.toml"], dir.path()));
    assert!(text.contains("identical pairs across parts"), "{text}");
}

#[test]
fn cv_prints_folds_mean_and_std() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.toml"), SMALL).unwrap();
    let out = trainlab(
        &["cv", "--config", "c.toml", "--k", "3", "--stratified"],
        dir.path(),
    );
    let text = ok(&out);
    assert!(text.contains("3-fold stratified"), "{text}");
    assert!(text.contains("mean ") && text.contains("std "), "{text}");
    // not a terminal: plain progress lines on stderr
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fold 3/3"), "{stderr}");
    let v = json(&trainlab(
        &["cv", "--config", "c.toml", "--k", "3", "--json"],
        dir.path(),
    ));
    let scores: Vec<f64> = v["summary"]["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_f64().unwrap())
        .collect();
    assert_eq!(scores.len(), 3);
    let mean = scores.iter().sum::<f64>() / 3.0;
    assert!((v["summary"]["mean"].as_f64().unwrap() - mean).abs() < 1e-12);
}

#[test]
fn search_runs_resumes_and_writes_best_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.toml"), SMALL).unwrap();
    std::fs::write(
        dir.path().join("space.toml"),
        "[space.\"optimizer.alpha\"]\nkind = \"choice\"\nvalues = [0.01, 0.0001]\n[space.\"model.width\"]\nkind = \"choice\"\nvalues = [8, 16]\n",
    )
    .unwrap();
    let args = [
        "search",
        "--space",
        "space.toml",
        "--config",
        "base.toml",
        "--jobs",
        "2",
        "--experiment",
        "s1",
    ];
    let text = ok(&trainlab(&args, dir.path()));
    assert!(text.contains("4 trials (4 run now, 0 from"), "{text}");
    assert!(text.contains("best config:"), "{text}");
    let best = dir.path().join("runs/s1/best.toml");
    let out = trainlab(
        &[
            "train",
            "--config",
            best.to_str().unwrap(),
            "--name",
            "best",
        ],
        dir.path(),
    );
    ok(&out);
    // rerun: nothing left to do
    let mut again = args.to_vec();
    again.push("--json");
    let v = json(&trainlab(&again, dir.path()));
    assert_eq!(
        (v["ran"].as_u64(), v["resumed"].as_u64()),
        (Some(0), Some(4))
    );
    assert_eq!(v["rows"].as_array().unwrap().len(), 4);
}

#[test]
fn search_with_a_bad_space_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("space.toml"),
        "[space.\"optimizer.alpha\"]\nkind = \"log_uniform\"\nlow = 0.0\nhigh = 1.0\n",
    )
    .unwrap();
    let out = trainlab(&["search", "--space", "space.toml"], dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("optimizer.alpha"), "{stderr}");
}

#[test]
fn lr_find_suggests_a_rate_and_ranks_the_recipe() {
    let dir = tempfile::tempdir().unwrap();
    let text = ok(&trainlab(&["lr-find", "--recipe"], dir.path()));
    assert!(text.contains("suggested learning rate"), "{text}");
    assert!(text.contains("lecture recipe"), "{text}");
    let v = json(&trainlab(
        &["lr-find", "--json", "--iterations", "50"],
        dir.path(),
    ));
    let lr = v["range_test"]["suggestion"].as_f64().unwrap();
    assert!((1e-5..=1.0).contains(&lr), "{lr}");
    assert!(v["range_test"]["points"].as_array().unwrap().len() <= 50);
}

#[test]
fn sanity_prints_the_ladder() {
    let dir = tempfile::tempdir().unwrap();
    let text = ok(&trainlab(&["sanity", "--sizes", "1,4,10"], dir.path()));
    assert!(text.contains("expected ln(10) = 2.3026"), "{text}");
    assert!(text.contains(": ok"), "{text}");
    let v = json(&trainlab(
        &["sanity", "--sizes", "1,10", "--json"],
        dir.path(),
    ));
    let ladder = v["ladder"].as_array().unwrap();
    assert_eq!(ladder.len(), 2);
    assert_eq!(ladder[0]["n"], 1);
    assert_eq!(ladder[0]["reached_100"], true);
}
