"""A report (title, header lines, blocks) laid out as a plain grid for a live sheet.

The report modules describe a report as ``title``, ``header_lines()`` and
``blocks`` (``Heading`` / ``Text`` / ``Table`` from ``aexl.reports.blocks``,
or chart blocks with ``pngs(dpi=…)``). The file writers style that with XlsxWriter; a ribbon
button writes it into the open workbook through xlwings, where only values,
fills and pictures are portable. Pure: no xlwings.

A chart block becomes one picture per chart, each followed by as many empty
rows as its height needs: a picture floats over the cells, so the rows under
it are reserved for it and the next block starts below its bottom edge.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field, replace

PICTURE_DPI = 96  # charts are rendered at Excel's 96 px per inch: 1 px = 0.75 pt
# The lowest default row height in points (宋体 11); 等线 11 and Calibri 11 rows are taller,
# so a picture never reaches further than the rows reserved for it.
MIN_ROW_HEIGHT = 13.5
PICTURE_GAP_ROWS = 1  # empty rows between a picture's bottom edge and what follows
NO_CHARTS = "（没有可绘制的效果数据）"


@dataclass(frozen=True)
class Picture:
    """A PNG placed with its top-left corner at column A of ``row`` (1-based)."""

    row: int
    png: bytes
    width: float  # points
    height: float  # points

    @property
    def rows(self) -> int:
        """Rows the picture covers, counting each row at its smallest default height."""
        return rows_for(self.height)

    @property
    def last_row(self) -> int:
        """The last row the picture can reach."""
        return self.row + self.rows - 1


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels of PNG bytes, from the IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", png[16:24])


def picture_points(png: bytes, dpi: int = PICTURE_DPI) -> tuple[float, float]:
    """(width, height) in points of PNG bytes rendered at ``dpi``."""
    width, height = png_size(png)
    return width * 72 / dpi, height * 72 / dpi


def rows_for(height: float, row_height: float = MIN_ROW_HEIGHT) -> int:
    """Rows of ``row_height`` points a picture ``height`` points high reaches into."""
    return max(1, math.ceil(height / row_height - 1e-9))


def chart_pngs(block) -> list[bytes]:
    """One PNG per chart of a chart block (its ``pngs(dpi=…)``), rendered at ``PICTURE_DPI``."""
    return list(block.pngs(dpi=PICTURE_DPI))


@dataclass
class Layout:
    grid: list[list] = field(default_factory=list)
    title_rows: list[int] = field(default_factory=list)  # 1-based
    section_rows: list[int] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.grid), default=0)

    def add(self, row: list) -> int:
        self.grid.append(list(row))
        return len(self.grid)

    def add_picture(self, png: bytes) -> Picture:
        """Place ``png`` at the next row and reserve the rows it covers (plus a gap)."""
        width, height = picture_points(png)
        picture = Picture(len(self.grid) + 1, png, width, height)
        for _ in range(picture.rows + PICTURE_GAP_ROWS):
            self.add([])
        self.pictures.append(picture)
        return picture

    def squared(self) -> Layout:
        """Every row padded to the same width (what a 2-D range write needs)."""
        width = self.width
        self.grid = [r + [None] * (width - len(r)) for r in self.grid]
        return self


def layout(reports) -> Layout:
    """Lay out one report or several (one below the other)."""
    if not isinstance(reports, list | tuple):
        reports = [reports]
    out = Layout()
    for report in reports:
        if out.grid:
            out.add([])
        _one(out, report)
    return out.squared()


def _one(out: Layout, report) -> None:
    if isinstance(report, list):  # already a grid
        for row in report:
            out.add(row)
        return
    title = getattr(report, "title", None)
    if title:
        out.title_rows.append(out.add([title]))
    lines = report.header_lines() if hasattr(report, "header_lines") else []
    for line in lines:
        out.add([line])
    if title or lines:
        out.add([])
    from aexl.reports.blocks import PLACEHOLDER, Heading, Table, Text

    for block in getattr(report, "blocks", []):
        if isinstance(block, Heading):
            out.section_rows.append(out.add([block.text]))
        elif isinstance(block, Table):
            out.header_rows.append(out.add(block.headers))
            if block.rows:
                for row in block.rows:
                    out.add(row)
            else:
                out.add([block.empty_text])
            out.add([])
        elif isinstance(block, Text):
            for paragraph in block.paragraphs:
                out.add([paragraph])
            if block.placeholder:
                out.add([f"{PLACEHOLDER}{block.placeholder}"])
            out.add([])
        else:  # a chart block: one picture per chart, placed by the adapter
            out.add([getattr(block, "title", "")])
            pngs = chart_pngs(block)
            for png in pngs:
                out.add_picture(png)
            if not pngs:
                out.add([NO_CHARTS])
                out.add([])


@dataclass
class PlacementGrid:
    """The week's 投放列表 of every brand, one below the other, for a live sheet."""

    grid: list[list] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)  # 1-based
    thumbnails: list[tuple[int, bytes]] = field(default_factory=list)  # (row, PNG/JPEG)


def placement_grid(lists: dict, label: str, unknown_note: str) -> PlacementGrid:
    """Lay out ``placement_lists`` output: per brand a title row, the header and its rows.

    A sample whose place cannot be known here (``UNKNOWN``) gets ``unknown_note``
    (formatted with ``path``) instead of a thumbnail.
    """
    from aexl.reports.placements import HEADERS, UNKNOWN

    out = PlacementGrid()
    for brand, rows in lists.items():
        if out.grid:
            out.grid.append([])
        out.grid.append([f"{brand} 投放列表 {label}"])
        out.grid.append(HEADERS)
        out.header_rows.append(len(out.grid))
        for row in rows:
            if row.sample_kind == UNKNOWN:  # a copy: the caller's rows stay as they were
                row = replace(row, note=unknown_note.format(path=row.sample), thumbnail=None)
            out.grid.append(row.values)
            if row.thumbnail:
                out.thumbnails.append((len(out.grid), row.thumbnail))
    return out
