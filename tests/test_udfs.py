"""Worksheet functions (aexl_udfs) and the shape-preserving cell helper, without Excel."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path

import aexl_udfs as u
import pytest

from aexl.excel import cells

# --- the helper -------------------------------------------------------------------


def upper(x):
    return str(x).upper()


@pytest.mark.parametrize(
    "args,expected",
    [
        (("ab",), "AB"),
        (([["a"], ["b"]],), [["A"], ["B"]]),
        (([["a", "b"], ["c", None]],), [["A", "B"], ["C", ""]]),
        ((["a", "b"],), ["A", "B"]),  # 1-D in, 1-D out
        (([[None], [""], ["  "], [math.nan]],), [[""], [""], [""], [""]]),
        ((None,), ""),
        (([],), [[""]]),
    ],
)
def test_map_cells_keeps_shape(args, expected):
    assert cells.map_cells(upper, *args) == expected


@pytest.mark.parametrize(
    "a,b,expected",
    [
        ([["a"], ["b"]], "x", [["ax"], ["bx"]]),
        ("x", [["a", "b"]], [["xa", "xb"]]),
        ([["a", "b"]], [["x"], ["y"]], [["ax", "bx"], ["ay", "by"]]),
        ([["a"], ["b"]], [["x"], ["y"]], [["ax"], ["by"]]),
    ],
)
def test_map_cells_broadcasts(a, b, expected):
    assert cells.map_cells(lambda x, y: x + y, a, b) == expected


def test_map_cells_shape_mismatch_is_one_error_text():
    out = cells.map_cells(lambda x, y: x, [["a"], ["b"]], [["x"], ["y"], ["z"]])
    assert out.startswith("错误：") and "2行×1列" in out and "3行×1列" in out


def test_map_cells_errors_stay_in_their_cell():
    import os
    from pathlib import Path

    from aexl.errors import CellError

    def check(x):
        if x == "bad":
            raise CellError("这个单元格不对")
        if x == "bug":
            raise KeyError("x")
        return "ok"

    out = cells.map_cells(check, [["fine"], ["bad"], ["bug"], [None]])
    assert out[0] == ["ok"] and out[1] == ["错误：这个单元格不对"]
    assert out[2][0].startswith("错误：内部错误（KeyError）") and out[3] == [""]
    log = Path(os.environ["AEXL_ERROR_LOG"]).read_text("utf-8")  # the one error log
    assert "aexl UDF (KeyError)" in log and "raise KeyError" in log


def test_map_cells_computes_each_distinct_value_once():
    seen = []

    def f(x):
        seen.append(x)
        return x

    cells.map_cells(f, [["a"], ["b"], ["a"], [1], [1.0], [True]] * 100)
    assert seen == ["a", "b", 1, 1.0, True]  # 1, 1.0 and True are kept apart


def test_map_cells_without_cache_sees_every_cell_in_order():
    seen = []
    cells.map_cells(lambda x: seen.append(x), [["a"], ["a"]], cache=False)
    assert seen == ["a", "a"]


def test_map_cells_blank_positions():
    f = lambda a, b: f"{a}{b}"  # noqa: E731
    assert cells.map_cells(f, [["a"], [None]], "x") == [["ax"], [""]]
    assert cells.map_cells(f, "a", [["x"], [None]], blank=(0, 1)) == [["ax"], [""]]


def test_map_distinct_batches_once_and_isolates_failures():
    calls = []

    def batch(values):
        calls.append(list(values))
        if "bad" in values:
            raise ValueError("不对")
        return [v * 2 for v in values]

    assert cells.map_distinct(batch, [["a"], ["b"], ["a"], [None]]) == [
        ["aa"],
        ["bb"],
        ["aa"],
        [""],
    ]
    assert calls == [["a", "b"]]
    out = cells.map_distinct(batch, [["a"], ["bad"]])
    assert out == [["aa"], ["错误：不对"]]
    assert cells.map_distinct(batch, "a") == "aa"


# --- the functions ------------------------------------------------------------------

MAR = dt.datetime(2026, 3, 2)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("美的", "MD"),
        ("长虹", "CH"),
        ("重庆啤酒", "CQPJ"),
        ("招商银行", "ZSYH"),
        (" 美的 ", "MD"),
        ("TCL 空调", "TCLKT"),
        (None, ""),
    ],
)
def test_ae_code_scalar(value, expected):
    assert u.AE_CODE(value) == expected


def test_ae_code_range_and_bad_cell():
    out = u.AE_CODE([["美的"], [None], ["···"], ["长虹"]])
    assert out[0] == ["MD"] and out[1] == [""] and out[3] == ["CH"]
    assert out[2][0].startswith("错误：")


def test_ae_jobno():
    assert u.AE_JOBNO("美的", "空调", MAR, 1) == "MDKT2026001"
    assert u.AE_JOBNO([["美的"], ["长虹"], [None]], "空调", MAR, [[12], [1000], [3]]) == [
        ["MDKT2026012"],
        ["CHKT20261000"],
        [""],
    ]
    assert u.AE_JOBNO("美的", "空调", "2026年3月2日", 1.0) == "MDKT2026001"
    assert u.AE_JOBNO("美的", "空调", MAR, "x").startswith("错误：号码应为正整数")
    assert u.AE_JOBNO("美的", "空调", None, 1).startswith("错误：缺少开单日期")
    assert "产品线都要填写" in u.AE_JOBNO("美的", None, MAR, 1)  # not "MD2026001"


def test_ae_nextjobno_gives_consecutive_numbers_down_a_range():
    issued = [["MDKT2026001"], ["MDKT2026007"], ["MDKT2025020"], [None], ["CHDS2026003"]]
    assert u.AE_NEXTJOBNO("美的", "空调", MAR, issued) == "MDKT2026008"
    out = u.AE_NEXTJOBNO(
        [["美的"], ["美的"], ["长虹"], [None]], [["空调"], ["空调"], ["电视"], [None]], MAR, issued
    )
    assert out == [["MDKT2026008"], ["MDKT2026009"], ["CHDS2026004"], [""]]
    assert u.AE_NEXTJOBNO("美的", "空调", dt.datetime(2027, 1, 5), issued) == "MDKT2027001"


def test_ae_jobno_check():
    out = u.AE_JOBNO_CHECK(
        [["MDKT2026001"], ["MDKT2025001"], ["CHKT2026001"], [None]], "美的", "空调", MAR
    )
    assert out[0] == [""] and out[3] == [""]
    assert "年份" in out[1][0] and "2025" in out[1][0]
    assert "不一致" in out[2][0]


def test_ae_copycheck():
    out = u.AE_COPYCHECK([["国家级品质"], ["第一次用"], [None], ["全网唯一"], ["国家级品质"]])
    assert "国家级" in out[0][0] and "禁用" in out[0][0]
    assert out[1] == [""] and out[2] == [""]
    assert "唯一" in out[3][0]
    assert out[4] == out[0]
    assert u.AE_COPYCHECK("最佳赏味期") == ""


@pytest.mark.parametrize("empty", [None, "", "   ", float("nan")])
def test_ae_copycheck_empty_cell_gives_empty_text(empty):
    assert u.AE_COPYCHECK(empty) == ""
    assert u.AE_COPYCHECK([[empty], ["国家级"], [empty]])[::2] == [[""], [""]]


def test_ae_copycheck_passes_cells_to_the_core_as_they_are(monkeypatch):
    import aexl.copycheck

    seen = []
    real = aexl.copycheck.check_texts
    monkeypatch.setattr(aexl.copycheck, "check_texts", lambda texts: seen.extend(texts) or real(texts))  # fmt: skip
    assert u.AE_COPYCHECK([[None], [100.0], ["第一"]]) == [[""], [""], ["第一[需核实]"]]
    assert "None" not in seen and 100.0 in seen  # no str(): the core reads 100.0 as "100"


def test_ae_deadline():
    meeting = dt.datetime(2026, 11, 26, 14, 30)  # Thursday
    assert u.AE_DEADLINE(meeting, "纪要") == dt.datetime(2026, 11, 27, 14, 30)
    out = u.AE_DEADLINE(
        [[meeting], [dt.datetime(2026, 10, 1)], [None]], [["周报"], ["纪要"], ["月报"]]
    )
    assert out[0] == [dt.datetime(2026, 11, 30)]  # week 48: finished Fri 27th, sent Mon 30th
    assert out[1] == [dt.datetime(2026, 10, 8, 23, 59, 59)]  # National Day holiday
    assert out[2] == [""]
    assert all(isinstance(c, dt.datetime) for c in (out[0][0], out[1][0]))
    assert u.AE_DEADLINE(meeting, "日报").startswith("错误：不认识的期限类型")
    assert "节假日" in u.AE_DEADLINE(dt.datetime(2099, 1, 5), "纪要")


def test_estimated_years_are_marked_provisional():
    """A year no calendar knows yet is estimated, and the cell says so (issue 10, point 12)."""
    from aexl.workcal import bundled_years

    year = max(bundled_years()) + 2
    due = u.AE_DEADLINE(dt.datetime(year, 3, 4, 10, 0), "纪要")
    assert isinstance(due, str) and "暂定" in due and "aexl calendar import" in due
    count = u.AE_WORKDAYS(dt.datetime(year, 3, 1), dt.datetime(year, 3, 31))
    assert isinstance(count, str) and count.split("（")[0].isdigit() and "暂定" in count
    sure = u.AE_DEADLINE(dt.datetime(2026, 11, 26, 14, 30), "纪要")
    assert sure == dt.datetime(2026, 11, 27, 14, 30)  # a known year stays a real date


def test_ae_workdays():
    assert u.AE_WORKDAYS(dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 31)) == 18
    assert u.AE_WORKDAYS([[dt.datetime(2026, 11, 23)], [None]], dt.datetime(2026, 11, 27)) == [
        [5],
        [""],
    ]
    assert u.AE_WORKDAYS("2026-11-27", "2026-11-23") == -5
    assert u.AE_WORKDAYS("x", "2026-11-23").startswith("错误：无法识别日期")


# --- the workbook's own 品牌 and 节假日 tables ------------------------------------------

SAMPLE = Path(__file__).parents[1] / "workbooks" / "sample" / "云帆电器_AE工作台.xlsx"


@pytest.fixture(autouse=True)
def fresh_tables(monkeypatch):
    monkeypatch.setattr(u, "_tables", {})  # parsed tables are kept between calls


def sheet_range(name: str) -> list[list]:
    """A whole sheet as xlwings hands a range to a UDF: a list of rows, header first."""
    from openpyxl import load_workbook

    ws = load_workbook(SAMPLE, read_only=True)[name]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_job_number_functions_use_the_codes_typed_in_the_brand_table():
    """悦峰's typed code YUF wins over its pinyin YF, which would be 云帆's (PRODUCT.md §2)."""
    brands = sheet_range("品牌")
    day = dt.datetime(2026, 3, 1)
    issued = [["YUFKT2026001"], ["YFKT2026001"]]
    assert u.AE_NEXTJOBNO("悦峰", "空调", day, issued, brands) == "YUFKT2026002"
    assert u.AE_NEXTJOBNO("悦峰", "空调", day, issued) == "YFKT2026002"  # pinyin only
    assert u.AE_JOBNO("悦峰", "空调", day, 7, brands) == "YUFKT2026007"
    assert u.AE_JOBNO_CHECK("YUFKT2026001", "悦峰", "空调", day, brands) == ""
    assert "YUFKT" in u.AE_JOBNO_CHECK("YFKT2026001", "悦峰", "空调", day, brands)
    out = u.AE_NEXTJOBNO([["悦峰"], ["云帆"], ["悦峰"], [None]], "空调", day, issued, brands)
    assert out == [["YUFKT2026002"], ["YFKT2026002"], ["YUFKT2026003"], [""]]
    # a pair not in the table: pinyin, refused when it takes a listed pair's prefix
    assert u.AE_JOBNO("格力", "空调", day, 1, brands) == "GLKT2026001"
    assert "云帆 / 空调" in u.AE_JOBNO("云峰", "空调", day, 1, brands)
    # a blank table reference is no table
    assert u.AE_JOBNO("悦峰", "空调", day, 1, [[None]]) == "YFKT2026001"


def test_job_number_check_agrees_with_the_workbook_checker():
    """Every 工作号 of the sample passes ``aexl check``; with 品牌 the UDF passes them too."""
    from aexl.workbook.read import read_workbench

    jobs = read_workbench(SAMPLE, sheets=("工作单",)).frame("工作单")
    column = lambda name: [[v] for v in jobs[name]]  # noqa: E731
    args = [column(c) for c in ("工作号", "品牌", "产品线", "开单日期")]
    assert "悦峰" in jobs["品牌"].tolist()
    assert u.AE_JOBNO_CHECK(*args, sheet_range("品牌")) == [[""]] * len(jobs)
    assert any(row != [""] for row in u.AE_JOBNO_CHECK(*args))  # pinyin alone gets 悦峰 wrong


@pytest.mark.parametrize(
    "table,said",
    [
        ([["品牌", "产品线"], ["悦峰", "空调"]], "Brands[#All]"),  # headers missing
        ([["悦峰", None, "YUF", "空调", None, None]], "连同表头"),  # the data rows only
        (
            [["客户", "品牌", "品牌代码", "产品线", "产品线代码", "备注"],
             [None, "悦峰", "YU-F", "空调", None, None]],
            "只能包含大写字母和数字",
        ),
    ],
)  # fmt: skip
def test_a_bad_brand_table_shows_in_each_cell(table, said):
    out = u.AE_JOBNO([["悦峰"], ["云帆"], [None]], "空调", MAR, 1, table)
    assert out[0][0].startswith("错误：") and said in out[0][0]
    assert out[1] == out[0] and out[2] == [""]


def test_the_brand_table_is_parsed_once_per_content(monkeypatch):
    import aexl.workbook.read

    parsed = []
    real = aexl.workbook.read.parse_register
    monkeypatch.setattr(
        aexl.workbook.read, "parse_register", lambda *a, **k: parsed.append(1) or real(*a, **k)
    )
    brands = sheet_range("品牌")
    names = [["悦峰"], ["云帆"]] * 50
    dates = [[dt.datetime(2026, 1, 1) + dt.timedelta(days=n)] for n in range(100)]
    u.AE_JOBNO_CHECK([["YUFKT2026001"]] * 100, names, "空调", dates, brands)
    assert parsed == [1]
    for n in range(20):  # one formula per row: the same table, parsed once
        u.AE_JOBNO("悦峰", "空调", MAR, n + 1, [list(r) for r in brands])
    assert parsed == [1]
    edited = [list(r) for r in brands]
    edited[3][2] = "YFG"
    assert u.AE_JOBNO("悦峰", "空调", MAR, 1, edited) == "YFGKT2026001"
    assert parsed == [1, 1]


def test_deadlines_use_the_holiday_table():
    """2027 is not in the bundled calendar: the sample's 节假日 fills it in, as for ``aexl check``."""
    from aexl.workbook.read import read_workbench
    from aexl.workcal import bundled_years

    holidays = sheet_range("节假日")
    calendar = read_workbench(SAMPLE).calendar()
    meeting = dt.datetime(2027, 2, 4, 10, 0)  # the Thursday before the Spring Festival days off
    if 2027 not in bundled_years():  # chinesecalendar < 1.12 does not know 2027
        assert "节假日" in u.AE_DEADLINE(meeting, "纪要")
        assert u.AE_DEADLINE(meeting, "纪要", holidays) == dt.datetime(2027, 2, 15, 10, 0)
    assert u.AE_DEADLINE(meeting, "纪要", holidays) == calendar.minutes_due(meeting)
    week = u.AE_DEADLINE([[meeting], [None]], "周报", holidays)
    assert week == [[u._as_datetime(calendar.weekly_due("2027-W05")[1])], [""]]
    feb = (dt.datetime(2027, 2, 1), dt.datetime(2027, 2, 28))
    assert u.AE_WORKDAYS(*feb, holidays) == calendar.workdays(*feb)
    assert u.AE_WORKDAYS(dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 31), holidays) == 18


def test_a_bad_holiday_row_is_said_not_skipped():
    holidays = [
        ["日期", "类型", "说明"],
        ["2099-06-03", "放假", None],
        ["2099-06-3x", "放假", None],
    ]
    week = dt.datetime(2099, 6, 1), dt.datetime(2099, 6, 5)  # Monday to Friday
    assert u.AE_WORKDAYS(*week, holidays).startswith("错误：「节假日」表第 3 行「日期」")
    assert u.AE_WORKDAYS(*week, holidays[:2]) == 4
    assert u.AE_WORKDAYS(*week).startswith("5（暂定：2099 年")  # estimated, and marked so


def test_nextjobno_numbers_each_series_in_one_go(monkeypatch):
    import aexl.jobno

    calls = []
    real = aexl.jobno.next_jobnos
    monkeypatch.setattr(aexl.jobno, "next_jobnos", lambda *a: calls.append(a[1:]) or real(*a))
    out = u.AE_NEXTJOBNO([["美的"]] * 3 + [["长虹"]], "空调", MAR, [["MDKT2026004"]])
    assert out == [["MDKT2026005"], ["MDKT2026006"], ["MDKT2026007"], ["CHKT2026001"]]
    assert calls == [("MDKT", "", 2026, 3), ("CHKT", "", 2026, 1)]


def _chinese(text) -> bool:
    return bool(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_udf_has_help_text(monkeypatch):
    """Every parameter is declared a 2-D range with Chinese help, as xw.arg receives it."""
    import importlib.util
    import inspect

    import xlwings

    declared: dict[str, dict[str, dict]] = {}

    def arg(name, **options):
        def record(func):
            declared.setdefault(func.__name__, {})[name] = options
            return func

        return record

    monkeypatch.setattr(xlwings, "arg", arg)
    origin = importlib.util.find_spec("aexl_udfs").origin
    spec = importlib.util.spec_from_file_location("aexl_udfs_help", origin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in module.__all__:
        func = getattr(module, name)
        assert _chinese(func.__doc__), name
        params = list(inspect.signature(func).parameters)
        assert sorted(declared[name]) == sorted(params), name
        for param in params:
            options = declared[name][param]
            assert options["ndim"] == 2 and _chinese(options["doc"]), f"{name}({param})"


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout))


def test_import_adds_nothing_heavy_to_bare_xlwings():
    """aexl's core, pypinyin, chinesecalendar load when a function first needs them."""
    bare = _modules_after("import xlwings")
    added = _modules_after("import xlwings, aexl_udfs, aexl.excel.ribbon") - bare
    assert added == {"aexl", "aexl.errors", "aexl.excel", "aexl.excel.ribbon", "aexl_udfs"}


# --- the self-check workbook ----------------------------------------------------------


def test_selfcheck_expectations_match_the_functions():
    from aexl.excel.selfcheck import CHECKS

    assert {c.function for c in CHECKS} == set(u.__all__)
    failed = [c.formula for c in CHECKS if not c.python()]
    assert failed == []


def test_selfcheck_workbook_is_up_to_date(tmp_path):
    from openpyxl import load_workbook

    from aexl.excel.selfcheck import CHECKS, DEFAULT_PATH, FIRST_ROW, build

    fresh = build(tmp_path / "UDF自检.xlsx")
    committed = load_workbook(DEFAULT_PATH).active
    regenerated = load_workbook(fresh).active

    def contents(ws):
        return [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()]

    assert contents(regenerated) == contents(committed), "run: python -m aexl.excel.selfcheck"
    for i, check in enumerate(CHECKS):
        assert regenerated.cell(row=FIRST_ROW + i, column=3).value == f"={check.formula}"
        assert regenerated.cell(row=FIRST_ROW + i, column=4).data_type == "s"


# --- issue 11: Excel error values in, error values out; blanks; readable messages ------

NA = "#N/A"
COM_NA = -2146826246  # how COM (desktop xlwings) delivers #N/A without err_to_str names
COM_SPILL = -2146826243  # #SPILL!: not in xlwings' own table, arrives as the number


@pytest.mark.parametrize(
    "value,expected",
    [
        ("#N/A", "#N/A"),
        ("#VALUE!", "#VALUE!"),
        (COM_NA, "#N/A"),
        (COM_SPILL, "#SPILL!"),
        ("#N/A 这不是错误值", None),
        ("错误：号码应为正整数", None),
        (1, None),
        (True, None),
        (None, None),
    ],
)
def test_excel_error(value, expected):
    assert cells.excel_error(value) == expected


@pytest.mark.parametrize(
    "call,expected",
    [
        (lambda: u.AE_CODE(NA), NA),
        (
            lambda: u.AE_CODE([["美的"], [NA], [None], ["#DIV/0!"]]),
            [["MD"], [NA], [""], ["#DIV/0!"]],
        ),
        (lambda: u.AE_CODE([[COM_NA]]), [[NA]]),
        (lambda: u.AE_JOBNO("美的", "空调", MAR, NA), NA),
        (lambda: u.AE_JOBNO(NA, "空调", MAR, 1), NA),
        (lambda: u.AE_JOBNO_CHECK("MDKT2026001", "美的", "#REF!", MAR), "#REF!"),
        (lambda: u.AE_COPYCHECK([["国家级"], [NA]])[1], [NA]),
        (lambda: u.AE_DEADLINE("#VALUE!", "纪要"), "#VALUE!"),
        (lambda: u.AE_WORKDAYS(MAR, NA), NA),
        (lambda: u.AE_NEXTJOBNO("美的", "空调", MAR, [["MDKT2026001"], [NA]]), NA),
        (lambda: u.AE_NEXTJOBNO([["美的"], [None]], "空调", MAR, [[NA]]), [[NA], [""]]),
        (lambda: u.AE_WORKDAYS(MAR, MAR, [["日期", "类型", "说明"], [NA, "放假", ""]]), NA),
        (
            lambda: u.AE_JOBNO(
                "美的", "空调", MAR, 1, [["客户", "品牌", "品牌代码"], ["x", NA, ""]]
            ),
            NA,
        ),
    ],
)
def test_error_inputs_give_the_same_error_value(call, expected):
    assert call() == expected


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_ae_jobno_blank_serial_is_readable(blank):
    out = u.AE_JOBNO("美的", "空调", MAR, blank)
    assert out.startswith("错误：缺少号码") and "None" not in out
    assert u.AE_JOBNO([["美的"]], "空调", MAR, [[blank]])[0][0].startswith("错误：缺少号码")


@pytest.mark.parametrize("name", u.__all__)
def test_every_argument_has_wizard_help_and_reads_errors_as_text(name):
    import inspect

    params = list(inspect.signature(getattr(u, name)).parameters)
    assert list(u.ARG_DOCS[name]) == params  # in signature order
    assert all(doc.strip() for doc in u.ARG_DOCS[name].values())
    assert getattr(u, name).__doc__.strip()
