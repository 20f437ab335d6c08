"""年度工作总结: the annual summary of one brand (rulebook 3.C), sent in January of the next year.

The rulebook's five parts: 前言, 传播策略和推广计划回顾, 广告创作作品, 全年传播活动的
主要成绩与问题, 服务改进建议. What the workbench knows is filled in (the
year's jobs by type, the AM's monthly notes, effects against targets,
service figures); what only a person can write is a yellow
「（请 AM 填写）」 box.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from aexl import schema
from aexl.period import Period
from aexl.reports.blocks import BrandReport, Heading, Table, Text, fmt_day, percent_of
from aexl.reports.creative import PiecesBlock, WorkChart, key_pieces
from aexl.reports.layout import save_report
from aexl.reports.registers import by_job, calendar_of, prepare, reports_for
from aexl.rules import (
    CANCELLED,
    DONE_STATUSES,
    ENDS_ROUND,
    NO_BRAND_NOTE,
    as_day,
    cancelled_on,
    client_confirmations,
    in_range,
    production_confirmation,
    text_of,
)

KIND = "年度工作总结"
SHEET = "年度工作总结"
WIDTHS = [14, 15, 32, 12, 12, 10, 10, 12, 10, 10]
NOTE_TOPICS = ("工作背景", "下月主要工作", "效果反馈")
# a label the AM typed inside a cell whose column already says it (「下月重点：…」)
_LABEL = re.compile(
    r"^\s*(工作背景|背景|下月主要工作|下月重点|下月工作|下月计划|效果反馈|效果)\s*[：:]\s*"
)


@dataclass
class YearlyReport(BrandReport):
    brand: str
    year: int
    due: date  # sent to the client by this day (January of the next year)
    preface: Text
    strategy: Table
    review: Text  # the AM's yellow box for section 二
    notes: Table  # 月报备注: one row per month, one column per topic
    types: Table
    pieces: PiecesBlock
    chart: WorkChart
    works: Table
    cancelled: Table
    effects: Table
    service: Table
    results: Text
    improvements: Text
    source: str = ""
    provisional: str = ""  # 「暂定：…」 when the due date is in a year the calendar estimates
    KIND = KIND

    @property
    def title(self) -> str:
        return f"{self.brand} {self.year} 年{KIND}"

    @property
    def finish(self) -> date:  # the file is dated the day it is due
        return self.due

    @property
    def is_empty(self) -> bool:
        return not self.works.rows and not self.effects.rows

    def header_lines(self) -> list[str]:
        mark = "（暂定）" if self.provisional else ""
        lines = [
            f"年度：{self.year} 年（{self.year}-01-01 至 {self.year}-12-31）",
            f"提交日期：次年 1 月，最迟 {fmt_day(self.due)}{mark}",
        ]
        if self.provisional:
            lines.append(self.provisional)
        lines.append(
            f"状态为 {self.year}-12-31 年末的状态；黄色区域为需要 AM 填写的内容，填写后请删除提示文字"
        )
        return lines

    @property
    def blocks(self) -> list:
        return [
            Heading("一、前言"),
            self.preface,
            Heading("二、传播策略和推广计划回顾"),
            self.strategy,
            self.review,
            Heading("月报备注（按月）", 2),
            self.notes,
            Heading("三、广告创作作品"),
            self.types,
            Heading("重点作品（样稿取自投放表）", 2),
            self.pieces,
            Heading("全年工作（按开单月份和工作类型）", 2),
            self.chart,
            Heading("作品清单（按开单日期）", 2),
            self.works,
            Heading("已取消的工作", 2),
            self.cancelled,
            Heading("四、全年传播活动的主要成绩与问题"),
            self.effects,
            self.results,
            Heading("五、服务改进建议"),
            self.service,
            self.improvements,
        ]


def yearly_data(source, brand: str, year, calendar=None) -> YearlyReport:
    """The annual summary of ``brand`` for ``year``; pure over the workbench's DataFrames
    (the thumbnails of the key pieces are read from the workbench's folder).

    Statuses are those at the year's end (``rules.status_as_of``). A due date in a
    year the calendar only estimates is marked 「暂定」 (``provisional``).
    """
    period = Period.of("year", year)
    year = period.number
    regs = prepare(source)
    cal = calendar_of(regs, calendar)
    due = period.due(cal)[0]
    start, end = period.start, period.end
    all_jobs = regs.brand_jobs(brand)
    mine = {
        no: job
        for no, job in all_jobs.items()
        if in_range(job.get("开单日期"), start, end) or in_range(job.get("交付日期"), start, end)
    }
    status = {no: regs.status(no, end) or text_of(job, "状态") for no, job in mine.items()}

    def ours(sheet: str, column: str, when: str) -> list[dict]:
        groups = regs.by_job(sheet, column)
        rows = [
            r for no in all_jobs for r in groups.get(no, ()) if in_range(r.get(when), start, end)
        ]
        return sorted(rows, key=lambda r: r.get("_row") or 0)

    revisions = by_job(ours(schema.REVISIONS.sheet, "原工作号", "修改日期"), "原工作号")
    signoffs = ours(schema.SIGNOFFS.sheet, "工作号", "日期")
    confirmed = client_confirmations(signoffs)
    produced = {  # the signature that made each job produced (common.production_flows)
        no: production_confirmation(job, confirmed.get(no, []), revisions.get(no, []))
        for no, job in mine.items()
    }
    meetings = [  # by the one meeting rule: with or without a 工作号
        (m, note) for m, note in regs.meetings(brand) if in_range(m.get("会议时间"), start, end)
    ]
    base_dir = regs.path.parent if regs.path is not None else None
    report = _empty_report(brand, year, due, regs.name)
    report.provisional = cal.provisional_note(due) or ""
    report.pieces = key_pieces(regs.frame(schema.PLACEMENTS.sheet), brand, start, end, base_dir, mine)  # fmt: skip
    live = {no: job for no, job in mine.items() if status[no] != CANCELLED}
    report.chart = WorkChart.of(
        ((text_of(j, "工作类型"), as_day(j.get("开单日期"))) for j in live.values()), year
    )
    _works(report, mine, status, revisions, produced)
    gone = [no for no in mine if status[no] == CANCELLED]
    _cancelled(report, {no: mine[no] for no in gone}, {no: regs.records(no) for no in gone}, revisions)  # fmt: skip
    _notes(report, regs.brand_rows(schema.MONTHLY_NOTES.sheet, brand))
    _effects(report, regs.brand_rows(schema.EFFECTS.sheet, brand), start, end)
    _service(report, mine, status, meetings, signoffs, revisions, produced, cal)
    report.preface.paragraphs.append(_overview(report, mine, status, revisions, meetings))
    return report


def _overview(report: YearlyReport, mine: dict, status: dict, revisions: dict, meetings) -> str:
    """The preface's first paragraph: the year's jobs, revisions, proposals and meetings."""
    year, brand = report.year, report.brand
    proposals = sum(text_of(m, "会议类型") in ("提案", "再提案") for m, _ in meetings)
    count = Counter(status.values())
    kinds = "、".join(f"{row[0]} {row[1]} 项" for row in report.types.rows)
    return (
        f"{year} 年为{brand}品牌共承接工作 {len(mine)} 项" + (f"（{kinds}）" if kinds else "")
        + f"，其中已完成或客户确认 {count['已完成'] + count['客户确认']} 项、"
        f"尚未完成 {len(mine) - sum(count[s] for s in DONE_STATUSES)} 项、已取消 {count[CANCELLED]} 项；"
        f"修改单 {sum(len(v) for v in revisions.values())} 张；提案与再提案 {proposals} 次；"
        f"与客户会议 {len(meetings)} 次。"
    )  # fmt: skip


def _empty_report(brand: str, year: int, due: date, source: str) -> YearlyReport:
    day = "yyyy-mm-dd"
    return YearlyReport(
        brand=brand,
        year=year,
        due=due,
        preface=Text(placeholder="前言：全年合作概况、品牌的市场环境与年度目标。"),
        strategy=Table(
            ["开单日期", "工作号", "工作类型", "项目、目标与策略", "交付日期", "年末状态"],
            formats={0: day, 4: day},
            widths=[12, 15, 12, 40, 12, 10],
        ),
        review=Text(placeholder="全年传播策略与推广计划的回顾：各阶段的目标、策略、执行与调整。"),
        notes=Table(["月份", *NOTE_TOPICS], widths=[10, 40, 40, 40]),
        types=Table(
            ["工作类型", "工作数量", "完成情况（年末）", "修改单（张）"], widths=[17, 10, 32, 12]
        ),  # fmt: skip  (column A also holds the 工作号 of the key pieces: 17 fits 14 letters)
        pieces=PiecesBlock([]),
        chart=WorkChart(),
        works=Table(
            [
                "开单日期",
                "工作号",
                "工作类型",
                "项目名称",
                "交付日期",
                "年末状态",
                "修改次数",
                "客户确认日期",
            ],  # fmt: skip
            formats={0: day, 4: day, 7: day},
        ),
        cancelled=Table(
            ["开单日期", "工作号", "工作类型", "项目名称", "取消日期", "修改次数"],
            formats={0: day, 4: day},
            empty_text="（本年度没有取消的工作）",
        ),
        effects=Table(
            [
                "活动",
                "指标",
                "评价",
                "首次日期",
                "最近日期",
                "单位",
                "数据次数",
                "最近数值",
                "目标值",
                "达成率",
            ],  # fmt: skip
            formats={3: day, 4: day, 7: "#,##0.##", 8: "#,##0.##", 9: "0.0%"},
            widths=WIDTHS,
        ),
        service=Table(["类别", "指标", "说明", "数值"]),
        results=Text(placeholder="全年传播活动的主要成绩与存在的问题（结合上表的效果数据）。"),
        improvements=Text(placeholder="对明年服务的改进建议：流程、沟通、时间控制、出品质量等。"),
        source=source,
    )


def _by_date(item) -> tuple:
    no, job = item
    return (as_day(job.get("开单日期")) or date.min, no)


def _works(report: YearlyReport, mine: dict, status: dict, revisions: dict, produced: dict) -> None:
    """Works (not cancelled) and the strategy review, by 开单日期; counts per type."""
    order = {kind: i for i, kind in enumerate(schema.WORK_TYPES)}
    per_type: dict[str, list] = {}
    for no, job in sorted(mine.items(), key=_by_date):
        kind, state = text_of(job, "工作类型") or "（未填类型）", status[no]
        per_type.setdefault(kind, []).append((state, len(revisions.get(no, []))))
        if state == CANCELLED:
            continue
        signed = produced.get(no)
        opened, due = as_day(job.get("开单日期")), as_day(job.get("交付日期"))
        report.works.rows.append(
            [opened, no, kind, text_of(job, "项目名称"), due, state, len(revisions.get(no, []))]
            + [as_day(signed["日期"]) if signed else None]
        )
        if kind == "策略方案" or kind in schema.BRIEF_WORK_TYPES:
            lines = [text_of(job, "项目名称")]
            lines += [
                f"{c}：{text_of(job, c)}" for c in ("广告目标", "广告策略") if text_of(job, c)
            ]
            report.strategy.rows.append([opened, no, kind, "\n".join(lines), due, state])
    for kind in sorted(per_type, key=lambda k: order.get(k, 99)):
        items = per_type[kind]
        count = Counter(s for s, _ in items)
        parts = [f"{s} {n}" for s, n in sorted(count.items(), key=lambda kv: -kv[1])]
        report.types.rows.append([kind, len(items), " · ".join(parts), sum(n for _, n in items)])


def _cancelled(report: YearlyReport, gone: dict, records: dict, revisions: dict) -> None:
    for no, job in sorted(gone.items(), key=_by_date):
        report.cancelled.rows.append(
            [as_day(job.get("开单日期")), no, text_of(job, "工作类型"), text_of(job, "项目名称")]
            + [cancelled_on(job, records[no]), len(revisions.get(no, []))]
        )


SOFT_END = "。；;，,、. "  # closing punctuation that the joining 「；」/「。」 replaces
HARD_END = "？！?!"  # kept as written: nothing is added after them


def join_sentences(parts: list[str]) -> str:
    """``a；b；c。`` from parts that may end with their own punctuation (never 「。；」)."""
    parts = [p.rstrip(SOFT_END) for p in parts]
    parts = [p for p in parts if p]
    out = ""
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        out += part + ("" if part[-1] in HARD_END else "。" if last else "；")
    return out


def note_text(value: str, topic: str) -> str:
    """One 月报备注 cell for the month × topic table: the AM's words without a label the
    column already says (「下月重点：」), closed by one 「。」 (none after 「？」「！」)."""
    text = _LABEL.sub("", value).strip()
    return join_sentences([text]) if text.rstrip(SOFT_END) else ""


def _notes(report: YearlyReport, notes: list[dict]) -> None:
    """One row per month of the year (months without notes are left out), by month."""
    rows = [n for n in notes if str(n.get("月份") or "").startswith(f"{report.year}-")]
    for n in sorted(rows, key=lambda n: (str(n["月份"]), n.get("_row") or 0)):
        cells = [note_text(text_of(n, c), c) for c in NOTE_TOPICS]
        if any(cells):
            report.notes.rows.append([str(n["月份"]), *[c or None for c in cells]])


def _effects(report: YearlyReport, effects: list[dict], start: date, end: date) -> None:
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for r in effects:  # the brand's rows
        if in_range(r.get("日期"), start, end):
            key = (text_of(r, "活动"), text_of(r, "指标"), text_of(r, "单位"))
            groups.setdefault(key, []).append(r)
    for rows in groups.values():
        rows.sort(key=lambda r: as_day(r["日期"]))
    for (campaign, metric, unit), rows in sorted(groups.items(), key=lambda kv: (as_day(kv[1][0]["日期"]), kv[0])):  # fmt: skip
        last = rows[-1]
        value, target = last.get("数值"), last.get("目标值")
        ratio = percent_of(value, target)
        if ratio is None:
            verdict = "没有目标值，无法评价"
        elif ratio >= 1:
            verdict = f"达成目标（{ratio:.0%}）"
        else:
            verdict = f"未达成目标，差 {target - value:,.6g}{unit}（{ratio:.0%}）"
        report.effects.rows.append(
            [
                campaign or None,
                metric or None,
                verdict,
                as_day(rows[0]["日期"]),
                as_day(last["日期"]),
            ]
            + [unit or None, len(rows), value, target, ratio]
        )


def _minutes(meetings, year: int, cal) -> tuple[int, int, int, int]:
    """(on time, late, not sent, of these without a brand) of the year's meeting minutes."""
    on_time = late = unsent = unmarked = 0
    year_end = datetime.combine(date(year, 12, 31), time(23, 59, 59))
    for m, note in meetings:
        held, sent = m.get("会议时间"), m.get("纪要发送时间")
        if isinstance(held, date) and not isinstance(held, datetime):
            held = datetime.combine(held, time())
        if not isinstance(held, datetime):
            continue
        due = cal.minutes_due(held)
        if isinstance(sent, date) and not isinstance(sent, datetime):
            sent = datetime.combine(sent, time())
        if isinstance(sent, datetime) and sent <= due:
            on_time += 1
            continue
        if isinstance(sent, datetime):
            late += 1
        elif due <= year_end:
            unsent += 1
        else:  # not due yet at the year's end
            continue
        unmarked += bool(note)
    return on_time, late, unsent, unmarked


def _service(
    report: YearlyReport, mine, status, meetings, signoffs, revisions, produced, cal
) -> None:
    """Service figures; ``meetings`` are (row, note) pairs of the brand (``Registers.meetings``)."""
    on_time, late, unsent, unmarked = _minutes(meetings, report.year, cal)
    late_jobs = []
    for no, job in sorted(mine.items(), key=_by_date):
        due = as_day(job.get("交付日期"))
        signed = produced.get(no)
        done_on = as_day(signed["日期"]) if signed else None
        state = status[no]
        if due and state != CANCELLED and ((done_on and done_on > due) or (not done_on and state not in DONE_STATUSES and due < date(report.year, 12, 31))):  # fmt: skip
            late_jobs.append(no)
    refused = [s for s in signoffs if text_of(s, "结果") in ENDS_ROUND]
    n_revs = sum(len(v) for v in revisions.values())
    many = sorted(no for no, v in revisions.items() if len(v) >= 3 and no in mine)
    report.service.rows += [
        [
            "会议纪要",
            "按时发送的次数（会后 1 个工作日内）",
            f"迟发 {late} 次，未发送 {unsent} 次"
            + (
                f"（其中 {unmarked} 次为{NO_BRAND_NOTE}的会议，计入本客户每个品牌）"
                if unmarked
                else ""
            ),
            on_time,
        ],
        [
            "交付",
            "逾期交付的工作（项）",
            "客户确认晚于交付日期，或到年底仍未完成"
            + ("：" + "、".join(late_jobs) if late_jobs else ""),
            len(late_jobs),
        ],
        [
            "工作单",
            "拒单 / 退回",
            "创作部拒单或 QC 退回的次数（工作单是否清晰、资料是否充分）",
            len(refused),
        ],  # fmt: skip
        ["修改", "修改单", "修改 3 次及以上的工作：" + ("、".join(many) if many else "无"), n_revs],
    ]


def yearly_reports(source, year, calendar=None, brands=None) -> list[YearlyReport]:
    """One summary per brand; without ``brands``, every brand with jobs or effects that year."""
    return reports_for(yearly_data, source, year, calendar, brands)


def write_yearly(report: YearlyReport, path) -> Path:
    """Write the summary to ``path`` (atomically); returns the path."""
    return save_report(report, Path(path), SHEET, freeze="title")
