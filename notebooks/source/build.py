"""Builds notebooks/NN-name.ipynb from notebooks/source/NN-name.txt (no outputs yet).

A source file is a list of cells, each starting with a marker line:

    ## %% md          a markdown cell
    ## %% code        a Rust code cell
    ## %% plot        a Rust code cell that must draw an image (tagged `plot`; the tests check it)

A "your turn" cell links its solution as `source/solutions/NAME.rs`; the build fails when a linked
solution is missing (crates/trainlab/tests/your_turn.rs checks that each one earns every point of
its cell's check).

Plain text diffs and reviews better than notebook JSON. After editing a source, rebuild and
refresh the committed outputs:

    .venv/bin/python notebooks/source/build.py [NN-name ...]
    .venv/bin/python scripts/run_notebooks.py --write notebooks/NN-name.ipynb
"""

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


def check_solutions(source, text):
    for name in re.findall(r"source/solutions/([A-Za-z0-9_.-]+\.rs)", text):
        if not (HERE / "solutions" / name).is_file():
            raise SystemExit(f"{source.name}: links solutions/{name}, which does not exist")


def build(source):
    check_solutions(source, source.read_text())
    nb = nbformat.v4.new_notebook()
    nb.cells = cells_of(source.read_text())
    for i, cell in enumerate(nb.cells):
        cell.id = f"{source.stem[:2]}-{i:03d}"
    nb.metadata = {
        "kernelspec": {"name": "trainlab-rust", "display_name": "Rust (trainlab)", "language": "rust"},
        "language_info": {
            "name": "Rust",
            "file_extension": ".rs",
            "mimetype": "text/rust",
            "codemirror_mode": "rust",
            "pygment_lexer": "rust",
        },
    }
    out = HERE.parent / f"{source.stem}.ipynb"
    nbformat.write(nb, out)
    print(f"build: {out.name} ({len(nb.cells)} cells)")


def main():
    names = sys.argv[1:]
    sources = [HERE / f"{n}.txt" for n in names] if names else sorted(HERE.glob("[0-9][0-9]-*.txt"))
    for s in sources:
        build(s)


if __name__ == "__main__":
    main()
