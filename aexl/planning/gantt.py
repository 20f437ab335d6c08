"""The 工作进度表 printed: a bar chart by day on A4 landscape, one copy per audience.

Two sheets: 客户版 (for the client: milestones and dates) and 部门版 (for the
departments: also who does what, the notes and the rulebook clause). Each
calendar day from the first milestone to delivery is a narrow column; a
milestone's working days are filled; weekends and holidays are shaded
grey on every row and marked 休 in the header; make-up working days on a
weekend (调休) are marked 班 in orange; days on a provisional calendar 「暂定」.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aexl.planning.schedule import Schedule, is_provisional
from aexl.workbook import write as w

KIND = "工作进度表"
WEEKDAYS = "一二三四五六日"
DAY_WIDTH = 3.2
BAR = {"bg_color": "#2F5597"}
BAR_AGREED = {"bg_color": "#548235"}  # dates agreed in the 进度 sheet
OFF = {"bg_color": "#D9D9D9"}
MAKEUP = {"bg_color": "#F8CBAD"}
TENTATIVE = {"bg_color": "#FFF2CC"}
DAY_CELL = {**w.BODY, **w.BORDER, "align": "center", "valign": "vcenter", "font_size": 9}
COPIES = {
    "客户版": ["里程碑", "开始", "结束", "工作日"],
    "部门版": ["里程碑", "开始", "结束", "工作日", "负责人", "依据", "备注"],
}
WIDTHS = {"里程碑": 15, "开始": 10, "结束": 10, "工作日": 6, "负责人": 16, "依据": 22, "备注": 18}


def schedule_file_name(schedule: Schedule, today: date) -> str:
    return w.report_name(today, f"{schedule.brand}{schedule.project}_{schedule.jobno}", KIND)


def write_schedule(schedule: Schedule, calendar, path) -> Path:
    """Both copies into one workbook at ``path`` (atomic)."""
    title = f"{schedule.brand} · {schedule.project} 工作进度表"
    book = w.Book(path, title=title, subject=KIND, description=schedule.source)
    for copy, columns in COPIES.items():
        _write_copy(book.sheet(copy), schedule, calendar, copy, columns)
    return book.save()


def _day_kind(calendar, day: date) -> str:
    """'work', 'off' (weekend/holiday) or 'makeup' (a weekend working day)."""
    working = calendar.is_workday(day)
    if not working:
        return "off"
    return "makeup" if day.weekday() >= 5 else "work"


def _write_copy(sheet, schedule: Schedule, calendar, copy: str, columns: list[str]) -> None:
    days = schedule.days()
    kinds = [_day_kind(calendar, d) for d in days]
    tentative = [is_provisional(calendar, d) for d in days]
    first_day = len(columns) + 1
    width = len(columns) + len(days)
    lines = [
        f"工作号 {schedule.jobno} · {schedule.work_type} · 开单 {schedule.opened:%Y-%m-%d} · "
        f"交付 {schedule.delivery:%Y-%m-%d}（{copy}）",
        "图例：深色 = 该阶段的工作日；灰色「休」= 周末或法定节假日；橙色「班」= 调休上班日"
        + ("；黄色 = 暂定日历" if any(tentative) else ""),
    ]
    if any(tentative):
        lines.append(calendar.provisional_note(*days))
    row = sheet.title_block(f"{schedule.brand} · {schedule.project} 工作进度表", lines, width)
    _header(sheet, row, columns, days, kinds, tentative)
    body = row + 3
    for n, m in enumerate(schedule.milestones):
        values = {
            "里程碑": m.name,
            "开始": m.start,
            "结束": m.end,
            "工作日": calendar.workdays(m.start, m.end) if m.end >= m.start else 0,
            "负责人": m.who,
            "依据": m.clause,
            "备注": m.note or ("按进度表约定" if m.agreed else ""),
        }
        for col, name in enumerate(columns, start=1):
            sheet.put(body + n, col, values[name], *w.row_looks(n), number_format=_fmt(name))
        bar = BAR_AGREED if m.agreed else BAR
        for i, day in enumerate(days):
            look = _day_look(kinds[i], tentative[i])
            if m.start <= day <= m.end and kinds[i] != "off":
                look = bar
            sheet.put(body + n, first_day + i, None, DAY_CELL, look)
        sheet.set_height(body + n, 30)
    sheet.set_widths([WIDTHS[c] for c in columns] + [DAY_WIDTH] * len(days))
    sheet.freeze(body)
    sheet.ws.freeze_panes(body - 1, len(columns))
    sheet.print_setup(landscape=True, title_rows=(row, row + 2))
    sheet.ws.fit_to_pages(1, 1)


def _fmt(name: str):
    return w.DATE_FORMAT if name in ("开始", "结束") else None


def _day_look(kind: str, tentative: bool):
    if kind == "off":
        return OFF
    if kind == "makeup":
        return MAKEUP
    return TENTATIVE if tentative else None


def _header(sheet, row: int, columns, days, kinds, tentative) -> None:
    """Three header rows: month (merged), day of month, weekday / 休 / 班."""
    first_day = len(columns) + 1
    for col, name in enumerate(columns, start=1):
        sheet.ws.merge_range(row - 1, col - 1, row + 1, col - 1, name, sheet.book.fmt(w.HEADER))
    start = 0
    for i in range(1, len(days) + 1):
        if i == len(days) or days[i].month != days[start].month:
            label = f"{days[start]:%Y年%m月}" if i - start >= 5 else f"{days[start].month}月"
            sheet.merge(row, first_day + start, first_day + i - 1, label, w.HEADER)
            start = i
    for i, day in enumerate(days):
        look = _day_look(kinds[i], tentative[i])
        sheet.put(row + 1, first_day + i, day.day, DAY_CELL, look, {"bold": True})
        mark = {"off": "休", "makeup": "班"}.get(kinds[i], WEEKDAYS[day.weekday()])
        sheet.put(row + 2, first_day + i, mark, DAY_CELL, look)
