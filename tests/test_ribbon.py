"""Ribbon handlers driven through xlwings' remote engine (no Excel needed).

Each test builds a real .xlsx with openpyxl, turns it into the JSON payload
xlwings Server's Office.js client would send (tests/excel_payload.py), opens
it with ``xw.Book(json=...)``, runs the handler and asserts on the actions
the book sends back to Excel.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from excel_payload import ensure_remote_engine  # noqa: E402

xw = ensure_remote_engine()  # xlwings' remote engine, noncommercial licence
from excel_payload import book_payload  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from aexl import schema  # noqa: E402
from aexl.excel import ribbon  # noqa: E402
from aexl.excel.book import column_letter, read_book, selected_rows  # noqa: E402
from aexl.reports import placements  # noqa: E402

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(ribbon, "today", lambda: TODAY)


def _job(jobno, brand, line, name, opened, **extra):
    row = {
        "工作号": jobno,
        "品牌": brand,
        "产品线": line,
        "项目名称": name,
        "项目背景": "新品上市",
        "广告目标": "提升认知",
        "目标消费者": "25-35 岁城市家庭",
        "广告策略": "节能卖点",
        "广告调性": "温暖",
        "其他必备条件": "无",
        "工作内容": "主视觉一张",
        "工作类型": "海报",
        "规格": "A4",
        "预算": 12000,
        "开单日期": opened,
        "交付日期": opened + dt.timedelta(days=10) if opened else None,
        "提供资料": "无",
        "执行人员": "李雷",
        "主管签名": "王芳",
        "创意简报": "否",
        "状态": "进行中",
    }
    row.update(extra)
    return row


def workbench(
    path: Path, jobs: list[dict] | None = None, revisions: list[dict] | None = None
) -> Path:
    """A small real workbench: 品牌, 工作单, 修改单 and 文案."""
    wb = Workbook()
    ws = wb.active
    ws.title = "品牌"
    ws.append(schema.BRANDS.headers)
    ws.append(["华韵电器", "美的", None, "空调", None, None])
    ws.append(["华韵电器", "美的", None, "冰箱", None, None])
    ws.append(["长江食品", "长虹", "CHX", "电视", None, None])
    jobs_ws = wb.create_sheet("工作单")
    jobs_ws.append(schema.JOBS.headers)
    for job in jobs or []:
        jobs_ws.append([job.get(h) for h in schema.JOBS.headers])
    rev_ws = wb.create_sheet("修改单")
    rev_ws.append(schema.REVISIONS.headers)
    for rev in revisions or []:
        rev_ws.append([rev.get(h) for h in schema.REVISIONS.headers])
    copy_ws = wb.create_sheet("文案")
    copy_ws.append(schema.COPY.headers)
    copy_ws.append(
        ["MDKT2026001", "v1", "国家级品质，销量冠军", "第一次用就爱上", "清凉一夏", "是"]
    )
    copy_ws.append(["MDKT2026001", "v2", "清爽每一天", "第一季度新品", "凉快", "是"])
    wb.save(path)
    return path


def open_book(path: Path, *, sheet: str, selection: str | None) -> xw.Book:
    payload = book_payload(
        load_workbook(path), name=path.name, active_sheet=sheet, selection=selection
    )
    return xw.Book(json=payload)


def actions(book, func=None):
    acts = book.json()["actions"]
    return [a for a in acts if func is None or a["func"] == func]


def alerts(book) -> list[str]:
    return [a["args"][0] for a in actions(book, "alert")]


def written_to_new_sheet(book, name: str) -> list[list]:
    """The values written to the sheet the handler added under ``name``."""
    (added,) = [a for a in actions(book, "addSheet") if a["args"][1] == name]
    position = added["args"][0]
    return next(a for a in actions(book, "setValues") if a["sheet_position"] == position)["values"]


def cell_of(action) -> tuple[int, int]:
    """1-based (row, column) of an action's top-left cell."""
    return action["start_row"] + 1, action["start_column"] + 1


# --- payload helper ---------------------------------------------------------------


def test_payload_round_trips_values_dates_selection(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws["A1"], ws["B1"], ws["C3"] = "名称", dt.datetime(2026, 11, 26, 14, 30), 1.5
    wb.create_sheet("空表")
    payload = book_payload(wb, name="t.xlsx", active_sheet="数据", selection="B2:C3")
    assert payload["client"] == "Office.js" and payload["version"] == xw.__version__
    assert payload["book"] == {
        "name": "t.xlsx",
        "active_sheet_index": 0,
        "selection": "B2:C3",
        "calculation": "Automatic",
    }
    first, empty = payload["sheets"]
    assert first["values"] == [
        ["名称", "2026-11-26T14:30:00.000Z", ""],
        ["", "", ""],
        ["", "", 1.5],
    ]
    assert first["used_range_address"] == "A1:C3"
    assert empty["values"] == [[""]] and empty["used_range_address"] is None
    book = xw.Book(json=payload)
    assert book.sheets["数据"]["B1"].value == dt.datetime(2026, 11, 26, 14, 30)
    assert book.sheets["数据"]["A1:C3"].value[2][2] == 1.5
    assert book.selection.address == "$B$2:$C$3"
    assert book.sheets["空表"].used_range.address == "$A$1"


def test_payload_tables_and_names(tmp_path):
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.table import Table

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for row in (["a", "b"], [1, 2], [3, 4]):
        ws.append(row)
    ws.add_table(Table(displayName="T1", ref="A1:B3"))
    wb.defined_names["Total"] = DefinedName("Total", attr_text="S!$B$3")
    payload = book_payload(wb)
    table = payload["sheets"][0]["tables"][0]
    assert table["name"] == "T1" and table["data_body_range_address"] == "A2:B3"
    assert table["columns"] == ["a", "b"]
    book = xw.Book(json=payload)
    assert book.sheets[0].tables["T1"].data_body_range.value == [[1, 2], [3, 4]]
    assert book.names["Total"].refers_to_range.value == 4


# --- bridge -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address,rows",
    [
        ("$A$5", [5]),
        ("$A$5:$C$7", [5, 6, 7]),
        ("$A$5:$A$6,$B$9", [5, 6, 9]),
        ("工作单!B3:B4", [3, 4]),
        ("$3:$4", [3, 4]),
        ("$A:$A", []),
        ("", []),
    ],
)
def test_selected_rows(address, rows):
    assert selected_rows(address) == rows


def test_column_letter():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_read_book_gives_the_file_readers_frames(tmp_path):
    from aexl.workbook.read import read_workbench

    path = workbench(
        tmp_path / "wb.xlsx",
        jobs=[_job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2))],
    )
    book = open_book(path, sheet="工作单", selection="A2")
    live, raw = read_book(book)
    disk = read_workbench(path)
    for sheet in ("品牌", "工作单", "修改单", "文案"):
        left, right = live.frames[sheet], disk.frames[sheet]
        assert list(left.columns) == list(right.columns)
        assert left.astype(str).values.tolist() == right.astype(str).values.tolist(), sheet
    assert raw["工作单"].column("工作号") == 1


# --- 新建工作号 -------------------------------------------------------------------


def test_new_job_number_fills_selected_rows(tmp_path):
    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job("MDKT2026002", "美的", "空调", "秋季", dt.datetime(2026, 9, 1), 状态="已取消"),
        _job(None, "美的", "空调", "双十一", dt.datetime(2026, 11, 2)),
        _job(None, "美的", "冰箱", "新品", dt.datetime(2026, 11, 3)),
        _job(None, "长虹", "电视", "年货", dt.datetime(2026, 11, 4)),
        _job(None, "美的", "空调", "年终", dt.datetime(2026, 11, 5)),
    ]
    path = workbench(tmp_path / "wb.xlsx", jobs=jobs)
    book = open_book(path, sheet="工作单", selection="$C$4:$C$7")
    ribbon.new_job_number(book)
    on_jobs = [a for a in actions(book, "setValues") if a["sheet_position"] == 1]  # 工作单
    written = {cell_of(a): a["values"] for a in on_jobs}
    assert written == {
        (4, 1): [["MDKT2026003"]],  # the cancelled 002 keeps its number
        (5, 1): [["MDBX2026001"]],
        (6, 1): [["CHXDS2026001"]],  # typed 品牌代码 wins
        (7, 1): [["MDKT2026004"]],
    }
    assert "已生成 4 个工作号" in alerts(book)[0]


def test_new_job_number_numbers_each_series_through_the_core(tmp_path, monkeypatch):
    """The rows of one brand/line/year get their numbers from aexl.jobno.next_jobnos at once."""
    import aexl.jobno

    calls = []
    real = aexl.jobno.next_jobnos
    monkeypatch.setattr(aexl.jobno, "next_jobnos", lambda *a: calls.append(a[1:]) or real(*a))
    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job(None, "美的", "空调", "双十一", dt.datetime(2026, 11, 2)),
        _job(None, "长虹", "电视", "年货", dt.datetime(2026, 11, 4)),
        _job(None, "美的", "空调", "年终", dt.datetime(2026, 11, 5)),
        _job(None, "美的", "空调", "新年", dt.datetime(2027, 1, 5)),
    ]
    book = open_book(workbench(tmp_path / "wb.xlsx", jobs=jobs), sheet="工作单", selection="A3:A6")
    ribbon.new_job_number(book)
    on_jobs = [a for a in actions(book, "setValues") if a["sheet_position"] == 1]  # 工作单
    written = {cell_of(a)[0]: a["values"][0][0] for a in on_jobs}
    assert written == {3: "MDKT2026002", 4: "CHXDS2026001", 5: "MDKT2026003", 6: "MDKT2027001"}
    assert calls == [("MDKT", "", 2026, 2), ("CHXDS", "", 2026, 1), ("MDKT", "", 2027, 1)]


def test_new_job_number_gives_the_numbers_ae_nextjobno_gives(tmp_path):
    """The button and the worksheet function number one sheet alike: one core rule."""
    import aexl_udfs
    from openpyxl import load_workbook as load

    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job("MDKT2026005", "美的", "空调", "作废", dt.datetime(2026, 5, 2), 状态="已取消"),
        _job(None, "美的", "空调", "双十一", dt.datetime(2026, 11, 2)),
        _job(None, "长虹", "电视", "年货", dt.datetime(2026, 11, 4)),
        _job(None, "美的", "冰箱", "新品", dt.datetime(2026, 11, 3)),
        _job(None, "美的", "空调", "新年", dt.datetime(2027, 1, 5)),
        _job(None, "美的", "空调", "年终", dt.datetime(2026, 11, 5)),
    ]
    path = workbench(tmp_path / "wb.xlsx", jobs=jobs)
    book = open_book(path, sheet="工作单", selection="A4:A8")
    ribbon.new_job_number(book)
    on_jobs = [a for a in actions(book, "setValues") if a["sheet_position"] == 1]  # 工作单
    by_button = {cell_of(a)[0]: a["values"][0][0] for a in on_jobs}

    wb = load(path)
    brands = [list(r) for r in wb["品牌"].iter_rows(values_only=True)]
    rows = [[c.value for c in r] for r in wb["工作单"].iter_rows(min_row=2)]
    col = {h: i for i, h in enumerate(schema.JOBS.headers)}
    new = [r for r in rows if not r[col["工作号"]]]
    by_function = aexl_udfs.AE_NEXTJOBNO(
        [[r[col["品牌"]]] for r in new],
        [[r[col["产品线"]]] for r in new],
        [[r[col["开单日期"]]] for r in new],
        [[r[col["工作号"]]] for r in rows],
        brands,
    )
    assert list(by_button.values()) == [n for (n,) in by_function]
    assert by_button == {4: "MDKT2026006", 5: "CHXDS2026001", 6: "MDBX2026001",
                         7: "MDKT2027001", 8: "MDKT2026007"}  # fmt: skip


def test_new_job_number_reports_bad_rows_and_skips_numbered(tmp_path):
    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job(None, "美的", "洗衣机", "未登记的产品线", dt.datetime(2026, 11, 2)),
        _job(None, "美的", "空调", "缺日期", None),
    ]
    path = workbench(tmp_path / "wb.xlsx", jobs=jobs)
    book = open_book(path, sheet="工作单", selection="A2:A4")
    ribbon.new_job_number(book)
    assert actions(book, "setValues") == []
    (message,) = alerts(book)
    assert "第 3 行" in message and "洗衣机" in message
    assert "第 4 行" in message and "开单日期" in message
    assert actions(book, "alert")[0]["args"][3] == "critical"


def test_new_job_number_needs_a_selection_on_the_job_sheet(tmp_path):
    path = workbench(tmp_path / "wb.xlsx")
    book = open_book(path, sheet="品牌", selection="A2")
    ribbon.new_job_number(book)
    assert actions(book, "setValues") == []
    assert "请先在「工作单」表中选中" in alerts(book)[0]


# --- 新建修改单 -------------------------------------------------------------------


def revise(tmp_path, revisions, *, sheet="修改单", selection="A2", jobs=None):
    """Run 新建修改单 on a workbench with ``revisions``; (its setValues actions, alerts)."""
    jobs = jobs or [_job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2))]
    path = workbench(tmp_path / "wb.xlsx", jobs=jobs, revisions=revisions)
    book = open_book(path, sheet=sheet, selection=selection)
    ribbon.new_revision(book)
    return actions(book, "setValues"), alerts(book)


def rev(jobno, number, day) -> dict:
    return {"原工作号": jobno, "修改序号": number, "修改日期": dt.datetime(2026, *day)}


def test_new_revision_appends_next_number(tmp_path):
    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job("MDKT2026002", "美的", "空调", "秋季", dt.datetime(2026, 9, 1), 执行人员="韩梅梅"),
    ]
    revisions = [
        rev("MDKT2026002", 1, (9, 5)),
        rev("MDKT2026001", 1, (3, 5)),
        rev("MDKT2026002", 2, (9, 8)),
    ]
    (write,), said = revise(tmp_path, revisions, sheet="工作单", selection="B3", jobs=jobs)
    assert write["sheet_position"] == 2 and cell_of(write) == (5, 1)
    assert write["values"] == [["MDKT2026002", 3, "2026-11-26", "", "", "", "韩梅梅"]]
    assert "第 3 次修改" in said[0]


@pytest.mark.parametrize(
    "revisions,row,number",
    [
        ([rev("MDKT2026001", 1, (3, 5))], 3, 2),  # from the 修改单 sheet itself
        (  # job numbers compare as aexl.jobno.normalize_jobno has them; blank 序号 skipped
            [
                rev("mdkt 2026001", 1, (3, 5)),
                rev("ＭＤＫＴ2026001", 2, (3, 6)),
                rev("MDKT2026001", None, (3, 7)),
            ],
            5,
            3,
        ),
    ],
)
def test_new_revision_from_the_revision_sheet(tmp_path, revisions, row, number):
    (write,), _said = revise(tmp_path, revisions, selection="D2")
    assert cell_of(write) == (row, 1) and write["values"][0][:2] == ["MDKT2026001", number]


def test_new_revision_unknown_job(tmp_path):
    written, said = revise(tmp_path, [rev("XXXX2026009", 1, (3, 5))])
    assert written == []
    assert "XXXX2026009 不在「工作单」表中" in said[0]


# --- 校验工作单 -------------------------------------------------------------------


def test_validate_marks_cells_and_writes_results_sheet(tmp_path):
    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job("MDKT2025002", "美的", "空调", None, dt.datetime(2026, 3, 3), 预算="很多"),
    ]
    path = workbench(tmp_path / "wb.xlsx", jobs=jobs)
    book = open_book(path, sheet="工作单", selection="A1")
    ribbon.validate_workbook(book)
    added = actions(book, "addSheet")
    assert added and added[0]["args"][1] == ribbon.RESULTS_SHEET
    colours = {
        (a["sheet_position"], *cell_of(a)): a["args"][0] for a in actions(book, "setRangeColor")
    }
    headers = schema.JOBS.headers
    budget = (1, 3, headers.index("预算") + 1)
    name = (1, 3, headers.index("项目名称") + 1)
    assert colours[budget] == "#ffc7ce" and colours[name] == "#ffc7ce"
    grid = written_to_new_sheet(book, ribbon.RESULTS_SHEET)
    assert grid[0] == ["工作表", "行", "列", "级别", "问题", "怎么改", "位置", "代码"]
    listed = {(r[0], r[1], r[2]) for r in grid[1:]}
    assert len({tuple(r) for r in grid[1:]}) == len(grid) - 1  # each finding once
    assert ("工作单", 3, "预算") in listed and ("工作单", 3, "项目名称") in listed
    assert any(r[6] == '=HYPERLINK("#\'工作单\'!N3","工作单!N3")' for r in grid[1:])
    assert "错误 5 个" in alerts(book)[0]
    hidden = [a for a in actions(book, "setColumnWidth") if a["args"] == [0]]
    assert hidden and cell_of(hidden[0])[1] == 8  # the 代码 column is hidden
    assert actions(book, "setRowHeight")  # long messages get their height


def test_validate_clears_previous_marks(tmp_path):
    path = workbench(
        tmp_path / "wb.xlsx",
        jobs=[_job("MDKT2026001", "美的", "空调", "x", dt.datetime(2026, 3, 2))],
    )
    wb = load_workbook(path)
    old = wb.create_sheet(ribbon.RESULTS_SHEET)
    old.append(["工作表", "行", "列", "级别", "说明", "位置", "代码"])
    old.append(["工作单", 2, "预算", "错误", "旧问题", None, "x"])
    wb.save(path)
    book = open_book(path, sheet="工作单", selection="A1")
    ribbon.validate_workbook(book)
    resets = [a for a in actions(book, "setRangeColor") if a["args"][0] is None]
    assert [(a["sheet_position"], *cell_of(a)) for a in resets] == [
        (1, 2, schema.JOBS.headers.index("预算") + 1)
    ]
    assert actions(book, "addSheet") == []  # the results sheet is reused


# --- 文案合规检查 -----------------------------------------------------------------


def test_check_copy_colours_and_notes_flagged_cells(tmp_path):
    path = workbench(tmp_path / "wb.xlsx")
    book = open_book(path, sheet="文案", selection="C2:D3")
    ribbon.check_copy(book)
    colours = {cell_of(a): a["args"][0] for a in actions(book, "setRangeColor")}
    assert colours == {(2, 3): "#ffc7ce"}  # 国家级/销量冠军; 第一次 and 第一季度 are harmless
    notes = actions(book, "addNote")
    assert notes and "国家级" in notes[0]["args"][1]
    message = alerts(book)[0]
    assert "1 个含禁用词" in message and "C2" in message and "不是法律意见" in message


def test_check_copy_without_text(tmp_path):
    path = workbench(tmp_path / "wb.xlsx")
    book = open_book(path, sheet="文案", selection="F5")
    ribbon.check_copy(book)
    assert "没有文字" in alerts(book)[0]


# --- 报告 -----------------------------------------------------------------------


def test_weekly_report_writes_sheet(tmp_path):
    pytest.importorskip("aexl.reports.weekly")
    jobs = [_job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 11, 2))]
    path = workbench(tmp_path / "wb.xlsx", jobs=jobs)
    wb = load_workbook(path)
    ws = wb.create_sheet("周进度")
    ws.append(schema.WEEKLY.headers)
    ws.append(["2026-W48", "MDKT2026001", "创意", "完成初稿", 60, "已付首款", "定稿", "李雷"])
    wb.save(path)
    book = open_book(path, sheet="工作单", selection="A1")
    ribbon.weekly_report(book)
    question, done = alerts(book)
    assert "是" in question and "否" in question  # the desktop asks which copy
    # the remote engine's alert returns no answer: both copies, each on its own sheet
    added = [a["args"][1] for a in actions(book, "addSheet")]
    assert added == [ribbon.WEEKLY_SHEET, ribbon.INTERNAL_WEEKLY_SHEET]
    client = [c for row in written_to_new_sheet(book, ribbon.WEEKLY_SHEET) for c in row if c]
    internal = [
        c for row in written_to_new_sheet(book, ribbon.INTERNAL_WEEKLY_SHEET) for c in row if c
    ]
    assert "美的 每周工作进度表" in client and "完成初稿" in client
    assert "已付首款" not in client and "已付首款" in internal  # finance stays in-house
    assert "2026-W48" in done and "不要发给客户" in done


def _with_sheet(path: Path, name: str, headers: list[str], rows: list[list]) -> Path:
    wb = load_workbook(path)
    ws = wb.create_sheet(name)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_effect_charts_adds_pictures(tmp_path):
    path = _with_sheet(
        workbench(tmp_path / "wb.xlsx"),
        "效果",
        schema.EFFECTS.headers,
        [
            [dt.datetime(2026, 11, 1), "美的", "双十一", "到店人数", 120, 100, "人", "终端观察"],
            [dt.datetime(2026, 11, 8), "美的", "双十一", "到店人数", 150, 110, "人", "终端观察"],
            [dt.datetime(2026, 11, 8), "长虹", "年货节", "销量", 30, 40, "台", "第三方数据"],
        ],
    )
    book = open_book(path, sheet="效果", selection="A1")
    ribbon.effect_charts(book)
    pictures = actions(book, "addPicture")
    assert len(pictures) == 2 and all(p["args"][0] for p in pictures)  # base64 PNGs
    (first, second), heights = [anchor_of(p)[0] for p in pictures], picture_heights(book)
    assert heights[0] == pytest.approx(png_points(pictures[0])[1])
    assert second - 1 > bottom_row(first, heights[0])  # the second title is below the first chart
    titles = [a["values"] for a in actions(book, "setValues")]
    assert any("美的" in str(t) and "到店人数" in str(t) for t in titles)
    assert "2 张" in alerts(book)[0]


def test_effect_charts_without_data(tmp_path):
    path = _with_sheet(workbench(tmp_path / "wb.xlsx"), "效果", schema.EFFECTS.headers, [])
    book = open_book(path, sheet="效果", selection="A1")
    ribbon.effect_charts(book)
    assert actions(book, "addPicture") == [] and "没有可画图的数据" in alerts(book)[0]


def placement(form, region, media, day, sample, size="3x2m", version="v1") -> list:
    """A 投放 row of 美的 / MDKT2026001 placed on 2026-``day`` (month, day)."""
    values = {
        "品牌": "美的",
        "工作号": "MDKT2026001",
        "广告形式": form,
        "投放区域": region,
        "投放媒体": media,
        "投放日期": dt.datetime(2026, *day),
        "投放规格": size,
        "投放版本": version,
        "样稿": sample,
    }
    return [values.get(h) for h in schema.PLACEMENTS.headers]


def _placements(tmp_path, rows) -> Path:
    return _with_sheet(workbench(tmp_path / "wb.xlsx"), "投放", schema.PLACEMENTS.headers, rows)


def test_placement_list_with_thumbnail(tmp_path, monkeypatch):
    from PIL import Image

    Image.new("RGB", (320, 200), (200, 30, 30)).save(tmp_path / "kv.png")
    rows = [
        placement("户外", "广州", "地铁灯箱", (11, 24), "kv.png"),
        placement("网络", "全国", "微信", (11, 25), "https://x.cn/a", "1080x1920", "v2"),
        placement("平面", "广州", "南方日报", (10, 1), None, "整版"),
    ]
    path = _placements(tmp_path, rows)
    monkeypatch.setattr(ribbon, "_book_folder", lambda book: tmp_path)
    book = open_book(path, sheet="投放", selection="A1")
    ribbon.placement_list(book)
    grid = written_to_new_sheet(book, ribbon.PLACEMENTS_SHEET)
    assert grid[1] == placements.HEADERS
    assert [r[1] for r in grid[2:]] == ["户外", "网络"]  # October is not this week
    (picture,) = actions(book, "addPicture")
    assert anchor_of(picture) == (3, placements.SAMPLE_COL)
    assert "1 张样稿缩略图" in alerts(book)[0]


def test_placement_list_on_the_server_cannot_read_relative_samples(tmp_path):
    """Under xlwings Server the book has no folder: 样稿 paths are shown as text, never
    opened (an absolute one is outside the workbench folder, as ``aexl check`` says)."""
    from PIL import Image

    Image.new("RGB", (320, 200), (30, 30, 200)).save(tmp_path / "kv.png")
    absolute = tmp_path / "abs.png"
    Image.new("RGB", (320, 200), (30, 200, 30)).save(absolute)
    rows = [
        placement("户外", "广州", "地铁灯箱", (11, 23), "kv.png"),
        placement("户外", "深圳", "公交站", (11, 24), "样稿\\缺失.png"),
        placement("网络", "全国", "微信", (11, 25), "https://x.cn/a", "1080x1920", "v2"),
        placement("平面", "广州", "南方日报", (11, 26), str(absolute), "整版"),
    ]
    book = open_book(_placements(tmp_path, rows), sheet="投放", selection="A1")
    ribbon.placement_list(book)  # the remote book's fullname is just its name: no folder
    grid = written_to_new_sheet(book, ribbon.PLACEMENTS_SHEET)
    shown = [r[placements.SAMPLE_COL - 1] for r in grid[2:]]
    assert shown == [
        "样稿：kv.png（服务器上无法读取，请在桌面版中生成缩略图）",  # not looked up anywhere
        "样稿：样稿\\缺失.png（服务器上无法读取，请在桌面版中生成缩略图）",  # not "缺失"
        "https://x.cn/a",
        f"样稿路径不在工作台文件夹内：{absolute}",  # never opened: no folder to be inside
    ]
    assert actions(book, "addPicture") == []


def anchor_of(picture_action) -> tuple[int, int]:
    """1-based (row, column) of an addPicture action's anchor cell."""
    column, row = picture_action["args"][1:3]  # 0-based
    return int(row) + 1, int(column) + 1


def picture_heights(book) -> list[float]:
    """The height in points each added picture is given (setPictureHeight, in order)."""
    return [a["args"][1] for a in actions(book, "setPictureHeight")]


def png_points(action) -> tuple[float, float]:
    """(width, height) in points of an addPicture action's PNG at Excel's 96 px per inch."""
    import base64
    import struct

    png = base64.b64decode(action["args"][0])
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width * 0.75, height * 0.75


def bottom_row(anchor_row: int, height: float, row_height: float = 13.5) -> int:
    """The last row a picture reaches when every row is ``row_height`` points (宋体 11)."""
    import math

    return anchor_row + math.ceil(height / row_height) - 1


def _effects(path: Path, rows: list[list]) -> Path:
    return _with_sheet(path, "效果", schema.EFFECTS.headers, rows)


OCTOBER_EFFECTS = [
    [dt.datetime(2026, 10, 3), "美的", "国庆", "到店人数", 120, 100, "人", "终端观察"],
    [dt.datetime(2026, 10, 10), "美的", "国庆", "到店人数", 150, 110, "人", "终端观察"],
    [dt.datetime(2026, 10, 3), "美的", "国庆", "销量", 30, 40, "台", "第三方数据"],
    [dt.datetime(2026, 10, 10), "美的", "国庆", "销量", 45, 40, "台", "第三方数据"],
    [dt.datetime(2026, 10, 10), "美的", "国庆", "询价", 8, 10, "次", "门店"],
]


def test_monthly_summary_reserves_rows_under_each_chart(tmp_path):
    pytest.importorskip("aexl.reports.monthly")
    jobs = [_job("MDKT2026010", "美的", "空调", "双十一", dt.datetime(2026, 10, 8))]
    path = _effects(workbench(tmp_path / "wb.xlsx", jobs=jobs), OCTOBER_EFFECTS)
    book = open_book(path, sheet="工作单", selection="A1")
    ribbon.monthly_summary(book)
    grid = written_to_new_sheet(book, ribbon.MONTHLY_SHEET)
    pictures = actions(book, "addPicture")
    assert len(pictures) == 3  # one picture per chart, not one stacked figure
    heights = picture_heights(book)
    assert len(heights) == 3
    for picture, height in zip(pictures, heights, strict=True):
        assert height == pytest.approx(png_points(picture)[1])  # its real size
    anchors = [anchor_of(p)[0] for p in pictures]
    next_block = next(n for n, row in enumerate(grid, start=1) if n > anchors[-1] and any(row))
    flat = [str(c) for row in grid for c in row if c]
    assert "本月效果数据" in flat  # the month's figures stay beside their charts
    assert grid[next_block - 1][0]  # the next block starts below the last picture
    followers = [*anchors[1:], next_block]
    for row, height, following in zip(anchors, heights, followers, strict=True):
        bottom = bottom_row(row, height)
        assert following > bottom, (row, height, following)
        assert all(not any(r) for r in grid[row - 1 : bottom])  # nothing under a picture


def test_layout_reserves_rows_from_each_pictures_height():
    import io

    from PIL import Image

    from aexl.excel import render

    buffer = io.BytesIO()
    Image.new("RGB", (384, 288), "white").save(buffer, format="PNG")

    class OneFigure:  # a chart block of one 384 x 288 px chart: 288 x 216 pt at 96 px per inch
        title = "图"

        def pngs(self, dpi):
            return [buffer.getvalue()]

    class NoCharts:
        title = "图"

        def pngs(self, dpi):
            return []

    class Report:
        title = "报告"
        blocks = [OneFigure(), NoCharts()]

    lay = render.layout(Report())
    (picture,) = lay.pictures
    assert (picture.width, picture.height) == (288, 216)
    assert picture.rows == 16  # 216 / 13.5
    assert lay.grid[picture.row - 2][0] == "图"
    after = [n for n, row in enumerate(lay.grid, start=1) if n > picture.row and any(row)]
    assert after[0] == picture.last_row + render.PICTURE_GAP_ROWS + 1  # the next chart block
    assert lay.grid[after[1] - 1][0] == render.NO_CHARTS


def test_report_pictures_of_the_previous_run_are_removed(tmp_path):
    pytest.importorskip("aexl.reports.monthly")
    jobs = [_job("MDKT2026010", "美的", "空调", "双十一", dt.datetime(2026, 10, 8))]
    path = _effects(workbench(tmp_path / "wb.xlsx", jobs=jobs), OCTOBER_EFFECTS[:2])
    wb = load_workbook(path)
    wb.create_sheet(ribbon.MONTHLY_SHEET).append(["旧内容"])
    wb.save(path)
    payload = book_payload(
        load_workbook(path), name=path.name, active_sheet="工作单", selection="A1"
    )
    old = {"width": 400, "height": 250, "left": 0, "top": 20, "lock_aspect_ratio": True}
    payload["sheets"][-1]["pictures"] = [
        {"name": "aexl_chart_1", **old},
        {"name": "公司标志", **old},
        {"name": "aexl_chart_2", **old},
    ]
    book = xw.Book(json=payload)
    ribbon.monthly_summary(book)
    deleted = [a["args"] for a in actions(book, "deletePicture")]
    assert deleted == [[2], [0]]  # aexl's own pictures, last first; the logo stays
    assert len(actions(book, "addPicture")) == 1
    assert "已写入" in alerts(book)[0]


@pytest.mark.parametrize(
    "module,handler,sheet,selection,job,shown,said",
    [
        ("jobsheet", "print_job_sheet", ribbon.PRINT_SHEET, "C2",
         ("MDKT2026001", "夏季促销", (3, 2)), ["项目工作单", "夏季促销"], "MDKT2026001"),
        ("monthly", "monthly_summary", ribbon.MONTHLY_SHEET, "A1",
         ("MDKT2026010", "双十一", (10, 8)), ["美的 月度工作总结", "双十一"], "2026-10"),
    ],
)  # fmt: skip
def test_report_sheet(tmp_path, module, handler, sheet, selection, job, shown, said):
    pytest.importorskip(f"aexl.reports.{module}")
    jobno, name, opened = job
    jobs = [_job(jobno, "美的", "空调", name, dt.datetime(2026, *opened))]
    book = open_book(
        workbench(tmp_path / "wb.xlsx", jobs=jobs), sheet="工作单", selection=selection
    )
    getattr(ribbon, handler)(book)
    grid = written_to_new_sheet(book, sheet)
    flat = {c for row in grid for c in row if c}
    assert set(shown) <= flat
    assert said in alerts(book)[0]


def test_internal_error_is_an_alert_not_a_traceback(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("aexl.excel.book.read_book", boom)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    path = workbench(tmp_path / "wb.xlsx")
    book = open_book(path, sheet="工作单", selection="A2")
    assert ribbon.validate_workbook(book) is None
    assert "内部错误" in alerts(book)[0]


def test_handlers_list_matches_module():
    for name in ribbon.HANDLERS:
        assert callable(getattr(ribbon, name))


def test_placement_grid_puts_brands_one_below_the_other():
    from aexl.excel import render

    day = dt.date(2026, 11, 24)

    def row(n, kind, sample, thumbnail=None):
        return placements.PlacementRow(
            n, "MDKT2026001", "户外", "广州", "地铁灯箱", day, None, "3x2m", "v1", sample,
            sample_kind=kind, thumbnail=thumbnail, note=sample,
        )  # fmt: skip

    lists = {
        "美的": [
            row(2, placements.IMAGE, "kv.png", b"png"),
            row(3, placements.URL, "https://x.cn"),
        ],
        "华凌": [row(4, placements.UNKNOWN, "样稿/a.png")],
    }
    lay = render.placement_grid(lists, "2026-W48", "无法读取：{path}")
    assert [r[0] if len(r) == 1 else None for r in lay.grid] == [
        "美的 投放列表 2026-W48", None, None, None, None, "华凌 投放列表 2026-W48", None, None,
    ]  # fmt: skip
    assert lay.grid[4] == [] and lay.header_rows == [2, 7]
    assert all(lay.grid[r - 1] == placements.HEADERS for r in lay.header_rows)
    assert lay.thumbnails == [(3, b"png")]  # the row of the image, no thumbnail for the rest
    assert lay.grid[7][placements.SAMPLE_COL - 1] == "无法读取：样稿/a.png"
    assert lists["华凌"][0].note == "样稿/a.png"  # the input rows are left as they were
