//! Staging: a private copy of the instructor's workspace with only the editable files taken
//! from a submission, and no test source in it yet.
//!
//! ```text
//! copy exercises/ (no target/, no .git/)        the pristine Cargo.toml, harness, api, ...
//!                                               (with their times: cargo finds them fresh)
//!   tests/**/*.rs                               a placeholder (the tests come after the
//!                                               libraries are built: see `grade`)
//!   each editable file = the submission's       if it has one (regular file, <= 1 MiB)
//!                      | the released stub      otherwise (the solution never touches the copy)
//! rewrite [workspace.dependencies] paths        "../crates/x" -> absolute (the copy lives elsewhere)
//! ```

use std::path::{Path, PathBuf};

use crate::catalog::Exercise;
use crate::error::{io, GraderError, Result};
use crate::markers;

/// Largest editable file taken from a submission.
pub const MAX_EDITABLE_BYTES: u64 = 1024 * 1024;

/// What a staged test source holds until the libraries are built.
pub const TEST_PLACEHOLDER: &str = "// test sources are compiled after the libraries\n";

/// Where the editable files come from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// The instructor's files as they are (solutions; or a student's own workspace).
    AsIs,
    /// The released stubs.
    Stub,
    /// A submission directory: `NN_slug/<editable path>` (or under `exercises/`).
    Submission(&'a Path),
}

/// A staged copy.
#[derive(Clone, Debug, Default)]
pub struct Staged {
    /// Notes for the feedback (missing or refused files).
    pub notes: Vec<String>,
    /// What a build of the copy reads outside it: the path dependencies and their manifests
    /// (a sandboxed build sees these read-only, and nothing else of the instructor's).
    pub build_inputs: Vec<PathBuf>,
    /// Every test source of the copy (`crate/tests/**.rs`), now a placeholder.
    pub test_sources: Vec<PathBuf>,
}

/// Copy `pristine` to `dest` (test sources as placeholders) and put in the editable files from
/// `source`.
pub fn stage(
    pristine: &Path,
    dest: &Path,
    exercises: &[Exercise],
    source: Source<'_>,
) -> Result<Staged> {
    let editable: Vec<PathBuf> = exercises
        .iter()
        .flat_map(|ex| ex.editable.iter().map(|r| Path::new(&ex.dir_name).join(r)))
        .collect();
    let mut staged = Staged::default();
    let is_editable = |rel: &Path| editable.iter().any(|e| e == rel);
    let skip = |rel: &Path| !matches!(source, Source::AsIs) && is_editable(rel);
    let copy = Copy {
        skip: &skip,
        fresh: &is_editable,
    };
    copy_staged(
        pristine,
        dest,
        Path::new(""),
        &copy,
        &mut staged.test_sources,
    )?;
    let deps = absolutize_workspace_paths(pristine, &dest.join("Cargo.toml"))?;
    staged.build_inputs = build_inputs(&deps, pristine);
    for ex in exercises {
        for rel in &ex.editable {
            let target = dest.join(&ex.dir_name).join(rel);
            let pristine_file = pristine.join(&ex.dir_name).join(rel);
            let stub = || -> Result<Vec<u8>> {
                let text = std::fs::read_to_string(&pristine_file).map_err(io(&pristine_file))?;
                Ok(markers::release(&text, &pristine_file)?.into_bytes())
            };
            let bytes = match source {
                Source::AsIs => continue,
                Source::Stub => stub()?,
                Source::Submission(dir) => match submitted_file(dir, &ex.dir_name, rel) {
                    Ok(bytes) => bytes,
                    Err(why) => {
                        staged.notes.push(format!(
                            "{}/{rel}: {why}; graded the unchanged stub",
                            ex.dir_name
                        ));
                        stub()?
                    }
                },
            };
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::write(&target, bytes).map_err(io(&target))?;
        }
    }
    Ok(staged)
}

/// Which files [`copy_staged`] leaves out, and which get a fresh modification time.
struct Copy<'a> {
    skip: &'a dyn Fn(&Path) -> bool,
    fresh: &'a dyn Fn(&Path) -> bool,
}

/// Copy `from/rel` to `to/rel` (regular files and directories; no `target`, `.git`, symlinks),
/// leaving out the files `copy.skip` names and writing a placeholder for every `tests/**.rs`.
fn copy_staged(
    from: &Path,
    to: &Path,
    rel: &Path,
    copy: &Copy<'_>,
    tests: &mut Vec<PathBuf>,
) -> Result<()> {
    let (src_dir, dst_dir) = (from.join(rel), to.join(rel));
    std::fs::create_dir_all(&dst_dir).map_err(io(&dst_dir))?;
    for entry in std::fs::read_dir(&src_dir).map_err(io(&src_dir))? {
        let entry = entry.map_err(io(&src_dir))?;
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let rel = rel.join(&name);
        let ft = entry.file_type().map_err(io(entry.path()))?;
        if ft.is_dir() {
            copy_staged(from, to, &rel, copy, tests)?;
        } else if ft.is_file() && !(copy.skip)(&rel) {
            let dst = to.join(&rel);
            let in_tests = rel.components().any(|c| c.as_os_str() == "tests");
            if in_tests && rel.extension().is_some_and(|e| e == "rs") {
                std::fs::write(&dst, TEST_PLACEHOLDER).map_err(io(&dst))?;
                tests.push(rel);
            } else if (copy.fresh)(&rel) {
                std::fs::copy(entry.path(), &dst).map_err(io(entry.path()))?;
            } else {
                // The instructor's own files keep their time, so that cargo finds the crates
                // nobody submits (api, harness) fresh and rebuilds only the students' code
                // (every editable file is written now: always newer than the last build).
                std::fs::copy(entry.path(), &dst).map_err(io(entry.path()))?;
                let modified = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .map_err(io(entry.path()))?;
                std::fs::File::options()
                    .write(true)
                    .open(&dst)
                    .and_then(|f| f.set_modified(modified))
                    .map_err(io(&dst))?;
            }
        }
    }
    Ok(())
}

/// What a build reads outside the staged copy: each path dependency, each `Cargo.toml` above
/// one (workspace inheritance), and those workspaces' own path dependencies, transitively;
/// never `pristine` or a directory holding it (the staged copy stands in for it).
pub fn build_inputs(deps: &[PathBuf], pristine: &Path) -> Vec<PathBuf> {
    let pristine = pristine
        .canonicalize()
        .unwrap_or_else(|_| pristine.to_path_buf());
    let mut queue: Vec<PathBuf> = deps.to_vec();
    let mut out: Vec<PathBuf> = Vec::new();
    while let Some(dir) = queue.pop() {
        if out.contains(&dir) || !dir.exists() || pristine.starts_with(&dir) {
            continue;
        }
        for parent in dir.ancestors().skip(1) {
            let manifest = parent.join("Cargo.toml");
            if !manifest.is_file() || out.contains(&manifest) || manifest.starts_with(&pristine) {
                continue;
            }
            queue.extend(workspace_path_deps(&manifest));
            out.push(manifest);
        }
        out.push(dir);
    }
    // A directory already listed covers the files under it.
    let dirs: Vec<PathBuf> = out.iter().filter(|p| p.is_dir()).cloned().collect();
    out.retain(|p| !dirs.iter().any(|d| p != d && p.starts_with(d)));
    out.sort();
    out
}

/// The `path = ...` entries of a manifest's `[workspace.dependencies]`, absolute.
fn workspace_path_deps(manifest: &Path) -> Vec<PathBuf> {
    let Some(base) = manifest.parent() else {
        return Vec::new();
    };
    let Ok(doc) = std::fs::read_to_string(manifest)
        .unwrap_or_default()
        .parse::<toml::Table>()
    else {
        return Vec::new();
    };
    let deps = doc
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table());
    deps.into_iter()
        .flat_map(|d| d.values())
        .filter_map(|dep| dep.get("path")?.as_str())
        .map(|p| {
            let abs = base.join(p);
            abs.canonicalize().unwrap_or(abs)
        })
        .collect()
}

/// The submission's copy of `dir_name/rel`, refusing symlinks, non-files and large files.
fn submitted_file(sub: &Path, dir_name: &str, rel: &str) -> std::result::Result<Vec<u8>, String> {
    let candidates = [
        sub.join(dir_name).join(rel),
        sub.join("exercises").join(dir_name).join(rel),
    ];
    let Some(path) = candidates.iter().find(|p| p.symlink_metadata().is_ok()) else {
        return Err("not in the submission".into());
    };
    // Every component below the submission root must be a real directory / file, no symlink.
    let mut walk = PathBuf::from(sub);
    for comp in path.strip_prefix(sub).map_err(|_| "bad path")?.components() {
        walk.push(comp);
        let meta = walk.symlink_metadata().map_err(|e| e.to_string())?;
        if meta.file_type().is_symlink() {
            return Err("is a symbolic link (refused)".into());
        }
    }
    let meta = path.symlink_metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_EDITABLE_BYTES {
        return Err(format!("larger than {MAX_EDITABLE_BYTES} bytes (refused)"));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// Copy a directory tree (regular files and directories only; skips `target`, `.git`, symlinks).
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
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
            copy_tree(&src, &dst)?;
        } else if ft.is_file() {
            std::fs::copy(&src, &dst).map_err(io(&src))?;
        }
    }
    Ok(())
}

/// In the copied workspace manifest, make `path = "../..."` dependencies absolute (relative to
/// the pristine workspace), so the copy finds the lesson crates from anywhere. Returns them.
pub fn absolutize_workspace_paths(pristine: &Path, manifest: &Path) -> Result<Vec<PathBuf>> {
    let text = std::fs::read_to_string(manifest).map_err(io(manifest))?;
    let mut doc: toml::Table = text.parse().map_err(|e| GraderError::Manifest {
        path: manifest.to_path_buf(),
        message: format!("not valid TOML: {e}"),
    })?;
    let base = pristine.canonicalize().map_err(io(pristine))?;
    let deps = doc
        .get_mut("workspace")
        .and_then(|w| w.get_mut("dependencies"))
        .and_then(|d| d.as_table_mut());
    let mut outside = Vec::new();
    if let Some(deps) = deps {
        for (_, dep) in deps.iter_mut() {
            if let Some(path) = dep.get_mut("path") {
                if let Some(p) = path.as_str().filter(|p| p.starts_with("..")) {
                    let abs = base.join(p);
                    let abs = abs.canonicalize().unwrap_or(abs);
                    *path = toml::Value::String(abs.to_string_lossy().into_owned());
                    outside.push(abs);
                } else if let Some(p) = path.as_str().filter(|p| Path::new(p).is_absolute()) {
                    outside.push(PathBuf::from(p));
                }
            }
        }
    }
    std::fs::write(manifest, doc.to_string()).map_err(io(manifest))?;
    Ok(outside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submitted_files_refuse_symlinks_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path();
        std::fs::create_dir_all(sub.join("01_a/src")).unwrap();
        std::fs::write(sub.join("01_a/src/lib.rs"), "ok").unwrap();
        assert_eq!(submitted_file(sub, "01_a", "src/lib.rs").unwrap(), b"ok");
        assert!(submitted_file(sub, "02_b", "src/lib.rs").is_err());
        std::fs::create_dir_all(sub.join("02_b/src")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", sub.join("02_b/src/lib.rs")).unwrap();
        let e = submitted_file(sub, "02_b", "src/lib.rs").unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
    }

    #[test]
    fn workspace_paths_become_absolute() {
        let dir = tempfile::tempdir().unwrap();
        let pristine = dir.path().join("ws");
        std::fs::create_dir_all(dir.path().join("crates/x")).unwrap();
        std::fs::create_dir_all(&pristine).unwrap();
        let manifest = dir.path().join("copy.toml");
        std::fs::write(
            &manifest,
            "[workspace]\nmembers = []\n[workspace.dependencies]\nx = { path = \"../crates/x\" }\ny = { path = \"y\" }\nz = \"1\"\n",
        )
        .unwrap();
        absolutize_workspace_paths(&pristine, &manifest).unwrap();
        let doc: toml::Table = std::fs::read_to_string(&manifest).unwrap().parse().unwrap();
        let deps = &doc["workspace"]["dependencies"];
        let x = deps["x"]["path"].as_str().unwrap();
        assert!(Path::new(x).is_absolute() && x.ends_with("crates/x"), "{x}");
        assert_eq!(deps["y"]["path"].as_str(), Some("y"));
    }
}
