//! Overfitting: validation loss rising while training loss falls.
//!
//! ```text
//! best   = argmin(val)                       (the first minimum)
//! end    = mean of the last min_tail validation losses
//! rise   = (end - val[best]) / |val[best]|
//! overfitting if best is not the last epoch, rise > overfit_rise,
//!                and train[last] < train[best]  (training kept improving)
//! ```
//!
//! `best` is where Keras' / Lightning's `EarlyStopping` with `restore_best_weights` would leave
//! the model.

use crate::diagnose::Context;
use crate::measures::{argmin, mean};
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
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
                      (high variance). The validation minimum is where early stopping stops."
            .to_string(),
        advice: vec![
            format!("stop early: keep the weights of epoch {best_epoch}, the validation minimum"),
            "regularise: L2 weight decay, dropout".to_string(),
            "get more training data, or augment it".to_string(),
            "use a smaller network".to_string(),
        ],
    })
}

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
}
