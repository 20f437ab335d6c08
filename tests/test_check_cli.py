"""``aexl check`` through the command: exit codes, the table, --json (in process; one
real process for the exit code a shell sees)."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from books import clean_data, write_book
from conftest import run_aexl


def run(*args):
    """``aexl check`` in this process (tests/conftest.py)."""
    return run_aexl("check", *args)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.fixture
def clean_book(tmp_path):
    return write_book(tmp_path / "美的_AE工作台.xlsx", clean_data())


@pytest.fixture
def bad_book(tmp_path):
    data = clean_data()
    data["工作单"][0].update(规格=None, 其他必备条件=None)
    data["工作单"][3].update(工作号="MDKT2026003", 预算="很多")
    data["周进度"][0].update(完成度=150)
    return write_book(tmp_path / "有问题.xlsx", data)


@pytest.fixture
def warning_book(tmp_path):
    data = clean_data()
    data["工作单"][0].update(其他必备条件=None)
    return write_book(tmp_path / "只有警告.xlsx", data)


def test_clean_book_exits_0(clean_book):
    result = run("--book", clean_book)
    assert result.returncode == 0, result.stderr
    assert "（没有发现问题）" in result.stdout and "错误 0 个，警告 0 个" in result.stdout


def test_warnings_only_exit_0(warning_book):
    result = run("--book", warning_book)
    assert result.returncode == 0
    assert result.stdout.strip().endswith("错误 0 个，警告 1 个（错误须改正；警告请核实）")


def test_errors_exit_1_with_aligned_table(bad_book):
    result = run("--book", bad_book)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[-1] == "错误 4 个，警告 1 个（错误须改正；警告请核实）"
    table = lines[: lines.index("")]
    # the columns of every findings table (the 校验结果 sheet, month-end, the ribbon)
    assert table[0].split() == ["工作表", "行", "列", "级别", "问题", "怎么改"]
    # the 问题 column starts at the same display column on every line (CJK = 2 cells)
    starts = {width(line[: line.index(level) + 2]) for line in table[2:]
              for level in ("错误", "警告") if f"  {level}  " in line}  # fmt: skip
    assert len(starts) == 1 and width(table[0][: table[0].index("问题")]) == starts.pop() + 2
    assert any("工作单" in line and "规格" in line and "错误" in line for line in table)
    assert any("很多" in line and "→ 请" in line for line in table)  # how to fix it, after →
    levels = [lv for line in table[2:] for lv in ("错误", "警告") if f"  {lv}  " in line]
    assert levels == ["错误"] * 4 + ["警告"]  # errors first, as on the 校验结果 sheet


def test_out_writes_the_findings_sheet_month_end_writes(aexl, bad_book, tmp_path):
    from openpyxl import load_workbook

    result = aexl("check", "--book", bad_book, "--out", tmp_path / "校验")
    assert result.returncode == 1, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == tmp_path / "校验" and path.name.endswith("_校验结果.xlsx")
    ws = load_workbook(path).active
    header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "工作表")
    assert list(header[:7]) == ["工作表", "行", "列", "级别", "问题", "怎么改", "代码"]
    assert ws.column_dimensions["G"].hidden  # codes stay for filters, hidden from readers


def test_json_shape(bad_book):
    result = run("--book", bad_book, "--json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert isinstance(findings, list) and len(findings) == 5
    for f in findings:
        assert set(f) == {"sheet", "row", "column", "severity", "code", "message"}
        assert f["severity"] in ("error", "warning")
    assert {"sheet": "工作单", "row": 2, "column": "规格", "severity": "error"}.items() <= next(
        f for f in findings if f["code"] == "job.spec_required"
    ).items()
    assert [f["code"] for f in findings if f["row"] == 5] == ["jobno.mismatch", "cell.unreadable"]


def test_rulebook_warnings_through_the_command(tmp_path):
    # delivered without QC, minutes unsigned for weeks, QC before the job sheet was accepted
    data = clean_data()
    data["工作单"][3].update(状态="已完成")
    data["会议"][1].update(客户签复=None)
    del data["签核"][5]
    book = write_book(tmp_path / "规则.xlsx", data)
    result = run("--book", book, "--json")
    assert result.returncode == 0, result.stderr  # warnings only
    found = {(f["sheet"], f["row"], f["column"], f["code"]) for f in json.loads(result.stdout)}
    assert found == {
        ("工作单", 5, "状态", "job.qc_missing"),
        ("签核", 7, "流程", "sign.confirm_missing"),
        ("会议", 3, "客户签复", "minutes.unsigned"),
    }


def test_json_clean_is_empty_list(clean_book):
    result = run("--book", clean_book, "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("没有.xlsx", None, "找不到"),
        ("文本.txt", b"hello", "不是 Excel"),
        ("坏的.xlsx", b"not a zip", "无法读取"),
    ],
)
def test_unreadable_file_exits_2_with_one_line(tmp_path, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("--book", path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and name in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_header_exits_2(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "工作单"
    wb.active.append(["工作号", "品牌"])
    wb.save(tmp_path / "缺表头.xlsx")
    result = run("--book", tmp_path / "缺表头.xlsx")
    assert result.returncode == 2
    assert "缺少表头" in result.stderr


def test_help_has_example():
    result = run("--help")
    assert result.returncode == 0
    assert "示例" in result.stdout and "--json" in result.stdout


def test_book_is_required():
    result = run()
    assert result.returncode == 2
    assert "--book" in result.stderr


def test_missing_jobs_sheet_exits_2_with_one_line(tmp_path):
    # a workbook with registers but no 工作单: one line, not a cascade of *.unknown_job
    data = clean_data()
    del data["工作单"]
    book = write_book(tmp_path / "没有工作单.xlsx", data)
    result = run("--book", book)
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "缺少工作表「工作单」" in lines[0] and "没有工作单.xlsx" in lines[0]
    assert "Traceback" not in result.stderr


def test_a_real_process_exits_1_on_errors_and_0_when_clean(bad_book, clean_book):
    def shell(book):
        return subprocess.run(
            [sys.executable, "-m", "aexl", "check", "--book", str(book)],
            capture_output=True, text=True, encoding="utf-8", timeout=120,
        )  # fmt: skip

    assert shell(bad_book).returncode == 1
    assert shell(clean_book).returncode == 0
