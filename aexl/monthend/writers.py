"""The files month-end writes itself: 校验结果, 月度清理清单 and the next month's 待办清单.

The 校验结果 is written through ``write_check`` only (in the workers, and
again in the main process when the run adds findings such as a job number
used in two workbenches), so its layout can be swapped in one place.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from aexl.filenames import safe_filename
from aexl.monthend.inputs import CHECK_KIND, CLEANUP_KIND, DUE_KIND
from aexl.period import Period
from aexl.reports.findings_sheet import write_findings

CLEANUP_HEADERS = ["文件", "最后修改", "说明"]
CLEANUP_WIDTHS = [60, 12, 70]


def check_name(day: date, client: str) -> str:
    from aexl.workbook.write import report_name

    return safe_filename(report_name(day, client, CHECK_KIND))


def write_check(path: Path, findings: list, meta: dict, notes: list[str] = ()) -> Path:
    """The 校验结果 of one workbench (the one call of the findings writer)."""
    return write_findings(findings, path, notes=notes, **meta)


def month_finish(month: Period) -> date:
    """The day the month's reports are due (the monthly summary's finish date, 10th of M+1)."""
    from aexl.errors import CalendarError
    from aexl.workcal import WorkCalendar

    try:
        return month.due(WorkCalendar())[0]
    except CalendarError:  # a year the bundled calendar does not know: the plain 10th
        last = month.end
        return date(last.year + last.month // 12, last.month % 12 + 1, 10)


def next_month(month: Period) -> Period:
    return Period.month(f"{month.end + timedelta(days=1):%Y-%m}")


def write_due_list(wb, calendar, month: Period, path: Path, client: str) -> Path:
    """Next month's 待办清单 of one workbench: every item due in it, a sheet per person."""
    from aexl.planning.due import month_items
    from aexl.planning.dueout import write_xlsx

    following = next_month(month)
    items: dict[int, object] = {}
    for mine in month_items(wb, calendar, following.key).values():
        for item in mine:
            items.setdefault(id(item), item)
    ordered = sorted(items.values(), key=lambda i: (i.when, i.kind, i.job, i.brand))
    line = f"{client}：{following.key} 到期的事项（月底批处理 {month.key} 生成）"
    start = datetime.combine(following.start, time())  # 状态 counted from the month's first day
    return write_xlsx(ordered, path, title_line=line, as_of=start, calendar=calendar)


def due_name(day: date, client: str) -> str:
    from aexl.workbook.write import report_name

    return safe_filename(report_name(day, client, DUE_KIND))


def cleanup_subject(root: Path) -> str:
    """Whose files the clean-up list covers: the one client of the root, else 电脑档案."""
    from aexl.files.tree import RECORDS_DIR

    try:
        clients = [
            d.name
            for d in root.iterdir()
            if d.is_dir() and not d.name.startswith(".") and d.name != RECORDS_DIR
        ]
    except OSError:
        clients = []
    return clients[0] if len(clients) == 1 else "电脑档案"


def cleanup_name(root: Path, month: Period) -> str:
    """``20261110_星河食品_月度清理清单.xlsx``: dated like the month's summaries."""
    from aexl.workbook.write import report_name

    return safe_filename(report_name(month_finish(month), cleanup_subject(root), CLEANUP_KIND))


def write_cleanup_list(
    items, path: str | Path, *, root: Path, today: date, month: str | None = None
) -> Path:
    """The monthly clean-up list of a files root (守则 三.1.4 / 三.2)."""
    from aexl.workbook import write as xo

    book = xo.Book(path, title=CLEANUP_KIND, subject=CLEANUP_KIND)
    sheet = book.sheet(CLEANUP_KIND)
    lines = [
        f"文件根目录：{root}　　"
        + (f"月底批处理：{month}　　" if month else "")
        + f"检查日期：{today:%Y-%m-%d}",
        f"待清理文件 {len(items)} 个：工作文件夹中超过一个月未改动的文件，"
        "请确认已过期且没有保留价值后删除，或归档到相应文件夹",
    ]
    rows = [[item.path, item.modified, item.message] for item in items]
    sheet.listing(
        CLEANUP_KIND,
        lines,
        CLEANUP_HEADERS,
        rows,
        formats={1: xo.DATE_FORMAT},
        empty_text="（没有需要清理的文件）",
    )
    sheet.set_widths(CLEANUP_WIDTHS)
    return book.save()
