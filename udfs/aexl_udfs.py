"""AE工作台 worksheet functions (xlwings UDFs).

Set Excel's xlwings *UDF Modules* to ``aexl_udfs``. Each function takes a
single cell or a whole range (one call for 10,000 rows) and answers in the
same shape; an empty cell gives an empty result, an error cell (``#N/A``…)
gives the same error value, and a bad cell shows a Chinese error text in
that cell only. The docstrings and argument docs (``ARG_DOCS``) are the
help Excel's function wizard shows: xlwings Server reads them from the
decorators, the desktop add-in has them generated into its VBA
(``Application.MacroOptions``) by ``aexl addin build``.

Parameter names avoid VBA's reserved words (``Date``, ``Line``, ``End``,
``Name``…) because the desktop add-in's VBA wrappers reuse them.

Only xlwings is imported here: aexl's modules (and pypinyin, chinesecalendar)
load when a function first needs them.
"""

from __future__ import annotations

import threading

import xlwings as xw

__all__ = [
    "AE_CODE",
    "AE_JOBNO",
    "AE_NEXTJOBNO",
    "AE_JOBNO_CHECK",
    "AE_COPYCHECK",
    "AE_DEADLINE",
    "AE_WORKDAYS",
]

CATEGORY = "AE工作台"
JOB_ARGS = (  # (parameter, the help Excel's function wizard shows)
    ("brand", "品牌名称（一个单元格或一整列），如 美的"),
    ("product_line", "产品线名称，如 空调"),
    ("open_date", "开单日期，工作号的年份取自它"),
)
BRANDS_DOC = (
    "可选：「品牌」表连同表头（如 品牌!A1:F50 或 Brands[#All]）；"
    "给出时以表中填写的品牌代码、产品线代码为准，与 aexl 命令行一致"
)
HOLIDAYS_DOC = (
    "可选：「节假日」表连同表头（日期 | 类型 | 说明，如 节假日!A1:C100 或 Holidays[#All]）；"
    "给出时日历尚未收录的年份（如 2027）按表中填写的放假和调休计算"
)
TABLES_KEPT = 8  # parsed 品牌 / 节假日 tables kept between calls, by content
_tables: dict = {}
_tables_lock = threading.Lock()  # xlwings Server runs calls in worker threads
ARG_DOCS: dict[str, dict[str, str]] = {}  # {function: {argument: help}}, in order


def _arg(name: str, doc: str):
    """``xw.arg`` for a range argument whose help is also kept in ``ARG_DOCS``.

    ``err_to_str``: an error cell arrives as its text (``"#N/A"``), not as an
    empty cell, so that the result can show the same error.
    """

    def wrap(func):
        docs = ARG_DOCS.setdefault(func.__name__, {})
        ARG_DOCS[func.__name__] = {name: doc, **docs}  # decorators apply bottom-up
        return xw.arg(name, ndim=2, doc=doc, err_to_str=True)(func)

    return wrap


def _cells():
    from aexl.excel import cells

    return cells


def _table(kind: str, value, build):
    """``build(rows)`` of a register range, once per call and per distinct content.

    Returns a function giving the built object, or raising the error building
    it met, so that every cell that needs the table shows that error. The
    range is keyed by its values: a workbook with one formula per row parses
    its 品牌 table once, and an edited table is parsed afresh.
    """
    cells = _cells()
    code = cells.first_error(value)
    if code is not None:  # an error in the table: every cell that needs it shows it
        error = cells.ExcelErrorValue(code)

        def failed():
            raise error

        return failed
    rows = cells.as_grid(value)
    while len(rows) > 1 and all(cells.is_empty(cell) for cell in rows[-1]):
        rows.pop()  # 品牌!A1:F1000 with 30 rows filled: key and parse those
    try:
        key = (kind, tuple(tuple(row) for row in rows))
        hash(key)
    except TypeError:  # an unhashable cell value: parse for this call only
        key = None
    with _tables_lock:
        built = _tables.get(key) if key is not None else None
        if built is None:
            try:
                built = (build(rows), None)
            except Exception as exc:  # shown in each cell by map_cells
                built = (None, exc)
            if key is not None:
                while len(_tables) >= TABLES_KEPT:
                    _tables.pop(next(iter(_tables)))
                _tables[key] = built

    def get():
        result, error = built
        if error is not None:
            raise error.with_traceback(None)  # the same error again, not a growing traceback
        return result

    return get


def _omitted(value) -> bool:
    """An optional table left out, or pointing at blank cells only."""
    cells = _cells()
    return all(cells.is_empty(cell) for cell in cells.flatten(value))


def _register(register, rows):
    """The parsed DataFrame of a register range given with its header row."""
    from aexl.errors import CellError, SheetError
    from aexl.workbook.read import parse_register

    try:
        frame, findings, _bad = parse_register(register, rows)
    except SheetError as exc:
        last = chr(ord("A") + len(register.columns) - 1)
        raise CellError(
            f"「{register.sheet}」表参数应是连同表头（第一行）的整个表，"
            f"如 {register.sheet}!A1:{last}100 或 {register.table}[#All]：{exc.message}"
        ) from None
    return frame, findings


def _code_lookup(brands):
    """``(brand, line) -> (brand code, line code)``: pinyin, or the given 品牌 table's codes."""
    if _omitted(brands):
        return _codes

    def build(rows):
        from aexl import schema
        from aexl.codes import code_resolver

        frame, _findings = _register(schema.BRANDS, rows)  # text columns: nothing unreadable
        return code_resolver(frame, require_row=False)

    resolver = _table("brands", brands, build)
    return lambda brand, line: resolver()(brand, line)


def _calendar_for(holidays):
    """The working-day calendar: the bundled one, extended by the given 节假日 table."""

    def build(rows):
        from aexl import schema
        from aexl.errors import CellError
        from aexl.workcal import WorkCalendar

        if rows is None:
            return WorkCalendar()
        frame, findings = _register(schema.HOLIDAYS, rows)
        if findings:  # a skipped holiday would shift every deadline silently
            first = findings[0]
            raise CellError(f"「节假日」表第 {first.row} 行「{first.column}」：{first.message}")
        return WorkCalendar.from_holidays(frame)

    if _omitted(holidays):
        return _table("calendar", None, lambda _rows: build(None))
    return _table("holidays", holidays, build)


def _year(value) -> int:
    from aexl.errors import CellError
    from aexl.values import parse_date

    day = parse_date(value)  # ValueError carries the Chinese hint
    if day is None:
        raise CellError("缺少开单日期，请填写日期，如 2026-11-26")
    return day.year


def _codes(brand, line) -> tuple[str, str]:
    """Pinyin codes of brand and product line (both required), as ``aexl code`` gives them."""
    from aexl.codes import resolve_codes

    return resolve_codes(None, brand, line)


def _job_args(func):
    """Declare the 品牌 / 产品线 / 开单日期 arguments shared by the job-number functions."""
    for name, doc in reversed(JOB_ARGS):
        func = _arg(name, doc)(func)
    return func


def _serial(value) -> int:
    from aexl.errors import JobNumberError
    from aexl.values import parse_int

    if _cells().is_empty(value):
        raise JobNumberError("缺少号码，请填写正整数，如 1 或 12")
    try:
        number = parse_int(value)
    except ValueError:
        number = None
    if number is None or number < 1:
        raise JobNumberError(f"号码应为正整数，如 1 或 12，不能是「{value}」")
    return number


def _as_datetime(value):
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


@xw.func(category=CATEGORY)
@_arg("brand_or_line", "品牌或产品线名称（一个单元格或一整列），如 美的")
def AE_CODE(brand_or_line):
    """品牌/产品线名称的拼音首字母代码，如 =AE_CODE("美的") 得 MD。可选一整列，一次算完。"""
    from aexl.codes import code_for

    return _cells().map_cells(code_for, brand_or_line)


@xw.func(category=CATEGORY)
@_job_args
@_arg("serial", "号码，如 1（不足三位补零）")
@_arg("brands", BRANDS_DOC)
def AE_JOBNO(brand, product_line, open_date, serial, brands=None):
    """按 品牌代码+产品线代码+年份+三位号码 组成工作号，如 美的/空调/2026/1 得 MDKT2026001。给出「品牌」表时用表中填写的代码。"""
    from aexl.jobno import format_jobno

    codes = _code_lookup(brands)

    def one(b, ln, d, s):
        bc, lc = codes(b, ln)
        return format_jobno(bc, lc, _year(d), _serial(s))

    return _cells().map_cells(one, brand, product_line, open_date, serial, blank=(0,))


class _Series:
    """A cell's numbering series, job-number prefix + year: a value, not a tuple (a range is one)."""

    __slots__ = ("prefix", "year")

    def __init__(self, prefix: str, year: int) -> None:
        self.prefix, self.year = prefix, year

    def __eq__(self, other) -> bool:
        return isinstance(other, _Series) and (self.prefix, self.year) == (other.prefix, other.year)

    def __hash__(self) -> int:
        return hash((self.prefix, self.year))


@xw.func(category=CATEGORY)
@_job_args
@_arg("issued", "已开出的全部工作号（整列，如 工作单!A:A）")
@_arg("brands", BRANDS_DOC)
def AE_NEXTJOBNO(brand, product_line, open_date, issued, brands=None):
    """下一个可用的工作号（仅预览）：同品牌、产品线、年份中已用最大号码加一（作废的号码不再使用）；一列中同一前缀的行依次递增。给出「品牌」表时用表中填写的代码。重算不会占用号码：正式开号请点「新建工作号」或用 aexl jobno new，配置了全公司工作号台账时以台账分配的号码为准（可能比预览大）。"""
    from collections import Counter

    from aexl.jobno import next_jobnos

    cells = _cells()
    codes = _code_lookup(brands)

    def series(b, ln, d):
        bc, lc = codes(b, ln)
        return _Series(bc + lc, _year(d))

    issued_error = cells.first_error(issued)
    if issued_error is not None:  # the highest number issued is unknown
        return cells.map_cells(lambda *_cell: issued_error, brand, product_line, open_date)
    grid = cells.map_cells(series, brand, product_line, open_date, blank=(0,))
    wanted = Counter(s for s in cells.flatten(grid) if isinstance(s, _Series))
    numbers = cells.flatten(issued)  # next_jobnos skips blanks and other prefixes
    queues = {s: iter(next_jobnos(numbers, s.prefix, "", s.year, n)) for s, n in wanted.items()}
    # Row by row: the rows of one series take its numbers in order; "" and errors stay.
    return cells.map_cells(
        lambda s: next(queues[s]) if isinstance(s, _Series) else s, grid, cache=False
    )


@xw.func(category=CATEGORY)
@_arg("jobno", "要检查的工作号，如 MDKT2026001")
@_job_args
@_arg("brands", BRANDS_DOC)
def AE_JOBNO_CHECK(jobno, brand, product_line, open_date, brands=None):
    """检查工作号是否规范、是否与品牌、产品线和开单年份一致：一致返回空，否则返回原因。给出「品牌」表时用表中填写的代码。"""
    from aexl.jobno import jobno_problem

    codes = _code_lookup(brands)

    def one(j, b, ln, d):
        bc, lc = codes(b, ln)
        return jobno_problem(j, bc, lc, _year(d)) or ""

    return _cells().map_cells(one, jobno, brand, product_line, open_date, blank=(0,))


@xw.func(category=CATEGORY)
@_arg("copy_text", "文案（标题、正文或口号），可选一整列")
def AE_COPYCHECK(copy_text):
    """广告法用语检查：无问题返回空；否则列出命中的词及级别（禁用 / 需核实）。仅供参考，不是法律意见。"""
    from aexl.copycheck import check_texts, summarize

    def batch(texts):  # the core reads None, NaN, numbers and text as they come
        return [summarize(hits) for hits in check_texts(texts)]

    return _cells().map_distinct(batch, copy_text)


@xw.func(category=CATEGORY)
@_arg("start_time", "会议时间、周报所在周的任一日期或月报所在月的任一日期")
@_arg("kind", "纪要、周报 或 月报")
@_arg("holidays", HOLIDAYS_DOC)
def AE_DEADLINE(start_time, kind, holidays=None):
    """按中国法定工作日（含调休）计算交付期限：纪要为下一工作日同一时刻，周报为完成后的下一工作日，月报为次月15日。给出「节假日」表时也按表中的放假和调休计算。日历尚未收录的年份按法定假日推算，结果写成带「暂定」说明的文字。"""
    calendar = _calendar_for(holidays)

    def one(s, k):
        cal = calendar()
        due = cal.deadline(s, k)
        note = cal.provisional_note(due)
        if note:  # an estimated year: say so instead of passing for a sure date
            shown = f"{due:%Y-%m-%d %H:%M}" if getattr(due, "hour", 0) else f"{due:%Y-%m-%d}"
            return f"{shown}（{note}）"
        return _as_datetime(due)

    return _cells().map_cells(one, start_time, kind, blank=(0,))


@xw.func(category=CATEGORY)
@_arg("start_date", "开始日期（计入）")
@_arg("end_date", "结束日期（计入）")
@_arg("holidays", HOLIDAYS_DOC)
def AE_WORKDAYS(start_date, end_date, holidays=None):
    """两个日期之间的工作日天数（首尾都计入，按法定节假日和调休），类似 NETWORKDAYS。给出「节假日」表时也按表中的放假和调休计算。日历尚未收录的年份按法定假日推算，结果写成带「暂定」说明的文字。"""
    from aexl.values import parse_date

    calendar = _calendar_for(holidays)

    def one(s, e):
        cal = calendar()
        start, end = parse_date(s), parse_date(e)
        count = cal.workdays(start, end)
        note = cal.provisional_note(start, end)
        return f"{count}（{note}）" if note else count

    return _cells().map_cells(one, start_date, end_date, blank=(0, 1))
