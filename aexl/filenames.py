"""File names aexl builds: valid on Windows, short enough everywhere, and its temp files.

``safe_filename`` turns any text (a brand typed into a cell, a name found on
disk) into a name every common file system accepts: no characters Windows
forbids (``<>:"/\\|?*`` and control characters), not a reserved device name
(CON, PRN, AUX, NUL, COM1…, LPT1…), no trailing dot or space, and at most
``max_bytes`` bytes of UTF-8 (most file systems allow 255). A name that had
to be shortened keeps its start and its extension and gets ``~`` plus a short
hash of the full name, so two long names that differ only at the end stay
apart.

aexl's temporary files are named ``.~aexl-<hash>-<pid>.tmp`` beside their
target (``temp_path``): short whatever the target's length, hidden, and
recognised by ``is_aexl_temp`` (also the older ``~aexl-*.xlsx`` form) so no
scan or naming check takes one for a user's file.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import unicodedata
from pathlib import Path

MAX_NAME_BYTES = 200  # room under 255 for a "_2" from free names and a temp prefix
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$", re.I)
AEXL_TEMP_PATTERNS = (".~aexl-*.tmp", "~aexl-*.xlsx", "~aexl-*.xlsm", ".~aexl-*.xlsx")


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _cut_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` that is at most ``limit`` bytes of UTF-8."""
    data = text.encode("utf-8", "surrogatepass")[: max(limit, 0)]
    return data.decode("utf-8", "ignore")


def safe_filename(name: str, max_bytes: int = MAX_NAME_BYTES, replacement: str = "_") -> str:
    """``name`` as a file name valid on Windows, macOS and Linux, at most ``max_bytes`` bytes.

    >>> safe_filename('a<b>:c?.txt')
    'a_b__c_.txt'
    >>> safe_filename("CON.txt"), safe_filename("报告. "), safe_filename("")
    ('_CON.txt', '报告', '_')
    >>> len(safe_filename("美" * 100 + ".xlsx").encode()) <= 200
    True
    """
    original = unicodedata.normalize("NFC", str(name))
    text = _FORBIDDEN.sub(replacement, original).strip().rstrip(". ")
    stem, dot, suffix = text.rpartition(".")
    if not dot or not stem or len(suffix) > 16 or not suffix.isalnum():
        stem, suffix = text, ""
    suffix = f".{suffix}" if suffix else ""
    if _RESERVED.match(stem.split(".")[0]):
        stem = replacement + stem
    if not stem:
        stem = replacement
    if len((stem + suffix).encode("utf-8", "surrogatepass")) > max_bytes:
        tag = f"~{short_hash(original)}"
        room = max_bytes - len((tag + suffix).encode())
        stem = _cut_bytes(stem, room).rstrip(". ") + tag
    return stem + suffix


def is_aexl_temp(name: str) -> bool:
    """aexl's own temporary file (``.~aexl-….tmp``, or the older ``~aexl-….xlsx``)."""
    low = name.casefold()
    return any(fnmatch.fnmatchcase(low, pattern) for pattern in AEXL_TEMP_PATTERNS)


def temp_path(target: Path) -> Path:
    """A temp file beside ``target`` for writing it atomically: short, hidden, per process."""
    target = Path(target)
    return target.with_name(f".~aexl-{short_hash(target.name)}-{os.getpid()}.tmp")
