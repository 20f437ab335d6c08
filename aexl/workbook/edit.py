"""Safe edits of a user's workbook (``aexl jobno new``, ``aexl.newjob``, is the one command
that writes one; it also holds the agency's shared ledger).

The rules, in order:

1. Refuse a read-only workbook (file mode or the read-only attribute).
2. Refuse while Excel has the file open: Excel keeps an owner file beside it,
   ``~$`` + the name, or ``~$`` + the name without its first two characters
   for longer names; both forms are checked.
3. Hold a file lock (a ``~$aexl-<name>.lock`` file beside the workbook, so
   runs on computers sharing a drive exclude each other; sync clients skip
   ``~$`` files; deleted again on release) so parallel runs never issue the
   same number, and read the current numbers inside the lock.
4. Edit surgically (``xlsxpatch`` + ``sheetxml``): only the 工作单 sheet
   part, its table ranges, the ledger sheet (``aexl.jobno.LEDGER_SHEET``,
   very hidden; created on first use, which also adds it to workbook.xml, its
   relationships and [Content_Types].xml) and, when no date style fits,
   styles.xml change. Every other zip member is copied byte for byte, so
   formulas keep their cached values and charts, pivot tables, pictures,
   VBA and Excel-2010 extensions survive.
5. Write to a temporary file ``.~aexl-<hash>-XXXX.tmp`` in the same folder
   (a name no reader takes for a workbook) and ``os.replace`` it into place;
   leftovers of a killed run are removed by the next run on that workbook.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from aexl.errors import AexlError, FileLockedError, InputFileError, SheetError
from aexl.values import norm_header

EDITABLE_SUFFIXES = {".xlsx", ".xlsm"}
LOCK_TIMEOUT = 60.0  # seconds to wait for another aexl run (env AEXL_LOCK_TIMEOUT overrides)
JOBS_SHEET = "工作单"
BRANDS_SHEET = "品牌"
NEW_JOB_STATUS = "进行中"
TEMP_PATTERN = ".~aexl-{tag}-*.tmp"  # hidden, not *.xlsx: readers and naming checks skip it
LEGACY_TEMP_AGE = 3600.0  # seconds: ``~aexl-*.xlsx`` of older versions removed once this old


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
# Before the lock: the file itself


def check_editable(path: str | Path) -> Path:
    """The path, if it names an existing .xlsx/.xlsm file; InputFileError otherwise."""
    from aexl.workbook.read import check_input_file

    return check_input_file(
        path,
        EDITABLE_SUFFIXES,
        "aexl 只能修改 .xlsx 或 .xlsm 工作簿；请在 Excel 中另存为 .xlsx 后再试",
    )


def check_writable(path: Path) -> None:
    """InputFileError when the workbook is read-only (mode bits, attribute or access)."""
    st = os.stat(path)
    readonly_attr = getattr(st, "st_file_attributes", 0) & getattr(
        stat, "FILE_ATTRIBUTE_READONLY", 0
    )
    if not st.st_mode & stat.S_IWUSR or readonly_attr or not os.access(path, os.W_OK):
        raise InputFileError(
            "工作簿是只读文件，aexl 没有修改它；如确需开新工作号，请先取消它的只读属性"
            "（Windows：右键 → 属性 → 取消勾选「只读」），或向文件负责人申请",
            file=path,
        )


def temp_tag(path: Path) -> str:
    """A short tag of the workbook's name for its temporary files (any name length)."""
    return hashlib.sha1(path.name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def remove_leftovers(path: Path) -> list[Path]:
    """Delete temporary files a killed run left beside this workbook; returns them.

    Called inside the lock, so no other run on this workbook is writing one.
    ``~aexl-*.xlsx`` files of older aexl versions go once they are an hour old.
    """
    removed = []
    candidates = [(p, 0.0) for p in path.parent.glob(TEMP_PATTERN.format(tag=temp_tag(path)))]
    candidates += [(p, LEGACY_TEMP_AGE) for p in path.parent.glob(f"~aexl-*{path.suffix}")]
    for leftover, min_age in candidates:
        try:
            if min_age and time.time() - leftover.stat().st_mtime < min_age:
                continue
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass  # not ours to fight over: it stays, and no reader takes it for a workbook
    return removed


# ---------------------------------------------------------------------------
# Writing


def write_package(pkg, path: Path) -> None:
    """Write ``pkg`` to a temporary file beside ``path``, then ``os.replace`` it into place.

    A full disk becomes one Chinese line (AexlError) and leaves the workbook
    as it was; other OS errors are the caller's (the CLI names them).
    """
    import io

    buffer = io.BytesIO()
    pkg.save(buffer)
    data = buffer.getbuffer()
    fd, tmp_name = tempfile.mkstemp(
        dir=path.parent, prefix=TEMP_PATTERN.split("*")[0].format(tag=temp_tag(path)), suffix=".tmp"
    )
    tmp = Path(tmp_name)
    try:
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise AexlError(
                "磁盘空间不足，新工作号没有写入，工作簿保持原样；请清理磁盘空间后重试", file=path
            ) from None
        raise


def append_record(sheet, values: dict[str, object], path: Path) -> int:
    """Write one record after the last used row of ``sheet``; return its Excel row number.

    Text is written as text; cells without a style take the style of the cell
    above; the Excel tables and the sheet filter whose header is row 1 grow.
    """
    columns = sheet.headers()
    width = max(columns.values(), default=1)
    row = sheet.last_used_row(width) + 1
    sheet.grow_ranges(row)
    cells: dict[int, object] = {}
    for header, value in values.items():
        column = columns.get(norm_header(header))
        if column is None:
            raise SheetError(
                f"第 1 行缺少表头「{header}」，请补上这一列", file=path, sheet=sheet.name
            )
        cells[column] = value
    styles = {}
    if row > 2:
        for column in columns.values():
            above = sheet.style_of(row - 1, column)
            if above is not None:
                styles[column] = above
    sheet.write(row, cells, styles)
    return row
