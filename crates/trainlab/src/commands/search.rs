//! `trainlab search`: a hyperparameter search over a TOML space, in parallel and resumable.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use trainlab_runs::{run_search, SearchEvent, SearchOptions, SearchStrategy, TrialStatus};
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
}

#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// The search space (TOML: [space."optimizer.alpha"] kind = "log_uniform" ...).
    #[arg(long)]
    pub space: PathBuf,
    /// The base config (TOML) the trials change. Without it, the defaults.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// How trials are chosen.
    #[arg(long, value_enum, default_value = "grid")]
    pub strategy: StrategyArg,
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

pub fn run(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.space)
        .with_context(|| format!("reading the search space {}", args.space.display()))?;
    let space = SearchSpace::from_toml_str(&text)
        .with_context(|| format!("search space {}", args.space.display()))?;
    let base: toml::Table = match &args.config {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading the config {}", p.display()))?;
            toml::from_str(&text).with_context(|| format!("config {}", p.display()))?
        }
        None => toml::Table::new(),
    };
    let strategy = match args.strategy {
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
    };
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
                    let score = match row.status {
                        TrialStatus::Completed => row
                            .val_accuracy
                            .map(|a| format!("val acc {:.2}%", a * 100.0))
                            .unwrap_or_else(|| {
                                format!("val loss {:.4}", row.val_loss.unwrap_or(f64::NAN))
                            }),
                        _ => format!(
                            "{:?}: {}",
                            row.status,
                            row.reason.clone().unwrap_or_default()
                        ),
                    };
                    items.done(&format!("{}: {score}", row.key));
                }
            }
        }
    })?;
    if let Some(items) = items.into_inner().unwrap_or_else(|p| p.into_inner()) {
        items.finish();
    }
    save_search_chart(
        &base,
        &report,
        &args.runs_dir.join(&args.experiment).join("search.png"),
    )?;
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
    println!("rank  status     val_acc  val_loss  trial");
    for (i, r) in report.rows.iter().enumerate() {
        println!(
            "{:>4}  {:<9}  {:>7}  {:>8}  {}{}",
            i + 1,
            format!("{:?}", r.status).to_lowercase(),
            r.val_accuracy
                .map_or("-".into(), |a| format!("{:.2}%", a * 100.0)),
            r.val_loss.map_or("-".into(), |l| format!("{l:.4}")),
            r.key,
            r.reason
                .as_ref()
                .filter(|_| r.status != TrialStatus::Completed)
                .map(|why| format!("  ({})", why.lines().next().unwrap_or_default()))
                .unwrap_or_default()
        );
    }
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
    let trials: Vec<trainlab_plots::Trial> = rows
        .iter()
        .filter(|r| r.status != TrialStatus::Failed)
        .map(|r| trainlab_plots::Trial {
            lr: param(r, "optimizer.alpha", default_alpha),
            weight_decay: param(r, "optimizer.weight_decay", 0.0),
            metric: r.val_accuracy.unwrap_or(f64::NAN),
        })
        .filter(|t| t.lr.is_finite() && t.lr > 0.0 && t.weight_decay.is_finite())
        .collect();
    if trials.is_empty() {
        return None;
    }
    let title = match failed {
        0 => "Search results".to_string(),
        n => format!("Search results ({n} failed, not drawn: see the table)"),
    };
    Some(trainlab_plots::SearchResults::new(
        title,
        "validation accuracy",
        trials,
    ))
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
