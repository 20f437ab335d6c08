from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy
import openpyxl
import pytest

from aexl.workbook import write as xlsxout


def _written(tmp_path, build, name="out.xlsx"):
    """Build one sheet with ``build(sheet)``, save, and read it back with openpyxl."""
    book = xlsxout.Book(tmp_path / name, title="标题", subject="种类", description="数据来源：x")
    build(book.sheet("表"))
    path = book.save()
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temp file left
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize(
    "text", ["=SUM(A1:A3)", "+86 138 0000 0000", "-1", "@cmd", '=HYPERLINK("x")']
)
def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, text):
    cell = _written(tmp_path, lambda s: s.put(1, 1, text)).active["A1"]
    assert cell.value == text
    assert cell.data_type in ("s", "inlineStr")
    assert cell.quotePrefix  # Excel shows it as typed and keeps it text when edited


@pytest.mark.parametrize(
    "value, shown, number_format",
    [
        (date(2026, 11, 26), datetime(2026, 11, 26), xlsxout.DATE_FORMAT),
        (datetime(2026, 11, 26, 14, 30), datetime(2026, 11, 26, 14, 30), xlsxout.DATETIME_FORMAT),
        (datetime(2026, 11, 26), datetime(2026, 11, 26), xlsxout.DATE_FORMAT),
        (12000, 12000, "General"),
        (0.5, 0.5, "General"),
        (True, True, "General"),
        (float("nan"), None, "General"),
        (None, None, "General"),
        (Path("a/b.png"), "a/b.png", "General"),  # anything else is written as its text
        (date(1800, 1, 1), "1800-01-01", "General"),  # before Excel's first date: as text
        (datetime(1899, 12, 31, 8, 0), "1899-12-31 08:00:00", "General"),
        (numpy.int64(5), 5, "General"),
        (numpy.float64(2.5), 2.5, "General"),
        (numpy.bool_(True), True, "General"),
        (Decimal("1.10"), 1.1, "General"),
    ],
)
def test_values_keep_their_type_and_dates_get_formats(tmp_path, value, shown, number_format):
    cell = _written(tmp_path, lambda s: s.put(1, 1, value)).active["A1"]
    assert cell.value == shown
    assert cell.number_format == number_format


def test_empty_cells_keep_their_look_and_number_format(tmp_path):
    def build(sheet):
        sheet.table(
            1,
            ["完成度", "日期"],
            [[None, None], [50, date(2026, 11, 2)]],
            {0: "0%", 1: "yyyy-mm-dd"},
        )
        sheet.put(5, 1, None, number_format="0.00")  # typed into later: shown as 0.00
        sheet.put(6, 1, None)  # nothing to keep: no cell at all

    ws = _written(tmp_path, build).active
    assert ws["A2"].value is None and ws["A2"].number_format == "0%"
    assert ws["B2"].number_format == "yyyy-mm-dd" and ws["B2"].border.left.style == "thin"
    assert ws["A5"].number_format == "0.00"
    assert ws.max_row == 5


def test_document_properties(tmp_path):
    wb = _written(tmp_path, lambda s: s.put(1, 1, "x"))
    props = wb.properties
    assert (props.title, props.subject, props.creator) == ("标题", "种类", "aexl")
    assert props.description == "数据来源：x"


@pytest.mark.parametrize("fails", ["building the package", "writing the file"])
def test_save_keeps_old_file_on_failure_and_leaves_no_temp_file(tmp_path, monkeypatch, fails):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    book = xlsxout.Book(target)
    book.sheet("表").put(1, 1, "x")

    def broken_close():
        raise OSError("no memory")

    def disk_full(path, data):  # the file is half written when the disk fills up
        with open(path, "wb") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError("disk full")

    if fails == "building the package":
        monkeypatch.setattr(book.wb, "close", broken_close)
    else:
        monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.raises(OSError):
        book.save()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")

    def broken(name):
        with open(name, "wb") as fh:
            fh.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        xlsxout.atomic_write(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


@pytest.mark.parametrize(
    "subject, kind, expected",
    [
        ("美的", "月度工作总结", "20261110_美的_月度工作总结.xlsx"),
        ("星河/食品", "投放列表", "20261110_星河食品_投放列表.xlsx"),
        ("A: B?", "周报", "20261110_AB_周报.xlsx"),
    ],
)
def test_report_name_follows_the_rulebook(subject, kind, expected):
    assert xlsxout.report_name(date(2026, 11, 10), subject, kind) == expected


def test_table_and_print_setup(tmp_path):
    layout = {}

    def build(sheet):
        row = layout["row"] = sheet.title_block("每周工作进度表", ["品牌：星河"], width=3)
        rows = [["X1", "出稿", 60], ["X2", None, 70]]
        layout["end"] = sheet.table(row, ["工作号", "进展", "完成度"], rows, {2: "0"})
        sheet.set_widths([12, 30, 8])
        sheet.freeze(row + 1)
        sheet.print_setup(title_rows=(row, row))
        sheet.page_break(2)

    ws = _written(tmp_path, build).active
    row = layout["row"]
    assert ws["A1"].value == "每周工作进度表" and "A1:C1" in ws.merged_cells
    assert ws["A1"].font.b and ws["A1"].font.sz == 16
    assert ws.row_dimensions[1].height == pytest.approx(28, abs=0.5)  # whole pixels
    assert ws["A2"].value == "品牌：星河" and "A2:C2" in ws.merged_cells
    header = ws.cell(row, 1)
    assert header.value == "工作号" and header.font.b and header.fill.fgColor.rgb == "FF1F3864"
    assert ws.cell(row + 1, 3).value == 60 and ws.cell(row + 1, 3).number_format == "0"
    assert ws.cell(row + 1, 1).border.left.style == "thin"
    assert ws.cell(row + 2, 2).value is None and ws.cell(row + 2, 2).border.left.style == "thin"
    assert ws.cell(row + 2, 1).fill.fgColor.rgb == "FFF2F5FA"  # every other row banded
    assert ws.cell(row + 1, 1).fill.fill_type is None
    assert layout["end"] == row + 4
    assert round(ws.column_dimensions["B"].width) == 31  # 30 + Excel's padding
    assert ws.freeze_panes == f"A{row + 1}" and ws.print_title_rows == f"${row}:${row}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth in (None, 1)  # XlsxWriter leaves out Excel's default 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.horizontalCentered
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert [b.id for b in ws.row_breaks.brk] == [2]


def test_empty_table_says_so(tmp_path):
    ws = _written(tmp_path, lambda s: s.table(1, ["a", "b"], [], empty_text="（没有）")).active
    assert ws["A2"].value == "（没有）" and ws["A2"].border.left.style == "thin"


def test_link_image_and_chart_positions(tmp_path):
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, "PNG")
    charts = []

    def build(sheet):
        sheet.link(2, 1, "https://example.com/样稿")
        sheet.link(3, 1, "https://example.com/" + "x" * 3000)  # too long for Excel: text
        sheet.image(5, 2, picture.getvalue(), (80, 60), offset=(4, 4))
        for n in range(3):
            sheet.put(10 + n, 1, n)
        chart = sheet.book.chart({"type": "line"})
        chart.add_series({"values": ["表", 9, 0, 11, 0]})
        sheet.insert_chart(10, 3, chart, 15, 8, offset=(0, 3))
        charts.extend(sheet.charts)

    ws = _written(tmp_path, build).active
    assert ws["A2"].hyperlink.target == "https://example.com/样稿"
    assert ws["A2"].font.u == "single"
    assert ws["A3"].hyperlink is None and ws["A3"].value.endswith("x" * 10)
    image = ws._images[0]
    assert (image.anchor._from.row, image.anchor._from.col) == (4, 1)
    assert image.anchor._from.rowOff == image.anchor._from.colOff == 4 * 9525
    assert len(ws._charts) == 1 and charts == [(3, 15)]
    assert ws._charts[0].anchor._from.row == 9 and ws._charts[0].anchor._from.rowOff == 3 * 9525


def test_written_files_get_normal_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        path = xlsxout.atomic_write_bytes(b"x", tmp_path / "a.png")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_report_abandoned_half_way_writes_nothing(tmp_path):
    import gc

    book = xlsxout.Book(tmp_path / "half.xlsx")
    book.sheet("表").put(1, 1, "x")
    del book  # an error while building: save() is never called
    gc.collect()
    assert list(tmp_path.iterdir()) == []


# ---- a report someone edited is never replaced ------------------------------


def _cells(path):
    return [list(row) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]


def _report(path, text="第一版"):
    book = xlsxout.Book(path, title="周报")
    book.sheet("周报").put(1, 1, text)
    return book.save()


def _edit_in_spreadsheet(path, text):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb.active["B2"] = text
    wb.save(path)


def test_unchanged_report_is_replaced(tmp_path):
    first = _report(tmp_path / "r.xlsx")
    second = _report(tmp_path / "r.xlsx", "第二版")
    assert second == first
    assert _cells(second)[0][0] == "第二版"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_edited_report_is_kept_and_new_one_takes_a_free_name(tmp_path, caplog):
    path = _report(tmp_path / "r.xlsx")
    _edit_in_spreadsheet(path, "AM 填写的内容")
    before = path.read_bytes()
    with caplog.at_level("WARNING", logger="aexl"):
        new = _report(path, "第二版")
    assert new.name == "r_2.xlsx"
    assert path.read_bytes() == before  # the AM's text survives
    assert _cells(new)[0][0] == "第二版"
    assert "被修改过" in caplog.text and "r_2.xlsx" in caplog.text and "--force" in caplog.text
    # the free name is itself a report aexl wrote: a third run replaces it, not r_3
    assert _report(path, "第三版") == new


def test_a_file_aexl_did_not_write_is_kept(tmp_path):
    foreign = tmp_path / "r.xlsx"
    foreign.write_bytes(b"not aexl's")
    new = _report(foreign)
    assert foreign.read_bytes() == b"not aexl's" and new.name == "r_2.xlsx"


def test_force_replaces_an_edited_report(tmp_path):
    path = _report(tmp_path / "r.xlsx")
    _edit_in_spreadsheet(path, "改过")
    with xlsxout.force_overwrite():
        assert _report(path, "覆盖") == path
    assert _cells(path)[0][0] == "覆盖"


def test_publish_from_staging_follows_the_same_rule(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    kept = _report(out / "r.xlsx")
    _edit_in_spreadsheet(kept, "改过")
    before = kept.read_bytes()
    staged = _report(tmp_path / "stage.xlsx", "新")
    final = xlsxout.publish(staged, out / "r.xlsx")
    assert final.name == "r_2.xlsx" and not staged.exists() and kept.read_bytes() == before
    assert xlsxout.is_untouched(final)


def test_a_report_is_sealed_and_still_reads_everywhere(tmp_path):
    from python_calamine import CalamineWorkbook

    path = _report(tmp_path / "r.xlsx", "内容")
    assert xlsxout.is_untouched(path)
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python() == [["内容"]]
    data = bytearray(path.read_bytes())
    data[100] ^= 1  # any changed byte breaks the seal
    path.write_bytes(bytes(data))
    assert not xlsxout.is_untouched(path)


def test_a_package_sealed_in_memory_is_a_sealed_workbook(tmp_path):
    import io
    import zipfile

    import xlsxwriter

    package = io.BytesIO()
    book = xlsxwriter.Workbook(package, {"in_memory": True})
    book.add_worksheet("表").write_string(0, 0, "内容")
    book.close()
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsxout.sealed(package.getvalue()))
    unsealed = tmp_path / "raw.xlsx"
    unsealed.write_bytes(package.getvalue())
    assert xlsxout.is_untouched(path) and not xlsxout.is_untouched(unsealed)
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None and zf.comment.startswith(b"aexl-sha256:")


# ------------------------------------------------ issue 12, point 5: print ---
def _long_report(rows_a: int, rows_b: int):
    from aexl.reports.blocks import Heading, Table, Text

    class Report:
        title = "打印测试"
        KIND = "测试"
        source = ""

        def header_lines(self):
            return ["第一行"]

        blocks = [
            Heading("一、甲表"),
            Table(["编号", "说明"], [[f"A{n:03d}", "短"] for n in range(rows_a)], widths=[10, 40]),
            Text(["一段文字。"]),
            Heading("二、乙表"),
            Heading("（一）小节", 2),
            Table(["编号", "说明"], [[f"B{n:03d}", "长" * 60] for n in range(rows_b)]),
        ]

    return Report()


@pytest.mark.parametrize(("rows_a", "rows_b"), [(80, 40), (5, 90), (3, 3)])
def test_every_page_a_table_continues_on_starts_with_its_header(tmp_path, rows_a, rows_b):
    from aexl.reports.layout import save_report

    ws = openpyxl.load_workbook(save_report(_long_report(rows_a, rows_b), tmp_path / "p.xlsx", "表")).active  # fmt: skip
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    values = {r: [ws.cell(r, c).value for c in (1, 2)] for r in range(1, ws.max_row + 2)}
    tables = {"A": None, "B": None}
    for row, (first, _) in values.items():  # which table each row belongs to
        if isinstance(first, str) and first[:1] in tables and first[1:].isdigit():
            tables[first[0]] = (tables[first[0]] or (row, row))[0], row
    continued = 0
    for after in breaks:
        inside = [k for k, span in tables.items() if span and span[0] < after + 1 <= span[1]]
        continued += bool(inside)
        if inside:  # a page that starts inside a table starts with the table's header
            assert values[after + 1] == ["编号", "说明"], (after, values[after + 1])
        else:  # else with a heading (never a lone header or a body row)
            assert str(values[after + 1][0]).startswith(("一、", "二、", "（一）")), after
    headers = [r for r, v in values.items() if v == ["编号", "说明"]]
    assert len(headers) == 2 + continued and (continued > 0) == (rows_a + rows_b > 60)
    for r, v in values.items():  # wrapped text gets its height, in repeated chunks too
        if str(v[1]).startswith("长"):
            assert ws.row_dimensions[r].height and ws.row_dimensions[r].height > 30
    assert ws.print_title_rows is None  # no one-range print titles: each table repeats its own


def _boxed_report(rows: int, tall: bool):
    from aexl.reports.blocks import Heading, Table, Text

    class Report:
        title = "分页测试"
        KIND = "测试"
        source = ""

        def header_lines(self):
            return ["第一行"]

        blocks = [
            Heading("一、表"),
            Table(
                ["编号", "说明"],
                [[f"A{n:03d}", "长" * (60 if tall else 2)] for n in range(rows)],
                widths=[10, 40],
            ),  # fmt: skip
            Text(placeholder="回顾：目标、策略与执行。"),
            Heading("二、下一节"),
            Text(["结束。"]),
        ]

    return Report()


def _page_of(ws):
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    return lambda row: sum(b < row for b in breaks)


@pytest.mark.parametrize("tall", [False, True])
def test_the_box_under_a_table_stays_on_a_page_with_the_tables_last_rows(tmp_path, tall):
    from aexl.reports.blocks import PLACEHOLDER
    from aexl.reports.layout import save_report

    moved = 0
    for rows in range(8, 70, 3) if not tall else range(2, 22):  # the box falls everywhere
        path = save_report(_boxed_report(rows, tall), tmp_path / f"{rows}.xlsx", "表")
        ws = openpyxl.load_workbook(path).active
        page = _page_of(ws)
        box = next(c.row for c in ws["A"] if str(c.value).startswith(PLACEHOLDER))
        last = box - 2  # the table's last row, then the gap row
        assert ws.cell(last, 1).value == f"A{rows - 1:03d}", rows
        assert page(box) == page(last), rows  # never alone at the top of a page
        first_on_page = min(r for r in range(1, box) if page(r) == page(box))
        if first_on_page > 1:  # a page that starts inside the table starts with its header
            assert ws.cell(first_on_page, 1).value in ("编号", "一、表"), rows
            moved += ws.cell(first_on_page, 1).value == "编号" and last - first_on_page <= 2
    assert moved  # some runs carried the last rows over with the box


@pytest.mark.parametrize(("ref", "where"), [("A1", (1, 1)), ("E12", (12, 5)), ("$AA$3", (3, 27)), ("XFD1048576", (1048576, 16384))])  # fmt: skip
def test_cell_position_counts_from_one(ref, where):
    assert xlsxout.cell_position(ref) == where


def test_a_formula_stores_no_result_so_every_program_calculates_it(tmp_path):
    import zipfile

    book = xlsxout.Book(tmp_path / "f.xlsx")
    sheet = book.sheet("表")
    sheet.formula(1, 1, "=1+1")
    sheet.put(1, 2, "=1+1")  # text that looks like a formula stays text
    path = book.save()
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="A1"><f>1+1</f><v></v></c>' in xml  # no stored 0 for a viewer to show
    ws = openpyxl.load_workbook(path).active
    assert (ws["A1"].value, ws["A1"].data_type) == ("=1+1", "f")
    assert (ws["B1"].value, ws["B1"].data_type) == ("=1+1", "s")
