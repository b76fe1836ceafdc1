//! Not judged: the verdicts a log cannot support, and the series each one would need.
//!
//! ```text
//! no training loss       -> overfitting, good fit and losses rising are not judged
//! no validation loss     -> overfitting, validation not improving and good fit are not judged
//! no training accuracy   -> underfitting (high bias), good fit and the bias/variance split are
//!                           not judged
//! no validation accuracy -> the gap is judged on losses, not on errors with their noise
//! errors without n_val   -> the gap is judged without the sampling noise
//! no accuracy, no C      -> chance level is not checked
//! ```

use crate::diagnose::Context;
use crate::{Evidence, Verdict, VerdictKind};

fn note(missing: &str, explanation: &str, advice: &str) -> Verdict {
    Verdict {
        kind: VerdictKind::NotJudged {
            missing: missing.to_string(),
        },
        evidence: Vec::new(),
        explanation: explanation.to_string(),
        advice: vec![advice.to_string()],
    }
}

/// The notes; `settled`: the losses showed no problem, so only a missing training error stands
/// between them and a good fit.
pub(crate) fn verdicts(ctx: &Context<'_>, settled: bool) -> Vec<Verdict> {
    let c = ctx.curves;
    let mut out = Vec::new();
    if c.train_loss.is_empty() {
        out.push(note(
            "training loss",
            "The log has no training loss column (train_loss, training_loss, train/loss, \
             loss): overfitting, good fit and rising losses need one and were not judged.",
            "log the training loss every epoch",
        ));
    }
    if c.val_loss.is_empty() {
        out.push(note(
            "validation loss",
            "The log has no validation loss column (val_loss, eval_loss, val/loss, \
             validation_loss): overfitting, validation not improving and good fit need one and \
             were not judged.",
            "log the loss on a held-out validation set every epoch",
        ));
    }
    if c.train_error.is_none() && settled {
        out.push(note(
            "training accuracy",
            "Both losses fell and settled and the validation loss did not turn up. Whether that \
             is a good fit or underfitting (high bias: a training error far above the target) \
             needs a training accuracy or error column, which the log does not have: not judged.",
            "log the training accuracy (classification), or compare the training loss with \
             the best loss a model can reach",
        ));
    } else if c.train_error.is_none() {
        out.push(note(
            "training accuracy",
            "The log has no training accuracy or error column: underfitting (high bias, a \
             training error far above the target) needs one and was not judged.",
            "log the training accuracy (classification), or compare the training loss with \
             the best loss a model can reach",
        ));
    } else if c.val_error.is_none() {
        out.push(note(
            "validation accuracy",
            "The log has no validation accuracy or error column: the gap between training and \
             validation was judged on losses only, without its sampling noise.",
            "log the validation accuracy",
        ));
    }
    if c.train_error.is_none() && c.val_error.is_none() && c.n_classes.is_none() {
        out.push(note(
            "number of classes",
            "Without an accuracy column or the number of classes C, a classifier stuck at \
             chance (a loss of ln C) cannot be told from one that learned: chance level was not \
             checked.",
            "give the number of classes (`trainlab diagnose --classes C`) or log the accuracy",
        ));
    }
    if c.val_error.is_some() && c.n_val.is_none() {
        let mut v = note(
            "number of validation samples",
            "The number of validation samples is unknown, so the gap between training and \
             validation error was compared with max_variance alone, not with the validation \
             estimate's sampling noise.",
            "give the number of validation samples (`trainlab diagnose --n-val N`)",
        );
        v.evidence
            .push(Evidence::new("max_variance", ctx.t.max_variance));
        out.push(v);
    }
    out
}
