"""The workbench data contract: every register (sheet), its columns and their kinds.

This is PRODUCT.md §1 as data. The reader, the ``aexl init`` writer, the
validation rules and the sample generator all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

WORK_TYPES = (
    "命名", "平面广告", "海报", "报刊广告", "终端物料", "手册", "TVC", "主视觉",
    "形象稿", "新稿件", "网络广告", "电台广告", "户外广告", "策略方案", "其他",
)  # fmt: skip
PRINT_WORK_TYPES = frozenset({"平面广告", "海报", "报刊广告", "终端物料", "手册", "户外广告"})
BRIEF_WORK_TYPES = frozenset({"TVC", "主视觉", "形象稿", "新稿件"})
JOB_STATUSES = ("进行中", "已提案", "修改中", "客户确认", "已完成", "已取消")
YES_NO = ("是", "否")
SIGNOFF_FLOWS = ("工作单确认", "正稿QC", "打样QC")
SIGNOFF_RESULTS = ("通过", "拒单", "退回")
WORK_CATEGORIES = ("创意", "策略", "制作", "媒介", "其他")
MEETING_TYPES = ("广告说明会", "提案", "再提案", "工作会议", "电话沟通")
AD_FORMS = ("平面", "影视", "电台", "网络", "户外", "其他")
EFFECT_SOURCES = ("终端观察", "消费者询问", "问卷调研", "第三方数据", "其他")
HOLIDAY_KINDS = ("放假", "调休上班")

# Column kinds understood by aexl.values.parse_value
TEXT, DATE, DATETIME, MONEY, NUMBER, INT, PERCENT, WEEK, MONTH, ENUM = (
    "text", "date", "datetime", "money", "number", "int", "percent", "week", "month", "enum",
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    note: str = ""
    choices: tuple[str, ...] = ()
    width: int = 14
    optional: bool = False  # added after workbenches were in use: may be absent (read as blank)


@dataclass(frozen=True)
class Register:
    sheet: str
    columns: tuple[Column, ...]
    note: str = ""
    table: str = ""  # Excel table name (ASCII)

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column

BRANDS = Register(
    "品牌",
    (
        C("客户", note="客户（广告主）全称，如：华韵电器股份有限公司", width=24),
        C("品牌", note="品牌名称，如：美的", width=14),
        C("品牌代码", note="留空则按拼音首字母自动生成；填写则以此为准（大写字母/数字）", width=10),
        C("产品线", note="产品线名称，如：空调", width=14),
        C("产品线代码", note="留空则按拼音首字母自动生成；填写则以此为准", width=10),
        C("备注", width=30),
    ),
    note="品牌与产品线：每个品牌 × 产品线一行",
    table="Brands",
)

JOBS = Register(
    "工作单",
    (
        C(
            "工作号",
            note="品牌代码+产品线代码+年份+号码，如 MDKT2026001；用「新建工作号」生成",
            width=15,
        ),
        C("品牌", note="须与「品牌」表一致", width=10),
        C("产品线", width=10),
        C("项目名称", width=22),
        C("项目背景", width=30),
        C("广告目标", width=24),
        C("目标消费者", width=20),
        C("广告策略", width=24),
        C("广告调性", width=16),
        C("其他必备条件", note="没有请填「无」，不要留空", width=18),
        C("工作内容", width=26),
        C("工作类型", ENUM, choices=WORK_TYPES, width=11),
        C("规格", note="平面、海报、报刊、终端物料、手册、户外类必填，如 A4 / 210×285mm", width=14),
        C("预算", MONEY, note="金额（元），可写 12000、¥12,000 或 1.2万", width=12),
        C("开单日期", DATE, note="日期，如 2026-11-26", width=12),
        C("交付日期", DATE, note="不能早于开单日期", width=12),
        C("提供资料", note="没有请填「无」，不要留空", width=18),
        C("执行人员", width=14),
        C("主管签名", width=10),
        C(
            "创意简报",
            ENUM,
            choices=YES_NO,
            note="TVC、主视觉、形象稿、新稿件必须为「是」",
            width=9,
        ),
        C("状态", ENUM, choices=JOB_STATUSES, width=9),
    ),
    note="工作单（项目立项 brief）：每项工作一行",
    table="Jobs",
)

REVISIONS = Register(
    "修改单",
    (
        C("原工作号", note="修改不开新工作号：填原工作号", width=15),
        C("修改序号", INT, note="同一工作号下 1、2、3…连续编号", width=9),
        C("修改日期", DATE, width=12),
        C("修改内容", width=36),
        C("意见来源", note="如：客户品牌经理 / 提案会", width=16),
        C("交付日期", DATE, width=12),
        C("执行人员", width=14),
    ),
    note="修改单：修改沿用原工作号",
    table="Revisions",
)

SIGNOFFS = Register(
    "签核",
    (
        C("工作号", width=15),
        C("流程", ENUM, choices=SIGNOFF_FLOWS, width=11),
        C(
            "步骤",
            note="如 AE、AD、CD、文案、电脑、AD审核、CD审核、AE确认、AD确认、客户确认",
            width=14,
        ),
        C("角色", width=12),
        C("签名", width=10),
        C("日期", DATE, width=12),
        C("结果", ENUM, choices=SIGNOFF_RESULTS, width=8),
        C("备注", width=30),
        C(
            "校验码",
            note="「签核」按钮录入时生成，请勿手改；手工录入的行留空",
            width=16,
            optional=True,
        ),
    ),
    note="签核记录：每个签名一行",
    table="Signoffs",
)

WEEKLY = Register(
    "周进度",
    (
        C("周次", WEEK, note="ISO 周次，如 2026-W47", width=10),
        C("工作号", width=15),
        C("工作类别", ENUM, choices=WORK_CATEGORIES, width=9),
        C("本周进展", width=36),
        C("完成度", PERCENT, note="0–100，可写 60 或 60%", width=8),
        C("财务情况", width=20),
        C("下周计划", width=30),
        C("负责人", width=10),
    ),
    note="周进度：每周每项工作一行",
    table="Weekly",
)

MEETINGS = Register(
    "会议",
    (
        C("会议时间", DATETIME, note="日期和时间，如 2026-11-26 14:30", width=17),
        C("会议类型", ENUM, choices=MEETING_TYPES, width=11),
        C("主题", width=26),
        C("工作号", width=15),
        C("与会人员", width=24),
        C("纪要发送时间", DATETIME, note="须在会议后 1 个工作日内（同一时刻）发出", width=17),
        C("主管审阅", note="审阅主管签名；纪要须经主管审阅后才可发送", width=10),
        C("客户签复", note="客户确认签名", width=10),
    ),
    note="会议与会议纪要",
    table="Meetings",
)

PLACEMENTS = Register(
    "投放",
    (
        C("品牌", width=10),
        C("工作号", width=15),
        C("广告形式", ENUM, choices=AD_FORMS, width=9),
        C("投放区域", width=12),
        C("投放媒体", width=16),
        C("投放日期", DATE, width=12),
        C("结束日期", DATE, width=12),
        C("投放规格", width=14),
        C("投放版本", width=14),
        C("样稿", note="样稿图片路径（相对本工作簿）或网址", width=28),
    ),
    note="投放与样本收集",
    table="Placements",
)

EFFECTS = Register(
    "效果",
    (
        C("日期", DATE, width=12),
        C("品牌", width=10),
        C("活动", width=18),
        C("指标", width=14),
        C("数值", NUMBER, width=10),
        C("目标值", NUMBER, width=10),
        C("单位", width=8),
        C("来源", ENUM, choices=EFFECT_SOURCES, width=11),
    ),
    note="效果追踪",
    table="Effects",
)

MONTHLY_NOTES = Register(
    "月报备注",
    (
        C("月份", MONTH, note="如 2026-10", width=9),
        C("品牌", width=10),
        C("工作背景", width=40),
        C("下月主要工作", width=40),
        C("效果反馈", width=40),
    ),
    note="月度总结中需要人来写的部分",
    table="MonthlyNotes",
)

COPY = Register(
    "文案",
    (
        C("工作号", width=15),
        C("版本", width=8),
        C("标题", width=24),
        C("正文", width=48),
        C("口号", width=20),
        C("LOGO", ENUM, choices=YES_NO, note="稿件是否有 LOGO：是 / 否", width=7),
    ),
    note="文案稿（QC 质检，广告法检查）",
    table="Copy",
)

HOLIDAYS = Register(
    "节假日",
    (
        C("日期", DATE, width=12),
        C("类型", ENUM, choices=HOLIDAY_KINDS, note="放假 或 调休上班", width=10),
        C("说明", note="如：2027 年春节（国务院办公厅通知）", width=30),
    ),
    note="日历尚未收录年份的国务院放假通知",
    table="Holidays",
)

# The job schedule's milestones, in order (aexl.planning.schedule lays them out).
MILESTONES = ("简报与工作单确认", "内部创作与审阅", "提案", "修改", "客户确认", "QC签核", "交付")

PROGRESS = Register(
    "进度",
    (
        C("工作号", width=15),
        C("里程碑", ENUM, choices=MILESTONES, width=16),
        C("开始日期", DATE, note="日期，如 2026-11-26；留空则按默认进度", width=12),
        C("结束日期", DATE, note="不能早于开始日期；留空则按默认进度", width=12),
        C("负责人", width=14),
        C("备注", width=30),
    ),
    note="工作进度表：改动某项工作某个里程碑的默认日期（每行一个里程碑）",
    table="Progress",
)

REGISTERS: tuple[Register, ...] = (
    BRANDS, JOBS, REVISIONS, SIGNOFFS, WEEKLY, MEETINGS, PLACEMENTS, EFFECTS,
    MONTHLY_NOTES, COPY, HOLIDAYS, PROGRESS,
)  # fmt: skip
BY_SHEET = {r.sheet: r for r in REGISTERS}

# Sign-off chains (PRODUCT.md §2). Steps are matched after normalisation
# (COPYWRITE == 文案, 电脑人员 == 电脑).
SIGNOFF_CHAINS: dict[str, tuple[str, ...]] = {
    "工作单确认": ("AE", "AD", "CD", "AD", "文案", "电脑"),
    "正稿QC": ("电脑", "文案", "AD审核", "CD审核", "AE确认", "AD确认", "客户确认"),
    "打样QC": ("电脑", "文案", "AD审核", "CD审核", "AE确认", "AD确认", "客户确认"),
}
