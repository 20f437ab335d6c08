"""The sample generator (workbooks/make_sample.py), loaded once for the tests."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_make_sample():
    if "make_sample" not in sys.modules:
        path = ROOT / "workbooks" / "make_sample.py"
        spec = importlib.util.spec_from_file_location("make_sample", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_sample"] = module
        spec.loader.exec_module(module)
    return sys.modules["make_sample"]
