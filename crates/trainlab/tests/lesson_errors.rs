//! A notebook cell shows an error with `{}` (evcxr prints the error's Display): every lesson
//! error must carry its cause in that one line, not only the outermost context.

use trainlab::lessons;

#[test]
fn a_typo_in_an_optimizer_config_names_the_unknown_field() {
    let err = lessons::optimizer("kind = \"adam\"\nalpah = 0.01").unwrap_err();
    let shown = err.to_string();
    assert!(shown.starts_with("optimizer config "), "{shown}");
    assert!(shown.contains("unknown field `alpah`"), "{shown}");
    assert!(
        shown.contains("`alpha`"),
        "the expected fields are listed: {shown}"
    );
}

#[test]
fn a_typo_in_a_schedule_config_names_the_unknown_field() {
    let err = lessons::schedule("kind = \"step_decay\"\nstep_sise = 5").unwrap_err();
    let shown = err.to_string();
    assert!(shown.starts_with("schedule config "), "{shown}");
    assert!(shown.contains("unknown field `step_sise`"), "{shown}");
}

#[test]
fn a_missing_event_directory_names_the_io_error() {
    let err = lessons::event_records(std::path::Path::new("/nonexistent-trainlab-events"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("reading /nonexistent-trainlab-events: "),
        "{err}"
    );
    assert!(err.contains("No such file"), "{err}");
}
