"""Ribbon handlers of issue 14: 「待办」, 「工作进度表」 and 「签核」 (each takes an ``xlwings.Book``).

Written like those of :mod:`aexl.excel.ribbon` (same plumbing: ``handler``
turns a user error into an alert, ``write_grid`` lays a sheet out) so they
can be registered beside them. The work is done by :mod:`aexl.planning`.
"""

from __future__ import annotations

import getpass
from datetime import datetime

from aexl.errors import JobNumberError, SheetError
from aexl.excel.ribbon import alert, handler, write_grid

DUE_SHEET = "待办"
SCHEDULE_SHEET = "工作进度表"
DUE_DAYS = 5
BAR_FILL = (47, 85, 151)
OFF_FILL = (217, 217, 217)
MAKEUP_FILL = (248, 203, 173)
HANDLERS = ("due_list", "job_schedule", "sign_off")


def now() -> datetime:
    """The current time (a function so tests can fix it)."""
    return datetime.now().replace(second=0, microsecond=0)


def user_name(book) -> str:
    """The Excel user name (desktop), else the login name; "" when neither is known."""
    try:
        name = book.app.api.UserName
        if isinstance(name, str) and name.strip():
            return name.strip()
    except Exception:  # xlwings Server has no application user name
        pass
    try:
        return getpass.getuser()
    except Exception:
        return ""


@handler
def due_list(book) -> None:
    """待办: what is due or overdue over the next working days, on the 待办 sheet."""
    from aexl.excel.book import read_book
    from aexl.planning.due import due_items, window
    from aexl.planning.dueout import HEADERS, item_row

    wb, _raw = read_book(book, need=("工作单",))
    calendar = wb.calendar()
    moment = now()
    problems: list[str] = []
    items = due_items(wb, calendar, moment, DUE_DAYS, source=book.name, problems=problems)
    _as_of, _first, end = window(calendar, moment, DUE_DAYS)
    title = f"待办：截至 {moment:%Y-%m-%d %H:%M}，到 {end:%Y-%m-%d}（{DUE_DAYS} 个工作日）"
    grid = [[title], HEADERS, *[item_row(i, moment, calendar) for i in items]]
    if not items:
        grid.append(["这段时间没有到期或逾期的事项。"])
    write_grid(book, DUE_SHEET, grid, header_rows=(2,))
    overdue = sum(i.overdue for i in items)
    extra = (
        f"\n另有 {len(problems)} 行无法读取，未列入：\n" + "\n".join(problems[:5])
        if problems
        else ""
    )
    alert(book, f"已在「{DUE_SHEET}」表列出 {len(items)} 项待办（逾期 {overdue} 项）。{extra}")


def _selected_job(book, button: str) -> tuple[object, str, object]:
    """(workbench, job number, sheet) of the 工作单 (or 签核) row selected."""
    from aexl.excel.book import read_book, selected_rows
    from aexl.excel.ribbon import _record, _selection
    from aexl.jobno import normalize_jobno
    from aexl.values import norm_header

    hint = f"请先在「工作单」表中选中一项工作（或在「签核」表中选中一行），再点「{button}」"
    sheet, address, _rng = _selection(book)
    on = {norm_header(n): n for n in ("工作单", "签核")}.get(norm_header(sheet.name))
    rows = [r for r in selected_rows(address) if r >= 2]
    if on is None or not rows:
        raise SheetError(hint)
    wb, raw = read_book(book, need=("工作单",))
    rec = _record(wb.frame(on), rows[0])
    jobno = normalize_jobno((rec or {}).get("工作号"))
    if not jobno:
        raise JobNumberError(f"第 {rows[0]} 行没有工作号，请先生成工作号", sheet=sheet.name)
    return wb, jobno, (on, rows[0], rec, raw)


@handler
def job_schedule(book) -> None:
    """工作进度表: the selected job's milestones by day on the 工作进度表 sheet."""
    from aexl.planning.gantt import WEEKDAYS, _day_kind
    from aexl.planning.schedule import plan_schedule

    wb, jobno, _where = _selected_job(book, "工作进度表")
    calendar = wb.calendar()
    schedule = plan_schedule(wb, calendar, jobno)
    days = schedule.days()
    kinds = [_day_kind(calendar, d) for d in days]
    marks = [{"off": "休", "makeup": "班"}.get(k, WEEKDAYS[d.weekday()]) for d, k in zip(days, kinds, strict=True)]  # fmt: skip
    head = ["里程碑", "开始", "结束", "负责人"]
    grid = [
        [f"{schedule.brand} · {schedule.project} 工作进度表（{jobno}）"],
        [*head, *[d.strftime("%m-%d") for d in days]],
        [None] * len(head) + marks,
    ]
    for m in schedule.milestones:
        grid.append([m.name, m.start, m.end, m.who, *[None] * len(days)])
    sheet = write_grid(book, SCHEDULE_SHEET, grid, header_rows=(2, 3))
    first = len(head) + 1
    for i, kind in enumerate(kinds):
        if kind != "work":
            fill = OFF_FILL if kind == "off" else MAKEUP_FILL
            sheet.range((3, first + i), (len(grid), first + i)).color = fill
    for n, m in enumerate(schedule.milestones, start=4):
        for i, day in enumerate(days):
            if m.start <= day <= m.end and kinds[i] != "off":
                sheet.range((n, first + i)).color = BAR_FILL
    notes = "\n".join(schedule.problems)
    alert(book, f"工作 {jobno} 的工作进度表已排在「{SCHEDULE_SHEET}」表（工作日含调休）。{notes}")


@handler
def sign_off(book) -> None:
    """签核: append the selected job's next expected signature to 签核 (with its 校验码).

    On a 工作单 row: the next step, signed by the Excel user name, 通过. On a
    签核 row where someone typed 工作号, 签名 (and 结果) but no 校验码: that
    row is completed in place with the expected step, the time and the code.
    """
    from aexl.excel.book import find_sheet
    from aexl.planning.signoff import CHECK_COLUMN, capture_signoff
    from aexl.values import norm_header

    wb, jobno, (on, row, rec, raw) = _selected_job(book, "签核")
    if "签核" not in raw:
        raise SheetError("缺少工作表「签核」，请添加该工作表（可参照 aexl init 生成的模板）")
    target = raw["签核"]
    typed = on == "签核" and not (rec or {}).get(CHECK_COLUMN)
    signer = (rec or {}).get("签名") if typed else user_name(book)
    result = ((rec or {}).get("结果") if typed else None) or "通过"
    captured = capture_signoff(wb, jobno, signer, now(), result)
    sheet = find_sheet(book, target.name)
    code_col = target.columns.get(norm_header(CHECK_COLUMN))
    if code_col is None:
        code_col = max(target.columns.values()) + 1
        sheet.range((1, code_col)).value = CHECK_COLUMN
    at = row if typed else target.last_row + 1
    line = [None] * code_col
    for header, value in captured.items():
        col = code_col if header == CHECK_COLUMN else target.columns.get(norm_header(header))
        if col:
            line[col - 1] = value
    sheet.range((at, 1)).value = [line]
    sheet.activate()
    alert(
        book,
        f"已在「签核」第 {at} 行记录 {jobno}「{captured['流程']}」第 {captured['步骤']} 步："
        f"{captured['签名']} {captured['结果']}（{captured['日期']:%Y-%m-%d %H:%M}）。"
        "校验码记下了这次签核，事后改动这一行，「校验」会提示。",
    )
