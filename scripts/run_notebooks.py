"""Executes the course notebooks top to bottom with nbclient and the "Rust (trainlab)" kernel.

Fails (exit code 1) when a cell errors, when a cell prints a Rust error or panic, when a
cell tagged `plot` did not produce an image (image/svg+xml or image/png), or when an image
output has no image/png (an untrusted notebook in JupyterLab shows no SVG). Prints each
notebook's time. Run by `cargo make notebooks` (part of `cargo make ci`) after
`scripts/lab.sh kernel` has registered the kernel:

    .venv/bin/python scripts/run_notebooks.py                 # every notebooks/NN-*.ipynb
    .venv/bin/python scripts/run_notebooks.py --write         # and store the outputs in them
    .venv/bin/python scripts/run_notebooks.py notebooks/01-optimizers.ipynb

Without --write the notebooks on disk stay as they are (CI leaves the checkout clean); with it
the executed notebooks replace them, which is how the committed outputs are refreshed.
"""

import argparse
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = pathlib.Path(__file__).resolve().parent.parent
KERNEL = "trainlab-rust"
IMAGE_TYPES = ("image/svg+xml", "image/png")
# evcxr prints compile errors and panics as an error reply, but a stray one on stderr also fails
STDERR_MARKERS = ("error[E", "panicked at")


def problems_of(nb):
    """Errors and missing plots in an executed notebook, as messages naming the cell."""
    found = []
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for n, cell in enumerate(code_cells, start=1):
        where = f"code cell {n} ({cell.source.strip().splitlines()[0][:60] if cell.source.strip() else 'empty'!r})"
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"{where}: error output {out.get('ename', '')}: {out.get('evalue', '')}")
            if out.output_type == "stream" and out.get("name") == "stderr":
                text = out.get("text", "")
                if any(m in text for m in STDERR_MARKERS):
                    found.append(f"{where}: stderr says {text.strip()[:300]!r}")
            data = out.get("data", {})
            if any(k.startswith("image/") for k in data) and "image/png" not in data:
                # JupyterLab shows no SVG in an untrusted (freshly cloned) notebook
                found.append(f"{where}: an image output without image/png ({', '.join(data)})")
        if "plot" in cell.get("metadata", {}).get("tags", []):
            images = [
                o for o in cell.get("outputs", [])
                if o.output_type in ("display_data", "execute_result")
                and any(t in o.get("data", {}) for t in IMAGE_TYPES)
            ]
            if not images:
                found.append(f"{where}: tagged `plot` but produced no image/svg+xml or image/png output")
    return found


def run(path, timeout, write):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=600,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
        record_timing=True,
    )
    start = time.monotonic()
    error = None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        lines = str(e).strip().splitlines()
        # the failing cell's own error and stderr outputs (evcxr puts compiler messages there)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.output_type == "error":
                    lines += out.get("traceback", []) or [f"{out.get('ename')}: {out.get('evalue')}"]
        error = "\n      ".join(lines[-40:])
    seconds = time.monotonic() - start
    problems = [error] if error else problems_of(nb)
    if write and not problems:
        nbformat.write(nb, path)
    return seconds, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="notebooks to run (default: notebooks/NN-*.ipynb)")
    parser.add_argument("--write", action="store_true",
                        help="store the outputs in the notebooks (only when they all pass)")
    parser.add_argument("--timeout", type=int, default=900,
                        help="seconds per cell (default 900: a cold first :dep compiles dfdx)")
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if not paths:
        print("notebooks: no notebooks found", file=sys.stderr)
        return 1
    failed = 0
    total = 0.0
    for path in paths:
        path = path.resolve()
        print(f"notebooks: running {path.relative_to(ROOT)} ...", flush=True)
        seconds, problems = run(path, args.timeout, args.write)
        total += seconds
        status = "ok" if not problems else "FAILED"
        written = " (outputs written)" if args.write and not problems else ""
        print(f"notebooks: {path.name}: {status} in {seconds:.1f} s{written}", flush=True)
        for p in problems:
            print(f"    {p}", flush=True)
        failed += bool(problems)
    print(f"notebooks: {len(paths) - failed}/{len(paths)} passed in {total:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
