//! The sanity ladder on the digits.

use trainlab_training::{sanity_ladder, LossVerdict, SanityConfig, TrainConfig};

#[test]
fn ladder_on_digits() {
    let config = TrainConfig::default();
    let plan = config.plan().unwrap();
    let data = plan.data();
    let sanity = SanityConfig {
        sizes: vec![1, 4, 10, 100, 1000],
        ..SanityConfig::default()
    };
    let mut heard = Vec::new();
    let r = sanity_ladder(&config, &data.train, &data.val, &sanity, &mut |rung| {
        heard.push(rung.n)
    })
    .unwrap();
    // untrained loss: within 10% of ln 10 = 2.302585
    assert_eq!(r.initial.n_classes, 10);
    assert!((r.initial.expected - 10f64.ln()).abs() < 1e-12);
    assert_eq!(r.initial.verdict, LossVerdict::Ok, "{:?}", r.initial);
    assert!((r.initial.loss - 10f64.ln()).abs() <= 0.1 * 10f64.ln());
    assert_eq!(heard, vec![1, 4, 10, 100, 1000]);
    // every size is memorised within the bound
    for rung in &r.ladder {
        assert!(rung.reached_100, "{rung:?}");
        assert_eq!(rung.train_accuracy, 1.0);
    }
    assert!(r.ladder[0].iterations <= 20, "{:?}", r.ladder[0]);
    // one sample cannot generalise; a thousand do
    let val = |i: usize| r.ladder[i].val_accuracy.unwrap();
    assert!(val(0) <= 0.2, "1 sample: {}", val(0));
    assert!(val(4) >= 0.85, "1000 samples: {}", val(4));
    assert!(val(4) > val(2) && val(2) > val(0));
}
