//! Not learning, at chance: a classifier that does no better than guessing.
//!
//! ```text
//! C      = curves.n_classes, else inferred: round(1 / acc) when the accuracy and the loss agree
//! acc    = mean of the tail of the validation accuracy (training's without one)
//! loss   = mean of the tail of the validation loss (training's without one)
//! at chance by accuracy  if acc <= 1/C + margin, margin = noise_z * sqrt((1/C)(1 - 1/C) / n_val)
//!                           (validation with a known n_val), else chance_margin
//! at chance by loss      if |loss - ln C| <= chance_margin * ln C        (no accuracy column)
//! ```
//!
//! Guessing the most frequent class of C balanced classes is right 1/C of the time; predicting
//! the uniform distribution costs a cross-entropy of ln C.

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::measures::mean;
use crate::{standard_error, Evidence, Verdict, VerdictKind};

/// The tail mean of the validation series, else the training one: `(value, is_validation)`.
fn tail_mean(ctx: &Context<'_>, val: Option<&[f64]>, train: Option<&[f64]>) -> Option<(f64, bool)> {
    let pick = |x: &[f64], is_val| (!x.is_empty()).then(|| (mean(ctx.tail(x)), is_val));
    val.and_then(|x| pick(x, true))
        .or_else(|| train.and_then(|x| pick(x, false)))
}

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let c = ctx.curves;
    let error = tail_mean(ctx, c.val_error.as_deref(), c.train_error.as_deref());
    let loss = tail_mean(ctx, Some(&c.val_loss), Some(&c.train_loss));
    let accuracy = error.map(|(e, v)| (1.0 - e, v));
    let near_ln = |classes: usize, l: f64| {
        let ln_c = (classes as f64).ln();
        (l - ln_c).abs() <= ctx.t.chance_margin * ln_c
    };
    let (classes, inferred) = match c.n_classes {
        Some(k) if k >= 2 => (k, false),
        Some(_) => return None,
        None => {
            // Inferred only when two signals agree: the accuracy at 1/C and the loss at ln C.
            let (a, _) = accuracy?;
            let (l, _) = loss?;
            if !(a > 0.0 && a <= 0.5) {
                return None;
            }
            let k = (1.0 / a).round() as usize;
            if k < 2 || !near_ln(k, l) {
                return None;
            }
            (k, true)
        }
    };
    let chance = 1.0 / classes as f64;
    let mut evidence = Vec::new();
    let at_chance = if let Some((a, is_val)) = accuracy {
        let margin = match (is_val, c.n_val) {
            (true, Some(n)) => ctx.t.noise_z * standard_error(chance, n),
            _ => ctx.t.chance_margin,
        };
        let which = if is_val { "validation" } else { "training" };
        evidence.push(Evidence::new(format!("{which} accuracy at the end"), a));
        evidence.push(Evidence::new("chance accuracy 1/C", chance));
        evidence.push(Evidence::new("margin above chance", margin));
        a <= chance + margin
    } else {
        let (l, is_val) = loss?;
        let which = if is_val { "validation" } else { "training" };
        evidence.push(Evidence::new(format!("{which} loss at the end"), l));
        evidence.push(Evidence::new("chance loss ln C", (classes as f64).ln()));
        near_ln(classes, l)
    };
    if !at_chance {
        return None;
    }
    evidence.push(Evidence::new(
        if inferred {
            "classes C (inferred: accuracy at 1/C and loss at ln C)"
        } else {
            "classes C"
        },
        classes as f64,
    ));
    if let Some(&l) = ctx.primary().first() {
        evidence.push(Evidence::at("first loss", l, ctx.epoch(0)));
    }
    Some(Verdict {
        kind: VerdictKind::AtChance { classes },
        evidence,
        explanation: format!(
            "The model does no better than guessing among {classes} classes (accuracy 1/C, or a \
             cross-entropy of ln C = {:.3}): whatever the loss did at first, the network is not \
             learning from the inputs. Typical causes: dead or saturated units (a blown-up first \
             epoch kills ReLUs), a learning rate of 0 or far too large, labels that do not \
             match the inputs.",
            (classes as f64).ln()
        ),
        advice: lines(&[
            "check that the model can overfit a handful of examples (sanity check)",
            "check the data pipeline: inputs and labels match, labels in the loss's format",
            "check the initialisation and the activations (dead ReLUs, saturated sigmoids)",
            "search the learning rate on a log scale, or run a learning-rate range test",
        ]),
    })
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    #[test]
    fn a_loss_falling_to_ln_c_is_at_chance_with_the_classes_given() {
        // 2.7 -> 2.31, flat: a 14% drop (learning, by the flat-drop rule), but ln 10 = 2.3026
        // and 2.31 is within 3% of it.
        let train = vec![2.7, 2.35, 2.31, 2.31, 2.31, 2.31];
        let c = Curves::from_losses(train.clone(), train.clone()).with_classes(10);
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::AtChance { classes: 10 });
        assert!(v[0]
            .to_string()
            .starts_with("not learning: at chance (10 classes): "));
        // The same without the number of classes and without accuracy: chance is not checked.
        let v = diagnose(
            &Curves::from_losses(train.clone(), train),
            &Thresholds::default(),
        );
        assert!(v
            .iter()
            .all(|v| !matches!(v.kind, VerdictKind::AtChance { .. })));
    }

    #[test]
    fn accuracy_at_one_over_c_and_loss_at_ln_c_infer_the_classes() {
        // accuracy 0.25 -> C = 4, ln 4 = 1.386; loss 1.39 within 3%.
        let c = Curves::from_losses(vec![1.6, 1.45, 1.39, 1.39, 1.39], vec![1.39; 5])
            .with_errors(vec![0.75; 5], vec![0.75; 5]);
        let v = diagnose(&c, &Thresholds::default());
        assert_eq!(v[0].kind, VerdictKind::AtChance { classes: 4 });
        // accuracy 0.25 but a loss of 0.9: the two disagree, nothing is inferred.
        let c = Curves::from_losses(vec![1.6, 1.2, 0.9, 0.9, 0.9], vec![0.9; 5])
            .with_errors(vec![0.75; 5], vec![0.75; 5]);
        let v = diagnose(&c, &Thresholds::default());
        assert!(
            v.iter()
                .all(|v| !matches!(v.kind, VerdictKind::AtChance { .. })),
            "{v:?}"
        );
    }

    #[test]
    fn the_margin_above_chance_is_two_standard_errors_of_n_val() {
        // C = 10, n_val = 360: se = sqrt(0.1 x 0.9 / 360) = 0.0158, margin 0.0316.
        // Validation accuracy 0.13 <= 0.1316: at chance; 0.135 is not.
        let losses = vec![2.3, 2.0, 1.9, 1.9, 1.9];
        let at = |acc: f64| {
            let c = Curves::from_losses(losses.clone(), losses.clone())
                .with_errors(vec![0.5; 5], vec![1.0 - acc; 5])
                .with_classes(10)
                .with_n_val(360);
            diagnose(&c, &Thresholds::default())[0].kind.clone()
        };
        assert_eq!(at(0.13), VerdictKind::AtChance { classes: 10 });
        assert_ne!(at(0.135), VerdictKind::AtChance { classes: 10 });
    }
}
