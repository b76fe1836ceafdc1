#!/bin/sh
# Benchmark of the autograder (every step in the bubblewrap sandbox): one full submission with a
# warm build, then 20 submissions with 1 and with 2 parallel jobs (each job its own target dir),
# and their ratio. Every submission is the instructor's solution (full marks), so every test runs
# to completion. Usage (from the repository root): sh crates/grader/benches/autograde.sh
set -eu
N=${N:-20}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release --quiet -p trainlab-grader
G="$CARGO_TARGET_DIR/release/trainlab-grader"
SUBS=$(mktemp -d)
OUT=$(mktemp -d)
trap 'rm -rf "$SUBS" "$OUT"' EXIT
for i in $(seq -w 1 "$N"); do
  for f in exercises/[0-9][0-9]_*/src/lib.rs exercises/[0-9][0-9]_*/*.toml; do
    case "$f" in */Cargo.toml) continue ;; esac
    d="$SUBS/student$i/${f#exercises/}"
    mkdir -p "$(dirname "$d")" && cp "$f" "$d"
  done
done
mkdir -p "$SUBS/one" && cp -r "$SUBS/student01" "$SUBS/one/"
"$G" warm --exercises exercises >/dev/null
t() { s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "one submission, warm build:   $(t "$G" autograde --exercises exercises "$SUBS/one" --out "$OUT/one" --jobs 1) s"
# a second job's target dir starts as a copy of the first's: make it before timing
"$G" autograde --exercises exercises "$SUBS/one" --out "$OUT/one" --jobs 2 >/dev/null
mkdir -p "$SUBS/many" && mv "$SUBS"/student* "$SUBS/many/"
t1=$(t "$G" autograde --exercises exercises "$SUBS/many" --out "$OUT/j1" --jobs 1)
echo "$N submissions, 1 job:        $t1 s ($(echo "scale=1; $t1 / $N" | bc) s per submission)"
t2=$(t "$G" autograde --exercises exercises "$SUBS/many" --out "$OUT/j2" --jobs 2)
echo "$N submissions, 2 jobs:       $t2 s"
echo "2 jobs / 1 job:               $(echo "scale=3; $t2 / $t1" | bc)"
cmp "$OUT/j1/gradebook.csv" "$OUT/j2/gradebook.csv" && echo "gradebooks of 1 and 2 jobs are identical"
head -3 "$OUT/j2/gradebook.csv"
