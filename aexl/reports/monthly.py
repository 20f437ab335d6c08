"""月度工作总结: the monthly summary of one brand (rulebook 3.B and 10).

The rulebook's five parts, finished by the 10th and sent by the 15th of the
next month (each moved to the working day before when not a working day):

一、工作背景 and 三、下月主要工作 come from the AM's 月报备注 (plus the 下周计划
of the month's last week); a part the AM has not written yet is a yellow
「（请 AM 填写）」 box. 二、本月主要工作明细 lists the jobs active in the month.
四、广告效果的反馈情况 has native charts, the month's figures and the AM's
效果反馈. 五、当月完成工作情况: proposals, finished work and designs not yet
produced, derived from meetings, job status, sign-offs and revisions.

A week belongs to the month that holds its Thursday (the ISO rule).

The monthly summary is a client deliverable (sent by the 15th): it carries no
internal finance (周进度「财务情况」, budgets, invoices, payments). Those stay in
the department's own copies (``aexl weekly --internal``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from aexl import schema
from aexl.period import Period
from aexl.reports.blocks import BrandReport, Heading, Table, Text, fmt_day, join_lines, percent_of
from aexl.reports.layout import save_report
from aexl.reports.registers import by_job, calendar_of, prepare, reports_for
from aexl.rules import (
    CANCELLED,
    OPEN_STATUSES,
    PROPOSED_STATUSES,
    as_day,
    cancelled_in,
    in_range,
    is_design,
    jobno_key,
    normalise_step,
    production_confirmation,
    text_of,
)
from aexl.workbook.write import DATETIME_FORMAT, PERCENT_FORMAT

KIND = "月度工作总结"
SHEET = "月度工作总结"
PROPOSAL_MEETINGS = ("提案", "再提案")
# 工作号 takes 19: a 14-letter job number at 1.3 width units a letter prints on one line;
# column G 16: a proposal's 日期 with its time (2026-10-16 09:30)
WIDTHS = [19, 20, 10, 9, 46, 9, 16, 12, 10]
WORK_HEADERS = ["工作号", "项目名称", "工作类型", "月末状态", "本月进展", "完成度", "开单日期", "交付日期", "负责人"]  # fmt: skip
EFFECT_HEADERS = ["日期", "活动", "指标", "单位", "来源", "数值", "目标值", "达成率"]
# in the columns of the work table: 工作号 and 项目名称 line up, the topic sits in the wide column
PROPOSAL_HEADERS = ["工作号", "项目名称", "类型", "月末状态", "主题", "客户签复", "日期"]
FINISHED_HEADERS = ["工作号", "项目名称", "工作类型", "状态", "确认流程", "修改次数", "客户签名", "客户确认日期"]  # fmt: skip
PENDING_HEADERS = ["工作号", "项目名称", "工作类型", "状态", "最近签核", "修改次数", "最近修改", "交付日期"]  # fmt: skip


@dataclass
class ChartBlock:
    """Native effect charts: each chart's data table in columns A–C, the chart beside it,
    as tall as in the 效果追踪图表 workbook (two fit on a landscape page)."""

    specs: list = field(default_factory=list)
    title: str = "效果追踪图表"

    def pngs(self, dpi: int = 110) -> list[bytes]:
        from aexl.reports.charts import render_pngs

        return render_pngs(self.specs, dpi=dpi)

    def write(self, sheet, row: int, width: int, total: float, keep: list | None = None) -> int:
        """Per chart: its title (and sources), then its table in A–C with the chart beside it,
        as in the 效果追踪图表 workbook; ``keep`` gets each chart's rows."""
        from aexl.reports.charts import BOOK_CHART_CM, add_native_chart
        from aexl.workbook.write import BODY, SUBSECTION, SUBTITLE

        if not self.specs:
            sheet.put(row, 1, "（本月没有可绘制的效果数据）", BODY)
            return row + 2
        for spec in self.specs:
            start = row
            sheet.put(row, 1, spec.title, SUBSECTION)
            row += 1
            if spec.sources:
                sheet.put(row, 1, "来源：" + "、".join(spec.sources), SUBTITLE)
                row += 1
            row = add_native_chart(sheet, spec, row, 1, f"E{row}", BOOK_CHART_CM)
            if keep is not None:
                keep.append((start, row - 1))
        return row


@dataclass
class MonthlyReport(BrandReport):
    brand: str
    month: str
    start: date
    end: date
    finish: date
    send: date
    background: Text
    work: Table
    next_month: Text
    next_plans: Table
    charts: ChartBlock
    effects: Table
    feedback: Text
    proposals: Table
    finished: Table
    pending: Table
    source: str = ""
    provisional: str = ""  # 「暂定：…」 when the dates fall in a year the calendar estimates
    KIND = KIND

    @property
    def is_empty(self) -> bool:
        tables = (self.work, self.effects, self.proposals, self.finished, self.pending)
        texts = (self.background, self.next_month, self.feedback)
        return not any(t.rows for t in tables) and not any(t.paragraphs for t in texts)

    def header_lines(self) -> list[str]:
        mark = "（暂定）" if self.provisional else ""
        return [
            f"报告期间：{self.month}（{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}）",
            f"完成日期：{fmt_day(self.finish)}{mark}（每月 10 日前完成，遇非工作日提前）",
            f"发送日期：{fmt_day(self.send)}{mark}（15 日前发送给客户）",
            *([self.provisional] if self.provisional else []),
            " · ".join(f"{label} {n} {unit}" for label, n, unit in self.headline())
            + f"（状态为 {self.end:%Y-%m-%d} 月末的状态）",
        ]

    def headline(self) -> list[tuple[str, int, str]]:
        """The header's counts, each the row count of the table it heads."""
        status = self.work.column("月末状态")
        return [
            ("本月工作", len(self.work.rows), "项"),
            ("其中已取消", status.count(CANCELLED), "项"),
            ("提案", len(self.proposals.rows), "次"),
            ("完成成品", len(self.finished.rows), "项"),
            ("未出正品的设计", len(self.pending.rows), "项"),
        ]

    @property
    def blocks(self) -> list:
        return [
            Heading("一、工作背景"),
            self.background,
            Heading("二、本月主要工作明细"),
            self.work,
            Heading("三、下月主要工作"),
            self.next_month,
            Heading("本月最后一周的下周计划", 2),
            self.next_plans,
            # the month's figures first: a table the page planner may continue on the next
            # page, so the section fills what is left of a page before the charts (each
            # kept whole) follow
            Heading("四、广告效果的反馈情况"),
            Heading("本月效果数据", 2),
            self.effects,
            self.charts,
            Heading("效果反馈", 2),
            self.feedback,
            Heading("五、当月完成工作情况"),
            Heading("（一）当月提案", 2),
            self.proposals,
            Heading("（二）完成的成品（客户签字确认）", 2),
            self.finished,
            Heading("（三）未出正品的设计", 2),
            self.pending,
        ]


def month_weeks(start: date, end: date) -> list[str]:
    """ISO weeks whose Thursday falls in the month."""
    thursday = start + timedelta(days=(3 - start.weekday()) % 7)
    weeks = []
    while thursday <= end:
        year, number, _ = thursday.isocalendar()
        weeks.append(f"{year}-W{number:02d}")
        thursday += timedelta(days=7)
    return weeks


def _note(notes: list[dict], column: str, hint: str) -> Text:
    paragraphs = [text_of(n, column) for n in notes if text_of(n, column)]
    return Text(paragraphs, "" if paragraphs else hint)


def monthly_data(source, brand: str, month: Period | str, calendar=None) -> MonthlyReport:
    """The monthly summary of ``brand`` for ``month`` (a ``Period``, or ``2026-10``);
    pure over the DataFrames."""
    period = Period.of("month", month)
    month = period.key
    regs = prepare(source)
    cal = calendar_of(regs, calendar)
    start, end = period.start, period.end
    finish, send = period.due(cal)
    mine = {  # jobs opened after the month do not exist yet
        no: job
        for no, job in regs.brand_jobs(brand).items()
        if (as_day(job.get("开单日期")) or date.min) <= end
    }
    weeks = month_weeks(start, end)
    weekly = regs.by_job(schema.WEEKLY.sheet, "工作号")
    revisions = regs.by_job(schema.REVISIONS.sheet, "原工作号")
    signs = regs.by_job(schema.SIGNOFFS.sheet, "工作号")
    meetings = [  # the brand's meetings; a job's only while the job exists
        (m, note) for m, note in regs.meetings(brand) if _job_known(m.get("工作号"), mine)
    ]
    notes = [
        n for n in regs.brand_rows(schema.MONTHLY_NOTES.sheet, brand) if n.get("月份") == month
    ]

    report = MonthlyReport(
        brand=brand,
        month=month,
        start=start,
        end=end,
        finish=finish,
        send=send,
        background=_note(notes, "工作背景", "本月工作背景：市场情况、客户需求、本月工作重点。"),
        work=Table(WORK_HEADERS, formats={5: PERCENT_FORMAT}, widths=WIDTHS),
        next_month=_note(notes, "下月主要工作", "下月主要工作：计划开展和跟进的工作。"),
        next_plans=Table(["工作号", "项目名称", "周次", "状态", "下周计划", "负责人"]),
        charts=ChartBlock(),
        effects=Table(EFFECT_HEADERS, formats={5: "#,##0.##", 6: "#,##0.##", 7: "0.0%"}),
        feedback=_note(notes, "效果反馈", "近期广告活动的效果：终端观察、消费者询问、问卷调研等。"),
        proposals=Table(PROPOSAL_HEADERS, formats={6: DATETIME_FORMAT}),
        finished=Table(FINISHED_HEADERS),
        pending=Table(PENDING_HEADERS),
        source=regs.name,
        provisional=cal.provisional_note(start, finish, send) or "",
    )
    talks = by_job([m for m, _ in meetings], "工作号")
    _work_rows(report, regs, mine, weeks, (weekly, revisions, signs, talks))

    _effects(report, regs.brand_rows(schema.EFFECTS.sheet, brand))
    status = {no: regs.status(no, end) for no in mine}
    proposed = _proposals(report, mine, meetings, status)
    _done(report, mine, proposed, (signs, revisions, regs.confirmations()), status)
    return report


def _job_known(value, jobs: dict) -> bool:
    """No 工作号 written, or one of ``jobs``."""
    no = jobno_key(value)
    return not no or no in jobs


def _work_rows(report: MonthlyReport, regs, mine: dict, weeks: list, groups: tuple) -> None:
    """The work table: each job touched in the month or still open at its end; ``groups``
    are the weekly entries, revisions, sign-offs and meetings by 工作号."""
    weekly, revisions, signs, talks = groups
    start, end = report.start, report.end
    in_weeks = set(weeks)
    for no, job in mine.items():
        entries = sorted(
            (e for e in weekly.get(no, ()) if e.get("周次") in in_weeks), key=lambda r: r["周次"]
        )
        revs = [r for r in revisions.get(no, ()) if in_range(r.get("修改日期"), start, end)]
        status = regs.status(no, end)
        if status == CANCELLED and not cancelled_in(job, regs.records(no), start, end):
            continue  # cancelled before the month: not this month's work
        if status in OPEN_STATUSES or entries or revs or _dated_in(job, no, groups, start, end):
            _work_row(report, no, job, entries, revs, weeks[-1], status)


def _dated_in(job: dict, no: str, groups: tuple, start: date, end: date) -> bool:
    """Whether the job was opened or delivered, or has a sign-off or a meeting, in the month."""
    _weekly, _revisions, signs, talks = groups
    dated = [job.get("开单日期"), job.get("交付日期")]
    dated += [s.get("日期") for s in signs.get(no, ())]
    dated += [m.get("会议时间") for m in talks.get(no, ())]
    return any(in_range(d, start, end) for d in dated)


def _work_row(report: MonthlyReport, no, job: dict, entries, revs, last_week: str, status) -> None:
    """One row of the work table; ``status`` as of the month's end (``rules.status_as_of``).
    No finance (the summary goes to the client); a job cancelled by then has no plan."""
    last = entries[-1] if entries else {}
    progress = [
        f"{e['周次'][5:]}：{text_of(e, '本周进展')}" for e in entries if text_of(e, "本周进展")
    ]
    progress += [f"修改单第 {r.get('修改序号')} 次：{text_of(r, '修改内容')}" for r in revs]
    cancelled = status == CANCELLED
    report.work.rows.append(
        [
            no,
            text_of(job, "项目名称"),
            text_of(job, "工作类型"),
            status,
            join_lines(progress) or None,
        ]
        + [last.get("完成度"), job.get("开单日期"), job.get("交付日期")]
        + [last.get("负责人") or job.get("执行人员")]
    )
    if not cancelled and last and last["周次"] == last_week and text_of(last, "下周计划"):
        report.next_plans.rows.append(
            [
                no,
                text_of(job, "项目名称"),
                last_week,
                status,
                text_of(last, "下周计划"),
                last.get("负责人"),
            ]
        )


def _effects(report: MonthlyReport, rows: list[dict]) -> None:
    """The month's figures and their charts: each chart draws the month's figures beside
    the month's table, on the axis the 效果追踪图表 workbook gives the metric
    (``charts.value_axis`` over its record up to the month end).

    ``rows``: the brand's 效果 rows.
    """
    from aexl.reports.charts import specs_from_records

    month = [r for r in rows if in_range(r.get("日期"), report.start, report.end)]
    month.sort(key=lambda r: (as_day(r["日期"]), r.get("_row") or 0))
    for r in month:
        ratio = percent_of(r.get("数值"), r.get("目标值"))
        report.effects.rows.append(
            [as_day(r["日期"]), r.get("活动"), r.get("指标"), r.get("单位"), r.get("来源")]
            + [r.get("数值"), r.get("目标值"), ratio]
        )
    if month:
        report.charts.specs = specs_from_records(rows, report.brand, report.start, report.end)


def _proposals(report: MonthlyReport, mine: dict, meetings: list, status: dict) -> set[str]:
    """The month's 提案/再提案 meetings, then jobs at 已提案; returns every job proposed by month end.

    A proposal meeting without a 工作号 is listed by its topic (brand by
    ``common.meeting_brands``; marked when no brand was written down).
    """
    proposed: set[str] = set()
    ordered = sorted(meetings, key=lambda m: as_day(m[0].get("会议时间")) or date.min)
    for m, note in ordered:
        no, held = jobno_key(m.get("工作号")), as_day(m.get("会议时间"))
        if text_of(m, "会议类型") not in PROPOSAL_MEETINGS or not held or held > report.end:
            continue
        job = mine.get(no)
        if job is not None:
            proposed.add(no)
        if held >= report.start:
            topic = text_of(m, "主题") + (f"（{note}）" if note else "")
            report.proposals.rows.append(
                [no or None, text_of(job, "项目名称") if job else None, text_of(m, "会议类型")]
                + [status.get(no) if job else None]
                + [topic or None, m.get("客户签复"), m.get("会议时间")]
            )
    listed = {r[0] for r in report.proposals.rows}
    for no, job in mine.items():
        if status.get(no) == "已提案" and no not in listed:
            report.proposals.rows.append(
                [
                    no,
                    text_of(job, "项目名称"),
                    "已提案",
                    "已提案",
                    "（工作单状态为已提案，未登记提案会议）",
                ]
                + [None, None]
            )
    return proposed


def _done(report: MonthlyReport, mine, proposed: set[str], groups: tuple, status) -> None:
    """Finished work and designs not yet produced, by one rule (``rules.production_confirmation``).

    A job is *produced* by the month's end when the client signed a QC flow
    (正稿QC or 打样QC: rulebook 8, 完稿或确定的打样稿) and no revision reopened
    it since; ``rules.status_as_of`` reads such a job as 客户确认/已完成.
    「完成的成品」: produced by a signature within the month (listed once, in the
    month of the first signature since the last revision). 「未出正品的设计」: proposed or under
    revision, a design (not 命名/策略方案), and not produced. The two lists
    never share a job.

    ``groups``: the sign-offs and revisions by 工作号 and the client confirmations per job
    (``rules.client_confirmations`` of the whole register: those up to the month's end are
    the ones of the job's sign-offs up to then).
    """
    signs, revisions, confirmations = groups
    start, end = report.start, report.end
    for no, job in mine.items():
        revs = [r for r in revisions.get(no, ()) if (as_day(r.get("修改日期")) or date.min) <= end]
        state, kind = status[no], text_of(job, "工作类型")
        confirmed = [c for c in confirmations.get(no, ()) if _signed_by(c, end)]
        done = production_confirmation(job, confirmed, revs)
        if done is not None:
            if in_range(done.get("日期"), start, end):
                report.finished.rows.append(
                    [no, text_of(job, "项目名称"), kind, state, text_of(done, "流程"), len(revs)]
                    + [done.get("签名"), as_day(done.get("日期"))]
                )
            continue
        is_proposed = state in PROPOSED_STATUSES or (
            no in proposed and state not in ("已完成", CANCELLED, None)
        )
        if not is_proposed or not is_design(kind):
            continue
        steps = [s for s in signs.get(no, ()) if _signed_by(s, end)]
        last = max(steps, key=lambda s: (as_day(s["日期"]), s["_row"]), default=None)
        latest = (
            last
            and f"{text_of(last, '流程')}·{normalise_step(last.get('步骤'), text_of(last, '流程'))} "
            f"{as_day(last['日期'])}"
        )
        last_rev = max(revs, key=lambda r: r.get("修改序号") or 0, default={})
        report.pending.rows.append(
            [no, text_of(job, "项目名称"), kind, state, latest or None, len(revs)]
            + [text_of(last_rev, "修改内容") or None, job.get("交付日期")]
        )


def _signed_by(sign: dict, day: date) -> bool:
    """A sign-off dated on or before ``day`` (an undated one is not)."""
    return (as_day(sign.get("日期")) or date.max) <= day


def monthly_reports(source, month: Period | str, calendar=None, brands=None) -> list[MonthlyReport]:
    """One summary per brand; without ``brands``, every brand with something that month."""
    return reports_for(monthly_data, source, month, calendar, brands)


def write_monthly(report: MonthlyReport, path) -> Path:
    """Write the summary to ``path`` (atomically); returns the path."""
    return save_report(report, Path(path), SHEET, freeze="title")
