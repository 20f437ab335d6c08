"""Where a sheet's cells really are, found before calamine builds the sheet.

python-calamine allocates one slot per cell of the rectangle from the first
to the last cell it finds: one stray cell at XFD1048576 asks for 512 GiB. So
the sheet's XML is streamed once (decompressed in chunks, never held whole)
to find its last row and column and the cells holding Excel error values
(calamine reads those as empty). The ``<dimension>`` a file declares is
never used. A sheet past Excel's limits, past ``AEXL_MAX_ROWS`` rows
(default ``DEFAULT_MAX_ROWS``) or past ``CELLS_PER_ROW`` × that many cells
ends in one ``SheetError``.

Only .xlsx/.xlsm packages are streamed; for other formats the size calamine
built is checked afterwards (.xls is bounded by its format: 65,536 × 256).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree import ElementTree

from aexl.errors import InputFileError, SheetError
from aexl.values import ExcelError, excel_error

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
DEFAULT_MAX_ROWS = 200_000
MAX_ROWS_ENV = "AEXL_MAX_ROWS"
CELLS_PER_ROW = 64  # the area cap is max_rows × this
_CHUNK = 1 << 22
_MAX_ROW_BYTES = 1 << 28

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# In sheetData only <row> and <c> carry r=; a cell's starts with letters.
# Every row tag (<row, or x:row with a namespace prefix) with its r= when it has one: the
# rows and their numbers in one pass, a match per row (the literal "row") instead of per cell.
_ROW_TAG_RE = re.compile(rb"row(?<=[<:]row)(?:\b[^>]*?\sr=\"(\d+)\")?")
# A cell's own reference places it (calamine follows it, not its <row>): a cell from column AA
# on, or one whose row number is long enough to pass the row cap, is looked at one by one
# (``_far_cell_re``); the others are inside A..Z and under the cap, so they need no look.
_ALL_CELL_ROWS_RE = re.compile(rb" r=\"[A-Z]{1,3}(\d+)\"")
_ERROR_CELL_RE = re.compile(
    rb"<((?:\w+:)?c)\b([^>]*?\st=\"e\"[^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL
)
_REF_RE = re.compile(rb"\sr=\"([A-Z]{1,3})(\d+)\"")
_VALUE_RE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")
_CELL_AFTER_RE = re.compile(rb"\sr=\"([A-Z]{1,4}\d+)\"")


# The error values calamine reads; a newer one (#SPILL!) makes it refuse the whole sheet.
CALAMINE_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"}
)


@dataclass
class SheetScan:
    part: str = ""  # the sheet's path in the package
    rows: int = 0  # last row holding a <row> (1-based)
    columns: int = 26  # at least Z; exact beyond
    errors: dict[tuple[int, int], ExcelError] = field(default_factory=dict)  # (row, col) 1-based


def max_rows() -> int:
    """The row cap: ``AEXL_MAX_ROWS`` if set to a positive whole number, else the default."""
    text = os.environ.get(MAX_ROWS_ENV, "").strip()
    if text.isdigit() and int(text) > 0:
        return min(int(text), EXCEL_MAX_ROWS)
    return DEFAULT_MAX_ROWS


def column_number(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def check_size(rows: int, columns: int, *, file=None, sheet=None, cell: str | None = None) -> None:
    """SheetError when a sheet of ``rows`` × ``columns`` is past Excel's limits or the caps."""
    cap = max_rows()
    where = f"（单元格 {cell}）" if cell else ""
    if rows > EXCEL_MAX_ROWS or columns > EXCEL_MAX_COLUMNS:
        raise SheetError(
            f"内容超出 Excel 的上限（{EXCEL_MAX_ROWS} 行 × {EXCEL_MAX_COLUMNS} 列）{where}，"
            "文件已损坏或不是 Excel 保存的，请在 Excel 中打开后另存为 .xlsx",
            file=file,
            sheet=sheet,
        )
    if rows > cap:
        raise SheetError(
            f"有内容的行超过 {cap} 行{where}，超出读取上限；请删除表格下方多余的单元格"
            f"（选中多余的行→删除），或把往年的记录移到另一个工作簿"
            f"（上限可用环境变量 {MAX_ROWS_ENV} 调整）",
            file=file,
            sheet=sheet,
        )
    if rows * columns > cap * CELLS_PER_ROW:
        raise SheetError(
            f"内容范围过大（{rows} 行 × {columns} 列）{where}，超出读取上限；"
            "请删除表格右侧和下方多余的单元格后保存",
            file=file,
            sheet=sheet,
        )


def sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The package path of the worksheet named ``sheet_name``, or None."""
    return sheet_parts(zf).get(sheet_name)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its package path, for every sheet the workbook lists."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    rel_ids: dict[str, str] = {}
    for node in book.iter(f"{_NS_MAIN}sheet"):
        rel_ids[node.get("name")] = node.get(f"{_NS_REL}id")  # a repeated name: the last one
    targets: dict[str, str] = {}
    for node in rels.iter(f"{_NS_PKG}Relationship"):
        target = node.get("Target", "")
        if target.startswith("/"):
            targets.setdefault(node.get("Id"), target.lstrip("/"))
        else:
            targets.setdefault(node.get("Id"), posixpath.normpath(posixpath.join("xl", target)))
    return {
        name: targets[rid] for name, rid in rel_ids.items() if rid is not None and rid in targets
    }


class Package:
    """An .xlsx/.xlsm package opened once for scanning all its sheets (``open_package``)."""

    def __init__(self, path, zf: zipfile.ZipFile) -> None:
        self.path, self.zf = path, zf
        self.names = set(zf.namelist())
        self._parts: dict[str, str] | None = None

    def part(self, sheet_name: str) -> str | None:
        """The sheet's path in the package (None when the package has no such sheet)."""
        if self._parts is None:
            self._parts = sheet_parts(self.zf)
        return self._parts.get(sheet_name)

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


# Scans made ahead (``scan_package``, in month-end's helper process) for the file being read.
_PRESCANNED: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "aexl_prescanned", default=None
)


def file_signature(path) -> tuple | None:
    """What tells a file apart from a later version of it: size, times, inode, device.

    On Linux and macOS the change time (``st_ctime_ns``) moves with every write and
    cannot be set back by the file's owner, so a rewrite with the old size and
    modification time still shows (on Windows it is the creation time: there size,
    modification time and file index tell).
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def scan_package(path) -> dict | None:
    """Every sheet's scan of the package at ``path``, made ahead of reading it.

    Returns ``{"path", "signature", "sheets": {name: SheetScan}}`` for ``prescanned``,
    or None when the file is not a package. A sheet whose scan fails is left out:
    its reader scans it again and says what is wrong. Never raises.
    """
    try:
        signature = file_signature(path)
        package = open_package(path)
        if package is None or signature is None:
            return None
        sheets: dict[str, SheetScan] = {}
        with package:
            for name in sheet_parts(package.zf):
                with contextlib.suppress(Exception):
                    found = scan_sheet(path, name, package)
                    if found is not None:
                        sheets[name] = found
    except Exception:  # a head start only: the reader does the real work and reports
        return None
    if file_signature(path) != signature:  # changed meanwhile: nothing of it is trusted
        return None
    return {"path": os.fspath(path), "signature": signature, "sheets": sheets}


@contextlib.contextmanager
def prescanned(scans: dict | None):
    """Within the block ``scan_sheet`` takes a sheet's scan from ``scans`` (made by
    ``scan_package``) as long as the file is still the one that was scanned."""
    token = _PRESCANNED.set(scans)
    try:
        yield
    finally:
        _PRESCANNED.reset(token)


def _prescanned(path, sheet_name: str) -> SheetScan | None:
    known = _PRESCANNED.get()
    if known is None or os.fspath(path) != known["path"] or sheet_name not in known["sheets"]:
        return None
    if file_signature(path) != known["signature"]:
        return None
    return known["sheets"][sheet_name]


def open_package(path) -> Package | None:
    """The package at ``path`` opened for ``scan_sheet``; None if it is not a zip package."""
    try:
        return Package(path, zipfile.ZipFile(path))
    except (zipfile.BadZipFile, OSError):
        return None


def scan_sheet(path, sheet_name: str, package: Package | None = None) -> SheetScan | None:
    """Stream the sheet's XML: its real extent and error cells; None if not an xlsx package.

    ``package``: the file already opened (``open_package``), so a workbook's sheets
    share one opening. Raises SheetError as soon as the sheet is known to be too large.
    """
    known = _prescanned(path, sheet_name)
    if known is not None:
        return known
    if package is None:
        package = open_package(path)
        if package is None:
            return None
        with package:
            return scan_sheet(path, sheet_name, package)
    part = package.part(sheet_name)
    if part is None or part not in package.names:
        return None
    try:
        with package.zf.open(part) as stream:
            scan = _scan_stream(stream, path, sheet_name)
        if scan.columns > CELLS_PER_ROW:  # wide: the area needs every cell's row, not only far ones
            with package.zf.open(part) as stream:
                scan.rows = max(scan.rows, _cell_rows(stream))
            check_size(scan.rows, scan.columns, file=path, sheet=sheet_name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise InputFileError(f"工作表「{sheet_name}」无法读取，文件可能已损坏", file=path) from None
    scan.part = part
    return scan


def _cell_rows(stream) -> int:
    """The largest row number any cell reference of the sheet names (a second, full pass)."""
    highest, tail = 0, b""
    while chunk := stream.read(_CHUNK):
        buffer = tail + chunk
        cut = buffer.rfind(b">") + 1  # a reference never spans a tag's end
        found = _ALL_CELL_ROWS_RE.findall(buffer, 0, cut)
        highest = max(highest, max(map(int, found), default=0))
        tail = buffer[cut:]
    return highest


def needs_copy(scan: SheetScan | None) -> bool:
    """True when the sheet holds error values calamine refuses to read."""
    return scan is not None and any(e.code not in CALAMINE_ERRORS for e in scan.errors.values())


def readable_copy(path, scan: SheetScan):
    """The package in memory with the sheet's newer error values written as ``#N/A``.

    Only what calamine reads changes; ``scan.errors`` keeps the real values.
    """
    import io

    out = io.BytesIO()
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename != scan.part:
                    dst.writestr(info, src.read(info.filename))
                    continue
                with src.open(info) as stream, dst.open(info.filename, "w") as sink:
                    _copy_sheet(stream, sink)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise InputFileError("文件已损坏，无法读取", file=path) from None
    out.seek(0)
    return out


def _copy_sheet(stream, sink) -> None:
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)
        buffer = tail + chunk
        cut = buffer.rfind(b"row>") + 4 if chunk else len(buffer)
        if cut < 4 and chunk:
            tail = buffer
            continue
        part, tail = buffer[: max(cut, 0)], buffer[max(cut, 0) :]
        sink.write(_ERROR_CELL_RE.sub(_calamine_error, part) if b't="e"' in part else part)
        if not chunk:
            break


def _calamine_error(match: re.Match) -> bytes:
    tag, attributes, content = match.groups()
    value = _VALUE_RE.search(content or b"")
    if value and value.group(1).decode("utf-8", "replace").strip() in CALAMINE_ERRORS:
        return match.group(0)
    prefix = tag[:-1]  # "x:" of "x:c", or empty
    return b"<" + tag + attributes + b"><" + prefix + b"v>#N/A</" + prefix + b"v></" + tag + b">"


def _scan_stream(stream, path, sheet_name: str) -> SheetScan:
    scan, cap, tail, counted = SheetScan(), max_rows(), b"", 0
    while True:
        chunk = stream.read(_CHUNK)
        buffer = tail + chunk
        cut = buffer.rfind(b"row>") + 4 if chunk else len(buffer)
        if cut < 4:  # no row end yet: keep reading (the buffer holds one row)
            if len(buffer) > _MAX_ROW_BYTES:
                raise SheetError(
                    "有一行的内容超过 256 MB，超出读取上限；文件可能已损坏",
                    file=path,
                    sheet=sheet_name,
                )
            tail = buffer
            continue
        part, tail = buffer[:cut], buffer[cut:]
        counted += _scan_part(part, scan)  # rows written without r= count in order
        scan.rows = max(scan.rows, counted)
        if scan.rows > cap or scan.columns > EXCEL_MAX_COLUMNS:
            check_size(
                scan.rows, scan.columns, file=path, sheet=sheet_name, cell=_first_cell(part, cap)
            )
        if not chunk:
            break
    check_size(scan.rows, scan.columns, file=path, sheet=sheet_name)
    return scan


@lru_cache(maxsize=8)
def _far_cell_re(digits: int) -> re.Pattern:
    """Cell references past column Z, or with a row number of at least ``digits`` digits."""
    return re.compile(rb" r=\"([A-Z]{2,}(?=\d)|[A-Z](?=\d{%d}))(\d+)\"" % digits)


def _scan_part(part: bytes, scan: SheetScan) -> int:
    """Take the rows, far cells and error cells of ``part``; returns its row tags' count."""
    found = _ROW_TAG_RE.findall(part)  # b"" for a row without r=
    scan.rows = max(scan.rows, max(map(int, filter(None, found)), default=0))
    for match in _far_cell_re(len(str(max_rows() + 1))).finditer(part):
        scan.columns = max(scan.columns, column_number(match.group(1).decode()))
        scan.rows = max(scan.rows, int(match.group(2)))
    if b't="e"' in part:
        for match in _ERROR_CELL_RE.finditer(part):
            ref = _REF_RE.search(match.group(2))
            value = _VALUE_RE.search(match.group(3) or b"")
            if ref is None:
                continue
            code = value.group(1).decode("utf-8", "replace") if value else "#VALUE!"
            key = (int(ref.group(2)), column_number(ref.group(1).decode()))
            scan.errors[key] = excel_error(code) or ExcelError(code.strip() or "#VALUE!")
    return len(found)


def _first_cell(part: bytes, cap: int) -> str | None:
    """The first cell past the row cap or the column limit in ``part``, as ``XFD1048576``."""
    for match in _CELL_AFTER_RE.finditer(part):
        ref = match.group(1).decode()
        letters = ref.rstrip("0123456789")
        if int(ref[len(letters) :]) > cap or column_number(letters) > EXCEL_MAX_COLUMNS:
            return ref
    return None


def place_errors(rows: list[list], errors: dict[tuple[int, int], ExcelError]) -> None:
    """Put each error value where calamine left an empty cell."""
    for (row, col), error in errors.items():
        if row <= len(rows) and col <= len(rows[row - 1]) and rows[row - 1][col - 1] in ("", None):
            rows[row - 1][col - 1] = error


def fill_merged(rows: list[list], ranges) -> None:
    """The value of a merged cell applies to every row it covers (its first column).

    Merges that start in the header row (row 1) are left alone.
    """
    for (top, left), (bottom, _right) in ranges:
        if top == 0 or top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for row in rows[top + 1 : bottom + 1]:
            if left < len(row) and row[left] in ("", None):
                row[left] = value
