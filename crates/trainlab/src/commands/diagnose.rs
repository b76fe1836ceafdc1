//! `trainlab diagnose RUN_DIR|FILE.csv`: the lecture's learning-curve diagnosis of a run.

use std::path::PathBuf;

use anyhow::Context;
use trainlab_diagnosis::{diagnose, report, to_json, Curves, Thresholds};

/// Diagnose a trainlab run directory, its `metrics.csv`, or any CSV of epoch / train / val columns.
#[derive(clap::Args, Debug)]
pub struct DiagnoseArgs {
    /// A run directory (reads metrics.csv, and summary.json for a divergence), or a CSV file
    /// with an epoch column and train / val loss columns (accuracy or error columns optional).
    pub path: PathBuf,
    /// Print the verdicts as JSON for a program instead of text for a person.
    #[arg(long)]
    pub json: bool,
    /// A TOML file of thresholds (every key optional; see the diagnosis crate's `Thresholds`).
    #[arg(long)]
    pub thresholds: Option<PathBuf>,
}

/// Reads the curves of a run directory or a CSV file.
pub fn read_curves(path: &std::path::Path) -> anyhow::Result<Curves> {
    if path.is_dir() {
        let csv = path.join("metrics.csv");
        let mut curves = Curves::from_csv(&csv)?;
        // A run that diverged in its first epoch has no metrics row; its summary has the step.
        let summary = path.join("summary.json");
        if let Ok(text) = std::fs::read_to_string(&summary) {
            let value: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", summary.display()))?;
            if value["report"]["outcome"]["kind"] == "diverged" {
                curves.diverged_at_step = value["report"]["outcome"]["step"].as_u64();
            }
        }
        Ok(curves)
    } else {
        Ok(Curves::from_csv(path)?)
    }
}

/// A warning when `csv`'s last row is torn (no newline after it: a kill or a full disk cut the
/// write), so a diagnosis is not taken silently from a cut-off number.
fn torn_warning(csv: &std::path::Path) -> Option<String> {
    let bytes = std::fs::read(csv).ok()?;
    match trainlab_tracking::torn_tail(&bytes) {
        0 => None,
        n => Some(format!(
            "warning: {}: the last row is torn ({n} bytes after the last newline: a kill or a \
             full disk cut the write); `trainlab train --resume` drops it",
            csv.display()
        )),
    }
}

/// Runs the command.
pub fn run(args: DiagnoseArgs) -> anyhow::Result<std::process::ExitCode> {
    let thresholds = match &args.thresholds {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read thresholds {}", p.display()))?;
            let t: Thresholds = toml::from_str(&text)
                .with_context(|| format!("invalid thresholds {}", p.display()))?;
            t.validate()?;
            t
        }
        None => Thresholds::default(),
    };
    let csv = if args.path.is_dir() {
        args.path.join("metrics.csv")
    } else {
        args.path.clone()
    };
    if let Some(warning) = torn_warning(&csv) {
        eprintln!("{warning}");
    }
    let curves = read_curves(&args.path)?;
    let verdicts = diagnose(&curves, &thresholds);
    if args.json {
        println!("{}", to_json(&verdicts));
    } else {
        print!("{}", report(&verdicts));
    }
    Ok(std::process::ExitCode::SUCCESS)
}
