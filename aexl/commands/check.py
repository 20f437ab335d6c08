"""``aexl check --book PATH [--json]``: validate every sheet of a workbench.

Exit 0 without errors (warnings allowed), 1 with errors; an unreadable file,
or one without a 工作单 sheet (every other register refers to it), is an
AexlError, which ``aexl.cli.main`` turns into one Chinese line and exit 2 —
as for every other command.
"""

from __future__ import annotations

import unicodedata

from aexl.cli import add_command, print_paths

JOBS_SHEET = "工作单"  # required: without it every job reference would be "unknown"


def register(sub) -> None:
    parser = add_command(
        sub,
        "check",
        "校验 AE 工作台的每个工作表（工作单必填项、工作号、修改单、签核顺序、会议纪要期限、"
        "周进度、投放、效果、文案）；有错误时退出码为 1。",
        "aexl check --book 美的_AE工作台.xlsx\n  aexl check --book 美的_AE工作台.xlsx --json\n"
        "  aexl check --book 美的_AE工作台.xlsx --out 校验",
    )
    parser.add_argument("--book", metavar="PATH", required=True, help="AE 工作台工作簿（.xlsx）")
    parser.add_argument(
        "--json",
        action="store_true",
        help="以 JSON 列表输出：[{sheet, row, column, severity, code, message}, …]",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="另把结果写成「校验结果」工作簿放进这个文件夹（与月底批处理的校验结果相同，可打印）",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    import json

    from aexl.findings import has_errors
    from aexl.validate import validate_workbench
    from aexl.workbook.read import read_workbench

    findings = validate_workbench(read_workbench(args.book, need=(JOBS_SHEET,)))
    if args.out:
        print_paths([write_results(findings, args.book, args.out)])
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1))
    elif not args.out:
        print(format_table(findings))
    return 1 if has_errors(findings) else 0


def write_results(findings, book, out_dir):
    """The 校验结果 workbook (the one findings sheet), dated today, into ``out_dir``."""
    from datetime import date
    from pathlib import Path

    from aexl.filenames import safe_filename
    from aexl.monthend.inputs import client_name
    from aexl.reports.findings_sheet import KIND, write_findings
    from aexl.workbook.write import report_name

    client = client_name(Path(book))
    target = Path(out_dir) / safe_filename(report_name(date.today(), client, KIND))
    return write_findings(findings, target, client=client, source=Path(book).name, month="")


def width(text: str) -> int:
    """Display width in a terminal: wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def format_table(findings) -> str:
    """Findings as an aligned table (CJK-width aware) with the columns of every findings
    table (``aexl.reports.findings_sheet``: 工作表, 行, 列, 级别, 问题, 怎么改), errors
    first as there, and its summary line; control characters from cells shown escaped."""
    from aexl.reports.findings_sheet import (
        HEADERS,
        NO_PROBLEMS,
        finding_row,
        in_order,
        summary_line,
    )
    from aexl.values import printable

    errors = sum(f.is_error for f in findings)
    summary = summary_line(errors, len(findings) - errors)
    if not findings:
        return f"{NO_PROBLEMS}\n{summary}"
    rows = [
        [printable(" ".join(str(v).split())) if v is not None else "" for v in finding_row(f)[:6]]
        for f in in_order(findings)
    ]
    heads = HEADERS[:6]
    sizes = [max(width(r[i]) for r in [heads, *rows]) for i in range(4)]
    lines = []
    for r in [heads, *rows]:
        cells = [pad(r[i], sizes[i]) for i in range(4)]
        if r is not heads:
            cells[1] = " " * (sizes[1] - width(r[1])) + r[1]  # row numbers right-aligned
        fix = f"  → {r[5]}" if r[5] and r is not heads else ("  " + r[5] if r is heads else "")
        lines.append(("  ".join([*cells, r[4]]) + fix).rstrip())
    lines.insert(1, "  ".join("-" * s for s in sizes) + "  " + "-" * 4)
    lines += ["", summary]
    return "\n".join(lines)
