"""投放列表: real workbenches and sample images in tmp_path, the real CLI, read back."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.units import EMU_to_pixels
from PIL import Image

from aexl import schema
from aexl.errors import CalendarError
from aexl.reports.layout import text_height
from aexl.reports.placements import (
    HEADERS,
    IMAGE,
    LINK,
    MISSING,
    NONE,
    OUTSIDE,
    PAD_PX,
    SAMPLE_COL,
    THUMB_HEIGHT,
    THUMB_MAX_WIDTH,
    UNKNOWN,
    URL,
    WIDTHS,
    brand_placements,
    counts,
    make_thumbnail,
    placement_lists,
    placement_rows,
    report_date,
    write_placement_list,
)
from aexl.reports.registers import prepare
from aexl.workbook.read import read_workbench

BRAND = "星河"


def write_image(path: Path, size: tuple[int, int], color: str = "#3366AA") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)
    return path


def placement(brand=BRAND, **over) -> dict:
    row = {
        "品牌": brand,
        "工作号": "XHSP2026001",
        "广告形式": "平面",
        "投放区域": "广州",
        "投放媒体": "羊城晚报",
        "投放日期": date(2026, 11, 17),
        "结束日期": date(2026, 11, 17),
        "投放规格": "整版 350×500mm",
        "投放版本": "双十二A版",
        "样稿": "",
    }
    row.update(over)
    return row


def write_book(path: Path, rows: list[dict], headers: list[str] | None = None) -> Path:
    """A workbench with just the 投放 sheet (headers in the given order)."""
    wb = Workbook()
    ws = wb.active
    ws.title = schema.PLACEMENTS.sheet
    headers = headers or schema.PLACEMENTS.headers
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text ('=...), not a formula
                cell.quotePrefix = True
    wb.save(path)
    return path


@pytest.fixture
def bench(tmp_path) -> Path:
    """A workbench folder: 星河 with an image, a Windows-style path, a URL, a missing
    file, a video and a formula-like version in 2026-W47; one row outside the week;
    another brand."""
    folder = tmp_path / "客户" / "星河食品"
    write_image(folder / "样稿" / "海报A.png", (400, 300))
    write_image(folder / "样稿" / "banner.png", (1200, 100), "#AA3333")
    (folder / "样稿" / "tvc.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    rows = [
        placement(样稿="样稿/海报A.png", 投放日期="2026/11/18"),
        placement(
            工作号="XHSP2026002",
            广告形式="网络",
            投放媒体="微信朋友圈",
            投放日期=datetime(2026, 11, 16),
            投放版本="=SUM(1,2)",
            样稿="样稿\\banner.png",
        ),
        placement(广告形式="影视", 投放媒体="广东卫视", 样稿="https://example.com/tvc/a.mp4"),
        placement(投放媒体="南方都市报", 样稿="样稿/不存在.jpg", 投放日期="2026年11月20日"),
        placement(广告形式="影视", 投放媒体="珠江频道", 样稿="样稿/tvc.mp4"),
        placement(投放媒体="广州日报", 投放日期=date(2026, 11, 30)),
        placement(brand="云朵", 投放媒体="新快报", 投放日期=date(2026, 11, 19)),
    ]
    return write_book(folder / "星河食品_AE工作台.xlsx", rows)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args], capture_output=True, text=True, encoding="utf-8"
    )


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def box(image) -> tuple[int, int, int, int]:
    """(x, y, width, height) px of a picture inside the one cell it is anchored to."""
    start, end = image.anchor._from, image.anchor.to
    x, y = EMU_to_pixels(start.colOff), EMU_to_pixels(start.rowOff)
    return x, y, EMU_to_pixels(end.colOff) - x, EMU_to_pixels(end.rowOff) - y


def header_row(ws) -> int:
    for row in range(1, 10):
        if ws.cell(row=row, column=1).value == "工作号":
            return row
    raise AssertionError("no header row")


def test_weekly_list_via_cli(bench, tmp_path):
    out = tmp_path / "报告"
    before = digest(bench.parent)
    result = run_cli("placements", "--book", str(bench), "--week", "2026-W47", "--out", str(out))
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert [p.name for p in paths] == ["20261120_星河_投放列表.xlsx", "20261120_云朵_投放列表.xlsx"]
    assert all(p.exists() for p in paths)
    assert digest(bench.parent) == before  # inputs untouched
    assert "样稿文件缺失" in result.stderr and "不存在.jpg" in result.stderr
    assert not list(out.glob(".aexl-tmp-*"))

    ws = load_workbook(paths[0]).active
    top = header_row(ws)
    assert [ws.cell(row=top, column=c).value for c in range(1, len(HEADERS) + 1)] == HEADERS
    body = [[ws.cell(row=r, column=c).value for c in range(1, 11)] for r in range(top + 1, top + 6)]
    # sorted by 投放日期, the 11-30 row is outside the week
    assert [r[4].date() for r in body] == [
        date(2026, 11, 16),
        date(2026, 11, 17),
        date(2026, 11, 17),
        date(2026, 11, 18),
        date(2026, 11, 20),
    ]
    assert ws.cell(row=top + 6, column=3).value is None
    header_text = " ".join(str(ws.cell(row=r, column=1).value or "") for r in range(1, top))
    assert "星河" in header_text and "2026-W47" in header_text
    assert "投放 5 条" in header_text and "缺失样稿 1" in header_text
    assert "样稿缩略图 2" in header_text

    by_media = {r[3]: top + 1 + n for n, r in enumerate(body)}
    sample = SAMPLE_COL
    # thumbnails embedded in their rows, anchored to the 样稿展示 cell
    images = sorted(ws._images, key=lambda i: i.anchor._from.row)
    assert len(images) == 2
    assert [i.anchor._from.row + 1 for i in images] == [
        by_media["微信朋友圈"],
        by_media["羊城晚报"],
    ]
    assert {i.anchor._from.col + 1 for i in images} == {sample}
    # XlsxWriter anchors a picture by both corners (twoCellAnchor, editAs="oneCell": it
    # moves with its cell, keeps its size); each sits PAD_PX into its cell at thumbnail size
    assert [box(i) for i in images] == [(PAD_PX, PAD_PX, THUMB_MAX_WIDTH, 20), (PAD_PX, PAD_PX, 160, 120)]  # fmt: skip
    assert {i.anchor.editAs for i in images} == {"oneCell"}
    for image in images:  # each row is as tall as its thumbnail (plus the caption)
        row = image.anchor._from.row + 1
        assert image.anchor.to.row + 1 == row and image.anchor.to.col + 1 == sample
        assert ws.row_dimensions[row].height / 0.75 >= box(image)[3] + 2 * PAD_PX
        caption = ws.cell(row=row, column=sample)
        assert caption.alignment.vertical in (None, "bottom") and not caption.alignment.wrap_text
    assert ws.row_dimensions[by_media["羊城晚报"]].height >= THUMB_HEIGHT * 0.75
    # the list goes to the client: local files are named as plain text, never linked to
    # the AE's disk (/tmp/…, C:\Users\…); the thumbnail is embedded
    poster = ws.cell(row=by_media["羊城晚报"], column=sample)
    assert poster.value == "海报A" and poster.hyperlink is None  # the version, no extension
    # URL: a link; missing: a note without a link; video: its file name, no link
    url = ws.cell(row=by_media["广东卫视"], column=sample)
    assert url.hyperlink.target == "https://example.com/tvc/a.mp4"
    assert url.value == "https://example.com/tvc/a.mp4"
    assert url.font.color.rgb == "FF0563C1" and url.font.u == "single"
    # a note that wraps gets a row tall enough (XlsxWriter keeps whole pixels: 0.75 pt)
    notes = [by_media[m] for m in ("广东卫视", "南方都市报", "珠江频道")]
    for row in notes:
        want = text_height(ws.cell(row=row, column=sample).value, WIDTHS[sample - 1])
        got = ws.row_dimensions[row].height
        assert got == pytest.approx(want, abs=0.375) if want > 18 else got is None
    missing = ws.cell(row=by_media["南方都市报"], column=sample)
    assert missing.value == "样稿文件缺失：样稿/不存在.jpg" and missing.hyperlink is None
    assert missing.font.color.rgb == "FFC00000" and missing.fill.fgColor.rgb == "FFFDE9D9"
    assert missing.border.left.style == "thin"
    video = ws.cell(row=by_media["珠江频道"], column=sample)
    assert video.value == "tvc.mp4" and video.hyperlink is None
    assert [c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink] == [
        "https://example.com/tvc/a.mp4"
    ]
    assert str(bench.parent) not in str([c.value for row in ws.iter_rows() for c in row])
    # the source file is a document property, not a printed header line
    assert "数据来源" not in header_text and bench.name not in header_text
    props = load_workbook(paths[0]).properties
    assert props.description == f"数据来源：{bench.name}（投放）" and props.subject == "投放列表"
    assert props.title == "星河 投放列表" and props.creator == "aexl"
    # a formula-looking value stays text
    formula = ws.cell(row=by_media["微信朋友圈"], column=8)
    assert formula.value == "=SUM(1,2)" and formula.data_type == "s"
    # deliverable styling
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    # fit to one page wide: XlsxWriter leaves out fitToWidth="1" (Excel's default)
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${top}:${top}"  # the header row on every page
    assert ws.freeze_panes == f"A{top + 1}"
    assert ws.column_dimensions["I"].width >= 30

    other = load_workbook(paths[1]).active
    assert other.cell(row=header_row(other) + 1, column=4).value == "新快报"
    assert len(other._images) == 0


def test_month_list_and_date_in_name(bench, tmp_path):
    result = run_cli(
        "placements", "--book", str(bench), "--month", "2026-11", "--out", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    names = [Path(p).name for p in result.stdout.splitlines()]
    assert names == ["20261130_星河_投放列表.xlsx", "20261130_云朵_投放列表.xlsx"]
    ws = load_workbook(tmp_path / names[0]).active
    top = header_row(ws)
    assert ws.cell(row=top + 6, column=4).value == "广州日报"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--week", "2026-W60"],
            "--week 周次写法有误：2026 年没有第 60 周（共 53 周），应写成 2026-W47",
        ),
        (["--month", "2026-13"], "--month 月份写法有误：无法识别月份「2026-13」，应写成 2026-10"),
    ],
)
def test_bad_period_is_one_line_exit_2(bench, tmp_path, args, message):
    result = run_cli("placements", "--book", str(bench), *args, "--out", str(tmp_path))
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_missing_book_and_sheet(tmp_path):
    result = run_cli("placements", "--book", str(tmp_path / "无.xlsx"), "--week", "2026-W47")
    assert result.returncode == 2 and "找不到" in result.stderr
    book = tmp_path / "x.xlsx"
    wb = Workbook()
    wb.active.title = "工作单"
    wb.save(book)
    result = run_cli("placements", "--book", str(book), "--week", "2026-W47")
    assert result.returncode == 2 and "投放" in result.stderr


def test_week_without_placements_writes_nothing(bench, tmp_path):
    result = run_cli(
        "placements", "--book", str(bench), "--week", "2026-W30", "--out", str(tmp_path)
    )
    assert result.returncode == 0
    assert result.stdout == "" and "没有投放记录" in result.stderr


def test_placement_rows_resolve_samples(bench):
    frame = read_workbench(bench).frame("投放")
    rows = placement_rows(frame, BRAND, date(2026, 11, 16), date(2026, 11, 22), bench.parent)
    kinds = {r.media: r.sample_kind for r in rows}
    assert kinds == {
        "微信朋友圈": IMAGE,
        "羊城晚报": IMAGE,
        "广东卫视": URL,
        "南方都市报": MISSING,
        "珠江频道": LINK,
    }
    poster = next(r for r in rows if r.media == "羊城晚报")
    assert poster.thumb_size == (160, 120) and poster.source_row == 2
    banner = next(r for r in rows if r.media == "微信朋友圈")
    assert banner.thumb_size == (THUMB_MAX_WIDTH, 20)


@pytest.mark.parametrize("brand", [BRAND, "云朵", "星河 ", "没有的品牌"])
@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 11, 16), date(2026, 11, 22)), (date(2026, 11, 1), date(2026, 11, 30))],
)
def test_month_end_rows_from_the_registers_are_the_frames(bench, brand, start, end):
    """Month-end lists a brand's placements from the prepared registers' rows: the same list
    as from the 投放 frame, and as the every-brand ``placement_lists``."""
    frame = read_workbench(bench).frame("投放")
    mine = prepare({"投放": frame}).brand_rows("投放", brand)
    rows = brand_placements(mine, start, end, bench.parent)
    assert rows == placement_rows(frame, brand, start, end, bench.parent)
    listed = {
        name.strip(): v for name, v in placement_lists(frame, start, end, bench.parent).items()
    }
    assert rows == listed.get(brand.strip(), [])


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((400, 300), (160, 120)),
        ((100, 400), (30, 120)),
        ((40, 30), (160, 120)),  # small images are enlarged to the row height
        ((2400, 200), (240, 20)),
    ],
)
def test_thumbnail_size(tmp_path, size, expected):
    path = write_image(tmp_path / "a.jpg", size)
    data, got = make_thumbnail(path)
    assert got == expected
    assert data[:3] == b"\xff\xd8\xff"  # JPEG
    Image.new("RGBA", size, (255, 0, 0, 128)).save(tmp_path / "t.png")
    data, got = make_thumbnail(tmp_path / "t.png")
    assert got == expected and data[:8] == b"\x89PNG\r\n\x1a\n"  # transparency kept


def test_unreadable_image_becomes_link(tmp_path):
    bad = tmp_path / "样稿" / "坏图.png"
    bad.parent.mkdir()
    bad.write_bytes(b"not a png")
    assert make_thumbnail(bad) is None
    book = write_book(tmp_path / "b.xlsx", [placement(样稿="样稿/坏图.png")])
    frame = read_workbench(book).frame("投放")
    (row,) = placement_rows(frame, BRAND, date(2026, 11, 16), date(2026, 11, 22), tmp_path)
    assert row.sample_kind == LINK and "无法生成缩略图" in row.note


def test_blank_sample_and_empty_list(tmp_path):
    book = write_book(tmp_path / "b.xlsx", [placement()])
    frame = read_workbench(book).frame("投放")
    rows = placement_rows(frame, BRAND, date(2026, 11, 16), date(2026, 11, 22), tmp_path)
    assert rows[0].sample_kind == NONE and rows[0].note == "未填写样稿"
    path = write_placement_list([], BRAND, "2026-W47", tmp_path / "empty.xlsx")
    ws = load_workbook(path).active
    assert ws.cell(row=header_row(ws) + 1, column=1).value == "（本期没有投放记录）"


def test_long_notes_get_tall_rows(tmp_path):
    """A long URL or missing-file note wraps: its row is made tall enough (no thumbnail)."""
    long_url = "https://example.com/" + "campaign/" * 8 + "a.mp4"
    book = write_book(
        tmp_path / "b.xlsx",
        [
            placement(样稿=long_url),
            placement(投放媒体="乙", 样稿="样稿/" + "很长的文件名" * 6 + ".jpg"),
        ],
    )
    frame = read_workbench(book).frame("投放")
    rows = placement_rows(frame, BRAND, date(2026, 11, 16), date(2026, 11, 22), tmp_path)
    assert [r.sample_kind for r in rows] == [URL, MISSING]
    ws = load_workbook(write_placement_list(rows, BRAND, "2026-W47", tmp_path / "l.xlsx")).active
    top = header_row(ws)
    for n, row in enumerate(rows, start=top + 1):
        cell = ws.cell(row=n, column=len(HEADERS))
        assert cell.value == row.note
        want = text_height(row.note, WIDTHS[-1])
        assert want > 30 and ws.row_dimensions[n].height == pytest.approx(want, abs=0.375)
    link = ws.cell(row=top + 1, column=len(HEADERS))
    assert link.hyperlink.target == long_url and link.alignment.wrap_text


def test_report_date():
    monday, sunday = date(2026, 11, 16), date(2026, 11, 22)
    assert report_date(monday, sunday, weekly=True) == date(2026, 11, 20)
    assert report_date(date(2026, 11, 1), date(2026, 11, 30), weekly=False) == date(2026, 11, 30)

    class Calendar:  # Friday is a holiday: the weekly report is finished on Thursday
        def previous_workday(self, day, inclusive=False):
            return date(2026, 11, 19)

    assert report_date(monday, sunday, weekly=True, calendar=Calendar()) == date(2026, 11, 19)


def test_report_date_never_guesses_a_weekday():
    """A year the calendar does not know is the user's to add (节假日), not a plain Friday."""

    class Unknown:
        def previous_workday(self, day, inclusive=False):
            raise CalendarError("日历中没有 2031 年的节假日安排，请在「节假日」表中补上")

    with pytest.raises(CalendarError, match="节假日"):
        report_date(date(2031, 3, 3), date(2031, 3, 9), weekly=True, calendar=Unknown())
    # a month's list needs no calendar: the month-end batch is not affected
    day = report_date(date(2031, 3, 1), date(2031, 3, 31), weekly=False, calendar=Unknown())
    assert day == date(2031, 3, 31)


def test_week_in_an_estimated_year_is_listed(tmp_path):
    """2031's holidays are estimated (provisional), not refused: the list is dated its Friday."""
    flight = placement(投放日期=date(2031, 3, 5), 结束日期=date(2031, 3, 5))
    book = write_book(tmp_path / "b.xlsx", [flight])
    result = run_cli(
        "placements", "--book", str(book), "--week", "2031-W10", "--out", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert [Path(p).name for p in result.stdout.splitlines()] == ["20310307_星河_投放列表.xlsx"]
    result = run_cli(
        "placements", "--book", str(book), "--month", "2031-03", "--out", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert [Path(p).name for p in result.stdout.splitlines()] == ["20310331_星河_投放列表.xlsx"]


def test_unknown_folder_looks_nothing_up(bench):
    """``base_dir=None`` (xlwings Server): a relative 样稿 path is UNKNOWN, not a missing file."""
    frame = read_workbench(bench).frame("投放")
    rows = placement_rows(frame, BRAND, date(2026, 11, 16), date(2026, 11, 22), None)
    by_media = {r.media: r for r in rows}
    poster = by_media["羊城晚报"]
    assert (poster.sample_kind, poster.note) == (UNKNOWN, "样稿：样稿/海报A.png")
    assert poster.sample_path is None and poster.thumbnail is None
    assert by_media["南方都市报"].sample_kind == UNKNOWN  # not 样稿文件缺失
    assert by_media["广东卫视"].sample_kind == URL
    tally = counts(rows)
    assert tally[UNKNOWN] == 4 and tally[MISSING] == 0 and counts([])[UNKNOWN] == 0


def test_brand_names_differing_in_case_are_one_brand(tmp_path):
    book = write_book(
        tmp_path / "b.xlsx",
        [placement(brand="Ace", 投放媒体="甲"), placement(brand="ACE", 投放媒体="乙")],
    )
    frame = read_workbench(book).frame("投放")
    rows = placement_rows(frame, "ace", date(2026, 11, 16), date(2026, 11, 22), tmp_path)
    assert [r.media for r in rows] == ["甲", "乙"]
    result = run_cli(
        "placements", "--book", str(book), "--week", "2026-W47", "--out", str(tmp_path)
    )
    assert [Path(p).name for p in result.stdout.splitlines()] == ["20261120_Ace_投放列表.xlsx"]


# ------------------------------------------------------------ flights by overlap ---
FLIGHTS = [  # (投放日期, 结束日期, in October?, carried over from September?)
    (date(2026, 8, 19), date(2026, 10, 3), True, True),
    (date(2026, 9, 20), None, False, False),  # a one-day flight in September
    (date(2026, 10, 31), date(2026, 11, 20), True, False),
    (date(2026, 10, 1), date(2026, 10, 1), True, False),
    (date(2026, 11, 1), date(2026, 11, 30), False, False),
    (date(2026, 9, 1), date(2026, 12, 31), True, True),
]


@pytest.mark.parametrize(("first", "last", "listed", "carried"), FLIGHTS)
def test_a_placement_belongs_to_every_month_its_flight_touches(tmp_path, first, last, listed, carried):  # fmt: skip
    book = write_book(tmp_path / "b.xlsx", [placement(投放日期=first, 结束日期=last)])
    frame = read_workbench(book).frame("投放")
    rows = placement_rows(frame, BRAND, date(2026, 10, 1), date(2026, 10, 31), tmp_path)
    assert len(rows) == int(listed)
    assert [r.carried for r in rows] == ([carried] if listed else [])
    assert bool(placement_lists(frame, date(2026, 10, 1), date(2026, 10, 31), tmp_path)) == listed


def test_written_list_has_end_dates_and_marks_carried_flights(tmp_path):
    rows_in = [placement(投放日期=f, 结束日期=e, 投放媒体=f"媒体{n}") for n, (f, e, *_) in enumerate(FLIGHTS)]  # fmt: skip
    book = write_book(tmp_path / "b.xlsx", rows_in)
    frame = read_workbench(book).frame("投放")
    rows = placement_rows(frame, BRAND, date(2026, 10, 1), date(2026, 10, 31), tmp_path)
    path = write_placement_list(rows, BRAND, "2026-10", tmp_path / "list.xlsx")
    ws = load_workbook(path).active
    top = header_row(ws)
    assert HEADERS[4:6] == ["投放日期", "结束日期"]
    body = {ws.cell(r, 4).value: r for r in range(top + 1, top + 1 + len(rows))}
    assert set(body) == {"媒体0", "媒体2", "媒体3", "媒体5"}
    august = ws.cell(body["媒体0"], 5)
    assert august.value.date() == date(2026, 8, 19) and "延续" in august.number_format
    assert ws.cell(body["媒体0"], 6).value.date() == date(2026, 10, 3)
    assert ws.cell(body["媒体0"], 6).number_format == "yyyy-mm-dd"
    assert "延续" not in ws.cell(body["媒体3"], 5).number_format
    # 「2026-08-19（延续）」 prints on one line: the column holds its estimated print width
    shown = f"{august.value:%Y-%m-%d}（延续）"
    assert text_height(shown, ws.column_dimensions["E"].width) == text_height("x", 10)
    header_text = " ".join(str(ws.cell(r, 1).value or "") for r in range(1, top))
    assert "投放 4 条" in header_text and "其中延续自上期 2" in header_text


@pytest.mark.parametrize(
    "sample",
    ["/etc/hostname", "../秘密.png", "样稿/../../x.png", "C:\\Users\\ae\\海报.png",
     "\\\\server\\share\\a.png", "file:///etc/hostname"],
)  # fmt: skip
@pytest.mark.parametrize("known_folder", [True, False])
def test_a_sample_outside_the_workbench_folder_is_never_opened(tmp_path, sample, known_folder):
    outside = write_image(tmp_path / "秘密.png", (300, 200))
    folder = tmp_path / "工作台"
    folder.mkdir()
    book = write_book(folder / "b.xlsx", [placement(样稿=sample.replace("/etc/hostname", str(outside)))])  # fmt: skip
    frame = read_workbench(book).frame("投放")
    rows = placement_rows(frame, BRAND, date(2026, 11, 16), date(2026, 11, 22), folder if known_folder else None)  # fmt: skip
    assert rows[0].sample_kind == OUTSIDE and rows[0].thumbnail is None
    assert rows[0].note.startswith("样稿路径不在工作台文件夹内")
    ws = load_workbook(write_placement_list(rows, BRAND, "W47", tmp_path / "o.xlsx")).active
    assert not ws._images
    cell = ws.cell(header_row(ws) + 1, SAMPLE_COL)
    assert cell.value.startswith("样稿路径不在工作台文件夹内") and cell.hyperlink is None


def test_check_reports_a_sample_outside_the_folder(tmp_path):
    from aexl.validate import validate_workbench

    book = write_book(
        tmp_path / "b.xlsx", [placement(样稿="../x.png"), placement(样稿="样稿/a.png")]
    )
    found = [f for f in validate_workbench(read_workbench(book)) if f.code == "placement.sample_outside"]  # fmt: skip
    assert [(f.row, f.column) for f in found] == [(2, "样稿")]
    assert "样稿路径不在工作台文件夹内" in found[0].message and "相对路径" in found[0].message


def test_thumbnails_print_at_200_dpi_or_more_and_stay_small(tmp_path):
    folder = tmp_path / "wb"
    photo = Image.effect_mandelbrot((2400, 1600), (-2, -1, 1, 1), 60).convert("RGB")
    (folder / "样稿").mkdir(parents=True)
    photo.save(folder / "样稿" / "主画面.jpg", quality=95)
    book = write_book(folder / "b.xlsx", [placement(样稿="样稿/主画面.jpg")])
    rows = placement_rows(read_workbench(book).frame("投放"), BRAND, date(2026, 11, 16), date(2026, 11, 22), folder)  # fmt: skip
    ws = load_workbook(write_placement_list(rows, BRAND, "W47", tmp_path / "l.xlsx")).active
    (image,) = ws._images
    data = image._data()
    with Image.open(__import__("io").BytesIO(data)) as pic:
        pixels, kind = pic.size, pic.format
    shown = box(image)[2:]  # screen pixels, 96 per inch
    assert shown[1] == THUMB_HEIGHT
    assert pixels[0] / (shown[0] / 96) >= 200 and pixels[1] / (shown[1] / 96) >= 200
    assert kind == "JPEG" and len(data) < 80_000
