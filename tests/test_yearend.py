"""年度工作总结: the five parts, the AM's yellow places, the due date in January, the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reportbook import find, merged, run_cli, sha256, write_reportbook

from aexl.errors import CalendarError, UsageError
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


def test_works_by_type(midea):
    types = {r["工作类型"]: r for r in midea.types.dicts()}
    assert types["主视觉"]["工作数量"] == 1 and types["主视觉"]["修改单（张）"] == 2
    works = midea.works.dicts()
    assert [w["工作类型"] for w in works] == ["平面广告", "终端物料", "TVC", "主视觉", "网络广告"]
    assert works[0]["客户确认日期"] == D(2026, 10, 22)
    strategy = [r["工作号"] for r in midea.strategy.dicts()]
    assert strategy == ["MDKT2026003", "MDKT2026002"]  # TVC and 主视觉 need a creative brief


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


def test_bad_year_and_unknown_next_year(tmp_path, wb):
    with pytest.raises(UsageError):
        yearly_data(wb, "美的", "二〇二六")
    no2027 = read_workbench(write_reportbook(tmp_path / "b.xlsx", holidays=False))
    with pytest.raises(CalendarError, match="2027"):
        yearly_data(no2027, "美的", 2026)


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


def test_cli_unknown_next_year_exits_2(tmp_path):
    book = write_reportbook(tmp_path / "无2027.xlsx", holidays=False)
    result = run_cli("year-end", "--book", book, "--year", "2026", "--out", tmp_path / "o")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "2027" in lines[0]


# ------------------------------------------------------------- review fixes ---
SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "sample"


def test_meetings_without_a_job_number_count_for_the_service_figures():
    """The late 5月工作例会 of 星河 (no 工作号, two brands) is counted, marked, for both brands."""
    wb = read_workbench(SAMPLE / "星河食品_AE工作台.xlsx")
    for report in yearly_reports(wb, 2026):
        service = {r["类别"]: r for r in report.service.dicts()}
        note = service["会议纪要"]["说明"]
        assert note.startswith("迟发 1 次，未发送 0 次") and "未注明品牌" in note, report.brand


def test_monthly_notes_are_joined_without_doubled_punctuation(midea):
    (october,) = [p for p in midea.notes.paragraphs if p.startswith("2026-10")]
    assert "。；" not in october and october.endswith("。")
    assert "工作背景：十月为双十一备战期，重点是主视觉与终端物料；下月主要工作：" in october
    assert all("。；" not in p and "。。" not in p for p in midea.notes.paragraphs)


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
