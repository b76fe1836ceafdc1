//! Benchmarks of trainlab against PyTorch, dfdx 0.13 and the machine's memory bandwidth
//! (issue 8). Not part of the tests: a benchmark is a `cargo bench` target or a script.
//!
//! | where | what |
//! |---|---|
//! | `src/bin/bench_mlp.rs` | exports the digits split as CSV; trains trainlab's MLP on it and prints JSON (driven by `scripts/bench/torch_vs_trainlab.py`) |
//! | `src/bin/bench_optim.rs` | one optimizer step of momentum, RMSProp, Adam on flat slices, and Adam against a memory copy on 16M parameters, as JSON (driven by the same script) |
//! | `benches/memory_bound.rs` | Adam on 16M parameters: bytes per step, GB/s, ratio to a memory copy |
//! | `benches/vs_dfdx.rs` | the lecture Adam, momentum and RMSProp against dfdx 0.13's own optimizers |
//! | `benches/scaling.rs` | seconds per epoch as the hidden width and the data grow |
//!
//! This library holds what they share: medians of interleaved measurements.
//!
//! ```
//! use std::time::Duration;
//! use trainlab_bench::median;
//!
//! let m = median(vec![Duration::from_millis(3), Duration::from_millis(1), Duration::from_millis(2)]);
//! assert_eq!(m, Duration::from_millis(2));
//! ```
#![warn(missing_docs)]

pub mod digits_mlp;
mod error;
pub mod limits;
pub mod memory;
pub mod steps;
mod timing;

pub use error::BenchError;
pub use timing::{interleave, median, median_f64, time_per_call};
