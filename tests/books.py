"""Small, deterministic workbenches for the validation tests, written with openpyxl.

``clean_data()`` is a workbench that passes every rule (with ``NOW`` as the
current time); tests copy it, change a cell or add a row, write it with
``write_book`` and read it back with the real reader.
"""

from __future__ import annotations

import copy
from datetime import date, datetime

from aexl import schema

NOW = datetime(2026, 12, 1, 9, 0)
D, DT = date, datetime


def job(jobno: str, brand: str, line: str, **over) -> dict:
    row = {
        "工作号": jobno,
        "品牌": brand,
        "产品线": line,
        "项目名称": "双十二促销",
        "项目背景": "年末促销季，竞品降价",
        "广告目标": "提升门店客流",
        "目标消费者": "25–40 岁城市家庭",
        "广告策略": "以旧换新",
        "广告调性": "温暖、可信",
        "其他必备条件": "无",
        "工作内容": "门店海报一套",
        "工作类型": "海报",
        "规格": "A2 420×594mm",
        "预算": 12000,
        "开单日期": D(2026, 11, 2),
        "交付日期": D(2026, 11, 20),
        "提供资料": "产品图",
        "执行人员": "王小明",
        "主管签名": "李主管",
        "创意简报": "否",
        "状态": "进行中",
    }
    row.update(over)
    return row


def signoff(jobno, flow, step, day, result="通过", who="签名人") -> dict:
    return {
        "工作号": jobno,
        "流程": flow,
        "步骤": step,
        "角色": "",
        "签名": who,
        "日期": day,
        "结果": result,
        "备注": None,
    }


def chain(jobno, flow, day, **over) -> list[dict]:
    """Every step of ``flow`` signed (通过) on ``day``, as 签核 rows."""
    return [signoff(jobno, flow, step, day, **over) for step in schema.SIGNOFF_CHAINS[flow]]


def clean_data() -> dict[str, list[dict]]:
    """Sheet name → rows (dicts by header). Excel row = index + 2."""
    return {
        "品牌": [
            {"客户": "华韵电器", "品牌": "美的", "品牌代码": None, "产品线": "空调"},
            {"客户": "华韵电器", "品牌": "美的", "品牌代码": None, "产品线": "冰箱"},
        ],
        "工作单": [
            job("MDKT2026001", "美的", "空调", 状态="已完成"),  # 正稿QC done below
            job(
                "MDKT2026002",
                "美的",
                "空调",
                工作类型="TVC",
                规格=None,
                创意简报="是",
                工作内容="15 秒 TVC",
                预算="1.2万",
            ),  # fmt: skip
            job("MDBX2026001", "美的", "冰箱", 工作类型="策略方案", 规格=None, 提供资料="无"),
            job("MDBX2026002", "美的", "冰箱", 工作类型="手册", 规格="A4 16P"),
        ],
        "修改单": [
            {
                "原工作号": "MDKT2026001",
                "修改序号": 1,
                "修改日期": D(2026, 11, 10),
                "修改内容": "改标题",
                "意见来源": "客户",
                "交付日期": D(2026, 11, 12),
                "执行人员": "王小明",
            },
            {
                "原工作号": "MDKT2026001",
                "修改序号": 2,
                "修改日期": D(2026, 11, 13),
                "修改内容": "换主图",
                "意见来源": "提案会",
                "交付日期": D(2026, 11, 16),
                "执行人员": "王小明",
            },
            {
                "原工作号": "MDBX2026001",
                "修改序号": 1,
                "修改日期": D(2026, 11, 13),
                "修改内容": "补充竞品",
                "意见来源": "客户",
                "交付日期": D(2026, 11, 16),
                "执行人员": "王小明",
            },
        ],  # fmt: skip
        "签核": [
            signoff("MDKT2026001", "工作单确认", "AE", D(2026, 11, 2)),
            signoff("MDKT2026001", "工作单确认", "AD", D(2026, 11, 2)),
            signoff("MDKT2026001", "工作单确认", "CD", D(2026, 11, 3)),
            signoff("MDKT2026001", "工作单确认", "AD", D(2026, 11, 3)),
            signoff("MDKT2026001", "工作单确认", "COPYWRITE", D(2026, 11, 3)),
            signoff("MDKT2026001", "工作单确认", "电脑人员", D(2026, 11, 4)),
            signoff("MDKT2026001", "正稿QC", "电脑人员", D(2026, 11, 16)),
            signoff("MDKT2026001", "正稿QC", "文案", D(2026, 11, 16), "退回"),
            signoff("MDKT2026001", "正稿QC", "电脑", D(2026, 11, 17)),
            signoff("MDKT2026001", "正稿QC", "COPYWRITE", D(2026, 11, 17)),
            signoff("MDKT2026001", "正稿QC", "AD审核", D(2026, 11, 17)),
            signoff("MDKT2026001", "正稿QC", "CD审核", D(2026, 11, 18)),
            signoff("MDKT2026001", "正稿QC", "AE确认", D(2026, 11, 18)),
            signoff("MDKT2026001", "正稿QC", "AD确认", D(2026, 11, 18)),
            signoff("MDKT2026001", "正稿QC", "客户确认", D(2026, 11, 19)),
            signoff("MDKT2026002", "工作单确认", "AE", D(2026, 11, 2)),
            signoff("MDKT2026002", "工作单确认", "AD", D(2026, 11, 3), "拒单"),
            signoff("MDKT2026002", "工作单确认", "AE", D(2026, 11, 4)),
            signoff("MDKT2026002", "工作单确认", "AD", D(2026, 11, 4)),
        ],
        "周进度": [
            {
                "周次": "2026-W47",
                "工作号": "MDKT2026001",
                "工作类别": "创意",
                "本周进展": "完成初稿",
                "完成度": 60,
                "财务情况": "未开票",
                "下周计划": "提案",
                "负责人": "王小明",
            },
            {
                "周次": "2026-W48",
                "工作号": "MDKT2026001",
                "工作类别": "制作",
                "本周进展": "正稿",
                "完成度": "100%",
                "财务情况": "已开票",
                "下周计划": "投放",
                "负责人": "王小明",
            },
        ],  # fmt: skip
        "会议": [
            {
                "会议时间": DT(2026, 11, 26, 14, 30),
                "会议类型": "提案",
                "主题": "海报提案",
                "工作号": "MDKT2026001",
                "与会人员": "客户品牌经理、AE、AD",
                "纪要发送时间": DT(2026, 11, 27, 10, 0),
                "主管审阅": "李主管",
                "客户签复": "张经理",
            },
            {
                "会议时间": DT(2026, 9, 30, 15, 0),
                "会议类型": "工作会议",
                "主题": "节前排期",
                "工作号": None,
                "与会人员": "AE、客户",
                "纪要发送时间": DT(2026, 10, 8, 11, 0),
                "主管审阅": "李主管",
                "客户签复": "陈主任",
            },
        ],  # fmt: skip
        "投放": [
            {
                "品牌": "美的",
                "工作号": "MDKT2026001",
                "广告形式": "平面",
                "投放区域": "广州",
                "投放媒体": "地铁灯箱",
                "投放日期": D(2026, 11, 21),
                "结束日期": D(2026, 12, 5),
                "投放规格": "A2",
                "投放版本": "v2",
                "样稿": "https://example.com/a.jpg",
            },
        ],  # fmt: skip
        "效果": [
            {
                "日期": D(2026, 11, 28),
                "品牌": "美的",
                "活动": "双十二",
                "指标": "门店客流",
                "数值": 1200,
                "目标值": 1500,
                "单位": "人次",
                "来源": "终端观察",
            },
        ],  # fmt: skip
        "月报备注": [
            {
                "月份": "2026-11",
                "品牌": "美的",
                "工作背景": "年末促销",
                "下月主要工作": "年货节",
                "效果反馈": "客流上升",
            },
        ],  # fmt: skip
        "文案": [
            {
                "工作号": "MDKT2026001",
                "版本": "v2",
                "标题": "冬天也要好好呼吸",
                "正文": "新风空调，安静运行",
                "口号": "美的，原来生活可以更美的",
                "LOGO": "是",
            },
        ],  # fmt: skip
        "节假日": holidays_2027(),
    }


# A plausible 2027 notice (the bundled calendar stops at 2026): every holiday,
# one row per day, so that 2027 is known and complete (no holiday.incomplete).
HOLIDAYS_2027 = (
    ((1, 1), (1, 3), "放假", "元旦"),
    ((2, 5), (2, 13), "放假", "春节"),
    ((1, 31), (1, 31), "调休上班", "春节调休"),
    ((2, 20), (2, 20), "调休上班", "春节调休"),
    ((4, 3), (4, 5), "放假", "清明节"),
    ((5, 1), (5, 5), "放假", "劳动节"),
    ((4, 25), (4, 25), "调休上班", "劳动节调休"),
    ((6, 9), (6, 9), "放假", "端午节"),
    ((9, 15), (9, 15), "放假", "中秋节"),
    ((10, 1), (10, 7), "放假", "国庆节"),
    ((9, 26), (9, 26), "调休上班", "国庆节调休"),
    ((10, 9), (10, 9), "调休上班", "国庆节调休"),
)


def holidays_2027(names: tuple[str, ...] | None = None) -> list[dict]:
    """The 节假日 rows of ``HOLIDAYS_2027`` (only the holidays in ``names`` if given)."""
    rows = []
    for (m1, d1), (m2, d2), kind, name in HOLIDAYS_2027:
        if names is not None and name.removesuffix("调休") not in names:
            continue
        for day in range(D(2027, m1, d1).toordinal(), D(2027, m2, d2).toordinal() + 1):
            rows.append({"日期": D.fromordinal(day), "类型": kind, "说明": f"2027 年{name}"})
    return rows


def data_copy(data=None) -> dict[str, list[dict]]:
    return copy.deepcopy(data if data is not None else clean_data())


def write_book(path, data: dict[str, list[dict]], *, headers: dict | None = None):
    """Write ``data`` as an .xlsx: contract headers in row 1, one row per dict."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, rows in data.items():
        ws = wb.create_sheet(sheet)
        names = (headers or {}).get(sheet) or schema.BY_SHEET[sheet].headers
        extra = [k for r in rows for k in r if k not in names]
        names = [*names, *dict.fromkeys(extra)]
        ws.append(names)
        for row in rows:
            ws.append([row.get(name) for name in names])
    wb.save(path)
    return path
