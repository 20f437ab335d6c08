"""The job-number ledger against the 工作单 rows (PRODUCT.md §2: a number is used once, ever).

``aexl jobno new`` records every number it issues in the workbench's very
hidden ledger sheet (``aexl.jobno.LEDGER_SHEET``). A ledger number without a
工作单 row means the row was deleted: the number stays used (the next one
is past it), but the job's record is gone, so ``check`` warns.

Finding codes: ``jobno.ledger_no_row`` (warning), ``jobno.ledger_unreadable``
(warning: the ledger sheet exists but cannot be read).
"""

from __future__ import annotations

from aexl import schema
from aexl.errors import AexlError
from aexl.findings import WARNING


def check_ledger(ctx) -> None:
    """Warn for every ledger number that has no 工作单 row (a workbench read from a file)."""
    from aexl.jobno import LEDGER_SHEET, read_ledger

    path = getattr(ctx.wb, "path", None)
    if path is None:  # a live Excel book: its ledger is not read here
        return
    try:
        entries = read_ledger(path)
    except AexlError as exc:
        ctx.add(LEDGER_SHEET, None, None, WARNING, "jobno.ledger_unreadable",
                f"工作号台账无法读取（{exc.message}），无法核对已签发的工作号")  # fmt: skip
        return
    rows = ctx.job_ids()
    seen: set[str] = set()
    for entry in entries:
        if entry.jobno in rows or entry.jobno in seen:
            continue
        seen.add(entry.jobno)
        who = "，".join(x for x in (entry.issued_at, entry.user) if x)
        ctx.add(
            schema.JOBS.sheet, None, "工作号", WARNING, "jobno.ledger_no_row",
            f"工作号 {entry.jobno} 已签发（{who}，见工作号台账），但「工作单」中没有这一行；"
            "工作号一经签发永不重用，取消的工作也要保留：请恢复这一行并把状态写为「已取消」",
        )  # fmt: skip
