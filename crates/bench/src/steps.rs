//! One optimizer step on flat slices, as PyTorch's `opt.step()` is timed against it.
//!
//! Each rule is built in PyTorch's form so both sides compute the same thing:
//! momentum `v = 0.9*v + g; theta -= 1e-3*v` (`torch.optim.SGD(lr=1e-3, momentum=0.9)`),
//! RMSProp `s = 0.9*s + 0.1*g*g; theta -= 1e-2*g/(sqrt(s)+1e-8)` (`RMSprop(lr=1e-2, alpha=0.9)`),
//! Adam `torch.optim.Adam(lr=1e-3)`.

use std::time::{Duration, Instant};

use trainlab_optimizers::{
    AdamConfig, Epsilon, MomentumConfig, Optimizer, RmsPropConfig, UpdateRule,
};

use crate::BenchError;

/// The update rules compared with PyTorch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// SGD with momentum 0.9.
    Momentum,
    /// RMSProp, `beta = 0.9`, epsilon outside the root.
    RmsProp,
    /// Adam, PyTorch's defaults.
    Adam,
}

impl std::str::FromStr for Rule {
    type Err = BenchError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "momentum" => Ok(Rule::Momentum),
            "rmsprop" => Ok(Rule::RmsProp),
            "adam" => Ok(Rule::Adam),
            _ => Err(BenchError::Argument {
                name: "RULE".into(),
                value: s.into(),
                expected: "momentum, rmsprop or adam".into(),
            }),
        }
    }
}

/// A deterministic pseudo-random vector in `[-1, 1)` (a small LCG: no generator needed).
pub fn filled(n: usize, seed: u32) -> Vec<f32> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 8) as f32 / (1u32 << 23) as f32 - 1.0
        })
        .collect()
}

fn time_rule<R: UpdateRule>(mut opt: Optimizer<R>, sizes: &[usize], calls: u32) -> Duration {
    let mut theta: Vec<Vec<f32>> = sizes.iter().map(|&n| filled(n, 1)).collect();
    let grads: Vec<Vec<f32>> = sizes.iter().map(|&n| filled(n, 2)).collect();
    let mut step = |opt: &mut Optimizer<R>| {
        opt.begin_step();
        for (slot, (theta, g)) in theta.iter_mut().zip(&grads).enumerate() {
            opt.update_slice(slot, theta, g);
        }
    };
    for _ in 0..3 {
        step(&mut opt); // allocates the state, warms the caches
    }
    let t = Instant::now();
    for _ in 0..calls {
        step(&mut opt);
    }
    t.elapsed() / calls.max(1)
}

/// Mean time of one step of `rule` over every tensor of `sizes` (one `update_slice` each),
/// after 3 warm-up steps.
pub fn step_time(rule: Rule, sizes: &[usize], calls: u32) -> Duration {
    const VALID: &str = "the benchmark's fixed hyperparameters are valid";
    match rule {
        Rule::Momentum => time_rule(
            MomentumConfig::pytorch().build().expect(VALID),
            sizes,
            calls,
        ),
        Rule::RmsProp => {
            let cfg = RmsPropConfig {
                beta: 0.9,
                epsilon: Epsilon::OutsideSqrt,
                ..RmsPropConfig::pytorch()
            };
            time_rule(cfg.build().expect(VALID), sizes, calls)
        }
        Rule::Adam => time_rule(AdamConfig::pytorch().build().expect(VALID), sizes, calls),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_stays_in_range_and_varies() {
        let v = filled(10_000, 3);
        assert!(v.iter().all(|x| (-1.0..1.0).contains(x)));
        let mean = v.iter().sum::<f32>() / v.len() as f32;
        assert!(mean.abs() < 0.05, "mean {mean}");
        assert_ne!(filled(4, 1), filled(4, 2));
    }

    #[test]
    fn rules_parse_by_name() {
        assert_eq!("adam".parse::<Rule>().unwrap(), Rule::Adam);
        assert!("sgd"
            .parse::<Rule>()
            .unwrap_err()
            .to_string()
            .contains("RULE"));
    }
}
