"""Laying report blocks out in an .xlsx sheet (XlsxWriter through ``aexl.workbook.write``):
widths and wrapped heights, the house-style block writer and the page breaks."""

from __future__ import annotations

import functools
import math
import unicodedata

from aexl.reports.blocks import PLACEHOLDER, PLACEHOLDER_COLOR, Heading, Table, Text

TABLE_PAGE_SHARE = 0.5  # a table at most this part of a page is never split across pages
TAIL_ROWS_SHARE = 0.15  # a table's last two rows go on with the box below it when this short


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
    text = str(value)
    if text.isascii():
        return len(text)
    return len(text) + (wide - 1) * _wide_count(text)


@functools.lru_cache(maxsize=8192)  # report text repeats (statuses, messages, names)
def _wide_count(text: str) -> int:
    kinds = list(map(unicodedata.east_asian_width, text))
    return kinds.count("W") + kinds.count("F")


def text_height(value, width: float, line: float = 15.0) -> float:
    """Row height (points) for wrapped ``value`` in a cell ``width`` characters wide.

    A CJK character of 10 pt 微软雅黑 is about 1.8 width units (the '0' of the
    default font), any other about 1.3: its Latin letters are wider than the
    default font's, and a run such as a job number wraps whole, leaving the end
    of a line empty. The estimate errs on the tall side so no program clips.
    """
    text = value if type(value) is str else str(value)
    return _text_height(text, width, line)


@functools.lru_cache(maxsize=1 << 14, typed=True)  # cells repeat (statuses, names, kinds)
def _text_height(text: str, width: float, line: float) -> float:
    usable = max(width - 0.5, 4)
    lines = sum(max(1, math.ceil(_print_width(p) / usable)) for p in text.split("\n"))
    return max(line, lines * line + 3)


def _print_width(text: str) -> float:
    wide = 0 if text.isascii() else _wide_count(text)
    return 1.8 * wide + 1.3 * (len(text) - wide)


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


class Pager:
    """Follows printed pages down a sheet as it is written, with estimated row heights.

    ``flow(first, last, spans)`` places rows already written (breaking before a
    span that would straddle a page, see ``keep_together``); ``table_pages``
    plans where a long table continues on the next page, so the writer can
    repeat its header row there. Every break is a manual one. The estimate errs
    on the short side (Excel's Calibri column widths; LibreOffice's wider
    default font only makes its pages hold more rows), so neither application
    adds a break of its own inside a span.
    """

    def __init__(self, sheet, landscape: bool = True):
        self.sheet = sheet
        self.limit = page_height(sheet, landscape)
        self.used = 0.0
        self.added: list[int] = []

    def height(self, row: int) -> float:
        return self.sheet.height(row) or DEFAULT_ROW_PT

    def breaks_since(self, row: int) -> list[int]:
        """The breaks added after ``row`` (the rows that end a page)."""
        return [b for b in self.added if b >= row]

    def new_page(self, after_row: int) -> None:
        self.sheet.page_break(after_row)
        self.added.append(after_row)
        self.used = 0.0

    def flow(self, first_row: int, last_row: int, spans=()) -> None:
        """Place rows ``first_row``–``last_row``; a span ``(first, last[, share])`` is kept
        on one page when it takes at most ``share`` of a page (default: a whole page)."""
        starting: dict[int, list[tuple[int, float]]] = {}
        for first, last, *share in spans:
            starting.setdefault(first, []).append((last, share[0] if share else 1.0))
        for row in range(first_row, last_row + 1):
            here = need = self.height(row)
            for last, share in starting.get(row, ()):  # the longest span that is kept here
                total = sum(self.height(r) for r in range(row, last + 1))
                if need < total <= share * self.limit:
                    need = total
            if self.used > 0 and self.used + need > self.limit:
                self.new_page(row - 1)
            self.used += here

    def table_pages(
        self, lead: float, header: float, heights: list[float], tail: float = 0.0
    ) -> list[int]:
        """Where a table's body rows start a new page: indexes into ``heights``.

        ``lead``: the height of what must stay with the table's start (its
        heading); ``header``: the header row, repeated on every page; ``tail``:
        what must stay with its last rows (the text or the AM's box below it).
        A table of at most ``TABLE_PAGE_SHARE`` of a page is kept whole (with
        its tail), a longer one starts where its header and first two rows fit
        and, when the tail does not fit under its end, its last two rows (the
        last one when two are tall) go on to the next page with it. Index 0 in the result means "start on a new
        page". ``used`` is not changed.
        """
        total = lead + header + sum(heights) + tail
        start = lead + header + sum(heights[:2])
        used = self.used
        out = []
        if used > 0 and used + (total if total <= TABLE_PAGE_SHARE * self.limit else start) > self.limit:  # fmt: skip
            out.append(0)
            used = 0.0
        used += lead + header
        for i, h in enumerate(heights):
            if i and used + h > self.limit:
                out.append(i)
                used = header
            used += h
        last_page = out[-1] if out else 0  # the first row on the table's last page
        if tail and used + tail > self.limit and len(heights) - last_page > 2:
            short = sum(heights[-2:]) <= TAIL_ROWS_SHARE * self.limit
            out.append(len(heights) - (2 if short else 1))
        return out


def keep_together(sheet, spans, last_row: int, *, landscape: bool = True) -> list[int]:
    """Row page breaks so that no ``(first, last)`` span straddles a page.

    A span ``(first, last, share)`` is kept whole only when it takes at most
    ``share`` of a page (a table: whole when short, else its header and first
    rows, given as a second span); a span longer than a page is cut where
    the page ends. Pages are followed from row 1 (``Pager``). Returns the rows
    after which a break was added.
    """
    pager = Pager(sheet, landscape)
    pager.flow(1, last_row, spans)
    return pager.added


def row_heights(rows: list[list], widths: list[float]) -> list[float]:
    """Estimated heights of table rows (wrapped text grows a row; else the default)."""
    out = []
    for values in rows:
        height = 15.0  # the default; a text's height is never less
        for value, width in zip(values, widths):  # noqa: B905 (cells beyond the widths: no height)
            if isinstance(value, str):
                height = max(height, text_height(value, width))
        out.append(height if height > 18 else 0.0)
    return out


def table_widths(block: Table, widths: list[float]) -> list[float]:
    """The printed width of each of ``block``'s columns: the grid columns it spans."""
    if not block.spans:
        return widths
    starts = [sum(block.spans[:i]) for i in range(len(block.spans))]
    return [sum(widths[s : s + n]) for s, n in zip(starts, block.spans, strict=True)]


def spanned_table(sheet, row: int, block: Table, rows: list[list]) -> int:
    """``Sheet.table`` for a block whose columns span several sheet columns (merged
    cells, the same looks); returns the next free row."""
    from aexl.workbook.write import CELL, HEADER, row_looks

    starts = [1 + sum(block.spans[:i]) for i in range(len(block.spans))]
    cells = list(zip(starts, block.spans, strict=True))
    for (col, span), header in zip(cells, block.headers, strict=True):
        sheet.merge(row, col, col + span - 1, header, HEADER)
    row += 1
    if not rows:
        sheet.merge(row, 1, block.spans[0], block.empty_text, CELL)
        return row + 2
    for n, values in enumerate(rows):
        for i, (col, span) in enumerate(cells):
            value = values[i] if i < len(values) else None
            fmt = block.formats.get(i)
            sheet.merge(row, col, col + span - 1, value, *row_looks(n), number_format=fmt)
        row += 1
    return row + 1


def write_table(
    sheet, pager: Pager, row: int, block: Table, widths, headed: int | None, tail: float = 0.0
) -> int:
    """``block`` from ``row`` with its header row repeated on every page it continues on;
    ``headed`` is the first row of the heading(s) just above it (they move with it);
    ``tail`` the height of what follows that must stay with its last rows.
    Returns the next free row. A block with ``decorate(sheet, row, index)`` (thumbnails)
    is called for each body row after it is written."""
    own = getattr(block, "row_heights", None)
    heights = own(widths) if own else row_heights(block.rows, table_widths(block, widths))
    lead_first = headed if headed is not None else row
    lead = sum(pager.height(r) for r in range(lead_first, row))
    header = pager.height(row)
    planned = [h or DEFAULT_ROW_PT for h in heights]
    cuts = pager.table_pages(lead, header, planned or [DEFAULT_ROW_PT], tail)
    if cuts and cuts[0] == 0:
        if lead_first > 1:
            pager.new_page(lead_first - 1)
        cuts = cuts[1:]
    pager.used += lead
    bounds = [0, *cuts, len(block.rows)]
    for k in range(len(bounds) - 1):
        if k:
            pager.new_page(row - 1)
        chunk = block.rows[bounds[k] : bounds[k + 1]]
        for n, h in enumerate(heights[bounds[k] : bounds[k + 1]]):
            if h:
                sheet.set_height(row + 1 + n, h)
        if block.spans:
            end = spanned_table(sheet, row, block, chunk)
        else:
            end = sheet.table(row, block.headers, chunk, block.formats, block.empty_text)
        decorate = getattr(block, "decorate", None)
        for n in range(len(chunk)) if decorate else ():
            decorate(sheet, row + 1 + n, bounds[k] + n)
        pager.used += header + sum(planned[bounds[k] : bounds[k + 1]])
        row = end - 1 if k < len(bounds) - 2 else end
    pager.used += DEFAULT_ROW_PT * (2 if not block.rows else 1)  # the 「（无）」 row, the gap
    return row


def text_heights(block: Text, total: float) -> list[float]:
    """The heights ``write_text`` gives the rows of ``block``: paragraphs, then the box."""
    heights = [text_height(p, total) for p in block.paragraphs]
    if block.placeholder:
        heights.append(max(text_height(f"{PLACEHOLDER}{block.placeholder}", total), 60))
    return heights


def tail_of(block, total: float) -> float:
    """What of ``block`` must share a page with the end of the table above it: the gap
    row and the first two rows of a text (the rows ``write_blocks`` keeps together)."""
    if not isinstance(block, Text):
        return 0.0
    return DEFAULT_ROW_PT + sum(text_heights(block, total)[:2])


def write_text(sheet, row: int, block: Text, width: int, total: float) -> int:
    """Paragraphs merged across the table width, then the AM's yellow box; returns the row
    after the blank row that follows."""
    for paragraph in block.paragraphs:
        row = merged_text(sheet, row, paragraph, width, total)
    if block.placeholder:
        note = f"{PLACEHOLDER}{block.placeholder}"
        row = merged_text(sheet, row, note, width, total, fill=PLACEHOLDER_COLOR)
        sheet.set_height(row - 1, max(sheet.height(row - 1) or 0, 60))
    return row + 1


def write_heading(sheet, row: int, block: Heading, width: int) -> int:
    """A section heading across the table width (level 1) or a sub-heading; the next row."""
    from aexl.workbook.write import SUBSECTION

    if block.level == 1:
        return sheet.section(row, block.text, width)
    sheet.put(row, 1, block.text, SUBSECTION)
    return row + 1


def write_blocks(
    sheet,
    title: str,
    lines: list[str],
    blocks,
    *,
    freeze: str = "table",
    landscape: bool = True,
    widths: list[float] | None = None,
) -> dict:
    """Lay out a report on ``sheet`` (a ``Sheet``): title block, then every block, paged as
    it goes (``Pager``); a table continued on the next page starts it with its header row
    again (print titles for every table, which one ``repeat_rows`` range cannot give).
    ``freeze``: ``"table"`` below the first table's header, ``"title"`` below the title
    block; ``widths``: the sheet's column widths (default: what the tables ask for).
    Blocks with ``write(sheet, row, width, total, keep=[]) -> next_row`` (charts) write
    themselves and list in ``keep`` the row spans that belong together. Returns
    ``first_header``, ``last_row``, ``width``, ``keep`` and ``table_headers``.
    """
    widths = list(widths or fit_widths(blocks) or [14, 14, 14, 14, 14, 14])
    width, total = len(widths), float(sum(widths))
    sheet.set_widths(widths)
    row = sheet.title_block(title, lines, width)
    pager = Pager(sheet, landscape)
    pager.flow(1, row - 1)
    body_top, first_header = row, None
    keep: list[tuple[int, int]] = []  # row spans that must not straddle a page
    headers: list[int] = []  # every header row written (repeated ones too)
    headed = None  # first row of the headings just written: they stay with what follows
    for n, block in enumerate(blocks):
        start = row
        if isinstance(block, Heading):
            row = write_heading(sheet, row, block, width)
            headed = start if headed is None else headed
            continue
        if isinstance(block, Table):
            first_header = first_header or row
            tail = tail_of(blocks[n + 1], total) if n + 1 < len(blocks) else 0.0
            row = write_table(sheet, pager, row, block, widths, headed, tail)
            headers += [start, *(b + 1 for b in pager.breaks_since(start))]
            keep.append((headed or start, row - 2))
            headed = None
            continue
        if isinstance(block, Text):
            row = write_text(sheet, row, block, width, total)
            spans = [(start, max(start, min(row - 2, start + 1)))]
        elif hasattr(block, "write"):  # a block that lays itself out (charts)
            spans = []
            row = block.write(sheet, row, width, total, keep=spans)
            spans = spans or [(start, start)]
        else:
            raise TypeError(f"not a report block: {block!r}")
        if headed is not None:  # a heading never ends a page alone
            spans = [(headed, *span[1:]) if span[0] == start else span for span in spans]
        pager.flow(headed or start, row - 1, spans)
        keep += spans
        headed = None
    pager.flow(headed or row, row - 1)  # headings left at the end
    sheet.freeze(first_header + 1 if freeze == "table" and first_header else body_top)
    return dict(first_header=first_header, last_row=row - 1, width=width, keep=keep, table_headers=headers)  # fmt: skip


def save_report(report, path, sheet: str, *, freeze: str = "table", landscape: bool = True):
    """A one-sheet workbook of ``report`` (title, header_lines, blocks) saved atomically;
    a report with ``columns`` (column widths) lays its tables out on that grid."""
    kind = getattr(report, "KIND", "")
    book = report_book(path, report.title, getattr(report, "source", ""), kind)
    page = book.sheet(sheet)
    page.print_setup(landscape=landscape)
    write_blocks(
        page,
        report.title,
        report.header_lines(),
        report.blocks,
        freeze=freeze,
        landscape=landscape,
        widths=getattr(report, "columns", None),
    )
    return book.save()
