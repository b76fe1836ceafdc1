//! Running cargo on a staged workspace, bounded in time, and reading its JSON messages.
//!
//! ```text
//! cargo build --workspace --lib --keep-going --message-format=json           phase 1: libraries
//! cargo build --workspace --test '*' --keep-going --message-format=json   phase 2: tests
//! ```
//!
//! `--keep-going` is what grades each exercise on its own: one crate's compile error stops
//! that crate only. Messages are sorted per package by their manifest path.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use crate::error::{GraderError, Result};
use crate::sandbox::{run_bounded, Isolation, Jail};

/// Cargo's output kept (its JSON messages; a build of every exercise writes about 1 MiB).
const CARGO_OUTPUT_CAP: usize = 64 * 1024 * 1024;
/// Where `CARGO_HOME` is inside a build sandbox (the registry is bound read-only under it).
const SANDBOX_CARGO_HOME: &str = "/tmp/cargo-home";

/// What cargo said about one package.
#[derive(Clone, Debug, Default)]
pub struct PackageReport {
    /// Rendered compiler errors, per target name (`ex01_momentum`, `visible`, `hidden`).
    pub errors: HashMap<String, Vec<String>>,
    /// Targets that produced an artifact, with whether it was fresh (not rebuilt).
    pub built: HashMap<String, bool>,
    /// Test executables per test target name.
    pub executables: HashMap<String, PathBuf>,
    /// Files each target's artifact was written to (the `.rlib`, `.rmeta`, ...).
    pub filenames: HashMap<String, Vec<PathBuf>>,
}

/// Messages of one cargo run, per package directory.
pub type Reports = HashMap<PathBuf, PackageReport>;

/// The Rust toolchain, called directly (not through rustup's proxies) so that a sandbox needs
/// only its sysroot and the registry of downloaded crates.
#[derive(Clone, Debug)]
pub struct Toolchain {
    /// `rustc --print sysroot`.
    pub sysroot: PathBuf,
    /// `SYSROOT/bin/cargo`.
    pub cargo: PathBuf,
    /// `SYSROOT/bin/rustc`.
    pub rustc: PathBuf,
    /// `$CARGO_HOME`, else `$HOME/.cargo`: its `registry/` holds the dependencies' sources.
    pub cargo_home: PathBuf,
}

impl Toolchain {
    /// The toolchain `rustc` on `PATH` (or `$RUSTC`) belongs to, found once.
    pub fn get() -> Result<&'static Toolchain> {
        static TOOLCHAIN: OnceLock<std::result::Result<Toolchain, String>> = OnceLock::new();
        TOOLCHAIN
            .get_or_init(Self::detect)
            .as_ref()
            .map_err(|message| GraderError::Sandbox {
                message: message.clone(),
            })
    }

    fn detect() -> std::result::Result<Toolchain, String> {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let out = std::process::Command::new(&rustc)
            .args(["--print", "sysroot"])
            .output()
            .map_err(|e| format!("cannot run {rustc:?} --print sysroot: {e}"))?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let (cargo, rustc) = (sysroot.join("bin/cargo"), sysroot.join("bin/rustc"));
        if !cargo.is_file() || !rustc.is_file() {
            return Err(format!(
                "the toolchain at {} has no bin/cargo and bin/rustc",
                sysroot.display()
            ));
        }
        let cargo_home = match std::env::var_os("CARGO_HOME") {
            Some(h) => PathBuf::from(h),
            None => PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
                .join(".cargo"),
        };
        Ok(Toolchain {
            sysroot,
            cargo,
            rustc,
            cargo_home,
        })
    }
}

/// One cargo invocation on a staged workspace.
#[derive(Clone, Copy, Debug)]
pub struct Build<'a> {
    /// How to isolate it.
    pub isolation: &'a Isolation,
    /// The staged workspace (writable in the sandbox).
    pub ws: &'a Path,
    /// Cargo's target dir (writable in the sandbox).
    pub target_dir: &'a Path,
    /// What else the build reads: path dependencies outside the workspace and their manifests.
    pub read_only: &'a [PathBuf],
    /// Longest the build may take.
    pub timeout: Duration,
}

/// Run `cargo ARGS --message-format=json` for `b` (`--offline` in the sandbox), killed after
/// `b.timeout`.
pub fn cargo_json(b: &Build<'_>, args: &[&str]) -> Result<Reports> {
    let err = |message: String| GraderError::Cargo {
        dir: b.ws.to_path_buf(),
        message,
    };
    let mut full: Vec<&str> = args.to_vec();
    full.push("--message-format=json");
    if matches!(b.isolation, Isolation::Bubblewrap { .. }) {
        // No network in the sandbox: say so to cargo (every dependency is fetched beforehand).
        full.push("--offline");
    }
    let cmd = match b.isolation {
        Isolation::Unsandboxed => {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let mut env: Vec<(String, OsString)> = std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v)))
                .filter(|(k, _)| k != "RUSTFLAGS" && k != "CARGO_TARGET_DIR")
                .collect();
            env.push(("CARGO_TARGET_DIR".into(), b.target_dir.into()));
            env.push(("CARGO_TERM_COLOR".into(), "never".into()));
            let jail = Jail {
                cwd: b.ws.to_path_buf(),
                env,
                ..Jail::default()
            };
            b.isolation.command(&jail, None, Path::new(&cargo), &full)
        }
        Isolation::Bubblewrap { .. } => {
            let tc = Toolchain::get()?;
            let home = PathBuf::from(SANDBOX_CARGO_HOME);
            let mut moved = Vec::new();
            for sub in ["registry", "git"] {
                let outside = tc.cargo_home.join(sub);
                if outside.is_dir() {
                    moved.push((outside, home.join(sub)));
                }
            }
            let mut read_only = vec![tc.sysroot.clone()];
            read_only.extend(b.read_only.iter().cloned());
            let path = format!("{}:/usr/bin:/bin", tc.sysroot.join("bin").display());
            let jail = Jail {
                read_only,
                writable: vec![b.ws.to_path_buf(), b.target_dir.to_path_buf()],
                moved,
                scratch: vec![home.clone()],
                cwd: b.ws.to_path_buf(),
                env: vec![
                    ("PATH".into(), path.into()),
                    ("HOME".into(), "/tmp".into()),
                    ("LANG".into(), "C.UTF-8".into()),
                    ("CARGO_HOME".into(), home.into()),
                    ("RUSTC".into(), tc.rustc.clone().into()),
                    ("CARGO_TARGET_DIR".into(), b.target_dir.into()),
                    ("CARGO_TERM_COLOR".into(), "never".into()),
                    ("CARGO_NET_OFFLINE".into(), "true".into()),
                ],
            };
            b.isolation.command(&jail, None, &tc.cargo, &full)
        }
    };
    let done = run_bounded(cmd, b"", b.timeout, CARGO_OUTPUT_CAP)
        .map_err(|e| err(format!("cannot start cargo: {e}")))?;
    if done.timed_out {
        return Err(err(format!(
            "build took longer than {:?}; killed",
            b.timeout
        )));
    }
    let reports = parse_messages(&done.stdout);
    let failed = !done.status.is_some_and(|s| s.success());
    if reports.is_empty() && failed {
        // Cargo failed before compiling anything: a broken manifest or lock file, or the
        // sandbox lacks something the build reads.
        return Err(err(tail(&done.stderr, 40)));
    }
    Ok(reports)
}

/// Group cargo's JSON messages by package directory.
pub fn parse_messages(out: &str) -> Reports {
    let mut reports = Reports::new();
    for line in out.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(dir) = msg["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).parent())
        else {
            continue;
        };
        let target = msg["target"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let report = reports.entry(dir.to_path_buf()).or_default();
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                report
                    .built
                    .insert(target.clone(), msg["fresh"].as_bool().unwrap_or(false));
                let files = msg["filenames"].as_array().into_iter().flatten();
                report.filenames.insert(
                    target.clone(),
                    files
                        .filter_map(|f| f.as_str().map(PathBuf::from))
                        .collect(),
                );
                if let Some(exe) = msg["executable"].as_str() {
                    report.executables.insert(target, PathBuf::from(exe));
                }
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => {
                let rendered = msg["message"]["rendered"].as_str().unwrap_or_default();
                report
                    .errors
                    .entry(target)
                    .or_default()
                    .push(rendered.to_string());
            }
            _ => {}
        }
    }
    reports
}

/// The last `n` lines of `s`.
pub fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Files the library's compilation read (rustc's dep-info beside its `.rlib`) that lie outside
/// `crate_dir` or inside its `tests/`: an `include_str!`, `include!` or `#[path]` of something
/// that is not the student's.
pub fn foreign_sources(
    ws: &Path,
    crate_dir: &Path,
    artifacts: &[PathBuf],
) -> std::result::Result<Vec<PathBuf>, String> {
    // rustc's own dep-info sits beside the hashed artifact in `deps/` (the uplifted copy's
    // `.d` is cargo's, listing every dependency's sources too).
    let Some(lib) = artifacts.iter().find(|f| {
        f.extension().is_some_and(|e| e == "rlib" || e == "rmeta")
            && f.parent().and_then(Path::file_name) == Some("deps".as_ref())
    }) else {
        return Err("no library artifact".into());
    };
    let stem = lib.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let d = lib.with_file_name(format!("{}.d", stem.trim_start_matches("lib")));
    let text = std::fs::read_to_string(&d).map_err(|e| format!("{}: {e}", d.display()))?;
    let tests = crate_dir.join("tests");
    let mut foreign = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((_, deps)) = line.split_once(": ") else {
            continue;
        };
        for dep in split_escaped(deps) {
            let path = normalize(&ws.join(&dep));
            if (!path.starts_with(crate_dir) || path.starts_with(&tests))
                && !foreign.contains(&path)
            {
                foreign.push(path);
            }
        }
    }
    Ok(foreign)
}

/// Make's dep-info lists: space-separated, `\ ` is a space inside a name.
fn split_escaped(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("never empty").push(n);
                }
            }
            ' ' => out.push(String::new()),
            c => out.last_mut().expect("never empty").push(c),
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// `a/b/../c` -> `a/c`, without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_artifacts_and_errors_by_package() {
        let out = r#"{"reason":"compiler-artifact","manifest_path":"/w/01_a/Cargo.toml","target":{"name":"ex01_a"},"fresh":true,"executable":null}
{"reason":"compiler-artifact","manifest_path":"/w/01_a/Cargo.toml","target":{"name":"visible"},"fresh":false,"executable":"/t/visible-1"}
{"reason":"compiler-message","manifest_path":"/w/02_b/Cargo.toml","target":{"name":"ex02_b"},"message":{"level":"error","rendered":"error[E0308]: mismatched types"}}
{"reason":"compiler-message","manifest_path":"/w/02_b/Cargo.toml","target":{"name":"ex02_b"},"message":{"level":"warning","rendered":"unused"}}
not json
{"reason":"build-finished","success":false}"#;
        let r = parse_messages(out);
        let a = &r[Path::new("/w/01_a")];
        assert!(a.built["ex01_a"]);
        assert_eq!(a.executables["visible"], PathBuf::from("/t/visible-1"));
        let b = &r[Path::new("/w/02_b")];
        assert_eq!(
            b.errors["ex02_b"],
            vec!["error[E0308]: mismatched types".to_string()]
        );
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
    }

    #[test]
    fn dep_info_names_every_file_outside_the_crate() {
        let dir = tempfile::tempdir().expect("tempdir");
        let deps = dir.path().join("target/debug/deps");
        std::fs::create_dir_all(&deps).expect("mkdir");
        let ws = dir.path().join("ws");
        // As rustc writes it: the crate's own files relative to the workspace, others absolute.
        std::fs::write(
            deps.join("ex01-abc.d"),
            "/t/deps/ex01-abc.d: 01_a/src/lib.rs 01_a/src/more.rs 01_a/src/../tests/hidden.rs \
             /srv/pristine/01_a/src/lib.rs /x/with\\ space.rs\n\n01_a/src/lib.rs:\n# env-dep:X\n",
        )
        .expect("write");
        let artifacts = [
            dir.path().join("target/debug/libex01.rlib"),
            deps.join("libex01-abc.rmeta"),
        ];
        let foreign = foreign_sources(&ws, &ws.join("01_a"), &artifacts).expect("read");
        assert_eq!(
            foreign,
            [
                ws.join("01_a/tests/hidden.rs"),
                PathBuf::from("/srv/pristine/01_a/src/lib.rs"),
                PathBuf::from("/x/with space.rs"),
            ]
        );
        assert!(foreign_sources(&ws, &ws.join("01_a"), &artifacts[..1]).is_err());
    }
}
