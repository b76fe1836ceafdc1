//! Issue 14: a study worked through by several `trainlab worker` processes at once, one of them
//! SIGKILLed in the middle of a trial: every trial is completed exactly once, the killed one by
//! another worker (attempt 2, resumed from the checkpoint the dead worker left). And the GNU
//! parallel launcher run for real, where `parallel` is installed.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use trainlab_runs::study::Entry;
use trainlab_runs::{Study, TrialStatus};

const EPOCHS: usize = 24;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trainlab"))
}

/// A random search of `trials` trials of `EPOCHS` epochs each, as a study in `dir`.
fn make_study(root: &Path, dir: &Path, trials: usize, emit: &str) {
    std::fs::write(
        root.join("base.toml"),
        format!("seed = 5\n[model]\nhidden = [32]\n[train]\nepochs = {EPOCHS}\nbatch_size = 32\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("space.toml"),
        format!(
            "[space.\"optimizer.alpha\"]\nkind = \"log_uniform\"\nlow = 1e-3\nhigh = 1e-1\n\
             [search]\nkind = \"random\"\ntrials = {trials}\nseed = 2\n"
        ),
    )
    .unwrap();
    let out = bin()
        .args(["search", "--space"])
        .arg(root.join("space.toml"))
        .arg("--config")
        .arg(root.join("base.toml"))
        .arg("--study")
        .arg(dir)
        .args(["--lease-seconds", "5", "--emit", emit, "--workers", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn worker(dir: &Path) -> Child {
    bin()
        .args(["worker", "--poll-ms", "100", "--study"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Every trial has exactly one `done`, completed after `EPOCHS` epochs.
fn assert_each_done_once(study: &Study) {
    let entries = study.entries().unwrap();
    for t in 0..study.trials().len() {
        let rows: Vec<_> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Done { trial, row, .. } if *trial == t => Some(row),
                _ => None,
            })
            .collect();
        assert_eq!(rows.len(), 1, "trial {t}: {} results", rows.len());
        assert_eq!(rows[0].status, TrialStatus::Completed, "{:?}", rows[0]);
        assert_eq!(rows[0].epochs, EPOCHS, "trial {t}");
    }
}

#[test]
fn three_workers_one_killed_mid_trial_every_trial_done_exactly_once() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("study");
    make_study(root.path(), &dir, 6, "slurm");
    let study = Study::open(&dir).unwrap();
    let mut victim = worker(&dir);
    let pid = victim.id();
    let mut others = vec![worker(&dir), worker(&dir)];
    // wait until the victim is inside a trial with 2 epochs checkpointed, then SIGKILL it
    let start = Instant::now();
    let killed_trial = loop {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the victim never got 2 epochs into a trial"
        );
        let entries = study.entries().unwrap();
        let mine = entries.iter().rev().find_map(|e| match e {
            Entry::Claim { trial, worker, .. } if worker.contains(&format!(":{pid}:")) => {
                Some(*trial)
            }
            _ => None,
        });
        if let Some(t) = mine {
            let ck = dir.join(format!("trials/trial-{t:03}/checkpoints/epoch-0002.json"));
            if ck.exists() {
                victim.kill().unwrap(); // SIGKILL
                break t;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    victim.wait().unwrap(); // reaped: its PID is gone, so its claim is dead at once
    let done_by_victim = study.entries().unwrap().iter().any(|e| {
        matches!(e, Entry::Done { trial, worker, .. }
            if *trial == killed_trial && worker.contains(&format!(":{pid}:")))
    });
    assert!(!done_by_victim, "the trial had ended before the kill");
    for w in &mut others {
        let status = w.wait().unwrap();
        assert!(status.success(), "a surviving worker failed: {status}");
    }
    assert_each_done_once(&study);
    // the killed trial was claimed again (attempt 2) and finished by a survivor
    let entries = study.entries().unwrap();
    let retried = entries.iter().any(|e| {
        matches!(e, Entry::Claim { trial, attempt: 2, worker, .. }
            if *trial == killed_trial && !worker.contains(&format!(":{pid}:")))
    });
    assert!(
        retried,
        "trial {killed_trial} was not claimed a second time"
    );
    // ... and resumed from the dead worker's checkpoint: its metrics.csv has each epoch once
    let metrics =
        std::fs::read_to_string(dir.join(format!("trials/trial-{killed_trial:03}/metrics.csv")))
            .unwrap();
    assert_eq!(metrics.lines().count(), 1 + EPOCHS, "{metrics}");
    // the results table reads the journal
    let out = bin()
        .args(["search", "--status", "--study"])
        .arg(&dir)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(table.starts_with("6 trials"), "{table}");
    assert!(dir.join("search.png").exists());
    // the emitted Slurm script starts identical workers on this study
    let script = std::fs::read_to_string(dir.join("launch/workers.sbatch")).unwrap();
    assert!(script.contains("#SBATCH --array=0-2"), "{script}");
    assert!(
        script.contains(&format!(
            "worker --study {}",
            dir.canonicalize().unwrap().display()
        )),
        "{script}"
    );
}

fn signal(pid: u32, sig: &str) {
    let status = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {sig} {pid}");
}

/// A worker stopped (SIGSTOP) past its lease loses its trial to another worker; woken up
/// (SIGCONT) it finds its claim gone at its next epoch's end, stops and frees the run directory,
/// and the other worker resumes the trial from its checkpoint: still done exactly once.
#[test]
fn a_worker_stalled_past_its_lease_drops_its_trial() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("study");
    make_study(root.path(), &dir, 2, "parallel"); // lease 5 s
    let study = Study::open(&dir).unwrap();
    let mut stalled = worker(&dir);
    let pid = stalled.id();
    let by = |pid: u32| format!(":{pid}:");
    let start = Instant::now();
    let trial = loop {
        assert!(start.elapsed() < Duration::from_secs(120), "no checkpoint");
        let mine = study.entries().unwrap().iter().rev().find_map(|e| match e {
            Entry::Claim { trial, worker, .. } if worker.contains(&by(pid)) => Some(*trial),
            _ => None,
        });
        if let Some(t) = mine {
            if dir
                .join(format!("trials/trial-{t:03}/checkpoints/epoch-0002.json"))
                .exists()
            {
                signal(pid, "-STOP");
                break t;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut other = worker(&dir);
    // wait for the other worker to claim the stalled one's trial (after the 5 s lease)
    let start = Instant::now();
    while !study
        .entries()
        .unwrap()
        .iter()
        .any(|e| matches!(e, Entry::Claim { trial: t, attempt: 2, .. } if *t == trial))
    {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "never reclaimed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(pid, "-CONT");
    assert!(stalled.wait().unwrap().success());
    assert!(other.wait().unwrap().success());
    assert_each_done_once(&study);
    let done_by_stalled = study.entries().unwrap().iter().any(|e| {
        matches!(e, Entry::Done { trial: t, worker, .. } if *t == trial && worker.contains(&by(pid)))
    });
    assert!(
        !done_by_stalled,
        "the stalled worker finished a trial it had lost"
    );
}

#[test]
fn the_gnu_parallel_line_runs_for_real() {
    if Command::new("parallel").arg("--version").output().is_err() {
        eprintln!(
            "SKIPPED: GNU parallel is not installed (Debian package `parallel`); \
             the launcher's text is checked in trainlab-runs' unit tests"
        );
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("study");
    make_study(root.path(), &dir, 6, "parallel");
    let out = Command::new("sh")
        .arg(dir.join("launch/workers.parallel.sh"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let study = Study::open(&dir).unwrap();
    assert_each_done_once(&study);
    // three workers took part (each claimed at least once), none twice the same trial
    let workers: std::collections::BTreeSet<String> = study
        .entries()
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            Entry::Heartbeat { worker, .. } | Entry::Claim { worker, .. } => Some(worker),
            _ => None,
        })
        .collect();
    assert_eq!(workers.len(), 3, "{workers:?}");
}
