//! The `trainlab` command: one file per subcommand in `commands/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(args) => commands::train::run(args),
        Command::Diagnose(args) => commands::diagnose::run(args),
        Command::Runs(args) => commands::compare::runs(args),
        Command::Compare(args) => commands::compare::compare(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
