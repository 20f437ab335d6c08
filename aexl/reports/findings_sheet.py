"""校验结果: the one findings table, laid out for the person who fixes the workbench.

Every place that shows findings uses this layout: ``aexl check`` (when it
writes a file), month-end's 校验结果 workbook (``write_findings``) and the
ribbon's 校验结果 sheet (``findings_grid``). Columns: 工作表, 行, 列, 级别,
问题, 怎么改 — the message split where it says how to fix it (「，请…」,
「：请…」) — and the finding's code in a last, hidden column (the JSON output
keeps codes too). Errors come first, then warnings, each in the order the
checks found them (``in_order``). Rows are given heights for their wrapped
text, so LibreOffice and WPS, which do not grow rows on their own, print
whole messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

KIND = "校验结果"
HEADERS = ["工作表", "行", "列", "级别", "问题", "怎么改", "代码"]
WIDTHS = [11, 6, 12, 6, 46, 40, 20]
PROBLEM_COL, FIX_COL, CODE_COL = 5, 6, 7  # 1-based
NO_PROBLEMS = "（没有发现问题）"
_FIX_START = re.compile(r"[，,：:；;。]\s*(?=请|应写成|应改为|可改为|建议|如需)")


def split_message(message: str) -> tuple[str, str]:
    """(problem, how to fix) of a finding's message: split before its first 「请…」 /
    「应…」 clause (the punctuation before it dropped); the whole message and "" when
    it has none."""
    text = str(message or "").strip()
    match = next(  # the first clause that is not inside brackets
        (m for m in _FIX_START.finditer(text) if _open(text[: m.start()]) == 0), None
    )
    if not match or match.start() == 0:
        return text, ""
    return text[: match.start()].rstrip() + "。", text[match.end() :].strip()


def _open(text: str) -> int:
    opened = text.count("（") + text.count("(") + text.count("「")
    return opened - text.count("）") - text.count(")") - text.count("」")


def in_order(findings) -> list:
    """Errors first, then warnings; each kept in the order the checks found them."""
    return sorted(findings, key=lambda f: not f.is_error)


def finding_row(finding) -> list:
    from aexl.findings import SEVERITY_LABEL

    problem, fix = split_message(finding.message)
    label = SEVERITY_LABEL.get(finding.severity, finding.severity)
    return [finding.sheet, finding.row, finding.column, label, problem, fix or None, finding.code]


def row_height(values: list) -> float | None:
    """Points for a row whose 问题 / 怎么改 wrap; None when one line is enough."""
    from aexl.reports.layout import text_height

    height = max(
        text_height(v, WIDTHS[i]) for i, v in enumerate(values) if isinstance(v, str) and i < 6
    )
    return height if height > 18 else None


@dataclass
class FindingsGrid:
    """The table as plain values: ``rows[0]`` is the header; ``heights[i]`` the height in
    points of ``rows[i]`` (None: default). ``hidden`` are 1-based columns to hide."""

    rows: list[list] = field(default_factory=list)
    heights: list[float | None] = field(default_factory=list)
    widths: list[int] = field(default_factory=lambda: list(WIDTHS))
    hidden: tuple[int, ...] = (CODE_COL,)
    findings: list = field(default_factory=list)  # in the order of rows[1:]
    errors: int = 0
    warnings: int = 0


def findings_grid(findings) -> FindingsGrid:
    """The 校验结果 table of ``findings`` (header first, then ``in_order``), with row
    heights; ``grid.findings`` are the findings in the order of the rows."""
    findings = in_order(findings)
    grid = FindingsGrid(rows=[list(HEADERS)], heights=[None], findings=findings)
    for f in findings:
        values = finding_row(f)
        grid.rows.append(values)
        grid.heights.append(row_height(values))
        grid.errors += f.is_error
    grid.warnings = len(findings) - grid.errors
    if not findings:
        grid.rows.append([None, None, None, None, NO_PROBLEMS, None, None])
        grid.heights.append(None)
    return grid


def summary_line(errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return f"错误 0 个，警告 0 个：{NO_PROBLEMS.strip('（）')}"
    return f"错误 {errors} 个，警告 {warnings} 个（错误须改正；警告请核实）"


def write_findings(
    findings, path: str | Path, *, client: str, source: str, month: str, notes=()
) -> Path:
    """The 校验结果 workbook of month-end (and of ``aexl check --out``); atomically.

    ``month`` may be "" (a check outside month-end); ``notes``: what month-end
    left out of this workbench and why (one line each).
    """
    from aexl.workbook import write as xo

    grid = findings_grid(findings)
    title = f"{client} {KIND}" if client else KIND
    book = xo.Book(path, title=title, subject=KIND)
    sheet = book.sheet(KIND)
    where = f"工作台：{source}" + (f"　　月底批处理：{month}" if month else "")
    lines = [
        f"{where}　　校验时间：{datetime.now():%Y-%m-%d %H:%M}",
        summary_line(grid.errors, grid.warnings),
        *(f"未处理：{note}" for note in notes),
    ]
    body = grid.rows[1:] if findings else []
    top = sheet.listing(title, lines, HEADERS, body, empty_text=NO_PROBLEMS)
    for n, finding in enumerate(grid.findings):
        if finding.is_error:  # the 级别 cell stands out
            sheet.put(top + 1 + n, 4, body[n][3], *xo.row_looks(n), xo.WARN, xo.ERROR)
    for n, height in enumerate(grid.heights[1:]):
        if height:
            sheet.set_height(top + 1 + n, height)
    if body:
        sheet.autofilter(top, 1, top + len(body), len(HEADERS) - 1)
    sheet.set_widths(WIDTHS)
    sheet.ws.set_column(CODE_COL - 1, CODE_COL - 1, WIDTHS[-1], None, {"hidden": True})
    sheet.print_setup(
        landscape=True, title_rows=(top, top), area=(1, 1, top + max(len(body), 1), 6)
    )
    return book.save()
