//! Reading [`Curves`] from a Hugging Face Trainer's `trainer_state.json`.
//!
//! ```text
//! log_history: [ {"epoch": 1.0, "loss": 0.9, "learning_rate": ..., "step": 45},        training
//!                {"epoch": 1.0, "eval_loss": 0.5, "eval_accuracy": 0.87, "step": 45}, evaluation
//!                ...,
//!                {"epoch": 3.0, "train_loss": 0.4, "train_runtime": ..., ...} ]        closing entry
//! training row   <- an entry with `loss`             (its `accuracy` / `train_accuracy` if any)
//! validation row <- an entry with `eval_loss`        (its `eval_accuracy` if any)
//! the closing entry (the mean loss of the whole run) and other entries are skipped;
//! rows pair as a split log (log_rows): each evaluation with the last training entry before it.
//! NaN, Infinity and -Infinity (Python's json writes them bare) and null losses are NaN.
//! ```
//!
//! Line numbers in errors are 1-based entries of `log_history`.

use std::path::Path;

use serde_json::Value;

use crate::log_rows::{to_curves, Cell, Columns, LogRow, Source};
use crate::{Curves, DiagnosisError};

/// Python's bare NaN / Infinity / -Infinity as strings, so serde_json reads the file.
fn quote_non_finite(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if let Some(word) = ["-Infinity", "Infinity", "NaN"]
            .into_iter()
            .find(|w| rest.starts_with(w))
        {
            out.push('"');
            out.push_str(word);
            out.push('"');
            rest = &rest[word.len()..];
            continue;
        }
        in_string = c == '"';
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A number of an entry: a JSON number, a quoted non-finite, or null (NaN).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        Value::Null => Some(f64::NAN),
        _ => None,
    }
}

impl Curves {
    /// Reads a Hugging Face Trainer's `trainer_state.json` (its `log_history`); see the
    /// module docs. Accuracies follow the CSV reader's rules ([`Curves::from_csv_reader`]).
    ///
    /// ```
    /// use trainlab_diagnosis::Curves;
    ///
    /// let json = r#"{"log_history": [
    ///   {"epoch": 1.0, "loss": 2.0, "step": 10}, {"epoch": 1.0, "eval_loss": 1.8, "step": 10},
    ///   {"epoch": 2.0, "loss": NaN, "step": 20}, {"epoch": 2.0, "eval_loss": NaN, "step": 20},
    ///   {"epoch": 2.0, "step": 20, "train_loss": 1.0, "train_runtime": 3.2}]}"#;
    /// let c = Curves::from_trainer_state_str(json, "trainer_state.json")?;
    /// assert_eq!(c.epochs, vec![1.0, 2.0]);
    /// assert_eq!(c.train_loss[0], 2.0);
    /// assert!(c.val_loss[1].is_nan());
    /// assert_eq!(c.diverged_at_step, Some(20));
    /// # Ok::<(), trainlab_diagnosis::DiagnosisError>(())
    /// ```
    pub fn from_trainer_state_str(text: &str, source_name: &str) -> Result<Curves, DiagnosisError> {
        let file = source_name;
        let fail = |message: String| DiagnosisError::Json {
            file: file.to_string(),
            message,
        };
        let state: Value = serde_json::from_str(&quote_non_finite(text))
            .map_err(|e| fail(format!("not valid JSON: {e}")))?;
        let history = state
            .get("log_history")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                fail("no `log_history` list, expected a Hugging Face trainer_state.json".into())
            })?;
        let source = |name: &str| Source {
            column: 0,
            name: name.to_string(),
        };
        let columns = Columns {
            epoch: Some(source("epoch")),
            train_metric: Some((source("accuracy"), true)),
            val_metric: Some((source("eval_accuracy"), true)),
        };
        let mut rows = Vec::new();
        for (i, entry) in history.iter().enumerate() {
            let line = i as u64 + 1;
            let cell = |key: &str| -> Result<Option<Cell>, DiagnosisError> {
                match entry.get(key) {
                    None => Ok(None),
                    Some(v) => number(v)
                        .map(|value| Some(Cell { value, line }))
                        .ok_or_else(|| {
                            fail(format!(
                                "log_history entry {line}: `{key}` = {v} is not a number"
                            ))
                        }),
                }
            };
            let (train_loss, val_loss) = (cell("loss")?, cell("eval_loss")?);
            if train_loss.is_none() && val_loss.is_none() {
                continue;
            }
            let epoch = cell("epoch")?.ok_or_else(|| {
                fail(format!(
                    "log_history entry {line}: no `epoch`, expected a number"
                ))
            })?;
            let train_metric = match cell("accuracy")? {
                Some(c) => Some(c),
                None => cell("train_accuracy")?,
            };
            rows.push(LogRow {
                line,
                epoch: Some(epoch),
                step: cell("step")?,
                train_loss,
                val_loss: if train_loss.is_some() { None } else { val_loss },
                train_metric: train_loss.and(train_metric),
                val_metric: if train_loss.is_some() {
                    None
                } else {
                    cell("eval_accuracy")?
                },
            });
        }
        if rows.is_empty() {
            return Err(fail(
                "log_history has no entry with `loss` or `eval_loss`, expected training or \
                 evaluation logs"
                    .into(),
            ));
        }
        to_curves(rows, true, &columns, file, Vec::new())
    }

    /// Reads a `trainer_state.json` file; see [`Curves::from_trainer_state_str`].
    pub fn from_trainer_state(path: &Path) -> Result<Curves, DiagnosisError> {
        let text = std::fs::read_to_string(path).map_err(|cause| DiagnosisError::Io {
            path: path.to_path_buf(),
            cause,
        })?;
        Curves::from_trainer_state_str(&text, &path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_non_finite_numbers_outside_strings_are_quoted() {
        let text = r#"{"a": NaN, "b": -Infinity, "c": "NaN in text", "d": [Infinity]}"#;
        assert_eq!(
            quote_non_finite(text),
            r#"{"a": "NaN", "b": "-Infinity", "c": "NaN in text", "d": ["Infinity"]}"#
        );
    }

    #[test]
    fn not_a_trainer_state_is_named() {
        let err = Curves::from_trainer_state_str("{}", "s.json").unwrap_err();
        assert!(
            err.to_string().starts_with("`s.json`: no `log_history`"),
            "{err}"
        );
        let err = Curves::from_trainer_state_str(r#"{"log_history": [{"loss": 1}]}"#, "s.json")
            .unwrap_err();
        assert!(err.to_string().contains("entry 1: no `epoch`"), "{err}");
        let err = Curves::from_trainer_state_str(
            r#"{"log_history": [{"epoch": 1, "eval_loss": 0.5, "eval_accuracy": 0.5},
                {"epoch": 2, "eval_loss": 0.5, "eval_accuracy": 150}]}"#,
            "s.json",
        );
        // 150 is neither a share nor a percentage
        assert!(
            matches!(err, Err(DiagnosisError::OutOfRange { line: 2, .. })),
            "{err:?}"
        );
    }
}
