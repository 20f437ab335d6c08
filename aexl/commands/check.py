"""``aexl check --book PATH [--json]``: validate every sheet of a workbench.

Exit 0 without errors (warnings allowed), 1 with errors; an unreadable file,
or one without a 工作单 sheet (every other register refers to it), is an
AexlError, which ``aexl.cli.main`` turns into one Chinese line and exit 2 —
as for every other command.
"""

from __future__ import annotations

import unicodedata

from aexl.cli import add_command

HEADERS = ("工作表", "行", "列", "级别", "代码", "说明")
JOBS_SHEET = "工作单"  # required: without it every job reference would be "unknown"


def register(sub) -> None:
    parser = add_command(
        sub,
        "check",
        "校验 AE 工作台的每个工作表（工作单必填项、工作号、修改单、签核顺序、会议纪要期限、"
        "周进度、投放、效果、文案）；有错误时退出码为 1。",
        "aexl check --book 美的_AE工作台.xlsx\n  aexl check --book 美的_AE工作台.xlsx --json",
    )
    parser.add_argument("--book", metavar="PATH", required=True, help="AE 工作台工作簿（.xlsx）")
    parser.add_argument(
        "--json",
        action="store_true",
        help="以 JSON 列表输出：[{sheet, row, column, severity, code, message}, …]",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    import json

    from aexl.findings import has_errors
    from aexl.validate import validate_workbench
    from aexl.workbook.read import read_workbench

    findings = validate_workbench(read_workbench(args.book, need=(JOBS_SHEET,)))
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1))
    else:
        print(format_table(findings))
    return 1 if has_errors(findings) else 0


def width(text: str) -> int:
    """Display width in a terminal: wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def format_table(findings) -> str:
    """Findings as an aligned table (CJK-width aware) with a summary line."""
    from aexl.findings import SEVERITY_LABEL

    errors = sum(f.is_error for f in findings)
    summary = f"{errors} 个错误，{len(findings) - errors} 个警告"
    if not findings:
        return f"没有发现问题。\n{summary}"
    rows = [
        (
            f.sheet,
            str(f.row) if f.row is not None else "",
            f.column or "",
            SEVERITY_LABEL.get(f.severity, f.severity),
            f.code,
            " ".join(f.message.split()),
        )
        for f in findings
    ]
    sizes = [max(width(r[i]) for r in [HEADERS, *rows]) for i in range(len(HEADERS) - 1)]
    lines = []
    for r in [HEADERS, *rows]:
        cells = [pad(r[i], sizes[i]) for i in range(len(sizes))]
        if r is not HEADERS:
            cells[1] = " " * (sizes[1] - width(r[1])) + r[1]  # row numbers right-aligned
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    rule = "  ".join("-" * s for s in sizes) + "  " + "-" * 4
    lines.insert(1, rule)
    lines.append("")
    lines.append(summary)
    return "\n".join(lines)
