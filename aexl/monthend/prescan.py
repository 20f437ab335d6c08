"""The workbenches' sheet scans, made ahead by a helper process.

Before the workers start, the main process spends about half a second loading
libraries on one core while the other waits. A helper process forked first
uses that core to stream every workbench's sheets (``extent.scan_package``:
their real extent and error cells), in the order the workbenches will be
built. Each task then carries its workbench's scans and the worker reads
without scanning again (``extent.prescanned``), unless the file changed since.

A scan that is not ready when its workbench is handed out, or a helper that
died, costs nothing but the head start: the worker scans for itself.
"""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path

log = logging.getLogger("aexl")


def _prescan_main(conn, paths: list[Path]) -> None:
    """The helper: one message per workbench, in order; ends with the list or a closed pipe."""
    from aexl.monthend.workers import die_with_parent
    from aexl.workbook.extent import scan_package

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    die_with_parent()
    for path in paths:
        try:
            conn.send((os.fspath(path), scan_package(path)))
        except (OSError, ValueError):  # the main process is gone or done with us
            return
    conn.close()


class Prescan:
    """The helper process for ``paths`` and the scans it has sent so far."""

    def __init__(self, paths: list[Path]) -> None:
        from aexl.monthend.workers import start_context

        self.found: dict[str, dict | None] = {}
        self.conn = self.process = None
        ctx = start_context()
        try:
            self.conn, child = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_prescan_main, args=(child, list(paths)), daemon=True)
            process.start()
        except OSError:  # no process to spare (a limit on processes or pipes): no head start
            log.debug("no prescan helper", exc_info=True)
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return
        child.close()
        self.process = process

    def take(self, path: Path) -> dict | None:
        """The scans of ``path`` if they have arrived (never waits); None otherwise."""
        if self.conn is None:
            return None
        try:
            while self.conn.poll():
                key, scans = self.conn.recv()
                self.found[key] = scans
        except (EOFError, OSError):  # the helper ended (or died): what arrived is kept
            pass
        return self.found.pop(os.fspath(path), None)

    def close(self) -> None:
        """Stop the helper if it is still running, and wait for it."""
        if self.process is None:
            return
        self.conn.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
