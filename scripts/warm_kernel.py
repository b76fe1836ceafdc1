"""Compiles the course for the "Rust (trainlab)" kernel before a student opens a notebook.

Runs the notebooks' first cells (`:dep trainlab`, `use trainlab::prelude::*;` and one small
lesson call) on a kernel, the way a notebook does, then shuts it down. evcxr's compile cache and
the kernels' shared target directory (notebooks/.evcxr/kernel.sh) keep what it built, so the first
`:dep` cell of every notebook afterwards takes seconds. `cargo make lab` starts it in the
background beside JupyterLab (log: .venv/warm-kernel.log); a notebook that runs its `:dep` cell
meanwhile waits for the same build instead of starting another.

    .venv/bin/python scripts/warm_kernel.py
"""

import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
CELLS = [
    ':dep trainlab = { path = "../crates/trainlab" }',
    "use trainlab::prelude::*;",
    'let warm = lessons::config("[train]\\nepochs = 1")?;',
]


def main():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    client = NotebookClient(nb, timeout=1800, kernel_name="trainlab-rust",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    start = time.monotonic()
    print("warm: compiling the course for the notebook kernel (the first time about 2 minutes)",
          flush=True)
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
            print(f"warm: {cell.source.splitlines()[0][:50]!r} done after "
                  f"{time.monotonic() - start:.1f} s", flush=True)
    print(f"warm: the kernel is ready ({time.monotonic() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
