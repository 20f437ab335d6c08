import sys
from datetime import date, datetime

import openpyxl
import pytest

from aexl import schema
from aexl.errors import InputFileError, SheetError
from aexl.workbook.read import parse_register, read_workbench


def write_book(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def revisions_rows():
    # Columns shuffled, an extra column, a blank row in the middle, odd spacing.
    header = [
        "修改日期",
        " 原工作号 ",
        "修改序号",
        "备忘",
        "修改内容",
        "意见来源",
        "交付日期",
        "执行人员",
    ]
    return [
        header,
        ["2026/3/2", "XHSP2026001", "１", "keep me", "改标题", "客户", "2026年3月5日", "王"],
        [None, None, None, None, None, None, None, None],
        [date(2026, 3, 9), "XHSP2026001", 2, None, "换图", "提案会", "2026-03-12", "王"],
        ["下周", "XHSP2026002", "two", None, "改色", "客户", None, "李"],
    ]


def test_reads_any_column_order_skips_blank_rows_keeps_extras(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": revisions_rows()})
    wb = read_workbench(path)
    frame = wb.frame("修改单")
    assert list(frame["_row"]) == [2, 4, 5]
    assert frame["修改日期"].tolist() == [date(2026, 3, 2), date(2026, 3, 9), None]
    assert frame["修改序号"].tolist() == [1, 2, None]
    assert frame["交付日期"].tolist()[:2] == [date(2026, 3, 5), date(2026, 3, 12)]
    assert frame["备忘"].tolist()[0] == "keep me"


def test_unreadable_cells_become_findings_naming_row_and_column(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": revisions_rows()})
    wb = read_workbench(path)
    where = {(f.sheet, f.row, f.column) for f in wb.findings}
    assert where == {("修改单", 5, "修改日期"), ("修改单", 5, "修改序号")}
    assert all(f.severity == "error" and f.message for f in wb.findings)
    assert ("修改单", 5, "修改序号") in wb.bad_cells


def test_absent_register_gives_empty_frame_with_contract_columns(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": revisions_rows()})
    wb = read_workbench(path)
    assert not wb.has_sheet("工作单")
    frame = wb.frame("工作单")
    assert frame.empty
    assert set(schema.JOBS.headers) <= set(frame.columns)


def test_sheet_names_are_normalised(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {" 修改单 ": revisions_rows()})
    assert read_workbench(path).has_sheet("修改单")


@pytest.mark.parametrize(
    "setup, error, text",
    [
        ("missing", InputFileError, "找不到"),
        ("text", InputFileError, "无法读取"),
        ("csv", InputFileError, "不是 Excel"),
        ("dir", InputFileError, "文件夹"),
    ],
)
def test_bad_files_raise_chinese_errors(tmp_path, setup, error, text):
    path = tmp_path / "wb.xlsx"
    if setup == "text":
        path.write_text("not a workbook")
    elif setup == "csv":
        path = tmp_path / "wb.csv"
        path.write_text("a,b")
    elif setup == "dir":
        path = tmp_path / "folder.xlsx"
        path.mkdir()
    with pytest.raises(error) as info:
        read_workbench(path)
    assert text in str(info.value)
    assert path.name in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_needed_sheet_and_missing_header(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": [["原工作号", "修改序号"]]})
    with pytest.raises(SheetError, match="缺少工作表「工作单」"):
        read_workbench(path, need=("工作单",))
    with pytest.raises(SheetError) as info:
        read_workbench(path)
    message = str(info.value)
    assert "修改单" in message and "修改日期" in message and "第 1 行" in message


def test_parse_register_from_live_values():
    rows = [schema.WEEKLY.headers, ["2026-w47", "XHSP2026001", "创意", "出稿", "60%", "", "", "王"]]
    frame, findings, _ = parse_register(schema.WEEKLY, rows)
    assert findings == []
    assert frame.loc[0, "周次"] == "2026-W47"
    assert frame.loc[0, "完成度"] == 60.0
    assert frame.loc[0, "财务情况"] is None


def test_whitespace_only_rows_count_as_blank(tmp_path):
    rows = revisions_rows()[:2] + [["  ", "\u3000", None, None, None, None, None, None]]
    path = write_book(tmp_path / "wb.xlsx", {"修改单": rows})
    assert list(read_workbench(path).frame("修改单")["_row"]) == [2]


def test_an_empty_sheet_counts_as_absent_unless_needed(tmp_path):
    path = write_book(tmp_path / "wb.xlsx", {"修改单": revisions_rows(), "节假日": []})
    assert not read_workbench(path).has_sheet("节假日")
    with pytest.raises(SheetError, match="表头"):
        read_workbench(path, need=("节假日",))


# ---- no unread value passes silently (issue 10, failure 3) -------------------------------

NUMERIC_KINDS = (schema.MONEY, schema.NUMBER, schema.INT, schema.PERCENT)
SAMPLE_BY_KIND = {
    schema.DATE: date(2026, 3, 2),
    schema.DATETIME: datetime(2026, 3, 2, 14, 30),
    schema.WEEK: "2026-W10",
    schema.MONTH: "2026-03",
    schema.MONEY: 1200,
    schema.NUMBER: 12,
    schema.INT: 1,
    schema.PERCENT: 60,
}
PLACEHOLDER = 987654.125  # patched to 1e999 in the sheet XML (XlsxWriter refuses inf)
ERROR_CODES = ("#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!")


def _numeric_column(register) -> int:
    kinds = [c.kind for c in register.columns]
    found = [i for i, kind in enumerate(kinds) if kind in NUMERIC_KINDS]
    return found[0] if found else len(kinds) - 2


def write_hostile_register(path, register, code: str, also: tuple = ()):
    """A register with an error value in its first and last columns (rows 2, 3), a merged
    first-column cell over rows 4–5, 1e999 (row 6) and the text 'inf' (row 7) in a numeric
    column (or a text one when the register has none)."""
    import xlsxwriter

    width = len(register.columns)
    last, numeric = width - 1, _numeric_column(register)
    first_value = SAMPLE_BY_KIND.get(register.columns[0].kind, "合并的值")
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(register.sheet)
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, register.headers)
    for row in range(1, 7):
        sheet.write(row, 1 if numeric != 1 else 2, "填写")
    for name in also:  # other registers, header only
        book.add_worksheet(name).write_row(0, 0, schema.BY_SHEET[name].headers)
    sheet.write_formula(1, 0, "=Z99/0", None, code)
    sheet.write_formula(2, last, "=NA()", None, "#N/A")
    if isinstance(first_value, datetime | date):
        sheet.merge_range(3, 0, 4, 0, None)
        sheet.write_datetime(3, 0, first_value, date_format)
    else:
        sheet.merge_range(3, 0, 4, 0, first_value)
    sheet.write_number(5, numeric, PLACEHOLDER)
    sheet.write_string(6, numeric, "inf")
    book.close()
    _patch_sheet(path, f"<v>{PLACEHOLDER}</v>".encode(), b"<v>1e999</v>")
    # XlsxWriter writes the newer error values (#SPILL!) as text results: make A2 an error.
    _patch_sheet(path, b'<c r="A2" t="str">', b'<c r="A2" t="e">', must=False)
    return path


def frame_value(wb, register, row, column):
    return wb.frame(register.sheet).set_index("_row").loc[row, column]


def _patch_sheet(path, old: bytes, new: bytes, must: bool = True) -> None:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {info: zf.read(info.filename) for info in zf.infolist()}
    found = False
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts.items():
            if info.filename.startswith("xl/worksheets/") and old in data:
                data, found = data.replace(old, new), True
            zf.writestr(info, data)
    assert found or not must


@pytest.mark.parametrize(
    "register, code",
    [(r, ERROR_CODES[i % len(ERROR_CODES)]) for i, r in enumerate(schema.REGISTERS)],
    ids=[r.sheet for r in schema.REGISTERS],
)
def test_every_unreadable_kind_is_a_finding_in_every_register(tmp_path, register, code):
    path = write_hostile_register(tmp_path / "wb.xlsx", register, code)
    wb = read_workbench(path)
    found = {(f.row, f.column): f for f in wb.findings if f.sheet == register.sheet}
    first, last = register.columns[0].name, register.columns[-1].name
    numeric = register.columns[_numeric_column(register)].name
    assert found[(2, first)].code == "cell.error"
    assert f"单元格是错误值 {code}" in found[(2, first)].message
    assert found[(3, last)].code == "cell.error"  # an optional column too
    assert "单元格是错误值 #N/A" in found[(3, last)].message
    assert "有限" in found[(6, numeric)].message  # 1e999 read as inf
    if register.columns[_numeric_column(register)].kind in NUMERIC_KINDS:
        assert found[(7, numeric)].severity == "error"  # the text "inf"
        assert frame_value(wb, register, 7, numeric) is None
    else:
        assert (7, numeric) not in found  # 'inf' is plain text in a text column
    frame = wb.frame(register.sheet).set_index("_row")
    assert frame.loc[5, first] == frame.loc[4, first] is not None  # merged over rows 4–5
    assert (4, first) not in found and (5, first) not in found
    assert frame.loc[6, numeric] is None
    assert {(register.sheet, 2, first), (register.sheet, 6, numeric)} <= wb.bad_cells


def test_error_values_in_extra_columns_are_kept_as_their_text(tmp_path):
    import xlsxwriter

    path = tmp_path / "wb.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("节假日")
    sheet.write_row(0, 0, [*schema.HOLIDAYS.headers, "备忘"])
    sheet.write_row(1, 0, ["2027-01-01", "放假", "元旦"])
    sheet.write_formula(1, 3, "=1/0", None, "#DIV/0!")
    book.close()
    wb = read_workbench(path)
    assert wb.findings == []
    assert wb.frame("节假日").loc[0, "备忘"] == "#DIV/0!"


# ---- bounded reading (issue 10, failure 5) ------------------------------------------------


def _jobs_book(path, rows: int, stray: tuple[int, int] | None = None, dimension: str = ""):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("工作单")
    sheet.write_row(0, 0, schema.JOBS.headers)
    for n in range(1, rows + 1):
        sheet.write_row(n, 0, [f"MDKT2026{n:03d}", "美的", "空调"])
    if stray:
        sheet.write(*stray, "x")
    book.close()
    if dimension:
        _patch_sheet(path, b'<dimension ref="A1:U', f'<dimension ref="{dimension}" x="'.encode())
    return path


@pytest.mark.parametrize(
    "stray, cap, text",
    [
        ((1048575, 16383), None, "单元格 XFD1048576"),  # the 71 KB workbook of the issue
        ((2, 16383), "10", "内容范围过大"),  # wide: 3 rows × 16384 columns > 10 × 64 cells
        (None, "5", "有内容的行超过 5 行"),
    ],
)
def test_a_sheet_past_the_caps_is_one_message(tmp_path, monkeypatch, stray, cap, text):
    if cap:
        monkeypatch.setenv("AEXL_MAX_ROWS", cap)
    path = _jobs_book(tmp_path / "wb.xlsx", 8, stray)
    with pytest.raises(SheetError) as info:
        read_workbench(path)
    message = str(info.value)
    assert text in message and "工作单" in message and "wb.xlsx" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "moves, cap, text",
    [
        ({b"A3": b"A900000"}, None, "单元格 A900000"),  # a cell placed far below its <row r="3">
        ({b"A3": b"A1048576", b"B2": b"XFD2"}, None, "单元格 A1048576"),  # tall and wide
        ({b"A3": b"A99999", b"B2": b"XFD2"}, None, "内容范围过大"),  # wide, rows under the cap
        ({b"A3": b"A60"}, "50", "有内容的行超过 50 行"),
        ({b"A3": b"A5000", b"B2": b"XFD2"}, "1000", "有内容的行超过 1000 行"),
    ],
)
def test_a_cell_is_placed_by_its_own_reference(tmp_path, monkeypatch, moves, cap, text):
    """calamine places a cell by its reference, whatever its <row> says: a far cell inside a
    small row is found before calamine sizes the sheet (one message, no crash)."""
    if cap:
        monkeypatch.setenv("AEXL_MAX_ROWS", cap)
    path = _jobs_book(tmp_path / "wb.xlsx", 8)
    for old, new in moves.items():
        _patch_sheet(path, b' r="' + old + b'"', b' r="' + new + b'"')
    with pytest.raises(SheetError) as info:
        read_workbench(path)
    message = str(info.value)
    assert text in message and "工作单" in message and "\n" not in message


def test_scans_made_ahead_are_the_sheets_scans_and_spare_the_reader_a_pass(tmp_path, monkeypatch):
    from aexl.workbook import extent

    path = write_hostile_register(tmp_path / "wb.xlsx", schema.EFFECTS, "#SPILL!")
    made = extent.scan_package(path)
    assert made["sheets"] == {name: extent.scan_sheet(path, name) for name in made["sheets"]}
    assert made["sheets"]["效果"].errors  # the error cells are part of the scan
    plain = read_workbench(path)
    passes = []
    real = extent._scan_stream
    monkeypatch.setattr(extent, "_scan_stream", lambda *a: passes.append(a[2]) or real(*a))
    with extent.prescanned(made):
        ahead = read_workbench(path)
    assert passes == []
    assert ahead.findings == plain.findings
    assert ahead.frame("效果").equals(plain.frame("效果"))
    read_workbench(path)  # outside the block the reader scans again
    assert passes == ["效果"]


def test_a_scan_made_ahead_is_not_trusted_once_the_file_changed(tmp_path):
    from aexl.workbook import extent

    path = _jobs_book(tmp_path / "wb.xlsx", 8)
    made = extent.scan_package(path)
    _patch_sheet(path, b' r="A3"', b' r="A1048576"')  # replaced by a hostile version since
    with extent.prescanned(made), pytest.raises(SheetError, match="A1048576"):
        read_workbench(path)


@pytest.mark.skipif(sys.platform == "win32", reason="st_ctime is the creation time on Windows")
def test_a_rewrite_with_the_old_size_and_time_is_still_noticed(tmp_path):
    import os
    import time

    from aexl.workbook import extent

    path = tmp_path / "wb.xlsx"
    path.write_bytes(b"x" * 100)
    before, signature = os.stat(path), extent.file_signature(path)
    time.sleep(0.05)  # past the file system's clock tick
    with open(path, "r+b") as fh:  # in place (the same inode), the same size
        fh.write(b"y" * 100)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old time
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    assert extent.file_signature(path) != signature  # the change time gives it away


def test_scanning_ahead_leaves_out_what_it_cannot_scan(tmp_path):
    from aexl.workbook import extent

    hostile = _jobs_book(tmp_path / "wb.xlsx", 8, stray=(1048575, 16383))
    assert extent.scan_package(hostile)["sheets"] == {}  # the reader will say what is wrong
    text = tmp_path / "假的.xlsx"
    text.write_text("不是 Excel 文件", encoding="utf-8")
    assert extent.scan_package(text) is None
    assert extent.scan_package(tmp_path / "没有这个文件.xlsx") is None


def test_a_cell_far_inside_the_caps_is_read(tmp_path):
    path = _jobs_book(tmp_path / "wb.xlsx", 8)
    _patch_sheet(path, b' r="A3"', b' r="A5000"')  # under the cap, inside A..Z: read as placed
    assert 5000 in list(read_workbench(path).frame("工作单")["_row"])


def test_the_declared_dimension_is_not_trusted(tmp_path):
    path = _jobs_book(tmp_path / "wb.xlsx", 3, dimension="A1:XFD1048576")
    assert list(read_workbench(path).frame("工作单")["_row"]) == [2, 3, 4]


def test_a_wide_but_small_sheet_is_read(tmp_path):
    path = _jobs_book(tmp_path / "wb.xlsx", 3, stray=(2, 16383))  # XFD3: 3 × 16384 cells
    assert len(read_workbench(path).frame("工作单")) == 3


@pytest.mark.parametrize("stored", [b"<v>NaN</v>", b"<v>-inf</v>", b"<v>1e999</v>"])
def test_non_finite_numbers_stored_in_the_file_are_findings(tmp_path, stored):
    path = write_hostile_register(tmp_path / "wb.xlsx", schema.EFFECTS, "#REF!")
    _patch_sheet(path, b"<v>1e999</v>", stored)
    [finding] = [f for f in read_workbench(path).findings if f.row == 6]
    assert finding.column == "数值" and "不是有限数" in finding.message
