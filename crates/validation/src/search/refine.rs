//! Refine: narrow a search space around the best trials ("Refine Grid", coarse-to-fine).
//!
//! ```text
//! for each numeric dimension [low, high] (in ln space for log_uniform):
//!   b_min, b_max = the smallest / largest value of that key among the best trials (clamped in range)
//!   width'  = max(factor * (high - low), b_max - b_min)     never narrower than the best spread
//!   center  = (b_min + b_max) / 2
//!   [low', high'] = [center - width'/2, center + width'/2], shifted back inside [low, high]
//!   int_range: low', high' rounded to integers (still covering b_min..b_max);
//!              if they meet, the dimension becomes a choice of that one integer
//! choice: keep the values that occur among the best trials (in their original order)
//! a dimension no best trial mentions (or mentions with a non-numeric value) is kept unchanged
//! ```
//!
//! `factor` is the share of the old width to keep, e.g. 0.25; it is clamped to (0, 1], and a
//! non-finite or non-positive factor leaves the space unchanged. So the new space always lies
//! inside the old one and contains every best trial. (There is no PyTorch or scikit-learn
//! counterpart; Ray Tune and Optuna refine adaptively with their own samplers.)

use super::{Dimension, SearchSpace, Trial};

/// The numeric value of `key` in a trial, if any.
fn number_of(trial: &Trial, key: &str) -> Option<f64> {
    trial
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| match v {
            toml::Value::Float(f) => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        })
}

/// The narrowed interval inside `[low, high]` around `[b_min, b_max]`.
fn narrow(low: f64, high: f64, b_min: f64, b_max: f64, factor: f64) -> (f64, f64) {
    let (b_min, b_max) = (b_min.clamp(low, high), b_max.clamp(low, high));
    let width = (factor * (high - low)).max(b_max - b_min);
    let center = (b_min + b_max) / 2.0;
    let (mut new_low, mut new_high) = (center - width / 2.0, center + width / 2.0);
    if new_low < low {
        (new_low, new_high) = (low, low + width);
    }
    if new_high > high {
        (new_low, new_high) = (high - width, high);
    }
    (new_low.max(low), new_high.min(high))
}

/// A narrower space around `best` (see the module docs for the rule).
///
/// ```
/// use trainlab_validation::search::{refine, Dimension, SearchSpace};
/// let space = SearchSpace::from_toml_str(
///     "[space.lr]\nkind = \"log_uniform\"\nlow = 1e-6\nhigh = 1.0").unwrap();
/// let best = vec![vec![("lr".to_string(), toml::Value::Float(1e-3))]];
/// let fine = refine(&space, &best, 1.0 / 3.0);
/// // 6 decades * 1/3 = 2 decades centred on 1e-3: 1e-4 .. 1e-2
/// let Dimension::LogUniform { low, high } = fine.dims()[0].1 else { unreachable!() };
/// assert!((low / 1e-4 - 1.0).abs() < 1e-9 && (high / 1e-2 - 1.0).abs() < 1e-9);
/// ```
pub fn refine(space: &SearchSpace, best: &[Trial], factor: f64) -> SearchSpace {
    if !(factor.is_finite() && factor > 0.0) || best.is_empty() {
        return space.clone();
    }
    let factor = factor.min(1.0);
    let dims = space.dims().iter().map(|(key, dim)| {
        let values: Vec<f64> = best.iter().filter_map(|t| number_of(t, key)).collect();
        let b_min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let b_max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let refined = match *dim {
            Dimension::Choice(ref choices) => {
                let kept: Vec<toml::Value> = choices
                    .iter()
                    .filter(|c| {
                        best.iter()
                            .any(|t| t.iter().any(|(k, v)| k == key && v == *c))
                    })
                    .cloned()
                    .collect();
                if kept.is_empty() {
                    dim.clone()
                } else {
                    Dimension::Choice(kept)
                }
            }
            _ if values.is_empty() => dim.clone(),
            Dimension::Uniform { low, high } => {
                let (low, high) = narrow(low, high, b_min, b_max, factor);
                Dimension::Uniform { low, high }
            }
            Dimension::LogUniform { low, high } => {
                let (ln_low, ln_high) = narrow(
                    low.ln(),
                    high.ln(),
                    b_min.max(low).ln(),
                    b_max.max(low).ln(),
                    factor,
                );
                Dimension::LogUniform {
                    low: ln_low.exp().clamp(low, high),
                    high: ln_high.exp().clamp(low, high),
                }
            }
            Dimension::IntRange { low, high } => {
                let (new_low, new_high) = narrow(low as f64, high as f64, b_min, b_max, factor);
                let new_low = (new_low.round() as i64)
                    .min(b_min.clamp(low as f64, high as f64).floor() as i64);
                let new_high = (new_high.round() as i64)
                    .max(b_max.clamp(low as f64, high as f64).ceil() as i64);
                if new_low >= new_high {
                    Dimension::Choice(vec![toml::Value::Integer(new_low)])
                } else {
                    Dimension::IntRange {
                        low: new_low,
                        high: new_high,
                    }
                }
            }
        };
        (key.clone(), refined)
    });
    SearchSpace::new(dims).expect("a refined dimension lies inside a valid one and is non-empty")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_close;

    fn trial(pairs: &[(&str, toml::Value)]) -> Trial {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn space() -> SearchSpace {
        SearchSpace::new([
            (
                "act".to_string(),
                Dimension::Choice(vec!["relu".into(), "tanh".into(), "gelu".into()]),
            ),
            ("depth".to_string(), Dimension::IntRange { low: 1, high: 9 }),
            (
                "lr".to_string(),
                Dimension::LogUniform {
                    low: 1e-6,
                    high: 1.0,
                },
            ),
            (
                "beta".to_string(),
                Dimension::Uniform {
                    low: 0.0,
                    high: 1.0,
                },
            ),
        ])
        .unwrap()
    }

    #[test]
    fn narrows_around_the_best_hand_derived() {
        let best = [
            trial(&[
                ("act", "tanh".into()),
                ("depth", 5.into()),
                ("lr", 1e-3.into()),
                ("beta", 0.9.into()),
            ]),
            trial(&[
                ("act", "relu".into()),
                ("depth", 6.into()),
                ("lr", 1e-2.into()),
                ("beta", 0.85.into()),
            ]),
        ];
        let fine = refine(&space(), &best, 0.25);
        let d = fine.dims();
        // choice: the values seen, in the original order
        assert_eq!(
            d[0].1,
            Dimension::Choice(vec!["relu".into(), "tanh".into()])
        );
        // beta: width max(0.25 * 1, 0.05) = 0.25 around 0.875 -> [0.75, 1.0]
        let Dimension::Uniform { low, high } = d[1].1 else {
            panic!("beta kind")
        };
        assert_close(low, 0.75, "beta low");
        assert_close(high, 1.0, "beta high");
        // depth: width max(0.25 * 8, 1) = 2 around 5.5 -> [4.5, 6.5] -> rounded [5, 7]: round(4.5) = 5,
        // round(6.5) = 7 (f64::round rounds half away from zero)
        assert_eq!(d[2].1, Dimension::IntRange { low: 5, high: 7 });
        // lr: ln space, 6 decades * 0.25 = 1.5 decades around 10^-2.5 -> 10^-3.25 .. 10^-1.75
        let Dimension::LogUniform { low, high } = d[3].1 else {
            panic!("lr kind")
        };
        assert_close(low.log10(), -3.25, "lr low decade");
        assert_close(high.log10(), -1.75, "lr high decade");
    }

    #[test]
    fn stays_inside_and_keeps_best() {
        let best = [trial(&[
            ("depth", 9.into()),
            ("lr", 1.0.into()),
            ("beta", 0.0.into()),
        ])];
        let fine = refine(&space(), &best, 0.1);
        let d = fine.dims();
        assert_eq!(d[0].1, space().dims()[0].1, "act not mentioned: unchanged");
        let Dimension::Uniform { low, high } = d[1].1 else {
            panic!()
        };
        assert_close(low, 0.0, "beta shifted to the lower edge");
        assert_close(high, 0.1, "beta width 0.1");
        // depth: width max(0.1 * 8, 0) = 0.8 around 9 -> [8.6, 9.4] -> shifted [8.2, 9.0] -> [8, 9]
        assert_eq!(d[2].1, Dimension::IntRange { low: 8, high: 9 });
        let Dimension::LogUniform { low, high } = d[3].1 else {
            panic!()
        };
        assert_close(low.log10(), -0.6, "lr at the upper edge");
        assert_close(high, 1.0, "lr high");
    }

    #[test]
    fn int_range_collapsing_to_one_value_becomes_a_choice() {
        // width max(0.05 * 8, 0) = 0.4 around 9 -> [8.6, 9.0] -> rounds to [9, 9]
        let best = [trial(&[("depth", 9.into())])];
        let fine = refine(&space(), &best, 0.05);
        assert_eq!(fine.dims()[2].1, Dimension::Choice(vec![9.into()]));
    }

    #[test]
    fn repeated_refinement_shrinks() {
        let mut s = space();
        let best = [trial(&[("beta", 0.3.into())])];
        let mut width = 1.0;
        for step in 0..5 {
            s = refine(&s, &best, 0.5);
            let Dimension::Uniform { low, high } = s.dims()[1].1 else {
                panic!()
            };
            assert!(
                low <= 0.3 && 0.3 <= high,
                "step {step}: best left the range"
            );
            assert_close(high - low, width * 0.5, "halved");
            width = high - low;
        }
    }

    #[test]
    fn bad_factor_or_no_best_is_a_no_op() {
        let best = [trial(&[("beta", 0.3.into())])];
        assert_eq!(refine(&space(), &best, f64::NAN), space());
        assert_eq!(refine(&space(), &best, 0.0), space());
        assert_eq!(refine(&space(), &[], 0.5), space());
        assert_eq!(refine(&space(), &best, 1.0), space());
    }
}
