//! Diagnose a training log (CSV or a Hugging Face trainer_state.json):
//! `cargo run -p trainlab-diagnosis --example diagnose_csv -- FILE [--json]`.

use std::path::PathBuf;

use anyhow::Context;
use trainlab_diagnosis::{diagnose, report, to_json, Curves, Thresholds};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path: PathBuf = args
        .next()
        .context("usage: diagnose_csv FILE [--json]")?
        .into();
    let json = args.next().as_deref() == Some("--json");
    let curves = Curves::from_file(&path)?;
    for w in &curves.warnings {
        eprintln!("warning: {w}");
    }
    let verdicts = diagnose(&curves, &Thresholds::default());
    if json {
        println!("{}", to_json(&verdicts));
    } else {
        print!("{}", report(&verdicts));
    }
    Ok(())
}
