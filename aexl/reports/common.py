"""Shared pieces of the report modules (weekly, monthly, year-end, job sheet).

A report is built in two steps that never mix:

* data: a pure function over the workbench's DataFrames returns a dataclass
  whose ``blocks`` is a list of ``Heading`` / ``Text`` / ``Table`` (plain
  values only), so any writer can lay it out — openpyxl here, a live Excel
  sheet in the ribbon;
* writing: ``write_blocks`` lays the blocks out on an openpyxl sheet in the
  house style of ``aexl.xlsxout``.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from aexl import schema
from aexl.errors import UsageError
from aexl.values import is_blank, norm_text

DONE_STATUSES = frozenset({"已完成", "已取消", "客户确认"})
OPEN_STATUSES = frozenset({"进行中", "已提案", "修改中"})
PLACEHOLDER = "（请 AM 填写）"
PLACEHOLDER_COLOR = "FFFF99"
TABLE_PAGE_SHARE = 0.5  # a table at most this part of a page is never split across pages
WEEKDAYS = "一二三四五六日"
_STEP_ALIASES = {"COPYWRITE": "文案", "COPYWRITER": "文案", "COPY": "文案", "电脑人员": "电脑"}


# ---------------------------------------------------------------- blocks ---
@dataclass
class Heading:
    """A section heading; level 1 is 一、…, level 2 a sub-heading."""

    text: str
    level: int = 1


@dataclass
class Text:
    """Paragraphs of text; ``placeholder`` (a hint) adds a yellow box for the AM to fill."""

    paragraphs: list[str] = field(default_factory=list)
    placeholder: str = ""


@dataclass
class Table:
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)  # 0-based column -> number format
    widths: list[int] = field(default_factory=list)
    empty_text: str = "（无）"

    def column(self, name: str) -> list:
        i = self.headers.index(name)
        return [r[i] for r in self.rows]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.headers, r, strict=False)) for r in self.rows]


class BrandReport:
    """What the per-brand reports share: ``KIND`` names the title and the file.

    The file is dated ``finish`` (the day the report is finished, as the
    rulebook's naming rule asks); ``source`` is the workbench's name.
    """

    KIND = ""

    @property
    def title(self) -> str:
        return f"{self.brand} {self.KIND}"

    @property
    def filename(self) -> str:
        from aexl.xlsxout import report_name

        return report_name(self.finish, self.brand, self.KIND)

    @property
    def source_note(self) -> str:
        """``　（数据来源：…）`` for the last header line, or nothing."""
        return f"　（数据来源：{self.source}）" if self.source else ""


# -------------------------------------------------------------- arguments ---
def _parsed(parse, value, missing: str) -> str:
    try:
        normal = parse(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not normal:
        raise UsageError(missing)
    return normal


def parse_week_arg(week) -> str:
    """``2026-W47`` (or ``2026年第47周``) → ``2026-W47``; UsageError when unreadable."""
    from aexl.values import parse_week

    return _parsed(parse_week, week, "缺少周次，请写成 2026-W47")


def parse_month_arg(month) -> str:
    """``2026-10`` (or ``2026年10月``) → ``2026-10``; UsageError when unreadable."""
    from aexl.values import parse_month

    return _parsed(parse_month, month, "缺少月份，请写成 2026-10")


def parse_year_arg(year) -> int:
    try:
        number = int(str(year).strip().rstrip("年"))
    except ValueError:
        raise UsageError(f"无法识别年份「{year}」，请写成 2026") from None
    if not 2000 <= number <= 2100:
        raise UsageError(f"年份「{year}」不对，请写成 2026 这样的四位年份")
    return number


def reports_for(build, source, period, calendar=None, brands=None) -> list:
    """``build(source, brand, period, calendar)`` per brand.

    Without ``brands``: every brand of the workbench whose report is not empty.
    """
    cal = calendar_of(source, calendar)
    wanted = list(brands) if brands else brand_order(frame_getter(source))
    reports = [build(source, b, period, cal) for b in wanted]
    return reports if brands else [r for r in reports if not r.is_empty]


# ------------------------------------------------------------ data access ---
def frame_getter(source):
    """``sheet -> DataFrame`` for a ``Workbench`` or a ``{sheet: DataFrame}`` dict."""
    if hasattr(source, "frame"):
        return source.frame
    from aexl.workbook import empty_frame

    def get(sheet: str):
        frame = source.get(sheet)
        return frame if frame is not None else empty_frame(schema.BY_SHEET[sheet])

    return get


def calendar_of(source, calendar=None):
    if calendar is not None:
        return calendar
    if hasattr(source, "calendar"):
        return source.calendar()
    from aexl.workcal import WorkCalendar

    return WorkCalendar()


def source_name(source) -> str:
    return getattr(source, "name", "") or "当前工作簿"


def clean(value):
    """Blank → None; pandas timestamps → datetime; other values unchanged."""
    if is_blank(value):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
        return value.date() if value.time() == datetime.min.time() else value
    return value


def records(frame) -> list[dict]:
    """The rows of a register as dicts with cleaned values (``_row`` kept)."""
    if frame is None or len(frame) == 0:
        return []
    return [{k: clean(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def text(rec: dict, column: str) -> str:
    return norm_text(rec.get(column))


def jobno_of(value) -> str:
    return norm_text(value).upper().replace(" ", "")


def as_day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def in_range(value, start: date, end: date) -> bool:
    day = as_day(value)
    return day is not None and start <= day <= end


def job_index(get) -> dict[str, dict]:
    """工作号 → job record (the first row wins for a duplicated number)."""
    out: dict[str, dict] = {}
    for rec in records(get(schema.JOBS.sheet)):
        key = jobno_of(rec.get("工作号"))
        if key and key not in out:
            out[key] = rec
    return out


def brand_order(get) -> list[str]:
    """Brands in the order of the 品牌 sheet, then of the 工作单 register."""
    seen: dict[str, None] = {}
    for sheet in (schema.BRANDS.sheet, schema.JOBS.sheet):
        for rec in records(get(sheet)):
            brand = text(rec, "品牌")
            if brand:
                seen.setdefault(brand, None)
    return list(seen)


def brand_jobs(jobs: dict[str, dict], brand: str) -> dict[str, dict]:
    return {no: rec for no, rec in jobs.items() if text(rec, "品牌") == brand}


def by_job(rows: list[dict], column: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for rec in rows:
        out.setdefault(jobno_of(rec.get(column)), []).append(rec)
    return out


def norm_step(step) -> str:
    key = "".join(norm_text(step).split())
    return _STEP_ALIASES.get(key.upper(), key)


def client_confirmations(signoffs: list[dict], flows=("正稿QC", "打样QC")) -> dict[str, list[dict]]:
    """Passed 客户确认 signatures of the QC flows, per job, oldest first."""
    out: dict[str, list[dict]] = {}
    for rec in signoffs:
        flow, step = text(rec, "流程"), norm_step(rec.get("步骤"))
        if flow in flows and step.startswith("客户确认") and text(rec, "结果") in ("", "通过"):
            out.setdefault(jobno_of(rec.get("工作号")), []).append(rec)
    for rows in out.values():
        rows.sort(key=lambda r: (as_day(r.get("日期")) or date.min, r.get("_row") or 0))
    return out


def percent_of(value, target) -> float | None:
    if not isinstance(value, int | float) or not isinstance(target, int | float) or not target:
        return None
    return value / target


def fmt_day(day) -> str:
    day = as_day(day)
    return f"{day:%Y-%m-%d}（周{WEEKDAYS[day.weekday()]}）" if day else ""


def join_lines(items) -> str:
    return "\n".join(i for i in items if i)


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


def merged_text(ws, row: int, value, width: int, total_width: float, *, fill=None) -> int:
    """One wrapped paragraph merged across ``width`` columns; returns the next row."""
    from aexl.xlsxout import BODY_FONT, BORDER, WRAP, put

    cell = put(ws, row, 1, value)
    cell.font, cell.alignment = BODY_FONT, WRAP
    if fill is not None:
        cell.fill = fill
        for col in range(1, width + 1):
            ws.cell(row=row, column=col).border = BORDER
            ws.cell(row=row, column=col).fill = fill
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))
    ws.row_dimensions[row].height = text_height(value, total_width)
    return row + 1


def placeholder_fill():
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=PLACEHOLDER_COLOR)


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


def fit_rows(ws, first: int, rows: list[list], widths: list[int]) -> None:
    """Heights for table rows whose text wraps (Excel does not grow them on its own)."""
    for n, values in enumerate(rows):
        height = max(
            (text_height(v, widths[i]) for i, v in enumerate(values) if isinstance(v, str)),
            default=15.0,
        )
        if height > 18:
            ws.row_dimensions[first + n].height = height


# ------------------------------------------------------------- page breaks ---
A4_PT = (595.3, 841.9)  # short and long side, points
DEFAULT_ROW_PT = 16.5  # a row left at the default height (15 pt; CJK text makes some taller)
PAGE_SLACK = 0.96  # plan pages a little shorter than they are: heights are estimates


def _column_px(width: float) -> float:
    return int(width * 7 + 5)  # Excel's pixel width of a column of the default font


def page_height(ws, landscape: bool = True) -> float:
    """Sheet points that fit on one printed page under ``print_setup`` (fit to width)."""
    from openpyxl.utils import column_index_from_string, get_column_letter
    from openpyxl.utils.cell import coordinate_from_string

    margins = ws.page_margins
    short, long = A4_PT
    paper_w, paper_h = (long, short) if landscape else (short, long)
    printable_w = paper_w - 72 * (margins.left + margins.right)
    printable_h = paper_h - 72 * (margins.top + margins.bottom)
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
    used_px = sum(_column_px(w or 8.43) for w in widths)
    for chart in ws._charts:  # a chart beyond the last column widens the printed range
        anchor = chart.anchor
        if isinstance(anchor, str):  # "E8" until the workbook is saved
            start = column_index_from_string(coordinate_from_string(anchor)[0]) - 1
        else:
            start = anchor._from.col
        used_px = max(
            used_px, sum(_column_px(w or 8.43) for w in widths[:start]) + chart.width / 2.54 * 96
        )
    scale = min(1.0, math.floor(100 * printable_w / (used_px * 0.75)) / 100) if used_px else 1.0
    return printable_h / scale * PAGE_SLACK


def keep_together(ws, spans, last_row: int, *, landscape: bool = True) -> list[int]:
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
    from openpyxl.worksheet.pagebreak import Break

    limit = page_height(ws, landscape)

    def height(row: int) -> float:
        dim = ws.row_dimensions.get(row)
        return dim.height if dim is not None and dim.height else DEFAULT_ROW_PT

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
            ws.row_breaks.append(Break(id=row - 1))
            added.append(row - 1)
            used = 0.0
        used += here
    return added


def write_blocks(ws, title: str, lines: list[str], blocks, *, freeze: str = "table") -> dict:
    """Lay out a report on ``ws``: title block, then every block; house style.

    ``freeze="table"`` freezes below the first table's header band,
    ``"title"`` below the title block. Objects with a ``write(ws, row, width,
    total_width, keep=[]) -> next_row`` method (charts) are asked to write
    themselves and list in ``keep`` the row spans that belong together.
    Returns positions: ``{"first_header": row, "last_row": row, "width": n,
    "keep": [(first, last), …]}`` (spans for ``keep_together``).
    """
    from openpyxl.styles import Font

    from aexl.xlsxout import FONT_NAME, SECTION_FONT, put, section, set_widths, table, title_block

    widths = fit_widths(blocks) or [14, 14, 14, 14, 14, 14]
    width = len(widths)
    total = float(sum(widths))
    row = title_block(ws, title, lines, width)
    body_top, first_header = row, None
    sub_font = Font(name=FONT_NAME, size=11, bold=True, color=SECTION_FONT.color)
    keep: list[tuple[int, int]] = []  # row spans that must not straddle a page
    headed = None  # first row of the headings just written: they stay with what follows
    for block in blocks:
        start = row
        if isinstance(block, Heading):
            if block.level == 1:
                row = section(ws, row, block.text, width)
            else:
                put(ws, row, 1, block.text).font = sub_font
                row += 1
            headed = start if headed is None else headed
            continue
        if isinstance(block, Table):
            first_header = first_header or row
            fit_rows(ws, row + 1, block.rows, widths)
            row = table(ws, row, block.headers, block.rows, block.formats, block.empty_text)
            # the header with the first two rows always; the whole table when it is short
            spans = [(start, min(row - 2, start + 2)), (start, row - 2, TABLE_PAGE_SHARE)]
        elif isinstance(block, Text):
            for paragraph in block.paragraphs:
                row = merged_text(ws, row, paragraph, width, total)
            if block.placeholder:
                note = f"{PLACEHOLDER}{block.placeholder}"
                row = merged_text(ws, row, note, width, total, fill=placeholder_fill())
                ws.row_dimensions[row - 1].height = max(ws.row_dimensions[row - 1].height, 60)
            spans = [(start, max(start, min(row - 1, start + 1)))]
            row += 1
        else:
            spans = []
            row = block.write(ws, row, width, total, keep=spans)
            spans = spans or [(start, start)]
        if headed is not None:  # a heading never ends a page alone
            spans = [(headed, *span[1:]) if span[0] == start else span for span in spans]
        keep += spans
        headed = None
    set_widths(ws, widths)
    if freeze == "table" and first_header:
        ws.freeze_panes = f"A{first_header + 1}"
    else:
        ws.freeze_panes = f"A{body_top}"
    return {"first_header": first_header, "last_row": row - 1, "width": width, "keep": keep}


def save_report(report, path, sheet: str, *, freeze: str = "table", landscape: bool = True):
    """A one-sheet workbook of ``report`` (title, header_lines, blocks) saved atomically."""
    from openpyxl import Workbook

    from aexl.xlsxout import atomic_save, print_setup

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    layout = write_blocks(ws, report.title, report.header_lines(), report.blocks, freeze=freeze)
    print_setup(ws, landscape=landscape)
    keep_together(ws, layout["keep"], layout["last_row"], landscape=landscape)
    wb.properties.title = report.title
    wb.properties.creator = "aexl"
    return atomic_save(wb, path)


# ------------------------------------------------------------ CLI helpers ---
def load_book(path):
    """Read a workbench for a report command; unreadable cells are logged, not fatal."""
    import logging

    from aexl.workbook import read_workbench

    wb = read_workbench(path, need=(schema.JOBS.sheet,))
    if wb.findings:
        logging.getLogger("aexl").warning(
            "注意：%s 中有 %d 个单元格无法读取，已按空白处理（用 aexl check --book %s 查看）",
            wb.name,
            len(wb.findings),
            path,
        )
    return wb


def log_findings(book, findings, outcome: str, sheet: str | None = None) -> None:
    """One warning per unreadable cell of ``book`` (of ``sheet`` only, when given)."""
    import logging

    log = logging.getLogger("aexl")
    for finding in findings:
        if sheet is None or finding.sheet == sheet:
            log.warning(
                "%s：工作表「%s」第 %s 行「%s」：%s（%s）",
                book.name,
                finding.sheet,
                finding.row,
                finding.column,
                finding.message,
                outcome,
            )


def run_brand_reports(args, period, build, writer, nothing: str) -> int:
    """A report command: read ``--book``, ``build(wb, period, brands=…)``, write each report.

    ``nothing`` is logged when no brand has anything for the period.
    """
    import logging

    wb = load_book(args.book)
    reports = build(wb, period, brands=check_brands(wb, args.brand))
    if not reports:
        logging.getLogger("aexl").warning(nothing)
    write_each(reports, writer, args.out)
    return 0


def check_brands(source, brands) -> list[str] | None:
    """The ``--brand`` values, each checked against the workbench's brands."""
    if not brands:
        return None
    known = brand_order(frame_getter(source))
    for brand in brands:
        if brand not in known:
            raise UsageError(
                f"工作簿中没有品牌「{brand}」（已有：{'、'.join(known) or '无'}），请检查 --brand"
            )
    return list(brands)


def write_each(reports, writer, out_dir) -> list:
    """Write every report into ``out_dir`` under its own file name; print each path as written."""
    import logging
    from pathlib import Path

    from aexl.cli import print_paths

    log = logging.getLogger("aexl")
    paths, seen = [], set()
    for report in reports:
        notes = getattr(report, "notes", None)
        for note in notes if isinstance(notes, list) else []:
            if note not in seen:
                seen.add(note)
                log.warning("注意：%s", note)
        path = writer(report, Path(out_dir) / report.filename)
        print_paths([path])
        paths.append(path)
    return paths
