//! The `trainlab` command: one file per subcommand in `commands/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;

/// The allocator of `trainlab train` as users run it. A training step allocates and frees the
/// same activations and gradients every time; mimalloc keeps freed buffers for the next step,
/// and backs large ones with transparent huge pages. Whole-process time against glibc's malloc,
/// 7 interleaved pairs on 2 cores: 784-1024-1024-10 at 2 threads 0.90x, the digits MLPs within
/// noise (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// trainlab: train neural networks and see how the training went.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a model from a TOML config (default: the MLP on the digits) and write a run directory.
    Train(commands::train::TrainArgs),
    /// Diagnose a run's learning curves (under/overfitting, divergence, ...): RUN_DIR or FILE.csv.
    Diagnose(commands::diagnose::DiagnoseArgs),
    /// List the runs under a runs directory with their outcome and metrics.
    Runs(commands::compare::RunsArgs),
    /// Compare runs side by side; the hyperparameters that differ are highlighted.
    Compare(commands::compare::CompareArgs),
    /// Show the train / val / test sizes per class and the leakage check.
    Split(commands::split::SplitArgs),
    /// Cross-validate a config with k folds over train + val (never the sealed test set).
    Cv(commands::cv::CvArgs),
    /// Search hyperparameters over a TOML space: grid, random, coarse-to-fine or ASHA, in parallel, resumable; --study DIR makes it a study for workers.
    Search(commands::search::SearchArgs),
    /// Work on a study (`trainlab search --study DIR`): claim trials, train them, write their results, until none is left.
    Worker(commands::worker::WorkerArgs),
    /// Learning-rate range test (and the lecture's four-rate recipe with --recipe).
    LrFind(commands::lr_find::LrFindArgs),
    /// The sanity ladder: initial loss against ln(C), then overfit 1, 4, 10, 100, 1000 samples.
    Sanity(commands::sanity::SanityArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(args) => commands::train::run(args),
        Command::Diagnose(args) => commands::diagnose::run(args),
        Command::Runs(args) => commands::compare::runs(args),
        Command::Compare(args) => commands::compare::compare(args),
        Command::Split(args) => commands::split::run(args),
        Command::Cv(args) => commands::cv::run(args),
        Command::Search(args) => commands::search::run(args),
        Command::Worker(args) => commands::worker::run(args),
        Command::LrFind(args) => commands::lr_find::run(args),
        Command::Sanity(args) => commands::sanity::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            trainlab::run::say(&format!("error: {}", commands::error_chain(&e)));
            ExitCode::from(2)
        }
    }
}
