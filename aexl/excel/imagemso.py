"""Office's imageMso names: the built-in icons a customUI button may show.

The list is Microsoft's own: the "imageMso Table" of the [MS-CUSTOMUI] Custom
UI XML Markup Specification (952 names, shared by Excel and the other Office
applications), one name a line with its source in a ``#`` header. It is read
from the first of :data:`CANDIDATES` that exists: a copy shipped in
``aexl/data/``, the test data ``tests/data/imagemso.txt``, or the steering
repository's ``shared/data/`` beside the repository. When none is present
``EXCEL_IMAGEMSO`` is empty (and the icon test says so).
"""

from __future__ import annotations

from pathlib import Path

FILE_NAME = "imagemso.txt"
_PACKAGE = Path(__file__).resolve().parent.parent
_REPO = _PACKAGE.parent
CANDIDATES = (
    _PACKAGE / "data" / FILE_NAME,
    _REPO / "tests" / "data" / FILE_NAME,
    _REPO.parent / "shared" / "data" / FILE_NAME,
)


def list_path() -> Path | None:
    """The imageMso list file in use, or None."""
    return next((path for path in CANDIDATES if path.is_file()), None)


def load(path: Path | None = None) -> frozenset[str]:
    """The names of a list file (``#`` lines and blank lines skipped)."""
    path = path or list_path()
    if path is None:
        return frozenset()
    lines = path.read_text("utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


EXCEL_IMAGEMSO: frozenset[str] = load()
