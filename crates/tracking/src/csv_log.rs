//! A CSV file written a row at a time and flushed, so a crashed run keeps its rows.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::TrackingError;

/// A CSV file with a fixed header, one row per event.
pub struct CsvLog {
    path: PathBuf,
    writer: csv::Writer<File>,
    columns: usize,
}

impl CsvLog {
    /// Creates (truncates) `path` and writes the header.
    pub fn create(path: &Path, header: &[&str]) -> Result<Self, TrackingError> {
        let file = File::create(path).map_err(|source| TrackingError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut log = Self {
            path: path.to_path_buf(),
            writer: csv::Writer::from_writer(file),
            columns: header.len(),
        };
        log.write(header.iter().copied())?;
        Ok(log)
    }

    /// Opens an existing log to append to it (a resumed run), first keeping only the rows for
    /// which `keep` is true (rows a killed run wrote after its last checkpoint are dropped).
    /// A torn last row (the file does not end in a newline: a kill or a full disk cut the
    /// write) is dropped as well. The file's header must be `header`; the kept rows are
    /// rewritten atomically before appending starts.
    pub fn append(
        path: &Path,
        header: &[&str],
        keep: impl Fn(&csv::StringRecord) -> bool,
    ) -> Result<Self, TrackingError> {
        let io = |source| TrackingError::Io {
            path: path.to_path_buf(),
            source,
        };
        let csv_err = |source| TrackingError::Csv {
            path: path.to_path_buf(),
            source,
        };
        let bytes = std::fs::read(path).map_err(io)?;
        let whole = &bytes[..bytes.len() - torn_tail(&bytes)];
        let mut reader = csv::Reader::from_reader(whole);
        let found: Vec<String> = reader
            .headers()
            .map_err(csv_err)?
            .iter()
            .map(String::from)
            .collect();
        if found != header {
            return Err(TrackingError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("header is {found:?}, expected {header:?}"),
                ),
            });
        }
        let mut kept = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_err)?;
            if keep(&record) {
                kept.push(record);
            }
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).map_err(csv_err)?;
        for r in &kept {
            w.write_record(r).map_err(csv_err)?;
        }
        let text = w.into_inner().map_err(|e| io(e.into_error()))?;
        crate::write_atomic(path, &text).map_err(io)?;
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(io)?;
        Ok(Self {
            path: path.to_path_buf(),
            writer: csv::Writer::from_writer(file),
            columns: header.len(),
        })
    }

    /// Appends one row (as many fields as the header) and flushes it to disk.
    pub fn row<I, S>(&mut self, fields: I) -> Result<(), TrackingError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let fields: Vec<S> = fields.into_iter().collect();
        assert_eq!(
            fields.len(),
            self.columns,
            "a row has as many fields as the header"
        );
        self.write(fields)
    }

    fn write<I, S>(&mut self, fields: I) -> Result<(), TrackingError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let path = &self.path;
        let csv_err = |source| TrackingError::Csv {
            path: path.clone(),
            source,
        };
        self.writer.write_record(fields).map_err(csv_err)?;
        self.writer.flush().map_err(|source| TrackingError::Io {
            path: path.clone(),
            source,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The length in bytes of a torn last line: what follows the last newline (0 when the text
/// ends in a newline or is empty). A log written a row at a time ends in a newline unless the
/// last write was cut short.
pub fn torn_tail(bytes: &[u8]) -> usize {
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(i) => bytes.len() - i - 1,
        None => bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_row_is_dropped_on_append() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.csv");
        // a kill in the middle of writing row 2
        std::fs::write(&p, "epoch,loss\n0,2.3\n1,1.1\n2,0.").unwrap();
        let mut log = CsvLog::append(&p, &["epoch", "loss"], |_| true).unwrap();
        log.row(["2", "0.8"]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "epoch,loss\n0,2.3\n1,1.1\n2,0.8\n"
        );
        assert_eq!(torn_tail(b"a\nb"), 1);
        assert_eq!(torn_tail(b"a\n"), 0);
        assert_eq!(torn_tail(b""), 0);
    }

    #[test]
    fn a_short_row_in_the_middle_is_still_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.csv");
        std::fs::write(&p, "epoch,loss\n0\n1,1.1\n").unwrap();
        let err = CsvLog::append(&p, &["epoch", "loss"], |_| true)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.starts_with(&format!("cannot write CSV {}", p.display())),
            "{err}"
        );
    }

    #[test]
    fn append_drops_rows_past_the_checkpoint_and_checks_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.csv");
        let mut log = CsvLog::create(&p, &["epoch", "loss"]).unwrap();
        for (e, l) in [("0", "2.3"), ("1", "1.1"), ("2", "0.9")] {
            log.row([e, l]).unwrap();
        }
        drop(log);
        let mut log = CsvLog::append(&p, &["epoch", "loss"], |r| &r[0] != "2").unwrap();
        log.row(["2", "0.8"]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "epoch,loss\n0,2.3\n1,1.1\n2,0.8\n"
        );
        let err = CsvLog::append(&p, &["step", "loss"], |_| true)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("m.csv") && err.contains("expected"), "{err}");
    }

    #[test]
    fn rows_are_on_disk_after_each_call() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.csv");
        let mut log = CsvLog::create(&p, &["epoch", "loss"]).unwrap();
        log.row(["0", "2.3"]).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "epoch,loss\n0,2.3\n");
        log.row(["1".to_string(), "NaN".to_string()]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "epoch,loss\n0,2.3\n1,NaN\n"
        );
    }
}
