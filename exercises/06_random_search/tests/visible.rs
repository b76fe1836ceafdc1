//! Visible tests of exercise 06. Points: the `pN_` prefix of a test's name.

use ex06_random_search::{random_search, Trial};
use trainlab_exercise_harness::graded;
use trainlab_validation::search::{random, SearchSpace};

/// One dimension of each kind; keys sort as written.
fn space() -> SearchSpace {
    SearchSpace::from_toml_str(
        r#"
        [space.a_width]
        kind = "choice"
        values = [32, 64, "wide"]
        [space.b_depth]
        kind = "int_range"
        low = 1
        high = 3
        [space.c_alpha]
        kind = "log_uniform"
        low = 1e-6
        high = 1e-2
        [space.d_beta]
        kind = "uniform"
        low = 0.8
        high = 0.99
        "#,
    )
    .expect("a valid space")
}

/// Same keys, same integers and choices, floats within 1e-9 relative.
fn assert_same(got: &[Trial], expected: &[Trial]) {
    assert_eq!(got.len(), expected.len(), "number of trials");
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        assert_eq!(g.len(), e.len(), "trial {i}: number of values");
        for ((gk, gv), (ek, ev)) in g.iter().zip(e) {
            assert_eq!(gk, ek, "trial {i}: keys in the space's order");
            match (gv.as_float(), ev.as_float()) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 1e-9 * b.abs(),
                    "trial {i}, {gk}: {a} != {b}"
                ),
                _ => assert_eq!(gv, ev, "trial {i}, {gk}"),
            }
        }
    }
}

#[test]
fn p2_every_value_is_within_its_range() {
    graded(|| {
        let trials = random_search(space().dims(), 500, 1);
        assert_eq!(trials.len(), 500);
        for t in &trials {
            assert_eq!(t.len(), 4, "one value per dimension: {t:?}");
            let choices = ["32", "64", "\"wide\""];
            assert!(choices.contains(&t[0].1.to_string().as_str()), "{t:?}");
            let depth = t[1].1.as_integer().expect("int_range gives integers");
            assert!((1..=3).contains(&depth), "depth {depth}");
            let alpha = t[2].1.as_float().expect("log_uniform gives floats");
            assert!((1e-6..=1e-2).contains(&alpha), "alpha {alpha}");
            let beta = t[3].1.as_float().expect("uniform gives floats");
            assert!((0.8..=0.99).contains(&beta), "beta {beta}");
        }
    });
}

#[test]
fn p2_a_seed_gives_the_same_trials() {
    graded(|| {
        let s = space();
        let run = random_search(s.dims(), 50, 7);
        assert_eq!(
            run,
            random_search(s.dims(), 50, 7),
            "same seed, same trials"
        );
        assert_eq!(
            run[..10],
            random_search(s.dims(), 10, 7)[..],
            "prefix of a longer run"
        );
        assert_ne!(
            run,
            random_search(s.dims(), 50, 8),
            "another seed, other trials"
        );
        // 50 trials are not one trial repeated.
        assert!(run.iter().any(|t| t[2] != run[0][2]), "alpha never changes");
    });
}

#[test]
fn p3_log_uniform_spreads_evenly_over_the_decades() {
    // 1e-6 .. 1e-2 spans 4 decades: each should get a quarter of 4000 draws, 1000 (binomial
    // std sqrt(4000 * 0.25 * 0.75) ~ 27; 900..1100 is more than 3.5 std either way). A plain
    // uniform over the same range puts ~90% of the draws in the top decade, 1e-3..1e-2.
    graded(|| {
        let trials = random_search(space().dims(), 4000, 99);
        let mut buckets = [0usize; 4];
        for t in &trials {
            let alpha = t[2].1.as_float().expect("a float");
            let decade = (alpha.log10() + 6.0).floor().clamp(0.0, 3.0) as usize;
            buckets[decade] += 1;
        }
        for (d, &count) in buckets.iter().enumerate() {
            assert!(
                (900..=1100).contains(&count),
                "decade 1e{}..1e{}: {count} of 4000 draws, expected ~1000 ({buckets:?})",
                d as i32 - 6,
                d as i32 - 5
            );
        }
    });
}

#[test]
fn p3_matches_the_reference() {
    graded(|| {
        let s = space();
        for seed in [0, 42] {
            assert_same(&random_search(s.dims(), 20, seed), &random(&s, 20, seed));
        }
    });
}
