//! Unstable training: the training loss fluctuates up and down from epoch to epoch.
//!
//! ```text
//! d_i        = x_{i+1} - x_i                       x = training loss
//! rise_share = sum(max(d, 0)) / sum(|d|)           share of the movement that went up
//! sign_flips = share of consecutive d that change sign
//! jump       = mean of the rises (d > 0) / scale        their size against the starting loss
//! unstable if rise_share > unstable_rise_share and sign_flips > unstable_sign_flips
//!             and jump > unstable_jump
//! ```
//!
//! All three are needed: a loss that only climbs has rise_share 1 but no flips (that is
//! divergence or a bad schedule), and a settled loss with minibatch noise flips often and, over
//! many epochs, its small rises add up; only rises of a size that matters are instability.

use crate::detectors::lines;
use crate::diagnose::Context;
use crate::measures::{mean, rise_share, sign_flips};
use crate::{Evidence, Verdict, VerdictKind};

pub(crate) fn detect(ctx: &Context<'_>) -> Option<Verdict> {
    let x = ctx.primary();
    if x.len() < 4 {
        return None;
    }
    let (rises, flips) = (rise_share(x), sign_flips(x));
    let ups: Vec<f64> = x
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.0)
        .collect();
    let jump = if ups.is_empty() {
        0.0
    } else {
        mean(&ups) / ctx.scale
    };
    if !(rises > ctx.t.unstable_rise_share
        && flips > ctx.t.unstable_sign_flips
        && jump > ctx.t.unstable_jump)
    {
        return None;
    }
    Some(Verdict {
        kind: VerdictKind::Unstable,
        evidence: vec![
            Evidence::new("share of the loss's movement that went up", rises),
            Evidence::new("share of epoch-to-epoch changes that flip sign", flips),
            Evidence::new("mean rise as a share of the starting loss", jump),
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
        // every consecutive pair flips sign: 6 / 6 = 100% > 40%; mean rise 0.467 over the start
        // median(2.0, 1.2, 1.7) = 1.7: 27% > 5%.
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

    #[test]
    fn minibatch_noise_on_a_plateau_is_not_instability() {
        // The tiny model's real log (tests/fixtures/logs/underfit_tiny_model): 2.0 falls to a
        // plateau near 0.85 where it wiggles by about 0.03 for 40 epochs. Rises share and flips
        // are above their limits, but the mean rise is about 2% of the start: not unstable.
        let mut train = vec![2.0, 1.6, 1.4, 1.3, 1.2, 1.1, 1.0, 0.95, 0.9];
        for i in 0..40 {
            train.push(if i % 2 == 0 { 0.86 } else { 0.83 });
        }
        let v = diagnose(
            &Curves::from_losses(train.clone(), train),
            &Thresholds::default(),
        );
        assert!(v.iter().all(|v| v.kind != VerdictKind::Unstable), "{v:?}");
    }
}
