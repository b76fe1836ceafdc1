//! `trainlab search`: a hyperparameter search over a TOML space, in parallel and resumable;
//! with `--study DIR` a study that worker processes (`trainlab worker`) share, and `--emit` the
//! launcher that starts them on Slurm, Kubernetes or GNU parallel.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use trainlab_runs::launch::{launcher, launcher_file, Engine, Launch};
use trainlab_runs::{
    run_search, run_workers, SearchEvent, SearchOptions, SearchReport, SearchStrategy, Study,
    StudySpec, TrialStatus, WorkerEvent,
};
use trainlab_validation::search::SearchSpace;

use super::split::Items;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StrategyArg {
    /// Every combination (continuous dimensions get --points values).
    Grid,
    /// --trials seeded random draws.
    Random,
    /// --trials random draws, then --trials more around the best --top-k.
    CoarseToFine,
    /// --trials random draws trained by asynchronous successive halving (--grace-period,
    /// --reduction-factor, --max-epochs): most stop early, the best go on.
    Asha,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum EmitArg {
    /// An sbatch array job: `sbatch DIR/launch/workers.sbatch`.
    Slurm,
    /// A Kubernetes Indexed Job: `kubectl apply -f DIR/launch/workers-job.yaml`.
    K8s,
    /// A GNU parallel line: `sh DIR/launch/workers.parallel.sh`.
    Parallel,
}

#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// The search space (TOML: [space."optimizer.alpha"] kind = "log_uniform" ...), and
    /// optionally the strategy as a [search] table (kind = "asha", trials = 27, ...) instead of
    /// --strategy and its flags.
    #[arg(long, required_unless_present = "status")]
    pub space: Option<PathBuf>,
    /// The base config (TOML) the trials change. Without it, the defaults.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// How trials are chosen (default: grid, or the space file's [search] table).
    #[arg(long, value_enum)]
    pub strategy: Option<StrategyArg>,
    /// Trials (per round) for random and coarse-to-fine.
    #[arg(long, default_value_t = 8)]
    pub trials: usize,
    /// Grid values per continuous dimension.
    #[arg(long, default_value_t = 3)]
    pub points: usize,
    /// Coarse-to-fine: refine around this many best trials.
    #[arg(long, default_value_t = 3)]
    pub top_k: usize,
    /// Coarse-to-fine: share of each range kept.
    #[arg(long, default_value_t = 0.25)]
    pub factor: f64,
    /// Sampler seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// ASHA: epochs every trial trains before its first rung.
    #[arg(long, default_value_t = 1)]
    pub grace_period: usize,
    /// ASHA: about 1 in this many trials continues at each rung.
    #[arg(long, default_value_t = 3)]
    pub reduction_factor: usize,
    /// ASHA: epochs of a trial that is never pruned (the base config's train.epochs is ignored).
    #[arg(long, default_value_t = 27)]
    pub max_epochs: usize,
    /// Make the search a study in DIR: a journal that any number of `trainlab worker --study
    /// DIR` processes share (with --emit, only create it and write the launcher).
    #[arg(long, value_name = "DIR")]
    pub study: Option<PathBuf>,
    /// With --study: print the study's results table from its journal (and draw search.png),
    /// train nothing.
    #[arg(long, requires = "study")]
    pub status: bool,
    /// With --study: write a launcher for N identical workers (--workers) and exit.
    #[arg(long, value_enum, requires = "study")]
    pub emit: Option<EmitArg>,
    /// Workers the launcher starts.
    #[arg(long, default_value_t = 4)]
    pub workers: usize,
    /// The trainlab command the launcher's workers run (default: this binary's path; for k8s,
    /// `trainlab` from the image's PATH).
    #[arg(long)]
    pub trainlab: Option<String>,
    /// Kubernetes: the container image holding trainlab.
    #[arg(long, default_value = "trainlab:latest")]
    pub image: String,
    /// Kubernetes: the PersistentVolumeClaim holding the study (mounted at its parent dir).
    #[arg(long, default_value = "trainlab-studies")]
    pub claim: String,
    /// A study's lease: a worker silent for this long loses its trial to another.
    #[arg(long, default_value_t = 60.0)]
    pub lease_seconds: f64,
    /// Trials trained at once.
    #[arg(long, short, default_value_t = 1)]
    pub jobs: usize,
    /// Where runs are written.
    #[arg(long, default_value = "runs")]
    pub runs_dir: PathBuf,
    /// The experiment: RUNS_DIR/EXPERIMENT holds a run per trial, results.jsonl and best.toml.
    #[arg(long, default_value = "search")]
    pub experiment: String,
    /// Print the result as JSON instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// The space file: `[space."..."]` tables and an optional `[search]` table.
fn read_space(path: &Path) -> anyhow::Result<(SearchSpace, Option<SearchStrategy>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the search space {}", path.display()))?;
    let mut doc: toml::Table =
        toml::from_str(&text).with_context(|| format!("search space {}", path.display()))?;
    let search = match doc.remove("search") {
        None => None,
        Some(toml::Value::Table(t)) => Some(
            SearchStrategy::from_table(&t)
                .with_context(|| format!("search space {}", path.display()))?,
        ),
        Some(other) => anyhow::bail!(
            "search space {}: `search` is a {}, expected a table ([search] kind = ...)",
            path.display(),
            other.type_str()
        ),
    };
    let space = SearchSpace::from_toml_str(&toml::to_string(&doc)?)
        .with_context(|| format!("search space {}", path.display()))?;
    Ok((space, search))
}

fn strategy(
    args: &SearchArgs,
    from_file: Option<SearchStrategy>,
) -> anyhow::Result<SearchStrategy> {
    let Some(arg) = args.strategy else {
        return Ok(from_file.unwrap_or(SearchStrategy::Grid {
            points: args.points,
        }));
    };
    if from_file.is_some() {
        anyhow::bail!(
            "--strategy and the space file's [search] table both choose the strategy: keep one"
        );
    }
    Ok(match arg {
        StrategyArg::Grid => SearchStrategy::Grid {
            points: args.points,
        },
        StrategyArg::Random => SearchStrategy::Random {
            trials: args.trials,
            seed: args.seed,
        },
        StrategyArg::CoarseToFine => SearchStrategy::CoarseToFine {
            trials: args.trials,
            top_k: args.top_k,
            factor: args.factor,
            seed: args.seed,
        },
        StrategyArg::Asha => {
            let asha = trainlab_validation::search::AshaConfig {
                grace_period: args.grace_period,
                reduction_factor: args.reduction_factor,
                max_epochs: args.max_epochs,
            };
            asha.validate()?;
            SearchStrategy::Asha {
                trials: args.trials,
                seed: args.seed,
                grace_period: asha.grace_period,
                reduction_factor: asha.reduction_factor,
                max_epochs: asha.max_epochs,
            }
        }
    })
}

pub fn run(args: SearchArgs) -> anyhow::Result<ExitCode> {
    if args.status {
        let dir = args
            .study
            .as_ref()
            .expect("clap: --status requires --study");
        let study = Study::open(dir).with_context(|| format!("study {}", dir.display()))?;
        let report = study_report(&study)?;
        let p = study.progress()?;
        eprintln!(
            "study {}: {} of {} trials done, {} running",
            dir.display(),
            p.done,
            p.total,
            p.running
        );
        return print_report(&args, study.base(), &report, &dir.join("search.png"));
    }
    let space_path = args.space.as_ref().expect("clap: --space unless --status");
    let (space, from_file) = read_space(space_path)?;
    let base: toml::Table = match &args.config {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading the config {}", p.display()))?;
            toml::from_str(&text).with_context(|| format!("config {}", p.display()))?
        }
        None => toml::Table::new(),
    };
    let strategy = strategy(&args, from_file)?;
    if let Some(dir) = &args.study {
        return run_study(&args, dir, base, &space, strategy);
    }
    let opts = SearchOptions {
        runs_dir: args.runs_dir.clone(),
        experiment: args.experiment.clone(),
        jobs: args.jobs,
        strategy,
    };
    let items = std::sync::Mutex::new(None::<Items>);
    let report = run_search(&base, &space, &opts, &|e| {
        let mut items = items.lock().unwrap_or_else(|p| p.into_inner());
        match e {
            SearchEvent::Round {
                round,
                to_run,
                resumed,
            } => {
                if let Some(old) = items.take() {
                    old.finish();
                }
                eprintln!("round {round}: {to_run} trials to run, {resumed} already done");
                *items = Some(Items::new(to_run, "trials"));
            }
            SearchEvent::Trial(row) => {
                if let Some(items) = items.as_ref() {
                    items.done(&trial_line(row));
                }
            }
        }
    })?;
    if let Some(items) = items.into_inner().unwrap_or_else(|p| p.into_inner()) {
        items.finish();
    }
    let chart = args.runs_dir.join(&args.experiment).join("search.png");
    // an ASHA search's trials run with train.epochs = max_epochs: its chart reads that base
    let base = match &opts.strategy {
        SearchStrategy::Asha { .. } => Study::open(&args.runs_dir.join(&args.experiment))?
            .base()
            .clone(),
        _ => base,
    };
    print_report(&args, &base, &report, &chart)
}

/// One trial's line in the progress display.
fn trial_line(row: &trainlab_runs::TrialRow) -> String {
    let score = match row.status {
        TrialStatus::Completed | TrialStatus::Pruned => {
            let s = row
                .val_accuracy
                .map(|a| format!("val acc {:.2}%", a * 100.0))
                .unwrap_or_else(|| format!("val loss {:.4}", row.val_loss.unwrap_or(f64::NAN)));
            match row.status {
                TrialStatus::Pruned => format!("pruned after {} epochs, {s}", row.epochs),
                _ => s,
            }
        }
        _ => format!(
            "{:?}: {}",
            row.status,
            row.reason.clone().unwrap_or_default()
        ),
    };
    format!("{}: {score}", row.key)
}

/// `--study DIR`: create the study, then write a launcher (--emit) or run --jobs workers here.
fn run_study(
    args: &SearchArgs,
    dir: &Path,
    base: toml::Table,
    space: &SearchSpace,
    strategy: SearchStrategy,
) -> anyhow::Result<ExitCode> {
    let mut spec = StudySpec::new(base, space, strategy);
    spec.lease_seconds = args.lease_seconds;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir
        .canonicalize()
        .with_context(|| format!("study {}", dir.display()))?;
    let study = Study::create(&dir, spec).with_context(|| format!("study {}", dir.display()))?;
    if let Some(emit) = args.emit {
        if args.workers == 0 {
            anyhow::bail!("--workers 0: expected at least 1 worker");
        }
        let engine = match emit {
            EmitArg::Slurm => Engine::Slurm,
            EmitArg::K8s => Engine::K8s,
            EmitArg::Parallel => Engine::Parallel,
        };
        let exe = std::env::current_exe()
            .context("finding this trainlab binary's path for the launcher")?
            .display()
            .to_string();
        let text = launcher(
            engine,
            &Launch {
                study: &dir,
                workers: args.workers,
                // in a pod, the image's trainlab; elsewhere this very binary
                trainlab: args.trainlab.as_deref().unwrap_or(match engine {
                    Engine::K8s => "trainlab",
                    _ => &exe,
                }),
                image: &args.image,
                claim: &args.claim,
            },
        );
        let path = dir.join(launcher_file(engine));
        std::fs::create_dir_all(path.parent().expect("a launcher file has a parent"))
            .with_context(|| format!("creating {}", path.display()))?;
        std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
        let how = match engine {
            Engine::Slurm => format!("sbatch {}", path.display()),
            Engine::K8s => format!("kubectl apply -f {}", path.display()),
            Engine::Parallel => format!("sh {}", path.display()),
        };
        println!(
            "study {} ({} trials); launcher for {} workers: {}\nstart them with: {how}\n\
             results: trainlab search --study {} --status",
            dir.display(),
            study.trials().len(),
            args.workers,
            path.display(),
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let before = study.rows()?.len();
    let items = Items::new(study.trials().len() - before, "trials");
    run_workers(&study, args.jobs, &|e| {
        if let WorkerEvent::Done(row) = e {
            items.done(&trial_line(row))
        }
    })?;
    items.finish();
    let mut report = study_report(&study)?;
    report.resumed = before.min(report.rows.len());
    report.ran = report.rows.len() - report.resumed;
    print_report(args, study.base(), &report, &dir.join("search.png"))
}

/// The study's rows as a search report (sorted, best.toml written).
fn study_report(study: &Study) -> anyhow::Result<SearchReport> {
    Ok(study.report()?)
}

fn print_report(
    args: &SearchArgs,
    base: &toml::Table,
    report: &SearchReport,
    chart: &Path,
) -> anyhow::Result<ExitCode> {
    save_search_chart(base, report, chart)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} trials ({} run now, {} from {}), best first:",
        report.rows.len(),
        report.ran,
        report.resumed,
        report.results_file.display()
    );
    println!("rank  status     val_acc  val_loss  epochs  trial");
    for (i, r) in report.rows.iter().enumerate() {
        println!(
            "{:>4}  {:<9}  {:>7}  {:>8}  {:>6}  {}{}",
            i + 1,
            format!("{:?}", r.status).to_lowercase(),
            r.val_accuracy
                .map_or("-".into(), |a| format!("{:.2}%", a * 100.0)),
            r.val_loss.map_or("-".into(), |l| format!("{l:.4}")),
            r.epochs,
            r.key,
            r.reason
                .as_ref()
                .filter(|_| !matches!(r.status, TrialStatus::Completed | TrialStatus::Pruned))
                .map(|why| format!("  ({})", why.lines().next().unwrap_or_default()))
                .unwrap_or_default()
        );
    }
    let epochs: usize = report.rows.iter().map(|r| r.epochs).sum();
    let pruned = report
        .rows
        .iter()
        .filter(|r| r.status == TrialStatus::Pruned)
        .count();
    println!("epochs trained: {epochs} ({pruned} trials pruned)");
    match &report.best_config {
        Some(p) => println!("best config: {}", p.display()),
        None => println!("no trial completed: no best config"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `search.png`: the validation metric of every trial against its learning rate (log axis) and
/// its weight decay, read from the trial's parameters or else the base config.
fn save_search_chart(
    base: &toml::Table,
    report: &trainlab_runs::SearchReport,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    match search_chart(base, &report.rows) {
        Some(chart) => super::save_chart(&chart, path),
        None => Ok(()),
    }
}

/// The chart of `save_search_chart`, or `None` when no trial can be drawn.
fn search_chart(
    base: &toml::Table,
    rows: &[trainlab_runs::TrialRow],
) -> Option<trainlab_plots::SearchResults> {
    let base_value = |key: &str| -> Option<f64> {
        let (section, field) = key.split_once('.')?;
        base.get(section)?
            .get(field)
            .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
    };
    let param = |row: &trainlab_runs::TrialRow, key: &str, default: f64| -> f64 {
        row.params
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_float().or(v.as_integer().map(|i| i as f64)))
            .or(base_value(key))
            .unwrap_or(default)
    };
    let default_alpha = f64::from(trainlab_training::OptimizerConfig::default().alpha());
    // A failed trial (an invalid value, a crash) has no metric and may have no rate that sits on
    // the log axis: it is counted in the title, and listed with its reason in the table.
    let failed = rows
        .iter()
        .filter(|r| r.status == TrialStatus::Failed)
        .count();
    let drawn = |pruned: bool| -> Vec<trainlab_plots::Trial> {
        rows.iter()
            .filter(|r| r.status != TrialStatus::Failed)
            .filter(|r| (r.status == TrialStatus::Pruned) == pruned)
            .map(|r| trainlab_plots::Trial {
                lr: param(r, "optimizer.alpha", default_alpha),
                weight_decay: param(r, "optimizer.weight_decay", 0.0),
                metric: r.val_accuracy.unwrap_or(f64::NAN),
            })
            .filter(|t| t.lr.is_finite() && t.lr > 0.0 && t.weight_decay.is_finite())
            .collect()
    };
    let trials = drawn(false);
    if trials.is_empty() {
        return None;
    }
    let title = match failed {
        0 => "Search results".to_string(),
        n => format!("Search results ({n} failed, not drawn: see the table)"),
    };
    let mut chart = trainlab_plots::SearchResults::new(title, "validation accuracy", trials);
    chart.pruned = drawn(true);
    chart.rungs = rung_paths(rows);
    Some(chart)
}

/// ASHA's rungs for the chart: every trial's score at each rung it reached (and, for a trial
/// that trained to the end, its final accuracy there); the budgets are the rungs' epochs and
/// the longest trial's. `None` when no trial reached a rung (not an ASHA search).
fn rung_paths(rows: &[trainlab_runs::TrialRow]) -> Option<trainlab_plots::Rungs> {
    if rows.iter().all(|r| r.rungs.is_empty()) {
        return None;
    }
    let mut budgets: Vec<usize> = rows
        .iter()
        .flat_map(|r| r.rungs.iter().map(|g| g.epochs))
        .collect();
    if let Some(end) = rows
        .iter()
        .filter(|r| r.status == TrialStatus::Completed)
        .map(|r| r.epochs)
        .max()
    {
        budgets.push(end);
    }
    budgets.sort_unstable();
    budgets.dedup();
    let paths = rows
        .iter()
        .filter(|r| matches!(r.status, TrialStatus::Completed | TrialStatus::Pruned))
        .map(|r| {
            let mut epochs: Vec<f64> = r.rungs.iter().map(|g| g.epochs as f64).collect();
            let mut scores: Vec<f64> = r
                .rungs
                .iter()
                .map(|g| g.score.unwrap_or(f64::NAN))
                .collect();
            if r.status == TrialStatus::Completed && r.epochs > 0 {
                epochs.push(r.epochs as f64);
                scores.push(r.val_accuracy.unwrap_or(f64::NAN));
            }
            trainlab_plots::RungPath {
                epochs,
                scores,
                pruned: r.status == TrialStatus::Pruned,
            }
        })
        .filter(|p| !p.epochs.is_empty())
        .collect();
    Some(trainlab_plots::Rungs {
        budgets: budgets.into_iter().map(|b| b as f64).collect(),
        paths,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(alpha: f64, status: TrialStatus, acc: Option<f64>) -> trainlab_runs::TrialRow {
        trainlab_runs::TrialRow {
            key: format!("optimizer.alpha={alpha}"),
            round: 1,
            params: vec![("optimizer.alpha".into(), toml::Value::Float(alpha))],
            status,
            reason: None,
            val_accuracy: acc,
            val_loss: None,
            epochs: 1,
            seconds: 0.0,
            run_dir: None,
            trial: None,
            rungs: Vec::new(),
        }
    }

    #[test]
    fn failed_trials_are_counted_in_the_title_and_not_drawn() {
        let rows = [
            row(0.01, TrialStatus::Completed, Some(0.9)),
            row(10.0, TrialStatus::Diverged, None),
            row(0.02, TrialStatus::Failed, None),
            row(-1.0, TrialStatus::Failed, None),
        ];
        let chart = search_chart(&toml::Table::new(), &rows).unwrap();
        assert_eq!(
            chart.title,
            "Search results (2 failed, not drawn: see the table)"
        );
        // the diverged trial stays (the chart counts it as diverged), the failed ones do not
        assert_eq!(chart.trials.len(), 2);
        let none_failed = search_chart(&toml::Table::new(), &rows[..2]).unwrap();
        assert_eq!(none_failed.title, "Search results");
    }
}
