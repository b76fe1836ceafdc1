//! Diverging: the loss becomes NaN / inf, or the training loss explodes.
//!
//! ```text
//! diverged = diverged_at_step is set
//!         or some train / val loss is NaN or inf
//!         or some train loss > explode_factor * first train loss   (first > 0)
//! at       = the step if known, else the earliest such epoch
//! ```

// BEGIN SOLUTION
use crate::detectors::lines;
use crate::diagnose::Context;
use crate::{DivergedAt, Evidence, Verdict, VerdictKind};

/// The first row of `x` that is NaN or infinite.
fn first_non_finite(x: &[f64]) -> Option<usize> {
    x.iter().position(|v| !v.is_finite())
}

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let c = ctx.curves;
    let mut evidence = Vec::new();
    let mut first_row: Option<usize> = None;
    let mut note = |row: usize, what: &str, value: f64, evidence: &mut Vec<Evidence>| {
        evidence.push(Evidence::at(what, value, ctx.epoch(row)));
        first_row = Some(first_row.map_or(row, |r| r.min(row)));
    };
    if let Some(i) = first_non_finite(&c.train_loss) {
        note(i, "training loss", c.train_loss[i], &mut evidence);
    }
    if let Some(i) = first_non_finite(&c.val_loss) {
        note(i, "validation loss", c.val_loss[i], &mut evidence);
    }
    let l0 = c
        .train_loss
        .first()
        .copied()
        .filter(|l| l.is_finite() && *l > 0.0);
    if let Some(l0) = l0 {
        let limit = ctx.t.explode_factor * l0;
        if let Some(i) = c
            .train_loss
            .iter()
            .position(|&l| l.is_finite() && l > limit)
        {
            evidence.push(Evidence::at("first training loss", l0, ctx.epoch(0)));
            note(i, "exploded training loss", c.train_loss[i], &mut evidence);
            evidence.push(Evidence::new(
                "explode limit (explode_factor x first)",
                limit,
            ));
        }
    }
    let epoch_or_step = match (c.diverged_at_step, first_row) {
        (Some(step), _) => {
            evidence.insert(
                0,
                Evidence::new("step of the first NaN / inf loss", step as f64),
            );
            DivergedAt::Step(step)
        }
        (None, Some(row)) => DivergedAt::Epoch(ctx.epoch(row)),
        (None, None) => return None,
    };
    Some(Verdict {
        kind: VerdictKind::Diverging { epoch_or_step },
        evidence,
        explanation: "The loss explodes or becomes NaN: the updates overshoot the minimum and \
                      grow with every step, typically because the learning rate is too large."
            .to_string(),
        advice: lines(&[
            "lower the learning rate (by 10x to start with), or find it with a learning-rate range test",
            "use a warmup or a decaying learning-rate schedule",
            "check that the inputs are standardised and contain no NaN / inf",
            "clip gradients if single batches produce huge losses",
        ]),
    })
}
// STUB: use crate::diagnose::Context;
// STUB: use crate::Verdict;
// STUB:
// STUB: pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
// STUB:     let _ = ctx;
// STUB:     todo!("exercise 07: the student release has no reference learning-curve verdicts; yours is in exercises/07_learning_curves")
// STUB: }
// END SOLUTION

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, DivergedAt, Thresholds, VerdictKind};

    fn kinds(c: &Curves) -> Vec<VerdictKind> {
        diagnose(c, &Thresholds::default())
            .into_iter()
            .map(|v| v.kind)
            .collect()
    }

    #[test]
    fn nan_loss_diverges_at_its_epoch() {
        // Training loss falls, then NaN at row 3 (epoch 3): diverging there, nothing else.
        let c = Curves::from_losses(vec![2.3, 1.9, 5.0, f64::NAN], vec![2.3, 2.0, 4.0, f64::NAN]);
        assert_eq!(
            kinds(&c),
            vec![VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Epoch(3.0)
            }]
        );
    }

    #[test]
    fn explosion_without_nan_diverges() {
        // First loss 2.0, limit 3 x 2.0 = 6.0; row 3 has 7.5 > 6.0 (row 2 has 5.0 <= 6.0).
        let c = Curves::from_losses(
            vec![2.0, 3.0, 5.0, 7.5, 20.0],
            vec![2.0, 3.1, 5.2, 8.0, 21.0],
        );
        assert_eq!(
            kinds(&c),
            vec![VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Epoch(3.0)
            }]
        );
    }

    #[test]
    fn the_trainers_step_wins_over_the_epoch() {
        // Validation inf at row 1, and the trainer saw the NaN at step 137.
        let mut c = Curves::from_losses(vec![2.3, 2.2], vec![2.3, f64::INFINITY]);
        c.diverged_at_step = Some(137);
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(
            v[0].kind,
            VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Step(137)
            }
        );
        assert!(v[0].to_string().starts_with("diverging at step 137: "));
        assert!(
            v[0].to_string().contains("validation loss = inf (epoch 1)"),
            "{}",
            v[0]
        );
    }

    #[test]
    fn a_step_alone_diverges_even_without_curves() {
        let c = Curves {
            diverged_at_step: Some(3),
            ..Curves::default()
        };
        assert_eq!(
            kinds(&c),
            vec![VerdictKind::Diverging {
                epoch_or_step: DivergedAt::Step(3)
            }]
        );
    }

    #[test]
    fn a_loss_just_below_the_limit_does_not_diverge() {
        // 6.0 is not > 3 x 2.0: no divergence (whatever else the curve gets).
        let c = Curves::from_losses(vec![2.0, 6.0, 5.0, 4.0], vec![2.0, 6.0, 5.0, 4.0]);
        assert!(!kinds(&c)
            .iter()
            .any(|k| matches!(k, VerdictKind::Diverging { .. })));
    }
}
