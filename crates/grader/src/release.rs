//! The student release: the repository's crates, the exercises with stubs, no solutions, no hidden tests.
//!
//! ```text
//! OUT/Cargo.toml, Cargo.lock      the root workspace (lesson crates, the grader for grade/hint/submit)
//! OUT/crates/*                    copied as they are (no target/)
//! OUT/exercises/                  every file through markers::release; tests/hidden.rs left out
//! OUT/Makefile.toml               the student's tasks: grade, hint, submit
//! ```

use std::path::Path;

use crate::catalog::is_hidden_file;
use crate::error::{io, GraderError, Result};
use crate::markers;
use crate::stage::copy_tree;

/// The student's Makefile.toml.
pub const STUDENT_MAKEFILE: &str = r#"# The exercises of "Training Neural Networks". Work in exercises/NN_*/src/lib.rs.
[config]
default_to_workspace = false
skip_core_tasks = true
skip_git_env_info = true
skip_rust_env_info = true
skip_crate_env_info = true

[tasks.grade]
description = "Runs the visible tests of every exercise; prints exercises, tests, points and the total"
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
    release_exercises(&repo.join("exercises"), &out.join("exercises"))?;
    let mk = out.join("Makefile.toml");
    std::fs::write(&mk, STUDENT_MAKEFILE).map_err(io(&mk))
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
                let released = markers::release(&text, &src)?;
                if released.contains("BEGIN SOLUTION") || released.contains("BEGIN HIDDEN") {
                    return Err(GraderError::Marker {
                        path: src,
                        line: 0,
                        message: "a marker survived the release (indented in a string?)".into(),
                    });
                }
                std::fs::write(&dst, released).map_err(io(&dst))?;
            } else {
                std::fs::copy(&src, &dst).map_err(io(&src))?;
            }
        }
    }
    Ok(())
}
