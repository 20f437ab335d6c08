"""A new AE workbench (PRODUCT.md §1), empty or filled, in the house layout.

Every sheet of ``schema.REGISTERS`` in order, each with:

- the contract's headers in row 1, styled and frozen;
- an Excel table (``schema.Register.table``) over the header and the data
  rows — an Excel table needs at least one data row, so an empty register
  gets ``empty_rows`` blank rows (default 200) to type into;
- a drop-down list (data validation) on every ENUM column over those rows;
- date / datetime / money / percent / text number formats and the schema's
  column widths;
- a note (comment) on every header cell saying what goes in the column.

``new_workbench(data)`` builds the openpyxl workbook (``data`` maps a sheet
name to rows of values in the contract's column order, as the sample
generator provides); ``write_workbench(path, data, force=...)`` saves it
atomically and refuses to overwrite an existing file unless ``force``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from aexl import schema
from aexl.errors import AexlError, UsageError

DEFAULT_EMPTY_ROWS = 200
TABLE_STYLE = "TableStyleMedium2"
COMMENT_AUTHOR = "aexl"

NUMBER_FORMATS = {
    schema.DATE: "yyyy-mm-dd",
    schema.DATETIME: "yyyy-mm-dd hh:mm",
    schema.MONEY: '"¥"#,##0.00',
    schema.PERCENT: '0"%"',
    schema.INT: "0",
    schema.NUMBER: "#,##0.##",
    # typed text must stay text: Excel would turn 2026-10 into a date
    schema.WEEK: "@",
    schema.MONTH: "@",
}

KIND_HINTS = {
    schema.TEXT: "文字",
    schema.DATE: "日期，如 2026-11-26",
    schema.DATETIME: "日期和时间，如 2026-11-26 14:30",
    schema.MONEY: "金额（元），如 12000、¥12,000 或 1.2万",
    schema.NUMBER: "数字，如 1200 或 3.5",
    schema.INT: "整数，如 1、2、3",
    schema.PERCENT: "百分比 0–100，如 60 或 60%",
    schema.WEEK: "ISO 周次，如 2026-W47",
    schema.MONTH: "月份，如 2026-10",
    schema.ENUM: "从下拉列表中选择",
}


def column_description(register: schema.Register, column: schema.Column) -> str:
    """The header note: the schema's note, the kind of value and the allowed values."""
    parts = [f"【{column.name}】"]
    if column.note:
        parts.append(column.note)
    hint = KIND_HINTS.get(column.kind, "")
    if hint and (not column.note or column.kind in (schema.ENUM,)):
        parts.append(hint)
    if column.choices:
        parts.append("可选：" + "、".join(column.choices))
    if column is register.columns[0] and register.note:
        parts.append(f"（本表：{register.note}）")
    return "\n".join(parts)


# Drop-downs cover the whole column, so rows added later (by hand or by
# ``aexl jobno new``) get them too.
VALIDATION_LAST_ROW = 1_048_576


def _validation(column: schema.Column):
    from openpyxl.worksheet.datavalidation import DataValidation

    listed = ",".join(column.choices)
    dv = DataValidation(
        type="list",
        formula1=f'"{listed}"',
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell arrow
        showErrorMessage=True,
        showInputMessage=False,
        errorStyle="stop",
        errorTitle=f"{column.name}：无效的值",
        error=f"请从下拉列表中选择：{'、'.join(column.choices)}",
    )
    return dv


def _header_cells(ws, register: schema.Register) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from aexl.workbook import write as xo

    # the reports' header band (aexl.workbook.write.HEADER), as openpyxl styles
    font = Font(name=xo.FONT_NAME, size=10, bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=xo.NAVY.lstrip("#"))
    side = Side(style="thin", color=xo.GREY_LINE.lstrip("#"))
    border = Border(left=side, right=side, top=side, bottom=side)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, column in enumerate(register.columns, start=1):
        cell = ws.cell(row=1, column=col, value=column.name)
        cell.data_type = "s"
        cell.font, cell.fill, cell.border, cell.alignment = font, fill, border, center
        text = column_description(register, column)
        comment = Comment(text, COMMENT_AUTHOR)
        lines = text.count("\n") + 1 + len(text) // 18
        comment.width = 240
        comment.height = max(60, 18 * lines)
        cell.comment = comment
    ws.row_dimensions[1].height = 22


def fill_sheet(ws, register: schema.Register, rows: Sequence[Sequence] = (), *, empty_rows=None):
    """Lay out one register on an empty worksheet; ``rows`` in contract column order."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    from aexl.workbook.write import FORMULA_START

    if empty_rows is None:
        empty_rows = DEFAULT_EMPTY_ROWS
    width = len(register.columns)
    _header_cells(ws, register)
    formats = [NUMBER_FORMATS.get(c.kind) for c in register.columns]
    for r, values in enumerate(rows, start=2):
        if len(values) > width:
            raise ValueError(f"{register.sheet}: row {r} has {len(values)} values > {width}")
        for c, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
                if value.startswith(FORMULA_START):
                    cell.quotePrefix = True
            fmt = formats[c - 1]
            if fmt:
                cell.number_format = fmt
    last = max(len(rows), 0) + 1
    # an Excel table needs at least one data row; an empty register gets rows to type into
    last_row = max(last, 1 + (empty_rows if not rows else 0), 2)
    for c, fmt in enumerate(formats, start=1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = register.columns[c - 1].width
        if fmt:
            for r in range(last + 1, last_row + 1):
                ws.cell(row=r, column=c).number_format = fmt
    ref = f"A1:{get_column_letter(width)}{last_row}"
    table = Table(displayName=register.table, ref=ref)
    table.tableStyleInfo = TableStyleInfo(
        name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False
    )
    ws.add_table(table)
    for c, column in enumerate(register.columns, start=1):
        if column.kind == schema.ENUM and column.choices:
            dv = _validation(column)
            letter = get_column_letter(c)
            dv.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.sheet_view.zoomScale = 100
    return ws


def new_workbench(
    data: Mapping[str, Sequence[Sequence]] | None = None,
    *,
    empty_rows: int | None = None,
):
    """An openpyxl Workbook with every register; ``data`` maps sheet → value rows."""
    from openpyxl import Workbook

    data = data or {}
    unknown = set(data) - set(schema.BY_SHEET)
    if unknown:
        raise KeyError(f"not a register: {sorted(unknown)}")
    wb = Workbook()
    wb.remove(wb.active)
    for register in schema.REGISTERS:
        ws = wb.create_sheet(register.sheet)
        fill_sheet(ws, register, data.get(register.sheet, ()), empty_rows=empty_rows)
    wb.active = 1  # 工作单: where the AE starts
    for n, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = n == 1
    wb.properties.creator = "aexl"
    wb.properties.title = "AE工作台"
    return wb


def check_target(path: str | Path, *, force: bool = False) -> Path:
    """Validate the output path of a new workbench; refuse to overwrite unless ``force``."""
    path = Path(path)
    if path.suffix == "":
        path = path.with_suffix(".xlsx")
    if path.suffix.lower() != ".xlsx":
        raise UsageError(
            f"新工作台只能保存为 .xlsx 文件（收到「{path.name}」），请把文件名改为以 .xlsx 结尾"
        )
    if path.is_dir():
        raise AexlError(
            "这是一个文件夹，请给出新工作簿的文件名，如 星河食品_AE工作台.xlsx", file=path
        )
    if path.exists() and not force:
        raise AexlError(
            "文件已存在，为避免覆盖已有数据未写入；请换一个文件名，或确认要覆盖时加 --force",
            file=path,
        )
    return path


def write_workbench(
    path: str | Path,
    data: Mapping[str, Sequence[Sequence]] | None = None,
    *,
    force: bool = False,
    empty_rows: int | None = None,
) -> Path:
    """Write a new workbench atomically; returns the path written."""
    from aexl.workbook.write import atomic_save

    path = check_target(path, force=force)
    wb = new_workbench(data, empty_rows=empty_rows)
    return atomic_save(wb, path)
