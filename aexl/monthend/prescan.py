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

import os
import signal
from pathlib import Path


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

        ctx = start_context()
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_prescan_main, args=(child, list(paths)), daemon=True)
        self.process.start()
        child.close()
        self.found: dict[str, dict | None] = {}

    def take(self, path: Path) -> dict | None:
        """The scans of ``path`` if they have arrived (never waits); None otherwise."""
        try:
            while self.conn.poll():
                key, scans = self.conn.recv()
                self.found[key] = scans
        except (EOFError, OSError):  # the helper ended (or died): what arrived is kept
            pass
        return self.found.pop(os.fspath(path), None)

    def close(self) -> None:
        """Stop the helper if it is still running, and wait for it."""
        self.conn.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
