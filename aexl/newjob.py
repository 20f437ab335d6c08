"""A new job number issued into a workbench (``aexl jobno new``), safely.

The workbench is edited under the rules of ``aexl.workbook.edit`` (not
read-only, not open in Excel, under its file lock, only the 工作单 and ledger
parts changed, written through a temporary file). With the agency's shared
ledger (``aexl.ledger``: ``--ledger`` or ``AEXL_LEDGER``) the number is
allocated there, past the highest this workbench holds; a failure after that
voids it there (never reused). Without it the workbench's own ledger decides.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from aexl.errors import SheetError
from aexl.jobno import LEDGER_HEADERS, LEDGER_SHEET, ledger_entries
from aexl.values import norm_text
from aexl.workbook.edit import (
    BRANDS_SHEET,
    JOBS_SHEET,
    NEW_JOB_STATUS,
    append_record,
    check_editable,
    check_not_open_in_excel,
    check_writable,
    edit_lock,
    remove_leftovers,
)


def _canonical_names(brands_df, brand: str, line: str) -> tuple[str, str]:
    """The 品牌/产品线 spelling of the 品牌 sheet (else the typed text)."""
    from aexl.codes import name_key

    b_key, l_key = name_key(brand), name_key(line)
    for rec in brands_df.to_dict("records"):
        if name_key(rec.get("品牌")) == b_key and name_key(rec.get("产品线")) == l_key:
            return norm_text(rec.get("品牌")), norm_text(rec.get("产品线"))
    return norm_text(brand), norm_text(line)


def _preload() -> None:
    import lxml.etree  # noqa: F401
    import pandas  # noqa: F401
    import python_calamine  # noqa: F401

    from aexl.codes import code_for

    code_for("美的")  # imports pypinyin and loads its dictionaries


def issue_job_number(
    path: str | Path,
    brand: str,
    line: str,
    day: date | None = None,
    project: str | None = None,
    *,
    user: str | None = None,
    ledger_url: str | None = None,
) -> str:
    """Issue the next job number, append its row to 工作单 and its ledger entry; return it.

    The new row holds 工作号, 品牌, 产品线, 项目名称, 开单日期 and 状态 = 进行中;
    the ledger entry the number, the time and ``user`` (default: the OS user).

    With ``ledger_url`` (``aexl.ledger``: the agency's shared ledger) the number
    is allocated there, past the highest this workbench holds; a failure after
    that voids it in the shared ledger (never reused). Without it the
    in-workbench ledger alone decides, as before.
    """
    from aexl.jobno import current_user

    path = check_editable(path)
    day = day or date.today()
    check_writable(path)
    check_not_open_in_excel(path)
    _preload()  # heavy imports before taking the lock, so the lock is held briefly
    with _shared_ledger(ledger_url) as shared, edit_lock(path):
        check_not_open_in_excel(path)
        remove_leftovers(path)
        return _issue_locked(path, brand, line, day, project, user or current_user(), shared)


@contextmanager
def _shared_ledger(url: str | None):
    """The shared ledger at ``url`` (connected before the workbook lock is taken), or None."""
    if not url:
        yield None
        return
    from aexl.ledger import open_ledger

    with open_ledger(url) as ledger:  # unreachable: LedgerUnreachableError, nothing written
        yield ledger


def _issue_locked(path: Path, brand, line, day: date, project, user: str, shared=None) -> str:
    from aexl.codes import resolve_codes
    from aexl.jobno import ledger_row, next_jobno
    from aexl.ledger import void_after_failure
    from aexl.ledger.issue import Wanted, allocate_previewed
    from aexl.workbook import edit
    from aexl.workbook.read import read_workbench
    from aexl.workbook.sheetxml import Book
    from aexl.workbook.xlsxpatch import Package

    book = Book(Package(path))  # first: a zip that is not a plain workbook is named as such
    bench = read_workbench(path, need=(BRANDS_SHEET, JOBS_SHEET), sheets=(BRANDS_SHEET, JOBS_SHEET))
    brands = bench.frame(BRANDS_SHEET)
    brand_code, line_code = resolve_codes(brands, brand, line, file=path)
    jobs = book.sheet(JOBS_SHEET)
    if jobs is None:
        raise SheetError(f"缺少工作表「{JOBS_SHEET}」，请添加该工作表", file=path)
    # Everything this workbench ever used: its rows and its ledger (deleted rows included).
    used = [*bench.frame(JOBS_SHEET)["工作号"].tolist(), *ledger_numbers(book)]
    number = next_jobno(used, brand_code, line_code, day.year)
    brand_name, line_name = _canonical_names(brands, brand, line)
    # With the agency's ledger: allocated there, past everything anyone issued and ``used``.
    wanted = Wanted(path, brand_code, line_code, day.year, brand_name, line_name)
    number = allocate_previewed(shared, {path: number}, [wanted], workbench=path, user=user)[path]
    try:
        project = (project or "").strip() or None
        record = {"工作号": number, "品牌": brand_name, "产品线": line_name, "项目名称": project,
                  "开单日期": day, "状态": NEW_JOB_STATUS}  # fmt: skip
        append_record(jobs, record, path)
        issued_at = datetime.now().astimezone().isoformat(timespec="seconds")
        record_in_ledger(
            book, ledger_row(number, issued_at, user, brand_name, line_name, project or "")
        )
        edit.write_package(book.pkg, path)
    except BaseException as exc:
        if shared is not None:  # allocated but not written: voided, never reused
            void_after_failure(shared, [number], exc)
        raise
    return number


# --- the workbench's own ledger sheet (very hidden): every number it ever issued ---------
def record_in_ledger(book, entry: list[str]) -> None:
    """Append ``entry`` to the ledger sheet, creating the (very hidden) sheet on first use."""
    ledger = book.sheet(LEDGER_SHEET)
    if ledger is None:
        ledger = book.add_sheet(LEDGER_SHEET, state="veryHidden")
        ledger.write(1, dict(enumerate(LEDGER_HEADERS, start=1)), {})
    row = ledger.last_used_row(len(LEDGER_HEADERS)) + 1
    ledger.write(row, {n: v for n, v in enumerate(entry, start=1) if v}, {})


def ledger_numbers(book) -> list[str]:
    """Job numbers in the workbench's ledger sheet (none before the first issue)."""
    ledger = book.sheet(LEDGER_SHEET)
    if ledger is None:
        return []
    rows = ([cells.get(1)] for _number, cells in ledger.rows())
    return [e.jobno for e in ledger_entries(rows)]
