//! Data augmentation for small grayscale images (the 8x8 digits): random shifts, small rotations
//! and pixel noise, so one labelled image yields several plausible ones.
//!
//! ```text
//! shift(dx, dy):   out[r][c] = in[r - dy][c - dx]            (outside the image: 0, the background)
//! rotate(deg):     out(p) = in(R(-deg) (p - centre) + centre)  bilinear, outside: 0
//! noise(std):      out = clamp(in + N(0, std^2), lo, hi)       lo, hi = the data set's pixel range
//! ```
//!
//! The lecture lists augmentation among the ways to fight overfitting ("more data"); this is the
//! torchvision idea (`RandomAffine(degrees, translate)` plus additive noise) written out for
//! row-major `f32` images. Augment the raw pixels, before [`crate::Standardizer`] is fitted, and
//! only the training split: validation and test images stay as they are.
//!
//! ```
//! use trainlab_data::{augment, shift_image, AugmentConfig, Dataset, Target};
//! // a 3x3 image with one bright pixel in the centre, shifted one pixel to the right
//! let img = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
//! assert_eq!(shift_image(&img, 3, 3, 1, 0), vec![0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
//!
//! let d = Dataset::new("tiny", img.to_vec(), 9, Target::Classes { labels: vec![4], n_classes: 10 })?;
//! let more = augment(&d, (3, 3), 2, &AugmentConfig::default(), 0)?;
//! assert_eq!(more.len(), 3);                 // the original and 2 augmented copies
//! assert_eq!(more.labels(), Some(&[4, 4, 4][..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

use crate::{Dataset, Target};

/// What an augmented copy may do to an image. Each copy draws its own shift, angle and noise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AugmentConfig {
    /// Largest shift in pixels, in each direction (drawn uniformly from `-max_shift..=max_shift`).
    /// Default: 1 (one pixel of an 8x8 digit is 12 % of its width).
    pub max_shift: i32,
    /// Largest rotation in degrees, either way (drawn uniformly). Default: 10.
    pub max_degrees: f32,
    /// Standard deviation of the added Gaussian noise, in pixel units. Default: 0.5 (the
    /// digits' pixels run from 0 to 16).
    pub noise_std: f32,
}

impl Default for AugmentConfig {
    fn default() -> Self {
        Self {
            max_shift: 1,
            max_degrees: 10.0,
            noise_std: 0.5,
        }
    }
}

/// A bad augmentation request.
#[derive(Debug, Error, PartialEq)]
pub enum AugmentError {
    /// The image size does not match the rows.
    #[error("augment: image size {width} x {height} = {pixels} pixels, but data set {name:?} has {n_features} features per row")]
    Size {
        /// The data set.
        name: String,
        /// Given width.
        width: usize,
        /// Given height.
        height: usize,
        /// `width * height`.
        pixels: usize,
        /// The data set's row length.
        n_features: usize,
    },
    /// A configuration field out of range.
    #[error("augment: {field} = {value}; expected {expected}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// Its value, as text.
        value: String,
        /// The valid range.
        expected: &'static str,
    },
}

/// `image` (row-major, `width x height`) moved `dx` pixels right and `dy` down; uncovered
/// pixels are 0.
pub fn shift_image(image: &[f32], width: usize, height: usize, dx: i32, dy: i32) -> Vec<f32> {
    let mut out = vec![0.0; width * height];
    for r in 0..height as i64 {
        for c in 0..width as i64 {
            let (sr, sc) = (r - i64::from(dy), c - i64::from(dx));
            if (0..height as i64).contains(&sr) && (0..width as i64).contains(&sc) {
                out[(r as usize) * width + c as usize] = image[(sr as usize) * width + sc as usize];
            }
        }
    }
    out
}

/// `image` rotated `degrees` counter-clockwise (as seen with row 0 at the top) about its centre,
/// with bilinear interpolation; pixels from outside the image are 0.
pub fn rotate_image(image: &[f32], width: usize, height: usize, degrees: f32) -> Vec<f32> {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = ((width as f32 - 1.0) / 2.0, (height as f32 - 1.0) / 2.0);
    let at = |r: i64, c: i64| -> f32 {
        if (0..height as i64).contains(&r) && (0..width as i64).contains(&c) {
            image[r as usize * width + c as usize]
        } else {
            0.0
        }
    };
    let mut out = vec![0.0; width * height];
    for r in 0..height {
        for c in 0..width {
            // y points down, so a counter-clockwise turn on screen is clockwise in (x, y)
            let (x, y) = (c as f32 - cx, r as f32 - cy);
            let sx = cos * x - sin * y + cx;
            let sy = sin * x + cos * y + cy;
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let (x0, y0) = (x0 as i64, y0 as i64);
            out[r * width + c] = (1.0 - fy) * ((1.0 - fx) * at(y0, x0) + fx * at(y0, x0 + 1))
                + fy * ((1.0 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
        }
    }
    out
}

/// A standard normal draw (Box-Muller), from the seeded generator.
fn standard_normal(rng: &mut ChaCha8Rng) -> f32 {
    let u1: f32 = rng.gen_range(f32::EPSILON..1.0);
    let u2: f32 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

fn check(config: &AugmentConfig) -> Result<(), AugmentError> {
    if config.max_shift < 0 {
        return Err(AugmentError::Field {
            field: "max_shift",
            value: config.max_shift.to_string(),
            expected: ">= 0",
        });
    }
    if !(config.max_degrees.is_finite() && (0.0..=180.0).contains(&config.max_degrees)) {
        return Err(AugmentError::Field {
            field: "max_degrees",
            value: config.max_degrees.to_string(),
            expected: "0..=180",
        });
    }
    if !(config.noise_std.is_finite() && config.noise_std >= 0.0) {
        return Err(AugmentError::Field {
            field: "noise_std",
            value: config.noise_std.to_string(),
            expected: "a finite number >= 0",
        });
    }
    Ok(())
}

/// `data` followed by `copies` augmented versions of every row (each with its own random shift,
/// rotation and noise, seeded), labels repeated. `size` = (width, height) of one image.
///
/// Noise is clamped to the data set's own pixel range, so an augmented digit stays a digit
/// (0..16), not a negative-ink image.
pub fn augment(
    data: &Dataset,
    size: (usize, usize),
    copies: usize,
    config: &AugmentConfig,
    seed: u64,
) -> Result<Dataset, AugmentError> {
    let (width, height) = size;
    if width * height != data.n_features || width == 0 {
        return Err(AugmentError::Size {
            name: data.name.clone(),
            width,
            height,
            pixels: width * height,
            n_features: data.n_features,
        });
    }
    check(config)?;
    let lo = data.features.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = data
        .features
        .iter()
        .copied()
        .fold(f32::NEG_INFINITY, f32::max);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = data.len();
    let mut features = data.features.clone();
    features.reserve(n * copies * data.n_features);
    for _ in 0..copies {
        for i in 0..n {
            let dx = rng.gen_range(-config.max_shift..=config.max_shift);
            let dy = rng.gen_range(-config.max_shift..=config.max_shift);
            let degrees = if config.max_degrees > 0.0 {
                rng.gen_range(-config.max_degrees..=config.max_degrees)
            } else {
                0.0
            };
            let turned = rotate_image(data.row(i), width, height, degrees);
            let mut moved = shift_image(&turned, width, height, dx, dy);
            if config.noise_std > 0.0 {
                for p in &mut moved {
                    *p = (*p + config.noise_std * standard_normal(&mut rng)).clamp(lo, hi);
                }
            }
            features.extend_from_slice(&moved);
        }
    }
    let rows: Vec<usize> = (0..=copies).flat_map(|_| 0..n).collect();
    let target: Target = data.subset(&rows).target;
    Ok(Dataset {
        name: format!("{} (augmented x{})", data.name, copies + 1),
        features,
        n_features: data.n_features,
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    fn one_pixel(width: usize, height: usize, r: usize, c: usize) -> Vec<f32> {
        let mut v = vec![0.0; width * height];
        v[r * width + c] = 1.0;
        v
    }

    #[test]
    fn shift_moves_a_pixel_and_drops_what_leaves() {
        let img = one_pixel(4, 3, 1, 1);
        assert_eq!(shift_image(&img, 4, 3, 2, 1), one_pixel(4, 3, 2, 3));
        assert_eq!(shift_image(&img, 4, 3, -1, -1), one_pixel(4, 3, 0, 0));
        assert_eq!(shift_image(&img, 4, 3, 3, 0), vec![0.0; 12]);
    }

    #[test]
    fn rotation_by_zero_is_the_identity_and_by_90_is_a_quarter_turn() {
        let img: Vec<f32> = (0..9).map(|v| v as f32).collect();
        assert_close(&rotate_image(&img, 3, 3, 0.0), &img, 1e-6, "rotate 0");
        // hand-derived: a counter-clockwise quarter turn on screen of
        //   0 1 2        2 5 8
        //   3 4 5   ->   1 4 7
        //   6 7 8        0 3 6
        let want = [2.0, 5.0, 8.0, 1.0, 4.0, 7.0, 0.0, 3.0, 6.0];
        assert_close(&rotate_image(&img, 3, 3, 90.0), &want, 1e-5, "rotate 90");
    }

    #[test]
    fn rotation_interpolates_between_pixels() {
        // 45 degrees sends the centre-right pixel's source to (1 + cos45, 1 - sin45) on a 3x3:
        // the centre pixel (value 0 here) stays, the ring blends its neighbours
        let img = one_pixel(3, 3, 1, 1);
        let out = rotate_image(&img, 3, 3, 45.0);
        assert_close(&[out[4]], &[1.0], 1e-6, "centre stays");
        assert!(out.iter().all(|&v| (0.0..=1.0).contains(&v)), "{out:?}");
    }

    fn tiny() -> Dataset {
        let features: Vec<f32> = (0..18).map(|v| (v % 5) as f32).collect();
        Dataset::new(
            "tiny",
            features,
            9,
            Target::Classes {
                labels: vec![3, 7],
                n_classes: 10,
            },
        )
        .expect("valid")
    }

    #[test]
    fn augment_keeps_originals_repeats_labels_stays_in_range_and_is_seeded() {
        let d = tiny();
        let a = augment(&d, (3, 3), 3, &AugmentConfig::default(), 5).unwrap();
        assert_eq!(a.len(), 8);
        assert_eq!(a.labels(), Some(&[3, 7, 3, 7, 3, 7, 3, 7][..]));
        assert_eq!(&a.features[..18], &d.features[..]);
        assert!(a.features.iter().all(|&v| (0.0..=4.0).contains(&v)));
        assert_eq!(
            a,
            augment(&d, (3, 3), 3, &AugmentConfig::default(), 5).unwrap()
        );
        assert_ne!(
            a,
            augment(&d, (3, 3), 3, &AugmentConfig::default(), 6).unwrap()
        );
    }

    #[test]
    fn augment_with_nothing_to_do_copies() {
        let d = tiny();
        let none = AugmentConfig {
            max_shift: 0,
            max_degrees: 0.0,
            noise_std: 0.0,
        };
        let a = augment(&d, (3, 3), 1, &none, 0).unwrap();
        assert_eq!(&a.features[18..], &d.features[..]);
    }

    #[test]
    fn bad_requests_name_the_field() {
        let d = tiny();
        let err = augment(&d, (4, 4), 1, &AugmentConfig::default(), 0).unwrap_err();
        assert!(err.to_string().contains("4 x 4"), "{err}");
        let bad = AugmentConfig {
            noise_std: -1.0,
            ..Default::default()
        };
        let err = augment(&d, (3, 3), 1, &bad, 0).unwrap_err();
        assert!(err.to_string().contains("noise_std"), "{err}");
    }
}
