"""The command itself: help with examples everywhere, one-line Chinese errors."""

import argparse
import subprocess
import sys

import pytest

from aexl.cli import COMMAND_MODULES, build_parser


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args], capture_output=True, text=True, timeout=120
    )


def subcommands(parser=None, prefix=()):
    """Every (sub)command path with its parser, nested groups included."""
    parser = parser or build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name), sub
                yield from subcommands(sub, (*prefix, name))


def test_every_planned_command_is_registered():
    names = {path[0] for path, _ in subcommands()}
    expected = {m.replace("_", "-") for m in COMMAND_MODULES} - {"yearend"} | {"year-end"}
    assert expected <= names


@pytest.mark.parametrize("path", [p for p, _ in subcommands()], ids=" ".join)
def test_every_command_has_help_with_an_example(path):
    parser = dict(subcommands())[path]
    assert parser.description, f"{' '.join(path)} has no description"
    assert "示例" in (parser.epilog or ""), f"{' '.join(path)} --help shows no example"


def test_help_runs():
    result = run("--help")
    assert result.returncode == 0
    assert "示例" in result.stdout


def test_bad_arguments_give_one_chinese_line_and_exit_2():
    result = run("no-such-command")
    assert result.returncode == 2
    assert "参数有误" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_help_and_usage_errors_are_in_chinese():
    result = run("weekly", "--help")
    assert "用法" in result.stdout and "usage:" not in result.stdout
    assert "显示本帮助并退出" in result.stdout
    result = run("weekly", "--book", "x.xlsx")
    assert "缺少必填参数：--week" in result.stderr
    assert "required" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("init", "{file}/x.xlsx"),
        ("weekly", "--book", "{book}", "--week", "2026-W45", "--out", "{file}"),
    ],
)
def test_an_output_path_under_a_file_is_a_user_error(tmp_path, args):
    import shutil
    from pathlib import Path

    sample = Path(__file__).parents[1] / "workbooks" / "sample" / "星河食品_AE工作台.xlsx"
    book = shutil.copy(sample, tmp_path / "wb.xlsx")
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run(*(a.format(file=blocker, book=book) for a in args))
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "afile" in result.stderr and "Traceback" not in result.stderr


def test_internal_errors_are_logged_in_the_tests_temp_folder(tmp_path, monkeypatch, capsys):
    """The suite never writes the user's error log: AEXL_ERROR_LOG (tests/conftest.py) holds."""
    import os
    import tempfile
    from pathlib import Path

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
