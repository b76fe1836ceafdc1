//! The machine's limits as JSON lines, for `scripts/bench/torch_vs_trainlab.py`'s cost model.
//!
//! ```text
//! bench_limits matmul M K N ROUNDS   one (M x K) * (K x N) matmul through dfdx's kernel in rayon
//!                                    pools of 1 and 2 threads, interleaved, medians:
//!                                    {"seconds_1": .., "seconds_2": .., "gflops_1": .., "gflops_2": ..}
//! bench_limits triad N ROUNDS        a STREAM triad over N f32 in pools of 1 and 2 threads:
//!                                    {"seconds_1": .., "seconds_2": .., "gbs_1": .., "gbs_2": ..}
//! ```

use std::time::Duration;

use trainlab_bench::limits::{
    gb_per_s, matmul_flops, matmul_time, pool, triad_time, TRIAD_BYTES_PER_ELEMENT,
};
use trainlab_bench::{median, BenchError};

fn number(args: &[String], i: usize, name: &str) -> Result<usize, BenchError> {
    let value = args.get(i).cloned().unwrap_or_default();
    value.parse().map_err(|_| BenchError::Argument {
        name: name.into(),
        value,
        expected: "a whole number".into(),
    })
}

/// Medians of `f(pool of 1)` and `f(pool of 2)`, alternating for `rounds` rounds.
fn one_and_two(rounds: usize, f: impl Fn(&rayon::ThreadPool) -> Duration) -> [Duration; 2] {
    let pools = [pool(1), pool(2)];
    let mut seen = [Vec::new(), Vec::new()];
    for _ in 0..rounds.max(1) {
        for (p, s) in pools.iter().zip(seen.iter_mut()) {
            s.push(f(p));
        }
    }
    seen.map(median)
}

fn run() -> Result<(), BenchError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("matmul") => {
            let (m, k, n) = (
                number(&args, 1, "M")?,
                number(&args, 2, "K")?,
                number(&args, 3, "N")?,
            );
            let rounds = number(&args, 4, "ROUNDS")?;
            let [t1, t2] = one_and_two(rounds, |p| matmul_time(p, m, k, n, 3));
            let gflops = |t: Duration| matmul_flops(m, k, n) / t.as_secs_f64() / 1e9;
            println!(
                "{}",
                serde_json::json!({
                    "seconds_1": t1.as_secs_f64(), "seconds_2": t2.as_secs_f64(),
                    "gflops_1": gflops(t1), "gflops_2": gflops(t2),
                })
            );
        }
        Some("triad") => {
            let n = number(&args, 1, "N")?;
            let rounds = number(&args, 2, "ROUNDS")?;
            let [t1, t2] = one_and_two(rounds, |p| triad_time(p, n, 3));
            let bytes = (TRIAD_BYTES_PER_ELEMENT * n) as f64;
            println!(
                "{}",
                serde_json::json!({
                    "seconds_1": t1.as_secs_f64(), "seconds_2": t2.as_secs_f64(),
                    "gbs_1": gb_per_s(bytes, t1), "gbs_2": gb_per_s(bytes, t2),
                })
            );
        }
        other => {
            return Err(BenchError::Argument {
                name: "command".into(),
                value: other.unwrap_or("").into(),
                expected: "`matmul M K N ROUNDS` or `triad N ROUNDS`".into(),
            })
        }
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench_limits: {e}");
        std::process::exit(2);
    }
}
