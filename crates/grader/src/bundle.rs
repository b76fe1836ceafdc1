//! Zips: a student's submission (exactly the editable files) and the Gradescope autograder.
//!
//! ```text
//! submission.zip   NN_slug/<editable path> for every exercise, nothing else
//! gradescope.zip   setup.sh, run_autograder at the root; Cargo.toml, Cargo.lock, crates/ as
//!                  the student release has them (each exercise's reference body its stub, no
//!                  gen_exercise_*.py: grading needs no reference implementation, so none is on
//!                  the grading machine), exercises/ (editable files as released stubs: no
//!                  solution is shipped, hidden tests kept) -> Gradescope unpacks it into
//!                  /autograder/source
//! ```

use std::io::Write;
use std::path::Path;

use crate::catalog::Exercise;
use crate::error::{io, GraderError, Result};
use crate::markers;

/// Gradescope's image build script (Ubuntu): the sandbox, Rust, the grader, every dependency
/// downloaded and compiled, so that grading needs no network.
pub const SETUP_SH: &str = r#"#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image.
set -euo pipefail
apt-get update
# bubblewrap: the sandbox every build and test of student code runs in; util-linux: setpriv.
apt-get install -y --no-install-recommends curl ca-certificates build-essential bubblewrap util-linux
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain stable
. "$HOME/.cargo/env"
cd /autograder/source
cargo build --release --locked -p trainlab-grader
cargo fetch --locked --manifest-path exercises/Cargo.toml
# Compile dfdx and the lesson crates once, in the sandbox, offline, so each submission only
# builds its own code. Fails here (not at the first submission) if bubblewrap cannot run.
./target/release/trainlab-grader warm --exercises exercises
"#;

/// Gradescope's per-submission script.
pub const RUN_AUTOGRADER: &str = r#"#!/usr/bin/env bash
# Gradescope runs this per submission (a fresh container): grade in the sandbox, write results.json last.
set -u
. "$HOME/.cargo/env" 2>/dev/null || true
cd /autograder/source
./target/release/trainlab-grader gradescope-run --exercises exercises \
  --submission /autograder/submission --results /autograder/results/results.json
"#;

fn zerr(path: &Path) -> impl Fn(zip::result::ZipError) -> GraderError + '_ {
    move |e| GraderError::Zip {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Write `out`: the editable files of every exercise under `exercises_dir`. Returns the entries.
pub fn submit(exercises_dir: &Path, exercises: &[Exercise], out: &Path) -> Result<Vec<String>> {
    let file = std::fs::File::create(out).map_err(io(out))?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    let mut names = Vec::new();
    for ex in exercises {
        for rel in &ex.editable {
            let src = exercises_dir.join(&ex.dir_name).join(rel);
            let bytes = std::fs::read(&src).map_err(io(&src))?;
            let name = format!("{}/{rel}", ex.dir_name);
            zip.start_file(name.as_str(), opts).map_err(zerr(out))?;
            zip.write_all(&bytes).map_err(io(out))?;
            names.push(name);
        }
    }
    zip.finish().map_err(zerr(out))?;
    Ok(names)
}

/// Write the Gradescope autograder zip for the repository at `repo`.
pub fn gradescope(repo: &Path, exercises: &[Exercise], out: &Path) -> Result<usize> {
    let file = std::fs::File::create(out).map_err(io(out))?;
    let mut zip = zip::ZipWriter::new(file);
    let exec = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
    let plain = zip::write::SimpleFileOptions::default().unix_permissions(0o644);
    for (name, text) in [("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)] {
        zip.start_file(name, exec).map_err(zerr(out))?;
        zip.write_all(text.as_bytes()).map_err(io(out))?;
    }
    let editable: Vec<std::path::PathBuf> = exercises
        .iter()
        .flat_map(|ex| {
            ex.editable
                .iter()
                .map(move |r| Path::new("exercises").join(&ex.dir_name).join(r))
        })
        .collect();
    let mut count = 2;
    let mut add = |rel: &Path, zip: &mut zip::ZipWriter<std::fs::File>| -> Result<()> {
        let src = repo.join(rel);
        let mut bytes = std::fs::read(&src).map_err(io(&src))?;
        // a lesson crate's source: its exercise reference bodies become their stubs
        let lesson_src = rel.starts_with("crates")
            && !rel.starts_with("crates/grader")
            && rel.components().any(|c| c.as_os_str() == "src")
            && rel.extension().is_some_and(|e| e == "rs");
        if editable.iter().any(|e| e == rel) || lesson_src {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if markers::has_markers(&text) {
                bytes = markers::release(&text, &src)?.into_bytes();
            }
        }
        zip.start_file(rel.to_string_lossy().as_ref(), plain)
            .map_err(zerr(out))?;
        zip.write_all(&bytes).map_err(io(out))?;
        count += 1;
        Ok(())
    };
    for top in ["Cargo.toml", "Cargo.lock", "rust-toolchain.toml"] {
        if repo.join(top).is_file() {
            add(Path::new(top), &mut zip)?;
        }
    }
    for dir in ["crates", "exercises"] {
        let mut files = Vec::new();
        walk(&repo.join(dir), Path::new(dir), &mut files)?;
        for rel in files {
            if !crate::release::is_exercise_script(&rel) {
                add(&rel, &mut zip)?;
            }
        }
    }
    zip.finish().map_err(zerr(out))?;
    Ok(count)
}

/// Every regular file under `abs` (as paths starting with `rel`), skipping target/ and .git/.
fn walk(abs: &Path, rel: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(abs)
        .map_err(io(abs))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let ft = e.file_type().map_err(io(e.path()))?;
        if ft.is_dir() {
            walk(&e.path(), &rel.join(&name), out)?;
        } else if ft.is_file() {
            out.push(rel.join(&name));
        }
    }
    Ok(())
}
