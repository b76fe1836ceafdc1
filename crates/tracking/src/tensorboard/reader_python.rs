//! Which Python can read event files back with TensorBoard's own reader: for the tests that
//! check our files against the real `tensorboard` package.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `$TRAINLAB_PYTHON` if set, else `<repo>/.venv/bin/python` (`cargo make setup` installs the
/// pinned tensorboard there), when it can `import tensorboard`.
///
/// Without one, a test is skipped with a message on stderr (`None`), so `cargo test` passes with
/// only the Rust toolchain; with `TRAINLAB_REQUIRE_TENSORBOARD` set (`cargo make test`, so CI,
/// after `cargo make setup`) a missing reader is a failure instead.
///
/// # Panics
/// When no reader is found and `TRAINLAB_REQUIRE_TENSORBOARD` is set.
pub fn tensorboard_python(repo: &Path) -> Option<PathBuf> {
    let python = std::env::var_os("TRAINLAB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join(".venv/bin/python"));
    let ok = Command::new(&python)
        .args(["-c", "import tensorboard"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let why = format!(
        "{} cannot import tensorboard: run `cargo make setup` (it installs \
         scripts/requirements.txt into .venv) or set TRAINLAB_PYTHON to a Python with \
         tensorboard==2.21.0",
        python.display()
    );
    if std::env::var_os("TRAINLAB_REQUIRE_TENSORBOARD").is_some() {
        panic!("{why}");
    }
    eprintln!("skipped: {why}");
    None
}
