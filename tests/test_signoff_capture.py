"""Sign-offs captured: the next expected step, the refusal with check's message, the 校验码."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from aexl import schema
from aexl.errors import UsageError
from aexl.planning.signoff import capture_signoff, next_signoff, signoff_row
from aexl.validate import validate_workbench
from aexl.validate.integrity import CHECK_COLUMN, checksum, signoff_integrity_findings
from aexl.workbook.read import read_workbench

ROOT = Path(__file__).resolve().parent.parent
XINGHE = ROOT / "workbooks" / "sample" / "星河食品_AE工作台.xlsx"
WHEN = datetime(2026, 11, 26, 14, 30)


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    path = tmp_path_factory.mktemp("s") / XINGHE.name
    shutil.copy(XINGHE, path)
    return read_workbench(path)


@pytest.mark.parametrize(
    "jobno,expected",
    [
        ("XHTHTLS2026008", ("正稿QC", "电脑", 1)),  # 主视觉: sheet accepted, QC not begun
        ("XHFBM2026007", ("正稿QC", "CD审核", 4)),  # 手册 half-way through 正稿QC
        ("XHCQXM2026008", None),  # 命名: accepted, no artwork to QC
    ],
)
def test_next_signoff_on_the_sample(wb, jobno, expected):
    step = next_signoff(wb, jobno)
    assert (step and (step.flow, step.step, step.position)) == expected


def signoffs(*rows) -> dict:
    jobs = pd.DataFrame(
        [
            {
                "工作号": "MDKT2026001",
                "工作类型": "海报",
                "开单日期": datetime(2026, 9, 1),
                "_row": 2,
            }
        ],
        dtype=object,
    )
    sign = pd.DataFrame(
        [
            {
                "工作号": "MDKT2026001",
                "流程": f,
                "步骤": s,
                "签名": "某",
                "日期": datetime(2026, 9, d),
                "结果": r,
                "_row": n + 2,
            }  # fmt: skip
            for n, (f, s, d, r) in enumerate(rows)
        ],
        columns=[*schema.SIGNOFFS.headers, "_row"],
        dtype=object,
    )
    return {schema.JOBS.sheet: jobs, schema.SIGNOFFS.sheet: sign}


CONFIRMED = [("工作单确认", s, 2, "通过") for s in schema.SIGNOFF_CHAINS["工作单确认"]]


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([], ("工作单确认", "AE", "")),
        ([("工作单确认", "AE", 2, "通过"), ("工作单确认", "AD", 2, "通过")], ("工作单确认", "CD", "")),
        ([("工作单确认", "AE", 2, "通过"), ("工作单确认", "AD", 2, "拒单")], ("工作单确认", "AE", "上一轮已拒单/退回，从第 1 步重新签核")),
        (CONFIRMED, ("正稿QC", "电脑", "")),
        (CONFIRMED + [("正稿QC", s, 3, "通过") for s in schema.SIGNOFF_CHAINS["正稿QC"]], ("打样QC", "电脑", "")),
    ],
)  # fmt: skip
def test_next_signoff_follows_the_right_flow(rows, expected):
    step = next_signoff(signoffs(*rows), "mdkt2026001")
    assert (step.flow, step.step, step.note) == expected


def test_capture_takes_the_next_step_with_a_checksum(wb):
    row = capture_signoff(wb, "XHFBM2026007", " 宋 可 ", WHEN)
    assert {k: row[k] for k in ("工作号", "流程", "步骤", "角色", "签名", "日期", "结果")} == {
        "工作号": "XHFBM2026007",
        "流程": "正稿QC",
        "步骤": "CD审核",
        "角色": "CD",
        "签名": "宋 可",
        "日期": WHEN,
        "结果": "通过",
    }
    assert row[CHECK_COLUMN].startswith("1430-") and len(row[CHECK_COLUMN]) == 15


def test_out_of_order_is_refused_with_checks_message(wb):
    with pytest.raises(UsageError) as caught:
        capture_signoff(wb, "XHFBM2026007", "客户", WHEN, flow="正稿QC", step="客户确认")
    message = caught.value.message
    # the same words `check` gives for such a row
    frames = dict(wb.frames)
    extra = signoff_row("XHFBM2026007", "正稿QC", "客户确认", "客户", WHEN)
    extra.update(日期=WHEN.date(), _row=999)
    frames["签核"] = pd.concat([frames["签核"], pd.DataFrame([extra], dtype=object)])
    from aexl.workbook.read import Workbench

    found = [f for f in validate_workbench(Workbench(None, frames)) if f.row == 999]
    assert message in {f.message for f in found if f.code == "sign.out_of_order"}


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        (dict(flow="正稿QC", step="CD审核", result="拒单"), "退回"),  # 拒单 is for 工作单确认
        (dict(flow="正稿QC", step="AD审核"), "重复"),  # signed already this round
        (dict(result="同意"), "结果"),
    ],
)
def test_other_refusals(wb, kwargs, needle):
    with pytest.raises(UsageError, match=needle):
        capture_signoff(wb, "XHFBM2026007", "宋可", WHEN, **kwargs)


def test_nothing_left_to_sign(wb):
    with pytest.raises(UsageError, match="都已完成"):
        capture_signoff(wb, "XHCQXM2026008", "袁清", WHEN)


def test_checksum_tells_an_edited_row_from_a_captured_one(tmp_path):
    path = tmp_path / XINGHE.name
    shutil.copy(XINGHE, path)
    book = load_workbook(path)
    ws = book["签核"]
    ws.cell(1, ws.max_column + 1, CHECK_COLUMN)
    column = ws.max_column
    captured = capture_signoff(read_workbench(path), "XHFBM2026007", "宋可", WHEN)
    for edit in ({}, {"签名": "唐骏"}):
        values = {**captured, **edit}
        headers = [c.value for c in ws[1]]
        ws.append([values.get(h) for h in headers[: column - 1]] + [values[CHECK_COLUMN]])
    book.save(path)
    findings = signoff_integrity_findings(read_workbench(path))
    assert [(f.row, f.column, f.code) for f in findings] == [
        (ws.max_row, CHECK_COLUMN, "sign.edited")
    ]


@pytest.mark.parametrize(
    "change",
    [
        dict(jobno="XHFBM2026008"),
        dict(step="AD审核"),
        dict(signer="唐骏"),
        dict(when=datetime(2026, 11, 26, 14, 31)),
        dict(result="退回"),
    ],
)
def test_checksum_covers_every_field(change):
    base = dict(
        jobno="XHFBM2026007", flow="正稿QC", step="CD审核", signer="宋可", when=WHEN, result="通过"
    )
    assert checksum(**base) != checksum(**{**base, **change})
    assert checksum(**base) == checksum(**{**base, "jobno": " xhfbm2026007", "step": "cd审核"})
