//! The course manifest `exercises/course.toml`: the exercises in lecture order, one entry each.
//!
//! ```text
//! [[exercise]]                      one per exercise, in lecture order: the Nth entry is exercise N
//! slug = "momentum"                 lower_snake_case, unique: directory NN_momentum, package exNN-momentum
//! title = "Momentum"                the task's heading, Cargo.toml's title, the README's list
//! lesson = "optimizers"             optional: the lesson crate its tests compare against
//!                                   (dev-dependency trainlab-optimizers, a key of [workspace.dependencies])
//! notebook = "01-optimizers"        optional: the notebook (notebooks/source/NAME.txt) that points at it
//! summary = "write the momentum rule yourself"   optional: the notebook pointer's text
//! points = 15                       optional: validate checks the tests (visible + hidden) add up to it
//! hints = ["first", "second"]       what `cargo make hint N [LEVEL]` prints
//! hidden_points = 4                 written by `release` into the student's copy only
//! ```
//!
//! Everything numbered (directory, package and crate name, "Exercise NN" in the task, the
//! "Edit only ... `cargo make hint N`" line, the README's list, the notebooks' pointers) is
//! generated from this file by [`crate::sync`]: reordering or inserting an entry renumbers
//! nothing by hand.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{io, GraderError, Result};

/// The manifest's file name inside the exercises workspace.
pub const FILE: &str = "course.toml";

/// One exercise of the course.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `lower_snake_case`, unique: the directory is `NN_slug`.
    pub slug: String,
    /// A human title, e.g. "Momentum".
    pub title: String,
    /// The lesson crate its tests use (a key of `[workspace.dependencies]`, with or without
    /// the `trainlab-` prefix).
    #[serde(default)]
    pub lesson: Option<String>,
    /// The notebook that points at it (`notebooks/source/NOTEBOOK.txt`).
    #[serde(default)]
    pub notebook: Option<String>,
    /// The notebook pointer's text ("write the momentum rule yourself").
    #[serde(default)]
    pub summary: Option<String>,
    /// If given, the tests' points (visible + hidden) must add up to it.
    #[serde(default)]
    pub points: Option<u32>,
    /// The hints, in the order `cargo make hint N LEVEL` prints them.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Written by `release` only: the points of the hidden tests the release leaves out, so a
    /// student's `grade` can say what is still to come.
    #[serde(default)]
    pub hidden_points: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    exercise: Vec<Entry>,
}

/// The parsed manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct Course {
    /// Where it was read from.
    pub path: PathBuf,
    /// The exercises in lecture order (index 0 is exercise 01).
    pub exercises: Vec<Entry>,
}

/// Whether `slug` is a valid exercise name: lower-case ASCII letters, digits and `_`, starting
/// with a letter.
pub fn valid_slug(slug: &str) -> bool {
    slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The package name of exercise `number` with `slug`: `ex02-lr-decay`.
pub fn package_name(number: usize, slug: &str) -> String {
    format!("ex{number:02}-{}", slug.replace('_', "-"))
}

/// The directory name of exercise `number` with `slug`: `02_lr_decay`.
pub fn dir_name(number: usize, slug: &str) -> String {
    format!("{number:02}_{slug}")
}

/// The slug of a directory named `NN_slug`, with its number.
pub fn split_dir_name(name: &str) -> Option<(usize, &str)> {
    let (digits, slug) = name.split_once('_')?;
    if digits.len() != 2 || !digits.bytes().all(|b| b.is_ascii_digit()) || slug.is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, slug))
}

impl Course {
    /// The manifest of the exercises workspace `dir`, or `None` if it has none (a bare
    /// workspace of `NN_*` crates, numbered by their directories).
    pub fn load(dir: &Path) -> Result<Option<Course>> {
        let path = dir.join(FILE);
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        Course::parse(&text, &path).map(Some)
    }

    /// Parse and check a manifest's text (`path` is for error messages).
    pub fn parse(text: &str, path: &Path) -> Result<Course> {
        let bad = |message: String| GraderError::Manifest {
            path: path.to_path_buf(),
            message,
        };
        let m: Manifest = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        if m.exercise.len() > 99 {
            return Err(bad("more than 99 exercises: numbers have two digits".into()));
        }
        for (i, e) in m.exercise.iter().enumerate() {
            let n = i + 1;
            if !valid_slug(&e.slug) {
                return Err(bad(format!(
                    "exercise {n}: slug {:?} must be lower_snake_case (a-z, 0-9, `_`, starting with a letter)",
                    e.slug
                )));
            }
            if let Some(first) = m.exercise[..i].iter().position(|o| o.slug == e.slug) {
                return Err(bad(format!(
                    "exercise {n}: slug {:?} is already exercise {}: slugs must be unique",
                    e.slug,
                    first + 1
                )));
            }
            if e.title.trim().is_empty() {
                return Err(bad(format!("exercise {n} ({}): title is empty", e.slug)));
            }
        }
        Ok(Course {
            path: path.to_path_buf(),
            exercises: m.exercise,
        })
    }

    /// The directory name of the exercise at `index` (0-based).
    pub fn dir_name(&self, index: usize) -> String {
        dir_name(index + 1, &self.exercises[index].slug)
    }

    /// The index of the exercise meant by `which`: its number (`2`, `02`), slug or directory name.
    pub fn find(&self, which: &str) -> Option<usize> {
        if let Ok(n) = which.parse::<usize>() {
            return (1..=self.exercises.len()).contains(&n).then(|| n - 1);
        }
        self.exercises
            .iter()
            .enumerate()
            .position(|(i, e)| e.slug == which || self.dir_name(i) == which)
    }
}

/// `text` with `block` (a `[[exercise]]` table) inserted so that it becomes the entry at
/// `index` (0-based): before the `index`-th `[[exercise]]` header, or at the end. Comments and
/// formatting of the rest are kept.
pub fn insert_entry(text: &str, index: usize, block: &str) -> String {
    let mut headers = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == "[[exercise]]" {
            if headers == index {
                // keep the comment lines just above the header with their entry
                let before = &text[..offset];
                let cut = comment_start(before);
                return format!("{}{block}\n{}", &text[..cut], &text[cut..]);
            }
            headers += 1;
        }
        offset += line.len();
    }
    let mut out = text.to_string();
    if !out.ends_with('\n') && !out.is_empty() {
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(block);
    out
}

/// The start of the run of comment lines at the end of `before`.
fn comment_start(before: &str) -> usize {
    let mut cut = before.len();
    for line in before.split_inclusive('\n').rev() {
        if line.trim_start().starts_with('#') {
            cut -= line.len();
        } else {
            break;
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "# the course\n\n[[exercise]]\nslug = \"momentum\"\ntitle = \"Momentum\"\n\n# second\n[[exercise]]\nslug = \"adam\"\ntitle = \"Adam\"\nhints = [\"h1\", \"h2\"]\n";

    fn parse(text: &str) -> Result<Course> {
        Course::parse(text, Path::new("course.toml"))
    }

    #[test]
    fn numbers_come_from_the_order() {
        let c = parse(TWO).unwrap();
        assert_eq!(c.dir_name(0), "01_momentum");
        assert_eq!(c.dir_name(1), "02_adam");
        assert_eq!(c.find("2"), Some(1));
        assert_eq!(c.find("02"), Some(1));
        assert_eq!(c.find("adam"), Some(1));
        assert_eq!(c.find("01_momentum"), Some(0));
        assert_eq!(c.find("3"), None);
        assert_eq!(c.exercises[1].hints, ["h1", "h2"]);
        assert_eq!(package_name(4, "lr_decay"), "ex04-lr-decay");
        assert_eq!(split_dir_name("04_lr_decay"), Some((4, "lr_decay")));
        assert_eq!(split_dir_name("api"), None);
        assert_eq!(split_dir_name("4_x"), None);
    }

    #[test]
    fn bad_manifests_name_the_exercise() {
        let dup = format!("{TWO}\n[[exercise]]\nslug = \"adam\"\ntitle = \"Again\"\n");
        let e = parse(&dup).unwrap_err().to_string();
        assert!(
            e.contains("exercise 3") && e.contains("already exercise 2"),
            "{e}"
        );
        let e = parse("[[exercise]]\nslug = \"Bad-Name\"\ntitle = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("lower_snake_case"), "{e}");
        let e = parse("[[exercise]]\nslug = \"a\"\ntitle = \"x\"\npoint = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("point"), "{e}");
        let e = parse("[[exercise]]\nslug = \"a\"\ntitle = \" \"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("title is empty"), "{e}");
    }

    #[test]
    fn insertion_keeps_comments_with_their_entry() {
        let block = "[[exercise]]\nslug = \"nesterov\"\ntitle = \"Nesterov\"\n";
        let text = insert_entry(TWO, 1, block);
        let c = parse(&text).unwrap();
        let slugs: Vec<_> = c.exercises.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs, ["momentum", "nesterov", "adam"]);
        assert!(
            text.contains("title = \"Nesterov\"\n\n# second\n[[exercise]]"),
            "{text}"
        );
        let first = parse(&insert_entry(TWO, 0, block)).unwrap();
        assert_eq!(first.exercises[0].slug, "nesterov");
        let last = parse(&insert_entry(TWO, 2, block)).unwrap();
        assert_eq!(last.exercises[2].slug, "nesterov");
        let empty = parse(&insert_entry("", 0, block)).unwrap();
        assert_eq!(empty.exercises.len(), 1);
    }
}
