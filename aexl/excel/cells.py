"""Shape-preserving cell mapping for the worksheet functions (UDFs).

Excel hands a UDF either a single value or a range as a list of rows
(``@xw.arg(..., ndim=2)``); the answer must have the same shape, one result
per cell. A bad cell yields a readable Chinese error string in that cell
only, never an exception into Excel. Empty cells give empty results; an
Excel error value in an input (``#N/A``…) gives that error value back: the
UDFs read their arguments with xlwings' ``err_to_str`` option, so an error
cell arrives as its text (``"#N/A"``), and a result of that text becomes the
error again (xlwings Server converts it; the desktop add-in's VBA wrappers
turn it into ``CVErr``).

Pure Python: no xlwings, no pandas, so it is tested without Excel and costs
nothing to import.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence

log = logging.getLogger("aexl.udfs")

EMPTY = ""
ERROR_PREFIX = "错误："
SHAPE_ERROR = (
    ERROR_PREFIX + "各参数的区域大小不一致（{shapes}），请选同样行数和列数的区域，或只选一个单元格"
)


# Excel's error values as xlwings' err_to_str gives them (and as a result turns back).
EXCEL_ERRORS = frozenset(
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
        "#GETTING_DATA", "#SPILL!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!",
        "#FIELD!", "#CALC!", "#BUSY!", "#DATA!",
    }
)  # fmt: skip
# COM delivers an error cell as HRESULT 0x800A0000 + xlErr code; xlwings names only
# the seven classic ones, newer ones (#SPILL!, #CALC!…) arrive as the bare number.
_COM_ERROR_BASE = -2146828288
_XL_ERROR_CODES = {
    2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?",
    2036: "#NUM!", 2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!", 2046: "#CONNECT!",
    2047: "#BLOCKED!", 2048: "#UNKNOWN!", 2049: "#FIELD!", 2050: "#CALC!", 2051: "#BUSY!",
}  # fmt: skip


class ExcelErrorValue(Exception):
    """Raised inside a cell function: that cell shows the Excel error ``code``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def excel_error(value) -> str | None:
    """The Excel error value an input cell holds (``"#N/A"``…), or None."""
    if value.__class__ is str:
        return value if value in EXCEL_ERRORS else None
    if value.__class__ is int:
        return _XL_ERROR_CODES.get(value - _COM_ERROR_BASE)
    return None


def first_error(value) -> str | None:
    """The first Excel error value in a scalar or range, or None."""
    for cell in flatten(value):
        code = excel_error(cell)
        if code is not None:
            return code
    return None


def is_range(value) -> bool:
    return isinstance(value, list | tuple)


def is_empty(value) -> bool:
    """An empty cell as Excel/xlwings delivers it: None, '', NaN or only spaces."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def as_grid(value) -> list[list]:
    """A scalar, a 1-D list (taken as a column) or a list of rows → a list of rows."""
    if not is_range(value):
        return [[value]]
    if not value:
        return [[None]]
    if not is_range(value[0]):
        return [[v] for v in value]
    return [list(row) if row else [None] for row in value]


def flatten(value) -> list:
    """Every cell of a scalar or range, row by row."""
    return [cell for row in as_grid(value) for cell in row]


def _like(template, grid: list[list]):
    """Give ``grid`` the shape ``template`` came in: scalar, 1-D list or rows."""
    if not is_range(template):
        return grid[0][0]
    if template and not is_range(template[0]):
        return [row[0] for row in grid]
    return grid


def error_text(exc: BaseException) -> str:
    """The Chinese one-liner a cell shows for a failed computation."""
    from aexl.errors import AexlError, log_internal_error

    if isinstance(exc, AexlError | ValueError):
        text = " ".join(str(exc).split())
        return text if text.startswith(ERROR_PREFIX) else ERROR_PREFIX + text
    log_internal_error(f"UDF ({type(exc).__name__})", exc)
    return f"{ERROR_PREFIX}内部错误（{type(exc).__name__}），请把这个单元格的公式和数据发给维护人员"


def _key(value):
    # 1, 1.0 and True hash alike; the type keeps them apart.
    return (type(value), value)


def map_cells(
    func: Callable,
    *args,
    blank: Sequence[int] = (0,),
    cache: bool = True,
):
    """Apply ``func`` cell by cell over scalars and ranges; return the same shape.

    Ranges broadcast like NumPy: every range must have the same number of rows
    (or one row) and the same number of columns (or one column); a scalar
    applies to every cell. A cell where any argument at a position in
    ``blank`` is empty gives ``""``; an Excel error value in any argument gives
    that error. An ``AexlError`` / ``ValueError`` becomes an error string in
    that cell only, an ``ExcelErrorValue`` its Excel error. With ``cache`` each distinct argument
    tuple is computed once (10,000 cells of 200 names → 200 calls).
    """
    grids = [as_grid(a) for a in args]
    rows = max(len(g) for g in grids)
    cols = max(len(g[0]) for g in grids)
    for g in grids:
        if len(g) not in (1, rows) or any(len(r) not in (1, cols) for r in g):
            shapes = "、".join(f"{len(g)}行×{len(g[0])}列" for g in grids)
            return SHAPE_ERROR.format(shapes=shapes)
    # Per argument: its rows stretched to `rows`, each row to `cols` cells.
    columns = []
    for g in grids:
        stretched = [r * cols if len(r) == 1 else r for r in g]
        columns.append(stretched * rows if len(stretched) == 1 else stretched)
    compute = _cell_function(func, blank)
    if len(columns) == 1:  # the common case: one range, keyed by the cell itself
        out = _map_one(columns[0], compute, cache)
    else:
        out = _map_many(columns, rows, cols, compute, cache)
    ranges = [a for a in args if is_range(a)]
    if not ranges:
        return out[0][0]
    if cols == 1 and all(a and not is_range(a[0]) for a in ranges):
        return [r[0] for r in out]  # 1-D in, 1-D out
    return out


def _cell_function(func: Callable, blank: Sequence[int]) -> Callable:
    """``func`` over one cell's argument tuple: errors, empties and failures as cell values."""

    def compute(cell_args):
        for value in cell_args:
            code = excel_error(value)
            if code is not None:
                return code  # #N/A in, #N/A out
        if any(is_empty(cell_args[k]) for k in blank):
            return EMPTY
        try:
            result = func(*cell_args)
        except ExcelErrorValue as exc:
            result = exc.code
        except Exception as exc:  # never into Excel
            result = error_text(exc)
        return EMPTY if result is None else result

    return compute


def _map_one(grid: list[list], compute: Callable, cache: bool) -> list[list]:
    """``compute`` over one stretched range, each distinct cell once when ``cache``."""
    memo: dict = {}
    miss = memo  # a sentinel no result can be
    out: list[list] = []
    for source in grid:
        out_row = []
        for value in source:
            if not cache:
                out_row.append(compute((value,)))
                continue
            try:
                key = (value.__class__, value)
                result = memo.get(key, miss)
            except TypeError:  # an unhashable cell value
                key, result = None, miss
            if result is miss:
                result = compute((value,))
                if key is not None:
                    memo[key] = result
            out_row.append(result)
        out.append(out_row)
    return out


def _map_many(
    columns: list[list[list]], rows: int, cols: int, compute: Callable, cache: bool
) -> list[list]:
    """``compute`` over several stretched ranges, each distinct tuple once when ``cache``."""
    memo: dict = {}
    miss = memo  # a sentinel no result can be
    out: list[list] = []
    for i in range(rows):
        out_row = []
        for j in range(cols):
            cell_args = tuple([c[i][j] for c in columns])
            if not cache:
                out_row.append(compute(cell_args))
                continue
            try:
                key = tuple([(v.__class__, v) for v in cell_args])
                result = memo.get(key, miss)
            except TypeError:
                key, result = None, miss
            if result is miss:
                result = compute(cell_args)
                if key is not None:
                    memo[key] = result
            out_row.append(result)
        out.append(out_row)
    return out


def map_distinct(batch: Callable[[list], Iterable], value, single: Callable | None = None):
    """Compute ``batch`` once over the distinct non-empty cells of ``value``.

    ``batch(list_of_values)`` returns one result per value. When the batch
    fails with a user error, each value is retried alone (``single``, default
    ``batch([v])[0]``) so that only the bad cell shows the error.
    """
    grid = as_grid(value)
    distinct: dict = {}
    for row in grid:
        for cell in row:
            if not is_empty(cell) and excel_error(cell) is None:
                try:
                    distinct.setdefault(_key(cell), cell)
                except TypeError:
                    distinct.setdefault((type(cell), repr(cell)), cell)
    keys = list(distinct)
    values = [distinct[k] for k in keys]
    results: dict = {}
    if values:
        try:
            results = dict(zip(keys, batch(values), strict=True))
        except Exception:
            one = single or (lambda v: list(batch([v]))[0])
            for k, v in zip(keys, values, strict=True):
                try:
                    results[k] = one(v)
                except Exception as exc:
                    results[k] = error_text(exc)
    out = []
    for row in grid:
        out_row = []
        for cell in row:
            if is_empty(cell):
                out_row.append(EMPTY)
                continue
            code = excel_error(cell)
            if code is not None:
                out_row.append(code)
                continue
            try:
                result = results[_key(cell)]
            except TypeError:
                result = results[(type(cell), repr(cell))]
            out_row.append(EMPTY if result is None else result)
        out.append(out_row)
    return _like(value, out)
