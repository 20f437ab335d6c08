"""Writing report workbooks that look like deliverables, safely and fast.

Reports are new files, written with XlsxWriter (about three times faster than
openpyxl, which stays for editing existing workbooks: ``aexl.workbook.edit``,
``aexl.workbook.template``).

- ``Book``: a new workbook; ``save()`` writes a temporary file beside the target
  and renames it into place (a crash never leaves a half-written file).
- ``Sheet``: one worksheet addressed like Excel (rows and columns from 1). Text
  is always text (``=SUM(...)`` or ``+86 ...`` never becomes a formula and keeps
  Excel's quote prefix), dates get a date format; ``table`` writes plain text and
  numbers straight to XlsxWriter with one format per column. The sheet remembers
  its row heights, column widths and charts, so pages can be planned
  (``aexl.reports.layout.Pager``).
- looks: the house style as dicts of XlsxWriter format properties; ``Book.fmt``
  turns any combination into one cached cell format.
- ``report_name``: the rulebook's file naming (date + project/brand + type).
- ``claim``/``publish``: a report never replaces one that someone edited since
  aexl wrote it. Every report is sealed (its zip comment holds the SHA-256 of
  the bytes before it); a file whose seal no longer matches is kept and the new
  report takes a free name beside it, unless the run says ``force_overwrite()``.
"""

from __future__ import annotations

import io
import math
import numbers
import os
import re
import tempfile
from datetime import date, datetime, time
from pathlib import Path

from aexl.workbook.seal import (  # noqa: F401 - the report-writing interface
    claim,
    force_overwrite,
    is_untouched,
    publish,
    sealed,
)

FONT_NAME = "微软雅黑"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = '"¥"#,##0.00'
PERCENT_FORMAT = '0"%"'
FORMULA_START = ("=", "+", "-", "@")
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')

NAVY = "#1F3864"
GREY_LINE = "#BFBFBF"
WARN_COLOR = "#FDE9D9"
RED = "#C00000"
LINK_COLOR = "#0563C1"

# ---- looks: XlsxWriter format properties, combined by Book.fmt -------------
BODY = {"font_name": FONT_NAME, "font_size": 10}
TITLE = {**BODY, "font_size": 16, "bold": True, "font_color": NAVY, "valign": "vcenter"}
SUBTITLE = {**BODY, "font_color": "#595959"}
SECTION = {**BODY, "font_size": 12, "bold": True, "font_color": NAVY}
SUBSECTION = {**BODY, "font_size": 11, "bold": True, "font_color": NAVY}
BORDER = {"border": 1, "border_color": GREY_LINE}
WRAP = {"text_wrap": True, "valign": "top"}
CENTER = {"align": "center", "valign": "vcenter", "text_wrap": True}
HEADER = {**BODY, **BORDER, **CENTER, "bold": True, "font_color": "#FFFFFF", "bg_color": NAVY}
CELL = {**BODY, **BORDER, **WRAP}  # a table's body cell
BAND = {"bg_color": "#F2F5FA"}  # every other table row
WARN = {"bg_color": WARN_COLOR}
ERROR = {"bold": True, "font_color": RED}
LINK = {"font_color": LINK_COLOR, "underline": 1}
TEXT = {"quote_prefix": True}  # text that Excel would otherwise read as a formula

DEFAULT_WIDTH = 8.43  # Excel's default column width (characters)
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6}  # inches, print_setup
_OPTIONS = dict(  # every string is a string: never a formula, number or link unless asked
    strings_to_formulas=False, strings_to_numbers=False, strings_to_urls=False,
    nan_inf_to_errors=True, remove_timezone=True, in_memory=True,
)  # fmt: skip


class Book:
    """A new report workbook, saved atomically to ``path`` by ``save()``.

    ``title`` / ``subject`` / ``description`` are the document properties
    (a client deliverable's title, its kind, where its data came from).
    """

    def __init__(self, path: str | Path, *, title="", subject="", description=""):
        import xlsxwriter

        self.path = Path(path)
        self.wb = xlsxwriter.Workbook(str(self.path), _OPTIONS)
        properties = {"author": "aexl", "title": title, "subject": subject}
        properties["comments"] = description  # shown as "description" by Excel and openpyxl
        self.wb.set_properties({k: v for k, v in properties.items() if v})
        self.sheets: list[Sheet] = []
        self._formats: dict[tuple, object] = {}
        self._by_identity: dict[tuple, tuple] = {}

    def sheet(self, name: str) -> Sheet:
        sheet = Sheet(self, self.wb.add_worksheet(name, worksheet_class=_worksheet_class()))
        self.sheets.append(sheet)
        return sheet

    def fmt(self, *looks: dict | None, **props):
        """One cell format for the looks (later ones win) plus ``props``; cached."""
        merged: dict = {}
        for look in looks:
            if look:
                merged.update(look)
        merged.update(props)
        key = tuple(sorted(merged.items()))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.wb.add_format(merged)
        return found

    def look(self, looks: tuple, number_format: str | None = None):
        """``fmt(*looks, num_format=…)``, found by the looks' identity (a cell is written
        with the same few constant looks thousands of times); None for no look at all."""
        key = (*map(id, looks), number_format)
        hit = self._by_identity.get(key)
        if hit is None:
            extra = {"num_format": number_format} if number_format else {}
            found = self.fmt(*looks, **extra) if extra or any(looks) else None
            # the looks are kept with the entry, so their ids cannot be reused meanwhile
            hit = self._by_identity[key] = (looks, found)
        return hit[1]

    def chart(self, options: dict):
        return self.wb.add_chart(options)

    def save(self) -> Path:
        """Build the sealed package in memory, then write it to a temp file beside
        ``path`` and rename that into place (one write, no re-reading)."""
        for sheet in self.sheets:
            sheet.finish()
        package = io.BytesIO()
        self.wb.filename = package
        self.wb.close()
        return atomic_write_bytes(sealed(package.getvalue()), claim(self.path))


def _worksheet_class():
    """XlsxWriter's worksheet with the short path for plain cells (``fastsheet``), if usable."""
    from aexl.workbook.fastsheet import FastWorksheet, fast_cells_usable

    return FastWorksheet if fast_cells_usable() else None


class Sheet:
    """One worksheet of a ``Book``; rows and columns count from 1, as in Excel."""

    def __init__(self, book: Book, ws):
        self.book = book
        self.ws = ws
        self.heights: dict[int, float] = {}
        self.widths: list[float] = []
        self.charts: list[tuple[int, float]] = []  # (first column, width in cm)
        self.breaks: list[int] = []  # rows after which a page ends
        self.landscape = True
        self.max_col = 0

    # ---- values
    def put(self, row: int, col: int, value, *looks: dict | None, number_format=None) -> None:
        """Write a value with the looks; text stays text even when it looks like a formula."""
        ws, r, c, look = self.ws, row - 1, col - 1, self.book.look
        if col > self.max_col:
            self.max_col = col
        if isinstance(value, str):
            if value.startswith(FORMULA_START):
                looks = (*looks, TEXT)
            ws.write_string(r, c, value, look(looks, number_format))
        elif value is None or (isinstance(value, float) and math.isnan(value)):
            if number_format or any(looks):  # an empty cell keeps its look and format
                ws.write_blank(r, c, None, look(looks, number_format))
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, look(looks, number_format))
        elif isinstance(value, (datetime, date, time)):
            if value != value:  # pandas NaT
                return self.put(row, col, None, *looks)
            if isinstance(value, date) and value.year < 1900:  # Excel has no such date: text
                return self.put(row, col, str(value), *looks)
            ws.write_datetime(r, c, value, look(looks, number_format or date_format(value)))
        elif isinstance(value, numbers.Number):
            ws.write_number(r, c, float(value), look(looks, number_format))
        elif type(value).__module__ == "numpy" and hasattr(value, "item"):  # numpy.bool_ …
            self.put(row, col, value.item(), *looks, number_format=number_format)
        else:
            self.put(row, col, str(value), *looks, number_format=number_format)

    def merge(
        self, row: int, first: int, last: int, value, *looks: dict | None, number_format=None
    ) -> None:
        """``value`` in columns ``first``–``last`` of ``row``, merged into one cell."""
        if last > first:
            self.ws.merge_range(row - 1, first - 1, row - 1, last - 1, None, self.book.fmt(*looks))
        self.put(row, first, value, *looks, number_format=number_format)
        self.max_col = max(self.max_col, last)

    def link(self, row: int, col: int, url: str, *looks: dict | None) -> None:
        """A hyperlink showing its address; plain text when Excel cannot take the address."""
        import warnings

        with warnings.catch_warnings():  # XlsxWriter warns (in English) and skips the cell
            warnings.simplefilter("ignore")
            refused = self.ws.write_url(
                row - 1, col - 1, url, self.book.fmt(*looks, LINK), string=url
            )
        if refused:
            self.put(row, col, url, *looks)

    def formula(self, row: int, col: int, formula: str, *looks: dict | None) -> None:
        """A formula (``=...``), calculated when the workbook opens; only where a sheet is
        meant to calculate (the add-in's self-check), never for a value. No result is
        stored with it (XlsxWriter would store 0), so a program that shows stored results
        calculates it too: LibreOffice or WPS without the add-in then shows #NAME?, not 0."""
        self.max_col = max(self.max_col, col)
        self.ws.write_formula(row - 1, col - 1, formula, self.book.look(looks), "")

    # ---- pictures and charts (they move with their cell, keep their size)
    def image(self, row: int, col: int, data: bytes, size: tuple[int, int], offset=(0, 0)) -> None:
        """A PNG/JPEG of ``size`` pixels (width, height) at the cell, ``offset`` pixels in."""
        import io

        natural, dpi = _picture_info(data)
        scale = [size[i] / natural[i] * (dpi[i] or 96) / 96 for i in (0, 1)]
        options = {"x_scale": scale[0], "y_scale": scale[1], "object_position": 2}
        options.update(x_offset=offset[0], y_offset=offset[1])
        self.ws.insert_image(row - 1, col - 1, io.BytesIO(data), options)

    def insert_chart(
        self, row: int, col: int, chart, width_cm: float, height_cm: float, offset=(0, 0)
    ) -> None:
        """An XlsxWriter chart of the size in cm at the cell, ``offset`` pixels in."""
        chart.set_size({"width": cm_px(width_cm), "height": cm_px(height_cm)})
        options = {"x_offset": offset[0], "y_offset": offset[1], "object_position": 2}
        self.ws.insert_chart(row - 1, col - 1, chart, options)
        self.charts.append((col, width_cm))

    # ---- layout
    def set_height(self, row: int, points: float) -> None:
        self.heights[row] = points
        self.ws.set_row(row - 1, points)

    def height(self, row: int) -> float | None:
        """The height given to ``row``, else None (Excel's default)."""
        return self.heights.get(row)

    def set_widths(self, widths: list[float]) -> None:
        self.widths = list(widths)
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)

    def width(self, col: int) -> float:
        return self.widths[col - 1] if col <= len(self.widths) else DEFAULT_WIDTH

    def freeze(self, row: int) -> None:
        """Rows above ``row`` stay in view (Excel's 冻结窗格 at ``A<row>``)."""
        self.ws.freeze_panes(row - 1, 0)

    def autofilter(self, row: int, first: int, last_row: int, last: int) -> None:
        self.ws.autofilter(row - 1, first - 1, last_row - 1, last - 1)

    def page_break(self, after_row: int) -> None:
        self.breaks.append(after_row)

    def print_setup(self, *, landscape: bool = True, title_rows=None, area=None) -> None:
        """A4, fit to one page wide, centred, page numbers in the footer.

        ``title_rows``: (first, last) rows printed on every page;
        ``area``: (first row, first column, last row, last column) to print.
        """
        ws = self.ws
        self.landscape = landscape
        ws.set_paper(9)
        ws.set_landscape() if landscape else ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(**MARGINS)
        ws.set_footer("&C第 &P 页，共 &N 页")
        if title_rows:
            ws.repeat_rows(title_rows[0] - 1, title_rows[1] - 1)
        if area:
            ws.print_area(*(n - 1 for n in area))

    def finish(self) -> None:
        if self.breaks:
            self.ws.set_h_pagebreaks(sorted(set(self.breaks)))

    # ---- house blocks
    def title_block(self, title: str, lines: list[str], width: int) -> int:
        """Title in row 1, subtitle lines below; returns the next free row."""
        width = max(width, 1)
        self.merge(1, 1, width, title, TITLE)
        self.set_height(1, 28)
        row = 2
        for line in lines:
            self.merge(row, 1, width, line, SUBTITLE)
            row += 1
        return row + 1

    def section(self, row: int, text: str, width: int) -> int:
        self.merge(row, 1, max(width, 1), text, SECTION)
        return row + 1

    def table(
        self,
        row: int,
        headers: list[str],
        rows: list[list],
        formats: dict[int, str] | None = None,
        empty_text: str = "（无）",
        first_col: int = 1,
    ) -> int:
        """A header band and bordered, banded rows from ``row`` (``formats``: 0-based
        column -> number format); returns the next free row."""
        formats = formats or {}
        for col, header in enumerate(headers, start=first_col):
            self.put(row, col, header, HEADER)
        row += 1
        if not rows:
            self.put(row, first_col, empty_text, CELL)
            return row + 2
        bands = (row_looks(0), row_looks(1))
        width = max(len(headers), *map(len, rows))
        cells = [[self.book.look(b, formats.get(i)) for i in range(width)] for b in bands]
        c0 = first_col - 1
        # plain text and numbers go in a run at a time (``FastWorksheet.store_plain``), the
        # rest cell by cell: dates straight to XlsxWriter's writer, others through ``put``
        ws = self.ws
        store = getattr(ws, "store_plain", None) or _store_none
        write_datetime = ws._write_datetime
        for n, values in enumerate(rows):
            fmts, r, i, end = cells[n % 2], row - 1, 0, len(values)
            while (i := store(r, c0, values, fmts, i, FORMULA_START)) < end:
                value = values[i]
                if type(value) is datetime and value.year >= 1900 and formats.get(i):
                    write_datetime(r, c0 + i, value, fmts[i])
                else:  # dates, blanks, formula-like text, numpy values…: the general path
                    self.put(row, first_col + i, value, *bands[n % 2], number_format=formats.get(i))
                i += 1
            row += 1
        self.max_col = max(self.max_col, c0 + width)
        return row + 1

    def listing(
        self,
        title: str,
        lines: list[str],
        headers: list[str],
        rows: list[list],
        *,
        formats: dict[int, str] | None = None,
        empty_text: str = "（无）",
    ) -> int:
        """A list report: title block and one table whose header stays in view and is
        printed on every page (landscape A4). Returns the header's row."""
        header_row = self.title_block(title, lines, width=len(headers))
        self.table(header_row, headers, rows, formats, empty_text)
        self.freeze(header_row + 1)
        self.print_setup(landscape=True, title_rows=(header_row, header_row))
        return header_row


def _store_none(row, col, values, formats, start, text_exclude) -> int:
    """``store_plain`` of a worksheet without it: every value takes the cell-by-cell path."""
    return start


_PICTURES: dict[bytes, tuple] = {}  # picture bytes → (pixel size, dpi): a thumbnail repeats


def _picture_info(data: bytes) -> tuple:
    """(width, height) in pixels and the dpi a PNG/JPEG says (96 when it says none)."""
    found = _PICTURES.get(data) if type(data) is bytes else None
    if found is None:
        import io

        from PIL import Image

        with Image.open(io.BytesIO(data)) as picture:
            found = (picture.size, picture.info.get("dpi", (96, 96)))
        if len(_PICTURES) > 256:
            _PICTURES.clear()
        if type(data) is bytes:
            _PICTURES[data] = found
    return found


def row_looks(n: int) -> tuple[dict, ...]:
    """The looks of a table's ``n``-th body row (from 0): every other row banded."""
    return (CELL, BAND) if n % 2 else (CELL,)


def cm_px(cm: float) -> int:
    """Screen pixels (96 per inch) of a length in cm."""
    return round(cm / 2.54 * 96)


def date_format(value) -> str:
    """``yyyy-mm-dd`` for a date (or midnight), with ``hh:mm`` for a time of day."""
    if isinstance(value, datetime):
        return DATETIME_FORMAT if value.time() != time() else DATE_FORMAT
    if isinstance(value, time):
        return "hh:mm"
    return DATE_FORMAT


def cell_position(ref: str) -> tuple[int, int]:
    """``"E12"`` → (12, 5): a cell's row and column, counted from 1 as in Excel."""
    from xlsxwriter.utility import xl_cell_to_rowcol

    row, col = xl_cell_to_rowcol(ref)
    return row + 1, col + 1


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
    """Save a workbook object with a ``save(filename)`` method (openpyxl) atomically."""
    return atomic_write(path, wb.save)


def atomic_write_bytes(data: bytes, path: str | Path) -> Path:
    """Write bytes (a PNG, a zip) via a temp file in the same folder."""
    return atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))
