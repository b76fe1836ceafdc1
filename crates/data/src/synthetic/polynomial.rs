//! Noisy samples of a fixed polynomial on [-1, 1], for the under-/overfitting picture.
//!
//! ```text
//! x ~ uniform[-1, 1]
//! y = T_degree(x) + noise * N(0, 1)
//! T_0(x) = 1,  T_1(x) = x,  T_{k+1}(x) = 2 x T_k(x) - T_{k-1}(x)     (Chebyshev, first kind)
//! e.g. T_2 = 2x^2 - 1,  T_3 = 4x^3 - 3x
//! ```
//!
//! The true function is the Chebyshev polynomial of exactly `degree`: it stays in [-1, 1] on the
//! interval and turns `degree - 1` times, so a fit of lower degree visibly underfits and a fit of
//! much higher degree chases the noise. Features are `[x]` only: the caller expands them
//! (`x, x^2, ..., x^p`) for the degree it fits. No PyTorch counterpart.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::standard_normal;
use crate::{Dataset, Target};

/// The true function of [`polynomial`]: the Chebyshev polynomial `T_degree(x)`.
///
/// ```
/// use trainlab_data::synthetic::chebyshev;
/// assert_eq!(chebyshev(3, 0.5), 4.0 * 0.125 - 3.0 * 0.5);
/// ```
pub fn chebyshev(degree: usize, x: f32) -> f32 {
    let x = f64::from(x);
    let (mut t_prev, mut t) = (1.0f64, x);
    if degree == 0 {
        return 1.0;
    }
    for _ in 1..degree {
        (t_prev, t) = (t, 2.0 * x * t - t_prev);
    }
    t as f32
}

/// `n` points `x` uniform in [-1, 1] (features `[x]`) with targets `chebyshev(degree, x)` plus
/// Gaussian noise of standard deviation `noise`; [`Target::Values`].
///
/// ```
/// use trainlab_data::synthetic::{chebyshev, polynomial};
/// let d = polynomial(20, 3, 0.0, 1);
/// let y = d.values().expect("regression");
/// assert!((0..20).all(|i| y[i] == chebyshev(3, d.row(i)[0])));
/// ```
pub fn polynomial(n: usize, degree: usize, noise: f32, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut xs = Vec::with_capacity(n);
    let mut ys = Vec::with_capacity(n);
    for _ in 0..n {
        let x = rng.gen_range(-1.0f32..=1.0);
        let y = f64::from(chebyshev(degree, x)) + f64::from(noise) * standard_normal(&mut rng);
        xs.push(x);
        ys.push(y as f32);
    }
    Dataset::new("polynomial", xs, 1, Target::Values(ys))
        .expect("polynomial builds one feature and one value per row")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::assert_close;

    #[test]
    fn chebyshev_hand_derived() {
        // T_2(x) = 2x^2 - 1, T_3 = 4x^3 - 3x, T_4 = 8x^4 - 8x^2 + 1; T_k(1) = 1, T_k(cos a) = cos(k a)
        let x = 0.3f32;
        let got = [
            chebyshev(0, x),
            chebyshev(1, x),
            chebyshev(2, x),
            chebyshev(3, x),
            chebyshev(4, x),
        ];
        let want = [
            1.0,
            0.3,
            2.0 * 0.09 - 1.0,
            4.0 * 0.027 - 0.9,
            8.0 * 0.0081 - 8.0 * 0.09 + 1.0,
        ];
        assert_close(&got, &want, 1e-6, "T_k(0.3)");
        let a = 0.7f32;
        assert_close(
            &[chebyshev(9, a.cos())],
            &[(9.0 * a).cos()],
            1e-5,
            "T_9(cos a) = cos 9a",
        );
        assert_close(&[chebyshev(15, 1.0)], &[1.0], 1e-6, "T_15(1)");
    }

    #[test]
    fn range_shape_and_noise() {
        let d = polynomial(5000, 3, 0.2, 4);
        assert_eq!((d.len(), d.n_features, d.n_classes()), (5000, 1, None));
        assert!(d.features.iter().all(|x| (-1.0..=1.0).contains(x)));
        let mean_x = d.features.iter().sum::<f32>() / 5000.0;
        assert!(mean_x.abs() < 0.03, "x mean {mean_x}");
        let y = d.values().expect("regression");
        let residuals: Vec<f32> = (0..5000)
            .map(|i| y[i] - chebyshev(3, d.row(i)[0]))
            .collect();
        let sd = (residuals.iter().map(|r| r * r).sum::<f32>() / 5000.0).sqrt();
        assert!((sd - 0.2).abs() < 0.01, "noise sd {sd}");
    }

    #[test]
    fn seeded() {
        assert_eq!(polynomial(30, 3, 0.1, 2), polynomial(30, 3, 0.1, 2));
        assert_ne!(polynomial(30, 3, 0.1, 2), polynomial(30, 3, 0.1, 3));
    }
}
