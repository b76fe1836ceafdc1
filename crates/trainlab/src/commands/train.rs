//! `trainlab train`: one training run, written to a run directory.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use trainlab::run::{train, Progress, RunOptions, Start};
use trainlab_training::{Outcome, TrainConfig};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ProgressArg {
    /// A bar on a terminal, plain lines otherwise.
    Auto,
    /// A progress bar.
    Bar,
    /// One line per epoch.
    Lines,
    /// Nothing but the final summary.
    Quiet,
}

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// The config file (TOML). Without it, the defaults: an MLP with one hidden layer of 128 on digits.
    #[arg(long, short, conflicts_with = "resume")]
    pub config: Option<PathBuf>,
    /// Where runs are written.
    #[arg(long, default_value = "runs")]
    pub runs_dir: PathBuf,
    /// The experiment: runs are written to RUNS_DIR/EXPERIMENT/RUN.
    #[arg(long, default_value = "default")]
    pub experiment: String,
    /// The run's name (default: the UTC time).
    #[arg(long)]
    pub name: Option<String>,
    /// Override `train.epochs`.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Override `seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// How progress is shown.
    #[arg(long, value_enum, default_value = "auto")]
    pub progress: ProgressArg,
    /// After training, evaluate once on the sealed test set and record it in summary.json.
    /// Use it once, at the very end: a test score that steered choices is no longer a test score.
    #[arg(long = "final")]
    pub final_evaluation: bool,
    /// Continue RUN_DIR from its newest checkpoint (its own config.toml; `--epochs` may extend it).
    #[arg(long, value_name = "RUN_DIR")]
    pub resume: Option<PathBuf>,
    /// How many of the newest checkpoints to keep (plus `best`); 0 writes none.
    #[arg(long, default_value_t = 3)]
    pub keep_checkpoints: usize,
    /// Do not write TensorBoard event files.
    #[arg(long)]
    pub no_tensorboard: bool,
}

pub fn run(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let mut config = match &args.config {
        Some(path) => TrainConfig::from_file(path)?,
        None => TrainConfig::default(),
    };
    if let Some(e) = args.epochs {
        config.train.epochs = e;
    }
    if let Some(s) = args.seed {
        config.seed = s;
    }
    let progress = match args.progress {
        ProgressArg::Auto => Progress::auto(),
        ProgressArg::Bar => Progress::Bar,
        ProgressArg::Lines => Progress::Lines,
        ProgressArg::Quiet => Progress::Quiet,
    };
    let opts = RunOptions {
        runs_dir: args.runs_dir,
        experiment: args.experiment,
        name: args.name,
        progress,
        final_evaluation: args.final_evaluation,
        keep_checkpoints: args.keep_checkpoints,
        tensorboard: !args.no_tensorboard,
    };
    let start = match args.resume {
        Some(run_dir) => Start::Resume {
            run_dir,
            epochs: args.epochs,
        },
        None => Start::Fresh(Box::new(config)),
    };
    let done = train(start, &opts)?;
    let r = &done.report;
    let pct = |a: Option<f64>| {
        a.map(|a| format!("{:.2}%", a * 100.0))
            .unwrap_or("-".into())
    };
    match &r.outcome {
        Outcome::Completed { epochs } => println!("outcome: completed {epochs} epochs"),
        Outcome::Diverged { step, loss, .. } => {
            println!("outcome: diverged at step {step} (loss {loss})")
        }
        Outcome::EarlyStopped {
            epoch,
            best_epoch,
            restored,
            reason,
        } => println!(
            "outcome: early stopping after epoch {} ({reason}){}",
            epoch + 1,
            match (restored, best_epoch) {
                (true, Some(b)) => format!("; weights of epoch {} restored", b + 1),
                _ => String::new(),
            }
        ),
    }
    println!(
        "validation: loss {}  accuracy {}  (best accuracy {}, lowest loss after epoch {})",
        r.final_val_loss
            .map(|l| format!("{l:.4}"))
            .unwrap_or("-".into()),
        pct(r.final_val_accuracy),
        pct(r.best_val_accuracy),
        r.best_epoch
            .map(|e| (e + 1).to_string())
            .unwrap_or("-".into()),
    );
    let t = &r.timings;
    println!(
        "time: {:.2} s ({:.3} s/epoch); per step {:.3} ms = data {:.3} + forward/backward {:.3} + update {:.3}",
        t.total_seconds,
        t.seconds_per_epoch,
        t.mean_step_ms,
        t.mean_data_ms,
        t.mean_forward_backward_ms,
        t.mean_update_ms
    );
    if let Some(t) = &done.final_test {
        println!(
            "sealed test set (evaluated once, {} samples): loss {:.4}  accuracy {}",
            t.n_test,
            t.loss,
            pct(t.accuracy)
        );
    }
    println!("diagnosis:");
    for v in &done.diagnosis {
        for line in v.to_string().lines() {
            println!("  {line}");
        }
    }
    println!("run: {}", done.dir.path().display());
    Ok(match r.outcome {
        Outcome::Completed { .. } | Outcome::EarlyStopped { .. } => ExitCode::SUCCESS,
        Outcome::Diverged { .. } => ExitCode::from(3),
    })
}
