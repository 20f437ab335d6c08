"""One workbench's month-end outputs, written into a staging folder (runs in a worker).

``build_outputs`` reads the workbench as ``aexl check`` does, writes its
校验结果, one set of per-brand reports per registry entry with
``month_end`` (``aexl.monthend.outputs``) and next month's 待办清单, and
never raises: a problem ends in ``BookResult.skipped`` (one line), with a
校验结果 naming the broken register when the file is a workbench at all.
"""

from __future__ import annotations

import errno
import gc
import shutil
import time
from datetime import date, datetime
from pathlib import Path

from aexl.errors import AexlError, CalendarError
from aexl.findings import ERROR, Finding
from aexl.monthend.inputs import client_name, read_book, register_note
from aexl.monthend.results import BookResult
from aexl.period import Period
from aexl.rules import as_day, brand_key

MONTH_TRIM = {  # sheet → (date column, also drop dates before the month)
    "效果": ("日期", False),  # the monthly charts show a campaign from its first figure on
    "投放": ("投放日期", False),  # a flight begun earlier still runs in the month (延续)
}
# 周进度, 修改单, 签核 and 会议 stay whole: a job's status at the month's end
# (rules.status_as_of) depends on whether anything is dated after it.
DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def month_source(wb, month: Period):
    """The workbench cut to the rows a month's reports read (a new ``Workbench``).

    Left out: month notes of other months, placements dated outside the month
    and effect figures dated after it. Rows whose date is not a date stay (the
    reports decide about them). The month's summaries, lists and charts are
    the same as from the whole workbench (``tests/test_monthend.py`` compares).
    """
    from aexl.workbook.read import Workbench

    start, end = month.start, month.end
    keeps = {"月报备注": ("月份", lambda v: v == month.key)}
    for sheet, (column, before) in MONTH_TRIM.items():
        keeps[sheet] = (column, _date_keeper(start if before else None, end))
    frames = dict(wb.frames)
    for sheet, (column, keep) in keeps.items():
        frame = frames.get(sheet)
        if frame is None or not len(frame) or column not in frame.columns:
            continue
        mask = [keep(v) for v in frame[column].tolist()]
        if not all(mask):
            frames[sheet] = frame[mask]
    return Workbench(path=wb.path, frames=frames)


def _date_keeper(start: date | None, end: date):
    def keep(value) -> bool:
        if not isinstance(value, date):
            return True
        day = as_day(value)
        return day <= end and (start is None or day >= start)

    return keep


def book_brands(wb, start: date, end: date) -> list[str]:
    """Brands of the workbench: 品牌 sheet order, then 工作单, then 投放 / 效果 of the month.

    Names the reports take for one brand (``brand_key``: case, width) count once.
    """
    from aexl import schema
    from aexl.values import norm_text

    seen: dict[str, str] = {}
    for sheet in (schema.BRANDS.sheet, schema.JOBS.sheet):
        for value in wb.frame(sheet)["品牌"].tolist():
            if norm_text(value):
                seen.setdefault(brand_key(value), norm_text(value))
    for sheet, column in ((schema.PLACEMENTS.sheet, "投放日期"), (schema.EFFECTS.sheet, "日期")):
        frame = wb.frame(sheet)
        for brand, day in zip(frame["品牌"].tolist(), frame[column].tolist(), strict=True):
            if norm_text(brand) and isinstance(day, date) and start <= as_day(day) <= end:
                seen.setdefault(brand_key(brand), norm_text(brand))
    return list(seen.values())


def build_outputs(
    path: str | Path,
    month: Period | str,
    stage: str | Path,
    *,
    png: bool = False,
    now: datetime | None = None,
    scans: dict | None = None,
) -> BookResult:
    """Write one workbench's outputs into the staging folder ``stage``; never raises.

    ``scans``: its sheets' scans made ahead (``aexl.monthend.prescan``), if any.
    """
    from aexl.workbook.extent import prescanned

    started = time.perf_counter()
    month = Period.of("month", month)  # a Period passes as it is
    result = BookResult(path=Path(path), stage=Path(stage))
    # XlsxWriter and pandas make many short-lived objects: cyclic collection
    # during a workbench costs ~20% CPU, so collect once afterwards instead.
    gc.disable()
    try:
        with prescanned(scans):
            _process(result, month, Path(stage), png=png, now=now)
    except Exception as exc:  # one bad workbench must not stop the batch
        _failed(result, exc, month)
    finally:
        gc.enable()
        gc.collect(0)  # nothing was promoted while disabled: the young generation holds it all
    result.seconds = time.perf_counter() - started
    return result


def _failed(result: BookResult, exc: Exception, month: Period) -> None:
    """Drop what was staged; say why in one line (and in a 校验结果 for a broken register)."""
    name = result.path.name
    for staged, _tag in result.staged:
        staged.unlink(missing_ok=True)
    result.staged, result.brands, result.check = [], [], None
    if isinstance(exc, AexlError):
        own = exc.file == name  # the error names its place once; the input goes first otherwise
        result.skipped = str(exc) if own else f"文件 {name}：{exc}"
        if exc.sheet:  # a workbench with a broken register: its 校验结果 says which
            _stage_reason(result, exc, month)
    elif getattr(_os_error(exc), "errno", None) in DISK_FULL:
        result.fatal = "磁盘空间不足，写不下本次的输出文件；请清理输出文件夹所在的磁盘后重新运行"
        result.skipped = f"文件 {name}：{result.fatal}"
    elif isinstance(exc, PermissionError):
        result.skipped = f"文件 {name}：无法读取或写入（文件被占用或没有权限），请先在 Excel 中关闭相关文件再重试"
    elif isinstance(exc, OSError):
        result.skipped = f"文件 {name}：读写失败（{exc.strerror or exc}）"
    else:
        from aexl.errors import log_internal_error

        result.bug = True
        log_path = log_internal_error(f"month-end {result.path}")
        result.skipped = (
            f"文件 {name}：内部错误（程序缺陷，不是您的操作问题），详情已记录到 {log_path}"
        )


def _os_error(exc: BaseException | None, depth: int = 0) -> OSError | None:
    """The OSError behind ``exc`` (XlsxWriter wraps one in its FileCreateError)."""
    if exc is None or depth > 4:
        return None
    if isinstance(exc, OSError):
        return exc
    inner = next((a for a in getattr(exc, "args", ()) if isinstance(a, OSError)), None)
    return inner or _os_error(exc.__cause__ or exc.__context__, depth + 1)


def _stage_reason(result: BookResult, exc: AexlError, month: Period) -> None:
    from aexl.monthend.writers import check_name, month_finish, write_check

    finding = Finding(exc.sheet, exc.row, exc.column, ERROR, "book.unread", exc.message)
    client = result.client or client_name(result.path)
    meta = {"client": client, "source": result.path.name, "month": month.key}
    note = f"整个工作台未处理：{exc.message}（其余报告均未生成）"
    try:
        target = result.stage / check_name(month_finish(month), client)
        result.check = write_check(target, [finding], meta, [note])
    except OSError:
        return  # the summary line still says it
    result.findings, result.check_meta = [finding], meta
    result.staged.append((result.check, result.path.stem))


def _process(result: BookResult, month: Period, stage: Path, *, png: bool, now) -> None:
    from aexl.monthend.outputs import MonthBook, month_end_reports, producer
    from aexl.monthend.writers import check_name, write_check
    from aexl.reports.registers import prepare
    from aexl.validate import validate_workbench

    path = result.path
    wb, unread = read_book(path)
    client = result.client = client_name(path, wb)
    calendar = wb.calendar()
    finish, _send = month.due(calendar)
    result.jobnos = book_jobnos(wb, path)
    result.notes = [register_note(f) for f in unread]
    result.findings = [*unread, *validate_workbench(wb, now=now, calendar=calendar)]
    result.errors = sum(f.is_error for f in result.findings)
    result.warnings = len(result.findings) - result.errors
    result.check_meta = {"client": client, "source": path.name, "month": month.key}
    target = stage / check_name(finish, client)
    result.check = write_check(target, result.findings, result.check_meta, result.notes)
    result.staged.append((result.check, path.stem))

    shared: dict = {}  # the month's registers share their unchanged sheets' rows with the whole
    book = MonthBook(prepare(month_source(wb, month), shared), month, calendar, stage, path.name,
                     path.parent, png)  # fmt: skip
    produces = [producer(report) for report in month_end_reports()]
    for brand in book_brands(wb, month.start, month.end):
        files = [p for produce in produces for p in produce(book, brand)]
        result.staged += [(p, client) for p in files]
        if files:
            result.brands.append(brand)
    _stage_due_list(result, prepare(wb, shared), calendar, month, finish, stage)


def _stage_due_list(result: BookResult, wb, calendar, month: Period, finish, stage) -> None:
    """Next month's 待办清单 (``wb``: the whole workbench, prepared); a year the calendar
    does not know is a note, not a failure."""
    from aexl.monthend.writers import due_name, write_due_list

    try:
        target = write_due_list(wb, calendar, month, stage / due_name(finish, result.client),
                                result.client)  # fmt: skip
    except CalendarError as exc:
        result.notes.append(f"下月待办清单未生成：{exc}")
        return
    result.staged.append((target, result.path.stem))


def book_jobnos(wb, path: Path) -> dict[str, int | None]:
    """Job numbers the workbench uses → their 工作单 row (None: only in its ledger)."""
    from aexl.jobno import normalize_jobno, read_ledger
    from aexl.workbook.read import ROW_COLUMN

    frame = wb.frame("工作单")
    numbers: dict[str, int | None] = {}
    for number, row in zip(frame["工作号"].tolist(), frame[ROW_COLUMN].tolist(), strict=True):
        if normalize_jobno(number):
            numbers.setdefault(normalize_jobno(number), int(row))
    try:
        for entry in read_ledger(path):
            numbers.setdefault(entry.jobno, None)
    except AexlError:
        pass  # the workbench itself was read: a ledger it cannot open adds nothing
    return numbers


def process_workbench(
    path: str | Path,
    month: Period | str,
    out_dir: str | Path,
    *,
    png: bool = False,
    now: datetime | None = None,
    taken: set[str] | None = None,
) -> BookResult:
    """All month-end outputs of one workbench into ``out_dir``, in this process; never raises.

    A failure is reported in ``skipped`` and leaves no reports. ``taken``:
    names already written by this run (for other workbenches).
    """
    from aexl.monthend.publish import publish_all, stage_dir

    out_dir = Path(out_dir)
    stage = stage_dir(out_dir)
    try:
        result = build_outputs(path, month, stage, png=png, now=now)
        publish_all([result], out_dir, taken if taken is not None else set())
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return result
