//! The range test and the lecture's recipe on the digits.

use trainlab_training::{
    find_lr, lr_range_test, lr_recipe, LrFinderConfig, LrRecipeConfig, RateVerdict, TrainConfig,
};

fn digits_config() -> TrainConfig {
    TrainConfig::default() // digits, MLP 64-128-10, Adam
}

#[test]
fn suggestion_on_digits_is_in_a_sane_range() {
    let r = find_lr(&digits_config(), &LrFinderConfig::default()).unwrap();
    let lr = r.suggestion.expect("a suggestion");
    assert!((1e-4..=1.0).contains(&lr), "suggested {lr:e}");
    // the smoothed loss blows up before 10 with Adam on the digits: the test stops early
    assert!(r.stopped_early, "ran all {} points", r.points.len());
    let last = r.points.last().unwrap();
    let (_, best) = r.best.unwrap();
    assert!(
        last.smoothed.is_nan() || last.smoothed > 4.0 * best,
        "stopped at {last:?}, best {best}"
    );
    // rates grow strictly
    assert!(r.points.windows(2).all(|w| w[1].lr > w[0].lr));
}

#[test]
fn the_sweep_is_the_rate_each_step_used() {
    // the trainer hands the rule the schedule's rate: each point's rate is lr(i), as f32
    let config = digits_config();
    let (train, val) = config.plan().unwrap().data().clone_splits();
    let finder = LrFinderConfig {
        iterations: 30,
        ..LrFinderConfig::default()
    };
    let r = lr_range_test(&config, train, val, &finder).unwrap();
    assert!(r.points.len() > 1);
    for (i, p) in r.points.iter().enumerate() {
        assert_eq!(p.lr, f64::from(finder.lr(i) as f32), "point {i}");
    }
}

#[test]
fn lecture_recipe_ranks_the_rates_with_sgd() {
    // Plain SGD on the digits, 100 iterations per rate, weight decay 1e-4: the lecture's setting.
    let config: TrainConfig = toml::from_str("[optimizer]\nkind = \"sgd\"\nalpha = 0.01").unwrap();
    let plan = config.plan().unwrap();
    let r = lr_recipe(&config, &plan.data().train, &LrRecipeConfig::default()).unwrap();
    assert_eq!(r.ranked.len(), 4);
    let by_lr = |lr: f64| r.ranked.iter().find(|t| t.lr == lr).unwrap();
    // larger steps make more progress in 100 SGD iterations, up to 1e-1 on standardised digits
    let finals: Vec<f64> = [1e-1, 1e-2, 1e-3, 1e-4]
        .iter()
        .map(|&lr| by_lr(lr).final_loss.unwrap())
        .collect();
    assert!(finals.windows(2).all(|w| w[0] < w[1]), "{finals:?}");
    assert_eq!(r.best, Some(1e-1));
    assert_eq!(by_lr(1e-1).verdict, RateVerdict::Drops);
    assert_eq!(by_lr(1e-4).verdict, RateVerdict::TooSlow);
    // every row starts from the same init: the same initial loss
    assert!(r
        .ranked
        .iter()
        .all(|t| t.initial_loss == r.ranked[0].initial_loss));
    // ranked by final loss
    let ranked: Vec<f64> = r.ranked.iter().map(|t| t.final_loss.unwrap()).collect();
    assert!(ranked.windows(2).all(|w| w[0] <= w[1]));
}
