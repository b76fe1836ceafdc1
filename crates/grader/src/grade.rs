//! Grading one staged workspace: build in two phases, then run every graded test on its own,
//! each step of student code in a sandbox ([`sandbox`](crate::sandbox)).
//!
//! ```text
//! stage         WORK/ws: pristine copy + the submission's editable files, test sources as
//!               placeholders (see `stage`); no solution, no hidden test on disk
//! phase 1       build the libraries in a sandbox that sees WORK/ws, the target dir and the
//!               path dependencies; a library whose dep-info names a file outside its own crate
//!               (include_str!/include!/#[path]) scores 0 ("reads files outside its crate")
//! phase 2       real tests back; build the test binaries. A library rebuilt here depended on
//!               a test file: the exercise scores 0 ("reads the tests")
//! copy out      test binaries -> WORK/bin (never inside the staged copy)
//! run           test sources deleted from the copy; each test: its own sandbox with the copy
//!               (writable) and its binary (read-only); no target dir, no pristine copy
//! score         per test: its points if it passed, else 0; an exercise that does not build: 0
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cargo::{cargo_json, foreign_sources, Build, PackageReport};
use crate::catalog::{Exercise, TestCase};
use crate::error::{io, Result};
use crate::sandbox::{run_test, Isolation, Verdict};
use crate::stage::{stage, Source};

/// How to grade.
#[derive(Clone, Debug)]
pub struct GradeOptions {
    /// Cargo's target dir (reused by the next grade: the lesson crates and dfdx build once).
    pub target_dir: PathBuf,
    /// Run the hidden tests too (autograde, validate); the student's `grade` does not.
    pub include_hidden: bool,
    /// Longest a cargo build may take.
    pub build_timeout: Duration,
    /// Also delete the hidden test sources of the pristine copy once compiled (Gradescope: its
    /// container is used for one submission, so nothing is left for student code to read).
    pub scrub_pristine_hidden: bool,
    /// How builds and tests are isolated (bubblewrap unless the instructor says otherwise).
    pub isolation: Isolation,
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
    /// Wall-clock time the grading took (Gradescope's `execution_time`).
    pub elapsed: Duration,
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

/// One build at a time per target dir: cargo names a workspace member's artifacts by its path
/// relative to the workspace root, so two staged copies building into one target dir would
/// overwrite each other's test binaries before they are copied out. (Autograde gives each job
/// its own target dir, so jobs build in parallel.)
fn target_lock(target_dir: &Path) -> Arc<Mutex<()>> {
    static LOCKS: Mutex<Vec<(PathBuf, Arc<Mutex<()>>)>> = Mutex::new(Vec::new());
    let mut locks = LOCKS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, l)) = locks.iter().find(|(p, _)| p == target_dir) {
        return Arc::clone(l);
    }
    let l = Arc::new(Mutex::new(()));
    locks.push((target_dir.to_path_buf(), Arc::clone(&l)));
    l
}

/// Grade `source` against the pristine workspace `pristine`, staging it in `work/ws` and its
/// test binaries in `work/bin` (created; left for the caller to remove).
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
    let start = std::time::Instant::now();
    let (ws, bin) = (work.join("ws"), work.join("bin"));
    if work.exists() {
        std::fs::remove_dir_all(work).map_err(io(work))?;
    }
    std::fs::create_dir_all(&bin).map_err(io(&bin))?;
    std::fs::create_dir_all(&opts.target_dir).map_err(io(&opts.target_dir))?;
    let lock = target_lock(&opts.target_dir);
    let guard = lock.lock().unwrap_or_else(|p| p.into_inner());
    // Staged under the lock: cargo judges freshness by mtime against the artifacts of the
    // last build in this target dir, so every staged file must be newer than those.
    let staged = stage(pristine, &ws, &exercises, source)?;
    opts.isolation.hand_over(&ws)?;
    hand_over_once(&opts.isolation, &opts.target_dir)?;
    let build = Build {
        isolation: &opts.isolation,
        ws: &ws,
        target_dir: &opts.target_dir,
        read_only: &staged.build_inputs,
        timeout: opts.build_timeout,
    };
    // Phase 1: libraries, every test source a placeholder.
    let lib_args = ["build", "--workspace", "--lib", "--keep-going"];
    let phase1 = with_heartbeat(say, "the libraries (1/2)", || cargo_json(&build, &lib_args))?;
    // Phase 2: test binaries, from the pristine test sources.
    let mut written = Vec::new();
    for rel in &staged.test_sources {
        let from = pristine.join(rel);
        if opts.include_hidden || !crate::catalog::is_hidden_file(&from) {
            let to = ws.join(rel);
            std::fs::copy(&from, &to).map_err(io(&from))?;
            written.push(to);
        }
    }
    let test_args = ["build", "--workspace", "--test", "*", "--keep-going"];
    let mut phase2 = with_heartbeat(say, "the tests (2/2)", || cargo_json(&build, &test_args))?;
    // Take the test binaries out of the target dir, to a place no sandbox can write.
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
    for rel in &staged.test_sources {
        let file = ws.join(rel);
        std::fs::remove_file(&file).map_err(io(&file))?;
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
        let dir = ws.join(&ex.dir_name);
        let key = dir.canonicalize().unwrap_or_else(|_| dir.clone());
        let p1 = phase1
            .get(&key)
            .or_else(|| phase1.get(&dir))
            .unwrap_or(&empty);
        let p2 = phase2
            .get(&key)
            .or_else(|| phase2.get(&dir))
            .unwrap_or(&empty);
        let g = grade_exercise(ex, &opts.isolation, &ws, p1, p2);
        say(result_line(&g));
        graded.push(g);
    }
    Ok(SubmissionGrade {
        student: student.to_string(),
        exercises: graded,
        notes: staged.notes,
        elapsed: start.elapsed(),
    })
}

/// Hand the target dir to the sandbox user unless it already is theirs.
fn hand_over_once(iso: &Isolation, target_dir: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = target_dir.metadata().map_err(io(target_dir))?;
    if iso.drops_privileges() && meta.uid() != crate::sandbox::SANDBOX_UID {
        iso.hand_over(target_dir)?;
    }
    Ok(())
}

fn lib_target(package: &str) -> String {
    package.replace('-', "_")
}

fn grade_exercise(
    ex: Exercise,
    iso: &Isolation,
    ws: &Path,
    p1: &PackageReport,
    p2: &PackageReport,
) -> ExerciseGrade {
    let dir = ws.join(&ex.dir_name);
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
    let foreign = foreign_sources(ws, &dir, p1.filenames.get(&lib).map_or(&[][..], |f| f));
    if let Ok(files) = foreign
        .as_ref()
        .map(|f| f.iter().take(3).collect::<Vec<_>>())
    {
        if !files.is_empty() {
            let list: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            let tests = not_run(&ex, "the library reads files outside its crate");
            return ExerciseGrade {
                compile_error: Some(format!(
                    "the library reads files outside its crate ({}): include_str!, include! \
                     or #[path] of a file that is not yours. Not allowed; scored 0.",
                    list.join(", ")
                )),
                tests,
                exercise: ex,
            };
        }
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
                    let run = run_test(iso, exe, &case.name, ws, &dir, &ex.limits);
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
