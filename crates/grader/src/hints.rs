//! Hints: the `hints` list of the exercise's entry in `exercises/course.toml`, in the order
//! given (a workspace without a manifest: `hints.toml`, one table per exercise directory).
//!
//! ```text
//! [[exercise]]                          ["01_momentum"]          (hints.toml, no manifest)
//! slug = "momentum"                     hints = ["first", "second"]
//! hints = ["first hint", "second hint"]
//! ```

use std::path::Path;

use crate::course::Course;
use crate::error::{io, GraderError, Result};

/// Hint `level` (1-based) of the exercise numbered or named `which`, and how many there are.
pub fn hint(exercises_dir: &Path, which: &str, level: usize) -> Result<(String, usize)> {
    if let Some(course) = Course::load(exercises_dir)? {
        let i = course
            .find(which)
            .ok_or_else(|| GraderError::NoSuchExercise(which.to_string()))?;
        let hints = &course.exercises[i].hints;
        let n = hints.len();
        let text = hints
            .get(level.max(1) - 1)
            .ok_or_else(|| GraderError::Manifest {
                path: course.path.clone(),
                message: format!(
                    "exercise {} ({}) has {n} hints, not {level}",
                    i + 1,
                    course.exercises[i].slug
                ),
            })?;
        return Ok((text.clone(), n));
    }
    let path = exercises_dir.join("hints.toml");
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let bad = |message: String| GraderError::Manifest {
        path: path.clone(),
        message,
    };
    let doc: toml::Table = text
        .parse()
        .map_err(|e| bad(format!("not valid TOML: {e}")))?;
    let key = doc
        .keys()
        .find(|k| matches_exercise(k, which))
        .ok_or_else(|| GraderError::NoSuchExercise(which.to_string()))?;
    let hints: Vec<&str> = doc[key]
        .get("hints")
        .and_then(|h| h.as_array())
        .ok_or_else(|| bad(format!("[\"{key}\"] has no `hints` list")))?
        .iter()
        .filter_map(|h| h.as_str())
        .collect();
    let n = hints.len();
    let text = hints
        .get(level.max(1) - 1)
        .ok_or_else(|| bad(format!("{key} has {n} hints, not {level}")))?;
    Ok((text.to_string(), n))
}

/// Whether directory name `dir` (e.g. `01_momentum`) is meant by `which` (`1`, `01`, `momentum`, `01_momentum`).
pub fn matches_exercise(dir: &str, which: &str) -> bool {
    let Some((num, slug)) = dir.split_once('_') else {
        return dir == which;
    };
    dir == which
        || slug == which
        || which
            .parse::<u32>()
            .ok()
            .is_some_and(|w| num.parse::<u32>().ok() == Some(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercises_match_by_number_or_name() {
        assert!(matches_exercise("01_momentum", "1"));
        assert!(matches_exercise("01_momentum", "01"));
        assert!(matches_exercise("01_momentum", "momentum"));
        assert!(!matches_exercise("01_momentum", "2"));
    }
}
