//! A study: a search as a directory that any number of worker processes, on any number of
//! machines sharing the file system, work through together.
//!
//! ```text
//! DIR/study.json        what to search: the base config, the space, the strategy ([search]),
//!                       the lease; written once by `trainlab search --study DIR`
//! DIR/journal.jsonl     append-only, one JSON object per line:
//!                         claim      {trial, worker, attempt, at}   a worker takes a trial
//!                         heartbeat  {worker, at}                   the worker is alive (every lease/4)
//!                         rung       {trial, rung, epochs, score, promoted}   ASHA's decision
//!                         done       {trial, worker, row}           the trial's result row
//! DIR/journal.lock      flock(LOCK_EX) around every read-decide-append of the journal
//! DIR/trials/trial-NNN  each trial's run directory (metrics, checkpoints, summary)
//! ```
//!
//! Claiming, under the lock: the lowest trial with no `done` and no live claim. A claim is live
//! while its worker's newest `claim`/`heartbeat` is younger than `lease_seconds` and, when the
//! worker ran on this host, its process still exists; otherwise the trial goes back (its next
//! claim is attempt + 1, and resumes from the trial's newest checkpoint). After `max_attempts`
//! dead claims the trial is a failed row. A worker appends `done` only if its claim is the
//! trial's newest and no `done` exists, so a trial is completed at most once even when a
//! stalled worker wakes up after its lease went to another; after every epoch a worker checks
//! that the claim is still its own, so the stalled one stops at its next epoch's end, frees the
//! trial's run directory (whose lock the new holder waits for) and drops the trial. With no trial left to claim, a
//! worker waits while others hold live claims (they might die), and exits when none do.
//!
//! This is the shape of Optuna's `JournalStorage` with `JournalFileBackend` (an append-only
//! log of operations replayed by every process, guarded by a file lock) and its heartbeat
//! (`heartbeat_interval`, `grace_period`: a trial whose heartbeat stopped is failed and
//! retried by `RetryFailedTrialCallback`). flock is per open file description, so worker
//! threads of one process exclude each other too; on NFS, Linux maps flock onto NFS locks
//! (NFSv4 or lockd).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use trainlab_tracking::RunDir;
use trainlab_training::{latest_checkpoint, list_checkpoints, EpochMetrics, Sink, TrainError};
use trainlab_validation::search::{
    describe, grid, promoted, random, AshaConfig, SearchSpace, Trial,
};

use crate::search::{row_from_report, trial_config, SearchError, TrialError};
use crate::{SearchStrategy, TrialRow, TrialStatus};

/// What a study searches: written once to `study.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudySpec {
    /// The base config as a TOML table (empty: the defaults).
    pub base: toml::Table,
    /// The search space as TOML (`[space."optimizer.alpha"] ...`).
    pub space: String,
    /// How trials are chosen: grid, random or ASHA (coarse-to-fine needs round 1 finished
    /// before round 2 exists, so it runs in one `trainlab search`, not in a study).
    pub strategy: SearchStrategy,
    /// A claim whose worker gave no sign of life for this long goes back. Default: 60.
    pub lease_seconds: f64,
    /// Claims a trial may lose to dead workers before it is a failed row. Default: 3.
    pub max_attempts: usize,
}

impl StudySpec {
    /// A spec with the default lease (60 s) and 3 attempts.
    pub fn new(base: toml::Table, space: &SearchSpace, strategy: SearchStrategy) -> Self {
        Self {
            base,
            space: space.to_toml_string(),
            strategy,
            lease_seconds: 60.0,
            max_attempts: 3,
        }
    }
}

/// One line of the journal (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Entry {
    /// A worker takes a trial.
    Claim {
        /// The trial's index.
        trial: usize,
        /// `host:pid:nonce`.
        worker: String,
        /// 1 for the first claim of the trial, 2 after one dead worker, ...
        attempt: usize,
        /// Seconds since the Unix epoch.
        at: f64,
    },
    /// A worker is alive.
    Heartbeat {
        /// `host:pid:nonce`.
        worker: String,
        /// Seconds since the Unix epoch.
        at: f64,
    },
    /// ASHA's decision for a trial at a rung.
    Rung {
        /// The trial's index.
        trial: usize,
        /// The rung (0-based).
        rung: usize,
        /// Epochs trained when the rung was reached.
        epochs: usize,
        /// The score (validation accuracy, or minus the validation loss); `None` for NaN.
        score: Option<f64>,
        /// Whether the trial continues.
        promoted: bool,
    },
    /// A trial's result.
    Done {
        /// The trial's index.
        trial: usize,
        /// The worker that ran it.
        worker: String,
        /// The result row.
        row: TrialRow,
    },
}

/// A study directory (see the module docs).
#[derive(Clone, Debug)]
pub struct Study {
    dir: PathBuf,
    spec: StudySpec,
    space: SearchSpace,
    trials: Vec<Trial>,
    asha: Option<AshaConfig>,
    /// The base table the trials are applied to (`train.epochs = max_epochs` for ASHA).
    base: toml::Table,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.into(),
        source,
    }
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl Study {
    /// Creates the study in `dir` (or opens it, if it was created with the same spec: a
    /// different one is an error naming the directory).
    pub fn create(dir: &Path, spec: StudySpec) -> Result<Self, SearchError> {
        let study = Self::from_spec(dir, spec)?;
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join("study.json");
        let _lock = study.lock()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let existing: StudySpec =
                    serde_json::from_str(&text).map_err(|e| SearchError::Results {
                        path: path.clone(),
                        line: 1,
                        message: e.to_string(),
                    })?;
                if existing != study.spec {
                    return Err(SearchError::Setting {
                        key: "--study".into(),
                        value: dir.display().to_string(),
                        expected: "a new directory, or the same space, base config and strategy \
                                   as the study there was created with"
                            .into(),
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let text = serde_json::to_string_pretty(&study.spec)
                    .expect("a study spec always serialises");
                let tmp = dir.join("study.json.tmp");
                std::fs::write(&tmp, text).map_err(io(&tmp))?;
                std::fs::rename(&tmp, &path).map_err(io(&path))?;
            }
            Err(e) => return Err(io(&path)(e)),
        }
        Ok(study)
    }

    /// Opens the study in `dir`.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let path = dir.join("study.json");
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let spec: StudySpec = serde_json::from_str(&text).map_err(|e| SearchError::Results {
            path: path.clone(),
            line: 1,
            message: e.to_string(),
        })?;
        Self::from_spec(dir, spec)
    }

    fn from_spec(dir: &Path, spec: StudySpec) -> Result<Self, SearchError> {
        let space = SearchSpace::from_toml_str(&spec.space)?;
        if !(spec.lease_seconds.is_finite() && spec.lease_seconds > 0.0) {
            return Err(crate::search::setting(
                "lease_seconds",
                spec.lease_seconds,
                "a positive number of seconds",
            ));
        }
        if spec.max_attempts == 0 {
            return Err(crate::search::setting("max_attempts", 0, "at least 1"));
        }
        let mut base = spec.base.clone();
        let mut asha = None;
        let trials = match &spec.strategy {
            SearchStrategy::Grid { points } => {
                if *points == 0 {
                    return Err(crate::search::setting(
                        "points",
                        0,
                        "at least 1 point per continuous dimension",
                    ));
                }
                grid(&space, *points)
            }
            SearchStrategy::Random { trials, seed } => random(&space, *trials, *seed),
            SearchStrategy::Asha {
                trials,
                seed,
                grace_period,
                reduction_factor,
                max_epochs,
            } => {
                let config = AshaConfig {
                    grace_period: *grace_period,
                    reduction_factor: *reduction_factor,
                    max_epochs: *max_epochs,
                };
                config.validate()?;
                if space.dims().iter().any(|(k, _)| k == "train.epochs") {
                    return Err(crate::search::setting(
                        "space.\"train.epochs\"",
                        "a dimension",
                        "no `train.epochs` dimension with ASHA: the epochs are its budget \
                         (search.max_epochs)",
                    ));
                }
                let train = base
                    .entry("train")
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if let toml::Value::Table(t) = train {
                    t.insert("epochs".into(), toml::Value::Integer(*max_epochs as i64));
                }
                asha = Some(config);
                random(&space, *trials, *seed)
            }
            SearchStrategy::CoarseToFine { .. } => {
                return Err(crate::search::setting(
                    "search.kind",
                    "coarse_to_fine",
                    "grid, random or asha in a study (coarse-to-fine's second round needs the \
                     first finished: run it with `trainlab search` without --study)",
                ))
            }
        };
        // The base alone must be valid: a typo there would fail every trial.
        trial_config(&base, &Vec::new())
            .map_err(|e| SearchError::Config {
                which: "base config",
                source: Box::new(e),
            })?
            .validate()?;
        Ok(Self {
            dir: dir.to_path_buf(),
            spec,
            space,
            trials,
            asha,
            base,
        })
    }

    /// The study's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The spec it was created with.
    pub fn spec(&self) -> &StudySpec {
        &self.spec
    }

    /// The search space.
    pub fn space(&self) -> &SearchSpace {
        &self.space
    }

    /// Every trial of the study, by index.
    pub fn trials(&self) -> &[Trial] {
        &self.trials
    }

    /// The ASHA settings, for an ASHA study.
    pub fn asha(&self) -> Option<&AshaConfig> {
        self.asha.as_ref()
    }

    /// The journal file.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.join("journal.jsonl")
    }

    /// The base config table the trials are applied to.
    pub fn base(&self) -> &toml::Table {
        &self.base
    }

    fn lock(&self) -> Result<std::fs::File, SearchError> {
        let path = self.dir.join("journal.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        file.lock().map_err(io(&path))?;
        Ok(file) // unlocked when dropped (closed)
    }

    /// Every entry of the journal; a last line cut short by a crash is skipped.
    pub fn entries(&self) -> Result<Vec<Entry>, SearchError> {
        let path = self.journal_path();
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&path)(e)),
        };
        let lines: Vec<String> = std::io::BufReader::new(file)
            .lines()
            .collect::<Result<_, _>>()
            .map_err(io(&path))?;
        let mut entries = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(line) {
                Ok(e) => entries.push(e),
                Err(_) if i + 1 == lines.len() => {} // cut short by a kill mid-write
                Err(e) => {
                    return Err(SearchError::Results {
                        path,
                        line: i + 1,
                        message: e.to_string(),
                    })
                }
            }
        }
        Ok(entries)
    }

    /// Runs `f` on the journal's entries with the lock held and appends what it returns.
    fn transact<T>(&self, f: impl FnOnce(&[Entry]) -> (Vec<Entry>, T)) -> Result<T, SearchError> {
        let _lock = self.lock()?;
        let entries = self.entries()?;
        let (new, out) = f(&entries);
        if !new.is_empty() {
            let path = self.journal_path();
            let mut text = String::new();
            // a last line cut short by a worker killed mid-append was never an entry: the
            // lock is ours, so it is dropped before the next entry is appended
            if let Ok(bytes) = std::fs::read(&path) {
                if !bytes.is_empty() && !bytes.ends_with(b"\n") {
                    let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .and_then(|f| f.set_len(keep as u64))
                        .map_err(io(&path))?;
                }
            }
            for e in &new {
                text.push_str(&serde_json::to_string(e).expect("an entry always serialises"));
                text.push('\n');
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map_err(io(&path))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_data())
                .map_err(io(&path))?;
        }
        Ok(out)
    }

    /// The result rows, one per finished trial (the first `done` of each), in trial order.
    pub fn rows(&self) -> Result<Vec<TrialRow>, SearchError> {
        let entries = self.entries()?;
        let mut rows: Vec<(usize, TrialRow)> = Vec::new();
        for e in entries {
            if let Entry::Done { trial, row, .. } = e {
                if !rows.iter().any(|(t, _)| *t == trial) {
                    rows.push((trial, row));
                }
            }
        }
        rows.sort_by_key(|(t, _)| *t);
        Ok(rows.into_iter().map(|(_, r)| r).collect())
    }

    /// The study's rows as a search report: sorted best first, `best.toml` written to the
    /// study's directory, `results_file` the journal.
    pub fn report(&self) -> Result<crate::SearchReport, SearchError> {
        let name = self
            .dir
            .file_name()
            .map_or("study".into(), |n| n.to_string_lossy().to_string());
        let rows = self.rows()?;
        crate::search::finish_search(&self.base, &name, &self.dir, rows, 0, self.journal_path())
    }

    /// The rungs `trial` reached, from the journal (the first decision of each rung).
    pub fn rungs_of(&self, trial: usize) -> Result<Vec<crate::RungResult>, SearchError> {
        let mut rungs: Vec<crate::RungResult> = Vec::new();
        for e in self.entries()? {
            if let Entry::Rung {
                trial: t,
                rung,
                epochs,
                score,
                promoted,
            } = e
            {
                if t == trial && !rungs.iter().any(|r| r.rung == rung) {
                    rungs.push(crate::RungResult {
                        rung,
                        epochs,
                        score,
                        promoted,
                    });
                }
            }
        }
        rungs.sort_by_key(|r| r.rung);
        Ok(rungs)
    }

    /// Counts of the study's trials: finished, claimed by a live worker, not started.
    pub fn progress(&self) -> Result<Progress, SearchError> {
        let state = State::new(&self.entries()?, self.spec.lease_seconds, now());
        let done = state.done.iter().filter(|d| **d).count();
        let running = (0..self.trials.len())
            .filter(|&i| !state.done[i] && state.live_claim(i).is_some())
            .count();
        Ok(Progress {
            total: self.trials.len(),
            done,
            running,
        })
    }
}

/// How far a study is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Trials in the study.
    pub total: usize,
    /// Trials with a result row.
    pub done: usize,
    /// Trials claimed by a live worker.
    pub running: usize,
}

/// The journal replayed.
struct State {
    done: Vec<bool>,
    /// The newest claim per trial: (worker, attempt).
    claims: std::collections::HashMap<usize, (String, usize)>,
    /// The newest sign of life per worker.
    seen: std::collections::HashMap<String, f64>,
    lease: f64,
    now: f64,
}

impl State {
    fn new(entries: &[Entry], lease: f64, now: f64) -> Self {
        let max_trial = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Claim { trial, .. } | Entry::Done { trial, .. } => Some(*trial),
                _ => None,
            })
            .max();
        let mut s = Self {
            done: vec![false; max_trial.map_or(0, |m| m + 1)],
            claims: Default::default(),
            seen: Default::default(),
            lease,
            now,
        };
        for e in entries {
            match e {
                Entry::Claim {
                    trial,
                    worker,
                    attempt,
                    at,
                } => {
                    s.claims.insert(*trial, (worker.clone(), *attempt));
                    s.see(worker, *at);
                }
                Entry::Heartbeat { worker, at } => s.see(worker, *at),
                Entry::Done { trial, .. } => s.done[*trial] = true,
                Entry::Rung { .. } => {}
            }
        }
        s
    }

    fn see(&mut self, worker: &str, at: f64) {
        let t = self.seen.entry(worker.to_string()).or_insert(at);
        *t = t.max(at);
    }

    fn is_done(&self, trial: usize) -> bool {
        self.done.get(trial).copied().unwrap_or(false)
    }

    fn alive(&self, worker: &str) -> bool {
        let fresh = self
            .seen
            .get(worker)
            .is_some_and(|&t| self.now - t < self.lease);
        fresh && !WorkerId::parse(worker).is_some_and(|w| w.is_dead_here())
    }

    /// The trial's claim, if its worker is alive: (worker, attempt).
    fn live_claim(&self, trial: usize) -> Option<&(String, usize)> {
        self.claims.get(&trial).filter(|(w, _)| self.alive(w))
    }
}

/// A worker's name in the journal: `host:pid:nonce`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerId {
    host: String,
    pid: u32,
    nonce: u64,
}

fn this_host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

impl WorkerId {
    /// A new name for a worker of this process (the nonce tells threads and restarts apart).
    pub fn new() -> Self {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos() as u64);
        Self {
            host: this_host(),
            pid: std::process::id(),
            nonce: nanos * 1000 + n,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        let mut parts = s.rsplitn(3, ':');
        let nonce = parts.next()?.parse().ok()?;
        let pid = parts.next()?.parse().ok()?;
        let host = parts.next()?.to_string();
        Some(Self { host, pid, nonce })
    }

    /// On this host, a worker whose process is gone (or a zombie) is dead at once; on another
    /// host only its lease tells.
    fn is_dead_here(&self) -> bool {
        if self.host != this_host() {
            return false;
        }
        match std::fs::read_to_string(format!("/proc/{}/stat", self.pid)) {
            Err(_) => true,
            // "pid (comm) S ...": the state after the last ')'
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        }
    }
}

impl Default for WorkerId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for WorkerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.host, self.pid, self.nonce)
    }
}

/// What a worker should do next.
#[derive(Clone, Debug, PartialEq)]
enum Job {
    Trial { index: usize, attempt: usize },
    Wait,
    Finished,
}

/// What a worker reports while it runs.
#[derive(Clone, Debug)]
pub enum WorkerEvent<'a> {
    /// It claimed a trial.
    Claimed {
        /// The trial's index.
        trial: usize,
        /// Its attempt number.
        attempt: usize,
    },
    /// A trial ended and its row is in the journal.
    Done(&'a TrialRow),
    /// A trial was taken over by another worker (this one's lease had expired): dropped.
    Lost {
        /// The trial's index.
        trial: usize,
    },
}

/// What one worker did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WorkerReport {
    /// Trials this worker finished (their rows are in the journal).
    pub finished: usize,
    /// Trials it dropped because another worker had taken them over.
    pub lost: usize,
}

impl Study {
    fn claim(&self, me: &WorkerId) -> Result<Job, SearchError> {
        let me = me.to_string();
        let (lease, attempts, n) = (
            self.spec.lease_seconds,
            self.spec.max_attempts,
            self.trials.len(),
        );
        self.transact(|entries| {
            let t = now();
            let state = State::new(entries, lease, t);
            let mut new = Vec::new();
            let mut any_live = false;
            for index in 0..n {
                if state.is_done(index) {
                    continue;
                }
                if state.live_claim(index).is_some() {
                    any_live = true;
                    continue;
                }
                let attempt = state.claims.get(&index).map_or(1, |(_, a)| a + 1);
                if attempt > attempts {
                    let mut row = failed_row(&self.trials[index], index);
                    row.reason = Some(format!(
                        "its worker died {} times (max_attempts = {attempts})",
                        attempt - 1
                    ));
                    new.push(Entry::Done {
                        trial: index,
                        worker: me.clone(),
                        row,
                    });
                    continue;
                }
                new.push(Entry::Claim {
                    trial: index,
                    worker: me.clone(),
                    attempt,
                    at: t,
                });
                return (new, Job::Trial { index, attempt });
            }
            let job = if any_live { Job::Wait } else { Job::Finished };
            (new, job)
        })
    }

    /// Whether `me` holds the newest claim of `trial` (read without the lock: entries are
    /// appended whole, and a line cut short is skipped).
    fn holds(&self, me: &WorkerId, trial: usize) -> Result<bool, SearchError> {
        let me = me.to_string();
        Ok(self.entries()?.iter().rev().find_map(|e| match e {
            Entry::Claim {
                trial: t, worker, ..
            } if *t == trial => Some(*worker == me),
            _ => None,
        }) == Some(true))
    }

    fn heartbeat(&self, me: &WorkerId) -> Result<(), SearchError> {
        let worker = me.to_string();
        self.transact(|_| (vec![Entry::Heartbeat { worker, at: now() }], ()))
    }

    /// Appends `done` if `me` still holds the trial and it has no row yet; false otherwise.
    fn finish(&self, me: &WorkerId, trial: usize, row: &TrialRow) -> Result<bool, SearchError> {
        let me = me.to_string();
        let lease = self.spec.lease_seconds;
        self.transact(|entries| {
            let state = State::new(entries, lease, now());
            let mine = state.claims.get(&trial).is_some_and(|(w, _)| *w == me);
            if !mine || state.is_done(trial) {
                return (vec![], false);
            }
            let done = Entry::Done {
                trial,
                worker: me,
                row: row.clone(),
            };
            (vec![done], true)
        })
    }

    /// ASHA's decision for `trial` reaching `rung` with `score`: the journal's, if the rung was
    /// decided before (a resumed trial), else decided now against the rung's other scores.
    /// `None` when `me` no longer holds the trial.
    fn decide(
        &self,
        me: &WorkerId,
        trial: usize,
        rung: usize,
        epochs: usize,
        score: f64,
    ) -> Result<Option<RungDecision>, SearchError> {
        let eta = self.asha.map_or(3, |a| a.reduction_factor);
        let me = me.to_string();
        self.transact(|entries| {
            let holds = entries.iter().rev().find_map(|e| match e {
                Entry::Claim {
                    trial: t, worker, ..
                } if *t == trial => Some(*worker == me),
                _ => None,
            });
            if holds != Some(true) {
                return (vec![], None);
            }
            let mut others = Vec::new();
            for e in entries {
                if let Entry::Rung {
                    trial: t,
                    rung: r,
                    score: s,
                    promoted,
                    ..
                } = e
                {
                    if *r != rung {
                        continue;
                    }
                    if *t == trial {
                        let d = RungDecision {
                            promoted: *promoted,
                            others: others.len(),
                        };
                        return (vec![], Some(d));
                    }
                    others.push(s.unwrap_or(f64::NAN));
                }
            }
            let promoted = promoted(score, &others, eta);
            let entry = Entry::Rung {
                trial,
                rung,
                epochs,
                score: Some(score).filter(|s| s.is_finite()),
                promoted,
            };
            let d = RungDecision {
                promoted,
                others: others.len(),
            };
            (vec![entry], Some(d))
        })
    }
}

#[derive(Clone, Copy, Debug)]
struct RungDecision {
    promoted: bool,
    others: usize,
}

fn failed_row(trial: &Trial, index: usize) -> TrialRow {
    TrialRow {
        trial: Some(index),
        ..TrialRow::failed(describe(trial), 1, trial)
    }
}

/// A trial's score at a rung: validation accuracy, or minus the validation loss.
pub fn score(val_accuracy: Option<f64>, val_loss: f64) -> f64 {
    val_accuracy.unwrap_or(-val_loss)
}

/// The sink between a study and a trial's training, after every epoch: ASHA's decision at a
/// rung; elsewhere, whether this worker still holds the trial (a worker that stalled past its
/// lease stops at its next epoch's end, and its run directory's lock frees for the new holder).
struct TrialSink<'a> {
    study: &'a Study,
    me: &'a WorkerId,
    trial: usize,
    asha: Option<AshaConfig>,
    last: Option<EpochMetrics>,
    stop: Option<String>,
    pruned: bool,
    lost: bool,
    error: Option<SearchError>,
}

impl Sink for TrialSink<'_> {
    fn on_epoch(&mut self, m: &EpochMetrics) {
        self.last = Some(m.clone());
        let epochs = m.epoch + 1;
        let Some((asha, rung)) = self
            .asha
            .and_then(|asha| asha.rung_at(epochs).map(|rung| (asha, rung)))
        else {
            match self.study.holds(self.me, self.trial) {
                Ok(true) => {}
                Ok(false) => {
                    self.lost = true;
                    self.stop = Some("another worker took this trial over".into());
                }
                Err(e) => {
                    self.stop = Some(format!("the study's journal: {e}"));
                    self.error = Some(e);
                }
            }
            return;
        };
        let s = score(m.val_accuracy, f64::from(m.val_loss));
        match self.study.decide(self.me, self.trial, rung, epochs, s) {
            Ok(Some(d)) => {
                if !d.promoted {
                    self.pruned = true;
                    self.stop = Some(format!(
                        "pruned by ASHA at rung {rung} ({epochs} epochs): score {s:.4} not in \
                         the top 1/{} of the {} trials there",
                        asha.reduction_factor,
                        d.others + 1
                    ));
                }
            }
            Ok(None) => {
                self.lost = true;
                self.stop = Some("another worker took this trial over".into());
            }
            Err(e) => {
                self.stop = Some(format!("the study's journal: {e}"));
                self.error = Some(e);
            }
        }
    }
    fn stop_requested(&self) -> Option<String> {
        self.stop.clone()
    }
}

/// Runs one worker on `study` until no trial is left (see the module docs). `poll` is how long
/// it sleeps while other workers hold the last trials.
pub fn run_worker(
    study: &Study,
    poll: Duration,
    on_event: &(dyn Fn(WorkerEvent<'_>) + Sync),
) -> Result<WorkerReport, SearchError> {
    let me = WorkerId::new();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let beat = Duration::from_secs_f64(study.spec.lease_seconds / 4.0);
    std::thread::scope(|s| {
        // the heartbeat: the claims of this worker stay live while it runs
        s.spawn(|| {
            let mut last = std::time::Instant::now();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50).min(beat));
                if last.elapsed() >= beat {
                    let _ = study.heartbeat(&me);
                    last = std::time::Instant::now();
                }
            }
        });
        let result = work(study, &me, poll, on_event);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        result
    })
}

/// Runs `jobs` workers as threads of this process on `study` (each its own [`run_worker`],
/// each trial on one core), until no trial is left.
pub fn run_workers(
    study: &Study,
    jobs: usize,
    on_event: &(dyn Fn(WorkerEvent<'_>) + Sync),
) -> Result<WorkerReport, SearchError> {
    if jobs == 0 {
        return Err(crate::search::setting("jobs", 0, "at least 1 worker"));
    }
    let poll = Duration::from_millis(200);
    let reports: Vec<Result<WorkerReport, SearchError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..jobs)
            .map(|_| s.spawn(|| run_worker(study, poll, on_event)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .expect("a worker thread catches its trials' panics")
            })
            .collect()
    });
    let mut total = WorkerReport::default();
    for r in reports {
        let r = r?;
        total.finished += r.finished;
        total.lost += r.lost;
    }
    Ok(total)
}

fn work(
    study: &Study,
    me: &WorkerId,
    poll: Duration,
    on_event: &(dyn Fn(WorkerEvent<'_>) + Sync),
) -> Result<WorkerReport, SearchError> {
    let mut report = WorkerReport::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a 1-thread rayon pool can always be built");
    loop {
        match study.claim(me)? {
            Job::Finished => return Ok(report),
            Job::Wait => std::thread::sleep(poll),
            Job::Trial { index, attempt } => {
                on_event(WorkerEvent::Claimed {
                    trial: index,
                    attempt,
                });
                let row = pool.install(|| run_study_trial(study, me, index))?;
                match row {
                    Some(row) if study.finish(me, index, &row)? => {
                        report.finished += 1;
                        on_event(WorkerEvent::Done(&row));
                    }
                    _ => {
                        report.lost += 1;
                        on_event(WorkerEvent::Lost { trial: index });
                    }
                }
            }
        }
    }
}

/// Opens a trial's run directory to resume it. While a stalled former holder still writes it
/// (its lock is held), waits: that worker stops at its next epoch's end once it sees the claim
/// gone. After twice the lease it gives up with the lock's error (naming the holder's PID).
fn open_when_free(
    path: &Path,
    lease_seconds: f64,
) -> Result<RunDir, trainlab_tracking::TrackingError> {
    let start = std::time::Instant::now();
    loop {
        match RunDir::open(path) {
            Err(trainlab_tracking::TrackingError::Locked { .. })
                if start.elapsed().as_secs_f64() < 2.0 * lease_seconds =>
            {
                std::thread::sleep(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

/// Trains trial `index` (resuming from its newest checkpoint, if a dead worker left one);
/// `None` when the trial was taken over by another worker.
fn run_study_trial(
    study: &Study,
    me: &WorkerId,
    index: usize,
) -> Result<Option<TrialRow>, SearchError> {
    let start = std::time::Instant::now();
    let trial = &study.trials[index];
    let mut row = failed_row(trial, index);
    let name = format!("trial-{index:03}");
    // Pruned before its worker died (the decision is in the journal, the checkpoint of that
    // epoch may be too): the decision stands, there is nothing to train.
    let decided = study.rungs_of(index)?;
    if let Some(last) = decided.last().filter(|r| !r.promoted) {
        let path = study.dir.join("trials").join(&name);
        let report = latest_checkpoint(&path.join("checkpoints"))
            .ok()
            .map(|c| c.meta.report)
            .filter(|r| r.epochs_completed == last.epochs);
        row.status = TrialStatus::Pruned;
        row.epochs = last.epochs;
        row.reason = Some(format!(
            "pruned by ASHA at rung {} ({} epochs; decided before its first worker died)",
            last.rung, last.epochs
        ));
        row.val_accuracy = report.as_ref().and_then(|r| r.final_val_accuracy);
        row.val_loss = report.and_then(|r| r.final_val_loss).map(f64::from);
        row.run_dir = path.is_dir().then_some(path);
        row.rungs = decided;
        return Ok(Some(row));
    }
    let mut sink = TrialSink {
        study,
        me,
        trial: index,
        asha: study.asha,
        last: None,
        stop: None,
        pruned: false,
        lost: false,
        error: None,
    };
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<_, TrialError> {
            let config = trial_config(&study.base, trial)?;
            let plan = config.plan()?;
            let path = study.dir.join("trials").join(&name);
            let (dir, resume) = if path.is_dir() {
                let dir = open_when_free(&path, study.spec.lease_seconds)?;
                let ck = dir.file("checkpoints");
                let resume = match list_checkpoints(&ck) {
                    Ok(list) if !list.is_empty() => Some(latest_checkpoint(&ck)?),
                    _ => None,
                };
                (dir, resume)
            } else {
                (RunDir::create(&study.dir, "trials", Some(&name))?, None)
            };
            let options = crate::record::RecordOptions {
                keep_checkpoints: 1,
                ..Default::default()
            };
            let mut extra: Vec<&mut dyn Sink> = vec![&mut sink];
            let recorded = crate::record::record_run(plan, &dir, resume, &options, &mut extra);
            Ok((dir.path().to_path_buf(), recorded))
        }))
        .unwrap_or_else(|panic| Err(TrialError::from_panic(panic)));
    if let Some(e) = sink.error.take() {
        return Err(e);
    }
    if sink.lost {
        return Ok(None);
    }
    // every rung, those decided before a resume included
    row.rungs = study.rungs_of(index)?;
    match outcome {
        Ok((dir, Ok(recorded))) => {
            row.run_dir = Some(dir);
            row_from_report(&mut row, &recorded.trained.report);
        }
        Ok((
            dir,
            Err(crate::RecordError::Train(TrainError::Stopped {
                epochs_completed, ..
            })),
        )) if sink.pruned => {
            row.run_dir = Some(dir);
            row.status = TrialStatus::Pruned;
            row.reason = sink.stop.clone();
            row.epochs = epochs_completed;
            row.val_accuracy = sink.last.as_ref().and_then(|m| m.val_accuracy);
            row.val_loss = sink.last.as_ref().map(|m| f64::from(m.val_loss));
        }
        Ok((dir, Err(e))) => {
            row.run_dir = Some(dir);
            row.reason = Some(e.to_string());
        }
        Err(e) => row.reason = Some(e.to_string()),
    }
    row.seconds = start.elapsed().as_secs_f64();
    Ok(Some(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn study(dir: &Path, lease: f64) -> Study {
        let space = SearchSpace::from_toml_str(
            "[space.\"optimizer.alpha\"]\nkind = \"log_uniform\"\nlow = 1e-3\nhigh = 1e-1",
        )
        .unwrap();
        let mut spec = StudySpec::new(
            toml::Table::new(),
            &space,
            SearchStrategy::Random { trials: 3, seed: 1 },
        );
        spec.lease_seconds = lease;
        Study::create(dir, spec).unwrap()
    }

    #[test]
    fn claims_go_in_order_and_a_dead_or_silent_workers_claim_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let s = study(dir.path(), 0.3);
        let (a, b) = (WorkerId::new(), WorkerId::new());
        assert_eq!(
            s.claim(&a).unwrap(),
            Job::Trial {
                index: 0,
                attempt: 1
            }
        );
        assert_eq!(
            s.claim(&b).unwrap(),
            Job::Trial {
                index: 1,
                attempt: 1
            }
        );
        // a worker on this host whose process is gone: its claim is free at once
        let dead = "localhost-other-host-no:1:1"; // another host: only the lease tells
        let gone = format!("{}:{}:7", this_host(), u32::MAX - 1);
        s.transact(|_| {
            let e = |w: &str| Entry::Claim {
                trial: 2,
                worker: w.into(),
                attempt: 1,
                at: now(),
            };
            (vec![e(dead), e(&gone)], ())
        })
        .unwrap();
        assert_eq!(
            s.claim(&a).unwrap(),
            Job::Trial {
                index: 2,
                attempt: 2
            },
            "the newest claim's worker is dead"
        );
        // only a's claims are kept fresh: b's lease expires, trial 1 goes back
        std::thread::sleep(Duration::from_millis(400));
        s.heartbeat(&a).unwrap();
        assert_eq!(
            s.claim(&a).unwrap(),
            Job::Trial {
                index: 1,
                attempt: 2
            }
        );
        // b wakes up: its claim is gone, it may not finish the trial
        let row = failed_row(&s.trials()[1], 1);
        assert!(!s.finish(&b, 1, &row).unwrap());
        assert!(s.finish(&a, 1, &row).unwrap());
        assert!(!s.finish(&a, 1, &row).unwrap(), "done once");
        assert_eq!(s.rows().unwrap().len(), 1);
    }

    #[test]
    fn a_study_dir_refuses_another_spec_and_a_cut_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let s = study(dir.path(), 60.0);
        let mut other = s.spec().clone();
        other.strategy = SearchStrategy::Random { trials: 4, seed: 1 };
        let err = Study::create(dir.path(), other).unwrap_err().to_string();
        assert!(err.contains("--study"), "{err}");
        assert!(Study::create(dir.path(), s.spec().clone()).is_ok());
        std::fs::write(s.journal_path(), "{\"op\":\"heartbeat\",\"wor").unwrap();
        assert!(s.entries().unwrap().is_empty());
        s.heartbeat(&WorkerId::new()).unwrap();
        assert_eq!(
            s.entries().unwrap().len(),
            1,
            "the cut line is dropped first"
        );
    }

    #[test]
    fn worker_names_round_trip() {
        let w = WorkerId::new();
        assert_eq!(WorkerId::parse(&w.to_string()), Some(w.clone()));
        assert!(!w.is_dead_here(), "this process is alive");
    }
}
