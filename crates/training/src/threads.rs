//! The thread policy: which work is split across cores, and which stays on one.
//!
//! The only multi-threaded kernels of a training step are dfdx 0.13's CPU matmul (the `gemm`
//! crate, asked for `rayon::current_num_threads()` threads) and the optimizer's update over
//! large tensors ([`trainlab_optimizers::Optimizer`] splits it into rayon chunks). Everything
//! else (bias adds, activations, the loss) runs on the calling thread. Each is decided per
//! operation, from its own size:
//!
//! - a matmul: `gemm` splits a block of an `(m x k) * (k x n)` product across threads once
//!   `m * n * k` of the block reaches its threading threshold, 48 * 48 * 256 = 589,824
//!   multiply-adds by default: about 25 us of work on one core here. The trainer's thread is not
//!   a rayon worker, so every split hands the product to the pool and sleeps until it is done;
//!   that costs more than half of such a product (issue 18: 64-1024-10 at batch 32 took 0.64 ms
//!   per forward+backward at 2 threads against 0.36 ms at 1). Measured per shape
//!   (`bench_limits matmul`, BENCHMARKS.md), the products of 16.8M to 33.5M multiply-adds of the
//!   digits MLPs gain nothing from a second thread (0.91x to 1.07x), those of 51M and more of
//!   784-1024-1024-10 gain 1.1x to 2x. [`apply`] raises the threshold to [`MATMUL_SPLIT_WORK`],
//!   between the two;
//! - an update: a parameter of [`trainlab_optimizers::PARALLEL_UPDATE_MIN`] elements or more
//!   (256Ki: none of the digits MLPs has one) is updated in rayon chunks when the pool has more
//!   than one thread.
//!
//! So the digits MLPs run entirely on one thread whatever `RAYON_NUM_THREADS` says (`perf` at 2
//! threads puts every sample of 64-1024-10 at batch 256 in the trainer's thread), and large
//! products and tensors use every core of the pool.
//!
//! Parallel trials (`trainlab search --jobs N`) run each trial in a 1-thread rayon pool, so a
//! trial's matmuls and updates never split further: the cores go to the trials, not to both.
//!
//! ```
//! trainlab_training::threads::apply();
//! assert_eq!(gemm_common::gemm::get_threading_threshold(), trainlab_training::threads::MATMUL_SPLIT_WORK);
//! ```

use std::sync::Once;

/// Multiply-adds (`m * n * k` of one `gemm` block) from which a matmul is split across threads:
/// 24M, about 1 ms of single-core work at the 50 GFLOP/s dfdx's kernel reaches here. At 8M the
/// 64-1024-10 MLP at batch 256 (products of 256x64x1024 = 16.8M) split and ran 1.2-1.3x slower
/// at 2 threads than at 1; measured alone, those products gain nothing from a split, the 51M and
/// larger products of 784-1024-1024-10 at batch 128 do (BENCHMARKS.md), and they still split.
pub const MATMUL_SPLIT_WORK: usize = 24 << 20;

static APPLY: Once = Once::new();

/// Set the policy (once per process; later calls do nothing). [`crate::Trainer::new`] calls it,
/// so every training run, cross-validation fold, LR finder and search trial gets it.
pub fn apply() {
    APPLY.call_once(|| gemm_common::gemm::set_threading_threshold(MATMUL_SPLIT_WORK));
}

#[cfg(test)]
mod tests {
    use crate::{TrainConfig, Trainer};

    /// The policy changes which thread does the work, never the numbers: `gemm` splits a product
    /// over blocks of its output (each block's sum over `k` stays on one thread) and the
    /// optimizer over element ranges, so a run at 1 and at 2 threads ends bit for bit the same.
    /// 64-512-512-10 at batch 256 splits its 256x512x512 products (67M multiply-adds per block)
    /// and updates its 512x512 weight (262,144 elements) in chunks.
    #[test]
    fn a_run_ends_bit_for_bit_the_same_at_1_and_2_threads() {
        let mut config = TrainConfig::default();
        config.model.hidden = Some(vec![512, 512]);
        config.train.batch_size = 256;
        config.train.epochs = 2;
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a rayon pool");
            let plan = config.plan().expect("a valid config");
            pool.install(|| Trainer::new(plan).run(&mut []).expect("trains"))
                .model
                .parameters()
        };
        let (one, two) = (run(1), run(2));
        for ((name, a), (_, b)) in one.iter().zip(&two) {
            let first = a
                .iter()
                .zip(b)
                .position(|(x, y)| x.to_bits() != y.to_bits());
            assert_eq!(first, None, "{name} differs between 1 and 2 threads");
        }
    }
}
