//! What a comparison chart must say about itself: which runs left the chart (diverged or far
//! above the others) and whether the differences it shows are larger than the validation noise.
//!
//! ```text
//! validation samples N:   the smallest N <= 5000 with every accuracy * N an integer
//! one sample:             1 / N         (180 digits: 0.56 %)
//! loss cap:               3 * the median first-epoch validation loss
//! ```

use trainlab_training::Outcome;

use super::Run;

/// The number of validation samples behind a set of accuracies (each is `correct / N`): the
/// smallest `N` up to 5000 for which every accuracy times `N` is a whole number. `None` if there
/// is no accuracy or no such `N`.
///
/// ```
/// use trainlab::lessons::honest::samples_behind;
/// assert_eq!(samples_behind(&[170.0 / 180.0, 171.0 / 180.0, 1.0 / 2.0]), Some(180));
/// assert_eq!(samples_behind(&[]), None);
/// ```
pub fn samples_behind(accuracies: &[f64]) -> Option<usize> {
    if accuracies.is_empty() {
        return None;
    }
    (1..=5000).find(|&n| {
        accuracies.iter().all(|a| {
            let k = a * n as f64;
            (k - k.round()).abs() < 1e-6
        })
    })
}

/// The loss cap for a comparison chart and a note naming the runs that leave it, or `(None,
/// None)` when every run fits.
pub fn loss_cap(runs: &[Run]) -> (Option<f64>, Option<String>) {
    let mut firsts: Vec<f64> = runs
        .iter()
        .filter_map(|r| r.history.epochs.first())
        .map(|e| f64::from(e.val_loss))
        .filter(|v| v.is_finite())
        .collect();
    if firsts.is_empty() {
        return (None, None);
    }
    firsts.sort_by(f64::total_cmp);
    let cap = 3.0 * firsts[firsts.len() / 2];
    let leaving: Vec<String> = runs
        .iter()
        .filter(|r| {
            matches!(r.history.outcome, Some(Outcome::Diverged { .. }))
                || r.history
                    .epochs
                    .iter()
                    .any(|e| !f64::from(e.val_loss).is_finite() || f64::from(e.val_loss) > cap)
        })
        .map(|r| match r.history.outcome {
            Some(Outcome::Diverged { step, .. }) => format!("{} (diverged at step {step})", r.name),
            _ => r.name.clone(),
        })
        .collect();
    if leaving.is_empty() {
        (None, None)
    } else {
        (
            Some(cap),
            Some(format!(
                "loss axis cut at {cap:.2}: {} goes off the chart",
                leaving.join(", ")
            )),
        )
    }
}

/// A note when the final validation accuracies of the runs differ by at most two validation
/// samples: then the chart shows noise, not a ranking.
pub fn noise_note(runs: &[Run]) -> Option<String> {
    let finals: Vec<f64> = runs.iter().filter_map(Run::final_val_accuracy).collect();
    if finals.len() < 2 {
        return None;
    }
    // every epoch's accuracy, not only the finals: two equal finals alone (176/180 = 44/45)
    // would give too small an N
    let all: Vec<f64> = runs
        .iter()
        .flat_map(|r| r.history.epochs.iter().filter_map(|e| e.val_accuracy))
        .collect();
    let n = samples_behind(&all)?;
    let hi = finals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = finals.iter().copied().fold(f64::INFINITY, f64::min);
    let samples = ((hi - lo) * n as f64).round() as usize;
    (samples <= 2).then(|| {
        format!(
            "final accuracies differ by {samples} of {n} validation samples (1 sample = {:.2} %): below the noise",
            100.0 / n as f64
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use trainlab_training::{EpochMetrics, History};

    fn run(name: &str, val_losses: &[f32], acc: f64) -> Run {
        let mut history = History::default();
        for (epoch, &val_loss) in val_losses.iter().enumerate() {
            history.epochs.push(EpochMetrics {
                epoch,
                step: epoch as u64 + 1,
                train_loss: val_loss,
                train_accuracy: Some(acc),
                val_loss,
                val_accuracy: Some(acc),
                lr: 0.1,
                seconds: 0.0,
            });
        }
        Run {
            name: name.into(),
            history,
        }
    }

    #[test]
    fn samples_behind_finds_the_validation_size() {
        // 180 validation digits: 0.95 = 171 / 180, 0.9611.. = 173 / 180
        assert_eq!(samples_behind(&[171.0 / 180.0, 173.0 / 180.0]), Some(180));
        assert_eq!(samples_behind(&[0.5]), Some(2));
    }

    #[test]
    fn a_run_far_above_the_others_is_cut_and_named() {
        let runs = [
            run("a", &[0.5, 0.3], 0.9),
            run("b", &[0.6, 0.4], 0.9),
            run("wild", &[0.7, 1e30], 0.1),
        ];
        let (cap, note) = loss_cap(&runs);
        // median first-epoch loss 0.6, times 3
        assert!((cap.unwrap() - 1.8).abs() < 1e-6);
        assert!(note.unwrap().contains("wild"));
        assert_eq!(loss_cap(&runs[..2]), (None, None));
    }

    #[test]
    fn one_sample_apart_is_noise_ten_are_not() {
        let close = [
            run("a", &[0.5], 170.0 / 180.0),
            run("b", &[0.5], 171.0 / 180.0),
        ];
        assert!(noise_note(&close).unwrap().contains("1 of 180"));
        // equal finals (176/180 = 44/45): the other epochs say N = 180
        let mut a = run("a", &[0.5, 0.4], 176.0 / 180.0);
        a.history.epochs[0].val_accuracy = Some(171.0 / 180.0);
        let equal = [a, run("b", &[0.5], 176.0 / 180.0)];
        assert!(
            noise_note(&equal).unwrap().contains("0 of 180"),
            "{:?}",
            noise_note(&equal)
        );
        let apart = [
            run("a", &[0.5], 160.0 / 180.0),
            run("b", &[0.5], 171.0 / 180.0),
        ];
        assert_eq!(noise_note(&apart), None);
    }
}
