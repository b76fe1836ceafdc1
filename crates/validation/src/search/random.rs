//! Random search: `n` independent draws from the space, seeded.
//!
//! ```text
//! u ~ uniform[0, 1)                               (ChaCha8Rng::seed_from_u64(seed))
//! choice       -> values[floor(u * len)]
//! int_range    -> uniform integer in low..=high
//! uniform      -> low + u * (high - low)
//! log_uniform  -> exp(ln low + u * (ln high - ln low))     so every decade is equally likely
//! ```
//!
//! Trials are drawn one after the other, dimensions in key order, so the same space, `n` and
//! seed give the same trials, and the first `n` trials of a longer run are the same as a run of
//! `n`. scikit-learn's `ParameterSampler` with scipy's `loguniform` draws from the same
//! distributions with numpy's RNG, so the values differ.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{Dimension, SearchSpace, Trial};

/// Draw one value of `dim`.
fn sample(dim: &Dimension, rng: &mut ChaCha8Rng) -> toml::Value {
    // BEGIN SOLUTION
    match *dim {
        Dimension::Choice(ref values) => values[rng.gen_range(0..values.len())].clone(),
        Dimension::IntRange { low, high } => toml::Value::Integer(rng.gen_range(low..=high)),
        Dimension::Uniform { low, high } => {
            let u: f64 = rng.gen();
            toml::Value::Float((low + u * (high - low)).clamp(low, high))
        }
        Dimension::LogUniform { low, high } => {
            let u: f64 = rng.gen();
            let (ln_low, ln_high) = (low.ln(), high.ln());
            toml::Value::Float((ln_low + u * (ln_high - ln_low)).exp().clamp(low, high))
        }
    }
    // STUB: let _ = (dim, rng.gen::<f64>());
    // STUB: todo!("exercise 06: the student release has no reference random search; yours is in exercises/06_random_search")
    // END SOLUTION
}

/// `n` random trials from `space`, reproducible from `seed`.
///
/// ```
/// use trainlab_validation::search::{random, SearchSpace};
/// let space = SearchSpace::from_toml_str(
///     "[space.lr]\nkind = \"log_uniform\"\nlow = 1e-5\nhigh = 1e-1").unwrap();
/// let trials = random(&space, 20, 7);
/// assert_eq!(trials, random(&space, 20, 7));
/// assert!(trials.iter().all(|t| (1e-5..=1e-1).contains(&t[0].1.as_float().unwrap())));
/// ```
pub fn random(space: &SearchSpace, n: usize, seed: u64) -> Vec<Trial> {
    // BEGIN SOLUTION
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            space
                .dims()
                .iter()
                .map(|(key, dim)| (key.clone(), sample(dim, &mut rng)))
                .collect()
        })
        .collect()
    // STUB: let _ = (space, n, seed, sample);
    // STUB: let _ = ChaCha8Rng::seed_from_u64;
    // STUB: todo!("exercise 06: the student release has no reference random search; yours is in exercises/06_random_search")
    // END SOLUTION
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space() -> SearchSpace {
        SearchSpace::new([
            (
                "c".to_string(),
                Dimension::Choice(vec!["a".into(), 2.into(), 3.5.into()]),
            ),
            ("i".to_string(), Dimension::IntRange { low: -2, high: 4 }),
            (
                "l".to_string(),
                Dimension::LogUniform {
                    low: 1e-6,
                    high: 1e-2,
                },
            ),
            (
                "u".to_string(),
                Dimension::Uniform {
                    low: 0.8,
                    high: 0.99,
                },
            ),
        ])
        .unwrap()
    }

    #[test]
    fn deterministic_prefix_stable_and_seed_dependent() {
        let s = space();
        assert_eq!(random(&s, 50, 1), random(&s, 50, 1));
        assert_eq!(random(&s, 10, 1)[..], random(&s, 50, 1)[..10]);
        assert_ne!(random(&s, 10, 1), random(&s, 10, 2));
    }

    #[test]
    fn within_bounds_and_every_choice_and_int_reached() {
        let trials = random(&space(), 2000, 3);
        let mut ints = std::collections::BTreeSet::new();
        let mut choices = std::collections::BTreeSet::new();
        for t in &trials {
            choices.insert(t[0].1.to_string());
            let i = t[1].1.as_integer().unwrap();
            assert!((-2..=4).contains(&i));
            ints.insert(i);
            let l = t[2].1.as_float().unwrap();
            assert!((1e-6..=1e-2).contains(&l), "{l}");
            let u = t[3].1.as_float().unwrap();
            assert!((0.8..=0.99).contains(&u), "{u}");
        }
        assert_eq!(ints.len(), 7);
        assert_eq!(choices.len(), 3);
    }

    #[test]
    fn log_uniform_logs_are_roughly_uniform() {
        // 1e-6 .. 1e-2 spans 4 decades: each decade should get ~1/4 of the samples.
        // n = 4000: expected 1000 per bucket, binomial std sqrt(4000 * 0.25 * 0.75) ~ 27;
        // 900..1100 is more than 3.5 std either way. A plain uniform would put ~90% in the top decade.
        let trials = random(&space(), 4000, 99);
        let mut buckets = [0usize; 4];
        for t in &trials {
            let decade = (t[2].1.as_float().unwrap().log10() + 6.0).floor() as usize;
            buckets[decade.min(3)] += 1;
        }
        for (d, &count) in buckets.iter().enumerate() {
            assert!(
                (900..=1100).contains(&count),
                "decade {d}: {count} of 4000 ({buckets:?})"
            );
        }
    }
}
