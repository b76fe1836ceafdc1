//! trainlab-grader: releases, validates and grades the exercises in `exercises/`.
//!
//! The instructor's `exercises/` workspace is the one source of truth: solutions sit between
//! `// BEGIN SOLUTION` and `// END SOLUTION` ([`markers`]), hidden tests in `tests/hidden.rs`.
//!
//! - [`course`] reads `exercises/course.toml`, the exercises in lecture order; [`sync`]
//!   regenerates everything numbered from it; [`scaffold`] adds an exercise in its place;
//! - [`release::release`] writes the student workspace (README, bootstrap, stubs, visible tests,
//!   hints);
//! - [`student`] is what a student's `grade [N]` prints;
//! - [`validate::validate`] checks every solution passes and every stub fails every test;
//! - [`grade::grade`] grades one workspace copy: only the editable files come from the
//!   submission ([`stage`]), each exercise builds on its own ([`cargo`]), each test runs in its
//!   own bounded process and counts only with the pristine test's pass marker ([`sandbox`]);
//! - [`autograde::autograde`] does that for a folder of submissions in parallel and writes
//!   the gradebook, feedback and Gradescope `results.json` ([`report`]);
//! - [`bundle`] zips a student's submission and the Gradescope autograder.
//!
//! ```
//! use trainlab_grader::catalog::{parse_tests, points_of};
//! let tests = parse_tests("#[test]\nfn p3_adam_first_step() {}\n", "visible", false);
//! assert_eq!((tests[0].name.as_str(), tests[0].points), ("p3_adam_first_step", 3));
//! assert_eq!(points_of("no_prefix"), 1);
//! ```
#![warn(missing_docs)]

pub mod autograde;
pub mod bundle;
pub mod cargo;
pub mod catalog;
pub mod course;
mod error;
pub mod grade;
pub mod hints;
pub mod markers;
pub mod release;
pub mod report;
pub mod sandbox;
pub mod scaffold;
pub mod stage;
pub mod student;
pub mod sync;
pub mod validate;

pub use error::{GraderError, Result};
