"""One 样稿 rule: where an entry points, and validation, the placement list and the due list agree."""

from __future__ import annotations

import os
from datetime import date

import pytest
from test_placements import BRAND, placement, write_book, write_image

from aexl import samples
from aexl.planning.due import due_items
from aexl.reports.placements import placement_rows
from aexl.reports.registers import prepare
from aexl.samples import locate_sample
from aexl.validate import validate_workbench
from aexl.workbook.read import read_workbench
from aexl.workcal import WorkCalendar

OUTSIDE_FILE = "__outside__"  # replaced by the path of a real file outside the folder


def _folder(tmp_path):
    """A workbench folder with 样稿/海报.png, a folder 样稿/子文件夹 and a link out."""
    folder = tmp_path / "工作台"
    write_image(folder / "样稿" / "海报.png", (40, 30))
    (folder / "样稿" / "子文件夹").mkdir()
    outside = write_image(tmp_path / "别处" / "秘密.png", (40, 30))
    os.symlink(outside, folder / "样稿" / "链接.png")
    os.symlink(outside.parent, folder / "链接目录")  # a folder link leading out
    os.symlink(folder / "样稿", folder / "内部链接")  # a folder link staying inside
    os.symlink(folder / "样稿" / "不存在.png", folder / "样稿" / "断链.png")  # a link to nothing
    return folder, outside


CASES = [  # (样稿, what it is)
    ("", samples.BLANK),
    ("   ", samples.BLANK),
    ("https://example.com/a.png", samples.URL),
    ("www.example.com/a.png", samples.URL),
    ("样稿/海报.png", samples.FOUND),
    ("样稿\\海报.png", samples.FOUND),  # written on Windows
    ("./样稿//海报.png", samples.FOUND),
    ("样稿/缺少.png", samples.MISSING),
    ("样稿/子文件夹", samples.MISSING),  # a folder is not a file
    ("样稿/链接.png", samples.OUTSIDE),  # a link leading out of the folder
    ("链接目录/秘密.png", samples.OUTSIDE),  # through a folder link leading out
    ("内部链接/海报.png", samples.FOUND),  # through a folder link staying inside
    ("样稿/断链.png", samples.MISSING),
    ("样稿/海报.png/x.png", samples.MISSING),  # a file is not a folder
    ("../别处/秘密.png", samples.OUTSIDE),
    ("C:\\Users\\ae\\海报.png", samples.OUTSIDE),
    ("\\\\server\\share\\a.png", samples.OUTSIDE),
    ("file:///tmp/a.png", samples.OUTSIDE),
    (OUTSIDE_FILE, samples.OUTSIDE),  # an absolute path to a file that exists
]


@pytest.mark.parametrize(("entry", "expected"), CASES)
def test_locate_sample(tmp_path, entry, expected):
    folder, outside = _folder(tmp_path)
    entry = str(outside) if entry == OUTSIDE_FILE else entry
    where, path = locate_sample(entry, folder)
    assert where == expected
    assert (path is not None) == (expected in (samples.FOUND, samples.MISSING))
    if expected == samples.FOUND:
        assert path.is_file() and path.resolve().is_relative_to(folder.resolve())


def test_no_folder_looks_nothing_up():
    assert locate_sample("样稿/海报.png", None) == (samples.UNKNOWN, None)
    assert locate_sample("../x.png", None) == (samples.OUTSIDE, None)  # outside whatever the folder


def test_validation_placements_and_due_list_agree(tmp_path):
    """Every entry of the table in one workbench: the checker's findings, the placement
    list's kinds and the due list's items say the same about each row."""
    folder, outside = _folder(tmp_path)
    entries = [str(outside) if e == OUTSIDE_FILE else e for e, _ in CASES]
    rows = [placement(样稿=e, 投放版本=f"版本{n}") for n, e in enumerate(entries)]
    wb = read_workbench(write_book(folder / "b.xlsx", rows))
    excel_row = {n: 2 + n for n in range(len(entries))}

    codes = {(f.row, f.code) for f in validate_workbench(wb) if f.code.startswith("placement.sample")}  # fmt: skip
    listed = placement_rows(wb.frame("投放"), BRAND, date(2026, 11, 16), date(2026, 11, 22), folder)  # fmt: skip
    kinds = {r.version: r.sample_kind for r in listed}
    items = due_items(prepare(wb), WorkCalendar(), date(2026, 11, 16), 10)
    due_refs = {i.ref for i in items if i.kind == "sample"}

    for n, (_entry, expected) in enumerate(CASES):
        row = excel_row[n]
        flagged = {
            samples.OUTSIDE: "placement.sample_outside",
            samples.MISSING: "placement.sample_missing",
        }.get(expected)
        assert ((row, flagged) in codes) if flagged else not {c for r, c in codes if r == row}
        kind = kinds[f"版本{n}"]
        if expected == samples.FOUND:
            assert kind in ("image", "link")
        else:
            assert kind == expected
        has_item = f"投放 第 {row} 行" in due_refs
        assert has_item == (expected in (samples.BLANK, samples.MISSING, samples.OUTSIDE)), row
