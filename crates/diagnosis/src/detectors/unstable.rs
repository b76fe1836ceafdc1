//! Unstable training: the training loss fluctuates up and down from epoch to epoch.
//!
//! ```text
//! d_i        = x_{i+1} - x_i                       x = training loss
//! rise_share = sum(max(d, 0)) / sum(|d|)           share of the movement that went up
//! sign_flips = share of consecutive d that change sign
//! unstable if rise_share > unstable_rise_share and sign_flips > unstable_sign_flips
//! ```
//!
//! Both are needed: a loss that only climbs has rise_share 1 but no flips (that is divergence
//! or a bad schedule), a settled loss with tiny noise flips often but barely rises.

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::measures::{rise_share, sign_flips};
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let x = ctx.primary();
    if x.len() < 4 {
        return None;
    }
    let (rises, flips) = (rise_share(x), sign_flips(x));
    if !(rises > ctx.t.unstable_rise_share && flips > ctx.t.unstable_sign_flips) {
        return None;
    }
    Some(Verdict {
        kind: VerdictKind::Unstable,
        evidence: vec![
            Evidence::new("share of the loss's movement that went up", rises),
            Evidence::new("share of epoch-to-epoch changes that flip sign", flips),
        ],
        explanation: "The training loss jumps up and down from epoch to epoch instead of \
                      decreasing steadily: the steps are too large for the loss surface, or the \
                      gradient estimates too noisy."
            .to_string(),
        advice: lines(&[
            "lower the learning rate, or decay it over time",
            "use larger minibatches to reduce gradient noise",
            "use momentum or Adam to smooth the updates",
            "check the data for outliers and that it is shuffled every epoch",
        ]),
    })
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Curves, Thresholds, VerdictKind};

    #[test]
    fn a_zigzag_is_unstable() {
        // d = -0.8, +0.5, -0.7, +0.5, -0.6, +0.4, -0.5: rises 1.4 of 4.0 = 35% > 25%;
        // every consecutive pair flips sign: 6 / 6 = 100% > 40%.
        let train = vec![2.0, 1.2, 1.7, 1.0, 1.5, 0.9, 1.3, 0.8];
        let val = vec![2.0, 1.3, 1.7, 1.1, 1.5, 1.0, 1.35, 0.9];
        let v = diagnose(&Curves::from_losses(train, val), &Thresholds::default());
        assert!(v.iter().any(|v| v.kind == VerdictKind::Unstable), "{v:?}");
        assert!(v.iter().all(|v| v.kind != VerdictKind::GoodFit));
    }

    #[test]
    fn small_noise_on_a_plateau_is_stable() {
        // Falls 2.0 -> 0.3 (1.7 down), then noise of +-0.01: rises 0.02 of about 1.75: 1%.
        let train = vec![2.0, 1.2, 0.7, 0.4, 0.3, 0.31, 0.30, 0.31, 0.30];
        let val = vec![2.0, 1.25, 0.75, 0.45, 0.33, 0.34, 0.33, 0.34, 0.33];
        let v = diagnose(&Curves::from_losses(train, val), &Thresholds::default());
        assert!(v.iter().all(|v| v.kind != VerdictKind::Unstable), "{v:?}");
    }
}
