"""Handlers of the AE工作台 ribbon tab: each takes an ``xlwings.Book``.

The same functions serve desktop Excel (``RunPython`` from the add-in's VBA
callbacks) and xlwings Server (scripts behind the Office.js manifest), so
they use only the Book API both support: sheets, ranges, values, colours,
notes, ``pictures.add``, ``book.selection`` and ``book.app.alert``. Each one
reads the sheets it needs through :mod:`aexl.excel.book`, calls the core and
writes the result. A user error ends in an alert with the Chinese message,
never a traceback.

The handlers that write a findings or report sheet (校验工作单, 打印工作单
and the 报告 group) live in :mod:`aexl.excel.report_handlers`; the registry
names that module for their buttons and ``__getattr__`` below finds them.

Nothing heavy is imported at module level: importing this module costs no
more than importing xlwings.
"""

from __future__ import annotations

import functools
import logging
from datetime import date
from pathlib import Path

from aexl.errors import AexlError, JobNumberError, SheetError

log = logging.getLogger("aexl.ribbon")

TITLE = "AE工作台"
RESULTS_SHEET = "校验结果"
PRINT_SHEET = "打印工作单"
WEEKLY_SHEET = "周报"
INTERNAL_WEEKLY_SHEET = "周报（内部）"
PLACEMENTS_SHEET = "投放列表"
CHARTS_SHEET = "效果图表"
MONTHLY_SHEET = "月度总结"

ERROR_FILL = (255, 199, 206)  # light red: error / banned term
WARNING_FILL = (255, 235, 156)  # light yellow: warning / term to review
MAX_LISTED = 12  # lines of detail in an alert


def __getattr__(name: str):
    """``HANDLERS``: every ribbon button's handler, from ``aexl.reports.registry`` (read
    when asked, so a report added to the registry has its button here)."""
    from aexl.reports.registry import ribbon_commands

    if name == "HANDLERS":
        return tuple(b.handler for b in ribbon_commands())
    for button in ribbon_commands():  # a handler that lives in its own module
        if button.handler == name and button.module != __name__:
            import importlib

            return getattr(importlib.import_module(button.module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_grid(book, name: str, grid: list[list], *, header_rows: tuple[int, ...] = (1,)):
    """``aexl.excel.sheets.write_grid`` (imported when a handler runs: the UDF module
    imports this one and must stay light)."""
    from aexl.excel import sheets

    return sheets.write_grid(book, name, grid, header_rows=header_rows)


def today() -> date:
    """Today's date (a function so tests can fix it)."""
    return date.today()


# --- plumbing -----------------------------------------------------------------


def alert(book, message: str, *, critical: bool = False) -> None:
    book.app.alert(message, title=TITLE, buttons="ok", mode="critical" if critical else "info")


def handler(func):
    """Turn AexlError into an alert and any other exception into a logged internal error."""

    @functools.wraps(func)
    def wrapper(book):
        try:
            return func(book)
        except AexlError as exc:
            alert(book, str(exc), critical=True)
        except Exception:
            from aexl.errors import internal_error_message, log_internal_error

            log_path = log_internal_error(f"ribbon {func.__name__}")
            log.exception("ribbon handler %s failed", func.__name__)
            alert(book, internal_error_message(log_path), critical=True)
        return None

    return wrapper


def _selection(book):
    """(sheet, address) of the current selection; SheetError when nothing is selected."""
    try:
        rng = book.selection
        address = rng.address if rng is not None else None
    except Exception:
        rng, address = None, None
    if rng is None or not address:
        raise SheetError("请先选中单元格（或整行）后再点按钮")
    return rng.sheet, address, rng


def _selected_register_rows(book, register: str, hint: str) -> tuple[object, list[int]]:
    """The sheet and the selected data rows (Excel numbers ≥ 2) on register ``register``."""
    from aexl.excel.book import selected_rows
    from aexl.values import norm_header

    sheet, address, _rng = _selection(book)
    if norm_header(sheet.name) != norm_header(register):
        raise SheetError(hint)
    rows = [r for r in selected_rows(address) if r >= 2]
    if not rows:
        raise SheetError(hint)
    return sheet, rows


def _listing(lines: list[str]) -> str:
    shown = lines[:MAX_LISTED]
    more = len(lines) - len(shown)
    return "\n".join(shown) + (f"\n……另有 {more} 条" if more > 0 else "")


def _record(frame, row: int) -> dict | None:
    """The parsed record of Excel row ``row`` (None for a blank or header row)."""
    from aexl.workbook.read import ROW_COLUMN

    hit = frame[frame[ROW_COLUMN] == row]
    if hit.empty:
        return None
    return hit.iloc[0].to_dict()


def _book_folder(book) -> Path | None:
    """The workbook's folder on this machine (desktop), or None (xlwings Server, unsaved)."""
    try:
        folder = Path(book.fullname).parent
    except Exception:
        return None
    return folder if str(folder) not in ("", ".") and folder.is_dir() else None


# --- 工作单 group -------------------------------------------------------------


@handler
def new_job_number(book) -> None:
    """新建工作号: fill 工作号 of the selected 工作单 rows that have none.

    Rows of one brand, product line and year get consecutive numbers after the
    highest the workbook used (工作单 and its very-hidden ledger sheet), from
    ``aexl.jobno.next_jobnos`` as AE_NEXTJOBNO previews them. With the
    agency's ledger (``AEXL_LEDGER``) each is allocated there past that floor,
    so two co-authoring requests carrying the same workbook never get the same
    number; a failure after allocation voids them. Each number is also added
    to the ledger sheet (created very hidden on first use).
    """
    from aexl.excel.book import read_book
    from aexl.jobno import current_user, next_jobnos
    from aexl.ledger import ledger_url_from, void_after_failure
    from aexl.ledger.issue import allocate_previewed

    sheet, rows = _selected_register_rows(
        book, "工作单", "请先在「工作单」表中选中要生成工作号的行（可多选），再点「新建工作号」"
    )
    wb, raw = read_book(book, need=("工作单",), sheets=("品牌",))
    jobs = wb.frames["工作单"]
    column = raw["工作单"].column("工作号")
    wanted = []  # (Excel row, record) of the selected rows without a number
    for row in rows:
        rec = _record(jobs, row)
        if rec is not None and not rec.get("工作号"):
            wanted.append((row, rec))  # else a blank row, or one that has its number
    if not wanted:
        alert(book, "选中的行都已有工作号（或是空行），没有需要生成的。")
        return
    requests, problems = _job_requests(wb, wanted, book.name)
    # everything the workbook used: 工作单 and its ledger sheet (deleted rows included)
    issued = [*jobs["工作号"].tolist(), *_live_ledger_numbers(book)]
    series: dict[tuple, list] = {}  # (brand code, line code, year) -> its requests, in row order
    for request in requests:
        series.setdefault(request.series, []).append(request)
    previews: dict[int, str] = {}  # the numbers AE_NEXTJOBNO shows for these rows
    for (brand_code, line_code, year), items in series.items():
        made = next_jobnos(issued, brand_code + line_code, "", year, len(items))
        previews.update(zip((r.key for r in items), made, strict=True))
    records = dict(wanted)
    with _shared_ledger(ledger_url_from(None)) as shared:
        numbers = allocate_previewed(
            shared, previews, requests, workbench=book.name, user=current_user()
        )
        try:
            _write_job_numbers(book, sheet, column, numbers, records)
        except BaseException as exc:
            if shared is not None:  # allocated but not written: voided, never reused
                void_after_failure(shared, list(numbers.values()), exc)
            raise
    made = [f"第 {row} 行：{numbers[row]}" for row in sorted(numbers)]
    parts = []
    if made:
        parts.append(f"已生成 {len(made)} 个工作号：\n{_listing(made)}")
    if problems:
        parts.append(f"{len(problems)} 行未能生成：\n{_listing(problems)}")
    alert(book, "\n\n".join(parts), critical=bool(problems) and not made)


def _job_requests(wb, wanted, book_name) -> tuple[list, list[str]]:
    """``aexl.ledger.issue.Wanted`` for each row whose codes and year are known; the problems."""
    from aexl.codes import code_resolver
    from aexl.ledger.issue import Wanted

    codes = code_resolver(wb.frames.get("品牌"), file=book_name)
    requests, problems = [], []
    for row, rec in wanted:
        try:
            if rec.get("开单日期") is None:
                raise JobNumberError(
                    "缺少或无法识别「开单日期」，工作号的年份取自开单日期，请先填写"
                )
            brand_code, line_code = codes(rec.get("品牌"), rec.get("产品线"))
        except AexlError as exc:
            problems.append(f"第 {row} 行：{exc.message}")
            continue
        year = rec["开单日期"].year
        requests.append(
            Wanted(row, brand_code, line_code, year, rec.get("品牌"), rec.get("产品线"))
        )
    return requests, problems


def _shared_ledger(url: str | None):
    """The agency's ledger at ``url`` as a context manager (a null one without ``url``)."""
    import contextlib

    from aexl.ledger import open_ledger

    return open_ledger(url) if url else contextlib.nullcontext()


def _write_job_numbers(book, sheet, column: int, numbers: dict, records: dict) -> None:
    """Write each number into its 工作单 row and a row for it into the ledger sheet."""
    from datetime import datetime

    from aexl.jobno import current_user, ledger_row
    from aexl.values import csv_cell

    issued_at = datetime.now().astimezone().isoformat(timespec="seconds")
    entries = []
    for row in sorted(numbers):
        number, rec = numbers[row], records[row]
        sheet.range((row, column)).value = number
        entry = ledger_row(number, issued_at, current_user(), rec.get("品牌") or "",
                           rec.get("产品线") or "", rec.get("项目名称") or "")  # fmt: skip
        entries.append([csv_cell(v) or None for v in entry])  # text, never a formula
    if entries:
        _append_live_ledger(book, entries)
        sheet.activate()


def _live_ledger_numbers(book) -> list[str]:
    """The numbers in the workbook's ledger sheet ``_工作号台账`` (none before the first)."""
    from aexl.excel.book import find_sheet
    from aexl.jobno import LEDGER_SHEET, ledger_entries

    ledger = find_sheet(book, LEDGER_SHEET)
    return [] if ledger is None else [e.jobno for e in ledger_entries(_ledger_column(ledger))]


def _ledger_column(ledger) -> list[list]:
    """Column A of the ledger sheet, row by row, up to its last used row.

    Only column A is read: xlwings Server's reader fails on text such as the
    签发时间 ``2026-03-02T10:00:00+08:00`` (it takes it for a UTC date).
    """
    last = max(ledger.used_range.last_cell.row, 1)
    return [list(r) for r in ledger.range((1, 1), (last, 1)).options(ndim=2).value or []]


def _append_live_ledger(book, entries: list[list]) -> None:
    """Append ``entries`` to ``_工作号台账``, adding it (very hidden, with headers) if missing."""
    from aexl.excel.book import find_sheet
    from aexl.jobno import LEDGER_HEADERS, LEDGER_SHEET
    from aexl.values import is_blank

    ledger = find_sheet(book, LEDGER_SHEET)
    if ledger is None:
        ledger = book.sheets.add(LEDGER_SHEET, after=book.sheets[len(book.sheets) - 1])
        _make_very_hidden(ledger)
        ledger.range((1, 1)).value = [list(LEDGER_HEADERS)]
        first = 2
    else:
        filled = [n for n, row in enumerate(_ledger_column(ledger), 1) if not is_blank(row[0])]
        first = max(filled, default=1) + 1
    ledger.range((first, 1)).value = entries


VERY_HIDDEN = 2  # xlSheetVeryHidden: not listed by Excel's 取消隐藏 (Unhide) dialog


def _make_very_hidden(sheet) -> None:
    """Very-hide ``sheet``: xlwings' ``visible`` only hides, which users can undo from a menu."""
    impl = getattr(sheet, "impl", None)
    if hasattr(impl, "append_json_action"):  # xlwings Server: Office.js sets the visibility
        impl.append_json_action(func="setSheetVisibility", args="VeryHidden")
        impl.api["visibility"] = "VeryHidden"
        return
    try:
        sheet.api.Visible = VERY_HIDDEN  # desktop Excel on Windows (COM)
    except Exception:
        sheet.visible = False  # elsewhere (macOS): hidden, as close as xlwings goes


@handler
def new_revision(book) -> None:
    """新建修改单: add a 修改单 row for the selected job with the next 修改序号."""
    from aexl.excel.book import read_book, selected_rows
    from aexl.jobno import next_revision_number, normalize_jobno
    from aexl.values import norm_header

    hint = "请先在「工作单」表中选中要修改的那项工作（或在「修改单」表中选中它的任一修改行），再点「新建修改单」"
    sheet, address, _rng = _selection(book)
    on_jobs = norm_header(sheet.name) == norm_header("工作单")
    on_revisions = norm_header(sheet.name) == norm_header("修改单")
    rows = [r for r in selected_rows(address) if r >= 2]
    if not (on_jobs or on_revisions) or not rows:
        raise SheetError(hint)
    wb, raw = read_book(book, need=("工作单", "修改单"), sheets=())
    jobs, revisions = wb.frames["工作单"], wb.frames["修改单"]
    rec = _record(jobs if on_jobs else revisions, rows[0])
    jobno = normalize_jobno((rec or {}).get("工作号" if on_jobs else "原工作号"))
    if not jobno:
        raise JobNumberError(
            f"第 {rows[0]} 行没有工作号，请先生成工作号（「新建工作号」）", sheet=sheet.name
        )
    job = jobs[jobs["工作号"].map(normalize_jobno) == jobno]
    if job.empty:
        raise JobNumberError(
            f"工作号 {jobno} 不在「工作单」表中，修改单须对应已有的工作", sheet="修改单"
        )
    number = next_revision_number(revisions, jobno)
    target = raw["修改单"]
    row = target.last_row + 1
    values = {
        "原工作号": jobno,
        "修改序号": number,
        "修改日期": today(),
        "执行人员": job.iloc[0].get("执行人员"),
    }
    line = [None] * max(target.columns.values())
    for header, value in values.items():
        line[target.column(header) - 1] = value
    out = find_sheet_named(book, target.name)
    out.range((row, 1)).value = [line]
    out.activate()
    alert(
        book,
        f"已在「修改单」第 {row} 行添加 {jobno} 的第 {number} 次修改（修改沿用原工作号）。\n"
        "请填写修改内容、意见来源和交付日期。",
    )


def find_sheet_named(book, name: str):
    from aexl.excel.book import find_sheet

    sheet = find_sheet(book, name)
    if sheet is None:
        raise SheetError(f"缺少工作表「{name}」", file=book.name)
    return sheet


# --- 质检 group ---------------------------------------------------------------


@handler
def check_copy(book) -> None:
    """文案合规检查: Advertising-Law check of the selected cells."""
    from aexl.copycheck import BLOCK, check_texts, summarize
    from aexl.excel.book import column_letter
    from aexl.excel.cells import as_grid, is_empty

    sheet, _address, rng = _selection(book)
    grid = as_grid(rng.options(ndim=2).value)
    top, left = rng.row, rng.column
    cells = [
        (top + i, left + j, v)
        for i, row in enumerate(grid)
        for j, v in enumerate(row)
        if isinstance(v, str) and not is_empty(v)  # copy is text: numbers and dates are skipped
    ]
    if not cells:
        raise AexlError(
            "选中的单元格里没有文字，请选中要检查的文案单元格（可多选）再点「文案合规检查」"
        )
    distinct = list(dict.fromkeys(text for _r, _c, text in cells))
    results = dict(zip(distinct, check_texts(distinct), strict=True))
    lines, blocked, review = [], 0, 0
    for row, col, text in cells:
        hits = results[text]
        if not hits:
            continue
        is_block = any(h.tier == BLOCK for h in hits)
        blocked += is_block
        review += not is_block
        summary = summarize(hits)
        cell = sheet.range((row, col))
        cell.color = ERROR_FILL if is_block else WARNING_FILL
        _set_note(cell, f"广告法检查：{summary}")
        lines.append(f"{column_letter(col)}{row}：{summary}")
    if not lines:
        alert(
            book,
            f"检查了 {len(cells)} 个单元格，未发现广告法禁用或需核实的用语。（仅供参考，不是法律意见）",
        )
        return
    alert(
        book,
        f"检查了 {len(cells)} 个单元格：{blocked} 个含禁用词（红色），{review} 个需核实（黄色）。"
        f"详情见单元格批注。（仅供参考，不是法律意见）\n{_listing(lines)}",
        critical=blocked > 0,
    )


def _set_note(cell, text: str) -> None:
    """Put ``text`` in the cell's note; silently skipped where the host has no notes."""
    try:
        note = cell.note
        if note is not None:
            note.delete()
        cell.add_note(text)
    except Exception:
        log.debug("note not written", exc_info=True)


# --- 工具 group ---------------------------------------------------------------


@handler
def diagnose(book) -> None:
    """诊断: this machine's Python, xlwings, add-in and configuration, each with its fix."""
    from aexl.excel.doctor import run_checks

    checks = run_checks()
    grid = [["检查项", "结果", "说明", "修复方法"]]
    grid += [[c.name, "通过" if c.ok else "失败", c.detail, c.fix] for c in checks]
    write_grid(book, "诊断", grid)
    failed = [c.name for c in checks if not c.ok]
    alert(
        book,
        f"有 {len(failed)} 项未通过：{'、'.join(failed)}，见「诊断」表。"
        if failed
        else f"全部 {len(checks)} 项检查通过。",
        critical=bool(failed),
    )
