//! # Exercise 06: Random search with log-uniform ranges
//!
//! Draw `n` random trials from a search space, reproducibly from a seed. A space is a list of
//! `(key, Dimension)` pairs (sorted by key, e.g. `SearchSpace::dims()`); a trial is one value per
//! dimension, in the same order. Draw with `rand_chacha::ChaCha8Rng::seed_from_u64(seed)`, trial
//! after trial, dimensions in order, one draw per value:
//!
//! ```text
//! Choice(values)         -> values[rng.gen_range(0..values.len())]        (cloned)
//! IntRange { low, high } -> Integer(rng.gen_range(low..=high))            (high included)
//! Uniform { low, high }  -> u = rng.gen::<f64>();  Float(low + u * (high - low))
//! LogUniform { low, high } -> u = rng.gen::<f64>();  Float(exp(ln low + u * (ln high - ln low)))
//! ```
//!
//! Clamp the two real kinds to `[low, high]` (rounding may step just outside). Log-uniform is
//! the lecture's advice for learning rates: every decade (1e-4..1e-3, 1e-3..1e-2, ...) is equally
//! likely, where a plain uniform over 1e-4..1e-1 puts 90% of the trials in the top decade.
//!
//! The same dims, `n` and seed give the same trials, and the first `k` trials of a run of `n`
//! are a run of `k`. Done right, the trials equal `trainlab_validation::search::random`'s, so
//! they plug into `trainlab_validation::search::apply` and `trainlab search`.
//!
//! Edit only this file. `cargo make grade 6` runs its visible tests; `cargo make hint 6` gives a hint.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use trainlab_exercise_api::toml::Value;
use trainlab_exercise_api::validation::Dimension;

/// One configuration to try: `(key, value)` pairs in the space's order.
pub type Trial = Vec<(String, Value)>;

/// One value of `dim`, drawn from `rng` (see the module docs).
pub fn sample(dim: &Dimension, rng: &mut ChaCha8Rng) -> Value {
    // TODO
    // BEGIN SOLUTION
    match *dim {
        Dimension::Choice(ref values) => values[rng.gen_range(0..values.len())].clone(),
        Dimension::IntRange { low, high } => Value::Integer(rng.gen_range(low..=high)),
        Dimension::Uniform { low, high } => {
            let u: f64 = rng.gen();
            Value::Float((low + u * (high - low)).clamp(low, high))
        }
        Dimension::LogUniform { low, high } => {
            let u: f64 = rng.gen();
            let (ln_low, ln_high) = (low.ln(), high.ln());
            Value::Float((ln_low + u * (ln_high - ln_low)).exp().clamp(low, high))
        }
    }
    // STUB: let _ = (dim, rng.gen::<f64>());
    // STUB: todo!("one value of the dimension")
    // END SOLUTION
}

/// `n` trials from `dims`, reproducible from `seed` (see the module docs).
pub fn random_search(dims: &[(String, Dimension)], n: usize, seed: u64) -> Vec<Trial> {
    // TODO
    // BEGIN SOLUTION
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            dims.iter()
                .map(|(key, dim)| (key.clone(), sample(dim, &mut rng)))
                .collect()
        })
        .collect()
    // STUB: let _ = (dims, n, ChaCha8Rng::seed_from_u64(seed));
    // STUB: todo!("n trials, one value per dimension")
    // END SOLUTION
}
