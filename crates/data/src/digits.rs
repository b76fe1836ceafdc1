//! The 8x8 handwritten digits, embedded: 1797 images, 64 pixel features (0..=16), 10 classes.
//!
//! ```text
//! data/digits.csv.gz  --gunzip--> 1797 lines of "p0,p1,...,p63,label"  --read_csv--> Dataset
//! ```
//!
//! The same file scikit-learn 1.9.1 ships for `sklearn.datasets.load_digits()` (UCI "Optical
//! Recognition of Handwritten Digits", Alpaydin & Kaynak 1998; see `data/README.md`).
//! Differs from scikit-learn: pixel values stay `f32` counts in `0..=16` (no `/16`); rows keep the
//! file's order. Differs from PyTorch: torchvision has no such dataset (its MNIST is 28x28 and downloaded).

use std::sync::OnceLock;

use flate2::read::GzDecoder;

use crate::{read_csv, CsvOptions, Dataset};

/// The gzipped CSV, compiled into the library so that `digits()` needs no file and no network.
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../data/digits.csv.gz");

/// Number of rows of [`digits()`].
pub const DIGITS_ROWS: usize = 1797;

/// Number of pixel features per row of [`digits()`] (8 x 8, row-major).
pub const DIGITS_FEATURES: usize = 64;

/// The embedded 8x8 digits: 1797 x 64, labels 0..9, pixel values 0..=16 as `f32`.
///
/// Decoded once per process (cached in a `OnceLock`); each call returns a clone.
///
/// ```
/// let d = trainlab_data::digits();
/// assert_eq!((d.len(), d.n_features, d.n_classes()), (1797, 64, Some(10)));
/// assert!(d.features.iter().all(|&p| (0.0..=16.0).contains(&p)));
/// ```
pub fn digits() -> Dataset {
    static DIGITS: OnceLock<Dataset> = OnceLock::new();
    DIGITS
        .get_or_init(|| {
            let opts = CsvOptions {
                has_header: false,
                n_classes: Some(10),
                ..Default::default()
            };
            read_csv(
                GzDecoder::new(DIGITS_CSV_GZ),
                "embedded data/digits.csv.gz",
                "digits",
                &opts,
            )
            .expect("the embedded digits.csv.gz is valid: checked by the crate's tests")
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_and_range() {
        let d = digits();
        assert_eq!(d.len(), DIGITS_ROWS);
        assert_eq!(d.n_features, DIGITS_FEATURES);
        assert_eq!(d.n_classes(), Some(10));
        assert_eq!(d.name, "digits");
        assert!(d
            .features
            .iter()
            .all(|&p| (0.0..=16.0).contains(&p) && p.fract() == 0.0));
    }

    #[test]
    fn second_call_is_equal() {
        assert_eq!(digits(), digits());
    }
}
