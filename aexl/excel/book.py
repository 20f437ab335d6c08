"""Bridge between a live ``xlwings.Book`` and the core's parsed DataFrames.

Uses only the Book API that desktop xlwings and xlwings Server both offer
(sheets, ``used_range``, ``range(...).value``). Values are parsed by the same
``aexl.workbook.read.parse_register`` the file reader uses, so a ribbon button
sees exactly what ``aexl check`` sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aexl.errors import SheetError
from aexl.values import is_blank, norm_header


@dataclass
class LiveSheet:
    """One register sheet of the open workbook."""

    name: str  # the sheet's actual name in the workbook
    rows: list[list]  # values from A1 to the last used cell
    columns: dict[str, int] = field(default_factory=dict)  # normalised header → 1-based column

    def column(self, header: str) -> int:
        """1-based column of a contract header (raises SheetError when absent)."""
        key = norm_header(header)
        if key not in self.columns:
            raise SheetError(f"第 1 行缺少表头「{header}」，请补上这一列", sheet=self.name)
        return self.columns[key]

    def value(self, row: int, header: str):
        """Raw value at Excel ``row`` under ``header`` (None beyond the data)."""
        col = self.column(header) - 1
        if row - 1 < len(self.rows) and col < len(self.rows[row - 1]):
            return self.rows[row - 1][col]
        return None

    @property
    def last_row(self) -> int:
        """The last Excel row holding any value (1 for a header-only sheet)."""
        for n in range(len(self.rows), 0, -1):
            if any(not is_blank(v) for v in self.rows[n - 1]):
                return n
        return 1


def find_sheet(book, name: str):
    """The xlwings sheet whose name matches ``name`` after normalisation, or None."""
    wanted = norm_header(name)
    for sheet in book.sheets:
        if norm_header(sheet.name) == wanted:
            return sheet
    return None


def sheet_values(sheet) -> list[list]:
    """All values of a sheet from A1 to its last used cell, as a list of rows."""
    used = sheet.used_range
    last = used.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return [list(r) for r in values or [[None]]]


def live_sheet(book, name: str) -> LiveSheet | None:
    sheet = find_sheet(book, name)
    if sheet is None:
        return None
    rows = sheet_values(sheet)
    columns: dict[str, int] = {}
    for i, header in enumerate(rows[0] if rows else []):
        key = norm_header(header)
        if key and key not in columns:
            columns[key] = i + 1
    return LiveSheet(sheet.name, rows, columns)


def read_book(book, *, need: tuple[str, ...] = (), sheets: tuple[str, ...] | None = None):
    """The registers of an open workbook as an ``aexl.workbook.read.Workbench``.

    Also returns the raw sheets, keyed by register name, for writing back.
    """
    from aexl.workbook.read import Workbench, collect_registers

    live = {}

    def rows_of(name: str):
        live[name] = live_sheet(book, name)
        return live[name].rows if live[name] is not None else None

    wb = Workbench(path=None)
    read = collect_registers(wb, rows_of, need=need, sheets=sheets, file=book.name)
    return wb, {name: live[name] for name in read}


_AREA = re.compile(r"\$?([A-Z]{1,3})?\$?(\d+)?(?::\$?([A-Z]{1,3})?\$?(\d+)?)?$")


def selected_rows(address: str | None, max_row: int = 1_048_576) -> list[int]:
    """Excel row numbers covered by a selection address such as ``$A$5:$C$7,$B$9``.

    Whole columns (``A:A``) give no rows: a column selection is not a choice of rows.
    """
    rows: set[int] = set()
    for part in (address or "").replace(";", ",").split(","):
        part = part.split("!")[-1].strip().upper()
        m = _AREA.match(part)
        if not part or not m:
            continue
        first, last = m.group(2), m.group(4) or m.group(2)
        if not first:
            continue
        lo, hi = sorted((int(first), int(last)))
        rows.update(range(lo, min(hi, max_row) + 1))
    return sorted(rows)


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
