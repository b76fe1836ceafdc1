//! Train / validation / test split, optionally stratified by class.
//!
//! ```text
//! sizes:        (n_train, n_val, n_test) = largest_remainder(n, [train, val, test])
//!               each is floor(n*f) or ceil(n*f), and they add up to n (ties: train, val, test)
//! not stratified: perm = seeded shuffle of 0..n
//!               train = perm[..n_train], val = perm[n_train..n_train+n_val], test = the rest
//! stratified:   x[c][p] = controlled rounding of n_c * n_p / n   (class c, part p)
//!               per class (in label order): seeded shuffle of its indices, then x[c][train],
//!               x[c][val], x[c][test] of them; so |x[c][p] - n_c * n_p / n| < 1 for every
//!               class and part, and the part sizes are the same as without stratification
//! each part is returned sorted ascending.
//! ```
//!
//! The randomness is a `ChaCha8Rng` seeded with `seed`: the same config and `n` give the same
//! split on every platform. PyTorch's `random_split` takes fractions too but floors them and
//! gives the leftovers round-robin from the first part, and it has no stratification;
//! scikit-learn's `train_test_split` cuts only two ways (ceil for test, floor for train), so a
//! three-way split there is two calls.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::apportion::{controlled_rounding, largest_remainder};
use crate::{SealedTest, ValidationError};

/// How to split a data set into train, validation and test parts.
///
/// `Default` is the 80/10/10 preset, stratified, seed 0. In TOML every field is optional
/// (missing ones take the default) and unknown fields are errors:
///
/// ```
/// use trainlab_validation::SplitConfig;
/// let cfg: SplitConfig = toml::from_str("train = 0.6\nval = 0.2\ntest = 0.2").unwrap();
/// assert_eq!(cfg, SplitConfig::preset_60_20_20());
/// assert!(toml::from_str::<SplitConfig>("trian = 0.6").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SplitConfig {
    /// Fraction of samples for training. Default: 0.8.
    pub train: f64,
    /// Fraction for validation (model selection, early stopping). Default: 0.1.
    pub val: f64,
    /// Fraction for the sealed test set. Default: 0.1.
    pub test: f64,
    /// Keep class proportions in every part when labels are given (without labels, e.g. for
    /// regression targets, the split is the plain shuffled one). Default: true.
    pub stratify: bool,
    /// Seed of the shuffle. Default: 0.
    pub seed: u64,
}

impl Default for SplitConfig {
    fn default() -> Self {
        Self::preset_80_10_10()
    }
}

impl SplitConfig {
    /// The lecture's classic 60 / 20 / 20 split (stratified, seed 0).
    pub fn preset_60_20_20() -> Self {
        Self {
            train: 0.6,
            val: 0.2,
            test: 0.2,
            stratify: true,
            seed: 0,
        }
    }

    /// The 80 / 10 / 10 split for larger data sets (stratified, seed 0).
    pub fn preset_80_10_10() -> Self {
        Self {
            train: 0.8,
            val: 0.1,
            test: 0.1,
            stratify: true,
            seed: 0,
        }
    }

    /// Check that every fraction is finite and in `[0, 1]` and that they sum to 1 (within 1e-9).
    ///
    /// ```
    /// use trainlab_validation::SplitConfig;
    /// assert!(SplitConfig::default().validate().is_ok());
    /// let bad = SplitConfig { test: 0.2, ..SplitConfig::default() };
    /// assert!(bad.validate().unwrap_err().to_string().contains("sum to 1"));
    /// ```
    pub fn validate(&self) -> Result<(), ValidationError> {
        for (field, value) in self.fractions_named() {
            if !value.is_finite() || !(0.0..=1.0).contains(&value) {
                return Err(ValidationError::InvalidFraction { field, value });
            }
        }
        let sum = self.train + self.val + self.test;
        if (sum - 1.0).abs() > 1e-9 {
            return Err(ValidationError::FractionsDoNotSumToOne { sum });
        }
        Ok(())
    }

    /// Part sizes for `n` samples (largest remainder, see the module docs), checked so that
    /// every part with a positive fraction gets at least one sample.
    ///
    /// ```
    /// use trainlab_validation::SplitConfig;
    /// // 7 * (0.6, 0.2, 0.2) = (4.2, 1.4, 1.4) -> floors (4, 1, 1) + 1 leftover to val (tie, earlier)
    /// assert_eq!(SplitConfig::preset_60_20_20().sizes(7).unwrap(), [4, 2, 1]);
    /// ```
    pub fn sizes(&self, n: usize) -> Result<[usize; 3], ValidationError> {
        self.validate()?;
        let sizes = largest_remainder(n, &[self.train, self.val, self.test]);
        for ((part, fraction), &size) in self.fractions_named().into_iter().zip(&sizes) {
            if fraction > 0.0 && size == 0 {
                return Err(ValidationError::TooFewSamples { n, part, fraction });
            }
        }
        Ok([sizes[0], sizes[1], sizes[2]])
    }

    fn fractions_named(&self) -> [(&'static str, f64); 3] {
        [
            ("train", self.train),
            ("val", self.val),
            ("test", self.test),
        ]
    }
}

/// The three parts of a split; the test part is sealed.
#[derive(Debug)]
pub struct Split {
    /// Training indices, ascending.
    pub train: Vec<usize>,
    /// Validation indices, ascending.
    pub val: Vec<usize>,
    /// Test indices, reachable only through [`SealedTest::evaluate_final`].
    pub test: SealedTest,
}

/// Split the indices `0..n` into train, validation and a sealed test part.
///
/// With `cfg.stratify` and `labels` (one per sample) every class is spread over the parts in
/// proportion. With `labels = None` (a regression target has no classes) or `stratify = false`
/// the split is the plain shuffled one; given labels must have length `n` either way. See the
/// module docs for the exact rounding rule.
///
/// ```
/// use trainlab_validation::{split, SplitConfig};
/// let labels: Vec<u32> = (0..100).map(|i| (i % 4) as u32).collect();
/// let s = split(100, Some(&labels), &SplitConfig::preset_60_20_20()).unwrap();
/// assert_eq!((s.train.len(), s.val.len(), s.test.len()), (60, 20, 20));
/// // stratified: each of the 4 classes (25 samples) has 15 / 5 / 5 samples in the parts
/// assert_eq!(s.val.iter().filter(|&&i| labels[i] == 3).count(), 5);
/// ```
pub fn split(
    n: usize,
    labels: Option<&[u32]>,
    cfg: &SplitConfig,
) -> Result<Split, ValidationError> {
    let sizes = cfg.sizes(n)?;
    if let Some(labels) = labels {
        if labels.len() != n {
            return Err(ValidationError::LabelsLength {
                expected: n,
                got: labels.len(),
            });
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut parts: [Vec<usize>; 3] = Default::default();
    if let (true, Some(labels)) = (cfg.stratify, labels) {
        let mut classes: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, &y) in labels.iter().enumerate() {
            classes.entry(y).or_default().push(i);
        }
        let class_counts: Vec<usize> = classes.values().map(Vec::len).collect();
        let x = controlled_rounding(&class_counts, &sizes);
        for (mut members, x_c) in classes.into_values().zip(x) {
            members.shuffle(&mut rng);
            let mut rest = members.as_slice();
            for (part, &count) in parts.iter_mut().zip(&x_c) {
                let (taken, left) = rest.split_at(count);
                part.extend_from_slice(taken);
                rest = left;
            }
        }
    } else {
        let mut perm: Vec<usize> = (0..n).collect();
        perm.shuffle(&mut rng);
        let mut rest = perm.as_slice();
        for (part, &count) in parts.iter_mut().zip(&sizes) {
            let (taken, left) = rest.split_at(count);
            part.extend_from_slice(taken);
            rest = left;
        }
    }
    for part in parts.iter_mut() {
        part.sort_unstable();
    }
    let [train, val, test] = parts;
    Ok(Split {
        train,
        val,
        test: SealedTest::new(test),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unstratified(cfg: SplitConfig) -> SplitConfig {
        SplitConfig {
            stratify: false,
            ..cfg
        }
    }

    fn test_indices(s: Split) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
        let test = s.test.evaluate_final(|idx| idx.to_vec()).result;
        (s.train, s.val, test)
    }

    #[test]
    fn sizes_add_up_and_stay_within_one_for_n_1_to_500() {
        let presets = [
            SplitConfig::preset_60_20_20(),
            SplitConfig::preset_80_10_10(),
            SplitConfig {
                train: 0.7,
                val: 0.15,
                test: 0.15,
                ..SplitConfig::default()
            },
            SplitConfig {
                train: 0.9,
                val: 0.1,
                test: 0.0,
                ..SplitConfig::default()
            },
        ];
        for cfg in presets {
            for n in 1..=500 {
                let Ok(sizes) = cfg.sizes(n) else {
                    // too small: only allowed when the exact share of some positive part is < 1
                    assert!(
                        [cfg.train, cfg.val, cfg.test]
                            .iter()
                            .any(|&f| f > 0.0 && (n as f64 * f) < 1.0),
                        "n = {n} rejected for {cfg:?}"
                    );
                    continue;
                };
                assert_eq!(sizes.iter().sum::<usize>(), n, "n = {n}, {cfg:?}");
                for (size, f) in sizes.iter().zip([cfg.train, cfg.val, cfg.test]) {
                    assert!(
                        (*size as f64 - n as f64 * f).abs() < 1.0,
                        "n = {n}: size {size} vs exact {}",
                        n as f64 * f
                    );
                }
                let (train, val, test) = test_indices(split(n, None, &unstratified(cfg)).unwrap());
                assert_eq!([train.len(), val.len(), test.len()], sizes, "n = {n}");
                let mut all: Vec<usize> = train.into_iter().chain(val).chain(test).collect();
                all.sort_unstable();
                assert_eq!(all, (0..n).collect::<Vec<_>>(), "n = {n}: not a partition");
            }
        }
    }

    #[test]
    fn presets_on_round_numbers() {
        assert_eq!(
            SplitConfig::preset_60_20_20().sizes(1000).unwrap(),
            [600, 200, 200]
        );
        assert_eq!(
            SplitConfig::preset_80_10_10().sizes(1797).unwrap(),
            [1437, 180, 180]
        );
        // 1797 * (0.8, 0.1, 0.1) = (1437.6, 179.7, 179.7): floors (1437, 179, 179) + 2 leftovers
        // to the remainders 0.7, 0.7 (val, test), not 0.6 (train).
    }

    #[test]
    fn stratified_keeps_class_proportions_within_one() {
        let cfgs = [
            SplitConfig::preset_60_20_20(),
            SplitConfig::preset_80_10_10(),
        ];
        for cfg in cfgs {
            for n in 10..=500usize {
                // skewed classes: 0 is common, 3 is rare
                let labels: Vec<u32> = (0..n)
                    .map(|i| match i % 10 {
                        0..=5 => 0,
                        6 | 7 => 1,
                        8 => 2,
                        _ => 3,
                    })
                    .collect();
                let sizes = cfg.sizes(n).unwrap();
                let (train, val, test) = test_indices(split(n, Some(&labels), &cfg).unwrap());
                let parts = [train, val, test];
                for (p, part) in parts.iter().enumerate() {
                    assert_eq!(part.len(), sizes[p], "n = {n}, part {p}");
                    for class in 0..4u32 {
                        let n_c = labels.iter().filter(|&&y| y == class).count();
                        let got = part.iter().filter(|&&i| labels[i] == class).count();
                        let exact = n_c as f64 * sizes[p] as f64 / n as f64;
                        assert!(
                            (got as f64 - exact).abs() < 1.0,
                            "n = {n}, part {p}, class {class}: {got} vs {exact}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn seeded_and_deterministic() {
        let cfg = unstratified(SplitConfig::default());
        let a = test_indices(split(200, None, &cfg).unwrap());
        let b = test_indices(split(200, None, &cfg).unwrap());
        assert_eq!(a, b);
        let c = test_indices(split(200, None, &SplitConfig { seed: 1, ..cfg }).unwrap());
        assert_ne!(a, c, "another seed should give another split");
        assert_ne!(a.0, (0..160).collect::<Vec<_>>(), "the split is shuffled");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let neg = SplitConfig {
            train: 1.1,
            val: -0.1,
            ..SplitConfig::default()
        };
        assert_eq!(
            neg.validate(),
            Err(ValidationError::InvalidFraction {
                field: "train",
                value: 1.1
            })
        );
        let sum = SplitConfig {
            train: 0.5,
            ..SplitConfig::default()
        };
        assert!(matches!(
            sum.validate(),
            Err(ValidationError::FractionsDoNotSumToOne { .. })
        ));
        // 5 * (0.8, 0.1, 0.1) = (4, 0.5, 0.5): the one leftover goes to val (tie), test is empty
        let err = split(5, None, &unstratified(SplitConfig::default())).unwrap_err();
        assert!(err.to_string().contains("part `test`"), "{err}");
        let err = split(10, Some(&[0, 1]), &SplitConfig::default()).unwrap_err();
        assert_eq!(
            err,
            ValidationError::LabelsLength {
                expected: 10,
                got: 2
            }
        );
    }

    #[test]
    fn without_labels_stratify_falls_back_to_the_plain_split() {
        let plain = test_indices(split(50, None, &unstratified(SplitConfig::default())).unwrap());
        let no_labels = test_indices(split(50, None, &SplitConfig::default()).unwrap());
        assert_eq!(plain, no_labels);
        let labels: Vec<u32> = (0..50).map(|i| i % 2).collect();
        let with_labels = split(50, Some(&labels), &unstratified(SplitConfig::default()));
        assert_eq!(
            test_indices(with_labels.unwrap()),
            plain,
            "labels ignored without stratify"
        );
    }

    #[test]
    fn stratified_is_seeded_too() {
        let labels: Vec<u32> = (0..120).map(|i| (i % 7 % 3) as u32).collect();
        let cfg = SplitConfig::preset_60_20_20();
        let a = test_indices(split(120, Some(&labels), &cfg).unwrap());
        assert_eq!(a, test_indices(split(120, Some(&labels), &cfg).unwrap()));
        let other = SplitConfig { seed: 9, ..cfg };
        assert_ne!(a, test_indices(split(120, Some(&labels), &other).unwrap()));
    }

    #[test]
    fn zero_fraction_part_is_empty() {
        let cfg = SplitConfig {
            train: 0.8,
            val: 0.2,
            test: 0.0,
            stratify: false,
            seed: 3,
        };
        let s = split(10, None, &cfg).unwrap();
        assert!(s.test.is_empty());
        assert_eq!((s.train.len(), s.val.len()), (8, 2));
    }
}
