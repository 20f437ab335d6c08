"""Docs that run: every ``aexl …`` example in README.md and in every ``--help``
epilog runs on a copy of the bundled sample and must not fail (exit 0, or 1 for
"findings"; 2 = a user error, 3 = a bug).

The examples run in order in one working folder made like this:

- ``workbooks/sample/``: a copy of the bundled sample (examples written from the
  repository root), and the same workbenches and ``样稿/`` at the top (examples
  written from inside the sample folder, ``--book 星河食品_AE工作台.xlsx``);
- ``美的_AE工作台.xlsx``: a workbench fresh from ``aexl init`` (the generic
  client of the help texts); ``文案.txt``: copy lines for the stdin example;
- the folders the help texts name (``工作台/``, ``D:/工作台/``, ``D:/台账/``,
  ``D:/客户资料/``, ``D:/客户档案/美的集团/`` with one quarterly summary) and a
  holiday notice (``2027放假通知.txt``, the 2026 notice of ``tests/data``);
- ``AEXL_LEDGER`` points at the ledger the ``ledger init`` example creates,
  ``HOME``/``USERPROFILE``/``APPDATA`` at the folder, so nothing is written
  outside it.

Examples that create things (``init``) run first, then README's, then the help
texts' in parser order. ``SKIP`` names the few that cannot run in a test, why.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import run_aexl

from aexl.cli import build_parser

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "workbooks" / "sample"
README = ROOT / "README.md"

SKIP = {
    "serve": "starts a server that runs until stopped (tests/test_server.py drives it)",
    "addin install": "installs into this user's Excel (XLSTART, %USERPROFILE%\\.aexl)",
    "calendar import 2027放假通知.txt --book 美的_AE工作台.xlsx":
        "asks for confirmation at a terminal (without one it exits 2); the --yes example runs",
}  # fmt: skip

# Examples that fail today, each with its reason; fixing one fails the test until it
# is removed here.
BROKEN = {
    "aexl ledger void MDKT2026007 --reason 客户取消":
        "voids a number the ledger of the sample does not hold (aexl/commands/ledger.py)",
}  # fmt: skip


def readme_examples(text: str) -> list[str]:
    """Command lines of README.md: the first code span of each row of a table whose
    first column is a command, and ``aexl`` lines of fenced shell blocks."""
    found = []
    for line in text.splitlines():
        if line.startswith("| `aexl ") or line.startswith("| `python -m aexl "):
            found.append(re.match(r"\| `([^`]+)`", line).group(1))
    for block in re.findall(r"```(?:bash|sh|console)?\n(.*?)```", text, re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith(("aexl ", "python -m aexl ")):
                    found.append(part)
    return found


def parsers(parser=None, prefix=()):
    """(command path, parser) of the command and every subcommand, in order."""
    parser = parser or build_parser()
    yield prefix, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, (*prefix, name))


def help_examples() -> list[str]:
    """The example lines of every --help epilog (``a   或   b`` is two examples)."""
    found = []
    for _path, parser in parsers():
        for line in (parser.epilog or "").splitlines():
            line = line.strip().removeprefix("示例：").strip()
            for part in re.split(r"\s+或\s+", line):
                if part.startswith("aexl "):
                    found.append(part)
    return found


def examples() -> list[str]:
    every = list(dict.fromkeys([*readme_examples(README.read_text("utf-8")), *help_examples()]))
    first = [e for e in every if re.match(r"aexl (\w+ )?init\b", e)]
    return first + [e for e in every if e not in first]


def argv_of(example: str) -> tuple[list[str], str | None]:
    """The arguments after ``aexl`` and the file given with ``<`` (a trailing
    （comment） dropped)."""
    example = re.sub(r"\s+（[^）]*）$", "", example)
    words = shlex.split(example)
    words = words[3:] if words[:3] == ["python", "-m", "aexl"] else words[1:]
    stdin = None
    if "<" in words:
        at = words.index("<")
        stdin, words = words[at + 1], words[:at] + words[at + 2 :]
    return words, stdin


def skipped(argv: list[str]) -> str | None:
    """Why an example is not run: a SKIP entry that is the example or its command."""
    for cmd, why in SKIP.items():
        words = cmd.split()
        if argv[: len(words)] == words and (len(words) <= 2 or argv == words):
            return why
    return None


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    work = tmp_path_factory.mktemp("docs")
    shutil.copytree(SAMPLE, work / "workbooks" / "sample")
    shutil.copytree(SAMPLE, work, dirs_exist_ok=True)
    (work / "文案.txt").write_text("全网销量第一，品质最佳\n开封后最好冷藏\n", "utf-8")
    for books in (work / "工作台", work / "D:" / "工作台"):  # month-end --in, ledger import --in
        books.mkdir(parents=True)
        for book in SAMPLE.glob("*_AE工作台.xlsx"):
            shutil.copy(book, books)
    (work / "D:" / "台账").mkdir()  # ledger init makes the ledger, not its folder
    (work / "D:" / "客户资料").mkdir()  # month-end --files
    client = work / "D:" / "客户档案" / "美的集团"  # files init adds its folders around
    client.mkdir(parents=True)
    (client / "20260915_美的空调_季度总结.docx").write_bytes(b"Q3 summary")  # files archive
    notice = Path(__file__).parent / "data" / "holiday_notices" / "2026.txt"
    shutil.copy(notice, work / "2027放假通知.txt")  # calendar import
    return work


@pytest.fixture
def sandbox(folder, monkeypatch):
    for name in ("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("AEXL_LEDGER", "sqlite:///D:/台账/工作号.db")
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    return folder


def test_there_are_examples_to_run():
    readme = readme_examples(README.read_text("utf-8"))
    assert len(readme) >= 15 and any(e.startswith("python -m aexl") for e in readme)
    names = {argv_of(e)[0][0] for e in examples()}
    assert {"weekly", "monthly", "year-end", "jobsheet", "month-end", "check"} <= names


def test_the_fresh_client_book_comes_from_aexl_init():
    assert "aexl init 美的_AE工作台.xlsx" in examples()[:3]


def test_every_example_runs_on_the_sample(sandbox):
    """One test, in order: examples build on each other (``init`` first), so they must
    not be spread over xdist workers. Every failure is listed, not only the first."""
    failed, fixed = [], []
    for example in examples():
        argv, stdin = argv_of(example)
        if skipped(argv):
            continue
        text = (sandbox / stdin).read_text("utf-8") if stdin else None
        result = run_aexl(*argv, cwd=sandbox, stdin=text)
        ok = result.returncode in (0, 1) and "Traceback" not in result.stderr
        if example in BROKEN:
            fixed += [example] if ok else []
        elif not ok:
            failed.append(f"{example}\n  → exit {result.returncode}: {result.stderr.strip()}")
    assert not failed, "examples that fail on the sample:\n" + "\n".join(failed)
    assert not fixed, f"these work now, remove them from BROKEN: {fixed}"


def test_skipped_and_broken_examples_are_still_there():
    every = examples()
    assert all(e in every for e in BROKEN)
    assert all(any(skipped(argv_of(e)[0]) == why for e in every) for why in SKIP.values())
