//! The machine's limits, measured with the kernels trainlab itself uses: the matmul peak (a large
//! square matmul through dfdx 0.13's CPU kernel, i.e. `gemm`) and the memory bandwidth (a
//! STREAM-style triad), each in a rayon pool of a given size.
//!
//! ```text
//! matmul (m x k) * (k x n):  2 m k n floating-point operations
//! triad a = b + s * c:       reads b, c; writes a  -> 3 * 4 = 12 bytes per element (STREAM's count)
//! ```
//! These are the "distance to the limit" denominators of `cargo make benchmarks`: a training
//! step's forward+backward GFLOP/s against the matmul peak, an update's bytes/s against the triad.

use std::time::{Duration, Instant};

use dfdx::prelude::*;
use rayon::prelude::*;

use crate::timing::median;

/// Bytes a triad reads and writes per element (STREAM's convention: no write-allocate).
pub const TRIAD_BYTES_PER_ELEMENT: usize = 12;

/// Elements per rayon task of the triad (256 KiB of each array).
const TRIAD_CHUNK: usize = 1 << 16;

/// A rayon pool of `threads` threads (0: rayon's default, every core).
///
/// # Panics
/// If the operating system refuses to start threads.
pub fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("the OS starts a rayon pool's threads")
}

/// Floating-point operations of an `(m x k) * (k x n)` matmul.
pub fn matmul_flops(m: usize, k: usize, n: usize) -> f64 {
    2.0 * (m * k * n) as f64
}

/// Median time of one `(m x k) * (k x n)` matmul through dfdx's CPU kernel, in `pool`, over
/// `reps` calls after one to warm up.
pub fn matmul_time(
    pool: &rayon::ThreadPool,
    m: usize,
    k: usize,
    n: usize,
    reps: usize,
) -> Duration {
    let dev: Cpu = Default::default();
    let a: Tensor<(usize, usize), f32, Cpu> = dev.sample_normal_like(&(m, k));
    let b: Tensor<(usize, usize), f32, Cpu> = dev.sample_normal_like(&(k, n));
    pool.install(|| {
        let once = || {
            let t = Instant::now();
            let c = a.clone().matmul(b.clone());
            std::hint::black_box(&c);
            t.elapsed()
        };
        once();
        median((0..reps.max(1)).map(|_| once()).collect())
    })
}

/// Median time of one triad `a = b + s * c` over `n` f32, split into rayon tasks in `pool`,
/// over `reps` passes after one to warm up (which also faults the pages in).
pub fn triad_time(pool: &rayon::ThreadPool, n: usize, reps: usize) -> Duration {
    let b = vec![1.0f32; n];
    let c = vec![2.0f32; n];
    let mut a = vec![0.0f32; n];
    let s = 3.0f32;
    pool.install(|| {
        let mut once = || {
            let t = Instant::now();
            a.par_chunks_mut(TRIAD_CHUNK)
                .zip(b.par_chunks(TRIAD_CHUNK))
                .zip(c.par_chunks(TRIAD_CHUNK))
                .for_each(|((a, b), c)| {
                    for ((a, b), c) in a.iter_mut().zip(b).zip(c) {
                        *a = b + s * c;
                    }
                });
            std::hint::black_box(&mut a);
            t.elapsed()
        };
        once();
        median((0..reps.max(1)).map(|_| once()).collect())
    })
}

/// GB/s (10^9 bytes) of moving `bytes` in `t`.
pub fn gb_per_s(bytes: f64, t: Duration) -> f64 {
    bytes / t.as_secs_f64() / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flop_and_byte_counts() {
        // (2 x 3) * (3 x 4): 24 multiply-adds, 48 operations.
        assert_eq!(matmul_flops(2, 3, 4), 48.0);
        // 12 bytes in 3 ns is 4 GB/s.
        assert!((gb_per_s(12.0, Duration::from_nanos(3)) - 4.0).abs() < 1e-9);
    }

    #[test]
    fn triad_and_matmul_run_in_a_pool_of_two() {
        let p = pool(2);
        assert!(triad_time(&p, 1 << 17, 1) > Duration::ZERO);
        assert!(matmul_time(&p, 8, 8, 8, 1) > Duration::ZERO);
    }
}
