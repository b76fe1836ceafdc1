//! The pass marker of a graded test.
//!
//! Every graded test wraps its body in [`graded`]. Under the autograder
//! (`TRAINLAB_GRADER_TOKEN=stdin` in the environment) the first thing the test does, before any
//! student code runs, is read a one-time token from standard input; only after the body returned
//! (every assertion held) does it print `@@trainlab-pass@@ TOKEN`. The grader counts a test as
//! passed only when that exact line appears: an exit code of 0 (`std::process::exit(0)` in the
//! student's code), a printed `test result: ok` or a forged marker without the token earn nothing.
//! Outside the grader (a plain `cargo test`) it just runs the body.
#![warn(missing_docs)]

use std::io::{Read, Write};

/// The environment variable that tells a test to read its token from standard input.
pub const TOKEN_ENV: &str = "TRAINLAB_GRADER_TOKEN";
/// The prefix of the pass line.
pub const PASS_PREFIX: &str = "@@trainlab-pass@@ ";

/// Run a graded test's body; print the pass marker after it returns (see the crate docs).
///
/// ```
/// trainlab_exercise_harness::graded(|| assert_eq!(1 + 1, 2));
/// ```
pub fn graded(body: impl FnOnce()) {
    let token = take_token();
    body();
    if let Some(token) = token {
        let mut out = std::io::stdout().lock();
        // A failed write means the grader is gone: nothing to report to.
        let _ = writeln!(out, "\n{PASS_PREFIX}{token}");
        let _ = out.flush();
    }
}

/// The token, read once from standard input when the grader asks for it (at most 128 bytes).
fn take_token() -> Option<String> {
    if std::env::var(TOKEN_ENV).ok().as_deref() != Some("stdin") {
        return None;
    }
    let mut buf = Vec::with_capacity(128);
    let _ = std::io::stdin().lock().take(128).read_to_end(&mut buf);
    let token: String = String::from_utf8_lossy(&buf)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (!token.is_empty()).then_some(token)
}
