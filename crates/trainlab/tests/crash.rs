//! The crash test of issue 17: SIGKILL a training run at random moments (at random times, just
//! after a periodic checkpoint appears, while a temporary file is being written), resume it each
//! time, and check that metrics, final weights and the best checkpoint are bit for bit those of
//! an uninterrupted run with the same seed. Then the same after a full disk (a small tmpfs, where
//! the machine allows mounting one; skipped with a message where not).
//!
//! `TRAINLAB_CRASH_KILLS` sets the number of kills (default 4, for CI); the full run is
//! `TRAINLAB_CRASH_KILLS=50 cargo test -p trainlab --test crash -- --nocapture`.
//! `TRAINLAB_CRASH_SEED` picks the random moments (printed, to reproduce a failure).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CONFIG: &str = "seed = 3\n[model]\nhidden = [48]\n\
    [optimizer]\nkind = \"adam\"\nalpha = 0.005\n[train]\nepochs = 14\nbatch_size = 32\n";
const EPOCHS: usize = 14;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trainlab"));
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

fn train(cwd: &Path, runs: &Path, name: &str) -> Command {
    let mut c = bin();
    c.current_dir(cwd).args([
        "train",
        "--config",
        "c.toml",
        "--runs-dir",
        runs.to_str().unwrap(),
        "--name",
        name,
        "--progress",
        "quiet",
        "--keep-checkpoints",
        "2",
    ]);
    c
}

fn resume(cwd: &Path, run: &Path) -> Command {
    let mut c = bin();
    c.current_dir(cwd).args([
        "train",
        "--resume",
        run.to_str().unwrap(),
        "--progress",
        "quiet",
        "--keep-checkpoints",
        "2",
    ]);
    c
}

/// xorshift64*: the test's random moments, reproducible from the printed seed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// What a finished run must match: metrics and steps without their wall-clock columns, the final
/// checkpoint's bytes, and the best checkpoint's name and bytes (its metadata without the
/// wall-clock timings).
#[derive(Debug, PartialEq)]
struct Fingerprint {
    metrics: Vec<String>,
    steps: Vec<String>,
    final_tensors: Vec<u8>,
    best: Vec<(String, Vec<u8>)>,
}

fn fingerprint(run: &Path) -> Fingerprint {
    let cut = |name: &str, keep: usize| -> Vec<String> {
        std::fs::read_to_string(run.join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", run.join(name).display()))
            .lines()
            .map(|l| l.split(',').take(keep).collect::<Vec<_>>().join(","))
            .collect()
    };
    let ck = run.join("checkpoints");
    let mut best: Vec<(String, Vec<u8>)> = std::fs::read_dir(&ck)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("best"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".json") {
                return (name, bytes);
            }
            // the metadata carries the wall-clock timings of the run so far: all else must match
            let mut meta: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            meta["report"]["timings"] = serde_json::Value::Null;
            (name, meta.to_string().into_bytes())
        })
        .collect();
    best.sort();
    Fingerprint {
        metrics: cut("metrics.csv", 7),
        steps: cut("steps.csv", 4),
        final_tensors: std::fs::read(ck.join(format!("epoch-{EPOCHS:04}.safetensors"))).unwrap(),
        best,
    }
}

fn finished(run: &Path) -> bool {
    std::fs::read_to_string(run.join("summary.json")).is_ok_and(|s| s.contains("\"completed\""))
}

/// How a kill is timed.
#[derive(Clone, Copy, Debug)]
enum Moment {
    /// After a random delay.
    Random(u64),
    /// As soon as a new periodic checkpoint's `.json` appears (before the best is written).
    AfterCheckpoint,
    /// As soon as a temporary file (a write in progress) is seen.
    InsideWrite,
}

fn newest_checkpoint(run: &Path) -> Option<String> {
    let mut v: Vec<String> = std::fs::read_dir(run.join("checkpoints"))
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("epoch-") && n.ends_with(".json"))
        .collect();
    v.sort();
    v.pop()
}

fn has_temporary(run: &Path) -> bool {
    [run.to_path_buf(), run.join("checkpoints")]
        .iter()
        .any(|d| {
            std::fs::read_dir(d).is_ok_and(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .any(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            })
        })
}

/// Starts `cmd`, kills it with SIGKILL at `moment` (unless it ends first); true if it was killed.
fn kill_at(mut cmd: Command, run: &Path, moment: Moment) -> bool {
    let before = newest_checkpoint(run);
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let now = match moment {
            Moment::Random(ms) => start.elapsed() >= Duration::from_millis(ms),
            Moment::AfterCheckpoint => newest_checkpoint(run) != before,
            Moment::InsideWrite => has_temporary(run),
        };
        if now || start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Resumes `run` (or starts it again when it was killed before its first checkpoint) until it
/// completes; kills along the way as `kills_left` allows. Returns the kills made.
fn crash_until_done(
    cwd: &Path,
    runs: &Path,
    name: &str,
    rng: &mut Rng,
    kills_left: usize,
) -> usize {
    let run = runs.join("default").join(name);
    let mut kills = 0;
    let mut attempts = 0;
    while !finished(&run) {
        attempts += 1;
        assert!(attempts < 200, "{name}: no progress after 200 attempts");
        let cmd = if newest_checkpoint(&run).is_some() {
            resume(cwd, &run)
        } else {
            // killed before the first checkpoint: nothing to resume, start again
            let _ = std::fs::remove_dir_all(&run);
            train(cwd, runs, name)
        };
        if kills < kills_left {
            let moment = match rng.below(3) {
                0 => Moment::Random(rng.below(400)),
                1 => Moment::AfterCheckpoint,
                _ => Moment::InsideWrite,
            };
            if kill_at(cmd, &run, moment) {
                kills += 1;
            }
        } else {
            let mut cmd = cmd;
            let out = cmd.output().unwrap();
            assert!(
                out.status.success(),
                "{name}: the resumed run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    kills
}

#[test]
fn sigkill_at_random_moments_then_resume_is_bit_for_bit_the_uninterrupted_run() {
    let kills_wanted: usize = std::env::var("TRAINLAB_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let seed: u64 = std::env::var("TRAINLAB_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1717);
    eprintln!("crash test: {kills_wanted} kills, TRAINLAB_CRASH_SEED={seed}");
    let mut rng = Rng(seed | 1);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.toml"), CONFIG).unwrap();
    let runs = dir.path().join("runs");
    let out = train(dir.path(), &runs, "whole").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = fingerprint(&runs.join("default/whole"));
    assert_eq!(reference.metrics.len(), EPOCHS + 1);
    assert_eq!(
        reference.best.len(),
        2,
        "{:?}",
        reference.best.iter().map(|b| &b.0).collect::<Vec<_>>()
    );

    let mut kills = 0;
    let mut n = 0;
    while kills < kills_wanted {
        n += 1;
        let name = format!("killed-{n}");
        let made = crash_until_done(dir.path(), &runs, &name, &mut rng, kills_wanted - kills);
        kills += made;
        let got = fingerprint(&runs.join("default").join(&name));
        assert_eq!(got.metrics, reference.metrics, "{name}: metrics.csv");
        assert_eq!(got.steps, reference.steps, "{name}: steps.csv");
        assert!(
            got.final_tensors == reference.final_tensors,
            "{name}: final weights"
        );
        assert_eq!(
            got.best.iter().map(|b| &b.0).collect::<Vec<_>>(),
            reference.best.iter().map(|b| &b.0).collect::<Vec<_>>(),
            "{name}: best checkpoint's name"
        );
        assert!(
            got.best == reference.best,
            "{name}: best checkpoint's bytes"
        );
        eprintln!("{name}: {made} kills, then bit for bit the uninterrupted run");
        let _ = std::fs::remove_dir_all(runs.join("default").join(&name));
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.is_dir() {
                dir_bytes(&p)
            } else {
                p.metadata().unwrap().len()
            }
        })
        .sum()
}

/// A small tmpfs mounted for the test, unmounted on drop; `None` where mounting is not allowed.
struct Tmpfs(PathBuf);
impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
    fn grow(&self, size: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "remounting the tmpfs larger");
    }
}
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_stops_the_run_with_a_named_error_and_resume_then_ends_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.toml"), CONFIG).unwrap();
    let runs = dir.path().join("runs");
    let out = train(dir.path(), &runs, "whole").output().unwrap();
    assert!(out.status.success());
    let reference = fingerprint(&runs.join("default/whole"));
    // a disk that holds about half of the run
    let size = dir_bytes(&runs.join("default/whole")) / 2 / 1024;
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk"), &format!("{size}k")) else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)");
        return;
    };

    let small = disk.0.join("runs");
    let out = train(dir.path(), &small, "full").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    let run = small.join("default/full");
    assert!(
        !finished(&run),
        "the run cannot have completed on a full disk"
    );

    disk.grow("64m");
    let out = resume(dir.path(), &run).output().unwrap();
    assert!(
        out.status.success(),
        "resume after the disk was grown: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fingerprint(&run), reference);
}
