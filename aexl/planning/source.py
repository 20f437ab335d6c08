"""Reading the registers for planning: rows as dicts, people, sign-off chain state.

Job keys, brand keys, step names and the flows come from the shared rules
(``aexl.rules``) and ``aexl.schema.SIGNOFF_CHAINS``, so a chain means here
what it means to ``check``.
"""

from __future__ import annotations

import re
from datetime import date

from aexl import schema
from aexl.chain import ChainState
from aexl.records import frames_of, rows, text
from aexl.rules import (
    CONFIRM_FLOW,
    QC_FLOWS,
    as_day,
    brand_key,
    normalise_step,
)
from aexl.rules import jobno_key as job_key

__all__ = [  # planning's one place to read the registers from (rules and rows)
    "CONFIRM_FLOW",
    "ChainState",
    "QC_FLOWS",
    "as_day",
    "brand_key",
    "frames_of",
    "job_key",
    "normalise_step",
    "rows",
    "text",
]
_PEOPLE_SPLIT = re.compile(r"\s*[/／、,，;；]\s*|\s+")


def people(who: str) -> list[str]:
    """``韩磊 / 李想 / 谢晨`` → [韩磊, 李想, 谢晨]."""
    return [p for p in _PEOPLE_SPLIT.split(who or "") if p]


def _prepared(registers) -> bool:
    from aexl.reports.registers import Registers

    return isinstance(registers, Registers)


def jobs_by_key(registers) -> dict[str, dict]:
    """工作号 key → the job's row (the first row wins for a duplicated number)."""
    if _prepared(registers):
        return registers.jobs  # the same rule, made once
    out: dict[str, dict] = {}
    for rec in rows(registers, schema.JOBS.sheet):
        key = job_key(rec.get("工作号"))
        if key and key not in out:
            out[key] = rec
    return out


def brand_owners(registers, jobs: dict[str, dict]) -> dict[str, str]:
    """brand key → the AE named most often as 负责人 in 周进度 for that brand's jobs."""
    counts: dict[str, dict[str, int]] = {}
    for rec in rows(registers, schema.WEEKLY.sheet):
        job = jobs.get(job_key(rec.get("工作号")))
        owner = text(rec, "负责人")
        if job is None or not owner:
            continue
        tally = counts.setdefault(brand_key(job.get("品牌")), {})
        tally[owner] = tally.get(owner, 0) + 1
    return {b: max(t, key=lambda name: (t[name], name)) for b, t in counts.items()}


def provisional(calendar, day) -> bool:
    """Whether ``day`` (a date or datetime) rests on a year the calendar only estimates
    (``WorkCalendar.is_provisional``: mark it 「暂定」)."""
    return day is not None and calendar.is_provisional(as_day(day) or day)


# --- sign-off chains ----------------------------------------------------------------
_GROUPED: list = [None, {}]  # (the 签核 frame last grouped, {job key: its rows in order})


def signoffs_of(registers, jobno: str) -> list[dict]:
    """The 签核 rows of one job, in sheet order. The register is grouped by job once per
    frame (a due list asks for every job: reading the whole register each time made
    month-end quadratic in the workbench's size)."""
    if _prepared(registers):
        return registers.by_job(schema.SIGNOFFS.sheet, "工作号").get(job_key(jobno), [])
    frame = frames_of(registers).get(schema.SIGNOFFS.sheet)
    if frame is None:
        return []
    if _GROUPED[0] is not frame:
        grouped: dict[str, list[dict]] = {}
        for rec in rows(registers, schema.SIGNOFFS.sheet):
            grouped.setdefault(job_key(rec.get("工作号")), []).append(rec)
        _GROUPED[:] = [frame, grouped]
    return _GROUPED[1].get(job_key(jobno), [])


def chain_states(registers, jobno: str, *, until: date | None = None) -> dict[str, ChainState]:
    """flow → ``aexl.chain.ChainState`` of one job from its 签核 rows (sheet order), up to
    ``until``: the chain read exactly as ``check`` reads it."""
    states = {flow: ChainState(flow) for flow in schema.SIGNOFF_CHAINS}
    for rec in signoffs_of(registers, jobno):
        flow = text(rec, "流程")
        if flow not in states:
            continue
        day = as_day(rec.get("日期"))
        if until is not None and (day is None or day > until):
            continue
        states[flow].sign(normalise_step(rec.get("步骤"), flow), text(rec, "结果"), day)
    return states
