"""The job-number ledger against the real engines: SQLite, and a PostgreSQL server the
suite starts itself (the system's binaries, else the ``pgserver`` package)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from multiprocessing import get_context
from pathlib import Path

import openpyxl
import pytest
from books import job, write_book

from aexl.errors import AexlError
from aexl.ledger import LedgerError, LedgerUnreachableError, ledger_url_from, open_ledger
from aexl.ledger.books import export_xlsx, import_books

# ---------------------------------------------------------------------------- fixtures
# backend, blank_url, url and new_database: tests/conftest.py


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def numbers(url: str, prefix: str | None = None) -> list[str]:
    with open_ledger(url) as ledger:
        return [e.number for e in ledger.list(prefix)]


# --------------------------------------------------------------------- allocation rules
@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # (action, args) … → the numbers allocate returned, in order
        ([("allocate", "MD", "KT", 2026, 0)] * 3, ["MDKT2026001", "MDKT2026002", "MDKT2026003"]),
        # floor: the workbench already used 041 → the ledger starts past it
        ([("allocate", "MD", "KT", 2026, 41)], ["MDKT2026042"]),
        # a floor below the ledger's highest changes nothing
        ([("allocate", "MD", "KT", 2026, 0), ("allocate", "MD", "KT", 2026, 0),
          ("allocate", "MD", "KT", 2026, 1)], ["MDKT2026001", "MDKT2026002", "MDKT2026003"]),
        # prefixes and years are counted apart
        ([("allocate", "MD", "KT", 2026, 0), ("allocate", "MD", "BX", 2026, 0),
          ("allocate", "MD", "KT", 2027, 0), ("allocate", "MD", "KT", 2026, 0)],
         ["MDKT2026001", "MDBX2026001", "MDKT2027001", "MDKT2026002"]),
        # seeded: next after the seed; past 999 the serial grows to four digits
        ([("seed", "MDKT2026", 998), ("allocate", "MD", "KT", 2026, 0),
          ("allocate", "MD", "KT", 2026, 0)], ["MDKT2026999", "MDKT20261000"]),
        # a seed never lowers the highest
        ([("allocate", "MD", "KT", 2026, 5), ("seed", "MDKT2026", 2),
          ("allocate", "MD", "KT", 2026, 0)], ["MDKT2026006", "MDKT2026007"]),
        # codes are compared as typed job numbers are: NFKC, upper case
        ([("allocate", "ｍｄ", "kt ", 2026, 0)], ["MDKT2026001"]),
        # a code ending in a digit
        ([("allocate", "X7", "KT", 2026, 0)], ["X7KT2026001"]),
    ],
)  # fmt: skip
def test_allocation_rules(url, steps, expected):
    got = []
    with open_ledger(url) as ledger:
        for action, *args in steps:
            if action == "seed":
                ledger.seed(*args)
            else:
                *codes, floor = args
                got.append(ledger.allocate(*codes, floor=floor))
    assert got == expected
    assert sorted(numbers(url)) == sorted(got)


def test_allocation_records_who_what_where(url):
    with open_ledger(url) as ledger:
        number = ledger.allocate("MD", "KT", 2026, brand="美的", line="空调",
                                 workbench=Path("/共享/美的_AE工作台.xlsx"), user="王小明")  # fmt: skip
        (entry,) = ledger.list("MDKT2026")
    assert (entry.number, entry.brand, entry.line, entry.workbench, entry.user) == (
        number, "美的", "空调", "美的_AE工作台.xlsx", "王小明",
    )  # fmt: skip
    assert (entry.brand_code, entry.line_code, entry.year, entry.serial) == ("MD", "KT", 2026, 1)
    assert entry.status == "issued" and entry.void_reason is None
    assert entry.issued_at is not None and entry.issued_at.tzinfo is not None
    assert abs(time.time() - entry.issued_at.timestamp()) < 120


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (("M-D", "KT", 2026), "只能由大写字母和数字组成"),
        (("MD", "KT", 1800), "年份 1800 不对"),
        (("", "", 2026), "至少有一个字母"),
    ],
)
def test_bad_codes_are_refused_and_nothing_is_written(url, codes, message):
    with open_ledger(url) as ledger, pytest.raises(AexlError, match=message):
        ledger.allocate(*codes)
    assert numbers(url) == []


# ------------------------------------------------------------------------ concurrency
_BARRIER = None


def _join(barrier) -> None:
    global _BARRIER
    _BARRIER = barrier


def _allocate_many(url: str, count: int) -> list[str]:
    _BARRIER.wait(timeout=120)  # all eight processes begin at the same moment
    with open_ledger(url, timeout=60) as ledger:
        return [
            ledger.allocate("MD", "KT", 2026, brand="美的", line="空调", user=f"p{os.getpid()}")
            for _ in range(count)
        ]


def test_eight_processes_get_200_distinct_consecutive_numbers(url):
    context = get_context("spawn")
    barrier = context.Barrier(8)
    with context.Pool(8, initializer=_join, initargs=(barrier,)) as pool:
        results = pool.starmap(_allocate_many, [(url, 25)] * 8, chunksize=1)
    issued = [n for batch in results for n in batch]
    assert len(issued) == 200
    assert sorted(issued) == [f"MDKT2026{n:03d}" for n in range(1, 201)]
    for batch in results:  # each process saw its own numbers grow
        assert batch == sorted(batch)
    assert sorted(numbers(url, "MDKT2026")) == sorted(issued)
    with open_ledger(url) as ledger:
        assert [(c.prefix, c.highest) for c in ledger.counters()] == [("MDKT2026", 200)]


# ----------------------------------------------------------------------------- voiding
def test_voided_numbers_are_never_reissued(url):
    with open_ledger(url) as ledger:
        first, second, third = (ledger.allocate("MD", "KT", 2026) for _ in range(3))
        ledger.void(third, "写入工作台失败")
        ledger.void(second, "客户取消")
        assert ledger.allocate("MD", "KT", 2026) == "MDKT2026004"
        again = ledger.void(second, "另一个原因")  # voiding twice keeps the first reason
        assert (again.status, again.void_reason) == ("voided", "客户取消")
        assert again.voided_at is not None
        status = {e.number: e.status for e in ledger.list()}
    assert status == {first: "issued", second: "voided", third: "voided", "MDKT2026004": "issued"}


@pytest.mark.parametrize(
    ("number", "reason", "message"),
    [
        ("MDKT2026099", "客户取消", "台账里没有工作号 MDKT2026099"),
        ("MDKT2026001", "  ", "须写明原因"),
    ],
)
def test_void_refuses(url, number, reason, message):
    with open_ledger(url) as ledger:
        ledger.allocate("MD", "KT", 2026)
        with pytest.raises(LedgerError, match=message):
            ledger.void(number, reason)
        assert [e.status for e in ledger.list()] == ["issued"]


# --------------------------------------------------------------------------- failures
def test_postgres_going_down_mid_run_is_a_clear_error_and_writes_nothing(postgres, new_database):
    url = new_database(postgres)
    open_ledger(url, create=True).close()
    ledger = open_ledger(url)
    try:
        assert ledger.allocate("MD", "KT", 2026) == "MDKT2026001"
        postgres.halt()
        with pytest.raises(LedgerUnreachableError) as caught:
            ledger.allocate("MD", "KT", 2026)
        message = str(caught.value)
        assert "连接出错" in message and "没有写入任何内容" in message and "\n" not in message
        with pytest.raises(LedgerUnreachableError, match="无法连接工作号台账数据库"):
            open_ledger(url, timeout=2)
    finally:
        ledger.close()
        postgres.start_again()
    with open_ledger(url) as ledger:
        assert ledger.allocate("MD", "KT", 2026) == "MDKT2026002"
        assert [e.number for e in ledger.list()] == ["MDKT2026001", "MDKT2026002"]


def test_sqlite_held_by_another_program_is_a_clear_error_and_writes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    open_ledger(url, create=True).close()
    holder = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with (
            open_ledger(url, timeout=0.3) as ledger,
            pytest.raises(LedgerUnreachableError, match="正被其他程序占用"),
        ):
            ledger.allocate("MD", "KT", 2026)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with open_ledger(url) as ledger:
        assert ledger.allocate("MD", "KT", 2026) == "MDKT2026001"


@pytest.mark.parametrize(
    ("make_url", "message"),
    [
        (lambda tmp: None, "没有指定工作号台账"),
        (lambda tmp: "mysql://h/db", "地址「mysql://h/db」不对"),
        (lambda tmp: "sqlite:///", "缺少文件路径"),
        (lambda tmp: f"sqlite:///{tmp / '打错的名字.db'}", "找不到工作号台账"),
        (lambda tmp: f"sqlite:///{tmp / '没有的文件夹' / 'l.db'}", "找不到工作号台账"),
        (lambda tmp: f"sqlite:///{tmp / 'not_a_ledger.db'}", "不是工作号台账"),
        (lambda tmp: f"sqlite:///{tmp / 'empty.db'}", "还没有工作号台账"),
    ],
)
def test_open_ledger_refuses(tmp_path, make_url, message):
    (tmp_path / "not_a_ledger.db").write_bytes(b"this is not sqlite" * 100)
    sqlite3.connect(tmp_path / "empty.db").execute("CREATE TABLE x (a)").connection.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(LedgerError, match=message) as caught:
        open_ledger(make_url(tmp_path))
    assert "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # a typo never makes a new ledger


def test_postgres_unreachable_and_not_set_up(postgres, new_database):
    dead = "postgresql://aexl:秘密@127.0.0.1:1/x"
    with pytest.raises(LedgerUnreachableError, match="无法连接") as caught:
        open_ledger(dead, timeout=2)
    assert "秘密" not in str(caught.value) and ":***@" in str(caught.value)
    with pytest.raises(LedgerError, match="还没有工作号台账"):
        open_ledger(new_database(postgres))


def test_init_is_idempotent(url):
    with open_ledger(url) as ledger:
        ledger.allocate("MD", "KT", 2026)
    open_ledger(url, create=True).close()
    assert numbers(url) == ["MDKT2026001"]


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        ({"AEXL_LEDGER": " sqlite:///a.db "}, None, "sqlite:///a.db"),
        ({}, None, None),
        ({"AEXL_LEDGER": "  "}, None, None),
        (type("Args", (), {"ledger": "postgresql://h/db"})(), "sqlite:///env.db", "postgresql://h/db"),
        (type("Args", (), {"ledger": None})(), "sqlite:///env.db", "sqlite:///env.db"),
    ],
)  # fmt: skip
def test_ledger_url_from(monkeypatch, source, env, expected):
    if env:
        monkeypatch.setenv("AEXL_LEDGER", env)
    assert ledger_url_from(source) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///jobno.db", Path("jobno.db")),
        ("sqlite:////srv/台账/jobno.db", Path("/srv/台账/jobno.db")),
        ("sqlite:///D:/台账/工作号.db", Path("D:/台账/工作号.db")),
    ],
)
def test_sqlite_path(url, expected):
    from aexl.ledger import sqlite_path

    assert sqlite_path(url) == expected


# ---------------------------------------------------------------------- import / export
def _bench(path: Path, jobs: list[tuple]) -> Path:
    brands = [{"客户": "华韵", "品牌": "美的", "品牌代码": None, "产品线": "空调"}]
    return write_book(path, {"品牌": brands, "工作单": [job(n, b, line) for n, b, line in jobs]})


def test_import_seeds_every_prefix_and_reports_duplicates(url, tmp_path):
    folder = tmp_path / "工作台"
    folder.mkdir()
    _bench(folder / "美的_AE工作台.xlsx", [
        ("MDKT2026001", "美的", "空调"), ("MDKT2026002", "美的", "空调"),
        ("mdkt2026005", "美的", "空调"), ("工作号待定", "美的", "空调"), (None, "美的", "空调"),
    ])  # fmt: skip
    _bench(folder / "格力_AE工作台.xlsx", [
        ("MDKT2026002", "美的", "空调"), ("GLKT2026003", "格力", "空调"),
        ("GLKT2025010", "格力", "空调"),
    ])  # fmt: skip
    (folder / "坏文件.xlsx").write_bytes(b"not a zip")
    write_book(
        folder / "20261130_美的_月度工作总结.xlsx", {"品牌": []}
    )  # a report, not a workbench
    (folder / "~$美的_AE工作台.xlsx").write_bytes(b"Excel's owner file")
    with open_ledger(url) as ledger:
        ledger.seed("GLKT2026", 7)  # the ledger already knows more than the books
        report = import_books(ledger, folder)
        assert [p.name for p in report.books] == ["格力_AE工作台.xlsx", "美的_AE工作台.xlsx"]
        assert report.seeded == [("GLKT2025", 10, 10), ("GLKT2026", 3, 7), ("MDKT2026", 5, 5)]
        assert report.duplicates == {
            "MDKT2026002": ["格力_AE工作台.xlsx 第 2 行", "美的_AE工作台.xlsx 第 3 行"]
        }
        problems = "\n".join(report.problems)
        assert "坏文件.xlsx" in problems
        assert "美的_AE工作台.xlsx，工作表「工作单」，第 5 行，「工作号」列" in problems
        assert "工作号待定" in problems
        assert [p.name for p in report.skipped] == ["20261130_美的_月度工作总结.xlsx"]
        assert len(report.problems) == 2 and not report.ok
        assert ledger.allocate("MD", "KT", 2026) == "MDKT2026006"
        assert ledger.allocate("GL", "KT", 2026) == "GLKT2026008"
        assert ledger.allocate("GL", "KT", 2025) == "GLKT2025011"
    # the same through the command: exit 1 (findings), the duplicate named
    result = run("ledger", "import", "--in", str(folder), "--ledger", url)
    assert result.returncode == 1, result.stderr
    assert (
        "重复：工作号 MDKT2026002 用了 2 次：格力_AE工作台.xlsx 第 2 行；美的_AE工作台.xlsx 第 3 行"
        in result.stdout
    )
    assert "MDKT2026：工作台最大号 005，下一个 007（台账原有更大的号，保持 006）" in result.stdout


def _with_ledger_sheet(path: Path, numbers: list[str]) -> Path:
    """Add the in-workbench ledger (very hidden ``_工作号台账``) holding ``numbers``."""
    from aexl.jobno import LEDGER_HEADERS, LEDGER_SHEET

    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet(LEDGER_SHEET)
    ws.sheet_state = "veryHidden"
    ws.append(list(LEDGER_HEADERS))
    for number in numbers:
        ws.append([number, "2026-03-02T10:00:00+08:00", "张伟", "美的", "空调", ""])
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("ledgers", "seeded", "duplicates", "problems"),
    [
        # a row deleted after issue: the ledger sheet still counts its number
        ({"美的.xlsx": ["MDKT2026001", "MDKT2026009"]}, [("MDKT2026", 9, 9)], {}, []),
        # a ledger entry with its row in the same book is one issue, not a duplicate
        ({"美的.xlsx": ["MDKT2026001", "MDKT2026002"]}, [("MDKT2026", 2, 2)], {}, []),
        # a deleted row's number used again by another workbench is a duplicate
        ({"美的.xlsx": ["MDKT2026007"], "副本.xlsx": []}, [("MDKT2026", 7, 7)],
         {"MDKT2026007": ["副本.xlsx 第 2 行", "美的.xlsx 工作号台账第 2 行（工作单中已删除）"]}, []),
        # an entry that is not a job number is named with its sheet and row
        ({"美的.xlsx": ["乱写的"]}, [("MDKT2026", 2, 2)], {},
         ["美的.xlsx，工作表「_工作号台账」，第 2 行，「工作号」列"]),
    ],
)  # fmt: skip
def test_import_reads_the_in_workbench_ledgers(
    url, tmp_path, ledgers, seeded, duplicates, problems
):
    folder = tmp_path / "工作台"
    folder.mkdir()
    _bench(folder / "美的.xlsx", [("MDKT2026001", "美的", "空调"), ("MDKT2026002", "美的", "空调")])
    if "副本.xlsx" in ledgers:
        _bench(folder / "副本.xlsx", [("MDKT2026007", "美的", "空调")])
    for name, numbers in ledgers.items():
        if numbers:
            _with_ledger_sheet(folder / name, numbers)
    with open_ledger(url) as ledger:
        report = import_books(ledger, folder)
        assert report.seeded == seeded
        assert report.duplicates == duplicates
        assert len(report.problems) == len(problems)
        assert all(p in "\n".join(report.problems) for p in problems)
        top = seeded[0][2]
        assert ledger.allocate("MD", "KT", 2026) == f"MDKT2026{top + 1:03d}"


def test_export_writes_every_number_and_prefix(url, tmp_path):
    with open_ledger(url) as ledger:
        ledger.allocate("MD", "KT", 2026, brand="=美的+1", line="空调", user="王小明")
        ledger.allocate("MD", "KT", 2026, brand="美的", line="空调")
        ledger.void("MDKT2026002", "客户取消")
        ledger.seed("GLKT2026", 41)
        written = export_xlsx(ledger, tmp_path / "台账.xlsx")
    assert written == tmp_path / "台账.xlsx"
    wb = openpyxl.load_workbook(written)
    assert wb.sheetnames == ["工作号台账", "各前缀最大号"]
    rows = [
        r for r in wb["工作号台账"].iter_rows(values_only=True) if r[0] and r[0].startswith("MD")
    ]
    assert [(r[0], r[1], r[2], r[9], r[11]) for r in rows] == [
        ("MDKT2026001", "已开", "=美的+1", "王小明", None),
        ("MDKT2026002", "已作废", "美的", rows[1][9], "客户取消"),
    ]
    cell = next(c for row in wb["工作号台账"].iter_rows() for c in row if c.value == "=美的+1")
    assert cell.data_type == "s"  # text that starts with = stays text
    counters = [
        r
        for r in wb["各前缀最大号"].iter_rows(values_only=True)
        if r[0] in ("GLKT2026", "MDKT2026")
    ]
    assert counters == [
        ("GLKT2026", "GLKT", 2026, 41, "GLKT2026042"),
        ("MDKT2026", "MDKT", 2026, 2, "MDKT2026003"),
    ]


def test_backup_is_a_whole_ledger(url, backend, tmp_path):
    with open_ledger(url) as ledger:
        for _ in range(3):
            ledger.allocate("MD", "KT", 2026)
        ledger.void("MDKT2026002", "客户取消")
        if backend == "postgresql":
            with pytest.raises(LedgerError, match="pg_dump"):
                ledger.backup(tmp_path / "b.db")
            return
        copy = ledger.backup(tmp_path / "备份" / "b.db")
        with pytest.raises(LedgerError, match="不能是台账本身"):
            ledger.backup(ledger.path)
    assert sorted(p.name for p in copy.parent.iterdir()) == ["b.db"]  # no temp file left
    result = run("ledger", "list", "--ledger", f"sqlite:///{copy}")
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()[1:]] == [
        ["MDKT2026001", "已开"], ["MDKT2026002", "已作废"], ["MDKT2026003", "已开"],
    ]  # fmt: skip
    with open_ledger(f"sqlite:///{copy}") as restored:
        assert restored.allocate("MD", "KT", 2026) == "MDKT2026004"


# ------------------------------------------------------------------------------ the CLI
def test_cli_round_trip(blank_url, tmp_path):
    env = {"AEXL_LEDGER": blank_url}
    assert run("ledger", "list", env=env).returncode == 2  # not set up yet
    result = run("ledger", "init", env=env)
    assert result.returncode == 0 and "工作号台账已就绪" in result.stdout, result.stderr
    assert run("ledger", "seed", "MDKT2026", "--highest", "6", env=env).stdout.strip() == (
        "MDKT2026：已用最大号 006，下一个 007"
    )
    with open_ledger(blank_url) as ledger:
        ledger.allocate("MD", "KT", 2026, brand="美的", line="空调", user="王小明")
    result = run("ledger", "void", "mdkt2026007", "--reason", "客户取消", env=env)
    assert result.stdout.strip() == "已作废：MDKT2026007（原因：客户取消）", result.stderr
    listed = run("ledger", "list", "--prefix", "MDKT", env=env).stdout.splitlines()
    assert (
        run("ledger", "--ledger", blank_url, "list", "--prefix", "MDKT").stdout.splitlines()
        == listed
    )
    assert listed[0].split("\t")[:3] == ["工作号", "状态", "品牌"]
    assert listed[1].split("\t")[:6] == ["MDKT2026007", "已作废", "美的", "空调", "", "王小明"]
    assert listed[1].split("\t")[-1] == "客户取消"
    out = tmp_path / "导出.xlsx"
    result = run("ledger", "export", "--out", str(out), env=env)
    assert result.returncode == 0 and result.stdout.strip() == str(out), result.stderr
    assert out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ledger", "list"), "没有指定工作号台账"),
        (("ledger", "void", "MDKT2026001", "--reason", "x", "--ledger", "postgresql://aexl@127.0.0.1:1/x"), "无法连接工作号台账数据库"),
        (("ledger", "import", "--in", "没有这个文件夹", "--ledger", "sqlite:///l.db"), "找不到文件夹"),
        (("ledger", "seed", "MDKT26", "--highest", "3", "--ledger", "sqlite:///l.db"), "前缀「MDKT26」不对"),
        (("ledger",), "请写子命令"),
    ],
)  # fmt: skip
def test_cli_errors_are_one_chinese_line_exit_2(tmp_path, monkeypatch, args, message):
    monkeypatch.delenv("AEXL_LEDGER", raising=False)
    monkeypatch.chdir(tmp_path)
    open_ledger("sqlite:///l.db", create=True).close()
    result = subprocess.run([sys.executable, "-m", "aexl", *args], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_export_with_the_database_down_writes_nothing(tmp_path):
    out = tmp_path / "台账.xlsx"
    result = run("ledger", "export", "--out", str(out),
                 "--ledger", "postgresql://aexl@127.0.0.1:1/x")  # fmt: skip
    assert result.returncode == 2 and "无法连接" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sub", ["init", "import", "list", "void", "export", "backup", "seed"])
def test_every_subcommand_has_an_example(sub):
    result = run("ledger", sub, "--help")
    assert result.returncode == 0
    assert "示例：" in result.stdout and f"aexl ledger {sub}" in result.stdout
