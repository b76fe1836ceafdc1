//! Writes every chart of trainlab-plots as PNG and SVG into OUT_DIR (default `gallery`).
//!
//! `cargo run -p trainlab-plots --example gallery -- OUT_DIR`

use std::path::{Path, PathBuf};

use anyhow::Context;
use trainlab_plots::*;

fn save(dir: &Path, name: &str, chart: &dyn Chart) -> anyhow::Result<()> {
    let size = chart.default_size();
    let png = dir.join(format!("{name}.png"));
    save_png(chart, &png, size).with_context(|| format!("chart {name}"))?;
    save_svg(chart, &dir.join(format!("{name}.svg")), size)
        .with_context(|| format!("chart {name}"))?;
    println!("wrote {}", png.display());
    Ok(())
}

fn schedules() -> LrSchedules {
    let steps: Vec<f64> = (0..=300).map(f64::from).collect();
    let alpha0 = 0.1;
    let step: Vec<f64> = steps
        .iter()
        .map(|t| alpha0 * 0.5f64.powi((t / 100.0) as i32))
        .collect();
    let exp: Vec<f64> = steps.iter().map(|t| alpha0 * (-0.01 * t).exp()).collect();
    let inv: Vec<f64> = steps.iter().map(|t| alpha0 / (1.0 + 0.02 * t)).collect();
    let cosine: Vec<f64> = steps
        .iter()
        .map(|t| {
            let warm = 30.0;
            if *t < warm {
                alpha0 * (t + 1.0) / warm
            } else {
                0.5 * alpha0 * (1.0 + (std::f64::consts::PI * (t - warm) / (300.0 - warm)).cos())
                    + 1e-4
            }
        })
        .collect();
    let mut chart = LrSchedules::new(
        "Learning-rate schedules",
        vec![
            Series::new("step decay (x0.5 every 100)", steps.clone(), step),
            Series::new("exponential (k = 0.01)", steps.clone(), exp),
            Series::new("1/t (k = 0.02)", steps.clone(), inv),
            Series::new("warmup + cosine", steps, cosine),
        ],
    )
    .with_log_y(true);
    chart.marks.push(Mark::at(30.0, "end of warmup"));
    chart
}

/// A plausible overfitting run: train loss keeps falling, val loss turns up after epoch ~14.
fn curves() -> LearningCurves {
    let epochs: Vec<f64> = (1..=30).map(f64::from).collect();
    let train_loss: Vec<f64> = epochs
        .iter()
        .map(|e| 2.0 * (-0.15 * e).exp() + 0.05)
        .collect();
    let val_loss: Vec<f64> = epochs
        .iter()
        .map(|e| 2.0 * (-0.15 * e).exp() + 0.25 + 0.002 * (e - 14.0).max(0.0).powi(2))
        .collect();
    let train_acc: Vec<f64> = train_loss.iter().map(|l| 1.0 - 0.45 * l).collect();
    let val_acc: Vec<f64> = val_loss.iter().map(|l| 1.0 - 0.5 * l).collect();
    LearningCurves::train_val(
        "Digits MLP: learning curves",
        epochs,
        train_loss,
        val_loss,
        train_acc,
        val_acc,
    )
    .with_mark(Mark::at(24.0, "early stop (patience 5)"))
}

fn lr_finder() -> LrFinderCurve {
    let lrs: Vec<f64> = (0..100)
        .map(|t| 1e-6 * 10f64.powf(t as f64 / 14.0))
        .collect();
    let losses: Vec<f64> = lrs
        .iter()
        .enumerate()
        .map(|(i, lr)| {
            let noise = 0.04 * ((i * 7919 % 13) as f64 / 13.0 - 0.5);
            let base = 2.3 - 1.6 / (1.0 + (-(lr.log10() + 3.0) * 2.0).exp());
            let blow = if *lr > 0.3 { (lr * 10.0).powi(2) } else { 0.0 };
            let v = base + blow + noise;
            if *lr > 50.0 {
                f64::INFINITY
            } else {
                v
            }
        })
        .collect();
    let mut smoothed = Vec::with_capacity(losses.len());
    let mut avg = 0.0;
    for (t, l) in losses.iter().enumerate() {
        avg = 0.9 * avg + 0.1 * l;
        smoothed.push(avg / (1.0 - 0.9f64.powi(t as i32 + 1)));
    }
    LrFinderCurve::new("Learning-rate finder", lrs, losses)
        .with_smoothed(smoothed)
        .with_suggestion(1.5e-3)
}

fn search() -> SearchResults {
    let mut trials = Vec::new();
    let mut state = 12345u64;
    let mut uniform = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..40 {
        let lr = 10f64.powf(-5.0 + 5.0 * uniform());
        let wd = 10f64.powf(-6.0 + 4.0 * uniform());
        let metric = if lr > 0.5 {
            f64::NAN
        } else {
            0.97 - 0.02 * (lr.log10() + 2.0).powi(2) - 0.01 * (wd.log10() + 4.0).powi(2) / 4.0
                + 0.01 * uniform()
        };
        trials.push(Trial {
            lr,
            weight_decay: wd,
            metric,
        });
    }
    SearchResults::new("Random search: 40 trials", "val accuracy", trials)
}

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "gallery".to_string()),
    );
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    save(&dir, "schedules", &schedules())?;
    save(&dir, "curves", &curves())?;
    save(&dir, "lr_finder", &lr_finder())?;
    save(&dir, "search", &search())?;
    Ok(())
}
