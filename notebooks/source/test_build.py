"""Tests of build.py's merge: what a rebuild keeps. `cargo make notebooks-build-test` runs them.

Each case is hand-built: an old notebook with outputs, a new source, and the ids and outputs
the rebuilt notebook must have.
"""

import pathlib
import sys
import unittest

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build  # noqa: E402


def old_notebook():
    cells = build.cells_of("## %% md\n# Title\n\n## %% code\nlet a = 1;\n\n## %% plot\nplot(a)\n\n## %% md\nEnd.\n")
    for i, cell in enumerate(cells):
        cell.id = f"01-{i:03d}"
    cells[1].outputs = [nbformat.v4.new_output("stream", text="a\n")]
    cells[1].execution_count = 1
    cells[2].outputs = [nbformat.v4.new_output("display_data", data={"image/png": "AAAA"})]
    cells[2].execution_count = 2
    return cells


class Merge(unittest.TestCase):
    def test_unchanged_cells_keep_ids_and_outputs_wherever_they_move(self):
        # a new markdown cell at the top, the code cells swapped
        new = build.cells_of("## %% md\nNew.\n## %% md\n# Title\n## %% plot\nplot(a)\n## %% code\nlet a = 1;\n## %% md\nEnd.\n")
        cells, changed = build.merge(old_notebook(), new, "01")
        self.assertEqual([c.id for c in cells[1:]], ["01-000", "01-002", "01-001", "01-003"])
        self.assertEqual(cells[2].outputs[0]["data"]["image/png"], "AAAA")
        self.assertEqual(cells[3].outputs[0]["text"], "a\n")
        self.assertEqual(changed, [0])
        self.assertTrue(cells[0].id.startswith("01-") and cells[0].id not in {"01-000", "01-001"})

    def test_a_cell_edited_in_place_keeps_its_id_not_its_outputs(self):
        new = build.cells_of("## %% md\n# Title\n## %% code\nlet a = 2;\n## %% plot\nplot(a)\n## %% md\nEnd.\n")
        cells, changed = build.merge(old_notebook(), new, "01")
        self.assertEqual([c.id for c in cells], ["01-000", "01-001", "01-002", "01-003"])
        self.assertEqual(cells[1].outputs, [])
        self.assertEqual(changed, [1])

    def test_new_ids_come_from_the_text(self):
        src = "## %% md\nA.\n## %% md\nB.\n## %% md\nA.\n"
        first, _ = build.merge([], build.cells_of(src), "02")
        again, _ = build.merge([], build.cells_of(src), "02")
        self.assertEqual([c.id for c in first], [c.id for c in again])
        self.assertEqual(len({c.id for c in first}), 3, "duplicate texts get distinct ids")


if __name__ == "__main__":
    unittest.main()
