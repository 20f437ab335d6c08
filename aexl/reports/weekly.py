"""每周工作进度表: the weekly progress report of one brand for one ISO week.

Rulebook 3.A: per job the creative/strategy work done and its progress,
the finance situation and next week's plan; finished on Friday (the last
working day before it when Friday is a day off), reviewed by the project
supervisor, sent on the next working day. Also listed, because the AE has
to chase them: deliveries now overdue, meeting minutes not sent within 24
working hours (rulebook 4.B), and the revisions opened that week.

Two copies (``audience``): the client's (``CLIENT``: progress without the
财务情况 column, and the week's revisions) and the department's
(``INTERNAL``: everything, with overdue deliveries and late minutes).

``weekly_data`` is pure over the workbench's DataFrames; ``write_weekly``
writes the workbook.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from aexl import schema
from aexl.period import Period
from aexl.reports.blocks import BrandReport, Heading, Table, Text, fmt_day
from aexl.reports.layout import save_report
from aexl.reports.registers import calendar_of, prepare, reports_for
from aexl.rules import DONE_STATUSES, as_day, in_range, jobno_key, text_of
from aexl.workbook.write import DATETIME_FORMAT, PERCENT_FORMAT

KIND = "每周工作进度表"
CLIENT, INTERNAL = "client", "internal"
AUDIENCES = (CLIENT, INTERNAL)
INTERNAL_MARK = "（内部）"
INTERNAL_ONLY = ("财务情况",)  # progress columns the client copy leaves out
SHEET = "周进度表"
PROGRESS_HEADERS = ["工作号", "项目名称", "工作类型", "工作类别", "本周进展", "完成度", "财务情况", "下周计划", "负责人", "交付日期"]  # fmt: skip
# The four tables share the sheet's columns: wide text lines up in columns 5 and 8.
PROGRESS_WIDTHS = [15, 20, 10, 12, 34, 9, 26, 30, 12, 12]
OVERDUE_HEADERS = ["工作号", "项目名称", "工作类型", "状态", "最近进展", "逾期天数", "应交付日期", "依据", "执行人员"]  # fmt: skip
MINUTES_HEADERS = ["会议时间", "主题", "会议类型", "工作号", "情况", "主管审阅", "应发送时间", "纪要发送时间"]  # fmt: skip
REVISION_HEADERS = ["原工作号", "项目名称", "修改序号", "修改日期", "修改内容", "执行人员", "交付日期", "意见来源"]  # fmt: skip
# The printed page: every table on one grid of column widths that fills A4 landscape at
# 100 % (about 140 characters; Excel's Calibri units), so the body prints at 10 pt and
# every table ends at the same right edge. Wide text sits under 本周进展 and 下周计划.
CLIENT_GRID = [18, 15, 9, 10, 30, 8, 28, 9, 11]
INTERNAL_GRID = [18, 14, 9, 10, 22, 8, 18, 21, 8, 11]
# The printed tables, in print order; 「名称*2」 takes two grid columns.
OVERDUE_VIEW = ["工作号", "项目名称", "工作类型", "状态", "最近进展", "逾期天数", "依据*2", "执行人员", "应交付日期"]  # fmt: skip
MINUTES_VIEW = ["工作号", "主题*2", "会议类型", "情况", "主管审阅", "会议时间", "应发送时间", "纪要发送时间*2"]  # fmt: skip
CLIENT_REVISIONS = ["原工作号", "项目名称*2", "修改日期", "修改内容", "修改序号", "意见来源", "执行人员", "交付日期"]  # fmt: skip
INTERNAL_REVISIONS = ["原工作号", "项目名称*2", "修改日期", "修改内容", "修改序号", "意见来源*2", "执行人员", "交付日期"]  # fmt: skip
REVISION_VIEW = {CLIENT: CLIENT_REVISIONS, INTERNAL: INTERNAL_REVISIONS}
# right-aligned numbers keep a gap before the left-aligned text of the next column
NUMBER_FORMATS = {"完成度": '0"%"_)', "逾期天数": "0_)", "修改序号": "0_)"}
NUMERALS = "一二三四"
MINUTES_RULE = "应于会后 1 个工作日内发送"


@dataclass
class WeeklyReport(BrandReport):
    brand: str
    week: str
    start: date  # Monday
    end: date  # Sunday
    finish: date  # finished and reviewed
    send: date  # sent to the client
    progress: Table
    overdue: Table
    minutes: Table
    revisions: Table
    source: str = ""
    notes: list[str] = field(default_factory=list)  # data problems, for the log
    audience: str = CLIENT
    provisional: str = ""  # 「暂定：…」 when the dates fall in a year the calendar estimates
    KIND = KIND

    @property
    def internal(self) -> bool:
        return self.audience == INTERNAL

    @property
    def title(self) -> str:
        return f"{self.brand} {KIND}" + (INTERNAL_MARK if self.internal else "")

    @property
    def filename(self) -> str:
        from aexl.workbook.write import report_name

        kind = KIND + ("_内部" if self.internal else "")
        return report_name(self.finish, self.brand, kind)

    @property
    def columns(self) -> list[int]:
        """The sheet's column widths: one grid for every table of this copy."""
        return INTERNAL_GRID if self.internal else CLIENT_GRID

    def client_progress(self) -> Table:
        """The progress table without the internal columns."""
        return printed(self.progress, [h for h in self.progress.headers if h not in INTERNAL_ONLY])

    @property
    def is_empty(self) -> bool:
        return not any(t.rows for t in (self.progress, self.overdue, self.minutes, self.revisions))

    def header_lines(self) -> list[str]:
        counts = [f"本周进展 {len(self.progress.rows)} 项"]
        if self.internal:
            counts += [f"逾期未交付 {len(self.overdue.rows)} 项", f"纪要逾期 {len(self.minutes.rows)} 次"]  # fmt: skip
        counts.append(f"本周修改单 {len(self.revisions.rows)} 张")
        sent = "部门内部版（含财务与逾期事项），不发给客户" if self.internal else "发送给客户"
        mark = "（暂定）" if self.provisional else ""
        return [
            f"报告周期：{self.week}（{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}）",
            f"完成日期：{fmt_day(self.finish)}{mark}，经项目主管审阅",
            f"发送日期：{fmt_day(self.send)}{mark}，{sent}",
            *([self.provisional] if self.provisional else []),
            " · ".join(counts),
        ]

    @property
    def blocks(self) -> list:
        """Sections in order; a section with nothing in it is one line, not an empty table."""
        day = f"{self.finish:%Y-%m-%d}"
        progress = printed(self.progress) if self.internal else self.client_progress()
        revisions = printed(self.revisions, REVISION_VIEW[self.audience])
        overdue, minutes = printed(self.overdue, OVERDUE_VIEW), printed(self.minutes, MINUTES_VIEW)
        sections = [
            ("本周工作进展与下周计划", progress, "本周没有登记工作进展。"),
            ("逾期未交付的工作", overdue, f"截至 {day} 没有逾期未交付的工作。"),
            (
                f"逾期的会议纪要（{MINUTES_RULE}）",
                minutes,
                f"截至 {day} 没有迟发或未发的会议纪要。",
            ),  # fmt: skip
            ("本周修改单", revisions, "本周没有新开的修改单。"),
        ]
        if not self.internal:
            sections = [sections[0], sections[3]]
        out = []
        for n, (heading, table, none) in enumerate(sections):
            out.append(Heading(f"{NUMERALS[n]}、{heading}"))
            out.append(table if table.rows else Text([none]))
        return out


def printed(table: Table, columns=None) -> Table:
    """``table`` as printed: ``columns`` (names; 「名称*2」 spans two grid columns) in that
    order, numbers right-aligned with a gap before the next column's text."""
    pairs = [(c.partition("*")[0], int(c.partition("*")[2] or 1)) for c in columns or table.headers]
    keep = [table.headers.index(name) for name, _ in pairs]
    formats = {k: NUMBER_FORMATS.get(table.headers[i], table.formats.get(i)) for k, i in enumerate(keep)}  # fmt: skip
    return Table(
        [name for name, _ in pairs],
        [[r[i] if i < len(r) else None for i in keep] for r in table.rows],
        {k: f for k, f in formats.items() if f},
        [table.widths[i] if i < len(table.widths) else 0 for i in keep],
        spans=[span for _, span in pairs] if any(span > 1 for _, span in pairs) else [],
    )


def weekly_data(
    source, brand: str, week: Period | str, calendar=None, audience: str = CLIENT
) -> WeeklyReport:
    """The weekly report of ``brand`` for ISO ``week`` (a ``Period``, or ``2026-W47``).

    ``source`` is a ``Workbench`` or a ``{sheet: DataFrame}`` dict; ``calendar``
    a ``WorkCalendar`` (default: the workbench's own); ``audience`` ``CLIENT`` or
    ``INTERNAL``. Raises ``CalendarError`` when the week's year is not in the calendar.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, not {audience!r}")
    period = Period.of("week", week)
    regs = prepare(source)
    cal = calendar_of(regs, calendar)
    start, end = period.start, period.end
    finish, send = period.due(cal)
    mine = regs.brand_jobs(brand)
    revisions = regs.by_job(schema.REVISIONS.sheet, "原工作号")
    report = WeeklyReport(
        brand=brand,
        week=period.key,
        start=start,
        end=end,
        finish=finish,
        send=send,
        progress=Table(PROGRESS_HEADERS, widths=PROGRESS_WIDTHS, formats={5: PERCENT_FORMAT}),
        overdue=Table(OVERDUE_HEADERS, widths=PROGRESS_WIDTHS[:9]),
        minutes=Table(
            MINUTES_HEADERS, formats=dict.fromkeys((0, 6, 7), DATETIME_FORMAT), widths=[16]
        ),
        revisions=Table(REVISION_HEADERS, widths=PROGRESS_WIDTHS[:8]),
        source=regs.name,
        audience=audience,
        provisional=cal.provisional_note(start, finish, send) or "",
    )
    entries = regs.rows(schema.WEEKLY.sheet)
    _progress(report, entries, regs.jobs, mine)
    status = {no: regs.status(no, finish) for no in mine}
    _overdue(report, mine, revisions, latest_progress(entries, period.key), status)
    _minutes(report, regs.meetings(brand), cal)
    for no, job in mine.items():
        for rec in revisions.get(no, ()):
            if in_range(rec.get("修改日期"), start, end):
                report.revisions.rows.append(
                    [no, text_of(job, "项目名称"), rec.get("修改序号"), rec.get("修改日期")]
                    + [rec.get(c) for c in ("修改内容", "执行人员", "交付日期", "意见来源")]
                )
    report.revisions.rows.sort(key=lambda r: (as_day(r[3]), r[0], r[2] or 0))
    return report


def _progress(report: WeeklyReport, entries: list[dict], jobs: dict, mine: dict) -> None:
    for rec in entries:
        if rec.get("周次") != report.week:
            continue
        no = jobno_key(rec.get("工作号"))
        if no not in jobs:
            report.notes.append(
                f"「周进度」第 {rec.get('_row')} 行的工作号「{no or '（空）'}」不在「工作单」中，"
                "未计入任何品牌的周报；请补上工作号或先在「工作单」登记该工作。"
            )
            continue
        if no not in mine:
            continue
        job = mine[no]
        report.progress.rows.append(
            [no, text_of(job, "项目名称"), text_of(job, "工作类型")]
            + [rec.get(c) for c in ("工作类别", "本周进展", "完成度", "财务情况", "下周计划")]
            + [rec.get("负责人") or text_of(job, "执行人员") or None, job.get("交付日期")]
        )


def due_date(job: dict, revisions: list[dict], as_of: date) -> tuple[date | None, str]:
    """The delivery date now in force: the latest revision's (opened by ``as_of``), else the job's."""
    latest = None
    for rec in revisions:
        opened = as_day(rec.get("修改日期"))
        if as_day(rec.get("交付日期")) and (opened is None or opened <= as_of):
            key = (rec.get("修改序号") or 0, opened or date.min)
            if latest is None or key >= latest[0]:
                latest = (key, rec)
    if latest:
        rec = latest[1]
        return as_day(rec["交付日期"]), f"修改单第 {rec.get('修改序号') or '?'} 次"
    return as_day(job.get("交付日期")), "工作单"


def latest_progress(entries: list[dict], week: str) -> dict[str, str]:
    """工作号 → the 本周进展 of its latest 周进度 entry up to ``week``."""
    out: dict[str, tuple[str, str]] = {}
    for rec in entries:
        wk, no, done = rec.get("周次"), jobno_key(rec.get("工作号")), text_of(rec, "本周进展")
        if wk and no and done and wk <= week and wk >= out.get(no, ("", ""))[0]:
            out[no] = (wk, done)
    return {no: f"{wk}：{done}" for no, (wk, done) in out.items()}


def _overdue(report: WeeklyReport, mine: dict, revisions: dict, progress: dict, status) -> None:
    """``status``: each job's 状态 on the day the report is finished (``rules.status_as_of``)."""
    for no, job in mine.items():
        if status[no] is None or status[no] in DONE_STATUSES:
            continue
        due, basis = due_date(job, revisions.get(no, []), report.finish)
        if due and due < report.finish:
            report.overdue.rows.append(
                [no, text_of(job, "项目名称"), text_of(job, "工作类型"), status[no]]
                + [progress.get(no), (report.finish - due).days, due, basis, job.get("执行人员")]
            )
    report.overdue.rows.sort(key=lambda r: (r[6], r[0]))


def lateness(delta) -> str:
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    return f"{hours} 小时" if hours else "不足 1 小时"


def _minutes(report: WeeklyReport, meetings: list[tuple[dict, str]], cal) -> None:
    """``meetings``: the brand's (``Registers.meetings``), each with its 未注明品牌 note."""
    as_of = datetime.combine(report.finish, time(23, 59, 59))
    week_start = datetime.combine(report.start, time())
    for rec, note in meetings:
        held = rec.get("会议时间")
        if isinstance(held, date) and not isinstance(held, datetime):
            held = datetime.combine(held, time())
        if not isinstance(held, datetime) or held > as_of:
            continue
        due = cal.minutes_due(held)
        sent = rec.get("纪要发送时间")
        if isinstance(sent, date) and not isinstance(sent, datetime):
            sent = datetime.combine(sent, time())
        if sent is None or sent > as_of:
            if due > as_of:
                continue
            state = f"截至 {report.finish:%Y-%m-%d} 尚未发送，已超期 {lateness(as_of - due)}"
            sent = None
        elif sent > due and (held >= week_start or sent >= week_start):
            state = f"迟发 {lateness(sent - due)}"
            if not text_of(rec, "主管审阅"):
                state += "；发送前未经主管审阅"
        else:
            continue
        if note:
            state += f"（{note}，已列入本客户每个品牌的周报）"
        report.minutes.rows.append(
            [held, rec.get("主题"), rec.get("会议类型"), jobno_key(rec.get("工作号")) or None]
            + [state, rec.get("主管审阅"), due, sent]
        )
    report.minutes.rows.sort(key=lambda r: r[0])


def weekly_reports(
    source, week: Period | str, calendar=None, brands=None, audience: str = CLIENT
) -> list[WeeklyReport]:
    """One report per brand; without ``brands``, every brand that has something that week.
    ``audience``: ``CLIENT`` (the default, sent to the client) or ``INTERNAL``."""
    build = functools.partial(weekly_data, audience=audience)
    return reports_for(build, source, week, calendar, brands)


def write_weekly(report: WeeklyReport, path) -> Path:
    """Write the report to ``path`` (atomically); returns the path."""
    return save_report(report, Path(path), SHEET)
