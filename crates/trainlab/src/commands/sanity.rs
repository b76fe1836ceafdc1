//! `trainlab sanity`: the initial-loss check and the overfitting ladder (1, 4, 10, 100, 1000).

use std::path::PathBuf;
use std::process::ExitCode;

use trainlab_training::{sanity_ladder, LossVerdict, SanityConfig};

use super::split::{load_config, Items};

#[derive(clap::Args, Debug)]
pub struct SanityArgs {
    /// The config file (TOML): its model and optimizer are used.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Subset sizes to overfit.
    #[arg(long, value_delimiter = ',', default_values_t = [1usize, 4, 10, 100, 1000])]
    pub sizes: Vec<usize>,
    /// Full-batch steps allowed per size.
    #[arg(long, default_value_t = 2000)]
    pub max_iterations: usize,
    /// Print the result as JSON instead of the table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: SanityArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let plan = config.plan()?;
    let data = plan.data();
    let sanity = SanityConfig {
        sizes: args.sizes.clone(),
        max_iterations: args.max_iterations,
        ..SanityConfig::default()
    };
    let items = Items::new(sanity.sizes.len(), "sizes");
    let report = sanity_ladder(&config, &data.train, &data.val, &sanity, &mut |r| {
        items.done(&format!(
            "{} samples: train accuracy {:.1}% after {} iterations",
            r.n,
            r.train_accuracy * 100.0,
            r.iterations
        ))
    })?;
    items.finish();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let i = &report.initial;
    println!(
        "initial loss: {:.4}, expected ln({}) = {:.4} (tolerance {:.0}%): {}",
        i.loss,
        i.n_classes,
        i.expected,
        i.tolerance * 100.0,
        match i.verdict {
            LossVerdict::Ok => "ok",
            LossVerdict::TooHigh => "TOO HIGH (initial weights too large?)",
            LossVerdict::TooLow => "TOO LOW (a label leak? softmax applied twice?)",
        }
    );
    println!("overfitting ladder:");
    println!("  samples  train acc  iterations  val acc");
    for r in &report.ladder {
        println!(
            "  {:>7}  {:>8.1}%  {:>10}  {:>6}{}",
            r.n,
            r.train_accuracy * 100.0,
            r.iterations,
            r.val_accuracy
                .map_or("-".into(), |a| format!("{:.1}%", a * 100.0)),
            if r.reached_100 {
                ""
            } else {
                "  (did not reach 100%)"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
