"""A report never replaces one that someone edited since aexl wrote it.

Every report is sealed: its zip comment holds the SHA-256 of the bytes before
it. Excel, WPS and LibreOffice rewrite the whole package when they save, so an
edited (or foreign) file has no valid seal and is kept; the new report takes a
free name beside it (``claim``), unless the run says ``force_overwrite()`` (the
commands' ``--force``). ``publish`` moves a staged report into place under the
same rule.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
from pathlib import Path

# A report carries its own seal: the zip comment holds the SHA-256 of every
# byte before it. Excel, WPS and LibreOffice rewrite the whole package when
# they save, so an edited (or foreign) file has no valid seal and is kept.
log = logging.getLogger("aexl")
_FORCE = contextvars.ContextVar("aexl_force_overwrite", default=False)
_SEAL = b"aexl-sha256:"
_EOCD = b"PK\x05\x06"  # end of central directory record (22 bytes + comment)


@contextlib.contextmanager
def force_overwrite(on: bool = True):
    """Within the block, reports replace files of the same name even when edited."""
    token = _FORCE.set(on)
    try:
        yield
    finally:
        _FORCE.reset(token)


def _sealed_part(data: bytes) -> tuple[bytes, bytes] | None:
    """(bytes the seal covers, the zip comment), or None for no zip end record."""
    end = data.rfind(_EOCD, max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) < end + 22:
        return None
    length = int.from_bytes(data[end + 20 : end + 22], "little")
    comment = data[end + 22 :]
    return (data[: end + 20], comment) if len(comment) == length else None


def sealed(package: bytes) -> bytes:
    """A freshly written .xlsx package, marked as aexl's own (see ``is_untouched``)."""
    import io
    import zipfile

    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a") as zf:  # rewrites only the central directory
        zf.comment = _SEAL + b"0" * 64
    data = buffer.getvalue()
    covered, _ = _sealed_part(data)
    return data[:-64] + hashlib.sha256(covered).hexdigest().encode()


def is_untouched(path: str | Path) -> bool:
    """True when ``path`` is exactly a report aexl wrote (its seal still matches)."""
    try:
        parts = _sealed_part(Path(path).read_bytes())
    except OSError:
        return False
    if not parts or not parts[1].startswith(_SEAL):
        return False
    covered, comment = parts
    return hashlib.sha256(covered).hexdigest().encode() == comment[len(_SEAL) :]


def claim(path: str | Path) -> Path:
    """Where a new report meant for ``path`` goes: ``path`` itself when it is free or
    holds aexl's own unchanged report (or the run forces), else a free name beside it."""
    path = Path(path)
    if _FORCE.get() or not path.exists() or is_untouched(path):
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem}_{n}{path.suffix}")).exists():
        if is_untouched(candidate):
            break
        n += 1
    log.warning(
        "aexl: %s 在上次生成后被修改过（或不是 aexl 生成的），已保留原文件；"
        "新报告写到 %s（要覆盖请加 --force）",
        path.name,
        candidate.name,
    )
    return candidate


def publish(source: str | Path, target: str | Path) -> Path:
    """Move a finished report (e.g. from a staging folder) to ``target`` under the
    same rule as ``Book.save``; returns where it went."""
    final = claim(target)
    os.replace(source, final)
    return final
