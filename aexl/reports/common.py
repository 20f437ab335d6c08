"""Shared pieces of the report modules (weekly, monthly, year-end, job sheet).

A report is built in two steps that never mix:

* data: a pure function over the workbench's DataFrames returns a dataclass
  whose ``blocks`` is a list of ``Heading`` / ``Text`` / ``Table`` (plain
  values only), so any writer can lay it out — a report file here, a live
  Excel sheet in the ribbon;
* writing: ``write_blocks`` lays the blocks out on an ``aexl.workbook.write.Sheet``
  (XlsxWriter) in the house style.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

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
        from aexl.workbook.write import report_name

        return report_name(self.finish, self.brand, self.KIND)


def report_book(path, title: str, source: str = "", kind: str = ""):
    """A new ``aexl.workbook.write.Book`` for a client deliverable, with its document properties:
    title, creator and where the data came from. The source (an internal file name)
    stays out of the printed page: ``description`` says 「数据来源：…」, ``subject``
    names the kind of report."""
    from aexl.workbook.write import Book

    return Book(
        path, title=title, subject=kind, description=f"数据来源：{source}" if source else ""
    )


# -------------------------------------------------------------- arguments ---
def _parsed(parse, value, option: str, example: str, what: str) -> str:
    """``parse(value)``, or UsageError ``<option> 写法有误：<reason>，请写成 <example>``."""
    try:
        normal = parse(value)
    except ValueError as exc:
        reason = str(exc).split("，请写成")[0].rstrip("。")
        raise UsageError(f"{option} 写法有误：{reason}，请写成 {example}") from None
    if not normal:
        raise UsageError(f"{option} 写法有误：没有写{what}，请写成 {example}")
    return normal


def parse_week_arg(week, option: str = "--week") -> str:
    """``2026-W47`` (or ``2026年第47周``) → ``2026-W47``; UsageError when unreadable.

    Every command's message has one form: ``--week 写法有误：…，请写成 2026-W47``.
    """
    from aexl.values import parse_week

    return _parsed(parse_week, week, option, "2026-W47", "周次")


def parse_month_arg(month, option: str = "--month") -> str:
    """``2026-10`` (or ``2026年10月``) → ``2026-10``; UsageError when unreadable.

    Every command's message has one form: ``--month 写法有误：…，请写成 2026-10``.
    """
    from aexl.values import parse_month

    return _parsed(parse_month, month, option, "2026-10", "月份")


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
    regs = prepare(source)
    cal = calendar_of(regs, calendar)
    wanted = list(brands) if brands else regs.brands
    reports = [build(regs, b, period, cal) for b in wanted]
    return reports if brands else [r for r in reports if not r.is_empty]


# ------------------------------------------------------------ data access ---
def frame_getter(source):
    """``sheet -> DataFrame`` for a ``Workbench`` or a ``{sheet: DataFrame}`` dict."""
    if hasattr(source, "frame"):
        return source.frame
    from aexl.workbook.read import empty_frame

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
    """Blank → None; pandas timestamps → datetime; other values unchanged.

    For values that did not come through ``aexl.workbook.read`` (the reader's
    values are clean already and are used as they are).
    """
    if is_blank(value):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
        return value.date() if value.time() == datetime.min.time() else value
    return value


def records(frame) -> list[dict]:
    """The rows of a register as dicts (``_row`` kept).

    Values are used as ``aexl.workbook.read`` parsed them (text normalised, blanks
    None, dates as date/datetime): they are not cleaned a second time.
    """
    if frame is None or len(frame) == 0:
        return []
    columns = list(frame.columns)
    # column lists zipped into dicts: the values stay the reader's objects (to_dict("records")
    # would box each one again, at several times the cost)
    values = [frame[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def text(rec: dict, column: str) -> str:
    """A text cell: the reader's string as it is, ``""`` for a blank."""
    value = rec.get(column)
    if value is None:
        return ""
    return value if isinstance(value, str) else norm_text(value)


@lru_cache(maxsize=1 << 16)
def _jobno_key(value) -> str:
    from aexl.jobno import normalize_jobno

    return normalize_jobno(value)


def jobno_of(value) -> str:
    """The key a job number is compared by (``aexl.jobno.normalize_jobno``): NFKC,
    upper-case, every whitespace removed; memoised (numbers repeat row after row)."""
    if value is None:
        return ""
    try:
        return _jobno_key(value)
    except TypeError:  # unhashable
        from aexl.jobno import normalize_jobno

        return normalize_jobno(value)


@lru_cache(maxsize=1 << 14)
def _brand_key(value) -> str:
    from aexl.codes import name_key

    return name_key(value)


def brand_key(value) -> str:
    """The key a brand name is compared by (``aexl.codes.name_key``: NFKC, case-folded),
    the same key the code checks use: 「Ace」 and 「ACE」 are one brand."""
    if value is None:
        return ""
    try:
        return _brand_key(value)
    except TypeError:
        from aexl.codes import name_key

        return name_key(value)


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
    """Brands in the order of the 品牌 sheet, then of the 工作单 register.

    Names that differ only in case or width are one brand (``brand_key``),
    shown as first written.
    """
    seen: dict[str, str] = {}
    for sheet in (schema.BRANDS.sheet, schema.JOBS.sheet):
        frame = get(sheet)
        if frame is None or len(frame) == 0 or "品牌" not in frame.columns:
            continue
        for value in frame["品牌"].tolist():
            key = brand_key(value)
            if key and key not in seen:
                seen[key] = text({"品牌": value}, "品牌")
    return list(seen.values())


def brand_jobs(jobs: dict[str, dict], brand: str) -> dict[str, dict]:
    key = brand_key(brand)
    return {no: rec for no, rec in jobs.items() if brand_key(rec.get("品牌")) == key}


def by_job(rows: list[dict], column: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for rec in rows:
        out.setdefault(jobno_of(rec.get(column)), []).append(rec)
    return out


@lru_cache(maxsize=256)
def _step_key(step) -> str:
    key = "".join(norm_text(step).split())
    return _STEP_ALIASES.get(key.upper(), key)


def norm_step(step) -> str:
    try:
        return _step_key(step)
    except TypeError:
        return _step_key.__wrapped__(step)


def client_confirmations(signoffs: list[dict], flows=("正稿QC", "打样QC")) -> dict[str, list[dict]]:
    """Passed 客户确认 signatures of the QC flows, per job, oldest first."""
    out: dict[str, list[dict]] = {}
    for rec in signoffs:
        flow = text(rec, "流程")
        if flow not in flows or text(rec, "结果") not in ("", "通过"):
            continue
        if norm_step(rec.get("步骤")).startswith("客户确认"):
            out.setdefault(jobno_of(rec.get("工作号")), []).append(rec)
    for rows in out.values():
        rows.sort(key=lambda r: (as_day(r.get("日期")) or date.min, r.get("_row") or 0))
    return out


def production_flows(kind: str) -> tuple[str, ...]:
    """The QC flows whose 客户确认 means the work is produced (出正品), by 工作类型.

    Rulebook 8 (QC): the work is complete when the client's project lead signs
    the final artwork (正稿QC) — for print work the confirmed proof
    (打样QC, 客户确认/签收光盘), since print work is only produced once the
    proof is signed. So: print work (``schema.PRINT_WORK_TYPES``: 平面广告, 海报,
    报刊广告, 终端物料, 手册, 户外广告) needs the 打样QC confirmation; everything
    else (网络广告, TVC, 电台广告, 命名, 策略方案, 主视觉 …) has no print proofing
    and is produced with the 正稿QC confirmation (a 打样QC one counts too).
    """
    if kind in schema.PRINT_WORK_TYPES:
        return ("打样QC",)
    return ("正稿QC", "打样QC")


def production_confirmation(job: dict, confirmed: list[dict], revisions: list[dict]):
    """The client signature that makes ``job`` produced, or None.

    ``confirmed``: the job's passed 客户确认 signatures (``client_confirmations``),
    ``revisions``: its revisions; both already limited to the period's end. A
    revision opened after the last such signature reopens the work: the signed
    version is no longer the one to be produced. The same rule decides
    「完成的成品」 and 「未出正品的设计」, so a job is never in both.
    """
    flows = production_flows(text(job, "工作类型"))
    signed = [s for s in confirmed if text(s, "流程") in flows]
    if not signed:
        return None
    last = signed[-1]
    day = as_day(last.get("日期")) or date.min
    if any((as_day(r.get("修改日期")) or date.min) > day for r in revisions):
        return None
    return last


# -------------------------------------------------------- brand meetings ---
NO_BRAND_NOTE = "未注明品牌"


def meeting_brands(rec: dict, jobs: dict[str, dict], brands: list[str]) -> tuple[list[str], str]:
    """The brands a 会议 row belongs to, and a note when that was not written down.

    The one rule every report uses (weekly minutes, monthly proposals,
    year-end service figures):

    1. a 工作号 of the 工作单 register → that job's brand;
    2. else the brands whose name appears in 主题 or 与会人员 (a name inside a
       longer brand name that also appears counts once, for the longer one);
    3. else the workbook's only brand;
    4. else every brand of the workbook, with the note ``未注明品牌`` (a
       client-wide meeting such as the monthly 工作例会: each brand's report
       shows it, marked, rather than none).

    ``brands`` are the workbook's brands (``brand_order``); names are
    compared by ``brand_key``.
    """
    job = jobs.get(jobno_of(rec.get("工作号")))
    by_key = {brand_key(b): b for b in brands}
    if job is not None:
        key = brand_key(job.get("品牌"))
        return [by_key.get(key, text(job, "品牌"))], ""
    said = brand_key(f"{text(rec, '主题')} {text(rec, '与会人员')}")
    named = [k for k in by_key if k and k in said]
    named = [k for k in named if not any(k != o and k in o for o in named)]
    if named:
        return [by_key[k] for k in named], ""
    if len(brands) == 1:
        return [brands[0]], ""
    return list(brands), NO_BRAND_NOTE if brands else ""


# -------------------------------------------------------- prepared source ---
class Registers:
    """A workbench's registers prepared once for every brand's report.

    ``reports_for`` makes one and hands it to each brand's ``*_data``; the
    rows (``records``), the job index, the brands and the per-job and
    per-brand groupings are computed on first use and then shared. Any
    ``*_data`` function also takes a plain source and prepares it itself.
    """

    def __init__(self, source):
        self.source = source
        self.get = frame_getter(source)
        self._rows: dict[str, list[dict]] = {}
        self._by_job: dict[tuple[str, str], dict[str, list[dict]]] = {}
        self._by_brand: dict[str, dict[str, list[dict]]] = {}
        self._jobs: dict[str, dict] | None = None
        self._brands: list[str] | None = None
        self._meetings: dict[str, list[tuple[dict, str]]] | None = None

    @property
    def name(self) -> str:
        return source_name(self.source)

    @property
    def path(self):
        return getattr(self.source, "path", None)

    def frame(self, sheet: str):
        return self.get(sheet)

    def calendar(self):
        return calendar_of(self.source)

    def rows(self, sheet: str) -> list[dict]:
        if sheet not in self._rows:
            self._rows[sheet] = records(self.get(sheet))
        return self._rows[sheet]

    @property
    def jobs(self) -> dict[str, dict]:
        if self._jobs is None:
            self._jobs = {}
            for rec in self.rows(schema.JOBS.sheet):
                key = jobno_of(rec.get("工作号"))
                if key and key not in self._jobs:
                    self._jobs[key] = rec
        return self._jobs

    @property
    def brands(self) -> list[str]:
        if self._brands is None:
            self._brands = brand_order(self.get)
        return self._brands

    def brand_jobs(self, brand: str) -> dict[str, dict]:
        """The brand's jobs, in register order (key: ``jobno_of``)."""
        return dict(self.by_brand(schema.JOBS.sheet).get(brand_key(brand), {}))

    def by_job(self, sheet: str, column: str) -> dict[str, list[dict]]:
        """``jobno_of(column)`` → the sheet's rows, in sheet order."""
        if (sheet, column) not in self._by_job:
            self._by_job[sheet, column] = by_job(self.rows(sheet), column)
        return self._by_job[sheet, column]

    def by_brand(self, sheet: str) -> dict:
        """``brand_key(品牌)`` → the sheet's rows (for 工作单: ``{jobno: job}``)."""
        if sheet not in self._by_brand:
            out: dict = {}
            if sheet == schema.JOBS.sheet:
                for no, rec in self.jobs.items():
                    out.setdefault(brand_key(rec.get("品牌")), {})[no] = rec
            else:
                for rec in self.rows(sheet):
                    out.setdefault(brand_key(rec.get("品牌")), []).append(rec)
            self._by_brand[sheet] = out
        return self._by_brand[sheet]

    def brand_rows(self, sheet: str, brand: str) -> list[dict]:
        return self.by_brand(sheet).get(brand_key(brand), [])

    def meetings(self, brand: str) -> list[tuple[dict, str]]:
        """The brand's 会议 rows by ``meeting_brands``, each with its note ("" or 未注明品牌)."""
        if self._meetings is None:
            self._meetings = {}
            for rec in self.rows(schema.MEETINGS.sheet):
                names, note = meeting_brands(rec, self.jobs, self.brands)
                for name in names:
                    self._meetings.setdefault(brand_key(name), []).append((rec, note))
        return self._meetings.get(brand_key(brand), [])


def prepare(source) -> Registers:
    """``source`` (a ``Workbench``, a ``{sheet: DataFrame}`` dict or ``Registers``) prepared."""
    return source if isinstance(source, Registers) else Registers(source)


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


# ------------------------------------------------------------ CLI helpers ---
def load_book(path):
    """Read a workbench for a report command; unreadable cells are logged, not fatal."""
    import logging

    from aexl.workbook.read import read_workbench

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
    keys = {brand_key(b): b for b in known}
    for brand in brands:
        if brand_key(brand) not in keys:
            raise UsageError(
                f"工作簿中没有品牌「{brand}」（已有：{'、'.join(known) or '无'}），请检查 --brand"
            )
    return list(dict.fromkeys(keys[brand_key(b)] for b in brands))


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
