"""Worker processes that build workbenches, each one workbench at a time.

The main process hands each worker one task over its own pipe, so it always
knows which workbench a worker is on. A worker that dies (killed, ``os._exit``,
a native library aborting on a hostile file) is noticed through its process
sentinel: that workbench is named as skipped, its staging folder removed, a
fresh worker started, and the batch goes on. Workers ignore Ctrl+C (the
terminal sends it to every process of the group): the main process decides
and stops them (``stop``); a worker whose main process is gone sees its pipe
close and exits, so none is left orphaned.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from aexl.monthend.results import BookResult

PR_SET_PDEATHSIG = 1  # linux/prctl.h
STOP_WAIT = 3.0  # seconds a worker gets to end after SIGTERM before it is killed


@dataclass
class Task:
    index: int
    path: Path
    stage: Path
    options: dict = field(default_factory=dict)  # this task's own keyword arguments of ``build``


def start_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_main(conn, inherited, build, args: tuple, options: dict) -> None:
    """A worker's loop: build each task it is sent until told to stop or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    for other in inherited:  # pipe ends of the main process copied by fork: never ours
        other.close()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(build(task.path, *args, task.stage, **options, **task.options))


def die_with_parent() -> None:
    """Linux: the kernel kills this worker when the main process dies (even by kill -9),
    instead of letting it finish a workbench nobody will publish."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class Workers:
    """Up to ``jobs`` worker processes running ``build(path, *args, stage, **options)``.

    ``prepare(task)``, when given, runs in the main process as each task is handed out
    (to add what became known meanwhile to ``task.options``).
    """

    def __init__(
        self, jobs: int, build: Callable, args: tuple, options: dict, prepare=None
    ) -> None:
        self.ctx = start_context()
        self.jobs = jobs
        self.build, self.args, self.options = build, args, options
        self.prepare = prepare
        self.busy: dict = {}  # pipe end -> (process, task or None)

    def _start(self):
        parent, child = self.ctx.Pipe()
        inherited = [conn for conn in self.busy] + [parent]
        process = self.ctx.Process(
            target=_worker_main,
            args=(child, inherited, self.build, self.args, self.options),
            daemon=True,
        )
        process.start()
        child.close()
        self.busy[parent] = (process, None)
        return parent

    def run(self, tasks: list[Task], done: Callable[[int, BookResult], None]) -> None:
        """Run every task; ``done(index, result)`` as each one finishes (dead ones included)."""
        pending = deque(tasks)
        for _ in range(min(self.jobs, len(pending))):
            self._give(self._start(), pending)
        while self.busy:
            sentinels = {proc.sentinel: conn for conn, (proc, _) in self.busy.items()}
            for ready in wait([*self.busy, *sentinels]):
                conn = sentinels.get(ready, ready)
                if conn in self.busy:
                    self._collect(conn, pending, done)
        self.close()

    def _give(self, conn, pending: deque) -> None:
        process, _ = self.busy[conn]
        if pending:
            task = pending.popleft()
            if self.prepare is not None:
                self.prepare(task)
            self.busy[conn] = (process, task)
            conn.send(task)
            return
        del self.busy[conn]  # nothing left for it: let it end
        _end(conn, process)

    def _collect(self, conn, pending: deque, done) -> None:
        process, task = self.busy[conn]
        if task is None:
            return
        try:
            result = conn.recv() if conn.poll() else None
        except (EOFError, OSError):
            result = None
        if result is not None:
            done(task.index, result)
            self._give(conn, pending)
            return
        if process.is_alive():
            return  # the sentinel was not this one: nothing to read yet
        process.join()
        conn.close()
        del self.busy[conn]
        shutil.rmtree(task.stage, ignore_errors=True)
        done(task.index, dead_result(task, process.exitcode))
        if pending:
            self._give(self._start(), pending)

    def close(self) -> None:
        """Let idle workers end, and wait for them."""
        for conn, (process, _) in list(self.busy.items()):
            del self.busy[conn]
            _end(conn, process)
        self.stop()

    def stop(self) -> None:
        """End every worker now (SIGTERM, then SIGKILL) and wait for each one."""
        for conn, (process, task) in list(self.busy.items()):
            if process.is_alive():
                process.terminate()
            process.join(STOP_WAIT)
            if process.is_alive():
                process.kill()
                process.join()
            conn.close()
            if task is not None:
                shutil.rmtree(task.stage, ignore_errors=True)
        self.busy = {}


def _end(conn, process) -> None:
    with contextlib.suppress(OSError):  # already gone
        conn.send(None)
    process.join(STOP_WAIT)
    if process.is_alive():
        process.kill()
        process.join()
    conn.close()


def dead_result(task: Task, exitcode: int | None) -> BookResult:
    """The line for a workbench whose worker died while building it."""
    if exitcode is not None and exitcode < 0:
        try:
            how = f"被信号 {signal.Signals(-exitcode).name} 终止"
        except ValueError:
            how = f"被信号 {-exitcode} 终止"
    else:
        how = f"退出码 {exitcode}"
    name = task.path.name
    return BookResult(
        path=task.path,
        skipped=(
            f"文件 {name}：处理该工作台的进程意外退出（{how}），已跳过；"
            f"文件可能过大或已损坏，请用 aexl check --book {name} 单独检查"
        ),
    )
