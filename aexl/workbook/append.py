"""Appending rows to one register of a user's workbench, surgically.

The one way aexl adds rows to a register other than through ``jobno new``
(e.g. ``aexl calendar import`` → 节假日): the edit of ``aexl.workbook.edit``
(read-only and open-in-Excel workbooks refused, the aexl lock held, only the
register's sheet part — and, for a new sheet, the workbook's sheet list —
changes, the file replaced atomically).
"""

from __future__ import annotations

from pathlib import Path


def append_register_rows(path: str | Path, register, records: list[dict]) -> int:
    """Append ``records`` (column → value) to ``register``'s sheet, made with its headers
    if absent; returns how many were appended."""
    from aexl.workbook import edit
    from aexl.workbook.sheetxml import Book
    from aexl.workbook.xlsxpatch import Package

    path = edit.check_editable(path)
    edit.check_writable(path)
    edit.check_not_open_in_excel(path)
    with edit.edit_lock(path):
        edit.check_not_open_in_excel(path)
        edit.remove_leftovers(path)
        book = Book(Package(path))
        sheet = book.sheet(register.sheet)
        if sheet is None:
            sheet = book.add_sheet(register.sheet)
            sheet.write(1, dict(enumerate(register.headers, start=1)), {})
        for record in records:
            edit.append_record(sheet, record, path)
        edit.write_package(book.pkg, path)
    return len(records)
