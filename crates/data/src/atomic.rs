//! Whole-file writes that a crash cannot tear: a temporary file beside the target, written,
//! flushed to the disk (`fsync`), then renamed over the target, then the directory flushed.
//!
//! ```text
//! write  .<name>.tmp-<pid>   (the whole content)
//! fsync  .<name>.tmp-<pid>   (the bytes are on the disk before the name points at them)
//! rename .<name>.tmp-<pid> -> <name>   (one step: a reader sees the old file or the new one)
//! fsync  the directory       (the rename itself survives a power cut)
//! ```
//!
//! A crash leaves either the old file or the new one, and at worst a stray `.tmp-<pid>` file.
//!
//! One protocol for every file a run writes: the run directory's files (`trainlab-tracking`) and
//! the checkpoints (`trainlab-training`) both call this module, which lives here, beside the
//! bounded reads of input files (`input.rs`): both crates build on `trainlab-data`.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary name used for `path` by this process: `.<name>.tmp-<pid>` in the same directory
/// (the same file system, so the rename is atomic).
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` atomically (see the module docs). The error is the first I/O error;
/// the temporary file is removed when the write fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Flushes a directory's entries (new names, renames) to the disk. On systems where a directory
/// cannot be opened as a file this does nothing.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    match std::fs::File::open(dir) {
        Ok(d) => match d.sync_all() {
            // some file systems refuse fsync on a directory: the rename is still atomic
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Ok(()),
            other => other,
        },
        Err(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"first, longer content").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.json")]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"old").unwrap();
        // a directory where the temporary file should go makes the write fail
        std::fs::create_dir(temp_path(&p)).unwrap();
        assert!(write_atomic(&p, b"new").is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
    }
}
