//! What training costs as the work grows: seconds per epoch of the default trainer (digits,
//! Adam, batch 32, one hidden ReLU layer) as the hidden width grows (64 .. 1024) and as the
//! training data grows (the digits' training split repeated 1x, 4x, 16x).
//!
//! Run: `cargo bench -p trainlab-bench --bench scaling` (RAYON_NUM_THREADS picks dfdx's threads)

use trainlab_bench::median_f64;
use trainlab_data::{Dataset, Target};
use trainlab_training::{TrainConfig, Trainer};

const EPOCHS: usize = 3;
const RUNS: usize = 3;

fn repeated(d: &Dataset, times: usize) -> Dataset {
    let Target::Classes { labels, n_classes } = &d.target else {
        unreachable!("the digits have class labels");
    };
    Dataset::new(
        format!("{} x{times}", d.name),
        d.features.repeat(times),
        d.n_features,
        Target::Classes {
            labels: labels.repeat(times),
            n_classes: *n_classes,
        },
    )
    .expect("repeating rows keeps a valid data set")
}

fn seconds_per_epoch(config: &TrainConfig, train: &Dataset, val: &Dataset) -> f64 {
    median_f64(
        (0..RUNS)
            .map(|_| {
                let plan = config
                    .plan_on(train.clone(), val.clone())
                    .expect("the config is valid");
                let t = Trainer::new(plan).run(&mut []).expect("the config trains");
                t.report.timings.seconds_per_epoch
            })
            .collect(),
    )
}

fn main() {
    let mut config = TrainConfig::default();
    config.train.epochs = EPOCHS;
    let plan = config.plan().expect("the digits load");
    let data = plan.data();
    println!("Seconds per epoch of the default trainer, median of {RUNS} runs of {EPOCHS} epochs");
    println!(
        "(columns: training rows; each epoch also evaluates the {} validation rows)",
        data.val.len()
    );
    let times = [1, 4, 16];
    let sets: Vec<Dataset> = times.iter().map(|&t| repeated(&data.train, t)).collect();
    print!("| hidden width | params |");
    for (t, s) in times.iter().zip(&sets) {
        print!(" {t}x ({} rows) |", s.len());
    }
    println!(" 16x / 1x |");
    println!("|---|---|---|---|---|---|");
    let mut first_col = Vec::new();
    for width in [64, 128, 256, 512, 1024] {
        config.model.width = width;
        let params = 64 * width + width + width * 10 + 10;
        print!("| {width} | {params} |");
        let row: Vec<f64> = sets
            .iter()
            .map(|s| seconds_per_epoch(&config, s, &data.val))
            .collect();
        for s in &row {
            print!(" {s:.4} s |");
        }
        println!(" {:.1}x |", row[2] / row[0]);
        first_col.push(row[0]);
    }
    println!(
        "width 1024 / width 64 at 1x: {:.1}x time for {:.1}x parameters",
        first_col[4] / first_col[0],
        (64.0 * 1024.0 + 1024.0 + 10240.0 + 10.0) / (64.0 * 64.0 + 64.0 + 640.0 + 10.0)
    );
}
