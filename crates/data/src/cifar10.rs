//! Load CIFAR-10 from its binary distribution (`data_batch_1.bin` ... `data_batch_5.bin`, `test_batch.bin`).
//!
//! ```text
//! file    = record*                       (10000 records in the official files)
//! record  = label: u8 (0..=9)  ++  pixels: [u8; 3072]
//! pixels  = R plane (32x32, row-major) ++ G plane ++ B plane
//! feature[c * 1024 + y * 32 + x] = pixels[c * 1024 + y * 32 + x] as f32     (0.0 ..= 255.0)
//! ```
//!
//! Features keep the file's channel-first (CHW) order and raw 0..=255 values: the same numbers as
//! PyTorch's `ToTensor()(img).flatten() * 255` on torchvision's `CIFAR10` (which stores HWC and
//! transposes back). Scale with [`crate::Standardizer`] (or divide by 255) before training.
//! Nothing is downloaded: pass paths to files you have.

use std::path::PathBuf;

use crate::{DataError, Dataset, Target};

/// Bytes per record: 1 label byte and 3 x 32 x 32 pixel bytes.
pub const CIFAR10_RECORD_BYTES: usize = 1 + CIFAR10_FEATURES;

/// Features per image: 3 channels x 32 x 32.
pub const CIFAR10_FEATURES: usize = 3 * 32 * 32;

/// The ten class names, indexed by label.
pub const CIFAR10_CLASSES: [&str; 10] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

/// Load and concatenate CIFAR-10 binary files, in the order given; 10 classes, features 0..=255.
///
/// Errors name the file and the 0-based record index within it: a size that is not a multiple
/// of 3073 bytes (truncated download), a label byte above 9, an empty file, or no paths at all.
///
/// ```no_run
/// use std::path::PathBuf;
/// let dir = PathBuf::from("cifar-10-batches-bin");
/// let train = trainlab_data::load_cifar10(&(1..=5).map(|i| dir.join(format!("data_batch_{i}.bin"))).collect::<Vec<_>>())?;
/// assert_eq!((train.len(), train.n_features), (50_000, 3072));
/// # Ok::<(), trainlab_data::DataError>(())
/// ```
pub fn load_cifar10(paths: &[PathBuf]) -> Result<Dataset, DataError> {
    if paths.is_empty() {
        return Err(DataError::NoFiles {
            what: "load_cifar10".to_string(),
        });
    }
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for path in paths {
        let bytes = crate::read_bounded(path, crate::default_max_input_bytes())?;
        let file = path.display().to_string();
        if bytes.is_empty() {
            return Err(DataError::Empty {
                file,
                expected: "CIFAR-10 records of 3073 bytes (1 label + 3072 pixels)".to_string(),
            });
        }
        let trailing = bytes.len() % CIFAR10_RECORD_BYTES;
        if trailing != 0 {
            return Err(DataError::CifarTruncated {
                file,
                size: bytes.len(),
                record: bytes.len() / CIFAR10_RECORD_BYTES,
                trailing,
            });
        }
        features.reserve(bytes.len() / CIFAR10_RECORD_BYTES * CIFAR10_FEATURES);
        for (record, chunk) in bytes.chunks_exact(CIFAR10_RECORD_BYTES).enumerate() {
            let label = chunk[0];
            if label > 9 {
                return Err(DataError::CifarLabel {
                    file,
                    record,
                    label,
                });
            }
            labels.push(u32::from(label));
            features.extend(chunk[1..].iter().map(|&p| f32::from(p)));
        }
    }
    Dataset::new(
        "cifar10",
        features,
        CIFAR10_FEATURES,
        Target::Classes {
            labels,
            n_classes: 10,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_layout_constants() {
        assert_eq!(CIFAR10_RECORD_BYTES, 3073);
        assert_eq!(CIFAR10_CLASSES[3], "cat");
    }

    #[test]
    fn no_paths() {
        let e = load_cifar10(&[]).unwrap_err();
        assert!(matches!(e, DataError::NoFiles { .. }), "{e}");
    }

    #[test]
    fn missing_file_names_it() {
        let e = load_cifar10(&[PathBuf::from("/nonexistent/data_batch_1.bin")]).unwrap_err();
        assert!(
            e.to_string().contains("/nonexistent/data_batch_1.bin"),
            "{e}"
        );
    }
}
