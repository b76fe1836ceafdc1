//! Diagnose a learning-curve CSV: `cargo run -p trainlab-diagnosis --example diagnose_csv -- FILE.csv [--json]`.

use std::path::PathBuf;

use anyhow::Context;
use trainlab_diagnosis::{diagnose, report, to_json, Curves, Thresholds};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path: PathBuf = args
        .next()
        .context("usage: diagnose_csv FILE.csv [--json]")?
        .into();
    let json = args.next().as_deref() == Some("--json");
    let curves = Curves::from_csv(&path)?;
    let verdicts = diagnose(&curves, &Thresholds::default());
    if json {
        println!("{}", to_json(&verdicts));
    } else {
        print!("{}", report(&verdicts));
    }
    Ok(())
}
