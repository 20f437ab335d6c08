"""The 进度 sheet's check (rulebook 二.5): a dated record later than the end a 进度 row
agreed is a warning (``schedule.missed``).

Only milestones typed into 进度 are checked: the default plan
(``aexl.planning.schedule``) is a proposal nobody agreed to. Records compared
(``milestone_records``, which the schedule also uses to mark milestones done):
工作单确认 complete (签核), the first 提案 meeting (会议), each revision's 交付日期
(修改单), the production QC complete and the client's signature (签核) for QC签核 and
交付. 内部创作与审阅 and 客户确认 have no dated record in the workbench and are not
checked.
"""

from __future__ import annotations

from datetime import date

from aexl import schema
from aexl.findings import WARNING, Finding
from aexl.records import chain_states, frames_of, jobs_by_key, rows, text
from aexl.rules import as_day
from aexl.rules import jobno_key as job_key

PROGRESS = schema.PROGRESS  # the optional 进度 sheet: one row per job and changed milestone
MILESTONE_NAMES = schema.MILESTONES


def progress_frame(registers):
    """The 进度 register: from the registers when read, else from the workbook file."""
    frame = frames_of(registers).get(PROGRESS.sheet)
    if frame is not None:
        return frame
    path = getattr(registers, "path", None)
    if path is None:
        return None
    from aexl.values import norm_header
    from aexl.workbook.read import open_calamine, parse_register, sheet_rows

    book = open_calamine(path)
    names = {norm_header(n): n for n in book.sheet_names}
    actual = names.get(norm_header(PROGRESS.sheet))
    if actual is None:
        return None
    found = sheet_rows(book, actual)
    if not found or all(v in ("", None) for v in found[0]):
        return None
    frame, findings, _bad = parse_register(PROGRESS, found, file=str(path))
    if hasattr(registers, "findings"):
        registers.findings.extend(findings)
    return frame


def schedule_findings(registers, calendar=None) -> list[Finding]:
    """Warnings for dated records later than the end their 进度 row agreed (module docstring)."""
    frame = progress_frame(registers)
    if frame is None or len(frame) == 0:
        return []
    jobs = jobs_by_key(registers)
    findings = []
    for rec in rows({PROGRESS.sheet: frame}, PROGRESS.sheet):
        key, end = job_key(rec.get("工作号")), as_day(rec.get("结束日期"))
        if not key or end is None or text(rec, "里程碑") not in MILESTONE_NAMES:
            continue
        if key not in jobs:
            findings.append(_finding(rec, "工作号", "schedule.unknown_job", f"工作号「{key}」不在「工作单」表中：请更正工作号或删除这一行。"))  # fmt: skip
            continue
        for day, what in milestone_records(registers, jobs[key], text(rec, "里程碑")):
            if day > end:
                message = (
                    f"「{text(rec, '里程碑')}」约定 {end:%Y-%m-%d} 前完成，但{what}是 "
                    f"{day:%Y-%m-%d}，晚了 {_late(calendar, end, day)}：请与客户和相关部门"
                    "确认新的进度并更新「进度」表，或核对记录的日期。"
                )
                findings.append(_finding(rec, "结束日期", "schedule.missed", message))
    return findings


def _late(calendar, end: date, day: date) -> str:
    if calendar is None:
        return f"{(day - end).days} 天"
    try:
        return f"{calendar.workdays(end, day) - (1 if calendar.is_workday(end) else 0)} 个工作日"
    except Exception:  # a year the calendar does not know: calendar days say enough
        return f"{(day - end).days} 天"


def _finding(rec: dict, column: str, code: str, message: str) -> Finding:
    return Finding(PROGRESS.sheet, rec.get("_row"), column, WARNING, code, message)


def milestone_records(registers, job: dict, milestone: str) -> list[tuple[date, str]]:
    """(date, what) of the dated records that show ``milestone`` done for ``job``."""
    from aexl.rules import CONFIRM_FLOW, production_flows

    key = job_key(job.get("工作号"))
    if milestone == "简报与工作单确认":
        done = chain_states(registers, key)[CONFIRM_FLOW].completed
        return [(done[0], "「工作单确认」签齐的日期")] if done and done[0] else []
    if milestone == "提案":
        held = sorted(
            as_day(r.get("会议时间"))
            for r in rows(registers, schema.MEETINGS.sheet)
            if job_key(r.get("工作号")) == key and text(r, "会议类型") == "提案"
            and as_day(r.get("会议时间"))
        )  # fmt: skip
        return [(held[0], "第一次提案会议")] if held else []
    if milestone == "修改":
        return [
            (as_day(r.get("交付日期")), f"第 {r.get('修改序号')} 次修改的交付日期")
            for r in rows(registers, schema.REVISIONS.sheet)
            if job_key(r.get("原工作号")) == key and as_day(r.get("交付日期"))
        ]
    if milestone in ("QC签核", "交付"):
        states = chain_states(registers, key)
        done = sorted(
            d for f in production_flows(text(job, "工作类型")) for d in states[f].completed if d
        )
        return [(done[0], "QC 签核（客户签字确认）完成的日期")] if done else []
    return []
