//! Writes every chart of trainlab-plots as PNG and SVG into OUT_DIR (default `gallery`).
//!
//! `cargo run -p trainlab-plots --example gallery -- OUT_DIR`

use std::path::PathBuf;

use anyhow::Context;
use trainlab_plots::*;

fn save(dir: &std::path::Path, name: &str, chart: &dyn Chart) -> anyhow::Result<()> {
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

fn kfold() -> KFoldScores {
    KFoldScores::new(
        "5-fold cross-validation",
        "val accuracy",
        vec![0.942, 0.958, 0.931, f64::NAN, 0.949],
    )
}

fn confusion() -> ConfusionMatrix {
    let labels: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    let mut counts = vec![vec![0u64; 10]; 10];
    for (t, row) in counts.iter_mut().enumerate() {
        row[t] = 30 + (t as u64 * 7) % 9;
    }
    for (t, p, c) in [
        (8, 3, 4),
        (9, 4, 3),
        (1, 7, 2),
        (5, 6, 2),
        (3, 5, 3),
        (7, 9, 1),
        (8, 1, 5),
    ] {
        counts[t][p] += c;
    }
    ConfusionMatrix::new("Digits: confusion matrix (validation)", labels, counts)
}

/// Gradient descent with momentum `v = beta*v + g; theta -= alpha*v` (beta 0 is plain SGD),
/// RMSProp and Adam (epsilon inside the root, as in the lecture), written out here so the
/// example needs no other crate.
fn run(
    surface: Surface,
    start: (f64, f64),
    steps: usize,
    rule: &str,
    alpha: f64,
) -> Vec<(f64, f64)> {
    let mut theta = [start.0, start.1];
    let (mut v, mut s) = ([0.0f64; 2], [0.0f64; 2]);
    let (beta1, beta2, eps) = (0.9, 0.999, 1e-8);
    let mut path = vec![start];
    for t in 1..=steps {
        let g = surface.gradient(theta[0], theta[1]);
        let g = [g.0, g.1];
        for k in 0..2 {
            match rule {
                "momentum" => {
                    v[k] = 0.9 * v[k] + g[k];
                    theta[k] -= alpha * v[k];
                }
                "rmsprop" => {
                    s[k] = 0.9 * s[k] + 0.1 * g[k] * g[k];
                    theta[k] -= alpha * g[k] / (s[k] + eps).sqrt();
                }
                "adam" => {
                    v[k] = beta1 * v[k] + (1.0 - beta1) * g[k];
                    s[k] = beta2 * s[k] + (1.0 - beta2) * g[k] * g[k];
                    let m_hat = v[k] / (1.0 - beta1.powi(t as i32));
                    let v_hat = s[k] / (1.0 - beta2.powi(t as i32));
                    theta[k] -= alpha * m_hat / (v_hat + eps).sqrt();
                }
                _ => theta[k] -= alpha * g[k],
            }
        }
        path.push((theta[0], theta[1]));
    }
    path
}

fn valley() -> Trajectories {
    let start = (-9.0, 3.0);
    Trajectories::new(
        "Optimizers on the elongated valley",
        Surface::Valley,
        vec![
            Path::new(
                "SGD (alpha 0.9)",
                run(Surface::Valley, start, 40, "sgd", 0.9),
            ),
            Path::new(
                "momentum (alpha 0.1)",
                run(Surface::Valley, start, 40, "momentum", 0.1),
            ),
            Path::new(
                "RMSProp (alpha 0.5)",
                run(Surface::Valley, start, 40, "rmsprop", 0.5),
            ),
            Path::new(
                "Adam (alpha 0.8)",
                run(Surface::Valley, start, 40, "adam", 0.8),
            ),
        ],
    )
}

fn rosenbrock() -> Trajectories {
    let start = (-1.5, 2.0);
    let steps = 1500;
    let r = |rule, alpha| run(Surface::Rosenbrock, start, steps, rule, alpha);
    Trajectories::new(
        "Optimizers on Rosenbrock",
        Surface::Rosenbrock,
        vec![
            Path::new("SGD (alpha 5e-4)", r("sgd", 5e-4)),
            Path::new("momentum (alpha 1e-4)", r("momentum", 1e-4)),
            Path::new("RMSProp (alpha 2e-3)", r("rmsprop", 2e-3)),
            Path::new("Adam (alpha 0.02)", r("adam", 0.02)),
        ],
    )
}

/// 8x8 "digits" drawn from strokes: a ring for 0, a bar for 1, ...
fn images() -> ImageGrid {
    let glyph = |rows: [&str; 8]| -> GrayImage {
        let pixels = rows
            .iter()
            .flat_map(|r| {
                r.chars().map(|c| {
                    if c == '#' {
                        16.0
                    } else if c == '+' {
                        8.0
                    } else {
                        0.0
                    }
                })
            })
            .collect();
        GrayImage::new(8, 8, pixels)
    };
    let zero = glyph([
        "..###...", ".#...#..", "#.....#.", "#.....#.", "#.....#.", "#.....#.", ".#...#..",
        "..###...",
    ]);
    let one = glyph([
        "...#....", "..##....", ".#.#....", "...#....", "...#....", "...#....", "...#....",
        ".#####..",
    ]);
    let three = glyph([
        ".####...", "#....#..", ".....#..", "..###...", ".....#..", ".....#..", "#....#..",
        ".####...",
    ]);
    let eight = glyph([
        ".####...", "#....#..", "#....#..", ".####...", "#....#..", "#....#..", "#....#..",
        ".####...",
    ]);
    let seven = glyph([
        "######..", ".....#..", "....#...", "...#....", "..#+....", "..#.....", "..#.....",
        "..#.....",
    ]);
    let images = vec![
        eight.clone(),
        zero,
        one.clone(),
        seven.clone(),
        three,
        eight,
        one,
        seven,
    ];
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    ImageGrid::classification(
        "Validation samples: input, prediction, truth",
        4,
        images,
        s(&["3", "0", "1", "1", "3", "8", "7", "7"]),
        s(&["8", "0", "1", "7", "3", "8", "1", "7"]),
    )
    .expect("lengths match")
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
    save(&dir, "kfold", &kfold())?;
    save(&dir, "confusion", &confusion())?;
    save(&dir, "trajectories_valley", &valley())?;
    save(&dir, "trajectories_rosenbrock", &rosenbrock())?;
    save(&dir, "image_grid", &images())?;
    Ok(())
}
