"""Staging, publishing all-or-nothing, the output folder's lock and leftovers of killed runs.

Every output is written first into a staging folder inside the output folder
(``.~aexl-stage-<pid>-….tmp``: hidden, not ``*.xlsx``, so no reader or naming
check takes it for a workbench). When every workbench is built, ``publish_all``
moves the files into place through ``aexl.workbook.write.publish`` (a report
someone edited since aexl wrote it is kept; the new one takes a free name,
unless the run forces). An OS error half-way (disk full, no permission) moves
back what this run moved and restores the reports it replaced: the folder is
as before, and one ``AexlError`` line says why.

One month-end at a time per output folder: ``out_lock`` holds a lock file
(``.~aexl-monthend.lock``) for the run; the operating system releases it when
the process dies, so a killed run never blocks the next one, which removes
what the killed run left (``remove_leftovers``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from aexl.errors import AexlError

STAGE_PREFIX = ".~aexl-stage-"
LOCK_NAME = ".~aexl-monthend.lock"
_STAGE = re.compile(r"^\.~aexl-stage-(\d+)-.*\.tmp$")
_TEMP = re.compile(r"^\.~aexl-[0-9a-f]+-(\d+)\.tmp$")  # aexl.filenames.temp_path
STALE_SECONDS = 600  # a temp file without a process id this old belongs to no running write
OS_PROBLEMS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EACCES: "没有写入权限，或文件正被其他程序（如 Excel）占用",
    errno.EPERM: "没有写入权限，或文件正被其他程序（如 Excel）占用",
    errno.EROFS: "该位置只读",
    errno.ENAMETOOLONG: "路径太长",
    errno.EISDIR: "目标位置已有同名文件夹",
}


def stage_dir(out_dir: str | Path) -> Path:
    """A fresh private folder inside ``out_dir`` (same file system: publishing is a rename)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = f"{STAGE_PREFIX}{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=out_dir))


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, not ours (or a platform without signal 0)
        return True
    return True


def remove_leftovers(out_dir: Path) -> int:
    """Remove staging folders and temp files a killed run left in ``out_dir``; how many.

    Called under the output folder's lock, so no other month-end is staging
    here; a temp file of another aexl command is left while its process lives.
    """
    removed = 0
    for entry in os.scandir(out_dir):
        if not _is_stale(entry):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)
        removed += 1
    return removed


def _is_stale(entry) -> bool:
    name = entry.name
    if stage := _STAGE.match(name):
        return int(stage.group(1)) != os.getpid()
    if temp := _TEMP.match(name):
        return not _pid_alive(int(temp.group(1)))
    if name.startswith(".aexl-tmp-"):  # the older temp-file form: no process id in the name
        return time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
    return False


@contextlib.contextmanager
def out_lock(out_dir: Path):
    """Hold the output folder's month-end lock; AexlError (one line) when another run has it.

    The lock is the one ``aexl.workbook.edit`` takes on a workbook (an OS file
    lock, released when the process dies; its file is removed on release).
    """
    from aexl.workbook.edit import _acquire

    try:
        release = _acquire(out_dir / LOCK_NAME, 0.0)
    except TimeoutError:
        raise AexlError(
            f"输出文件夹「{out_dir}」正由另一个月底批处理使用，请等它结束后再运行，"
            "或换一个输出文件夹（--out）"
        ) from None
    except OSError as exc:
        raise AexlError(f"无法在输出文件夹「{out_dir}」中创建锁文件：{os_problem(exc)}") from None
    try:
        yield
    finally:
        release()


def os_problem(exc: OSError) -> str:
    return OS_PROBLEMS.get(exc.errno, f"读写失败（错误号 {exc.errno}）")


def free_name(name: str, tag: str, taken: set[str]) -> str:
    """``name``, else with ``tag`` added to its subject, else numbered."""
    from aexl.filenames import safe_filename

    if name not in taken:
        return name
    stem, dot, suffix = name.rpartition(".")
    dated = re.match(r"^\d{8}_", stem)
    tagged = f"{stem[:9]}{tag}-{stem[9:]}" if dated else f"{tag}-{stem}"
    candidate, n = safe_filename(f"{tagged}{dot}{suffix}"), 2
    while candidate in taken:
        candidate, n = safe_filename(f"{tagged}_{n}{dot}{suffix}"), n + 1
    return candidate


class Publication:
    """The files one run moved into place, so that all of them can be taken back."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.moved: list[tuple[Path, Path | None]] = []  # (published file, the report it replaced)
        self.backups: Path | None = None

    def put(self, staged: Path, name: str) -> tuple[Path, Path | None]:
        """Move ``staged`` to ``name`` in the output folder; returns (where, edited file kept)."""
        from aexl.workbook.write import claim, publish

        wanted = self.out_dir / name
        final = claim(wanted)  # the wanted name, or a free one beside an edited report
        replaced = None
        if final.exists():  # aexl's own untouched report (or --force): kept aside until the end
            if self.backups is None:
                self.backups = stage_dir(self.out_dir)
            replaced = self.backups / f"{len(self.moved)}.old"
            os.replace(final, replaced)
        self.moved.append((final, replaced))
        publish(staged, final)
        return final, (wanted if final != wanted else None)

    def roll_back(self) -> None:
        for final, replaced in reversed(self.moved):
            with contextlib.suppress(OSError):
                final.unlink(missing_ok=True)
                if replaced is not None:
                    os.replace(replaced, final)
        self.moved = []

    def close(self) -> None:
        if self.backups is not None:
            shutil.rmtree(self.backups, ignore_errors=True)


def publish_all(results: list, out_dir: Path, taken: set[str], extra=()) -> list:
    """Move every staged file of ``results`` (and ``extra`` (staged, name tag) pairs) into
    ``out_dir``, all or nothing; returns (where it went, edited file kept or None) per ``extra``.

    A name in ``taken`` (written by this run for another workbench, e.g. two
    clients with a brand of the same name) gets the client's name added
    (``20261110_星河食品-星河_月度工作总结.xlsx``) instead of overwriting it.
    On an OSError every file moved is moved back and AexlError says why.
    """
    done = Publication(out_dir)
    placed = []
    try:
        for result in results:
            result.written, result.kept = [], []
            for staged, tag in result.staged:
                final, kept = _put(done, staged, tag, taken)
                result.written.append(final)
                if kept:
                    result.kept.append((kept, final))
        for staged, tag in extra:
            placed.append(_put(done, staged, tag, taken))
    except OSError as exc:
        done.roll_back()
        for result in results:
            result.written, result.kept = [], []
        raise AexlError(
            f"写出月底报告时出错（{os_problem(exc)}：{Path(exc.filename or out_dir).name}），"
            f"本次没有写出任何文件，输出文件夹「{out_dir}」保持原样；请处理后重新运行"
        ) from None
    finally:
        done.close()
    for result in results:
        result.staged = []
    return placed


def _put(done: Publication, staged: Path, tag: str, taken: set[str]):
    name = free_name(staged.name, tag, taken)
    final, kept = done.put(staged, name)
    taken.add(name)
    taken.add(final.name)
    return final, kept
