//! Apply a trial to a TOML config: set each dotted key, creating tables on the way.
//!
//! ```text
//! "optimizer.alpha" = 0.01   ->   doc["optimizer"]["alpha"] = 0.01
//! ```
//!
//! A segment that exists but is not a table (e.g. `model = 3` and key `model.width`) is an
//! error; the last segment is overwritten whatever it held. So one search space works with any
//! run config, and the trainer never needs to know which hyperparameters are searched.

use super::Trial;
use crate::ValidationError;

/// Set every `(dotted key, value)` of `trial` in `doc`.
///
/// ```
/// use trainlab_validation::search::apply;
/// let mut doc: toml::Table = toml::from_str("[optimizer]\nname = \"adam\"\nalpha = 0.1").unwrap();
/// let trial = vec![
///     ("optimizer.alpha".to_string(), toml::Value::Float(0.01)),
///     ("model.hidden".to_string(), toml::Value::Integer(64)),
/// ];
/// apply(&mut doc, &trial).unwrap();
/// assert_eq!(doc["optimizer"]["alpha"].as_float(), Some(0.01));
/// assert_eq!(doc["optimizer"]["name"].as_str(), Some("adam"));
/// assert_eq!(doc["model"]["hidden"].as_integer(), Some(64));
/// ```
pub fn apply(doc: &mut toml::Table, trial: &Trial) -> Result<(), ValidationError> {
    for (key, value) in trial {
        let segments: Vec<&str> = key.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(ValidationError::EmptyKeySegment { key: key.clone() });
        }
        let (last, parents) = segments
            .split_last()
            .expect("str::split yields at least one segment");
        let mut table = &mut *doc;
        for (depth, segment) in parents.iter().enumerate() {
            let entry = table
                .entry(segment.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            table = match entry {
                toml::Value::Table(t) => t,
                other => {
                    return Err(ValidationError::NotATable {
                        key: key.clone(),
                        segment: segments[..=depth].join("."),
                        found: other.type_str(),
                    })
                }
            };
        }
        table.insert(last.to_string(), value.clone());
    }
    Ok(())
}

/// A short, stable label of a trial for run names and tables: `key=value` joined by `, `.
///
/// ```
/// use trainlab_validation::search::describe;
/// let t = vec![("model.width".to_string(), toml::Value::Integer(64)),
///              ("optimizer.alpha".to_string(), toml::Value::Float(0.001))];
/// assert_eq!(describe(&t), "model.width=64, optimizer.alpha=0.001");
/// ```
pub fn describe(trial: &Trial) -> String {
    trial
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_nested_keys_creating_tables() {
        let mut doc = toml::Table::new();
        let trial = vec![
            ("a.b.c".to_string(), toml::Value::Integer(1)),
            ("a.b.d".to_string(), toml::Value::String("x".into())),
            ("top".to_string(), toml::Value::Boolean(true)),
        ];
        apply(&mut doc, &trial).unwrap();
        let expected: toml::Table = toml::from_str("top = true\n[a.b]\nc = 1\nd = \"x\"").unwrap();
        assert_eq!(doc, expected);
    }

    #[test]
    fn overwrites_leaf_keeps_siblings() {
        let mut doc: toml::Table = toml::from_str("[m]\nw = 1\nd = 2").unwrap();
        apply(
            &mut doc,
            &vec![("m.w".to_string(), toml::Value::Integer(9))],
        )
        .unwrap();
        assert_eq!(doc["m"]["w"].as_integer(), Some(9));
        assert_eq!(doc["m"]["d"].as_integer(), Some(2));
    }

    #[test]
    fn path_through_a_non_table_is_an_error() {
        let mut doc: toml::Table = toml::from_str("[model]\nwidth = 3").unwrap();
        let err = apply(
            &mut doc,
            &vec![("model.width.inner".to_string(), toml::Value::Integer(1))],
        )
        .unwrap_err();
        assert_eq!(
            err,
            ValidationError::NotATable {
                key: "model.width.inner".into(),
                segment: "model.width".into(),
                found: "integer",
            }
        );
        let err = apply(
            &mut doc,
            &vec![("a..b".to_string(), toml::Value::Integer(1))],
        );
        assert_eq!(
            err,
            Err(ValidationError::EmptyKeySegment { key: "a..b".into() })
        );
    }
}
