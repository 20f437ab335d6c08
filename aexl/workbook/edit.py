"""Safe edits of a user's workbook (``aexl jobno new`` is the one command that writes one).

The rules, in order:

1. Refuse while Excel has the file open: Excel keeps an owner file beside it,
   ``~$`` + the name, or ``~$`` + the name without its first two characters
   for longer names; both forms are checked.
2. Hold a file lock (a ``~$aexl-<name>.lock`` file beside the workbook, so
   runs on computers sharing a drive exclude each other; sync clients skip
   ``~$`` files; deleted again on release) so parallel runs never issue the
   same number, and read the current numbers inside the lock.
3. Refuse, naming the part in Chinese, when the workbook holds something
   openpyxl 3.1 drops or rewrites on load + save (charts, sparklines and other
   Excel-2010 extensions, slicers, controls, pivot tables, external links,
   shapes, …). The zip parts and XML are inspected before loading.
4. Load with ``keep_vba`` for .xlsm (vbaProject.bin is kept byte for byte),
   write text that starts with ``=`` as text, never as a formula, extend the
   工作单 Excel table over the new row, save to a temporary file in the same
   folder and ``os.replace`` it into place.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from aexl.errors import FileLockedError, InputFileError, SheetError, UnsafeSaveError
from aexl.values import is_blank, norm_header, norm_text

EDITABLE_SUFFIXES = {".xlsx", ".xlsm"}
LOCK_TIMEOUT = 60.0  # seconds to wait for another aexl run (env AEXL_LOCK_TIMEOUT overrides)
JOBS_SHEET = "工作单"
BRANDS_SHEET = "品牌"
NEW_JOB_STATUS = "进行中"
PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp"}  # what openpyxl + Pillow keep

# Zip parts that openpyxl 3.1 drops, or whose links it drops, on load + save.
UNSAFE_PARTS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern), label)
    for pattern, label in (
        (r"^xl/charts/chart[^/]*\.xml$", "图表（保存后会被重新生成，丢失格式和打印设置）"),
        (r"^xl/chartsheets/", "图表工作表"),
        (r"^xl/(slicers|slicerCaches)/", "切片器"),
        (r"^xl/(timelines|timelineCaches)/", "日程表（时间线筛选器）"),
        (r"^xl/pivot(Cache|Tables)/", "数据透视表"),
        (r"^xl/externalLinks/", "外部链接（引用其他工作簿的公式）"),
        (r"^xl/activeX/", "ActiveX 控件"),
        (r"^xl/ctrlProps/", "表单控件（按钮、复选框、下拉框等）"),
        (r"^xl/embeddings/", "嵌入对象（OLE 对象）"),
        (r"^xl/threadedComments/", "新版批注（可回复的线程批注）"),
        (r"^xl/richData/", "单元格内图片"),
        (r"^xl/metadata\.xml$", "动态数组（溢出）公式"),
        (r"^xl/model/", "数据模型（Power Pivot）"),
        (r"^xl/connections\.xml$|^xl/queryTables/", "数据连接或查询（Power Query）"),
        (r"^xl/(macrosheets|dialogsheets)/", "宏表或对话框工作表"),
        (r"^xl/diagrams/", "SmartArt 图形"),
        (r"^xl/(webextensions|webExtensions)/", "Office 加载项内容"),
        (r"^customUI/", "自定义功能区（customUI）"),
        (r"^customXml/|^xl/customXml/", "自定义 XML 数据（如 SharePoint 文档属性）"),
    )
)

# Worksheet <extLst> entries (Excel 2010+ extensions): openpyxl drops them all.
EXTENSION_LABELS = {
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": "条件格式的数据条/图标集扩展（Excel 2010 格式）",
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "引用其他工作表的数据验证（Excel 2010 格式）",
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "迷你图（sparklines）",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "切片器",
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": "切片器",
    "{FC87AEE6-9EDD-4A0A-B7FB-166176984837}": "受保护的区域",
    "{01252117-D84E-4E92-8308-4BE1C098FCBB}": "已忽略的错误提示",
    "{F7C9EE02-42E1-4005-9D12-6889AFFD525C}": "Office 加载项内容",
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": "日程表（时间线筛选器）",
}
_SHEET_MARKERS = (
    ("<picture ", "工作表背景图片"),
    ("<legacyDrawingHF ", "页眉/页脚中的图片"),
    ("<oleObjects", "嵌入对象（OLE 对象）"),
    ("<controls", "表单控件或 ActiveX 控件"),
    ("AlternateContent", "Excel 新版格式内容（AlternateContent）"),
)
_DRAWING_MARKERS = (
    ("<xdr:sp>", "形状或文本框"),
    ("<xdr:sp ", "形状或文本框"),
    ("<xdr:grpSp", "组合图形"),
    ("<xdr:cxnSp", "连接线"),
)
_EXT_URI = re.compile(r'<(?:\w+:)?ext\b[^>]*\buri="([^"]+)"')
_EXTLST = re.compile(r"<(?:\w+:)?extLst\b")
_VML_OBJECT = re.compile(r'ObjectType="(\w+)"')


# ---------------------------------------------------------------------------
# Excel's owner file, lock


def owner_files(path: str | Path) -> list[Path]:
    """The owner files Excel may keep beside an open workbook."""
    path = Path(path)
    names = [f"~${path.name}"]
    if len(path.name) > 2:
        names.append(f"~${path.name[2:]}")
    return [path.with_name(name) for name in dict.fromkeys(names)]


def check_not_open_in_excel(path: str | Path) -> None:
    """Raise FileLockedError when Excel's owner file sits beside the workbook."""
    for owner in owner_files(path):
        if owner.exists():
            raise FileLockedError(
                f"文件正在 Excel 中打开（发现 {owner.name}）；请先在 Excel 中保存并关闭它再重试。"
                f"如果 Excel 已关闭，请删除同一文件夹里的 {owner.name}",
                file=path,
            )


LOCK_NAME = "~$aexl-{name}.lock"  # beside the workbook; ``files check`` skips this pattern
LOCK_POLL = 0.05  # seconds between tries while another run holds the lock
_CONTENTION = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES}  # some filesystems say EACCES
_NO_FLOCK = {errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOLCK}


def lock_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(LOCK_NAME.format(name=path.name))


@contextmanager
def edit_lock(path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the workbook's aexl lock; FileLockedError when another run keeps it.

    The lock file sits beside the workbook (so runs on different computers
    sharing a drive exclude each other) and is removed on release.
    """
    if timeout is None:
        timeout = float(os.environ.get("AEXL_LOCK_TIMEOUT") or LOCK_TIMEOUT)
    try:
        release = _acquire(lock_path(path), timeout)
    except TimeoutError:
        raise FileLockedError(
            f"另一个 aexl 程序正在修改该工作簿，等了 {timeout:g} 秒仍未结束；请稍后重试",
            file=path,
        ) from None
    except PermissionError:
        raise FileLockedError(
            "无法在工作簿所在的文件夹中创建锁文件（没有写入权限）；请把工作簿放到可写的文件夹",
            file=path,
        ) from None
    try:
        yield
    finally:
        release()


def _acquire(target: Path, timeout: float) -> Callable[[], None]:
    """Take the lock on ``target`` (TimeoutError after ``timeout`` s); returns its release.

    Windows: ``filelock.FileLock`` already deletes its file on release, and
    Windows refuses to delete a file another process has open, so a waiter's
    file is never pulled away. POSIX: ``FileLock`` leaves the file (deleting
    a flock file is unsafe unless every waiter checks what it locked), so
    :func:`_posix_acquire` does that check itself.
    """
    if os.name == "nt":
        return _filelock_acquire(target, timeout)
    return _posix_acquire(target, timeout)


def _filelock_acquire(target: Path, timeout: float) -> Callable[[], None]:
    from filelock import FileLock, Timeout

    lock = FileLock(str(target), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise TimeoutError from None
    return lock.release


def _posix_acquire(target: Path, timeout: float) -> Callable[[], None]:
    """An exclusive ``flock`` on ``target``; its release deletes the file.

    Why two holders are impossible although the file is deleted:

    * A run holds the lock only once it has the flock on the inode that is
      *at the path at that moment* (``samestat`` after the flock is granted).
      A waiter that opened the file before the previous holder deleted it
      gets the flock of a deleted inode, sees that the path is gone or names
      another inode, and starts over on the path.
    * Only a holder deletes the path, and it deletes it *before* letting go
      of the flock (closing the descriptor). So while one run holds the lock
      the path names its inode: nobody else can get that inode's flock, nor
      pass the check with another inode.

    A filesystem without ``flock`` (some network mounts) falls back to
    ``filelock.FileLock``, which leaves its file behind there.
    """
    import fcntl
    import time

    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in _CONTENTION:  # another run holds it
                if time.monotonic() >= deadline:
                    raise TimeoutError from None
                time.sleep(LOCK_POLL)
                continue
            if exc.errno in _NO_FLOCK:
                return _filelock_acquire(target, max(0.0, deadline - time.monotonic()))
            raise
        try:
            current = os.stat(target)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            break
        os.close(fd)  # the previous holder deleted this file: take the one at the path now

    def release() -> None:
        try:
            os.unlink(target)  # while still holding the flock: see above
        except OSError:
            pass  # not deletable here: a file left behind, never a second holder
        finally:
            os.close(fd)  # lets go of the flock

    return release


# ---------------------------------------------------------------------------
# What openpyxl would lose


def unsafe_parts(path: str | Path) -> list[str]:
    """Chinese descriptions of what openpyxl 3.1 would drop or rewrite, with the zip part."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputFileError(
            "不是有效的 .xlsx/.xlsm 工作簿（文件已损坏或是旧版 .xls），请在 Excel 中另存为 .xlsx",
            file=path,
        ) from None
    found: dict[str, str] = {}  # label -> first part

    def note(label: str, part: str) -> None:
        found.setdefault(label, part)

    with archive:
        names = archive.namelist()
        for name in names:
            for pattern, label in UNSAFE_PARTS:
                if pattern.search(name):
                    note(label, name)
            if name.startswith("xl/media/"):
                suffix = Path(name).suffix.lower()
                if suffix not in PICTURE_SUFFIXES:
                    note(f"{suffix or '未知'} 格式的图片", name)
                elif not _pillow_available():
                    note("图片（需要安装 Pillow 才能保留）", name)
        for name in names:
            if re.match(r"^xl/worksheets/[^/]+\.xml$", name):
                text = archive.read(name).decode("utf-8", "replace")
                if _EXTLST.search(text):
                    uris = _EXT_URI.findall(text) or ["?"]
                    for uri in uris:
                        label = EXTENSION_LABELS.get(uri.upper(), "Excel 2010 及以后版本的扩展内容")
                        note(label, name)
                for marker, label in _SHEET_MARKERS:
                    if marker in text:
                        note(label, name)
            elif re.match(r"^xl/drawings/[^/]+\.xml$", name):
                text = archive.read(name).decode("utf-8", "replace")
                for marker, label in _DRAWING_MARKERS:
                    if marker in text:
                        note(label, name)
            elif re.match(r"^xl/drawings/[^/]+\.vml$", name):
                text = archive.read(name).decode("utf-8", "replace")
                if any(kind != "Note" for kind in _VML_OBJECT.findall(text)):
                    note("表单控件（按钮、复选框、下拉框等）", name)
    return [f"{label}（{part}）" for label, part in found.items()]


def _pillow_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("PIL") is not None


def ensure_safe_to_save(path: str | Path) -> None:
    """Raise UnsafeSaveError listing what would be lost by an openpyxl save."""
    parts = unsafe_parts(path)
    if parts:
        raise UnsafeSaveError(
            f"工作簿包含 {'；'.join(parts)}，aexl 保存时会丢失或改写这些内容，所以没有修改文件；"
            "请在 Excel 中用「AE工作台 → 新建工作号」按钮，或手工在「工作单」表中填写",
            file=path,
        )


# ---------------------------------------------------------------------------
# Writing


def check_editable(path: str | Path) -> Path:
    """The path, if it names an existing .xlsx/.xlsm file; InputFileError otherwise."""
    from aexl.workbook.read import check_input_file

    return check_input_file(
        path,
        EDITABLE_SUFFIXES,
        "aexl 只能修改 .xlsx 或 .xlsm 工作簿；请在 Excel 中另存为 .xlsx 后再试",
    )


def write_text(cell, value: str) -> None:
    """Put text in a cell as text: ``=1+1`` stays the characters ``=1+1``, never a formula."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"


def load_for_edit(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", rich_text=True)
    except PermissionError:
        raise
    except Exception:
        raise InputFileError(
            "无法打开：文件已损坏或不是真正的 Excel 工作簿，请在 Excel 中打开后另存为 .xlsx",
            file=path,
        ) from None


def atomic_save(wb, path: str | Path) -> None:
    """Save to a temporary file in the same folder, then ``os.replace`` it into place."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix="~aexl-", suffix=path.suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        if path.exists():
            shutil.copymode(path, tmp)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def find_sheet(wb, name: str, path: Path):
    wanted = norm_header(name)
    for ws in wb.worksheets:
        if norm_header(ws.title) == wanted:
            return ws
    raise SheetError(
        f"缺少工作表「{name}」，请添加该工作表（可参照 aexl init 生成的模板）", file=path
    )


def header_columns(ws) -> dict[str, int]:
    """Normalised header text → column number (first occurrence) of row 1."""
    columns: dict[str, int] = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        key = norm_header(cell.value)
        if key and key not in columns:
            columns[key] = cell.column
    return columns


def last_used_row(ws, max_col: int) -> int:
    """The last row (≥ 1) with a non-blank value in the first ``max_col`` columns."""
    last = 1
    for row_number, row in enumerate(
        ws.iter_rows(min_row=2, max_col=max_col, values_only=True), start=2
    ):
        if any(not is_blank(v) for v in row):
            last = row_number
    return last


def append_record(ws, values: dict[str, object], path: Path) -> int:
    """Write one record after the last used row; return its Excel row number.

    Text is written as text; cell styles are copied from the row above; an
    Excel table whose header is row 1 grows to cover the new row.
    """
    from copy import copy

    from openpyxl.utils.cell import get_column_letter, range_boundaries

    columns = header_columns(ws)
    width = max(columns.values(), default=1)
    row = last_used_row(ws, width) + 1
    for table in ws.tables.values():
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        if min_row != 1:
            continue
        if table.totalsRowCount:
            raise UnsafeSaveError(
                f"「{ws.title}」的表格 {table.displayName} 带有汇总行，aexl 无法在其中追加行；"
                "请在 Excel 中关闭汇总行后再试",
                file=path,
                sheet=ws.title,
            )
        if max_row < row:
            table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{row}"
            if table.autoFilter is not None:
                table.autoFilter.ref = table.ref
    if ws.auto_filter.ref:  # a sheet-level filter over the register grows too
        min_col, min_row, max_col, max_row = range_boundaries(ws.auto_filter.ref)
        if min_row == 1 and max_row < row:
            ws.auto_filter.ref = f"{get_column_letter(min_col)}1:{get_column_letter(max_col)}{row}"
    for column in columns.values():
        target = ws.cell(row=row, column=column)
        if row > 2:
            above = ws.cell(row=row - 1, column=column)
            if above.has_style:
                target._style = copy(above._style)
    for header, value in values.items():
        column = columns.get(norm_header(header))
        if column is None:
            raise SheetError(f"缺少表头「{header}」", file=path, sheet=ws.title)
        cell = ws.cell(row=row, column=column)
        if isinstance(value, str):
            write_text(cell, value)
        else:
            cell.value = value
            if isinstance(value, date) and cell.number_format == "General":
                cell.number_format = "yyyy-mm-dd"
    return row


# ---------------------------------------------------------------------------
# The one edit: a new job number


def _canonical_names(brands_df, brand: str, line: str) -> tuple[str, str]:
    """The 品牌/产品线 spelling of the 品牌 sheet (else the typed text)."""
    from aexl.codes import name_key

    b_key, l_key = name_key(brand), name_key(line)
    for rec in brands_df.to_dict("records"):
        if name_key(rec.get("品牌")) == b_key and name_key(rec.get("产品线")) == l_key:
            return norm_text(rec.get("品牌")), norm_text(rec.get("产品线"))
    return norm_text(brand), norm_text(line)


def _preload() -> None:
    import openpyxl  # noqa: F401
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
) -> str:
    """Issue the next job number and append its row to 工作单; return the number.

    The new row holds 工作号, 品牌, 产品线, 项目名称, 开单日期 and 状态 = 进行中.
    """
    from aexl.codes import resolve_codes
    from aexl.jobno import next_jobno
    from aexl.workbook.read import read_workbench

    path = check_editable(path)
    day = day or date.today()
    check_not_open_in_excel(path)
    _preload()  # heavy imports before taking the lock, so the lock is held briefly
    with edit_lock(path):
        check_not_open_in_excel(path)
        ensure_safe_to_save(path)
        bench = read_workbench(
            path, need=(BRANDS_SHEET, JOBS_SHEET), sheets=(BRANDS_SHEET, JOBS_SHEET)
        )
        brands = bench.frame(BRANDS_SHEET)
        brand_code, line_code = resolve_codes(brands, brand, line, file=path)
        issued = bench.frame(JOBS_SHEET)["工作号"].tolist()
        number = next_jobno(issued, brand_code, line_code, day.year)
        brand_name, line_name = _canonical_names(brands, brand, line)
        wb = load_for_edit(path)
        ws = find_sheet(wb, JOBS_SHEET, path)
        append_record(
            ws,
            {
                "工作号": number,
                "品牌": brand_name,
                "产品线": line_name,
                "项目名称": (project or "").strip() or None,
                "开单日期": day,
                "状态": NEW_JOB_STATUS,
            },
            path,
        )
        atomic_save(wb, path)
    return number
