//! The grader against hostile submissions: each one's exact score.
//!
//! The pristine workspace is tests/fixtures/mini (01_add: 1 + 2 visible + 2 hidden = 5 points;
//! 02_double: 1 visible + 1 hidden = 2 points; 7 in all). Every hostile submission in
//! tests/fixtures/hostile breaks 01_add in its own way and solves 02_double, so a correct grader
//! gives exactly 2 (or 7 when 01_add is actually right, or 0 with nothing submitted). Some are
//! written at run time ([`generated`]): they name absolute paths of this checkout (the pristine
//! copy, the output folder). One autograde run (2 jobs, in the bubblewrap sandbox) grades them
//! all; the tests then read its results.

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
    /// Where the stand-in `kill` program records that it was called.
    kill_calls: PathBuf,
}

/// The argument by which a detached process of the `detached` submission can be found.
const DETACHED_MARK: &str = "trainlab-hostile-detached";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Hostile submissions that need this checkout's absolute paths, each solving 02_double.
fn generated(subs: &Path, pristine: &Path, out: &Path) {
    let double = "pub fn double(x: i64) -> i64 { 2 * x }";
    let add = "pub fn add(a: i64, b: i64) -> i64 { a + b }";
    let (p, o, s) = (pristine.display(), out.display(), subs.display());
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises/harness/src/lib.rs");
    let harness = harness.canonicalize().expect("the harness exists");
    let cases: Vec<(&str, String)> = vec![
        // The pristine hidden test by absolute path: would print it in a visible test's failure.
        (
            "include_hidden",
            format!(
                "const H: &str = include_str!(\"{p}/01_add/tests/hidden.rs\");\n\
                 pub fn add(_a: i64, _b: i64) -> i64 {{ panic!(\"{{H}}\") }}"
            ),
        ),
        // The instructor's solution compiled in by #[path].
        (
            "path_solution",
            format!("#[path = \"{p}/01_add/src/lib.rs\"]\nmod inner;\npub use inner::add;"),
        ),
        // A file the build may read (a path dependency's source): caught by the dep-info check.
        (
            "reads_build_input",
            format!(
                "pub const COPY: &str = include_str!(\"{}\");\n{add}",
                harness.display()
            ),
        ),
        // A process in its own group, outliving the test, then forging the gradebook.
        (
            "detached",
            format!(
                "use std::os::unix::process::CommandExt;\n\
                 pub fn add(a: i64, b: i64) -> i64 {{\n\
                 let script = \"sleep 3; for f in {o}/gradebook.csv {o}/*/results.json; do \
                 echo forged > $f; done; echo forged > {o}/forged\";\n\
                 let _ = std::process::Command::new(\"/bin/sh\").args([\"-c\", script, \"{DETACHED_MARK}\"])\
                 .process_group(0).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null())\
                 .stderr(std::process::Stdio::null()).spawn();\n\
                 a + b\n}}"
            ),
        ),
        // Other students' results and sources, by absolute path.
        (
            "writes_others",
            format!(
                "pub fn add(a: i64, b: i64) -> i64 {{\n\
                 let fake = r#\"{{\"score\": 999, \"tests\": []}}\"#;\n\
                 for f in [\"{o}/correct/results.json\", \"{o}/correct/feedback.txt\", \"{o}/gradebook.csv\"] {{\n\
                 let _ = std::fs::create_dir_all(\"{o}/correct\");\n\
                 let _ = std::fs::write(f, fake);\n}}\n\
                 let _ = std::fs::write(\"{s}/panic/01_add/src/lib.rs\", \"{add}\");\n\
                 a - b\n}}"
            ),
        ),
    ];
    for (name, lib) in cases {
        write(&subs.join(name).join("01_add/src/lib.rs"), &lib);
        write(&subs.join(name).join("02_double/src/lib.rs"), double);
    }
    // Over 1 MiB: that exercise gets the stub, in a folder as in a zip.
    let big = format!("{add}\n//{}\n", "x".repeat(1_100_000));
    write(&subs.join("oversized/01_add/src/lib.rs"), &big);
    write(&subs.join("oversized/02_double/src/lib.rs"), double);
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(subs.join("oversized_zip.zip")).expect("zip"));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, code) in [
        ("01_add/src/lib.rs", big.as_str()),
        ("02_double/src/lib.rs", double),
    ] {
        zip.start_file(name, opts).expect("entry");
        zip.write_all(code.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
}

/// Put a stand-in `kill` first on PATH that records each call: the grader must not need procps.
fn fake_kill(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let calls = dir.join("kill-calls");
    let kill = dir.join("kill");
    write(
        &kill,
        &format!("#!/bin/sh\necho \"$@\" >> {}\nexit 1\n", calls.display()),
    );
    std::fs::set_permissions(&kill, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![dir.to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    std::env::set_var("PATH", std::env::join_paths(dirs).expect("PATH"));
    calls
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
        generated(subs.path(), &pristine, out.path());
        let bin = tempfile::tempdir().expect("tempdir");
        let kill_calls = fake_kill(bin.path());
        let opts = AutogradeOptions {
            jobs: 2,
            out: out.path().to_path_buf(),
            work_root: work.path().to_path_buf(),
            grade: options(),
        };
        let done = autograde(&pristine, &exercises, subs.path(), &opts).expect("autograde");
        assert!(done.write_failures.is_empty(), "{:?}", done.write_failures);
        // Give a detached process time to act, had it survived its sandbox.
        std::thread::sleep(Duration::from_secs(5));
        let kill_calls_seen = kill_calls.clone();
        std::mem::forget(bin);
        Run {
            grades: done
                .grades
                .into_iter()
                .map(|g| (g.student.clone(), g))
                .collect(),
            out,
            kill_calls: kill_calls_seen,
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
    // Gradescope's documented fields.
    assert_eq!(json["output_format"], "text");
    assert!(json["execution_time"].is_u64(), "{json}");
    for t in json["tests"].as_array().expect("tests") {
        assert_eq!(t["status"], "passed", "{t}");
        assert!(["visible", "after_due_date"].contains(&t["visibility"].as_str().unwrap_or("")));
    }
    let failed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run().out.path().join("panic/results.json")).expect("json"),
    )
    .expect("valid json");
    let statuses: Vec<&str> = failed["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter_map(|t| t["status"].as_str())
        .collect();
    assert_eq!(statuses, ["failed", "failed", "failed", "passed", "passed"]);
}

#[test]
fn reading_the_hidden_tests_gets_nothing() {
    // 01_add include_str!s tests/hidden.rs: caught (its library rebuilt when the tests appeared).
    // 02_double reads it at run time: the sources are gone by then, so it just computes.
    assert_score("reads_hidden", 2);
    let g = grade_of("reads_hidden");
    let err = g.exercises[0].compile_error.as_deref().unwrap_or_default();
    // Caught twice over: rustc's dep-info names tests/hidden.rs (the placeholder it read), and
    // the library would rebuild when the real tests appear.
    assert!(
        err.contains("reads files outside its crate") || err.contains("reads them"),
        "{err}"
    );
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
fn rewritten_test_binaries_earn_nothing() {
    // Its code overwrites every test binary it can reach with a forged pass; they are read-only
    // copies outside the staged folder, each test in its own sandbox.
    assert_score("rewrites_binaries", 2);
    let (_, verdicts) = exercise("rewrites_binaries", "01_add");
    assert!(
        verdicts.iter().all(|v| *v == Verdict::Panicked),
        "{verdicts:?}"
    );
}

#[test]
fn the_pristine_copy_is_not_there_to_include() {
    // include_str! of the hidden test and #[path] of the solution, by absolute path: the build
    // sandbox has no pristine copy, so neither compiles; nothing of the hidden test leaks.
    for student in ["include_hidden", "path_solution"] {
        assert_score(student, 2);
        let err = grade_of(student).exercises[0]
            .compile_error
            .as_deref()
            .unwrap_or_default();
        assert!(!err.contains("HIDDEN-SECRET"), "{student}: {err}");
        assert!(!err.is_empty(), "{student} compiled");
    }
    for student in run().grades.keys() {
        for file in ["feedback.txt", "results.json"] {
            let text = std::fs::read_to_string(run().out.path().join(student).join(file))
                .expect("written");
            assert!(!text.contains("HIDDEN-SECRET"), "{student}/{file} leaks");
        }
    }
}

#[test]
fn a_library_reading_any_file_outside_its_crate_scores_zero() {
    // It includes a path dependency's source (readable to the build): rustc's dep-info names it.
    assert_score("reads_build_input", 2);
    let err = grade_of("reads_build_input").exercises[0]
        .compile_error
        .as_deref()
        .unwrap_or_default();
    assert!(
        err.contains("reads files outside its crate") && err.contains("harness"),
        "{err}"
    );
}

#[test]
fn a_detached_process_dies_with_its_sandbox() {
    // Its add is right; the process it detached (own process group) would forge the gradebook
    // and every results.json 3 s later. The PID namespace took it down with the test.
    assert_score("detached", 7);
    let out = run().out.path();
    assert!(!out.join("forged").exists());
    let csv = std::fs::read_to_string(out.join("gradebook.csv")).expect("gradebook");
    assert!(!csv.contains("forged"), "{csv}");
    assert!(csv.lines().any(|l| l == "detached,5,2,7,7"), "{csv}");
    let survivors: Vec<String> = std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(DETACHED_MARK) && !c.contains("cargo"))
        .collect();
    assert!(survivors.is_empty(), "still running: {survivors:?}");
}

#[test]
fn other_students_results_and_sources_are_out_of_reach() {
    assert_score("writes_others", 2);
    assert_score("correct", 7);
    assert_score("panic", 2);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run().out.path().join("correct/results.json")).expect("json"),
    )
    .expect("valid json");
    assert_eq!(json["score"], 7.0);
}

#[test]
fn an_oversized_file_costs_its_exercise_only_in_a_zip_as_in_a_folder() {
    for student in ["oversized", "oversized_zip"] {
        assert_score(student, 2);
        let notes = &grade_of(student).notes;
        assert!(
            notes.iter().any(|n| n.contains("larger than")),
            "{student}: {notes:?}"
        );
    }
}

#[test]
fn timeouts_need_no_kill_program() {
    // A stand-in `kill` first on PATH records every call: the grader kills by itself.
    assert_score("infinite_loop", 2);
    assert!(
        !run().kill_calls.exists(),
        "the grader ran `kill`: {}",
        std::fs::read_to_string(&run().kill_calls).unwrap_or_default()
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
