//! The README's instructor's guide, step by step, on a small course: a new exercise scaffolded
//! between two others, rejected while unedited, written, validated, released, and a class of
//! three graded, each with its exact score.
//!
//! The course is a copy of tests/fixtures/mini (01_add: 5 points, 02_double: 2 points, no lesson
//! crate: it builds in seconds) with a course.toml, a README and a notebook source. The new
//! exercise, `triple`, goes after 01: 02_double becomes 03_double. Its tests: p2 visible, p1
//! hidden (3 points), so the class total is 10 = 6 visible + 4 hidden.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use trainlab_grader::autograde::{autograde, AutogradeOptions};
use trainlab_grader::grade::{grade, GradeOptions};
use trainlab_grader::sandbox::Isolation;
use trainlab_grader::stage::Source;
use trainlab_grader::{catalog, hints, release, scaffold, student, sync, validate};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A target dir of its own (not the hostile tests': their builds must not overwrite ours).
fn options() -> GradeOptions {
    let exe = std::env::current_exe().expect("test binary path");
    let target = exe
        .ancestors()
        .nth(3)
        .expect("target/debug/deps/<test binary>");
    GradeOptions {
        target_dir: target.join("grader-authoring"),
        include_hidden: true,
        build_timeout: Duration::from_secs(600),
        scrub_pristine_hidden: false,
        isolation: Isolation::bubblewrap().expect(
            "the authoring test grades in the sandbox, as autograde does: it needs bubblewrap \
             (apt-get install bubblewrap; scripts/setup.sh does)",
        ),
    }
}

fn read(p: impl AsRef<Path>) -> String {
    let p = p.as_ref();
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn write(p: impl AsRef<Path>, text: &str) {
    let p = p.as_ref();
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
}

const COURSE: &str = r#"# the course
[[exercise]]
slug = "add"
title = "Add"
lesson = "mini-reference"
notebook = "01-intro"
summary = "add two numbers"
hints = ["use +"]

[[exercise]]
slug = "double"
title = "Double"
lesson = "mini-reference"
notebook = "01-intro"
summary = "double a number"
hints = ["use *"]
"#;

/// The repository around the course: exercises/, an empty crates/, a README with the
/// generated list, a notebook source with a pointer paragraph.
fn course_repo(root: &Path) -> PathBuf {
    let mini = fixtures().join("mini");
    let ex = root.join("exercises");
    trainlab_grader::stage::copy_tree(&mini, &ex).expect("copy mini");
    trainlab_grader::stage::absolutize_workspace_paths(&mini, &ex.join("Cargo.toml"))
        .expect("absolute paths");
    // exercises found by pattern, so renumbering needs no edit of the members
    let manifest = read(ex.join("Cargo.toml")).replace(
        "members = [\"reference\", \"01_add\", \"02_double\"]",
        "members = [\"reference\", \"[0-9][0-9]_*\"]",
    );
    write(ex.join("Cargo.toml"), &manifest);
    write(ex.join("course.toml"), COURSE);
    std::fs::create_dir_all(root.join("crates")).expect("crates");
    write(
        root.join("README.md"),
        "# course\n\n<!-- exercises:begin -->\n<!-- exercises:end -->\n\nmore\n",
    );
    write(
        root.join("notebooks/source/01-intro.txt"),
        "## %% md\n# Intro\n\nExercise: [`exercises/01_add`](../exercises/01_add) asks\nyou to add.\n\n## %% code\nlet x = 1;\n",
    );
    sync::sync(&ex, true).expect("first sync");
    ex
}

const TRIPLE_LIB: &str = r#"//! # Exercise 02: Triple
//!
//! Return three times `x` (no overflow for |x| < 2^60).
//!
//! Edit only this file.

/// 3 * x
pub fn triple(x: i64) -> i64 {
    // BEGIN SOLUTION
    3 * x
    // STUB: let _ = x;
    // STUB: todo!("triple")
    // END SOLUTION
}
"#;

#[test]
fn the_instructors_loop_end_to_end() {
    let start = Instant::now();
    let root = tempfile::tempdir().expect("tempdir");
    let ex = course_repo(root.path());
    let opts = options();

    // Step 2: scaffold `triple` after exercise 1.
    let spec = scaffold::Spec {
        name: "triple".into(),
        after: Some("1".into()),
        ..Default::default()
    };
    let created = scaffold::new_exercise(&ex, &spec).expect("new-exercise");
    assert_eq!(
        (created.number, created.dir.clone()),
        (2, ex.join("02_triple"))
    );
    assert!(ex.join("03_double").is_dir() && !ex.join("02_double").exists());
    let cargo = read(ex.join("02_triple/Cargo.toml"));
    assert!(cargo.contains("name = \"ex02-triple\""), "{cargo}");
    assert!(cargo.contains("title = \"Triple\""), "{cargo}");
    assert!(
        cargo.contains("[dev-dependencies]\ntrainlab-exercise-harness.workspace = true\nmini-reference.workspace = true\n"),
        "the lesson's dev-dependency: {cargo}"
    );
    let lib = read(ex.join("02_triple/src/lib.rs"));
    assert!(lib.starts_with("//! # Exercise 02: Triple\n"), "{lib}");
    assert!(lib.contains("//! Edit only this file. `cargo make grade 2` runs its visible tests; `cargo make hint 2` gives a hint.\n"), "{lib}");
    let readme = read(root.path().join("README.md"));
    assert!(
        readme.contains("| 02 | [Triple](exercises/02_triple) | mini-reference | [01-intro](notebooks/01-intro.ipynb) | 1 + 1 |")
            && readme.contains("| 03 | [Double](exercises/03_double)"),
        "{readme}"
    );
    let notebook = read(root.path().join("notebooks/source/01-intro.txt"));
    assert!(
        notebook.contains(
            "- **Exercise 02: Triple** ([`exercises/02_triple`](../exercises/02_triple))"
        ) && notebook.contains(
            "(../exercises/03_double)): double a number. `cargo make grade 3` checks it."
        ),
        "{notebook}"
    );
    // A second one with the same name is refused; so is a duplicate slug in the manifest.
    let again = scaffold::new_exercise(&ex, &spec).unwrap_err().to_string();
    assert!(again.contains("already exists (02_triple)"), "{again}");

    // The scaffold compiles, its solution passes and its stub fails (1 visible + 1 hidden point).
    let exercises = catalog::discover(&ex).expect("catalogue");
    let scaffolded = &exercises[1..2];
    for (source, expected) in [(Source::AsIs, 2), (Source::Stub, 0)] {
        let work = root.path().join("w-scaffold");
        let g = grade("scaffold", &ex, scaffolded, source, &work, &opts).expect("grade scaffold");
        let _ = std::fs::remove_dir_all(&work);
        let e = &g.exercises[0];
        assert!(e.compile_error.is_none(), "{:?}", e.compile_error);
        assert_eq!((e.score(), e.max_score()), (expected, 2), "{source:?}");
    }

    // Step 4 on the unedited scaffold: rejected before any build, naming the placeholders.
    let quick = Instant::now();
    let v =
        validate::validate(&ex, &exercises, &root.path().join("work"), &opts).expect("validate");
    assert!(
        quick.elapsed() < Duration::from_secs(5),
        "no build for an unedited scaffold"
    );
    assert!(
        v.problems
            .iter()
            .any(|p| p.contains("02_triple/src/lib.rs") && p.contains("TODO (instructor)"))
            && v.problems
                .iter()
                .any(|p| p.contains("course.toml") && p.contains("TODO (instructor)")),
        "{:#?}",
        v.problems
    );

    // Step 3: write it (task, solution, tests, summary, hints), and regenerate.
    write(ex.join("02_triple/src/lib.rs"), TRIPLE_LIB);
    let test = |name: &str, points: u32, x: i64| {
        format!(
            "use trainlab_exercise_harness::graded;\n\n#[test]\nfn p{points}_{name}() {{\n    graded(|| assert_eq!(ex02_triple::triple({x}), 3 * {x}));\n}}\n"
        )
    };
    write(
        ex.join("02_triple/tests/visible.rs"),
        &test("triples_small", 2, 7),
    );
    write(
        ex.join("02_triple/tests/hidden.rs"),
        &test("triples_negative", 1, -5),
    );
    let manifest = read(ex.join("course.toml"));
    let at = manifest
        .find("summary = \"TODO")
        .expect("scaffold's summary");
    let end = manifest[at..]
        .find("\n\n")
        .map_or(manifest.len(), |e| at + e + 1);
    let manifest = format!(
        "{}summary = \"triple a number\"\npoints = 3\nhints = [\"3 * x\"]\n{}",
        &manifest[..at],
        &manifest[end..]
    );
    write(ex.join("course.toml"), &manifest);
    let stale = sync::sync(&ex, false).expect("check");
    assert!(
        stale
            .iter()
            .any(|c| c.path.ends_with("02_triple/src/lib.rs")),
        "the hand-written heading lost its Edit-only line: {stale:?}"
    );
    sync::sync(&ex, true).expect("sync");
    assert!(sync::sync(&ex, false).expect("check").is_empty());

    // Step 4: valid; the class total.
    let exercises = catalog::discover(&ex).expect("catalogue");
    let v =
        validate::validate(&ex, &exercises, &root.path().join("work"), &opts).expect("validate");
    assert!(v.problems.is_empty(), "{:#?}", v.problems);
    assert!(
        v.summary
            .contains("class total: 6 visible + 4 hidden = 10 points in 3 exercises"),
        "{}",
        v.summary
    );

    // A notebook that does not exist is named (before any build).
    let typo = read(ex.join("course.toml")).replacen(
        "notebook = \"01-intro\"",
        "notebook = \"01-intr\"",
        1,
    );
    write(ex.join("course.toml"), &typo);
    let problems = validate::authoring_problems(&ex, &exercises).expect("authoring checks");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("no notebooks/source/01-intr.txt")),
        "{problems:#?}"
    );
    write(
        ex.join("course.toml"),
        &typo.replacen("01-intr\"", "01-intro\"", 1),
    );

    // Step 6: the release a student starts from.
    let out = root.path().join("dist/student");
    release::release(root.path(), &out).expect("release");
    let readme = read(out.join("README.md"));
    for needle in [
        "scripts/bootstrap.sh grade",
        "cargo make grade 1",
        "Hidden tests",
        "worth 4 more",
        "out of 10",
        "without a `pN_` prefix is worth 1",
        "| 02 | Triple | [`src/lib.rs`](exercises/02_triple/src/lib.rs) | 2 + 1 |",
    ] {
        assert!(readme.contains(needle), "{needle:?} in\n{readme}");
    }
    let boot = out.join("scripts/bootstrap.sh");
    use std::os::unix::fs::PermissionsExt;
    assert!(boot.metadata().expect("bootstrap").permissions().mode() & 0o111 != 0);
    assert!(!out.join("exercises/02_triple/tests/hidden.rs").exists());
    let released_lib = read(out.join("exercises/02_triple/src/lib.rs"));
    assert!(
        released_lib.contains("    todo!(\"triple\")\n") && !released_lib.contains("    3 * x\n"),
        "{released_lib}"
    );
    // Only commands the release has.
    let tasks = student_tasks();
    for file in [
        out.join("README.md"),
        out.join("exercises/02_triple/src/lib.rs"),
    ] {
        for cmd in cargo_make_commands(&read(&file)) {
            assert!(
                tasks.contains(&cmd),
                "`cargo make {cmd}` in {}: not a task of the release",
                file.display()
            );
        }
    }
    // The student's side: a hint, and `grade 2` on the stub says what is missing.
    let (hint, n) = hints::hint(&out.join("exercises"), "2", 1).expect("hint");
    assert_eq!((hint.as_str(), n), ("3 * x", 1));
    let student_ex = out.join("exercises");
    let released = catalog::discover(&student_ex).expect("released catalogue");
    let course = trainlab_grader::course::Course::load(&student_ex).expect("course");
    let hidden = student::hidden_points(&released, course.as_ref());
    assert_eq!(hidden, [2, 1, 1], "hidden points survive the release");
    let mine = GradeOptions {
        include_hidden: false,
        ..opts.clone()
    };
    let g = grade(
        "you",
        &student_ex,
        &released,
        Source::AsIs,
        &root.path().join("w2"),
        &mine,
    )
    .expect("student grade");
    let overview = student::overview(&g, &hidden);
    eprintln!("{overview}");
    assert!(
        overview.contains("02_triple Triple         0/1      0/2  not started\n")
            && overview.contains("visible tests: 0 / 6 points. Hidden tests worth 4 more points")
            && overview.contains("out of 10")
            && overview.contains("next: `cargo make grade 1`"),
        "{overview}"
    );
    let details = student::details(&g.exercises[1], hidden[1]);
    eprintln!("{details}");
    assert!(
        details.contains(
            "02_triple Triple: 0 / 2 visible points (hidden tests: 1 more points when graded)"
        ) && details.contains("[FAIL] p2_triples_small (0/2)")
            && details.contains("not yet implemented"),
        "{details}"
    );

    // Step 7: a class of three.
    let subs = root.path().join("submissions");
    let add = "pub fn add(a: i64, b: i64) -> i64 { a + b }";
    let double = "pub fn double(x: i64) -> i64 { x + x }";
    let triple = "pub fn triple(x: i64) -> i64 { x * 3 }";
    for (who, files) in [
        (
            "ada",
            vec![
                ("01_add", add),
                ("02_triple", triple),
                ("03_double", double),
            ],
        ),
        ("bob", vec![("02_triple", triple)]),
        (
            "cy",
            vec![
                ("01_add", add),
                ("02_triple", "pub fn triple(x: i64) -> i64 { x * }"),
            ],
        ),
    ] {
        for (dir, code) in files {
            write(subs.join(who).join(dir).join("src/lib.rs"), code);
        }
    }
    let grades_dir = root.path().join("grades");
    let aopts = AutogradeOptions {
        jobs: 2,
        out: grades_dir.clone(),
        work_root: root.path().join("work-autograde"),
        grade: opts.clone(),
    };
    let done = autograde(&ex, &exercises, &subs, &aopts).expect("autograde");
    assert!(done.write_failures.is_empty(), "{:?}", done.write_failures);
    let grades = done.grades;
    let scores: Vec<(String, u32, u32)> = grades
        .iter()
        .map(|g| (g.student.clone(), g.score(), g.max_score()))
        .collect();
    assert_eq!(
        scores,
        [
            ("ada".to_string(), 10, 10),
            ("bob".to_string(), 3, 10),
            ("cy".to_string(), 5, 10)
        ]
    );
    let book = read(grades_dir.join("gradebook.csv"));
    assert!(
        book.starts_with("student,01_add,02_triple,03_double,total,max\n"),
        "{book}"
    );
    let cy = grades.iter().find(|g| g.student == "cy").expect("cy");
    let shown = student::details(&cy.exercises[1], 1);
    assert!(
        shown.contains("your code does not compile") && shown.contains("error"),
        "a student sees the compiler's errors: {shown}"
    );
    eprintln!(
        "the instructor's loop (scaffold, validate, release, student grade, a class of 3) took {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

/// The tasks of the release's Makefile.toml.
fn student_tasks() -> Vec<String> {
    let doc: toml::Table = release::STUDENT_MAKEFILE.parse().expect("student Makefile");
    doc["tasks"]
        .as_table()
        .expect("[tasks]")
        .keys()
        .cloned()
        .collect()
}

/// Every `cargo make TASK` in a text.
fn cargo_make_commands(text: &str) -> Vec<String> {
    text.match_indices("cargo make ")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            let task: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            (!task.is_empty()).then_some(task)
        })
        .collect()
}

#[test]
fn the_course_only_mentions_commands_a_student_release_has() {
    // What the real exercises tell students (their released text) names only the release's tasks.
    let tasks = student_tasks();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises");
    let exercises = catalog::discover(&root).expect("the course's exercises");
    assert!(exercises.len() >= 8);
    for ex in &exercises {
        let dir = root.join(&ex.dir_name);
        for rel in ["src/lib.rs", "tests/visible.rs"]
            .iter()
            .map(|r| r.to_string())
            .chain(ex.editable.iter().cloned())
        {
            let path = dir.join(&rel);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let text = trainlab_grader::markers::release(&text, &path).expect("markers");
            for cmd in cargo_make_commands(&text) {
                assert!(
                    tasks.contains(&cmd),
                    "`cargo make {cmd}` in {}: the student release has no such task",
                    path.display()
                );
            }
        }
    }
    let readme = release::student_readme(&exercises);
    for cmd in cargo_make_commands(&readme) {
        assert!(
            tasks.contains(&cmd),
            "`cargo make {cmd}` in the release README"
        );
    }
}

#[test]
fn the_guide_names_every_step_this_test_takes() {
    let readme = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"));
    // words, not line breaks: the guide may be reflowed
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let guide = words(&readme[readme.find("## Instructor's guide").expect("the guide")..]);
    for step in [
        "cargo make new-exercise nesterov --after 1",
        "TODO (instructor)",
        "cargo make validate",
        "cargo make sync-exercises",
        "cargo make notebooks-build",
        "cargo make release",
        "scripts/bootstrap.sh grade",
        "cargo make grade N",
        "cargo make autograde DIR",
        "cargo make gradescope",
        "class total",
        "crates/grader/tests/authoring.rs",
        "a test without a `pN_` prefix 1",
    ] {
        assert!(
            guide.contains(&words(step)),
            "the instructor's guide does not mention {step:?}"
        );
    }
}
