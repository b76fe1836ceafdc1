//! `trainlab worker --study DIR`: claim a study's trials one after the other, train them and
//! write their results to the study's journal, until none is left. Start any number, on any
//! machines that share DIR (by hand, or with `trainlab search --study DIR --emit ...`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use trainlab_runs::{run_worker, Study, WorkerEvent};

#[derive(clap::Args, Debug)]
pub struct WorkerArgs {
    /// The study directory (made by `trainlab search --study DIR`).
    #[arg(long, value_name = "DIR")]
    pub study: PathBuf,
    /// How often to look again while the last trials are held by other workers (ms).
    #[arg(long, default_value_t = 500)]
    pub poll_ms: u64,
}

pub fn run(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    let study =
        Study::open(&args.study).with_context(|| format!("study {}", args.study.display()))?;
    let pid = std::process::id();
    let say = |line: String| trainlab::run::say(&format!("worker {pid}: {line}"));
    let report = run_worker(&study, Duration::from_millis(args.poll_ms), &|e| match e {
        WorkerEvent::Claimed { trial, attempt } => say(format!(
            "trial {trial} ({}){}",
            trainlab_validation::search::describe(&study.trials()[trial]),
            if attempt > 1 {
                format!(", attempt {attempt}")
            } else {
                String::new()
            }
        )),
        WorkerEvent::Done(row) => say(format!(
            "trial {} {:?} after {} epochs, val acc {}",
            row.trial.unwrap_or_default(),
            row.status,
            row.epochs,
            row.val_accuracy
                .map_or("-".into(), |a| format!("{:.2}%", a * 100.0))
        )),
        WorkerEvent::Lost { trial } => say(format!(
            "trial {trial} was taken over by another worker (this one's lease had expired): dropped"
        )),
    })?;
    say(format!(
        "no trial left: {} finished here, {} dropped",
        report.finished, report.lost
    ));
    Ok(ExitCode::SUCCESS)
}
