from datetime import date

import openpyxl
import pytest

from aexl import schema
from aexl.errors import AexlError
from aexl.workbook.read import read_workbench
from aexl.workbook.template import NUMBER_FORMATS, new_workbench, write_workbench


@pytest.fixture
def blank(tmp_path):
    return write_workbench(tmp_path / "新客户_AE工作台.xlsx")


def test_every_register_in_order_with_headers_and_frozen_row(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == [r.sheet for r in schema.REGISTERS]
    for register in schema.REGISTERS:
        ws = wb[register.sheet]
        assert [c.value for c in ws[1]] == register.headers
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.b


def test_one_excel_table_per_sheet_with_at_least_one_data_row(blank):
    wb = openpyxl.load_workbook(blank)
    names = set()
    for register in schema.REGISTERS:
        ws = wb[register.sheet]
        assert list(ws.tables) == [register.table]
        table = ws.tables[register.table]
        first, last = table.ref.split(":")
        assert first == "A1"
        assert int("".join(ch for ch in last if ch.isdigit())) >= 2  # Excel needs a data row
        assert [c.name for c in table.tableColumns] == register.headers
        assert table.tableStyleInfo.name
        names.add(register.table)
    assert len(names) == len(schema.REGISTERS)


def test_drop_down_lists_on_every_enum_column(blank):
    wb = openpyxl.load_workbook(blank)
    for register in schema.REGISTERS:
        ws = wb[register.sheet]
        lists = {}
        for dv in ws.data_validations.dataValidation:
            assert dv.type == "list"
            for rng in dv.sqref.ranges:
                lists[rng.min_col] = (dv.formula1, rng.min_row, rng.max_row)
        expected = {i: c for i, c in enumerate(register.columns, start=1) if c.kind == schema.ENUM}
        assert set(lists) == set(expected), register.sheet
        for i, column in expected.items():
            formula, low, high = lists[i]
            assert formula.strip('"').split(",") == list(column.choices)
            assert low == 2 and high == 1_048_576  # rows added later get the list too


def test_header_notes_widths_and_number_formats(blank):
    wb = openpyxl.load_workbook(blank)
    for register in schema.REGISTERS:
        ws = wb[register.sheet]
        for i, column in enumerate(register.columns, start=1):
            header = ws.cell(row=1, column=i)
            assert header.comment is not None and column.name in header.comment.text
            if column.note:
                assert column.note in header.comment.text
            for choice in column.choices:
                assert choice in header.comment.text
            letter = header.column_letter
            assert ws.column_dimensions[letter].width == column.width
            fmt = NUMBER_FORMATS.get(column.kind)
            if fmt:
                assert ws.cell(row=2, column=i).number_format == fmt
    jobs = wb["工作单"]
    headers = schema.JOBS.headers
    assert jobs.cell(row=2, column=headers.index("开单日期") + 1).number_format == "yyyy-mm-dd"
    assert "¥" in jobs.cell(row=2, column=headers.index("预算") + 1).number_format


def test_reads_back_as_empty_registers(blank):
    wb = read_workbench(blank)
    assert set(wb.frames) == set(schema.BY_SHEET)
    assert all(frame.empty for frame in wb.frames.values())
    assert wb.findings == []


def test_filled_workbench_reads_back_and_text_stays_text(tmp_path):
    rows = {
        "修改单": [
            ["XHSP2026001", 1, date(2026, 3, 2), "=SUM(A1)", "客户", date(2026, 3, 5), "王"],
        ],
        "节假日": [[date(2027, 1, 1), "放假", "元旦"]],
    }
    path = write_workbench(tmp_path / "wb.xlsx", rows)
    wb = read_workbench(path)
    frame = wb.frame("修改单")
    assert frame["修改内容"].tolist() == ["=SUM(A1)"]
    assert frame["修改日期"].tolist() == [date(2026, 3, 2)]
    assert wb.frame("节假日")["类型"].tolist() == ["放假"]
    book = openpyxl.load_workbook(path)
    assert book["修改单"].tables["Revisions"].ref == "A1:G2"
    assert book["修改单"]["D2"].data_type == "s"


def test_unknown_sheet_in_data_is_a_bug():
    with pytest.raises(KeyError):
        new_workbench({"不存在": []})


def test_refuses_to_overwrite_unless_forced(blank):
    before = blank.read_bytes()
    with pytest.raises(AexlError, match="已存在"):
        write_workbench(blank)
    assert blank.read_bytes() == before
    write_workbench(blank, force=True)
    assert read_workbench(blank).frames


def run_aexl(*args, cwd=None):
    """The ``aexl`` command in this process (tests/conftest.py)."""
    from conftest import run_aexl as in_process

    return in_process(*args, cwd=cwd)


def test_cli_init_writes_prints_path_and_refuses_overwrite(tmp_path):
    target = tmp_path / "sub" / "客户_AE工作台.xlsx"
    done = run_aexl("init", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(target)
    assert read_workbench(target).frames
    again = run_aexl("init", str(target))
    assert again.returncode == 2
    assert "已存在" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    forced = run_aexl("init", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not list(target.parent.glob(".aexl-tmp-*"))


@pytest.mark.parametrize("name", ["wb.xlsm", "wb.csv"])
def test_cli_init_only_writes_xlsx(tmp_path, name):
    done = run_aexl("init", str(tmp_path / name))
    assert done.returncode == 2
    assert ".xlsx" in done.stderr
    assert not (tmp_path / name).exists()


def test_cli_init_adds_missing_suffix_and_help_has_example(tmp_path):
    done = run_aexl("init", str(tmp_path / "新工作台"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "新工作台.xlsx").exists()
    helped = run_aexl("init", "--help")
    assert "示例" in helped.stdout
