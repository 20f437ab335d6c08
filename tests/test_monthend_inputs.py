"""Month-end on awkward inputs: a broken register, a FIFO, aexl's temp files, a 200-character
brand, a report someone edited, a job number in two workbenches; outputs from the registry."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from samples import digest

from aexl.reports import registry
from aexl.reports.registry import Report

ROOT = Path(__file__).resolve().parent.parent
MONTH = ("--month", "2026-10")


@pytest.fixture
def inputs(sample_books):
    return sample_books


def aexl(*args):
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def month_end(inputs: Path, out: Path, *extra):
    return aexl("month-end", *MONTH, "--in", str(inputs), "--out", str(out), *extra)


def edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def cells(path: Path) -> list:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]


def test_a_jobs_sheet_with_its_header_in_row_2_is_named_not_read_as_empty(inputs, tmp_path):
    book = inputs / "星河食品_AE工作台.xlsx"
    edit(book, lambda wb: wb["工作单"].insert_rows(1))
    before, out = digest(inputs), tmp_path / "out"
    checked = aexl("check", "--book", str(book))
    done = month_end(inputs, out)
    assert checked.returncode == 2 and done.returncode == 2, done.stderr
    reason = checked.stderr.strip().removeprefix("aexl: ")
    assert "工作表「工作单」" in reason and "第 1 行" in reason
    assert f"  已跳过 {reason}" in done.stderr.splitlines()  # the same words as check
    assert "unknown_job" not in done.stderr and "Traceback" not in done.stderr
    names = [Path(line).name for line in done.stdout.splitlines()]
    assert not any("星河" in n and "月度工作总结" in n for n in names)
    check = out / "20261110_星河食品_校验结果.xlsx"
    values = cells(check)
    assert "book.unread" in values and values.count("unknown_job") == 0
    assert any(isinstance(v, str) and v.startswith("未处理：整个工作台未处理") for v in values)
    assert digest(inputs) == before


def test_another_register_with_a_blank_first_row_is_named(inputs, tmp_path):
    edit(inputs / "云帆电器_AE工作台.xlsx", lambda wb: wb["投放"].insert_rows(1))
    before, out = digest(inputs), tmp_path / "out"
    done = month_end(inputs, out)
    assert done.returncode == 0, done.stderr
    assert "登记表「投放」未读取：第 1 行是空的" in done.stderr
    values = cells(out / "20261110_云帆电器_校验结果.xlsx")
    assert "sheet.unread" in values
    assert any(isinstance(v, str) and "登记表「投放」未读取" in v for v in values)
    assert digest(inputs) == before


def test_fifos_temp_files_and_long_brands(inputs, tmp_path):
    os.mkfifo(inputs / "管道_AE工作台.xlsx")
    (inputs / "~aexl-1234.xlsx").write_bytes(b"half written")
    (inputs / ".~aexl-0badc0de-77.tmp").write_bytes(b"half written")
    long_brand = "超长品牌" * 50  # 200 characters, 600 bytes
    book = inputs / "星河食品_AE工作台.xlsx"

    def rename_brand(wb):
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value == "星河":
                        cell.value = long_brand

    edit(book, rename_brand)
    before, out = digest(inputs), tmp_path / "out"
    done = month_end(inputs, out)
    assert done.returncode == 0, done.stderr
    assert "未读取 文件 管道_AE工作台.xlsx：不是普通文件" in done.stderr
    assert "~aexl-1234" not in done.stderr and ".~aexl-0badc0de" not in done.stderr
    assert "读取工作台 3 个" in done.stderr and "跳过输入 0 个" in done.stderr
    names = [Path(line).name for line in done.stdout.splitlines()]
    long_names = [n for n in names if n.startswith("20261") and "超长品牌" in n]
    assert long_names and all(len(n.encode()) <= 255 and "~" in n for n in long_names)
    assert all((out / n).is_file() for n in names)
    assert digest(inputs) == before


def test_an_edited_report_is_kept_unless_forced(inputs, tmp_path):
    out = tmp_path / "out"
    assert month_end(inputs, out).returncode == 0
    report = next(out.glob("*_星河_月度工作总结.xlsx"))
    edit(report, lambda wb: wb.active.cell(1, 1, "AM 改过的标题"))
    edited = report.read_bytes()
    before = digest(inputs)
    done = month_end(inputs, out)
    assert done.returncode == 0, done.stderr
    fresh = report.with_name(f"{report.stem}_2.xlsx")
    assert report.read_bytes() == edited and fresh.is_file()
    assert f"保留了 {report.name}（生成后被修改过），新文件写到 {fresh.name}" in done.stderr
    assert str(fresh) in done.stdout.splitlines()
    forced = month_end(inputs, out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert report.read_bytes() != edited and "保留了" not in forced.stderr
    assert not report.with_name(f"{report.stem}_3.xlsx").exists()
    assert digest(inputs) == before


def test_a_job_number_in_two_workbenches_is_reported(inputs, tmp_path):
    from aexl.monthend import run_month_end

    star = openpyxl.load_workbook(inputs / "星河食品_AE工作台.xlsx", read_only=True)
    shared = next(r[0] for r in star["工作单"].iter_rows(min_row=2, values_only=True) if r[0])
    edit(inputs / "云帆电器_AE工作台.xlsx", lambda wb: wb["工作单"].cell(2, 1, shared))
    before = digest(inputs)
    summary = run_month_end("2026-10", inputs, tmp_path / "out", workers=2)
    assert [s.jobno for s in summary.shared] == [shared]
    assert set(summary.shared[0].books) == {"星河食品_AE工作台.xlsx", "云帆电器_AE工作台.xlsx"}
    assert any(f"工作号 {shared} 同时出现在" in line for line in summary.lines())
    for client in ("星河食品", "云帆电器"):
        values = cells(tmp_path / "out" / f"20261110_{client}_校验结果.xlsx")
        assert "jobno.shared" in values
    assert digest(inputs) == before


def test_next_months_due_list_per_workbench(inputs, tmp_path):
    from aexl.monthend import run_month_end

    summary = run_month_end("2026-10", inputs, tmp_path / "out", workers=1)
    for result in summary.read:
        due = [p for p in result.written if p.name.endswith("_待办清单.xlsx")]
        assert len(due) == 1, result.written
        sheets = openpyxl.load_workbook(due[0], read_only=True).sheetnames
        assert sheets[0] == "全部" and len(sheets) > 1  # one sheet per person


# ---- a toy report added to the registry appears in month-end's outputs


@dataclass
class ToyReport:
    brand: str
    source: str = ""
    is_empty: bool = False

    @property
    def filename(self) -> str:
        return f"20261031_{self.brand}_玩具报表.xlsx"


def toy_reports(source, period, calendar=None, brands=None):
    return [ToyReport(brand) for brand in brands or []]


def write_toy(report: ToyReport, path):
    from aexl.workbook.write import Book

    book = Book(path, title="玩具报表")
    book.sheet("玩具").put(1, 1, f"{report.brand} {report.source}")
    return book.save()


TOY = Report(
    "toy",
    "玩具报表",
    "month",
    "玩具报表：测试用",
    "aexl toy --book 星河食品_AE工作台.xlsx --month 2026-10",
    f"{__name__}:toy_reports",
    f"{__name__}:write_toy",
    month_end=True,
)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_toy_report_with_month_end_is_written_per_brand(inputs, tmp_path, monkeypatch, workers):
    from aexl.monthend import run_month_end

    monkeypatch.setattr(registry, "REPORTS", [*registry.REPORTS, TOY])
    summary = run_month_end("2026-10", inputs, tmp_path / "out", workers=workers)
    toys = sorted(p.name for p in summary.written if p.name.endswith("_玩具报表.xlsx"))
    brands = sorted(b for r in summary.read for b in r.brands)
    assert toys == sorted(f"20261031_{b}_玩具报表.xlsx" for b in brands)
    first = tmp_path / "out" / toys[0]
    assert cells(first)[0].endswith("_AE工作台.xlsx")  # the source was set
