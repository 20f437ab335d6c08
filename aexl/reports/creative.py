"""The year-end summary's creative section (rulebook 3.C 三、广告创作作品): the brand's key
pieces with their thumbnails from 投放, and a native chart of the year's work by type and month.

Both are blocks with their own ``write(sheet, row, width, total, keep)``
(``aexl.reports.layout.write_blocks``). The thumbnails are made by the
placement list's code (``aexl.reports.placements``): a 样稿 path is only
opened inside the workbench's folder (``aexl.samples``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from aexl.reports.blocks import Table

PIECE_HEADERS = ["工作号", "项目名称", "工作类型", "样稿", "投放版本", "投放媒体", "投放日期"]
PIECE_WIDTHS = [14, 15, 12, 36, 12, 12, 12]
SAMPLE_COL = 4  # 1-based column of the thumbnail (the report's widest column)
MAX_PIECES = 12  # key pieces shown per brand: the first image of each job, by date
PAD_PX = 4
MONTHS = [f"{m}月" for m in range(1, 13)]
CHART_WIDTH_CM = 22.0
DATA_SHEET = "全年工作数据"
CHART_HEIGHT_CM = 8.0


@dataclass
class PiecesBlock(Table):
    """Key pieces: one row per job with an image sample in 投放, thumbnail in 样稿.

    ``thumbs`` holds, per row, ``(bytes, (width, height))`` or None.
    """

    thumbs: list = field(default_factory=list)

    def row_heights(self, widths) -> list[float]:
        """Each row as tall as its thumbnail (points), for the page plan."""
        return [round((t[1][1] + 2 * PAD_PX) * 0.75, 1) if t else 0.0 for t in self.thumbs]

    def decorate(self, sheet, row: int, index: int) -> None:
        """The thumbnail of body row ``index``, written at sheet row ``row``."""
        thumb = self.thumbs[index] if index < len(self.thumbs) else None
        if thumb is None:
            return
        data, size = thumb
        sheet.image(row, SAMPLE_COL, data, size, offset=(PAD_PX, PAD_PX))


def key_pieces(placements_df, brand: str, start: date, end: date, base_dir, jobs: dict):
    """The brand's key pieces of [start, end] as a ``PiecesBlock``: per job the first
    placement (by 投放日期) whose 样稿 is an image inside the workbench folder."""
    from aexl.reports.placements import IMAGE, placement_rows
    from aexl.rules import jobno_key, text_of

    block = PiecesBlock(
        PIECE_HEADERS,
        formats={6: "yyyy-mm-dd"},
        widths=PIECE_WIDTHS,
        empty_text="（投放表中没有本年度带样稿图片的投放）",
    )
    if placements_df is None or len(placements_df) == 0 or base_dir is None:
        return block
    seen: set[str] = set()
    for p in placement_rows(placements_df, brand, start, end, base_dir):
        key = jobno_key(p.job_no)
        if p.sample_kind != IMAGE or not p.thumbnail or key in seen:
            continue
        seen.add(key)
        job = jobs.get(key, {})
        block.rows.append(
            [p.job_no, text_of(job, "项目名称"), text_of(job, "工作类型"), ""]
            + [p.version, p.media, p.start]
        )
        block.thumbs.append((p.thumbnail, p.thumb_size))
        if len(block.rows) == MAX_PIECES:
            break
    return block


@dataclass
class WorkChart:
    """Jobs opened per month, by work type: a stacked column chart (native Excel, so the
    figures stay editable on its data sheet)."""

    types: list[str] = field(default_factory=list)
    counts: list[list[int]] = field(default_factory=list)  # [month][type]
    title: str = "全年工作（按开单月份和工作类型）"

    @classmethod
    def of(cls, jobs, year: int) -> WorkChart:
        """From (工作类型, 开单日期) pairs; jobs opened outside ``year`` are not counted."""
        per: dict[str, list[int]] = {}
        for kind, opened in jobs:
            if opened is None or opened.year != year:
                continue
            per.setdefault(kind or "（未填类型）", [0] * 12)[opened.month - 1] += 1
        types = sorted(per, key=lambda k: -sum(per[k]))
        return cls(types, [[per[t][m] for t in types] for m in range(12)])

    @property
    def table(self) -> Table:
        rows = [[MONTHS[m], *self.counts[m], sum(self.counts[m])] for m in range(12)]
        return Table(["月份", *self.types, "合计"], rows)

    def write(self, sheet, row: int, width: int, total: float, keep: list | None = None) -> int:
        """The chart at ``row``; its figures on the hidden sheet ``DATA_SHEET`` (a table as
        wide as the year's work types would widen the printed page)."""
        from aexl.reports.charts import _font

        if not self.types:
            sheet.put(row, 1, "（本年度没有新开的工作）")
            return row + 2
        table = self.table
        data = sheet.book.sheet(DATA_SHEET)
        data.table(1, table.headers, table.rows)
        data.ws.hide()
        chart = sheet.book.chart({"type": "column", "subtype": "stacked"})
        chart.set_title({"name": self.title, "name_font": _font(12, bold=True)})
        for col, kind in enumerate(self.types, start=1):
            chart.add_series(
                {
                    "name": kind,
                    "categories": [DATA_SHEET, 1, 0, 12, 0],
                    "values": [DATA_SHEET, 1, col, 12, col],
                    "gap": 60,
                }
            )
        top = max(sum(month) for month in self.counts)
        step = max(1, -(-top // 8))  # whole jobs: ticks at whole numbers
        chart.set_y_axis(
            {"name": "工作（项）", "name_font": _font(9), "min": 0, "major_unit": step}
        )
        chart.set_x_axis({"name": "开单月份", "name_font": _font(9)})
        chart.set_legend({"position": "right"})
        sheet.insert_chart(row, 1, chart, CHART_WIDTH_CM, CHART_HEIGHT_CM, offset=(0, 3))
        rows = round(CHART_HEIGHT_CM / 2.54 * 96 / 20) + 1
        if keep is not None:  # the chart on one page
            keep.append((row, row + rows - 1, 1.0))
        return row + rows + 1
