"""Job numbers: parse, format, allocate, check; ``aexl jobno new`` end to end."""

import errno
import os
import re
import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table
from test_codes import brands_workbook

from aexl import schema
from aexl.errors import AexlError, JobNumberError
from aexl.jobno import (
    LEDGER_HEADERS,
    LEDGER_SHEET,
    JobNo,
    SharedJobno,
    duplicate_jobnos,
    format_jobno,
    jobno_problem,
    next_jobno,
    next_jobnos,
    parse_jobno,
    read_ledger,
)
from aexl.newjob import issue_job_number
from aexl.workbook.edit import temp_tag
from aexl.workbook.read import read_workbench


def run(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args], capture_output=True, text=True, timeout=120, **kwargs
    )


# ---------------------------------------------------------------------------
# Pure functions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MDKT2026001", JobNo("MDKT", 2026, 1)),
        ("mdkt 2026 001", JobNo("MDKT", 2026, 1)),
        ("ＭＤＫＴ２０２６００１", JobNo("MDKT", 2026, 1)),
        ("MDKT2026999", JobNo("MDKT", 2026, 999)),
        ("MDKT20261000", JobNo("MDKT", 2026, 1000)),
        ("MDKT202612345", JobNo("MDKT", 2026, 12345)),
        ("3M2026001", JobNo("3M", 2026, 1)),  # a code starting with a digit
        ("BMWX72026001", JobNo("BMWX7", 2026, 1)),  # a code ending in a digit
        ("BMWX720261000", JobNo("BMWX7", 2026, 1000)),
    ],
)
def test_parse_jobno(text, expected):
    assert parse_jobno(text) == expected
    assert str(expected) == format_jobno(expected.prefix, "", expected.year, expected.serial)


@pytest.mark.parametrize(
    "text",
    ["", None, "MDKT", "MDKT202601", "MDKT2026000", "MDKT20260001", "2026001", "MD-KT2026001",
     "MDKT0026001"],
)  # fmt: skip
def test_parse_jobno_refuses(text):
    with pytest.raises(JobNumberError):
        parse_jobno(text)


def test_parse_with_a_known_prefix():
    assert parse_jobno("BMWX72026001", "BMWX7") == JobNo("BMWX7", 2026, 1)
    with pytest.raises(JobNumberError):
        parse_jobno("BMWX72026001", "MDKT")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("MD", "KT", 2026, 1), "MDKT2026001"),
        (("MD", "KT", 2026, 42), "MDKT2026042"),
        (("MD", "KT", 2026, 999), "MDKT2026999"),
        (("MD", "KT", 2026, 1000), "MDKT20261000"),
        (("md", " kt", 2027, 7), "MDKT2027007"),
    ],
)
def test_format_jobno(args, expected):
    assert format_jobno(*args) == expected


@pytest.mark.parametrize(
    "args", [("MD", "KT", 2026, 0), ("MD", "KT", 26, 1), ("", "", 2026, 1), ("M-D", "KT", 2026, 1)]
)
def test_format_jobno_refuses(args):
    with pytest.raises(JobNumberError):
        format_jobno(*args)


@pytest.mark.parametrize(
    ("issued", "year", "expected"),
    [
        ([], 2026, "MDKT2026001"),
        (["MDKT2026001", "MDKT2026002"], 2026, "MDKT2026003"),
        (["MDKT2026001", "MDKT2026007"], 2026, "MDKT2026008"),  # highest + 1, gaps kept
        (["MDKT2026005", "MDKT2026002"], 2026, "MDKT2026006"),  # order does not matter
        (["MDKT2025009"], 2026, "MDKT2026001"),  # per year
        (["MDKT2026009"], 2027, "MDKT2027001"),
        (["MDKT2026999"], 2026, "MDKT20261000"),  # grows past 999
        (["MDKT20261000"], 2026, "MDKT20261001"),
        (["GLKT2026004", "MDBX2026006"], 2026, "MDKT2026001"),  # other prefixes
        (["MDKTX2026009"], 2026, "MDKT2026001"),  # a longer prefix
        ([None, "", float("nan"), "乱写", 12], 2026, "MDKT2026001"),  # junk ignored
        (["mdkt2026003 "], 2026, "MDKT2026004"),  # typed loosely
    ],
)
def test_next_jobno(issued, year, expected):
    assert next_jobno(issued, "MD", "KT", year) == expected


@pytest.mark.parametrize(
    ("issued", "count", "expected"),
    [
        ([], 3, ["MDKT2026001", "MDKT2026002", "MDKT2026003"]),
        (["MDKT2026001", "MDKT2026007"], 2, ["MDKT2026008", "MDKT2026009"]),  # gaps kept
        (["MDKT2026998"], 3, ["MDKT2026999", "MDKT20261000", "MDKT20261001"]),
        (["MDKT2025009", "GLKT2026004"], 1, ["MDKT2026001"]),
        (["MDKT2026003"], 0, []),
    ],
)
def test_next_jobnos(issued, count, expected):
    assert next_jobnos(issued, "MD", "KT", 2026, count) == expected
    assert next_jobnos(issued, "MDKT", "", 2026, count) == expected  # the prefix alone will do


@pytest.mark.parametrize(
    ("jobno", "brand_code", "line_code", "year", "reason"),
    [
        ("MDKT2026001", "MD", "KT", 2026, ""),
        (" mdkt2026001", "MD", "KT", 2026, ""),
        ("MDKT2026001", "MD", "KT", None, ""),  # no date: the year is not checked
        ("BMWX72026001", "BMW", "X7", 2026, ""),
        ("", "MD", "KT", 2026, "空"),
        ("MDKT2025001", "MD", "KT", 2026, "年份 2025 与开单日期的年份 2026 不一致"),
        ("GLKT2026001", "MD", "KT", 2026, "代码是 GLKT"),
        ("MDKT26001", "MD", "KT", 2026, "格式不对"),
        ("GL26001", "MD", "KT", 2026, "应以 MDKT 开头"),
        ("MDKT2026000", "MD", "KT", 2026, "格式不对"),
    ],
)
def test_jobno_problem(jobno, brand_code, line_code, year, reason):
    problem = jobno_problem(jobno, brand_code, line_code, year)
    if reason:
        assert reason in problem
    else:
        assert problem == ""


# ---------------------------------------------------------------------------
# aexl jobno new


def make_bench(path, brands=(("美的", None, "空调", None),), jobs=(), *, table=True):
    """A workbench with 品牌 and 工作单 (rows of (工作号, 品牌, 产品线, 开单日期, 状态))."""
    wb = brands_workbook(brands)
    jobs_ws = wb.create_sheet("工作单")
    headers = schema.JOBS.headers
    jobs_ws.append(headers)
    for number, brand, line, day, status in jobs:
        row = dict.fromkeys(headers)
        row.update(
            {"工作号": number, "品牌": brand, "产品线": line, "开单日期": day, "状态": status}
        )
        jobs_ws.append([row[h] for h in headers])
    if table:
        last = max(2, jobs_ws.max_row)
        jobs_ws.add_table(Table(displayName="Jobs", ref=f"A1:U{last}"))
    wb.save(path)
    return path


def job_numbers(path):
    return [n for n in read_workbench(path, sheets=("工作单",)).frame("工作单")["工作号"] if n]


def test_new_number_is_appended_with_its_row(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    result = run("jobno", "new", "--book", str(book), "--brand", "美的", "--line", "空调",
                 "--date", "2026-11-26", "--project", "双十二海报")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "MDKT2026001"
    frame = read_workbench(book, sheets=("工作单",)).frame("工作单")
    row = frame.iloc[0]
    assert (row["工作号"], row["品牌"], row["产品线"], row["项目名称"]) == (
        "MDKT2026001", "美的", "空调", "双十二海报",
    )  # fmt: skip
    assert row["开单日期"] == date(2026, 11, 26)
    assert row["状态"] == "进行中"
    assert row["_row"] == 2
    blank = [c for c in schema.JOBS.headers if c not in
             ("工作号", "品牌", "产品线", "项目名称", "开单日期", "状态")]  # fmt: skip
    assert all(row[c] is None for c in blank)


@pytest.mark.parametrize(
    ("jobs", "day", "expected"),
    [
        # a cancelled job keeps its number: never reused
        ([("MDKT2026001", "美的", "空调", date(2026, 1, 5), "已取消")], "2026-02-01", "MDKT2026002"),
        ([("MDKT2026003", "美的", "空调", date(2026, 1, 5), "已完成"),
          ("MDKT2026001", "美的", "空调", date(2026, 1, 5), "已完成")], "2026-02-01", "MDKT2026004"),
        ([("MDKT2025044", "美的", "空调", date(2025, 12, 5), "已完成")], "2026年1月4日", "MDKT2026001"),
        ([("MDKT2026999", "美的", "空调", date(2026, 12, 5), "进行中")], "2026/12/30", "MDKT20261000"),
    ],
)  # fmt: skip
def test_next_number_from_the_book(tmp_path, jobs, day, expected):
    book = make_bench(tmp_path / "b.xlsx", jobs=jobs)
    result = run(
        "jobno", "new", "--book", str(book), "--brand", "美的", "--line", "空调", "--date", day
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
    assert job_numbers(book)[-1] == expected


def test_typed_codes_in_the_brand_sheet_win(tmp_path):
    book = make_bench(tmp_path / "b.xlsx", brands=[("美的", "MIDEA", "空调", "AC")])
    result = run("jobno", "new", "--book", str(book), "--brand", "美的", "--line", "空调",
                 "--date", "2026-03-01")  # fmt: skip
    assert result.stdout.strip() == "MIDEAAC2026001", result.stderr


def test_default_date_is_today(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    result = run("jobno", "new", "--book", str(book), "--brand", "美的", "--line", "空调")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"MDKT{date.today().year}001"


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("none", ("--book", "{tmp}/missing.xlsx"), "找不到"),
        ("text", ("--book", "{tmp}/b.xlsx"), "不是有效的"),
        ("xls", ("--book", "{tmp}/b.xls"), "只能修改 .xlsx"),
        ("no-jobs", ("--book", "{tmp}/b.xlsx"), "缺少工作表「工作单」"),
        ("bench", ("--book", "{tmp}/b.xlsx", "--brand", "格力"), "没有「格力 / 空调」"),
        ("collision", ("--book", "{tmp}/b.xlsx", "--brand", "明德"), "代码都是 MDKT"),
        ("bench", ("--book", "{tmp}/b.xlsx", "--date", "2026-02-30"), "--date"),
        ("bench", ("--book", "{tmp}/b.xlsx", "--date", "明天"), "无法识别日期"),
    ],
)
def test_user_errors_exit_2_with_one_chinese_line(tmp_path, setup, args, message):
    if setup == "text":
        (tmp_path / "b.xlsx").write_text("not a workbook", encoding="utf-8")
    elif setup == "xls":
        (tmp_path / "b.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    elif setup == "no-jobs":
        wb = openpyxl.Workbook()
        wb.active.title = "品牌"
        wb.active.append(schema.BRANDS.headers)
        wb.save(tmp_path / "b.xlsx")
    elif setup == "bench":
        make_bench(tmp_path / "b.xlsx")
    elif setup == "collision":
        make_bench(
            tmp_path / "b.xlsx", brands=[("美的", None, "空调", None), ("明德", None, "空调", None)]
        )
    args = [a.format(tmp=tmp_path) for a in args]
    if "--brand" not in args:
        args += ["--brand", "美的"]
    before = (tmp_path / "b.xlsx").read_bytes() if (tmp_path / "b.xlsx").exists() else None
    result = run("jobno", "new", *args, "--line", "空调")
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    if before is not None:
        assert (tmp_path / "b.xlsx").read_bytes() == before


def test_jobno_without_subcommand_is_a_usage_error():
    result = run("jobno")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------------
# The ledger: every number issued, with time and user; never issued again


def new_job(book, *extra, env=None):
    import os

    return run("jobno", "new", "--book", str(book), "--brand", "美的", "--line", "空调",
               "--date", "2026-11-26", *extra, env={**os.environ, **(env or {})})  # fmt: skip


ZHANG = {"LOGNAME": "张伟", "USER": "张伟", "USERNAME": "张伟", "LNAME": "张伟"}


def delete_job_row(book, number):
    """What a user does in Excel: delete the row (openpyxl keeps the very hidden ledger)."""
    wb = openpyxl.load_workbook(book)
    ws = wb["工作单"]
    row = next(c.row for c in ws["A"] if c.value == number)
    ws.delete_rows(row)
    wb.save(book)


def test_the_ledger_records_number_time_and_user(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    first = new_job(book, "--project", "海报", env=ZHANG)
    second = new_job(book, env=ZHANG)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    entries = read_ledger(book)
    assert [(e.jobno, e.user, e.row) for e in entries] == [
        ("MDKT2026001", "张伟", 2), ("MDKT2026002", "张伟", 3),
    ]  # fmt: skip
    assert all(datetime.fromisoformat(e.issued_at).tzinfo for e in entries)
    ws = openpyxl.load_workbook(book)[LEDGER_SHEET]
    assert ws.sheet_state == "veryHidden"
    assert [c.value for c in ws[1]] == list(LEDGER_HEADERS)
    assert [c.value for c in ws[2]][3:] == ["美的", "空调", "海报"]
    assert "_工作号台账" not in read_workbench(book).frames  # not a register


def test_a_deleted_row_does_not_free_its_number(tmp_path):
    """Issue 10.2: delete the row of the last number; the next one is still past it."""
    book = make_bench(tmp_path / "b.xlsx")
    issued = [new_job(book).stdout.strip() for _ in range(3)]
    assert issued == ["MDKT2026001", "MDKT2026002", "MDKT2026003"]
    delete_job_row(book, "MDKT2026003")
    assert job_numbers(book) == ["MDKT2026001", "MDKT2026002"]
    result = new_job(book)
    assert result.returncode == 0 and result.stdout.strip() == "MDKT2026004"
    assert [e.jobno for e in read_ledger(book)][-1] == "MDKT2026004"


def test_check_warns_when_a_ledger_number_has_no_row(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    for _ in range(2):
        assert new_job(book, env=ZHANG).returncode == 0
    delete_job_row(book, "MDKT2026001")
    from aexl.validate import validate_book

    found = [f for f in validate_book(book) if f.code == "jobno.ledger_no_row"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].sheet == "工作单"
    assert "MDKT2026001" in found[0].message and "张伟" in found[0].message
    result = run("check", "--book", str(book), "--json")
    assert "jobno.ledger_no_row" in result.stdout and "MDKT2026001" in result.stdout
    table = run("check", "--book", str(book)).stdout  # what the AE reads
    assert "MDKT2026001" in table and "工作号台账" in table


def test_check_is_quiet_when_every_ledger_number_has_its_row(tmp_path):
    from aexl.validate import validate_book

    book = make_bench(tmp_path / "b.xlsx")
    assert new_job(book).returncode == 0
    assert not [f for f in validate_book(book) if f.code.startswith("jobno.ledger")]


def test_a_ledger_sheet_past_the_caps_is_a_finding_not_a_crash(tmp_path):
    """The ledger sheet is sized like a register before calamine builds it: a cell placed at
    A1048576 and XFD2 (17 billion cells for calamine) is one warning."""
    import zipfile

    from aexl.validate import validate_book
    from aexl.workbook.extent import sheet_part

    book = make_bench(tmp_path / "b.xlsx")
    assert new_job(book).returncode == 0 and new_job(book).returncode == 0
    with zipfile.ZipFile(book) as zf:
        part = sheet_part(zf, LEDGER_SHEET)
        parts = {info: zf.read(info.filename) for info in zf.infolist()}
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts.items():
            if info.filename == part:
                data = data.replace(b' r="A3"', b' r="A1048576"').replace(b' r="B2"', b' r="XFD2"')
            zf.writestr(info, data)
    with pytest.raises(AexlError):
        read_ledger(book)
    [found] = [f for f in validate_book(book) if f.code == "jobno.ledger_unreadable"]
    assert "工作号台账无法读取" in found.message and "A1048576" in found.message


def test_duplicate_jobnos_across_workbenches(tmp_path):
    a = make_bench(tmp_path / "a.xlsx")
    b = make_bench(tmp_path / "b.xlsx", brands=[("明德", "MD", "空调", "KT")])
    assert run("jobno", "new", "--book", str(b), "--brand", "明德", "--line", "空调",
               "--date", "2026-11-26").returncode == 0  # fmt: skip
    assert new_job(a).returncode == 0 and new_job(a).returncode == 0
    delete_job_row(a, "MDKT2026001")  # still used by a: its ledger says so
    assert duplicate_jobnos([a, b]) == [SharedJobno("MDKT2026001", ("a.xlsx", "b.xlsx"))]
    assert duplicate_jobnos(
        [("甲", ["mdkt2026001", "X"]), ("乙", ["MDKT2026001"]), ("丙", [])]
    ) == [SharedJobno("MDKT2026001", ("甲", "乙"))]
    assert duplicate_jobnos([a]) == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [(ZHANG, "张伟"), ({"LOGNAME": "Ｗａｎｇ　Ｌｉ"}, "Wang Li")],
)
def test_current_user(monkeypatch, env, expected):
    from aexl.jobno import current_user

    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert current_user() == expected


# ---------------------------------------------------------------------------
# Read-only workbenches, temporary files, a killed run, a full disk


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()}


@pytest.mark.parametrize("mode", [0o444, 0o400])
def test_a_read_only_workbench_is_refused(tmp_path, mode):
    """Issue 10.6: one Chinese line, exit 2, nothing changed (even when run as root)."""
    book = make_bench(tmp_path / "b.xlsx")
    os.chmod(book, mode)
    before = snapshot(tmp_path)
    result = new_job(book)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "只读" in lines[0] and "b.xlsx" in lines[0], result.stderr
    assert snapshot(tmp_path) == before and (os.stat(book).st_mode & 0o777) == mode


TEMP_NAME = re.compile(r"^\.~aexl-[0-9a-f]{8}-[^/]+\.tmp$")


def test_the_temporary_file_is_not_named_like_a_workbook(tmp_path, monkeypatch):
    book = make_bench(tmp_path / "b.xlsx")
    seen, real_replace = [], os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (seen.append(Path(src).name),
                                                         real_replace(src, dst))[1])  # fmt: skip
    issue_job_number(book, "美的", "空调", date(2026, 1, 5))
    assert len(seen) == 1 and TEMP_NAME.match(seen[0]) and not seen[0].endswith(".xlsx")


def test_leftovers_of_a_killed_run_are_removed_next_time(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    other = make_bench(tmp_path / "other.xlsx")
    mine = tmp_path / f".~aexl-{temp_tag(book)}-abc123.tmp"
    theirs = tmp_path / f".~aexl-{temp_tag(other)}-abc123.tmp"  # another workbook's run
    mine.write_bytes(b"half a zip")
    theirs.write_bytes(b"half a zip")
    assert new_job(book).returncode == 0
    assert not mine.exists() and theirs.exists()


KILLABLE = """
import os, sys, time
real = os.replace
def slow(src, dst):
    print("TEMP", src, flush=True)
    time.sleep(60)
    real(src, dst)
os.replace = slow
from aexl.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_kill_9_during_jobno_new(tmp_path):
    """Issue 10.8: killed between writing the temp file and the rename: the workbook is
    unchanged, the leftover is a hidden .tmp (not *.xlsx) that the next run removes."""
    book = make_bench(tmp_path / "b.xlsx")
    before = book.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLABLE, "jobno", "new", "--book", str(book), "--brand", "美的",
         "--line", "空调", "--date", "2026-11-26"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert line.startswith("TEMP ")
    left = sorted(p.name for p in tmp_path.iterdir() if "aexl" in p.name)
    # the temp file, and the lock file (its flock died with the process; the next run takes it)
    assert len(left) == 2 and TEMP_NAME.match(left[0]) and left[1] == "~$aexl-b.xlsx.lock", left
    assert book.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".xlsm")] == ["b.xlsx"]
    result = new_job(book)
    assert result.returncode == 0 and result.stdout.strip() == "MDKT2026001"
    assert not [p for p in tmp_path.iterdir() if "aexl" in p.name]


DISK_FULL = """
import errno, os, sys
real = os.write
def write(fd, data):
    if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".~aexl-"):
        real(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")
    return real(fd, data)
os.write = write
from aexl.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_disk_full_during_jobno_new(tmp_path):
    """Issue 10.9: ENOSPC while writing: one Chinese line, exit 2, no traceback, unchanged."""
    book = make_bench(tmp_path / "b.xlsx")
    before = snapshot(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", DISK_FULL, "jobno", "new", "--book", str(book), "--brand", "美的",
         "--line", "空调", "--date", "2026-11-26"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "磁盘空间不足" in lines[0] and "b.xlsx" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert snapshot(tmp_path) == before


def test_disk_full_in_process(tmp_path, monkeypatch):
    book = make_bench(tmp_path / "b.xlsx")
    before = snapshot(tmp_path)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(AexlError, match="磁盘空间不足"):
        issue_job_number(book, "美的", "空调", date(2026, 1, 5))
    assert snapshot(tmp_path) == before
