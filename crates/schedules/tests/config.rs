//! `ScheduleConfig` from TOML: parsing, defaults, unknown keys and invalid values.

use anyhow::Result;
use serde::Deserialize;
use trainlab_schedules::{
    check_lr_sequence, sequence, ScheduleConfig, StepDecayConfig, StepUnit, LR_TOLERANCE,
};

#[derive(Deserialize)]
struct File {
    schedule: ScheduleConfig,
}

fn parse(toml_text: &str) -> Result<ScheduleConfig, toml::de::Error> {
    toml::from_str::<File>(toml_text).map(|f| f.schedule)
}

/// The build error's message for a TOML schedule, which must parse.
fn build_error(toml_text: &str) -> String {
    let config = parse(toml_text).expect("the TOML itself is well-formed");
    match config.build(0.1) {
        Ok(s) => panic!("expected an error, built `{}`", s.name()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn default_is_constant_per_epoch() -> Result<()> {
    let s = ScheduleConfig::default().build(0.01)?;
    assert_eq!(s.name(), "constant");
    assert_eq!(s.unit(), StepUnit::Epoch);
    assert_eq!(sequence(&s, 3), vec![0.01; 3]);
    Ok(())
}

#[test]
fn lecture_inverse_time_from_toml() -> Result<()> {
    let config = parse("[schedule]\nkind = \"inverse_time\"\ndecay_rate = 1.0\n")?;
    let s = config.build(0.1)?;
    // The lecture's numbers.
    check_lr_sequence(
        &sequence(&s, 4),
        &[0.1, 0.05, 0.1 / 3.0, 0.025],
        LR_TOLERANCE,
    )
    .map_err(|m| anyhow::anyhow!("{m}"))?;
    Ok(())
}

#[test]
fn every_kind_parses_with_defaults() -> Result<()> {
    let kinds = [
        ("constant", ""),
        ("inverse_time", ""),
        ("step_decay", "step_size = 3"),
        ("multi_step", "milestones = [2, 4]"),
        ("exponential", "gamma = 0.9"),
        ("inverse_sqrt", ""),
        ("manual", "table = [[0, 0.1], [5, 0.01]]"),
        ("linear_warmup", ""),
        ("cosine", "t_max = 10"),
        ("one_cycle", "total_steps = 100"),
        ("reduce_on_plateau", ""),
    ];
    for (kind, fields) in kinds {
        let config = parse(&format!("[schedule]\nkind = \"{kind}\"\n{fields}\n"))?;
        assert_eq!(config.kind(), kind);
        let s = config.build(0.1)?;
        assert_eq!(s.name(), kind);
    }
    Ok(())
}

#[test]
fn unit_defaults_and_overrides() -> Result<()> {
    let s = parse("[schedule]\nkind = \"one_cycle\"\ntotal_steps = 10\n")?.build(0.1)?;
    assert_eq!(s.unit(), StepUnit::Batch);
    let s = parse("[schedule]\nkind = \"cosine\"\nt_max = 10\nunit = \"batch\"\n")?.build(0.1)?;
    assert_eq!(s.unit(), StepUnit::Batch);
    Ok(())
}

#[test]
fn nested_sequential_from_toml() -> Result<()> {
    let text = r#"
[schedule]
kind = "sequential"
milestones = [2]

[[schedule.schedules]]
kind = "linear_warmup"
start_factor = 0.5
total_iters = 2

[[schedule.schedules]]
kind = "exponential"
gamma = 0.5
"#;
    let s = parse(text)?.build(0.2)?;
    // warmup factors 0.5, 0.75; then exponential from its own step 0: 1, 0.5, 0.25.
    check_lr_sequence(&sequence(&s, 5), &[0.1, 0.15, 0.2, 0.1, 0.05], LR_TOLERANCE)
        .map_err(|m| anyhow::anyhow!("{m}"))?;
    Ok(())
}

#[test]
fn round_trips_through_toml() -> Result<()> {
    let config = ScheduleConfig::StepDecay(StepDecayConfig {
        gamma: 0.5,
        step_size: 4,
        unit: StepUnit::Batch,
    });
    #[derive(serde::Serialize)]
    struct Out<'a> {
        schedule: &'a ScheduleConfig,
    }
    let text = toml::to_string(&Out { schedule: &config })?;
    assert_eq!(parse(&text)?, config);
    Ok(())
}

#[test]
fn unknown_keys_are_rejected() {
    let e = parse("[schedule]\nkind = \"cosine\"\nt_max = 10\ntmax = 5\n").unwrap_err();
    assert!(e.to_string().contains("tmax"), "{e}");
    let e = parse("[schedule]\nkind = \"cosine_annealing\"\n").unwrap_err();
    assert!(e.to_string().contains("cosine_annealing"), "{e}");
}

#[test]
fn missing_required_field_is_named() {
    let e = parse("[schedule]\nkind = \"step_decay\"\ngamma = 0.5\n").unwrap_err();
    assert!(e.to_string().contains("step_size"), "{e}");
}

#[test]
fn invalid_values_name_the_key_and_range() {
    let cases = [
        ("kind = \"step_decay\"\nstep_size = 0", "`step_size`", ">= 1"),
        ("kind = \"step_decay\"\nstep_size = 2\ngamma = 1.5", "`gamma`", "(0, 1]"),
        ("kind = \"exponential\"\ngamma = 0.0", "`gamma`", "(0, 1]"),
        ("kind = \"inverse_time\"\ndecay_rate = -1.0", "`decay_rate`", ">= 0"),
        ("kind = \"inverse_sqrt\"\nk = 0.0", "`k`", "> 0"),
        ("kind = \"manual\"\ntable = [[1, 0.1]]", "`table`", "epoch 0"),
        ("kind = \"manual\"\ntable = [[0, 0.1], [0, 0.01]]", "`table`", "increasing"),
        ("kind = \"multi_step\"\nmilestones = [4, 2]", "`milestones`", "increasing"),
        ("kind = \"linear_warmup\"\nstart_factor = 0.0", "`start_factor`", "(0, 1]"),
        ("kind = \"linear_warmup\"\nend_factor = 2.0", "`end_factor`", "[0, 1]"),
        ("kind = \"cosine\"\nt_max = 0", "`t_max`", ">= 1"),
        ("kind = \"cosine\"\nt_max = 5\neta_min = -0.1", "`eta_min`", ">= 0"),
        ("kind = \"one_cycle\"\ntotal_steps = 0", "`total_steps`", ">= 1"),
        ("kind = \"one_cycle\"\ntotal_steps = 10\npct_start = 1.5", "`pct_start`", "[0, 1]"),
        ("kind = \"one_cycle\"\ntotal_steps = 10\nmax_lr = -1.0", "`max_lr`", ">= 0"),
        ("kind = \"reduce_on_plateau\"\nfactor = 1.0", "`factor`", "(0, 1)"),
        ("kind = \"reduce_on_plateau\"\nunit = \"batch\"", "`unit`", "epoch"),
        ("kind = \"reduce_on_plateau\"\nmin_lr = -1.0", "`min_lr`", ">= 0"),
        ("kind = \"sequential\"\nmilestones = [3]\nschedules = []", "`schedules`", "at least one"),
        (
            "kind = \"sequential\"\nmilestones = []\nschedules = [{kind = \"constant\"}, {kind = \"constant\"}]",
            "`milestones`",
            "one milestone fewer",
        ),
        ("kind = \"chained\"\nschedules = []", "`schedules`", "at least one"),
    ];
    for (fields, key, range) in cases {
        let message = build_error(&format!("[schedule]\n{fields}\n"));
        assert!(
            message.contains(key) && message.contains(range),
            "for `{fields}`: {message}"
        );
    }
}

/// Every field of every kind, with its documented default, parses to the same config as the
/// kind alone: the TOML format (keys and defaults) of the enum with inline fields that these
/// config structs replaced.
#[test]
fn documented_defaults_are_the_serde_defaults() -> Result<()> {
    let cases = [
        ("constant", "", "unit = \"epoch\""),
        ("inverse_time", "", "decay_rate = 1.0\nunit = \"epoch\""),
        ("step_decay", "step_size = 3", "gamma = 0.1\nunit = \"epoch\""),
        ("multi_step", "milestones = [2]", "gamma = 0.1\nunit = \"epoch\""),
        ("exponential", "gamma = 0.9", "unit = \"epoch\""),
        ("inverse_sqrt", "", "k = 1.0\nunit = \"epoch\""),
        ("manual", "table = [[0, 0.1]]", "unit = \"epoch\""),
        (
            "linear_warmup",
            "",
            "start_factor = 0.3333333333333333\nend_factor = 1.0\ntotal_iters = 5\nunit = \"epoch\"",
        ),
        ("cosine", "t_max = 10", "eta_min = 0.0\nunit = \"epoch\""),
        (
            "one_cycle",
            "total_steps = 100",
            "pct_start = 0.3\nanneal_strategy = \"cos\"\ndiv_factor = 25.0\nfinal_div_factor = 1e4\nthree_phase = false\nunit = \"batch\"",
        ),
        (
            "reduce_on_plateau",
            "",
            "mode = \"min\"\nfactor = 0.1\npatience = 10\nthreshold = 1e-4\nthreshold_mode = \"rel\"\ncooldown = 0\nmin_lr = 0.0\neps = 1e-8\nunit = \"epoch\"",
        ),
    ];
    for (kind, required, defaults) in cases {
        let short = parse(&format!("[schedule]\nkind = \"{kind}\"\n{required}\n"))?;
        let long = parse(&format!(
            "[schedule]\nkind = \"{kind}\"\n{required}\n{defaults}\n"
        ))?;
        assert_eq!(short, long, "{kind}");
    }
    Ok(())
}

#[test]
fn schedules_that_ignore_the_base_rate_say_so() -> Result<()> {
    let manual = parse("[schedule]\nkind = \"manual\"\ntable = [[0, 0.1]]\n")?;
    let why = manual.ignores_base_rate().expect("manual ignores alpha");
    assert!(
        why.contains("manual") && why.contains("optimizer.alpha"),
        "{why}"
    );
    let peak = parse("[schedule]\nkind = \"one_cycle\"\ntotal_steps = 10\nmax_lr = 0.5\n")?;
    let why = peak.ignores_base_rate().expect("max_lr replaces alpha");
    assert!(why.contains("max_lr"), "{why}");
    // The rates really do not depend on the base rate.
    assert_eq!(
        sequence(&peak.build(0.1)?, 10),
        sequence(&peak.build(0.7)?, 10)
    );
    let nested = parse(
        "[schedule]\nkind = \"chained\"\nschedules = [{kind = \"manual\", table = [[0, 0.1]]}]\n",
    )?;
    assert!(nested.ignores_base_rate().is_some());
    for uses_alpha in [
        "kind = \"one_cycle\"\ntotal_steps = 10",
        "kind = \"cosine\"\nt_max = 10",
        "kind = \"sequential\"\nmilestones = [2]\nschedules = [{kind = \"constant\"}, {kind = \"exponential\", gamma = 0.5}]",
    ] {
        let config = parse(&format!("[schedule]\n{uses_alpha}\n"))?;
        assert_eq!(config.ignores_base_rate(), None, "{uses_alpha}");
    }
    Ok(())
}

#[test]
fn negative_base_lr_is_rejected() {
    let e = ScheduleConfig::default().build(-0.1).unwrap_err();
    assert!(e.to_string().contains("`base_lr`"), "{e}");
}
