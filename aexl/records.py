"""A register's rows as plain dicts, for the rules that read them row by row.

Validation, planning and the reports all take a workbench as a ``Workbench``,
a ``{sheet: DataFrame}`` dict, or a prepared ``aexl.reports.registers.Registers``
(anything whose class offers ``rows(sheet)`` gives its own rows, shared with
the reports). ``text`` reads one cell as one line of text, the way every
sign-off, step and name is compared.
"""

from __future__ import annotations

from functools import lru_cache

from aexl import schema
from aexl.rules import text_of


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
    if callable(getattr(type(registers), "rows", None)):
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
