//! The thread policy: which work is split across cores, and which stays on one.
//!
//! The only multi-threaded kernels of a training step are dfdx 0.13's CPU matmul (the `gemm`
//! crate, asked for `rayon::current_num_threads()` threads) and the optimizer's update over
//! large tensors ([`trainlab_optimizers::Optimizer`] splits it into rayon chunks). Everything
//! else (bias adds, activations, the loss) runs on the calling thread.
//!
//! `gemm` splits a block of an `(m x k) * (k x n)` matmul across threads once `m * n * k` of the
//! block reaches its threading threshold, 48 * 48 * 256 = 589,824 multiply-adds by default:
//! about 25 us of work on one core here. Waking a sleeping rayon worker and joining it costs
//! more than half of that, so at that size two threads are slower than one (issue 18: the
//! 64-1024-10 MLP at batch 32 took 0.64 ms per forward+backward at 2 threads against 0.36 ms
//! at 1). [`apply`] raises the threshold to [`MATMUL_SPLIT_WORK`]: a block is split only when
//! each half still has about 0.5 ms of work, so small models run on one thread whatever
//! `RAYON_NUM_THREADS` says and large matmuls (784-1024-1024 at batch 128) use every core of
//! the pool.
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
/// at 2 threads than at 1 (BENCHMARKS.md); 784-1024-1024-10 at batch 128 still splits.
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
