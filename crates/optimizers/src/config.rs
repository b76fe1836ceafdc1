//! [`OptimizerConfig`]: the optimizer chosen at run time, e.g. from a TOML `[optimizer]` table.
//!
//! ```toml
//! [optimizer]
//! kind = "adam"          # sgd | momentum | rmsprop | adam | adamw
//! alpha = 0.001
//! epsilon = "outside_sqrt"
//! ```
//! Unknown keys are rejected, naming the key.

use serde::{Deserialize, Serialize};

use crate::error::OptimError;
use crate::rule::{weight_decay_from, UpdateRule};
use crate::{
    Adam, AdamConfig, Momentum, MomentumConfig, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig,
};

/// Which optimizer, with its hyperparameters.
///
/// ```
/// use trainlab_optimizers::OptimizerConfig;
/// let cfg: OptimizerConfig = toml::from_str("kind = \"momentum\"\nalpha = 0.05\nnesterov = true").unwrap();
/// let opt = cfg.build().unwrap();
/// assert_eq!(opt.rule().name(), "nesterov");
/// assert_eq!(opt.alpha(), 0.05);
/// assert!(toml::from_str::<OptimizerConfig>("kind = \"adam\"\nalpha = 0.01\nbogus = 1").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OptimizerConfig {
    /// Plain SGD (`kind = "sgd"`).
    Sgd(SgdConfig),
    /// SGD with momentum or Nesterov (`kind = "momentum"`).
    Momentum(MomentumConfig),
    /// RMSProp (`kind = "rmsprop"`).
    #[serde(rename = "rmsprop")]
    RmsProp(RmsPropConfig),
    /// Adam (`kind = "adam"`).
    Adam(AdamConfig),
    /// Adam with decoupled weight decay (`kind = "adamw"`); `decoupled_weight_decay` is forced on.
    #[serde(rename = "adamw")]
    AdamW(AdamConfig),
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig::Adam(AdamConfig::default())
    }
}

impl OptimizerConfig {
    /// Validate and build the optimizer, its rule boxed so that every kind has one type.
    pub fn build(&self) -> Result<Optimizer<Box<dyn UpdateRule>>, OptimError> {
        let (rule, lambda, decoupled): (Box<dyn UpdateRule>, f32, bool) = match *self {
            OptimizerConfig::Sgd(c) => (
                Box::new(Sgd::new(c)?),
                c.weight_decay,
                c.decoupled_weight_decay,
            ),
            OptimizerConfig::Momentum(c) => (
                Box::new(Momentum::new(c)?),
                c.weight_decay,
                c.decoupled_weight_decay,
            ),
            OptimizerConfig::RmsProp(c) => (
                Box::new(RmsProp::new(c)?),
                c.weight_decay,
                c.decoupled_weight_decay,
            ),
            OptimizerConfig::Adam(c) => (
                Box::new(Adam::new(c)?),
                c.weight_decay,
                c.decoupled_weight_decay,
            ),
            OptimizerConfig::AdamW(c) => (Box::new(Adam::new(c)?), c.weight_decay, true),
        };
        Optimizer::new(rule).with_weight_decay(weight_decay_from(lambda, decoupled))
    }

    /// The configured learning rate.
    pub fn alpha(&self) -> f32 {
        match self {
            OptimizerConfig::Sgd(c) => c.alpha,
            OptimizerConfig::Momentum(c) => c.alpha,
            OptimizerConfig::RmsProp(c) => c.alpha,
            OptimizerConfig::Adam(c) | OptimizerConfig::AdamW(c) => c.alpha,
        }
    }

    /// The `kind` string: `"sgd"`, `"momentum"`, `"rmsprop"`, `"adam"` or `"adamw"`.
    pub fn kind(&self) -> &'static str {
        match self {
            OptimizerConfig::Sgd(_) => "sgd",
            OptimizerConfig::Momentum(_) => "momentum",
            OptimizerConfig::RmsProp(_) => "rmsprop",
            OptimizerConfig::Adam(_) => "adam",
            OptimizerConfig::AdamW(_) => "adamw",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WeightDecay;

    #[test]
    fn unknown_key_is_rejected_by_name() {
        let err = toml::from_str::<OptimizerConfig>("kind = \"adam\"\nalpha = 0.01\nbogus = 1")
            .unwrap_err();
        assert!(err.to_string().contains("bogus"), "{err}");
    }

    #[test]
    fn every_kind_parses_and_round_trips() {
        for kind in ["sgd", "momentum", "rmsprop", "adam", "adamw"] {
            let cfg: OptimizerConfig =
                toml::from_str(&format!("kind = \"{kind}\"\nalpha = 0.5")).unwrap();
            assert_eq!(cfg.kind(), kind);
            assert_eq!(cfg.alpha(), 0.5);
            let text = toml::to_string(&cfg).unwrap();
            assert_eq!(
                toml::from_str::<OptimizerConfig>(&text).unwrap(),
                cfg,
                "{text}"
            );
        }
    }

    #[test]
    fn adamw_forces_decoupled_decay() {
        let cfg: OptimizerConfig = toml::from_str("kind = \"adamw\"\nweight_decay = 0.01").unwrap();
        assert_eq!(
            cfg.build().unwrap().weight_decay(),
            WeightDecay::Decoupled(0.01)
        );
        let cfg: OptimizerConfig = toml::from_str("kind = \"adam\"\nweight_decay = 0.01").unwrap();
        assert_eq!(cfg.build().unwrap().weight_decay(), WeightDecay::L2(0.01));
    }

    #[test]
    fn invalid_values_are_errors_naming_the_field() {
        let cfg: OptimizerConfig = toml::from_str("kind = \"adam\"\nbeta2 = 1.0").unwrap();
        assert!(cfg.build().unwrap_err().to_string().contains("`beta2`"));
        assert!(toml::from_str::<OptimizerConfig>("kind = \"lbfgs\"").is_err());
    }

    #[test]
    fn default_is_adam() {
        assert_eq!(
            OptimizerConfig::default().build().unwrap().rule().name(),
            "adam"
        );
    }
}
