"""Notebook speed, measured through Jupyter with nbclient and the "Rust (trainlab)" kernel.

Each round starts a fresh kernel A and times, with a wall clock around nbclient's calls:
  start to :dep      kernel start to the end of the `:dep trainlab` cell (cache warm)
  start to lesson    kernel start to the end of the first lesson cell (`:dep`, `use`, then a
                     block that trains the default MLP for 10 epochs and plots it, as every
                     notebook's first lesson cell): what a student waits for after opening a
                     notebook (goal < 8 s)
  first let          the kernel's first top-level `let`, run right after (as in Run All): it
                     waits for what is left of rust-analyzer's background load (no goal; a
                     student reading the first result meanwhile does not wait)
  second notebook    while A is still running, a second kernel B from its start to the end of
                     the same first lesson cell: a second notebook opened beside the first
                     (goal < 10 s)
  trivial, config    later cells in A: `1 + 1`, and `lessons::config(...)` (goal < 1 s)
  train+plot         a later cell in A that trains 10 epochs and plots (goal < 1 s)
A warm-up round runs first (not counted), so evcxr's compile cache and the kernels' work
directories are warm; medians of the rounds are printed. Run by `cargo make notebook-bench`
(extra arguments come here):

    .venv/bin/python scripts/notebook_bench.py --rounds 3
"""

import argparse
import pathlib
import statistics
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEP = ':dep trainlab = { path = "../crates/trainlab" }'
USE = "use trainlab::prelude::*;"
# a block, like every notebook's first lesson cell: no top-level `let`, so it does not wait for
# the kernel's type checker (rust-analyzer), which loads in the background after `:dep`
FIRST = ('{\n    let h = lessons::train_history(&lessons::config("[train]\\nepochs = 10")?)?;\n'
         '    lessons::plot_history("bench", &h)?.evcxr_display();\n};')
# the kernel's first top-level `let`, right after the first lesson cell (as in Run All): it waits
# for the rest of rust-analyzer's background load
FIRST_LET = 'let first = lessons::config("seed = 2")?;'
LATER = {
    "trivial": "1 + 1",
    "config": 'let c = lessons::config("seed = 3\\n[train]\\nepochs = 4")?;',
    "train+plot": (
        'let h2 = lessons::train_history(&lessons::config("seed = 1\\n[train]\\nepochs = 10")?)?;\n'
        'lessons::plot_history("bench again", &h2)?.evcxr_display();'
    ),
}
GOALS = {"start to :dep": None, "start to lesson": 8.0, "first let": None, "second notebook": 10.0,
         "trivial": 1.0, "config": 1.0, "train+plot": 1.0}


def client_for(sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    return nb, NotebookClient(nb, timeout=1800, kernel_name="trainlab-rust",
                              resources={"metadata": {"path": str(ROOT / "notebooks")}})


def has_image(cell):
    return any({"image/svg+xml", "image/png"} <= set(o.get("data", {})) for o in cell.outputs)


INIT = []  # --init: evcxr commands run first in every kernel, e.g. ":linker mold"


def open_notebook(times, prefix):
    """Starts a kernel and runs :dep, use and the first lesson cell; returns (client, nb, ctx)."""
    nb, client = client_for(INIT + [DEP, USE, FIRST, FIRST_LET] + list(LATER.values()))
    start = time.monotonic()
    ctx = client.setup_kernel()
    ctx.__enter__()
    for i in range(len(INIT)):
        client.execute_cell(nb.cells[i], i)
    k = len(INIT)
    client.execute_cell(nb.cells[k], k)
    if prefix == "":
        times["start to :dep"] = time.monotonic() - start
    client.execute_cell(nb.cells[k + 1], k + 1)
    client.execute_cell(nb.cells[k + 2], k + 2)
    times[prefix or "start to lesson"] = time.monotonic() - start
    if not has_image(nb.cells[k + 2]):
        kinds = [sorted(o.get("data", {})) or o.get("output_type") for o in nb.cells[k + 2].outputs]
        raise SystemExit(f"bench: the first lesson cell drew no SVG + PNG image (outputs: {kinds})")
    if prefix == "":
        t = time.monotonic()
        client.execute_cell(nb.cells[k + 3], k + 3)
        times["first let"] = time.monotonic() - t
    return client, nb, ctx


def one_round():
    times = {}
    client, nb, ctx = open_notebook(times, "")
    try:
        _, _, ctx_b = open_notebook(times, "second notebook")
        ctx_b.__exit__(None, None, None)
        for i, name in enumerate(LATER, start=len(INIT) + 4):
            t = time.monotonic()
            client.execute_cell(nb.cells[i], i)
            times[name] = time.monotonic() - t
    finally:
        ctx.__exit__(None, None, None)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (default 3)")
    parser.add_argument("--init", action="append", default=[],
                        help="an evcxr command run first in each kernel, e.g. ':linker mold' (repeatable)")
    args = parser.parse_args()
    INIT.extend(args.init)
    print("bench: warm-up round (fills evcxr's compile cache and the kernels' work directories if cold)", flush=True)
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
        verdict = "" if goal is None else f"< {goal:g} s ({'met' if med < goal else 'NOT met'})"
        print(f"| {name} | {med:.2f} | {verdict} |")


if __name__ == "__main__":
    main()
