//! Hidden tests of exercise 06 (never released).

use ex06_random_search::random_search;
use trainlab_exercise_harness::graded;
use trainlab_validation::search::{random, Dimension, SearchSpace};

fn space(toml: &str) -> SearchSpace {
    SearchSpace::from_toml_str(toml).expect("a valid space")
}

#[test]
fn p2_every_integer_and_every_choice_is_reached() {
    // -2..=4 has 7 integers and there are 3 choices: 2000 draws reach each (a miss has
    // probability below 2000 * (6/7)^2000, about 1e-131).
    graded(|| {
        let s = space(
            "[space.c]\nkind = \"choice\"\nvalues = [\"a\", 2, 3.5]\n\
             [space.i]\nkind = \"int_range\"\nlow = -2\nhigh = 4\n",
        );
        let trials = random_search(s.dims(), 2000, 3);
        let mut ints = std::collections::BTreeSet::new();
        let mut choices = std::collections::BTreeSet::new();
        for t in &trials {
            choices.insert(t[0].1.to_string());
            ints.insert(t[1].1.as_integer().expect("an integer"));
        }
        assert_eq!(ints, (-2..=4).collect(), "high is included, low too");
        assert_eq!(choices.len(), 3, "{choices:?}");
    });
}

#[test]
fn p2_log_uniform_over_six_decades() {
    // 1e-5 .. 1e1: 6 decades, 1000 of 6000 draws expected in each (std ~ 29; 880..1120 is
    // more than 4 std). A uniform over the range would put ~90% above 1.
    graded(|| {
        let s = space("[space.lr]\nkind = \"log_uniform\"\nlow = 1e-5\nhigh = 10.0\n");
        let mut buckets = [0usize; 6];
        for t in random_search(s.dims(), 6000, 2024) {
            let lr = t[0].1.as_float().expect("a float");
            assert!((1e-5..=10.0).contains(&lr), "{lr}");
            buckets[(lr.log10() + 5.0).floor().clamp(0.0, 5.0) as usize] += 1;
        }
        assert!(
            buckets.iter().all(|c| (880..=1120).contains(c)),
            "{buckets:?}"
        );
    });
}

#[test]
fn p1_uniform_has_the_middle_as_its_mean() {
    // uniform(0.8, 0.99): mean 0.895, std 0.19 / sqrt(12) ~ 0.055; the mean of 4000 draws is
    // within 0.004 (~4.6 standard errors) of 0.895.
    graded(|| {
        let dims = [(
            "beta".to_string(),
            Dimension::Uniform {
                low: 0.8,
                high: 0.99,
            },
        )];
        let trials = random_search(&dims, 4000, 5);
        let mean = trials
            .iter()
            .map(|t| t[0].1.as_float().expect("a float"))
            .sum::<f64>()
            / 4000.0;
        assert!((mean - 0.895).abs() < 0.004, "mean {mean}");
    });
}

#[test]
fn p1_matches_the_reference_on_other_seeds() {
    graded(|| {
        let s = space(
            "[space.\"optimizer.alpha\"]\nkind = \"log_uniform\"\nlow = 1e-4\nhigh = 1e-1\n\
             [space.\"model.width\"]\nkind = \"choice\"\nvalues = [32, 64, 128]\n\
             [space.\"model.depth\"]\nkind = \"int_range\"\nlow = 0\nhigh = 3\n\
             [space.\"optimizer.beta1\"]\nkind = \"uniform\"\nlow = 0.5\nhigh = 0.99\n",
        );
        for seed in [1, 123, u64::MAX] {
            let (got, expected) = (random_search(s.dims(), 30, seed), random(&s, 30, seed));
            assert_eq!(got.len(), expected.len());
            for (g, e) in got.iter().zip(&expected) {
                for ((gk, gv), (ek, ev)) in g.iter().zip(e) {
                    assert_eq!(gk, ek);
                    match (gv.as_float(), ev.as_float()) {
                        (Some(a), Some(b)) => {
                            assert!((a - b).abs() <= 1e-9 * b.abs(), "{gk}: {a} != {b}")
                        }
                        _ => assert_eq!(gv, ev, "seed {seed}, {gk}"),
                    }
                }
            }
        }
    });
}
