//! `sync-exercises`: make every generated part of the course agree with `course.toml`.
//!
//! ```text
//! exercises/NN_slug/                 renamed to the entry's place in the manifest
//!   Cargo.toml                       package exNN-slug, description "Exercise NN: TITLE", title
//!   every text file of the crate     `exOLD_slug` -> `exNN_slug`, "Exercise OLD" -> "Exercise NN",
//!                                    `cargo make grade|hint OLD` -> NN
//!   src/lib.rs                       `//! # Exercise NN: TITLE` and the generated line
//!                                    "Edit only this file. `cargo make grade N` ...; `cargo make hint N` ..."
//! exercises/Cargo.lock               refreshed (cargo metadata --offline) after a rename
//! README.md                          links to renamed exercises; the list between
//!                                    `<!-- exercises:begin` and `<!-- exercises:end -->`
//! notebooks/source/*.txt             links to renamed exercises; in each entry's notebook the
//!                                    pointer block `<!-- exercises ... -->` ... `<!-- /exercises -->`
//!                                    (first time: it replaces the paragraph starting "Exercise:")
//! ```
//!
//! [`sync`] with `apply = false` only reports what is out of date (what `validate` checks).

use std::path::{Path, PathBuf};

use crate::catalog::{self, Exercise};
use crate::course::{self, Course};
use crate::error::{io, GraderError, Result};

/// One generated file or directory that differs from what the manifest says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The file or directory.
    pub path: PathBuf,
    /// What changes.
    pub what: String,
}

/// Where the README's generated list starts (the rest of that line is free text).
pub const README_BEGIN: &str = "<!-- exercises:begin";
/// Where it ends.
pub const README_END: &str = "<!-- exercises:end -->";
/// A notebook's generated pointer block starts with a line beginning with this ...
pub const POINTER_BEGIN: &str = "<!-- exercises";
/// ... and ends with this line.
pub const POINTER_END: &str = "<!-- /exercises -->";

/// An exercise's current directory and the one the manifest gives it.
struct Placed {
    index: usize,
    old_dir: Option<PathBuf>,
    new_dir: PathBuf,
}

impl Placed {
    fn old_number(&self) -> usize {
        self.old_dir
            .as_ref()
            .and_then(|d| d.file_name()?.to_str().and_then(course::split_dir_name))
            .map_or(self.index + 1, |(n, _)| n)
    }
}

/// Bring the exercises workspace `exercises_dir` (and the README.md and notebooks/source of
/// its parent, when they exist) in line with its `course.toml`. With `apply = false` nothing is
/// written; either way the changes are returned.
pub fn sync(exercises_dir: &Path, apply: bool) -> Result<Vec<Change>> {
    let course = Course::load(exercises_dir)?.ok_or_else(|| GraderError::Manifest {
        path: exercises_dir.join(course::FILE),
        message: "no course manifest (the exercises in lecture order); see the README's instructor's guide".into(),
    })?;
    let placed = place(exercises_dir, &course)?;
    let mut changes = Vec::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    for p in &placed {
        let Some(old) = &p.old_dir else { continue };
        if *old != p.new_dir {
            renames.push((file_name(old), file_name(&p.new_dir)));
            changes.push(Change {
                path: old.clone(),
                what: format!("renamed to {}", p.new_dir.display()),
            });
        }
    }
    if apply {
        for p in &placed {
            if let Some(old) = p.old_dir.as_ref().filter(|o| **o != p.new_dir) {
                std::fs::rename(old, &p.new_dir).map_err(io(old))?;
            }
        }
    }
    // Each crate's files, read from where they are now.
    let mut loaded: Vec<Option<Exercise>> = Vec::new();
    for p in &placed {
        let entry = &course.exercises[p.index];
        let Some(old) = &p.old_dir else {
            loaded.push(None);
            continue;
        };
        let here = if apply { &p.new_dir } else { old };
        let (from, to) = (p.old_number(), p.index + 1);
        for file in text_files(here)? {
            let text = std::fs::read_to_string(&file).map_err(io(&file))?;
            let mut new = renumber(&text, from, to, &entry.slug);
            let rel = file.strip_prefix(here).unwrap_or(&file);
            if rel == Path::new("Cargo.toml") {
                new = cargo_toml(&new, to, &entry.title);
            } else if rel == Path::new("src/lib.rs") {
                let editable = catalog::load(here).map(|e| e.editable).unwrap_or_default();
                new = lib_header(&new, to, &entry.title, &editable);
            }
            if new != text {
                let shown = p.new_dir.join(rel);
                changes.push(Change {
                    path: shown,
                    what: "numbers, title or the \"Edit only\" line regenerated".into(),
                });
                if apply {
                    std::fs::write(&file, new).map_err(io(&file))?;
                }
            }
        }
        loaded.push(catalog::load(here).ok());
    }
    if apply && !renames.is_empty() {
        refresh_lock(exercises_dir);
    }
    // The repository around the exercises: README.md and notebooks/source.
    let Some(repo) = exercises_dir.parent() else {
        return Ok(changes);
    };
    let readme = repo.join("README.md");
    if readme.is_file() {
        let text = std::fs::read_to_string(&readme).map_err(io(&readme))?;
        let mut new = rename_links(&text, &renames, "exercises/");
        if let Some(list) = readme_list(&course, &loaded) {
            new = replace_block(&new, README_BEGIN, README_END, &list).unwrap_or(new);
        }
        record(
            &mut changes,
            &readme,
            &text,
            &new,
            "the exercise list",
            apply,
        )?;
    }
    let sources = repo.join("notebooks").join("source");
    if sources.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&sources)
            .map_err(io(&sources))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for file in files {
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&file).map_err(io(&file))?;
            let mut new = rename_links(&text, &renames, "exercises/");
            let mine: Vec<usize> = (0..course.exercises.len())
                .filter(|&i| course.exercises[i].notebook.as_deref() == Some(stem))
                .collect();
            new = pointer_block(&new, &course, &mine);
            record(
                &mut changes,
                &file,
                &text,
                &new,
                "the exercise pointer",
                apply,
            )?;
        }
    }
    Ok(changes)
}

fn record(
    changes: &mut Vec<Change>,
    path: &Path,
    old: &str,
    new: &str,
    what: &str,
    apply: bool,
) -> Result<()> {
    if old != new {
        changes.push(Change {
            path: path.to_path_buf(),
            what: format!("{what} regenerated"),
        });
        if apply {
            std::fs::write(path, new).map_err(io(path))?;
        }
    }
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

/// Each entry's current directory (found by slug) and its place by the manifest.
fn place(exercises_dir: &Path, course: &Course) -> Result<Vec<Placed>> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for e in std::fs::read_dir(exercises_dir).map_err(io(exercises_dir))? {
        let path = e.map_err(io(exercises_dir))?.path();
        if !path.is_dir() {
            continue;
        }
        let name = file_name(&path);
        if let Some((_, slug)) = course::split_dir_name(&name) {
            found.push((slug.to_string(), path));
        }
    }
    found.sort();
    if let Some((slug, path)) = found
        .iter()
        .find(|(slug, _)| !course.exercises.iter().any(|e| e.slug == *slug))
    {
        return Err(GraderError::Manifest {
            path: course.path.clone(),
            message: format!(
                "{} ({slug:?}) has no [[exercise]] entry: add one, or move the directory away",
                path.display()
            ),
        });
    }
    course
        .exercises
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let mut dirs = found.iter().filter(|(s, _)| *s == entry.slug);
            let old_dir = dirs.next().map(|(_, p)| p.clone());
            if let Some((_, second)) = dirs.next() {
                return Err(GraderError::Manifest {
                    path: course.path.clone(),
                    message: format!(
                        "two directories for exercise {:?}: {} and {}",
                        entry.slug,
                        old_dir.unwrap_or_default().display(),
                        second.display()
                    ),
                });
            }
            Ok(Placed {
                index,
                old_dir,
                new_dir: exercises_dir.join(course.dir_name(index)),
            })
        })
        .collect()
}

/// The crate's text files: `*.rs`, `*.toml`, `*.md` (no `target/`).
fn text_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(io(&d))? {
            let path = e.map_err(io(&d))?.path();
            if path.is_dir() {
                if file_name(&path) != "target" {
                    stack.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "toml" || e == "md")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `text` with every whole-word `from` replaced by `to` (a word: not preceded or followed by an
/// identifier character; `-` counts as part of the word after it, as in package names).
pub fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        let whole =
            !before.is_some_and(is_ident) && !after.is_some_and(|c| is_ident(c) || c == '-');
        out.push_str(if whole { to } else { from });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// A crate's text with exercise number `from` replaced by `to`: crate and package names,
/// "Exercise NN", and `cargo make grade|hint N`.
pub fn renumber(text: &str, from: usize, to: usize, slug: &str) -> String {
    if from == to {
        return text.to_string();
    }
    let mut s = replace_word(
        text,
        &format!("ex{from:02}_{slug}"),
        &format!("ex{to:02}_{slug}"),
    );
    s = replace_word(
        &s,
        &course::package_name(from, slug),
        &course::package_name(to, slug),
    );
    for word in ["Exercise", "exercise"] {
        s = replace_word(&s, &format!("{word} {from:02}"), &format!("{word} {to:02}"));
    }
    for task in ["grade", "hint"] {
        s = replace_word(
            &s,
            &format!("cargo make {task} {from}"),
            &format!("cargo make {task} {to}"),
        );
    }
    s
}

/// Set `key = "value"` in the `[section]` of a Cargo.toml text, keeping everything else.
fn set_string_key(text: &str, section: &str, key: &str, value: &str) -> String {
    let line_for = format!("{key} = {}", toml::Value::String(value.to_string()));
    let mut out: Vec<String> = Vec::new();
    let (mut in_section, mut done) = (false, false);
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            if in_section && !done {
                // insert at the end of the section, before its trailing blank lines
                let mut at = out.len();
                while at > 0 && out[at - 1].is_empty() {
                    at -= 1;
                }
                out.insert(at, line_for.clone());
                done = true;
            }
            in_section = t == format!("[{section}]");
        }
        let is_key = t
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='));
        if in_section && !done && is_key {
            out.push(line_for.clone());
            done = true;
            continue;
        }
        out.push(line.to_string());
        if i + 1 == lines.len() && in_section && !done {
            out.push(line_for.clone());
            done = true;
        }
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Cargo.toml with the generated description and title.
fn cargo_toml(text: &str, number: usize, title: &str) -> String {
    let s = set_string_key(
        text,
        "package",
        "description",
        &format!("Exercise {number:02}: {title}"),
    );
    set_string_key(&s, "package.metadata.grader", "title", title)
}

/// The generated "Edit only ..." line of exercise `number` (its editable files).
pub fn edit_line(number: usize, editable: &[String]) -> String {
    let what = if editable.is_empty() || editable == ["src/lib.rs"] {
        "this file".to_string()
    } else {
        editable
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "//! Edit only {what}. `cargo make grade {number}` runs its visible tests; \
         `cargo make hint {number}` gives a hint."
    )
}

/// lib.rs with the generated heading and "Edit only" line.
pub fn lib_header(text: &str, number: usize, title: &str, editable: &[String]) -> String {
    let heading = format!("//! # Exercise {number:02}: {title}");
    let edit = edit_line(number, editable);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    match lines.iter().position(|l| l.starts_with("//! # ")) {
        Some(i) => lines[i] = heading,
        None => {
            lines.insert(0, heading);
            lines.insert(1, "//!".into());
        }
    }
    match lines.iter().position(|l| l.starts_with("//! Edit only")) {
        Some(i) => lines[i] = edit,
        None => {
            let end = lines.iter().take_while(|l| l.starts_with("//!")).count();
            lines.insert(end, "//!".into());
            lines.insert(end + 1, edit);
        }
    }
    let mut s = lines.join("\n");
    if text.ends_with('\n') || text.is_empty() {
        s.push('\n');
    }
    s
}

/// `text` with links `PREFIX<old dir>` replaced for every rename.
fn rename_links(text: &str, renames: &[(String, String)], prefix: &str) -> String {
    let mut s = text.to_string();
    // through a placeholder, so that 02_a -> 03_a and 03_a -> 04_a cannot chain
    for (i, (old, _)) in renames.iter().enumerate() {
        s = replace_word(
            &s,
            &format!("{prefix}{old}"),
            &format!("{prefix}\u{0}{i}\u{0}"),
        );
    }
    for (i, (_, new)) in renames.iter().enumerate() {
        s = s.replace(&format!("{prefix}\u{0}{i}\u{0}"), &format!("{prefix}{new}"));
    }
    s
}

/// Replace the lines from the one starting with `begin` to the one equal to `end` (both kept
/// as given by `block`, which includes them). `None` when the markers are not there.
fn replace_block(text: &str, begin: &str, end: &str, block: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let b = lines
        .iter()
        .position(|l| l.trim_start().starts_with(begin))?;
    let e = b + lines[b..].iter().position(|l| l.trim() == end)?;
    let mut out: Vec<String> = lines[..b].iter().map(|s| s.to_string()).collect();
    out.extend(block.lines().map(str::to_string));
    out.extend(lines[e + 1..].iter().map(|s| s.to_string()));
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    Some(s)
}

/// The README's generated list (`None` while an exercise has no crate yet).
fn readme_list(course: &Course, loaded: &[Option<Exercise>]) -> Option<String> {
    let mut s = format!(
        "{README_BEGIN} (generated from exercises/course.toml by `cargo make sync-exercises`) -->\n\
         | # | exercise | lesson | notebook | points: visible + hidden |\n|---|---|---|---|---|\n"
    );
    let (mut visible, mut hidden) = (0, 0);
    for (i, (entry, ex)) in course.exercises.iter().zip(loaded).enumerate() {
        let ex = ex.as_ref()?;
        let h = ex.hidden_points();
        let v = ex.max_points() - h;
        visible += v;
        hidden += h;
        let notebook = entry
            .notebook
            .as_deref()
            .map(|n| format!("[{n}](notebooks/{n}.ipynb)"))
            .unwrap_or_default();
        s.push_str(&format!(
            "| {:02} | [{}](exercises/{}) | {} | {notebook} | {v} + {h} |\n",
            i + 1,
            entry.title,
            course.dir_name(i),
            entry.lesson.as_deref().unwrap_or("")
        ));
    }
    s.push_str(&format!(
        "| | **total** (the assignment's total in Gradescope) | | | **{visible} + {hidden} = {}** |\n{README_END}\n",
        visible + hidden
    ));
    Some(s)
}

/// A notebook source with its pointer block for exercises `mine` (indices), placed: where the
/// block is; else instead of the paragraph starting "Exercise:" (or "Exercises:"); else at the
/// end of the first markdown cell. Without exercises, an existing block is removed.
fn pointer_block(text: &str, course: &Course, mine: &[usize]) -> String {
    let block = if mine.is_empty() {
        String::new()
    } else {
        let mut b = format!(
            "{POINTER_BEGIN}: generated from exercises/course.toml by `cargo make sync-exercises` -->\n"
        );
        for &i in mine {
            let e = &course.exercises[i];
            let dir = course.dir_name(i);
            let summary = e
                .summary
                .as_deref()
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            b.push_str(&format!(
                "- **Exercise {:02}: {}** ([`exercises/{dir}`](../exercises/{dir})){summary}. \
                 `cargo make grade {}` checks it.\n",
                i + 1,
                e.title,
                i + 1
            ));
        }
        b.push_str(POINTER_END);
        b.push('\n');
        b
    };
    if let Some(s) = replace_block(text, POINTER_BEGIN, POINTER_END, &block) {
        return s;
    }
    if mine.is_empty() {
        return text.to_string();
    }
    let lines: Vec<&str> = text.lines().collect();
    let join = |before: &[&str], after: &[&str]| {
        let mut out: Vec<String> = before.iter().map(|s| s.to_string()).collect();
        out.extend(block.lines().map(str::to_string));
        out.extend(after.iter().map(|s| s.to_string()));
        let mut s = out.join("\n");
        if text.ends_with('\n') {
            s.push('\n');
        }
        s
    };
    if let Some(b) = lines
        .iter()
        .position(|l| l.starts_with("Exercise:") || l.starts_with("Exercises:"))
    {
        let e = b + lines[b..]
            .iter()
            .position(|l| l.trim().is_empty() || l.starts_with("## %%"))
            .unwrap_or(lines.len() - b);
        return join(&lines[..b], &lines[e..]);
    }
    // the end of the first markdown cell (before the blank lines preceding the next cell)
    let first_md = lines.iter().position(|l| l.trim() == "## %% md");
    let Some(start) = first_md else {
        return text.to_string();
    };
    let mut end = start
        + 1
        + lines[start + 1..]
            .iter()
            .position(|l| l.starts_with("## %%"))
            .unwrap_or(lines.len() - start - 1);
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let mut before: Vec<&str> = lines[..end].to_vec();
    before.push("");
    join(&before, &lines[end..])
}

/// Let cargo rewrite `Cargo.lock` for renamed or new packages (offline; a failure only means
/// the next build does it).
pub fn refresh_lock(exercises_dir: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let _ = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--offline",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(exercises_dir.join("Cargo.toml"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumbering_touches_whole_words_only() {
        let src = "//! # Exercise 02: RMSProp\nuse ex02_rmsprop::RmsProp;\nuse ex02_rmsprop_extra;\n// see exercise 02 and exercise 021; `cargo make hint 2`, `cargo make hint 21`\nname = \"ex02-rmsprop\"\n";
        let got = renumber(src, 2, 3, "rmsprop");
        assert_eq!(
            got,
            "//! # Exercise 03: RMSProp\nuse ex03_rmsprop::RmsProp;\nuse ex02_rmsprop_extra;\n// see exercise 03 and exercise 021; `cargo make hint 3`, `cargo make hint 21`\nname = \"ex03-rmsprop\"\n"
        );
        assert_eq!(renumber(src, 2, 2, "rmsprop"), src);
    }

    #[test]
    fn lib_header_is_generated() {
        let src = "//! # exercise 09: nesterov\n//!\n//! The task.\n\npub fn f() {}\n";
        let got = lib_header(src, 2, "Nesterov momentum", &["src/lib.rs".into()]);
        assert_eq!(
            got,
            "//! # Exercise 02: Nesterov momentum\n//!\n//! The task.\n//!\n//! Edit only this file. `cargo make grade 2` runs its visible tests; `cargo make hint 2` gives a hint.\n\npub fn f() {}\n"
        );
        // a second run changes nothing; a config exercise names its file
        assert_eq!(
            lib_header(&got, 2, "Nesterov momentum", &["src/lib.rs".into()]),
            got
        );
        assert!(edit_line(8, &["config.toml".into()]).starts_with("//! Edit only `config.toml`."));
    }

    #[test]
    fn cargo_toml_keys_are_set_in_their_section() {
        let src = "[package]\nname = \"ex02-a\"\ndescription = \"old\"\nversion = \"1\"\n\n[package.metadata.grader]\neditable = [\"src/lib.rs\"]\n\n[dependencies]\n";
        let got = cargo_toml(src, 3, "A \"quoted\" title");
        // toml writes a string with `"` in it as a literal string
        assert_eq!(
            got,
            "[package]\nname = \"ex02-a\"\ndescription = 'Exercise 03: A \"quoted\" title'\nversion = \"1\"\n\n[package.metadata.grader]\neditable = [\"src/lib.rs\"]\ntitle = 'A \"quoted\" title'\n\n[dependencies]\n"
        );
    }

    #[test]
    fn links_rename_without_chaining() {
        let renames = vec![
            ("02_a".to_string(), "03_a".to_string()),
            ("03_b".to_string(), "04_b".to_string()),
        ];
        let got = rename_links(
            "[x](../exercises/02_a) [y](exercises/03_b) exercises/03_bc",
            &renames,
            "exercises/",
        );
        assert_eq!(
            got,
            "[x](../exercises/03_a) [y](exercises/04_b) exercises/03_bc"
        );
    }

    #[test]
    fn pointer_block_replaces_the_exercise_paragraph_then_itself() {
        let course = Course::parse(
            "[[exercise]]\nslug = \"a\"\ntitle = \"A\"\nnotebook = \"01-n\"\nsummary = \"do a\"\n",
            Path::new("course.toml"),
        )
        .unwrap();
        let src = "## %% md\n# Title\n\nExercise: [`exercises/01_a`](../exercises/01_a) asks\nyou to do a.\n\nMore.\n## %% code\nlet x = 1;\n";
        let once = pointer_block(src, &course, &[0]);
        assert_eq!(
            once,
            "## %% md\n# Title\n\n<!-- exercises: generated from exercises/course.toml by `cargo make sync-exercises` -->\n- **Exercise 01: A** ([`exercises/01_a`](../exercises/01_a)): do a. `cargo make grade 1` checks it.\n<!-- /exercises -->\n\nMore.\n## %% code\nlet x = 1;\n"
        );
        assert_eq!(pointer_block(&once, &course, &[0]), once);
        // a notebook without a pointer gets one at the end of its first markdown cell
        let bare = "## %% md\n# Title\n\nIntro.\n\n## %% code\nlet x = 1;\n";
        let got = pointer_block(bare, &course, &[0]);
        assert!(
            got.starts_with("## %% md\n# Title\n\nIntro.\n\n<!-- exercises:")
                && got.ends_with("<!-- /exercises -->\n\n## %% code\nlet x = 1;\n"),
            "{got}"
        );
        // and loses it when no exercise points there any more
        assert!(!pointer_block(&once, &course, &[]).contains("exercises"));
    }
}
