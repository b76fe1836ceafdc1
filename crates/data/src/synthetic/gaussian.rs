//! Standard normal samples from a uniform generator by the Box-Muller transform.
//!
//! ```text
//! u1 = 1 - uniform[0, 1)   (in (0, 1], so ln(u1) is finite)
//! u2 = uniform[0, 1)
//! z  = sqrt(-2 ln u1) * cos(2 pi u2)
//! ```
//!
//! Differs from PyTorch's `torch.randn` (and `rand_distr::StandardNormal`, a ziggurat): same
//! distribution, different numbers; one uniform pair per sample (the sine half is discarded) so
//! that each call consumes a fixed amount of the stream.

use rand::Rng;

/// One draw from N(0, 1).
///
/// ```
/// use rand::SeedableRng;
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let z: Vec<f64> = (0..10_000).map(|_| trainlab_data::synthetic::standard_normal(&mut rng)).collect();
/// let mean = z.iter().sum::<f64>() / z.len() as f64;
/// assert!(mean.abs() < 0.05);
/// ```
pub fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let u1 = 1.0 - rng.gen::<f64>();
    let u2 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn moments() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 200_000;
        let z: Vec<f64> = (0..n).map(|_| standard_normal(&mut rng)).collect();
        let mean = z.iter().sum::<f64>() / n as f64;
        let var = z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        // standard error of the mean is 1/sqrt(n) ~ 0.0022; of the variance sqrt(2/n) ~ 0.0032
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.015, "var {var}");
        // P(|z| > 1.96) = 0.05
        let tail = z.iter().filter(|x| x.abs() > 1.96).count() as f64 / n as f64;
        assert!((tail - 0.05).abs() < 0.003, "tail {tail}");
    }
}
