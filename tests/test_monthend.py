"""The month-end batch: the real command over a copy of the sample plus broken inputs."""

import io
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from samples import digest

from aexl.monthend import (
    book_brands,
    cleanup_name,
    client_name,
    find_workbenches,
    is_output_name,
    month_source,
    process_workbench,
    progress_bar,
)
from aexl.period import Period
from aexl.workbook.read import read_workbench

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ("云帆电器", "星河食品", "渝信银行")


@pytest.fixture(scope="module")
def sample(built_sample):
    return built_sample


@pytest.fixture
def inputs(sample, tmp_path):
    """A folder of workbenches: the sample, a broken one, Excel's lock file, a temp file."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sample.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    (folder / "样稿").mkdir()
    for path in (sample / "样稿").iterdir():
        (folder / "样稿" / path.name).write_bytes(path.read_bytes())
    (folder / "坏掉的_AE工作台.xlsx").write_text("这不是 Excel 文件\n", encoding="utf-8")
    (folder / "~$星河食品_AE工作台.xlsx").write_bytes(b"lock")
    (folder / ".aexl-tmp-abc.xlsx").write_bytes(b"partial")
    return folder


def run_aexl(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_broken_input_is_named_and_skipped_others_written(inputs, tmp_path):
    before = digest(inputs)
    out = tmp_path / "out"
    done = run_aexl("month-end", "--month", "2026-10", "--in", str(inputs), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    broken = [line for line in done.stderr.splitlines() if "坏掉的_AE工作台.xlsx" in line]
    assert broken and "跳过" in broken[0]
    assert all(line.count("坏掉的_AE工作台.xlsx") == 1 for line in broken), broken
    assert any(line.startswith("  已跳过 文件 坏掉的_AE工作台.xlsx：") for line in broken)
    assert "~$" not in done.stderr and ".aexl-tmp-" not in done.stderr
    written = [Path(line) for line in done.stdout.splitlines()]
    assert written and len(written) == len(set(written))
    for path in written:
        assert path.exists() and path.parent == out
        openpyxl.load_workbook(path).close()
    names = {p.name for p in written}
    for client in CLIENTS:
        assert f"20261110_{client}_校验结果.xlsx" in names
    assert any(n.endswith("_月度工作总结.xlsx") for n in names)
    assert any(n.endswith("_投放列表.xlsx") for n in names)
    assert any(n.endswith("_效果追踪图表.xlsx") for n in names)
    assert not any("坏掉的" in n for n in names)
    assert sorted(p.name for p in out.iterdir()) == sorted(names)  # no temp files left
    assert digest(inputs) == before  # inputs never modified
    assert "读取工作台 3 个" in done.stderr and "跳过输入 1 个" in done.stderr
    assert "\r" not in done.stderr  # no progress bar when stderr is not a terminal


def test_validation_summary_lists_every_finding(sample, tmp_path):
    from aexl.validate import validate_workbench

    path = sample / "星河食品_AE工作台.xlsx"
    result = process_workbench(path, "2026-10", tmp_path)
    assert result.ok, result.skipped
    check = next(p for p in result.written if p.name.endswith("_校验结果.xlsx"))
    findings = validate_workbench(read_workbench(path))
    findings.sort(key=lambda f: not f.is_error)  # errors first, each kind in check's order
    ws = openpyxl.load_workbook(check).active
    rows = [row for row in ws.iter_rows(values_only=True) if row and len(row) > 6 and row[6]]
    assert [f.code for f in findings] == [row[6] for row in rows[1:]]  # hidden 代码 column
    for finding, row in zip(findings, rows[1:], strict=True):  # 问题 + 怎么改 = the message
        assert (
            row[4].rstrip("。") in finding.message
            and (row[5] or "").rstrip("。") in finding.message
        )
    assert result.errors == sum(f.is_error for f in findings)
    assert result.warnings == len(findings) - result.errors
    assert {"星河", "小河豚"} >= set(result.brands) and result.brands


def test_sequential_and_parallel_runs_write_the_same_files(inputs, tmp_path):
    from aexl.monthend import run_month_end

    # in this process, each sheet scanned as it is read; in workers, with the scans made
    # ahead by the helper process (aexl.monthend.prescan)
    one = run_month_end("2026-10", inputs, tmp_path / "one", workers=0)
    two = run_month_end("2026-10", inputs, tmp_path / "two", workers=2)
    assert sorted(p.name for p in one.written) == sorted(p.name for p in two.written)
    assert [r.path.name for r in one.results] == [r.path.name for r in two.results]
    assert [r.findings for r in one.results] == [r.findings for r in two.results]
    assert one.exit_code == two.exit_code == 2
    assert [r.path.name for r in one.skipped] == ["坏掉的_AE工作台.xlsx"]


def test_reports_from_the_month_source_equal_full_ones(sample):
    from aexl.reports.charts import chart_specs
    from aexl.reports.monthly import monthly_data
    from aexl.reports.placements import placement_rows
    from aexl.reports.registers import prepare
    from aexl.values import month_bounds

    for path in sorted(sample.glob("*.xlsx")):
        wb = read_workbench(path)
        cal = wb.calendar()
        for month in ("2026-03", "2026-10", "2026-11"):
            start, end = month_bounds(month)
            cut = month_source(wb, Period.month(month))
            assert sum(map(len, cut.frames.values())) < sum(map(len, wb.frames.values()))
            regs = prepare(cut)
            for brand in book_brands(wb, start, end):
                where = (path.name, brand, month)
                full = monthly_data(wb, brand, month, cal)
                part = monthly_data(regs, brand, month, cal)
                assert repr(vars(full)) == repr(vars(part)), where
                assert placement_rows(wb.frame("投放"), brand, start, end, path.parent) == (
                    placement_rows(cut.frame("投放"), brand, start, end, path.parent)
                ), where
                assert chart_specs(wb.frame("效果"), brand, start, end) == (
                    chart_specs(cut.frame("效果"), brand, start, end)
                ), where


def test_default_folders_run_on_the_sample(tmp_path):
    done = run_aexl("month-end", "--month", "2026-10", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out" / "2026-10"
    written = [Path(line) for line in done.stdout.splitlines()]
    assert written and all((tmp_path / p).exists() or p.exists() for p in written)
    assert len(list(out.glob("*_校验结果.xlsx"))) == 3


def test_files_root_adds_the_cleanup_list(inputs, tmp_path):
    from aexl.files.tree import init_tree

    root = tmp_path / "客户资料"
    init_tree(root, "星河食品", ["星河"])
    old = root / "星河食品" / "星河" / "创意表现" / "过程稿" / "20260801_星河_过程稿.psd"
    old.write_bytes(b"x")
    stamp = time.mktime((2026, 8, 1, 12, 0, 0, 0, 0, -1))
    os.utime(old, (stamp, stamp))
    (inputs / "坏掉的_AE工作台.xlsx").unlink()
    out = tmp_path / "out"
    done = run_aexl(
        "month-end", "--month", "2026-10", "--in", str(inputs), "--out", str(out),
        "--files", str(root),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lists = [Path(p) for p in done.stdout.splitlines() if p.endswith("_月度清理清单.xlsx")]
    assert [p.name for p in lists] == ["20261110_星河食品_月度清理清单.xlsx"]  # the month's date
    ws = openpyxl.load_workbook(lists[0]).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("20260801_星河_过程稿.psd" in c for c in cells)
    assert "待清理文件 1 个" in done.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--in", "不存在的文件夹"], "找不到文件夹"),
        (["--month", "2026-13"], "月份"),
    ],
)
def test_user_errors_are_one_chinese_line(tmp_path, args, words):
    argv = ["month-end", "--month", "2026-10", "--out", str(tmp_path / "o"), *args]
    done = run_aexl(*argv, cwd=tmp_path)
    assert done.returncode == 2
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_empty_folder_is_a_user_error(tmp_path):
    (tmp_path / "empty").mkdir()
    done = run_aexl("month-end", "--month", "2026-10", "--in", str(tmp_path / "empty"))
    assert done.returncode == 2 and "没有 AE 工作台" in done.stderr


def test_a_workbook_without_registers_is_skipped(sample, tmp_path):
    path = tmp_path / "其他表格.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "随便"
    wb.save(path)
    result = process_workbench(path, "2026-10", tmp_path / "out")
    assert not result.ok and "不是 AE 工作台" in result.skipped
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_finding_inputs_and_names(tmp_path):
    for name in (
        "a_AE工作台.xlsx",
        "b.xlsm",
        "~$a_AE工作台.xlsx",
        ".aexl-tmp-1.xlsx",
        "20261110_星河_月度工作总结.xlsx",
        "notes.txt",
    ):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in find_workbenches(tmp_path)] == ["a_AE工作台.xlsx", "b.xlsm"]
    assert is_output_name("20261031_星河_投放列表.xlsx")
    assert is_output_name("20260122_XHCQXM2026001-重庆小面新品上市_工作单.xlsx")
    assert not is_output_name("星河食品_AE工作台.xlsx")
    assert client_name(Path("星河食品_AE工作台.xlsx")) == "星河食品"
    assert client_name(Path("云帆电器 AE工作台 2026.xlsx")) == "云帆电器"
    assert client_name(Path("渝信银行.xlsx")) == "渝信银行"


@pytest.mark.parametrize(
    ("clients", "month", "name"),
    [
        (["星河食品"], "2026-10", "20261110_星河食品_月度清理清单.xlsx"),
        (["星河食品", "云帆电器"], "2026-10", "20261110_电脑档案_月度清理清单.xlsx"),
        ([], "2026-11", "20261210_电脑档案_月度清理清单.xlsx"),
    ],
)
def test_cleanup_list_is_named_by_the_months_report_date(tmp_path, clients, month, name):
    root = tmp_path / "fs"
    (root / "存档与记录").mkdir(parents=True)
    for client in clients:
        (root / client).mkdir()
    assert cleanup_name(root, Period.month(month)) == name


def test_progress_bar_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet, loud = io.StringIO(), Tty()
    for stream in (quiet, loud):
        bar = progress_bar(4, stream)
        bar.update(2)
        bar.refresh()
        bar.close()
    assert quiet.getvalue() == ""
    assert "月底批处理" in loud.getvalue() and "2/4" in loud.getvalue() and "\r" in loud.getvalue()
    # where nobody watches, tqdm is not even loaded
    code = "import io, sys; from aexl.monthend import progress_bar; progress_bar(3, io.StringIO()).update(1); print('tqdm' in sys.modules)"  # noqa: E501
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert found.stdout.strip() == "False", found.stderr


def test_book_brands_follow_the_brand_sheet(sample):
    wb = read_workbench(sample / "云帆电器_AE工作台.xlsx")
    brands = book_brands(wb, date(2026, 10, 1), date(2026, 10, 31))
    assert brands[:2] == ["云帆", "悦峰"]


def test_same_brand_in_two_workbenches_is_not_overwritten(sample, tmp_path):
    from aexl.monthend import run_month_end

    folder = tmp_path / "in"
    folder.mkdir()
    data = (sample / "星河食品_AE工作台.xlsx").read_bytes()
    (folder / "星河食品_AE工作台.xlsx").write_bytes(data)
    (folder / "星河食品_AE工作台_副本.xlsx").write_bytes(data)
    summary = run_month_end("2026-10", folder, tmp_path / "out", workers=2)
    first, second = (r.written for r in summary.results)
    assert len(first) == len(second) > 2
    names = {p.name for p in summary.written}
    assert len(names) == len(first) + len(second)
    assert "20261110_星河食品_校验结果.xlsx" in names
    assert "20261110_星河食品_AE工作台_副本-星河食品_校验结果.xlsx" in names
    assert any(n.startswith("20261110_星河食品-星河_") for n in names)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)
