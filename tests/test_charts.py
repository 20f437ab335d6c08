"""效果追踪图表: real workbenches in tmp_path, the real CLI, charts read back."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
import warnings
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.xml.functions import tostring
from PIL import Image

from aexl import schema
from aexl.reports.charts import (
    ChartSpec,
    Series,
    add_native_chart,
    chart_specs,
    png_title,
    render_png,
    render_pngs,
    specs_from_records,
    target_label,
    write_chart_workbook,
)
from aexl.workbook.read import read_workbench
from aexl.workbook.write import FONT_NAME as FONT
from aexl.workbook.write import Book

BRAND = "星河"


def effect(day, campaign, metric, value, target=None, unit="人", brand=BRAND, source="终端观察"):
    return {
        "日期": day,
        "品牌": brand,
        "活动": campaign,
        "指标": metric,
        "数值": value,
        "目标值": target,
        "单位": unit,
        "来源": source,
    }


def write_book(path: Path, rows: list[dict]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = schema.EFFECTS.sheet
    headers = schema.EFFECTS.headers
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
                cell.quotePrefix = True
    wb.save(path)
    return path


def october_rows() -> list[dict]:
    rows = []
    for i in range(6):
        day = date(2026, 10, 1) + timedelta(days=5 * i)
        rows.append(effect(day, "双十一预热", "到店人数", 120 + 20 * i, 200))
        rows.append(effect(day, "双十一预热", "品牌认知度", f"{30 + i}%", "40%", unit="%"))
    # two observations on one day are averaged; text as typed
    rows.append(effect("2026/10/26", "双十一预热", "到店人数", "260", 200))
    rows.append(effect(date(2026, 10, 26), "双十一预热", "到店人数", 240, 200))
    rows.append(effect("2026年10月20日", "=新品试吃", "试吃人数", "1.2万", "1.5万"))
    rows.append(effect(date(2026, 11, 3), "双十一预热", "到店人数", 300, 250))  # November
    rows.append(effect(date(2026, 10, 5), "秋季上新", "销量", 80, 100, "箱", brand="云朵"))
    rows.append(effect(date(2026, 10, 7), "双十一预热", "到店人数", None, None))  # nothing
    return rows


@pytest.fixture
def book(tmp_path) -> Path:
    return write_book(tmp_path / "星河食品_AE工作台.xlsx", october_rows())


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args], capture_output=True, text=True, encoding="utf-8"
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def spec(**over) -> ChartSpec:
    values = {
        "title": "双十一预热：到店人数 实际与目标",
        "brand": BRAND,
        "campaign": "双十一预热",
        "metric": "到店人数",
        "dates": (date(2026, 10, 1), date(2026, 10, 8), date(2026, 10, 15)),
        "series": (Series("实际", (120.0, 150.0, 180.0)),),
        "target": Series("目标", (200.0, None, 200.0), "C00000"),
        "unit": "人",
        "y_title": "到店人数（人）",
    }
    values.update(over)
    return ChartSpec(**values)


def test_chart_specs_group_filter_average(book):
    frame = read_workbench(book).frame("效果")
    specs = chart_specs(frame, BRAND, date(2026, 10, 1), date(2026, 10, 31))
    assert [(s.campaign, s.metric, s.unit, s.kind) for s in specs] == [
        ("双十一预热", "到店人数", "人", "line"),
        ("双十一预热", "品牌认知度", "%", "line"),
        ("=新品试吃", "试吃人数", "人", "bar"),
    ]
    visits = specs[0]
    assert visits.dates[-1] == date(2026, 10, 26) and len(visits.dates) == 6
    assert visits.series[0].values[-1] == 240  # (220 + 260 + 240) / 3
    assert visits.target.values == (200,) * 6
    assert visits.y_title == "到店人数（人）" and visits.x_title == "日期"
    assert visits.sources == ("终端观察",)
    assert specs[2].series[0].values == (12000,) and specs[2].target.values == (15000,)
    everything = chart_specs(frame, BRAND)
    assert everything[0].dates[-1] == date(2026, 11, 3)
    assert chart_specs(frame, "没有的品牌") == []


def test_mixed_units_are_split():
    import pandas as pd

    rows = [
        effect(date(2026, 10, 1), "试吃", "反馈", 10, unit="人"),
        effect(date(2026, 10, 2), "试吃", "反馈", 12, unit=""),
        effect(date(2026, 10, 3), "试吃", "反馈", 55, unit="%"),
    ]
    specs = chart_specs(pd.DataFrame(rows, dtype=object), BRAND)
    assert [(s.metric, s.unit, len(s.dates)) for s in specs] == [
        ("反馈（人）", "人", 2),
        ("反馈（%）", "%", 1),
    ]
    assert specs[0].target is not None and specs[0].all_series == list(specs[0].series)


def test_charts_cli_month(book, tmp_path):
    out = tmp_path / "报告"
    before = sha(book)
    result = run_cli("charts", "--book", str(book), "--month", "2026-10", "--out", str(out))
    assert result.returncode == 0, result.stderr
    paths = [Path(p) for p in result.stdout.splitlines()]
    assert [p.name for p in paths] == [
        "20261031_星河_效果追踪图表.xlsx",
        "20261031_云朵_效果追踪图表.xlsx",
    ]
    assert sha(book) == before
    ws = load_workbook(paths[0]).active
    assert ws.title == "效果追踪图表"
    assert len(ws._charts) == 3
    line = ws._charts[0]
    assert line.tagname == "lineChart"
    assert [s.val.numRef.f for s in line.series] == [
        "效果追踪图表!$B$7:$B$12",
        "效果追踪图表!$C$7:$C$12",
    ]
    assert line.series[0].cat.numRef.f == "效果追踪图表!$A$7:$A$12"
    assert [s.tx.strRef.f for s in line.series] == ["效果追踪图表!$B$6", "效果追踪图表!$C$6"]
    assert [ws["A6"].value, ws["B6"].value, ws["C6"].value] == ["日期", "实际（人）", "目标（人）"]
    assert ws["A7"].value.date() == date(2026, 10, 1) and ws["B12"].value == 240
    assert ws["A7"].number_format == "yyyy-mm-dd" and ws["B7"].number_format == "#,##0.##"
    assert [s.tx.strRef.strCache.pt[0].v for s in line.series] == ["实际（人）", "目标（人）"]
    actual, target = line.series
    assert actual.graphicalProperties.line.solidFill.srgbClr == "2F5597"
    assert actual.graphicalProperties.line.w == 22225  # 1.75 pt
    assert (actual.marker.symbol, actual.marker.size) == ("circle", 6)
    assert actual.marker.graphicalProperties.solidFill.srgbClr == "2F5597"
    assert (
        target.graphicalProperties.line.solidFill.srgbClr == "7F7F7F"
    )  # grey: red means below target
    assert target.graphicalProperties.line.prstDash == "dash"
    assert target.graphicalProperties.line.w == 19050  # 1.5 pt
    assert target.marker is not None and target.marker.symbol is None  # "none", read as None
    assert _text(line.title) == "双十一预热：到店人数 实际与目标"
    assert (
        _text(line.x_axis.title) == "日期（2026年）"
        and _text(line.y_axis.title) == "到店人数（人）"
    )
    # Chinese text in the house font, for both the Latin and the East Asian script
    run = line.title.tx.rich.p[0].r[0].rPr
    assert (run.sz, run.b, run.latin.typeface, run.ea.typeface) == (1200, True, FONT, FONT)
    run = line.y_axis.title.tx.rich.p[0].r[0].rPr
    assert (run.sz, run.ea.typeface) == (900, FONT)
    # a date axis every unit of which is spelled out (LibreOffice guesses months otherwise)
    axis = line.x_axis
    assert axis.tagname == "dateAx" and axis.baseTimeUnit == "days"
    assert (axis.majorTimeUnit, axis.majorUnit) == ("days", 7)
    assert axis.number_format.formatCode == 'm"月"d"日"'
    assert not axis.number_format.sourceLinked  # the table keeps yyyy-mm-dd
    assert line.legend.position == "b" and line.display_blanks == "span"
    assert line.anchor._from.col == 4 and line.anchor._from.row == 5  # E6, beside the table
    assert line.anchor._from.rowOff == 3 * 9525  # 3 px inside the cell
    # the internal source file is not printed for the client: it is a document property
    printed = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("数据来源" in v or book.name in v for v in printed)
    props = load_workbook(paths[0]).properties
    assert props.description == f"数据来源：{book.name}（效果）"
    assert props.subject == "效果追踪图表" and props.title == "星河 效果追踪图表"
    bar = ws._charts[2]
    assert bar.tagname == "barChart" and bar.y_axis.scaling.min == 0
    assert (bar.type, bar.grouping) == ("col", "clustered")
    # one bar a date (the actual); the target is a grey dash across it, its value in the legend
    assert [s.graphicalProperties.solidFill.srgbClr for s in bar.series] == ["2F5597"]
    xml = _chart_xml(paths[0], 3)  # openpyxl does not read a combined chart's second part
    line = xml[xml.index("<c:lineChart>") : xml.index("</c:lineChart>")]
    assert line.count("<c:ser>") == 1 and '<c:symbol val="dash"/>' in line and "7F7F7F" in line
    assert "<c:dLbls>" not in line  # no label on the bar: it would overlap it
    assert re.search(r"<c:tx><c:v>目标 [\d,.]+</c:v></c:tx>", line), line
    assert bar.x_axis.number_format.formatCode == 'm"月"d"日"'
    # a campaign name that looks like a formula stays text
    titles = [c.value for c in ws["A"] if isinstance(c.value, str) and "新品试吃" in c.value]
    assert titles and all(c.data_type == "s" for c in ws["A"] if c.value in titles)
    assert _text(bar.title) == "=新品试吃：试吃人数 实际与目标"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.column_dimensions["A"].width == pytest.approx(12.71, abs=0.01)  # 12 + padding
    # two charts to a landscape page: breaks only after every second chart (three charts here)
    starts = sorted(c.anchor._from.row + 1 for c in ws._charts)
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    assert len(breaks) == 1 and starts[1] < breaks[0] < starts[2]
    assert all(ws.row_dimensions[r].height in (None, 15) for r in range(starts[0], starts[0] + 10))

    other = load_workbook(paths[1]).active
    assert len(other._charts) == 1 and other._charts[0].tagname == "barChart"


def _chart_xml(path, n: int) -> str:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/charts/chart{n}.xml").decode()


def _text(title) -> str:
    return "".join(run.t for p in title.tx.rich.p for run in (p.r or ()))


def test_charts_cli_png(book, tmp_path):
    result = run_cli(
        "charts", "--book", str(book), "--month", "2026-10", "--out", str(tmp_path), "--png"
    )
    assert result.returncode == 0, result.stderr
    paths = [Path(p) for p in result.stdout.splitlines()]
    pngs = [p for p in paths if p.suffix == ".png"]
    assert len(pngs) == 4 and all(p.exists() for p in paths)
    assert "20261031_星河_双十一预热_到店人数_效果追踪图表.png" in {p.name for p in pngs}
    with Image.open(pngs[0]) as image:
        assert image.format == "PNG" and image.width > 600


def test_charts_cli_errors(book, tmp_path):
    result = run_cli("charts", "--book", str(book), "--month", "2026-13")
    assert result.returncode == 2 and "--month" in result.stderr
    result = run_cli("charts", "--book", str(book), "--month", "2025-01", "--out", str(tmp_path))
    assert result.returncode == 0 and result.stdout == "" and "没有效果数据" in result.stderr


def test_add_native_chart_returns_next_row(tmp_path):
    book = Book(tmp_path / "native.xlsx")
    sheet = book.sheet("Sheet")
    nxt = add_native_chart(sheet, spec(), data_row=3, data_col=10, anchor="N3")
    assert nxt > 6 and nxt >= 3 + 16
    assert sheet.charts == [(14, 16.0)]  # column N, for page planning
    ws = load_workbook(book.save()).active
    assert ws.cell(row=3, column=10).value == "日期" and ws.cell(row=6, column=11).value == 180
    assert ws.cell(row=5, column=12).value is None  # a missing target stays blank
    (chart,) = ws._charts
    assert chart.series[0].val.numRef.f == "Sheet!$K$4:$K$6"
    assert chart.series[0].cat.numRef.f == "Sheet!$J$4:$J$6"
    assert chart.display_blanks == "span"
    assert (chart.anchor._from.col, chart.anchor._from.row) == (13, 2)  # N3
    # the cached target has no point for the blank (not a 0 the line would dip to)
    cache = chart.series[1].val.numRef.numCache
    assert cache.ptCount == 3 and [(p.idx, p.v) for p in cache.pt] == [(0, 200), (2, 200)]


def test_add_native_chart_title_that_looks_like_a_reference(tmp_path):
    book = Book(tmp_path / "ref.xlsx")
    title = "狂欢!GO2026：到店人数 实际与目标"
    add_native_chart(book.sheet("Sheet"), spec(title=title, kind="bar"), 1, 1, "E1")
    (chart,) = load_workbook(book.save()).active._charts
    assert _text(chart.title) == "狂欢！GO2026：到店人数 实际与目标"  # text, not a cell
    assert chart.x_axis.tagname == "catAx"  # bars: dates as categories,
    assert not chart.x_axis.auto  # as text (LibreOffice makes an "auto" one a month axis)
    assert chart.x_axis.number_format.formatCode == 'm"月"d"日"'


def test_empty_workbook(tmp_path):
    path = write_chart_workbook([], tmp_path / "x.xlsx", brand=BRAND)
    ws = load_workbook(path).active
    assert any(c.value == "（本期没有效果数据）" for c in ws["A"]) and not ws._charts


def glyph_warnings(**kwargs) -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = render_png(spec(), dpi=60, **kwargs)
    return data, [str(w.message) for w in caught if "Glyph" in str(w.message)]


def test_png_has_no_missing_glyphs():
    data, missing = glyph_warnings()
    assert missing == []
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"


def test_missing_glyph_check_works_without_cjk_font():
    _, missing = glyph_warnings(font_families=["DejaVu Sans"])
    assert missing and "missing from font" in missing[0]


def test_bundled_font_is_registered():
    from matplotlib import font_manager

    from aexl.reports.fonts import BUNDLED_FONT, cjk_families

    families = cjk_families()
    assert "Noto Sans CJK SC" in families and families[-1] == "DejaVu Sans"
    assert BUNDLED_FONT.stat().st_size > 10_000_000
    assert (BUNDLED_FONT.parent / "OFL.txt").read_text().startswith("This Font Software")
    assert any(Path(f.fname) == BUNDLED_FONT for f in font_manager.fontManager.ttflist)


def test_no_matplotlib_at_import():
    code = (
        "import sys, aexl.reports.charts, aexl.reports.placements, aexl.commands.charts, "
        "aexl.commands.placements; print('matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_render_pngs_parallel_matches_serial():
    specs = [spec(title=f"图表 {n}") for n in range(6)]
    parallel = render_pngs(specs, workers=2, dpi=50)
    serial = [render_png(s, dpi=50) for s in specs]
    assert parallel == serial
    assert render_pngs(specs[:2], workers=2, dpi=50) == serial[:2]


@pytest.mark.parametrize(
    ("dates", "step", "labels", "title"),
    [
        (
            (date(2026, 10, 1), date(2026, 10, 5)),
            1,
            ["10月1日", "10月2日", "10月3日", "10月4日", "10月5日"],
            "日期（2026年）",
        ),  # fmt: skip
        (
            tuple(date(2026, 8, 7) + timedelta(weeks=n) for n in range(13)),
            14,
            ["8月7日", "8月21日", "9月4日", "9月18日", "10月2日", "10月16日", "10月30日"],
            "日期（2026年）",
        ),  # fmt: skip
        (
            tuple(date(2026, m, 28) for m in range(1, 11)),
            56,
            ["1月28日", "3月25日", "5月20日", "7月15日", "9月9日"],
            "日期（2026年）",
        ),  # fmt: skip
        ((date(2025, 12, 20), date(2026, 1, 9)), 3, None, "日期"),
    ],
)
def test_date_labels_are_shared_by_both_renderers(dates, step, labels, title):
    values = tuple(float(n) for n in range(len(dates)))
    s = spec(dates=dates, series=(Series("实际", values),), target=None)
    assert s.tick_step == step and s.axis_title == title
    assert s.ticks[0] == dates[0] and s.ticks[-1] <= dates[-1] and len(s.ticks) <= 8
    if labels:
        assert [s.tick_label(d) for d in s.ticks] == labels
    else:  # two years: the year is in every label and in the Excel format
        assert s.tick_label(dates[0]) == "2025年12月20日" and s.date_format.startswith("yyyy")


def test_keep_together_breaks_before_a_chart_that_would_straddle(tmp_path):
    from aexl.reports.layout import DEFAULT_ROW_PT, keep_together, page_height

    book = Book(tmp_path / "pages.xlsx")
    sheet = book.sheet("Sheet")
    row, keep = 1, []
    for n in range(4):
        start = row
        row = add_native_chart(sheet, spec(title=f"图表 {n}"), row, 1, f"E{row}")
        keep.append((start, row - 1))
    sheet.print_setup(landscape=True)
    breaks = keep_together(sheet, keep, row - 1)
    assert breaks and sheet.breaks == breaks
    assert set(breaks) <= {first - 1 for first, _ in keep}  # only ever before a chart
    rows_per_page = page_height(sheet) / DEFAULT_ROW_PT
    pages = [0, *breaks, row - 1]
    assert all(b - a <= rows_per_page for a, b in zip(pages, pages[1:], strict=False))
    ws = load_workbook(book.save()).active
    assert [b.id for b in ws.row_breaks.brk] == breaks
    assert ws.page_setup.orientation == "landscape" and len(ws._charts) == 4


def test_brands_differing_in_case_are_one_and_all_brands_come_from_one_pass(tmp_path):
    from aexl.reports.charts import brands, specs_by_brand

    rows = october_rows() + [
        effect(date(2026, 10, 5), "开业", "客流", 50, 80, brand="Ace"),
        effect(date(2026, 10, 6), "开业", "客流", 60, 80, brand="ACE"),
    ]
    frame = read_workbench(write_book(tmp_path / "b.xlsx", rows)).frame("效果")
    assert brands(frame)[-1] == "Ace" and "ACE" not in brands(frame)
    (spec,) = chart_specs(frame, "ace")
    assert spec.dates == (date(2026, 10, 5), date(2026, 10, 6))
    every = specs_by_brand(frame)
    assert list(every) == brands(frame)
    for name, specs in every.items():
        assert specs == chart_specs(frame, name)


# ------------------------------------------------------------ conventions ---
def _spec_of(actual, target, days):
    from aexl.reports.charts import specs_from_records

    rows = [
        {"日期": d, "活动": "双十一", "指标": "月活", "单位": "人", "来源": "后台", "数值": a, "目标值": t}
        for d, a, t in zip(days, actual, target, strict=True)
    ]  # fmt: skip
    (spec,) = specs_from_records(rows, "星河")
    return spec


DAYS3 = [date(2026, 8, 3), date(2026, 9, 7), date(2026, 10, 12)]


@pytest.mark.parametrize(
    ("actual", "target", "days", "floor", "below"),
    [
        ((68.0, 90.0, 120.0), (100.0, 100.0, 100.0), DAYS3, 0, [0, 1]),
        ((18000.0, 18500.0, 19000.0), (18800.0, 18800.0, 18800.0), DAYS3, "break", [0, 1]),
        ((950.0,), (1000.0,), DAYS3[:1], 0, [0]),  # one point: one bar, red as below target
    ],
)
def test_axis_from_zero_thousands_and_only_below_target_red(tmp_path, actual, target, days, floor, below):  # fmt: skip
    spec = _spec_of(actual, target, days)
    assert spec.below_target() == below
    path = write_chart_workbook([spec], tmp_path / "c.xlsx", brand="星河", period_label="2026")
    (chart,) = load_workbook(path).active._charts
    y = chart.y_axis
    assert y.numFmt.formatCode == "#,##0"
    if floor == 0:
        assert y.scaling.min == 0
    else:  # zero would flatten the line: the break is noted in the axis title
        assert 0 < y.scaling.min < min(actual) and "未从 0 开始" in spec.chart_title
        assert "未从 0 开始" in _text(chart.title) and "未从 0 开始" not in spec.value_title
    actual_series = chart.series[0]
    looks = [(p.idx, p.marker.spPr if p.marker is not None else p.spPr) for p in actual_series.dPt]
    reds = [i for i, look in looks if look.solidFill.srgbClr == "C00000"]
    assert reds == below
    for s in chart.series[1:]:  # the target is never red
        xml = tostring(s.spPr.to_tree()).decode()
        assert "7F7F7F" in xml and "C00000" not in xml and not s.dPt


def test_png_title_and_month_ticks():
    from aexl.reports.charts import png_title

    spec = _spec_of((68.0, 90.0, 120.0), (100.0, 100.0, 100.0), DAYS3)
    title = png_title(spec)
    assert title.startswith("星河｜双十一：月活（2026-08-03 至 2026-10-12）")
    assert "数据来源：后台" in title
    assert spec.month_ticks == [date(2026, 9, 1), date(2026, 10, 1)]
    png = render_png(spec, dpi=60)
    assert png.startswith(b"\x89PNG")


# ------------------------------------------------------- one axis rule ---
@pytest.mark.parametrize(
    ("values", "axis"),
    [
        ((41.0, 44.9, 55.5, 60.0), (0.0, 70.0)),  # 终端铺货率 41–55 of 60: zero does not flatten
        ((44.0, 49.8, 55.5, 55.0), (40.0, 58.0)),  # 44–55.5: a range under 1/4 of the top
        ((18000.0, 19000.0, 18800.0), (17000.0, 19500.0)),
        ((1072.0, 2696.0, 3000.0), (0.0, 3500.0)),
        ((0.0, 5.0), (0.0, 6.0)),
        ((), (0.0, None)),
    ],
)
def test_value_axis_starts_at_zero_unless_that_flattens_the_data(values, axis):
    from aexl.reports.charts import value_axis

    assert value_axis(values) == axis
    assert value_axis(values, from_zero=True)[0] == 0.0


def _weekly_rows(first: date, weeks: int, values) -> list[dict]:
    return [
        effect(first + timedelta(days=7 * n), "上市", "铺货率", v, 60.0, unit="%")
        for n, v in zip(range(weeks), values, strict=True)
    ]


@pytest.mark.parametrize(
    ("values", "breaks"),
    [
        ((41.0, 44.0, 47.0, 50.0, 52.0, 55.0, 53.0), False),
        ((50.0, 52.0, 53.0, 55.0, 56.0, 57.0, 58.0), True),
    ],  # fmt: skip
)
def test_one_metric_has_one_axis_in_every_period_and_the_note_is_in_the_title(
    tmp_path, values, breaks
):
    """A month's chart and the whole record's chart of one metric share floor and top
    (written to the file), and a break is said in the chart title, not the axis title."""
    rows = _weekly_rows(date(2026, 9, 17), 7, values)  # 09-17 … 10-29
    whole = specs_from_records(rows, BRAND)[0]
    october = specs_from_records(rows, BRAND, date(2026, 10, 1), date(2026, 10, 31))[0]
    assert october.dates[0] == date(2026, 10, 1) and len(october.dates) < len(whole.dates)
    assert october.axis == whole.axis and (whole.axis_floor > 0) == breaks
    for spec in (whole, october):
        path = write_chart_workbook([spec], tmp_path / f"{len(spec.dates)}.xlsx", brand=BRAND)
        (chart,) = load_workbook(path).active._charts
        assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max) == whole.axis
        assert ("未从 0 开始" in _text(chart.title)) == breaks
        assert "未从 0 开始" not in _text(chart.y_axis.title)
        assert ("未从 0 开始" in png_title(spec)) == breaks


def test_single_bar_target_is_named_in_the_legend_not_labelled_on_the_bar(tmp_path):
    one = specs_from_records([effect(date(2026, 10, 20), "试吃", "试吃人数", 950, 3000)], BRAND)[0]
    assert one.kind == "bar" and target_label(one) == "目标 3,000"
    path = write_chart_workbook([one], tmp_path / "bar.xlsx", brand=BRAND)
    xml = _chart_xml(path, 1)
    assert "<c:dLbls>" not in xml and "<c:v>目标 3,000</c:v>" in xml


def test_the_full_record_charts_book_is_dated_and_titled_by_its_data(book, tmp_path):
    result = run_cli("charts", "--book", str(book), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = [Path(p).name for p in result.stdout.splitlines()]
    # 星河's figures run 10-01 … 11-03, 云朵's is one day, 10-05: not the run date
    assert names == ["20261103_星河_效果追踪图表.xlsx", "20261005_云朵_效果追踪图表.xlsx"]
    ws = load_workbook(tmp_path / names[0]).active
    text = " ".join(str(c.value) for line in ws.iter_rows(max_row=5) for c in line if c.value)
    assert "期间：2026-10-01 至 2026-11-03" in text and "全部日期" not in text
