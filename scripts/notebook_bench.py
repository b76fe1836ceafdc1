"""Notebook speed, measured through Jupyter with nbclient and the "Rust (trainlab)" kernel.

Each round starts a fresh kernel and times, with a wall clock around nbclient's calls:
  start+dep  kernel start to the end of the first `:dep trainlab` cell (goal < 15 s, cache warm)
  trivial    a cell that only adds two numbers (goal < 1 s)
  train+plot a cell that trains the default MLP on the digits for 10 epochs and plots the
             learning curves inline (goal < 5 s), twice: the first cell of a kernel that touches
             the course's types pays a one-off compile of the prelude's items (about 7 s here),
             the second shows the steady state
A warm-up round runs first (not counted) so that evcxr's compile cache is warm; medians of the
rounds are printed. Run by `cargo make notebook-bench` (extra arguments come here):

    .venv/bin/python scripts/notebook_bench.py --rounds 3
"""

import argparse
import pathlib
import statistics
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
CELLS = {
    "dep": ':dep trainlab = { path = "../crates/trainlab" }',
    "use": "use trainlab::prelude::*;",
    "trivial": "1 + 1",
    "train+plot (first)": (
        'let h = lessons::train_history(&lessons::config("[train]\\nepochs = 10")?)?;\n'
        'lessons::plot_history("bench", &h)?.evcxr_display();'
    ),
    "train+plot": (
        'let h2 = lessons::train_history(&lessons::config("seed = 1\\n[train]\\nepochs = 10")?)?;\n'
        'lessons::plot_history("bench again", &h2)?.evcxr_display();'
    ),
}
GOALS = {"start+dep": 15.0, "trivial": 1.0, "train+plot (first)": 5.0, "train+plot": 5.0}


def one_round():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS.values()]
    client = NotebookClient(nb, timeout=900, kernel_name="trainlab-rust",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    times = {}
    start = time.monotonic()
    with client.setup_kernel():
        client.execute_cell(nb.cells[0], 0)
        times["start+dep"] = time.monotonic() - start
        client.execute_cell(nb.cells[1], 1)
        for i, name in ((2, "trivial"), (3, "train+plot (first)"), (4, "train+plot")):
            t = time.monotonic()
            client.execute_cell(nb.cells[i], i)
            times[name] = time.monotonic() - t
    for i in (3, 4):
        if not any("image/svg+xml" in o.get("data", {}) for o in nb.cells[i].outputs):
            raise SystemExit(f"bench: train+plot cell {i} drew no image")
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (default 3)")
    args = parser.parse_args()
    print("bench: warm-up round (fills evcxr's compile cache if it is cold)", flush=True)
    warm = one_round()
    print("bench: warm-up " + ", ".join(f"{k} {v:.1f} s" for k, v in warm.items()), flush=True)
    rounds = []
    for r in range(args.rounds):
        rounds.append(one_round())
        print(f"bench: round {r + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in rounds[-1].items()),
              flush=True)
    print(f"\n| measurement (median of {args.rounds}) | seconds | goal |")
    print("|---|---|---|")
    for name, goal in GOALS.items():
        med = statistics.median(r[name] for r in rounds)
        verdict = "met" if med < goal else "NOT met"
        print(f"| {name} | {med:.2f} | < {goal:g} s ({verdict}) |")


if __name__ == "__main__":
    main()
