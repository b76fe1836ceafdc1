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

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "gallery".to_string()),
    );
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    save(&dir, "schedules", &schedules())?;
    Ok(())
}
