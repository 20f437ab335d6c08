"""Where a placement's 样稿 is: one rule for validation, the placement list and the due list.

A 样稿 entry is a web address or a path relative to the workbench's folder
(``样稿/海报.jpg``; ``\\`` works as well as ``/``). A path that is absolute, has a
``..`` part, or is a link leading out of the folder is *outside*: nothing
outside the folder is ever opened. ``locate_sample`` says which case an
entry is and, for a path, whether the file is there.
"""

from __future__ import annotations

import os
import re
import stat
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
    path = os.path.join(os.fspath(folder), *relative.split("/"))
    try:
        return _walk(os.fspath(folder), relative.split("/"), path)
    except OSError:  # unreadable, a loop of links …
        return MISSING, Path(path)


def _walk(folder: str, parts: list[str], path: str) -> tuple[str, Path | None]:
    """Each step from the folder down to the file, without following links; a link (or a
    Windows junction) on the way is followed to see whether it leads out of the folder."""
    step = folder
    for part in parts:
        step = os.path.join(step, part)
        try:
            info = os.lstat(step)
        except FileNotFoundError:
            return MISSING, Path(path)
        if stat.S_ISLNK(info.st_mode) or _reparse_point(info):
            return _through_link(folder, path)
    return (FOUND if stat.S_ISREG(info.st_mode) else MISSING), Path(path)


def _through_link(folder: str, path: str) -> tuple[str, Path | None]:
    if not os.path.exists(path):  # a link to nothing
        return MISSING, Path(path)
    if not Path(path).resolve().is_relative_to(_resolved(Path(folder))):
        return OUTSIDE, None  # a link inside the folder that leads out of it
    return (FOUND if os.path.isfile(path) else MISSING), Path(path)


def _reparse_point(info: os.stat_result) -> bool:
    """Windows: a junction or other reparse point (not reported as a link by lstat)."""
    return bool(getattr(info, "st_file_attributes", 0) & stat.FILE_ATTRIBUTE_REPARSE_POINT)


_RESOLVED: dict[Path, Path] = {}  # a workbench folder → its real path, once per run


def _resolved(folder: Path) -> Path:
    if folder not in _RESOLVED:
        if len(_RESOLVED) > 64:
            _RESOLVED.clear()
        _RESOLVED[folder] = folder.resolve()
    return _RESOLVED[folder]
