//! `validate`: every solution passes every test, and every released stub fails every test.
//!
//! ```text
//! solutions (the instructor's files as they are)   visible + hidden: all must pass
//! stubs (each editable file through the release)   visible + hidden: all must fail
//!                                                  (a test that passes on a stub is vacuous)
//! every editable file has a solution block          (or the release would ship the solution)
//! no `TODO (instructor)` left from the scaffold       (checked first: no build for an unedited one)
//! course.toml: generated parts up to date            (directories, headings, README, notebooks)
//!              an entry's `points` = its tests' sum   (when given)
//! ```
//! (Like rustlings' `dev check`: stubs expected to fail, solutions expected to pass.)

use std::fmt::Write as _;
use std::path::Path;

use crate::catalog::Exercise;
use crate::course::Course;
use crate::error::{io, Result};
use crate::grade::{grade_with, GradeOptions, Say, SubmissionGrade};
use crate::markers;
use crate::stage::Source;

/// What `validate` found.
#[derive(Clone, Debug, Default)]
pub struct Validation {
    /// Every problem, one line each; empty means valid.
    pub problems: Vec<String>,
    /// A summary table.
    pub summary: String,
}

/// Validate the exercises workspace `pristine` (staging copies under `work`).
pub fn validate(
    pristine: &Path,
    exercises: &[Exercise],
    work: &Path,
    opts: &GradeOptions,
) -> Result<Validation> {
    validate_with(pristine, exercises, work, opts, &|_| {})
}

/// The checks that need no build: scaffold placeholders, the manifest's generated parts and
/// declared points. One line per problem.
pub fn authoring_problems(pristine: &Path, exercises: &[Exercise]) -> Result<Vec<String>> {
    let dirs: Vec<String> = exercises.iter().map(|e| e.dir_name.clone()).collect();
    let mut problems = crate::scaffold::placeholders(pristine, &dirs);
    let Some(course) = Course::load(pristine)? else {
        return Ok(problems);
    };
    for c in crate::sync::sync(pristine, false)? {
        problems.push(format!(
            "{}: out of date ({}): run `cargo make sync-exercises`",
            c.path.display(),
            c.what
        ));
    }
    let sources = pristine.join("..").join("notebooks").join("source");
    for (i, entry) in course.exercises.iter().enumerate() {
        let Some(nb) = &entry.notebook else { continue };
        if sources.is_dir() && !sources.join(format!("{nb}.txt")).is_file() {
            problems.push(format!(
                "{}: exercise {} ({}) points at notebook {nb:?}, but there is no notebooks/source/{nb}.txt",
                course.path.display(),
                i + 1,
                entry.slug
            ));
        }
    }
    for (entry, ex) in course.exercises.iter().zip(exercises) {
        if let Some(p) = entry.points.filter(|&p| p != ex.max_points()) {
            problems.push(format!(
                "{}: course.toml says {p} points, its tests add up to {} (a test without a `pN_` prefix is worth 1)",
                ex.dir_name,
                ex.max_points()
            ));
        }
    }
    Ok(problems)
}

/// [`validate`], saying what it does through `say` (each build phase, each exercise's result).
/// Authoring problems ([`authoring_problems`]) stop it before any build.
pub fn validate_with(
    pristine: &Path,
    exercises: &[Exercise],
    work: &Path,
    opts: &GradeOptions,
    say: Say<'_>,
) -> Result<Validation> {
    let mut v = Validation {
        problems: authoring_problems(pristine, exercises)?,
        ..Default::default()
    };
    if !v.problems.is_empty() {
        return Ok(v);
    }
    for ex in exercises {
        for rel in &ex.editable {
            let p = pristine.join(&ex.dir_name).join(rel);
            let text = std::fs::read_to_string(&p).map_err(io(&p))?;
            if !markers::has_markers(&text) {
                v.problems.push(format!(
                    "{}/{rel}: no `BEGIN SOLUTION` block: the release would ship the solution",
                    ex.dir_name
                ));
            }
            markers::release(&text, &p)?;
        }
        if ex.tests.is_empty() {
            v.problems.push(format!("{}: no graded tests", ex.dir_name));
        }
    }
    let opts = GradeOptions {
        include_hidden: true,
        ..opts.clone()
    };
    let solved = run(
        pristine,
        exercises,
        Source::AsIs,
        &work.join("solutions"),
        &opts,
        &|line| say(format!("solutions: {line}")),
    )?;
    let stubbed = run(
        pristine,
        exercises,
        Source::Stub,
        &work.join("stubs"),
        &opts,
        &|line| say(format!("stubs:     {line}")),
    )?;
    let w = exercises
        .iter()
        .map(|e| e.dir_name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = writeln!(
        v.summary,
        "{:<w$} {:>6} {:>9} {:>9}",
        "exercise", "tests", "solution", "stub"
    );
    for (sol, stub) in solved.exercises.iter().zip(&stubbed.exercises) {
        let name = &sol.exercise.dir_name;
        if let Some(err) = &sol.compile_error {
            v.problems
                .push(format!("{name}: the solution does not compile:\n{err}"));
        }
        if let Some(err) = &stub.compile_error {
            v.problems.push(format!(
                "{name}: the released stub does not compile (students would start from broken code):\n{err}"
            ));
        }
        for t in &sol.tests {
            if !t.verdict.passed() {
                v.problems.push(format!(
                    "{name}::{} fails on the solution: {}\n{}",
                    t.case.name,
                    t.verdict.reason(),
                    crate::cargo::tail(&t.output, 20)
                ));
            }
        }
        for t in &stub.tests {
            if t.verdict.passed() {
                v.problems.push(format!(
                    "{name}::{} is vacuous: it passes on the released stub",
                    t.case.name
                ));
            }
        }
        let _ = writeln!(
            v.summary,
            "{:<w$} {:>6} {:>5}/{:<3} {:>5}/{:<3}",
            name,
            sol.tests.len(),
            sol.score(),
            sol.max_score(),
            stub.score(),
            stub.max_score()
        );
    }
    let _ = writeln!(v.summary, "{}", crate::catalog::total_line(exercises));
    Ok(v)
}

fn run(
    pristine: &Path,
    exercises: &[Exercise],
    source: Source<'_>,
    work: &Path,
    opts: &GradeOptions,
    say: Say<'_>,
) -> Result<SubmissionGrade> {
    let _ = std::fs::remove_dir_all(work);
    let g = grade_with("validate", pristine, exercises, source, work, opts, say);
    let _ = std::fs::remove_dir_all(work);
    g
}
