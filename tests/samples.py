"""The sample generator (workbooks/make_sample.py), loaded once for the tests."""

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_make_sample():
    """workbooks/make_sample.py, imported as the module ``make_sample``."""
    folder = str(ROOT / "workbooks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import make_sample

    return make_sample


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder`` (to show a command changed no input)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
