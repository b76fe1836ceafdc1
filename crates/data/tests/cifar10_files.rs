//! load_cifar10 on small files in the exact binary layout (1 label byte + 3072 pixel bytes per
//! record), written into a tempdir by the test.

use std::path::PathBuf;

use tempfile::TempDir;
use trainlab_data::{load_cifar10, DataError, CIFAR10_FEATURES};

/// A record whose pixel at (channel c, row y, column x) is `(c * 7 + y * 3 + x + seed) % 256`.
fn record(label: u8, seed: usize) -> Vec<u8> {
    let mut r = vec![label];
    for c in 0..3 {
        for y in 0..32 {
            for x in 0..32 {
                r.push(((c * 7 + y * 3 + x + seed) % 256) as u8);
            }
        }
    }
    r
}

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write to the tempdir");
    path
}

#[test]
fn three_records_in_two_files() {
    let dir = TempDir::new().expect("tempdir");
    let a = write(
        &dir,
        "data_batch_1.bin",
        &[record(3, 0), record(9, 1)].concat(),
    );
    let b = write(&dir, "test_batch.bin", &record(0, 250));
    let d = load_cifar10(&[a, b]).expect("valid files");
    assert_eq!(d.len(), 3);
    assert_eq!(d.n_features, CIFAR10_FEATURES);
    assert_eq!(d.n_classes(), Some(10));
    assert_eq!(d.labels(), Some(&[3, 9, 0][..]));
    // hand-derived: record 1 (seed 1), green channel (c = 1), row y = 2, column x = 5
    // feature index 1 * 1024 + 2 * 32 + 5 = 1093, value 7 + 6 + 5 + 1 = 19
    assert_eq!(d.row(1)[1093], 19.0);
    // record 2 (seed 250), red (0,0,0) = 250; blue (2, 31, 31) = (14 + 93 + 31 + 250) % 256 = 132
    assert_eq!(d.row(2)[0], 250.0);
    assert_eq!(d.row(2)[3071], 132.0);
    assert!(d.features.iter().all(|&p| (0.0..=255.0).contains(&p)));
}

#[test]
fn truncated_file_names_the_record() {
    let dir = TempDir::new().expect("tempdir");
    let good = write(&dir, "data_batch_1.bin", &record(1, 0));
    let mut bytes = [record(1, 0), record(2, 0)].concat();
    bytes.truncate(3073 + 100);
    let bad = write(&dir, "data_batch_2.bin", &bytes);
    let e = load_cifar10(&[good, bad.clone()]).unwrap_err();
    assert!(
        matches!(
            e,
            DataError::CifarTruncated {
                size: 3173,
                record: 1,
                trailing: 100,
                ..
            }
        ),
        "{e}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains(&bad.display().to_string()) && msg.contains("record 1"),
        "{msg}"
    );
}

#[test]
fn label_above_nine_names_the_record() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(
        &dir,
        "b.bin",
        &[record(0, 0), record(1, 0), record(10, 0)].concat(),
    );
    let e = load_cifar10(std::slice::from_ref(&path)).unwrap_err();
    assert!(
        matches!(
            e,
            DataError::CifarLabel {
                record: 2,
                label: 10,
                ..
            }
        ),
        "{e}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains(&path.display().to_string()) && msg.contains("record 2"),
        "{msg}"
    );
}

#[test]
fn empty_file() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "empty.bin", &[]);
    assert!(matches!(
        load_cifar10(&[path]).unwrap_err(),
        DataError::Empty { .. }
    ));
}
