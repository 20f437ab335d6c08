"""Where a placement's 样稿 is: one rule for validation, the placement list and the due list.

A 样稿 entry is a web address or a path relative to the workbench's folder
(``样稿/海报.jpg``; ``\\`` works as well as ``/``). A path that is absolute, has a
``..`` part, or is a link leading out of the folder is *outside*: nothing
outside the folder is ever opened. ``locate_sample`` says which case an
entry is and, for a path, whether the file is there.
"""

from __future__ import annotations

import re
from pathlib import Path

from aexl.values import is_blank

OUTSIDE_NOTE = "样稿路径不在工作台文件夹内"
# What locate_sample finds.
BLANK = "none"  # no 样稿 written
URL = "url"  # a web address: not looked up
OUTSIDE = "outside"  # absolute, with "..", or a link out of the folder: never opened
UNKNOWN = "unknown"  # a relative path, but the workbench's folder is not known
MISSING = "missing"  # inside the folder, but no such file
FOUND = "found"  # the file is there

_URL = re.compile(r"^(?:https?|ftp)://\S+$|^www\.\S+$", re.IGNORECASE)


def is_url(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def sample_relative(text: str) -> str | None:
    """A 样稿 path as a ``/``-separated path inside the workbench's folder, or None
    when it is not one: absolute (``/…``, ``C:\\…``, ``\\\\server\\…``, ``file://``)
    or with a ``..`` part. Nothing outside the folder is ever opened."""
    cleaned = text.strip().strip('"').replace("\\", "/")
    if cleaned.lower().startswith("file:") or cleaned.startswith("/"):
        return None
    if re.match(r"^[A-Za-z]:", cleaned) or not cleaned:
        return None
    parts = [p for p in cleaned.split("/") if p not in ("", ".")]
    return "/".join(parts) if parts and ".." not in parts else None


def locate_sample(value, folder: Path | None) -> tuple[str, Path | None]:
    """(what the entry is, the file's path inside ``folder``): ``BLANK``, ``URL``,
    ``OUTSIDE``, ``UNKNOWN`` (no folder), ``MISSING`` or ``FOUND``; the path is given
    for ``MISSING`` and ``FOUND``."""
    if is_blank(value):
        return BLANK, None
    text = str(value)
    if is_url(text):
        return URL, None
    relative = sample_relative(text)
    if relative is None:
        return OUTSIDE, None
    if folder is None:
        return UNKNOWN, None
    path = Path(folder) / relative
    try:
        if not path.exists():
            return MISSING, path
        if not path.resolve().is_relative_to(_resolved(Path(folder))):
            return OUTSIDE, None  # a link inside the folder that leads out of it
        return (FOUND if path.is_file() else MISSING), path
    except OSError:  # unreadable, a loop of links …
        return MISSING, path


_RESOLVED: dict[Path, Path] = {}  # a workbench folder → its real path, once per run


def _resolved(folder: Path) -> Path:
    if folder not in _RESOLVED:
        if len(_RESOLVED) > 64:
            _RESOLVED.clear()
        _RESOLVED[folder] = folder.resolve()
    return _RESOLVED[folder]
