//! Two interleaving half circles (scikit-learn's `make_moons`).
//!
//! ```text
//! n_out = n / 2,  n_in = n - n_out
//! outer (label 0), k in 0..n_out: a = pi k / (n_out - 1);  x = [cos a,     sin a]
//! inner (label 1), k in 0..n_in:  a = pi k / (n_in - 1);   x = [1 - cos a, 1 - sin a - 0.5]
//! then x += noise * N(0, 1) on each coordinate
//! ```
//!
//! Same points as `sklearn.datasets.make_moons(n, shuffle=False, noise=0)` (checked against its
//! output in the tests). Differs from scikit-learn: no shuffle (outer arc first, then inner), and
//! the noise draws come from ChaCha8 + Box-Muller, not NumPy's generator.

use std::f64::consts::PI;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::standard_normal;
use crate::{Dataset, Target};

/// `n` points in 2-D on two moons, the outer (label 0) then the inner (label 1); `noise` is the
/// standard deviation of the Gaussian added to each coordinate (0.1 to 0.3 is usual).
///
/// ```
/// let d = trainlab_data::synthetic::two_moons(101, 0.1, 0);
/// assert_eq!(d.class_counts(), Some(vec![50, 51]));
/// ```
pub fn two_moons(n: usize, noise: f32, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_out = n / 2;
    let n_in = n - n_out;
    let angle = |k: usize, m: usize| {
        if m > 1 {
            PI * k as f64 / (m - 1) as f64
        } else {
            0.0
        }
    };
    let mut points: Vec<[f64; 2]> = Vec::with_capacity(n);
    points.extend((0..n_out).map(|k| [angle(k, n_out).cos(), angle(k, n_out).sin()]));
    points
        .extend((0..n_in).map(|k| [1.0 - angle(k, n_in).cos(), 1.0 - angle(k, n_in).sin() - 0.5]));
    let mut features = Vec::with_capacity(2 * n);
    for p in points {
        for c in p {
            features.push((c + f64::from(noise) * standard_normal(&mut rng)) as f32);
        }
    }
    let labels = (0..n).map(|i| u32::from(i >= n_out)).collect();
    Dataset::new(
        "two_moons",
        features,
        2,
        Target::Classes {
            labels,
            n_classes: 2,
        },
    )
    .expect("two_moons builds whole rows with labels 0 and 1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_balance() {
        let d = two_moons(200, 0.2, 1);
        assert_eq!((d.len(), d.n_features), (200, 2));
        assert_eq!(d.class_counts(), Some(vec![100, 100]));
        assert_eq!(two_moons(7, 0.0, 0).class_counts(), Some(vec![3, 4]));
    }

    #[test]
    fn noise_is_centred_on_the_arcs() {
        let clean = two_moons(2000, 0.0, 0);
        let noisy = two_moons(2000, 0.1, 0);
        let diffs: Vec<f32> = noisy
            .features
            .iter()
            .zip(&clean.features)
            .map(|(a, b)| a - b)
            .collect();
        let mean = diffs.iter().sum::<f32>() / diffs.len() as f32;
        let sd =
            (diffs.iter().map(|d| (d - mean).powi(2)).sum::<f32>() / diffs.len() as f32).sqrt();
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((sd - 0.1).abs() < 0.005, "sd {sd}");
    }

    #[test]
    fn seeded() {
        assert_eq!(two_moons(50, 0.2, 3), two_moons(50, 0.2, 3));
        assert_ne!(two_moons(50, 0.2, 3), two_moons(50, 0.2, 4));
    }
}
