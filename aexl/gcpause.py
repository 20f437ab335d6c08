"""Pausing Python's cyclic garbage collector while big, cycle-free data is loaded.

Importing pandas or loading pypinyin's dictionaries makes hundreds of
thousands of small objects and no garbage; the collector, triggered by the
allocation count, would walk them dozens of times meanwhile (about a third of
the load time). Reference counting still frees everything as usual.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused_gc(*, freeze: bool = False):
    """Within the block the cyclic collector does not run (restored after, even on error).

    ``freeze``: everything alive at the end of the block is frozen (``gc.freeze``) before
    the collector may run again: it is never scanned, not even by the collection the
    first allocation after the pause would otherwise start over all that the block made.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()
