"""Writing report workbooks that look like deliverables, safely.

- ``atomic_save``: write to a temporary file beside the target, then rename,
  so a crash never leaves a half-written file.
- ``put``: write one value; text is always text (a user's ``=SUM(...)`` or
  ``+86 ...`` never becomes a formula), dates get a date format.
- a small house style: title block, header band, thin borders, widths,
  frozen header, landscape A4 fit-to-width print setup.
- ``report_name``: the rulebook's file naming (date + project/brand + type).
"""

from __future__ import annotations

import os
import re
import tempfile
from copy import copy
from datetime import date, datetime
from pathlib import Path

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FONT_NAME = "微软雅黑"
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="1F3864")
SUBTITLE_FONT = Font(name=FONT_NAME, size=10, color="595959")
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True, color="FFFFFF")
BODY_FONT = Font(name=FONT_NAME, size=10)
SECTION_FONT = Font(name=FONT_NAME, size=12, bold=True, color="1F3864")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
BAND_FILL = PatternFill("solid", fgColor="F2F5FA")
WARN_FILL = PatternFill("solid", fgColor="FDE9D9")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = '"¥"#,##0.00'
PERCENT_FORMAT = '0"%"'
FORMULA_START = ("=", "+", "-", "@")
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def put(ws, row: int, column: int, value, number_format: str | None = None):
    """Write a value; strings are stored as text even when they look like formulas."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT if value.time() != datetime.min.time() else DATE_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def title_block(ws, title: str, lines: list[str], width: int) -> int:
    """Title in row 1, subtitle lines below; returns the next free row."""
    put(ws, 1, 1, title).font = TITLE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    ws.row_dimensions[1].height = 28
    row = 2
    for line in lines:
        put(ws, row, 1, line).font = SUBTITLE_FONT
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))
        row += 1
    return row + 1


def section(ws, row: int, text: str, width: int) -> int:
    put(ws, row, 1, text).font = SECTION_FONT
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))
    return row + 1


def set_widths(ws, widths: list[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def print_setup(ws, *, landscape: bool = True, title_rows: str | None = None) -> None:
    """A4, fit to one page wide, centred, with page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if title_rows:
        ws.print_title_rows = title_rows


def safe_name(text: str) -> str:
    """A file-name part without characters Windows forbids."""
    cleaned = _FORBIDDEN.sub("", str(text)).strip().strip(".")
    return "".join(cleaned.split()) or "未命名"


def report_name(day: date, subject: str, kind: str, suffix: str = ".xlsx") -> str:
    """``20261110_美的_月度工作总结.xlsx``: the rulebook's date + project + type."""
    return f"{day:%Y%m%d}_{safe_name(subject)}_{safe_name(kind)}{suffix}"


def _temp_beside(path: Path) -> str:
    """A temp file in the target's folder, with the permissions a normal file gets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".aexl-tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    return tmp


def atomic_write(path: str | Path, write) -> Path:
    """Call ``write(tmp)`` on a temp file beside ``path``, then rename it into place.

    A crash or error leaves no half-written file and the old one untouched.
    """
    path = Path(path)
    tmp = _temp_beside(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_save(wb, path: str | Path) -> Path:
    """Save an openpyxl workbook to ``path`` via a temp file in the same folder."""
    return atomic_write(path, wb.save)


def atomic_write_bytes(data: bytes, path: str | Path) -> Path:
    """Write bytes (a PNG, a zip) via a temp file in the same folder."""
    return atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))


def table(
    ws,
    row: int,
    headers: list[str],
    rows: list[list],
    formats: dict[int, str] | None = None,
    empty_text: str = "（无）",
    first_col: int = 1,
) -> int:
    """A header band and bordered, banded rows from ``row``; returns the next free row.

    openpyxl hashes a style object on every assignment; here each distinct
    cell look (header, plain/banded row × number format × quote prefix) is
    styled once and its style record copied to the other cells.
    """
    formats = formats or {}
    header_style = None
    for col, header in enumerate(headers, start=first_col):
        cell = put(ws, row, col, header)
        if header_style is None:
            cell.font, cell.fill, cell.border, cell.alignment = (
                HEADER_FONT,
                HEADER_FILL,
                BORDER,
                CENTER,
            )
            header_style = copy(cell._style)
        else:
            cell._style = copy(header_style)
    row += 1
    if not rows:
        cell = put(ws, row, first_col, empty_text)
        cell.font, cell.border = BODY_FONT, BORDER
        return row + 2
    looks: dict[tuple, object] = {}
    for n, values in enumerate(rows):
        banded = bool(n % 2)
        for col, value in enumerate(values, start=first_col):
            cell = put(ws, row, col, value, formats.get(col - first_col))
            key = (banded, cell.number_format, bool(cell.quotePrefix))
            look = looks.get(key)
            if look is None:
                cell.font, cell.border, cell.alignment = BODY_FONT, BORDER, WRAP
                if banded:
                    cell.fill = BAND_FILL
                looks[key] = copy(cell._style)
            else:
                cell._style = copy(look)
        row += 1
    return row + 1
