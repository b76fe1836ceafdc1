//! What a grade turns into: Gradescope's `results.json`, a student's feedback, a table, a gradebook row.
//!
//! Gradescope's format (its autograder specification, "Output format"):
//!
//! ```text
//! { "score", "execution_time" (s), "output", "output_format": "text", "test_output_format",
//!   "visibility", "stdout_visibility",
//!   "tests": [{ "name", "number", "score", "max_score", "status": "passed"|"failed",
//!               "output", "visibility": "visible"|"after_due_date"|... }],
//!   "leaderboard": [{ "name", "value", "order": "asc"|"desc" }] }
//! ```
//!
//! Hidden tests are reported by name and result only, with `after_due_date` visibility and no
//! output: what failed, never the test's code or messages. The leaderboard (the model challenge,
//! exercise 08) holds only what the grader itself observed: points of token-marked passes and
//! the grading time, nothing a submission printed.

use std::fmt::Write as _;

use serde::Serialize;

use crate::grade::{ExerciseGrade, SubmissionGrade, TestGrade};

/// Longest test output kept in feedback.
const FEEDBACK_OUTPUT_CAP: usize = 2000;
/// The exercise whose result goes on Gradescope's leaderboard (its directory name's slug).
pub const LEADERBOARD_EXERCISE: &str = "model_challenge";

/// One test in Gradescope's `results.json`.
#[derive(Clone, Debug, Serialize)]
pub struct GradescopeTest {
    /// `NN_slug::test_name`.
    pub name: String,
    /// `NN.k`: the exercise number and the test's place in it.
    pub number: String,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub max_score: f64,
    /// `passed` or `failed`.
    pub status: &'static str,
    /// What the student sees.
    pub output: String,
    /// `visible` or `after_due_date` (hidden tests).
    pub visibility: &'static str,
}

/// One entry of Gradescope's leaderboard.
#[derive(Clone, Debug, Serialize)]
pub struct LeaderboardEntry {
    /// The column.
    pub name: String,
    /// Its value.
    pub value: f64,
    /// `desc`: more is better; `asc`: less is better.
    pub order: &'static str,
}

/// Gradescope's `results.json`.
#[derive(Clone, Debug, Serialize)]
pub struct GradescopeResults {
    /// Total points earned.
    pub score: f64,
    /// Total points possible (Gradescope takes the assignment's own; kept for reading).
    pub max_score: f64,
    /// Seconds the grading took.
    pub execution_time: u64,
    /// Text shown above the tests.
    pub output: String,
    /// How `output` is rendered.
    pub output_format: &'static str,
    /// How each test's `output` is rendered.
    pub test_output_format: &'static str,
    /// The submission's visibility.
    pub visibility: &'static str,
    /// The autograder's own stdout is for the instructor only.
    pub stdout_visibility: &'static str,
    /// Per test.
    pub tests: Vec<GradescopeTest>,
    /// The model challenge's leaderboard columns (empty without such an exercise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub leaderboard: Vec<LeaderboardEntry>,
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
        for (k, t) in ex.tests.iter().enumerate() {
            tests.push(GradescopeTest {
                name: format!("{}::{}", ex.exercise.dir_name, t.case.name),
                number: format!("{}.{}", ex.exercise.number, k + 1),
                score: f64::from(t.score),
                max_score: f64::from(t.case.points),
                status: if t.verdict.passed() {
                    "passed"
                } else {
                    "failed"
                },
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
    let leaderboard = g
        .exercises
        .iter()
        .filter(|e| e.exercise.dir_name.ends_with(LEADERBOARD_EXERCISE))
        .flat_map(|e| {
            [
                LeaderboardEntry {
                    name: format!("{} points", e.exercise.title),
                    value: f64::from(e.score()),
                    order: "desc",
                },
                LeaderboardEntry {
                    name: "hidden tests passed".into(),
                    value: e
                        .tests
                        .iter()
                        .filter(|t| t.case.hidden && t.verdict.passed())
                        .count() as f64,
                    order: "desc",
                },
            ]
        })
        .collect();
    GradescopeResults {
        score: f64::from(g.score()),
        max_score: f64::from(g.max_score()),
        execution_time: g.elapsed.as_secs(),
        output,
        output_format: "text",
        test_output_format: "text",
        visibility: "visible",
        stdout_visibility: "hidden",
        tests,
        leaderboard,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Exercise, Limits, TestCase};
    use crate::sandbox::Verdict;

    fn exercise(dir_name: &str, tests: &[(&str, bool, bool)]) -> ExerciseGrade {
        let cases: Vec<TestCase> = tests
            .iter()
            .map(|(name, hidden, _)| TestCase {
                name: name.to_string(),
                target: if *hidden { "hidden" } else { "visible" }.into(),
                points: crate::catalog::points_of(name),
                hidden: *hidden,
            })
            .collect();
        ExerciseGrade {
            exercise: Exercise {
                dir_name: dir_name.into(),
                number: dir_name[..2].parse().expect("numbered"),
                package: "p".into(),
                title: "Model challenge".into(),
                editable: vec!["config.toml".into()],
                limits: Limits::default(),
                tests: cases.clone(),
            },
            compile_error: None,
            tests: cases
                .into_iter()
                .zip(tests)
                .map(|(case, (_, _, passed))| TestGrade {
                    score: if *passed { case.points } else { 0 },
                    verdict: if *passed {
                        Verdict::Passed
                    } else {
                        Verdict::Panicked
                    },
                    output: "HIDDEN-OUTPUT".into(),
                    case,
                })
                .collect(),
        }
    }

    #[test]
    fn results_json_follows_gradescope_and_ranks_the_model_challenge() {
        let g = SubmissionGrade {
            student: "s".into(),
            exercises: vec![
                exercise("01_momentum", &[("p2_a", false, true)]),
                exercise(
                    "08_model_challenge",
                    &[
                        ("p2_visible", false, true),
                        ("p4_held_out", true, true),
                        ("p3_other", true, false),
                    ],
                ),
            ],
            notes: vec![],
            elapsed: std::time::Duration::from_millis(12_700),
        };
        let json = serde_json::to_value(gradescope(&g)).expect("serialises");
        assert_eq!(json["score"], 8.0);
        assert_eq!(json["execution_time"], 12);
        assert_eq!(json["output_format"], "text");
        let tests = json["tests"].as_array().expect("tests");
        let field = |k: &str| -> Vec<String> {
            tests
                .iter()
                .map(|t| t[k].as_str().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(field("status"), ["passed", "passed", "passed", "failed"]);
        assert_eq!(field("number"), ["1.1", "8.1", "8.2", "8.3"]);
        assert_eq!(
            field("visibility"),
            ["visible", "visible", "after_due_date", "after_due_date"]
        );
        assert!(!tests[3]["output"]
            .as_str()
            .unwrap_or("")
            .contains("HIDDEN-OUTPUT"));
        let board = json["leaderboard"].as_array().expect("leaderboard");
        assert_eq!(board[0]["value"], 6.0);
        assert_eq!(board[1]["value"], 1.0);
        assert!(board.iter().all(|e| e["order"] == "desc"));
    }
}
