//! Adam on a large flat parameter set (16M f32 by default; first argument overrides) with
//! `Optimizer::update_slice`: bytes per step, achieved bandwidth, and the share of a plain
//! memory copy's bandwidth measured alternately in the same run. Goal: at least 60%.
//!
//! Run: `cargo bench -p trainlab-bench --bench memory_bound [-- N]`

use trainlab_bench::memory::{adam_vs_copy, ADAM_BYTES_PER_PARAM, COPY_BYTES_PER_ELEMENT};

fn main() {
    let n = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(16 * 1024 * 1024);
    let rounds = 11;
    let m = adam_vs_copy(n, rounds);
    println!("Adam on {n} f32 parameters, one thread, median of {rounds} alternating rounds");
    println!(
        "  bytes per step: Adam {:.0} MB ({ADAM_BYTES_PER_PARAM} B/param), copy {:.0} MB ({COPY_BYTES_PER_ELEMENT} B/element)",
        (ADAM_BYTES_PER_PARAM * n) as f64 / 1e6,
        (COPY_BYTES_PER_ELEMENT * n) as f64 / 1e6
    );
    println!(
        "  copy_from_slice     {:>8.2} ms  {:>6.2} GB/s",
        m.copy.as_secs_f64() * 1e3,
        m.copy_gb_per_s()
    );
    println!(
        "  Adam update_slice   {:>8.2} ms  {:>6.2} GB/s  {:.0}% of copy bandwidth (goal >= 60%)",
        m.adam.as_secs_f64() * 1e3,
        m.adam_gb_per_s(),
        100.0 * m.share_of_copy()
    );
}
