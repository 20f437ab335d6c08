"""Shared test setup: nothing here may write outside the test's own temp folder.

``aexl`` (fixture): the ``aexl`` command run in this process —
``aexl("check", "--book", path)`` returns a ``Result`` with ``returncode``,
``stdout`` and ``stderr`` like ``subprocess.run``, in a fraction of the time.
Keep a few real subprocess runs for what only a new process shows (the entry
points, exit codes seen by a shell, stdin, the console encoding).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _error_log_in_tmp(tmp_path_factory, monkeypatch):
    """Internal errors a test provokes are logged in its temp folder, never in the user's
    log (``aexl.errors.error_log_path``); subprocesses inherit the variable."""
    log = tmp_path_factory.mktemp("errlog") / "aexl-error.log"
    monkeypatch.setenv("AEXL_ERROR_LOG", str(log))
    return log


@dataclass
class Result:
    """What one run of the command gave (the fields of ``subprocess.CompletedProcess``)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run_aexl(*args, cwd=None, stdin: str | None = None) -> Result:
    """``aexl.cli.main(args)`` in this process: stdout, stderr and the exit code captured,
    the ``aexl`` logger's handlers as a fresh process would have them."""
    from aexl.cli import main

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = []  # logging.basicConfig in main() attaches to this run's stderr
    old_cwd = Path.cwd()
    old_stdin = sys.stdin
    try:
        if cwd is not None:
            os.chdir(cwd)
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: --help, --version, usage errors
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdin = old_stdin
        os.chdir(old_cwd)
        for handler in root.handlers:
            handler.close()
        root.handlers = saved[0]
        root.setLevel(saved[1])
    return Result(argv, int(code or 0), out.getvalue(), err.getvalue())


@pytest.fixture
def aexl():
    """The in-process ``aexl`` command (see ``run_aexl``)."""
    return run_aexl


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The sample account set built by ``workbooks/make_sample.py`` once per test process;
    tests copy from it and never write into it."""
    from samples import load_make_sample

    out = tmp_path_factory.mktemp("sample")
    load_make_sample().build_sample(out)
    return out


@pytest.fixture
def sample_books(built_sample, tmp_path) -> Path:
    """A fresh copy of the sample's workbenches (its .xlsx files) in ``tmp_path/in``."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in built_sample.glob("*.xlsx"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL server per test process, on a free loopback port (the system's
    binaries, else the ``pgserver`` package of the test extra); stopped at the end."""
    from aexl.ledger.tempserver import TempPostgres, find_binaries

    bindir, source = find_binaries()
    if bindir is None:
        pytest.skip(
            f"PostgreSQL tests skipped: {source} (pip install -e '.[test]' brings pgserver)"
        )
    server = TempPostgres.start()
    yield server
    server.stop()


# ---------------------------------------------------------------------------- ledgers

_databases = {"made": 0}  # databases made in this test process, for unique names


def make_database(server) -> str:
    """The address of a new, empty database on ``server`` (a ``TempPostgres``)."""
    import psycopg

    _databases["made"] += 1
    name = f"ledger_{os.getpid()}_{_databases['made']}"
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def new_database():
    """``new_database(postgres)``: a new, empty database on the session's server."""
    return make_database


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Each ledger back end in turn."""
    return request.param


@pytest.fixture
def blank_url(backend, tmp_path, request) -> str:
    """The address of a ledger not yet set up, on each back end."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / '工作号台账.db'}"
    return make_database(request.getfixturevalue("postgres"))


@pytest.fixture
def url(blank_url) -> str:
    """The address of a new, empty ledger (``aexl ledger init`` done) on each back end."""
    from aexl.ledger import open_ledger

    open_ledger(blank_url, create=True).close()
    return blank_url


@pytest.fixture(scope="session")
def server_app(tmp_path_factory):
    """``aexl.excel.server.create_app()``'s (app, asgi app), made once per test process:
    xlwings_server reads its settings when first imported, so every test module that
    serves the add-in shares this one (skipped when xlwings-server is not installed)."""
    import importlib.util

    if importlib.util.find_spec("xlwings_server") is None:
        pytest.skip("xlwings-server is not installed")
    sys.path.insert(0, str(Path(__file__).parent))
    from excel_payload import ensure_remote_engine

    ensure_remote_engine()
    from aexl.excel import server

    return server.create_app(tmp_path_factory.mktemp("server"))
