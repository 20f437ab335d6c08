"""The month-end run: lock the output folder, build every workbench, check across them, publish.

Workbenches are built by worker processes (``aexl.monthend.workers``) into
private staging folders; nothing reaches the output folder until every
workbench is done, then everything is published at once
(``aexl.monthend.publish``). SIGINT / SIGTERM stop the workers, remove the
staging folders and end the run with ``Interrupted`` (the command exits
130 / 143); a signal that arrives while the files are being moved waits until
the set is complete.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from aexl.errors import AexlError, UsageError
from aexl.findings import WARNING, Finding
from aexl.gcpause import paused_gc
from aexl.monthend.book import build_outputs
from aexl.monthend.inputs import default_in_dir, default_out_dir, find_workbenches
from aexl.monthend.publish import out_lock, publish_all, remove_leftovers, stage_dir
from aexl.monthend.results import BookResult, Interrupted, RunSummary
from aexl.period import Period

log = logging.getLogger("aexl")
DEFAULT_WORKERS = 2


class _NoBar:
    """The progress bar where nobody watches (a pipe, a log file): does nothing."""

    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, text: str = "", refresh: bool = True) -> None:
        pass

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, stream=None):
    """tqdm's bar on a terminal (stderr by default); nothing when not a TTY (and tqdm,
    ~30 ms to import, is then not loaded at all)."""
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return _NoBar()
    from tqdm import tqdm

    return tqdm(
        total=total, file=stream, desc="月底批处理", unit="个工作台", leave=False,
        dynamic_ncols=True,
    )  # fmt: skip


class Signals:
    """SIGINT / SIGTERM raise ``Interrupted``, except while ``deferred`` (then remembered)."""

    def __init__(self) -> None:
        self.defer = False
        self.pending: int | None = None

    def handle(self, signum, _frame) -> None:
        if self.defer:
            self.pending = signum
            return
        raise Interrupted(signum)

    @contextlib.contextmanager
    def installed(self):
        if threading.current_thread() is not threading.main_thread():
            yield self  # only the main thread may set handlers: the caller's own apply
            return
        wanted = (signal.SIGINT, signal.SIGTERM)
        previous = {s: signal.signal(s, self.handle) for s in wanted}
        try:
            yield self
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    @contextlib.contextmanager
    def deferred(self):
        self.defer = True
        try:
            yield
        finally:
            self.defer = False


def run_month_end(
    month: Period | str,
    in_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    *,
    files_root: str | Path | None = None,
    workers: int = DEFAULT_WORKERS,
    png: bool = False,
    today: date | None = None,
    now: datetime | None = None,
    on_result: Callable[[BookResult], None] | None = None,
    progress_stream=None,
) -> RunSummary:
    """Run the batch; ``on_result`` is called (in this process) for each workbench once its
    files are in place. ``workers=0`` builds in this process (no protection from a crash).

    Raises ``Interrupted`` on SIGINT / SIGTERM, AexlError for a user problem
    (another run holds the folder, the disk is full …: nothing written then).
    """
    started = time.perf_counter()
    month = Period.of("month", month)
    in_dir = Path(in_dir) if in_dir is not None else default_in_dir()
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(month.key)
    notes: list[str] = []
    paths = find_workbenches(in_dir, notes)
    if not paths:
        raise UsageError(
            f"文件夹「{in_dir}」里没有 AE 工作台（.xlsx / .xlsm 文件），请检查 --in 的路径"
        )
    summary = RunSummary(month=month.key, in_dir=in_dir, out_dir=out_dir, notes=notes)
    out_dir.mkdir(parents=True, exist_ok=True)
    signals = Signals()
    with out_lock(out_dir), signals.installed():
        summary.removed = remove_leftovers(out_dir)
        _run(summary, paths, month, signals, files_root, today or date.today(),
             {"png": png, "now": now}, workers, progress_stream)  # fmt: skip
    summary.seconds = time.perf_counter() - started
    for result in summary.results:
        if on_result:
            on_result(result)
    if signals.pending:
        interrupted = Interrupted(signals.pending)
        interrupted.done = interrupted.total = len(paths)
        interrupted.published = summary.written
        raise interrupted
    return summary


def _run(summary, paths, month, signals, files_root, today, options, workers, stream) -> None:
    out_dir = summary.out_dir
    run_stage = stage_dir(out_dir)
    try:
        extra = _stage_cleanup(summary, files_root, today, month, run_stage)
        _build_all(summary, paths, month, workers, options, stream)
        _check_shared(summary)
        with signals.deferred():
            placed = publish_all(summary.results, out_dir, set(), extra)
        if placed:
            summary.cleanup_path, kept = placed[0]
            summary.kept = [(kept, summary.cleanup_path)] if kept else []
    except Interrupted as exc:
        exc.done, exc.total = len(summary.results), len(paths)
        raise
    finally:
        shutil.rmtree(run_stage, ignore_errors=True)
        for result in summary.results:
            if result.stage is not None:
                shutil.rmtree(result.stage, ignore_errors=True)


def _stage_cleanup(summary, files_root, today, month, run_stage) -> list:
    """The clean-up list of ``files_root`` into the run's staging folder: [(file, tag)]."""
    if files_root is None:
        return []
    from aexl.files.tree import cleanup_list
    from aexl.monthend.writers import cleanup_name, write_cleanup_list

    root = Path(files_root)
    summary.cleanup = cleanup_list(root, today)  # a bad root fails here, before any work
    staged = write_cleanup_list(
        summary.cleanup, run_stage / cleanup_name(root, month), root=root, today=today,
        month=month.key,
    )  # fmt: skip
    return [(staged, "")]


def _build_all(summary: RunSummary, paths, month, workers, options, stream) -> None:
    """Build every workbench into its own staging folder; results in input order."""
    out_dir = summary.out_dir
    results: dict[int, BookResult] = {}
    progress = progress_bar(len(paths), stream)

    def done(index: int, result: BookResult) -> None:
        if result.fatal:  # the disk is full: no point going on, nothing is published
            shutil.rmtree(result.stage or out_dir / "-", ignore_errors=True)
            raise AexlError(f"{result.fatal}（本次没有写出任何文件）", file=result.path)
        results[index] = result
        summary.results = [results[i] for i in sorted(results)]
        progress.set_postfix_str(result.path.name, refresh=False)
        progress.update(1)

    try:
        jobs = min(workers, len(paths), os.cpu_count() or 1)
        order = _largest_first(paths)  # so no big workbench is left for the end
        if jobs < 1:
            for index in order:
                done(index, build_outputs(paths[index], month, stage_dir(out_dir), **options))
            return
        _build_in_workers(jobs, [paths[i] for i in order], order, month, options, done, out_dir)
    finally:
        progress.close()


def _build_in_workers(jobs, paths, indexes, month, options, done, out_dir) -> None:
    """``build_outputs`` of each path in ``jobs`` worker processes, in the order given."""
    from aexl.monthend.prescan import Prescan
    from aexl.monthend.workers import Task, Workers

    prescan = Prescan(paths)  # first: it scans the sheets on the core the preload leaves idle
    try:
        # imports make no garbage: no collection runs over them meanwhile, and what they
        # made is shared with the forked workers: frozen, never scanned (~60 ms saved)
        with paused_gc(freeze=True):
            _preload(month)

        def prepare(task: Task) -> None:
            task.options["scans"] = prescan.take(task.path)

        pool = Workers(jobs, build_outputs, (month,), options, prepare)
        tasks = [Task(i, path, stage_dir(out_dir)) for i, path in zip(indexes, paths, strict=True)]
        try:
            pool.run(tasks, done)
        except BaseException:
            pool.stop()
            for task in tasks:
                shutil.rmtree(task.stage, ignore_errors=True)
            raise
    finally:
        prescan.close()


def _check_shared(summary: RunSummary) -> None:
    """A job number used in two workbenches: in the run summary and in both 校验结果."""
    from aexl.jobno import duplicate_jobnos
    from aexl.monthend.writers import write_check

    summary.shared = duplicate_jobnos((r.path.name, r.jobnos) for r in summary.read)
    for result in summary.read:
        added = []
        for shared in summary.shared:
            if result.path.name in shared.books:
                others = "、".join(b for b in shared.books if b != result.path.name)
                message = (
                    f"工作号 {shared.jobno} 也出现在 {others}：工作号只能使用一次，"
                    "请核对后为其中一项工作改用新号（两个客户的品牌代码可能相同）"
                )
                row = result.jobnos.get(shared.jobno)
                added.append(Finding("工作单", row, "工作号", WARNING, "jobno.shared", message))
        if added and result.check is not None:
            result.findings = [*result.findings, *added]
            result.warnings += len(added)
            write_check(result.check, result.findings, result.check_meta, result.notes)


def _largest_first(paths: list[Path]) -> list[int]:
    """Input indexes, biggest file first: the workers finish close together (LPT order)."""

    def size(index: int) -> int:
        try:
            return paths[index].stat().st_size
        except OSError:
            return 0

    return sorted(range(len(paths)), key=lambda i: (-size(i), i))


def _preload(month: Period) -> None:
    """Import and warm up what every workbench needs, once, before forking the workers.

    Forked workers inherit it: without this each worker imports pandas,
    XlsxWriter, PIL, pypinyin… and loads the calendar and the word lists itself.
    """
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pandas.core.methods.to_dict  # noqa: F401
    import python_calamine  # noqa: F401
    from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin  # noqa: F401

    import aexl.monthend.outputs  # noqa: F401
    import aexl.planning.due  # noqa: F401
    import aexl.reports.charts  # noqa: F401
    import aexl.reports.monthly  # noqa: F401
    import aexl.reports.placements  # noqa: F401
    import aexl.validate  # noqa: F401
    import aexl.workbook.fastsheet  # noqa: F401 - XlsxWriter with it
    import aexl.workbook.read  # noqa: F401

    try:  # caches filled on first use: pinyin dictionaries, copy-check terms, the year's calendar
        from aexl import codes, copycheck, jobno  # noqa: F401
        from aexl.workcal import WorkCalendar

        codes.code_for("美的")
        copycheck.check_text("最好")
        month.due(WorkCalendar())
    except Exception:  # a warm-up only: the real work reports any problem itself
        log.debug("warm-up failed", exc_info=True)
