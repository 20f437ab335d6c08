"""The sample generator (workbooks/make_sample.py), loaded once for the tests."""

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
