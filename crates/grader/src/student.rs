//! The student's `cargo make grade [N]`: short, and about what to do next.
//!
//! ```text
//! grade          one line per exercise (tests passed, visible points, "not started",
//!                "does not compile"), the visible total, the hidden points still to come
//! grade N        exercise N only: each test, each failure's message (a few lines), and the
//!                compiler's errors in full when it does not build
//! ```

use std::fmt::Write as _;

use crate::catalog::Exercise;
use crate::grade::{ExerciseGrade, SubmissionGrade, TestGrade};
use crate::sandbox::Verdict;

/// Lines of a failing test's message shown.
const FAILURE_LINES: usize = 12;
/// Lines of compiler errors shown.
const COMPILE_LINES: usize = 80;

/// The hidden points of each exercise, by directory name: from the catalogue (the instructor's
/// copy has the hidden tests) or the manifest's `hidden_points` (a release has none on disk).
pub fn hidden_points(exercises: &[Exercise], course: Option<&crate::course::Course>) -> Vec<u32> {
    exercises
        .iter()
        .enumerate()
        .map(|(i, ex)| {
            let declared = course
                .and_then(|c| c.exercises.get(i))
                .and_then(|e| e.hidden_points)
                .unwrap_or(0);
            ex.hidden_points().max(declared)
        })
        .collect()
}

fn number(g: &ExerciseGrade) -> u32 {
    g.exercise.number
}

fn not_started(g: &ExerciseGrade) -> bool {
    g.compile_error.is_none()
        && !g.tests.is_empty()
        && g.tests
            .iter()
            .all(|t| !t.verdict.passed() && t.output.contains("not yet implemented"))
}

/// Every exercise in one line each, then the totals and what to run next.
pub fn overview(g: &SubmissionGrade, hidden: &[u32]) -> String {
    let mut s = String::new();
    let width = g
        .exercises
        .iter()
        .map(|e| e.exercise.dir_name.len() + e.exercise.title.len() + 1)
        .max()
        .unwrap_or(20)
        .max(20);
    let _ = writeln!(s, "{:<width$}  {:>6}  {:>7}", "exercise", "tests", "points");
    let mut next = None;
    for ex in &g.exercises {
        let name = format!("{} {}", ex.exercise.dir_name, ex.exercise.title);
        let passed = ex.tests.iter().filter(|t| t.verdict.passed()).count();
        let status = if ex.compile_error.is_some() {
            "does not compile"
        } else if not_started(ex) {
            "not started"
        } else if passed == ex.tests.len() {
            "done"
        } else {
            "in progress"
        };
        if status != "done" && next.is_none() {
            next = Some(number(ex));
        }
        let _ = writeln!(
            s,
            "{name:<width$}  {:>6}  {:>7}  {status}",
            format!("{passed}/{}", ex.tests.len()),
            format!("{}/{}", ex.score(), ex.max_score()),
        );
    }
    let hidden_total: u32 = hidden.iter().sum();
    let _ = writeln!(
        s,
        "\nvisible tests: {} / {} points. Hidden tests worth {hidden_total} more points run only \
         when your submission is graded: the assignment is out of {}.",
        g.score(),
        g.max_score(),
        g.max_score() + hidden_total
    );
    if let Some(n) = next {
        let _ = writeln!(
            s,
            "next: `cargo make grade {n}` shows exercise {n}'s failures (and compile errors); \
             `cargo make hint {n}` gives a hint."
        );
    } else {
        let _ = writeln!(
            s,
            "every visible test passes: `cargo make submit` writes submission.zip."
        );
    }
    s
}

/// One exercise in detail: each test, the failures' messages, compile errors in full.
pub fn details(ex: &ExerciseGrade, hidden: u32) -> String {
    let mut s = String::new();
    let n = number(ex);
    let _ = writeln!(
        s,
        "exercise {} {}: {} / {} visible points (hidden tests: {hidden} more points when graded)",
        ex.exercise.dir_name,
        ex.exercise.title,
        ex.score(),
        ex.max_score()
    );
    if let Some(err) = &ex.compile_error {
        let _ = writeln!(
            s,
            "\nyour code does not compile (0 points until it does):\n{}",
            head(err, COMPILE_LINES)
        );
        return s;
    }
    for t in &ex.tests {
        let mark = if t.verdict.passed() { "PASS" } else { "FAIL" };
        let _ = writeln!(
            s,
            "[{mark}] {} ({}/{})",
            t.case.name, t.score, t.case.points
        );
        if !t.verdict.passed() {
            let _ = writeln!(s, "{}", indent(&failure(t)));
        }
    }
    let passed = ex.tests.iter().all(|t| t.verdict.passed());
    if !passed {
        let _ = writeln!(
            s,
            "\nstuck? `cargo make hint {n}` (then `cargo make hint {n} 2`, ...)"
        );
    }
    s
}

/// What a failing test said: the panic message (without the backtrace note), or why it did not run.
fn failure(t: &TestGrade) -> String {
    if let Verdict::NotRun(why) = &t.verdict {
        return head(why, COMPILE_LINES);
    }
    let out = &t.output;
    let is_noise = |l: &&str| {
        let l = l.trim();
        l.is_empty()
            || l.starts_with("running ")
            || l.starts_with("test ")
            || l.starts_with("---- ")
            || l.starts_with("failures:")
            || l.starts_with("successes:")
            || l.starts_with("@@")
    };
    // what the test printed before it failed (e.g. the accuracy it reached), then the panic
    let printed: Vec<&str> = out
        .lines()
        .take_while(|l| !l.contains("panicked at"))
        .filter(|l| !is_noise(l))
        .collect();
    let panic: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.contains("panicked at"))
        .take_while(|l| !l.starts_with("note: run with"))
        .collect();
    let body = if panic.is_empty() {
        format!(
            "{}\n{}",
            t.verdict.reason(),
            crate::cargo::tail(out, FAILURE_LINES)
        )
    } else if out.contains("not yet implemented") {
        "not yet implemented (a `todo!()` is still there)".to_string()
    } else {
        let printed = &printed[printed.len().saturating_sub(4)..];
        let mut b = format!("{}:", t.verdict.reason());
        for l in printed.iter().chain(&panic) {
            b.push('\n');
            b.push_str(l);
        }
        b
    };
    head(body.trim(), FAILURE_LINES)
}

fn head(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let mut out = lines[..lines.len().min(n)].join("\n");
    if lines.len() > n {
        out.push_str(&format!("\n[... {} more lines]", lines.len() - n));
    }
    out
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("       {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::TestCase;

    fn failed(output: &str) -> TestGrade {
        TestGrade {
            case: TestCase {
                name: "p2_x".into(),
                target: "visible".into(),
                points: 2,
                hidden: false,
            },
            verdict: Verdict::Panicked,
            score: 0,
            output: output.into(),
        }
    }

    #[test]
    fn a_failure_is_what_was_printed_and_the_panic() {
        // the shape of libtest's output for one failing test (cargo test 1.85)
        let out = "\nrunning 1 test\nvalidation accuracy on the public split: 0.4500\n\
                   thread 'p2_x' panicked at tests/visible.rs:9:5:\naccuracy 0.45 < 0.96\n\
                   note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\
                   test p2_x ... FAILED\n";
        assert_eq!(
            failure(&failed(out)),
            "failed (assertion or panic):\nvalidation accuracy on the public split: 0.4500\n\
             thread 'p2_x' panicked at tests/visible.rs:9:5:\naccuracy 0.45 < 0.96"
        );
        let todo = "thread 'p2_x' panicked at src/lib.rs:3:5:\nnot yet implemented: triple\n";
        assert_eq!(
            failure(&failed(todo)),
            "not yet implemented (a `todo!()` is still there)"
        );
        let long: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let cut = failure(&failed(&long));
        assert!(cut.ends_with("[... 1 more lines]"), "{cut}");
    }
}
