"""The 工作进度表 printed: a bar chart by day on A4 landscape, one copy per audience.

Two sheets: 客户版 (for the client: milestones and dates) and 部门版 (for the
departments: also who does what, the notes and the rulebook clause). Each
calendar day from the first milestone to delivery is a narrow column, grouped
by week under a merged week header; a milestone's working days are filled;
weekends and holidays are shaded grey on every row and marked 休 in the
header; make-up working days on a weekend (调休) are marked 班 in orange; days
on a provisional calendar 「暂定」.

As of ``today`` (a job in progress): milestones the dated records show done
(``Milestone.done``: 签核, 修改单, meetings) are drawn light with a ✓ and their
进度 says when; the others say 进行中, 未开始 or 未见完成记录 (past their end);
today's column has a red line and 「今」 in the header.

Print: at 100 % when the whole span fits one page width at ``MIN_SCALE`` or
more; otherwise at ``MIN_SCALE`` (text stays at least 8 pt), split between
weeks over several pages, each repeating the milestone columns (print titles)
and the header rows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aexl.planning.schedule import Schedule, is_provisional
from aexl.workbook import write as w

KIND = "工作进度表"
WEEKDAYS = "一二三四五六日"
DAY_WIDTH = 2.9  # holds a bold two-digit day at 9 pt; four weeks a page at 85 %
BAR = {"bg_color": "#2F5597"}
BAR_AGREED = {"bg_color": "#548235"}  # dates agreed in the 进度 sheet
BAR_DONE = {"bg_color": "#9DC3E6", "font_color": "#1F3864", "bold": True}  # done: light, ✓
OFF = {"bg_color": "#D9D9D9"}
MAKEUP = {"bg_color": "#F8CBAD"}
TENTATIVE = {"bg_color": "#FFF2CC"}
TODAY = {"left": 2, "left_color": w.RED, "right": 2, "right_color": w.RED}
TODAY_HEAD = {"bg_color": w.RED, "font_color": "#FFFFFF", "bold": True}
WEEK_START = {"left": 2, "left_color": "#595959"}  # a week's first column
DAY_CELL = {**w.BODY, **w.BORDER, "align": "center", "valign": "vcenter", "font_size": 9}
LATE = {"font_color": w.RED, "bold": True}
MIDDLE = {"valign": "vcenter"}  # the milestone's cells, level with its bar
DONE_MARK = "✓"
COPIES = {
    "客户版": ["里程碑", "开始", "结束", "工作日", "进度"],
    "部门版": ["里程碑", "开始", "结束", "工作日", "进度", "负责人", "依据", "备注"],
}
REPEAT = 5  # the columns 里程碑 … 进度 are printed on every page
WIDTHS = {
    "里程碑": 15, "开始": 12, "结束": 12, "工作日": 6, "进度": 12,
    "负责人": 14, "依据": 20, "备注": 14,
}  # fmt: skip
PAGE_SLACK = 0.94  # plan pages a little narrower: LibreOffice measures columns a bit wider
MIN_SCALE = 0.85  # the smallest print scale: 10-pt text prints at 8.5 pt, day numbers at 7.7
ROW_HEIGHT = 30
MAX_ROW_HEIGHT = 40
BODY_ROOM = 400  # points of a page left for the milestone rows under the titles


def _title(sheet, title: str, lines: list[str]) -> int:
    """Title and subtitle lines in column A, not merged: the text runs on over the empty
    cells, so every printed page (column A is repeated) shows it whole. Returns the next
    free row."""
    sheet.put(1, 1, title, w.TITLE)
    sheet.set_height(1, 28)
    for n, line in enumerate(lines, start=2):
        sheet.put(n, 1, line, w.SUBTITLE)
    return len(lines) + 3


def schedule_file_name(schedule: Schedule, today: date) -> str:
    return w.report_name(today, f"{schedule.brand}{schedule.project}_{schedule.jobno}", KIND)


def write_schedule(schedule: Schedule, calendar, path, today: date | None = None) -> Path:
    """Both copies into one workbook at ``path`` (atomic), progress as of ``today``."""
    today = today or date.today()
    title = f"{schedule.brand} · {schedule.project} 工作进度表"
    book = w.Book(path, title=title, subject=KIND, description=schedule.source)
    for copy, columns in COPIES.items():
        _write_copy(book.sheet(copy), schedule, calendar, copy, columns, today)
    return book.save()


def _day_kind(calendar, day: date) -> str:
    """'work', 'off' (weekend/holiday) or 'makeup' (a weekend working day)."""
    working = calendar.is_workday(day)
    if not working:
        return "off"
    return "makeup" if day.weekday() >= 5 else "work"


def progress(m, today: date) -> tuple[str, bool]:
    """(the 进度 cell, late) of milestone ``m`` as of ``today``."""
    if m.done and m.done <= today:
        return f"{DONE_MARK} 完成 {m.done:%m-%d}", False
    if today < m.start:
        return "未开始", False
    if today <= m.end:
        return "进行中", False
    return "未见完成记录", True


def _lines(schedule: Schedule, calendar, copy: str, today: date, tentative) -> list[str]:
    """Short lines: each fits over the repeated columns, so every page prints it whole."""
    days = schedule.days()
    done = [m for m in schedule.milestones if m.done and m.done <= today]
    lines = [
        f"工作号 {schedule.jobno} · {schedule.work_type}（{copy}）",
        f"开单 {schedule.opened:%Y-%m-%d} · 交付 {schedule.delivery:%Y-%m-%d}",
        f"进度截至 {today:%Y-%m-%d}：已完成 {len(done)}/{len(schedule.milestones)} 个阶段",
        "深蓝 = 计划的工作日；浅蓝 ✓ = 已完成"
        + ("；红线「今」= 今天" if days[0] <= today <= days[-1] else ""),
        "灰色「休」= 周末、节假日；橙色「班」= 调休上班",
    ]
    if any(tentative):
        lines += ["黄色 = 暂定日历", calendar.provisional_note(*days)]
    return lines


def _write_copy(sheet, schedule: Schedule, calendar, copy: str, columns, today: date) -> None:
    from aexl.reports.layout import text_height

    days = schedule.days()
    kinds = [_day_kind(calendar, d) for d in days]
    tentative = [is_provisional(calendar, d) for d in days]
    first_day = len(columns) + 1
    lines = _lines(schedule, calendar, copy, today, tentative)
    row = _title(sheet, f"{schedule.brand} · {schedule.project} 工作进度表", lines)
    tall = max(ROW_HEIGHT, min(MAX_ROW_HEIGHT, BODY_ROOM / max(len(schedule.milestones), 1)))
    _header(sheet, row, columns, days, kinds, tentative, today)
    body = row + 3
    for n, m in enumerate(schedule.milestones):
        state, late = progress(m, today)
        values = {
            "里程碑": m.name,
            "开始": m.start,
            "结束": m.end,
            "工作日": calendar.workdays(m.start, m.end) if m.end >= m.start else 0,
            "进度": state,
            "负责人": m.who,
            "依据": m.clause,
            "备注": m.note or ("按进度表约定" if m.agreed else ""),
        }
        for col, name in enumerate(columns, start=1):
            look = LATE if late and name == "进度" else None
            cell = (*w.row_looks(n), MIDDLE, look)
            sheet.put(body + n, col, values[name], *cell, number_format=_fmt(name))
        _bar(sheet, body + n, first_day, m, days, kinds, tentative, today)
        texts = [text_height(values[c], WIDTHS[c]) for c in columns if isinstance(values[c], str)]
        sheet.set_height(body + n, max([tall, *texts]))
    sheet.set_widths([WIDTHS[c] for c in columns] + [DAY_WIDTH] * len(days))
    sheet.ws.freeze_panes(body - 1, REPEAT)
    sheet.print_setup(landscape=True, title_rows=(row, row + 2))
    _paginate(sheet, columns, days)


def _bar(sheet, row: int, first_day: int, m, days, kinds, tentative, today: date) -> None:
    """The milestone's day cells: its working days filled (light with ✓ once done)."""
    finished = bool(m.done and m.done <= today)
    bar = BAR_DONE if finished else BAR_AGREED if m.agreed else BAR
    mark_day = m.done if finished else None  # the day it was done, in the plan or not
    for i, day in enumerate(days):
        look = _day_look(kinds[i], tentative[i])
        if (m.start <= day <= m.end and kinds[i] != "off") or day == mark_day:
            look = bar
        value = DONE_MARK if day == mark_day else None
        extra = (WEEK_START if day.weekday() == 0 else None, TODAY if day == today else None)
        sheet.put(row, first_day + i, value, DAY_CELL, look, *extra)


def _paginate(sheet, columns, days) -> None:
    """Fit to one page width when that keeps ``MIN_SCALE``; else print at ``MIN_SCALE`` with
    page breaks between weeks and the milestone columns repeated on every page."""
    from aexl.reports.layout import A4_PT
    from aexl.workbook.write import MARGINS

    room = (A4_PT[1] - 72 * (MARGINS["left"] + MARGINS["right"])) / 0.75  # pixels at 100 %
    px = [int(WIDTHS[c] * 7 + 5) for c in columns]
    day_px = int(DAY_WIDTH * 7 + 5)
    if room / (sum(px) + day_px * len(days)) >= MIN_SCALE:
        return  # print_setup: one page wide, at 100 % when it fits
    sheet.ws.set_print_scale(round(MIN_SCALE * 100))
    sheet.ws.repeat_columns(0, REPEAT - 1)
    room = room / MIN_SCALE * PAGE_SLACK
    used, breaks, page_start = sum(px), [], 0
    for start, end in weeks(days):
        if used + day_px * (end - start) > room and start > page_start:
            breaks.append(len(columns) + start)  # 0-based: the first column of the next page
            used, page_start = sum(px[:REPEAT]), start
        used += day_px * (end - start)
    sheet.ws.set_v_pagebreaks(breaks)


def weeks(days: list[date]) -> list[tuple[int, int]]:
    """(first, end) indexes into ``days`` of each week (Monday to Sunday)."""
    out, start = [], 0
    for i in range(1, len(days) + 1):
        if i == len(days) or days[i].weekday() == 0:
            out.append((start, i))
            start = i
    return out


def _fmt(name: str):
    return w.DATE_FORMAT if name in ("开始", "结束") else None


def _day_look(kind: str, tentative: bool):
    if kind == "off":
        return OFF
    if kind == "makeup":
        return MAKEUP
    return TENTATIVE if tentative else None


def _week_label(first: date, last: date) -> str:
    """The week's header as wide as its columns allow (one day: none)."""
    span = (last - first).days + 1
    if span >= 5:
        return f"{first.month}月{first.day}日–{last.month}月{last.day}日"
    if span == 4:
        return f"{first.month}/{first.day}–{last.month}/{last.day}"
    return f"{first.month}/{first.day}" if span > 1 else ""


def _header(sheet, row: int, columns, days, kinds, tentative, today: date) -> None:
    """Three header rows: the week (merged), day of month, weekday / 休 / 班 / 今."""
    first_day = len(columns) + 1
    for col, name in enumerate(columns, start=1):
        sheet.ws.merge_range(row - 1, col - 1, row + 1, col - 1, name, sheet.book.fmt(w.HEADER))
    for start, end in weeks(days):
        label = _week_label(days[start], days[end - 1])
        sheet.merge(row, first_day + start, first_day + end - 1, label, w.HEADER, WEEK_START)
    for i, day in enumerate(days):
        look = _day_look(kinds[i], tentative[i])
        week = WEEK_START if day.weekday() == 0 else None
        sheet.put(row + 1, first_day + i, day.day, DAY_CELL, look, week, {"bold": True})
        mark = {"off": "休", "makeup": "班"}.get(kinds[i], WEEKDAYS[day.weekday()])
        if day == today:
            mark, look = "今", TODAY_HEAD
        sheet.put(row + 2, first_day + i, mark, DAY_CELL, look, week)
