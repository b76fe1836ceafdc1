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
//! The same protocol as `trainlab_tracking::write_atomic` (tested there), kept here so that the
//! trainer's checkpoints need nothing from the recording crates above training.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary name used for `path` by this process: `.<name>.tmp-<pid>` in the same directory
/// (the same file system, so the rename is atomic).
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` atomically (see the module docs). The error is the first I/O error;
/// the temporary file is removed when the write fails.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
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
