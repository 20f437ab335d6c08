"""Ribbon handlers that write a sheet from the workbench: 校验工作单's findings, the
printable 工作单 and the 报告 group (周报, 投放列表, 效果图表, 月度总结), with the
plumbing that lays a report out on a sheet (values, fills, pictures).

Written like those of :mod:`aexl.excel.ribbon` and reached through it (its
``__getattr__`` finds a handler registered with this module). ``today`` and
``_book_folder`` are read from :mod:`aexl.excel.ribbon` when called, so a
test that fixes them there fixes them here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from aexl.errors import AexlError, JobNumberError, SheetError
from aexl.excel import ribbon
from aexl.excel.ribbon import (
    CHARTS_SHEET,
    ERROR_FILL,
    INTERNAL_WEEKLY_SHEET,
    MONTHLY_SHEET,
    PLACEMENTS_SHEET,
    PRINT_SHEET,
    RESULTS_SHEET,
    TITLE,
    WARNING_FILL,
    WEEKLY_SHEET,
    _record,
    _selected_register_rows,
    alert,
    handler,
    log,
    write_grid,
)
from aexl.excel.sheets import PICTURE_PREFIX, _picture, write_layout, write_report

# --- 工作单 group -------------------------------------------------------------


@handler
def validate_workbook(book) -> None:
    """校验工作单: colour bad cells and list every finding on the 校验结果 sheet, laid out
    as every findings table is (``aexl.reports.findings_sheet``) plus a 位置 link."""
    from aexl.excel.book import read_book
    from aexl.reports.findings_sheet import findings_grid, summary_line
    from aexl.validate import validate_workbench

    wb, raw = read_book(book)
    if not raw:
        raise SheetError(
            "这个工作簿里没有 AE工作台 的登记表（工作单、修改单、签核……），无法校验", file=book.name
        )
    findings = validate_workbench(wb)  # includes the unreadable cells read_book found
    _clear_marks(book, raw)
    grid = findings_grid(findings)  # errors first
    places = _mark_cells(book, raw, grid.findings)
    rows = [[*r[:6], place, r[6]] for r, place in zip(grid.rows, ["位置", *places], strict=False)]
    _show_results(write_grid(book, RESULTS_SHEET, rows), grid)
    message = summary_line(grid.errors, grid.warnings)
    if findings:
        message += (
            f"。有问题的单元格已标色（红色为错误，黄色为警告），明细见「{RESULTS_SHEET}」表。"
        )
    alert(book, f"校验完成：{message}", critical=grid.errors > 0)


def _clear_marks(book, raw) -> None:
    """Cells marked by the previous run (listed on its 校验结果 sheet) lose their colour."""
    from aexl.excel.book import find_sheet, live_sheet
    from aexl.values import norm_header

    previous = live_sheet(book, RESULTS_SHEET)
    if previous is None or len(previous.rows) <= 1:
        return
    for line in previous.rows[1:]:
        sheet_name, row, column = (line + [None] * 3)[:3]
        live = raw.get(str(sheet_name)) if sheet_name else None
        col = live.columns.get(norm_header(column)) if live and column else None
        if col and isinstance(row, int | float) and row >= 2:
            find_sheet(book, live.name).range((int(row), col)).color = None


def _mark_cells(book, raw, findings) -> list[str]:
    """Colour each finding's cell (an error wins over a warning); the 位置 link of each."""
    from aexl.excel.book import column_letter, find_sheet
    from aexl.findings import ERROR
    from aexl.values import norm_header

    places, marks = [], {}
    for f in findings:
        live = raw.get(f.sheet)
        col = live.columns.get(norm_header(f.column)) if live and f.column else None
        place = ""
        if live and f.row:
            cell = f"{column_letter(col or 1)}{f.row}"
            place = f'=HYPERLINK("#\'{live.name}\'!{cell}","{live.name}!{cell}")'
            if col and marks.get((live.name, f.row, col)) != ERROR:
                marks[(live.name, f.row, col)] = f.severity
        places.append(place)
    for (sheet_name, row, col), severity in marks.items():
        fill = ERROR_FILL if severity == ERROR else WARNING_FILL
        find_sheet(book, sheet_name).range((row, col)).color = fill
    return places


def _show_results(sheet, grid) -> None:
    """Readable widths, wrapped 问题/怎么改 with row heights (so any program prints whole
    messages), the 代码 column hidden."""
    from aexl.reports.findings_sheet import FIX_COL, PROBLEM_COL

    for col in (PROBLEM_COL, FIX_COL):
        column = sheet.range((1, col), (len(grid.rows), col))
        column.column_width = grid.widths[col - 1]
        column.wrap_text = True
    for n, height in enumerate(grid.heights, start=1):
        if height:
            sheet.range((n, 1)).row_height = height
    sheet.range((1, 8), (len(grid.rows), 8)).column_width = 0  # width 0: Excel hides it


@handler
def print_job_sheet(book) -> None:
    """打印工作单: lay out the selected job as a printable A4 工作单 with signature boxes."""
    from aexl.excel.book import read_book
    from aexl.jobno import normalize_jobno

    _sheet, rows = _selected_register_rows(
        book, "工作单", "请先在「工作单」表中选中要打印的那项工作，再点「打印工作单」"
    )
    wb, _raw = read_book(book, need=("工作单",))
    rec = _record(wb.frames["工作单"], rows[0])
    jobno = normalize_jobno((rec or {}).get("工作号"))
    if not jobno:
        raise JobNumberError(f"第 {rows[0]} 行没有工作号，请先生成工作号再打印", sheet="工作单")
    from aexl.reports.jobsheet import jobsheet_data

    report = jobsheet_data(wb, jobno)
    sheet = write_report(book, PRINT_SHEET, report)
    try:
        sheet.page_setup.print_area = sheet.used_range.address
    except Exception:  # a print area is a convenience; not every host supports it
        log.debug("print area not set", exc_info=True)
    alert(book, f"工作单 {jobno} 已排好在「{PRINT_SHEET}」表，可直接打印（A4）。")


# --- 报告 group ---------------------------------------------------------------


@handler
def weekly_report(book) -> None:
    """生成周报: the 每周工作进度表 of the current ISO week. The desktop asks which copy
    (client or department); xlwings Server's alert cannot return an answer, so there both
    copies are written, each on its own sheet."""
    from aexl.excel.book import read_book
    from aexl.reports.weekly import CLIENT, weekly_reports
    from aexl.values import iso_week

    week = iso_week(ribbon.today())
    audiences = _weekly_audiences(book)
    if not audiences:
        return
    wb, _raw = read_book(book, need=("工作单",))
    written = []
    for audience in audiences:
        reports = weekly_reports(wb, week, audience=audience)
        if reports:
            sheet = WEEKLY_SHEET if audience == CLIENT else INTERNAL_WEEKLY_SHEET
            write_report(book, sheet, list(reports))
            written.append(f"「{sheet}」表（{len(reports)} 个品牌）")
    if not written:
        alert(book, f"{week} 没有任何品牌的进展、逾期、纪要或修改单记录，未生成周报。")
        return
    alert(book, f"{week} 的周报已写入{'、'.join(written)}。部门内部版含财务情况，不要发给客户。")


def _weekly_audiences(book) -> tuple[str, ...]:
    """Which copies to write: asked on the desktop; both where the host cannot answer."""
    from aexl.reports.weekly import CLIENT, INTERNAL

    answer = book.app.alert(
        "生成哪一份周报？\n「是」：发给客户的版本（不含财务情况、逾期纪要）\n"
        "「否」：部门内部版（含财务情况、逾期交付和逾期纪要）",
        title=TITLE,
        buttons="yes_no_cancel",
        mode="info",
    )
    return {"yes": (CLIENT,), "no": (INTERNAL,), "cancel": ()}.get(answer, (CLIENT, INTERNAL))


THUMB_HEIGHT = 60  # points
SERVER_SAMPLE_NOTE = "样稿：{path}（服务器上无法读取，请在桌面版中生成缩略图）"
UNSAVED_SAMPLE_NOTE = "样稿：{path}（工作簿尚未保存，找不到它所在的文件夹；请先保存工作簿再生成）"


def _on_server(book) -> bool:
    """Whether the book came from xlwings Server (Office.js) rather than desktop Excel."""
    try:
        return book.app.engine.name in ("remote", "officejs")
    except Exception:
        return False


@handler
def placement_list(book) -> None:
    """投放列表: the current week's placements per brand, sample images as thumbnails."""
    from aexl.excel.book import read_book
    from aexl.excel.render import placement_grid
    from aexl.period import Period
    from aexl.reports.placements import SAMPLE_COL, placement_lists
    from aexl.values import iso_week

    period = Period.week(iso_week(ribbon.today()))
    label, start, end = period.label, period.start, period.end
    wb, _raw = read_book(book, need=("投放",))
    folder = ribbon._book_folder(book)  # None: relative 样稿 paths cannot be resolved here
    unknown_note = SERVER_SAMPLE_NOTE if _on_server(book) else UNSAVED_SAMPLE_NOTE
    lay = placement_grid(placement_lists(wb.frame("投放"), start, end, folder), label, unknown_note)
    if not lay.grid:
        alert(book, f"{label} 没有投放记录，未生成投放列表。")
        return
    sheet = write_grid(book, PLACEMENTS_SHEET, lay.grid, header_rows=tuple(lay.header_rows))
    thumbs = lay.thumbnails
    if thumbs:
        with tempfile.TemporaryDirectory() as tmp:
            for row_number, thumbnail in thumbs:
                anchor = sheet.range((row_number, SAMPLE_COL))
                name = f"{PICTURE_PREFIX}sample_{row_number}"
                _picture(sheet, thumbnail, name, anchor, Path(tmp), THUMB_HEIGHT)
                sheet.range((row_number, 1)).row_height = THUMB_HEIGHT + 4
    extra = f"，嵌入 {len(thumbs)} 张样稿缩略图" if thumbs else ""
    alert(book, f"{label} 的投放列表已写入「{PLACEMENTS_SHEET}」表{extra}。")


@handler
def effect_charts(book) -> None:
    """效果图表: actual vs target per brand, campaign and metric, as pictures (CJK labels)."""
    from aexl.excel.book import read_book
    from aexl.excel.render import PICTURE_DPI, Layout
    from aexl.reports.charts import brands, chart_specs, render_pngs

    wb, _raw = read_book(book, need=("效果",))
    effects = wb.frame("效果")
    specs = [spec for brand in brands(effects) for spec in chart_specs(effects, brand)]
    if not specs:
        raise AexlError("「效果」表中没有可画图的数据：每行需要 日期、品牌 和 数值（或目标值）")
    lay = Layout()
    for spec, png in zip(specs, render_pngs(specs, dpi=PICTURE_DPI), strict=True):
        lay.add([spec.title if spec.brand in spec.title else f"{spec.brand}　{spec.title}"])
        lay.add_picture(png)
    write_layout(book, CHARTS_SHEET, lay.squared())
    alert(book, f"已在「{CHARTS_SHEET}」表插入 {len(specs)} 张效果追踪图（实际值与目标值）。")


@handler
def monthly_summary(book) -> None:
    """月度总结: the monthly summary of the previous month on the 月度总结 sheet."""
    from aexl.excel.book import read_book
    from aexl.values import previous_month

    month = previous_month(ribbon.today())
    wb, _raw = read_book(book, need=("工作单",))
    from aexl.reports.monthly import monthly_reports

    reports = list(monthly_reports(wb, month))
    if not reports:
        alert(book, f"{month} 没有任何品牌的工作记录，未生成月度总结。")
        return
    write_report(book, MONTHLY_SHEET, reports)
    alert(book, f"{month} 的月度工作总结（{len(reports)} 个品牌）已写入「{MONTHLY_SHEET}」表。")
