//! `trainlab lr-find`: the learning-rate range test, and the lecture's four-rate recipe.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use trainlab_training::{
    lr_range_test, lr_recipe, LrFinderConfig, LrFinderResult, LrRecipeConfig, LrRecipeResult,
};

use super::split::{load_config, Items};

#[derive(clap::Args, Debug)]
pub struct LrFindArgs {
    /// The config file (TOML): its model, optimizer and batch size are used.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// The first rate of the range test.
    #[arg(long, default_value_t = 1e-7)]
    pub start_lr: f64,
    /// The last rate of the range test.
    #[arg(long, default_value_t = 10.0)]
    pub end_lr: f64,
    /// Iterations of the range test.
    #[arg(long, default_value_t = 100)]
    pub iterations: usize,
    /// Also run the lecture's recipe: 1e-1, 1e-2, 1e-3, 1e-4 for 100 iterations each.
    #[arg(long)]
    pub recipe: bool,
    /// Print the result as JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Where to draw the loss against the learning rate, with the suggestion (.png or .svg).
    #[arg(long, default_value = "lr_find.png")]
    pub plot: PathBuf,
}

#[derive(Debug, Serialize)]
struct LrFindResult {
    range_test: LrFinderResult,
    recipe: Option<LrRecipeResult>,
}

pub fn run(args: LrFindArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let finder = LrFinderConfig {
        start_lr: args.start_lr,
        end_lr: args.end_lr,
        iterations: args.iterations,
        ..LrFinderConfig::default()
    };
    finder.validate()?;
    let (train, val) = config.plan()?.data().clone_splits();
    let items = Items::new(1 + usize::from(args.recipe), "tests");
    let range_test = lr_range_test(&config, train.clone(), val, &finder)?;
    items.done(&format!(
        "range test: {} iterations",
        range_test.points.len()
    ));
    let recipe = if args.recipe {
        let r = lr_recipe(&config, &train, &LrRecipeConfig::default())?;
        items.done("recipe: 4 rates");
        Some(r)
    } else {
        None
    };
    items.finish();
    let result = LrFindResult { range_test, recipe };
    let points = &result.range_test.points;
    let mut chart = trainlab_plots::LrFinderCurve::new(
        "Learning-rate range test",
        points.iter().map(|p| p.lr).collect(),
        points.iter().map(|p| p.loss).collect(),
    )
    .with_smoothed(points.iter().map(|p| p.smoothed).collect());
    if let Some(s) = result.range_test.suggestion {
        chart = chart.with_suggestion(s);
    }
    super::save_chart(&chart, &args.plot)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(ExitCode::SUCCESS);
    }
    let r = &result.range_test;
    println!(
        "range test: {} iterations from {:.1e} to {:.1e}",
        r.points.len(),
        args.start_lr,
        args.end_lr
    );
    println!("        lr      loss  smoothed");
    let step = (r.points.len() / 20).max(1);
    for (i, p) in r.points.iter().enumerate() {
        if i % step == 0 || i + 1 == r.points.len() {
            println!("{:>10.3e}  {:>8.4}  {:>8.4}", p.lr, p.loss, p.smoothed);
        }
    }
    if r.stopped_early {
        println!("stopped early: the smoothed loss passed 4x its best");
    }
    match r.suggestion {
        Some(lr) => {
            println!("suggested learning rate: {lr:.3e} (steepest descent of the smoothed loss)")
        }
        None => println!("no suggestion: too few points"),
    }
    if let Some(rec) = &result.recipe {
        println!(
            "\nlecture recipe (100 iterations each, weight decay 1e-4; significant = >= 10% drop):"
        );
        println!("        lr  initial     final    drop  verdict");
        for t in &rec.ranked {
            println!(
                "{:>10.0e}  {:>7.4}  {:>8}  {:>6}  {:?}",
                t.lr,
                t.initial_loss,
                t.final_loss.map_or("-".into(), |l| format!("{l:.4}")),
                t.relative_drop
                    .map_or("-".into(), |d| format!("{:.1}%", d * 100.0)),
                t.verdict
            );
        }
        match rec.best {
            Some(lr) => println!("best rate of the recipe: {lr:.0e}"),
            None => println!("no rate made the loss drop significantly"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
