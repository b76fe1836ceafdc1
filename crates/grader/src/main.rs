//! `trainlab-grader`: the instructor's release / validate / autograde / gradescope, and the
//! student's grade / hint / submit. `trainlab-grader --help` lists them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use trainlab_grader::autograde::job_target_dir;
use trainlab_grader::autograde::{autograde, AutogradeOptions};
use trainlab_grader::grade::{grade, grade_with, GradeOptions};
use trainlab_grader::sandbox::Isolation;
use trainlab_grader::stage::Source;
use trainlab_grader::{
    bundle, catalog, course, hints, release, report, scaffold, student, sync, validate,
};

#[derive(Parser)]
#[command(
    name = "trainlab-grader",
    about = "Release, validate and grade the trainlab exercises"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Args, Clone)]
struct Common {
    /// The exercises workspace.
    #[arg(long, default_value = "exercises")]
    exercises: PathBuf,
    /// Cargo's target dir (default: $CARGO_TARGET_DIR, else EXERCISES/../target).
    #[arg(long)]
    target_dir: Option<PathBuf>,
    /// Longest one cargo build may take, in seconds (a cold build on a busy machine can take
    /// more than 15 minutes: it compiles dfdx).
    #[arg(long, default_value_t = 3600)]
    build_timeout: u64,
    /// Run student code WITHOUT the bubblewrap sandbox (only where bwrap cannot run): student
    /// code can then read hidden tests and solutions and write other students' results.
    #[arg(long)]
    unsandboxed: bool,
}

impl Common {
    fn grade_options(&self, include_hidden: bool) -> anyhow::Result<GradeOptions> {
        self.grade_options_with(include_hidden, Isolation::choose(self.unsandboxed)?)
    }
    fn grade_options_with(
        &self,
        include_hidden: bool,
        isolation: Isolation,
    ) -> anyhow::Result<GradeOptions> {
        let target_dir = match (&self.target_dir, std::env::var_os("CARGO_TARGET_DIR")) {
            (Some(t), _) => t.clone(),
            (None, Some(t)) => PathBuf::from(t),
            (None, None) => self.exercises.join("..").join("target"),
        };
        std::fs::create_dir_all(&target_dir)
            .with_context(|| format!("creating {}", target_dir.display()))?;
        Ok(GradeOptions {
            target_dir: target_dir.canonicalize()?,
            include_hidden,
            build_timeout: Duration::from_secs(self.build_timeout),
            scrub_pristine_hidden: false,
            isolation,
        })
    }
    fn pristine(&self) -> anyhow::Result<PathBuf> {
        self.exercises
            .canonicalize()
            .with_context(|| format!("no exercises workspace at {}", self.exercises.display()))
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Write the student workspace (stubs, visible tests, hints; no solutions, no hidden tests).
    Release {
        /// The repository root (Cargo.toml, crates/, exercises/).
        #[arg(long, default_value = ".")]
        repo: PathBuf,
        /// Where the student workspace goes (replaced).
        #[arg(long, default_value = "dist/student")]
        out: PathBuf,
        /// Then check it: every marked lesson file released as its stubs, and the release's
        /// exercises graded twice (as released: every visible test fails; with the instructor's
        /// solutions: every visible test passes), which also builds the released lesson crates.
        #[arg(long)]
        check: bool,
    },
    /// Every solution passes every test; every released stub fails every test.
    Validate(#[command(flatten)] Common),
    /// Grade a folder of submissions (directories or zips).
    Autograde {
        #[command(flatten)]
        common: Common,
        /// The folder of submissions.
        submissions: PathBuf,
        /// Where the gradebook, feedback and results.json files go (dist/ is ignored by git).
        #[arg(long, default_value = "dist/grades")]
        out: PathBuf,
        /// Submissions graded at once.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
    },
    /// Student: run the visible tests: every exercise in a line each, or exercise N in detail.
    Grade {
        #[command(flatten)]
        common: Common,
        /// One exercise (1, 01, momentum or 01_momentum): its tests, failures and compile errors.
        exercise: Option<String>,
    },
    /// Student: print a hint for exercise N (number or name).
    Hint {
        /// The exercise: 1, 01, momentum or 01_momentum.
        exercise: String,
        /// Which hint (1 = the first).
        #[arg(default_value_t = 1)]
        level: usize,
        /// The exercises workspace.
        #[arg(long, default_value = "exercises")]
        exercises: PathBuf,
    },
    /// Student: zip exactly the editable files.
    Submit {
        /// The exercises workspace.
        #[arg(long, default_value = "exercises")]
        exercises: PathBuf,
        /// The zip to write.
        #[arg(long, default_value = "submission.zip")]
        out: PathBuf,
    },
    /// Build the Gradescope autograder zip.
    Gradescope {
        /// The repository root.
        #[arg(long, default_value = ".")]
        repo: PathBuf,
        /// The zip to write.
        #[arg(long, default_value = "dist/gradescope.zip")]
        out: PathBuf,
    },
    /// Inside Gradescope: grade /autograder/submission, write results.json.
    GradescopeRun {
        #[command(flatten)]
        common: Common,
        /// The submission directory (files, or one zip from `submit`).
        #[arg(long)]
        submission: PathBuf,
        /// Where results.json goes.
        #[arg(long)]
        results: PathBuf,
    },
    /// Build the exercises once (stubs), so later grading only compiles student code.
    Warm(#[command(flatten)] Common),
    /// Scaffold exercise NAME in lecture order (course.toml), renumbering those after it.
    NewExercise {
        /// lower_snake_case name, e.g. `nesterov`.
        name: String,
        /// Insert after this exercise (number, name or directory; default: at the end).
        #[arg(long)]
        after: Option<String>,
        /// Its title (default: the name, capitalised).
        #[arg(long)]
        title: Option<String>,
        /// The lesson crate its tests compare against (default: that of the one before it).
        #[arg(long)]
        lesson: Option<String>,
        /// The notebook that points at it (default: that of the one before it).
        #[arg(long)]
        notebook: Option<String>,
        /// The exercises workspace.
        #[arg(long, default_value = "exercises")]
        exercises: PathBuf,
    },
    /// Regenerate everything numbered from course.toml: directories, crate names, headings,
    /// the README's list, the notebooks' pointers.
    SyncExercises {
        /// Only list what is out of date (exit 1 if anything is).
        #[arg(long)]
        check: bool,
        /// The exercises workspace.
        #[arg(long, default_value = "exercises")]
        exercises: PathBuf,
    },
}

fn scratch(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("trainlab-grader-{tag}-{}", std::process::id()))
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Cmd::Release { repo, out, check } => {
            release::release(&repo, &out)?;
            let list = catalog::discover(&repo.join("exercises"))?;
            println!(
                "student workspace written to {} (start: its README.md)",
                out.display()
            );
            println!("{}", catalog::total_line(&list));
            if check {
                let common = Common {
                    exercises: repo.join("exercises"),
                    target_dir: None,
                    build_timeout: 3600,
                    unsandboxed: true,
                };
                // Only the instructor's own code runs here (solutions, stubs): no sandbox needed.
                let opts = common.grade_options_with(false, Isolation::Unsandboxed)?;
                let work = scratch("release-check");
                let say = |line: String| eprintln!("release --check: {line}");
                let problems = release::check_release(&repo, &out, &work, &opts, &say)?;
                let _ = std::fs::remove_dir_all(&work);
                if !problems.is_empty() {
                    for p in &problems {
                        eprintln!("problem: {p}");
                    }
                    bail!("{} problem(s) in the release: see above", problems.len());
                }
                println!(
                    "release checked: no reference body in it, it builds without a warning, every \
                     released stub fails every visible test, every solution passes every one"
                );
            }
        }
        Cmd::Validate(common) => {
            let pristine = common.pristine()?;
            let exercises = catalog::discover(&pristine)?;
            let work = scratch("validate");
            eprintln!(
                "validate: {} exercises; the solutions, then the stubs: build, then every test",
                exercises.len()
            );
            let say = |line: String| eprintln!("validate: {line}");
            // Only the instructor's own code runs here (solutions, stubs): no sandbox needed.
            let opts = common.grade_options_with(true, Isolation::Unsandboxed)?;
            let v = validate::validate_with(&pristine, &exercises, &work, &opts, &say)?;
            let _ = std::fs::remove_dir_all(&work);
            print!("{}", v.summary);
            if !v.problems.is_empty() {
                for p in &v.problems {
                    eprintln!("problem: {p}");
                }
                bail!("{} problem(s): see above", v.problems.len());
            }
            println!("valid: every solution passes every test, every stub fails every test");
        }
        Cmd::Autograde {
            common,
            submissions,
            out,
            jobs,
        } => {
            let pristine = common.pristine()?;
            let exercises = catalog::discover(&pristine)?;
            let opts = AutogradeOptions {
                jobs,
                out: out.clone(),
                work_root: scratch("autograde"),
                grade: common.grade_options(true)?,
            };
            trainlab_grader::grade::report_progress_to(|line| eprintln!("autograde: {line}"));
            eprintln!(
                "autograde: {} exercises, submissions in {} ({jobs} at a time)",
                exercises.len(),
                submissions.display()
            );
            let start = std::time::Instant::now();
            let done = autograde(&pristine, &exercises, &submissions, &opts)?;
            let _ = std::fs::remove_dir_all(&opts.work_root);
            let grades = done.grades;
            for g in &grades {
                println!("{:<24} {:>4} / {}", g.student, g.score(), g.max_score());
            }
            println!(
                "{} submissions graded in {:.1} s ({jobs} jobs); gradebook: {}",
                grades.len(),
                start.elapsed().as_secs_f64(),
                out.join("gradebook.csv").display()
            );
            println!("{}", catalog::total_line(&exercises));
            if !done.write_failures.is_empty() {
                for f in &done.write_failures {
                    eprintln!("could not write: {f}");
                }
                bail!(
                    "{} student(s) have no feedback file: see above",
                    done.write_failures.len()
                );
            }
        }
        Cmd::Grade { common, exercise } => student_grade(&common, exercise.as_deref())?,
        Cmd::Hint {
            exercise,
            level,
            exercises,
        } => {
            let (text, n) = hints::hint(&exercises, &exercise, level)?;
            println!("hint {level} of {n} for exercise {exercise}:\n{text}");
            if level < n {
                println!("\n(another: cargo make hint {exercise} {})", level + 1);
            }
        }
        Cmd::Submit { exercises, out } => {
            let list = catalog::discover(&exercises)?;
            let names = bundle::submit(&exercises, &list, &out)?;
            println!("{} written with {} files:", out.display(), names.len());
            for n in names {
                println!("  {n}");
            }
        }
        Cmd::Gradescope { repo, out } => {
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let list = catalog::discover(&repo.join("exercises"))?;
            let n = bundle::gradescope(&repo, &list, &out)?;
            println!(
                "{} written ({n} files): upload it as the assignment's autograder",
                out.display()
            );
            println!("{}", catalog::total_line(&list));
        }
        Cmd::GradescopeRun {
            common,
            submission,
            results,
        } => gradescope_run(&common, &submission, &results)?,
        Cmd::Warm(common) => {
            trainlab_grader::grade::report_progress_to(|line| eprintln!("{line}"));
            let pristine = common.pristine()?;
            let exercises = catalog::discover(&pristine)?;
            let work = scratch("warm");
            let mut opts = common.grade_options(true)?;
            // The target dir autograde's first job (and Gradescope) builds into.
            opts.target_dir = job_target_dir(&opts.target_dir, 1);
            // A cold build of dfdx and the lesson crates: allow it an hour at least.
            opts.build_timeout = opts.build_timeout.max(Duration::from_secs(3600));
            let g = grade("warm", &pristine, &exercises, Source::Stub, &work, &opts);
            let _ = std::fs::remove_dir_all(&work);
            println!(
                "warm build done ({} tests on the stubs)",
                g?.exercises.iter().map(|e| e.tests.len()).sum::<usize>()
            );
        }
        Cmd::NewExercise {
            name,
            after,
            title,
            lesson,
            notebook,
            exercises,
        } => {
            let spec = scaffold::Spec {
                name,
                after,
                title,
                lesson,
                notebook,
            };
            let created = scaffold::new_exercise(&exercises, &spec)?;
            for c in &created.changes {
                println!("  {}: {}", c.path.display(), c.what);
            }
            println!(
                "created exercise {:02} in {}.\nNext: replace every `{}` (the task at the top of src/lib.rs, \
                 the solution block and its STUB, tests/visible.rs and tests/hidden.rs, the summary and \
                 hints in {}), then `cargo make validate`.",
                created.number,
                created.dir.display(),
                scaffold::PLACEHOLDER,
                exercises.join(course::FILE).display()
            );
        }
        Cmd::SyncExercises { check, exercises } => {
            let changes = sync::sync(&exercises, !check)?;
            for c in &changes {
                println!("  {}: {}", c.path.display(), c.what);
            }
            match (check, changes.is_empty()) {
                (_, true) => println!("everything generated from course.toml is up to date"),
                (true, false) => bail!(
                    "{} generated part(s) out of date: run `cargo make sync-exercises`",
                    changes.len()
                ),
                (false, false) => println!(
                    "{} part(s) regenerated; rebuild the notebooks: `cargo make notebooks-build`",
                    changes.len()
                ),
            }
        }
    }
    Ok(())
}

/// The student's `grade [N]`: one line per exercise, or exercise N in detail.
fn student_grade(common: &Common, which: Option<&str>) -> anyhow::Result<()> {
    let pristine = common.pristine()?;
    let all = catalog::discover(&pristine)?;
    let course = course::Course::load(&pristine)?;
    let hidden = student::hidden_points(&all, course.as_ref());
    let chosen: Vec<usize> = match which {
        None => (0..all.len()).collect(),
        Some(w) => {
            let i = all
                .iter()
                .position(|e| hints::matches_exercise(&e.dir_name, w))
                .ok_or_else(|| trainlab_grader::GraderError::NoSuchExercise(w.to_string()))?;
            vec![i]
        }
    };
    let exercises: Vec<catalog::Exercise> = chosen.iter().map(|&i| all[i].clone()).collect();
    let work = scratch("grade");
    // The student's own code on their own machine: no sandbox needed (nor bwrap).
    let opts = common.grade_options_with(false, Isolation::Unsandboxed)?;
    // Only a long build speaks: the rest of the output is the result.
    let say = |line: String| {
        if line.trim_start().starts_with("still building") {
            eprintln!("{}", line.trim_start());
        }
    };
    let g = grade_with(
        "you",
        &pristine,
        &exercises,
        Source::AsIs,
        &work,
        &opts,
        &say,
    );
    let _ = std::fs::remove_dir_all(&work);
    let g = g?;
    if which.is_some() {
        print!("{}", student::details(&g.exercises[0], hidden[chosen[0]]));
    } else {
        print!("{}", student::overview(&g, &hidden));
    }
    Ok(())
}

/// Grade the one submission of a Gradescope container; results.json is written last.
fn gradescope_run(common: &Common, submission: &Path, results: &Path) -> anyhow::Result<()> {
    let pristine = common.pristine()?;
    let exercises = catalog::discover(&pristine)?;
    let mut opts = match common.grade_options(true) {
        Ok(opts) => opts,
        Err(e) => {
            // Tell the student the autograder is broken, not that they scored 0.
            let json = serde_json::json!({
                "score": 0.0,
                "output": format!("The autograder could not start ({e}). Please tell your instructor."),
                "output_format": "text",
                "tests": [],
            });
            if let Some(parent) = results.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(results, serde_json::to_string_pretty(&json)?)?;
            return Err(e);
        }
    };
    opts.scrub_pristine_hidden = true;
    opts.target_dir = job_target_dir(&opts.target_dir, 1);
    let work = scratch("gradescope");
    let mut notes = Vec::new();
    let zip = std::fs::read_dir(submission)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "zip"));
    let files = match zip {
        Some(z) => {
            let dest = work.join("submission");
            notes = trainlab_grader::autograde::extract_editable(&z, &exercises, &dest)?;
            dest
        }
        None => submission.to_path_buf(),
    };
    let g = grade(
        "submission",
        &pristine,
        &exercises,
        Source::Submission(&files),
        &work.join("ws"),
        &opts,
    )
    .unwrap_or_else(|e| {
        trainlab_grader::autograde::zero("submission", &exercises, &opts, &e.to_string())
    });
    let mut g = g;
    g.notes.splice(0..0, notes);
    let _ = std::fs::remove_dir_all(&work);
    if let Some(parent) = results.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(
        results,
        serde_json::to_string_pretty(&report::gradescope(&g))?,
    )?;
    println!("{} / {}", g.score(), g.max_score());
    Ok(())
}
