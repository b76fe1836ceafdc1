//! Grading a folder of submissions in parallel: gradebook CSV, feedback and `results.json` each.
//!
//! ```text
//! SUBMISSIONS/alice/01_momentum/src/lib.rs ...   a directory per student, or
//! SUBMISSIONS/bob.zip                            a zip from `cargo make submit`
//! OUT/gradebook.csv                              student, one column per exercise, total, max
//! OUT/<student>/feedback.txt, results.json       written after the student's tests ran
//! ```
//!
//! `jobs` submissions are graded at once (threads pulling from one queue). Job K stages in
//! WORK/job-K and builds into TARGET/grader/job-K (its own target dir, so builds run in
//! parallel; `warm` fills job-1, the others start as a copy of it). Every step of student code
//! runs in a sandbox that sees none of: the output folder, other submissions, other jobs, the
//! pristine copy. The grader writes a student's feedback and results.json after the last sandbox
//! of that submission is gone, from what it observed. A submission the grader cannot read at all
//! still gets a row (0 points) and a feedback file saying why; two entries whose names sanitise
//! alike get distinct names (`alice`, `alice-2`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::catalog::Exercise;
use crate::error::{io, GraderError, Result};
use crate::grade::{grade, ExerciseGrade, GradeOptions, SubmissionGrade, TestGrade};
use crate::report;
use crate::sandbox::Verdict;
use crate::stage::{Source, MAX_EDITABLE_BYTES};

/// How to run an autograde.
#[derive(Clone, Debug)]
pub struct AutogradeOptions {
    /// Submissions graded at once.
    pub jobs: usize,
    /// Where gradebook, feedback and results go.
    pub out: PathBuf,
    /// Scratch space for staged copies (removed after each submission).
    pub work_root: PathBuf,
    /// Build and test options.
    pub grade: GradeOptions,
}

/// One submission found in the folder.
#[derive(Clone, Debug)]
pub struct Submission {
    /// The student's name (the entry's name, sanitised).
    pub student: String,
    /// The directory or zip.
    pub path: PathBuf,
}

/// What an autograde produced.
#[derive(Clone, Debug)]
pub struct Autograded {
    /// One grade per submission, by student name.
    pub grades: Vec<SubmissionGrade>,
    /// Files the grader could not write (feedback, results.json), each with the reason.
    pub write_failures: Vec<String>,
}

/// Job `k`'s own target dir under `base` (1-based).
pub fn job_target_dir(base: &Path, k: usize) -> PathBuf {
    base.join("grader").join(format!("job-{k}"))
}

/// The submissions in `dir`: sub-directories and `.zip` files, by name.
pub fn list_submissions(dir: &Path) -> Result<Vec<Submission>> {
    let mut subs: Vec<Submission> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let path = e.path();
            let ft = e.file_type().ok()?;
            let name = path.file_name()?.to_str()?.to_string();
            let stem = if ft.is_dir() {
                name
            } else if ft.is_file() && name.ends_with(".zip") {
                name.trim_end_matches(".zip").to_string()
            } else {
                return None;
            };
            Some(Submission {
                student: sanitize(&stem),
                path,
            })
        })
        .collect();
    subs.sort_by(|a, b| (&a.student, &a.path).cmp(&(&b.student, &b.path)));
    // `a b` and `a_b`, or `x` and `x.zip`, sanitise alike: never one folder for two students.
    let mut taken: Vec<String> = vec!["gradebook.csv".into()];
    for sub in &mut subs {
        let base = sub.student.clone();
        let mut n = 1;
        while taken.contains(&sub.student) {
            n += 1;
            sub.student = format!("{base}-{n}");
        }
        taken.push(sub.student.clone());
    }
    subs.sort_by(|a, b| a.student.cmp(&b.student));
    Ok(subs)
}

/// A name safe as a file name: letters, digits, `-`, `_`, `.` (others become `_`).
pub fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    match s.trim_start_matches('.') {
        "" => "_".to_string(),
        t => t.to_string(),
    }
}

/// Grade every submission in `dir`; writes the gradebook and per-student files under `opts.out`.
pub fn autograde(
    pristine: &Path,
    exercises: &[Exercise],
    dir: &Path,
    opts: &AutogradeOptions,
) -> Result<Autograded> {
    let subs = list_submissions(dir)?;
    std::fs::create_dir_all(&opts.out).map_err(io(&opts.out))?;
    std::fs::create_dir_all(&opts.work_root).map_err(io(&opts.work_root))?;
    let first = job_target_dir(&opts.grade.target_dir, 1);
    for k in 2..=opts.jobs {
        let target = job_target_dir(&opts.grade.target_dir, k);
        if first.is_dir() && !target.exists() {
            copy_preserving(&first, &target)?;
        }
    }
    let jobs = opts.jobs.max(1).min(subs.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<SubmissionGrade>>> = Mutex::new(vec![None; subs.len()]);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for k in 1..=jobs {
            let (next, results, failures, subs) = (&next, &results, &failures, &subs);
            scope.spawn(move || {
                let mut job = opts.clone();
                job.grade.target_dir = job_target_dir(&opts.grade.target_dir, k);
                job.work_root = opts.work_root.join(format!("job-{k}"));
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(sub) = subs.get(i) else { break };
                    let g = grade_submission(pristine, exercises, sub, &job);
                    // Every sandbox of this submission is gone: only now its files are written.
                    if let Err(e) = write_student_files(&opts.out, &g) {
                        failures
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(format!("{}: {e}", g.student));
                    }
                    results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(g);
                }
            });
        }
    });
    let grades: Vec<SubmissionGrade> = results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect();
    write_gradebook(&opts.out.join("gradebook.csv"), &grades)?;
    Ok(Autograded {
        grades,
        write_failures: failures.into_inner().unwrap_or_else(|p| p.into_inner()),
    })
}

/// Copy a directory tree keeping modification times (cargo judges freshness by them).
pub fn copy_preserving(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let ft = entry.file_type().map_err(io(&src))?;
        if ft.is_dir() {
            copy_preserving(&src, &dst)?;
        } else if ft.is_file() {
            std::fs::copy(&src, &dst).map_err(io(&src))?;
            let modified = entry
                .metadata()
                .and_then(|m| m.modified())
                .map_err(io(&src))?;
            std::fs::File::options()
                .write(true)
                .open(&dst)
                .and_then(|f| f.set_modified(modified))
                .map_err(io(&dst))?;
        }
    }
    Ok(())
}

/// Grade one submission; any grader-side failure becomes a zero with the reason in the notes.
pub fn grade_submission(
    pristine: &Path,
    exercises: &[Exercise],
    sub: &Submission,
    opts: &AutogradeOptions,
) -> SubmissionGrade {
    let start = std::time::Instant::now();
    let work = opts.work_root.clone();
    let _ = std::fs::remove_dir_all(&work);
    let mut extract_notes = Vec::new();
    let result = (|| -> Result<SubmissionGrade> {
        let files = if sub.path.is_dir() {
            sub.path.clone()
        } else {
            let dest = work.join("submission");
            extract_notes = extract_editable(&sub.path, exercises, &dest)?;
            dest
        };
        grade(
            &sub.student,
            pristine,
            exercises,
            Source::Submission(&files),
            &work.join("grade"),
            &opts.grade,
        )
    })();
    let _ = std::fs::remove_dir_all(&work);
    let mut g =
        result.unwrap_or_else(|e| zero(&sub.student, exercises, &opts.grade, &e.to_string()));
    // "not in the submission" from staging is the same file refused at extraction: say why.
    for note in extract_notes.into_iter().rev() {
        g.notes.insert(0, note);
    }
    g.elapsed = start.elapsed();
    g
}

/// A grade of 0 for every test, with `why` as the note.
pub fn zero(
    student: &str,
    exercises: &[Exercise],
    opts: &GradeOptions,
    why: &str,
) -> SubmissionGrade {
    SubmissionGrade {
        student: student.to_string(),
        notes: vec![format!("could not be graded: {why}")],
        elapsed: std::time::Duration::ZERO,
        exercises: exercises
            .iter()
            .map(|ex| ExerciseGrade {
                exercise: ex.clone(),
                compile_error: None,
                tests: ex
                    .tests
                    .iter()
                    .filter(|t| opts.include_hidden || !t.hidden)
                    .map(|case| TestGrade {
                        case: case.clone(),
                        verdict: Verdict::NotRun("submission not graded".into()),
                        score: 0,
                        output: String::new(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Take only the editable files out of a submission zip into `dest`. A file over
/// [`MAX_EDITABLE_BYTES`] is left out (its exercise gets the stub, as in a folder); the notes
/// say which.
pub fn extract_editable(
    zip_path: &Path,
    exercises: &[Exercise],
    dest: &Path,
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let zerr = |message: String| GraderError::Zip {
        path: zip_path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(zip_path).map_err(io(zip_path))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| zerr(e.to_string()))?;
    for ex in exercises {
        for rel in &ex.editable {
            let wanted = [
                format!("{}/{rel}", ex.dir_name),
                format!("exercises/{}/{rel}", ex.dir_name),
            ];
            for name in &wanted {
                let Ok(mut entry) = archive.by_name(name) else {
                    continue;
                };
                if !entry.is_file() {
                    continue;
                }
                let mut bytes = Vec::new();
                (&mut entry)
                    .take(MAX_EDITABLE_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| zerr(format!("{name}: {e}")))?;
                if bytes.len() as u64 > MAX_EDITABLE_BYTES {
                    notes.push(format!(
                        "{name}: larger than {MAX_EDITABLE_BYTES} bytes (refused)"
                    ));
                    break;
                }
                let target = dest.join(&ex.dir_name).join(rel);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(io(parent))?;
                }
                std::fs::write(&target, bytes).map_err(io(&target))?;
                break;
            }
        }
    }
    Ok(notes)
}

/// Write `OUT/<student>/feedback.txt` and `results.json` (replacing whatever is there).
pub fn write_student_files(out: &Path, g: &SubmissionGrade) -> Result<()> {
    let dir = out.join(&g.student);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let fb = dir.join("feedback.txt");
    std::fs::write(&fb, report::feedback(g)).map_err(io(&fb))?;
    let rj = dir.join("results.json");
    let json = serde_json::to_string_pretty(&report::gradescope(g)).unwrap_or_default();
    std::fs::write(&rj, json).map_err(io(&rj))
}

/// Write the gradebook CSV.
pub fn write_gradebook(path: &Path, grades: &[SubmissionGrade]) -> Result<()> {
    let mut w = csv::Writer::from_path(path).map_err(|e| GraderError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    })?;
    let csv_err = |e: csv::Error| GraderError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    };
    if let Some(first) = grades.first() {
        w.write_record(report::gradebook_header(&first.exercises))
            .map_err(csv_err)?;
    }
    for g in grades {
        w.write_record(report::gradebook_row(g)).map_err(csv_err)?;
    }
    w.flush().map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_sanitise_alike_stay_apart() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["a b", "a_b", "a?b"] {
            std::fs::create_dir(dir.path().join(name)).expect("mkdir");
        }
        std::fs::write(dir.path().join("a b.zip"), b"").expect("zip");
        let names: Vec<String> = list_submissions(dir.path())
            .expect("listed")
            .into_iter()
            .map(|s| s.student)
            .collect();
        assert_eq!(names, ["a_b", "a_b-2", "a_b-3", "a_b-4"]);
    }

    #[test]
    fn a_feedback_file_that_cannot_be_written_is_an_error_naming_it() {
        let out = tempfile::tempdir().expect("tempdir");
        // A file where the student's folder should go.
        std::fs::write(out.path().join("alice"), b"in the way").expect("write");
        let g = zero(
            "alice",
            &[],
            &crate::grade::GradeOptions {
                target_dir: out.path().into(),
                include_hidden: true,
                build_timeout: std::time::Duration::from_secs(1),
                scrub_pristine_hidden: false,
                isolation: crate::sandbox::Isolation::Unsandboxed,
            },
            "test",
        );
        let err = write_student_files(out.path(), &g).expect_err("cannot write");
        assert!(err.to_string().contains("alice"), "{err}");
    }

    #[test]
    fn names_are_sanitised() {
        assert_eq!(sanitize("alice"), "alice");
        assert_eq!(sanitize("../../etc"), "_.._etc");
        assert_eq!(sanitize("a b/c"), "a_b_c");
        assert_eq!(sanitize(".."), "_");
    }
}
