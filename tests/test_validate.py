"""Workbench validation: one mutation of a clean workbench → exactly the expected findings.

Every workbook is written as a real .xlsx with openpyxl and read back with
the real reader (``aexl.workbook.read.read_workbench``).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from books import NOW, chain, clean_data, holidays_2027, write_book

from aexl.findings import ERROR, WARNING
from aexl.validate import normalise_step, validate_workbench
from aexl.workbook.read import read_workbench

D, DT = date, datetime


def check(tmp_path, data, **kwargs):
    path = write_book(tmp_path / "wb.xlsx", data)
    return validate_workbench(read_workbench(path), now=kwargs.pop("now", NOW), **kwargs)


def where(findings):
    return {(f.sheet, f.row, f.column, f.code) for f in findings}


def test_clean_workbench_has_no_findings(tmp_path):
    assert check(tmp_path, clean_data()) == []


def put(sheet, index, **cells):
    def mutate(data):
        data[sheet][index].update(cells)

    return mutate


def add(sheet, **cells):
    def mutate(data):
        data[sheet].append(cells)

    return mutate


def add_rows(sheet, rows):
    def mutate(data):
        data[sheet].extend(rows)

    return mutate


def drop(sheet, index):
    def mutate(data):
        del data[sheet][index]

    return mutate


def both(*mutations):
    def mutate(data):
        for m in mutations:
            m(data)

    return mutate


REV = {"修改日期": D(2026, 11, 20), "修改内容": "再改", "执行人员": "王小明"}
SIGN = {"签名": "某人", "结果": "通过"}

H = len(holidays_2027()) + 2  # Excel row of a row added to 节假日

# (id, mutation, expected {(sheet, Excel row, column, code)}); Excel row = index + 2.
CASES = [
    # 工作单: brief fields
    ("job-blank-background", put("工作单", 0, 项目背景=None), {("工作单", 2, "项目背景", "job.required")}),
    ("job-space-only", put("工作单", 0, 广告调性="   "), {("工作单", 2, "广告调性", "job.required")}),
    ("job-no-supervisor", put("工作单", 3, 主管签名=None), {("工作单", 5, "主管签名", "job.required")}),
    ("job-other-blank", put("工作单", 0, 其他必备条件=None), {("工作单", 2, "其他必备条件", "job.say_none")}),
    ("job-material-blank", put("工作单", 2, 提供资料=None), {("工作单", 4, "提供资料", "job.say_none")}),
    ("job-print-no-spec", put("工作单", 0, 规格=None), {("工作单", 2, "规格", "job.spec_required")}),
    ("job-brochure-no-spec", put("工作单", 3, 规格=""), {("工作单", 5, "规格", "job.spec_required")}),
    ("job-strategy-no-spec", put("工作单", 2, 规格=None), set()),
    ("job-tvc-no-brief", put("工作单", 1, 创意简报="否"), {("工作单", 3, "创意简报", "job.brief_required")}),
    ("job-tvc-brief-blank", put("工作单", 1, 创意简报=None), {("工作单", 3, "创意简报", "job.brief_required")}),
    ("job-kv-no-brief", put("工作单", 2, 工作类型="主视觉"), {("工作单", 4, "创意简报", "job.brief_required")}),
    ("job-bad-type", put("工作单", 0, 工作类型="海报设计"), {("工作单", 2, "工作类型", "enum.invalid")}),
    ("job-bad-status", put("工作单", 0, 状态="完成"), {("工作单", 2, "状态", "enum.invalid")}),
    ("job-bad-brief-value", put("工作单", 1, 创意简报="Y"), {("工作单", 3, "创意简报", "enum.invalid")}),
    ("job-delivery-early", put("工作单", 3, 交付日期=D(2026, 10, 1)), {("工作单", 5, "交付日期", "job.delivery_before_open")}),
    ("job-delivery-same-day", put("工作单", 3, 交付日期=D(2026, 11, 2)), set()),
    ("job-budget-negative", put("工作单", 3, 预算=-100), {("工作单", 5, "预算", "job.budget_negative")}),
    ("job-budget-zero", put("工作单", 3, 预算=0), set()),
    ("job-budget-text", put("工作单", 3, 预算="¥12,000"), set()),
    # an unreadable cell is reported once, by the reader, not again as missing
    ("job-budget-unreadable", put("工作单", 3, 预算="很多"), {("工作单", 5, "预算", "cell.unreadable")}),
    ("job-open-unreadable", put("工作单", 3, 开单日期="下周一"), {("工作单", 5, "开单日期", "cell.unreadable")}),
    # 工作号
    ("jobno-malformed", put("工作单", 3, 工作号="MD-BX-26-2"), {("工作单", 5, "工作号", "jobno.malformed")}),
    ("jobno-short-serial", put("工作单", 3, 工作号="MDBX202602"), {("工作单", 5, "工作号", "jobno.malformed")}),
    ("jobno-duplicate", put("工作单", 3, 工作号="MDBX2026001"), {("工作单", 5, "工作号", "jobno.duplicate")}),
    ("jobno-duplicate-case", put("工作单", 3, 工作号="mdbx 2026001"), {("工作单", 5, "工作号", "jobno.duplicate")}),
    ("jobno-lowercase-ok", put("工作单", 3, 工作号="mdbx2026002"), set()),
    ("jobno-wrong-line", put("工作单", 3, 工作号="MDKT2026003"), {("工作单", 5, "工作号", "jobno.mismatch")}),
    ("jobno-wrong-year", put("工作单", 3, 开单日期=D(2025, 12, 30)), {("工作单", 5, "工作号", "jobno.mismatch")}),
    ("job-unknown-line", put("工作单", 3, 产品线="洗衣机"), {("工作单", 5, "产品线", "job.unknown_brand")}),
    ("job-unknown-brand", put("工作单", 3, 品牌="格力"), {("工作单", 5, "品牌", "job.unknown_brand")}),
    # 品牌
    ("brand-bad-code", put("品牌", 0, 品牌代码="M-D"), {("品牌", 2, "品牌代码", "brand.code_invalid")}),
    ("brand-typed-code-ok", put("品牌", 0, 产品线代码="KT"), set()),
    ("brand-duplicate", add("品牌", 客户="华韵电器", 品牌="美的", 产品线="空调"), {("品牌", 4, "产品线", "brand.duplicate")}),
    ("brand-collision", add("品牌", 客户="X", 品牌="麦迪", 产品线="空调"), {("品牌", 4, None, "brand.code_collision")}),
    ("brand-collision-fixed", add("品牌", 客户="X", 品牌="麦迪", 品牌代码="MAD", 产品线="空调"), set()),
    ("brand-blank-line", add("品牌", 客户="X", 品牌="美的"), {("品牌", 4, "产品线", "brand.required")}),
    # 修改单
    ("rev-gap", add("修改单", 原工作号="MDKT2026001", 修改序号=4, **REV), {("修改单", 5, "修改序号", "rev.seq_gap")}),
    ("rev-next-ok", add("修改单", 原工作号="MDKT2026001", 修改序号=3, **REV), set()),
    ("rev-duplicate", add("修改单", 原工作号="MDKT2026001", 修改序号=2, **REV), {("修改单", 5, "修改序号", "rev.seq_duplicate")}),
    ("rev-unknown-job", add("修改单", 原工作号="MDKT2026999", 修改序号=1, **REV), {("修改单", 5, "原工作号", "rev.unknown_job")}),
    ("rev-starts-at-2", put("修改单", 2, 修改序号=2), {("修改单", 4, "修改序号", "rev.seq_gap")}),
    ("rev-zero", put("修改单", 0, 修改序号=0), {("修改单", 2, "修改序号", "rev.seq_invalid"), ("修改单", 3, "修改序号", "rev.seq_gap")}),
    ("rev-no-number", put("修改单", 2, 修改序号=None), {("修改单", 4, "修改序号", "rev.required")}),
    ("rev-delivery-early", put("修改单", 0, 交付日期=D(2026, 11, 1)), {("修改单", 2, "交付日期", "rev.delivery_before_revision")}),
    ("rev-before-open", put("修改单", 0, 修改日期=D(2026, 10, 30)), {("修改单", 2, "修改日期", "rev.before_open")}),
    ("rev-open-same-day", put("修改单", 0, 修改日期=D(2026, 11, 2)), set()),
    ("rev-date-order", put("修改单", 1, 修改日期=D(2026, 11, 9)), {("修改单", 3, "修改日期", "rev.date_order")}),
    ("rev-same-day-ok", put("修改单", 1, 修改日期=D(2026, 11, 10)), set()),
    # 签核
    ("sign-date-order", put("签核", 5, 日期=D(2026, 11, 2)), {("签核", 7, "日期", "sign.date_order")}),
    ("sign-date-order-before-open", put("签核", 2, 日期=D(2026, 11, 1)), {("签核", 4, "日期", "sign.date_order"), ("签核", 4, "日期", "sign.before_open")}),
    ("sign-before-open", put("签核", 0, 日期=D(2026, 11, 1)), {("签核", 2, "日期", "sign.before_open")}),
    ("sign-open-date-typo", put("工作单", 0, 开单日期=D(2026, 11, 5)), {("签核", 2, "日期", "sign.before_open")}),
    ("sign-role-account-director-as-ad", put("签核", 1, 角色="客户总监"), {("签核", 3, "角色", "sign.role_mismatch")}),
    ("sign-role-copywriter-as-cd", put("签核", 11, 角色="文案"), {("签核", 13, "角色", "sign.role_mismatch")}),
    ("sign-roles-ok", both(put("签核", 0, 角色="客户总监"), put("签核", 1, 角色="美术指导"), put("签核", 14, 角色="客户品牌经理")), set()),
    ("sign-role-unknown-text-ok", put("签核", 1, 角色="小王"), set()),
    ("sign-refusal-in-qc", put("签核", 7, 结果="拒单"), {("签核", 9, "结果", "sign.result_word")}),
    ("sign-return-at-confirmation", put("签核", 16, 结果="退回"), {("签核", 18, "结果", "sign.result_word")}),
    ("sign-return-in-qc-ok", put("签核", 7, 结果="退回"), set()),
    ("sign-restart-wrong-step", put("签核", 17, 步骤="CD"), {("签核", 19, "步骤", "sign.out_of_order")}),
    ("sign-restart-without-reject", put("签核", 16, 结果="通过"), {("签核", 19, "步骤", "sign.out_of_order")}),
    ("sign-account-director-is-not-ad", put("签核", 4, 步骤="客户总监"), {("签核", 6, "步骤", "sign.unknown_step"), ("签核", 7, "步骤", "sign.out_of_order"), ("签核", 8, "流程", "sign.confirm_missing")}),
    ("sign-step-aliases", both(put("签核", 4, 步骤="copywriter"), put("签核", 2, 步骤="③ CD")), set()),
    ("sign-repeated", add("签核", 工作号="MDKT2026002", 流程="工作单确认", 步骤="AD", 日期=D(2026, 11, 5), **SIGN), {("签核", 21, "步骤", "sign.repeated")}),
    ("sign-unknown-job", add("签核", 工作号="MDKT2026999", 流程="打样QC", 步骤="电脑", 日期=D(2026, 11, 5), **SIGN), {("签核", 21, "工作号", "sign.unknown_job")}),
    ("sign-no-signature", put("签核", 0, 签名=None), {("签核", 2, "签名", "sign.required")}),
    ("sign-bad-flow", put("签核", 0, 流程="终稿QC"), {("签核", 2, "流程", "enum.invalid"), ("签核", 3, "步骤", "sign.out_of_order"), ("签核", 8, "流程", "sign.confirm_missing")}),
    # 工作单确认 before work starts (rulebook 四.2)
    ("qc-before-confirmation", add("签核", 工作号="MDKT2026002", 流程="正稿QC", 步骤="电脑", 日期=D(2026, 11, 5), **SIGN), {("签核", 21, "流程", "sign.confirm_missing")}),
    ("qc-confirmation-last-step-missing", drop("签核", 5), {("签核", 7, "流程", "sign.confirm_missing")}),
    ("qc-confirmation-completed-later", add_rows("签核", [*[dict(s, 工作号="MDKT2026002") for s in chain("X", "工作单确认", D(2026, 11, 5))[2:]], *chain("MDKT2026002", "正稿QC", D(2026, 11, 18))]), set()),
    # QC before delivery (rulebook 8, 六.3)
    ("qc-missing-print", put("工作单", 3, 状态="已完成"), {("工作单", 5, "状态", "job.qc_missing")}),
    ("qc-missing-client-confirmed", put("工作单", 1, 状态="客户确认"), {("工作单", 3, "状态", "job.qc_missing")}),
    ("qc-strategy-exempt", put("工作单", 2, 状态="已完成"), set()),
    ("qc-naming-exempt", put("工作单", 2, 工作类型="命名", 状态="已完成"), set()),
    ("qc-in-progress-ok", put("工作单", 3, 状态="修改中"), set()),
    ("qc-client-returned", put("签核", 14, 结果="退回"), {("工作单", 2, "状态", "job.qc_missing")}),
    ("qc-client-step-missing", drop("签核", 14), {("工作单", 2, "状态", "job.qc_missing")}),
    ("qc-proof-counts-for-print", both(put("工作单", 3, 状态="已完成"), add_rows("签核", [*chain("MDBX2026002", "工作单确认", D(2026, 11, 3)), *chain("MDBX2026002", "打样QC", D(2026, 11, 19))])), set()),
    ("qc-proof-not-for-tvc", both(put("工作单", 1, 状态="客户确认"), add_rows("签核", [*[dict(s, 工作号="MDKT2026002") for s in chain("X", "工作单确认", D(2026, 11, 5))[2:]], *chain("MDKT2026002", "打样QC", D(2026, 11, 18))])), {("工作单", 3, "状态", "job.qc_missing")}),
    ("sign-bad-result", put("签核", 0, 结果="OK"), {("签核", 2, "结果", "enum.invalid")}),
    # 会议 and minutes
    ("minutes-not-reviewed", put("会议", 0, 主管审阅=None), {("会议", 2, "主管审阅", "minutes.not_reviewed")}),
    ("minutes-unsigned", put("会议", 1, 客户签复=None), {("会议", 3, "客户签复", "minutes.unsigned")}),
    ("minutes-unsigned-not-yet-due", put("会议", 0, 客户签复=None), set()),
    ("minutes-unsigned-phone-call", put("会议", 1, 客户签复=None, 会议类型="电话沟通"), set()),
    ("minutes-unsigned-not-sent", put("会议", 1, 客户签复=None, 纪要发送时间=None), {("会议", 3, "纪要发送时间", "minutes.overdue")}),
    ("minutes-late", put("会议", 0, 纪要发送时间=DT(2026, 11, 27, 15, 0)), {("会议", 2, "纪要发送时间", "minutes.late")}),
    ("minutes-on-time-exactly", put("会议", 0, 纪要发送时间=DT(2026, 11, 27, 14, 30)), set()),
    ("minutes-overdue", put("会议", 0, 纪要发送时间=None), {("会议", 2, "纪要发送时间", "minutes.overdue")}),
    ("minutes-not-yet-due", put("会议", 0, 会议时间=DT(2026, 11, 30, 10, 0), 纪要发送时间=None), set()),
    ("minutes-over-national-day", put("会议", 1, 纪要发送时间=DT(2026, 10, 8, 16, 0)), {("会议", 3, "纪要发送时间", "minutes.late")}),
    ("minutes-meeting-on-holiday", put("会议", 1, 会议时间=DT(2026, 10, 3, 10, 0), 纪要发送时间=DT(2026, 10, 8, 20, 0)), set()),
    ("minutes-meeting-date-only", put("会议", 0, 会议时间=D(2026, 11, 26), 纪要发送时间=DT(2026, 11, 27, 20, 0)), set()),
    ("minutes-before-meeting", put("会议", 0, 纪要发送时间=DT(2026, 11, 25, 9, 0)), {("会议", 2, "纪要发送时间", "minutes.before_meeting")}),
    ("minutes-year-from-holiday-sheet", put("会议", 0, 会议时间=DT(2027, 3, 1, 10, 0), 纪要发送时间=DT(2027, 3, 2, 9, 0)), set()),
    ("minutes-estimated-year", put("会议", 0, 会议时间=DT(2028, 3, 1, 10, 0), 纪要发送时间=DT(2028, 3, 2, 9, 0)), {("会议", 2, "会议时间", "calendar.provisional")}),
    ("meeting-bad-type", put("会议", 0, 会议类型="例会"), {("会议", 2, "会议类型", "enum.invalid")}),
    ("meeting-unknown-job", put("会议", 0, 工作号="MDKT2026999"), {("会议", 2, "工作号", "meeting.unknown_job")}),
    # 周进度
    ("weekly-progress-150", put("周进度", 0, 完成度=150), {("周进度", 2, "完成度", "weekly.progress_range")}),
    ("weekly-progress-negative", put("周进度", 0, 完成度=-5), {("周进度", 2, "完成度", "weekly.progress_range")}),
    ("weekly-unknown-job", put("周进度", 0, 工作号="MDKT2026999"), {("周进度", 2, "工作号", "weekly.unknown_job")}),
    ("weekly-bad-week", put("周进度", 0, 周次="2026-W99"), {("周进度", 2, "周次", "cell.unreadable")}),
    ("weekly-duplicate", put("周进度", 1, 周次="2026W47"), {("周进度", 3, "工作号", "weekly.duplicate")}),
    ("weekly-bad-category", put("周进度", 0, 工作类别="设计"), {("周进度", 2, "工作类别", "enum.invalid")}),
    # 投放 / 效果 / 月报备注
    ("placement-end-early", put("投放", 0, 结束日期=D(2026, 11, 1)), {("投放", 2, "结束日期", "placement.end_before_start")}),
    ("placement-other-brand", put("投放", 0, 品牌="格力"), {("投放", 2, "品牌", "placement.unknown_brand"), ("投放", 2, "品牌", "placement.brand_mismatch")}),
    ("placement-bad-form", put("投放", 0, 广告形式="报纸"), {("投放", 2, "广告形式", "enum.invalid")}),
    ("placement-sample-missing", put("投放", 0, 样稿="样稿/海报v2.jpg"), {("投放", 2, "样稿", "placement.sample_missing")}),
    ("placement-no-sample", put("投放", 0, 样稿=None), {("投放", 2, "样稿", "placement.required")}),
    ("effect-no-value", put("效果", 0, 数值=None), {("效果", 2, "数值", "effect.required")}),
    ("effect-bad-source", put("效果", 0, 来源="朋友说"), {("效果", 2, "来源", "enum.invalid")}),
    ("effect-duplicate", add("效果", 日期=D(2026, 11, 28), 品牌="美的", 活动="双十二", 指标="门店客流", 数值=1300, 单位="人次", 来源="终端观察"), {("效果", 3, "数值", "effect.duplicate")}),
    ("notes-unknown-brand", put("月报备注", 0, 品牌="格力"), {("月报备注", 2, "品牌", "notes.unknown_brand")}),
    # 文案 (QC checklist)
    ("copy-no-slogan", put("文案", 0, 口号=None), {("文案", 2, "口号", "copy.no_slogan")}),
    ("copy-no-logo", put("文案", 0, LOGO="否"), {("文案", 2, "LOGO", "copy.no_logo")}),
    ("copy-logo-blank", put("文案", 0, LOGO=None), {("文案", 2, "LOGO", "copy.no_logo")}),
    ("copy-unknown-job", put("文案", 0, 工作号="MDKT2026999"), {("文案", 2, "工作号", "copy.unknown_job")}),
    # 节假日
    ("holiday-conflict", add("节假日", 日期=D(2027, 1, 1), 类型="调休上班"), {("节假日", H, "类型", "holiday.conflict")}),
    ("holiday-bad-kind", add("节假日", 日期=D(2027, 2, 6), 类型="补假"), {("节假日", H, "类型", "enum.invalid")}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutation", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_mutation_gives_expected_findings(tmp_path, mutation, expected):
    data = clean_data()
    mutation(data)
    findings = check(tmp_path, data)
    assert where(findings) == expected
    for f in findings:
        assert f.severity in (ERROR, WARNING)
        assert f.message and "\n" not in f.message
        assert any("\u4e00" <= c <= "\u9fff" for c in f.message)  # Chinese


def test_severities(tmp_path):
    data = clean_data()
    data["工作单"][0].update(其他必备条件=None, 项目背景=None)
    data["会议"][0].update(纪要发送时间=DT(2026, 11, 27, 15, 0))
    severity = {(f.column, f.code): f.severity for f in check(tmp_path, data)}
    assert severity == {
        ("其他必备条件", "job.say_none"): WARNING,
        ("项目背景", "job.required"): ERROR,
        ("纪要发送时间", "minutes.late"): WARNING,
    }


def test_messages_say_how_to_fix(tmp_path):
    data = clean_data()
    data["工作单"][0].update(规格=None)
    data["工作单"][3].update(工作号="MDKT2026003")
    data["会议"][0].update(纪要发送时间=None)
    data["签核"][17].update(步骤="CD")
    text = {f.code: f.message for f in check(tmp_path, data)}
    assert "海报" in text["job.spec_required"] and "A4" in text["job.spec_required"]
    assert "MDBX2026" in text["jobno.mismatch"] and "新建工作号" in text["jobno.mismatch"]
    assert "2026-11-27 14:30" in text["minutes.overdue"]
    assert "拒单" in text["sign.out_of_order"] and "AE → AD → CD" in text["sign.out_of_order"]


def test_new_rule_severities(tmp_path):
    data = clean_data()
    data["修改单"][0].update(修改日期=D(2026, 10, 30), 交付日期=D(2026, 10, 29))
    data["修改单"][2].update(修改日期=D(2026, 11, 14))
    data["修改单"].append(
        {**REV, "原工作号": "MDBX2026001", "修改序号": 2, "修改日期": D(2026, 11, 13)}
    )
    data["签核"][0].update(日期=D(2026, 11, 1))
    data["签核"][1].update(角色="客户总监")
    data["签核"].append(
        {"工作号": "MDKT2026002", "流程": "打样QC", "步骤": "电脑", **SIGN, "日期": D(2026, 11, 9)}
    )
    data["工作单"][3].update(状态="客户确认")
    data["会议"][1].update(客户签复=None)
    severity = {f.code: f.severity for f in check(tmp_path, data)}
    assert severity == {
        "rev.before_open": ERROR,
        "rev.delivery_before_revision": ERROR,
        "rev.date_order": WARNING,
        "sign.before_open": ERROR,
        "sign.role_mismatch": WARNING,
        "sign.confirm_missing": WARNING,
        "job.qc_missing": WARNING,
        "minutes.unsigned": WARNING,
    }


@pytest.mark.parametrize(
    ("mutation", "code", "words"),
    [
        (drop("签核", 14), "job.qc_missing", ["MDKT2026001", "已完成", "还缺 客户确认", "签核"]),
        (
            put("签核", 14, 结果="退回"),
            "job.qc_missing",
            ["在「客户确认」退回", "从「电脑」重新签核"],
        ),
        (
            put("工作单", 3, 状态="已完成"),
            "job.qc_missing",
            ["「正稿QC」或「打样QC」", "电脑 → 文案"],
        ),
        (put("工作单", 1, 状态="客户确认"), "job.qc_missing", ["「正稿QC」还没有签核", "修改中"]),
        (drop("签核", 5), "sign.confirm_missing", ["MDKT2026001", "正稿QC", "还缺 电脑", "接单"]),
        (put("签核", 1, 角色="客户总监"), "sign.role_mismatch", ["美术指导", "客户总监", "「AD」"]),
        (
            put("签核", 14, 角色="客户经理"),
            "sign.role_mismatch",
            ["客户方", "不能代签", "品牌经理"],
        ),
        (put("签核", 7, 结果="拒单"), "sign.result_word", ["「正稿QC」", "请填「退回」", "不接单"]),
        (put("签核", 16, 结果="退回"), "sign.result_word", ["请填「拒单」", "正稿QC/打样QC"]),
        (
            put("签核", 0, 日期=D(2026, 11, 1)),
            "sign.before_open",
            ["2026-11-01", "2026-11-02", "开单日期"],
        ),
        (
            put("修改单", 1, 修改日期=D(2026, 11, 9)),
            "rev.date_order",
            ["第 2 次", "第 1 次", "第 2 行", "2026-11-10"],
        ),
        (
            put("修改单", 0, 修改日期=D(2026, 10, 30)),
            "rev.before_open",
            ["MDKT2026001", "2026-11-02", "原工作号"],
        ),
        (
            put("会议", 1, 客户签复=None),
            "minutes.unsigned",
            ["2026-10-08 11:00", "2026-10-12", "第 3 个工作日", "客户签复"],
        ),
    ],
)
def test_new_rule_messages(tmp_path, mutation, code, words):
    data = clean_data()
    mutation(data)
    [finding] = [f for f in check(tmp_path, data) if f.code == code]
    for word in words:
        assert word in finding.message, (word, finding.message)


def test_minutes_unsigned_counts_working_days_with_make_up_days(tmp_path):
    # sent Thu 2026-10-08 after National Day; Sat 10-10 is a make-up working day,
    # so the third working day is Mon 10-12 (a weekday-only count would say 10-13)
    data = clean_data()
    data["会议"][1].update(客户签复=None)
    assert check(tmp_path, data, now=DT(2026, 10, 12, 23, 0)) == []
    assert where(check(tmp_path, data, now=DT(2026, 10, 13, 0, 1))) == {
        ("会议", 3, "客户签复", "minutes.unsigned")
    }


def test_minutes_unsigned_deadline_in_an_estimated_year(tmp_path):
    # 2027 is known from the 节假日 sheet, 2028 is not: the signature deadline of
    # minutes sent at the end of 2027 is estimated (statutory days and weekends), said once
    data = clean_data()
    data["会议"][0].update(
        会议时间=DT(2027, 12, 29, 10, 0), 纪要发送时间=DT(2027, 12, 29, 16, 0), 客户签复=None
    )
    data["会议"][1].update(
        会议时间=DT(2027, 12, 30, 10, 0), 纪要发送时间=DT(2027, 12, 30, 16, 0), 客户签复=None
    )
    findings = check(tmp_path, data, now=DT(2028, 1, 20, 9, 0))
    assert where(findings) == {
        ("会议", 2, "纪要发送时间", "calendar.provisional"),  # said once, at the first row
        ("会议", 2, "客户签复", "minutes.unsigned"),  # and still checked: both are late
        ("会议", 3, "客户签复", "minutes.unsigned"),
    }
    note = next(f for f in findings if f.code == "calendar.provisional")
    assert note.severity == "warning" and "暂定" in note.message and "2028" in note.message
    assert "aexl calendar import" in note.message


def test_minutes_in_an_estimated_year_reported_once(tmp_path):
    data = clean_data()
    data["会议"][0].update(
        会议时间=DT(2028, 3, 1, 10, 0), 纪要发送时间=DT(2028, 3, 2, 9, 0), 客户签复=None
    )
    assert where(check(tmp_path, data, now=DT(2028, 4, 1))) == {
        ("会议", 2, "会议时间", "calendar.provisional"),
        ("会议", 2, "客户签复", "minutes.unsigned"),
    }


def test_a_year_outside_any_calendar_is_an_error(tmp_path):
    data = clean_data()
    data["会议"][0].update(会议时间=DT(2101, 3, 1, 10, 0), 纪要发送时间=DT(2101, 3, 2, 9, 0))
    findings = check(tmp_path, data)
    assert where(findings) == {("会议", 2, "会议时间", "calendar.unknown_year")}
    assert "2101" in findings[0].message and "节假日" in findings[0].message


def test_qc_rules_skipped_without_signoff_sheet(tmp_path):
    data = {"品牌": clean_data()["品牌"], "工作单": clean_data()["工作单"]}
    assert check(tmp_path, data) == []


def test_jobs_without_numbers(tmp_path):
    # no usable job number at all: every reference is unknown, nothing crashes
    data = clean_data()
    for row in data["工作单"]:
        row["工作号"] = None
    codes = {f.code for f in check(tmp_path, data)}
    assert {"job.required", "rev.unknown_job", "sign.unknown_job"} <= codes
    assert not codes & {"rev.before_open", "sign.before_open", "job.qc_missing"}


def test_findings_sorted_by_sheet_row_column(tmp_path):
    data = clean_data()
    data["文案"][0].update(口号=None)
    data["工作单"][3].update(规格=None, 主管签名=None)
    data["品牌"][0].update(客户=None)
    findings = check(tmp_path, data)
    assert [(f.sheet, f.row) for f in findings] == [
        ("品牌", 2),
        ("工作单", 5),
        ("工作单", 5),
        ("文案", 2),
    ]


def test_reader_findings_are_included(tmp_path):
    data = clean_data()
    data["修改单"][0].update(修改日期="昨天")
    found = where(check(tmp_path, data))
    assert found == {("修改单", 2, "修改日期", "cell.unreadable")}


def test_sample_file_beside_the_workbook(tmp_path):
    data = clean_data()
    data["投放"][0].update(样稿="样稿/海报v2.jpg")
    (tmp_path / "样稿").mkdir()
    (tmp_path / "样稿" / "海报v2.jpg").write_bytes(b"\xff\xd8\xff")
    assert check(tmp_path, data) == []


def test_minutes_overdue_depends_on_now(tmp_path):
    data = clean_data()
    data["会议"][0].update(纪要发送时间=None)
    assert check(tmp_path, data, now=DT(2026, 11, 27, 14, 0)) == []
    assert where(check(tmp_path, data, now=DT(2026, 11, 27, 14, 31))) == {
        ("会议", 2, "纪要发送时间", "minutes.overdue")
    }


def test_holiday_sheet_moves_the_minutes_deadline(tmp_path):
    # the company declares Friday 2026-11-27 a day off: Thursday's minutes are due Monday
    data = clean_data()
    data["节假日"].append({"日期": D(2026, 11, 27), "类型": "放假", "说明": "公司调休"})
    data["会议"][0].update(纪要发送时间=DT(2026, 11, 30, 14, 0))
    assert check(tmp_path, data) == []


def test_estimated_year_reported_once_per_year(tmp_path):
    data = clean_data()
    for i in range(3):
        data["会议"].append(
            {"会议时间": DT(2029, 3, 1 + i, 10, 0), "会议类型": "提案", "主题": f"T{i}",
             "与会人员": "AE", "纪要发送时间": DT(2029, 3, 5, 10), "主管审阅": "李"}
        )  # fmt: skip
    findings = check(tmp_path, data)
    provisional = [f for f in findings if f.code == "calendar.provisional"]
    assert [(f.sheet, f.row, f.column) for f in provisional] == [("会议", 4, "会议时间")]
    assert "2029" in provisional[0].message and "暂定" in provisional[0].message


def test_missing_brand_sheet_checks_codes_by_pinyin(tmp_path):
    data = clean_data()
    del data["品牌"]
    data["工作单"][3].update(工作号="MDKT2026009")
    found = where(check(tmp_path, data))
    assert found == {
        ("品牌", None, None, "brand.sheet_empty"),
        ("工作单", 5, "工作号", "jobno.mismatch"),
    }


def test_missing_brand_sheet_name_without_pinyin(tmp_path):
    data = clean_data()
    del data["品牌"]
    data["工作单"][3].update(品牌="★★")
    assert where(check(tmp_path, data)) == {
        ("品牌", None, None, "brand.sheet_empty"),
        ("工作单", 5, "品牌", "job.unknown_brand"),
    }


def test_only_some_sheets(tmp_path):
    data = {"工作单": clean_data()["工作单"]}
    data["工作单"][0].update(项目名称=None)
    found = where(check(tmp_path, data))
    assert ("工作单", 2, "项目名称", "job.required") in found
    assert all(f[0] in ("工作单", "品牌") for f in found)


def test_empty_workbench(tmp_path):
    assert check(tmp_path, {"工作单": []}) == []


def test_copy_check_findings_included(tmp_path):
    pytest.importorskip("aexl.copycheck")
    data = clean_data()
    data["文案"][0].update(标题="全网销量第一的空调", 正文="国家级品质")
    findings = check(tmp_path, data)
    codes = {(f.row, f.column, f.code, f.severity) for f in findings}
    assert (2, "标题", "copy.adlaw_block", ERROR) in codes
    assert (2, "正文", "copy.adlaw_block", ERROR) in codes
    assert all("广告法" in f.message for f in findings)
    assert check(tmp_path, data, copy_check=False) == []


@pytest.mark.parametrize(
    ("typed", "step"),
    [
        ("COPYWRITE", "文案"),
        ("copywriter", "文案"),
        ("电脑人员", "电脑"),
        ("电脑美工", "电脑"),
        ("①AE", "AE"),
        ("3. ad 审核", "AD审核"),
        ("美术指导审核", "AD审核"),
        ("创意总监", "CD"),
        ("客户确认/签收光盘", "客户确认"),
        ("签收光盘", "客户确认"),
        ("客户总监", "客户总监"),  # the account director is not a step
    ],
)
def test_normalise_step(typed, step):
    assert normalise_step(typed) == step


# 节假日: a year known only from the sheet must look like a whole notice -----------
@pytest.mark.parametrize(
    ("holidays", "expected"),
    [
        # the one-row sheet of the review: 2027 would silently be weekdays-only
        ([{"日期": D(2027, 1, 1), "类型": "放假", "说明": "2027 年元旦"}], {2}),
        (holidays_2027(("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节")), {2}),  # no 国庆
        (holidays_2027(), set()),  # the whole notice
        ([{"日期": D(2026, 11, 27), "类型": "放假", "说明": "公司调休"}], set()),  # bundled year
        ([], set()),
    ],
    ids=["one-row", "no-national-day", "complete", "bundled-year", "empty"],
)
def test_holiday_year_from_sheet_must_be_complete(tmp_path, holidays, expected):
    data = clean_data()
    data["节假日"] = holidays
    data["会议"] = data["会议"][:1]  # keep to 2026 dates: nothing else depends on 2027
    findings = [f for f in check(tmp_path, data) if f.code == "holiday.incomplete"]
    assert {f.row for f in findings} == expected
    for f in findings:
        assert (f.sheet, f.column, f.severity) == ("节假日", "日期", WARNING)
        assert "2027" in f.message and "国务院" in f.message and "补全" in f.message


def test_incomplete_holiday_year_is_named_once_per_year(tmp_path):
    data = clean_data()
    data["节假日"] = [
        {"日期": D(2027, 1, 1), "类型": "放假"},
        {"日期": D(2027, 1, 2), "类型": "放假"},
        {"日期": D(2028, 1, 3), "类型": "放假"},
    ]
    found = [
        (f.row, f.message[:4]) for f in check(tmp_path, data) if f.code == "holiday.incomplete"
    ]
    assert found == [(2, "2027"), (4, "2028")]


# 会议: one minutes rule, the calendar's (``WorkCalendar.minutes_due``) ------------
@pytest.mark.parametrize(
    "held",
    [
        DT(2026, 11, 26, 14, 30),  # working day, with a time
        DT(2026, 11, 26, 0, 0),  # typed without a time
        DT(2026, 11, 27, 0, 0),  # Friday without a time → Monday
        DT(2026, 10, 3, 10, 0),  # on a holiday
        DT(2026, 11, 28, 0, 0),  # Saturday without a time
    ],
)
def test_minutes_deadline_is_the_calendars(tmp_path, held):
    from datetime import timedelta

    from aexl.workcal import WorkCalendar

    due = WorkCalendar().minutes_due(held)
    for sent, late in ((due, False), (due + timedelta(seconds=1), True)):
        data = clean_data()
        data["会议"] = data["会议"][:1]
        data["会议"][0].update(会议时间=held, 纪要发送时间=sent)
        codes = {f.code for f in check(tmp_path, data)}
        assert ("minutes.late" in codes) is late, (held, sent)


def test_revision_numbers_checked_per_job_in_number_order(tmp_path):
    """Rows of two jobs interleaved and out of order: each job's numbers are checked
    in number order, each finding names the row it compares with."""
    data = clean_data()
    data["修改单"] += [
        {**REV, "原工作号": "mdbx2026001", "修改序号": 4, "修改日期": D(2026, 11, 14)},  # row 5
        {**REV, "原工作号": "MDKT2026001", "修改序号": 2.0},  # row 6: the number of row 3
        {**REV, "原工作号": "MDBX2026001", "修改序号": 2, "修改日期": D(2026, 11, 12)},  # row 7
    ]
    findings = [f for f in check(tmp_path, data) if f.sheet == "修改单"]
    assert [(f.row, f.code) for f in findings] == [
        (5, "rev.seq_gap"),
        (6, "rev.seq_duplicate"),
        (7, "rev.date_order"),
    ]
    gap, duplicate, order = (f.message for f in findings)
    assert "「mdbx2026001」的修改序号跳过了 3" in gap
    assert "修改序号 2 与第 3 行重复" in duplicate
    assert "早于第 1 次（第 4 行，2026-11-13）" in order
