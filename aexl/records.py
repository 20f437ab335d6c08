"""A register's rows as plain dicts, for the rules that read them row by row, and the
per-job views every rule shares: a job's row, its 签核 rows and its sign-off chains.

Validation, planning and the reports all take a workbench as a ``Workbench``,
a ``{sheet: DataFrame}`` dict, or a prepared ``aexl.reports.registers.Registers``
(whose class offers ``rows(sheet)`` and ``by_job``: its own rows and groupings,
shared with the reports). ``text`` reads one cell as one line of text, the way every
sign-off, step and name is compared.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from aexl import schema
from aexl.chain import ChainState
from aexl.rules import as_day, normalise_step, text_of
from aexl.rules import jobno_key as job_key


def _prepared(registers) -> bool:
    """Prepared registers (``aexl.reports.registers.Registers``: their class offers
    ``rows`` and ``by_job``) share their rows and groupings instead of reading again."""
    kind = type(registers)
    return callable(getattr(kind, "rows", None)) and callable(getattr(kind, "by_job", None))


def frames_of(registers) -> dict:
    """``{sheet: DataFrame}`` of a ``Workbench``, a dict, or anything with ``frame(sheet)``."""
    if isinstance(registers, dict):
        return registers
    frames = getattr(registers, "frames", None)
    if isinstance(frames, dict):
        return frames
    return {r.sheet: registers.frame(r.sheet) for r in schema.REGISTERS}


def rows(registers, sheet: str) -> list[dict]:
    """The rows of a register as dicts (``_row`` kept); [] when the sheet is absent.

    Prepared registers (``Registers``) give their own rows (shared with the reports;
    the reader's values, NaN-free, as month-end passes them).
    """
    if _prepared(registers):
        return registers.rows(sheet)
    frame = frames_of(registers).get(sheet)
    if frame is None or len(frame) == 0:
        return []
    columns = list(frame.columns)
    values = [_clean(frame.iloc[:, i]) for i in range(len(columns))]
    return [dict(zip(columns, r, strict=True)) for r in zip(*values, strict=True)]


def _clean(column) -> list:
    """A column's values, NaN / NaT from pandas as None (looked for only in columns that
    have any: the reader's columns hold None already)."""
    values = column.tolist()
    if column.dtype == object and not column.hasnans:
        return values
    return [None if v is not None and v != v else v for v in values]


def text(rec: dict, column: str) -> str:
    """A cell as one line of text (``""`` for a blank)."""
    value = rec.get(column)
    if value is None:
        return ""
    return _one_line(value if type(value) is str else text_of(rec, column))


@lru_cache(maxsize=1 << 14)
def _one_line(value: str) -> str:
    """Runs of whitespace as one space, trimmed (flows, steps and names repeat row after row)."""
    return " ".join(value.split())


# --- per job -------------------------------------------------------------------------
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
