"""Safe edits of a user's workbook: Excel's owner file, the lock, parts openpyxl would lose,
macros, tables, text never as a formula, atomic save, parallel runs."""

import multiprocessing
import os
import re
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
from aexl.errors import FileLockedError, UnsafeSaveError
from aexl.workbook import edit as bookedit
from aexl.workbook.edit import edit_lock, issue_job_number, owner_files, unsafe_parts
from aexl.workbook.read import read_workbench

JOBS_XML = "xl/worksheets/sheet2.xml"  # 工作单 is the second sheet of make_bench


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


def make_bench(path, jobs=(), *, table_rows=None, image=False, chart=False):
    """品牌 (美的/空调) + 工作单 with ``jobs`` as (工作号, 项目名称) rows and an Excel table."""
    wb = openpyxl.Workbook()
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
        from PIL import Image as PILImage

        PILImage.new("RGB", (8, 8), "red").save(path.parent / "logo.png")
        wb["品牌"].add_image(Image(str(path.parent / "logo.png")), "H2")
    if chart:
        from openpyxl.chart import BarChart, Reference

        bar = BarChart()
        bar.add_data(Reference(jobs_ws, min_col=14, min_row=1, max_row=3))
        jobs_ws.add_chart(bar, "W2")
    wb.save(path)
    return path


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
        p.name for p in Path(folder).iterdir() if p.name.startswith(("~aexl-", "~$aexl-"))
    )


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


# ---------------------------------------------------------------------------
# Parts openpyxl would lose: refuse, naming the part, file untouched

SPARKLINE = "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}"
DATABAR = "{78C0D931-6437-407D-A8EE-F0AAD7539E65}"
X14_VALIDATION = "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}"
SHAPE_DRAWING = (
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
    '<xdr:twoCellAnchor><xdr:sp macro="" textlink=""><xdr:nvSpPr/></xdr:sp></xdr:twoCellAnchor>'
    "</xdr:wsDr>"
)
BUTTON_VML = '<xml><v:shape><x:ClientData ObjectType="Button"/></v:shape></xml>'


@pytest.mark.parametrize(
    ("change", "label"),
    [
        ({"edit": {JOBS_XML: add_sheet_ext(SPARKLINE)}}, "迷你图"),
        ({"edit": {JOBS_XML: add_sheet_ext(DATABAR, "<x14:conditionalFormattings/>")}}, "数据条"),
        ({"edit": {JOBS_XML: add_sheet_ext(X14_VALIDATION, "<x14:dataValidations/>")}}, "数据验证"),
        ({"edit": {JOBS_XML: add_sheet_ext("{00000000-0000-0000-0000-000000000000}")}}, "扩展内容"),
        ({"chart": True}, "图表"),
        ({"add": {"xl/chartsheets/sheet1.xml": b"<chartsheet/>"}}, "图表工作表"),
        ({"add": {"xl/slicers/slicer1.xml": b"<slicers/>"}}, "切片器"),
        ({"add": {"xl/slicerCaches/slicerCache1.xml": b"<x/>"}}, "切片器"),
        ({"add": {"xl/timelines/timeline1.xml": b"<x/>"}}, "日程表"),
        ({"add": {"xl/pivotCache/pivotCacheDefinition1.xml": b"<x/>"}}, "数据透视表"),
        ({"add": {"xl/pivotTables/pivotTable1.xml": b"<x/>"}}, "数据透视表"),
        ({"add": {"xl/externalLinks/externalLink1.xml": b"<x/>"}}, "外部链接"),
        ({"add": {"xl/activeX/activeX1.xml": b"<x/>"}}, "ActiveX"),
        ({"add": {"xl/ctrlProps/ctrlProp1.xml": b"<x/>"}}, "表单控件"),
        ({"add": {"xl/drawings/vmlDrawing9.vml": BUTTON_VML.encode()}}, "表单控件"),
        ({"add": {"xl/drawings/drawing9.xml": SHAPE_DRAWING.encode()}}, "形状或文本框"),
        ({"add": {"xl/media/image9.emf": b"\x01\x00"}}, ".emf 格式的图片"),
        ({"add": {"xl/embeddings/oleObject1.bin": b"x"}}, "嵌入对象"),
        ({"add": {"xl/threadedComments/threadedComment1.xml": b"<x/>"}}, "线程批注"),
        ({"add": {"xl/richData/rdrichvalue.xml": b"<x/>"}}, "单元格内图片"),
        ({"add": {"xl/metadata.xml": b"<x/>"}}, "动态数组"),
        ({"add": {"xl/connections.xml": b"<x/>"}}, "数据连接"),
        ({"add": {"customUI/customUI14.xml": b"<customUI/>"}}, "自定义功能区"),
        ({"add": {"customXml/item1.xml": b"<x/>"}}, "自定义 XML"),
        ({"edit": {JOBS_XML: lambda x: x.replace("</worksheet>", '<picture r:id="rId9"/></worksheet>')}},
         "背景图片"),
    ],
)  # fmt: skip
def test_refuses_to_save_what_openpyxl_would_lose(tmp_path, change, label):
    book = make_bench(
        tmp_path / "b.xlsx", [("MDKT2026001", "老项目")], chart=change.get("chart", False)
    )
    if "add" in change or "edit" in change:
        rewrite_zip(book, add=change.get("add"), edit=change.get("edit"))
    assert any(label in part for part in unsafe_parts(book)), unsafe_parts(book)
    before = book.read_bytes()
    result = new_job(book)
    assert result.returncode == 2, result.stdout
    line = result.stderr.strip()
    assert "\n" not in line and label in line and "没有修改文件" in line, result.stderr
    assert book.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_unsafe_save_error_in_process(tmp_path):
    book = make_bench(tmp_path / "b.xlsx", chart=True)
    with pytest.raises(UnsafeSaveError) as info:
        issue_job_number(book, "美的", "空调", date(2026, 1, 1))
    assert "xl/charts/chart1.xml" in str(info.value)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_x14_check_is_needed(tmp_path):
    """openpyxl 3.1 really drops a sparkline extension on load + save."""
    book = make_bench(tmp_path / "b.xlsx")
    rewrite_zip(book, edit={JOBS_XML: add_sheet_ext(SPARKLINE)})
    wb = openpyxl.load_workbook(book)
    wb.save(tmp_path / "resaved.xlsx")
    with zipfile.ZipFile(tmp_path / "resaved.xlsx") as z:
        assert SPARKLINE not in z.read(JOBS_XML).decode()


def test_plain_pictures_and_comments_are_kept(tmp_path):
    book = make_bench(tmp_path / "b.xlsx", image=True)
    wb = openpyxl.load_workbook(book)
    wb["品牌"]["A2"].comment = openpyxl.comments.Comment("主要客户", "AE")
    wb.save(book)
    assert unsafe_parts(book) == []
    assert new_job(book).returncode == 0
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
    assert any(n.startswith("xl/media/") and n.endswith(".png") for n in names)
    assert openpyxl.load_workbook(book)["品牌"]["A2"].comment.text == "主要客户"


# ---------------------------------------------------------------------------
# Macros, tables, text, atomic save


def make_xlsm(tmp_path):
    """An .xlsm with a (fake) VBA project: what Excel saves, minus Excel."""
    xlsx = make_bench(tmp_path / "plain.xlsx", [("MDKT2026001", "老项目")])
    vba = bytes(range(256)) * 40
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    rel = ('<Relationship Id="rIdVba" Target="vbaProject.bin" '
           'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/>')  # fmt: skip
    book = rewrite_zip(
        xlsx,
        out=tmp_path / "宏.xlsm",
        add={"xl/vbaProject.bin": vba},
        edit={
            "[Content_Types].xml": lambda x: x.replace(main, macro).replace(
                "</Types>",
                '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            ),
            "xl/_rels/workbook.xml.rels": lambda x: x.replace(
                "</Relationships>", rel + "</Relationships>"
            ),
        },
    )
    return book, vba


def test_xlsm_keeps_its_macros_byte_for_byte(tmp_path):
    book, vba = make_xlsm(tmp_path)
    result = new_job(book)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "MDKT2026002"
    with zipfile.ZipFile(book) as z:
        assert z.read("xl/vbaProject.bin") == vba
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
        assert "vbaProject.bin" in z.read("xl/_rels/workbook.xml.rels").decode()
    assert jobs_column(book) == ["MDKT2026001", "MDKT2026002"]


@pytest.mark.parametrize("text", ["=SUM(1,2)", '=HYPERLINK("http://x")', "+1", "-1", "@A1"])
def test_text_starting_with_equals_stays_text(tmp_path, text):
    book = make_bench(tmp_path / "b.xlsx")
    result = new_job(book, "--project", text)
    assert result.returncode == 0, result.stderr
    cell = openpyxl.load_workbook(book)["工作单"]["D2"]
    assert cell.value == text and cell.data_type == "s"
    assert jobs_column(book, "项目名称") == [text]  # calamine sees text, not a formula result
    with zipfile.ZipFile(book) as z:
        assert "<f>" not in z.read(JOBS_XML).decode()


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
    result = new_job(book)
    assert result.returncode == 2 and "汇总行" in result.stderr


def test_atomic_save_keeps_permissions_and_leaves_no_temp_file(tmp_path):
    book = make_bench(tmp_path / "b.xlsx")
    os.chmod(book, 0o664)
    assert new_job(book).returncode == 0
    assert (os.stat(book).st_mode & 0o777) == 0o664
    assert leftovers(tmp_path) == []


def test_a_failed_save_leaves_the_workbook_untouched(tmp_path, monkeypatch):
    book = make_bench(tmp_path / "b.xlsx", [("MDKT2026001", "a")])
    before = book.read_bytes()

    def broken_save(self, filename):
        Path(filename).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
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
    book = make_bench(tmp_path / "b.xlsx", chart=True)
    with pytest.raises(UnsafeSaveError):
        issue_job_number(book, "美的", "空调", date(2026, 1, 1))
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
