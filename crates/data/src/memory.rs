//! How much memory a training run will need, estimated before anything is allocated, so that a
//! typo (`width = 1e9`, `n_samples = 1e9`, five million hidden layers, label 100000 among 10
//! classes) is a named error instead of the kernel's OOM killer.
//!
//! ```text
//! P           = sum over layers l of  n_l * n_(l+1) + n_(l+1)        (weights and biases)
//! model       = 4 B * P * 8        parameters, gradients, two optimizer buffers, best weights,
//!                                  a checkpoint's tensors, its file bytes, a restored copy
//! activations = 4 B * rows * (n_0 + n_1 + ... + n_L) * 2
//!                                  values and their gradients; rows = max(batch_size, n_samples),
//!                                  since evaluation runs on a whole split at once
//! data        = 4 B * n_samples * n_features * 3 + 8 B * n_samples
//!                                  raw, standardised and split copies, labels and indices
//! charts      = 8 B * n_classes^2  the confusion matrix
//! ```
//!
//! The estimate is deliberately generous (it counts copies that may not all live at once): it is
//! a guard against sizes off by orders of magnitude, not a measurement. All arithmetic is in
//! `u128` and saturates, so absurd sizes give an absurd estimate, never an overflow.

use crate::DataError;

/// The default memory limit: 8 GiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 8 << 30;

/// The environment variable that overrides [`DEFAULT_MEMORY_LIMIT`] (a number of bytes).
pub const MEMORY_LIMIT_ENV: &str = "TRAINLAB_MEMORY_LIMIT";

/// The memory limit: `TRAINLAB_MEMORY_LIMIT` when it holds a number of bytes, else
/// [`DEFAULT_MEMORY_LIMIT`].
pub fn default_memory_limit() -> u64 {
    std::env::var(MEMORY_LIMIT_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_MEMORY_LIMIT)
}

/// The sizes of a planned run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryPlan<'a> {
    /// The model's layer sizes, input first, output last.
    pub layer_sizes: &'a [usize],
    /// Samples in the whole dataset.
    pub n_samples: usize,
    /// Features per sample.
    pub n_features: usize,
    /// Classes (0 for regression).
    pub n_classes: usize,
    /// Minibatch size.
    pub batch_size: usize,
}

/// The estimate, by part, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// Number of parameters `P`.
    pub parameters: u128,
    /// Parameters and everything shaped like them.
    pub model: u128,
    /// Forward values and their gradients.
    pub activations: u128,
    /// The dataset and its copies.
    pub data: u128,
    /// The confusion matrix.
    pub charts: u128,
}

impl MemoryEstimate {
    /// The sum of the parts.
    pub fn total(&self) -> u128 {
        self.model
            .saturating_add(self.activations)
            .saturating_add(self.data)
            .saturating_add(self.charts)
    }
}

/// Estimates the memory of training `plan` (see the module docs for the formula).
///
/// ```
/// use trainlab_data::{estimate_memory, MemoryPlan};
/// let e = estimate_memory(&MemoryPlan {
///     layer_sizes: &[2, 3, 1], n_samples: 10, n_features: 2, n_classes: 0, batch_size: 4,
/// });
/// assert_eq!(e.parameters, 2 * 3 + 3 + 3 * 1 + 1);
/// assert_eq!(e.model, 4 * 13 * 8);
/// ```
pub fn estimate_memory(plan: &MemoryPlan<'_>) -> MemoryEstimate {
    let n = |x: usize| x as u128;
    let parameters = plan
        .layer_sizes
        .windows(2)
        .map(|w| n(w[0]).saturating_mul(n(w[1])).saturating_add(n(w[1])))
        .fold(0u128, u128::saturating_add);
    let units = plan
        .layer_sizes
        .iter()
        .fold(0u128, |a, &s| a.saturating_add(n(s)));
    let rows = n(plan.batch_size.max(plan.n_samples));
    MemoryEstimate {
        parameters,
        model: parameters.saturating_mul(4 * 8),
        activations: rows.saturating_mul(units).saturating_mul(4 * 2),
        data: n(plan.n_samples)
            .saturating_mul(n(plan.n_features))
            .saturating_mul(4 * 3)
            .saturating_add(n(plan.n_samples).saturating_mul(8)),
        charts: n(plan.n_classes)
            .saturating_mul(n(plan.n_classes))
            .saturating_mul(8),
    }
}

/// [`estimate_memory`], and [`DataError::TooMuchMemory`] when the total is above `limit`
/// bytes (use [`default_memory_limit`] unless you have a reason for another).
pub fn check_memory(plan: &MemoryPlan<'_>, limit: u64) -> Result<MemoryEstimate, DataError> {
    let e = estimate_memory(plan);
    if e.total() <= u128::from(limit) {
        return Ok(e);
    }
    Err(DataError::TooMuchMemory {
        what: format!(
            "training the model {} on {} samples of {} features{}",
            short_sizes(plan.layer_sizes),
            plan.n_samples,
            plan.n_features,
            match plan.n_classes {
                0 => String::new(),
                k => format!(" in {k} classes"),
            }
        ),
        bytes: e.total(),
        limit,
    })
}

/// Layer sizes for a message: all of them when there are few, else the first and last three.
fn short_sizes(sizes: &[usize]) -> String {
    if sizes.len() <= 8 {
        return format!("{sizes:?}");
    }
    let head: Vec<String> = sizes[..3].iter().map(usize::to_string).collect();
    let tail: Vec<String> = sizes[sizes.len() - 3..]
        .iter()
        .map(usize::to_string)
        .collect();
    format!(
        "[{}, ... ({} layer sizes) ..., {}]",
        head.join(", "),
        sizes.len(),
        tail.join(", ")
    )
}

/// Bytes for a person: `512 B`, `1.5 KiB`, `24.0 GiB`, ... up to EiB, then powers of ten.
pub fn human_bytes(bytes: u128) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut x = bytes as f64 / 1024.0;
    for unit in UNITS {
        if x < 1024.0 || unit == "EiB" {
            return if x < 1e6 {
                format!("{x:.1} {unit}")
            } else {
                format!("{x:.1e} {unit}")
            };
        }
        x /= 1024.0;
    }
    unreachable!("the loop returns at EiB")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digits_mlp_is_small() {
        // by hand: P = 64*32 + 32 + 32*10 + 10 = 2410; model = 2410 * 32 = 77120;
        // activations = 1797 rows * (64 + 32 + 10) units * 8 = 1523856;
        // data = 1797 * 64 * 12 + 1797 * 8 = 1394472; charts = 10 * 10 * 8 = 800
        let plan = MemoryPlan {
            layer_sizes: &[64, 32, 10],
            n_samples: 1797,
            n_features: 64,
            n_classes: 10,
            batch_size: 64,
        };
        let e = check_memory(&plan, DEFAULT_MEMORY_LIMIT).unwrap();
        assert_eq!(
            (e.parameters, e.model, e.activations, e.data, e.charts),
            (2410, 77120, 1523856, 1394472, 800)
        );
        assert_eq!(e.total(), 77120 + 1523856 + 1394472 + 800);
    }

    #[test]
    fn a_width_of_a_billion_is_a_named_error() {
        let plan = MemoryPlan {
            layer_sizes: &[64, 1_000_000_000, 10],
            n_samples: 1797,
            n_features: 64,
            n_classes: 10,
            batch_size: 64,
        };
        let err = check_memory(&plan, DEFAULT_MEMORY_LIMIT).unwrap_err();
        // by hand: P = 64e9 + 1e9 + 10e9 + 10; model = 32 P = 2.40e12 B;
        // activations = 1797 * (1e9 + 74) * 8 = 1.4376e13 B; total 1.6776e13 B = 15.26 TiB
        assert_eq!(
            err.to_string(),
            "training the model [64, 1000000000, 10] on 1797 samples of 64 features in 10 \
             classes needs about 15.3 TiB (estimated), above the limit of 8.0 GiB: expected \
             smaller sizes (set TRAINLAB_MEMORY_LIMIT, in bytes, to raise the limit)"
        );
    }

    #[test]
    fn a_billion_samples_and_five_million_layers_and_100000_classes_are_refused() {
        let many = MemoryPlan {
            layer_sizes: &[2, 16, 2],
            n_samples: 1_000_000_000,
            n_features: 2,
            n_classes: 2,
            batch_size: 32,
        };
        assert!(check_memory(&many, DEFAULT_MEMORY_LIMIT).is_err());
        let mut sizes = vec![64; 5_000_000];
        sizes.push(10);
        let deep = MemoryPlan {
            layer_sizes: &sizes,
            n_samples: 1797,
            n_features: 64,
            n_classes: 10,
            batch_size: 64,
        };
        let err = check_memory(&deep, DEFAULT_MEMORY_LIMIT)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "training the model [64, 64, 64, ... (5000001 layer sizes) ..., 64, 64, 10]"
            ),
            "{err}"
        );
        // 100000 classes: the confusion matrix alone is 8e10 bytes
        let classes = MemoryPlan {
            layer_sizes: &[64, 32, 100_001],
            n_samples: 1797,
            n_features: 64,
            n_classes: 100_001,
            batch_size: 64,
        };
        assert!(check_memory(&classes, DEFAULT_MEMORY_LIMIT).is_err());
    }

    #[test]
    fn absurd_sizes_saturate_instead_of_overflowing() {
        let plan = MemoryPlan {
            layer_sizes: &[usize::MAX, usize::MAX],
            n_samples: usize::MAX,
            n_features: usize::MAX,
            n_classes: usize::MAX,
            batch_size: usize::MAX,
        };
        assert_eq!(estimate_memory(&plan).total(), u128::MAX);
        assert!(check_memory(&plan, u64::MAX).is_err());
    }

    #[test]
    fn bytes_read_as_a_person_would() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(8 << 30), "8.0 GiB");
    }
}
