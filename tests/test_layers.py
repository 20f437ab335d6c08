"""The package's shape, held by tests: which modules may import which I/O library,
reports never reach for the CLI, adapters hold no rulebook logic, and modules and
functions stay small. Imports are read with ``ast`` (function-level ones too),
so nothing is imported to check it.

The allow-lists below name today's exceptions, each with its reason. They may
only shrink: an entry that no longer applies fails the test until it is removed.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "aexl"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

# library -> the modules (path patterns from the repository root) that are its I/O
IO_MODULES = {
    "xlwings": ("aexl/excel/*", "udfs/*"),
    "xlsxwriter": ("aexl/workbook/write.py", "aexl/workbook/fastsheet.py"),
    "openpyxl": ("aexl/workbook/edit.py", "aexl/workbook/template.py", "aexl/workbook/sheetxml.py"),
    "matplotlib": ("aexl/reports/chart_png.py", "aexl/reports/fonts.py"),
    "argparse": ("aexl/cli.py", "aexl/commands/*"),
}

# (module pattern, library): why it still imports it
IMPORT_EXCEPTIONS: dict[tuple[str, str], str] = {}

# path pattern: why it is still over MAX_MODULE_LINES
LONG_MODULES: dict[str, str] = {}

# "path pattern::function": why it is still over MAX_FUNCTION_LINES
LONG_FUNCTIONS: dict[str, str] = {}


def modules(*roots: str) -> list[Path]:
    return sorted(p for root in roots for p in (ROOT / root).rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imported(path: Path) -> set[str]:
    """Every absolute module name ``path`` imports, at any depth (functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def matches(path: str, patterns) -> bool:
    return any(fnmatch(path, p) for p in patterns)


def import_violations() -> dict[tuple[str, str], str]:
    found = {}
    for path in modules("aexl", "udfs"):
        for lib in top(imported(path)) & IO_MODULES.keys():
            if not matches(rel(path), IO_MODULES[lib]):
                found[(rel(path), lib)] = lib
    return found


def excepted(key: tuple[str, str], table) -> str | None:
    return next((pat for pat in table if fnmatch(key[0], pat[0]) and key[1] == pat[1]), None)


def test_io_libraries_are_imported_only_by_their_io_modules():
    found = import_violations()
    unexplained = sorted(key for key in found if excepted(key, IMPORT_EXCEPTIONS) is None)
    assert not unexplained, f"imports outside their I/O modules: {unexplained}"


def test_the_import_exceptions_only_shrink():
    found = import_violations()
    stale = [pat for pat in IMPORT_EXCEPTIONS if not any(excepted(k, [pat]) for k in found)]
    assert not stale, f"no longer needed, remove from IMPORT_EXCEPTIONS: {stale}"


def test_the_checker_sees_function_level_and_from_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import os\n"
        "def f():\n    import xlwings as xw\n"
        "class C:\n    def g(self):\n        from openpyxl.utils import get_column_letter\n"
        "from . import sibling\n",
        "utf-8",
    )
    assert top(imported(module)) == {"os", "xlwings", "openpyxl"}


@pytest.mark.parametrize("path", modules("aexl/reports"), ids=rel)
def test_reports_never_import_the_cli(path):
    bad = {n for n in imported(path) if n.startswith(("aexl.cli", "aexl.commands"))}
    assert not bad, f"{rel(path)} imports {sorted(bad)}"


def test_the_core_never_imports_the_adapters():
    """Outside the CLI and Excel adapters, nothing imports them."""
    adapters = ("aexl/cli.py", "aexl/commands/*", "aexl/excel/*", "aexl/__main__.py")
    bad = {
        rel(path): sorted(n for n in imported(path)
                          if n.startswith(("aexl.cli", "aexl.commands", "aexl.excel")))
        for path in modules("aexl") if not matches(rel(path), adapters)
    }  # fmt: skip
    assert not {k: v for k, v in bad.items() if v}


# the shared rules, workbook I/O and validation sit under planning, the reports, the
# ledger and month-end: they never reach up (a rule planning and validation both need
# lives in aexl.records, aexl.rules or aexl.validate, and planning imports it from there)
NEVER_UP = {
    ("aexl/records.py", "aexl/rules.py", "aexl/chain.py", "aexl/schema.py", "aexl/values.py"):
        ("aexl.validate", "aexl.planning", "aexl.reports", "aexl.monthend"),
    ("aexl/validate/*",): ("aexl.planning", "aexl.reports", "aexl.monthend"),
    ("aexl/workbook/*",):
        ("aexl.validate", "aexl.planning", "aexl.reports", "aexl.monthend", "aexl.ledger",
         "aexl.newjob", "aexl.jobno"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("patterns", "above"), list(NEVER_UP.items()), ids=["rules", "validate", "workbook"]
)
def test_the_rules_and_validation_never_import_what_builds_on_them(patterns, above):
    bad = {
        rel(path): sorted(n for n in imported(path) if n.startswith(above))
        for path in modules("aexl") if matches(rel(path), patterns)
    }  # fmt: skip
    assert not {k: v for k, v in bad.items() if v}


def calls(path: Path, function: str) -> set[str]:
    """Names ``function`` (a top-level def of ``path``) calls."""
    tree = ast.parse(path.read_text("utf-8"))
    (node,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    return {
        c.func.id if isinstance(c.func, ast.Name) else getattr(c.func, "attr", "")
        for c in ast.walk(node)
        if isinstance(c, ast.Call)
    }


@pytest.mark.parametrize(
    "path, function",
    [("aexl/excel/ribbon.py", "new_job_number"), ("udfs/aexl_udfs.py", "AE_NEXTJOBNO")],
)
def test_the_job_number_series_comes_from_one_core_function(path, function):
    """新建工作号 and AE_NEXTJOBNO both number through ``aexl.jobno.next_jobnos`` and do
    no numbering of their own (tests/test_ribbon.py compares their numbers)."""
    made = calls(ROOT / path, function)
    assert "next_jobnos" in made
    assert not made & {"next_serial", "issued_serials", "format_jobno", "next_jobno", "max"}
    assert "aexl.jobno.next_jobnos" in imported(ROOT / path)


def long_modules() -> dict[str, int]:
    out = {}
    for path in modules("aexl"):
        lines = len(path.read_text("utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            out[rel(path)] = lines
    return out


def long_functions() -> dict[str, int]:
    out = {}
    for path in modules("aexl"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    out[f"{rel(path)}::{node.name}"] = lines
    return out


@pytest.mark.parametrize(
    "found, allowed, what",
    [
        (long_modules, LONG_MODULES, f"modules over {MAX_MODULE_LINES} lines"),
        (long_functions, LONG_FUNCTIONS, f"functions over {MAX_FUNCTION_LINES} lines"),
    ],
    ids=["modules", "functions"],
)
def test_modules_and_functions_stay_small(found, allowed, what):
    found = found()
    unexplained = {k: n for k, n in found.items() if not matches(k, allowed)}
    assert not unexplained, f"{what}: {unexplained} (split them; the allow-list only shrinks)"
    stale = [pat for pat in allowed if not any(fnmatch(k, pat) for k in found)]
    assert not stale, f"no longer over the limit, remove from the allow-list: {stale}"
