//! Seeded shuffling minibatches: each epoch is a fresh permutation of `0..n`, cut into batches.
//!
//! ```text
//! rng   = ChaCha8Rng::seed_from_u64(seed), stream = epoch     (depends only on (seed, epoch))
//! order = 0..n;  for i in (1..n).rev() { j = uniform(0..=i); order.swap(i, j) }   (Fisher-Yates)
//! batches = order.chunks(batch_size)    (last one shorter unless drop_last)
//! ```
//!
//! Like PyTorch's `DataLoader(shuffle=True, drop_last=False)`: every index appears exactly once
//! per epoch and the last, partial batch is kept by default. Differs from PyTorch: the order of
//! epoch `e` is a pure function of `(seed, e)`, not of how many epochs ran before (PyTorch draws
//! from one generator in sequence), so a resumed run sees the same batches as an uninterrupted
//! one, and ChaCha8 gives the same permutation on every platform.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::DataError;

/// Seeded shuffling minibatches over `n` samples: the order for epoch `e` depends only on `(seed, e)`.
///
/// ```
/// use trainlab_data::Batches;
/// let b = Batches::new(10, 4, 42)?;
/// assert_eq!(b.batches_per_epoch(), 3); // 4 + 4 + 2: the partial batch is kept
/// let mut seen: Vec<usize> = b.epoch(0).flatten().collect();
/// seen.sort();
/// assert_eq!(seen, (0..10).collect::<Vec<_>>());
/// assert_eq!(b.epoch(1).collect::<Vec<_>>(), b.epoch(1).collect::<Vec<_>>());
/// # Ok::<(), trainlab_data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batches {
    n: usize,
    batch_size: usize,
    seed: u64,
    drop_last: bool,
}

impl Batches {
    /// Minibatches of `batch_size` over `n` samples, shuffled per epoch from `seed`; the last
    /// partial batch is kept (PyTorch `drop_last=False`).
    ///
    /// Errors if `n` or `batch_size` is 0.
    pub fn new(n: usize, batch_size: usize, seed: u64) -> Result<Batches, DataError> {
        if n == 0 {
            return Err(batching("n", n, "at least 1 sample to batch over"));
        }
        if batch_size == 0 {
            return Err(batching("batch_size", batch_size, "at least 1"));
        }
        Ok(Batches {
            n,
            batch_size,
            seed,
            drop_last: false,
        })
    }

    /// Drop (or keep) the last partial batch of each epoch (PyTorch's `drop_last`). Default: keep.
    ///
    /// Errors if dropping would leave no batch at all (`batch_size > n`).
    ///
    /// ```
    /// use trainlab_data::Batches;
    /// let b = Batches::new(10, 4, 0)?.drop_last(true)?;
    /// assert_eq!(b.batches_per_epoch(), 2);
    /// assert!(b.epoch(0).all(|batch| batch.len() == 4));
    /// assert!(Batches::new(3, 4, 0)?.drop_last(true).is_err());
    /// # Ok::<(), trainlab_data::DataError>(())
    /// ```
    pub fn drop_last(self, drop_last: bool) -> Result<Batches, DataError> {
        if drop_last && self.batch_size > self.n {
            return Err(batching(
                "drop_last",
                drop_last,
                &format!(
                    "false when batch_size ({}) > n ({}): no full batch exists",
                    self.batch_size, self.n
                ),
            ));
        }
        Ok(Batches { drop_last, ..self })
    }

    /// Number of samples.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Samples per (full) batch.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Number of batches each epoch yields: `ceil(n / batch_size)`, or `floor` with `drop_last`.
    pub fn batches_per_epoch(&self) -> usize {
        if self.drop_last {
            self.n / self.batch_size
        } else {
            self.n.div_ceil(self.batch_size)
        }
    }

    /// The permutation of `0..n` used in epoch `epoch` (all batches of the epoch, concatenated,
    /// before any dropping).
    pub fn order(&self, epoch: usize) -> Vec<usize> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(epoch as u64);
        let mut order: Vec<usize> = (0..self.n).collect();
        for i in (1..self.n).rev() {
            // Draw in u64 so the result does not depend on the platform's usize width.
            let j = rng.gen_range(0..=i as u64) as usize;
            order.swap(i, j);
        }
        order
    }

    /// The batches of epoch `epoch`, each a list of sample indices.
    pub fn epoch(&self, epoch: usize) -> EpochBatches {
        EpochBatches {
            order: self.order(epoch),
            batch_size: self.batch_size,
            next: 0,
            remaining: self.batches_per_epoch(),
        }
    }
}

fn batching(field: &str, value: impl ToString, expected: &str) -> DataError {
    DataError::Batching {
        field: field.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

/// The batches of one epoch, from [`Batches::epoch`].
#[derive(Clone, Debug)]
pub struct EpochBatches {
    order: Vec<usize>,
    batch_size: usize,
    next: usize,
    remaining: usize,
}

impl Iterator for EpochBatches {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let end = (self.next + self.batch_size).min(self.order.len());
        let batch = self.order[self.next..end].to_vec();
        self.next = end;
        Some(batch)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for EpochBatches {}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<usize>) -> Vec<usize> {
        v.sort_unstable();
        v
    }

    #[test]
    fn every_index_once_per_epoch() {
        for (n, bs) in [(1, 1), (7, 3), (10, 5), (100, 7), (5, 64)] {
            let b = Batches::new(n, bs, 3).expect("valid");
            for e in 0..4 {
                let batches: Vec<Vec<usize>> = b.epoch(e).collect();
                assert_eq!(
                    batches.len(),
                    b.batches_per_epoch(),
                    "n={n} bs={bs} epoch {e}"
                );
                assert!(batches[..batches.len() - 1].iter().all(|x| x.len() == bs));
                assert_eq!(
                    batches.last().map(Vec::len),
                    Some(n - bs * (batches.len() - 1))
                );
                let all = sorted(batches.concat());
                assert_eq!(all, (0..n).collect::<Vec<_>>(), "n={n} bs={bs} epoch {e}");
            }
        }
    }

    #[test]
    fn counts() {
        assert_eq!(
            Batches::new(10, 3, 0).expect("valid").batches_per_epoch(),
            4
        );
        assert_eq!(Batches::new(9, 3, 0).expect("valid").batches_per_epoch(), 3);
        let b = Batches::new(10, 3, 0)
            .expect("valid")
            .drop_last(true)
            .expect("valid");
        assert_eq!(b.batches_per_epoch(), 3);
        assert_eq!(b.epoch(0).len(), 3);
        let kept = sorted(b.epoch(0).flatten().collect());
        assert_eq!(kept.len(), 9);
        assert_eq!(b.epoch(0).flatten().collect::<Vec<_>>(), b.order(0)[..9]);
    }

    #[test]
    fn same_seed_and_epoch_same_order() {
        let a = Batches::new(50, 8, 11).expect("valid");
        let b = Batches::new(50, 8, 11).expect("valid");
        // Order of epoch 3 does not depend on whether epochs 0..3 were drawn first.
        let _ = a.epoch(0).count();
        assert_eq!(
            a.epoch(3).collect::<Vec<_>>(),
            b.epoch(3).collect::<Vec<_>>()
        );
    }

    #[test]
    fn epochs_and_seeds_differ() {
        let b = Batches::new(50, 8, 11).expect("valid");
        assert_ne!(b.order(0), b.order(1));
        assert_ne!(
            b.order(0),
            (0..50).collect::<Vec<_>>(),
            "epoch 0 is shuffled"
        );
        assert_ne!(b.order(0), Batches::new(50, 8, 12).expect("valid").order(0));
    }

    #[test]
    fn rejects_zero() {
        let e = Batches::new(10, 0, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "batches: batch_size = 0, expected at least 1"
        );
        assert!(Batches::new(0, 4, 0).is_err());
    }
}
