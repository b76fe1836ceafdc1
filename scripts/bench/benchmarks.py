"""trainlab against PyTorch at three MLP sizes and two thread counts, with the machine's limits
(issue 18). Prints a markdown report; `--write` puts it into BENCHMARKS.md between the
`<!-- benchmarks:begin -->` and `<!-- benchmarks:end -->` markers.

Run:  cargo make benchmarks       (makes .venv-bench once, or uses $BENCH_PYTHON; writes BENCHMARKS.md)
  or: python scripts/bench/benchmarks.py [--rounds 7] [--big-rounds 3] [--adam-rounds 9] [--write] [--quick]

Written against torch 2.15.0 (scripts/bench/requirements-bench.txt pins it).

What is measured, each in its own process so that peak RSS is that run's own:
- trainlab: `trainlab train -c CONFIG` as users run it (run directory, metrics, checkpoints,
  TensorBoard events; seconds per epoch from its summary.json, which counts them) and the bare
  trainer beside it (`bench_mlp train`, no run directory);
- PyTorch: the loop a competent user writes (nn.Sequential, Adam(fused=True),
  zero_grad(set_to_none=True), a shuffled permutation per epoch, inference_mode for validation),
  at torch.set_num_threads(1) and (2); the ratio is against the faster of the two;
- trainlab at RAYON_NUM_THREADS=1 and with no variable set (the default: every core).
Seconds per epoch exclude process start and data loading on every side and include the
per-epoch validation pass. Rounds are interleaved (trainlab train, bare trainer, PyTorch 1,
PyTorch 2, at each thread count) and medians are reported; the machine is shared, so only
ratios within one run mean anything. The load average is recorded before, during and after.

The cost model: forward+backward GFLOP/s against the matmul peak (a 1024^3 matmul through the
same dfdx kernel, `bench_limits matmul`), and an optimizer step's bytes/s (Adam: 28 B per
parameter) against a STREAM triad at the same thread count (`bench_limits triad`). The FLOPs are
the work both sides must do per sample: 2 * weights for the forward matmuls, as many for the
weight gradients, and the input gradients of every layer but the first (2 * (3 W - W1); neither
side computes the gradient of the data batch). The floor of a row is that work for one epoch at
the fastest matmul measured on this machine at that thread count (dfdx's or PyTorch's): no
implementation whose matmuls run at that speed can train an epoch faster, so a target below the
floor is out of reach on this machine, whatever the rest of the loop does.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BEGIN, END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
THREADS = (1, 2)
ADAM_BYTES = 28  # read theta, g, m, v; write theta, m, v
TRIAD_N = 1 << 24  # 3 arrays of 64 MiB: well past the last-level cache
ADAM_N = 16 * 1024 * 1024  # 16.8M parameters


# ------------------------------------------------------------------ running things
def run(cmd, threads=None, env_extra=None):
    """Runs cmd, returns (stdout, wall seconds). threads=None leaves
    RAYON_NUM_THREADS unset (trainlab's default: every core)."""
    env = dict(os.environ)
    env.pop("RAYON_NUM_THREADS", None)
    if threads is not None:
        env["RAYON_NUM_THREADS"] = str(threads)
    env.update(env_extra or {})
    t = time.perf_counter()
    p = subprocess.Popen([str(c) for c in cmd], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"benchmarks: {' '.join(map(str, cmd))} failed ({p.returncode}):\n{err}")
    return out, wall


GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def run_rss(cmd, threads=None):
    """run(), with the child's own peak RSS in MiB: (stdout, MiB, wall).

    Linux counts a forked child's peak RSS from its parent's at the fork, so this process stays
    small (numpy and torch only in workers), and GNU time (a small process) starts the child
    when it is installed; without it the parent's ~10 MiB is a floor under every figure."""
    with tempfile.NamedTemporaryFile("r") as rss:
        prefix = [GNU_TIME, "-f", "%M", "-o", rss.name] if GNU_TIME else []
        env = dict(os.environ)
        env.pop("RAYON_NUM_THREADS", None)
        if threads is not None:
            env["RAYON_NUM_THREADS"] = str(threads)
        t = time.perf_counter()
        p = subprocess.Popen(prefix + [str(c) for c in cmd], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        out, err = p.communicate()
        wall = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(f"benchmarks: {' '.join(map(str, cmd))} failed ({p.returncode}):\n{err}")
        kib = int(rss.read().strip().splitlines()[-1]) if GNU_TIME else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return out, kib / 1024, wall


def last_json(text):
    return json.loads(text.strip().splitlines()[-1])


def load():
    return os.getloadavg()[0]


def cargo_build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "trainlab", "-p",
                    "trainlab-bench", "--bins"], cwd=ROOT, check=True)
    return TARGET / "release"


# ------------------------------------------------------------------ the data
def synthetic_mnist(dir_: Path, rows: int, seed=0):
    """In a worker process (numpy's arrays would raise every later child's peak RSS)."""
    run([sys.executable, Path(__file__).resolve(), "--worker", "data", "--data", dir_, "--params", rows])
    return (dir_ / f"synthetic-{rows}x784.csv", dir_ / f"synthetic-{rows}-x.npy",
            dir_ / f"synthetic-{rows}-y.npy")


def synthetic_worker(dir_: Path, rows: int, seed=0):
    """MNIST-sized synthetic digits: `rows` x 784 pixels in 0..255 around 10 class prototypes,
    label last. Written once as CSV (trainlab) and .npy (PyTorch), reused by later runs."""
    import numpy as np

    csv, xs, ys = dir_ / f"synthetic-{rows}x784.csv", dir_ / f"synthetic-{rows}-x.npy", dir_ / f"synthetic-{rows}-y.npy"
    if csv.exists() and xs.exists() and ys.exists():
        return csv, xs, ys
    dir_.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    protos = rng.integers(0, 256, size=(10, 784))
    y = rng.integers(0, 10, size=rows)
    x = np.clip(protos[y] + rng.normal(0, 90, size=(rows, 784)), 0, 255).astype(np.uint8)
    np.save(xs, x)
    np.save(ys, y.astype(np.int64))
    names = [str(i) for i in range(256)]
    with open(csv, "w") as f:
        f.write(",".join(f"p{i}" for i in range(784)) + ",label\n")
        for row, label in zip(x.tolist(), y.tolist()):
            f.write(",".join(names[v] for v in row) + f",{label}\n")
    return csv, xs, ys


# ------------------------------------------------------------------ the PyTorch worker
def torch_worker(args):
    """One PyTorch training run in this process; prints one JSON line."""
    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.data.endswith(".npy"):  # synthetic: first 80% train, next 10% validation, like the split's sizes
        x = np.load(args.data).astype(np.float32)
        y = np.load(args.data.replace("-x.npy", "-y.npy"))
        n_tr, n_va = int(0.8 * len(x)), int(0.1 * len(x))
        mean, std = x[:n_tr].mean(0), x[:n_tr].std(0)
        x = (x - mean) / np.where(std > 0, std, 1)
        xtr, ytr = torch.from_numpy(x[:n_tr].copy()), torch.from_numpy(y[:n_tr].copy())
        xva, yva = torch.from_numpy(x[n_tr:n_tr + n_va].copy()), torch.from_numpy(y[n_tr:n_tr + n_va].copy())
    else:  # the exported digits split (already standardised), label first
        tr = np.loadtxt(Path(args.data) / "train.csv", delimiter=",", dtype=np.float32)
        va = np.loadtxt(Path(args.data) / "val.csv", delimiter=",", dtype=np.float32)
        xtr, ytr = torch.from_numpy(tr[:, 1:].copy()), torch.from_numpy(tr[:, 0].astype(np.int64))
        xva, yva = torch.from_numpy(va[:, 1:].copy()), torch.from_numpy(va[:, 0].astype(np.int64))
    sizes = [int(s) for s in args.sizes.split("-")]
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True)
    loss_fn = torch.nn.CrossEntropyLoss()
    n, batch = xtr.shape[0], args.batch
    start = time.perf_counter()
    for _ in range(args.epochs):
        model.train()
        perm = torch.randperm(n)
        loss_sum, correct = 0.0, 0
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            xb, yb = xtr[idx], ytr[idx]
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item()  # the trainer reads the loss and batch accuracy every step too
            correct += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.inference_mode():
            out = model(xva)
            val_acc = (out.argmax(1) == yva).float().mean().item()
    seconds = (time.perf_counter() - start) / args.epochs
    print(json.dumps({"seconds_per_epoch": seconds, "val_accuracy": val_acc}))


def torch_adam_worker(args):
    """Fused Adam on args.params parameters at args.threads threads: median seconds per step."""
    import torch

    torch.set_num_threads(args.threads)
    theta = torch.nn.Parameter(torch.randn(args.params))
    theta.grad = torch.randn(args.params)
    opt = torch.optim.Adam([theta], lr=1e-3, fused=True)
    opt.step()
    times = []
    for _ in range(args.steps):
        t = time.perf_counter()
        opt.step()
        times.append(time.perf_counter() - t)
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)
    a @ b
    mm = []
    for _ in range(3):
        t = time.perf_counter()
        a @ b
        mm.append(time.perf_counter() - t)
    print(json.dumps({"adam_seconds": statistics.median(times), "torch": torch.__version__,
                      "matmul_gflops": 2 * 1024 ** 3 / statistics.median(mm) / 1e9}))


# ------------------------------------------------------------------ the comparisons
def config_toml(path: Path, hidden, batch, epochs, csv=None):
    data = f'[data]\ndataset = "csv"\npath = "{csv}"\n\n' if csv else ""
    path.write_text(
        f"{data}[model]\nhidden = [{', '.join(map(str, hidden))}]\n\n"
        f"[optimizer]\nkind = \"adam\"\nepsilon = \"outside_sqrt\"\n\n"
        f"[train]\nepochs = {epochs}\nbatch_size = {batch}\n")
    return path


def median(xs):
    return statistics.median(xs)


def bench_mlp_size(bins, tmp, label, sizes, batch, epochs, rounds, torch_data, csv=None, loads=None):
    """One MLP size: every side at both thread counts, interleaved. Returns a dict of medians."""
    hidden = sizes[1:-1]
    cfg = config_toml(tmp / f"{label}.toml", hidden, batch, epochs, csv)
    seen = {}

    def add(key, value):
        seen.setdefault(key, []).append(value)

    me = [sys.executable, Path(__file__).resolve()]
    for r in range(rounds):
        for t in THREADS:
            rayon = 1 if t == 1 else None  # 2 = the default: no RAYON_NUM_THREADS
            runs = tmp / "runs"
            out, rss, wall = run_rss([bins / "trainlab", "train", "-c", cfg, "--runs-dir", runs,
                                      "--name", f"{label}-{t}-{r}", "--progress", "quiet"], rayon)
            summary = json.loads((runs / "default" / f"{label}-{t}-{r}" / "summary.json").read_text())
            shutil.rmtree(runs / "default" / f"{label}-{t}-{r}")
            add(("train", t), summary["report"]["timings"]["seconds_per_epoch"])
            add(("train_rss", t), rss)
            add(("train_acc", t), summary["report"]["final_val_accuracy"])
            out, rss, _ = run_rss([bins / "bench_mlp", "train", epochs, cfg], rayon)
            j = last_json(out)
            add(("bare", t), j["seconds_per_epoch"])
            add(("bare_rss", t), rss)
            add(("fb_ms", t), j["forward_backward_ms"])
            add(("update_ms", t), j["update_ms"])
            add(("steps", t), j["steps"] / j["epochs"])
            out, rss, _ = run_rss(me + ["--worker", "mlp", "--threads", t, "--sizes", "-".join(map(str, sizes)),
                                        "--batch", batch, "--epochs", epochs, "--data", torch_data])
            j = last_json(out)
            add(("torch", t), j["seconds_per_epoch"])
            add(("torch_rss", t), rss)
            add(("torch_acc", t), j["val_accuracy"])
            if loads is not None:
                loads.append(load())
    out = {k: median(v) for k, v in seen.items()}
    # default over 1 thread round by round: the spread says how much of a ratio is noise
    out["pairs"] = [two / one for one, two in zip(seen[("train", 1)], seen[("train", 2)])]
    return out


def weights(sizes):
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


def flops_per_sample(sizes):
    """Forward and backward matmul FLOPs both sides must do for one sample (module docstring)."""
    return 2 * (3 * weights(sizes) - sizes[0] * sizes[1])


def params(sizes):
    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="rounds for the digits-sized MLPs")
    ap.add_argument("--big-rounds", type=int, default=3, help="rounds for 784-1024-1024-10")
    ap.add_argument("--adam-rounds", type=int, default=9, help="rounds for Adam at 16.8M parameters")
    ap.add_argument("--epochs", type=int, default=30, help="epochs per run, digits-sized MLPs")
    ap.add_argument("--big-rows", type=int, default=75000, help="synthetic rows (80%% train: 60000)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 1 round, tiny synthetic set")
    ap.add_argument("--write", action="store_true", help="write the report into BENCHMARKS.md")
    ap.add_argument("--worker", choices=["mlp", "adam", "data"], help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--sizes", help=argparse.SUPPRESS)
    ap.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--params", type=int, default=ADAM_N, help=argparse.SUPPRESS)
    ap.add_argument("--steps", type=int, default=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker == "mlp":
        return torch_worker(args)
    if args.worker == "adam":
        return torch_adam_worker(args)
    if args.worker == "data":
        synthetic_worker(Path(args.data), args.params)
        return None
    if args.quick:
        args.rounds, args.big_rounds, args.adam_rounds, args.epochs, args.big_rows = 1, 1, 1, 2, 2000

    load_before = load()
    started = time.perf_counter()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    bins = cargo_build()
    lines = []
    say = lines.append
    loads = [load_before]
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        # the limits
        mm = last_json(run([bins / "bench_limits", "matmul", 1024, 1024, 1024, 5])[0])
        triad = last_json(run([bins / "bench_limits", "triad", TRIAD_N, 5])[0])
        loads.append(load())
        # the MLPs
        digits = tmp / "digits"
        run([bins / "bench_mlp", "export", digits])
        csv, xs, _ = synthetic_mnist(TARGET / "bench-data", args.big_rows)
        cases = [
            ("64-128-10 (digits default), batch 32", [64, 128, 10], 32, args.epochs, args.rounds, str(digits), None),
            ("64-1024-10 (digits), batch 32", [64, 1024, 10], 32, args.epochs, args.rounds, str(digits), None),
            ("64-1024-10 (digits), batch 256", [64, 1024, 10], 256, args.epochs, args.rounds, str(digits), None),
            (f"784-1024-1024-10 (synthetic {args.big_rows} x 784), batch 128", [784, 1024, 1024, 10], 128, 1,
             args.big_rounds, str(xs), csv),
        ]
        results = []
        for i, (label, sizes, batch, epochs, rounds, data, csv_) in enumerate(cases):
            print(f"benchmarks: {label} ...", file=sys.stderr, flush=True)
            results.append(bench_mlp_size(bins, tmp, f"case{i}", sizes, batch, epochs, rounds, data, csv_, loads))
        # Adam at 16.8M
        print("benchmarks: Adam at 16.8M parameters ...", file=sys.stderr, flush=True)
        adam = {1: [], 2: []}
        torch_adam = {1: [], 2: []}
        torch_mm = {1: [], 2: []}
        me = [sys.executable, Path(__file__).resolve()]
        for _ in range(args.adam_rounds):
            for t in THREADS:
                j = last_json(run([bins / "bench_optim", "memory", ADAM_N, 5], 1 if t == 1 else None)[0])
                adam[t].append(j["adam_seconds"])
                j = last_json(run(me + ["--worker", "adam", "--threads", t])[0])
                torch_adam[t].append(j["adam_seconds"])
                torch_mm[t].append(j["matmul_gflops"])
                torch_version = j["torch"]
        loads.append(load())
    load_after = load()
    minutes = (time.perf_counter() - started) / 60

    # ------------------------------------------------------------------ the report
    busy = max(load_before, load_after) > 0.5 * os.cpu_count()
    say(f"Generated by `cargo make benchmarks` on {datetime.date.today()} in {minutes:.1f} min: {cpu}, "
        f"{os.cpu_count()} cores; torch {torch_version}, python {platform.python_version()}. "
        f"Load average (1 min) before {load_before:.2f}, during {min(loads):.2f} to {max(loads):.2f}, "
        f"after {load_after:.2f}.")
    if busy:
        say("")
        say(f"**Warning: the machine was busy** (load average above {0.5 * os.cpu_count():.1f}, half its cores): "
            "other processes took cores from both sides, two threads most of all. Ratios within a row "
            "are still interleaved measurements of the same moments; absolute times are pessimistic.")
    say("")
    say("### The machine's limits (the same kernels trainlab uses)")
    say("")
    say("| threads | matmul 1024^3 through dfdx (GFLOP/s) | PyTorch matmul 1024^3 (GFLOP/s) | STREAM triad (GB/s) |")
    say("|---|---|---|---|")
    for t in THREADS:
        say(f"| {t} | {mm[f'gflops_{t}']:.1f} | {median(torch_mm[t]):.1f} | {triad[f'gbs_{t}']:.1f} |")
    say("")
    say("### Seconds per epoch against PyTorch")
    say("")
    say("trainlab at 2 threads is the default (no `RAYON_NUM_THREADS`); PyTorch's best is the faster of "
        "`set_num_threads(1)` and `(2)`. `trainlab train` writes its run directory, checkpoints and "
        "TensorBoard events (its summary.json's seconds per epoch count them); the bare trainer does not.")
    say("")
    say("| MLP | threads | `trainlab train` | bare trainer | PyTorch | PyTorch best | **train / best** | "
        "floor (target 0.5x best) | fwd+bwd GFLOP/s (% of matmul peak) | update GB/s (% of triad; over 100%: in cache) | peak RSS train / bare / PyTorch (MiB) | val acc train / PyTorch |")
    say("|---|---|---|---|---|---|---|---|---|---|---|---|")
    verdicts = []
    for (label, sizes, batch, *_), r in zip(cases, results):
        best = min(r[("torch", t)] for t in THREADS)
        for t in THREADS:
            tr = r[("train", t)]
            gflops = batch * flops_per_sample(sizes) / (r[("fb_ms", t)] / 1e3) / 1e9
            rows = (r[("steps", t)] - 1) * batch + 1  # at least this many training rows per epoch
            peak = max(mm[f"gflops_{t}"], median(torch_mm[t]))
            floor = rows * flops_per_sample(sizes) / (peak * 1e9)
            upd = ADAM_BYTES * params(sizes) / (r[("update_ms", t)] / 1e3) / 1e9
            say(f"| {label} | {t} | {tr * 1e3:.1f} ms | {r[('bare', t)] * 1e3:.1f} ms | {r[('torch', t)] * 1e3:.1f} ms | "
                f"{best * 1e3:.1f} ms | **{tr / best:.2f}x** | {floor * 1e3:.1f} ms ({0.5 * best * 1e3:.1f} ms) | "
                f"{gflops:.1f} ({gflops / mm[f'gflops_{t}']:.0%}) | "
                f"{upd:.1f} ({upd / triad[f'gbs_{t}']:.0%}) | {r[('train_rss', t)]:.0f} / {r[('bare_rss', t)]:.0f} / "
                f"{r[('torch_rss', t)]:.0f} | {r[('train_acc', t)]:.3f} / {r[('torch_acc', t)]:.3f} |")
            why = ""
            if floor > 0.5 * best:
                why = (f"; out of reach on this machine: the epoch's matmuls alone take {floor * 1e3:.1f} ms "
                       f"at the fastest matmul measured here ({peak:.0f} GFLOP/s at {t} thread{'s' if t > 1 else ''}), "
                       f"the target is {0.5 * best * 1e3:.1f} ms")
            verdicts.append((f"{label}, {t} thread{'s' if t > 1 else ''}: train / best PyTorch "
                             f"{tr / best:.2f}x (target <= 0.5x){why}", tr / best <= 0.5))
        one, two = r[("train", 1)], r[("train", 2)]
        pairs = r["pairs"]
        verdicts.append((f"{label}: default (2 threads) / 1 thread {two / one:.2f}x, rounds {min(pairs):.2f} to "
                         f"{max(pairs):.2f} (target: never above 1, within 5% noise)", two / one <= 1.05))
    big = results[-1]
    speedup = big[("train", 1)] / big[("train", 2)]
    verdicts.append((f"784-1024-1024-10: 2 threads {speedup:.2f}x faster than 1 (target >= 1.3x)", speedup >= 1.3))
    say("")
    say(f"### Adam on {ADAM_N / 1e6:.1f}M parameters against PyTorch's fused Adam")
    say("")
    say("| threads | trainlab `update_slice` | GB/s (% of triad) | PyTorch `Adam(fused=True)` | GB/s | **trainlab / PyTorch** |")
    say("|---|---|---|---|---|---|")
    for t in THREADS:
        a, p = median(adam[t]), median(torch_adam[t])
        gbs = lambda s: ADAM_BYTES * ADAM_N / s / 1e9
        say(f"| {t} | {a * 1e3:.2f} ms | {gbs(a):.1f} ({gbs(a) / triad[f'gbs_{t}']:.0%}) | {p * 1e3:.2f} ms | "
            f"{gbs(p):.1f} | **{a / p:.2f}x** |")
        rounds = [x / y for x, y in zip(adam[t], torch_adam[t])]
        verdicts.append((f"Adam 16.8M at {t} thread{'s' if t > 1 else ''}: {a / p:.3f}x fused PyTorch, rounds "
                         f"{min(rounds):.2f} to {max(rounds):.2f} (target <= 1.0x)", a / p <= 1.0))
    say("")
    say("### Targets")
    say("")
    for text, ok in verdicts:
        say(f"- {'met' if ok else '**not met**'}: {text}")
    report = "\n".join(lines)
    print(report)
    if busy:
        print(f"\nbenchmarks: WARNING: the machine was busy (load average {load_before:.2f} before, "
              f"{load_after:.2f} after, {os.cpu_count()} cores)", file=sys.stderr)
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text()
        if BEGIN not in text or END not in text:
            sys.exit(f"benchmarks: {path} has no {BEGIN} ... {END} section to replace")
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        path.write_text(f"{head}{BEGIN}\n{report}\n{END}{tail}")
        print(f"benchmarks: wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
