//! `Verdict`: what a diagnosis found, the numbers it rests on, and what to do.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a run diverged.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivergedAt {
    /// The optimizer step (iteration) at which the trainer saw a NaN / inf loss.
    Step(u64),
    /// The epoch (as labelled in [`crate::Curves::epochs`]) whose loss was NaN / inf or exploded.
    Epoch(f64),
}

impl fmt::Display for DivergedAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DivergedAt::Step(s) => write!(f, "step {s}"),
            DivergedAt::Epoch(e) => write!(f, "epoch {e}"),
        }
    }
}

/// The kinds of verdict, in the order [`crate::diagnose`] reports them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum VerdictKind {
    /// The loss became NaN / inf or exploded. Nothing else is judged on such a run.
    Diverging {
        /// Where it happened.
        epoch_or_step: DivergedAt,
    },
    /// Too few epochs to judge anything.
    TooShort {
        /// How many there were.
        epochs: usize,
    },
    /// Not learning, at chance: the accuracy stays at 1/C, or the loss at ln C, of C classes.
    AtChance {
        /// The number of classes C (given, or inferred from an accuracy at 1/C and a loss at
        /// ln C together).
        classes: usize,
    },
    /// The loss is flat from the start (from the chance level when a first epoch blew up).
    NotLearning,
    /// Both losses rise at the end: training makes the model worse.
    LossesRising,
    /// High bias: the training error is far above the target (Bayes) error.
    Underfitting,
    /// High variance: the validation error exceeds the training error by more than the
    /// tolerated gap plus the validation estimate's sampling noise (with losses only: the
    /// validation loss rising well above its minimum while the training loss falls).
    Overfitting {
        /// The epoch of the validation minimum: where early stopping would have stopped.
        best_epoch: usize,
    },
    /// Validation loss not going down from the start while training loss does, or rising at
    /// the end without a gap beyond the noise.
    ValidationNotImproving,
    /// The validation loss is still falling at the end: train longer.
    StillImproving,
    /// The training loss fluctuates up and down.
    Unstable,
    /// Validation loss clearly below training loss: suspicious.
    ValidationBetterThanTraining,
    /// Avoidable bias and variance from the final error levels (classification).
    BiasVariance {
        /// `train_error - bayes_error`.
        avoidable_bias: f64,
        /// `val_error - train_error`.
        variance: f64,
    },
    /// A verdict that needs a series the log does not have was not given.
    NotJudged {
        /// What is missing, e.g. `"training accuracy"`.
        missing: String,
    },
    /// None of the problems: a small gap, both losses settled.
    GoodFit,
}

impl VerdictKind {
    /// A short snake_case name, the `verdict` tag in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            VerdictKind::Diverging { .. } => "diverging",
            VerdictKind::TooShort { .. } => "too_short",
            VerdictKind::AtChance { .. } => "at_chance",
            VerdictKind::NotLearning => "not_learning",
            VerdictKind::LossesRising => "losses_rising",
            VerdictKind::Overfitting { .. } => "overfitting",
            VerdictKind::ValidationNotImproving => "validation_not_improving",
            VerdictKind::StillImproving => "still_improving",
            VerdictKind::Underfitting => "underfitting",
            VerdictKind::Unstable => "unstable",
            VerdictKind::ValidationBetterThanTraining => "validation_better_than_training",
            VerdictKind::BiasVariance { .. } => "bias_variance",
            VerdictKind::NotJudged { .. } => "not_judged",
            VerdictKind::GoodFit => "good_fit",
        }
    }
}

/// One number a verdict rests on.
///
/// In JSON a NaN / inf `value` becomes `null` (serde_json's rule).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What the number is, e.g. `"validation loss minimum"`.
    pub what: String,
    /// The number.
    pub value: Option<f64>,
    /// The epoch it belongs to, if it belongs to one.
    pub epoch: Option<f64>,
}

impl Evidence {
    /// A number that belongs to no single epoch.
    pub fn new(what: impl Into<String>, value: f64) -> Evidence {
        Evidence {
            what: what.into(),
            value: Some(value),
            epoch: None,
        }
    }

    /// A number read at `epoch`.
    pub fn at(what: impl Into<String>, value: f64, epoch: f64) -> Evidence {
        Evidence {
            epoch: Some(epoch),
            ..Evidence::new(what, value)
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.what)?;
        if let Some(v) = self.value {
            write!(f, " = {}", format_number(v))?;
        }
        if let Some(e) = self.epoch {
            write!(f, " (epoch {e})")?;
        }
        Ok(())
    }
}

/// Four significant digits, plain notation between 1e-3 and 1e5.
fn format_number(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return v.to_string();
    }
    let magnitude = v.abs().log10().floor() as i32;
    if (-3..5).contains(&magnitude) {
        let decimals = (3 - magnitude).max(0) as usize;
        format!("{v:.decimals$}")
    } else {
        format!("{v:.3e}")
    }
}

/// A diagnosis: its kind, the evidence, the lecture's explanation, the basic recipe's advice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// What was found.
    pub kind: VerdictKind,
    /// The numbers and epochs it rests on.
    pub evidence: Vec<Evidence>,
    /// Why this is what it is, in the lecture's words.
    pub explanation: String,
    /// What to try, from the lecture's basic recipe.
    pub advice: Vec<String>,
}

impl Verdict {
    /// Whether the verdict asks for action (everything but good fit and bias/variance within
    /// bounds).
    pub fn is_problem(&self) -> bool {
        !matches!(
            self.kind,
            VerdictKind::GoodFit | VerdictKind::NotJudged { .. }
        ) && !self.advice.is_empty()
    }
}

impl fmt::Display for Verdict {
    /// ```text
    /// overfitting (high variance, best epoch 12): validation loss rises while ...
    ///   evidence: validation loss minimum = 0.3100 (epoch 12); ...
    ///   advice:
    ///   - stop early at the validation minimum (epoch 12) ...
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            VerdictKind::AtChance { .. } => write!(f, "not learning: at chance")?,
            VerdictKind::Underfitting => write!(f, "underfitting (high bias)")?,
            VerdictKind::Overfitting { best_epoch } => {
                write!(f, "overfitting (high variance, best epoch {best_epoch})")?
            }
            _ => write!(f, "{}", self.kind.name().replace('_', " "))?,
        }
        match &self.kind {
            VerdictKind::AtChance { classes } => write!(f, " ({classes} classes)")?,
            VerdictKind::NotJudged { missing } => write!(f, " (no {missing})")?,
            VerdictKind::Diverging { epoch_or_step } => write!(f, " at {epoch_or_step}")?,
            VerdictKind::BiasVariance {
                avoidable_bias,
                variance,
            } => write!(
                f,
                " (avoidable bias {:.1}%, variance {:.1}%)",
                avoidable_bias * 100.0,
                variance * 100.0
            )?,
            _ => {}
        }
        writeln!(f, ": {}", self.explanation)?;
        if !self.evidence.is_empty() {
            let evidence: Vec<String> = self.evidence.iter().map(|e| e.to_string()).collect();
            writeln!(f, "  evidence: {}", evidence.join("; "))?;
        }
        if !self.advice.is_empty() {
            writeln!(f, "  advice:")?;
            for a in &self.advice {
                writeln!(f, "  - {a}")?;
            }
        }
        Ok(())
    }
}

/// The verdicts as a person reads them, one block each ("no verdict" if there is none).
pub fn report(verdicts: &[Verdict]) -> String {
    if verdicts.is_empty() {
        return "no verdict: no loss to judge\n".to_string();
    }
    verdicts.iter().map(|v| v.to_string()).collect()
}

/// The verdicts as pretty JSON, for `--json`. NaN / inf evidence values become `null`.
pub fn to_json(verdicts: &[Verdict]) -> String {
    serde_json::to_string_pretty(verdicts).expect("verdicts hold only strings, numbers and enums")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overfit() -> Verdict {
        Verdict {
            kind: VerdictKind::Overfitting { best_epoch: 12 },
            evidence: vec![Evidence::at("validation loss minimum", 0.31, 12.0)],
            explanation: "validation loss rises".into(),
            advice: vec!["stop early".into()],
        }
    }

    #[test]
    fn display_names_kind_evidence_and_advice() {
        let text = overfit().to_string();
        assert_eq!(
            text,
            "overfitting (high variance, best epoch 12): validation loss rises\n  \
             evidence: validation loss minimum = 0.3100 (epoch 12)\n  advice:\n  - stop early\n"
        );
    }

    #[test]
    fn json_round_trips_with_a_tag() {
        let json = to_json(&[overfit()]);
        assert!(json.contains("\"verdict\": \"overfitting\""), "{json}");
        assert!(json.contains("\"best_epoch\": 12"), "{json}");
        let back: Vec<Verdict> = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(back, vec![overfit()]);
    }

    #[test]
    fn numbers_have_four_significant_digits() {
        assert_eq!(format_number(0.31), "0.3100");
        assert_eq!(format_number(2.345678), "2.346");
        assert_eq!(format_number(1234.4), "1234");
        assert_eq!(format_number(1e-7), "1.000e-7");
        assert_eq!(format_number(f64::NAN), "NaN");
    }
}
