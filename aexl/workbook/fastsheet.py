"""XlsxWriter's worksheet with a shorter path for the cells reports are made of.

Saving a report spends most of its time in XlsxWriter turning each cell into
XML (``Worksheet._write_rows`` / ``_write_cell``): a list of attributes, an
escape check per attribute and a call per element, for every cell. A report's
cells are almost all text, numbers, dates and empty cells that carry a format,
whose attributes (a cell reference and a style number) never need escaping;
for those this class writes a row's cells as one string. Every other cell, and
every ``<row>`` tag, goes through XlsxWriter's own code.

The XML is byte for byte what XlsxWriter writes (``tests/test_fastsheet.py``
saves the same cells both ways and compares every part of the package);
``fast_cells_usable`` checks that the installed XlsxWriter still has the cell
types and methods this relies on, and ``Book`` falls back to the plain
worksheet if not.
"""

from __future__ import annotations

from xlsxwriter import worksheet as _ws
from xlsxwriter.utility import xl_col_to_name

_CELL_TYPES = ("CellStringTuple", "CellNumberTuple", "CellDatetimeTuple", "CellBlankTuple")


_METHODS = ("_write_rows", "_write_row", "_write_empty_row", "_write_cell", "_calculate_spans")


def fast_cells_usable() -> bool:
    """True when XlsxWriter has the cell tuples and the methods this class builds on."""
    return all(hasattr(_ws, name) for name in _CELL_TYPES) and all(
        hasattr(_ws.Worksheet, name) for name in _METHODS
    )


if fast_cells_usable():
    _STRING, _NUMBER = _ws.CellStringTuple, _ws.CellNumberTuple
    _DATETIME, _BLANK = _ws.CellDatetimeTuple, _ws.CellBlankTuple
else:  # pragma: no cover - another XlsxWriter: FastWorksheet is not used (see Book)
    _STRING = _NUMBER = _DATETIME = _BLANK = None
_PLAIN = frozenset({_STRING, _NUMBER, _DATETIME, _BLANK}) - {None}
_COLUMNS: list[str] = []  # column number → its letters (A, B, … XFD), grown as needed


def _column(col: int) -> str:
    while len(_COLUMNS) <= col:
        _COLUMNS.append(xl_col_to_name(len(_COLUMNS)))
    return _COLUMNS[col]


class FastWorksheet(_ws.Worksheet):
    """``Worksheet`` writing formatted text, number, date and empty cells in one step."""

    def store_plain(
        self, row: int, col: int, values: list, formats: list, start: int, text_exclude: tuple
    ) -> int:
        """Store ``values[start:]`` in ``row`` from column ``col + start``, as XlsxWriter's
        ``_write_string`` / ``_write_number`` would, up to the first value that is not
        text, an int or a finite float, or is text starting with one of ``text_exclude``
        (or too long to be sure it fits a cell); returns that value's position (the
        length of ``values`` when every one was stored). Rows and columns count from 0."""
        end = len(values)
        if self.constant_memory or self._check_dimensions(row, col + end - 1, True, True):
            return start  # outside the sheet, or streamed rows: the cell-by-cell path decides
        cells, shared = self.table[row], self.str_table._get_shared_string_index
        short = self.xls_strmax // 2  # text no longer than this cannot pass the cell's cap
        stop = start
        for stop in range(start, end):
            value = values[stop]
            kind = type(value)
            if kind is str:
                if len(value) > short or value.startswith(text_exclude):
                    break
                cells[col + stop] = _STRING(shared(value), formats[stop])
            elif kind is int or (kind is float and value - value == 0):  # not NaN or ±inf
                cells[col + stop] = _NUMBER(value, formats[stop])
            else:
                break
        else:
            stop = end
        if stop > start:  # the sheet's extent, as each cell's own write would have kept it
            self._check_dimensions(row, col + start)
            self._check_dimensions(row, col + stop - 1)
        return stop

    def _calculate_spans(self) -> None:
        """XlsxWriter's ``_calculate_spans`` (each block of 16 rows: the first and last
        column holding a cell or a comment), from each row's columns at once instead of
        trying every column of the sheet in every row."""
        table, comments = self.table, self.comments
        first, last = self.dim_colmin, self.dim_colmax
        spans: dict[int, str] = {}
        low = high = None
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            for columns in (table.get(row), comments.get(row)):
                if not columns:
                    continue
                lo, hi = min(columns), max(columns)
                if lo < first or hi > last:  # only columns inside the sheet's extent count
                    inside = [c for c in columns if first <= c <= last]
                    if not inside:
                        continue
                    lo, hi = min(inside), max(inside)
                low = lo if low is None or lo < low else low
                high = hi if high is None or hi > high else high
            if ((row + 1) % 16 == 0 or row == self.dim_rowmax) and low is not None:
                spans[row // 16] = f"{low + 1}:{high + 1}"  # the block's span, 1-based
                low = high = None
        self.row_spans = spans

    def _write_rows(self) -> None:
        """XlsxWriter's ``_write_rows``, with each row's plain cells joined into one write."""
        if self.constant_memory:
            super()._write_rows()
            return
        self._calculate_spans()
        table, info, comments, spans = self.table, self.row_info, self.comments, self.row_spans
        styles: dict[int, int] = {}  # id(format) → its style number, fixed by now
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table[row]  # as XlsxWriter does (the table is a defaultdict)
            if cells:
                self._write_row(row, spans.get(row // 16), info.get(row))
                self._write_cells(row, cells, styles)
                self.fh.write("</row>")
            elif row in info or row in comments:
                self._write_empty_row(row, spans.get(row // 16), info.get(row))

    def _write_cells(self, row: int, cells: dict, styles: dict[int, int]) -> None:
        """A row's cells in column order: runs of plain cells as one string each."""
        number, parts, columns = str(row + 1), [], _COLUMNS
        for col in sorted(cells):
            cell = cells[col]
            kind, fmt = type(cell), cell.format
            if fmt is not None and kind in _PLAIN:
                xf = styles.get(id(fmt))
                if xf is None:
                    xf = styles[id(fmt)] = fmt._get_xf_index()
                ref = columns[col] if col < len(columns) else _column(col)
                if kind is _STRING:  # a shared string: ``string`` is its index in the table
                    parts.append(f'<c r="{ref}{number}" s="{xf}" t="s"><v>{cell.string}</v></c>')
                elif kind is _BLANK:
                    parts.append(f'<c r="{ref}{number}" s="{xf}"/>')
                else:
                    parts.append(f'<c r="{ref}{number}" s="{xf}"><v>{cell.number:.16G}</v></c>')
                continue
            if parts:
                self.fh.write("".join(parts))
                parts = []
            self._write_cell(row, col, cell)
        if parts:
            self.fh.write("".join(parts))
