//! Leakage check: identical feature rows in different parts of a split.
//!
//! ```text
//! key(i)  = the bit patterns of row i: features[i*d .. (i+1)*d]   (-0.0 counted as 0.0)
//! leak    = a pair (i, j) with key(i) == key(j) and part(i) != part(j)
//! ```
//!
//! The lecture's warning "the training set contains test data": a duplicated sample that lands
//! in train and in test makes the test score an estimate of memorisation, not of generalisation.
//! Rows are compared exactly (bit for bit, so a NaN matches a NaN with the same bits); near
//! duplicates are not found. scikit-learn and PyTorch have no such check.

use std::collections::HashMap;

use crate::{Split, ValidationError};

/// A part of a split. Ordered train < val < test.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The training part.
    Train,
    /// The validation part.
    Val,
    /// The (sealed) test part.
    Test,
}

/// Two identical rows in different parts: `a` is in the earlier part (train before val before
/// test), each with its sample index.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Leak {
    /// The row in the earlier part.
    pub a: (Part, usize),
    /// The identical row in the later part.
    pub b: (Part, usize),
}

/// Every pair of identical rows that sit in different parts of `split`, sorted.
///
/// `features` is row-major with `n_features` columns. Pairs inside one part are not leaks and
/// are not reported; a row duplicated three times across train, val and test gives three pairs.
///
/// # Panics
/// If `n_features == 0` or an index of the split has no row in `features`; use
/// [`try_find_leaks`] to get an error instead.
///
/// ```
/// use trainlab_validation::{find_leaks, split, Leak, Part, SplitConfig};
/// let cfg = SplitConfig { stratify: false, ..SplitConfig::preset_60_20_20() };
/// let s = split(5, None, &cfg).unwrap();
/// let (i, j) = (s.train[0], s.val[0]);
/// let mut x: Vec<f32> = (0..10).map(|v| v as f32).collect(); // 5 rows, 2 features, all distinct
/// x[2 * j] = x[2 * i];
/// x[2 * j + 1] = x[2 * i + 1]; // plant a copy of a training row in val
/// assert_eq!(find_leaks(&x, 2, &s), vec![Leak { a: (Part::Train, i), b: (Part::Val, j) }]);
/// ```
pub fn find_leaks(features: &[f32], n_features: usize, split: &Split) -> Vec<Leak> {
    match try_find_leaks(features, n_features, split) {
        Ok(leaks) => leaks,
        Err(e) => panic!("{e}"),
    }
}

/// [`find_leaks`] that returns an error when the feature matrix does not cover the split.
pub fn try_find_leaks(
    features: &[f32],
    n_features: usize,
    split: &Split,
) -> Result<Vec<Leak>, ValidationError> {
    if n_features == 0 {
        return Err(ValidationError::FeatureShape {
            message: "n_features = 0: expected at least one feature per row".into(),
        });
    }
    let n_rows = features.len() / n_features;
    if features.len() % n_features != 0 {
        return Err(ValidationError::FeatureShape {
            message: format!(
                "features has {} values, not a multiple of n_features = {n_features}",
                features.len()
            ),
        });
    }
    let parts = [
        (Part::Train, split.train.as_slice()),
        (Part::Val, split.val.as_slice()),
        (Part::Test, split.test.indices()),
    ];
    let mut groups: HashMap<Vec<u32>, Vec<(Part, usize)>> = HashMap::new();
    for (part, indices) in parts {
        for &i in indices {
            if i >= n_rows {
                return Err(ValidationError::FeatureShape {
                    message: format!(
                        "{part:?} index {i} has no row: features holds {n_rows} rows of {n_features}"
                    ),
                });
            }
            let key: Vec<u32> = features[i * n_features..(i + 1) * n_features]
                .iter()
                .map(|&v| if v == 0.0 { 0 } else { v.to_bits() })
                .collect();
            groups.entry(key).or_default().push((part, i));
        }
    }
    let mut leaks = Vec::new();
    for members in groups.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if a.0 != b.0 {
                    let (a, b) = if a <= b { (a, b) } else { (b, a) };
                    leaks.push(Leak { a, b });
                }
            }
        }
    }
    leaks.sort_unstable();
    Ok(leaks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{split, SplitConfig};

    fn distinct_rows(n: usize, d: usize) -> Vec<f32> {
        (0..n * d).map(|v| v as f32 * 0.5).collect()
    }

    fn copy_row(x: &mut [f32], d: usize, from: usize, to: usize) {
        for f in 0..d {
            x[to * d + f] = x[from * d + f];
        }
    }

    #[test]
    fn planted_duplicates_are_found_with_exact_indices() {
        let cfg = SplitConfig {
            stratify: false,
            ..SplitConfig::preset_60_20_20()
        };
        let s = split(50, None, &cfg).unwrap();
        let d = 3;
        let mut x = distinct_rows(50, d);
        assert!(
            find_leaks(&x, d, &s).is_empty(),
            "distinct rows leak nothing"
        );

        // test indices are sealed; find one by elimination (neither train nor val)
        let t = (0..50)
            .find(|i| !s.train.contains(i) && !s.val.contains(i))
            .unwrap();
        let (tr0, tr1, v0) = (s.train[0], s.train[1], s.val[0]);
        copy_row(&mut x, d, tr0, t); // train <-> test
        copy_row(&mut x, d, tr1, v0); // train <-> val
        copy_row(&mut x, d, tr1, s.train[2]); // inside train: not a leak
        let mut expected = vec![
            Leak {
                a: (Part::Train, tr0),
                b: (Part::Test, t),
            },
            Leak {
                a: (Part::Train, tr1),
                b: (Part::Val, v0),
            },
            Leak {
                a: (Part::Train, s.train[2]),
                b: (Part::Val, v0),
            },
        ];
        expected.sort_unstable();
        assert_eq!(find_leaks(&x, d, &s), expected);
    }

    #[test]
    fn negative_zero_equals_zero() {
        let cfg = SplitConfig {
            train: 0.5,
            val: 0.5,
            test: 0.0,
            stratify: false,
            seed: 0,
        };
        let s = split(2, None, &cfg).unwrap();
        let mut x = vec![0.0f32; 2];
        x[s.val[0]] = -0.0;
        assert_eq!(find_leaks(&x, 1, &s).len(), 1);
    }

    #[test]
    fn shape_errors() {
        let s = split(
            4,
            Some(&[0, 0, 1, 1]),
            &SplitConfig {
                train: 0.5,
                val: 0.5,
                test: 0.0,
                ..SplitConfig::default()
            },
        )
        .unwrap();
        assert!(try_find_leaks(&[0.0; 4], 0, &s).is_err());
        assert!(try_find_leaks(&[0.0; 5], 2, &s).is_err());
        let err = try_find_leaks(&[0.0; 6], 2, &s).unwrap_err();
        assert!(err.to_string().contains("index 3 has no row"), "{err}");
    }
}
