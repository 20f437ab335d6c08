"""AE工作台 worksheet functions (xlwings UDFs).

Set Excel's xlwings *UDF Modules* to ``aexl_udfs``. Each function takes a
single cell or a whole range (one call for 10,000 rows) and answers in the
same shape; an empty cell gives an empty result and a bad cell shows a
Chinese error text in that cell only. The docstrings and ``doc=`` texts are
the help Excel's function wizard shows.

Parameter names avoid VBA's reserved words (``Date``, ``Line``, ``End``,
``Name``…) because the desktop add-in's VBA wrappers reuse them.

Only xlwings is imported here: aexl's modules (and pypinyin, chinesecalendar)
load when a function first needs them.
"""

from __future__ import annotations

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
_calendar = None


def _cells():
    from aexl.excel import cells

    return cells


def _cal():
    global _calendar
    if _calendar is None:
        from aexl.workcal import WorkCalendar

        _calendar = WorkCalendar()
    return _calendar


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
        func = xw.arg(name, ndim=2, doc=doc)(func)
    return func


def _serial(value) -> int:
    from aexl.errors import JobNumberError
    from aexl.values import parse_int

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
@xw.arg("brand_or_line", ndim=2, doc="品牌或产品线名称（一个单元格或一整列），如 美的")
def AE_CODE(brand_or_line):
    """品牌/产品线名称的拼音首字母代码，如 =AE_CODE("美的") 得 MD。可选一整列，一次算完。"""
    from aexl.codes import code_for

    return _cells().map_cells(code_for, brand_or_line)


@xw.func(category=CATEGORY)
@_job_args
@xw.arg("serial", ndim=2, doc="号码，如 1（不足三位补零）")
def AE_JOBNO(brand, product_line, open_date, serial):
    """按 品牌代码+产品线代码+年份+三位号码 组成工作号，如 美的/空调/2026/1 得 MDKT2026001。"""
    from aexl.jobno import format_jobno

    def one(b, ln, d, s):
        bc, lc = _codes(b, ln)
        return format_jobno(bc, lc, _year(d), _serial(s))

    return _cells().map_cells(one, brand, product_line, open_date, serial, blank=(0,))


@xw.func(category=CATEGORY)
@_job_args
@xw.arg("issued", ndim=2, doc="已开出的全部工作号（整列，如 工作单!A:A）")
def AE_NEXTJOBNO(brand, product_line, open_date, issued):
    """下一个可用的工作号：同品牌、产品线、年份中已用最大号码加一（作废的号码不再使用）。"""
    from aexl.jobno import next_jobno

    cells = _cells()
    numbers = cells.flatten(issued)  # next_jobno skips blanks and other prefixes

    def one(b, ln, d):
        bc, lc = _codes(b, ln)
        number = next_jobno(numbers, bc, lc, _year(d))
        numbers.append(number)  # a range of new rows gets consecutive numbers
        return number

    return cells.map_cells(one, brand, product_line, open_date, blank=(0,), cache=False)


@xw.func(category=CATEGORY)
@xw.arg("jobno", ndim=2, doc="要检查的工作号，如 MDKT2026001")
@_job_args
def AE_JOBNO_CHECK(jobno, brand, product_line, open_date):
    """检查工作号是否规范、是否与品牌、产品线和开单年份一致：一致返回空，否则返回原因。"""
    from aexl.jobno import jobno_problem

    def one(j, b, ln, d):
        bc, lc = _codes(b, ln)
        return jobno_problem(j, bc, lc, _year(d)) or ""

    return _cells().map_cells(one, jobno, brand, product_line, open_date, blank=(0,))


@xw.func(category=CATEGORY)
@xw.arg("copy_text", ndim=2, doc="文案（标题、正文或口号），可选一整列")
def AE_COPYCHECK(copy_text):
    """广告法用语检查：无问题返回空；否则列出命中的词及级别（禁用 / 需核实）。仅供参考，不是法律意见。"""
    from aexl.copycheck import check_texts, summarize

    def batch(texts):  # the core reads None, NaN, numbers and text as they come
        return [summarize(hits) for hits in check_texts(texts)]

    return _cells().map_distinct(batch, copy_text)


@xw.func(category=CATEGORY)
@xw.arg("start_time", ndim=2, doc="会议时间、周报所在周的任一日期或月报所在月的任一日期")
@xw.arg("kind", ndim=2, doc="纪要、周报 或 月报")
def AE_DEADLINE(start_time, kind):
    """按中国法定工作日（含调休）计算交付期限：纪要为下一工作日同一时刻，周报为完成后的下一工作日，月报为次月15日。"""

    def one(s, k):
        return _as_datetime(_cal().deadline(s, k))

    return _cells().map_cells(one, start_time, kind, blank=(0,))


@xw.func(category=CATEGORY)
@xw.arg("start_date", ndim=2, doc="开始日期（计入）")
@xw.arg("end_date", ndim=2, doc="结束日期（计入）")
def AE_WORKDAYS(start_date, end_date):
    """两个日期之间的工作日天数（首尾都计入，按法定节假日和调休），类似 NETWORKDAYS。"""
    from aexl.values import parse_date

    def one(s, e):
        return _cal().workdays(parse_date(s), parse_date(e))

    return _cells().map_cells(one, start_date, end_date, blank=(0, 1))
