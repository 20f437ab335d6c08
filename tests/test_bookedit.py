"""Surgical edits of a user's workbook (``aexl jobno new``): only the parts that must change
are rewritten, every other zip member stays byte for byte; Excel's owner file, the lock,
tables, text never as a formula, dates with a date style, atomic save, parallel runs."""

import io
import multiprocessing
import os
import re
import struct
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table, TableStyleInfo

from aexl import schema
from aexl.errors import AexlError, FileLockedError
from aexl.newjob import issue_job_number
from aexl.workbook import edit as bookedit
from aexl.workbook.edit import edit_lock, owner_files
from aexl.workbook.read import read_workbench

JOBS_XML = "xl/worksheets/sheet2.xml"  # 工作单 is the second sheet of both builders
FIRST_ISSUE = {  # what the first number of a workbench changes (the ledger sheet is created)
    "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", JOBS_XML,
    "xl/tables/table1.xml",
}  # fmt: skip


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )


def new_job(book, *extra, env=None):
    return run("jobno", "new", "--book", str(book), "--brand", "美的", "--line", "空调",
               "--date", "2026-11-26", *extra, env=env)  # fmt: skip


def make_bench(path, jobs=(), *, table_rows=None, image=False, chart=False, epoch=None):
    """品牌 (美的/空调) + 工作单 with ``jobs`` as (工作号, 项目名称) rows and an Excel table."""
    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = "品牌"
    ws.append(schema.BRANDS.headers)
    ws.append(["华韵电器", "美的", None, "空调", None, None])
    jobs_ws = wb.create_sheet("工作单")
    headers = schema.JOBS.headers
    jobs_ws.append(headers)
    for number, project in jobs:
        row = dict.fromkeys(headers)
        row.update({"工作号": number, "品牌": "美的", "产品线": "空调", "项目名称": project})
        row.update({"开单日期": date(2026, 1, 5), "状态": "已完成"})
        jobs_ws.append([row[h] for h in headers])
    last = table_rows or max(2, jobs_ws.max_row)
    table = Table(displayName="Jobs", ref=f"A1:U{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    jobs_ws.add_table(table)
    if image:
        from openpyxl.drawing.image import Image

        wb["品牌"].add_image(Image(png_file(path.parent)), "H2")
        wb["品牌"]["A2"].comment = openpyxl.comments.Comment("主要客户", "AE")
    if chart:
        from openpyxl.chart import BarChart, Reference

        bar = BarChart()
        bar.add_data(Reference(jobs_ws, min_col=14, min_row=1, max_row=3))
        jobs_ws.add_chart(bar, "W2")
    wb.save(path)
    return path


def png_file(folder):
    from PIL import Image as PILImage

    target = Path(folder) / "logo.png"
    PILImage.new("RGB", (8, 8), "red").save(target)
    return str(target)


def vba_project(folder):
    """A real vbaProject.bin (one module), built by pyOpenVBA as ``aexl addin build`` does."""
    from pyopenvba import ExcelFile

    stage = Path(folder) / "stage.xlsm"
    with ExcelFile.create_new(stage) as book:
        book.vba_project().add_module("Aexl", "Sub Hello()\r\nEnd Sub\r\n")
        book.save()
    target = Path(folder) / "vbaProject.bin"
    with zipfile.ZipFile(stage) as z:
        target.write_bytes(z.read("xl/vbaProject.bin"))
    stage.unlink()
    return target


def make_rich_bench(path, *, vba=None, extras=True):
    """An XlsxWriter workbench with what Excel users put in one: formulas with cached
    values (预算 ``=454000*1``, 交付日期 ``=DATE(…)``), shared strings, a table, a chart,
    a sparkline and a 2010 data bar (x14 extensions), a picture, comments, data
    validation, a summary formula on another sheet and, for .xlsm, a VBA project."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    if vba:
        wb.add_vba_project(str(vba))
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    brands = wb.add_worksheet("品牌")
    brands.write_row(0, 0, schema.BRANDS.headers)
    brands.write_row(1, 0, ["华韵电器", "美的", None, "空调"])
    if extras:
        brands.write_comment("B2", "主要客户")
        with open(png_file(Path(path).parent), "rb") as fh:
            brands.insert_image("H2", "logo.png", {"image_data": io.BytesIO(fh.read())})
    jobs = wb.add_worksheet("工作单")
    headers = schema.JOBS.headers
    col = {h: i for i, h in enumerate(headers)}
    for n in (1, 2):
        jobs.write(n, col["工作号"], f"MDKT202600{n}")
        jobs.write_row(n, col["品牌"], ["美的", "空调", f"项目{n}"])
        jobs.write_formula(n, col["预算"], "=454000*1", None, 454000)
        jobs.write_datetime(n, col["开单日期"], date(2026, 1, 5), day)
        jobs.write_formula(n, col["交付日期"], "=DATE(2026,1,20)", day, 46042)
        jobs.write(n, col["状态"], "已完成")
    jobs.add_table(0, 0, 2, len(headers) - 1,
                   {"name": "Jobs", "columns": [{"header": h} for h in headers]})  # fmt: skip
    if extras:
        _add_extras(wb, jobs, col)
    summary = wb.add_worksheet("汇总")
    summary.write_formula("A1", "=SUM(工作单!N2:N100)", None, 908000)
    wb.close()
    return path


def _add_extras(wb, jobs, col):
    jobs.data_validation(1, col["状态"], 500, col["状态"],
                         {"validate": "list", "source": ["进行中", "已完成", "已取消"]})  # fmt: skip
    jobs.write_comment("D2", "客户很急")
    jobs.add_sparkline("W2", {"range": "工作单!N2:N3"})
    jobs.conditional_format("N2:N100", {"type": "data_bar", "data_bar_2010": True})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=工作单!$N$2:$N$3", "name": "预算"})
    jobs.insert_chart("X5", chart)


PIVOT_LIKE = {  # parts no aexl code reads, that must come through untouched
    "xl/pivotCache/pivotCacheDefinition1.xml": b'<pivotCacheDefinition refreshOnLoad="1"/>',
    "xl/pivotTables/pivotTable1.xml": b'<pivotTableDefinition name="P"/>',
    "xl/slicers/slicer1.xml": b"<slicers/>",
    "customXml/item1.xml": b"<x/>",
    "xl/embeddings/oleObject1.bin": bytes(range(200)),
}


def rewrite_zip(path, *, add=None, edit=None, out=None):
    """Copy a workbook zip, adding parts ``{name: bytes}`` and editing ``{name: fn(text)}``."""
    out = out or path
    add, edit = add or {}, edit or {}
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename in edit:
                data = edit[info.filename](data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
        for name, data in add.items():
            dst.writestr(name, data)
    return out


def add_sheet_ext(uri, inner="<x14:sparklineGroups/>"):
    ext = (
        f'<extLst><ext uri="{uri}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        f"{inner}</ext></extLst>"
    )
    return lambda xml: xml.replace("</worksheet>", ext + "</worksheet>")


def jobs_column(path, column="工作号"):
    frame = read_workbench(path, sheets=("工作单",)).frame("工作单")
    return [v for v in frame[column] if v is not None]


def leftovers(folder):
    """aexl's temporary files and lock files left in ``folder`` (there should be none)."""
    return sorted(
        p.name
        for p in Path(folder).iterdir()
        if p.name.startswith(("~aexl-", "~$aexl-", ".~aexl-"))
    )


def raw_members(path):
    """name → (compression, compressed bytes as stored, content), in zip order; read with
    the standard library only (not with the code under test)."""
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as fh:
        assert z.testzip() is None
        for info in z.infolist():
            fh.seek(info.header_offset)
            name_len, extra_len = struct.unpack("<HH", fh.read(30)[26:30])
            fh.seek(info.header_offset + 30 + name_len + extra_len)
            out[info.filename] = (info.compress_type, fh.read(info.compress_size),
                                  z.read(info.filename))  # fmt: skip
    return out


def diff_members(before, after):
    """(changed, added) member names; asserts order kept and nothing removed."""
    assert list(after)[: len(before)] == list(before), "member order changed or a member lost"
    changed = {n for n in before if after[n] != before[n]}
    for name in set(before) - changed:  # unchanged: the very bytes Excel stored
        assert after[name][:2] == before[name][:2]
    return changed, list(after)[len(before) :]


# ---------------------------------------------------------------------------
# Byte identity: only what must change changes


# ---------------------------------------------------------------------------
# Excel's owner file


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("AE工作台.xlsx", {"~$AE工作台.xlsx", "~$工作台.xlsx"}),
        ("星河食品_AE工作台.xlsx", {"~$星河食品_AE工作台.xlsx", "~$食品_AE工作台.xlsx"}),
        ("ab", {"~$ab"}),
    ],
)
def test_owner_file_names(name, expected):
    assert {p.name for p in owner_files(Path("/x") / name)} == expected


@pytest.mark.parametrize("form", ["full", "short"])
def test_refuses_while_open_in_excel(tmp_path, form):
    book = make_bench(tmp_path / "星河食品_AE工作台.xlsx")
    owner = "~$星河食品_AE工作台.xlsx" if form == "full" else "~$食品_AE工作台.xlsx"
    (tmp_path / owner).write_bytes(b"\x08someone")
    before = book.read_bytes()
    result = new_job(book)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Excel" in result.stderr and owner in result.stderr
    assert book.read_bytes() == before


def test_an_owner_file_of_another_workbook_does_not_block(tmp_path):
    book = make_bench(tmp_path / "AE工作台.xlsx")
    (tmp_path / "~$其他.xlsx").write_bytes(b"x")
    assert new_job(book).returncode == 0


# ---------------------------------------------------------------------------
# The lock


def test_waits_for_the_lock_then_gives_up_with_a_message(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    with edit_lock(book):
        result = new_job(book, env={"AEXL_LOCK_TIMEOUT": "0.5"})
    assert result.returncode == 2
    assert "另一个 aexl 程序正在修改" in result.stderr and result.stderr.count("\n") == 1
    assert jobs_column(book) == []


def test_lock_timeout_in_process(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    code = (
        "import sys; from aexl.workbook.edit import edit_lock\n"
        "from aexl.errors import FileLockedError\n"
        "try:\n    with edit_lock(sys.argv[1], timeout=0.2): pass\n"
        "except FileLockedError: print('locked')\n"
    )
    with edit_lock(book):
        out = subprocess.run(
            [sys.executable, "-c", code, str(book)], capture_output=True, text=True
        )
    assert out.stdout.strip() == "locked", out.stderr


def _issue_five(book, worker, go, results):
    go.wait()
    numbers = [
        issue_job_number(book, "美的", "空调", date(2026, 11, 26), f"p{worker}-{n}")
        for n in range(5)
    ]
    results.put(numbers)


def test_parallel_runs_never_issue_the_same_number(tmp_path):
    """8 processes issuing 5 numbers each at once: 40 distinct numbers, all in the file."""
    book = make_bench(tmp_path / "b.xlsx")
    ctx = multiprocessing.get_context("fork")
    go, results = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_issue_five, args=(book, i, go, results)) for i in range(8)]
    for w in workers:
        w.start()
    go.set()
    issued = [n for _ in workers for n in results.get(timeout=300)]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert len(issued) == 40 and len(set(issued)) == 40
    assert sorted(issued) == [f"MDKT2026{i:03d}" for i in range(1, 41)]
    assert sorted(jobs_column(book)) == sorted(issued)
    assert len(set(jobs_column(book, "项目名称"))) == 40
    wb = openpyxl.load_workbook(book)
    assert wb["工作单"].tables["Jobs"].ref == "A1:U41"
    assert leftovers(tmp_path) == []


def test_parallel_cli_runs(tmp_path):
    """The real command, three at once."""
    book = make_bench(tmp_path / "b.xlsx")
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda i: new_job(book, "--project", f"p{i}"), range(3)))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    issued = sorted(r.stdout.strip() for r in results)
    assert issued == ["MDKT2026001", "MDKT2026002", "MDKT2026003"]
    assert sorted(jobs_column(book)) == issued
    assert leftovers(tmp_path) == []


def _rich(tmp_path, kind):
    if kind == "formulas only":  # nothing the old openpyxl editor refused
        return make_rich_bench(tmp_path / "公式.xlsx", extras=False)
    if kind == "xlsm":
        return make_rich_bench(tmp_path / "宏.xlsm", vba=vba_project(tmp_path))
    if kind == "openpyxl":
        return make_bench(tmp_path / "b.xlsx", [("MDKT2026001", "老项目")], image=True, chart=True)
    book = make_rich_bench(tmp_path / "富.xlsx")
    if kind == "pivot":
        overrides = "".join(
            f'<Override PartName="/{n}" ContentType="application/xml"/>' for n in PIVOT_LIKE
        )
        rewrite_zip(book, add=PIVOT_LIKE,
                    edit={"[Content_Types].xml": lambda x: x.replace("</Types>", overrides + "</Types>")})  # fmt: skip
    return book


@pytest.mark.parametrize("kind", ["xlsx", "xlsm", "openpyxl", "pivot"])
def test_only_the_parts_that_must_change_change(tmp_path, kind):
    """Issue 10.1: every other member byte for byte, in order; 2nd issue: 工作单 + ledger."""
    book = _rich(tmp_path, kind)
    before = raw_members(book)
    first = new_job(book, "--project", "新品海报")
    assert first.returncode == 0, first.stderr
    after = raw_members(book)
    changed, added = diff_members(before, after)
    assert changed == FIRST_ISSUE and len(added) == 1  # + the ledger sheet, after the others
    assert added[0] == f"xl/worksheets/sheet{3 if kind == 'openpyxl' else 4}.xml"
    second = new_job(book)
    assert second.returncode == 0, second.stderr
    changed, more = diff_members(after, raw_members(book))
    assert changed == {JOBS_XML, "xl/tables/table1.xml", added[0]} and more == []
    assert [first.stdout.strip(), second.stdout.strip()] == (
        ["MDKT2026002", "MDKT2026003"] if kind == "openpyxl" else ["MDKT2026003", "MDKT2026004"]
    )
    if kind == "xlsm":
        assert openpyxl.load_workbook(book, keep_vba=True).vba_archive is not None


@pytest.mark.parametrize("kind", ["formulas only", "xlsx", "xlsm"])
def test_formulas_keep_their_cached_values(tmp_path, kind):
    """Issue 10.1: 预算 =454000*1 and 交付日期 =DATE(…) still read 454000 / 2026-01-20."""
    book = _rich(tmp_path, kind)
    assert new_job(book).returncode == 0
    frame = read_workbench(book, sheets=("工作单",)).frame("工作单")
    assert frame["预算"].tolist()[:2] == [454000, 454000]
    assert frame["交付日期"].tolist()[:2] == [date(2026, 1, 20)] * 2
    cached = openpyxl.load_workbook(book, data_only=True)
    assert cached["工作单"]["N2"].value == 454000 and cached["汇总"]["A1"].value == 908000
    assert openpyxl.load_workbook(book)["工作单"]["N2"].value == "=454000*1"


def test_the_new_row_reads_back_everywhere(tmp_path):
    book = _rich(tmp_path, "xlsx")
    assert new_job(book, "--project", " 双十二 ").stdout.strip() == "MDKT2026003"
    row = read_workbench(book, sheets=("工作单",)).frame("工作单").iloc[-1]
    assert (row["工作号"], row["品牌"], row["产品线"], row["项目名称"], row["状态"], row["_row"]) == (
        "MDKT2026003", "美的", "空调", "双十二", "进行中", 4,
    )  # fmt: skip
    assert row["开单日期"] == date(2026, 11, 26)
    ws = openpyxl.load_workbook(book)["工作单"]
    assert ws["A4"].value == "MDKT2026003" and ws["O4"].is_date
    assert ws["O4"].value.date() == date(2026, 11, 26)
    assert ws.tables["Jobs"].ref == "A1:U4"
    assert ws["U4"].value == "进行中"
    assert [v.formula1 for v in ws.data_validations.dataValidation] == ['"进行中,已完成,已取消"']


# Parts openpyxl 3.1 drops or rewrites, which the old editor had to refuse.
SPARKLINE = "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}"
DATABAR = "{78C0D931-6437-407D-A8EE-F0AAD7539E65}"
X14_VALIDATION = "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHAPE_DRAWING = (
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
    '<xdr:twoCellAnchor><xdr:sp macro="" textlink=""><xdr:nvSpPr/></xdr:sp></xdr:twoCellAnchor>'
    "</xdr:wsDr>"
)
BUTTON_VML = '<xml><v:shape><x:ClientData ObjectType="Button"/></v:shape></xml>'


@pytest.mark.parametrize(
    "change",
    [
        {"edit": {JOBS_XML: add_sheet_ext(SPARKLINE)}},
        {"edit": {JOBS_XML: add_sheet_ext(DATABAR, "<x14:conditionalFormattings/>")}},
        {"edit": {JOBS_XML: add_sheet_ext(X14_VALIDATION, "<x14:dataValidations/>")}},
        {"edit": {JOBS_XML: lambda x: x.replace("</worksheet>", f'<picture xmlns:r="{R_NS}" r:id="rId9"/></worksheet>')}},
        {"add": {"xl/chartsheets/sheet1.xml": b"<chartsheet/>"}},
        {"add": {"xl/timelines/timeline1.xml": b"<x/>"}},
        {"add": {"xl/externalLinks/externalLink1.xml": b"<x/>"}},
        {"add": {"xl/activeX/activeX1.xml": b"<x/>"}},
        {"add": {"xl/ctrlProps/ctrlProp1.xml": b"<x/>"}},
        {"add": {"xl/drawings/vmlDrawing9.vml": BUTTON_VML.encode()}},
        {"add": {"xl/drawings/drawing9.xml": SHAPE_DRAWING.encode()}},
        {"add": {"xl/media/image9.emf": b"\x01\x00"}},
        {"add": {"xl/threadedComments/threadedComment1.xml": b"<x/>"}},
        {"add": {"xl/richData/rdrichvalue.xml": b"<x/>"}},
        {"add": {"xl/metadata.xml": b"<x/>"}},
        {"add": {"xl/connections.xml": b"<x/>"}},
        {"add": {"customUI/customUI14.xml": b"<customUI/>"}},
    ],
)  # fmt: skip
def test_what_openpyxl_would_lose_is_kept(tmp_path, change):
    book = make_bench(tmp_path / "b.xlsx", [("MDKT2026001", "老项目")], chart=True)
    rewrite_zip(book, add=change.get("add"), edit=change.get("edit"))
    before = raw_members(book)
    result = new_job(book)
    assert result.returncode == 0, result.stderr
    after = raw_members(book)
    changed, added = diff_members(before, after)
    assert changed == FIRST_ISSUE and added == ["xl/worksheets/sheet3.xml"]  # the ledger
    for name in change.get("add", {}):
        assert after[name] == before[name]
    for name, fn in change.get("edit", {}).items():  # the extension is still in the sheet
        marker = re.search(r"<(extLst|picture)", fn("</worksheet>")).group(0)
        assert marker in after[name][2].decode()


def test_openpyxl_really_drops_a_sparkline(tmp_path):
    """Why the surgical edit: a load + save by openpyxl loses the x14 extension."""
    book = make_bench(tmp_path / "b.xlsx")
    rewrite_zip(book, edit={JOBS_XML: add_sheet_ext(SPARKLINE)})
    with pytest.warns(UserWarning):
        wb = openpyxl.load_workbook(book)
    wb.save(tmp_path / "resaved.xlsx")
    with zipfile.ZipFile(tmp_path / "resaved.xlsx") as z:
        assert SPARKLINE not in z.read(JOBS_XML).decode()
    assert new_job(book).returncode == 0
    with zipfile.ZipFile(book) as z:
        assert SPARKLINE in z.read(JOBS_XML).decode()


def test_a_zip_with_two_members_of_one_name_is_refused(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    with zipfile.ZipFile(book, "a") as z, pytest.warns(UserWarning):
        z.writestr("xl/styles.xml", b"<forged/>")
    before = book.read_bytes()
    result = new_job(book)
    assert result.returncode == 2 and "同名" in result.stderr
    assert result.stderr.count("\n") == 1 and book.read_bytes() == before


# ---------------------------------------------------------------------------
# Cells, dates, tables


@pytest.mark.parametrize(
    "text", ["=SUM(1,2)", '=HYPERLINK("http://x")', "+1", "-1", "@A1", " 空格 "]
)
def test_text_starting_with_equals_stays_text(tmp_path, text):
    book = make_bench(tmp_path / "b.xlsx")
    result = new_job(book, "--project", text)
    assert result.returncode == 0, result.stderr
    cell = openpyxl.load_workbook(book)["工作单"]["D2"]
    assert cell.value == text.strip() and cell.data_type == "s"
    assert jobs_column(book, "项目名称") == [text.strip()]  # calamine: text, not a formula result
    with zipfile.ZipFile(book) as z:
        sheet = z.read(JOBS_XML).decode()
    assert "<f>" not in sheet and 't="inlineStr"' in sheet


@pytest.mark.parametrize(
    ("jobs", "table_rows", "row", "ref"),
    [
        ([], 2, 2, "A1:U2"),  # the empty data row of a new table is used
        ([("MDKT2026001", "a")], None, 3, "A1:U3"),  # the table grows
        ([("MDKT2026001", "a"), ("MDKT2026002", "b")], 5, 4, "A1:U5"),  # room left in the table
        ([("MDKT2026001", "a"), (None, None), ("MDKT2026005", "c")], None, 5, "A1:U5"),  # blank row
    ],
)
def test_row_goes_after_the_last_used_row_inside_the_table(tmp_path, jobs, table_rows, row, ref):
    book = make_bench(tmp_path / "b.xlsx", jobs, table_rows=table_rows)
    result = new_job(book)
    assert result.returncode == 0, result.stderr
    ws = openpyxl.load_workbook(book)["工作单"]
    assert ws.cell(row=row, column=1).value == result.stdout.strip()
    assert ws.tables["Jobs"].ref == ref
    assert ws.cell(row=row, column=15).value.date() == date(2026, 11, 26)  # a real date
    with zipfile.ZipFile(book) as z:
        dimension = re.search(r'<dimension ref="([^"]+)"', z.read(JOBS_XML).decode()).group(1)
    assert dimension.endswith(str(max(row, len(jobs) + 1)))


@pytest.mark.parametrize(
    ("setup", "styles_change"),
    [
        ("dated rows", False),  # the column's own date style
        ("no date style", True),  # none in styles.xml: one cellXfs entry added
        ("general column", False),  # a date style with the same look exists elsewhere
    ],
)
def test_dates_get_a_date_style(tmp_path, setup, styles_change):
    book = make_bench(tmp_path / "b.xlsx", [("MDKT2026001", "a")] if setup == "dated rows" else [])
    if setup == "general column":
        wb = openpyxl.load_workbook(book)
        wb["品牌"]["F2"].value, wb["品牌"]["F2"].number_format = date(2026, 1, 1), "yyyy-mm-dd"
        wb.save(book)
    before = raw_members(book)
    assert new_job(book).returncode == 0
    changed, _ = diff_members(before, raw_members(book))
    assert ("xl/styles.xml" in changed) == styles_change
    cell = openpyxl.load_workbook(book)["工作单"]["O" + str(2 if setup != "dated rows" else 3)]
    assert cell.is_date and cell.value.date() == date(2026, 11, 26)


def test_the_1904_date_system(tmp_path):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = make_bench(tmp_path / "b.xlsx", epoch=CALENDAR_MAC_1904)
    assert new_job(book).returncode == 0
    assert openpyxl.load_workbook(book)["工作单"]["O2"].value.date() == date(2026, 11, 26)


def test_a_sheet_filter_grows_with_the_new_row(tmp_path):
    book = make_bench(tmp_path / "b.xlsx", [("MDKT2026001", "a")])
    wb = openpyxl.load_workbook(book)
    ws = wb["工作单"]
    del ws.tables["Jobs"]
    ws.auto_filter.ref = "A1:U2"
    wb.save(book)
    assert new_job(book).returncode == 0
    assert openpyxl.load_workbook(book)["工作单"].auto_filter.ref == "A1:U3"


def test_table_with_a_totals_row_is_refused(tmp_path):
    book = make_bench(tmp_path / "b.xlsx", [("MDKT2026001", "a")])
    wb = openpyxl.load_workbook(book)
    wb["工作单"].tables["Jobs"].totalsRowCount = 1
    wb.save(book)
    before = book.read_bytes()
    result = new_job(book)
    assert result.returncode == 2 and "汇总行" in result.stderr
    assert result.stderr.count("\n") == 1 and book.read_bytes() == before
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------------------
# Atomic save


def test_atomic_save_keeps_permissions_and_leaves_no_temp_file(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    os.chmod(book, 0o664)
    assert new_job(book).returncode == 0
    assert (os.stat(book).st_mode & 0o777) == 0o664
    assert leftovers(tmp_path) == []


def test_a_failed_rename_leaves_the_workbook_untouched(tmp_path, monkeypatch):
    book = make_bench(tmp_path / "b.xlsx", [("MDKT2026001", "a")])
    before = book.read_bytes()

    def broken_replace(src, dst):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        issue_job_number(book, "美的", "空调", date(2026, 2, 1))
    assert book.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_issue_job_number_in_process(tmp_path):
    book = make_bench(tmp_path / "b.xlsx", [("MDKT2026001", "a")])
    assert issue_job_number(book, "美的", "空调", date(2026, 3, 1), "新品") == "MDKT2026002"
    assert issue_job_number(book, " 美的 ", "空调", date(2026, 3, 2)) == "MDKT2026003"
    assert jobs_column(book, "项目名称") == ["a", "新品"]


def test_owner_file_check_in_process(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    (tmp_path / "~$b.xlsx").write_bytes(b"x")
    with pytest.raises(FileLockedError):
        issue_job_number(book, "美的", "空调")


def test_lock_file_sits_beside_the_workbook_and_goes_away(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    assert bookedit.lock_path(book).parent == tmp_path
    assert re.fullmatch(r"~\$aexl-b\.xlsx\.lock", bookedit.lock_path(book).name)
    with edit_lock(book):
        assert bookedit.lock_path(book).exists()
    issue_job_number(book, "美的", "空调", date(2026, 3, 1))
    assert leftovers(tmp_path) == []


def test_a_refused_run_leaves_no_lock_file(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    with pytest.raises(AexlError):
        issue_job_number(book, "美的", "冰箱", date(2026, 1, 1))
    assert leftovers(tmp_path) == []


def test_an_error_inside_the_lock_is_not_mistaken_for_the_lock(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    with pytest.raises(PermissionError), edit_lock(book):
        raise PermissionError("the workbook is read-only")  # not "no write permission for the lock"
    assert leftovers(tmp_path) == []


def test_a_waiter_on_a_deleted_lock_file_starts_over(tmp_path, monkeypatch):
    """The race the deletion opens: a waiter opened the lock file, then the holder deleted it
    and let go. The waiter's flock on the deleted file must not count: it takes the file now at
    the path, so that a third run still has to wait."""
    import fcntl

    target = bookedit.lock_path(tmp_path / "b.xlsx")
    release_first = bookedit._posix_acquire(target, 1)
    first_inode = target.stat().st_ino
    real_flock, calls = fcntl.flock, []

    def flock(fd, operation):
        if not calls:  # the holder lets go between the waiter's open and its flock
            release_first()
        calls.append(os.fstat(fd).st_ino)
        return real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    release_second = bookedit._posix_acquire(target, 1)
    monkeypatch.setattr(fcntl, "flock", real_flock)
    assert calls[0] == first_inode and len(calls) == 2  # the deleted file, then the new one
    assert target.exists()
    with pytest.raises(TimeoutError):
        bookedit._posix_acquire(target, 0.2)  # still held: one holder at a time
    release_second()
    assert not target.exists()
