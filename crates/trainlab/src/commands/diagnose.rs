//! `trainlab diagnose RUN_DIR|LOG [--n-val N] [--classes C] [--json]`: the lecture's
//! learning-curve diagnosis of a run or of any tool's training log.

use std::path::{Path, PathBuf};

use anyhow::Context;
use trainlab_diagnosis::{diagnose, report, to_json, Curves, Thresholds};

/// Diagnose a trainlab run directory or a training log of PyTorch, Keras, Lightning or the
/// Hugging Face Trainer.
#[derive(clap::Args, Debug)]
pub struct DiagnoseArgs {
    /// A trainlab run directory (reads metrics.csv, and summary.json for the number of
    /// validation samples, the classes and a divergence), a directory with a Lightning
    /// metrics.csv or a Hugging Face trainer_state.json, or a log file: a CSV with an epoch
    /// column and train / val loss columns (accuracy or error columns optional; Keras and
    /// Lightning CSVLogger files and Hugging Face log_history exports read as they are), or a
    /// trainer_state.json.
    pub path: PathBuf,
    /// Print the verdicts as JSON for a program instead of text for a person.
    #[arg(long)]
    pub json: bool,
    /// A TOML file of thresholds (every key optional; see the diagnosis crate's `Thresholds`).
    #[arg(long)]
    pub thresholds: Option<PathBuf>,
    /// The number of validation samples behind the validation accuracy: a gap between training
    /// and validation error is judged against its binomial standard error. A run directory's
    /// summary.json knows it; this flag overrides it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub n_val: Option<u64>,
    /// The number of classes C of a classifier: chance level is accuracy 1/C or loss ln C.
    /// Without it, C is inferred from a log whose accuracy sits at 1/C and loss at ln C.
    #[arg(long, value_name = "C", value_parser = clap::value_parser!(u64).range(2..))]
    pub classes: Option<u64>,
}

/// What a trainlab run's `summary.json` tells the diagnosis: `(n_val, classes, diverged at)`.
fn from_summary(dir: &Path) -> anyhow::Result<(Option<usize>, Option<usize>, Option<u64>)> {
    let summary = dir.join("summary.json");
    let Ok(text) = std::fs::read_to_string(&summary) else {
        return Ok((None, None, None));
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", summary.display()))?;
    let n_val = value["info"]["n_val"].as_u64().map(|n| n as usize);
    let classes = value["info"]["layer_sizes"]
        .as_array()
        .and_then(|sizes| sizes.last())
        .and_then(|c| c.as_u64())
        .map(|c| c as usize);
    let diverged = (value["report"]["outcome"]["kind"] == "diverged")
        .then(|| value["report"]["outcome"]["step"].as_u64())
        .flatten();
    Ok((n_val, classes, diverged))
}

/// Reads the curves of a run directory or a log file, with what `summary.json` knows.
pub fn read_curves(path: &Path) -> anyhow::Result<Curves> {
    if !path.is_dir() {
        return Ok(Curves::from_file(path)?);
    }
    let csv = path.join("metrics.csv");
    let state = path.join("trainer_state.json");
    let mut curves = if !csv.exists() && state.exists() {
        Curves::from_trainer_state(&state)?
    } else {
        Curves::from_csv(&csv)?
    };
    let (n_val, classes, diverged) = from_summary(path)?;
    curves.n_val = n_val;
    // The output layer's width is the number of classes of a classifier (a run with accuracy).
    if curves.val_error.is_some() || curves.train_error.is_some() {
        curves.n_classes = classes;
    }
    // A run that diverged in its first epoch has no metrics row; its summary has the step.
    if diverged.is_some() {
        curves.diverged_at_step = diverged;
    }
    Ok(curves)
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
    let mut curves = read_curves(&args.path)?;
    if let Some(n) = args.n_val {
        curves.n_val = Some(n as usize);
    }
    if let Some(c) = args.classes {
        curves.n_classes = Some(c as usize);
    }
    for w in &curves.warnings {
        eprintln!("warning: {w}");
    }
    let verdicts = diagnose(&curves, &thresholds);
    if args.json {
        println!("{}", to_json(&verdicts));
    } else {
        print!("{}", report(&verdicts));
    }
    Ok(std::process::ExitCode::SUCCESS)
}
