//! `runs/<experiment>/<run>/`: created once, files written atomically.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::TrackingError;

/// One run's directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunDir {
    path: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TrackingError + '_ {
    move |source| TrackingError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn check_name(what: &'static str, name: &str) -> Result<(), TrackingError> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(TrackingError::InvalidName {
            what,
            name: name.to_string(),
        })
    }
}

impl RunDir {
    /// Creates `root/experiment/run`. Without a run name, the name is the UTC time
    /// (`2026-11-28T07-30-00Z`); a name already taken gets `-2`, `-3`, ... so no run is overwritten.
    pub fn create(root: &Path, experiment: &str, run: Option<&str>) -> Result<Self, TrackingError> {
        check_name("experiment", experiment)?;
        let base = match run {
            Some(r) => {
                check_name("run", r)?;
                r.to_string()
            }
            None => humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                .to_string()
                .replace(':', "-"),
        };
        let parent = root.join(experiment);
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        for i in 1.. {
            let name = if i == 1 {
                base.clone()
            } else {
                format!("{base}-{i}")
            };
            let path = parent.join(name);
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Self { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io(&path)(e)),
            }
        }
        unreachable!("the loop returns or tries the next name")
    }

    /// Opens an existing run directory (e.g. to resume or read it).
    pub fn open(path: &Path) -> Result<Self, TrackingError> {
        if path.is_dir() {
            Ok(Self {
                path: path.to_path_buf(),
            })
        } else {
            Err(io(path)(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a run directory",
            )))
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A file inside the run.
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Writes `name` atomically: a temporary file in the same directory, then a rename, so a
    /// reader (or a crash) never sees half a file.
    pub fn write_atomic(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, TrackingError> {
        let target = self.file(name);
        let tmp = self.file(&format!(".{name}.tmp"));
        std::fs::write(&tmp, bytes).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &target).map_err(io(&target))?;
        Ok(target)
    }

    /// Writes `value` as pretty JSON, atomically.
    pub fn write_json<T: Serialize>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<PathBuf, TrackingError> {
        let mut text = serde_json::to_string_pretty(value).expect("run files serialise to JSON");
        text.push('\n');
        self.write_atomic(name, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_names_get_a_suffix_and_nothing_is_overwritten() {
        let root = tempfile::tempdir().unwrap();
        let a = RunDir::create(root.path(), "exp", Some("r")).unwrap();
        a.write_atomic("x.txt", b"first").unwrap();
        let b = RunDir::create(root.path(), "exp", Some("r")).unwrap();
        assert_eq!(a.path(), root.path().join("exp/r"));
        assert_eq!(b.path(), root.path().join("exp/r-2"));
        assert_eq!(std::fs::read_to_string(a.file("x.txt")).unwrap(), "first");
    }

    #[test]
    fn default_run_name_is_a_utc_time() {
        let root = tempfile::tempdir().unwrap();
        let r = RunDir::create(root.path(), "exp", None).unwrap();
        let name = r.path().file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            name.ends_with('Z') && name.contains('T') && !name.contains(':'),
            "{name}"
        );
    }

    #[test]
    fn names_that_escape_are_rejected() {
        let root = tempfile::tempdir().unwrap();
        for bad in ["", "..", "a/b", "x y"] {
            let err = RunDir::create(root.path(), bad, None).unwrap_err();
            assert!(err.to_string().contains("invalid experiment name"), "{err}");
        }
        assert!(RunDir::create(root.path(), "ok", Some("../up")).is_err());
    }

    #[test]
    fn json_is_written_whole() {
        let root = tempfile::tempdir().unwrap();
        let r = RunDir::create(root.path(), "e", Some("r")).unwrap();
        r.write_json("summary.json", &serde_json::json!({"a": 1}))
            .unwrap();
        let back: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(r.file("summary.json")).unwrap())
                .unwrap();
        assert_eq!(back["a"], 1);
        assert!(!r.file(".summary.json.tmp").exists());
    }
}
