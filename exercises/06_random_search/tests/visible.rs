//! Visible tests of exercise 06. Points: the `pN_` prefix of a test's name.

use ex06_random_search::{random_search, Trial};
use trainlab_exercise_harness::graded;
use trainlab_validation::search::SearchSpace;

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

/// One expected trial: the choice as the text of its TOML value, the depth, alpha, beta.
type Expected = (&'static str, i64, f64, f64);

/// The space's keys in order, the choice and the integer exactly, floats within 1e-9 relative.
fn assert_trials(got: &[Trial], expected: &[Expected], seed: u64) {
    assert_eq!(got.len(), expected.len(), "seed {seed}: number of trials");
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs());
    for (i, (t, e)) in got.iter().zip(expected).enumerate() {
        let keys: Vec<&str> = t.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["a_width", "b_depth", "c_alpha", "d_beta"],
            "seed {seed}, trial {i}: one value per key, in the space's order"
        );
        assert_eq!(t[0].1.to_string(), e.0, "seed {seed}, trial {i}: a_width");
        assert_eq!(
            t[1].1.as_integer(),
            Some(e.1),
            "seed {seed}, trial {i}: b_depth"
        );
        assert!(
            close(t[2].1.as_float(), e.2),
            "seed {seed}, trial {i}: c_alpha {} != {}",
            t[2].1,
            e.2
        );
        assert!(
            close(t[3].1.as_float(), e.3),
            "seed {seed}, trial {i}: d_beta {} != {}",
            t[3].1,
            e.3
        );
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
    // The draws of rand 0.8 from rand_chacha's ChaCha8Rng, written out again in plain Python by
    // crates/validation/tests/fixtures/gen_exercise_random_search.py (not trainlab's sampler).
    const SEED_0: [Expected; 20] = [
        ("\"wide\"", 2, 0.0006259980360541103, 0.8114325214704927),
        ("\"wide\"", 2, 0.0020698453788574075, 0.9777310355534945),
        ("\"wide\"", 1, 0.0033330903746925955, 0.946405215280713),
        ("64", 2, 0.001143332704519474, 0.9221036688913111),
        ("32", 2, 0.0002565159021506423, 0.9687571351179173),
        ("\"wide\"", 3, 0.00011804038719664332, 0.9427527323060858),
        ("\"wide\"", 2, 0.0005122406718299241, 0.9278935511749342),
        ("64", 2, 1.6332538396226876e-06, 0.9784066647270244),
        ("32", 2, 5.809180067012391e-05, 0.801198431745046),
        ("64", 2, 3.3826360044641e-05, 0.8993495884823127),
        ("\"wide\"", 1, 5.2859263539958506e-06, 0.8825969663858186),
        ("32", 2, 0.00035060359742746796, 0.8838778212874101),
        ("32", 2, 0.00020036398163082066, 0.9286401008207087),
        ("64", 1, 0.000499785883646271, 0.840982415254139),
        ("\"wide\"", 2, 0.001890100770070787, 0.8084576952787729),
        ("\"wide\"", 3, 4.4745817083631386e-05, 0.8701227960672707),
        ("64", 1, 1.4785124444718553e-06, 0.8926033856986715),
        ("64", 2, 0.00478619402971143, 0.9620767378685035),
        ("64", 2, 0.0017086798307331668, 0.860155039778541),
        ("32", 2, 0.00039427032733572315, 0.8841275374007768),
    ];
    const SEED_42: [Expected; 20] = [
        ("\"wide\"", 2, 0.00032317822013105534, 0.8548328370368248),
        ("32", 3, 0.0012161723439020734, 0.8453312002324544),
        ("64", 3, 0.006729163423813242, 0.9126659283616234),
        ("\"wide\"", 1, 0.00020025002842477614, 0.8326348352711189),
        ("64", 1, 4.151770483865315e-06, 0.8608818456288422),
        ("\"wide\"", 1, 1.4250051257885423e-06, 0.8497460945776385),
        ("\"wide\"", 3, 0.0004875589653711431, 0.929603200252716),
        ("\"wide\"", 1, 6.464623042057422e-06, 0.8416490933630469),
        ("\"wide\"", 3, 4.981299639183028e-05, 0.8124667965657539),
        ("\"wide\"", 3, 0.0019537535778255755, 0.8080376191584456),
        ("\"wide\"", 3, 6.486460451100521e-05, 0.9643382484144409),
        ("32", 2, 5.8656433267994726e-05, 0.8256634918387052),
        ("32", 3, 0.001482918589400438, 0.9348377737378397),
        ("64", 1, 0.0002958308842220971, 0.9654879865946372),
        ("64", 1, 0.00011749396975952623, 0.8332454727200229),
        ("64", 1, 1.7992353876171787e-05, 0.8753453074723967),
        ("\"wide\"", 2, 0.00026229561883189475, 0.9185046589330836),
        ("64", 2, 5.9673068400703595e-06, 0.9893743587030099),
        ("64", 3, 1.0773447918382359e-06, 0.8199086024662896),
        ("32", 3, 0.00010738487554350338, 0.8850875938705514),
    ];
    graded(|| {
        let s = space();
        assert_trials(&random_search(s.dims(), 20, 0), &SEED_0, 0);
        assert_trials(&random_search(s.dims(), 20, 42), &SEED_42, 42);
    });
}
