"""Writing a laid-out report into a sheet of the open workbook (values, fills, pictures):
the plumbing every ribbon handler that writes a sheet shares, on both hosts."""

from __future__ import annotations

import tempfile
from pathlib import Path

HEADER_FILL = (221, 235, 247)
SECTION_FILL = (242, 242, 242)
PICTURE_PREFIX = "aexl_"  # names of the pictures a handler adds (removed on the next run)


def write_report(book, name: str, reports) -> object:
    """Lay out report object(s) on sheet ``name``: values, fills, chart pictures."""
    from aexl.excel.render import layout

    return write_layout(book, name, layout(reports))


def write_layout(book, name: str, lay) -> object:
    """Write an ``aexl.excel.render.Layout`` to sheet ``name`` from A1 and show it."""
    sheet = _sheet_for_output(book, name)
    if lay.grid:
        sheet.range("A1").value = lay.grid
        width = max(lay.width, 1)
        for row in lay.header_rows:
            sheet.range((row, 1), (row, width)).color = HEADER_FILL
        for row in lay.section_rows:
            sheet.range((row, 1), (row, width)).color = SECTION_FILL
        sheet.autofit("c")
    if lay.pictures:
        with tempfile.TemporaryDirectory() as tmp:
            for i, pic in enumerate(lay.pictures, start=1):
                name, anchor = f"{PICTURE_PREFIX}chart_{i}", sheet.range((pic.row, 1))
                _picture(sheet, pic.png, name, anchor, Path(tmp), pic.height)
    sheet.activate()
    return sheet


def _sheet_for_output(book, name: str):
    """The sheet ``name``, emptied; added after the last sheet when missing."""
    from aexl.excel.book import find_sheet

    sheet = find_sheet(book, name)
    if sheet is None:
        return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    sheet.clear()  # values and formats; pictures float above the cells and stay
    for index in range(len(sheet.pictures), 0, -1):  # backwards: indices shift on delete
        picture = sheet.pictures[index - 1]
        if str(picture.name).startswith(PICTURE_PREFIX):
            picture.delete()
    return sheet


def _picture(sheet, data: bytes, name: str, anchor, tmp: Path, height: float) -> None:
    """Place PNG/JPEG bytes ``height`` points high (pictures.add takes a file on both hosts).

    Only the height is given: xlwings then locks the aspect ratio and sets the
    height after inserting, which both desktop Excel and xlwings Server honour
    (the remote engine ignores a width/height passed to ``add`` itself).
    """
    path = tmp / f"{name}.png"
    path.write_bytes(data)
    sheet.pictures.add(str(path), name=name, anchor=anchor, height=height)


def write_grid(book, name: str, grid: list[list], *, header_rows: tuple[int, ...] = (1,)):
    """Write a report grid to sheet ``name`` from A1 and show it."""
    from aexl.excel.render import Layout

    rows = [list(r) for r in grid or []]
    heads = [r for r in header_rows if r <= len(rows)]
    return write_layout(book, name, Layout(grid=rows, header_rows=heads).squared())
