#!/usr/bin/env sh
# Starts evcxr_jupyter (path in $1, its arguments after) in a persistent work directory, with one
# target directory shared by every kernel and the workspace's Cargo.lock.
#
# evcxr builds each kernel's cells and dependencies in a work directory, by default a fresh
# temporary one, so every kernel start would recompile the course's own crates (evcxr's compile
# cache skips them: they are built incrementally). Here each running kernel takes a work
# directory of its own ($TMPDIR/trainlab-evcxr-<user>-<checkout>/slotN, locked by the kernel's
# pid: two kernels must not write one crate), and every slot's `target` is a link to one shared
# `target`: cargo finds the course built by any earlier kernel, its fingerprints rebuild only what
# changed, and its lock on the target directory makes two kernels compiling at once take turns.
# So a second notebook opened beside the first compiles nothing but its cell.
#
# The slot gets the workspace's Cargo.lock: the kernel compiles exactly the versions the tests ran
# with, never a newer release that appeared upstream since. evcxr compiles a first cell without
# dependencies when it starts, and cargo prunes the lock file to that; init.evcxr, which evcxr
# runs right after, copies $TRAINLAB_CARGO_LOCK back before any notebook cell.
#
# The slots live outside the checkout: evcxr's work directory is a cargo package, and inside the
# checkout cargo would take it for a stray workspace member.
set -eu
evcxr=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
checkout=$(printf '%s' "$root" | cksum | cut -d' ' -f1)
base="${TMPDIR:-/tmp}/trainlab-evcxr-$(id -u)-$checkout"
mkdir -p "$base/target"
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
if [ ! -L "$slot/target" ]; then
  # a slot from before the shared target directory: its own build goes
  rm -rf "$slot/target"
  ln -s ../target "$slot/target"
fi
cp "$root/Cargo.lock" "$slot/Cargo.lock"
export TRAINLAB_CARGO_LOCK="$root/Cargo.lock"
export EVCXR_TMPDIR="$slot"
exec "$evcxr" "$@"
