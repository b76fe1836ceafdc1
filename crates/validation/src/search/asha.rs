//! Asynchronous successive halving (ASHA): train many trials briefly, continue only the best
//! share of them at each rung.
//!
//! ```text
//! r  = grace_period, eta = reduction_factor, R = max_epochs
//! budgets  b_k = r * eta^k  for every k with r * eta^k < R, then R itself  (r=1, eta=3, R=27: 1, 3, 9, 27)
//! rung k   a trial that completed b_k epochs reports its score s (higher is better) to rung k;
//!          competing = the scores already at rung k, plus s          (n = competing.len())
//!          i = max(floor(n / eta) - 1, 0)
//!          promoted  <=>  s >= the i-th largest of competing         (a NaN score is pruned)
//!          promoted: the trial continues to b_{k+1}; pruned: it stops at b_k
//! the last budget R has no decision: the trial is complete
//! ```
//!
//! This is Optuna's `SuccessiveHalvingPruner` (`optuna/pruners/_successive_halving.py`,
//! `_is_trial_promotable_to_next_rung`, with `min_resource = r`, `min_early_stopping_rate = 0`,
//! `bootstrap_count = 0`, direction maximize): the promotion step of rung k is
//! `min_resource * reduction_factor ** k`, a NaN value is pruned, and while fewer than `eta`
//! trials reached the rung (`i` would be -1) only a trial as good as the best so far continues.
//! Ray Tune's `ASHAScheduler` (`AsyncHyperBandScheduler`, one bracket) stops the same way at the
//! milestones `grace_period * reduction_factor ** k` below `max_t`, with a cutoff of the
//! `(1 - 1/reduction_factor)` percentile of the scores recorded before the trial's own, so its
//! cutoffs differ slightly from Optuna's for small rungs. Both follow Li et al., "A System for
//! Massively Parallel Hyperparameter Tuning" (MLSys 2020, arXiv:1810.05934): a trial is never
//! paused to wait for a promotion, which is what makes the algorithm asynchronous. A promoted
//! trial simply keeps training; nothing restarts.

use crate::ValidationError;

/// The three numbers of ASHA (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AshaConfig {
    /// Epochs every trial trains before its first rung (`r`, Ray's `grace_period`, Optuna's
    /// `min_resource`). Default: 1.
    pub grace_period: usize,
    /// `eta`: about 1 in `eta` trials continues at each rung. Default: 3.
    pub reduction_factor: usize,
    /// Epochs of a trial that is never pruned (`R`, Ray's `max_t`). Default: 27.
    pub max_epochs: usize,
}

impl Default for AshaConfig {
    fn default() -> Self {
        Self {
            grace_period: 1,
            reduction_factor: 3,
            max_epochs: 27,
        }
    }
}

impl AshaConfig {
    /// Checks every field; the error names the field (`search.grace_period`, ...).
    ///
    /// ```
    /// use trainlab_validation::search::AshaConfig;
    /// let bad = AshaConfig { reduction_factor: 1, ..Default::default() };
    /// assert!(bad.validate().unwrap_err().to_string().contains("search.reduction_factor"));
    /// ```
    pub fn validate(&self) -> Result<(), ValidationError> {
        let bad = |field: &'static str, value: usize, expected: String| {
            Err(ValidationError::Asha {
                field,
                value,
                expected,
            })
        };
        if self.grace_period == 0 {
            return bad("search.grace_period", 0, "at least 1 epoch".into());
        }
        if self.reduction_factor < 2 {
            return bad(
                "search.reduction_factor",
                self.reduction_factor,
                "at least 2 (1 would never prune)".into(),
            );
        }
        if self.max_epochs < self.grace_period {
            return bad(
                "search.max_epochs",
                self.max_epochs,
                format!("at least grace_period = {}", self.grace_period),
            );
        }
        Ok(())
    }

    /// The epoch budgets of the rungs, the last one `max_epochs` (see the module docs).
    ///
    /// ```
    /// use trainlab_validation::search::AshaConfig;
    /// assert_eq!(AshaConfig::default().budgets(), vec![1, 3, 9, 27]);
    /// let c = AshaConfig { grace_period: 2, reduction_factor: 2, max_epochs: 20 };
    /// assert_eq!(c.budgets(), vec![2, 4, 8, 16, 20]);
    /// ```
    pub fn budgets(&self) -> Vec<usize> {
        let mut budgets = Vec::new();
        let mut b = self.grace_period.max(1);
        while b < self.max_epochs {
            budgets.push(b);
            b = b.saturating_mul(self.reduction_factor.max(2));
        }
        budgets.push(self.max_epochs);
        budgets
    }

    /// The rung whose decision falls after `epochs` completed epochs, if any: `Some(k)` when
    /// `epochs` is the budget of rung `k` and not the last budget.
    pub fn rung_at(&self, epochs: usize) -> Option<usize> {
        let budgets = self.budgets();
        budgets[..budgets.len() - 1]
            .iter()
            .position(|&b| b == epochs)
    }
}

/// Whether a trial with `score` continues past a rung where `others` are the scores already
/// recorded (see the module docs; higher is better, NaN is pruned).
///
/// ```
/// use trainlab_validation::search::promoted;
/// assert!(promoted(0.5, &[], 3));          // the first trial at a rung continues
/// assert!(!promoted(0.4, &[0.5], 3));      // fewer than eta: only the best so far
/// assert!(promoted(0.58, &[0.5, 0.4, 0.6, 0.55, 0.3], 3)); // 6 / 3 = 2: the top two continue
/// ```
pub fn promoted(score: f64, others: &[f64], reduction_factor: usize) -> bool {
    if score.is_nan() {
        return false;
    }
    let mut competing: Vec<f64> = others.iter().copied().filter(|s| !s.is_nan()).collect();
    competing.push(score);
    competing.sort_by(|a, b| b.total_cmp(a)); // best first
    let i = (competing.len() / reduction_factor.max(1)).saturating_sub(1);
    score >= competing[i]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores arrive at rung 0 one trial after the other; each decision by hand, with
    /// eta = 3 (i = max(floor(n/3) - 1, 0); promoted iff s >= the i-th best of the n scores).
    #[test]
    fn rung_zero_decisions_hand_derived() {
        let scores = [0.50, 0.40, 0.60, 0.55, 0.30, 0.58, 0.70, 0.20, 0.65];
        // n=1 i=0 best {0.50}                       0.50 >= 0.50 promoted
        // n=2 i=0 best 0.50                          0.40 <  0.50 pruned
        // n=3 i=0 best 0.60                          0.60 >= 0.60 promoted
        // n=4 i=0 best 0.60                          0.55 <  0.60 pruned
        // n=5 i=0 best 0.60                          0.30 pruned
        // n=6 i=1 sorted .60 .58 .55 .50 .40 .30     0.58 >= 0.58 promoted
        // n=7 i=1 sorted .70 .60 ...                 0.70 >= 0.60 promoted
        // n=8 i=1 second 0.60                        0.20 pruned
        // n=9 i=2 sorted .70 .65 .60 ...             0.65 >= 0.60 promoted
        let expected = [true, false, true, false, false, true, true, false, true];
        for (n, (&s, &want)) in scores.iter().zip(&expected).enumerate() {
            assert_eq!(
                promoted(s, &scores[..n], 3),
                want,
                "trial {n} with score {s} after {:?}",
                &scores[..n]
            );
        }
    }

    /// The whole ladder for eta = 3, grace 1, max 27 (budgets 1, 3, 9, 27): nine trials whose
    /// score at every rung is their rung-0 score (a trial's rank does not change as it trains).
    /// Rung 0 is the test above: trials 0, 2, 5, 6, 8 reach 3 epochs.
    /// Rung 1 (arrival order 0, 2, 5, 6, 8 with 0.50, 0.60, 0.58, 0.70, 0.65):
    ///   0.50 n=1 promoted; 0.60 n=2 best promoted; 0.58 n=3 i=0 best .60 pruned;
    ///   0.70 n=4 i=0 promoted; 0.65 n=5 i=0 best .70 pruned       -> 0, 2, 6 reach 9 epochs
    /// Rung 2 (0.50, 0.60, 0.70): 0.50 promoted; 0.60 promoted; 0.70 n=3 i=0 promoted
    ///                                                              -> 0, 2, 6 complete 27 epochs
    /// Epochs: 9*1 + 5*(3-1) + 3*(9-3) + 3*(27-9) = 9 + 10 + 18 + 54 = 91, against 9*27 = 243.
    #[test]
    fn the_ladder_for_1_3_9_27_hand_derived() {
        let asha = AshaConfig::default();
        assert_eq!(asha.budgets(), [1, 3, 9, 27]);
        assert_eq!(
            (0..=27).filter_map(|e| asha.rung_at(e)).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert_eq!(asha.rung_at(3), Some(1));
        assert_eq!(asha.rung_at(27), None, "the last budget has no decision");
        let scores = [0.50, 0.40, 0.60, 0.55, 0.30, 0.58, 0.70, 0.20, 0.65];
        let budgets = asha.budgets();
        let mut rungs: Vec<Vec<f64>> = vec![Vec::new(); budgets.len()];
        let mut reached = Vec::new(); // epochs trained per trial
        let mut alive: Vec<usize> = (0..scores.len()).collect();
        let mut stopped_at = vec![0usize; scores.len()];
        for (k, &b) in budgets.iter().enumerate() {
            let mut next = Vec::new();
            for &t in &alive {
                stopped_at[t] = b;
                if k + 1 == budgets.len() {
                    continue;
                }
                if promoted(scores[t], &rungs[k], asha.reduction_factor) {
                    next.push(t);
                }
                rungs[k].push(scores[t]);
            }
            reached.push(alive.clone());
            alive = next;
        }
        assert_eq!(
            reached,
            [
                vec![0, 1, 2, 3, 4, 5, 6, 7, 8],
                vec![0, 2, 5, 6, 8],
                vec![0, 2, 6],
                vec![0, 2, 6]
            ]
        );
        assert_eq!(stopped_at.iter().sum::<usize>(), 91);
    }

    #[test]
    fn nan_is_pruned_and_ignored_among_others() {
        assert!(!promoted(f64::NAN, &[], 3));
        assert!(promoted(0.1, &[f64::NAN, f64::NAN], 3));
    }

    #[test]
    fn every_bad_field_is_named() {
        let cases = [
            (
                AshaConfig {
                    grace_period: 0,
                    ..Default::default()
                },
                "search.grace_period",
            ),
            (
                AshaConfig {
                    reduction_factor: 1,
                    ..Default::default()
                },
                "search.reduction_factor",
            ),
            (
                AshaConfig {
                    grace_period: 5,
                    max_epochs: 4,
                    ..Default::default()
                },
                "search.max_epochs",
            ),
        ];
        for (config, field) in cases {
            let msg = config.validate().unwrap_err().to_string();
            assert!(msg.contains(field), "{msg}");
        }
        assert!(AshaConfig::default().validate().is_ok());
        let one = AshaConfig {
            grace_period: 4,
            max_epochs: 4,
            ..Default::default()
        };
        assert_eq!(one.budgets(), [4], "grace = max: no rung, plain training");
    }
}
