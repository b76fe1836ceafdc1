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
use crate::rule::{optimizer_from, UpdateRule};
use crate::{
    Adam, AdamConfig, Momentum, MomentumConfig, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig,
};

/// Which optimizer, with its hyperparameters.
///
/// The lecture-named kinds default to the lecture's forms (epsilon inside the square root);
/// `adamw`, named after PyTorch's class, defaults like `torch.optim.AdamW()`: decoupled
/// `weight_decay = 0.01` and epsilon outside the root ([`AdamConfig::pytorch_adamw`]).
///
/// ```
/// use trainlab_optimizers::{OptimizerConfig, UpdateRule, WeightDecay};
/// let cfg: OptimizerConfig = toml::from_str("kind = \"momentum\"\nalpha = 0.05\nnesterov = true").unwrap();
/// let opt = cfg.build().unwrap();
/// assert_eq!(opt.rule().name(), "nesterov");
/// assert_eq!(opt.alpha(), 0.05);
/// assert!(toml::from_str::<OptimizerConfig>("kind = \"adam\"\nalpha = 0.01\nbogus = 1").is_err());
/// let adamw: OptimizerConfig = toml::from_str("kind = \"adamw\"").unwrap();
/// assert_eq!(adamw.build().unwrap().weight_decay(), WeightDecay::Decoupled(0.01));
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
    /// Adam (`kind = "adam"`), the lecture's form by default.
    Adam(AdamConfig),
    /// AdamW (`kind = "adamw"`): Adam with decoupled weight decay, PyTorch's defaults.
    #[serde(rename = "adamw")]
    AdamW(AdamWConfig),
}

/// Hyperparameters of `kind = "adamw"`: [`AdamConfig`] with decoupled weight decay always on and
/// PyTorch's `AdamW` defaults for every key left out.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdamWConfig {
    /// Learning rate. Default: 1e-3.
    pub alpha: f32,
    /// Decay of the gradient average `m`, in `[0, 1)`. Default: 0.9.
    pub beta1: f32,
    /// Decay of the squared-gradient average `v`, in `[0, 1)`. Default: 0.999.
    pub beta2: f32,
    /// Added to the denominator for stability, `> 0`. Default: 1e-8.
    pub eps: f32,
    /// Where `eps` goes. Default: outside the square root (PyTorch).
    pub epsilon: crate::Epsilon,
    /// Decoupled weight decay `lambda`: `theta *= 1 - alpha * lambda` each step. Default: 0.01.
    pub weight_decay: f32,
}

impl Default for AdamWConfig {
    fn default() -> Self {
        let c = AdamConfig::pytorch_adamw();
        Self {
            alpha: c.alpha,
            beta1: c.beta1,
            beta2: c.beta2,
            eps: c.eps,
            epsilon: c.epsilon,
            weight_decay: c.weight_decay,
        }
    }
}

impl AdamWConfig {
    /// The same as an [`AdamConfig`] with `decoupled_weight_decay = true`.
    pub fn to_adam(&self) -> AdamConfig {
        AdamConfig {
            alpha: self.alpha,
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
            epsilon: self.epsilon,
            weight_decay: self.weight_decay,
            decoupled_weight_decay: true,
        }
    }
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig::Adam(AdamConfig::default())
    }
}

impl OptimizerConfig {
    /// Validate and build the optimizer at the config's `alpha`, its rule boxed so that every
    /// kind has one type.
    pub fn build(&self) -> Result<Optimizer<Box<dyn UpdateRule>>, OptimError> {
        let (rule, alpha, lambda, decoupled): (Box<dyn UpdateRule>, f32, f32, bool) = match self {
            OptimizerConfig::Sgd(c) => (
                Box::new(Sgd),
                c.alpha,
                c.weight_decay,
                c.decoupled_weight_decay,
            ),
            OptimizerConfig::Momentum(c) => (
                Box::new(Momentum::new(c)?),
                c.alpha,
                c.weight_decay,
                c.decoupled_weight_decay,
            ),
            OptimizerConfig::RmsProp(c) => (
                Box::new(RmsProp::new(c)?),
                c.alpha,
                c.weight_decay,
                c.decoupled_weight_decay,
            ),
            OptimizerConfig::Adam(c) => (
                Box::new(Adam::new(c)?),
                c.alpha,
                c.weight_decay,
                c.decoupled_weight_decay,
            ),
            OptimizerConfig::AdamW(c) => (
                Box::new(Adam::new(&c.to_adam())?),
                c.alpha,
                c.weight_decay,
                true,
            ),
        };
        optimizer_from(rule, alpha, lambda, decoupled)
    }

    /// The configured learning rate (the schedule's starting point).
    pub fn alpha(&self) -> f32 {
        match self {
            OptimizerConfig::Sgd(c) => c.alpha,
            OptimizerConfig::Momentum(c) => c.alpha,
            OptimizerConfig::RmsProp(c) => c.alpha,
            OptimizerConfig::Adam(c) => c.alpha,
            OptimizerConfig::AdamW(c) => c.alpha,
        }
    }

    /// The same config with another learning rate (what a search or the LR finder varies).
    pub fn with_alpha(mut self, alpha: f32) -> Self {
        match &mut self {
            OptimizerConfig::Sgd(c) => c.alpha = alpha,
            OptimizerConfig::Momentum(c) => c.alpha = alpha,
            OptimizerConfig::RmsProp(c) => c.alpha = alpha,
            OptimizerConfig::Adam(c) => c.alpha = alpha,
            OptimizerConfig::AdamW(c) => c.alpha = alpha,
        }
        self
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
        let cfg: OptimizerConfig = toml::from_str("kind = \"adamw\"\nweight_decay = 0.1").unwrap();
        assert_eq!(
            cfg.build().unwrap().weight_decay(),
            WeightDecay::Decoupled(0.1)
        );
        // torch.optim.AdamW() defaults: lr=1e-3, weight_decay=1e-2, eps=1e-8 added outside the root
        let cfg: OptimizerConfig = toml::from_str("kind = \"adamw\"").unwrap();
        let OptimizerConfig::AdamW(c) = cfg else {
            panic!("adamw parses as AdamW")
        };
        assert_eq!((c.alpha, c.weight_decay), (1e-3, 1e-2));
        assert_eq!(c.epsilon, crate::Epsilon::OutsideSqrt);
        assert!(toml::from_str::<OptimizerConfig>(
            "kind = \"adamw\"\ndecoupled_weight_decay = false"
        )
        .is_err());
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
