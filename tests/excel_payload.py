"""The JSON payload xlwings Server's Office.js client sends, built from an openpyxl workbook.

Mirrors ``getBookData`` of xlwings-server's ``static/js/custom-scripts``:
``client``/``version``, ``book`` (name, active sheet position, selection,
calculation mode), workbook-scoped ``names`` and, per sheet, its name,
visibility, used range and the values from A1 to the last used cell (empty
cells as ``""``, date-formatted cells as ISO strings ending in ``Z``), plus the
pictures, shapes, charts, tables, notes and pivot tables lists. Feed it to
``xw.Book(json=payload)`` to drive a handler through xlwings' remote engine.

:func:`function_call` is the body Office.js posts to
``/xlwings/custom-functions-call`` when a sheet calculates a custom function.
"""

from __future__ import annotations

import datetime as dt
import os

from openpyxl.utils import get_column_letter

# xlwings' remote (xlwings Server) and officejs engines are licence-gated and
# registered when xlwings is first imported. Tests run them under the
# noncommercial licence; commercial use of xlwings Server needs a licence key.
LICENCE = "noncommercial"


def ensure_remote_engine():
    """Make ``xw.Book(json=...)`` work in this process; returns the xlwings module.

    Sets ``XLWINGS_LICENSE_KEY`` when unset and, when xlwings was already
    imported without it (another test module imported it first), registers
    the remote and officejs engines the way xlwings' ``__init__`` does.
    """
    os.environ.setdefault("XLWINGS_LICENSE_KEY", LICENCE)
    import xlwings as xw

    names = {engine.name for engine in xw.engines}
    if not {"remote", "officejs"} <= names:
        from xlwings.main import Engine
        from xlwings.pro import _xlofficejs, _xlremote

        if "remote" not in names:
            xw.engines.add(Engine(impl=_xlremote.engine))
        if "officejs" not in names:
            xw.engines.add(Engine(impl=_xlofficejs.engine))
        xw.__pro__ = True
    return xw


def _cell_json(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    if isinstance(value, dt.time):
        return value.hour / 24 + value.minute / 1440 + value.second / 86400
    return value


def _extent(ws) -> tuple[int, int, int, int] | None:
    """(min_row, min_col, max_row, max_col) of the cells holding a value, or None."""
    rows, cols = [], []
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None and cell.value != "":
                rows.append(cell.row)
                cols.append(cell.column)
    if not rows:
        return None
    return min(rows), min(cols), max(rows), max(cols)


def _address(r1: int, c1: int, r2: int, c2: int) -> str:
    first = f"{get_column_letter(c1)}{r1}"
    last = f"{get_column_letter(c2)}{r2}"
    return first if first == last else f"{first}:{last}"


def _table_json(ws, table) -> dict:
    from openpyxl.utils.cell import range_boundaries

    c1, r1, c2, r2 = range_boundaries(table.ref)
    headers = table.headerRowCount != 0
    totals = bool(table.totalsRowCount)
    body_top = r1 + (1 if headers else 0)
    body_bottom = r2 - (1 if totals else 0)
    style = table.tableStyleInfo
    return {
        "name": table.displayName,
        "range_address": _address(r1, c1, r2, c2),
        "row_count": r2 - r1 + 1,
        "column_count": c2 - c1 + 1,
        "columns": [col.name for col in table.tableColumns]
        or [str(ws.cell(row=r1, column=c).value) for c in range(c1, c2 + 1)],
        "header_row_range_address": _address(r1, c1, r1, c2) if headers else None,
        "data_body_range_address": _address(body_top, c1, body_bottom, c2),
        "total_row_range_address": _address(r2, c1, r2, c2) if totals else None,
        "show_headers": headers,
        "show_totals": totals,
        "table_style": style.name if style is not None else None,
        "show_autofilter": table.autoFilter is not None,
        "show_table_style_first_column": bool(style and style.showFirstColumn),
        "show_table_style_last_column": bool(style and style.showLastColumn),
        "show_table_style_row_stripes": bool(style and style.showRowStripes),
        "show_table_style_column_stripes": bool(style and style.showColumnStripes),
    }


def sheet_json(ws) -> dict:
    extent = _extent(ws)
    if extent is None:
        values = [[""]]
        used = {"used_range_address": None, "used_range_row_count": 0, "used_range_column_count": 0}
    else:
        r1, c1, r2, c2 = extent
        values = [
            [_cell_json(ws.cell(row=r, column=c).value) for c in range(1, c2 + 1)]
            for r in range(1, r2 + 1)
        ]
        used = {
            "used_range_address": _address(r1, c1, r2, c2),
            "used_range_row_count": r2 - r1 + 1,
            "used_range_column_count": c2 - c1 + 1,
        }
    notes = [
        {"address": cell.coordinate}
        for row in ws.iter_rows()
        for cell in row
        if cell.comment is not None
    ]
    return {
        "name": ws.title,
        "visibility": {"visible": "Visible", "hidden": "Hidden"}.get(ws.sheet_state, "VeryHidden"),
        "show_gridlines": bool(ws.sheet_view.showGridLines is not False),
        "print_area": ws.print_area.replace("$", "").split("!")[-1] if ws.print_area else None,
        "notes": notes,
        "notes_supported": True,
        **used,
        "values": values,
        "pictures": [],
        "shapes": [],
        "charts": [],
        "tables": [_table_json(ws, t) for t in ws.tables.values()],
        "pivot_tables": [],
    }


def book_payload(
    workbook,
    *,
    name: str = "AE工作台.xlsx",
    active_sheet: str | None = None,
    selection: str | None = "A1",
    version: str | None = None,
) -> dict:
    """The request body xlwings Server's JS client sends for ``workbook`` (an openpyxl Workbook)."""
    xw = ensure_remote_engine()

    active = workbook[active_sheet] if active_sheet else workbook.active
    names = []
    for defined in workbook.defined_names.values():
        destinations = list(defined.destinations)
        sheet_name, ref = destinations[0] if len(destinations) == 1 else (None, None)
        names.append(
            {
                "name": defined.name,
                "refers_to": f"={defined.attr_text}",
                "type": "Range" if sheet_name else "String",
                "sheet_index": workbook.sheetnames.index(sheet_name) if sheet_name else None,
                "address": ref.replace("$", "") if ref else None,
                "scope_sheet_name": None,
                "scope_sheet_index": None,
                "book_scope": True,
            }
        )
    return {
        "client": "Office.js",
        "version": version or xw.__version__,
        "book": {
            "name": name,
            "active_sheet_index": workbook.sheetnames.index(active.title),
            "selection": selection,
            "calculation": "Automatic",
        },
        "names": names,
        "sheets": [sheet_json(ws) for ws in workbook.worksheets],
    }


def function_call(func_name: str, *args, version: str | None = None) -> dict:
    """The body Office.js posts to ``/xlwings/custom-functions-call`` (ranges as lists of rows)."""
    xw = ensure_remote_engine()
    return {
        "func_name": func_name,
        "args": list(args),
        "caller_address": "Sheet1!B1",
        "version": version or xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "culture_info_name": "zh-CN",
        "date_format": "yyyy/m/d",
    }
