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

#[cfg(test)]
mod tests {
    use super::*;

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
