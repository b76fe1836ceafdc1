#!/usr/bin/env sh
# The Python and notebook side, installed once and skipped when already there:
#   .venv/             a Python environment with the pinned Jupyter packages (scripts/requirements.txt)
#   evcxr_jupyter      the Rust kernel for Jupyter, pinned, by cargo install (about 14 minutes, once)
set -eu
EVCXR_VERSION=0.22.0
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
req="$root/scripts/requirements.txt"
stamp="$venv/.requirements.txt"

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
