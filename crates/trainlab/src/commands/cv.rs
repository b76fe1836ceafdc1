//! `trainlab cv`: k-fold cross-validation of a config on train + val (never the sealed test set).

use std::path::PathBuf;
use std::process::ExitCode;

use trainlab_training::{cross_validate_config, CvConfig};

use super::split::{load_config, Items};

#[derive(clap::Args, Debug)]
pub struct CvArgs {
    /// The config file (TOML). Without it, the defaults.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Keep each class's share in every fold.
    #[arg(long)]
    pub stratified: bool,
    /// Override `train.epochs`.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Print the result as JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Where to draw the per-fold scores with their mean (.png or .svg).
    #[arg(long, default_value = "cv.png")]
    pub plot: PathBuf,
}

pub fn run(args: CvArgs) -> anyhow::Result<ExitCode> {
    super::chart_format(&args.plot)?;
    let mut config = load_config(args.config.as_deref())?;
    if let Some(e) = args.epochs {
        config.train.epochs = e;
    }
    config.validate()?;
    let cv = CvConfig {
        k: args.k,
        stratified: args.stratified,
    };
    let items = Items::new(args.k, "folds");
    let report = cross_validate_config(&config, &cv, &mut |f| {
        items.done(&format!(
            "fold {}/{}: score {:.4}",
            f.fold + 1,
            args.k,
            f.score
        ))
    })?;
    items.finish();
    let chart = trainlab_plots::KFoldScores::new(
        format!("{}-fold cross-validation", args.k),
        report.metric.clone(),
        report.folds.iter().map(|f| f.score).collect(),
    );
    super::save_chart(&chart, &args.plot)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}-fold{} cross-validation on {} development samples ({} sealed test samples left out)",
        args.k,
        if args.stratified { " stratified" } else { "" },
        report.n_dev,
        report.n_test_excluded
    );
    println!("fold  n_train  n_val  {}", report.metric);
    for f in &report.folds {
        println!(
            "{:>4}  {:>7}  {:>5}  {:.4}",
            f.fold + 1,
            f.n_train,
            f.n_val,
            f.score
        );
    }
    println!(
        "mean {:.4}  std {:.4}  ({})",
        report.summary.mean, report.summary.std, report.metric
    );
    Ok(ExitCode::SUCCESS)
}
