"""Builds notebooks/NN-name.ipynb from notebooks/source/NN-name.txt, keeping what it can.

A source file is a list of cells, each starting with a marker line:

    ## %% md          a markdown cell
    ## %% code        a Rust code cell
    ## %% plot        a Rust code cell that must draw an image (tagged `plot`; the tests check it)

Plain text diffs and reviews better than notebook JSON. Rebuilding needs only nbformat (no
kernel): `cargo make notebooks-setup` puts it into .venv in seconds. A cell whose kind and text
are unchanged keeps its id, its committed outputs and its execution count, wherever it moved; a
new or edited cell gets an id from its text (stable across rebuilds) and no outputs, and is
listed: refresh those outputs with `cargo make notebooks --write`. A notebook whose cells did not
change is not rewritten.

    cargo make notebooks-build [NN-name ...]      (.venv/bin/python notebooks/source/build.py ...)
"""

import hashlib
import pathlib
import re
import sys

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
MARKER = "## %% "


def cells_of(text):
    cells, kind, lines = [], None, []

    def flush():
        if kind is None:
            return
        source = "\n".join(lines).strip("\n")
        if kind == "md":
            cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind == "plot":
                cell.metadata["tags"] = ["plot"]
            cells.append(cell)

    for line in text.splitlines():
        if line.startswith(MARKER):
            flush()
            kind, lines = line[len(MARKER):].strip(), []
            if kind not in ("md", "code", "plot"):
                raise SystemExit(f"unknown cell kind {kind!r}: expected md, code or plot")
        else:
            lines.append(line)
    flush()
    return cells


METADATA = {
    "kernelspec": {"name": "trainlab-rust", "display_name": "Rust (trainlab)", "language": "rust"},
    "language_info": {
        "name": "Rust",
        "file_extension": ".rs",
        "mimetype": "text/rust",
        "codemirror_mode": "rust",
        "pygment_lexer": "rust",
    },
}


def key(cell):
    """What makes two cells the same cell: kind, `plot` tag and text."""
    return (cell.cell_type, "plot" in cell.metadata.get("tags", []), cell.source)


def content_id(prefix, cell, taken):
    """An id from the cell's text, unique within the notebook (ids are at most 64 characters)."""
    digest = hashlib.sha1("\0".join(map(str, key(cell))).encode()).hexdigest()[:10]
    cid, n = f"{prefix}-{digest}", 2
    while cid in taken:
        cid, n = f"{prefix}-{digest}-{n}", n + 1
    return cid


def merge(old, new, prefix):
    """`new`'s cells, each taking the id, metadata, outputs and execution count of an identical
    old cell. A cell edited in place (its predecessor matched old cell j - 1, and old cell j of
    the same kind matched nothing) keeps old cell j's id but not its outputs. Returns the cells
    and the indices of the new or edited cells."""
    by_key = {}
    for j, cell in enumerate(old):
        by_key.setdefault(key(cell), []).append(j)
    used, match = set(), [None] * len(new)
    for i, cell in enumerate(new):
        for j in by_key.get(key(cell), []):
            if j not in used:
                used.add(j)
                match[i] = j
                break
    changed = []
    for i, cell in enumerate(new):
        j = match[i]
        if j is not None:
            prev = old[j]
            cell.id, cell.metadata = prev.id, prev.metadata
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = prev.outputs, prev.execution_count
            continue
        changed.append(i)
        before = match[i - 1] if i > 0 else -1
        j = None if before is None else before + 1
        if j is not None and j < len(old) and j not in used and old[j].cell_type == cell.cell_type:
            used.add(j)
            match[i] = j
            cell.id = old[j].id
        else:
            cell.id = None
    taken = {c.id for c in new if c.id}
    for cell in new:
        if not cell.id:
            cell.id = content_id(prefix, cell, taken)
            taken.add(cell.id)
    return new, changed


def check_solutions(source, text):
    """A "your turn" cell links its solution as `source/solutions/NAME.rs`: it must exist
    (crates/trainlab/tests/your_turn.rs checks each earns every point of its cell's check)."""
    for name in re.findall(r"source/solutions/([A-Za-z0-9_.-]+\.rs)", text):
        if not (HERE / "solutions" / name).is_file():
            raise SystemExit(f"{source.name}: links solutions/{name}, which does not exist")


def build(source):
    check_solutions(source, source.read_text())
    out = HERE.parent / f"{source.stem}.ipynb"
    old = nbformat.read(out, as_version=4) if out.exists() else None
    nb = nbformat.v4.new_notebook()
    cells, changed = merge(old.cells if old else [], cells_of(source.read_text()), source.stem[:2])
    nb.cells = cells
    nb.metadata = old.metadata if old else METADATA
    if old is not None and nbformat.writes(nb) == nbformat.writes(old):
        print(f"build: {out.name} unchanged")
        return
    nbformat.write(nb, out)
    code = [i for i in changed if cells[i].cell_type == "code"]
    todo = f"; code cells {', '.join(map(str, code))} to execute (cargo make notebooks --write)" if code else ""
    print(f"build: {out.name} ({len(cells)} cells, {len(changed)} new or edited{todo})")


def main():
    names = sys.argv[1:]
    sources = [HERE / f"{n}.txt" for n in names] if names else sorted(HERE.glob("[0-9][0-9]-*.txt"))
    for s in sources:
        build(s)


if __name__ == "__main__":
    main()
