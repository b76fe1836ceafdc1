//! The trainlab side of the optimizer-step comparisons with PyTorch
//! (`scripts/bench/torch_vs_trainlab.py`); each command prints one JSON line.
//!
//! ```text
//! bench_optim step RULE SIZES CALLS   mean seconds of one step of RULE (momentum, rmsprop, adam)
//!                                     over tensors of SIZES (comma-separated): {"seconds": ..}
//! bench_optim memory N ROUNDS         Adam on N params against a copy of N f32, medians of ROUNDS
//!                                     alternating runs: {"adam_seconds": .., "copy_seconds": ..}
//! ```

use trainlab_bench::memory::adam_vs_copy;
use trainlab_bench::steps::{step_time, Rule};
use trainlab_bench::BenchError;

fn number<T: std::str::FromStr>(args: &[String], i: usize, name: &str) -> Result<T, BenchError> {
    let value = args.get(i).cloned().unwrap_or_default();
    value.parse().map_err(|_| BenchError::Argument {
        name: name.into(),
        value,
        expected: "a whole number".into(),
    })
}

fn run() -> Result<(), BenchError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("step") => {
            let rule: Rule = args.get(1).cloned().unwrap_or_default().parse()?;
            let sizes = args
                .get(2)
                .cloned()
                .unwrap_or_default()
                .split(',')
                .map(|s| {
                    s.parse::<usize>().map_err(|_| BenchError::Argument {
                        name: "SIZES".into(),
                        value: s.into(),
                        expected: "comma-separated tensor sizes, e.g. 8192,128".into(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let calls: u32 = number(&args, 3, "CALLS")?;
            let t = step_time(rule, &sizes, calls);
            println!("{}", serde_json::json!({"seconds": t.as_secs_f64()}));
        }
        Some("memory") => {
            let m = adam_vs_copy(number(&args, 1, "N")?, number(&args, 2, "ROUNDS")?);
            println!(
                "{}",
                serde_json::json!({
                    "adam_seconds": m.adam.as_secs_f64(),
                    "copy_seconds": m.copy.as_secs_f64(),
                })
            );
        }
        other => {
            return Err(BenchError::Argument {
                name: "command".into(),
                value: other.unwrap_or("").into(),
                expected: "`step RULE SIZES CALLS` or `memory N ROUNDS`".into(),
            })
        }
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench_optim: {e}");
        std::process::exit(2);
    }
}
