//! The grader against hostile submissions: each one's exact score.
//!
//! The pristine workspace is tests/fixtures/mini (01_add: 1 + 2 visible + 2 hidden = 5 points;
//! 02_double: 1 visible + 1 hidden = 2 points; 7 in all). Every hostile submission in
//! tests/fixtures/hostile breaks 01_add in its own way and solves 02_double, so a correct grader
//! gives exactly 2 (or 7 when 01_add is actually right, or 0 with nothing submitted). One
//! autograde run (2 jobs) grades them all; the tests then read its results.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use trainlab_grader::autograde::{autograde, AutogradeOptions};
use trainlab_grader::catalog::{self, Exercise};
use trainlab_grader::grade::{GradeOptions, SubmissionGrade};
use trainlab_grader::sandbox::{Isolation, Verdict};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A target dir of its own beside the one cargo test uses (no lock contention), reused across runs.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let target = exe
        .ancestors()
        .nth(3)
        .expect("target/debug/deps/<test binary>")
        .to_path_buf();
    target.join("grader-fixtures")
}

fn options() -> GradeOptions {
    GradeOptions {
        target_dir: target_dir(),
        include_hidden: true,
        build_timeout: Duration::from_secs(600),
        scrub_pristine_hidden: false,
        isolation: Isolation::bubblewrap().expect(
            "the hostile tests need bubblewrap (apt-get install bubblewrap; scripts/setup.sh does)",
        ),
    }
}

fn mini() -> (PathBuf, Vec<Exercise>) {
    let pristine = fixtures().join("mini");
    let exercises = catalog::discover(&pristine).expect("fixture exercises");
    (pristine, exercises)
}

struct Run {
    grades: HashMap<String, SubmissionGrade>,
    out: tempfile::TempDir,
}

/// Grade every hostile submission once (plus a zipped copy of `correct`).
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let (pristine, exercises) = mini();
        let subs = tempfile::tempdir().expect("tempdir");
        trainlab_grader::stage::copy_tree(&fixtures().join("hostile"), subs.path()).expect("copy");
        // A zip, as `cargo make submit` writes it, of the correct submission.
        let zip_path = subs.path().join("zipped.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("zip"));
        let opts = zip::write::SimpleFileOptions::default();
        for (name, code) in [
            (
                "01_add/src/lib.rs",
                "pub fn add(a: i64, b: i64) -> i64 { a + b }",
            ),
            (
                "02_double/src/lib.rs",
                "pub fn double(x: i64) -> i64 { x + x }",
            ),
            (
                "01_add/tests/hidden.rs",
                "// a zip may carry anything: ignored",
            ),
        ] {
            zip.start_file(name, opts).expect("entry");
            zip.write_all(code.as_bytes()).expect("write");
        }
        zip.finish().expect("finish");
        let out = tempfile::tempdir().expect("tempdir");
        let work = tempfile::tempdir().expect("tempdir");
        let opts = AutogradeOptions {
            jobs: 2,
            out: out.path().to_path_buf(),
            work_root: work.path().to_path_buf(),
            grade: options(),
        };
        let done = autograde(&pristine, &exercises, subs.path(), &opts).expect("autograde");
        assert!(done.write_failures.is_empty(), "{:?}", done.write_failures);
        Run {
            grades: done.grades.into_iter().map(|g| (g.student.clone(), g)).collect(),
            out,
        }
    })
}

fn grade_of(student: &str) -> &'static SubmissionGrade {
    run()
        .grades
        .get(student)
        .unwrap_or_else(|| panic!("no grade for {student}"))
}

/// Score of exercise `dir` and the verdicts of its tests.
fn exercise(student: &str, dir: &str) -> (u32, Vec<Verdict>) {
    let ex = grade_of(student)
        .exercises
        .iter()
        .find(|e| e.exercise.dir_name == dir)
        .expect("exercise graded");
    (
        ex.score(),
        ex.tests.iter().map(|t| t.verdict.clone()).collect(),
    )
}

fn assert_score(student: &str, expected: u32) {
    let g = grade_of(student);
    assert_eq!(
        (g.score(), g.max_score()),
        (expected, 7),
        "{student}:\n{}",
        trainlab_grader::report::feedback(g)
    );
}

#[test]
fn correct_submission_gets_everything() {
    assert_score("correct", 7);
    assert_score("zipped", 7);
}

#[test]
fn infinite_loop_times_out_and_costs_that_exercise_only() {
    assert_score("infinite_loop", 2);
    let (_, verdicts) = exercise("infinite_loop", "01_add");
    assert!(
        verdicts.iter().all(|v| *v == Verdict::TimedOut),
        "{verdicts:?}"
    );
}

#[test]
fn panic_scores_zero_for_its_tests() {
    assert_score("panic", 2);
    let (_, verdicts) = exercise("panic", "01_add");
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Panicked),
        "{verdicts:?}"
    );
}

#[test]
fn stack_overflow_is_caught() {
    assert_score("stack_overflow", 2);
    let (_, verdicts) = exercise("stack_overflow", "01_add");
    assert!(
        verdicts.iter().all(|v| *v == Verdict::StackOverflow),
        "{verdicts:?}"
    );
}

#[test]
fn huge_allocation_hits_the_memory_limit() {
    assert_score("huge_alloc", 2);
    let (_, verdicts) = exercise("huge_alloc", "01_add");
    assert!(
        verdicts.iter().all(|v| *v == Verdict::OutOfMemory),
        "{verdicts:?}"
    );
}

#[test]
fn process_exit_zero_earns_nothing() {
    assert_score("exit_zero", 2);
    let (_, verdicts) = exercise("exit_zero", "01_add");
    assert!(
        verdicts.iter().all(|v| *v == Verdict::ExitedEarly(0)),
        "{verdicts:?}"
    );
}

#[test]
fn edited_or_deleted_tests_are_ignored() {
    // Its tests/visible.rs passes everything and it has no hidden.rs: the pristine tests run.
    assert_score("edited_tests", 2);
    let (_, verdicts) = exercise("edited_tests", "01_add");
    assert_eq!(verdicts.len(), 3);
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Panicked),
        "{verdicts:?}"
    );
}

#[test]
fn cargo_toml_pulling_in_the_reference_is_ignored() {
    // Its Cargo.toml adds the reference crate; the pristine one does not: the library cannot call it.
    assert_score("cargo_reference", 2);
    let ex = &grade_of("cargo_reference").exercises[0];
    let err = ex.compile_error.as_deref().expect("compile error");
    assert!(err.contains("mini_reference"), "{err}");
}

#[test]
fn printed_fake_results_earn_nothing() {
    assert_score("fake_output", 2);
}

#[test]
fn a_compile_error_costs_one_exercise() {
    assert_score("compile_error", 2);
    let g = grade_of("compile_error");
    assert!(g.exercises[0].compile_error.is_some());
    assert!(g.exercises[1].compile_error.is_none());
}

#[test]
fn self_written_results_json_is_overwritten() {
    assert_score("writes_results", 7);
    let path = run().out.path().join("writes_results/results.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("results.json")).expect("json");
    assert_eq!(json["score"], 7.0);
    assert_eq!(json["tests"].as_array().map(Vec::len), Some(5));
}

#[test]
fn reading_the_hidden_tests_gets_nothing() {
    // 01_add include_str!s tests/hidden.rs: caught (its library rebuilt when the tests appeared).
    // 02_double reads it at run time: the sources are gone by then, so it just computes.
    assert_score("reads_hidden", 2);
    let g = grade_of("reads_hidden");
    let err = g.exercises[0].compile_error.as_deref().unwrap_or_default();
    assert!(err.contains("reads them"), "{err}");
    for student in run().grades.keys() {
        let dir = run().out.path().join(student);
        for file in ["feedback.txt", "results.json"] {
            let text = std::fs::read_to_string(dir.join(file)).expect("written");
            assert!(
                !text.contains("HIDDEN-SECRET"),
                "{student}/{file} leaks a hidden test"
            );
        }
    }
}

#[test]
fn nothing_submitted_grades_the_stub() {
    assert_score("missing_files", 0);
    assert!(grade_of("missing_files")
        .notes
        .iter()
        .any(|n| n.contains("not in the submission")));
}

#[test]
fn gradebook_and_feedback_are_written() {
    let csv = std::fs::read_to_string(run().out.path().join("gradebook.csv")).expect("gradebook");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("student,01_add,02_double,total,max"));
    assert!(csv.lines().any(|l| l == "correct,5,2,7,7"), "{csv}");
    assert!(csv.lines().any(|l| l == "infinite_loop,0,2,2,7"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + run().grades.len());
    let fb =
        std::fs::read_to_string(run().out.path().join("panic/feedback.txt")).expect("feedback");
    assert!(fb.contains("I give up"), "visible failures show why:\n{fb}");
    assert!(
        fb.contains("p2_adds_large") && fb.contains("hidden test"),
        "{fb}"
    );
}

#[test]
fn validate_passes_solutions_and_flags_a_vacuous_test() {
    let (pristine, _) = mini();
    let copy = tempfile::tempdir().expect("tempdir");
    trainlab_grader::stage::copy_tree(&pristine, copy.path()).expect("copy");
    // the copy lives elsewhere: its workspace path to the harness must be absolute
    trainlab_grader::stage::absolutize_workspace_paths(&pristine, &copy.path().join("Cargo.toml"))
        .expect("absolute paths");
    let work = tempfile::tempdir().expect("tempdir");
    // As shipped: valid.
    let exercises = catalog::discover(copy.path()).expect("catalogue");
    let v = trainlab_grader::validate::validate(copy.path(), &exercises, work.path(), &options())
        .expect("validate");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    // A test that passes on the stub is vacuous.
    let visible = copy.path().join("02_double/tests/visible.rs");
    let mut text = std::fs::read_to_string(&visible).expect("read");
    text.push_str("\n#[test]\nfn p1_always() {\n    graded(|| ());\n}\n");
    std::fs::write(&visible, text).expect("write");
    let exercises = catalog::discover(copy.path()).expect("catalogue");
    let v = trainlab_grader::validate::validate(copy.path(), &exercises, work.path(), &options())
        .expect("validate");
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    assert!(
        v.problems[0].contains("p1_always is vacuous"),
        "{:?}",
        v.problems
    );
}

#[test]
fn release_strips_solutions_and_hidden_tests() {
    let (pristine, _) = mini();
    let out = tempfile::tempdir().expect("tempdir");
    trainlab_grader::release::release_exercises(&pristine, out.path()).expect("release");
    let lib = std::fs::read_to_string(out.path().join("01_add/src/lib.rs")).expect("lib");
    assert!(
        lib.contains("    todo!(\"add\")\n") && !lib.contains("    a + b\n"),
        "{lib}"
    );
    assert!(!out.path().join("01_add/tests/hidden.rs").exists());
    assert!(out.path().join("01_add/tests/visible.rs").exists());
}
