//! Benchmarks of trainlab against PyTorch, dfdx 0.13 and the machine's memory bandwidth
//! (issue 8). The benches live in `benches/`, the PyTorch side in `scripts/bench/`.
#![warn(missing_docs)]
