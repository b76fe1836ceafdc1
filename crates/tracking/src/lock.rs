//! One writer per run directory: an exclusive advisory lock on `<run>/.lock`.
//!
//! ```text
//! open (create) <run>/.lock            never truncated before the lock is ours
//! try_lock (flock LOCK_EX | LOCK_NB)   busy -> TrackingError::Locked, naming the holder's PID
//! truncate, write "<pid>\n"            so the next writer can say who holds it
//! ... the run is written ...
//! drop: the lock is released           (the kernel releases it as well when the process dies)
//! ```
//!
//! A lock file left behind by a killed process does not block: the kernel released its lock
//! when the process died, and only the stale PID remains in the file, which the next writer
//! overwrites. The lock is advisory: it keeps out other `trainlab` processes, not `rm`.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::TrackingError;

/// The name of the lock file inside a run directory.
pub const LOCK_FILE: &str = ".lock";

/// An exclusive lock on a run directory, held for as long as this value lives.
#[derive(Debug)]
pub struct RunLock {
    path: PathBuf,
    _file: File,
}

impl RunLock {
    /// Takes the lock of the run directory `dir`, or fails at once (it never waits) with
    /// [`TrackingError::Locked`] naming the process that holds it.
    pub fn acquire(dir: &Path) -> Result<Self, TrackingError> {
        let path = dir.join(LOCK_FILE);
        let io = |source| TrackingError::Io {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                // the holder writes its PID just after locking: read what is there
                let _ = file.read_to_string(&mut text);
                return Err(TrackingError::Locked {
                    dir: dir.to_path_buf(),
                    pid: text.trim().parse().ok(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        Ok(Self { path, _file: file })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The PID written in `dir`'s lock file, if the file holds one. It may be stale (a dead
/// process's): only a failed [`RunLock::acquire`] proves the run is being written.
pub fn lock_holder(dir: &Path) -> Option<u32> {
    std::fs::read_to_string(dir.join(LOCK_FILE))
        .ok()?
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_holders_pid_and_freed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path()).unwrap();
        // flock locks belong to an open file: a second open in the same process conflicts too
        let err = RunLock::acquire(dir.path()).unwrap_err();
        let pid = std::process::id();
        assert!(
            matches!(err, TrackingError::Locked { pid: Some(p), .. } if p == pid),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "run directory {} is being written by another process (PID {pid}): \
                 wait for it to end or stop it, then try again",
                dir.path().display()
            )
        );
        drop(first);
        let again = RunLock::acquire(dir.path()).unwrap();
        assert_eq!(lock_holder(dir.path()), Some(pid));
        drop(again);
    }

    #[test]
    fn a_stale_pid_in_the_lock_file_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        // a lock file as a killed process leaves it: a PID, no lock held
        std::fs::write(dir.path().join(LOCK_FILE), "4194999\n").unwrap();
        let _lock = RunLock::acquire(dir.path()).unwrap();
        assert_eq!(lock_holder(dir.path()), Some(std::process::id()));
    }
}
