"""The State Council's holiday notice: parsed from the real 2024–2026 texts, checked against
the chinesecalendar package, and written into a real workbench by ``aexl calendar import``."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from aexl.errors import UsageError
from aexl.holiday_notice import OFF, WORK, parse_notice
from aexl.workbook.read import read_workbench

NOTICES = Path(__file__).parent / "data" / "holiday_notices"
YEARS = (2024, 2025, 2026)


def notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def calendar_days(year: int) -> tuple[set[date], set[date]]:
    import chinese_calendar

    off = {d for d in chinese_calendar.holidays if d.year == year}
    work = {d for d in chinese_calendar.workdays if d.year == year}
    return off, work


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("form", ["as published", "half-width", "one line"])
def test_real_notices_give_the_days_of_chinese_calendar(year, form):
    text = notice(year)
    if form == "half-width":
        text = unicodedata.normalize("NFKC", text)
    elif form == "one line":  # pasted from a web page that lost the line breaks
        text = text.replace("\n", "")
    rows = parse_notice(text)
    off, work = calendar_days(year)
    assert {r.day for r in rows if r.kind == OFF} == off
    assert {r.day for r in rows if r.kind == WORK} == work
    assert all(r.note.startswith(f"{year}年") and "国务院办公厅通知" in r.note for r in rows)


def test_encouraged_days_are_not_days_off():
    # 2024: 「鼓励各单位…安排职工在除夕（2月9日）休息」 is not an official day off.
    assert date(2024, 2, 9) not in {r.day for r in parse_notice(notice(2024))}


@pytest.mark.parametrize(
    "text, year, words",
    [
        (notice(2026), 2027, "不是周四"),  # the weekday in brackets catches the wrong year
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n请各单位遵照执行。",
            None,
            "没有从通知中读到",
        ),
        ("一、元旦：1月1日放假。", None, "找不到年份"),
        ("关于2027年部分节假日安排\n一、春节：2月30日放假。", None, "不存在"),
    ],
)
def test_unreadable_notices_are_one_clear_message(text, year, words):
    with pytest.raises(UsageError) as info:
        parse_notice(text, year)
    assert words in str(info.value) and "\n" not in str(info.value)


# ---- aexl calendar import ------------------------------------------------------------------------


def aexl(*args, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aexl", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=stdin,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def bench(tmp_path) -> Path:
    path = tmp_path / "星河_AE工作台.xlsx"
    assert aexl("init", path).returncode == 0
    return path


def test_import_writes_the_rows_and_a_second_run_adds_nothing(bench, tmp_path):
    text = tmp_path / "通知.txt"
    text.write_text(notice(2026), encoding="utf-8")
    result = aexl("calendar", "import", text, "--book", bench, "--yes")
    assert result.returncode == 0, result.stderr
    assert "2026-02-15\t放假\t2026年春节（国务院办公厅通知）" in result.stdout
    frame = read_workbench(bench).frame("节假日")
    off, work = calendar_days(2026)
    assert set(frame.loc[frame["类型"] == "放假", "日期"]) == off
    assert set(frame.loc[frame["类型"] == "调休上班", "日期"]) == work
    before = digest(bench)
    again = aexl("calendar", "import", text, "--book", bench, "--yes")
    assert again.returncode == 0 and "无需写入" in again.stderr
    assert digest(bench) == before


def test_without_a_terminal_import_asks_for_yes_and_writes_nothing(bench, tmp_path):
    text = tmp_path / "通知.txt"
    text.write_text(notice(2025), encoding="gb18030")  # saved by Notepad in the ANSI code page
    before = digest(bench)
    result = aexl("calendar", "import", text, "--book", bench)
    assert result.returncode == 2
    assert "--yes" in result.stderr and "2025-01-28\t放假" in result.stdout
    assert digest(bench) == before


def test_a_conflicting_row_is_named_and_nothing_is_written(bench, tmp_path):
    text = tmp_path / "通知.txt"
    text.write_text(notice(2026), encoding="utf-8")
    other = tmp_path / "改过的通知.txt"
    other.write_text(notice(2026).replace("1月4日（周日）上班", "1月4日（周日）放假"), "utf-8")
    assert aexl("calendar", "import", other, "--book", bench, "--yes").returncode == 0
    before = digest(bench)
    result = aexl("calendar", "import", text, "--book", bench, "--yes")
    assert result.returncode == 2
    assert "2026-01-04" in result.stderr and "第 " in result.stderr
    assert digest(bench) == before
