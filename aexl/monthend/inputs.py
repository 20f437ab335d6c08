"""The month-end batch's inputs: which files are workbenches, and reading one as ``check`` does."""

from __future__ import annotations

import os
import re
from pathlib import Path

from aexl.errors import AexlError, SheetError, UsageError
from aexl.filenames import is_aexl_temp
from aexl.findings import ERROR, Finding

WORKBENCH_SUFFIXES = (".xlsx", ".xlsm")
JOBS_SHEET = "工作单"  # required, as for ``aexl check``: every register refers to it
CHECK_KIND = "校验结果"
CLEANUP_KIND = "月度清理清单"
DUE_KIND = "待办清单"
_CLIENT_SUFFIX = re.compile(r"[_\-\s]*AE\s*工作台.*$", re.IGNORECASE)
_SKIP_PREFIXES = ("~$", ".aexl-tmp-", ".")  # Excel's owner files, older aexl temp files, hidden


def default_in_dir() -> Path:
    """``workbooks/sample`` of the current folder, else of the source checkout."""
    here = Path("workbooks") / "sample"
    if here.is_dir():
        return here
    checkout = Path(__file__).resolve().parents[2] / "workbooks" / "sample"
    if checkout.is_dir():
        return checkout
    raise UsageError("没有找到示例工作台文件夹 workbooks/sample，请用 --in 指定工作台所在的文件夹")


def default_out_dir(month: str) -> Path:
    return Path("out") / month


def is_output_name(name: str) -> bool:
    """A file aexl wrote (``20261110_星河_月度工作总结.xlsx``), not a workbench."""
    from aexl.files.naming import is_report_name

    return name.lower().endswith(".xlsx") and is_report_name(name)


def find_workbenches(folder: str | Path, notes: list[str] | None = None) -> list[Path]:
    """The workbenches directly in ``folder``, sorted by name.

    Left out: Excel's ``~$`` owner files, aexl's temp files, hidden files,
    aexl's own reports. A name ending in ``.xlsx`` that is not a regular file
    (a FIFO, a device, a folder) is never opened (a FIFO would block the read);
    it is described in ``notes`` when a list is given.
    """
    folder = Path(folder)
    if not folder.exists():
        raise UsageError(f"找不到文件夹「{folder}」，请检查 --in 的路径")
    if not folder.is_dir():
        raise UsageError(f"「{folder}」不是文件夹，--in 应指定工作台所在的文件夹")
    found = []
    for entry in os.scandir(folder):
        name = entry.name
        if name.startswith(_SKIP_PREFIXES) or is_aexl_temp(name):
            continue
        if Path(name).suffix.lower() not in WORKBENCH_SUFFIXES or is_output_name(name):
            continue
        if entry.is_file():  # follows links; False for a FIFO, socket, device or folder
            found.append(Path(entry.path))
        elif notes is not None and not entry.is_dir():
            notes.append(f"文件 {name}：不是普通文件（可能是管道或设备），已跳过，请检查该文件")
    return sorted(found, key=lambda p: p.name)


def client_name(path: Path, wb=None) -> str:
    """The client's short name: the file name without ``_AE工作台``; else 品牌 → 客户."""
    stem = _CLIENT_SUFFIX.sub("", path.stem).strip(" _-")
    if stem:
        return stem
    if wb is not None:
        clients = [c for c in wb.frame("品牌")["客户"].tolist() if isinstance(c, str) and c]
        if clients:
            return clients[0]
    return path.stem or "工作台"


def read_book(path: Path):
    """The workbench as ``aexl check`` reads it (same reader, 工作单 required).

    Returns (workbench, findings about registers that could not be read). A
    register sheet whose first row is blank while rows below hold data (its
    header moved down) is not read by either; here it becomes a finding that
    names it, so its absence is never silent.
    """
    from aexl.workbook.read import read_workbench

    try:
        wb = read_workbench(path, need=(JOBS_SHEET,))
    except SheetError as exc:
        if exc.sheet is None and not _has_registers(path):  # a missing 工作单 of any workbook
            raise AexlError(NOT_A_WORKBENCH, file=path) from None
        raise
    return wb, unread_registers(path, wb)


NOT_A_WORKBENCH = (
    "不是 AE 工作台：没有任何登记表（工作单、投放、效果……），"
    "请确认文件，或把它移出该文件夹（新工作台可用 aexl init 生成）"
)


def _has_registers(path: Path) -> bool:
    from aexl import schema
    from aexl.values import norm_header
    from aexl.workbook.read import open_calamine

    names = {norm_header(name) for name in open_calamine(path).sheet_names}
    return any(norm_header(sheet) in names for sheet in schema.BY_SHEET)


def unread_registers(path: Path, wb) -> list[Finding]:
    """A finding for each register sheet present in the file that the reader left out."""
    from aexl import schema
    from aexl.values import is_blank, norm_header
    from aexl.workbook.read import open_calamine, sheet_rows

    book = open_calamine(path)
    by_norm = {norm_header(name): name for name in book.sheet_names}
    out = []
    for sheet in schema.BY_SHEET:
        actual = by_norm.get(norm_header(sheet))
        if actual is None or sheet in wb.frames:
            continue
        rows = sheet_rows(book, actual)
        filled = [n for n, row in enumerate(rows, start=1) if not all(is_blank(v) for v in row)]
        if filled:
            message = (
                f"第 1 行是空的，表头应在第 1 行（现在第一行有内容的是第 {filled[0]} 行）："
                "本表没有读取，月底报告不含它的记录；请删去表头上方的空行后重新运行"
            )
            out.append(Finding(sheet, 1, None, ERROR, "sheet.unread", message))
    return out


def register_note(finding: Finding) -> str:
    """The run summary's line for a register left out."""
    return f"登记表「{finding.sheet}」未读取：{finding.message}"
