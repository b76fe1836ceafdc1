//! The hyperparameter search runner: trials from a search space, trained in parallel on a
//! bounded number of threads, each a run directory, results appended as each trial ends so an
//! interrupted search resumes where it stopped.
//!
//! ```text
//! trials   = grid(space, m) | random(space, n, seed)
//!          | coarse-to-fine: round 1 = random(space, n, seed)
//!                            round 2 = random(refine(space, best k of round 1, factor), n, seed + 1)
//! config_t = TrainConfig::from_toml_str(apply(base table, trial_t)).plan()  invalid -> failed row
//! run      = J worker threads take the next trial index from a shared counter; each trial runs
//!            inside its own 1-thread rayon pool (dfdx's matmul asks rayon for its thread count,
//!            so J trials use J cores, not J * cores)
//! row      = completed | diverged (loss NaN/inf at step s) | failed (reason), appended as one
//!            JSON line to runs/<experiment>/results.jsonl and flushed when the trial ends
//! resume   = a trial whose key (describe(trial): "key=value, ...") already has a row is not rerun
//! table    = completed rows by validation accuracy (highest first; ties and regression: lowest
//!            validation loss), then diverged, then failed
//! best     = runs/<experiment>/best.toml: the best trial's full config, ready for `trainlab train`
//! ```
//!
//! PyTorch has no search runner; this is the shape of scikit-learn's `GridSearchCV` /
//! `RandomizedSearchCV` (`n_jobs`, `cv_results_` sorted by rank) with Ray Tune's habit of one
//! directory per trial and resumable experiments. Unlike `GridSearchCV` a trial is scored on the
//! fixed validation split, not by cross-validation (`trainlab cv` does that for one config).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use trainlab_tracking::{RunDir, TrackingError};
use trainlab_validation::search::{apply, describe, grid, random, refine, SearchSpace, Trial};

use trainlab_training::{Outcome, TrainConfig, TrainError, TrainReport};

/// Everything that stops a search (a failing trial does not: it is a row).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The search space or a search setting is invalid.
    #[error("search space: {0}")]
    Space(#[from] trainlab_validation::ValidationError),
    /// A search setting is out of range.
    #[error("invalid search setting `{key}` = {value}: expected {expected}")]
    Setting {
        /// The setting, e.g. `jobs`.
        key: String,
        /// The value given.
        value: String,
        /// What would be valid.
        expected: String,
    },
    /// The base config is not valid.
    #[error("base config: {0}")]
    Base(#[from] TrainError),
    /// The base config, or the best trial's config, cannot be built from the search's table.
    #[error("{which}: {source}")]
    Config {
        /// `base config` or `best trial`.
        which: &'static str,
        /// Why.
        source: Box<TrialError>,
    },
    /// The results file or the experiment directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of an existing results file is not a result row.
    #[error("{path}:{line}: not a result row: {message}")]
    Results {
        /// The results file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A run directory could not be written.
    #[error("run directory: {0}")]
    Tracking(#[from] TrackingError),
}

/// Why one trial failed: a row's `reason`, never the end of the search.
#[derive(Debug, thiserror::Error)]
pub enum TrialError {
    /// The trial's values do not fit the base config (unknown key, a table where a value is).
    #[error("{0}")]
    Apply(#[from] trainlab_validation::ValidationError),
    /// The trial's config is not a valid config (parse or plan: the key and the valid range).
    #[error("{0}")]
    Config(#[from] TrainError),
    /// The config could not be written as TOML.
    #[error("{0}")]
    Toml(#[from] toml::ser::Error),
    /// The trial's run directory or its files could not be written.
    #[error("{0}")]
    Record(#[from] crate::RecordError),
    /// The trial's run directory could not be created.
    #[error("{0}")]
    RunDir(#[from] TrackingError),
    /// Training panicked (a bug): the panic's message.
    #[error("panicked: {0}")]
    Panicked(String),
}

impl TrialError {
    /// A caught panic (`std::panic::catch_unwind`'s payload) as [`TrialError::Panicked`].
    pub fn from_panic(payload: Box<dyn std::any::Any + Send>) -> Self {
        let what = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unknown panic".into());
        Self::Panicked(what)
    }
}

/// How trials are chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SearchStrategy {
    /// Every combination; continuous dimensions get `points` grid values each.
    Grid {
        /// Points per continuous dimension.
        points: usize,
    },
    /// `trials` seeded random draws.
    Random {
        /// Number of trials.
        trials: usize,
        /// Sampler seed.
        seed: u64,
    },
    /// Random round, then a second random round in the space refined around the best `top_k`.
    CoarseToFine {
        /// Trials per round.
        trials: usize,
        /// How many of round 1's best trials the refined space is built around.
        top_k: usize,
        /// Share of each range's width kept (see `validation::search::refine`).
        factor: f64,
        /// Sampler seed (round 2 uses `seed + 1`).
        seed: u64,
    },
    /// `trials` seeded random draws, trained by asynchronous successive halving: every trial
    /// `grace_period` epochs, then about 1 in `reduction_factor` continues at each rung, up to
    /// `max_epochs` (see `validation::search::AshaConfig`). Runs as a study (`crate::study`).
    Asha {
        /// Number of trials (configurations drawn).
        trials: usize,
        /// Sampler seed.
        seed: u64,
        /// Epochs before the first rung. Default: 1.
        grace_period: usize,
        /// About 1 in this many continues at each rung. Default: 3.
        reduction_factor: usize,
        /// Epochs of a trial never pruned. Default: 27.
        max_epochs: usize,
    },
}

impl SearchStrategy {
    /// Reads a `[search]` table: `kind` = `grid` (`points`), `random` (`trials`, `seed`),
    /// `coarse_to_fine` (`trials`, `top_k`, `factor`, `seed`) or `asha` (`trials`, `seed`,
    /// `grace_period`, `reduction_factor`, `max_epochs`); the defaults are the CLI's (points 3,
    /// trials 8, seed 0, top_k 3, factor 0.25, grace 1, eta 3, max 27). Every bad field is an
    /// error naming `search.<field>`.
    ///
    /// ```
    /// use trainlab_runs::SearchStrategy;
    /// let t: toml::Table = toml::from_str("kind = \"asha\"\ntrials = 27\nmax_epochs = 9").unwrap();
    /// let s = SearchStrategy::from_table(&t).unwrap();
    /// assert_eq!(s, SearchStrategy::Asha { trials: 27, seed: 0, grace_period: 1, reduction_factor: 3, max_epochs: 9 });
    /// let t: toml::Table = toml::from_str("kind = \"asha\"\nreduction_factor = 1").unwrap();
    /// assert!(SearchStrategy::from_table(&t).unwrap_err().to_string().contains("search.reduction_factor"));
    /// ```
    pub fn from_table(table: &toml::Table) -> Result<Self, SearchError> {
        let kind = match table.get("kind") {
            Some(toml::Value::String(k)) => k.as_str(),
            Some(other) => return Err(setting("search.kind", other, "a string")),
            None => {
                return Err(setting(
                    "search.kind",
                    "(missing)",
                    "one of grid, random, coarse_to_fine, asha",
                ))
            }
        };
        let allowed: &[&str] = match kind {
            "grid" => &["kind", "points"],
            "random" => &["kind", "trials", "seed"],
            "coarse_to_fine" => &["kind", "trials", "top_k", "factor", "seed"],
            "asha" => &[
                "kind",
                "trials",
                "seed",
                "grace_period",
                "reduction_factor",
                "max_epochs",
            ],
            other => {
                return Err(setting(
                    "search.kind",
                    other,
                    "one of grid, random, coarse_to_fine, asha",
                ))
            }
        };
        if let Some(k) = table.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(setting(
                &format!("search.{k}"),
                &table[k],
                &format!("only {} for kind `{kind}`", allowed.join(", ")),
            ));
        }
        let int = |name: &str, default: u64, min: u64| -> Result<u64, SearchError> {
            match table.get(name) {
                None => Ok(default),
                Some(toml::Value::Integer(v)) if *v >= min as i64 => Ok(*v as u64),
                Some(v) => Err(setting(
                    &format!("search.{name}"),
                    v,
                    &format!("an integer >= {min}"),
                )),
            }
        };
        let strategy = match kind {
            "grid" => Self::Grid {
                points: int("points", 3, 1)? as usize,
            },
            "random" => Self::Random {
                trials: int("trials", 8, 1)? as usize,
                seed: int("seed", 0, 0)?,
            },
            "coarse_to_fine" => Self::CoarseToFine {
                trials: int("trials", 8, 1)? as usize,
                top_k: int("top_k", 3, 1)? as usize,
                factor: match table.get("factor") {
                    None => 0.25,
                    Some(toml::Value::Float(f)) if *f > 0.0 && *f <= 1.0 => *f,
                    Some(v) => return Err(setting("search.factor", v, "a number in (0, 1]")),
                },
                seed: int("seed", 0, 0)?,
            },
            _ => {
                let asha = trainlab_validation::search::AshaConfig {
                    grace_period: int("grace_period", 1, 0)? as usize,
                    reduction_factor: int("reduction_factor", 3, 0)? as usize,
                    max_epochs: int("max_epochs", 27, 0)? as usize,
                };
                asha.validate()?;
                Self::Asha {
                    trials: int("trials", 8, 1)? as usize,
                    seed: int("seed", 0, 0)?,
                    grace_period: asha.grace_period,
                    reduction_factor: asha.reduction_factor,
                    max_epochs: asha.max_epochs,
                }
            }
        };
        Ok(strategy)
    }
}

/// Where a search writes and how wide it runs.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    /// The runs root (`runs`).
    pub runs_dir: PathBuf,
    /// The experiment: trials go to `runs_dir/experiment/trial-NNN`.
    pub experiment: String,
    /// Trials trained at the same time (worker threads), at least 1.
    pub jobs: usize,
    /// How trials are chosen.
    pub strategy: SearchStrategy,
}

/// How a trial ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrialStatus {
    /// Trained every epoch.
    Completed,
    /// The loss became NaN or infinite.
    Diverged,
    /// The config was invalid or training failed.
    Failed,
    /// ASHA stopped it at a rung: its scores there were not in the top share.
    Pruned,
}

/// A trial's score at one of ASHA's rungs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RungResult {
    /// The rung (0-based).
    pub rung: usize,
    /// Epochs trained when it got there.
    pub epochs: usize,
    /// Validation accuracy (or minus the validation loss); `None` when it was NaN.
    pub score: Option<f64>,
    /// Whether the trial continued.
    pub promoted: bool,
}

/// One line of `results.jsonl` and one row of the final table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialRow {
    /// The resume key: `describe(params)`.
    pub key: String,
    /// 1, or 2 for the refined round of coarse-to-fine.
    pub round: usize,
    /// The trial's `(dotted key, value)` pairs.
    pub params: Trial,
    /// How it ended.
    pub status: TrialStatus,
    /// Why it diverged or failed.
    pub reason: Option<String>,
    /// Final validation accuracy (classification).
    pub val_accuracy: Option<f64>,
    /// Final validation loss.
    pub val_loss: Option<f64>,
    /// Epochs completed.
    pub epochs: usize,
    /// Wall time of the trial.
    pub seconds: f64,
    /// The trial's run directory.
    pub run_dir: Option<PathBuf>,
    /// The trial's index in a study.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial: Option<usize>,
    /// ASHA's rungs the trial reached, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rungs: Vec<RungResult>,
}

impl TrialRow {
    /// A row for `params` that has not run (yet): failed, nothing measured. The runner fills in
    /// what it observes.
    pub fn failed(key: String, round: usize, params: &Trial) -> Self {
        Self {
            key,
            round,
            params: params.clone(),
            status: TrialStatus::Failed,
            reason: None,
            val_accuracy: None,
            val_loss: None,
            epochs: 0,
            seconds: 0.0,
            run_dir: None,
            trial: None,
            rungs: Vec::new(),
        }
    }
}

/// The end of a search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchReport {
    /// Every trial of this search, sorted best first (see the module docs).
    pub rows: Vec<TrialRow>,
    /// Trials trained by this call.
    pub ran: usize,
    /// Trials whose rows were already in the results file.
    pub resumed: usize,
    /// `results.jsonl`.
    pub results_file: PathBuf,
    /// `best.toml`, when some trial completed.
    pub best_config: Option<PathBuf>,
}

/// What a search tells its caller while it runs.
#[derive(Clone, Debug)]
pub enum SearchEvent<'a> {
    /// A round begins: `to_run` new trials, `resumed` already done.
    Round {
        /// 1 or 2.
        round: usize,
        /// Trials to train now.
        to_run: usize,
        /// Trials found in the results file.
        resumed: usize,
    },
    /// A trial ended (rows arrive in completion order).
    Trial(&'a TrialRow),
}

/// Rows of an existing results file, in file order. A missing file is no rows; a last line
/// cut short by an interruption is ignored; any other bad line is an error naming it.
pub fn load_results(path: &Path) -> Result<Vec<TrialRow>, SearchError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(SearchError::Io {
                path: path.into(),
                source,
            })
        }
    };
    let complete = text.ends_with('\n');
    let lines: Vec<&str> = text.lines().collect();
    let mut rows = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<TrialRow>(line) {
            Ok(row) => rows.push(row),
            Err(_) if i + 1 == lines.len() && !complete => {}
            Err(e) => {
                return Err(SearchError::Results {
                    path: path.into(),
                    line: i + 1,
                    message: e.to_string(),
                })
            }
        }
    }
    Ok(rows)
}

/// Sorts rows best first: completed by accuracy (desc) then loss (asc); diverged; failed.
pub fn sort_rows(rows: &mut [TrialRow]) {
    let rank = |r: &TrialRow| match r.status {
        TrialStatus::Completed => 0,
        TrialStatus::Pruned => 1,
        TrialStatus::Diverged => 2,
        TrialStatus::Failed => 3,
    };
    rows.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| {
                let acc = |r: &TrialRow| r.val_accuracy.unwrap_or(f64::NEG_INFINITY);
                acc(b).total_cmp(&acc(a))
            })
            .then_with(|| {
                let loss =
                    |r: &TrialRow| r.val_loss.filter(|l| !l.is_nan()).unwrap_or(f64::INFINITY);
                loss(a).total_cmp(&loss(b))
            })
    });
}

/// The full config of a trial: `trial` applied to `base` and parsed (unknown keys and wrong
/// types are errors here; ranges are checked once, when the trial is planned).
///
/// A trial key whose section the base does not write (`optimizer.alpha` with no `[optimizer]`)
/// first gets that section from the base's resolved config (defaults filled in), so that a
/// tagged section such as `[optimizer]` keeps its `kind`. To search over `optimizer.kind`
/// itself, write `[optimizer]` in the base with only the keys every kind accepts.
pub fn trial_config(base: &toml::Table, trial: &Trial) -> Result<TrainConfig, TrialError> {
    let mut doc = base.clone();
    if trial.iter().any(|(key, _)| key.contains('.')) {
        let text = toml::to_string(base)?;
        let resolved = TrainConfig::from_toml_str(&text, Path::new("base config"))?;
        let resolved: toml::Table = toml::from_str(&resolved.to_toml_string())
            .expect("a config's own TOML parses as a table");
        for (key, _) in trial {
            if let Some((section, _)) = key.split_once('.') {
                if !doc.contains_key(section) {
                    if let Some(v) = resolved.get(section) {
                        doc.insert(section.to_string(), v.clone());
                    }
                }
            }
        }
    }
    apply(&mut doc, trial)?;
    let text = toml::to_string(&doc)?;
    Ok(TrainConfig::from_toml_str(
        &text,
        Path::new(&format!("trial {}", describe(trial))),
    )?)
}

/// Drops a last line cut short by an interruption, so the next row starts on its own line.
fn trim_cut_line(path: &Path) -> Result<(), SearchError> {
    let io = |source| SearchError::Io {
        path: path.into(),
        source,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(e)),
    };
    if text.is_empty() || text.ends_with('\n') {
        return Ok(());
    }
    let keep = text.rfind('\n').map_or(0, |i| i + 1);
    write_atomic(path, &text.as_bytes()[..keep])
}

/// Runs a search (see the module docs). `base` is the base config as a TOML table (the parsed
/// `--config` file, or empty for the defaults).
pub fn run_search(
    base: &toml::Table,
    space: &SearchSpace,
    opts: &SearchOptions,
    on_event: &(dyn Fn(SearchEvent<'_>) + Sync),
) -> Result<SearchReport, SearchError> {
    if opts.jobs == 0 {
        return Err(setting("jobs", 0, "at least 1 worker"));
    }
    // The base alone must be a valid config: a typo there would fail every trial.
    let base_config = trial_config(base, &Vec::new()).map_err(|e| SearchError::Config {
        which: "base config",
        source: Box::new(e),
    })?;
    base_config.validate()?;
    let exp_dir = opts.runs_dir.join(&opts.experiment);
    std::fs::create_dir_all(&exp_dir).map_err(|source| SearchError::Io {
        path: exp_dir.clone(),
        source,
    })?;
    if let SearchStrategy::Asha { .. } = &opts.strategy {
        return asha_search(space, base, opts, &exp_dir, on_event);
    }
    let results_file = exp_dir.join("results.jsonl");
    let previous = load_results(&results_file)?;
    trim_cut_line(&results_file)?;
    let results = Mutex::new(
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&results_file)
            .map_err(|source| SearchError::Io {
                path: results_file.clone(),
                source,
            })?,
    );
    let ctx = Ctx {
        base,
        opts,
        results: &results,
        results_file: &results_file,
        on_event,
    };

    let (mut rows, ran) = match &opts.strategy {
        SearchStrategy::Grid { points } => {
            if *points == 0 {
                return Err(setting(
                    "points",
                    0,
                    "at least 1 point per continuous dimension",
                ));
            }
            ctx.round(1, grid(space, *points), &previous)?
        }
        SearchStrategy::Random { trials, seed } => {
            ctx.round(1, random(space, *trials, *seed), &previous)?
        }
        SearchStrategy::CoarseToFine {
            trials,
            top_k,
            factor,
            seed,
        } => {
            if *top_k == 0 {
                return Err(setting("top_k", 0, "at least 1 trial to refine around"));
            }
            let (mut rows, ran) = ctx.round(1, random(space, *trials, *seed), &previous)?;
            sort_rows(&mut rows);
            let best: Vec<Trial> = rows
                .iter()
                .filter(|r| r.status == TrialStatus::Completed)
                .take(*top_k)
                .map(|r| r.params.clone())
                .collect();
            if best.is_empty() {
                (rows, ran)
            } else {
                let fine = refine(space, &best, *factor);
                let done: Vec<TrialRow> = previous.iter().chain(&rows).cloned().collect();
                let (rows2, ran2) =
                    ctx.round(2, random(&fine, *trials, seed.wrapping_add(1)), &done)?;
                rows.extend(rows2);
                (rows, ran + ran2)
            }
        }
        SearchStrategy::Asha { .. } => unreachable!("an ASHA search returned above"),
    };
    // Coarse-to-fine can draw a round-2 trial equal to a round-1 one: it is not rerun, and
    // listed once.
    let mut seen = HashSet::new();
    rows.retain(|r| seen.insert(r.key.clone()));
    sort_rows(&mut rows);
    finish_search(base, &opts.experiment, &exp_dir, rows, ran, results_file)
}

/// An ASHA search: the experiment directory is a study (`crate::study`), worked through by
/// `opts.jobs` worker threads of this process (other processes may join with `trainlab
/// worker --study`).
fn asha_search(
    space: &SearchSpace,
    base: &toml::Table,
    opts: &SearchOptions,
    exp_dir: &Path,
    on_event: &(dyn Fn(SearchEvent<'_>) + Sync),
) -> Result<SearchReport, SearchError> {
    let spec = crate::study::StudySpec::new(base.clone(), space, opts.strategy.clone());
    let study = crate::study::Study::create(exp_dir, spec)?;
    let before = study.rows()?.len();
    on_event(SearchEvent::Round {
        round: 1,
        to_run: study.trials().len() - before,
        resumed: before,
    });
    crate::study::run_workers(&study, opts.jobs, &|e| {
        if let crate::study::WorkerEvent::Done(row) = e {
            on_event(SearchEvent::Trial(row))
        }
    })?;
    let rows = study.rows()?;
    let ran = rows.len() - before;
    finish_search(
        study.base(),
        &opts.experiment,
        exp_dir,
        rows,
        ran,
        study.journal_path(),
    )
}

/// Sorts the rows, writes `best.toml` and makes the report.
pub(crate) fn finish_search(
    base: &toml::Table,
    experiment: &str,
    exp_dir: &Path,
    mut rows: Vec<TrialRow>,
    ran: usize,
    results_file: PathBuf,
) -> Result<SearchReport, SearchError> {
    sort_rows(&mut rows);
    let best_config = match rows.first().filter(|r| r.status == TrialStatus::Completed) {
        Some(best) => {
            let config = trial_config(base, &best.params).map_err(|e| SearchError::Config {
                which: "best trial",
                source: Box::new(e),
            })?;
            let path = exp_dir.join("best.toml");
            let text = format!(
                "# best trial of search `{}`: {}\n# validation accuracy {}, loss {}\n{}",
                experiment,
                best.key,
                best.val_accuracy.map_or("-".into(), |a| format!("{a:.4}")),
                best.val_loss.map_or("-".into(), |l| format!("{l:.4}")),
                config.to_toml_string()
            );
            write_atomic(&path, text.as_bytes())?;
            Some(path)
        }
        None => None,
    };
    let resumed = rows.len() - ran;
    Ok(SearchReport {
        rows,
        ran,
        resumed,
        results_file,
        best_config,
    })
}

pub(crate) fn setting(key: &str, value: impl ToString, expected: &str) -> SearchError {
    SearchError::Setting {
        key: key.into(),
        value: value.to_string(),
        expected: expected.into(),
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SearchError> {
    let tmp = path.with_extension("tmp");
    let io = |source| SearchError::Io {
        path: path.into(),
        source,
    };
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// What every round shares.
struct Ctx<'a> {
    base: &'a toml::Table,
    opts: &'a SearchOptions,
    results: &'a Mutex<std::fs::File>,
    results_file: &'a Path,
    on_event: &'a (dyn Fn(SearchEvent<'_>) + Sync),
}

impl Ctx<'_> {
    /// Runs the trials of one round that have no row in `done`; returns the round's rows
    /// (found in `done`, and new) and how many ran.
    fn round(
        &self,
        round: usize,
        trials: Vec<Trial>,
        done: &[TrialRow],
    ) -> Result<(Vec<TrialRow>, usize), SearchError> {
        let mut seen = HashSet::new();
        let mut rows = Vec::new();
        let mut todo = Vec::new();
        for (index, trial) in trials.into_iter().enumerate() {
            let key = describe(&trial);
            if !seen.insert(key.clone()) {
                continue;
            }
            match done.iter().find(|r| r.key == key) {
                Some(done) => rows.push(done.clone()),
                None => todo.push((index, key, trial)),
            }
        }
        let resumed = rows.len();
        (self.on_event)(SearchEvent::Round {
            round,
            to_run: todo.len(),
            resumed,
        });
        let next = AtomicUsize::new(0);
        let new_rows = Mutex::new(Vec::with_capacity(todo.len()));
        let first_error: Mutex<Option<SearchError>> = Mutex::new(None);
        let workers = self.opts.jobs.min(todo.len());
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(1)
                        .build()
                        .expect("a 1-thread rayon pool can always be built");
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        if i >= todo.len() || lock(&first_error).is_some() {
                            break;
                        }
                        let (index, key, trial) = &todo[i];
                        let name = match round {
                            1 => format!("trial-{index:03}"),
                            r => format!("r{r}-trial-{index:03}"),
                        };
                        let row = pool.install(|| self.run_trial(round, key, trial, &name));
                        if let Err(e) = self.append(&row) {
                            lock(&first_error).get_or_insert(e);
                            break;
                        }
                        (self.on_event)(SearchEvent::Trial(&row));
                        lock(&new_rows).push(row);
                    }
                });
            }
        });
        if let Some(e) = first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        let new_rows = new_rows.into_inner().unwrap_or_else(|p| p.into_inner());
        let ran = new_rows.len();
        rows.extend(new_rows);
        Ok((rows, ran))
    }

    fn append(&self, row: &TrialRow) -> Result<(), SearchError> {
        let mut line = serde_json::to_string(row).expect("a TrialRow always serialises");
        line.push('\n');
        let mut file = lock(self.results);
        file.write_all(line.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|source| SearchError::Io {
                path: self.results_file.into(),
                source,
            })
    }

    /// One trial, never an error: an invalid config, a training error or a panic is a failed row.
    fn run_trial(&self, round: usize, key: &str, trial: &Trial, name: &str) -> TrialRow {
        let start = std::time::Instant::now();
        let mut row = TrialRow::failed(key.to_string(), round, trial);
        let outcome = trial_config(self.base, trial).and_then(|config| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                record_trial(&config, &self.opts.runs_dir, &self.opts.experiment, name)
            }))
            .unwrap_or_else(|panic| Err(TrialError::from_panic(panic)))
        });
        match outcome {
            Ok((dir, report)) => {
                row.run_dir = Some(dir);
                row_from_report(&mut row, &report);
            }
            Err(reason) => row.reason = Some(reason.to_string()),
        }
        row.seconds = start.elapsed().as_secs_f64();
        row
    }
}

/// Fills a row's status, epochs and metrics from a finished run's report.
pub(crate) fn row_from_report(row: &mut TrialRow, report: &TrainReport) {
    row.epochs = report.epochs_completed;
    row.val_accuracy = report.final_val_accuracy;
    row.val_loss = report.final_val_loss.map(f64::from);
    match &report.outcome {
        Outcome::Completed { .. } | Outcome::EarlyStopped { .. } => {
            row.status = TrialStatus::Completed
        }
        Outcome::Diverged { step, loss, .. } => {
            row.status = TrialStatus::Diverged;
            row.reason = Some(format!("loss became {loss} at step {step}"));
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn record_trial(
    config: &TrainConfig,
    runs_dir: &Path,
    experiment: &str,
    name: &str,
) -> Result<(PathBuf, TrainReport), TrialError> {
    // Every trial is a run directory like `trainlab train` writes (metrics, events with the
    // trial's hyperparameters for TensorBoard's HPARAMS tab, summary, the last checkpoint).
    let plan = config.plan()?;
    let dir = RunDir::create(runs_dir, experiment, Some(name))?;
    let options = crate::record::RecordOptions {
        keep_checkpoints: 1,
        ..Default::default()
    };
    let recorded = crate::record::record_run(plan, &dir, None, &options, &mut [])?;
    Ok((dir.path().to_path_buf(), recorded.trained.report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, status: TrialStatus, acc: Option<f64>, loss: Option<f64>) -> TrialRow {
        TrialRow {
            key: key.into(),
            round: 1,
            params: vec![],
            status,
            reason: None,
            val_accuracy: acc,
            val_loss: loss,
            epochs: 1,
            seconds: 0.0,
            run_dir: None,
            trial: None,
            rungs: Vec::new(),
        }
    }

    #[test]
    fn rows_sort_by_accuracy_then_loss_then_status() {
        let mut rows = vec![
            row("failed", TrialStatus::Failed, None, None),
            row("b", TrialStatus::Completed, Some(0.9), Some(0.5)),
            row("diverged", TrialStatus::Diverged, None, Some(f64::NAN)),
            row("a", TrialStatus::Completed, Some(0.9), Some(0.3)),
            row("c", TrialStatus::Completed, Some(0.95), Some(0.9)),
        ];
        sort_rows(&mut rows);
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["c", "a", "b", "diverged", "failed"]);
    }

    #[test]
    fn results_lines_round_trip_and_a_cut_last_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        let mut r = row(
            "model.width=8, optimizer.alpha=0.001",
            TrialStatus::Completed,
            Some(0.5),
            Some(1.0),
        );
        r.params = vec![
            ("model.width".into(), toml::Value::Integer(8)),
            ("optimizer.alpha".into(), toml::Value::Float(0.001)),
        ];
        let line = serde_json::to_string(&r).unwrap();
        std::fs::write(&path, format!("{line}\n{}", &line[..10])).unwrap();
        assert_eq!(load_results(&path).unwrap(), vec![r.clone()]);
        std::fs::write(&path, format!("{}\n{line}\n", &line[..10])).unwrap();
        let err = load_results(&path).unwrap_err().to_string();
        assert!(err.contains("results.jsonl:1"), "{err}");
        assert!(load_results(&dir.path().join("none.jsonl"))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn invalid_trial_values_name_the_key() {
        let trial = vec![("train.batch_size".to_string(), toml::Value::Integer(0))];
        let err = trial_config(&toml::Table::new(), &trial)
            .unwrap()
            .plan()
            .unwrap_err()
            .to_string();
        assert!(err.contains("train.batch_size"), "{err}");
        let trial = vec![("model.widht".to_string(), toml::Value::Integer(3))];
        let err = trial_config(&toml::Table::new(), &trial)
            .unwrap_err()
            .to_string();
        assert!(err.contains("widht"), "{err}");
    }
}
