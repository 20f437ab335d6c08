"""月度工作总结: the five parts over the fixture workbench, the workbook with native charts, the CLI."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reportbook import (
    find,
    headline_counts,
    merged,
    row_values,
    run_cli,
    sample_books,
    sha256,
    table_after,
    write_reportbook,
)

from aexl.reports.blocks import PLACEHOLDER, PLACEHOLDER_COLOR
from aexl.reports.monthly import month_weeks, monthly_data, monthly_reports, write_monthly
from aexl.rules import JobRecords, status_as_of
from aexl.workbook.read import read_workbench

D, DT = date, datetime


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    return read_workbench(write_reportbook(tmp_path_factory.mktemp("mo") / "AE工作台.xlsx"))


@pytest.fixture(scope="module")
def midea(wb):
    return monthly_data(wb, "美的", "2026-10")


@pytest.fixture(scope="module")
def hualing(wb):
    return monthly_data(wb, "华凌", "2026年10月")


@pytest.mark.parametrize(
    ("month", "finish", "send"),
    [
        ("2026-10", D(2026, 11, 10), D(2026, 11, 13)),  # 15th is a Sunday
        ("2026-09", D(2026, 10, 10), D(2026, 10, 15)),  # 10th is a make-up Saturday
        ("2026-01", D(2026, 2, 10), D(2026, 2, 14)),  # 15th off (春节), 14th make-up
    ],
)
def test_finish_and_send_dates(wb, month, finish, send):
    r = monthly_data(wb, "美的", month)
    assert (r.finish, r.send) == (finish, send)
    assert finish.isoformat() in r.header_lines()[1] and send.isoformat() in r.header_lines()[2]


def test_weeks_of_a_month_follow_the_thursday():
    assert month_weeks(D(2026, 10, 1), D(2026, 10, 31)) == [f"2026-W{n}" for n in range(40, 45)]
    assert month_weeks(D(2026, 11, 1), D(2026, 11, 30))[0] == "2026-W45"


def test_background_and_next_month_from_the_notes(midea, hualing):
    assert midea.background.paragraphs == ["十月为双十一备战期，重点是主视觉与终端物料。"]
    assert not midea.background.placeholder
    assert midea.next_month.paragraphs == ["+双十一投放监测与效果追踪"]
    plans = midea.next_plans.dicts()
    assert [(p["工作号"], p["下周计划"]) for p in plans] == [("MDKT2026001", "归档光盘"), ("MDKT2026002", "准备再提案")]  # fmt: skip
    assert hualing.background.paragraphs == [] and hualing.background.placeholder
    assert hualing.feedback.placeholder


def test_work_of_the_month(midea):
    rows = {r["工作号"]: r for r in midea.work.dicts()}
    # MDKT2026003 was opened in November: not in October's summary
    assert list(rows) == ["MDKT2026001", "MDKT2026002", "MDBX2026001", "MDKT2026004"]
    assert rows["MDKT2026002"]["完成度"] == 60 and "财务情况" not in rows["MDKT2026002"]
    assert "W44：按提案意见修改主画面" in rows["MDKT2026002"]["本月进展"]
    assert "修改单第 1 次：主画面改为暖色调" in rows["MDKT2026002"]["本月进展"]
    assert rows["MDKT2026004"]["月末状态"] == "已取消"


def test_effects_table_and_chart_specs(midea):
    rows = midea.effects.dicts()
    assert [r["日期"] for r in rows] == [D(2026, 10, 5), D(2026, 10, 19), D(2026, 10, 26), D(2026, 10, 31)]  # fmt: skip
    assert rows[2]["达成率"] == pytest.approx(1.05)
    specs = midea.charts.specs
    assert [s.metric for s in specs] == ["门店客流", "问卷认知度"]
    assert specs[0].dates[0] == D(2026, 10, 5)  # the month, beside the month's table
    assert all(D(2026, 10, 1) <= d <= D(2026, 10, 31) for s in specs for d in s.dates)
    assert midea.feedback.paragraphs == ["门店客流稳步上升，10 月底已超过目标。"]


def test_work_done_in_the_month(midea, hualing):
    proposals = midea.proposals.dicts()
    assert [(p["类型"], p["日期"]) for p in proposals] == [("提案", DT(2026, 10, 20, 14, 30)), ("再提案", DT(2026, 10, 27, 10, 0))]  # fmt: skip
    finished = midea.finished.dicts()
    assert [(f["工作号"], f["确认流程"], f["客户确认日期"]) for f in finished] == [("MDKT2026001", "正稿QC", D(2026, 10, 15))]  # fmt: skip
    pending = midea.pending.dicts()
    assert [p["工作号"] for p in pending] == ["MDKT2026002"]
    assert pending[0]["修改次数"] == 1  # the November revision did not exist yet
    assert pending[0]["最近签核"] == "工作单确认·AD 2026-10-10"
    # a naming job confirmed by the client is finished work, not a design awaiting production
    assert [f["工作号"] for f in hualing.finished.dicts()] == ["HLKT2026001"]
    assert hualing.pending.rows == []


def test_job_at_proposed_status_counts_as_a_proposal(wb):
    nov = monthly_data(wb, "美的", "2026-11")
    kinds = {p["工作号"]: p["类型"] for p in nov.proposals.dicts()}
    assert kinds == {"MDKT2026003": "提案"}
    assert "MDKT2026003" in [p["工作号"] for p in nov.pending.dicts()]


def test_written_workbook(midea, hualing, tmp_path):
    path = write_monthly(midea, tmp_path / midea.filename)
    assert path.name == "20261110_美的_月度工作总结.xlsx"
    ws = load_workbook(path).active
    assert ws["A1"].value == "美的 月度工作总结" and "A1:I1" in merged(ws)
    for heading in ("一、工作背景", "二、本月主要工作明细", "三、下月主要工作", "四、广告效果的反馈情况", "五、当月完成工作情况"):  # fmt: skip
        find(ws, heading)
    assert len(ws._charts) == 2
    row, col = find(ws, "+双十一投放监测与效果追踪")
    assert ws.cell(row, col).data_type == "s"
    head, _ = find(ws, "本月进展")
    assert row_values(ws, head)[:4] == ["工作号", "项目名称", "工作类型", "月末状态"]
    assert ws.cell(head + 1, 7).number_format == "yyyy-mm-dd"
    rate, col = find(ws, "达成率")
    assert ws.cell(rate + 1, col).number_format == "0.0%"
    assert ws.freeze_panes == "A7"  # below the title and header lines
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1)

    ws = load_workbook(write_monthly(hualing, tmp_path / hualing.filename)).active
    notes = [c for row in ws.iter_rows() for c in row if str(c.value or "").startswith(PLACEHOLDER)]
    assert len(notes) == 3  # 工作背景, 下月主要工作, 效果反馈
    assert all(c.fill.fgColor.rgb.endswith(PLACEHOLDER_COLOR) for c in notes)


def test_reports_for_every_brand(wb):
    assert [r.brand for r in monthly_reports(wb, "2026-10")] == ["美的", "华凌"]


def test_cli(wb, tmp_path):
    book = wb.path
    before = sha256(book)
    result = run_cli("monthly", "--book", book, "--month", "2026-10", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    names = [Path(p).name for p in result.stdout.splitlines()]
    assert names == ["20261110_美的_月度工作总结.xlsx", "20261110_华凌_月度工作总结.xlsx"]
    assert sha256(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_unknown_next_year_is_marked_provisional(tmp_path):
    book = write_reportbook(tmp_path / "无2027.xlsx", holidays=False)
    report = monthly_data(read_workbench(book), "美的", "2026-12")  # due in January 2027
    lines = report.header_lines()
    assert "（暂定）" in lines[1] and "（暂定）" in lines[2]
    assert lines[3].startswith("暂定：2027 年") and "节假日" in lines[3]
    known = monthly_data(read_workbench(book), "美的", "2026-10")
    assert not known.provisional and "暂定" not in "".join(known.header_lines())
    result = run_cli("monthly", "--book", book, "--month", "2026-11", "--out", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    ws = load_workbook(result.stdout.splitlines()[0]).active
    assert not str(ws["A5"].value).startswith("暂定")  # November's report is due in December
    result = run_cli("monthly", "--book", book, "--month", "2026-12", "--brand", "美的", "--out", tmp_path / "o")  # fmt: skip
    assert result.returncode == 0, result.stderr
    ws = load_workbook(result.stdout.splitlines()[0]).active
    assert "（暂定）" in ws["A3"].value and ws["A5"].value.startswith("暂定：2027 年")


# ------------------------------------------------------------- review fixes ---
SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "sample"


@pytest.fixture(scope="module")
def xinghe():
    return read_workbench(SAMPLE / "星河食品_AE工作台.xlsx")


def test_finished_and_not_yet_produced_never_overlap(xinghe):
    """One rule for 「完成的成品」 and 「未出正品的设计」 (rules.production_confirmation)."""
    october = {r.brand: r for r in monthly_reports(xinghe, "2026-10")}["星河"]
    finished = {r["工作号"]: r for r in october.finished.dicts()}
    pending = {r["工作号"] for r in october.pending.dicts()}
    # 平面广告: the client signed the final artwork on 10-28 (rulebook 8: 完稿或确定的打样稿)
    assert "XHCQXM2026006" not in pending
    assert finished["XHCQXM2026006"]["确认流程"] == "正稿QC"
    assert finished["XHCQXM2026006"]["状态"] == "客户确认"
    assert "XHFBM2026003" not in pending
    november = {r.brand: r for r in monthly_reports(xinghe, "2026-11")}["星河"]
    # the proof signed on 11-04 does not produce it a second time
    assert "XHCQXM2026006" not in {r["工作号"] for r in november.finished.dicts()}
    assert "XHCQXM2026006" not in {r["工作号"] for r in november.pending.dicts()}


@pytest.mark.parametrize("book", sorted(p.name for p in SAMPLE.glob("*_AE工作台.xlsx")))
def test_no_job_is_both_finished_and_pending_in_any_month(book):
    wb = read_workbench(SAMPLE / book)
    for month in [f"2026-{m:02d}" for m in range(1, 12)]:
        for r in monthly_reports(wb, month):
            finished = {row[0] for row in r.finished.rows}
            pending = {row[0] for row in r.pending.rows}
            assert not finished & pending, (book, month, r.brand)


def test_a_revision_after_the_client_signed_reopens_the_work(wb):
    frames = dict(wb.frames)
    import pandas as pd

    extra = {"原工作号": "MDKT2026001", "修改序号": 2, "修改日期": D(2026, 10, 26)}
    extra.update({"修改内容": "改价格", "意见来源": "客户", "交付日期": D(2026, 11, 2)})
    frames["修改单"] = pd.concat(
        [frames["修改单"], pd.DataFrame([extra], dtype=object)], ignore_index=True
    )
    report = monthly_data(frames, "美的", "2026-10", wb.calendar())
    assert "MDKT2026001" not in [r["工作号"] for r in report.finished.dicts()]


def test_chart_tables_have_titles_and_the_source_is_not_printed(midea, tmp_path):
    ws = load_workbook(write_monthly(midea, tmp_path / midea.filename)).active
    for spec in midea.charts.specs:
        row, col = find(ws, spec.title)
        assert col == 1
        below = [ws.cell(r, 1).value for r in (row + 1, row + 2)]
        assert "日期" in below  # the chart's data table follows its title
    printed = [c.value for line in ws.iter_rows() for c in line if isinstance(c.value, str)]
    assert not any("数据来源" in v for v in printed)
    assert not any("数据来源" in line for line in midea.header_lines())
    props = load_workbook(tmp_path / midea.filename).properties
    assert props.description == f"数据来源：{midea.source}" and props.subject == "月度工作总结"


def test_a_proposal_meeting_without_a_job_number_is_listed(wb):
    import pandas as pd

    frames = dict(wb.frames)
    meeting = {"会议时间": DT(2026, 10, 23, 10, 0), "会议类型": "提案", "主题": "美的年度策略提案"}
    meeting.update({"与会人员": "客户市场部、张三", "纪要发送时间": DT(2026, 10, 23, 18, 0)})
    frames["会议"] = pd.concat(
        [frames["会议"], pd.DataFrame([meeting], dtype=object)], ignore_index=True
    )
    midea = monthly_data(frames, "美的", "2026-10", wb.calendar())
    topics = [p["主题"] for p in midea.proposals.dicts()]
    assert "美的年度策略提案" in topics
    hualing = monthly_data(frames, "华凌", "2026-10", wb.calendar())
    assert "美的年度策略提案" not in [p["主题"] for p in hualing.proposals.dicts()]


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        ("monthly", ["--month", "2026-13"], "--month 月份写法有误：无法识别月份「2026-13」，应写成 2026-10"),
        ("charts", ["--month", "2026-13"], "--month 月份写法有误：无法识别月份「2026-13」，应写成 2026-10"),
        ("placements", ["--month", "2026-13"], "--month 月份写法有误：无法识别月份「2026-13」，应写成 2026-10"),
        ("weekly", ["--week", "2026-W60"], "--week 周次写法有误：2026 年没有第 60 周（共 53 周），应写成 2026-W47"),
    ],
)  # fmt: skip
def test_a_bad_period_reads_the_same_in_every_command(wb, tmp_path, command, args, message):
    result = run_cli(command, "--book", wb.path, *args, "--out", tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"aexl: {message}"


# --------------------------------------------------- status as of the month end ---
def _week(no, week, progress="进展", plan="计划"):
    return {"工作号": no, "周次": week, "本周进展": progress, "下周计划": plan, "_row": 2}


def _client_sign(no, flow, day):
    return {"工作号": no, "流程": flow, "步骤": "客户确认", "结果": "通过", "日期": day, "_row": 3}


JOB = {"工作号": "J1", "工作类型": "TVC", "开单日期": D(2026, 10, 5), "交付日期": D(2026, 11, 20)}
LATER_DONE = JobRecords(
    weekly=(_week("J1", "2026-W44"), _week("J1", "2026-W46", "客户确认成片")),
    signoffs=(_client_sign("J1", "正稿QC", D(2026, 11, 12)),),
    meetings=({"工作号": "J1", "会议类型": "提案", "会议时间": DT(2026, 10, 20, 10)},),
    revisions=({"原工作号": "J1", "修改序号": 1, "修改日期": D(2026, 10, 27)},),
)
CANCELLED_W45 = JobRecords(
    weekly=(_week("J1", "2026-W44"), _week("J1", "2026-W45", "客户取消该项目"))
)


@pytest.mark.parametrize(
    ("status", "records", "day", "expected"),
    [
        ("已完成", LATER_DONE, D(2026, 10, 4), None),  # not opened yet
        ("已完成", LATER_DONE, D(2026, 10, 10), "进行中"),
        ("已完成", LATER_DONE, D(2026, 10, 21), "已提案"),
        ("已完成", LATER_DONE, D(2026, 10, 31), "修改中"),  # revision after the proposal
        ("已完成", LATER_DONE, D(2026, 11, 13), "客户确认"),  # signed, not yet delivered
        ("已完成", LATER_DONE, D(2026, 11, 30), "已完成"),
        ("已取消", CANCELLED_W45, D(2026, 10, 31), "进行中"),  # cancelled in W45 (Thu 11-05)
        ("已取消", CANCELLED_W45, D(2026, 11, 30), "已取消"),
        ("进行中", JobRecords(weekly=(_week("J1", "2026-W44"),)), D(2026, 10, 31), "进行中"),
        ("已提案", JobRecords(), D(2026, 10, 31), "已提案"),  # nothing dated later: as today
    ],
)
def test_status_as_of_the_day(status, records, day, expected):
    assert status_as_of({**JOB, "状态": status}, records, day) == expected


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return [read_workbench(p) for p in sample_books(tmp_path_factory.mktemp("samples"))]


MONTHLY_TABLES = {  # headline label → (heading of its table, how its rows are counted)
    "本月工作": ("二、本月主要工作明细", None),
    "其中已取消": ("二、本月主要工作明细", "已取消"),
    "提案": ("（一）当月提案", None),
    "完成成品": ("（二）完成的成品（客户签字确认）", None),
    "未出正品的设计": ("（三）未出正品的设计", None),
}


def test_every_headline_equals_its_table_in_the_sample_summaries(samples, tmp_path):
    checked = 0
    for wb in samples:
        for month in ("2026-09", "2026-10", "2026-11"):
            for report in monthly_reports(wb, month):
                ws = load_workbook(write_monthly(report, tmp_path / report.filename)).active
                counts = headline_counts(ws, "本月工作")
                assert set(counts) == set(MONTHLY_TABLES)
                for label, (heading, status) in MONTHLY_TABLES.items():
                    rows = table_after(ws, heading)
                    if status:
                        rows = [r for r in rows if r["月末状态"] == status]
                    assert counts[label] == len(rows), (wb.name, month, report.brand, label)
                for row in table_after(ws, "二、本月主要工作明细"):
                    if row["月末状态"] == "已取消":  # no plan
                        plans = table_after(ws, "本月最后一周的下周计划")
                        assert row["工作号"] not in [p["工作号"] for p in plans]
                checked += 1
    assert checked >= 6


def test_a_job_finished_later_reads_as_it_was_at_the_month_end(samples):
    """A job done in November is not 已完成 in October's summary; one cancelled in November
    is not cancelled in October."""
    seen = set()
    for wb in samples:
        jobs = wb.frame("工作单")
        later = dict(zip(jobs["工作号"], jobs["状态"], strict=True))
        for report in monthly_reports(wb, "2026-10"):
            for row in report.work.dicts():
                if later[row["工作号"]] in ("已完成", "已取消") and row["完成度"] not in (
                    None,
                    100,
                ):
                    assert row["月末状态"] not in ("已完成", "已取消"), row
                    seen.add(later[row["工作号"]])
    assert seen


def _client_signed(wb, start: D, end: D) -> set[str]:
    """Jobs with a passed 客户确认 signature of a QC flow dated in [start, end]."""
    from aexl.rules import as_day, client_confirmations

    signs = wb.frame("签核").to_dict("records")
    return {
        no
        for no, rows in client_confirmations(signs).items()
        if any(start <= (as_day(r.get("日期")) or D.min) <= end for r in rows)
    }


def test_finished_jobs_are_produced_and_pending_ones_unsigned_in_the_written_sample(
    samples, tmp_path
):
    """「完成的成品」 rows read a produced status; no 「未出正品的设计」 row has a client
    signature in the month (status_as_of and production_confirmation are one rule)."""
    months = {"2026-09": (D(2026, 9, 1), D(2026, 9, 30)), "2026-10": (D(2026, 10, 1), D(2026, 10, 31))}  # fmt: skip
    months["2026-11"] = (D(2026, 11, 1), D(2026, 11, 30))
    finished = 0
    for wb in samples:
        for month, (start, end) in months.items():
            signed = _client_signed(wb, start, end)
            for report in monthly_reports(wb, month):
                ws = load_workbook(write_monthly(report, tmp_path / report.filename)).active
                done = table_after(ws, "（二）完成的成品（客户签字确认）")
                assert all(r["状态"] in ("已完成", "客户确认") for r in done), (month, done)
                pending = table_after(ws, "（三）未出正品的设计")
                assert not {r["工作号"] for r in pending} & signed, (month, report.brand)
                finished += len(done)
    assert finished >= 5


def test_the_client_copy_has_no_finance_and_job_numbers_fit_on_one_line(samples, tmp_path):
    """The monthly summary goes to the client: no 财务情况 column, no budget or payment
    words anywhere; column A holds a 14-letter job number on one printed line."""
    for wb in samples:
        for report in monthly_reports(wb, "2026-10"):
            ws = load_workbook(write_monthly(report, tmp_path / report.filename)).active
            text = [c.value for line in ws.iter_rows() for c in line if isinstance(c.value, str)]
            assert not any(w in t for t in text for w in ("财务", "回款", "开票", "预算")), (
                report.brand
            )
            numbers = [r["工作号"] for r in table_after(ws, "二、本月主要工作明细")]
            widest = max(len(n) * 1.3 for n in numbers)  # layout's print width of Latin text
            assert ws.column_dimensions["A"].width >= widest, (report.brand, numbers)


def _axes(ws) -> dict[str, tuple]:
    """Chart title → (axis min, axis max) of the native charts on ``ws``."""
    out = {}
    for chart in ws._charts:
        title = "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or ()))
        out[title] = (chart.y_axis.scaling.min, chart.y_axis.scaling.max)
    return out


def test_effect_charts_plot_the_month_on_the_charts_book_axis(samples, tmp_path):
    """Section 四's charts draw the month's figures only, on the same axis as the month's
    效果追踪图表 workbook gives the same metric."""
    from aexl.reports.charts import chart_specs, write_chart_workbook

    drawn = 0
    for wb in samples:
        for report in monthly_reports(wb, "2026-10"):
            ws = load_workbook(write_monthly(report, tmp_path / report.filename)).active
            for spec in report.charts.specs:
                row, _ = find(ws, spec.title)
                while ws.cell(row, 1).value != "日期":
                    row += 1
                days = []
                while isinstance(ws.cell(row + 1, 1).value, DT):
                    days.append(ws.cell(row + 1, 1).value.date())
                    row += 1
                assert days and all(D(2026, 10, 1) <= d <= D(2026, 10, 31) for d in days)
            specs = chart_specs(wb.frame("效果"), report.brand, D(2026, 10, 1), D(2026, 10, 31))
            book = write_chart_workbook(specs, tmp_path / f"c_{report.brand}.xlsx")
            in_book = _axes(load_workbook(book).active)
            for title, axis in _axes(ws).items():
                assert in_book[title] == axis, (report.brand, title)
                drawn += 1
    assert drawn >= 3
