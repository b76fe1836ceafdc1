//! Interleaved spirals, one arm per class (CS231n's "spiral data").
//!
//! ```text
//! for class j in 0..K, for i in 0..N:
//!     r     = i / (N - 1)                               (0 at the centre .. 1 at the tip)
//!     t     = 4 j + 4 i / (N - 1) + noise * N(0, 1)     (radians)
//!     x     = [r sin(t), r cos(t)],  label = j
//! ```
//!
//! The same formula as CS231n's NumPy snippet: `r = np.linspace(0, 1, N)` and
//! `t = np.linspace(j*4, (j+1)*4, N) + np.random.randn(N)*0.2`, so its usual noise is 0.2.
//! Differs from it (and from PyTorch, which has no such generator) only in the random stream:
//! ChaCha8 + Box-Muller instead of NumPy's. Not linearly separable: a linear model stays near
//! chance, a small MLP fits it. Rows are grouped by class, in order.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::standard_normal;
use crate::{Dataset, Target};

/// `n_per_class * n_classes` points in 2-D on `n_classes` spiral arms; `noise` is the standard
/// deviation of the angle jitter in radians (CS231n: 0.2).
///
/// ```
/// let d = trainlab_data::synthetic::spirals(100, 3, 0.2, 0);
/// assert_eq!((d.len(), d.n_features, d.n_classes()), (300, 2, Some(3)));
/// assert_eq!(d.class_counts(), Some(vec![100, 100, 100]));
/// ```
pub fn spirals(n_per_class: usize, n_classes: usize, noise: f32, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = n_per_class * n_classes;
    let mut features = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    // np.linspace(a, b, 1) is [a]
    let step = if n_per_class > 1 {
        1.0 / (n_per_class - 1) as f64
    } else {
        0.0
    };
    for j in 0..n_classes {
        for i in 0..n_per_class {
            let r = i as f64 * step;
            let t = 4.0 * j as f64
                + 4.0 * i as f64 * step
                + f64::from(noise) * standard_normal(&mut rng);
            features.push((r * t.sin()) as f32);
            features.push((r * t.cos()) as f32);
            labels.push(j as u32);
        }
    }
    Dataset::new(
        "spirals",
        features,
        2,
        Target::Classes { labels, n_classes },
    )
    .expect("spirals builds whole rows with labels below n_classes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    #[test]
    fn noiseless_points_are_hand_derived() {
        // N = 3: r = 0, 0.5, 1; class 1: t = 4, 6, 8
        let d = spirals(3, 2, 0.0, 0);
        assert_close(d.row(0), &[0.0, 0.0], 1e-6, "class 0 centre");
        assert_close(
            d.row(2),
            &[4f32.sin(), 4f32.cos()],
            1e-6,
            "class 0 tip (t = 4)",
        );
        assert_close(
            d.row(4),
            &[0.5 * 6f32.sin(), 0.5 * 6f32.cos()],
            1e-6,
            "class 1 middle (t = 6)",
        );
        assert_close(
            d.row(5),
            &[8f32.sin(), 8f32.cos()],
            1e-6,
            "class 1 tip (t = 8)",
        );
        assert_eq!(d.labels(), Some(&[0, 0, 0, 1, 1, 1][..]));
    }

    #[test]
    fn balance_shape_and_radius() {
        let d = spirals(50, 4, 0.3, 9);
        assert_eq!(d.len(), 200);
        assert_eq!(d.class_counts(), Some(vec![50; 4]));
        // noise moves the angle only: the radius is exactly i / (N - 1)
        for i in 0..50 {
            let row = d.row(50 + i);
            let r = (row[0] * row[0] + row[1] * row[1]).sqrt();
            assert!((r - i as f32 / 49.0).abs() < 1e-5, "row {i}: radius {r}");
        }
    }

    #[test]
    fn seeded() {
        assert_eq!(spirals(20, 3, 0.2, 5), spirals(20, 3, 0.2, 5));
        assert_ne!(spirals(20, 3, 0.2, 5), spirals(20, 3, 0.2, 6));
        // without noise the seed does not matter
        assert_eq!(spirals(20, 3, 0.0, 5), spirals(20, 3, 0.0, 6));
    }

    #[test]
    fn degenerate_sizes() {
        assert!(spirals(0, 3, 0.2, 0).is_empty());
        let one = spirals(1, 2, 0.0, 0);
        assert_eq!(one.features, vec![0.0; 4]);
    }
}
