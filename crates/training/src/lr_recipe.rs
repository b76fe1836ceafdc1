//! The lecture's simple way to find a learning rate ("Find a Good Learning Rate"): try a few
//! rates for 100 iterations each, from the same initial weights with a small weight decay, and
//! see which makes the loss drop significantly.
//!
//! ```text
//! for alpha in [1e-1, 1e-2, 1e-3, 1e-4]:
//!   model  = the same fresh init (config.seed); optimizer = config's rule with alpha and
//!            L2 weight decay lambda = 1e-4 (grad += lambda * theta)
//!   L0     = mean loss over the whole training split before
//!   run 100 minibatch iterations (config's batch size and seeded order)
//!   L1     = mean loss over the whole training split after
//!   drop   = (L0 - L1) / L0
//!   verdict = diverged    if a minibatch loss was NaN/inf, or L1 > L0 (the loss went up)
//!             drops       if drop >= 0.10                  ("significantly": 10% relative)
//!             too_slow    otherwise
//! ranking: by L1, lowest first, diverged rates last; best = the first rate that drops
//! ```
//!
//! PyTorch has no such routine; in PyTorch one would loop over `SGD(lr=..., weight_decay=1e-4)`
//! by hand. The threshold and the definition of "diverged" are this crate's choice, stated here.

use serde::{Deserialize, Serialize};
use trainlab_data::Dataset;
use trainlab_optimizers::WeightDecay;

use crate::trainer::evaluate;
use crate::{Progress, TrainConfig, TrainError, Trainer};

/// Settings of the recipe. `Default` is the lecture's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LrRecipeConfig {
    /// The rates to try. Default: `[1e-1, 1e-2, 1e-3, 1e-4]`.
    pub rates: Vec<f64>,
    /// Iterations per rate. Default: 100.
    pub iterations: usize,
    /// L2 weight decay used for every rate (replaces the config's). Default: 1e-4.
    pub weight_decay: f32,
    /// The relative drop `(L0 - L1) / L0` that counts as significant. Default: 0.10.
    pub significant_drop: f64,
}

impl Default for LrRecipeConfig {
    fn default() -> Self {
        Self {
            rates: vec![1e-1, 1e-2, 1e-3, 1e-4],
            iterations: 100,
            weight_decay: 1e-4,
            significant_drop: 0.10,
        }
    }
}

/// What one rate did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateVerdict {
    /// The loss dropped by at least `significant_drop`.
    Drops,
    /// The loss fell, but by less than `significant_drop`.
    TooSlow,
    /// The loss went up or stopped being finite.
    Diverged,
}

/// One rate's numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateTrial {
    /// The rate.
    pub lr: f64,
    /// Training-split loss before (`L0`).
    pub initial_loss: f64,
    /// Training-split loss after (`L1`); `None` when a minibatch loss was not finite.
    pub final_loss: Option<f64>,
    /// `(L0 - L1) / L0`.
    pub relative_drop: Option<f64>,
    /// Iterations run (fewer than asked when it diverged).
    pub iterations: usize,
    /// The verdict.
    pub verdict: RateVerdict,
}

/// The recipe's outcome: rates ranked best first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LrRecipeResult {
    /// Every rate, ranked: lowest final loss first, diverged last.
    pub ranked: Vec<RateTrial>,
    /// The best rate whose loss dropped significantly.
    pub best: Option<f64>,
}

/// Runs the recipe on `train` with `config`'s model, optimizer rule and batch size.
pub fn lr_recipe(
    config: &TrainConfig,
    train: &Dataset,
    recipe: &LrRecipeConfig,
) -> Result<LrRecipeResult, TrainError> {
    if recipe.rates.is_empty() || recipe.rates.iter().any(|r| !(*r > 0.0 && r.is_finite())) {
        return Err(TrainError::InvalidConfig {
            key: "lr_recipe.rates".into(),
            value: format!("{:?}", recipe.rates),
            expected: "at least one finite rate > 0".into(),
        });
    }
    let mut ranked = Vec::with_capacity(recipe.rates.len());
    for &lr in &recipe.rates {
        // the same fresh model for every rate, a constant rate, `iterations` minibatches
        let mut c = config.clone();
        c.optimizer = c.optimizer.with_alpha(lr as f32);
        c.schedule = trainlab_schedules::ScheduleConfig::default();
        c.train.epochs = recipe.iterations.max(1);
        c.train.early_stopping = None;
        let plan = c
            .plan_on(train.clone(), train.subset(&[]))?
            .with_weight_decay(WeightDecay::L2(recipe.weight_decay))?;
        let mut trainer = Trainer::new(plan);
        let initial_loss = f64::from(evaluate(trainer.model(), train, 0).0);
        let mut iterations = 0;
        let mut finite = true;
        while iterations < recipe.iterations {
            let progress = trainer.step(&mut [])?;
            iterations += 1;
            if let Progress::Finished(crate::Outcome::Diverged { .. }) = progress {
                finite = false;
                break;
            }
        }
        let final_loss = finite
            .then(|| f64::from(evaluate(trainer.model(), train, 0).0))
            .filter(|l| l.is_finite());
        let relative_drop = final_loss.map(|l1| (initial_loss - l1) / initial_loss);
        let verdict = match (final_loss, relative_drop) {
            (Some(l1), Some(drop)) if l1 <= initial_loss => {
                if drop >= recipe.significant_drop {
                    RateVerdict::Drops
                } else {
                    RateVerdict::TooSlow
                }
            }
            _ => RateVerdict::Diverged,
        };
        ranked.push(RateTrial {
            lr,
            initial_loss,
            final_loss,
            relative_drop,
            iterations,
            verdict,
        });
    }
    ranked.sort_by(|a, b| {
        let key = |t: &RateTrial| match t.verdict {
            RateVerdict::Diverged => f64::INFINITY,
            _ => t.final_loss.unwrap_or(f64::INFINITY),
        };
        key(a).total_cmp(&key(b))
    });
    let best = ranked
        .iter()
        .find(|t| t.verdict == RateVerdict::Drops)
        .map(|t| t.lr);
    Ok(LrRecipeResult { ranked, best })
}

#[cfg(test)]
mod tests {
    use super::*;
    use trainlab_data::synthetic::two_moons;

    #[test]
    fn huge_rate_diverges_and_tiny_rate_is_too_slow() {
        // plain SGD: 1e4 blows the weights up; 1e-9 barely moves them in 20 iterations
        let config: TrainConfig =
            toml::from_str("[optimizer]\nkind = \"sgd\"\nalpha = 0.1").unwrap();
        let data = two_moons(200, 0.1, 0);
        let recipe = LrRecipeConfig {
            rates: vec![1e-9, 1e4, 0.5],
            iterations: 20,
            ..LrRecipeConfig::default()
        };
        let r = lr_recipe(&config, &data, &recipe).unwrap();
        let verdict = |lr: f64| r.ranked.iter().find(|t| t.lr == lr).unwrap().verdict;
        assert_eq!(verdict(1e4), RateVerdict::Diverged);
        assert_eq!(verdict(1e-9), RateVerdict::TooSlow);
        assert_eq!(verdict(0.5), RateVerdict::Drops);
        assert_eq!(r.best, Some(0.5));
        assert_eq!(r.ranked.last().unwrap().lr, 1e4, "diverged ranks last");
    }

    #[test]
    fn empty_rates_are_an_error() {
        let recipe = LrRecipeConfig {
            rates: vec![],
            ..LrRecipeConfig::default()
        };
        let err = lr_recipe(&TrainConfig::default(), &two_moons(20, 0.1, 0), &recipe)
            .unwrap_err()
            .to_string();
        assert!(err.contains("lr_recipe.rates"), "{err}");
    }
}
