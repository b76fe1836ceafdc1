#!/usr/bin/env sh
# Starts evcxr_jupyter (path in $1, its arguments after) in a persistent work directory of its
# own, with the workspace's Cargo.lock.
#
# evcxr builds each kernel's cells and dependencies in a work directory, by default a fresh
# temporary one, so every kernel start would recompile the course's own crates (evcxr's compile
# cache skips them: they are built incrementally). Here each running kernel takes a work
# directory of its own ($TMPDIR/trainlab-evcxr-<user>-<checkout>/slotN, locked by the kernel's
# pid) and keeps it: the next kernel in that slot finds the course built, and cargo's
# fingerprints rebuild only what changed. Notebooks run one after another all use slot0.
#
# Each slot has its own `target`: two kernels must not share one. evcxr compiles every cell as a
# crate named `ctx` and renames the output `libctx.so` to `libcode_N.so` in the target directory
# after cargo has released its lock, so two kernels sharing a target take each other's libraries
# (found on a fresh clone: a notebook's cell failed with "Error renaming .../libctx.so: No such
# file or directory" while the background warm-up compiled beside it, and could as well have
# loaded the other kernel's code). A new slot (a second notebook opened beside a running one)
# starts from a copy of the most recently used slot's `target`, taken under cargo's own locks on
# it so no build is half-written (about 0.5 GB, seconds): cargo finds the course built there, as
# the slots are siblings and hash the course's paths alike.
#
# The kernel compiles exactly the versions in the workspace's Cargo.lock, the ones the tests ran
# with, never a newer release that appeared upstream since: the patched kernel copies
# $EVCXR_CARGO_LOCK into the work directory before every cargo command (cargo prunes the work
# directory's lock to what each cell needs, so a `:dep` after a cell without dependencies would
# otherwise resolve the newest releases).
#
# The slots live outside the checkout: evcxr's work directory is a cargo package, and inside the
# checkout cargo would take it for a stray workspace member.
set -eu
evcxr=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
checkout=$(printf '%s' "$root" | cksum | cut -d' ' -f1)
base="${TMPDIR:-/tmp}/trainlab-evcxr-$(id -u)-$checkout"
mkdir -p "$base"
i=0
while :; do
  slot="$base/slot$i"
  if mkdir "$slot.lock" 2>/dev/null; then
    break
  fi
  pid=$(cat "$slot.lock/pid" 2>/dev/null || true)
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
    # the kernel that held it has exited: take the slot over
    break
  fi
  i=$((i + 1))
done
echo "$$" > "$slot.lock/pid"
mkdir -p "$slot"
if [ -L "$slot/target" ]; then
  # a slot from when the slots shared one target: slot0 takes that build over, the others start anew
  rm "$slot/target"
  if [ "$i" -eq 0 ] && [ -d "$base/target" ]; then
    mv "$base/target" "$slot/target"
  fi
fi
if [ ! -d "$slot/target" ]; then
  # shellcheck disable=SC2012 # slot names have no spaces
  src=$(ls -dt "$base"/slot*/target 2>/dev/null | head -n 1)
  if [ -n "$src" ] && command -v flock >/dev/null 2>&1; then
    rm -rf "$slot/target.new"
    mkdir -p "$slot/target.new"
    if (
      # shared locks on cargo's build locks of that target (the host's and the triple's
      # directories), held while copying: a build running there finishes first
      fd=9
      for lock in "$src"/debug/.cargo-lock "$src"/*/debug/.cargo-lock; do
        [ -f "$lock" ] || continue
        eval "exec $fd<\"\$lock\""
        flock -s "$fd"
        fd=$((fd - 1))
      done
      cp -a "$src/." "$slot/target.new/"
    ); then
      # the other kernel's cell libraries are not this kernel's
      find "$slot/target.new" -maxdepth 4 \( -name 'libcode_*.so' -o -name 'libctx.so' \) -delete
      mv "$slot/target.new" "$slot/target"
    else
      rm -rf "$slot/target.new"
    fi
  fi
fi
export EVCXR_CARGO_LOCK="$root/Cargo.lock"
export EVCXR_TMPDIR="$slot"
exec "$evcxr" "$@"
