//! The student release: the repository's crates, the exercises with stubs, no solutions, no hidden tests.
//!
//! ```text
//! OUT/Cargo.toml, Cargo.lock      the root workspace (lesson crates, the grader for grade/hint/submit)
//! OUT/crates/*                    every .rs file of a lesson crate's src/ through markers::release:
//!                                 the reference bodies of the exercises (momentum, RMSProp, Adam,
//!                                 the four decays, k-fold, random search, the learning-curve
//!                                 detectors) become their STUB `todo!("exercise NN: ...")`
//!                                 (`release --check` proves it); the gen_exercise_*.py scripts that
//!                                 re-derive exercises' expected values left out; everything else
//!                                 as it is (no target/)
//! OUT/exercises/                  every file through markers::release; tests/hidden.rs left out;
//!                                 course.toml with each exercise's `hidden_points`
//! OUT/Makefile.toml               the student's tasks: grade [N], hint N, submit (`cargo make` lists them)
//! OUT/scripts/bootstrap.sh        installs the pinned cargo-make, then `cargo make TASK`
//! OUT/README.md                   what to do, the commands, how points work, the exercises
//! ```

use std::fmt::Write as _;
use std::path::Path;

use crate::catalog::{self, is_hidden_file, Exercise};
use crate::course::{self, Course};
use crate::error::{io, GraderError, Result};
use crate::grade::{grade_with, GradeOptions, Say};
use crate::markers;
use crate::stage::{copy_tree, Source};

/// The student's Makefile.toml.
pub const STUDENT_MAKEFILE: &str = r#"# The exercises of "Training Neural Networks" (see README.md). Each exercise's task, at the top
# of exercises/NN_*/src/lib.rs, names the one file you edit (src/lib.rs, or config.toml).
[config]
default_to_workspace = false
skip_core_tasks = true
skip_git_env_info = true
skip_rust_env_info = true
skip_crate_env_info = true

[tasks.default]
description = "Lists the tasks"
command = "cargo"
args = ["make", "--list-all-steps"]

[tasks.grade]
description = "Runs the visible tests: `cargo make grade` (every exercise, one line each) or `cargo make grade N` (exercise N: its failures and compile errors)"
command = "cargo"
args = ["run", "--quiet", "-p", "trainlab-grader", "--", "grade", "--exercises", "exercises", "${@}"]

[tasks.hint]
description = "Prints a hint for exercise N: `cargo make hint 1` (a second hint: `cargo make hint 1 2`)"
command = "cargo"
args = ["run", "--quiet", "-p", "trainlab-grader", "--", "hint", "--exercises", "exercises", "${@}"]

[tasks.submit]
description = "Writes submission.zip: exactly the files you may edit, nothing else"
command = "cargo"
args = ["run", "--quiet", "-p", "trainlab-grader", "--", "submit", "--exercises", "exercises", "--out", "submission.zip"]
"#;

/// The bootstrap script when the repository has none (the same as the course's).
const BOOTSTRAP: &str = r#"#!/usr/bin/env sh
# Installs the pinned cargo-make if it is missing (or another version), then runs
# `cargo make "$@"`. Needs only the Rust toolchain. Usage: scripts/bootstrap.sh grade
set -eu
CARGO_MAKE_VERSION=0.37.24
if ! cargo make --version 2>/dev/null | grep -q " $CARGO_MAKE_VERSION\$"; then
  echo "bootstrap: installing cargo-make $CARGO_MAKE_VERSION (about 5 minutes, once)" >&2
  cargo install --locked "cargo-make@$CARGO_MAKE_VERSION"
fi
exec cargo make "$@"
"#;

/// Write the student workspace for the repository at `repo` into `out` (replaced).
pub fn release(repo: &Path, out: &Path) -> Result<()> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(io(out))?;
    }
    std::fs::create_dir_all(out).map_err(io(out))?;
    for file in ["Cargo.toml", "Cargo.lock", "rust-toolchain.toml"] {
        let src = repo.join(file);
        if src.is_file() {
            std::fs::copy(&src, out.join(file)).map_err(io(&src))?;
        }
    }
    copy_tree(&repo.join("crates"), &out.join("crates"))?;
    remove_exercise_scripts(&out.join("crates"))?;
    for file in marked_crate_files(&repo.join("crates"))? {
        let rel = file.strip_prefix(repo).expect("found under repo/crates");
        let text = std::fs::read_to_string(&file).map_err(io(&file))?;
        let dst = out.join(rel);
        std::fs::write(&dst, released_text(&text, &file)?).map_err(io(&dst))?;
    }
    release_exercises(&repo.join("exercises"), &out.join("exercises"))?;
    let mk = out.join("Makefile.toml");
    std::fs::write(&mk, STUDENT_MAKEFILE).map_err(io(&mk))?;
    student_files(repo, out)
}

/// The release's bootstrap script, README and the hidden points in its course.toml.
fn student_files(repo: &Path, out: &Path) -> Result<()> {
    let scripts = out.join("scripts");
    std::fs::create_dir_all(&scripts).map_err(io(&scripts))?;
    let boot = scripts.join("bootstrap.sh");
    let text = std::fs::read_to_string(repo.join("scripts/bootstrap.sh"))
        .unwrap_or_else(|_| BOOTSTRAP.to_string());
    std::fs::write(&boot, text).map_err(io(&boot))?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&boot, std::fs::Permissions::from_mode(0o755))
            .map_err(io(&boot))?;
    }
    // The instructor's catalogue knows the hidden tests; the release does not have them.
    let exercises = catalog::discover(&repo.join("exercises"))?;
    let course = Course::load(&repo.join("exercises"))?;
    if course.is_some() {
        let released = out.join("exercises").join(course::FILE);
        let text = std::fs::read_to_string(&released).map_err(io(&released))?;
        let hidden: Vec<u32> = exercises.iter().map(Exercise::hidden_points).collect();
        let text = with_hidden_points(&text, &hidden);
        Course::parse(&text, &released)?;
        std::fs::write(&released, text).map_err(io(&released))?;
    }
    let readme = out.join("README.md");
    std::fs::write(&readme, student_readme(&exercises)).map_err(io(&readme))
}

/// `text` (a course.toml) with `hidden_points = N` under the Nth `[[exercise]]` header.
fn with_hidden_points(text: &str, hidden: &[u32]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut n = 0;
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if line.trim() == "[[exercise]]" {
            if !line.ends_with('\n') {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "hidden_points = {}",
                hidden.get(n).copied().unwrap_or(0)
            );
            n += 1;
        }
    }
    out
}

/// The release's README: what to do, the commands, how points work, the exercises.
pub fn student_readme(exercises: &[Exercise]) -> String {
    let (visible, hidden) = catalog::totals(exercises);
    let mut list = String::from(
        "| # | exercise | the file you edit | points: visible + hidden |\n|---|---|---|---|\n",
    );
    for ex in exercises {
        let h = ex.hidden_points();
        let files = ex
            .editable
            .iter()
            .map(|f| format!("[`{f}`](exercises/{}/{f})", ex.dir_name))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            list,
            "| {:02} | {} | {files} | {} + {h} |",
            ex.number,
            ex.title,
            ex.max_points() - h
        );
    }
    let first = exercises.first().map_or(1, |e| e.number);
    format!(
        r#"# Training Neural Networks: the exercises

You write the pieces of a neural-network trainer the lecture derives (optimizers, learning-rate
schedules, cross-validation, search, reading learning curves) in Rust. Each exercise is a crate in
`exercises/NN_name/`; its task is written at the top of its `src/lib.rs`, with the formula, what
to implement and the one file you edit. Your code plugs into the course's trainer (`crates/`),
so the tests check it the way the trainer uses it.

## Start (two commands)

You need the Rust toolchain (`rustup`, stable). Then, in this folder:

```sh
scripts/bootstrap.sh grade       # once: installs cargo-make (about 5 minutes), builds (a few minutes), grades every exercise
cargo make grade {first}             # exercise {first:02}: its failing tests and compile errors
```

## The loop

1. Read the task at the top of `exercises/NN_name/src/lib.rs`.
2. Replace each `todo!(...)` with your code. Edit only the file the task names: when your
   work is graded, every other file is replaced by the original.
3. `cargo make grade N` until every test of exercise N passes; `cargo make hint N` (then
   `cargo make hint N 2`, ...) when you are stuck.
4. `cargo make submit` writes `submission.zip` (exactly the files you may edit): hand it in.

| command | what it does |
|---|---|
| `cargo make` | lists the tasks |
| `cargo make grade` | every exercise in one line: tests passed, visible points, "not started", "does not compile"; the total |
| `cargo make grade N` | exercise N only: each test, each failure's message, the compiler's errors |
| `cargo make hint N [LEVEL]` | the exercise's hints, one at a time |
| `cargo make submit` | `submission.zip` with the files you edited |

## Points

A test named `p3_...` is worth 3 points; a test without a `pN_` prefix is worth 1.
`cargo make grade` runs the visible tests (`tests/visible.rs` of each exercise): {visible}
points. Hidden tests, which check the same task on cases you do not see, are worth {hidden} more
points and run only when your submission is graded: the assignment is out of {total}. Passing
the visible tests is a good sign, not a guarantee: solve the task as stated, not the tests. A
test that does not finish within its time limit, or code that does not compile, scores 0 for
that exercise only.

## The course's code in `crates/`

`crates/` is the course's library: data, the trainer, learning-rate schedules, cross-validation,
diagnosis. What the exercises ask you to write is not in it: there, the course's momentum,
RMSProp and Adam, the four decays, k-fold, random search and the learning-curve verdicts stop
with `todo!("exercise NN: ...")`, and yours live in `exercises/`. Everything else works as in the
lecture: plain SGD, the other schedules (cosine, warmup, one-cycle, ...) and the trainer, which
exercise 08 trains with (so use `kind = "sgd"` there).

## The exercises

{list}"#,
        total = visible + hidden
    )
}

/// The files of `crates` (the repository's crates/) that carry solution markers: the `.rs` files
/// under each crate's `src/`. The grader's own sources and test fixtures (which hold markers as
/// examples and test data) are not among them.
pub fn marked_crate_files(crates: &Path) -> Result<Vec<std::path::PathBuf>> {
    fn walk(dir: &Path, found: &mut Vec<std::path::PathBuf>) -> Result<()> {
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let path = entry.map_err(io(dir))?.path();
            if path.is_dir() {
                walk(&path, found)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).map_err(io(&path))?;
                if markers::has_markers(&text) {
                    found.push(path);
                }
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(crates).map_err(io(crates))? {
        let krate = entry.map_err(io(crates))?.path();
        let src = krate.join("src");
        if krate.file_name().is_some_and(|n| n != "grader") && src.is_dir() {
            walk(&src, &mut found)?;
        }
    }
    found.sort();
    Ok(found)
}

/// The lines of `src`'s solution blocks worth looking for elsewhere: trimmed, at least 12
/// characters, not a comment, and not a line the block's own stub writes too (a stub may keep
/// the signature or the imports it replaces).
pub fn solution_lines(src: &str) -> Vec<String> {
    let mut inside = false;
    let (mut lines, mut stub) = (Vec::new(), Vec::new());
    for line in src.lines() {
        let t = line.trim();
        let body = t.trim_start_matches(['/', '#']).trim();
        match body {
            "BEGIN SOLUTION" => inside = true,
            "END SOLUTION" => inside = false,
            _ if inside && body.starts_with("STUB:") => {
                stub.push(body["STUB:".len()..].trim().to_string());
            }
            _ if inside && t.len() >= 12 && !t.starts_with("//") => lines.push(t.to_string()),
            _ => {}
        }
    }
    lines.retain(|l| !stub.contains(l));
    lines
}

/// Check the release in `out` of the repository `repo`, one problem per line (none: sound):
///
/// ```text
/// every marked lesson file (crates/*/src)   released with its stubs, no line of its solution blocks
/// the release's root workspace              `cargo check --workspace` passes without a warning
/// the release's exercises, as released      every visible test fails (the stubs, on the stubbed lessons)
/// ... with the instructor's solutions       every visible test passes: no test needs a reference
///                                           implementation the release no longer has
/// ```
/// The grading builds the released lesson crates, so a release that does not build is a problem too.
pub fn check_release(
    repo: &Path,
    out: &Path,
    work: &Path,
    opts: &GradeOptions,
    say: Say<'_>,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for file in marked_crate_files(&repo.join("crates"))? {
        let rel = file.strip_prefix(repo).expect("found under repo/crates");
        let released_path = out.join(rel);
        let released = std::fs::read_to_string(&released_path).map_err(io(&released_path))?;
        let original = std::fs::read_to_string(&file).map_err(io(&file))?;
        if !released.contains("todo!(\"exercise ") {
            problems.push(format!(
                "{}: no `todo!(\"exercise NN: ...\")` stub",
                rel.display()
            ));
        }
        for line in solution_lines(&original) {
            if released.lines().any(|l| l.trim() == line) {
                problems.push(format!("{}: the release still has `{line}`", rel.display()));
            }
        }
    }
    say("cargo check --workspace of the release ...".to_string());
    problems.extend(check_builds(out, &opts.target_dir)?);
    let released = out.join("exercises");
    let exercises = catalog::discover(&released)?;
    let opts = GradeOptions {
        include_hidden: false,
        ..opts.clone()
    };
    let grade = |who: &str, source: Source<'_>| {
        let dir = work.join(who);
        let _ = std::fs::remove_dir_all(&dir);
        let g = grade_with(who, &released, &exercises, source, &dir, &opts, &|line| {
            say(format!("{who}: {line}"))
        });
        let _ = std::fs::remove_dir_all(&dir);
        g
    };
    let stubs = grade("stubs", Source::AsIs)?;
    let solved = grade("solutions", Source::Submission(&repo.join("exercises")))?;
    for (stub, sol) in stubs.exercises.iter().zip(&solved.exercises) {
        let name = &sol.exercise.dir_name;
        if let Some(err) = &sol.compile_error {
            problems.push(format!(
                "{name}: the solution does not compile in the release:\n{err}"
            ));
        }
        for t in sol.tests.iter().filter(|t| !t.verdict.passed()) {
            problems.push(format!(
                "{name}::{} fails on the solution in the release (does it call a reference the \
                 release stubs?): {}\n{}",
                t.case.name,
                t.verdict.reason(),
                crate::cargo::tail(&t.output, 20)
            ));
        }
        for t in stub.tests.iter().filter(|t| t.verdict.passed()) {
            problems.push(format!(
                "{name}::{} passes on the released stub",
                t.case.name
            ));
        }
    }
    Ok(problems)
}

/// Whether `path` is a script that re-derives an exercise's expected values
/// (`gen_exercise_*.py`): it holds the exercise's rule in another language, so the release
/// leaves it out.
pub fn is_exercise_script(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("gen_exercise_") && n.ends_with(".py"))
}

/// Delete every [`is_exercise_script`] file under `dir`.
fn remove_exercise_scripts(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_dir() {
            remove_exercise_scripts(&path)?;
        } else if is_exercise_script(&path) {
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// `cargo check --workspace` of the release in `out`: its errors and warnings, one problem each
/// (a student would see them at their first build).
fn check_builds(out: &Path, target_dir: &Path) -> Result<Vec<String>> {
    let manifest = out.join("Cargo.toml");
    let run = std::process::Command::new("cargo")
        .args([
            "check",
            "--workspace",
            "--offline",
            "--message-format",
            "short",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(io(&manifest))?;
    let stderr = String::from_utf8_lossy(&run.stderr);
    let mut problems: Vec<String> = stderr
        .lines()
        .filter(|l| l.contains(": warning: ") || l.contains(": error"))
        .map(|l| format!("the release's `cargo check --workspace`: {l}"))
        .collect();
    if !run.status.success() && problems.is_empty() {
        problems.push(format!(
            "the release's `cargo check --workspace` failed:\n{}",
            crate::cargo::tail(&stderr, 20)
        ));
    }
    Ok(problems)
}

/// `text` (the file at `path`) through the markers; an error if a marker survived.
fn released_text(text: &str, path: &Path) -> Result<String> {
    let released = markers::release(text, path)?;
    if released.contains("BEGIN SOLUTION") || released.contains("BEGIN HIDDEN") {
        return Err(GraderError::Marker {
            path: path.to_path_buf(),
            line: 0,
            message: "a marker survived the release (indented in a string?)".into(),
        });
    }
    Ok(released)
}

/// Copy the exercises workspace through the markers, leaving out hidden test files.
pub fn release_exercises(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        let ft = entry.file_type().map_err(io(&src))?;
        if ft.is_dir() {
            release_exercises(&src, &dst)?;
        } else if ft.is_file() {
            let in_tests = src
                .parent()
                .and_then(|p| p.file_name())
                .is_some_and(|n| n == "tests");
            if in_tests && is_hidden_file(&src) {
                continue;
            }
            let is_text = src
                .extension()
                .is_some_and(|e| e == "rs" || e == "toml" || e == "md");
            if is_text {
                let text = std::fs::read_to_string(&src).map_err(io(&src))?;
                std::fs::write(&dst, released_text(&text, &src)?).map_err(io(&dst))?;
            } else {
                std::fs::copy(&src, &dst).map_err(io(&src))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_points_go_under_each_entry() {
        let text = "# c\n[[exercise]]\nslug = \"a\"\ntitle = \"A\"\n\n[[exercise]]\nslug = \"b\"\ntitle = \"B\"";
        let out = with_hidden_points(text, &[4, 0]);
        assert_eq!(
            out,
            "# c\n[[exercise]]\nhidden_points = 4\nslug = \"a\"\ntitle = \"A\"\n\n[[exercise]]\nhidden_points = 0\nslug = \"b\"\ntitle = \"B\""
        );
        let c = Course::parse(&out, Path::new("course.toml")).unwrap();
        assert_eq!(c.exercises[0].hidden_points, Some(4));
    }

    #[test]
    fn solution_lines_are_the_long_code_lines_of_solution_blocks() {
        let src =
            "fn f() -> u32 {\n    // BEGIN SOLUTION\n    let x = the_answer_is(42);\n    x\n    \
                   // a comment, long enough\n    let kept_by_the_stub = 0;\n    \
                   // STUB: let kept_by_the_stub = 0;\n    // STUB: todo!(\"exercise 01: f\")\n    \
                   // END SOLUTION\n}\nlet outside_the_block = 1;\n";
        assert_eq!(solution_lines(src), ["let x = the_answer_is(42);"]);
    }

    #[test]
    fn the_student_makefile_has_the_tasks_its_readme_names() {
        let doc: toml::Table = STUDENT_MAKEFILE.parse().unwrap();
        let tasks = doc["tasks"].as_table().unwrap();
        for t in ["default", "grade", "hint", "submit"] {
            assert!(tasks.contains_key(t), "{t}");
        }
        assert!(!STUDENT_MAKEFILE.contains("Work in exercises/NN_*/src/lib.rs."));
    }
}
