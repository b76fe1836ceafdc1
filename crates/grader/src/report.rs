//! What a grade turns into: Gradescope's `results.json`, a student's feedback, a table, a gradebook row.
//!
//! Gradescope's format (its autograder specification): `{"score", "output", "tests": [{"name",
//! "score", "max_score", "output", "visibility"}]}`; `visibility` is one of `visible`, `hidden`,
//! `after_due_date`, `after_published`. Hidden tests are reported by name and result only, with
//! `after_due_date` visibility and no output: what failed, never the test's code or messages.

use std::fmt::Write as _;

use serde::Serialize;

use crate::grade::{ExerciseGrade, SubmissionGrade, TestGrade};

/// Longest test output kept in feedback.
const FEEDBACK_OUTPUT_CAP: usize = 2000;

/// One test in Gradescope's `results.json`.
#[derive(Clone, Debug, Serialize)]
pub struct GradescopeTest {
    /// `NN_slug::test_name`.
    pub name: String,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// What the student sees.
    pub output: String,
    /// `visible` or `after_due_date` (hidden tests).
    pub visibility: &'static str,
}

/// Gradescope's `results.json`.
#[derive(Clone, Debug, Serialize)]
pub struct GradescopeResults {
    /// Total points earned.
    pub score: f64,
    /// Total points possible (Gradescope takes the assignment's own; kept for reading).
    pub max_score: f64,
    /// Text shown above the tests.
    pub output: String,
    /// Per test.
    pub tests: Vec<GradescopeTest>,
}

/// The student-facing text for one test.
pub fn test_feedback(t: &TestGrade) -> String {
    if t.case.hidden {
        return format!("hidden test: {}", t.verdict.reason());
    }
    let mut s = t.verdict.reason();
    if !t.verdict.passed() {
        if let crate::sandbox::Verdict::NotRun(why) = &t.verdict {
            s = format!("not run: {why}");
        }
        let out = t.output.trim();
        if !out.is_empty() {
            let cut: String = out.chars().take(FEEDBACK_OUTPUT_CAP).collect();
            s.push_str("\n---\n");
            s.push_str(&cut);
            if cut.len() < out.len() {
                s.push_str("\n[output cut]");
            }
        }
    }
    s
}

/// Gradescope's `results.json` for `g`.
pub fn gradescope(g: &SubmissionGrade) -> GradescopeResults {
    let mut tests = Vec::new();
    for ex in &g.exercises {
        for t in &ex.tests {
            tests.push(GradescopeTest {
                name: format!("{}::{}", ex.exercise.dir_name, t.case.name),
                score: f64::from(t.score),
                max_score: f64::from(t.case.points),
                output: test_feedback(t),
                visibility: if t.case.hidden {
                    "after_due_date"
                } else {
                    "visible"
                },
            });
        }
    }
    let mut output = String::new();
    for ex in &g.exercises {
        if let Some(err) = &ex.compile_error {
            let _ = writeln!(
                output,
                "{} does not build (0 points for it):\n{}\n",
                ex.exercise.dir_name,
                crate::cargo::tail(err, 60)
            );
        }
    }
    for note in &g.notes {
        let _ = writeln!(output, "note: {note}");
    }
    GradescopeResults {
        score: f64::from(g.score()),
        max_score: f64::from(g.max_score()),
        output,
        tests,
    }
}

/// A plain-text feedback file: per exercise, each test passed or failed and why.
pub fn feedback(g: &SubmissionGrade) -> String {
    let mut s = format!(
        "Feedback for {}: {} / {} points\n",
        g.student,
        g.score(),
        g.max_score()
    );
    for note in &g.notes {
        let _ = writeln!(s, "note: {note}");
    }
    for ex in &g.exercises {
        let _ = writeln!(
            s,
            "\n== {} {}: {} / {}",
            ex.exercise.dir_name,
            ex.exercise.title,
            ex.score(),
            ex.max_score()
        );
        if let Some(err) = &ex.compile_error {
            let _ = writeln!(s, "does not build:\n{}", crate::cargo::tail(err, 60));
        }
        for t in &ex.tests {
            let mark = if t.verdict.passed() { "PASS" } else { "FAIL" };
            let _ = writeln!(
                s,
                "[{mark}] {} ({}/{}): {}",
                t.case.name,
                t.score,
                t.case.points,
                indent(&test_feedback(t))
            );
        }
    }
    s
}

fn indent(s: &str) -> String {
    s.replace('\n', "\n      ")
}

/// A table of exercises, tests and points with a total (the student's `cargo make grade`).
pub fn table(g: &SubmissionGrade) -> String {
    let mut s = String::new();
    let width = g
        .exercises
        .iter()
        .flat_map(|e| e.tests.iter().map(|t| t.case.name.len()))
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = writeln!(
        s,
        "{:<18} {:<width$} {:>7}  result",
        "exercise", "test", "points"
    );
    for ex in &g.exercises {
        for t in &ex.tests {
            let _ = writeln!(
                s,
                "{:<18} {:<width$} {:>3}/{:<3}  {}",
                ex.exercise.dir_name,
                t.case.name,
                t.score,
                t.case.points,
                first_line(&t.verdict.reason())
            );
        }
        if ex.compile_error.is_some() {
            let _ = writeln!(
                s,
                "{:<18} (does not compile: run `cargo test -p {}`)",
                ex.exercise.dir_name, ex.exercise.package
            );
        }
        let _ = writeln!(
            s,
            "{:<18} {:<width$} {:>3}/{:<3}",
            "",
            "subtotal",
            ex.score(),
            ex.max_score()
        );
    }
    let _ = writeln!(
        s,
        "{:<18} {:<width$} {:>3}/{:<3}",
        "TOTAL",
        "",
        g.score(),
        g.max_score()
    );
    s
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

/// The gradebook's header: `student`, one column per exercise, `total`, `max`.
pub fn gradebook_header(exercises: &[ExerciseGrade]) -> Vec<String> {
    let mut h = vec!["student".to_string()];
    h.extend(exercises.iter().map(|e| e.exercise.dir_name.clone()));
    h.extend(["total".to_string(), "max".to_string()]);
    h
}

/// One gradebook row for `g`.
pub fn gradebook_row(g: &SubmissionGrade) -> Vec<String> {
    let mut r = vec![g.student.clone()];
    r.extend(g.exercises.iter().map(|e| e.score().to_string()));
    r.extend([g.score().to_string(), g.max_score().to_string()]);
    r
}
