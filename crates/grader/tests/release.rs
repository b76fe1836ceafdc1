//! The course's real release carries no reference implementation of any exercise: the repository
//! released into a temporary folder, each marked lesson file read back. (That the release builds,
//! that its stubs fail and the instructor's solutions pass every visible test there, is
//! `cargo make release-check`: it compiles dfdx's dependants, too slow for a unit test.)

use std::path::{Path, PathBuf};

use trainlab_grader::release::{marked_crate_files, release, solution_lines};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

#[test]
fn every_exercise_reference_body_is_released_as_its_stub() {
    let repo = repo();
    let out = tempfile::tempdir().expect("tempdir");
    release(&repo, out.path()).expect("release");
    let marked = marked_crate_files(&repo.join("crates")).expect("marked files");
    let mut named = std::collections::BTreeSet::new();
    for file in &marked {
        let rel = file.strip_prefix(&repo).expect("under the repository");
        let original = std::fs::read_to_string(file).expect("original");
        let released = std::fs::read_to_string(out.path().join(rel)).expect("released");
        assert_ne!(original, released, "{}: released unchanged", rel.display());
        assert!(!released.contains("BEGIN SOLUTION"), "{}", rel.display());
        let solution = solution_lines(&original);
        assert!(
            !solution.is_empty(),
            "{}: an empty solution block",
            rel.display()
        );
        for line in solution {
            assert!(
                !released.lines().any(|l| l.trim() == line),
                "{}: the release still has `{line}`",
                rel.display()
            );
        }
        for (i, _) in released.match_indices("todo!(\"exercise ") {
            named.insert(released[i + 16..i + 18].to_string());
        }
    }
    // The scripts that re-derive expected values hold the rules too: left out.
    for rel in [
        "crates/optimizers/tests/fixtures/gen_exercise_cases.py",
        "crates/validation/tests/fixtures/gen_exercise_random_search.py",
    ] {
        assert!(repo.join(rel).is_file(), "{rel} moved: update this test");
        assert!(!out.path().join(rel).exists(), "{rel} is in the release");
    }
    // Exercises 01-07 have a reference in a lesson crate (08 trains with the trainer: none).
    let expected: std::collections::BTreeSet<String> = (1..=7).map(|n| format!("{n:02}")).collect();
    assert_eq!(named, expected, "the exercises whose reference is stubbed");
    // The rest of the course is released as it is: SGD and the trainer, for example.
    for rel in [
        "crates/optimizers/src/sgd.rs",
        "crates/training/src/trainer.rs",
    ] {
        let a = std::fs::read_to_string(repo.join(rel)).expect("original");
        let b = std::fs::read_to_string(out.path().join(rel)).expect("released");
        assert_eq!(a, b, "{rel}");
    }
}

#[test]
fn the_gradescope_bundle_carries_no_reference_body_either() {
    let repo = repo();
    let out = tempfile::tempdir().expect("tempdir");
    let zip_path = out.path().join("gradescope.zip");
    let exercises = trainlab_grader::catalog::discover(&repo.join("exercises")).expect("catalogue");
    trainlab_grader::bundle::gradescope(&repo, &exercises, &zip_path).expect("bundle");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).expect("zip")).expect("zip");
    let read = |zip: &mut zip::ZipArchive<std::fs::File>, name: &str| -> Option<String> {
        let mut f = zip.by_name(name).ok()?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).expect("utf-8");
        Some(text)
    };
    for file in marked_crate_files(&repo.join("crates")).expect("marked files") {
        let rel = file.strip_prefix(&repo).expect("under the repository");
        let name = rel.to_string_lossy();
        let shipped = read(&mut zip, &name).unwrap_or_else(|| panic!("{name} not in the bundle"));
        let original = std::fs::read_to_string(&file).expect("original");
        for line in solution_lines(&original) {
            assert!(
                !shipped.lines().any(|l| l.trim() == line),
                "{name}: the bundle still has `{line}`"
            );
        }
    }
    assert!(read(
        &mut zip,
        "crates/optimizers/tests/fixtures/gen_exercise_cases.py"
    )
    .is_none());
    // what grading needs is there: the hidden tests, the trainer
    assert!(read(&mut zip, "exercises/01_momentum/tests/hidden.rs").is_some());
    assert!(read(&mut zip, "crates/training/src/trainer.rs").is_some());
}
