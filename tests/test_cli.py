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
