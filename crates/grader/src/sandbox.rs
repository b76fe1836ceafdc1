//! Running one compiled test in its own bounded process, and judging it by its pass marker.
//!
//! ```text
//! sh -c 'ulimit -v MEM_KB -t CPU_S -c 0; exec "$0" "$@"'  TEST_BINARY NAME --exact --nocapture --test-threads=1
//!   own process group; environment cleared (PATH, LANG and TRAINLAB_GRADER_TOKEN=stdin only)
//!   stdin:  a fresh random token, then EOF (the pristine test reads it before any student code runs)
//!   passed  <=> the exit status is 0 AND stdout has the line "@@trainlab-pass@@ TOKEN"
//!   timeout -> the whole process group is killed; output beyond 64 KiB per stream is dropped
//! ```
//!
//! Why the marker: `std::process::exit(0)` in student code exits with 0 and a printed
//! `test result: ok` is just text; only the pristine test code, after its last assertion, knows
//! the token. (Code that scans its own process memory could find it: the limits of an in-process
//! check; see the README's instructor guide.)

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::catalog::Limits;

/// The environment variable the harness reads (see `trainlab-exercise-harness`).
pub const TOKEN_ENV: &str = "TRAINLAB_GRADER_TOKEN";
/// The prefix of the pass line the harness prints.
pub const PASS_PREFIX: &str = "@@trainlab-pass@@ ";
/// Output kept per stream.
const OUTPUT_CAP: usize = 64 * 1024;

/// How one test run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Marker seen and exit status 0.
    Passed,
    /// An assertion or other panic (exit status 101).
    Panicked,
    /// Killed at the wall-clock limit.
    TimedOut,
    /// Ran out of its memory limit (an allocation failed).
    OutOfMemory,
    /// Overflowed its stack.
    StackOverflow,
    /// Exited early without finishing the test (e.g. `std::process::exit` in the code).
    ExitedEarly(i32),
    /// Killed by a signal (abort, segfault, CPU limit).
    Crashed(String),
    /// The test binary could not be started.
    NotRun(String),
}

impl Verdict {
    /// Whether the test earned its points.
    pub fn passed(&self) -> bool {
        *self == Verdict::Passed
    }

    /// A short reason, fit for a student (no test internals).
    pub fn reason(&self) -> String {
        match self {
            Verdict::Passed => "passed".into(),
            Verdict::Panicked => "failed (assertion or panic)".into(),
            Verdict::TimedOut => "timed out (infinite loop or far too slow)".into(),
            Verdict::OutOfMemory => "ran out of memory".into(),
            Verdict::StackOverflow => "overflowed its stack (unbounded recursion?)".into(),
            Verdict::ExitedEarly(code) => format!(
                "the process exited (status {code}) before the test finished: \
                 std::process::exit or similar in the code"
            ),
            Verdict::Crashed(how) => format!("crashed ({how})"),
            Verdict::NotRun(why) => format!("not run ({why})"),
        }
    }
}

/// The result of one test run.
#[derive(Clone, Debug)]
pub struct TestRun {
    /// How it ended.
    pub verdict: Verdict,
    /// Its stdout then stderr, capped, with the marker line removed.
    pub output: String,
    /// Wall-clock time.
    pub elapsed: Duration,
}

/// A fresh random token (hex of 16 bytes from the OS).
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    let filled = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !filled {
        // No /dev/urandom: time and pid, still unknown to code that has not run yet.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes = (nanos ^ (u128::from(std::process::id()) << 64)).to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Run test `name` of the compiled test binary `exe` in `cwd`, bounded by `limits`.
pub fn run_test(exe: &Path, name: &str, cwd: &Path, limits: &Limits) -> TestRun {
    let start = Instant::now();
    let token = new_token();
    let cpu_secs = limits.timeout.as_secs().max(1) + 1;
    let script = format!(
        "ulimit -c 0; ulimit -v {} || exit 97; ulimit -t {cpu_secs} || exit 97; exec \"$0\" \"$@\"",
        limits.memory_mb * 1024
    );
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env("RUST_BACKTRACE", "0")
        .env(TOKEN_ENV, "stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return TestRun {
                verdict: Verdict::NotRun(format!("cannot start {}: {e}", exe.display())),
                output: String::new(),
                elapsed: start.elapsed(),
            }
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The test may already be gone (it ignores stdin when it crashed early): not an error.
        let _ = stdin.write_all(format!("{token}\n").as_bytes());
    }
    let stdout = capture(child.stdout.take());
    let stderr = capture(child.stderr.take());
    let pgid = child.id();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= limits.timeout => {
                timed_out = true;
                kill_group(pgid);
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    // Whatever the test left behind in its group (spawned children) goes too.
    kill_group(pgid);
    let out = stdout.finish();
    let err = stderr.finish();
    let marker = format!("{PASS_PREFIX}{token}");
    let marked = out.lines().any(|l| l.trim_end() == marker);
    let combined = format!("{out}{err}")
        .lines()
        .filter(|l| !l.starts_with(PASS_PREFIX))
        .collect::<Vec<_>>()
        .join("\n");
    let verdict = judge(status, timed_out, marked, &combined);
    TestRun {
        verdict,
        output: combined,
        elapsed: start.elapsed(),
    }
}

fn judge(
    status: Option<std::process::ExitStatus>,
    timed_out: bool,
    marked: bool,
    output: &str,
) -> Verdict {
    use std::os::unix::process::ExitStatusExt;
    if timed_out {
        return Verdict::TimedOut;
    }
    let Some(status) = status else {
        return Verdict::NotRun("lost track of the process".into());
    };
    if status.success() && marked {
        return Verdict::Passed;
    }
    if output.contains("has overflowed its stack") {
        return Verdict::StackOverflow;
    }
    if output.contains("memory allocation of") || output.contains("capacity overflow") {
        return Verdict::OutOfMemory;
    }
    match (status.code(), status.signal()) {
        (Some(101), _) => Verdict::Panicked,
        (Some(code), _) => Verdict::ExitedEarly(code),
        (None, Some(24)) => Verdict::TimedOut, // SIGXCPU: the CPU-time limit
        (None, Some(sig)) => Verdict::Crashed(format!("signal {sig}")),
        (None, None) => Verdict::Crashed("unknown".into()),
    }
}

/// Kill every process in group `pgid` (ignores errors: it may be gone already).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A stream drained on its own thread into a capped buffer.
struct Captured {
    buf: Arc<Mutex<Vec<u8>>>,
    done: std::sync::mpsc::Receiver<()>,
}

fn capture(stream: Option<impl Read + Send + 'static>) -> Captured {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (tx, done) = std::sync::mpsc::channel();
    if let Some(mut stream) = stream {
        let buf = Arc::clone(&buf);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = stream.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                let mut b = buf.lock().unwrap_or_else(|p| p.into_inner());
                let room = OUTPUT_CAP.saturating_sub(b.len());
                b.extend_from_slice(&chunk[..n.min(room)]);
            }
            let _ = tx.send(());
        });
    }
    Captured { buf, done }
}

impl Captured {
    /// The text so far, waiting briefly for the stream to close (a process that escaped the
    /// group may hold it open forever: then take what is there).
    fn finish(self) -> String {
        let _ = self.done.recv_timeout(Duration::from_millis(500));
        let b = self.buf.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(&b).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_hex() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn a_process_that_is_no_test_binary_never_passes() {
        // `true` exits 0 and prints no marker: exit status alone earns nothing.
        let run = run_test(
            Path::new("/bin/true"),
            "any",
            Path::new("/"),
            &Limits::default(),
        );
        assert_eq!(run.verdict, Verdict::ExitedEarly(0));
    }

    #[test]
    fn a_hanging_process_and_its_children_are_killed_at_the_limit() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let script = dir.path().join("hang.sh");
        // A child that would outlive its parent, and a busy loop.
        std::fs::write(&script, "#!/bin/sh\nsleep 60 &\nwhile :; do :; done\n").expect("write");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let limits = Limits {
            timeout: Duration::from_millis(500),
            memory_mb: 256,
        };
        let run = run_test(&script, "any", dir.path(), &limits);
        assert_eq!(run.verdict, Verdict::TimedOut);
        assert!(run.elapsed < Duration::from_secs(3), "{:?}", run.elapsed);
    }
}
