//! Still improving: the validation loss is still falling at the end, so training stopped early.
//!
//! ```text
//! still improving if tail_slope(val) < -still_falling     (the training loss without validation)
//! ```
//!
//! Not underfitting: that is a training error far above the target, whatever the trend.

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let val = &ctx.curves.val_loss;
    let (x, which) = if val.len() >= 2 {
        (val.as_slice(), "validation")
    } else {
        (ctx.primary(), "training")
    };
    if x.len() < 2 {
        return None;
    }
    let s = ctx.tail_slope(x);
    if s >= -ctx.t.still_falling {
        return None;
    }
    Some(Verdict {
        kind: VerdictKind::StillImproving,
        evidence: vec![
            Evidence::new(
                format!("{which} loss tail slope (share of the starting loss per epoch)"),
                s,
            ),
            Evidence::at(
                format!("{which} loss at the end"),
                x[x.len() - 1],
                ctx.last_epoch(x.len()),
            ),
        ],
        explanation: format!(
            "The {which} loss is still falling at the end: training stopped before the model \
             converged, and more epochs would still improve it."
        ),
        advice: lines(&[
            "train longer (more epochs), with early stopping to end at the validation minimum",
            "or raise the learning rate, if each epoch gains only a little",
        ]),
    })
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    #[test]
    fn both_losses_still_falling_at_the_end() {
        // 6 rows, tail 3, start median(2.0, 1.5, 1.2) = 1.5: validation tail 1.1, 1.0, 0.9 ->
        // slope -0.1 / 1.5 = -6.7% per epoch < -0.5%. No accuracy: bias is not judged.
        let c = Curves::from_losses(
            vec![2.0, 1.5, 1.2, 1.0, 0.9, 0.8],
            vec![2.0, 1.6, 1.3, 1.1, 1.0, 0.9],
        );
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::StillImproving, "{v:?}");
        assert!(v[0].advice[0].contains("train longer"));
        assert!(v.iter().all(|v| v.kind != VerdictKind::Underfitting));
    }
}
