//! `new-exercise NAME [--after N]`: a new exercise in lecture order, every part in place.
//!
//! ```text
//! exercises/course.toml               an [[exercise]] entry inserted after N (default: last);
//!                                     lesson and notebook inherited from exercise N
//! exercises/MM_*                      the exercises after it renumbered (see `sync`)
//! exercises/NN_name/Cargo.toml        package exNN-name, title, dev-dependency on the lesson crate
//! exercises/NN_name/src/lib.rs        heading, task placeholder, "Edit only ... hint N", a solution block
//! exercises/NN_name/tests/visible.rs  a graded test (p1_...), hidden.rs likewise
//! ```
//!
//! The scaffold compiles, its solution passes and its stub fails, but every placeholder says
//! `TODO (instructor)`, which `validate` rejects until each is replaced.

use std::path::{Path, PathBuf};

use crate::catalog::discover;
use crate::course::{self, Course};
use crate::error::{io, GraderError, Result};
use crate::sync;

/// The placeholder `validate` looks for: a scaffold still carrying it is unfinished.
pub const PLACEHOLDER: &str = "TODO (instructor)";

/// What to create.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// `lower_snake_case` slug, e.g. `nesterov`.
    pub name: String,
    /// Insert after this exercise (number, slug or directory); `None`: at the end.
    pub after: Option<String>,
    /// Title (default: the name, capitalised, `_` as spaces).
    pub title: Option<String>,
    /// Lesson crate its tests use (default: that of the exercise before it).
    pub lesson: Option<String>,
    /// Notebook that points at it (default: that of the exercise before it).
    pub notebook: Option<String>,
}

/// What `new_exercise` did.
#[derive(Clone, Debug)]
pub struct Created {
    /// The new crate's directory.
    pub dir: PathBuf,
    /// Its number.
    pub number: usize,
    /// Everything renamed or regenerated around it.
    pub changes: Vec<sync::Change>,
}

/// Create exercise `spec.name` in `exercises_dir` at its place in the course.
pub fn new_exercise(exercises_dir: &Path, spec: &Spec) -> Result<Created> {
    let manifest_err = |path: PathBuf, message: String| GraderError::Manifest { path, message };
    let name = spec.name.as_str();
    if !course::valid_slug(name) {
        return Err(manifest_err(
            exercises_dir.to_path_buf(),
            format!("exercise name {name:?}: use lower_snake_case (a-z, 0-9, `_`, starting with a letter)"),
        ));
    }
    let course = match Course::load(exercises_dir)? {
        Some(c) => c,
        None => init_manifest(exercises_dir)?,
    };
    let path = course.path.clone();
    if let Some(i) = course.exercises.iter().position(|e| e.slug == name) {
        return Err(manifest_err(
            path,
            format!(
                "exercise {name:?} already exists ({}): pick another name",
                course.dir_name(i)
            ),
        ));
    }
    let index = match &spec.after {
        None => course.exercises.len(),
        Some(which) => {
            course.find(which).ok_or_else(|| {
                manifest_err(
                    path.clone(),
                    format!(
                    "--after {which}: no such exercise (a number 1-{}, a slug or a directory name)",
                    course.exercises.len()
                ),
                )
            })? + 1
        }
    };
    let before = index.checked_sub(1).map(|i| &course.exercises[i]);
    let lesson = spec
        .lesson
        .clone()
        .or_else(|| before.and_then(|e| e.lesson.clone()));
    let notebook = spec
        .notebook
        .clone()
        .or_else(|| before.and_then(|e| e.notebook.clone()));
    let title = spec.title.clone().unwrap_or_else(|| {
        let words = name.replace('_', " ");
        let mut c = words.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    });
    let workspace = Workspace::read(exercises_dir)?;
    let lesson_dep = match &lesson {
        None => None,
        Some(l) => Some(workspace.dependency(l).ok_or_else(|| {
            manifest_err(
                exercises_dir.join("Cargo.toml"),
                format!(
                    "lesson {l:?} is not in [workspace.dependencies] (trainlab-{l} or {l}); there are: {}",
                    workspace.deps.join(", ")
                ),
            )
        })?),
    };
    // 1. the manifest entry
    let mut block = format!(
        "[[exercise]]\nslug = \"{name}\"\ntitle = {}\n",
        toml::Value::String(title.clone())
    );
    if let Some(l) = &lesson {
        block.push_str(&format!("lesson = {}\n", toml::Value::String(l.clone())));
    }
    if let Some(n) = &notebook {
        block.push_str(&format!("notebook = {}\n", toml::Value::String(n.clone())));
    }
    block.push_str(&format!(
        "summary = \"{PLACEHOLDER}: what the student writes, for the notebook's pointer\"\n\
         hints = [\"{PLACEHOLDER}: a first hint.\", \"{PLACEHOLDER}: a second, closer one.\"]\n"
    ));
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let new_text = course::insert_entry(&text, index, &block);
    Course::parse(&new_text, &path)?;
    std::fs::write(&path, new_text).map_err(io(&path))?;
    // 2. the exercises after it move up one
    let mut changes = sync::sync(exercises_dir, true)?;
    // 3. the crate
    let number = index + 1;
    let dir = exercises_dir.join(course::dir_name(number, name));
    write_crate(
        &dir,
        number,
        name,
        &title,
        lesson_dep.as_deref(),
        &workspace,
    )?;
    // 4. headings, the README's list and the notebook pointer, with it in place; the lock file
    changes.extend(sync::sync(exercises_dir, true)?);
    sync::refresh_lock(exercises_dir);
    Ok(Created {
        dir,
        number,
        changes,
    })
}

/// A manifest for a workspace that has none: its `NN_*` crates in their current order.
fn init_manifest(exercises_dir: &Path) -> Result<Course> {
    let mut text = String::from(
        "# The course's exercises in lecture order: the Nth entry is exercise N.\n\
         # See crates/grader/src/course.rs for the keys; `cargo make sync-exercises` after an edit.\n",
    );
    for ex in discover(exercises_dir)? {
        let slug = course::split_dir_name(&ex.dir_name)
            .map(|(_, s)| s.to_string())
            .unwrap_or(ex.dir_name.clone());
        text.push_str(&format!(
            "\n[[exercise]]\nslug = \"{slug}\"\ntitle = {}\n",
            toml::Value::String(ex.title.clone())
        ));
    }
    let path = exercises_dir.join(course::FILE);
    let course = Course::parse(&text, &path)?;
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(course)
}

/// What the exercises workspace manifest offers a new crate.
struct Workspace {
    deps: Vec<String>,
    has_lints: bool,
}

impl Workspace {
    fn read(exercises_dir: &Path) -> Result<Self> {
        let path = exercises_dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let bad = |message: String| GraderError::Manifest {
            path: path.clone(),
            message,
        };
        let doc: toml::Table = text
            .parse()
            .map_err(|e| bad(format!("not valid TOML: {e}")))?;
        let ws = doc
            .get("workspace")
            .and_then(|w| w.as_table())
            .ok_or_else(|| bad("no [workspace] table".into()))?;
        let globbed = ws
            .get("members")
            .and_then(|m| m.as_array())
            .is_some_and(|m| {
                m.iter()
                    .any(|v| v.as_str().is_some_and(|s| s.contains('*')))
            });
        if !globbed {
            return Err(bad(
                "[workspace] members must find exercises by pattern, e.g. \"[0-9][0-9]_*\", so that renumbering needs no edit"
                    .into(),
            ));
        }
        let deps = ws
            .get("dependencies")
            .and_then(|d| d.as_table())
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default();
        Ok(Self {
            deps,
            has_lints: ws.contains_key("lints"),
        })
    }

    /// The dependency key for lesson `l`: `trainlab-l`, else `l`.
    fn dependency(&self, l: &str) -> Option<String> {
        [format!("trainlab-{l}"), l.to_string()]
            .into_iter()
            .find(|k| self.deps.contains(k))
    }

    fn has(&self, key: &str) -> bool {
        self.deps.iter().any(|d| d == key)
    }
}

fn write_crate(
    dir: &Path,
    number: usize,
    name: &str,
    title: &str,
    lesson: Option<&str>,
    ws: &Workspace,
) -> Result<()> {
    let package = course::package_name(number, name);
    let krate = package.replace('-', "_");
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut cargo = format!(
        "[package]\nname = \"{package}\"\ndescription = {}\nversion.workspace = true\n\
         edition.workspace = true\npublish.workspace = true\n\n\
         # Read by the grader: the files a student edits, and the bounds of each test run.\n\
         [package.metadata.grader]\ntitle = {}\neditable = [\"src/lib.rs\"]\ntimeout_secs = 10\nmemory_mb = 1024\n\n",
        quoted(&format!("Exercise {number:02}: {title}")),
        quoted(title)
    );
    cargo.push_str("[dependencies]\n");
    if ws.has("trainlab-exercise-api") {
        cargo.push_str("trainlab-exercise-api.workspace = true\n");
    }
    cargo.push_str("\n[dev-dependencies]\ntrainlab-exercise-harness.workspace = true\n");
    if let Some(l) = lesson {
        cargo.push_str(&format!("{l}.workspace = true\n"));
    }
    if ws.has_lints {
        cargo.push_str("\n[lints]\nworkspace = true\n");
    }
    let lib = format!(
        r#"//! # Exercise {number:02}: {title}
//!
//! {PLACEHOLDER}: the task: what to implement, the formula as plain code (the lecture's
//! symbols), how it differs from PyTorch, and the lesson trait it implements (re-export the
//! trait, never its implementation, in exercises/api).
//!
{edit}

/// {PLACEHOLDER}: the function or trait impl the student writes.
pub fn answer() -> u32 {{
    // TODO: compute the answer.
    // BEGIN SOLUTION
    42
    // STUB: todo!("the answer")
    // END SOLUTION
}}
"#,
        edit = sync::edit_line(number, &["src/lib.rs".to_string()])
    );
    let lesson_use = lesson
        .map(|l| {
            format!(
                "// The lesson's reference implementation (a dev-dependency: tests may call it, the library cannot).\n\
                 #[allow(unused_imports)]\nuse {} as lesson;\n",
                l.replace('-', "_")
            )
        })
        .unwrap_or_default();
    let test = |which: &str, fn_name: &str| {
        format!(
            "//! {which} tests of exercise {number:02}. A test `pN_name` is worth N points; a name \
             without a `pN_` prefix, 1.\n//! {PLACEHOLDER}: tests with hand-derived values (say \
             where each comes from) and against the lesson's reference.\n\n\
             use trainlab_exercise_harness::graded;\n{lesson_use}\n\
             #[test]\nfn {fn_name}() {{\n    graded(|| assert_eq!({krate}::answer(), 42));\n}}\n"
        )
    };
    let files = [
        ("Cargo.toml", cargo),
        ("src/lib.rs", lib),
        (
            "tests/visible.rs",
            test("Visible (released)", "p1_the_answer"),
        ),
        (
            "tests/hidden.rs",
            test("Hidden (never released)", "p1_the_answer_again"),
        ),
    ];
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&p, text).map_err(io(&p))?;
    }
    Ok(())
}

/// Every `TODO (instructor)` left in the crates and the manifest, as `file:line` lines.
pub fn placeholders(exercises_dir: &Path, dir_names: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut files = vec![exercises_dir.join(course::FILE)];
    for d in dir_names {
        let mut stack = vec![exercises_dir.join(d)];
        while let Some(dir) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in rd.filter_map(|e| e.ok()) {
                let p = e.path();
                if p.is_dir() && e.file_name() != "target" {
                    stack.push(p);
                } else if p.is_file() {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if line.contains(PLACEHOLDER) {
                found.push(format!(
                    "{}:{}: the scaffold's `{PLACEHOLDER}` is still there: {}",
                    f.display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    found
}
