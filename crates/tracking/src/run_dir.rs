//! `runs/<experiment>/<run>/`: created once, locked by its one writer, files written atomically.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::{RunLock, TrackingError};

/// One run's directory, locked for writing (see [`RunLock`]) for as long as this value or one
/// of its clones lives.
#[derive(Clone, Debug)]
pub struct RunDir {
    path: PathBuf,
    lock: Arc<RunLock>,
}

impl PartialEq for RunDir {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl Eq for RunDir {}

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
    /// Creates `root/experiment/run` and locks it. Without a run name, the name is the UTC time
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
                Ok(()) => {
                    let lock = Arc::new(RunLock::acquire(&path)?);
                    return Ok(Self { path, lock });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io(&path)(e)),
            }
        }
        unreachable!("the loop returns or tries the next name")
    }

    /// Opens an existing run directory to write it (to resume it), taking its lock: while
    /// another process writes the run this fails with [`TrackingError::Locked`], naming it.
    /// A path that is not a readable directory is [`TrackingError::NotARun`].
    pub fn open(path: &Path) -> Result<Self, TrackingError> {
        let not_a_run = |reason: String| TrackingError::NotARun {
            path: path.to_path_buf(),
            reason,
        };
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(not_a_run("it is not a directory".into())),
            Err(e) => return Err(not_a_run(e.to_string())),
        }
        let lock = Arc::new(RunLock::acquire(path)?);
        Ok(Self {
            path: path.to_path_buf(),
            lock,
        })
    }

    /// The lock this process holds on the run.
    pub fn lock(&self) -> &RunLock {
        &self.lock
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A file inside the run.
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Writes `name` atomically ([`crate::write_atomic`]: a temporary file in the same
    /// directory, fsync, then a rename), so a reader (or a crash) never sees half a file.
    pub fn write_atomic(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, TrackingError> {
        let target = self.file(name);
        crate::write_atomic(&target, bytes).map_err(io(&target))?;
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
        assert!(!trainlab_data::atomic::temp_path(&r.file("summary.json")).exists());
    }

    #[test]
    fn a_second_writer_of_a_run_is_refused_until_the_first_is_gone() {
        let root = tempfile::tempdir().unwrap();
        let first = RunDir::create(root.path(), "e", Some("r")).unwrap();
        let err = RunDir::open(first.path()).unwrap_err();
        assert!(
            matches!(&err, TrackingError::Locked { pid: Some(p), .. } if *p == std::process::id()),
            "{err:?}"
        );
        let clone = first.clone();
        drop(first);
        // a clone shares the lock: still refused
        assert!(RunDir::open(clone.path()).is_err());
        let path = clone.path().to_path_buf();
        drop(clone);
        assert_eq!(RunDir::open(&path).unwrap().path(), path);
    }

    #[test]
    fn opening_a_missing_run_says_it_cannot_read_it() {
        let root = tempfile::tempdir().unwrap();
        let missing = root.path().join("no/such/run");
        let err = RunDir::open(&missing).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "cannot read run directory {}: No such file or directory (os error 2)",
                missing.display()
            )
        );
        let file = root.path().join("f");
        std::fs::write(&file, "").unwrap();
        let err = RunDir::open(&file).unwrap_err().to_string();
        assert!(err.ends_with("it is not a directory"), "{err}");
    }
}
