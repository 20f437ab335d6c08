"""XlsxWriter's worksheet with a shorter path for the cells reports are made of.

Saving a report spends most of its time in XlsxWriter turning each cell into
XML (``Worksheet._write_cell``): a list of attributes, an escape check per
attribute and a call per element, for every cell. A report's cells are
almost all text, numbers, dates and empty cells that carry a format, whose
attributes (a cell reference and a style number) never need escaping; for
those this class writes the element in one step. Every other cell goes
through XlsxWriter's own code.

The XML is byte for byte what XlsxWriter writes (``tests/test_fastsheet.py``
saves the same cells both ways and compares every part of the package);
``fast_cells_usable`` checks that the installed XlsxWriter still has the cell
types this relies on, and ``Book`` falls back to the plain worksheet if not.
"""

from __future__ import annotations

from xlsxwriter import worksheet as _ws
from xlsxwriter.utility import xl_rowcol_to_cell_fast

_CELL_TYPES = ("CellStringTuple", "CellNumberTuple", "CellDatetimeTuple", "CellBlankTuple")


def fast_cells_usable() -> bool:
    """True when XlsxWriter has the cell tuples and the method this class replaces."""
    return all(hasattr(_ws, name) for name in _CELL_TYPES) and hasattr(_ws.Worksheet, "_write_cell")


if fast_cells_usable():
    _STRING, _NUMBER = _ws.CellStringTuple, _ws.CellNumberTuple
    _DATETIME, _BLANK = _ws.CellDatetimeTuple, _ws.CellBlankTuple
else:  # pragma: no cover - another XlsxWriter: FastWorksheet is not used (see Book)
    _STRING = _NUMBER = _DATETIME = _BLANK = None


class FastWorksheet(_ws.Worksheet):
    """``Worksheet`` writing formatted text, number, date and empty cells in one step."""

    def _write_cell(self, row: int, col: int, cell) -> None:
        kind = type(cell)
        fmt = cell.format
        if fmt is None or self.constant_memory:  # row / column formats, inline strings
            super()._write_cell(row, col, cell)
            return
        if kind is _STRING:  # a shared string: ``string`` is its index in the table
            self.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}" t="s">'
                f"<v>{cell.string}</v></c>"
            )
        elif kind is _NUMBER or kind is _DATETIME:
            self.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}">'
                f"<v>{cell.number:.16G}</v></c>"
            )
        elif kind is _BLANK:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}"/>')
        else:  # rich text, formulas, booleans, errors
            super()._write_cell(row, col, cell)
