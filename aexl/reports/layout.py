"""Laying report blocks out in an .xlsx sheet (XlsxWriter through ``aexl.workbook.write``):
widths and wrapped heights, the house-style block writer and the page breaks."""

from __future__ import annotations

import math
import unicodedata

from aexl.reports.blocks import PLACEHOLDER, PLACEHOLDER_COLOR, Heading, Table, Text

TABLE_PAGE_SHARE = 0.5  # a table at most this part of a page is never split across pages


def report_book(path, title: str, source: str = "", kind: str = ""):
    """A new ``aexl.workbook.write.Book`` for a client deliverable, with its document properties:
    title, creator and where the data came from. The source (an internal file name)
    stays out of the printed page: ``description`` says 「数据来源：…」, ``subject``
    names the kind of report."""
    from aexl.workbook.write import Book

    return Book(
        path, title=title, subject=kind, description=f"数据来源：{source}" if source else ""
    )


# ---------------------------------------------------------------- writing ---
def display_width(value, wide: float = 2.0) -> float:
    """Width in Excel character units: CJK and full-width characters count ``wide``."""
    return sum(wide if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def text_height(value, width: float, line: float = 15.0) -> float:
    """Row height (points) for wrapped ``value`` in a cell ``width`` characters wide.

    A CJK character of 10 pt 微软雅黑 is about 1.8 width units (the '0' of the
    default font); the estimate errs on the tall side so Excel never clips.
    """
    usable = max(width - 0.5, 4)
    parts = str(value).split("\n")
    lines = sum(max(1, math.ceil(display_width(p, 1.8) / usable)) for p in parts)
    return max(line, lines * line + 3)


def merged_text(sheet, row: int, value, width: int, total_width: float, *, fill=None) -> int:
    """One wrapped paragraph merged across ``width`` columns; returns the next row.

    ``fill`` (an RGB colour): a bordered box of that colour (a place to write in).
    """
    from aexl.workbook.write import BODY, BORDER, WRAP

    boxed = {**BORDER, "bg_color": f"#{fill}"} if fill else None
    sheet.merge(row, 1, max(width, 1), value, BODY, WRAP, boxed)
    sheet.set_height(row, text_height(value, total_width))
    return row + 1


def fit_widths(blocks, minimum: int = 8, maximum: int = 40) -> list[int]:
    """Column widths: the widest each table asks for (or its headers need), capped."""
    widths: list[int] = []
    for block in blocks:
        if not isinstance(block, Table):
            continue
        for i, header in enumerate(block.headers):
            want = block.widths[i] if i < len(block.widths) else display_width(header) + 4
            if i >= len(widths):
                widths.append(minimum)
            widths[i] = max(widths[i], min(max(want, minimum), maximum))
    return widths


def fit_rows(sheet, first: int, rows: list[list], widths: list[int]) -> None:
    """Heights for table rows whose text wraps (Excel does not grow them on its own)."""
    for n, values in enumerate(rows):
        height = max(
            (text_height(v, widths[i]) for i, v in enumerate(values) if isinstance(v, str)),
            default=15.0,
        )
        if height > 18:
            sheet.set_height(first + n, height)


# ------------------------------------------------------------- page breaks ---
A4_PT = (595.3, 841.9)  # short and long side, points
DEFAULT_ROW_PT = 16.5  # a row left at the default height (15 pt; CJK text makes some taller)
PAGE_SLACK = 0.96  # plan pages a little shorter than they are: heights are estimates


def _column_px(width: float) -> float:
    return int(width * 7 + 5)  # Excel's pixel width of a column of the default font


def page_height(sheet, landscape: bool = True) -> float:
    """Sheet points that fit on one printed page under ``print_setup`` (fit to width).

    ``sheet`` is an ``aexl.workbook.write.Sheet``: its widths and charts are what it was given.
    """
    from aexl.workbook.write import MARGINS

    short, long = A4_PT
    paper_w, paper_h = (long, short) if landscape else (short, long)
    printable_w = paper_w - 72 * (MARGINS["left"] + MARGINS["right"])
    printable_h = paper_h - 72 * (MARGINS["top"] + MARGINS["bottom"])
    widths = [sheet.width(c) for c in range(1, max(sheet.max_col, len(sheet.widths)) + 1)]
    used_px = sum(_column_px(w) for w in widths)
    for col, width_cm in sheet.charts:  # a chart beyond the last column widens the printed range
        start = sum(_column_px(w) for w in widths[: col - 1])
        used_px = max(used_px, start + width_cm / 2.54 * 96)
    scale = min(1.0, math.floor(100 * printable_w / (used_px * 0.75)) / 100) if used_px else 1.0
    return printable_h / scale * PAGE_SLACK


def keep_together(sheet, spans, last_row: int, *, landscape: bool = True) -> list[int]:
    """Row page breaks so that no ``(first, last)`` span straddles a page.

    A span ``(first, last, share)`` is kept whole only when it takes at most
    ``share`` of a page (a table: whole when short, else its header and first
    rows, given as a second span); a span longer than a page is cut where
    the page ends.

    Pages are followed from row 1 with estimated row heights and every page
    break is written as a manual one: a span that would cross the end of the
    page (and fits on one page) starts a new page, and a page that is full
    ends before the row that would overflow it. The estimate errs on the
    short side (Excel's Calibri column widths; LibreOffice's wider default
    font only makes its pages hold more rows), so neither application adds
    a break of its own inside a span. Returns the rows after which a break
    was added.
    """
    limit = page_height(sheet, landscape)

    def height(row: int) -> float:
        return sheet.height(row) or DEFAULT_ROW_PT

    starting: dict[int, list[tuple[int, float]]] = {}
    for first, last, *share in spans:
        starting.setdefault(first, []).append((last, share[0] if share else 1.0))
    added: list[int] = []
    used = 0.0
    for row in range(1, last_row + 1):
        here = need = height(row)
        for last, share in starting.get(row, ()):  # the longest span that is kept here
            total = sum(height(r) for r in range(row, last + 1))
            if need < total <= share * limit:
                need = total
        if used > 0 and used + need > limit:
            sheet.page_break(row - 1)
            added.append(row - 1)
            used = 0.0
        used += here
    return added


def write_blocks(sheet, title: str, lines: list[str], blocks, *, freeze: str = "table") -> dict:
    """Lay out a report on ``sheet`` (an ``aexl.workbook.write.Sheet``): title block, then every
    block; house style.

    ``freeze="table"`` freezes below the first table's header band,
    ``"title"`` below the title block. Objects with a ``write(sheet, row,
    width, total_width, keep=[]) -> next_row`` method (charts) are asked to
    write themselves and list in ``keep`` the row spans that belong together.
    Returns positions: ``{"first_header": row, "last_row": row, "width": n,
    "keep": [(first, last), …]}`` (spans for ``keep_together``).
    """
    from aexl.workbook.write import SUBSECTION

    widths = fit_widths(blocks) or [14, 14, 14, 14, 14, 14]
    width = len(widths)
    total = float(sum(widths))
    row = sheet.title_block(title, lines, width)
    body_top, first_header = row, None
    keep: list[tuple[int, int]] = []  # row spans that must not straddle a page
    headed = None  # first row of the headings just written: they stay with what follows
    for block in blocks:
        start = row
        if isinstance(block, Heading):
            if block.level == 1:
                row = sheet.section(row, block.text, width)
            else:
                sheet.put(row, 1, block.text, SUBSECTION)
                row += 1
            headed = start if headed is None else headed
            continue
        if isinstance(block, Table):
            first_header = first_header or row
            fit_rows(sheet, row + 1, block.rows, widths)
            row = sheet.table(row, block.headers, block.rows, block.formats, block.empty_text)
            # the header with the first two rows always; the whole table when it is short
            spans = [(start, min(row - 2, start + 2)), (start, row - 2, TABLE_PAGE_SHARE)]
        elif isinstance(block, Text):
            for paragraph in block.paragraphs:
                row = merged_text(sheet, row, paragraph, width, total)
            if block.placeholder:
                note = f"{PLACEHOLDER}{block.placeholder}"
                row = merged_text(sheet, row, note, width, total, fill=PLACEHOLDER_COLOR)
                sheet.set_height(row - 1, max(sheet.height(row - 1) or 0, 60))
            spans = [(start, max(start, min(row - 1, start + 1)))]
            row += 1
        else:
            spans = []
            row = block.write(sheet, row, width, total, keep=spans)
            spans = spans or [(start, start)]
        if headed is not None:  # a heading never ends a page alone
            spans = [(headed, *span[1:]) if span[0] == start else span for span in spans]
        keep += spans
        headed = None
    sheet.set_widths(widths)
    sheet.freeze(first_header + 1 if freeze == "table" and first_header else body_top)
    return {"first_header": first_header, "last_row": row - 1, "width": width, "keep": keep}


def save_report(report, path, sheet: str, *, freeze: str = "table", landscape: bool = True):
    """A one-sheet workbook of ``report`` (title, header_lines, blocks) saved atomically."""
    kind = getattr(report, "KIND", "")
    book = report_book(path, report.title, getattr(report, "source", ""), kind)
    page = book.sheet(sheet)
    layout = write_blocks(page, report.title, report.header_lines(), report.blocks, freeze=freeze)
    page.print_setup(landscape=landscape)
    keep_together(page, layout["keep"], layout["last_row"], landscape=landscape)
    return book.save()
