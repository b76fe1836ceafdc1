//! Overfitting (high variance): validation worse than training beyond the noise.
//!
//! ```text
//! with error curves (classification):
//!   variance = final val error - final train error
//!   se       = sqrt(val_error (1 - val_error) / n_val)        (0 when n_val is unknown)
//!   overfitting if variance > max_variance + noise_z * se
//! with losses only (no noise estimate for a loss):
//!   best   = argmin(val)                       (the first minimum)
//!   end    = mean of the last min_tail validation losses
//!   rise   = (end - val[best]) / |val[best]|
//!   overfitting if best is not the last epoch, rise > overfit_rise,
//!                  and train[last] < train[best]  (training kept improving)
//! best_epoch = argmin(val loss) either way
//! ```
//!
//! `best` is where Keras' / Lightning's `EarlyStopping` with `restore_best_weights` would leave
//! the model.

// BEGIN SOLUTION
use crate::diagnose::Context;
use crate::measures::{argmin, mean};
use crate::{BiasVariance, Evidence, Verdict, VerdictKind};

fn advice(best_epoch: usize) -> Vec<String> {
    vec![
        format!("stop early: keep the weights of epoch {best_epoch}, the validation minimum"),
        "regularise: L2 weight decay, dropout".to_string(),
        "get more training data, or augment it".to_string(),
        "use a smaller network".to_string(),
    ]
}

/// The epoch of the validation loss minimum (the last epoch without a validation loss).
fn best_epoch(ctx: &Context<'_>) -> usize {
    let val = &ctx.curves.val_loss;
    let row = argmin(val).unwrap_or(ctx.curves.len().saturating_sub(1));
    ctx.curves.epoch_index(row)
}

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    match ctx.final_errors() {
        Some(errors) => on_errors(ctx, errors),
        None => on_losses(ctx),
    }
}

fn on_errors(ctx: &Context<'_>, (e_train, e_val): (f64, f64)) -> Option<Verdict> {
    let c = ctx.curves;
    let bv = BiasVariance::judge(ctx.t.bayes_error, e_train, e_val, c.n_val, ctx.t);
    if !bv.high_variance {
        return None;
    }
    let n = c.len();
    let mut evidence = vec![
        Evidence::at("final training error", e_train, ctx.last_epoch(n)),
        Evidence::at("final validation error", e_val, ctx.last_epoch(n)),
        Evidence::new("variance (val error - train error)", bv.variance),
    ];
    match (bv.standard_error, c.n_val) {
        (Some(se), Some(n_val)) => evidence.push(Evidence::new(
            format!("standard error of the validation error (binomial, n_val = {n_val})"),
            se,
        )),
        _ => evidence.push(Evidence {
            what: "n_val unknown: the gap is not compared with the sampling noise".to_string(),
            value: None,
            epoch: None,
        }),
    }
    evidence.push(Evidence::new(
        "limit (max_variance + noise_z x standard error)",
        bv.variance_limit,
    ));
    let best_epoch = best_epoch(ctx);
    Some(Verdict {
        kind: VerdictKind::Overfitting { best_epoch },
        evidence,
        explanation: "The validation error is above the training error by more than the tolerated \
                      gap and the validation estimate's sampling noise: the model does better on \
                      data it has seen than on new data (high variance)."
            .to_string(),
        advice: advice(best_epoch),
    })
}

fn on_losses(ctx: &Context<'_>) -> Option<Verdict> {
    let (train, val) = (&ctx.curves.train_loss, &ctx.curves.val_loss);
    if val.len() < ctx.t.min_epochs.max(2) || train.is_empty() {
        return None;
    }
    let best = argmin(val)?;
    let last = val.len() - 1;
    if best == last || best >= train.len() {
        return None;
    }
    let k = ctx.t.min_tail.clamp(1, val.len());
    let end = mean(&val[val.len() - k..]);
    let rise = (end - val[best]) / val[best].abs().max(f64::MIN_POSITIVE);
    let train_last = train[train.len() - 1];
    if !(rise > ctx.t.overfit_rise && train_last < train[best]) {
        return None;
    }
    let best_epoch = ctx.curves.epoch_index(best);
    Some(Verdict {
        kind: VerdictKind::Overfitting { best_epoch },
        evidence: vec![
            Evidence::at("validation loss minimum", val[best], ctx.epoch(best)),
            Evidence::new(
                format!("validation loss at the end (mean of last {k})"),
                end,
            ),
            Evidence::new("rise above the minimum, as a share", rise),
            Evidence::at(
                "training loss at the validation minimum",
                train[best],
                ctx.epoch(best),
            ),
            Evidence::at(
                "training loss at the end",
                train_last,
                ctx.last_epoch(train.len()),
            ),
        ],
        explanation: "The validation loss rises while the training loss keeps falling: the model \
                      fits the training set ever closer, noise included, and generalises worse \
                      (high variance). Without accuracy columns the gap is read from the loss \
                      curves; the validation minimum is where early stopping stops."
            .to_string(),
        advice: advice(best_epoch),
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
    fn the_classic_u_shaped_validation_curve() {
        // Training falls every epoch; validation bottoms at row 4 (0.70) and ends at
        // mean(0.85, 0.95, 1.05) = 0.95: rise 0.25 / 0.70 = 36% > 10%, train 0.45 -> 0.12.
        let train = vec![2.3, 1.5, 1.0, 0.7, 0.45, 0.3, 0.2, 0.15, 0.12];
        let val = vec![2.3, 1.6, 1.1, 0.85, 0.70, 0.75, 0.85, 0.95, 1.05];
        let v = diagnose(&Curves::from_losses(train, val), &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::Overfitting { best_epoch: 4 });
        assert!(v[0].advice[0].contains("epoch 4"));
        assert!(v.iter().all(|v| v.kind != VerdictKind::GoodFit));
    }

    #[test]
    fn best_epoch_uses_the_epoch_column() {
        // Same shape, epochs counted from 1: the minimum is at row 2 = epoch 3.
        let mut c = Curves::from_losses(
            vec![2.0, 1.0, 0.6, 0.4, 0.3, 0.2],
            vec![2.0, 1.2, 0.9, 1.0, 1.1, 1.2],
        );
        c.epochs = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::Overfitting { best_epoch: 3 });
    }

    #[test]
    fn a_small_rise_is_not_overfitting() {
        // Validation minimum 1.00 at row 3, end mean(1.02, 1.04, 1.05) = 1.0367: rise 3.7% < 10%.
        let c = Curves::from_losses(
            vec![2.0, 1.5, 1.2, 1.0, 0.95, 0.9, 0.85],
            vec![2.0, 1.5, 1.2, 1.0, 1.02, 1.04, 1.05],
        );
        let v = diagnose(&c, &Thresholds::default());
        assert!(
            v.iter()
                .all(|v| !matches!(v.kind, VerdictKind::Overfitting { .. })),
            "{v:?}"
        );
    }

    #[test]
    fn an_error_gap_is_judged_against_the_validation_noise() {
        // Issue 12's good runs: 1% vs 3.7% and 0.07% vs 2.2%. On 360 validation samples:
        // se = sqrt(0.037 x 0.963 / 360) = 0.00995, limit 2% + 2 x 0.995% = 3.99% > 2.7%;
        // se = sqrt(0.022 x 0.978 / 360) = 0.00773, limit 3.55% > 2.13%: no overfitting.
        // On 10000 samples: se 0.189%, limit 2.38% < 2.7%: overfitting.
        let losses = vec![2.3, 1.0, 0.5, 0.3, 0.3, 0.3];
        let kinds = |e_train: f64, e_val: f64, n_val: usize| {
            let c = Curves::from_losses(losses.clone(), losses.clone())
                .with_errors(vec![e_train; 6], vec![e_val; 6])
                .with_n_val(n_val);
            diagnose(&c, &Thresholds::default())
        };
        for (e_train, e_val) in [(0.01, 0.037), (0.0007, 0.022)] {
            let v = kinds(e_train, e_val, 360);
            assert!(
                v.iter()
                    .all(|v| !matches!(v.kind, VerdictKind::Overfitting { .. })),
                "{v:?}"
            );
            assert_eq!(v[0].kind, VerdictKind::GoodFit);
        }
        let v = kinds(0.01, 0.037, 10_000);
        assert_eq!(
            v[0].kind,
            VerdictKind::Overfitting { best_epoch: 3 },
            "{v:?}"
        );
        assert!(
            v[0].to_string().contains(
                "standard error of the validation error (binomial, n_val = 10000) = 0.001888"
            ),
            "{}",
            v[0]
        );
    }
}
