//! Reading a data file with bounds: a regular file only, and at most so many bytes.
//!
//! ```text
//! stat the path (without opening it)   a FIFO, a device (/dev/zero), a directory -> NotAFile
//! size above the limit                  -> TooLarge, before reading a byte
//! read at most limit + 1 bytes          a file that grows while read -> TooLarge
//! ```
//!
//! Opening a FIFO blocks until a writer appears, and `/dev/zero` never ends: checking the kind of
//! file before opening it keeps both from hanging or filling the memory. The limit is
//! [`default_max_input_bytes`] unless the caller gives another.

use std::io::Read;
use std::path::Path;

use crate::DataError;

/// The default largest data file: 1 GiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;

/// The environment variable that overrides [`DEFAULT_MAX_INPUT_BYTES`] (a number of bytes).
pub const MAX_INPUT_BYTES_ENV: &str = "TRAINLAB_MAX_INPUT_BYTES";

/// The largest data file read by default: `TRAINLAB_MAX_INPUT_BYTES` when it holds a number of
/// bytes, else [`DEFAULT_MAX_INPUT_BYTES`].
pub fn default_max_input_bytes() -> u64 {
    std::env::var(MAX_INPUT_BYTES_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_MAX_INPUT_BYTES)
}

/// What kind of file system object `path` is, for an error message.
#[cfg(not(unix))]
fn kind(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// What kind of file system object `path` is, for an error message.
#[cfg(unix)]
fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Reads the whole of the regular file `path`, refusing anything else and anything larger than
/// `max_bytes`.
///
/// ```
/// let err = trainlab_data::read_bounded("/dev/zero".as_ref(), 1 << 20).unwrap_err();
/// assert_eq!(err.to_string(), "`/dev/zero` is a character device: expected a regular data file");
/// ```
pub fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, DataError> {
    let io = |source| DataError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(DataError::NotAFile {
            path: path.to_path_buf(),
            kind: kind(&meta),
        });
    }
    let too_large = |size: u64| DataError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit: max_bytes,
    };
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_opening_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("data.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        // if this opened the FIFO, the test would hang here (no writer ever comes)
        let err = read_bounded(&fifo, 1 << 20).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "`{}` is a FIFO (named pipe): expected a regular data file",
                fifo.display()
            )
        );
    }

    #[test]
    fn devices_and_directories_are_refused() {
        let err = read_bounded(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::NotAFile {
                    kind: "a character device",
                    ..
                }
            ),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        let err = read_bounded(dir.path(), 1 << 20).unwrap_err();
        assert!(
            matches!(
                err,
                DataError::NotAFile {
                    kind: "a directory",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_file_above_the_limit_is_refused_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(&p, b"0123456789").unwrap();
        assert_eq!(read_bounded(&p, 10).unwrap(), b"0123456789");
        let err = read_bounded(&p, 9).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "`{}` is 10 bytes, above the limit of 9 bytes: expected a smaller file \
                 (set TRAINLAB_MAX_INPUT_BYTES to raise the limit)",
                p.display()
            )
        );
    }
}
