"""Reading the registers for planning: rows as dicts, people, sign-off chain state.

Job keys, brand keys, step names and the flows come from the shared rules
(``aexl.rules``) and ``aexl.schema.SIGNOFF_CHAINS``, so a chain means here
what it means to ``check``.
"""

from __future__ import annotations

import re

from aexl import schema
from aexl.chain import ChainState
from aexl.records import chain_states, frames_of, jobs_by_key, rows, signoffs_of, text
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
    "chain_states",
    "frames_of",
    "jobs_by_key",
    "job_key",
    "normalise_step",
    "rows",
    "signoffs_of",
    "text",
]
_PEOPLE_SPLIT = re.compile(r"\s*[/／、,，;；]\s*|\s+")


def people(who: str) -> list[str]:
    """``韩磊 / 李想 / 谢晨`` → [韩磊, 李想, 谢晨]."""
    return [p for p in _PEOPLE_SPLIT.split(who or "") if p]


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
