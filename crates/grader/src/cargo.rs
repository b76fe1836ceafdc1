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
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{GraderError, Result};

/// What cargo said about one package.
#[derive(Clone, Debug, Default)]
pub struct PackageReport {
    /// Rendered compiler errors, per target name (`ex01_momentum`, `visible`, `hidden`).
    pub errors: HashMap<String, Vec<String>>,
    /// Targets that produced an artifact, with whether it was fresh (not rebuilt).
    pub built: HashMap<String, bool>,
    /// Test executables per test target name.
    pub executables: HashMap<String, PathBuf>,
}

/// Messages of one cargo run, per package directory.
pub type Reports = HashMap<PathBuf, PackageReport>;

/// Run `cargo ARGS --message-format=json` in `ws` with `target_dir`, killed after `timeout`.
pub fn cargo_json(
    ws: &Path,
    target_dir: &Path,
    args: &[&str],
    timeout: Duration,
) -> Result<Reports> {
    let err = |message: String| GraderError::Cargo {
        dir: ws.to_path_buf(),
        message,
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(cargo)
        .args(args)
        .arg("--message-format=json")
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target_dir)
        .env_remove("RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| err(format!("cannot start cargo: {e}")))?;
    let mut stdout = child.stdout.take().ok_or_else(|| err("no stdout".into()))?;
    let mut stderr = child.stderr.take().ok_or_else(|| err("no stderr".into()))?;
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > timeout => {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.wait();
                return Err(err(format!("build took longer than {timeout:?}; killed")));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(err(format!("waiting for cargo: {e}"))),
        }
    }
    let out = out_thread.join().unwrap_or_default();
    let stderr_text = err_thread.join().unwrap_or_default();
    let reports = parse_messages(&out);
    if reports.is_empty() && !stderr_text.contains("error") {
        return Ok(reports);
    }
    if reports.is_empty() {
        // Cargo failed before compiling anything: a broken manifest or lock file.
        return Err(err(tail(&stderr_text, 40)));
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
}
