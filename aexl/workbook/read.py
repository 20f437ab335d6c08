"""Reading an AE workbench (PRODUCT.md §1) into pandas DataFrames.

Sheets and headers are matched after NFKC normalisation and trimming, in any
column order; extra columns are kept; blank rows are skipped. Values are
parsed by ``aexl.values``; a cell that cannot be read becomes ``None`` plus a
finding that names sheet, Excel row and column. Files are read with
python-calamine (Rust), never cell by cell with openpyxl.

No cell is passed over: an Excel error value (``#REF!``) is its own finding,
a number that is not finite (``inf``, ``1e999``, NaN) is a finding, and the
value of a merged cell applies to every row it covers. The extent a sheet
declares is never trusted: before calamine builds a sheet (it allocates
rows × columns), the sheet's XML is streamed once (``aexl.workbook.extent``)
to find where its cells really are and which hold error values; a sheet past
Excel's limits or past ``AEXL_MAX_ROWS`` rows ends in one ``SheetError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aexl import schema
from aexl.errors import AexlError, InputFileError, SheetError
from aexl.findings import ERROR, Finding
from aexl.values import PARSERS, ExcelError, excel_error, is_blank, non_finite, norm_header

ROW_COLUMN = "_row"  # Excel row number of each record
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".xla", ".xlam", ".ods"}


@dataclass
class Workbench:
    """The registers of one workbench, parsed."""

    path: Path | None
    frames: dict = field(default_factory=dict)  # sheet name -> DataFrame
    findings: list[Finding] = field(default_factory=list)  # unreadable cells
    bad_cells: set[tuple[str, int, str]] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.path.name if self.path else "当前工作簿"

    def has_sheet(self, sheet: str) -> bool:
        return sheet in self.frames

    def frame(self, sheet: str):
        """The register's DataFrame; an empty one with the contract's columns if absent."""
        if sheet in self.frames:
            return self.frames[sheet]
        return empty_frame(schema.BY_SHEET[sheet])

    def calendar(self):
        """The working-day calendar extended by this workbench's 节假日 sheet."""
        from aexl.workcal import WorkCalendar

        return WorkCalendar.from_holidays(self.frame(schema.HOLIDAYS.sheet))


def empty_frame(register: schema.Register):
    import pandas as pd

    return pd.DataFrame({name: pd.Series(dtype=object) for name in [*register.headers, ROW_COLUMN]})


def parse_register(
    register: schema.Register,
    rows: list[list],
    *,
    file: str | None = None,
    first_row: int = 1,
) -> tuple[object, list[Finding], set]:
    """Turn a header row plus value rows into the register's parsed DataFrame.

    ``rows[0]`` is the header row, found at Excel row ``first_row``. Used by
    the file reader and by the Excel adapters (values read from a live Book).
    Returns (frame, findings, bad_cells).
    """
    import pandas as pd

    if not rows:
        raise SheetError("工作表是空的，第 1 行应是表头", file=file, sheet=register.sheet)
    headers = [norm_header(h) for h in rows[0]]
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        if h and h not in index:
            index[h] = i
    missing = [
        c.name for c in register.columns if norm_header(c.name) not in index and not c.optional
    ]
    if missing:
        raise SheetError(
            f"第 {first_row} 行缺少表头「{'、'.join(missing)}」，"
            "请补上这些列（列的顺序不限，可参照 aexl init 生成的模板）",
            file=file,
            sheet=register.sheet,
        )
    width = len(headers)
    body = rows[1:]
    keep = [n for n, r in enumerate(body) if not _BLANKS.issuperset(r)]
    # Transpose once (C speed); ragged rows from live Excel values are padded.
    kept = [body[n] for n in keep]
    if any(len(r) != width for r in kept):
        kept = [(list(r) + [None] * width)[:width] for r in kept]
    columns = list(zip(*kept, strict=True)) if kept else [()] * width
    excel_rows = [first_row + 1 + n for n in keep]
    data, findings, bad = _parse_columns(register, index, columns, excel_rows)
    contract = {norm_header(c.name) for c in register.columns}
    for i, h in enumerate(headers):
        if h and h not in contract and h not in data and h != ROW_COLUMN:
            data[h] = _plain(columns[i])
    data[ROW_COLUMN] = excel_rows
    # Rows holding only whitespace parse to nothing: drop them as blank rows.
    empty = _empty_rows(data, [c.name for c in register.columns], len(excel_rows))
    flagged = {f.row for f in findings}
    drop = {n for n in empty if excel_rows[n] not in flagged}
    if drop:
        data = {k: [v for n, v in enumerate(vs) if n not in drop] for k, vs in data.items()}
    return pd.DataFrame(data, dtype=object), findings, bad


def _empty_rows(data: dict[str, list], parsed: list[str], count: int) -> list[int]:
    """Positions of the rows whose parsed columns are all blank (None or NaN), found column
    by column among the rows still blank so far (one full pass over the first column)."""
    blank = range(count)
    for name in parsed:
        values = data[name]
        blank = [n for n in blank if values[n] is None or values[n] != values[n]]
        if not blank:
            break
    return list(blank)


def _parse_columns(register, index, columns, excel_rows):
    """The contract's columns parsed: (data by column, findings, bad cells)."""
    data: dict[str, list] = {}
    findings: list[Finding] = []
    bad: set[tuple[str, int, str]] = set()
    for col in register.columns:
        i = index.get(norm_header(col.name))
        if i is None:  # an optional column the workbench does not have yet
            data[col.name] = [None] * len(excel_rows)
            continue
        values, errors = _parse_column(columns[i], PARSERS[col.kind])
        for pos, code, message in errors:
            row = excel_rows[pos]
            findings.append(Finding(register.sheet, row, col.name, ERROR, code, message))
            bad.add((register.sheet, row, col.name))
        data[col.name] = values
    return data, findings, bad


_BLANKS = frozenset({"", None})
_BAD = object()


def _parse_column(raw, parser) -> tuple[list, list[tuple[int, str, str]]]:
    """Parse each distinct value once; return values and (position, code, message) errors."""
    results: dict = {}
    messages: dict = {}
    for value in dict.fromkeys(raw):
        try:
            results[value] = _parse_cell(value, parser)
        except _CellProblem as exc:
            results[value] = _BAD
            messages[value] = (exc.code, exc.message)
        except (ValueError, TypeError) as exc:
            results[value] = _BAD
            text = str(exc) if isinstance(exc, ValueError) else "无法识别该单元格的内容"
            messages[value] = ("cell.unreadable", text)
    values = list(map(results.__getitem__, raw))
    if not messages:
        return values, []
    errors = [(pos, *messages[v]) for pos, v in enumerate(raw) if v in messages]
    return [None if v is _BAD else v for v in values], errors


class _CellProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _parse_cell(value, parser):
    """``parser(value)``, but an error value or a non-finite number is never read as anything."""
    kind = type(value)
    if kind is str:  # the usual cell: text not starting with # goes straight to the parser
        if value[:1] != "#":
            return parser(value)
        value = excel_error(value) or value  # text exactly like #N/A: live values give that
    if type(value) is ExcelError:
        raise _CellProblem(
            "cell.error",
            f"单元格是错误值 {value.code}，请修正公式或引用，或改填实际内容",
        )
    if non_finite(value):
        raise _CellProblem(
            "cell.unreadable",
            "单元格中的数字不是有限数（无穷大或非数字），请填写实际数值",
        )
    return parser(value)


def _plain(values) -> list:
    """Values of a column the contract does not know: error values as their text."""
    return [str(v) if type(v) is ExcelError else v for v in values]


def check_input_file(
    path: str | Path,
    suffixes=EXCEL_SUFFIXES,
    wrong_suffix: str = "不是 Excel 工作簿（应为 .xlsx 或 .xlsm 文件）",
) -> Path:
    """The path, if it names an existing file with one of ``suffixes``; InputFileError otherwise."""
    path = Path(path)
    if not path.exists():
        raise InputFileError("找不到该文件，请检查路径和文件名", file=path)
    if path.is_dir():
        raise InputFileError("这是一个文件夹，不是 Excel 工作簿", file=path)
    if path.suffix.lower() not in suffixes:
        raise InputFileError(wrong_suffix, file=path)
    return path


def open_calamine(path: str | Path):
    """Open a workbook with python-calamine, translating failures to InputFileError."""
    from python_calamine import CalamineWorkbook

    path = check_input_file(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except PermissionError:
        raise InputFileError("文件无法打开：没有读取权限或被其他程序占用", file=path) from None
    except Exception:
        raise InputFileError(
            "无法读取：文件已损坏、被加密或不是真正的 Excel 工作簿，请在 Excel 中打开后另存为 .xlsx",
            file=path,
        ) from None


def sheet_rows(book, sheet_name: str, package=None) -> list[list]:
    """All rows of a sheet from A1, empty cells as '', error values as ``ExcelError``.

    The sheet's real extent is checked before calamine builds it (SheetError
    when too large); the value of a merged cell fills the rows it covers.
    ``package``: the file opened once for all its sheets (``extent.open_package``).
    """
    from aexl.workbook import extent

    path = getattr(book, "path", None)
    scan = extent.scan_sheet(path, sheet_name, package) if path else None
    if extent.needs_copy(scan):  # newer error values (#SPILL!) that calamine refuses
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(extent.readable_copy(path, scan))
    sheet = book.get_sheet_by_name(sheet_name)
    if scan is None:  # not an .xlsx/.xlsm package: check what calamine built
        extent.check_size(sheet.height, sheet.width, file=path, sheet=sheet_name)
    rows = sheet.to_python(skip_empty_area=False)
    if scan is not None:
        extent.place_errors(rows, scan.errors)
    extent.fill_merged(rows, sheet.merged_cell_ranges or ())
    return rows


def collect_registers(
    wb: Workbench,
    rows_of,
    *,
    need: tuple[str, ...] = (),
    sheets: tuple[str, ...] | None = None,
    file: str | None = None,
) -> list[str]:
    """Parse every register that ``rows_of(sheet)`` finds into ``wb``.

    ``rows_of`` returns a sheet's rows from A1, or None when the workbook has
    no such sheet. Sheets in ``need`` must exist and have a header row.
    Returns the registers read, in order. Shared by the file reader and the
    Excel adapters, so a ribbon button sees what ``aexl check`` sees.
    """
    read: list[str] = []
    for sheet in (*need, *(sheets if sheets is not None else tuple(schema.BY_SHEET))):
        if sheet in wb.frames:
            continue
        rows = rows_of(sheet)
        if rows is None:
            if sheet in need:
                raise SheetError(
                    f"缺少工作表「{sheet}」，请添加该工作表（可参照 aexl init 生成的模板）",
                    file=file,
                )
            continue
        if not rows or all(is_blank(v) for v in rows[0]):
            if sheet in need:
                raise SheetError("第 1 行应是表头，但它是空的", file=file, sheet=sheet)
            continue  # an empty sheet counts as absent
        frame, findings, bad = parse_register(schema.BY_SHEET[sheet], rows, file=file)
        wb.frames[sheet] = frame
        wb.findings.extend(findings)
        wb.bad_cells |= bad
        read.append(sheet)
    return read


def read_workbench(
    path: str | Path,
    *,
    need: tuple[str, ...] = (),
    sheets: tuple[str, ...] | None = None,
) -> Workbench:
    """Read every register sheet present (or just ``sheets``).

    ``need`` lists sheets that must exist: a missing one raises SheetError.
    """
    from aexl.workbook.extent import open_package

    path = Path(path)
    book = open_calamine(path)
    by_norm = {norm_header(name): name for name in book.sheet_names}
    package = open_package(path)  # the sheets' XML scans share one opening of the file

    def rows_of(sheet: str):
        actual = by_norm.get(norm_header(sheet))
        if actual is None:
            return None
        try:
            return sheet_rows(book, actual, package)
        except AexlError:
            raise
        except Exception:
            raise InputFileError(f"工作表「{actual}」无法读取，文件可能已损坏", file=path) from None

    wb = Workbench(path=path)
    try:
        collect_registers(wb, rows_of, need=need, sheets=sheets, file=str(path))
    finally:
        if package is not None:
            package.close()
    return wb
