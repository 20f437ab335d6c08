"""A report (title, header lines, blocks) laid out as a plain grid for a live sheet.

The report modules describe a report as ``title``, ``header_lines()`` and
``blocks`` (``Heading`` / ``Text`` / ``Table`` from ``aexl.reports.common``,
or chart objects). The file writers style that with openpyxl; a ribbon
button writes it into the open workbook through xlwings, where only values,
fills and pictures are portable. Pure: no xlwings.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Layout:
    grid: list[list] = field(default_factory=list)
    title_rows: list[int] = field(default_factory=list)  # 1-based
    section_rows: list[int] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    figures: list[tuple[int, object]] = field(default_factory=list)  # (row, chart block)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.grid), default=0)

    def add(self, row: list) -> int:
        self.grid.append(list(row))
        return len(self.grid)


def layout(reports) -> Layout:
    """Lay out one report or several (one below the other)."""
    if not isinstance(reports, list | tuple):
        reports = [reports]
    out = Layout()
    for report in reports:
        if out.grid:
            out.add([])
        _one(out, report)
    width = out.width
    out.grid = [r + [None] * (width - len(r)) for r in out.grid]
    return out


def _one(out: Layout, report) -> None:
    if isinstance(report, list):  # already a grid
        for row in report:
            out.add(row)
        return
    title = getattr(report, "title", None)
    if title:
        out.title_rows.append(out.add([title]))
    lines = report.header_lines() if hasattr(report, "header_lines") else []
    for line in lines:
        out.add([line])
    if title or lines:
        out.add([])
    for block in getattr(report, "blocks", []):
        kind = type(block).__name__
        if kind == "Heading":
            out.section_rows.append(out.add([block.text]))
        elif kind == "Table":
            out.header_rows.append(out.add(block.headers))
            if block.rows:
                for row in block.rows:
                    out.add(row)
            else:
                out.add([block.empty_text])
            out.add([])
        elif kind == "Text":
            for paragraph in block.paragraphs:
                out.add([paragraph])
            if block.placeholder:
                out.add([f"（请 AM 填写）{block.placeholder}"])
            out.add([])
        else:  # a chart: placed as a picture by the adapter
            out.figures.append((out.add([getattr(block, "title", "")]), block))
            for _ in range(20):
                out.add([])
