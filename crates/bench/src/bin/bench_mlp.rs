//! The trainlab side of the MLP comparison with PyTorch (`scripts/bench/torch_vs_trainlab.py`).
//!
//! ```text
//! bench_mlp export DIR          writes DIR/train.csv and DIR/val.csv: the default digits split,
//!                               standardised as the trainer sees it (label, then 64 features)
//! bench_mlp train [EPOCHS] [CONFIG]
//!                               the bare trainer (no run directory, no checkpoints, no
//!                               TensorBoard) on CONFIG (a `trainlab train` TOML, as is; default:
//!                               the default MLP 64-128-10, batch 32, with Adam 1e-3 in PyTorch's
//!                               epsilon form) for EPOCHS epochs (default 20); one JSON line:
//!                               {"seconds_per_epoch": .., "val_accuracy": .., "epochs": ..,
//!                                "forward_backward_ms": .., "update_ms": .., "data_ms": .., "steps": ..}
//! ```
//! dfdx's matmul runs on rayon's global pool: set `RAYON_NUM_THREADS` to choose its threads
//! (the trainer's thread policy, `trainlab_training::threads`, decides which matmuls split).

/// The allocator `trainlab train` uses (its `main.rs` says why), so the bare trainer measures the
/// same training loop.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use trainlab_bench::BenchError;
use trainlab_data::{Dataset, Target};
use trainlab_optimizers::AdamConfig;
use trainlab_training::{OptimizerConfig, TrainConfig, Trainer};

fn config(epochs: usize, file: Option<&str>) -> Result<TrainConfig, BenchError> {
    let mut config = match file {
        Some(path) => TrainConfig::from_file(Path::new(path))?,
        None => TrainConfig {
            optimizer: OptimizerConfig::Adam(AdamConfig::pytorch()),
            ..TrainConfig::default()
        },
    };
    config.train.epochs = epochs;
    Ok(config)
}

fn write_csv(path: &Path, d: &Dataset) -> Result<(), BenchError> {
    let err = |source| BenchError::Write {
        path: path.to_path_buf(),
        source,
    };
    let Target::Classes { labels, .. } = &d.target else {
        unreachable!("the digits have class labels");
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(err)?);
    for (i, &label) in labels.iter().enumerate() {
        write!(out, "{label}").map_err(err)?;
        for x in d.row(i) {
            write!(out, ",{x}").map_err(err)?;
        }
        writeln!(out).map_err(err)?;
    }
    out.flush().map_err(err)
}

fn run() -> Result<(), BenchError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = |value: &str| BenchError::Argument {
        name: "command".into(),
        value: value.into(),
        expected: "`export DIR` or `train [EPOCHS] [CONFIG]`".into(),
    };
    match args.first().map(String::as_str) {
        Some("export") => {
            let dir = PathBuf::from(args.get(1).ok_or_else(|| usage("export"))?);
            std::fs::create_dir_all(&dir).map_err(|source| BenchError::Write {
                path: dir.clone(),
                source,
            })?;
            let plan = config(1, None)?.plan()?;
            let data = plan.data();
            write_csv(&dir.join("train.csv"), &data.train)?;
            write_csv(&dir.join("val.csv"), &data.val)?;
            println!(
                "{}",
                serde_json::json!({"n_train": data.train.len(), "n_val": data.val.len()})
            );
        }
        Some("train") => {
            let epochs = match args.get(1) {
                None => 20,
                Some(e) => e.parse().map_err(|_| BenchError::Argument {
                    name: "EPOCHS".into(),
                    value: e.clone(),
                    expected: "a whole number of epochs".into(),
                })?,
            };
            let plan = config(epochs, args.get(2).map(String::as_str))?.plan()?;
            let t = Instant::now();
            let trained = Trainer::new(plan).run(&mut [])?;
            let seconds = t.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({
                    "seconds_per_epoch": seconds / epochs as f64,
                    "val_accuracy": trained.report.final_val_accuracy,
                    "epochs": epochs,
                    "steps": trained.report.steps,
                    "forward_backward_ms": trained.report.timings.mean_forward_backward_ms,
                    "update_ms": trained.report.timings.mean_update_ms,
                    "data_ms": trained.report.timings.mean_data_ms,
                })
            );
        }
        other => return Err(usage(other.unwrap_or(""))),
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench_mlp: {e}");
        std::process::exit(2);
    }
}
