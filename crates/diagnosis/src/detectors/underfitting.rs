//! Underfitting (high bias): the training error is far above the target (Bayes) error.
//!
//! ```text
//! avoidable_bias = final training error - bayes_error
//! underfitting if avoidable_bias > max_avoidable_bias      (needs a training accuracy / error)
//! ```
//!
//! The lecture's definition: how the losses trend (still falling, see `still_improving`) is a
//! different question from how well the model fits the training set.

// BEGIN SOLUTION
use crate::detectors::lines;
use crate::diagnose::Context;
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let train_error = ctx.curves.train_error.as_deref()?;
    let &e = train_error.last()?;
    let bias = e - ctx.t.bayes_error;
    if bias.is_nan() || bias <= ctx.t.max_avoidable_bias {
        return None;
    }
    Some(Verdict {
        kind: VerdictKind::Underfitting,
        evidence: vec![
            Evidence::at("final training error", e, ctx.last_epoch(train_error.len())),
            Evidence::new("target (Bayes) error", ctx.t.bayes_error),
            Evidence::new("avoidable bias (training - target)", bias),
            Evidence::new("max_avoidable_bias", ctx.t.max_avoidable_bias),
        ],
        explanation: "The training error is far above the target error: the model does not even \
                      fit the data it is trained on (high bias). It is too simple, or trained too \
                      little or too slowly, to capture the pattern in the data."
            .to_string(),
        advice: lines(&[
            "use a bigger network (more units, more layers)",
            "train longer (more epochs)",
            "use a better optimizer (momentum, RMSProp, Adam) and tune its learning rate",
            "reduce regularisation if there is any",
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
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    #[test]
    fn a_high_training_error_underfits_even_when_settled() {
        // Settled losses, training error 30%: avoidable bias 30% - 0% > 2%. Validation 31%:
        // variance 1%, no overfitting.
        let c = Curves::from_losses(
            vec![2.0, 1.2, 1.0, 1.0, 1.0],
            vec![2.0, 1.2, 1.05, 1.05, 1.05],
        )
        .with_errors(
            vec![0.6, 0.35, 0.3, 0.3, 0.3],
            vec![0.6, 0.36, 0.31, 0.31, 0.31],
        )
        .with_n_val(1000);
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::Underfitting, "{v:?}");
        assert!(v[0]
            .to_string()
            .contains("final training error = 0.3000 (epoch 4)"));
        assert!(matches!(
            v.last().map(|v| &v.kind),
            Some(VerdictKind::BiasVariance { .. })
        ));
    }

    #[test]
    fn the_target_error_moves_the_line() {
        // Training error 5%: high bias against a target of 0% (5% > 2%), not against 4% (1%).
        let c = Curves::from_losses(vec![2.0, 1.0, 0.5, 0.5, 0.5], vec![2.0, 1.0, 0.5, 0.5, 0.5])
            .with_errors(vec![0.05; 5], vec![0.05; 5]);
        let kinds = |bayes_error| {
            let t = Thresholds {
                bayes_error,
                ..Thresholds::default()
            };
            diagnose(&c, &t)
                .into_iter()
                .map(|v| v.kind)
                .collect::<Vec<_>>()
        };
        assert!(kinds(0.0).contains(&VerdictKind::Underfitting));
        assert!(!kinds(0.04).contains(&VerdictKind::Underfitting));
    }

    #[test]
    fn a_slowly_falling_tail_has_settled() {
        // Start median(2.0, 1.0, 0.5) = 1.0; tail slopes -0.002 / 1.0 = -0.2% per epoch, above
        // -0.5%: settled, a good fit.
        let c = Curves::from_losses(
            vec![2.0, 1.0, 0.5, 0.304, 0.302, 0.300],
            vec![2.0, 1.0, 0.55, 0.334, 0.332, 0.330],
        )
        .with_errors(vec![0.01; 6], vec![0.01; 6]);
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::GoodFit, "{v:?}");
    }
}
