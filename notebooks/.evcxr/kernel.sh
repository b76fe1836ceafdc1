#!/usr/bin/env sh
# Starts evcxr_jupyter (path in $1, its arguments after) in a persistent work directory.
#
# evcxr builds each kernel's cells and dependencies in a work directory, by default a fresh
# temporary one, so every kernel start recompiles the course's own crates (evcxr's compile cache
# skips them: they are built incrementally). With EVCXR_TMPDIR pointing at a directory that
# outlives the kernel, cargo finds the previous build and recompiles only what changed (cargo's
# own fingerprints, so an edited crate is rebuilt). Each running kernel takes its own slot
# ($TMPDIR/trainlab-evcxr-<user>-<checkout>/slotN, locked by the kernel's pid), so two notebooks
# open at once do not share one. The slots live outside the checkout: evcxr's work directory is a
# cargo package, and inside the checkout cargo would take it for a stray workspace member.
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
export EVCXR_TMPDIR="$slot"
exec "$evcxr" "$@"
