"""Printable 项目工作单: one job laid out as an A4 portrait form (rulebook 5, 三.3, 四.2).

The brief's fields in the rulebook's order (工作号, 项目及项目背景, 广告目标,
目标消费者, 广告策略, 广告调性, 其他必备条件, 工作内容及工作类型, 规格, 预算,
时间安排, 提供资料, 执行人员及主管签名), every 修改单 of the job (a revision
keeps the job number), the 工作单确认 signature boxes AE → AD → CD → AD →
文案 → 电脑 filled from the 签核 log where signed, the QC progress and a
客户签复 box.

Sign-off rounds: 拒单/退回 ends a round and the next round starts again at
step 1; the boxes show the current round, earlier rounds are listed below.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from aexl import schema
from aexl.errors import UsageError
from aexl.reports.blocks import Heading, Table, Text
from aexl.reports.registers import prepare
from aexl.rules import (
    CLIENT_STEP,
    CONFIRM_FLOW,
    ENDS_ROUND,
    QC_FLOWS,
    as_day,
    jobno_key,
    normalise_step,
    qc_flows,
    text_of,
)
from aexl.workbook.write import MONEY_FORMAT

KIND = "工作单"
SHEET = "工作单"
CIRCLED = "①②③④⑤⑥⑦⑧⑨"
FINISHED = ("已完成",)  # job states after which every QC step should be signed
PAIR, FULL = "pair", "full"
# (kind, fields): the brief in the rulebook's order
LAYOUT = (
    (PAIR, ("工作号", "状态")),
    (PAIR, ("品牌", "产品线")),
    (FULL, ("项目名称",)),
    (FULL, ("项目背景",)),
    (FULL, ("广告目标",)),
    (FULL, ("目标消费者",)),
    (FULL, ("广告策略",)),
    (FULL, ("广告调性",)),
    (FULL, ("其他必备条件",)),
    (FULL, ("工作内容",)),
    (PAIR, ("工作类型", "规格")),
    (PAIR, ("预算", "创意简报")),
    (PAIR, ("开单日期", "交付日期")),
    (FULL, ("提供资料",)),
    (PAIR, ("执行人员", "主管签名")),
)


@dataclass
class SignBox:
    step: str  # AE, AD, CD, 文案, 电脑, 客户确认 …
    label: str  # ①AE
    name: str | None = None
    day: date | None = None
    result: str | None = None
    note: str | None = None


@dataclass
class JobSheet:
    jobno: str
    client: str
    fields: dict  # brief field -> value
    revisions: Table
    chain: list[SignBox]
    client_box: SignBox
    rounds: list[str] = field(default_factory=list)  # earlier (refused) rounds
    qc: list[tuple[str, str]] = field(default_factory=list)  # (flow, progress)
    source: str = ""

    @property
    def title(self) -> str:
        return "项目工作单"

    @property
    def filename(self) -> str:
        from aexl.workbook.write import report_name

        day = as_day(self.fields.get("开单日期")) or date.today()
        return report_name(day, f"{self.jobno}-{self.fields.get('项目名称') or ''}", KIND)

    def header_lines(self) -> list[str]:
        brand = " / ".join(
            str(self.fields.get(c)) for c in ("品牌", "产品线") if self.fields.get(c)
        )
        return [f"{self.client + '　' if self.client else ''}{brand}　工作号 {self.jobno}"]

    @property
    def blocks(self) -> list:
        """The same content as plain blocks (for a live sheet)."""
        chain = Table(["步骤", "签名", "日期", "结果", "备注"])
        chain.rows = [[b.label, b.name, b.day, b.result, b.note] for b in self.chain]
        box = self.client_box
        return [
            Heading("项目工作单 brief"),
            Table(["项目", "内容"], [[k, v] for k, v in self.fields.items()]),
            Heading("修改记录（修改单）"),
            self.revisions,
            Heading("工作单确认（AE → AD → CD → AD → 文案 → 电脑）"),
            chain,
            Text(self.rounds),
            Heading("QC 签核进度"),
            Table(["流程", "进度"], [list(q) for q in self.qc]),
            Heading("客户签复"),
            Table(["签名", "日期", "流程"], [[box.name, box.day, box.note]]),
        ]


def jobsheet_data(source, jobno: str) -> JobSheet:
    """The printable job sheet of ``jobno``; UsageError when the 工作单 register lacks it."""
    regs = prepare(source)
    jobs = regs.jobs
    key = jobno_key(jobno)
    job = jobs.get(key)
    if job is None:
        near = difflib.get_close_matches(key, list(jobs), n=1)
        hint = f"，是不是「{near[0]}」？" if near else "，请检查工作号（工作单表的「工作号」列）"
        raise UsageError(
            f"「工作单」中没有工作号「{key or jobno}」{hint}",
            file=regs.path,
            sheet=schema.JOBS.sheet,
        )
    client = next(
        (
            text_of(b, "客户")
            for b in regs.brand_rows(schema.BRANDS.sheet, text_of(job, "品牌"))
            if text_of(b, "客户")
        ),
        "",
    )
    fields = {name: job.get(name) for _, names in LAYOUT for name in names}
    fields["工作号"] = key
    revisions = Table(["修改序号", "修改日期", "修改内容", "意见来源", "交付日期", "执行人员"])
    revs = regs.by_job(schema.REVISIONS.sheet, "原工作号").get(key, [])
    for r in sorted(revs, key=lambda r: (r.get("修改序号") or 0, r.get("_row") or 0)):
        revisions.rows.append([r.get(c) for c in revisions.headers])
    signs = list(regs.by_job(schema.SIGNOFFS.sheet, "工作号").get(key, []))
    signs.sort(key=lambda s: (as_day(s.get("日期")) or date.max, s.get("_row") or 0))
    sheet = JobSheet(
        jobno=key,
        client=client,
        fields=fields,
        revisions=revisions,
        chain=[],
        client_box=SignBox(CLIENT_STEP, "客户签复"),
        source=regs.name,
    )
    sheet.chain, sheet.rounds = fill_chain([s for s in signs if text_of(s, "流程") == CONFIRM_FLOW])
    for flow in QC_FLOWS:
        flow_signs = [s for s in signs if text_of(s, "流程") == flow]
        if flow not in qc_flows(text_of(job, "工作类型")) and not flow_signs:
            continue  # not a step this kind of work has (no 打样QC for a TVC)
        done, _ = fill_chain(flow_signs, flow)
        sheet.qc.append((flow, qc_state(done, text_of(job, "状态"))))
        if done[-1].name or done[-1].day:  # the client's signature closes the chain
            box = done[-1]
            sheet.client_box = SignBox(CLIENT_STEP, "客户签复", box.name, box.day, box.result, flow)
    return sheet


def qc_state(boxes: list[SignBox], job_state: str = "") -> str:
    """「已签 5/7 步，缺：AD确认、客户确认；最近：…」 — what is signed, what is missing, the
    last signature; a job already 已完成 with steps missing says to complete them."""
    signed = [b for b in boxes if b.name or b.day]
    missing = [b.step for b in boxes if not (b.name or b.day)]
    if not missing:
        state = f"已签齐 {len(boxes)} 步"
    else:
        state = f"已签 {len(signed)}/{len(boxes)} 步，缺：{'、'.join(missing)}"
        if job_state in FINISHED:
            state += f"（工作状态为「{job_state}」，请补齐签核）"
    if signed:
        last = signed[-1]
        done = f"{last.step} {last.name or ''} {last.day or ''} {last.result or ''}"
        state += f"{'；' if missing else '，'}最近：{' '.join(done.split())}"
    return state


def fill_chain(signs: list[dict], flow: str = CONFIRM_FLOW) -> tuple[list[SignBox], list[str]]:
    """Boxes of the current round of ``flow`` and a line per earlier (refused/returned) round."""
    steps = schema.SIGNOFF_CHAINS[flow]
    rounds: list[list[dict]] = [[]]
    for s in signs:
        rounds[-1].append(s)
        if text_of(s, "结果") in ENDS_ROUND:
            rounds.append([])
    earlier = []
    for n, done in enumerate(rounds[:-1], start=1):
        s = done[-1]
        note = f"（{text_of(s, '备注')}）" if text_of(s, "备注") else ""
        earlier.append(
            f"第 {n} 轮：{normalise_step(s.get('步骤'), flow)} {text_of(s, '签名')} "
            f"{as_day(s.get('日期')) or ''} {text_of(s, '结果')}{note}，重新从第 1 步签核"
        )
    boxes = [SignBox(step, f"{CIRCLED[i]}{step}") for i, step in enumerate(steps)]
    position = 0
    for s in rounds[-1]:
        step = normalise_step(s.get("步骤"), flow)
        match = next(
            (i for i in range(position, len(steps)) if steps[i] == step),
            next((i for i, b in enumerate(boxes) if b.step == step and not b.name), None),
        )
        if match is None:
            continue
        box = boxes[match]
        box.name, box.day = text_of(s, "签名") or None, as_day(s.get("日期"))
        box.result, box.note = text_of(s, "结果") or "通过", text_of(s, "备注") or None
        position = max(position, match + 1)
    return boxes, earlier


# ---------------------------------------------------------------- writing ---
COLUMNS = 12
COL_WIDTH = 8.2
BOX_LINE = "#808080"  # the form's box lines, darker than a table's


def write_jobsheet(sheet: JobSheet, path) -> Path:
    """The A4 portrait form (print area set); written atomically."""
    from aexl.reports.layout import report_book, text_height
    from aexl.workbook.write import BAND, BODY, CENTER, SUBTITLE, TITLE

    box_border = {"border": 1, "border_color": BOX_LINE}  # every cell of a merged box
    label_look = {**BODY, **box_border, **CENTER, **BAND, "bold": True}
    center_look = {**BODY, **box_border, **CENTER}
    value_look = {**BODY, **box_border, "align": "left", "valign": "vcenter", "text_wrap": True}

    book = report_book(path, f"{sheet.title} {sheet.jobno}", sheet.source, KIND)
    ws = book.sheet(SHEET)
    ws.set_widths([COL_WIDTH] * COLUMNS)
    ws.merge(1, 1, COLUMNS, sheet.title, TITLE, {"font_size": 18, "align": "center"})
    ws.set_height(1, 32)
    ws.merge(2, 1, COLUMNS, sheet.header_lines()[0], SUBTITLE, {"align": "center"})

    def cell(row, first, last, value, *, label=False, fmt=None, height=None, center=False):
        look = label_look if label else center_look if center else value_look
        ws.merge(row, first, last, value, look, number_format=fmt)
        if isinstance(value, str) and not label:
            need = text_height(value, COL_WIDTH * (last - first + 1))
            ws.set_height(row, max(ws.height(row) or 18, need, height or 0))
        elif height:
            ws.set_height(row, max(ws.height(row) or 0, height))

    row = _brief(ws, cell, sheet)
    row = _revisions(ws, cell, sheet, row)
    row = _confirmations(ws, cell, sheet, row)
    row = _qc_and_client(ws, cell, sheet, row)
    last = row - 1

    ws.print_setup(landscape=False, area=(1, 1, last, COLUMNS))  # centred on the page
    ws.ws.set_footer(footer(sheet))  # the workbench's file name stays in the properties
    return book.save()


def _brief(ws, cell, sheet: JobSheet) -> int:
    """Section 一: the brief's fields in the rulebook's order; the next free row."""
    fmt = {"预算": MONEY_FORMAT}
    row = ws.section(4, "一、项目工作单 brief", COLUMNS)
    for kind, names in LAYOUT:
        ws.set_height(row, 20)
        if kind == PAIR:
            for n, name in enumerate(names):
                cell(row, 1 + 6 * n, 2 + 6 * n, name, label=True)
                cell(row, 3 + 6 * n, 6 + 6 * n, sheet.fields.get(name), fmt=fmt.get(name))
        else:
            value = sheet.fields.get(names[0])
            cell(row, 1, 2, names[0], label=True)
            cell(row, 3, COLUMNS, value, height=36 if names[0] == "项目背景" else None)
        row += 1
    return row


def _revisions(ws, cell, sheet: JobSheet, row: int) -> int:
    """Section 二: the 修改单 of the job; the last row written."""
    row = ws.section(row + 1, "二、修改记录（修改单，沿用原工作号）", COLUMNS)
    spans = ((1, 1), (2, 3), (4, 6), (7, 8), (9, 10), (11, 12))  # 执行人员 gets two columns
    for (a, b), header in zip(spans, sheet.revisions.headers, strict=True):
        cell(row, a, b, header.replace("修改序号", "序号"), label=True)
    for values in sheet.revisions.rows or [["（无修改）"] + [None] * 5]:
        row += 1
        for (a, b), value in zip(spans, values, strict=True):
            cell(row, a, b, value, center=a == 1)
    return row


def _confirmations(ws, cell, sheet: JobSheet, row: int) -> int:
    """Section 三: the 工作单确认 boxes and earlier rounds; the next free row."""
    from aexl.workbook.write import SUBTITLE

    row = ws.section(row + 2, "三、工作单确认（签名即表示接单；资料不足请拒单）", COLUMNS)
    for n, box in enumerate(sheet.chain):
        a = 1 + 2 * n
        cell(row, a, a + 1, box.label, label=True)
        cell(row + 1, a, a + 1, box.name, center=True, height=36)
        cell(row + 2, a, a + 1, box.day, center=True)
        cell(row + 3, a, a + 1, box.result, center=True)
    row += 4
    for line in sheet.rounds:
        ws.merge(row, 1, COLUMNS, line, SUBTITLE)
        row += 1
    return row


def _qc_and_client(ws, cell, sheet: JobSheet, row: int) -> int:
    """Sections 四 and 五: QC progress and the 客户签复 box; the next free row."""
    from aexl.workbook.write import SUBTITLE

    row = ws.section(row + 1, "四、QC 签核进度", COLUMNS)
    for flow, state in sheet.qc:
        cell(row, 1, 2, flow, label=True)
        cell(row, 3, COLUMNS, state)
        row += 1
    row = ws.section(row + 1, "五、客户签复", COLUMNS)
    box = sheet.client_box
    cell(row, 1, 2, "客户签名", label=True)
    cell(row, 3, 6, box.name, center=True, height=40)
    cell(row, 7, 8, "日期", label=True)
    cell(row, 9, COLUMNS, box.day, center=True)
    row += 1
    if box.note:
        ws.put(row, 1, f"（{box.note} 客户确认）", SUBTITLE)
        row += 1
    return row


def footer(sheet: JobSheet) -> str:
    """The page footer: 工作号 and project on the left, page numbers in the centre."""
    project = " ".join(str(sheet.fields.get("项目名称") or "").split())[:60]
    left = f"工作号 {sheet.jobno}" + (f"　{project}" if project else "")
    return f"&L{left.replace('&', '&&')}&C第 &P 页，共 &N 页"
