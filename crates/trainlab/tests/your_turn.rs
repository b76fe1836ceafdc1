//! Every "your turn" cell's solution (notebooks/source/solutions/*.rs) passes the cell's check in
//! full: the same call the notebook makes, on the solution's code.

use trainlab::lessons::your_turn::{check_rule, check_schedule, CheckTable};
use trainlab::prelude::*;
use trainlab_optimizers::cases::Hyper;
use trainlab_optimizers::Step;
use trainlab_schedules::cases::Params;

mod momentum {
    use super::*;
    include!("../../../notebooks/source/solutions/01-momentum.rs");
    pub fn check() -> CheckTable {
        check_rule("momentum", &|h: &Hyper| -> Box<dyn UpdateRule> {
            Box::new(MyMomentum { beta: h.beta })
        })
        .expect("momentum has cases")
    }
}

mod rmsprop {
    use super::*;
    include!("../../../notebooks/source/solutions/01-rmsprop.rs");
    pub fn check() -> CheckTable {
        check_rule("rmsprop", &|h: &Hyper| -> Box<dyn UpdateRule> {
            Box::new(MyRmsProp {
                beta: h.beta,
                eps: h.eps,
            })
        })
        .expect("rmsprop has cases")
    }
}

mod adam {
    use super::*;
    include!("../../../notebooks/source/solutions/01-adam.rs");
    pub fn check() -> CheckTable {
        check_rule("adam", &|h: &Hyper| -> Box<dyn UpdateRule> {
            Box::new(MyAdam {
                beta1: h.beta1,
                beta2: h.beta2,
                eps: h.eps,
            })
        })
        .expect("adam has cases")
    }
}

mod inverse_time {
    use super::*;
    include!("../../../notebooks/source/solutions/02-inverse-time.rs");
    pub fn check() -> CheckTable {
        check_schedule("inverse_time", &|p: &Params| -> Box<dyn LrSchedule> {
            Box::new(MyInverseTime {
                alpha0: p.alpha0,
                decay_rate: p.decay_rate,
            })
        })
        .expect("inverse_time has cases")
    }
}

#[test]
fn every_solution_earns_every_point() {
    for table in [
        momentum::check(),
        rmsprop::check(),
        adam::check(),
        inverse_time::check(),
    ] {
        let (earned, possible) = table.points();
        assert!(possible > 0, "{table}");
        assert_eq!(earned, possible, "{table}");
    }
}

#[test]
fn every_solution_file_is_checked_here() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../notebooks/source/solutions"
    );
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("the solutions folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "01-adam.rs",
            "01-momentum.rs",
            "01-rmsprop.rs",
            "02-inverse-time.rs"
        ],
        "a new solution needs its module and check in this file"
    );
}

/// The notebooks' cells construct the rules as the check calls here do: the same field names.
#[test]
fn the_notebook_cells_check_what_these_tests_check() {
    let src = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/../../notebooks/source/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("a notebook source")
    };
    let (nb01, nb02) = (src("01-optimizers.txt"), src("02-learning-rates.txt"));
    for call in [
        "Box::new(MyMomentum { beta: h.beta })",
        "Box::new(MyRmsProp { beta: h.beta, eps: h.eps })",
        "Box::new(MyAdam { beta1: h.beta1, beta2: h.beta2, eps: h.eps })",
    ] {
        assert!(nb01.contains(call), "01 no longer checks with {call}");
    }
    assert!(nb02.contains("Box::new(MyInverseTime { alpha0: p.alpha0, decay_rate: p.decay_rate })"));
    let _ = Step { k: 1, alpha: 0.1 };
}
