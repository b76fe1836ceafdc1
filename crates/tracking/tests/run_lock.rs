//! The run lock across processes: this test binary runs itself as the holder (a child process
//! that takes the lock, says so, and waits to be killed), so the PID and the kernel's release on
//! death are checked for real.

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use trainlab_tracking::{RunDir, TrackingError};

const HOLDER_ENV: &str = "TRAINLAB_TEST_LOCK_HOLDER";

/// Not a test on its own: when started by `spawn_holder`, holds the run's lock until killed.
#[test]
fn holder() {
    let Ok(dir) = std::env::var(HOLDER_ENV) else {
        return;
    };
    let run = RunDir::open(Path::new(&dir)).expect("the holder takes the lock");
    std::fs::write(Path::new(&dir).join("holder-ready"), "").unwrap();
    std::thread::sleep(Duration::from_secs(120));
    drop(run);
}

fn spawn_holder(dir: &Path) -> Child {
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "holder", "--nocapture", "--test-threads=1"])
        .env(HOLDER_ENV, dir)
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !dir.join("holder-ready").exists() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the holder never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn a_second_process_is_refused_with_the_holders_pid_and_a_killed_holder_does_not_block() {
    let root = tempfile::tempdir().unwrap();
    let dir = RunDir::create(root.path(), "e", Some("r")).unwrap();
    let path = dir.path().to_path_buf();
    drop(dir);
    let mut child = spawn_holder(&path);
    let err = RunDir::open(&path).unwrap_err();
    match &err {
        TrackingError::Locked { dir, pid } => {
            assert_eq!((dir, *pid), (&path, Some(child.id())));
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    assert!(
        err.to_string().contains(&format!(
            "being written by another process (PID {})",
            child.id()
        )),
        "{err}"
    );
    // SIGKILL: no destructor runs, the lock file keeps the dead PID, the kernel drops the lock
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(trainlab_tracking::lock_holder(&path), Some(child.id()));
    let run = RunDir::open(&path).expect("a dead holder's lock does not block");
    assert_eq!(
        trainlab_tracking::lock_holder(run.path()),
        Some(std::process::id())
    );
}
