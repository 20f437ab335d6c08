"""The rulebook's shared rules (aexl.rules): one table of cases, run through both sides.

Each 签核 step case is written into a real workbench and read back, then given
to validation (``aexl check``) and to the monthly summary: a step the rules
read as a step of the flow is accepted by both (no finding; the job's client
signature counts), a value that is neither a step nor its number is a finding
in check and no signature in the report — never one without the other.
"""

from __future__ import annotations

from datetime import date

import pytest
from books import NOW, clean_data, write_book

from aexl import rules
from aexl.reports.monthly import monthly_data
from aexl.validate import validate_workbench
from aexl.workbook.read import read_workbench

JOB = "MDKT2026001"
CLIENT_ROW = 16  # the 正稿QC 客户确认 row of ``clean_data`` (Excel row)

# (flow, typed, the step it is read as); a step not in the flow's chain is a finding
STEP_CASES = [
    ("正稿QC", "客户签收", "客户确认"),
    ("正稿QC", "客户确认/签收光盘", "客户确认"),
    ("正稿QC", "签收光盘", "客户确认"),
    ("正稿QC", "客户确认", "客户确认"),
    ("正稿QC", 7, "客户确认"),  # the step written as its number: 7 = the 7th step
    ("正稿QC", "7", "客户确认"),
    ("正稿QC", "⑦", "客户确认"),
    ("正稿QC", "第7步", "客户确认"),
    ("正稿QC", "3", "AD审核"),
    ("正稿QC", "3. ad 审核", "AD审核"),
    ("正稿QC", "COPYWRITE", "文案"),
    ("正稿QC", "电脑人员", "电脑"),
    ("工作单确认", "copywriter", "文案"),
    ("工作单确认", "美术指导", "AD"),
    ("工作单确认", "创意总监", "CD"),
    ("工作单确认", "①AE", "AE"),
    ("正稿QC", "9", "9"),  # no 9th step: a finding, never a skip
    ("正稿QC", 0, "0"),
    ("正稿QC", "客户总监", "客户总监"),  # the account director is not a step
    ("正稿QC", "客户确认签字", "客户确认签字"),
]


@pytest.mark.parametrize(("flow", "typed", "step"), STEP_CASES)
def test_normalise_step(flow, typed, step):
    assert rules.normalise_step(typed, flow) == step
    in_chain = step in rules.schema.SIGNOFF_CHAINS[flow]
    assert (rules.step_position(flow, typed) is not None) == in_chain


def _book_with(tmp_path, flow: str, typed, step: str):
    """``clean_data`` with ``typed`` in place of the step it stands for (else of 客户确认),
    the job made non-print work so that its 正稿QC 客户确认 produces it."""
    data = clean_data()
    data["工作单"][0].update(工作类型="网络广告")
    rows = data["签核"]
    target = next(
        (
            n
            for n, r in enumerate(rows)
            if r["工作号"] == JOB and r["流程"] == flow and rules.normalise_step(r["步骤"]) == step
        ),
        CLIENT_ROW - 2,
    )
    rows[target]["步骤"] = typed
    return read_workbench(write_book(tmp_path / "wb.xlsx", data)), target + 2


@pytest.mark.parametrize(("flow", "typed", "step"), STEP_CASES)
def test_check_and_monthly_summary_read_a_step_alike(tmp_path, flow, typed, step):
    wb, row = _book_with(tmp_path, flow, typed, step)
    in_chain = step in rules.schema.SIGNOFF_CHAINS[flow]
    findings = [
        f
        for f in validate_workbench(wb, now=NOW, copy_check=False)
        if f.sheet == "签核" and f.row == row
    ]
    assert [f.code for f in findings if f.code == "sign.unknown_step"] == (
        [] if in_chain else ["sign.unknown_step"]
    )
    if in_chain:
        assert findings == []
    report = monthly_data(wb, "美的", "2026-11")
    finished = [r[0] for r in report.finished.rows]
    pending = [r[0] for r in report.pending.rows]
    assert (JOB in finished) == in_chain  # the client's signature counts only when it is one
    assert JOB not in pending or JOB not in finished


def test_customer_sign_reads_the_same_in_check_and_the_monthly_summary(tmp_path):
    """Issue 9: 「客户签收」 for 客户确认 — no finding in check, 完成的成品 in the summary."""
    wb, row = _book_with(tmp_path, "正稿QC", "客户签收", "客户确认")
    assert row == CLIENT_ROW
    assert not [f for f in validate_workbench(wb, now=NOW, copy_check=False) if f.sheet == "签核"]
    report = monthly_data(wb, "美的", "2026-11")
    assert [r[0] for r in report.finished.rows] == [JOB]
    assert JOB not in [r[0] for r in report.pending.rows]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("MDKT2026001", " mdkt 2026001 ", True),
        ("ＭＤＫＴ２０２６００１", "MDKT2026001", True),
        ("MDKT2026001", "MDKT2026002", False),
    ],
)
def test_jobno_key(a, b, same):
    assert (rules.jobno_key(a) == rules.jobno_key(b)) == same


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Ace", "ACE", True),
        ("美的", " 美的 ", True),
        ("ＡＣＥ", "ace", True),
        ("美的", "美", False),
    ],
)
def test_brand_key(a, b, same):
    assert (rules.brand_key(a) == rules.brand_key(b)) == same


@pytest.mark.parametrize(
    ("work_type", "flows"),
    [("海报", ("正稿QC", "打样QC")), ("手册", ("正稿QC", "打样QC")), ("TVC", ("正稿QC", "打样QC"))],
)
def test_production_flows(work_type, flows):
    assert rules.production_flows(work_type) == flows


@pytest.mark.parametrize(
    ("signed", "revised", "produced"),
    [
        (date(2026, 11, 19), None, True),
        (date(2026, 11, 19), date(2026, 11, 18), True),
        (date(2026, 11, 19), date(2026, 11, 20), False),  # a later revision reopens the work
        (None, None, False),
    ],
)
def test_production_confirmation(signed, revised, produced):
    job = {"工作号": JOB, "工作类型": "TVC"}
    signs = [{"工作号": JOB, "流程": "正稿QC", "步骤": "客户签收", "日期": signed, "结果": "通过"}]
    confirmed = rules.client_confirmations(signs if signed else []).get(JOB, [])
    revisions = [{"修改日期": revised}] if revised else []
    assert (rules.production_confirmation(job, confirmed, revisions) is not None) == produced


@pytest.mark.parametrize(
    ("meeting", "brands", "expected"),
    [
        ({"工作号": "MDKT2026001"}, ["美的", "小天鹅"], (["美的"], "")),
        ({"主题": "小天鹅 新品提案"}, ["美的", "小天鹅"], (["小天鹅"], "")),
        ({"主题": "工作例会"}, ["美的"], (["美的"], "")),
        ({"主题": "工作例会"}, ["美的", "小天鹅"], (["美的", "小天鹅"], rules.NO_BRAND_NOTE)),
    ],
)
def test_meeting_brands(meeting, brands, expected):
    jobs = {"MDKT2026001": {"工作号": "MDKT2026001", "品牌": "美的"}}
    assert rules.meeting_brands(meeting, jobs, brands) == expected


@pytest.mark.parametrize(
    ("status", "done", "open_"),
    [("已完成", True, False), ("客户确认", True, False), ("已取消", True, False)]
    + [("进行中", False, True), ("修改中", False, True), ("已提案", False, True)],
)
def test_statuses(status, done, open_):
    assert (status in rules.DONE_STATUSES, status in rules.OPEN_STATUSES) == (done, open_)
    assert rules.status_of({"状态": None}) == "进行中"


# ---------------------------------------------------------- sign-off chain state ---
# One job's 签核 rows of one flow, in sheet order: (step as typed, 结果); the order
# findings ``check`` gives them ({index: code}); the step ``next_signoff`` expects next
# (name, position). Each case goes through check and through next_signoff / capture.
CHAIN_JOB = "MDKT2026009"
_OK, _BACK = "通过", "退回"
CHAIN_CASES = [
    ("工作单确认", [], {}, ("AE", 1)),
    ("工作单确认", [("AE", _OK), ("AD", _OK)], {}, ("CD", 3)),
    ("工作单确认", [("AE", _OK), ("CD", _OK)], {1: "sign.out_of_order"}, ("AD", 4)),
    ("工作单确认", [("AE", _OK), ("AE", _OK)], {1: "sign.repeated"}, ("AD", 2)),
    ("工作单确认", [("AE", _OK), ("AD", "拒单")], {}, ("AE", 1)),
    ("工作单确认", [("AE", _OK), ("AD", "拒单"), ("CD", _OK)], {2: "sign.out_of_order"}, ("AD", 4)),
    ("工作单确认", [("电脑人员", _OK)], {0: "sign.out_of_order"}, ("AE", 1)),  # jumps to the end
    ("正稿QC", [(s, _OK) for s in ("电脑", "文案", "3", "CD审核")], {}, ("AE确认", 5)),
    ("正稿QC", [("电脑", _OK), ("文案", _BACK), ("AD审核", _OK)], {2: "sign.out_of_order"}, ("CD审核", 4)),
    ("正稿QC", [("电脑", _OK), ("文案", _BACK), ("电脑", _OK)], {}, ("文案", 2)),
    ("正稿QC", [("电脑", _OK), ("客户签收", _OK)], {1: "sign.out_of_order"}, ("电脑", 1)),
    ("正稿QC", [("电脑", _OK), ("COPYWRITE", _OK), ("文案", _OK)], {2: "sign.repeated"}, ("AD审核", 3)),
]  # fmt: skip


def _chain_book(tmp_path, flow: str, steps: list[tuple], extra: tuple | None = None):
    """``clean_data`` plus a 海报 job ``CHAIN_JOB`` whose ``flow`` holds ``steps`` (and
    ``extra`` after them), written as a real workbook and read back; its first 签核 row."""
    from books import job, signoff

    data = clean_data()
    data["工作单"].append(job(CHAIN_JOB, "美的", "空调"))
    day = date(2026, 11, 5)
    first = len(data["签核"]) + 2
    typed = [*steps, *([extra] if extra else [])]
    data["签核"] += [signoff(CHAIN_JOB, flow, step, day, result) for step, result in typed]
    return read_workbench(write_book(tmp_path / "chain.xlsx", data)), first


def _order_findings(wb, first: int) -> dict[int, object]:
    return {
        f.row - first: f
        for f in validate_workbench(wb, now=NOW, copy_check=False)
        if f.sheet == "签核" and f.row >= first and f.code in ("sign.out_of_order", "sign.repeated")
    }


@pytest.mark.parametrize(("flow", "steps", "findings", "expected"), CHAIN_CASES)
def test_chain_state_is_one_for_check_and_next_signoff(tmp_path, flow, steps, findings, expected):
    from aexl.chain import chain_state
    from aexl.planning.signoff import next_signoff

    wb, first = _chain_book(tmp_path, flow, steps)
    found = _order_findings(wb, first)
    assert {n: f.code for n, f in found.items()} == findings
    for n, finding in found.items():  # check's words are the chain state's
        state = chain_state(steps[:n], flow)
        assert finding.message == state.verdict(rules.normalise_step(steps[n][0], flow)).message
    state = chain_state(steps, flow)
    assert (state.next_step, state.position) == expected
    proposed = next_signoff(wb, CHAIN_JOB, flow)
    assert (proposed.flow, proposed.step, proposed.position) == (flow, *expected)
    # the step next_signoff proposes is one check accepts when it is signed
    wb, first = _chain_book(tmp_path, flow, steps, (proposed.step, _OK))
    assert len(steps) not in _order_findings(wb, first)


@pytest.mark.parametrize(("flow", "steps", "findings", "expected"), CHAIN_CASES)
def test_capture_refuses_what_check_reports_with_its_words(
    tmp_path, flow, steps, findings, expected
):
    """A step other than the expected one: capture refuses it with exactly the message
    check gives that row once it is written; the expected step is captured."""
    from datetime import datetime

    from aexl.errors import UsageError
    from aexl.planning.signoff import capture_signoff

    chain = rules.schema.SIGNOFF_CHAINS[flow]
    wrong = next(s for s in (chain[-1], chain[1]) if s != expected[0])
    wb, first = _chain_book(tmp_path, flow, steps)
    when = datetime(2026, 11, 5, 16, 0)
    row = capture_signoff(wb, CHAIN_JOB, "某人", when, flow=flow, step=expected[0])
    assert (row["流程"], row["步骤"]) == (flow, expected[0])
    with pytest.raises(UsageError) as refused:
        capture_signoff(wb, CHAIN_JOB, "某人", when, flow=flow, step=wrong)
    written, first = _chain_book(tmp_path, flow, steps, (wrong, _OK))
    reported = _order_findings(written, first)[len(steps)]
    assert refused.value.message == reported.message


@pytest.mark.parametrize(
    ("work_type", "signs", "revised", "expected"),
    [
        # print work: the client's 正稿 signature completes it (rulebook 8: 完稿或确定的打样稿)
        ("平面广告", [("正稿QC", date(2026, 10, 28))], None, ("正稿QC", date(2026, 10, 28))),
        # the proof signed later does not produce it again: the first signature did
        (
            "平面广告",
            [("正稿QC", date(2026, 10, 28)), ("打样QC", date(2026, 11, 4))],
            None,
            ("正稿QC", date(2026, 10, 28)),
        ),  # fmt: skip
        # a revision between them reopened the work: the proof produced it
        (
            "海报",
            [("正稿QC", date(2026, 10, 1)), ("打样QC", date(2026, 10, 9))],
            date(2026, 10, 5),
            ("打样QC", date(2026, 10, 9)),
        ),  # fmt: skip
        ("TVC", [("正稿QC", date(2026, 10, 1))], date(2026, 10, 5), None),
    ],
)
def test_production_confirmation_is_the_first_signature_since_the_last_revision(
    work_type, signs, revised, expected
):
    job = {"工作号": JOB, "工作类型": work_type}
    rows = [
        {"工作号": JOB, "流程": flow, "步骤": "客户确认", "日期": day, "结果": "通过", "_row": n}
        for n, (flow, day) in enumerate(signs)
    ]
    confirmed = rules.client_confirmations(rows).get(JOB, [])
    revisions = [{"修改日期": revised}] if revised else []
    done = rules.production_confirmation(job, confirmed, revisions)
    assert (done and (done["流程"], done["日期"])) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 27), "已提案"),
        (date(2026, 10, 31), "客户确认"),
        (date(2026, 11, 30), "客户确认"),
    ],
)
def test_status_as_of_a_print_job_signed_on_the_final_artwork(day, expected):
    """The status as of a day and *produced* agree: the 正稿 signature makes it 客户确认."""
    job = {"工作号": JOB, "工作类型": "平面广告", "开单日期": date(2026, 9, 30), "状态": "客户确认"}
    records = rules.JobRecords(
        signoffs=(
            {
                "工作号": JOB,
                "流程": "正稿QC",
                "步骤": "客户确认",
                "日期": date(2026, 10, 28),
                "结果": "通过",
            },  # fmt: skip
            {
                "工作号": JOB,
                "流程": "打样QC",
                "步骤": "客户确认",
                "日期": date(2026, 11, 4),
                "结果": "通过",
            },  # fmt: skip
        ),
        meetings=({"工作号": JOB, "会议类型": "提案", "会议时间": date(2026, 10, 16)},),
    )
    assert rules.status_as_of(job, records, day) == expected
