"""The report block model: what a report says, as plain values, for any writer.

A report's data function (pure over the workbench's registers) returns a
dataclass whose ``blocks`` is a list of ``Heading`` / ``Text`` / ``Table`` (and
objects with their own ``write``, such as the monthly summary's charts), so
any writer can lay it out: a report file (``aexl.reports.layout``), a live
Excel sheet in the ribbon (``aexl.excel.render``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aexl.rules import as_day

PLACEHOLDER = "（请 AM 填写）"
PLACEHOLDER_COLOR = "FFFF99"
WEEKDAYS = "一二三四五六日"


@dataclass
class Heading:
    """A section heading; level 1 is 一、…, level 2 a sub-heading."""

    text: str
    level: int = 1


@dataclass
class Text:
    """Paragraphs of text; ``placeholder`` (a hint) adds a yellow box for the AM to fill."""

    paragraphs: list[str] = field(default_factory=list)
    placeholder: str = ""


@dataclass
class Table:
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)  # 0-based column -> number format
    widths: list[int] = field(default_factory=list)
    empty_text: str = "（无）"
    # How many of the sheet's columns each column takes (merged cells), so tables of
    # different column counts share one grid and one right edge; empty: one each.
    spans: list[int] = field(default_factory=list)

    def column(self, name: str) -> list:
        i = self.headers.index(name)
        return [r[i] for r in self.rows]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.headers, r, strict=False)) for r in self.rows]


class BrandReport:
    """What the per-brand reports share: ``KIND`` names the title and the file.

    The file is dated ``finish`` (the day the report is finished, as the
    rulebook's naming rule asks); ``source`` is the workbench's name.
    """

    KIND = ""

    @property
    def title(self) -> str:
        return f"{self.brand} {self.KIND}"

    @property
    def filename(self) -> str:
        from aexl.workbook.write import report_name

        return report_name(self.finish, self.brand, self.KIND)


def percent_of(value, target) -> float | None:
    if not isinstance(value, int | float) or not isinstance(target, int | float) or not target:
        return None
    return value / target


def fmt_day(day) -> str:
    day = as_day(day)
    return f"{day:%Y-%m-%d}（周{WEEKDAYS[day.weekday()]}）" if day else ""


def join_lines(items) -> str:
    return "\n".join(i for i in items if i)
