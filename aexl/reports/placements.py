"""投放列表: the placement list of the rulebook's item 9 (样本收集).

Per brand and period (an ISO week or a month): every placement of the 投放
register whose 投放日期 falls in the period, with the rulebook's seven
elements — 广告形式, 投放区域, 投放媒体, 投放日期, 投放规格, 投放版本, 样稿展示 —
plus the 工作号. 样稿展示 shows

- a thumbnail (about 120 px high) embedded in the row when 样稿 names an
  image file that exists (paths are relative to the workbench's folder),
  with the file's name without its extension (the version, e.g.
  「云帆洗衣机_网络样稿_B版」) below it as plain text;
- the file name as plain text for a file that is not an image (video,
  audio, PDF): the list goes to the client, where a link to the AE's disk
  (``C:\\Users\\…``) would be broken and would show the AE's folders;
- a link when 样稿 is a URL;
- the note 样稿文件缺失：<path> (no link) when the file is not there; these
  are counted in the header as 缺失样稿 and reported by the command;
- the note 样稿：<path> when the workbook's folder is unknown (``base_dir=None``,
  e.g. under xlwings Server) and the path is relative: no file is looked up.

Where the data came from (the workbench's file name) is kept in the
document properties, not on the printed page.

A placement belongs to every period its flight touches: 投放日期 on or before
the period's last day and 结束日期 (投放日期 when blank) on or after its first
day. One that began before the period is marked 「延续」 beside its 投放日期
(the column is then widened so the date and the mark print on one line).
A 样稿 path must stay inside the workbench's folder (``aexl.samples``):
an absolute path or one with ``..`` is never opened and the cell says
「样稿路径不在工作台文件夹内」. Inputs are only read.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from aexl import samples
from aexl.rules import as_day, brand_key
from aexl.samples import OUTSIDE_NOTE, locate_sample
from aexl.values import norm_text
from aexl.workbook.write import RED

log = logging.getLogger("aexl")

SHEET_TITLE = "投放列表"
REPORT_KIND = "投放列表"
HEADERS = [
    "工作号",
    "广告形式",
    "投放区域",
    "投放媒体",
    "投放日期",
    "结束日期",
    "投放规格",
    "投放版本",
    "样稿展示",
]
WIDTHS = [17, 9, 12, 16, 13, 12, 14, 16, 30]
CARRIED = "延续"
CARRIED_FORMAT = 'yyyy-mm-dd"（延续）"'  # a flight that began before the period: still a date
CARRIED_WIDTH = 21  # 投放日期 when a row shows 「2026-09-04（延续）」 on one line
SAMPLE_COL = len(HEADERS)  # 1-based column of 样稿展示
THUMB_HEIGHT = 120  # px
THUMB_MAX_WIDTH = 240  # px: very wide banners are scaled down to this width
THUMB_DPI = 220  # pixels per printed inch of a thumbnail (≥ 200: sharp on paper)
THUMB_QUALITY = 82  # JPEG quality: no visible loss, small files
CAPTION_PX = 18  # room under the thumbnail for the linked file name
PAD_PX = 4
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}

IMAGE, LINK = "image", "link"  # a file found (aexl.samples.FOUND): a thumbnail, or a link
URL, MISSING, NONE = samples.URL, samples.MISSING, samples.BLANK
UNKNOWN = samples.UNKNOWN  # a relative 样稿 path while the workbook's folder is unknown
OUTSIDE = samples.OUTSIDE  # an absolute 样稿 path, one with .., a link out: never opened


@dataclass
class PlacementRow:
    """One listed placement with its sample resolved."""

    source_row: int  # Excel row in 投放
    job_no: str
    form: str
    region: str
    media: str
    start: date
    end: date | None
    size: str
    version: str
    sample: str  # as typed in 样稿
    sample_kind: str = NONE  # image / link / url / missing / none / unknown
    sample_path: Path | None = None  # resolved file, when 样稿 names a file
    thumbnail: bytes | None = None  # JPEG/PNG bytes of the thumbnail
    thumb_size: tuple[int, int] = (0, 0)  # (width, height) px
    note: str = ""  # what the 样稿展示 cell says
    carried: bool = False  # began before the period (「延续」)

    @property
    def values(self) -> list:
        return [
            self.job_no,
            self.form,
            self.region,
            self.media,
            self.start,
            self.end,
            self.size,
            self.version,
            self.note,
        ]


def placement_rows(
    placements_df, brand: str, start: date, end: date, base_dir
) -> list[PlacementRow]:
    """The brand's placements whose flight touches [start, end], samples resolved, by date.

    ``base_dir``: the workbench's folder, which relative 样稿 paths start from;
    None means the folder is unknown (xlwings Server, an unsaved workbook):
    a relative path is then kind ``UNKNOWN`` and no file is looked up.
    Brand names are compared by ``rules.brand_key``.
    """
    key = brand_key(brand)
    mine = [rec for rec in _records(placements_df) if brand_key(rec.get("品牌")) == key]
    return brand_placements(mine, start, end, base_dir)


def brand_placements(records: list[dict], start: date, end: date, base_dir) -> list[PlacementRow]:
    """``placement_rows`` over the brand's rows of 投放 already picked out (row dicts of
    ``aexl.reports.registers``, e.g. ``Registers.brand_rows``)."""
    base_dir = Path(base_dir) if base_dir is not None else None
    rows: list[PlacementRow] = []
    for rec in records:
        day, last = as_day(rec.get("投放日期")), as_day(rec.get("结束日期"))
        if not overlaps(day, last, start, end):
            continue
        row = PlacementRow(
            source_row=int(rec.get("_row") or 0),
            job_no=norm_text(rec.get("工作号")),
            form=norm_text(rec.get("广告形式")),
            region=norm_text(rec.get("投放区域")),
            media=norm_text(rec.get("投放媒体")),
            start=day,
            end=last,
            carried=day < start,
            size=norm_text(rec.get("投放规格")),
            version=norm_text(rec.get("投放版本")),
            sample=norm_text(rec.get("样稿")),
        )
        _resolve_sample(row, base_dir)
        rows.append(row)
    rows.sort(key=lambda r: (r.start, r.form, r.source_row))
    return rows


def _records(frame) -> list[dict]:
    from aexl.reports.registers import records

    return records(frame) if frame is not None else []


def overlaps(first: date | None, last: date | None, start: date, end: date) -> bool:
    """Whether a flight from ``first`` to ``last`` (``first`` when None) touches [start, end]."""
    return first is not None and first <= end and (last or first) >= start


def _resolve_sample(row: PlacementRow, base_dir: Path | None) -> None:
    text = row.sample
    where, path = locate_sample(text, base_dir)
    if where == samples.BLANK:
        row.sample_kind, row.note = NONE, "未填写样稿"
        return
    if where in (samples.URL, samples.OUTSIDE, samples.UNKNOWN):
        shown = {samples.URL: text, samples.OUTSIDE: f"{OUTSIDE_NOTE}：{text}"}
        row.sample_kind, row.note = where, shown.get(where, f"样稿：{text}")
        return
    row.sample_path = path
    if where == samples.MISSING:
        row.sample_kind, row.note = MISSING, f"样稿文件缺失：{text}"
        return
    row.note = path.name
    if path.suffix.lower() in IMAGE_SUFFIXES:
        thumb = make_thumbnail(path)
        if thumb is not None:
            row.thumbnail, row.thumb_size = thumb
            row.sample_kind, row.note = IMAGE, path.stem  # the caption: the version's name
            return
        row.note = f"{path.name}（无法生成缩略图）"
    row.sample_kind = LINK


def make_thumbnail(path: Path, height: int = THUMB_HEIGHT) -> tuple[bytes, tuple[int, int]] | None:
    """A thumbnail shown ``height`` px high (width capped at ``THUMB_MAX_WIDTH``): JPEG
    (PNG when transparent) with ``THUMB_DPI`` / 96 times those pixels, so it prints
    sharp at its size; (bytes, (shown width, shown height)), or None if unreadable."""
    found = _thumbnail(
        path, round(height * THUMB_DPI / 96), round(THUMB_MAX_WIDTH * THUMB_DPI / 96)
    )
    if found is None:
        return None
    data, (width, high) = found
    shown = (max(1, round(width * 96 / THUMB_DPI)), max(1, round(high * 96 / THUMB_DPI)))
    return data, shown


_THUMBS: OrderedDict = OrderedDict()  # (path, its mtime and size, box) → thumbnail or None
_BY_CONTENT: OrderedDict = OrderedDict()  # (the file's digest, box) → thumbnail or None
_THUMBS_KEPT = 256  # the same 样稿 in many rows and brands is made once


def _thumbnail(path: Path, height: int, max_width: int) -> tuple[bytes, tuple[int, int]] | None:
    """``_make_thumbnail``, remembered per file version (a rewritten file is made again)
    and per content (copies of one picture under other names are made once)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size, height, max_width)
    if key in _THUMBS:
        _THUMBS.move_to_end(key)
        return _THUMBS[key]
    found = _THUMBS[key] = _thumbnail_of_content(path, height, max_width)
    if len(_THUMBS) > _THUMBS_KEPT:
        _THUMBS.popitem(last=False)
    return found


def _thumbnail_of_content(path: Path, height: int, max_width: int):
    try:
        data = path.read_bytes()
    except OSError:
        return None
    key = (hashlib.blake2b(data, digest_size=20).digest(), height, max_width)
    if key in _BY_CONTENT:
        _BY_CONTENT.move_to_end(key)
        return _BY_CONTENT[key]
    found = _BY_CONTENT[key] = _make_thumbnail(io.BytesIO(data), height, max_width)
    if len(_BY_CONTENT) > _THUMBS_KEPT:
        _BY_CONTENT.popitem(last=False)
    return found


def _make_thumbnail(source, height: int, max_width: int):
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as img:
            img.seek(0)
            side = 2 * max(max_width, height)  # JPEG: decode at a reduced scale (fast)
            img.draft("RGB", (side, side))
            img = ImageOps.exif_transpose(img)
            img.thumbnail((max_width, height), Image.Resampling.LANCZOS)
            if img.height < height and img.width < max_width:  # small images grow
                scale = min(height / img.height, max_width / img.width)
                size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
                img = img.resize(size, Image.Resampling.LANCZOS)
            if img.mode not in ("RGB", "RGBA"):
                img = img.convert(
                    "RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB"
                )
            buffer = io.BytesIO()
            if img.mode == "RGB":  # photos and artwork: JPEG keeps the workbook small
                img.save(
                    buffer,
                    format="JPEG",
                    quality=THUMB_QUALITY,
                    optimize=True,
                    dpi=(THUMB_DPI,) * 2,
                )
            else:
                img.save(buffer, format="PNG", optimize=True, dpi=(THUMB_DPI,) * 2)
            return buffer.getvalue(), img.size
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def counts(rows: list[PlacementRow]) -> dict[str, int]:
    tally = {IMAGE: 0, LINK: 0, URL: 0, MISSING: 0, NONE: 0, UNKNOWN: 0, OUTSIDE: 0}
    for row in rows:
        tally[row.sample_kind] += 1
    return tally


# the 样稿展示 cell's own looks, over its row's (aexl.workbook.write.row_looks)
LINK_LOOK = {"font_size": 9}  # with aexl.workbook.write.LINK: blue, underlined
WARN_LOOK = {"font_color": RED}  # a missing sample, on the WARN fill
IMAGE_LOOK = {"valign": "bottom", "text_wrap": False}  # the file name under the thumbnail


def write_placement_list(
    rows: list[PlacementRow],
    brand: str,
    period_label: str,
    path: str | Path,
    *,
    source: str = "",
) -> Path:
    """Write the 投放列表 workbook (one sheet) to ``path``, atomically."""
    from aexl.reports.layout import report_book
    from aexl.workbook import write as xo

    tally = counts(rows)
    title = f"{brand} 投放列表"
    book = report_book(path, title, f"{source}（投放）" if source else "", REPORT_KIND)
    sheet = book.sheet(SHEET_TITLE)
    lines = [f"品牌：{brand}　　期间：{period_label}"]
    counted = [("样稿缩略图", IMAGE), ("链接", URL), ("其他样稿文件", LINK), ("缺失样稿", MISSING)]
    counted += [("未填样稿", NONE), ("样稿位置未知", UNKNOWN), ("路径不在工作台文件夹内", OUTSIDE)]
    carried = sum(r.carried for r in rows)
    lines.append(
        "　　".join(
            [f"投放 {len(rows)} 条"]
            + [
                f"{label} {tally[kind]}"
                for label, kind in counted
                if tally[kind] or kind not in (LINK, UNKNOWN, OUTSIDE)
            ]
            + ([f"其中延续自上期 {carried}"] if carried else [])
        )
    )
    header_row = sheet.listing(
        title,
        lines,
        HEADERS,
        [r.values for r in rows],
        formats={4: xo.DATE_FORMAT, 5: xo.DATE_FORMAT},
        empty_text="（本期没有投放记录）",
    )
    widest = _sample_cells(sheet, rows, header_row)
    widths = list(WIDTHS)
    if carried:
        widths[4] = CARRIED_WIDTH
    if widest:
        widths[SAMPLE_COL - 1] = max(widths[SAMPLE_COL - 1], round((widest + 2 * PAD_PX) / 7) + 2)
    sheet.set_widths(widths)
    return book.save()


def _sample_cells(sheet, rows: list[PlacementRow], header_row: int) -> int:
    """Write each row's 样稿展示 cell again with its own look (XlsxWriter cannot re-style a
    cell): links, warnings, thumbnails and tall rows; the widest thumbnail's width in px."""
    from aexl.reports.layout import text_height
    from aexl.workbook import write as xo

    widest = 0
    for n, row in enumerate(rows):
        excel_row = header_row + 1 + n
        look = xo.row_looks(n)
        if row.carried:  # the date stays a date; its format says 「延续」
            sheet.put(excel_row, 5, row.start, *look, number_format=CARRIED_FORMAT)
        if row.sample_kind == URL:  # local files get no link: it would break at the client's
            sheet.link(excel_row, SAMPLE_COL, row.sample, *look, LINK_LOOK)
        elif row.sample_kind in (MISSING, OUTSIDE):
            sheet.put(excel_row, SAMPLE_COL, row.note, *look, xo.WARN, WARN_LOOK)
        if row.sample_kind != IMAGE:  # a long note or URL wraps: make the row tall enough
            height = text_height(row.note, WIDTHS[SAMPLE_COL - 1])
            if height > 18:
                sheet.set_height(excel_row, height)
        if row.sample_kind == IMAGE and row.thumbnail:
            width, height = row.thumb_size
            widest = max(widest, width)
            sheet.image(
                excel_row, SAMPLE_COL, row.thumbnail, (width, height), offset=(PAD_PX, PAD_PX)
            )
            sheet.set_height(excel_row, round((height + 2 * PAD_PX + CAPTION_PX) * 0.75, 1))
            sheet.put(excel_row, SAMPLE_COL, row.note, *look, IMAGE_LOOK)
    return widest


def report_date(start: date, end: date, *, weekly: bool, calendar=None) -> date:
    """The date in the file name.

    A week's list goes out with the weekly report, so it is dated the day that
    report is finished: Friday, or the last working day before it. ``calendar``
    (an ``aexl.workcal.WorkCalendar``; default: the built-in one) must know
    the year: its ``CalendarError`` (which says how to add the year in the
    节假日 sheet) is not replaced by a guess. A month's list is dated the
    month's last day, without a calendar.
    """
    if not weekly:
        return end
    if calendar is None:
        from aexl.workcal import WorkCalendar

        calendar = WorkCalendar()
    return calendar.previous_workday(start + timedelta(days=4), inclusive=True)


def placement_lists(frame, start: date, end: date, base_dir) -> dict[str, list[PlacementRow]]:
    """Each brand with placements whose flight touches [start, end], with its rows.

    Brands appear in the order of the register, spelled as first written there;
    ``base_dir`` as for ``placement_rows`` (None: the workbook's folder is unknown).
    """
    brands: dict[str, str] = {}
    groups: dict[str, list[dict]] = {}  # the register's rows by brand key, in order
    for rec in _records(frame):
        key = brand_key(rec.get("品牌"))
        groups.setdefault(key, []).append(rec)
        first, last = as_day(rec.get("投放日期")), as_day(rec.get("结束日期"))
        if key and key not in brands and overlaps(first, last, start, end):
            brands[key] = norm_text(rec.get("品牌"))
    return {
        name: brand_placements(groups[key], start, end, base_dir) for key, name in brands.items()
    }
