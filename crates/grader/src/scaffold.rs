//! `new-exercise NAME`: a new numbered exercise crate with every part in place.
//!
//! ```text
//! exercises/NN_name/Cargo.toml        package exNN-name, [package.metadata.grader]
//! exercises/NN_name/src/lib.rs        task description, a trait impl with a solution block
//! exercises/NN_name/tests/visible.rs  a graded test (p1_...), hidden.rs likewise
//! exercises/hints.toml                a ["NN_name"] table appended
//! ```

use std::path::{Path, PathBuf};

use crate::catalog::discover;
use crate::error::{io, GraderError, Result};

/// Create exercise `name` (lower-case letters, digits, `_`) as the next number; returns its directory.
pub fn new_exercise(exercises_dir: &Path, name: &str) -> Result<PathBuf> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(GraderError::Manifest {
            path: exercises_dir.to_path_buf(),
            message: format!("exercise name {name:?}: use lower-case letters, digits and `_`"),
        });
    }
    let next = discover(exercises_dir)?
        .iter()
        .map(|e| e.number)
        .max()
        .unwrap_or(0)
        + 1;
    let dir_name = format!("{next:02}_{name}");
    let dir = exercises_dir.join(&dir_name);
    let package = format!("ex{next:02}-{}", name.replace('_', "-"));
    let krate = package.replace('-', "_");
    let title = name.replace('_', " ");
    std::fs::create_dir_all(dir.join("src")).map_err(io(&dir))?;
    std::fs::create_dir_all(dir.join("tests")).map_err(io(&dir))?;
    let files = [
        (
            "Cargo.toml",
            format!(
                r#"[package]
name = "{package}"
description = "Exercise {next:02}: {title}"
version.workspace = true
edition.workspace = true
publish.workspace = true

[package.metadata.grader]
title = "{title}"
editable = ["src/lib.rs"]
timeout_secs = 10
memory_mb = 1024

[dependencies]
trainlab-exercise-api.workspace = true

[dev-dependencies]
trainlab-exercise-harness.workspace = true

[lints]
workspace = true
"#
            ),
        ),
        (
            "src/lib.rs",
            format!(
                r#"//! # Exercise {next:02}: {title}
//!
//! TODO (instructor): the task, the formula as plain code, and which lesson trait to implement
//! (re-export it from exercises/api if it is not there yet).

/// TODO (instructor): the function or trait impl the student writes.
pub fn answer() -> u32 {{
    // TODO: compute the answer.
    // BEGIN SOLUTION
    42
    // STUB: todo!("the answer")
    // END SOLUTION
}}
"#
            ),
        ),
        (
            "tests/visible.rs",
            format!(
                r#"//! Visible tests of exercise {next:02}. Points: the `pN_` prefix of a test's name.

use trainlab_exercise_harness::graded;

#[test]
fn p1_the_answer() {{
    graded(|| assert_eq!({krate}::answer(), 42));
}}
"#
            ),
        ),
        (
            "tests/hidden.rs",
            format!(
                r#"//! Hidden tests of exercise {next:02} (never released).

use trainlab_exercise_harness::graded;

#[test]
fn p1_the_answer_again() {{
    graded(|| assert_eq!({krate}::answer(), 42));
}}
"#
            ),
        ),
    ];
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::write(&p, text).map_err(io(&p))?;
    }
    let hints = exercises_dir.join("hints.toml");
    let mut text = std::fs::read_to_string(&hints).unwrap_or_default();
    text.push_str(&format!(
        "\n[\"{dir_name}\"]\nhints = [\"TODO (instructor): a first hint.\"]\n"
    ));
    std::fs::write(&hints, text).map_err(io(&hints))?;
    Ok(dir)
}
