//! Hidden tests of exercise 06 (never released).

use ex06_random_search::random_search;
use trainlab_exercise_harness::graded;
use trainlab_validation::search::{Dimension, SearchSpace};

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
    // (model.depth, model.width as TOML text, optimizer.alpha, optimizer.beta1): the draws of
    // rand 0.8 from rand_chacha's ChaCha8Rng, written out again in plain Python by
    // crates/validation/tests/fixtures/gen_exercise_random_search.py (not trainlab's sampler).
    type Expected = (i64, &'static str, f64, f64);
    const SEED_1: [Expected; 10] = [
        (0, "32", 0.0007096950464057574, 0.8481990096037433),
        (3, "128", 0.0028169002543537856, 0.7828324771955169),
        (0, "64", 0.0006929249127585456, 0.985605862966733),
        (1, "64", 0.0015559774857866076, 0.5067117959231585),
        (0, "32", 0.0037720280518758966, 0.6313849110041128),
        (0, "32", 0.09398322091638343, 0.8405476970958086),
        (0, "64", 0.015568359112635252, 0.8452787619894067),
        (3, "64", 0.04998307421947972, 0.6858605838384864),
        (1, "32", 0.005195031168404973, 0.9588520565642562),
        (1, "128", 0.09740705168722318, 0.9357980580436455),
    ];
    const SEED_123: [Expected; 10] = [
        (3, "32", 0.0010138856570233701, 0.859451294278683),
        (1, "64", 0.01632004075501017, 0.8718464094970872),
        (0, "128", 0.0005362405908948462, 0.5823715754117164),
        (2, "32", 0.0037400084266275262, 0.5330596808113656),
        (1, "32", 0.0001450070869325553, 0.7310588335712798),
        (0, "64", 0.006769392445282953, 0.7256937840898852),
        (2, "64", 0.02027405311853733, 0.6184929100842576),
        (0, "32", 0.012412466837381925, 0.642502901752864),
        (3, "64", 0.002909760274239594, 0.9275513004237026),
        (2, "64", 0.01676702308794161, 0.9745263154723665),
    ];
    const SEED_MAX: [Expected; 10] = [
        (3, "32", 0.08797092695493688, 0.6606299977815029),
        (3, "32", 0.038432999993666735, 0.8575602696995905),
        (1, "64", 0.030601678654848193, 0.5271726060878407),
        (3, "128", 0.00020601482456318292, 0.9660366298007781),
        (1, "32", 0.0054727986811945895, 0.7872426802460709),
        (2, "32", 0.014204946221481983, 0.953956864896274),
        (1, "32", 0.09082385095162329, 0.732720780719958),
        (0, "128", 0.000270261162239069, 0.9217211829376493),
        (2, "128", 0.03944824254182862, 0.9068972256514152),
        (0, "64", 0.007028291962881598, 0.9251148500670514),
    ];
    graded(|| {
        let s = space(
            "[space.\"optimizer.alpha\"]\nkind = \"log_uniform\"\nlow = 1e-4\nhigh = 1e-1\n\
             [space.\"model.width\"]\nkind = \"choice\"\nvalues = [32, 64, 128]\n\
             [space.\"model.depth\"]\nkind = \"int_range\"\nlow = 0\nhigh = 3\n\
             [space.\"optimizer.beta1\"]\nkind = \"uniform\"\nlow = 0.5\nhigh = 0.99\n",
        );
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs());
        for (seed, expected) in [(1, &SEED_1), (123, &SEED_123), (u64::MAX, &SEED_MAX)] {
            let got = random_search(s.dims(), 10, seed);
            assert_eq!(got.len(), 10, "seed {seed}");
            for (i, (t, e)) in got.iter().zip(expected).enumerate() {
                let keys: Vec<&str> = t.iter().map(|(k, _)| k.as_str()).collect();
                assert_eq!(
                    keys,
                    [
                        "model.depth",
                        "model.width",
                        "optimizer.alpha",
                        "optimizer.beta1"
                    ],
                    "seed {seed}, trial {i}"
                );
                assert_eq!(
                    t[0].1.as_integer(),
                    Some(e.0),
                    "seed {seed}, trial {i}: depth"
                );
                assert_eq!(t[1].1.to_string(), e.1, "seed {seed}, trial {i}: width");
                assert!(
                    close(t[2].1.as_float(), e.2),
                    "seed {seed}, trial {i}: alpha"
                );
                assert!(
                    close(t[3].1.as_float(), e.3),
                    "seed {seed}, trial {i}: beta1"
                );
            }
        }
    });
}
