#!/usr/bin/env sh
# The Python and notebook side, installed once and skipped when already there:
#   .venv/             a Python environment with the pinned Jupyter packages (scripts/requirements.txt)
#   the kernel         evcxr_jupyter 0.22.0 with trainlab's patch (notebooks/.evcxr/evcxr-0.22.0.patch),
#                      built from the two crates' sources (checked against their crates.io checksums)
#                      and installed in $CARGO_HOME/trainlab-kernel/<version>-<patch checksum>
#                      (about 14 minutes, once); its path is written to .venv/evcxr_jupyter
#   bubblewrap         the autograder's sandbox (apt, when missing and running as root; the
#                      grader's hostile tests need it)
set -eu
EVCXR_VERSION=0.22.0
# sha256 of the crates.io downloads of evcxr and evcxr_jupyter $EVCXR_VERSION
EVCXR_SHA256=ee69caeeefc311959b85962458e370d8eccb165123edbc5270134aaee6d7ed80
EVCXR_JUPYTER_SHA256=3ce0d7b3058f68a9673df4f1266b641942fea0ec131881d095306e509a382764
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

# The kernel. Upstream evcxr_jupyter 0.22 numbers the first cell [2], makes every cell after a
# `:dep` wait for rust-analyzer to load the standard library and every dependency (about 10 s
# here, even for cells that declare no variable), and lets cargo resolve the newest releases
# when a cell ran before `:dep`; the patch (see its header) fixes the three.
patch_file="$root/notebooks/.evcxr/evcxr-0.22.0.patch"
patch_sum=$(cksum < "$patch_file" | cut -d' ' -f1)
kernel_root="${CARGO_HOME:-$HOME/.cargo}/trainlab-kernel/$EVCXR_VERSION-$patch_sum"
kernel="$kernel_root/bin/evcxr_jupyter"

# fetch_crate NAME SHA256 DIR: NAME-$EVCXR_VERSION's source, from cargo's download cache or crates.io
fetch_crate() {
  file="$3/$1-$EVCXR_VERSION.crate"
  for cached in "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$1-$EVCXR_VERSION.crate"; do
    [ -f "$cached" ] && cp "$cached" "$file" && break
  done
  if [ ! -f "$file" ]; then
    url="https://static.crates.io/crates/$1/$EVCXR_VERSION/download"
    if command -v curl >/dev/null 2>&1; then
      curl -sSfL --retry 3 -o "$file" "$url"
    else
      python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$url" "$file"
    fi
  fi
  if [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$2" ]; then
    echo "setup: $file does not have the sha256 crates.io publishes for $1 $EVCXR_VERSION ($2)" >&2
    exit 1
  fi
  tar -xzf "$file" -C "$3"
}

if [ -x "$kernel" ]; then
  echo "setup: the notebook kernel is installed (evcxr_jupyter $EVCXR_VERSION, patched: $kernel)"
else
  echo "setup: building the notebook kernel, evcxr_jupyter $EVCXR_VERSION with trainlab's patch (about 14 minutes, once)"
  build=$(mktemp -d "${TMPDIR:-/tmp}/trainlab-kernel.XXXXXX")
  fetch_crate evcxr "$EVCXR_SHA256" "$build"
  fetch_crate evcxr_jupyter "$EVCXR_JUPYTER_SHA256" "$build"
  patch -d "$build" -p1 --quiet --forward < "$patch_file"
  rm -rf "$kernel_root.partial"
  # (PATH names the new bin directory only to spare cargo's advice to add it: the kernel is
  # started by its full path, from the kernel spec)
  PATH="$kernel_root.partial/bin:$PATH" \
    cargo install --locked --path "$build/evcxr_jupyter-$EVCXR_VERSION" --root "$kernel_root.partial"
  mv "$kernel_root.partial" "$kernel_root"
  rm -rf "$build"
  echo "setup: installed the notebook kernel: $kernel"
fi
printf '%s\n' "$kernel" > "$venv/evcxr_jupyter"
