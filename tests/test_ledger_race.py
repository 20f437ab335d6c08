"""Races for a job number, against the real engines: SQLite always, and a PostgreSQL
server the suite starts itself (``aexl.ledger.tempserver``, as tests/test_ledger.py).

- two co-authoring requests to ``aexl serve`` carrying the same workbook state;
- the same through a real ``aexl serve --workers 2`` over HTTP;
- eight ``aexl jobno new`` processes on eight copies of one workbench;
- the database going down in the middle of ``jobno new``;
- a failure after allocation: the number is voided and never issued again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from books import job, write_book

from aexl.jobno import read_ledger
from aexl.ledger import open_ledger
from aexl.workbook.read import read_workbench

# ---------------------------------------------------------------------------- fixtures
# backend and url (a new, empty ledger on each back end): tests/conftest.py


def bench(path: Path) -> Path:
    """A workbench whose 美的/空调 numbers reach MDKT2026003."""
    brands = [{"客户": "华韵", "品牌": "美的", "品牌代码": None, "产品线": "空调"}]
    jobs = [job(f"MDKT2026{n:03d}", "美的", "空调") for n in (1, 2, 3)]
    return write_book(path, {"品牌": brands, "工作单": jobs})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ledger_state(url: str) -> dict[str, str]:
    with open_ledger(url) as ledger:
        return {e.number: e.status for e in ledger.list()}


def book_numbers(path: Path) -> list[str]:
    frame = read_workbench(path, sheets=("工作单",)).frame("工作单")
    return [n for n in frame["工作号"] if n]


# ------------------------------------------------------- co-authoring: the same state twice
@pytest.fixture(scope="module")
def app(server_app):
    return server_app[0]


def coauthor_payload(tmp_path: Path) -> dict:
    """What Excel on the web sends when an AE clicks 新建工作号 on row 3 (no number yet)."""
    from excel_payload import book_payload
    from openpyxl import load_workbook
    from test_ribbon import _job, workbench

    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job(None, "美的", "空调", "双十一", dt.datetime(2026, 11, 2)),
    ]
    path = workbench(tmp_path / "共享工作台.xlsx", jobs=jobs)
    return book_payload(load_workbook(path), name=path.name, active_sheet="工作单", selection="D3")


def two_clicks_at_once(app, payload: dict) -> list[str]:
    """Post the same workbook state twice, concurrently; the 工作单 number each got."""
    import httpx

    async def click(client):
        response = await client.post("/xlwings/custom-scripts-call/new_job_number", json=payload)
        assert response.status_code == 200, response.text
        actions = response.json()["actions"]
        writes = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == 1]
        assert len(writes) == 1, actions
        (write,) = writes
        return write["values"][0][0]

    async def both():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return list(await asyncio.gather(click(client), click(client)))

    return asyncio.run(both())


def test_coauthoring_race_gives_two_numbers(app, url, tmp_path, monkeypatch):
    monkeypatch.setenv("AEXL_LEDGER", url)
    numbers = two_clicks_at_once(app, coauthor_payload(tmp_path))
    assert sorted(numbers) == ["MDKT2026002", "MDKT2026003"]
    assert ledger_state(url) == {"MDKT2026002": "issued", "MDKT2026003": "issued"}


def test_without_a_ledger_the_race_is_real(app, tmp_path, monkeypatch):
    """What the ledger fixes: the same state gives the same number twice."""
    monkeypatch.delenv("AEXL_LEDGER", raising=False)
    assert two_clicks_at_once(app, coauthor_payload(tmp_path)) == ["MDKT2026002"] * 2


def test_two_server_workers_over_http_give_distinct_numbers(url, tmp_path):
    """A real ``aexl serve --workers 2``: the requests may land on either process."""
    import socket
    import time
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    sys.path.insert(0, str(Path(__file__).parent))
    payload = coauthor_payload(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    log = (tmp_path / "serve.log").open("w")
    command = [sys.executable, "-m", "aexl", "serve", "--insecure", "--workers", "2",
               "--port", str(port), "--ledger", url, "--project-dir", str(tmp_path / "proj")]  # fmt: skip
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/manifest.xml", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "aexl serve did not start"
            time.sleep(0.3)

        def click(_n):
            response = httpx.post(
                f"{base}/xlwings/custom-scripts-call/new_job_number", json=payload, timeout=60
            )
            assert response.status_code == 200, response.text
            writes = [a for a in response.json()["actions"] if a["func"] == "setValues"]
            return next(a["values"][0][0] for a in writes if a["sheet_position"] == 1)

        with ThreadPoolExecutor(4) as pool:
            numbers = list(pool.map(click, range(4)))
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
    assert sorted(numbers) == [f"MDKT2026{n:03d}" for n in (2, 3, 4, 5)]
    assert len(ledger_state(url)) == 4


# ------------------------------------------------- eight jobno new on eight copies at once
def test_eight_jobno_new_on_eight_copies(url, tmp_path):
    original = bench(tmp_path / "工作台.xlsx")
    copies = []
    for n in range(8):
        copy = tmp_path / f"副本{n}" / "工作台.xlsx"
        copy.parent.mkdir()
        copy.write_bytes(original.read_bytes())
        copies.append(copy)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aexl",
                "jobno",
                "new",
                "--book",
                str(copy),
                "--brand",
                "美的",
                "--line",
                "空调",
                "--date",
                "2026-11-26",
                "--ledger",
                url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for copy in copies
    ]
    results = [(p.communicate(timeout=300), p.returncode) for p in procs]
    assert [rc for _out, rc in results] == [0] * 8, [err for (_o, err), _rc in results]
    printed = [out.strip() for (out, _err), _rc in results]
    assert sorted(printed) == [f"MDKT2026{n:03d}" for n in range(4, 12)]  # 8 different
    for copy, number in zip(copies, printed, strict=True):
        assert book_numbers(copy)[-1] == number  # each copy holds the number it printed
        assert [e.jobno for e in read_ledger(copy)] == [number]
    assert ledger_state(url) == dict.fromkeys(printed, "issued")


# ---------------------------------------------------------- the database down mid-run
def test_database_down_mid_run_changes_nothing(url, backend, tmp_path, monkeypatch, aexl, request):
    """The ledger answers when ``jobno new`` starts and is gone when it allocates."""
    import sqlite3

    import aexl.ledger.issue as issue

    book = bench(tmp_path / "工作台.xlsx")
    before = digest(book)
    real = issue.allocate_previewed
    pg = request.getfixturevalue("postgres") if backend == "postgresql" else None
    held = []

    def go_down_then_allocate(*args, **kwargs):
        if pg is not None:
            pg.halt()
        else:  # another program holds the SQLite file
            held.append(sqlite3.connect(url[len("sqlite:///") :], isolation_level=None))
            held[-1].execute("BEGIN EXCLUSIVE")
        return real(*args, **kwargs)

    monkeypatch.setattr(issue, "allocate_previewed", go_down_then_allocate)
    monkeypatch.setenv("AEXL_LEDGER_TIMEOUT", "1")
    args = ("jobno", "new", "--book", book, "--brand", "美的", "--line", "空调",
            "--date", "2026-11-26", "--ledger", url)  # fmt: skip
    try:
        result = aexl(*args)
    finally:
        if pg is not None:
            pg.start_again()
        for conn in held:
            conn.execute("ROLLBACK")
            conn.close()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "工作号台账" in lines[0] and "Traceback" not in result.stderr
    assert "没有写入" in lines[0] or "占用" in lines[0]
    assert digest(book) == before  # the workbench is unchanged
    assert sorted(p.name for p in book.parent.iterdir() if p.suffix != ".db") == ["工作台.xlsx"]
    assert ledger_state(url) == {}  # nothing was written
    monkeypatch.setattr(issue, "allocate_previewed", real)
    again = aexl(*args)
    assert (again.returncode, again.stdout.strip()) == (0, "MDKT2026004")


# -------------------------------------------------- a failure after allocation: voided
def test_failure_after_allocation_voids_the_number(url, tmp_path, monkeypatch, aexl):
    import errno

    import aexl.workbook.edit as edit

    book = bench(tmp_path / "工作台.xlsx")
    before = digest(book)

    def read_only_now(pkg, path):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(edit, "write_package", read_only_now)
    args = ("jobno", "new", "--book", book, "--brand", "美的", "--line", "空调",
            "--date", "2026-11-26", "--ledger", url)  # fmt: skip
    failed = aexl(*args)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1
    assert digest(book) == before
    with open_ledger(url) as ledger:
        (entry,) = ledger.list()
    assert (entry.number, entry.status) == ("MDKT2026004", "voided")
    assert entry.void_reason.startswith("写入工作台失败")
    monkeypatch.undo()
    done = aexl(*args)
    assert (done.returncode, done.stdout.strip()) == (0, "MDKT2026005")  # 004 is never reused
    assert book_numbers(book)[-1] == "MDKT2026005"
    assert ledger_state(url) == {"MDKT2026004": "voided", "MDKT2026005": "issued"}
