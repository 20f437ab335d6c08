"""The command itself: help with examples everywhere, one-line Chinese errors,
report commands generated from the registry, the entry points."""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aexl.cli import COMMAND_MODULES, build_parser
from aexl.reports import registry

SAMPLE = Path(__file__).parents[1] / "workbooks" / "sample" / "星河食品_AE工作台.xlsx"


def subcommands(parser=None, prefix=()):
    """Every (sub)command path with its parser, nested groups included."""
    parser = parser or build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name), sub
                yield from subcommands(sub, (*prefix, name))


def options(parser) -> set[str]:
    return {flag for action in parser._actions for flag in action.option_strings}


def test_every_command_is_registered_and_reports_come_from_the_registry():
    names = {path[0] for path, _ in subcommands()}
    plain = {m.replace("_", "-") for m in COMMAND_MODULES} - {"reports"}
    reports = {r.name for r in registry.reports()}
    assert names == plain | reports
    assert not reports & plain  # a report command is never hand-written too
    assert not any(Path(f"aexl/commands/{r.name}.py").exists() for r in registry.reports()
                   if not r.run)  # fmt: skip


@pytest.mark.parametrize(
    "name, expected",
    [
        ("weekly", {"--book", "--week", "--brand", "--internal", "--out", "--force"}),
        ("monthly", {"--book", "--month", "--brand", "--out", "--force"}),
        ("year-end", {"--book", "--year", "--brand", "--out", "--force"}),
        ("placements", {"--book", "--week", "--month", "--out", "--force"}),
        ("charts", {"--book", "--month", "--png", "--out", "--force"}),
        ("jobsheet", {"--book", "--jobno", "--out", "--force"}),
    ],
)
def test_report_commands_keep_their_options(name, expected):
    parser = dict(subcommands())[(name,)]
    assert options(parser) - {"-h", "--help"} == expected
    assert registry.report(name).example in parser.epilog


@pytest.mark.parametrize("path", [p for p, _ in subcommands()], ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    parser = dict(subcommands())[path]
    assert parser.description, f"{' '.join(path)} has no description"
    assert "示例" in (parser.epilog or ""), f"{' '.join(path)} --help shows no example"


def test_help_runs(aexl):
    result = aexl("--help")
    assert result.returncode == 0
    assert "示例" in result.stdout


def test_bad_arguments_give_one_chinese_line_and_exit_2(aexl):
    result = aexl("no-such-command")
    assert result.returncode == 2
    assert "参数有误" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_help_and_usage_errors_are_in_chinese(aexl):
    result = aexl("weekly", "--help")
    assert "用法" in result.stdout and "usage:" not in result.stdout
    assert "显示本帮助并退出" in result.stdout
    result = aexl("weekly", "--book", "x.xlsx")
    assert "缺少必填参数：--week" in result.stderr
    assert "required" not in result.stderr
    result = aexl("placements", "--book", "x.xlsx", "--week", "2026-W47", "--month", "2026-10")
    assert result.returncode == 2 and "不能与参数" in result.stderr


@pytest.mark.parametrize(
    "args, flag",
    [
        (("weekly", "--week", "2026-W60"), "--week"),
        (("monthly", "--month", "13"), "--month"),
        (("year-end", "--year", "二六"), "--year"),
        (("placements", "--month", "2026/13"), "--month"),
        (("charts", "--month", "10月"), "--month"),
    ],
)
def test_a_bad_period_names_its_flag(aexl, tmp_path, args, flag):
    result = aexl(*args, "--book", tmp_path / "none.xlsx", "--out", tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"aexl: {flag} ") and "写法有误" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("init", "{file}/x.xlsx"),
        ("weekly", "--book", "{book}", "--week", "2026-W45", "--out", "{file}"),
    ],
)
def test_an_output_path_under_a_file_is_a_user_error(aexl, tmp_path, args):
    book = shutil.copy(SAMPLE, tmp_path / "wb.xlsx")
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = aexl(*(a.format(file=blocker, book=book) for a in args))
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "afile" in result.stderr and "Traceback" not in result.stderr


def test_force_replaces_an_edited_report_and_without_it_the_edit_is_kept(aexl, tmp_path):
    from openpyxl import load_workbook

    book = shutil.copy(SAMPLE, tmp_path / "wb.xlsx")
    args = ("monthly", "--book", book, "--month", "2026-10", "--brand", "星河", "--out", tmp_path)
    first = aexl(*args)
    assert first.returncode == 0, first.stderr
    written = Path(first.stdout.strip())
    edited = load_workbook(written)
    edited.active["A1"] = "AM 改过的标题"
    edited.save(written)

    kept = aexl(*args)
    beside = Path(kept.stdout.strip())
    assert kept.returncode == 0 and beside != written and beside.parent == written.parent
    assert "--force" in kept.stderr
    assert load_workbook(written).active["A1"].value == "AM 改过的标题"

    forced = aexl(*args, "--force")
    assert forced.returncode == 0 and Path(forced.stdout.strip()) == written
    assert load_workbook(written).active["A1"].value != "AM 改过的标题"


def test_weekly_client_copy_by_default_and_department_copy_with_internal(aexl, tmp_path):
    from openpyxl import load_workbook

    def text(path):
        rows = load_workbook(path).active.iter_rows(values_only=True)
        return " ".join(str(v) for row in rows for v in row if v is not None)

    args = ("weekly", "--book", SAMPLE, "--week", "2026-W44", "--brand", "星河", "--out", tmp_path)
    client = aexl(*args)
    internal = aexl(*args, "--internal")
    assert client.returncode == 0 == internal.returncode, client.stderr + internal.stderr
    client_path, internal_path = Path(client.stdout.strip()), Path(internal.stdout.strip())
    assert internal_path.name.endswith("_内部.xlsx") and not client_path.name.endswith("_内部.xlsx")
    assert "财务情况" not in text(client_path) and "财务情况" in text(internal_path)


def test_a_full_disk_half_way_leaves_no_partial_set_of_reports(aexl, tmp_path, monkeypatch):
    """Issue 10 point 9: weekly writes one file per brand; the disk fills up after the first."""
    import errno

    from aexl.monthend import publish

    out = tmp_path / "out"
    out.mkdir()
    (out / "已有的文件.txt").write_text("留着")
    real = publish.Publication.put
    calls = []

    def put(self, staged, name):
        calls.append(name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(out / name))
        return real(self, staged, name)

    monkeypatch.setattr(publish.Publication, "put", put)
    result = aexl("weekly", "--book", SAMPLE, "--week", "2026-W44", "--out", out)
    assert result.returncode == 2 and len(calls) == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "磁盘空间不足" in result.stderr and "没有写出任何报告" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["已有的文件.txt"]  # nothing half-written


def test_a_very_long_brand_name_gives_a_short_safe_file_name(aexl, tmp_path):
    """Issue 10 point 10: a 200-character brand never makes a failing path."""
    from openpyxl import load_workbook

    book = shutil.copy(SAMPLE, tmp_path / "wb.xlsx")
    wb = load_workbook(book)
    long_name = "星河" + "超长品牌名" * 40
    for ws in wb.worksheets:
        headers = [c.value for c in ws[1]]
        if "品牌" not in headers:
            continue
        col = headers.index("品牌") + 1
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, col).value == "星河":
                ws.cell(row, col).value = long_name
    wb.save(book)
    result = aexl("weekly", "--book", book, "--week", "2026-W44", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    names = [Path(line).name for line in result.stdout.split()]
    assert names and all(len(n.encode()) <= 255 for n in names)
    assert any("星河超长品牌名" in n and "~" in n for n in names)


def test_year_end_rerun_keeps_what_the_am_wrote(aexl, tmp_path):
    """Issue 10 point 7: fill the 「请 AM 填写」 boxes, rerun year-end: the text survives."""
    from openpyxl import load_workbook

    args = ("year-end", "--book", SAMPLE, "--year", "2026", "--brand", "星河", "--out", tmp_path)
    first = aexl(*args)
    assert first.returncode == 0, first.stderr
    path = Path(first.stdout.strip())
    wb = load_workbook(path)
    ws = wb.active
    box = next(c for row in ws.iter_rows() for c in row if c.value and "请 AM 填写" in str(c.value))
    box.value = "前言：今年我们与星河一起……（AM 写的）"
    wb.save(path)
    again = aexl(*args)
    assert again.returncode == 0 and Path(again.stdout.strip()) != path
    assert "被修改过" in again.stderr and "--force" in again.stderr
    assert load_workbook(path).active[box.coordinate].value.startswith("前言：今年我们")


def test_internal_errors_are_logged_in_the_tests_temp_folder(tmp_path, monkeypatch, capsys):
    """The suite never writes the user's error log: AEXL_ERROR_LOG (tests/conftest.py) holds."""
    import os
    import tempfile

    from aexl import cli
    from aexl.errors import error_log_path

    real = Path(tempfile.gettempdir()) / "aexl-error.log"
    before = real.stat().st_mtime_ns if real.exists() else None
    log = error_log_path()
    assert log == Path(os.environ["AEXL_ERROR_LOG"]) and log != real
    assert Path(tempfile.gettempdir()) in log.parents  # pytest's own temp folders

    def broken(_args):
        raise RuntimeError("a bug")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser.set_defaults(func=broken)
    assert cli.main([]) == 3
    assert "RuntimeError: a bug" in log.read_text("utf-8")
    assert str(log) in capsys.readouterr().err
    assert (real.stat().st_mtime_ns if real.exists() else None) == before


# ---- real processes: the entry points and what a shell sees -------------------


def test_python_dash_m_aexl_runs_and_exits_2_on_a_usage_error():
    ok = subprocess.run([sys.executable, "-m", "aexl", "--version"], capture_output=True,
                        text=True, timeout=120)  # fmt: skip
    assert ok.returncode == 0 and ok.stdout.startswith("aexl ")
    bad = subprocess.run([sys.executable, "-m", "aexl", "weekly"], capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert bad.returncode == 2 and "缺少必填参数" in bad.stderr


def test_the_console_script_is_installed_and_runs():
    script = shutil.which("aexl", path=str(Path(sys.executable).parent)) or shutil.which("aexl")
    assert script, "the aexl console script is not installed (pip install -e .)"
    result = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "示例" in result.stdout
