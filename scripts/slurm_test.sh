#!/bin/sh
# `cargo make slurm-test` (part of `cargo make ci`): a single-node Slurm on this machine runs the
# array job that `trainlab search --study DIR --emit slurm` writes, on a small ASHA study, and
# the study's journal is checked: every trial done exactly once, by the array's workers.
#
# As root with apt-get it installs Debian's slurm-wlm and munge when missing, writes a
# slurm.conf for this host only (no cgroups: proctrack/linuxproc, task/none, no accounting),
# starts munged, slurmctld and slurmd on ports of their own, submits with `sbatch --wait`, and
# stops the daemons it started (by their PID files) whatever happens. Where it cannot (not
# root, no apt-get, a daemon that does not start) it says SKIPPED with the reason and runs the
# local-workers test (several `trainlab worker` processes, one SIGKILLed) instead.
set -u

START=$(date +%s)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/trainlab-slurm.XXXXXX)
STARTED=""

say() { echo "slurm-test: $*"; }

stop_daemons() {
    for p in $STARTED; do
        if [ -f "$p" ]; then
            pid=$(cat "$p")
            kill "$pid" 2>/dev/null
            i=0
            while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        fi
    done
    STARTED=""
}
trap stop_daemons EXIT

skip() {
    echo "=================================================================="
    echo "SKIPPED slurm-test: $*"
    echo "running the local-workers test instead (cargo test -p trainlab --test workers)"
    echo "=================================================================="
    [ -f "$WORK/slurmctld.log" ] && { echo "--- slurmctld.log (tail)"; tail -n 20 "$WORK/slurmctld.log"; }
    [ -f "$WORK/slurmd.log" ] && { echo "--- slurmd.log (tail)"; tail -n 20 "$WORK/slurmd.log"; }
    stop_daemons
    rm -rf "$WORK"
    cd "$ROOT" && exec cargo test -p trainlab --test workers
}

fail() {
    echo "slurm-test FAILED: $*"
    [ -f "$WORK/slurmctld.log" ] && { echo "--- slurmctld.log (tail)"; tail -n 30 "$WORK/slurmctld.log"; }
    [ -f "$WORK/slurmd.log" ] && { echo "--- slurmd.log (tail)"; tail -n 30 "$WORK/slurmd.log"; }
    for f in "$WORK"/study/launch/slurm-*.out; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
    exit 1
}

[ "$(id -u)" = 0 ] || skip "not root: installing Slurm and starting its daemons needs root"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || skip "Slurm is not installed and there is no apt-get"
    say "installing slurm-wlm and munge (apt-get)"
    T0=$(date +%s)
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge; } \
        >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log"; skip "apt-get install slurm-wlm munge failed"; }
    say "installed in $(($(date +%s) - T0)) s"
fi
PATH="$PATH:/usr/sbin:/sbin"

HOST=$(hostname -s)
CPUS=$(nproc)
[ "$CPUS" -gt 2 ] && CPUS=2
mkdir -p "$WORK/state" "$WORK/spool"
cat >"$WORK/slurm.conf" <<EOF
# a one-node cluster for trainlab's CI: no cgroups, no accounting
ClusterName=trainlab
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SlurmdTimeout=60
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=ci Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$WORK/slurm.conf"

# munge: the daemon that signs Slurm's messages (its key comes with the Debian package)
if ! munge -n >/dev/null 2>&1; then
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null
    [ -f /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || create-munge-key -f 2>/dev/null; chown munge:munge /etc/munge/munge.key; }
    runuser -u munge -- munged >"$WORK/munged.out" 2>&1 \
        || munged --force >"$WORK/munged.out" 2>&1 \
        || { cat "$WORK/munged.out"; skip "munged does not start"; }
    [ -f /run/munge/munged.pid ] && STARTED="$STARTED /run/munge/munged.pid"
    i=0
    until munge -n >/dev/null 2>&1; do
        i=$((i + 1)); [ $i -gt 50 ] && skip "munged started but munge -n fails"; sleep 0.1
    done
fi

slurmctld -f "$SLURM_CONF" >"$WORK/slurmctld.out" 2>&1 || { cat "$WORK/slurmctld.out"; skip "slurmctld does not start"; }
STARTED="$WORK/slurmctld.pid $STARTED"
slurmd -f "$SLURM_CONF" >"$WORK/slurmd.out" 2>&1 || { cat "$WORK/slurmd.out"; skip "slurmd does not start"; }
STARTED="$WORK/slurmd.pid $STARTED"
i=0
until sinfo -h -N -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; do
    i=$((i + 1))
    [ $i -gt 60 ] && skip "the node never became idle: $(sinfo -h -N -o '%t %E' 2>&1)"
    sleep 0.5
done
say "Slurm up after $(($(date +%s) - START)) s: $(sinfo -h -N -o '%N %t %c CPUs')"

cd "$ROOT" || exit 1
cargo build --quiet -p trainlab || fail "cargo build -p trainlab"
TRAINLAB="$ROOT/target/debug/trainlab"
cat >"$WORK/space.toml" <<EOF
[space."optimizer.alpha"]
kind = "log_uniform"
low = 1e-4
high = 1.0

[search]
kind = "asha"
trials = 9
seed = 0
grace_period = 1
reduction_factor = 3
max_epochs = 9
EOF
STUDY="$WORK/study"
"$TRAINLAB" search --space "$WORK/space.toml" --study "$STUDY" --emit slurm --workers 2 \
    || fail "trainlab search --emit slurm"
say "submitting $STUDY/launch/workers.sbatch"
timeout 600 sbatch --wait "$STUDY/launch/workers.sbatch" || fail "sbatch --wait: the array job failed or timed out"

# the journal: 9 trials, each done exactly once, claimed by the array's workers
python3 - "$STUDY/journal.jsonl" <<'EOF' || fail "the journal's check"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
done = [e["trial"] for e in entries if e["op"] == "done"]
workers = {e["worker"] for e in entries if e["op"] == "claim"}
assert sorted(done) == list(range(9)), f"done trials {sorted(done)}: expected 0..8 once each"
statuses = [e["row"]["status"] for e in entries if e["op"] == "done"]
assert set(statuses) <= {"completed", "pruned"}, statuses
assert "completed" in statuses and "pruned" in statuses, statuses
print(f"slurm-test: journal ok: 9 trials done once each ({statuses.count('pruned')} pruned) by {len(workers)} workers")
EOF
ls "$STUDY"/launch/slurm-*_0.out "$STUDY"/launch/slurm-*_1.out >/dev/null 2>&1 || fail "expected the logs of array tasks 0 and 1"
"$TRAINLAB" search --study "$STUDY" --status | tail -n 3
stop_daemons
say "passed in $(($(date +%s) - START)) s"
rm -rf "$WORK"
