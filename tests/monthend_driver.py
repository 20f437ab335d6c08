"""Run ``aexl`` with one fault planted in the month-end batch, for the crash and signal tests.

    python tests/monthend_driver.py FAULT aexl-args...

FAULT (the part before ``:`` says what, the rest where):

- ``exit:<name part>``: the worker building a workbench whose file name holds
  the part ends with ``os._exit(134)`` (as a native reader aborting does);
- ``kill:<name part>``: that worker kills itself with SIGKILL;
- ``slow:<marker folder>``: every worker writes ``<pid>.started`` in the
  folder and sleeps, so the run can be interrupted half-way;
- ``publish:<n>``: the n-th file moved into the output folder fails with
  ENOSPC (disk full), after n-1 were moved;
- ``none:``: nothing planted.

Forked workers inherit the planted function.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
from pathlib import Path


def plant(fault: str) -> None:
    import aexl.monthend.book as book
    import aexl.workbook.write as write

    kind, _, where = fault.partition(":")
    real_process, real_publish = book._process, write.publish
    calls = {"publish": 0}

    def process(result, *args, **kwargs):
        name = result.path.name
        if kind == "exit" and where in name:
            os._exit(134)
        if kind == "kill" and where in name:
            os.kill(os.getpid(), signal.SIGKILL)
        if kind == "slow":
            (Path(where) / f"{os.getpid()}.started").write_text(name, encoding="utf-8")
            time.sleep(120)
        return real_process(result, *args, **kwargs)

    def publish(source, target):
        calls["publish"] += 1
        if calls["publish"] == int(where):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_publish(source, target)

    book._process = process
    if kind == "publish":
        write.publish = publish


if __name__ == "__main__":
    plant(sys.argv[1])
    from aexl.cli import main

    sys.exit(main(sys.argv[2:]))
