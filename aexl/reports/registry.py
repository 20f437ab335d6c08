"""Every report kind and every ribbon command, declared once.

A ``Report`` names its command, the type word of its files (the naming rule,
``aexl.files.naming``), its period, its data builder and writer (``module:function``,
imported only when used) and its ribbon button. From this list come the CLI's
report commands (``aexl.cli``), the report file names the naming check accepts,
the month-end outputs (``aexl.monthend``), the ribbon handlers
(``aexl.excel.ribbon.HANDLERS``) and the ribbon's customUI XML, VBA callbacks
and Office.js manifest (``aexl.excel.ribbon_ui``).

Adding a report: write its module (data builder ``*_reports(source, period,
calendar=None, brands=None)`` and writer ``write_*(report, path)``), then add one
``Report`` to ``REPORTS``. Light on purpose: importing this module imports
nothing else.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

# ribbon groups, in order (id, label)
GROUPS = {"job": "工作单", "qc": "质检", "report": "报告", "tools": "工具"}


@dataclass(frozen=True)
class Button:
    """A ribbon button: ``handler`` is the function of ``aexl.excel.ribbon`` it calls."""

    handler: str
    label: str
    image: str  # an Excel imageMso name
    group: str  # a key of GROUPS
    tip: str
    module: str = "aexl.excel.ribbon"  # where the handler lives (the ribbon module finds it)

    @property
    def camel(self) -> str:
        return "".join(part.capitalize() for part in self.handler.split("_"))

    @property
    def id(self) -> str:
        return f"aexl{self.camel}"

    @property
    def callback(self) -> str:
        """The VBA Sub (``onAction``) of the button."""
        return f"Aexl{self.camel}"


@dataclass(frozen=True)
class Option:
    """A command-line option of one report beyond the common ones (``--book``, the
    period, ``--brand``, ``--out``, ``--force``): ``switch`` = on/off, else takes a value."""

    flag: str  # "--png"
    help: str
    required: bool = False
    switch: bool = False
    keyword: str = ""  # a switch passed to the data builder as ``keyword=value`` when given
    value: object = True


@dataclass(frozen=True)
class Report:
    """One report kind."""

    name: str  # CLI command
    kind: str  # the type word of its files: 20261110_<品牌>_<kind>.xlsx
    period: str  # "week", "month", "year", "week|month", "month?" (optional) or "" (none)
    help: str
    example: str
    data: str = ""  # "module:function": (source, period, calendar=None, brands=None) -> reports
    write: str = ""  # "module:function": (report, path) -> path
    run: str = ""  # "module:function": (args, period) -> exit code; "" = build, then write each
    nothing: str = "{period} 没有任何品牌的记录，未生成{kind}。"
    month_end: bool | str = False  # month-end writes it per brand: True = data/write, or its own
    # "module:function" (book, brand) -> [paths] (aexl.monthend.outputs)
    button: Button | None = None
    options: tuple[Option, ...] = ()
    brands: bool = True  # takes --brand (only these brands)
    period_help: str = ""  # help of the period option when the default does not fit

    def builder(self):
        return load(self.data)

    def writer(self):
        return load(self.write)


def load(target: str):
    """``"aexl.reports.monthly:monthly_reports"`` → the function."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


REPORTS: list[Report] = [
    Report(
        "weekly",
        "每周工作进度表",
        "week",
        "每周工作进度表：每个品牌一份（本周进展、完成度、下周计划、本周修改单；注明完成日期和"
        "发送日期）。默认是发给客户的版本；--internal 生成部门内部版（另含财务情况、逾期交付、逾期纪要）",
        "aexl weekly --book 星河食品_AE工作台.xlsx --week 2026-W47 --out 周报",
        "aexl.reports.weekly:weekly_reports",
        "aexl.reports.weekly:write_weekly",
        options=(
            Option(
                "--internal",
                "部门内部版：另含财务情况、逾期交付和逾期纪要，不发给客户",
                switch=True,
                keyword="audience",
                value="internal",
            ),
        ),
        nothing="{period} 没有任何品牌的进展、逾期交付、逾期纪要或修改单，未生成周报。",
        button=Button(
            "weekly_report",
            "生成周报",
            "Schedule",
            "report",
            "生成本周的每周工作进度表（各品牌的进展、逾期交付、逾期纪要和修改单），写入「周报」表。",
            "aexl.excel.report_handlers",
        ),
    ),  # fmt: skip
    Report(
        "placements",
        "投放列表",
        "week|month",
        "投放列表：每个品牌在某周或某月的投放（广告形式、区域、媒体、日期、规格、版本、样稿缩略图）",
        "aexl placements --book 星河食品_AE工作台.xlsx --month 2026-10 --out 报告",
        run="aexl.commands.placements:run",
        month_end="aexl.monthend.outputs:placement_list",
        brands=False,
        button=Button(
            "placement_list",
            "投放列表",
            "AutoFilterClassic",
            "report",
            "生成本周的投放列表（形式、区域、媒体、日期、规格、版本），样稿图片嵌入为缩略图。",
            "aexl.excel.report_handlers",
        ),
    ),  # fmt: skip
    Report(
        "charts",
        "效果追踪图表",
        "month?",
        "效果追踪图表：每个品牌按活动、指标画出实际值与目标值（Excel 原生图表，可选 PNG 图片）",
        "aexl charts --book 星河食品_AE工作台.xlsx --month 2026-10 --out 报告 --png",
        run="aexl.commands.charts:run",
        month_end="aexl.monthend.outputs:effect_charts",
        brands=False,
        period_help="只画该月的数据，如 2026-10（默认全部日期）",
        options=(Option("--png", "同时导出每张图的 PNG（用于幻灯片、邮件）", switch=True),),
        button=Button(
            "effect_charts",
            "效果图表",
            "ChartInsert",
            "report",
            "按品牌、活动和指标画出实际值与目标值的效果追踪图，插入「效果图表」表。",
            "aexl.excel.report_handlers",
        ),
    ),  # fmt: skip
    Report(
        "monthly",
        "月度工作总结",
        "month",
        "月度工作总结：每个品牌一份（工作背景、本月主要工作明细、下月主要工作、"
        "广告效果的反馈情况、当月完成工作情况；次月 10 日完成、15 日前发送）",
        "aexl monthly --book 星河食品_AE工作台.xlsx --month 2026-10 --out 月报",
        "aexl.reports.monthly:monthly_reports",
        "aexl.reports.monthly:write_monthly",
        nothing="{period} 没有任何品牌的工作记录，未生成月度工作总结。",
        month_end=True,
        button=Button(
            "monthly_summary",
            "月度总结",
            "AutoSummarize",
            "report",
            "生成上个月的月度工作总结（工作背景、本月工作明细、下月工作、效果反馈），写入「月度总结」表。",
            "aexl.excel.report_handlers",
        ),
    ),  # fmt: skip
    Report(
        "year-end",
        "年度工作总结",
        "year",
        "年度工作总结：每个品牌一份（前言、传播策略和推广计划回顾、广告创作作品、"
        "全年传播活动的主要成绩与问题、服务改进建议；黄色处由 AM 填写；次年 1 月提交）",
        "aexl year-end --book 星河食品_AE工作台.xlsx --year 2026 --out 年报",
        "aexl.reports.yearend:yearly_reports",
        "aexl.reports.yearend:write_yearly",
        nothing="{period} 年没有任何品牌的工作或效果记录，未生成年度工作总结。",
    ),
    Report(
        "jobsheet",
        "工作单",
        "",
        "打印工作单：把一项工作排成 A4 竖版的项目工作单（brief 各项、修改记录、"
        "工作单确认签名框 AE → AD → CD → AD → 文案 → 电脑、客户签复）",
        "aexl jobsheet --book 星河食品_AE工作台.xlsx --jobno XHCQXM2026001 --out 工作单",
        run="aexl.commands.jobsheet:run",
        brands=False,
        options=(Option("--jobno", "工作号，如 XHCQXM2026001", required=True),),
    ),
]

# files aexl writes that are not reports of a command (the naming rule accepts them too)
OTHER_KINDS = ("校验结果", "月度清理清单", "资料存档", "待办清单", "工作进度表")
# a copy of a report for another audience keeps the kind and adds this (…_每周工作进度表_内部.xlsx)
VARIANTS = ("内部",)

# ribbon commands that are not reports, in ribbon order (the report buttons follow)
COMMANDS: list[Button] = [
    Button(
        "new_job_number", "新建工作号", "FileNew", "job",
        "为「工作单」表中选中的、还没有工作号的行生成工作号（品牌代码+产品线代码+年份+号码），号码接着已开出的最大号。",
    ),
    Button(
        "new_revision", "新建修改单", "ReviewNewComment", "job",
        "为选中的工作在「修改单」表添加一行：沿用原工作号，修改序号自动加一。",
    ),
    Button(
        "validate_workbook", "校验工作单", "DataValidation", "job",
        "按守则检查各登记表：有问题的单元格标色（红色错误、黄色警告），明细列在「校验结果」表。",
        "aexl.excel.report_handlers",
    ),
    Button(
        "print_job_sheet", "打印工作单", "FilePrint", "job",
        "把选中的工作排成可打印的 A4 项目工作单（含签名栏），放在「打印工作单」表。",
        "aexl.excel.report_handlers",
    ),
    Button(
        "check_copy", "文案合规检查", "Spelling", "qc",
        "按《广告法》检查选中单元格的文案：禁用词标红，需核实的用语标黄，并加批注说明依据。仅供参考，不是法律意见。",
    ),
    Button(
        "sign_off", "签核", "ReviewAcceptChange", "job",
        "为选中的工作按流程录入下一步签核（签名默认为 Excel 用户名，可改），带校验码；顺序不对时拒绝并说明。",
        "aexl.excel.planning_handlers",
    ),
    Button(
        "job_schedule", "工作进度表", "NewAppointment", "job",
        "把选中工作的里程碑按工作日排成工作进度表（节假日、调休标出），客户版和部门版各一份。",
        "aexl.excel.planning_handlers",
    ),
    Button(
        "due_list", "待办", "ReminderSound", "report",
        "列出今天起几个工作日内到期和已逾期的事项（纪要、周报、月报、交付、QC……），写到「待办」表。",
        "aexl.excel.planning_handlers",
    ),
    Button(
        "diagnose", "诊断", "Help", "tools",
        "检查本机的 Python、xlwings、加载项和配置文件，列出每项是否通过以及修复方法。",
    ),
]  # fmt: skip


def reports() -> list[Report]:
    return list(REPORTS)


def report(name: str) -> Report:
    return next(r for r in REPORTS if r.name == name)


def report_variants() -> tuple[str, ...]:
    return VARIANTS


def report_kinds() -> tuple[str, ...]:
    """Every type word of a file aexl writes (the naming rule accepts these as they are)."""
    return (*dict.fromkeys(r.kind for r in REPORTS), *OTHER_KINDS)


def ribbon_commands() -> list[Button]:
    """Every ribbon button, in ribbon order: the commands, then the reports' buttons."""
    return [*COMMANDS, *(r.button for r in REPORTS if r.button is not None)]


def ribbon_groups() -> list[tuple[str, str, list[Button]]]:
    """(group id, label, buttons) in ribbon order, groups without buttons left out."""
    buttons = ribbon_commands()
    out = []
    for key, label in GROUPS.items():
        mine = [b for b in buttons if b.group == key]
        if mine:
            out.append((f"aexl{key.capitalize()}Group", label, mine))
    return out
