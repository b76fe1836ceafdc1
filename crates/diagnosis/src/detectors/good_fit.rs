//! Good fit: no problem found, so both losses fell and settled and the gap is within the noise.
//!
//! ```text
//! good fit if both losses are there and no other detector fired: the loss dropped
//! (not learning / at chance did not fire), neither loss rises nor the validation loss still
//! falls at the end (|tail slope| <= still_falling), no high bias (with a training accuracy),
//! no high variance, not unstable, validation not clearly better than training
//! ```

use crate::detectors::{gap, lines};
use crate::diagnose::Context;
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn verdict(ctx: &Context<'_>) -> Verdict {
    let mut evidence = Vec::new();
    // Losses of a confident classifier differ by large ratios (0.01 vs 0.09) at a small error
    // gap: the levels are shown, the gap is judged on errors.
    if let Some((train_end, val_end, _)) = gap::end_gap(ctx) {
        evidence.push(Evidence::new("training loss at the end", train_end));
        evidence.push(Evidence::new("validation loss at the end", val_end));
    }
    if let Some((e_train, e_val)) = ctx.final_errors() {
        evidence.push(Evidence::new("final training error", e_train));
        evidence.push(Evidence::new("final validation error", e_val));
    }
    for (name, x) in [
        ("training", &ctx.curves.train_loss),
        ("validation", &ctx.curves.val_loss),
    ] {
        if x.len() >= 2 {
            evidence.push(Evidence::new(
                format!("{name} loss tail slope (share of the starting loss per epoch)"),
                ctx.tail_slope(x),
            ));
        }
    }
    Verdict {
        kind: VerdictKind::GoodFit,
        evidence,
        explanation: if ctx.final_errors().is_some() {
            "Training and validation loss fell and settled, the training error is close to \
             the target and the validation error within the noise of it: the model fits the \
             training data and generalises to new data."
        } else {
            "Training and validation loss fell and settled, and the validation loss did not \
             turn up: no sign of a problem in the losses (without accuracies, bias and the \
             error gap could not be judged)."
        }
        .to_string(),
        advice: lines(&[
            "measure the final model once on the sealed test set",
            "to do better still, compare the error levels with the Bayes (human) error: bias or variance",
        ]),
    }
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    #[test]
    fn falling_together_and_settling() {
        // Both fall at the same rate and settle: tail slopes 0, gap (0.33 - 0.30) / 0.33 = 9%.
        let train = vec![2.3, 1.4, 0.9, 0.6, 0.45, 0.36, 0.31, 0.30, 0.30, 0.30];
        let val = vec![2.3, 1.45, 0.95, 0.65, 0.49, 0.39, 0.34, 0.33, 0.33, 0.33];
        // Training error 0.5%, validation 1.5% on 1000 samples: no bias, no variance.
        let c = Curves::from_losses(train, val);
        let with_errors = c
            .clone()
            .with_errors(vec![0.005; 10], vec![0.015; 10])
            .with_n_val(1000);
        let v = diagnose(&with_errors, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::GoodFit);
        // Without accuracies a good fit cannot be told from high bias: not judged, and the
        // note says the losses settled.
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(
            v[0].kind,
            VerdictKind::NotJudged {
                missing: "training accuracy".into()
            }
        );
        assert!(v[0].explanation.starts_with("Both losses fell and settled"));
        assert!(v.iter().all(|v| v.kind != VerdictKind::GoodFit));
        assert!(!v[0].is_problem());
    }
}
