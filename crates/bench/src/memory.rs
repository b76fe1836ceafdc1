//! The memory-bound case: Adam on a large flat parameter set against a plain memory copy.
//!
//! ```text
//! Adam step:  reads theta, g, m, v; writes theta, m, v   -> 7 * 4 = 28 bytes per parameter
//! copy:       reads src; writes dst                      -> 2 * 4 =  8 bytes per element
//! share of copy bandwidth = (28 n / t_adam) / (8 n / t_copy)
//! ```
//! Write-allocate traffic (a store may first read its cache line) is not counted on either side.

use std::time::{Duration, Instant};

use trainlab_optimizers::AdamConfig;

use crate::steps::filled;
use crate::timing::median;

/// Bytes an Adam step reads and writes per parameter.
pub const ADAM_BYTES_PER_PARAM: usize = 28;
/// Bytes a copy reads and writes per element.
pub const COPY_BYTES_PER_ELEMENT: usize = 8;

/// Median step times of Adam and of a copy of the same size, measured alternately.
#[derive(Clone, Copy, Debug)]
pub struct MemoryBound {
    /// Number of parameters.
    pub n: usize,
    /// One Adam `update_slice` over all of them.
    pub adam: Duration,
    /// One `copy_from_slice` of `n` f32.
    pub copy: Duration,
}

impl MemoryBound {
    /// Adam's achieved bandwidth in GB/s (10^9 bytes).
    pub fn adam_gb_per_s(&self) -> f64 {
        (ADAM_BYTES_PER_PARAM * self.n) as f64 / self.adam.as_secs_f64() / 1e9
    }

    /// The copy's achieved bandwidth in GB/s.
    pub fn copy_gb_per_s(&self) -> f64 {
        (COPY_BYTES_PER_ELEMENT * self.n) as f64 / self.copy.as_secs_f64() / 1e9
    }

    /// Adam's bandwidth as a fraction of the copy's.
    pub fn share_of_copy(&self) -> f64 {
        self.adam_gb_per_s() / self.copy_gb_per_s()
    }
}

/// Measures `rounds` Adam steps and `rounds` copies of `n` f32, alternating, after one of each
/// to warm up (which also allocates Adam's state).
pub fn adam_vs_copy(n: usize, rounds: usize) -> MemoryBound {
    let mut opt = AdamConfig::pytorch()
        .build()
        .expect("PyTorch's Adam defaults are valid");
    let mut theta = filled(n, 1);
    let grad = filled(n, 2);
    let src = filled(n, 3);
    let mut dst = vec![0.0f32; n];
    let mut adam = |opt: &mut trainlab_optimizers::Optimizer<_>| {
        let t = Instant::now();
        opt.begin_step();
        opt.update_slice(0, &mut theta, &grad);
        t.elapsed()
    };
    let mut copy = || {
        let t = Instant::now();
        dst.copy_from_slice(&src);
        std::hint::black_box(&mut dst);
        t.elapsed()
    };
    adam(&mut opt);
    copy();
    let (mut a, mut c) = (Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        a.push(adam(&mut opt));
        c.push(copy());
    }
    MemoryBound {
        n,
        adam: median(a),
        copy: median(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bandwidth_arithmetic() {
        // 1M params in 28 ms -> 28 MB / 0.028 s = 1 GB/s; a copy of 1M in 4 ms -> 2 GB/s.
        let m = MemoryBound {
            n: 1_000_000,
            adam: Duration::from_millis(28),
            copy: Duration::from_millis(4),
        };
        assert!((m.adam_gb_per_s() - 1.0).abs() < 1e-9);
        assert!((m.copy_gb_per_s() - 2.0).abs() < 1e-9);
        assert!((m.share_of_copy() - 0.5).abs() < 1e-9);
    }
}
