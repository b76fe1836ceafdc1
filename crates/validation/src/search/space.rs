//! A search space: named dimensions, read from TOML and validated once.
//!
//! ```text
//! [space."optimizer.alpha"]   kind = "log_uniform", low = 1e-4, high = 1e-1   low > 0, low < high
//! [space."optimizer.beta"]    kind = "uniform",     low = 0.8,  high = 0.99   low < high
//! [space."model.depth"]       kind = "int_range",   low = 1,    high = 3      inclusive, low < high
//! [space."model.width"]       kind = "choice",      values = [32, 64, 128]    non-empty, any TOML values
//! ```
//!
//! Dimensions are kept sorted by key, so everything built from a space (grids, random trials)
//! is deterministic. This mirrors scikit-learn's `ParameterGrid` / `ParameterSampler` inputs
//! (`loguniform(1e-4, 1e-1)` from scipy) and Ray Tune's `tune.loguniform`, as plain data.

use crate::ValidationError;

/// One hyperparameter's range of values.
#[derive(Clone, Debug, PartialEq)]
pub enum Dimension {
    /// One of a list of values (numbers, strings, arrays, ...).
    Choice(Vec<toml::Value>),
    /// An integer in `low..=high`.
    IntRange {
        /// Smallest value.
        low: i64,
        /// Largest value (inclusive).
        high: i64,
    },
    /// A real number, uniform in `[low, high]`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// A positive real number whose logarithm is uniform in `[ln low, ln high]`
    /// (the lecture's advice for learning rates and weight decay).
    LogUniform {
        /// Lower bound, `> 0`.
        low: f64,
        /// Upper bound.
        high: f64,
    },
}

impl Dimension {
    /// The `kind` string used in TOML.
    pub fn kind(&self) -> &'static str {
        match self {
            Dimension::Choice(_) => "choice",
            Dimension::IntRange { .. } => "int_range",
            Dimension::Uniform { .. } => "uniform",
            Dimension::LogUniform { .. } => "log_uniform",
        }
    }

    /// Check the bounds; the error names `key`.
    pub fn validate(&self, key: &str) -> Result<(), ValidationError> {
        let bad = |message: String| {
            Err(ValidationError::Dimension {
                key: key.to_string(),
                message,
            })
        };
        match *self {
            Dimension::Choice(ref values) if values.is_empty() => {
                bad("`values` is empty: expected at least one choice".into())
            }
            Dimension::Choice(_) => Ok(()),
            Dimension::IntRange { low, high } if low >= high => {
                bad(format!("low = {low} >= high = {high}: expected low < high"))
            }
            Dimension::IntRange { .. } => Ok(()),
            Dimension::Uniform { low, high } | Dimension::LogUniform { low, high } => {
                if !low.is_finite() || !high.is_finite() {
                    bad(format!(
                        "low = {low}, high = {high}: expected finite numbers"
                    ))
                } else if low >= high {
                    bad(format!("low = {low} >= high = {high}: expected low < high"))
                } else if matches!(self, Dimension::LogUniform { .. }) && low <= 0.0 {
                    bad(format!("log_uniform needs low > 0, got low = {low}"))
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The dimension as a TOML table (`kind` plus its parameters).
    fn to_table(&self) -> toml::Table {
        let mut t = toml::Table::new();
        t.insert("kind".into(), self.kind().into());
        match self {
            Dimension::Choice(values) => {
                t.insert("values".into(), toml::Value::Array(values.clone()));
            }
            Dimension::IntRange { low, high } => {
                t.insert("low".into(), (*low).into());
                t.insert("high".into(), (*high).into());
            }
            Dimension::Uniform { low, high } | Dimension::LogUniform { low, high } => {
                t.insert("low".into(), (*low).into());
                t.insert("high".into(), (*high).into());
            }
        }
        t
    }
}

/// A validated set of named dimensions, sorted by key.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchSpace {
    dims: Vec<(String, Dimension)>,
}

impl SearchSpace {
    /// Build a space from dimensions: each is validated, keys must be unique; sorted by key.
    pub fn new(
        dims: impl IntoIterator<Item = (String, Dimension)>,
    ) -> Result<Self, ValidationError> {
        let mut dims: Vec<(String, Dimension)> = dims.into_iter().collect();
        dims.sort_by(|a, b| a.0.cmp(&b.0));
        for (i, (key, dim)) in dims.iter().enumerate() {
            dim.validate(key)?;
            if i > 0 && dims[i - 1].0 == *key {
                return Err(ValidationError::Dimension {
                    key: key.clone(),
                    message: "appears twice: expected unique keys".into(),
                });
            }
        }
        Ok(Self { dims })
    }

    /// Parse a TOML document whose only top-level key is `space` (see the module docs).
    ///
    /// ```
    /// use trainlab_validation::search::{Dimension, SearchSpace};
    /// let s = SearchSpace::from_toml_str("[space.\"model.depth\"]\nkind = \"int_range\"\nlow = 1\nhigh = 3").unwrap();
    /// assert_eq!(s.dims()[0], ("model.depth".to_string(), Dimension::IntRange { low: 1, high: 3 }));
    /// let err = SearchSpace::from_toml_str("[space.lr]\nkind = \"log_uniform\"\nlow = 0.0\nhigh = 1.0");
    /// assert!(err.unwrap_err().to_string().contains("`lr`"));
    /// ```
    pub fn from_toml_str(s: &str) -> Result<Self, ValidationError> {
        let doc: toml::Table = toml::from_str(s).map_err(|e| ValidationError::SpaceToml {
            message: e.to_string(),
        })?;
        if let Some(other) = doc.keys().find(|k| *k != "space") {
            return Err(ValidationError::SpaceToml {
                message: format!(
                    "unknown top-level key `{other}`: expected only `[space.\"<key>\"]` tables"
                ),
            });
        }
        match doc.get("space") {
            None => Err(ValidationError::SpaceToml {
                message: "no `space` table: expected `[space.\"<key>\"]` tables".into(),
            }),
            Some(toml::Value::Table(space)) => Self::from_toml_table(space),
            Some(other) => Err(ValidationError::SpaceToml {
                message: format!("`space` is a {}, expected a table", other.type_str()),
            }),
        }
    }

    /// Parse the contents of a `[space]` table (one sub-table per dimension), e.g. when the space
    /// sits inside a larger config file.
    pub fn from_toml_table(space: &toml::Table) -> Result<Self, ValidationError> {
        let dims = space
            .iter()
            .map(|(key, value)| Ok((key.clone(), parse_dimension(key, value)?)))
            .collect::<Result<Vec<_>, ValidationError>>()?;
        Self::new(dims)
    }

    /// The dimensions, sorted by key.
    pub fn dims(&self) -> &[(String, Dimension)] {
        &self.dims
    }

    /// The space as TOML that [`SearchSpace::from_toml_str`] reads back (e.g. to record a
    /// refined space in a run directory).
    pub fn to_toml_string(&self) -> String {
        let mut space = toml::Table::new();
        for (key, dim) in &self.dims {
            space.insert(key.clone(), toml::Value::Table(dim.to_table()));
        }
        let mut doc = toml::Table::new();
        doc.insert("space".into(), toml::Value::Table(space));
        doc.to_string()
    }
}

fn parse_dimension(key: &str, value: &toml::Value) -> Result<Dimension, ValidationError> {
    let err = |message: String| ValidationError::Dimension {
        key: key.to_string(),
        message,
    };
    let table = value.as_table().ok_or_else(|| {
        err(format!(
            "is a {}, expected a table with `kind` and its parameters",
            value.type_str()
        ))
    })?;
    let kind = match table.get("kind") {
        Some(toml::Value::String(kind)) => kind.as_str(),
        Some(other) => {
            return Err(err(format!(
                "`kind` is a {}, expected a string",
                other.type_str()
            )))
        }
        None => {
            return Err(err(
                "missing `kind`: expected one of choice, int_range, uniform, log_uniform".into(),
            ))
        }
    };
    let allowed: &[&str] = match kind {
        "choice" => &["kind", "values"],
        "int_range" | "uniform" | "log_uniform" => &["kind", "low", "high"],
        other => {
            return Err(err(format!(
                "unknown kind `{other}`: expected one of choice, int_range, uniform, log_uniform"
            )))
        }
    };
    if let Some(unknown) = table.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(err(format!(
            "unknown key `{unknown}` for kind `{kind}`: expected only {}",
            allowed.join(", ")
        )));
    }
    let get = |name: &str| {
        table
            .get(name)
            .ok_or_else(|| err(format!("missing `{name}` for kind `{kind}`")))
    };
    let number = |name: &str| -> Result<f64, ValidationError> {
        match get(name)? {
            toml::Value::Float(v) => Ok(*v),
            toml::Value::Integer(v) => Ok(*v as f64),
            other => Err(err(format!(
                "`{name}` is a {}, expected a number",
                other.type_str()
            ))),
        }
    };
    let integer = |name: &str| -> Result<i64, ValidationError> {
        match get(name)? {
            toml::Value::Integer(v) => Ok(*v),
            other => Err(err(format!(
                "`{name}` is a {}, expected an integer",
                other.type_str()
            ))),
        }
    };
    let dim = match kind {
        "choice" => match get("values")? {
            toml::Value::Array(values) => Dimension::Choice(values.clone()),
            other => {
                return Err(err(format!(
                    "`values` is a {}, expected an array",
                    other.type_str()
                )))
            }
        },
        "int_range" => Dimension::IntRange {
            low: integer("low")?,
            high: integer("high")?,
        },
        "uniform" => Dimension::Uniform {
            low: number("low")?,
            high: number("high")?,
        },
        _ => Dimension::LogUniform {
            low: number("low")?,
            high: number("high")?,
        },
    };
    dim.validate(key)?;
    Ok(dim)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
        [space."optimizer.alpha"]
        kind = "log_uniform"
        low = 1e-4
        high = 1e-1
        [space."model.depth"]
        kind = "int_range"
        low = 1
        high = 3
        [space."model.width"]
        kind = "choice"
        values = [32, 64, 128]
        [space."optimizer.beta"]
        kind = "uniform"
        low = 0.8
        high = 0.99
        [space."model.activation"]
        kind = "choice"
        values = ["relu", "tanh", [1, 2]]
    "#;

    #[test]
    fn parses_all_kinds_sorted_by_key() {
        let s = SearchSpace::from_toml_str(FULL).unwrap();
        let keys: Vec<&str> = s.dims().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "model.activation",
                "model.depth",
                "model.width",
                "optimizer.alpha",
                "optimizer.beta"
            ]
        );
        assert_eq!(s.dims()[1].1, Dimension::IntRange { low: 1, high: 3 });
        assert_eq!(
            s.dims()[3].1,
            Dimension::LogUniform {
                low: 1e-4,
                high: 1e-1
            }
        );
        assert_eq!(
            s.dims()[4].1,
            Dimension::Uniform {
                low: 0.8,
                high: 0.99
            }
        );
        assert_eq!(
            s.dims()[2].1,
            Dimension::Choice(vec![32.into(), 64.into(), 128.into()])
        );
    }

    #[test]
    fn round_trips_through_toml() {
        let s = SearchSpace::from_toml_str(FULL).unwrap();
        assert_eq!(SearchSpace::from_toml_str(&s.to_toml_string()).unwrap(), s);
    }

    fn err_of(dim_toml: &str) -> String {
        SearchSpace::from_toml_str(&format!("[space.\"opt.x\"]\n{dim_toml}"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn invalid_dimensions_name_the_key_and_the_problem() {
        let cases = [
            (
                "kind = \"uniform\"\nlow = 1.0\nhigh = 1.0",
                "expected low < high",
            ),
            (
                "kind = \"int_range\"\nlow = 3\nhigh = 1",
                "expected low < high",
            ),
            (
                "kind = \"log_uniform\"\nlow = 0.0\nhigh = 1.0",
                "needs low > 0",
            ),
            (
                "kind = \"log_uniform\"\nlow = -1.0\nhigh = 1.0",
                "needs low > 0",
            ),
            ("kind = \"choice\"\nvalues = []", "`values` is empty"),
            (
                "kind = \"normal\"\nlow = 0.0\nhigh = 1.0",
                "unknown kind `normal`",
            ),
            (
                "kind = \"uniform\"\nlow = 0.0\nhigh = 1.0\nstep = 0.1",
                "unknown key `step`",
            ),
            ("kind = \"uniform\"\nlow = 0.0", "missing `high`"),
            ("low = 0.0\nhigh = 1.0", "missing `kind`"),
            (
                "kind = \"int_range\"\nlow = 0.5\nhigh = 2",
                "expected an integer",
            ),
            (
                "kind = \"uniform\"\nlow = \"a\"\nhigh = 2",
                "expected a number",
            ),
        ];
        for (toml, expected) in cases {
            let msg = err_of(toml);
            assert!(msg.contains("`opt.x`"), "{msg}");
            assert!(msg.contains(expected), "{toml:?}: {msg}");
        }
    }

    #[test]
    fn document_shape_errors() {
        assert!(SearchSpace::from_toml_str("trials = 3").is_err());
        assert!(SearchSpace::from_toml_str("space = 3").is_err());
        assert!(SearchSpace::from_toml_str("[space\n").is_err());
        let dup = SearchSpace::new([
            ("a".to_string(), Dimension::IntRange { low: 0, high: 1 }),
            ("a".to_string(), Dimension::IntRange { low: 0, high: 2 }),
        ]);
        assert!(dup.unwrap_err().to_string().contains("appears twice"));
    }
}
