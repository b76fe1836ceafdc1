//! Grading one staged workspace: build in two phases, then run every graded test on its own.
//!
//! ```text
//! stage         pristine copy + the submission's editable files (see `stage`)
//! phase 1       every tests/*.rs replaced by a placeholder; build the libraries
//!               (a library cannot `include_str!` a test it never saw)
//! phase 2       real tests back; build the test binaries. A library rebuilt here depended on
//!               a test file: the exercise scores 0 ("reads the tests")
//! run           test sources deleted from the copy; each test: its own bounded process
//! score         per test: its points if it passed, else 0; an exercise that does not build: 0
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cargo::{cargo_json, PackageReport};
use crate::catalog::{Exercise, TestCase};
use crate::error::{io, Result};
use crate::sandbox::{run_test, Verdict};
use crate::stage::{stage, Source};

/// How to grade.
#[derive(Clone, Debug)]
pub struct GradeOptions {
    /// Cargo's target dir (shared between submissions: the lesson crates and dfdx build once).
    pub target_dir: PathBuf,
    /// Run the hidden tests too (autograde, validate); the student's `grade` does not.
    pub include_hidden: bool,
    /// Longest a cargo build may take.
    pub build_timeout: Duration,
    /// Also delete the hidden test sources of the pristine copy once compiled (Gradescope: its
    /// container is used for one submission, so nothing is left for student code to read).
    pub scrub_pristine_hidden: bool,
}

/// One test's result.
#[derive(Clone, Debug)]
pub struct TestGrade {
    /// The test.
    pub case: TestCase,
    /// How its run ended (`NotRun` when its exercise did not build).
    pub verdict: Verdict,
    /// Points earned.
    pub score: u32,
    /// Its output (never shown to students for hidden tests).
    pub output: String,
}

/// One exercise's result.
#[derive(Clone, Debug)]
pub struct ExerciseGrade {
    /// The exercise.
    pub exercise: Exercise,
    /// Compiler errors of the student's library, if it did not build.
    pub compile_error: Option<String>,
    /// Every graded test, in catalogue order.
    pub tests: Vec<TestGrade>,
}

impl ExerciseGrade {
    /// Points earned.
    pub fn score(&self) -> u32 {
        self.tests.iter().map(|t| t.score).sum()
    }
    /// Points possible.
    pub fn max_score(&self) -> u32 {
        self.tests.iter().map(|t| t.case.points).sum()
    }
}

/// A whole submission's result.
#[derive(Clone, Debug)]
pub struct SubmissionGrade {
    /// Who (the submission's file or directory name).
    pub student: String,
    /// Per exercise.
    pub exercises: Vec<ExerciseGrade>,
    /// Notes for the feedback (missing files, refused files).
    pub notes: Vec<String>,
}

impl SubmissionGrade {
    /// Points earned.
    pub fn score(&self) -> u32 {
        self.exercises.iter().map(ExerciseGrade::score).sum()
    }
    /// Points possible.
    pub fn max_score(&self) -> u32 {
        self.exercises.iter().map(ExerciseGrade::max_score).sum()
    }
}

/// Builds of staged copies run one at a time: cargo hashes a workspace member by its path
/// relative to the workspace root, so every staged copy writes the same artifact names in the
/// shared target dir. Each build copies its test binaries out before the next build starts;
/// the tests then run in parallel from those copies.
static BUILD_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

const PLACEHOLDER: &str = "// test sources are compiled after the libraries\n";

/// Grade `source` against the pristine workspace `pristine`, staging it in `work` (created,
/// left for the caller to remove).
pub fn grade(
    student: &str,
    pristine: &Path,
    exercises: &[Exercise],
    source: Source<'_>,
    work: &Path,
    opts: &GradeOptions,
) -> Result<SubmissionGrade> {
    let say = |line: String| {
        if let Some(progress) = PROGRESS.get() {
            progress(format!("{student}: {line}"));
        }
    };
    grade_with(student, pristine, exercises, source, work, opts, &say)
}

/// Where [`grade`] reports progress, if a binary asked for it ([`report_progress_to`]).
static PROGRESS: std::sync::OnceLock<Box<dyn Fn(String) + Send + Sync>> =
    std::sync::OnceLock::new();

/// Make every [`grade`] in this process (e.g. each submission of an `autograde`) report its
/// build phases and each exercise's result, prefixed with the student's name, to `sink`. Set
/// once, by a binary; later calls are ignored.
pub fn report_progress_to(sink: impl Fn(String) + Send + Sync + 'static) {
    let _ = PROGRESS.set(Box::new(sink));
}

/// Where progress lines go (build phases, each exercise's result as it arrives).
pub type Say<'a> = &'a (dyn Fn(String) + Sync);

/// How often a long build says it is still running.
const HEARTBEAT: Duration = Duration::from_secs(30);

/// Run `build`, saying every [`HEARTBEAT`] that phase `what` is still running, then how it ended.
fn with_heartbeat<T>(say: Say<'_>, what: &str, build: impl FnOnce() -> Result<T>) -> Result<T> {
    let start = std::time::Instant::now();
    say(format!("building {what} ..."));
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let out = std::thread::scope(|scope| {
        scope.spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(HEARTBEAT)
            {
                say(format!(
                    "  still building {what} ({:.0} s; the first build compiles dfdx and the lesson crates)",
                    start.elapsed().as_secs_f64()
                ));
            }
        });
        let out = build();
        drop(done);
        out
    });
    let secs = start.elapsed().as_secs_f64();
    say(match &out {
        Ok(_) => format!("built {what} in {secs:.1} s"),
        Err(e) => format!("building {what} failed after {secs:.1} s: {e}"),
    });
    out
}

/// One exercise's result as a progress line.
pub fn result_line(g: &ExerciseGrade) -> String {
    let passed = g.tests.iter().filter(|t| t.verdict.passed()).count();
    let broken = if g.compile_error.is_some() {
        "  (does not compile)"
    } else {
        ""
    };
    format!(
        "{:<22} {:>3}/{:<3} points, {passed}/{} tests passed{broken}",
        g.exercise.dir_name,
        g.score(),
        g.max_score(),
        g.tests.len()
    )
}

/// [`grade`], saying what it does through `say`: each build phase (with a heartbeat while it
/// runs) and each exercise's result as soon as its tests ran.
pub fn grade_with(
    student: &str,
    pristine: &Path,
    exercises: &[Exercise],
    source: Source<'_>,
    work: &Path,
    opts: &GradeOptions,
    say: Say<'_>,
) -> Result<SubmissionGrade> {
    let exercises: Vec<Exercise> = exercises
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.tests.retain(|t| opts.include_hidden || !t.hidden);
            e
        })
        .collect();
    let guard = BUILD_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    // Staged under the lock: cargo judges freshness by mtime against artifacts that another
    // copy may just have written, so every staged file must be newer than the last build.
    let notes = stage(pristine, work, &exercises, source)?;
    // Phase 1: libraries, with every test source replaced by a placeholder.
    let mut test_sources: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for ex in &exercises {
        for file in test_files(&work.join(&ex.dir_name))? {
            let bytes = std::fs::read(&file).map_err(io(&file))?;
            let keep = opts.include_hidden || !crate::catalog::is_hidden_file(&file);
            std::fs::write(&file, PLACEHOLDER).map_err(io(&file))?;
            if keep {
                test_sources.push((file, bytes));
            }
        }
    }
    let lib_args = ["build", "--workspace", "--lib", "--keep-going"];
    let phase1 = with_heartbeat(say, "the libraries (1/2)", || {
        cargo_json(work, &opts.target_dir, &lib_args, opts.build_timeout)
    })?;
    // Phase 2: test binaries.
    for (file, bytes) in &test_sources {
        std::fs::write(file, bytes).map_err(io(file))?;
    }
    let test_args = ["build", "--workspace", "--test", "*", "--keep-going"];
    let mut phase2 = with_heartbeat(say, "the tests (2/2)", || {
        cargo_json(work, &opts.target_dir, &test_args, opts.build_timeout)
    })?;
    // Take the test binaries out of the shared target dir before the next build overwrites them.
    let bin = work.join(".grader-bin");
    std::fs::create_dir_all(&bin).map_err(io(&bin))?;
    for (dir, report) in phase2.iter_mut() {
        let crate_name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("crate")
            .to_string();
        for (target, exe) in report.executables.iter_mut() {
            let copy = bin.join(format!("{crate_name}-{target}"));
            std::fs::copy(&*exe, &copy).map_err(io(&*exe))?;
            *exe = copy;
        }
    }
    drop(guard);
    // Run: no test source left in the copy.
    for (file, _) in &test_sources {
        std::fs::remove_file(file).map_err(io(file))?;
    }
    if opts.scrub_pristine_hidden {
        for ex in &exercises {
            for file in test_files(&pristine.join(&ex.dir_name))? {
                if crate::catalog::is_hidden_file(&file) {
                    std::fs::remove_file(&file).map_err(io(&file))?;
                }
            }
        }
    }
    let empty = PackageReport::default();
    let mut graded = Vec::new();
    for ex in exercises {
        let dir = work.join(&ex.dir_name);
        let key = dir.canonicalize().unwrap_or_else(|_| dir.clone());
        let p1 = phase1
            .get(&key)
            .or_else(|| phase1.get(&dir))
            .unwrap_or(&empty);
        let p2 = phase2
            .get(&key)
            .or_else(|| phase2.get(&dir))
            .unwrap_or(&empty);
        let g = grade_exercise(ex, &dir, p1, p2);
        say(result_line(&g));
        graded.push(g);
    }
    Ok(SubmissionGrade {
        student: student.to_string(),
        exercises: graded,
        notes,
    })
}

fn lib_target(package: &str) -> String {
    package.replace('-', "_")
}

fn grade_exercise(
    ex: Exercise,
    dir: &Path,
    p1: &PackageReport,
    p2: &PackageReport,
) -> ExerciseGrade {
    let lib = lib_target(&ex.package);
    let not_run = |ex: &Exercise, why: &str| -> Vec<TestGrade> {
        ex.tests
            .iter()
            .map(|case| TestGrade {
                case: case.clone(),
                verdict: Verdict::NotRun(why.to_string()),
                score: 0,
                output: String::new(),
            })
            .collect()
    };
    if let Some(errors) = p1.errors.get(&lib) {
        let tests = not_run(&ex, "the library does not compile");
        return ExerciseGrade {
            compile_error: Some(errors.join("\n")),
            tests,
            exercise: ex,
        };
    }
    if !p1.built.contains_key(&lib) {
        let tests = not_run(&ex, "the library was not built");
        return ExerciseGrade {
            compile_error: Some("the library was not built (see the build log)".into()),
            tests,
            exercise: ex,
        };
    }
    if p2.built.get(&lib) == Some(&false) {
        let tests = not_run(&ex, "the library reads test sources");
        return ExerciseGrade {
            compile_error: Some(
                "the library was rebuilt when the test sources appeared: it reads them \
                 (include_str!/include! of a test file). Not allowed; scored 0."
                    .into(),
            ),
            tests,
            exercise: ex,
        };
    }
    let cache: HashMap<&str, Option<&PathBuf>> = ex
        .tests
        .iter()
        .map(|t| (t.target.as_str(), p2.executables.get(&t.target)))
        .collect();
    let tests = ex
        .tests
        .iter()
        .map(|case| {
            let (verdict, output) = match cache.get(case.target.as_str()).copied().flatten() {
                None => {
                    let why = if case.hidden {
                        "the hidden tests do not compile against this code (is the API as the task says?)"
                            .to_string()
                    } else {
                        format!(
                            "tests/{}.rs does not compile against this code:\n{}",
                            case.target,
                            p2.errors.get(&case.target).map(|e| e.join("\n")).unwrap_or_default()
                        )
                    };
                    (Verdict::NotRun(why), String::new())
                }
                Some(exe) => {
                    let run = run_test(exe, &case.name, dir, &ex.limits);
                    (run.verdict, run.output)
                }
            };
            TestGrade {
                score: if verdict.passed() { case.points } else { 0 },
                case: case.clone(),
                verdict,
                output,
            }
        })
        .collect();
    ExerciseGrade {
        exercise: ex,
        compile_error: None,
        tests,
    }
}

/// Every `.rs` file under `crate_dir/tests`.
fn test_files(crate_dir: &Path) -> Result<Vec<PathBuf>> {
    let dir = crate_dir.join("tests");
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in rd {
            let path = entry.map_err(io(&d))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    Ok(out)
}
