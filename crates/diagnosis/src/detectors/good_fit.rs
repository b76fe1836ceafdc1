//! Good fit: no problem found, so the gap is small and both losses have settled.
//!
//! ```text
//! good fit if no other detector fired, i.e. gap <= max_gap, validation not rising, not both
//! still falling, not unstable, validation not clearly better than training
//! ```

use crate::detectors::{gap, lines};
use crate::diagnose::Context;
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn verdict(ctx: &Context<'_>) -> Verdict {
    let mut evidence = Vec::new();
    if let Some((train_end, val_end, g)) = gap::end_gap(ctx) {
        evidence.push(Evidence::new("training loss at the end", train_end));
        evidence.push(Evidence::new("validation loss at the end", val_end));
        evidence.push(Evidence::new("gap (val - train) / val", g));
    }
    for (name, x) in [
        ("training", &ctx.curves.train_loss),
        ("validation", &ctx.curves.val_loss),
    ] {
        if x.len() >= 2 {
            evidence.push(Evidence::new(
                format!("{name} loss tail slope (share of first loss per epoch)"),
                ctx.tail_slope(x),
            ));
        }
    }
    Verdict {
        kind: VerdictKind::GoodFit,
        evidence,
        explanation: "Training and validation loss fell together and settled with a small gap \
                      between them: the model fits the training data and generalises to new data."
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
        let v = diagnose(&Curves::from_losses(train, val), &Thresholds::default());
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].kind, VerdictKind::GoodFit);
        assert!(!v[0].is_problem());
    }
}
