"""trainlab against PyTorch, side by side in one run (issue 8). Prints ratios of medians.

Run:  cargo make bench-torch      (makes .venv-bench from requirements-bench.txt, or uses $BENCH_PYTHON)
  or: python scripts/bench/torch_vs_trainlab.py [--rounds 7] [--quick]

Written against torch 2.15.0 (requirements-bench.txt pins it).

1. The default MLP (digits 64-128-10, the same exported split, batch 32, Adam 1e-3, 20 epochs),
   torch.set_num_threads(t) against trainlab with RAYON_NUM_THREADS=t, t = 1 and 2:
   seconds per epoch (training + the per-epoch validation pass, as trainlab's trainer does it)
   and final validation accuracy.
2. One optimizer step of SGD+momentum, RMSprop and Adam on the MLP's parameter sizes and on a
   1M-parameter set: PyTorch's default (foreach on CPU is off by default), foreach=True and
   fused=True where it exists on the CPU, against trainlab's update_slice.
3. Adam on 16M f32 parameters: trainlab against PyTorch's fused (and foreach) Adam, and both
   against a memory copy of the same size.

The two sides alternate round by round (trainlab, PyTorch, trainlab, ...): the machine is
shared, so only ratios of medians are meaningful.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def cargo_build():
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "-p", "trainlab-bench", "--bins"],
        cwd=ROOT,
        check=True,
    )
    return TARGET / "release"


def run_json(cmd, threads=None):
    env = dict(os.environ)
    if threads is not None:
        env["RAYON_NUM_THREADS"] = str(threads)
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load_csv(path):
    a = np.loadtxt(path, delimiter=",", dtype=np.float32)
    return torch.from_numpy(a[:, 1:].copy()), torch.from_numpy(a[:, 0].astype(np.int64))


# ---------------------------------------------------------------- 1. the MLP
def torch_train(xtr, ytr, xva, yva, epochs, batch=32, seed=0):
    """What a student would write: nn.Sequential, Adam, a shuffled index per epoch.
    Returns (seconds per epoch, final validation accuracy)."""
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = xtr.shape[0]
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(n)
        loss_sum, acc_sum = 0.0, 0.0
        for i in range(0, n, batch):
            idx = perm[i : i + batch]
            xb, yb = xtr[idx], ytr[idx]
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item()  # trainlab reads the loss and batch accuracy every step too
            acc_sum += (logits.argmax(1) == yb).float().mean().item()
        model.eval()
        with torch.no_grad():
            out = model(xva)
            val_loss = loss_fn(out, yva).item()
            val_acc = (out.argmax(1) == yva).float().mean().item()
    seconds = (time.perf_counter() - start) / epochs
    return seconds, val_acc, val_loss


def bench_mlp(bins, data_dir, rounds, epochs):
    xtr, ytr = load_csv(data_dir / "train.csv")
    xva, yva = load_csv(data_dir / "val.csv")
    print(f"\n## 1. MLP 64-128-10 on digits ({xtr.shape[0]} train / {xva.shape[0]} val rows), "
          f"batch 32, Adam 1e-3, {epochs} epochs; median of {rounds} interleaved rounds")
    print("| threads | PyTorch s/epoch | trainlab s/epoch | trainlab / PyTorch | PyTorch val acc | trainlab val acc |")
    print("|---|---|---|---|---|---|")
    rows = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        ours, theirs, acc_ours, acc_theirs = [], [], [], []
        torch_train(xtr, ytr, xva, yva, 1)  # warm-up
        for r in range(rounds):
            j = run_json([bins / "bench_mlp", "train", str(epochs)], threads)
            ours.append(j["seconds_per_epoch"])
            acc_ours.append(j["val_accuracy"])
            s, a, _ = torch_train(xtr, ytr, xva, yva, epochs, seed=r)
            theirs.append(s)
            acc_theirs.append(a)
        mo, mt = statistics.median(ours), statistics.median(theirs)
        rows.append((threads, mt, mo, mo / mt))
        print(f"| {threads} | {mt:.4f} | {mo:.4f} | **{mo / mt:.2f}x** | "
              f"{statistics.median(acc_theirs):.4f} (min {min(acc_theirs):.4f}) | "
              f"{statistics.median(acc_ours):.4f} |")
    print("goal: trainlab <= 0.5x PyTorch's time per epoch, accuracy within a point")
    return rows


# ---------------------------------------------------------------- 2. one optimizer step
MLP_SIZES = [64 * 128, 128, 128 * 10, 10]


def torch_step_time(make_opt, sizes, rounds, calls):
    torch.manual_seed(0)
    params = [torch.nn.Parameter(torch.randn(n)) for n in sizes]
    for p in params:
        p.grad = torch.randn_like(p)
    opt = make_opt(params)
    for _ in range(3):
        opt.step()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(calls):
            opt.step()
        times.append((time.perf_counter() - t) / calls)
    return statistics.median(times)


def torch_variants(name):
    """PyTorch's update rules as the lecture's trainlab rules are compared with them."""
    def make(cls, **kw):
        variants = {"default": dict(foreach=False), "foreach": dict(foreach=True)}
        if name in ("momentum", "adam"):  # fused CPU kernels: SGD, Adam, AdamW (not RMSprop)
            variants["fused"] = dict(fused=True)
        return {v: (lambda ps, extra=extra: cls(ps, **kw, **extra)) for v, extra in variants.items()}
    if name == "momentum":
        return make(torch.optim.SGD, lr=1e-3, momentum=0.9)
    if name == "rmsprop":
        return make(torch.optim.RMSprop, lr=1e-2, alpha=0.9)
    return make(torch.optim.Adam, lr=1e-3)


def bench_steps(bins, rounds):
    print(f"\n## 2. One optimizer step, median of {rounds} interleaved rounds "
          "(trainlab: Optimizer::update_slice per tensor; PyTorch: opt.step() with gradients set)")
    print("| rule | parameters | trainlab | PyTorch default | foreach | fused | trainlab / best PyTorch |")
    print("|---|---|---|---|---|---|---|")
    for label, sizes, calls in (("MLP 64-128-10 (4 tensors)", MLP_SIZES, 400),
                                ("1M (1 tensor)", [1 << 20], 20)):
        for rule in ("momentum", "rmsprop", "adam"):
            variants = torch_variants(rule)
            ours = []
            theirs = {v: [] for v in variants}
            for _ in range(rounds):
                j = run_json([bins / "bench_optim", "step", rule,
                              ",".join(map(str, sizes)), str(calls)])
                ours.append(j["seconds"])
                for v, make in variants.items():
                    theirs[v].append(torch_step_time(make, sizes, 1, calls))
            mo = statistics.median(ours)
            mt = {v: statistics.median(t) for v, t in theirs.items()}
            best = min(mt.values())
            us = lambda s: f"{s * 1e6:.1f} us"
            cells = [us(mt[v]) if v in mt else "n/a" for v in ("default", "foreach", "fused")]
            print(f"| {rule} | {label} | {us(mo)} | " + " | ".join(cells) + f" | **{mo / best:.2f}x** |")


# ---------------------------------------------------------------- 3. memory-bound Adam
def bench_memory(bins, rounds, n):
    torch.set_num_threads(1)
    print(f"\n## 3. Adam on {n / 1e6:.1f}M f32 parameters, one thread each; "
          f"median of {rounds} interleaved rounds")
    bytes_adam = 28 * n  # read theta, g, m, v; write theta, m, v
    bytes_copy = 8 * n   # read src, write dst
    theta = torch.nn.Parameter(torch.randn(n))
    theta.grad = torch.randn(n)
    src, dst = torch.randn(n), torch.empty(n)
    opts = {"fused": torch.optim.Adam([theta], lr=1e-3, fused=True),
            "foreach": torch.optim.Adam([theta], lr=1e-3, foreach=True)}
    for o in opts.values():
        o.step()
    ours, ours_copy, torch_copy = [], [], []
    theirs = {k: [] for k in opts}
    for _ in range(rounds):
        j = run_json([bins / "bench_optim", "memory", str(n), "3"], 1)
        ours.append(j["adam_seconds"])
        ours_copy.append(j["copy_seconds"])
        for k, o in opts.items():
            t = time.perf_counter()
            for _ in range(3):
                o.step()
            theirs[k].append((time.perf_counter() - t) / 3)
        t = time.perf_counter()
        for _ in range(3):
            dst.copy_(src)
        torch_copy.append((time.perf_counter() - t) / 3)
    gbs = lambda b, s: b / s / 1e9
    mo, mc, tc = map(statistics.median, (ours, ours_copy, torch_copy))
    print(f"bytes per Adam step: {bytes_adam / 1e6:.0f} MB (28 B/param); per copy: {bytes_copy / 1e6:.0f} MB (8 B/param)")
    print("| what | ms per step | GB/s | share of copy bandwidth |")
    print("|---|---|---|---|")
    print(f"| memory copy (Rust copy_from_slice) | {mc * 1e3:.2f} | {gbs(bytes_copy, mc):.2f} | 100% |")
    print(f"| memory copy (torch copy_) | {tc * 1e3:.2f} | {gbs(bytes_copy, tc):.2f} | {gbs(bytes_copy, tc) / gbs(bytes_copy, mc):.0%} |")
    print(f"| trainlab Adam update_slice | {mo * 1e3:.2f} | {gbs(bytes_adam, mo):.2f} | **{gbs(bytes_adam, mo) / gbs(bytes_copy, mc):.0%}** |")
    for k in opts:
        m = statistics.median(theirs[k])
        print(f"| PyTorch Adam {k} | {m * 1e3:.2f} | {gbs(bytes_adam, m):.2f} | {gbs(bytes_adam, m) / gbs(bytes_copy, mc):.0%} |")
    m = statistics.median(theirs["fused"])
    print(f"trainlab / PyTorch fused Adam: **{mo / m:.2f}x** time (goal <= 1.0x); "
          "goal: >= 60% of copy bandwidth")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--params", type=int, default=16 * 1024 * 1024)
    ap.add_argument("--only", choices=["mlp", "steps", "memory"])
    args = ap.parse_args()
    print(f"torch {torch.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    bins = cargo_build()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        run_json([bins / "bench_mlp", "export", str(data_dir)])
        if args.only in (None, "mlp"):
            bench_mlp(bins, data_dir, args.rounds, args.epochs)
    torch.set_num_threads(1)
    if args.only in (None, "steps"):
        bench_steps(bins, args.rounds)
    if args.only in (None, "memory"):
        bench_memory(bins, args.rounds, args.params)


if __name__ == "__main__":
    main()
