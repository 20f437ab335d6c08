"""Version-pinned speed fix for xlwings' custom-function path outside Pyodide.

xlwings 0.37.8 checks every cell of a custom-function argument for
Pyodide's ``JsNull`` (``xlwings.utils.is_jsnull``) and every argument in
``udfs_officejs.js_to_none``, each time by trying ``from pyodide.ffi import
JsNull``. Outside Pyodide that import fails on every call, which costs
~130 µs per cell: 1.3 s for a 10,000-row column. When Pyodide is not
installed the answer is always "not JsNull", so the helpers are replaced by
constant-time ones. Only the versions listed in ``PATCHED_VERSIONS`` (whose
code was checked) are touched; for any other version nothing changes.
"""

from __future__ import annotations

import importlib.util
import logging

log = logging.getLogger("aexl.server")

PATCHED_VERSIONS = frozenset({"0.37.8"})
_applied = False


def _not_jsnull(value) -> bool:
    return False


def _identity(arg):
    return arg


def pyodide_available() -> bool:
    try:
        return importlib.util.find_spec("pyodide") is not None
    except (ImportError, ValueError):
        return False


def apply() -> bool:
    """Install the fix when it is known to be safe; True when it is in place."""
    global _applied
    if _applied:
        return True
    import xlwings

    if xlwings.__version__ not in PATCHED_VERSIONS:
        log.info(
            "xlwings %s: JsNull speed fix not applied (checked for %s)",
            xlwings.__version__,
            sorted(PATCHED_VERSIONS),
        )
        return False
    if pyodide_available():
        return False  # inside Pyodide the check is needed and cheap
    from xlwings import utils
    from xlwings.conversion import standard

    try:
        from xlwings.pro import udfs_officejs
    except Exception:  # no licence key: the custom-function path is not in use
        return False

    utils.is_jsnull = _not_jsnull  # used per cell by pro._xlofficejs via utils.is_jsnull
    standard.is_jsnull = _not_jsnull  # imported by name there
    udfs_officejs.js_to_none = _identity  # per argument, via module global
    _applied = True
    return True


def confine_static(main) -> None:
    """Serve static files only from inside their folders (any xlwings Server version).

    xlwings Server 1.20's ``OverridableStaticFiles.lookup_path`` joins the
    request path to the project's ``static`` folder and returns any file it
    names, ``../../etc/passwd`` included. The replacement answers only for
    files inside that folder and leaves the rest to Starlette's own lookup,
    which stays inside the package's folder.
    """
    import os
    from pathlib import Path

    cls = getattr(main, "OverridableStaticFiles", None)
    if cls is None or getattr(cls, "_aexl_confined", False):
        return
    parent_lookup = cls.__mro__[1].lookup_path

    def lookup_path(self, path: str):
        root = Path(self.user_dir).resolve()
        candidate = (root / path).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return str(candidate), os.stat(candidate)
        return parent_lookup(self, path)

    cls.lookup_path = lookup_path
    cls._aexl_confined = True
