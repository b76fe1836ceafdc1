"""Compiles the course for the "Rust (trainlab)" kernel before a student opens a notebook.

Runs the notebooks' first cells (`:dep trainlab`, `use trainlab::prelude::*;` and one small
lesson call) on a kernel, the way a notebook does, then shuts it down. evcxr's compile cache and
the kernel's work directory (slot0, see notebooks/.evcxr/kernel.sh) keep what it built, so the
first `:dep` cell of the next notebook takes seconds. `cargo make lab` runs it before it starts
JupyterLab, with cargo's progress on the terminal and a line every 30 s: the first time about 2
to 8 minutes, later about 10 s. (It used to run in the background beside JupyterLab; a notebook
opened meanwhile compiled beside it, which evcxr cannot do safely in one target directory, or
waited past JupyterLab's 60 s kernel start-up limit.)

    .venv/bin/python scripts/warm_kernel.py
"""

import pathlib
import sys
import threading
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
    client = NotebookClient(nb, timeout=3600, startup_timeout=600, kernel_name="trainlab-rust",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    start = time.monotonic()
    print("warm: compiling the course for the notebook kernel (the first time 2 to 10 minutes, "
          "later about 10 s)", flush=True)
    done = threading.Event()

    def heartbeat():
        while not done.wait(30):
            print(f"warm: still compiling ({time.monotonic() - start:.0f} s)", flush=True)

    threading.Thread(target=heartbeat, daemon=True).start()
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
            print(f"warm: {cell.source.splitlines()[0][:50]!r} done after "
                  f"{time.monotonic() - start:.1f} s", flush=True)
    done.set()
    print(f"warm: the kernel is ready ({time.monotonic() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
