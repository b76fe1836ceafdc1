#!/usr/bin/env sh
# The Python and notebook side, installed once and skipped when already there:
#   .venv/             a Python environment with the pinned Jupyter packages (scripts/requirements.txt)
#   evcxr_jupyter      the Rust kernel for Jupyter, pinned, by cargo install (about 14 minutes, once)
#   bubblewrap         the autograder's sandbox (apt, when missing and running as root; the
#                      grader's hostile tests need it)
set -eu
EVCXR_VERSION=0.22.0
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
req="$root/scripts/requirements.txt"
stamp="$venv/.requirements.txt"

if command -v bwrap >/dev/null 2>&1; then
  echo "setup: bubblewrap is installed"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing bubblewrap, the autograder's sandbox"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null
else
  echo "setup: bubblewrap (bwrap) is missing: install it (e.g. sudo apt-get install bubblewrap);" >&2
  echo "       the autograder refuses to grade without it and its hostile tests fail" >&2
fi

if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
  echo "setup: Python environment .venv is up to date"
else
  echo "setup: creating the Python environment .venv with the pinned Jupyter packages"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
fi

if cargo install --list | grep -q "^evcxr_jupyter v$EVCXR_VERSION:"; then
  echo "setup: evcxr_jupyter $EVCXR_VERSION is installed"
else
  echo "setup: installing evcxr_jupyter $EVCXR_VERSION, the Rust kernel (about 14 minutes, once)"
  cargo install --locked "evcxr_jupyter@$EVCXR_VERSION"
fi
