//! `trainlab split`: the sizes of train / val / test per class, and the leakage check.
//! Also the small helpers the issue-3 commands share (config loading, progress bars).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use trainlab::run::Progress;
use trainlab_training::TrainConfig;
use trainlab_validation::{split, try_find_leaks, Leak};

#[derive(clap::Args, Debug)]
pub struct SplitArgs {
    /// The config file (TOML); its [data] and [split] sections are used.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Print the result as JSON instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// The config file, or the defaults.
pub(crate) fn load_config(path: Option<&Path>) -> anyhow::Result<TrainConfig> {
    Ok(match path {
        Some(p) => TrainConfig::from_file(p)?,
        None => TrainConfig::default(),
    })
}

/// Progress over `len` items: a bar on a terminal, plain lines (via `line`) otherwise.
pub(crate) struct Items {
    bar: Option<ProgressBar>,
}

impl Items {
    pub(crate) fn new(len: usize, what: &str) -> Self {
        let bar = (Progress::auto() == Progress::Bar).then(|| {
            let bar = ProgressBar::new(len as u64);
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{bar:30}} {{pos}}/{{len}} {what}  {{msg}}  eta {{eta}}"
                ))
                .expect("the template is valid"),
            );
            bar
        });
        Self { bar }
    }
    /// One item done, with a line for the log.
    pub(crate) fn done(&self, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.set_message(line.to_string());
            }
            None => eprintln!("{line}"),
        }
    }
    pub(crate) fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

#[derive(Debug, Serialize)]
struct PartSizes {
    part: &'static str,
    n: usize,
    /// Samples per class (classification only).
    per_class: Option<Vec<usize>>,
}

#[derive(Debug, Serialize)]
struct SplitResult {
    dataset: String,
    n: usize,
    fractions: [f64; 3],
    stratified: bool,
    parts: Vec<PartSizes>,
    leaks: Vec<Leak>,
}

fn per_class(
    labels: Option<&[u32]>,
    n_classes: Option<usize>,
    idx: &[usize],
) -> Option<Vec<usize>> {
    let (labels, c) = (labels?, n_classes?);
    let mut counts = vec![0; c];
    for &i in idx {
        counts[labels[i] as usize] += 1;
    }
    Some(counts)
}

pub fn run(args: SplitArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(args.config.as_deref())?;
    // Leaks are looked for in the raw features: standardising cannot make rows equal or unequal.
    config.data.standardize = false;
    let plan = config.plan()?;
    let (_, all) = plan
        .data()
        .test
        .as_ref()
        .expect("a plan made from its config keeps the whole data set");
    let s = split(all.len(), all.labels(), &config.split)?;
    let leaks = try_find_leaks(&all.features, all.n_features, &s)?;
    let (labels, c) = (all.labels(), all.n_classes());
    let train = per_class(labels, c, &s.train);
    let val = per_class(labels, c, &s.val);
    let everything: Vec<usize> = (0..all.len()).collect();
    // The test indices stay sealed: its class counts are what train and val leave.
    let test = per_class(labels, c, &everything).map(|total| {
        let (t, v) = (
            train.as_ref().expect("same labels"),
            val.as_ref().expect("same labels"),
        );
        total
            .iter()
            .zip(t)
            .zip(v)
            .map(|((a, b), c)| a - b - c)
            .collect()
    });
    let result = SplitResult {
        dataset: all.name.clone(),
        n: all.len(),
        fractions: [config.split.train, config.split.val, config.split.test],
        stratified: config.split.stratify && labels.is_some(),
        parts: vec![
            PartSizes {
                part: "train",
                n: s.train.len(),
                per_class: train,
            },
            PartSizes {
                part: "val",
                n: s.val.len(),
                per_class: val,
            },
            PartSizes {
                part: "test",
                n: s.test.len(),
                per_class: test,
            },
        ],
        leaks,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}: {} samples, split {}/{}/{} (seed {}, {})",
        result.dataset,
        result.n,
        config.split.train,
        config.split.val,
        config.split.test,
        config.split.seed,
        if result.stratified {
            "stratified"
        } else {
            "not stratified"
        }
    );
    for p in &result.parts {
        let classes = p
            .per_class
            .as_ref()
            .map(|c| format!("  per class {c:?}"))
            .unwrap_or_default();
        println!("{:>5}: {:>6}{classes}", p.part, p.n);
    }
    if result.leaks.is_empty() {
        println!("leakage: none (no identical samples across train / val / test)");
    } else {
        println!(
            "leakage: {} identical pairs across parts:",
            result.leaks.len()
        );
        for l in &result.leaks {
            println!("  {:?} #{} == {:?} #{}", l.a.0, l.a.1, l.b.0, l.b.1);
        }
    }
    Ok(ExitCode::SUCCESS)
}
