//! Running student code in a bubblewrap sandbox, bounded in time and memory, and judging a test
//! by its pass marker.
//!
//! ```text
//! bwrap  --ro-bind /usr /etc ...  --proc /proc --dev /dev --tmpfs /tmp      the system, read-only
//!        --ro-bind <what the step needs>  --bind <the staged copy>          nothing else exists
//!        --unshare-pid --unshare-net --unshare-ipc --unshare-uts --new-session --die-with-parent
//!   [setpriv --reuid=65534 --regid=65534 --clear-groups]                    when the grader is root
//!   sh -c 'ulimit -c 0 -v MEM_KB -t CPU_S [-u PROCS]; exec "$0" "$@"'  PROGRAM ARGS
//! ```
//!
//! - The PID namespace dies with its first process: killing the sandbox at the time limit (or
//!   its ending normally) ends everything it started, detached or not. No `kill` program needed.
//! - A test sees the staged copy of its submission (writable), its own test binary (read-only,
//!   outside the copy) and the system; no target dir, no pristine copy, no hidden test source,
//!   no other submission, no output folder, no network.
//! - A test passes <=> exit status 0 AND stdout has the line `@@trainlab-pass@@ TOKEN`, where the
//!   token is fresh per run and given on stdin (the pristine test reads it before any student
//!   code runs). `std::process::exit(0)` and a printed `test result: ok` earn nothing. (Code
//!   that scans its own process memory could find the token: the limit of an in-process check.)
//!
//! [`Isolation::Unsandboxed`] (the instructor's explicit `--unsandboxed`, and the student's own
//! `grade`) runs the same command without bwrap, in its own process group, killed as a group.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::catalog::Limits;
use crate::error::{GraderError, Result};

/// The environment variable the harness reads (see `trainlab-exercise-harness`).
pub const TOKEN_ENV: &str = "TRAINLAB_GRADER_TOKEN";
/// The prefix of the pass line the harness prints.
pub const PASS_PREFIX: &str = "@@trainlab-pass@@ ";
/// The user (and group) student code runs as when the grader runs as root (`nobody`).
pub const SANDBOX_UID: u32 = 65534;
/// Processes (threads included) the sandbox user may have at once, when the grader is root.
pub const MAX_PROCESSES: u32 = 512;
/// Output kept per stream.
const OUTPUT_CAP: usize = 64 * 1024;
/// Where a test binary appears inside its sandbox.
const TEST_BINARY: &str = "/run/trainlab/test";

/// How student code is isolated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Isolation {
    /// bubblewrap: fresh PID, network, IPC and UTS namespaces; only the listed paths exist.
    Bubblewrap {
        /// The `bwrap` executable.
        bwrap: PathBuf,
        /// `setpriv`, to drop from root to [`SANDBOX_UID`] inside (None: not root).
        setpriv: Option<PathBuf>,
    },
    /// No sandbox: an own process group, rlimits, a cleared environment. Student code can read
    /// and write anything the grader can, and a detached process can outlive grading.
    Unsandboxed,
}

impl Isolation {
    /// bubblewrap, checked to work here (it runs `true` in a sandbox); an error says how to fix it.
    pub fn bubblewrap() -> Result<Self> {
        let fail = |message: String| GraderError::Sandbox { message };
        let bwrap = find_program("bwrap").ok_or_else(|| {
            fail(
                "bubblewrap (`bwrap`) is not installed: student code would run unsandboxed. \
                 Install it (`apt-get install bubblewrap`), or pass --unsandboxed to grade \
                 anyway (then student code can read hidden tests and forge results)"
                    .into(),
            )
        })?;
        let setpriv = if rustix::process::getuid().is_root() {
            Some(find_program("setpriv").ok_or_else(|| {
                fail("running as root needs `setpriv` (util-linux) to drop to user nobody".into())
            })?)
        } else {
            None
        };
        let iso = Isolation::Bubblewrap { bwrap, setpriv };
        let probe = Jail {
            cwd: PathBuf::from("/"),
            ..Jail::default()
        };
        let out = iso
            .command(&probe, None, Path::new("/bin/sh"), &["-c", "exit 0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| fail(format!("cannot start bwrap: {e}")))?;
        if !out.status.success() {
            return Err(fail(format!(
                "bubblewrap is installed but cannot create a sandbox here ({}): {}. \
                 Allow user namespaces, run as root, or pass --unsandboxed to grade anyway",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(iso)
    }

    /// bubblewrap; or, when `unsandboxed` (the instructor's explicit choice), no sandbox.
    pub fn choose(unsandboxed: bool) -> Result<Self> {
        if unsandboxed {
            eprintln!(
                "WARNING: grading WITHOUT a sandbox (--unsandboxed): student code can read the \
                 hidden tests and solutions, write other students' results and outlive grading"
            );
            return Ok(Isolation::Unsandboxed);
        }
        Self::bubblewrap()
    }

    /// Whether student code runs as [`SANDBOX_UID`] (the grader is root).
    pub fn drops_privileges(&self) -> bool {
        matches!(
            self,
            Isolation::Bubblewrap {
                setpriv: Some(_),
                ..
            }
        )
    }

    /// Make `path` (recursively) writable by the sandbox: owned by [`SANDBOX_UID`] when the
    /// sandbox drops from root; nothing to do otherwise.
    pub fn hand_over(&self, path: &Path) -> Result<()> {
        if self.drops_privileges() {
            chown_tree(path, SANDBOX_UID)?;
        }
        Ok(())
    }

    /// The command running `program args` in `jail` (its environment is exactly `jail.env`),
    /// bounded by `limits` (memory, CPU time, processes) when given.
    pub fn command(
        &self,
        jail: &Jail,
        limits: Option<&Limits>,
        program: &Path,
        args: &[&str],
    ) -> Command {
        let mut inner: Vec<OsString> = Vec::new();
        let dropping = self.drops_privileges();
        if let Isolation::Bubblewrap {
            setpriv: Some(setpriv),
            ..
        } = self
        {
            inner.push(setpriv.into());
            for a in [
                format!("--reuid={SANDBOX_UID}"),
                format!("--regid={SANDBOX_UID}"),
                "--clear-groups".into(),
                "--".into(),
            ] {
                inner.push(a.into());
            }
        }
        if let Some(limits) = limits {
            let cpu_secs = limits.timeout.as_secs().max(1) + 1;
            let procs = if dropping {
                format!(
                    "{{ ulimit -u {MAX_PROCESSES} || ulimit -p {MAX_PROCESSES}; }} 2>/dev/null || exit 97; "
                )
            } else {
                String::new()
            };
            inner.extend(["/bin/sh".into(), "-c".into()]);
            inner.push(
                format!(
                    "ulimit -c 0; ulimit -v {} || exit 97; ulimit -t {cpu_secs} || exit 97; \
                     {procs}exec \"$0\" \"$@\"",
                    limits.memory_mb * 1024
                )
                .into(),
            );
        }
        inner.push(program.into());
        inner.extend(args.iter().map(OsString::from));
        let mut cmd = match self {
            Isolation::Bubblewrap { bwrap, .. } => {
                let mut cmd = Command::new(bwrap);
                cmd.args(jail.bwrap_args(dropping)).arg("--").args(&inner);
                cmd
            }
            Isolation::Unsandboxed => {
                let mut cmd = Command::new(&inner[0]);
                cmd.args(&inner[1..])
                    .current_dir(&jail.cwd)
                    .process_group(0);
                cmd
            }
        };
        cmd.env_clear().envs(jail.env.iter().map(|(k, v)| (k, v)));
        cmd
    }
}

/// What one sandboxed step sees besides the read-only system (`/usr`, `/etc`, `/bin`, `/lib*`,
/// a fresh `/proc`, `/dev` and an empty `/tmp`). Paths are bound at the same place unless said.
#[derive(Clone, Debug, Default)]
pub struct Jail {
    /// Directories and files bound read-only.
    pub read_only: Vec<PathBuf>,
    /// Directories bound writable.
    pub writable: Vec<PathBuf>,
    /// `(outside, inside)`: a file or directory bound read-only at another path.
    pub moved: Vec<(PathBuf, PathBuf)>,
    /// Empty directories every user may write to (e.g. a `CARGO_HOME`), created inside.
    pub scratch: Vec<PathBuf>,
    /// The working directory.
    pub cwd: PathBuf,
    /// The whole environment.
    pub env: Vec<(String, OsString)>,
}

impl Jail {
    fn bwrap_args(&self, dropping: bool) -> Vec<OsString> {
        let mut a: Vec<OsString> = Vec::new();
        let mut push = |parts: &[&dyn AsRef<std::ffi::OsStr>]| {
            a.extend(parts.iter().map(|p| p.as_ref().to_os_string()));
        };
        for sys in ["/usr", "/etc"] {
            push(&[&"--ro-bind", &sys, &sys]);
        }
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            let p = Path::new(top);
            match std::fs::read_link(p) {
                Ok(target) => push(&[&"--symlink", &target, &top]),
                Err(_) if p.is_dir() => push(&[&"--ro-bind", &top, &top]),
                Err(_) => {}
            }
        }
        push(&[&"--dev", &"/dev", &"--proc", &"/proc"]);
        push(&[&"--perms", &"1777", &"--tmpfs", &"/tmp"]);
        // Mount points' parents, world-traversable (bwrap would copy a 0700 /root).
        let inside: Vec<&Path> = self
            .read_only
            .iter()
            .chain(&self.writable)
            .map(PathBuf::as_path)
            .chain(self.moved.iter().map(|(_, i)| i.as_path()))
            .chain(self.scratch.iter().map(PathBuf::as_path))
            .chain([self.cwd.as_path()])
            .collect();
        let system = ["/usr", "/etc", "/dev", "/proc", "/bin", "/lib", "/lib64"];
        let mut parents: Vec<&Path> = inside
            .iter()
            .flat_map(|p| p.ancestors().skip(1))
            .filter(|p| *p != Path::new("/") && *p != Path::new("/tmp"))
            .filter(|p| !system.iter().any(|s| p.starts_with(s)))
            .filter(|p| !inside.iter().any(|b| p.starts_with(b)))
            .collect();
        parents.sort_by_key(|p| (p.components().count(), p.to_path_buf()));
        parents.dedup();
        for p in parents {
            push(&[&"--perms", &"0755", &"--dir", &p]);
        }
        for s in &self.scratch {
            push(&[&"--perms", &"1777", &"--dir", s]);
        }
        let mut binds: Vec<(&str, &Path, &Path)> = Vec::new();
        binds.extend(
            self.read_only
                .iter()
                .map(|p| ("--ro-bind", p.as_path(), p.as_path())),
        );
        binds.extend(
            self.writable
                .iter()
                .map(|p| ("--bind", p.as_path(), p.as_path())),
        );
        binds.extend(
            self.moved
                .iter()
                .map(|(o, i)| ("--ro-bind", o.as_path(), i.as_path())),
        );
        binds.sort_by_key(|(_, _, inside)| inside.components().count());
        for (flag, outside, inside) in binds {
            push(&[&flag, &outside, &inside]);
        }
        push(&[
            &"--unshare-pid",
            &"--unshare-net",
            &"--unshare-ipc",
            &"--unshare-uts",
            &"--new-session",
            &"--die-with-parent",
            &"--chdir",
            &self.cwd,
        ]);
        if dropping {
            push(&[&"--cap-add", &"CAP_SETUID", &"--cap-add", &"CAP_SETGID"]);
        }
        a
    }
}

/// `chown -R uid:uid path` (symlinks themselves, never their targets).
fn chown_tree(path: &Path, uid: u32) -> Result<()> {
    let meta = path.symlink_metadata().map_err(crate::error::io(path))?;
    std::os::unix::fs::lchown(path, Some(uid), Some(uid)).map_err(crate::error::io(path))?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).map_err(crate::error::io(path))? {
            chown_tree(&entry.map_err(crate::error::io(path))?.path(), uid)?;
        }
    }
    Ok(())
}

/// `name` on `PATH`, or in /usr/bin, /usr/sbin, /bin.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/bin", "/usr/sbin", "/bin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// How one bounded run ended, as the grader saw it from outside.
#[derive(Debug)]
pub struct Finished {
    /// The exit status (None: lost track of it).
    pub status: Option<ExitStatus>,
    /// Killed at the time limit.
    pub timed_out: bool,
    /// Standard output, capped at `cap` bytes.
    pub stdout: String,
    /// Standard error, capped at `cap` bytes.
    pub stderr: String,
    /// Wall-clock time.
    pub elapsed: Duration,
}

/// Spawn `cmd` (stdin: `input` then EOF), keep at most `cap` bytes of each output stream, and kill
/// it (with everything it started) after `timeout`.
pub fn run_bounded(
    mut cmd: Command,
    input: &[u8],
    timeout: Duration,
    cap: usize,
) -> std::io::Result<Finished> {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The program may be gone already (it crashed before reading): not an error.
        let _ = stdin.write_all(input);
    }
    let stdout = capture(child.stdout.take(), cap);
    let stderr = capture(child.stderr.take(), cap);
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= timeout => {
                timed_out = true;
                kill_tree(&mut child);
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    // Unsandboxed, the process group may still hold children: they go too. (Sandboxed, the
    // PID namespace is gone with its first process.)
    kill_tree(&mut child);
    Ok(Finished {
        status,
        timed_out,
        stdout: stdout.finish(),
        stderr: stderr.finish(),
        elapsed: start.elapsed(),
    })
}

/// SIGKILL the child (bwrap: its PID namespace dies with it) and its process group (unsandboxed
/// runs lead their own group). Errors mean it is gone already.
fn kill_tree(child: &mut std::process::Child) {
    let _ = child.kill();
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

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

/// Run test `name` of the compiled test binary `exe` (kept outside the staged copy) with
/// `cwd` (inside `staged`, the submission's staged copy: the one writable place), bounded by
/// `limits`.
pub fn run_test(
    iso: &Isolation,
    exe: &Path,
    name: &str,
    staged: &Path,
    cwd: &Path,
    limits: &Limits,
) -> TestRun {
    let token = new_token();
    let (program, jail_bin) = match iso {
        Isolation::Bubblewrap { .. } => (
            PathBuf::from(TEST_BINARY),
            vec![(exe.to_path_buf(), PathBuf::from(TEST_BINARY))],
        ),
        Isolation::Unsandboxed => (exe.to_path_buf(), Vec::new()),
    };
    let jail = Jail {
        writable: vec![staged.to_path_buf()],
        moved: jail_bin,
        cwd: cwd.to_path_buf(),
        env: vec![
            ("PATH".into(), "/usr/bin:/bin".into()),
            ("HOME".into(), "/tmp".into()),
            ("LANG".into(), "C.UTF-8".into()),
            ("RUST_BACKTRACE".into(), "0".into()),
            (TOKEN_ENV.into(), "stdin".into()),
        ],
        ..Jail::default()
    };
    let cmd = iso.command(
        &jail,
        Some(limits),
        &program,
        &[name, "--exact", "--nocapture", "--test-threads=1"],
    );
    let input = format!("{token}\n");
    let done = match run_bounded(cmd, input.as_bytes(), limits.timeout, OUTPUT_CAP) {
        Ok(done) => done,
        Err(e) => {
            return TestRun {
                verdict: Verdict::NotRun(format!("cannot start {}: {e}", exe.display())),
                output: String::new(),
                elapsed: Duration::ZERO,
            }
        }
    };
    let marker = format!("{PASS_PREFIX}{token}");
    let marked = done.stdout.lines().any(|l| l.trim_end() == marker);
    let combined = format!("{}{}", done.stdout, done.stderr)
        .lines()
        .filter(|l| !l.starts_with(PASS_PREFIX))
        .collect::<Vec<_>>()
        .join("\n");
    let verdict = judge(done.status, done.timed_out, marked, &combined);
    TestRun {
        verdict,
        output: combined,
        elapsed: done.elapsed,
    }
}

fn judge(status: Option<ExitStatus>, timed_out: bool, marked: bool, output: &str) -> Verdict {
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

/// A stream drained on its own thread into a capped buffer.
struct Captured {
    buf: Arc<Mutex<Vec<u8>>>,
    done: std::sync::mpsc::Receiver<()>,
}

fn capture(stream: Option<impl Read + Send + 'static>, cap: usize) -> Captured {
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
                let room = cap.saturating_sub(b.len());
                b.extend_from_slice(&chunk[..n.min(room)]);
            }
            let _ = tx.send(());
        });
    }
    Captured { buf, done }
}

impl Captured {
    /// The text so far, waiting briefly for the stream to close (unsandboxed, a process that
    /// escaped the group may hold it open forever: then take what is there).
    fn finish(self) -> String {
        let _ = self.done.recv_timeout(Duration::from_millis(500));
        let b = self.buf.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(&b).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isolations() -> Vec<Isolation> {
        let mut v = vec![Isolation::Unsandboxed];
        match Isolation::bubblewrap() {
            Ok(b) => v.push(b),
            Err(e) => eprintln!("skipping the sandboxed half: {e}"),
        }
        v
    }

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
        let dir = tempfile::tempdir().expect("tempdir");
        for iso in isolations() {
            let run = run_test(
                &iso,
                Path::new("/bin/true"),
                "any",
                dir.path(),
                dir.path(),
                &Limits::default(),
            );
            assert_eq!(
                run.verdict,
                Verdict::ExitedEarly(0),
                "{iso:?}: {}",
                run.output
            );
        }
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
        for iso in isolations() {
            let run = run_test(&iso, &script, "any", dir.path(), dir.path(), &limits);
            assert_eq!(run.verdict, Verdict::TimedOut, "{iso:?}: {}", run.output);
            assert!(run.elapsed < Duration::from_secs(3), "{:?}", run.elapsed);
        }
    }

    #[test]
    fn the_sandbox_sees_only_what_it_is_given() {
        let Ok(iso) = Isolation::bubblewrap() else {
            eprintln!("bubblewrap unavailable: skipped");
            return;
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let (seen, hidden) = (dir.path().join("seen"), dir.path().join("hidden"));
        std::fs::create_dir_all(&seen).expect("mkdir");
        std::fs::create_dir_all(&hidden).expect("mkdir");
        std::fs::write(hidden.join("secret"), "s").expect("write");
        iso.hand_over(&seen).expect("chown");
        let jail = Jail {
            writable: vec![seen.clone()],
            cwd: seen.clone(),
            ..Jail::default()
        };
        let script = format!(
            "touch {s}/ok && ! test -e {h}/secret && ! touch /usr/x 2>/dev/null",
            s = seen.display(),
            h = hidden.display()
        );
        let cmd = iso.command(&jail, None, Path::new("/bin/sh"), &["-c", &script]);
        let done = run_bounded(cmd, b"", Duration::from_secs(10), 4096).expect("ran");
        assert!(done.status.is_some_and(|s| s.success()), "{done:?}");
        assert!(seen.join("ok").exists());
    }
}
