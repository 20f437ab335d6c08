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


# -------------------------------------------------------------- arguments ---
def parse_week_arg(week) -> str:
    """``2026-W47`` (or ``2026年第47周``) → ``2026-W47``; UsageError when unreadable."""
    from aexl.values import parse_week

    try:
        normal = parse_week(week)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not normal:
        raise UsageError("缺少周次，请写成 2026-W47")
    return normal


def parse_month_arg(month) -> str:
    from aexl.values import parse_month

    try:
        normal = parse_month(month)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not normal:
        raise UsageError("缺少月份，请写成 2026-10")
    return normal


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


def write_blocks(ws, title: str, lines: list[str], blocks, *, freeze: str = "table") -> dict:
    """Lay out a report on ``ws``: title block, then every block; house style.

    ``freeze="table"`` freezes below the first table's header band,
    ``"title"`` below the title block. Objects with a ``write(ws, row, width,
    total_width) -> next_row`` method (charts) are asked to write themselves.
    Returns positions: ``{"first_header": row, "last_row": row, "width": n}``.
    """
    from openpyxl.styles import Font

    from aexl.xlsxout import FONT_NAME, SECTION_FONT, put, section, set_widths, table, title_block

    widths = fit_widths(blocks) or [14, 14, 14, 14, 14, 14]
    width = len(widths)
    total = float(sum(widths))
    row = title_block(ws, title, lines, width)
    body_top, first_header = row, None
    sub_font = Font(name=FONT_NAME, size=11, bold=True, color=SECTION_FONT.color)
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                row = section(ws, row, block.text, width)
            else:
                put(ws, row, 1, block.text).font = sub_font
                row += 1
        elif isinstance(block, Table):
            first_header = first_header or row
            fit_rows(ws, row + 1, block.rows, widths)
            row = table(ws, row, block.headers, block.rows, block.formats, block.empty_text)
        elif isinstance(block, Text):
            for paragraph in block.paragraphs:
                row = merged_text(ws, row, paragraph, width, total)
            if block.placeholder:
                note = f"{PLACEHOLDER}{block.placeholder}"
                row = merged_text(ws, row, note, width, total, fill=placeholder_fill())
                ws.row_dimensions[row - 1].height = max(ws.row_dimensions[row - 1].height, 60)
            row += 1
        else:
            row = block.write(ws, row, width, total)
    set_widths(ws, widths)
    if freeze == "table" and first_header:
        ws.freeze_panes = f"A{first_header + 1}"
    else:
        ws.freeze_panes = f"A{body_top}"
    return {"first_header": first_header, "last_row": row - 1, "width": width}


def save_report(report, path, sheet: str, *, freeze: str = "table", landscape: bool = True):
    """A one-sheet workbook of ``report`` (title, header_lines, blocks) saved atomically."""
    from openpyxl import Workbook

    from aexl.xlsxout import atomic_save, print_setup

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    write_blocks(ws, report.title, report.header_lines(), report.blocks, freeze=freeze)
    print_setup(ws, landscape=landscape)
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
