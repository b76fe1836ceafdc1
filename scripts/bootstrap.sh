#!/usr/bin/env sh
# Installs the pinned cargo-make if it is missing (or another version), then runs
# `cargo make "$@"`. Needs only the Rust toolchain. Usage: scripts/bootstrap.sh ci
set -eu
CARGO_MAKE_VERSION=0.37.24
if ! cargo make --version 2>/dev/null | grep -q " $CARGO_MAKE_VERSION\$"; then
  echo "bootstrap: installing cargo-make $CARGO_MAKE_VERSION (about 5 minutes, once)" >&2
  cargo install --locked "cargo-make@$CARGO_MAKE_VERSION"
fi
exec cargo make "$@"
