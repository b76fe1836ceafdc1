//! `trainlab runs` and `trainlab compare RUN...`: the runs side by side, the hyperparameters that
//! differ between them highlighted (the lecture's "only make one change at a time").

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

/// List the runs under a runs directory.
#[derive(clap::Args, Debug)]
pub struct RunsArgs {
    /// The runs root.
    #[arg(default_value = "runs")]
    pub runs_dir: PathBuf,
    /// Print JSON for a program.
    #[arg(long)]
    pub json: bool,
}

/// Compare runs side by side.
#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Two or more run directories (runs/<experiment>/<run>), or one experiment directory to
    /// compare all of its runs.
    #[arg(required = true)]
    pub runs: Vec<PathBuf>,
    /// Show every hyperparameter, not only those that differ.
    #[arg(long)]
    pub all: bool,
    /// Print JSON for a program.
    #[arg(long)]
    pub json: bool,
}

/// One run as the comparison sees it.
#[derive(Debug, Serialize)]
pub struct RunRow {
    /// `experiment/run`.
    pub name: String,
    /// The directory.
    pub path: PathBuf,
    /// Every config value as a dotted key.
    pub config: BTreeMap<String, String>,
    /// `completed`, `diverged`, `early_stopped`, or `running / killed` without a summary.
    pub outcome: String,
    /// Epochs completed.
    pub epochs: Option<u64>,
    /// Final validation loss.
    pub final_val_loss: Option<f64>,
    /// Final validation accuracy.
    pub final_val_accuracy: Option<f64>,
    /// Best validation accuracy.
    pub best_val_accuracy: Option<f64>,
    /// Lowest validation loss.
    pub best_val_loss: Option<f64>,
    /// Wall time in seconds.
    pub seconds: Option<f64>,
}

/// Reads a run directory's config.toml and summary.json (a run without a summary is one that is
/// still running or was killed).
pub fn read_run(dir: &Path) -> anyhow::Result<RunRow> {
    let config_path = dir.join("config.toml");
    let text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("{} is not a run directory: no config.toml", dir.display()))?;
    let table: toml::Table = toml::from_str(&text)
        .with_context(|| format!("{} is not valid TOML", config_path.display()))?;
    let config = trainlab_runs::record::flatten_toml(&table)
        .into_iter()
        .map(|(k, v)| match v {
            toml::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect();
    let summary_path = dir.join("summary.json");
    let summary: Option<serde_json::Value> = match std::fs::read_to_string(&summary_path) {
        Ok(t) => Some(
            serde_json::from_str(&t)
                .with_context(|| format!("{} is not valid JSON", summary_path.display()))?,
        ),
        Err(_) => None,
    };
    let r = summary.as_ref().map(|s| &s["report"]);
    let f = |key: &str| r.and_then(|r| r[key].as_f64());
    let name = dir
        .iter()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|c| c.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Ok(RunRow {
        name,
        path: dir.to_path_buf(),
        config,
        outcome: r
            .and_then(|r| r["outcome"]["kind"].as_str())
            .unwrap_or("running / killed")
            .to_string(),
        epochs: r.and_then(|r| r["epochs_completed"].as_u64()),
        final_val_loss: f("final_val_loss"),
        final_val_accuracy: f("final_val_accuracy"),
        best_val_accuracy: f("best_val_accuracy"),
        best_val_loss: f("best_val_loss"),
        seconds: r.and_then(|r| r["timings"]["total_seconds"].as_f64()),
    })
}

/// Run directories below `root`: `root/<experiment>/<run>/config.toml`, sorted.
pub fn find_runs(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut runs = Vec::new();
    let experiments =
        std::fs::read_dir(root).with_context(|| format!("cannot read {}", root.display()))?;
    for exp in experiments
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
    {
        if exp.join("config.toml").is_file() {
            runs.push(exp.clone());
            continue;
        }
        for run in std::fs::read_dir(&exp)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            if run.path().join("config.toml").is_file() {
                runs.push(run.path());
            }
        }
    }
    runs.sort();
    Ok(runs)
}

fn pct(v: Option<f64>) -> String {
    v.map(|a| format!("{:.2}%", a * 100.0))
        .unwrap_or_else(|| "-".into())
}

fn num(v: Option<f64>) -> String {
    v.map(|a| format!("{a:.4}")).unwrap_or_else(|| "-".into())
}

/// A plain text table with columns padded to their widest cell.
fn table(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// `trainlab runs`.
pub fn runs(args: RunsArgs) -> anyhow::Result<ExitCode> {
    let rows = find_runs(&args.runs_dir)?
        .iter()
        .map(|d| read_run(d))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!("no runs under {}", args.runs_dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = vec![[
        "run", "outcome", "epochs", "val loss", "val acc", "best acc", "seconds",
    ]
    .map(String::from)
    .to_vec()];
    for r in &rows {
        t.push(vec![
            r.name.clone(),
            r.outcome.clone(),
            r.epochs.map(|e| e.to_string()).unwrap_or("-".into()),
            num(r.final_val_loss),
            pct(r.final_val_accuracy),
            pct(r.best_val_accuracy),
            r.seconds.map(|s| format!("{s:.1}")).unwrap_or("-".into()),
        ]);
    }
    print!("{}", table(&t));
    Ok(ExitCode::SUCCESS)
}

/// The keys whose values are not the same in every run (a key missing in one run differs).
pub fn differing_keys(rows: &[RunRow]) -> Vec<String> {
    let mut keys: Vec<&String> = rows.iter().flat_map(|r| r.config.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| {
            let first = rows[0].config.get(*k);
            rows.iter().any(|r| r.config.get(*k) != first)
        })
        .cloned()
        .collect()
}

#[derive(Serialize)]
struct Comparison<'a> {
    differing: Vec<String>,
    runs: &'a [RunRow],
}

/// `trainlab compare`.
pub fn compare(args: CompareArgs) -> anyhow::Result<ExitCode> {
    let dirs = if args.runs.len() == 1 && !args.runs[0].join("config.toml").is_file() {
        find_runs(&args.runs[0])?
    } else {
        args.runs.clone()
    };
    if dirs.len() < 2 {
        anyhow::bail!("compare needs at least two runs, found {}", dirs.len());
    }
    let rows = dirs
        .iter()
        .map(|d| read_run(d))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let differing = differing_keys(&rows);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Comparison {
                differing,
                runs: &rows
            })?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let color = std::io::stdout().is_terminal();
    let mark = |s: &str| {
        if color {
            format!("\x1b[1;33m{s}\x1b[0m")
        } else {
            format!("*{s}")
        }
    };
    let keys: Vec<String> = if args.all {
        let mut k: Vec<String> = rows.iter().flat_map(|r| r.config.keys().cloned()).collect();
        k.sort();
        k.dedup();
        k
    } else {
        differing.clone()
    };
    let mut t = vec![std::iter::once("".to_string())
        .chain(rows.iter().map(|r| r.name.clone()))
        .collect::<Vec<_>>()];
    for k in &keys {
        let label = if differing.contains(k) {
            mark(k)
        } else {
            k.clone()
        };
        t.push(
            std::iter::once(label)
                .chain(
                    rows.iter()
                        .map(|r| r.config.get(k).cloned().unwrap_or("-".into())),
                )
                .collect(),
        );
    }
    let metric = |name: &str, f: &dyn Fn(&RunRow) -> String| -> Vec<String> {
        std::iter::once(name.to_string())
            .chain(rows.iter().map(f))
            .collect()
    };
    t.push(metric("outcome", &|r| r.outcome.clone()));
    t.push(metric("final val loss", &|r| num(r.final_val_loss)));
    t.push(metric("final val acc", &|r| pct(r.final_val_accuracy)));
    t.push(metric("best val loss", &|r| num(r.best_val_loss)));
    t.push(metric("best val acc", &|r| pct(r.best_val_accuracy)));
    print!("{}", table(&t));
    match differing.len() {
        0 => println!("\nthe configs are identical: differences come from chance (or the code) alone"),
        1 => println!("\none hyperparameter differs ({}): the comparison isolates its effect", differing[0]),
        n => println!(
            "\n{n} hyperparameters differ ({}): change one at a time to know which one made the difference",
            if color { "highlighted" } else { "marked *" }
        ),
    }
    Ok(ExitCode::SUCCESS)
}
