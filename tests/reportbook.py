"""A small, deterministic AE workbench for the report tests (weekly, monthly, year-end, job sheet).

Two brands (美的 with 空调 and 冰箱, 华凌 with 空调), jobs in every status,
revisions, a 工作单确认 chain with a refusal, QC client sign-offs, weekly
progress for 2026-W44 and W47, meetings with minutes on time / late / not
sent, effect figures and the AM's notes for 2026-10. Some cells are typed
the way people type them (``¥12,000``, ``2026/10/20``, ``60%``) and some user
text starts with ``=``, ``+``, ``-`` or ``@``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from aexl import schema

D, DT = date, datetime
FORMULA_TEXT = "=SUM(A1:A3) 物料打样中"  # must come back as text, never a formula

BRANDS = [
    {"客户": "华韵电器股份有限公司", "品牌": "美的", "产品线": "空调"},
    {"客户": "华韵电器股份有限公司", "品牌": "美的", "产品线": "冰箱"},
    {"客户": "华韵电器股份有限公司", "品牌": "华凌", "产品线": "空调"},
]


def _job(no, brand, line, name, kind, opened, due, status, **extra):
    row = {
        "工作号": no, "品牌": brand, "产品线": line, "项目名称": name,
        "项目背景": f"{name}：配合渠道促销，提升终端销量。", "广告目标": "提升品牌认知与门店客流",
        "目标消费者": "25–40 岁城市家庭", "广告策略": "以省电为核心利益点", "广告调性": "温暖、可信",
        "其他必备条件": "无", "工作内容": f"{name}全套设计", "工作类型": kind, "规格": "",
        "预算": 12000, "开单日期": opened, "交付日期": due, "提供资料": "产品资料包",
        "执行人员": "张三", "主管签名": "王经理", "创意简报": "否", "状态": status,
    }  # fmt: skip
    row.update(extra)
    return row


JOBS = [
    _job(
        "MDKT2026001",
        "美的",
        "空调",
        "酷省电夏季促销",
        "平面广告",
        "2026/09/01",
        D(2026, 10, 20),
        "已完成",
        规格="A4 210×285mm",
        预算="¥12,000",
    ),  # fmt: skip
    _job(
        "MDKT2026002",
        "美的",
        "空调",
        "双十一主视觉",
        "主视觉",
        D(2026, 10, 9),
        D(2026, 11, 10),
        "修改中",
        创意简报="是",
        预算="1.5万",
    ),  # fmt: skip
    _job(
        "MDBX2026001",
        "美的",
        "冰箱",
        "冰箱终端物料",
        "终端物料",
        D(2026, 10, 12),
        D(2026, 11, 13),
        "进行中",
        规格="门店 X 展架 80×180cm",
        其他必备条件="-须用新版LOGO",
    ),  # fmt: skip
    _job(
        "MDKT2026003",
        "美的",
        "空调",
        "年终TVC",
        "TVC",
        D(2026, 11, 2),
        D(2026, 12, 20),
        "已提案",
        创意简报="是",
        预算=300000,
    ),  # fmt: skip
    _job(
        "HLKT2026001",
        "华凌",
        "空调",
        "华凌新风空调命名",
        "命名",
        D(2026, 10, 8),
        D(2026, 10, 30),
        "客户确认",
        执行人员="李四",
    ),  # fmt: skip
    _job(
        "MDKT2026004",
        "美的",
        "空调",
        "已取消网络横幅",
        "网络广告",
        D(2026, 10, 15),
        D(2026, 10, 31),
        "已取消",
    ),  # fmt: skip
]

REVISIONS = [
    {
        "原工作号": "MDKT2026002",
        "修改序号": 1,
        "修改日期": D(2026, 10, 28),
        "修改内容": "主画面改为暖色调",
        "意见来源": "提案会",
        "交付日期": D(2026, 11, 5),
        "执行人员": "张三",
    },  # fmt: skip
    {
        "原工作号": "MDKT2026002",
        "修改序号": 2,
        "修改日期": D(2026, 11, 17),
        "修改内容": "@品牌经理：标题字号加大",
        "意见来源": "客户品牌经理",
        "交付日期": D(2026, 11, 25),
        "执行人员": "张三",
    },  # fmt: skip
    {
        "原工作号": "MDKT2026001",
        "修改序号": 1,
        "修改日期": D(2026, 10, 10),
        "修改内容": "价格改为 2999 元",
        "意见来源": "客户市场部",
        "交付日期": D(2026, 10, 12),
        "执行人员": "张三",
    },  # fmt: skip
]


def _sign(no, flow, step, role, name, day, result="通过", note=""):
    return {"工作号": no, "流程": flow, "步骤": step, "角色": role, "签名": name, "日期": day, "结果": result, "备注": note}  # fmt: skip


SIGNOFFS = [
    _sign("MDKT2026001", "工作单确认", "AE", "客户主任", "张三", D(2026, 9, 1)),
    _sign("MDKT2026001", "工作单确认", "AD", "美术指导", "李四", D(2026, 9, 2), "拒单", "资料不足"),
    _sign("MDKT2026001", "工作单确认", "AE", "客户主任", "张三", D(2026, 9, 3)),
    _sign("MDKT2026001", "工作单确认", "AD", "美术指导", "李四", D(2026, 9, 3)),
    _sign("MDKT2026001", "工作单确认", "CD", "创意总监", "王五", D(2026, 9, 4)),
    _sign("MDKT2026001", "工作单确认", "AD", "美术指导", "李四", D(2026, 9, 4)),
    _sign("MDKT2026001", "工作单确认", "COPYWRITE", "文案", "赵六", D(2026, 9, 5)),
    _sign("MDKT2026001", "工作单确认", "电脑人员", "电脑美工", "钱七", D(2026, 9, 5)),
    _sign("MDKT2026001", "正稿QC", "客户确认", "客户", "陈经理", D(2026, 10, 15)),
    _sign("MDKT2026001", "打样QC", "客户确认/签收光盘", "客户", "陈经理", D(2026, 10, 22)),
    _sign("HLKT2026001", "正稿QC", "客户确认", "客户", "刘总", D(2026, 10, 29)),
    _sign("MDKT2026002", "工作单确认", "AE", "客户主任", "张三", D(2026, 10, 9)),
    _sign("MDKT2026002", "工作单确认", "AD", "美术指导", "李四", D(2026, 10, 10)),
]

WEEKLY = [
    {
        "周次": "2026-W44",
        "工作号": "MDKT2026001",
        "工作类别": "制作",
        "本周进展": "打样完成，客户已签收",
        "完成度": 100,
        "财务情况": "已请款",
        "下周计划": "归档光盘",
        "负责人": "张三",
    },  # fmt: skip
    {
        "周次": "2026-W44",
        "工作号": "MDKT2026002",
        "工作类别": "创意",
        "本周进展": "按提案意见修改主画面",
        "完成度": "60%",
        "财务情况": "报价待确认",
        "下周计划": "准备再提案",
        "负责人": "张三",
    },  # fmt: skip
    {
        "周次": "2026-W47",
        "工作号": "MDKT2026002",
        "工作类别": "创意",
        "本周进展": "第二次修改：标题字号",
        "完成度": 80,
        "财务情况": "报价已确认",
        "下周计划": "提交客户确认",
        "负责人": "张三",
    },  # fmt: skip
    {
        "周次": "2026-W47",
        "工作号": "MDBX2026001",
        "工作类别": "制作",
        "本周进展": FORMULA_TEXT,
        "完成度": 0.5,
        "财务情况": "+10% 加急费待确认",
        "下周计划": "交付门店",
        "负责人": "李四",
    },  # fmt: skip
    {
        "周次": "2026-W47",
        "工作号": "MDKT2026003",
        "工作类别": "创意",
        "本周进展": "脚本提案",
        "完成度": 30,
        "财务情况": "",
        "下周计划": "分镜细化",
        "负责人": "张三",
    },  # fmt: skip
    {
        "周次": "2026年第47周",
        "工作号": "XXXX2026009",
        "工作类别": "其他",
        "本周进展": "未登记的工作",
        "完成度": 10,
        "财务情况": "",
        "下周计划": "",
        "负责人": "张三",
    },  # fmt: skip
]

MEETINGS = [
    {
        "会议时间": DT(2026, 10, 20, 14, 30),
        "会议类型": "提案",
        "主题": "双十一主视觉提案",
        "工作号": "MDKT2026002",
        "与会人员": "客户市场部、张三、王五",
        "纪要发送时间": DT(2026, 10, 21, 10, 0),
        "主管审阅": "王经理",
        "客户签复": "陈经理",
    },  # fmt: skip
    {
        "会议时间": DT(2026, 10, 27, 10, 0),
        "会议类型": "再提案",
        "主题": "双十一主视觉再提案",
        "工作号": "MDKT2026002",
        "与会人员": "客户市场部、张三",
        "纪要发送时间": DT(2026, 10, 27, 18, 0),
        "主管审阅": "王经理",
        "客户签复": "",
    },  # fmt: skip
    {
        "会议时间": DT(2026, 11, 18, 14, 30),
        "会议类型": "提案",
        "主题": "年终TVC脚本提案",
        "工作号": "MDKT2026003",
        "与会人员": "客户、张三",
        "纪要发送时间": DT(2026, 11, 20, 10, 0),
        "主管审阅": "",
        "客户签复": "",
    },  # fmt: skip
    {
        "会议时间": DT(2026, 11, 19, 10, 0),
        "会议类型": "工作会议",
        "主题": "冰箱物料进度会",
        "工作号": "MDBX2026001",
        "与会人员": "张三、李四",
        "纪要发送时间": None,
        "主管审阅": "",
        "客户签复": "",
    },  # fmt: skip
    {
        "会议时间": "2026-11-16 09:00",
        "会议类型": "电话沟通",
        "主题": "华凌命名确认",
        "工作号": "HLKT2026001",
        "与会人员": "李四",
        "纪要发送时间": "2026-11-16 17:00",
        "主管审阅": "王经理",
        "客户签复": "刘总",
    },  # fmt: skip
]

PLACEMENTS = [
    {
        "品牌": "美的",
        "工作号": "MDKT2026001",
        "广告形式": "平面",
        "投放区域": "广州",
        "投放媒体": "南方都市报",
        "投放日期": D(2026, 10, 8),
        "结束日期": D(2026, 10, 8),
        "投放规格": "整版",
        "投放版本": "A版",
        "样稿": "",
    },  # fmt: skip
]

EFFECTS = [
    {
        "日期": D(2026, 9, 28),
        "品牌": "美的",
        "活动": "双十一促销",
        "指标": "门店客流",
        "数值": 1000,
        "目标值": 2000,
        "单位": "人次",
        "来源": "终端观察",
    },  # fmt: skip
    {
        "日期": D(2026, 10, 5),
        "品牌": "美的",
        "活动": "双十一促销",
        "指标": "门店客流",
        "数值": 1200,
        "目标值": 2000,
        "单位": "人次",
        "来源": "终端观察",
    },  # fmt: skip
    {
        "日期": D(2026, 10, 19),
        "品牌": "美的",
        "活动": "双十一促销",
        "指标": "门店客流",
        "数值": 1800,
        "目标值": 2000,
        "单位": "人次",
        "来源": "终端观察",
    },  # fmt: skip
    {
        "日期": D(2026, 10, 26),
        "品牌": "美的",
        "活动": "双十一促销",
        "指标": "门店客流",
        "数值": 2100,
        "目标值": 2000,
        "单位": "人次",
        "来源": "终端观察",
    },  # fmt: skip
    {
        "日期": D(2026, 10, 31),
        "品牌": "美的",
        "活动": "双十一促销",
        "指标": "问卷认知度",
        "数值": 35,
        "目标值": 40,
        "单位": "%",
        "来源": "问卷调研",
    },  # fmt: skip
    {
        "日期": D(2026, 10, 20),
        "品牌": "华凌",
        "活动": "新风上市",
        "指标": "咨询量",
        "数值": 300,
        "目标值": 500,
        "单位": "次",
        "来源": "消费者询问",
    },  # fmt: skip
]

NOTES = [
    {
        "月份": "2026-10",
        "品牌": "美的",
        "工作背景": "十月为双十一备战期，重点是主视觉与终端物料。",
        "下月主要工作": "+双十一投放监测与效果追踪",
        "效果反馈": "门店客流稳步上升，10 月底已超过目标。",
    },  # fmt: skip
    {
        "月份": "2026-11",
        "品牌": "美的",
        "工作背景": "双十一执行期。",
        "下月主要工作": "年终TVC拍摄",
        "效果反馈": "",
    },  # fmt: skip
]

HOLIDAYS_2027 = [
    {"日期": D(2027, 1, 1), "类型": "放假", "说明": "2027 年元旦（测试用）"},
]


def write_reportbook(
    path: Path, *, holidays: bool = True, jobs=None, placements=None, notes=None, weekly=None
) -> Path:
    """Write the fixture workbench to ``path``; ``holidays`` adds the 2027 节假日 rows;
    ``jobs``, ``placements``, ``notes`` and ``weekly`` replace those registers' rows."""
    from openpyxl import Workbook

    data = {
        schema.BRANDS: BRANDS,
        schema.JOBS: JOBS if jobs is None else jobs,
        schema.REVISIONS: REVISIONS,
        schema.SIGNOFFS: SIGNOFFS,
        schema.WEEKLY: WEEKLY if weekly is None else weekly,
        schema.MEETINGS: MEETINGS,
        schema.PLACEMENTS: PLACEMENTS if placements is None else placements,
        schema.EFFECTS: EFFECTS,
        schema.MONTHLY_NOTES: NOTES if notes is None else notes,
    }
    if holidays:
        data[schema.HOLIDAYS] = HOLIDAYS_2027
    wb = Workbook()
    wb.remove(wb.active)
    for register, rows in data.items():
        ws = wb.create_sheet(register.sheet)
        ws.append(register.headers)
        excel_row = 1
        for n, row in enumerate(rows):
            excel_row += 2 if n == 2 else 1  # a blank row in the middle, as people leave them
            for col, header in enumerate(register.headers, start=1):
                value = row.get(header)
                cell = ws.cell(row=excel_row, column=col)
                cell.value = value
                if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
                    cell.data_type = "s"  # typed as text in the workbench, too
    path = Path(path)
    wb.save(path)
    return path


# ------------------------------------------------------------- test helpers ---
def run_cli(*args: str, cwd=None):
    """The ``aexl`` command, run in this process (``conftest.run_aexl``): the same
    parser, exit codes and output as the console script, without starting Python."""
    from conftest import run_aexl

    return run_aexl(*args, cwd=cwd)


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def find(ws, value) -> tuple[int, int]:
    """(row, column) of the first cell holding ``value``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell.row, cell.column
    raise AssertionError(f"{value!r} not on sheet {ws.title}")


def row_values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def table_after(ws, heading: str, first_header: str = "工作号") -> list[list]:
    """The body rows of the first table below ``heading`` whose header row starts with
    ``first_header``, as written in the file (a table showing its 「（无）」 note: [])."""
    row, _ = find(ws, heading)
    while ws.cell(row, 1).value != first_header and row < ws.max_row:
        row += 1
    headers = [v for v in row_values(ws, row) if v is not None]
    out = []
    row += 1
    while ws.cell(row, 1).value is not None or ws.cell(row, 2).value is not None:
        values = row_values(ws, row)[: len(headers)]
        if values[0] != first_header and not (isinstance(values[0], str) and values[0].startswith("（")):  # fmt: skip
            out.append(dict(zip(headers, values, strict=False)))
        row += 1
    return out


def headline_counts(ws, line_start: str) -> dict[str, int]:
    """``{label: n}`` of the header line starting with ``line_start`` (``本月工作 5 项 · …``)."""
    import re

    for row in ws.iter_rows(max_row=8):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(line_start):
                text = cell.value.split("（")[0]
                return {m[1]: int(m[2]) for m in re.finditer(r"(\S+) (\d+) [项次张条]", text)}
    raise AssertionError(f"no header line starting {line_start!r} on {ws.title}")


def sample_books(folder: Path) -> list[Path]:
    """The sample account set (workbooks/make_sample.py) written into ``folder``, no images."""
    from samples import load_make_sample

    built = load_make_sample().build_sample(folder, images=False)
    return [p for p in built if p.suffix == ".xlsx"]
