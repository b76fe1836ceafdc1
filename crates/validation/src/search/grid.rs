//! Grid search: every combination of a few values per dimension ("Coarse Grid Search").
//!
//! ```text
//! choice       -> all its values
//! int_range    -> every integer low..=high, or, if there are more than m of them,
//!                 m evenly spaced ones: round(low + i*(high-low)/(m-1)), i = 0..m (duplicates dropped)
//! uniform      -> low + i*(high-low)/(m-1),            i = 0..m   (both ends included)
//! log_uniform  -> exp(ln low + i*(ln high-ln low)/(m-1)), i = 0..m (geometric: 1e-4, 1e-3, ...)
//! m = 1        -> the midpoint (the geometric mean for log_uniform); m = 0 -> no values
//! trials       = the cartesian product, dimensions in key order, the last key varying fastest
//! ```
//!
//! Same order as scikit-learn's `ParameterGrid` (sorted keys, last fastest). The number of
//! trials is the product of the per-dimension counts, which is why the lecture prefers random
//! search once there are more than two or three dimensions.

use super::{Dimension, SearchSpace, Trial};

/// The grid values of one dimension with `m` points per continuous dimension.
pub(crate) fn grid_values(dim: &Dimension, m: usize) -> Vec<toml::Value> {
    // i-th of m evenly spaced points in [a, b]
    let spaced = |a: f64, b: f64| -> Vec<f64> {
        match m {
            0 => vec![],
            1 => vec![(a + b) / 2.0],
            _ => (0..m)
                .map(|i| {
                    if i == m - 1 {
                        b // exactly, not a + (b - a) with rounding
                    } else {
                        a + i as f64 * (b - a) / (m - 1) as f64
                    }
                })
                .collect(),
        }
    };
    match *dim {
        Dimension::Choice(ref values) => values.clone(),
        Dimension::IntRange { low, high } => {
            let count = i128::from(high) - i128::from(low) + 1;
            if count <= m as i128 {
                (low..=high).map(toml::Value::Integer).collect()
            } else {
                let mut ints: Vec<i64> = spaced(low as f64, high as f64)
                    .into_iter()
                    .map(|v| v.round() as i64)
                    .collect();
                ints.dedup();
                ints.into_iter().map(toml::Value::Integer).collect()
            }
        }
        Dimension::Uniform { low, high } => spaced(low, high)
            .into_iter()
            .map(toml::Value::Float)
            .collect(),
        Dimension::LogUniform { low, high } => spaced(low.ln(), high.ln())
            .into_iter()
            .enumerate()
            .map(|(i, ln_v)| {
                // the ends exactly as written, not exp(ln(x)) with rounding
                let v = match (i, m) {
                    (_, 1) => ln_v.exp(),
                    (0, _) => low,
                    (i, m) if i == m - 1 => high,
                    _ => ln_v.exp(),
                };
                toml::Value::Float(v)
            })
            .collect(),
    }
}

/// All combinations of the grid values (see the module docs); `points_per_continuous` is `m`.
///
/// An empty space gives one empty trial.
///
/// ```
/// use trainlab_validation::search::{grid, SearchSpace};
/// let space = SearchSpace::from_toml_str(r#"
///     [space.lr]
///     kind = "log_uniform"
///     low = 1e-4
///     high = 1e-1
///     [space.depth]
///     kind = "int_range"
///     low = 1
///     high = 2
/// "#).unwrap();
/// let trials = grid(&space, 4);
/// assert_eq!(trials.len(), 2 * 4);
/// // keys sorted: depth, lr; lr varies fastest: 1e-4, 1e-3, 1e-2, 1e-1
/// assert_eq!(trials[1][0], ("depth".to_string(), toml::Value::Integer(1)));
/// assert!((trials[1][1].1.as_float().unwrap() - 1e-3).abs() < 1e-15);
/// ```
pub fn grid(space: &SearchSpace, points_per_continuous: usize) -> Vec<Trial> {
    let mut trials: Vec<Trial> = vec![Vec::new()];
    for (key, dim) in space.dims() {
        let values = grid_values(dim, points_per_continuous);
        trials = trials
            .iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut t = prefix.clone();
                    t.push((key.clone(), v.clone()));
                    t
                })
            })
            .collect();
    }
    trials
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_close;

    fn floats(values: &[toml::Value]) -> Vec<f64> {
        values
            .iter()
            .map(|v| v.as_float().expect("float"))
            .collect()
    }

    #[test]
    fn continuous_points_hand_derived() {
        let u = Dimension::Uniform {
            low: 0.8,
            high: 0.99,
        };
        // step (0.99 - 0.8) / 2 = 0.095
        for (got, exp) in floats(&grid_values(&u, 3))
            .into_iter()
            .zip([0.8, 0.895, 0.99])
        {
            assert_close(got, exp, "uniform grid");
        }
        assert_close(floats(&grid_values(&u, 1))[0], 0.895, "uniform midpoint");
        let l = Dimension::LogUniform {
            low: 1e-4,
            high: 1.0,
        };
        let got = floats(&grid_values(&l, 5));
        for (g, exp) in got.iter().zip([1e-4, 1e-3, 1e-2, 1e-1, 1.0]) {
            assert_close(g / exp, 1.0, "log grid, relative");
        }
        assert_close(floats(&grid_values(&l, 1))[0] / 1e-2, 1.0, "geometric mean");
        assert!(grid_values(&l, 0).is_empty());
    }

    #[test]
    fn int_range_all_or_spaced() {
        let d = Dimension::IntRange { low: 1, high: 3 };
        assert_eq!(grid_values(&d, 5), vec![1.into(), 2.into(), 3.into()]);
        let wide = Dimension::IntRange { low: 0, high: 100 };
        // 0 + i * 100 / 4 = 0, 25, 50, 75, 100
        let want: Vec<toml::Value> = [0i64, 25, 50, 75, 100].map(toml::Value::Integer).to_vec();
        assert_eq!(grid_values(&wide, 5), want);
    }

    #[test]
    fn size_is_the_product_and_order_is_last_fastest() {
        let space = SearchSpace::new([
            (
                "a".to_string(),
                Dimension::Choice(vec!["x".into(), "y".into()]),
            ),
            ("b".to_string(), Dimension::IntRange { low: 1, high: 3 }),
            (
                "c".to_string(),
                Dimension::Uniform {
                    low: 0.0,
                    high: 1.0,
                },
            ),
        ])
        .unwrap();
        for m in 0..5 {
            assert_eq!(grid(&space, m).len(), 2 * m.min(3) * m, "m = {m}");
        }
        // m = 3: a has 2 values, b 3 (1, 2, 3), c 3 (0, 0.5, 1)
        let trials = grid(&space, 3);
        assert_eq!(trials.len(), 2 * 3 * 3);
        let first: Vec<String> = trials[0].iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(first, ["a=\"x\"", "b=1", "c=0.0"]);
        assert_eq!(trials[1][2].1, toml::Value::Float(0.5));
        assert_eq!(trials[3][1].1, toml::Value::Integer(2));
        assert_eq!(trials[9][0].1, toml::Value::String("y".into()));
        let distinct: std::collections::BTreeSet<String> =
            trials.iter().map(|t| format!("{t:?}")).collect();
        assert_eq!(distinct.len(), trials.len(), "no duplicate trials");
    }

    #[test]
    fn empty_space_is_one_empty_trial() {
        let space = SearchSpace::new([]).unwrap();
        assert_eq!(grid(&space, 3), vec![Vec::new()]);
    }
}
