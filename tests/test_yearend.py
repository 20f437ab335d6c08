"""年度工作总结: the five parts, the AM's yellow places, the due date in January, the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reportbook import find, merged, run_cli, sha256, table_after, write_reportbook

from aexl.errors import UsageError
from aexl.reports.blocks import PLACEHOLDER, PLACEHOLDER_COLOR
from aexl.reports.yearend import write_yearly, yearly_data, yearly_reports
from aexl.workbook.read import read_workbench

D = date


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    return read_workbench(write_reportbook(tmp_path_factory.mktemp("yr") / "AE工作台.xlsx"))


@pytest.fixture(scope="module")
def midea(wb):
    return yearly_data(wb, "美的", 2026)


def test_due_in_january_of_the_next_year(midea):
    # 2027 is known from the workbook's 节假日 sheet; the summary is due by the last working day
    assert midea.due == D(2027, 1, 29)
    assert "2027-01-29（周五）" in midea.header_lines()[1]
    assert midea.filename == "20270129_美的_年度工作总结.xlsx"


def test_preface_counts_the_year(midea):
    text = midea.preface.paragraphs[0]
    assert "共承接工作 5 项" in text and "TVC 1 项" in text and "已取消 1 项" in text
    assert "修改单 3 张" in text and "提案与再提案 3 次" in text
    assert midea.preface.placeholder


def test_works_by_date_and_cancelled_in_their_own_list(midea):
    types = {r["工作类型"]: r for r in midea.types.dicts()}
    assert types["主视觉"]["工作数量"] == 1 and types["主视觉"]["修改单（张）"] == 2
    works = midea.works.dicts()
    assert [w["工作号"] for w in works] == ["MDKT2026001", "MDKT2026002", "MDBX2026001", "MDKT2026003"]  # fmt: skip
    opened = [w["开单日期"] for w in works]
    assert opened == sorted(opened)
    assert works[0]["客户确认日期"] == D(2026, 10, 15)  # the 正稿QC signature that produced it
    assert [c["工作号"] for c in midea.cancelled.dicts()] == ["MDKT2026004"]
    assert midea.cancelled.dicts()[0]["取消日期"] is not None
    strategy = midea.strategy.dicts()  # TVC and 主视觉 need a creative brief; by date
    assert [r["工作号"] for r in strategy] == ["MDKT2026002", "MDKT2026003"]
    assert [r["开单日期"] for r in strategy] == sorted(r["开单日期"] for r in strategy)


def test_effects_against_targets(midea):
    rows = {r["指标"]: r for r in midea.effects.dicts()}
    assert rows["门店客流"]["评价"].startswith("达成目标") and rows["门店客流"]["数据次数"] == 4
    assert rows["问卷认知度"]["评价"].startswith("未达成目标，差 5%")
    assert rows["问卷认知度"]["达成率"] == pytest.approx(0.875)


def test_service_figures_are_per_brand(midea, wb):
    service = {r["类别"]: r for r in midea.service.dicts()}
    assert service["会议纪要"]["说明"] == "迟发 1 次，未发送 1 次"
    assert service["工作单"]["数值"] == 1  # the refused job sheet
    hualing = yearly_data(wb, "华凌", "2026年")
    service = {r["类别"]: r for r in hualing.service.dicts()}
    assert service["修改"]["数值"] == 0 and service["工作单"]["数值"] == 0


def test_bad_year_and_provisional_next_year(tmp_path, wb):
    with pytest.raises(UsageError):
        yearly_data(wb, "美的", "二〇二六")
    no2027 = read_workbench(write_reportbook(tmp_path / "b.xlsx", holidays=False))
    report = yearly_data(no2027, "美的", 2026)  # 2027 estimated, not refused
    lines = report.header_lines()
    assert "（暂定）" in lines[1] and lines[2].startswith("暂定：2027 年") and "calendar import" in lines[2]  # fmt: skip
    ws = load_workbook(write_yearly(report, tmp_path / report.filename)).active
    find(ws, lines[2])
    assert "暂定" not in "".join(yearly_data(wb, "美的", 2026).header_lines())


def test_written_workbook_marks_the_ams_places(midea, tmp_path):
    ws = load_workbook(write_yearly(midea, tmp_path / midea.filename)).active
    assert ws["A1"].value == "美的 2026 年年度工作总结" and "A1:J1" in merged(ws)
    for heading in ("一、前言", "二、传播策略和推广计划回顾", "三、广告创作作品", "四、全年传播活动的主要成绩与问题", "五、服务改进建议"):  # fmt: skip
        find(ws, heading)
    places = [
        c for row in ws.iter_rows() for c in row if str(c.value or "").startswith(PLACEHOLDER)
    ]
    assert len(places) == 4
    assert all(c.fill.fgColor.rgb.endswith(PLACEHOLDER_COLOR) for c in places)
    assert all(f"A{c.row}:J{c.row}" in merged(ws) for c in places)
    row, col = find(ws, "达成率")
    assert ws.cell(row + 1, col).number_format == "0.0%"
    assert ws.page_setup.orientation == "landscape" and ws.freeze_panes == "A6"


def test_cli(wb, tmp_path):
    before = sha256(wb.path)
    result = run_cli("year-end", "--book", wb.path, "--year", "2026", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert [Path(p).name for p in result.stdout.splitlines()] == [
        "20270129_美的_年度工作总结.xlsx",
        "20270129_华凌_年度工作总结.xlsx",
    ]
    assert sha256(wb.path) == before
    assert [r.brand for r in yearly_reports(wb, 2026)] == ["美的", "华凌"]


def test_cli_unknown_next_year_is_marked_provisional(tmp_path):
    book = write_reportbook(tmp_path / "无2027.xlsx", holidays=False)
    result = run_cli("year-end", "--book", book, "--year", "2026", "--out", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    ws = load_workbook(result.stdout.splitlines()[0]).active
    assert "（暂定）" in ws["A3"].value and ws["A4"].value.startswith("暂定：2027 年")


# ------------------------------------------------------------- review fixes ---
SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "sample"


def test_meetings_without_a_job_number_count_for_the_service_figures():
    """The late 5月工作例会 of 星河 (no 工作号, two brands) is counted, marked, for both brands."""
    wb = read_workbench(SAMPLE / "星河食品_AE工作台.xlsx")
    for report in yearly_reports(wb, 2026):
        service = {r["类别"]: r for r in report.service.dicts()}
        note = service["会议纪要"]["说明"]
        assert note.startswith("迟发 1 次，未发送 0 次") and "未注明品牌" in note, report.brand


def test_monthly_notes_are_a_month_by_topic_table(midea):
    assert midea.notes.headers == ["月份", "工作背景", "下月主要工作", "效果反馈"]
    october, november = midea.notes.dicts()
    assert october["月份"] == "2026-10" and november["月份"] == "2026-11"
    assert october["工作背景"] == "十月为双十一备战期，重点是主视觉与终端物料。"
    assert november["效果反馈"] is None and november["下月主要工作"] == "年终TVC拍摄。"


@pytest.mark.parametrize(
    ("typed", "topic", "cell"),
    [
        ("下月重点：季度提案。", "下月主要工作", "季度提案。"),  # the column already says it
        ("下月主要工作:季度提案", "下月主要工作", "季度提案。"),
        ("效果反馈：良好。。", "效果反馈", "良好。"),
        ("。", "工作背景", ""),  # a lone 「。」 is no note
        ("要不要加投？", "效果反馈", "要不要加投？"),
        ("背景很复杂；", "工作背景", "背景很复杂。"),  # 「背景」 without 「：」 is the AM's word
    ],
)
def test_note_cells(typed, topic, cell):
    from aexl.reports.yearend import note_text

    assert note_text(typed, topic) == cell


def test_the_source_file_is_a_property_not_a_printed_line(midea, tmp_path):
    assert not any("数据来源" in line for line in midea.header_lines())
    wb = load_workbook(write_yearly(midea, tmp_path / midea.filename))
    printed = [c.value for row in wb.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("数据来源" in v for v in printed)
    assert wb.properties.description == f"数据来源：{midea.source}"


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (["工作背景：甲。", "下月主要工作：乙"], "工作背景：甲；下月主要工作：乙。"),
        (["甲；", "乙。。"], "甲；乙。"),
        (["要不要加投？", "乙"], "要不要加投？乙。"),
        (["甲", "大获成功！"], "甲；大获成功！"),
    ],
)
def test_join_sentences(parts, joined):
    from aexl.reports.yearend import join_sentences

    assert join_sentences(parts) == joined


# ------------------------------------------------------- issue 12, point 7 ---
def _png(path: Path, color: str) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 400), color).save(path)


def _flight(no: str, day: date, sample: str, version: str) -> dict:
    return {
        "品牌": "美的", "工作号": no, "广告形式": "平面", "投放区域": "广州", "投放媒体": "南方都市报",
        "投放日期": day, "结束日期": day, "投放规格": "整版", "投放版本": version, "样稿": sample,
    }  # fmt: skip


@pytest.fixture(scope="module")
def creative(tmp_path_factory):
    """The fixture workbench with image samples in 投放: two jobs inside the folder (one of
    them placed twice), one path outside it, and a job finished only after the year."""
    from reportbook import JOBS, WEEKLY, _job

    folder = tmp_path_factory.mktemp("creative")
    _png(folder / "样稿" / "a.png", "red")
    _png(folder / "样稿" / "b.jpg", "blue")
    _png(folder.parent / "outside.png", "green")
    flights = [
        _flight("MDKT2026002", D(2026, 11, 1), "样稿/b.jpg", "主画面"),
        _flight("MDKT2026001", D(2026, 10, 8), "样稿/a.png", "A版"),
        _flight("MDKT2026001", D(2026, 10, 20), "样稿/a.png", "B版"),
        _flight("MDBX2026001", D(2026, 11, 3), "../outside.png", "X展架"),
    ]
    late = _job("MDKT2026009", "美的", "空调", "年末海报", "海报", D(2026, 12, 1), D(2027, 1, 20), "已完成")  # fmt: skip
    weekly = [*WEEKLY, {"周次": "2027-W02", "工作号": "MDKT2026009", "本周进展": "客户确认定稿"}]
    path = write_reportbook(
        folder / "AE工作台.xlsx", jobs=[*JOBS, late], placements=flights, weekly=weekly
    )
    report = yearly_data(read_workbench(path), "美的", 2026)
    return report, load_workbook(write_yearly(report, folder / report.filename))


def test_status_as_of_the_year_end(creative):
    report, _ = creative
    works = {w["工作号"]: w for w in report.works.dicts()}
    assert works["MDKT2026009"]["年末状态"] == "进行中"  # 已完成 today, delivered in 2027
    assert "已完成或客户确认 1 项、尚未完成 4 项" in report.preface.paragraphs[0]


def test_key_pieces_have_thumbnails_from_the_folder_only(creative):
    report, wb = creative
    pieces = report.pieces.dicts()
    assert [p["工作号"] for p in pieces] == ["MDKT2026001", "MDKT2026002"]  # by date, one a job
    assert pieces[0]["投放版本"] == "A版" and pieces[1]["项目名称"] == "双十一主视觉"
    ws = wb.active
    row, col = find(ws, "样稿")
    anchors = sorted(
        (i.anchor._from.row + 1, i.anchor._from.col + 1) for i in ws._images
    )  # the outside path is never opened: two thumbnails, in the 样稿 column of their rows
    assert anchors == [(row + 1, col), (row + 2, col)]
    assert all(ws.row_dimensions[r].height >= 80 for r, _ in anchors)


def test_work_chart_by_type_and_month(creative):
    report, wb = creative
    chart = report.chart
    assert sum(map(sum, chart.counts)) == 5 and chart.counts[9][chart.types.index("平面广告")] == 0
    assert chart.counts[11][chart.types.index("海报")] == 1
    ws = wb.active
    row = find(ws, "全年工作（按开单月份和工作类型）")[0] + 1
    (native,) = ws._charts
    assert native.anchor._from.row + 1 == row  # right under its heading
    assert native.grouping == "stacked" and len(native.series) == len(chart.types)
    data = wb["全年工作数据"]  # the figures, on a hidden sheet (not printed)
    assert data.sheet_state == "hidden" and data["A1"].value == "月份"
    assert [data.cell(n, 1).value for n in (2, 13)] == ["1月", "12月"]
    assert data.cell(13, 2 + chart.types.index("海报")).value == 1


def test_written_sections_in_order_and_lists_by_date(creative):
    _, wb = creative
    ws = wb.active
    order = [
        "二、传播策略和推广计划回顾", "月报备注（按月）", "三、广告创作作品",
        "重点作品（样稿取自投放表）", "全年工作（按开单月份和工作类型）", "作品清单（按开单日期）",
        "已取消的工作", "四、全年传播活动的主要成绩与问题", "五、服务改进建议",
    ]  # fmt: skip
    rows = [find(ws, heading)[0] for heading in order]
    assert rows == sorted(rows)
    works = table_after(ws, "作品清单（按开单日期）", "开单日期")
    assert [r["工作号"] for r in works][:2] == ["MDKT2026001", "MDKT2026002"]
    days = [r["开单日期"] for r in works]
    assert days == sorted(days) and "MDKT2026004" not in [r["工作号"] for r in works]
    cancelled = table_after(ws, "已取消的工作", "开单日期")
    assert [r["工作号"] for r in cancelled] == ["MDKT2026004"]
    # the yellow box of section 二 sits right under its table, before the monthly notes
    box = find(ws, PLACEHOLDER + "全年传播策略与推广计划的回顾：各阶段的目标、策略、执行与调整。")[
        0
    ]
    assert rows[0] < box < rows[1]


# ------------------------------------------------------------------ the page ---
SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "sample"


@pytest.mark.parametrize("book", ["星河食品_AE工作台.xlsx", "云帆电器_AE工作台.xlsx", "渝信银行_AE工作台.xlsx"])  # fmt: skip
def test_each_yellow_box_prints_on_the_page_of_its_section(book, tmp_path):
    """星河 2026 on the sample: section 二's box used to open page 2 alone, after a break."""
    for report in yearly_reports(read_workbench(SAMPLE / book), 2026):
        ws = load_workbook(write_yearly(report, tmp_path / report.filename)).active
        breaks = sorted(b.id for b in ws.row_breaks.brk)
        boxes = [c.row for c in ws["A"] if str(c.value or "").startswith(PLACEHOLDER)]
        assert len(boxes) == 4, report.brand
        for box in boxes:
            above = box - 1
            while ws.cell(above, 1).value is None and above > 1:  # the gap row
                above -= 1
            assert not any(above <= b < box for b in breaks), (report.brand, box, breaks)
            assert box - 1 not in breaks, (report.brand, box)  # never the first row of a page
