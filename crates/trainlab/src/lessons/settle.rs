//! Why decay helps, where it can be seen: SGD with noisy gradients (a minibatch gradient is the
//! true gradient plus noise) on the bowl `f(x, y) = x^2/20 + y^2`. A constant rate keeps
//! bouncing around the minimum at a height set by the rate and the noise; a decayed rate shrinks
//! the bounce and settles (notebook 02).
//!
//! ```text
//! g = grad f(theta) + sigma * N(0, I)          theta -= alpha(epoch) * g
//! epoch = step / steps_per_epoch               f recorded after every step
//! ```
//! With a constant `alpha` and small steps, the stationary mean of `f` grows about linearly in
//! `alpha * sigma^2` (the noise ball of SGD; e.g. Bottou, Curtis and Nocedal 2018, section 4).

use anyhow::{bail, Context, Result};
use trainlab_plots::{Chart, LearningCurves, Series, Svg};
use trainlab_schedules::{sequence, ScheduleConfig};

/// Seeded standard normal draws (SplitMix64 and Box-Muller): small and platform independent.
struct Normal(u64);

impl Normal {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn sample(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// `f` after every step of SGD with gradient noise `sigma`, from `(-8, 2)`, with the rate of
/// `schedule` from `alpha0`, changing once per `steps_per_epoch` steps, for `epochs` epochs.
/// The same seed gives the same noise, so two schedules see the same gradients.
pub fn noisy_bowl(
    schedule: &ScheduleConfig,
    alpha0: f64,
    epochs: usize,
    steps_per_epoch: usize,
    sigma: f64,
    seed: u64,
) -> Result<Vec<f64>> {
    if steps_per_epoch == 0 || epochs == 0 {
        bail!("epochs = {epochs}, steps_per_epoch = {steps_per_epoch}: expected both >= 1");
    }
    let s = schedule.build(alpha0 as _).context("the schedule")?;
    let rates: Vec<f64> = sequence(s.as_ref(), epochs)
        .into_iter()
        .map(f64::from)
        .collect();
    let mut noise = Normal(seed);
    let (mut x, mut y) = (-8.0f64, 2.0f64);
    let mut out = Vec::with_capacity(epochs * steps_per_epoch);
    for alpha in rates {
        for _ in 0..steps_per_epoch {
            let gx = x / 10.0 + sigma * noise.sample();
            let gy = 2.0 * y + sigma * noise.sample();
            x -= alpha * gx;
            y -= alpha * gy;
            out.push(x * x / 20.0 + y * y);
        }
    }
    Ok(out)
}

/// The runs' `f` per step on a log axis, x in epochs.
pub fn plot_noisy_bowl(runs: &[(&str, Vec<f64>)], steps_per_epoch: usize) -> Result<Svg> {
    let series = runs
        .iter()
        .map(|(name, f)| {
            let x = (1..=f.len())
                .map(|k| k as f64 / steps_per_epoch.max(1) as f64)
                .collect();
            let y = f.iter().map(|v| v.max(1e-12)).collect();
            Series::new(*name, x, y)
        })
        .collect();
    let mut chart = LearningCurves::new(
        "SGD with noisy gradients on x²/20 + y²: f after every step",
        series,
        vec![],
    );
    chart.log_loss = true;
    chart.loss_label = "f(x, y), log scale".to_string();
    Ok(chart.svg()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_noise_it_is_plain_sgd() {
        // sigma = 0, alpha = 0.1: y is multiplied by 1 - 2 alpha = 0.8 and x by 1 - alpha / 10 =
        // 0.99 each step (alpha passes through the schedule's f32)
        let constant: ScheduleConfig = toml::from_str("kind = \"constant\"").unwrap();
        let f = noisy_bowl(&constant, 0.1, 1, 2, 0.0, 0).unwrap();
        let a = f64::from(0.1f32);
        let (x, y) = (
            -8.0 * (1.0 - a / 10.0).powi(2),
            2.0 * (1.0 - 2.0 * a).powi(2),
        );
        assert!((f[1] - (x * x / 20.0 + y * y)).abs() < 1e-12);
    }

    #[test]
    fn decay_settles_lower_than_a_constant_rate() {
        let constant: ScheduleConfig = toml::from_str("kind = \"constant\"").unwrap();
        let decayed: ScheduleConfig =
            toml::from_str("kind = \"step_decay\"\ngamma = 0.3\nstep_size = 10").unwrap();
        let a = noisy_bowl(&constant, 0.3, 40, 50, 1.0, 1).unwrap();
        let b = noisy_bowl(&decayed, 0.3, 40, 50, 1.0, 1).unwrap();
        let tail = |v: &[f64]| v[v.len() - 200..].iter().sum::<f64>() / 200.0;
        assert!(tail(&b) < 0.1 * tail(&a), "{} vs {}", tail(&b), tail(&a));
    }
}
