//! The exercises of a workspace: their packages, editable files, limits and graded tests.
//!
//! ```text
//! exercises/NN_slug/Cargo.toml   [package] name; [package.metadata.grader] title, editable,
//!                                timeout_secs (default 10), memory_mb (default 1024)
//! exercises/NN_slug/tests/*.rs   graded tests: `#[test] fn pN_what_it_checks()` is worth N points
//!                                (no `pN_` prefix: 1 point); tests/hidden.rs and tests inside
//!                                `// BEGIN HIDDEN` blocks are hidden
//! ```
//!
//! The catalogue is read from the instructor's (pristine) sources, never from a submission, so
//! a deleted or renamed test still counts, as failed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::course::Course;
use crate::error::{io, GraderError, Result};

/// Bounds on one test run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time before the test's process group is killed.
    pub timeout: Duration,
    /// Address-space limit of the test process, in MiB.
    pub memory_mb: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            memory_mb: 1024,
        }
    }
}

/// One graded test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    /// The test function's name (what `--exact` takes).
    pub name: String,
    /// The test target (file stem under `tests/`): `visible`, `hidden`, ...
    pub target: String,
    /// Points it is worth.
    pub points: u32,
    /// Not released to students; named but not shown in feedback.
    pub hidden: bool,
}

/// One exercise crate.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// Its directory name, e.g. `01_momentum`.
    pub dir_name: String,
    /// The number in front, e.g. 1.
    pub number: u32,
    /// The cargo package name.
    pub package: String,
    /// A human title, e.g. "Momentum".
    pub title: String,
    /// Paths (relative to the crate) a student may edit; all else is the instructor's.
    pub editable: Vec<String>,
    /// Bounds on each test run.
    pub limits: Limits,
    /// The graded tests, visible first.
    pub tests: Vec<TestCase>,
}

impl Exercise {
    /// The most points the exercise can earn.
    pub fn max_points(&self) -> u32 {
        self.tests.iter().map(|t| t.points).sum()
    }
    /// Points of its hidden tests (never released; earned only when graded by the instructor).
    pub fn hidden_points(&self) -> u32 {
        self.tests
            .iter()
            .filter(|t| t.hidden)
            .map(|t| t.points)
            .sum()
    }
}

/// Points encoded in a test name: `p3_...` is worth 3, anything else 1.
pub fn points_of(name: &str) -> u32 {
    name.strip_prefix('p')
        .and_then(|rest| rest.split_once('_'))
        .and_then(|(digits, _)| digits.parse().ok())
        .unwrap_or(1)
}

/// The `#[test]` functions in `src` (target `target`); `hidden` marks them all hidden,
/// otherwise only those inside `// BEGIN HIDDEN ... // END HIDDEN`.
pub fn parse_tests(src: &str, target: &str, hidden: bool) -> Vec<TestCase> {
    let mut tests = Vec::new();
    let (mut in_hidden, mut pending) = (false, false);
    for line in src.lines() {
        let t = line.trim();
        match t {
            "// BEGIN HIDDEN" => in_hidden = true,
            "// END HIDDEN" => in_hidden = false,
            "#[test]" => pending = true,
            _ if pending && t.starts_with("#[") => {}
            _ if pending => {
                pending = false;
                if let Some(name) = t
                    .strip_prefix("fn ")
                    .and_then(|r| r.split(['(', '<']).next())
                {
                    let name = name.trim().to_string();
                    tests.push(TestCase {
                        points: points_of(&name),
                        name,
                        target: target.to_string(),
                        hidden: hidden || in_hidden,
                    });
                }
            }
            _ => {}
        }
    }
    tests
}

/// Every exercise under `root`: in the order of `course.toml` when there is one (its titles
/// win over the crates'), else every `NN_*` directory with a Cargo.toml, by number.
///
/// With a manifest, an entry without its `NN_slug` directory, or an `NN_*` directory that no
/// entry names, is an error that says to run `cargo make sync-exercises`.
pub fn discover(root: &Path) -> Result<Vec<Exercise>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(io(root))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Cargo.toml").is_file() && exercise_number(p).is_some())
        .collect();
    dirs.sort();
    let Some(course) = Course::load(root)? else {
        return dirs.iter().map(|d| load(d)).collect();
    };
    let out_of_sync = |message: String| GraderError::Manifest {
        path: course.path.clone(),
        message: format!("{message}: run `cargo make sync-exercises` (or fix the manifest)"),
    };
    if let Some(stray) = dirs.iter().find(|d| {
        let name = d.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        !(0..course.exercises.len()).any(|i| course.dir_name(i) == name)
    }) {
        return Err(out_of_sync(format!(
            "{} is not the directory of any [[exercise]] entry",
            stray.display()
        )));
    }
    let mut out = Vec::new();
    for (i, entry) in course.exercises.iter().enumerate() {
        let dir = root.join(course.dir_name(i));
        if !dir.join("Cargo.toml").is_file() {
            return Err(out_of_sync(format!(
                "exercise {} ({}) has no crate at {}",
                i + 1,
                entry.slug,
                dir.display()
            )));
        }
        let mut ex = load(&dir)?;
        ex.title = entry.title.clone();
        out.push(ex);
    }
    Ok(out)
}

fn exercise_number(dir: &Path) -> Option<u32> {
    let name = dir.file_name()?.to_str()?;
    let (digits, _) = name.split_once('_')?;
    (digits.len() == 2).then(|| digits.parse().ok())?
}

/// Read one exercise crate: manifest metadata and the tests of its `tests/*.rs`.
pub fn load(dir: &Path) -> Result<Exercise> {
    let manifest_path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest_path).map_err(io(&manifest_path))?;
    let bad = |message: String| GraderError::Manifest {
        path: manifest_path.clone(),
        message,
    };
    let doc: toml::Table = text
        .parse()
        .map_err(|e| bad(format!("not valid TOML: {e}")))?;
    let package = doc
        .get("package")
        .and_then(|p| p.as_table())
        .ok_or_else(|| bad("no [package] table".into()))?;
    let name = package
        .get("name")
        .and_then(|n| n.as_str())
        .ok_or_else(|| bad("[package] has no name".into()))?;
    let meta = package
        .get("metadata")
        .and_then(|m| m.get("grader"))
        .and_then(|g| g.as_table())
        .ok_or_else(|| bad("no [package.metadata.grader] table (title, editable)".into()))?;
    let dir_name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let title = meta
        .get("title")
        .and_then(|t| t.as_str())
        .unwrap_or(&dir_name)
        .to_string();
    let editable: Vec<String> = match meta.get("editable").and_then(|e| e.as_array()) {
        Some(list) => list
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    bad("[package.metadata.grader] editable must be a list of paths".into())
                })
            })
            .collect::<Result<_>>()?,
        None => {
            return Err(bad(
                "[package.metadata.grader] has no `editable` list".into()
            ))
        }
    };
    if let Some(p) = editable
        .iter()
        .find(|p| p.starts_with('/') || p.split('/').any(|c| c == ".." || c.is_empty()))
    {
        return Err(bad(format!(
            "editable path {p:?} must be relative, inside the crate, without `..`"
        )));
    }
    let int = |key: &str, default: u64| -> Result<u64> {
        match meta.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_integer()
                .and_then(|i| u64::try_from(i).ok())
                .filter(|&i| i > 0)
                .ok_or_else(|| bad(format!("{key} must be a positive integer"))),
        }
    };
    let limits = Limits {
        timeout: Duration::from_secs(int("timeout_secs", 10)?),
        memory_mb: int("memory_mb", 1024)?,
    };
    let mut tests = Vec::new();
    let tests_dir = dir.join("tests");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&tests_dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect(),
        Err(_) => Vec::new(),
    };
    // visible before hidden, then by name
    files.sort_by_key(|p| (is_hidden_file(p), p.clone()));
    for file in files {
        let src = std::fs::read_to_string(&file).map_err(io(&file))?;
        let target = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        tests.extend(parse_tests(&src, target, is_hidden_file(&file)));
    }
    Ok(Exercise {
        number: exercise_number(dir).unwrap_or(0),
        dir_name,
        package: name.to_string(),
        title,
        editable,
        limits,
        tests,
    })
}

/// The course's points: `(visible, hidden)`.
pub fn totals(exercises: &[Exercise]) -> (u32, u32) {
    exercises.iter().fold((0, 0), |(v, h), e| {
        let hidden = e.hidden_points();
        (v + e.max_points() - hidden, h + hidden)
    })
}

/// One line with the course's points: what to enter as the assignment's total in Gradescope.
pub fn total_line(exercises: &[Exercise]) -> String {
    let (visible, hidden) = totals(exercises);
    format!(
        "class total: {visible} visible + {hidden} hidden = {} points in {} exercises \
         (the assignment's total in Gradescope)",
        visible + hidden,
        exercises.len()
    )
}

/// Whether a test file is hidden as a whole (`tests/hidden.rs`).
pub fn is_hidden_file(path: &Path) -> bool {
    path.file_stem().is_some_and(|s| s == "hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_come_from_the_prefix() {
        assert_eq!(points_of("p3_three_steps"), 3);
        assert_eq!(points_of("p12_big"), 12);
        assert_eq!(points_of("plain_name"), 1);
        assert_eq!(points_of("p_x"), 1);
    }

    #[test]
    fn finds_tests_and_hidden_blocks() {
        let src = "#[test]\nfn p2_a() {}\n\n#[test]\n#[should_panic]\nfn b() {}\n// BEGIN HIDDEN\n#[test]\nfn p5_c() {}\n// END HIDDEN\nfn helper() {}\n";
        let t = parse_tests(src, "visible", false);
        let got: Vec<_> = t
            .iter()
            .map(|t| (t.name.as_str(), t.points, t.hidden))
            .collect();
        assert_eq!(
            got,
            [("p2_a", 2, false), ("b", 1, false), ("p5_c", 5, true)]
        );
        assert!(parse_tests(src, "hidden", true).iter().all(|t| t.hidden));
    }
}
